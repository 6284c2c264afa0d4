//! The retry policy through the public API, driven with a simulated clock.

use graph_call_transfer::retry::{OutcomeKind, RetryOptions, RetryQuery};
use graph_call_transfer::{Decision, Outcome, RetryPolicy, StopReason};

fn status(status: u16, retry_after_ms: Option<u64>) -> Outcome {
    Outcome::Response {
        status,
        retry_after_ms,
    }
}

#[test]
fn only_signals_that_graph_did_not_process_the_request_are_retried() {
    let policy = RetryPolicy::default();
    let decide = |outcome: Outcome| policy.decide(1, &outcome, 0, 0, 0.0);
    assert!(matches!(decide(status(429, None)), Decision::Retry { .. }));
    assert!(matches!(
        decide(status(429, Some(10))),
        Decision::Retry { .. }
    ));
    assert!(matches!(
        decide(status(503, Some(10))),
        Decision::Retry { .. }
    ));
    for outcome in [
        status(503, None),
        status(502, None),
        status(504, None),
        status(504, Some(10)),
        Outcome::Timeout,
        Outcome::Network,
    ] {
        assert_eq!(
            decide(outcome),
            Decision::Stop(StopReason::MayHaveRun),
            "{outcome:?}"
        );
    }
    for code in [400, 401, 403, 404, 409, 500, 501, 301] {
        assert_eq!(
            decide(status(code, None)),
            Decision::Stop(StopReason::NotRetryable),
            "{code}"
        );
    }
    assert_eq!(
        decide(status(202, None)),
        Decision::Stop(StopReason::Succeeded)
    );
    assert_eq!(
        decide(status(200, None)),
        Decision::Stop(StopReason::Succeeded)
    );
    assert_eq!(
        decide(Outcome::Aborted),
        Decision::Stop(StopReason::Aborted)
    );
}

#[test]
fn opting_in_retries_what_may_have_run() {
    let policy = RetryPolicy {
        retry_unsafe: true,
        ..RetryPolicy::default()
    };
    for outcome in [
        status(504, None),
        status(502, None),
        status(503, None),
        Outcome::Timeout,
        Outcome::Network,
    ] {
        assert!(
            matches!(
                policy.decide(1, &outcome, 0, 0, 0.0),
                Decision::Retry { attempt: 2, .. }
            ),
            "{outcome:?}"
        );
    }
    // Still never a 400 or an abort.
    assert_eq!(
        policy.decide(1, &status(400, None), 0, 0, 0.0),
        Decision::Stop(StopReason::NotRetryable)
    );
    assert_eq!(
        policy.decide(1, &Outcome::Aborted, 0, 0, 0.0),
        Decision::Stop(StopReason::Aborted)
    );
}

#[test]
fn retry_after_is_honoured_exactly_and_capped() {
    let policy = RetryPolicy::default();
    for jitter in [0.0, 0.5, 1.0] {
        assert_eq!(
            policy.decide(1, &status(429, Some(1_234)), 0, 10, jitter),
            Decision::Retry {
                delay_ms: 1_234,
                attempt: 2
            }
        );
    }
    assert_eq!(
        policy.decide(1, &status(429, Some(30_000)), 0, 0, 0.0),
        Decision::Retry {
            delay_ms: 30_000,
            attempt: 2
        }
    );
    assert_eq!(
        policy.decide(1, &status(429, Some(30_001)), 0, 0, 0.0),
        Decision::Stop(StopReason::RetryAfterTooLong)
    );
}

#[test]
fn exponential_backoff_with_jitter_stays_in_bounds() {
    let policy = RetryPolicy {
        max_attempts: 10,
        base_delay_ms: 100,
        max_delay_ms: 1_000,
        deadline_ms: 3_600_000,
        ..RetryPolicy::default()
    };
    let ceilings = [100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000, 1_000];
    for (i, ceiling) in ceilings.into_iter().enumerate() {
        let attempt = i as u32 + 1;
        assert_eq!(policy.backoff_ms(attempt, 0.0), ceiling / 2);
        assert_eq!(policy.backoff_ms(attempt, 1.0), ceiling);
        let mid = policy.backoff_ms(attempt, 0.5);
        assert!(mid > ceiling / 2 && mid < ceiling, "{attempt}: {mid}");
    }
    assert_eq!(policy.backoff_ms(1, f64::NAN), 50);
    assert_eq!(policy.backoff_ms(1, 7.0), 100);
    assert_eq!(policy.backoff_ms(u32::MAX, 0.0), 500, "no overflow");
}

#[test]
fn a_simulated_run_stops_at_max_attempts_and_at_the_deadline() {
    // Graph throttles forever: count attempts with a simulated clock.
    let policy = RetryPolicy {
        max_attempts: 4,
        ..RetryPolicy::default()
    };
    let mut now = 1_000_000;
    let started = now;
    let mut attempt = 1;
    let mut delays = Vec::new();
    loop {
        now += 40; // the request takes 40 ms
        match policy.decide(attempt, &status(429, None), started, now, 0.25) {
            Decision::Retry {
                delay_ms,
                attempt: next,
            } => {
                assert_eq!(next, attempt + 1);
                delays.push(delay_ms);
                now += delay_ms;
                attempt = next;
            }
            Decision::Stop(reason) => {
                assert_eq!(reason, StopReason::AttemptsExhausted);
                break;
            }
        }
        assert!(attempt <= 10, "runaway loop");
    }
    assert_eq!(attempt, 4);
    assert_eq!(delays, [313, 625, 1250]);

    let policy = RetryPolicy {
        max_attempts: 10,
        deadline_ms: 5_000,
        ..RetryPolicy::default()
    };
    assert!(matches!(
        policy.decide(2, &status(429, Some(1_000)), 0, 3_999, 0.0),
        Decision::Retry { .. }
    ));
    assert_eq!(
        policy.decide(2, &status(429, Some(1_000)), 0, 4_001, 0.0),
        Decision::Stop(StopReason::DeadlineExceeded)
    );
}

fn query(status: Option<f64>, kind: Option<OutcomeKind>) -> RetryQuery {
    RetryQuery {
        options: RetryOptions::default(),
        attempt: 1.0,
        status,
        retry_after_ms: None,
        kind,
        started_at: Some(0.0),
        now: 5.0,
        jitter: 0.5,
    }
}

#[test]
fn options_fill_defaults_and_refuse_bad_values() {
    assert_eq!(
        RetryOptions::default().into_policy().unwrap(),
        RetryPolicy::default()
    );
    let policy = RetryOptions {
        max_attempts: Some(1.0),
        retry_unsafe: Some(true),
        ..RetryOptions::default()
    }
    .into_policy()
    .unwrap();
    assert_eq!((policy.max_attempts, policy.retry_unsafe), (1, true));

    let none = RetryOptions::default();
    let cases = [
        (
            RetryOptions {
                max_attempts: Some(0.0),
                ..none
            },
            "maxAttempts",
        ),
        (
            RetryOptions {
                max_attempts: Some(11.0),
                ..none
            },
            "maxAttempts",
        ),
        (
            RetryOptions {
                max_attempts: Some(-1.0),
                ..none
            },
            "maxAttempts",
        ),
        (
            RetryOptions {
                max_attempts: Some(f64::NAN),
                ..none
            },
            "maxAttempts",
        ),
        (
            RetryOptions {
                max_attempts: Some(1e300),
                ..none
            },
            "maxAttempts",
        ),
        (
            RetryOptions {
                deadline_ms: Some(0.0),
                ..none
            },
            "deadlineMs",
        ),
        (
            RetryOptions {
                max_retry_after_ms: Some(600_001.0),
                ..none
            },
            "maxRetryAfterMs",
        ),
        (
            RetryOptions {
                base_delay_ms: Some(1.5),
                ..none
            },
            "baseDelayMs",
        ),
        (
            RetryOptions {
                max_delay_ms: Some(f64::INFINITY),
                ..none
            },
            "maxDelayMs",
        ),
    ];
    for (options, path) in cases {
        let err = options.into_policy().unwrap_err();
        assert_eq!(
            (err.kind_name(), err.path()),
            ("outOfRange", path),
            "{options:?}"
        );
    }
}

#[test]
fn queries_check_their_inputs() {
    let d = RetryQuery {
        options: RetryOptions {
            max_attempts: Some(2.0),
            ..RetryOptions::default()
        },
        attempt: 2.0,
        ..query(Some(429.0), None)
    };
    assert_eq!(
        d.decide().unwrap(),
        Decision::Stop(StopReason::AttemptsExhausted)
    );

    // A status wins over a kind, so a GraphError (kind "graph") can be passed as the outcome.
    let d = RetryQuery {
        retry_after_ms: Some(250.9),
        ..query(Some(429.0), Some(OutcomeKind::Other))
    };
    assert_eq!(
        d.decide().unwrap(),
        Decision::Retry {
            delay_ms: 250,
            attempt: 2
        }
    );

    let unsafe_ok = RetryOptions {
        retry_unsafe: Some(true),
        ..RetryOptions::default()
    };
    let d = RetryQuery {
        options: unsafe_ok,
        jitter: 0.0,
        ..query(None, Some(OutcomeKind::Network))
    };
    assert_eq!(
        d.decide().unwrap(),
        Decision::Retry {
            delay_ms: 250,
            attempt: 2
        }
    );

    let base = query(Some(429.0), None);
    let bad = [
        (
            RetryQuery {
                attempt: 0.0,
                ..base
            },
            "attempt",
        ),
        (
            RetryQuery {
                attempt: 1.5,
                ..base
            },
            "attempt",
        ),
        (RetryQuery { now: -1.0, ..base }, "now"),
        (
            RetryQuery {
                now: f64::NAN,
                ..base
            },
            "now",
        ),
        (
            RetryQuery {
                started_at: Some(f64::INFINITY),
                ..base
            },
            "startedAt",
        ),
        (
            RetryQuery {
                jitter: 2.0,
                ..base
            },
            "jitter",
        ),
        (
            RetryQuery {
                jitter: f64::NAN,
                ..base
            },
            "jitter",
        ),
        (
            RetryQuery {
                status: Some(42.0),
                ..base
            },
            "outcome.status",
        ),
        (
            RetryQuery {
                status: Some(429.5),
                ..base
            },
            "outcome.status",
        ),
        (query(None, Some(OutcomeKind::Other)), "outcome"),
        (query(None, None), "outcome"),
        (
            RetryQuery {
                retry_after_ms: Some(-5.0),
                ..base
            },
            "outcome.retryAfterMs",
        ),
        (
            RetryQuery {
                options: RetryOptions {
                    max_attempts: Some(99.0),
                    ..RetryOptions::default()
                },
                ..base
            },
            "policy.maxAttempts",
        ),
    ];
    for (q, path) in bad {
        let err = q.decide().unwrap_err();
        assert_eq!((err.kind_name(), err.path()), ("outOfRange", path), "{q:?}");
    }
}
