//! Strict, unpadded base64url (RFC 4648 section 5), as JWS compact serialization requires.

/// Decodes unpadded base64url. Refuses `=` padding, characters outside `A-Z a-z 0-9 - _`, a length
/// of 1 modulo 4 and non-zero trailing bits (so each byte string has exactly one encoding).
///
/// # Errors
/// A static description of the first problem.
///
/// # Examples
/// ```
/// use graph_call_transfer::auth::base64url_decode;
/// assert_eq!(base64url_decode(b"eyJhIjoxfQ").unwrap(), br#"{"a":1}"#);
/// assert!(base64url_decode(b"eyJhIjoxfQ==").is_err());
/// ```
pub fn base64url_decode(input: &[u8]) -> Result<Vec<u8>, &'static str> {
    if input.len() % 4 == 1 {
        return Err("invalid base64url length");
    }
    let mut out = Vec::with_capacity(input.len() / 4 * 3 + 2);
    let mut chunks = input.chunks_exact(4);
    for chunk in &mut chunks {
        let n = (sextet(chunk[0])? << 18)
            | (sextet(chunk[1])? << 12)
            | (sextet(chunk[2])? << 6)
            | sextet(chunk[3])?;
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    match *chunks.remainder() {
        [] => {}
        [a, b] => {
            let n = (sextet(a)? << 18) | (sextet(b)? << 12);
            if n & 0xffff != 0 {
                return Err("non-canonical base64url (trailing bits set)");
            }
            out.push((n >> 16) as u8);
        }
        [a, b, c] => {
            let n = (sextet(a)? << 18) | (sextet(b)? << 12) | (sextet(c)? << 6);
            if n & 0xff != 0 {
                return Err("non-canonical base64url (trailing bits set)");
            }
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
        }
        _ => return Err("invalid base64url length"),
    }
    Ok(out)
}

fn sextet(c: u8) -> Result<u32, &'static str> {
    Ok(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        b'=' => return Err("base64url must not be padded with '='"),
        _ => return Err("invalid base64url character"),
    } as u32)
}

#[cfg(test)]
mod tests {
    use super::base64url_decode;

    fn encode(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut s = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=chunk.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        s
    }

    #[test]
    fn round_trips_every_length_and_byte() {
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..data.len() {
            let encoded = encode(&data[..len]);
            assert_eq!(base64url_decode(encoded.as_bytes()).unwrap(), &data[..len]);
        }
    }

    #[test]
    fn refuses_padding_bad_characters_lengths_and_trailing_bits() {
        assert!(base64url_decode(b"QQ==").is_err());
        assert!(base64url_decode(b"QQ+/").is_err());
        assert!(base64url_decode(b"Q").is_err());
        assert!(base64url_decode(b"QR").is_err()); // 'R' leaves trailing bits set
        assert!(base64url_decode(b"QUJ").is_err());
        assert_eq!(base64url_decode(b"QUI").unwrap(), b"AB");
        assert_eq!(base64url_decode(b"").unwrap(), b"");
    }
}
