//! Splitting and decoding a compact JWS, and the header checks.

use super::base64url::base64url_decode;
use super::claims::Claims;
use super::error::{AuthError, AuthErrorKind};
use super::json;
use super::policy::CallbackAuthPolicy;

/// The longest token accepted, in bytes. Real Graph callback tokens are about 1.5 KB.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The only accepted signature algorithm.
pub const ALGORITHM: &str = "RS256";

#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn malformed(path: &str, detail: impl Into<String>) -> AuthError {
    AuthError::new(
        AuthErrorKind::Malformed {
            detail: detail.into(),
        },
        path,
    )
}

/// Extracts the token from an `Authorization` header value: the scheme `Bearer` (any case), one
/// or more spaces, then the token. Surrounding whitespace is ignored.
///
/// # Errors
/// [`AuthErrorKind::MissingToken`] when the value is empty, uses another scheme (`Basic ...`) or
/// has no token after `Bearer`.
///
/// # Examples
/// ```
/// use graph_call_transfer::auth::bearer_token;
/// assert_eq!(bearer_token(b"Bearer abc.def.ghi").unwrap(), b"abc.def.ghi");
/// assert_eq!(bearer_token(b"  bearer   abc ").unwrap(), b"abc");
/// assert_eq!(bearer_token(b"Basic dXNlcjpwYXNz").unwrap_err().kind_name(), "missingToken");
/// ```
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn bearer_token(authorization: &[u8]) -> Result<&[u8], AuthError> {
    let missing = || AuthError::new(AuthErrorKind::MissingToken, "authorization");
    let value = authorization.trim_ascii();
    if value.len() < 7 || !value[..6].eq_ignore_ascii_case(b"bearer") || value[6] != b' ' {
        return Err(missing());
    }
    let token = value[7..].trim_ascii_start();
    if token.is_empty() {
        return Err(missing());
    }
    Ok(token)
}

/// A compact JWS that has been split, decoded and had its header checked, but whose signature is
/// **not yet verified**: verify [`signature`](Self::signature) over
/// [`signing_input`](Self::signing_input) with the RSA key named by [`kid`](Self::kid)
/// (RSASSA-PKCS1-v1_5, SHA-256) before calling [`check_claims`](Self::check_claims).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnverifiedToken {
    signing_input: Vec<u8>,
    kid: String,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

impl UnverifiedToken {
    /// Takes the token out of an `Authorization` header value and [parses](Self::parse) it.
    ///
    /// # Errors
    /// As [`bearer_token`] and [`parse`](Self::parse).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn from_authorization(authorization: &[u8]) -> Result<Self, AuthError> {
        Self::parse(bearer_token(authorization)?)
    }

    /// Splits a compact JWS (`header.payload.signature`), decodes the parts and checks the
    /// header: `alg` must be `RS256`, `kid` a string, and there must be no `crit`. A `cty` (Graph
    /// sends a stray `cty: "JWT"`), `typ` and other header fields are ignored; `jku`, `jwk`,
    /// `x5u` and `x5c` are never used to find a key.
    ///
    /// # Errors
    /// [`AuthErrorKind::Malformed`] (paths `""`, `header`, `header.alg`, `header.kid`, `header.crit`,
    /// `payload`, `signature`) and [`AuthErrorKind::UnsupportedAlgorithm`] (path `header.alg`).
    ///
    /// # Examples
    /// ```
    /// use graph_call_transfer::auth::UnverifiedToken;
    /// // {"alg":"none"}.{}.
    /// let err = UnverifiedToken::parse(b"eyJhbGciOiJub25lIn0.e30.").unwrap_err();
    /// assert_eq!(err.kind_name(), "unsupportedAlgorithm");
    /// ```
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn parse(token: &[u8]) -> Result<Self, AuthError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(malformed("", "longer than 16384 bytes"));
        }
        let mut parts = token.splitn(4, |&b| b == b'.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed(
                "",
                "expected three base64url parts separated by '.'",
            ));
        };
        let header_json =
            base64url_decode(header).map_err(|why| malformed("header", why.to_owned()))?;
        let header = json::object(&header_json).map_err(|why| malformed("header", why))?;
        match json::string(&header, "alg") {
            Ok(Some(ALGORITHM)) => {}
            Ok(Some(other)) => {
                return Err(AuthError::new(
                    AuthErrorKind::UnsupportedAlgorithm {
                        alg: other.to_owned(),
                    },
                    "header.alg",
                ))
            }
            Ok(None) => return Err(malformed("header.alg", "the header has no alg")),
            Err(why) => return Err(malformed("header.alg", why)),
        }
        if header.get("crit").is_some() {
            return Err(malformed(
                "header.crit",
                "names critical extensions this verifier does not implement",
            ));
        }
        let kid = match json::string(&header, "kid") {
            Ok(Some(kid)) => kid.to_owned(),
            Ok(None) => return Err(malformed("header.kid", "the header has no kid")),
            Err(why) => return Err(malformed("header.kid", why)),
        };
        let payload =
            base64url_decode(payload).map_err(|why| malformed("payload", why.to_owned()))?;
        let signature =
            base64url_decode(signature).map_err(|why| malformed("signature", why.to_owned()))?;
        if signature.is_empty() {
            return Err(malformed("signature", "the signature is empty"));
        }
        let signing_input = token[..token.len() - 1 - signature_len(token)].to_vec();
        Ok(Self {
            signing_input,
            kid,
            payload,
            signature,
        })
    }

    /// The key id from the header.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The bytes the signature covers: `base64url(header) "." base64url(payload)`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn signing_input(&self) -> &[u8] {
        &self.signing_input
    }

    /// The decoded signature.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The decoded payload (the claims as JSON, not yet parsed).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn payload_json(&self) -> &[u8] {
        &self.payload
    }

    /// Parses the claims and checks them against `policy` at `now` (seconds since the Unix
    /// epoch). Call it only after the signature has been verified.
    ///
    /// # Errors
    /// As [`Claims::from_json`] and [`CallbackAuthPolicy::check`].
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn check_claims(&self, policy: &CallbackAuthPolicy, now: f64) -> Result<Claims, AuthError> {
        let claims = Claims::from_json(&self.payload)?;
        policy.check(&claims, now)?;
        Ok(claims)
    }
}

/// The length of the last `.`-separated part (the base64url signature).
#[cfg_attr(gct_opt_attr, optimize(size))]
fn signature_len(token: &[u8]) -> usize {
    token.iter().rev().take_while(|&&b| b != b'.').count()
}
