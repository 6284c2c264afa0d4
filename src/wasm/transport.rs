//! wasm exports of the transport core: response interpretation and the retry decision.
//!
//! Sending itself lives in `js/transport.js` (see `docs/transport.md` for why): these exports are
//! the sans-IO decisions it drives. The headers and body cross as one byte buffer and the retry
//! inputs as plain numbers, so neither JSON nor float parsing runs on the retry path, and no JS
//! object is built property by property across the boundary.

use wasm_bindgen::prelude::*;

use super::to_js_error;
use crate::response::summarize_transfer_response;
use crate::retry::{Decision, OutcomeKind, RetryOptions, RetryQuery, StopReason};

/// Interprets a response: `status`, then `input` holding the headers that matter packed as
/// `name\nvalue\n...` (UTF-8) in its first `headers_len` bytes and the body bytes after them, and
/// the current time in ms since the epoch. Returns the core's `ResponseSummary` as JSON (the
/// operation and `innerError` copied verbatim from the body). Never throws. One buffer crosses in
/// (no string argument: the send glue needs no string encoder).
#[wasm_bindgen(js_name = parseTransferResponseRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn parse_transfer_response_raw(
    status: u16,
    input: &[u8],
    headers_len: usize,
    now: f64,
) -> String {
    let (headers, body) = input.split_at(headers_len.min(input.len()));
    let mut fields =
        crate::response::fields(std::str::from_utf8(headers).unwrap_or_default(), b'\n');
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

/// Decides whether to retry, from 13 numbers, NaN for "not given": `maxAttempts, baseDelayMs,
/// maxDelayMs, maxRetryAfterMs, deadlineMs, retryUnsafe (0/1), attempt, status, kind (1 timeout,
/// 2 network, 3 aborted, 4 other), retryAfterMs, startedAt, now, jitter` (plain number arguments:
/// no array crosses the boundary). Returns the delay in ms (>= 0) to retry, or `-(1 + i)` to stop
/// for `StopReason::ALL[i]`; throws a `GraphCallTransferError` for bad input.
#[wasm_bindgen(js_name = decideRetryRaw)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
#[allow(clippy::too_many_arguments)]
pub fn decide_retry_raw(
    max_attempts: f64,
    base_delay_ms: f64,
    max_delay_ms: f64,
    max_retry_after_ms: f64,
    deadline_ms: f64,
    retry_unsafe: f64,
    attempt: f64,
    status: f64,
    kind: f64,
    retry_after_ms: f64,
    started_at: f64,
    now: f64,
    jitter: f64,
) -> Result<f64, JsValue> {
    let query = RetryQuery {
        options: RetryOptions {
            max_attempts: given(max_attempts),
            base_delay_ms: given(base_delay_ms),
            max_delay_ms: given(max_delay_ms),
            max_retry_after_ms: given(max_retry_after_ms),
            deadline_ms: given(deadline_ms),
            retry_unsafe: given(retry_unsafe).map(|v| v != 0.0),
        },
        attempt,
        status: given(status),
        kind: match kind as u8 {
            1 => Some(OutcomeKind::Timeout),
            2 => Some(OutcomeKind::Network),
            3 => Some(OutcomeKind::Aborted),
            4 => Some(OutcomeKind::Other),
            _ => None,
        },
        retry_after_ms: given(retry_after_ms),
        started_at: given(started_at),
        now,
        jitter,
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
