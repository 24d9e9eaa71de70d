//! `mcpbill feedback`: the MMCP feedback mechanism. Records that a call's result was
//! discarded (or kept) in the log directory's `feedback.jsonl`; charges never change.

use anyhow::Result;
use serde_json::json;

use crate::analytics::{event_inputs, read_log, reading_log_dir, report_skipped, skipped_source};
use crate::cli::FeedbackArgs;
use crate::eventlog::{LogDir, scan_files};
use crate::exit::ExitStatus;
use crate::output::{Printer, escape_terminal};
use crate::scan::{Event, MetaKey, parse_event};
use crate::time::Timestamp;

/// Run `mcpbill feedback`.
pub fn run(args: &FeedbackArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let id = args.request_id.trim();
    if id.is_empty() || id.chars().any(char::is_control) {
        anyhow::bail!(
            "the request id is empty or holds control characters; pass the id wrap put in metadata.request_id"
        );
    }
    // The call is in the log: a log directory that does not exist is a mistyped path, or
    // no call was ever logged there. Feedback does not start a log.
    let dir = reading_log_dir(args.log_dir.as_deref())?;
    if !read_log(&dir)? {
        anyhow::bail!(
            "log directory '{}' does not exist; feedback is about a call wrap logged: pass its --log-dir",
            dir.display()
        );
    }
    let log = LogDir::existing(&dir);
    // Find the call, for its agent and to warn about unknown ids.
    let files = event_inputs(&[], log.path())?;
    let finder = memchr::memmem::Finder::new(id.as_bytes());
    let mut agent: Option<String> = None;
    // A receipt or event id given for the request id (both are printed where the request
    // id is not): the call it names gives the request id.
    let mut resolved: Option<String> = None;
    let other_id = id.starts_with("rcpt_") || id.starts_with("evt_");
    let stats = scan_files(&files, |line| {
        if agent.is_some() || finder.find(line).is_none() {
            return true;
        }
        let mut ev = Event::default();
        if !parse_event(line, &mut ev) {
            return false;
        }
        if ev.meta_str(MetaKey::RequestId) == Some(id) {
            agent = Some(ev.e.agent_id.to_string());
        } else if other_id
            && (ev.meta_str(MetaKey::ReceiptId) == Some(id)
                || ev.e.event_id.as_ref().is_some_and(|e| e.0 == id))
            && let Some(request) = ev.meta_str(MetaKey::RequestId)
        {
            resolved = Some(request.to_owned());
            agent = Some(ev.e.agent_id.to_string());
        }
        true
    })?;
    let given = id;
    let id = resolved.as_deref().unwrap_or(id);
    if other_id && agent.is_none() {
        anyhow::bail!(
            "'{}' is a receipt or event id, and no call in the event logs of '{}' has it; feedback takes the call's request id (metadata.request_id, or _meta mcpbill/request_id)",
            escape_terminal(given),
            log.path().display()
        );
    }
    if id != given {
        printer.note(&format!(
            "'{}' is the call with request id '{}'; recorded for that request",
            escape_terminal(given),
            escape_terminal(id)
        ));
    }
    if agent.is_none() {
        printer.warn(&format!(
            "request id '{id}' is not in the event logs of '{}'; recorded anyway",
            log.path().display()
        ));
    }
    let discarded = args.discarded && !args.kept;
    let record = json!({
        "request_id": id,
        "discarded": discarded,
        "timestamp": Timestamp::now().to_string(),
        "agent_id": args.agent_id.clone().or(agent.clone()),
    });
    log.append(&log.feedback(), &serde_json::to_vec(&record)?)?;
    if printer.json() {
        let mut out = record.clone();
        out["found_in_log"] = json!(agent.is_some());
        out["lines_skipped"] = json!(stats.skipped);
        printer.json_doc(&out)?;
    } else {
        let what = if discarded { "discarded" } else { "kept" };
        printer.line(&format!("recorded: request {} {what}", escape_terminal(id)))?;
    }
    let source = skipped_source("the event logs", &files, &stats);
    report_skipped(printer, &source, stats.skipped);
    Ok(ExitStatus::Success)
}
