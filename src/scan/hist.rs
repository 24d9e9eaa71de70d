//! `LatencyHist`: exact nearest-rank percentiles in memory bounded by the number of
//! distinct durations, never by the number of calls.
//!
//! The first [`SMALL`] durations are kept as a plain list (a report per session has
//! many small groups). Past that, durations up to [`DENSE_MAX_MS`] are counted per millisecond in blocks of 256
//! counters allocated only when a duration falls in them (typical latencies touch a
//! few blocks, 2 KiB each; the worst case is 512 KiB). Longer durations go to an
//! ordered map from duration to count. Because every millisecond value keeps its own
//! exact count, the nearest-rank percentile read from the counts is exact: the same
//! value sorting every duration would give.

use std::collections::BTreeMap;

/// The largest duration counted in the dense blocks.
pub const DENSE_MAX_MS: u64 = 65_535;
/// Durations kept as a list before switching to counts.
pub const SMALL: usize = 32;
const BLOCK: usize = 256;
const BLOCKS: usize = (DENSE_MAX_MS as usize + 1) / BLOCK;

/// Exact counts of millisecond durations.
#[derive(Debug, Clone, Default)]
pub struct LatencyHist {
    small: Vec<u64>,
    blocks: Vec<Option<Box<[u64; BLOCK]>>>,
    overflow: BTreeMap<u64, u64>,
    count: u64,
}

impl LatencyHist {
    /// Count one duration.
    #[inline]
    pub fn add(&mut self, ms: u64) {
        if self.count < SMALL as u64 {
            self.small.push(ms);
            self.count += 1;
            return;
        }
        self.spill_small();
        self.add_counted(ms);
    }

    /// Move the first durations, kept as a list, into the counters.
    fn spill_small(&mut self) {
        if !self.small.is_empty() {
            let small = std::mem::take(&mut self.small);
            self.count = 0;
            for v in small {
                self.add_counted(v);
            }
        }
    }

    #[inline]
    fn add_counted(&mut self, ms: u64) {
        self.count += 1;
        if ms <= DENSE_MAX_MS {
            if self.blocks.is_empty() {
                self.blocks.resize_with(BLOCKS, || None);
            }
            let ms = ms as usize;
            let block = self.blocks[ms / BLOCK].get_or_insert_with(|| Box::new([0; BLOCK]));
            block[ms % BLOCK] += 1;
        } else {
            *self.overflow.entry(ms).or_insert(0) += 1;
        }
    }

    /// How many durations were counted.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Add another histogram's counts.
    pub fn merge(&mut self, other: &LatencyHist) {
        if !other.small.is_empty() {
            for &v in &other.small {
                self.add(v);
            }
            return;
        }
        self.spill_small();
        if !other.blocks.is_empty() && self.blocks.is_empty() {
            self.blocks.resize_with(BLOCKS, || None);
        }
        for (i, b) in other.blocks.iter().enumerate() {
            if let Some(b) = b {
                let mine = self.blocks[i].get_or_insert_with(|| Box::new([0; BLOCK]));
                for (m, o) in mine.iter_mut().zip(b.iter()) {
                    *m += o;
                }
            }
        }
        for (ms, n) in &other.overflow {
            *self.overflow.entry(*ms).or_insert(0) += n;
        }
        self.count += other.count;
    }

    /// The nearest-rank percentile `pct` (1 to 100): the smallest duration `d` such that
    /// at least `ceil(pct/100 * n)` durations are `<= d`. `None` when empty.
    pub fn percentile(&self, pct: u64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = (u128::from(pct) * u128::from(self.count))
            .div_ceil(100)
            .max(1) as u64;
        self.nth(rank)
    }

    /// The `rank`-th smallest duration (1-based).
    fn nth(&self, rank: u64) -> Option<u64> {
        if !self.small.is_empty() {
            let mut v = self.small.clone();
            v.sort_unstable();
            return v.get(rank as usize - 1).copied();
        }
        let mut seen = 0u64;
        for (bi, b) in self.blocks.iter().enumerate() {
            let Some(b) = b else { continue };
            let total: u64 = b.iter().sum();
            if seen + total < rank {
                seen += total;
                continue;
            }
            for (i, n) in b.iter().enumerate() {
                seen += n;
                if seen >= rank {
                    return Some((bi * BLOCK + i) as u64);
                }
            }
        }
        for (ms, n) in &self.overflow {
            seen += n;
            if seen >= rank {
                return Some(*ms);
            }
        }
        None
    }

    /// Counts per bucket for charts: `(upper bound in ms, count)` over the given edges,
    /// the last bucket holding everything above the last edge (`u64::MAX`).
    pub fn bucketed(&self, edges: &[u64]) -> Vec<(u64, u64)> {
        let mut out: Vec<(u64, u64)> = edges.iter().map(|&e| (e, 0)).collect();
        out.push((u64::MAX, 0));
        let mut put = |ms: u64, n: u64| {
            let i = edges.partition_point(|&e| e < ms);
            out[i].1 += n;
        };
        for &ms in &self.small {
            put(ms, 1);
        }
        for (bi, b) in self.blocks.iter().enumerate() {
            if let Some(b) = b {
                for (i, &n) in b.iter().enumerate() {
                    if n > 0 {
                        put((bi * BLOCK + i) as u64, n);
                    }
                }
            }
        }
        for (&ms, &n) in &self.overflow {
            put(ms, n);
        }
        out
    }
}

/// The nearest-rank percentile of a slice, by sorting (the reference the histogram is
/// tested against).
pub fn nearest_rank(values: &[u64], pct: u64) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let rank = (pct as usize * v.len()).div_ceil(100).max(1);
    Some(v[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_sorting_exactly() {
        let mut seed = 0x1234_5678_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in [1usize, 2, 19, 20, 21, 99, 100, 101, 1000, 4321] {
            let values: Vec<u64> = (0..n)
                .map(|i| match i % 7 {
                    0 => next() % 200_000,
                    1 => 65_535 + next() % 3,
                    _ => next() % 3000,
                })
                .collect();
            let mut a = LatencyHist::default();
            let mut b = LatencyHist::default();
            for (i, &v) in values.iter().enumerate() {
                if i % 2 == 0 { a.add(v) } else { b.add(v) }
            }
            a.merge(&b);
            assert_eq!(a.count(), n as u64);
            for p in [1, 50, 95, 99, 100] {
                assert_eq!(a.percentile(p), nearest_rank(&values, p), "n={n} p={p}");
            }
        }
    }

    #[test]
    fn nearest_rank_by_hand() {
        // 20 values 1..=20: p95 is the 19th, p50 the 10th.
        let mut h = LatencyHist::default();
        for v in 1..=20 {
            h.add(v);
        }
        assert_eq!(h.percentile(95), Some(19));
        assert_eq!(h.percentile(50), Some(10));
        assert_eq!(h.percentile(100), Some(20));
        assert_eq!(LatencyHist::default().percentile(95), None);
        let buckets = h.bucketed(&[5, 10]);
        assert_eq!(buckets, vec![(5, 5), (10, 5), (u64::MAX, 10)]);
    }
}
