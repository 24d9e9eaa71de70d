//! `mcpbill report`: usage analytics per tool, agent, provider, session or day, from
//! event logs joined with feedback; table, JSON, CSV or one self-contained HTML page.

mod cmd;
mod column;
pub mod html;

pub use cmd::csv_field as cmd_csv_field;

pub use cmd::run;

use std::collections::HashMap;

use serde::Serialize;

use crate::meter::Status;
use crate::scan::time::{Range, day_of};
use crate::scan::{Event, FastMap, LatencyHist, Merge, MetaKey};

/// What a report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// Per tool (tool_id, else tool_name).
    Tool,
    /// Per agent.
    Agent,
    /// Per provider.
    Provider,
    /// Per session of the shim (metadata.session_id).
    Session,
    /// Per UTC day.
    Day,
}

impl By {
    /// The column name of the key.
    pub fn as_str(self) -> &'static str {
        match self {
            By::Tool => "tool",
            By::Agent => "agent",
            By::Provider => "provider",
            By::Session => "session",
            By::Day => "day",
        }
    }

    fn key<'e>(self, ev: &'e Event<'_>, day: &'e mut String) -> &'e str {
        match self {
            By::Tool => ev.tool(),
            By::Agent => &ev.e.agent_id,
            By::Provider => &ev.e.provider_id,
            By::Session => ev.meta_str(MetaKey::SessionId).unwrap_or("(none)"),
            By::Day => {
                *day = day_of(ev.at_ms);
                day
            }
        }
    }
}

/// Counts of one group.
#[derive(Debug, Default, Clone)]
pub struct Group {
    /// Every event.
    pub calls: u64,
    /// `success`.
    pub successes: u64,
    /// `error`.
    pub errors: u64,
    /// `timeout`.
    pub timeouts: u64,
    /// `rate_limited` (refused before reaching the server).
    pub refused: u64,
    /// Calls that cost something.
    pub charged: u64,
    /// Calls the free tier covered.
    pub free_tier: u64,
    /// Sum of cost_microcents.
    pub revenue: u64,
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Calls whose result was reported discarded.
    pub discarded: u64,
    /// Durations of the calls that reached the server.
    pub hist: LatencyHist,
}

impl Group {
    #[inline]
    fn add(&mut self, ev: &Event<'_>, discarded: bool) {
        self.calls += 1;
        let cost = ev.cost();
        self.revenue = self.revenue.saturating_add(cost);
        if cost > 0 {
            self.charged += 1;
        }
        if ev.meta_flag(MetaKey::FreeTier) {
            self.free_tier += 1;
        }
        self.input_tokens = self
            .input_tokens
            .saturating_add(ev.e.input_tokens.unwrap_or(0));
        self.output_tokens = self
            .output_tokens
            .saturating_add(ev.e.output_tokens.unwrap_or(0));
        if discarded {
            self.discarded += 1;
        }
        match ev.e.status.unwrap_or(Status::Error) {
            Status::Success => self.successes += 1,
            Status::Error => self.errors += 1,
            Status::Timeout => self.timeouts += 1,
            Status::RateLimited => {
                self.refused += 1;
                return;
            }
        }
        if let Some(d) = ev.e.duration_ms {
            self.hist.add(d);
        }
    }

    fn merge_from(&mut self, o: &Group) {
        self.calls += o.calls;
        self.successes += o.successes;
        self.errors += o.errors;
        self.timeouts += o.timeouts;
        self.refused += o.refused;
        self.charged += o.charged;
        self.free_tier += o.free_tier;
        self.revenue = self.revenue.saturating_add(o.revenue);
        self.input_tokens = self.input_tokens.saturating_add(o.input_tokens);
        self.output_tokens = self.output_tokens.saturating_add(o.output_tokens);
        self.discarded += o.discarded;
        self.hist.merge(&o.hist);
    }
}

/// Groups for several dimensions at once (the HTML page needs tool, agent and day).
#[derive(Debug, Default)]
pub struct ReportAcc {
    /// The time range.
    pub range: Range,
    /// Per dimension, per key.
    pub dims: Vec<(By, FastMap<String, Group>)>,
    /// Everything.
    pub total: Group,
    /// The earliest and the latest time (Unix milliseconds) of the events counted.
    pub span: Option<(i64, i64)>,
}

/// Feedback per request id: every record, oldest first, as (who sent it, discarded).
/// The latest record of the call's own agent counts (or of an unnamed sender): feedback
/// from another agent about someone else's call is ignored.
pub type Feedback = HashMap<String, Vec<(Option<String>, bool)>>;

/// Whether the call `request_id` of `agent` was reported discarded.
pub fn discarded(feedback: &Feedback, request_id: &str, agent: &str) -> bool {
    feedback
        .get(request_id)
        .and_then(|records| {
            records
                .iter()
                .rev()
                .find(|(by, _)| by.as_deref().is_none_or(|by| by == agent))
        })
        .is_some_and(|(_, d)| *d)
}

impl ReportAcc {
    /// An empty accumulator for these dimensions.
    pub fn new(range: Range, dims: &[By]) -> Self {
        ReportAcc {
            range,
            dims: dims.iter().map(|&d| (d, FastMap::default())).collect(),
            total: Group::default(),
            span: None,
        }
    }

    /// Fold one event in.
    pub fn add(&mut self, ev: &Event<'_>, feedback: &Feedback) {
        if !self.range.contains(ev.at_ms) {
            return;
        }
        let discarded = !feedback.is_empty()
            && ev
                .meta_str(MetaKey::RequestId)
                .is_some_and(|id| discarded(feedback, id, &ev.e.agent_id));
        self.total.add(ev, discarded);
        self.span = Some(widen(self.span, (ev.at_ms, ev.at_ms)));
        let mut day = String::new();
        for (by, map) in &mut self.dims {
            let key = by.key(ev, &mut day);
            if let Some(g) = map.get_mut(key) {
                g.add(ev, discarded);
            } else {
                map.entry(key.to_owned()).or_default().add(ev, discarded);
            }
        }
    }

    /// The groups of one dimension.
    pub fn dim(&self, by: By) -> Option<&FastMap<String, Group>> {
        self.dims.iter().find(|(b, _)| *b == by).map(|(_, m)| m)
    }
}

/// `span` widened to take in `(first, last)`.
fn widen(span: Option<(i64, i64)>, (first, last): (i64, i64)) -> (i64, i64) {
    span.map_or((first, last), |(a, b)| (a.min(first), b.max(last)))
}

impl Merge for ReportAcc {
    fn merge(&mut self, other: Self) {
        self.total.merge_from(&other.total);
        if let Some(theirs) = other.span {
            self.span = Some(widen(self.span, theirs));
        }
        for ((_, mine), (_, theirs)) in self.dims.iter_mut().zip(other.dims) {
            for (k, g) in theirs {
                match mine.get_mut(&k) {
                    Some(m) => m.merge_from(&g),
                    None => {
                        mine.insert(k, g);
                    }
                }
            }
        }
    }
}

/// One row of a report (also the JSON and CSV shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The group (tool, agent, provider, session or day).
    pub key: String,
    /// Every event.
    pub calls: u64,
    /// Successful calls.
    pub successes: u64,
    /// Calls that failed with an error.
    pub errors: u64,
    /// Calls that timed out.
    pub timeouts: u64,
    /// Calls refused by a budget, free-tier or rate limit.
    pub refused: u64,
    /// successes / calls, in percent.
    pub success_pct: f64,
    /// errors / calls, in percent.
    pub error_pct: f64,
    /// Median duration (nearest rank).
    pub p50_ms: Option<u64>,
    /// 95th percentile duration (nearest rank).
    pub p95_ms: Option<u64>,
    /// 99th percentile duration (nearest rank).
    pub p99_ms: Option<u64>,
    /// Sum of cost_microcents.
    pub revenue_microcents: u64,
    /// Calls that cost something.
    pub charged_calls: u64,
    /// Calls covered by the free tier.
    pub free_tier_calls: u64,
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Calls whose result was reported discarded (`mcpbill feedback`).
    pub discarded: u64,
    /// discarded / calls, in percent.
    pub discard_pct: f64,
    /// revenue / --budget, in percent (per agent, when a budget is given).
    pub budget_use_pct: Option<f64>,
}

fn pct(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        // Rounded to 2 decimals so the JSON is stable.
        (n as f64 * 10_000.0 / d as f64).round() / 100.0
    }
}

/// A row from a group.
pub fn row(key: &str, g: &Group, budget: Option<u64>) -> Row {
    Row {
        key: key.to_owned(),
        calls: g.calls,
        successes: g.successes,
        errors: g.errors,
        timeouts: g.timeouts,
        refused: g.refused,
        success_pct: pct(g.successes, g.calls),
        error_pct: pct(g.errors, g.calls),
        p50_ms: g.hist.percentile(50),
        p95_ms: g.hist.percentile(95),
        p99_ms: g.hist.percentile(99),
        revenue_microcents: g.revenue,
        charged_calls: g.charged,
        free_tier_calls: g.free_tier,
        input_tokens: g.input_tokens,
        output_tokens: g.output_tokens,
        discarded: g.discarded,
        discard_pct: pct(g.discarded, g.calls),
        budget_use_pct: budget.filter(|&b| b > 0).map(|b| pct(g.revenue, b)),
    }
}

/// The rows of one dimension, sorted by key (days in order, names alphabetically).
pub fn rows(acc: &ReportAcc, by: By, budget: Option<u64>) -> Vec<Row> {
    let mut out: Vec<Row> = acc
        .dim(by)
        .map(|m| {
            m.iter()
                .map(|(k, g)| row(k, g, if by == By::Agent { budget } else { None }))
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}
