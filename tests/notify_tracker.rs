//! TransferTracker: orderings, duplicates, stalls, many interleaved calls, persistence.

use graph_call_transfer::notify::{
    parse_notifications, CallState, Notification, ResultCode, TrackerOptions, TransferEvent,
    TransferPhase, TransferTracker,
};
use proptest::prelude::*;

/// One notification body in today's dialect for `call` with the given resourceData members.
fn today(call: &str, change: &str, data: &str) -> String {
    format!(
        r##"{{"@odata.type":"#microsoft.graph.commsNotifications","value":[{{"@odata.type":"#microsoft.graph.commsNotification","changeType":"{change}","resourceUrl":"/communications/calls/{call}","resourceData":{{"@odata.type":"#microsoft.graph.call",{data}}}}}]}}"##
    )
}

fn transferring(call: &str) -> String {
    today(call, "updated", r#""state":"transferring""#)
}
fn accepted(call: &str) -> String {
    today(call, "updated", r#""state":"transferAccepted""#)
}
fn completed(call: &str) -> String {
    today(
        call,
        "deleted",
        r#""state":"terminated","resultInfo":{"code":0,"subcode":7015,"message":"GracefulTransferCompleted"}"#,
    )
}
fn failed(call: &str) -> String {
    today(
        call,
        "updated",
        r#""state":"established","resultInfo":{"code":500,"subCode":7000,"message":"<message>"}"#,
    )
}

/// Parses a body and feeds every notification; returns the transitions.
fn feed(
    t: &mut TransferTracker,
    body: &str,
    message_id: Option<&str>,
    now: u64,
) -> Vec<(String, TransferPhase, TransferPhase)> {
    let batch = parse_notifications(body.as_bytes()).unwrap();
    assert!(batch.errors.is_empty());
    batch
        .notifications
        .iter()
        .filter_map(|n| t.observe(n, message_id, now))
        .map(|tr| (tr.call_id, tr.from, tr.to))
        .collect()
}

use TransferPhase::*;

#[test]
fn the_documented_flows_reach_their_phase() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/notifications/");
    let read = |name: &str| -> String {
        let fx: serde_json::Value =
            serde_json::from_slice(&std::fs::read(format!("{dir}{name}.json")).unwrap()).unwrap();
        fx["bodyText"].as_str().unwrap().to_owned()
    };
    let flows: &[(&str, &[&str], TransferPhase)] = &[
        (
            "341a0500-d4bf-4224-8b19-1581168d328b",
            &[
                "v1.0-01-transferring",
                "v1.0-01-transfer-accepted",
                "v1.0-01-transfer-completed",
            ],
            Completed,
        ),
        (
            "341a0500-d4bf-4224-8b19-1581168d328b",
            &[
                "v1.0-02-transferring",
                "v1.0-02-transfer-accepted",
                "v1.0-02-transfer-completed",
            ],
            Completed,
        ),
        (
            "341a0500-d4bf-4224-8b19-1581168d328b",
            &["v1.0-01-transferring", "v1.0-01-transfer-failed"],
            Failed,
        ),
        (
            "57DAB8B1894C409AB240BD8BEAE78896",
            &[
                "beta-2018-01-transferring",
                "beta-2018-01-transfer-accepted",
                "beta-2018-01-terminated",
                "beta-2018-01-deleted",
            ],
            Completed,
        ),
        (
            "57DAB8B1894C409AB240BD8BEAE78896",
            &[
                "beta-2018-02-transferring",
                "beta-2018-02-transfer-accepted",
                "beta-2018-02-terminated",
                "beta-2018-02-deleted",
            ],
            Completed,
        ),
        (
            "57DAB8B1894C409AB240BD8BEAE78896",
            &[
                "beta-01-transferring",
                "beta-01-transfer-accepted",
                "beta-01-terminated",
            ],
            Completed,
        ),
    ];
    for (call, steps, want) in flows {
        let mut t = TransferTracker::default();
        t.register(call, None, 0).unwrap();
        let mut phases = vec![];
        for (i, step) in steps.iter().enumerate() {
            feed(&mut t, &read(step), Some(step), i as u64 + 1);
            phases.push(t.phase(call).unwrap());
        }
        assert_eq!(phases.last(), Some(want), "{steps:?}: {phases:?}");
        let tr = t.get(call).unwrap();
        // Phases only move forward, one transition per step that made progress.
        let tos: Vec<TransferPhase> = tr.history.iter().map(|h| h.to).collect();
        assert_eq!(
            tos,
            phases.iter().copied().fold(vec![], |mut v, p| {
                if v.last() != Some(&p) {
                    v.push(p)
                }
                v
            })
        );
        if *want == Failed {
            let ri = tr.result_info.as_ref().unwrap();
            assert_eq!(ri.code, Some(ResultCode::Number(500)));
            assert_eq!(ri.subcode, Some(ResultCode::Number(7000)));
        }
    }
}

#[test]
fn duplicates_by_message_id_and_by_state() {
    let mut t = TransferTracker::default();
    t.register("c", None, 0).unwrap();
    assert_eq!(
        feed(&mut t, &transferring("c"), Some("m1"), 1),
        vec![("c".into(), Requested, Transferring)]
    );
    assert_eq!(feed(&mut t, &transferring("c"), Some("m1"), 2), vec![]);
    assert_eq!(feed(&mut t, &transferring("c"), Some("m2"), 3), vec![]);
    assert_eq!(feed(&mut t, &transferring("c"), None, 4), vec![]);
    assert_eq!(t.get("c").unwrap().duplicates, 3);
    // The same message id with another item index is a different notification.
    let body = r#"{"value":[
        {"changeType":"updated","resourceUrl":"/communications/calls/c","resourceData":{"state":"transferring"}},
        {"changeType":"updated","resourceUrl":"/communications/calls/c","resourceData":{"state":"transferAccepted"}}]}"#;
    assert_eq!(
        feed(&mut t, body, Some("m3"), 5),
        vec![("c".into(), Transferring, Accepted)]
    );
    assert_eq!(feed(&mut t, body, Some("m3"), 6), vec![]);
    assert_eq!(t.get("c").unwrap().history.len(), 2);
}

#[test]
fn out_of_order_accepted_before_transferring() {
    let mut t = TransferTracker::default();
    t.register("c", None, 0).unwrap();
    assert_eq!(
        feed(&mut t, &accepted("c"), None, 1),
        vec![("c".into(), Requested, Accepted)]
    );
    assert_eq!(feed(&mut t, &transferring("c"), None, 2), vec![]);
    assert_eq!(t.phase("c"), Some(Accepted));
    assert_eq!(t.get("c").unwrap().late, 1);
    assert_eq!(
        feed(&mut t, &completed("c"), None, 3),
        vec![("c".into(), Accepted, Completed)]
    );
}

#[test]
fn out_of_order_deleted_before_accepted_stays_terminal() {
    let mut t = TransferTracker::default();
    t.register("c", None, 0).unwrap();
    feed(&mut t, &transferring("c"), None, 1);
    assert_eq!(
        feed(&mut t, &completed("c"), None, 2),
        vec![("c".into(), Transferring, Completed)]
    );
    assert_eq!(feed(&mut t, &accepted("c"), None, 3), vec![]);
    assert_eq!(feed(&mut t, &failed("c"), None, 4), vec![]);
    assert_eq!(feed(&mut t, &transferring("c"), None, 5), vec![]);
    let tr = t.get("c").unwrap();
    assert_eq!(tr.phase, Completed);
    assert!(tr.call_ended);
    assert_eq!(tr.late, 3);
    assert_eq!(
        tr.result_info.as_ref().unwrap().subcode,
        Some(ResultCode::Number(7015))
    );
    // Stalls never touch a final phase.
    assert!(t.tick(10_000_000).is_empty());
}

#[test]
fn failure_is_final_and_keeps_its_result_info() {
    let mut t = TransferTracker::default();
    t.register("c", None, 0).unwrap();
    feed(&mut t, &transferring("c"), None, 1);
    assert_eq!(
        feed(&mut t, &failed("c"), None, 2),
        vec![("c".into(), Transferring, Failed)]
    );
    assert_eq!(feed(&mut t, &completed("c"), None, 3), vec![]);
    let tr = t.get("c").unwrap();
    assert_eq!(tr.phase, Failed);
    assert_eq!(
        tr.result_info.as_ref().unwrap().message.as_deref(),
        Some("<message>")
    );
    // A new attempt on the same call starts over.
    t.register("c", None, 10).unwrap();
    assert_eq!(t.phase("c"), Some(Requested));
    assert_eq!(t.get("c").unwrap().history.last().unwrap().from, Failed);
    assert_eq!(
        feed(&mut t, &transferring("c"), None, 11),
        vec![("c".into(), Requested, Transferring)]
    );
}

#[test]
fn established_without_error_or_without_a_transfer_is_not_a_failure() {
    let mut t = TransferTracker::default();
    t.register("c", None, 0).unwrap();
    let ok = today("c", "updated", r#""state":"established""#);
    assert_eq!(feed(&mut t, &ok, None, 1), vec![]);
    assert_eq!(t.phase("c"), Some(Requested));
    // Notifications of calls nobody registered change nothing.
    assert_eq!(feed(&mut t, &failed("other"), None, 1), vec![]);
    assert_eq!(t.phase("other"), None);
}

#[test]
fn failed_comms_operation_matched_by_client_context() {
    let mut t = TransferTracker::default();
    t.register("c", Some("ctx-1"), 0).unwrap();
    let op = |status: &str, sub: &str| {
        format!(
            r##"{{"value":[{{"changeType":"updated","resource":"/app/operations/op1","resourceData":{{"@odata.type":"#microsoft.graph.commsOperation","clientContext":"ctx-1","status":"{status}","resultInfo":{{"code":"200","subCode":"{sub}"}}}}}}]}}"##
        )
    };
    assert_eq!(
        feed(&mut t, &op("running", "transferring"), None, 1),
        vec![("c".into(), Requested, Transferring)]
    );
    let fail = r##"{"value":[{"changeType":"updated","resource":"/app/operations/op1","resourceData":{"@odata.type":"#microsoft.graph.commsOperation","clientContext":"ctx-1","status":"failed","resultInfo":{"code":"500","subCode":"7000"}}}]}"##;
    assert_eq!(
        feed(&mut t, fail, None, 2),
        vec![("c".into(), Transferring, Failed)]
    );
    assert_eq!(
        t.get("c").unwrap().result_info.as_ref().unwrap().code,
        Some(ResultCode::Number(500))
    );
}

#[test]
fn stalled_when_no_progress_in_time_then_recovers() {
    let mut t = TransferTracker::new(TrackerOptions {
        stall_after_ms: 1000,
        ..TrackerOptions::default()
    });
    t.register("c", None, 0).unwrap();
    t.register("d", None, 0).unwrap();
    assert!(t.tick(999).is_empty());
    feed(&mut t, &transferring("d"), None, 500);
    let stalled: Vec<_> = t
        .tick(1000)
        .into_iter()
        .map(|tr| (tr.call_id, tr.from, tr.to))
        .collect();
    assert_eq!(stalled, vec![("c".into(), Requested, Stalled)]);
    assert!(t.tick(1200).is_empty(), "already stalled");
    // A duplicate is not progress.
    let stalled: Vec<_> = t.tick(1500).into_iter().map(|tr| tr.call_id).collect();
    assert_eq!(stalled, vec!["d".to_string()]);
    feed(&mut t, &transferring("d"), None, 1600);
    assert_eq!(t.phase("d"), Some(Stalled));
    // Progress leaves the stall.
    assert_eq!(
        feed(&mut t, &transferring("c"), None, 2000),
        vec![("c".into(), Stalled, Transferring)]
    );
    assert!(t.tick(2999).is_empty());
    assert_eq!(t.tick(3000).len(), 1);
    assert_eq!(
        feed(&mut t, &completed("d"), None, 3100),
        vec![("d".into(), Stalled, Completed)]
    );
}

#[test]
fn unknown_states_are_recorded_and_harmless() {
    let mut t = TransferTracker::default();
    t.register("c", None, 0).unwrap();
    for s in ["parking", "parking", "transfer-pending"] {
        feed(
            &mut t,
            &today("c", "updated", &format!(r#""state":"{s}""#)),
            None,
            1,
        );
    }
    feed(&mut t, &transferring("c"), None, 2);
    let tr = t.get("c").unwrap();
    assert_eq!(tr.unknown_states, vec!["parking", "transfer-pending"]);
    assert_eq!(tr.phase, Transferring);
    assert_eq!(tr.last_state, Some(CallState::Transferring));
}

#[test]
fn notifications_before_register_are_replayed() {
    let mut t = TransferTracker::default();
    feed(&mut t, &transferring("c"), Some("m1"), 1);
    feed(&mut t, &accepted("c"), Some("m2"), 2);
    assert_eq!(t.phase("c"), None);
    let replay: Vec<_> = t
        .register("c", None, 3)
        .unwrap()
        .into_iter()
        .map(|tr| (tr.from, tr.to))
        .collect();
    assert_eq!(
        replay,
        vec![(Requested, Transferring), (Transferring, Accepted)]
    );
    // The replayed message ids are still de-duplicated.
    assert_eq!(feed(&mut t, &accepted("c"), Some("m2"), 4), vec![]);
}

/// A deterministic shuffle (no randomness in tests either).
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        v.swap(i, j);
    }
}

#[test]
fn many_interleaved_calls_with_duplicates_and_reordering() {
    let calls = 500;
    let mut t = TransferTracker::default();
    let mut events: Vec<(usize, String, String)> = vec![];
    for c in 0..calls {
        let id = format!("call-{c:04}");
        t.register(&id, None, 0).unwrap();
        let mut bodies = vec![transferring(&id), accepted(&id)];
        bodies.push(if c % 3 == 0 {
            failed(&id)
        } else {
            completed(&id)
        });
        for (k, b) in bodies.into_iter().enumerate() {
            // Every body delivered twice with the same message id.
            events.push((c, format!("m-{c}-{k}"), b.clone()));
            events.push((c, format!("m-{c}-{k}"), b));
        }
    }
    shuffle(&mut events, 42);
    for (i, (_, mid, body)) in events.iter().enumerate() {
        feed(&mut t, body, Some(mid), i as u64);
    }
    for c in 0..calls {
        let id = format!("call-{c:04}");
        let tr = t.get(&id).unwrap();
        let want = if c % 3 == 0 { Failed } else { Completed };
        assert_eq!(tr.phase, want, "{id}");
        assert!(tr.duplicates >= 3, "{id}: {}", tr.duplicates);
        // Forward only, and at most requested -> transferring -> accepted -> final.
        assert!(tr.history.len() <= 3 && !tr.history.is_empty());
        for w in tr.history.windows(2) {
            assert_ne!(w[0].to, w[1].to);
        }
    }
}

#[test]
fn state_round_trips_through_json() {
    let mut t = TransferTracker::new(TrackerOptions {
        stall_after_ms: 5000,
        ..TrackerOptions::default()
    });
    t.register("a", Some("ctx"), 0).unwrap();
    t.register("b", None, 0).unwrap();
    feed(&mut t, &transferring("a"), Some("m1"), 1);
    feed(&mut t, &failed("b"), Some("m2"), 1);
    feed(&mut t, &accepted("early"), Some("m3"), 1);
    let json = t.to_json().unwrap();
    let mut back = TransferTracker::from_json(json.as_bytes()).unwrap();
    assert_eq!(back, t);
    assert_eq!(back.to_json().unwrap(), json);
    // It continues where it left off: de-duplication, stalls and early notifications survive.
    assert_eq!(feed(&mut back, &transferring("a"), Some("m1"), 2), vec![]);
    assert_eq!(back.tick(5001).len(), 1);
    assert_eq!(back.register("early", None, 6000).unwrap().len(), 1);

    let err = TransferTracker::from_json(br#"{"transfers":{"a":{"callId":7}}}"#).unwrap_err();
    assert_eq!(err.kind_name(), "invalidType");
    assert_eq!(err.path(), "transfers.a.callId", "{err}");
    assert_eq!(
        TransferTracker::from_json(b"nope").unwrap_err().kind_name(),
        "invalidJson"
    );
    assert_eq!(
        TransferTracker::default()
            .register("", None, 0)
            .unwrap_err()
            .kind_name(),
        "emptyValue"
    );
}

fn event_body(call: &str, e: u8) -> String {
    match e % 5 {
        0 => transferring(call),
        1 => accepted(call),
        2 => completed(call),
        3 => failed(call),
        _ => today(call, "updated", r#""state":"somethingNew""#),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Whatever the order and repetition, a final phase is never left, phases only move
    /// forward, and with a single final event the outcome does not depend on the order.
    #[test]
    fn order_and_duplicates_do_not_change_the_outcome(
        events in proptest::collection::vec((0u8..3, 0u8..5), 0..40),
        seed in any::<u64>(),
    ) {
        let calls = ["x", "y", "z"];
        let mut t = TransferTracker::default();
        for c in calls { t.register(c, None, 0).unwrap(); }
        let mut shuffled = events.clone();
        shuffle(&mut shuffled, seed);
        let mut u = TransferTracker::default();
        for c in calls { u.register(c, None, 0).unwrap(); }
        for (i, (c, e)) in events.iter().enumerate() {
            let before = t.phase(calls[*c as usize]).unwrap();
            feed(&mut t, &event_body(calls[*c as usize], *e), None, i as u64);
            let after = t.phase(calls[*c as usize]).unwrap();
            if before.is_terminal() { prop_assert_eq!(before, after); }
        }
        for (i, (c, e)) in shuffled.iter().enumerate() {
            feed(&mut u, &event_body(calls[*c as usize], *e), None, i as u64);
        }
        for (k, c) in calls.iter().enumerate() {
            let mine: Vec<u8> = events.iter().filter(|(cc, _)| *cc as usize == k).map(|(_, e)| *e % 5).collect();
            let finals = mine.iter().filter(|e| **e == 2 || **e == 3).collect::<std::collections::BTreeSet<_>>();
            let expect = if finals.len() == 1 {
                Some(if *finals.iter().next().unwrap() == &2 { Completed } else { Failed })
            } else if finals.is_empty() {
                Some(if mine.contains(&1) { Accepted } else if mine.contains(&0) { Transferring } else { Requested })
            } else { None };
            if let Some(want) = expect {
                prop_assert_eq!(t.phase(c), Some(want));
                prop_assert_eq!(u.phase(c), Some(want));
            } else {
                prop_assert!(t.phase(c).unwrap().is_terminal());
            }
            let tr = t.get(c).unwrap();
            for w in tr.history.windows(2) {
                prop_assert!(w[0].to != w[1].to);
            }
        }
    }
}

#[test]
fn transfer_event_helpers() {
    assert_eq!(TransferEvent::ALL.len(), 4);
    assert_eq!(
        TransferPhase::ALL
            .iter()
            .filter(|p| p.is_terminal())
            .count(),
        2
    );
    let body = completed("q");
    let n: Notification<'_> = parse_notifications(body.as_bytes())
        .unwrap()
        .notifications
        .remove(0);
    assert_eq!(n.transfer.unwrap().as_str(), "transferCompleted");
}
