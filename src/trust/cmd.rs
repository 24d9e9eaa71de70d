//! The glue of `mcpbill trust`: read the inputs, score, print, judge `--min-score`.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::json;

use super::score::Level;
use super::{TrustAcc, TrustInputs, compute};
use crate::analytics::{
    check_side_log, event_inputs, reading_log_dir_for, report_skipped_in, skipped_file,
    skipped_source,
};
use crate::cli::TrustArgs;
use crate::dispute::{DisputeStatus, load_ledger};
use crate::eventlog::{LogDir, ScanStats, scan_file};
use crate::exit::ExitStatus;
use crate::output::{Printer, escape_terminal};
use crate::scan::time::{DateEnd, from_millis, parse_bound, parse_millis};
use crate::scan::{ScanOptions, scan_events};

/// Run `mcpbill trust`.
pub fn run(args: &TrustArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let as_of = match &args.as_of {
        Some(s) => parse_bound(s, DateEnd::End, "--as-of")?,
        None => chrono::Utc::now().timestamp_millis(),
    };
    let window =
        crate::time::parse_duration(&args.window).map_err(|e| anyhow::anyhow!("--window: {e}"))?;
    if window.is_zero() {
        anyhow::bail!(
            "--window must be longer than zero (an empty window scores nothing); write e.g. 30d or 24h"
        );
    }
    let from = as_of - i64::try_from(window.as_millis()).unwrap_or(i64::MAX / 2);
    let log_dir = reading_log_dir_for(args.log_dir.as_deref(), &args.inputs)?;
    let files = event_inputs(&args.inputs, &log_dir)?;

    let mut inputs = TrustInputs {
        min_calls: args.min_calls,
        named: args.provider.clone(),
        ..TrustInputs::default()
    };
    // Unreadable lines of the side files, by file.
    let mut aux_skipped: Vec<(String, u64)> = Vec::new();
    for path in &args.pricing {
        let (provider, category) = pricing_category(path)?;
        if let Some(c) = category {
            inputs.pricing_categories.insert(provider, c);
        }
    }
    for path in &args.verifications {
        let stats = read_verifications(path, as_of, &mut inputs.levels)?;
        aux_skipped.push((skipped_file(path, &stats), stats.skipped));
    }
    let disputes_path = args
        .disputes
        .clone()
        .unwrap_or_else(|| LogDir::existing(&log_dir).disputes());
    if let Some(path) = &args.disputes
        && crate::eventlog::look(path)?.is_none()
    {
        // An empty ledger would raise the score of every provider: a typo must not pass.
        anyhow::bail!(
            "--disputes: '{}' does not exist; check the path (without --disputes, the log directory's disputes.jsonl is read)",
            path.display()
        );
    }
    if args.disputes.is_some() || crate::eventlog::look(&disputes_path)?.is_some() {
        let ledger = load_ledger(&disputes_path)?;
        if args.disputes.is_some() {
            check_side_log(
                "--disputes",
                &disputes_path,
                (ledger.records, ledger.lines),
                "dispute records",
                "pass the disputes.jsonl that 'mcpbill dispute file' writes",
            )?;
        }
        let name = format!("'{}'", disputes_path.display());
        let name = crate::analytics::skipped_in(&name, &disputes_path, ledger.first_skip);
        aux_skipped.push((name, ledger.skipped));
        for d in &ledger.disputes {
            let Some(at) = parse_millis(&d.dispute.created_at) else {
                continue;
            };
            if at >= from && at < as_of && d.current != DisputeStatus::ResolvedDenied {
                *inputs
                    .disputes
                    .entry(d.dispute.provider_id.clone())
                    .or_default() += 1;
            }
        }
    }

    let opts = ScanOptions::auto(printer.verbosity() == crate::output::Verbosity::Quiet);
    let (acc, stats) = scan_events(&files, opts, || TrustAcc::new(from, as_of), TrustAcc::add)?;
    crate::analytics::check_counted_once(&files, &stats)?;
    let mut scores = compute(&acc, &inputs);
    scores.retain(|s| {
        (args.provider.is_empty() || args.provider.contains(&s.provider_id))
            && args
                .category
                .as_ref()
                .is_none_or(|c| s.category.as_ref() == Some(c))
    });
    // Only the providers shown: another's implausible events do not stop the command.
    for s in &scores {
        crate::analytics::check_sum("revenue", s.revenue_microcents)?;
    }
    // A provider shown without one event in the window (named by --provider, or known only
    // from its verification records) has no score to judge: a wrong path or window must
    // not pass the gate on its verification points alone.
    let (unscored, below): (Vec<&str>, Vec<&str>) = match args.min_score {
        Some(min) => (
            scores
                .iter()
                .filter(|s| s.events == 0)
                .map(|s| s.provider_id.as_str())
                .collect(),
            scores
                .iter()
                .filter(|s| s.events > 0 && s.trust_score < min)
                .map(|s| s.provider_id.as_str())
                .collect(),
        ),
        None => Default::default(),
    };

    let skipped = stats.skipped + aux_skipped.iter().map(|(_, n)| n).sum::<u64>();
    if printer.json() {
        printer.json_doc(&json!({
            "as_of": from_millis(as_of).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "window_start": from_millis(from).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "min_calls": args.min_calls,
            "providers": scores,
            "lines_read": stats.lines,
            "lines_skipped": skipped,
        }))?;
    } else if scores.is_empty() {
        printer.note("no providers in the window; check the inputs, --as-of and --window");
    } else {
        let mut table = printer.new_table(&[
            "provider",
            "score",
            "badge",
            "verif",
            "uptime",
            "latency",
            "disputes",
            "calls",
            "success",
            "p95 ms",
            "dispute rate",
            "note",
        ]);
        for s in &scores {
            let note = if s.insufficient_data {
                format!("insufficient data (<{} calls)", args.min_calls)
            } else {
                String::new()
            };
            table.add_row(vec![
                escape_terminal(&s.provider_id),
                s.trust_score.to_string(),
                s.badge.to_owned(),
                s.components.verification.to_string(),
                s.components.uptime.to_string(),
                s.components.latency.to_string(),
                s.components.disputes.to_string(),
                s.calls.to_string(),
                s.success_rate
                    .map_or("-".into(), |r| format!("{:.2}%", r * 100.0)),
                s.p95_ms.map_or("-".into(), |v| v.to_string()),
                s.dispute_rate
                    .map_or("-".into(), |r| format!("{:.2}%", r * 100.0)),
                note,
            ]);
        }
        printer.table(&table)?;
    }
    let events_name = skipped_source("the event logs", &files, &stats);
    let mut sources = vec![(events_name.as_str(), stats.skipped)];
    sources.extend(aux_skipped.iter().map(|(f, n)| (f.as_str(), *n)));
    report_skipped_in(printer, &sources);
    if let Some(min) = args.min_score {
        if scores.is_empty() {
            // A gate with nothing to judge must not pass: a wrong path or window would
            // otherwise read as a good score.
            printer.warn(&format!(
                "--min-score {min}: no provider was scored; check the inputs, --provider, --as-of and --window"
            ));
            return Ok(ExitStatus::Failure);
        }
        if !below.is_empty() {
            printer.warn(&format!("below --min-score {min}: {}", below.join(", ")));
        }
        if !unscored.is_empty() {
            printer.warn(&format!(
                "--min-score {min}: no events in the window for {}, so no score to judge; check the inputs, --provider, --as-of and --window",
                unscored.join(", ")
            ));
        }
        if !below.is_empty() || !unscored.is_empty() {
            return Ok(ExitStatus::Failure);
        }
    }
    Ok(ExitStatus::Success)
}

/// The provider id and category of a pricing file.
fn pricing_category(path: &Path) -> Result<(String, Option<String>)> {
    let file = crate::pricing::PricingFile::load(path)?;
    Ok((file.provider_id, file.category))
}

/// Read verification records, keeping the highest level per provider (records dated
/// after `as_of` are ignored). Returns what the scan saw. A file with lines but not one
/// record is refused. `serve` reads its `--verifications` through this too, so both score
/// alike and refuse alike.
pub(crate) fn read_verifications(
    path: &Path,
    as_of: i64,
    levels: &mut HashMap<String, Level>,
) -> Result<ScanStats> {
    #[derive(Deserialize)]
    struct Rec<'a> {
        #[serde(borrow)]
        provider_id: std::borrow::Cow<'a, str>,
        #[serde(borrow)]
        level: std::borrow::Cow<'a, str>,
        #[serde(borrow, default)]
        verified_at: Option<std::borrow::Cow<'a, str>>,
    }
    let stats = scan_file(path, |line| {
        let Ok(rec) = serde_json::from_slice::<Rec<'_>>(line) else {
            return false;
        };
        let Some(level) = Level::parse(&rec.level) else {
            return false;
        };
        if rec
            .verified_at
            .as_deref()
            .and_then(parse_millis)
            .is_some_and(|t| t >= as_of)
        {
            return true;
        }
        let e = levels
            .entry(rec.provider_id.into_owned())
            .or_insert(Level::Unverified);
        *e = (*e).max(level);
        true
    })
    .with_context(|| "--verifications".to_owned())?;
    // A file of another kind (events, receipts) would score every provider unverified.
    check_side_log(
        "--verifications",
        path,
        (stats.lines, stats.lines + stats.skipped),
        "verification records",
        "pass a file that 'mcpbill verify-domain', 'verify-email' or 'verify-code' writes with --record",
    )?;
    Ok(stats)
}
