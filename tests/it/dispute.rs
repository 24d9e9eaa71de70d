//! `mcpbill dispute file|list|show|update`.

use mcpbill::key::Secret;
use mcpbill::receipt::{ReceiptFields, sign_fields};
use serde_json::{Value, json};

use crate::context::TestContext;
use crate::logs::event;

const KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn receipt(id_n: u32, status: &str, cost: u64) -> Value {
    let receipt_id = format!("rcpt_{id_n:024x}");
    let fields = ReceiptFields {
        receipt_id: &receipt_id,
        tool_id: "search",
        agent_id: "agent-1",
        provider_id: "acme",
        timestamp: "2026-11-05T10:00:00.000Z",
        cost_microcents: cost,
        status,
    };
    let sig = sign_fields(&Secret::from_text(KEY).unwrap(), &fields).unwrap();
    json!({
        "receipt_id": receipt_id, "tool_id": "search", "agent_id": "agent-1", "provider_id": "acme",
        "timestamp": "2026-11-05T10:00:00.000Z", "duration_ms": 321, "cost_microcents": cost,
        "status": status, "signature": sig
    })
}

fn setup(ctx: &TestContext) {
    std::fs::create_dir_all(ctx.join("logs")).unwrap();
    ctx.write("key", format!("{KEY}\n"));
    ctx.write(
        "pricing.toml",
        "provider_id = \"acme\"\n[tools.search]\npricing_model = \"per_call\"\nprice_per_call = \"$0.05\"\n[tools.search.free_tier]\ncalls_per_month = 2\n",
    );
}

fn file_receipt(ctx: &TestContext, r: &Value, extra: &[&str]) -> crate::context::Run {
    let name = format!("{}.json", r["receipt_id"].as_str().unwrap());
    ctx.write(&name, r.to_string());
    let mut args = vec!["--json", "dispute", "file", "--receipt", &name];
    args.extend_from_slice(extra);
    ctx.run(&args)
}

/// `dispute file --json --receipt-id ID --reason REASON`, checked with the test key.
fn file_by_id(ctx: &TestContext, id: &str, reason: &str) -> crate::context::Run {
    ctx.run([
        "--json",
        "dispute",
        "file",
        "--receipt-id",
        id,
        "--reason",
        reason,
        "--key-file",
        "key",
    ])
}

fn dispute_id(run: &crate::context::Run) -> String {
    run.code(0);
    run.json()["dispute_id"].as_str().unwrap().to_owned()
}

#[test]
fn files_with_evidence_and_refuses_a_second_open_dispute() {
    let ctx = TestContext::new();
    setup(&ctx);
    let r = receipt(1, "error", 50_000);
    // The matching meter event, found by metadata.receipt_id.
    let ev = event(
        "acme",
        "search",
        "agent-1",
        "2026-11-05T10:00:00.000Z",
        "error",
        321,
        50_000,
        json!({"receipt_id": r["receipt_id"]}),
    );
    ctx.write("logs/events-2026-11.jsonl", ev + "\n");
    let run = file_receipt(
        &ctx,
        &r,
        &[
            "--reason",
            "tool_error",
            "--key-file",
            "key",
            "--pricing",
            "pricing.toml",
        ],
    );
    let doc = run.code(0).json();
    assert_eq!(doc["status"], "filed");
    assert_eq!(doc["filed_by"], "agent-1");
    assert_eq!(doc["filed_by_type"], "agent");
    assert_eq!(doc["provider_id"], "acme");
    let e = &doc["evidence"];
    assert_eq!(e["signature"]["checked"], true);
    assert_eq!(e["signature"]["valid"], true);
    assert_eq!(e["meter_event"]["status"], "error");
    assert_eq!(e["meter_event"]["duration_ms"], 321);
    assert_eq!(e["meter_event"]["matched_by"], "receipt_id");
    assert_eq!(e["expected_cost_microcents"], 0);
    assert_eq!(e["difference_microcents"], 50_000);
    assert_eq!(e["assessment"]["reason_applies"], true);
    let id = doc["dispute_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("disp_") && id.len() == 29, "{id}");

    let log = std::fs::read_to_string(ctx.join("logs/disputes.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 1);
    assert!(log.starts_with("{\"type\":\"filed\""));

    file_receipt(&ctx, &r, &["--reason", "overcharge"])
        .code(2)
        .one_line_error()
        .stderr_has("already has an open dispute")
        .stderr_has(&id);

    // Once resolved, the receipt may be disputed again.
    ctx.run(["dispute", "update", &id, "--status", "under_review"])
        .code(0);
    ctx.run([
        "dispute",
        "update",
        &id,
        "--status",
        "resolved_denied",
        "--note",
        "logs show success",
    ])
    .code(0);
    file_receipt(&ctx, &r, &["--reason", "quality"]).code(0);
}

#[test]
fn overcharge_evidence_arithmetic() {
    let ctx = TestContext::new();
    setup(&ctx);
    // Two earlier successful calls used the free tier of 2; this one costs $0.05 but $0.08 was charged.
    let r = receipt(2, "success", 80_000);
    let lines = [
        event(
            "acme",
            "search",
            "agent-1",
            "2026-11-01T00:00:00.000Z",
            "success",
            10,
            0,
            json!({"free_tier": true}),
        ),
        event(
            "acme",
            "search",
            "agent-1",
            "2026-11-02T00:00:00.000Z",
            "success",
            10,
            0,
            json!({"free_tier": true}),
        ),
        event(
            "acme",
            "search",
            "agent-1",
            "2026-11-03T00:00:00.000Z",
            "error",
            10,
            0,
            Value::Null,
        ),
        event(
            "acme",
            "search",
            "agent-2",
            "2026-11-03T00:00:00.000Z",
            "success",
            10,
            0,
            Value::Null,
        ),
        event(
            "acme",
            "search",
            "agent-1",
            "2026-11-05T10:00:00.000Z",
            "success",
            321,
            80_000,
            Value::Null,
        ),
    ];
    ctx.write("logs/events-2026-11.jsonl", lines.join("\n") + "\n");
    let doc = file_receipt(
        &ctx,
        &r,
        &["--reason", "overcharge", "--pricing", "pricing.toml"],
    )
    .code(0)
    .json();
    let e = &doc["evidence"];
    assert_eq!(e["meter_event"]["matched_by"], "fields");
    assert_eq!(e["month_usage_before"]["calls"], 2);
    assert_eq!(e["pricing"]["price_per_call_microcents"], 50_000);
    assert_eq!(e["charged_cost_microcents"], 80_000);
    assert_eq!(e["expected_cost_microcents"], 50_000);
    assert_eq!(e["difference_microcents"], 30_000);
    assert_eq!(e["assessment"]["reason_applies"], true);
    assert!(
        e["assessment"]["explanation"]
            .as_str()
            .unwrap()
            .contains("$0.03 too much")
    );
    assert_eq!(e["signature"]["checked"], false);

    // A fair charge: accepted, flagged, and said so on stderr.
    let fair = receipt(3, "success", 50_000);
    let run = file_receipt(
        &ctx,
        &fair,
        &["--reason", "overcharge", "--pricing", "pricing.toml"],
    );
    let doc = run.code(0).json();
    assert_eq!(doc["evidence"]["assessment"]["reason_applies"], false);
    assert_eq!(doc["evidence"]["assessment"]["flagged"], true);
    run.stderr_has("do not support");

    // tool_error on a successful call: accepted but flagged.
    let doc = file_receipt(
        &ctx,
        &receipt(4, "success", 50_000),
        &["--reason", "tool_error"],
    )
    .code(0)
    .json();
    assert_eq!(doc["evidence"]["assessment"]["flagged"], true);
}

#[test]
fn receipt_by_id_from_the_log_and_a_bad_signature() {
    let ctx = TestContext::new();
    setup(&ctx);
    let mut r = receipt(5, "timeout", 50_000);
    r["cost_microcents"] = json!(60_000); // tampered after signing
    ctx.write("logs/receipts-2026-11.jsonl", format!("garbage\n{r}\n"));
    let id = r["receipt_id"].as_str().unwrap();
    let doc = file_by_id(&ctx, id, "timeout").code(0).json();
    assert_eq!(doc["receipt_id"], id);
    assert_eq!(doc["evidence"]["signature"]["valid"], false);
    // A receipt that does not verify is filed, flagged: its fields, the charge among
    // them, cannot be trusted.
    assert_eq!(doc["evidence"]["assessment"]["reason_applies"], false);
    assert_eq!(doc["evidence"]["assessment"]["flagged"], true);
    assert!(
        doc["evidence"]["assessment"]["explanation"]
            .as_str()
            .unwrap()
            .starts_with("the receipt's signature does not verify"),
        "{doc}"
    );
    ctx.run([
        "dispute",
        "file",
        "--receipt-id",
        "rcpt_ffffffffffffffffffffffff",
        "--reason",
        "timeout",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("--receipt FILE");
    // From stdin.
    let r6 = receipt(6, "success", 1);
    ctx.run_stdin(
        [
            "--json",
            "dispute",
            "file",
            "--receipt",
            "-",
            "--reason",
            "quality",
            "--filed-by-type",
            "provider",
        ],
        Some(r6.to_string().as_bytes()),
    )
    .code(0);
    let list = ctx
        .run(["--json", "dispute", "list", "--reason", "quality"])
        .code(0)
        .json();
    assert_eq!(list["disputes"][0]["filed_by"], "acme");
}

/// A receipt line with a repeated field is refused, as `receipt verify` refuses it: the
/// genuine receipt with the same id, in a later file, is the one filed.
#[test]
fn receipt_by_id_passes_over_an_ambiguous_copy() {
    let ctx = TestContext::new();
    setup(&ctx);
    let r = receipt(7, "success", 50_000);
    let forged = r.to_string().replace(
        "\"cost_microcents\":50000",
        "\"cost_microcents\":50000,\"cost_microcents\":1",
    );
    assert_ne!(forged, r.to_string());
    ctx.write("logs/receipts-2026-10.jsonl", format!("{forged}\n"));
    ctx.write("logs/receipts-2026-11.jsonl", format!("{r}\n"));
    // Earlier calls whose token counts add past 2^64 - 1: the month's use saturates
    // instead of wrapping around to a free tier left untouched.
    let mut early: Value = serde_json::from_str(&event(
        "acme",
        "search",
        "agent-1",
        "2026-11-01T10:00:00.000Z",
        "success",
        1,
        0,
        Value::Null,
    ))
    .unwrap();
    early["input_tokens"] = json!(u64::MAX);
    early["output_tokens"] = json!(1);
    ctx.write("logs/events-2026-11.jsonl", format!("{early}\n"));
    let id = r["receipt_id"].as_str().unwrap();
    let doc = file_by_id(&ctx, id, "quality").code(0).json();
    assert_eq!(doc["cost_microcents"], 50_000, "{doc}");
    assert_eq!(doc["evidence"]["receipt"]["cost_microcents"], 50_000);
    assert_eq!(doc["evidence"]["signature"]["valid"], true);
    assert_eq!(
        doc["evidence"]["month_usage_before"]["tokens"],
        json!(u64::MAX)
    );
}

#[test]
fn flags_only_without_a_terminal() {
    let ctx = TestContext::new();
    setup(&ctx);
    let r = receipt(7, "error", 50_000);
    file_receipt(&ctx, &r, &[])
        .code(2)
        .one_line_error()
        .stderr_has("--reason");
    file_receipt(&ctx, &r, &["--reason", "other"])
        .code(2)
        .one_line_error()
        .stderr_has("--description");
    ctx.run(["dispute", "file", "--reason", "timeout"])
        .code(2)
        .one_line_error()
        .stderr_has("--receipt");
    // A receipt file that is not UTF-8 is "not JSON", not a bad path; one that starts like
    // UTF-16 (the bytes FF FE) is said to be UTF-16.
    ctx.write("latin1.json", b"{\"tool_id\": \"caf\xe9\"}");
    ctx.write("utf16.json", b"\xff\xfe{}");
    for (file, says) in [
        ("latin1.json", "not JSON"),
        ("utf16.json", "is UTF-16 text"),
    ] {
        let run = ctx.run(["dispute", "file", "--receipt", file, "--reason", "timeout"]);
        run.code(2).one_line_error().stderr_has(says);
        assert!(!run.stderr.contains("check the path"), "{}", run.stderr);
    }
    file_receipt(
        &ctx,
        &r,
        &["--reason", "other", "--description", "wrong language"],
    )
    .code(0);
    assert!(
        !ctx.join("logs/disputes.jsonl").exists()
            || std::fs::read_to_string(ctx.join("logs/disputes.jsonl"))
                .unwrap()
                .lines()
                .count()
                == 1
    );
    let mut bad = r.clone();
    bad["receipt_id"] = json!("nope");
    ctx.write("bad.json", bad.to_string());
    ctx.run([
        "dispute",
        "file",
        "--receipt",
        "bad.json",
        "--reason",
        "timeout",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("receipt_id");
}

#[test]
fn every_transition() {
    let ctx = TestContext::new();
    setup(&ctx);
    let ids: Vec<String> = (10..13)
        .map(|n| {
            dispute_id(&file_receipt(
                &ctx,
                &receipt(n, "error", 50_000),
                &["--reason", "tool_error"],
            ))
        })
        .collect();
    let up = |id: &str, args: &[&str]| {
        let mut a = vec!["dispute", "update", id];
        a.extend_from_slice(args);
        ctx.run(&a)
    };
    // Refused from filed.
    for to in ["resolved_refund", "resolved_denied"] {
        up(&ids[0], &["--status", to])
            .code(2)
            .one_line_error()
            .stderr_has("cannot move");
    }
    up(
        &ids[0],
        &["--status", "resolved_credit", "--credit", "$0.01"],
    )
    .code(2)
    .one_line_error()
    .stderr_has("cannot move");
    up(&ids[0], &["--status", "under_review", "--credit", "$0.01"])
        .code(2)
        .one_line_error()
        .stderr_has("--credit");
    // filed -> under_review.
    for id in &ids {
        up(id, &["--status", "under_review", "--note", "looking"])
            .code(0)
            .stdout_has("filed -> under_review");
    }
    up(&ids[0], &["--status", "under_review"])
        .code(2)
        .one_line_error();
    up(&ids[0], &["--status", "resolved_credit"])
        .code(2)
        .one_line_error()
        .stderr_has("--credit");
    up(
        &ids[0],
        &["--status", "resolved_refund", "--credit", "$0.01"],
    )
    .code(2)
    .one_line_error()
    .stderr_has("--credit");
    // A credit returns at most the charge ($0.05 here).
    up(
        &ids[0],
        &["--status", "resolved_credit", "--credit", "$0.06"],
    )
    .code(2)
    .one_line_error()
    .stderr_has("is more than the $0.05 charged");
    // A credit of nothing is no credit, and would close the dispute for good.
    up(&ids[0], &["--status", "resolved_credit", "--credit", "0"])
        .code(2)
        .one_line_error()
        .stderr_has("credits nothing");
    // A receipt id where the dispute id belongs: not found (exit 1), and said why.
    up(
        "rcpt_0123456789abcdef01234567",
        &["--status", "under_review"],
    )
    .code(1)
    .stderr_has("is a receipt id; dispute ids start with disp_");
    // under_review -> each resolution.
    up(
        &ids[0],
        &["--status", "resolved_credit", "--credit", "$0.02"],
    )
    .code(0)
    .stdout_has("credit $0.02");
    up(&ids[1], &["--status", "resolved_refund"]).code(0);
    up(&ids[2], &["--status", "resolved_denied"]).code(0);
    // Nothing after a resolution.
    for id in &ids {
        for to in ["under_review", "resolved_refund", "resolved_denied"] {
            up(id, &["--status", to])
                .code(2)
                .one_line_error()
                .stderr_has("resolved");
        }
    }
    // filed is where a dispute starts, never a target: not a value --status takes.
    up(&ids[0], &["--status", "filed"])
        .code(2)
        .stderr_has("invalid value 'filed'");
    let help = ctx.run(["dispute", "update", "--help"]);
    help.code(0).stdout_has("under_review");
    assert!(!help.stdout.contains("- filed"), "{}", help.stdout);
    up(
        "disp_ffffffffffffffffffffffff",
        &["--status", "under_review"],
    )
    .code(1)
    .stderr_has("no dispute");

    // History kept, not overwritten.
    let shown = ctx
        .run(["--json", "dispute", "show", &ids[0]])
        .code(0)
        .json();
    assert_eq!(shown["status"], "resolved_credit");
    assert_eq!(shown["credit_microcents"], 20_000);
    let hist = shown["history"].as_array().unwrap();
    assert_eq!(hist.len(), 2);
    assert_eq!(hist[0]["from"], "filed");
    assert_eq!(hist[0]["note"], "looking");
    assert_eq!(hist[1]["to"], "resolved_credit");
    let log = std::fs::read_to_string(ctx.join("logs/disputes.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 3 + 3 + 3);
    ctx.run(["dispute", "show", &ids[0]])
        .code(0)
        .stdout_has("resolved_credit")
        .stdout_has("history");
    ctx.run(["dispute", "show", "disp_ffffffffffffffffffffffff"])
        .code(1);
    // update with an unknown id is "record not found" too: exit 1, a warning, nothing written.
    let run = ctx.run([
        "--json",
        "dispute",
        "update",
        "disp_ffffffffffffffffffffffff",
        "--status",
        "under_review",
    ]);
    run.code(1)
        .stderr_has("no dispute 'disp_ffffffffffffffffffffffff'");
    assert_eq!(
        run.json(),
        json!({"dispute_id": "disp_ffffffffffffffffffffffff", "found": false})
    );
    let after = std::fs::read_to_string(ctx.join("logs/disputes.jsonl")).unwrap();
    assert_eq!(after, log);

    // List and filters.
    let all = ctx.run(["--json", "dispute", "list"]).code(0).json();
    assert_eq!(all["disputes"].as_array().unwrap().len(), 3);
    let denied = ctx
        .run(["--json", "dispute", "list", "--status", "resolved_denied"])
        .code(0)
        .json();
    assert_eq!(denied["disputes"].as_array().unwrap().len(), 1);
    assert_eq!(denied["disputes"][0]["dispute_id"], ids[2].as_str());
    let none = ctx
        .run(["--json", "dispute", "list", "--provider", "other"])
        .code(0)
        .json();
    assert!(none["disputes"].as_array().unwrap().is_empty());
    let by_agent = ctx
        .run([
            "--json",
            "dispute",
            "list",
            "--agent",
            "agent-1",
            "--reason",
            "tool_error",
        ])
        .code(0)
        .json();
    assert_eq!(by_agent["disputes"].as_array().unwrap().len(), 3);
    ctx.run(["dispute", "list"]).code(0).stdout_has(&ids[1]);
}

/// The prompts on a real pseudo-terminal (python's `pty`), end to end.
#[test]
fn prompts_on_a_terminal() {
    let ctx = TestContext::new();
    setup(&ctx);
    let r = receipt(20, "timeout", 50_000);
    ctx.write("r.json", r.to_string());
    let steps = json!([
        ["Why do you contest this charge?", "\u{1b}[B\u{1b}[B\r"],
        ["Describe the problem (optional)", "it hung\r"],
        ["File a timeout dispute", "y"],
        ["filed disp_", ""],
    ]);
    let cmd = ctx.pty_command(&steps, &["dispute", "file", "--receipt", "r.json"]);
    crate::context::run_command(cmd, None).code(0);
    let list = ctx.run(["--json", "dispute", "list"]).code(0).json();
    let d = &list["disputes"][0];
    assert_eq!(d["reason"], "timeout");
    assert_eq!(d["description"], "it hung");
    assert_eq!(d["evidence"]["assessment"]["reason_applies"], true);
}

#[test]
fn a_torn_last_line_does_not_swallow_the_next_record() {
    let ctx = TestContext::new();
    setup(&ctx);
    // A writer died mid-line.
    ctx.write(
        "logs/disputes.jsonl",
        "{\"type\":\"status\",\"dispute_id\":\"disp_x",
    );
    let r = receipt(1, "error", 50_000);
    let id = dispute_id(&file_receipt(&ctx, &r, &["--reason", "tool_error"]));
    ctx.run(["--json", "dispute", "show", &id]).code(0);
    file_receipt(&ctx, &r, &["--reason", "overcharge"])
        .code(2)
        .stderr_has("already has an open dispute");
    let log = std::fs::read_to_string(ctx.join("logs/disputes.jsonl")).unwrap();
    assert!(
        log.lines()
            .nth(1)
            .unwrap()
            .starts_with("{\"type\":\"filed\""),
        "{log}"
    );
    // The torn line is said, with its line number, wherever the log is read.
    for args in [
        vec!["dispute", "list"],
        vec!["dispute", "show", &id],
        vec!["trust"],
    ] {
        ctx.run(&args)
            .code(0)
            .stderr_has("1 line skipped (malformed, torn, wrong-typed or over 64 MiB): 1 in ")
            .stderr_has("(first: line 1)");
    }
}

#[test]
fn a_pricing_file_of_another_provider_is_said() {
    let ctx = TestContext::new();
    setup(&ctx);
    ctx.write(
        "other.toml",
        "provider_id = \"beta\"\n[tools.search]\npricing_model = \"per_call\"\nprice_per_call = \"$0.05\"\n",
    );
    let r = receipt(1, "success", 50_000);
    file_receipt(
        &ctx,
        &r,
        &["--reason", "overcharge", "--pricing", "other.toml"],
    )
    .code(0)
    .stderr_has("no --pricing file is for provider 'acme' (they declare 'beta')");
}

/// A receipt given as a file must be the receipt as issued: one that differs from the
/// log's copy, or from the call's meter event, is refused before anything is filed (a
/// forged cost set the credit limit). One that does not verify is filed, flagged.
#[test]
fn a_receipt_changed_after_issue_is_refused_or_flagged() {
    let ctx = TestContext::new();
    setup(&ctx);
    let r = receipt(11, "success", 50_000);
    let id = r["receipt_id"].as_str().unwrap().to_owned();
    let mut forged = r.clone();
    forged["cost_microcents"] = json!(999_999_999_999u64);
    // The log holds the receipt as issued.
    ctx.write("logs/receipts-2026-11.jsonl", format!("{r}\n"));
    let run = file_receipt(
        &ctx,
        &forged,
        &["--reason", "overcharge", "--key-file", "key"],
    );
    run.code(2).one_line_error().stderr_has(&format!(
        "receipt {id} differs from the log's copy in cost_microcents; a dispute is filed on the receipt as issued: pass --receipt-id {id} instead"
    ));
    // No copy in the log, but the call's meter event names the receipt.
    std::fs::remove_file(ctx.join("logs/receipts-2026-11.jsonl")).unwrap();
    let meta = json!({"receipt_id": id, "request_id": "q1"});
    let ev = event(
        "acme",
        "search",
        "agent-1",
        "2026-11-05T10:00:00.000Z",
        "success",
        321,
        50_000,
        meta,
    );
    ctx.write("logs/events-2026-11.jsonl", format!("{ev}\n"));
    file_receipt(&ctx, &forged, &["--reason", "overcharge"])
        .code(2)
        .one_line_error()
        .stderr_has(&format!(
            "receipt {id} says $999999.999999 charged (success), but the call's meter event says $0.05 (success)"
        ));
    assert!(!ctx.join("logs/disputes.jsonl").exists());
    // With only the key to judge it: filed, flagged.
    std::fs::remove_file(ctx.join("logs/events-2026-11.jsonl")).unwrap();
    let doc = file_receipt(
        &ctx,
        &forged,
        &["--reason", "overcharge", "--key-file", "key"],
    )
    .code(0)
    .json();
    assert_eq!(doc["evidence"]["assessment"]["flagged"], true, "{doc}");
    // Once that dispute is closed, the receipt as issued can be disputed: a copy found bad
    // sets no rule for the later ones.
    let forged_id = doc["dispute_id"].as_str().unwrap().to_owned();
    ctx.run(["dispute", "update", &forged_id, "--status", "under_review"])
        .code(0);
    ctx.run([
        "dispute",
        "update",
        &forged_id,
        "--status",
        "resolved_denied",
    ])
    .code(0);
    file_receipt(&ctx, &r, &["--reason", "quality", "--key-file", "key"]).code(0);
    // The receipt as issued passes.
    let r2 = receipt(12, "success", 50_000);
    file_receipt(&ctx, &r2, &["--reason", "quality", "--key-file", "key"]).code(0);
}

/// The refunds and credits of all disputes on one receipt return at most its charge: a
/// receipt cannot be credited again and again through new disputes.
#[test]
fn a_receipt_is_returned_at_most_its_charge() {
    let ctx = TestContext::new();
    setup(&ctx);
    let r = receipt(13, "success", 50_000);
    let file = |reason: &str| dispute_id(&file_receipt(&ctx, &r, &["--reason", reason]));
    let resolve = |id: &str, args: &[&str]| {
        ctx.run(["dispute", "update", id, "--status", "under_review"])
            .code(0);
        let mut all = vec!["dispute", "update", id];
        all.extend_from_slice(args);
        ctx.run(&all)
    };
    let first = file("quality");
    resolve(
        &first,
        &["--status", "resolved_credit", "--credit", "$0.03"],
    )
    .code(0);
    let second = file("quality");
    resolve(&second, &["--status", "resolved_credit", "--credit", "$0.03"])
        .code(2)
        .one_line_error()
        .stderr_has(&format!(
            "already had $0.03 of its $0.05 returned (dispute {first}, resolved_credit); this credit would return more than was charged: resolve with --credit of at most $0.02"
        ));
    ctx.run(["dispute", "update", &second, "--status", "resolved_refund"])
        .code(2)
        .stderr_has("a refund of the whole charge would return more than was charged");
    ctx.run([
        "dispute",
        "update",
        &second,
        "--status",
        "resolved_credit",
        "--credit",
        "$0.02",
    ])
    .code(0);
    // Nothing is left: a new dispute is refused.
    file_receipt(&ctx, &r, &["--reason", "quality"])
        .code(2)
        .one_line_error()
        .stderr_has("was already returned in full ($0.05 of $0.05, dispute ");
    // Nor does a copy that tells a larger charge (filed flagged, with no log to compare
    // it with) set a new limit of its own.
    let mut forged = r.clone();
    forged["cost_microcents"] = json!(5_000_000);
    file_receipt(&ctx, &forged, &["--reason", "quality"])
        .code(2)
        .one_line_error()
        .stderr_has(&format!(
            "differs in cost_microcents from the copy its first dispute ({first}) was filed with (a charge of $0.05 there, $5.00 here)"
        ));
}
