//! Properties of the transport core over generated inputs: no panic on any response, a usable
//! error for every failure, HTTP dates that round-trip, and retry decisions within their bounds.

use graph_call_transfer::response::{parse_http_date, parse_transfer_response, TransferResponse};
use graph_call_transfer::{Decision, Outcome, RetryPolicy, StopReason};
use proptest::prelude::*;

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An independent IMF-fixdate formatter (civil-from-days), to check the parser against.
fn imf_fixdate(ms: u64) -> String {
    let secs = ms / 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        day,
        MONTHS[(month - 1) as usize],
        year,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn header_pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("request-id".to_owned()),
        Just("Client-Request-Id".to_owned()),
        Just("date".to_owned()),
        Just("Retry-After".to_owned()),
        "[a-z-]{1,12}",
    ];
    prop::collection::vec((name, "[ -~]{0,40}"), 0..6)
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        "[ -~]{0,200}".prop_map(String::into_bytes),
        // JSON-ish bodies built from Graph's member names, to reach the deeper branches.
        prop::collection::vec(
            prop_oneof![
                Just("{"),
                Just("}"),
                Just("["),
                Just("]"),
                Just(","),
                Just(":"),
                Just("null"),
                Just("\"error\""),
                Just("\"code\""),
                Just("\"message\""),
                Just("\"innerError\""),
                Just("\"innererror\""),
                Just("\"request-id\""),
                Just("\"id\""),
                Just("\"status\""),
                Just("\"x\\\"y\""),
                Just("1"),
                Just("true"),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat().into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_response_is_interpreted_without_panicking(
        status in 100u16..600,
        headers in header_pairs(),
        body in body(),
        now in any::<u64>(),
    ) {
        let pairs = headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        match parse_transfer_response(status, pairs, &body, now) {
            TransferResponse::Accepted(ok) => prop_assert!(ok.status == 202 || ok.status == 200),
            TransferResponse::Failed(error) => {
                prop_assert_eq!(error.status, status);
                prop_assert!(!error.code.trim().is_empty());
                prop_assert!(!error.message.trim().is_empty());
            }
        }
    }

    #[test]
    fn imf_fixdates_round_trip(ms in 0u64..253_402_300_799_000) {
        let whole = ms - ms % 1000;
        prop_assert_eq!(parse_http_date(&imf_fixdate(ms)), Some(whole));
    }

    #[test]
    fn arbitrary_text_is_not_a_date_or_is_a_valid_one(text in "[ -~]{0,40}") {
        if let Some(ms) = parse_http_date(&text) {
            prop_assert_eq!(ms % 1000, 0);
        }
    }

    #[test]
    fn retry_decisions_respect_the_policy(
        attempt in 1u32..12,
        status in 100u16..600,
        retry_after in proptest::option::of(0u64..100_000),
        elapsed in 0u64..100_000,
        jitter in 0.0f64..=1.0,
        retry_unsafe in any::<bool>(),
    ) {
        let policy = RetryPolicy { retry_unsafe, ..RetryPolicy::default() };
        let outcome = Outcome::Response { status, retry_after_ms: retry_after };
        match policy.decide(attempt, &outcome, 1_000, 1_000 + elapsed, jitter) {
            Decision::Retry { delay_ms, attempt: next } => {
                prop_assert_eq!(next, attempt + 1);
                prop_assert!(attempt < policy.max_attempts);
                prop_assert!(elapsed + delay_ms <= policy.deadline_ms);
                prop_assert!(status == 429 || status == 503 || (retry_unsafe && (502..=504).contains(&status)));
                match retry_after {
                    Some(ms) => prop_assert_eq!(delay_ms, ms),
                    None => prop_assert!(delay_ms <= policy.max_delay_ms),
                }
                if status == 503 && retry_after.is_none() {
                    prop_assert!(retry_unsafe);
                }
            }
            Decision::Stop(reason) => {
                if (200..300).contains(&status) {
                    prop_assert_eq!(reason, StopReason::Succeeded);
                }
            }
        }
    }
}
