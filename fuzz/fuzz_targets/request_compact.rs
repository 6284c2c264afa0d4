//! Fuzzes `request::check_compact`, the quick accept-only pass for compact JSON bodies: it never
//! panics or hangs; an error is always exactly `check`'s; whatever `check` accepts it accepts;
//! and on compact valid JSON (the input itself when it is, and the input re-serialized compactly
//! when it parses) it gives exactly `check`'s result.
#![no_main]

use graph_call_transfer::request::{check, check_compact, HeadOptions};
use graph_call_transfer::Error;
use libfuzzer_sys::fuzz_target;

fn outcome(result: &Result<(), Error>) -> Option<(&'static str, String, String)> {
    result
        .as_ref()
        .err()
        .map(|e| (e.kind_name(), e.path().to_owned(), e.to_string()))
}

/// Valid UTF-8 JSON without whitespace outside strings.
fn is_compact_json(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_err()
        || serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err()
    {
        return false;
    }
    let (mut in_string, mut escaped) = (false, false);
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

fn compare(head: &HeadOptions<'_>, body: &[u8]) {
    let quick = check_compact(head, body);
    let full = check(head, body);
    if quick.is_err() || full.is_ok() || is_compact_json(body) {
        assert_eq!(outcome(&quick), outcome(&full), "{}", String::from_utf8_lossy(body));
    }
}

fuzz_target!(|data: &[u8]| {
    let (version, body) = match data.split_first() {
        Some((&sel, rest)) => (["v1.0", "beta", "beta-2018"][usize::from(sel % 3)], rest),
        None => ("v1.0", data),
    };
    let head = HeadOptions {
        call_id: Some("c1"),
        api_version: Some(version),
        ..HeadOptions::default()
    };
    compare(&head, body);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        if let Ok(compact) = serde_json::to_vec(&value) {
            compare(&head, &compact);
        }
    }
});
