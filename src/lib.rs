#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![forbid(unsafe_code)]
// Per-function optimisation levels in the wasm builds that set `--cfg gct_opt_attr` (build-std
// modes of scripts/toolchain.sh, which run with RUSTC_BOOTSTRAP); native builds never see it.
#![cfg_attr(gct_opt_attr, feature(optimize_attribute))]

//! # Architecture
//!
//! Everything outside [`wasm`] (compiled only for `wasm32`) is a **sans-IO core**: deterministic,
//! no networking, no clock, no randomness and no JavaScript. Inputs are plain values and JSON text;
//! outputs are plain data. The wasm-bindgen layer is a thin adapter over it.

pub mod auth;
pub mod error;
mod json;
pub mod model;
pub mod notify;
pub mod request;
pub mod response;
pub mod retry;
#[cfg(feature = "simulator")]
pub mod simulate;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorKind};
pub use model::{
    CommsOperation, EndpointType, Extra, Identity, IdentitySet, InvitationParticipantInfo,
    OperationStatus, ParticipantInfo, ResultInfo,
};
pub use request::{
    build_from_json, validate_body, ApiVersion, Cloud, TransferBody, TransferOptions,
    TransferRequest, TransferRequestBuilder,
};
pub use response::{parse_transfer_response, GraphError, TransferAccepted, TransferResponse};
pub use retry::{Decision, Outcome, RetryPolicy, StopReason};
