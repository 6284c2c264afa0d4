use serde::Deserialize;

use super::body::utf8;
use super::builder::{assemble, url_before_call_id, Head, Parts, URL_AFTER_CALL_ID};
use super::compact;
use super::view::{self, document};
use super::{validate_body, ApiVersion, Cloud, TransferRequest, TransferRequestBuilder};
use crate::error::{from_serde, Error, ErrorKind};
use crate::model::{InvitationParticipantInfo, ParticipantInfo};

/// The options of `buildTransferRequest` in JavaScript, as JSON: one object that names the call, the
/// target in Graph's own JSON shape, and where to send.
///
/// Unknown option names are refused (they are almost always typos), while unknown fields *inside*
/// `transferTarget` and `transferee` are kept and sent, since Graph's types are open.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransferOptions {
    /// The id of the call to transfer. Required.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub call_id: Option<String>,
    /// Whom to transfer to, in Graph's `invitationParticipantInfo` shape. Required.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "InvitationParticipantInfo"))]
    pub transfer_target: Option<InvitationParticipantInfo>,
    /// The participant to transfer, when transferring from a group call (v1.0 and beta).
    #[serde(default)]
    pub transferee: Option<ParticipantInfo>,
    /// Echoed by Graph in notifications; at most 256 characters.
    #[serde(default)]
    pub client_context: Option<String>,
    /// The 2018 beta's operation context.
    #[serde(default)]
    pub operation_context: Option<String>,
    /// `"v1.0"` (default), `"beta"` or `"beta-2018"`.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "\"v1.0\" | \"beta\" | \"beta-2018\"")
    )]
    pub api_version: Option<String>,
    /// A national cloud: `"global"` (default), `"usGovL4"`, `"usGovL5"` or `"china"`.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "\"global\" | \"usGovL4\" | \"usGovL5\" | \"china\"")
    )]
    pub cloud: Option<String>,
    /// A custom base URL instead of `cloud`, such as a local simulator.
    #[serde(default)]
    pub base_url: Option<String>,
    /// A `client-request-id` header value. In JavaScript `true` generates a random UUID.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | true"))]
    pub client_request_id: Option<String>,
}

impl TransferOptions {
    /// Parses options from JSON text (or bytes).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidJson`], or [`ErrorKind::InvalidType`] / [`ErrorKind::UnknownOption`] with
    /// the JSON path of the offending value.
    pub fn from_json(json: &[u8]) -> Result<Self, Error> {
        let mut de = serde_json::Deserializer::from_slice(json);
        let options: Self = serde_path_to_error::deserialize(&mut de).map_err(from_serde)?;
        de.end().map_err(|e| {
            Error::new(
                ErrorKind::InvalidJson {
                    detail: e.to_string(),
                },
                "",
            )
        })?;
        Ok(options)
    }

    /// Turns the options into a [`TransferRequestBuilder`].
    ///
    /// # Errors
    /// [`ErrorKind::MissingField`] for `callId` or `transferTarget`,
    /// [`ErrorKind::UnknownApiVersion`], [`ErrorKind::UnknownCloud`], and
    /// [`ErrorKind::ConflictingOptions`] when both `cloud` and `baseUrl` are given.
    pub fn into_builder(self) -> Result<TransferRequestBuilder, Error> {
        let call_id = self
            .call_id
            .ok_or_else(|| Error::new(ErrorKind::MissingField, "callId"))?;
        let target = self
            .transfer_target
            .ok_or_else(|| Error::new(ErrorKind::MissingField, "transferTarget"))?;
        let mut builder = TransferRequestBuilder::new(call_id, target);
        if let Some(version) = self.api_version.as_deref() {
            builder = builder.api_version(ApiVersion::parse(version)?);
        }
        match (self.cloud.as_deref(), self.base_url) {
            (Some(_), Some(_)) => {
                return Err(Error::new(
                    ErrorKind::ConflictingOptions { other: "baseUrl" },
                    "cloud",
                ))
            }
            (Some(cloud), None) => builder = builder.cloud(Cloud::parse(cloud)?),
            (None, Some(url)) => builder = builder.base_url(url),
            (None, None) => {}
        }
        if let Some(transferee) = self.transferee {
            builder = builder.transferee(transferee);
        }
        if let Some(context) = self.client_context {
            builder = builder.client_context(context);
        }
        if let Some(context) = self.operation_context {
            builder = builder.operation_context(context);
        }
        if let Some(id) = self.client_request_id {
            builder = builder.client_request_id(id);
        }
        Ok(builder)
    }
}

/// Parses JSON options (the shape of [`TransferOptions`]) and builds the request in one step.
/// This is what `buildTransferRequest` runs in JavaScript.
///
/// ```
/// let request = graph_call_transfer::build_from_json(br#"{
///     "callId": "57DAB8B1894C409AB240BD8BEAE78896",
///     "apiVersion": "beta-2018",
///     "transferTarget": {"identity": {"user": {"id": "8A34A46B-3D17-4ADC-8DCE-DC4E7D572698"}}},
///     "operationContext": "transfer operation context"
/// }"#)?;
/// assert_eq!(request.url, "https://graph.microsoft.com/beta/app/calls/57DAB8B1894C409AB240BD8BEAE78896/transfer");
/// assert_eq!(
///     request.body,
///     r#"{"operationContext":"transfer operation context","target":{"identity":{"user":{"id":"8A34A46B-3D17-4ADC-8DCE-DC4E7D572698"}}}}"#
/// );
/// # Ok::<(), graph_call_transfer::Error>(())
/// ```
///
/// # Errors
/// Everything [`TransferOptions::from_json`], [`TransferOptions::into_builder`] and
/// [`TransferRequestBuilder::build`] report.
pub fn build_from_json(json: &[u8]) -> Result<TransferRequest, Error> {
    let options = document(utf8(json)?, |s| view::options(s, true))?;
    let head = &options.head;
    let call_id = head
        .call_id
        .as_deref()
        .ok_or_else(|| Error::new(ErrorKind::MissingField, "callId"))?;
    let target = options
        .transfer_target
        .ok_or_else(|| Error::new(ErrorKind::MissingField, "transferTarget"))?;
    let api_version = match head.api_version.as_deref() {
        Some(version) => ApiVersion::parse(version)?,
        None => ApiVersion::default(),
    };
    let cloud = match head.cloud.as_deref() {
        Some(cloud) => Some(Cloud::parse(cloud)?),
        None => None,
    };
    assemble(&Parts {
        call_id,
        target,
        transferee: options.transferee,
        client_context: options.client_context.as_deref(),
        operation_context: options.operation_context.as_deref(),
        api_version,
        cloud,
        base_url: head.base_url.as_deref(),
        client_request_id: head.client_request_id.as_deref(),
    })
}

/// Validates a request whose body the caller serialized itself, and returns its URL and headers.
///
/// `head` is a JSON object with the non-body options (`callId`, `apiVersion`, `cloud`, `baseUrl`,
/// `clientRequestId`); `body` is the body of the chosen dialect, to be sent exactly as given. This
/// is the fast path behind JavaScript's `buildTransferRequest`: the body is validated in a single
/// pass and never copied.
///
/// ```
/// let (url, headers) = graph_call_transfer::request::prepare(
///     br#"{"callId":"c1","apiVersion":"beta"}"#,
///     br#"{"transferTarget":{"identity":{"user":{"id":"u1"}}}}"#,
/// )?;
/// assert_eq!(url, "https://graph.microsoft.com/beta/communications/calls/c1/transfer");
/// assert_eq!(headers, [("content-type".to_owned(), "application/json".to_owned())]);
/// # Ok::<(), graph_call_transfer::Error>(())
/// ```
///
/// # Errors
/// The head's and the body's validation errors, with their JSON paths (see [`build_from_json`]).
pub fn prepare(head: &[u8], body: &[u8]) -> Result<(String, Vec<(String, String)>), Error> {
    let head = document(utf8(head)?, |s| view::options(s, false))?.head;
    let head = HeadOptions {
        call_id: head.call_id.as_deref(),
        api_version: head.api_version.as_deref(),
        cloud: head.cloud.as_deref(),
        base_url: head.base_url.as_deref(),
        client_request_id: head.client_request_id.as_deref(),
    };
    let (head, _) = head.parse()?;
    let line = head.resolve()?;
    validate_body(body, head.api_version)?;
    Ok(line)
}

/// The non-body options of a request as plain strings: what the JSON head of [`prepare`] holds,
/// for callers that have the values at hand (JavaScript's fast path passes them this way).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeadOptions<'a> {
    /// The id of the call to transfer. Required.
    pub call_id: Option<&'a str>,
    /// `"v1.0"` (default), `"beta"` or `"beta-2018"`.
    pub api_version: Option<&'a str>,
    /// A national cloud name (see [`Cloud::parse`]).
    pub cloud: Option<&'a str>,
    /// A custom base URL instead of `cloud`.
    pub base_url: Option<&'a str>,
    /// A `client-request-id` header value.
    pub client_request_id: Option<&'a str>,
}

impl<'a> HeadOptions<'a> {
    fn parse(&self) -> Result<(Head<'a>, ApiVersion), Error> {
        let api_version = match self.api_version {
            Some(version) => ApiVersion::parse(version)?,
            None => ApiVersion::default(),
        };
        let cloud = match self.cloud {
            Some(cloud) => Some(Cloud::parse(cloud)?),
            None => None,
        };
        let head = Head {
            call_id: self.call_id,
            api_version,
            cloud,
            base_url: self.base_url,
            client_request_id: self.client_request_id,
        };
        Ok((head, api_version))
    }

    /// Reads the head strings `callId`, `apiVersion`, `cloud`, `baseUrl` and `clientRequestId`
    /// from the front of `input`, where they were written back to back as UTF-8 (as JavaScript's
    /// `TextEncoder` writes them), each given by its length in UTF-16 code units (JavaScript's
    /// `length`) or `None` when absent. Returns the head and the rest of the input (the body).
    ///
    /// ```
    /// use graph_call_transfer::request::HeadOptions;
    /// let input = "c\u{e9}1beta{}".as_bytes();
    /// let (head, body) = HeadOptions::from_utf16_lengths(input, [Some(3), Some(4), None, None, None])?;
    /// assert_eq!((head.call_id, head.api_version, head.cloud), (Some("c\u{e9}1"), Some("beta"), None));
    /// assert_eq!(body, b"{}");
    /// # Ok::<(), graph_call_transfer::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidJson`] at the root when a string is not UTF-8.
    pub fn from_utf16_lengths(
        input: &'a [u8],
        lengths: [Option<usize>; 5],
    ) -> Result<(Self, &'a [u8]), Error> {
        let mut rest = input;
        let mut fields = [None; 5];
        for (field, units) in fields.iter_mut().zip(lengths) {
            if let Some(units) = units {
                let (text, tail) = split_utf16(rest, units)?;
                *field = Some(text);
                rest = tail;
            }
        }
        let [call_id, api_version, cloud, base_url, client_request_id] = fields;
        let head = Self {
            call_id,
            api_version,
            cloud,
            base_url,
            client_request_id,
        };
        Ok((head, rest))
    }

    /// Validates the head and returns the request's URL in two parts, before and after the call
    /// id: the URL is `before + call_id + after`. The parts depend only on `api_version`, `cloud`
    /// and `base_url`, so a caller may reuse them for other call ids it has had checked.
    ///
    /// ```
    /// use graph_call_transfer::request::HeadOptions;
    /// let head = HeadOptions { call_id: Some("c1"), api_version: Some("beta-2018"), ..HeadOptions::default() };
    /// let (before, after) = head.url_parts()?;
    /// assert_eq!(format!("{before}c1{after}"), "https://graph.microsoft.com/beta/app/calls/c1/transfer");
    /// # Ok::<(), graph_call_transfer::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`check`], for the head alone.
    pub fn url_parts(&self) -> Result<(String, &'static str), Error> {
        let (head, api_version) = self.parse()?;
        let base = head.check()?;
        Ok((url_before_call_id(&base, api_version), URL_AFTER_CALL_ID))
    }
}

/// Validates a request given as a head of plain strings and a body the caller serialized itself,
/// and builds nothing: [`prepare`] without the JSON head and without allocating on success. The
/// headers are `content-type: application/json`, plus `client-request-id` when one is given; the
/// URL comes from [`HeadOptions::url_parts`].
///
/// ```
/// use graph_call_transfer::request::{check, HeadOptions};
/// let head = HeadOptions { call_id: Some("c1"), ..HeadOptions::default() };
/// check(&head, br#"{"transferTarget":{"identity":{"user":{"id":"u1"}}}}"#)?;
/// let err = check(&head, br#"{"transferTarget":{"identity":{}}}"#).unwrap_err();
/// assert_eq!((err.kind_name(), err.path()), ("missingIdentity", "transferTarget.identity"));
/// # Ok::<(), graph_call_transfer::Error>(())
/// ```
///
/// # Errors
/// The same errors, in the same order, as [`prepare`].
pub fn check(head: &HeadOptions<'_>, body: &[u8]) -> Result<(), Error> {
    let (head, api_version) = head.parse()?;
    head.check()?;
    validate_body(body, api_version)
}

/// [`check`] for a body that is *compact, valid JSON*, such as JavaScript's `JSON.stringify`
/// writes (no whitespace outside strings) encoded as UTF-8 by `TextEncoder`: what
/// `buildTransferRequest` runs in wasm.
///
/// The head is checked as [`check`] checks it. A valid body of the usual shape is then accepted
/// by a quick pass that trusts the JSON syntax inside strings and numbers (no UTF-8, escape or
/// number-grammar checks, no whitespace handling) and reads only what the rules need; anything it
/// is not sure about, every error included, goes through the full validating scanner of
/// [`check`]. So for compact valid JSON the result, `Ok` or the error (kind, path and message),
/// is exactly [`check`]'s.
///
/// For other bytes the function still returns, without panicking, but it may accept a body that
/// [`check`] refuses as malformed JSON: call [`check`] for input you did not serialize yourself.
///
/// ```
/// use graph_call_transfer::request::{check_compact, HeadOptions};
/// let head = HeadOptions { call_id: Some("c1"), ..HeadOptions::default() };
/// check_compact(&head, br#"{"transferTarget":{"identity":{"user":{"id":"u1"}}}}"#)?;
/// let err = check_compact(&head, br#"{"transferTarget":{"identity":{"phone":{"id":"555"}}}}"#)
///     .unwrap_err();
/// assert_eq!((err.kind_name(), err.path()), ("notE164", "transferTarget.identity.phone.id"));
/// # Ok::<(), graph_call_transfer::Error>(())
/// ```
///
/// # Errors
/// As [`check`].
pub fn check_compact(head: &HeadOptions<'_>, body: &[u8]) -> Result<(), Error> {
    let (head, api_version) = head.parse()?;
    head.check()?;
    if compact::certainly_valid(body, api_version) {
        return Ok(());
    }
    validate_body(body, api_version)
}

/// Splits off the first `units` UTF-16 code units of UTF-8 `bytes` (as `TextEncoder` wrote them)
/// and returns them as text, with the remaining bytes.
#[inline]
fn split_utf16(bytes: &[u8], units: usize) -> Result<(&str, &[u8]), Error> {
    // Fast path: ASCII, one byte per unit.
    let end = match bytes.get(..units) {
        Some(head) if head.is_ascii() => units,
        _ => utf16_end(bytes, units),
    };
    let (head, tail) = bytes.split_at(end);
    let text = std::str::from_utf8(head).map_err(|_| {
        Error::new(
            ErrorKind::InvalidJson {
                detail: "not UTF-8".to_owned(),
            },
            "",
        )
    })?;
    Ok((text, tail))
}

/// The byte length of the first `units` UTF-16 code units of UTF-8 `bytes` (at most its length).
fn utf16_end(bytes: &[u8], units: usize) -> usize {
    let mut end = 0;
    let mut seen = 0;
    while seen < units && end < bytes.len() {
        let (len, count) = match bytes[end] {
            0..=0x7f => (1, 1),
            0xc0..=0xdf => (2, 1),
            0xe0..=0xef => (3, 1),
            _ => (4, 2),
        };
        end += len;
        seen += count;
    }
    end.min(bytes.len())
}
