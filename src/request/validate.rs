//! Validation rules, as pure functions with named limits (twilight-validate style).
//!
//! Each function returns the first problem it finds as an [`Error`] whose path is relative to the
//! value it was given; callers prefix it with [`Error::within`].

use super::view::{self, join, ParticipantView, TargetView};
use crate::error::{Error, ErrorKind};

/// Graph's limit on `clientContext`, in characters.
pub const CLIENT_CONTEXT_MAX_CHARS: usize = 256;
/// The longest call id accepted, in characters (Graph's are 36-character GUIDs or a little longer).
pub const CALL_ID_MAX_CHARS: usize = 256;
/// The longest `client-request-id` accepted, in characters.
pub const CLIENT_REQUEST_ID_MAX_CHARS: usize = 128;
/// The longest id accepted inside an identity or as `replacesCallId` / `participantId`.
pub const ID_MAX_CHARS: usize = 1024;

/// Identity members whose `id` is required when present.
const MEMBERS_REQUIRING_ID: [&str; 6] = [
    "user",
    "application",
    "applicationInstance",
    "phone",
    "guest",
    "azureCommunicationServicesUser",
];

/// The bytes allowed in a call id: ASCII letters, digits, `-`, `.`, `_`, `~`.
const URL_SAFE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Whether every byte is in [`URL_SAFE`]: eight at a time without a branch per byte.
#[inline]
fn url_safe(bytes: &[u8]) -> bool {
    let safe = |b: &u8| URL_SAFE[usize::from(*b)];
    let mut chunks = bytes.chunks_exact(8);
    let mut ok = true;
    for c in &mut chunks {
        ok &= safe(&c[0])
            & safe(&c[1])
            & safe(&c[2])
            & safe(&c[3])
            & safe(&c[4])
            & safe(&c[5])
            & safe(&c[6])
            & safe(&c[7]);
    }
    ok && chunks.remainder().iter().all(safe)
}

/// Checks that `call_id` is a non-empty, URL-safe path segment.
///
/// # Errors
/// [`ErrorKind::EmptyValue`], [`ErrorKind::TooLong`] or [`ErrorKind::UnsafeCallId`] (any character
/// other than ASCII letters, digits, `-`, `.`, `_`, `~`, or the segments `.` and `..`).
pub fn call_id(call_id: &str) -> Result<(), Error> {
    // Fast path: a short id of safe ASCII only, not `.` or `..`.
    if !call_id.is_empty()
        && call_id.len() <= CALL_ID_MAX_CHARS
        && url_safe(call_id.as_bytes())
        && call_id != "."
        && call_id != ".."
    {
        return Ok(());
    }
    if call_id.trim().is_empty() {
        return Err(Error::new(ErrorKind::EmptyValue, ""));
    }
    max_chars(call_id, CALL_ID_MAX_CHARS)?;
    if let Some(character) = call_id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')))
    {
        return Err(Error::new(ErrorKind::UnsafeCallId { character }, ""));
    }
    if call_id == "." || call_id == ".." {
        return Err(Error::new(ErrorKind::UnsafeCallId { character: '.' }, ""));
    }
    Ok(())
}

/// Checks that `value` is an E.164 number: `+`, then 2 to 15 digits, the first not `0`.
///
/// # Errors
/// [`ErrorKind::NotE164`].
pub fn e164(value: &str) -> Result<(), Error> {
    let digits = value.strip_prefix('+').unwrap_or("");
    let ok = (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::NotE164 {
                value: value.to_owned(),
            },
            "",
        ))
    }
}

/// Checks one identity-set member `name` whose `id` is `id`: the members that need an `id` have a
/// non-empty one; `phone.id` is E.164. Paths are relative to the identity set.
pub(crate) fn identity_member(name: &str, id: Option<&str>) -> Result<(), Error> {
    match id {
        None if MEMBERS_REQUIRING_ID.contains(&name) => {
            Err(Error::new(ErrorKind::MissingField, join(name, "id")))
        }
        Some(id) => {
            non_empty(id)
                .and_then(|()| max_chars(id, ID_MAX_CHARS))
                .map_err(|e| e.within(&join(name, "id")))?;
            if name == "phone" {
                e164(id).map_err(|e| e.within("phone.id"))?;
            }
            Ok(())
        }
        None => Ok(()),
    }
}

pub(crate) fn target_view(target: &TargetView<'_>) -> Result<(), Error> {
    match &target.identity {
        None => return Err(Error::new(ErrorKind::MissingIdentity, "identity")),
        Some(Err(e)) => return Err(e.clone().within("identity")),
        Some(Ok(())) => {}
    }
    // A known documentation mistake (the v1.0 group-call example) nests `transferee` inside the
    // target, where Graph would ignore it and transfer the wrong participant.
    if target.transferee {
        return Err(Error::new(
            ErrorKind::MisplacedField {
                belongs: "the top level of the body, beside transferTarget",
            },
            "transferee",
        ));
    }
    optional_id(target.replaces_call_id.as_deref(), "replacesCallId")?;
    optional_id(target.language_id.as_deref(), "languageId")?;
    optional_id(target.region.as_deref(), "region")?;
    optional_id(target.participant_id.as_deref(), "participantId")?;
    Ok(())
}

pub(crate) fn transferee_view(transferee: &ParticipantView<'_>) -> Result<(), Error> {
    match &transferee.identity {
        None => return Err(Error::new(ErrorKind::MissingIdentity, "identity")),
        Some(Err(e)) => return Err(e.clone().within("identity")),
        Some(Ok(())) => {}
    }
    match transferee.participant_id.as_deref() {
        None => Err(Error::new(ErrorKind::MissingField, "participantId")),
        Some(id) => optional_id(Some(id), "participantId"),
    }
}

/// Checks a transfer target given as JSON (Graph's `invitationParticipantInfo` shape): an identity
/// with at least one member is required; the members that need an `id` (user, application,
/// applicationInstance, phone, guest, azureCommunicationServicesUser) have a non-empty one;
/// `phone.id` is E.164; `replacesCallId`, `languageId`, `region` and `participantId` are not empty
/// when present; `transferee` is not nested inside it.
///
/// # Errors
/// [`ErrorKind::MissingIdentity`], [`ErrorKind::MissingField`], [`ErrorKind::EmptyValue`],
/// [`ErrorKind::NotE164`], [`ErrorKind::TooLong`], [`ErrorKind::MisplacedField`], or
/// [`ErrorKind::InvalidJson`] / [`ErrorKind::InvalidType`], with the path relative to the target.
pub fn transfer_target(json: &str) -> Result<(), Error> {
    let mut target = TargetView::default();
    view::value(json, |s| view::target(s, &mut target))?;
    target_view(&target)
}

/// Checks a transferee given as JSON (Graph's `participantInfo` shape): it needs an identity (as
/// for [`transfer_target`]) and a non-empty `participantId`.
///
/// # Errors
/// [`ErrorKind::MissingIdentity`] at `identity`, [`ErrorKind::MissingField`] at `participantId`,
/// the identity errors of [`transfer_target`], and decoding errors.
pub fn transferee(json: &str) -> Result<(), Error> {
    let mut transferee = ParticipantView::default();
    view::value(json, |s| view::participant(s, &mut transferee))?;
    transferee_view(&transferee)
}

/// Checks `clientContext`: not empty, at most [`CLIENT_CONTEXT_MAX_CHARS`] characters.
///
/// # Errors
/// [`ErrorKind::EmptyValue`], [`ErrorKind::TooLong`].
pub fn client_context(value: &str) -> Result<(), Error> {
    non_empty(value)?;
    max_chars(value, CLIENT_CONTEXT_MAX_CHARS)
}

/// Checks a `client-request-id` header value: not empty, at most
/// [`CLIENT_REQUEST_ID_MAX_CHARS`] visible ASCII characters.
///
/// # Errors
/// [`ErrorKind::EmptyValue`], [`ErrorKind::TooLong`], [`ErrorKind::InvalidHeaderValue`].
pub fn client_request_id(value: &str) -> Result<(), Error> {
    non_empty(value)?;
    max_chars(value, CLIENT_REQUEST_ID_MAX_CHARS)?;
    if value.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::InvalidHeaderValue, ""))
    }
}

/// Checks and normalises a custom base URL: `https://host[:port][/path]`, or `http://` to a
/// loopback host (`localhost`, `127.x.x.x`, `[::1]`) for local simulators. Returns it without a
/// trailing slash.
///
/// # Errors
/// [`ErrorKind::InvalidBaseUrl`] with the reason.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn base_url(value: &str) -> Result<String, Error> {
    // Byte searches only: `char` patterns link core's `CharSearcher` into the wasm.
    let fail = |reason| Err(Error::new(ErrorKind::InvalidBaseUrl { reason }, ""));
    let Some(end) = scheme_end(value) else {
        return fail("expected an absolute URL such as https://graph.microsoft.com");
    };
    let (scheme, rest) = (&value[..end], &value[end + 3..]);
    let https = scheme.eq_ignore_ascii_case("https");
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return fail("the scheme must be https (or http to a loopback host)");
    }
    if rest.bytes().any(|b| b == b'?' || b == b'#') {
        return fail("a base URL cannot have a query or a fragment");
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail("a URL cannot contain whitespace or control characters");
    }
    let authority = &rest[..find(rest, b'/').unwrap_or(rest.len())];
    if find(authority, b'@').is_some() {
        return fail("credentials in the URL are not allowed; send a bearer token instead");
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some(close) = find(v6, b']') else {
            return fail("unterminated IPv6 address");
        };
        match &v6[close + 1..] {
            "" => (&v6[..close], None),
            after => match after.strip_prefix(':') {
                Some(port) => (&v6[..close], Some(port)),
                None => return fail("unexpected text after the IPv6 address"),
            },
        }
    } else {
        match find(authority, b':') {
            Some(colon) => (&authority[..colon], Some(&authority[colon + 1..])),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return fail("the URL has no host");
    }
    if port.is_some_and(|p| !is_port(p)) {
        return fail("the port is not a number from 0 to 65535");
    }
    let loopback =
        host.eq_ignore_ascii_case("localhost") || host == "::1" || host.starts_with("127.");
    if !https && !loopback {
        return fail("plain http is only allowed to a loopback host; use https");
    }
    // The host is not empty, so the trailing slashes trimmed all lie after the `://`.
    let tail = value[end + 3..].trim_end_matches('/');
    let mut out = String::with_capacity(tail.len() + 8);
    out.push_str(if https { "https://" } else { "http://" });
    out.push_str(tail);
    Ok(out)
}

/// Whether `text` is what `text.parse::<u16>()` accepts: an optional `+`, then decimal digits
/// up to 65535.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn is_port(text: &str) -> bool {
    let digits = text.strip_prefix('+').unwrap_or(text).as_bytes();
    let mut value = 0u32;
    for &d in digits {
        if !d.is_ascii_digit() {
            return false;
        }
        value = value * 10 + u32::from(d - b'0');
        if value > u32::from(u16::MAX) {
            return false;
        }
    }
    !digits.is_empty()
}

/// The first position of byte `b` in `s`.
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn find(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|c| c == b)
}

fn non_empty(value: &str) -> Result<(), Error> {
    // Fast path: starts with a visible ASCII character.
    if value.as_bytes().first().is_some_and(u8::is_ascii_graphic) {
        return Ok(());
    }
    if value.trim().is_empty() {
        Err(Error::new(ErrorKind::EmptyValue, ""))
    } else {
        Ok(())
    }
}

fn max_chars(value: &str, max: usize) -> Result<(), Error> {
    // Fast path: a string of at most `max` bytes has at most `max` characters.
    if value.len() <= max {
        return Ok(());
    }
    let len = value.chars().count();
    if len > max {
        Err(Error::new(ErrorKind::TooLong { max, len }, ""))
    } else {
        Ok(())
    }
}

fn optional_id(value: Option<&str>, path: &str) -> Result<(), Error> {
    match value {
        None => Ok(()),
        Some(v) => non_empty(v)
            .and_then(|()| max_chars(v, ID_MAX_CHARS))
            .map_err(|e| e.within(path)),
    }
}

/// Where the first `://` of `value` starts (a byte search: `str::find` with a `&str` pattern
/// links core's two-way searcher, ~2 KB of wasm).
#[cfg_attr(gct_opt_attr, optimize(size))]
fn scheme_end(value: &str) -> Option<usize> {
    value.as_bytes().windows(3).position(|w| w == b"://")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{base_url, scheme_end};
    use crate::error::{Error, ErrorKind};

    /// The first version of [`base_url`] (with `char` searches), kept as the oracle.
    #[allow(clippy::manual_split_once, clippy::needless_splitn)]
    fn old_base_url(value: &str) -> Result<String, Error> {
        let fail = |reason| Err(Error::new(ErrorKind::InvalidBaseUrl { reason }, ""));
        let (scheme, rest) = match scheme_end(value) {
            Some(i) => (&value[..i], &value[i + 3..]),
            None => return fail("expected an absolute URL such as https://graph.microsoft.com"),
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return fail("the scheme must be https (or http to a loopback host)");
        }
        if rest.contains(['?', '#']) {
            return fail("a base URL cannot have a query or a fragment");
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return fail("a URL cannot contain whitespace or control characters");
        }
        let authority = rest.split('/').next().unwrap_or("");
        if authority.contains('@') {
            return fail("credentials in the URL are not allowed; send a bearer token instead");
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            match v6.split_once(']') {
                Some((host, "")) => (host, None),
                Some((host, rest)) => match rest.strip_prefix(':') {
                    Some(port) => (host, Some(port)),
                    None => return fail("unexpected text after the IPv6 address"),
                },
                None => return fail("unterminated IPv6 address"),
            }
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return fail("the URL has no host");
        }
        if port.is_some_and(|p| p.parse::<u16>().is_err()) {
            return fail("the port is not a number from 0 to 65535");
        }
        let loopback =
            host.eq_ignore_ascii_case("localhost") || host == "::1" || host.starts_with("127.");
        if scheme == "http" && !loopback {
            return fail("plain http is only allowed to a loopback host; use https");
        }
        let trimmed = value.trim_end_matches('/');
        Ok(format!(
            "{scheme}://{}",
            &trimmed[scheme_end(trimmed).map_or(0, |i| i + 3)..]
        ))
    }

    proptest! {
        #[test]
        fn base_url_matches_the_first_version(
            scheme in prop_oneof![Just("https".to_owned()), Just("HTTP".to_owned()), Just("http".to_owned()), Just("ftp".to_owned()), Just("hTtPs".to_owned())],
            host in prop_oneof![Just("localhost".to_owned()), Just("127.0.0.1".to_owned()), Just("[::1]".to_owned()), Just("[::1".to_owned()), Just("[::1]x".to_owned()), Just("[::1]:8".to_owned()), Just("example.com".to_owned()), Just("".to_owned()), Just("u@h".to_owned()), "[a-z0-9.:\\[\\]@]{0,12}"],
            port in prop_oneof![Just("".to_owned()), Just(":".to_owned()), Just(":443".to_owned()), Just(":65536".to_owned()), Just(":+80".to_owned()), "(:[0-9a-z]{0,6})?"],
            path in prop_oneof![Just("".to_owned()), Just("/".to_owned()), Just("//".to_owned()), Just("/v1.0/".to_owned()), Just("/a?b".to_owned()), Just("/#".to_owned()), Just("/a b".to_owned()), Just("/\u{a0}".to_owned()), Just("/\u{85}".to_owned()), "[/a-z?#% \t\u{e9}]{0,8}"],
            sep in prop_oneof![Just("://".to_owned()), Just(":/".to_owned()), Just("".to_owned())],
        ) {
            let url = format!("{scheme}{sep}{host}{port}{path}");
            prop_assert_eq!(base_url(&url), old_base_url(&url), "{}", url);
        }
    }
}
