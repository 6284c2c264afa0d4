//! The error type of callback authentication: what went wrong ([`AuthErrorKind`]), where (a path
//! such as `header.alg` or `payload.exp`) and why.

use std::fmt;

/// Why a callback token was refused.
///
/// Shaped like [`crate::Error`]: a [`kind`](Self::kind) with a stable camelCase
/// [`name`](AuthErrorKind::name) (JavaScript's `error.kind`), plus the [`path`](Self::path) of the
/// offending part of the token (`header.kid`, `payload.aud`, ...; empty for the whole token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    kind: AuthErrorKind,
    path: String,
}

impl AuthError {
    /// Creates an error of `kind` at `path` (empty for the whole token).
    #[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
    pub fn new(kind: AuthErrorKind, path: impl Into<String>) -> Self {
        Self {
            kind,
            path: path.into(),
        }
    }

    /// What went wrong.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn kind(&self) -> &AuthErrorKind {
        &self.kind
    }

    /// Where: `authorization`, `header.<name>`, `payload.<claim>`, `signature`, `keys`, or empty.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Splits the error into its kind and path.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn into_parts(self) -> (AuthErrorKind, String) {
        (self.kind, self.path)
    }

    /// The stable camelCase name of the kind, as JavaScript sees it in `error.kind`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn kind_name(&self) -> &'static str {
        self.kind.name()
    }

    /// Why, without the path.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn reason(&self) -> String {
        self.kind.to_string()
    }
}

impl fmt::Display for AuthError {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            fmt::Display::fmt(&self.kind, f)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

impl std::error::Error for AuthError {}

/// What was wrong with a callback token. The names are the `kind`s JavaScript sees.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// No `Authorization: Bearer <token>` header (absent, empty, or another scheme).
    MissingToken,
    /// Not a compact JWS: wrong number of parts, bad base64url, bad JSON, a claim of the wrong
    /// type, a missing `exp` or `kid`, or a `crit` header.
    Malformed {
        /// What is wrong.
        detail: String,
    },
    /// The header's `alg` is not `RS256` (`none`, `HS256`, `PS256`, ...).
    UnsupportedAlgorithm {
        /// The algorithm the token names.
        alg: String,
    },
    /// No usable key has the token's `kid` (even after a refetch), or the key with that `kid` is
    /// not usable (not RSA, `use` other than `sig`, shorter than 2048 bits, ...).
    UnknownKey {
        /// Why, with the `kid`.
        detail: String,
    },
    /// The RS256 signature does not verify with the key named by `kid`.
    BadSignature,
    /// `exp` (plus the clock skew) is in the past.
    Expired {
        /// The token's `exp`, in seconds since the Unix epoch.
        exp: i64,
        /// The verifier's clock, in seconds since the Unix epoch.
        now: i64,
    },
    /// `nbf` (minus the clock skew) is in the future.
    NotYetValid {
        /// The token's `nbf`, in seconds since the Unix epoch.
        nbf: i64,
        /// The verifier's clock, in seconds since the Unix epoch.
        now: i64,
    },
    /// `aud` is absent or does not contain the bot's app id.
    WrongAudience,
    /// `iss` is absent or not one of the allowed issuers.
    WrongIssuer,
    /// `tid` is absent, `null` or empty.
    MissingTenant,
    /// `tid` is not in the allowed tenant list.
    TenantNotAllowed,
    /// The key set could not be fetched or is not a JWKS (or an OpenID configuration with a usable
    /// `jwks_uri`).
    KeyFetchFailed {
        /// Why.
        detail: String,
    },
}

impl AuthErrorKind {
    /// The stable camelCase name of this kind (`error.kind` in JavaScript).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn name(&self) -> &'static str {
        match self {
            Self::MissingToken => "missingToken",
            Self::Malformed { .. } => "malformed",
            Self::UnsupportedAlgorithm { .. } => "unsupportedAlgorithm",
            Self::UnknownKey { .. } => "unknownKey",
            Self::BadSignature => "badSignature",
            Self::Expired { .. } => "expired",
            Self::NotYetValid { .. } => "notYetValid",
            Self::WrongAudience => "wrongAudience",
            Self::WrongIssuer => "wrongIssuer",
            Self::MissingTenant => "missingTenant",
            Self::TenantNotAllowed => "tenantNotAllowed",
            Self::KeyFetchFailed { .. } => "keyFetchFailed",
        }
    }
}

impl fmt::Display for AuthErrorKind {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingToken => f.write_str(
                "no bearer token: expected an Authorization header of the form \"Bearer <jwt>\"",
            ),
            Self::Malformed { detail } => write!(f, "malformed token: {detail}"),
            Self::UnsupportedAlgorithm { alg } => {
                write!(
                    f,
                    "algorithm {} is not accepted; only RS256 is",
                    crate::error::Quoted(alg)
                )
            }
            Self::UnknownKey { detail } => f.write_str(detail),
            Self::BadSignature => f.write_str("the RS256 signature does not verify"),
            Self::Expired { exp, now } => write!(
                f,
                "the token expired at {exp} (now {now}, beyond the allowed clock skew)"
            ),
            Self::NotYetValid { nbf, now } => write!(
                f,
                "the token is not valid before {nbf} (now {now}, beyond the allowed clock skew)"
            ),
            Self::WrongAudience => f.write_str("the audience is not the bot's app id"),
            Self::WrongIssuer => f.write_str("the issuer is not one of the allowed issuers"),
            Self::MissingTenant => f.write_str("the tenant id (tid) is missing or empty"),
            Self::TenantNotAllowed => f.write_str("the tenant is not in the allowed tenant list"),
            Self::KeyFetchFailed { detail } => {
                write!(f, "could not get the signing keys: {detail}")
            }
        }
    }
}
