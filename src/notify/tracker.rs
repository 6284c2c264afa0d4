//! [`TransferTracker`]: one phase per transfer, folded from parsed notifications.
//!
//! A reducer in the sans-IO style: inputs are [`register`](TransferTracker::register),
//! [`observe`](TransferTracker::observe) and [`tick`](TransferTracker::tick), each taking `now`
//! (milliseconds on any monotonic or wall clock the caller chooses); outputs are the returned
//! [`Transition`]s, also kept in each transfer's history. The whole state serializes with serde
//! (JSON), so a stateless worker can persist it between callbacks.
//!
//! Phases only move forward (`requested` → `transferring` → `accepted` → `completed`/`failed`),
//! so duplicates and late notifications (a `transferring` after `transferAccepted`, an accepted
//! after the call was deleted) change nothing; `completed` and `failed` are final. `stalled` is
//! entered by [`tick`](TransferTracker::tick) when no progress arrived in time, and left when
//! progress arrives.
//!
//! ```
//! use graph_call_transfer::notify::{parse_notifications, TransferPhase, TransferTracker};
//!
//! let mut tracker = TransferTracker::default();
//! tracker.register("341a", None, 0)?;
//! let body = br#"{"value":[{"changeType":"deleted","resourceUrl":"/communications/calls/341a",
//!   "resourceData":{"state":"terminated","resultInfo":{"code":0,"subcode":7015}}}]}"#;
//! for n in &parse_notifications(body)?.notifications {
//!     tracker.observe(n, Some("message-1"), 1_000);
//! }
//! assert_eq!(tracker.phase("341a"), Some(TransferPhase::Completed));
//! # Ok::<(), graph_call_transfer::Error>(())
//! ```

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::{CallState, ChangeType, Notification, NotificationResult, TransferEvent};
use crate::error::{Error, ErrorKind};

mod keyed;
mod state;

use keyed::Keyed;
#[cfg(all(target_arch = "wasm32", feature = "receive"))]
pub(crate) use state::{observe_feed, read_options, write_transfer, write_transitions};

/// The phase of a tracked transfer.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TransferPhase {
    /// Registered; no notification yet.
    Requested,
    /// Graph reported `transferring`.
    Transferring,
    /// The target accepted.
    Accepted,
    /// The call was handed over (final).
    Completed,
    /// The transfer failed; see [`TrackedTransfer::result_info`] (final).
    Failed,
    /// No progress within [`TrackerOptions::stall_after_ms`]; left when progress arrives.
    Stalled,
}

impl TransferPhase {
    /// Every phase, in declaration order (the wasm layer sends the index).
    pub const ALL: &'static [TransferPhase] = &[
        Self::Requested,
        Self::Transferring,
        Self::Accepted,
        Self::Completed,
        Self::Failed,
        Self::Stalled,
    ];

    /// Whether the phase is final (`completed` or `failed`).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Failed)
    }

    /// The camelCase name.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Transferring => "transferring",
            Self::Accepted => "accepted",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Stalled => "stalled",
        }
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn rank(self) -> u8 {
        match self {
            Self::Requested | Self::Stalled => 0,
            Self::Transferring => 1,
            Self::Accepted => 2,
            Self::Completed | Self::Failed => 3,
        }
    }
}

/// Tracker settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TrackerOptions {
    /// A transfer without progress for this long is `stalled` (default 60 000 ms).
    pub stall_after_ms: u64,
    /// How many message ids are remembered for de-duplication (default 4096, oldest forgotten
    /// first).
    pub max_message_ids: usize,
    /// How many notifications are kept for calls not registered yet, per call (default 8) ...
    pub max_early_per_call: usize,
    /// ... and for how many such calls (default 256, oldest forgotten first).
    pub max_early_calls: usize,
}

impl Default for TrackerOptions {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn default() -> Self {
        Self {
            stall_after_ms: 60_000,
            max_message_ids: 4096,
            max_early_per_call: 8,
            max_early_calls: 256,
        }
    }
}

/// A phase change.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    /// The call.
    pub call_id: String,
    /// The phase before.
    pub from: TransferPhase,
    /// The phase after.
    pub to: TransferPhase,
    /// When (the `now` passed in).
    pub at: u64,
    /// The transfer event that caused it (`None` for `register` and `stalled`).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "TransferEvent | null"))]
    pub event: Option<TransferEvent>,
    /// The call state of the notification that caused it.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "CallState | null"))]
    pub state: Option<CallState>,
    /// The message id of the notification that caused it.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub message_id: Option<String>,
}

/// What the tracker knows about one transfer.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackedTransfer {
    /// The call being transferred.
    pub call_id: String,
    /// The `clientContext` sent with the transfer, used to match commsOperation notifications.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub client_context: Option<String>,
    /// The current phase.
    pub phase: TransferPhase,
    /// The last phase reached by progress (what `stalled` interrupted).
    pub progress: TransferPhase,
    /// When it was registered.
    pub registered_at: u64,
    /// When the last phase change happened.
    pub last_progress_at: u64,
    /// The `resultInfo` that completed or failed the transfer.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "NotificationResult | null"))]
    pub result_info: Option<NotificationResult<'static>>,
    /// The last call state seen.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "CallState | null"))]
    pub last_state: Option<CallState>,
    /// The last `terminationReason` seen.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub termination_reason: Option<String>,
    /// The call was reported terminated or deleted.
    pub call_ended: bool,
    /// States this crate does not know, as they arrived (at most 16 distinct values).
    pub unknown_states: Vec<String>,
    /// Notifications that repeated the current phase or a message id already seen.
    pub duplicates: u32,
    /// Notifications that arrived too late to matter (an earlier phase, or after a final one).
    pub late: u32,
    /// The phase changes, oldest first (at most [`MAX_HISTORY`]).
    pub history: Vec<Transition>,
}

impl TrackedTransfer {
    /// A transfer registered at `now`, in phase `requested`, with `history` carried over.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn new(
        call_id: String,
        client_context: Option<String>,
        now: u64,
        history: Vec<Transition>,
    ) -> Self {
        Self {
            call_id,
            client_context,
            phase: TransferPhase::Requested,
            progress: TransferPhase::Requested,
            registered_at: now,
            last_progress_at: now,
            result_info: None,
            last_state: None,
            termination_reason: None,
            call_ended: false,
            unknown_states: Vec::new(),
            duplicates: 0,
            late: 0,
            history,
        }
    }
}

/// A notification kept for a call that was not registered yet (Graph may call back before the
/// transfer request returns).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Early {
    client_context: Option<String>,
    change_type: Option<ChangeType>,
    state: Option<CallState>,
    termination_reason: Option<String>,
    result_info: Option<NotificationResult<'static>>,
    transfer: Option<TransferEvent>,
    message_id: Option<String>,
}

/// The message ids seen, oldest first; serialized as a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "VecDeque<String>", into = "VecDeque<String>")]
struct Seen {
    order: VecDeque<String>,
    set: Keyed<()>,
}

impl From<VecDeque<String>> for Seen {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn from(order: VecDeque<String>) -> Self {
        let mut set = Keyed::default();
        for id in &order {
            set.insert(id.clone(), ());
        }
        Self { order, set }
    }
}

impl From<Seen> for VecDeque<String> {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn from(seen: Seen) -> Self {
        seen.order
    }
}

/// Tracks transfers by call id. See the [module documentation](self).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferTracker {
    #[serde(default)]
    options: TrackerOptions,
    #[serde(default)]
    transfers: Keyed<Box<TrackedTransfer>>,
    #[serde(default)]
    seen: Seen,
    #[serde(default)]
    early: Keyed<Vec<Early>>,
    #[serde(default)]
    early_order: VecDeque<String>,
}

/// The fields of a notification the tracker uses, borrowed.
struct Obs<'n> {
    change_type: Option<&'n ChangeType>,
    state: Option<&'n CallState>,
    termination_reason: Option<&'n str>,
    result_info: Option<&'n NotificationResult<'n>>,
    transfer: Option<TransferEvent>,
}

const MAX_UNKNOWN_STATES: usize = 16;

/// The most transitions kept per transfer (oldest dropped first); one attempt needs at most 5,
/// but re-registering the same call keeps the history of earlier attempts.
pub const MAX_HISTORY: usize = 64;

#[cfg_attr(gct_opt_attr, optimize(size))]
fn record(history: &mut Vec<Transition>, tr: Transition) {
    if history.len() >= MAX_HISTORY {
        history.remove(0);
    }
    history.push(tr);
}

impl TransferTracker {
    /// A tracker with `options`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn new(options: TrackerOptions) -> Self {
        Self {
            options,
            ..Self::default()
        }
    }

    /// The options.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn options(&self) -> &TrackerOptions {
        &self.options
    }

    /// Starts tracking a transfer of `call_id` (call it when sending the transfer request).
    /// Registering a call again starts a new attempt (its phase goes back to `requested`).
    /// Notifications that arrived for this call before it was registered are applied now;
    /// the transitions they cause are returned.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::EmptyValue`] when `call_id` is empty.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn register(
        &mut self,
        call_id: &str,
        client_context: Option<&str>,
        now: u64,
    ) -> Result<Vec<Transition>, Error> {
        if call_id.is_empty() {
            return Err(Error::new(ErrorKind::EmptyValue, "callId"));
        }
        let mut history = Vec::new();
        if let Some(old) = self.transfers.remove(call_id) {
            history = old.history;
            record(
                &mut history,
                Transition {
                    call_id: call_id.to_owned(),
                    from: old.phase,
                    to: TransferPhase::Requested,
                    at: now,
                    event: None,
                    state: None,
                    message_id: None,
                },
            );
        }
        self.transfers.insert(
            call_id.to_owned(),
            Box::new(TrackedTransfer::new(
                call_id.to_owned(),
                client_context.map(str::to_owned),
                now,
                history,
            )),
        );
        let mut out = Vec::new();
        let mut early = self.early.remove(call_id).unwrap_or_default();
        if let Some(ctx) = client_context {
            // Operation notifications may carry only the clientContext.
            let key = context_key(ctx);
            early.extend(self.early.remove(&key).unwrap_or_default());
            self.early_order.retain(|k| k != &key);
        }
        self.early_order.retain(|k| k != call_id);
        for e in early {
            let obs = Obs {
                change_type: e.change_type.as_ref(),
                state: e.state.as_ref(),
                termination_reason: e.termination_reason.as_deref(),
                result_info: e.result_info.as_ref(),
                transfer: e.transfer,
            };
            if let Some(t) = self.transfers.get_mut(call_id) {
                out.extend(apply(t, &obs, e.message_id.as_deref(), now));
            }
        }
        Ok(out)
    }

    /// Feeds one parsed notification. `message_id` is the callback's
    /// `X-Microsoft-Skype-Message-ID` header (or any id unique per delivered body): a body
    /// delivered twice is then applied once. Returns the phase change it caused, if any.
    ///
    /// Notifications are matched to a transfer by call id, or by `clientContext` for operation
    /// notifications. Those for calls not registered yet are kept (bounded) and applied by
    /// [`register`](Self::register); all others are ignored.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn observe(
        &mut self,
        n: &Notification<'_>,
        message_id: Option<&str>,
        now: u64,
    ) -> Option<Transition> {
        if let Some(mid) = message_id {
            let mut key = String::with_capacity(mid.len() + 4);
            key.push_str(mid);
            key.push('#');
            crate::json::push_u64(&mut key, n.index as u64);
            if self.seen.set.contains_key(&key) {
                if let Some(t) = self.find_mut(n) {
                    t.duplicates += 1;
                }
                return None;
            }
            self.remember(key);
        }
        let obs = Obs {
            change_type: n.change_type.as_ref(),
            state: n.state.as_ref(),
            termination_reason: n.termination_reason.as_deref(),
            result_info: n.result_info.as_ref(),
            transfer: n.transfer,
        };
        match self.find_mut(n) {
            Some(t) => apply(t, &obs, message_id, now),
            None => {
                self.keep_early(n, message_id);
                None
            }
        }
    }

    /// Marks transfers without progress for [`TrackerOptions::stall_after_ms`] as `stalled` and
    /// returns those transitions. Call it periodically, or before reading phases.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn tick(&mut self, now: u64) -> Vec<Transition> {
        let after = self.options.stall_after_ms;
        let mut out = Vec::new();
        for t in self.transfers.values_mut() {
            if t.phase.is_terminal() || t.phase == TransferPhase::Stalled {
                continue;
            }
            if now.saturating_sub(t.last_progress_at) >= after {
                let tr = Transition {
                    call_id: t.call_id.clone(),
                    from: t.phase,
                    to: TransferPhase::Stalled,
                    at: now,
                    event: None,
                    state: None,
                    message_id: None,
                };
                t.phase = TransferPhase::Stalled;
                record(&mut t.history, tr.clone());
                out.push(tr);
            }
        }
        out
    }

    /// The phase of the transfer of `call_id`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn phase(&self, call_id: &str) -> Option<TransferPhase> {
        self.transfers.get(call_id).map(|t| t.phase)
    }

    /// Everything known about the transfer of `call_id`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn get(&self, call_id: &str) -> Option<&TrackedTransfer> {
        self.transfers.get(call_id).map(|t| &**t)
    }

    /// All tracked transfers, ordered by call id.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn transfers(&self) -> impl Iterator<Item = &TrackedTransfer> {
        self.transfers.values().map(|t| &**t)
    }

    /// Stops tracking `call_id`; returns what was known.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn remove(&mut self, call_id: &str) -> Option<TrackedTransfer> {
        self.transfers.remove(call_id).map(|t| *t)
    }

    /// Serializes the whole state as JSON.
    ///
    /// # Errors
    ///
    /// Never: every field is JSON-representable (the `Result` is kept for compatibility). The
    /// text is exactly what `serde_json::to_string` writes for the tracker.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn to_json(&self) -> Result<String, Error> {
        let mut out = String::with_capacity(256);
        state::write_tracker(self, &mut out);
        Ok(out)
    }

    /// Restores a state written by [`to_json`](Self::to_json) (or by serializing the tracker
    /// with serde).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidJson`] for bad JSON syntax (the reason gives the line and column),
    /// [`ErrorKind::InvalidType`] for a value of the wrong type or a repeated field and
    /// [`ErrorKind::MissingField`] for a missing one, with the JSON path of the value (such as
    /// `transfers.341a.history[0].to`).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn from_json(json: &[u8]) -> Result<Self, Error> {
        state::read_tracker(json)
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn find_mut(&mut self, n: &Notification<'_>) -> Option<&mut TrackedTransfer> {
        if let Some(id) = n.call_id.as_deref() {
            if self.transfers.contains_key(id) {
                return self.transfers.get_mut(id).map(|t| &mut **t);
            }
        }
        let ctx = n.client_context.as_deref()?;
        self.transfers
            .values_mut()
            .find(|t| t.client_context.as_deref() == Some(ctx))
            .map(|t| &mut **t)
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn remember(&mut self, key: String) {
        if self.options.max_message_ids == 0 {
            return;
        }
        while self.seen.order.len() >= self.options.max_message_ids {
            if let Some(old) = self.seen.order.pop_front() {
                self.seen.set.remove(&old);
            }
        }
        self.seen.set.insert(key.clone(), ());
        self.seen.order.push_back(key);
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn keep_early(&mut self, n: &Notification<'_>, message_id: Option<&str>) {
        let relevant =
            n.transfer.is_some() || n.state.is_some() || n.change_type == Some(ChangeType::Deleted);
        if !relevant || self.options.max_early_calls == 0 || self.options.max_early_per_call == 0 {
            return;
        }
        let key = match (n.call_id.as_deref(), n.client_context.as_deref()) {
            (Some(id), _) => id.to_owned(),
            (None, Some(ctx)) => context_key(ctx),
            (None, None) => return,
        };
        if !self.early.contains_key(&key) {
            while self.early_order.len() >= self.options.max_early_calls {
                if let Some(old) = self.early_order.pop_front() {
                    self.early.remove(&old);
                }
            }
            self.early_order.push_back(key.clone());
        }
        let list = self.early.get_or_insert_with(key, Vec::new);
        if list.len() >= self.options.max_early_per_call {
            list.remove(0);
        }
        list.push(Early {
            client_context: n.client_context.as_deref().map(str::to_owned),
            change_type: n.change_type.clone(),
            state: n.state.clone(),
            termination_reason: n.termination_reason.as_deref().map(str::to_owned),
            result_info: n.result_info.clone().map(NotificationResult::into_owned),
            transfer: n.transfer,
            message_id: message_id.map(str::to_owned),
        });
    }
}

/// Keys of early notifications known only by clientContext (cannot collide with a call id,
/// which never contains a space).
#[cfg_attr(gct_opt_attr, optimize(size))]
fn context_key(ctx: &str) -> String {
    let mut k = String::from("clientContext ");
    k.push_str(ctx);
    k
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn apply(
    t: &mut TrackedTransfer,
    n: &Obs<'_>,
    message_id: Option<&str>,
    now: u64,
) -> Option<Transition> {
    if let Some(state) = n.state {
        if let CallState::Unknown(s) = state {
            if !t.unknown_states.iter().any(|u| u == s)
                && t.unknown_states.len() < MAX_UNKNOWN_STATES
            {
                t.unknown_states.push(s.clone());
            }
        }
        t.last_state = Some(state.clone());
    }
    if n.state == Some(&CallState::Terminated) || n.change_type == Some(&ChangeType::Deleted) {
        t.call_ended = true;
    }
    if let Some(reason) = n.termination_reason {
        t.termination_reason = Some(reason.to_owned());
    }
    let event = n.transfer?;
    let target = match event {
        TransferEvent::Transferring => TransferPhase::Transferring,
        TransferEvent::TransferAccepted => TransferPhase::Accepted,
        TransferEvent::TransferCompleted => TransferPhase::Completed,
        TransferEvent::TransferFailed => TransferPhase::Failed,
    };
    if t.progress.is_terminal() {
        if target == t.progress {
            t.duplicates += 1;
        } else {
            t.late += 1;
        }
        return None;
    }
    if target.rank() <= t.progress.rank() {
        if target == t.progress {
            t.duplicates += 1;
        } else {
            t.late += 1;
        }
        return None;
    }
    let tr = Transition {
        call_id: t.call_id.clone(),
        from: t.phase,
        to: target,
        at: now,
        event: Some(event),
        state: n.state.cloned(),
        message_id: message_id.map(str::to_owned),
    };
    if target.is_terminal() {
        t.result_info = n.result_info.cloned().map(NotificationResult::into_owned);
    }
    t.phase = target;
    t.progress = target;
    t.last_progress_at = t.last_progress_at.max(now);
    record(&mut t.history, tr.clone());
    Some(tr)
}

/// The names behind the wasm table's small integers, one group per line, comma-separated, in
/// the core's order: kinds, change types, states, transfer events, operation statuses, phases
/// (a constant: building it at run time cost ~1 KB of wasm; a test keeps it in step).
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "receive")),
    allow(dead_code)
)]
pub(crate) const ENUM_NAMES: &str = "call,participants,operation,tone,mediaState,other
created,updated,deleted
incoming,establishing,ringing,established,hold,transferring,transferAccepted,redirecting,terminating,terminated,unknownFutureValue
transferring,transferAccepted,transferCompleted,transferFailed
notStarted,running,completed,failed,unknownFutureValue
requested,transferring,accepted,completed,failed,stalled
";

#[cfg(test)]
mod tests {
    use super::super::ResourceKind;
    use super::*;
    use crate::model::OperationStatus;

    #[test]
    fn enum_names_follow_the_enums() {
        let mut s = String::new();
        let mut group = |names: Vec<&str>| {
            s.push_str(&names.join(","));
            s.push('\n');
        };
        group(ResourceKind::ALL.iter().map(|k| k.as_str()).collect());
        group(ChangeType::KNOWN.iter().map(ChangeType::as_str).collect());
        group(CallState::KNOWN.iter().map(CallState::as_str).collect());
        group(TransferEvent::ALL.iter().map(|k| k.as_str()).collect());
        group(
            OperationStatus::KNOWN
                .iter()
                .map(OperationStatus::as_str)
                .collect(),
        );
        group(TransferPhase::ALL.iter().map(|k| k.as_str()).collect());
        assert_eq!(s, ENUM_NAMES);
    }
}
