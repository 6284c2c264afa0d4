//! Every validation rule, through the public API: the kind and the JSON path of each error.

use graph_call_transfer::{
    build_from_json, ApiVersion, Cloud, EndpointType, IdentitySet, InvitationParticipantInfo,
    ParticipantInfo, TransferRequestBuilder,
};
use serde_json::{json, Value};

fn user_target() -> Value {
    json!({"identity": {"user": {"id": "550fae72-d251-43ec-868c-373732c2704f"}}})
}

fn options(patch: Value) -> Value {
    let mut base =
        json!({"callId": "341a0500-d4bf-4224-8b19-1581168d328b", "transferTarget": user_target()});
    for (key, value) in patch.as_object().unwrap() {
        if value.is_null() {
            base.as_object_mut().unwrap().remove(key);
        } else {
            base[key] = value.clone();
        }
    }
    base
}

#[track_caller]
fn rejects(options: Value, kind: &str, path: &str) -> String {
    let err = build_from_json(options.to_string().as_bytes()).expect_err(&options.to_string());
    assert_eq!((err.kind_name(), err.path()), (kind, path), "{err}");
    let message = err.to_string();
    assert!(
        !message.ends_with('.'),
        "messages have no trailing period: {message}"
    );
    if !path.is_empty() {
        assert!(message.starts_with(&format!("{path}: ")), "{message}");
    }
    message
}

#[test]
fn call_id_must_be_a_safe_non_empty_path_segment() {
    rejects(options(json!({"callId": null})), "missingField", "callId");
    rejects(options(json!({"callId": ""})), "emptyValue", "callId");
    rejects(options(json!({"callId": "   "})), "emptyValue", "callId");
    for bad in ["a/b", "a?b", "a#b", "a%2Fb", "a b", "..", ".", "é", "a\nb"] {
        rejects(options(json!({"callId": bad})), "unsafeCallId", "callId");
    }
    rejects(
        options(json!({"callId": "x".repeat(257)})),
        "tooLong",
        "callId",
    );
    rejects(options(json!({"callId": 42})), "invalidType", "callId");
    let ok = build_from_json(
        options(json!({"callId": "A1-b2_c3.d~4"}))
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert!(ok.url.ends_with("/calls/A1-b2_c3.d~4/transfer"));
}

#[test]
fn the_target_needs_an_identity_with_a_member() {
    rejects(
        options(json!({"transferTarget": null})),
        "missingField",
        "transferTarget",
    );
    rejects(
        options(json!({"transferTarget": {}})),
        "missingIdentity",
        "transferTarget.identity",
    );
    rejects(
        options(json!({"transferTarget": {"identity": {}}})),
        "missingIdentity",
        "transferTarget.identity",
    );
    rejects(
        options(
            json!({"transferTarget": {"identity": {"@odata.type": "#microsoft.graph.identitySet"}}}),
        ),
        "missingIdentity",
        "transferTarget.identity",
    );
    rejects(
        options(json!({"transferTarget": {"identity": {"user": {}}}})),
        "missingField",
        "transferTarget.identity.user.id",
    );
    rejects(
        options(json!({"transferTarget": {"identity": {"applicationInstance": {"id": " "}}}})),
        "emptyValue",
        "transferTarget.identity.applicationInstance.id",
    );
    rejects(
        options(json!({"transferTarget": "someone"})),
        "invalidType",
        "transferTarget",
    );
    rejects(
        options(json!({"transferTarget": {"identity": {"user": {"id": 7}}}})),
        "invalidType",
        "transferTarget.identity.user.id",
    );
    // A future identity kind Graph may add is accepted and kept.
    let request = build_from_json(
        options(json!({"transferTarget": {"identity": {"teamsPhoneDevice": {"id": "d1"}}}}))
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(
        request.body_json()["transferTarget"]["identity"]["teamsPhoneDevice"]["id"],
        "d1"
    );
}

#[test]
fn phone_numbers_must_be_e164() {
    for bad in [
        "12345678901",
        "+0123456",
        "+1 234 567 8901",
        "+1-234",
        "+",
        "+1",
        "+1234567890123456",
        "tel:+1234",
    ] {
        let message = rejects(
            options(json!({"transferTarget": {"identity": {"phone": {"id": bad}}}})),
            "notE164",
            "transferTarget.identity.phone.id",
        );
        assert!(message.contains("E.164"), "{message}");
    }
    for good in ["+12345678901", "+44", "+123456789012345"] {
        build_from_json(
            options(json!({"transferTarget": {"identity": {"phone": {"id": good}}}}))
                .to_string()
                .as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{good}: {e}"));
    }
}

#[test]
fn optional_target_strings_must_not_be_empty() {
    for field in ["replacesCallId", "languageId", "region", "participantId"] {
        let mut target = user_target();
        target[field] = json!("");
        rejects(
            options(json!({"transferTarget": target})),
            "emptyValue",
            &format!("transferTarget.{field}"),
        );
    }
}

#[test]
fn a_transferee_needs_identity_and_participant_id() {
    let identity = json!({"user": {"id": "751f6800-3180-414d-bd94-333364659951"}});
    rejects(
        options(json!({"transferee": {"participantId": "p1"}})),
        "missingIdentity",
        "transferee.identity",
    );
    rejects(
        options(json!({"transferee": {"identity": identity}})),
        "missingField",
        "transferee.participantId",
    );
    rejects(
        options(json!({"transferee": {"identity": identity, "participantId": ""}})),
        "emptyValue",
        "transferee.participantId",
    );
    rejects(
        options(json!({"transferee": {"identity": {}, "participantId": "p1"}})),
        "missingIdentity",
        "transferee.identity",
    );
    let ok = build_from_json(
        options(json!({"transferee": {"identity": identity, "participantId": "p1"}}))
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(ok.body_json()["transferee"]["participantId"], "p1");
}

#[test]
fn client_context_is_at_most_256_characters() {
    build_from_json(
        options(json!({"clientContext": "é".repeat(256)}))
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    let message = rejects(
        options(json!({"clientContext": "x".repeat(257)})),
        "tooLong",
        "clientContext",
    );
    assert!(
        message.contains("257") && message.contains("256"),
        "{message}"
    );
    rejects(
        options(json!({"clientContext": ""})),
        "emptyValue",
        "clientContext",
    );
}

#[test]
fn fields_must_belong_to_the_chosen_dialect() {
    let transferee = json!({"identity": {"user": {"id": "u"}}, "participantId": "p"});
    rejects(
        options(json!({"apiVersion": "beta-2018", "transferee": transferee})),
        "unsupportedInDialect",
        "transferee",
    );
    rejects(
        options(json!({"operationContext": "op"})),
        "unsupportedInDialect",
        "operationContext",
    );
    rejects(
        options(json!({"apiVersion": "beta", "operationContext": "op"})),
        "unsupportedInDialect",
        "operationContext",
    );
    rejects(
        options(json!({"apiVersion": "beta-2018", "operationContext": " "})),
        "emptyValue",
        "operationContext",
    );
    // In the 2018 dialect the target is reported under its wire name.
    rejects(
        options(json!({"apiVersion": "beta-2018", "transferTarget": {}})),
        "missingIdentity",
        "target.identity",
    );
}

#[test]
fn options_are_checked() {
    rejects(
        options(json!({"apiVersion": "v2"})),
        "unknownApiVersion",
        "apiVersion",
    );
    rejects(
        options(json!({"apiVersion": 1})),
        "invalidType",
        "apiVersion",
    );
    rejects(options(json!({"cloud": "mars"})), "unknownCloud", "cloud");
    rejects(
        options(json!({"cloud": "china", "baseUrl": "https://x.example"})),
        "conflictingOptions",
        "cloud",
    );
    rejects(
        options(json!({"transferTaget": {}})),
        "unknownOption",
        "transferTaget",
    );
    rejects(
        options(json!({"clientRequestId": "has space"})),
        "invalidHeaderValue",
        "clientRequestId",
    );
    rejects(
        options(json!({"clientRequestId": ""})),
        "emptyValue",
        "clientRequestId",
    );
    for (input, kind) in [
        ("null", "invalidType"),
        ("[]", "invalidType"),
        ("\"x\"", "invalidType"),
        ("{", "invalidJson"),
        ("{} x", "invalidJson"),
        ("", "invalidJson"),
    ] {
        let err = build_from_json(input.as_bytes()).unwrap_err();
        assert_eq!((err.kind_name(), err.path()), (kind, ""), "{input}: {err}");
    }
    let err = build_from_json(b"\xff\xfe").unwrap_err();
    assert_eq!(err.kind_name(), "invalidJson");
}

#[test]
fn base_urls_are_checked_and_normalised() {
    for (bad, why) in [
        ("graph.microsoft.com", "absolute"),
        ("ftp://graph.microsoft.com", "scheme"),
        ("http://graph.microsoft.com", "loopback"),
        ("https://graph.microsoft.com/?x=1", "query"),
        ("https://user:pw@graph.microsoft.com", "credentials"),
        ("https://", "no host"),
        ("https://host:99999", "port"),
        ("https://ho st", "whitespace"),
    ] {
        let message = rejects(
            options(json!({"baseUrl": bad})),
            "invalidBaseUrl",
            "baseUrl",
        );
        assert!(message.contains(why), "{bad}: {message}");
    }
    for (good, url) in [
        ("http://127.0.0.1:8787/", "http://127.0.0.1:8787/v1.0/"),
        ("http://localhost:3000", "http://localhost:3000/v1.0/"),
        ("http://[::1]:3000", "http://[::1]:3000/v1.0/"),
        (
            "https://proxy.example/graph/",
            "https://proxy.example/graph/v1.0/",
        ),
        (
            "HTTPS://graph.microsoft.com",
            "https://graph.microsoft.com/v1.0/",
        ),
    ] {
        let request =
            build_from_json(options(json!({"baseUrl": good})).to_string().as_bytes()).unwrap();
        assert!(request.url.starts_with(url), "{good}: {}", request.url);
    }
}

#[test]
fn clouds_and_dialects_choose_the_url() {
    let cases = [
        (
            ApiVersion::V1,
            Cloud::Global,
            "https://graph.microsoft.com/v1.0/communications/calls/c1/transfer",
            202,
        ),
        (
            ApiVersion::Beta,
            Cloud::UsGovL4,
            "https://graph.microsoft.us/beta/communications/calls/c1/transfer",
            202,
        ),
        (
            ApiVersion::V1,
            Cloud::UsGovL5,
            "https://dod-graph.microsoft.us/v1.0/communications/calls/c1/transfer",
            202,
        ),
        (
            ApiVersion::Beta2018,
            Cloud::China,
            "https://microsoftgraph.chinacloudapi.cn/beta/app/calls/c1/transfer",
            200,
        ),
    ];
    for (version, cloud, url, status) in cases {
        let request =
            TransferRequestBuilder::new("c1", InvitationParticipantInfo::teams_user("u1"))
                .api_version(version)
                .cloud(cloud)
                .build()
                .unwrap();
        assert_eq!(request.url, url);
        assert_eq!(version.success_status(), status);
        assert_eq!(Cloud::parse(cloud.as_str()).unwrap(), cloud);
        assert_eq!(ApiVersion::parse(version.as_str()).unwrap(), version);
    }
}

#[test]
fn the_builder_covers_every_documented_case() {
    // Blind transfer to a Teams user, with a client-request-id header.
    let r = TransferRequestBuilder::new("c1", InvitationParticipantInfo::teams_user("u1"))
        .client_request_id("8f3a1d2c-0000-4000-8000-000000000001")
        .build()
        .unwrap();
    assert_eq!(
        r.body,
        r#"{"transferTarget":{"identity":{"user":{"id":"u1"}}}}"#
    );
    assert_eq!(
        r.header("client-request-id"),
        Some("8f3a1d2c-0000-4000-8000-000000000001")
    );
    assert_eq!(r.headers.len(), 2);

    // Application instance and application targets, endpointType, consultative.
    let r = TransferRequestBuilder::new(
        "c1",
        InvitationParticipantInfo::application_instance("ai1")
            .with_endpoint_type(EndpointType::Default)
            .replacing("c2"),
    )
    .build()
    .unwrap();
    assert_eq!(
        r.body,
        r#"{"transferTarget":{"identity":{"applicationInstance":{"id":"ai1"}},"endpointType":"default","replacesCallId":"c2"}}"#
    );
    let r = TransferRequestBuilder::new("c1", InvitationParticipantInfo::application("app1"))
        .build()
        .unwrap();
    assert_eq!(
        r.body_json()["transferTarget"]["identity"]["application"]["id"],
        "app1"
    );

    // PSTN with languageId and region, clientContext.
    let r = TransferRequestBuilder::new(
        "c1",
        InvitationParticipantInfo::phone("+12345678901").with_locale("en-US", "amer"),
    )
    .client_context("ctx")
    .build()
    .unwrap();
    assert_eq!(
        r.body,
        r##"{"transferTarget":{"identity":{"phone":{"@odata.type":"#microsoft.graph.identity","id":"+12345678901"}},"languageId":"en-US","region":"amer"},"clientContext":"ctx"}"##
    );

    // From a group call.
    let transferee = ParticipantInfo::transferee(
        IdentitySet {
            user: Some(graph_call_transfer::Identity::with_id("u2")),
            ..Default::default()
        },
        "p1",
    );
    let r = TransferRequestBuilder::new("c1", InvitationParticipantInfo::teams_user("u1"))
        .transferee(transferee)
        .build()
        .unwrap();
    assert_eq!(
        r.body_json()["transferee"],
        json!({"identity": {"user": {"id": "u2"}}, "participantId": "p1"})
    );

    // Errors from the builder carry the same paths as from JSON.
    let err = TransferRequestBuilder::new("c1", InvitationParticipantInfo::teams_user("u1"))
        .base_url("nope")
        .build()
        .unwrap_err();
    assert_eq!((err.kind_name(), err.path()), ("invalidBaseUrl", "baseUrl"));
}

#[test]
fn unknown_fields_and_values_are_kept() {
    let target = json!({
        "@odata.type": "#microsoft.graph.invitationParticipantInfo",
        "identity": {"user": {"id": "u1", "identityProvider": "AAD", "displayName": "Heidi"}, "futureMember": {"id": "f"}},
        "endpointType": "holographicPhone",
        "futureField": {"nested": [1, 2, 3]}
    });
    let request = build_from_json(
        options(json!({"transferTarget": target}))
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(request.body_json()["transferTarget"], target);
    let parsed: InvitationParticipantInfo = serde_json::from_value(target).unwrap();
    assert_eq!(
        parsed.endpoint_type,
        Some(EndpointType::Unknown("holographicPhone".into()))
    );
}

#[test]
fn the_body_is_the_callers_json_compacted_and_strings_are_escaped() {
    let pretty = serde_json::to_string_pretty(&options(json!({
        "transferTarget": {"identity": {"user": {"id": "u1", "displayName": "Heidi  \"H\" Steen\n"}}},
        "clientContext": "line\nbreak \"quoted\" \\ tab\t",
    })))
    .unwrap();
    let request = build_from_json(pretty.as_bytes()).unwrap();
    assert!(!request.body.contains('\n'), "{}", request.body);
    assert_eq!(
        request.body,
        r#"{"transferTarget":{"identity":{"user":{"displayName":"Heidi  \"H\" Steen\n","id":"u1"}}},"clientContext":"line\nbreak \"quoted\" \\ tab\t"}"#
    );
    let parsed: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(parsed["clientContext"], "line\nbreak \"quoted\" \\ tab\t");
}

#[test]
fn messages_quote_values_as_rust_debug_does_for_plain_text() {
    for c in (0x20u8..0x7f).map(char::from) {
        if c.is_ascii_alphanumeric() || "-._~".contains(c) {
            continue;
        }
        let message = rejects(
            options(json!({"callId": format!("a{c}b")})),
            "unsafeCallId",
            "callId",
        );
        assert!(
            message.starts_with(&format!("callId: call id contains {c:?}; ")),
            "{message}"
        );
    }
    let message = rejects(options(json!({"callId": "a\nb"})), "unsafeCallId", "callId");
    assert!(message.contains("contains '\\n';"), "{message}");
    for cloud in ["mars", "m\"a\\rs", "tab\there", "caf\u{e9}"] {
        let message = rejects(options(json!({"cloud": cloud})), "unknownCloud", "cloud");
        assert!(
            message.starts_with(&format!("cloud: unknown cloud {cloud:?}; ")),
            "{message}"
        );
    }
    let message = rejects(options(json!({"cloud": "\u{1}"})), "unknownCloud", "cloud");
    assert!(message.contains("unknown cloud \"\\u0001\";"), "{message}");
}
