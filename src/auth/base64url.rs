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
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn base64url_decode(input: &[u8]) -> Result<Vec<u8>, &'static str> {
    if input.len() % 4 == 1 {
        return Err("invalid base64url length");
    }
    let full = input.len() / 4;
    let mut out = vec![0u8; full * 3];
    let mut chunks = input.chunks_exact(4);
    // Invalid characters map to 0xff; OR-ing all values and checking once keeps the loop
    // branch-free.
    let mut bad = 0u8;
    for (chunk, dst) in (&mut chunks).zip(out.chunks_exact_mut(3)) {
        let (a, b, c, d) = (
            TABLE[chunk[0] as usize],
            TABLE[chunk[1] as usize],
            TABLE[chunk[2] as usize],
            TABLE[chunk[3] as usize],
        );
        bad |= a | b | c | d;
        let n = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
        dst[0] = (n >> 16) as u8;
        dst[1] = (n >> 8) as u8;
        dst[2] = n as u8;
    }
    let rest = chunks.remainder();
    let mut n = 0u32;
    for (i, &ch) in rest.iter().enumerate() {
        let v = TABLE[ch as usize];
        bad |= v;
        n |= u32::from(v) << (18 - 6 * i);
    }
    if bad & 0x80 != 0 {
        return Err(if input.contains(&b'=') {
            "base64url must not be padded with '='"
        } else {
            "invalid base64url character"
        });
    }
    match rest.len() {
        2 if n & 0xffff == 0 => out.push((n >> 16) as u8),
        3 if n & 0xff == 0 => out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]),
        0 => {}
        _ => return Err("non-canonical base64url (trailing bits set)"),
    }
    Ok(out)
}

/// Sextet values of the base64url alphabet; 0xff for every other byte.
const TABLE: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

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
