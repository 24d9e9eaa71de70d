//! `mcpbill wrap`: in-process pump tests over in-memory pipes, byte-exact passthrough
//! through the binary, faults, concurrent shims sharing one log, limits and redaction.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use mcpbill::eventlog::LogDir;
use mcpbill::key::Secret;
use mcpbill::pricing::PricingFile;
use mcpbill::wrap::ledger::Ledger;
use mcpbill::wrap::{Config, Pump, RateLimit};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, DuplexStream, duplex};
use tokio_util::io::SyncIoBridge;

use crate::context::{self, TestContext, fixture};

/// Hang guard for anything that waits (never an assertion about speed).
const GUARD: Duration = Duration::from_secs(60);

/// A notification that marks a point in a stream: what was sent before it and has not come
/// out by the time it does was dropped.
const MARKER: &[u8] = b"{\"jsonrpc\":\"2.0\",\"method\":\"marker\"}\n";

const PRICING: &str = r#"
provider_id = "acme"
category = "search"

[tools.echo]
pricing_model = "per_call"
price_per_call = "$0.05"

[tools.tokens]
pricing_model = "per_token"
price_per_input_token = 10
price_per_output_token = 30

[tools.metered]
pricing_model = "per_token"
price_per_input_token = 10
price_per_output_token = 30

[tools.tiered]
pricing_model = "per_call"
price_per_call = "$0.01"
[tools.tiered.free_tier]
calls_per_month = 2
"#;

fn pricing() -> PricingFile {
    PricingFile::parse(PRICING, "test.toml").expect("test pricing parses")
}

#[derive(Clone, Default)]
struct Diag(Arc<Mutex<Vec<u8>>>);

impl Write for Diag {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Diag {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// A pump between a scripted client and a scripted server, all in memory.
struct Harness {
    pump: Pump,
    dir: tempfile::TempDir,
    /// The client's end: write requests here.
    client_w: Option<DuplexStream>,
    /// The client's end: read what the shim sends.
    client_r: tokio::io::BufReader<DuplexStream>,
    /// The server's end: read what the shim forwards.
    server_r: tokio::io::BufReader<DuplexStream>,
    /// The server's end: write answers here.
    server_w: Option<DuplexStream>,
    diag: Diag,
    tasks: Vec<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Harness {
    fn start(cfg: Config) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = LogDir::open(Some(dir.path())).unwrap();
        Self::start_in(cfg, dir, &log)
    }

    fn start_in(cfg: Config, dir: tempfile::TempDir, log: &LogDir) -> Self {
        let ledger = Ledger::open(log, &cfg.provider_id).unwrap();
        let (client_w, shim_client_in) = duplex(1 << 20);
        let (shim_client_out, client_r) = duplex(1 << 20);
        let (shim_server_in, server_r) = duplex(1 << 20);
        let (server_w, shim_server_out) = duplex(1 << 20);
        let diag = Diag::default();
        // The pump's loops block: they run on blocking threads over bridged pipes.
        let pump = Pump::new(
            cfg,
            ledger,
            SyncIoBridge::new(shim_client_out),
            Box::new(diag.clone()),
        );
        let (c2s, s2c) = (pump.clone(), pump.clone());
        let (client_in, server_in) = (
            SyncIoBridge::new(shim_client_in),
            SyncIoBridge::new(shim_server_in),
        );
        let server_out = SyncIoBridge::new(shim_server_out);
        let tasks = vec![
            tokio::task::spawn_blocking(move || c2s.client_to_server(client_in, server_in)),
            tokio::task::spawn_blocking(move || s2c.server_to_client(server_out)),
        ];
        Harness {
            pump,
            dir,
            client_w: Some(client_w),
            client_r: tokio::io::BufReader::new(client_r),
            server_r: tokio::io::BufReader::new(server_r),
            server_w: Some(server_w),
            diag,
            tasks,
        }
    }

    async fn client_send(&mut self, bytes: &[u8]) {
        let w = self.client_w.as_mut().unwrap();
        w.write_all(bytes).await.unwrap();
        w.flush().await.unwrap();
    }

    async fn server_send(&mut self, bytes: &[u8]) {
        let w = self.server_w.as_mut().unwrap();
        w.write_all(bytes).await.unwrap();
        w.flush().await.unwrap();
    }

    async fn server_line(&mut self) -> Vec<u8> {
        read_line(&mut self.server_r).await
    }

    async fn client_line(&mut self) -> Vec<u8> {
        read_line(&mut self.client_r).await
    }

    /// What the binary does once the server exited: fail the calls still pending.
    async fn server_gone(&self) {
        let pump = self.pump.clone();
        tokio::task::spawn_blocking(move || pump.fail_pending("the server exited"))
            .await
            .unwrap();
    }

    /// Close both inputs, wait for the loops, fail what is pending, flush.
    async fn finish(mut self) -> Finished {
        self.client_w = None;
        self.server_w = None;
        for t in self.tasks.drain(..) {
            tokio::time::timeout(GUARD, t)
                .await
                .expect("pump loop ended")
                .unwrap()
                .unwrap();
        }
        let pump = self.pump.clone();
        tokio::task::spawn_blocking(move || {
            pump.fail_pending("the server exited before answering");
            pump.finish();
        })
        .await
        .unwrap();
        let mut rest = Vec::new();
        tokio::time::timeout(
            GUARD,
            tokio::io::AsyncReadExt::read_to_end(&mut self.client_r, &mut rest),
        )
        .await
        .unwrap()
        .unwrap();
        Finished {
            events: events_in(self.dir.path()),
            receipts: lines_in(self.dir.path(), "receipts-"),
            log_bytes: all_bytes(self.dir.path()),
            client_rest: rest,
            diag: self.diag.text(),
        }
    }
}

struct Finished {
    events: Vec<Value>,
    receipts: Vec<Value>,
    log_bytes: Vec<u8>,
    client_rest: Vec<u8>,
    diag: String,
}

async fn read_line(r: &mut tokio::io::BufReader<DuplexStream>) -> Vec<u8> {
    let mut buf = Vec::new();
    tokio::time::timeout(GUARD, r.read_until(b'\n', &mut buf))
        .await
        .expect("a line arrives")
        .unwrap();
    buf
}

fn json_line(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

fn lines_in(dir: &Path, prefix: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        for line in text.trim_start_matches('\u{feff}').lines() {
            if !line.trim().is_empty() {
                out.push(serde_json::from_str(line).unwrap());
            }
        }
    }
    out
}

fn events_in(dir: &Path) -> Vec<Value> {
    lines_in(dir, "events-")
}

/// Events in the order of their JSON-RPC ids (appends from the writer thread and from
/// the relay may interleave).
fn by_id(mut events: Vec<Value>) -> Vec<Value> {
    events.sort_by_key(|e| e["metadata"]["jsonrpc_id"].to_string());
    events
}

fn all_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            out.extend(std::fs::read(p).unwrap());
        }
    }
    out
}

/// One message as a line.
fn json_message(message: &Value) -> Vec<u8> {
    let mut v = serde_json::to_vec(message).unwrap();
    v.push(b'\n');
    v
}

fn call(id: &Value, tool: &str, args: &Value) -> Vec<u8> {
    json_message(
        &json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": tool, "arguments": args}}),
    )
}

fn answer(id: &Value, result: &Value) -> Vec<u8> {
    json_message(&json!({"jsonrpc": "2.0", "id": id, "result": result}))
}

fn config() -> Config {
    let mut cfg = Config::new("acme");
    cfg.pricing = Some(pricing());
    cfg.key = Some(Secret::from_text("test-key").unwrap());
    cfg
}

// ---------------------------------------------------------------- in-process pump

#[tokio::test]
async fn everything_but_tools_call_passes_byte_for_byte_both_ways() {
    let mut h = Harness::start(config());
    let to_server: Vec<&[u8]> = vec![
        b"{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"clientInfo\":{\"name\":\"agent-x\",\"version\":\"1\"}}}\n",
        b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\r\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":\"d\",\"method\":\"server/discover\",\"params\":{}}\n",
        b"{ \"jsonrpc\" : \"2.0\",  \"id\": 2, \"method\": \"tools/list\" }\n",
        b"\xEF\xBB\xBF{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}\n",
        b"not json at all\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"x\",\"params\":{\"s\":\"\xff\xfe\"}}\n",
        b"[{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"method\":\"n\"}]\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"result\":{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}}\n",
        b"\n",
    ];
    for line in &to_server {
        h.client_send(line).await;
        assert_eq!(h.server_line().await, *line, "client to server");
    }
    let to_client: Vec<&[u8]> = vec![
        b"{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"protocolVersion\":\"2025-06-18\"}}\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"method\":\"sampling/createMessage\",\"params\":{\"messages\":[]}}\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":\"e1\",\"method\":\"elicitation/create\",\"params\":{}}\r\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"roots/list\"}\n",
        b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":0.5}}\n",
        b"server log line \xc3\x28 with bad utf-8\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":12345,\"result\":{\"content\":[]}}\n",
    ];
    for line in &to_client {
        h.server_send(line).await;
        assert_eq!(h.client_line().await, *line, "server to client");
    }
    let f = h.finish().await;
    assert!(f.events.is_empty(), "nothing metered: {:?}", f.events);
    assert!(f.client_rest.is_empty());
}

#[tokio::test]
async fn calls_that_cannot_be_metered_never_reach_the_server() {
    let mut h = Harness::start(config());
    // Each is answered by the shim (-32600) with the id it can trust, and not forwarded.
    let cases: [(&[u8], Value); 7] = [
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":\"not an object\"}\n",
            json!(6),
        ),
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"arguments\":{}}}\n",
            json!(7),
        ),
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}\n",
            Value::Null,
        ),
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":1e400,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}\n",
            Value::Null,
        ),
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}\n",
            Value::Null,
        ),
        // A repeated key: readers disagree on which call this is.
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}\n",
            Value::Null,
        ),
        // Not UTF-8: some servers read it with replacement characters, and run it. Its one
        // id is usable.
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"s\":\"\xff\"}}}\n",
            json!(3),
        ),
    ];
    for (line, id) in &cases {
        h.client_send(line).await;
        let got = json_line(&h.client_line().await);
        assert_eq!(got["error"]["code"], -32600, "{got}");
        assert_eq!(got["id"], *id, "{got}");
    }
    // One usable id is echoed, even when something else repeats.
    h.client_send(b"{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}\n")
        .await;
    assert_eq!(json_line(&h.client_line().await)["id"], 11);
    // An id still pending: both would run, one answer would settle both.
    h.client_send(&call(&json!(12), "echo", &json!({}))).await;
    h.server_line().await;
    h.client_send(&call(&json!(12), "echo", &json!({}))).await;
    let dup = json_line(&h.client_line().await);
    assert_eq!(
        (dup["id"].clone(), dup["error"]["code"].clone()),
        (Value::Null, json!(-32600))
    );
    h.server_send(&answer(&json!(12), &json!({"content": []})))
        .await;
    h.client_line().await;
    // A notification (no id) gets no answer; a batch answers for its refused call.
    h.client_send(
        b"{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}\n",
    )
    .await;
    h.client_send(b"[{\"jsonrpc\":\"2.0\",\"id\":8,\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}},{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"ping\"}]\n")
        .await;
    let batch_answer = json_line(&h.client_line().await);
    assert_eq!(batch_answer[0]["error"]["code"], -32600, "{batch_answer}");
    // Only the batch's ping reached the server.
    assert_eq!(
        json_line(&h.server_line().await),
        json!([{"jsonrpc": "2.0", "id": 10, "method": "ping"}])
    );
    let f = h.finish().await;
    assert_eq!(f.events.len(), 1, "only call 12, once: {:?}", f.events);
    assert!(f.diag.contains("cannot meter"), "{}", f.diag);
}

#[tokio::test]
async fn ids_match_exactly_and_the_shims_answers_repeat_them() {
    let mut cfg = config();
    cfg.timeout = Some(Duration::from_millis(300));
    let mut h = Harness::start(cfg);
    // Two ids a double cannot tell apart.
    let (a, b) = (
        "123456789012345678901234567890",
        "123456789012345678901234567891",
    );
    for id in [a, b] {
        h.client_send(
            format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/call\",\"params\":{{\"name\":\"echo\"}}}}\n")
                .as_bytes(),
        )
        .await;
        h.server_line().await;
    }
    h.server_send(
        format!("{{\"jsonrpc\":\"2.0\",\"id\":{b},\"result\":{{\"content\":[]}}}}\n").as_bytes(),
    )
    .await;
    let answered = String::from_utf8(h.client_line().await).unwrap();
    assert!(answered.contains(&format!("\"id\":{b}")), "{answered}");
    assert!(answered.contains("mcpbill/receipt"), "{answered}");
    // The other times out: the shim's answer carries its id digit for digit.
    let timed_out = String::from_utf8(h.client_line().await).unwrap();
    assert!(timed_out.contains(&format!("\"id\":{a}")), "{timed_out}");
    // A server may answer 1 to 1.0.
    h.client_send(b"{\"jsonrpc\":\"2.0\",\"id\":1.0,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}\n")
        .await;
    h.server_line().await;
    answer_gets_receipt(&mut h, &json!(1)).await;
    let f = h.finish().await;
    let mut statuses: Vec<(String, String)> = f
        .events
        .iter()
        .map(|e| {
            (
                e["metadata"]["jsonrpc_id"].to_string(),
                e["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [
            (format!("\"{a}\""), "timeout".to_owned()),
            (format!("\"{b}\""), "success".to_owned()),
            ("1.0".to_owned(), "success".to_owned()),
        ]
    );
    assert!(!f.diag.contains("reused"), "{}", f.diag);
}

#[tokio::test]
async fn answers_the_probe_cannot_read_still_settle_their_calls() {
    let mut h = Harness::start(config());
    for id in 1..=4 {
        h.client_send(&call(&json!(id), "echo", &json!({}))).await;
        h.server_line().await;
    }
    let odd: [&[u8]; 4] = [
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[]},\"result\":{\"isError\":true}}\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":null}\n",
        // isError twice: charged one way, free the other.
        b"{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"content\":[],\"isError\":true,\"isError\":false}}\n",
    ];
    // (And `"error": null` beside a result is a success, below.)
    for line in odd {
        h.server_send(line).await;
        assert_eq!(h.client_line().await, line, "passed on unchanged");
    }
    let f = h.finish().await;
    let statuses: Vec<String> = by_id(f.events.clone())
        .iter()
        .map(|e| e["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        statuses,
        ["error", "error", "error", "error"],
        "{:?}",
        f.events
    );
    assert!(
        f.events.iter().all(|e| e["cost_microcents"] == 0),
        "{:?}",
        f.events
    );
    assert!(f.receipts.len() <= 4);
}

#[tokio::test]
async fn a_null_error_beside_a_result_is_a_success() {
    let mut h = Harness::start(config());
    h.client_send(&call(&json!(1), "echo", &json!({}))).await;
    h.server_line().await;
    h.server_send(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]},\"error\":null}\n")
        .await;
    let got = json_line(&h.client_line().await);
    assert!(
        got["result"]["_meta"]["mcpbill/receipt"].is_object(),
        "{got}"
    );
    let f = h.finish().await;
    assert_eq!(f.events[0]["status"], "success");
}

#[tokio::test]
async fn meta_entries_replace_a_peers_copies() {
    let mut h = Harness::start(config());
    h.client_send(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"_meta\":{\"progressToken\":5,\"mcpbill\\/agent_id\":\"victim\",\"mcpbill/agent_id\":\"victim\"}}}\n")
        .await;
    let forwarded = String::from_utf8(h.server_line().await).unwrap();
    assert_eq!(forwarded.matches("agent_id").count(), 1, "{forwarded}");
    let v: Value = serde_json::from_str(&forwarded).unwrap();
    assert_ne!(v["params"]["_meta"]["mcpbill/agent_id"], "victim");
    assert_eq!(v["params"]["_meta"]["progressToken"], 5);
    h.server_send(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[],\"_meta\":{\"mcpbill/receipt\":{\"fake\":true}}}}\n")
        .await;
    let answered = String::from_utf8(h.client_line().await).unwrap();
    assert_eq!(answered.matches("mcpbill/receipt").count(), 1, "{answered}");
    let v: Value = serde_json::from_str(&answered).unwrap();
    assert!(v["result"]["_meta"]["mcpbill/receipt"]["signature"].is_string());
    h.finish().await;
}

#[tokio::test]
async fn a_call_is_metered_with_its_meta_entries_and_receipt() {
    let mut h = Harness::start(config());
    h.client_send(b"{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"clientInfo\":{\"name\":\"agent-x\"}}}\n").await;
    h.server_line().await;
    let sent = b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"q\": 1.50, \"n\": 123456789012345678901234567890},\"_meta\":{\"progressToken\":\"p1\",\"mmcp/request\":\"req-from-client\"}}}\r\n";
    h.client_send(sent).await;
    let forwarded = h.server_line().await;
    assert_eq!(
        String::from_utf8(forwarded).unwrap(),
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"q\": 1.50, \"n\": 123456789012345678901234567890},\"_meta\":{\"progressToken\":\"p1\",\"mmcp/request\":\"req-from-client\",\"mcpbill/agent_id\":\"agent-x\",\"mcpbill/request_id\":\"req-from-client\"}}}\r\n"
    );
    // A string id that looks like the number is a different call.
    h.client_send(&call(&json!("7"), "tokens", &json!({})))
        .await;
    let fwd = json_line(&h.server_line().await);
    assert_eq!(fwd["params"]["_meta"]["mcpbill/agent_id"], "agent-x");
    let rid = fwd["params"]["_meta"]["mcpbill/request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(rid.len(), 36);

    let result = json!({"content": [{"type": "text", "text": "ok"}], "_meta": {"usage": {"input_tokens": 100, "output_tokens": 10}}});
    h.server_send(&answer(&json!("7"), &result)).await;
    let got = json_line(&h.client_line().await);
    assert_eq!(got["id"], "7");
    let receipt = got["result"]["_meta"]["mcpbill/receipt"].clone();
    assert_eq!(receipt["cost_microcents"], 100 * 10 + 10 * 30);
    assert_eq!(receipt["status"], "success");
    // The receipt verifies, and its hashes can be recomputed from what was exchanged.
    let key = Secret::from_text("test-key").unwrap();
    assert!(mcpbill::receipt::verify_value(&receipt, |_| Some(&key)).valid());
    assert_eq!(
        receipt["output_hash"],
        mcpbill::receipt::output_hash(&got["result"])
    );
    assert_eq!(
        receipt["input_hash"],
        mcpbill::receipt::content_hash(&json!({}))
    );
    let mut without = got["result"].clone();
    without["_meta"]
        .as_object_mut()
        .unwrap()
        .remove("mcpbill/receipt");
    assert_eq!(without, result);

    h.server_send(
        b"{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"bad\"}}\n",
    )
    .await;
    assert_eq!(
        h.client_line().await,
        b"{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"bad\"}}\n"
    );
    let f = h.finish().await;
    assert_eq!(f.events.len(), 2, "{:?}", f.events);
    let tokens = f.events.iter().find(|e| e["tool_id"] == "tokens").unwrap();
    assert_eq!(tokens["status"], "success");
    assert_eq!(tokens["agent_id"], "agent-x");
    assert_eq!(tokens["provider_id"], "acme");
    assert_eq!(tokens["input_tokens"], 100);
    assert_eq!(tokens["output_tokens"], 10);
    assert_eq!(tokens["cost_microcents"], 1300);
    assert_eq!(tokens["metadata"]["jsonrpc_id"], "7");
    assert_eq!(tokens["metadata"]["request_id"], rid.as_str());
    assert_eq!(tokens["metadata"]["category"], "search");
    assert_eq!(tokens["metadata"]["receipt_id"], receipt["receipt_id"]);
    let echo = f.events.iter().find(|e| e["tool_id"] == "echo").unwrap();
    assert_eq!(echo["status"], "error");
    assert_eq!(echo["cost_microcents"], 0);
    assert_eq!(echo["metadata"]["jsonrpc_id"], 7);
    assert_eq!(echo["metadata"]["error_code"], -32602);
    assert_eq!(echo["metadata"]["request_id"], "req-from-client");
    assert_eq!(f.receipts.len(), 2);
    for e in &f.events {
        mcpbill::meter::MeterEvent::from_value(e).expect("a valid spec event");
    }
}

#[tokio::test]
async fn statuses_tokens_and_the_free_tier() {
    let mut h = Harness::start(config());
    let cases = [
        ("fail", json!({"content": [], "isError": true}), "error", 0),
        (
            "metered",
            json!({"content": [], "_meta": {"mmcp/metering": "request=1, token=345"}}),
            "success",
            345 * 30,
        ),
        ("tokens", json!({"content": []}), "success", 0),
        ("tiered", json!({"content": []}), "success", 0),
        ("tiered", json!({"content": []}), "success", 0),
        ("tiered", json!({"content": []}), "success", 10_000),
        ("unpriced", json!({"content": []}), "success", 0),
    ];
    for (i, (tool, result, _, _)) in cases.iter().enumerate() {
        h.client_send(&call(&json!(i), tool, &json!({}))).await;
        h.server_line().await;
        h.server_send(&answer(&json!(i), result)).await;
        h.client_line().await;
    }
    let mut f = h.finish().await;
    f.events = by_id(f.events);
    assert_eq!(f.events.len(), cases.len());
    for (i, (tool, _, status, cost)) in cases.iter().enumerate() {
        let e = &f.events[i];
        assert_eq!(
            (
                e["tool_id"].as_str().unwrap(),
                e["status"].as_str().unwrap()
            ),
            (*tool, *status),
            "{e}"
        );
        assert_eq!(e["cost_microcents"], *cost, "{e}");
    }
    assert_eq!(f.events[1]["output_tokens"], 345);
    assert_eq!(f.events[2]["metadata"]["tokens_unreported"], true);
    assert_eq!(f.events[3]["metadata"]["free_tier"], true);
    assert_eq!(f.events[5]["metadata"]["free_tier"], false);
}

/// A token report that is not whole numbers, or names a count twice, is billed as not
/// reported, with the reason on stderr (it was read as 0 tokens, or summed, in silence);
/// a count written `25.0` is 25 tokens.
#[tokio::test]
async fn token_reports_that_cannot_be_billed_are_flagged() {
    let mut h = Harness::start(config());
    let cases = [
        json!({"usage": {"input_tokens": 1.5, "output_tokens": 2}}),
        json!({"usage": {"input_tokens": "7", "output_tokens": 2}}),
        json!({"mmcp/metering": "token=5, token=7"}),
        json!({"usage": {"input_tokens": 25.0, "output_tokens": 2}}),
    ];
    for (i, meta) in cases.iter().enumerate() {
        h.client_send(&call(&json!(i), "tokens", &json!({}))).await;
        h.server_line().await;
        h.server_send(&answer(&json!(i), &json!({"content": [], "_meta": meta})))
            .await;
        h.client_line().await;
    }
    let mut f = h.finish().await;
    f.events = by_id(f.events);
    for e in &f.events[..3] {
        assert_eq!(e["metadata"]["tokens_unreported"], true, "{e}");
        assert_eq!(e["cost_microcents"], 0, "{e}");
    }
    assert_eq!(f.events[3]["cost_microcents"], 25 * 10 + 2 * 30);
    assert!(f.events[3]["metadata"].get("tokens_unreported").is_none());
    for why in [
        "usage.input_tokens is 1.5, not a whole number",
        "usage.input_tokens is \"7\"",
        "names the output tokens twice (token and token)",
    ] {
        assert!(f.diag.contains(why), "{why}: {}", f.diag);
    }
}

#[tokio::test]
async fn batches_are_metered_element_by_element() {
    let mut h = Harness::start(config());
    h.client_send(b"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{}}},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]\n").await;
    let fwd = json_line(&h.server_line().await);
    assert_eq!(fwd[0]["params"]["_meta"]["mcpbill/agent_id"], "anonymous");
    assert_eq!(fwd[1], json!({"jsonrpc": "2.0", "id": 2, "method": "ping"}));
    h.server_send(b"[{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}},{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}}]\n").await;
    let got = json_line(&h.client_line().await);
    assert_eq!(got[0], json!({"jsonrpc": "2.0", "id": 2, "result": {}}));
    assert_eq!(
        got[1]["result"]["_meta"]["mcpbill/receipt"]["cost_microcents"],
        50_000
    );
    let f = h.finish().await;
    assert_eq!(f.events.len(), 1);
    assert_eq!(f.events[0]["cost_microcents"], 50_000);
}

#[tokio::test]
async fn meta_entries_can_be_switched_off() {
    let mut cfg = config();
    cfg.request_meta = false;
    cfg.receipt_meta = false;
    let mut h = Harness::start(cfg);
    let req = call(&json!(1), "echo", &json!({"a": [1, 2]}));
    h.client_send(&req).await;
    assert_eq!(h.server_line().await, req);
    let ans = answer(&json!(1), &json!({"content": []}));
    h.server_send(&ans).await;
    assert_eq!(h.client_line().await, ans);
    let f = h.finish().await;
    assert_eq!(f.events.len(), 1);
    assert_eq!(f.receipts.len(), 1);
}

#[tokio::test]
async fn a_one_megabyte_argument_passes_intact() {
    let mut cfg = config();
    cfg.record_params = mcpbill::pricing::RecordMode::Full;
    let mut h = Harness::start(cfg);
    let blob: String = (0..1_000_000u32)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let args = json!({"blob": blob, "nested": {"n": 1.25e3, "s": "\u{e9}\n"}});
    h.client_send(&call(&json!(1), "echo", &args)).await;
    let fwd = json_line(&h.server_line().await);
    assert_eq!(fwd["params"]["arguments"], args);
    let result = json!({"content": [{"type": "text", "text": blob}]});
    h.server_send(&answer(&json!(1), &result)).await;
    let got = json_line(&h.client_line().await);
    assert_eq!(got["result"]["content"], result["content"]);
    let receipt = &got["result"]["_meta"]["mcpbill/receipt"];
    assert_eq!(receipt["input_hash"], mcpbill::receipt::content_hash(&args));
    assert_eq!(
        receipt["output_hash"],
        mcpbill::receipt::output_hash(&got["result"])
    );
    let f = h.finish().await;
    assert_eq!(f.events[0]["metadata"]["params"], args);
}

#[tokio::test]
async fn an_oversized_line_is_dropped_answered_and_recorded() {
    let mut cfg = config();
    cfg.max_line_bytes = 1024;
    let mut h = Harness::start(cfg);
    h.client_send(&call(
        &json!("big"),
        "echo",
        &json!({"blob": "x".repeat(5000)}),
    ))
    .await;
    let err = json_line(&h.client_line().await);
    assert_eq!(err["id"], "big");
    assert_eq!(err["error"]["code"], -32003);
    // A batch: its requests cannot be told apart, one error (id null) says why.
    let mut batch = b"[".to_vec();
    for i in 0..20 {
        if i > 0 {
            batch.push(b',');
        }
        batch.extend_from_slice(&call(&json!(100 + i), "echo", &json!({"n": i}))[..]);
        batch.pop();
    }
    batch.extend_from_slice(b"]\n");
    h.client_send(&batch).await;
    let err = json_line(&h.client_line().await);
    assert_eq!(
        (err["id"].clone(), err["error"]["code"].clone()),
        (Value::Null, json!(-32003))
    );
    // The stream is in sync again: the next line passes.
    h.client_send(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n")
        .await;
    assert_eq!(
        h.server_line().await,
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n"
    );
    // An oversized answer to a pending call fails that call.
    h.client_send(&call(&json!(2), "echo", &json!({}))).await;
    h.server_line().await;
    h.server_send(&answer(
        &json!(2),
        &json!({"content": [{"type": "text", "text": "y".repeat(5000)}]}),
    ))
    .await;
    let err = json_line(&h.client_line().await);
    assert_eq!(
        (err["id"].clone(), err["error"]["code"].clone()),
        (json!(2), json!(-32003))
    );
    let f = h.finish().await;
    assert_eq!(f.events.len(), 2, "{:?}", f.events);
    assert!(
        f.events
            .iter()
            .all(|e| e["status"] == "error" && e["tool_id"] == "echo")
    );
    assert!(f.diag.contains("--max-line-bytes"), "{}", f.diag);
}

#[tokio::test]
async fn a_timed_out_call_is_answered_and_its_late_answer_dropped() {
    let mut cfg = config();
    cfg.timeout = Some(Duration::from_millis(200));
    let mut h = Harness::start(cfg);
    h.client_send(&call(&json!(1), "echo", &json!({}))).await;
    h.server_line().await;
    let err = json_line(&h.client_line().await);
    assert_eq!(
        (err["id"].clone(), err["error"]["code"].clone()),
        (json!(1), json!(-32001))
    );
    h.server_send(&answer(&json!(1), &json!({"content": []})))
        .await;
    // A marker proves the late answer went by without reaching the client.
    h.server_send(MARKER).await;
    assert_eq!(h.client_line().await, MARKER);
    let f = h.finish().await;
    assert_eq!(f.events.len(), 1, "{:?}", f.events);
    assert_eq!(f.events[0]["status"], "timeout");
    assert_eq!(f.events[0]["cost_microcents"], 0);
    assert_eq!(
        f.events[0]["metadata"]["error_code"], -32001,
        "the code the client got"
    );
    assert!(f.diag.contains("late answer"), "{}", f.diag);
}

#[tokio::test]
async fn a_cancelled_call_is_recorded_and_its_late_answer_dropped() {
    let mut h = Harness::start(config());
    h.client_send(&call(&json!("c"), "echo", &json!({}))).await;
    h.server_line().await;
    let cancel = b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"c\",\"reason\":\"user\"}}\n";
    h.client_send(cancel).await;
    assert_eq!(h.server_line().await, cancel);
    h.server_send(&answer(&json!("c"), &json!({"content": []})))
        .await;
    h.server_send(MARKER).await;
    assert_eq!(h.client_line().await, MARKER);
    let f = h.finish().await;
    assert_eq!(f.events.len(), 1, "{:?}", f.events);
    assert_eq!(f.events[0]["status"], "error");
    assert_eq!(f.events[0]["metadata"]["cancelled"], true);
    assert_eq!(f.events[0]["cost_microcents"], 0);
}

/// A `tools/call` asking for a task (`params.task`, MCP 2025-11-25 tasks).
fn task_call(id: &Value, tool: &str) -> Vec<u8> {
    json_message(&json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": tool, "arguments": {"q": "x"}, "task": {"ttl": 60000}}}))
}

fn request(id: &Value, method: &str, params: &Value) -> Vec<u8> {
    json_message(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
}

fn notification(method: &str, params: &Value) -> Vec<u8> {
    json_message(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
}

/// The server tells that a task completed (2025-11-25 tasks), without its result.
async fn server_says_completed(h: &mut Harness, task: &str) {
    let status = json!({"taskId": task, "status": "completed"});
    server_passes(h, &notification("notifications/tasks/status", &status)).await;
}

/// Relay `bytes` from the server and check the client gets them unchanged.
async fn server_passes(h: &mut Harness, bytes: &[u8]) {
    h.server_send(bytes).await;
    assert_eq!(
        String::from_utf8_lossy(&h.client_line().await),
        String::from_utf8_lossy(bytes)
    );
}

/// Relay `bytes` from the client and check the server gets them unchanged.
async fn client_passes(h: &mut Harness, bytes: &[u8]) {
    h.client_send(bytes).await;
    assert_eq!(
        String::from_utf8_lossy(&h.server_line().await),
        String::from_utf8_lossy(bytes)
    );
}

/// A call the server runs as a task (2025-11-25) is settled by the task's result, fetched
/// with `tasks/result`: the creation passes unchanged, the result gets the receipt, and
/// the duration runs to the status that ended the task.
#[tokio::test]
async fn a_task_is_metered_by_its_result_not_its_creation() {
    let mut h = Harness::start(config());
    h.client_send(&task_call(&json!(1), "echo")).await;
    h.server_line().await;
    let created = json!({"task": {"taskId": "t-1", "status": "working",
        "createdAt": "2026-12-01T00:00:00Z", "lastUpdatedAt": "2026-12-01T00:00:00Z", "ttl": 60000}});
    server_passes(&mut h, &answer(&json!(1), &created)).await;
    // Without `params.task`, a result that merely has a `task` member is the tool's result.
    h.client_send(&call(&json!(2), "echo", &json!({}))).await;
    h.server_line().await;
    h.server_send(&answer(
        &json!(2),
        &json!({"content": [], "task": {"taskId": "t-2"}}),
    ))
    .await;
    let plain = json_line(&h.client_line().await);
    assert!(
        plain["result"]["_meta"]["mcpbill/receipt"].is_object(),
        "{plain}"
    );

    // Polling, and a status notification: all unchanged.
    client_passes(
        &mut h,
        &request(&json!("g"), "tasks/get", &json!({"taskId": "t-1"})),
    )
    .await;
    server_passes(
        &mut h,
        &answer(
            &json!("g"),
            &json!({"taskId": "t-1", "status": "working", "ttl": 60000}),
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(30)).await;
    server_says_completed(&mut h, "t-1").await;
    // The result is fetched later: the duration ended with the status above.
    tokio::time::sleep(Duration::from_millis(500)).await;
    client_passes(
        &mut h,
        &request(&json!("r"), "tasks/result", &json!({"taskId": "t-1"})),
    )
    .await;
    let result = json!({"content": [{"type": "text", "text": "done"}],
        "_meta": {"io.modelcontextprotocol/related-task": {"taskId": "t-1"}}});
    h.server_send(&answer(&json!("r"), &result)).await;
    let got = json_line(&h.client_line().await);
    assert_eq!(got["id"], "r");
    let receipt = got["result"]["_meta"]["mcpbill/receipt"].clone();
    assert_eq!(receipt["status"], "success");
    assert_eq!(receipt["cost_microcents"], 50_000);
    let key = Secret::from_text("test-key").unwrap();
    assert!(mcpbill::receipt::verify_value(&receipt, |_| Some(&key)).valid());
    assert_eq!(
        receipt["output_hash"],
        mcpbill::receipt::output_hash(&result)
    );
    assert_eq!(
        receipt["input_hash"],
        mcpbill::receipt::content_hash(&json!({"q": "x"}))
    );

    let f = h.finish().await;
    let events = by_id(f.events);
    assert_eq!(events.len(), 2, "{events:?}");
    let task = &events[0];
    assert_eq!(task["metadata"]["jsonrpc_id"], 1, "{task}");
    assert_eq!(task["status"], "success");
    assert_eq!(task["cost_microcents"], 50_000);
    assert_eq!(task["metadata"]["task_id"], "t-1");
    assert_eq!(task["metadata"]["receipt_id"], receipt["receipt_id"]);
    let ms = task["duration_ms"].as_u64().unwrap();
    assert!((30..500).contains(&ms), "{task}");
    assert!(
        events[1]["metadata"].get("task_id").is_none(),
        "{}",
        events[1]
    );
    assert_eq!(f.receipts.len(), 2);
}

/// The Tasks extension (protocol 2026-07-28) delivers a task's outcome in its state: a
/// `tasks/get` answer or a `notifications/tasks` carries the result or the error.
#[tokio::test]
async fn the_tasks_extension_settles_calls_from_task_states() {
    let mut h = Harness::start(config());
    for (id, task) in [(1, "a"), (2, "b"), (3, "c"), (4, "d")] {
        h.client_send(&call(&json!(id), "echo", &json!({}))).await;
        h.server_line().await;
        let created = json!({"resultType": "task", "taskId": task, "status": "working",
            "createdAt": "2026-12-01T00:00:00Z", "lastUpdatedAt": "2026-12-01T00:00:00Z", "ttlMs": null});
        server_passes(&mut h, &answer(&json!(id), &created)).await;
    }
    // a: completed, its result in the tasks/get answer, which gets the receipt.
    client_passes(
        &mut h,
        &request(&json!(10), "tasks/get", &json!({"taskId": "a"})),
    )
    .await;
    let inner = json!({"content": [{"type": "text", "text": "a done"}]});
    h.server_send(&answer(
        &json!(10),
        &json!({"taskId": "a", "status": "completed", "result": inner}),
    ))
    .await;
    let got = json_line(&h.client_line().await);
    let receipt = got["result"]["result"]["_meta"]["mcpbill/receipt"].clone();
    assert_eq!(receipt["status"], "success", "{got}");
    assert_eq!(
        receipt["output_hash"],
        mcpbill::receipt::output_hash(&inner)
    );
    // b: failed, in a notification.
    server_passes(
        &mut h,
        &notification(
            "notifications/tasks",
            &json!({"taskId": "b", "status": "failed",
            "error": {"code": -32603, "message": "boom"}}),
        ),
    )
    .await;
    // c: cancelled by the client.
    client_passes(
        &mut h,
        &request(&json!(11), "tasks/cancel", &json!({"taskId": "c"})),
    )
    .await;
    server_passes(
        &mut h,
        &answer(&json!(11), &json!({"taskId": "c", "status": "cancelled"})),
    )
    .await;
    // d: completed, its result in a notification, which gets the receipt; a later
    // tasks/get with the same result passes unchanged.
    let inner_d = json!({"content": [{"type": "text", "text": "d done"}], "_meta": {"k": 1}});
    h.server_send(&notification(
        "notifications/tasks",
        &json!({"taskId": "d", "status": "completed", "result": inner_d}),
    ))
    .await;
    let got = json_line(&h.client_line().await);
    assert_eq!(got["params"]["result"]["_meta"]["k"], 1, "{got}");
    assert!(
        got["params"]["result"]["_meta"]["mcpbill/receipt"].is_object(),
        "{got}"
    );
    client_passes(
        &mut h,
        &request(&json!(12), "tasks/get", &json!({"taskId": "d"})),
    )
    .await;
    server_passes(
        &mut h,
        &answer(
            &json!(12),
            &json!({"taskId": "d", "status": "completed", "result": inner_d}),
        ),
    )
    .await;

    let f = h.finish().await;
    let events = by_id(f.events);
    let seen: Vec<(String, String, u64)> = events
        .iter()
        .map(|e| {
            (
                e["metadata"]["task_id"].as_str().unwrap().to_owned(),
                e["status"].as_str().unwrap().to_owned(),
                e["cost_microcents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("a".to_owned(), "success".to_owned(), 50_000),
            ("b".to_owned(), "error".to_owned(), 0),
            ("c".to_owned(), "error".to_owned(), 0),
            ("d".to_owned(), "success".to_owned(), 50_000),
        ],
        "{events:?}"
    );
    assert_eq!(events[1]["metadata"]["error_code"], -32603);
    assert_eq!(events[1]["metadata"]["error_message"], "boom");
    assert_eq!(events[2]["metadata"]["cancelled"], true);
}

/// A task whose outcome the shim never saw is an unpaid error when the session ends, and
/// until then, or until its ttl passes, it counts against the budget like any call in
/// flight.
#[tokio::test]
async fn open_tasks_count_in_flight_and_end_unpaid() {
    let mut cfg = config();
    cfg.agent_id = Some("a".into());
    cfg.budget = Some(mcpbill::money::Microcents::parse("$0.12").unwrap());
    let mut h = Harness::start(cfg);
    for id in [1, 2] {
        h.client_send(&task_call(&json!(id), "echo")).await;
        h.server_line().await;
        let ttl = if id == 2 { json!(300) } else { json!(null) };
        let created =
            json!({"task": {"taskId": format!("t-{id}"), "status": "working", "ttl": ttl}});
        server_passes(&mut h, &answer(&json!(id), &created)).await;
    }
    // $0.10 in flight as tasks: another $0.05 call does not fit.
    h.client_send(&call(&json!(3), "echo", &json!({}))).await;
    let err = json_line(&h.client_line().await);
    assert_eq!(err["error"]["data"]["reason"], "budget", "{err}");
    // Until a task's ttl passes (t-2's is 300 ms): its result can no longer be fetched.
    tokio::time::sleep(Duration::from_millis(400)).await;
    h.client_send(&call(&json!(5), "echo", &json!({}))).await;
    h.server_line().await;
    answer_gets_receipt(&mut h, &json!(5)).await;
    // The server says t-1 completed, but the client never fetches the result.
    server_says_completed(&mut h, "t-1").await;
    let f = h.finish().await;
    let events = by_id(f.events);
    assert_eq!(events.len(), 4, "{events:?}");
    assert_eq!(events[3]["metadata"]["jsonrpc_id"], 5);
    assert_eq!(events[3]["cost_microcents"], 50_000);
    for e in [&events[0], &events[1]] {
        assert_eq!(e["status"], "error", "{e}");
        assert_eq!(e["cost_microcents"], 0, "{e}");
        assert!(
            e["metadata"]["error_message"]
                .as_str()
                .unwrap()
                .contains("before the task's outcome was seen"),
            "{e}"
        );
    }
    assert_eq!(events[0]["metadata"]["task_id"], "t-1");
    assert_eq!(events[2]["metadata"]["refused"], "budget");
}

/// Protocol 2026-07-28 clients name themselves in `_meta` (`server/discover` has no
/// `params.clientInfo`, and every request carries the client's info): that name is the
/// agent, the call's own first.
#[tokio::test]
async fn the_agent_is_the_client_named_in_meta_by_the_newer_protocol() {
    let mut cfg = config();
    cfg.key = None;
    let mut h = Harness::start(cfg);
    let info = |name: &str| {
        json!({"io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": name, "version": "2"}})
    };
    client_passes(
        &mut h,
        &request(
            &json!(1),
            "server/discover",
            &json!({"_meta": info("sdk|two")}),
        ),
    )
    .await;
    // A call without `_meta` is the handshake's client's.
    h.client_send(&call(&json!(2), "echo", &json!({}))).await;
    h.server_line().await;
    let with_meta = |id: u64, name: &str| {
        json_message(&json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": "echo", "arguments": {}, "_meta": info(name)}}))
    };
    h.client_send(&with_meta(3, "other-client")).await;
    h.server_line().await;
    for id in [2, 3] {
        h.server_send(&answer(&json!(id), &json!({"content": []})))
            .await;
        h.client_line().await;
    }
    let f = h.finish().await;
    let agents: Vec<_> = by_id(f.events)
        .iter()
        .map(|e| e["agent_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(agents, ["sdk_two", "other-client"]);
}

/// A `tools/call` request of a call's next round (protocol 2026-07-28), sending back
/// the `requestState` the server gave.
fn next_round(id: &Value, tool: &str, state: &str) -> Vec<u8> {
    json_message(&json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": tool, "arguments": {}, "inputResponses": {"q": {"action": "accept"}},
            "requestState": state}}))
}

fn input_required(state: Option<&str>) -> Value {
    let mut v = json!({"resultType": "input_required", "inputRequests": {"q": {
        "method": "elicitation/create", "params": {"message": "which?", "requestedSchema": {"type": "object"}}}}});
    if let Some(s) = state {
        v["requestState"] = json!(s);
    }
    v
}

/// An `input_required` answer settles nothing: it passes unchanged, and the call goes on
/// in the request that sends its `requestState` back, charged once, timed from its first
/// request, and not counted again by the rate limit.
#[tokio::test]
async fn a_call_asking_for_input_goes_on_in_its_next_round() {
    let mut cfg = config();
    cfg.rate_limit = Some(RateLimit::parse("1/h").unwrap());
    let mut h = Harness::start(cfg);
    h.client_send(&call(&json!(1), "echo", &json!({}))).await;
    let first = json_line(&h.server_line().await);
    let rid = first["params"]["_meta"]["mcpbill/request_id"].clone();
    server_passes(&mut h, &answer(&json!(1), &input_required(Some("st-1")))).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    // The next round: forwarded (the rate limit of 1 call an hour is not hit again), with
    // the call's request id.
    h.client_send(&next_round(&json!(2), "echo", "st-1")).await;
    let second = json_line(&h.server_line().await);
    assert_eq!(second["params"]["_meta"]["mcpbill/request_id"], rid);
    // A third round, then the result.
    server_passes(&mut h, &answer(&json!(2), &input_required(Some("st-2")))).await;
    h.client_send(&next_round(&json!(3), "echo", "st-2")).await;
    h.server_line().await;
    h.server_send(&answer(
        &json!(3),
        &json!({"content": [], "resultType": "complete"}),
    ))
    .await;
    let done = json_line(&h.client_line().await);
    let receipt = &done["result"]["_meta"]["mcpbill/receipt"];
    assert_eq!(receipt["cost_microcents"], 50_000, "{done}");
    // A new call is a new call for the rate limit.
    h.client_send(&call(&json!(4), "echo", &json!({}))).await;
    let refused = json_line(&h.client_line().await);
    assert_eq!(
        refused["error"]["data"]["reason"], "rate_limit",
        "{refused}"
    );

    let f = h.finish().await;
    let events = by_id(f.events);
    assert_eq!(events.len(), 2, "{events:?}");
    let e = &events[0];
    assert_eq!(e["status"], "success");
    assert_eq!(e["metadata"]["jsonrpc_id"], 3);
    assert_eq!(e["metadata"]["rounds"], 3);
    assert_eq!(e["metadata"]["request_id"], rid);
    assert!(e["duration_ms"].as_u64().unwrap() >= 50, "{e}");
    assert_eq!(e["metadata"]["receipt_id"], receipt["receipt_id"]);
    assert_eq!(events[1]["status"], "rate_limited");
    assert_eq!(f.receipts.len(), 2);
}

/// A call whose next round never comes is an unpaid error when the session ends; an
/// `input_required` answer without a `requestState` cannot be followed, and its call
/// leaves no event (the client's next request is a call of its own), nor can a call of
/// another tool that sends the state back.
#[tokio::test]
async fn a_call_left_waiting_for_input_ends_unpaid() {
    let mut h = Harness::start(config());
    h.client_send(&call(&json!(1), "echo", &json!({}))).await;
    h.server_line().await;
    server_passes(&mut h, &answer(&json!(1), &input_required(Some("st-1")))).await;
    h.client_send(&call(&json!(2), "echo", &json!({}))).await;
    h.server_line().await;
    server_passes(&mut h, &answer(&json!(2), &input_required(None))).await;
    // Another tool sending that state back is not the call's next round.
    h.client_send(&next_round(&json!(3), "tokens", "st-1"))
        .await;
    h.server_line().await;
    h.server_send(&answer(&json!(3), &json!({"content": []})))
        .await;
    h.client_line().await;
    let f = h.finish().await;
    let events = by_id(f.events);
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[1]["tool_id"], "tokens");
    assert!(
        events[1]["metadata"].get("rounds").is_none(),
        "{}",
        events[1]
    );
    let e = &events[0];
    assert_eq!(e["metadata"]["jsonrpc_id"], 1);
    assert_eq!(e["status"], "error");
    assert_eq!(e["cost_microcents"], 0);
    assert_eq!(e["metadata"]["input_required"], true);
}

/// Each event's `metadata[key]`, status and cost.
fn outcomes(events: &[Value], key: &str) -> Vec<(Value, Value, Value)> {
    events
        .iter()
        .map(|e| {
            (
                e["metadata"][key].clone(),
                e["status"].clone(),
                e["cost_microcents"].clone(),
            )
        })
        .collect()
}

/// The server answers call `id`, and the client gets the answer with its receipt.
async fn answer_gets_receipt(h: &mut Harness, id: &Value) {
    h.server_send(&answer(id, &json!({"content": []}))).await;
    let got = json_line(&h.client_line().await);
    assert!(
        got["result"]["_meta"]["mcpbill/receipt"].is_object(),
        "{got}"
    );
}

/// What a shim refused: an error with `-32600` that says why, and nothing forwarded
/// (checked by the marker the server sends next).
async fn refused(h: &mut Harness, why: &str) -> Value {
    let err = json_line(&h.client_line().await);
    assert_eq!(err["error"]["code"], -32600, "{err}");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(message.contains(why), "{err}");
    h.server_send(MARKER).await;
    assert_eq!(h.client_line().await, MARKER);
    err
}

/// A task request that cannot be matched to its task and its answer is refused, so its
/// answer cannot bring a result past the meter; requests about a task are followed even
/// when they arrive before the answer that creates it; an error about the request
/// itself does not settle the task.
#[tokio::test]
async fn task_requests_cannot_take_a_result_past_the_meter() {
    let mut h = Harness::start(config());
    // The call and a request for its result, in one write: the task is not known yet.
    let mut both = task_call(&json!(1), "echo");
    both.extend(request(
        &json!(2),
        "tasks/result",
        &json!({"taskId": "t-1"}),
    ));
    h.client_send(&both).await;
    h.server_line().await;
    h.server_line().await;
    server_passes(
        &mut h,
        &answer(
            &json!(1),
            &json!({"task": {"taskId": "t-1", "status": "working"}}),
        ),
    )
    .await;
    // A repeated key in the params, and a repeated params member: refused.
    h.client_send(b"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tasks/result\",\"params\":{\"taskId\":\"t-1\",\"taskId\":\"t-1\"}}\n").await;
    refused(&mut h, "task id").await;
    h.client_send(b"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tasks/result\",\"params\":{\"taskId\":\"t-1\"},\"params\":{\"taskId\":\"t-1\"}}\n").await;
    refused(&mut h, "repeats a key").await;
    // An id that cannot be matched: refused.
    h.client_send(&request(
        &json!(null),
        "tasks/result",
        &json!({"taskId": "t-1"}),
    ))
    .await;
    refused(&mut h, "id").await;
    // Another request with the id of the one still waiting: refused.
    h.client_send(&request(&json!(2), "ping", &json!({}))).await;
    refused(&mut h, "still pending").await;
    // A request the server finds invalid: its error does not settle the task.
    client_passes(
        &mut h,
        &request(
            &json!(5),
            "tasks/result",
            &json!({"taskId": "t-1", "_meta": 0}),
        ),
    )
    .await;
    let invalid =
        b"{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32602,\"message\":\"bad _meta\"}}\n";
    server_passes(&mut h, invalid).await;
    // The result, to the first request: charged, with the receipt.
    h.server_send(&answer(
        &json!(2),
        &json!({"content": [{"type": "text", "text": "r"}]}),
    ))
    .await;
    let got = json_line(&h.client_line().await);
    assert_eq!(
        got["result"]["_meta"]["mcpbill/receipt"]["status"], "success",
        "{got}"
    );
    let f = h.finish().await;
    assert_eq!(f.events.len(), 1, "{:?}", f.events);
    assert_eq!(f.events[0]["status"], "success");
    assert_eq!(f.events[0]["cost_microcents"], 50_000);
}

/// A request reusing the id of a call still pending is refused: the answer to it would
/// settle the call, and the call's own answer would then pass unbilled.
#[tokio::test]
async fn a_request_reusing_a_pending_calls_id_is_refused() {
    let mut h = Harness::start(config());
    h.client_send(&call(&json!(7), "echo", &json!({}))).await;
    h.server_line().await;
    h.client_send(&request(&json!(7), "bogus/method", &json!({})))
        .await;
    refused(&mut h, "still pending").await;
    answer_gets_receipt(&mut h, &json!(7)).await;
    let f = h.finish().await;
    assert_eq!(f.events.len(), 1);
    assert_eq!(f.events[0]["status"], "success");
}

/// A call whose tool name cannot be a receipt's `tool_id` (empty, or with the separator
/// `|`) is metered without a receipt, said on stderr: `receipt verify` refuses both, so
/// a receipt for it would never verify.
#[tokio::test]
async fn a_tool_name_a_receipt_cannot_carry_gets_no_receipt() {
    let mut h = Harness::start(config());
    for (id, name) in [(1, ""), (2, "a|b")] {
        h.client_send(&call(&json!(id), name, &json!({}))).await;
        h.server_line().await;
        h.server_send(&answer(&json!(id), &json!({"content": []})))
            .await;
        let got = json_line(&h.client_line().await);
        assert!(
            got["result"]["_meta"].get("mcpbill/receipt").is_none(),
            "{got}"
        );
    }
    let f = h.finish().await;
    assert_eq!(f.events.len(), 2, "{:?}", f.events);
    assert!(f.receipts.is_empty(), "{:?}", f.receipts);
    assert!(f.diag.contains("field 'tool_id' is empty"), "{}", f.diag);
    assert!(f.diag.contains("the separator '|'"), "{}", f.diag);
}

/// A call reusing the id of another request still pending (not a call) is refused: that
/// request's answer would settle the call (a paid result then passed unrecorded, or the
/// other method's answer charged). Once that request is answered, its id is free again.
#[tokio::test]
async fn a_call_reusing_a_pending_requests_id_is_refused() {
    let mut h = Harness::start(config());
    client_passes(&mut h, &request(&json!(7), "nope", &json!({}))).await;
    h.client_send(&call(&json!(7), "echo", &json!({}))).await;
    refused(&mut h, "another request still pending").await;
    // The same in a batch, and with the id written as a string.
    client_passes(&mut h, &request(&json!("a"), "resources/list", &json!({}))).await;
    h.client_send(
        format!(
            "[{}]\n",
            String::from_utf8(call(&json!("a"), "echo", &json!({})))
                .unwrap()
                .trim()
        )
        .as_bytes(),
    )
    .await;
    let got = json_line(&h.client_line().await);
    assert!(
        got.to_string().contains("another request still pending"),
        "{got}"
    );
    let unknown =
        b"{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,\"message\":\"no such method\"}}\n";
    server_passes(&mut h, unknown).await;
    h.client_send(&call(&json!(7), "echo", &json!({}))).await;
    h.server_line().await;
    answer_gets_receipt(&mut h, &json!(7)).await;
    let f = h.finish().await;
    assert_eq!(f.events.len(), 1, "{:?}", f.events);
    assert_eq!(f.events[0]["status"], "success");
}

/// One task id given to two calls settles one of them, once: the later call follows the
/// task, the earlier ends unpaid. A task state whose result has a `_meta` that is not an
/// object passes unchanged (the receipt is in the log), never with the receipt put
/// into the state around it.
#[tokio::test]
async fn task_edge_cases_charge_once_and_keep_receipts_in_results() {
    let mut h = Harness::start(config());
    for id in [1, 2] {
        h.client_send(&task_call(&json!(id), "echo")).await;
        h.server_line().await;
        server_passes(
            &mut h,
            &answer(
                &json!(id),
                &json!({"task": {"taskId": "same", "status": "working"}}),
            ),
        )
        .await;
    }
    client_passes(
        &mut h,
        &request(&json!(3), "tasks/result", &json!({"taskId": "same"})),
    )
    .await;
    h.server_send(&answer(&json!(3), &json!({"content": []})))
        .await;
    assert!(json_line(&h.client_line().await)["result"]["_meta"]["mcpbill/receipt"].is_object());
    // The Tasks extension, a result whose `_meta` is null.
    h.client_send(&call(&json!(4), "echo", &json!({}))).await;
    h.server_line().await;
    server_passes(
        &mut h,
        &answer(
            &json!(4),
            &json!({"resultType": "task", "taskId": "x", "status": "working"}),
        ),
    )
    .await;
    client_passes(
        &mut h,
        &request(&json!(5), "tasks/get", &json!({"taskId": "x"})),
    )
    .await;
    let state =
        json!({"taskId": "x", "status": "completed", "result": {"content": [], "_meta": null}});
    server_passes(&mut h, &answer(&json!(5), &state)).await;
    let f = h.finish().await;
    let events = by_id(f.events);
    let seen = outcomes(&events, "jsonrpc_id");
    assert_eq!(
        seen,
        [
            (json!(1), json!("error"), json!(0)),
            (json!(2), json!("success"), json!(50_000)),
            (json!(4), json!("success"), json!(50_000)),
        ],
        "{events:?}"
    );
    assert!(
        events[0]["metadata"]["error_message"]
            .as_str()
            .unwrap()
            .contains("later call"),
        "{}",
        events[0]
    );
    assert_eq!(f.receipts.len(), 3);
}

/// A `requestState` the server gives twice: the later call waits on it, the earlier one
/// ends unpaid, and the next round goes on with the later.
#[tokio::test]
async fn a_request_state_given_twice_belongs_to_the_later_call() {
    let mut h = Harness::start(config());
    for id in [1, 2] {
        h.client_send(&call(&json!(id), "echo", &json!({}))).await;
        h.server_line().await;
        server_passes(&mut h, &answer(&json!(id), &input_required(Some("st")))).await;
    }
    h.client_send(&next_round(&json!(3), "echo", "st")).await;
    h.server_line().await;
    h.server_send(&answer(&json!(3), &json!({"content": []})))
        .await;
    h.client_line().await;
    let f = h.finish().await;
    let events = by_id(f.events);
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["metadata"]["jsonrpc_id"], 1);
    assert_eq!(events[0]["cost_microcents"], 0);
    assert!(
        events[0]["metadata"]["error_message"]
            .as_str()
            .unwrap()
            .contains("later call"),
        "{}",
        events[0]
    );
    assert_eq!(events[1]["metadata"]["jsonrpc_id"], 3);
    assert_eq!(events[1]["metadata"]["rounds"], 2);
    assert_eq!(events[1]["cost_microcents"], 50_000);
}

/// Messages the probe cannot read, or with an id and no method, are refused when some
/// reader takes their id for a pending call's: the server's answer to them would settle
/// the call, and the call's own answer would pass unbilled.
#[tokio::test]
async fn unreadable_requests_reusing_a_pending_id_are_refused() {
    let mut h = Harness::start(config());
    h.client_send(&call(&json!(1), "echo", &json!({}))).await;
    h.server_line().await;
    h.client_send(
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{},\"params\":{}}\n",
    )
    .await;
    refused(&mut h, "still pending").await;
    h.client_send(b"{\"jsonrpc\":\"2.0\",\"id\":1}\n").await;
    refused(&mut h, "still pending").await;
    h.client_send(b"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"method\":\"y\"}]\n")
        .await;
    let err = json_line(&h.client_line().await);
    assert_eq!(err[0]["error"]["code"], -32600, "{err}");
    // A client's answer to a server's request may carry any id: it passes.
    client_passes(&mut h, b"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n").await;
    answer_gets_receipt(&mut h, &json!(1)).await;
    let f = h.finish().await;
    assert_eq!(f.events.len(), 1);
    assert_eq!(f.events[0]["status"], "success");
}

/// Task requests keep their ids until their own answers come, even once their task is
/// settled; they are answered by the shim when the server's answer is too long or the
/// server is gone; an error a `tasks/result` got is recorded if nothing settles the call.
#[tokio::test]
async fn task_requests_are_answered_and_keep_their_ids() {
    let mut cfg = config();
    cfg.max_line_bytes = 2048;
    let mut h = Harness::start(cfg);
    for (id, task) in [(1, "t-1"), (2, "t-2"), (3, "t-3")] {
        h.client_send(&task_call(&json!(id), "echo")).await;
        h.server_line().await;
        server_passes(
            &mut h,
            &answer(
                &json!(id),
                &json!({"task": {"taskId": task, "status": "working"}}),
            ),
        )
        .await;
    }
    // t-1: a cancel still unanswered when a result settles the task.
    client_passes(
        &mut h,
        &request(&json!(10), "tasks/cancel", &json!({"taskId": "t-1"})),
    )
    .await;
    client_passes(
        &mut h,
        &request(&json!(11), "tasks/result", &json!({"taskId": "t-1"})),
    )
    .await;
    h.server_send(&answer(&json!(11), &json!({"content": []})))
        .await;
    h.client_line().await;
    h.client_send(&call(&json!(10), "echo", &json!({}))).await;
    refused(&mut h, "still pending").await;
    server_passes(
        &mut h,
        b"{\"jsonrpc\":\"2.0\",\"id\":10,\"error\":{\"code\":-32602,\"message\":\"done\"}}\n",
    )
    .await;
    // t-2: a result too long to relay.
    client_passes(
        &mut h,
        &request(&json!(12), "tasks/result", &json!({"taskId": "t-2"})),
    )
    .await;
    let big = "x".repeat(4096);
    h.server_send(&answer(
        &json!(12),
        &json!({"content": [{"type": "text", "text": big}]}),
    ))
    .await;
    let err = json_line(&h.client_line().await);
    assert_eq!(
        (err["id"].clone(), err["error"]["code"].clone()),
        (json!(12), json!(-32003)),
        "{err}"
    );
    // t-3: an error about the request, then the server goes with a request unanswered.
    client_passes(
        &mut h,
        &request(&json!(13), "tasks/result", &json!({"taskId": "t-3"})),
    )
    .await;
    server_passes(&mut h, b"{\"jsonrpc\":\"2.0\",\"id\":13,\"error\":{\"code\":-32602,\"message\":\"bad arguments\"}}\n").await;
    client_passes(
        &mut h,
        &request(&json!(14), "tasks/get", &json!({"taskId": "t-3"})),
    )
    .await;
    h.server_gone().await;
    let err = json_line(&h.client_line().await);
    assert_eq!(
        (err["id"].clone(), err["error"]["code"].clone()),
        (json!(14), json!(-32002)),
        "{err}"
    );
    h.client_send(&request(&json!(15), "tasks/get", &json!({"taskId": "t-3"})))
        .await;
    let err = json_line(&h.client_line().await);
    assert_eq!(
        (err["id"].clone(), err["error"]["code"].clone()),
        (json!(15), json!(-32002)),
        "{err}"
    );
    // Ids and task ids too long to keep are refused.
    let long = "i".repeat(300);
    h.client_send(&request(
        &json!(long),
        "tasks/get",
        &json!({"taskId": "t-3"}),
    ))
    .await;
    assert_eq!(json_line(&h.client_line().await)["error"]["code"], -32600);
    h.client_send(&request(&json!(16), "tasks/get", &json!({"taskId": long})))
        .await;
    assert_eq!(json_line(&h.client_line().await)["error"]["code"], -32600);

    let f = h.finish().await;
    let events = by_id(f.events);
    let seen = outcomes(&events, "task_id");
    assert_eq!(
        seen,
        [
            (json!("t-1"), json!("success"), json!(50_000)),
            (json!("t-2"), json!("error"), json!(0)),
            (json!("t-3"), json!("error"), json!(0)),
        ],
        "{events:?}"
    );
    assert_eq!(events[1]["metadata"]["error_code"], -32003);
    assert_eq!(events[2]["metadata"]["error_code"], -32602);
    assert!(
        events[2]["metadata"]["error_message"]
            .as_str()
            .unwrap()
            .contains("bad arguments"),
        "{}",
        events[2]
    );
}

#[tokio::test]
async fn pending_calls_fail_when_the_server_goes_away() {
    let mut h = Harness::start(config());
    h.client_send(&call(&json!(1), "echo", &json!({}))).await;
    h.server_line().await;
    let f = h.finish().await;
    let err = json_line(&f.client_rest);
    assert_eq!(
        (err["id"].clone(), err["error"]["code"].clone()),
        (json!(1), json!(-32002))
    );
    assert_eq!(f.events.len(), 1);
    assert_eq!(f.events[0]["status"], "error");
}

#[tokio::test]
async fn calls_after_the_server_exited_are_answered_by_the_shim() {
    let mut h = Harness::start(config());
    h.client_send(&call(&json!(1), "echo", &json!({}))).await;
    h.server_line().await;
    h.server_gone().await;
    let first = json_line(&h.client_line().await);
    assert_eq!(first["id"], 1);
    assert_eq!(first["error"]["code"], -32002);
    // The client has not noticed yet and sends another call: the shim answers it.
    h.client_send(&call(&json!(2), "echo", &json!({"q": "late"})))
        .await;
    let second = json_line(&h.client_line().await);
    assert_eq!(second["id"], 2);
    assert_eq!(second["error"]["code"], -32002);
    let f = h.finish().await;
    let events = by_id(f.events);
    assert_eq!(events.len(), 2, "{events:?}");
    for e in &events {
        assert_eq!(e["status"], "error");
        assert_eq!(e["cost_microcents"], 0);
        assert_eq!(e["metadata"]["error_code"], -32002);
    }
    assert_eq!(events[1]["metadata"]["params"], json!({"q": "late"}));
}

#[tokio::test]
async fn rate_limit_refusals_never_reach_the_server() {
    let mut cfg = config();
    cfg.rate_limit = Some(RateLimit::parse("2/h").unwrap());
    let mut h = Harness::start(cfg);
    for i in 0..2 {
        h.client_send(&call(&json!(i), "echo", &json!({}))).await;
        h.server_line().await;
        h.server_send(&answer(&json!(i), &json!({"content": []})))
            .await;
        h.client_line().await;
    }
    h.client_send(&call(&json!(2), "echo", &json!({}))).await;
    let err = json_line(&h.client_line().await);
    assert_eq!(err["error"]["code"], -32000);
    assert_eq!(err["error"]["data"]["reason"], "rate_limit");
    assert!(err["error"]["data"]["retry_after_ms"].as_u64().unwrap() > 0);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("retry in"),
        "{err}"
    );
    h.client_send(MARKER).await;
    assert_eq!(h.server_line().await, MARKER);
    let mut f = h.finish().await;
    f.events = by_id(f.events);
    assert_eq!(f.events.len(), 3);
    assert_eq!(f.events[2]["status"], "rate_limited");
    assert_eq!(f.events[2]["cost_microcents"], 0);
    assert_eq!(f.events[2]["metadata"]["refused"], "rate_limit");
}

#[tokio::test]
async fn the_budget_counts_the_log_and_calls_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let log = LogDir::open(Some(dir.path())).unwrap();
    // An earlier session already spent $0.05 of this agent's $0.12 (in a file an editor
    // saved with a byte order mark, which every reader of the log allows).
    let earlier = json!({"event_id": "evt_000000000000000000000001", "tool_id": "echo", "agent_id": "a", "provider_id": "acme",
        "timestamp": mcpbill::time::Timestamp::now().to_string(), "status": "success", "cost_microcents": 50_000});
    std::fs::write(
        log.partition(
            mcpbill::eventlog::Partition::Events,
            mcpbill::time::Month::current(),
        ),
        format!("\u{feff}{earlier}\n"),
    )
    .unwrap();
    let mut cfg = config();
    cfg.agent_id = Some("a".into());
    cfg.budget = Some(mcpbill::money::Microcents::parse("$0.12").unwrap());
    let mut h = Harness::start_in(cfg, dir, &log);
    h.client_send(&call(&json!(1), "echo", &json!({}))).await;
    h.server_line().await;
    // $0.05 spent + $0.05 in flight: another $0.05 call does not fit.
    h.client_send(&call(&json!(2), "echo", &json!({}))).await;
    let err = json_line(&h.client_line().await);
    assert_eq!(err["id"], 2);
    assert_eq!(err["error"]["data"]["reason"], "budget");
    assert_eq!(err["error"]["data"]["remaining_microcents"], 20_000);
    // A free tool still runs.
    h.client_send(&call(&json!(3), "unpriced", &json!({})))
        .await;
    assert_eq!(json_line(&h.server_line().await)["id"], 3);
    h.server_send(&answer(&json!(1), &json!({"content": []})))
        .await;
    h.server_send(&answer(&json!(3), &json!({"content": []})))
        .await;
    h.client_line().await;
    h.client_line().await;
    let f = h.finish().await;
    let statuses: Vec<_> = f
        .events
        .iter()
        .map(|e| e["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["success", "rate_limited", "success", "success"]);
    assert_eq!(f.events[1]["metadata"]["refused"], "budget");
}

/// Calls inside the free tier reserve nothing, but which calls end up free depends on the
/// order they finish in: later calls that finish first take the free calls, and the
/// earlier ones are charged. The budget holds the most the calls in flight can cost, so
/// it is never overspent whatever the order.
#[tokio::test]
async fn the_budget_holds_when_calls_finish_out_of_order_around_the_free_tier() {
    let mut cfg = config();
    cfg.agent_id = Some("a".into());
    cfg.budget = Some(mcpbill::money::Microcents::parse("$0.03").unwrap());
    let mut h = Harness::start(cfg);
    // Calls 1 and 2 fit in the free tier of 2; 3 to 5 are priced, $0.03 in all.
    for id in (1..=5).map(|i| json!(i)) {
        h.client_send(&call(&id, "tiered", &json!({}))).await;
        assert_eq!(json_line(&h.server_line().await)["id"], id);
    }
    // 3 and 4 finish first and take the two free calls: 1, 2 and 5 will be charged.
    for id in [json!(3), json!(4)] {
        h.server_send(&answer(&id, &json!({"content": []}))).await;
        h.client_line().await;
    }
    h.client_send(&call(&json!(6), "tiered", &json!({}))).await;
    let refused = json_line(&h.client_line().await);
    assert_eq!(refused["id"], 6);
    assert_eq!(refused["error"]["data"]["reason"], "budget", "{refused}");
    for id in [json!(1), json!(2), json!(5)] {
        h.server_send(&answer(&id, &json!({"content": []}))).await;
        h.client_line().await;
    }
    let f = h.finish().await;
    let spent: u64 = f
        .events
        .iter()
        .map(|e| e["cost_microcents"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(spent, 30_000, "{:?}", f.events);
}

#[tokio::test]
async fn nested_secrets_never_reach_the_log() {
    let mut cfg = config();
    cfg.record_results = mcpbill::pricing::RecordMode::Redacted;
    cfg.redactor = mcpbill::wrap::redact::Redactor::new(&["x-session".to_owned()]);
    let mut h = Harness::start(cfg);
    let args = json!({
        "query": "visible-query",
        "password": "SECRET-PW-1",
        "config": {"db": [{"connection": {"Auth-Token": "SECRET-TOK-2", "apiKey": "SECRET-KEY-3"}}]},
        "X_Session": "SECRET-CUSTOM-4",
        "card": {"credit_card": "4111111111111111", "cvv": "SECRET-CVV-5"},
    });
    h.client_send(&call(&json!(1), "echo", &args)).await;
    let fwd = json_line(&h.server_line().await);
    assert_eq!(
        fwd["params"]["arguments"], args,
        "the server gets the real arguments"
    );
    h.server_send(&answer(
        &json!(1),
        &json!({"content": [], "session": {"client_secret": "SECRET-RES-6"}}),
    ))
    .await;
    h.client_line().await;
    let f = h.finish().await;
    let log = String::from_utf8_lossy(&f.log_bytes);
    for secret in [
        "SECRET-PW-1",
        "SECRET-TOK-2",
        "SECRET-KEY-3",
        "SECRET-CUSTOM-4",
        "4111111111111111",
        "SECRET-CVV-5",
        "SECRET-RES-6",
    ] {
        assert!(
            !log.contains(secret),
            "{secret} leaked into the log:\n{log}"
        );
    }
    assert!(log.contains("visible-query"));
    assert_eq!(
        f.events[0]["metadata"]["params"]["config"]["db"][0]["connection"]["Auth-Token"],
        "[REDACTED]"
    );
}

#[tokio::test]
async fn per_tool_record_modes_override_the_flags() {
    let mut cfg = config();
    cfg.pricing = Some(
        PricingFile::parse(
            "provider_id = \"acme\"\n[tools.vault]\npricing_model = \"free\"\nrecord_params = \"none\"\n[tools.open]\npricing_model = \"free\"\nrecord_params = \"full\"\n",
            "t.toml",
        )
        .unwrap(),
    );
    let mut h = Harness::start(cfg);
    for (i, tool) in ["vault", "open"].iter().enumerate() {
        h.client_send(&call(&json!(i), tool, &json!({"password": "pw"})))
            .await;
        h.server_line().await;
        h.server_send(&answer(&json!(i), &json!({"content": []})))
            .await;
        h.client_line().await;
    }
    let f = h.finish().await;
    assert!(f.events[0]["metadata"].get("params").is_none());
    assert_eq!(f.events[1]["metadata"]["params"]["password"], "pw");
}

// ---------------------------------------------------------------- the binary

fn toy() -> PathBuf {
    fixture("servers/toy_server.py")
}

/// Lines of a child's stream, read on a thread (so every wait has a hang guard).
fn line_channel(r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The exit code of `mcpbill wrap`, which must exit within [`GUARD`].
fn wait_exit(child: &mut Child) -> i32 {
    context::wait_exit(child, GUARD).expect("mcpbill wrap did not exit")
}

fn init_line() -> String {
    json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"clientInfo": {"name": "it"}}}).to_string()
}

fn call_line(id: u64, tool: &str, args: &Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": tool, "arguments": args}}).to_string()
}

#[test]
fn cat_passes_arbitrary_bytes_exactly() {
    let ctx = TestContext::new();
    // Pseudo-random bytes (no tools/call can appear in them) plus JSON-looking lines.
    let mut bytes = Vec::with_capacity(3 << 20);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..(2 << 20) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.push((x >> 24) as u8);
    }
    // Short lines and long ones (written whole, not gathered) in one burst, in order.
    for (i, len) in [10, 70_000, 5, 65_536, 65_535, 65_534, 300_000, 3]
        .iter()
        .enumerate()
    {
        bytes.push(b'\n');
        bytes.extend(std::iter::repeat_n(b'a' + i as u8, *len));
    }
    bytes.extend_from_slice(b"\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n[1,2,3]\n\xEF\xBB\xBF{}\nno newline at the end");
    let run = ctx.run_stdin(["wrap", "--", "cat"], Some(&bytes));
    run.code(0);
    assert!(
        run.raw_stdout == bytes,
        "stdout differs from stdin ({} vs {} bytes)",
        run.raw_stdout.len(),
        bytes.len()
    );
}

#[test]
fn non_blocking_stdin_and_stdout_are_waited_on_not_failed() {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    // The client's ends of both pipes share their open files with the shim's stdin and
    // stdout, so O_NONBLOCK set here is what the shim sees (as when a parent set it).
    // Close-on-exec, so no copy of the client's ends leaks into the shim or its server.
    let (stdin_r, stdin_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
    let (stdout_r, stdout_w) = nix::unistd::pipe2(OFlag::O_CLOEXEC).unwrap();
    for fd in [&stdin_r, &stdout_w] {
        fcntl(fd.as_raw_fd(), FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).unwrap();
    }
    let ctx = TestContext::new();
    let mut child = ctx
        .command()
        .args(["wrap", "-q", "--", "cat"])
        .stdin(Stdio::from(stdin_r))
        .stdout(Stdio::from(stdout_w))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut to_shim = std::fs::File::from(stdin_w);
    let lines = line_channel(std::fs::File::from(stdout_r));
    // Written slowly, so the shim's reads find the pipe empty (EAGAIN) in between.
    for i in 0..20 {
        writeln!(
            to_shim,
            "{{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":{{\"i\":{i}}}}}"
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(5));
        let got = lines.recv_timeout(GUARD).expect("the line comes back");
        assert_eq!(
            got,
            format!("{{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":{{\"i\":{i}}}}}")
        );
    }
    drop(to_shim);
    assert_eq!(wait_exit(&mut child), 0);
}

#[test]
fn a_64_mib_line_passes() {
    let ctx = TestContext::new();
    let mut line =
        b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"data\":\""
            .to_vec();
    line.resize(line.len() + (64 << 20), b'a');
    line.extend_from_slice(b"\"}}\n");
    let run = ctx.run_stdin(["wrap", "--", "cat"], Some(&line));
    run.code(0);
    assert!(run.raw_stdout == line, "the 64 MiB line changed");
}

#[test]
fn the_toy_server_round_trip_through_the_binary() {
    let ctx = TestContext::new();
    ctx.write("key", "k3y\n");
    let input = format!(
        "{}\n{}\n{}\n",
        init_line(),
        call_line(1, "echo", &json!({"q": "rust"})),
        call_line(2, "fail", &json!({}))
    );
    let run = ctx.run_stdin(
        [
            "wrap",
            "--provider-id",
            "acme",
            "--key-file",
            "key",
            "--",
            "python3",
            toy().to_str().unwrap(),
        ],
        Some(input.as_bytes()),
    );
    run.code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(
        lines[1]["result"]["_meta"]["seen_meta"]["mcpbill/agent_id"],
        "it"
    );
    assert_eq!(
        lines[1]["result"]["_meta"]["mcpbill/receipt"]["status"],
        "success"
    );
    let events = events_in(&ctx.join("logs"));
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["status"], "error");
}

#[test]
fn server_command_not_found_is_one_line_and_127() {
    let ctx = TestContext::new();
    let run = ctx.run(["wrap", "--provider-id", "acme", "--", "no-such-server-xyz"]);
    run.code(127)
        .one_line_wrap_error()
        .stderr_has("no-such-server-xyz");
    // A directory, and a whole command line in one argument, get the fix that fits.
    std::fs::create_dir(ctx.join("srv")).unwrap();
    ctx.run(["wrap", "--provider-id", "acme", "--", "./srv"])
        .code(126)
        .one_line_wrap_error()
        .stderr_has("it is a directory");
    ctx.run(["wrap", "--provider-id", "acme", "--", "python3 server.py"])
        .code(127)
        .one_line_wrap_error()
        .stderr_has("must be separate arguments");
    // A script whose interpreter is missing: the script is there, its #! line is wrong.
    ctx.write("server.sh", "#!/no/such/interpreter\n");
    std::fs::set_permissions(
        ctx.join("server.sh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    ctx.run(["wrap", "--provider-id", "acme", "--", "./server.sh"])
        .code(127)
        .one_line_wrap_error()
        .stderr_has("the interpreter its first line (#!) names is missing");
}

/// Reset the signals the tests send to their default action, then exec `argv[1:]`.
const RESET_SIGNALS: &str = "import os, signal, sys\nfor s in (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2):\n    signal.signal(s, signal.SIG_DFL)\nos.execv(sys.argv[1], sys.argv[1:])";

/// `mcpbill wrap ARGS -- python3 toy_server.py` running with piped stdio, its stdout read
/// as lines.
struct Shim {
    child: Child,
    out: mpsc::Receiver<String>,
    stdin: Option<std::process::ChildStdin>,
}

impl Shim {
    fn start(ctx: &TestContext, args: &[&str], env: &[(&str, &str)]) -> Self {
        let toy = toy();
        Self::around(ctx, args, env, &["python3".as_ref(), toy.as_os_str()])
    }

    /// `mcpbill wrap ARGS -- SERVER...`.
    fn around(
        ctx: &TestContext,
        args: &[&str],
        env: &[(&str, &str)],
        server: &[&std::ffi::OsStr],
    ) -> Self {
        // Started with the signals the tests send at their default action, whatever the
        // harness ignores (the shim keeps a signal it was started with ignored ignored).
        let mut cmd = ctx.command_of("python3");
        cmd.args(["-c", RESET_SIGNALS])
            .arg(context::bin())
            .arg("wrap")
            .args(args)
            .arg("--")
            .args(server)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn mcpbill wrap");
        let out = line_channel(child.stdout.take().unwrap());
        let stdin = child.stdin.take();
        Self { child, out, stdin }
    }

    /// Write `lines` to the shim's stdin.
    fn send(&mut self, lines: &[String]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        for line in lines {
            writeln!(stdin, "{line}").unwrap();
        }
    }

    /// Close the shim's stdin: the client is gone.
    fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The next line the shim writes, as JSON.
    fn next(&self) -> Value {
        self.next_within(GUARD)
    }

    /// The next line the shim writes, which must come within `limit`.
    fn next_within(&self, limit: Duration) -> Value {
        let line = self.out.recv_timeout(limit).expect("a line from the shim");
        serde_json::from_str(&line).unwrap()
    }

    /// The next line is the JSON-RPC error `code` for a call.
    fn expect_error(&self, code: i64) {
        let answer = self.next();
        assert_eq!(answer["error"]["code"], code, "{answer}");
    }

    fn sigterm(&self) {
        context::signal(&self.child, nix::sys::signal::Signal::SIGTERM);
    }

    fn exit_code(&mut self) -> i32 {
        wait_exit(&mut self.child)
    }
}

/// The log under the test's `logs` holds exactly one event, with `status`.
fn assert_one_event(ctx: &TestContext, status: &str) {
    let events = events_in(&ctx.join("logs"));
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["status"], status);
}

#[test]
fn server_exiting_at_start_passes_its_code() {
    let ctx = TestContext::new();
    let mut shim = Shim::start(
        &ctx,
        &["--provider-id", "acme"],
        &[("TOY_EXIT_AT_START", "3")],
    );
    assert_eq!(shim.exit_code(), 3);
    assert!(!ctx.join("logs").exists() || events_in(&ctx.join("logs")).is_empty());
}

#[test]
fn server_killed_mid_call() {
    let ctx = TestContext::new();
    let mut shim = Shim::start(&ctx, &["--provider-id", "acme"], &[]);
    shim.send(&[init_line(), call_line(1, "kill_self", &json!({}))]);
    shim.next();
    shim.expect_error(-32002);
    assert_eq!(shim.exit_code(), 128 + 9);
    assert_one_event(&ctx, "error");
}

#[test]
fn server_never_answers_times_out() {
    let ctx = TestContext::new();
    let mut shim = Shim::start(&ctx, &["--provider-id", "acme", "--timeout", "300ms"], &[]);
    // The call goes out once the server is up, so the timeout measures only the call.
    shim.send(&[init_line()]);
    shim.next();
    shim.send(&[call_line(1, "hang", &json!({}))]);
    shim.expect_error(-32001);
    shim.close_stdin();
    assert_eq!(shim.exit_code(), 0);
    assert_one_event(&ctx, "timeout");
}

#[test]
fn client_closes_stdin_mid_call() {
    let ctx = TestContext::new();
    let mut shim = Shim::start(&ctx, &["--provider-id", "acme"], &[]);
    shim.send(&[init_line(), call_line(1, "sleep", &json!({"seconds": 30}))]);
    shim.close_stdin();
    shim.next();
    shim.expect_error(-32002);
    assert_eq!(shim.exit_code(), 0);
    assert_one_event(&ctx, "error");
}

/// `sig` sent to the shim while the server works on a call: forwarded, the call answered
/// and recorded as an error, and the shim exits as the server did (128 + `sig`).
fn terminating_signal_mid_call(sig: nix::sys::signal::Signal) {
    let ctx = TestContext::new();
    let mut shim = Shim::start(&ctx, &["--provider-id", "acme"], &[]);
    let err_lines = line_channel(shim.child.stderr.take().unwrap());
    shim.send(&[init_line(), call_line(1, "hang", &json!({}))]);
    shim.next();
    // Wait until the server has the call.
    loop {
        let l = err_lines
            .recv_timeout(GUARD)
            .expect("the server reports the call");
        if l.contains("toy: hanging") {
            break;
        }
    }
    context::signal(&shim.child, sig);
    shim.expect_error(-32002);
    assert_eq!(shim.exit_code(), 128 + sig as i32);
    assert_one_event(&ctx, "error");
}

#[test]
fn shim_sigterm_mid_call_is_forwarded() {
    terminating_signal_mid_call(nix::sys::signal::Signal::SIGTERM);
}

/// A closed terminal's SIGHUP ends the shim as SIGTERM does (its default action killed the
/// shim at once, leaving the server running and the call unrecorded).
#[test]
fn shim_sighup_mid_call_is_forwarded() {
    terminating_signal_mid_call(nix::sys::signal::Signal::SIGHUP);
}

/// SIGTERM sent to a shim whose server ignores it, with `--grace`: the shim's exit code
/// (`None` when it has not exited within 20 s).
fn sigterm_to_a_server_ignoring_it(grace: &str) -> Option<i32> {
    let ctx = TestContext::new();
    let mut shim = Shim::start(
        &ctx,
        &["--provider-id", "acme", "--grace", grace],
        &[("TOY_IGNORE_SIGTERM", "1")],
    );
    shim.send(&[init_line()]);
    shim.next();
    shim.sigterm();
    context::wait_exit(&mut shim.child, Duration::from_secs(20))
}

#[test]
fn a_server_ignoring_sigterm_is_killed_after_the_grace_period() {
    assert_eq!(sigterm_to_a_server_ignoring_it("200ms"), Some(128 + 9));
}

/// SIGUSR1 and SIGUSR2 are the server's: forwarded, and the shim lives on until the server
/// exits (here by the signal's default action), with its code.
#[test]
fn sigusr1_is_forwarded_to_the_server() {
    let ctx = TestContext::new();
    let mut shim = Shim::start(&ctx, &["--provider-id", "acme"], &[]);
    shim.send(&[init_line()]);
    shim.next();
    context::signal(&shim.child, nix::sys::signal::Signal::SIGUSR1);
    assert_eq!(shim.exit_code(), 128 + 10);
}

/// A shim sent SIGTERM gives the server at most a second before SIGKILL, whatever
/// `--grace` says: whoever sent it will not wait long (the MCP SDKs send SIGKILL two
/// seconds later), and a shim killed first would leave the server running.
#[test]
fn a_terminated_shim_does_not_wait_the_grace_period() {
    let code = sigterm_to_a_server_ignoring_it("60s");
    assert_eq!(
        code,
        Some(128 + 9),
        "the server was not killed soon after SIGTERM"
    );
}

/// A server that exits leaving a helper behind that keeps writing to its stdout: the shim
/// does not wait for the helper (whose lines are not answers a client waits for), it ends
/// it with the server's group and exits.
#[test]
fn a_helper_left_writing_does_not_keep_the_shim_alive() {
    let ctx = TestContext::new();
    let helper = "(while true; do echo '{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}'; sleep 0.2; done) & exit 0";
    let server = ["sh", "-c", helper].map(std::ffi::OsStr::new);
    let mut shim = Shim::around(&ctx, &["--provider-id", "acme"], &[], &server);
    let code = context::wait_exit(&mut shim.child, Duration::from_secs(20));
    assert_eq!(code, Some(0), "the shim did not exit after its server did");
}

/// Signals that arrive while the shim drains a server that exited (here SIGUSR1 every
/// 300 ms, forwarded to nobody) do not start its pause again: a helper left holding the
/// pipe is still ended, and the shim exits.
#[test]
fn signals_during_the_drain_do_not_prolong_it() {
    let ctx = TestContext::new();
    let server =
        ["sh", "-c", "(while true; do sleep 0.1; done) & exit 0"].map(std::ffi::OsStr::new);
    let mut shim = Shim::around(&ctx, &["--provider-id", "acme"], &[], &server);
    // Its first note (no signing key) comes once its handlers are installed: a signal sent
    // before then would end it as it ends any program.
    let mut err = std::io::BufReader::new(shim.child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut err, &mut first).unwrap();
    assert!(first.contains("no signing key"), "{first}");
    let drain = std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    let start = std::time::Instant::now();
    let code = loop {
        if let Some(code) = context::wait_exit(&mut shim.child, Duration::from_millis(300)) {
            break Some(code);
        }
        if start.elapsed() > Duration::from_secs(20) {
            break None;
        }
        context::signal(&shim.child, nix::sys::signal::Signal::SIGUSR1);
    };
    assert_eq!(code, Some(0), "the shim did not exit while signals came");
    drain.join().unwrap().unwrap();
}

/// A helper left writing faster than the client reads: ended with the server's group at
/// the first pause, so what is left to drain is finite, and the shim exits once the client
/// has read it.
#[test]
fn a_helper_writing_faster_than_the_client_reads_is_ended() {
    let ctx = TestContext::new();
    let server = [
        "sh",
        "-c",
        "yes '{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}' & exit 0",
    ]
    .map(std::ffi::OsStr::new);
    let mut cmd = ctx.command();
    cmd.args(["wrap", "--provider-id", "acme", "--"])
        .args(server)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    // The client reads nothing for a while, then slowly, a little at a time.
    let reader = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(3));
        let mut buf = [0u8; 4096];
        let mut total = 0usize;
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n;
            std::thread::sleep(Duration::from_millis(10));
        }
        total
    });
    let code = context::wait_exit(&mut child, Duration::from_secs(30));
    assert_eq!(code, Some(0), "the shim did not exit");
    assert!(reader.join().unwrap() > 0);
}

/// A shim sent SIGTERM while a write to a client that does not read is blocked still
/// exits (the write is given up; the events are written), instead of waiting for the
/// client forever.
#[test]
fn sigterm_with_a_client_that_does_not_read_still_exits() {
    let ctx = TestContext::new();
    let big = "python3 -c 'import sys,time; sys.stdout.write(\"{\\\"jsonrpc\\\":\\\"2.0\\\",\\\"method\\\":\\\"x\\\",\\\"params\\\":\\\"\" + \"a\" * 2000000 + \"\\\"}\\n\"); sys.stdout.flush(); time.sleep(60)'";
    let server = ["sh", "-c", big].map(std::ffi::OsStr::new);
    let mut cmd = ctx.command();
    cmd.args(["wrap", "--provider-id", "acme", "--"])
        .args(server)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let _out = child.stdout.take().unwrap();
    // Let the line reach the shim and its write to the client block.
    std::thread::sleep(Duration::from_secs(2));
    context::signal(&child, nix::sys::signal::Signal::SIGTERM);
    let code = context::wait_exit(&mut child, Duration::from_secs(15));
    assert!(code.is_some(), "the shim did not exit after SIGTERM");
}

/// A signal the shim was started with ignored (`nohup`, a script's background job) stays
/// ignored: a SIGHUP neither ends the shim nor reaches the server.
#[test]
fn a_signal_ignored_at_start_stays_ignored() {
    let ctx = TestContext::new();
    let mut cmd = ctx.command_of("bash");
    cmd.arg("-c")
        .arg("trap '' HUP; exec \"$0\" wrap --provider-id acme -- python3 \"$1\"")
        .arg(context::bin())
        .arg(toy())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let out = line_channel(child.stdout.take().unwrap());
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{}", init_line()).unwrap();
    out.recv_timeout(GUARD).expect("the server answers");
    context::signal(&child, nix::sys::signal::Signal::SIGHUP);
    // Past the second a terminating signal gives the server before SIGKILL.
    std::thread::sleep(Duration::from_millis(1500));
    writeln!(stdin, "{}", call_line(1, "echo", &json!({}))).unwrap();
    let answer: Value = serde_json::from_str(&out.recv_timeout(GUARD).unwrap()).unwrap();
    assert!(answer.get("result").is_some(), "{answer}");
    drop(stdin);
    assert_eq!(wait_exit(&mut child), 0);
    assert_one_event(&ctx, "success");
}

/// A server that answers and exits while the client is slow to read: the shim waits for
/// the client to take the answer, and the call's event is written (it was lost when the
/// shim gave up on the write after three seconds).
#[test]
fn a_slow_client_gets_the_last_answer_and_its_event_is_written() {
    let ctx = TestContext::new();
    let mut cmd = ctx.command();
    cmd.args(["wrap", "--provider-id", "acme", "--", "python3"])
        .arg(toy())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let big = "x".repeat(400_000);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{}", init_line()).unwrap();
    writeln!(stdin, "{}", call_line(1, "echo", &json!({"text": big}))).unwrap();
    drop(stdin);
    // The server answers and exits at once; the client reads nothing for a while.
    std::thread::sleep(Duration::from_secs(5));
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(wait_exit(&mut child), 0);
    let answers: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 2, "{:?}", &out[..out.len().min(300)]);
    assert!(answers[1].get("result").is_some(), "{}", answers[1]);
    assert_one_event(&ctx, "success");
}

/// The signing key is not handed to the server (which could sign receipts for any price);
/// the rest of the environment is.
#[test]
fn the_signing_key_is_not_in_the_servers_environment() {
    let ctx = TestContext::new();
    ctx.write("k.key", "s3cr3t-key-for-the-shim-only\n");
    let mut cmd = ctx.command();
    cmd.args([
        "wrap",
        "--provider-id",
        "acme",
        "--",
        "sh",
        "-c",
        "env > server-env.txt",
    ])
    .env("MCPBILL_KEY", "s3cr3t-env-key")
    .env("MCPBILL_KEY_FILE", ctx.join("k.key"))
    .env("SERVER_SETTING", "kept");
    let run = context::run_command(cmd, Some(b""));
    run.code(0);
    let env = std::fs::read_to_string(ctx.join("server-env.txt")).unwrap();
    assert!(env.contains("SERVER_SETTING=kept"), "{env}");
    assert!(!env.contains("MCPBILL_KEY"), "{env}");
}

#[test]
fn four_shims_share_one_free_tier_exactly() {
    let ctx = TestContext::new();
    ctx.write(
        "pricing.toml",
        "provider_id = \"acme\"\n[tools.echo]\npricing_model = \"per_call\"\nprice_per_call = \"$0.01\"\n[tools.echo.free_tier]\ncalls_per_month = 100\n",
    );
    let mut input = init_line();
    input.push('\n');
    for i in 1..=100 {
        input.push_str(&call_line(i, "echo", &json!({"i": i})));
        input.push('\n');
    }
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let mut cmd = ctx.command();
            cmd.args([
                "wrap",
                "--pricing",
                "pricing.toml",
                "--agent-id",
                "shared-agent",
                "--",
                "python3",
            ])
            .arg(toy());
            let input = input.clone();
            std::thread::spawn(move || crate::context::run_command(cmd, Some(input.as_bytes())))
        })
        .collect();
    for h in handles {
        let run = h.join().unwrap();
        run.code(0);
        assert_eq!(run.json_lines().len(), 101);
    }
    let events = events_in(&ctx.join("logs"));
    assert_eq!(events.len(), 400);
    let free: Vec<_> = events
        .iter()
        .filter(|e| e["metadata"]["free_tier"] == true)
        .collect();
    assert_eq!(free.len(), 100);
    assert!(free.iter().all(|e| e["cost_microcents"] == 0));
    let paid = events
        .iter()
        .filter(|e| e["cost_microcents"] == 10_000)
        .count();
    assert_eq!(paid, 300);
}

/// A budget is never overspent by one shim however its calls interleave: a call checked
/// while another's answer is being recorded still counts that one's cost. (The window was
/// small: with 16 calls in flight, about one run in four charged a sixth call.)
#[test]
fn pipelined_calls_never_overspend_the_budget() {
    let ctx = TestContext::new();
    ctx.write(
        "pricing.toml",
        "provider_id = \"acme\"\n[tools.echo]\npricing_model = \"per_call\"\nprice_per_call = \"$0.01\"\n",
    );
    let server = context::bin();
    for round in 0..12 {
        let logs = ctx.join(&format!("logs-{round}"));
        let mut child = ctx
            .command()
            .args([
                "wrap",
                "-q",
                "--pricing",
                "pricing.toml",
                "--budget",
                "$0.05",
            ])
            .args([
                "--log-dir",
                logs.to_str().unwrap(),
                "--",
                server.to_str().unwrap(),
            ])
            .arg("example-server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut to_shim = child.stdin.take().unwrap();
        let lines = line_channel(child.stdout.take().unwrap());
        writeln!(to_shim, "{}", init_line()).unwrap();
        lines.recv_timeout(GUARD).expect("initialized");
        // 30 calls, 16 in flight: a new one goes out as each answer comes back.
        let (mut sent, mut answered) = (0u64, 0u64);
        while answered < 30 {
            while sent < 30 && sent - answered < 16 {
                sent += 1;
                writeln!(
                    to_shim,
                    "{}",
                    call_line(sent, "echo", &json!({"text": "x"}))
                )
                .unwrap();
            }
            lines.recv_timeout(GUARD).expect("an answer");
            answered += 1;
        }
        drop(to_shim);
        assert_eq!(wait_exit(&mut child), 0);
        let charged = events_in(&logs)
            .iter()
            .filter(|e| e["cost_microcents"] == 10_000)
            .count();
        assert_eq!(
            charged, 5,
            "round {round}: {charged} calls charged on a $0.05 budget"
        );
    }
}

#[test]
fn usage_errors_name_the_flag() {
    let ctx = TestContext::new();
    ctx.run(["wrap", "--rate-limit", "lots", "--", "cat"])
        .code(2)
        .one_line_wrap_error()
        .stderr_has("--rate-limit");
    ctx.run(["wrap", "--budget", "five", "--", "cat"])
        .code(2)
        .one_line_wrap_error()
        .stderr_has("--budget");
    ctx.write("k", "a-test-secret\n");
    let sign = |base: &str| {
        ctx.run([
            "receipt",
            "sign",
            "--tool-id",
            "t",
            "--agent-id",
            "a",
            "--provider-id",
            "p",
            "--cost",
            "1microcents",
            "--key-file",
            "k",
            "--verify-url-base",
            base,
        ])
    };
    for base in ["https://host:8443/a/b/", "http://[::1]/x"] {
        sign(base).code(0);
    }
    for base in [
        "not a url",
        "ftp://x/r",
        "https://x/r?a=1",
        "/receipts",
        "https:host/x",
        "https://host/a b",
        "https://user:pass@host/x",
        "https://host:0/x",
    ] {
        ctx.run(["wrap", "--verify-url-base", base, "--", "cat"])
            .code(2)
            .one_line_wrap_error()
            .stderr_has("--verify-url-base");
        sign(base)
            .code(2)
            .one_line_error()
            .stderr_has("--verify-url-base");
    }
    // A torn line in the log is warned about, named as wrap's diagnostics are.
    std::fs::create_dir_all(ctx.join("logs")).unwrap();
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    let good = crate::logs::event(
        "p",
        "t",
        "a",
        &chrono::Utc::now().to_rfc3339(),
        "success",
        1,
        0,
        serde_json::Value::Null,
    );
    ctx.write(
        &format!("logs/events-{month}.jsonl"),
        format!("{good}\n\n{{\"torn\n{good}\nnot json either\n{good}\n"),
    );
    ctx.run(["wrap", "--provider-id", "p", "--", "true"])
        .stderr_has(&format!(
            "mcpbill: warning: skipped 2 unreadable lines in '{}' (first: line 3); they count toward no budget or free tier",
            ctx.join(&format!("logs/events-{month}.jsonl")).display()
        ));
    ctx.write(&format!("logs/events-{month}.jsonl"), "{\"torn");
    ctx.run(["wrap", "--provider-id", "p", "--", "true"])
        .stderr_has("mcpbill: warning: skipped 1 unreadable line in '")
        .stderr_has("(first: line 1)");
    // --timeout is checked by clap (the value parser every timeout flag shares): its usage
    // error, every line naming mcpbill.
    for bad in ["soon", "0"] {
        let run = ctx.run(["wrap", "--timeout", bad, "--", "cat"]);
        run.code(2).stderr_has(&format!(
            "mcpbill: error: invalid value '{bad}' for '--timeout"
        ));
        assert!(
            run.stderr
                .lines()
                .all(|l| l.is_empty() || l.starts_with("mcpbill: ")),
            "{}",
            run.stderr
        );
    }
    ctx.run(["wrap", "--pricing", "missing.toml", "--", "cat"])
        .code(2)
        .one_line_wrap_error()
        .stderr_has("missing.toml");
    ctx.run(["wrap", "--agent-id", "a|b", "--", "cat"])
        .code(2)
        .one_line_wrap_error()
        .stderr_has("--agent-id");
    ctx.run(["wrap", "--budget", "-$5", "--", "cat"])
        .code(2)
        .one_line_wrap_error()
        .stderr_has("'-$5' is negative");
    // A misspelt flag is a usage error, not a server command named '--max-line'.
    let run = ctx.run(["wrap", "--max-line", "10", "--", "cat"]);
    assert!(
        run.stderr
            .lines()
            .all(|l| l.is_empty() || l.starts_with("mcpbill: ")),
        "every line names mcpbill: {}",
        run.stderr
    );
    run.code(2)
        .one_line_wrap_error()
        .stderr_has("wrap has no option '--max-line'; did you mean '--max-line-bytes'?");
    assert!(!run.stderr.contains("-- --max-line"), "{}", run.stderr);
    // clap's tip (`use '-- -x'`) would make the option the server's command: an unknown
    // option names where the server's options go, and a value that begins with '-' how to
    // give it.
    for args in [
        vec!["wrap", "--bogus", "--", "cat"],
        vec!["wrap", "-x", "cat"],
    ] {
        let bad = args[1];
        let run = ctx.run(&args);
        run.code(2)
            .one_line_wrap_error()
            .stderr_has(&format!("wrap has no option '{bad}'"))
            .stderr_has("go after '--'");
        assert!(!run.stderr.contains("tip:"), "{}", run.stderr);
    }
    for flag in ["--timeout", "--log-dir"] {
        ctx.run(["wrap", flag, "-5", "--", "cat"])
            .code(2)
            .one_line_wrap_error()
            .stderr_has(&format!(
                "{flag} needs a value, and '-5' reads as an option; if '-5' is the value, write {flag}=-5"
            ));
    }
    // No server command: what goes there, not clap's `<COMMAND>...`.
    for args in [vec!["wrap"], vec!["wrap", "--provider-id", "p", "--"]] {
        ctx.run(&args)
            .code(2)
            .one_line_wrap_error()
            .stderr_has("no server command: put the MCP server's command after wrap's options and '--', e.g. mcpbill wrap --pricing pricing.toml -- npx");
    }
    // Elsewhere clap's tip is right (`report -- -x` reads a file named -x).
    ctx.run(["report", "--bogus"])
        .code(2)
        .stderr_has("use '-- --bogus'");
}

/// Every event id of the parseable lines of a log file, and how many lines were not.
fn ids_on_disk(path: &Path, field: &str) -> (Vec<String>, usize) {
    let text = std::fs::read(path).unwrap_or_default();
    let mut ids = Vec::new();
    let mut torn = 0;
    for line in text.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        match serde_json::from_slice::<Value>(line) {
            Ok(v) => ids.push(v[field].as_str().unwrap().to_owned()),
            Err(_) => torn += 1,
        }
    }
    (ids, torn)
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_loses_no_event_and_tears_no_line_apart() {
    // A file size limit of a few KiB, as `ulimit -f` sets it (SIGXFSZ at its default
    // action, which kills a process that does not catch it): the log fills mid-line, and
    // nothing can be written after that, not even at exit.
    let ctx = TestContext::new();
    ctx.write("k", "a-test-secret\n");
    let bin = context::bin();
    let mut cmd = ctx.command_of("sh");
    cmd.args(["-c", "ulimit -f 8; exec \"$@\"", "sh"])
        .arg(&bin)
        .args(["wrap", "--key-file", "k", "--provider-id", "acme", "--"])
        .arg(&bin)
        .arg("example-server");
    let mut input = init_line();
    input.push('\n');
    let calls = 60;
    for i in 1..=calls {
        input.push_str(&call_line(i, "echo", &json!({"text": format!("call {i}")})));
        input.push('\n');
    }
    let run = context::run_command(cmd, Some(input.as_bytes()));
    run.code(0);
    assert_eq!(
        run.json_lines().len(),
        1 + calls as usize,
        "every call answered"
    );
    let logs = ctx.join("logs");
    let month = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("events-"))
        .expect("an events file")
        .trim_start_matches("events-")
        .to_owned();
    // The line the limit cut is taken back off the file: every line on disk is whole.
    let (mut events, torn) = ids_on_disk(&logs.join(format!("events-{month}")), "event_id");
    assert_eq!(torn, 0, "a torn event line was left");
    let (mut receipts, torn) = ids_on_disk(&logs.join(format!("receipts-{month}")), "receipt_id");
    assert_eq!(torn, 0, "a torn receipt line was left");
    for name in [".lock", &format!("events-{month}")] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(logs.join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    assert!(
        events.len() < calls as usize,
        "the limit must bite: {}",
        events.len()
    );
    // The rest is on stderr, one whole line each.
    let stderr = &run.stderr;
    for line in stderr.lines() {
        if let Some((what, json)) = line
            .strip_prefix("mcpbill: unwritten ")
            .and_then(|l| l.split_once("): "))
        {
            let v: Value = serde_json::from_str(json).unwrap();
            if what.starts_with("event") {
                events.push(v["event_id"].as_str().unwrap().to_owned());
            } else {
                receipts.push(v["receipt_id"].as_str().unwrap().to_owned());
            }
        }
    }
    for ids in [&mut events, &mut receipts] {
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "no line twice");
        assert_eq!(
            n, calls as usize,
            "every line on disk or on stderr: {stderr}"
        );
    }
    assert_eq!(
        stderr.matches("cannot write the event log").count(),
        1,
        "the failure is said once: {stderr}"
    );
}

/// Every line of a stream whose writer has exited, up to its end (within [`GUARD`]).
fn all_lines(rx: &mpsc::Receiver<String>) -> Vec<String> {
    let deadline = std::time::Instant::now() + GUARD;
    let mut lines = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => lines.push(line),
            Err(mpsc::RecvTimeoutError::Disconnected) => return lines,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("the stream never ended: {lines:?}"),
        }
    }
}

/// The JSON-RPC ids of the events under `logs`, in log order.
fn jsonrpc_ids(logs: &Path) -> Vec<Value> {
    events_in(logs)
        .iter()
        .map(|e| e["metadata"]["jsonrpc_id"].clone())
        .collect()
}

/// The (only) month's events file under `logs`.
fn events_file_in(logs: &Path) -> PathBuf {
    std::fs::read_dir(logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("events-")
        })
        .expect("an events file")
}

/// Wait until the log under `logs` holds `n` events.
fn wait_for_events(logs: &Path, n: usize) {
    crate::http_util::wait_for(GUARD, || {
        (logs.is_dir() && events_in(logs).len() >= n).then_some(())
    });
}

/// Wait until `n` events and their `n` receipts are on disk (each file gets its own
/// append, so an event can be there before its receipt).
fn wait_for_signed_events(logs: &Path, n: usize) {
    wait_for_events(logs, n);
    crate::http_util::wait_for(GUARD, || {
        (logs.is_dir() && lines_in(logs, "receipts-").len() >= n).then_some(())
    });
}

#[test]
fn a_log_removed_while_the_shim_runs_is_started_again() {
    let ctx = TestContext::new();
    ctx.write("k", "a-test-secret\n");
    let logs = ctx.join("logs");
    let mut shim = Shim::start(&ctx, &["--provider-id", "acme", "--key-file", "k"], &[]);
    let err_lines = line_channel(shim.child.stderr.take().unwrap());
    shim.send(&[init_line(), call_line(1, "echo", &json!({}))]);
    shim.next();
    shim.next();
    // Call 1's receipt too: appended after its event, it would otherwise go to the new
    // directory, which is right, but not what is counted below.
    wait_for_signed_events(&logs, 1);
    // The whole directory goes (a cleanup while the client runs).
    std::fs::remove_dir_all(&logs).unwrap();
    shim.send(&[
        call_line(2, "echo", &json!({})),
        call_line(3, "echo", &json!({})),
    ]);
    shim.next();
    shim.next();
    wait_for_signed_events(&logs, 2);
    // Then only the events file.
    let events_file = events_file_in(&logs);
    std::fs::remove_file(&events_file).unwrap();
    shim.send(&[call_line(4, "echo", &json!({}))]);
    shim.next();
    wait_for_signed_events(&logs, 1);
    // Then, with the shim settled on that file (one more call read it back), the directory
    // is renamed away (an archive step): a new one is made at the path.
    shim.send(&[call_line(5, "echo", &json!({}))]);
    shim.next();
    wait_for_signed_events(&logs, 2);
    std::fs::rename(&logs, ctx.join("logs-archived")).unwrap();
    shim.send(&[call_line(6, "echo", &json!({}))]);
    shim.next();
    shim.close_stdin();
    assert_eq!(shim.exit_code(), 0);
    assert_eq!(
        jsonrpc_ids(&ctx.join("logs-archived")),
        [json!(4), json!(5)],
        "the new events file holds the calls after the removal"
    );
    assert_eq!(jsonrpc_ids(&logs), [json!(6)], "the call after the rename");
    assert_eq!(lines_in(&logs, "receipts-").len(), 1, "call 6");
    let stderr = all_lines(&err_lines);
    let said = stderr
        .iter()
        .filter(|l| l.contains("was removed or moved"))
        .count();
    assert_eq!(said, 3, "{stderr:?}");
    assert!(
        !stderr.iter().any(|l| l.contains("unwritten")),
        "{stderr:?}"
    );
}

#[test]
fn a_server_that_closes_its_output_fails_its_calls_at_once() {
    let ctx = TestContext::new();
    let server = ["sh", "-c", "exec 1>&-; sleep 30"].map(std::ffi::OsStr::new);
    let mut shim = Shim::around(
        &ctx,
        &["--provider-id", "acme", "--grace", "300ms"],
        &[],
        &server,
    );
    let err = line_channel(shim.child.stderr.take().unwrap());
    // Well before the server's exit, 30 s away.
    let soon = Duration::from_secs(5);
    shim.send(&[call_line(1, "echo", &json!({}))]);
    let first = shim.next_within(soon);
    assert_eq!(first["error"]["code"], -32002, "{first}");
    assert!(
        first["error"]["message"]
            .as_str()
            .unwrap()
            .contains("closed its output"),
        "{first}"
    );
    shim.send(&[call_line(2, "echo", &json!({}))]);
    assert_eq!(shim.next_within(soon)["error"]["code"], -32002);
    shim.close_stdin();
    // The server still lives until the grace period ends: SIGTERM.
    assert_eq!(shim.exit_code(), 128 + 15);
    let statuses: Vec<Value> = events_in(&ctx.join("logs"))
        .iter()
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(statuses, [json!("error"), json!("error")]);
    let stderr = all_lines(&err);
    assert!(
        stderr
            .iter()
            .any(|l| l.contains("closed its output but is still running")),
        "{stderr:?}"
    );
}

#[test]
fn calls_are_recorded_while_the_log_cannot_be_read() {
    let ctx = TestContext::new();
    ctx.write("k", "a-test-secret\n");
    let logs = ctx.join("logs");
    // With a budget every call is priced under the lock, from the log's counts.
    let mut shim = Shim::start(
        &ctx,
        &["--provider-id", "acme", "--key-file", "k", "--budget", "$5"],
        &[],
    );
    let err_lines = line_channel(shim.child.stderr.take().unwrap());
    shim.send(&[init_line(), call_line(1, "echo", &json!({}))]);
    shim.next();
    shim.next();
    wait_for_events(&logs, 1);
    // The events file can no longer be read (a directory in its place reads as EISDIR).
    let events_file = events_file_in(&logs);
    std::fs::remove_file(&events_file).unwrap();
    std::fs::create_dir(&events_file).unwrap();
    for id in [2, 3] {
        shim.send(&[call_line(id, "echo", &json!({}))]);
        let answer = shim.next();
        assert!(
            answer["result"]["_meta"]["mcpbill/receipt"].is_object(),
            "the answer keeps its receipt: {answer}"
        );
    }
    // Readable again: the held events land with the next call's.
    std::fs::remove_dir(&events_file).unwrap();
    shim.send(&[call_line(4, "echo", &json!({}))]);
    shim.next();
    shim.close_stdin();
    assert_eq!(shim.exit_code(), 0);
    let ids = jsonrpc_ids(&logs);
    let stderr = all_lines(&err_lines);
    assert_eq!(ids, [json!(2), json!(3), json!(4)], "{stderr:?}");
    assert_eq!(lines_in(&logs, "receipts-").len(), 4);
    let count = |s: &str| stderr.iter().filter(|l| l.contains(s)).count();
    let named = format!("cannot read the events file '{}'", events_file.display());
    assert_eq!(count(&named), 1, "{stderr:?}");
    assert_eq!(count("can be read again; the counts"), 1, "{stderr:?}");
    assert_eq!(count("unwritten"), 0, "{stderr:?}");
}

/// A client whose output cannot be written (a full disk, a pipe it closed): the shim says
/// so once on stderr, drains the server still, and the events of the calls whose answers
/// were lost say `undelivered`; an answer delivered before does not.
#[test]
fn answers_the_client_cannot_take_are_noted_in_their_events() {
    let ctx = TestContext::new();
    ctx.write(
        "pricing.toml",
        "provider_id = \"acme\"\n[tools.echo]\npricing_model = \"per_call\"\nprice_per_call = \"$0.01\"\n",
    );
    let server = context::bin();
    let shim_with = |logs: &Path, stdout: Stdio, extra: &[&str]| {
        ctx.command()
            .args(["wrap", "--pricing", "pricing.toml", "--log-dir"])
            .arg(logs)
            .args(extra)
            .arg("--")
            .arg(&server)
            .arg("example-server")
            .stdin(Stdio::piped())
            .stdout(stdout)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let shim = |logs: &Path, stdout: Stdio| shim_with(logs, stdout, &[]);
    let stderr_of = |child: &mut Child| {
        let mut text = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let echo = |id| call_line(id, "echo", &json!({"text": "x"}));

    // A full disk: nothing is delivered.
    let logs = ctx.join("full");
    let dev_full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut child = shim(&logs, Stdio::from(dev_full));
    let mut to_shim = child.stdin.take().unwrap();
    writeln!(to_shim, "{}\n{}\n{}", init_line(), echo(1), echo(2)).unwrap();
    drop(to_shim);
    let stderr = stderr_of(&mut child);
    assert_eq!(wait_exit(&mut child), 0);
    assert_eq!(
        stderr
            .matches("cannot write to the client (stdout)")
            .count(),
        1,
        "{stderr}"
    );
    let events = events_in(&logs);
    assert_eq!(events.len(), 2);
    assert!(
        events
            .iter()
            .all(|e| e["metadata"]["undelivered"] == true && e["status"] == "success"),
        "{events:?}"
    );

    // A client that reads one answer, then closes its end.
    let logs = ctx.join("closed");
    let mut child = shim(&logs, Stdio::piped());
    let mut to_shim = child.stdin.take().unwrap();
    let mut from_shim = BufReader::new(child.stdout.take().unwrap());
    writeln!(to_shim, "{}\n{}", init_line(), echo(1)).unwrap();
    let mut line = String::new();
    for _ in 0..2 {
        from_shim.read_line(&mut line).unwrap();
    }
    assert!(line.contains("\"id\":1"), "{line}");
    drop(from_shim);
    wait_for_events(&logs, 1);
    for id in 2..=3 {
        writeln!(to_shim, "{}", echo(id)).unwrap();
    }
    drop(to_shim);
    let stderr = stderr_of(&mut child);
    assert_eq!(wait_exit(&mut child), 0);
    assert_eq!(
        stderr
            .matches("cannot write to the client (stdout)")
            .count(),
        1,
        "{stderr}"
    );
    let events = events_in(&logs);
    let undelivered: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e["metadata"]["jsonrpc_id"].clone(),
                e["metadata"]["undelivered"].clone(),
            )
        })
        .collect();
    assert_eq!(
        undelivered,
        [
            (json!(1), Value::Null),
            (json!(2), json!(true)),
            (json!(3), json!(true))
        ]
    );

    // Calls priced under the log's lock (a budget) and answers the shim writes itself (a
    // timeout) are recorded before their answers are written: once the client is found
    // gone, they are marked too.
    let logs = ctx.join("budget");
    let mut child = shim_with(
        &logs,
        Stdio::piped(),
        &["--budget", "$5", "--timeout", "300ms"],
    );
    let mut to_shim = child.stdin.take().unwrap();
    let mut from_shim = BufReader::new(child.stdout.take().unwrap());
    writeln!(to_shim, "{}\n{}", init_line(), echo(1)).unwrap();
    let mut line = String::new();
    for _ in 0..2 {
        from_shim.read_line(&mut line).unwrap();
    }
    drop(from_shim);
    wait_for_events(&logs, 1);
    // The answer whose write finds the client gone.
    writeln!(to_shim, "{}", echo(2)).unwrap();
    wait_for_events(&logs, 2);
    writeln!(to_shim, "{}", echo(3)).unwrap();
    wait_for_events(&logs, 3);
    writeln!(to_shim, "{}", call_line(4, "slow", &json!({"ms": 1500}))).unwrap();
    wait_for_events(&logs, 4);
    drop(to_shim);
    stderr_of(&mut child);
    wait_exit(&mut child);
    let events = events_in(&logs);
    let by_id = |id: u64| {
        events
            .iter()
            .find(|e| e["metadata"]["jsonrpc_id"] == id)
            .unwrap_or_else(|| panic!("no event {id}: {events:?}"))
    };
    assert_eq!(by_id(1)["metadata"]["undelivered"], Value::Null);
    assert_eq!(by_id(3)["metadata"]["undelivered"], true, "{events:?}");
    assert_eq!(by_id(3)["cost_microcents"], 10_000);
    assert_eq!(by_id(4)["status"], "timeout");
    assert_eq!(by_id(4)["metadata"]["undelivered"], true, "{events:?}");
}

/// A log directory that is a link to nothing is named as such (creating it fails with
/// "File exists", which says nothing of the link).
#[test]
fn a_log_dir_linked_to_nothing_is_named() {
    let ctx = TestContext::new();
    std::os::unix::fs::symlink(ctx.join("gone"), ctx.join("logs-link")).unwrap();
    let run = ctx.run_stdin(
        [
            "wrap",
            "--log-dir",
            "logs-link",
            "--provider-id",
            "acme",
            "--",
            "cat",
        ],
        Some(b""),
    );
    run.code(2)
        .one_line_wrap_error()
        .stderr_has("'logs-link' is a link to '")
        .stderr_has("gone', which does not exist");
    // A loop of links is not "a link to nothing".
    std::os::unix::fs::symlink("loop-b", ctx.join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", ctx.join("loop-b")).unwrap();
    let run = ctx.run_stdin(
        [
            "wrap",
            "--log-dir",
            "loop-a",
            "--provider-id",
            "acme",
            "--",
            "cat",
        ],
        Some(b""),
    );
    run.code(2)
        .one_line_wrap_error()
        .stderr_has("Too many levels of symbolic links");
    assert!(!run.stderr.contains("does not exist"), "{}", run.stderr);
}

/// A called tool that a pricing file with prices leaves free by omission (a misspelt
/// `[tools.NAME]`, no `[default]`) is said once, with the likely misspelling; a tool the
/// file prices, or a file with a `[default]`, raises nothing.
#[test]
fn a_tool_left_free_by_a_misspelt_price_is_warned_about_once() {
    let ctx = TestContext::new();
    let typo = "provider_id = \"acme\"\n[tools.serach]\npricing_model = \"per_call\"\nprice_per_call = \"$0.05\"\n[tools.echo]\npricing_model = \"per_call\"\nprice_per_call = \"$0.01\"\n";
    ctx.write("typo.toml", typo);
    ctx.write(
        "default.toml",
        format!("{typo}[default]\npricing_model = \"free\"\n"),
    );
    let input = format!(
        "{}\n{}\n{}\n{}\n",
        init_line(),
        call_line(1, "search", &json!({"query": "a"})),
        call_line(2, "search", &json!({"query": "b"})),
        call_line(3, "echo", &json!({"text": "c"})),
    );
    let args = |pricing: &'static str| {
        [
            "wrap",
            "--pricing",
            pricing,
            "--log-dir",
            "logs",
            "--",
            "python3",
        ]
    };
    let run = ctx.run_stdin(
        args("typo.toml")
            .iter()
            .copied()
            .chain([toy().to_str().unwrap()]),
        Some(input.as_bytes()),
    );
    run.code(0);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("not in typo.toml"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("tool 'search'"), "{}", run.stderr);
    assert!(
        warnings[0].contains("'serach': misspelt?"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("tool 'echo'"), "{}", run.stderr);
    let run = ctx.run_stdin(
        args("default.toml")
            .iter()
            .copied()
            .chain([toy().to_str().unwrap()]),
        Some(input.as_bytes()),
    );
    run.code(0);
    assert!(!run.stderr.contains("no [default]"), "{}", run.stderr);
}

/// wrap's options written after the server command without `--` go to the server (clap
/// cannot tell); the shim says so. With `--` the server's arguments are its own business.
#[test]
fn wrap_options_after_the_server_command_are_pointed_out() {
    let ctx = TestContext::new();
    ctx.write(
        "p.toml",
        "provider_id = \"acme\"\n[tools.echo]\npricing_model = \"per_call\"\nprice_per_call = \"$0.01\"\n",
    );
    let toy = toy();
    let toy = toy.to_str().unwrap();
    let input = format!("{}\n", init_line());
    let run = ctx.run_stdin(
        [
            "wrap",
            "--log-dir",
            "logs",
            "python3",
            toy,
            "--pricing",
            "p.toml",
            "--timeout=5s",
            "--verbose-server",
        ],
        Some(input.as_bytes()),
    );
    run.code(0)
        .stderr_has("the server was given --pricing, --timeout, which are wrap's own");
    let run = ctx.run_stdin(
        [
            "wrap",
            "--log-dir",
            "logs",
            "--",
            "python3",
            toy,
            "--pricing",
            "p.toml",
        ],
        Some(input.as_bytes()),
    );
    run.code(0);
    assert!(!run.stderr.contains("wrap's own"), "{}", run.stderr);
}

/// A FIFO where the log directory's events file or lock belongs would block the open
/// forever, before the server even starts: it is refused at once, naming it.
#[test]
fn a_fifo_in_the_log_directory_is_refused_not_waited_on() {
    let ctx = TestContext::new();
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    for name in [format!("events-{month}.jsonl"), ".lock".to_owned()] {
        let dir = ctx.join(&format!("logs-{}", name.trim_start_matches('.')));
        std::fs::create_dir(&dir).unwrap();
        let fifo = dir.join(&name);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let log_dir = dir.to_str().unwrap();
        let expected = format!(
            "'{}' is not a regular file (a FIFO or a socket); move it out of the log directory",
            fifo.display()
        );
        ctx.run(["wrap", "--log-dir", log_dir, "--", "cat"])
            .code(2)
            .stderr_has(&expected);
        if name == ".lock" {
            ctx.run([
                "feedback",
                "--log-dir",
                log_dir,
                "--agent-id",
                "a",
                "--discarded",
                "r1",
            ])
            .code(2)
            .stderr_has(&expected);
        }
    }
}

/// A server that cannot be started for want of a resource of the shim's (file descriptors
/// here) is exit 2, naming the limit: 126 would say the command cannot be executed.
#[test]
fn a_resource_limit_at_the_server_start_is_named_not_126() {
    let ctx = TestContext::new();
    let mut cmd = ctx.command_of("bash");
    cmd.arg("-c")
        .arg("ulimit -n 12; exec \"$0\" wrap --log-dir logs -- cat")
        .arg(crate::context::bin());
    crate::context::run_command(cmd, None)
        .code(2)
        .stderr_has("cannot start the server 'cat': Too many open files (os error 24); too many open files for mcpbill to start it; raise the limit (ulimit -n)");
}

/// Under an open-file limit too low to start at all, wrap ends with one line naming the
/// limit, whichever step the limit stops (the async runtime, or tokio's signal handling,
/// which panics: the panic is said in one line too), never a panic's report.
#[test]
fn a_tiny_open_file_limit_is_one_line_naming_it() {
    let ctx = TestContext::new();
    for n in 6..=9 {
        let mut cmd = ctx.command_of("bash");
        cmd.env_remove("RUST_BACKTRACE")
            .arg("-c")
            .arg(format!(
                "ulimit -n {n}; exec \"$0\" wrap --log-dir logs -- cat"
            ))
            .arg(crate::context::bin());
        let run = crate::context::run_command(cmd, None);
        assert!(run.code != 0, "n={n}: exit {}", run.code);
        assert_eq!(run.stderr.lines().count(), 1, "n={n}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("mcpbill: error: ") && run.stderr.contains("ulimit -n"),
            "n={n}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "n={n}: {}", run.stderr);
    }
}

/// A SIGTERM sent as soon as the shim has started its server (its first note is said
/// after that) is handled: forwarded to the server, which ends, and the shim exits with
/// 128 + 15, instead of dying by it and leaving the server running without a parent.
#[test]
fn a_sigterm_right_after_the_start_is_handled() {
    for _ in 0..5 {
        let ctx = TestContext::new();
        let server = ["sleep", "30"].map(std::ffi::OsStr::new);
        let mut shim = Shim::around(&ctx, &["--provider-id", "acme"], &[], &server);
        let mut err = std::io::BufReader::new(shim.child.stderr.take().unwrap());
        let mut first = String::new();
        std::io::BufRead::read_line(&mut err, &mut first).unwrap();
        context::signal(&shim.child, nix::sys::signal::Signal::SIGTERM);
        let code = context::wait_exit(&mut shim.child, Duration::from_secs(20));
        assert_eq!(code, Some(143), "{first}");
    }
}

/// A shim that cannot start its relay threads (a thread limit) ends its server before it
/// exits, naming the limit: the server is not left running without a parent.
#[test]
fn a_thread_limit_at_the_start_leaves_no_server_behind() {
    let ctx = TestContext::new();
    let args = [
        "wrap",
        "--log-dir",
        "logs",
        "--provider-id",
        "acme",
        "--",
        "sleep",
        "37.25",
    ];
    // The limit stops the relay threads (or, with other tests' processes under the same
    // user, the server itself): either way exit 2 naming it.
    context::with_thread_limit(&ctx, 2, &args)
        .code(2)
        .stderr_has("ulimit -u");
    std::thread::sleep(Duration::from_millis(300));
    let alive = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .any(|c| c.windows(6).any(|w| w == b"37.25\0"));
    assert!(!alive, "the server outlived the shim");
}
