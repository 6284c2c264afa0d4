//! Interpreting Graph's answer to a transfer: success, or a typed [`GraphError`].
//!
//! Sans-IO: the caller hands over the status, the headers and the body bytes it received, plus the
//! current time (only used to turn a `Retry-After` HTTP date into a delay). Nothing here sends,
//! sleeps or reads a clock.
//!
//! ```
//! use graph_call_transfer::response::{parse_transfer_response, TransferResponse};
//!
//! let body = br#"{"error":{"code":"itemNotFound","message":"Call not found",
//!     "innerError":{"date":"2026-11-27T12:00:00","request-id":"r-1","client-request-id":"c-1"}}}"#;
//! let response = parse_transfer_response(404, [("content-type", "application/json")], body, 0);
//! let TransferResponse::Failed(error) = response else { panic!("a 404 is an error") };
//! assert_eq!(error.code, "itemNotFound");
//! assert_eq!(error.request_id.as_deref(), Some("r-1"));
//!
//! let accepted = parse_transfer_response(202, [("request-id", "r-2")], b"", 0);
//! assert!(matches!(accepted, TransferResponse::Accepted(ok) if ok.request_id.as_deref() == Some("r-2")));
//! ```

mod http_date;

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

pub use http_date::{parse_http_date, parse_retry_after, RETRY_AFTER_MAX_SECS};

use crate::model::CommsOperation;

/// The most characters of a non-JSON error body quoted in [`GraphError::message`].
pub const BODY_EXCERPT_MAX_CHARS: usize = 200;

/// How Graph answered a transfer request.
#[derive(Debug, Clone, PartialEq)]
pub enum TransferResponse {
    /// `202 Accepted` (v1.0 and beta today), or `200 OK` with a `commsOperation` (the 2018 beta).
    Accepted(TransferAccepted),
    /// Anything else.
    Failed(GraphError),
}

/// A transfer Graph accepted. The transfer itself then proceeds asynchronously and its outcome
/// arrives as notifications on the bot's callback URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferAccepted {
    /// The HTTP status: 202, or 200 for the 2018 beta.
    pub status: u16,
    /// The operation Graph returned (the 2018 beta always, today's API never so far); always
    /// `None` from [`summarize_transfer_response`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<CommsOperation>,
    /// The `request-id` response header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The `client-request-id` response header (Graph echoes the one sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
}

/// An error answer from Graph (or from something in front of it, such as a gateway that sent an
/// HTML page), with what Graph's error body and headers said.
///
/// Graph's error body is `{"error":{"code","message","innerError":{"date","request-id",
/// "client-request-id"}}}`; both `innerError` and `innererror` are accepted. Fields missing from
/// the body fall back to the response headers (`request-id`, `client-request-id`, `Date`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphError {
    /// The HTTP status.
    pub status: u16,
    /// Graph's error code (such as `itemNotFound`, `InvalidAuthenticationToken`), or, when the body
    /// carries none, a camelCase name of the status (`badGateway`, `http418`).
    pub code: String,
    /// Graph's message, or a description of the status and of the body that came instead.
    pub message: String,
    /// The request id (`innerError["request-id"]` or the `request-id` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The client request id (`innerError["client-request-id"]` or the header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    /// When Graph handled the request (`innerError.date`, or the `Date` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The delay `Retry-After` asked for, in milliseconds, when the header was present and valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
    /// The `innerError` object as Graph sent it (it may hold more than the fields above).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner_error: Option<Map<String, Value>>,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "graph answered {} {}: {}",
            self.status, self.code, self.message
        )
    }
}

impl std::error::Error for GraphError {}

/// Interprets Graph's answer to a transfer request.
///
/// `headers` are name/value pairs (names compared case-insensitively), `body` the raw body bytes
/// (empty when there was none), `now_ms` the current time in milliseconds since the Unix epoch
/// (used only for a `Retry-After` given as an HTTP date).
///
/// Success is `202`, or `200` whose body is a `commsOperation` (see [`is_comms_operation`]).
/// Everything else, including a `200` or `204` without an operation, is a [`GraphError`]: a
/// non-JSON or empty body still gives a code named after the status and a message quoting the
/// start of the body (an HTML page's `<title>`).
pub fn parse_transfer_response<'a, I>(
    status: u16,
    headers: I,
    body: &[u8],
    now_ms: u64,
) -> TransferResponse
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut response = summarize_transfer_response(status, headers, body, now_ms);
    if let TransferResponse::Accepted(ok) = &mut response {
        if is_comms_operation(body) {
            ok.operation = serde_json::from_slice(body).ok();
        }
    }
    response
}

/// [`parse_transfer_response`] without decoding the operation: an accepted response always has
/// `operation: None` here, and the body holds it when [`is_comms_operation`] says so. The wasm
/// layer uses this form and lets JavaScript's `JSON.parse` build the operation object, which keeps
/// the commsOperation decoder out of the wasm.
pub fn summarize_transfer_response<'a, I>(
    status: u16,
    headers: I,
    body: &[u8],
    now_ms: u64,
) -> TransferResponse
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut meta = Meta::default();
    for (name, value) in headers {
        let slot = if name.eq_ignore_ascii_case("request-id") {
            &mut meta.request_id
        } else if name.eq_ignore_ascii_case("client-request-id") {
            &mut meta.client_request_id
        } else if name.eq_ignore_ascii_case("date") {
            &mut meta.date
        } else if name.eq_ignore_ascii_case("retry-after") {
            &mut meta.retry_after
        } else {
            continue;
        };
        if slot.is_none() && !value.trim().is_empty() {
            *slot = Some(value.trim().to_owned());
        }
    }

    if status == 202 || (status == 200 && is_comms_operation(body)) {
        return TransferResponse::Accepted(TransferAccepted {
            status,
            operation: None,
            request_id: meta.request_id,
            client_request_id: meta.client_request_id,
        });
    }
    TransferResponse::Failed(graph_error(status, meta, body, now_ms))
}

/// Whether `body` is a JSON object that looks like a `commsOperation`: it has a non-null `id` or
/// `status`, or an `@odata.type` ending in `commsOperation`.
///
/// ```
/// use graph_call_transfer::response::is_comms_operation;
///
/// assert!(is_comms_operation(br#"{"id":"op-1","status":"Running"}"#));
/// assert!(!is_comms_operation(br#"{"value":[]}"#));
/// assert!(!is_comms_operation(b"<html>"));
/// ```
pub fn is_comms_operation(body: &[u8]) -> bool {
    if !body.trim_ascii_start().starts_with(b"{") {
        return false;
    }
    // The same decoding as an error body's, so that the wasm carries one JSON decoder, not two.
    match object(body) {
        Some(object) => {
            let present = |key| object.get(key).is_some_and(|v| !v.is_null());
            present("id")
                || present("status")
                || object
                    .get("@odata.type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.ends_with("commsOperation"))
        }
        None => false,
    }
}

/// The body as a JSON object. Decoded as a `Value` (whose decoder the crate has anyway) rather
/// than as a `Map`, which would add a second decoder to the wasm.
fn object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

#[derive(Default)]
struct Meta {
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
    retry_after: Option<String>,
}

fn graph_error(status: u16, meta: Meta, body: &[u8], now_ms: u64) -> GraphError {
    let mut error = GraphError {
        status,
        code: String::new(),
        message: String::new(),
        request_id: None,
        client_request_id: None,
        date: None,
        retry_after_ms: meta
            .retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v, now_ms)),
        inner_error: None,
    };
    let json = object(body);
    match json {
        Some(mut top) => match take(&mut top, "error") {
            Some(Value::Object(mut inner)) => {
                error.code = take_string(&mut inner, "code").unwrap_or_default();
                error.message = take_string(&mut inner, "message").unwrap_or_default();
                let inner_error = match take(&mut inner, "innerError") {
                    Some(Value::Object(map)) => Some(map),
                    _ => match take(&mut inner, "innererror") {
                        Some(Value::Object(map)) => Some(map),
                        _ => None,
                    },
                };
                if let Some(details) = &inner_error {
                    error.request_id = string_field(details, "request-id");
                    error.client_request_id = string_field(details, "client-request-id");
                    error.date = string_field(details, "date");
                }
                error.inner_error = inner_error;
            }
            // `{"error": "text"}` (OAuth style) or `{"message": ...}` from a proxy.
            Some(Value::String(text)) => error.message = text,
            _ => {
                error.message = take_string(&mut top, "message")
                    .unwrap_or_else(|| described(status, "an unexpected JSON body"));
            }
        },
        None => error.message = described(status, &body_description(body)),
    }
    if error.code.trim().is_empty() {
        error.code = status_code_name(status);
    }
    if error.message.trim().is_empty() {
        error.message = described(status, "no error message");
    }
    error.request_id = error.request_id.or(meta.request_id);
    error.client_request_id = error.client_request_id.or(meta.client_request_id);
    error.date = error.date.or(meta.date);
    error
}

/// Moves a member out, leaving `null` (cheaper in wasm than removing it from the B-tree).
fn take(map: &mut Map<String, Value>, key: &str) -> Option<Value> {
    map.get_mut(key).map(Value::take)
}

fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match take(map, key) {
        Some(Value::String(text)) => Some(text),
        _ => None,
    }
}

fn string_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

fn described(status: u16, what: &str) -> String {
    let reason = reason_phrase(status);
    let mut out = String::with_capacity(32 + what.len());
    out.push_str("HTTP ");
    out.push_str(&status.to_string());
    if !reason.is_empty() {
        out.push(' ');
        out.push_str(reason);
    }
    out.push_str(" with ");
    out.push_str(what);
    out
}

/// "an empty body", an HTML page's title, or the start of the text with whitespace collapsed.
fn body_description(body: &[u8]) -> String {
    // Up to the first invalid UTF-8 sequence (a binary body is described by its readable start).
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default(),
    };
    let text = text.trim();
    if text.is_empty() {
        return "an empty body".to_owned();
    }
    let lower = text.to_ascii_lowercase();
    let excerpt = match (lower.find("<title>"), lower.find("</title>")) {
        (Some(start), Some(end)) if start + 7 <= end => &text[start + 7..end],
        _ => text,
    };
    let mut quoted = String::new();
    for word in excerpt.split_whitespace() {
        if quoted.chars().count() + word.chars().count() > BODY_EXCERPT_MAX_CHARS {
            quoted.push_str(" ...");
            break;
        }
        if !quoted.is_empty() {
            quoted.push(' ');
        }
        quoted.push_str(word);
    }
    let kind = if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        "an HTML body: "
    } else {
        "a non-JSON body: "
    };
    let mut out = String::from(kind);
    out.push_str(&quoted);
    out
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// A camelCase name for a status, used as the code when the body gives none: `badGateway`,
/// `tooManyRequests`, or `http418` for statuses without a common name.
pub fn status_code_name(status: u16) -> String {
    let reason = reason_phrase(status);
    if reason.is_empty() {
        let mut out = String::from("http");
        out.push_str(&status.to_string());
        return out;
    }
    let mut out = String::with_capacity(reason.len());
    for (i, word) in reason.split(' ').enumerate() {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first.to_ascii_lowercase());
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            } else {
                out.push(first.to_ascii_uppercase());
                out.extend(chars);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names() {
        assert_eq!(status_code_name(502), "badGateway");
        assert_eq!(status_code_name(429), "tooManyRequests");
        assert_eq!(status_code_name(200), "ok");
        assert_eq!(status_code_name(418), "http418");
    }

    #[test]
    fn html_title_is_quoted() {
        assert_eq!(
            body_description(
                b"<!DOCTYPE html><html><head><title>502 Bad   Gateway</title></head></html>"
            ),
            "an HTML body: 502 Bad Gateway"
        );
        let long = "word ".repeat(100);
        let described = body_description(long.as_bytes());
        assert!(described.ends_with(" ..."));
        assert!(described.len() < BODY_EXCERPT_MAX_CHARS + 30);
    }
}
