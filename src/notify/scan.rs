//! A small validating JSON scanner over UTF-8 bytes.
//!
//! It exists because the notification parser needs what a generic deserializer does not give
//! cheaply: byte offsets of every string it extracts (so JavaScript can slice the original text),
//! the raw span of `resourceData`, a configurable nesting limit, and recovery after a bad item.
//! Skipping a value is iterative (an explicit stack on the heap), so hostile nesting can never
//! overflow the call stack. The grammar is RFC 8259; the fuzz target checks it against serde_json.

/// A syntax error: the byte offset and what was expected there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Syntax {
    pub pos: usize,
    pub what: &'static str,
}

/// The content of a JSON string (without its quotes), as byte offsets into the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct StrSpan {
    pub start: usize,
    pub end: usize,
    /// The string contains at least one backslash escape (its content is not the raw bytes).
    pub escaped: bool,
}

pub(crate) struct Scanner<'a> {
    pub b: &'a [u8],
    pub pos: usize,
    stack: Vec<bool>,
}

type R<T> = Result<T, Syntax>;

impl<'a> Scanner<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Self {
            b,
            pos: 0,
            stack: Vec::new(),
        }
    }

    #[inline(always)]
    pub fn err<T>(&self, what: &'static str) -> R<T> {
        Err(Syntax {
            pos: self.pos,
            what,
        })
    }

    #[inline(always)]
    pub fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// Skips whitespace and returns the next byte without consuming it.
    #[inline(always)]
    pub fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.pos).copied()
    }

    /// Skips whitespace and consumes `c`.
    #[inline(always)]
    pub fn expect(&mut self, c: u8, what: &'static str) -> R<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(what)
        }
    }

    /// After a member or element: consumes `,` (returns true) or `close` (returns false).
    #[inline(always)]
    pub fn next_or_close(&mut self, close: u8, what: &'static str) -> R<bool> {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(c) if c == close => {
                self.pos += 1;
                Ok(false)
            }
            _ => self.err(what),
        }
    }

    /// At an object's `{` (already consumed): true when it is empty (and consumes the `}`).
    #[inline(always)]
    pub fn empty(&mut self, close: u8) -> bool {
        if self.peek() == Some(close) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Reads an object key and the `:` after it.
    #[inline(always)]
    pub fn key(&mut self) -> R<StrSpan> {
        if self.peek() != Some(b'"') {
            return self.err("expected a string key");
        }
        let key = self.string()?;
        self.expect(b':', "expected ':'")?;
        Ok(key)
    }

    /// The raw bytes of a string span (escapes not decoded).
    #[inline(always)]
    pub fn raw(&self, s: StrSpan) -> &'a [u8] {
        &self.b[s.start..s.end]
    }

    /// Reads a string; the scanner is at its opening quote.
    pub fn string(&mut self) -> R<StrSpan> {
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        loop {
            let mut i = self.pos;
            let b = self.b;
            // Eight bytes at a time while none is a quote, a backslash or a control character.
            while let Some(c) = b.get(i..i + 8) {
                let Ok(word) = <&[u8; 8]>::try_from(c) else {
                    break;
                };
                let v = u64::from_le_bytes(*word);
                if special(v) {
                    break;
                }
                i += 8;
            }
            while i < b.len() {
                let c = b[i];
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                i += 1;
            }
            self.pos = i;
            match b.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(StrSpan {
                        start,
                        end: i,
                        escaped,
                    });
                }
                Some(b'\\') => {
                    escaped = true;
                    self.pos = i + 1;
                    match b.get(i + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos = i + 2;
                        }
                        Some(b'u') => {
                            self.pos = i + 2;
                            for _ in 0..4 {
                                match b.get(self.pos) {
                                    Some(h) if h.is_ascii_hexdigit() => self.pos += 1,
                                    _ => return self.err("invalid \\u escape"),
                                }
                            }
                        }
                        _ => return self.err("invalid escape"),
                    }
                }
                Some(_) => return self.err("control character in string"),
                None => return self.err("unterminated string"),
            }
        }
    }

    /// Reads a number; returns its byte span.
    pub fn number(&mut self) -> R<(usize, usize)> {
        let start = self.pos;
        let b = self.b;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(c) if c.is_ascii_digit() => {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return self.err("invalid number");
            }
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                self.pos = i;
                return self.err("invalid number");
            }
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                self.pos = i;
                return self.err("invalid number");
            }
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        self.pos = i;
        Ok((start, i))
    }

    fn literal(&mut self, lit: &'static [u8]) -> R<()> {
        if self.b[self.pos..].starts_with(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            self.err("expected a JSON value")
        }
    }

    /// Reads a scalar (string, number, literal) at the current position (whitespace skipped).
    fn scalar(&mut self) -> R<()> {
        match self.b.get(self.pos) {
            Some(b'"') => self.string().map(|_| ()),
            Some(b'-' | b'0'..=b'9') => self.number().map(|_| ()),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(_) => self.err("expected a JSON value"),
            None => self.err("unexpected end of input"),
        }
    }

    /// Skips one value of any kind and returns how deep it nests (0 for a scalar, 1 for a flat
    /// object or array). Iterative: the nesting lives in a heap stack, never on the call stack.
    pub fn skip(&mut self) -> R<usize> {
        self.stack.clear();
        let mut max = 0usize;
        loop {
            // Expecting a value.
            self.ws();
            match self.b.get(self.pos) {
                Some(&open @ (b'{' | b'[')) => {
                    self.pos += 1;
                    let is_obj = open == b'{';
                    if self.empty(if is_obj { b'}' } else { b']' }) {
                        max = max.max(self.stack.len() + 1);
                    } else {
                        self.stack.push(is_obj);
                        max = max.max(self.stack.len());
                        if is_obj {
                            self.key()?;
                        }
                        continue;
                    }
                }
                _ => self.scalar()?,
            }
            // After a value: close containers or move to the next member.
            loop {
                let Some(&is_obj) = self.stack.last() else {
                    return Ok(max);
                };
                let close = if is_obj { b'}' } else { b']' };
                if self.next_or_close(close, "expected ',' or a closing bracket")? {
                    if is_obj {
                        self.key()?;
                    }
                    break;
                }
                self.stack.pop();
            }
        }
    }

    /// Skips trailing whitespace and fails unless the input ends there.
    pub fn end(&mut self) -> R<()> {
        if self.peek().is_some() {
            self.err("trailing characters after the JSON value")
        } else {
            Ok(())
        }
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any byte of `v` is `"`, `\\` or below 0x20 (SWAR: a byte is zero after the xor, or
/// below the bound, exactly when the borrow reaches its high bit).
#[inline(always)]
fn special(v: u64) -> bool {
    let quote = v ^ (LO * u64::from(b'"'));
    let backslash = v ^ (LO * u64::from(b'\\'));
    let zero_or_low = |x: u64, n: u64| x.wrapping_sub(LO * n) & !x & HI;
    (zero_or_low(quote, 1) | zero_or_low(backslash, 1) | zero_or_low(v, 0x20)) != 0
}

/// Decodes the content of a JSON string span that contains escapes. Lone surrogates (which
/// JavaScript strings can hold but Rust strings cannot) become U+FFFD.
pub(crate) fn unescape(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    let mut run = 0;
    while i < raw.len() {
        if raw[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(std::str::from_utf8(&raw[run..i]).unwrap_or("\u{fffd}"));
        let c = raw.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match c {
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hi = hex4(raw, i);
                i += 4;
                let ch = if (0xD800..0xDC00).contains(&hi)
                    && raw.get(i) == Some(&b'\\')
                    && raw.get(i + 1) == Some(&b'u')
                {
                    let lo = hex4(raw, i + 2);
                    if (0xDC00..0xE000).contains(&lo) {
                        i += 6;
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                    } else {
                        None
                    }
                } else {
                    char::from_u32(hi)
                };
                out.push(ch.unwrap_or('\u{fffd}'));
            }
            other => out.push(other as char),
        }
        run = i;
    }
    out.push_str(std::str::from_utf8(&raw[run.min(raw.len())..]).unwrap_or("\u{fffd}"));
    out
}

fn hex4(raw: &[u8], at: usize) -> u32 {
    let mut v = 0u32;
    for k in 0..4 {
        let d = match raw.get(at + k) {
            Some(c @ b'0'..=b'9') => c - b'0',
            Some(c @ b'a'..=b'f') => c - b'a' + 10,
            Some(c @ b'A'..=b'F') => c - b'A' + 10,
            _ => 0,
        };
        v = v * 16 + u32::from(d);
    }
    v
}

/// Line and column (1-based, columns in bytes) of a byte offset, for error messages.
pub(crate) fn line_col(b: &[u8], pos: usize) -> (usize, usize) {
    let upto = &b[..pos.min(b.len())];
    let line = upto.iter().filter(|&&c| c == b'\n').count() + 1;
    let col = match upto.iter().rposition(|&c| c == b'\n') {
        Some(nl) => pos - nl,
        None => pos + 1,
    };
    (line, col)
}
