//! `mcpbill check` and `mcpbill discovery` against mcpbill's own serve and against an
//! independent fixture server that is wrong in one way per mode.

use serde_json::Value;

use crate::context::{TestContext, fixture};
use crate::http_util::{Proc, fixture_server, provider, serve_provider};

fn failures(report: &Value) -> Vec<(u64, String)> {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap().iter())
        .filter(|c| c["result"] == "fail")
        .map(|c| {
            (
                c["section"].as_u64().unwrap(),
                c["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn section_result(report: &Value, n: u64) -> String {
    report["sections"][(n - 1) as usize]["result"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn all_pass_on_mcpbills_own_serve() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_provider(&ctx, &p);
    let run = ctx.run([
        "--json",
        "check",
        &server.url(""),
        "--allow-http",
        "--receipt",
        p.receipt.to_str().unwrap(),
        "--key-file",
        p.key.to_str().unwrap(),
    ]);
    run.code(0);
    let report = run.json();
    assert!(failures(&report).is_empty(), "{report:#}");
    for s in [2, 3, 5, 6, 7, 8] {
        assert_eq!(
            section_result(&report, s),
            "pass",
            "section {s}: {report:#}"
        );
    }
    for s in [1, 4] {
        assert_eq!(section_result(&report, s), "skip", "section {s}");
    }
    // Human table: one row per check, and the summary line.
    let run = ctx.run([
        "check",
        &server.url(""),
        "--allow-http",
        "--receipt",
        p.receipt.to_str().unwrap(),
    ]);
    run.code(0).stdout_has("7 Discovery").stdout_has("0 failed");
}

#[test]
fn a_tampered_receipt_is_judged_the_same_by_both_sides() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_provider(&ctx, &p);
    let bad = ctx.write("tampered.json", p.tampered.to_string());
    let run = ctx.run([
        "--json",
        "check",
        &server.url(""),
        "--allow-http",
        "--receipt",
        bad.to_str().unwrap(),
        "--key-file",
        p.key.to_str().unwrap(),
    ]);
    run.code(0);
    assert!(run.stdout.contains("agree: valid=false"), "{}", run.stdout);
}

#[test]
fn the_fixture_conforms_in_good_mode() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let fx = fixture_server(&["--mode", "good", "--receipt", p.receipt.to_str().unwrap()]);
    let run = ctx.run([
        "--json",
        "check",
        &fx.url(""),
        "--allow-http",
        "--receipt",
        p.receipt.to_str().unwrap(),
        "--key-file",
        p.key.to_str().unwrap(),
    ]);
    run.code(0);
    let report = run.json();
    for s in [2, 3, 5, 6, 7, 8] {
        assert_eq!(
            section_result(&report, s),
            "pass",
            "section {s}: {report:#}"
        );
    }
}

fn check_fixture(ctx: &TestContext, fx: &Proc, receipt: &str, key: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "--json",
        "check",
        "--allow-http",
        "--receipt",
        receipt,
        "--key-file",
        key,
    ];
    let url = fx.url("");
    args.push(&url);
    args.extend_from_slice(extra);
    let run = ctx.run(&args);
    run.code(1);
    run.json()
}

#[test]
fn each_misbehaviour_is_caught_in_its_section() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let receipt = p.receipt.to_str().unwrap();
    let key = p.key.to_str().unwrap();
    let cases: &[(&str, u64, &str, &[&str])] = &[
        ("bad_agents", 7, "billing.type", &[]),
        ("bad_pricing", 3, "non-negative integer", &[]),
        ("bad_pricing", 3, "currency is missing", &[]),
        ("server_error", 3, "HTTP 500", &[]),
        (
            "slow",
            3,
            "did not answer within the timeout",
            &["--timeout", "1"],
        ),
        ("oversized", 3, "larger than", &[]),
        (
            "wrong_verdict",
            2,
            "provider says valid=false, local verification says valid=true",
            &[],
        ),
        ("bad_verification", 2, "verification.algorithm", &[]),
        ("bad_verification", 2, "verified_at", &[]),
        ("tampered_copy", 2, "differs in cost_microcents", &[]),
        ("unknown_200", 2, "must answer 404", &[]),
        ("bad_trust", 6, "badge is 'basic'", &[]),
        ("dispute_accepts", 5, "must be refused", &[]),
        ("redirect_loop", 7, "redirect", &[]),
    ];
    for (mode, section, needle, extra) in cases {
        let fx = fixture_server(&["--mode", mode, "--receipt", receipt]);
        let report = check_fixture(&ctx, &fx, receipt, key, extra);
        let fails = failures(&report);
        assert!(
            fails
                .iter()
                .any(|(s, r)| s == section && r.contains(needle)),
            "{mode}: expected a section {section} failure containing {needle:?}, got {fails:#?}"
        );
        assert_eq!(section_result(&report, 8), "fail", "{mode}");
        // Only the misbehaving section (and the summary) fail.
        assert!(
            fails.iter().all(|(s, _)| s == section || *s == 8),
            "{mode}: unexpected failures {fails:#?}"
        );
    }
}

#[test]
fn https_works_and_a_redirect_to_http_is_refused() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let receipt = p.receipt.to_str().unwrap();
    let ca = fixture("http/ca.pem");
    let tls = fixture_server(&["--mode", "good", "--tls", "--receipt", receipt]);
    let url = format!("https://127.0.0.1:{}", tls.port());
    ctx.run([
        "check",
        &url,
        "--ca-cert",
        ca.to_str().unwrap(),
        "--receipt",
        receipt,
    ])
    .code(0);
    // Without the CA the certificate is not trusted.
    let run = ctx.run(["--json", "check", &url]);
    run.code(1);
    // Named as a connection failure, with rustls' reason.
    assert!(
        run.stdout
            .contains("cannot connect: invalid peer certificate"),
        "{}",
        run.stdout
    );

    let plain = fixture_server(&["--mode", "good", "--receipt", receipt]);
    let port = plain.port().to_string();
    let redirecting = fixture_server(&["--mode", "redirect_http", "--tls", "--http-port", &port]);
    let url = format!("https://127.0.0.1:{}", redirecting.port());
    // Refused even with --allow-http: https never downgrades.
    for allow in [false, true] {
        let mut args = vec!["--json", "check", &url, "--ca-cert", ca.to_str().unwrap()];
        if allow {
            args.push("--allow-http");
        }
        let run = ctx.run(&args);
        run.code(1);
        let fails = failures(&run.json());
        assert!(
            fails
                .iter()
                .any(|(s, r)| *s == 7 && r.contains("redirect") && r.contains("http")),
            "{fails:#?}"
        );
    }
}

#[test]
fn plain_http_needs_allow_http_and_bad_inputs_are_errors() {
    let ctx = TestContext::new();
    ctx.run(["check", "http://127.0.0.1:9"])
        .code(2)
        .one_line_error()
        .stderr_has("--allow-http");
    ctx.run(["check", "not a url"]).code(2).one_line_error();
    ctx.write("r.json", "{\"receipt_id\": 1}");
    ctx.run(["check", "https://127.0.0.1:9", "--receipt", "r.json"])
        .code(2)
        .one_line_error()
        .stderr_has("r.json");
    // Nothing listens: every section reports the failure instead of crashing.
    let run = ctx.run([
        "--json",
        "check",
        "http://127.0.0.1:9",
        "--allow-http",
        "--timeout",
        "2",
    ]);
    run.code(1);
    assert_eq!(section_result(&run.json(), 7), "fail");
}

#[test]
fn discovery_init_and_check() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    ctx.run([
        "discovery",
        "init",
        "--base-url",
        "https://billing.example.com",
        "--pricing",
        p.pricing.to_str().unwrap(),
        "--out",
        "agents.json",
    ])
    .code(0);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(ctx.join("agents.json")).unwrap()).unwrap();
    assert_eq!(doc["billing"]["type"], "mcp-billing-v1");
    assert_eq!(doc["billing"]["provider_id"], "acme");
    assert_eq!(doc["billing"]["pricing_endpoint"], "/api/pricing");
    ctx.run([
        "discovery",
        "init",
        "--base-url",
        "https://b.example",
        "--out",
        "agents.json",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("--force");
    // The help's example works in a fresh checkout: missing directories of --out are made.
    ctx.run([
        "discovery",
        "init",
        "--base-url",
        "https://b.example",
        "--out",
        ".well-known/agents.json",
    ])
    .code(0);
    assert!(ctx.join(".well-known/agents.json").is_file());

    let server = serve_provider(&ctx, &p);
    let run = ctx.run([
        "--json",
        "discovery",
        "check",
        &server.url(""),
        "--allow-http",
    ]);
    run.code(0);
    let findings = run.json()["findings"].as_array().unwrap().len();
    assert!(findings >= 4, "{}", run.stdout);

    let fx = fixture_server(&["--mode", "bad_agents"]);
    let run = ctx.run([
        "discovery",
        "check",
        &fx.url("/.well-known/agents.json"),
        "--allow-http",
    ]);
    run.code(1).stdout_has("FAIL").stdout_has("billing.type");
    let fx = fixture_server(&["--mode", "server_error"]);
    let run = ctx.run(["--json", "discovery", "check", &fx.url(""), "--allow-http"]);
    run.code(1);
    assert!(run.stdout.contains("HTTP 500"), "{}", run.stdout);
}

#[test]
fn discovery_check_of_a_local_file_checks_its_shape_offline() {
    let ctx = TestContext::new();
    ctx.run([
        "discovery",
        "init",
        "--base-url",
        "https://billing.example.com",
        "--out",
        "agents.json",
    ])
    .code(0);
    let run = ctx.run(["--json", "discovery", "check", "agents.json"]);
    run.code(0).stderr_has("not its endpoints");
    let doc = run.json();
    assert_eq!(doc["file"], "agents.json");
    assert_eq!(doc["ok"], true);
    let checks: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert_eq!(checks, ["parse", "shape"]);

    ctx.write(
        "bad.json",
        r#"{"billing": {"type": "x", "receipts_endpoint": "//evil"}}"#,
    );
    ctx.run(["discovery", "check", "bad.json"])
        .code(1)
        .stdout_has("billing.type")
        .stdout_has("neither a path");
    ctx.write(
        "dup.json",
        r#"{"billing": {"type": "mcp-billing-v1", "type": "other"}}"#,
    );
    ctx.run(["discovery", "check", "dup.json"])
        .code(1)
        .stdout_has("'type' appears more than once");
    let run = ctx.run_stdin(["--json", "discovery", "check", "-"], Some(b"{"));
    run.code(1);
    assert_eq!(run.json()["findings"][0]["check"], "parse");
    assert_eq!(run.json()["findings"][0]["ok"], false);
    ctx.run(["discovery", "check", "missing.json"])
        .code(2)
        .one_line_error()
        .stderr_has("neither a URL nor an existing file");
    std::fs::create_dir_all(ctx.join("site")).unwrap();
    ctx.run(["discovery", "check", "site"])
        .code(2)
        .one_line_error()
        .stderr_has("'site' is a directory; pass the agents.json file in it, or the server's URL");
}

#[test]
fn flags_that_cannot_work_are_refused_before_any_request() {
    let ctx = TestContext::new();
    ctx.write("not-pem.toml", "a = 1\n");
    ctx.run([
        "check",
        "https://billing.example",
        "--ca-cert",
        "not-pem.toml",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("holds no PEM certificate");
    ctx.write("k.key", "k\n");
    ctx.run(["check", "https://billing.example", "--key-file", "k.key"])
        .code(2)
        .stderr_has("--receipt");
}
