//! wasm-bindgen exports of the Graph simulator ([`crate::simulate`]).

use wasm_bindgen::prelude::*;

use super::to_js_error;
use crate::error::{Error, ErrorKind};
use crate::request::ApiVersion;
use crate::simulate::{simulate_transfer, Scenario, SimulationInput};

/// Simulates Graph's handling of a transfer request.
///
/// `input` holds three UTF-8 texts back to back: the call id (`call_id_len` bytes), the
/// `client-request-id` (`client_request_id_len` bytes; `has_client_request_id` says whether
/// there is one), then the request body exactly as received. `scenario` indexes
/// [`Scenario::ALL`]; `api_version` is 0 (v1.0), 1 (beta) or 2 (beta-2018). Numbers cross as
/// numbers instead of a JSON head, which keeps a second deserializer out of the wasm.
///
/// Returns one JSON text: `{status, headers: [[name, value]], body, notifications: [{delayMs,
/// messageId, event, redelivery, body}]}` (bodies as strings). A bad request *body* is data (a
/// 400 answer); bad arguments throw.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = simulateTransferRaw)]
pub fn simulate_transfer_raw(
    input: &[u8],
    call_id_len: usize,
    client_request_id_len: usize,
    has_client_request_id: bool,
    scenario: u32,
    api_version: u32,
    seed: f64,
    now_ms: f64,
    step_ms: f64,
    attempt: u32,
) -> Result<String, JsValue> {
    let range = |expected: &'static str, path: &str| {
        to_js_error(&Error::new(ErrorKind::OutOfRange { expected }, path))
    };
    let scenario = *Scenario::ALL
        .get(scenario as usize)
        .ok_or_else(|| range("a scenario index", "scenario"))?;
    let api_version = match api_version {
        0 => ApiVersion::V1,
        1 => ApiVersion::Beta,
        2 => ApiVersion::Beta2018,
        _ => return Err(range("0, 1 or 2", "apiVersion")),
    };
    let int = |value: f64, max: f64, path: &str| {
        if value.fract() == 0.0 && (0.0..=max).contains(&value) {
            Ok(value as u64)
        } else {
            Err(range("a non-negative integer", path))
        }
    };
    let seed = int(seed, 9_007_199_254_740_991.0, "seed")?;
    let now_ms = int(now_ms, 9_007_199_254_740_991.0, "now")?;
    let step_ms = int(step_ms, 60_000.0, "stepMs")?;
    let text = |bytes: &[u8], path: &str| {
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| {
            to_js_error(&Error::new(
                ErrorKind::InvalidJson {
                    detail: "not UTF-8".to_owned(),
                },
                path,
            ))
        })
    };
    let call_end = call_id_len.min(input.len());
    let crid_end = call_end
        .saturating_add(client_request_id_len)
        .min(input.len());
    let call_id = text(&input[..call_end], "callId")?;
    let client_request_id = if has_client_request_id {
        Some(text(&input[call_end..crid_end], "clientRequestId")?)
    } else {
        None
    };
    let sim = simulate_transfer(
        scenario,
        &SimulationInput {
            call_id,
            api_version,
            body: input[crid_end..].to_vec(),
            seed,
            now_ms,
            step_ms,
            attempt,
            client_request_id,
        },
    );
    let mut out = String::with_capacity(
        128 + sim.body.len()
            + sim
                .notifications
                .iter()
                .map(|n| n.body_json.len() + 120)
                .sum::<usize>(),
    );
    out.push_str("{\"status\":");
    out.push_str(&sim.status.to_string());
    out.push_str(",\"headers\":[");
    for (i, (name, value)) in sim.headers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_string(&mut out, name);
        out.push(',');
        push_string(&mut out, value);
        out.push(']');
    }
    out.push_str("],\"body\":");
    push_string(&mut out, &sim.body);
    out.push_str(",\"notifications\":[");
    for (i, n) in sim.notifications.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"delayMs\":");
        out.push_str(&n.delay_ms.to_string());
        out.push_str(",\"messageId\":");
        push_string(&mut out, &n.message_id);
        out.push_str(",\"event\":\"");
        out.push_str(n.event.as_str());
        out.push_str("\",\"redelivery\":");
        out.push_str(if n.redelivery { "true" } else { "false" });
        out.push_str(",\"body\":");
        push_string(&mut out, &n.body_json);
        out.push('}');
    }
    out.push_str("]}");
    Ok(out)
}

fn push_string(out: &mut String, value: &str) {
    // Serializing a &str cannot fail.
    if let Ok(text) = serde_json::to_string(value) {
        out.push_str(&text);
    }
}
