//! The thin wasm-bindgen layer: converts between JavaScript and the sans-IO core, and nothing else.
//!
//! Compiled only for `wasm32`. The exports here are the *raw* boundary; the package's JavaScript
//! entry points (`js/api.js`) wrap them with the fast byte-passing and result decoding that
//! `../shared/PERFORMANCE.md`'s measurements call for, and add the TypeScript signatures.

use js_sys::{Error as JsError, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::Error;

#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Converts a core [`Error`] into a JavaScript `Error` named `GraphCallTransferError` with the
/// stable `kind`, the JSON `path` and the `reason` as properties.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn to_js_error(err: &Error) -> JsValue {
    js_error(&err.message(), err.kind_name(), err.path(), &err.reason())
}

/// The JavaScript `Error` of [`to_js_error`] from its parts (shared with the auth errors).
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub(crate) fn js_error(message: &str, kind: &str, path: &str, reason: &str) -> JsValue {
    let js = JsError::new(message);
    js.set_name("GraphCallTransferError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"kind".into(), &kind.into());
    let _ = Reflect::set(&js, &"path".into(), &path.into());
    let _ = Reflect::set(&js, &"reason".into(), &reason.into());
    js.into()
}

#[cfg(feature = "receive")]
mod auth;
#[cfg(feature = "receive")]
pub mod notify;
#[cfg(feature = "send")]
mod request;
#[cfg(feature = "simulator")]
mod simulate;
#[cfg(feature = "send")]
mod transport;
