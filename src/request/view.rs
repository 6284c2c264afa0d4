//! Borrowed, validation-only views of the JSON a transfer is made of, read in one pass by the
//! scanner in [`super::json`].
//!
//! The builder never re-serializes what the caller wrote: it validates the caller's JSON through
//! these views (strings borrowed from the input, known fields type-checked, unknown members
//! skipped) and then sends the very same text. What is validated is byte for byte what is sent,
//! and the hot path allocates nothing when the input is valid (see `benches/request.mjs`).
//!
//! The views follow the serde model types field for field: the same wire names, `null` for an
//! absent optional field, a duplicated known field is an error, unknown members are skipped (or,
//! in the options, refused). The rules run after the whole document has been read, in the same
//! order as before, so the first error reported is the same one.

use std::borrow::Cow;

use super::json::{Expected, Scanner, Want};
use super::validate;
use crate::error::{Error, ErrorKind};

/// The wire names of the identity-set members the crate models.
pub(crate) const MEMBERS: [&str; 10] = [
    "user",
    "application",
    "applicationInstance",
    "device",
    "phone",
    "guest",
    "encrypted",
    "onPremises",
    "azureCommunicationServicesUser",
    "assertedIdentity",
];

/// Reads a whole JSON document that must be an object, with `read` at its `{`.
pub(crate) fn document<'a, T>(
    text: &'a str,
    read: impl FnOnce(&mut Scanner<'a>) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut s = Scanner::new(text);
    let found = match s.peek() {
        Some(b'{') => None,
        Some(b'[') => Some("an array"),
        Some(b'"') => Some("a string"),
        Some(b't' | b'f') => Some("a boolean"),
        Some(b'n') => Some("null"),
        Some(b'-' | b'0'..=b'9') => Some("a number"),
        _ => return Err(s.wrong_type(Expected::Object)),
    };
    if let Some(found) = found {
        let mut detail = String::from("expected a JSON object, found ");
        detail.push_str(found);
        return Err(Error::new(ErrorKind::InvalidType { detail }, ""));
    }
    let value = read(&mut s)?;
    s.end()?;
    Ok(value)
}

/// Reads a whole JSON document whose top level is read by `read` (a non-object is a type error).
pub(crate) fn value<'a, T>(
    text: &'a str,
    read: impl FnOnce(&mut Scanner<'a>) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut s = Scanner::new(text);
    if !s.at_object() {
        return Err(s.wrong_type(Expected::Object));
    }
    let value = read(&mut s)?;
    s.end()?;
    Ok(value)
}

/// `serde`'s error for a known field given twice, at the object's path.
#[cold]
fn duplicate(field: &str) -> Error {
    let mut detail = String::from("duplicate field `");
    detail.push_str(field);
    detail.push('`');
    Error::new(ErrorKind::InvalidType { detail }, "")
}

/// Records that the field `bit` was seen; a second time is an error.
#[inline]
fn once(seen: &mut u16, bit: u16, key: &str) -> Result<(), Error> {
    if *seen & bit != 0 {
        return Err(duplicate(key));
    }
    *seen |= bit;
    Ok(())
}

/// An optional object: `null` is `None`, an object is read by `read`, anything else is a type
/// error.
fn opt_object<'a, T>(
    s: &mut Scanner<'a>,
    read: impl FnOnce(&mut Scanner<'a>) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    if s.at_object() {
        return read(s).map(Some);
    }
    if s.null()? {
        return Ok(None);
    }
    Err(s.wrong_type(Expected::Object))
}

/// An optional object read in place: `null` is `None`, an object is read by `read` into a fresh
/// default value in `slot` (large views are not moved around), anything else is a type error.
fn opt_object_in<'a, T: Default>(
    s: &mut Scanner<'a>,
    slot: &mut Option<T>,
    read: impl FnOnce(&mut Scanner<'a>, &mut T) -> Result<(), Error>,
) -> Result<(), Error> {
    if s.at_object() {
        return read(s, slot.insert(T::default()));
    }
    if s.null()? {
        *slot = None;
        return Ok(());
    }
    Err(s.wrong_type(Expected::Object))
}

/// Any value except `null` (which is `false`), skipped.
fn opt_any(s: &mut Scanner<'_>) -> Result<bool, Error> {
    if s.null()? {
        return Ok(false);
    }
    s.skip().map(|()| true)
}

/// An identity (`user`, `phone`, ...): its decoded `id`; `displayName`, `tenantId` and
/// `@odata.type` are type-checked.
fn identity<'a>(s: &mut Scanner<'a>) -> Result<Option<Cow<'a, str>>, Error> {
    let mut id = None;
    let mut seen = 0u16;
    s.object(|s, key| {
        let (bit, want) = match key {
            "id" => (1, Want::Decode),
            "displayName" => (2, Want::Check),
            "tenantId" => (4, Want::Check),
            "@odata.type" => (8, Want::Check),
            _ => return s.member(key, Scanner::skip),
        };
        once(&mut seen, bit, key)?;
        let value = s.member(key, |s| s.opt_string(want))?;
        if bit == 1 {
            id = value;
        }
        Ok(())
    })?;
    Ok(id)
}

/// An identity set, checked while it is read: the outcome of the identity rules
/// ([`validate::identity_member`] for each member in document order, then at least one member),
/// or a syntax or type error.
fn identity_set(s: &mut Scanner<'_>) -> Result<Result<(), Error>, Error> {
    let mut first_error = None;
    let mut any = false;
    s.object(|s, key| {
        if let Some(name) = MEMBERS.iter().find(|m| **m == key) {
            if let Some(id) = s.member(key, |s| opt_object(s, identity))? {
                any = true;
                if first_error.is_none() {
                    first_error = validate::identity_member(name, id.as_deref()).err();
                }
            }
        } else if key == "@odata.type" {
            s.member(key, |s| s.opt_string(Want::Check))?;
        } else {
            // A member the crate does not model: a future identity kind counts as a member.
            let object = s.member(key, |s| {
                let object = s.at_object();
                s.skip().map(|()| object)
            })?;
            any |= object;
        }
        Ok(())
    })?;
    Ok(match first_error {
        Some(error) => Err(error),
        None if !any => Err(Error::new(ErrorKind::MissingIdentity, "")),
        None => Ok(()),
    })
}

/// `invitationParticipantInfo`, for validation.
#[derive(Default)]
pub(crate) struct TargetView<'a> {
    /// The identity rules' outcome, when there is an identity.
    pub identity: Option<Result<(), Error>>,
    pub replaces_call_id: Option<Cow<'a, str>>,
    pub language_id: Option<Cow<'a, str>>,
    pub region: Option<Cow<'a, str>>,
    pub participant_id: Option<Cow<'a, str>>,
    /// `transferee` nested inside the target (a documented mistake).
    pub transferee: bool,
}

/// Reads a target object into `t`.
pub(crate) fn target<'a>(s: &mut Scanner<'a>, t: &mut TargetView<'a>) -> Result<(), Error> {
    let mut seen = 0u16;
    s.object(|s, key| {
        let slot = match key {
            "identity" => {
                once(&mut seen, 1, key)?;
                t.identity = s.member(key, |s| opt_object(s, identity_set))?;
                return Ok(());
            }
            "hidden" => {
                once(&mut seen, 2, key)?;
                return s.member(key, Scanner::opt_bool).map(drop);
            }
            "transferee" => {
                once(&mut seen, 4, key)?;
                t.transferee = s.member(key, opt_any)?;
                return Ok(());
            }
            "endpointType" | "@odata.type" => {
                once(&mut seen, if key == "endpointType" { 8 } else { 16 }, key)?;
                return s.member(key, |s| s.opt_string(Want::Check)).map(drop);
            }
            "replacesCallId" => (&mut t.replaces_call_id, 32),
            "languageId" => (&mut t.language_id, 64),
            "region" => (&mut t.region, 128),
            "participantId" => (&mut t.participant_id, 256),
            _ => return s.member(key, Scanner::skip),
        };
        once(&mut seen, slot.1, key)?;
        *slot.0 = s.member(key, |s| s.opt_string(Want::Decode))?;
        Ok(())
    })
}

/// `participantInfo` (a transferee), for validation.
#[derive(Default)]
pub(crate) struct ParticipantView<'a> {
    /// The identity rules' outcome, when there is an identity.
    pub identity: Option<Result<(), Error>>,
    pub participant_id: Option<Cow<'a, str>>,
}

/// Reads a participant object into `p`.
pub(crate) fn participant<'a>(
    s: &mut Scanner<'a>,
    p: &mut ParticipantView<'a>,
) -> Result<(), Error> {
    let mut seen = 0u16;
    s.object(|s, key| {
        let bit = match key {
            "identity" => {
                once(&mut seen, 1, key)?;
                p.identity = s.member(key, |s| opt_object(s, identity_set))?;
                return Ok(());
            }
            "participantId" => {
                once(&mut seen, 2, key)?;
                p.participant_id = s.member(key, |s| s.opt_string(Want::Decode))?;
                return Ok(());
            }
            "endpointType" => 4,
            "countryCode" => 8,
            "languageId" => 16,
            "region" => 32,
            "platformId" => 64,
            "@odata.type" => 128,
            _ => return s.member(key, Scanner::skip),
        };
        once(&mut seen, bit, key)?;
        s.member(key, |s| s.opt_string(Want::Check)).map(drop)
    })
}

/// A transfer body in either dialect, read for validation in a single pass.
#[derive(Default)]
pub(crate) struct BodyView<'a> {
    pub transfer_target: Option<TargetView<'a>>,
    pub target: Option<TargetView<'a>>,
    pub transferee: Option<ParticipantView<'a>>,
    pub client_context: Option<Cow<'a, str>>,
    pub operation_context: Option<Cow<'a, str>>,
}

/// Reads a body object into `b`.
pub(crate) fn body<'a>(s: &mut Scanner<'a>, b: &mut BodyView<'a>) -> Result<(), Error> {
    let mut seen = 0u16;
    s.object(|s, key| {
        match key {
            "transferTarget" | "target" => {
                let (slot, bit) = if key == "target" {
                    (&mut b.target, 2)
                } else {
                    (&mut b.transfer_target, 1)
                };
                once(&mut seen, bit, key)?;
                s.member(key, |s| opt_object_in(s, slot, target))?;
            }
            "transferee" => {
                once(&mut seen, 4, key)?;
                s.member(key, |s| opt_object_in(s, &mut b.transferee, participant))?;
            }
            "clientContext" | "operationContext" => {
                let (slot, bit) = if key == "clientContext" {
                    (&mut b.client_context, 8)
                } else {
                    (&mut b.operation_context, 16)
                };
                once(&mut seen, bit, key)?;
                *slot = s.member(key, |s| s.opt_string(Want::Decode))?;
            }
            _ => s.member(key, Scanner::skip)?,
        }
        Ok(())
    })
}

/// The non-body options of a request (`callId`, `apiVersion`, `cloud`, `baseUrl`,
/// `clientRequestId`), and in [`OptionsView`] the body's parts too.
#[derive(Default)]
pub(crate) struct HeadView<'a> {
    pub call_id: Option<Cow<'a, str>>,
    pub api_version: Option<Cow<'a, str>>,
    pub cloud: Option<Cow<'a, str>>,
    pub base_url: Option<Cow<'a, str>>,
    pub client_request_id: Option<Cow<'a, str>>,
}

/// The options of `buildTransferRequest`, with the target and transferee kept as raw JSON.
#[derive(Default)]
pub(crate) struct OptionsView<'a> {
    pub head: HeadView<'a>,
    pub transfer_target: Option<&'a str>,
    pub transferee: Option<&'a str>,
    pub client_context: Option<Cow<'a, str>>,
    pub operation_context: Option<Cow<'a, str>>,
}

/// Reads the options object (`raw` allows `transferTarget`, `transferee`, `clientContext` and
/// `operationContext`; without it they are unknown options, as in the head of `prepare`).
/// Unknown option names are refused, at their own path.
pub(crate) fn options<'a>(s: &mut Scanner<'a>, raw: bool) -> Result<OptionsView<'a>, Error> {
    let mut o = OptionsView::default();
    let mut seen = 0u16;
    s.object(|s, key| {
        let (slot, bit) = match key {
            "callId" => (&mut o.head.call_id, 1),
            "apiVersion" => (&mut o.head.api_version, 2),
            "cloud" => (&mut o.head.cloud, 4),
            "baseUrl" => (&mut o.head.base_url, 8),
            "clientRequestId" => (&mut o.head.client_request_id, 16),
            "clientContext" if raw => (&mut o.client_context, 32),
            "operationContext" if raw => (&mut o.operation_context, 64),
            "transferTarget" | "transferee" if raw => {
                let (slot, bit) = if key == "transferee" {
                    (&mut o.transferee, 256)
                } else {
                    (&mut o.transfer_target, 128)
                };
                once(&mut seen, bit, key)?;
                *slot = s.member(key, |s| {
                    if s.null()? {
                        return Ok(None);
                    }
                    let start = s.offset();
                    s.skip()?;
                    Ok(Some(s.slice(start, s.offset())))
                })?;
                return Ok(());
            }
            _ => return Err(Error::new(ErrorKind::UnknownOption, key)),
        };
        once(&mut seen, bit, key)?;
        *slot = s.member(key, |s| s.opt_string(Want::Decode))?;
        Ok(())
    })?;
    Ok(o)
}

/// Appends `raw` (valid JSON) to `out` without insignificant whitespace, copying runs of bytes
/// (whitespace, quotes and backslashes are ASCII, so every cut is on a character boundary).
pub(crate) fn push_compact(out: &mut String, raw: &str) {
    let bytes = raw.as_bytes();
    let mut run_start = 0;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 1;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            out.push_str(&raw[run_start..i]);
            run_start = i + 1;
        }
        i += 1;
    }
    out.push_str(&raw[run_start..]);
}

/// Appends `value` as a JSON string literal, escaped exactly as `serde_json` escapes.
pub(crate) fn push_json_string(out: &mut String, value: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in value.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&value[run..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(&value[run..]);
    out.push('"');
}

/// `prefix` + `.` + `name` (a path built only when reporting an error).
pub(crate) fn join(prefix: &str, name: &str) -> String {
    let mut path = String::with_capacity(prefix.len() + name.len() + 1);
    path.push_str(prefix);
    path.push('.');
    path.push_str(name);
    path
}
