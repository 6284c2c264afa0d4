use std::borrow::Cow;

use super::view::{push_compact, push_json_string};
use super::{validate, validate_body, ApiVersion, Cloud, TransferRequest};
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
        let encode = |value: Result<String, serde_json::Error>, path: &str| {
            value.map_err(|e| {
                Error::new(
                    ErrorKind::InvalidType {
                        detail: e.to_string(),
                    },
                    path,
                )
            })
        };
        let target = encode(serde_json::to_string(&self.target), "transferTarget")?;
        let transferee = match &self.transferee {
            Some(t) => Some(encode(serde_json::to_string(t), "transferee")?),
            None => None,
        };
        assemble(&Parts {
            call_id: &self.call_id,
            target: &target,
            transferee: transferee.as_deref(),
            client_context: self.client_context.as_deref(),
            operation_context: self.operation_context.as_deref(),
            api_version: self.api_version,
            cloud: match &self.base {
                Base::Cloud(cloud) => Some(*cloud),
                Base::Url(_) => None,
            },
            base_url: match &self.base {
                Base::Url(url) => Some(url),
                Base::Cloud(_) => None,
            },
            client_request_id: self.client_request_id.as_deref(),
        })
    }
}

/// The parts of a request, with the target and transferee as JSON text.
pub(crate) struct Parts<'a> {
    pub call_id: &'a str,
    pub target: &'a str,
    pub transferee: Option<&'a str>,
    pub client_context: Option<&'a str>,
    pub operation_context: Option<&'a str>,
    pub api_version: ApiVersion,
    pub cloud: Option<Cloud>,
    pub base_url: Option<&'a str>,
    pub client_request_id: Option<&'a str>,
}

/// Everything about a request except its body: where and with which headers.
pub(crate) struct Head<'a> {
    pub call_id: Option<&'a str>,
    pub api_version: ApiVersion,
    pub cloud: Option<Cloud>,
    pub base_url: Option<&'a str>,
    pub client_request_id: Option<&'a str>,
}

impl Head<'_> {
    /// Validates the head and returns the base URL (normalised) to send to.
    pub(crate) fn check(&self) -> Result<Cow<'static, str>, Error> {
        let call_id = self
            .call_id
            .ok_or_else(|| Error::new(ErrorKind::MissingField, "callId"))?;
        validate::call_id(call_id).map_err(|e| e.within("callId"))?;
        let base: Cow<'static, str> = match (self.cloud, self.base_url) {
            (Some(_), Some(_)) => {
                return Err(Error::new(
                    ErrorKind::ConflictingOptions { other: "baseUrl" },
                    "cloud",
                ))
            }
            (_, Some(url)) => Cow::Owned(validate::base_url(url).map_err(|e| e.within("baseUrl"))?),
            (cloud, None) => Cow::Borrowed(cloud.unwrap_or_default().base_url()),
        };
        if let Some(id) = self.client_request_id {
            validate::client_request_id(id).map_err(|e| e.within("clientRequestId"))?;
        }
        Ok(base)
    }

    /// Validates the head and returns the URL and the headers.
    pub(crate) fn resolve(&self) -> Result<(String, Vec<(String, String)>), Error> {
        let base = self.check()?;
        let call_id = self.call_id.unwrap_or_default();
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        if let Some(id) = self.client_request_id {
            headers.push(("client-request-id".to_owned(), id.to_owned()));
        }
        let mut url = url_before_call_id(&base, self.api_version);
        url.push_str(call_id);
        url.push_str(URL_AFTER_CALL_ID);
        Ok((url, headers))
    }
}

/// What follows the call id in every transfer URL.
pub(crate) const URL_AFTER_CALL_ID: &str = "/transfer";

/// The transfer URL up to the call id, for a validated base URL.
pub(crate) fn url_before_call_id(base: &str, api_version: ApiVersion) -> String {
    let path = match api_version {
        ApiVersion::V1 => "/v1.0/communications/calls/",
        ApiVersion::Beta => "/beta/communications/calls/",
        ApiVersion::Beta2018 => "/beta/app/calls/",
    };
    let mut url = String::with_capacity(base.len() + path.len() + 64);
    url.push_str(base);
    url.push_str(path);
    url
}

/// Splices the caller's own JSON into the body of the chosen dialect, then validates the head and
/// the body: what is validated is exactly what is sent.
pub(crate) fn assemble(parts: &Parts<'_>) -> Result<TransferRequest, Error> {
    let version = parts.api_version;
    let (url, headers) = Head {
        call_id: Some(parts.call_id),
        api_version: version,
        cloud: parts.cloud,
        base_url: parts.base_url,
        client_request_id: parts.client_request_id,
    }
    .resolve()?;

    let mut body = String::with_capacity(
        parts.target.len()
            + parts.transferee.map_or(0, str::len)
            + parts.client_context.map_or(0, str::len)
            + parts.operation_context.map_or(0, str::len)
            + 64,
    );
    // Member order follows the documentation of each dialect. Members a dialect does not have are
    // still written, so that validation reports them by name.
    let members: [(&str, Option<&str>, bool); 4] = match version {
        ApiVersion::V1 | ApiVersion::Beta => [
            ("transferTarget", Some(parts.target), true),
            ("transferee", parts.transferee, true),
            ("clientContext", parts.client_context, false),
            ("operationContext", parts.operation_context, false),
        ],
        ApiVersion::Beta2018 => [
            ("clientContext", parts.client_context, false),
            ("operationContext", parts.operation_context, false),
            ("transferee", parts.transferee, true),
            ("target", Some(parts.target), true),
        ],
    };
    body.push('{');
    for (key, value, is_json) in members {
        let Some(value) = value else { continue };
        if body.len() > 1 {
            body.push(',');
        }
        body.push('"');
        body.push_str(key);
        body.push_str("\":");
        if is_json {
            push_compact(&mut body, value);
        } else {
            push_json_string(&mut body, value);
        }
    }
    body.push('}');
    validate_body(body.as_bytes(), version)?;

    Ok(TransferRequest {
        method: "POST",
        url,
        headers,
        body,
        api_version: version,
    })
}
