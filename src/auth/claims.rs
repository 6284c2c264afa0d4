//! The registered claims a callback token is checked on.

use super::error::{AuthError, AuthErrorKind};
use super::json::{self, Json};

/// The claims of a callback token that the checks use. Other claims are ignored here; the full
/// payload is [`UnverifiedToken::payload_json`](super::UnverifiedToken::payload_json).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claims {
    /// Issuer.
    pub iss: Option<String>,
    /// Audience: one string or an array of strings.
    pub aud: Option<Audience>,
    /// Expiry, seconds since the Unix epoch (required by the checks).
    pub exp: Option<f64>,
    /// Not before, seconds since the Unix epoch.
    pub nbf: Option<f64>,
    /// Issued at, seconds since the Unix epoch (not checked; Graph's tokens have none).
    pub iat: Option<f64>,
    /// The Entra tenant id of the call.
    pub tid: Option<String>,
}

#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn malformed(path: &str, detail: &str) -> AuthError {
    AuthError::new(
        AuthErrorKind::Malformed {
            detail: detail.to_owned(),
        },
        path,
    )
}

#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn string(map: &json::Object<'_>, name: &str, path: &str) -> Result<Option<String>, AuthError> {
    json::string(map, name)
        .map(|s| s.map(str::to_owned))
        .map_err(|why| malformed(path, why))
}

#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn number(map: &json::Object<'_>, name: &str, path: &str) -> Result<Option<f64>, AuthError> {
    json::number(map, name).map_err(|why| malformed(path, why))
}

impl Claims {
    /// Parses the claims from the payload JSON. Unknown claims are ignored; a known claim of the
    /// wrong type (`"exp": "soon"`) or a payload that is not a JSON object is an error. A claim
    /// given twice takes its last value (RFC 7519 section 4 allows it).
    ///
    /// # Errors
    /// [`AuthErrorKind::Malformed`] at `payload` or `payload.<claim>`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn from_json(json: &[u8]) -> Result<Self, AuthError> {
        let map = json::object(json).map_err(|why| malformed("payload", &why))?;
        let aud = match map.get("aud") {
            None | Some(Json::Null) => None,
            Some(Json::String(one)) => Some(Audience::One(one.as_ref().to_owned())),
            Some(Json::Array(many)) => {
                let mut all = Vec::with_capacity(many.len());
                for item in many {
                    match item {
                        Json::String(s) => all.push(s.as_ref().to_owned()),
                        _ => {
                            return Err(malformed(
                                "payload.aud",
                                "wrong type: expected a string or an array of strings",
                            ))
                        }
                    }
                }
                Some(Audience::Many(all))
            }
            Some(_) => {
                return Err(malformed(
                    "payload.aud",
                    "wrong type: expected a string or an array of strings",
                ))
            }
        };
        Ok(Self {
            iss: string(&map, "iss", "payload.iss")?,
            aud,
            exp: number(&map, "exp", "payload.exp")?,
            nbf: number(&map, "nbf", "payload.nbf")?,
            iat: number(&map, "iat", "payload.iat")?,
            tid: string(&map, "tid", "payload.tid")?,
        })
    }
}

/// The `aud` claim: one string or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// `"aud": "x"`.
    One(String),
    /// `"aud": ["x", "y"]`.
    Many(Vec<String>),
}

impl Audience {
    /// Whether `value` is the audience or one of them (exact, case-sensitive comparison).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn contains(&self, value: &str) -> bool {
        match self {
            Self::One(one) => one == value,
            Self::Many(many) => many.iter().any(|a| a == value),
        }
    }
}
