//! `verify-domain`, `verify-email` and `verify-code` against a real DNS server and a real HTTP
//! server on loopback (started by the tests; nothing touches the public internet).

mod dns_server;
mod http_server;

use std::collections::HashMap;

use serde_json::Value;

use crate::context::{Run, TestContext};
use dns_server::{DnsServer, PROVIDER, SilentServer, TOKEN, good_value};
use http_server::{HttpServer, Route};

fn domain(ctx: &TestContext, ns: &str, name: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "verify-domain",
        name,
        "--provider-id",
        PROVIDER,
        "--nameserver",
        ns,
        "--timeout",
        "2s",
    ];
    args.extend_from_slice(extra);
    ctx.run(args)
}

/// Check `name` with the test token and `--json`; return the report.
fn check(ctx: &TestContext, srv: &DnsServer, name: &str, code: i32) -> Value {
    let run = domain(ctx, &srv.arg(), name, &["--token", TOKEN, "--json"]);
    run.code(code);
    run.json()
}

#[test]
fn correct_record_verifies() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let run = domain(&ctx, &srv.arg(), "good.test", &["--token", TOKEN]);
    run.code(0).stdout_has("verified: good.test");
    let v = check(&ctx, &srv, "good.test", 0);
    assert_eq!(v["verified"], true);
    assert_eq!(v["outcome"], "verified");
    assert_eq!(v["record_name"], "_mcp-billing-verify.good.test");
    assert_eq!(v["expected_value"], good_value());
    assert_eq!(v["records"][0]["finding"], "match");
}

#[test]
fn split_record_is_concatenated() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let v = check(&ctx, &srv, "split.test", 0);
    assert_eq!(v["records"][0]["value"], good_value());
}

#[test]
fn several_records_any_exact_match_verifies() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let v = check(&ctx, &srv, "several.test", 0);
    let findings: Vec<&str> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["finding"].as_str().unwrap())
        .collect();
    assert_eq!(findings.len(), 3, "{v}");
    assert_eq!(findings.iter().filter(|f| **f == "match").count(), 1);
    assert_eq!(findings.iter().filter(|f| **f == "unrelated").count(), 2);
}

/// A long TXT record is cut to 200 characters in the table, and a name with many shows the
/// first 20 and says how many more there are; `--json` has them all, whole.
#[test]
fn many_and_long_records_keep_the_table_readable() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let long: Vec<String> = (0..8).map(|i| format!("{i}").repeat(250)).collect();
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    srv.publish_txt_parts("_mcp-billing-verify.long.test.", &long);
    let run = domain(&ctx, &srv.arg(), "long.test", &["--token", TOKEN]);
    run.code(1).stdout_has("(2000 characters in all)");
    assert!(!run.stdout.contains(&"7".repeat(250)), "{}", run.stdout);
    let v = check(&ctx, &srv, "long.test", 1);
    assert_eq!(v["records"][0]["value"].as_str().unwrap().len(), 2000);

    for i in 0..25 {
        srv.publish_txt("_mcp-billing-verify.many.test.", &format!("v=other{i}"));
    }
    domain(&ctx, &srv.arg(), "many.test", &["--token", TOKEN])
        .code(1)
        .stdout_has("... and 5 more TXT records (all of them with --json)");
    let v = check(&ctx, &srv, "many.test", 1);
    assert_eq!(v["records"].as_array().unwrap().len(), 25);
}

#[test]
fn near_misses_are_reported_precisely() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let cases: [(&str, &str, &str); 9] = [
        ("space.test", "near_miss", "surrounding whitespace"),
        ("case.test", "near_miss", "letter case"),
        ("quotes.test", "near_miss", "quote characters"),
        (
            "prefix.test",
            "wrong_provider",
            "'other-co' instead of 'acme-too'",
        ),
        ("fullid.test", "wrong_provider", "full provider id"),
        ("token.test", "wrong_token", "wrong token"),
        (
            "nokey.test",
            "missing_key",
            "'mcp-billing-verify=' key is missing",
        ),
        ("wrongkey.test", "wrong_key", "key 'mcp-billing'"),
        ("unrelated.test", "unrelated", "unrelated record"),
    ];
    for (name, finding, detail) in cases {
        let v = check(&ctx, &srv, name, 1);
        assert_eq!(v["verified"], false, "{name}");
        assert_eq!(v["outcome"], "mismatch", "{name}");
        assert_eq!(v["records"][0]["finding"], finding, "{name}: {v}");
        let got = v["records"][0]["detail"].as_str().unwrap();
        assert!(got.contains(detail), "{name}: {got}");
    }
    let v = check(&ctx, &srv, "space.test", 1);
    assert_eq!(
        v["records"][0]["differences"],
        serde_json::json!(["whitespace"])
    );
    // The human report names the finding and the expected zone line.
    domain(&ctx, &srv.arg(), "case.test", &["--token", TOKEN])
        .code(1)
        .stdout_has("not verified: the TXT record at _mcp-billing-verify.case.test does not match")
        .stdout_has("a difference in letter case")
        .stdout_has(&format!(
            "expected: _mcp-billing-verify.case.test. 300 IN TXT \"{}\"",
            good_value()
        ));
}

#[test]
fn cname_chain_is_followed() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let v = check(&ctx, &srv, "cname.test", 0);
    assert_eq!(v["records"][0]["value"], good_value());
    let cnames = v["cnames"].as_array().unwrap();
    assert!(cnames.iter().any(|c| c == "target.elsewhere.test."), "{v}");
}

#[test]
fn idn_upper_case_and_trailing_dot() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let v = check(&ctx, &srv, "bücher.test", 0);
    assert_eq!(v["domain"], "xn--bcher-kva.test");
    assert_eq!(v["domain_unicode"], "bücher.test");
    let v = check(&ctx, &srv, "BÜCHER.TEST.", 0);
    assert_eq!(v["domain"], "xn--bcher-kva.test");
    let v = check(&ctx, &srv, "GOOD.Test.", 0);
    assert_eq!(v["domain"], "good.test");
}

#[test]
fn nxdomain_and_empty_answer_are_not_verified() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let v = check(&ctx, &srv, "missing.test", 1);
    assert_eq!(v["outcome"], "no_such_name");
    let v = check(&ctx, &srv, "empty.test", 1);
    assert_eq!(v["outcome"], "no_txt_record");
    domain(&ctx, &srv.arg(), "missing.test", &["--token", TOKEN])
        .code(1)
        .stdout_has("does not exist (NXDOMAIN)");
    domain(&ctx, &srv.arg(), "empty.test", &["--token", TOKEN])
        .code(1)
        .stdout_has("exists but has no TXT record");
}

#[test]
fn servfail_refused_and_timeout_are_dns_errors() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let run = domain(&ctx, &srv.arg(), "servfail.test", &["--token", TOKEN]);
    run.code(2)
        .one_line_error()
        .stderr_has("DNS error")
        .stderr_has("SERVFAIL");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    // The catalog refuses names outside its zone.
    domain(&ctx, &srv.arg(), "example.org", &["--token", TOKEN])
        .code(2)
        .one_line_error()
        .stderr_has("REFUSED");
    let silent = SilentServer::start();
    let run = ctx.run([
        "verify-domain",
        "good.test",
        "--provider-id",
        PROVIDER,
        "--token",
        TOKEN,
        "--nameserver",
        &silent.addr.to_string(),
        "--timeout",
        "300ms",
    ]);
    run.code(2).one_line_error().stderr_has("DNS error");
    assert!(!run.stdout.contains("not verified"), "{}", run.stdout);
    // Nothing listening at all (UDP and TCP refused): a DNS error too.
    let closed = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let args = [
        "verify-domain",
        "good.test",
        "--provider-id",
        PROVIDER,
        "--token",
        TOKEN,
        "--nameserver",
        &addr,
        "--timeout",
        "300ms",
    ];
    ctx.run(args)
        .code(2)
        .one_line_error()
        .stderr_has("DNS error");
}

#[test]
fn invalid_domains_fail_before_any_query() {
    let ctx = TestContext::new();
    // A silent server: a query would time out, so a fast specific error proves none was made.
    let silent = SilentServer::start();
    let ns = silent.addr.to_string();
    for (name, msg) in [
        ("", "empty"),
        ("192.0.2.1", "IP address"),
        ("bad_host.test", "underscore"),
        ("a..test", "empty label"),
        ("a-.test", "hyphen"),
        ("localhost", "single label"),
        ("_mcp-billing-verify.good.test", "added for you"),
        ("https://good.test", "URL"),
    ] {
        let run = ctx.run([
            "verify-domain",
            name,
            "--provider-id",
            PROVIDER,
            "--token",
            TOKEN,
            "--nameserver",
            &ns,
            "--timeout",
            "60s",
        ]);
        run.code(2).one_line_error().stderr_has(msg);
    }
    let long = format!("{}.test", "a".repeat(64));
    domain(&ctx, &ns, &long, &["--token", TOKEN])
        .code(2)
        .stderr_has("at most 63");
    domain(&ctx, &ns, "good.test", &["--token", "ABC"])
        .code(2)
        .stderr_has("32 lowercase hex");
    ctx.run([
        "verify-domain",
        "good.test",
        "--provider-id",
        PROVIDER,
        "--nameserver",
        "ns.example",
    ])
    .code(2)
    .stderr_has("not an IP address");
}

#[test]
fn minted_challenge_round_trips() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let records = ctx.join("verifications.jsonl");
    let records_arg = records.to_str().unwrap();
    // Mint: the record is printed, and nothing is verified yet (exit 1), so a first run in
    // a script (`verify-domain ... && deploy`) stops there.
    let run = domain(&ctx, &srv.arg(), "roundtrip.test", &["--json"]);
    run.code(1);
    let minted = run.json();
    assert_eq!(minted["status"], "challenge_minted");
    assert_eq!(minted["outcome"], "challenge_minted");
    assert_eq!(minted["verified"], false);
    let value = minted["record"]["value"].as_str().unwrap().to_owned();
    let token = minted["token"].as_str().unwrap();
    assert_eq!(token.len(), 32);
    assert_eq!(value, format!("mcp-billing-verify=acme-too-{token}"));
    assert_eq!(
        minted["record"]["name"],
        "_mcp-billing-verify.roundtrip.test"
    );
    assert_eq!(minted["record"]["type"], "TXT");
    assert_eq!(
        minted["record"]["zone_line"],
        format!("_mcp-billing-verify.roundtrip.test. 300 IN TXT \"{value}\"")
    );
    // Not published yet: the saved challenge is checked, not re-minted.
    let run = domain(
        &ctx,
        &srv.arg(),
        "roundtrip.test",
        &["--json", "--record", records_arg],
    );
    run.code(1);
    assert_eq!(run.json()["outcome"], "no_such_name");
    assert_eq!(run.json()["expected_value"], value.as_str());
    assert!(!records.exists());
    // Publish and verify without passing the token.
    srv.publish_txt("_mcp-billing-verify.roundtrip.test.", &value);
    let run = domain(
        &ctx,
        &srv.arg(),
        "roundtrip.test",
        &["--record", records_arg],
    );
    run.code(0).stdout_has("verified: roundtrip.test");
    let line = std::fs::read_to_string(&records).unwrap();
    let rec: Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(rec["provider_id"], PROVIDER);
    assert_eq!(rec["level"], "domain");
    assert_eq!(rec["method"], "dns_txt");
    assert_eq!(rec["subject"], "roundtrip.test");
    assert!(rec["evidence"].as_str().unwrap().contains(&value));
    assert!(rec["verified_at"].as_str().unwrap().ends_with('Z'));
    // --new-challenge replaces the saved token, which is then no longer published.
    let run = domain(
        &ctx,
        &srv.arg(),
        "roundtrip.test",
        &["--json", "--new-challenge"],
    );
    run.code(0);
    assert_ne!(run.json()["token"], token);
    domain(&ctx, &srv.arg(), "roundtrip.test", &[])
        .code(1)
        .stdout_has("wrong token");
}

#[test]
fn state_file_location_can_be_chosen() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let state = ctx.join("my-state.json");
    let run = domain(
        &ctx,
        &srv.arg(),
        "good.test",
        &["--state", state.to_str().unwrap()],
    );
    run.code(1)
        .stdout_has("_mcp-billing-verify.good.test. 300 IN TXT \"mcp-billing-verify=acme-too-")
        .stdout_has("my-state.json");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["challenges"][0]["domain"], "good.test");
    let mut cmd = ctx.command();
    cmd.env("MCPBILL_STATE_DIR", ctx.join("statedir"));
    cmd.args([
        "verify-domain",
        "good.test",
        "--provider-id",
        PROVIDER,
        "--nameserver",
        &srv.arg(),
        "--json",
    ]);
    crate::context::run_command(cmd, None).code(1);
    assert!(ctx.join("statedir/verify-challenges.json").exists());
    // A file that is not a store (not UTF-8, a key given to --state by mistake) is named
    // as such, with no advice to remove it; a store whose records are broken is damaged.
    ctx.write("latin1.json", b"\xff\xfe{}");
    ctx.write("billing.key", "0123456789abcdef0123456789abcdef\n");
    for other in ["latin1.json", "billing.key"] {
        let run = domain(&ctx, &srv.arg(), "good.test", &["--state", other]);
        run.code(2)
            .one_line_error()
            .stderr_has(&format!("'{other}' is not a challenge state file"));
        assert!(!run.stderr.contains("remove"), "{}", run.stderr);
    }
    ctx.write(
        "broken.json",
        "{\"version\":1,\"challenges\":[{\"domain\":5}]}",
    );
    let run = domain(&ctx, &srv.arg(), "good.test", &["--state", "broken.json"]);
    run.code(2)
        .one_line_error()
        .stderr_has("is damaged")
        .stderr_has("remove it");
}

#[test]
fn wait_polls_until_the_deadline() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let run = domain(
        &ctx,
        &srv.arg(),
        "missing.test",
        &[
            "--token",
            TOKEN,
            "--wait",
            "1s",
            "--interval",
            "200ms",
            "--json",
        ],
    );
    run.code(1);
    // No spinner or other noise when stderr is not a terminal.
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let v = run.json();
    assert_eq!(v["outcome"], "no_such_name");
    assert!(v["checks"].as_u64().unwrap() >= 2, "{v}");
    // Verified on the first check: no further polling.
    let run = domain(
        &ctx,
        &srv.arg(),
        "good.test",
        &["--token", TOKEN, "--wait", "30s", "--json"],
    );
    run.code(0);
    assert_eq!(run.json()["checks"], 1);
}

#[test]
fn wait_sees_a_record_published_after_the_first_check() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let mut cmd = ctx.command();
    cmd.args([
        "verify-domain",
        "later.test",
        "--provider-id",
        PROVIDER,
        "--token",
        TOKEN,
        "--nameserver",
        &srv.arg(),
        "--timeout",
        "2s",
        "--wait",
        "60s",
        "--interval",
        "100ms",
        "--json",
    ]);
    let child = std::thread::spawn(move || crate::context::run_command(cmd, None));
    // The first check has been answered (NXDOMAIN, cacheable for the zone's 60 s negative TTL)
    // before the record appears: finding it proves the poll does not reuse a cached answer.
    while srv.queries() == 0 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    srv.publish_txt("_mcp-billing-verify.later.test.", &good_value());
    let run = child.join().unwrap();
    run.code(0);
    let v = run.json();
    assert_eq!(v["outcome"], "verified");
    assert!(v["checks"].as_u64().unwrap() >= 2, "{v}");
}

// --- verify-email ---------------------------------------------------------------------------

fn email(ctx: &TestContext, srv: &DnsServer, address: &str, extra: &[&str]) -> Run {
    let ns = srv.arg();
    let mut args = vec![
        "verify-email",
        address,
        "--nameserver",
        &ns,
        "--timeout",
        "2s",
    ];
    args.extend_from_slice(extra);
    ctx.run(args)
}

#[test]
fn email_verdicts() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let run = email(&ctx, &srv, "billing@mx.test", &["--json"]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["outcome"], "mx");
    assert_eq!(v["mx"][0]["exchange"], "mx1.mx.test.");
    assert_eq!(v["mx"][1]["preference"], 20);
    assert!(v["scope"].as_str().unwrap().contains("does not prove"));
    email(&ctx, &srv, "billing@mx.test", &[])
        .code(0)
        .stdout_has("verified: billing@mx.test")
        .stderr_has("does not prove");

    let run = email(&ctx, &srv, "a@nullmx.test", &["--json"]);
    run.code(1);
    assert_eq!(run.json()["outcome"], "null_mx");
    let run = email(&ctx, &srv, "a@nullmx.test", &[]);
    run.code(1).stdout_has("accepts no mail");
    assert!(
        !run.stderr.contains("can receive mail"),
        "no note that contradicts the verdict: {}",
        run.stderr
    );

    let run = email(&ctx, &srv, "a@aonly.test", &["--json"]);
    run.code(0);
    assert_eq!(run.json()["outcome"], "address_fallback");
    assert_eq!(run.json()["addresses"], serde_json::json!(["192.0.2.25"]));

    let run = email(&ctx, &srv, "a@nomail.test", &["--json"]);
    run.code(1);
    assert_eq!(run.json()["outcome"], "no_mail_host");

    let run = email(&ctx, &srv, "a@missing.test", &["--json"]);
    run.code(1);
    assert_eq!(run.json()["outcome"], "no_such_domain");

    let run = email(&ctx, &srv, "Info@BÜCHER.test", &["--json"]);
    run.code(0);
    assert_eq!(run.json()["address"], "Info@xn--bcher-kva.test");

    email(&ctx, &srv, "a@servfail.test", &[])
        .code(2)
        .one_line_error()
        .stderr_has("SERVFAIL");
    email(&ctx, &srv, "not-an-address", &[])
        .code(2)
        .one_line_error()
        .stderr_has("no '@'");
    email(&ctx, &srv, "a b@mx.test", &[])
        .code(2)
        .one_line_error();
    email(&ctx, &srv, "a@[192.0.2.1]", &[])
        .code(2)
        .stderr_has("address literal");
}

#[test]
fn email_record_needs_a_provider_and_is_written_when_verified() {
    let ctx = TestContext::new();
    let srv = DnsServer::start();
    let path = ctx.join("v.jsonl");
    let p = path.to_str().unwrap();
    email(&ctx, &srv, "billing@mx.test", &["--record", p])
        .code(2)
        .stderr_has("--provider-id");
    email(
        &ctx,
        &srv,
        "a@nullmx.test",
        &["--record", p, "--provider-id", "acme"],
    )
    .code(1);
    assert!(!path.exists());
    email(
        &ctx,
        &srv,
        "billing@mx.test",
        &["--record", p, "--provider-id", "acme"],
    )
    .code(0);
    email(
        &ctx,
        &srv,
        "a@aonly.test",
        &["--record", p, "--provider-id", "acme"],
    )
    .code(0);
    let lines: Vec<Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["level"], "email");
    assert_eq!(lines[0]["method"], "dns_mx");
    assert_eq!(lines[0]["subject"], "billing@mx.test");
    assert_eq!(lines[1]["method"], "dns_address");
    // Refused before the lookup: a provider id receipts cannot carry, a directory.
    for (extra, why) in [
        (["--provider-id", "a|b", "--record", p], "'|'"),
        (
            ["--provider-id", "a\nb", "--record", p],
            "control character",
        ),
        (
            [
                "--provider-id",
                "acme",
                "--record",
                ctx.path().to_str().unwrap(),
            ],
            "is a directory",
        ),
    ] {
        email(&ctx, &srv, "billing@mx.test", &extra)
            .code(2)
            .one_line_error()
            .stderr_has(why);
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 2);
}

// --- verify-code ----------------------------------------------------------------------------

fn code(ctx: &TestContext, target: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "verify-code",
        target,
        "--provider-id",
        "acme-tools",
        "--timeout",
        "10s",
    ];
    args.extend_from_slice(extra);
    ctx.run(args)
}

#[test]
fn local_checkout() {
    let ctx = TestContext::new();
    let repo = ctx.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let r = repo.to_str().unwrap();
    // Nothing yet.
    let run = code(&ctx, r, &["--json"]);
    run.code(1);
    assert_eq!(run.json()["outcome"], "not_found");
    // A README mentioning the id inside a longer name does not count; as a word it does.
    ctx.write("repo/README.md", "Built by acme-tools-extra.\n");
    code(&ctx, r, &[]).code(1);
    ctx.write(
        "repo/Cargo.toml",
        "[package]\nname = \"x\"\nauthors = [\"acme-tools\"]\n",
    );
    let run = code(&ctx, r, &["--json"]);
    run.code(0);
    assert_eq!(run.json()["matched_file"], "Cargo.toml");
    // An invalid manifest is reported, and the other files still count.
    ctx.write("repo/.mcp-billing.json", "{not json");
    let run = code(&ctx, r, &["--json"]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["files"][0]["file"], ".mcp-billing.json");
    assert_eq!(v["files"][0]["status"], "invalid");
    assert!(
        v["files"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    code(&ctx, r, &[])
        .code(0)
        .stdout_has("invalid: not valid JSON");
    // A manifest naming another provider wins over mentions.
    ctx.write(
        "repo/.mcp-billing.json",
        r#"{"provider_id": "someone-else"}"#,
    );
    code(&ctx, r, &[])
        .code(1)
        .stdout_has("names another provider ('someone-else')");
    // The right manifest verifies and is recorded.
    ctx.write(
        "repo/.mcp-billing.json",
        r#"{"provider_id": "acme-tools", "name": "x"}"#,
    );
    let rec = ctx.join("v.jsonl");
    code(&ctx, r, &["--record", rec.to_str().unwrap()])
        .code(0)
        .stdout_has("verified: .mcp-billing.json names 'acme-tools'");
    let line: Value = serde_json::from_str(std::fs::read_to_string(&rec).unwrap().trim()).unwrap();
    assert_eq!(line["level"], "code");
    assert_eq!(line["method"], "repo_file");
    assert_eq!(line["evidence"], ".mcp-billing.json");
    // Provider ids receipts cannot carry, and a --record that is a directory, are refused
    // before anything is checked.
    for id in ["a|b", "a\nb", "", " "] {
        ctx.run(["verify-code", r, "--provider-id", id])
            .code(2)
            .one_line_error()
            .stderr_has("provider id");
    }
    code(&ctx, r, &["--record", ctx.join("repo").to_str().unwrap()])
        .code(2)
        .one_line_error()
        .stderr_has("is a directory");
    code(
        &ctx,
        r,
        &[
            "--record",
            ctx.join("repo/Cargo.toml/a/v.jsonl").to_str().unwrap(),
        ],
    )
    .code(2)
    .one_line_error()
    .stderr_has("not a directory");
    // Not a directory.
    code(&ctx, ctx.join("nope").to_str().unwrap(), &[])
        .code(2)
        .one_line_error();
    code(&ctx, ctx.join("repo/Cargo.toml").to_str().unwrap(), &[])
        .code(2)
        .stderr_has("is a file");
}

fn ok(body: &str) -> Route {
    Route::Ok(body.as_bytes().to_vec())
}

#[test]
fn urls_over_http() {
    let ctx = TestContext::new();
    let mut routes = HashMap::new();
    routes.insert(
        "/manifest/.mcp-billing.json".to_owned(),
        ok(r#"{"provider_id":"acme-tools"}"#),
    );
    routes.insert(
        "/readme/README.md".to_owned(),
        ok("# x\nProvider: acme-tools\n"),
    );
    routes.insert(
        "/moved/README.md".to_owned(),
        Route::Redirect("/readme/README.md".to_owned()),
    );
    routes.insert(
        "/loop/README.md".to_owned(),
        Route::Redirect("/loop/README2.md".to_owned()),
    );
    routes.insert(
        "/loop/README2.md".to_owned(),
        Route::Redirect("/loop/README.md".to_owned()),
    );
    routes.insert("/big/README.md".to_owned(), Route::Huge(4 * 1024 * 1024));
    routes.insert(
        "/big/package.json".to_owned(),
        ok(r#"{"author":"acme-tools"}"#),
    );
    routes.insert(
        "/bigonly/README.md".to_owned(),
        Route::Huge(4 * 1024 * 1024),
    );
    routes.insert(
        "/other/.mcp-billing.json".to_owned(),
        ok(r#"{"provider_id":"nope"}"#),
    );
    routes.insert("/other/README.md".to_owned(), ok("acme-tools"));
    let srv = HttpServer::start(routes);

    // Plain http needs --allow-http.
    code(&ctx, &srv.url("/manifest"), &[])
        .code(2)
        .one_line_error()
        .stderr_has("--allow-http");
    code(&ctx, "ftp://example.com/x", &[])
        .code(2)
        .stderr_has("not supported");

    let run = code(&ctx, &srv.url("/manifest/"), &["--allow-http", "--json"]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["matched_file"], srv.url("/manifest/.mcp-billing.json"));
    assert_eq!(v["base"], srv.url("/manifest"));

    let rec = ctx.join("v.jsonl");
    code(
        &ctx,
        &srv.url("/readme"),
        &["--allow-http", "--record", rec.to_str().unwrap()],
    )
    .code(0)
    .stdout_has("README.md");
    let line: Value = serde_json::from_str(std::fs::read_to_string(&rec).unwrap().trim()).unwrap();
    assert_eq!(line["method"], "repo_url");
    assert_eq!(line["subject"], srv.url("/readme"));

    // A redirect is followed; a loop is an error, never a verdict.
    code(&ctx, &srv.url("/moved"), &["--allow-http"]).code(0);
    code(&ctx, &srv.url("/loop"), &["--allow-http"])
        .code(2)
        .stderr_has("redirect loop");
    // A network error is exit 2 with nothing on stdout, with or without --json.
    for json in [&["--json"][..], &[]] {
        let mut extra = vec!["--allow-http"];
        extra.extend_from_slice(json);
        let run = code(&ctx, "http://127.0.0.1:1/x", &extra);
        run.code(2).one_line_error().stderr_has("could not decide");
        assert!(run.stdout.is_empty(), "{json:?}: {}", run.stdout);
    }

    // An oversized file is cut at the cap and skipped; other files still count.
    let run = code(&ctx, &srv.url("/big"), &["--allow-http", "--json"]);
    run.code(0);
    let v = run.json();
    assert_eq!(v["files"][1]["status"], "too_large");
    assert_eq!(v["matched_file"], srv.url("/big/package.json"));
    let run = code(&ctx, &srv.url("/bigonly"), &["--allow-http", "--json"]);
    run.code(1);
    assert_eq!(run.json()["files"][1]["status"], "too_large");

    // All 404: not verified.
    let run = code(&ctx, &srv.url("/nothing"), &["--allow-http", "--json"]);
    run.code(1);
    let v = run.json();
    assert!(
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "absent"),
        "{v}"
    );

    // A manifest naming another provider wins.
    code(&ctx, &srv.url("/other"), &["--allow-http"])
        .code(1)
        .stdout_has("another provider");

    // Nothing listening: a fetch error, exit 2.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/repo", closed.local_addr().unwrap());
    drop(closed);
    code(&ctx, &dead, &["--allow-http"])
        .code(2)
        .one_line_error()
        .stderr_has("cannot connect");
}
