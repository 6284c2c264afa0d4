//! HTTP dates (RFC 9110 §5.6.7) and `Retry-After` values, parsed without a clock.
//!
//! Three formats are accepted, as RFC 9110 asks of recipients:
//! IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT` (what servers send today), the obsolete RFC 850
//! form `Sunday, 06-Nov-94 08:49:37 GMT` and C's asctime form `Sun Nov  6 08:49:37 1994`.
//! The weekday is checked for being a weekday name but not against the date (RFC 9110 lets a
//! recipient ignore it, and a wrong weekday is a sender bug that should not cost a retry).

/// The largest `Retry-After` accepted, in seconds (a day). Larger values saturate to it: a client
/// never waits that long anyway, and it keeps the millisecond arithmetic far from overflow.
pub const RETRY_AFTER_MAX_SECS: u64 = 86_400;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SHORT_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Parses an HTTP date into milliseconds since the Unix epoch, or `None` when `text` is not one.
///
/// RFC 850's two-digit years are read as 1970-2069.
///
/// ```
/// use graph_call_transfer::response::parse_http_date;
///
/// assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000));
/// assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777_000));
/// assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777_000));
/// assert_eq!(parse_http_date("yesterday"), None);
/// ```
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn parse_http_date(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Some(at) = find_ignore_case(text.as_bytes(), b", ") {
        let (day_name, rest) = (text.get(..at)?, text.get(at + 2..)?);
        if SHORT_DAYS.contains(&day_name) {
            return imf_fixdate(rest);
        }
        if LONG_DAYS.contains(&day_name) {
            return rfc850(rest);
        }
        return None;
    }
    let mut parts = fields(text, b' ');
    let day_name = parts.next()?;
    let rest = parts.rest?;
    if SHORT_DAYS.contains(&day_name) {
        return asctime(rest);
    }
    None
}

/// `06 Nov 1994 08:49:37 GMT`
#[cfg_attr(gct_opt_attr, optimize(size))]
fn imf_fixdate(rest: &str) -> Option<u64> {
    let mut parts = fields(rest, b' ');
    let day = digits(parts.next()?, 2)?;
    let month = month(parts.next()?)?;
    let year = digits(parts.next()?, 4)?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    to_millis(year, month, day, time)
}

/// `06-Nov-94 08:49:37 GMT`
#[cfg_attr(gct_opt_attr, optimize(size))]
fn rfc850(rest: &str) -> Option<u64> {
    let mut parts = fields(rest, b' ');
    let mut date = fields(parts.next()?, b'-');
    let day = digits(date.next()?, 2)?;
    let month = month(date.next()?)?;
    let yy = digits(date.next()?, 2)?;
    if date.next().is_some() {
        return None;
    }
    let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    to_millis(year, month, day, time)
}

/// `Nov  6 08:49:37 1994` (the day is space-padded to two characters)
#[cfg_attr(gct_opt_attr, optimize(size))]
fn asctime(rest: &str) -> Option<u64> {
    let month = month(rest.get(..3)?)?;
    let rest = rest.get(3..)?.strip_prefix(' ')?;
    let day_field = rest.get(..2)?;
    let day = digits(
        day_field.trim_start_matches(' '),
        day_field.trim_start().len(),
    )?;
    let mut parts = fields(rest.get(2..)?.strip_prefix(' ')?, b' ');
    let time = parts.next()?;
    let year = digits(parts.next()?, 4)?;
    if parts.next().is_some() {
        return None;
    }
    to_millis(year, month, day, time)
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn month(name: &str) -> Option<u64> {
    MONTHS.iter().position(|m| *m == name).map(|i| i as u64 + 1)
}

/// Exactly `len` ASCII digits (1 to 4) as a number.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn digits(text: &str, len: usize) -> Option<u64> {
    if text.len() != len || len == 0 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    decimal(text)
}

/// ASCII digits as a number, `None` when it overflows `u64` (`str::parse` without its
/// generic machinery: the caller has checked the digits).
#[cfg_attr(gct_opt_attr, optimize(size))]
fn decimal(digits: &str) -> Option<u64> {
    digits.bytes().try_fold(0u64, |n, b| {
        n.checked_mul(10)?
            .checked_add(u64::from(b.wrapping_sub(b'0')))
    })
}

/// `text` split at each `sep` byte, as `str::split` with an ASCII `char` does, without the
/// pattern machinery (smaller wasm).
pub(crate) struct Fields<'a> {
    /// What is left to split; `None` after the last field.
    pub(crate) rest: Option<&'a str>,
    sep: u8,
}

/// The fields of `text` separated by `sep` (an ASCII byte).
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(crate) fn fields(text: &str, sep: u8) -> Fields<'_> {
    Fields {
        rest: Some(text),
        sep,
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    #[inline(never)]
    #[cfg_attr(gct_opt_attr, optimize(size))]
    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest?;
        match text.bytes().position(|b| b == self.sep) {
            Some(at) => {
                self.rest = text.get(at + 1..);
                text.get(..at)
            }
            None => {
                self.rest = None;
                Some(text)
            }
        }
    }
}

/// Where `needle` (ASCII) first occurs in `haystack`, ignoring ASCII case (a byte search instead
/// of `str::find`'s two-way searcher, which is large in wasm and not needed on short texts).
#[inline(never)]
#[cfg_attr(gct_opt_attr, optimize(size))]
pub(super) fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// `HH:MM:SS` plus the date, checked, to milliseconds since the epoch.
#[cfg_attr(gct_opt_attr, optimize(size))]
fn to_millis(year: u64, month: u64, day: u64, time: &str) -> Option<u64> {
    let mut hms = fields(time, b':');
    let hour = digits(hms.next()?, 2)?;
    let minute = digits(hms.next()?, 2)?;
    let second = digits(hms.next()?, 2)?;
    // 60 is a leap second; RFC 9110 allows it and it is harmless here.
    if hms.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if year < 1970 || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((((days * 24 + hour) * 60 + minute) * 60 + second) * 1000)
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn is_leap(year: u64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

#[cfg_attr(gct_opt_attr, optimize(size))]
fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm, for years from 1970 on).
#[cfg_attr(gct_opt_attr, optimize(size))]
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads a `Retry-After` header value as a delay in milliseconds from `now_ms` (milliseconds
/// since the epoch): either a number of seconds or an HTTP date (a date in the past gives `0`).
/// Returns `None` when the value is neither.
///
/// Seconds above [`RETRY_AFTER_MAX_SECS`] saturate to it.
///
/// ```
/// use graph_call_transfer::response::parse_retry_after;
///
/// let now = 784_111_777_000; // Sun, 06 Nov 1994 08:49:37 GMT
/// assert_eq!(parse_retry_after("120", now), Some(120_000));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), Some(10_000));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Some(0));
/// assert_eq!(parse_retry_after("-1", now), None);
/// ```
#[cfg_attr(gct_opt_attr, optimize(size))]
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = decimal(value)
            .unwrap_or(RETRY_AFTER_MAX_SECS)
            .min(RETRY_AFTER_MAX_SECS);
        return Some(secs * 1000);
    }
    parse_http_date(value).map(|at| at.saturating_sub(now_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Sat, 29 Feb 2020 23:59:59 GMT"),
            Some(1_583_020_799_000)
        );
        assert_eq!(
            parse_http_date("Friday, 27-Nov-26 12:00:00 GMT"),
            parse_http_date("Fri, 27 Nov 2026 12:00:00 GMT")
        );
        assert_eq!(
            parse_http_date("Fri Nov 27 12:00:00 2026"),
            parse_http_date("Fri, 27 Nov 2026 12:00:00 GMT")
        );
        assert_eq!(parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT"), Some(0));
    }

    #[test]
    fn refuses_near_misses() {
        for bad in [
            "",
            "GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 29 Feb 2021 08:49:37 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 06 Nov +994 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(parse_retry_after(" 0 ", 5), Some(0));
        assert_eq!(
            parse_retry_after("99999999999999999999999", 0),
            Some(86_400_000)
        );
        assert_eq!(parse_retry_after("1.5", 0), None);
        assert_eq!(parse_retry_after("", 0), None);
        assert_eq!(parse_retry_after("soon", 0), None);
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:02 GMT", 500),
            Some(1500)
        );
    }

    #[test]
    fn every_day_of_four_years_round_trips_through_the_formats() {
        // Cross-check days_from_civil against a running day counter.
        let mut expected_days = days_from_civil(2023, 1, 1);
        for year in 2023..2027 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let m = MONTHS[(month - 1) as usize];
                    let weekday = SHORT_DAYS[((expected_days + 3) % 7) as usize];
                    let imf = format!("{weekday}, {day:02} {m} {year} 01:02:03 GMT");
                    let asc = format!("{weekday} {m} {day:>2} 01:02:03 {year}");
                    let want = Some(expected_days * 86_400_000 + 3_723_000);
                    assert_eq!(parse_http_date(&imf), want, "{imf}");
                    assert_eq!(parse_http_date(&asc), want, "{asc}");
                    expected_days += 1;
                }
            }
        }
    }
}
