//! Callback authentication at the JavaScript boundary: the token checks of [`crate::auth`] as
//! plain functions. The signature itself is verified in JavaScript with WebCrypto (`js/auth.js`),
//! which browsers, Node 20 and workerd all have; the key cache lives there too.
//!
//! Stateless: JavaScript keeps the claim policy as the bytes of its JSON (checked once by
//! `authClaims` without a payload) and passes them with each token, so no wasm object needs
//! freeing (no class glue, no `FinalizationRegistry`). Few exports: each costs glue.

use wasm_bindgen::prelude::*;

use crate::auth::{self, AuthError, CallbackAuthPolicy, UnverifiedToken};

/// Converts an [`AuthError`] into a JavaScript `Error` shaped like [`super::to_js_error`]'s:
/// name `GraphCallTransferError`, with `kind`, `path` and `reason`.
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn auth_error(err: AuthError) -> JsValue {
    super::js_error(&err.to_string(), err.kind_name(), err.path(), &err.reason())
}

/// The claim policy from `CallbackAuthOptions` as UTF-8 JSON bytes.
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn policy(options_json: &[u8]) -> Result<CallbackAuthPolicy, JsValue> {
    CallbackAuthPolicy::from_json(options_json).map_err(|e| super::to_js_error(&e))
}

/// Takes the token out of an `Authorization` header value (UTF-8 bytes), splits and decodes it
/// and checks its header. Returns one buffer: the byte lengths of the kid, the signature and the
/// signing input (three little-endian `u32`), then the kid, the signature, the signing input and
/// the decoded payload (the rest). Throws `missingToken`, `malformed` or `unsupportedAlgorithm`.
#[wasm_bindgen(js_name = authOpen)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn auth_open(authorization: &[u8]) -> Result<Vec<u8>, JsValue> {
    let token = UnverifiedToken::from_authorization(authorization).map_err(auth_error)?;
    let (kid, signature, signing_input, payload) = (
        token.kid().as_bytes(),
        token.signature(),
        token.signing_input(),
        token.payload_json(),
    );
    // A token is at most 16 KiB, so every length fits in a u32.
    let mut out =
        Vec::with_capacity(12 + kid.len() + signature.len() + signing_input.len() + payload.len());
    out.extend_from_slice(&(kid.len() as u32).to_le_bytes());
    out.extend_from_slice(&(signature.len() as u32).to_le_bytes());
    out.extend_from_slice(&(signing_input.len() as u32).to_le_bytes());
    out.extend_from_slice(kid);
    out.extend_from_slice(signature);
    out.extend_from_slice(signing_input);
    out.extend_from_slice(payload);
    Ok(out)
}

/// Checks the claims (the decoded payload `authOpen` returned) against the policy
/// (`CallbackAuthOptions` as UTF-8 JSON bytes) at `now` (seconds since the Unix epoch). Call only
/// after the signature verified. Without a payload, only checks the policy (throwing its option
/// errors): that is done once per options object.
#[wasm_bindgen(js_name = authClaims)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn auth_claims(
    options_json: &[u8],
    payload_json: Option<Box<[u8]>>,
    now: f64,
) -> Result<(), JsValue> {
    let policy = policy(options_json)?;
    let Some(payload_json) = payload_json else {
        return Ok(());
    };
    let claims = auth::Claims::from_json(&payload_json).map_err(auth_error)?;
    policy.check(&claims, now).map_err(auth_error)
}

/// The key documents and URLs, one export for three questions (`what`), each throwing
/// `keyFetchFailed`:
/// - 0: reads a JWKS (UTF-8 JSON `bytes`) and returns a JSON array of four strings per key with a
///   `kid`: the kid, `n`, `e` and an empty string for a usable key; the kid, two empty strings
///   and why for an unusable one (usable keys first);
/// - 1: returns the checked `jwks_uri` of an OpenID configuration (UTF-8 JSON `bytes`);
/// - 2: checks a key or configuration URL (UTF-8 `bytes`: `https`, or `http` to a loopback
///   host) and returns an empty string.
#[wasm_bindgen(js_name = authKeys)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn auth_keys(what: u8, bytes: &[u8]) -> Result<String, JsValue> {
    match what {
        0 => read_jwks(bytes),
        1 => auth::jwks_uri(bytes),
        _ => auth::check_key_url(&String::from_utf8_lossy(bytes)).map(|()| String::new()),
    }
    .map_err(auth_error)
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn read_jwks(jwks_json: &[u8]) -> Result<String, AuthError> {
    // Written as read, without `JwkEntry`s: usable keys into `out`, the others after them.
    let mut out = String::from("[");
    let mut unusable = String::new();
    auth::visit_jwks(jwks_json, |kid, check| {
        let (to, fields) = match &check {
            Ok((n, e)) => (&mut out, [kid, n, e, ""]),
            Err(why) => (&mut unusable, [kid, "", "", why.as_str()]),
        };
        for field in fields {
            to.push(',');
            crate::json::push_json_string(to, field);
        }
    })?;
    out.push_str(&unusable);
    out.push(']');
    // Every entry starts with a comma: drop the first.
    if out.len() > 2 {
        out.remove(1);
    }
    Ok(out)
}
