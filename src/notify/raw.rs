//! The offset form of a parsed batch: every extracted string is a [`TextRef`] (byte offsets into
//! the body) instead of a copy.
//!
//! [`parse_raw`] is what [`parse_notifications`](super::parse_notifications) and the wasm layer
//! are built on: the wasm layer sends these offsets to JavaScript in one integer table, and
//! JavaScript slices its own copy of the text, so strings are never decoded twice.

use std::borrow::Cow;

use super::scan::{line_col, unescape, Scanner, StrSpan, Syntax};
use super::{CallState, ChangeType, ParseLimits, ResourceKind, TransferEvent};
use crate::error::{Error, ErrorKind};
use crate::model::OperationStatus;

/// A JSON string inside the body, as byte offsets of its content (without the quotes).
///
/// When [`escaped`](Self::escaped) is false the content is exactly `body[start..end]`; otherwise
/// it contains backslash escapes and must be decoded (for example with `JSON.parse` of
/// `body[start - 1..end + 1]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextRef {
    /// Byte offset of the first content byte.
    pub start: usize,
    /// Byte offset just past the last content byte.
    pub end: usize,
    /// Whether the content contains backslash escapes.
    pub escaped: bool,
}

impl From<StrSpan> for TextRef {
    fn from(s: StrSpan) -> Self {
        Self {
            start: s.start,
            end: s.end,
            escaped: s.escaped,
        }
    }
}

impl TextRef {
    /// The decoded string, borrowed from `body` when it has no escapes.
    pub fn text<'a>(&self, body: &'a str) -> Cow<'a, str> {
        let raw = body.get(self.start..self.end).unwrap_or("");
        if self.escaped {
            Cow::Owned(unescape(raw.as_bytes()))
        } else {
            Cow::Borrowed(raw)
        }
    }
}

/// A `resultInfo.code` or `subcode` as it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawCode {
    /// An integer (a JSON number or a numeric string such as `"200"`) whose magnitude is at most
    /// 2^53 - 1, so JavaScript holds it exactly; `at` is where its text is (the number literal or
    /// the string content).
    Int {
        /// The value.
        value: i64,
        /// Where its text is.
        at: TextRef,
    },
    /// Anything else (a non-numeric string such as `"transferring"`, a fraction, a huge number),
    /// kept verbatim.
    Text(TextRef),
}

/// `resultInfo` as offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RawResultInfo {
    /// `code`.
    pub code: Option<RawCode>,
    /// `subcode`, or `subCode` when `subcode` is absent.
    pub subcode: Option<RawCode>,
    /// `message`.
    pub message: Option<TextRef>,
}

/// One notification as offsets into the body, with the enum-like fields already classified.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawEntry {
    /// Position of the item in the body's `value` array.
    pub index: usize,
    /// What the notification is about.
    pub kind: ResourceKind,
    /// `changeType`, classified.
    pub change_type: Option<ChangeType>,
    /// `changeType` text.
    pub change_type_ref: Option<TextRef>,
    /// `resourceUrl`, or the 2018 `resource`.
    pub resource_url: Option<TextRef>,
    /// The call id inside [`resource_url`](Self::resource_url), when the URL has no escapes.
    pub call_id: Option<TextRef>,
    /// The URL has escapes, so the call id must be taken from its decoded text
    /// (see [`call_id_of`](super::call_id_of)).
    pub call_id_needs_decoding: bool,
    /// `resourceData.@odata.type`.
    pub odata_type: Option<TextRef>,
    /// `resourceData.@odata.etag`, or the item's `@odata.etag`.
    pub etag: Option<TextRef>,
    /// `state` (or the 2018 `callState`), classified.
    pub state: Option<CallState>,
    /// The state text.
    pub state_ref: Option<TextRef>,
    /// `resourceData.terminationReason`.
    pub termination_reason: Option<TextRef>,
    /// `resourceData.resultInfo`.
    pub result_info: Option<RawResultInfo>,
    /// `resourceData.clientContext`.
    pub client_context: Option<TextRef>,
    /// `resourceData.status` (commsOperation), classified.
    pub operation_status: Option<OperationStatus>,
    /// The status text.
    pub operation_status_ref: Option<TextRef>,
    /// `resourceData.toneInfo.tone`.
    pub tone: Option<TextRef>,
    /// Byte span of `resourceData` exactly as sent (`body[start..end]`).
    pub resource_data: Option<(usize, usize)>,
    /// The transfer event this notification signals.
    pub transfer: Option<TransferEvent>,
}

/// An item of the batch that could not be parsed; the others are unaffected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    /// Position of the item in the body's `value` array.
    pub index: usize,
    /// What, where (a path such as `value[3].resourceData.state`) and why.
    pub error: Error,
}

/// A batch in offset form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawBatch {
    /// The good items, in body order.
    pub entries: Vec<RawEntry>,
    /// The bad items, in body order.
    pub errors: Vec<ItemError>,
}

type R<T> = Result<T, Syntax>;

/// Receives the items of a body as the parser reads them (so a caller can write them out
/// without collecting them first). [`RawBatch`] is the collecting implementation.
pub trait EntrySink {
    /// A good item, in body order.
    fn entry(&mut self, entry: &RawEntry);
    /// A bad item, in body order.
    fn error(&mut self, error: ItemError);
    /// Forget everything received so far (the body repeats its `value` key, and JSON keeps the
    /// last one; or a limit was exceeded).
    fn reset(&mut self);
}

impl EntrySink for RawBatch {
    fn entry(&mut self, entry: &RawEntry) {
        self.entries.push(entry.clone());
    }
    fn error(&mut self, error: ItemError) {
        self.errors.push(error);
    }
    fn reset(&mut self) {
        self.entries.clear();
        self.errors.clear();
    }
}

/// Parses a notification body into offsets.
///
/// # Errors
///
/// A whole-body [`Error`]: [`ErrorKind::TooLarge`], [`ErrorKind::InvalidUtf8`],
/// [`ErrorKind::InvalidJson`], [`ErrorKind::InvalidEnvelope`], [`ErrorKind::TooManyItems`] or
/// [`ErrorKind::TooDeep`] (for nesting outside the items). Problems inside one item are reported in [`RawBatch::errors`].
pub fn parse_raw(body: &[u8], limits: &ParseLimits) -> Result<RawBatch, Error> {
    let mut batch = RawBatch::default();
    parse_into(body, limits, &mut batch)?;
    Ok(batch)
}

/// Parses a notification body, handing each item to `sink` as soon as it is read.
///
/// # Errors
///
/// As [`parse_raw`]. After an error, what the sink received is meaningless.
pub fn parse_into(
    body: &[u8],
    limits: &ParseLimits,
    sink: &mut dyn EntrySink,
) -> Result<(), Error> {
    if body.len() > limits.max_bytes {
        return Err(Error::new(
            ErrorKind::TooLarge {
                max: limits.max_bytes,
                len: body.len(),
            },
            "",
        ));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        Error::new(
            ErrorKind::InvalidUtf8 {
                valid_up_to: e.valid_up_to(),
            },
            "",
        )
    })?;
    let mut p = Parser {
        sc: Scanner::new(text.as_bytes()),
        text,
        max_depth: limits.max_depth,
        max_items: limits.max_items,
        sink,
        entry: RawEntry::default(),
        envelope: None,
        item_error: None,
        item: None,
    };
    match p.envelope() {
        Ok(()) => {}
        Err(syntax) => {
            let (line, column) = line_col(body, syntax.pos);
            let mut detail = String::from(syntax.what);
            detail.push_str(" at line ");
            detail.push_str(&line.to_string());
            detail.push_str(" column ");
            detail.push_str(&column.to_string());
            return Err(Error::new(ErrorKind::InvalidJson { detail }, p.item_path()));
        }
    }
    if let Some(err) = p.envelope {
        return Err(err);
    }
    Ok(())
}

struct Parser<'a, 's> {
    sc: Scanner<'a>,
    text: &'a str,
    max_depth: usize,
    max_items: usize,
    sink: &'s mut dyn EntrySink,
    /// The item being read (reused, so it is never moved).
    entry: RawEntry,
    /// The first envelope-level problem (reported once the syntax is known to be valid).
    envelope: Option<Error>,
    /// The first problem in the current item.
    item_error: Option<Error>,
    /// The index of the item being read, for error paths (`value[3]`).
    item: Option<usize>,
}

fn describe(first: Option<u8>) -> &'static str {
    match first {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

fn type_error(expected: &'static str, found: Option<u8>) -> ErrorKind {
    let mut detail = String::from("wrong type: expected ");
    detail.push_str(expected);
    detail.push_str(", found ");
    detail.push_str(describe(found));
    ErrorKind::InvalidType { detail }
}

/// Whether `b` is an integer JavaScript holds exactly; returns it.
fn small_int(b: &[u8]) -> Option<i64> {
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    if digits.is_empty() || digits.len() > 16 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for d in digits {
        v = v * 10 + i64::from(d - b'0');
    }
    if v > (1 << 53) - 1 {
        return None;
    }
    Some(if digits.len() < b.len() { -v } else { v })
}

impl<'a> Parser<'a, '_> {
    fn item_path(&self) -> String {
        match self.item {
            Some(index) => {
                let mut path = String::from("value[");
                path.push_str(&index.to_string());
                path.push(']');
                path
            }
            None => String::new(),
        }
    }

    fn item_err(&mut self, kind: ErrorKind, field: &[&str]) {
        if self.item_error.is_none() {
            let mut path = self.item_path();
            for f in field {
                path.push('.');
                path.push_str(f);
            }
            self.item_error = Some(Error::new(kind, path));
        }
    }

    /// Key text; keys with escapes are decoded (rare).
    fn key(&mut self) -> R<Cow<'a, [u8]>> {
        let k = self.sc.key()?;
        Ok(if k.escaped {
            Cow::Owned(unescape(self.sc.raw(k)).into_bytes())
        } else {
            Cow::Borrowed(self.sc.raw(k))
        })
    }

    /// Skips a value nested at `depth` (the depth of the container holding it) and checks the
    /// nesting limit.
    fn skip_at(&mut self, depth: usize, field: &[&str]) -> R<()> {
        let d = self.sc.skip()?;
        if depth + d > self.max_depth {
            self.item_err(
                ErrorKind::TooDeep {
                    max: self.max_depth,
                },
                field,
            );
        }
        Ok(())
    }

    /// Skips the value of an unmodelled member `key` of the container at `depth`; the error
    /// path (`prefix.key`) is only built when the nesting limit is exceeded.
    fn skip_member(&mut self, depth: usize, prefix: &[&str], key: &[u8]) -> R<()> {
        let d = self.sc.skip()?;
        if depth + d > self.max_depth {
            let name = String::from_utf8_lossy(key);
            let mut field: Vec<&str> = prefix.to_vec();
            field.push(&name);
            self.item_err(
                ErrorKind::TooDeep {
                    max: self.max_depth,
                },
                &field,
            );
        }
        Ok(())
    }

    /// A string-or-null member.
    fn string(&mut self, field: &[&str]) -> R<Option<TextRef>> {
        match self.sc.peek() {
            Some(b'"') => Ok(Some(self.sc.string()?.into())),
            Some(b'n') => {
                self.sc.skip()?;
                Ok(None)
            }
            other => {
                self.item_err(type_error("a string", other), field);
                self.sc.skip()?;
                Ok(None)
            }
        }
    }

    fn envelope(&mut self) -> R<()> {
        let first = self.sc.peek();
        if first != Some(b'{') {
            self.sc.skip()?;
            self.sc.end()?;
            self.envelope = Some(Error::new(
                ErrorKind::InvalidEnvelope {
                    reason: "the body must be a JSON object with a `value` array",
                },
                "",
            ));
            return Ok(());
        }
        if 1 > self.max_depth {
            self.envelope = Some(Error::new(
                ErrorKind::TooDeep {
                    max: self.max_depth,
                },
                "",
            ));
        }
        self.sc.pos += 1;
        let mut seen_value = false;
        if !self.sc.empty(b'}') {
            loop {
                let key = self.key()?;
                if &*key == b"value" {
                    seen_value = true;
                    // JSON.parse keeps the last duplicate; so do we.
                    self.sink.reset();
                    self.value_array()?;
                } else {
                    let d = self.sc.skip()?;
                    if 1 + d > self.max_depth && self.envelope.is_none() {
                        let path = String::from_utf8_lossy(&key).into_owned();
                        self.envelope = Some(Error::new(
                            ErrorKind::TooDeep {
                                max: self.max_depth,
                            },
                            path,
                        ));
                    }
                }
                if !self.sc.next_or_close(b'}', "expected ',' or '}'")? {
                    break;
                }
            }
        }
        self.sc.end()?;
        if !seen_value && self.envelope.is_none() {
            self.envelope = Some(Error::new(
                ErrorKind::InvalidEnvelope {
                    reason: "the `value` array is missing",
                },
                "value",
            ));
        }
        Ok(())
    }

    fn value_array(&mut self) -> R<()> {
        let first = self.sc.peek();
        if first != Some(b'[') {
            self.sc.skip()?;
            if self.envelope.is_none() {
                let mut reason = "`value` must be an array";
                if first == Some(b'n') {
                    reason = "`value` must be an array, not null";
                }
                self.envelope = Some(Error::new(ErrorKind::InvalidEnvelope { reason }, "value"));
            }
            return Ok(());
        }
        if 2 > self.max_depth && self.envelope.is_none() {
            self.envelope = Some(Error::new(
                ErrorKind::TooDeep {
                    max: self.max_depth,
                },
                "value",
            ));
        }
        self.sc.pos += 1;
        if self.sc.empty(b']') {
            return Ok(());
        }
        let mut index = 0usize;
        loop {
            if index == self.max_items {
                // Scan on for syntax errors, keeping nothing more.
                self.item = None;
                if self.envelope.is_none() {
                    self.envelope = Some(Error::new(
                        ErrorKind::TooManyItems {
                            max: self.max_items,
                        },
                        "value",
                    ));
                }
                self.sink.reset();
                self.sc.skip()?;
                if !self.sc.next_or_close(b']', "expected ',' or ']'")? {
                    break;
                }
                continue;
            }
            self.item = Some(index);
            self.item_error = None;
            self.item(index)?;
            match self.item_error.take() {
                Some(error) => self.sink.error(ItemError { index, error }),
                None => self.sink.entry(&self.entry),
            }
            index += 1;
            if !self.sc.next_or_close(b']', "expected ',' or ']'")? {
                break;
            }
        }
        self.item = None;
        Ok(())
    }

    fn item(&mut self, index: usize) -> R<()> {
        self.entry = RawEntry {
            index,
            ..RawEntry::default()
        };
        let first = self.sc.peek();
        if first != Some(b'{') {
            self.item_err(type_error("an object", first), &[]);
            self.skip_at(2, &[])?;
            return Ok(());
        }
        if 3 > self.max_depth {
            self.item_err(
                ErrorKind::TooDeep {
                    max: self.max_depth,
                },
                &[],
            );
        }
        self.sc.pos += 1;
        let mut resource: Option<TextRef> = None;
        let mut item_etag: Option<TextRef> = None;
        let mut rd = ResourceFields::default();
        if !self.sc.empty(b'}') {
            loop {
                let key = self.key()?;
                match &*key {
                    b"changeType" => self.entry.change_type_ref = self.string(&["changeType"])?,
                    b"resourceUrl" => self.entry.resource_url = self.string(&["resourceUrl"])?,
                    b"resource" => resource = self.string(&["resource"])?,
                    b"@odata.etag" => item_etag = self.string(&["@odata.etag"])?,
                    b"resourceData" => {
                        rd = ResourceFields::default();
                        self.resource_data(&mut rd)?;
                    }
                    _ => {
                        self.skip_member(3, &[], &key)?;
                    }
                }
                if !self.sc.next_or_close(b'}', "expected ',' or '}'")? {
                    break;
                }
            }
        }
        let e = &mut self.entry;
        if e.resource_url.is_none() {
            e.resource_url = resource;
        }
        finish(self.text, e, rd, item_etag);
        Ok(())
    }

    fn resource_data(&mut self, rd: &mut ResourceFields) -> R<()> {
        const F: &str = "resourceData";
        let first = self.sc.peek();
        let start = self.sc.pos;
        match first {
            Some(b'[') => {
                self.skip_at(3, &[F])?;
                rd.span = Some((start, self.sc.pos));
                rd.is_array = true;
                return Ok(());
            }
            Some(b'n') => {
                self.sc.skip()?;
                return Ok(());
            }
            Some(b'{') => {}
            other => {
                self.item_err(type_error("an object or an array", other), &[F]);
                self.sc.skip()?;
                return Ok(());
            }
        }
        if 4 > self.max_depth {
            self.item_err(
                ErrorKind::TooDeep {
                    max: self.max_depth,
                },
                &[F],
            );
        }
        self.sc.pos += 1;
        if !self.sc.empty(b'}') {
            loop {
                let key = self.key()?;
                match &*key {
                    b"@odata.type" => rd.odata_type = self.string(&[F, "@odata.type"])?,
                    b"@odata.etag" => rd.etag = self.string(&[F, "@odata.etag"])?,
                    b"state" => rd.state = self.string(&[F, "state"])?,
                    b"callState" => rd.call_state = self.string(&[F, "callState"])?,
                    b"terminationReason" => {
                        rd.termination_reason = self.string(&[F, "terminationReason"])?;
                    }
                    b"clientContext" => {
                        rd.client_context = self.string(&[F, "clientContext"])?;
                    }
                    b"status" => rd.status = self.string(&[F, "status"])?,
                    b"resultInfo" => rd.result_info = self.result_info()?,
                    b"toneInfo" => {
                        rd.has_tone = self.sc.peek() != Some(b'n');
                        rd.tone = self.tone_info()?;
                    }
                    b"mediaState" => {
                        let first = self.sc.peek();
                        match first {
                            Some(b'{') => rd.has_media_state = true,
                            Some(b'n') => {}
                            other => {
                                self.item_err(type_error("an object", other), &[F, "mediaState"])
                            }
                        }
                        self.skip_at(4, &[F, "mediaState"])?;
                    }
                    _ => {
                        self.skip_member(4, &[F], &key)?;
                    }
                }
                if !self.sc.next_or_close(b'}', "expected ',' or '}'")? {
                    break;
                }
            }
        }
        rd.span = Some((start, self.sc.pos));
        Ok(())
    }

    /// Enters an object at depth 5 (`value[i].resourceData.<field>`): `false` (value skipped)
    /// for `null` or another type, which is reported as an item error; a depth over the limit is
    /// reported too.
    fn open_nested_object(&mut self, path: &[&str; 2]) -> R<bool> {
        let first = self.sc.peek();
        if first != Some(b'{') {
            if first != Some(b'n') {
                self.item_err(type_error("an object", first), path);
            }
            self.sc.skip()?;
            return Ok(false);
        }
        if 5 > self.max_depth {
            self.item_err(
                ErrorKind::TooDeep {
                    max: self.max_depth,
                },
                path,
            );
        }
        self.sc.pos += 1;
        Ok(true)
    }

    fn tone_info(&mut self) -> R<Option<TextRef>> {
        const P: [&str; 2] = ["resourceData", "toneInfo"];
        if !self.open_nested_object(&P)? {
            return Ok(None);
        }
        let mut tone = None;
        if !self.sc.empty(b'}') {
            loop {
                let key = self.key()?;
                if &*key == b"tone" {
                    tone = self.string(&[P[0], P[1], "tone"])?;
                } else {
                    self.skip_member(5, &[P[0], P[1]], &key)?;
                }
                if !self.sc.next_or_close(b'}', "expected ',' or '}'")? {
                    break;
                }
            }
        }
        Ok(tone)
    }

    fn result_info(&mut self) -> R<Option<RawResultInfo>> {
        const P: [&str; 2] = ["resourceData", "resultInfo"];
        if !self.open_nested_object(&P)? {
            return Ok(None);
        }
        let mut ri = RawResultInfo::default();
        let mut sub_code = None;
        if !self.sc.empty(b'}') {
            loop {
                let key = self.key()?;
                match &*key {
                    b"code" => ri.code = self.code("code")?,
                    b"subcode" => ri.subcode = self.code("subcode")?,
                    b"subCode" => sub_code = self.code("subCode")?,
                    b"message" => ri.message = self.string(&[P[0], P[1], "message"])?,
                    _ => {
                        self.skip_member(5, &[P[0], P[1]], &key)?;
                    }
                }
                if !self.sc.next_or_close(b'}', "expected ',' or '}'")? {
                    break;
                }
            }
        }
        if ri.subcode.is_none() {
            ri.subcode = sub_code;
        }
        Ok(Some(ri))
    }

    fn code(&mut self, name: &'static str) -> R<Option<RawCode>> {
        match self.sc.peek() {
            Some(b'"') => {
                let s: TextRef = self.sc.string()?.into();
                let value = if s.escaped {
                    small_int(s.text(self.text).as_bytes())
                } else {
                    small_int(&self.sc.b[s.start..s.end])
                };
                Ok(Some(match value {
                    Some(value) => RawCode::Int { value, at: s },
                    None => RawCode::Text(s),
                }))
            }
            Some(b'-' | b'0'..=b'9') => {
                let (start, end) = self.sc.number()?;
                let at = TextRef {
                    start,
                    end,
                    escaped: false,
                };
                Ok(Some(match small_int(&self.sc.b[start..end]) {
                    Some(value) => RawCode::Int { value, at },
                    None => RawCode::Text(at),
                }))
            }
            Some(b'n') => {
                self.sc.skip()?;
                Ok(None)
            }
            other => {
                self.item_err(
                    type_error("a number or a string", other),
                    &["resourceData", "resultInfo", name],
                );
                self.sc.skip()?;
                Ok(None)
            }
        }
    }
}

/// Classifies the entry once all its members are known.
fn finish(text: &str, e: &mut RawEntry, rd: ResourceFields, item_etag: Option<TextRef>) {
    e.odata_type = rd.odata_type;
    e.etag = rd.etag.or(item_etag);
    e.state_ref = rd.state.or(rd.call_state);
    e.termination_reason = rd.termination_reason;
    e.result_info = rd.result_info;
    e.client_context = rd.client_context;
    e.operation_status_ref = rd.status;
    e.tone = rd.tone;
    e.resource_data = rd.span;
    e.change_type = e.change_type_ref.map(|r| ChangeType::parse(&r.text(text)));
    e.state = e.state_ref.map(|r| CallState::parse(&r.text(text)));
    e.operation_status = rd.status.map(|r| OperationStatus::parse(&r.text(text)));

    let url = e.resource_url.map(|r| r.text(text));
    let features = super::url_features(url.as_deref().unwrap_or(""));
    if let Some(r) = e.resource_url {
        if r.escaped {
            e.call_id_needs_decoding = true;
        } else if let Some((a, b)) = features.call_id {
            e.call_id = Some(TextRef {
                start: r.start + a,
                end: r.start + b,
                escaped: false,
            });
        }
    }
    let url = url.as_deref().unwrap_or("");
    let odata_type = rd.odata_type.map(|r| r.text(text));
    let odata_type = odata_type.as_deref().unwrap_or("");

    e.kind = if rd.is_array || odata_type == "#microsoft.graph.participant" || features.participants
    {
        ResourceKind::Participants
    } else if odata_type.ends_with("Operation") || features.operations {
        ResourceKind::Operation
    } else if rd.has_tone {
        ResourceKind::Tone
    } else if rd.has_media_state {
        ResourceKind::MediaState
    } else if odata_type == "#microsoft.graph.call"
        || e.state.is_some()
        || (odata_type.is_empty() && features.call_id.is_some_and(|(_, b)| b == url.len()))
    {
        ResourceKind::Call
    } else {
        ResourceKind::Other
    };

    let code = e.result_info.and_then(|ri| match ri.code {
        Some(RawCode::Int { value, .. }) => Some(value),
        _ => None,
    });
    let subcode = e.result_info.and_then(|ri| ri.subcode);
    e.transfer = match e.kind {
        ResourceKind::Operation => {
            let generic = odata_type.is_empty() || odata_type == "#microsoft.graph.commsOperation";
            let sub = match subcode {
                Some(RawCode::Text(r)) => Some(r.text(text)),
                _ => None,
            };
            if !generic {
                None
            } else if e.operation_status == Some(OperationStatus::Failed) {
                Some(TransferEvent::TransferFailed)
            } else {
                match sub.as_deref() {
                    Some("transferring") => Some(TransferEvent::Transferring),
                    Some("transferAccepted" | "transfer-accepted") => {
                        Some(TransferEvent::TransferAccepted)
                    }
                    Some("transferCompleted") => Some(TransferEvent::TransferCompleted),
                    _ => None,
                }
            }
        }
        ResourceKind::Participants => None,
        _ => {
            let ended = e.state == Some(CallState::Terminated)
                || e.change_type == Some(ChangeType::Deleted);
            let app_transferred = e
                .termination_reason
                .is_some_and(|r| r.text(text) == "AppTransferred");
            let graceful = matches!(subcode, Some(RawCode::Int { value: 7015, .. }));
            match &e.state {
                _ if ended && (app_transferred || graceful) => {
                    Some(TransferEvent::TransferCompleted)
                }
                Some(CallState::Transferring) => Some(TransferEvent::Transferring),
                Some(CallState::TransferAccepted) => Some(TransferEvent::TransferAccepted),
                Some(CallState::Established) if code.is_some_and(|c| c >= 400) => {
                    Some(TransferEvent::TransferFailed)
                }
                _ => None,
            }
        }
    };
}

/// The members of `resourceData` the parser reads.
#[derive(Default)]
struct ResourceFields {
    span: Option<(usize, usize)>,
    is_array: bool,
    odata_type: Option<TextRef>,
    etag: Option<TextRef>,
    state: Option<TextRef>,
    call_state: Option<TextRef>,
    termination_reason: Option<TextRef>,
    client_context: Option<TextRef>,
    status: Option<TextRef>,
    result_info: Option<RawResultInfo>,
    tone: Option<TextRef>,
    has_tone: bool,
    has_media_state: bool,
}
