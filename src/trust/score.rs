//! The trust score formulas of DECISIONS.md (spec section 6), as pure integer
//! arithmetic: every threshold is compared exactly, without floats.

use serde::Serialize;

/// Provider verification levels, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// No verification record.
    Unverified,
    /// A valid address with a mail-accepting domain.
    Email,
    /// A DNS TXT record on the provider's domain.
    Domain,
    /// The provider's repository names it.
    Code,
}

impl Level {
    /// Parse a record's `level`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unverified" => Some(Level::Unverified),
            "email" => Some(Level::Email),
            "domain" => Some(Level::Domain),
            "code" => Some(Level::Code),
            _ => None,
        }
    }

    /// The spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unverified => "unverified",
            Level::Email => "email",
            Level::Domain => "domain",
            Level::Code => "code",
        }
    }
}

/// Verification points: unverified 0, email 10, domain 20, code 25.
pub fn verification_points(level: Level) -> u32 {
    match level {
        Level::Unverified => 0,
        Level::Email => 10,
        Level::Domain => 20,
        Level::Code => 25,
    }
}

/// Uptime points from `successes / calls` (`rate_limited` calls already left out):
/// >=99.9% 25, >=99.5% 23, >=99% 20, >=98% 17, >=95% 12, >=90% 8, else 3.
pub fn uptime_points(successes: u64, calls: u64) -> u32 {
    if calls == 0 {
        return 0;
    }
    let (s, n) = (u128::from(successes), u128::from(calls));
    // successes/calls >= p/1000  <=>  successes * 1000 >= p * calls
    for (per_mille, points) in [
        (999, 25),
        (995, 23),
        (990, 20),
        (980, 17),
        (950, 12),
        (900, 8),
    ] {
        if s * 1000 >= per_mille * n {
            return points;
        }
    }
    3
}

/// Latency points relative to the category: `p95 / mean` where
/// `mean = sum_p95 / peers`: <=0.5 25, <=0.75 22, <=1.0 18, <=1.5 14, <=2.0 8, else 3.
pub fn latency_points_relative(p95: u64, sum_p95: u128, peers: u128) -> u32 {
    if sum_p95 == 0 {
        // Every provider in the category answers in 0 ms.
        return 25;
    }
    // p95 / (sum/peers) <= a/b  <=>  p95 * peers * b <= a * sum
    let lhs = u128::from(p95) * peers;
    for (a, b, points) in [(1, 2, 25), (3, 4, 22), (1, 1, 18), (3, 2, 14), (2, 1, 8)] {
        if lhs * b <= a * sum_p95 {
            return points;
        }
    }
    3
}

/// Latency points from the absolute p95 (no category peers):
/// <=200 ms 25, <=500 22, <=1000 18, <=2000 14, <=5000 8, else 3.
pub fn latency_points_absolute(p95: u64) -> u32 {
    for (limit, points) in [(200, 25), (500, 22), (1000, 18), (2000, 14), (5000, 8)] {
        if p95 <= limit {
            return points;
        }
    }
    3
}

/// Dispute points from `disputes / calls`: none 25, <1% 20, <5% 15, <10% 8, else 2.
pub fn dispute_points(disputes: u64, calls: u64) -> u32 {
    if disputes == 0 {
        return 25;
    }
    let (d, n) = (u128::from(disputes), u128::from(calls));
    // d/n < p/100  <=>  d * 100 < p * n
    for (pct, points) in [(1, 20), (5, 15), (10, 8)] {
        if d * 100 < pct * n {
            return points;
        }
    }
    2
}

/// The badge of a total: 0-24 unrated, 25-49 basic, 50-74 trusted, 75-100 verified.
pub fn badge(total: u32) -> &'static str {
    match total {
        0..=24 => "unrated",
        25..=49 => "basic",
        50..=74 => "trusted",
        _ => "verified",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_boundaries() {
        assert_eq!(uptime_points(999, 1000), 25);
        assert_eq!(uptime_points(998, 1000), 23);
        assert_eq!(uptime_points(995, 1000), 23);
        assert_eq!(uptime_points(994, 1000), 20);
        assert_eq!(uptime_points(990, 1000), 20);
        assert_eq!(uptime_points(989, 1000), 17);
        assert_eq!(uptime_points(980, 1000), 17);
        assert_eq!(uptime_points(979, 1000), 12);
        assert_eq!(uptime_points(950, 1000), 12);
        assert_eq!(uptime_points(949, 1000), 8);
        assert_eq!(uptime_points(900, 1000), 8);
        assert_eq!(uptime_points(899, 1000), 3);
        assert_eq!(uptime_points(0, 1000), 3);
        assert_eq!(uptime_points(0, 0), 0);
        // 9999/10000 is above 99.9%, 9989/10000 just below.
        assert_eq!(uptime_points(9989, 10000), 23);
    }

    #[test]
    fn latency_boundaries() {
        // Two peers with p95 100 and 300: mean 200.
        let sum = 400;
        assert_eq!(latency_points_relative(100, sum, 2), 25); // 0.5
        assert_eq!(latency_points_relative(101, sum, 2), 22);
        assert_eq!(latency_points_relative(150, sum, 2), 22); // 0.75
        assert_eq!(latency_points_relative(151, sum, 2), 18);
        assert_eq!(latency_points_relative(200, sum, 2), 18); // 1.0
        assert_eq!(latency_points_relative(201, sum, 2), 14);
        assert_eq!(latency_points_relative(300, sum, 2), 14); // 1.5
        assert_eq!(latency_points_relative(301, sum, 2), 8);
        assert_eq!(latency_points_relative(400, sum, 2), 8); // 2.0
        assert_eq!(latency_points_relative(401, sum, 2), 3);
        assert_eq!(latency_points_relative(0, 0, 3), 25);
        for (p95, pts) in [
            (200, 25),
            (201, 22),
            (500, 22),
            (501, 18),
            (1000, 18),
            (1001, 14),
            (2000, 14),
            (2001, 8),
            (5000, 8),
            (5001, 3),
            (0, 25),
        ] {
            assert_eq!(latency_points_absolute(p95), pts, "{p95}");
        }
    }

    #[test]
    fn dispute_boundaries() {
        assert_eq!(dispute_points(0, 1000), 25);
        assert_eq!(dispute_points(9, 1000), 20);
        assert_eq!(dispute_points(10, 1000), 15); // exactly 1% is not < 1%
        assert_eq!(dispute_points(49, 1000), 15);
        assert_eq!(dispute_points(50, 1000), 8);
        assert_eq!(dispute_points(99, 1000), 8);
        assert_eq!(dispute_points(100, 1000), 2);
        assert_eq!(dispute_points(5, 0), 2);
    }

    #[test]
    fn verification_and_badges() {
        assert_eq!(verification_points(Level::Unverified), 0);
        assert_eq!(verification_points(Level::Email), 10);
        assert_eq!(verification_points(Level::Domain), 20);
        assert_eq!(verification_points(Level::Code), 25);
        assert!(Level::Code > Level::Domain && Level::Domain > Level::Email);
        for (t, b) in [
            (0, "unrated"),
            (24, "unrated"),
            (25, "basic"),
            (49, "basic"),
            (50, "trusted"),
            (74, "trusted"),
            (75, "verified"),
            (100, "verified"),
        ] {
            assert_eq!(badge(t), b);
        }
    }
}
