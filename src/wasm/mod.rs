//! The thin wasm-bindgen layer: converts between JavaScript and the sans-IO core, and nothing else.
//!
//! Compiled only for `wasm32`. The exports here are the *raw* boundary; the package's JavaScript
//! entry points (`js/api.js`) wrap them with the fast byte-passing and result decoding that
//! `../shared/PERFORMANCE.md`'s measurements call for, and add the TypeScript signatures.

use js_sys::{Error as JsError, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::request;

/// Converts a core [`Error`] into a JavaScript `Error` named `GraphCallTransferError` with the
/// stable `kind`, the JSON `path` and the `reason` as properties.
pub fn to_js_error(err: &Error) -> JsValue {
    let js = JsError::new(&err.to_string());
    js.set_name("GraphCallTransferError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"kind".into(), &err.kind_name().into());
    let _ = Reflect::set(&js, &"path".into(), &err.path().into());
    let _ = Reflect::set(&js, &"reason".into(), &err.reason().into());
    js.into()
}

/// Validates a transfer request whose body the caller serialized itself.
///
/// `input` holds two UTF-8 JSON texts back to back: the head (`{callId, apiVersion, cloud,
/// baseUrl, clientRequestId}`) in its first `head_len` bytes, then the body of the chosen dialect.
/// Returns one string of newline-separated fields: method, URL, then header name and value pairs
/// (URLs and header values are validated to contain no newline). One buffer crosses in and one
/// short string crosses out, instead of objects built property by property.
#[wasm_bindgen(js_name = buildTransferRequestRaw)]
pub fn build_transfer_request_raw(input: &[u8], head_len: usize) -> Result<String, JsValue> {
    let (head, body) = input.split_at(head_len.min(input.len()));
    let (url, headers) = request::prepare(head, body).map_err(|e| to_js_error(&e))?;
    let mut out = String::with_capacity(url.len() + 96);
    out.push_str("POST\n");
    out.push_str(&url);
    for (name, value) in &headers {
        out.push('\n');
        out.push_str(name);
        out.push('\n');
        out.push_str(value);
    }
    Ok(out)
}

/// Validates a transfer target given as JSON bytes (Graph's `invitationParticipantInfo` shape);
/// throws the first problem with its path relative to the target.
#[wasm_bindgen(js_name = validateTargetRaw)]
pub fn validate_target_raw(target_json: &[u8]) -> Result<(), JsValue> {
    let text = std::str::from_utf8(target_json).map_err(|e| {
        to_js_error(&Error::new(
            crate::ErrorKind::InvalidJson {
                detail: e.to_string(),
            },
            "",
        ))
    })?;
    request::validate::transfer_target(text).map_err(|e| to_js_error(&e))
}

/// Validates a transfer request body (as a Graph simulator or proxy receives it) for
/// `api_version` (`v1.0`, `beta` or `beta-2018`); throws the first problem.
#[wasm_bindgen(js_name = validateTransferBodyRaw)]
pub fn validate_transfer_body_raw(body: &[u8], api_version: &str) -> Result<(), JsValue> {
    let version = request::ApiVersion::parse(api_version).map_err(|e| to_js_error(&e))?;
    request::validate_body(body, version).map_err(|e| to_js_error(&e))
}
mod auth;
mod simulate;
mod transport;
