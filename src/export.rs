//! `mcpbill export`: meter events as OpenMeter CloudEvents, Stripe meter events or CSV,
//! streamed in log order with the event id as the idempotency key.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::analytics::{event_inputs, report_skipped};
use crate::cli::{ExportArgs, ExportFormat, StripeValue};
use crate::eventlog::{LogDir, scan_files};
use crate::exit::ExitStatus;
use crate::output::Printer;
use crate::report::cmd_csv_field as csv_field;
use crate::scan::time::Range;
use crate::scan::{Event, MetaKey, parse_event};

/// The CSV header.
pub const CSV_HEADER: &str = "event_id,timestamp,agent_id,provider_id,tool,status,duration_ms,cost_microcents,input_tokens,output_tokens,session_id,request_id\n";

/// The event's id, or for an event without one a stable id derived from the line
/// (`evt_` + the first 24 hex of its SHA-256), so exporting twice stays idempotent.
pub fn event_id(ev: &Event<'_>, line: &[u8]) -> String {
    match ev.e.event_id.as_deref() {
        Some(id) if !id.is_empty() => id.to_owned(),
        _ => format!("evt_{}", &hex::encode(Sha256::digest(line))[..24]),
    }
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
    /// Agent id -> Stripe customer id.
    pub customers: HashMap<String, String>,
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
                let customer = self
                    .customers
                    .get(&*ev.e.agent_id)
                    .map_or(&*ev.e.agent_id, String::as_str);
                let value = match self.stripe_value {
                    StripeValue::Cost => ev.cost(),
                    StripeValue::Calls => 1,
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
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read customer map '{}'; check the path",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "customer map '{}' is not a JSON object of strings ({e}); write {{\"agent-id\": \"cus_...\"}}",
            path.display()
        )
    })
}

/// Run `mcpbill export`.
pub fn run(args: &ExportArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let range = Range::from_flags(
        args.range.since.as_deref(),
        args.range.until.as_deref(),
        args.range.month.as_deref(),
    )?;
    let log_dir = args.log_dir.clone().unwrap_or_else(LogDir::default_path);
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
            .map(load_customers)
            .transpose()?
            .unwrap_or_default(),
    };
    let mut file = match &args.out {
        Some(p) => Some(BufWriter::with_capacity(
            1 << 20,
            File::create(p)
                .with_context(|| format!("cannot create '{}'; check the directory", p.display()))?,
        )),
        None => None,
    };
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    if args.format == ExportFormat::Csv {
        buf.extend_from_slice(CSV_HEADER.as_bytes());
    }
    let mut exported = 0u64;
    let mut failure: Option<anyhow::Error> = None;
    let stats = scan_files(&files, |line| {
        let mut ev = Event::default();
        if !parse_event(line, &mut ev) {
            return false;
        }
        if failure.is_some() || !range.contains(ev.at_ms) {
            return true;
        }
        let step = exporter.write(&ev, line, &mut buf).and_then(|()| {
            exported += 1;
            if buf.len() >= 1 << 16 {
                flush(&mut buf, file.as_mut(), printer)?;
            }
            Ok(())
        });
        if let Err(e) = step {
            failure = Some(e);
        }
        true
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    flush(&mut buf, file.as_mut(), printer)?;
    if let Some(f) = file.as_mut() {
        f.flush().context("cannot write the export file")?;
    }
    if let Some(p) = &args.out {
        printer.note(&format!("exported {exported} events to {}", p.display()));
    }
    report_skipped(printer, stats.skipped);
    Ok(ExitStatus::Success)
}

fn flush(
    buf: &mut Vec<u8>,
    file: Option<&mut BufWriter<File>>,
    printer: &mut Printer,
) -> Result<()> {
    match file {
        Some(f) => f.write_all(buf).context("cannot write the export file")?,
        None => printer.bytes(buf)?,
    }
    buf.clear();
    Ok(())
}
