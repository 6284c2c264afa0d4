//! Reading a JSON Web Key Set and an OpenID configuration: which keys can verify RS256.

use serde::Serialize;

use super::base64url::base64url_decode;
use super::error::{AuthError, AuthErrorKind};
use super::json::{self, Json};
use crate::error::Quoted;

/// The shortest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: u32 = 2048;

/// The longest RSA modulus accepted, in bits (bounds the cost of a forged-key verification).
pub const MAX_RSA_BITS: u32 = 8192;

/// One key of a key set, by `kid`: usable for RS256 or not, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JwkEntry {
    /// The key id.
    pub kid: String,
    /// The RSA modulus, base64url (as in the JWK), when the key is usable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// The RSA public exponent, base64url, when the key is usable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// Why the key cannot verify RS256 signatures, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unusable: Option<String>,
}

impl JwkEntry {
    /// Whether the key can verify RS256 signatures.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn is_usable(&self) -> bool {
        self.unusable.is_none()
    }
}

#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn fetch_failed(path: &str, detail: impl Into<String>) -> AuthError {
    AuthError::new(
        AuthErrorKind::KeyFetchFailed {
            detail: detail.into(),
        },
        path,
    )
}

/// Reads a JWKS (`{"keys": [...]}`) and says, for each key with a `kid`, whether it can verify
/// RS256: `kty` must be `RSA`, `use` absent or `sig`, `alg` absent or `RS256`, `key_ops` absent
/// or containing `verify`, and the modulus 2048 to 8192 bits with an odd exponent. Keys without a
/// `kid` (or that are not objects) cannot be selected and are left out; a key with members of the
/// wrong type is listed as unusable rather than failing the whole set. Usable keys come first, in
/// document order, so when several keys share a `kid` the first usable one wins.
///
/// # Errors
/// [`AuthErrorKind::KeyFetchFailed`] at `keys` when the document is not a JSON object with a
/// `keys` array.
///
/// # Examples
/// ```
/// use graph_call_transfer::auth::read_jwks;
/// let keys = read_jwks(br#"{"keys":[{"kid":"a","kty":"EC","crv":"P-256","x":"","y":""}]}"#).unwrap();
/// assert_eq!(keys[0].unusable.as_deref(), Some("kty is \"EC\", not RSA"));
/// ```
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn read_jwks(json: &[u8]) -> Result<Vec<JwkEntry>, AuthError> {
    let mut usable = Vec::new();
    let mut unusable = Vec::new();
    visit_jwks(json, |kid, check| match check {
        Ok((n, e)) => usable.push(JwkEntry {
            kid: kid.to_owned(),
            n: Some(n.to_owned()),
            e: Some(e.to_owned()),
            unusable: None,
        }),
        Err(why) => unusable.push(JwkEntry {
            kid: kid.to_owned(),
            n: None,
            e: None,
            unusable: Some(why),
        }),
    })?;
    // Usable keys first, so that a usable key wins over an unusable one with the same kid.
    usable.append(&mut unusable);
    Ok(usable)
}

/// The reading of [`read_jwks`]: calls `key(kid, Ok((n, e)) | Err(why))` for each key with a
/// `kid`, in document order.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn visit_jwks(
    json: &[u8],
    mut key: impl FnMut(&str, Result<(&str, &str), String>),
) -> Result<(), AuthError> {
    let set =
        json::object(json).map_err(|why| fetch_failed("keys", format!("not a JWKS ({why})")))?;
    let Some(Json::Array(keys)) = set.get("keys") else {
        return Err(fetch_failed("keys", "not a JWKS (no keys array)"));
    };
    for item in keys {
        let Some(item) = item.as_object() else {
            continue;
        };
        let Some(kid) = item.get("kid").and_then(Json::as_str) else {
            continue;
        };
        key(kid, check_key(item));
    }
    Ok(())
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn check_key<'a>(key: &'a json::Object<'_>) -> Result<(&'a str, &'a str), String> {
    let member = |name: &str| json::string(key, name).map_err(|why| format!("{name}: {why}"));
    match member("kty")? {
        Some("RSA") => {}
        Some(other) => return Err(format!("kty is {}, not RSA", Quoted(other))),
        None => return Err("the key has no kty".to_owned()),
    }
    if let Some(use_) = member("use")? {
        if use_ != "sig" {
            return Err(format!("use is {}, not \"sig\"", Quoted(use_)));
        }
    }
    if let Some(alg) = member("alg")? {
        if alg != "RS256" {
            return Err(format!("alg is {}, not \"RS256\"", Quoted(alg)));
        }
    }
    match key.get("key_ops") {
        None | Some(Json::Null) => {}
        Some(Json::Array(ops)) if ops.iter().any(|op| op.as_str() == Some("verify")) => {}
        Some(_) => return Err("key_ops does not include \"verify\"".to_owned()),
    }
    let (Some(n), Some(e)) = (member("n")?, member("e")?) else {
        return Err("an RSA key needs n and e".to_owned());
    };
    let modulus = base64url_decode(n.as_bytes()).map_err(|why| format!("n: {why}"))?;
    let bits = significant_bits(&modulus);
    if bits < MIN_RSA_BITS {
        return Err(format!(
            "the RSA key is {bits} bits; at least {MIN_RSA_BITS} are required"
        ));
    }
    if bits > MAX_RSA_BITS {
        return Err(format!(
            "the RSA key is {bits} bits; at most {MAX_RSA_BITS} are accepted"
        ));
    }
    let exponent = base64url_decode(e.as_bytes()).map_err(|why| format!("e: {why}"))?;
    let odd = exponent.last().is_some_and(|b| b & 1 == 1);
    if !odd || significant_bits(&exponent) < 2 {
        return Err("the RSA exponent must be odd and at least 3".to_owned());
    }
    Ok((n, e))
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn significant_bits(bytes: &[u8]) -> u32 {
    let Some(first) = bytes.iter().position(|&b| b != 0) else {
        return 0;
    };
    let rest = u32::try_from(bytes.len() - first - 1).unwrap_or(u32::MAX / 16);
    rest * 8 + (8 - bytes[first].leading_zeros())
}

/// The `jwks_uri` of an OpenID configuration document, checked to be `https` (or `http` to a
/// loopback host).
///
/// # Errors
/// [`AuthErrorKind::KeyFetchFailed`] at `jwks_uri` when the document is not a JSON object with a
/// string `jwks_uri`, or the URL is not acceptable.
///
/// # Examples
/// ```
/// use graph_call_transfer::auth::jwks_uri;
/// let uri = jwks_uri(br#"{"issuer":"x","jwks_uri":"https://login.example/keys"}"#).unwrap();
/// assert_eq!(uri, "https://login.example/keys");
/// assert!(jwks_uri(br#"{"jwks_uri":"http://example.com/keys"}"#).is_err());
/// ```
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn jwks_uri(openid_configuration: &[u8]) -> Result<String, AuthError> {
    let config = json::object(openid_configuration)
        .map_err(|why| fetch_failed("jwks_uri", format!("not an OpenID configuration ({why})")))?;
    let uri = match json::string(&config, "jwks_uri") {
        Ok(Some(uri)) => uri.to_owned(),
        Ok(None) => {
            return Err(fetch_failed(
                "jwks_uri",
                "the OpenID configuration has no jwks_uri",
            ))
        }
        Err(why) => return Err(fetch_failed("jwks_uri", why)),
    };
    check_key_url(&uri)?;
    Ok(uri)
}

/// Checks a key or configuration URL: absolute `https`, or `http` to a loopback host, no
/// credentials, no fragment.
///
/// # Errors
/// [`AuthErrorKind::KeyFetchFailed`] at `jwks_uri` with the reason.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn check_key_url(url: &str) -> Result<(), AuthError> {
    // Byte searches: a `char` pattern links core's `CharSearcher`.
    let without_query = &url[..url.bytes().position(|b| b == b'?').unwrap_or(url.len())];
    if url.bytes().any(|b| b == b'#') {
        return Err(fetch_failed("jwks_uri", "a key URL cannot have a fragment"));
    }
    crate::request::validate::base_url(without_query)
        .map(|_| ())
        .map_err(|e| fetch_failed("jwks_uri", e.reason()))
}

#[cfg(test)]
mod tests {
    use super::significant_bits;

    #[test]
    fn counts_significant_bits() {
        assert_eq!(significant_bits(&[]), 0);
        assert_eq!(significant_bits(&[0, 0]), 0);
        assert_eq!(significant_bits(&[1]), 1);
        assert_eq!(significant_bits(&[0, 0x80, 0]), 16);
        assert_eq!(significant_bits(&[0x7f; 256]), 2047);
        assert_eq!(significant_bits(&[0xff; 256]), 2048);
    }
}
