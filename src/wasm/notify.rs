//! Notification parsing and transfer tracking for JavaScript (`js/notify.js` wraps these).
//!
//! The parser returns one `Uint32Array` table of small integers and byte offsets instead of
//! objects: JavaScript builds the entries itself and slices strings out of its own copy of the
//! text, so each call crosses the boundary twice (bytes in, table out). See PERFORMANCE.md.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorKind};
use crate::model::OperationStatus;
use crate::notify::raw::{parse_into, EntrySink, ItemError, RawCode, RawEntry, TextRef};
use crate::notify::tracker::{observe_feed, read_options, write_transfer, write_transitions};
use crate::notify::{
    CallState, ChangeType, ParseLimits, ResourceKind, TransferEvent, TransferTracker, Transition,
};

use super::to_js_error;

/// Words per entry in the table written by [`notify_parse_input`].
const STRIDE: usize = 31;

thread_local! {
    /// Item errors of the last parse, fetched by `notifyTakeErrors` only when there are any.
    static LAST_ERRORS: RefCell<Vec<ItemError>> = const { RefCell::new(Vec::new()) };
    /// The reused input buffer JavaScript writes bodies into (see `notifyInput`).
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The reused output table JavaScript reads in place (see `notifyParseInput`).
    static OUTPUT: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Above this size the input buffer is released after use, so one large body does not keep
/// its memory reserved.
const KEEP_INPUT: usize = 64 * 1024;

/// Hands the module's `WebAssembly.Memory` to JavaScript (to read the table in place) as the
/// *error* value, which JavaScript catches. A plain return value would be an `externref`, which
/// wasm-bindgen declares as `any` in the package's `InitOutput` type; the error path is typed
/// as numbers only.
#[wasm_bindgen(js_name = notifyMemory)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn notify_memory() -> Result<(), JsValue> {
    Err(wasm_bindgen::memory())
}

/// Makes the reused input buffer at least `len` bytes long and returns its address in wasm
/// memory; JavaScript writes the body there (`encodeInto` or `set`) and calls
/// `notifyParseInput`. The address is valid until the next call into the module.
#[wasm_bindgen(js_name = notifyInput)]
pub fn notify_input(len: u32) -> u32 {
    INPUT.with(|cell| {
        let mut buf = cell.borrow_mut();
        if buf.len() < len as usize {
            buf.resize(len as usize, 0);
        }
        buf.as_mut_ptr() as u32
    })
}

/// Runs `f` on the first `len` bytes of the input buffer, then releases a large buffer.
fn with_input<T>(len: u32, f: impl FnOnce(&[u8]) -> Result<T, JsValue>) -> Result<T, JsValue> {
    INPUT.with(|cell| {
        let result = match cell.borrow().get(..len as usize) {
            Some(body) => f(body),
            None => Err(to_js_error(&Error::new(
                ErrorKind::OutOfRange {
                    expected: "a length within the input buffer (call notifyInput first)",
                },
                "",
            ))),
        };
        let mut buf = cell.borrow_mut();
        if buf.len() > KEEP_INPUT {
            buf.truncate(KEEP_INPUT);
            buf.shrink_to_fit();
        }
        result
    })
}

/// Parses the first `len` bytes of the input buffer into the reused output table and returns
/// the table's address in wasm memory: `[entryCount, errorCount, entries...]`, 31 words per
/// entry. Valid until the next call into the module.
#[wasm_bindgen(js_name = notifyParseInput)]
pub fn notify_parse_input(
    len: u32,
    max_bytes: u32,
    max_depth: u32,
    max_items: u32,
) -> Result<u32, JsValue> {
    with_input(len, |body| {
        OUTPUT.with(|cell| {
            let mut out = cell.borrow_mut();
            out.clear();
            out.reserve(2 + 8 * STRIDE);
            out.extend_from_slice(&[0, 0]);
            let mut sink = TableSink {
                out: &mut out,
                errors: Vec::new(),
                count: 0,
            };
            parse_into(body, &limits(max_bytes, max_depth, max_items), &mut sink)
                .map_err(|e| to_js_error(&e))?;
            let (count, errors) = (sink.count, sink.errors);
            out[0] = count;
            out[1] = errors.len() as u32;
            LAST_ERRORS.with(|cell| *cell.borrow_mut() = errors);
            Ok(out.as_ptr() as u32)
        })
    })
}

fn limits(max_bytes: u32, max_depth: u32, max_items: u32) -> ParseLimits {
    ParseLimits {
        max_bytes: max_bytes as usize,
        max_depth: max_depth as usize,
        max_items: max_items as usize,
    }
}

/// Writes entries straight into the output table as the parser reads them.
struct TableSink<'o> {
    out: &'o mut Vec<u32>,
    errors: Vec<ItemError>,
    count: u32,
}

impl EntrySink for TableSink<'_> {
    fn entry(&mut self, entry: &RawEntry) {
        write_entry(self.out, entry);
        self.count += 1;
    }
    fn error(&mut self, error: ItemError) {
        self.errors.push(error);
    }
    fn reset(&mut self) {
        self.out.truncate(2);
        self.errors.clear();
        self.count = 0;
    }
}

/// Index + 1 of a known open-enum value, 255 for an unknown one, 0 when absent.
fn code_of<T: PartialEq>(value: Option<&T>, known: &[T], unknown: bool) -> u32 {
    match value {
        None => 0,
        Some(_) if unknown => 255,
        Some(v) => known
            .iter()
            .position(|k| k == v)
            .map_or(255, |i| i as u32 + 1),
    }
}

fn put_ref(words: &mut [u32; STRIDE], at: usize, r: Option<TextRef>) {
    if let Some(r) = r {
        words[at] = r.start as u32 + 1;
        words[at + 1] = ((r.end - r.start) as u32) << 1 | u32::from(r.escaped);
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
    let mut w = [0u32; STRIDE];
    w[0] = e.index as u32;
    w[1] = kind
        | code_of(e.change_type.as_ref(), ChangeType::KNOWN, unknown_change) << 8
        | code_of(e.state.as_ref(), CallState::KNOWN, unknown_state) << 16
        | transfer << 24;
    let ri = e.result_info.unwrap_or_default();
    let (code_tag, code) = code_ref(ri.code);
    let (sub_tag, sub) = code_ref(ri.subcode);
    let flags = u32::from(e.result_info.is_some())
        | u32::from(e.call_id_needs_decoding) << 1
        | u32::from(e.resource_data.is_some()) << 2;
    w[2] = code_of(
        e.operation_status.as_ref(),
        OperationStatus::KNOWN,
        unknown_status,
    ) | code_tag << 8
        | sub_tag << 16
        | flags << 24;
    put_ref(&mut w, 3, e.change_type_ref.filter(|_| unknown_change));
    put_ref(&mut w, 5, e.resource_url);
    put_ref(&mut w, 7, e.call_id);
    put_ref(&mut w, 9, e.odata_type);
    put_ref(&mut w, 11, e.etag);
    put_ref(&mut w, 13, e.state_ref.filter(|_| unknown_state));
    put_ref(&mut w, 15, e.termination_reason);
    put_ref(&mut w, 17, e.client_context);
    put_ref(
        &mut w,
        19,
        e.operation_status_ref.filter(|_| unknown_status),
    );
    put_ref(&mut w, 21, e.tone);
    put_ref(&mut w, 23, code);
    put_ref(&mut w, 25, sub);
    put_ref(&mut w, 27, ri.message);
    put_ref(
        &mut w,
        29,
        e.resource_data.map(|(start, end)| TextRef {
            start,
            end,
            escaped: false,
        }),
    );
    out.extend_from_slice(&w);
}

/// The item errors of the last `notifyParseInput`, as JSON `[[index, kind, path, reason], ...]`.
#[wasm_bindgen(js_name = notifyTakeErrors)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn notify_take_errors() -> String {
    let errors = LAST_ERRORS.with(|cell| std::mem::take(&mut *cell.borrow_mut()));
    let mut out = String::from("[");
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        crate::json::push_u64(&mut out, e.index as u64);
        out.push(',');
        crate::json::push_json_string(&mut out, e.error.kind_name());
        out.push(',');
        crate::json::push_json_string(&mut out, e.error.path());
        out.push(',');
        crate::json::push_json_string(&mut out, &e.error.reason());
        out.push(']');
    }
    out.push(']');
    out
}

/// The names behind the table's small integers, one group per line, comma-separated:
/// kinds, change types, states, transfer events, operation statuses, phases.
#[wasm_bindgen(js_name = notifyEnumNames)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn notify_enum_names() -> String {
    crate::notify::tracker::ENUM_NAMES.to_owned()
}

/// Transitions as a JSON array.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn transitions_json(list: &[Transition]) -> String {
    let mut out = String::with_capacity(16 + 160 * list.len());
    write_transitions(list, &mut out);
    out
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn typed(e: Error) -> JsValue {
    to_js_error(&e)
}

thread_local! {
    /// Trackers owned by JavaScript `TransferTracker` objects, by handle (index + 1). Plain
    /// functions over handles instead of an exported class keep `Symbol.dispose` (ES2024+) out
    /// of the package's type declarations; js/notify.js frees handles (explicitly or through a
    /// FinalizationRegistry).
    static TRACKERS: RefCell<Vec<Option<TransferTracker>>> = const { RefCell::new(Vec::new()) };
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn new_handle(tracker: TransferTracker) -> u32 {
    TRACKERS.with(|cell| {
        let mut list = cell.borrow_mut();
        match list.iter().position(Option::is_none) {
            Some(i) => {
                list[i] = Some(tracker);
                i as u32 + 1
            }
            None => {
                list.push(Some(tracker));
                list.len() as u32
            }
        }
    })
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn with_tracker<T>(
    handle: u32,
    f: impl FnOnce(&mut TransferTracker) -> Result<T, JsValue>,
) -> Result<T, JsValue> {
    TRACKERS.with(|cell| {
        let mut list = cell.borrow_mut();
        match list
            .get_mut((handle as usize).wrapping_sub(1))
            .and_then(Option::as_mut)
        {
            Some(t) => f(t),
            None => Err(to_js_error(&Error::new(
                ErrorKind::OutOfRange {
                    expected: "a live tracker (this one was freed)",
                },
                "",
            ))),
        }
    })
}

/// Creates a tracker from JSON bytes: a state written by `trackerQuery` (op 5) when `state`,
/// else options (`TrackerOptions`, camelCase); returns its handle.
#[wasm_bindgen(js_name = trackerNew)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn tracker_new(json: &[u8], state: bool) -> Result<u32, JsValue> {
    let tracker = if state {
        TransferTracker::from_json(json)
    } else {
        read_options(json).map(TransferTracker::new)
    };
    Ok(new_handle(tracker.map_err(typed)?))
}

/// Drops a tracker (a freed handle stays invalid until reused).
#[wasm_bindgen(js_name = trackerFree)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn tracker_free(handle: u32) {
    TRACKERS.with(|cell| {
        let mut list = cell.borrow_mut();
        if let Some(slot) = list.get_mut((handle as usize).wrapping_sub(1)) {
            *slot = None;
        }
        while list.last().is_some_and(Option::is_none) {
            list.pop();
        }
    });
}

/// Every tracker operation but creating and freeing, in one export (each its own export cost
/// ~750 bytes of wasm shim and glue), on the first `len` bytes of the input buffer (see
/// `notifyInput`): a call id for `op` 0 (the phase name of its transfer), 1 (everything known
/// about it as JSON) and 3 (stops tracking it: `"1"` when it was tracked); nothing for 2 (every
/// tracked transfer as a JSON array), 4 (marks stalled transfers at `now`: the transitions as
/// JSON) and 5 (the whole state as JSON); for 6, a feed written by js/notify.js, JSON
/// `[messageId, [index, callId, clientContext, changeType, state, terminationReason, transfer,
/// resultInfo], ...]` (`transfer` 1-based in `TransferEvent::ALL`, 0 for none) where an item
/// `[callId, clientContext]` registers a transfer (the transitions as JSON, `undefined` for
/// none). `undefined` for a call id that is not tracked.
#[wasm_bindgen(js_name = trackerQuery)]
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
pub fn tracker_query(handle: u32, op: u32, len: u32, now: f64) -> Result<Option<String>, JsValue> {
    // js/notify.js checked `now` (a finite, non-negative number).
    let now = now as u64;
    with_input(len, |input| {
        with_tracker(handle, |t| {
            // js/notify.js writes the input with encodeInto: valid UTF-8.
            let call_id = std::str::from_utf8(input).unwrap_or_default();
            Ok(match op {
                0 => t.phase(call_id).map(|p| p.as_str().to_owned()),
                1 => t.get(call_id).map(|tr| {
                    let mut out = String::with_capacity(512);
                    write_transfer(tr, &mut out);
                    out
                }),
                2 => {
                    let mut out = String::from("[");
                    for (i, tr) in t.transfers().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        write_transfer(tr, &mut out);
                    }
                    out.push(']');
                    Some(out)
                }
                3 => t.remove(call_id).map(|_| "1".to_owned()),
                4 => Some(transitions_json(&t.tick(now))),
                5 => Some(t.to_json().map_err(typed)?),
                _ => {
                    let out = observe_feed(t, input, now).map_err(typed)?;
                    (!out.is_empty()).then(|| transitions_json(&out))
                }
            })
        })
    })
}
