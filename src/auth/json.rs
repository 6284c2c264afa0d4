//! Reading small JSON objects (JOSE headers, claims, key sets) through `serde_json::Value`, whose
//! parser the package already contains, instead of one derived deserializer per shape: it keeps
//! the wasm small. Duplicate member names resolve to the last one, as RFC 7515 section 4 allows.

use serde_json::{Map, Value};

pub(crate) type Object = Map<String, Value>;

/// Parses `json` as one JSON object.
pub(crate) fn object(json: &[u8]) -> Result<Object, String> {
    match serde_json::from_slice::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("not a JSON object".to_owned()),
        Err(e) => Err(strip_position(&e)),
    }
}

/// A string member: `Ok(None)` when absent or `null`, `Err` when of another type.
pub(crate) fn string<'a>(map: &'a Object, name: &str) -> Result<Option<&'a str>, &'static str> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err("wrong type: expected a string"),
    }
}

/// A number member: `Ok(None)` when absent or `null`, `Err` when of another type.
pub(crate) fn number(map: &Object, name: &str) -> Result<Option<f64>, &'static str> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(_) => Err("wrong type: expected a number"),
    }
}

/// The serde_json message without its " at line L column C" suffix.
pub(crate) fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
