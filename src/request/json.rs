//! A small single-pass validating JSON scanner: the request builder's hot path.
//!
//! It checks full JSON syntax the way `serde_json` does (same messages, `at line L column C`), but
//! builds nothing: schema code in [`super::view`] walks the document with it, borrows the strings
//! it needs straight from the input, checks the types of the fields it knows and skips the rest.
//! Rules that `serde_json` applies and that are kept here:
//! - strings: no raw control characters, only the JSON escapes; a `\u` escape in a string that is
//!   decoded or type-checked must form valid UTF-16 (paired surrogates), while skipped values only
//!   need four hex digits (as `serde_json` ignores them);
//! - numbers: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`;
//! - at most [`MAX_DEPTH`] nested arrays and objects (`serde_json` refuses the 128th). Unlike
//!   `serde_json`, which skips unknown members without a limit, skipped values count too, so the
//!   scanner's stack stays bounded whatever the input;
//! - nothing but whitespace after the top-level value.
//!
//! The input is a `&str`, so UTF-8 has been checked once, up front, by `std::str::from_utf8`.

use std::borrow::Cow;

use crate::error::{Error, ErrorKind};

/// The deepest nesting of arrays and objects accepted (`serde_json`'s limit).
pub(crate) const MAX_DEPTH: u32 = 127;

/// How much of a string the caller needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// Skipped value: syntax only, `\u` escapes need not pair up.
    Skip,
    /// Type-checked but unused: strict escapes, nothing returned.
    Check,
    /// The decoded text (borrowed when it has no escape).
    Decode,
}

/// The JSON type of a value, named the way error messages name it.
pub(crate) enum Expected {
    /// A string (or `null` for an optional field).
    String,
    /// `true` or `false` (or `null`).
    Bool,
    /// An object (or `null`).
    Object,
}

impl Expected {
    fn name(&self) -> &'static str {
        match self {
            Self::String => "a string",
            Self::Bool => "a boolean",
            Self::Object => "an object",
        }
    }
}

/// A cursor over a JSON text.
pub(crate) struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: 0,
            depth: 0,
        }
    }

    #[inline]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// A syntax error at the current position, worded like `serde_json`'s.
    #[cold]
    pub(crate) fn syntax(&self, message: &str) -> Error {
        let bytes = self.bytes();
        let end = self.pos.min(bytes.len());
        let mut line = 1usize;
        let mut line_start = 0usize;
        for (i, b) in bytes[..end].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = i + 1;
            }
        }
        let column = end - line_start + usize::from(self.pos < bytes.len());
        let mut detail = String::with_capacity(message.len() + 32);
        detail.push_str(message);
        detail.push_str(" at line ");
        push_usize(&mut detail, line);
        detail.push_str(" column ");
        push_usize(&mut detail, column);
        Error::new(ErrorKind::InvalidJson { detail }, "")
    }

    /// Skips whitespace and returns the next byte without consuming it.
    #[inline]
    pub(crate) fn peek(&mut self) -> Option<u8> {
        let bytes = self.bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// The byte offset of the cursor.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// The input between two offsets.
    pub(crate) fn slice(&self, start: usize, end: usize) -> &'a str {
        &self.text[start..end]
    }

    /// Checks that only whitespace follows the top-level value.
    pub(crate) fn end(&mut self) -> Result<(), Error> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    /// A wrong-type error for the value at the cursor, after checking that value's own syntax as
    /// far as `serde_json` does (scalars are read; arrays and objects are not entered).
    #[cold]
    pub(crate) fn wrong_type(&mut self, expected: Expected) -> Error {
        let start = self.pos;
        let found: Cow<'static, str> = match self.peek() {
            None => return self.syntax("EOF while parsing a value"),
            Some(b'[') => "a sequence".into(),
            Some(b'{') => "a map".into(),
            Some(b'n' | b't' | b'f') => {
                if let Err(e) = self.literal() {
                    return e;
                }
                match self.bytes()[start] {
                    b'n' => "null".into(),
                    b't' => "boolean `true`".into(),
                    _ => "boolean `false`".into(),
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                if let Err(e) = self.number() {
                    return e;
                }
                let raw = &self.text[start..self.pos];
                let kind = if raw.contains(['.', 'e', 'E']) {
                    "floating point `"
                } else {
                    "integer `"
                };
                let mut s = String::from(kind);
                s.push_str(raw);
                s.push('`');
                s.into()
            }
            Some(b'"') => {
                if let Err(e) = self.string(Want::Check) {
                    return e;
                }
                let mut s = String::from("string ");
                s.push_str(&self.text[start..self.pos]);
                s.into()
            }
            Some(_) => return self.syntax("expected value"),
        };
        let mut detail = String::from("invalid type: ");
        detail.push_str(&found);
        detail.push_str(", expected ");
        detail.push_str(expected.name());
        Error::new(ErrorKind::InvalidType { detail }, "")
    }

    /// `null` (consumed, `true`) or not (`false`, nothing consumed).
    #[inline]
    pub(crate) fn null(&mut self) -> Result<bool, Error> {
        if self.peek() == Some(b'n') {
            self.literal()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// An optional string: `null` is `None`.
    #[inline]
    pub(crate) fn opt_string(&mut self, want: Want) -> Result<Option<Cow<'a, str>>, Error> {
        match self.peek() {
            Some(b'"') => self.string(want).map(Some),
            Some(b'n') => self.literal().map(|()| None),
            _ => Err(self.wrong_type(Expected::String)),
        }
    }

    /// An optional boolean: `null` is `None`.
    pub(crate) fn opt_bool(&mut self) -> Result<Option<bool>, Error> {
        match self.peek() {
            Some(b't') => self.literal().map(|()| Some(true)),
            Some(b'f') => self.literal().map(|()| Some(false)),
            Some(b'n') => self.literal().map(|()| None),
            _ => Err(self.wrong_type(Expected::Bool)),
        }
    }

    /// After a member's key: the `:` before its value.
    #[inline]
    pub(crate) fn colon(&mut self) -> Result<(), Error> {
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.syntax("expected `:`")),
            None => Err(self.syntax("EOF while parsing an object")),
        }
    }

    /// Whether the value at the cursor is an object (`null` and other types are the caller's
    /// business: see [`Self::wrong_type`]).
    #[inline]
    pub(crate) fn at_object(&mut self) -> bool {
        self.peek() == Some(b'{')
    }

    #[inline]
    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.syntax("recursion limit exceeded"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Walks the object at the cursor: `member(self, key)` is called for each member right after
    /// its key and must read the `:` and the value, normally through [`Self::member`]. Errors have
    /// the object's path (relative: empty) unless `member` prefixes them.
    pub(crate) fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, &str) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.enter()?;
        let mut first = true;
        loop {
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                Some(b',') if !first => {
                    self.pos += 1;
                    match self.peek() {
                        Some(b'"') => {}
                        Some(b'}') => return Err(self.syntax("trailing comma")),
                        Some(_) => return Err(self.syntax("key must be a string")),
                        None => return Err(self.syntax("EOF while parsing a value")),
                    }
                }
                Some(b'"') if first => {}
                Some(_) if first => return Err(self.syntax("key must be a string")),
                Some(_) => return Err(self.syntax("expected `,` or `}`")),
                None => return Err(self.syntax("EOF while parsing an object")),
            }
            first = false;
            let key = self.string(Want::Decode)?;
            member(self, &key)?;
        }
    }

    /// A member's `:` (an error there has the object's path) and its value, read by `value`
    /// (whose errors get `key` prefixed to their path).
    #[inline]
    pub(crate) fn member<T>(
        &mut self,
        key: &str,
        value: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.colon()?;
        value(self).map_err(|e| e.within(key))
    }

    /// Skips any value, checking its syntax.
    pub(crate) fn skip(&mut self) -> Result<(), Error> {
        match self.peek() {
            // As in serde_json, errors inside a skipped value have the path of the value.
            Some(b'{') => self.object(|s, _| {
                s.colon()?;
                s.skip()
            }),
            Some(b'[') => {
                self.enter()?;
                let mut first = true;
                loop {
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            self.depth -= 1;
                            return Ok(());
                        }
                        Some(b',') if !first => {
                            self.pos += 1;
                            if self.peek() == Some(b']') {
                                return Err(self.syntax("trailing comma"));
                            }
                        }
                        Some(_) if first => {}
                        Some(_) => return Err(self.syntax("expected `,` or `]`")),
                        None => return Err(self.syntax("EOF while parsing a list")),
                    }
                    first = false;
                    self.skip()?;
                }
            }
            Some(b'"') => self.string(Want::Skip).map(drop),
            Some(b'n' | b't' | b'f') => self.literal(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.syntax("expected value")),
            None => Err(self.syntax("EOF while parsing a value")),
        }
    }

    /// `null`, `true` or `false` at the cursor.
    fn literal(&mut self) -> Result<(), Error> {
        let word: &[u8] = match self.bytes()[self.pos] {
            b'n' => b"null",
            b't' => b"true",
            _ => b"false",
        };
        for &expected in word {
            match self.bytes().get(self.pos) {
                None => return Err(self.syntax("EOF while parsing a value")),
                Some(&b) if b != expected => return Err(self.syntax("expected ident")),
                Some(_) => self.pos += 1,
            }
        }
        Ok(())
    }

    fn digit_at(&self, i: usize) -> bool {
        self.bytes().get(i).is_some_and(u8::is_ascii_digit)
    }

    fn digits(&mut self) {
        while self.digit_at(self.pos) {
            self.pos += 1;
        }
    }

    /// A number at the cursor (grammar only; the value is never needed).
    fn number(&mut self) -> Result<(), Error> {
        let bytes = self.bytes();
        if bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        match bytes.get(self.pos) {
            Some(b'0') => {
                self.pos += 1;
                if self.digit_at(self.pos) {
                    return Err(self.syntax("invalid number"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.syntax("invalid number")),
        }
        if bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !self.digit_at(self.pos) {
                return Err(self.syntax("invalid number"));
            }
            self.digits();
        }
        if matches!(bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.digit_at(self.pos) {
                return Err(self.syntax("invalid number"));
            }
            self.digits();
        }
        Ok(())
    }

    /// A string at the cursor (which is on its opening quote).
    pub(crate) fn string(&mut self, want: Want) -> Result<Cow<'a, str>, Error> {
        let bytes = self.bytes();
        let start = self.pos + 1;
        // The fast path: no escape, no control character. Eight bytes at a time while none of
        // them is `"`, `\\` or below 0x20 (the classic "has a zero byte" word trick).
        let mut i = start;
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        while let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let w = u64::from_le_bytes(word);
            let quote = w ^ (ONES * u64::from(b'"'));
            let backslash = w ^ (ONES * u64::from(b'\\'));
            let special = (quote.wrapping_sub(ONES) & !quote)
                | (backslash.wrapping_sub(ONES) & !backslash)
                | (w.wrapping_sub(ONES * 0x20) & !w);
            let special = special & HIGH;
            if special != 0 {
                // The lowest flagged byte is the first special one (a borrow only flags bytes
                // above a real match).
                i += (special.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        while let Some(&b) = bytes.get(i) {
            if b == b'"' {
                self.pos = i + 1;
                return Ok(Cow::Borrowed(self.text.get(start..i).unwrap_or_default()));
            }
            if b == b'\\' || b < 0x20 {
                break;
            }
            i += 1;
        }
        self.pos = i;
        self.escaped(start, want)
    }

    /// The rest of a string that has an escape, from its first backslash.
    #[inline(never)]
    fn escaped(&mut self, start: usize, want: Want) -> Result<Cow<'a, str>, Error> {
        // Also reached at a control character or the end of the input, reported below.
        let bytes = self.bytes();
        let mut out = String::new();
        if want == Want::Decode {
            out.push_str(&self.text[start..self.pos]);
        }
        let mut run = self.pos;
        loop {
            match bytes.get(self.pos) {
                Some(b'"') => {
                    if want == Want::Decode {
                        out.push_str(&self.text[run..self.pos]);
                    }
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    if want == Want::Decode {
                        out.push_str(&self.text[run..self.pos]);
                    }
                    self.pos += 1;
                    let c = self.escape(want)?;
                    if want == Want::Decode {
                        out.push(c);
                    }
                    run = self.pos;
                }
                Some(0..=0x1f) => {
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
                Some(_) => self.pos += 1,
                None => return Err(self.syntax("EOF while parsing a string")),
            }
        }
    }

    /// One escape after its backslash; the character it stands for (`\u{FFFD}` for a lone
    /// surrogate in a skipped string, whose value is never used).
    fn escape(&mut self, want: Want) -> Result<char, Error> {
        let Some(&b) = self.bytes().get(self.pos) else {
            return Err(self.syntax("EOF while parsing a string"));
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let n = self.hex4()?;
                if want == Want::Skip {
                    return Ok(char::from_u32(u32::from(n)).unwrap_or('\u{fffd}'));
                }
                return self.unicode(n);
            }
            _ => return Err(self.syntax("invalid escape")),
        })
    }

    /// A strict `\u` escape (after its four digits `n`): surrogates must pair up.
    fn unicode(&mut self, n: u16) -> Result<char, Error> {
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.syntax("lone leading surrogate in hex escape"));
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            return Ok(char::from_u32(u32::from(n)).unwrap_or('\u{fffd}'));
        }
        let bytes = self.bytes();
        if bytes.get(self.pos) != Some(&b'\\') {
            return Err(self.eof_or("unexpected end of hex escape"));
        }
        self.pos += 1;
        if bytes.get(self.pos) != Some(&b'u') {
            return Err(self.eof_or("unexpected end of hex escape"));
        }
        self.pos += 1;
        let low = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&low) {
            return Err(self.syntax("lone leading surrogate in hex escape"));
        }
        let c = 0x1_0000 + ((u32::from(n) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
        Ok(char::from_u32(c).unwrap_or('\u{fffd}'))
    }

    fn eof_or(&mut self, message: &str) -> Error {
        if self.pos >= self.bytes().len() {
            self.syntax("EOF while parsing a string")
        } else {
            self.pos += 1;
            self.syntax(message)
        }
    }

    fn hex4(&mut self) -> Result<u16, Error> {
        let bytes = self.bytes();
        if bytes.len() < self.pos + 4 {
            self.pos = bytes.len();
            return Err(self.syntax("EOF while parsing a string"));
        }
        let mut n = 0u16;
        for &b in &bytes[self.pos..self.pos + 4] {
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => {
                    self.pos += 4;
                    return Err(self.syntax("invalid escape"));
                }
            };
            n = (n << 4) | u16::from(digit);
        }
        self.pos += 4;
        Ok(n)
    }
}

/// Appends `n` in decimal (no `core::fmt` on the shipped paths).
pub(crate) fn push_usize(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}
