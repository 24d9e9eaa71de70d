//! Evidence for a dispute: the receipt's signature verdict, the matching meter event,
//! the declared price and the recomputed expected cost, and whether the reason fits.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;
use serde_json::{Value, json};

use super::Reason;
use crate::eventlog::{expand_inputs, scan_file};
use crate::meter::Status;
use crate::money::{Microcents, format_signed_dollars};
use crate::pricing::{MonthUsage, PricingFile, Usage, quote};
use crate::receipt::Receipt;
use crate::scan::time::parse_millis;
use crate::scan::{Event, MetaKey, parse_event, scan_ordered};

/// The meter event of the disputed call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventFacts {
    /// Its id.
    pub event_id: Option<String>,
    /// What the meter saw.
    pub status: Status,
    /// Wall-clock duration.
    pub duration_ms: Option<u64>,
    /// What the meter charged.
    pub cost_microcents: u64,
    /// Input tokens.
    pub input_tokens: Option<u64>,
    /// Output tokens.
    pub output_tokens: Option<u64>,
    /// The free tier applied.
    pub free_tier: bool,
    /// `receipt_id` (metadata) or `fields` (tool, agent, provider, timestamp).
    pub matched_by: &'static str,
}

/// What the event log says about the disputed call.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    /// The matching event.
    pub event: Option<EventFacts>,
    /// The agent's successful calls of the tool earlier in the receipt's month.
    pub month_before: MonthUsage,
    /// Unreadable lines.
    pub skipped: u64,
}

/// Find the receipt with this id in the log directory's `receipts-*.jsonl`.
pub fn find_receipt(log_dir: &Path, receipt_id: &str) -> Result<(Option<Value>, u64)> {
    if !crate::eventlog::look(log_dir)?.is_some_and(|m| m.is_dir()) {
        return Ok((None, 0));
    }
    let files = expand_inputs(&[log_dir.to_path_buf()], "receipts")?;
    let needle = receipt_id.as_bytes();
    let finder = memchr::memmem::Finder::new(needle);
    let mut found = None;
    let mut skipped = 0;
    for f in &files {
        let stats = scan_file(f, |line| {
            if found.is_some() || finder.find(line).is_none() {
                return true;
            }
            // A line with a repeated field (readers disagree on which copy counts) is
            // refused, as `receipt verify` refuses it: the genuine receipt is looked for on.
            match crate::doc::from_slice(line) {
                Ok(v) => {
                    if v.get("receipt_id").and_then(Value::as_str) == Some(receipt_id) {
                        found = Some(v);
                    }
                    true
                }
                Err(_) => false,
            }
        })?;
        skipped += stats.skipped;
        if found.is_some() {
            break;
        }
    }
    Ok((found, skipped))
}

/// The event files of the log directory (all months).
pub fn event_files(log_dir: &Path) -> Result<Vec<PathBuf>> {
    if !crate::eventlog::look(log_dir)?.is_some_and(|m| m.is_dir()) {
        return Ok(Vec::new());
    }
    expand_inputs(&[log_dir.to_path_buf()], "events")
}

/// Scan the events for the receipt's call and the agent's earlier use that month.
/// The event matches by `metadata.receipt_id`, else by tool, agent, provider and
/// timestamp. Earlier use counts successful calls of the same agent, tool and provider
/// in the receipt's UTC month before the matched event (in log order), or before the
/// receipt's time when no event matches.
pub fn find_event(files: &[PathBuf], r: &Receipt, progress: bool) -> Result<Lookup> {
    #[derive(Default)]
    struct State {
        by_fields: Option<(EventFacts, MonthUsage)>,
        by_id: Option<(EventFacts, MonthUsage)>,
        running: MonthUsage,
        before_ts: MonthUsage,
    }
    let month = r.timestamp.month();
    let r_ms = r.timestamp.utc().timestamp_millis();
    let month_start = crate::scan::time::month_start_ms(month);
    let month_end = crate::scan::time::month_start_ms(month.next());
    // One receipt's event is looked up: nothing checks for events recorded twice here.
    let opts = crate::scan::ScanOptions {
        progress,
        repeats: false,
        ..crate::scan::ScanOptions::serial()
    };
    let (st, stats) = scan_ordered(files, opts, State::default(), |st, line| {
        let mut ev = Event::default();
        if !parse_event(line, &mut ev) {
            return false;
        }
        let same_call = ev.tool() == r.tool_id
            && *ev.e.agent_id == *r.agent_id
            && *ev.e.provider_id == *r.provider_id;
        if !same_call {
            return true;
        }
        let facts = |matched_by| EventFacts {
            event_id: ev.e.event_id.as_deref().map(str::to_owned),
            status: ev.e.status.unwrap_or(Status::Error),
            duration_ms: ev.e.duration_ms,
            cost_microcents: ev.cost(),
            input_tokens: ev.e.input_tokens,
            output_tokens: ev.e.output_tokens,
            free_tier: ev.meta_flag(MetaKey::FreeTier),
            matched_by,
        };
        if st.by_id.is_none() && ev.meta_str(MetaKey::ReceiptId) == Some(r.receipt_id.as_str()) {
            st.by_id = Some((facts("receipt_id"), st.running));
        } else if st.by_fields.is_none() && parse_millis(&ev.e.timestamp) == Some(r_ms) {
            st.by_fields = Some((facts("fields"), st.running));
        }
        if ev.e.status == Some(Status::Success) && ev.at_ms >= month_start && ev.at_ms < month_end {
            let tokens =
                ev.e.input_tokens
                    .unwrap_or(0)
                    .saturating_add(ev.e.output_tokens.unwrap_or(0));
            st.running.calls += 1;
            st.running.tokens = st.running.tokens.saturating_add(tokens);
            if ev.at_ms < r_ms {
                st.before_ts.calls += 1;
                st.before_ts.tokens = st.before_ts.tokens.saturating_add(tokens);
            }
        }
        true
    })?;
    let mut out = Lookup {
        skipped: stats.skipped,
        ..Lookup::default()
    };
    match st.by_id.or(st.by_fields) {
        Some((facts, before)) => {
            out.event = Some(facts);
            out.month_before = before;
        }
        None => out.month_before = st.before_ts,
    }
    Ok(out)
}

/// The expected cost of the call under the declared price: 0 unless the call
/// succeeded (DECISIONS: only successes are charged), else the quote with the
/// agent's month so far.
pub fn expected_cost(pricing: &PricingFile, r: &Receipt, lookup: &Lookup) -> Result<u64> {
    let status = lookup.event.as_ref().map_or(r.status, |e| e.status);
    if status != Status::Success || r.status != Status::Success {
        return Ok(0);
    }
    let price = pricing.price_for(&r.tool_id);
    let usage = Usage {
        input_tokens: lookup
            .event
            .as_ref()
            .and_then(|e| e.input_tokens)
            .unwrap_or(0),
        output_tokens: lookup
            .event
            .as_ref()
            .and_then(|e| e.output_tokens)
            .unwrap_or(0),
    };
    Ok(quote(&price, usage, lookup.month_before)?.cost.0)
}

/// Whether the reason fits the facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// `Some(true)`: the facts support the reason; `Some(false)`: they contradict it
    /// (the dispute is still filed, flagged); `None`: cannot be judged automatically.
    pub reason_applies: Option<bool>,
    /// The facts contradict the reason.
    pub flagged: bool,
    /// Why, in one sentence.
    pub explanation: String,
}

/// Judge the reason against the receipt, the event and the expected cost.
pub fn assess(
    reason: Reason,
    r: &Receipt,
    event: Option<&EventFacts>,
    expected: Option<u64>,
) -> Assessment {
    let charged = r.cost_microcents;
    let cost = Microcents(charged).dollars();
    let failed_as = |want: Status| r.status == want || event.is_some_and(|e| e.status == want);
    let verdict = |applies: bool, explanation: String| Assessment {
        reason_applies: Some(applies),
        flagged: !applies,
        explanation,
    };
    match reason {
        Reason::ToolError | Reason::Timeout => {
            let want = if reason == Reason::ToolError { Status::Error } else { Status::Timeout };
            if !failed_as(want) {
                let seen = event.map_or(r.status, |e| e.status);
                verdict(false, format!(
                    "the receipt says {} and the meter saw {seen}, not {want}; accepted but flagged",
                    r.status
                ))
            } else if charged == 0 {
                verdict(false, format!("the call ended in {want} but nothing was charged; accepted but flagged"))
            } else {
                verdict(true, format!(
                    "the call ended in {want} yet was charged {cost}; only successful calls are charged"
                ))
            }
        }
        Reason::Overcharge => match expected {
            None => Assessment {
                reason_applies: None,
                flagged: false,
                explanation: "no pricing declaration for this provider was given (--pricing), so the expected cost is unknown".to_owned(),
            },
            Some(exp) if charged > exp => verdict(true, format!(
                "charged {cost}, the declared pricing gives {}: {} too much",
                Microcents(exp).dollars(),
                format_signed_dollars(i64::try_from(charged - exp).unwrap_or(i64::MAX))
            )),
            Some(exp) => verdict(false, format!(
                "charged {cost}, the declared pricing gives {}: no overcharge; accepted but flagged",
                Microcents(exp).dollars()
            )),
        },
        Reason::Quality => Assessment {
            reason_applies: None,
            flagged: false,
            explanation: "output quality cannot be checked automatically; the description carries the claim".to_owned(),
        },
        Reason::Other => Assessment {
            reason_applies: None,
            flagged: false,
            explanation: "see the description".to_owned(),
        },
    }
}

/// The evidence stored with a dispute and the assessment of its reason, from the receipt,
/// its signature verdict, what the log holds of the call and the provider's pricing.
pub fn evidence_for(
    receipt_doc: &Value,
    signature: &Value,
    lookup: &Lookup,
    pricing: Option<&PricingFile>,
    r: &Receipt,
    reason: Reason,
) -> Result<(Value, Assessment)> {
    // Without the call's meter event, a free tier (the agent's month so far) or a
    // per-token price (the call's tokens) leaves the expected cost unknown: guessing it as
    // the first call of the month, or as no tokens, would call a fair charge too much.
    let unknowable = lookup.event.is_none()
        && r.status == Status::Success
        && pricing.is_some_and(|p| {
            let price = p.price_for(&r.tool_id);
            price.free_tier.is_some() || price.model == crate::pricing::PricingModel::PerToken
        });
    let expected = if unknowable {
        None
    } else {
        pricing.map(|p| expected_cost(p, r, lookup)).transpose()?
    };
    let assessment = if signature["valid"] == Value::Bool(false) {
        // Its fields cannot be trusted, the charge least of all.
        Assessment {
            reason_applies: Some(false),
            flagged: true,
            explanation: format!(
                "the receipt's signature does not verify ({}): it was changed after signing, or another key signed it; accepted but flagged",
                signature["detail"].as_str().unwrap_or("bad signature")
            ),
        }
    } else if unknowable && reason == Reason::Overcharge {
        Assessment {
            reason_applies: None,
            flagged: false,
            explanation: "the call's meter event is not in the log, so its free tier or its tokens cannot be counted and the expected cost is unknown; check --log-dir".to_owned(),
        }
    } else {
        assess(reason, r, lookup.event.as_ref(), expected)
    };
    let evidence = evidence_json(
        receipt_doc,
        signature,
        lookup,
        pricing,
        r,
        expected,
        &assessment,
    );
    Ok((evidence, assessment))
}

/// The evidence object stored with the dispute.
#[allow(clippy::too_many_arguments)]
pub fn evidence_json(
    receipt_doc: &Value,
    signature: &Value,
    lookup: &Lookup,
    pricing: Option<&PricingFile>,
    r: &Receipt,
    expected: Option<u64>,
    assessment: &Assessment,
) -> Value {
    let declaration = pricing.map(|p| {
        p.price_for(&r.tool_id)
            .declaration(&p.provider_id, &p.currency)
    });
    let difference = expected.map(|e| i128::from(r.cost_microcents) - i128::from(e));
    json!({
        "receipt": receipt_doc,
        "signature": signature,
        "meter_event": lookup.event,
        "month_usage_before": {"calls": lookup.month_before.calls, "tokens": lookup.month_before.tokens},
        "pricing": declaration,
        "charged_cost_microcents": r.cost_microcents,
        "expected_cost_microcents": expected,
        "difference_microcents": difference.map(|d| i64::try_from(d).unwrap_or(i64::MAX)),
        "assessment": assessment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(status: &str, cost: u64) -> Receipt {
        Receipt::from_value(&json!({
            "receipt_id": "rcpt_0123456789abcdef01234567",
            "tool_id": "search", "agent_id": "a1", "provider_id": "acme",
            "timestamp": "2026-11-05T10:00:00.000Z",
            "cost_microcents": cost, "status": status,
            "signature": "0".repeat(64)
        }))
        .unwrap()
    }

    fn pricing(extra: &str) -> PricingFile {
        PricingFile::parse(
            &format!("provider_id = \"acme\"\n[tools.search]\npricing_model = \"per_call\"\nprice_per_call = \"$0.05\"\n{extra}"),
            "test.toml",
        )
        .unwrap()
    }

    /// Without the call's meter event (a mistyped --log-dir, another shim's log), a free
    /// tier or a per-token price makes the expected cost unknown, not the first call's.
    #[test]
    fn a_missing_event_leaves_a_free_tier_unjudged() {
        let r = receipt("success", 50_000);
        let none = Lookup::default();
        let tier = pricing("[tools.search.free_tier]\ncalls_per_month = 3\n");
        let (ev, a) = evidence_for(
            &json!({}),
            &Value::Null,
            &none,
            Some(&tier),
            &r,
            Reason::Overcharge,
        )
        .unwrap();
        assert_eq!((a.reason_applies, a.flagged), (None, false));
        assert!(
            a.explanation.contains("meter event is not in the log"),
            "{}",
            a.explanation
        );
        assert_eq!(ev["expected_cost_microcents"], Value::Null);
        // A flat price needs no event: judged as before.
        let (_, a) = evidence_for(
            &json!({}),
            &Value::Null,
            &none,
            Some(&pricing("")),
            &r,
            Reason::Overcharge,
        )
        .unwrap();
        assert_eq!((a.reason_applies, a.flagged), (Some(false), true));
    }

    #[test]
    fn overcharge_arithmetic() {
        let r = receipt("success", 70_000);
        let lookup = Lookup::default();
        let exp = expected_cost(&pricing(""), &r, &lookup).unwrap();
        assert_eq!(exp, 50_000);
        let a = assess(Reason::Overcharge, &r, None, Some(exp));
        assert_eq!(a.reason_applies, Some(true));
        assert!(
            a.explanation.contains("charged $0.07")
                && a.explanation.contains("$0.05")
                && a.explanation.contains("$0.02 too much"),
            "{}",
            a.explanation
        );
        let ev = evidence_json(
            &json!({}),
            &Value::Null,
            &lookup,
            Some(&pricing("")),
            &r,
            Some(exp),
            &a,
        );
        assert_eq!(ev["difference_microcents"], 20_000);
        assert_eq!(ev["pricing"]["price_per_call_microcents"], 50_000);

        // Within the free tier the expected cost is 0: the whole charge is the overcharge.
        let tier = pricing("[tools.search.free_tier]\ncalls_per_month = 3\n");
        let mut l = Lookup::default();
        l.month_before.calls = 2;
        assert_eq!(expected_cost(&tier, &r, &l).unwrap(), 0);
        l.month_before.calls = 3;
        assert_eq!(expected_cost(&tier, &r, &l).unwrap(), 50_000);

        let fair = receipt("success", 50_000);
        let a = assess(Reason::Overcharge, &fair, None, Some(50_000));
        assert_eq!((a.reason_applies, a.flagged), (Some(false), true));
        assert_eq!(
            assess(Reason::Overcharge, &fair, None, None).reason_applies,
            None
        );
        // A failed call is expected to cost nothing.
        assert_eq!(
            expected_cost(&pricing(""), &receipt("error", 50_000), &Lookup::default()).unwrap(),
            0
        );
    }

    #[test]
    fn per_token_expected_cost_uses_the_event_tokens() {
        let p = PricingFile::parse(
            "provider_id = \"acme\"\n[tools.search]\npricing_model = \"per_token\"\nprice_per_input_token = 10\nprice_per_output_token = 30\n",
            "t.toml",
        )
        .unwrap();
        let r = receipt("success", 99_999);
        let lookup = Lookup {
            event: Some(EventFacts {
                event_id: None,
                status: Status::Success,
                duration_ms: Some(5),
                cost_microcents: 99_999,
                input_tokens: Some(100),
                output_tokens: Some(200),
                free_tier: false,
                matched_by: "receipt_id",
            }),
            ..Lookup::default()
        };
        assert_eq!(expected_cost(&p, &r, &lookup).unwrap(), 100 * 10 + 200 * 30);
    }

    #[test]
    fn failure_reasons() {
        let a = assess(Reason::ToolError, &receipt("success", 50_000), None, None);
        assert_eq!((a.reason_applies, a.flagged), (Some(false), true));
        assert!(a.explanation.contains("flagged"));
        let a = assess(Reason::ToolError, &receipt("error", 50_000), None, None);
        assert_eq!(a.reason_applies, Some(true));
        let a = assess(Reason::Timeout, &receipt("timeout", 0), None, None);
        assert_eq!(a.reason_applies, Some(false));
        assert_eq!(
            assess(Reason::Quality, &receipt("success", 1), None, None).reason_applies,
            None
        );
    }
}
