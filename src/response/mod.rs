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

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

#[cfg(all(target_arch = "wasm32", feature = "send"))]
pub(crate) use http_date::fields;
use http_date::find_ignore_case;
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
    /// The operation Graph returned (the 2018 beta always, today's API never so far).
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
    #[cfg_attr(gct_opt_attr, optimize(size))]
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
/// Success is `202`, or `200` whose body is a `commsOperation` (a JSON object with a non-null
/// `id` or `status`, or a `commsOperation` `@odata.type`). Everything else, including a `200` or
/// `204` without an operation, is a [`GraphError`]: a non-JSON or empty body still gives a code
/// named after the status and a message quoting the start of the body (an HTML page's `<title>`).
///
/// This is [`summarize_transfer_response`] plus decoding the operation and `innerError` into
/// owned, typed values.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn parse_transfer_response<'a, I>(
    status: u16,
    headers: I,
    body: &'a [u8],
    now_ms: u64,
) -> TransferResponse
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let summary = summarize_transfer_response(status, headers, body, now_ms);
    let owned = |value: Option<Cow<'_, str>>| value.map(Cow::into_owned);
    if summary.accepted {
        return TransferResponse::Accepted(TransferAccepted {
            status,
            operation: summary
                .operation
                .and_then(|raw| serde_json::from_str(raw).ok()),
            request_id: owned(summary.request_id),
            client_request_id: owned(summary.client_request_id),
        });
    }
    TransferResponse::Failed(GraphError {
        status,
        code: summary.code.into_owned(),
        message: summary.message.into_owned(),
        request_id: owned(summary.request_id),
        client_request_id: owned(summary.client_request_id),
        date: owned(summary.date),
        retry_after_ms: summary.retry_after_ms,
        inner_error: summary
            .inner_error
            .and_then(|raw| serde_json::from_str(raw).ok()),
    })
}

/// The interpretation of a response, borrowing from it: what [`parse_transfer_response`] decides,
/// with the operation and `innerError` left as raw JSON text.
///
/// This is the form the wasm layer hands to JavaScript ([`to_json`](Self::to_json)): the raw
/// parts are copied verbatim, so no JSON tree is built in wasm and `JSON.parse` builds the objects
/// natively.
#[derive(Debug, Clone)]
pub struct ResponseSummary<'a> {
    /// Whether Graph accepted the transfer.
    pub accepted: bool,
    /// The HTTP status.
    pub status: u16,
    /// For an error, as in [`GraphError::code`]; empty when accepted.
    pub code: Cow<'a, str>,
    /// For an error, as in [`GraphError::message`]; empty when accepted.
    pub message: Cow<'a, str>,
    /// As in [`GraphError::request_id`] (only the header when accepted).
    pub request_id: Option<Cow<'a, str>>,
    /// As in [`GraphError::client_request_id`] (only the header when accepted).
    pub client_request_id: Option<Cow<'a, str>>,
    /// For an error, as in [`GraphError::date`].
    pub date: Option<Cow<'a, str>>,
    /// For an error, as in [`GraphError::retry_after_ms`].
    pub retry_after_ms: Option<u64>,
    /// For an error, the `innerError` (or `innererror`) object: its JSON text, verbatim.
    pub inner_error: Option<&'a str>,
    /// When accepted with a commsOperation body: the body's JSON text, verbatim (without the
    /// whitespace around it).
    pub operation: Option<&'a str>,
}

impl ResponseSummary<'_> {
    /// The summary as one compact JSON object with camelCase names, omitting absent and empty
    /// fields; `innerError` and `operation` are the body's own JSON text.
    ///
    /// ```
    /// use graph_call_transfer::response::summarize_transfer_response;
    ///
    /// let body = br#"{"error":{"code":"Forbidden","message":"No \"Calls\" permission","innerError":{"date":"d"}}}"#;
    /// let summary = summarize_transfer_response(403, [("Retry-After", "5")], body, 0);
    /// assert_eq!(
    ///     summary.to_json(),
    ///     r#"{"accepted":false,"status":403,"code":"Forbidden","message":"No \"Calls\" permission","date":"d","retryAfterMs":5000,"innerError":{"date":"d"}}"#
    /// );
    /// ```
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(128);
        out.push_str(if self.accepted {
            "{\"accepted\":true,\"status\":"
        } else {
            "{\"accepted\":false,\"status\":"
        });
        crate::json::push_u64(&mut out, u64::from(self.status));
        let strings = [
            ("code", Some(&self.code).filter(|c| !c.is_empty())),
            ("message", Some(&self.message).filter(|m| !m.is_empty())),
            ("requestId", self.request_id.as_ref()),
            ("clientRequestId", self.client_request_id.as_ref()),
            ("date", self.date.as_ref()),
        ];
        for (name, value) in strings {
            if let Some(value) = value {
                push_key(&mut out, name);
                crate::json::push_json_string(&mut out, value);
            }
        }
        if let Some(ms) = self.retry_after_ms {
            push_key(&mut out, "retryAfterMs");
            crate::json::push_u64(&mut out, ms);
        }
        for (name, raw) in [
            ("innerError", self.inner_error),
            ("operation", self.operation),
        ] {
            if let Some(raw) = raw {
                push_key(&mut out, name);
                out.push_str(raw);
            }
        }
        out.push('}');
        out
    }
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn push_key(out: &mut String, name: &str) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
}

/// Interprets a response like [`parse_transfer_response`], borrowing from it instead of decoding
/// the operation and `innerError`.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn summarize_transfer_response<'a, I>(
    status: u16,
    headers: I,
    body: &'a [u8],
    now_ms: u64,
) -> ResponseSummary<'a>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut summary = ResponseSummary {
        accepted: false,
        status,
        code: Cow::Borrowed(""),
        message: Cow::Borrowed(""),
        request_id: None,
        client_request_id: None,
        date: None,
        retry_after_ms: None,
        inner_error: None,
        operation: None,
    };
    let mut retry_after = None;
    for (name, value) in headers {
        let slot = if name.eq_ignore_ascii_case("request-id") {
            &mut summary.request_id
        } else if name.eq_ignore_ascii_case("client-request-id") {
            &mut summary.client_request_id
        } else if name.eq_ignore_ascii_case("date") {
            &mut summary.date
        } else if name.eq_ignore_ascii_case("retry-after") {
            &mut retry_after
        } else {
            continue;
        };
        let value = value.trim();
        if slot.is_none() && !value.is_empty() {
            *slot = Some(Cow::Borrowed(value));
        }
    }

    if status == 202 || status == 200 {
        summary.operation = comms_operation(body);
        if status == 202 || summary.operation.is_some() {
            summary.accepted = true;
            summary.date = None;
            return summary;
        }
    }

    summary.retry_after_ms = retry_after
        .as_deref()
        .and_then(|v| parse_retry_after(v, now_ms));
    let from_headers = (
        summary.request_id.take(),
        summary.client_request_id.take(),
        summary.date.take(),
    );
    match std::str::from_utf8(body).ok().and_then(members) {
        Some(top) => match top.0[ERROR] {
            Some(error) => match members(error) {
                Some(Members(error)) => {
                    summary.code = text(error[CODE]).unwrap_or_default();
                    summary.message = text(error[MESSAGE]).unwrap_or_default();
                    summary.inner_error = [error[INNER_ERROR], error[INNER_ERROR_LOWERCASE]]
                        .into_iter()
                        .flatten()
                        .find(|raw| raw.starts_with('{'));
                    if let Some(Members(inner)) = summary.inner_error.and_then(members) {
                        summary.request_id = text(inner[REQUEST_ID]);
                        summary.client_request_id = text(inner[CLIENT_REQUEST_ID]);
                        summary.date = text(inner[DATE]);
                    }
                }
                // `{"error": "invalid_request"}` (OAuth style).
                None => summary.message = text(Some(error)).unwrap_or_default(),
            },
            // `{"message": ...}` from a proxy, or some other JSON object.
            None => {
                summary.message = text(top.0[MESSAGE])
                    .unwrap_or_else(|| described(status, "an unexpected JSON body").into());
            }
        },
        None if body.trim_ascii_start().starts_with(b"[") => {
            summary.message = described(status, "an unexpected JSON body").into();
        }
        None => summary.message = described(status, &body_description(body)).into(),
    }
    if summary.code.trim().is_empty() {
        summary.code = status_code_name(status).into();
    }
    if summary.message.trim().is_empty() {
        summary.message = described(status, "no error message").into();
    }
    summary.request_id = summary.request_id.take().or(from_headers.0);
    summary.client_request_id = summary.client_request_id.take().or(from_headers.1);
    summary.date = summary.date.take().or(from_headers.2);
    summary
}

/// The members this module reads, at any level of a body (the top level, `error`, `innerError`,
/// an operation), as raw JSON text. Members are kept raw and read leniently, so one of an
/// unexpected type is ignored instead of losing the rest.
struct Members<'a>([Option<&'a str>; 11]);

/// The member names [`members`] reads, in the order of its slots.
const MEMBER_NAMES: [&str; 11] = [
    "error",
    "code",
    "message",
    "innerError",
    "innererror",
    "request-id",
    "client-request-id",
    "date",
    "@odata.type",
    "id",
    "status",
];
const ERROR: usize = 0;
const CODE: usize = 1;
const MESSAGE: usize = 2;
const INNER_ERROR: usize = 3;
const INNER_ERROR_LOWERCASE: usize = 4;
const REQUEST_ID: usize = 5;
const CLIENT_REQUEST_ID: usize = 6;
const DATE: usize = 7;
const ODATA_TYPE: usize = 8;
const ID: usize = 9;
const STATUS: usize = 10;

/// Reads `json` when it is one JSON object. A repeated known member makes it unreadable (as
/// the serde derive it replaces did).
#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn members(json: &str) -> Option<Members<'_>> {
    let mut m = Members([None; 11]);
    let mut seen = 0u16;
    let ok = crate::json::raw_members(json, |key, raw| {
        let Some(slot) = MEMBER_NAMES.iter().position(|name| *name == key) else {
            return true;
        };
        // `null` is an absent member, as with `Option` fields.
        m.0[slot] = Some(raw).filter(|raw| *raw != "null");
        let first = seen & 1 << slot == 0;
        seen |= 1 << slot;
        first
    });
    ok.then_some(m)
}

/// A raw JSON string as text (borrowed when it has no escapes); `None` for other JSON values and
/// for blank strings.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn text(raw: Option<&str>) -> Option<Cow<'_, str>> {
    let json = raw?;
    let inner = json.strip_prefix('"')?.strip_suffix('"')?;
    let value = if inner.as_bytes().contains(&b'\\') {
        // `json` is one JSON string whose syntax the member reader checked: decode it without
        // the document reader (a lone surrogate escape is refused, as serde does).
        let span = crate::notify::scan::StrSpan {
            start: 1,
            end: json.len() - 1,
            escaped: true,
        };
        crate::json::string(json, span).ok()?
    } else {
        Cow::Borrowed(inner)
    };
    (!value.trim().is_empty()).then_some(value)
}

/// Whether `body` is a JSON object that looks like a `commsOperation`: it has a non-null `id` or
/// `status`, or an `@odata.type` ending in `commsOperation`.
///
/// ```
/// use graph_call_transfer::response::is_comms_operation;
///
/// assert!(is_comms_operation(br#"{"id":"op-1","status":"Running"}"#));
/// assert!(is_comms_operation(br##"{"@odata.type":"#microsoft.graph.commsOperation"}"##));
/// assert!(!is_comms_operation(br#"{"id":null,"value":[]}"#));
/// assert!(!is_comms_operation(b"<html>"));
/// ```
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn is_comms_operation(body: &[u8]) -> bool {
    comms_operation(body).is_some()
}

/// The body as raw JSON, when it is a commsOperation.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn comms_operation(body: &[u8]) -> Option<&str> {
    let json = std::str::from_utf8(body).ok()?;
    let Members(probe) = members(json)?;
    let present = |v: Option<&str>| v.is_some();
    let typed = text(probe[ODATA_TYPE]).is_some_and(|t| t.ends_with("commsOperation"));
    if !(typed || present(probe[ID]) || present(probe[STATUS])) {
        return None;
    }
    // `members` read the whole body as one object: it is the value without its surrounding
    // JSON whitespace.
    Some(json.trim_matches([' ', '\t', '\n', '\r']))
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn described(status: u16, what: &str) -> String {
    let reason = reason_phrase(status);
    let mut out = String::with_capacity(32 + what.len());
    out.push_str("HTTP ");
    crate::json::push_u64(&mut out, u64::from(status));
    if !reason.is_empty() {
        out.push(' ');
        out.push_str(reason);
    }
    out.push_str(" with ");
    out.push_str(what);
    out
}

/// "an empty body", an HTML page's title, or the start of the text with whitespace collapsed.
#[cfg_attr(gct_opt_attr, optimize(size))]
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
    let bytes = text.as_bytes();
    let excerpt = match (
        find_ignore_case(bytes, b"<title>"),
        find_ignore_case(bytes, b"</title>"),
    ) {
        (Some(start), Some(end)) => text.get(start + 7..end).unwrap_or(text),
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
    let starts = |prefix: &[u8]| {
        bytes
            .get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    let kind = if starts(b"<!doctype html") || starts(b"<html") {
        "an HTML body: "
    } else {
        "a non-JSON body: "
    };
    let mut out = String::from(kind);
    out.push_str(&quoted);
    out
}

/// The statuses with a name: the status, its reason phrase, and the camelCase code used when
/// a body gives none (the phrase's words joined, the first lowercase). One table instead of a
/// `match` plus a conversion at run time: the wasm is smaller (docs/perf.md, session 3).
const STATUS_NAMES: [(u16, &str, &str); 17] = [
    (200, "OK", "ok"),
    (204, "No Content", "noContent"),
    (400, "Bad Request", "badRequest"),
    (401, "Unauthorized", "unauthorized"),
    (403, "Forbidden", "forbidden"),
    (404, "Not Found", "notFound"),
    (405, "Method Not Allowed", "methodNotAllowed"),
    (408, "Request Timeout", "requestTimeout"),
    (409, "Conflict", "conflict"),
    (412, "Precondition Failed", "preconditionFailed"),
    (413, "Content Too Large", "contentTooLarge"),
    (429, "Too Many Requests", "tooManyRequests"),
    (500, "Internal Server Error", "internalServerError"),
    (501, "Not Implemented", "notImplemented"),
    (502, "Bad Gateway", "badGateway"),
    (503, "Service Unavailable", "serviceUnavailable"),
    (504, "Gateway Timeout", "gatewayTimeout"),
];

#[cfg_attr(gct_opt_attr, optimize(size))]
fn status_name(status: u16) -> Option<&'static (u16, &'static str, &'static str)> {
    STATUS_NAMES.iter().find(|(s, _, _)| *s == status)
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn reason_phrase(status: u16) -> &'static str {
    status_name(status).map_or("", |(_, reason, _)| reason)
}

/// A camelCase name for a status, used as the code when the body gives none: `badGateway`,
/// `tooManyRequests`, or `http418` for statuses without a common name.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn status_code_name(status: u16) -> String {
    if let Some((_, _, code)) = status_name(status) {
        return (*code).to_owned();
    }
    let mut out = String::from("http");
    crate::json::push_u64(&mut out, u64::from(status));
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
        // Each code in the table is its reason phrase's words joined, the first lowercase.
        for (status, reason, code) in STATUS_NAMES {
            let mut camel = String::new();
            for (i, word) in reason.split(' ').enumerate() {
                let (first, rest) = word.split_at(1);
                if i == 0 {
                    camel.push_str(&word.to_ascii_lowercase());
                } else {
                    camel.push_str(&first.to_ascii_uppercase());
                    camel.push_str(rest);
                }
            }
            assert_eq!(code, camel, "status {status}");
            assert_eq!(status_code_name(status), code);
            assert_eq!(reason_phrase(status), reason);
        }
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

    /// The serde-derived reader the hand-written `members` replaced, kept as the oracle.
    mod oracle {
        use serde::Deserialize;
        use serde_json::value::RawValue;

        #[derive(Deserialize)]
        pub(super) struct Members<'a> {
            #[serde(borrow, default)]
            pub error: Option<&'a RawValue>,
            #[serde(borrow, default)]
            pub code: Option<&'a RawValue>,
            #[serde(borrow, default)]
            pub message: Option<&'a RawValue>,
            #[serde(borrow, default, rename = "innerError")]
            pub inner_error: Option<&'a RawValue>,
            #[serde(borrow, default, rename = "innererror")]
            pub inner_error_lowercase: Option<&'a RawValue>,
            #[serde(borrow, default, rename = "request-id")]
            pub request_id: Option<&'a RawValue>,
            #[serde(borrow, default, rename = "client-request-id")]
            pub client_request_id: Option<&'a RawValue>,
            #[serde(borrow, default)]
            pub date: Option<&'a RawValue>,
            #[serde(borrow, default, rename = "@odata.type")]
            pub odata_type: Option<&'a RawValue>,
            #[serde(borrow, default)]
            pub id: Option<&'a RawValue>,
            #[serde(borrow, default)]
            pub status: Option<&'a RawValue>,
        }

        pub(super) fn members(json: &str) -> Option<Vec<Option<&str>>> {
            if !json.trim_start().starts_with('{') {
                return None;
            }
            let m: Members<'_> = serde_json::from_str(json).ok()?;
            Some(
                [
                    m.error,
                    m.code,
                    m.message,
                    m.inner_error,
                    m.inner_error_lowercase,
                    m.request_id,
                    m.client_request_id,
                    m.date,
                    m.odata_type,
                    m.id,
                    m.status,
                ]
                .into_iter()
                .map(|raw| raw.map(RawValue::get))
                .collect(),
            )
        }

        pub(super) fn text(json: &str) -> Option<String> {
            serde_json::from_str::<String>(json).ok()
        }
    }

    fn ours(json: &str) -> Option<Vec<Option<&str>>> {
        Some(members(json)?.0.to_vec())
    }

    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "\"error\"",
            "\"code\"",
            "\"message\"",
            "\"innerError\"",
            "\"innererror\"",
            "\"request-id\"",
            "\"client-request-id\"",
            "\"date\"",
            "\"@odata.type\"",
            "\"id\"",
            "\"status\"",
            "\"co\\u0064e\"",
            "\"other\"",
            "\"\"",
        ])
    }

    fn scalar() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "null",
            "true",
            "1",
            "-2.5e3",
            "\"x\"",
            "\"  \"",
            "\"a\\nb\"",
            "\"\\ud800\"",
            "\"\\ud83d\\ude00\"",
            "\"é\"",
            "[]",
            "{}",
            "[1,{\"code\":\"c\"}]",
            "{\"request-id\":\"r\",\"date\":null}",
        ])
    }

    fn object() -> impl Strategy<Value = String> {
        let member = (
            key(),
            prop_oneof![
                scalar().prop_map(str::to_owned),
                "[a-z ]{0,6}".prop_map(|s| format!("{s:?}"))
            ],
        );
        (
            proptest::collection::vec(member, 0..6),
            any::<bool>(),
            proptest::collection::vec((key(), scalar()), 0..3),
        )
            .prop_map(|(members, pretty, inner)| {
                let sep = if pretty { ",\n  " } else { "," };
                let mut out: Vec<String> =
                    members.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                if !inner.is_empty() {
                    let inner: Vec<String> =
                        inner.iter().map(|(k, v)| format!("{k} : {v}")).collect();
                    out.push(format!("\"error\":{{{}}}", inner.join(",")));
                }
                format!(" {{{}}} ", out.join(sep))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn members_agree_with_the_serde_reader(
            json in object(),
            at in any::<prop::sample::Index>(),
            edit in 0usize..5,
            byte in prop::sample::select(vec![b'"', b'{', b'}', b',', b':', b' ', b'\\', b'x', b'1']),
        ) {
            let mut bytes = json.into_bytes();
            let i = at.index(bytes.len());
            match edit {
                0 => {}
                1 => { bytes.remove(i); }
                2 => bytes.insert(i, byte),
                3 => bytes[i] = byte,
                _ => bytes.truncate(i),
            }
            let Ok(text) = std::str::from_utf8(&bytes) else { return Ok(()) };
            prop_assert_eq!(ours(text), oracle::members(text), "{}", text);
            if let Some(list) = ours(text) {
                for raw in list.into_iter().flatten() {
                    let want = oracle::text(raw).filter(|s| !s.trim().is_empty());
                    prop_assert_eq!(super::text(Some(raw)).map(Cow::into_owned), want);
                }
            }
        }
    }

    #[test]
    fn the_operation_is_the_body_text_serde_would_keep() {
        for body in [
            "{\"id\":\"op\"}",
            " \n\t{ \"status\" : \"running\" , \"x\": [1, {}] }\r\n ",
            "{\"@odata.type\":\"#microsoft.graph.commsOperation\",\"id\":null}",
        ] {
            let raw: &serde_json::value::RawValue = serde_json::from_str(body).unwrap();
            let summary = summarize_transfer_response(200, [], body.as_bytes(), 0);
            assert!(summary.accepted, "{body}");
            assert_eq!(summary.operation, Some(raw.get()));
        }
        let not_op = summarize_transfer_response(200, [], b"{\"id\":null,\"value\":[]}", 0);
        assert!(!not_op.accepted);
        assert!(
            summarize_transfer_response(200, [], b"{\"id\":\"a\",\"id\":\"b\"}", 0)
                .operation
                .is_none()
        );
    }
}
