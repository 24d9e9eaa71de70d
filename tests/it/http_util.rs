//! Helpers for the HTTP tests: the Python fixture server, a spawned `mcpbill serve`,
//! a provider's files (key, pricing, signed receipts) and small HTTP calls.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mcpbill::key::Secret;
use mcpbill::receipt::{ReceiptFields, sign_fields};
use serde_json::{Value, json};

use crate::context::{TestContext, fixture};

/// The provider secret used by the tests.
pub const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
/// An agent's API key.
pub const AGENT_KEY: &str = "agent-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// The provider's API key.
pub const PROVIDER_KEY: &str = "provider-key-pppppppppppppppppppppppppp";

/// A child process killed on drop.
pub struct Proc {
    pub child: Child,
    /// `host:port`.
    pub addr: String,
}

impl Proc {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
    pub fn port(&self) -> u16 {
        self.addr.rsplit(':').next().unwrap().parse().unwrap()
    }
    pub fn signal(&self, sig: nix::sys::signal::Signal) {
        crate::context::signal(&self.child, sig);
    }
    /// Wait for exit (bounded); returns the exit code.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        crate::context::wait_exit(&mut self.child, limit)
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start the Python fixture server with these arguments.
pub fn fixture_server(args: &[&str]) -> Proc {
    let script = fixture("http/fixture_server.py");
    let mut child = Command::new("python3")
        .arg(script)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 is needed for the HTTP fixture server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("fixture printed {line:?}"));
    Proc {
        child,
        addr: format!("127.0.0.1:{port}"),
    }
}

/// Start `mcpbill serve --listen 127.0.0.1:0` with extra arguments.
pub fn serve(ctx: &TestContext, extra: &[&str]) -> Proc {
    let mut cmd = ctx.command();
    cmd.args(["serve", "--listen", "127.0.0.1:0"]).args(extra);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn mcpbill serve");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    if line.is_empty() {
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        panic!("serve did not start: {err}");
    }
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Proc { child, addr }
}

/// A signed receipt.
pub fn signed_receipt(id_hex: &str, cost: u64, verify_base: Option<&str>) -> Value {
    let key = Secret::from_text(SECRET).unwrap();
    let receipt_id = format!("rcpt_{id_hex}");
    let fields = ReceiptFields {
        receipt_id: &receipt_id,
        tool_id: "search",
        agent_id: "agent-1",
        provider_id: "acme",
        timestamp: "2026-11-20T10:00:00.000Z",
        cost_microcents: cost,
        status: "success",
    };
    let signature = sign_fields(&key, &fields).unwrap();
    let mut r = json!({
        "receipt_id": receipt_id, "tool_id": "search", "agent_id": "agent-1", "provider_id": "acme",
        "timestamp": "2026-11-20T10:00:00.000Z", "duration_ms": 12, "cost_microcents": cost,
        "status": "success", "input_hash": format!("sha256:{}", "a".repeat(64)),
        "output_hash": format!("sha256:{}", "b".repeat(64)), "signature": signature,
    });
    if let Some(base) = verify_base {
        r["verify_url"] = json!(format!("{base}/api/receipts/{receipt_id}"));
    }
    r
}

/// A provider's files: key, pricing, API keys, a receipts log with one valid and one
/// tampered receipt, and the valid receipt alone in `receipt.json`.
pub struct Provider {
    pub key: PathBuf,
    pub pricing: PathBuf,
    pub api_keys: PathBuf,
    pub logs: PathBuf,
    pub receipt: PathBuf,
    pub valid: Value,
    pub tampered: Value,
}

pub fn provider(ctx: &TestContext) -> Provider {
    let key = ctx.write("provider.key", format!("{SECRET}\n"));
    let pricing = ctx.write(
        "pricing.toml",
        r#"provider_id = "acme"

[tools.search]
pricing_model = "per_call"
price_per_call = "$0.05"

[tools.search.free_tier]
calls_per_month = 100

[tools.summarize]
pricing_model = "per_token"
price_per_input_token = "$0.00001"
price_per_output_token = 30
"#,
    );
    let hash = ctx.run_stdin(
        ["serve", "--hash-key", "agent-1"],
        Some(AGENT_KEY.as_bytes()),
    );
    hash.code(0);
    let provider_hash = ctx.run_stdin(
        ["serve", "--hash-key", "acme", "--role", "provider"],
        Some(PROVIDER_KEY.as_bytes()),
    );
    provider_hash.code(0);
    let api_keys = ctx.write(
        "api-keys.toml",
        format!("{}{}", hash.stdout, provider_hash.stdout),
    );
    let valid = signed_receipt("0a0a0a0a0a0a0a0a0a0a0a0a", 50000, None);
    let mut tampered = signed_receipt("0b0b0b0b0b0b0b0b0b0b0b0b", 50000, None);
    tampered["cost_microcents"] = json!(1);
    let logs = ctx.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(
        logs.join("receipts-2026-11.jsonl"),
        format!("{valid}\n{tampered}\nnot json\n"),
    )
    .unwrap();
    let receipt = ctx.write("receipt.json", valid.to_string());
    Provider {
        key,
        pricing,
        api_keys,
        logs,
        receipt,
        valid,
        tampered,
    }
}

/// Serve a provider's files.
pub fn serve_provider(ctx: &TestContext, p: &Provider) -> Proc {
    serve(
        ctx,
        &[
            "--log-dir",
            p.logs.to_str().unwrap(),
            "--key-file",
            p.key.to_str().unwrap(),
            "--pricing",
            p.pricing.to_str().unwrap(),
            "--api-keys",
            p.api_keys.to_str().unwrap(),
        ],
    )
}

/// Serve a provider's log with its key, and `extra` flags.
pub fn serve_log(ctx: &TestContext, p: &Provider, extra: &[&str]) -> Proc {
    let mut args = vec![
        "--log-dir",
        p.logs.to_str().unwrap(),
        "--key-file",
        p.key.to_str().unwrap(),
    ];
    args.extend(extra);
    serve(ctx, &args)
}

/// A raw HTTP/1.1 exchange; returns (status, body). The request is sent as given.
pub fn raw(addr: &str, request: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// A GET with `Connection: close`; returns (status, body).
pub fn get(addr: &str, path: &str) -> (u16, String) {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// The gaps, in seconds, between the POSTs the fixture received.
pub fn post_gaps(rx: &Proc) -> Vec<f64> {
    let times = json_body(&get(&rx.addr, "/posts").1);
    let times: Vec<f64> = times
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

/// A POST with a body and optional bearer key.
pub fn post(addr: &str, path: &str, body: &[u8], bearer: Option<&str>) -> (u16, String) {
    let auth = bearer
        .map(|k| format!("Authorization: Bearer {k}\r\n"))
        .unwrap_or_default();
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    raw(addr, &req)
}

/// Parse a JSON body.
pub fn json_body(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// Poll `f` until it returns `Some`, for at most `limit`.
pub fn wait_for<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "condition not reached within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}
