//! `mcpbill trust`: hand-computed scores at every threshold of every component.

use serde_json::{Value, json};

use crate::context::TestContext;
use crate::logs::{calls, free_call};

const AS_OF: &str = "2026-11-30T00:00:00Z";

fn write_log(ctx: &TestContext, name: &str, lines: &[String]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    ctx.write(name, text);
    name.to_owned()
}

fn trust(ctx: &TestContext, args: &[&str]) -> Value {
    let mut all = vec!["--json", "trust", "--as-of", AS_OF];
    all.extend_from_slice(args);
    let run = ctx.run(&all);
    run.code(0);
    run.json()
}

fn provider<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["provider_id"] == id)
        .unwrap_or_else(|| panic!("no provider {id} in {doc:#}"))
}

#[test]
fn uptime_thresholds() {
    let ctx = TestContext::new();
    let cases = [
        (999, 25),
        (998, 23),
        (995, 23),
        (994, 20),
        (990, 20),
        (989, 17),
        (980, 17),
        (979, 12),
        (950, 12),
        (949, 8),
        (900, 8),
        (899, 3),
    ];
    let mut lines = Vec::new();
    for (ok, _) in cases {
        lines.extend(calls(&format!("u{ok}"), 1000, ok, 100, "2026-11-20"));
    }
    write_log(&ctx, "events.jsonl", &lines);
    let doc = trust(&ctx, &["events.jsonl"]);
    for (ok, points) in cases {
        let p = provider(&doc, &format!("u{ok}"));
        assert_eq!(p["components"]["uptime"], points, "u{ok}: {p:#}");
        // 100 ms absolute latency 25, no disputes 25, unverified 0.
        assert_eq!(p["components"]["latency"], 25);
        assert_eq!(p["components"]["disputes"], 25);
        assert_eq!(p["components"]["verification"], 0);
        assert_eq!(p["trust_score"], points + 50);
        assert_eq!(p["calls"], 1000);
        assert_eq!(p["successes"], ok);
    }
    assert_eq!(provider(&doc, "u999")["badge"], "verified");
    assert_eq!(provider(&doc, "u899")["badge"], "trusted");
}

#[test]
fn absolute_latency_thresholds_and_nearest_rank() {
    let ctx = TestContext::new();
    let cases = [
        (200, 25),
        (201, 22),
        (500, 22),
        (501, 18),
        (1000, 18),
        (1001, 14),
        (2000, 14),
        (2001, 8),
        (5000, 8),
        (5001, 3),
    ];
    let mut lines = Vec::new();
    for (ms, _) in cases {
        lines.extend(calls(&format!("l{ms}"), 20, 20, ms, "2026-11-20"));
    }
    // p95 of 20 calls is the 19th smallest: one slow call does not count, two do.
    let mut one_slow = calls("one-slow", 19, 19, 100, "2026-11-20");
    one_slow.push(free_call(
        "one-slow",
        "2026-11-21T00:00:00Z",
        "success",
        9000,
        Value::Null,
    ));
    let mut two_slow = calls("two-slow", 18, 18, 100, "2026-11-20");
    for s in ["2026-11-21T00:00:00Z", "2026-11-21T00:00:01Z"] {
        two_slow.push(free_call("two-slow", s, "success", 9000, Value::Null));
    }
    lines.extend(one_slow);
    lines.extend(two_slow);
    write_log(&ctx, "events.jsonl", &lines);
    let doc = trust(&ctx, &["events.jsonl"]);
    for (ms, points) in cases {
        let p = provider(&doc, &format!("l{ms}"));
        assert_eq!(p["p95_ms"], ms);
        assert_eq!(p["components"]["latency"], points, "l{ms}");
        assert_eq!(p["latency_basis"]["basis"], "absolute");
    }
    assert_eq!(provider(&doc, "one-slow")["p95_ms"], 100);
    assert_eq!(provider(&doc, "one-slow")["components"]["latency"], 25);
    assert_eq!(provider(&doc, "two-slow")["p95_ms"], 9000);
    assert_eq!(provider(&doc, "two-slow")["components"]["latency"], 3);
}

#[test]
fn rate_limited_calls_are_left_out_of_uptime_and_latency() {
    let ctx = TestContext::new();
    let mut lines = calls("p", 20, 20, 100, "2026-11-20");
    for i in 0..100 {
        let ts = format!("2026-11-21T00:00:{:02}.{i:03}Z", i % 60);
        lines.push(free_call(
            "p",
            &ts,
            "rate_limited",
            60_000,
            json!({"refused": "budget"}),
        ));
    }
    write_log(&ctx, "events.jsonl", &lines);
    let p = provider(&trust(&ctx, &["events.jsonl"]), "p").clone();
    assert_eq!(p["events"], 120);
    assert_eq!(p["rate_limited"], 100);
    assert_eq!(p["calls"], 20);
    assert_eq!(p["components"]["uptime"], 25);
    assert_eq!(p["p95_ms"], 100);
    assert_eq!(p["components"]["latency"], 25);
    assert_eq!(p["insufficient_data"], false);
}

#[test]
fn insufficient_data_below_min_calls() {
    let ctx = TestContext::new();
    let mut lines = calls("few", 19, 19, 100, "2026-11-20");
    lines.extend(calls("enough", 20, 20, 100, "2026-11-20"));
    write_log(&ctx, "events.jsonl", &lines);
    ctx.write(
        "ver.jsonl",
        "{\"provider_id\":\"few\",\"level\":\"code\",\"method\":\"code\",\"subject\":\"x\",\"evidence\":{},\"verified_at\":\"2026-11-01T00:00:00Z\"}\n",
    );
    let doc = trust(&ctx, &["events.jsonl", "--verifications", "ver.jsonl"]);
    let few = provider(&doc, "few");
    assert_eq!(few["insufficient_data"], true);
    assert_eq!(
        few["components"],
        json!({"verification": 25, "uptime": 0, "latency": 0, "disputes": 0})
    );
    assert_eq!(few["trust_score"], 25);
    assert_eq!(few["badge"], "basic");
    assert_eq!(provider(&doc, "enough")["insufficient_data"], false);
    let doc = trust(&ctx, &["events.jsonl", "--min-calls", "10"]);
    assert_eq!(provider(&doc, "few")["insufficient_data"], false);
    assert_eq!(provider(&doc, "few")["trust_score"], 75);
    // The table says why.
    ctx.run(["trust", "events.jsonl", "--as-of", AS_OF])
        .code(0)
        .stdout_has("insufficient data");
}

#[test]
fn verification_levels_highest_wins_and_later_records_wait() {
    let ctx = TestContext::new();
    let mut lines = calls("a", 20, 20, 100, "2026-11-20");
    lines.extend(calls("b", 20, 20, 100, "2026-11-20"));
    lines.extend(calls("c", 20, 20, 100, "2026-11-20"));
    write_log(&ctx, "events.jsonl", &lines);
    let rec = |p: &str, level: &str, at: &str| {
        json!({"provider_id": p, "level": level, "method": level, "subject": "s", "evidence": {}, "verified_at": at}).to_string()
    };
    ctx.write(
        "ver.jsonl",
        [
            rec("a", "domain", "2026-11-01T00:00:00Z"),
            rec("a", "email", "2026-11-02T00:00:00Z"),
            rec("b", "email", "2026-11-01T00:00:00Z"),
            rec("b", "code", "2026-12-01T00:00:00Z"),
            "not json".to_owned(),
        ]
        .join("\n"),
    );
    let doc = trust(&ctx, &["events.jsonl", "--verifications", "ver.jsonl"]);
    assert_eq!(provider(&doc, "a")["components"]["verification"], 20);
    assert_eq!(provider(&doc, "a")["verification_level"], "domain");
    assert_eq!(provider(&doc, "b")["components"]["verification"], 10);
    assert_eq!(provider(&doc, "c")["components"]["verification"], 0);
    assert_eq!(doc["lines_skipped"], 1);
}

#[test]
fn category_relative_latency() {
    let ctx = TestContext::new();
    let cat = |c: &str| json!({"category": c});
    let mut lines = Vec::new();
    for i in 0..20 {
        let ts = format!("2026-11-20T00:00:{i:02}Z");
        lines.push(free_call("fast", &ts, "success", 100, cat("search")));
        // "slow" names no category in its events: its pricing file does.
        lines.push(free_call("slow", &ts, "success", 300, Value::Null));
        lines.push(free_call("alone", &ts, "success", 300, cat("translate")));
        // Too few calls to enter the mean.
        if i < 5 {
            lines.push(free_call("tiny", &ts, "success", 100_000, cat("search")));
        }
    }
    write_log(&ctx, "events.jsonl", &lines);
    ctx.write(
        "slow.toml",
        "provider_id = \"slow\"\ncategory = \"search\"\n",
    );
    let doc = trust(&ctx, &["events.jsonl", "--pricing", "slow.toml"]);
    // Mean p95 of search = (100 + 300) / 2 = 200: fast 0.5 -> 25, slow 1.5 -> 14.
    let fast = provider(&doc, "fast");
    assert_eq!(fast["components"]["latency"], 25);
    assert_eq!(fast["latency_basis"]["basis"], "category");
    assert_eq!(fast["latency_basis"]["category_mean_p95_ms"], 200.0);
    assert_eq!(fast["latency_basis"]["peers"], 2);
    assert_eq!(provider(&doc, "slow")["components"]["latency"], 14);
    assert_eq!(provider(&doc, "slow")["category"], "search");
    // No peers in its category: absolute (300 ms -> 22).
    assert_eq!(provider(&doc, "alone")["components"]["latency"], 22);
    assert_eq!(
        provider(&doc, "alone")["latency_basis"]["basis"],
        "absolute"
    );
    // --category selects; the mean still uses every peer.
    let doc = trust(
        &ctx,
        &[
            "events.jsonl",
            "--pricing",
            "slow.toml",
            "--category",
            "search",
        ],
    );
    let ids: Vec<&str> = doc["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["provider_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["fast", "slow", "tiny"]);
}

fn dispute_line(id: &str, provider: &str, created: &str) -> String {
    json!({
        "type": "filed", "dispute_id": id, "receipt_id": format!("rcpt_{:0>24}", id.trim_start_matches("disp_")),
        "filed_by": "agent-1", "filed_by_type": "agent", "reason": "tool_error", "description": "",
        "evidence": {}, "status": "filed", "created_at": created, "provider_id": provider,
        "agent_id": "agent-1", "tool_id": "search", "cost_microcents": 1000
    })
    .to_string()
}

fn status_line(id: &str, from: &str, to: &str) -> String {
    json!({"type": "status", "dispute_id": id, "from": from, "to": to, "at": "2026-11-25T00:00:00Z"}).to_string()
}

#[test]
fn disputes_in_window_count_except_denied() {
    let ctx = TestContext::new();
    let mut lines = calls("p100", 100, 100, 100, "2026-11-20");
    lines.extend(calls("p200", 200, 200, 100, "2026-11-20"));
    lines.extend(calls("p20", 20, 20, 100, "2026-11-20"));
    write_log(&ctx, "events.jsonl", &lines);
    let records = [
        // p100: 1 of 100 counts (1% is not < 1%): 15.
        dispute_line("disp_1", "p100", "2026-11-10T00:00:00Z"),
        // Denied: not counted.
        dispute_line("disp_2", "p100", "2026-11-11T00:00:00Z"),
        status_line("disp_2", "filed", "under_review"),
        status_line("disp_2", "under_review", "resolved_denied"),
        // Before the window: not counted.
        dispute_line("disp_3", "p100", "2026-10-01T00:00:00Z"),
        // Refunded: counted. p200: 1 of 200 = 0.5%: 20.
        dispute_line("disp_4", "p200", "2026-11-12T00:00:00Z"),
        status_line("disp_4", "filed", "under_review"),
        status_line("disp_4", "under_review", "resolved_refund"),
        // p20: 2 of 20 = 10%: 2.
        dispute_line("disp_5", "p20", "2026-11-12T00:00:00Z"),
        dispute_line("disp_6", "p20", "2026-11-13T00:00:00Z"),
    ];
    std::fs::create_dir_all(ctx.join("logs")).unwrap();
    ctx.write("logs/disputes.jsonl", records.join("\n") + "\n");
    let doc = trust(&ctx, &["events.jsonl"]);
    assert_eq!(provider(&doc, "p100")["disputes"], 1);
    assert_eq!(provider(&doc, "p100")["components"]["disputes"], 15);
    assert_eq!(provider(&doc, "p200")["components"]["disputes"], 20);
    assert_eq!(provider(&doc, "p20")["disputes"], 2);
    assert_eq!(provider(&doc, "p20")["components"]["disputes"], 2);
    assert_eq!(provider(&doc, "p20")["dispute_rate"], 0.1);
}

#[test]
fn as_of_selects_the_window() {
    let ctx = TestContext::new();
    let mut lines = Vec::new();
    // 20 good calls in November, 20 failures in December.
    lines.extend(calls("p", 20, 20, 100, "2026-11-20"));
    lines.extend(calls("p", 20, 0, 100, "2026-12-20"));
    // Exactly at the window's start (included), at its end (excluded), and just before it.
    for ts in [
        "2026-10-31T00:00:00.000Z",
        "2026-11-30T00:00:00.000Z",
        "2026-10-30T23:59:59.999Z",
    ] {
        lines.push(free_call("edge", ts, "success", 1, Value::Null));
    }
    write_log(&ctx, "events.jsonl", &lines);
    let doc = trust(&ctx, &["events.jsonl"]);
    assert_eq!(doc["window_start"], "2026-10-31T00:00:00.000Z");
    assert_eq!(provider(&doc, "p")["successes"], 20);
    assert_eq!(provider(&doc, "p")["calls"], 20);
    assert_eq!(provider(&doc, "edge")["calls"], 1);
    let run = ctx.run(["--json", "trust", "events.jsonl", "--as-of", "2026-12-31"]);
    let doc = run.code(0).json();
    assert_eq!(doc["as_of"], "2027-01-01T00:00:00.000Z");
    assert_eq!(provider(&doc, "p")["successes"], 0);
    assert_eq!(provider(&doc, "p")["components"]["uptime"], 3);
    let doc = ctx
        .run([
            "--json",
            "trust",
            "events.jsonl",
            "--as-of",
            "2026-12-31",
            "--window",
            "90d",
        ])
        .code(0)
        .json();
    assert_eq!(provider(&doc, "p")["calls"], 40);
    ctx.run(["trust", "events.jsonl", "--as-of", "soon"])
        .code(2)
        .one_line_error()
        .stderr_has("--as-of");
}

#[test]
fn json_holds_the_spec_object_and_min_score_gates() {
    let ctx = TestContext::new();
    let mut lines = calls("good", 100, 100, 100, "2026-11-20");
    lines.extend(calls("bad", 100, 50, 9000, "2026-11-20"));
    write_log(&ctx, "events.jsonl", &lines);
    let doc = trust(&ctx, &["events.jsonl"]);
    for p in doc["providers"].as_array().unwrap() {
        for key in [
            "provider_id",
            "trust_score",
            "badge",
            "components",
            "calls",
            "success_rate",
            "p95_ms",
            "dispute_rate",
            "insufficient_data",
        ] {
            assert!(p.get(key).is_some(), "missing {key}");
        }
        let c = &p["components"];
        assert_eq!(c.as_object().unwrap().len(), 4);
        let sum: u64 = ["verification", "uptime", "latency", "disputes"]
            .iter()
            .map(|k| c[k].as_u64().unwrap())
            .sum();
        assert_eq!(p["trust_score"].as_u64().unwrap(), sum);
    }
    // good: 0 + 25 + 25 + 25 = 75; bad: 0 + 3 + 3 + 25 = 31.
    assert_eq!(provider(&doc, "good")["trust_score"], 75);
    assert_eq!(provider(&doc, "bad")["trust_score"], 31);
    ctx.run([
        "trust",
        "events.jsonl",
        "--as-of",
        AS_OF,
        "--min-score",
        "75",
    ])
    .code(1)
    .stderr_has("bad");
    ctx.run([
        "trust",
        "events.jsonl",
        "--as-of",
        AS_OF,
        "--min-score",
        "75",
        "--provider",
        "good",
    ])
    .code(0);
    ctx.run([
        "trust",
        "events.jsonl",
        "--as-of",
        AS_OF,
        "--min-score",
        "76",
        "--provider",
        "good",
    ])
    .code(1);
    // A gate with nothing to judge fails: a window with no events, or an empty log, would
    // otherwise pass any --min-score.
    ctx.write("empty.jsonl", "");
    for args in [
        ["trust", "events.jsonl", "--as-of", "2031-01-01"],
        ["trust", "empty.jsonl", "--as-of", AS_OF],
    ] {
        ctx.run(args.iter().chain(&["--min-score", "10"]))
            .code(1)
            .stderr_has("--min-score 10: no provider was scored");
    }
    // A provider shown without one event in the window (named by --provider, or known only
    // from a verification record) has nothing to judge either: a mistyped log or window
    // must not pass on verification points alone. The others are still judged.
    ctx.write(
        "ver.jsonl",
        "{\"provider_id\":\"good\",\"level\":\"code\",\"method\":\"code\",\"subject\":\"x\",\"evidence\":{},\"verified_at\":\"2026-11-01T00:00:00Z\"}\n",
    );
    for args in [
        vec![
            "empty.jsonl",
            "--verifications",
            "ver.jsonl",
            "--min-score",
            "25",
        ],
        vec!["empty.jsonl", "--provider", "good", "--min-score", "0"],
    ] {
        ctx.run(["trust", "--as-of", AS_OF].iter().chain(&args))
            .code(1)
            .stderr_has("no events in the window for ")
            .stderr_has("so no score to judge");
    }
    ctx.run([
        "trust",
        "events.jsonl",
        "--as-of",
        AS_OF,
        "--provider",
        "good",
        "--provider",
        "gooood",
        "--min-score",
        "0",
    ])
    .code(1)
    .stderr_has("no events in the window for gooood, so no score to judge");
    // A score is 0 to 100: a gate above that could never pass, so it is a usage error.
    ctx.run(["trust", "events.jsonl", "--min-score", "101"])
        .code(2)
        .stderr_has("--min-score");
}

#[test]
fn corrupt_logs_are_skipped_and_counted() {
    let ctx = TestContext::new();
    let mut lines = calls("p", 20, 20, 100, "2026-11-20");
    lines.insert(3, "garbage {{{".to_owned());
    lines.insert(
        5,
        lines[6].replace("\"duration_ms\":100", "\"duration_ms\":\"100\""),
    );
    let mut text = lines.join("\n");
    text.push('\n');
    // A torn last line.
    text.push_str(&lines[0][..40]);
    std::fs::create_dir_all(ctx.join("logs")).unwrap();
    ctx.write("logs/events-2026-11.jsonl", &text);
    ctx.write("logs/events-2026-12.jsonl", "");
    // Default input: the log directory.
    let run = ctx.run(["--json", "trust", "--as-of", AS_OF]);
    run.code(0);
    let doc = run.json();
    assert_eq!(doc["lines_skipped"], 3);
    assert_eq!(doc["lines_read"], 20);
    assert_eq!(provider(&doc, "p")["calls"], 20);
    ctx.run(["trust", "--as-of", AS_OF])
        .code(0)
        .stderr_has("3 lines skipped");
    // An empty file alone is fine.
    ctx.run(["trust", "logs/events-2026-12.jsonl", "--as-of", AS_OF])
        .code(0);
    ctx.run(["trust", "nope.jsonl"]).code(2).one_line_error();
    ctx.run(["trust", "--as-of", AS_OF, "--disputes", "nope.jsonl"])
        .code(2)
        .one_line_error()
        .stderr_has("--disputes: 'nope.jsonl' does not exist");
}

#[test]
fn a_provider_asked_for_by_name_without_data_is_scored_not_skipped() {
    let ctx = TestContext::new();
    write_log(
        &ctx,
        "events.jsonl",
        &calls("good", 100, 100, 100, "2026-11-20"),
    );
    let doc = trust(&ctx, &["events.jsonl", "--provider", "ghost"]);
    let ghost = provider(&doc, "ghost");
    assert_eq!(ghost["calls"], 0);
    assert_eq!(ghost["insufficient_data"], true);
    assert_eq!(ghost["trust_score"], 0);
    assert_eq!(doc["providers"].as_array().unwrap().len(), 1);
    ctx.run([
        "trust",
        "events.jsonl",
        "--as-of",
        AS_OF,
        "--provider",
        "ghost",
        "--min-score",
        "1",
    ])
    .code(1)
    .stderr_has("ghost");
}

#[test]
fn a_log_dir_that_is_a_file_is_an_error_not_an_empty_log() {
    let ctx = TestContext::new();
    ctx.write("not-a-dir", "x\n");
    for args in [
        &["trust", "--log-dir", "not-a-dir"][..],
        &["report", "--log-dir", "not-a-dir"],
        &["export", "--format", "csv", "--log-dir", "not-a-dir"],
    ] {
        ctx.run(args)
            .code(2)
            .one_line_error()
            .stderr_has("is not a directory");
    }
}

#[test]
fn an_empty_window_is_a_usage_error() {
    let ctx = TestContext::new();
    ctx.run(["trust", "--window", "0s"])
        .code(2)
        .one_line_error()
        .stderr_has("--window");
}

/// A side log given by its flag that holds no record of its kind (receipts given as
/// disputes, events as verification records, a garbage file as feedback) would count
/// nothing, in silence: full dispute points, no discards. It is an error naming the file
/// and what it should hold. The log directory's own disputes.jsonl is not judged so.
#[test]
fn a_side_log_of_the_wrong_kind_is_refused() {
    let ctx = TestContext::new();
    let events = write_log(&ctx, "events.jsonl", &calls("p", 50, 50, 100, "2026-11-20"));
    let receipt = json!({
        "receipt_id": "rcpt_0123456789abcdef01234567", "tool_id": "search", "agent_id": "a",
        "provider_id": "p", "timestamp": "2026-11-20T00:00:00Z", "cost_microcents": 1000,
        "status": "success", "signature": "ab".repeat(32),
    });
    ctx.write("receipts.jsonl", format!("{receipt}\n{receipt}\n"));
    ctx.write("garbage.jsonl", "\nnot json\n{\"a\":1}\n");
    let base = ["trust", "--as-of", AS_OF, "events.jsonl"];
    let with = |flag: &str, file: &str| {
        let mut args = base.to_vec();
        args.extend([flag, file]);
        ctx.run(&args)
    };
    with("--disputes", "receipts.jsonl")
        .code(2)
        .one_line_error()
        .stderr_has("--disputes 'receipts.jsonl' holds receipts, not dispute records; pass the disputes.jsonl that 'mcpbill dispute file' writes");
    with("--disputes", "garbage.jsonl")
        .code(2)
        .one_line_error()
        .stderr_has(
            "--disputes 'garbage.jsonl' holds no dispute records (not one of its 2 lines is one)",
        );
    with("--verifications", &events)
        .code(2)
        .one_line_error()
        .stderr_has("--verifications 'events.jsonl' holds meter events, not verification records");
    ctx.run(["report", "events.jsonl", "--feedback", "receipts.jsonl"])
        .code(2)
        .one_line_error()
        .stderr_has("--feedback 'receipts.jsonl' holds receipts, not feedback records; pass the feedback.jsonl that 'mcpbill feedback' writes");
    // A file with some records of its kind is read, its other lines skipped and counted.
    ctx.write(
        "ver.jsonl",
        "not json\n{\"provider_id\":\"p\",\"level\":\"domain\",\"verified_at\":\"2026-11-01T00:00:00Z\"}\n",
    );
    let doc = trust(&ctx, &["events.jsonl", "--verifications", "ver.jsonl"]);
    assert_eq!(provider(&doc, "p")["components"]["verification"], 20);
    assert_eq!(doc["lines_skipped"], 1);
    // Empty or blank: nothing to count, nothing wrong.
    ctx.write("blank.jsonl", "\n\n");
    trust(&ctx, &["events.jsonl", "--disputes", "blank.jsonl"]);
    // The log directory's disputes.jsonl is mcpbill's own: its unreadable lines are
    // skipped and counted, as before.
    ctx.write("logs/disputes.jsonl", "not json\n");
    let doc = trust(&ctx, &["events.jsonl"]);
    assert_eq!(doc["lines_skipped"], 1);
}

/// A log directory given as the input (`mcpbill trust ~/logs`, as the README shows) brings
/// its own side logs: its disputes and feedback count, not those of the default log
/// directory, which may be another log altogether.
#[test]
fn a_log_directory_input_brings_its_own_disputes_and_feedback() {
    let ctx = TestContext::new();
    ctx.run(["demo", "--log-dir", "other"]).code(0);
    let receipts = std::fs::read_dir(ctx.join("other"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("receipts-"))
        .unwrap()
        .path();
    let text = std::fs::read_to_string(receipts).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let id = first["receipt_id"].as_str().unwrap();
    ctx.run([
        "dispute",
        "file",
        "--log-dir",
        "other",
        "--receipt-id",
        id,
        "--reason",
        "quality",
    ])
    .code(0);
    let request = first["receipt_id"].as_str().unwrap();
    ctx.run(["feedback", "--log-dir", "other", request, "--discarded"])
        .code(0);
    // The default log directory (MCPBILL_LOG_DIR here) exists and holds nothing.
    std::fs::create_dir_all(ctx.join("logs")).unwrap();
    let doc = ctx
        .run(["--json", "trust", "other", "--min-calls", "1"])
        .code(0)
        .json();
    assert_eq!(doc["providers"][0]["disputes"], 1, "{doc}");
    let same = ctx
        .run(["--json", "trust", "--log-dir", "other", "--min-calls", "1"])
        .code(0)
        .json();
    assert_eq!(
        doc["providers"][0]["trust_score"],
        same["providers"][0]["trust_score"]
    );
    let report = ctx.run(["--json", "report", "other"]).code(0).json();
    assert_eq!(report["totals"]["discarded"], 1, "{report}");
}
