use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::Extra;

/// `resultInfo`: the outcome of an operation or the reason for a call state.
///
/// Real payloads spell the subcode both `subcode` and `subCode` and send codes as numbers or as
/// numeric strings. Both spellings are accepted and kept as they came (so a round trip is exact);
/// read the value with [`subcode`](Self::subcode).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ResultInfo {
    /// `@odata.type`, usually `#microsoft.graph.resultInfo`.
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub odata_type: Option<String>,
    /// The result code: 0 for success, an HTTP-like status otherwise.
    #[serde(
        default,
        deserialize_with = "lenient_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<i64>,
    /// The subcode, as sent under `subcode`.
    #[serde(
        default,
        deserialize_with = "lenient_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub subcode: Option<i64>,
    /// The subcode, as sent under `subCode`.
    #[serde(
        rename = "subCode",
        default,
        deserialize_with = "lenient_code",
        skip_serializing_if = "Option::is_none"
    )]
    pub sub_code: Option<i64>,
    /// The message, such as `GracefulTransferCompleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields not modelled here, kept verbatim.
    #[serde(flatten, default, skip_serializing_if = "super::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

impl ResultInfo {
    /// The subcode, whichever spelling carried it (`subcode` wins when both are present).
    pub fn subcode(&self) -> Option<i64> {
        self.subcode.or(self.sub_code)
    }
}

/// Accepts a JSON integer, an integral float, a numeric string (`"7015"`) or `null`.
pub(crate) fn lenient_code<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    struct CodeVisitor;

    impl<'de> Visitor<'de> for CodeVisitor {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an integer or a string of digits")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            if v.fract() == 0.0 && v.abs() < 9.0e15 {
                Ok(Some(v as i64))
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            v.trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    deserializer.deserialize_option(CodeVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_numbers_and_numeric_strings_are_accepted_and_kept() {
        let a: ResultInfo = serde_json::from_str(
            r#"{"code":0,"subcode":7015,"message":"GracefulTransferCompleted"}"#,
        )
        .unwrap();
        assert_eq!(
            (a.code, a.subcode(), a.message.as_deref()),
            (Some(0), Some(7015), Some("GracefulTransferCompleted"))
        );
        let b: ResultInfo =
            serde_json::from_str(r#"{"code":"500","subCode":" 7700 ","x":true}"#).unwrap();
        assert_eq!((b.code, b.subcode()), (Some(500), Some(7700)));
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"code":500,"subCode":7700,"x":true}"#
        );
        let c: ResultInfo = serde_json::from_str(r#"{"code":500.0,"subcode":null}"#).unwrap();
        assert_eq!((c.code, c.subcode()), (Some(500), None));
        for bad in [
            r#"{"code":"abc"}"#,
            r#"{"code":1.5}"#,
            r#"{"code":[]}"#,
            r#"{"code":18446744073709551615}"#,
        ] {
            assert!(serde_json::from_str::<ResultInfo>(bad).is_err(), "{bad}");
        }
    }
}
