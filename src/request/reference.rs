//! The serde-based validation the scanner replaced, kept as a test oracle: the property tests in
//! `super::scan_tests` check that the fast path agrees with it on every generated input. It
//! duplicates the rules of `validate.rs` and `body.rs` on purpose: an oracle must not share code
//! with what it checks.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{validate, ApiVersion};
use crate::error::{from_serde, Error, ErrorKind};

/// Parses `json` as `T`, fast; on failure parses again with path tracking to report where.
#[allow(dead_code)]
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

mod rules {
    use super::{IdentitySetView, ParticipantView, TargetView};
    use crate::error::{Error, ErrorKind};
    use crate::request::validate::{self, ID_MAX_CHARS};

    const MEMBERS_REQUIRING_ID: [&str; 6] = [
        "user",
        "application",
        "applicationInstance",
        "phone",
        "guest",
        "azureCommunicationServicesUser",
    ];

    fn non_empty(value: &str) -> Result<(), Error> {
        if value.trim().is_empty() {
            Err(Error::new(ErrorKind::EmptyValue, ""))
        } else {
            Ok(())
        }
    }

    fn max_chars(value: &str, max: usize) -> Result<(), Error> {
        let len = value.chars().count();
        if len > max {
            Err(Error::new(ErrorKind::TooLong { max, len }, ""))
        } else {
            Ok(())
        }
    }

    fn optional_id(value: Option<&str>, path: &str) -> Result<(), Error> {
        match value {
            None => Ok(()),
            Some(v) => non_empty(v)
                .and_then(|()| max_chars(v, ID_MAX_CHARS))
                .map_err(|e| e.within(path)),
        }
    }

    fn identity_set(identity: &IdentitySetView<'_>) -> Result<(), Error> {
        if identity.members.is_empty() && !identity.has_unknown_member {
            return Err(Error::new(ErrorKind::MissingIdentity, ""));
        }
        for (name, member) in &identity.members {
            let needs_id = MEMBERS_REQUIRING_ID.contains(name);
            match member.id.as_deref() {
                None if needs_id => {
                    return Err(Error::new(ErrorKind::MissingField, format!("{name}.id")));
                }
                Some(id) => {
                    non_empty(id).map_err(|e| e.within(&format!("{name}.id")))?;
                    max_chars(id, ID_MAX_CHARS).map_err(|e| e.within(&format!("{name}.id")))?;
                    if *name == "phone" {
                        validate::e164(id).map_err(|e| e.within("phone.id"))?;
                    }
                }
                None => {}
            }
        }
        Ok(())
    }

    pub(super) fn target_view(target: &TargetView<'_>) -> Result<(), Error> {
        let identity = target
            .identity
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::MissingIdentity, "identity"))?;
        identity_set(identity).map_err(|e| e.within("identity"))?;
        if target.transferee.is_some() {
            return Err(Error::new(
                ErrorKind::MisplacedField {
                    belongs: "the top level of the body, beside transferTarget",
                },
                "transferee",
            ));
        }
        optional_id(target.replaces_call_id.as_deref(), "replacesCallId")?;
        optional_id(target.language_id.as_deref(), "languageId")?;
        optional_id(target.region.as_deref(), "region")?;
        optional_id(target.participant_id.as_deref(), "participantId")?;
        Ok(())
    }

    pub(super) fn transferee_view(transferee: &ParticipantView<'_>) -> Result<(), Error> {
        let identity = transferee
            .identity
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::MissingIdentity, "identity"))?;
        identity_set(identity).map_err(|e| e.within("identity"))?;
        match transferee.participant_id.as_deref() {
            None => Err(Error::new(ErrorKind::MissingField, "participantId")),
            Some(id) => optional_id(Some(id), "participantId"),
        }
    }
}

/// The former `validate_body`: serde views, then the rules.
pub(crate) fn validate_body(json: &[u8], api_version: ApiVersion) -> Result<(), Error> {
    let text = std::str::from_utf8(json).map_err(|e| {
        Error::new(
            ErrorKind::InvalidJson {
                detail: format!("not UTF-8: {e}"),
            },
            "",
        )
    })?;
    let body: BodyView<'_> = parse_object(text)?;
    let dialect = api_version.as_str();
    let unsupported = |path: &str| Error::new(ErrorKind::UnsupportedInDialect { dialect }, path);
    let (target, target_path) = match api_version {
        ApiVersion::V1 | ApiVersion::Beta => {
            if body.target.is_some() {
                return Err(unsupported("target"));
            }
            if body.operation_context.is_some() {
                return Err(unsupported("operationContext"));
            }
            (body.transfer_target.as_ref(), "transferTarget")
        }
        ApiVersion::Beta2018 => {
            if body.transfer_target.is_some() {
                return Err(unsupported("transferTarget"));
            }
            if body.transferee.is_some() {
                return Err(unsupported("transferee"));
            }
            (body.target.as_ref(), "target")
        }
    };
    let target = target.ok_or_else(|| Error::new(ErrorKind::MissingField, target_path))?;
    rules::target_view(target).map_err(|e| e.within(target_path))?;
    if let Some(transferee) = &body.transferee {
        rules::transferee_view(transferee).map_err(|e| e.within("transferee"))?;
    }
    if let Some(context) = &body.client_context {
        validate::client_context(context).map_err(|e| e.within("clientContext"))?;
    }
    if let Some(context) = &body.operation_context {
        if context.trim().is_empty() {
            return Err(Error::new(ErrorKind::EmptyValue, "operationContext"));
        }
    }
    Ok(())
}

/// The former head parse of `prepare`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct HeadView<'a> {
    #[serde(borrow, default)]
    pub call_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub api_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub cloud: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub base_url: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub client_request_id: Option<Cow<'a, str>>,
}
