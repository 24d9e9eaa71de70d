//! The columns of the per-group report tables: each column's header and cell text, shared
//! by the terminal table and the HTML page. Cells are raw text; the caller escapes them
//! for where they go.

use super::{By, Row};
use crate::money::Microcents;

/// One column of a report table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The group key (its header is the grouping: tool, agent, ...).
    Key,
    /// Every call.
    Calls,
    /// Calls that cost something.
    Charged,
    /// Revenue in dollars, headed "revenue".
    Revenue,
    /// Revenue in dollars, headed "spend" (the agent's view).
    Spend,
    /// Calls covered by the free tier.
    FreeTier,
    /// Spend against `--budget`.
    BudgetUse,
    /// Successes in percent.
    SuccessPct,
    /// Errors in percent.
    ErrorPct,
    /// Calls that timed out.
    Timeouts,
    /// Calls refused by a budget, free-tier or rate limit.
    Refused,
    /// Median duration.
    P50,
    /// 95th percentile duration.
    P95,
    /// 99th percentile duration.
    P99,
    /// Discarded results in percent.
    DiscardPct,
}

use Column::{
    BudgetUse, Calls, Charged, DiscardPct, ErrorPct, FreeTier, Key, P50, P95, P99, Refused,
    Revenue, Spend, SuccessPct, Timeouts,
};

/// The terminal table per agent.
pub const AGENT_TABLE: &[Column] = &[
    Key, Calls, Charged, Spend, FreeTier, BudgetUse, SuccessPct, Refused, DiscardPct,
];

/// The terminal table for every other grouping.
pub const TABLE: &[Column] = &[
    Key, Calls, SuccessPct, ErrorPct, Timeouts, Refused, P50, P95, P99, Revenue, DiscardPct,
];

/// The table of the HTML page.
pub const HTML_TABLE: &[Column] = &[
    Key, Calls, SuccessPct, ErrorPct, Timeouts, Refused, P50, P95, P99, Revenue, Charged, FreeTier,
    DiscardPct,
];

impl Column {
    /// The header, for a table grouped by `by`.
    pub fn header(self, by: By) -> &'static str {
        match self {
            Key => by.as_str(),
            Calls => "calls",
            Charged => "charged",
            Revenue => "revenue",
            Spend => "spend",
            FreeTier => "free tier",
            BudgetUse => "budget use",
            SuccessPct => "success %",
            ErrorPct => "error %",
            Timeouts => "timeouts",
            Refused => "refused",
            P50 => "p50 ms",
            P95 => "p95 ms",
            P99 => "p99 ms",
            DiscardPct => "discard %",
        }
    }

    /// The cell of `r`, unescaped.
    pub fn cell(self, r: &Row) -> String {
        let ms = |v: Option<u64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
        match self {
            Key => r.key.clone(),
            Calls => r.calls.to_string(),
            Charged => r.charged_calls.to_string(),
            Revenue | Spend => Microcents(r.revenue_microcents).dollars(),
            FreeTier => r.free_tier_calls.to_string(),
            BudgetUse => r
                .budget_use_pct
                .map_or_else(|| "-".to_owned(), |p| format!("{p:.2}%")),
            SuccessPct => format!("{:.2}", r.success_pct),
            ErrorPct => format!("{:.2}", r.error_pct),
            Timeouts => r.timeouts.to_string(),
            Refused => r.refused.to_string(),
            P50 => ms(r.p50_ms),
            P95 => ms(r.p95_ms),
            P99 => ms(r.p99_ms),
            DiscardPct => format!("{:.2}", r.discard_pct),
        }
    }
}
