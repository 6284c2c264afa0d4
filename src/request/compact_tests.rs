//! Tests of [`check_compact`] (the quick accept-only pass in `compact.rs`): on every compact,
//! valid JSON body it gives exactly [`check`]'s result (`Ok`, or the same kind, path and message);
//! on damaged and arbitrary bytes it returns without panicking, and never reports an error that
//! `check` would not report. Also: the quick pass really decides the bodies JavaScript sends.

use std::cell::Cell;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};

use super::compact::certainly_valid;
use super::{check, check_compact, ApiVersion, HeadOptions};
use crate::error::Error;

const VERSIONS: [ApiVersion; 3] = [ApiVersion::V1, ApiVersion::Beta, ApiVersion::Beta2018];

fn head(version: ApiVersion) -> HeadOptions<'static> {
    HeadOptions {
        call_id: Some("341a0500-d4bf-4224-8b19-1581168d328b"),
        api_version: Some(version.as_str()),
        ..HeadOptions::default()
    }
}

/// The whole outcome, message included.
fn outcome(result: &Result<(), Error>) -> Option<(&'static str, String, String)> {
    result
        .as_ref()
        .err()
        .map(|e| (e.kind_name(), e.path().to_owned(), e.to_string()))
}

/// Whether `bytes` is valid JSON with no whitespace outside strings (what `JSON.stringify`
/// writes). serde_json skips a lone surrogate escape (which `JSON.stringify` writes) in an
/// ignored value, so such bodies count as valid too.
fn is_compact_json(bytes: &[u8]) -> bool {
    // serde_json does not check UTF-8 in the strings it skips.
    if std::str::from_utf8(bytes).is_err()
        || serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err()
    {
        return false;
    }
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            return false;
        }
    }
    true
}

/// `check_compact` gives `check`'s outcome on `body` in every dialect.
fn same_as_check(body: &[u8]) -> Result<(), TestCaseError> {
    for version in VERSIONS {
        let head = head(version);
        let quick = check_compact(&head, body);
        let full = check(&head, body);
        prop_assert_eq!(
            outcome(&quick),
            outcome(&full),
            "{} ({:?})",
            String::from_utf8_lossy(body),
            version
        );
    }
    Ok(())
}

/// On any bytes: returns, and an error is always `check`'s own. Only a body that is not compact
/// valid JSON may be accepted although `check` refuses it.
fn never_worse_than_check(body: &[u8]) -> Result<(), TestCaseError> {
    for version in VERSIONS {
        let head = head(version);
        let quick = check_compact(&head, body);
        let full = check(&head, body);
        if quick.is_err() || full.is_ok() {
            prop_assert_eq!(outcome(&quick), outcome(&full));
        } else {
            prop_assert!(
                !is_compact_json(body),
                "accepted a compact JSON body that check refuses: {}",
                String::from_utf8_lossy(body)
            );
        }
    }
    Ok(())
}

/// Strings the rules accept where an id is read (the quick pass decides the ASCII ones).
const GOOD: &[&str] = &[
    "550fae72-d251-43ec-868c-373732c2704f",
    "u",
    "en-US",
    "+12345678901",
    "a\"b",
    "back\\slash",
    "\u{e9}t\u{e9}",
    "\u{1F600}",
    "x y",
];

/// Strings some rule refuses somewhere, or that need a closer look.
const ODD: &[&str] = &[
    "",
    " ",
    " u",
    "\u{a0}",
    "tab\there",
    "\u{1}",
    "\u{2003}x",
    "\u{3000}",
    "\u{85}",
    "+0123",
    "+1",
    "+1234567890123456",
    "555",
];

const PHONES: &[&str] = &[
    "+12345678901",
    "+123456789012345",
    "+0123",
    "+1",
    "555",
    "",
    "+12a",
];

fn text() -> impl Strategy<Value = Value> {
    prop_oneof![
        12 => proptest::sample::select(GOOD).prop_map(|s| json!(s)),
        3 => proptest::sample::select(ODD).prop_map(|s| json!(s)),
        1 => (250usize..260).prop_map(|n| json!("x".repeat(n))),
        1 => (1020usize..1030).prop_map(|n| json!("x".repeat(n))),
        1 => (120usize..300).prop_map(|n| json!("\u{e9}".repeat(n))),
    ]
}

/// A value for a field the rules read or type-check: mostly strings, sometimes `null` or a
/// wrong type.
fn field() -> BoxedStrategy<Value> {
    prop_oneof![
        40 => text(),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i16>().prop_map(|n| json!(n)),
        1 => Just(json!({})),
        1 => Just(json!([])),
    ]
    .boxed()
}

/// Anything, for unknown members.
fn junk() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        (-1.0e9f64..1.0e9).prop_map(|n| json!(n)),
        text(),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(("[a-z@.]{1,6}", inner), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object with each of `fields` present with its probability (value from its strategy), maybe
/// unknown members, in a random order.
fn object(fields: Vec<(&'static str, f64, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let n = fields.len();
    let members: Vec<_> = fields
        .into_iter()
        .map(|(k, p, v)| proptest::option::weighted(p, v).prop_map(move |v| (k, v)))
        .collect();
    (
        members,
        proptest::collection::vec(("[a-z]{1,8}", junk()), 0..2),
        Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
    )
        .prop_map(|(members, unknown, order)| {
            let mut map = Map::new();
            for i in &order {
                if let (k, Some(v)) = &members[*i] {
                    map.insert((*k).to_owned(), v.clone());
                }
            }
            for (k, v) in unknown {
                map.entry(k).or_insert(v);
            }
            Value::Object(map)
        })
        .boxed()
}

fn identity() -> BoxedStrategy<Value> {
    object(vec![
        ("id", 0.9, field()),
        ("displayName", 0.4, field()),
        ("tenantId", 0.3, field()),
        ("@odata.type", 0.2, field()),
    ])
}

fn phone_identity() -> BoxedStrategy<Value> {
    let phone = prop_oneof![
        4 => proptest::sample::select(PHONES).prop_map(|s| json!(s)),
        1 => field(),
    ];
    object(vec![
        ("id", 0.9, phone.boxed()),
        ("@odata.type", 0.4, field()),
    ])
}

fn member(identity: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![12 => identity, 1 => Just(Value::Null), 1 => field()].boxed()
}

fn identity_set() -> BoxedStrategy<Value> {
    object(vec![
        ("user", 0.7, member(identity())),
        ("phone", 0.25, member(phone_identity())),
        ("guest", 0.05, member(identity())),
        ("application", 0.1, member(identity())),
        ("applicationInstance", 0.1, member(identity())),
        ("azureCommunicationServicesUser", 0.05, member(identity())),
        ("device", 0.05, member(identity())),
        ("encrypted", 0.05, member(identity())),
        ("onPremises", 0.05, member(identity())),
        ("assertedIdentity", 0.05, member(identity())),
        ("@odata.type", 0.1, field()),
    ])
}

fn identity_value() -> BoxedStrategy<Value> {
    prop_oneof![16 => identity_set(), 1 => Just(Value::Null), 1 => field()].boxed()
}

fn target() -> BoxedStrategy<Value> {
    let hidden = prop_oneof![4 => any::<bool>().prop_map(Value::Bool), 1 => field()];
    let nested = prop_oneof![3 => Just(Value::Null), 1 => junk()];
    object(vec![
        ("identity", 0.95, identity_value()),
        ("endpointType", 0.5, field()),
        ("hidden", 0.1, hidden.boxed()),
        ("transferee", 0.05, nested.boxed()),
        ("replacesCallId", 0.1, field()),
        ("languageId", 0.2, field()),
        ("region", 0.2, field()),
        ("participantId", 0.1, field()),
        ("@odata.type", 0.1, field()),
    ])
}

fn participant() -> BoxedStrategy<Value> {
    object(vec![
        ("identity", 0.95, identity_value()),
        ("participantId", 0.9, field()),
        ("endpointType", 0.2, field()),
        ("countryCode", 0.1, field()),
        ("languageId", 0.1, field()),
        ("region", 0.1, field()),
        ("platformId", 0.1, field()),
        ("@odata.type", 0.1, field()),
    ])
}

fn body() -> BoxedStrategy<Value> {
    let target = || prop_oneof![16 => target(), 1 => Just(Value::Null), 1 => field()].boxed();
    let transferee = prop_oneof![16 => participant(), 1 => Just(Value::Null), 1 => field()];
    object(vec![
        ("transferTarget", 0.92, target()),
        ("target", 0.15, target()),
        ("transferee", 0.3, transferee.boxed()),
        ("clientContext", 0.4, field()),
        ("operationContext", 0.08, field()),
    ])
}

/// A generated body written compactly, then maybe changed in a way that keeps it compact valid
/// JSON: a key given twice, a letter written as a `\u` escape, a lone surrogate escape (as
/// `JSON.stringify` writes one) in a string, or a deeply nested unknown value.
fn compact_body() -> impl Strategy<Value = Vec<u8>> {
    (body(), 0u8..8, any::<prop::sample::Index>(), 100usize..124).prop_map(|(v, how, at, depth)| {
        let mut text = serde_json::to_string(&v).unwrap_or_default();
        let i = at.index(text.len());
        let i = (0..=i)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        match how {
            // Duplicate the key of some member (`"key":null,` before it).
            1 => {
                if let Some(j) = text[i..].find("\":").map(|j| j + i) {
                    if let Some(k) = text[..j].rfind(['{', ',']) {
                        let key = text[k + 1..j + 2].to_owned();
                        if key.starts_with('"') {
                            text.insert_str(k + 1, &format!("{key}null,"));
                        }
                    }
                }
            }
            // Escape the first character of some key or string value, when it is an ASCII
            // letter, as `\u00XX`.
            2 => {
                let letter = |j: &usize| {
                    text.as_bytes()[*j - 1] == b'"'
                        && matches!(text.as_bytes()[*j - 2], b'{' | b',' | b':' | b'[')
                        && text.as_bytes()[*j].is_ascii_alphabetic()
                };
                if let Some(j) = (i.max(2)..text.len()).find(letter) {
                    let c = text.as_bytes()[j];
                    text.replace_range(j..=j, &format!("\\u{c:04x}"));
                }
            }
            // A lone surrogate at the start of some key or string value.
            3 => {
                let opening = |j: &usize| {
                    text.as_bytes()[*j] == b'"'
                        && matches!(text.as_bytes()[*j - 1], b'{' | b',' | b':' | b'[')
                };
                if let Some(j) = (i.max(1)..text.len()).find(opening) {
                    text.insert_str(j + 1, "\\ud800");
                }
            }
            // An unknown member nested about as deep as the limit, inside some object.
            4 => {
                if let Some(j) = text[i..].find('{').map(|j| j + i) {
                    let deep = format!("\"deep\":{}0{},", "[".repeat(depth), "]".repeat(depth));
                    let close = if text.as_bytes().get(j + 1) == Some(&b'}') {
                        deep.trim_end_matches(',').to_owned()
                    } else {
                        deep
                    };
                    text.insert_str(j + 1, &close);
                }
            }
            _ => {}
        }
        text.into_bytes()
    })
}

/// A compact body then damaged: a byte inserted, deleted or replaced, or the text cut short.
fn damaged_body() -> impl Strategy<Value = Vec<u8>> {
    (
        compact_body(),
        0u8..4,
        any::<prop::sample::Index>(),
        any::<u8>(),
    )
        .prop_map(|(mut bytes, how, at, byte)| {
            let i = at.index(bytes.len() + 1);
            match how {
                0 => bytes.insert(i, byte),
                1 if i < bytes.len() => {
                    bytes.remove(i);
                }
                2 if i < bytes.len() => bytes[i] = byte,
                _ => bytes.truncate(i),
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn compact_bodies_get_exactly_the_full_result(body in compact_body()) {
        // The changes above keep the text valid (checked here, so that a bug in them cannot
        // hide behind a spurious failure).
        prop_assert!(is_compact_json(&body), "{}", String::from_utf8_lossy(&body));
        same_as_check(&body)?;
    }

    #[test]
    fn damaged_bodies_return_and_never_get_another_error(body in damaged_body()) {
        never_worse_than_check(&body)?;
    }

    #[test]
    fn arbitrary_bytes_return_and_never_get_another_error(body in proptest::collection::vec(any::<u8>(), 0..64)) {
        never_worse_than_check(&body)?;
    }

    #[test]
    fn structural_noise_returns_and_never_gets_another_error(
        text in "[{}\\[\\]\":, a-z0-9.eE+\\-\\\\u]{0,48}",
    ) {
        never_worse_than_check(text.as_bytes())?;
        let wrapped = format!(r#"{{"transferTarget":{{"identity":{{"user":{{"id":"u"}}}},"x":{text}}}}}"#);
        never_worse_than_check(wrapped.as_bytes())?;
    }
}

#[test]
fn the_generator_makes_both_valid_and_invalid_bodies_and_the_quick_pass_decides_many() {
    // Guards the property test above: it would prove little if every body were invalid or if
    // the quick pass never answered.
    let config = Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let (valid, quick) = (Cell::new(0u32), Cell::new(0u32));
    runner
        .run(&compact_body(), |body| {
            if check(&head(ApiVersion::V1), &body).is_ok() {
                valid.set(valid.get() + 1);
                if certainly_valid(&body, ApiVersion::V1) {
                    quick.set(quick.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let (valid, quick) = (valid.get(), quick.get());
    assert!((100..1900).contains(&valid), "{valid} valid bodies of 2000");
    assert!(
        quick * 2 > valid,
        "the quick pass decided {quick} of {valid} valid bodies"
    );
}

#[test]
fn the_quick_pass_decides_what_javascript_sends() {
    // The bodies of benches/request.mjs and of the README, as JSON.stringify writes them.
    let v1 = [
        r#"{"transferTarget":{"endpointType":"default","identity":{"user":{"id":"550fae72-d251-43ec-868c-373732c2704f","displayName":"Heidi Steen"}}}}"#,
        r##"{"transferTarget":{"endpointType":"default","identity":{"phone":{"@odata.type":"#microsoft.graph.identity","id":"+12345678901"}},"languageId":"en-US","region":"amer"},"clientContext":"9e90d1c1-f61e-43e7-9f75-d420159aae08"}"##,
        r#"{"transferTarget":{"endpointType":"default","identity":{"user":{"id":"550fae72-d251-43ec-868c-373732c2704f","displayName":"Heidi Steen"}}},"transferee":{"identity":{"user":{"id":"751f6800-3180-414d-bd94-333364659951","tenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47"}},"participantId":"909c6581-5130-43e9-88f3-fcb3582cde37"}}"#,
        r#"{"transferTarget":{"identity":{"applicationInstance":{"id":"a1","displayName":"Résumé \"desk\""}},"replacesCallId":"c2","x":[1,{"y":null}]}}"#,
    ];
    for body in v1 {
        assert!(certainly_valid(body.as_bytes(), ApiVersion::V1), "{body}");
        assert!(certainly_valid(body.as_bytes(), ApiVersion::Beta), "{body}");
        assert!(
            !certainly_valid(body.as_bytes(), ApiVersion::Beta2018),
            "{body}"
        );
    }
    let beta2018 = r#"{"clientContext":"c","operationContext":"op","target":{"identity":{"user":{"id":"u"}}}}"#;
    assert!(certainly_valid(beta2018.as_bytes(), ApiVersion::Beta2018));
    assert!(!certainly_valid(beta2018.as_bytes(), ApiVersion::V1));
}

#[test]
fn nesting_at_the_limit_is_decided_like_the_full_scanner() {
    // The body is level 1, the target 2, the identity set 3, an identity 4.
    for depth in 120..=130 {
        let deep = format!("{}0{}", "[".repeat(depth), "]".repeat(depth));
        for body in [
            format!(r#"{{"x":{deep},"transferTarget":{{"identity":{{"user":{{"id":"u"}}}}}}}}"#),
            format!(r#"{{"transferTarget":{{"x":{deep},"identity":{{"user":{{"id":"u"}}}}}}}}"#),
            format!(r#"{{"transferTarget":{{"identity":{{"user":{{"id":"u","x":{deep}}}}}}}}}"#),
            format!(r#"{{"transferTarget":{{"identity":{{"x":{deep},"user":{{"id":"u"}}}}}}}}"#),
        ] {
            same_as_check(body.as_bytes()).unwrap_or_else(|e| panic!("{depth}: {e}"));
        }
    }
    // Far deeper than the limit: returns quickly, with the full scanner's error.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let body = format!(r#"{{"transferTarget":{{"identity":{{"user":{{"id":"u"}}}},"x":{deep}}}}}"#);
    same_as_check(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn escapes_and_odd_strings_are_left_to_the_full_scanner() {
    for body in [
        // A lone surrogate, as JSON.stringify escapes it: refused where read, allowed where skipped.
        r#"{"transferTarget":{"identity":{"user":{"id":"\ud800"}}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u","displayName":"\ud800"}}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u","x":"\ud800"}}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"\ud83d\ude00"}}}}"#,
        // Escaped keys and values decode before the rules.
        r#"{"transfer\u0054arget":{"identity":{"user":{"id":"u"}}}}"#,
        r#"{"transferTarget":{"identity":{"phone":{"id":"\u002B12345678901"}}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"\u0020"}}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"a\"b"}}}}"#,
        // Values the rules look at closely.
        r#"{"transferTarget":{"identity":{"user":{"id":" u"}}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"é"}}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u"}}},"clientContext":"  "}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u"}},"transferee":{}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u"}},"hidden":1}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u"}}},"target":null}"#,
        r#"{"transferTarget":{"identity":{"user":null,"device":{}}}}"#,
        r#"{"transferTarget":{"identity":{"user":null,"future":{}}}}"#,
        r#"{"transferTarget":{"identity":{"user":null,"future":1}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u"},"user":{"id":""}}}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u"}}},"transferTarget":null}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u"}}},"transferee":{"identity":{"user":{"id":"v"}},"participantId":null}}"#,
        r#"{"transferTarget":{"identity":{"user":{"id":"u"}}}}"#,
    ] {
        same_as_check(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// JSON written as `buildTransferRequest`'s JavaScript writes it: strings put between quotes
/// without escaping; returns how many strings (names and string values) it wrote.
fn write_unescaped(value: &Value, out: &mut String) -> usize {
    match value {
        Value::String(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
            1
        }
        Value::Object(members) => {
            out.push('{');
            let mut strings = 0;
            for (i, (name, member)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                out.push_str(name);
                out.push_str("\":");
                strings += 1 + write_unescaped(member, out);
            }
            out.push('}');
            strings
        }
        Value::Array(items) => {
            out.push('[');
            let mut strings = 0;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                strings += write_unescaped(item, out);
            }
            out.push(']');
            strings
        }
        other => {
            out.push_str(&other.to_string());
            0
        }
    }
}

fn any_char_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => "[a-z0-9 .+@#-]",
            1 => (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap().to_string()),
            1 => Just("\"".to_owned()),
            1 => Just("\\".to_owned()),
            1 => any::<char>().prop_map(String::from),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

fn loose_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any_char_string().prop_map(Value::String),
        any::<i32>().prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            proptest::collection::vec((any_char_string(), inner.clone()), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
            proptest::collection::vec(inner, 0..3).prop_map(Value::Array),
        ]
    })
}

proptest! {
    #![proptest_config(Config::with_cases(3000))]

    /// It says yes exactly when the unescaped text is what an escaping serializer writes.
    #[test]
    fn no_escapes_needed_exactly_when_the_text_is_json_stringify_s(value in prop_oneof![body(), loose_value()]) {
        let mut text = String::new();
        let strings = write_unescaped(&value, &mut text);
        let escaped = serde_json::to_string(&value).unwrap();
        prop_assert_eq!(super::no_escapes_needed(text.as_bytes(), strings), text == escaped);
        // A wrong count is caught (two quotes in the strings make up for one more string).
        if text == escaped {
            prop_assert!(!super::no_escapes_needed(text.as_bytes(), strings + 1));
        }
    }
}

#[test]
fn no_escapes_needed_at_every_position_of_a_word() {
    for len in 0..20 {
        for at in 0..len {
            for bad in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                let mut value = vec![b'a'; len];
                value[at] = bad;
                let mut text = b"{\"k\":\"".to_vec();
                text.extend_from_slice(&value);
                text.extend_from_slice(b"\"}");
                assert!(!super::no_escapes_needed(&text, 2), "{len} {at} {bad}");
            }
            // Bytes next to the special ones, and non-ASCII, are fine.
            for good in [b'!', b'#', b'[', b']', 0x20, 0x7f, 0x80, 0xa2, 0xdc, 0xff] {
                let mut text = b"{\"k\":\"".to_vec();
                let mut value = vec![b'a'; len];
                value[at] = good;
                text.extend_from_slice(&value);
                text.extend_from_slice(b"\"}");
                assert!(super::no_escapes_needed(&text, 2), "{len} {at} {good}");
            }
        }
    }
    assert!(!super::no_escapes_needed(b"{}", usize::MAX));
}
