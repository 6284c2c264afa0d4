//! What a callback token must claim: issuer, audience, tenant and validity window.

use serde::Deserialize;

use super::claims::Claims;
use super::error::{AuthError, AuthErrorKind};
use super::json::Json;
use crate::error::{Error, ErrorKind};
use crate::request::Cloud;

/// The default clock skew, in seconds.
pub const DEFAULT_CLOCK_SKEW_SECONDS: u32 = 300;

/// The largest clock skew accepted, in seconds.
pub const MAX_CLOCK_SKEW_SECONDS: u32 = 3600;

/// The issuers accepted by default (the global cloud), as in Microsoft's samples.
pub const GLOBAL_ISSUERS: [&str; 2] = [
    "https://graph.microsoft.com",
    "https://api.botframework.com",
];

/// The issuers a cloud's callback tokens are expected to carry: the cloud's Graph host and its
/// Bot Framework host.
///
/// Only the global pair is confirmed by Microsoft's samples; the others follow each cloud's Graph
/// and Bot Framework endpoints. Pass explicit issuers when you know better.
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn cloud_issuers(cloud: Cloud) -> [&'static str; 2] {
    match cloud {
        Cloud::UsGovL4 => ["https://graph.microsoft.us", "https://api.botframework.us"],
        Cloud::UsGovL5 => [
            "https://dod-graph.microsoft.us",
            "https://api.botframework.us",
        ],
        Cloud::China => [
            "https://microsoftgraph.chinacloudapi.cn",
            "https://api.botframework.azure.cn",
        ],
        Cloud::Global => GLOBAL_ISSUERS,
    }
}

/// The options of the claim checks, as JSON (the claim-related part of JavaScript's
/// `verifyCallbackToken` options).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallbackAuthOptions {
    /// The bot's app id (client id): the required audience. Required.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub app_id: Option<String>,
    /// The accepted issuers, replacing the cloud's defaults. One trailing `/` is ignored on both
    /// sides of the comparison; otherwise issuers compare exactly.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub issuers: Option<Vec<String>>,
    /// Picks the default issuers: `"global"` (default), `"usGovL4"`, `"usGovL5"` or `"china"`.
    #[serde(default)]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "\"global\" | \"usGovL4\" | \"usGovL5\" | \"china\"")
    )]
    pub cloud: Option<String>,
    /// When given, only these tenants (`tid`, compared ignoring ASCII case) are accepted; an
    /// empty list accepts none.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub allowed_tenants: Option<Vec<String>>,
    /// Allowed clock difference in seconds, 0 to 3600; default 300.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub clock_skew_seconds: Option<u32>,
}

/// The checks a verified token's claims must pass. Build it once and reuse it.
///
/// # Examples
/// ```
/// use graph_call_transfer::auth::{CallbackAuthPolicy, Claims};
/// let policy = CallbackAuthPolicy::new("bot-app-id").allowed_tenants(["tenant-1"]);
/// let claims = Claims::from_json(
///     br#"{"iss":"https://graph.microsoft.com/","aud":"bot-app-id","exp":1000,"tid":"TENANT-1"}"#,
/// ).unwrap();
/// assert!(policy.check(&claims, 1200.0).is_ok()); // inside the 300 s skew
/// assert_eq!(policy.check(&claims, 1300.0).unwrap_err().kind_name(), "expired");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackAuthPolicy {
    audience: String,
    issuers: Vec<String>,
    tenants: Option<Vec<String>>,
    clock_skew: f64,
}

impl CallbackAuthPolicy {
    /// A policy for the bot `app_id` with the global issuers, any tenant and a 300 s skew.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn new(app_id: impl Into<String>) -> Self {
        Self {
            audience: app_id.into(),
            issuers: GLOBAL_ISSUERS
                .iter()
                .map(|s| trim_slash(s).to_owned())
                .collect(),
            tenants: None,
            clock_skew: f64::from(DEFAULT_CLOCK_SKEW_SECONDS),
        }
    }

    /// Replaces the accepted issuers (one trailing `/` is ignored when comparing).
    #[must_use]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn issuers<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, issuers: I) -> Self {
        self.issuers = issuers
            .into_iter()
            .map(|s| trim_slash(s.as_ref()).to_owned())
            .collect();
        self
    }

    /// Accepts only these tenants (compared ignoring ASCII case; an empty list accepts none).
    #[must_use]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn allowed_tenants<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, tenants: I) -> Self {
        self.tenants = Some(tenants.into_iter().map(|s| s.as_ref().to_owned()).collect());
        self
    }

    /// Sets the clock skew in seconds (saturated to [`MAX_CLOCK_SKEW_SECONDS`]).
    #[must_use]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn clock_skew_seconds(mut self, seconds: u32) -> Self {
        self.clock_skew = f64::from(seconds.min(MAX_CLOCK_SKEW_SECONDS));
        self
    }

    /// Builds a policy from [`CallbackAuthOptions`] JSON.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidJson`], [`ErrorKind::InvalidType`], [`ErrorKind::UnknownOption`],
    /// [`ErrorKind::MissingField`] / [`ErrorKind::EmptyValue`] for `appId`,
    /// [`ErrorKind::UnknownCloud`], [`ErrorKind::ConflictingOptions`] for `cloud` with `issuers`,
    /// [`ErrorKind::EmptyValue`] for an empty `issuers` list, and [`ErrorKind::OutOfRange`] for
    /// `clockSkewSeconds`.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn from_json(json: &[u8]) -> Result<Self, Error> {
        // Read through the crate's small JSON reader rather than a derived deserializer, borrowing
        // the strings until the policy is built.
        let map = match super::json::parse(json) {
            Ok(Json::Object(map)) => map,
            Ok(_) => return Err(wrong_type("", "an object")),
            Err(detail) => return Err(Error::new(ErrorKind::InvalidJson { detail }, "")),
        };
        let mut app_id = None;
        let mut issuers = None;
        let mut cloud = None;
        let mut tenants = None;
        let mut skew = None;
        for (name, value) in map.members() {
            if matches!(value, Json::Null) {
                continue;
            }
            match name {
                "appId" => app_id = Some(string(value, name)?),
                "issuers" => issuers = Some(strings(value, name)?),
                "cloud" => cloud = Some(string(value, name)?),
                "allowedTenants" => tenants = Some(strings(value, name)?),
                "clockSkewSeconds" => {
                    let seconds = match value.as_f64() {
                        Some(n) if n >= 0.0 && n.fract() == 0.0 => n,
                        _ => return Err(wrong_type(name, "a whole number of seconds")),
                    };
                    skew = Some(if seconds > f64::from(u32::MAX) {
                        u32::MAX
                    } else {
                        seconds as u32
                    });
                }
                _ => return Err(Error::new(ErrorKind::UnknownOption, name)),
            }
        }
        Self::build(app_id, issuers.as_deref(), cloud, tenants.as_deref(), skew)
    }

    /// Builds a policy from parsed options.
    ///
    /// # Errors
    /// As [`from_json`](Self::from_json), except the JSON errors.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn from_options(options: CallbackAuthOptions) -> Result<Self, Error> {
        Self::build(
            options.app_id.as_deref(),
            borrow(&options.issuers).as_deref(),
            options.cloud.as_deref(),
            borrow(&options.allowed_tenants).as_deref(),
            options.clock_skew_seconds,
        )
    }

    /// The option rules, in this order: `appId` present and not blank, `cloud` or `issuers` (not
    /// both; a known cloud; a non-empty list without blank issuers), `clockSkewSeconds` in range.
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn build(
        app_id: Option<&str>,
        issuers: Option<&[&str]>,
        cloud: Option<&str>,
        tenants: Option<&[&str]>,
        skew: Option<u32>,
    ) -> Result<Self, Error> {
        let app_id = app_id.ok_or_else(|| Error::new(ErrorKind::MissingField, "appId"))?;
        if is_blank(app_id) {
            return Err(Error::new(ErrorKind::EmptyValue, "appId"));
        }
        let issuers = match (cloud, issuers) {
            (Some(_), Some(_)) => {
                return Err(Error::new(
                    ErrorKind::ConflictingOptions { other: "issuers" },
                    "cloud",
                ))
            }
            (Some(cloud), None) => owned(&cloud_issuers(Cloud::parse(cloud)?), true),
            (None, Some(issuers)) => {
                if issuers.is_empty() {
                    return Err(Error::new(ErrorKind::EmptyValue, "issuers"));
                }
                if let Some(i) = issuers.iter().position(|s| trim_slash(s).is_empty()) {
                    return Err(Error::new(ErrorKind::EmptyValue, format!("issuers[{i}]")));
                }
                owned(issuers, true)
            }
            (None, None) => owned(&GLOBAL_ISSUERS, true),
        };
        let clock_skew = match skew {
            Some(skew) if skew > MAX_CLOCK_SKEW_SECONDS => {
                return Err(Error::new(
                    ErrorKind::OutOfRange {
                        expected: "0 to 3600 seconds",
                    },
                    "clockSkewSeconds",
                ))
            }
            Some(skew) => f64::from(skew),
            None => f64::from(DEFAULT_CLOCK_SKEW_SECONDS),
        };
        Ok(Self {
            audience: app_id.to_owned(),
            issuers,
            tenants: tenants.map(|t| owned(t, false)),
            clock_skew,
        })
    }

    /// Checks `claims` at `now` (seconds since the Unix epoch), in this order: `exp` present,
    /// `iss`, `aud`, `exp` and `nbf` with the clock skew, `tid`.
    ///
    /// A token is expired when `now >= exp + skew` and not yet valid when `now < nbf - skew`.
    ///
    /// # Errors
    /// [`AuthErrorKind::Malformed`] at `payload.exp` when there is no `exp`,
    /// [`AuthErrorKind::WrongIssuer`], [`AuthErrorKind::WrongAudience`],
    /// [`AuthErrorKind::Expired`], [`AuthErrorKind::NotYetValid`],
    /// [`AuthErrorKind::MissingTenant`] and [`AuthErrorKind::TenantNotAllowed`].
    #[cfg_attr(gct_opt_attr, optimize(size))]
    pub fn check(&self, claims: &Claims, now: f64) -> Result<(), AuthError> {
        let Some(exp) = claims.exp else {
            return Err(AuthError::new(
                AuthErrorKind::Malformed {
                    detail: "the token has no exp claim".to_owned(),
                },
                "payload.exp",
            ));
        };
        let issuer_ok = claims
            .iss
            .as_deref()
            .is_some_and(|iss| self.issuers.iter().any(|ok| ok == trim_slash(iss)));
        if !issuer_ok {
            return Err(AuthError::new(AuthErrorKind::WrongIssuer, "payload.iss"));
        }
        if !claims
            .aud
            .as_ref()
            .is_some_and(|aud| aud.contains(&self.audience))
        {
            return Err(AuthError::new(AuthErrorKind::WrongAudience, "payload.aud"));
        }
        // A clock that is not a number fails closed.
        if now.is_nan() || now >= exp + self.clock_skew {
            return Err(AuthError::new(
                AuthErrorKind::Expired {
                    exp: exp.floor() as i64,
                    now: now.floor() as i64,
                },
                "payload.exp",
            ));
        }
        if let Some(nbf) = claims.nbf {
            if now < nbf - self.clock_skew {
                return Err(AuthError::new(
                    AuthErrorKind::NotYetValid {
                        nbf: nbf.floor() as i64,
                        now: now.floor() as i64,
                    },
                    "payload.nbf",
                ));
            }
        }
        let tid = claims.tid.as_deref().unwrap_or("");
        if is_blank(tid) {
            return Err(AuthError::new(AuthErrorKind::MissingTenant, "payload.tid"));
        }
        if let Some(tenants) = &self.tenants {
            if !tenants.iter().any(|t| t.eq_ignore_ascii_case(tid)) {
                return Err(AuthError::new(
                    AuthErrorKind::TenantNotAllowed,
                    "payload.tid",
                ));
            }
        }
        Ok(())
    }
}

#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn wrong_type(path: &str, expected: &str) -> Error {
    Error::new(
        ErrorKind::InvalidType {
            detail: format!("wrong type: expected {expected}"),
        },
        path,
    )
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn string<'a>(value: &'a Json, path: &str) -> Result<&'a str, Error> {
    value.as_str().ok_or_else(|| wrong_type(path, "a string"))
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn strings<'a>(value: &'a Json, path: &str) -> Result<Vec<&'a str>, Error> {
    let Json::Array(items) = value else {
        return Err(wrong_type(path, "an array of strings"));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(s) => out.push(s),
            None => return Err(wrong_type(&format!("{path}[{i}]"), "a string")),
        }
    }
    Ok(out)
}

/// Whether `s` is empty or only whitespace (`s.trim().is_empty()` without `trim`'s two-ended
/// search).
#[cfg_attr(gct_opt_attr, optimize(size))]
fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// `&str`s of an optional list of strings.
fn borrow(list: &Option<Vec<String>>) -> Option<Vec<&str>> {
    list.as_ref()
        .map(|l| l.iter().map(String::as_str).collect())
}

/// Owned copies of `list`, each without one trailing `/` when `trim`.
#[cfg_attr(gct_opt_attr, optimize(size), inline(never))]
fn owned(list: &[&str], trim: bool) -> Vec<String> {
    list.iter()
        .map(|s| if trim { trim_slash(s) } else { s }.to_owned())
        .collect()
}

/// Removes one trailing `/`.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn trim_slash(s: &str) -> &str {
    s.strip_suffix('/').unwrap_or(s)
}
