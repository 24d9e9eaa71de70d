//! `mcpbill serve` against real HTTP on loopback.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use nix::sys::signal::Signal;
use serde_json::Value;

use crate::context::TestContext;
use crate::http_util::{
    AGENT_KEY, PROVIDER_KEY, get, json_body, post, provider, raw, serve_log, serve_provider,
    signed_receipt,
};

#[test]
fn answers_receipts_pricing_and_discovery() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_provider(&ctx, &p);
    let id = p.valid["receipt_id"].as_str().unwrap();

    let (status, body) = get(&server.addr, &format!("/api/receipts/{id}"));
    assert_eq!(status, 200, "{body}");
    let v = json_body(&body);
    assert_eq!(v["receipt"], p.valid);
    assert_eq!(v["verification"]["valid"], true);
    assert_eq!(v["verification"]["algorithm"], "HMAC-SHA256");
    assert!(
        v["verification"]["verified_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let tampered = p.tampered["receipt_id"].as_str().unwrap();
    let v = json_body(&get(&server.addr, &format!("/api/receipts/{tampered}")).1);
    assert_eq!(v["verification"]["valid"], false);
    assert_eq!(v["verification"]["reason"], "bad_signature");

    let (status, body) = get(&server.addr, "/api/receipts/rcpt_ffffffffffffffffffffffff");
    assert_eq!(status, 404);
    assert_eq!(json_body(&body)["error"]["code"], "unknown_receipt");

    // A receipt appended after start is found (the index catches up on a miss).
    let late = signed_receipt("0c0c0c0c0c0c0c0c0c0c0c0c", 7, None);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(p.logs.join("receipts-2026-11.jsonl"))
        .unwrap();
    writeln!(f, "{late}").unwrap();
    let (status, body) = get(&server.addr, "/api/receipts/rcpt_0c0c0c0c0c0c0c0c0c0c0c0c");
    assert_eq!(status, 200, "{body}");
    assert_eq!(json_body(&body)["verification"]["valid"], true);

    let (status, body) = get(&server.addr, "/api/pricing");
    assert_eq!(status, 200);
    let decls = json_body(&body);
    let search = decls
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tool_id"] == "search")
        .unwrap();
    assert_eq!(search["price_per_call_microcents"], 50000);
    assert_eq!(search["provider_id"], "acme");

    let (status, body) = get(&server.addr, "/.well-known/agents.json");
    assert_eq!(status, 200);
    let doc = json_body(&body);
    assert_eq!(doc["billing"]["type"], "mcp-billing-v1");
    assert_eq!(doc["billing"]["receipts_endpoint"], "/api/receipts");
    assert_eq!(doc["billing"]["provider_id"], "acme");
    assert_eq!(doc["trust"]["disputes_endpoint"], "/api/disputes");
    assert_eq!(doc["trust"]["trust_endpoint"], "/api/providers/{id}/trust");
}

#[test]
fn disputes_only_by_the_receipts_parties_and_trust_scores() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let other = ctx.run_stdin(
        ["serve", "--hash-key", "agent-2"],
        Some(b"agent-two-key-0123456789"),
    );
    let mut keys = std::fs::read_to_string(&p.api_keys).unwrap();
    keys.push_str(&other.stdout);
    std::fs::write(&p.api_keys, keys).unwrap();
    let id = p.valid["receipt_id"].as_str().unwrap();
    // The meter event of the disputed call, in the receipt's month.
    let event = serde_json::json!({"event_id": "evt_000000000000000000000a0a", "tool_id": "search",
        "agent_id": "agent-1", "provider_id": "acme", "timestamp": "2026-11-20T10:00:00.000Z",
        "duration_ms": 12, "status": "success", "cost_microcents": 50000,
        "metadata": {"receipt_id": id}});
    std::fs::write(p.logs.join("events-2026-11.jsonl"), format!("{event}\n")).unwrap();
    let server = serve_provider(&ctx, &p);
    let a = &server.addr;
    let body =
        format!(r#"{{"receipt_id":"{id}","reason":"overcharge","description":"charged twice"}}"#);
    assert_eq!(post(a, "/api/disputes", body.as_bytes(), None).0, 401);
    let (status, answer) = post(
        a,
        "/api/disputes",
        body.as_bytes(),
        Some("agent-two-key-0123456789"),
    );
    assert_eq!(status, 403, "{answer}");
    let other_reason = format!(r#"{{"receipt_id":"{id}","reason":"other"}}"#);
    let (status, answer) = post(a, "/api/disputes", other_reason.as_bytes(), Some(AGENT_KEY));
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("description"), "{answer}");
    for bad in [
        r#"{"receipt_id":"rcpt_ffffffffffffffffffffffff","reason":"overcharge"}"#,
        r#"{"receipt_id":"nope","reason":"overcharge"}"#,
        r#"{"receipt_id":"rcpt_ffffffffffffffffffffffff","reason":"because"}"#,
    ] {
        let (status, answer) = post(a, "/api/disputes", bad.as_bytes(), Some(AGENT_KEY));
        assert!(status == 400 || status == 404, "{bad}: {status} {answer}");
        json_body(&answer);
    }
    let (status, answer) = post(a, "/api/disputes", body.as_bytes(), Some(AGENT_KEY));
    assert_eq!(status, 201, "{answer}");
    let filed = json_body(&answer);
    assert!(filed["dispute_id"].as_str().unwrap().starts_with("disp_"));
    assert_eq!(filed["status"], "filed");
    assert_eq!(filed["filed_by"], "agent-1");
    assert_eq!(filed["filed_by_type"], "agent");
    // The provider's log holds the evidence `dispute file` collects: the meter event, the
    // declared price and the expected cost (the first call of the month is free), and
    // whether the reason fits.
    let run = ctx.run([
        "--json",
        "dispute",
        "show",
        filed["dispute_id"].as_str().unwrap(),
        "--log-dir",
        p.logs.to_str().unwrap(),
    ]);
    run.code(0);
    let evidence = &run.json()["evidence"];
    assert_eq!(
        evidence["meter_event"]["matched_by"], "receipt_id",
        "{evidence}"
    );
    assert_eq!(
        evidence["pricing"]["pricing_model"], "per_call",
        "{evidence}"
    );
    assert_eq!(evidence["expected_cost_microcents"], 0);
    assert_eq!(evidence["assessment"]["reason_applies"], true);
    assert_eq!(evidence["signature"]["valid"], true);
    assert_eq!(evidence["submitted"], serde_json::json!({}));
    let (status, _) = post(a, "/api/disputes", body.as_bytes(), Some(AGENT_KEY));
    assert_eq!(status, 409);
    // A retry of a filing that names its id (as 'dispute file --submit' does) is answered
    // with that filing; the id on another receipt is taken.
    let named = |receipt: &str| {
        format!(
            r#"{{"dispute_id":"disp_00112233445566778899aabb","receipt_id":"{receipt}","reason":"overcharge"}}"#
        )
    };
    let other_id = p.tampered["receipt_id"].as_str().unwrap();
    let (status, answer) = post(
        a,
        "/api/disputes",
        named(other_id).as_bytes(),
        Some(AGENT_KEY),
    );
    assert_eq!(status, 201, "{answer}");
    let (status, again) = post(
        a,
        "/api/disputes",
        named(other_id).as_bytes(),
        Some(AGENT_KEY),
    );
    assert_eq!((status, json_body(&again)), (201, json_body(&answer)));
    let (status, taken) = post(a, "/api/disputes", named(id).as_bytes(), Some(AGENT_KEY));
    assert_eq!(status, 409, "{taken}");
    assert_eq!(json_body(&taken)["error"]["code"], "dispute_id_taken");
    // The CLI sees the filing.
    let run = ctx.run([
        "--json",
        "dispute",
        "list",
        "--log-dir",
        p.logs.to_str().unwrap(),
    ]);
    run.code(0);
    assert!(
        run.stdout.contains(filed["dispute_id"].as_str().unwrap()),
        "{}",
        run.stdout
    );

    let (status, answer) = get(a, "/api/providers/acme/trust");
    assert_eq!(status, 200, "{answer}");
    let t = json_body(&answer);
    assert_eq!(t["provider_id"], "acme");
    assert!(t["trust_score"].as_u64().unwrap() <= 100);
    assert!(t["badge"].is_string());
    assert_eq!(get(a, "/api/providers/nobody/trust").0, 404);
    assert_eq!(get(a, "/api/providers/%00/trust").0, 400);
}

/// A filing answered 408 (here: the log's lock held past the request timeout) is not
/// filed afterwards, when its thread gets the lock: the client was told it failed.
#[test]
fn a_dispute_answered_408_is_not_filed_later() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_log(
        &ctx,
        &p,
        &[
            "--api-keys",
            p.api_keys.to_str().unwrap(),
            "--request-timeout",
            "1",
        ],
    );
    let id = p.valid["receipt_id"].as_str().unwrap();
    let body = format!(r#"{{"receipt_id":"{id}","reason":"overcharge"}}"#);
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(p.logs.join(".lock"))
        .unwrap();
    lock.lock().unwrap();
    let (status, answer) = post(
        &server.addr,
        "/api/disputes",
        body.as_bytes(),
        Some(AGENT_KEY),
    );
    assert_eq!(status, 408, "{answer}");
    drop(lock);
    std::thread::sleep(Duration::from_millis(500));
    let filed = std::fs::read_to_string(p.logs.join("disputes.jsonl")).unwrap_or_default();
    assert!(!filed.contains(id), "filed after its 408: {filed}");
    let (status, answer) = post(
        &server.addr,
        "/api/disputes",
        body.as_bytes(),
        Some(AGENT_KEY),
    );
    assert_eq!(status, 201, "{answer}");
}

#[test]
fn malformed_paths_ids_and_bodies_get_json_errors() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_provider(&ctx, &p);
    let a = &server.addr;
    for path in [
        "/api/receipts/not-a-receipt",
        "/api/receipts/rcpt_xyz",
        "/api/receipts/rcpt_%FF%FE",
        "/api/receipts/rcpt_%00%0a",
        "/api/receipts/rcpt_0123456789abcdef%2F..%2F..",
    ] {
        let (status, body) = get(a, path);
        assert_eq!(status, 400, "{path}: {body}");
        assert!(json_body(&body)["error"]["message"].is_string(), "{path}");
    }
    let long = format!("/api/receipts/rcpt_{}", "a".repeat(8000));
    assert_eq!(get(a, &long).0, 400);
    let (status, body) = get(a, "/nope/../../etc/passwd");
    assert_eq!(status, 404);
    assert_eq!(json_body(&body)["error"]["code"], "not_found");
    let (status, body) = post(a, "/api/pricing", b"{}", None);
    assert_eq!(status, 405);
    json_body(&body);
    // Not HTTP at all: hyper answers 400 and the server keeps going.
    let (status, _) = raw(a, b"\x00\x01garbage\r\n\r\n");
    assert!(status == 400 || status == 0);

    // Feedback: authentication, body size, body shape.
    let good = br#"{"request_id":"5f1c8e1e-0000-4000-8000-000000000001","discarded":true}"#;
    let (status, body) = post(a, "/client/feedback", good, None);
    assert_eq!(status, 401);
    assert_eq!(json_body(&body)["error"]["code"], "unauthorized");
    assert_eq!(
        post(a, "/client/feedback", good, Some("wrong-key-wrong-key")).0,
        401
    );
    let huge = vec![b' '; 200 * 1024];
    let (status, body) = post(a, "/client/feedback", &huge, Some(AGENT_KEY));
    assert_eq!(status, 413, "{body}");
    json_body(&body);
    // Declared too large and never sent: refused at once, not timed out (408).
    let (status, body) = raw(
        a,
        b"POST /client/feedback HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n\r\n{}",
    );
    assert_eq!(status, 413, "{body}");
    for bad in [
        &b"{not json"[..],
        b"[]",
        b"{\"request_id\":5,\"discarded\":true}",
        b"{\"request_id\":\"x\"}",
        b"{\"request_id\":\"x\",\"discarded\":\"yes\"}",
        b"{\"request_id\":\"x\",\"discarded\":true,\"extra\":1}",
        b"\xff\xfe\xfd",
    ] {
        let (status, body) = post(a, "/client/feedback", bad, Some(AGENT_KEY));
        assert_eq!(status, 400, "{}: {body}", String::from_utf8_lossy(bad));
        json_body(&body);
    }
    // Feedback is the calling agent's word, not the provider's.
    let (status, body) = post(a, "/client/feedback", good, Some(PROVIDER_KEY));
    assert_eq!(status, 403, "{body}");
    let (status, body) = post(a, "/client/feedback", good, Some(AGENT_KEY));
    assert_eq!(status, 204, "{body}");
    let log = std::fs::read_to_string(p.logs.join("feedback.jsonl")).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["agent_id"], "agent-1");
    assert_eq!(lines[0]["discarded"], true);
    assert!(lines[0]["timestamp"].is_string());

    // Still serving after all of that.
    assert_eq!(get(a, "/.well-known/agents.json").0, 200);
}

#[test]
fn concurrent_load_is_answered_correctly() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let server = serve_provider(&ctx, &p);
    let valid = p.valid["receipt_id"].as_str().unwrap().to_owned();
    let (tx, rx) = std::sync::mpsc::channel();
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let addr = server.addr.clone();
            let valid = valid.clone();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let (path, expect) = match (t + i) % 3 {
                        0 => (format!("/api/receipts/{valid}"), 200),
                        1 => (
                            "/api/receipts/rcpt_eeeeeeeeeeeeeeeeeeeeeeee".to_owned(),
                            404,
                        ),
                        _ => ("/api/pricing".to_owned(), 200),
                    };
                    let (status, body) = get(&addr, &path);
                    tx.send((path, expect, status, body)).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let mut answered = 0;
    // Bounded: 400 requests, and the whole run must finish within a generous limit.
    while let Ok((path, expect, status, body)) = rx.recv_timeout(Duration::from_secs(60)) {
        assert_eq!(status, expect, "{path}: {body}");
        if status == 200 && path.contains("rcpt_") {
            assert_eq!(json_body(&body)["verification"]["valid"], true);
        }
        answered += 1;
    }
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(answered, 400);
}

#[test]
fn sigterm_lets_in_flight_requests_finish() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let mut server = serve_provider(&ctx, &p);
    // Start a request whose body is still arriving.
    let body = br#"{"request_id":"r-1","discarded":false}"#;
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "POST /client/feedback HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {AGENT_KEY}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(&body[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    server.signal(Signal::SIGTERM);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "exited with a request in flight"
    );
    s.write_all(&body[10..]).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
    assert_eq!(server.wait_exit(Duration::from_secs(20)), Some(0));
    let log = std::fs::read_to_string(p.logs.join("feedback.jsonl")).unwrap();
    assert!(log.contains("\"r-1\""));
}

#[test]
fn hash_key_and_bad_inputs_are_one_line_errors() {
    let ctx = TestContext::new();
    let run = ctx.run_stdin(
        ["serve", "--hash-key", "acme", "--role", "provider"],
        Some(b"k-0123456789abcdef\n"),
    );
    run.code(0)
        .stdout_has("role = \"provider\"")
        .stdout_has("sha256 = ");
    ctx.run_stdin(["serve", "--hash-key", "a"], Some(b"short\n"))
        .code(2)
        .one_line_error();
    for id in ["", " ", "a\nb"] {
        ctx.run_stdin(["serve", "--hash-key", id], Some(b"k-0123456789abcdef\n"))
            .code(2)
            .one_line_error()
            .stderr_has("--hash-key");
    }
    // Typed at a terminal: one line is the key, no end of input is waited for.
    let steps = serde_json::json!([["", "k-0123456789abcdef\r"], ["sha256 = ", ""]]);
    let run =
        crate::context::run_command(ctx.pty_command(&steps, &["serve", "--hash-key", "t"]), None);
    run.code(0).stdout_has("id = \"t\"");
    // Endless input (a wrong redirection) is refused at a bound, not read into memory.
    ctx.run_stdin(["serve", "--hash-key", "a"], Some(&vec![b'k'; 2 << 20]))
        .code(2)
        .stderr_has("more than 1 MiB");
    ctx.write("k", "secret\n");
    ctx.write(
        "bad-keys.toml",
        "[[keys]]\nid = \"a\"\nrole = \"agent\"\nsha256 = \"zz\"\n",
    );
    ctx.run(["serve", "--key-file", "k", "--api-keys", "bad-keys.toml"])
        .code(2)
        .one_line_error()
        .stderr_has("64 hex");
    ctx.run(["serve", "--key-file", "k", "--api-keys", "/dev/zero"])
        .code(2)
        .one_line_error()
        .stderr_has("more than 16 MiB");
    ctx.run(["serve"])
        .code(2)
        .one_line_error()
        .stderr_has("--key-file");
    // A bare port, or a host name, gets the address form to use.
    ctx.run(["serve", "--key-file", "k", "--listen", "8787"])
        .code(2)
        .stderr_has("is a port alone; give an address with it, e.g. 127.0.0.1:8787");
    ctx.run(["serve", "--key-file", "k", "--listen", "localhost:8787"])
        .code(2)
        .stderr_has("'localhost' is not an IP address");
    // Mistyped paths are said at start.
    ctx.run(["serve", "--key-file", "k", "--log-dir", "nope"])
        .code(2)
        .one_line_error()
        .stderr_has("does not exist");
    assert!(!ctx.join("nope").exists());
    ctx.run(["serve", "--key-file", "k", "--verifications", "nope.jsonl"])
        .code(2)
        .one_line_error()
        .stderr_has("--verifications 'nope.jsonl'");
    // A side log of another kind is refused at start as trust refuses it, not served as
    // every provider unverified.
    ctx.write(
        "events.jsonl",
        crate::logs::event(
            "acme",
            "search",
            "agent-1",
            "2026-11-01T10:00:00Z",
            "success",
            100,
            5000,
            serde_json::Value::Null,
        ) + "\n",
    );
    ctx.run([
        "serve",
        "--key-file",
        "k",
        "--verifications",
        "events.jsonl",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("--verifications 'events.jsonl' holds meter events, not verification records");
}

/// A receipts file serve may not read is named in the error, not only its directory.
#[test]
fn an_unreadable_receipts_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = TestContext::new();
    ctx.write("k", "secret\n");
    std::fs::create_dir(ctx.join("logs")).unwrap();
    ctx.write("logs/receipts-2026-12.jsonl", "{}\n");
    let locked = std::fs::Permissions::from_mode(0o000);
    std::fs::set_permissions(ctx.join("logs/receipts-2026-12.jsonl"), locked).unwrap();
    let cmd = crate::context::unprivileged(
        &ctx,
        &[
            "serve",
            "--key-file",
            "k",
            "--log-dir",
            "logs",
            "--listen",
            "127.0.0.1:0",
        ],
    );
    let run = crate::context::run_command(cmd, None);
    run.code(2)
        .one_line_error()
        .stderr_has("logs/receipts-2026-12.jsonl")
        .stderr_has("Permission denied");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn unfinished_headers_neither_hold_a_connection_nor_block_shutdown() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let mut server = serve_log(&ctx, &p, &["--request-timeout", "1"]);
    // A client that never finishes its headers is disconnected by the server.
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    slow.write_all(b"GET /api/pricing HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut buf = Vec::new();
    let closed = slow.read_to_end(&mut buf);
    assert!(
        closed.is_ok(),
        "the server kept the connection open: {closed:?}"
    );
    assert!(!String::from_utf8_lossy(&buf).contains(" 200 "));
    // Another one is still half-way through its headers when the server is told to stop.
    let mut stuck = TcpStream::connect(&server.addr).unwrap();
    stuck.write_all(b"GET /api/pricing HTTP/1.1\r\n").unwrap();
    assert_eq!(get(&server.addr, "/.well-known/agents.json").0, 200);
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait_exit(Duration::from_secs(20)), Some(0));
}

#[test]
fn a_server_side_failure_is_told_to_the_operator_not_the_client() {
    use std::io::Read;
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let mut server = serve_provider(&ctx, &p);
    std::fs::remove_dir_all(&p.logs).unwrap();
    let good = br#"{"request_id":"5f1c8e1e-0000-4000-8000-000000000001","discarded":true}"#;
    let (status, body) = post(&server.addr, "/client/feedback", good, Some(AGENT_KEY));
    assert_eq!(status, 500, "{body}");
    assert_eq!(json_body(&body)["error"]["code"], "internal");
    let logs = p.logs.to_str().unwrap();
    assert!(
        !body.contains(logs),
        "the server's paths stay on the server: {body}"
    );
    // A receipt the index knows, whose file is gone: the operator learns which file.
    let id = p.valid["receipt_id"].as_str().unwrap();
    let (status, body) = get(&server.addr, &format!("/api/receipts/{id}"));
    assert_eq!(status, 500, "{body}");
    assert!(!body.contains(logs), "{body}");
    // Not scores of zero from a log that is not there.
    let (status, body) = get(&server.addr, "/api/providers/acme/trust");
    assert_eq!(status, 500, "{body}");
    let mut err = server.child.stderr.take().unwrap();
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let mut stderr = String::new();
    err.read_to_string(&mut stderr).unwrap();
    assert!(
        stderr.contains("internal error") && stderr.contains(logs),
        "{stderr}"
    );
    assert!(stderr.contains("receipts-"), "the file is named: {stderr}");
}

/// serve's trust endpoint reads `--verifications` as `mcpbill trust` does: a record
/// without `verified_at` counts in both (serve ignored it and scored the provider
/// unverified).
#[test]
fn serve_and_trust_read_verification_records_alike() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    let now = chrono::Utc::now();
    let month = now.format("%Y-%m").to_string();
    let events: String = (0..25)
        .map(|i| {
            let at = (now - chrono::Duration::minutes(60 + i))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            crate::logs::event(
                "acme",
                "search",
                "agent-1",
                &at,
                "success",
                100,
                5000,
                serde_json::Value::Null,
            ) + "\n"
        })
        .collect();
    std::fs::write(p.logs.join(format!("events-{month}.jsonl")), events).unwrap();
    ctx.write(
        "verified.jsonl",
        "{\"provider_id\":\"acme\",\"level\":\"domain\"}\n",
    );
    let trust = ctx
        .run([
            "--json",
            "trust",
            "--log-dir",
            p.logs.to_str().unwrap(),
            "--verifications",
            "verified.jsonl",
        ])
        .code(0)
        .json();
    let cli = trust["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["provider_id"] == "acme")
        .unwrap()["components"]["verification"]
        .clone();
    assert!(cli.as_u64().unwrap() > 0, "{trust}");
    let server = serve_log(&ctx, &p, &["--verifications", "verified.jsonl"]);
    let (status, body) = get(&server.addr, "/api/providers/acme/trust");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json_body(&body)["components"]["verification"],
        cli,
        "{body}"
    );
}

/// An --api-keys file with no keys is named as such, not taken for no file at all.
#[test]
fn an_empty_api_keys_file_is_named() {
    use std::io::Read;
    let ctx = TestContext::new();
    let p = provider(&ctx);
    ctx.write("empty.toml", "");
    let mut server = serve_log(&ctx, &p, &["--api-keys", "empty.toml"]);
    assert_eq!(get(&server.addr, "/.well-known/agents.json").0, 200);
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait_exit(Duration::from_secs(20)), Some(0));
    let mut stderr = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("warning: --api-keys 'empty.toml' holds no keys (add entries with 'mcpbill serve --hash-key ID')"),
        "{stderr}"
    );
}

/// A SIGTERM sent as soon as serve says it is listening shuts it down cleanly (exit 0):
/// the handlers are installed before that line, not when the accept loop first looks.
#[test]
fn sigterm_right_after_the_listening_line_is_a_clean_shutdown() {
    let ctx = TestContext::new();
    let p = provider(&ctx);
    for _ in 0..5 {
        let mut server = serve_log(&ctx, &p, &[]);
        server.signal(Signal::SIGTERM);
        assert_eq!(server.wait_exit(Duration::from_secs(20)), Some(0));
    }
}

/// Under a thread limit serve stops at once, naming it: tokio would panic, or wait forever
/// for a blocking thread with nothing listening.
#[test]
fn a_thread_limit_stops_serve_at_once_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = crate::context::TestContext::new();
    ctx.write("k", "k3y\n");
    std::fs::create_dir(ctx.join("logs")).unwrap();
    std::fs::set_permissions(ctx.join("logs"), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(ctx.join("k"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let args = [
        "serve",
        "--log-dir",
        "logs",
        "--key-file",
        "k",
        "--listen",
        "127.0.0.1:0",
    ];
    crate::context::with_thread_limit(&ctx, 2, &args)
        .code(2)
        .stderr_has("threads serve needs: ")
        .stderr_has("raise the thread and process limit (ulimit -u, a container's pids limit)");
}
