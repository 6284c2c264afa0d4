//! The wasm exports of the send side's request builder: `buildTransferRequest`'s raw boundary
//! (the fast buffered path and the JSON fallback), the target helpers' validation and
//! `parseTransferBody`. Compiled with the `send` feature.

use wasm_bindgen::prelude::*;

use super::to_js_error;
use crate::error::Error;
use crate::request;

/// Validates a transfer request whose body the caller serialized itself.
///
/// `input` holds two UTF-8 JSON texts back to back: the head (`{callId, apiVersion, cloud,
/// baseUrl, clientRequestId}`) in its first `head_len` bytes, then the body of the chosen dialect.
/// Returns one string of newline-separated fields: method, URL, then header name and value pairs
/// (URLs and header values are validated to contain no newline). One buffer crosses in and one
/// short string crosses out, instead of objects built property by property.
#[wasm_bindgen(js_name = buildTransferRequestRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
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

// The fast path of `buildTransferRequest` validates a request and returns nothing. JavaScript
// writes one UTF-8 text (a single `TextEncoder.encodeInto`) straight into this reusable buffer in
// wasm memory: the head strings `callId`, `apiVersion`, `cloud`, `baseUrl` and `clientRequestId`
// back to back, then the body. See `check_transfer_request_buffered_raw`.
thread_local! {
    /// A reusable input buffer in wasm memory that JavaScript writes into directly
    /// (`inputBufferRaw`), so that the hot path neither allocates nor copies.
    static INPUT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Makes the reusable input buffer at least `len` bytes long and returns its address in wasm
/// memory (valid until the next call of this function). See [`check_transfer_request_buffered_raw`].
#[wasm_bindgen(js_name = inputBufferRaw)]
pub fn input_buffer_raw(len: usize) -> usize {
    INPUT.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        if buffer.len() < len {
            buffer.resize(len, 0);
        }
        buffer.as_ptr() as usize
    })
}

/// Validates the request in the first `len` bytes of the input buffer (written by JavaScript at
/// the address [`input_buffer_raw`] returned). Each head argument is that string's length in
/// UTF-16 code units (JavaScript's `length`), or a negative number when the option is absent.
/// The body after the head strings is compact JSON: `JSON.stringify`'s output when `strings` is
/// negative; otherwise JSON that JavaScript wrote with `strings` strings put between quotes
/// without escapes, which is used only when [`request::no_escapes_needed`] says that it is what
/// `JSON.stringify` would have written. Either way the core's quick pass for compact JSON applies
/// ([`request::check_compact`]).
///
/// Returns 0 when the request is valid, 1 after keeping the error for [`throw_request_error_raw`]
/// when it is not (a plain number crosses the boundary without the array a `Result` would
/// allocate in JavaScript), and 2 when the unescaped body needed escapes (JavaScript then uses
/// `JSON.stringify`). Nothing is allocated on success; the URL comes from
/// [`transfer_url_parts_raw`], which JavaScript calls once per base URL and dialect.
#[wasm_bindgen(js_name = checkTransferRequestBufferedRaw)]
#[allow(clippy::too_many_arguments)]
pub fn check_transfer_request_buffered_raw(
    len: usize,
    strings: i32,
    call_id: i32,
    api_version: i32,
    cloud: i32,
    base_url: i32,
    client_request_id: i32,
) -> u32 {
    let result = INPUT.with(|buffer| {
        let buffer = buffer.borrow();
        let input = buffer.get(..len).unwrap_or(&buffer[..]);
        let lengths = [call_id, api_version, cloud, base_url, client_request_id]
            .map(|n| usize::try_from(n).ok());
        let (head, body) = request::HeadOptions::from_utf16_lengths(input, lengths)?;
        if let Ok(strings) = usize::try_from(strings) {
            if !request::no_escapes_needed(body, strings) {
                return Ok(false);
            }
        }
        request::check_compact(&head, body).map(|()| true)
    });
    match result {
        Ok(true) => 0,
        Ok(false) => 2,
        Err(error) => {
            REQUEST_ERROR.with(|slot| *slot.borrow_mut() = Some(error));
            1
        }
    }
}

thread_local! {
    /// The error of the last failed [`check_transfer_request_buffered_raw`].
    static REQUEST_ERROR: std::cell::RefCell<Option<Error>> = const { std::cell::RefCell::new(None) };
}

/// Throws the error of the last [`check_transfer_request_buffered_raw`] that returned 1, as a
/// JavaScript `GraphCallTransferError` (and returns when there is none: it is taken, so it is
/// thrown once).
#[wasm_bindgen(js_name = throwRequestErrorRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn throw_request_error_raw() -> Result<(), JsValue> {
    match REQUEST_ERROR.with(|slot| slot.borrow_mut().take()) {
        Some(error) => Err(to_js_error(&error)),
        None => Ok(()),
    }
}

/// The URL of a transfer in two parts around the call id, `before` and `after` joined by a
/// newline, for `apiVersion`, `cloud` and `baseUrl` given as in [`check_transfer_request_buffered_raw`]
/// (`input` holds only those three strings). Throws what the head's validation throws.
#[wasm_bindgen(js_name = transferUrlPartsRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn transfer_url_parts_raw(
    input: &[u8],
    api_version: i32,
    cloud: i32,
    base_url: i32,
) -> Result<String, JsValue> {
    let lengths = [0, api_version, cloud, base_url, -1].map(|n| usize::try_from(n).ok());
    let (mut head, _) =
        request::HeadOptions::from_utf16_lengths(input, lengths).map_err(|e| to_js_error(&e))?;
    // Any valid call id: the parts do not depend on it.
    head.call_id = Some("c");
    let (mut before, after) = head.url_parts().map_err(|e| to_js_error(&e))?;
    before.push('\n');
    before.push_str(after);
    Ok(before)
}

/// Validates a transfer target given as JSON bytes (Graph's `invitationParticipantInfo` shape);
/// throws the first problem with its path relative to the target.
#[wasm_bindgen(js_name = validateTargetRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn validate_target_raw(target_json: &[u8]) -> Result<(), JsValue> {
    let text = std::str::from_utf8(target_json).map_err(|e| {
        to_js_error(&Error::new(
            crate::ErrorKind::InvalidJson {
                detail: crate::json::utf8_error_text("", &e),
            },
            "",
        ))
    })?;
    request::validate::transfer_target(text).map_err(|e| to_js_error(&e))
}

/// Validates a transfer request body (as a Graph simulator or proxy receives it): `input` holds
/// the API version (`v1.0`, `beta` or `beta-2018`) in its first `version_len` bytes, then the
/// body; throws the first problem.
#[wasm_bindgen(js_name = validateTransferBodyRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn validate_transfer_body_raw(input: &[u8], version_len: usize) -> Result<(), JsValue> {
    let (version, body) = input.split_at(version_len.min(input.len()));
    let version = request::ApiVersion::parse(std::str::from_utf8(version).unwrap_or_default())
        .map_err(|e| to_js_error(&e))?;
    request::validate_body(body, version).map_err(|e| to_js_error(&e))
}
