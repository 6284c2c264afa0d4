//! The simulator's JSON bodies, written by hand in the member order of the Graph docs, and the
//! date formats Graph uses.

/// Appends `value` as a JSON string literal.
fn push_json_string(out: &mut String, value: &str) {
    if !value.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push('"');
        out.push_str(value);
        out.push('"');
    } else if let Ok(text) = serde_json::to_string(value) {
        // serde_json escapes exactly as JSON requires; a `&str` always serializes.
        out.push_str(&text);
    }
}

/// A today's-dialect (v1.0 and beta) call notification.
pub(super) enum Today<'a> {
    /// `changeType: updated` with this `state`.
    State(&'static str),
    /// `changeType: deleted`, `state: terminated`, `terminationReason: AppTransferred`.
    TerminatedAppTransferred,
    /// `changeType: deleted`, `state: terminated`, `resultInfo {0, 7015, GracefulTransferCompleted}`.
    TerminatedGraceful,
    /// `state: established` with `resultInfo {500, subCode}` and maybe `replacesContext`.
    Failed {
        subcode: i64,
        replaces_context: Option<&'a str>,
    },
}

pub(super) fn notification_today(call_id: &str, what: Today<'_>) -> String {
    let mut out = String::with_capacity(360);
    out.push_str(r##"{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":""##);
    out.push_str(match what {
        Today::TerminatedAppTransferred | Today::TerminatedGraceful => "deleted",
        _ => "updated",
    });
    out.push_str(r#"","resourceUrl":"/communications/calls/"#);
    out.push_str(call_id);
    out.push_str(r##"","resourceData":{"@odata.type":"#microsoft.graph.call","state":"##);
    match what {
        Today::State(state) => {
            push_json_string(&mut out, state);
        }
        Today::TerminatedAppTransferred => {
            out.push_str(r#""terminated","terminationReason":"AppTransferred""#);
        }
        Today::TerminatedGraceful => {
            out.push_str(r##""terminated","resultInfo":{"@odata.type":"#microsoft.graph.resultInfo","code":0,"subcode":7015,"message":"GracefulTransferCompleted"}"##);
        }
        Today::Failed {
            subcode,
            replaces_context,
        } => {
            out.push_str(r##""established","resultInfo":{"@odata.type":"#microsoft.graph.resultInfo","code":500,"subCode":"##);
            out.push_str(&subcode.to_string());
            out.push_str(r#","message":"#);
            push_json_string(&mut out, failure_message(subcode));
            out.push('}');
            if let Some(context) = replaces_context {
                out.push_str(r#","replacesContext":"#);
                push_json_string(&mut out, context);
            }
        }
    }
    out.push_str("}}]}");
    out
}

/// A 2018-beta call notification.
pub(super) enum Old {
    /// `changeType: updated` with this `callState`.
    CallState(&'static str),
    /// `callState: terminated`, `terminationReason: AppTransferred`.
    TerminatedAppTransferred,
    /// `callState: terminated` with `resultInfo {0, 7015, GracefulTransferCompleted}`.
    TerminatedGraceful,
    /// `callState: established` with `resultInfo {500, subCode}`.
    Failed(i64),
    /// `changeType: deleted`: bare, or with `callState: terminated` + `AppInitiated`.
    Deleted { bare: bool },
}

pub(super) fn notification_2018(call_id: &str, etag: u64, what: Old) -> String {
    let mut out = String::with_capacity(320);
    out.push_str(r#"{"value":[{"changeType":""#);
    out.push_str(if matches!(what, Old::Deleted { .. }) {
        "deleted"
    } else {
        "updated"
    });
    out.push_str(r#"","resource":"/app/calls/"#);
    out.push_str(call_id);
    out.push_str(
        r##"","resourceData":{"@odata.type":"#microsoft.graph.call","@odata.id":"/app/calls/"##,
    );
    out.push_str(call_id);
    out.push_str(r#"","@odata.etag":"W/\""#);
    out.push_str(&etag.to_string());
    out.push_str(r#"\"""#);
    match what {
        Old::CallState(state) => {
            out.push_str(r#","callState":"#);
            push_json_string(&mut out, state);
        }
        Old::TerminatedAppTransferred => {
            out.push_str(r#","callState":"terminated","terminationReason":"AppTransferred""#)
        }
        Old::TerminatedGraceful => out.push_str(r#","callState":"terminated","resultInfo":{"code":0,"subcode":7015,"message":"GracefulTransferCompleted"}"#),
        Old::Failed(subcode) => {
            out.push_str(r#","callState":"established","resultInfo":{"code":500,"subCode":"#);
            out.push_str(&subcode.to_string());
            out.push_str(r#","message":"#);
            push_json_string(&mut out, failure_message(subcode));
            out.push('}');
        }
        Old::Deleted { bare: true } => {}
        Old::Deleted { bare: false } => {
            out.push_str(r#","callState":"terminated","terminationReason":"AppInitiated""#)
        }
    }
    out.push_str("}}]}");
    out
}

fn failure_message(subcode: i64) -> &'static str {
    if subcode == 7700 {
        "Simulated consultative transfer failure: the call to replace could not be joined"
    } else {
        "Simulated transfer failure: the target did not take the call"
    }
}

/// The 2018 beta's `commsOperation` answer, members in the order of its docs.
pub(super) fn comms_operation(
    client_context: Option<&str>,
    when: &str,
    id: &str,
    status: &str,
) -> String {
    let mut out = String::with_capacity(200);
    out.push('{');
    if let Some(context) = client_context {
        out.push_str(r#""clientContext":"#);
        push_json_string(&mut out, context);
        out.push(',');
    }
    out.push_str(r#""createdDateTime":""#);
    out.push_str(when);
    out.push_str(r#"","id":""#);
    out.push_str(id);
    out.push_str(r#"","lastActionDateTime":""#);
    out.push_str(when);
    out.push_str(r#"","status":"#);
    push_json_string(&mut out, status);
    out.push('}');
    out
}

/// Graph's error envelope.
pub(super) fn error_envelope(
    code: &str,
    message: &str,
    date: &str,
    request_id: &str,
    client_request_id: Option<&str>,
) -> String {
    let mut out = String::with_capacity(160 + message.len());
    out.push_str(r#"{"error":{"code":"#);
    push_json_string(&mut out, code);
    out.push_str(r#","message":"#);
    push_json_string(&mut out, message);
    out.push_str(r#","innerError":{"date":"#);
    push_json_string(&mut out, date);
    out.push_str(r#","request-id":"#);
    push_json_string(&mut out, request_id);
    if let Some(id) = client_request_id {
        out.push_str(r#","client-request-id":"#);
        push_json_string(&mut out, id);
    }
    out.push_str("}}}");
    out
}

/// Two 64-bit values as 32 hex digits.
pub(super) fn hex(a: u64, b: u64, upper: bool) -> String {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = String::with_capacity(32);
    for word in [a, b] {
        for shift in (0..16).rev() {
            out.push(digits[((word >> (shift * 4)) & 0xF) as usize] as char);
        }
    }
    out
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn push2(out: &mut String, n: u64) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

fn clock(out: &mut String, secs: u64) {
    push2(out, secs / 3600 % 24);
    out.push(':');
    push2(out, secs / 60 % 60);
    out.push(':');
    push2(out, secs % 60);
}

/// `now_ms` (milliseconds since the Unix epoch) as ISO 8601 UTC without fractions, the form of
/// Graph's `createdDateTime` examples: `2018-03-19T09:46:02Z`.
///
/// ```
/// assert_eq!(graph_call_transfer::simulate::iso_date_time(1_521_452_762_000), "2018-03-19T09:46:02Z");
/// ```
pub fn iso_date_time(now_ms: u64) -> String {
    let secs = now_ms / 1000;
    let (year, month, day) = civil((secs / 86_400) as i64);
    let mut out = String::with_capacity(20);
    out.push_str(&year.to_string());
    out.push('-');
    push2(&mut out, u64::from(month));
    out.push('-');
    push2(&mut out, u64::from(day));
    out.push('T');
    clock(&mut out, secs);
    out.push('Z');
    out
}

/// `now_ms` as an HTTP date (IMF-fixdate), the form of the `Date` header:
/// `Mon, 19 Mar 2018 09:46:02 GMT`.
///
/// ```
/// assert_eq!(graph_call_transfer::simulate::http_date(1_521_452_762_000), "Mon, 19 Mar 2018 09:46:02 GMT");
/// ```
pub fn http_date(now_ms: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = now_ms / 1000;
    let days = secs / 86_400;
    let (year, month, day) = civil(days as i64);
    let mut out = String::with_capacity(29);
    out.push_str(DAYS[(days % 7) as usize]);
    out.push_str(", ");
    push2(&mut out, u64::from(day));
    out.push(' ');
    out.push_str(MONTHS[(month - 1) as usize]);
    out.push(' ');
    out.push_str(&year.to_string());
    out.push(' ');
    clock(&mut out, secs);
    out.push_str(" GMT");
    out
}
