//! A minimal JSON document model for the small objects this module reads (JOSE headers, claims,
//! key sets, options), built by the crate's own reader ([`crate::json`]): no serde in the wasm.
//! Duplicate member names resolve to the last one, as RFC 7515 section 4 allows.

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

impl Json {
    fn from_value(v: crate::json::Value<'_>) -> Result<Self, &'static str> {
        use crate::json::Value;
        Ok(match v {
            Value::Null => Json::Null,
            Value::Bool(_) => Json::Bool,
            Value::Number(_) => Json::Number(v.as_f64().ok_or("number out of range")?),
            Value::String(s) => Json::String(s.into_owned()),
            Value::Array(items) => Json::Array(
                items
                    .into_iter()
                    .map(Json::from_value)
                    .collect::<Result<_, &str>>()?,
            ),
            Value::Object(members) => Json::Object(Object(
                members
                    .into_iter()
                    .map(|(k, v)| Ok((k.into_owned(), Json::from_value(v)?)))
                    .collect::<Result<_, &str>>()?,
            )),
        })
    }
}

/// Parses one JSON document; the error is the syntax problem with its line and column.
pub(crate) fn parse(json: &[u8]) -> Result<Json, String> {
    let value = crate::json::parse(json).map_err(|e| e.message())?;
    Json::from_value(value).map_err(str::to_owned)
}

/// Parses `json` as one JSON object.
pub(crate) fn object(json: &[u8]) -> Result<Object, String> {
    match crate::json::parse(json) {
        Ok(value @ crate::json::Value::Object(_)) => match Json::from_value(value) {
            Ok(Json::Object(map)) => Ok(map),
            Ok(_) => Err("not a JSON object".to_owned()),
            Err(why) => Err(why.to_owned()),
        },
        Ok(_) => Err("not a JSON object".to_owned()),
        Err(e) => Err(e.what.to_owned()),
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
