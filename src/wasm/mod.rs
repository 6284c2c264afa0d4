//! The thin wasm-bindgen layer: converts between JavaScript and the sans-IO core, and nothing else.
//!
//! Compiled only for `wasm32`. The exports here are the *raw* boundary; the package's JavaScript
//! entry points (`js/api.js`) wrap them with the fast byte-passing and result decoding that
//! `../shared/PERFORMANCE.md`'s measurements call for, and add the TypeScript signatures.

use js_sys::{Error as JsError, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::Error;

/// Converts a core [`Error`] into a JavaScript `Error` named `GraphCallTransferError` with the
/// stable `kind`, the JSON `path` and the `reason` as properties.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn to_js_error(err: &Error) -> JsValue {
    let js = JsError::new(&err.to_string());
    js.set_name("GraphCallTransferError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"kind".into(), &err.kind_name().into());
    let _ = Reflect::set(&js, &"path".into(), &err.path().into());
    let _ = Reflect::set(&js, &"reason".into(), &err.reason().into());
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
