//! The built-in example MCP server (`mcpbill example-server`, hidden): a small, correct stdio
//! server with tools that exercise every kind of billing, used by `mcpbill demo`, the tests and
//! the wrap benchmark. Newline-delimited JSON-RPC on stdin/stdout; stdout carries protocol only.

use std::collections::HashSet;
use std::io::{self, BufRead, BufWriter, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value, json};

/// Protocol versions this server speaks, newest first.
pub const PROTOCOL_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// The server's name in `initialize`.
pub const SERVER_NAME: &str = "mcpbill-example-server";

/// Longest sleep `slow` accepts, in milliseconds.
const MAX_SLOW_MS: u64 = 60_000;

/// JSON-RPC error codes.
mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
}

/// Where answers go: one whole line per message, flushed at once. Shared with the
/// threads that answer `slow` calls.
#[derive(Clone)]
struct Out(Arc<Mutex<Box<dyn Write + Send>>>);

impl Out {
    fn send(&self, msg: &Value) -> io::Result<()> {
        let mut line = serde_json::to_vec(msg).map_err(io::Error::other)?;
        line.push(b'\n');
        let mut w = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        w.write_all(&line)?;
        w.flush()
    }
}

/// The server's state across messages.
struct Server {
    out: Out,
    /// Ids of `slow` calls still sleeping, and those the client cancelled.
    pending: Arc<Mutex<Pending>>,
}

#[derive(Default)]
struct Pending {
    sleeping: HashSet<String>,
    cancelled: HashSet<String>,
}

/// Serve on the process's stdin and stdout until stdin closes.
pub fn serve_stdio() -> io::Result<()> {
    let stdin = io::stdin();
    let out: Box<dyn Write + Send> = Box::new(BufWriter::new(io::stdout()));
    serve(stdin.lock(), out)
}

/// Serve messages read from `input`, writing answers to `output`, until `input` ends.
pub fn serve(mut input: impl BufRead, output: Box<dyn Write + Send>) -> io::Result<()> {
    let server = Server {
        out: Out(Arc::new(Mutex::new(output))),
        pending: Arc::new(Mutex::new(Pending::default())),
    };
    let mut line = Vec::new();
    let mut workers = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if let Some(worker) = server.handle_line(&line)? {
            workers.push(worker);
        }
        workers.retain(|w: &std::thread::JoinHandle<()>| !w.is_finished());
    }
    // Answer the calls still sleeping before exiting, as a well-behaved server does on EOF.
    for worker in workers {
        let _ = worker.join();
    }
    Ok(())
}

impl Server {
    fn handle_line(&self, raw: &[u8]) -> io::Result<Option<std::thread::JoinHandle<()>>> {
        let text = trim_line(raw);
        if text.is_empty() {
            return Ok(None);
        }
        let msg: Value = match serde_json::from_slice(text) {
            Ok(v) => v,
            Err(e) => {
                self.out.send(&error(
                    &Value::Null,
                    code::PARSE_ERROR,
                    &format!("parse error: {e}"),
                ))?;
                return Ok(None);
            }
        };
        match msg {
            Value::Array(batch) => {
                if batch.is_empty() {
                    self.out
                        .send(&error(&Value::Null, code::INVALID_REQUEST, "empty batch"))?;
                    return Ok(None);
                }
                let mut answers = Vec::new();
                for item in &batch {
                    // `slow` inside a batch is answered inline to keep the batch whole.
                    if let Some(answer) = self.dispatch(item, false).0 {
                        answers.push(answer);
                    }
                }
                if !answers.is_empty() {
                    self.out.send(&Value::Array(answers))?;
                }
                Ok(None)
            }
            other => {
                let (answer, worker) = self.dispatch(&other, true);
                if let Some(answer) = answer {
                    self.out.send(&answer)?;
                }
                Ok(worker)
            }
        }
    }

    /// Handle one message: its answer (none for notifications and responses), or a
    /// worker thread that will answer later.
    fn dispatch(
        &self,
        msg: &Value,
        may_defer: bool,
    ) -> (Option<Value>, Option<std::thread::JoinHandle<()>>) {
        let Some(obj) = msg.as_object() else {
            return (
                Some(error(
                    &Value::Null,
                    code::INVALID_REQUEST,
                    "a message must be an object",
                )),
                None,
            );
        };
        let id = obj.get("id");
        let Some(method) = obj.get("method").and_then(Value::as_str) else {
            if id.is_some() && (obj.contains_key("result") || obj.contains_key("error")) {
                // A response to a request we never sent: ignore it.
                return (None, None);
            }
            let id = id.cloned().unwrap_or(Value::Null);
            return (
                Some(error(&id, code::INVALID_REQUEST, "missing method")),
                None,
            );
        };
        let params = obj.get("params").cloned().unwrap_or(Value::Null);
        let Some(id) = id else {
            self.notification(method, &params);
            return (None, None);
        };
        if !(id.is_string() || id.is_number()) {
            return (
                Some(error(
                    &Value::Null,
                    code::INVALID_REQUEST,
                    "id must be a string or a number",
                )),
                None,
            );
        }
        match method {
            "initialize" => (Some(ok(id, initialize(&params))), None),
            "ping" => (Some(ok(id, json!({}))), None),
            "tools/list" => (Some(ok(id, json!({ "tools": tools() }))), None),
            "tools/call" => self.call(id, &params, may_defer),
            _ => (
                Some(error(
                    id,
                    code::METHOD_NOT_FOUND,
                    &format!("method not found: {method}"),
                )),
                None,
            ),
        }
    }

    fn notification(&self, method: &str, params: &Value) {
        if method == "notifications/cancelled"
            && let Some(req) = params.get("requestId")
        {
            let mut p = self
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let key = req.to_string();
            if p.sleeping.contains(&key) {
                p.cancelled.insert(key);
            }
        }
        // `notifications/initialized` and any other notification need no answer.
    }

    fn call(
        &self,
        id: &Value,
        params: &Value,
        may_defer: bool,
    ) -> (Option<Value>, Option<std::thread::JoinHandle<()>>) {
        let Some(name) = params.get("name").and_then(Value::as_str) else {
            return (
                Some(error(
                    id,
                    code::INVALID_PARAMS,
                    "tools/call needs params.name",
                )),
                None,
            );
        };
        let empty = Map::new();
        let args = match params.get("arguments") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(m)) => m,
            Some(_) => {
                return (
                    Some(error(
                        id,
                        code::INVALID_PARAMS,
                        "arguments must be an object",
                    )),
                    None,
                );
            }
        };
        match name {
            "echo" => (Some(ok(id, text_result(str_arg(args, "text")))), None),
            "search" => (Some(ok(id, search(str_arg(args, "query")))), None),
            "summarize" => (Some(ok(id, summarize(args))), None),
            "fail" => {
                let reason = args
                    .get("reason")
                    .and_then(Value::as_str)
                    .unwrap_or("the tool failed as asked");
                let mut result = text_result(reason);
                result["isError"] = Value::Bool(true);
                (Some(ok(id, result)), None)
            }
            "slow" => {
                let ms = args
                    .get("ms")
                    .and_then(Value::as_u64)
                    .unwrap_or(100)
                    .min(MAX_SLOW_MS);
                let result = text_result(&format!("slept {ms} ms"));
                if !may_defer {
                    std::thread::sleep(Duration::from_millis(ms));
                    return (Some(ok(id, result)), None);
                }
                let key = id.to_string();
                self.pending
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .sleeping
                    .insert(key.clone());
                let out = self.out.clone();
                let pending = Arc::clone(&self.pending);
                let answer = ok(id, result);
                let worker = std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(ms));
                    let cancelled = {
                        let mut p = pending
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        p.sleeping.remove(&key);
                        p.cancelled.remove(&key)
                    };
                    // A cancelled request gets no response (MCP cancellation).
                    if !cancelled {
                        let _ = out.send(&answer);
                    }
                });
                (None, Some(worker))
            }
            other => (
                Some(error(
                    id,
                    code::INVALID_PARAMS,
                    &format!("unknown tool: {other}"),
                )),
                None,
            ),
        }
    }
}

/// The line without its newline, a trailing `\r` and a leading BOM.
fn trim_line(raw: &[u8]) -> &[u8] {
    let mut s = raw;
    if let Some(rest) = s.strip_suffix(b"\n") {
        s = rest;
    }
    if let Some(rest) = s.strip_suffix(b"\r") {
        s = rest;
    }
    if let Some(rest) = s.strip_prefix(b"\xef\xbb\xbf") {
        s = rest;
    }
    s.trim_ascii()
}

fn initialize(params: &Value) -> Value {
    let requested = params.get("protocolVersion").and_then(Value::as_str);
    let version = requested
        .filter(|v| PROTOCOL_VERSIONS.contains(v))
        .unwrap_or(PROTOCOL_VERSIONS[0]);
    json!({
        "protocolVersion": version,
        "capabilities": { "tools": { "listChanged": false } },
        "serverInfo": { "name": SERVER_NAME, "version": env!("CARGO_PKG_VERSION") },
        "instructions": "An example server for mcpbill: echo is free, search is priced per call, \
    summarize per token, fail always fails, slow sleeps."
    })
}

fn tools() -> Value {
    json!([
        {
            "name": "echo",
            "description": "Return the text unchanged.",
            "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}
        },
        {
            "name": "search",
            "description": "Pretend to search and return three results.",
            "inputSchema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}
        },
        {
            "name": "summarize",
            "description": "Return the first words of the text and report tokens used in _meta.",
            "inputSchema": {"type": "object", "properties": {
                "text": {"type": "string"},
                "words": {"type": "integer", "minimum": 1},
                "report": {"type": "string", "enum": ["usage", "mmcp", "none"]}
            }, "required": ["text"]}
        },
        {
            "name": "fail",
            "description": "Always fail with isError: true.",
            "inputSchema": {"type": "object", "properties": {"reason": {"type": "string"}}}
        },
        {
            "name": "slow",
            "description": "Sleep for ms milliseconds, then answer.",
            "inputSchema": {"type": "object", "properties": {"ms": {"type": "integer", "minimum": 0}}}
        }
    ])
}

fn str_arg<'a>(args: &'a Map<String, Value>, key: &str) -> &'a str {
    args.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn text_result(text: &str) -> Value {
    json!({ "content": [{ "type": "text", "text": text }], "isError": false })
}

fn search(query: &str) -> Value {
    let hits: Vec<String> = (1..=3)
        .map(|i| format!("result {i} for '{query}'"))
        .collect();
    json!({
        "content": [{ "type": "text", "text": hits.join("\n") }],
        "structuredContent": { "query": query, "hits": hits },
        "isError": false
    })
}

fn summarize(args: &Map<String, Value>) -> Value {
    let text = str_arg(args, "text");
    let keep = args.get("words").and_then(Value::as_u64).unwrap_or(8) as usize;
    let words: Vec<&str> = text.split_whitespace().collect();
    let summary = words
        .iter()
        .take(keep)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    // A stand-in tokenizer: one token per whitespace-separated word.
    let input_tokens = words.len() as u64;
    let output_tokens = summary.split_whitespace().count() as u64;
    let mut result = text_result(&summary);
    match args
        .get("report")
        .and_then(Value::as_str)
        .unwrap_or("usage")
    {
        "mmcp" => {
            result["_meta"] = json!({
                "mmcp/metering": format!("request=1, token={}", input_tokens + output_tokens)
            });
        }
        "none" => {}
        _ => {
            result["_meta"] = json!({
                "usage": { "input_tokens": input_tokens, "output_tokens": output_tokens }
            });
        }
    }
    result
}

#[allow(clippy::needless_pass_by_value)] // callers build the result in place
fn ok(id: &Value, result: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "result": result })
}

fn error(id: &Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn run(input: &str) -> Vec<Value> {
        let buf = Arc::new(Mutex::new(Vec::new()));
        serve(input.as_bytes(), Box::new(Sink(Arc::clone(&buf)))).unwrap();
        let bytes = buf.lock().unwrap().clone();
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn negotiates_protocol_version() {
        let out = run(concat!(
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}"#,
            "\n"
        ));
        assert_eq!(out[0]["result"]["protocolVersion"], "2025-03-26");
        assert_eq!(out[1]["result"]["protocolVersion"], PROTOCOL_VERSIONS[0]);
        assert_eq!(out[0]["result"]["serverInfo"]["name"], SERVER_NAME);
    }

    #[test]
    fn notifications_get_no_answer_and_unknown_methods_get_32601() {
        let out = run(concat!(
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":"p","method":"ping"}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":3,"method":"resources/list"}"#,
            "\n"
        ));
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], json!({"jsonrpc":"2.0","id":"p","result":{}}));
        assert_eq!(out[1]["error"]["code"], -32601);
        assert_eq!(out[1]["id"], 3);
    }

    #[test]
    fn tools_answer_as_documented() {
        let out = run(concat!(
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"summarize","arguments":{"text":"a b c d e","words":2}}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"summarize","arguments":{"text":"a b c","report":"mmcp"}}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"fail"}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"nope"}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"slow","arguments":{"ms":300}}}"#,
            "\n",
            "not json\n",
        ));
        assert_eq!(out[0]["result"]["content"][0]["text"], "hi");
        assert_eq!(out[1]["result"]["content"][0]["text"], "a b");
        assert_eq!(
            out[1]["result"]["_meta"]["usage"],
            json!({"input_tokens": 5, "output_tokens": 2})
        );
        assert_eq!(
            out[2]["result"]["_meta"]["mmcp/metering"],
            "request=1, token=6"
        );
        assert_eq!(out[3]["result"]["isError"], true);
        assert_eq!(out[4]["error"]["code"], -32602);
        // The parse error is answered at once; `slow` answers after its sleep (long enough
        // that a busy machine reads the next line first: 1 ms lost that race once in CI).
        assert_eq!(out[5]["error"]["code"], -32700);
        assert_eq!(out[6]["id"], 6);
    }

    #[test]
    fn cancelled_slow_call_is_not_answered() {
        let out = run(concat!(
            r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"slow","arguments":{"ms":200}}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":8,"method":"ping"}"#,
            "\n",
        ));
        assert_eq!(out, vec![json!({"jsonrpc":"2.0","id":8,"result":{}})]);
    }

    #[test]
    fn batches_are_answered_as_batches() {
        let out = run(concat!(
            r#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":2,"method":"x"}]"#,
            "\n"
        ));
        assert_eq!(out.len(), 1);
        let batch = out[0].as_array().unwrap();
        assert_eq!(batch.len(), 2);
        assert_eq!(batch[1]["error"]["code"], -32601);
    }
}
