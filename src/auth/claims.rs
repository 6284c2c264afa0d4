//! The registered claims a callback token is checked on.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::error::{AuthError, AuthErrorKind};
use super::token::{is_json_object, strip_position};

/// The claims of a callback token that the checks use. Other claims are ignored here; the full
/// payload is [`UnverifiedToken::payload_json`](super::UnverifiedToken::payload_json).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Claims {
    /// Issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Audience: one string or an array of strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
    /// Expiry, seconds since the Unix epoch (required by the checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<f64>,
    /// Not before, seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<f64>,
    /// Issued at, seconds since the Unix epoch (not checked; Graph's tokens have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<f64>,
    /// The Entra tenant id of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<String>,
}

impl Claims {
    /// Parses the claims from the payload JSON. Unknown claims are ignored; a known claim of the
    /// wrong type (`"exp": "soon"`), a duplicated known claim or a payload that is not a JSON
    /// object is an error.
    ///
    /// # Errors
    /// [`AuthErrorKind::Malformed`] at `payload` or `payload.<claim>`.
    pub fn from_json(json: &[u8]) -> Result<Self, AuthError> {
        if !is_json_object(json) {
            return Err(AuthError::new(
                AuthErrorKind::Malformed {
                    detail: "the payload is not a JSON object".to_owned(),
                },
                "payload",
            ));
        }
        let mut de = serde_json::Deserializer::from_slice(json);
        let claims: Self = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = crate::error::json_path(e.path());
            let detail = strip_position(e.inner());
            let path = if path.is_empty() {
                "payload".to_owned()
            } else {
                format!("payload.{path}")
            };
            AuthError::new(AuthErrorKind::Malformed { detail }, path)
        })?;
        de.end().map_err(|e| {
            AuthError::new(
                AuthErrorKind::Malformed {
                    detail: strip_position(&e),
                },
                "payload",
            )
        })?;
        Ok(claims)
    }
}

/// The `aud` claim: one string or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Audience {
    /// `"aud": "x"`.
    One(String),
    /// `"aud": ["x", "y"]`.
    Many(Vec<String>),
}

impl Audience {
    /// Whether `value` is the audience or one of them (exact, case-sensitive comparison).
    pub fn contains(&self, value: &str) -> bool {
        match self {
            Self::One(one) => one == value,
            Self::Many(many) => many.iter().any(|a| a == value),
        }
    }
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AudienceVisitor;
        impl<'de> Visitor<'de> for AudienceVisitor {
            type Value = Audience;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Audience, E> {
                Ok(Audience::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Audience, A::Error> {
                let mut all = Vec::new();
                while let Some(one) = seq.next_element::<String>()? {
                    all.push(one);
                }
                Ok(Audience::Many(all))
            }
        }
        deserializer.deserialize_any(AudienceVisitor)
    }
}
