//! Native timing of `build_from_json` and its stages (profiling the core without the JS boundary).
//! `cargo run --release --example bench_build`
use std::time::Instant;

use graph_call_transfer::TransferOptions;

fn time(name: &str, n: u32, mut f: impl FnMut() -> usize) {
    let start = Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += f();
    }
    let ns = start.elapsed().as_nanos() as f64 / f64::from(n);
    println!("{name}: {ns:.0} ns ({total})");
}

fn main() {
    let input = br#"{"callId":"341a0500-d4bf-4224-8b19-1581168d328b","transferTarget":{"endpointType":"default","identity":{"user":{"id":"550fae72-d251-43ec-868c-373732c2704f","displayName":"Heidi Steen"}}}}"#;
    let n: u32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    if std::env::var("ONLY_BODY").is_ok() {
        let body = br#"{"transferTarget":{"identity":{"user":{"id":"u"}}}}"#;
        time("validate_body", n, || {
            usize::from(
                graph_call_transfer::validate_body(body, graph_call_transfer::ApiVersion::V1)
                    .is_ok(),
            )
        });
        return;
    }
    if std::env::var("ONLY_CHECK").is_ok() {
        // What JavaScript's buildTransferRequest runs in wasm (benches/request.mjs, first case).
        let head = graph_call_transfer::request::HeadOptions {
            call_id: Some("341a0500-d4bf-4224-8b19-1581168d328b"),
            ..Default::default()
        };
        let body = br#"{"transferTarget":{"endpointType":"default","identity":{"user":{"id":"550fae72-d251-43ec-868c-373732c2704f","displayName":"Heidi Steen"}}}}"#;
        if std::env::var("FULL").is_ok() {
            time("check", n, || {
                usize::from(graph_call_transfer::request::check(&head, body).is_ok())
            });
        } else {
            // Exactly what the wasm export runs: the head strings and the body in one buffer.
            let mut input = head.call_id.unwrap_or_default().as_bytes().to_vec();
            input.extend_from_slice(body);
            let lengths = [Some(36), None, None, None, None];
            time("from_utf16_lengths + check_compact", n, || {
                let input = std::hint::black_box(&input[..]);
                usize::from(
                    graph_call_transfer::request::HeadOptions::from_utf16_lengths(input, lengths)
                        .and_then(|(head, body)| {
                            graph_call_transfer::request::check_compact(&head, body)
                        })
                        .is_ok(),
                )
            });
        }
        return;
    }
    if std::env::var("ONLY_BUILD").is_ok() {
        time("build_from_json", n, || {
            graph_call_transfer::build_from_json(input)
                .map(|r| r.body.len())
                .unwrap_or(0)
        });
        return;
    }
    time("options from_json", n, || {
        TransferOptions::from_json(input)
            .map(|o| o.call_id.map_or(0, |c| c.len()))
            .unwrap_or(0)
    });
    let options = TransferOptions::from_json(input).unwrap();
    time("into_builder + build", n, || {
        options
            .clone()
            .into_builder()
            .and_then(|b| b.build())
            .map(|r| r.body.len())
            .unwrap_or(0)
    });
    time("serde_json::from_slice::<Value>", n, || {
        serde_json::from_slice::<serde_json::Value>(input)
            .map(|v| v.as_object().map_or(0, |o| o.len()))
            .unwrap_or(0)
    });
    time("build_from_json", n, || {
        graph_call_transfer::build_from_json(input)
            .map(|r| r.body.len())
            .unwrap_or(0)
    });
}
