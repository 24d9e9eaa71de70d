//! `mcpbill demo`: wraps the built-in example server with `mcpbill wrap`, drives a few dozen
//! calls through it as an MCP client, then summarises the event log and verifies every receipt.
//! Also owns the hidden `mcpbill example-server` (see [`server`]).

pub mod server;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;
use serde_json::{Value, json};

use crate::cli::DemoArgs;
use crate::eventlog;
use crate::exit::ExitStatus;
use crate::key::Secret;
use crate::money::Microcents;
use crate::output::{Paint, Printer, escape_terminal};
use crate::receipt;
use crate::report::{By, Feedback, Group, ReportAcc};
use crate::scan::time::Range;
use crate::scan::{ScanOptions, scan_events};

/// The provider id in the demo pricing file.
pub const DEMO_PROVIDER: &str = "demo-provider";

/// The monthly budget the demo gives its agent.
pub const DEMO_BUDGET: &str = "$1";

/// The demo's pricing file: one tool of each kind.
pub const DEMO_PRICING: &str = r#"# Written by `mcpbill demo`: prices for the built-in example server's tools.
provider_id = "demo-provider"
category = "demo"

[tools.echo]
pricing_model = "free"

[tools.search]
pricing_model = "per_call"
price_per_call = "$0.05"

[tools.search.free_tier]
calls_per_month = 5

[tools.summarize]
pricing_model = "per_token"
price_per_input_token = "$0.0001"
price_per_output_token = "$0.0002"

[tools.fail]
pricing_model = "per_call"
price_per_call = "$0.01"

[tools.slow]
pricing_model = "per_call"
price_per_call = "$0.02"
"#;

/// How long the demo waits for any one answer before giving up.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// Run the hidden `mcpbill example-server`.
pub fn run_example_server() -> Result<ExitStatus> {
    match server::serve_stdio() {
        Ok(()) => Ok(ExitStatus::Success),
        // The client went away: nothing more to answer.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitStatus::Success),
        Err(e) => Err(anyhow!(e).context("example server I/O failed")),
    }
}

/// One call the demo makes.
#[derive(Debug, Clone)]
struct PlannedCall {
    tool: &'static str,
    arguments: Value,
}

/// The demo's calls: free, per call (the first five inside the free tier), per token (both
/// metering syntaxes), failing, slow, and enough searches to run past the budget.
fn script() -> Vec<PlannedCall> {
    let text = "The Model Context Protocol lets an assistant call tools that other people \
run. Each call costs its operator something, and mcpbill meters every call, prices it, signs \
a receipt for it and keeps an append-only log that both sides can check later.";
    let mut calls = Vec::new();
    for i in 0..4 {
        calls.push(PlannedCall {
            tool: "echo",
            arguments: json!({ "text": format!("hello {i}") }),
        });
    }
    for i in 0..6 {
        let report = if i % 2 == 0 { "usage" } else { "mmcp" };
        calls.push(PlannedCall {
            tool: "summarize",
            arguments: json!({ "text": text, "words": 6 + i, "report": report }),
        });
    }
    for i in 0..3 {
        calls.push(PlannedCall {
            tool: "fail",
            arguments: json!({ "reason": format!("upstream unavailable ({i})") }),
        });
    }
    for _ in 0..2 {
        calls.push(PlannedCall {
            tool: "slow",
            arguments: json!({ "ms": 20 }),
        });
    }
    for i in 0..30 {
        calls.push(PlannedCall {
            tool: "search",
            arguments: json!({ "query": format!("mcp billing {i}") }),
        });
    }
    calls
}

/// What the client saw for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// A result without `isError`.
    Result,
    /// A result with `isError: true`.
    ToolError,
    /// A JSON-RPC error (refusals by the shim among them).
    RpcError,
}

/// A newline JSON-RPC client over a child's stdio.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<std::io::Result<Vec<u8>>>,
    stderr: std::thread::JoinHandle<Vec<u8>>,
    next_id: u64,
}

impl Client {
    fn spawn(mut cmd: Command) -> Result<Self> {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().context("cannot start 'mcpbill wrap'")?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().context("child has no stdout")?;
        let mut stderr = child.stderr.take().context("child has no stderr")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = Vec::new();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) => break,
                    Ok(_) => {
                        if tx.send(Ok(line)).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.read_to_end(&mut buf);
            buf
        });
        Ok(Client {
            child,
            stdin,
            lines: rx,
            stderr,
            next_id: 1,
        })
    }

    fn send(&mut self, msg: &Value) -> Result<()> {
        let mut line = serde_json::to_vec(msg)?;
        line.push(b'\n');
        let stdin = self.stdin.as_mut().context("the shim's stdin is closed")?;
        stdin
            .write_all(&line)
            .and_then(|()| stdin.flush())
            .context("the shim stopped reading its stdin")
    }

    /// Send a request and wait for its answer (notifications in between are skipped).
    fn request(&mut self, method: &str, params: &Value) -> Result<Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))?;
        let deadline = Instant::now() + ANSWER_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match self.lines.recv_timeout(left) {
                Ok(line) => line.context("cannot read the shim's stdout")?,
                Err(RecvTimeoutError::Timeout) => {
                    bail!(
                        "no answer to '{method}' within {}s",
                        ANSWER_TIMEOUT.as_secs()
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    bail!("the shim closed its stdout before answering '{method}'")
                }
            };
            let msg: Value = serde_json::from_slice(&line).with_context(|| {
                format!(
                    "the shim wrote a line that is not JSON: {}",
                    escape_terminal(&String::from_utf8_lossy(&line))
                )
            })?;
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return Ok(msg);
            }
        }
    }

    fn notify(&mut self, method: &str, params: &Value) -> Result<()> {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    /// Close stdin and wait for the shim to exit; returns its exit code and stderr.
    fn finish(mut self) -> Result<(Option<i32>, String)> {
        drop(self.stdin.take());
        let deadline = Instant::now() + ANSWER_TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait()? {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                break self.child.wait()?;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let stderr = self.stderr.join().unwrap_or_default();
        Ok((status.code(), String::from_utf8_lossy(&stderr).into_owned()))
    }
}

/// Usage of one tool, from the event log.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ToolUsage {
    /// The tool.
    pub tool: String,
    /// Events.
    pub calls: u64,
    /// `success` events (`successes` in JSON, as in `report`).
    #[serde(rename = "successes")]
    pub success: u64,
    /// `error` and `timeout` events.
    pub errors: u64,
    /// `rate_limited` events (refused by the shim).
    pub refused: u64,
    /// Events the free tier applied to (`free_tier_calls` in JSON, as in `report`).
    #[serde(rename = "free_tier_calls")]
    pub free_tier: u64,
    /// Input tokens reported.
    pub input_tokens: u64,
    /// Output tokens reported.
    pub output_tokens: u64,
    /// Sum of `cost_microcents`.
    pub revenue_microcents: u64,
}

impl ToolUsage {
    /// The usage in a report group: timeouts count as errors.
    fn from_group(tool: String, g: &Group) -> Self {
        ToolUsage {
            tool,
            calls: g.calls,
            success: g.successes,
            errors: g.errors.saturating_add(g.timeouts),
            refused: g.refused,
            free_tier: g.free_tier,
            input_tokens: g.input_tokens,
            output_tokens: g.output_tokens,
            revenue_microcents: g.revenue,
        }
    }
}

/// One receipt that failed verification.
#[derive(Debug, Clone, Serialize)]
pub struct BadReceipt {
    /// Its id, when it has one.
    pub receipt_id: Option<String>,
    /// Why it is invalid.
    pub reason: String,
}

/// The receipts of the demo's agent, verified.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReceiptCheck {
    /// Receipts found.
    pub total: u64,
    /// Receipts whose signature verified.
    pub valid: u64,
    /// The others.
    pub invalid: Vec<BadReceipt>,
}

/// Read the events of `agent_id` from the log directory, summed per tool as `report`
/// sums them; returns the tools (by name), their total and the unreadable lines.
pub fn usage_from_log(dir: &Path, agent_id: &str) -> Result<(Vec<ToolUsage>, ToolUsage, u64)> {
    let files = eventlog::expand_inputs(&[dir.to_path_buf()], "events")?;
    let (acc, stats) = scan_events(
        &files,
        ScanOptions::serial(),
        || ReportAcc::new(Range::default(), &[By::Tool]),
        |acc, ev| {
            if *ev.e.agent_id == *agent_id {
                acc.add(ev, &Feedback::default());
            }
        },
    )?;
    let mut tools: Vec<ToolUsage> = acc
        .dim(By::Tool)
        .into_iter()
        .flatten()
        .map(|(tool, g)| ToolUsage::from_group(tool.clone(), g))
        .collect();
    tools.sort_by(|a, b| a.tool.cmp(&b.tool));
    let total = ToolUsage::from_group("total".to_owned(), &acc.total);
    Ok((tools, total, stats.skipped))
}

/// Verify every receipt of `agent_id` in the log directory with `secret`.
pub fn verify_receipts(
    dir: &Path,
    agent_id: &str,
    provider: &str,
    secret: &Secret,
) -> Result<ReceiptCheck> {
    let files = eventlog::expand_inputs(&[dir.to_path_buf()], "receipts")?;
    let mut check = ReceiptCheck::default();
    eventlog::scan_files(&files, |line| {
        let value = match serde_json::from_slice::<Value>(line) {
            Ok(v) => v,
            Err(e) => {
                check.total += 1;
                check.invalid.push(BadReceipt {
                    receipt_id: None,
                    reason: format!("not JSON: {e}"),
                });
                return false;
            }
        };
        if value.get("agent_id").and_then(Value::as_str) != Some(agent_id) {
            return true;
        }
        check.total += 1;
        let verdict = receipt::verify_value(&value, |p| (p == provider).then_some(secret));
        match verdict.invalid {
            None => check.valid += 1,
            Some(why) => check.invalid.push(BadReceipt {
                receipt_id: value
                    .get("receipt_id")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                reason: why.to_string(),
            }),
        }
        true
    })?;
    Ok(check)
}

/// The `--json` document.
#[derive(Debug, Serialize)]
struct Report<'a> {
    ok: bool,
    log_dir: String,
    kept: bool,
    agent_id: &'a str,
    provider_id: &'a str,
    budget: &'a str,
    calls_sent: u64,
    answers: Answers,
    tools: &'a [ToolUsage],
    totals: ToolUsage,
    receipts: &'a ReceiptCheck,
    /// Unreadable lines of the event log (`lines_skipped`, as every reader names them).
    #[serde(rename = "lines_skipped")]
    unreadable_events: u64,
    shim_exit_code: Option<i32>,
}

#[derive(Debug, Default, Clone, Copy, Serialize)]
struct Answers {
    results: u64,
    tool_errors: u64,
    rpc_errors: u64,
    receipts_in_results: u64,
}

/// The demo's scratch directory: a temporary one (removed unless kept) or `--log-dir`.
enum WorkDir {
    Temp(tempfile::TempDir),
    Given(PathBuf),
}

impl WorkDir {
    fn path(&self) -> &Path {
        match self {
            WorkDir::Temp(t) => t.path(),
            WorkDir::Given(p) => p,
        }
    }
}

/// Run `mcpbill demo`.
pub fn run(args: &DemoArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let work = match &args.log_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| {
                format!(
                    "cannot create '{}'; pass a writable --log-dir",
                    dir.display()
                )
            })?;
            WorkDir::Given(dir.clone())
        }
        None => WorkDir::Temp(
            tempfile::Builder::new()
                .prefix("mcpbill-demo-")
                .tempdir()
                .context("cannot create a temporary directory; pass --log-dir DIR")?,
        ),
    };
    let dir = work.path().to_path_buf();
    let pricing = dir.join("demo-pricing.toml");
    match crate::input::read_file(&pricing, crate::input::CONFIG_LIMIT) {
        // Written by an earlier demo in this directory: used again.
        Ok(existing) if existing == DEMO_PRICING.as_bytes() => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            demo_file("pricing file", None).write(&pricing, DEMO_PRICING.as_bytes())?;
        }
        _ => bail!(
            "'{}' exists and is not the demo's pricing file; pass another --log-dir (the demo writes its own pricing file there)",
            pricing.display()
        ),
    }
    let key_file = dir.join("demo.key");
    if !key_file.exists() {
        write_key(&key_file)?;
    }
    let secret = Secret::from_file(&key_file)?;
    // A fresh agent per run, so a reused --log-dir starts with an untouched budget and tier.
    let agent_id = format!("demo-agent-{}", &crate::keygen::new_secret()[..8]);

    let exe = std::env::current_exe().context("cannot locate the mcpbill binary itself")?;
    let mut cmd = Command::new(&exe);
    cmd.arg("wrap")
        .arg("--pricing")
        .arg(&pricing)
        .arg("--key-file")
        .arg(&key_file)
        .arg("--budget")
        .arg(DEMO_BUDGET)
        .arg("--agent-id")
        .arg(&agent_id)
        .arg("--log-dir")
        .arg(&dir)
        .arg("--")
        .arg(&exe)
        .arg("example-server");
    printer.note(&format!(
        "demo: wrapping the example server with 'mcpbill wrap' (log dir {})",
        dir.display()
    ));

    let mut client = Client::spawn(cmd)?;
    let (answers, calls_sent) = match drive(&mut client) {
        Ok(v) => v,
        Err(err) => {
            let (_, stderr) = client.finish().unwrap_or_default();
            show_shim_stderr(printer, &stderr);
            return Err(err.context("the demo client failed"));
        }
    };
    let (code, stderr) = client.finish()?;
    if code != Some(0) {
        show_shim_stderr(printer, &stderr);
        bail!(
            "'mcpbill wrap' exited with {}; its stderr is shown above",
            code.map_or_else(|| "a signal".to_owned(), |c| format!("code {c}"))
        );
    }
    for line in stderr.lines() {
        printer.debug(line);
    }

    let (tools, totals, unreadable) = usage_from_log(&dir, &agent_id)?;
    let receipts = verify_receipts(&dir, &agent_id, DEMO_PROVIDER, &secret)?;
    let ok = receipts.invalid.is_empty() && receipts.total > 0 && totals.calls == calls_sent;

    let kept = args.keep || args.log_dir.is_some();
    if printer.json() {
        printer.json_doc(&Report {
            ok,
            log_dir: dir.display().to_string(),
            kept,
            agent_id: &agent_id,
            provider_id: DEMO_PROVIDER,
            budget: DEMO_BUDGET,
            calls_sent,
            answers,
            tools: &tools,
            totals: totals.clone(),
            receipts: &receipts,
            unreadable_events: unreadable,
            shim_exit_code: code,
        })?;
    } else {
        print_human(printer, &tools, &totals, &receipts, calls_sent)?;
        if kept {
            printer.line(&escape_terminal(&format!("log: {}", dir.display())))?;
        }
    }
    if totals.calls != calls_sent {
        printer.warn(&format!(
            "{calls_sent} calls were sent but the log holds {} events for this run",
            totals.calls
        ));
        // Why is in what the shim said (a full disk, a log it could not write).
        if !printer.verbose() {
            show_shim_stderr(printer, &stderr);
        }
    }
    if unreadable > 0 {
        printer.warn(&format!("{unreadable} unreadable event lines were skipped"));
    }
    if let WorkDir::Temp(t) = work
        && args.keep
    {
        let _ = t.keep();
    }
    Ok(ExitStatus::verdict(ok))
}

fn write_key(path: &Path) -> Result<()> {
    let secret = crate::keygen::new_secret();
    demo_file("key file", Some(0o600)).write(path, format!("{secret}\n").as_bytes())
}

/// A file the demo writes into its directory: new, synced, and removed again when it
/// cannot be written whole.
fn demo_file(what: &str, mode: Option<u32>) -> crate::newfile::NewFile<'_> {
    crate::newfile::NewFile {
        what,
        force: false,
        mode,
        overwrite_note: "",
    }
}

/// The client side of the demo: handshake, listing, then the scripted calls.
fn drive(client: &mut Client) -> Result<(Answers, u64)> {
    let init = client.request(
        "initialize",
        &json!({
            "protocolVersion": server::PROTOCOL_VERSIONS[0],
            "capabilities": {},
            "clientInfo": { "name": "mcpbill-demo", "version": env!("CARGO_PKG_VERSION") }
        }),
    )?;
    if init.get("result").is_none() {
        bail!("initialize failed: {init}");
    }
    client.notify("notifications/initialized", &json!({}))?;
    let list = client.request("tools/list", &json!({}))?;
    let listed = list
        .pointer("/result/tools")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if listed == 0 {
        bail!("tools/list returned no tools: {list}");
    }
    let mut answers = Answers::default();
    let mut sent = 0;
    for call in script() {
        let answer = client.request(
            "tools/call",
            &json!({ "name": call.tool, "arguments": call.arguments }),
        )?;
        sent += 1;
        let kind = if answer.get("error").is_some() {
            Answer::RpcError
        } else if answer.pointer("/result/isError") == Some(&Value::Bool(true)) {
            Answer::ToolError
        } else {
            Answer::Result
        };
        match kind {
            Answer::Result => answers.results += 1,
            Answer::ToolError => answers.tool_errors += 1,
            Answer::RpcError => answers.rpc_errors += 1,
        }
        if answer.pointer("/result/_meta/mcpbill~1receipt").is_some() {
            answers.receipts_in_results += 1;
        }
    }
    Ok((answers, sent))
}

fn print_human(
    printer: &mut Printer,
    tools: &[ToolUsage],
    totals: &ToolUsage,
    receipts: &ReceiptCheck,
    calls_sent: u64,
) -> Result<()> {
    let mut table = printer.new_table(&[
        "tool",
        "calls",
        "success",
        "errors",
        "refused",
        "free tier",
        "tokens",
        "revenue",
    ]);
    for t in tools.iter().chain(std::iter::once(totals)) {
        table.add_row(vec![
            escape_terminal(&t.tool),
            t.calls.to_string(),
            t.success.to_string(),
            t.errors.to_string(),
            t.refused.to_string(),
            t.free_tier.to_string(),
            (t.input_tokens + t.output_tokens).to_string(),
            Microcents(t.revenue_microcents).dollars(),
        ]);
    }
    printer.table(&table)?;
    printer.line(&format!(
        "{calls_sent} calls sent through 'mcpbill wrap', {} metered events",
        totals.calls
    ))?;
    if receipts.invalid.is_empty() && receipts.total > 0 {
        let msg = format!("{} receipts, all valid", receipts.total);
        printer.line(&printer.paint(Paint::Green, &msg))?;
    } else if receipts.total == 0 {
        printer.line(&printer.paint(Paint::Red, "no receipts were written"))?;
    } else {
        let msg = format!(
            "{} receipts, {} INVALID",
            receipts.total,
            receipts.invalid.len()
        );
        printer.line(&printer.paint(Paint::Red, &msg))?;
        for bad in &receipts.invalid {
            printer.line(&format!(
                "  {}: {}",
                escape_terminal(bad.receipt_id.as_deref().unwrap_or("(no id)")),
                escape_terminal(&bad.reason)
            ))?;
        }
    }
    Ok(())
}

/// The shim's stderr, a line at a time (each escaped for the terminal), after a heading.
fn show_shim_stderr(printer: &mut Printer, stderr: &str) {
    if stderr.trim().is_empty() {
        return;
    }
    printer.note("the shim's stderr:");
    for line in stderr.trim_end().lines() {
        printer.note(&format!("  {line}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_covers_every_kind_of_call() {
        let calls = script();
        for tool in ["echo", "search", "summarize", "fail", "slow"] {
            assert!(calls.iter().any(|c| c.tool == tool), "{tool}");
        }
        // More paid searches than the budget covers, so some are refused.
        let searches = calls.iter().filter(|c| c.tool == "search").count() as u64;
        let paid = searches - 5;
        let budget = Microcents::parse(DEMO_BUDGET).unwrap().0;
        assert!(paid * 50_000 > budget);
    }

    #[test]
    fn usage_counts_statuses_free_tier_and_revenue() {
        let dir = tempfile::tempdir().unwrap();
        let lines = [
            json!({"event_id":"evt_000000000000000000000001","tool_id":"search","agent_id":"a","provider_id":"p","timestamp":"2026-11-22T10:00:00.000Z","status":"success","cost_microcents":0,"metadata":{"free_tier":true}}),
            json!({"event_id":"evt_000000000000000000000002","tool_id":"search","agent_id":"a","provider_id":"p","timestamp":"2026-11-22T10:00:01.000Z","status":"success","cost_microcents":50000}),
            json!({"event_id":"evt_000000000000000000000003","tool_id":"search","agent_id":"a","provider_id":"p","timestamp":"2026-11-22T10:00:02.000Z","status":"rate_limited","cost_microcents":0}),
            json!({"event_id":"evt_000000000000000000000004","tool_id":"fail","agent_id":"a","provider_id":"p","timestamp":"2026-11-22T10:00:03.000Z","status":"error","cost_microcents":0}),
            json!({"event_id":"evt_000000000000000000000005","tool_id":"fail","agent_id":"other","provider_id":"p","timestamp":"2026-11-22T10:00:03.000Z","status":"error"}),
        ];
        let mut text = String::new();
        for l in &lines {
            text.push_str(&l.to_string());
            text.push('\n');
        }
        text.push_str("{torn\n");
        std::fs::write(dir.path().join("events-2026-11.jsonl"), text).unwrap();
        let (tools, total, bad) = usage_from_log(dir.path(), "a").unwrap();
        assert_eq!(bad, 1);
        assert_eq!(tools.len(), 2);
        assert_eq!(tools[0].tool, "fail");
        assert_eq!(tools[0].errors, 1);
        let s = &tools[1];
        assert_eq!((s.calls, s.success, s.refused, s.free_tier), (3, 2, 1, 1));
        assert_eq!(s.revenue_microcents, 50_000);
        assert_eq!(
            (total.calls, total.errors, total.revenue_microcents),
            (4, 1, 50_000)
        );
    }
}
