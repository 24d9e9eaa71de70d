//! The glue of `mcpbill report`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::json;

use super::{By, Feedback, ReportAcc, Row, column, html, row, rows};
use crate::analytics::{
    check_output, check_side_log, check_sum, event_inputs, reading_log_dir_for, report_skipped_in,
    skipped_file, skipped_source,
};
use crate::cli::ReportArgs;
use crate::eventlog::{LogDir, ScanStats, scan_file};
use crate::exit::ExitStatus;
use crate::money::Microcents;
use crate::output::{Printer, Verbosity, escape_terminal};
use crate::scan::time::Range;
use crate::scan::{ScanOptions, scan_events};

/// Read a feedback log: the latest record per request id wins. Returns the map and
/// what the scan saw (the records read, the unreadable lines skipped).
pub fn load_feedback(path: &Path) -> Result<(Feedback, ScanStats)> {
    #[derive(Deserialize)]
    struct Rec {
        request_id: String,
        discarded: bool,
        #[serde(default)]
        agent_id: Option<String>,
    }
    let mut map = Feedback::new();
    if crate::eventlog::look(path)?.is_none() {
        return Ok((map, ScanStats::default()));
    }
    let stats = scan_file(path, |line| match serde_json::from_slice::<Rec>(line) {
        Ok(r) => {
            map.entry(r.request_id)
                .or_default()
                .push((r.agent_id, r.discarded));
            true
        }
        Err(_) => false,
    })?;
    Ok((map, stats))
}

/// Run `mcpbill report`.
pub fn run(args: &ReportArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let range = Range::from_flags(
        args.range.since.as_deref(),
        args.range.until.as_deref(),
        args.range.month.as_deref(),
    )?;
    let budget = args
        .budget
        .as_deref()
        .map(|b| {
            Microcents::parse(b)
                .map(|m| m.0)
                .map_err(|e| anyhow::anyhow!("--budget: {e}"))
        })
        .transpose()?;
    if budget.is_some() && args.by != By::Agent {
        bail!("--budget measures spend per agent; add --by agent (or drop --budget)");
    }
    let log_dir = reading_log_dir_for(args.log_dir.as_deref(), &args.inputs)?;
    let files = event_inputs(&args.inputs, &log_dir)?;
    let feedback_path = args
        .feedback
        .clone()
        .unwrap_or_else(|| LogDir::existing(&log_dir).feedback());
    if args.feedback.is_some() && crate::eventlog::look(&feedback_path)?.is_none() {
        anyhow::bail!(
            "feedback log '{}' does not exist; check --feedback",
            feedback_path.display()
        );
    }
    if let Some(path) = args
        .html
        .as_ref()
        .filter(|p| !crate::analytics::is_stdout(p))
    {
        let mut read = files.clone();
        read.push(feedback_path.clone());
        check_output(path, "--html", &read, &log_dir)?;
    }
    let (feedback, fb_stats) = load_feedback(&feedback_path)?;
    if args.feedback.is_some() {
        check_side_log(
            "--feedback",
            &feedback_path,
            (fb_stats.lines, fb_stats.lines + fb_stats.skipped),
            "feedback records",
            "pass the feedback.jsonl that 'mcpbill feedback' writes",
        )?;
    }
    let fb_skipped = fb_stats.skipped;

    if args.csv && printer.json() {
        anyhow::bail!("--csv and --json both choose what stdout holds; pass one of them");
    }
    if printer.json()
        && args
            .html
            .as_ref()
            .is_some_and(|p| crate::analytics::is_stdout(p))
    {
        anyhow::bail!("--html - and --json both choose what stdout holds; pass one of them");
    }
    let mut dims = vec![args.by];
    if args.html.is_some() {
        for d in [By::Tool, By::Agent, By::Day] {
            if !dims.contains(&d) {
                dims.push(d);
            }
        }
    }
    let opts = ScanOptions::auto(printer.verbosity() == Verbosity::Quiet);
    let (acc, stats) = scan_events(
        &files,
        opts,
        || ReportAcc::new(range, &dims),
        |acc, ev| acc.add(ev, &feedback),
    )?;
    crate::analytics::check_counted_once(&files, &stats)?;
    // A budget is monthly: set against the spend of several months it would read as
    // overspent when no month was.
    if budget.is_some()
        && let Some((first, last)) = acc.span
    {
        let month =
            |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map(crate::time::Month::of);
        if let (Some(a), Some(b)) = (month(first), month(last))
            && a != b
        {
            bail!(
                "--budget is a monthly budget, and the events in range run from {a} to {b}; add --month (e.g. --month {b}) for one month's use of it"
            );
        }
    }
    check_sum("revenue", acc.total.revenue)?;
    check_sum("input token", acc.total.input_tokens)?;
    check_sum("output token", acc.total.output_tokens)?;
    let table_rows = rows(&acc, args.by, budget);
    let total = row("total", &acc.total, None);
    // The totals row of a table, told apart from a tool or agent named "total".
    let total_shown = if table_rows.iter().any(|r| r.key == "total") {
        row("(total)", &acc.total, None)
    } else {
        total.clone()
    };
    let skipped = stats.skipped + fb_skipped;

    if let Some(path) = &args.html {
        let page = html::render(&acc, args.by, &table_rows, &total_shown, skipped);
        if crate::analytics::is_stdout(path) {
            // The page is stdout's content; --json has nothing to add to it.
            printer.raw(&page)?;
        } else {
            crate::newfile::OutputFile::create(path)
                .and_then(|mut o| {
                    std::io::Write::write_all(o.file(), page.as_bytes())?;
                    o.finish()
                })
                .with_context(|| {
                    format!("cannot write '{}'; check the directory", path.display())
                })?;
            if printer.json() {
                printer.json_doc(
                    &json!({"html": path, "rows": table_rows.len(), "lines_skipped": skipped}),
                )?;
            } else {
                printer.note(&format!(
                    "wrote {} ({} {} rows)",
                    path.display(),
                    table_rows.len(),
                    args.by.as_str()
                ));
            }
        }
    } else if printer.json() {
        printer.json_doc(&json!({
            "by": args.by,
            // RFC 3339 UTC with milliseconds and Z, as every other time mcpbill prints.
            "since": range.from.map(|t| crate::time::Timestamp::from_utc(crate::scan::time::from_millis(t))),
            "until": range.to.map(|t| crate::time::Timestamp::from_utc(crate::scan::time::from_millis(t))),
            "rows": table_rows,
            "totals": total,
            "lines_read": stats.lines,
            "lines_skipped": skipped,
        }))?;
    } else if args.csv {
        printer.raw(&csv(&table_rows, args.by))?;
    } else if table_rows.is_empty() {
        printer.note("no events in range; check the inputs and --since/--until/--month");
    } else {
        print_table(printer, args.by, &table_rows, &total_shown)?;
    }
    let feedback_name = skipped_file(&feedback_path, &fb_stats);
    report_skipped_in(
        printer,
        &[
            (
                &skipped_source("the event logs", &files, &stats),
                stats.skipped,
            ),
            (&feedback_name, fb_skipped),
        ],
    );
    Ok(ExitStatus::Success)
}

fn print_table(printer: &mut Printer, by: By, rows: &[Row], total: &Row) -> Result<()> {
    let columns = match by {
        By::Agent => column::AGENT_TABLE,
        _ => column::TABLE,
    };
    let headers: Vec<&str> = columns.iter().map(|c| c.header(by)).collect();
    let mut t = printer.new_table(&headers);
    for r in rows.iter().chain(std::iter::once(total)) {
        t.add_row(
            columns
                .iter()
                .map(|c| escape_terminal(&c.cell(r)))
                .collect::<Vec<_>>(),
        );
    }
    printer.table(&t)?;
    Ok(())
}

/// Quote a CSV field when it needs it (RFC 4180).
pub fn csv_field(s: &str) -> String {
    // Ids and names come from clients: a cell a spreadsheet would run as a formula gets a
    // leading apostrophe, which spreadsheets show as text.
    let guarded;
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn csv(rows: &[Row], by: By) -> String {
    let mut out = format!(
        "{},calls,successes,errors,timeouts,refused,success_pct,error_pct,p50_ms,p95_ms,p99_ms,revenue_microcents,charged_calls,free_tier_calls,input_tokens,output_tokens,discarded,discard_pct,budget_use_pct\n",
        by.as_str()
    );
    let o = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(&r.key),
            r.calls,
            r.successes,
            r.errors,
            r.timeouts,
            r.refused,
            r.success_pct,
            r.error_pct,
            o(r.p50_ms),
            o(r.p95_ms),
            o(r.p99_ms),
            r.revenue_microcents,
            r.charged_calls,
            r.free_tier_calls,
            r.input_tokens,
            r.output_tokens,
            r.discarded,
            r.discard_pct,
            r.budget_use_pct.map(|p| p.to_string()).unwrap_or_default(),
        );
    }
    out
}
