//! Online receipt verification (the library core of `receipt verify --online`) against
//! mcpbill's own serve and the misbehaving fixture server.

use std::time::Duration;

use mcpbill::http::{ClientConfig, HttpClient};
use mcpbill::online::{OnlineOptions, Outcome, verify_receipts};
use serde_json::{Value, json};

use crate::context::{TestContext, fixture};
use crate::http_util::{fixture_server, post_gaps, provider, serve_provider, signed_receipt};

fn client(allow_http: bool, timeout: u64) -> HttpClient {
    HttpClient::new(ClientConfig {
        allow_http,
        timeout: Duration::from_secs(timeout),
        max_body: mcpbill::http::DEFAULT_MAX_BODY,
        ca_cert: Some(fixture("http/ca.pem")),
    })
    .unwrap()
}

fn run(
    client: &HttpClient,
    receipts: Vec<Value>,
    local: Option<Vec<bool>>,
) -> Vec<mcpbill::online::OnlineVerdict> {
    let options = OnlineOptions {
        concurrency: 4,
        attempts: 3,
        retry_delay: Duration::from_millis(10),
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(verify_receipts(client, receipts, local, &options))
}

fn with_url(mut r: Value, base: &str) -> Value {
    let id = r["receipt_id"].as_str().unwrap().to_owned();
    r["verify_url"] = json!(format!("{base}/api/receipts/{id}"));
    r
}

#[test]
fn own_serve_confirms_valid_and_rejects_tampered_receipts() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_provider(&ctx, &p);
    let base = server.url("");
    let mut forged = p.valid.clone();
    forged["cost_microcents"] = json!(1);
    let receipts = vec![
        with_url(p.valid.clone(), &base),
        with_url(p.tampered.clone(), &base),
        with_url(signed_receipt("0d0d0d0d0d0d0d0d0d0d0d0d", 5, None), &base),
        with_url(forged, &base),
        p.valid.clone(),
    ];
    let out = run(&client(true, 10), receipts, None);
    let outcomes: Vec<Outcome> = out.iter().map(|v| v.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Confirmed,
            Outcome::Disagrees,
            Outcome::Unknown,
            Outcome::Disagrees,
            Outcome::NoVerifyUrl
        ]
    );
    assert!(out[1].detail.contains("not valid"), "{}", out[1].detail);
    assert!(
        out[3].detail.contains("differs in cost_microcents"),
        "{}",
        out[3].detail
    );
    // Plain http is refused unless allowed.
    let out = run(
        &client(false, 10),
        vec![with_url(p.valid.clone(), &base)],
        None,
    );
    assert_eq!(out[0].outcome, Outcome::InsecureUrl);
    assert_eq!(out[0].attempts, 1);
    assert!(
        out[0].detail.starts_with("not asked: "),
        "{}",
        out[0].detail
    );
    assert!(out[0].detail.contains("--allow-http"), "{}", out[0].detail);
}

#[test]
fn misbehaving_providers_are_reported() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let receipt = p.receipt.to_str().unwrap();
    let cases: &[(&str, Outcome, &str, u32)] = &[
        (
            "wrong_verdict",
            Outcome::Disagrees,
            "local verification says valid=true",
            1,
        ),
        (
            "tampered_copy",
            Outcome::Disagrees,
            "differs in cost_microcents",
            1,
        ),
        ("bad_verification", Outcome::BadResponse, "algorithm", 1),
        ("receipts_500", Outcome::Unreachable, "HTTP 503", 3),
        ("flaky_receipts", Outcome::Confirmed, "confirms", 3),
        ("slow_receipts", Outcome::Unreachable, "timeout", 3),
        ("oversized_receipts", Outcome::Unreachable, "larger than", 1),
    ];
    for (mode, outcome, needle, attempts) in cases {
        let fx = fixture_server(&["--mode", mode, "--receipt", receipt]);
        let out = run(
            &client(true, 1),
            vec![with_url(p.valid.clone(), &fx.url(""))],
            Some(vec![true]),
        );
        assert_eq!(out[0].outcome, *outcome, "{mode}: {:?}", out[0]);
        assert!(out[0].detail.contains(needle), "{mode}: {}", out[0].detail);
        assert_eq!(out[0].attempts, *attempts, "{mode}");
    }
    // https that redirects to http is refused even when http is allowed.
    let plain = fixture_server(&["--mode", "good", "--receipt", receipt]);
    let port = plain.port().to_string();
    let tls = fixture_server(&["--mode", "redirect_http", "--tls", "--http-port", &port]);
    let base = format!("https://127.0.0.1:{}", tls.port());
    let out = run(
        &client(true, 5),
        vec![with_url(p.valid.clone(), &base)],
        None,
    );
    assert_eq!(out[0].outcome, Outcome::Unreachable);
    assert!(
        out[0].detail.contains("from https to http"),
        "{}",
        out[0].detail
    );
}

fn submit(
    client: &HttpClient,
    base: &str,
    dispute: &Value,
    key: Option<&str>,
) -> Result<mcpbill::discovery::submit::Submitted, mcpbill::discovery::submit::SubmitError> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let base = reqwest::Url::parse(base).unwrap();
    rt.block_on(mcpbill::discovery::submit::submit_dispute(
        client,
        &base,
        dispute,
        key,
        Duration::from_millis(10),
    ))
}

#[test]
fn disputes_are_submitted_through_discovery() {
    let dispute = json!({
        "dispute_id": "disp_0123456789abcdef01234567",
        "receipt_id": "rcpt_0a0a0a0a0a0a0a0a0a0a0a0a",
        "filed_by": "agent-1",
        "filed_by_type": "agent",
        "reason": "overcharge",
        "description": "charged twice",
        "evidence": {},
        "status": "filed",
        "created_at": "2026-11-22T00:00:00Z",
    });
    let c = client(true, 5);
    let fx = fixture_server(&["--mode", "good"]);
    let ok = submit(&c, &fx.url(""), &dispute, Some("agent-key-1")).unwrap();
    assert!(ok.accepted, "{ok:?}");
    assert_eq!(ok.status, 201);
    assert_eq!(ok.answer["status"], "filed");
    assert!(ok.endpoint.ends_with("/api/disputes"));
    let refused = submit(&c, &fx.url(""), &dispute, None).unwrap();
    assert!(!refused.accepted);
    assert_eq!(refused.status, 401);

    let flaky = fixture_server(&["--mode", "disputes_flaky"]);
    let ok = submit(&c, &flaky.url(""), &dispute, Some("agent-key-1")).unwrap();
    assert_eq!((ok.status, ok.attempts), (201, 3));
    // A passing 503 on the provider's agents.json is retried as the POST is.
    let flaky = fixture_server(&["--mode", "discovery_flaky"]);
    let ok = submit(&c, &flaky.url(""), &dispute, Some("agent-key-1")).unwrap();
    assert_eq!((ok.status, ok.attempts), (201, 1));
    // 429 is retried too, after the Retry-After the provider sends, when a command can wait
    // that long; otherwise its answer is returned at once, with the wait asked for.
    let slow = fixture_server(&["--mode", "disputes_flaky", "--retry-after", "1"]);
    let ok = submit(&c, &slow.url(""), &dispute, Some("agent-key-1")).unwrap();
    assert_eq!((ok.status, ok.attempts), (201, 3));
    let gaps = post_gaps(&slow);
    assert!(gaps.iter().all(|g| *g >= 0.95), "{gaps:?}");
    let later = fixture_server(&["--mode", "disputes_flaky", "--retry-after", "120"]);
    let r = submit(&c, &later.url(""), &dispute, Some("agent-key-1")).unwrap();
    assert_eq!(
        (r.status, r.attempts, r.retry_after_secs),
        (429, 1, Some(120))
    );
    assert!(!r.accepted);

    let none = fixture_server(&["--mode", "no_disputes"]);
    let err = submit(&c, &none.url(""), &dispute, Some("agent-key-1")).unwrap_err();
    assert!(
        err.to_string()
            .contains("advertises no trust.disputes_endpoint"),
        "{err}"
    );
    let bad = fixture_server(&["--mode", "bad_agents"]);
    assert!(submit(&c, &bad.url(""), &dispute, None).is_err());
    let err = submit(&client(false, 5), &fx.url(""), &dispute, None).unwrap_err();
    assert!(err.to_string().contains("--allow-http"), "{err}");
}

#[test]
fn receipt_verify_online_command() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_provider(&ctx, &p);
    let base = server.url("");
    let good = ctx.write(
        "good.jsonl",
        format!("{}\n", with_url(p.valid.clone(), &base)),
    );
    let mixed = ctx.write(
        "mixed.jsonl",
        format!(
            "{}\n{}\n",
            with_url(p.valid.clone(), &base),
            with_url(p.tampered.clone(), &base)
        ),
    );
    let key = p.key.to_str().unwrap();
    ctx.run([
        "receipt",
        "verify",
        "--online",
        "--allow-http",
        good.to_str().unwrap(),
        "--key-file",
        key,
    ])
    .code(0)
    .stdout_has("confirmed");
    // --format spec is the offline response: refused with --online, not ignored.
    let run = ctx.run([
        "receipt",
        "verify",
        "--online",
        "--allow-http",
        "--format",
        "spec",
        good.to_str().unwrap(),
        "--key-file",
        key,
    ]);
    run.code(2).one_line_error().stderr_has("--format spec");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let run = ctx.run([
        "--json",
        "receipt",
        "verify",
        "--online",
        "--allow-http",
        mixed.to_str().unwrap(),
        "--key-file",
        key,
    ]);
    run.code(1);
    let lines = run.json_lines();
    assert_eq!(lines[0]["outcome"], "confirmed");
    assert_eq!(lines[1]["outcome"], "disagrees");
    assert_eq!(lines[1]["local_valid"], false);
    assert_eq!(lines[1]["provider_valid"], false);
    // Without a key the provider's word is reported alone; plain http needs --allow-http.
    let run = ctx.run([
        "--json",
        "receipt",
        "verify",
        "--online",
        good.to_str().unwrap(),
    ]);
    run.code(1);
    assert_eq!(run.json_lines()[0]["outcome"], "insecure_url");
    // The table names it as --json does.
    ctx.run(["receipt", "verify", "--online", good.to_str().unwrap()])
        .code(1)
        .stdout_has("insecure_url");
    ctx.run(["receipt", "verify", "--allow-http", good.to_str().unwrap()])
        .code(2);
    // The table names each outcome as --json does.
    let bare = ctx.write("bare.jsonl", format!("{}\n", p.valid));
    ctx.run([
        "receipt",
        "verify",
        "--online",
        bare.to_str().unwrap(),
        "--key-file",
        key,
    ])
    .code(1)
    .stdout_has("no_verify_url");
}

/// `dispute file --receipt RECEIPT --reason overcharge --description 'charged twice'
/// --log-dir LOGS --no-input`, then `extra`.
fn file_dispute(
    ctx: &TestContext,
    receipt: &str,
    logs: &str,
    extra: &[&str],
) -> crate::context::Run {
    let mut args = vec![
        "dispute",
        "file",
        "--receipt",
        receipt,
        "--reason",
        "overcharge",
        "--description",
        "charged twice",
        "--log-dir",
        logs,
        "--no-input",
    ];
    args.extend_from_slice(extra);
    ctx.run(args)
}

#[test]
fn dispute_file_submit_reaches_mcpbill_serve() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_provider(&ctx, &p);
    ctx.write("agent.key", format!("{}\n", crate::http_util::AGENT_KEY));
    ctx.write("stranger.key", "stranger-key-0123456789\n");
    let agent_logs = ctx.join("agent-logs");
    let url = server.url("");
    let file = |key: &str, receipt: &str| {
        file_dispute(
            &ctx,
            receipt,
            agent_logs.to_str().unwrap(),
            &["--submit", &url, "--allow-http", "--api-key-file", key],
        )
    };
    let run = file("agent.key", p.receipt.to_str().unwrap());
    // The submission is the command's result, on stdout beside what was filed.
    run.code(0)
        .stdout_has("filed disp_")
        .stdout_has("(accepted)");
    let sub: Value = serde_json::from_str(
        std::fs::read_to_string(agent_logs.join("dispute-submissions.jsonl"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(sub["accepted"], true);
    assert_eq!(sub["status"], 201);
    let id = sub["dispute_id"].as_str().unwrap();
    // The provider's log holds the same dispute id.
    let provider_log = std::fs::read_to_string(p.logs.join("disputes.jsonl")).unwrap();
    assert!(provider_log.contains(id), "{provider_log}");

    // An unknown key is refused (401): exit 1, and the answer is recorded.
    let tampered = ctx.write("tampered.json", p.tampered.to_string());
    let run = file("stranger.key", tampered.to_str().unwrap());
    run.code(1).stderr_has("refused");
    let lines = std::fs::read_to_string(agent_logs.join("dispute-submissions.jsonl")).unwrap();
    assert_eq!(lines.lines().count(), 2);
    assert!(lines.lines().nth(1).unwrap().contains("\"accepted\":false"));

    // A key no request can carry is refused before the dispute is filed or sent.
    let fresh = signed_receipt("0c0c0c0c0c0c0c0c0c0c0c0c", 50000, None);
    let fresh = ctx.write("fresh.json", fresh.to_string());
    let filed = std::fs::read_to_string(agent_logs.join("disputes.jsonl")).unwrap();
    for (name, key, why) in [
        ("two-lines.key", "agent-key\nsecond-line\n", "a line break"),
        ("spaced.key", "agent key\n", "a space"),
        ("empty.key", "\n", "is empty"),
    ] {
        ctx.write(name, key);
        file(name, fresh.to_str().unwrap())
            .code(2)
            .one_line_error()
            .stderr_has("--api-key-file")
            .stderr_has(why);
    }
    let after = std::fs::read_to_string(agent_logs.join("disputes.jsonl")).unwrap();
    assert_eq!(filed, after, "nothing was filed");
    let submissions = std::fs::read_to_string(agent_logs.join("dispute-submissions.jsonl"));
    assert_eq!(submissions.unwrap().lines().count(), 2, "nothing was sent");
}

/// A dispute filed without `--submit`, or whose submission was refused, is sent later
/// with `dispute submit`, as filed: same id, so a repeat is recognised.
#[test]
fn dispute_submit_sends_a_filed_dispute_later() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_provider(&ctx, &p);
    ctx.write("agent.key", format!("{}\n", crate::http_util::AGENT_KEY));
    ctx.write("stranger.key", "stranger-key-0123456789\n");
    let logs = ctx.join("agent-logs");
    let logs = logs.to_str().unwrap();
    let run = file_dispute(&ctx, p.receipt.to_str().unwrap(), logs, &["--json"]);
    run.code(0);
    let id = run.json()["dispute_id"].as_str().unwrap().to_owned();
    let url = server.url("");
    let submit = |id: &str, key: &str| {
        ctx.run([
            "dispute",
            "submit",
            id,
            "--to",
            &url,
            "--allow-http",
            "--api-key-file",
            key,
            "--log-dir",
            logs,
        ])
    };
    submit(&id, "stranger.key")
        .code(1)
        .stderr_has("refused")
        .stderr_has(&format!(
            "send it again with 'mcpbill dispute submit {id} --to"
        ));
    ctx.run([
        "dispute",
        "submit",
        &id,
        "--to",
        &url,
        "--allow-http",
        "--log-dir",
        logs,
    ])
    .code(1)
    .stderr_has("the provider wants an API key")
    .stderr_has("--api-key-file FILE'");
    submit(&id, "agent.key").code(0).stdout_has("accepted");
    // Sent again: the provider recognises the same filing.
    submit(&id, "agent.key").code(0).stdout_has("HTTP 201");
    let provider_log = std::fs::read_to_string(p.logs.join("disputes.jsonl")).unwrap();
    assert_eq!(
        provider_log.matches(id.as_str()).count(),
        1,
        "{provider_log}"
    );
    let submissions = std::fs::read_to_string(ctx.join("agent-logs/dispute-submissions.jsonl"));
    let submissions = submissions.unwrap();
    let accepted: Vec<bool> = submissions
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["accepted"] == true)
        .collect();
    assert_eq!(accepted, [false, false, true, true]);
    // A record that cannot be written (a full disk; a directory in its place here) does not
    // hide that the provider has the dispute: the outcome is said, and the record's fault.
    let record = ctx.join("agent-logs/dispute-submissions.jsonl");
    std::fs::remove_file(&record).unwrap();
    std::fs::create_dir(&record).unwrap();
    submit(&id, "agent.key")
        .code(0)
        .stdout_has("(accepted)")
        .stderr_has(&format!("{id} reached "))
        .stderr_has("but the answer could not be recorded: ");

    submit("disp_0123456789abcdef01234567", "agent.key")
        .code(1)
        .stderr_has("no dispute 'disp_0123456789abcdef01234567'");
    ctx.write("empty.key", "\n");
    submit(&id, "empty.key")
        .code(2)
        .one_line_error()
        .stderr_has("--api-key-file");
    submit(&id, "/dev/zero")
        .code(2)
        .one_line_error()
        .stderr_has("more than 1 MiB");
    ctx.run(["dispute", "submit", &id, "--to", &url, "--log-dir", logs])
        .code(2)
        .one_line_error()
        .stderr_has("--allow-http");
}

/// What cannot be delivered is exit 2 and says the command that sends it again; a URL that
/// cannot be used stops `dispute file --submit` before anything is filed; `--json` gives
/// one document with the submission.
#[test]
fn dispute_submission_failures_and_json() {
    let ctx = TestContext::new();
    let receipt = signed_receipt("0d0d0d0d0d0d0d0d0d0d0d0d", 50000, None);
    let receipt = ctx.write("r.json", receipt.to_string());
    ctx.write("agent.key", "agent-key-1\n");
    let logs = ctx.join("agent-logs");
    let logs = logs.to_str().unwrap();
    let file = |extra: &[&str]| file_dispute(&ctx, receipt.to_str().unwrap(), logs, extra);
    for (url, why) in [
        ("not a url", "--submit"),
        ("http://127.0.0.1:9/", "--allow-http"),
    ] {
        file(&["--submit", url])
            .code(2)
            .one_line_error()
            .stderr_has(why);
    }
    assert!(
        !ctx.join("agent-logs/disputes.jsonl").exists(),
        "nothing was filed"
    );

    let down = fixture_server(&["--mode", "disputes_down"]);
    let run = file(&[
        "--json",
        "--submit",
        &down.url(""),
        "--allow-http",
        "--api-key-file",
        "agent.key",
    ]);
    run.code(2)
        .stderr_has("error: disp_")
        .stderr_has("was not delivered to")
        .stderr_has("not delivered after 3 attempts (HTTP 503")
        .stderr_has("--api-key-file agent.key --allow-http --log-dir");
    assert!(!run.stderr.contains("warning: submitted"), "{}", run.stderr);
    let doc = run.json();
    let id = doc["dispute_id"].as_str().unwrap().to_owned();
    assert_eq!(doc["submission"]["status"], 503);
    assert_eq!(doc["submission"]["accepted"], false);

    let submit = |url: &str| {
        ctx.run([
            "--json",
            "dispute",
            "submit",
            &id,
            "--to",
            url,
            "--allow-http",
            "--api-key-file",
            "agent.key",
            "--log-dir",
            logs,
        ])
    };
    // A redirect that would turn the POST into a GET is not followed.
    let moved = fixture_server(&["--mode", "disputes_moved"]);
    let run = submit(&moved.url(""));
    run.code(2)
        .stderr_has(&format!("HTTP 302, a redirect to '{}'", moved.url("/ok")))
        .stderr_has("advertise the final URL");
    assert_eq!(run.json()["accepted"], false);
    assert_eq!(run.json()["location"], moved.url("/ok"));
    let good = fixture_server(&["--mode", "good"]);
    let run = submit(&good.url(""));
    run.code(0);
    assert_eq!(run.json()["accepted"], true);
    assert_eq!(run.json()["dispute_id"], id.as_str());
    // A provider behind a private CA: trusted with --ca-cert, as check trusts it; the
    // command to send it again keeps it.
    let tls = fixture_server(&["--mode", "good", "--tls"]);
    let https = format!("https://127.0.0.1:{}", tls.port());
    let ca = crate::context::fixture("http/ca.pem");
    let ca = ca.to_str().unwrap();
    let with = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "dispute",
            "submit",
            &id,
            "--to",
            &https,
            "--api-key-file",
            "agent.key",
            "--log-dir",
            logs,
        ];
        args.extend_from_slice(extra);
        ctx.run(&args)
    };
    with(&["--timeout", "3s"])
        .code(2)
        .stderr_has("--ca-cert")
        .stderr_has("--timeout 3000ms");
    let run = with(&["--ca-cert", ca, "--timeout", "5s"]);
    run.code(0);
    assert_eq!(run.json()["accepted"], true);
    ctx.run(["dispute", "submit", &id, "--to", "nope", "--log-dir", logs])
        .code(2)
        .one_line_error()
        .stderr_has("--to:");
    // Nobody listening: exit 2, and --json still gives the filed dispute.
    let other = signed_receipt("0e0e0e0e0e0e0e0e0e0e0e0e", 50000, None);
    let other = ctx.write("other.json", other.to_string());
    let run = file_dispute(
        &ctx,
        other.to_str().unwrap(),
        logs,
        &["--json", "--submit", "http://127.0.0.1:9/", "--allow-http"],
    );
    run.code(2).stderr_has("filed locally");
    assert_eq!(run.json()["submission"]["accepted"], false);
    assert!(run.json()["dispute_id"].is_string());
}
