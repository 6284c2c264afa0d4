//! The sans-IO half of callback authentication, through the public API only.

use graph_call_transfer::auth::{
    base64url_decode, bearer_token, cloud_issuers, jwks_uri, read_jwks, AuthErrorKind,
    CallbackAuthPolicy, Claims, UnverifiedToken, MAX_TOKEN_LEN,
};
use graph_call_transfer::request::Cloud;

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut s = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    s
}

fn token(header: &str, payload: &str, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64(header.as_bytes()),
        b64(payload.as_bytes()),
        b64(signature)
    )
}

const HEADER: &str = r#"{"alg":"RS256","kid":"key-1","typ":"JWT"}"#;
const APP: &str = "11111111-2222-3333-4444-555555555555";
const NOW: f64 = 1_800_000_000.0;

fn payload(exp: f64) -> String {
    format!(
        r#"{{"iss":"https://graph.microsoft.com","aud":"{APP}","exp":{exp},"nbf":{},"tid":"tenant-a","appid":"x"}}"#,
        exp - 300.0
    )
}

fn kind_of(
    result: Result<impl std::fmt::Debug, graph_call_transfer::auth::AuthError>,
) -> (String, String) {
    let err = result.expect_err("expected an error");
    (err.kind_name().to_owned(), err.path().to_owned())
}

fn claims_result(
    payload: &str,
    policy: &CallbackAuthPolicy,
    now: f64,
) -> Result<Claims, graph_call_transfer::auth::AuthError> {
    let t = token(HEADER, payload, b"sig");
    UnverifiedToken::parse(t.as_bytes())
        .unwrap()
        .check_claims(policy, now)
}

#[test]
fn bearer_token_accepts_the_scheme_in_any_case_and_refuses_others() {
    assert_eq!(bearer_token(b"Bearer a.b.c").unwrap(), b"a.b.c");
    assert_eq!(bearer_token(b"BEARER  a.b.c\t").unwrap(), b"a.b.c");
    for bad in [
        &b""[..],
        b"   ",
        b"Bearer",
        b"Bearer   ",
        b"Basic a.b.c",
        b"Bearera.b.c",
        b"a.b.c",
    ] {
        assert_eq!(
            kind_of(bearer_token(bad)),
            ("missingToken".into(), "authorization".into()),
            "{bad:?}"
        );
    }
}

#[test]
fn parses_a_token_and_exposes_the_signed_parts() {
    let t = token(HEADER, &payload(NOW + 300.0), &[1, 2, 3, 250]);
    let parsed = UnverifiedToken::from_authorization(format!("Bearer {t}").as_bytes()).unwrap();
    assert_eq!(parsed.kid(), "key-1");
    assert_eq!(parsed.signature(), &[1, 2, 3, 250]);
    let dot = t.rfind('.').unwrap();
    assert_eq!(parsed.signing_input(), &t.as_bytes()[..dot]);
    assert_eq!(parsed.payload_json(), payload(NOW + 300.0).as_bytes());
}

#[test]
fn refuses_every_algorithm_but_rs256() {
    for alg in [
        "none", "None", "HS256", "RS384", "PS256", "ES256", "rs256", "",
    ] {
        let header = format!(r#"{{"alg":"{alg}","kid":"key-1"}}"#);
        // alg none tokens usually have an empty signature: the algorithm is reported first.
        let t = format!("{}.{}.", b64(header.as_bytes()), b64(b"{}"));
        let err = UnverifiedToken::parse(t.as_bytes()).unwrap_err();
        assert_eq!(err.path(), "header.alg");
        assert_eq!(
            err.kind(),
            &AuthErrorKind::UnsupportedAlgorithm {
                alg: alg.to_owned()
            }
        );
    }
}

#[test]
fn ignores_cty_typ_and_key_hints_in_the_header() {
    let header = r#"{"alg":"RS256","kid":"k","cty":"JWT","typ":"at+jwt","jku":"https://evil.example/keys","x5u":"https://evil.example/x"}"#;
    let parsed = UnverifiedToken::parse(token(header, "{}", b"s").as_bytes()).unwrap();
    assert_eq!(parsed.kid(), "k");
}

#[test]
fn reports_malformed_tokens_with_a_path() {
    let good_payload = b64(b"{}");
    let cases: Vec<(String, &str)> = vec![
        ("abc".into(), ""),
        ("a.b".into(), ""),
        ("a.b.c.d".into(), ""),
        ("a.b.c.d.e".into(), ""),
        (format!("!!.{good_payload}.c2ln"), "header"),
        (
            format!("{}.{good_payload}.c2ln", b64(b"not json")),
            "header",
        ),
        (format!("{}.{good_payload}.c2ln", b64(b"[1]")), "header"),
        (
            format!(
                "{}.{good_payload}.c2ln",
                b64(br#"{"alg":"RS256","kid":["k"]}"#)
            ),
            "header.kid",
        ),
        (
            format!("{}.{good_payload}.c2ln", b64(br#"{"kid":"k"}"#)),
            "header.alg",
        ),
        (
            format!("{}.{good_payload}.c2ln", b64(br#"{"alg":256,"kid":"k"}"#)),
            "header.alg",
        ),
        (
            format!("{}.{good_payload}.c2ln", b64(br#"{"alg":"RS256"}"#)),
            "header.kid",
        ),
        (
            format!(
                "{}.{good_payload}.c2ln",
                b64(br#"{"alg":"RS256","kid":"k","crit":["b64"]}"#)
            ),
            "header.crit",
        ),
        (format!("{}.e30=.c2ln", b64(HEADER.as_bytes())), "payload"),
        (
            format!("{}.{good_payload}.c2ln=", b64(HEADER.as_bytes())),
            "signature",
        ),
        (
            format!("{}.{good_payload}.", b64(HEADER.as_bytes())),
            "signature",
        ),
        (
            format!("{}.{good_payload}.c2 ln", b64(HEADER.as_bytes())),
            "signature",
        ),
    ];
    for (t, path) in cases {
        let err = UnverifiedToken::parse(t.as_bytes()).unwrap_err();
        assert_eq!(
            (err.kind_name(), err.path()),
            ("malformed", path),
            "{t}: {err}"
        );
    }
    let long = "a".repeat(MAX_TOKEN_LEN + 1);
    assert_eq!(
        kind_of(UnverifiedToken::parse(long.as_bytes())).0,
        "malformed"
    );
}

#[test]
fn never_panics_on_arbitrary_input() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet = b"eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.-_=+/ {}\"\x00\xff";
    for _ in 0..20_000 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let len = (seed >> 33) as usize % 80;
        let mut bytes = Vec::with_capacity(len);
        for _ in 0..len {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            bytes.push(alphabet[(seed >> 40) as usize % alphabet.len()]);
        }
        if let Ok(t) = UnverifiedToken::parse(&bytes) {
            let _ = t.check_claims(&CallbackAuthPolicy::new("a"), 0.0);
        }
    }
}

#[test]
fn accepts_valid_claims_and_returns_them() {
    let claims = claims_result(&payload(NOW + 200.0), &CallbackAuthPolicy::new(APP), NOW).unwrap();
    assert_eq!(claims.tid.as_deref(), Some("tenant-a"));
    assert_eq!(claims.exp, Some(NOW + 200.0));
    assert_eq!(claims.iss.as_deref(), Some("https://graph.microsoft.com"));
}

#[test]
fn expiry_is_checked_with_the_skew() {
    let policy = CallbackAuthPolicy::new(APP);
    // exp + 300 s skew: valid strictly before it.
    assert!(claims_result(&payload(NOW - 299.0), &policy, NOW).is_ok());
    assert!(claims_result(&payload(NOW - 299.999), &policy, NOW).is_ok());
    let err = claims_result(&payload(NOW - 300.0), &policy, NOW).unwrap_err();
    assert_eq!(
        err.kind(),
        &AuthErrorKind::Expired {
            exp: NOW as i64 - 300,
            now: NOW as i64
        }
    );
    assert_eq!(err.path(), "payload.exp");
    assert_eq!(
        kind_of(claims_result(&payload(NOW - 301.0), &policy, NOW)).0,
        "expired"
    );
    // A smaller skew.
    let strict = CallbackAuthPolicy::new(APP).clock_skew_seconds(0);
    assert!(claims_result(&payload(NOW + 1.0), &strict, NOW).is_ok());
    assert_eq!(
        kind_of(claims_result(&payload(NOW), &strict, NOW)).0,
        "expired"
    );
}

#[test]
fn a_clock_that_is_not_a_number_fails_closed() {
    let policy = CallbackAuthPolicy::new(APP);
    assert_eq!(
        kind_of(claims_result(&payload(NOW + 100.0), &policy, f64::NAN)).0,
        "expired"
    );
}

#[test]
fn not_before_is_checked_with_the_skew() {
    let policy = CallbackAuthPolicy::new(APP);
    let with_nbf = |nbf: f64| {
        format!(
            r#"{{"iss":"https://graph.microsoft.com","aud":"{APP}","exp":{},"nbf":{nbf},"tid":"t"}}"#,
            nbf + 3600.0
        )
    };
    assert!(claims_result(&with_nbf(NOW + 300.0), &policy, NOW).is_ok());
    assert_eq!(
        kind_of(claims_result(&with_nbf(NOW + 301.0), &policy, NOW)),
        ("notYetValid".into(), "payload.nbf".into())
    );
}

#[test]
fn exp_is_required_and_claim_types_are_checked() {
    let policy = CallbackAuthPolicy::new(APP);
    let no_exp = format!(r#"{{"iss":"https://graph.microsoft.com","aud":"{APP}","tid":"t"}}"#);
    assert_eq!(
        kind_of(claims_result(&no_exp, &policy, NOW)),
        ("malformed".into(), "payload.exp".into())
    );
    let string_exp =
        format!(r#"{{"iss":"https://graph.microsoft.com","aud":"{APP}","exp":"soon","tid":"t"}}"#);
    assert_eq!(
        kind_of(claims_result(&string_exp, &policy, NOW)),
        ("malformed".into(), "payload.exp".into())
    );
    let bad_aud = r#"{"aud":[1],"exp":1}"#;
    assert_eq!(kind_of(claims_result(bad_aud, &policy, NOW)).0, "malformed");
    assert_eq!(
        kind_of(claims_result("[1,2]", &policy, NOW)),
        ("malformed".into(), "payload".into())
    );
    assert_eq!(
        kind_of(claims_result("{} x", &policy, NOW)),
        ("malformed".into(), "payload".into())
    );
    let tid_number = format!(
        r#"{{"iss":"https://graph.microsoft.com","aud":"{APP}","exp":{},"tid":7}}"#,
        NOW + 1.0
    );
    assert_eq!(
        kind_of(claims_result(&tid_number, &policy, NOW)),
        ("malformed".into(), "payload.tid".into())
    );
    // A duplicated claim takes its last value (RFC 7519 section 4).
    let dup = format!(
        r#"{{"iss":"https://graph.microsoft.com","aud":"{APP}","exp":1,"exp":{},"tid":"t"}}"#,
        NOW + 1.0
    );
    assert!(claims_result(&dup, &policy, NOW).is_ok());
}

#[test]
fn a_duplicated_header_member_takes_its_last_value() {
    let header = r#"{"alg":"none","alg":"RS256","kid":"a","kid":"b"}"#;
    let parsed = UnverifiedToken::parse(token(header, "{}", b"s").as_bytes()).unwrap();
    assert_eq!(parsed.kid(), "b");
    let header = r#"{"alg":"RS256","alg":"none","kid":"a"}"#;
    let err = UnverifiedToken::parse(token(header, "{}", b"s").as_bytes()).unwrap_err();
    assert_eq!(err.kind_name(), "unsupportedAlgorithm");
}

#[test]
fn issuers_ignore_one_trailing_slash_and_follow_the_cloud() {
    let with_iss = |iss: &str| {
        format!(
            r#"{{"iss":"{iss}","aud":"{APP}","exp":{},"tid":"t"}}"#,
            NOW + 60.0
        )
    };
    let global = CallbackAuthPolicy::new(APP);
    for ok in [
        "https://graph.microsoft.com",
        "https://graph.microsoft.com/",
        "https://api.botframework.com",
        "https://api.botframework.com/",
    ] {
        assert!(claims_result(&with_iss(ok), &global, NOW).is_ok(), "{ok}");
    }
    for bad in [
        "https://graph.microsoft.com//",
        "https://GRAPH.microsoft.com",
        "https://graph.microsoft.com.evil.example",
        "",
        "https://sts.windows.net/x/",
    ] {
        assert_eq!(
            kind_of(claims_result(&with_iss(bad), &global, NOW)),
            ("wrongIssuer".into(), "payload.iss".into()),
            "{bad}"
        );
    }
    let no_iss = format!(r#"{{"aud":"{APP}","exp":{},"tid":"t"}}"#, NOW + 60.0);
    assert_eq!(
        kind_of(claims_result(&no_iss, &global, NOW)).0,
        "wrongIssuer"
    );
    // Configured issuers with a trailing slash match tokens without one.
    let custom = CallbackAuthPolicy::new(APP).issuers(["https://issuer.example/"]);
    assert!(claims_result(&with_iss("https://issuer.example"), &custom, NOW).is_ok());
    assert_eq!(
        kind_of(claims_result(
            &with_iss("https://graph.microsoft.com"),
            &custom,
            NOW
        ))
        .0,
        "wrongIssuer"
    );
    let gov = CallbackAuthPolicy::from_json(
        format!(r#"{{"appId":"{APP}","cloud":"usGovL4"}}"#).as_bytes(),
    )
    .unwrap();
    assert!(claims_result(&with_iss(cloud_issuers(Cloud::UsGovL4)[0]), &gov, NOW).is_ok());
    assert_eq!(
        kind_of(claims_result(
            &with_iss("https://graph.microsoft.com"),
            &gov,
            NOW
        ))
        .0,
        "wrongIssuer"
    );
}

#[test]
fn audience_must_contain_the_app_id() {
    let with_aud = |aud: &str| {
        format!(
            r#"{{"iss":"https://graph.microsoft.com","aud":{aud},"exp":{},"tid":"t"}}"#,
            NOW + 60.0
        )
    };
    let policy = CallbackAuthPolicy::new(APP);
    assert!(claims_result(&with_aud(&format!(r#"["other","{APP}"]"#)), &policy, NOW).is_ok());
    for bad in [
        r#""other""#.to_owned(),
        "[]".to_owned(),
        format!(r#""{APP} ""#),
        "null".to_owned(),
    ] {
        assert_eq!(
            kind_of(claims_result(&with_aud(&bad), &policy, NOW)),
            ("wrongAudience".into(), "payload.aud".into()),
            "{bad}"
        );
    }
}

#[test]
fn tenant_is_required_and_optionally_restricted() {
    let with_tid = |tid: &str| {
        format!(
            r#"{{"iss":"https://graph.microsoft.com","aud":"{APP}","exp":{},"tid":{tid}}}"#,
            NOW + 60.0
        )
    };
    let open = CallbackAuthPolicy::new(APP);
    for missing in [r#""""#, r#""  ""#, "null"] {
        assert_eq!(
            kind_of(claims_result(&with_tid(missing), &open, NOW)),
            ("missingTenant".into(), "payload.tid".into())
        );
    }
    let no_tid = format!(
        r#"{{"iss":"https://graph.microsoft.com","aud":"{APP}","exp":{}}}"#,
        NOW + 60.0
    );
    assert_eq!(
        kind_of(claims_result(&no_tid, &open, NOW)).0,
        "missingTenant"
    );
    let restricted = CallbackAuthPolicy::new(APP).allowed_tenants(["AAAA-bbbb"]);
    assert!(claims_result(&with_tid(r#""aaaa-BBBB""#), &restricted, NOW).is_ok());
    assert_eq!(
        kind_of(claims_result(&with_tid(r#""cccc""#), &restricted, NOW)),
        ("tenantNotAllowed".into(), "payload.tid".into())
    );
    let none = CallbackAuthPolicy::new(APP).allowed_tenants(Vec::<String>::new());
    assert_eq!(
        kind_of(claims_result(&with_tid(r#""aaaa""#), &none, NOW)).0,
        "tenantNotAllowed"
    );
}

#[test]
fn policy_options_are_validated() {
    let err = |json: &str| {
        let e = CallbackAuthPolicy::from_json(json.as_bytes()).unwrap_err();
        (e.kind_name().to_owned(), e.path().to_owned())
    };
    assert_eq!(err("{}"), ("missingField".into(), "appId".into()));
    assert_eq!(
        err(r#"{"appId":" "}"#),
        ("emptyValue".into(), "appId".into())
    );
    assert_eq!(
        err(r#"{"appId":"a","audience":"b"}"#),
        ("unknownOption".into(), "audience".into())
    );
    assert_eq!(
        err(r#"{"appId":"a","cloud":"mars"}"#),
        ("unknownCloud".into(), "cloud".into())
    );
    assert_eq!(
        err(r#"{"appId":"a","cloud":"china","issuers":["x"]}"#),
        ("conflictingOptions".into(), "cloud".into())
    );
    assert_eq!(
        err(r#"{"appId":"a","issuers":[]}"#),
        ("emptyValue".into(), "issuers".into())
    );
    assert_eq!(
        err(r#"{"appId":"a","issuers":["x","/"]}"#),
        ("emptyValue".into(), "issuers[1]".into())
    );
    assert_eq!(
        err(r#"{"appId":"a","clockSkewSeconds":3601}"#),
        ("outOfRange".into(), "clockSkewSeconds".into())
    );
    assert_eq!(
        err(r#"{"appId":"a","clockSkewSeconds":-1}"#).0,
        "invalidType"
    );
    let ok = CallbackAuthPolicy::from_json(
        br#"{"appId":"a","issuers":["https://i/"],"allowedTenants":["t"],"clockSkewSeconds":0}"#,
    )
    .unwrap();
    assert_eq!(
        ok,
        CallbackAuthPolicy::new("a")
            .issuers(["https://i"])
            .allowed_tenants(["t"])
            .clock_skew_seconds(0)
    );
}

fn rsa_jwk(kid: &str, bits: usize, extra: &str) -> String {
    let mut n = vec![0xc5u8; bits / 8];
    n[bits / 8 - 1] |= 1;
    format!(
        r#"{{"kid":"{kid}","kty":"RSA","n":"{}","e":"AQAB"{extra}}}"#,
        b64(&n)
    )
}

#[test]
fn reads_usable_rsa_signing_keys_from_a_jwks() {
    let even_exponent = format!(
        r#"{{"kid":"even","kty":"RSA","n":"{}","e":"AQAA"}}"#,
        b64(&[0xc5; 256])
    );
    let keys: Vec<String> = vec![
        rsa_jwk("ok", 2048, r#","use":"sig","alg":"RS256","x5c":["..."]"#),
        rsa_jwk("small", 1024, ""),
        rsa_jwk("huge", 16384, ""),
        rsa_jwk("enc", 2048, r#","use":"enc""#),
        rsa_jwk("ps", 2048, r#","alg":"PS256""#),
        rsa_jwk("ops", 2048, r#","key_ops":["encrypt"]"#),
        r#"{"kid":"ec","kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#.to_owned(),
        r#"{"kid":"oct","kty":"oct","k":"c2VjcmV0"}"#.to_owned(),
        even_exponent,
        r#"{"kid":"badn","kty":"RSA","n":"!!","e":"AQAB"}"#.to_owned(),
        r#"{"kty":"RSA"}"#.to_owned(),
        "7".to_owned(),
        rsa_jwk("ok2", 4096, r#","key_ops":["verify"]"#),
    ];
    let set = format!(r#"{{"keys":[{}]}}"#, keys.join(","));
    let keys = read_jwks(set.as_bytes()).unwrap();
    let usable: Vec<&str> = keys
        .iter()
        .filter(|k| k.is_usable())
        .map(|k| k.kid.as_str())
        .collect();
    assert_eq!(usable, ["ok", "ok2"]);
    let why = |kid: &str| {
        keys.iter()
            .find(|k| k.kid == kid)
            .unwrap()
            .unusable
            .clone()
            .unwrap()
    };
    assert!(why("small").contains("1024 bits"), "{}", why("small"));
    assert!(why("huge").contains("16384 bits"));
    assert!(why("enc").contains("use"));
    assert!(why("ps").contains("PS256"));
    assert!(why("ops").contains("key_ops"));
    assert!(why("ec").contains("EC"));
    assert!(why("oct").contains("oct"));
    assert!(why("even").contains("exponent"));
    assert!(why("badn").starts_with("n:"));
    // Keys without a kid (and non-objects) cannot be selected and are left out.
    assert_eq!(keys.len(), 11);
    // A usable key with the same kid as an unusable one comes first.
    let dup = format!(
        r#"{{"keys":[{},{}]}}"#,
        rsa_jwk("d", 1024, ""),
        rsa_jwk("d", 2048, "")
    );
    assert!(read_jwks(dup.as_bytes()).unwrap()[0].is_usable());
}

#[test]
fn refuses_documents_that_are_not_key_sets() {
    for bad in ["", "[]", "{}", r#"{"keys":{}}"#, "not json"] {
        assert_eq!(
            kind_of(read_jwks(bad.as_bytes())),
            ("keyFetchFailed".into(), "keys".into()),
            "{bad}"
        );
    }
}

#[test]
fn finds_the_jwks_uri_in_an_openid_configuration() {
    assert_eq!(
        jwks_uri(br#"{"jwks_uri":"http://127.0.0.1:9/keys?x=1"}"#).unwrap(),
        "http://127.0.0.1:9/keys?x=1"
    );
    for bad in [
        r#"{}"#,
        r#"{"jwks_uri":5}"#,
        r#"{"jwks_uri":"ftp://x/keys"}"#,
        r#"{"jwks_uri":"http://10.0.0.1/keys"}"#,
        r#"{"jwks_uri":"https://u:p@x/keys"}"#,
        r#"{"jwks_uri":"https://x/keys#f"}"#,
        "[]",
    ] {
        assert_eq!(
            kind_of(jwks_uri(bad.as_bytes())).0,
            "keyFetchFailed",
            "{bad}"
        );
    }
}

#[test]
fn base64url_is_strict() {
    assert_eq!(
        base64url_decode(b64(b"hello?>").as_bytes()).unwrap(),
        b"hello?>"
    );
    assert!(base64url_decode(b"aGVsbG8/Pg==").is_err());
    assert!(base64url_decode(b"aGVsbG8/Pg").is_err());
}

#[test]
fn messages_quote_the_algorithm_and_key_members_as_json_strings() {
    let header = r#"{"alg":"HS\"256\\","kid":"a"}"#;
    let err = UnverifiedToken::parse(token(header, "{}", b"s").as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"header.alg: algorithm "HS\"256\\" is not accepted; only RS256 is"#
    );
    let keys = read_jwks(
        br#"{"keys":[{"kid":"a","kty":"E\nC"},{"kid":"b","kty":"RSA","use":"enc"},{"kid":"c","kty":"RSA","alg":"PS256"}]}"#,
    )
    .unwrap();
    let why: Vec<_> = keys
        .iter()
        .map(|k| k.unusable.as_deref().unwrap())
        .collect();
    assert_eq!(
        why,
        [
            r#"kty is "E\nC", not RSA"#,
            r#"use is "enc", not "sig""#,
            r#"alg is "PS256", not "RS256""#
        ]
    );
}
