//! The transfer request: dialects, clouds, the builder, validation and the JSON options API.
//!
//! Building never performs IO: the result is a [`TransferRequest`] (method, URL, headers and the
//! exact JSON body) that any HTTP client can send.

mod body;
mod builder;
mod compact;
#[cfg(test)]
mod compact_tests;
mod json;
mod options;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod scan_tests;
pub mod validate;
pub(crate) mod view;

use serde::Serialize;

pub use body::{validate_body, TransferBody};
pub use builder::TransferRequestBuilder;
pub use compact::no_escapes_needed;
pub use options::{build_from_json, check, check_compact, prepare, HeadOptions, TransferOptions};

use crate::error::{Error, ErrorKind};

/// Which shape of the transfer API to speak.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    /// Today's v1.0: `POST /v1.0/communications/calls/{id}/transfer`, body `transferTarget`,
    /// `transferee`, `clientContext`; answers `202 Accepted`.
    #[default]
    V1,
    /// Today's beta: same shape as v1.0 under `/beta`.
    Beta,
    /// The 2018 beta: `POST /beta/app/calls/{id}/transfer`, body `target`, `clientContext`,
    /// `operationContext`; answers `200 OK` with a `commsOperation`.
    Beta2018,
}

impl ApiVersion {
    /// The name used in options: `v1.0`, `beta` or `beta-2018`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1.0",
            Self::Beta => "beta",
            Self::Beta2018 => "beta-2018",
        }
    }

    /// Parses `v1.0`, `beta` or `beta-2018`.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownApiVersion`] at path `apiVersion` for anything else.
    pub fn parse(value: &str) -> Result<Self, Error> {
        match value {
            "v1.0" => Ok(Self::V1),
            "beta" => Ok(Self::Beta),
            "beta-2018" => Ok(Self::Beta2018),
            other => Err(Error::new(
                ErrorKind::UnknownApiVersion {
                    value: other.to_owned(),
                },
                "apiVersion",
            )),
        }
    }

    /// The HTTP status Graph answers a successful transfer with in this dialect.
    pub fn success_status(self) -> u16 {
        match self {
            Self::V1 | Self::Beta => 202,
            Self::Beta2018 => 200,
        }
    }

    /// The URL path below the base URL for transferring `call_id` (not validated here).
    pub fn transfer_path(self, call_id: &str) -> String {
        match self {
            Self::V1 => format!("/v1.0/communications/calls/{call_id}/transfer"),
            Self::Beta => format!("/beta/communications/calls/{call_id}/transfer"),
            Self::Beta2018 => format!("/beta/app/calls/{call_id}/transfer"),
        }
    }
}

/// A Microsoft Graph national cloud deployment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Cloud {
    /// The global service, `https://graph.microsoft.com`.
    #[default]
    Global,
    /// US Government L4, `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DOD), `https://dod-graph.microsoft.us`.
    UsGovL5,
    /// Microsoft Graph China operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl Cloud {
    /// Every cloud, in declaration order.
    pub const ALL: [Cloud; 4] = [Self::Global, Self::UsGovL4, Self::UsGovL5, Self::China];

    /// The name used in options: `global`, `usGovL4`, `usGovL5` or `china`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::UsGovL4 => "usGovL4",
            Self::UsGovL5 => "usGovL5",
            Self::China => "china",
        }
    }

    /// The Graph base URL of this cloud (no trailing slash).
    pub fn base_url(self) -> &'static str {
        match self {
            Self::Global => "https://graph.microsoft.com",
            Self::UsGovL4 => "https://graph.microsoft.us",
            Self::UsGovL5 => "https://dod-graph.microsoft.us",
            Self::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// Parses a cloud name. `usGov` and `dod` are accepted as aliases of `usGovL4` and `usGovL5`.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownCloud`] at path `cloud` for anything else.
    pub fn parse(value: &str) -> Result<Self, Error> {
        match value {
            "global" => Ok(Self::Global),
            "usGovL4" | "usGov" => Ok(Self::UsGovL4),
            "usGovL5" | "dod" => Ok(Self::UsGovL5),
            "china" => Ok(Self::China),
            other => Err(Error::new(
                ErrorKind::UnknownCloud {
                    value: other.to_owned(),
                },
                "cloud",
            )),
        }
    }
}

/// A built, validated transfer request: plain data for any HTTP client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferRequest {
    /// Always `POST`.
    pub method: &'static str,
    /// The absolute URL.
    pub url: String,
    /// Header names (lowercase) and values, in a stable order: `content-type`, then
    /// `client-request-id` when one was asked for.
    pub headers: Vec<(String, String)>,
    /// The exact JSON body, compact.
    pub body: String,
    /// The dialect the request was built for.
    #[serde(skip)]
    pub api_version: ApiVersion,
}

impl TransferRequest {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as a JSON value (parses [`body`](Self::body)).
    pub fn body_json(&self) -> serde_json::Value {
        // The body is produced by serde_json from typed values, so it always parses.
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}
#[cfg(feature = "simulator")]
pub(crate) use body::{summarize_body, BodySummary};
