//! Timestamps (RFC 3339 with a zone, kept byte for byte as written), months and durations.

use std::fmt;

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as written in a document: the original string (signed byte for
/// byte in receipts) and its UTC instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    raw: String,
    utc: DateTime<Utc>,
}

/// Why a timestamp was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "timestamp '{0}' is not an RFC 3339 time with a zone (write e.g. 2026-11-22T10:15:30.123Z or 2026-11-22T11:15:30+01:00)"
)]
pub struct TimestampError(pub String);

impl Timestamp {
    /// Now, as RFC 3339 UTC with milliseconds and `Z`.
    pub fn now() -> Self {
        Self::from_utc(Utc::now())
    }

    /// A UTC instant, written with milliseconds and `Z`.
    pub fn from_utc(utc: DateTime<Utc>) -> Self {
        let raw = utc.to_rfc3339_opts(SecondsFormat::Millis, true);
        // Keep the instant exactly as written (millisecond precision): truncate the
        // nanoseconds, as parsing `raw` back would (without parsing it).
        let nanos = utc.timestamp_subsec_nanos();
        let utc = utc
            .with_nanosecond(nanos - nanos % 1_000_000)
            .unwrap_or_else(|| {
                DateTime::parse_from_rfc3339(&raw).map_or(utc, |t| t.with_timezone(&Utc))
            });
        Timestamp { raw, utc }
    }

    /// Parse an RFC 3339 time; one without a zone is refused.
    pub fn parse(s: &str) -> Result<Self, TimestampError> {
        let parsed = DateTime::parse_from_rfc3339(s).map_err(|_| TimestampError(s.to_owned()))?;
        Ok(Timestamp {
            raw: s.to_owned(),
            utc: parsed.with_timezone(&Utc),
        })
    }

    /// The string exactly as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The instant in UTC.
    pub fn utc(&self) -> DateTime<Utc> {
        self.utc
    }

    /// The UTC calendar month of this instant.
    pub fn month(&self) -> Month {
        Month::of(self.utc)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A UTC calendar month (the unit of log partitions and free tiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
}

impl Month {
    /// The month containing `t`.
    pub fn of(t: DateTime<Utc>) -> Self {
        Month {
            year: t.year(),
            month: t.month(),
        }
    }

    /// The current UTC month.
    pub fn current() -> Self {
        Month::of(Utc::now())
    }

    /// Parse `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year = y.parse().ok()?;
        let month = m.parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    /// The following month.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Parse a human duration such as `30s`, `500ms`, `5m`, `1h30m`.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(s.trim())
        .map_err(|e| format!("invalid duration '{s}': {e}; write e.g. 500ms, 30s, 5m or 1h"))
}

/// Parse a timeout: a duration with a unit (`500ms`, `10s`, `2m`) or a bare number of
/// seconds (`10`, `1.5`); zero, and more than [`MAX_WAIT`], are refused.
pub fn parse_timeout(s: &str) -> Result<std::time::Duration, String> {
    duration_or_bare(s, 1.0, "a number of seconds", false)
}

/// [`parse_timeout`] where zero is a valid answer (`wrap --grace 0`: no time to exit).
pub fn parse_wait(s: &str) -> Result<std::time::Duration, String> {
    duration_or_bare(s, 1.0, "a number of seconds", true)
}

/// Parse a delay given in milliseconds by default: a duration with a unit (`500ms`, `2s`)
/// or a bare number of milliseconds (`500`); zero, and more than [`MAX_WAIT`], are
/// refused (a zero delay between retries would hammer the endpoint).
pub fn parse_millis_or_duration(s: &str) -> Result<std::time::Duration, String> {
    duration_or_bare(s, 0.001, "a number of milliseconds", false)
}

/// The longest timeout or delay a flag takes (30 days): longer ones overflow the clock
/// arithmetic and mean "never" anyway.
pub const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

fn duration_or_bare(
    s: &str,
    bare_unit_secs: f64,
    bare_means: &str,
    zero_allowed: bool,
) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let d = if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let n = t
            .parse::<f64>()
            .map_err(|_| format!("'{s}' is not a usable number; write e.g. 500ms, 10s or 2m"))?;
        // Past what a Duration holds is past the bound below too.
        std::time::Duration::try_from_secs_f64(n * bare_unit_secs)
            .unwrap_or(std::time::Duration::MAX)
    } else {
        humantime::parse_duration(t).map_err(|e| {
            format!("invalid duration '{s}': {e}; write e.g. 500ms, 10s or 2m, or {bare_means}")
        })?
    };
    if d.is_zero() && !zero_allowed {
        return Err(format!(
            "'{s}' is zero; give a longer one, e.g. 500ms, 10s or 2m"
        ));
    }
    if d > MAX_WAIT {
        return Err(format!("'{s}' is longer than 30 days; give a shorter one"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_raw_string() {
        let t = Timestamp::parse("2026-11-22T11:15:30.5+01:00").unwrap();
        assert_eq!(t.as_str(), "2026-11-22T11:15:30.5+01:00");
        assert_eq!(t.utc().to_rfc3339(), "2026-11-22T10:15:30.500+00:00");
    }

    #[test]
    fn refuses_missing_zone() {
        assert!(Timestamp::parse("2026-11-22T10:15:30").is_err());
        assert!(Timestamp::parse("2026-11-22").is_err());
        assert!(Timestamp::parse("").is_err());
    }

    #[test]
    fn from_utc_keeps_the_instant_as_written() {
        use chrono::TimeZone;
        for (secs, nanos) in [
            (0, 0),
            (1_795_000_000, 123_456_789),
            (1_795_000_000, 999_999_999),
            (1_795_000_079, 1_500_000_000), // a leap second (:59 + 1.5 s)
            (253_402_300_799, 1),           // 9999-12-31T23:59:59
        ] {
            let Some(t) = Utc.timestamp_opt(secs, nanos).single() else {
                continue;
            };
            let ts = Timestamp::from_utc(t);
            let reparsed = Timestamp::parse(ts.as_str()).unwrap();
            assert_eq!(ts, reparsed, "{t:?}");
        }
    }

    #[test]
    fn now_has_millis_and_z() {
        let t = Timestamp::now();
        let s = t.as_str();
        assert!(s.ends_with('Z'), "{s}");
        assert_eq!(s.len(), "2026-11-22T10:15:30.123Z".len(), "{s}");
    }

    #[test]
    fn months() {
        let t = Timestamp::parse("2026-12-31T23:30:00-01:00").unwrap();
        assert_eq!(t.month().to_string(), "2027-01");
        assert_eq!(
            Month::parse("2026-11"),
            Some(Month {
                year: 2026,
                month: 11
            })
        );
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(
            Month {
                year: 2026,
                month: 12
            }
            .next()
            .to_string(),
            "2027-01"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms").unwrap().as_millis(), 500);
        assert_eq!(parse_duration("1m").unwrap().as_secs(), 60);
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn timeouts_take_a_unit_or_bare_seconds() {
        use std::time::Duration;
        assert_eq!(parse_timeout("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_timeout("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_timeout(" 500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_timeout("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("0s").is_err());
        assert!(
            parse_timeout("soon")
                .unwrap_err()
                .contains("number of seconds")
        );
        assert!(parse_timeout("").is_err());
        assert!(parse_timeout("99999999999999999999999").is_err());
        assert_eq!(
            parse_millis_or_duration("500"),
            Ok(Duration::from_millis(500))
        );
        assert_eq!(parse_millis_or_duration("2s"), Ok(Duration::from_secs(2)));
        // A zero delay between retries would hammer the endpoint.
        assert!(parse_millis_or_duration("0").unwrap_err().contains("zero"));
        assert!(parse_millis_or_duration("0ms").is_err());
        // A bare decimal is a fraction of the bare unit.
        assert_eq!(parse_timeout("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(
            parse_millis_or_duration("2.5"),
            Ok(Duration::from_micros(2500))
        );
        assert_eq!(parse_wait("0"), Ok(Duration::ZERO));
        assert!(parse_wait("31d").is_err());
        assert!(parse_timeout("1.2.3").is_err());
        assert!(parse_timeout(".").is_err());
        // Longer than 30 days overflows clock arithmetic somewhere: refused.
        assert_eq!(parse_timeout("30d"), Ok(MAX_WAIT));
        for huge in ["31d", "9223372036854775807", "18446744073709551615s"] {
            assert!(parse_timeout(huge).is_err(), "{huge}");
            assert!(parse_millis_or_duration(huge).is_err(), "{huge}");
        }
        assert!(
            parse_millis_or_duration("x")
                .unwrap_err()
                .contains("milliseconds")
        );
    }
}
