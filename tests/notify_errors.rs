//! Bad notification bodies: typed errors with a kind and a JSON path, per item where possible,
//! never a panic.

use graph_call_transfer::notify::{
    parse_notifications, parse_notifications_with, CallState, ChangeType, ParseLimits,
    ResourceKind, ResultCode, TransferEvent,
};
use graph_call_transfer::ErrorKind;
use proptest::prelude::*;

const GOOD: &str = r##"{"changeType":"updated","resourceUrl":"/communications/calls/c1","resourceData":{"@odata.type":"#microsoft.graph.call","state":"transferring"}}"##;

fn body(items: &[&str]) -> String {
    format!(r##"{{"value":[{}]}}"##, items.join(","))
}

#[test]
fn whole_body_errors_have_kinds() {
    let cases: &[(&[u8], &str, &str)] = &[
        (b"", "invalidJson", ""),
        (b"not json", "invalidJson", ""),
        (b"{\"value\":[", "invalidJson", "value[0]"),
        (b"{\"value\":[]} x", "invalidJson", ""),
        (b"\xff\xfe{}", "invalidUtf8", ""),
        (b"[]", "invalidEnvelope", ""),
        (b"\"value\"", "invalidEnvelope", ""),
        (b"{}", "invalidEnvelope", "value"),
        (b"{\"value\":{}}", "invalidEnvelope", "value"),
        (b"{\"value\":null}", "invalidEnvelope", "value"),
        (b"{\"value\":\"[]\"}", "invalidEnvelope", "value"),
    ];
    for (input, kind, path) in cases {
        let err = parse_notifications(input).unwrap_err();
        assert_eq!(err.kind_name(), *kind, "{input:?}: {err}");
        assert_eq!(err.path(), *path, "{input:?}: {err}");
    }
    let err = parse_notifications(b"{\"value\":[1,}").unwrap_err();
    assert_eq!(err.kind_name(), "invalidJson");
    assert_eq!(err.path(), "value[1]");
    assert!(err.reason().contains("line 1 column 13"), "{err}");
    let err = parse_notifications(b"{\"value\":[]\n,\n\"x\": tru}").unwrap_err();
    assert!(err.reason().contains("line 3"), "{err}");
}

#[test]
fn invalid_utf8_reports_the_offset() {
    let mut input = br##"{"value":[{"changeType":"upd"##.to_vec();
    let at = input.len();
    input.push(0xC3);
    input.extend_from_slice(br##"ated"}]}"##);
    let err = parse_notifications(&input).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::InvalidUtf8 { valid_up_to: at });
}

#[test]
fn size_limit_default_and_configurable() {
    let big = body(&[GOOD; 1]).replace("c1", &"x".repeat(1 << 20));
    let err = parse_notifications(big.as_bytes()).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::TooLarge { max: 1048576, .. }),
        "{err}"
    );
    let small = body(&[GOOD]);
    let limits = ParseLimits {
        max_bytes: 50,
        ..ParseLimits::default()
    };
    let err = parse_notifications_with(small.as_bytes(), &limits).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TooLarge {
            max: 50,
            len: small.len()
        }
    );
    let exact = ParseLimits {
        max_bytes: small.len(),
        ..ParseLimits::default()
    };
    assert_eq!(
        parse_notifications_with(small.as_bytes(), &exact)
            .unwrap()
            .notifications
            .len(),
        1
    );
}

#[test]
fn item_count_limit() {
    let b = body(&[GOOD, "1", GOOD]);
    let limits = |max_items| ParseLimits {
        max_items,
        ..ParseLimits::default()
    };
    let batch = parse_notifications_with(b.as_bytes(), &limits(3)).unwrap();
    assert_eq!((batch.notifications.len(), batch.errors.len()), (2, 1));
    let err = parse_notifications_with(b.as_bytes(), &limits(2)).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::TooManyItems { max: 2 });
    assert_eq!(err.path(), "value");
    // Syntax errors after the limit still win: the body is not JSON.
    let broken = format!("{}x", &b[..b.len() - 2]);
    let err = parse_notifications_with(broken.as_bytes(), &limits(2)).unwrap_err();
    assert_eq!(err.kind_name(), "invalidJson");
    // A million empty items fit in 1 MiB but not in the default limit of 1000.
    let many = format!(r#"{{"value":[{}{{}}]}}"#, "{},".repeat(300_000));
    let err = parse_notifications(many.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::TooManyItems { max: 1000 });
}

#[test]
fn a_bad_item_does_not_hide_the_good_ones() {
    let items = [
        GOOD,
        "42",
        r##"{"changeType":"updated","resourceUrl":"/communications/calls/c2","resourceData":{"state":7}}"##,
        GOOD,
        r##"{"resourceData":"text"}"##,
        r##"{"changeType":["updated"]}"##,
        r##"{"resourceUrl":"/communications/calls/c3","resourceData":{"resultInfo":{"code":true}}}"##,
        r##"{"resourceData":{"resultInfo":{"message":1}}}"##,
        r##"{"resourceData":{"resultInfo":[]}}"##,
        r##"{"resourceData":{"toneInfo":{"tone":5}}}"##,
        r##"{"resourceData":{"mediaState":"active"}}"##,
        "null",
    ];
    let b = body(&items);
    let batch = parse_notifications(b.as_bytes()).unwrap();
    let good: Vec<usize> = batch.notifications.iter().map(|n| n.index).collect();
    assert_eq!(good, vec![0, 3]);
    let errs: Vec<(usize, &str, &str)> = batch
        .errors
        .iter()
        .map(|e| (e.index, e.error.kind_name(), e.error.path()))
        .collect();
    assert_eq!(
        errs,
        vec![
            (1, "invalidType", "value[1]"),
            (2, "invalidType", "value[2].resourceData.state"),
            (4, "invalidType", "value[4].resourceData"),
            (5, "invalidType", "value[5].changeType"),
            (6, "invalidType", "value[6].resourceData.resultInfo.code"),
            (7, "invalidType", "value[7].resourceData.resultInfo.message"),
            (8, "invalidType", "value[8].resourceData.resultInfo"),
            (9, "invalidType", "value[9].resourceData.toneInfo.tone"),
            (10, "invalidType", "value[10].resourceData.mediaState"),
            (11, "invalidType", "value[11]"),
        ]
    );
    assert_eq!(
        batch.errors[1].error.reason(),
        "wrong type: expected a string, found a number"
    );
    assert_eq!(
        batch.errors[0].error.reason(),
        "wrong type: expected an object, found a number"
    );
}

#[test]
fn nesting_limit_is_per_item_and_configurable() {
    let deep = format!(
        r##"{{"resourceUrl":"/communications/calls/c9","resourceData":{{"x":{}1{}}}}}"##,
        "[".repeat(100),
        "]".repeat(100)
    );
    let b = body(&[GOOD, &deep, GOOD]);
    let batch = parse_notifications(b.as_bytes()).unwrap();
    assert_eq!(batch.notifications.len(), 2);
    assert_eq!(batch.errors.len(), 1);
    assert_eq!(
        batch.errors[0].error.kind(),
        &ErrorKind::TooDeep { max: 64 }
    );
    assert_eq!(batch.errors[0].error.path(), "value[1].resourceData.x");

    // Depth counts the envelope (1), value (2), the item (3), resourceData (4).
    let limits = |max_depth| ParseLimits {
        max_depth,
        ..ParseLimits::default()
    };
    let ok = body(&[GOOD]);
    assert_eq!(
        parse_notifications_with(ok.as_bytes(), &limits(4))
            .unwrap()
            .notifications
            .len(),
        1
    );
    let batch = parse_notifications_with(ok.as_bytes(), &limits(3)).unwrap();
    assert_eq!(batch.errors[0].error.path(), "value[0].resourceData");
    // Deep nesting outside the items is a whole-body error.
    let outer = format!(
        r##"{{"x":{}{},"value":[]}}"##,
        "[".repeat(80),
        "]".repeat(80)
    );
    let err = parse_notifications(outer.as_bytes()).unwrap_err();
    assert_eq!(err.kind_name(), "tooDeep");
    assert_eq!(err.path(), "x");
    // Hostile nesting is rejected without recursion.
    let hostile = format!(r##"{{"value":[{}]}}"##, "[".repeat(200_000));
    assert_eq!(
        parse_notifications(hostile.as_bytes())
            .unwrap_err()
            .kind_name(),
        "invalidJson"
    );
    let hostile = format!(
        r##"{{"value":[{}{}]}}"##,
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let batch = parse_notifications(hostile.as_bytes()).unwrap();
    assert_eq!(batch.errors[0].error.kind_name(), "invalidType");
}

#[test]
fn lenient_spellings_and_unknown_values() {
    let items = [
        r##"{"changeType":"Reinvited","resource":"/app/calls/a/participants/b","resourceData":{"callState":"parked","resultInfo":{"code":"404","subCode":"7505","message":"m"}}}"##,
        r##"{"changeType":"updated","resourceUrl":"/communications/calls/b","resourceData":{"state":"established","resultInfo":{"code":500.5,"subcode":99999999999999999999}}}"##,
        r##"{"changeType":"updated","resourceUrl":"\/communications\/calls\/esc\u0041ped","resourceData":{"state":"transfer\u0041ccepted","@odata.etag":"W/\"1\""}}"##,
        r##"{"changeType":"updated","resourceUrl":"/communications/calls/t","resourceData":{"@odata.type":"#microsoft.graph.call","state":"established","toneInfo":{"@odata.type":"#microsoft.graph.toneInfo","sequenceId":1,"tone":"tone1"}}}"##,
        r##"{"changeType":"updated","resourceUrl":"/communications/calls/m","resourceData":{"@odata.type":"#microsoft.graph.call","state":"established","mediaState":{"audio":"active"}}}"##,
        r##"{"changeType":"updated","resourceUrl":"/communications/calls/o/operations/1","resourceData":{"@odata.type":"#microsoft.graph.commsOperation","status":"failed","clientContext":"ctx","resultInfo":{"code":400,"subcode":8523}}}"##,
        r##"{"changeType":"deleted","resourceUrl":"/communications/calls/d","resourceData":{"terminationReason":"AppTransferred","unlisted":{"nested":[1,2,{"a":null}]}},"subscriptionId":"s"}"##,
        r##"{"changeType":"updated","resourceUrl":"/communications/calls/p/operations/2","resourceData":{"@odata.type":"#microsoft.graph.playPromptOperation","status":"failed"}}"##,
        r##"{"resourceUrl":"/communications/calls/s","resourceData":{"state":"terminated","resultInfo":{"code":0,"subcode":"7015"}}}"##,
    ];
    let b = body(&items);
    let batch = parse_notifications(b.as_bytes()).unwrap();
    assert!(batch.errors.is_empty(), "{:?}", batch.errors);
    let n = &batch.notifications;
    assert_eq!(
        n[0].change_type,
        Some(ChangeType::Unknown("Reinvited".into()))
    );
    assert_eq!(n[0].state, Some(CallState::Unknown("parked".into())));
    assert_eq!(n[0].kind, ResourceKind::Participants);
    let ri = n[0].result_info.as_ref().unwrap();
    assert_eq!(ri.code, Some(ResultCode::Number(404)));
    assert_eq!(ri.subcode, Some(ResultCode::Number(7505)));
    assert_eq!(n[0].transfer, None);

    let ri = n[1].result_info.as_ref().unwrap();
    assert_eq!(ri.code, Some(ResultCode::Text("500.5".into())));
    assert_eq!(
        ri.subcode,
        Some(ResultCode::Text("99999999999999999999".into()))
    );
    assert_eq!(
        n[1].transfer, None,
        "a non-integer code is not a failure code"
    );

    assert_eq!(
        n[2].resource_url.as_deref(),
        Some("/communications/calls/escAped")
    );
    assert_eq!(n[2].call_id.as_deref(), Some("escAped"));
    assert_eq!(n[2].state, Some(CallState::TransferAccepted));
    assert_eq!(n[2].etag.as_deref(), Some("W/\"1\""));
    assert_eq!(n[2].transfer, Some(TransferEvent::TransferAccepted));

    assert_eq!(n[3].kind, ResourceKind::Tone);
    assert_eq!(n[3].tone.as_deref(), Some("tone1"));
    assert_eq!(n[3].transfer, None);
    assert_eq!(n[4].kind, ResourceKind::MediaState);

    assert_eq!(n[5].kind, ResourceKind::Operation);
    assert_eq!(n[5].client_context.as_deref(), Some("ctx"));
    assert_eq!(n[5].transfer, Some(TransferEvent::TransferFailed));
    assert_eq!(n[5].call_id.as_deref(), Some("o"));

    assert_eq!(n[6].transfer, Some(TransferEvent::TransferCompleted));
    assert!(n[6]
        .resource_data
        .unwrap()
        .contains(r##""unlisted":{"nested":[1,2,{"a":null}]}"##));
    assert_eq!(
        n[7].transfer, None,
        "only a generic commsOperation is a transfer"
    );
    assert_eq!(n[8].transfer, Some(TransferEvent::TransferCompleted));
}

#[test]
fn duplicate_keys_keep_the_last_like_json_parse() {
    let b = r##"{"value":[{"resourceUrl":"/communications/calls/x"}],"value":[{"changeType":"created","resourceUrl":"/communications/calls/y","resourceUrl":"/communications/calls/z"}]}"##;
    let batch = parse_notifications(b.as_bytes()).unwrap();
    assert_eq!(batch.notifications.len(), 1);
    assert_eq!(batch.notifications[0].call_id.as_deref(), Some("z"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_notifications(&input);
    }

    #[test]
    fn accepts_exactly_what_serde_json_accepts(
        input in "[\\[\\]{}\",:0-9a-z\\\\ .eE+-]{0,40}"
    ) {
        let wrapped = format!(r##"{{"value":[{{"resourceData":{input}}}]}}"##);
        let ours = parse_notifications(wrapped.as_bytes());
        let theirs = serde_json::from_str::<serde_json::Value>(&wrapped);
        prop_assert_eq!(
            ours.is_ok(),
            theirs.is_ok(),
            "{} ours={:?} theirs={:?}", wrapped, ours.as_ref().err(), theirs.as_ref().err()
        );
    }

    #[test]
    fn mutated_fixtures_never_panic(seed in 0usize..50, pos in 0usize..600, byte in any::<u8>()) {
        let mut b = body(&[GOOD, GOOD]).into_bytes();
        let i = (seed * 13 + pos) % b.len();
        b[i] = byte;
        let _ = parse_notifications(&b);
    }
}
