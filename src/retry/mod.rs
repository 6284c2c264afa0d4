//! The retry policy for sending a transfer: a pure decision over (attempt, outcome, now).
//!
//! A transfer is **not idempotent**: once Graph has started it, sending it again can transfer the
//! call twice or fail the second request in confusing ways. So only answers that say Graph did not
//! process the request are retried by default:
//!
//! - `429 Too Many Requests`: always, after `Retry-After` when Graph sent it (never earlier; a
//!   `Retry-After` above [`RetryPolicy::max_retry_after_ms`] stops instead of waiting that long),
//!   otherwise after an exponential backoff with jitter;
//! - `503 Service Unavailable` only *with* `Retry-After` (Graph's signal that it shed the request).
//!
//! A `502`, a `504`, a `503` without `Retry-After`, a timeout or a dropped connection may mean the
//! transfer is already running: these stop with [`StopReason::MayHaveRun`] unless the caller opts
//! in with [`RetryPolicy::retry_unsafe`]. Every other status stops ([`StopReason::NotRetryable`]).
//!
//! The core has no clock and no randomness: the caller passes the current time in milliseconds and
//! a jitter value in `[0, 1]` (the JavaScript layer uses `Date.now()` and `Math.random()`).
//!
//! ```
//! use graph_call_transfer::retry::{Decision, Outcome, RetryPolicy, StopReason};
//!
//! let policy = RetryPolicy::default();
//! let throttled = Outcome::Response { status: 429, retry_after_ms: Some(2_000) };
//! // Attempt 1 started at t=0 and was throttled at t=150: wait exactly what Graph asked.
//! assert_eq!(
//!     policy.decide(1, &throttled, 0, 150, 0.5),
//!     Decision::Retry { delay_ms: 2_000, attempt: 2 }
//! );
//! // A gateway timeout may mean the transfer is running: never re-POST by default.
//! let gateway = Outcome::Response { status: 504, retry_after_ms: None };
//! assert_eq!(policy.decide(1, &gateway, 0, 150, 0.5), Decision::Stop(StopReason::MayHaveRun));
//! ```

use crate::error::{Error, ErrorKind};

/// The most attempts (first try included) a policy may allow.
pub const MAX_ATTEMPTS_LIMIT: u32 = 10;
/// The largest backoff base, in milliseconds.
pub const BASE_DELAY_LIMIT_MS: u64 = 60_000;
/// The largest delay cap and `Retry-After` cap, in milliseconds (ten minutes).
pub const DELAY_LIMIT_MS: u64 = 600_000;
/// The longest total deadline, in milliseconds (an hour).
pub const DEADLINE_LIMIT_MS: u64 = 3_600_000;

/// How to retry. [`Default`] gives 3 attempts, a 500 ms backoff base capped at 8 s, `Retry-After`
/// honoured up to 30 s, a 60 s deadline and no retry that could duplicate a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most attempts, the first one included (1 = never retry).
    pub max_attempts: u32,
    /// The backoff before retry `n` is drawn from `[b/2, b]` with `b = min(max_delay_ms,
    /// base_delay_ms * 2^(n-1))`.
    pub base_delay_ms: u64,
    /// The cap on a computed backoff.
    pub max_delay_ms: u64,
    /// The longest `Retry-After` that is waited for; a longer one stops with
    /// [`StopReason::RetryAfterTooLong`] (waiting less than asked would only be throttled again).
    pub max_retry_after_ms: u64,
    /// No retry starts later than this many milliseconds after the first attempt started.
    pub deadline_ms: u64,
    /// Also retry outcomes after which the transfer may already be running (`502`, `504`, `503`
    /// without `Retry-After`, timeouts, dropped connections). Off by default: a retry then risks
    /// transferring the call twice.
    pub retry_unsafe: bool,
}

impl Default for RetryPolicy {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay_ms: 500,
            max_delay_ms: 8_000,
            max_retry_after_ms: 30_000,
            deadline_ms: 60_000,
            retry_unsafe: false,
        }
    }
}

/// What happened on an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An HTTP answer, with the delay its `Retry-After` header asked for, if any.
    Response {
        /// The HTTP status.
        status: u16,
        /// `Retry-After` in milliseconds (see [`crate::response::parse_retry_after`]).
        retry_after_ms: Option<u64>,
    },
    /// No answer within the timeout. The request may have reached Graph.
    Timeout,
    /// The connection failed or was dropped. The request may have reached Graph.
    Network,
    /// The caller cancelled.
    Aborted,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send attempt number `attempt` after waiting `delay_ms`, with the same `client-request-id`
    /// and a `Retry-Attempt: {attempt - 1}` header.
    Retry {
        /// How long to wait first, in milliseconds.
        delay_ms: u64,
        /// The number of the next attempt (2 for the first retry).
        attempt: u32,
    },
    /// Do not send again.
    Stop(StopReason),
}

/// Why no further attempt is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// A 2xx answer: nothing to retry.
    Succeeded,
    /// The status is not one that is ever retried (such as 400, 401, 403, 404, 500).
    NotRetryable,
    /// The transfer may already be running (502, 504, 503 without `Retry-After`, a timeout or a
    /// dropped connection) and [`RetryPolicy::retry_unsafe`] is off.
    MayHaveRun,
    /// The caller cancelled.
    Aborted,
    /// [`RetryPolicy::max_attempts`] attempts were made.
    AttemptsExhausted,
    /// `Retry-After` asked for longer than [`RetryPolicy::max_retry_after_ms`].
    RetryAfterTooLong,
    /// The next attempt would start after [`RetryPolicy::deadline_ms`].
    DeadlineExceeded,
}

impl StopReason {
    /// Every reason, in declaration order (the wasm layer sends the index).
    pub const ALL: [StopReason; 7] = [
        Self::Succeeded,
        Self::NotRetryable,
        Self::MayHaveRun,
        Self::Aborted,
        Self::AttemptsExhausted,
        Self::RetryAfterTooLong,
        Self::DeadlineExceeded,
    ];

    /// The stable camelCase name (`reason` in JavaScript).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn name(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::NotRetryable => "notRetryable",
            Self::MayHaveRun => "mayHaveRun",
            Self::Aborted => "aborted",
            Self::AttemptsExhausted => "attemptsExhausted",
            Self::RetryAfterTooLong => "retryAfterTooLong",
            Self::DeadlineExceeded => "deadlineExceeded",
        }
    }
}

/// Whether an outcome may be retried, and after which `Retry-After` if any.
enum Class {
    Stop(StopReason),
    Safe(Option<u64>),
    Unsafe(Option<u64>),
}

impl RetryPolicy {
    /// A policy that never retries (one attempt).
    pub const NEVER: Self = Self {
        max_attempts: 1,
        base_delay_ms: 0,
        max_delay_ms: 0,
        max_retry_after_ms: 0,
        deadline_ms: DEADLINE_LIMIT_MS,
        retry_unsafe: false,
    };

    /// Checks the limits.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfRange`] at the camelCase field name: `maxAttempts` outside 1 to
    /// [`MAX_ATTEMPTS_LIMIT`], `baseDelayMs` above [`BASE_DELAY_LIMIT_MS`], `maxDelayMs` or
    /// `maxRetryAfterMs` above [`DELAY_LIMIT_MS`], `deadlineMs` outside 1 to [`DEADLINE_LIMIT_MS`].
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn validate(&self) -> Result<(), Error> {
        let out = |expected, path: &str| Err(Error::new(ErrorKind::OutOfRange { expected }, path));
        if !(1..=MAX_ATTEMPTS_LIMIT).contains(&self.max_attempts) {
            return out("an integer from 1 to 10", "maxAttempts");
        }
        if self.base_delay_ms > BASE_DELAY_LIMIT_MS {
            return out("at most 60000 ms", "baseDelayMs");
        }
        if self.max_delay_ms > DELAY_LIMIT_MS {
            return out("at most 600000 ms", "maxDelayMs");
        }
        if self.max_retry_after_ms > DELAY_LIMIT_MS {
            return out("at most 600000 ms", "maxRetryAfterMs");
        }
        if !(1..=DEADLINE_LIMIT_MS).contains(&self.deadline_ms) {
            return out("from 1 to 3600000 ms", "deadlineMs");
        }
        Ok(())
    }

    /// Decides what follows attempt number `attempt` (1 for the first), which ended with
    /// `outcome` at `now_ms`; the first attempt started at `started_at_ms` (both in the same
    /// milliseconds, such as `Date.now()`). `jitter` in `[0, 1]` spreads the backoff (out-of-range
    /// values are clamped, NaN counts as 0).
    ///
    /// Call it after every attempt; send again only on [`Decision::Retry`].
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn decide(
        &self,
        attempt: u32,
        outcome: &Outcome,
        started_at_ms: u64,
        now_ms: u64,
        jitter: f64,
    ) -> Decision {
        let (retry_after, safe) = match self.classify(outcome) {
            Class::Stop(reason) => return Decision::Stop(reason),
            Class::Safe(retry_after) => (retry_after, true),
            Class::Unsafe(retry_after) => (retry_after, false),
        };
        if !safe && !self.retry_unsafe {
            return Decision::Stop(StopReason::MayHaveRun);
        }
        if attempt >= self.max_attempts {
            return Decision::Stop(StopReason::AttemptsExhausted);
        }
        let delay_ms = match retry_after {
            Some(ms) if ms > self.max_retry_after_ms => {
                return Decision::Stop(StopReason::RetryAfterTooLong)
            }
            Some(ms) => ms,
            None => self.backoff_ms(attempt, jitter),
        };
        let elapsed = now_ms.saturating_sub(started_at_ms);
        if elapsed.saturating_add(delay_ms) > self.deadline_ms {
            return Decision::Stop(StopReason::DeadlineExceeded);
        }
        Decision::Retry {
            delay_ms,
            attempt: attempt.saturating_add(1),
        }
    }

    /// The backoff after attempt `attempt` when Graph gave no `Retry-After`: half of
    /// `min(max_delay_ms, base_delay_ms * 2^(attempt-1))` plus `jitter` times the other half.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn backoff_ms(&self, attempt: u32, jitter: f64) -> u64 {
        let shift = attempt.saturating_sub(1).min(32);
        let ceiling = self
            .base_delay_ms
            .saturating_mul(1u64 << shift)
            .min(self.max_delay_ms);
        let jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        let half = ceiling / 2;
        // `ceiling` is at most DELAY_LIMIT_MS for a validated policy, far inside f64's exact range.
        half + ((ceiling - half) as f64 * jitter).round() as u64
    }

    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn classify(&self, outcome: &Outcome) -> Class {
        match *outcome {
            Outcome::Aborted => Class::Stop(StopReason::Aborted),
            Outcome::Timeout | Outcome::Network => Class::Unsafe(None),
            Outcome::Response {
                status,
                retry_after_ms,
            } => match status {
                200..=299 => Class::Stop(StopReason::Succeeded),
                429 => Class::Safe(retry_after_ms),
                503 if retry_after_ms.is_some() => Class::Safe(retry_after_ms),
                502..=504 => Class::Unsafe(retry_after_ms),
                _ => Class::Stop(StopReason::NotRetryable),
            },
        }
    }
}

/// Retry options as JavaScript hands them over (`retry` in `sendTransfer`): plain numbers, not
/// yet checked to be integers or in range, each `None` for its [`RetryPolicy::default`] value.
///
/// Deliberately not a serde type: numbers cross the wasm boundary as `f64`s, which keeps JSON
/// and float parsing out of the retry path.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RetryOptions {
    /// The most attempts, the first included: 1 to 10 (default 3).
    pub max_attempts: Option<f64>,
    /// The backoff base in milliseconds (default 500).
    pub base_delay_ms: Option<f64>,
    /// The cap on a computed backoff in milliseconds (default 8000).
    pub max_delay_ms: Option<f64>,
    /// The longest `Retry-After` waited for, in milliseconds (default 30000).
    pub max_retry_after_ms: Option<f64>,
    /// No retry starts later than this after the first attempt, in milliseconds (default 60000).
    pub deadline_ms: Option<f64>,
    /// Also retry after a 502, a 504, a 503 without `Retry-After`, a timeout or a dropped
    /// connection, at the risk of transferring twice (default false).
    pub retry_unsafe: Option<bool>,
}

impl RetryOptions {
    /// Fills the defaults and validates.
    ///
    /// ```
    /// use graph_call_transfer::retry::RetryOptions;
    ///
    /// let policy = RetryOptions { max_attempts: Some(5.0), ..RetryOptions::default() }.into_policy()?;
    /// assert_eq!(policy.max_attempts, 5);
    /// let err = RetryOptions { deadline_ms: Some(-1.0), ..RetryOptions::default() }.into_policy().unwrap_err();
    /// assert_eq!((err.kind_name(), err.path()), ("outOfRange", "deadlineMs"));
    /// # Ok::<(), graph_call_transfer::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::OutOfRange`] at the camelCase field name for a value that is not a
    /// non-negative integer, and the limits of [`RetryPolicy::validate`].
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn into_policy(self) -> Result<RetryPolicy, Error> {
        let d = RetryPolicy::default();
        let int = |value: Option<f64>, default: u64, path: &str| match value {
            None => Ok(default),
            Some(v) => whole(v, path),
        };
        let max_attempts = int(self.max_attempts, u64::from(d.max_attempts), "maxAttempts")?;
        let policy = RetryPolicy {
            max_attempts: u32::try_from(max_attempts).unwrap_or(u32::MAX),
            base_delay_ms: int(self.base_delay_ms, d.base_delay_ms, "baseDelayMs")?,
            max_delay_ms: int(self.max_delay_ms, d.max_delay_ms, "maxDelayMs")?,
            max_retry_after_ms: int(
                self.max_retry_after_ms,
                d.max_retry_after_ms,
                "maxRetryAfterMs",
            )?,
            deadline_ms: int(self.deadline_ms, d.deadline_ms, "deadlineMs")?,
            retry_unsafe: self.retry_unsafe.unwrap_or(d.retry_unsafe),
        };
        policy.validate()?;
        Ok(policy)
    }
}

/// How an attempt ended without an HTTP status, in a [`RetryQuery`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// No answer within the timeout.
    Timeout,
    /// The connection failed or was dropped.
    Network,
    /// The caller cancelled.
    Aborted,
    /// Any other kind (such as `graph`): the outcome then needs a status.
    Other,
}

/// One retry question with unchecked inputs, as JavaScript's `decideRetry` asks it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryQuery {
    /// The policy.
    pub options: RetryOptions,
    /// The number of the attempt that just ended (1 for the first).
    pub attempt: f64,
    /// The HTTP status, when there was an answer.
    pub status: Option<f64>,
    /// `Retry-After` in milliseconds.
    pub retry_after_ms: Option<f64>,
    /// The kind of failure, when there was no answer.
    pub kind: Option<OutcomeKind>,
    /// When the first attempt started, in ms (default `now`).
    pub started_at: Option<f64>,
    /// Now, in ms.
    pub now: f64,
    /// A value in `[0, 1]`.
    pub jitter: f64,
}

impl RetryQuery {
    /// Checks the inputs and runs [`RetryPolicy::decide`].
    ///
    /// ```
    /// use graph_call_transfer::retry::{OutcomeKind, RetryOptions, RetryQuery};
    /// use graph_call_transfer::{Decision, StopReason};
    ///
    /// let query = RetryQuery {
    ///     options: RetryOptions::default(),
    ///     attempt: 1.0,
    ///     status: Some(503.0),
    ///     retry_after_ms: Some(1000.0),
    ///     kind: None,
    ///     started_at: Some(0.0),
    ///     now: 20.0,
    ///     jitter: 0.3,
    /// };
    /// assert_eq!(query.decide()?, Decision::Retry { delay_ms: 1000, attempt: 2 });
    /// let timeout = RetryQuery { status: None, kind: Some(OutcomeKind::Timeout), ..query };
    /// assert_eq!(timeout.decide()?, Decision::Stop(StopReason::MayHaveRun));
    /// # Ok::<(), graph_call_transfer::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::OutOfRange`] for an `attempt` that is not a positive integer, a negative or
    /// non-finite time, a `jitter` outside `[0, 1]`, an outcome with neither a status from 100 to
    /// 599 nor a kind other than [`OutcomeKind::Other`], and the policy's errors (under `policy`).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn decide(&self) -> Result<Decision, Error> {
        let policy = self.options.into_policy().map_err(|e| e.within("policy"))?;
        let attempt = whole(self.attempt, "attempt")?;
        if attempt == 0 {
            return Err(out_of_range("an integer from 1", "attempt"));
        }
        let attempt = u32::try_from(attempt).unwrap_or(u32::MAX);
        let now = millis(self.now, "now")?;
        let started_at = match self.started_at {
            Some(value) => millis(value, "startedAt")?,
            None => now,
        };
        if !(0.0..=1.0).contains(&self.jitter) {
            return Err(out_of_range("a number from 0 to 1", "jitter"));
        }
        let outcome = match (self.status, self.kind) {
            (Some(status), _) => {
                if !(100.0..=599.0).contains(&status) || status.fract() != 0.0 {
                    return Err(out_of_range("an integer from 100 to 599", "outcome.status"));
                }
                Outcome::Response {
                    status: status as u16,
                    retry_after_ms: self
                        .retry_after_ms
                        .map(|v| millis(v, "outcome.retryAfterMs"))
                        .transpose()?,
                }
            }
            (None, Some(OutcomeKind::Timeout)) => Outcome::Timeout,
            (None, Some(OutcomeKind::Network)) => Outcome::Network,
            (None, Some(OutcomeKind::Aborted)) => Outcome::Aborted,
            (None, _) => {
                return Err(out_of_range(
                    "a status, or kind \"timeout\", \"network\" or \"aborted\"",
                    "outcome",
                ))
            }
        };
        Ok(policy.decide(attempt, &outcome, started_at, now, self.jitter))
    }
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn out_of_range(expected: &'static str, path: &str) -> Error {
    Error::new(ErrorKind::OutOfRange { expected }, path)
}

/// A non-negative, finite number of milliseconds, rounded down.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn millis(value: f64, path: &str) -> Result<u64, Error> {
    if (0.0..9.0e15).contains(&value) {
        Ok(value as u64)
    } else {
        Err(out_of_range(
            "a finite, non-negative number of milliseconds",
            path,
        ))
    }
}

/// A non-negative integer.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn whole(value: f64, path: &str) -> Result<u64, Error> {
    if (0.0..9.0e15).contains(&value) && value.fract() == 0.0 {
        Ok(value as u64)
    } else {
        Err(out_of_range("a non-negative integer", path))
    }
}
