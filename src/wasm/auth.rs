//! Callback authentication at the JavaScript boundary: the token checks of [`crate::auth`] as a
//! reusable `CallbackTokenChecker`. The signature itself is verified in JavaScript with WebCrypto
//! (`js/auth.js`), which browsers, Node 20 and workerd all have; the key cache lives there too.

use wasm_bindgen::prelude::*;

use crate::auth::{self, AuthError, AuthErrorKind, CallbackAuthPolicy, UnverifiedToken};

/// Converts an [`AuthError`] into a JavaScript `Error` shaped like [`super::to_js_error`]'s:
/// name `GraphCallTransferError`, with `kind`, `path` and `reason`.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn auth_error(err: &AuthError) -> JsValue {
    super::js_error(&err.to_string(), err.kind_name(), err.path(), &err.reason())
}

/// The claim policy, built once from the JSON options (`CallbackAuthOptions`) and reused.
///
/// Internal to `js/auth.js`, so left out of the generated TypeScript (whose `Symbol.dispose`
/// members would need the `esnext` lib in users' projects).
#[wasm_bindgen(js_name = CallbackTokenChecker, skip_typescript)]
pub struct CallbackTokenChecker {
    policy: CallbackAuthPolicy,
}

#[wasm_bindgen(js_class = CallbackTokenChecker)]
impl CallbackTokenChecker {
    /// Builds the checker from `CallbackAuthOptions` as UTF-8 JSON bytes.
    #[wasm_bindgen(constructor)]
    #[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
    pub fn new(options_json: &[u8]) -> Result<CallbackTokenChecker, JsValue> {
        let policy =
            CallbackAuthPolicy::from_json(options_json).map_err(|e| super::to_js_error(&e))?;
        Ok(Self { policy })
    }

    /// Takes the token out of an `Authorization` header value (UTF-8 bytes), splits and decodes
    /// it and checks its header. Throws `missingToken`, `malformed` or `unsupportedAlgorithm`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn open(&self, authorization: &[u8]) -> Result<OpenedCallbackToken, JsValue> {
        UnverifiedToken::from_authorization(authorization)
            .map(|token| OpenedCallbackToken { token })
            .map_err(|e| auth_error(&e))
    }
}

/// A token whose header has been checked, waiting for its signature to be verified.
#[wasm_bindgen(js_name = OpenedCallbackToken, skip_typescript)]
pub struct OpenedCallbackToken {
    token: UnverifiedToken,
}

#[wasm_bindgen(js_class = OpenedCallbackToken)]
impl OpenedCallbackToken {
    /// The header's `kid`.
    #[wasm_bindgen(getter)]
    #[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
    pub fn kid(&self) -> String {
        self.token.kid().to_owned()
    }

    /// The signed bytes (`header.payload` as sent).
    #[wasm_bindgen(getter, js_name = signingInput)]
    #[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
    pub fn signing_input(&self) -> Vec<u8> {
        self.token.signing_input().to_vec()
    }

    /// The decoded signature.
    #[wasm_bindgen(getter)]
    #[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
    pub fn signature(&self) -> Vec<u8> {
        self.token.signature().to_vec()
    }

    /// Checks the claims at `now` (seconds since the Unix epoch) and returns the payload JSON
    /// text. Call only after the signature verified.
    #[wasm_bindgen(js_name = checkClaims)]
    #[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
    pub fn check_claims(
        &self,
        checker: &CallbackTokenChecker,
        now: f64,
    ) -> Result<String, JsValue> {
        self.token
            .check_claims(&checker.policy, now)
            .map_err(|e| auth_error(&e))?;
        String::from_utf8(self.token.payload_json().to_vec()).map_err(|_| {
            auth_error(&AuthError::new(
                AuthErrorKind::Malformed {
                    detail: "the payload is not UTF-8".to_owned(),
                },
                "payload",
            ))
        })
    }
}

/// Reads a JWKS (UTF-8 JSON bytes) and returns four strings per key with a `kid`: the kid, `n`,
/// `e` and an empty string for a usable key; the kid, two empty strings and why for an unusable
/// one (usable keys first). A flat string array crosses the boundary without a JSON encoder.
/// Throws `keyFetchFailed` when it is not a JWKS.
#[wasm_bindgen(js_name = readJwksRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn read_jwks_raw(jwks_json: &[u8]) -> Result<Vec<String>, JsValue> {
    let entries = auth::read_jwks(jwks_json).map_err(|e| auth_error(&e))?;
    let mut out = Vec::with_capacity(entries.len() * 4);
    for entry in entries {
        out.push(entry.kid);
        out.push(entry.n.unwrap_or_default());
        out.push(entry.e.unwrap_or_default());
        out.push(entry.unusable.unwrap_or_default());
    }
    Ok(out)
}

/// The checked `jwks_uri` of an OpenID configuration (UTF-8 JSON bytes). Throws
/// `keyFetchFailed`.
#[wasm_bindgen(js_name = jwksUriRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn jwks_uri_raw(configuration_json: &[u8]) -> Result<String, JsValue> {
    auth::jwks_uri(configuration_json).map_err(|e| auth_error(&e))
}

/// Checks a key or configuration URL (`https`, or `http` to a loopback host). Throws
/// `keyFetchFailed`.
#[wasm_bindgen(js_name = checkKeyUrlRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn check_key_url_raw(url: &str) -> Result<(), JsValue> {
    auth::check_key_url(url).map_err(|e| auth_error(&e))
}
