//! Callback authentication: the sans-IO half of verifying the bearer token Graph sends with every
//! notification.
//!
//! Anyone can POST to a bot's callback URL; the `Authorization: Bearer <JWT>` header, signed RS256
//! by the calling platform, is the only proof a notification is real. Verification is split:
//!
//! 1. [`UnverifiedToken::from_authorization`] takes the token out of the header, splits and
//!    decodes it, and checks the header (`alg` must be `RS256`, a `kid` is required).
//! 2. The caller verifies [`UnverifiedToken::signature`] over
//!    [`UnverifiedToken::signing_input`] (RSASSA-PKCS1-v1_5 with SHA-256) with the key whose `kid`
//!    matches, chosen from [`read_jwks`]. In this package that is WebCrypto, in the wasm layer.
//! 3. [`UnverifiedToken::check_claims`] checks issuer, audience, expiry, not-before and tenant
//!    against a [`CallbackAuthPolicy`] at a time the caller passes in.
//!
//! No IO, no clock, no randomness.
//!
//! ```
//! use graph_call_transfer::auth::{CallbackAuthPolicy, UnverifiedToken};
//! // {"alg":"RS256","kid":"k1","cty":"JWT"} . {"iss":"https://graph.microsoft.com","aud":"app","exp":100,"tid":"t"} . sig
//! let header = "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwiY3R5IjoiSldUIn0.\
//!     eyJpc3MiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJhdWQiOiJhcHAiLCJleHAiOjEwMCwidGlkIjoidCJ9.c2ln";
//! let token = UnverifiedToken::from_authorization(header.as_bytes()).unwrap();
//! assert_eq!(token.kid(), "k1");
//! assert_eq!(token.signature(), b"sig");
//! // ... verify the signature here, then:
//! let claims = token.check_claims(&CallbackAuthPolicy::new("app"), 50.0).unwrap();
//! assert_eq!(claims.tid.as_deref(), Some("t"));
//! ```

mod base64url;
mod claims;
mod error;
mod json;
mod jwks;
mod policy;
mod token;

pub use base64url::base64url_decode;
pub use claims::{Audience, Claims};
pub use error::{AuthError, AuthErrorKind};
#[cfg(all(target_arch = "wasm32", feature = "receive"))]
pub(crate) use jwks::visit_jwks;
pub use jwks::{check_key_url, jwks_uri, read_jwks, JwkEntry, MAX_RSA_BITS, MIN_RSA_BITS};
pub use policy::{
    cloud_issuers, CallbackAuthOptions, CallbackAuthPolicy, DEFAULT_CLOCK_SKEW_SECONDS,
    GLOBAL_ISSUERS, MAX_CLOCK_SKEW_SECONDS,
};
pub use token::{bearer_token, UnverifiedToken, ALGORITHM, MAX_TOKEN_LEN};

/// Microsoft's OpenID configuration for the keys that sign Graph calling callbacks (its
/// `jwks_uri` names the key set).
pub const GRAPH_CALLBACK_OPENID_CONFIGURATION_URL: &str =
    "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";
