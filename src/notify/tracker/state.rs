//! The tracker's JSON: written and read by hand (no serde in the wasm), in exactly the format the
//! serde derives on these types define (`serde_json::to_string` output, byte for byte), so that
//! states saved by either load with the other. `#[cfg(test)]` proptests check both directions.
//!
//! Reading follows the derives' rules: unknown members are ignored, a repeated member of a
//! struct is an error (of a map: the last wins), `null` is `None` for optional fields, missing
//! non-optional fields are errors (except in `TrackerOptions` and the tracker itself, whose
//! fields default). Unlike serde, errors carry the JSON path of the bad value
//! (`transfers.341a.history[2].to`), and structs are not accepted as arrays.

use std::borrow::Cow;
use std::collections::VecDeque;

use super::{
    Early, Seen, TrackedTransfer, TrackerOptions, TransferPhase, TransferTracker, Transition,
};
use crate::error::{Error, ErrorKind};
use crate::json::{self, push_i64, push_json_string, push_key, push_opt_str, push_u64, Value};
use crate::notify::{
    CallState, ChangeType, Notification, NotificationResult, ResourceKind, ResultCode,
    TransferEvent,
};

// ---------------------------------------------------------------------------------------------
// Writing

#[cfg_attr(gct_opt_attr, optimize(size))]
pub(super) fn write_tracker(t: &TransferTracker, out: &mut String) {
    out.push_str("{\"options\":");
    write_options(&t.options, out);
    out.push_str(",\"transfers\":{");
    for (i, (k, v)) in t.transfers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, k);
        out.push(':');
        write_transfer(v, out);
    }
    out.push_str("},\"seen\":");
    write_strings(t.seen.order.iter(), out);
    out.push_str(",\"early\":{");
    for (i, (k, list)) in t.early.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, k);
        out.push_str(":[");
        for (j, e) in list.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            write_early(e, out);
        }
        out.push(']');
    }
    out.push_str("},\"earlyOrder\":");
    write_strings(t.early_order.iter(), out);
    out.push('}');
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn write_options(o: &TrackerOptions, out: &mut String) {
    out.push('{');
    push_key(out, "stallAfterMs", true);
    push_u64(out, o.stall_after_ms);
    push_key(out, "maxMessageIds", false);
    push_u64(out, o.max_message_ids as u64);
    push_key(out, "maxEarlyPerCall", false);
    push_u64(out, o.max_early_per_call as u64);
    push_key(out, "maxEarlyCalls", false);
    push_u64(out, o.max_early_calls as u64);
    out.push('}');
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn write_strings<'s>(items: impl Iterator<Item = &'s String>, out: &mut String) {
    out.push('[');
    for (i, s) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, s);
    }
    out.push(']');
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn write_phase(p: TransferPhase, out: &mut String) {
    push_json_string(out, p.as_str());
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn push_opt<T>(out: &mut String, v: Option<T>, f: impl FnOnce(T, &mut String)) {
    match v {
        Some(v) => f(v, out),
        None => out.push_str("null"),
    }
}

/// One tracked transfer as JSON (what `trackerGet` returns).
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn write_transfer(t: &TrackedTransfer, out: &mut String) {
    out.push('{');
    push_key(out, "callId", true);
    push_json_string(out, &t.call_id);
    push_key(out, "clientContext", false);
    push_opt_str(out, t.client_context.as_deref());
    push_key(out, "phase", false);
    write_phase(t.phase, out);
    push_key(out, "progress", false);
    write_phase(t.progress, out);
    push_key(out, "registeredAt", false);
    push_u64(out, t.registered_at);
    push_key(out, "lastProgressAt", false);
    push_u64(out, t.last_progress_at);
    push_key(out, "resultInfo", false);
    push_opt(out, t.result_info.as_ref(), write_result);
    push_key(out, "lastState", false);
    push_opt_str(out, t.last_state.as_ref().map(CallState::as_str));
    push_key(out, "terminationReason", false);
    push_opt_str(out, t.termination_reason.as_deref());
    push_key(out, "callEnded", false);
    out.push_str(if t.call_ended { "true" } else { "false" });
    push_key(out, "unknownStates", false);
    write_strings(t.unknown_states.iter(), out);
    push_key(out, "duplicates", false);
    push_u64(out, u64::from(t.duplicates));
    push_key(out, "late", false);
    push_u64(out, u64::from(t.late));
    push_key(out, "history", false);
    write_transitions(&t.history, out);
    out.push('}');
}

/// A list of transitions as a JSON array.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn write_transitions(list: &[Transition], out: &mut String) {
    out.push('[');
    for (i, tr) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_transition(tr, out);
    }
    out.push(']');
}

/// One transition as JSON.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn write_transition(tr: &Transition, out: &mut String) {
    out.push('{');
    push_key(out, "callId", true);
    push_json_string(out, &tr.call_id);
    push_key(out, "from", false);
    write_phase(tr.from, out);
    push_key(out, "to", false);
    write_phase(tr.to, out);
    push_key(out, "at", false);
    push_u64(out, tr.at);
    push_key(out, "event", false);
    push_opt_str(out, tr.event.map(TransferEvent::as_str));
    push_key(out, "state", false);
    push_opt_str(out, tr.state.as_ref().map(CallState::as_str));
    push_key(out, "messageId", false);
    push_opt_str(out, tr.message_id.as_deref());
    out.push('}');
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn write_code(c: &ResultCode<'_>, out: &mut String) {
    match c {
        ResultCode::Number(n) => push_i64(out, *n),
        ResultCode::Text(t) => push_json_string(out, t),
    }
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn write_result(r: &NotificationResult<'_>, out: &mut String) {
    out.push('{');
    push_key(out, "code", true);
    push_opt(out, r.code.as_ref(), write_code);
    push_key(out, "subcode", false);
    push_opt(out, r.subcode.as_ref(), write_code);
    push_key(out, "message", false);
    push_opt_str(out, r.message.as_deref());
    out.push('}');
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn write_early(e: &Early, out: &mut String) {
    out.push('{');
    push_key(out, "clientContext", true);
    push_opt_str(out, e.client_context.as_deref());
    push_key(out, "changeType", false);
    push_opt_str(out, e.change_type.as_ref().map(ChangeType::as_str));
    push_key(out, "state", false);
    push_opt_str(out, e.state.as_ref().map(CallState::as_str));
    push_key(out, "terminationReason", false);
    push_opt_str(out, e.termination_reason.as_deref());
    push_key(out, "resultInfo", false);
    push_opt(out, e.result_info.as_ref(), write_result);
    push_key(out, "transfer", false);
    push_opt_str(out, e.transfer.map(TransferEvent::as_str));
    push_key(out, "messageId", false);
    push_opt_str(out, e.message_id.as_deref());
    out.push('}');
}

// ---------------------------------------------------------------------------------------------
// Reading

type R<T> = Result<T, Error>;
type Members<'v, 'a> = &'v [(Cow<'a, str>, Value<'a>)];

/// One step of a JSON path: a member name or an array index.
#[derive(Clone, Copy)]
enum Seg<'p> {
    Name(&'p str),
    Index(usize),
}

/// Where a value sits, as a chain of steps on the stack: the path string (such as
/// `transfers.341a.history[2].to`) is built only for an error.
#[derive(Clone, Copy)]
struct At<'p> {
    up: Option<&'p At<'p>>,
    seg: Seg<'p>,
}

/// The whole document (path `""`).
const TOP: At<'static> = At {
    up: None,
    seg: Seg::Name(""),
};

impl<'p> At<'p> {
    fn name(&'p self, name: &'p str) -> At<'p> {
        At {
            up: Some(self),
            seg: Seg::Name(name),
        }
    }

    fn index(&'p self, i: usize) -> At<'p> {
        At {
            up: Some(self),
            seg: Seg::Index(i),
        }
    }

    /// `prefix.name` (or `name` at the top), `prefix[i]`.
    #[cold]
    #[inline(never)]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn path(&self) -> String {
        let mut p = self.up.map(At::path).unwrap_or_default();
        match self.seg {
            Seg::Name(name) => {
                if !p.is_empty() {
                    p.push('.');
                }
                p.push_str(name);
            }
            Seg::Index(i) => {
                p.push('[');
                push_u64(&mut p, i as u64);
                p.push(']');
            }
        }
        p
    }
}

#[cold]
#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn wrong(at: &At<'_>, expected: &str, got: &Value<'_>) -> Error {
    let mut detail = String::from("expected ");
    detail.push_str(expected);
    detail.push_str(", found ");
    detail.push_str(got.kind());
    Error::new(ErrorKind::InvalidType { detail }, at.path())
}

#[cold]
#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn duplicate(at: &At<'_>) -> Error {
    Error::new(
        ErrorKind::InvalidType {
            detail: "duplicate field".to_owned(),
        },
        at.path(),
    )
}

#[cold]
#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn missing(at: &At<'_>, name: &str) -> Error {
    Error::new(ErrorKind::MissingField, at.name(name).path())
}

/// Parses `bytes` (a syntax error is `invalidJson` at the top).
#[cfg_attr(gct_opt_attr, optimize(size))]
fn document(bytes: &[u8]) -> R<Value<'_>> {
    json::parse(bytes).map_err(|e| {
        Error::new(
            ErrorKind::InvalidJson {
                detail: e.message(),
            },
            "",
        )
    })
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn object<'v, 'a>(v: &'v Value<'a>, at: &At<'_>) -> R<Members<'v, 'a>> {
    match v {
        Value::Object(m) => Ok(&m.0),
        _ => Err(wrong(at, "an object", v)),
    }
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn string(v: &Value<'_>, at: &At<'_>) -> R<String> {
    match v {
        Value::String(s) => Ok(s.as_ref().to_owned()),
        _ => Err(wrong(at, "a string", v)),
    }
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn opt<T>(v: &Value<'_>, at: &At<'_>, f: fn(&Value<'_>, &At<'_>) -> R<T>) -> R<Option<T>> {
    match v {
        Value::Null => Ok(None),
        _ => f(v, at).map(Some),
    }
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn opt_string(v: &Value<'_>, at: &At<'_>) -> R<Option<String>> {
    opt(v, at, string)
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn u64_(v: &Value<'_>, at: &At<'_>) -> R<u64> {
    v.as_u64()
        .ok_or_else(|| wrong(at, "a non-negative integer", v))
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn u32_(v: &Value<'_>, at: &At<'_>) -> R<u32> {
    u32::try_from(u64_(v, at)?).map_err(|_| wrong(at, "an integer below 2^32", v))
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn usize_(v: &Value<'_>, at: &At<'_>) -> R<usize> {
    usize::try_from(u64_(v, at)?).map_err(|_| wrong(at, "an integer within usize", v))
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn boolean(v: &Value<'_>, at: &At<'_>) -> R<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        _ => Err(wrong(at, "a boolean", v)),
    }
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn phase(v: &Value<'_>, at: &At<'_>) -> R<TransferPhase> {
    if let Value::String(s) = v {
        if let Some(p) = TransferPhase::ALL.iter().find(|p| p.as_str() == s) {
            return Ok(*p);
        }
    }
    Err(wrong(at, "a transfer phase", v))
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn event(v: &Value<'_>, at: &At<'_>) -> R<TransferEvent> {
    if let Value::String(s) = v {
        if let Some(e) = TransferEvent::ALL.iter().find(|e| e.as_str() == s) {
            return Ok(*e);
        }
    }
    Err(wrong(at, "a transfer event", v))
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn state(v: &Value<'_>, at: &At<'_>) -> R<CallState> {
    string(v, at).map(CallState::from)
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn change_type(v: &Value<'_>, at: &At<'_>) -> R<ChangeType> {
    string(v, at).map(ChangeType::from)
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn code(v: &Value<'_>, at: &At<'_>) -> R<ResultCode<'static>> {
    match v {
        Value::String(s) => Ok(ResultCode::Text(Cow::Owned(s.as_ref().to_owned()))),
        _ => v
            .as_i64()
            .map(ResultCode::Number)
            .ok_or_else(|| wrong(at, "an integer or a string", v)),
    }
}

/// Reads the members of a struct named in `names` (others are ignored), in document order:
/// `field(i, value, at)` reads member `names[i]`. A second occurrence of a member is an error,
/// found before its value is read when `dup_first` (as serde's derives do), else after. Then
/// the first member of `required` (bit `i` for `names[i]`) that was absent is a `missingField`
/// error.
#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn fields<'v, 'a>(
    v: &'v Value<'a>,
    at: &At<'_>,
    names: &[&str],
    dup_first: bool,
    required: u32,
    field: &mut dyn FnMut(usize, &'v Value<'a>, &At<'_>) -> R<()>,
) -> R<()> {
    let mut seen = 0u32;
    for (k, v) in object(v, at)? {
        let Some(i) = names.iter().position(|n| *n == k.as_ref()) else {
            continue;
        };
        let here = at.name(k);
        let dup = seen & 1 << i != 0;
        seen |= 1 << i;
        if dup && dup_first {
            return Err(duplicate(&here));
        }
        field(i, v, &here)?;
        if dup {
            return Err(duplicate(&here));
        }
    }
    let absent = required & !seen;
    if absent != 0 {
        return Err(missing(at, names[absent.trailing_zeros() as usize]));
    }
    Ok(())
}

/// The items of an array read with `f`.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn list<T>(v: &Value<'_>, at: &At<'_>, f: fn(&Value<'_>, &At<'_>) -> R<T>) -> R<Vec<T>> {
    let Value::Array(items) = v else {
        return Err(wrong(at, "an array", v));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(f(item, &at.index(i))?);
    }
    Ok(out)
}

#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn result_info(v: &Value<'_>, at: &At<'_>) -> R<NotificationResult<'static>> {
    let mut r = NotificationResult::default();
    fields(
        v,
        at,
        &["code", "subcode", "message"],
        false,
        0,
        &mut |i, v, at| {
            match i {
                0 => r.code = opt(v, at, code)?,
                1 => r.subcode = opt(v, at, code)?,
                _ => r.message = opt_string(v, at)?.map(Cow::Owned),
            }
            Ok(())
        },
    )?;
    Ok(r)
}

#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn options(v: &Value<'_>, at: &At<'_>) -> R<TrackerOptions> {
    let mut o = TrackerOptions::default();
    let names = [
        "stallAfterMs",
        "maxMessageIds",
        "maxEarlyPerCall",
        "maxEarlyCalls",
    ];
    fields(v, at, &names, true, 0, &mut |i, v, at| {
        match i {
            0 => o.stall_after_ms = u64_(v, at)?,
            1 => o.max_message_ids = usize_(v, at)?,
            2 => o.max_early_per_call = usize_(v, at)?,
            _ => o.max_early_calls = usize_(v, at)?,
        }
        Ok(())
    })?;
    Ok(o)
}

#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn transition(v: &Value<'_>, at: &At<'_>) -> R<Transition> {
    let mut tr = Transition {
        call_id: String::new(),
        from: TransferPhase::Requested,
        to: TransferPhase::Requested,
        at: 0,
        event: None,
        state: None,
        message_id: None,
    };
    let names = ["callId", "from", "to", "at", "event", "state", "messageId"];
    fields(v, at, &names, false, 0b1111, &mut |i, v, at| {
        match i {
            0 => tr.call_id = string(v, at)?,
            1 => tr.from = phase(v, at)?,
            2 => tr.to = phase(v, at)?,
            3 => tr.at = u64_(v, at)?,
            4 => tr.event = opt(v, at, event)?,
            5 => tr.state = opt(v, at, state)?,
            _ => tr.message_id = opt_string(v, at)?,
        }
        Ok(())
    })?;
    Ok(tr)
}

#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn transfer(v: &Value<'_>, at: &At<'_>) -> R<TrackedTransfer> {
    // Required members overwrite these defaults; absent optional ones stay `None`.
    let mut t = TrackedTransfer::new(String::new(), None, 0, Vec::new());
    let names = [
        "callId",
        "clientContext",
        "phase",
        "progress",
        "registeredAt",
        "lastProgressAt",
        "resultInfo",
        "lastState",
        "terminationReason",
        "callEnded",
        "unknownStates",
        "duplicates",
        "late",
        "history",
    ];
    // Every member but clientContext, resultInfo, lastState and terminationReason.
    let required = 0b11_1110_0011_1101;
    fields(v, at, &names, false, required, &mut |i, v, at| {
        match i {
            0 => t.call_id = string(v, at)?,
            1 => t.client_context = opt_string(v, at)?,
            2 => t.phase = phase(v, at)?,
            3 => t.progress = phase(v, at)?,
            4 => t.registered_at = u64_(v, at)?,
            5 => t.last_progress_at = u64_(v, at)?,
            6 => t.result_info = opt(v, at, result_info)?,
            7 => t.last_state = opt(v, at, state)?,
            8 => t.termination_reason = opt_string(v, at)?,
            9 => t.call_ended = boolean(v, at)?,
            10 => t.unknown_states = list(v, at, string)?,
            11 => t.duplicates = u32_(v, at)?,
            12 => t.late = u32_(v, at)?,
            _ => t.history = list(v, at, transition)?,
        }
        Ok(())
    })?;
    Ok(t)
}

#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn early(v: &Value<'_>, at: &At<'_>) -> R<Early> {
    let mut e = Early::default();
    let names = [
        "clientContext",
        "changeType",
        "state",
        "terminationReason",
        "resultInfo",
        "transfer",
        "messageId",
    ];
    fields(v, at, &names, false, 0, &mut |i, v, at| {
        match i {
            0 => e.client_context = opt_string(v, at)?,
            1 => e.change_type = opt(v, at, change_type)?,
            2 => e.state = opt(v, at, state)?,
            3 => e.termination_reason = opt_string(v, at)?,
            4 => e.result_info = opt(v, at, result_info)?,
            5 => e.transfer = opt(v, at, event)?,
            _ => e.message_id = opt_string(v, at)?,
        }
        Ok(())
    })?;
    Ok(e)
}

/// Reads a state written by [`write_tracker`] (or by the serde derives).
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(super) fn read_tracker(bytes: &[u8]) -> R<TransferTracker> {
    let doc = document(bytes)?;
    let mut t = TransferTracker::default();
    let names = ["options", "transfers", "seen", "early", "earlyOrder"];
    fields(&doc, &TOP, &names, true, 0, &mut |i, v, at| {
        match i {
            0 => t.options = options(v, at)?,
            1 => {
                for (key, item) in object(v, at)? {
                    // As with serde's map: a repeated key keeps the last value.
                    let value = Box::new(transfer(item, &at.name(key))?);
                    t.transfers.insert(key.as_ref().to_owned(), value);
                }
            }
            2 => {
                let order: VecDeque<String> = list(v, at, string)?.into();
                t.seen = Seen::from(order);
            }
            3 => {
                for (key, item) in object(v, at)? {
                    let value = list(item, &at.name(key), early)?;
                    t.early.insert(key.as_ref().to_owned(), value);
                }
            }
            _ => t.early_order = list(v, at, string)?.into(),
        }
        Ok(())
    })?;
    Ok(t)
}

#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "receive")),
    allow(dead_code)
)]
/// Reads [`TrackerOptions`] JSON (camelCase; missing fields default).
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn read_options(bytes: &[u8]) -> R<TrackerOptions> {
    options(&document(bytes)?, &TOP)
}

/// A string or `null`, borrowed.
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "receive")),
    allow(dead_code)
)]
#[cfg_attr(gct_opt_attr, optimize(size))]
fn borrowed<'v>(v: &'v Value<'_>) -> R<Option<&'v str>> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        _ => Err(wrong(&TOP, "a string", v)),
    }
}

#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "receive")),
    allow(dead_code)
)]
/// Feeds `t` the notifications of a feed written by the wasm layer's JavaScript, JSON
/// `[messageId, [index, callId, clientContext, changeType, state, terminationReason, transfer,
/// resultInfo], ...]` (`transfer` 1-based in [`TransferEvent::ALL`], 0 for none; `resultInfo`
/// `{code, subcode, message}`), in order; an item `[callId, clientContext]` registers a
/// transfer instead. Returns the transitions. An item that cannot be read (or a failed
/// registration) stops the feed with an error (the items before it stay applied).
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn observe_feed(t: &mut TransferTracker, bytes: &[u8], now: u64) -> R<Vec<Transition>> {
    let doc = document(bytes)?;
    let Value::Array(items) = &doc else {
        return Err(wrong(&TOP, "an array", &doc));
    };
    let mut out = Vec::new();
    let mut message_id = None;
    for (i, item) in items.iter().enumerate() {
        if i == 0 {
            message_id = borrowed(item)?;
            continue;
        }
        let Value::Array(f) = item else {
            return Err(wrong(&TOP, "an array", item));
        };
        let [index, call_id, ctx, change, st, reason, transfer, result] = &f[..] else {
            if let [call_id, ctx] = &f[..] {
                let call_id = borrowed(call_id)?.unwrap_or_default();
                out.extend(t.register(call_id, borrowed(ctx)?, now)?);
                continue;
            }
            return Err(wrong(&TOP, "a notification", item));
        };
        let n = Notification {
            index: usize_(index, &TOP)?,
            kind: ResourceKind::Other,
            change_type: borrowed(change)?.map(ChangeType::from),
            resource_url: None,
            call_id: borrowed(call_id)?.map(Cow::Borrowed),
            odata_type: None,
            etag: None,
            state: borrowed(st)?.map(CallState::from),
            termination_reason: borrowed(reason)?.map(Cow::Borrowed),
            result_info: opt(result, &TOP, result_info)?,
            client_context: borrowed(ctx)?.map(Cow::Borrowed),
            operation_status: None,
            tone: None,
            transfer: TransferEvent::ALL
                .get(usize_(transfer, &TOP)?.wrapping_sub(1))
                .copied(),
            resource_data: None,
        };
        out.extend(t.observe(&n, message_id, now));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use proptest::prelude::*;

    use super::*;
    use crate::notify::{Notification, ResourceKind};

    const TEXTS: &[&str] = &[
        "341a",
        "b-2",
        "q\"uo\\te",
        "tab\tnl\n\u{1}\u{1f}",
        "é/ü 😀",
        "",
        "clientContext x",
    ];

    #[derive(Debug, Clone)]
    enum Op {
        Register(usize, Option<usize>),
        Observe {
            index: usize,
            call: Option<usize>,
            ctx: Option<usize>,
            change: Option<usize>,
            state: Option<usize>,
            reason: Option<usize>,
            result: Option<(Option<i64>, Option<usize>, Option<usize>)>,
            transfer: Option<usize>,
            message: Option<usize>,
        },
        Tick(u64),
    }

    fn text() -> impl Strategy<Value = usize> {
        0..TEXTS.len()
    }

    fn op() -> impl Strategy<Value = Op> {
        let observe = (
            (
                0usize..3,
                proptest::option::of(0usize..3),
                proptest::option::of(text()),
            ),
            (
                proptest::option::of(0usize..4),
                proptest::option::of(0usize..13),
                proptest::option::of(text()),
            ),
            proptest::option::of((
                proptest::option::of(prop_oneof![
                    Just(i64::MIN),
                    Just(-1i64),
                    0i64..600,
                    Just(i64::MAX)
                ]),
                proptest::option::of(text()),
                proptest::option::of(text()),
            )),
            (
                proptest::option::of(0usize..4),
                proptest::option::of(0usize..4),
            ),
        )
            .prop_map(
                |((index, call, ctx), (change, state, reason), result, (transfer, message))| {
                    Op::Observe {
                        index,
                        call,
                        ctx,
                        change,
                        state,
                        reason,
                        result,
                        transfer,
                        message,
                    }
                },
            );
        prop_oneof![
            (0usize..3, proptest::option::of(0usize..3)).prop_map(|(c, x)| Op::Register(c, x)),
            observe,
            (0u64..200).prop_map(Op::Tick),
        ]
    }

    fn options() -> impl Strategy<Value = TrackerOptions> {
        (0u64..150, 0usize..6, 0usize..4, 0usize..4).prop_map(|(s, m, p, c)| TrackerOptions {
            stall_after_ms: s,
            max_message_ids: m,
            max_early_per_call: p,
            max_early_calls: c,
        })
    }

    fn run(options: TrackerOptions, ops: &[Op]) -> TransferTracker {
        let mut t = TransferTracker::new(options);
        let mut now = 1_700_000_000_000u64;
        let ids = ["341a", "q\"2\\", "é😀"];
        let changes = ["created", "updated", "deleted", "re\"named"];
        let states = [
            "incoming",
            "establishing",
            "ringing",
            "established",
            "hold",
            "transferring",
            "transfer-accepted",
            "transferAccepted",
            "terminated",
            "weird\u{7f}",
            "new\\state",
            "",
            "unknownFutureValue",
        ];
        for op in ops {
            now += 7;
            match op {
                Op::Register(c, x) => {
                    let _ = t.register(ids[*c], x.map(|x| TEXTS[x]), now);
                }
                Op::Observe {
                    index,
                    call,
                    ctx,
                    change,
                    state,
                    reason,
                    result,
                    transfer,
                    message,
                } => {
                    let n = Notification {
                        index: *index,
                        kind: ResourceKind::Call,
                        change_type: change.map(|c| ChangeType::from(changes[c])),
                        resource_url: None,
                        call_id: call.map(|c| Cow::Borrowed(ids[c])),
                        odata_type: None,
                        etag: None,
                        state: state.map(|s| CallState::from(states[s])),
                        termination_reason: reason.map(|r| Cow::Borrowed(TEXTS[r])),
                        result_info: result.map(|(c, s, m)| NotificationResult {
                            code: c.map(ResultCode::Number),
                            subcode: s.map(|s| ResultCode::Text(Cow::Borrowed(TEXTS[s]))),
                            message: m.map(|m| Cow::Borrowed(TEXTS[m])),
                        }),
                        client_context: ctx.map(|x| Cow::Borrowed(TEXTS[x])),
                        operation_status: None,
                        tone: None,
                        transfer: transfer.map(|i| TransferEvent::ALL[i]),
                        resource_data: None,
                    };
                    let _ = t.observe(&n, message.map(|m| ["m1", "m\"2", "m3", "m4"][m]), now);
                }
                Op::Tick(dt) => {
                    now += dt * 1000;
                    let _ = t.tick(now);
                }
            }
        }
        t
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn writes_what_serde_writes_and_reads_it_back(
            opts in options(),
            ops in proptest::collection::vec(op(), 0..40),
        ) {
            let t = run(opts, &ops);
            let ours = t.to_json().unwrap();
            let oracle = serde_json::to_string(&t).unwrap();
            prop_assert_eq!(&ours, &oracle);
            prop_assert_eq!(&TransferTracker::from_json(ours.as_bytes()).unwrap(), &t);
            // What serde reads from our text, and what we read from serde's pretty text.
            prop_assert_eq!(&serde_json::from_str::<TransferTracker>(&ours).unwrap(), &t);
            let pretty = serde_json::to_string_pretty(&t).unwrap();
            prop_assert_eq!(&TransferTracker::from_json(pretty.as_bytes()).unwrap(), &t);
            for tr in t.transfers() {
                let mut one = String::new();
                write_transfer(tr, &mut one);
                prop_assert_eq!(&one, &serde_json::to_string(tr).unwrap());
                let mut h = String::new();
                write_transitions(&tr.history, &mut h);
                prop_assert_eq!(&h, &serde_json::to_string(&tr.history).unwrap());
            }
        }

        #[test]
        fn agrees_with_serde_on_accepting_mutated_states(
            opts in options(),
            ops in proptest::collection::vec(op(), 1..12),
            at in any::<prop::sample::Index>(),
            edit in 0usize..4,
            byte in any::<u8>(),
        ) {
            let t = run(opts, &ops);
            let mut text = t.to_json().unwrap().into_bytes();
            let i = at.index(text.len());
            match edit {
                0 => { text.remove(i); }
                1 => text.insert(i, byte),
                2 => text[i] = byte,
                _ => text.truncate(i),
            }
            let ours = TransferTracker::from_json(&text);
            let oracle = serde_json::from_slice::<TransferTracker>(&text);
            // A state serde reads is read the same; one it refuses is refused (serde also
            // accepts structs as arrays, which `to_json` never writes).
            match (&ours, &oracle) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(e), Err(_)) => prop_assert!(
                    matches!(e.kind(), ErrorKind::InvalidJson { .. } | ErrorKind::InvalidType { .. } | ErrorKind::MissingField),
                    "{e:?}"
                ),
                _ => prop_assert!(false, "ours {:?} serde {:?} on {}", ours, oracle.map(|_| ()), String::from_utf8_lossy(&text)),
            }
        }
    }

    #[test]
    fn a_feed_observes_like_notifications() {
        let body = br#"{"value":[{"changeType":"updated","resourceUrl":"/communications/calls/a","resourceData":{"state":"transferring"}},{"changeType":"deleted","resourceUrl":"/communications/calls/a","resourceData":{"state":"terminated","terminationReason":"AppTransferred","resultInfo":{"code":0,"subcode":"7015","message":"m\u00e9"}}}]}"#;
        let mut direct = TransferTracker::default();
        direct.register("a", None, 0).unwrap();
        let mut fed = direct.clone();
        let want: Vec<Transition> = crate::notify::parse_notifications(body)
            .unwrap()
            .notifications
            .iter()
            .filter_map(|n| direct.observe(n, Some("m1"), 5))
            .collect();
        let feed = r#"["m1",[0,"a",null,"updated","transferring",null,1,null],
            [1,"a",null,"deleted","terminated","AppTransferred",3,{"code":0,"subcode":7015,"message":"mé"}]]"#;
        assert_eq!(observe_feed(&mut fed, feed.as_bytes(), 5).unwrap(), want);
        assert_eq!(want.len(), 2);
        assert_eq!(fed, direct);
        // Unreadable items stop the feed; the items before stay applied.
        let mut t = TransferTracker::default();
        t.register("b", None, 0).unwrap();
        let feed = br#"[null,[0,"b",null,null,"transferring",null,1,null],[1,"b",null,null,null,null,0,{"code":1.5}]]"#;
        let e = observe_feed(&mut t, feed, 1).unwrap_err();
        assert_eq!((e.kind_name(), e.path()), ("invalidType", "code"));
        assert_eq!(t.phase("b"), Some(TransferPhase::Transferring));
        for bad in [
            &b"{}"[..],
            b"[null,1]",
            b"[null,[0]]",
            b"[null,[-1,null,null,null,null,null,0,null]]",
            b"[",
        ] {
            assert!(observe_feed(&mut t, bad, 1).is_err());
        }
    }

    fn err(json: &str) -> (&'static str, String) {
        let e = TransferTracker::from_json(json.as_bytes()).unwrap_err();
        (e.kind_name(), e.path().to_owned())
    }

    #[test]
    fn bad_states_name_the_kind_and_path() {
        let transfer = r#"{"callId":"a","clientContext":null,"phase":"requested","progress":"requested","registeredAt":1,"lastProgressAt":1,"resultInfo":null,"lastState":null,"terminationReason":null,"callEnded":false,"unknownStates":[],"duplicates":0,"late":0,"history":[]}"#;
        let with = |tr: &str| format!(r#"{{"transfers":{{"a":{tr}}}}}"#);
        assert!(TransferTracker::from_json(with(transfer).as_bytes()).is_ok());
        assert_eq!(err("{"), ("invalidJson", String::new()));
        assert_eq!(err("[]"), ("invalidType", String::new()));
        assert_eq!(
            err(r#"{"options":{"stallAfterMs":-1}}"#),
            ("invalidType", "options.stallAfterMs".into())
        );
        assert_eq!(
            err(r#"{"options":{"maxEarlyCalls":1.5}}"#),
            ("invalidType", "options.maxEarlyCalls".into())
        );
        assert_eq!(
            err(r#"{"options":null}"#),
            ("invalidType", "options".into())
        );
        assert_eq!(err(r#"{"seen":[1]}"#), ("invalidType", "seen[0]".into()));
        assert_eq!(
            err(r#"{"seen":[],"seen":[]}"#),
            ("invalidType", "seen".into())
        );
        assert_eq!(
            err(&with(
                &transfer.replace(r#""phase":"requested""#, r#""phase":"lost""#)
            )),
            ("invalidType", "transfers.a.phase".into())
        );
        assert_eq!(
            err(&with(&transfer.replace(r#""late":0,"#, ""))),
            ("missingField", "transfers.a.late".into())
        );
        assert_eq!(
            err(&with(
                &transfer.replace(r#""late":0"#, r#""late":4294967296"#)
            )),
            ("invalidType", "transfers.a.late".into())
        );
        assert_eq!(
            err(&with(&transfer.replace(
                r#""history":[]"#,
                r#""history":[{"callId":"a","from":"requested","to":"done","at":1}]"#
            ))),
            ("invalidType", "transfers.a.history[0].to".into())
        );
        assert_eq!(
            err(&with(&transfer.replace(
                r#""resultInfo":null"#,
                r#""resultInfo":{"code":1.5}"#
            ))),
            ("invalidType", "transfers.a.resultInfo.code".into())
        );
        assert_eq!(
            err(r#"{"early":{"x":[{"transfer":"nope"}]}}"#),
            ("invalidType", "early.x[0].transfer".into())
        );
        assert_eq!(
            err(&with(&transfer.replace(
                r#""callEnded":false"#,
                r#""callEnded":false,"callEnded":true"#
            ))),
            ("invalidType", "transfers.a.callEnded".into())
        );
        // Unknown members are ignored, missing top-level ones default, as with serde.
        let t = TransferTracker::from_json(br#"{"future":{"x":[1]},"options":{"stallAfterMs":5}}"#)
            .unwrap();
        assert_eq!(t.options().stall_after_ms, 5);
        assert_eq!(
            t.options().max_message_ids,
            TrackerOptions::default().max_message_ids
        );
        let e = TransferTracker::from_json(b"{\n \"seen\": [\"a\" \"b\"]}").unwrap_err();
        assert_eq!(
            e.reason(),
            "not valid JSON: expected `,` or `]` at line 2 column 15"
        );
    }
}
