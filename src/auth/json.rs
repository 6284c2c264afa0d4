//! A minimal JSON document model for the small objects this module reads (JOSE headers, claims,
//! key sets, options), built by the crate's own reader ([`crate::json`]): no serde in the wasm.
//! Duplicate member names resolve to the last one, as RFC 7515 section 4 allows.

pub(crate) use crate::json::{Object, Value as Json};

/// Parses one JSON document; the error is the syntax problem with its line and column.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn parse(json: &[u8]) -> Result<Json<'_>, String> {
    crate::json::parse(json).map_err(|e| e.message())
}

/// Parses `json` as one JSON object.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn object(json: &[u8]) -> Result<Object<'_>, String> {
    match crate::json::parse(json) {
        Ok(Json::Object(map)) => Ok(map),
        Ok(_) => Err("not a JSON object".to_owned()),
        Err(e) => Err(e.what.to_owned()),
    }
}

/// A string member: `Ok(None)` when absent or `null`, `Err` when of another type.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn string<'a>(map: &'a Object<'_>, name: &str) -> Result<Option<&'a str>, &'static str> {
    match map.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(_) => Err("wrong type: expected a string"),
    }
}

/// A number member: `Ok(None)` when absent or `null`, `Err` when of another type.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn number(map: &Object<'_>, name: &str) -> Result<Option<f64>, &'static str> {
    match map.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(n @ Json::Number(_)) => n.as_f64().map(Some).ok_or("number out of range"),
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
        assert_eq!(o.get("d").and_then(Json::as_f64), Some(1000.0));
        let Some(Json::Array(b)) = o.get("b") else {
            panic!("b is an array")
        };
        assert_eq!(b[1].as_f64(), Some(-2.5));
        assert_eq!(b[2], Json::Bool(true));
        assert_eq!(b[3], Json::Null);
        let names: Vec<&str> = o.members().map(|(k, _)| k).collect();
        assert_eq!(names, ["a", "b", "d"]);
        assert!(object(b"[]").is_err());
        assert!(object(b"{} x").is_err());
        assert!(object(br#"{"a":"\ud800"}"#).is_err());
    }
}
