//! wasm exports of the transport core: response interpretation and the retry decision.
//!
//! Sending itself lives in `js/transport.js` (see `docs/transport.md` for why): these exports are
//! the sans-IO decisions it drives. The body crosses as bytes and the retry inputs as a
//! `Float64Array`, so neither JSON nor float parsing runs on the retry path, and no JS object is
//! built property by property across the boundary.

use wasm_bindgen::prelude::*;

use super::to_js_error;
use crate::response::summarize_transfer_response;
use crate::retry::{Decision, OutcomeKind, RetryOptions, RetryQuery, StopReason};

/// Interprets a response: `status`, the headers that matter packed as `name\nvalue\n...`, the
/// body bytes and the current time in ms since the epoch. Returns the core's `ResponseSummary`
/// as JSON (the operation and `innerError` copied verbatim from the body). Never throws.
#[wasm_bindgen(js_name = parseTransferResponseRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn parse_transfer_response_raw(status: u16, headers: &str, body: &[u8], now: f64) -> String {
    let mut fields = crate::response::fields(headers, b'\n');
    let pairs = std::iter::from_fn(|| Some((fields.next()?, fields.next()?)));
    let now = if now.is_finite() && now > 0.0 {
        now as u64
    } else {
        0
    };
    summarize_transfer_response(status, pairs, body, now).to_json()
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn given(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

/// Decides whether to retry. `input` holds 13 numbers, NaN for "not given":
/// `maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs, deadlineMs, retryUnsafe (0/1),
/// attempt, status, kind (1 timeout, 2 network, 3 aborted, 4 other), retryAfterMs, startedAt,
/// now, jitter`. Returns the delay in ms (>= 0) to retry, or `-(1 + i)` to stop for
/// `StopReason::ALL[i]`; throws a `GraphCallTransferError` for bad input.
#[wasm_bindgen(js_name = decideRetryRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn decide_retry_raw(input: &[f64]) -> Result<f64, JsValue> {
    let at = |i: usize| input.get(i).copied().unwrap_or(f64::NAN);
    let query = RetryQuery {
        options: RetryOptions {
            max_attempts: given(at(0)),
            base_delay_ms: given(at(1)),
            max_delay_ms: given(at(2)),
            max_retry_after_ms: given(at(3)),
            deadline_ms: given(at(4)),
            retry_unsafe: given(at(5)).map(|v| v != 0.0),
        },
        attempt: at(6),
        status: given(at(7)),
        kind: match at(8) as u8 {
            1 => Some(OutcomeKind::Timeout),
            2 => Some(OutcomeKind::Network),
            3 => Some(OutcomeKind::Aborted),
            4 => Some(OutcomeKind::Other),
            _ => None,
        },
        retry_after_ms: given(at(9)),
        started_at: given(at(10)),
        now: at(11),
        jitter: at(12),
    };
    match query.decide().map_err(|e| to_js_error(&e))? {
        Decision::Retry { delay_ms, .. } => Ok(delay_ms as f64),
        Decision::Stop(reason) => {
            let index = StopReason::ALL
                .iter()
                .position(|r| *r == reason)
                .unwrap_or(0);
            Ok(-1.0 - index as f64)
        }
    }
}
