//! Real third-party peers through `mcpbill wrap`: the official MCP Python SDK client
//! (`tests/peers/driver.py`) drives `@modelcontextprotocol/server-everything` and
//! `mcp-server-time`, once directly and once through the shim. What the client observes must
//! be equal except for the documented `_meta` entries, and the event log must hold exactly one
//! event per `tools/call` with the right status, each with a receipt that verifies. The SDK 2.x
//! client (`tests/peers/driver_modern.py`) checks the newer `server/discover` handshake the same
//! way against the mcp-server-time release built on it, and the MCP Inspector's CLI (the
//! TypeScript SDK's client) calls server-everything's tools, a task-augmented one included.
//!
//! The peers are installed by `scripts/setup-test-deps` (run by `scripts/test`). Without them
//! these tests fail and say so, unless `MCPBILL_SKIP_PEER_TESTS=1` is set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::context::{TestContext, bin, repo_root, run_command};

/// The installed peers.
struct Peers {
    python: PathBuf,
    driver: PathBuf,
    node: PathBuf,
    everything: PathBuf,
    time_server: PathBuf,
    python_mcp2: PathBuf,
    driver_modern: PathBuf,
    time_server_mcp2: PathBuf,
    /// The MCP Inspector's launcher (`mcp-inspector --cli`: the TypeScript SDK's client).
    inspector: PathBuf,
}

/// Where the test dependencies are, from the environment (`scripts/test` sources
/// `target/test-deps.env`) or from that file directly; `None` when the tests are skipped.
fn peers() -> Option<Peers> {
    if std::env::var("MCPBILL_SKIP_PEER_TESTS").is_ok_and(|v| v == "1") {
        return None;
    }
    let file = repo_root().join("target/test-deps.env");
    let from_file: BTreeMap<String, String> = std::fs::read_to_string(&file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("export "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('\'').to_owned()))
        .collect();
    let get = |name: &str| -> PathBuf {
        let value = std::env::var(name)
            .ok()
            .or_else(|| from_file.get(name).cloned())
            .unwrap_or_else(|| {
                panic!(
                    "{name} is not set: the real-peer test dependencies are not installed; \
                     run scripts/test (it runs scripts/setup-test-deps), or set \
                     MCPBILL_SKIP_PEER_TESTS=1 to skip these tests"
                )
            });
        let path = PathBuf::from(value);
        assert!(
            path.exists(),
            "{name}={} does not exist: run scripts/test to install the test peers, or set \
             MCPBILL_SKIP_PEER_TESTS=1 to skip these tests",
            path.display()
        );
        path
    };
    Some(Peers {
        python: get("MCPBILL_TEST_PYTHON"),
        driver: repo_root().join("tests/peers/driver.py"),
        node: get("MCPBILL_TEST_NODE"),
        everything: get("MCPBILL_TEST_EVERYTHING"),
        time_server: get("MCPBILL_TEST_TIME_SERVER"),
        python_mcp2: get("MCPBILL_TEST_PYTHON_MCP2"),
        driver_modern: repo_root().join("tests/peers/driver_modern.py"),
        time_server_mcp2: get("MCPBILL_TEST_TIME_SERVER_MCP2"),
        inspector: get("MCPBILL_TEST_INSPECTOR"),
    })
}

/// Which server a scenario runs against.
#[derive(Clone, Copy)]
enum Server {
    Everything,
    Time,
    /// mcp-server-time on the SDK 2.x, driven by the SDK 2.x client (`server/discover`).
    TimeModern,
    /// `tests/peers/order_server.py` on the SDK 2.x, whose tool asks the client for input.
    OrderModern,
}

impl Peers {
    fn server_command(&self, server: Server) -> Vec<String> {
        match server {
            Server::Everything => vec![
                self.node.display().to_string(),
                self.everything.display().to_string(),
                "stdio".to_owned(),
            ],
            Server::Time => vec![
                self.time_server.display().to_string(),
                "--local-timezone".to_owned(),
                "UTC".to_owned(),
            ],
            Server::TimeModern => vec![
                self.time_server_mcp2.display().to_string(),
                "--local-timezone".to_owned(),
                "UTC".to_owned(),
            ],
            Server::OrderModern => vec![
                self.python_mcp2.display().to_string(),
                repo_root()
                    .join("tests/peers/order_server.py")
                    .display()
                    .to_string(),
            ],
        }
    }

    /// Run the driver against `command`; returns the observation document.
    fn drive(&self, ctx: &TestContext, scenario: &str, command: &[String]) -> Value {
        let (python, driver) = if scenario.ends_with("-modern") {
            (&self.python_mcp2, &self.driver_modern)
        } else {
            (&self.python, &self.driver)
        };
        let mut cmd = Command::new(python);
        cmd.arg(driver).arg(scenario).arg("--").args(command);
        cmd.current_dir(ctx.path());
        cmd.env("NO_COLOR", "1");
        // Keep the source tree clean of __pycache__.
        cmd.env("PYTHONDONTWRITEBYTECODE", "1");
        let run = run_command(cmd, None);
        assert_eq!(
            run.code, 0,
            "driver scenario {scenario} failed (exit {}) against {command:?}\nstdout:\n{}\nstderr:\n{}",
            run.code, run.stdout, run.stderr
        );
        run.json()
    }

    /// One request through the Inspector's CLI (`mcp-inspector --cli ARGS -- COMMAND`): what
    /// it printed, as JSON.
    fn inspect(&self, ctx: &TestContext, args: &[&str], command: &[String]) -> Value {
        let mut cmd = Command::new(&self.node);
        cmd.arg(&self.inspector)
            .arg("--cli")
            .args(args)
            .arg("--")
            .args(command);
        cmd.current_dir(ctx.path());
        // Its catalog and settings stay in the test's directory.
        cmd.env("HOME", ctx.path());
        cmd.env("NO_COLOR", "1");
        let run = run_command(cmd, None);
        assert_eq!(
            run.code, 0,
            "inspector {args:?} failed (exit {}) against {command:?}\nstdout:\n{}\nstderr:\n{}",
            run.code, run.stdout, run.stderr
        );
        run.json()
    }
}

/// `mcpbill wrap` with the tests' pricing, key, log directory and agent, around `server`.
fn shim_command(ctx: &TestContext, server: Vec<String>) -> Vec<String> {
    let pricing = ctx.write("pricing.toml", PRICING);
    let key = ctx.write("billing.key", format!("{SECRET}\n"));
    let mut wrapped = vec![
        bin().display().to_string(),
        "wrap".to_owned(),
        "--pricing".to_owned(),
        pricing.display().to_string(),
        "--key-file".to_owned(),
        key.display().to_string(),
        "--log-dir".to_owned(),
        ctx.join("logs").display().to_string(),
        "--agent-id".to_owned(),
        AGENT.to_owned(),
        "--".to_owned(),
    ];
    wrapped.extend(server);
    wrapped
}

const PRICING: &str = r#"
provider_id = "peer-provider"

[tools.echo]
pricing_model = "per_call"
price_per_call = "$0.001"

[tools.get-sum]
pricing_model = "per_call"
price_per_call = "$0.002"

[tools.simulate-research-query]
pricing_model = "per_call"
price_per_call = "$0.05"

[tools.order]
pricing_model = "per_call"
price_per_call = "$0.02"

[tools.get_current_time]
pricing_model = "per_call"
price_per_call = "$0.001"

[tools.convert_time]
pricing_model = "per_call"
price_per_call = "$0.003"
"#;

const AGENT: &str = "peer-test-agent";
const SECRET: &str = "peer-test-secret-0123456789abcdef";

/// One scenario run directly and through the shim.
struct Outcome {
    direct: Value,
    shimmed: Value,
    /// Receipts the shim put in results' `_meta`, removed from `shimmed`.
    receipts_in_results: Vec<Value>,
    events: Vec<Value>,
    receipts: Vec<Value>,
}

fn run_scenario(peers: &Peers, server: Server, scenario: &str) -> Outcome {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    let server_cmd = peers.server_command(server);
    let direct = peers.drive(&ctx, scenario, &server_cmd);
    let wrapped = shim_command(&ctx, server_cmd);
    let mut shimmed = peers.drive(&ctx, scenario, &wrapped);
    let mut receipts_in_results = Vec::new();
    strip_receipts(&mut shimmed, &mut receipts_in_results);

    Outcome {
        direct,
        shimmed,
        receipts_in_results,
        events: read_jsonl(&logs, "events-"),
        receipts: read_jsonl(&logs, "receipts-"),
    }
}

/// Remove the documented `_meta["mcpbill/receipt"]` entries from results (and a `_meta`
/// left empty by that), collecting the receipts.
fn strip_receipts(value: &mut Value, found: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(meta)) = map.get_mut("_meta") {
                if let Some(receipt) = meta.remove("mcpbill/receipt") {
                    found.push(receipt);
                }
                if meta.is_empty() {
                    map.remove("_meta");
                }
            }
            for v in map.values_mut() {
                strip_receipts(v, found);
            }
        }
        Value::Array(items) => {
            for v in items {
                strip_receipts(v, found);
            }
        }
        _ => {}
    }
}

fn read_jsonl(dir: &Path, prefix: &str) -> Vec<Value> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".jsonl"))
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            out.push(
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("{}: bad JSON line ({e}): {line}", f.display())),
            );
        }
    }
    out
}

/// The first place two JSON values differ, as a JSON pointer with both sides.
fn first_difference(direct: &Value, shim: &Value, path: &str) -> Option<String> {
    match (direct, shim) {
        (Value::Object(left), Value::Object(right)) => {
            for key in left.keys().chain(right.keys()) {
                let here = format!("{path}/{key}");
                match (left.get(key), right.get(key)) {
                    (Some(l), Some(r)) => {
                        if let Some(diff) = first_difference(l, r, &here) {
                            return Some(diff);
                        }
                    }
                    (l, r) => return Some(format!("{here}: direct {l:?} vs shim {r:?}")),
                }
            }
            None
        }
        (Value::Array(left), Value::Array(right)) if left.len() == right.len() => left
            .iter()
            .zip(right)
            .enumerate()
            .find_map(|(i, (l, r))| first_difference(l, r, &format!("{path}/{i}"))),
        _ if direct == shim => None,
        _ => {
            let show = |v: &Value| {
                let text = v.to_string();
                if text.chars().count() > 400 {
                    format!("{}...", text.chars().take(400).collect::<String>())
                } else {
                    text
                }
            };
            Some(format!(
                "{path}: direct {} vs shim {}",
                show(direct),
                show(shim)
            ))
        }
    }
}

/// Assert the observations are equal, and the log holds exactly `expected` (tool, status)
/// events, each with a receipt that verifies and agrees with it.
fn check(outcome: &Outcome, expected: &[(&str, &str)]) {
    if let Some(diff) = first_difference(&outcome.direct, &outcome.shimmed, "") {
        panic!("the client saw something different through the shim: {diff}");
    }
    assert!(
        outcome.direct.get("exception").is_none(),
        "{}",
        outcome.direct["exception"]
    );

    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(t, s)| ((*t).to_owned(), (*s).to_owned()))
        .collect();
    let mut got: Vec<(String, String)> = outcome
        .events
        .iter()
        .map(|e| {
            (
                e["tool_id"].as_str().unwrap_or_default().to_owned(),
                e["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want, "events in the log:\n{:#?}", outcome.events);
    for e in &outcome.events {
        assert_eq!(e["agent_id"], AGENT, "{e}");
        assert_eq!(e["provider_id"], "peer-provider", "{e}");
        assert!(e["duration_ms"].is_u64(), "{e}");
        assert!(e["metadata"]["session_id"].is_string(), "{e}");
        assert!(e["metadata"].get("jsonrpc_id").is_some(), "{e}");
        if e["status"] != "success" {
            assert_eq!(e["cost_microcents"].as_u64().unwrap_or(0), 0, "{e}");
        }
    }

    // One receipt per call, each verifying with the key, tied to its event.
    assert_eq!(
        outcome.receipts.len(),
        outcome.events.len(),
        "receipts: {:#?}",
        outcome.receipts
    );
    let secret = mcpbill::key::Secret::from_text(SECRET).unwrap();
    for r in &outcome.receipts {
        let verdict = mcpbill::receipt::verify_value(r, |_| Some(&secret));
        assert!(verdict.invalid.is_none(), "{r}: {:?}", verdict.invalid);
        let id = r["receipt_id"].as_str().unwrap();
        let event = outcome
            .events
            .iter()
            .find(|e| e["metadata"]["receipt_id"] == id)
            .unwrap_or_else(|| panic!("no event names receipt {id}"));
        assert_eq!(r["status"], event["status"]);
        assert_eq!(r["tool_id"], event["tool_id"]);
        assert_eq!(r["cost_microcents"], event["cost_microcents"]);
    }
    // Every receipt the client received is one in the log.
    for r in &outcome.receipts_in_results {
        assert!(
            outcome.receipts.contains(r),
            "a receipt in a result is not in the log: {r}"
        );
    }
}

/// Every receipt reached the client: one per call answered with a result.
fn check_receipts_in_results(outcome: &Outcome, results: usize) {
    assert_eq!(outcome.receipts_in_results.len(), results);
}

macro_rules! skip_without_peers {
    () => {
        match peers() {
            Some(p) => p,
            None => return,
        }
    };
}

#[test]
fn everything_tools_list() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-tools");
    check(&out, &[]);
    let names: Vec<&str> = out.direct["steps"][0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for tool in [
        "echo",
        "get-sum",
        "trigger-long-running-operation",
        "trigger-sampling-request",
        "trigger-elicitation-request",
        "get-roots-list",
    ] {
        assert!(names.contains(&tool), "{tool} missing from {names:?}");
    }
}

#[test]
fn everything_echo_and_add() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-echo-add");
    check(
        &out,
        &[
            ("echo", "success"),
            ("echo", "success"),
            ("get-sum", "success"),
            ("get-structured-content", "success"),
        ],
    );
    check_receipts_in_results(&out, 4);
    assert_eq!(
        out.direct["steps"][2]["result"]["content"][0]["text"],
        "The sum of 19 and 23 is 42."
    );
    let charged: Vec<u64> = out
        .events
        .iter()
        .filter(|e| e["tool_id"] == "get-sum")
        .map(|e| e["cost_microcents"].as_u64().unwrap())
        .collect();
    assert_eq!(charged, vec![2_000]);
}

#[test]
fn everything_failing_calls() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-errors");
    check(
        &out,
        &[
            ("get-sum", "error"),
            ("no-such-tool", "error"),
            ("echo", "success"),
        ],
    );
    assert_eq!(out.direct["steps"][0]["result"]["isError"], true);
}

#[test]
fn everything_progress_notifications() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-progress");
    check(&out, &[("trigger-long-running-operation", "success")]);
    let progress = out.direct["progress"]["trigger-long-running-operation"]
        .as_array()
        .unwrap();
    assert_eq!(progress.len(), 4, "{progress:?}");
    assert_eq!(progress[3]["progress"], json!(4.0));
}

#[test]
fn everything_sampling_request_to_the_client() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-sampling");
    check(&out, &[("trigger-sampling-request", "success")]);
    let methods: Vec<&str> = out.shimmed["server_requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert!(methods.contains(&"sampling/createMessage"), "{methods:?}");
}

#[test]
fn everything_elicitation_request_to_the_client() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-elicitation");
    check(&out, &[("trigger-elicitation-request", "success")]);
    assert!(
        out.shimmed["server_requests"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["method"] == "elicitation/create")
    );
}

#[test]
fn everything_roots_request_to_the_client() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-roots");
    check(&out, &[("get-roots-list", "success")]);
    let text = out.shimmed["steps"][0]["result"]["content"][0]["text"]
        .as_str()
        .unwrap();
    assert!(text.contains("file:///srv/project"), "{text}");
}

#[test]
fn everything_one_megabyte_argument() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-large");
    check(&out, &[("echo", "success")]);
    assert_eq!(
        out.shimmed["steps"][0]["result"]["content"][0]["echoed_exactly"],
        true
    );
}

#[test]
fn everything_fifty_concurrent_calls() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-concurrent");
    let expected = vec![("echo", "success"); 50];
    check(&out, &expected);
    assert_eq!(out.shimmed["steps"][0]["matched"], 50);
    check_receipts_in_results(&out, 50);
    let mut ids: Vec<String> = out
        .events
        .iter()
        .map(|e| e["metadata"]["jsonrpc_id"].to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 50, "each event names its own request");
}

#[test]
fn everything_cancelled_call() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-cancel");
    check(
        &out,
        &[
            ("trigger-long-running-operation", "error"),
            ("echo", "success"),
            ("echo", "success"),
        ],
    );
    assert_eq!(out.shimmed["steps"][0]["cancelled"], true);
    let cancelled = out
        .events
        .iter()
        .find(|e| e["tool_id"] == "trigger-long-running-operation")
        .unwrap();
    assert_eq!(cancelled["metadata"]["cancelled"], true, "{cancelled}");
    assert_eq!(cancelled["cost_microcents"].as_u64().unwrap_or(0), 0);
}

/// A task-augmented call (2025-11-25 tasks) is metered by the task's outcome: one event,
/// when the result is fetched, with the task's duration and the result's receipt.
#[test]
fn everything_task_augmented_call() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-task");
    check(
        &out,
        &[("simulate-research-query", "success"), ("echo", "success")],
    );
    let step = &out.shimmed["steps"][0];
    assert_eq!(step["created"]["status"], "working", "{step}");
    assert_eq!(step["ended"]["status"], "completed", "{step}");
    let report = step["result"]["content"][0]["text"].as_str().unwrap();
    assert!(report.contains("Research Report: metering"), "{report}");
    let task = out
        .events
        .iter()
        .find(|e| e["tool_id"] == "simulate-research-query")
        .unwrap();
    // The research takes four stages of a second each; the task's creation takes
    // milliseconds. The duration runs to the status that ended it.
    assert!(task["duration_ms"].as_u64().unwrap() >= 3_500, "{task}");
    assert_eq!(task["cost_microcents"], 50_000, "{task}");
    assert!(task["metadata"]["task_id"].is_string(), "{task}");
    // The receipt came with the result (tasks/result): the echo's and the task's.
    check_receipts_in_results(&out, 2);
    assert!(
        step["result"]["_meta"]["io.modelcontextprotocol/related-task"].is_object(),
        "{step}"
    );
    let receipt = out
        .receipts
        .iter()
        .find(|r| r["tool_id"] == "simulate-research-query")
        .unwrap();
    assert_eq!(receipt["duration_ms"], task["duration_ms"]);
}

/// A task the client cancels is recorded as a cancelled call, not charged.
#[test]
fn everything_cancelled_task() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Everything, "everything-task-cancel");
    check(
        &out,
        &[("simulate-research-query", "error"), ("echo", "success")],
    );
    assert_eq!(out.shimmed["steps"][0]["cancel"]["status"], "cancelled");
    let task = out
        .events
        .iter()
        .find(|e| e["tool_id"] == "simulate-research-query")
        .unwrap();
    assert_eq!(task["metadata"]["cancelled"], true, "{task}");
    assert!(task["metadata"]["task_id"].is_string(), "{task}");
    assert_eq!(task["cost_microcents"].as_u64().unwrap_or(0), 0, "{task}");
}

/// Requests through the Inspector's CLI, directly and through the shim: the same output
/// (less the receipts), and the events and receipts of `run_scenario`'s runs.
fn run_inspector(peers: &Peers, requests: &[&[&str]]) -> Outcome {
    let ctx = TestContext::new();
    let server = peers.server_command(Server::Everything);
    let wrapped = shim_command(&ctx, server.clone());
    let mut direct = Vec::new();
    let mut shimmed = Vec::new();
    for args in requests {
        direct.push(peers.inspect(&ctx, args, &server));
        shimmed.push(peers.inspect(&ctx, args, &wrapped));
    }
    let mut shimmed = Value::Array(shimmed);
    let mut receipts_in_results = Vec::new();
    strip_receipts(&mut shimmed, &mut receipts_in_results);
    Outcome {
        direct: Value::Array(direct),
        shimmed,
        receipts_in_results,
        events: read_jsonl(&ctx.join("logs"), "events-"),
        receipts: read_jsonl(&ctx.join("logs"), "receipts-"),
    }
}

/// The task id each run gets from the server, made equal for the comparison.
fn without_task_ids(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "taskId" {
                    *v = json!("<task id>");
                } else {
                    without_task_ids(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(without_task_ids),
        _ => {}
    }
}

/// The TypeScript SDK's client (the MCP Inspector's CLI, a second client implementation)
/// lists and calls tools through the shim as directly, and each call is metered.
#[test]
fn inspector_cli_lists_and_calls_tools() {
    let peers = skip_without_peers!();
    let out = run_inspector(
        &peers,
        &[
            &["--method", "tools/list"],
            &[
                "--method",
                "tools/call",
                "--tool-name",
                "echo",
                "--tool-arg",
                "message=hi ✓",
            ],
            &[
                "--method",
                "tools/call",
                "--tool-name",
                "get-sum",
                "--tool-arg",
                "a=19",
                "b=23",
            ],
        ],
    );
    check(&out, &[("echo", "success"), ("get-sum", "success")]);
    check_receipts_in_results(&out, 2);
    assert!(out.shimmed[0]["tools"].as_array().unwrap().len() > 5);
    assert_eq!(out.shimmed[1]["content"][0]["text"], "Echo: hi ✓");
}

/// A task-required tool through the Inspector's CLI: its client runs the call as a task
/// and fetches the result; the shim meters the task's outcome, and the result it prints
/// carries the receipt, whose output hash is that of the result.
#[test]
fn inspector_cli_task_augmented_call() {
    let peers = skip_without_peers!();
    let args: &[&str] = &[
        "--method",
        "tools/call",
        "--tool-name",
        "simulate-research-query",
        "--tool-arg",
        "topic=billing",
    ];
    let mut out = run_inspector(&peers, &[args]);
    let printed = out.shimmed[0].clone();
    without_task_ids(&mut out.direct);
    without_task_ids(&mut out.shimmed);
    check(&out, &[("simulate-research-query", "success")]);
    let event = &out.events[0];
    assert!(event["duration_ms"].as_u64().unwrap() >= 3_500, "{event}");
    assert_eq!(
        printed["_meta"]["io.modelcontextprotocol/related-task"]["taskId"],
        event["metadata"]["task_id"],
        "{event}"
    );
    check_receipts_in_results(&out, 1);
    let receipt = &out.receipts_in_results[0];
    assert_eq!(
        receipt["output_hash"],
        mcpbill::receipt::output_hash(&printed)
    );
    assert_eq!(receipt["cost_microcents"], 50_000);
}

#[test]
fn time_server_get_and_convert() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::Time, "time");
    check(
        &out,
        &[
            ("get_current_time", "success"),
            ("get_current_time", "success"),
            ("convert_time", "success"),
            ("get_current_time", "error"),
        ],
    );
    check_receipts_in_results(&out, 4);
    let revenue: u64 = out
        .events
        .iter()
        .map(|e| e["cost_microcents"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(revenue, 1_000 + 1_000 + 3_000);
}

#[test]
fn time_server_over_the_server_discover_handshake() {
    // The SDK 2.x client probes `server/discover` (protocol 2026-07-28) first; the shim must
    // pass that generation through as transparently as the classic `initialize`.
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::TimeModern, "time-modern");
    check(
        &out,
        &[
            ("get_current_time", "success"),
            ("convert_time", "success"),
            ("get_current_time", "error"),
        ],
    );
    check_receipts_in_results(&out, 3);
    assert_eq!(out.shimmed["protocol_version"], "2026-07-28");
    let converted = &out.shimmed["steps"][2]["result"]["structuredContent"]["target"]["datetime"];
    assert_eq!(converted, "<date>T06:15-03:00");
}

/// On protocol 2026-07-28 a server that needs the client's input answers `input_required`,
/// and the client sends the call again with the input and the `requestState`: one call in
/// two requests, metered once, for the whole exchange.
#[test]
fn a_call_that_asks_for_input_is_metered_once_over_its_rounds() {
    let peers = skip_without_peers!();
    let out = run_scenario(&peers, Server::OrderModern, "order-modern");
    check(
        &out,
        &[
            ("order", "success"),
            ("menu", "success"),
            ("order", "error"),
        ],
    );
    assert_eq!(out.shimmed["protocol_version"], "2026-07-28");
    assert_eq!(
        out.shimmed["steps"][0]["result"]["content"][0]["text"],
        "ordered a large coffee"
    );
    // Asked once per call, through the shim as directly.
    assert_eq!(
        out.shimmed["steps"][3]["asked"],
        json!(["What size of coffee?", "What size of cake?"])
    );
    let orders: Vec<&Value> = out
        .events
        .iter()
        .filter(|e| e["tool_id"] == "order")
        .collect();
    let ordered = orders.iter().find(|e| e["status"] == "success").unwrap();
    assert_eq!(ordered["metadata"]["rounds"], 2, "{ordered}");
    assert_eq!(ordered["cost_microcents"], 20_000, "{ordered}");
    let declined = orders.iter().find(|e| e["status"] == "error").unwrap();
    assert_eq!(declined["metadata"]["rounds"], 2, "{declined}");
    let menu = out.events.iter().find(|e| e["tool_id"] == "menu").unwrap();
    assert!(menu["metadata"].get("rounds").is_none(), "{menu}");
    // The receipts came with the final results (the coffee, the menu, the declined
    // order's tool error); the interim answers passed unchanged.
    check_receipts_in_results(&out, 3);
    assert_eq!(out.shimmed["steps"][2]["result"]["isError"], true);
}
