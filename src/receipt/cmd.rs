//! The glue of `mcpbill receipt sign|verify|inspect`: read inputs, call the pure cores,
//! print through the `Printer`, choose the exit status.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;
use serde_json::Value;

use super::canonical::{SIGNED_FIELDS, canonical_string, check_field, content_hash, output_hash};
use super::issue::Draft;
use super::keyring::Keyring;
use super::model::Receipt;
use super::stream::{Job, Style, Tally, verify_reader};
use super::verify::KeySet;
use crate::cli::{
    ReceiptArgs, ReceiptCommand, ReceiptInspectArgs, ReceiptSignArgs, ReceiptVerifyArgs,
    VerifyFormat,
};
use crate::exit::ExitStatus;
use crate::ids::{self, IdKind};
use crate::key::Secret;
use crate::meter::{MeterEvent, Status};
use crate::money::Microcents;
use crate::output::{Paint, Printer, escape_terminal};
use crate::time::Timestamp;

/// Run `mcpbill receipt ...`.
pub fn run(args: &ReceiptArgs, printer: &mut Printer) -> Result<ExitStatus> {
    match &args.command {
        ReceiptCommand::Sign(a) => sign(a, printer),
        ReceiptCommand::Verify(a) => verify(a, printer),
        ReceiptCommand::Inspect(a) => inspect(a, printer),
    }
}

/// The name shown for an input path (`-` is standard input).
fn label(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// Read a whole (small) input: a file or `-` for stdin. Empty input is an error.
fn read_small(path: &Path, what: &str) -> Result<Vec<u8>> {
    let bytes = crate::input::read_all(path, what)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        bail!("{} is empty; expected {what} JSON", label(path));
    }
    Ok(bytes)
}

/// Read one JSON document.
fn read_json(path: &Path, what: &str) -> Result<Value> {
    parse_json(&read_small(path, what)?, path, what)
}

/// Parse the bytes of `path` as one JSON document.
fn parse_json(bytes: &[u8], path: &Path, what: &str) -> Result<Value> {
    crate::doc::from_slice(bytes).map_err(|e| match e {
        crate::doc::DocError::Json(e) => anyhow!(
            "{} is not valid JSON ({e}); expected {what} JSON",
            label(path)
        ),
        other => anyhow!("{}: {other}", label(path)),
    })
}

// ---------------------------------------------------------------- sign

fn sign(args: &ReceiptSignArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let key = Secret::require(args.key.key_file.as_ref())?;
    let draft = draft(args)?;
    let receipt = draft.sign(&key).map_err(|e| {
        anyhow!(
            "{e}; remove it from --{} or the event",
            e.field.replace('_', "-")
        )
    })?;
    if printer.json() {
        printer.json_line(&receipt)?;
    } else {
        printer.json_doc(&receipt)?;
    }
    Ok(ExitStatus::Success)
}

/// A non-empty flag value, checked for ambiguity up front so the error names the flag.
fn flag<'a>(value: Option<&'a String>, flag: &str, field: &'static str) -> Result<Option<&'a str>> {
    let Some(v) = value else { return Ok(None) };
    if v.is_empty() {
        bail!("--{flag} is empty; give a non-empty {field}");
    }
    check_field(field, v).map_err(|e| anyhow!("--{flag}: {e}"))?;
    Ok(Some(v))
}

fn draft(args: &ReceiptSignArgs) -> Result<Draft> {
    let event = match &args.event {
        Some(path) => {
            let value = read_json(path, "a meter event")?;
            // Signing a receipt again would drop its hashes and sign with today's key.
            if crate::kind::Kind::of_value(&value) == crate::kind::Kind::Receipts {
                bail!(
                    "{} is a receipt, not a meter event; receipt sign makes a receipt from an event ('mcpbill receipt verify' checks this one)",
                    crate::kind::shown(path)
                );
            }
            let event = MeterEvent::from_value(&value)
                .map_err(|e| anyhow!("meter event {}: {e}", label(path)))?;
            Some(event)
        }
        None => None,
    };
    let tool_id = flag(args.tool_id.as_ref(), "tool-id", "tool_id")?;
    let agent_id = flag(args.agent_id.as_ref(), "agent-id", "agent_id")?;
    let provider_id = flag(args.provider_id.as_ref(), "provider-id", "provider_id")?;
    let cost = args
        .cost
        .as_deref()
        .map(|c| Microcents::parse(c).map_err(|e| anyhow!("--cost: {e}")))
        .transpose()?;
    let status = args
        .status
        .as_deref()
        .map(|s| s.parse::<Status>().map_err(|e| anyhow!("--status: {e}")))
        .transpose()?;
    let timestamp = args
        .timestamp
        .as_deref()
        .map(|t| Timestamp::parse(t).map_err(|e| anyhow!("--timestamp: {e}")))
        .transpose()?;
    let receipt_id = args
        .receipt_id
        .as_deref()
        .map(|id| {
            ids::validate(IdKind::Receipt, id)
                .map(|()| id.to_owned())
                .map_err(|e| anyhow!("--receipt-id: {e}"))
        })
        .transpose()?;

    let mut draft = if let Some(e) = &event {
        let mut d = Draft::from_event(e);
        // An event logged by `wrap` names its receipt: signing it again gives the same id.
        // A name that is not a receipt id is refused, not swapped for a new id in silence.
        match e.metadata.get("receipt_id") {
            None | Some(Value::Null) => {}
            Some(Value::String(id)) if ids::validate(IdKind::Receipt, id).is_ok() => {
                id.clone_into(&mut d.receipt_id);
            }
            Some(other) if receipt_id.is_none() => bail!(
                "the event's metadata.receipt_id is {}, not a receipt id (rcpt_ + 16 or more lowercase hex); fix it, or pass --receipt-id",
                crate::doc::describe(other)
            ),
            Some(_) => {}
        }
        d
    } else {
        let need = |v: Option<&str>, f: &str| {
            v.map(str::to_owned).ok_or_else(|| {
                    anyhow!("no meter event given, so --{f} is required (or pass an event file, or '-' for stdin)")
                })
        };
        Draft {
            receipt_id: ids::new_id(IdKind::Receipt),
            tool_id: need(tool_id, "tool-id")?,
            agent_id: need(agent_id, "agent-id")?,
            provider_id: need(provider_id, "provider-id")?,
            timestamp: Timestamp::now(),
            duration_ms: None,
            cost_microcents: cost
                .ok_or_else(|| {
                    anyhow!("no meter event given, so --cost is required (e.g. --cost '$0.05')")
                })?
                .0,
            status: Status::Success,
            input_hash: None,
            output_hash: None,
            verify_url_base: None,
        }
    };
    if let Some(v) = tool_id {
        v.clone_into(&mut draft.tool_id);
    }
    if let Some(v) = agent_id {
        v.clone_into(&mut draft.agent_id);
    }
    if let Some(v) = provider_id {
        v.clone_into(&mut draft.provider_id);
    }
    if let Some(c) = cost {
        draft.cost_microcents = c.0;
    }
    if let Some(s) = status {
        draft.status = s;
    }
    if let Some(t) = timestamp {
        draft.timestamp = t;
    }
    if let Some(d) = args.duration_ms {
        draft.duration_ms = Some(d);
    }
    if let Some(id) = receipt_id {
        draft.receipt_id = id;
    }
    if let Some(path) = &args.input {
        draft.input_hash = Some(content_hash(&read_json(path, "the call's arguments")?));
    }
    if let Some(path) = &args.output {
        draft.output_hash = Some(output_hash(&read_json(path, "the call's result")?));
    }
    if let Some(base) = &args.verify_url_base {
        crate::receipt::check_verify_url_base(base)?;
        draft.verify_url_base = Some(base.clone());
    }
    Ok(draft)
}

// ---------------------------------------------------------------- verify

fn verify(args: &ReceiptVerifyArgs, printer: &mut Printer) -> Result<ExitStatus> {
    if args.online {
        if args.format == VerifyFormat::Spec {
            bail!(
                "--format spec applies to offline verification only (--online prints its own report); drop --format spec or --online"
            );
        }
        return crate::online::cmd::run(args, printer);
    }
    let keys = match &args.keyring {
        Some(path) => {
            let ring = Keyring::load(path)?;
            KeySet::keyring(ring.entries.iter().map(|(p, k)| (p.as_str(), k)))
        }
        None => KeySet::single(&Secret::require(args.key.key_file.as_ref())?),
    };
    // Where the key came from: said with -v, and beside a bad signature.
    let key_source = match &args.keyring {
        Some(path) => Some(format!("the keyring '{}'", path.display())),
        None => Secret::source(args.key.key_file.as_deref()),
    };
    if let Some(source) = &key_source {
        printer.debug(&format!("key: {source}"));
    }
    let inputs: Vec<PathBuf> = if args.files.is_empty() {
        if io::stdin().is_terminal() {
            bail!("no receipts given; pass receipt files, or pipe them on stdin ('-')");
        }
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    if inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        bail!("'-' (stdin) is given more than once; name it once");
    }
    // Open everything first, and look at the start of each: a missing file, UTF-16 text or
    // a file of meter events is exit 2 before any verdict is printed.
    let mut opened = Vec::with_capacity(inputs.len());
    for path in &inputs {
        let mut head = Vec::new();
        let file = if path.as_os_str() == "-" {
            None
        } else {
            if path.is_dir() {
                bail!("'{}' is a directory; pass receipt files", path.display());
            }
            Some(
                File::open(path)
                    .with_context(|| format!("cannot open '{}'; check the path", path.display()))?,
            )
        };
        let found = match &file {
            Some(f) => crate::kind::read_head(&mut &*f, &mut head),
            None => crate::kind::read_head(&mut io::stdin().lock(), &mut head),
        }
        .with_context(|| format!("cannot read {}", label(path)))?;
        match found {
            (Some(encoding), _) => return Err(crate::kind::utf16_error(path, encoding)),
            (None, kind) => crate::kind::refuse_other(path, kind, crate::kind::Kind::Receipts)?,
        }
        // An input of at most 1 MiB is looked at whole: one without JSON (a document with
        // a syntax error, another kind of file) is exit 2 before any verdict, whatever the
        // other inputs hold. A larger one is judged when it was read (see below).
        // A regular file is read again by its path and the bytes dropped; a pipe (stdin, or
        // one named by path: `<(...)`, `/dev/stdin`) cannot be, so the bytes read stay in
        // `head`, which is read before the rest.
        let regular = file
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .map(|m| (m.is_file(), m.len()));
        let whole = match (&file, regular) {
            (Some(_), Some((true, len))) if len <= WHOLE_LOOK => Some(
                crate::input::read_file(path, WHOLE_LOOK)
                    .with_context(|| format!("cannot read {}", label(path)))?,
            ),
            (Some(_), Some((true, _))) => None,
            _ => {
                let more = WHOLE_LOOK.saturating_sub(head.len() as u64) + 1;
                match &file {
                    Some(f) => (&mut &*f).take(more).read_to_end(&mut head),
                    None => (&mut io::stdin().lock()).take(more).read_to_end(&mut head),
                }
                .with_context(|| format!("cannot read {}", label(path)))?;
                (head.len() as u64 <= WHOLE_LOOK).then(|| head.clone())
            }
        };
        if let Some(bytes) = whole
            && !holds_json(&bytes)
        {
            bail!(
                "{} holds no receipt: none of its lines is JSON, nor is it one JSON document; a receipt is one JSON object per line or one JSON document ('mcpbill receipt inspect {}' shows where a document breaks)",
                crate::kind::shown(path),
                path.display()
            );
        }
        opened.push((label(path), head, file));
    }
    let style = match (args.format, printer.json()) {
        (VerifyFormat::Spec, json) => Style::Spec {
            pretty: !json,
            verified_at: Timestamp::now().to_string(),
        },
        (VerifyFormat::Verdicts, true) => Style::Json,
        (VerifyFormat::Verdicts, false) => Style::Human {
            valid: format!("{}  ", printer.paint(Paint::Green, "valid  ")),
            invalid: format!("{}  ", printer.paint(Paint::Red, "INVALID")),
        },
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    let mut total = Tally::default();
    let several = opened.len() > 1;
    for (name, head, file) in opened {
        let job = Job {
            keys: &keys,
            style: &style,
            label: &name,
            workers,
        };
        let mut write_error: Option<io::Error> = None;
        let mut emit = |bytes: &[u8]| {
            printer.bytes(bytes).map_err(|e| {
                let kind = e.kind();
                write_error = Some(e);
                io::Error::new(kind, "stdout")
            })
        };
        // The bytes read to look at the start come first.
        let head = io::Cursor::new(head);
        let result = match file {
            Some(f) => verify_reader(&job, head.chain(f), &mut emit),
            None => verify_reader(&job, head.chain(io::stdin().lock()), &mut emit),
        };
        if let Some(e) = write_error {
            // The printer's stdout already says "cannot write to stdout".
            return Err(e.into());
        }
        let tally = result.with_context(|| format!("cannot read {name}"))?;
        if tally.oversized_document && tally.valid == 0 {
            printer.warn(&format!(
                "{name} begins like one JSON document but is larger than {} MiB, so it was read as JSON Lines; give one receipt per line (e.g. jq -c '.[]' for an array)",
                crate::receipt::stream::MAX_DOCUMENT >> 20
            ));
        }
        if several && tally.receipts() == 0 {
            printer.warn(&format!("{name}: no receipts"));
        }
        total.add(tally);
    }
    printer.flush()?;
    if total.receipts() == 0 {
        bail!(
            "no receipts in the input; give receipt JSON or JSON Lines files, or pipe them on stdin"
        );
    }
    let n = total.receipts();
    if total.not_json == n && total.overlong > 0 {
        // Lines too long to read: not judged either, and said as such (a receipt is far
        // smaller; the input is something else, or carries a field that should not be there).
        let mib = crate::receipt::stream::MAX_LINE >> 20;
        let (lines, rest) = match (total.overlong, n) {
            (1, 1) => ("its one line is".to_owned(), ""),
            (o, n) if o == n => (format!("all {n} of its lines are"), ""),
            (o, n) => (
                format!("{o} of its {n} lines {}", if o == 1 { "is" } else { "are" }),
                " and the others are not JSON",
            ),
        };
        bail!(
            "no receipts in the input: {lines} longer than {mib} MiB (a receipt is a few hundred bytes){rest}; is this a receipts file?"
        );
    }
    if total.not_json == n {
        // Not one line was JSON: a document with a syntax error (read line by line once it
        // failed whole), or not receipts at all. Nothing was judged.
        bail!(
            "no receipts in the input: none of its {n} lines is JSON; a receipt is one JSON object per line or one JSON document ('mcpbill receipt inspect FILE' shows where a document breaks)"
        );
    }
    let mut summary = format!(
        "{n} receipt{}: {} valid, {} invalid",
        if n == 1 { "" } else { "s" },
        total.valid,
        total.invalid
    );
    if total.not_json > 0 {
        let _ = write!(summary, " ({} not JSON)", total.not_json);
    }
    if total.blank > 0 {
        let plural = if total.blank == 1 { "" } else { "s" };
        let _ = write!(summary, "; {} blank line{plural} skipped", total.blank);
    }
    printer.note(&summary);
    if let (n @ 1.., Some(source)) = (total.bad_signature, key_source) {
        let (what, them) = if n == 1 {
            ("the bad signature was".to_owned(), "it")
        } else {
            (format!("the {n} bad signatures were"), "them")
        };
        printer.note(&format!(
            "{what} checked with the key from {source}; is that the key that signed {them}?"
        ));
    }
    Ok(ExitStatus::verdict(total.invalid == 0))
}

/// How much of an input `receipt verify` looks at whole before judging any of it.
const WHOLE_LOOK: u64 = 1 << 20;

/// Whether `bytes` hold JSON a receipt could be read from: blank (nothing to judge), one
/// JSON document, or a line that is JSON.
fn holds_json(bytes: &[u8]) -> bool {
    use serde::de::IgnoredAny;
    let text = crate::eventlog::strip_bom(bytes).trim_ascii();
    text.is_empty()
        || serde_json::from_slice::<IgnoredAny>(text).is_ok()
        || text
            .split(|b| *b == b'\n')
            .any(|l| serde_json::from_slice::<IgnoredAny>(l.trim_ascii()).is_ok())
}

// ---------------------------------------------------------------- inspect

/// The error for a file of several receipts, one per line, given where one receipt is
/// expected; `None` when the bytes are something else.
fn several_receipts(bytes: &[u8], path: &Path) -> Option<anyhow::Error> {
    let mut lines = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace));
    let first: Value = serde_json::from_slice(lines.next()?).ok()?;
    let id = first.get("receipt_id")?.as_str()?;
    let n = 1 + lines.count();
    (n > 1).then(|| {
        anyhow!(
            "{} holds {n} lines of receipts (JSON Lines) and inspect shows one; pick it with --id (the first is --id {})",
            label(path),
            escape_terminal(id)
        )
    })
}

/// The first receipt of the JSON Lines at `path` ('-': stdin) whose `receipt_id` is `id`,
/// read line by line (a log of any size); `Err` of the message when it is not there.
fn find_receipt(path: &Path, id: &str) -> Result<Result<Value, String>> {
    let needle = serde_json::to_string(id)?;
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut found: Option<Value> = None;
    let mut refused: Option<String> = None;
    let consume = |line: &[u8]| {
        if found.is_none() && finder.find(line).is_some() {
            match crate::doc::from_slice(line) {
                Ok(v) if v.get("receipt_id").and_then(Value::as_str) == Some(id) => {
                    found = Some(v);
                }
                Ok(_) => {}
                Err(e) => {
                    refused.get_or_insert_with(|| format!("a line holding it is refused ({e})"));
                }
            }
        }
        true
    };
    if path.as_os_str() == "-" {
        crate::eventlog::scan_reader(io::stdin().lock(), consume)
            .context("cannot read the receipts on stdin")?;
    } else {
        let kind = crate::kind::sniff(path)?;
        crate::kind::refuse_other(path, kind, crate::kind::Kind::Receipts)?;
        crate::eventlog::scan_file(path, consume)?;
    }
    Ok(found.ok_or_else(|| {
        let why = refused.map(|r| format!("; {r}")).unwrap_or_default();
        format!(
            "no receipt {} in {}{why}; check the id and the month's file",
            escape_terminal(id),
            label(path)
        )
    }))
}

/// What `receipt inspect --json` prints.
#[derive(Debug, Serialize)]
struct Inspection<'a> {
    receipt: &'a Receipt,
    canonical_string: String,
    ambiguous: Option<String>,
    signed_fields: &'static [&'static str],
    unsigned_fields: Vec<String>,
}

/// Fields a receipt may hold that the signature does not cover.
const UNSIGNED_KNOWN: [&str; 4] = ["duration_ms", "input_hash", "output_hash", "verify_url"];

fn inspect(args: &ReceiptInspectArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let value = if let Some(id) = &args.id {
        match find_receipt(&args.file, id)? {
            Ok(value) => value,
            // A record not found is a negative verdict (exit 1), as for `dispute show`.
            Err(message) => {
                if printer.json() {
                    printer.json_doc(&serde_json::json!({"receipt_id": id, "found": false}))?;
                }
                printer.error(&message);
                return Ok(ExitStatus::Failure);
            }
        }
    } else {
        let bytes = read_small(&args.file, "a receipt")?;
        crate::kind::refuse_event_as_receipt(&args.file, &bytes)?;
        parse_json(&bytes, &args.file, "a receipt")
            .map_err(|e| several_receipts(&bytes, &args.file).unwrap_or(e))?
    };
    let receipt = Receipt::from_value(&value).map_err(|e| {
        anyhow!(
            "receipt {}: {e}; 'mcpbill receipt verify' gives a verdict on malformed receipts",
            label(&args.file)
        )
    })?;
    let f = receipt.fields();
    let (canonical, ambiguous) = match canonical_string(
        f.receipt_id,
        f.tool_id,
        f.agent_id,
        f.provider_id,
        f.timestamp,
        f.cost_microcents,
        f.status,
    ) {
        Ok(c) => (c, None),
        Err(e) => {
            let raw = [
                f.receipt_id.to_owned(),
                f.tool_id.to_owned(),
                f.agent_id.to_owned(),
                f.provider_id.to_owned(),
                f.timestamp.to_owned(),
                f.cost_microcents.to_string(),
                f.status.to_owned(),
            ]
            .join("|");
            (raw, Some(e.to_string()))
        }
    };
    let mut unsigned: Vec<String> = UNSIGNED_KNOWN
        .iter()
        .filter(|k| value.get(**k).is_some_and(|v| !v.is_null()))
        .map(|k| (*k).to_owned())
        .collect();
    unsigned.extend(receipt.extra.keys().cloned());
    if printer.json() {
        printer.json_doc(&Inspection {
            receipt: &receipt,
            canonical_string: canonical,
            ambiguous,
            signed_fields: &SIGNED_FIELDS,
            unsigned_fields: unsigned,
        })?;
        return Ok(ExitStatus::Success);
    }
    let mut table = printer.new_table(&["field", "value", "signed"]);
    let yes = printer.paint(Paint::Green, "yes");
    let no = printer.paint(Paint::Dim, "no");
    if let Value::Object(obj) = &value {
        for (k, v) in obj {
            let shown = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let signed = if SIGNED_FIELDS.contains(&k.as_str()) {
                yes.clone()
            } else if k == "signature" {
                printer.paint(Paint::Dim, "(the signature)")
            } else {
                no.clone()
            };
            table.add_row(vec![escape_terminal(k), escape_terminal(&shown), signed]);
        }
    }
    printer.table(&table)?;
    printer.line("")?;
    printer.line(&format!(
        "{} {}",
        printer.paint(Paint::Bold, "canonical string:"),
        escape_terminal(&canonical)
    ))?;
    if let Some(why) = &ambiguous {
        printer.line(&format!(
            "{} {}",
            printer.paint(Paint::Red, "ambiguous:"),
            escape_terminal(why)
        ))?;
    }
    printer.line(&format!("signed fields:    {}", SIGNED_FIELDS.join(", ")))?;
    let none = "(none present)".to_owned();
    printer.line(&format!(
        "not signed:       {}",
        if unsigned.is_empty() {
            none
        } else {
            escape_terminal(&unsigned.join(", "))
        }
    ))?;
    Ok(ExitStatus::Success)
}
