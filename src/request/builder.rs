use serde::Serialize;

use super::{validate, ApiVersion, Cloud, TransferRequest};
use crate::error::{Error, ErrorKind};
use crate::model::{InvitationParticipantInfo, ParticipantInfo};

/// Builds a validated [`TransferRequest`] for `POST .../calls/{id}/transfer`.
///
/// Nothing is checked until [`build`](Self::build), which reports the first problem with its JSON
/// path. The builder does no IO.
///
/// ```
/// use graph_call_transfer::{ApiVersion, InvitationParticipantInfo, TransferRequestBuilder};
///
/// let request = TransferRequestBuilder::new(
///     "341a0500-d4bf-4224-8b19-1581168d328b",
///     InvitationParticipantInfo::phone("+12345678901").with_locale("en-US", "amer"),
/// )
/// .client_context("9e90d1c1-f61e-43e7-9f75-d420159aae08")
/// .build()?;
///
/// assert_eq!(request.method, "POST");
/// assert_eq!(
///     request.url,
///     "https://graph.microsoft.com/v1.0/communications/calls/341a0500-d4bf-4224-8b19-1581168d328b/transfer"
/// );
/// assert!(request.body.starts_with(r#"{"transferTarget":{"identity":{"phone":"#));
///
/// // A bad number is reported with the JSON path of the offending value.
/// let err = TransferRequestBuilder::new("call-1", InvitationParticipantInfo::phone("555-0100"))
///     .build()
///     .unwrap_err();
/// assert_eq!(err.path(), "transferTarget.identity.phone.id");
/// assert_eq!(err.kind_name(), "notE164");
/// # Ok::<(), graph_call_transfer::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct TransferRequestBuilder {
    call_id: String,
    target: InvitationParticipantInfo,
    transferee: Option<ParticipantInfo>,
    client_context: Option<String>,
    operation_context: Option<String>,
    api_version: ApiVersion,
    base: Base,
    client_request_id: Option<String>,
}

#[derive(Debug, Clone)]
enum Base {
    Cloud(Cloud),
    Url(String),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CurrentBody<'a> {
    transfer_target: &'a InvitationParticipantInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    transferee: Option<&'a ParticipantInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_context: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Beta2018Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    client_context: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    operation_context: Option<&'a str>,
    target: &'a InvitationParticipantInfo,
}

impl TransferRequestBuilder {
    /// Starts a transfer of the call `call_id` to `target`, for v1.0 in the global cloud.
    pub fn new(call_id: impl Into<String>, target: InvitationParticipantInfo) -> Self {
        Self {
            call_id: call_id.into(),
            target,
            transferee: None,
            client_context: None,
            operation_context: None,
            api_version: ApiVersion::V1,
            base: Base::Cloud(Cloud::Global),
            client_request_id: None,
        }
    }

    /// Chooses the dialect (default [`ApiVersion::V1`]).
    pub fn api_version(mut self, api_version: ApiVersion) -> Self {
        self.api_version = api_version;
        self
    }

    /// Chooses a national cloud (default [`Cloud::Global`]); replaces any [`base_url`](Self::base_url).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.base = Base::Cloud(cloud);
        self
    }

    /// Sends to a custom base URL, such as a local simulator (`http://127.0.0.1:8787`) or a proxy;
    /// replaces any [`cloud`](Self::cloud). Checked by [`validate::base_url`] at build time.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base = Base::Url(base_url.into());
        self
    }

    /// The participant to transfer, required when transferring from a group call (v1.0/beta only).
    pub fn transferee(mut self, transferee: ParticipantInfo) -> Self {
        self.transferee = Some(transferee);
        self
    }

    /// A client context (at most 256 characters) that Graph echoes in notifications.
    pub fn client_context(mut self, client_context: impl Into<String>) -> Self {
        self.client_context = Some(client_context.into());
        self
    }

    /// The 2018 beta's `operationContext` (only valid with [`ApiVersion::Beta2018`]).
    pub fn operation_context(mut self, operation_context: impl Into<String>) -> Self {
        self.operation_context = Some(operation_context.into());
        self
    }

    /// Adds a `client-request-id` header (a GUID is customary). The core has no random source, so
    /// the caller supplies it; the JavaScript API can generate one.
    pub fn client_request_id(mut self, id: impl Into<String>) -> Self {
        self.client_request_id = Some(id.into());
        self
    }

    /// Validates everything and produces the request.
    ///
    /// # Errors
    /// The first problem found, with its JSON path: see [`validate`] for the rules. Dialect checks:
    /// `transferee` is not part of the 2018 beta, `operationContext` is only part of it
    /// ([`ErrorKind::UnsupportedInDialect`]).
    pub fn build(self) -> Result<TransferRequest, Error> {
        validate::call_id(&self.call_id).map_err(|e| e.within("callId"))?;
        let base = match &self.base {
            Base::Cloud(cloud) => cloud.base_url().to_owned(),
            Base::Url(url) => validate::base_url(url).map_err(|e| e.within("baseUrl"))?,
        };
        let target_path = match self.api_version {
            ApiVersion::Beta2018 => "target",
            ApiVersion::V1 | ApiVersion::Beta => "transferTarget",
        };
        validate::transfer_target(&self.target).map_err(|e| e.within(target_path))?;
        if let Some(transferee) = &self.transferee {
            if self.api_version == ApiVersion::Beta2018 {
                return Err(unsupported("transferee", self.api_version));
            }
            validate::transferee(transferee).map_err(|e| e.within("transferee"))?;
        }
        if let Some(context) = &self.client_context {
            validate::client_context(context).map_err(|e| e.within("clientContext"))?;
        }
        if let Some(context) = &self.operation_context {
            if self.api_version != ApiVersion::Beta2018 {
                return Err(unsupported("operationContext", self.api_version));
            }
            if context.trim().is_empty() {
                return Err(Error::new(ErrorKind::EmptyValue, "operationContext"));
            }
        }
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        if let Some(id) = &self.client_request_id {
            validate::client_request_id(id).map_err(|e| e.within("clientRequestId"))?;
            headers.push(("client-request-id".to_owned(), id.clone()));
        }

        let body = match self.api_version {
            ApiVersion::V1 | ApiVersion::Beta => serde_json::to_string(&CurrentBody {
                transfer_target: &self.target,
                transferee: self.transferee.as_ref(),
                client_context: self.client_context.as_deref(),
            }),
            ApiVersion::Beta2018 => serde_json::to_string(&Beta2018Body {
                client_context: self.client_context.as_deref(),
                operation_context: self.operation_context.as_deref(),
                target: &self.target,
            }),
        }
        .map_err(|e| {
            Error::new(
                ErrorKind::InvalidType {
                    detail: e.to_string(),
                },
                target_path,
            )
        })?;

        Ok(TransferRequest {
            method: "POST",
            url: format!("{base}{}", self.api_version.transfer_path(&self.call_id)),
            headers,
            body,
            api_version: self.api_version,
        })
    }
}

fn unsupported(path: &str, api_version: ApiVersion) -> Error {
    Error::new(
        ErrorKind::UnsupportedInDialect {
            dialect: api_version.as_str(),
        },
        path,
    )
}
