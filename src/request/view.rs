//! Borrowed, validation-only views of the JSON a transfer is made of.
//!
//! The builder never re-serializes what the caller wrote: it validates the caller's JSON through
//! these zero-copy views (strings borrowed from the input, unknown members skipped or kept as raw
//! slices) and then splices the very same text into the body. What is validated is byte for byte
//! what is sent, and the hot path allocates almost nothing (see `benches/request.mjs`).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{from_serde, Error, ErrorKind};

/// Parses `json` as `T`, fast; on failure parses again with path tracking to report where.
pub(crate) fn parse<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T, Error> {
    match serde_json::from_str(json) {
        Ok(value) => Ok(value),
        Err(_) => {
            let mut de = serde_json::Deserializer::from_str(json);
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(err) => Err(from_serde(err)),
                // Both parses see the same input; this arm only guards against a trailing-data
                // error that the path-tracking parse does not check.
                Ok(_) => Err(match de.end() {
                    Err(e) => Error::new(
                        ErrorKind::InvalidJson {
                            detail: e.to_string(),
                        },
                        "",
                    ),
                    Ok(()) => Error::new(
                        ErrorKind::InvalidJson {
                            detail: "unexpected input".to_owned(),
                        },
                        "",
                    ),
                }),
            }
        }
    }
}

/// Parses a JSON text that must be an object (options, a body) into `T`.
pub(crate) fn parse_object<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T, Error> {
    let found = match json.trim_start().as_bytes().first() {
        Some(b'{') => return parse(json),
        None => return parse(json),
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "a number",
        Some(_) => return parse(json),
    };
    Err(Error::new(
        ErrorKind::InvalidType {
            detail: format!("expected a JSON object, found {found}"),
        },
        "",
    ))
}

/// An identity member: only the fields validation reads; the rest is skipped.
// Some fields are decoded only so that a wrong JSON type is reported with its path.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdentityView<'a> {
    #[serde(borrow, default)]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub display_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub tenant_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "@odata.type")]
    pub odata_type: Option<Cow<'a, str>>,
}

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

/// An identity set: its known members, and whether it has unknown object-valued members (future
/// identity kinds, which count as an identity).
pub(crate) struct IdentitySetView<'a> {
    pub members: Vec<(&'static str, IdentityView<'a>)>,
    pub has_unknown_member: bool,
}

impl<'de: 'a, 'a> Deserialize<'de> for IdentitySetView<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SetVisitor;
        impl<'de> Visitor<'de> for SetVisitor {
            type Value = IdentitySetView<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an identitySet object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut set = IdentitySetView {
                    members: Vec::new(),
                    has_unknown_member: false,
                };
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if let Some(name) = MEMBERS.iter().find(|m| **m == key) {
                        if let Some(identity) = map.next_value::<Option<IdentityView<'de>>>()? {
                            set.members.push((name, identity));
                        }
                    } else if key == "@odata.type" {
                        map.next_value::<Option<Cow<'de, str>>>()?;
                    } else {
                        let raw = map.next_value::<&'de RawValue>()?;
                        set.has_unknown_member |= raw.get().starts_with('{');
                    }
                }
                Ok(set)
            }
        }
        deserializer.deserialize_map(SetVisitor)
    }
}

/// `invitationParticipantInfo`, for validation.
// Some fields are decoded only so that a wrong JSON type is reported with its path.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TargetView<'a> {
    #[serde(borrow, default)]
    pub identity: Option<IdentitySetView<'a>>,
    #[serde(borrow, default)]
    pub replaces_call_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub language_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub region: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub participant_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub endpoint_type: Option<Cow<'a, str>>,
    #[serde(default)]
    pub hidden: Option<bool>,
    #[serde(borrow, default, rename = "@odata.type")]
    pub odata_type: Option<Cow<'a, str>>,
    /// Present when a caller nested `transferee` inside the target (a documented mistake).
    #[serde(default)]
    pub transferee: Option<IgnoredAny>,
}

/// `participantInfo` (a transferee), for validation.
// Some fields are decoded only so that a wrong JSON type is reported with its path.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ParticipantView<'a> {
    #[serde(borrow, default)]
    pub identity: Option<IdentitySetView<'a>>,
    #[serde(borrow, default)]
    pub participant_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub endpoint_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub country_code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub language_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub region: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub platform_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "@odata.type")]
    pub odata_type: Option<Cow<'a, str>>,
}

/// The options of `buildTransferRequest`, with the target and transferee kept as raw JSON.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct OptionsView<'a> {
    #[serde(borrow, default)]
    pub call_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub transfer_target: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub transferee: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub client_context: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub operation_context: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub api_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub cloud: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub base_url: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub client_request_id: Option<Cow<'a, str>>,
}

/// A transfer body in either dialect, decoded for validation in a single pass.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BodyView<'a> {
    #[serde(borrow, default)]
    pub transfer_target: Option<TargetView<'a>>,
    #[serde(borrow, default)]
    pub target: Option<TargetView<'a>>,
    #[serde(borrow, default)]
    pub transferee: Option<ParticipantView<'a>>,
    #[serde(borrow, default)]
    pub client_context: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub operation_context: Option<Cow<'a, str>>,
}

/// A raw value that is JSON `null` counts as absent.
pub(crate) fn present(raw: Option<&RawValue>) -> Option<&RawValue> {
    raw.filter(|r| r.get() != "null")
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

/// Appends `value` as a JSON string literal.
pub(crate) fn push_json_string(out: &mut String, value: &str) {
    if !value.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push('"');
        out.push_str(value);
        out.push('"');
        return;
    }
    // serde_json escapes exactly as JSON requires; a `&str` always serializes.
    if let Ok(text) = serde_json::to_string(value) {
        out.push_str(&text);
    }
}
