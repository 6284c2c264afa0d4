//! Typed Microsoft Graph models for what a call transfer needs.
//!
//! Every struct keeps Graph's wire names (camelCase, `@odata.type`) and collects the fields it does
//! not model in an `extra` map, so a value survives a parse/serialize round trip unchanged even when
//! Graph adds fields. Enums are open: unknown values are kept verbatim in an `Unknown` variant.

mod identity;
pub(crate) mod open_enum;
mod operation;
mod participant;
mod result_info;

pub use identity::{Identity, IdentitySet};
pub use operation::{CommsOperation, OperationStatus};
pub use participant::{EndpointType, InvitationParticipantInfo, ParticipantInfo};
pub use result_info::ResultInfo;

/// Fields a model does not know, kept verbatim (JSON object members in their original form).
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Whether an [`Extra`] map is empty (for `skip_serializing_if`).
pub(crate) fn is_empty(extra: &Extra) -> bool {
    extra.is_empty()
}
