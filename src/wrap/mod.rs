//! `mcpbill wrap`: a transparent stdio shim around an MCP server that meters every
//! `tools/call`, enforces budgets and rate limits, signs receipts and writes the event log.
//!
//! - [`frame`]: newline framing with a cap; [`message`]: classification and `_meta` rewrites;
//! - [`redact`]: privacy of recorded values; [`ledger`]: the shared log and pricing;
//! - [`record`]: an answered call's event written straight to JSON text;
//! - [`pump`]: the two relay loops (testable over in-memory pipes);
//! - [`process`]: the child process, signals and the glue `run`.

pub mod enforce;
pub mod frame;
pub mod ledger;
pub mod message;
pub mod process;
pub mod pump;
pub mod record;
pub mod redact;

use std::collections::HashMap;
use std::time::Duration;

pub use process::run;
pub use pump::Pump;

use crate::key::Secret;
use crate::money::Microcents;
use crate::output::escape_terminal;
use crate::pricing::{PricingFile, RecordMode, ToolPrice};
use redact::Redactor;

/// Settings of one shim, checked before the server starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Provider id in events and receipts.
    pub provider_id: String,
    /// Provider category (from the pricing file).
    pub category: Option<String>,
    /// Prices (none: every tool is free).
    pub pricing: Option<PricingFile>,
    /// Agent id fixed by the operator.
    pub agent_id: Option<String>,
    /// Receipt signing key.
    pub key: Option<Secret>,
    /// Base of receipts' `verify_url`.
    pub verify_url_base: Option<String>,
    /// Monthly budget per agent.
    pub budget: Option<Microcents>,
    /// Calls per period per agent.
    pub rate_limit: Option<RateLimit>,
    /// Per-call timeout.
    pub timeout: Option<Duration>,
    /// Longest line relayed.
    pub max_line_bytes: usize,
    /// How arguments are recorded.
    pub record_params: RecordMode,
    /// How results are recorded.
    pub record_results: RecordMode,
    /// Redaction keys.
    pub redactor: Redactor,
    /// Add `mcpbill/agent_id` and `mcpbill/request_id` to forwarded requests.
    pub request_meta: bool,
    /// Add `mcpbill/receipt` to results.
    pub receipt_meta: bool,
    /// This run's session id.
    pub session_id: String,
}

/// How one tool is priced and recorded.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Its price.
    pub price: ToolPrice,
    /// How its arguments are recorded.
    pub record_params: RecordMode,
    /// How its results are recorded.
    pub record_results: RecordMode,
}

impl Config {
    /// A config with defaults: provider `unknown`, no pricing, no key, no limits.
    pub fn new(provider_id: &str) -> Self {
        Config {
            provider_id: provider_id.to_owned(),
            category: None,
            pricing: None,
            agent_id: None,
            key: None,
            verify_url_base: None,
            budget: None,
            rate_limit: None,
            timeout: None,
            max_line_bytes: 128 * 1024 * 1024,
            record_params: RecordMode::Redacted,
            record_results: RecordMode::None,
            redactor: Redactor::default(),
            request_meta: true,
            receipt_meta: true,
            session_id: uuid_like(),
        }
    }

    /// The rule for a tool: the pricing file's entry (whose record modes override the flags).
    pub fn rule(&self, tool: &str) -> Rule {
        let Some(file) = &self.pricing else {
            return Rule {
                price: ToolPrice::free(tool),
                record_params: self.record_params,
                record_results: self.record_results,
            };
        };
        let entry = file.tool(tool);
        Rule {
            price: entry.map_or_else(|| file.price_for(tool), |e| e.price.clone()),
            record_params: entry
                .and_then(|e| e.record_params)
                .unwrap_or(self.record_params),
            record_results: entry
                .and_then(|e| e.record_results)
                .unwrap_or(self.record_results),
        }
    }
}

impl Config {
    /// A warning for a called tool that a pricing file with prices leaves free by omission
    /// (not listed, no `[default]`): most often a misspelt `[tools.NAME]`.
    pub fn unpriced_note(&self, tool: &str) -> Option<String> {
        let file = self.pricing.as_ref()?;
        let priced: Vec<&str> = file
            .tools
            .iter()
            .filter(|t| t.price.model != crate::pricing::PricingModel::Free)
            .map(|t| t.price.tool_id.as_str())
            .collect();
        if file.default.is_some() || file.tool(tool).is_some() || priced.is_empty() {
            return None;
        }
        let hint = crate::pricing::suggest(tool, &priced)
            .map(|s| format!(" (it prices '{}': misspelt?)", escape_terminal(s)))
            .unwrap_or_default();
        Some(format!(
            "warning: tool '{}' is not in {} and there is no [default], so its calls are free{hint}; add [tools.{}] or a [default] price",
            escape_terminal(tool),
            escape_terminal(&file.source),
            escape_terminal(tool),
        ))
    }
}

/// Cached rules by tool name, with the warnings their first calls raised.
#[derive(Debug, Default)]
pub struct Rules {
    cache: HashMap<String, std::sync::Arc<Rule>>,
    /// Warnings not yet shown (each tool's once).
    pub notes: Vec<String>,
}

impl Rules {
    /// The rule of `tool`, computed once.
    pub fn get(&mut self, config: &Config, tool: &str) -> std::sync::Arc<Rule> {
        if let Some(r) = self.cache.get(tool) {
            return r.clone();
        }
        let r = std::sync::Arc::new(config.rule(tool));
        if self.cache.len() < 10_000 {
            self.cache.insert(tool.to_owned(), r.clone());
            self.notes.extend(config.unpriced_note(tool));
        }
        r
    }
}

/// `N` calls per `period`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Calls allowed per period.
    pub calls: u32,
    /// The period.
    pub period: Duration,
}

impl RateLimit {
    /// Parse `60/min`, `10/s`, `1000/h`, `5/30s`. An error names what is wrong.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = |why: &str| {
            format!(
                "invalid rate limit '{s}': {why}; write calls/period, e.g. 60/min, 10/s or 1000/h"
            )
        };
        let (n, p) = s
            .split_once('/')
            .ok_or_else(|| bad("no '/' between the calls and the period"))?;
        let calls: u32 = n.trim().parse().map_err(|_| {
            bad(&format!(
                "'{}' is not a whole number of calls from 1 to {}",
                n.trim(),
                u32::MAX
            ))
        })?;
        if calls == 0 {
            return Err(bad("0 calls would refuse every call"));
        }
        let period = match p.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            "d" | "day" => Duration::from_secs(86_400),
            other => crate::time::parse_duration(other).map_err(|_| {
                bad(&format!(
                    "'{other}' is not a period (s, min, h, day, or a duration such as 30s)"
                ))
            })?,
        };
        if period.is_zero() {
            return Err(bad("the period is zero"));
        }
        if period > crate::time::MAX_WAIT {
            return Err(bad(&format!(
                "the period is longer than {}",
                humantime::format_duration(crate::time::MAX_WAIT)
            )));
        }
        Ok(RateLimit { calls, period })
    }

    /// `1 call per 1s`, `60 calls per 1m`, for messages.
    pub fn describe(&self) -> String {
        format!(
            "{} call{} per {}",
            self.calls,
            if self.calls == 1 { "" } else { "s" },
            humantime::format_duration(self.period)
        )
    }
}

/// A random UUID (version 4 layout) as lowercase hex with dashes. Request ids need to be
/// unique, not secret: they come from a per-thread generator seeded once from the OS
/// (SplitMix64), which keeps a system call off the per-call path.
pub fn uuid_like() -> String {
    use std::cell::Cell;
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut seed = [0u8; 8];
            getrandom::getrandom(&mut seed).expect("the operating system's random number generator failed");
            u64::from_le_bytes(seed)
        });
    }
    let next = || {
        STATE.with(|s| {
            let mut z = s.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
            s.set(z);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        })
    };
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&next().to_le_bytes());
    b[8..].copy_from_slice(&next().to_le_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = crate::ids::hex_lower(&b);
    let mut out = String::with_capacity(36);
    for (i, part) in [&h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push('-');
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits() {
        assert_eq!(
            RateLimit::parse("60/min").unwrap(),
            RateLimit {
                calls: 60,
                period: Duration::from_secs(60)
            }
        );
        assert_eq!(
            RateLimit::parse("5/30s").unwrap().period,
            Duration::from_secs(30)
        );
        // Each refusal says what is wrong.
        for (bad, why) in [
            ("0/s", "0 calls would refuse every call"),
            ("ten/s", "'ten' is not a whole number of calls"),
            (
                "99999999999999999999/s",
                "is not a whole number of calls from 1 to",
            ),
            ("10", "no '/' between"),
            ("1/fortnight", "'fortnight' is not a period"),
            ("1/31d", "the period is longer than 30days"),
        ] {
            let err = RateLimit::parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
        assert_eq!(
            RateLimit::parse("1/1.5s").unwrap().describe(),
            "1 call per 1s 500ms"
        );
        assert_eq!(
            RateLimit::parse("60/min").unwrap().describe(),
            "60 calls per 1m"
        );
    }

    #[test]
    fn uuids() {
        let u = uuid_like();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_ne!(u, uuid_like());
    }
}
