//! `mcpbill trust`: per-provider trust scores (spec section 6, formulas in DECISIONS.md)
//! from event logs, the disputes log and verification records.

mod cmd;
pub mod score;

pub(crate) use cmd::read_verifications;
pub use cmd::run;

use std::collections::HashMap;

use serde::Serialize;

use crate::meter::Status;
use crate::scan::{Event, FastMap, LatencyHist, Merge, MetaKey};
use score::Level;

/// What the scan keeps per provider.
#[derive(Debug, Default)]
pub struct ProviderAcc {
    /// Every event in the window.
    pub events: u64,
    /// `rate_limited` events in the window.
    pub rate_limited: u64,
    /// `success` events in the window.
    pub successes: u64,
    /// Sum of `cost_microcents` in the window.
    pub revenue: u64,
    /// Durations of the calls that reached the server.
    pub hist: LatencyHist,
    /// The category of the latest event that names one: (instant, category).
    pub category: Option<(i64, String)>,
}

impl ProviderAcc {
    fn merge_from(&mut self, o: ProviderAcc) {
        self.events += o.events;
        self.rate_limited += o.rate_limited;
        self.successes += o.successes;
        self.revenue = self.revenue.saturating_add(o.revenue);
        self.hist.merge(&o.hist);
        if let Some((at, c)) = o.category
            && newer(at, &c, self.category.as_ref())
        {
            self.category = Some((at, c));
        }
    }
}

/// Whether a category seen at `at` replaces the current one: the latest wins, and on a
/// tie the greater string, so the result does not depend on how the scan was split.
fn newer(at: i64, c: &str, current: Option<&(i64, String)>) -> bool {
    current.is_none_or(|(cur_at, cur)| at > *cur_at || (at == *cur_at && c > cur.as_str()))
}

/// The per-provider accumulator of one scan thread.
#[derive(Debug, Default)]
pub struct TrustAcc {
    /// Window start (inclusive, epoch ms).
    pub from: i64,
    /// Window end (exclusive, epoch ms).
    pub to: i64,
    /// Per provider.
    pub providers: FastMap<String, ProviderAcc>,
}

impl TrustAcc {
    /// An empty accumulator for the window `[from, to)`.
    pub fn new(from: i64, to: i64) -> Self {
        TrustAcc {
            from,
            to,
            providers: FastMap::default(),
        }
    }

    /// Fold one event in (events outside the window are ignored).
    #[inline]
    pub fn add(&mut self, ev: &Event<'_>) {
        if ev.at_ms < self.from || ev.at_ms >= self.to {
            return;
        }
        let p = if let Some(p) = self.providers.get_mut(&*ev.e.provider_id) {
            p
        } else {
            self.providers
                .entry(ev.e.provider_id.to_string())
                .or_default()
        };
        p.events += 1;
        p.revenue = p.revenue.saturating_add(ev.cost());
        match ev.e.status.unwrap_or(Status::Error) {
            Status::RateLimited => {
                p.rate_limited += 1;
                return;
            }
            Status::Success => p.successes += 1,
            Status::Error | Status::Timeout => {}
        }
        if let Some(d) = ev.e.duration_ms {
            p.hist.add(d);
        }
        if let Some(c) = ev.meta_str(MetaKey::Category)
            && newer(ev.at_ms, c, p.category.as_ref())
        {
            p.category = Some((ev.at_ms, c.to_owned()));
        }
    }
}

impl Merge for TrustAcc {
    fn merge(&mut self, other: Self) {
        for (k, v) in other.providers {
            self.providers.entry(k).or_default().merge_from(v);
        }
    }
}

/// Everything besides the events.
#[derive(Debug, Default)]
pub struct TrustInputs {
    /// Provider categories from pricing files (they win over event metadata).
    pub pricing_categories: HashMap<String, String>,
    /// Highest verification level per provider.
    pub levels: HashMap<String, Level>,
    /// Disputes filed in the window and not denied, per provider.
    pub disputes: HashMap<String, u64>,
    /// Fewer calls than this in the window means insufficient data.
    pub min_calls: u64,
    /// Providers to score even with no data at all (those asked for by name).
    pub named: Vec<String>,
}

/// The four components (spec section 6 names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Components {
    /// Verification points (0-25).
    pub verification: u32,
    /// Uptime points (0-25).
    pub uptime: u32,
    /// Latency points (0-25).
    pub latency: u32,
    /// Dispute points (0-25).
    pub disputes: u32,
}

/// How the latency component was judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum LatencyBasis {
    /// Against the mean p95 of the category's providers.
    Category {
        /// Mean p95 of the category (ms, rounded down for display).
        category_mean_p95_ms: f64,
        /// Providers in the mean.
        peers: u64,
        /// p95 / mean.
        ratio: f64,
    },
    /// Absolute thresholds (no category peers).
    Absolute,
    /// Not judged (insufficient data or no durations).
    None,
}

/// One provider's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderTrust {
    /// The provider.
    pub provider_id: String,
    /// Sum of the components (0-100).
    pub trust_score: u32,
    /// unrated, basic, trusted or verified.
    pub badge: &'static str,
    /// The components.
    pub components: Components,
    /// Highest verification level.
    pub verification_level: Level,
    /// The category used for latency, if any.
    pub category: Option<String>,
    /// Every event in the window.
    pub events: u64,
    /// Calls that reached the server (events minus `rate_limited`): the denominator of
    /// uptime and dispute rate, and what `--min-calls` counts.
    pub calls: u64,
    /// `rate_limited` events (left out of uptime and latency).
    pub rate_limited: u64,
    /// Successful calls.
    pub successes: u64,
    /// successes / calls.
    pub success_rate: Option<f64>,
    /// Nearest-rank p95 of `duration_ms` over the calls.
    pub p95_ms: Option<u64>,
    /// How latency was judged.
    pub latency_basis: LatencyBasis,
    /// Disputes in the window, not denied.
    pub disputes: u64,
    /// disputes / calls.
    pub dispute_rate: Option<f64>,
    /// Sum of cost_microcents in the window.
    pub revenue_microcents: u64,
    /// Fewer than `--min-calls` calls: uptime, latency and disputes score 0.
    pub insufficient_data: bool,
}

/// Score every provider seen in the events, the verification records or the disputes.
pub fn compute(acc: &TrustAcc, inputs: &TrustInputs) -> Vec<ProviderTrust> {
    let mut ids: Vec<&str> = acc.providers.keys().map(String::as_str).collect();
    for k in inputs
        .levels
        .keys()
        .chain(inputs.disputes.keys())
        .chain(inputs.named.iter())
    {
        if !acc.providers.contains_key(k) {
            ids.push(k);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let empty = ProviderAcc::default();

    let category_of = |id: &str| -> Option<String> {
        inputs.pricing_categories.get(id).cloned().or_else(|| {
            acc.providers
                .get(id)
                .and_then(|p| p.category.as_ref().map(|(_, c)| c.clone()))
        })
    };
    let calls_of = |p: &ProviderAcc| p.events - p.rate_limited;

    // Category means over providers with enough data and a p95.
    let mut cat_sum: HashMap<String, (u128, u128)> = HashMap::new();
    for id in &ids {
        let p = acc.providers.get(*id).unwrap_or(&empty);
        if calls_of(p) < inputs.min_calls.max(1) {
            continue;
        }
        if let (Some(cat), Some(p95)) = (category_of(id), p.hist.percentile(95)) {
            let e = cat_sum.entry(cat).or_default();
            e.0 += u128::from(p95);
            e.1 += 1;
        }
    }

    ids.iter()
        .map(|&id| {
            let p = acc.providers.get(id).unwrap_or(&empty);
            let calls = calls_of(p);
            let level = inputs.levels.get(id).copied().unwrap_or(Level::Unverified);
            let disputes = inputs.disputes.get(id).copied().unwrap_or(0);
            let p95 = p.hist.percentile(95);
            let category = category_of(id);
            let insufficient = calls < inputs.min_calls.max(1);
            let (uptime, latency, dispute_pts, basis) = if insufficient {
                (0, 0, 0, LatencyBasis::None)
            } else {
                let (latency, basis) = match (p95, category.as_ref().and_then(|c| cat_sum.get(c))) {
                    (None, _) => (0, LatencyBasis::None),
                    (Some(v), Some(&(sum, peers))) if peers >= 2 => (
                        score::latency_points_relative(v, sum, peers),
                        LatencyBasis::Category {
                            category_mean_p95_ms: sum as f64 / peers as f64,
                            peers: peers as u64,
                            ratio: if sum == 0 {
                                0.0
                            } else {
                                v as f64 * peers as f64 / sum as f64
                            },
                        },
                    ),
                    (Some(v), _) => (score::latency_points_absolute(v), LatencyBasis::Absolute),
                };
                (
                    score::uptime_points(p.successes, calls),
                    latency,
                    score::dispute_points(disputes, calls),
                    basis,
                )
            };
            let components = Components {
                verification: score::verification_points(level),
                uptime,
                latency,
                disputes: dispute_pts,
            };
            let total = components.verification
                + components.uptime
                + components.latency
                + components.disputes;
            ProviderTrust {
                provider_id: id.to_owned(),
                trust_score: total,
                badge: score::badge(total),
                components,
                verification_level: level,
                category,
                events: p.events,
                calls,
                rate_limited: p.rate_limited,
                successes: p.successes,
                success_rate: (calls > 0).then(|| p.successes as f64 / calls as f64),
                p95_ms: p95,
                latency_basis: basis,
                disputes,
                dispute_rate: (calls > 0).then(|| disputes as f64 / calls as f64),
                revenue_microcents: p.revenue,
                insufficient_data: insufficient,
            }
        })
        .collect()
}
