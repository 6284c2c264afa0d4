//! Call notifications: parse every Graph call-notification dialect into typed entries with a
//! transfer event, and track each transfer's lifecycle.
//!
//! Graph POSTs `{"value": [ ... ]}` bodies to the bot's callback URL. [`parse_notifications`]
//! reads today's v1.0/beta dialect (`resourceUrl`, `state`) and the 2018 one (`resource`,
//! `callState: "transfer-accepted"`), normalises the spelling, classifies what each notification
//! means for a transfer ([`TransferEvent`]) and keeps the untouched `resourceData` text. A bad
//! item is reported next to the good ones instead of failing the batch. [`TransferTracker`]
//! folds the entries into one phase per transfer, tolerating duplicates and reordering.
//!
//! Sans-IO: no clock (time is passed in, in milliseconds), no IO.
//!
//! ```
//! use graph_call_transfer::notify::{parse_notifications, CallState, TransferEvent};
//!
//! let body = br##"{"value":[{"changeType":"updated",
//!   "resource":"/app/calls/57DAB8B1894C409AB240BD8BEAE78896",
//!   "resourceData":{"@odata.type":"#microsoft.graph.call","callState":"transfer-accepted"}}]}"##;
//! let batch = parse_notifications(body)?;
//! let n = &batch.notifications[0];
//! assert_eq!(n.call_id.as_deref(), Some("57DAB8B1894C409AB240BD8BEAE78896"));
//! assert_eq!(n.state, Some(CallState::TransferAccepted));
//! assert_eq!(n.transfer, Some(TransferEvent::TransferAccepted));
//! assert!(batch.errors.is_empty());
//! # Ok::<(), graph_call_transfer::Error>(())
//! ```

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::open_enum::open_enum;
use crate::model::OperationStatus;

pub mod raw;
pub(crate) mod scan;
pub mod tracker;

pub use raw::ItemError;
pub use tracker::{TrackedTransfer, TrackerOptions, TransferPhase, TransferTracker, Transition};

open_enum! {
    /// `changeType` of a notification.
    pub enum ChangeType {
        /// The resource was created (an incoming call, a participant joined).
        Created = "created",
        /// The resource changed (a state change, a transfer step).
        Updated = "updated",
        /// The resource is gone (the call ended).
        Deleted = "deleted",
    }
}

open_enum! {
    /// A call's `state` (2018: `callState`). The 2018 kebab-case `transfer-accepted` maps to
    /// [`TransferAccepted`](Self::TransferAccepted).
    pub enum CallState {
        /// An incoming call.
        Incoming = "incoming",
        /// Being set up.
        Establishing = "establishing",
        /// Ringing (beta).
        Ringing = "ringing",
        /// Connected.
        Established = "established",
        /// On hold.
        Hold = "hold",
        /// A transfer is in progress.
        Transferring = "transferring",
        /// The transfer target accepted.
        TransferAccepted = "transferAccepted" | "transfer-accepted",
        /// Being redirected.
        Redirecting = "redirecting",
        /// Ending.
        Terminating = "terminating",
        /// Ended.
        Terminated = "terminated",
        /// Graph's evolvable-enum sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

/// What a notification is about.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ResourceKind {
    /// A call (`#microsoft.graph.call`, or a `.../calls/{id}` resource, or anything with a state).
    Call,
    /// A participants collection or a participant.
    Participants,
    /// An operation (`commsOperation` and its subtypes, or a `.../operations/{id}` resource).
    Operation,
    /// A call update carrying `toneInfo` (DTMF tones).
    Tone,
    /// A call update carrying `mediaState`.
    MediaState,
    /// Anything else.
    #[default]
    Other,
}

impl ResourceKind {
    /// Every kind, in declaration order (the wasm layer sends the index).
    pub const ALL: &'static [ResourceKind] = &[
        Self::Call,
        Self::Participants,
        Self::Operation,
        Self::Tone,
        Self::MediaState,
        Self::Other,
    ];

    /// The camelCase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Participants => "participants",
            Self::Operation => "operation",
            Self::Tone => "tone",
            Self::MediaState => "mediaState",
            Self::Other => "other",
        }
    }
}

/// What a notification means for a transfer.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TransferEvent {
    /// `state: transferring` (or a commsOperation with subcode `transferring`).
    Transferring,
    /// `state: transferAccepted` / `transfer-accepted` (or a commsOperation with subcode
    /// `transferAccepted`).
    TransferAccepted,
    /// The call ended (`state: terminated` or `changeType: deleted`) with `terminationReason:
    /// AppTransferred` or `resultInfo.subcode` 7015.
    TransferCompleted,
    /// `state: established` with `resultInfo.code` >= 400 (the call came back to the bot), or a
    /// failed commsOperation. Only meaningful while a transfer is pending; the tracker ignores
    /// it otherwise.
    TransferFailed,
}

impl TransferEvent {
    /// Every event, in declaration order (the wasm layer sends the index).
    pub const ALL: &'static [TransferEvent] = &[
        Self::Transferring,
        Self::TransferAccepted,
        Self::TransferCompleted,
        Self::TransferFailed,
    ];

    /// The camelCase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Transferring => "transferring",
            Self::TransferAccepted => "transferAccepted",
            Self::TransferCompleted => "transferCompleted",
            Self::TransferFailed => "transferFailed",
        }
    }
}

/// Limits applied to a notification body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    /// The largest body accepted, in bytes ([`DEFAULT_MAX_BYTES`] by default).
    pub max_bytes: usize,
    /// The deepest nesting accepted, counting the envelope as 1 ([`DEFAULT_MAX_DEPTH`]).
    pub max_depth: usize,
    /// The most items accepted in `value` ([`DEFAULT_MAX_ITEMS`]); a body of a million empty
    /// objects fits in 1 MiB but would cost far more memory parsed.
    pub max_items: usize,
}

/// Default [`ParseLimits::max_bytes`]: 1 MiB.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;
/// Default [`ParseLimits::max_depth`]: 64 levels.
pub const DEFAULT_MAX_DEPTH: usize = 64;
/// Default [`ParseLimits::max_items`]: 1000 notifications per body (Graph sends a few).
pub const DEFAULT_MAX_ITEMS: usize = 1000;

impl Default for ParseLimits {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_items: DEFAULT_MAX_ITEMS,
        }
    }
}

/// A `resultInfo.code` or `subcode`.
///
/// Serialized as a JSON number or string; deserialized from either (a hand-written visitor, not
/// `#[serde(untagged)]`, which would buffer every value and weigh on the wasm).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(type = "number | string"))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultCode<'a> {
    /// A number, or a numeric string such as `"200"` (magnitude at most 2^53 - 1).
    Number(i64),
    /// Any other value, verbatim: a word such as `"transferring"` (old beta commsOperations), a
    /// fraction or a huge number.
    Text(Cow<'a, str>),
}

impl Serialize for ResultCode<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(n) => serializer.serialize_i64(*n),
            Self::Text(t) => serializer.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for ResultCode<'_> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ResultCode<'static>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(ResultCode::Number(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(ResultCode::Number)
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ResultCode::Text(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl ResultCode<'_> {
    /// The number, if it is one.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(n) => Some(*n),
            Self::Text(_) => None,
        }
    }

    /// Copies borrowed text so the value outlives the body.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn into_owned(self) -> ResultCode<'static> {
        match self {
            Self::Number(n) => ResultCode::Number(n),
            Self::Text(t) => ResultCode::Text(Cow::Owned(t.into_owned())),
        }
    }
}

/// `resultInfo` of a notification, with `subcode`/`subCode` merged (`subcode` wins).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NotificationResult<'a> {
    /// `code`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ResultCode | null"))]
    pub code: Option<ResultCode<'a>>,
    /// `subcode` or `subCode`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ResultCode | null"))]
    pub subcode: Option<ResultCode<'a>>,
    /// `message`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub message: Option<Cow<'a, str>>,
}

impl NotificationResult<'_> {
    /// Copies borrowed text so the value outlives the body.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn into_owned(self) -> NotificationResult<'static> {
        NotificationResult {
            code: self.code.map(ResultCode::into_owned),
            subcode: self.subcode.map(ResultCode::into_owned),
            message: self.message.map(|m| Cow::Owned(m.into_owned())),
        }
    }
}

/// One parsed notification. Strings borrow from the body unless they had escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification<'a> {
    /// Position of the item in the body's `value` array.
    pub index: usize,
    /// What the notification is about.
    pub kind: ResourceKind,
    /// `changeType`.
    pub change_type: Option<ChangeType>,
    /// `resourceUrl`, or the 2018 `resource`.
    pub resource_url: Option<Cow<'a, str>>,
    /// The path segment after `/calls/` in the resource URL (see [`call_id_of`]).
    pub call_id: Option<Cow<'a, str>>,
    /// `resourceData.@odata.type`, such as `#microsoft.graph.call`.
    pub odata_type: Option<Cow<'a, str>>,
    /// `resourceData.@odata.etag`, or the item's `@odata.etag`.
    pub etag: Option<Cow<'a, str>>,
    /// `resourceData.state`, or the 2018 `callState`, normalised.
    pub state: Option<CallState>,
    /// `resourceData.terminationReason`, such as `AppTransferred`.
    pub termination_reason: Option<Cow<'a, str>>,
    /// `resourceData.resultInfo`.
    pub result_info: Option<NotificationResult<'a>>,
    /// `resourceData.clientContext`.
    pub client_context: Option<Cow<'a, str>>,
    /// `resourceData.status` of a commsOperation.
    pub operation_status: Option<OperationStatus>,
    /// `resourceData.toneInfo.tone` (`tone0`..`tone9`, `star`, `pound`, `a`..`d`, `flash`).
    pub tone: Option<Cow<'a, str>>,
    /// The transfer event this notification signals, if any.
    pub transfer: Option<TransferEvent>,
    /// `resourceData` exactly as sent (JSON text), including fields no schema lists.
    pub resource_data: Option<&'a str>,
}

impl Notification<'_> {
    /// `resourceData` parsed as a JSON value.
    ///
    /// # Errors
    ///
    /// Never for a value produced by the parser (the text was validated); returns the
    /// [`serde_json::Error`] otherwise.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn resource_data_value(&self) -> Option<Result<serde_json::Value, serde_json::Error>> {
        self.resource_data.map(serde_json::from_str)
    }
}

/// The result of parsing one body: the good items and the bad ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NotificationBatch<'a> {
    /// The parsed notifications, in body order.
    pub notifications: Vec<Notification<'a>>,
    /// The items that could not be parsed, in body order (their paths start with `value[i]`).
    pub errors: Vec<ItemError>,
}

/// Parses a callback body with the default [`ParseLimits`].
///
/// # Errors
///
/// See [`parse_notifications_with`].
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn parse_notifications(body: &[u8]) -> Result<NotificationBatch<'_>, Error> {
    parse_notifications_with(body, &ParseLimits::default())
}

/// Parses a callback body (`{"value": [ ... ]}`) into one [`Notification`] per good item and one
/// [`ItemError`] per bad item.
///
/// # Errors
///
/// Whole-body problems: [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) (over
/// `limits.max_bytes`), [`ErrorKind::InvalidUtf8`](crate::ErrorKind::InvalidUtf8),
/// [`ErrorKind::InvalidJson`](crate::ErrorKind::InvalidJson),
/// [`ErrorKind::InvalidEnvelope`](crate::ErrorKind::InvalidEnvelope) (not an object, `value`
/// missing or not an array), [`ErrorKind::TooDeep`](crate::ErrorKind::TooDeep) outside the
/// items and [`ErrorKind::TooManyItems`](crate::ErrorKind::TooManyItems) (over
/// `limits.max_items`). An item that is not an object, has a field of the wrong type or nests too deep becomes
/// an [`ItemError`] (kind `invalidType` or `tooDeep`, path such as
/// `value[3].resourceData.state`).
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn parse_notifications_with<'a>(
    body: &'a [u8],
    limits: &ParseLimits,
) -> Result<NotificationBatch<'a>, Error> {
    let batch = raw::parse_raw(body, limits)?;
    // parse_raw validated the UTF-8.
    let text = std::str::from_utf8(body).unwrap_or("");
    let notifications = batch
        .entries
        .iter()
        .map(|e| to_notification(e, text))
        .collect();
    Ok(NotificationBatch {
        notifications,
        errors: batch.errors,
    })
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn code<'a>(c: Option<raw::RawCode>, text: &'a str) -> Option<ResultCode<'a>> {
    c.map(|c| match c {
        raw::RawCode::Int { value, .. } => ResultCode::Number(value),
        raw::RawCode::Text(r) => ResultCode::Text(r.text(text)),
    })
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn to_notification<'a>(e: &raw::RawEntry, text: &'a str) -> Notification<'a> {
    let t = |r: Option<raw::TextRef>| r.map(|r| r.text(text));
    let resource_url = t(e.resource_url);
    let call_id = if e.call_id_needs_decoding {
        resource_url
            .as_deref()
            .and_then(call_id_of)
            .map(|s| Cow::Owned(s.to_owned()))
    } else {
        t(e.call_id)
    };
    Notification {
        index: e.index,
        kind: e.kind,
        change_type: e.change_type.clone(),
        resource_url,
        call_id,
        odata_type: t(e.odata_type),
        etag: t(e.etag),
        state: e.state.clone(),
        termination_reason: t(e.termination_reason),
        result_info: e.result_info.map(|ri| NotificationResult {
            code: code(ri.code, text),
            subcode: code(ri.subcode, text),
            message: t(ri.message),
        }),
        client_context: t(e.client_context),
        operation_status: e.operation_status.clone(),
        tone: t(e.tone),
        transfer: e.transfer,
        resource_data: e.resource_data.and_then(|(a, b)| text.get(a..b)),
    }
}

/// The call id in a resource URL: the path segment after the first `/calls/` (up to the next
/// `/`, `?` or `#`), or `None` when there is none or it is empty.
///
/// ```
/// use graph_call_transfer::notify::call_id_of;
/// assert_eq!(call_id_of("/communications/calls/341a/operations/7"), Some("341a"));
/// assert_eq!(call_id_of("/app/calls/57DA"), Some("57DA"));
/// assert_eq!(call_id_of("/communications/onlineMeetings/1"), None);
/// ```
pub fn call_id_of(url: &str) -> Option<&str> {
    call_id_range(url).map(|(a, b)| &url[a..b])
}

pub(crate) fn call_id_range(url: &str) -> Option<(usize, usize)> {
    url_features(url).call_id
}

/// What the parser needs to know about a resource URL, found in one pass over its slashes.
#[derive(Default)]
pub(crate) struct UrlFeatures {
    /// Byte range of the segment after the first `/calls/`.
    pub call_id: Option<(usize, usize)>,
    /// The URL contains `/participants`.
    pub participants: bool,
    /// The URL contains `/operations/`.
    pub operations: bool,
}

pub(crate) fn url_features(url: &str) -> UrlFeatures {
    let b = url.as_bytes();
    let mut f = UrlFeatures::default();
    for (i, _) in b.iter().enumerate().filter(|(_, &c)| c == b'/') {
        let rest = &b[i..];
        if f.call_id.is_none() && rest.starts_with(b"/calls/") {
            let at = i + b"/calls/".len();
            let len = b[at..]
                .iter()
                .position(|c| matches!(c, b'/' | b'?' | b'#'))
                .unwrap_or(b.len() - at);
            if len > 0 {
                f.call_id = Some((at, at + len));
            } else {
                // An empty segment: look no further (`/calls//x` has no call id).
                f.call_id = Some((0, 0));
            }
        } else if rest.starts_with(b"/participants") {
            f.participants = true;
        } else if rest.starts_with(b"/operations/") {
            f.operations = true;
        }
    }
    if f.call_id == Some((0, 0)) {
        f.call_id = None;
    }
    f
}
