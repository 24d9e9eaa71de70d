//! `mcpbill report` and `mcpbill feedback`.

use serde_json::{Value, json};

use crate::context::{TestContext, run_command};
use crate::logs::event;

/// A small log: every number below is hand-countable.
fn write_log(ctx: &TestContext) -> Vec<Value> {
    let m =
        |s: &str, r: &str, free: bool| json!({"session_id": s, "request_id": r, "free_tier": free});
    let lines = [
        event(
            "acme",
            "search",
            "agent-a",
            "2026-11-01T10:00:00Z",
            "success",
            100,
            50_000,
            m("s1", "r1", false),
        ),
        event(
            "acme",
            "search",
            "agent-a",
            "2026-11-01T11:00:00Z",
            "success",
            200,
            0,
            m("s1", "r2", true),
        ),
        event(
            "acme",
            "search",
            "agent-b",
            "2026-11-02T10:00:00Z",
            "error",
            300,
            0,
            m("s2", "r3", false),
        ),
        event(
            "acme",
            "search",
            "agent-b",
            "2026-11-02T11:00:00Z",
            "timeout",
            30_000,
            0,
            m("s2", "r4", false),
        ),
        event(
            "acme",
            "search",
            "agent-b",
            "2026-11-02T12:00:00Z",
            "rate_limited",
            0,
            0,
            m("s2", "r5", false),
        ),
        event(
            "beta",
            "<b>sum,marize</b>",
            "agent-a",
            "2026-11-03T10:00:00Z",
            "success",
            400,
            70_000,
            m("s3", "r6", false),
        ),
        event(
            "beta",
            "<b>sum,marize</b>",
            "agent-c",
            "2026-12-01T00:00:00Z",
            "success",
            500,
            30_000,
            m("s4", "r7", false),
        ),
    ];
    std::fs::create_dir_all(ctx.join("logs")).unwrap();
    let mut text = lines.join("\n");
    text.push_str("\nnot json\n{\"event_id\":\"evt_0000000000000000000000\",\"tool_id\":\"t\",\"agent_id\":\"a\",\"provider_id\":\"p\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"status\":\"success\",\"duration_ms\":-5}\n");
    text.push_str(&lines[0][..30]);
    ctx.write("logs/events-2026-11.jsonl", text);
    lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn report(ctx: &TestContext, args: &[&str]) -> Value {
    let mut all = vec!["--json", "report"];
    all.extend_from_slice(args);
    ctx.run(&all).code(0).json()
}

#[test]
fn totals_equal_the_sum_of_the_events() {
    let ctx = TestContext::new();
    let events = write_log(&ctx);
    let calls = events.len() as u64;
    let revenue: u64 = events
        .iter()
        .map(|e| e["cost_microcents"].as_u64().unwrap())
        .sum();
    for by in ["tool", "agent", "provider", "session", "day"] {
        let doc = report(&ctx, &["--by", by]);
        assert_eq!(doc["totals"]["calls"], calls, "{by}");
        assert_eq!(doc["totals"]["revenue_microcents"], revenue, "{by}");
        assert_eq!(doc["lines_skipped"], 3, "{by}");
        let rows = doc["rows"].as_array().unwrap();
        let sum = |k: &str| rows.iter().map(|r| r[k].as_u64().unwrap()).sum::<u64>();
        for k in [
            "calls",
            "successes",
            "errors",
            "timeouts",
            "refused",
            "revenue_microcents",
            "charged_calls",
            "free_tier_calls",
        ] {
            assert_eq!(sum(k), doc["totals"][k].as_u64().unwrap(), "{by} {k}");
        }
    }
    let doc = report(&ctx, &["--by", "tool"]);
    let search = &doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "search")
        .unwrap()
        .clone();
    assert_eq!(search["calls"], 5);
    assert_eq!(search["successes"], 2);
    assert_eq!(search["errors"], 1);
    assert_eq!(search["timeouts"], 1);
    assert_eq!(search["refused"], 1);
    assert_eq!(search["success_pct"], 40.0);
    assert_eq!(search["error_pct"], 20.0);
    // Durations of the 4 calls that reached the server: 100, 200, 300, 30000.
    assert_eq!(search["p50_ms"], 200);
    assert_eq!(search["p95_ms"], 30_000);
    assert_eq!(search["p99_ms"], 30_000);
    assert_eq!(search["revenue_microcents"], 50_000);
    assert_eq!(search["free_tier_calls"], 1);

    // A budget is per agent: with another grouping it would be silently ignored.
    ctx.run(["report", "--budget", "$1"])
        .code(2)
        .one_line_error()
        .stderr_has("--by agent");
    // A budget is monthly: spend over two months is not set against it.
    ctx.run(["report", "--by", "agent", "--budget", "$1"])
        .code(2)
        .one_line_error()
        .stderr_has("--budget is a monthly budget, and the events in range run from 2026-11 to 2026-12; add --month (e.g. --month 2026-12)");
    let doc = report(
        &ctx,
        &["--by", "agent", "--budget", "$1", "--month", "2026-11"],
    );
    let a = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "agent-a")
        .unwrap()
        .clone();
    assert_eq!(a["calls"], 3);
    assert_eq!(a["charged_calls"], 2);
    assert_eq!(a["revenue_microcents"], 120_000);
    assert_eq!(a["budget_use_pct"], 12.0);

    // --month and --since/--until.
    let doc = report(&ctx, &["--month", "2026-12"]);
    assert_eq!(doc["totals"]["calls"], 1);
    // Times are written as everywhere else: RFC 3339 UTC, milliseconds, Z.
    assert_eq!(doc["since"], "2026-12-01T00:00:00.000Z");
    assert_eq!(doc["until"], "2027-01-01T00:00:00.000Z");
    let doc = report(&ctx, &["--since", "2026-11-02", "--until", "2026-11-02"]);
    assert_eq!(doc["totals"]["calls"], 3);
    let doc = report(&ctx, &["--by", "day", "--until", "2026-11-01T10:30:00Z"]);
    assert_eq!(doc["rows"].as_array().unwrap().len(), 1);
    assert_eq!(doc["totals"]["calls"], 1);
    ctx.run(["report", "--month", "11-2026"])
        .code(2)
        .one_line_error()
        .stderr_has("--month");
    ctx.run(["report"])
        .code(0)
        .stdout_has("search")
        .stderr_has(
            "3 lines skipped (malformed, torn, wrong-typed or over 64 MiB): 3 in the event logs",
        )
        // Where the first one is: after the seven events, the line `not json`.
        .stderr_has("events-2026-11.jsonl' line 8)");
    for args in [vec!["trust"], vec!["export", "--format", "csv"]] {
        ctx.run(&args)
            .code(0)
            .stderr_has("3 in the event logs (first: '")
            .stderr_has("events-2026-11.jsonl' line 8)");
    }
    // A bad feedback line is named with its file and line.
    ctx.write(
        "logs/feedback.jsonl",
        "{\"request_id\":\"r1\",\"discarded\":true}\n\n{\"request_id\":\"r1\",\"disc\n",
    );
    ctx.run(["report"])
        .code(0)
        .stderr_has("4 lines skipped")
        .stderr_has("3 in the event logs (first: '")
        .stderr_has("line 8), 1 in '")
        .stderr_has("feedback.jsonl' (first: line 3)");
}

#[test]
fn csv_parses_back() {
    let ctx = TestContext::new();
    write_log(&ctx);
    let json_doc = report(&ctx, &["--by", "tool"]);
    let run = ctx.run(["report", "--by", "tool", "--csv"]);
    run.code(0);
    let mut lines = run.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "tool");
    assert_eq!(header[1], "calls");
    let rows: Vec<Vec<String>> = lines.map(parse_csv_line).collect();
    assert_eq!(rows.len(), 2);
    for (row, j) in rows.iter().zip(json_doc["rows"].as_array().unwrap()) {
        assert_eq!(row.len(), header.len());
        assert_eq!(row[0], j["key"].as_str().unwrap());
        assert_eq!(row[1].parse::<u64>().unwrap(), j["calls"].as_u64().unwrap());
        let rev = header
            .iter()
            .position(|h| *h == "revenue_microcents")
            .unwrap();
        assert_eq!(
            row[rev].parse::<u64>().unwrap(),
            j["revenue_microcents"].as_u64().unwrap()
        );
    }
    // The quoted tool name with a comma survives.
    assert!(rows.iter().any(|r| r[0] == "<b>sum,marize</b>"));
}

/// A minimal RFC 4180 field splitter for one line.
fn parse_csv_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Check that tags balance (void elements aside) and return the text content.
fn check_well_formed(html: &str) -> String {
    const VOID: [&str; 4] = ["meta", "br", "img", "link"];
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let end = rest[i..].find('>').expect("unclosed tag") + i;
        let tag = &rest[i + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        assert!(!tag.contains('<'), "stray '<' in tag {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("close {name} with nothing open"));
            assert_eq!(open, name.trim(), "mismatched tags");
        } else {
            let name = tag
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap()
                .to_ascii_lowercase();
            if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
                stack.push(name);
            }
        }
    }
    text.push_str(rest);
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    // Every '&' starts an entity.
    for (i, _) in text.match_indices('&') {
        let ent = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(&ent),
            "bad entity {ent}"
        );
    }
    text
}

#[test]
fn html_is_self_contained_well_formed_and_holds_the_numbers() {
    let ctx = TestContext::new();
    write_log(&ctx);
    ctx.run(["report", "--html", "r.html"])
        .code(0)
        .stderr_has("wrote");
    let html = std::fs::read_to_string(ctx.join("r.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // '-' is stdout, the same page.
    let run = ctx.run(["report", "--html", "-"]);
    assert_eq!(run.code(0).stdout, html);
    assert!(!ctx.join("-").exists());
    ctx.run(["--json", "report", "--csv"])
        .code(2)
        .one_line_error()
        .stderr_has("--csv and --json");
    let text = check_well_formed(&html);
    // No scripts and nothing fetched from anywhere.
    assert!(!html.contains("<script"));
    assert!(!html.contains("src="));
    assert!(!html.contains("href="));
    assert!(!html.contains("url("));
    assert!(!html.contains("@import"));
    // Untrusted text is escaped.
    assert!(!html.contains("<b>sum"));
    assert!(html.contains("&lt;b&gt;sum,marize&lt;/b&gt;"));
    // The numbers: 7 calls, $0.15 revenue, charts of days, tools and agents.
    assert!(html.contains("id=\"total-calls\">7<"), "total calls");
    assert!(html.contains("id=\"total-revenue\">$0.15<"));
    assert!(text.contains("Calls per day") && text.contains("Revenue per day"));
    assert!(text.contains("Latency distribution per tool"));
    assert!(text.contains("Revenue by tool") && text.contains("Revenue by agent"));
    assert!(text.contains("agent-a: $0.12"));
    assert!(html.contains("<svg"));
}

#[test]
fn feedback_after_a_torn_line_is_on_a_line_of_its_own() {
    let ctx = TestContext::new();
    write_log(&ctx);
    ctx.write("logs/feedback.jsonl", "{\"request_id\":\"x");
    ctx.run(["feedback", "r1", "--discarded"]).code(0);
    let log = std::fs::read_to_string(ctx.join("logs/feedback.jsonl")).unwrap();
    let last: Value = serde_json::from_str(log.lines().nth(1).unwrap()).unwrap();
    assert_eq!(last["request_id"], "r1");
}

#[test]
fn feedback_from_another_agent_does_not_count() {
    let ctx = TestContext::new();
    write_log(&ctx);
    let discarded = |ctx: &TestContext| {
        report(ctx, &["--by", "agent"])["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == "agent-a")
            .unwrap()["discarded"]
            .clone()
    };
    // r1 is agent-a's call; someone else says it was discarded.
    ctx.write(
        "logs/feedback.jsonl",
        "{\"request_id\":\"r1\",\"discarded\":true,\"agent_id\":\"intruder\"}\n",
    );
    assert_eq!(discarded(&ctx), 0);
    ctx.run(["feedback", "r1", "--discarded"]).code(0);
    assert_eq!(discarded(&ctx), 1);
    // The intruder's later word does not undo agent-a's either.
    let mut log = std::fs::read_to_string(ctx.join("logs/feedback.jsonl")).unwrap();
    log.push_str("{\"request_id\":\"r1\",\"discarded\":false,\"agent_id\":\"intruder\"}\n");
    ctx.write("logs/feedback.jsonl", log);
    assert_eq!(discarded(&ctx), 1);
}

#[test]
fn feedback_is_recorded_and_shows_as_discard_rate() {
    let ctx = TestContext::new();
    write_log(&ctx);
    let doc = ctx
        .run(["--json", "feedback", "r1", "--discarded"])
        .code(0)
        .json();
    assert_eq!(doc["discarded"], true);
    assert_eq!(doc["agent_id"], "agent-a");
    assert_eq!(doc["found_in_log"], true);
    ctx.run(["feedback", "r6", "--discarded"])
        .code(0)
        .stdout_has("discarded");
    // Kept overrides an earlier discard.
    ctx.run(["feedback", "r6", "--kept"])
        .code(0)
        .stdout_has("kept");
    // An unknown id: warned, still recorded.
    ctx.run(["feedback", "nope", "--discarded"])
        .code(0)
        .stderr_has("not in the event logs");
    ctx.run(["feedback", "r1"]).code(2);
    let log = std::fs::read_to_string(ctx.join("logs/feedback.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 4);
    for l in log.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert!(
            v["timestamp"].is_string()
                && v["request_id"].is_string()
                && v["discarded"].is_boolean()
        );
    }
    let doc = report(&ctx, &["--by", "tool"]);
    let search = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "search")
        .unwrap()
        .clone();
    assert_eq!(search["discarded"], 1);
    assert_eq!(search["discard_pct"], 20.0);
    let other = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] != "search")
        .unwrap()
        .clone();
    assert_eq!(other["discarded"], 0);
    // Charges are untouched.
    assert_eq!(doc["totals"]["revenue_microcents"], 150_000);
    let doc = report(&ctx, &["--by", "provider"]);
    assert_eq!(doc["rows"][0]["key"], "acme");
    assert_eq!(doc["rows"][0]["discarded"], 1);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_one_error_line_naming_stdout() {
    let ctx = TestContext::new();
    write_log(&ctx);
    for args in [&["report"][..], &["--json", "report"], &["report", "--csv"]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = ctx
            .command()
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let lines: Vec<_> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {stderr}");
        assert!(
            lines[0].starts_with("error: cannot write to stdout: "),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_missing_log_dir_given_by_flag_is_an_error_but_a_fresh_default_is_empty() {
    let ctx = TestContext::new();
    let typo = ctx.join("lgos");
    let typo = typo.to_str().unwrap();
    let fails = |cases: &[&[&str]], says: &str| {
        for args in cases {
            ctx.run(*args).code(2).one_line_error().stderr_has(says);
        }
    };
    let cases: &[&[&str]] = &[
        &["report", "--log-dir", typo][..],
        &["trust", "--log-dir", typo],
        &["export", "--format", "csv", "--log-dir", typo],
        &["dispute", "list", "--log-dir", typo],
        &[
            "forward",
            "--to",
            "https://meter.example/api",
            "--log-dir",
            typo,
        ],
        &["dispute", "show", "dsp_x", "--log-dir", typo],
        &[
            "dispute",
            "update",
            "dsp_x",
            "--status",
            "under_review",
            "--log-dir",
            typo,
        ],
        &["feedback", "r1", "--discarded", "--log-dir", typo],
        &[
            "dispute",
            "file",
            "--receipt-id",
            "rcpt_0123456789abcdef01234567",
            "--reason",
            "overcharge",
            "--log-dir",
            typo,
        ],
    ];
    fails(cases, "does not exist; check --log-dir");
    assert!(!ctx.join("lgos").exists(), "nothing may create the typo");
    // A file given as the directory.
    ctx.write("events.jsonl", "");
    let cases: &[&[&str]] = &[
        &["dispute", "list", "--log-dir", "events.jsonl"][..],
        &["dispute", "show", "dsp_x", "--log-dir", "events.jsonl"],
        &["feedback", "r1", "--discarded", "--log-dir", "events.jsonl"],
        &["report", "--log-dir", "events.jsonl"],
    ];
    fails(cases, "is not a directory");
    // A directory named by MCPBILL_LOG_DIR that does not exist is a typo too, for a
    // command that reads the log.
    let cases: &[&[&str]] = &[
        &["report"][..],
        &["trust"],
        &["export", "--format", "csv"],
        &["dispute", "list"],
        &["feedback", "r1", "--discarded"],
    ];
    fails(
        cases,
        "(MCPBILL_LOG_DIR) does not exist; check MCPBILL_LOG_DIR",
    );
    assert!(!ctx.join("logs").exists(), "nothing may create it");
    // With explicit inputs it is only where side files would be: none.
    ctx.run(["report", "events.jsonl"]).code(0);
    // The platform's default directory does not exist yet: nothing was logged.
    let default = |args: &[&str]| {
        let mut cmd = ctx.command();
        cmd.env_remove("MCPBILL_LOG_DIR").args(args);
        run_command(cmd, None)
    };
    default(&["report"]).code(0).stderr_has("no events");
    default(&["trust"]).code(0);
    default(&["dispute", "list"]).code(0);
    assert!(
        !ctx.join("xdg-data/mcpbill").exists(),
        "nothing may create it"
    );
    // Feedback is about a logged call: it does not start a log either.
    default(&["feedback", "r1", "--discarded"])
        .code(2)
        .one_line_error()
        .stderr_has("feedback is about a call wrap logged");
    assert!(
        !ctx.join("xdg-data/mcpbill").exists(),
        "nothing may create it"
    );
}

/// A log directory the user may not look into is an error naming it (permission denied),
/// never an empty log: an export of it must not be an empty bill with exit 0.
#[test]
fn a_log_that_cannot_be_read_is_an_error_not_an_empty_log() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = TestContext::new();
    let logs = ctx.join("private/logs");
    let line = event(
        "acme",
        "search",
        "a",
        "2026-11-01T10:00:00Z",
        "success",
        5,
        100,
        Value::Null,
    );
    ctx.write("private/logs/events-2026-11.jsonl", format!("{line}\n"));
    ctx.write("private/logs/disputes.jsonl", "");
    ctx.write("private/logs/feedback.jsonl", "");
    let private = std::fs::Permissions::from_mode(0o700);
    std::fs::set_permissions(ctx.join("private"), private).unwrap();
    for args in [
        &["report"][..],
        &["trust"],
        &["export", "--format", "csv"],
        &["dispute", "list"],
        &["feedback", "r1", "--kept"],
    ] {
        for (flag, env) in [(true, false), (false, true)] {
            let mut all = args.to_vec();
            let dir = logs.to_str().unwrap();
            if flag {
                all.extend(["--log-dir", dir]);
            }
            let mut cmd = crate::context::unprivileged(&ctx, &all);
            if env {
                cmd.env("MCPBILL_LOG_DIR", dir);
            }
            let run = run_command(cmd, None);
            run.code(2)
                .one_line_error()
                .stderr_has("private/logs")
                .stderr_has("Permission denied");
            assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        }
    }
}

/// Without a usable home directory there is no default log directory: a relative one
/// would put a log in whatever directory the command ran from, splitting budgets and free
/// tiers by working directory and hiding the events from `report`.
#[test]
fn no_default_log_dir_without_an_absolute_home() {
    let ctx = TestContext::new();
    std::fs::create_dir(ctx.join("work")).unwrap();
    let call = br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"#;
    for args in [
        &["wrap", "--provider-id", "acme", "--", "cat"][..],
        &["report"],
        &["dispute", "list"],
    ] {
        let mut cmd = ctx.command();
        cmd.current_dir(ctx.join("work"))
            .env_remove("MCPBILL_LOG_DIR")
            .env_remove("XDG_DATA_HOME")
            .env("HOME", "relative-home")
            .args(args);
        run_command(cmd, Some(call))
            .code(2)
            .stderr_has("HOME is not an absolute path")
            .stderr_has("set MCPBILL_LOG_DIR or pass --log-dir");
    }
    let left: Vec<_> = std::fs::read_dir(ctx.join("work")).unwrap().collect();
    assert!(left.is_empty(), "nothing may be written: {left:?}");
}

/// A file size limit (`ulimit -f`) makes a write fail with "File too large" (exit 2)
/// instead of killing the command with SIGXFSZ mid-line; a half-appended line is taken
/// back, so no reader skips a torn line later.
#[test]
fn a_file_size_limit_is_an_error_and_leaves_no_torn_line() {
    let ctx = TestContext::new();
    let lines: Vec<String> = (0..20)
        .map(|i| {
            event(
                "acme",
                "search",
                "agent-a",
                "2026-11-01T10:00:00Z",
                "success",
                5,
                100,
                json!({"request_id": format!("r{i}")}),
            )
        })
        .collect();
    ctx.write("logs/events-2026-11.jsonl", lines.join("\n") + "\n");
    // Just under the limit of 1024 bytes (bash's `ulimit -f 1`, in blocks of 1024).
    let record = r#"{"request_id":"r0","discarded":true,"timestamp":"2026-11-01T10:00:00.000Z","agent_id":"agent-a"}"#;
    let mut feedback = String::new();
    while feedback.len() < 960 {
        feedback.push_str(record);
        feedback.push('\n');
    }
    let path = ctx.write("logs/feedback.jsonl", &feedback);
    let limited = |blocks, args: &[&str]| crate::context::with_file_limit(&ctx, blocks, args);
    limited(1, &["feedback", "r1", "--discarded"])
        .code(2)
        .one_line_error()
        .stderr_has("File too large");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), feedback);
    limited(1, &["export", "--format", "csv", "--out", "bill.csv"])
        .code(2)
        .one_line_error()
        .stderr_has("File too large");
    assert!(!ctx.join("bill.csv").exists());
}

/// On a terminal the table is fitted to its width without breaking a number, an amount or
/// an id across lines; a terminal whose width is unknown (a pseudo-terminal of 0 columns)
/// gets the table unwrapped instead of collapsed to one character per column.
#[test]
fn terminal_tables_keep_numbers_whole() {
    let ctx = TestContext::new();
    let line = event(
        "acme",
        "a-rather-long-tool-name",
        "agent-a",
        "2026-11-01T10:00:00Z",
        "success",
        123_456,
        98_765_432_100,
        json!({"session_id": "4f0c3a9e-7b1d-42c8-a6e0-9f3b2d7c4e18"}),
    );
    ctx.write("logs/events-2026-11.jsonl", format!("{line}\n"));
    // A long id wraps only where there is room for pieces of it, never one character a line.
    for columns in ["50", "80", "120", "200"] {
        let mut cmd = ctx.pty_command(&json!([]), &["report", "--by", "session"]);
        cmd.env("PTY_COLUMNS", columns);
        let run = crate::context::run_command(cmd, None);
        run.code(0);
        assert!(
            run.stdout.contains("4f0c3a9e-7b1"),
            "{columns} columns:\n{}",
            run.stdout
        );
        assert!(run.stdout.contains("$98765.4321"), "{}", run.stdout);
    }
    for columns in [None, Some("80"), Some("50")] {
        let mut cmd = ctx.pty_command(&json!([]), &["report"]);
        if let Some(c) = columns {
            cmd.env("PTY_COLUMNS", c);
        }
        let run = crate::context::run_command(cmd, None);
        run.code(0);
        for whole in ["a-rather-long-tool-name", "$98765.4321", "123456", "100.00"] {
            assert!(
                run.stdout.contains(whole),
                "{columns:?} columns: {whole:?} is cut:\n{}",
                run.stdout
            );
        }
        assert!(run.stdout.contains("calls"), "{}", run.stdout);
    }
    // On a terminal the table has box borders; on a TERM=dumb one, ASCII borders.
    let boxed = crate::context::run_command(ctx.pty_command(&json!([]), &["report"]), None);
    assert!(boxed.code(0).stdout.contains('─'), "{}", boxed.stdout);
    let mut cmd = ctx.pty_command(&json!([]), &["report"]);
    cmd.env("TERM", "dumb");
    let dumb = crate::context::run_command(cmd, None);
    assert!(dumb.code(0).stdout.contains("+-"), "{}", dumb.stdout);
    assert!(dumb.stdout.is_ascii(), "{}", dumb.stdout);
}

/// Overlapping inputs count each file once; an entry named like a month's events that is
/// not a regular file is an error naming it (it read as a month without events, and a
/// FIFO made `forward` wait forever).
#[test]
fn inputs_overlap_and_odd_month_files() {
    let ctx = TestContext::new();
    let lines = write_log(&ctx);
    let calls = |args: &[&str]| report(&ctx, args)["totals"]["calls"].as_u64().unwrap();
    let once = calls(&[]);
    assert_eq!(once, lines.len() as u64);
    std::os::unix::fs::symlink(
        ctx.join("logs/events-2026-11.jsonl"),
        ctx.join("alias.jsonl"),
    )
    .unwrap();
    assert_eq!(
        calls(&["logs", "logs/events-2026-11.jsonl", "alias.jsonl"]),
        once
    );

    let odd = [
        ("events-2026-09.jsonl", "dangling"),
        ("events-2026-10.jsonl", "directory"),
        ("events-2026-08.jsonl", "fifo"),
    ];
    for (name, kind) in odd {
        let path = ctx.join("logs").join(name);
        match kind {
            "dangling" => std::os::unix::fs::symlink(ctx.join("nowhere"), &path).unwrap(),
            "directory" => std::fs::create_dir(&path).unwrap(),
            _ => nix::unistd::mkfifo(&path, nix::sys::stat::Mode::S_IRWXU).unwrap(),
        }
        ctx.run(["report"])
            .code(2)
            .one_line_error()
            .stderr_has(name)
            .stderr_has("not a regular file");
        ctx.run([
            "forward",
            "--once",
            "--to",
            "http://127.0.0.1:9/",
            "--allow-http",
        ])
        .code(2)
        .stderr_has(name);
        std::fs::remove_file(&path)
            .or_else(|_| std::fs::remove_dir(&path))
            .unwrap();
    }
}

/// A copy of a log among the inputs (a backup beside the log directory, a file copied
/// before more calls were appended) would count the calls they share twice: two files
/// whose first records share an id are refused, naming both, before anything is printed.
#[test]
fn a_copy_of_a_log_among_the_inputs_is_refused() {
    let ctx = TestContext::new();
    write_log(&ctx);
    let log = std::fs::read_to_string(ctx.join("logs/events-2026-11.jsonl")).unwrap();
    // An older copy: the first two lines only.
    let older = log.lines().take(2).collect::<Vec<_>>().join("\n") + "\n";
    ctx.write("backup/events-2026-11.jsonl", &older);
    for args in [
        vec!["report", "logs", "backup"],
        vec!["trust", "logs", "backup/events-2026-11.jsonl"],
        vec!["export", "--format", "csv", "logs/events-*.jsonl", "backup"],
    ] {
        let run = ctx.run(&args);
        run.code(2)
            .one_line_error()
            .stderr_has("'backup/events-2026-11.jsonl' begins with the same record (evt_")
            .stderr_has("as 'logs/events-2026-11.jsonl'")
            .stderr_has("pass only one of them");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    // A partial copy, beginning in the middle of the log (a backup of the month's last
    // calls restored beside it): found where the log holds the copy's first event.
    let tail = log.lines().skip(3).collect::<Vec<_>>().join("\n") + "\n";
    ctx.write("backup/events-2026-11.jsonl", &tail);
    ctx.write("earlier.csv", "an earlier export\n");
    for args in [
        vec!["report", "logs", "backup"],
        vec!["trust", "logs", "backup"],
        vec![
            "export",
            "--format",
            "csv",
            "--out",
            "earlier.csv",
            "logs",
            "backup",
        ],
    ] {
        let run = ctx.run(&args);
        run.code(2)
            .one_line_error()
            .stderr_has("'logs/events-2026-11.jsonl' line 4 holds the event 'backup/events-2026-11.jsonl' begins with: the two overlap")
            .stderr_has("pass only one of them, or remove the copied lines");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert_eq!(
        std::fs::read_to_string(ctx.join("earlier.csv")).unwrap(),
        "an earlier export\n"
    );
    // An archive rewritten by another tool (keys sorted, a space after each colon and
    // comma, as Python's json.dumps writes them) that begins with a call of an earlier
    // month and then holds the whole log: the log's first event is found on its line 2.
    let mut earlier: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    earlier["event_id"] = "evt_0000000000000000000000aa".into();
    let archived: Vec<serde_json::Value> = std::iter::once(earlier)
        .chain(
            log.lines()
                .filter_map(|line| serde_json::from_str(line).ok()),
        )
        .collect();
    let rewritten: Vec<String> = archived
        .iter()
        .map(|value| {
            let mut members: Vec<_> = value.as_object().unwrap().iter().collect();
            members.sort_by_key(|(k, _)| k.as_str());
            let members: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}: {}", serde_json::json!(k), v))
                .collect();
            format!("{{{}}}", members.join(", "))
        })
        .collect();
    ctx.write("archive.jsonl", &(rewritten.join("\n") + "\n"));
    for args in [
        ["report", "logs", "archive.jsonl"],
        ["report", "archive.jsonl", "logs"],
    ] {
        ctx.run(args).code(2).one_line_error().stderr_has(
            "'archive.jsonl' line 2 holds the event 'logs/events-2026-11.jsonl' begins with",
        );
    }
    std::fs::remove_file(ctx.join("archive.jsonl")).unwrap();
    // Files that begin with different calls are read together, each once.
    let rest = log.lines().skip(2).collect::<Vec<_>>().join("\n") + "\n";
    ctx.write("backup/events-2026-11.jsonl", &older);
    ctx.write("split/events-2026-11.jsonl", &rest);
    let total = report(&ctx, &["backup", "split"])["totals"]["calls"].clone();
    assert_eq!(total, report(&ctx, &[])["totals"]["calls"]);
}

/// An event recorded twice (a copy appended to its own log, or in two inputs whose first
/// events differ) would count its call twice: refused with both lines and the event's id,
/// by report, trust and export; an earlier export is left in place.
#[test]
fn an_event_recorded_twice_is_refused() {
    let ctx = TestContext::new();
    write_log(&ctx);
    let path = ctx.join("logs/events-2026-11.jsonl");
    let log = std::fs::read_to_string(&path).unwrap();
    let total = log.lines().count();
    let (index, copied) = log
        .lines()
        .enumerate()
        .filter(|(_, l)| serde_json::from_str::<Value>(l).is_ok())
        .nth(1)
        .unwrap();
    let id = serde_json::from_str::<Value>(copied).unwrap()["event_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The log ends in a torn line, which the copy's line follows (as `>>` appends it).
    let mut appended = log.clone() + "\n";
    appended.push_str(copied);
    appended.push('\n');
    std::fs::write(&path, &appended).unwrap();
    ctx.write("earlier.csv", "an earlier export\n");
    let expected = format!(
        "logs/events-2026-11.jsonl' lines {} and {} record the same event ('{id}'): its call would count twice; remove the repeated lines",
        index + 1,
        total + 1
    );
    for args in [
        vec!["report"],
        vec!["trust", "logs"],
        vec!["export", "--format", "csv", "--out", "earlier.csv"],
    ] {
        let run = ctx.run(&args);
        run.code(2).one_line_error().stderr_has(&expected);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert_eq!(
        std::fs::read_to_string(ctx.join("earlier.csv")).unwrap(),
        "an earlier export\n"
    );
    // Across two inputs that begin with different events and hold each other's first
    // events nowhere (the scan's overlap check cannot see it), with the line written with
    // its keys in another order.
    std::fs::write(&path, &log).unwrap();
    let mut value: Value = serde_json::from_str(copied).unwrap();
    let first = json!({"event_id": "evt_0000000000000000000000bb", "tool_id": "search",
        "agent_id": "a", "provider_id": "acme", "timestamp": "2026-10-01T10:00:00Z",
        "duration_ms": 5, "status": "success", "cost_microcents": 0});
    let moved = value.as_object_mut().unwrap().remove("event_id").unwrap();
    value["event_id"] = moved;
    ctx.write("other.jsonl", format!("{first}\n{value}\n"));
    ctx.run(["report", "logs", "other.jsonl"])
        .code(2)
        .one_line_error()
        .stderr_has(&format!(
            "'logs/events-2026-11.jsonl' line {} and 'other.jsonl' line 2 record the same event ('{id}')",
            index + 1
        ));
    // The same id in a line that is not an event, or nested in a call's params, is not a
    // second record of it.
    let mut nested: Value = serde_json::from_str(copied).unwrap();
    nested["event_id"] = "evt_0000000000000000000000cc".into();
    nested["metadata"] = json!({"params": {"event_id": id}});
    ctx.write(
        "other.jsonl",
        format!("{first}\n{{\"event_id\":\"{id}\",\"torn\n{nested}\n"),
    );
    let calls = report(&ctx, &["logs", "other.jsonl"])["totals"]["calls"].clone();
    assert_eq!(
        calls.as_u64().unwrap(),
        report(&ctx, &[])["totals"]["calls"].as_u64().unwrap() + 2
    );
    // Events without an id, or with an empty one, are each their own, however many.
    let mut no_id: Value = serde_json::from_str(copied).unwrap();
    no_id["event_id"] = "".into();
    let mut nested_only = no_id.clone();
    nested_only.as_object_mut().unwrap().remove("event_id");
    nested_only["metadata"] = json!({"params": {"event_id": "cal_10"}});
    ctx.write(
        "other.jsonl",
        format!("{first}\n{no_id}\n{no_id}\n{nested_only}\n{nested_only}\n"),
    );
    let calls = report(&ctx, &["logs", "other.jsonl"])["totals"]["calls"].clone();
    assert_eq!(
        calls.as_u64().unwrap(),
        report(&ctx, &[])["totals"]["calls"].as_u64().unwrap() + 5
    );
    // Two inputs that each begin with an event without an id do not begin with the same one.
    ctx.write("a.jsonl", format!("{no_id}\n"));
    ctx.write("b.jsonl", format!("{no_id}\n"));
    assert_eq!(report(&ctx, &["a.jsonl", "b.jsonl"])["totals"]["calls"], 2);
    // A repeat beside them (and beside ids nested in params that repeat too) is found.
    ctx.write(
        "other.jsonl",
        format!("{first}\n{nested_only}\n{nested_only}\n{first}\n"),
    );
    ctx.run(["report", "other.jsonl"])
        .code(2)
        .one_line_error()
        .stderr_has(
            "'other.jsonl' lines 1 and 4 record the same event ('evt_0000000000000000000000bb')",
        );
}

/// A tool named "total" keeps its name; the totals row is then "(total)", so the table
/// never shows two rows called total. The JSON keeps its separate "totals".
#[test]
fn a_tool_named_total_is_told_from_the_totals_row() {
    let ctx = TestContext::new();
    let lines: Vec<String> = ["total", "search"]
        .iter()
        .map(|tool| {
            event(
                "acme",
                tool,
                "a",
                "2026-11-01T10:00:00Z",
                "success",
                5,
                10,
                Value::Null,
            )
        })
        .collect();
    ctx.write("events.jsonl", lines.join("\n") + "\n");
    let run = ctx.run(["report", "events.jsonl"]);
    let rows: Vec<&str> = run.code(0).stdout.lines().collect();
    assert!(
        rows.iter().any(|l| l.starts_with("| total ")),
        "{}",
        run.stdout
    );
    assert!(
        rows.iter().any(|l| l.starts_with("| (total) ")),
        "{}",
        run.stdout
    );
    let doc = report(&ctx, &["events.jsonl"]);
    assert_eq!(doc["totals"]["calls"], 2);
}

/// A total that overflows 64 bits is an error, never a wrong figure with exit 0.
#[test]
fn overflowing_totals_are_refused() {
    let ctx = TestContext::new();
    let line = |cost: u64, ts: &str| {
        event(
            "acme",
            "search",
            "agent-a",
            ts,
            "success",
            5,
            cost,
            json!({}),
        )
    };
    let other = event(
        "good",
        "search",
        "agent-a",
        "2026-11-01T12:00:00Z",
        "success",
        5,
        7,
        json!({}),
    );
    let text = [
        line(u64::MAX, "2026-11-01T10:00:00Z"),
        line(1, "2026-11-01T11:00:00Z"),
        other,
    ]
    .join("\n");
    ctx.write("logs/events-2026-11.jsonl", text + "\n");
    // trust's window is fixed by --as-of: without it, the last 30 days from now would
    // leave these events out once the clock passes 2026-12-01 10:00.
    for cmd in [
        &["report"][..],
        &["--json", "report"],
        &["trust", "--as-of", "2026-11-02"],
    ] {
        ctx.run(cmd)
            .code(2)
            .one_line_error()
            .stderr_has("revenue total overflows");
    }
    // Another provider's scores are not held back by them.
    ctx.run(["trust", "--provider", "good", "--as-of", "2026-11-02"])
        .code(0);
}

/// A byte order mark at the start of a log (some editors write one) is not part of its
/// first event.
#[test]
fn a_byte_order_mark_hides_no_event() {
    let ctx = TestContext::new();
    let lines: Vec<String> = (0..3)
        .map(|i| {
            event(
                "acme",
                "search",
                "agent-a",
                &format!("2026-11-01T10:00:0{i}Z"),
                "success",
                5,
                10,
                json!({}),
            )
        })
        .collect();
    ctx.write(
        "logs/events-2026-11.jsonl",
        format!("\u{feff}{}\n", lines.join("\n")),
    );
    let doc = report(&ctx, &[]);
    assert_eq!(doc["totals"]["calls"], 3);
    assert_eq!(doc["lines_skipped"], 0);
    let csv = ctx
        .run(["export", "--format", "csv"])
        .code(0)
        .stdout
        .clone();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    ctx.write(
        "fb.jsonl",
        "\u{feff}{\"request_id\":\"r\",\"discarded\":true}\n",
    );
    let doc = report(&ctx, &["--feedback", "fb.jsonl"]);
    assert_eq!(doc["lines_skipped"], 0);
}

/// A side log that is not a file (`--feedback /dev/zero`, a FIFO nobody writes) is an
/// error instead of being read forever, as is a line no record comes near.
#[test]
fn an_endless_side_log_is_an_error() {
    let ctx = TestContext::new();
    write_log(&ctx);
    nix::unistd::mkfifo(&ctx.join("fifo"), nix::sys::stat::Mode::S_IRWXU).unwrap();
    for dev in ["/dev/zero", "/dev/urandom", "fifo"] {
        ctx.run(["report", "--feedback", dev])
            .code(2)
            .one_line_error()
            .stderr_has("not a regular file");
        ctx.run(["trust", "--verifications", dev])
            .code(2)
            .one_line_error()
            .stderr_has("not a regular file");
    }
    let mut huge = vec![b'x'; (64 << 20) + 10];
    huge.push(b'\n');
    std::fs::write(ctx.join("huge.jsonl"), huge).unwrap();
    ctx.run(["report", "--feedback", "huge.jsonl"])
        .code(2)
        .one_line_error()
        .stderr_has("not a log mcpbill writes");
}

/// A range no event could fall in is said at once (exit 2), by report and export alike,
/// instead of an empty report that reads as "no calls".
#[test]
fn an_empty_range_is_a_usage_error() {
    let ctx = TestContext::new();
    ctx.write("events.jsonl", "");
    for cmd in [&["report"][..], &["export", "--format", "csv"]] {
        let mut args = cmd.to_vec();
        args.extend([
            "events.jsonl",
            "--since",
            "2026-12-05",
            "--until",
            "2026-12-01",
        ]);
        let run = ctx.run(&args);
        run.code(2).one_line_error().stderr_has("swap them");
        assert!(run.stdout.is_empty(), "{cmd:?}: {}", run.stdout);
        let mut args = cmd.to_vec();
        args.extend([
            "events.jsonl",
            "--month",
            "2026-11",
            "--since",
            "2026-12-01",
        ]);
        ctx.run(&args)
            .code(2)
            .one_line_error()
            .stderr_has("do not overlap");
    }
}

/// A receipt line (the fields a receipt shares with a meter event, its id and signature).
fn receipt_line(n: u32) -> String {
    json!({
        "receipt_id": format!("rcpt_{n:024x}"), "tool_id": "search", "agent_id": "agent-a",
        "provider_id": "acme", "timestamp": "2026-11-01T10:00:00Z", "duration_ms": 100,
        "cost_microcents": 50_000, "status": "success", "signature": "ab".repeat(32),
    })
    .to_string()
}

/// Receipts parse as meter events (they share tool, agent, provider, time, cost and
/// status): a receipts file among the inputs, named or matched by a pattern, would count
/// every call twice. It is refused, naming the file, before anything is printed; the log
/// directory itself is read by file name and counts each call once.
#[test]
fn a_receipts_file_among_the_inputs_is_refused() {
    let ctx = TestContext::new();
    let events = write_log(&ctx);
    ctx.write(
        "logs/receipts-2026-11.jsonl",
        format!("\n  \n{}\n{}\n", receipt_line(1), receipt_line(2)),
    );
    ctx.write("good.csv", "an earlier export\n");
    let refused = "'logs/receipts-2026-11.jsonl' holds receipts, not meter events; pass the events-*.jsonl files or the log directory";
    for input in ["logs/receipts-2026-11.jsonl", "logs/*.jsonl"] {
        for args in [
            vec!["report", input],
            vec!["trust", input],
            vec!["export", "--format", "openmeter", input],
            vec!["export", "--format", "csv", "--out", "good.csv", input],
        ] {
            let run = ctx.run(&args);
            run.code(2).one_line_error().stderr_has(refused);
            assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        }
    }
    assert_eq!(
        std::fs::read_to_string(ctx.join("good.csv")).unwrap(),
        "an earlier export\n"
    );
    // The log directory, by default or named: its events only, once.
    let calls = events.len() as u64;
    assert_eq!(report(&ctx, &[])["totals"]["calls"], calls);
    assert_eq!(report(&ctx, &["logs"])["totals"]["calls"], calls);
    assert_eq!(
        report(&ctx, &["logs/events-*.jsonl"])["totals"]["calls"],
        calls
    );
}

/// A receipt or event id given for the request id names the call too: the feedback is
/// recorded for that call's request id. One that names no call is refused, not recorded
/// where no call can ever match it.
#[test]
fn feedback_by_event_or_receipt_id_finds_the_request() {
    let ctx = TestContext::new();
    write_log(&ctx);
    let events = std::fs::read_dir(ctx.join("logs"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("events-"))
        .flat_map(|e| {
            std::fs::read_to_string(e.path())
                .unwrap()
                .lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    let r1 = events
        .iter()
        .find(|e| e["metadata"]["request_id"] == "r1")
        .unwrap();
    let event_id = r1["event_id"].as_str().unwrap();
    let doc = ctx
        .run(["--json", "feedback", event_id, "--discarded"])
        .code(0)
        .stderr_has("recorded for that request")
        .json();
    assert_eq!(doc["request_id"], "r1");
    assert_eq!(doc["agent_id"], "agent-a");
    let before = std::fs::read_to_string(ctx.join("logs/feedback.jsonl")).unwrap();
    ctx.run(["feedback", "rcpt_0123456789abcdef01234567", "--discarded"])
        .code(2)
        .one_line_error()
        .stderr_has("is a receipt or event id");
    let after = std::fs::read_to_string(ctx.join("logs/feedback.jsonl")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn events_on_stdin_or_a_pipe_read_as_the_file_does() {
    let ctx = TestContext::new();
    write_log(&ctx);
    let log = std::fs::read(ctx.join("logs/events-2026-11.jsonl")).unwrap();
    let from_file = report(&ctx, &["logs/events-2026-11.jsonl"]);
    // `-`, named once or twice (as a file named twice is read once).
    for args in [
        vec!["--json", "report", "-"],
        vec!["--json", "report", "-", "-"],
    ] {
        let run = ctx.run_stdin(&args, Some(&log));
        assert_eq!(run.code(0).json(), from_file, "{args:?}");
    }
    // A pipe named by path: process substitution, `/dev/stdin`.
    let bin = crate::context::bin();
    let mut cmd = ctx.command_of("bash");
    cmd.arg("-c")
        .arg("exec \"$0\" --json report <(cat logs/events-2026-11.jsonl)")
        .arg(&bin);
    assert_eq!(run_command(cmd, None).code(0).json(), from_file);
    let run = ctx.run_stdin(["--json", "report", "/dev/stdin"], Some(&log));
    assert_eq!(run.code(0).json(), from_file);
    // trust and export read it too.
    let trust = |input: &str, stdin: Option<&[u8]>| {
        let run = ctx.run_stdin(
            ["--json", "trust", input, "--as-of", "2026-11-30T00:00:00Z"],
            stdin,
        );
        let mut doc = run.code(0).json();
        doc.as_object_mut().unwrap().remove("inputs");
        doc
    };
    assert_eq!(
        trust("-", Some(&log)),
        trust("logs/events-2026-11.jsonl", None)
    );
    let csv = ctx.run(["export", "--format", "csv", "logs/events-2026-11.jsonl"]);
    let piped = ctx.run_stdin(["export", "--format", "csv", "-"], Some(&log));
    assert_eq!(piped.code(0).stdout, csv.code(0).stdout);

    // What is said of the input names stdin: its skipped lines, and an event in it twice.
    let run = ctx.run_stdin(["report", "-"], Some(&log));
    run.code(0)
        .stderr_has("in the event logs (first: stdin line ");
    let first = log.split(|&b| b == b'\n').next().unwrap();
    let mut twice = log.clone();
    twice.extend_from_slice(b"\n");
    twice.extend_from_slice(first);
    twice.push(b'\n');
    ctx.run_stdin(["report", "-"], Some(&twice))
        .code(2)
        .one_line_error()
        .stderr_has("stdin lines 1 and ")
        .stderr_has("record the same event");
    // stdin and the file it is a copy of.
    ctx.run_stdin(["report", "-", "logs/events-2026-11.jsonl"], Some(&log))
        .code(2)
        .one_line_error()
        .stderr_has("'logs/events-2026-11.jsonl' begins with the same record (")
        .stderr_has(") as stdin: one is a copy of the other");
    // Receipts on stdin are named as such.
    let receipts = format!("{}\n", receipt_line(1));
    ctx.run_stdin(["report", "-"], Some(receipts.as_bytes()))
        .code(2)
        .one_line_error()
        .stderr_has("the input on stdin holds receipts, not meter events");
}

#[test]
fn a_device_is_not_read_as_a_log() {
    let ctx = TestContext::new();
    for args in [
        vec!["report", "/dev/zero"],
        vec!["trust", "/dev/null"],
        vec!["export", "--format", "csv", "/dev/zero"],
    ] {
        let run = ctx.run(&args);
        run.code(2)
            .one_line_error()
            .stderr_has("is a device, not a log; pass a log file, a log directory or a pattern, or '-' to read the events from stdin");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn stdin_is_read_for_one_input_only() {
    let ctx = TestContext::new();
    write_log(&ctx);
    ctx.write(
        "p.toml",
        "provider_id = \"acme\"\n[tools.search]\npricing_model = \"per_call\"\nprice_per_call = \"$0.05\"\n",
    );
    let log = std::fs::read(ctx.join("logs/events-2026-11.jsonl")).unwrap();
    ctx.run_stdin(["trust", "-", "--pricing", "-"], Some(&log))
        .code(2)
        .one_line_error()
        .stderr_has("stdin ('-') is already read for the events; give the pricing file as a file, or pass '-' only once");
}

/// Under a thread limit (`ulimit -u`, a container's pids limit) the scan runs on the
/// threads it could start, or on its own: the same figures, no panic.
#[test]
fn a_thread_limit_reads_the_logs_on_fewer_threads() {
    let ctx = TestContext::new();
    write_log(&ctx);
    // Two files, so that the scan takes two threads where the machine has two cores.
    let october = event(
        "acme",
        "search",
        "agent-a",
        "2026-10-31T10:00:00Z",
        "success",
        100,
        50_000,
        Value::Null,
    );
    ctx.write("logs/events-2026-10.jsonl", format!("{october}\n"));
    let expected = report(&ctx, &["logs"]);
    assert_eq!(expected["totals"]["calls"], 8, "{expected}");
    let limited = |args: &[&str]| crate::context::with_thread_limit(&ctx, 1, args);
    let run = limited(&["--json", "report", "logs"]);
    assert_eq!(run.code(0).json(), expected);
    let trust = |run: crate::context::Run| {
        let mut doc = run.code(0).json();
        doc.as_object_mut().unwrap().remove("as_of");
        doc.as_object_mut().unwrap().remove("window_start");
        doc
    };
    let args = ["--json", "trust", "logs", "--as-of", "2026-11-30"];
    assert_eq!(trust(limited(&args)), trust(ctx.run(args)));
    // receipt verify's workers too (these receipts' signatures are not the key's).
    let receipts: String = (1..=3).map(|n| receipt_line(n) + "\n").collect();
    ctx.write("r.jsonl", receipts);
    ctx.write("k", "k3y\n");
    let args = ["receipt", "verify", "r.jsonl", "--key-file", "k"];
    let unlimited = ctx.run(args);
    let run = limited(&args);
    assert_eq!(run.code(1).stdout, unlimited.code(1).stdout);
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
}

/// A device on stdin (`< /dev/zero`) is refused, as the path is, instead of being copied
/// forever into TMPDIR.
#[test]
fn a_device_on_stdin_is_refused() {
    let ctx = TestContext::new();
    for args in ["report -", "trust -", "export --format csv -"] {
        let mut cmd = ctx.command_of("bash");
        cmd.arg("-c")
            .arg(format!("exec timeout 20 \"$0\" {args} < /dev/zero"))
            .arg(crate::context::bin());
        run_command(cmd, None)
            .code(2)
            .one_line_error()
            .stderr_has("stdin is a device (such as /dev/zero), not a log; pipe the events in, or give the file's path");
    }
}
