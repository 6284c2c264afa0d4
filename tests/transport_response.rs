//! Response interpretation through the public API: Graph's real answer shapes and the odd ones.

use graph_call_transfer::response::{parse_transfer_response, TransferResponse};
use graph_call_transfer::{GraphError, OperationStatus, TransferAccepted};

const NOW: u64 = 1_795_766_400_000; // Fri, 27 Nov 2026 08:00:00 GMT

fn accepted(status: u16, headers: &[(&str, &str)], body: &str) -> TransferAccepted {
    match parse_transfer_response(status, headers.iter().copied(), body.as_bytes(), NOW) {
        TransferResponse::Accepted(ok) => ok,
        TransferResponse::Failed(error) => panic!("expected success, got {error}"),
    }
}

fn failed(status: u16, headers: &[(&str, &str)], body: &str) -> GraphError {
    match parse_transfer_response(status, headers.iter().copied(), body.as_bytes(), NOW) {
        TransferResponse::Failed(error) => error,
        TransferResponse::Accepted(ok) => panic!("expected an error, got {ok:?}"),
    }
}

#[test]
fn accepted_202_carries_the_ids_from_the_headers() {
    let ok = accepted(
        202,
        &[
            ("Request-Id", "7a0b-req"),
            ("client-request-id", "c-123"),
            ("Content-Length", "0"),
        ],
        "",
    );
    assert_eq!(ok.status, 202);
    assert_eq!(ok.operation, None);
    assert_eq!(ok.request_id.as_deref(), Some("7a0b-req"));
    assert_eq!(ok.client_request_id.as_deref(), Some("c-123"));
}

#[test]
fn beta_2018_200_with_the_documented_comms_operation() {
    // The 2018 beta page's response body, verbatim.
    let body = r#"{
  "clientContext": "clientContext-value",
  "createdDateTime": "2018-03-19T09:46:02Z",
  "id": "id-value",
  "lastActionDateTime": "2018-03-19T09:46:02Z",
  "status": "Running"
}"#;
    let ok = accepted(200, &[], body);
    let operation = ok.operation.expect("an operation");
    assert_eq!(operation.id.as_deref(), Some("id-value"));
    assert_eq!(operation.status, Some(OperationStatus::Running));
    assert_eq!(
        operation.client_context.as_deref(),
        Some("clientContext-value")
    );
}

#[test]
fn a_200_without_an_operation_is_not_success() {
    for body in ["", "{}", "[1]", "<html></html>"] {
        let error = failed(200, &[], body);
        assert_eq!(error.status, 200);
        assert_eq!(error.code, "ok");
        assert!(
            error.message.starts_with("HTTP 200 OK with"),
            "{}",
            error.message
        );
    }
    let error = failed(204, &[], "");
    assert_eq!(error.code, "noContent");
    assert_eq!(error.message, "HTTP 204 No Content with an empty body");
}

#[test]
fn graph_error_body_with_inner_error() {
    let body = r#"{"error":{"code":"itemNotFound","message":"Unknown call id",
        "innerError":{"date":"2026-11-27T08:00:00","request-id":"r-404","client-request-id":"c-404","extra":1}}}"#;
    let error = failed(404, &[("request-id", "header-id")], body);
    assert_eq!(error.status, 404);
    assert_eq!(error.code, "itemNotFound");
    assert_eq!(error.message, "Unknown call id");
    assert_eq!(error.request_id.as_deref(), Some("r-404"), "the body wins");
    assert_eq!(error.client_request_id.as_deref(), Some("c-404"));
    assert_eq!(error.date.as_deref(), Some("2026-11-27T08:00:00"));
    assert_eq!(error.retry_after_ms, None);
    assert_eq!(error.inner_error.unwrap()["extra"], 1);
    assert_eq!(
        failed(404, &[], body).to_string(),
        "graph answered 404 itemNotFound: Unknown call id"
    );
}

#[test]
fn lowercase_innererror_and_header_fallbacks() {
    let body = r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty.",
        "innererror":{"date":"2026-11-27T08:00:01"}}}"#;
    let error = failed(
        401,
        &[
            ("request-id", "r-401"),
            ("client-request-id", "c-401"),
            ("date", "Fri, 27 Nov 2026 08:00:01 GMT"),
        ],
        body,
    );
    assert_eq!(error.code, "InvalidAuthenticationToken");
    assert_eq!(error.request_id.as_deref(), Some("r-401"));
    assert_eq!(error.client_request_id.as_deref(), Some("c-401"));
    assert_eq!(error.date.as_deref(), Some("2026-11-27T08:00:01"));

    let error = failed(
        403,
        &[("Date", "Fri, 27 Nov 2026 08:00:01 GMT")],
        r#"{"error":{"code":"Forbidden","message":""}}"#,
    );
    assert_eq!(error.date.as_deref(), Some("Fri, 27 Nov 2026 08:00:01 GMT"));
    assert_eq!(error.message, "HTTP 403 Forbidden with no error message");
}

#[test]
fn retry_after_in_seconds_and_as_a_date() {
    let body = r#"{"error":{"code":"TooManyRequests","message":"Slow down"}}"#;
    assert_eq!(
        failed(429, &[("Retry-After", "7")], body).retry_after_ms,
        Some(7_000)
    );
    assert_eq!(
        failed(
            429,
            &[("retry-after", "Fri, 27 Nov 2026 08:00:03 GMT")],
            body
        )
        .retry_after_ms,
        Some(3_000)
    );
    assert_eq!(
        failed(
            503,
            &[("retry-after", "Friday, 27-Nov-26 07:59:00 GMT")],
            ""
        )
        .retry_after_ms,
        Some(0),
        "a date in the past means now"
    );
    assert_eq!(
        failed(429, &[("retry-after", "later")], body).retry_after_ms,
        None
    );
}

#[test]
fn non_json_and_empty_error_bodies_still_explain() {
    let html = "<!DOCTYPE html>\n<html><head><title>504 Gateway Time-out</title></head><body>nginx</body></html>";
    let error = failed(504, &[("request-id", "r-504")], html);
    assert_eq!(error.code, "gatewayTimeout");
    assert_eq!(
        error.message,
        "HTTP 504 Gateway Timeout with an HTML body: 504 Gateway Time-out"
    );
    assert_eq!(error.request_id.as_deref(), Some("r-504"));

    let error = failed(503, &[], "");
    assert_eq!(error.code, "serviceUnavailable");
    assert_eq!(
        error.message,
        "HTTP 503 Service Unavailable with an empty body"
    );

    let error = failed(418, &[], "short and stout\n\n");
    assert_eq!(error.code, "http418");
    assert_eq!(
        error.message,
        "HTTP 418 with a non-JSON body: short and stout"
    );

    let error = failed(500, &[], "\u{0}\u{1}\u{fffd} binary");
    assert_eq!(error.code, "internalServerError");

    let error = failed(
        400,
        &[],
        r#"{"error":"invalid_request","error_description":"x"}"#,
    );
    assert_eq!(
        (error.code.as_str(), error.message.as_str()),
        ("badRequest", "invalid_request")
    );

    let error = failed(502, &[], r#"{"message":"upstream down"}"#);
    assert_eq!(error.message, "upstream down");

    let error = failed(400, &[], r#"{"unexpected":true}"#);
    assert_eq!(
        error.message,
        "HTTP 400 Bad Request with an unexpected JSON body"
    );
}

#[test]
fn graph_error_serializes_with_camel_case_names() {
    let error = failed(
        429,
        &[("retry-after", "2")],
        r#"{"error":{"code":"x","message":"y","innerError":{"request-id":"r"}}}"#,
    );
    let json = serde_json::to_value(&error).unwrap();
    assert_eq!(json["retryAfterMs"], 2000);
    assert_eq!(json["requestId"], "r");
    assert_eq!(json["innerError"]["request-id"], "r");
    assert!(json.get("clientRequestId").is_none());
}
