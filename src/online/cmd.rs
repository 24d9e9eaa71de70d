//! The glue of `mcpbill receipt verify --online`: read the receipts, verify them locally
//! when a key is available, ask each receipt's provider, print where they disagree.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use super::{OnlineOptions, Outcome, verify_receipts};
use crate::cli::ReceiptVerifyArgs;
use crate::doc::DocError;
use crate::exit::ExitStatus;
use crate::http::{ClientConfig, HttpClient};
use crate::key::Secret;
use crate::output::{Paint, Printer, escape_terminal};
use crate::receipt::keyring::Keyring;
use crate::receipt::verify_value;

/// Receipts read at most (online verification is one request per receipt).
pub const MAX_RECEIPTS: usize = 100_000;

/// Receipts from a JSON document, a JSON array, or JSON Lines.
pub fn parse_receipts(text: &str, name: &str) -> Result<Vec<Value>> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Vec::new());
    }
    match crate::doc::parse_json(trimmed) {
        Ok(Value::Array(a)) => return Ok(a),
        Ok(other) => return Ok(vec![other]),
        Err(e @ DocError::Duplicate { .. }) => bail!("{name}: the receipts are refused: {e}"),
        Err(_) => {}
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v = crate::doc::parse_json(line).map_err(|e| match e {
            DocError::Json(_) => anyhow!(
                "{name}:{}: not JSON; give receipt JSON or JSON Lines",
                n + 1
            ),
            other => anyhow!("{name}:{}: the receipt is refused: {other}", n + 1),
        })?;
        out.push(v);
    }
    Ok(out)
}

/// Run `mcpbill receipt verify --online`.
pub fn run(args: &ReceiptVerifyArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let inputs: Vec<PathBuf> = if args.files.is_empty() {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            bail!("no receipts given; pass receipt files, or pipe them on stdin ('-')");
        }
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let mut receipts = Vec::new();
    for path in &inputs {
        let name = path.display().to_string();
        let bytes = crate::input::read_all(path, "the receipts")?;
        // A file of meter events or UTF-16 text: an error, not a row of failed lookups.
        crate::kind::refuse_utf16(path, &bytes)?;
        let text = String::from_utf8(bytes)
            .with_context(|| format!("'{}' is not UTF-8 text", path.display()))?;
        let parsed = parse_receipts(&text, &name)?;
        if let Some(first) = parsed.first() {
            let kind = crate::kind::Kind::of_value(first);
            crate::kind::refuse_other(path, kind, crate::kind::Kind::Receipts)?;
        }
        receipts.extend(parsed);
        if receipts.len() > MAX_RECEIPTS {
            bail!("more than {MAX_RECEIPTS} receipts; verify them online in smaller sets");
        }
    }
    if receipts.is_empty() {
        bail!(
            "no receipts in the input; give receipt JSON or JSON Lines files, or pipe them on stdin"
        );
    }
    // The local verdict, when a key (or keyring) is available.
    let local: Option<Vec<bool>> = match &args.keyring {
        Some(path) => {
            let ring = Keyring::load(path)?;
            Some(
                receipts
                    .iter()
                    .map(|r| {
                        verify_value(r, |p| {
                            ring.entries.iter().find(|(id, _)| id == p).map(|(_, k)| k)
                        })
                        .valid()
                    })
                    .collect(),
            )
        }
        None => Secret::resolve(args.key.key_file.as_ref())?.map(|key| {
            receipts
                .iter()
                .map(|r| verify_value(r, |_| Some(&key)).valid())
                .collect()
        }),
    };
    let client = HttpClient::new(ClientConfig {
        allow_http: args.allow_http,
        timeout: args.timeout,
        max_body: crate::http::DEFAULT_MAX_BODY,
        ca_cert: args.ca_cert.clone(),
    })?;
    let options = OnlineOptions {
        concurrency: args.concurrency.max(1),
        ..OnlineOptions::default()
    };
    let verdicts =
        crate::http::block_on(verify_receipts(&client, receipts, local.clone(), &options))?;
    let mut confirmed = 0;
    if printer.json() {
        for (i, v) in verdicts.iter().enumerate() {
            let mut doc = serde_json::to_value(v)?;
            doc["local_valid"] = json!(local.as_ref().and_then(|l| l.get(i)));
            printer.json_line(&doc)?;
        }
    } else {
        let mut table = printer.new_table(&["receipt", "outcome", "provider says", "detail"]);
        for v in &verdicts {
            let outcome = match v.outcome {
                Outcome::Confirmed => printer.paint(Paint::Green, "confirmed"),
                Outcome::NoVerifyUrl => printer.paint(Paint::Yellow, "no_verify_url"),
                // Named as --json names it.
                other => printer.paint(
                    Paint::Red,
                    serde_json::to_value(other)?.as_str().unwrap_or(""),
                ),
            };
            let says = match v.provider_valid {
                Some(true) => "valid",
                Some(false) => "invalid",
                None => "-",
            };
            table.add_row(vec![
                escape_terminal(&v.receipt_id),
                outcome,
                says.to_owned(),
                escape_terminal(&v.detail),
            ]);
        }
        printer.table(&table)?;
    }
    for v in &verdicts {
        if v.confirmed() {
            confirmed += 1;
        }
    }
    printer.flush()?;
    printer.note(&format!(
        "{} receipt{}: {confirmed} confirmed by the provider, {} not",
        verdicts.len(),
        if verdicts.len() == 1 { "" } else { "s" },
        verdicts.len() - confirmed
    ));
    Ok(ExitStatus::verdict(confirmed == verdicts.len()))
}
