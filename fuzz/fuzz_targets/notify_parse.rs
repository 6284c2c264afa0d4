//! Fuzzes the notification parser: never panics, and when it accepts a body every offset it
//! returns is inside the body and every string decodes; its verdict on JSON validity agrees with
//! serde_json for bodies within the limits.
#![no_main]

use graph_call_transfer::notify::raw::{parse_raw, RawCode};
use graph_call_transfer::notify::{parse_notifications_with, ParseLimits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks small limits sometimes, so the limit paths are exercised too.
    let (limits, body) = match data.split_first() {
        Some((&sel, rest)) if sel < 16 => (
            ParseLimits {
                max_bytes: rest.len().saturating_sub(usize::from(sel & 1)),
                max_depth: usize::from(sel),
                max_items: usize::from(sel >> 1),
            },
            rest,
        ),
        _ => (ParseLimits::default(), data),
    };
    let raw = parse_raw(body, &limits);
    let full = parse_notifications_with(body, &limits);
    assert_eq!(raw.is_ok(), full.is_ok());
    if let Ok(batch) = &raw {
        let text = std::str::from_utf8(body).expect("accepted bodies are UTF-8");
        let inside = |r: &graph_call_transfer::notify::raw::TextRef| {
            assert!(r.start <= r.end && r.end <= body.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            let _ = r.text(text);
        };
        for e in &batch.entries {
            for r in [
                e.change_type_ref, e.resource_url, e.call_id, e.odata_type, e.etag, e.state_ref,
                e.termination_reason, e.client_context, e.operation_status_ref, e.tone,
            ]
            .iter()
            .flatten()
            {
                inside(r);
            }
            if let Some(ri) = e.result_info {
                for c in [ri.code, ri.subcode].iter().flatten() {
                    match c {
                        RawCode::Int { at, value } => {
                            inside(at);
                            assert!(value.unsigned_abs() < (1 << 53));
                        }
                        RawCode::Text(at) => inside(at),
                    }
                }
                if let Some(m) = &ri.message {
                    inside(m);
                }
            }
            if let Some((a, b)) = e.resource_data {
                assert!(a <= b && b <= body.len());
                // resourceData is kept verbatim and is itself valid JSON.
                let slice = &text[a..b];
                assert!(serde_json::from_str::<serde::de::IgnoredAny>(slice).is_ok() || slice.len() > 100_000);
            }
        }
        let full = full.as_ref().unwrap();
        assert_eq!(full.notifications.len(), batch.entries.len());
        assert_eq!(full.errors.len(), batch.errors.len());
        assert!(batch.entries.len() + batch.errors.len() <= limits.max_items);
    }
    // Within the default limits, "is it JSON" must match serde_json (which nests at most 128).
    if limits == ParseLimits::default() {
        let theirs = serde_json::from_slice::<serde::de::IgnoredAny>(body);
        match &raw {
            Ok(_) => assert!(theirs.is_ok(), "accepted what serde_json rejects: {theirs:?}"),
            Err(e) if e.kind_name() == "invalidJson" && theirs.is_ok() => {
                panic!("rejected valid JSON: {e}")
            }
            Err(_) => {}
        }
    }
});
