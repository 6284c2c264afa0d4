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

/// Builds a transfer request from JSON options given as UTF-8 bytes.
///
/// Returns one string of newline-separated fields: method, URL, then header name and value pairs,
/// then the body as the last field (compact JSON never contains a raw newline, and URLs and
/// header values are validated to contain none). One string crosses the boundary instead of an
/// object built property by property.
#[wasm_bindgen(js_name = buildTransferRequestRaw)]
pub fn build_transfer_request_raw(options_json: &[u8]) -> Result<String, JsValue> {
    let request = request::build_from_json(options_json).map_err(|e| to_js_error(&e))?;
    let mut out = String::with_capacity(request.url.len() + request.body.len() + 64);
    out.push_str(request.method);
    out.push('\n');
    out.push_str(&request.url);
    for (name, value) in &request.headers {
        out.push('\n');
        out.push_str(name);
        out.push('\n');
        out.push_str(value);
    }
    out.push('\n');
    out.push_str(&request.body);
    Ok(out)
}

/// Validates a transfer target given as JSON bytes (Graph's `invitationParticipantInfo` shape);
/// throws the first problem with its path relative to the target.
#[wasm_bindgen(js_name = validateTargetRaw)]
pub fn validate_target_raw(target_json: &[u8]) -> Result<(), JsValue> {
    let mut de = serde_json::Deserializer::from_slice(target_json);
    let target: crate::InvitationParticipantInfo = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| to_js_error(&crate::error::from_serde(e)))?;
    request::validate::transfer_target(&target).map_err(|e| to_js_error(&e))
}

/// Parses and validates a transfer request body (as a Graph simulator or proxy receives it) for
/// `api_version` (`v1.0`, `beta` or `beta-2018`). Returns the body as compact JSON text.
#[wasm_bindgen(js_name = parseTransferBodyRaw)]
pub fn parse_transfer_body_raw(body: &[u8], api_version: &str) -> Result<String, JsValue> {
    let version = request::ApiVersion::parse(api_version).map_err(|e| to_js_error(&e))?;
    let parsed = request::TransferBody::parse(body, version).map_err(|e| to_js_error(&e))?;
    serde_json::to_string(&parsed).map_err(|e| {
        to_js_error(&Error::new(
            crate::ErrorKind::InvalidType {
                detail: e.to_string(),
            },
            "",
        ))
    })
}
pub mod notify;
