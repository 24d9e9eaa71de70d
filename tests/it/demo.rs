//! `mcpbill demo` end to end (it runs `mcpbill wrap` around `mcpbill example-server`), and the
//! example server over real pipes.

use serde_json::{Value, json};

use crate::context::TestContext;

#[test]
fn demo_meters_every_call_and_all_receipts_verify() {
    let ctx = TestContext::new();
    let run = ctx.run(["demo"]);
    run.code(0);
    run.stdout_has("receipts, all valid");
    for tool in ["echo", "search", "summarize", "fail", "slow", "total"] {
        run.stdout_has(tool);
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn demo_json_is_one_document_with_refusals_free_tier_and_revenue() {
    let ctx = TestContext::new();
    let logs = ctx.join("demo-logs");
    let run = ctx.run(["demo", "--json", "--log-dir", logs.to_str().unwrap()]);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["ok"], true, "{doc:#}");
    let totals = &doc["totals"];
    assert_eq!(totals["calls"], doc["calls_sent"]);
    assert_eq!(doc["receipts"]["total"], totals["calls"]);
    assert_eq!(doc["receipts"]["invalid"], json!([]));
    let tools: Vec<&Value> = doc["tools"].as_array().unwrap().iter().collect();
    let tool = |name: &str| -> &Value {
        tools
            .iter()
            .find(|t| t["tool"] == name)
            .unwrap_or_else(|| panic!("no {name} row in {doc:#}"))
    };
    // The search free tier (5 calls) applied, the budget refused some searches, the failing
    // tool was recorded as errors and earned nothing, the free tool earned nothing.
    assert_eq!(tool("search")["free_tier_calls"], 5);
    assert_eq!(
        tool("search")["successes"].as_u64().unwrap(),
        tool("search")["calls"].as_u64().unwrap() - tool("search")["refused"].as_u64().unwrap(),
        "{doc:#}"
    );
    assert_eq!(doc["lines_skipped"], 0);
    assert!(tool("search")["refused"].as_u64().unwrap() > 0, "{doc:#}");
    assert_eq!(tool("fail")["errors"], 3);
    assert_eq!(tool("fail")["revenue_microcents"], 0);
    assert_eq!(tool("echo")["revenue_microcents"], 0);
    assert!(tool("summarize")["input_tokens"].as_u64().unwrap() > 0);
    assert!(totals["revenue_microcents"].as_u64().unwrap() > 0);
    // Everything stays in --log-dir.
    assert!(logs.join("demo-pricing.toml").is_file());
    assert!(logs.join("demo.key").is_file());
    let events = std::fs::read_dir(&logs)
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().starts_with("events-"));
    assert!(events);

    // A second run in the same directory starts afresh (a new agent) and still verifies.
    let again = ctx.run(["demo", "--json", "--log-dir", logs.to_str().unwrap()]);
    again.code(0);
    assert_eq!(again.json()["totals"]["calls"], doc["totals"]["calls"]);

    // A pricing file of the user's own in that place is not overwritten.
    let own = ctx.join("own");
    std::fs::create_dir_all(&own).unwrap();
    ctx.write("own/demo-pricing.toml", "provider_id = \"mine\"\n");
    ctx.run(["demo", "--log-dir", own.to_str().unwrap()])
        .code(2)
        .one_line_error()
        .stderr_has("is not the demo's pricing file");
    assert_eq!(
        std::fs::read_to_string(own.join("demo-pricing.toml")).unwrap(),
        "provider_id = \"mine\"\n"
    );
}

#[test]
fn demo_reports_a_tampered_receipt_log() {
    // Verification is real: a receipt whose cost was changed after signing is caught by
    // the same check the demo uses.
    let ctx = TestContext::new();
    let logs = ctx.join("logs-tamper");
    ctx.run(["demo", "--json", "--log-dir", logs.to_str().unwrap()])
        .code(0);
    let receipts = std::fs::read_dir(&logs)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("receipts-")
        })
        .expect("a receipts file");
    let text = std::fs::read_to_string(&receipts).unwrap();
    let mut first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let agent = first["agent_id"].as_str().unwrap().to_owned();
    first["cost_microcents"] = json!(first["cost_microcents"].as_u64().unwrap() + 1);
    let secret = mcpbill::key::Secret::from_file(&logs.join("demo.key")).unwrap();
    let verdict = mcpbill::receipt::verify_value(&first, |_| Some(&secret));
    assert!(verdict.invalid.is_some());
    let mut tampered = first.to_string();
    tampered.push('\n');
    for line in text.lines().skip(1) {
        tampered.push_str(line);
        tampered.push('\n');
    }
    std::fs::write(&receipts, tampered).unwrap();
    let check = mcpbill::demo::verify_receipts(&logs, &agent, "demo-provider", &secret).unwrap();
    assert_eq!(check.invalid.len(), 1);
    assert_eq!(check.valid + 1, check.total);
}

#[test]
fn example_server_speaks_newline_json_rpc_on_stdout_only() {
    let ctx = TestContext::new();
    let input = concat!(
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}"#,
        "\n",
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        "\n",
        r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
        "\n",
        r#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search","arguments":{"query":"q"}}}"#,
        "\n",
        r#"{"jsonrpc":"2.0","id":4,"method":"no/such"}"#,
        "\n",
    );
    let run = ctx.run_stdin(["example-server"], Some(input.as_bytes()));
    run.code(0);
    assert_eq!(run.stderr, "");
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert_eq!(lines[0]["result"]["protocolVersion"], "2025-06-18");
    let names: Vec<&str> = lines[1]["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["echo", "search", "summarize", "fail", "slow"]);
    assert_eq!(
        lines[2]["result"]["structuredContent"]["hits"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(lines[3]["error"]["code"], -32601);
}

/// When the log cannot hold the run's events (a file size limit here), the demo says what
/// the shim said, a line at a time, so the cause is on screen without -v.
#[test]
fn a_log_that_cannot_be_written_shows_the_shims_reason() {
    let ctx = TestContext::new();
    let run = crate::context::with_file_limit(&ctx, 2, &["demo", "--log-dir", "d"]);
    run.code(1)
        .stderr_has("calls were sent but the log holds")
        .stderr_has(
            "\nthe shim's stderr:\n  mcpbill: cannot write the event log: cannot append to ",
        )
        .stderr_has("File too large");
    assert!(!run.stderr.contains("\\n"), "{}", run.stderr);
}
