//! `mcpbill export`.

use serde_json::{Value, json};

use crate::context::TestContext;
use crate::logs::event;

fn write_log(ctx: &TestContext) -> Vec<Value> {
    let lines = [
        event(
            "acme",
            "search",
            "agent-a",
            "2026-11-01T10:00:00.250Z",
            "success",
            100,
            50_000,
            json!({"session_id": "s1", "request_id": "r1"}),
        ),
        event(
            "acme",
            "search",
            "agent-b",
            "2026-11-02T10:00:00Z",
            "error",
            300,
            0,
            Value::Null,
        ),
        event(
            "beta",
            "sum,\"q\"",
            "agent-a",
            "2026-12-03T10:00:00+01:00",
            "success",
            400,
            70_000,
            Value::Null,
        ),
    ];
    let mut text = lines.join("\n");
    // An event from another implementation without an event_id, and a garbage line.
    text.push_str("\n{\"tool_name\":\"x\",\"agent_id\":\"agent-c\",\"provider_id\":\"acme\",\"timestamp\":\"2026-11-04T00:00:00Z\",\"status\":\"success\",\"cost_microcents\":5}\n}{\n");
    std::fs::create_dir_all(ctx.join("logs")).unwrap();
    ctx.write("logs/events-2026-11.jsonl", text);
    lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn openmeter_cloudevents() {
    let ctx = TestContext::new();
    let events = write_log(&ctx);
    let run = ctx.run(["export", "--format", "openmeter"]);
    run.code(0).stderr_has("1 line skipped");
    let out = run.json_lines();
    assert_eq!(out.len(), 4);
    let first = &out[0];
    assert_eq!(first["specversion"], "1.0");
    assert_eq!(first["id"], events[0]["event_id"]);
    assert_eq!(first["source"], "mcpbill");
    assert_eq!(first["type"], "mcp.tool_call");
    assert_eq!(first["subject"], "agent-a");
    assert_eq!(first["time"], "2026-11-01T10:00:00.250Z");
    assert_eq!(first["data"]["tool"], "search");
    assert_eq!(first["data"]["provider"], "acme");
    assert_eq!(first["data"]["status"], "success");
    assert_eq!(first["data"]["duration_ms"], 100);
    assert_eq!(first["data"]["cost_microcents"], 50_000);
    // The event without an id gets a stable derived one.
    let derived = out[3]["id"].as_str().unwrap().to_owned();
    assert!(
        derived.starts_with("evt_") && derived.len() == 28,
        "{derived}"
    );
    let again = ctx.run(["export", "--format", "openmeter"]).json_lines();
    assert_eq!(again[3]["id"], derived.as_str());
    // Month filter (the +01:00 event is 2026-12-03T09:00Z).
    let dec = ctx
        .run([
            "export",
            "--format",
            "openmeter",
            "--month",
            "2026-12",
            "--source",
            "urn:x",
            "--event-type",
            "t",
        ])
        .json_lines();
    assert_eq!(dec.len(), 1);
    assert_eq!(dec[0]["source"], "urn:x");
    assert_eq!(dec[0]["type"], "t");
}

#[test]
fn stripe_meter_events() {
    let ctx = TestContext::new();
    let events = write_log(&ctx);
    ctx.write(
        "customers.json",
        r#"{"agent-a": "cus_123", "agent-b": "cus_456", "agent-c": "cus_789"}"#,
    );
    let out = ctx
        .run([
            "export",
            "--format",
            "stripe",
            "--customer-map",
            "customers.json",
        ])
        .code(0)
        .json_lines();
    assert_eq!(out.len(), 4);
    assert_eq!(out[0]["event_name"], "mcp_tool_call");
    assert_eq!(out[0]["identifier"], events[0]["event_id"]);
    assert_eq!(out[0]["timestamp"], 1_793_527_200); // 2026-11-01T10:00:00Z
    assert_eq!(
        out[0]["payload"],
        json!({"stripe_customer_id": "cus_123", "value": "50000"})
    );
    assert_eq!(out[1]["payload"]["stripe_customer_id"], "cus_456");
    assert_eq!(out[1]["payload"]["value"], "0");
    // Without a map the agent id is the customer id.
    let calls = ctx
        .run(["export", "--format", "stripe", "--stripe-value", "calls"])
        .json_lines();
    // A unit per charged call: the free, failed and refused ones send 0, as their cost.
    for (call, event) in calls.iter().zip(&events) {
        let charged = event["cost_microcents"].as_u64().unwrap() > 0;
        assert_eq!(
            call["payload"]["value"],
            if charged { "1" } else { "0" },
            "{event}"
        );
    }
    assert!(calls.iter().any(|e| e["payload"]["value"] == "0"));
    assert_eq!(calls[1]["payload"]["stripe_customer_id"], "agent-b");
    // With a map, an agent missing from it stops the export: its agent id would bill no
    // one, or someone else. The earlier export stays.
    ctx.write("partial.json", r#"{"agent-a": "cus_123"}"#);
    ctx.write("stripe.jsonl", "");
    ctx.run([
        "export",
        "--format",
        "stripe",
        "--customer-map",
        "partial.json",
        "--out",
        "stripe.jsonl",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("agent 'agent-b' has no entry in the customer map 'partial.json'");
    assert_eq!(
        std::fs::read_to_string(ctx.join("stripe.jsonl")).unwrap(),
        ""
    );
    ctx.write("bad.json", "[1]");
    ctx.run(["export", "--format", "stripe", "--customer-map", "bad.json"])
        .code(2)
        .one_line_error()
        .stderr_has("customer map");
    // Not UTF-8: named as a bad map, not as a bad path.
    ctx.write("latin1.json", b"{\"a\": \"\xe9\"}");
    let run = ctx.run([
        "export",
        "--format",
        "stripe",
        "--customer-map",
        "latin1.json",
    ]);
    run.code(2)
        .one_line_error()
        .stderr_has("is not a JSON object of strings");
    assert!(!run.stderr.contains("check the path"), "{}", run.stderr);
    // A repeated agent: which customer is billed would depend on the reader.
    ctx.write("dup.json", r#"{"agent-a": "cus_1", "agent-a": "cus_2"}"#);
    ctx.run(["export", "--format", "stripe", "--customer-map", "dup.json"])
        .code(2)
        .one_line_error()
        .stderr_has("'agent-a' appears more than once");
}

#[test]
fn csv_with_header_to_a_file() {
    let ctx = TestContext::new();
    write_log(&ctx);
    ctx.run(["export", "--format", "csv", "--out", "out.csv"])
        .code(0)
        .stderr_has("exported 4 events");
    let text = std::fs::read_to_string(ctx.join("out.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "event_id,timestamp,agent_id,provider_id,tool,status,duration_ms,cost_microcents,input_tokens,output_tokens,session_id,request_id"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 4);
    assert!(
        rows[0].ends_with(",success,100,50000,,,s1,r1"),
        "{}",
        rows[0]
    );
    assert!(
        rows[2].contains(",\"sum,\"\"q\"\"\",success,"),
        "{}",
        rows[2]
    );
    // Stdout and the range flags.
    let run = ctx.run([
        "export",
        "--format",
        "csv",
        "--since",
        "2026-11-02",
        "--until",
        "2026-11-30",
    ]);
    assert_eq!(run.code(0).stdout.lines().count(), 3);
    // `--out -` is stdout too.
    let run = ctx.run(["export", "--format", "csv", "--out", "-"]);
    assert_eq!(run.code(0).stdout, text);
    assert!(!ctx.join("-").exists());
    // With --json and --out, stdout says what was written.
    let run = ctx.run(["--json", "export", "--format", "csv", "--out", "again.csv"]);
    assert_eq!(
        run.code(0).json(),
        json!({"out": "again.csv", "format": "csv", "events": 4, "lines_skipped": 1})
    );
    assert!(!run.stderr.contains("exported"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(ctx.join("again.csv")).unwrap(),
        text
    );
}

#[test]
fn empty_and_missing_inputs() {
    let ctx = TestContext::new();
    ctx.write("empty.jsonl", "");
    let run = ctx.run(["export", "--format", "csv", "empty.jsonl"]);
    assert_eq!(run.code(0).stdout.lines().count(), 1);
    // An empty export on stdout says so on stderr (a CSV header alone reads as nothing).
    run.stderr_has("exported no events: none in range in 1 event log;");
    ctx.run(["export", "--format", "openmeter", "missing.jsonl"])
        .code(2)
        .one_line_error();
    // No log directory at all (the platform's default): nothing to export, not an error.
    let mut cmd = ctx.command();
    cmd.env_remove("MCPBILL_LOG_DIR")
        .args(["export", "--format", "openmeter"]);
    crate::context::run_command(cmd, None).code(0);
    // MCPBILL_LOG_DIR names one that does not exist: a typo, not an empty log.
    ctx.run(["export", "--format", "openmeter"])
        .code(2)
        .one_line_error()
        .stderr_has("(MCPBILL_LOG_DIR) does not exist");
}

#[test]
fn closed_stdout_is_a_quiet_success() {
    // `mcpbill export ... | head -1`: the reader goes away after one line; exit 0, no error.
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let ctx = TestContext::new();
    let line = event(
        "acme",
        "search",
        "agent-a",
        "2026-11-01T10:00:00Z",
        "success",
        100,
        50_000,
        Value::Null,
    );
    let text = crate::logs::copies(&line, 20_000);
    std::fs::create_dir_all(ctx.join("logs")).unwrap();
    ctx.write("logs/events-2026-11.jsonl", text);
    let mut child = ctx
        .command()
        .args(["export", "--format", "openmeter"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('{'), "{first}");
    // The reader is dropped here, closing the pipe while export still has lines to write.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_text() {
    let ctx = TestContext::new();
    let ev = event(
        "acme",
        "@s|um",
        "=HYPERLINK(\"http://x\")",
        "2026-11-05T10:00:00.000Z",
        "success",
        5,
        100,
        json!({}),
    );
    ctx.write("logs/events-2026-11.jsonl", ev + "\n");
    let out = ctx
        .run(["export", "--format", "csv"])
        .code(0)
        .stdout
        .clone();
    let row = out.lines().nth(1).unwrap();
    assert!(
        row.contains(",\"'=HYPERLINK(\"\"http://x\"\")\",acme,'@s|um,"),
        "{row}"
    );
    let report = ctx
        .run(["report", "--by", "agent", "--csv"])
        .code(0)
        .stdout
        .clone();
    assert!(report.contains("\"'=HYPERLINK("), "{report}");
    // The Markdown table keeps its columns.
    let table = ctx.run(["report", "--by", "tool"]).code(0).stdout.clone();
    assert!(table.contains("| @s\\|um "), "{table}");
}

/// An output path that would overwrite what is read, or land among the log's files, is
/// refused before anything is written (`export --out`, `report --html`).
#[test]
fn outputs_never_overwrite_the_log() {
    let ctx = TestContext::new();
    write_log(&ctx);
    let log = ctx.join("logs/events-2026-11.jsonl");
    let before = std::fs::read(&log).unwrap();
    for (out, why) in [
        (
            "logs/events-2026-11.jsonl",
            "is one of the files being read",
        ),
        ("logs/export.csv", "is in the log directory"),
        ("logs/./x.csv", "is in the log directory"),
    ] {
        ctx.run(["export", "--format", "csv", "--out", out])
            .code(2)
            .one_line_error()
            .stderr_has(why);
        ctx.run(["report", "--html", out])
            .code(2)
            .one_line_error()
            .stderr_has(why);
    }
    assert!(!ctx.join("logs/export.csv").exists());
    // An input named outside the log directory, and a link to it.
    ctx.write("mine.jsonl", String::from_utf8(before.clone()).unwrap());
    std::os::unix::fs::symlink(ctx.join("mine.jsonl"), ctx.join("link.jsonl")).unwrap();
    for out in ["mine.jsonl", "link.jsonl"] {
        ctx.run(["export", "--format", "csv", "--out", out, "mine.jsonl"])
            .code(2)
            .one_line_error()
            .stderr_has("is one of the files being read");
        ctx.run(["report", "--html", out, "mine.jsonl"])
            .code(2)
            .stderr_has("is one of the files being read");
    }
    assert_eq!(std::fs::read(&log).unwrap(), before);
    assert_eq!(std::fs::read(ctx.join("mine.jsonl")).unwrap(), before);
    // A link, a hard link or a dangling link to a log file, from outside the log directory.
    let receipts = ctx.write("logs/receipts-2026-11.jsonl", "{}\n");
    std::os::unix::fs::symlink(&receipts, ctx.join("soft.html")).unwrap();
    std::fs::hard_link(&receipts, ctx.join("hard.html")).unwrap();
    std::os::unix::fs::symlink(
        ctx.join("logs/events-2027-01.jsonl"),
        ctx.join("dangling.csv"),
    )
    .unwrap();
    for out in ["soft.html", "hard.html", "dangling.csv"] {
        ctx.run(["report", "--html", out])
            .code(2)
            .one_line_error()
            .stderr_has("log directory");
        ctx.run(["export", "--format", "csv", "--out", out])
            .code(2)
            .stderr_has("log directory");
    }
    assert_eq!(std::fs::read_to_string(&receipts).unwrap(), "{}\n");
    assert!(!ctx.join("logs/events-2027-01.jsonl").exists());
    // The customer map is read too.
    ctx.write("map.json", "{\"agent-a\":\"cus_1\"}");
    ctx.run([
        "export",
        "--format",
        "stripe",
        "--customer-map",
        "map.json",
        "--out",
        "map.json",
    ])
    .code(2)
    .stderr_has("is one of the files being read");
    // Two flags choosing what stdout holds.
    ctx.run(["--json", "export", "--format", "csv"])
        .code(2)
        .one_line_error()
        .stderr_has("--json");
    ctx.run(["--json", "report", "--html", "-"])
        .code(2)
        .one_line_error()
        .stderr_has("--json");
    // Elsewhere is fine; a link elsewhere is written through, and /dev/stdout is stdout.
    ctx.run(["export", "--format", "csv", "--out", "out.csv"])
        .code(0);
    ctx.run(["report", "--html", "page.html"]).code(0);
    std::os::unix::fs::symlink(ctx.join("out.csv"), ctx.join("alias.csv")).unwrap();
    ctx.run([
        "export",
        "--format",
        "csv",
        "--out",
        "alias.csv",
        "mine.jsonl",
    ])
    .code(0);
    assert!(
        std::fs::symlink_metadata(ctx.join("alias.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let through = std::fs::read_to_string(ctx.join("out.csv")).unwrap();
    let stdout = ctx
        .run([
            "export",
            "--format",
            "csv",
            "--out",
            "/dev/stdout",
            "mine.jsonl",
        ])
        .code(0)
        .stdout
        .clone();
    assert_eq!(stdout, through);
    // Also when stdout is a file: it is written through, not replaced.
    let mut sh = ctx.command_of("sh");
    sh.args([
        "-c",
        "echo PRE > f.csv; \"$0\" export --format csv --out /dev/stdout mine.jsonl >> f.csv",
    ])
    .arg(crate::context::bin());
    crate::context::run_command(sh, None).code(0);
    assert_eq!(
        std::fs::read_to_string(ctx.join("f.csv")).unwrap(),
        format!("PRE\n{through}")
    );
}

/// An export to a file interrupted by Ctrl-C or a SIGTERM ends as the signal ends it, leaves
/// the earlier export in place and no hidden temporary file beside it.
#[test]
fn an_interrupted_export_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    use nix::sys::signal::Signal;

    let ctx = TestContext::new();
    // Long enough to be caught mid-way: the tests run the debug build (about 2 s).
    let line = event(
        "acme",
        "search",
        "agent-a",
        "2026-11-01T10:00:00Z",
        "success",
        100,
        50_000,
        Value::Null,
    );
    ctx.write("events.jsonl", crate::logs::copies(&line, 50_000));
    let staged = |ctx: &TestContext| {
        std::fs::read_dir(ctx.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".out.csv.mcpbill-"))
            .collect::<Vec<_>>()
    };
    for signal in [Signal::SIGINT, Signal::SIGTERM] {
        ctx.write("out.csv", "the earlier export\n");
        let mut child = ctx
            .command()
            .args([
                "export",
                "--format",
                "csv",
                "--out",
                "out.csv",
                "events.jsonl",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while staged(&ctx).is_empty() {
            assert!(Instant::now() < deadline, "no staged file appeared");
            std::thread::sleep(Duration::from_millis(1));
        }
        crate::context::signal(&child, signal);
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(signal as i32), "{signal}: {status:?}");
        assert_eq!(staged(&ctx), Vec::<String>::new(), "{signal}");
        let kept = std::fs::read_to_string(ctx.join("out.csv")).unwrap();
        assert_eq!(kept, "the earlier export\n", "{signal}");
    }
    // Started with SIGINT ignored (`trap '' INT`, as for a script's background job), it
    // stays ignored: the export goes on to the end.
    let mut child = ctx
        .command_of("bash")
        .arg("-c")
        .arg("trap '' INT; exec \"$0\" export --format csv --out out.csv events.jsonl")
        .arg(crate::context::bin())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while staged(&ctx).is_empty() {
        assert!(Instant::now() < deadline, "no staged file appeared");
        std::thread::sleep(Duration::from_millis(1));
    }
    crate::context::signal(&child, Signal::SIGINT);
    assert!(child.wait().unwrap().success());
    assert!(staged(&ctx).is_empty());
    let csv = std::fs::read_to_string(ctx.join("out.csv")).unwrap();
    assert_eq!(csv.lines().count(), 50_001);
}

/// An output path that holds a receipts log, a pricing file or a key (`--html` taking the
/// next argument, a slip of the tab key) is refused before anything is written; an earlier
/// export or report is replaced as before.
#[test]
fn outputs_never_replace_a_key_a_pricing_file_or_a_log() {
    let ctx = TestContext::new();
    let line = event(
        "acme",
        "search",
        "agent-a",
        "2026-11-01T10:00:00Z",
        "success",
        100,
        50_000,
        Value::Null,
    );
    ctx.write("events.jsonl", format!("{line}\n"));
    let receipt = r#"{"receipt_id":"rcpt_0123456789abcdef01234567","tool_id":"search","agent_id":"a","provider_id":"acme","timestamp":"2026-11-01T10:00:00.000Z","cost_microcents":5,"status":"success","signature":"00"}"#;
    let files = [
        ("rc.jsonl", format!("{receipt}\n"), "a receipts log"),
        ("copy.jsonl", format!("{line}\n"), "a meter events log"),
        (
            "pricing.toml",
            "provider_id = \"acme\"\n".to_owned(),
            "a pricing file",
        ),
        (
            "billing.key",
            format!("{}\n", "ab".repeat(32)),
            "a key file",
        ),
    ];
    for (name, body, kind) in &files {
        ctx.write(name, body);
        for args in [
            vec!["export", "--format", "csv", "--out", name, "events.jsonl"],
            vec!["report", "--html", name, "events.jsonl"],
        ] {
            ctx.run(&args)
                .code(2)
                .one_line_error()
                .stderr_has(&format!("'{name}' is {kind}"));
            assert_eq!(&std::fs::read_to_string(ctx.join(name)).unwrap(), body);
        }
    }
    // Earlier outputs are replaced: a CSV export, a stripe export, a report.
    for args in [
        [
            "export",
            "--format",
            "csv",
            "--out",
            "out.csv",
            "events.jsonl",
        ],
        [
            "export",
            "--format",
            "stripe",
            "--out",
            "out.jsonl",
            "events.jsonl",
        ],
        [
            "export",
            "--format",
            "openmeter",
            "--out",
            "out.jsonl",
            "events.jsonl",
        ],
        ["report", "--html", "r.html", "events.jsonl", "--by", "tool"],
    ] {
        ctx.run(args).code(0);
        ctx.run(args).code(0);
    }
}

/// `text` as `iconv -t UTF-16` writes it: a byte order mark, then UTF-16LE.
fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// A UTF-16 file (a log converted on Windows, `iconv -t UTF-16`) read every line as
/// garbage: exit 0 with nothing counted, and `export --out F` replaced a good F with an
/// empty export. Whatever reads it (the event logs, a log directory's files, the side
/// logs, receipts) says so, exit 2, before anything is written.
#[test]
fn utf16_inputs_are_refused_before_anything_is_written() {
    let ctx = TestContext::new();
    write_log(&ctx);
    let events = std::fs::read_to_string(ctx.join("logs/events-2026-11.jsonl")).unwrap();
    ctx.write("events16.jsonl", utf16(&events));
    ctx.write("good.csv", "an earlier export\n");
    let refused = "'events16.jsonl' is UTF-16 text; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8 'events16.jsonl' > 'events16.jsonl.utf8')";
    for args in [
        vec!["report", "events16.jsonl"],
        vec!["trust", "events16.jsonl"],
        vec!["export", "--format", "stripe", "events16.jsonl"],
        vec![
            "export",
            "--format",
            "csv",
            "--out",
            "good.csv",
            "events16.jsonl",
        ],
        vec![
            "export",
            "--format",
            "csv",
            "--out",
            "good.csv",
            "logs",
            "events16.jsonl",
        ],
    ] {
        let run = ctx.run(&args);
        run.code(2).one_line_error().stderr_has(refused);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert_eq!(
        std::fs::read_to_string(ctx.join("good.csv")).unwrap(),
        "an earlier export\n"
    );
    // Side logs, as the flag names them or as the log directory holds them.
    let utf16_file = |name: &str, text: &str| {
        ctx.write(name, utf16(text));
    };
    utf16_file("fb16.jsonl", "{\"request_id\":\"r1\",\"discarded\":true}\n");
    utf16_file(
        "ver16.jsonl",
        "{\"provider_id\":\"acme\",\"level\":\"domain\"}\n",
    );
    utf16_file("disp16.jsonl", "{\"type\":\"status\"}\n");
    for (args, file) in [
        (vec!["report", "--feedback", "fb16.jsonl"], "fb16.jsonl"),
        (
            vec!["trust", "--verifications", "ver16.jsonl"],
            "ver16.jsonl",
        ),
        (vec!["trust", "--disputes", "disp16.jsonl"], "disp16.jsonl"),
    ] {
        ctx.run(&args)
            .code(2)
            .one_line_error()
            .stderr_has(&format!("'{file}' is UTF-16 text"));
    }
    // UTF-16 without a byte order mark (iconv -t UTF-16LE).
    let le: Vec<u8> = events.encode_utf16().flat_map(u16::to_le_bytes).collect();
    ctx.write("logs/events-2026-12.jsonl", le);
    ctx.run(["export", "--format", "csv", "--out", "good.csv"])
        .code(2)
        .one_line_error()
        .stderr_has(
            "events-2026-12.jsonl' is UTF-16 text; convert it to UTF-8 (iconv -f UTF-16LE -t UTF-8",
        );
    assert_eq!(
        std::fs::read_to_string(ctx.join("good.csv")).unwrap(),
        "an earlier export\n"
    );
    // Receipts.
    ctx.write("receipts16.jsonl", utf16("{\"receipt_id\":\"rcpt_0\"}\n"));
    ctx.write("k", "0123456789abcdef0123456789abcdef\n");
    ctx.run(["receipt", "verify", "receipts16.jsonl", "--key-file", "k"])
        .code(2)
        .one_line_error()
        .stderr_has("'receipts16.jsonl' is UTF-16 text");
    ctx.run(["receipt", "inspect", "receipts16.jsonl"])
        .code(2)
        .one_line_error()
        .stderr_has("'receipts16.jsonl' is UTF-16 text");
}
