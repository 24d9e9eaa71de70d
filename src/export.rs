//! `mcpbill export`: meter events as OpenMeter CloudEvents, Stripe meter events or CSV,
//! streamed in log order with the event id as the idempotency key.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::analytics::{
    check_output, event_inputs, reading_log_dir, report_skipped, skipped_source,
};
use crate::cli::{ExportArgs, ExportFormat, StripeValue};
use crate::exit::ExitStatus;
use crate::newfile::OutputFile;
use crate::output::{Printer, Verbosity};
use crate::report::cmd_csv_field as csv_field;
use crate::scan::time::Range;
use crate::scan::{Event, MetaKey, ScanOptions, Verdict, parse_event, scan_ordered};

/// The CSV header.
pub const CSV_HEADER: &str = "event_id,timestamp,agent_id,provider_id,tool,status,duration_ms,cost_microcents,input_tokens,output_tokens,session_id,request_id\n";

/// The event's id, or for an event without one a stable id derived from the line
/// (`evt_` + the first 24 hex of its SHA-256), so exporting twice stays idempotent.
pub fn event_id(ev: &Event<'_>, line: &[u8]) -> String {
    match ev.e.event_id.as_deref() {
        Some(id) if !id.is_empty() => id.to_owned(),
        _ => fallback_event_id(line),
    }
}

/// The id of an event written without one, from its line: `evt_` + the first 24 hex of
/// the SHA-256 of the line without surrounding whitespace. `export` and `forward` give
/// the same event the same id, so an endpoint fed by both counts it once.
pub fn fallback_event_id(line: &[u8]) -> String {
    format!(
        "evt_{}",
        &hex::encode(Sha256::digest(line.trim_ascii()))[..24]
    )
}

/// Settings of one export.
pub struct Exporter {
    /// The format.
    pub format: ExportFormat,
    /// CloudEvents source.
    pub source: String,
    /// CloudEvents type.
    pub event_type: String,
    /// Stripe event name.
    pub event_name: String,
    /// Stripe value.
    pub stripe_value: StripeValue,
    /// Agent id -> Stripe customer id, and the file it came from: with a map, every
    /// agent must have an entry (an agent id sent as a customer id would bill no one, or
    /// the wrong one).
    pub customers: Option<(std::path::PathBuf, HashMap<String, String>)>,
}

impl Exporter {
    /// Append one event in the chosen format to `out`.
    pub fn write(&self, ev: &Event<'_>, line: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let id = event_id(ev, line);
        let status = ev.e.status.map_or("error", |s| s.as_str());
        match self.format {
            ExportFormat::Openmeter => {
                let mut data = json!({
                    "tool": ev.tool(),
                    "provider": &*ev.e.provider_id,
                    "status": status,
                    "duration_ms": ev.e.duration_ms,
                    "cost_microcents": ev.cost(),
                    "input_tokens": ev.e.input_tokens,
                    "output_tokens": ev.e.output_tokens,
                });
                if let Some(s) = ev.meta_str(MetaKey::SessionId) {
                    data["session_id"] = Value::from(s);
                }
                let doc = json!({
                    "specversion": "1.0",
                    "id": id,
                    "source": self.source,
                    "type": self.event_type,
                    "subject": &*ev.e.agent_id,
                    "time": &*ev.e.timestamp,
                    "datacontenttype": "application/json",
                    "data": data,
                });
                serde_json::to_writer(&mut *out, &doc)?;
                out.push(b'\n');
            }
            ExportFormat::Stripe => {
                let agent = &*ev.e.agent_id;
                let customer = match &self.customers {
                    None => agent,
                    Some((path, map)) => map.get(agent).map(String::as_str).ok_or_else(|| {
                        anyhow::anyhow!(
                            "agent '{}' has no entry in the customer map '{}'; add \"{}\": \"cus_...\" to it (nothing was exported)",
                            crate::output::escape_terminal(agent),
                            path.display(),
                            crate::output::escape_terminal(agent),
                        )
                    })?,
                };
                let value = match self.stripe_value {
                    StripeValue::Cost => ev.cost(),
                    // A unit per call mcpbill charged: errors, refusals and free-tier calls
                    // cost nothing, and a per-unit price must not bill them.
                    StripeValue::Calls => u64::from(ev.cost() > 0),
                };
                let doc = json!({
                    "event_name": self.event_name,
                    "identifier": id,
                    "timestamp": ev.at_ms.div_euclid(1000),
                    "payload": {"stripe_customer_id": customer, "value": value.to_string()},
                });
                serde_json::to_writer(&mut *out, &doc)?;
                out.push(b'\n');
            }
            ExportFormat::Csv => {
                let o = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
                let row = [
                    csv_field(&id),
                    csv_field(&ev.e.timestamp),
                    csv_field(&ev.e.agent_id),
                    csv_field(&ev.e.provider_id),
                    csv_field(ev.tool()),
                    status.to_owned(),
                    o(ev.e.duration_ms),
                    ev.cost().to_string(),
                    o(ev.e.input_tokens),
                    o(ev.e.output_tokens),
                    csv_field(ev.meta_str(MetaKey::SessionId).unwrap_or("")),
                    csv_field(ev.meta_str(MetaKey::RequestId).unwrap_or("")),
                ];
                out.extend_from_slice(row.join(",").as_bytes());
                out.push(b'\n');
            }
        }
        Ok(())
    }
}

fn load_customers(path: &std::path::Path) -> Result<HashMap<String, String>> {
    let bytes = crate::input::read_file(path, crate::input::DOCUMENT_LIMIT).with_context(|| {
        format!(
            "cannot read customer map '{}'; check the path",
            path.display()
        )
    })?;
    let shape = || {
        anyhow::anyhow!(
            "customer map '{}' is not a JSON object of strings; write {{\"agent-id\": \"cus_...\"}}",
            path.display()
        )
    };
    let doc = crate::doc::from_slice(&bytes).map_err(|e| match e {
        crate::doc::DocError::Json(e) => anyhow::anyhow!(
            "customer map '{}' is not a JSON object of strings ({e}); write {{\"agent-id\": \"cus_...\"}}",
            path.display()
        ),
        other => anyhow::anyhow!("customer map '{}': {other}", path.display()),
    })?;
    let Value::Object(members) = doc else {
        return Err(shape());
    };
    members
        .into_iter()
        .map(|(agent, customer)| match customer {
            Value::String(c) => Ok((agent, c)),
            _ => Err(shape()),
        })
        .collect()
}

/// Run `mcpbill export`.
pub fn run(args: &ExportArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let range = Range::from_flags(
        args.range.since.as_deref(),
        args.range.until.as_deref(),
        args.range.month.as_deref(),
    )?;
    let log_dir = reading_log_dir(args.log_dir.as_deref())?;
    let files = event_inputs(&args.inputs, &log_dir)?;
    let exporter = Exporter {
        format: args.format,
        source: args.source.clone(),
        event_type: args.event_type.clone(),
        event_name: args.event_name.clone(),
        stripe_value: args.stripe_value,
        customers: args
            .customer_map
            .as_deref()
            .map(|p| load_customers(p).map(|m| (p.to_path_buf(), m)))
            .transpose()?,
    };
    // `--out -` is stdout, as no flag is.
    let out = args
        .out
        .as_ref()
        .filter(|p| !crate::analytics::is_stdout(p));
    if out.is_none() && printer.json() && args.format == ExportFormat::Csv {
        anyhow::bail!(
            "--format csv and --json both choose what stdout holds; drop --json (every other format is JSON Lines)"
        );
    }
    if let Some(p) = out {
        let mut read = files.clone();
        read.extend(args.customer_map.iter().cloned());
        check_output(p, "--out", &read, &log_dir)?;
    }
    // A plain file is written beside its path and takes its place once the export is
    // whole, so a failed export leaves the earlier one (see `OutputFile`).
    let cannot_create = |p: &Path| format!("cannot create '{}'; check the directory", p.display());
    let mut output = match out {
        Some(p) => Some(OutputFile::create(p).with_context(|| cannot_create(p))?),
        None => None,
    };
    let writer: Box<dyn Write + Send> = match (out, output.as_mut()) {
        (Some(p), Some(o)) => Box::new(BufWriter::with_capacity(
            1 << 20,
            o.file().try_clone().with_context(|| cannot_create(p))?,
        )),
        _ => Box::new(std::io::stdout()),
    };
    let mut sink = Sink {
        buf: Vec::with_capacity(1 << 17),
        out: writer,
        target: out.map_or_else(
            || "stdout; check where the output is redirected".to_owned(),
            |p| format!("'{}'", p.display()),
        ),
        exported: 0,
        failure: None,
    };
    if args.format == ExportFormat::Csv {
        sink.buf.extend_from_slice(CSV_HEADER.as_bytes());
    }
    let progress = (out.is_some() || !printer.stdout_is_tty())
        && ScanOptions::auto(printer.verbosity() == Verbosity::Quiet).progress;
    let opts = ScanOptions {
        progress,
        ..ScanOptions::serial()
    };
    let (mut sink, stats) = scan_ordered(&files, opts, sink, |sink, line| {
        if sink.failure.is_some() {
            // The reader went away: drain quickly, without reading (nothing more is
            // exported, so no id is looked at either).
            return Verdict::Event(None);
        }
        let mut ev = Event::default();
        let verdict = Verdict::of(parse_event(line, &mut ev), &ev);
        if verdict == Verdict::Skipped || !range.contains(ev.at_ms) {
            return verdict;
        }
        let step = exporter.write(&ev, line, &mut sink.buf).and_then(|()| {
            sink.exported += 1;
            if sink.buf.len() >= 1 << 16 {
                sink.flush()?;
            }
            Ok(())
        });
        if let Err(e) = step {
            sink.failure = Some(e);
        }
        verdict
    })?;
    // Before the export is committed: an --out file is left as it was.
    crate::analytics::check_counted_once(&files, &stats)?;
    if let Some(e) = sink.failure.take() {
        return Err(e);
    }
    sink.flush()?;
    sink.out
        .flush()
        .with_context(|| format!("cannot write the export to {}", sink.target))?;
    if let (Some(p), Some(o)) = (out, output) {
        o.finish()
            .with_context(|| format!("cannot write the export to '{}'", p.display()))?;
    }
    if let Some(p) = out {
        if printer.json() {
            // stdout is free: the export went to the file.
            printer.json_doc(&serde_json::json!({
                "out": p,
                "format": clap::ValueEnum::to_possible_value(&args.format)
                    .map(|v| v.get_name().to_owned()),
                "events": sink.exported,
                "lines_skipped": stats.skipped,
            }))?;
        } else {
            printer.note(&format!(
                "exported {} to {}",
                crate::output::counted(sink.exported, "event", "events"),
                p.display()
            ));
        }
    } else if sink.exported == 0 {
        // On stdout an empty export is silent (a CSV header at most): say why.
        printer.note(&format!(
            "exported no events: none in range in {}; check the inputs and --since/--until/--month",
            crate::output::counted(files.len() as u64, "event log", "event logs")
        ));
    }
    let source = skipped_source("the event logs", &files, &stats);
    report_skipped(printer, &source, stats.skipped);
    Ok(ExitStatus::Success)
}

/// Where exported lines go: a buffer flushed to stdout or the `--out` file.
struct Sink {
    buf: Vec<u8>,
    out: Box<dyn Write + Send>,
    /// Where `out` goes, for errors: `stdout`, or the `--out` file quoted.
    target: String,
    exported: u64,
    failure: Option<anyhow::Error>,
}

impl Sink {
    fn flush(&mut self) -> Result<()> {
        self.out
            .write_all(&self.buf)
            .with_context(|| format!("cannot write the export to {}", self.target))?;
        self.buf.clear();
        Ok(())
    }
}
