use serde::{Deserialize, Serialize};

use super::open_enum::open_enum;
use super::{Extra, ResultInfo};

open_enum! {
    /// `operationStatus` of a [`CommsOperation`]. The 2018 beta capitalised it (`"Running"`);
    /// both spellings map to the same variant.
    pub enum OperationStatus {
        /// Not started yet.
        NotStarted = "notStarted" | "NotStarted",
        /// Running.
        Running = "running" | "Running",
        /// Completed.
        Completed = "completed" | "Completed",
        /// Failed; see `resultInfo`.
        Failed = "failed" | "Failed",
        /// Graph's evolvable-enum sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

/// `commsOperation`: the operation the 2018 beta returned from `transfer` (`200 OK`), and the
/// resource of operation-update notifications.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CommsOperation {
    /// `@odata.type`, such as `#microsoft.graph.commsOperation`.
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub odata_type: Option<String>,
    /// The operation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The operation status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "OperationStatus"))]
    pub status: Option<OperationStatus>,
    /// The client context given with the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_context: Option<String>,
    /// The outcome, when finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_info: Option<ResultInfo>,
    /// When the operation was created (ISO 8601, kept as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    /// When the operation last changed (ISO 8601, kept as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_action_date_time: Option<String>,
    /// Fields not modelled here, kept verbatim.
    #[serde(flatten, default, skip_serializing_if = "super::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2018_capitalised_status_maps_to_the_same_variant() {
        let op: CommsOperation = serde_json::from_str(r#"{"createdDateTime":"2018-03-19T09:46:02Z","id":"id-value","lastActionDateTime":"2018-03-19T09:46:02Z","status":"Running"}"#).unwrap();
        assert_eq!(op.status, Some(OperationStatus::Running));
        for variant in OperationStatus::KNOWN {
            assert_eq!(OperationStatus::parse(variant.as_str()), *variant);
        }
        assert_eq!(
            OperationStatus::from("paused".to_owned()),
            OperationStatus::Unknown("paused".into())
        );
    }
}
