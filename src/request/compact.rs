//! A quick accept-only pass over *compact, syntactically valid* JSON bodies, such as JavaScript's
//! `JSON.stringify` writes them and `TextEncoder` encodes them (no whitespace outside strings,
//! valid UTF-8, valid escapes and numbers): the hot path of [`super::check_compact`].
//!
//! It answers one question, "is this body certainly valid?", and nothing else. It walks the
//! structure (`{`, `"`, `:`, `,`, `}` are checked where it navigates) but trusts what is inside
//! strings, numbers and skipped values, so it skips UTF-8 validation, control-character and escape
//! checks, the number grammar and whitespace. It says yes only when every rule of
//! [`super::validate_body`] plainly passes; anything unusual (an escape in a key or in a string the
//! rules read, a surrogate escape in a type-checked string, a `null` where a value is needed, a
//! duplicated field, a non-ASCII first
//! character, a long value, deep nesting...) is "not sure", and the caller then runs the full
//! validating scanner, which reports the exact error. So for compact valid JSON the result is
//! always the full scanner's; for any other bytes this pass still returns (no panic, every loop
//! moves forward, nesting is bounded without recursion), but may say yes to what the full scanner
//! would refuse.
//!
//! The module's property tests (`compact_tests.rs`) check both: same result as the full scanner
//! on generated compact JSON, and termination without panic on damaged and arbitrary bytes.

use super::json::MAX_DEPTH;
use super::validate::{CLIENT_CONTEXT_MAX_CHARS, ID_MAX_CHARS};
use super::ApiVersion;

/// Whether `body` is certainly a valid transfer body for `api_version`, assuming it is compact,
/// valid JSON. `false` means "not sure": ask the full scanner.
pub(crate) fn certainly_valid(body: &[u8], api_version: ApiVersion) -> bool {
    let mut s = Fast { b: body, pos: 0 };
    s.body(api_version).is_some() && s.pos == body.len()
}

/// Whether `text`, JSON its writer produced by putting `strings` strings (member names and string
/// values) between quotes *without escaping them*, needed no escape after all: it holds exactly
/// `2 * strings` quote characters and no backslash and no control character. Then every string
/// is between its own quotes verbatim, so the text is exactly what an escaping serializer (such as
/// JavaScript's `JSON.stringify`) writes for the same structure; otherwise some string held a
/// quote, a backslash or a control character, and the caller must serialize with escapes.
///
/// `buildTransferRequest` writes the body this way in JavaScript (cheaper there than
/// `JSON.stringify`) and asks the core this before [`super::check_compact`] trusts the text.
///
/// ```
/// use graph_call_transfer::request::no_escapes_needed;
/// assert!(no_escapes_needed(br#"{"a":"b c","d":1}"#, 3));
/// // The writer put `b"c` between quotes: the count is off.
/// assert!(!no_escapes_needed(br#"{"a":"b"c"}"#, 2));
/// assert!(!no_escapes_needed(b"{\"a\":\"b\\\\\"}", 2));
/// assert!(!no_escapes_needed(b"{\"a\":\"b\n\"}", 2));
/// ```
pub fn no_escapes_needed(text: &[u8], strings: usize) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut quotes = 0usize;
    let mut bad = 0u64;
    let mut chunks = text.chunks_exact(8);
    for chunk in &mut chunks {
        let word = word8(chunk, 0);
        // Exactly the bytes equal to `"` (no borrow between bytes: the high bits are masked).
        let q = word ^ (ONES * u64::from(b'"'));
        let q = !(((q & LOW7) + LOW7) | q | LOW7);
        quotes += q.count_ones() as usize;
        // Any byte below 0x20 or equal to `\` (exact as "any?").
        let b = word ^ (ONES * u64::from(b'\\'));
        bad |= (word.wrapping_sub(ONES * 0x20) & !word) | (b.wrapping_sub(ONES) & !b);
    }
    for &byte in chunks.remainder() {
        quotes += usize::from(byte == b'"');
        if byte < 0x20 || byte == b'\\' {
            return false;
        }
    }
    bad & HIGH == 0 && Some(quotes) == strings.checked_mul(2)
}

/// A cursor over the input; every method returns `None` for "not sure".
struct Fast<'a> {
    b: &'a [u8],
    pos: usize,
}

/// Whether `a` and `b`, of the same length `b.len()` (a constant once inlined), are equal:
/// compared in overlapping words, so that no byte loop and no bounds check remains.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = b.len();
    if a.len() != n {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        let mut same = true;
        while i + 8 < n {
            same &= word8(a, i) == word8(b, i);
            i += 8;
        }
        same && word8(a, n - 8) == word8(b, n - 8)
    } else if n >= 4 {
        word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4)
    } else {
        a == b
    }
}

#[inline(always)]
fn word8(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(chunk) = bytes.get(at..at + 8) {
        w.copy_from_slice(chunk);
    }
    u64::from_le_bytes(w)
}

#[inline(always)]
fn word4(bytes: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(chunk) = bytes.get(at..at + 4) {
        w.copy_from_slice(chunk);
    }
    u32::from_le_bytes(w)
}

/// Records field `bit`; `None` when it was already seen (the full scanner reports duplicates).
#[inline(always)]
fn once(seen: &mut u16, bit: u16) -> Option<()> {
    if *seen & bit != 0 {
        return None;
    }
    *seen |= bit;
    Some(())
}

/// The quick form of the "not empty" rule (`trim` leaves something): starts with a visible ASCII
/// character, or with the first byte of a non-ASCII character that cannot be whitespace (the
/// Unicode white space above ASCII starts with `C2`, `E1`, `E2` or `E3` in UTF-8).
#[inline(always)]
fn visible_start(value: &[u8]) -> bool {
    match value.first() {
        Some(&b) => matches!(b, 0x21..=0x7e) || (b >= 0x80 && !matches!(b, 0xc2 | 0xe1..=0xe3)),
        None => false,
    }
}

/// An id, `replacesCallId`, `languageId`, `region` or `participantId` that plainly passes: not
/// empty and at most [`ID_MAX_CHARS`] (bytes, so certainly characters).
#[inline(always)]
fn plain_id(value: &[u8]) -> Option<()> {
    (visible_start(value) && value.len() <= ID_MAX_CHARS).then_some(())
}

/// E.164 (`validate::e164`) on bytes.
fn e164(value: &[u8]) -> bool {
    match value.split_first() {
        Some((b'+', digits)) => {
            (2..=15).contains(&digits.len())
                && digits.iter().all(u8::is_ascii_digit)
                && digits[0] != b'0'
        }
        _ => false,
    }
}

/// What an identity-set member's `id` must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IdRule {
    /// Optional (`device`, `encrypted`, `onPremises`, `assertedIdentity`).
    Optional,
    /// Required (`user`, `application`, `applicationInstance`, `guest`,
    /// `azureCommunicationServicesUser`).
    Required,
    /// Required and E.164 (`phone`).
    Phone,
}

impl<'a> Fast<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        if self.peek()? != c {
            return None;
        }
        self.pos += 1;
        Some(())
    }

    /// Whether the input at the cursor starts with `lit` (a constant once inlined), compared a
    /// word at a time; consumes it when it does.
    #[inline(always)]
    fn starts(&mut self, lit: &[u8]) -> bool {
        let n = lit.len();
        let Some(have) = self.b.get(self.pos..self.pos + n) else {
            return false;
        };
        if same(have, lit) {
            self.pos += n;
            return true;
        }
        false
    }

    /// The offset of the first `"` or `\` at or after `from`, or the input's length.
    #[inline(always)]
    fn quote_or_backslash(&self, from: usize) -> usize {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let b = self.b;
        let mut i = from;
        while let Some(chunk) = b.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            let w = u64::from_le_bytes(w);
            let quote = w ^ (ONES * u64::from(b'"'));
            let backslash = w ^ (ONES * u64::from(b'\\'));
            let hit = ((quote.wrapping_sub(ONES) & !quote)
                | (backslash.wrapping_sub(ONES) & !backslash))
                & HIGH;
            if hit != 0 {
                // The lowest flagged byte is the first real match (borrows only flag higher ones).
                return i + (hit.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        while let Some(&c) = b.get(i) {
            if c == b'"' || c == b'\\' {
                return i;
            }
            i += 1;
        }
        i
    }

    /// A string without escapes at the cursor: its bytes (which are its decoded text). An escape
    /// makes it "not sure" (the full scanner decodes it and checks surrogates).
    #[inline(always)]
    fn string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.pos;
        let end = self.quote_or_backslash(start);
        if self.b.get(end) != Some(&b'"') {
            return None;
        }
        self.pos = end + 1;
        self.b.get(start..end)
    }

    /// Any string at the cursor, escapes included: a skipped value, or (`strict`) one that is
    /// type-checked, where a `\u` escape of a surrogate is "not sure" (the full scanner checks
    /// that surrogates pair up).
    #[inline(always)]
    fn skip_string(&mut self, strict: bool) -> Option<()> {
        self.eat(b'"')?;
        loop {
            let i = self.quote_or_backslash(self.pos);
            if *self.b.get(i)? == b'"' {
                self.pos = i + 1;
                return Some(());
            }
            // A backslash and the character it escapes (`\u` digits are plain bytes).
            if strict
                && self.b.get(i + 1) == Some(&b'u')
                && matches!(self.b.get(i + 2), Some(b'd' | b'D'))
                && matches!(
                    self.b.get(i + 3),
                    Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
                )
            {
                return None;
            }
            self.pos = i + 2;
        }
    }

    /// `null` at the cursor.
    #[inline(always)]
    fn null(&mut self) -> Option<()> {
        self.starts(b"null").then_some(())
    }

    /// A string without escapes, or `null` (`None`).
    #[inline(always)]
    fn opt_string(&mut self) -> Option<Option<&'a [u8]>> {
        if self.starts(b"null") {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// A type-checked string or `null`.
    #[inline(always)]
    fn checked_string(&mut self) -> Option<()> {
        if self.starts(b"null") {
            return Some(());
        }
        self.skip_string(true)
    }

    /// An optional id (`null`, or a string that plainly passes [`plain_id`]).
    #[inline(always)]
    fn opt_id(&mut self) -> Option<()> {
        match self.opt_string()? {
            Some(value) => plain_id(value),
            None => Some(()),
        }
    }

    /// An unknown member at the cursor (on its key), in an object at nesting level `depth`: the
    /// key (without escapes, which the full scanner decodes), then any value.
    #[inline(never)]
    fn unknown(&mut self, depth: u32) -> Option<bool> {
        self.string()?;
        self.eat(b':')?;
        let object = self.peek()? == b'{';
        self.skip(depth)?;
        Some(object)
    }

    /// Any value, in an object at nesting level `depth`.
    fn skip(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(false),
            b'{' | b'[' => self.skip_nested(depth),
            b'n' => self.null(),
            b't' => self.starts(b"true").then_some(()),
            b'f' => self.starts(b"false").then_some(()),
            b'-' | b'0'..=b'9' => {
                self.pos += 1;
                while matches!(
                    self.peek(),
                    Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                ) {
                    self.pos += 1;
                }
                Some(())
            }
            _ => None,
        }
    }

    /// An array or object at the cursor, in an object at nesting level `depth`: brackets are
    /// counted (no recursion), strings skipped; deeper than [`MAX_DEPTH`] is "not sure".
    fn skip_nested(&mut self, depth: u32) -> Option<()> {
        let mut level = 0u32;
        loop {
            match self.peek()? {
                b'{' | b'[' => {
                    level += 1;
                    if depth + level > MAX_DEPTH {
                        return None;
                    }
                }
                b'}' | b']' => {
                    level = level.checked_sub(1)?;
                    if level == 0 {
                        self.pos += 1;
                        return Some(());
                    }
                }
                // Strict: the full scanner decodes the keys of skipped objects.
                b'"' => {
                    self.skip_string(true)?;
                    continue;
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// Walks the object at the cursor, calling `member` with the cursor on each member's key;
    /// `member` must read the key, the `:` and the value.
    #[inline(always)]
    fn object(&mut self, mut member: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            member(self)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The first letter of the key at the cursor (dispatches to the known keys starting with
    /// it, each compared with its quotes and colon by [`Self::starts`]).
    #[inline(always)]
    fn key_letter(&self) -> u8 {
        self.b.get(self.pos + 1).copied().unwrap_or(0)
    }

    /// The body object (nesting level 1).
    fn body(&mut self, api_version: ApiVersion) -> Option<()> {
        let v2018 = api_version == ApiVersion::Beta2018;
        let mut seen = 0u16;
        self.object(|s| {
            match s.key_letter() {
                // `transferTarget` in v1.0 and beta, `target` in the 2018 beta; a `null` target
                // is "not sure".
                b't' if s.starts(b"\"transferTarget\":") => {
                    if v2018 {
                        return None;
                    }
                    once(&mut seen, 1)?;
                    return s.target();
                }
                b't' if s.starts(b"\"target\":") => {
                    if !v2018 {
                        return None;
                    }
                    once(&mut seen, 1)?;
                    return s.target();
                }
                b't' if s.starts(b"\"transferee\":") => {
                    if v2018 {
                        return None;
                    }
                    once(&mut seen, 4)?;
                    return s.participant();
                }
                b'c' if s.starts(b"\"clientContext\":") => {
                    once(&mut seen, 8)?;
                    let value = s.string()?;
                    return (visible_start(value) && value.len() <= CLIENT_CONTEXT_MAX_CHARS)
                        .then_some(());
                }
                b'o' if s.starts(b"\"operationContext\":") => {
                    if !v2018 {
                        return None;
                    }
                    once(&mut seen, 16)?;
                    return visible_start(s.string()?).then_some(());
                }
                _ => {}
            }
            s.unknown(1).map(drop)
        })?;
        // The target is required.
        (seen & 1 != 0).then_some(())
    }

    /// A target (`invitationParticipantInfo`) object at nesting level 2.
    fn target(&mut self) -> Option<()> {
        let mut seen = 0u16;
        self.object(|s| {
            let bit = match s.key_letter() {
                b'i' if s.starts(b"\"identity\":") => {
                    once(&mut seen, 1)?;
                    return s.identity_set();
                }
                b'e' if s.starts(b"\"endpointType\":") => {
                    once(&mut seen, 2)?;
                    return s.checked_string();
                }
                b'@' if s.starts(b"\"@odata.type\":") => {
                    once(&mut seen, 4)?;
                    return s.checked_string();
                }
                b'h' if s.starts(b"\"hidden\":") => {
                    once(&mut seen, 8)?;
                    return (s.starts(b"true") || s.starts(b"false") || s.starts(b"null"))
                        .then_some(());
                }
                // Nested `transferee` is an error unless `null`.
                b't' if s.starts(b"\"transferee\":") => {
                    once(&mut seen, 16)?;
                    return s.null();
                }
                b'r' if s.starts(b"\"replacesCallId\":") => 32,
                b'l' if s.starts(b"\"languageId\":") => 64,
                b'r' if s.starts(b"\"region\":") => 128,
                b'p' if s.starts(b"\"participantId\":") => 256,
                _ => return s.unknown(2).map(drop),
            };
            once(&mut seen, bit)?;
            s.opt_id()
        })?;
        // An identity is required.
        (seen & 1 != 0).then_some(())
    }

    /// A transferee (`participantInfo`) object at nesting level 2.
    fn participant(&mut self) -> Option<()> {
        let mut seen = 0u16;
        self.object(|s| {
            let bit = match s.key_letter() {
                b'i' if s.starts(b"\"identity\":") => {
                    once(&mut seen, 1)?;
                    return s.identity_set();
                }
                // Required, so a `null` one is "not sure".
                b'p' if s.starts(b"\"participantId\":") => {
                    once(&mut seen, 2)?;
                    return plain_id(s.string()?);
                }
                b'e' if s.starts(b"\"endpointType\":") => 4,
                b'c' if s.starts(b"\"countryCode\":") => 8,
                b'l' if s.starts(b"\"languageId\":") => 16,
                b'r' if s.starts(b"\"region\":") => 32,
                b'p' if s.starts(b"\"platformId\":") => 64,
                b'@' if s.starts(b"\"@odata.type\":") => 128,
                _ => return s.unknown(2).map(drop),
            };
            once(&mut seen, bit)?;
            s.checked_string()
        })?;
        (seen & 3 == 3).then_some(())
    }

    /// An identity set object (nesting level 3): at least one member, each modelled member
    /// `null` or an identity that passes its rules. The full scanner allows a member twice; so
    /// does this pass (each one is checked).
    fn identity_set(&mut self) -> Option<()> {
        let mut any = false;
        self.object(|s| {
            let rule = match s.key_letter() {
                b'u' if s.starts(b"\"user\":") => IdRule::Required,
                b'p' if s.starts(b"\"phone\":") => IdRule::Phone,
                b'a' if s.starts(b"\"application\":") => IdRule::Required,
                b'a' if s.starts(b"\"applicationInstance\":") => IdRule::Required,
                b'a' if s.starts(b"\"azureCommunicationServicesUser\":") => IdRule::Required,
                b'a' if s.starts(b"\"assertedIdentity\":") => IdRule::Optional,
                b'g' if s.starts(b"\"guest\":") => IdRule::Required,
                b'd' if s.starts(b"\"device\":") => IdRule::Optional,
                b'e' if s.starts(b"\"encrypted\":") => IdRule::Optional,
                b'o' if s.starts(b"\"onPremises\":") => IdRule::Optional,
                b'@' if s.starts(b"\"@odata.type\":") => return s.checked_string(),
                _ => {
                    // An unmodelled member counts when it is an object (a future identity kind).
                    any |= s.unknown(3)?;
                    return Some(());
                }
            };
            if s.starts(b"null") {
                return Some(());
            }
            let id = s.identity()?;
            any = true;
            match (rule, id) {
                (IdRule::Optional, None) => Some(()),
                (_, None) => None,
                (IdRule::Phone, Some(id)) => (e164(id) && plain_id(id).is_some()).then_some(()),
                (_, Some(id)) => plain_id(id),
            }
        })?;
        any.then_some(())
    }

    /// An identity object (nesting level 4): its `id`, if any.
    fn identity(&mut self) -> Option<Option<&'a [u8]>> {
        let mut seen = 0u16;
        let mut id = None;
        self.object(|s| {
            let bit = match s.key_letter() {
                b'i' if s.starts(b"\"id\":") => {
                    once(&mut seen, 1)?;
                    id = s.opt_string()?;
                    return Some(());
                }
                b'd' if s.starts(b"\"displayName\":") => 2,
                b't' if s.starts(b"\"tenantId\":") => 4,
                b'@' if s.starts(b"\"@odata.type\":") => 8,
                _ => return s.unknown(4).map(drop),
            };
            once(&mut seen, bit)?;
            s.checked_string()
        })?;
        Some(id)
    }
}
