//! The glue of `mcpbill dispute file|list|show|update`.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::evidence::{event_files, evidence_for, find_event, find_receipt};
use super::prompt::{Prompter, TerminalPrompter};
use super::{
    Dispute, DisputeState, FiledByType, Reason, Record, StatusChange, check_transition, load_ledger,
};
use crate::analytics::{read_log, reading_log_dir, report_skipped};
use crate::cli::{
    DisputeArgs, DisputeCommand, DisputeFileArgs, DisputeListArgs, DisputeLogArgs, DisputeShowArgs,
    DisputeSubmitArgs, DisputeUpdateArgs, GlobalArgs,
};
use crate::discovery::submit::{Target, submit_and_record};
use crate::eventlog::{LogDir, append_line};
use crate::exit::ExitStatus;
use crate::ids::{IdKind, new_id};
use crate::key::Secret;
use crate::money::Microcents;
use crate::output::{Printer, escape_terminal};
use crate::pricing::PricingFile;
use crate::receipt::{Receipt, verify_value};
use crate::time::Timestamp;

/// Run `mcpbill dispute`.
pub fn run(args: &DisputeArgs, global: &GlobalArgs, printer: &mut Printer) -> Result<ExitStatus> {
    match &args.command {
        DisputeCommand::File(a) => {
            let can_prompt = !global.json
                && !global.no_input
                && std::io::stdin().is_terminal()
                && std::io::stderr().is_terminal();
            file(a, can_prompt, &mut TerminalPrompter, printer)
        }
        DisputeCommand::List(a) => list(a, printer),
        DisputeCommand::Show(a) => show(a, printer),
        DisputeCommand::Update(a) => update(a, printer),
        DisputeCommand::Submit(a) => submit(a, printer),
    }
}

fn log_dir(args: &DisputeLogArgs) -> Result<PathBuf> {
    args.log_dir.clone().map_or_else(LogDir::default_path, Ok)
}

/// The reason and description, asked for when missing and prompting is allowed.
/// Returns them and whether anything was asked.
pub fn choose(
    reason: Option<Reason>,
    description: Option<&str>,
    can_prompt: bool,
    prompter: &mut dyn Prompter,
) -> Result<(Reason, String, bool)> {
    let mut asked = false;
    let reason = match reason {
        Some(r) => r,
        None if can_prompt => {
            asked = true;
            let items: Vec<&str> = Reason::ALL.iter().map(|r| r.describe()).collect();
            Reason::ALL[prompter.select("Why do you contest this charge?", &items, 0)?]
        }
        None => {
            bail!("missing --reason; pass --reason tool_error|overcharge|timeout|quality|other")
        }
    };
    let description = match description.map(str::trim) {
        Some(d) if !d.is_empty() => d.to_owned(),
        _ if can_prompt && (reason == Reason::Other || asked) => {
            asked = true;
            let required = reason == Reason::Other;
            let prompt = if required {
                "Describe the problem"
            } else {
                "Describe the problem (optional)"
            };
            prompter.input(prompt, !required)?.trim().to_owned()
        }
        _ if reason == Reason::Other => {
            bail!("--reason other needs a description; pass --description TEXT")
        }
        _ => String::new(),
    };
    if reason == Reason::Other && description.is_empty() {
        bail!("--reason other needs a description; pass --description TEXT");
    }
    Ok((reason, description, asked))
}

fn read_receipt_doc(
    args: &DisputeFileArgs,
    dir: &std::path::Path,
    can_prompt: bool,
    prompter: &mut dyn Prompter,
) -> Result<Value> {
    if let Some(path) = &args.receipt {
        let bytes = crate::input::read_all(path, "the receipt")?;
        crate::kind::refuse_event_as_receipt(path, &bytes)?;
        return crate::doc::from_slice(bytes.trim_ascii()).map_err(|e| match e {
            crate::doc::DocError::Json(e) => anyhow::anyhow!(
                "the receipt is not JSON ({e}); pass one receipt document to --receipt"
            ),
            other => anyhow::anyhow!("the receipt is refused: {other}"),
        });
    }
    let id = match &args.receipt_id {
        Some(id) => id.clone(),
        None if can_prompt => prompter
            .input("Receipt id (rcpt_...)", false)?
            .trim()
            .to_owned(),
        None => bail!("missing receipt; pass --receipt FILE (or - for stdin) or --receipt-id ID"),
    };
    let (found, _) = find_receipt(dir, &id)?;
    found.ok_or_else(|| {
        anyhow::anyhow!(
            "receipt '{id}' is not in the receipts logs of '{}'; pass the receipt itself with --receipt FILE",
            dir.display()
        )
    })
}

/// The first signed field (or the signature) in which `given` and `logged` differ.
fn differing_field(given: &Value, logged: &Value) -> Option<&'static str> {
    crate::receipt::canonical::SIGNED_FIELDS
        .into_iter()
        .chain(["signature"])
        .find(|f| given.get(f) != logged.get(f))
}

/// `dispute file` with an injectable prompter.
pub fn file(
    args: &DisputeFileArgs,
    can_prompt: bool,
    prompter: &mut dyn Prompter,
    printer: &mut Printer,
) -> Result<ExitStatus> {
    // Filing from a receipt file may start a log; finding a receipt by id needs one.
    let dir = if args.receipt.is_some() {
        log_dir(&args.log)?
    } else {
        let dir = reading_log_dir(args.log.log_dir.as_deref())?;
        read_log(&dir)?;
        dir
    };
    // Before anything is filed: a key no request can carry, or a URL that cannot be used,
    // is a usage error.
    let api_key = args
        .api_key_file
        .as_deref()
        .map(crate::discovery::submit::read_api_key)
        .transpose()?;
    let target = args
        .submit
        .as_deref()
        .map(|url| {
            Target::new(
                url,
                "--submit",
                crate::http::ClientConfig::new(args.allow_http, args.timeout, args.ca_cert.clone()),
                args.api_key_file.as_deref(),
                args.log.log_dir.as_deref(),
            )
        })
        .transpose()?;
    let doc = read_receipt_doc(args, &dir, can_prompt, prompter)?;
    let receipt =
        Receipt::from_value(&doc).map_err(|e| anyhow::anyhow!("the receipt is not valid: {e}"))?;
    let disputes_path = LogDir::existing(&dir).disputes();
    let ledger = load_ledger(&disputes_path)?;
    if let Some(open) = ledger.open_for_receipt(&receipt.receipt_id) {
        bail!(
            "receipt {} already has an open dispute ({}, {}); follow it with 'mcpbill dispute show {}'",
            receipt.receipt_id,
            open.dispute.dispute_id,
            open.current,
            open.dispute.dispute_id
        );
    }
    // Every dispute on a receipt contests one charge: a copy of the receipt that tells
    // another (an altered file, flagged but filed) would otherwise set its own limit on
    // what the disputes on it return together.
    if let Some(first) = ledger.first_on(&receipt.receipt_id) {
        let d = &first.dispute;
        let differs = [
            (
                "cost_microcents",
                d.cost_microcents == receipt.cost_microcents,
            ),
            ("provider_id", d.provider_id == receipt.provider_id),
            ("agent_id", d.agent_id == receipt.agent_id),
            (
                "tool_id",
                d.tool_id.is_empty() || d.tool_id == receipt.tool_id,
            ),
        ]
        .into_iter()
        .find(|(_, same)| !same);
        if let Some((field, _)) = differs {
            bail!(
                "receipt {} differs in {field} from the copy its first dispute ({}) was filed with (a charge of {} there, {} here); file from the receipt as issued ('mcpbill dispute show {}' shows it)",
                receipt.receipt_id,
                d.dispute_id,
                Microcents(d.cost_microcents).dollars(),
                Microcents(receipt.cost_microcents).dollars(),
                d.dispute_id
            );
        }
    }
    if let (returned, Some(earlier)) = ledger.returned_on(&receipt.receipt_id, "")
        && returned >= receipt.cost_microcents
    {
        bail!(
            "receipt {} was already returned in full ({} of {}, dispute {}, {}); nothing is left to dispute",
            receipt.receipt_id,
            Microcents(returned).dollars(),
            Microcents(receipt.cost_microcents).dollars(),
            earlier.dispute.dispute_id,
            earlier.current
        );
    }
    // A receipt given as a file must be the one issued: the log's copy, when it has one.
    if args.receipt.is_some()
        && let (Some(logged), _) = find_receipt(&dir, &receipt.receipt_id)?
        && let Some(field) = differing_field(&doc, &logged)
    {
        bail!(
            "receipt {} differs from the log's copy in {field}; a dispute is filed on the receipt as issued: pass --receipt-id {} instead",
            receipt.receipt_id,
            receipt.receipt_id
        );
    }
    let (reason, description, asked) = choose(
        args.reason,
        args.description.as_deref(),
        can_prompt,
        prompter,
    )?;

    // Evidence.
    let signature = match Secret::resolve(args.key_file.as_ref())? {
        Some(key) => {
            if let Some(source) = Secret::source(args.key_file.as_deref()) {
                printer.debug(&format!(
                    "the receipt's signature is checked with the key from {source}"
                ));
            }
            let v = verify_value(&doc, |_| Some(&key));
            json!({"checked": true, "valid": v.valid(), "detail": v.invalid.map(|i| i.to_string())})
        }
        None => {
            json!({"checked": false, "valid": null, "detail": "no key given (--key-file, MCPBILL_KEY_FILE or MCPBILL_KEY)"})
        }
    };
    let progress =
        crate::scan::ScanOptions::auto(printer.verbosity() == crate::output::Verbosity::Quiet)
            .progress;
    let lookup = find_event(&event_files(&dir)?, &receipt, progress)?;
    // The meter saw the same call (the event names the receipt): its charge and status
    // are the receipt's.
    if let Some(event) = &lookup.event
        && event.matched_by == "receipt_id"
        && (event.cost_microcents != receipt.cost_microcents || event.status != receipt.status)
    {
        bail!(
            "receipt {} says {} charged ({}), but the call's meter event says {} ({}); a dispute is filed on the receipt as issued: check it, or pass --receipt-id {}",
            receipt.receipt_id,
            Microcents(receipt.cost_microcents).dollars(),
            receipt.status,
            Microcents(event.cost_microcents).dollars(),
            event.status,
            receipt.receipt_id
        );
    }
    let mut pricing = None;
    let mut others = Vec::new();
    for path in &args.pricing {
        let p = PricingFile::load(path)?;
        if p.provider_id == receipt.provider_id {
            pricing = Some(p);
        } else {
            others.push(p.provider_id);
        }
    }
    if pricing.is_none() && !others.is_empty() {
        printer.warn(&format!(
            "no --pricing file is for provider '{}' (they declare {}); the expected cost is left unknown",
            receipt.provider_id,
            others
                .iter()
                .map(|p| format!("'{p}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let (evidence, assessment) = evidence_for(
        &doc,
        &signature,
        &lookup,
        pricing.as_ref(),
        &receipt,
        reason,
    )?;

    let filed_by = args
        .filed_by
        .clone()
        .unwrap_or_else(|| match args.filed_by_type {
            FiledByType::Agent => receipt.agent_id.clone(),
            FiledByType::Provider => receipt.provider_id.clone(),
        });
    if asked
        && !prompter.confirm(
            &format!(
                "File a {reason} dispute on {} ({} charged by {})?",
                receipt.receipt_id,
                Microcents(receipt.cost_microcents).dollars(),
                escape_terminal(&receipt.provider_id)
            ),
            true,
        )?
    {
        printer.note("nothing filed");
        return Ok(ExitStatus::Failure);
    }
    let dispute = Dispute::filed(
        new_id(IdKind::Dispute),
        &receipt,
        filed_by,
        args.filed_by_type,
        reason,
        description,
        evidence,
    );
    let log = LogDir::open(Some(&dir))?;
    {
        let _lock = log.lock()?;
        // Checked again under the lock: another filing may have raced us.
        if let Some(open) = load_ledger(&disputes_path)?.open_for_receipt(&receipt.receipt_id) {
            bail!(
                "receipt {} already has an open dispute ({})",
                receipt.receipt_id,
                open.dispute.dispute_id
            );
        }
        let line = serde_json::to_vec(&Record::Filed(dispute.clone()))?;
        append_line(&disputes_path, &line)?;
    }
    if printer.json() {
        let mut v = serde_json::to_value(&dispute)?;
        v["lines_skipped"] = json!(lookup.skipped);
        if let Some(target) = &target {
            // One document: the dispute, and what became of its submission.
            return match submit_and_record(&dir, &dispute, target, api_key.as_deref(), printer) {
                Ok((status, record)) => {
                    v["submission"] = record;
                    printer.json_doc(&v)?;
                    Ok(status)
                }
                Err(e) => {
                    v["submission"] = json!({"accepted": false, "error": format!("{e:#}")});
                    printer.json_doc(&v)?;
                    Err(e)
                }
            };
        }
        printer.json_doc(&v)?;
    } else {
        printer.line(&format!(
            "filed {} on {} against {} ({reason})",
            dispute.dispute_id,
            dispute.receipt_id,
            escape_terminal(&dispute.provider_id)
        ))?;
        printer.line(&format!(
            "assessment: {}",
            escape_terminal(&assessment.explanation)
        ))?;
    }
    if assessment.flagged {
        printer.warn(&format!(
            "the facts do not support '{reason}': {}",
            assessment.explanation
        ));
    }
    report_skipped(printer, "the event logs", lookup.skipped);
    if let Some(target) = &target {
        return Ok(submit_and_record(&dir, &dispute, target, api_key.as_deref(), printer)?.0);
    }
    Ok(ExitStatus::Success)
}

fn list(args: &DisputeListArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let dir = reading_log_dir(args.log.log_dir.as_deref())?;
    read_log(&dir)?;
    let path = LogDir::existing(&dir).disputes();
    let ledger = load_ledger(&path)?;
    let shown: Vec<_> = ledger
        .disputes
        .iter()
        .filter(|d| {
            args.status.is_none_or(|s| d.current == s)
                && args
                    .provider
                    .as_ref()
                    .is_none_or(|p| &d.dispute.provider_id == p)
                && args.agent.as_ref().is_none_or(|a| &d.dispute.agent_id == a)
                && args.reason.is_none_or(|r| d.dispute.reason == r)
        })
        .collect();
    if printer.json() {
        let items: Vec<Value> = shown.iter().map(|d| d.to_json()).collect();
        printer.json_doc(&json!({"disputes": items, "lines_skipped": ledger.skipped}))?;
    } else if shown.is_empty() {
        printer.note("no disputes match");
    } else {
        let mut t = printer.new_table(&[
            "dispute", "receipt", "provider", "agent", "reason", "status", "charged", "filed",
            "updated",
        ]);
        for d in &shown {
            t.add_row(vec![
                d.dispute.dispute_id.clone(),
                d.dispute.receipt_id.clone(),
                escape_terminal(&d.dispute.provider_id),
                escape_terminal(&d.dispute.agent_id),
                d.dispute.reason.to_string(),
                d.current.to_string(),
                Microcents(d.dispute.cost_microcents).dollars(),
                escape_terminal(&d.dispute.created_at),
                escape_terminal(&d.updated_at),
            ]);
        }
        printer.table(&t)?;
    }
    report_skipped(printer, &disputes_source(&path, &ledger), ledger.skipped);
    Ok(ExitStatus::Success)
}

/// The disputes log at `path` as a source of skipped lines, with the first one's line.
fn disputes_source(path: &std::path::Path, ledger: &crate::dispute::Ledger) -> String {
    crate::analytics::skipped_in("the disputes log", path, ledger.first_skip)
}

/// The dispute `id` of the log, or `None` after saying there is none.
fn find_dispute(
    log_dir: Option<&std::path::Path>,
    id: &str,
    printer: &mut Printer,
) -> Result<Option<(PathBuf, DisputeState)>> {
    let dir = reading_log_dir(log_dir)?;
    read_log(&dir)?;
    let path = LogDir::existing(&dir).disputes();
    let ledger = load_ledger(&path)?;
    report_skipped(printer, &disputes_source(&path, &ledger), ledger.skipped);
    let Some(d) = ledger.get(id) else {
        say_not_found(id, &dir, printer)?;
        return Ok(None);
    };
    Ok(Some((dir, d.clone())))
}

/// Say that there is no dispute `id` (a negative verdict: the caller exits 1).
fn say_not_found(id: &str, dir: &std::path::Path, printer: &mut Printer) -> Result<()> {
    if printer.json() {
        printer.json_doc(&json!({"dispute_id": id, "found": false}))?;
    }
    let id = escape_terminal(id);
    // A receipt's id where the dispute's belongs: `dispute list` shows each one's receipt.
    let hint = if id.starts_with("rcpt_") {
        format!(
            "'{id}' is a receipt id; dispute ids start with disp_ ('mcpbill dispute list' shows each dispute's receipt)"
        )
    } else {
        "list them with 'mcpbill dispute list'".to_owned()
    };
    printer.warn(&format!(
        "no dispute '{id}' in the disputes log of '{}'; {hint}",
        dir.display()
    ));
    Ok(())
}

fn submit(args: &DisputeSubmitArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let api_key = args
        .api_key_file
        .as_deref()
        .map(crate::discovery::submit::read_api_key)
        .transpose()?;
    let target = Target::new(
        &args.to,
        "--to",
        crate::http::ClientConfig::new(args.allow_http, args.timeout, args.ca_cert.clone()),
        args.api_key_file.as_deref(),
        args.log.log_dir.as_deref(),
    )?;
    let Some((dir, d)) = find_dispute(args.log.log_dir.as_deref(), &args.id, printer)? else {
        return Ok(ExitStatus::Failure);
    };
    let (status, record) =
        submit_and_record(&dir, &d.dispute, &target, api_key.as_deref(), printer)?;
    if printer.json() {
        printer.json_doc(&record)?;
    }
    Ok(status)
}

fn show(args: &DisputeShowArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let Some((_, d)) = find_dispute(args.log.log_dir.as_deref(), &args.id, printer)? else {
        return Ok(ExitStatus::Failure);
    };
    let d = &d;
    if printer.json() {
        printer.json_doc(&d.to_json())?;
        return Ok(ExitStatus::Success);
    }
    let e = &d.dispute;
    let rows = [
        ("dispute", e.dispute_id.clone()),
        ("receipt", e.receipt_id.clone()),
        ("status", d.current.to_string()),
        ("reason", e.reason.to_string()),
        ("description", e.description.clone()),
        ("provider", e.provider_id.clone()),
        ("agent", e.agent_id.clone()),
        ("tool", e.tool_id.clone()),
        ("charged", Microcents(e.cost_microcents).dollars()),
        (
            "filed by",
            format!(
                "{} ({})",
                e.filed_by,
                if e.filed_by_type == FiledByType::Agent {
                    "agent"
                } else {
                    "provider"
                }
            ),
        ),
        ("filed at", e.created_at.clone()),
        (
            "assessment",
            e.evidence["assessment"]["explanation"]
                .as_str()
                .unwrap_or("-")
                .to_owned(),
        ),
        (
            "expected cost",
            e.evidence["expected_cost_microcents"]
                .as_u64()
                .map_or("unknown".into(), |v| Microcents(v).dollars()),
        ),
        (
            "signature",
            match e.evidence["signature"]["valid"].as_bool() {
                Some(true) => "valid".to_owned(),
                Some(false) => format!(
                    "INVALID: {}",
                    e.evidence["signature"]["detail"].as_str().unwrap_or("")
                ),
                None => "not checked".to_owned(),
            },
        ),
    ];
    let mut t = printer.new_table(&["field", "value"]);
    for (k, v) in rows {
        t.add_row(vec![k.to_owned(), escape_terminal(&v)]);
    }
    if let Some(c) = d.credit_microcents {
        t.add_row(vec!["credit".to_owned(), Microcents(c).dollars()]);
    }
    printer.table(&t)?;
    let mut h = printer.new_table(&["at", "from", "to", "note", "credit"]);
    h.add_row(vec![
        escape_terminal(&e.created_at),
        "-".into(),
        "filed".into(),
        String::new(),
        String::new(),
    ]);
    for c in &d.history {
        h.add_row(vec![
            escape_terminal(&c.at),
            c.from.to_string(),
            c.to.to_string(),
            escape_terminal(c.note.as_deref().unwrap_or("")),
            c.credit_microcents
                .map(|v| Microcents(v).dollars())
                .unwrap_or_default(),
        ]);
    }
    printer.line("history:")?;
    printer.table(&h)?;
    Ok(ExitStatus::Success)
}

fn update(args: &DisputeUpdateArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let credit = args
        .credit
        .as_deref()
        .map(|c| {
            Microcents::parse(c)
                .map(|m| m.0)
                .map_err(|e| anyhow::anyhow!("--credit: {e}"))
        })
        .transpose()?;
    // Only an existing dispute can be updated: a mistyped --log-dir is an error, not created.
    let dir = reading_log_dir(args.log.log_dir.as_deref())?;
    read_log(&dir)?;
    let log = LogDir::open(Some(&dir))?;
    let path = log.disputes();
    let change = {
        let _lock = log.lock()?;
        let ledger = load_ledger(&path)?;
        let Some(d) = ledger.get(&args.id) else {
            // As `show` and `submit`: record not found, exit 1.
            say_not_found(&args.id, &dir, printer)?;
            return Ok(ExitStatus::Failure);
        };
        check_transition(&args.id, d.current, args.status, credit)?;
        let charged = d.dispute.cost_microcents;
        if let Some(c) = credit.filter(|&c| c > charged) {
            bail!(
                "--credit {} is more than the {} charged on receipt {}; a credit returns at most the charge",
                Microcents(c).dollars(),
                Microcents(charged).dollars(),
                d.dispute.receipt_id
            );
        }
        // Earlier disputes on the same receipt may have returned some of it already: the
        // receipt's refunds and credits together return at most its charge.
        let (returned, earlier) = ledger.returned_on(&d.dispute.receipt_id, &args.id);
        if let Some(earlier) = earlier {
            let left = charged.saturating_sub(returned);
            let asked = match args.status {
                super::DisputeStatus::ResolvedRefund => Some(charged),
                super::DisputeStatus::ResolvedCredit => credit,
                _ => None,
            };
            if asked.is_some_and(|a| a > left) {
                let what = if args.status == super::DisputeStatus::ResolvedRefund {
                    "a refund of the whole charge"
                } else {
                    "this credit"
                };
                bail!(
                    "receipt {} already had {} of its {} returned (dispute {}, {}); {what} would return more than was charged: resolve with --credit of at most {} or with --status resolved_denied",
                    d.dispute.receipt_id,
                    Microcents(returned).dollars(),
                    Microcents(charged).dollars(),
                    earlier.dispute.dispute_id,
                    earlier.current,
                    Microcents(left).dollars()
                );
            }
        }
        let change = StatusChange {
            dispute_id: args.id.clone(),
            from: d.current,
            to: args.status,
            note: args.note.clone().filter(|n| !n.trim().is_empty()),
            credit_microcents: credit,
            at: Timestamp::now().to_string(),
        };
        append_line(&path, &serde_json::to_vec(&Record::Status(change.clone()))?)?;
        change
    };
    if printer.json() {
        printer.json_doc(&change)?;
    } else {
        let credit = change
            .credit_microcents
            .map(|c| format!(" (credit {})", Microcents(c).dollars()))
            .unwrap_or_default();
        printer.line(&format!(
            "{}: {} -> {}{credit}",
            change.dispute_id, change.from, change.to
        ))?;
    }
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::super::prompt::{Answer, ScriptedPrompter};
    use super::*;

    #[test]
    fn prompts_for_missing_values() {
        let mut p =
            ScriptedPrompter::new([Answer::Select(4), Answer::Text("  wrong language ".into())]);
        let (r, d, asked) = choose(None, None, true, &mut p).unwrap();
        assert_eq!(
            (r, d.as_str(), asked),
            (Reason::Other, "wrong language", true)
        );
        assert_eq!(p.asked.len(), 2);

        // Flags given: nothing asked even on a terminal.
        let mut p = ScriptedPrompter::new([]);
        let (r, d, asked) = choose(Some(Reason::Timeout), None, true, &mut p).unwrap();
        assert_eq!((r, d.as_str(), asked), (Reason::Timeout, "", false));
        assert!(p.asked.is_empty());

        // `other` without a description asks only for it.
        let mut p = ScriptedPrompter::new([Answer::Text("x".into())]);
        let (_, d, _) = choose(Some(Reason::Other), None, true, &mut p).unwrap();
        assert_eq!(d, "x");
        assert_eq!(p.asked, vec!["Describe the problem".to_owned()]);

        // A reason picked by prompt may have an empty description.
        let mut p = ScriptedPrompter::new([Answer::Select(1), Answer::Text(String::new())]);
        assert_eq!(
            choose(None, None, true, &mut p).unwrap().0,
            Reason::Overcharge
        );
    }

    #[test]
    fn without_a_terminal_missing_values_name_their_flag() {
        let mut p = ScriptedPrompter::new([]);
        let err = choose(None, None, false, &mut p).unwrap_err().to_string();
        assert!(err.contains("--reason"), "{err}");
        let err = choose(Some(Reason::Other), Some("  "), false, &mut p)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--description"), "{err}");
        assert!(p.asked.is_empty());
    }

    #[test]
    fn scripted_filing_asks_then_confirms() {
        use crate::output::Verbosity;
        let dir = tempfile::tempdir().unwrap();
        let receipt = json!({
            "receipt_id": "rcpt_0123456789abcdef01234567", "tool_id": "search", "agent_id": "a1",
            "provider_id": "acme", "timestamp": "2026-11-05T10:00:00.000Z", "cost_microcents": 50000,
            "status": "timeout", "signature": "0".repeat(64)
        });
        let path = dir.path().join("r.json");
        std::fs::write(&path, receipt.to_string()).unwrap();
        let logs = dir.path().join("logs");
        let args = DisputeFileArgs {
            receipt: Some(path),
            receipt_id: None,
            reason: None,
            description: None,
            filed_by: None,
            filed_by_type: FiledByType::Agent,
            key_file: None,
            pricing: Vec::new(),
            submit: None,
            api_key_file: None,
            allow_http: false,
            timeout: std::time::Duration::from_secs(10),
            ca_cert: None,
            log: DisputeLogArgs {
                log_dir: Some(logs.clone()),
            },
        };
        let mut printer = Printer::with_sinks(
            false,
            Verbosity::Quiet,
            Box::new(Vec::new()),
            Box::new(Vec::new()),
        );
        // Declining the confirmation files nothing.
        let mut p = ScriptedPrompter::new([
            Answer::Select(2),
            Answer::Text("slow".into()),
            Answer::Confirm(false),
        ]);
        assert_eq!(
            file(&args, true, &mut p, &mut printer).unwrap(),
            ExitStatus::Failure
        );
        assert_eq!(p.asked.len(), 3);
        assert!(
            load_ledger(&logs.join("disputes.jsonl"))
                .unwrap()
                .disputes
                .is_empty()
        );
        // Confirming files it with the chosen reason and description.
        let mut p = ScriptedPrompter::new([
            Answer::Select(2),
            Answer::Text("slow".into()),
            Answer::Confirm(true),
        ]);
        assert_eq!(
            file(&args, true, &mut p, &mut printer).unwrap(),
            ExitStatus::Success
        );
        let ledger = load_ledger(&logs.join("disputes.jsonl")).unwrap();
        assert_eq!(ledger.disputes.len(), 1);
        let d = &ledger.disputes[0].dispute;
        assert_eq!(
            (d.reason, d.description.as_str(), d.filed_by.as_str()),
            (Reason::Timeout, "slow", "a1")
        );
        assert_eq!(d.evidence["assessment"]["reason_applies"], true);
        // Without prompting allowed, the missing reason names its flag and nothing is asked.
        let mut p = ScriptedPrompter::new([]);
        let err = file(&args, false, &mut p, &mut printer)
            .unwrap_err()
            .to_string();
        assert!(err.contains("already has an open dispute"), "{err}");
    }
}
