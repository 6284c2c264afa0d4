//! A small JSON document reader and writer helpers for the JSON that is not on a hot path:
//! the tracker's saved state, JOSE headers and claims, key sets, options, Graph error bodies.
//!
//! It replaces `serde_json` in everything the wasm exports reach (a generic deserializer per
//! shape cost tens of KiB there). Syntax is checked by the notification parser's scanner
//! ([`crate::notify::scan`]); strings are decoded strictly (a lone `\u` surrogate is an error,
//! as in `serde_json`); numbers are kept as their text and converted where they are read, so
//! integers are exact up to `u64`/`i64`. Nesting is limited to [`MAX_DEPTH`] levels (the
//! `serde_json` limit), so the recursive reader never overflows the stack.

use std::borrow::Cow;

use crate::notify::scan::{line_col, unescape, Scanner, StrSpan, Syntax};

pub(crate) use crate::request::view::push_json_string;

/// The deepest nesting of arrays and objects accepted (`serde_json` refuses the 129th level).
pub(crate) const MAX_DEPTH: usize = 128;

/// A parsed JSON value, borrowing from the input where it can.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    /// The number as written (valid JSON number syntax).
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Members in document order (duplicates kept; readers decide).
    Object(Object<'a>),
}

/// A JSON object's members, in document order (a repeated name is kept each time).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Object<'a>(pub Vec<(Cow<'a, str>, Value<'a>)>);

impl<'a> Object<'a> {
    /// The member `name` (the last one when it is repeated).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn get(&self, name: &str) -> Option<&Value<'a>> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The distinct member names with their (last) values, in document order of first sight.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn members(&self) -> impl Iterator<Item = (&str, &Value<'a>)> {
        self.0.iter().enumerate().filter_map(move |(i, (k, v))| {
            let first = !self.0[..i].iter().any(|(other, _)| other == k);
            first.then(|| (k.as_ref(), self.get(k).unwrap_or(v)))
        })
    }
}

/// A syntax error: what was expected, and where (1-based line, byte column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub what: &'static str,
    pub line: usize,
    pub column: usize,
}

impl SyntaxError {
    /// `"{what} at line L column C"` (the shape of `serde_json`'s messages).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn message(&self) -> String {
        let mut out = String::with_capacity(self.what.len() + 24);
        out.push_str(self.what);
        out.push_str(" at line ");
        push_u64(&mut out, self.line as u64);
        out.push_str(" column ");
        push_u64(&mut out, self.column as u64);
        out
    }
}

/// `prefix` then what `Utf8Error`'s `Display` says, built without `core::fmt`.
#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn utf8_error_text(prefix: &str, e: &std::str::Utf8Error) -> String {
    let mut out = String::from(prefix);
    match e.error_len() {
        Some(len) => {
            out.push_str("invalid utf-8 sequence of ");
            push_u64(&mut out, len as u64);
            out.push_str(" bytes from index ");
        }
        None => out.push_str("incomplete utf-8 byte sequence from index "),
    }
    push_u64(&mut out, e.valid_up_to() as u64);
    out
}

/// Parses one JSON document (UTF-8 bytes; trailing whitespace only).
#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn parse(bytes: &[u8]) -> Result<Value<'_>, SyntaxError> {
    let at = |pos: usize, what: &'static str| {
        let (line, column) = line_col(bytes, pos);
        SyntaxError { what, line, column }
    };
    let text = std::str::from_utf8(bytes).map_err(|e| at(e.valid_up_to(), "invalid UTF-8"))?;
    let mut s = Scanner::new(bytes);
    let v = value(&mut s, text, 0).map_err(|e| at(e.pos, e.what))?;
    s.end().map_err(|e| at(e.pos, e.what))?;
    Ok(v)
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn value<'a>(s: &mut Scanner<'a>, text: &'a str, depth: usize) -> Result<Value<'a>, Syntax> {
    let close = match s.peek() {
        Some(b'{') => b'}',
        Some(b'[') => b']',
        Some(b'"') => {
            let span = s.string()?;
            return Ok(Value::String(string(text, span)?));
        }
        Some(b'-' | b'0'..=b'9') => {
            let (a, b) = s.number()?;
            return Ok(Value::Number(&text[a..b]));
        }
        Some(c) => {
            let (lit, v): (&[u8], _) = match c {
                b't' => (b"true", Value::Bool(true)),
                b'f' => (b"false", Value::Bool(false)),
                _ => (b"null", Value::Null),
            };
            if !s.b[s.pos..].starts_with(lit) {
                return s.err("expected value");
            }
            s.pos += lit.len();
            return Ok(v);
        }
        None => return s.err("EOF while parsing a value"),
    };
    if depth >= MAX_DEPTH {
        return s.err("recursion limit exceeded");
    }
    s.pos += 1;
    if close == b'}' {
        let mut members = Vec::new();
        if !s.empty(b'}') {
            loop {
                let key = s.key()?;
                let key = string(text, key)?;
                members.push((key, value(s, text, depth + 1)?));
                if !s.next_or_close(b'}', "expected `,` or `}`")? {
                    break;
                }
            }
        }
        Ok(Value::Object(Object(members)))
    } else {
        let mut items = Vec::new();
        if !s.empty(b']') {
            loop {
                items.push(value(s, text, depth + 1)?);
                if !s.next_or_close(b']', "expected `,` or `]`")? {
                    break;
                }
            }
        }
        Ok(Value::Array(items))
    }
}

/// The content of a string span of valid UTF-8 `text`: borrowed without escapes, decoded with
/// them (a lone surrogate is an error, positioned at the string).
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn string(text: &str, span: StrSpan) -> Result<Cow<'_, str>, Syntax> {
    let raw = &text[span.start..span.end];
    if !span.escaped {
        return Ok(Cow::Borrowed(raw));
    }
    if lone_surrogate(raw.as_bytes()) {
        return Err(Syntax {
            pos: span.start,
            what: "lone surrogate in hex escape",
        });
    }
    Ok(Cow::Owned(unescape(raw.as_bytes())))
}

/// Whether a string's raw content has a `\u` escape of a surrogate that is not half of a pair.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn lone_surrogate(raw: &[u8]) -> bool {
    let hex = |at: usize| {
        raw.get(at..at + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'\\' {
            i += 1;
            continue;
        }
        if raw.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let u = hex(i + 2).unwrap_or(0);
        i += 6;
        if (0xDC00..0xE000).contains(&u) {
            return true;
        }
        if (0xD800..0xDC00).contains(&u) {
            let paired = raw.get(i) == Some(&b'\\')
                && raw.get(i + 1) == Some(&b'u')
                && hex(i + 2).is_some_and(|lo| (0xDC00..0xE000).contains(&lo));
            if !paired {
                return true;
            }
            i += 6;
        }
    }
    false
}

/// Reads `text` as one JSON object (then only whitespace) and calls `member(key, raw)` for each
/// member in order, with the key decoded and the value's exact JSON text; `false` from `member`
/// stops. Returns whether the whole text was read and every call returned `true`. Values are
/// skipped without a nesting limit (the skip is iterative) and with `serde_json`'s leniency for
/// lone surrogates inside them.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn raw_members<'a>(
    text: &'a str,
    mut member: impl FnMut(&str, &'a str) -> bool,
) -> bool {
    let mut s = Scanner::new(text.as_bytes());
    if s.peek() != Some(b'{') {
        return false;
    }
    s.pos += 1;
    if !s.empty(b'}') {
        loop {
            let Ok(key) = s.key().and_then(|k| string(text, k)) else {
                return false;
            };
            s.ws();
            let start = s.pos;
            if s.skip().is_err() || !member(&key, &text[start..s.pos]) {
                return false;
            }
            match s.next_or_close(b'}', "") {
                Ok(true) => {}
                Ok(false) => break,
                Err(_) => return false,
            }
        }
    }
    s.end().is_ok()
}

impl<'a> Value<'a> {
    /// The (last) member `name` of an object.
    #[cfg(test)]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn get(&self, name: &str) -> Option<&Value<'a>> {
        self.as_object()?.get(name)
    }

    /// The text of a string.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members of an object.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// What kind of value this is, for type errors (`"a string"`, `"null"` ...).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// A number that is a non-negative integer within `u64` (not `-0`, as in `serde_json`).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => parse_u64(n.as_bytes()),
            _ => None,
        }
    }

    /// A number that is an integer within `i64`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => match n.strip_prefix('-') {
                Some(m) => {
                    let m = parse_u64(m.as_bytes())?;
                    0i64.checked_sub_unsigned(m)
                }
                None => i64::try_from(parse_u64(n.as_bytes())?).ok(),
            },
            _ => None,
        }
    }

    /// A number as `f64` (`None` when it is not a number or overflows `f64`).
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => parse_f64(n),
            _ => None,
        }
    }
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn parse_u64(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut v = 0u64;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(v)
}

/// Converts valid JSON number text to `f64`: exact for integers up to 2^53 and for decimals
/// whose digits and power of ten are both exactly representable; otherwise within an ulp or
/// so (like `serde_json` without `float_roundtrip`), without pulling the standard library's
/// correctly rounded parser and its tables into the wasm.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let (negative, mut i) = if b.first() == Some(&b'-') {
        (true, 1)
    } else {
        (false, 0)
    };
    let mut mantissa = 0u64;
    let mut exp10 = 0i32;
    let mut digits = 0;
    let mut fraction = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                if digits < 19 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    if mantissa > 0 {
                        digits += 1;
                    }
                    if fraction {
                        exp10 -= 1;
                    }
                } else if !fraction {
                    exp10 += 1;
                }
            }
            b'.' => fraction = true,
            _ => break,
        }
        i += 1;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let sign = match b.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let mut e = 0i32;
        while let Some(&c) = b.get(i) {
            e = e.saturating_mul(10).saturating_add(i32::from(c - b'0'));
            i += 1;
        }
        exp10 = exp10.saturating_add(sign * e);
    }
    let m = mantissa as f64;
    let v = if mantissa == 0 {
        0.0
    } else if exp10 >= 0 {
        if exp10 > 400 {
            f64::INFINITY
        } else {
            m * pow10(exp10)
        }
    } else if exp10 < -400 {
        0.0
    } else if exp10 < -300 {
        m / pow10(-exp10 - 100) / 1e100
    } else {
        m / pow10(-exp10)
    };
    if v.is_infinite() {
        return None;
    }
    Some(if negative { -v } else { v })
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn pow10(e: i32) -> f64 {
    // 10^0..10^22 are exact in f64.
    const EXACT: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let mut e = e;
    let mut v = 1.0;
    while e > 22 {
        v *= 1e22;
        e -= 22;
    }
    v * EXACT[e as usize]
}

/// Appends the decimal digits of `n`.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

/// Appends `n` in decimal.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// Appends `"name":` after `{` or a previous member (`first` decides the comma).
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn push_key(out: &mut String, name: &str, first: bool) {
    if !first {
        out.push(',');
    }
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
}

/// Appends a JSON string or `null`.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn push_opt_str(out: &mut String, value: Option<&str>) {
    match value {
        Some(v) => push_json_string(out, v),
        None => out.push_str("null"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn utf8_error_text_is_the_display() {
        for bytes in [
            &b"ab\xff"[..],
            b"a\xe2\x82",
            b"\xe2\x28\xa1",
            b"xy\xf0\x90\x28",
        ] {
            let e = std::str::from_utf8(bytes).unwrap_err();
            assert_eq!(super::utf8_error_text("p: ", &e), format!("p: {e}"));
        }
    }

    use super::*;

    #[test]
    fn parses_every_kind_of_value_and_checks_syntax() {
        let v = parse(br#" {"a":"x\n","b":[1,-2.5e1,true,false,null,{}],"a":"y"} "#).unwrap();
        assert_eq!(v.get("a"), Some(&Value::String("y".into())));
        let Some(Value::Array(b)) = v.get("b") else {
            panic!("b is an array")
        };
        assert_eq!(b[1].as_f64(), Some(-25.0));
        assert_eq!(b[0].as_u64(), Some(1));
        assert_eq!(b[1].as_u64(), None);
        assert_eq!(b[2], Value::Bool(true));
        for bad in [
            &b"{"[..],
            b"{\"a\" 1}",
            b"[1,]",
            b"[1] x",
            b"tru",
            b"\"\\ud800\"",
            b"\"\\udc00\\ud800\"",
            b"\"a\xff\"",
            b"01",
            b"",
        ] {
            assert!(parse(bad).is_err(), "{}", String::from_utf8_lossy(bad));
            assert!(serde_json::from_slice::<serde_json::Value>(bad).is_err());
        }
        let pair = parse(br#""\ud83d\ude00\u00e9""#).unwrap();
        assert_eq!(pair, Value::String("\u{1f600}\u{e9}".into()));
        let e = parse(b"{\n  \"a\": x}").unwrap_err();
        assert_eq!(e.message(), "expected value at line 2 column 8");
    }

    #[test]
    fn limits_nesting_like_serde_json() {
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(ok.as_bytes()).is_ok());
        let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert!(parse(deep.as_bytes()).is_err());
        assert!(serde_json::from_str::<serde_json::Value>(&deep).is_err());
        let hostile = "[".repeat(1_000_000);
        assert!(parse(hostile.as_bytes()).is_err());
    }

    #[test]
    fn integers_are_exact_and_floats_close() {
        fn n(t: &str) -> Value<'_> {
            Value::Number(t)
        }
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("-0").as_i64(), Some(0));
        assert_eq!(n("-0").as_u64(), None);
        assert_eq!(serde_json::from_str::<u64>("-0").ok(), None);
        assert_eq!(n("-1").as_u64(), None);
        for t in [
            "0",
            "1",
            "-1",
            "1.5",
            "1e3",
            "1E-3",
            "0.1",
            "123456.789",
            "1700000000",
            "9007199254740993",
            "1e308",
            "2.5e-300",
            "1e-320",
            "12345678901234567890123",
        ] {
            let want: f64 = t.parse().unwrap();
            let got = parse_f64(t).unwrap();
            assert!(
                (got - want).abs() <= want.abs() * 4.0 * f64::EPSILON,
                "{t}: {got} vs {want}"
            );
        }
        assert_eq!(parse_f64("1e400"), None);
        let mut s = String::new();
        push_i64(&mut s, i64::MIN);
        s.push(' ');
        push_u64(&mut s, 0);
        assert_eq!(s, "-9223372036854775808 0");
    }
}
