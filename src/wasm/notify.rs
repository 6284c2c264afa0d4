//! Notification parsing and transfer tracking for JavaScript (`js/notify.js` wraps these).
//!
//! The parser returns one `Uint32Array` table of small integers and byte offsets instead of
//! objects: JavaScript builds the entries itself and slices strings out of its own copy of the
//! text, so each call crosses the boundary twice (bytes in, table out). See PERFORMANCE.md.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorKind};
use crate::model::OperationStatus;
use crate::notify::raw::{parse_raw, ItemError, RawCode, RawEntry, TextRef};
use crate::notify::{
    CallState, ChangeType, Notification, NotificationResult, ParseLimits, ResourceKind,
    TrackerOptions, TransferEvent, TransferPhase, TransferTracker, Transition,
};

use super::to_js_error;

/// Words per entry in the table returned by [`notify_parse`].
const STRIDE: usize = 31;

thread_local! {
    /// Item errors of the last parse, fetched by `notifyTakeErrors` only when there are any.
    static LAST_ERRORS: RefCell<Vec<ItemError>> = const { RefCell::new(Vec::new()) };
}

fn limits(max_bytes: u32, max_depth: u32) -> ParseLimits {
    ParseLimits {
        max_bytes: max_bytes as usize,
        max_depth: max_depth as usize,
    }
}

/// Index + 1 of a known open-enum value, 255 for an unknown one, 0 when absent.
fn code_of<T: PartialEq>(value: Option<&T>, known: &[T], unknown: bool) -> u32 {
    match value {
        None => 0,
        Some(_) if unknown => 255,
        Some(v) => known.iter().position(|k| k == v).map_or(255, |i| i as u32 + 1),
    }
}

fn push_ref(out: &mut Vec<u32>, r: Option<TextRef>) {
    match r {
        Some(r) => {
            out.push(r.start as u32 + 1);
            out.push(((r.end - r.start) as u32) << 1 | u32::from(r.escaped));
        }
        None => {
            out.push(0);
            out.push(0);
        }
    }
}

fn code_ref(c: Option<RawCode>) -> (u32, Option<TextRef>) {
    match c {
        None => (0, None),
        Some(RawCode::Int { at, .. }) => (1, Some(at)),
        Some(RawCode::Text(at)) => (2, Some(at)),
    }
}

fn write_entry(out: &mut Vec<u32>, e: &RawEntry) {
    let unknown_change = e.change_type.as_ref().is_some_and(ChangeType::is_unknown);
    let unknown_state = e.state.as_ref().is_some_and(CallState::is_unknown);
    let unknown_status = e
        .operation_status
        .as_ref()
        .is_some_and(OperationStatus::is_unknown);
    let kind = ResourceKind::ALL
        .iter()
        .position(|k| *k == e.kind)
        .unwrap_or(0) as u32;
    let transfer = e
        .transfer
        .and_then(|t| TransferEvent::ALL.iter().position(|k| *k == t))
        .map_or(0, |i| i as u32 + 1);
    out.push(e.index as u32);
    out.push(
        kind | code_of(e.change_type.as_ref(), ChangeType::KNOWN, unknown_change) << 8
            | code_of(e.state.as_ref(), CallState::KNOWN, unknown_state) << 16
            | transfer << 24,
    );
    let ri = e.result_info.unwrap_or_default();
    let (code_tag, code) = code_ref(ri.code);
    let (sub_tag, sub) = code_ref(ri.subcode);
    let flags = u32::from(e.result_info.is_some())
        | u32::from(e.call_id_needs_decoding) << 1
        | u32::from(e.resource_data.is_some()) << 2;
    out.push(
        code_of(
            e.operation_status.as_ref(),
            OperationStatus::KNOWN,
            unknown_status,
        ) | code_tag << 8
            | sub_tag << 16
            | flags << 24,
    );
    push_ref(out, e.change_type_ref.filter(|_| unknown_change));
    push_ref(out, e.resource_url);
    push_ref(out, e.call_id);
    push_ref(out, e.odata_type);
    push_ref(out, e.etag);
    push_ref(out, e.state_ref.filter(|_| unknown_state));
    push_ref(out, e.termination_reason);
    push_ref(out, e.client_context);
    push_ref(out, e.operation_status_ref.filter(|_| unknown_status));
    push_ref(out, e.tone);
    push_ref(out, code);
    push_ref(out, sub);
    push_ref(out, ri.message);
    push_ref(
        out,
        e.resource_data.map(|(start, end)| TextRef {
            start,
            end,
            escaped: false,
        }),
    );
}

/// Parses a notification body given as UTF-8 bytes into the offset table read by
/// `js/notify.js`: `[entryCount, errorCount, entries...]`, 31 words per entry.
#[wasm_bindgen(js_name = notifyParse)]
pub fn notify_parse(body: &[u8], max_bytes: u32, max_depth: u32) -> Result<Vec<u32>, JsValue> {
    let batch = parse_raw(body, &limits(max_bytes, max_depth)).map_err(|e| to_js_error(&e))?;
    let mut out = Vec::with_capacity(2 + batch.entries.len() * STRIDE);
    out.push(batch.entries.len() as u32);
    out.push(batch.errors.len() as u32);
    for e in &batch.entries {
        write_entry(&mut out, e);
    }
    LAST_ERRORS.with(|cell| *cell.borrow_mut() = batch.errors);
    Ok(out)
}

/// The item errors of the last `notifyParse`, as JSON `[[index, kind, path, reason], ...]`.
#[wasm_bindgen(js_name = notifyTakeErrors)]
pub fn notify_take_errors() -> String {
    let errors = LAST_ERRORS.with(|cell| std::mem::take(&mut *cell.borrow_mut()));
    let list: Vec<(usize, &str, &str, String)> = errors
        .iter()
        .map(|e| (e.index, e.error.kind_name(), e.error.path(), e.error.reason()))
        .collect();
    serde_json::to_string(&list).unwrap_or_else(|_| String::from("[]"))
}

/// The names behind the table's small integers, one group per line, comma-separated:
/// kinds, change types, states, transfer events, operation statuses, phases.
#[wasm_bindgen(js_name = notifyEnumNames)]
pub fn notify_enum_names() -> String {
    let mut s = String::new();
    let mut group = |names: &mut dyn Iterator<Item = &str>| {
        let list: Vec<&str> = names.collect();
        s.push_str(&list.join(","));
        s.push('\n');
    };
    group(&mut ResourceKind::ALL.iter().map(|k| k.as_str()));
    group(&mut ChangeType::KNOWN.iter().map(ChangeType::as_str));
    group(&mut CallState::KNOWN.iter().map(CallState::as_str));
    group(&mut TransferEvent::ALL.iter().map(|k| k.as_str()));
    group(&mut OperationStatus::KNOWN.iter().map(OperationStatus::as_str));
    group(&mut TransferPhase::ALL.iter().map(|k| k.as_str()));
    s
}

fn time(now: f64) -> Result<u64, JsValue> {
    if now.is_finite() && now >= 0.0 {
        Ok(now as u64)
    } else {
        Err(to_js_error(&Error::new(
            ErrorKind::OutOfRange {
                expected: "a finite, non-negative number of milliseconds",
            },
            "now",
        )))
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| String::from("null"))
}

fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, JsValue> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de)
        .map_err(|e| to_js_error(&crate::error::from_serde(e)))
}

/// The sans-IO [`TransferTracker`] for JavaScript; `js/notify.js` wraps it as `TransferTracker`.
#[wasm_bindgen(js_name = TransferTrackerRaw)]
pub struct TransferTrackerRaw {
    inner: TransferTracker,
}

#[wasm_bindgen(js_class = TransferTrackerRaw)]
impl TransferTrackerRaw {
    /// A tracker with options given as JSON bytes (`TrackerOptions`, camelCase).
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &[u8]) -> Result<TransferTrackerRaw, JsValue> {
        let options: TrackerOptions = from_json(options_json)?;
        Ok(Self {
            inner: TransferTracker::new(options),
        })
    }

    /// Restores a state written by `toJson`.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(state_json: &[u8]) -> Result<TransferTrackerRaw, JsValue> {
        let inner = TransferTracker::from_json(state_json).map_err(|e| to_js_error(&e))?;
        Ok(Self { inner })
    }

    /// The whole state as JSON.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> Result<String, JsValue> {
        self.inner.to_json().map_err(|e| to_js_error(&e))
    }

    /// Registers a transfer; returns the transitions of replayed early notifications (JSON).
    pub fn register(
        &mut self,
        call_id: &str,
        client_context: Option<String>,
        now: f64,
    ) -> Result<String, JsValue> {
        let out = self
            .inner
            .register(call_id, client_context.as_deref(), time(now)?)
            .map_err(|e| to_js_error(&e))?;
        Ok(json(&out))
    }

    /// Feeds the fields of one parsed notification; returns the transition as JSON, or
    /// `undefined` when nothing changed. `transfer` is 1-based in `TransferEvent::ALL` (0: none);
    /// `result_json` is `{code, subcode, message}` as JSON when the entry has a resultInfo.
    #[allow(clippy::too_many_arguments)]
    pub fn observe(
        &mut self,
        index: u32,
        call_id: Option<String>,
        client_context: Option<String>,
        change_type: Option<String>,
        state: Option<String>,
        termination_reason: Option<String>,
        transfer: u8,
        result_json: Option<String>,
        message_id: Option<String>,
        now: f64,
    ) -> Result<Option<String>, JsValue> {
        let now = time(now)?;
        let result_info: Option<NotificationResult<'static>> = match result_json {
            Some(text) => Some(from_json(text.as_bytes())?),
            None => None,
        };
        let n = Notification {
            index: index as usize,
            kind: ResourceKind::Other,
            change_type: change_type.map(ChangeType::from),
            resource_url: None,
            call_id: call_id.map(Into::into),
            odata_type: None,
            etag: None,
            state: state.map(CallState::from),
            termination_reason: termination_reason.map(Into::into),
            result_info,
            client_context: client_context.map(Into::into),
            operation_status: None,
            tone: None,
            transfer: TransferEvent::ALL
                .get(usize::from(transfer).wrapping_sub(1))
                .copied(),
            resource_data: None,
        };
        Ok(self
            .inner
            .observe(&n, message_id.as_deref(), now)
            .map(|t| json(&t)))
    }

    /// Parses a body and feeds every good notification; returns `[transitions, errorCount]`
    /// as JSON.
    #[wasm_bindgen(js_name = observeBody)]
    pub fn observe_body(
        &mut self,
        body: &[u8],
        message_id: Option<String>,
        now: f64,
        max_bytes: u32,
        max_depth: u32,
    ) -> Result<String, JsValue> {
        let now = time(now)?;
        let batch = crate::notify::parse_notifications_with(body, &limits(max_bytes, max_depth))
            .map_err(|e| to_js_error(&e))?;
        let out: Vec<Transition> = batch
            .notifications
            .iter()
            .filter_map(|n| self.inner.observe(n, message_id.as_deref(), now))
            .collect();
        Ok(json(&(out, batch.errors.len())))
    }

    /// Marks stalled transfers; returns the transitions as JSON.
    pub fn tick(&mut self, now: f64) -> Result<String, JsValue> {
        Ok(json(&self.inner.tick(time(now)?)))
    }

    /// The phase name of `call_id`'s transfer.
    pub fn phase(&self, call_id: &str) -> Option<String> {
        self.inner.phase(call_id).map(|p| p.as_str().to_owned())
    }

    /// Everything known about `call_id`'s transfer, as JSON.
    pub fn get(&self, call_id: &str) -> Option<String> {
        self.inner.get(call_id).map(json)
    }

    /// Every tracked transfer, as a JSON array.
    pub fn list(&self) -> String {
        json(&self.inner.transfers().collect::<Vec<_>>())
    }

    /// Stops tracking `call_id`; whether it was tracked.
    pub fn remove(&mut self, call_id: &str) -> bool {
        self.inner.remove(call_id).is_some()
    }
}

/// The size of the wasm linear memory in bytes (to check that parsing does not grow it).
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) as f64) * 65536.0
}
