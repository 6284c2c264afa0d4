//! A deterministic Microsoft Graph simulator for call transfers: what Graph answers to a transfer
//! request, and the notifications it then POSTs to the bot's callback URL, in the dialect of the
//! request.
//!
//! Sans-IO like the rest of the core: no clock (`now_ms` is passed in), no randomness (ids come
//! from a `seed`), no IO. A server (the playground's `www/server.mjs`), a test or a worker sends
//! the answer and delivers each [`ScheduledNotification`] after its `delay_ms`.
//!
//! The shapes follow the Graph documentation examples (`tests/fixtures/notifications/`):
//! - v1.0 and today's beta: `{"@odata.type":"#microsoft.graph.commsNotifications","value":[{
//!   "@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","resourceUrl":
//!   "/communications/calls/{id}","resourceData":{"@odata.type":"#microsoft.graph.call","state":
//!   "transferring"}}]}`, then `transferAccepted`, then `changeType: deleted` with
//!   `state: terminated` and either `terminationReason: AppTransferred` or `resultInfo {code 0,
//!   subcode 7015, message GracefulTransferCompleted}`; a failure is `state: established` with
//!   `resultInfo {code 500, subCode 7000}` (7700 for a consultative transfer).
//! - The 2018 beta: `{"value":[{"changeType":"updated","resource":"/app/calls/{id}","resourceData":
//!   {"@odata.type":"#microsoft.graph.call","@odata.id":...,"@odata.etag":...,"callState":
//!   "transferring"}}]}`, then `transfer-accepted`, then `terminated` + `terminationReason:
//!   AppTransferred`, then `changeType: deleted`; the request is answered `200` with a
//!   `commsOperation`.
//!
//! ```
//! use graph_call_transfer::simulate::{simulate, Scenario, SimulationInput};
//! use graph_call_transfer::ApiVersion;
//!
//! let input = SimulationInput {
//!     call_id: "341a0500-d4bf-4224-8b19-1581168d328b".into(),
//!     api_version: ApiVersion::V1,
//!     body: br#"{"transferTarget":{"identity":{"user":{"id":"550fae72-d251-43ec-868c-373732c2704f"}}}}"#.to_vec(),
//!     seed: 7,
//!     ..SimulationInput::default()
//! };
//! let notifications = simulate(Scenario::Success, &input);
//! let states: Vec<&str> = notifications.iter().map(|n| n.event.as_str()).collect();
//! assert_eq!(states, ["transferring", "transferAccepted", "transferCompleted"]);
//! assert!(notifications[2].body_json.contains(r#""subcode":7015"#));
//! // Deterministic: the same input gives the same ids and bodies.
//! assert_eq!(notifications, simulate(Scenario::Success, &input));
//! ```

mod text;

use crate::error::{Error, ErrorKind};
use crate::request::{summarize_body, validate, ApiVersion};

pub use text::{http_date, iso_date_time};

/// What the simulated Graph does with a transfer request, chosen per request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scenario {
    /// Transferring, accepted, then the call is deleted, in the completion form the docs show for
    /// this kind of request: `terminationReason: AppTransferred` for a consultative transfer (and
    /// always in the 2018 beta), `resultInfo {code 0, subcode 7015, message
    /// GracefulTransferCompleted}` for a direct one.
    #[default]
    Success,
    /// A success that always completes with `terminationReason: AppTransferred`.
    SuccessAppTransferred,
    /// A success that always completes with `resultInfo {code 0, subcode 7015, message
    /// GracefulTransferCompleted}`.
    SuccessResultInfo,
    /// Transferring, then the call is back to `established` with `resultInfo {code 500,
    /// subCode 7000}` (7700 for a consultative transfer).
    Failure,
    /// A success whose every notification is delivered twice with the same message id (Graph
    /// redelivers when a callback is slow to answer).
    Duplicated,
    /// A success delivered out of order: `transferAccepted` arrives before `transferring`.
    OutOfOrder,
    /// A success whose target takes a long time (13 steps) to accept.
    SlowTarget,
    /// The first attempt is refused with `429 Too Many Requests` and `Retry-After`; a retry
    /// (attempt 2 or later) succeeds as [`Success`](Self::Success).
    Throttled,
    /// Transferring, then nothing: the transfer never finishes.
    Stalled,
}

impl Scenario {
    /// Every scenario, in declaration order.
    pub const ALL: [Scenario; 9] = [
        Self::Success,
        Self::SuccessAppTransferred,
        Self::SuccessResultInfo,
        Self::Failure,
        Self::Duplicated,
        Self::OutOfOrder,
        Self::SlowTarget,
        Self::Throttled,
        Self::Stalled,
    ];

    /// The camelCase name used in URLs and options.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::SuccessAppTransferred => "successAppTransferred",
            Self::SuccessResultInfo => "successResultInfo",
            Self::Failure => "failure",
            Self::Duplicated => "duplicated",
            Self::OutOfOrder => "outOfOrder",
            Self::SlowTarget => "slowTarget",
            Self::Throttled => "throttled",
            Self::Stalled => "stalled",
        }
    }

    /// Parses a scenario name.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownOption`] at path `scenario` for a name not in [`Scenario::ALL`].
    pub fn parse(name: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| Error::new(ErrorKind::UnknownOption, "scenario"))
    }
}

/// The default delay unit, in milliseconds.
pub const DEFAULT_STEP_MS: u64 = 300;

/// The `Retry-After` of the [`Scenario::Throttled`] answer, in seconds.
pub const THROTTLE_RETRY_AFTER_SECONDS: u32 = 1;

/// Steps the slow target waits before accepting.
pub const SLOW_TARGET_STEPS: u64 = 13;

/// A transfer request as the simulated Graph receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulationInput {
    /// The call id from the URL path.
    pub call_id: String,
    /// The dialect of the endpoint that was called.
    pub api_version: ApiVersion,
    /// The request body as received (validated by [`simulate_transfer`]).
    pub body: Vec<u8>,
    /// The source of every generated id (request id, operation id, message ids, etags).
    pub seed: u64,
    /// Now, in milliseconds since the Unix epoch (for `Date`, `createdDateTime`, error dates).
    pub now_ms: u64,
    /// The delay unit in milliseconds ([`DEFAULT_STEP_MS`]); a notification comes every few steps.
    pub step_ms: u64,
    /// Which attempt this is: 1 for the first request, 2 for the first retry (from the
    /// `Retry-Attempt` header plus one).
    pub attempt: u32,
    /// The `client-request-id` header, echoed in the answer and in error envelopes.
    pub client_request_id: Option<String>,
}

impl Default for SimulationInput {
    fn default() -> Self {
        Self {
            call_id: String::new(),
            api_version: ApiVersion::V1,
            body: Vec::new(),
            seed: 0,
            now_ms: 0,
            step_ms: DEFAULT_STEP_MS,
            attempt: 1,
            client_request_id: None,
        }
    }
}

/// What a simulated notification means for the transfer (its label on a timeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SimulatedEvent {
    /// `transferring`.
    Transferring,
    /// `transferAccepted` (2018: `transfer-accepted`).
    TransferAccepted,
    /// The call ended because it was transferred.
    TransferCompleted,
    /// The call is back to `established` with an error `resultInfo`.
    TransferFailed,
    /// The 2018 beta's final `changeType: deleted` after the transfer completed.
    CallDeleted,
}

impl SimulatedEvent {
    /// The camelCase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Transferring => "transferring",
            Self::TransferAccepted => "transferAccepted",
            Self::TransferCompleted => "transferCompleted",
            Self::TransferFailed => "transferFailed",
            Self::CallDeleted => "callDeleted",
        }
    }
}

/// One notification to deliver `delay_ms` after the answer, as Graph would POST it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledNotification {
    /// Milliseconds after the HTTP answer; non-decreasing along the sequence.
    pub delay_ms: u64,
    /// The `X-Microsoft-Skype-Message-ID` header value: the same for a redelivered copy.
    pub message_id: String,
    /// What the notification means.
    pub event: SimulatedEvent,
    /// Whether this is a redelivery of an earlier notification.
    pub redelivery: bool,
    /// The exact, compact JSON body.
    pub body_json: String,
}

/// The simulated answer to a transfer request and the notifications that follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    /// The HTTP status: 202 (v1.0/beta), 200 (2018 beta), 400 for a bad request, 429 throttled.
    pub status: u16,
    /// Response headers, lowercase names: `request-id`, `client-request-id` (when one was sent),
    /// `date`, then `content-type` and `retry-after` when they apply.
    pub headers: Vec<(String, String)>,
    /// The response body: empty for 202, a `commsOperation` for the 2018 beta, an error envelope.
    pub body: String,
    /// The notifications to deliver, in delivery order.
    pub notifications: Vec<ScheduledNotification>,
}

/// The notifications Graph sends after accepting `input` in `scenario`, in delivery order.
///
/// A request Graph would refuse (a bad body or call id, or the first attempt of
/// [`Scenario::Throttled`]) gets no notification: see [`simulate_transfer`] for the answer.
pub fn simulate(scenario: Scenario, input: &SimulationInput) -> Vec<ScheduledNotification> {
    simulate_transfer(scenario, input).notifications
}

/// The whole simulated exchange: the HTTP answer to `input` and the notifications after it.
///
/// A body that the project's own validation refuses is answered `400` with a Graph error envelope
/// whose message names the JSON path; the call id is checked the same way.
pub fn simulate_transfer(scenario: Scenario, input: &SimulationInput) -> Simulation {
    let mut ids = Ids::new(input.seed);
    let request_id = ids.guid();
    let mut headers = vec![("request-id".to_owned(), request_id.clone())];
    if let Some(id) = &input.client_request_id {
        headers.push(("client-request-id".to_owned(), id.clone()));
    }
    headers.push(("date".to_owned(), http_date(input.now_ms)));
    let error = |status: u16, code: &str, message: &str, mut headers: Vec<(String, String)>| {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
        Simulation {
            status,
            body: text::error_envelope(
                code,
                message,
                &iso_date_time(input.now_ms),
                &request_id,
                input.client_request_id.as_deref(),
            ),
            headers,
            notifications: Vec::new(),
        }
    };
    let facts = match validate::call_id(&input.call_id)
        .map_err(|e| e.within("callId"))
        .and_then(|()| summarize_body(&input.body, input.api_version))
    {
        Ok(facts) => facts,
        Err(e) => return error(400, "BadRequest", &e.to_string(), headers),
    };
    if scenario == Scenario::Throttled && input.attempt <= 1 {
        headers.push((
            "retry-after".to_owned(),
            THROTTLE_RETRY_AFTER_SECONDS.to_string(),
        ));
        return error(
            429,
            "TooManyRequests",
            "Too many requests to the calling service; retry after the Retry-After delay",
            headers,
        );
    }
    let body = if input.api_version == ApiVersion::Beta2018 {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
        let when = iso_date_time(input.now_ms);
        text::comms_operation(
            facts.client_context.as_deref(),
            &when,
            &ids.hex32(),
            "Running",
        )
    } else {
        String::new()
    };
    let notifications = notifications(scenario, input, &facts, &mut ids);
    Simulation {
        status: input.api_version.success_status(),
        headers,
        body,
        notifications,
    }
}

use crate::request::BodySummary as BodyFacts;

/// One step of a flow before delays and redeliveries are applied.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Transferring,
    Accepted,
    /// Completed; `true` for the resultInfo 7015 form.
    Completed(bool),
    Failed,
    Deleted,
}

fn notifications(
    scenario: Scenario,
    input: &SimulationInput,
    facts: &BodyFacts,
    ids: &mut Ids,
) -> Vec<ScheduledNotification> {
    use Step::*;
    let s = input.step_ms;
    let v2018 = input.api_version == ApiVersion::Beta2018;
    let completed = |seven_015: bool| -> Vec<(u64, Step)> {
        let mut steps = vec![
            (s, Transferring),
            (3 * s, Accepted),
            (5 * s, Completed(seven_015)),
        ];
        if v2018 {
            steps.push((6 * s, Deleted));
        }
        steps
    };
    // The documented completion form: resultInfo 7015 for a direct transfer today.
    let documented = !v2018 && facts.replaces_call_id.is_none();
    let mut plan: Vec<(u64, Step)> = match scenario {
        Scenario::Success | Scenario::Duplicated | Scenario::Throttled => completed(documented),
        Scenario::SuccessAppTransferred => completed(false),
        Scenario::SuccessResultInfo => completed(true),
        Scenario::Failure => vec![(s, Transferring), (4 * s, Failed)],
        Scenario::OutOfOrder => {
            let mut steps = completed(documented);
            // transferAccepted overtakes transferring.
            steps[0].1 = Accepted;
            steps[1] = (2 * s, Transferring);
            steps
        }
        Scenario::SlowTarget => {
            let mut steps = completed(documented);
            let wait = SLOW_TARGET_STEPS * s;
            for (i, step) in steps.iter_mut().enumerate().skip(1) {
                step.0 = wait + (i as u64) * s;
            }
            steps
        }
        Scenario::Stalled => vec![(s, Transferring)],
    };
    plan.sort_by_key(|(delay, _)| *delay);
    let etag_base = 1000 + ids.next() % 9000;
    let mut out = Vec::with_capacity(plan.len() * 2);
    for (i, (delay, step)) in plan.into_iter().enumerate() {
        let body = if v2018 {
            text::notification_2018(&input.call_id, etag_base + i as u64, step_2018(step, facts))
        } else {
            text::notification_today(&input.call_id, step_today(step, facts))
        };
        let message_id = ids.guid();
        let event = match step {
            Transferring => SimulatedEvent::Transferring,
            Accepted => SimulatedEvent::TransferAccepted,
            Completed(_) => SimulatedEvent::TransferCompleted,
            Failed => SimulatedEvent::TransferFailed,
            Deleted => SimulatedEvent::CallDeleted,
        };
        if scenario == Scenario::Duplicated {
            out.push(ScheduledNotification {
                delay_ms: delay,
                message_id: message_id.clone(),
                event,
                redelivery: false,
                body_json: body.clone(),
            });
            out.push(ScheduledNotification {
                delay_ms: delay + s / 2,
                message_id,
                event,
                redelivery: true,
                body_json: body,
            });
        } else {
            out.push(ScheduledNotification {
                delay_ms: delay,
                message_id,
                event,
                redelivery: false,
                body_json: body,
            });
        }
    }
    out
}

fn failure_subcode(facts: &BodyFacts) -> i64 {
    if facts.replaces_call_id.is_some() {
        7700
    } else {
        7000
    }
}

fn step_today(step: Step, facts: &BodyFacts) -> text::Today<'_> {
    use text::Today;
    match step {
        Step::Transferring => Today::State("transferring"),
        Step::Accepted => Today::State("transferAccepted"),
        Step::Completed(false) => Today::TerminatedAppTransferred,
        Step::Completed(true) | Step::Deleted => Today::TerminatedGraceful,
        Step::Failed => Today::Failed {
            subcode: failure_subcode(facts),
            // The docs show replacesContext on a consultative failure to a Teams user.
            replaces_context: if facts.to_phone {
                None
            } else {
                facts.replaces_call_id.as_deref()
            },
        },
    }
}

fn step_2018(step: Step, facts: &BodyFacts) -> text::Old {
    use text::Old;
    match step {
        Step::Transferring => Old::CallState("transferring"),
        Step::Accepted => Old::CallState("transfer-accepted"),
        Step::Completed(false) => Old::TerminatedAppTransferred,
        Step::Completed(true) => Old::TerminatedGraceful,
        Step::Failed => Old::Failed(failure_subcode(facts)),
        // The attended example ends with callState terminated + AppInitiated; the consultative
        // one with a bare deleted call.
        Step::Deleted => Old::Deleted {
            bare: facts.replaces_call_id.is_some(),
        },
    }
}

/// Deterministic ids from a seed (splitmix64).
struct Ids(u64);

impl Ids {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A lowercase GUID (version 4 layout).
    fn guid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
        let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        let hex = text::hex(a, b, false);
        let mut out = String::with_capacity(36);
        for (i, part) in [0..8, 8..12, 12..16, 16..20, 20..32]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                out.push('-');
            }
            out.push_str(&hex[part]);
        }
        out
    }

    /// 32 uppercase hex digits, like the 2018 beta's ids.
    fn hex32(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        text::hex(a, b, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_name_round_trips() {
        for s in Scenario::ALL {
            assert_eq!(Scenario::parse(s.as_str()), Ok(s));
        }
        assert_eq!(
            Scenario::parse("sucess").unwrap_err().kind_name(),
            "unknownOption"
        );
    }

    #[test]
    fn guids_have_the_version_4_layout() {
        let mut ids = Ids::new(1);
        let g = ids.guid();
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
        assert!(matches!(&g[19..20], "8" | "9" | "a" | "b"), "{g}");
        assert_ne!(g, ids.guid());
        assert_eq!(ids.hex32().len(), 32);
    }
}
