//! Fuzzes the transfer tracker: arbitrary bytes become a sequence of operations (register,
//! notifications from a small vocabulary plus raw fuzzed bodies, ticks, JSON round trips) over
//! a few calls. Never panics; final phases are never left; phases never move backwards; the
//! state survives a JSON round trip unchanged.
#![no_main]

use graph_call_transfer::notify::{
    parse_notifications, TrackerOptions, TransferPhase, TransferTracker,
};
use libfuzzer_sys::fuzz_target;

const CALLS: [&str; 3] = ["a", "b", "c"];

fn body(call: &str, kind: u8) -> String {
    let data = match kind % 9 {
        0 => r#""state":"transferring""#.to_owned(),
        1 => r#""state":"transferAccepted""#.to_owned(),
        2 => r#""callState":"transfer-accepted""#.to_owned(),
        3 => r#""state":"terminated","resultInfo":{"code":0,"subcode":7015}"#.to_owned(),
        4 => r#""state":"terminated","terminationReason":"AppTransferred""#.to_owned(),
        5 => r#""state":"established","resultInfo":{"code":500,"subCode":"7000"}"#.to_owned(),
        6 => r#""state":"somethingNew""#.to_owned(),
        7 => r#""state":"established""#.to_owned(),
        _ => r#""@odata.type":"commsOperation","status":"failed","clientContext":"ctx""#.to_owned(),
    };
    let change = if kind & 16 != 0 { "deleted" } else { "updated" };
    format!(
        r#"{{"value":[{{"changeType":"{change}","resourceUrl":"/communications/calls/{call}","resourceData":{{{data}}}}}]}}"#
    )
}

fn rank(p: TransferPhase) -> u8 {
    match p {
        TransferPhase::Requested | TransferPhase::Stalled => 0,
        TransferPhase::Transferring => 1,
        TransferPhase::Accepted => 2,
        _ => 3,
    }
}

fuzz_target!(|data: &[u8]| {
    let mut t = TransferTracker::new(TrackerOptions {
        stall_after_ms: 100,
        max_message_ids: 8,
        max_early_per_call: 2,
        max_early_calls: 2,
    });
    let mut now = 0u64;
    let mut i = 0;
    while i + 1 < data.len() {
        let (op, arg) = (data[i], data[i + 1]);
        i += 2;
        let call = CALLS[usize::from(arg % 3)];
        let before = t.get(call).map(|x| (x.phase, x.progress));
        match op % 6 {
            0 => {
                let ctx = (arg & 4 != 0).then_some("ctx");
                let _ = t.register(call, ctx, now);
                continue;
            }
            1 | 2 => {
                let text = body(call, arg >> 2);
                let mid = format!("m{}", arg & 7);
                let batch = parse_notifications(text.as_bytes()).expect("vocabulary parses");
                for n in &batch.notifications {
                    t.observe(n, (op & 8 != 0).then_some(mid.as_str()), now);
                }
            }
            3 => {
                now += u64::from(arg);
                t.tick(now);
            }
            4 => {
                // A fuzzed body: the rest of the input, up to the next 0xFF.
                let end = data[i..].iter().position(|&b| b == 0xFF).map_or(data.len(), |p| i + p);
                if let Ok(batch) = parse_notifications(&data[i..end]) {
                    for n in &batch.notifications {
                        t.observe(n, None, now);
                    }
                }
                i = end;
            }
            _ if arg & 7 == 0 => t = round_trip(&t),
            _ => {
                now += 1;
            }
        }
        if let (Some((phase, progress)), Some(after)) = (before, t.get(call)) {
            if phase.is_terminal() {
                assert_eq!(after.phase, phase, "a final phase was left");
            }
            assert!(rank(after.progress) >= rank(progress), "progress went backwards");
        }
    }
    round_trip(&t);
});

/// The state survives JSON unchanged (serialization is costly, so not after every step).
fn round_trip(t: &TransferTracker) -> TransferTracker {
    let json = t.to_json().expect("serializable");
    // The hand-written writer is byte for byte what the serde derives write.
    assert_eq!(json, serde_json::to_string(t).expect("serde serializes"));
    let back = TransferTracker::from_json(json.as_bytes()).expect("round trip");
    assert_eq!(&back, t);
    back
}
