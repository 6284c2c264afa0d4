//! Every notification example of the Graph call-transfer docs (v1.0, beta, the 2018 page and the
//! commsNotification page), parsed and checked field by field against the fixture's `expect`.

use std::fs;
use std::path::PathBuf;

use graph_call_transfer::notify::{
    call_id_of, parse_notifications, CallState, ChangeType, NotificationResult, ResourceKind,
    ResultCode, TransferEvent,
};
use serde_json::Value;

fn fixtures() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notifications");
    let mut out: Vec<(String, Value)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let json: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            (name, json)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        out.len() >= 50,
        "expected every doc example, found {}",
        out.len()
    );
    out
}

/// What each doc example signals, from its heading (the file name's slug) and the doc's text.
fn expected_transfer(name: &str, body_item: &Value) -> Option<TransferEvent> {
    let slug = name.trim_end_matches(".json");
    if slug.ends_with("transfer-accepted") {
        Some(TransferEvent::TransferAccepted)
    } else if slug.ends_with("transferring") {
        Some(TransferEvent::Transferring)
    } else if slug.ends_with("transfer-completed") {
        Some(TransferEvent::TransferCompleted)
    } else if slug.ends_with("transfer-failed") {
        Some(TransferEvent::TransferFailed)
    } else if slug.ends_with("-terminated") {
        // "Notification - terminated": terminationReason AppTransferred in every example.
        assert_eq!(
            body_item["resourceData"]["terminationReason"],
            "AppTransferred"
        );
        Some(TransferEvent::TransferCompleted)
    } else {
        // "Deleted" after completion (2018) and the commsNotification resource examples.
        None
    }
}

fn expected_kind(name: &str, item: &Value) -> ResourceKind {
    if item["resourceData"].is_array() {
        ResourceKind::Participants
    } else if item["resourceData"]["@odata.type"] == "#microsoft.graph.commsOperation" {
        ResourceKind::Operation
    } else {
        assert!(!name.contains("participants"));
        ResourceKind::Call
    }
}

fn code_matches(got: &Option<ResultCode<'_>>, want: &Value) {
    match want {
        Value::Null => assert_eq!(got, &None),
        Value::Number(n) => assert_eq!(got, &Some(ResultCode::Number(n.as_i64().unwrap()))),
        Value::String(s) => match s.parse::<i64>() {
            Ok(n) => assert_eq!(got, &Some(ResultCode::Number(n))),
            Err(_) => assert_eq!(got, &Some(ResultCode::Text(s.as_str().into()))),
        },
        other => panic!("unexpected fixture value {other}"),
    }
}

fn result_matches(got: &Option<NotificationResult<'_>>, want: &Value) {
    if want.is_null() {
        assert_eq!(got, &None);
        return;
    }
    let got = got.as_ref().expect("resultInfo");
    code_matches(&got.code, &want["code"]);
    let sub = if want.get("subcode").is_some() {
        &want["subcode"]
    } else {
        want.get("subCode").unwrap_or(&Value::Null)
    };
    code_matches(&got.subcode, sub);
    assert_eq!(got.message.as_deref(), want["message"].as_str());
}

#[test]
fn every_doc_notification_parses_field_by_field() {
    for (name, fx) in fixtures() {
        let text = fx["bodyText"].as_str().unwrap();
        let body = &fx["body"];
        let expect = &fx["expect"];
        let batch = parse_notifications(text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(batch.errors.is_empty(), "{name}: {:?}", batch.errors);
        let items = body["value"].as_array().unwrap();
        assert_eq!(batch.notifications.len(), items.len(), "{name}");
        let n = &batch.notifications[0];
        let item = &items[0];
        let ctx = |what: &str| format!("{name}: {what}");

        assert_eq!(n.index, 0);
        assert_eq!(
            n.change_type.as_ref().map(ChangeType::as_str),
            expect["changeType"].as_str(),
            "{}",
            ctx("changeType")
        );
        assert_eq!(
            n.resource_url.as_deref(),
            expect["resourceUrl"].as_str(),
            "{}",
            ctx("resourceUrl")
        );
        assert_eq!(
            n.call_id.as_deref(),
            expect["resourceUrl"].as_str().and_then(call_id_of),
            "{}",
            ctx("callId")
        );
        assert!(n.call_id.is_some(), "{}", ctx("callId present"));
        // The state, normalised: the 2018 `transfer-accepted` reads `transferAccepted`.
        let want_state = expect["state"].as_str().map(|s| {
            if s == "transfer-accepted" {
                "transferAccepted"
            } else {
                s
            }
        });
        assert_eq!(
            n.state.as_ref().map(CallState::as_str),
            want_state,
            "{}",
            ctx("state")
        );
        if let Some(state) = &n.state {
            assert!(!state.is_unknown(), "{}", ctx("known state"));
        }
        assert_eq!(
            n.termination_reason.as_deref(),
            expect["terminationReason"].as_str(),
            "{}",
            ctx("terminationReason")
        );
        result_matches(&n.result_info, &expect["resultInfo"]);
        let rd = &item["resourceData"];
        assert_eq!(
            n.odata_type.as_deref(),
            rd["@odata.type"].as_str(),
            "{}",
            ctx("odataType")
        );
        let etag = rd["@odata.etag"].as_str().or(item["@odata.etag"].as_str());
        assert_eq!(n.etag.as_deref(), etag, "{}", ctx("etag"));
        assert_eq!(
            n.client_context.as_deref(),
            rd["clientContext"].as_str(),
            "{}",
            ctx("clientContext")
        );
        assert_eq!(
            n.operation_status.as_ref().map(|s| s.as_str().to_owned()),
            rd["status"].as_str().map(str::to_owned),
            "{}",
            ctx("status")
        );
        assert_eq!(n.kind, expected_kind(&name, item), "{}", ctx("kind"));
        assert_eq!(
            n.transfer,
            expected_transfer(&name, item),
            "{}",
            ctx("transfer")
        );
        // resourceData is kept untouched: the exact text of the doc, equal as JSON.
        let raw = n.resource_data.expect("resourceData");
        assert!(text.contains(raw), "{}", ctx("resourceData is a slice"));
        let parsed: Value = serde_json::from_str(raw).unwrap();
        assert_eq!(&parsed, rd, "{}", ctx("resourceData"));
        assert_eq!(n.resource_data_value().unwrap().unwrap(), *rd);
    }
}

/// The request fixtures whose JSON the docs print malformed are not notification bodies either:
/// they are rejected with `invalidJson` and a position, not a panic.
#[test]
fn malformed_doc_bodies_are_invalid_json() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/requests");
    let mut seen = 0;
    for e in fs::read_dir(dir).unwrap() {
        let fx: Value = serde_json::from_slice(&fs::read(e.unwrap().path()).unwrap()).unwrap();
        if !fx["body"].is_null() {
            continue;
        }
        seen += 1;
        let err = parse_notifications(fx["bodyText"].as_str().unwrap().as_bytes()).unwrap_err();
        assert_eq!(err.kind_name(), "invalidJson", "{err}");
        assert!(err.to_string().contains("line "), "{err}");
    }
    assert_eq!(seen, 2);
}
