//! `mcpbill forward` against a receiver on loopback that counts events by id.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::Signal;
use serde_json::{Value, json};

use crate::context::{TestContext, run_command};
use crate::http_util::{Proc, fixture_server, get, json_body, post_gaps, wait_for};

fn event(n: usize) -> Value {
    json!({
        "event_id": format!("evt_{n:024x}"),
        "tool_id": "search",
        "agent_id": "agent-1",
        "provider_id": "acme",
        "timestamp": "2026-11-20T10:00:00.000Z",
        "duration_ms": 10,
        "status": "success",
        "cost_microcents": 50000,
    })
}

fn append_events(logs: &Path, file: &str, range: std::ops::Range<usize>) {
    use std::io::Write;
    std::fs::create_dir_all(logs).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(logs.join(file))
        .unwrap();
    for n in range {
        writeln!(f, "{}", event(n)).unwrap();
    }
}

fn stats(rx: &Proc) -> Value {
    json_body(&get(&rx.addr, "/stats").1)
}

fn forward_args<'a>(logs: &'a str, to: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "forward",
        "--log-dir",
        logs,
        "--to",
        to,
        "--allow-http",
        "--batch",
        "4",
        "--retry-delay",
        "10",
    ];
    v.extend_from_slice(extra);
    v
}

#[test]
fn endpoint_down_then_up_ships_everything_once_and_resumes() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..18);
    append_events(&logs, "events-2026-12.jsonl", 18..25);
    // A garbage line, an object that is no event, an event with a repeated key (refused,
    // as report refuses it) and two events over 1 MiB (shipped, as report counts them).
    let big = |n| {
        let mut e = event(n);
        e["metadata"] = json!({"result": "x".repeat(2 << 20)});
        e
    };
    let (big, big2) = (big(100), big(102));
    let repeated = event(101).to_string().replace(
        "\"cost_microcents\":50000",
        "\"cost_microcents\":0,\"cost_microcents\":9",
    );
    std::fs::write(
        logs.join("events-2026-10.jsonl"),
        format!("not json\n{{\"a\":1}}\n{repeated}\n{big}\n{big2}\n"),
    )
    .unwrap();
    let rx = fixture_server(&["--mode", "receiver", "--fail-first", "3"]);
    let to = rx.url("/ingest");
    let l = logs.to_str().unwrap();
    let run = ctx.run(
        ["--json"]
            .into_iter()
            .chain(forward_args(l, &to, &["--once"])),
    );
    run.code(0);
    let out = run.json();
    assert_eq!(out["events"], 27);
    assert_eq!(out["retries"], 3);
    assert_eq!(out["lines_skipped"], 3, "the key every command uses: {out}");
    let s = stats(&rx);
    assert_eq!(s["unique"], 27);
    assert_eq!(s["duplicates"], 0);
    // The batches respect --batch and never cross a file.
    assert!(
        s["batches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b.as_u64().unwrap() <= 4)
    );

    // Nothing new: nothing sent. New events: only those are sent.
    ctx.run(forward_args(l, &to, &["--once"]))
        .code(0)
        .stdout_has("shipped 0 events in 0 batches (0 retries, 0 unreadable lines skipped)");
    append_events(&logs, "events-2026-12.jsonl", 25..30);
    ctx.run(forward_args(l, &to, &[]))
        .code(0)
        .stdout_has("shipped 5 events");
    let s = stats(&rx);
    assert_eq!(s["unique"], 32);
    assert_eq!(s["duplicates"], 0);

    // A shipped file replaced by a shorter one: said, not passed over in silence.
    std::fs::remove_file(logs.join("events-2026-12.jsonl")).unwrap();
    append_events(&logs, "events-2026-12.jsonl", 30..31);
    ctx.run(forward_args(l, &to, &[]))
        .code(0)
        .stderr_has("less than the")
        .stderr_has("already shipped");
    // One event in a new month's file: the summary says it in the singular.
    append_events(&logs, "events-2027-01.jsonl", 40..41);
    ctx.run(forward_args(l, &to, &[]))
        .code(0)
        .stdout_has("shipped 1 event in 1 batch (0 retries, 0 unreadable lines skipped)");
}

/// An event `report` counts but that cannot be sent as JSON again stops `forward` before
/// it, with the events before it shipped and the cursor kept; an empty event id is sent as
/// the derived id.
#[test]
fn an_event_that_cannot_be_resent_stops_forward_before_it() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..2);
    let mut blank_id = event(2);
    blank_id["event_id"] = json!("");
    let odd = event(3)
        .to_string()
        .replace("\"status\"", "\"metadata\":{\"x\":1e400},\"status\"");
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(logs.join("events-2026-11.jsonl"))
            .unwrap();
        writeln!(f, "{blank_id}\n{odd}").unwrap();
    }
    let csv = ctx
        .run(["export", "--format", "csv"])
        .code(0)
        .stdout
        .clone();
    assert_eq!(
        csv.lines().count(),
        5,
        "report and export count all four: {csv}"
    );
    let rx = fixture_server(&["--mode", "receiver"]);
    let to = rx.url("/ingest");
    let l = logs.to_str().unwrap();
    ctx.run(forward_args(l, &to, &["--once", "--format", "spec"]))
        .code(2)
        .stderr_has("cannot be sent as JSON");
    assert_eq!(stats(&rx)["unique"], 3, "the three before it");
    // Again: nothing is passed over; the same stop, nothing sent twice.
    ctx.run(forward_args(l, &to, &["--once", "--format", "spec"]))
        .code(2);
    let s = stats(&rx);
    assert_eq!(s["duplicates"], 0);
    // The empty id went as the id export derives.
    let derived = csv.lines().nth(3).unwrap().split(',').next().unwrap();
    assert!(derived.starts_with("evt_"), "{csv}");
    assert!(
        s["ids"].as_array().unwrap().contains(&json!(derived)),
        "{derived}: {s}"
    );
}

/// A whole event left without its newline (a writer cut off) is shipped, as `report`
/// counts it; the newline a later writer puts first is a blank line, not a second copy.
#[test]
fn a_last_event_without_its_newline_is_shipped_once() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..2);
    let path = logs.join("events-2026-11.jsonl");
    let append = |text: String| {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(text.as_bytes()).unwrap();
    };
    append(event(2).to_string());
    let rx = fixture_server(&["--mode", "receiver"]);
    let to = rx.url("/ingest");
    let l = logs.to_str().unwrap();
    ctx.run(forward_args(l, &to, &["--once"])).code(0);
    assert_eq!(stats(&rx)["unique"], 3);
    // Half an event is still being written: not shipped yet.
    append(format!("\n{}", &event(3).to_string()[..20]));
    ctx.run(forward_args(l, &to, &["--once"])).code(0);
    assert_eq!(stats(&rx)["unique"], 3);
    append(format!("{}\n", &event(3).to_string()[20..]));
    ctx.run(forward_args(l, &to, &["--once"])).code(0);
    let s = stats(&rx);
    assert_eq!(
        (s["unique"].as_u64(), s["duplicates"].as_u64()),
        (Some(4), Some(0))
    );
}

#[test]
fn giving_up_keeps_the_cursor_so_nothing_is_lost() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..6);
    let rx = fixture_server(&["--mode", "receiver", "--fail-first", "3"]);
    let to = rx.url("/ingest");
    let l = logs.to_str().unwrap();
    ctx.run(
        ["-q"]
            .into_iter()
            .chain(forward_args(l, &to, &["--attempts", "2"])),
    )
    .code(2)
    .one_line_error()
    .stderr_has("after 2 attempts")
    .stderr_has("run again to resume");
    assert_eq!(stats(&rx)["unique"], 0);
    ctx.run(
        ["-q"]
            .into_iter()
            .chain(forward_args(l, &to, &["--attempts", "1"])),
    )
    .code(2)
    .one_line_error()
    .stderr_has("after 1 attempt (last:");
    assert_eq!(stats(&rx)["unique"], 0);
    ctx.run(forward_args(l, &to, &[]))
        .code(0)
        .stdout_has("shipped 6 events");
    let s = stats(&rx);
    assert_eq!(s["unique"], 6);
    assert_eq!(s["duplicates"], 0);
}

/// A 429 with `Retry-After` is retried after the wait the server asked for, not after
/// the (much shorter) backoff.
#[test]
fn retry_after_is_honoured() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..3);
    let rx = fixture_server(&[
        "--mode",
        "receiver",
        "--fail-first",
        "1",
        "--retry-after",
        "1",
    ]);
    let to = rx.url("/ingest");
    ctx.run(forward_args(logs.to_str().unwrap(), &to, &["--once"]))
        .code(0)
        .stderr_has("HTTP 429, Retry-After 1 s")
        .stderr_has("retrying in 1000 ms")
        .stdout_has("shipped 3 events");
    let gaps = post_gaps(&rx);
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        gaps[0] >= 0.95,
        "retried after {} s, before the 1 s asked",
        gaps[0]
    );
    assert_eq!(stats(&rx)["unique"], 3);
}

/// A 301, 302 or 303 to a POST is not followed (it would re-send the batch as a GET,
/// without its body, and a 200 to that would move the cursor past events never received).
#[test]
fn a_redirect_to_a_get_ships_nothing() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..3);
    let rx = fixture_server(&["--mode", "receiver"]);
    let to = rx.url("/moved");
    ctx.run(forward_args(logs.to_str().unwrap(), &to, &["--once"]))
        .code(2)
        .one_line_error()
        .stderr_has(&format!("HTTP 302, a redirect to '{}'", rx.url("/ok")))
        .stderr_has("give the final URL");
    // A redirect refused (here a loop of 307s) is not tried again: it would be refused again.
    let looping = fixture_server(&["--mode", "receiver"]);
    ctx.run(forward_args(
        logs.to_str().unwrap(),
        &looping.url("/loop"),
        &["--once"],
    ))
    .code(2)
    .one_line_error()
    .stderr_has("redirects")
    .stderr_has("the cursor was kept");
    assert!(
        post_gaps(&looping).len() <= 6,
        "one attempt: at most 6 POSTs"
    );
    // The real endpoint gets all three.
    ctx.run(forward_args(
        logs.to_str().unwrap(),
        &rx.url("/ingest"),
        &["--once"],
    ))
    .code(0)
    .stdout_has("shipped 3 events");
}

#[test]
fn killed_mid_batch_and_restarted_counts_each_event_once() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..10);
    // The receiver records the first batch but never answers it.
    let rx = fixture_server(&["--mode", "receiver", "--hang-first", "1"]);
    let to = rx.url("/ingest");
    let l = logs.to_str().unwrap();
    let mut cmd = ctx.command();
    cmd.args(forward_args(l, &to, &["--timeout", "60"]))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = cmd.spawn().unwrap();
    let mut fwd = Proc {
        child,
        addr: String::new(),
    };
    wait_for(Duration::from_secs(30), || {
        (stats(&rx)["requests"] == 1).then_some(())
    });
    fwd.signal(Signal::SIGKILL);
    fwd.wait_exit(Duration::from_secs(10)).unwrap();
    assert_eq!(stats(&rx)["unique"], 4);

    ctx.run(forward_args(l, &to, &[]))
        .code(0)
        .stdout_has("shipped 10 events");
    let s = stats(&rx);
    assert_eq!(s["unique"], 10, "{s}");
    // Only the unacknowledged batch was sent again, with the same ids.
    assert_eq!(s["duplicates"], 4, "{s}");
}

#[test]
fn follow_ships_new_events_and_stops_on_sigterm() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..3);
    let rx = fixture_server(&["--mode", "receiver"]);
    let to = rx.url("/ingest");
    let l = logs.to_str().unwrap();
    let mut cmd = ctx.command();
    cmd.args(forward_args(
        l,
        &to,
        &["--follow", "--poll", "20", "--format", "openmeter"],
    ))
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    let mut fwd = Proc {
        child: cmd.spawn().unwrap(),
        addr: String::new(),
    };
    wait_for(Duration::from_secs(30), || {
        (stats(&rx)["unique"] == 3).then_some(())
    });
    append_events(&logs, "events-2026-11.jsonl", 3..9);
    wait_for(Duration::from_secs(30), || {
        (stats(&rx)["unique"] == 9).then_some(())
    });
    fwd.signal(Signal::SIGTERM);
    assert_eq!(fwd.wait_exit(Duration::from_secs(20)), Some(0));
    assert_eq!(stats(&rx)["duplicates"], 0);
    // A second forwarder to the same endpoint is refused while one runs. (If the
    // one-shot run wins the race for the lock, the follower is the one refused: start
    // it again.)
    let spawn_follower = || {
        let mut cmd = ctx.command();
        cmd.args(forward_args(l, &to, &["--follow"]))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Proc {
            child: cmd.spawn().unwrap(),
            addr: String::new(),
        }
    };
    let mut running = spawn_follower();
    wait_for(Duration::from_secs(20), || {
        let run = ctx.run(forward_args(l, &to, &[]));
        if run.code == 2 && run.stderr.contains("another 'mcpbill forward'") {
            return Some(());
        }
        if running.child.try_wait().unwrap().is_some() {
            running = spawn_follower();
        }
        None
    });
}

#[test]
fn library_forwarder_on_a_thread_ships_and_drains_on_stop() {
    use mcpbill::cli::ForwardFormat;
    use mcpbill::forward::{ForwardConfig, Forwarder};
    use mcpbill::http::{ClientConfig, HttpClient};

    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..5);
    let rx = fixture_server(&["--mode", "receiver", "--fail-first", "1"]);
    let config = ForwardConfig {
        log_dir: logs.clone(),
        to: reqwest::Url::parse(&rx.url("/ingest")).unwrap(),
        format: ForwardFormat::Spec,
        batch: 2,
        attempts: None,
        retry_delay: Duration::from_millis(10),
        poll: Duration::from_secs(3600),
        token: None,
        verbose_retries: false,
    };
    let client = HttpClient::new(ClientConfig {
        allow_http: true,
        timeout: Duration::from_secs(10),
        max_body: 1 << 20,
        ca_cert: None,
    })
    .unwrap();
    let handle = Forwarder::new(config, client)
        .unwrap()
        .start_thread()
        .unwrap();
    wait_for(Duration::from_secs(30), || {
        (stats(&rx)["unique"] == 5).then_some(())
    });
    // Written after the last poll: only the drain on stop ships these.
    append_events(&logs, "events-2026-11.jsonl", 5..8);
    let shipped = handle.stop(Duration::from_secs(20)).unwrap();
    assert_eq!(shipped.events, 8);
    let s = stats(&rx);
    assert_eq!(s["unique"], 8);
    assert_eq!(s["duplicates"], 0);
}

#[test]
fn wrap_forward_ships_the_sessions_events() {
    let ctx = TestContext::new();
    let rx = fixture_server(&["--mode", "receiver"]);
    let to = rx.url("/ingest");
    let mut input = String::new();
    input.push_str(&json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"clientInfo": {"name": "it"}}}).to_string());
    input.push('\n');
    for id in 1..=3 {
        input.push_str(
            &json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "echo", "arguments": {"n": id}}})
                .to_string(),
        );
        input.push('\n');
    }
    let server = crate::context::fixture("servers/toy_server.py");
    let run = ctx.run_stdin(
        [
            "wrap",
            "--provider-id",
            "acme",
            "--forward",
            &to,
            "--forward-allow-http",
            "--",
            "python3",
            server.to_str().unwrap(),
        ],
        Some(input.as_bytes()),
    );
    run.code(0);
    let s = stats(&rx);
    assert_eq!(s["unique"], 3, "{s}");
    assert_eq!(s["duplicates"], 0);
    // Plain http needs the flag; the shim refuses to start rather than drop events silently.
    ctx.run_stdin(["wrap", "--forward", &to, "--", "cat"], Some(b""))
        .code(2)
        .one_line_wrap_error()
        .stderr_has("--forward-allow-http");
}

/// A token no HTTP header can carry is a bad flag, refused before any request: not a
/// delivery failure to retry. The same check covers the environment variable and the
/// token `wrap --forward` reads.
#[test]
fn a_token_no_header_can_carry_is_a_usage_error() {
    let ctx = TestContext::new();
    let rx = fixture_server(&["--mode", "receiver"]);
    let to = rx.url("/ingest");
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..3);
    let l = logs.to_str().unwrap();
    let secret = "s3cr3t";
    for token in [
        format!("{secret}\nx"),
        format!("{secret}\r\n"),
        format!("{secret} x"),
        format!("{secret}\u{7f}"),
        format!("{secret}\u{e9}"),
        String::new(),
    ] {
        let run = ctx.run(forward_args(
            l,
            &to,
            &["--attempts", "1", "--token", &token],
        ));
        run.code(2).one_line_error().stderr_has("--token");
        assert!(
            !run.stderr.contains("did not acknowledge"),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains(secret),
            "the token leaked: {}",
            run.stderr
        );
    }
    let mut cmd = ctx.command();
    cmd.args(forward_args(l, &to, &["--attempts", "1"]))
        .env("MCPBILL_FORWARD_TOKEN", "a\tb");
    run_command(cmd, None)
        .code(2)
        .one_line_error()
        .stderr_has("MCPBILL_FORWARD_TOKEN")
        .stderr_has("a tab at character 2");
    // wrap --forward refuses to start rather than retry a request that can never be made.
    let mut cmd = ctx.command();
    cmd.args([
        "wrap",
        "--forward",
        &to,
        "--forward-allow-http",
        "--",
        "cat",
    ])
    .env("MCPBILL_FORWARD_TOKEN", "a\nb");
    run_command(cmd, Some(b""))
        .code(2)
        .one_line_wrap_error()
        .stderr_has("MCPBILL_FORWARD_TOKEN")
        .stderr_has("a line break");
    assert_eq!(stats(&rx)["requests"], 0, "nothing may be sent");
    // A good token is sent.
    ctx.run(forward_args(l, &to, &["--token", "tok-123.ABC_~+/="]))
        .code(0);
    assert_eq!(stats(&rx)["unique"], 3);
}

#[test]
fn counts_of_zero_are_usage_errors() {
    let ctx = TestContext::new();
    for args in [
        &[
            "forward",
            "--to",
            "https://meter.example/api",
            "--attempts",
            "0",
        ][..],
        &[
            "forward",
            "--to",
            "https://meter.example/api",
            "--timeout",
            "0",
        ],
        &[
            "receipt",
            "verify",
            "--online",
            "--concurrency",
            "0",
            "r.json",
        ],
        &["receipt", "verify", "--online", "--timeout", "0", "r.json"],
    ] {
        // "0 is not in 1.." for counts, "timeout '0' is zero" for timeouts.
        ctx.run(args).code(2).stderr_has("invalid value '0'");
    }
}

/// One pass with no log yet (the platform's default directory, nothing logged on this
/// machine) ships nothing and starts no log; a directory that was named must exist.
#[test]
fn one_pass_without_a_log_ships_nothing_and_creates_nothing() {
    let ctx = TestContext::new();
    let mut cmd = ctx.command();
    cmd.env_remove("MCPBILL_LOG_DIR").args([
        "--json",
        "forward",
        "--to",
        "https://127.0.0.1:1/meter",
    ]);
    let run = crate::context::run_command(cmd, None);
    run.code(0);
    assert_eq!(run.json()["events"], 0);
    assert!(
        !ctx.join("xdg-data/mcpbill").exists(),
        "one pass must not start a log"
    );
    ctx.run(["forward", "--to", "https://127.0.0.1:1/meter"])
        .code(2)
        .one_line_error()
        .stderr_has("does not exist; check --log-dir or MCPBILL_LOG_DIR");
}

/// Large batches: an endpoint that answers a batch with over 1 MiB (echoing what it took)
/// has acknowledged it (a 2xx), and the id header, past what common servers take in one
/// line, is left out (the ids are in the body). The cursor is private, and records the
/// destination without the credentials its URL carried.
#[test]
fn large_batches_are_acknowledged_and_the_cursor_keeps_no_credentials() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..600);
    let rx = fixture_server(&["--mode", "receiver"]);
    let to = rx
        .url("/ingest-echo")
        .replace("http://", "http://user:s3cret@");
    let to = format!("{to}?key=s3cret");
    let l = logs.to_str().unwrap();
    let mut args = forward_args(l, &to, &["--attempts", "1"]);
    let at = args.iter().position(|a| *a == "--batch").unwrap();
    args[at + 1] = "300";
    ctx.run(&args)
        .code(0)
        .stdout_has("shipped 600 events in 2 batches");
    let s = stats(&rx);
    assert_eq!(s["unique"], 600);
    assert_eq!(s["duplicates"], 0);
    let cursor = std::fs::read_dir(&logs)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with(".cursor.json"))
        .unwrap()
        .path();
    let mode = std::fs::metadata(&cursor).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&cursor).unwrap();
    assert!(!text.contains("s3cret"), "{text}");
    assert!(text.contains("/ingest-echo"), "{text}");
}

/// A refusal names the likely fix: the token for 401/403, a smaller --batch for 431.
#[test]
fn refusals_name_the_fix() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..3);
    let rx = fixture_server(&["--mode", "good"]);
    let l = logs.to_str().unwrap();
    // The good server's disputes endpoint wants a token: 401.
    ctx.run(forward_args(l, &rx.url("/api/disputes"), &[]))
        .code(2)
        .one_line_error()
        .stderr_has("refused a batch with HTTP 401")
        .stderr_has("check --token (or MCPBILL_FORWARD_TOKEN)");
}

/// `--follow` on a log directory that is not there creates it and waits, but says so: a
/// mistyped --log-dir would otherwise wait in silence.
#[test]
fn follow_on_a_missing_log_directory_says_so() {
    let ctx = TestContext::new();
    let mut cmd = ctx.command();
    cmd.args([
        "forward",
        "--log-dir",
        "typo",
        "--to",
        "http://127.0.0.1:9/m",
        "--allow-http",
        "--follow",
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let child = cmd.spawn().unwrap();
    wait_for(Duration::from_secs(10), || {
        ctx.join("typo").is_dir().then_some(())
    });
    std::thread::sleep(Duration::from_millis(200));
    crate::context::signal(&child, Signal::SIGTERM);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: log directory 'typo' does not exist yet; it was created"),
        "{stderr}"
    );
}

/// https to a plain-http endpoint fails the same way every time: the first failure stops
/// the command (exit 2, cursor kept) with what to do, instead of retrying in silence.
#[test]
fn tls_to_a_plain_http_endpoint_stops_at_once_with_the_fix() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..3);
    let rx = fixture_server(&["--mode", "receiver"]);
    let to = format!("https://{}/ingest", rx.addr);
    ctx.run([
        "forward",
        "--log-dir",
        logs.to_str().unwrap(),
        "--to",
        &to,
        "--follow",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("is it plain http? then use an http:// URL with --allow-http")
    .stderr_has("nothing was shipped and the cursor was kept");
}

/// The same endpoint spelled another way has its own cursor and gets every event again:
/// a destination without a cursor, beside others, is said on stderr.
#[test]
fn a_new_spelling_of_a_destination_is_pointed_out() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..3);
    let rx = fixture_server(&["--mode", "receiver"]);
    let l = logs.to_str().unwrap();
    let first = rx.url("/ingest");
    let run = ctx.run(forward_args(l, &first, &[]));
    run.code(0);
    assert!(!run.stderr.contains("no cursor"), "{}", run.stderr);
    let again = ctx.run(forward_args(l, &first, &[]));
    assert!(!again.stderr.contains("no cursor"), "{}", again.stderr);
    let other = format!("http://localhost:{}/ingest", rx.port());
    ctx.run(forward_args(l, &other, &[]))
        .code(0)
        .stderr_has(&format!(
            "warning: {other} has no cursor yet, so every event of the log is sent to it; the log already goes to {first}"
        ));
}

/// A cursor that cannot be saved (a full disk; a file size limit here) does not stop the
/// shipping: every batch is sent, the failure is said once, and the run ends in exit 2
/// saying the events went but the cursor did not.
#[test]
fn a_cursor_that_cannot_be_saved_does_not_stop_the_shipping() {
    let ctx = TestContext::new();
    let logs = ctx.join("logs");
    append_events(&logs, "events-2026-11.jsonl", 0..10);
    let rx = fixture_server(&["--mode", "receiver"]);
    let to = rx.url("/ingest");
    let args = forward_args(logs.to_str().unwrap(), &to, &[]);
    let run = crate::context::with_file_limit(&ctx, 0, &args);
    run.code(2)
        .stderr_has("shipping goes on, the cursor kept in memory and saved once it can be")
        .stderr_has("every event was sent, but the cursor could not be saved");
    assert_eq!(
        run.stderr.matches("shipping goes on").count(),
        1,
        "said once: {}",
        run.stderr
    );
    assert_eq!(stats(&rx)["unique"], 10);
    // Without the limit the next run saves it (the endpoint takes the repeats once).
    ctx.run(forward_args(logs.to_str().unwrap(), &to, &[]))
        .code(0);
    ctx.run(forward_args(logs.to_str().unwrap(), &to, &[]))
        .code(0)
        .stdout_has("shipped 0 events");
    assert_eq!(stats(&rx)["unique"], 10);
}
