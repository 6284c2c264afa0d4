use serde::{Deserialize, Serialize};

#[cfg(feature = "simulator")]
use super::json::Want;
use super::view::{self, document};
use super::{validate, ApiVersion};
use crate::error::{from_serde, Error, ErrorKind};
use crate::model::{Extra, InvitationParticipantInfo, ParticipantInfo};

/// A transfer request body as received (by a Graph simulator, a proxy or a test), in either
/// dialect. [`TransferBody::parse`] validates it with the same rules as the builder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferBody {
    /// Today's target (v1.0 and beta).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_target: Option<InvitationParticipantInfo>,
    /// The 2018 beta's target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<InvitationParticipantInfo>,
    /// The transferee of a group-call transfer (v1.0 and beta).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferee: Option<ParticipantInfo>,
    /// The client context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_context: Option<String>,
    /// The 2018 beta's operation context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_context: Option<String>,
    /// Members not modelled here, kept verbatim.
    #[serde(flatten, default, skip_serializing_if = "crate::model::is_empty")]
    pub extra: Extra,
}

impl TransferBody {
    /// Parses and validates a body sent to the `api_version` endpoint.
    ///
    /// ```
    /// use graph_call_transfer::{ApiVersion, TransferBody};
    /// let body = TransferBody::parse(
    ///     br#"{"transferTarget":{"identity":{"phone":{"id":"+12345678901"}}}}"#,
    ///     ApiVersion::V1,
    /// )?;
    /// assert_eq!(body.target().and_then(|t| t.identity.as_ref()).and_then(|i| i.phone.as_ref()).and_then(|p| p.id.as_deref()), Some("+12345678901"));
    /// let err = TransferBody::parse(br#"{"target":{}}"#, ApiVersion::V1).unwrap_err();
    /// assert_eq!((err.kind_name(), err.path()), ("unsupportedInDialect", "target"));
    /// # Ok::<(), graph_call_transfer::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidJson`] / [`ErrorKind::InvalidType`] with the path; for v1.0 and beta a
    /// missing `transferTarget`, a 2018 `target` or `operationContext`; for the 2018 beta a missing
    /// `target`, a `transferTarget` or `transferee` ([`ErrorKind::UnsupportedInDialect`]); then the
    /// builder's rules ([`validate`]).
    pub fn parse(json: &[u8], api_version: ApiVersion) -> Result<Self, Error> {
        validate_body(json, api_version)?;
        // Validation parsed the same bytes, so decoding into the typed model cannot fail on
        // syntax; a failure here would be a type the views do not check, reported with its path.
        let mut de = serde_json::Deserializer::from_slice(json);
        serde_path_to_error::deserialize(&mut de).map_err(from_serde)
    }

    /// The target, whichever dialect carried it.
    pub fn target(&self) -> Option<&InvitationParticipantInfo> {
        self.transfer_target.as_ref().or(self.target.as_ref())
    }
}

/// Validates a received transfer body for `api_version` without building the typed model: the
/// fast check behind [`TransferBody::parse`] and the JavaScript `parseTransferBody`.
///
/// # Errors
/// As [`TransferBody::parse`].
pub fn validate_body(json: &[u8], api_version: ApiVersion) -> Result<(), Error> {
    let text = utf8(json)?;
    let mut body = view::BodyView::default();
    document(text, |s| view::body(s, &mut body))?;
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
    validate::target_view(target).map_err(|e| e.within(target_path))?;
    if let Some(transferee) = &body.transferee {
        validate::transferee_view(transferee).map_err(|e| e.within("transferee"))?;
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

/// `json` as text, or [`ErrorKind::InvalidJson`] when it is not UTF-8.
pub(crate) fn utf8(json: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(json).map_err(|e| {
        Error::new(
            ErrorKind::InvalidJson {
                detail: crate::json::utf8_error_text("not UTF-8: ", &e),
            },
            "",
        )
    })
}

/// What the Graph simulator (`crate::simulate`) reads from a valid body.
#[cfg(feature = "simulator")]
pub(crate) struct BodySummary {
    pub client_context: Option<String>,
    pub replaces_call_id: Option<String>,
    pub to_phone: bool,
}

/// Validates `json` as [`validate_body`] does, then summarizes it with the same scanner (so the
/// simulator adds no JSON decoder of its own to the wasm).
#[cfg(feature = "simulator")]
pub(crate) fn summarize_body(json: &[u8], api_version: ApiVersion) -> Result<BodySummary, Error> {
    validate_body(json, api_version)?;
    let text = utf8(json)?;
    let mut client_context = None;
    let mut replaces_call_id = None;
    let mut to_phone = false;
    document(text, |s| {
        s.object(|s, key| match key {
            "clientContext" => s.member(key, |s| {
                client_context = s.opt_string(Want::Decode)?.map(|c| c.into_owned());
                Ok(())
            }),
            "transferTarget" | "target" => s.member(key, |s| {
                if !s.at_object() {
                    return s.skip();
                }
                s.object(|s, key| match key {
                    "replacesCallId" => s.member(key, |s| {
                        replaces_call_id = s.opt_string(Want::Decode)?.map(|c| c.into_owned());
                        Ok(())
                    }),
                    "identity" => s.member(key, |s| {
                        if !s.at_object() {
                            return s.skip();
                        }
                        s.object(|s, key| {
                            s.member(key, |s| {
                                to_phone |= key == "phone" && s.at_object();
                                s.skip()
                            })
                        })
                    }),
                    _ => s.member(key, |s| s.skip()),
                })
            }),
            _ => s.member(key, |s| s.skip()),
        })
    })?;
    Ok(BodySummary {
        client_context,
        replaces_call_id,
        to_phone,
    })
}
