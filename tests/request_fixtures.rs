//! The request examples of Graph's call-transfer pages (v1.0, beta and the 2018 beta), rebuilt with
//! the public API and compared field by field with the documented bodies and URLs.

use std::fs;
use std::path::Path;

use graph_call_transfer::{build_from_json, ApiVersion, TransferBody};
use serde_json::{json, Value};

const PLACEHOLDER_CALL_ID: &str = "341a0500-d4bf-4224-8b19-1581168d328b";

struct Fixture {
    name: String,
    json: Value,
}

fn fixtures() -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/requests");
    let mut out: Vec<Fixture> = fs::read_dir(&dir)
        .expect("fixtures folder")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let text = fs::read_to_string(&path).expect("fixture text");
            Fixture {
                name: path.file_name().unwrap().to_string_lossy().into_owned(),
                json: serde_json::from_str(&text).expect("fixture JSON"),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        out.len() >= 14,
        "expected every documented request example, found {}",
        out.len()
    );
    out
}

/// Compares two JSON values leaf by leaf and lists every difference with its path.
fn diff(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let p = format!("{path}.{key}");
                match a.get(key) {
                    Some(av) => diff(&p, ev, av, out),
                    None => out.push(format!("{p}: missing, expected {ev}")),
                }
            }
            for key in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{path}.{key}: unexpected {}", a[key]));
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{path}: expected {expected}, got {actual}")),
    }
}

fn api_version(fixture: &Fixture) -> ApiVersion {
    ApiVersion::parse(fixture.json["dialect"].as_str().unwrap()).unwrap()
}

/// The body the doc means: `body`, or `correctedBody` when the doc's JSON is malformed.
fn documented_body(fixture: &Fixture) -> Option<&Value> {
    let body = &fixture.json["body"];
    if body.is_object() {
        Some(body)
    } else {
        fixture.json.get("correctedBody").filter(|b| b.is_object())
    }
}

#[test]
fn every_documented_request_is_rebuilt_exactly() {
    let mut checked = 0;
    for fixture in fixtures() {
        let Some(body) = documented_body(&fixture) else {
            continue;
        };
        let version = api_version(&fixture);
        let call_id = fixture.json["callId"]
            .as_str()
            .unwrap_or(PLACEHOLDER_CALL_ID);
        let mut options = json!({ "callId": call_id, "apiVersion": version.as_str() });
        let target_key = if version == ApiVersion::Beta2018 {
            "target"
        } else {
            "transferTarget"
        };
        options["transferTarget"] = body[target_key].clone();
        for key in ["transferee", "clientContext", "operationContext"] {
            if let Some(value) = body.get(key) {
                options[key] = value.clone();
            }
        }
        let request = build_from_json(options.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", fixture.name));

        let mut differences = Vec::new();
        diff("body", body, &request.body_json(), &mut differences);
        assert!(
            differences.is_empty(),
            "{}:\n{}",
            fixture.name,
            differences.join("\n")
        );

        let documented_path = fixture.json["path"]
            .as_str()
            .unwrap()
            .replace("{id}", call_id);
        let expected_url = if documented_path.contains("/app/calls/") && version == ApiVersion::Beta
        {
            // Intermediate beta revisions used `/app/calls` with today's body; today's beta path is
            // `/communications/calls`, which is what the builder targets.
            format!("https://graph.microsoft.com/beta/communications/calls/{call_id}/transfer")
        } else if documented_path.starts_with("/app/") {
            format!("https://graph.microsoft.com/beta{documented_path}")
        } else {
            format!("https://graph.microsoft.com{documented_path}")
        };
        assert_eq!(request.url, expected_url, "{}", fixture.name);
        assert_eq!(request.method, "POST");
        assert_eq!(request.header("Content-Type"), Some("application/json"));
        checked += 1;
    }
    assert!(checked >= 13, "only {checked} fixtures were checked");
}

#[test]
fn every_documented_body_parses_in_its_dialect_or_is_reported_malformed() {
    for fixture in fixtures() {
        let text = fixture.json["bodyText"].as_str().unwrap();
        let result = TransferBody::parse(text.as_bytes(), api_version(&fixture));
        if fixture.json["body"].is_object() {
            let body = result.unwrap_or_else(|e| panic!("{}: {e}", fixture.name));
            let reserialized = serde_json::to_value(&body).unwrap();
            let mut differences = Vec::new();
            diff(
                "body",
                &fixture.json["body"],
                &reserialized,
                &mut differences,
            );
            assert!(
                differences.is_empty(),
                "{}:\n{}",
                fixture.name,
                differences.join("\n")
            );
        } else {
            let err = result.expect_err(&fixture.name);
            assert_eq!(err.kind_name(), "invalidJson", "{}: {err}", fixture.name);
            assert!(
                err.to_string().contains("line"),
                "{}: the error should say where: {err}",
                fixture.name
            );
        }
    }
}

#[test]
fn the_mis_nested_group_call_example_is_caught_even_when_its_braces_are_fixed() {
    // The v1.0 group-call example nests `transferee` inside `transferTarget`. Closing the braces
    // the way the text reads (rather than the way it is indented) gives this body, which Graph
    // would accept while transferring the wrong participant. The builder refuses it.
    let body = json!({
        "transferTarget": {
            "endpointType": "default",
            "identity": {"user": {"id": "550fae72-d251-43ec-868c-373732c2704f", "displayName": "Heidi Steen"}},
            "transferee": {
                "identity": {"user": {"id": "751f6800-3180-414d-bd94-333364659951"}},
                "participantId": "909c6581-5130-43e9-88f3-fcb3582cde37"
            }
        }
    });
    let err = TransferBody::parse(body.to_string().as_bytes(), ApiVersion::V1).unwrap_err();
    assert_eq!(err.kind_name(), "misplacedField");
    assert_eq!(err.path(), "transferTarget.transferee");

    let options = json!({"callId": PLACEHOLDER_CALL_ID, "transferTarget": body["transferTarget"]});
    let err = build_from_json(options.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.path(), "transferTarget.transferee");
}
