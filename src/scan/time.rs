//! Fast RFC 3339 parsing to epoch milliseconds (the hot path of every log scan), and
//! the user-facing time bounds (`--since`, `--until`, `--month`, `--as-of`).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::time::Month;

/// Milliseconds since the Unix epoch of an RFC 3339 time with a zone
/// (`2026-11-22T10:15:30.123Z`, `2026-11-22t10:15:30+01:00`, `2026-11-22 10:15:30Z`).
/// Fractions finer than a millisecond are truncated. `None` when it is not one.
pub fn parse_millis(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 3 {
                millis = millis * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        for _ in n..3 {
            millis *= 10;
        }
    }
    let offset_min: i64 = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let oh = digits(b, i + 1, 2)?;
            let om = digits(b, i + 4, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 60 + om;
            if *sign == b'-' { -off } else { off }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    // A leap second (:60) counts as the next second, as chrono does for ordering.
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_min * 60;
    Some(secs * 1000 + millis)
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let mut v = 0i64;
    for &c in b.get(at..at + n)? {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A UTC instant from epoch milliseconds.
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// The UTC day (`YYYY-MM-DD`) of an instant in epoch milliseconds.
pub fn day_of(ms: i64) -> String {
    from_millis(ms).format("%Y-%m-%d").to_string()
}

/// Which end of a day a bare date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateEnd {
    /// Midnight at the start of the day (for `--since`).
    Start,
    /// Midnight at the end of the day (for `--until` and `--as-of`: the whole day is included).
    End,
}

/// Parse a user-given bound: an RFC 3339 time, or a date `YYYY-MM-DD` (UTC) taken at
/// its start or end. Returns epoch milliseconds.
pub fn parse_bound(s: &str, end: DateEnd, flag: &str) -> anyhow::Result<i64> {
    if let Some(ms) = parse_millis(s.trim()) {
        return Ok(ms);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.timestamp_millis());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        let d = if end == DateEnd::End {
            d.succ_opt().unwrap_or(d)
        } else {
            d
        };
        let start = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        return Ok(start.timestamp_millis());
    }
    anyhow::bail!("{flag} '{s}' is not a date or time; write 2026-11-01 or 2026-11-01T00:00:00Z")
}

/// A half-open time range `[from, to)` in epoch milliseconds (either end open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range {
    /// Inclusive start.
    pub from: Option<i64>,
    /// Exclusive end.
    pub to: Option<i64>,
}

impl Range {
    /// Whether `ms` falls in the range.
    pub fn contains(&self, ms: i64) -> bool {
        self.from.is_none_or(|f| ms >= f) && self.to.is_none_or(|t| ms < t)
    }

    /// The range of `--since`, `--until` and `--month` (which narrows the other two).
    pub fn from_flags(
        since: Option<&str>,
        until: Option<&str>,
        month: Option<&str>,
    ) -> anyhow::Result<Self> {
        let mut r = Range {
            from: since
                .map(|s| parse_bound(s, DateEnd::Start, "--since"))
                .transpose()?,
            to: until
                .map(|s| parse_bound(s, DateEnd::End, "--until"))
                .transpose()?,
        };
        if let (Some(from), Some(to), Some(since), Some(until)) = (r.from, r.to, since, until)
            && from >= to
        {
            anyhow::bail!(
                "--since '{since}' is not before --until '{until}', so no event could match; swap them"
            );
        }
        if let Some(m) = month {
            let m = Month::parse(m).ok_or_else(|| {
                anyhow::anyhow!("--month '{m}' is not a month; write YYYY-MM, e.g. 2026-11")
            })?;
            let start = month_start_ms(m);
            let end = month_start_ms(m.next());
            let from = r.from.map_or(start, |f| f.max(start));
            let to = r.to.map_or(end, |t| t.min(end));
            if from >= to {
                anyhow::bail!(
                    "--month {m} and --since/--until do not overlap, so no event could match; drop one of them"
                );
            }
            r.from = Some(from);
            r.to = Some(to);
        }
        Ok(r)
    }
}

/// Epoch milliseconds of the first instant of a month.
pub fn month_start_ms(m: Month) -> i64 {
    days_from_civil(i64::from(m.year), i64::from(m.month), 1) * 86_400_000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_ms(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    #[test]
    fn agrees_with_chrono() {
        for s in [
            "2026-11-22T10:15:30.123Z",
            "2026-11-22T10:15:30Z",
            "2026-11-22T11:15:30.5+01:00",
            "2026-12-31T23:30:00-01:00",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z",
            "2000-02-29T12:00:00.123456789Z",
            "2024-02-29t00:00:00z",
            "2026-03-01 00:00:00+05:30",
        ] {
            assert_eq!(parse_millis(s), Some(chrono_ms(s)), "{s}");
        }
    }

    #[test]
    fn refuses_non_rfc3339() {
        for s in [
            "2026-11-22T10:15:30",
            "2026-11-22",
            "2026-02-30T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T10:15:30.Z",
            "2026-11-22T10:15:30+0100",
            "2026-11-22T10:15:30Zjunk",
            "２026-11-22T10:15:30Z",
            "",
        ] {
            assert_eq!(parse_millis(s), None, "{s}");
        }
    }

    #[test]
    fn bounds_and_ranges() {
        let start = parse_bound("2026-11-01", DateEnd::Start, "--since").unwrap();
        assert_eq!(start, chrono_ms("2026-11-01T00:00:00Z"));
        let end = parse_bound("2026-11-01", DateEnd::End, "--until").unwrap();
        assert_eq!(end, chrono_ms("2026-11-02T00:00:00Z"));
        assert!(
            parse_bound("yesterday", DateEnd::End, "--until")
                .unwrap_err()
                .to_string()
                .contains("--until")
        );
        let r = Range::from_flags(None, None, Some("2026-12")).unwrap();
        assert!(r.contains(chrono_ms("2026-12-01T00:00:00Z")));
        assert!(!r.contains(chrono_ms("2027-01-01T00:00:00Z")));
        assert!(!r.contains(chrono_ms("2026-11-30T23:59:59.999Z")));
        assert!(Range::from_flags(None, None, Some("2026-1")).is_err());
        // A range no event could fall in is a slip, said at once.
        let err = |s, u, m| Range::from_flags(s, u, m).unwrap_err().to_string();
        assert!(err(Some("2026-12-05"), Some("2026-12-01"), None).contains("swap them"));
        assert!(
            err(
                Some("2026-12-01T10:00:00Z"),
                Some("2026-12-01T10:00:00Z"),
                None
            )
            .contains("is not before")
        );
        assert!(err(Some("2026-12-05"), None, Some("2026-11")).contains("do not overlap"));
        assert!(err(None, Some("2026-10-31"), Some("2026-11")).contains("do not overlap"));
        // One day, from its start to its end, is a range.
        let day = Range::from_flags(Some("2026-12-01"), Some("2026-12-01"), None).unwrap();
        assert!(day.contains(chrono_ms("2026-12-01T12:00:00Z")));
        assert!(Range::from_flags(Some("2026-11-05"), None, Some("2026-11")).is_ok());
        assert_eq!(day_of(chrono_ms("2026-11-22T23:59:59Z")), "2026-11-22");
    }
}
