//! A minimal JSON document model for the small objects this module reads (JOSE headers, claims,
//! key sets, options). One generic deserializer serves every shape, which keeps the wasm much
//! smaller than a derived deserializer per shape or `serde_json::Value` (no `BTreeMap`, no
//! arbitrary-precision numbers). Duplicate member names resolve to the last one, as RFC 7515
//! section 4 allows.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool,
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Object),
}

/// A JSON object's members, in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Object(Vec<(String, Json)>);

impl Object {
    /// The member `name` (the last one when it is repeated).
    pub(crate) fn get(&self, name: &str) -> Option<&Json> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The distinct member names with their (last) values, in document order of first sight.
    pub(crate) fn members(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.0.iter().enumerate().filter_map(move |(i, (k, _))| {
            let first = !self.0[..i].iter().any(|(other, _)| other == k);
            first.then(|| (k.as_str(), self.get(k).unwrap_or(&Json::Null)))
        })
    }
}

impl Json {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&Object> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Json, E> {
        Ok(Json::Bool)
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            members.push((key, value));
        }
        Ok(Json::Object(Object(members)))
    }
}

/// Parses `json` as one JSON object.
pub(crate) fn object(json: &[u8]) -> Result<Object, String> {
    match serde_json::from_slice::<Json>(json) {
        Ok(Json::Object(map)) => Ok(map),
        Ok(_) => Err("not a JSON object".to_owned()),
        Err(e) => Err(strip_position(&e)),
    }
}

/// A string member: `Ok(None)` when absent or `null`, `Err` when of another type.
pub(crate) fn string<'a>(map: &'a Object, name: &str) -> Result<Option<&'a str>, &'static str> {
    match map.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(_) => Err("wrong type: expected a string"),
    }
}

/// A number member: `Ok(None)` when absent or `null`, `Err` when of another type.
pub(crate) fn number(map: &Object, name: &str) -> Result<Option<f64>, &'static str> {
    match map.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => Ok(Some(*n)),
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

#[cfg(test)]
mod tests {
    use super::{object, Json};

    #[test]
    fn reads_every_kind_of_value_and_keeps_the_last_duplicate() {
        let o = object(br#"{"a":"x","b":[1,-2.5,true,null,{"c":{}}],"a":"y","d":1e3}"#).unwrap();
        assert_eq!(o.get("a"), Some(&Json::String("y".into())));
        assert_eq!(o.get("d"), Some(&Json::Number(1000.0)));
        let Some(Json::Array(b)) = o.get("b") else {
            panic!("b is an array")
        };
        assert_eq!(b[1], Json::Number(-2.5));
        assert_eq!(b[2], Json::Bool);
        assert_eq!(b[3], Json::Null);
        let names: Vec<&str> = o.members().map(|(k, _)| k).collect();
        assert_eq!(names, ["a", "b", "d"]);
        assert!(object(b"[]").is_err());
        assert!(object(b"{} x").is_err());
        assert!(object(br#"{"a":"\ud800"}"#).is_err());
    }
}
