//! The crate's error type: what went wrong ([`ErrorKind`]), where (a JSON path such as
//! `transferTarget.identity.phone.id`) and why (the kind's message).

use std::fmt;

/// An error from building, validating or parsing.
///
/// Shaped like twilight's errors: a [`kind`](Self::kind) that carries data, plus the JSON
/// [`path`](Self::path) of the offending value. `Display` reads `"{path}: {why}"`, or just the reason
/// when the error concerns the whole input.
///
/// The error is one pointer wide (its parts live in a box), so that `Result<T, Error>` stays
/// small on the validation hot path, where errors are rare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    path: String,
}

impl Error {
    /// Creates an error of `kind` at the JSON `path` (empty for the whole input).
    #[cold]
    pub fn new(kind: ErrorKind, path: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                path: path.into(),
            }),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// Where: the JSON path of the offending value, such as `transferTarget.identity.phone.id`
    /// or `value[3].resourceData.state`; empty when the whole input is at fault.
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// Splits the error into its kind and path.
    pub fn into_parts(self) -> (ErrorKind, String) {
        let inner = *self.inner;
        (inner.kind, inner.path)
    }

    /// The stable, camelCase name of the kind, as JavaScript sees it in `error.kind`.
    pub fn kind_name(&self) -> &'static str {
        self.inner.kind.name()
    }

    /// Why, without the path.
    pub fn reason(&self) -> String {
        let mut out = String::new();
        self.inner.kind.push_reason(&mut out);
        out
    }

    /// `path: reason`, or the reason alone for an empty path (what `Display` shows), built
    /// without `core::fmt`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn message(&self) -> String {
        let mut out = String::new();
        if !self.inner.path.is_empty() {
            out.push_str(&self.inner.path);
            out.push_str(": ");
        }
        self.inner.kind.push_reason(&mut out);
        out
    }

    /// Prefixes the path with `prefix` (used when a value is validated on its own and then
    /// reported as part of a larger document).
    #[must_use]
    pub fn within(mut self, prefix: &str) -> Self {
        if prefix.is_empty() {
            return self;
        }
        let path = &mut self.inner.path;
        // No dot before an array index (`[2]`); a member whose name starts with `[` still gets one.
        let dot = !path.is_empty() && !starts_with_index(path);
        let mut joined = String::with_capacity(prefix.len() + 1 + path.len());
        joined.push_str(prefix);
        if dot {
            joined.push('.');
        }
        joined.push_str(path);
        *path = joined;
        self
    }
}

/// Whether `path` starts with an array index segment: `[`, one or more digits, `]`, then the end
/// or another segment.
fn starts_with_index(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('[') else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && rest[digits..]
            .strip_prefix(']')
            .is_some_and(|after| after.is_empty() || after.starts_with(['.', '[']))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

/// What went wrong. Each variant has a stable camelCase [`name`](Self::name) used by JavaScript.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not valid JSON (or not valid UTF-8).
    InvalidJson {
        /// The JSON parser's explanation, with line and column.
        detail: String,
    },
    /// A value has the wrong JSON type, such as a number where a string is expected.
    InvalidType {
        /// The decoder's explanation.
        detail: String,
    },
    /// A required field is absent (or `null`).
    MissingField,
    /// A string that must not be empty is empty (or only whitespace).
    EmptyValue,
    /// An option the API does not know (probably a typo).
    UnknownOption,
    /// The call id contains characters that are not safe in a URL path segment.
    UnsafeCallId {
        /// The offending character.
        character: char,
    },
    /// The target has no identity, or an identity set with no member.
    MissingIdentity,
    /// A phone number is not in E.164 form (`+` and 2 to 15 digits, the first not 0).
    NotE164 {
        /// The value that was given.
        value: String,
    },
    /// A string is longer than Graph allows.
    TooLong {
        /// The maximum length in characters.
        max: usize,
        /// The length that was given, in characters.
        len: usize,
    },
    /// The field does not exist in the chosen API dialect.
    UnsupportedInDialect {
        /// The dialect, such as `beta-2018`.
        dialect: &'static str,
    },
    /// `apiVersion` is not one of `v1.0`, `beta`, `beta-2018`.
    UnknownApiVersion {
        /// The value that was given.
        value: String,
    },
    /// `cloud` is not a known national cloud name.
    UnknownCloud {
        /// The value that was given.
        value: String,
    },
    /// Both `cloud` and `baseUrl` were given.
    ConflictingOptions {
        /// The other option.
        other: &'static str,
    },
    /// The base URL is not an absolute `https` URL (or `http` to a loopback host).
    InvalidBaseUrl {
        /// Why it was refused.
        reason: &'static str,
    },
    /// A header value contains characters that cannot be sent in an HTTP header.
    InvalidHeaderValue,
    /// A field sits at the wrong level of the JSON document.
    MisplacedField {
        /// Where it belongs.
        belongs: &'static str,
    },
    /// A value is out of its allowed range.
    OutOfRange {
        /// A description of the allowed range.
        expected: &'static str,
    },
    /// The input is not valid UTF-8.
    InvalidUtf8 {
        /// The byte offset of the first invalid byte.
        valid_up_to: usize,
    },
    /// A notification body is valid JSON but not a `{"value": [...]}` envelope.
    InvalidEnvelope {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The JSON nests deeper than the configured limit.
    TooDeep {
        /// The maximum nesting depth.
        max: usize,
    },
    /// The input is larger than the configured limit.
    TooLarge {
        /// The maximum size in bytes.
        max: usize,
        /// The size that was given, in bytes.
        len: usize,
    },
    /// A list has more items than the configured limit.
    TooManyItems {
        /// The maximum number of items.
        max: usize,
    },
}

impl ErrorKind {
    /// The stable camelCase name of this kind (`error.kind` in JavaScript).
    pub fn name(&self) -> &'static str {
        match self {
            Self::InvalidJson { .. } => "invalidJson",
            Self::InvalidType { .. } => "invalidType",
            Self::MissingField => "missingField",
            Self::EmptyValue => "emptyValue",
            Self::UnknownOption => "unknownOption",
            Self::UnsafeCallId { .. } => "unsafeCallId",
            Self::MissingIdentity => "missingIdentity",
            Self::NotE164 { .. } => "notE164",
            Self::TooLong { .. } => "tooLong",
            Self::UnsupportedInDialect { .. } => "unsupportedInDialect",
            Self::UnknownApiVersion { .. } => "unknownApiVersion",
            Self::UnknownCloud { .. } => "unknownCloud",
            Self::ConflictingOptions { .. } => "conflictingOptions",
            Self::InvalidBaseUrl { .. } => "invalidBaseUrl",
            Self::InvalidHeaderValue => "invalidHeaderValue",
            Self::MisplacedField { .. } => "misplacedField",
            Self::OutOfRange { .. } => "outOfRange",
            Self::InvalidUtf8 { .. } => "invalidUtf8",
            Self::InvalidEnvelope { .. } => "invalidEnvelope",
            Self::TooDeep { .. } => "tooDeep",
            Self::TooLarge { .. } => "tooLarge",
            Self::TooManyItems { .. } => "tooManyItems",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.push_reason(&mut out);
        f.write_str(&out)
    }
}

impl ErrorKind {
    /// Appends the reason (what `Display` shows) to `out`, without `core::fmt`: the wasm builds
    /// reach errors only through here, so they carry no formatting machinery for them.
    #[inline(never)]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub(crate) fn push_reason(&self, out: &mut String) {
        let num = |out: &mut String, n: usize| crate::json::push_u64(out, n as u64);
        let (before, after): (&str, &str) = match self {
            Self::InvalidJson { detail } => ("not valid JSON: ", detail),
            Self::InvalidType { detail } => ("", detail),
            Self::MissingField => ("is required", ""),
            Self::EmptyValue => ("must not be empty", ""),
            Self::UnknownOption => ("is not a known option", ""),
            Self::UnsafeCallId { character } => {
                out.push_str("call id contains ");
                push_quoted_char(out, *character);
                ("", "; only letters, digits, '-', '.', '_' and '~' are allowed in a URL path segment")
            }
            Self::MissingIdentity => (
                "needs an identity with at least one member such as user, application, applicationInstance or phone",
                "",
            ),
            Self::NotE164 { value } => {
                crate::request::view::push_json_string(out, value);
                ("", " is not an E.164 phone number ('+' then 2 to 15 digits, the first not 0, no spaces)")
            }
            Self::TooLong { max, len } => {
                out.push_str("is ");
                num(out, *len);
                out.push_str(" characters long; the maximum is ");
                num(out, *max);
                ("", "")
            }
            Self::UnsupportedInDialect { dialect } => {
                out.push_str("is not part of the ");
                out.push_str(dialect);
                ("", " API; remove it or choose another apiVersion")
            }
            Self::UnknownApiVersion { value } => {
                out.push_str("unknown apiVersion ");
                crate::request::view::push_json_string(out, value);
                ("", "; expected \"v1.0\", \"beta\" or \"beta-2018\"")
            }
            Self::UnknownCloud { value } => {
                out.push_str("unknown cloud ");
                crate::request::view::push_json_string(out, value);
                (
                    "",
                    "; expected \"global\", \"usGovL4\", \"usGovL5\" or \"china\" (or pass baseUrl)",
                )
            }
            Self::ConflictingOptions { other } => {
                out.push_str("cannot be combined with ");
                out.push_str(other);
                ("", "; give one of them")
            }
            Self::InvalidBaseUrl { reason } => ("invalid base URL: ", reason),
            Self::InvalidHeaderValue => (
                "contains characters that are not allowed in an HTTP header",
                "",
            ),
            Self::MisplacedField { belongs } => ("is misplaced; it belongs at ", belongs),
            Self::OutOfRange { expected } => ("is out of range: expected ", expected),
            Self::InvalidUtf8 { valid_up_to } => {
                out.push_str("not valid UTF-8: invalid byte at offset ");
                num(out, *valid_up_to);
                ("", "")
            }
            Self::InvalidEnvelope { reason } => ("not a notification envelope: ", reason),
            Self::TooDeep { max } => {
                out.push_str("nests deeper than the limit of ");
                num(out, *max);
                ("", " levels")
            }
            Self::TooLarge { max, len } => {
                out.push_str("is ");
                num(out, *len);
                out.push_str(" bytes long; the limit is ");
                num(out, *max);
                ("", " bytes")
            }
            Self::TooManyItems { max } => {
                out.push_str("has more than ");
                num(out, *max);
                ("", " items")
            }
        };
        out.push_str(before);
        out.push_str(after);
    }
}

/// Displays a string between double quotes with JSON escapes (`"a\"b"`): what `{:?}` shows for
/// plain text, without pulling `str`'s `Debug` (and its Unicode tables) into the wasm.
pub(crate) struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::with_capacity(self.0.len() + 2);
        crate::request::view::push_json_string(&mut out, self.0);
        f.write_str(&out)
    }
}

/// Appends a character between single quotes, as `{:?}` shows printable ones (`'/'`, `'"'`,
/// `'\''`, `'\n'`); other control characters get a JSON escape (`'\u0001'`).
#[cfg_attr(gct_opt_attr, optimize(size))]
fn push_quoted_char(out: &mut String, c: char) {
    let mut buf = [0u8; 4];
    let mut json = String::with_capacity(8);
    crate::request::view::push_json_string(&mut json, c.encode_utf8(&mut buf));
    let inner = match c {
        '"' => "\"",
        '\'' => "\\'",
        _ => &json[1..json.len() - 1],
    };
    out.push('\'');
    out.push_str(inner);
    out.push('\'');
}

/// Turns a `serde_path_to_error` failure into an [`Error`] with the JSON path of the bad value.
pub(crate) fn from_serde(err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = json_path(err.path());
    let inner = err.into_inner();
    let detail = strip_position(&inner);
    let kind = match inner.classify() {
        serde_json::error::Category::Data => {
            if detail.starts_with("unknown field `") {
                // serde_path_to_error's path already ends with the unknown field's name.
                return Error::new(ErrorKind::UnknownOption, path);
            }
            ErrorKind::InvalidType { detail }
        }
        _ => ErrorKind::InvalidJson {
            detail: inner.to_string(),
        },
    };
    Error::new(kind, path)
}

fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// Renders a serde path as `a.b[3].c`; the root is the empty string.
pub(crate) fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind's reason, as the `write!`-based `Display` it replaced wrote it.
    #[test]
    fn reasons_are_the_former_display() {
        let s = String::from;
        let cases = [
            (ErrorKind::InvalidJson { detail: s("x at line 1") }, "not valid JSON: x at line 1"),
            (ErrorKind::InvalidType { detail: s("wrong type") }, "wrong type"),
            (ErrorKind::MissingField, "is required"),
            (ErrorKind::EmptyValue, "must not be empty"),
            (ErrorKind::UnknownOption, "is not a known option"),
            (ErrorKind::UnsafeCallId { character: '/' }, "call id contains '/'; only letters, digits, '-', '.', '_' and '~' are allowed in a URL path segment"),
            (ErrorKind::UnsafeCallId { character: '\'' }, "call id contains '\\''; only letters, digits, '-', '.', '_' and '~' are allowed in a URL path segment"),
            (ErrorKind::UnsafeCallId { character: '\u{1}' }, "call id contains '\\u0001'; only letters, digits, '-', '.', '_' and '~' are allowed in a URL path segment"),
            (ErrorKind::MissingIdentity, "needs an identity with at least one member such as user, application, applicationInstance or phone"),
            (ErrorKind::NotE164 { value: s("1 \"2") }, "\"1 \\\"2\" is not an E.164 phone number ('+' then 2 to 15 digits, the first not 0, no spaces)"),
            (ErrorKind::TooLong { max: 10, len: 123 }, "is 123 characters long; the maximum is 10"),
            (ErrorKind::UnsupportedInDialect { dialect: "beta-2018" }, "is not part of the beta-2018 API; remove it or choose another apiVersion"),
            (ErrorKind::UnknownApiVersion { value: s("v2") }, "unknown apiVersion \"v2\"; expected \"v1.0\", \"beta\" or \"beta-2018\""),
            (ErrorKind::UnknownCloud { value: s("mars") }, "unknown cloud \"mars\"; expected \"global\", \"usGovL4\", \"usGovL5\" or \"china\" (or pass baseUrl)"),
            (ErrorKind::ConflictingOptions { other: "baseUrl" }, "cannot be combined with baseUrl; give one of them"),
            (ErrorKind::InvalidBaseUrl { reason: "no host" }, "invalid base URL: no host"),
            (ErrorKind::InvalidHeaderValue, "contains characters that are not allowed in an HTTP header"),
            (ErrorKind::MisplacedField { belongs: "a.b" }, "is misplaced; it belongs at a.b"),
            (ErrorKind::OutOfRange { expected: "1 to 2" }, "is out of range: expected 1 to 2"),
            (ErrorKind::InvalidUtf8 { valid_up_to: 7 }, "not valid UTF-8: invalid byte at offset 7"),
            (ErrorKind::InvalidEnvelope { reason: "no value" }, "not a notification envelope: no value"),
            (ErrorKind::TooDeep { max: 64 }, "nests deeper than the limit of 64 levels"),
            (ErrorKind::TooLarge { max: 5, len: 6 }, "is 6 bytes long; the limit is 5 bytes"),
            (ErrorKind::TooManyItems { max: 0 }, "has more than 0 items"),
        ];
        for (kind, want) in cases {
            assert_eq!(kind.to_string(), want);
            let error = Error::new(kind.clone(), "a.b");
            assert_eq!(error.reason(), want);
            assert_eq!(error.to_string(), format!("a.b: {want}"));
            assert_eq!(Error::new(kind, "").to_string(), want);
        }
    }
}
