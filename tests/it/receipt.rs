//! `mcpbill receipt sign|verify|inspect`, against golden vectors made by an independent
//! Python implementation (`tests/fixtures/receipts/make_vectors.py`).

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::context::{Run, TestContext, fixture};

/// Arguments, stdin, and a text the error must contain.
type Case<'a> = (Vec<&'a str>, Option<&'a [u8]>, &'a str);

/// `receipt sign PATH` with a key file.
fn file(path: &str) -> Vec<&str> {
    vec!["receipt", "sign", path, "--key-file", "k.key"]
}

/// `receipt sign` with a valid set of flags, changed by `changes`: a flag given a value
/// replaces that flag's value or is added before `--key-file`; a flag given `None` is left out.
fn flags<'a>(changes: &[(&'a str, Option<&'a str>)]) -> Vec<&'a str> {
    let mut set: Vec<(&str, &str)> = vec![
        ("--tool-id", "t"),
        ("--agent-id", "a"),
        ("--provider-id", "p"),
        ("--cost", "1"),
    ];
    let mut key = Some("k.key");
    for &(flag, value) in changes {
        if flag == "--key-file" {
            key = value;
        } else if let Some(slot) = set.iter_mut().position(|(f, _)| *f == flag) {
            match value {
                Some(v) => set[slot].1 = v,
                None => {
                    set.remove(slot);
                }
            }
        } else if let Some(v) = value {
            set.push((flag, v));
        }
    }
    let mut args = vec!["receipt", "sign"];
    for (flag, value) in set {
        args.extend([flag, value]);
    }
    if let Some(k) = key {
        args.extend(["--key-file", k]);
    }
    args
}

fn vectors(rel: &str) -> PathBuf {
    fixture("receipts").join(rel)
}

fn manifest() -> Value {
    serde_json::from_str(&std::fs::read_to_string(vectors("expected.json")).unwrap()).unwrap()
}

fn acme_key() -> String {
    vectors("keys/acme.key").to_string_lossy().into_owned()
}

/// `--json receipt verify FILE --key-file <acme's key>`.
fn verify_json(ctx: &TestContext, file: &str) -> Run {
    ctx.run([
        "--json",
        "receipt",
        "verify",
        file,
        "--key-file",
        &acme_key(),
    ])
}

fn key_text(name: &str) -> String {
    std::fs::read_to_string(vectors(&format!("keys/{name}")))
        .unwrap()
        .trim_end()
        .to_owned()
}

/// Neither stdout nor stderr holds a key.
#[track_caller]
fn no_key_leak(run: &crate::context::Run) {
    for key in [
        key_text("acme.key"),
        key_text("beta.key"),
        "s3cr3t-env-key".to_owned(),
    ] {
        assert!(!run.stdout.contains(&key), "key on stdout:\n{}", run.stdout);
        assert!(!run.stderr.contains(&key), "key on stderr:\n{}", run.stderr);
    }
}

#[test]
fn every_golden_vector_gets_its_verdict() {
    let ctx = TestContext::new();
    let m = manifest();
    let mut checked = 0;
    for (rel, expect) in m.as_object().unwrap() {
        if !rel.ends_with(".json") {
            continue;
        }
        let path = vectors(rel);
        let run = ctx.run([
            "--json".as_ref(),
            "receipt".as_ref(),
            "verify".as_ref(),
            path.as_os_str(),
            "--key-file".as_ref(),
            acme_key().as_ref(),
        ]);
        let valid = expect["valid"].as_bool().unwrap();
        run.code(i32::from(!valid));
        no_key_leak(&run);
        let lines = run.json_lines();
        assert_eq!(lines.len(), 1, "{rel}: {}", run.stdout);
        assert_eq!(lines[0]["valid"], expect["valid"], "{rel}: {}", run.stdout);
        assert_eq!(
            lines[0]["reason"], expect["reason"],
            "{rel}: {}",
            run.stdout
        );
        if !valid {
            assert!(
                lines[0]["detail"].as_str().is_some_and(|d| !d.is_empty()),
                "{rel}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 37, "only {checked} vectors");
}

#[test]
fn human_verdicts_name_the_reason() {
    let ctx = TestContext::new();
    let k = acme_key();
    let run = ctx.run([
        "receipt",
        "verify",
        vectors("tampered/cost_microcents.json").to_str().unwrap(),
        "--key-file",
        &k,
    ]);
    run.code(1)
        .stdout_has("INVALID")
        .stdout_has("[bad_signature]")
        .stderr_has("1 receipt: 0 valid, 1 invalid");
    let run = ctx.run([
        "receipt",
        "verify",
        vectors("valid/full.json").to_str().unwrap(),
        "--key-file",
        &k,
    ]);
    run.code(0)
        .stdout_has("valid    rcpt_5f2a9c1e7b3d4a6f8e0c2b19");
    // An ambiguous field is escaped on the terminal, never printed raw.
    let run = ctx.run([
        "receipt",
        "verify",
        vectors("ambiguous/newline_in_agent_id.json")
            .to_str()
            .unwrap(),
        "--key-file",
        &k,
    ]);
    run.code(1)
        .stdout_has("[ambiguous_field]")
        .stdout_has("agent_id");
}

#[test]
fn json_lines_with_blank_lines_garbage_and_a_torn_last_line() {
    let ctx = TestContext::new();
    let m = manifest();
    let run = verify_json(&ctx, vectors("lines/mixed.jsonl").to_str().unwrap());
    run.code(1)
        .stderr_has("6 receipts: 3 valid, 3 invalid (2 not JSON); 2 blank lines skipped");
    assert!(!run.stderr.contains("panicked"));
    let got = run.json_lines();
    let expect = m["lines/mixed.jsonl"]["lines"].as_array().unwrap();
    assert_eq!(got.len(), expect.len(), "{}", run.stdout);
    for (g, e) in got.iter().zip(expect) {
        assert_eq!(g["line"], e["line"], "{g}");
        assert_eq!(g["valid"], e["valid"], "{g}");
        assert_eq!(g["reason"], e["reason"], "{g}");
        assert!(g["file"].as_str().unwrap().ends_with("mixed.jsonl"));
    }
}

#[test]
fn keyring_verifies_two_providers() {
    let ctx = TestContext::new();
    let m = manifest();
    let run = ctx.run([
        "--json",
        "receipt",
        "verify",
        vectors("lines/two_providers.jsonl").to_str().unwrap(),
        "--keyring",
        vectors("keyring.toml").to_str().unwrap(),
    ]);
    run.code(1);
    no_key_leak(&run);
    let got = run.json_lines();
    let expect = m["lines/two_providers.jsonl"]["lines"].as_array().unwrap();
    assert_eq!(got.len(), expect.len());
    for (g, e) in got.iter().zip(expect) {
        assert_eq!(
            (&g["line"], &g["valid"], &g["reason"]),
            (&e["line"], &e["valid"], &e["reason"]),
            "{g}"
        );
    }
    // A keyring written elsewhere resolves relative key paths against its own directory.
    std::fs::create_dir_all(ctx.join("ring/k")).unwrap();
    std::fs::copy(vectors("keys/acme.key"), ctx.join("ring/k/a.key")).unwrap();
    ctx.write("ring/keyring.toml", "acme = \"k/a.key\"\n");
    ctx.run([
        "receipt",
        "verify",
        vectors("valid/full.json").to_str().unwrap(),
        "--keyring",
        "ring/keyring.toml",
    ])
    .code(0);
    // Only beta in the ring: acme's receipt is unknown_provider.
    ctx.write(
        "ring/beta.toml",
        format!("beta = {:?}\n", vectors("keys/beta.key").to_str().unwrap()),
    );
    let run = ctx.run([
        "--json",
        "receipt",
        "verify",
        vectors("valid/full.json").to_str().unwrap(),
        "--keyring",
        "ring/beta.toml",
    ]);
    run.code(1);
    assert_eq!(run.json_lines()[0]["reason"], "unknown_provider");
}

#[test]
fn keyring_errors_are_one_line() {
    let ctx = TestContext::new();
    let r = vectors("valid/full.json");
    let r = r.to_str().unwrap();
    let fails_naming = |keyring: &str, needle: &str| {
        ctx.run(["receipt", "verify", r, "--keyring", keyring])
            .code(2)
            .one_line_error()
            .stderr_has(needle);
    };
    fails_naming("nope.toml", "nope.toml");
    ctx.write("bad.toml", "acme = 5\n");
    fails_naming("bad.toml", "provider 'acme'");
    ctx.write("missing.toml", "acme = \"no-such.key\"\n");
    fails_naming("missing.toml", "no-such.key");
    ctx.write("empty.toml", "# nothing\n");
    fails_naming("empty.toml", "names no providers");
    ctx.write("garbage.toml", "acme = \n");
    fails_naming("garbage.toml", "not valid TOML");
    // A parse error spanning several lines still reads as one line, without escaped newlines.
    ctx.write("header.toml", "[1,2]\n");
    let run = ctx.run(["receipt", "verify", r, "--keyring", "header.toml"]);
    run.code(2).one_line_error().stderr_has("not valid TOML");
    assert!(
        !run.stderr.contains("\\n"),
        "escaped newline in {:?}",
        run.stderr
    );
    ctx.write("latin1.toml", b"acme = \"\xe9.key\"\n");
    fails_naming("latin1.toml", "not UTF-8");
}

#[test]
fn sign_then_verify_round_trips() {
    let ctx = TestContext::new();
    ctx.write("k.key", "round-trip-key\n");
    let run = ctx.run([
        "receipt",
        "sign",
        "--tool-id",
        "search",
        "--agent-id",
        "a1",
        "--provider-id",
        "acme",
        "--cost",
        "$0.05",
        "--status",
        "error",
        "--duration-ms",
        "12",
        "--key-file",
        "k.key",
        "--verify-url-base",
        "https://acme.example/r/",
    ]);
    run.code(0);
    let receipt = run.json();
    assert_eq!(receipt["cost_microcents"], 50000);
    assert_eq!(receipt["status"], "error");
    assert_eq!(receipt["duration_ms"], 12);
    let id = receipt["receipt_id"].as_str().unwrap();
    assert_eq!(id.len(), "rcpt_".len() + 24);
    assert_eq!(
        receipt["verify_url"],
        format!("https://acme.example/r/{id}")
    );
    let sig = receipt["signature"].as_str().unwrap();
    assert!(
        sig.len() == 64
            && sig
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    ctx.write("r.json", &run.stdout);
    ctx.run(["receipt", "verify", "r.json", "--key-file", "k.key"])
        .code(0);
    // Another key: bad signature.
    ctx.write("other.key", "other\n");
    ctx.run(["receipt", "verify", "r.json", "--key-file", "other.key"])
        .code(1)
        .stdout_has("bad_signature");
    // --json prints one compact line, ready to append to a JSON Lines file.
    let run = ctx.run([
        "--json",
        "receipt",
        "sign",
        "--tool-id",
        "t",
        "--agent-id",
        "a",
        "--provider-id",
        "p",
        "--cost",
        "7microcents",
        "--key-file",
        "k.key",
    ]);
    run.code(0);
    assert_eq!(run.stdout.lines().count(), 1);
    assert_eq!(run.json()["cost_microcents"], 7);
}

#[test]
fn sign_from_an_event_matches_the_python_signer() {
    let ctx = TestContext::new();
    let m = manifest();
    let run = ctx.run([
        "receipt",
        "sign",
        vectors("event.json").to_str().unwrap(),
        "--receipt-id",
        "rcpt_5f2a9c1e7b3d4a6f8e0c2b19",
        "--input",
        vectors("content/args.json").to_str().unwrap(),
        "--output",
        vectors("content/result.json").to_str().unwrap(),
        "--key-file",
        &acme_key(),
    ]);
    run.code(0);
    no_key_leak(&run);
    let r = run.json();
    // tool_name stands in for the missing tool_id; the signature is the Python one.
    assert_eq!(r["tool_id"], "search");
    assert_eq!(r["signature"], m["event_signature"]);
    assert_eq!(r["input_hash"], m["content"]["input_hash"]);
    assert_eq!(r["output_hash"], m["content"]["output_hash"]);
    assert_eq!(r["duration_ms"], 234);
    assert!(r.get("verify_url").is_none());

    // The same event on stdin, with overrides.
    let event = std::fs::read(vectors("event.json")).unwrap();
    let run = ctx.run_stdin(
        [
            "receipt",
            "sign",
            "-",
            "--cost",
            "0.10",
            "--tool-id",
            "search-v2",
            "--key-file",
            &acme_key(),
        ],
        Some(&event),
    );
    run.code(0);
    let r = run.json();
    assert_eq!(r["cost_microcents"], 100_000);
    assert_eq!(r["tool_id"], "search-v2");
    assert_eq!(r["agent_id"], "agent-7");
    ctx.write("r.json", &run.stdout);
    ctx.run(["receipt", "verify", "r.json", "--key-file", &acme_key()])
        .code(0);
}

#[test]
fn sign_refuses_ambiguous_fields() {
    let ctx = TestContext::new();
    ctx.write("k.key", "k\n");
    ctx.run([
        "receipt",
        "sign",
        "--tool-id",
        "a|b",
        "--agent-id",
        "a",
        "--provider-id",
        "p",
        "--cost",
        "1",
        "--key-file",
        "k.key",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("tool_id")
    .stderr_has("ambiguous");
    let mut event: Value =
        serde_json::from_slice(&std::fs::read(vectors("event.json")).unwrap()).unwrap();
    event["agent_id"] = "agent\n7".into();
    ctx.write("e.json", event.to_string());
    ctx.run(["receipt", "sign", "e.json", "--key-file", "k.key"])
        .code(2)
        .one_line_error()
        .stderr_has("agent_id")
        .stderr_has("line break");
}

#[test]
fn sign_bad_inputs_exit_2_with_one_line() {
    let ctx = TestContext::new();
    ctx.write("k.key", "k\n");
    let ev: Value = serde_json::from_slice(&std::fs::read(vectors("event.json")).unwrap()).unwrap();
    let with = |field: &str, v: Value| {
        let mut e = ev.clone();
        e[field] = v;
        e.to_string()
    };
    ctx.write("bad.json", "{not json");
    ctx.write("cost_string.json", with("cost_microcents", "5".into()));
    ctx.write("status.json", with("status", "ok".into()));
    ctx.write(
        "receipt_id.json",
        with("metadata", serde_json::json!({"receipt_id": "bogus"})),
    );
    let cases: Vec<Case> = vec![
        (file("nope.json"), None, "nope.json"),
        (file("bad.json"), None, "not valid JSON"),
        (file("cost_string.json"), None, "'cost_microcents'"),
        (file("status.json"), None, "'status'"),
        (
            file("receipt_id.json"),
            None,
            "metadata.receipt_id is the string \"bogus\"",
        ),
        (file("-"), Some(b""), "empty"),
        (file("-"), Some(b"[1,2]"), "object"),
        (flags(&[("--key-file", None)]), None, "--key-file"),
        (flags(&[("--cost", None)]), None, "--cost"),
        (flags(&[("--tool-id", None)]), None, "--tool-id"),
        (flags(&[("--cost", Some("$0.0000001"))]), None, "--cost"),
        // A wrong path to an endless file fails at a bound instead of filling memory.
        (
            flags(&[("--key-file", Some("/dev/zero"))]),
            None,
            "holds more than 1 MiB",
        ),
        (file("/dev/zero"), None, "holds more than 64 MiB"),
        // A leading minus is read as the amount, not as a flag.
        (flags(&[("--cost", Some("-$1"))]), None, "'-$1' is negative"),
        (flags(&[("--status", Some("ok"))]), None, "--status"),
        (
            flags(&[("--timestamp", Some("2026-11-22T10:00:00"))]),
            None,
            "--timestamp",
        ),
        (
            flags(&[("--receipt-id", Some("rcpt_123"))]),
            None,
            "--receipt-id",
        ),
        (flags(&[("--tool-id", Some(""))]), None, "--tool-id"),
        (
            flags(&[("--input", Some("bad.json"))]),
            None,
            "not valid JSON",
        ),
        (
            flags(&[("--key-file", Some("nokey.key"))]),
            None,
            "nokey.key",
        ),
    ];
    for (args, stdin, needle) in cases {
        let run = ctx.run_stdin(&args, stdin);
        run.code(2).one_line_error().stderr_has(needle);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn verify_bad_inputs_exit_2_with_one_line() {
    let ctx = TestContext::new();
    let valid = vectors("valid/full.json");
    let valid = valid.to_str().unwrap();
    ctx.run(["receipt", "verify", "nope.jsonl", "--key-file", &acme_key()])
        .code(2)
        .one_line_error()
        .stderr_has("nope.jsonl");
    // A missing file among good ones: nothing is verified.
    let run = ctx.run([
        "receipt",
        "verify",
        valid,
        "nope.jsonl",
        "--key-file",
        &acme_key(),
    ]);
    run.code(2).one_line_error();
    assert!(run.stdout.is_empty());
    ctx.run(["receipt", "verify", valid])
        .code(2)
        .one_line_error()
        .stderr_has("--key-file");
    ctx.run_stdin(["receipt", "verify", "--key-file", &acme_key()], Some(b""))
        .code(2)
        .one_line_error()
        .stderr_has("no receipts");
    ctx.run_stdin(
        ["receipt", "verify", "-", "--key-file", &acme_key()],
        Some(b"\n\n  \n"),
    )
    .code(2)
    .one_line_error()
    .stderr_has("no receipts");
    ctx.write("empty.key", "\n");
    ctx.run(["receipt", "verify", valid, "--key-file", "empty.key"])
        .code(2)
        .one_line_error()
        .stderr_has("empty");
    ctx.run(["receipt", "verify", ".", "--key-file", &acme_key()])
        .code(2)
        .one_line_error()
        .stderr_has("directory");
}

#[test]
fn verify_reads_stdin_and_env_keys() {
    let ctx = TestContext::new();
    let lines = std::fs::read(vectors("lines/two_providers.jsonl")).unwrap();
    let first_two: Vec<u8> = lines
        .split(|b| *b == b'\n')
        .take(1)
        .flat_map(|l| l.iter().copied().chain([b'\n']))
        .collect();
    let run = ctx.run_stdin(
        [
            "--json",
            "receipt",
            "verify",
            "-",
            "--key-file",
            &acme_key(),
        ],
        Some(&first_two),
    );
    run.code(0);
    assert_eq!(run.json_lines()[0]["file"], "<stdin>");
    // MCPBILL_KEY_FILE and MCPBILL_KEY.
    let mut cmd = ctx.command();
    cmd.args([
        "receipt",
        "verify",
        vectors("valid/full.json").to_str().unwrap(),
    ]);
    cmd.env("MCPBILL_KEY_FILE", acme_key());
    crate::context::run_command(cmd, None).code(0);
    let mut cmd = ctx.command();
    cmd.args([
        "receipt",
        "verify",
        vectors("valid/full.json").to_str().unwrap(),
    ]);
    cmd.env("MCPBILL_KEY", key_text("acme.key"));
    let run = crate::context::run_command(cmd, None);
    run.code(0);
    no_key_leak(&run);
    let mut cmd = ctx.command();
    cmd.args([
        "receipt",
        "verify",
        vectors("valid/full.json").to_str().unwrap(),
    ]);
    cmd.env("MCPBILL_KEY", "s3cr3t-env-key");
    let run = crate::context::run_command(cmd, None);
    run.code(1)
        .stderr_has("the bad signature was checked with the key from MCPBILL_KEY; is that the key that signed it?");
    no_key_leak(&run);
}

/// A stale variable wins over the one meant (clap fills --key-file from MCPBILL_KEY_FILE,
/// which beats MCPBILL_KEY): bad signatures name the key used and what it shadowed, and
/// -v names it every time. The key itself is never shown.
#[test]
fn bad_signatures_name_the_key_source() {
    let ctx = TestContext::new();
    ctx.write("other.key", "a-different-secret\n");
    let receipt = vectors("valid/full.json");
    let receipt = receipt.to_str().unwrap();
    let verify = |flags: &[&str], envs: &[(&str, String)]| {
        let mut cmd = ctx.command();
        cmd.args(flags).args(["receipt", "verify", receipt]);
        cmd.envs(envs.iter().map(|(k, v)| (k, v)));
        crate::context::run_command(cmd, None)
    };
    let stale = (
        "MCPBILL_KEY_FILE",
        ctx.join("other.key").display().to_string(),
    );
    let meant = ("MCPBILL_KEY", key_text("acme.key"));
    let run = verify(&[], &[stale.clone(), meant.clone()]);
    run.code(1).stderr_has(&format!(
        "checked with the key from MCPBILL_KEY_FILE ('{}') (MCPBILL_KEY is set too, and not used)",
        stale.1
    ));
    no_key_leak(&run);
    // A key file named by the variable that cannot be read says where the path came from.
    let run = verify(&[], &[("MCPBILL_KEY_FILE", "nope.key".to_owned())]);
    run.code(2)
        .one_line_error()
        .stderr_has("MCPBILL_KEY_FILE is set to 'nope.key' (unset it, or fix the path): cannot read key file 'nope.key'");
    // The flag beats both; -v says so though the receipt is valid.
    let mut cmd = ctx.command();
    cmd.args([
        "-v",
        "receipt",
        "verify",
        receipt,
        "--key-file",
        &acme_key(),
    ]);
    cmd.envs([stale.clone(), meant.clone()]);
    let run = crate::context::run_command(cmd, None);
    run.code(0).stderr_has(&format!(
        "key: --key-file '{}' (MCPBILL_KEY_FILE and MCPBILL_KEY are set too, and not used)",
        acme_key()
    ));
    no_key_leak(&run);
    // wrap -v names the key its receipts are signed with; a --key-file among the server's
    // arguments (written without `--`) is the server's, not where the key came from.
    let mut cmd = ctx.command();
    cmd.args(["-v", "wrap", "--provider-id", "p", "true", "--key-file=k"]);
    cmd.envs([stale.clone(), meant.clone()]);
    let run = crate::context::run_command(cmd, None);
    run.code(0).stderr_has(&format!(
        "mcpbill: receipts are signed with the key from MCPBILL_KEY_FILE ('{}') (MCPBILL_KEY is set too, and not used)",
        stale.1
    ));
    no_key_leak(&run);
    // So does dispute file -v, for the evidence's signature verdict.
    let mut cmd = ctx.command();
    cmd.args([
        "-v",
        "dispute",
        "file",
        "--receipt",
        receipt,
        "--reason",
        "quality",
        "--description",
        "slow",
    ]);
    cmd.envs([meant.clone()]);
    let run = crate::context::run_command(cmd, None);
    run.code(0)
        .stderr_has("the receipt's signature is checked with the key from MCPBILL_KEY");
    no_key_leak(&run);
    // Without -v a valid run says nothing of it.
    let run = verify(&[], &[meant]);
    run.code(0);
    assert!(!run.stderr.contains("key"), "{}", run.stderr);
}

#[test]
fn format_spec_prints_the_verification_response() {
    let ctx = TestContext::new();
    let run = ctx.run([
        "--json",
        "receipt",
        "verify",
        "--format",
        "spec",
        vectors("lines/mixed.jsonl").to_str().unwrap(),
        "--key-file",
        &acme_key(),
    ]);
    run.code(1);
    let docs = run.json_lines();
    assert_eq!(docs.len(), 6);
    let first = &docs[0];
    assert_eq!(
        first["receipt"]["receipt_id"],
        "rcpt_5f2a9c1e7b3d4a6f8e0c2b19"
    );
    assert_eq!(first["verification"]["valid"], true);
    assert_eq!(first["verification"]["algorithm"], "HMAC-SHA256");
    let at = first["verification"]["verified_at"].as_str().unwrap();
    assert!(
        at.ends_with('Z') && at.len() == "2026-11-22T10:15:30.123Z".len(),
        "{at}"
    );
    assert_eq!(docs[2]["verification"]["valid"], false);
    assert_eq!(docs[2]["verification"]["reason"], "bad_signature");
    // The torn line has no receipt to echo.
    assert_eq!(docs[5]["receipt"], Value::Null);
    // Without --json: pretty documents, one per receipt.
    let run = ctx.run([
        "receipt",
        "verify",
        "--format",
        "spec",
        vectors("valid/full.json").to_str().unwrap(),
        "--key-file",
        &acme_key(),
    ]);
    run.code(0);
    let doc = run.json();
    assert_eq!(
        doc["receipt"]["verify_url"],
        "https://acme.example/api/receipts/rcpt_5f2a9c1e7b3d4a6f8e0c2b19"
    );
    assert_eq!(doc["verification"]["valid"], true);
}

#[test]
fn a_json_array_and_many_chunks_keep_input_order() {
    let ctx = TestContext::new();
    let good = std::fs::read_to_string(vectors("valid/minimal.json")).unwrap();
    let bad = std::fs::read_to_string(vectors("tampered/status.json")).unwrap();
    let bad: Value = serde_json::from_str(&bad).unwrap();
    let good_v: Value = serde_json::from_str(&good).unwrap();
    ctx.write(
        "arr.json",
        serde_json::to_string_pretty(&vec![good_v.clone(), bad.clone()]).unwrap(),
    );
    let run = verify_json(&ctx, "arr.json");
    run.code(1);
    let got = run.json_lines();
    assert_eq!(
        (got[0]["valid"].clone(), got[1]["valid"].clone()),
        (true.into(), false.into())
    );
    // The same array on one line (jq -c), and an empty one.
    ctx.write(
        "compact.json",
        serde_json::to_string(&vec![good_v.clone(), bad.clone()]).unwrap(),
    );
    let got = verify_json(&ctx, "compact.json").json_lines();
    assert_eq!(
        (got[0]["valid"].clone(), got[1]["valid"].clone()),
        (true.into(), false.into())
    );
    ctx.write("none.json", "[]\n");
    verify_json(&ctx, "none.json")
        .code(2)
        .stderr_has("no receipts");

    // About 12 MiB: several chunks over the worker pool; CRLF endings; invalid every 997th line.
    let bad_line = bad.to_string();
    let mut text = String::new();
    let n: usize = 30_000;
    for i in 1..=n {
        text.push_str(if i.is_multiple_of(997) {
            &bad_line
        } else {
            good.trim_end()
        });
        text.push_str("\r\n");
    }
    ctx.write("big.jsonl", &text);
    let run = verify_json(&ctx, "big.jsonl");
    run.code(1);
    let got = run.json_lines();
    assert_eq!(got.len(), n);
    for (i, g) in got.iter().enumerate() {
        let line = i as u64 + 1;
        assert_eq!(g["line"], line);
        assert_eq!(g["valid"], !line.is_multiple_of(997), "line {line}");
    }
    run.stderr_has(&format!(
        "{n} receipts: {} valid, {} invalid",
        n - n / 997,
        n / 997
    ));
}

#[test]
fn an_overlong_line_is_reported_not_buffered() {
    let ctx = TestContext::new();
    let good = std::fs::read_to_string(vectors("valid/minimal.json")).unwrap();
    let mut text = String::new();
    text.push_str(&good);
    text.push_str(&"x".repeat(5 << 20));
    text.push('\n');
    text.push_str(&good);
    ctx.write("long.jsonl", &text);
    let run = verify_json(&ctx, "long.jsonl");
    run.code(1);
    let got = run.json_lines();
    assert_eq!(got.len(), 3);
    assert_eq!(got[1]["reason"], "not_json");
    assert_eq!(got[1]["line"], 2);
    assert!(got[1]["detail"].as_str().unwrap().contains("longer than"));
    assert_eq!(got[2]["line"], 3);
    assert_eq!(got[2]["valid"], true);
}

#[test]
fn inspect_shows_canonical_string_and_signed_fields() {
    let ctx = TestContext::new();
    let run = ctx.run([
        "receipt",
        "inspect",
        vectors("valid/unsigned_fields_changed.json")
            .to_str()
            .unwrap(),
    ]);
    run.code(0)
        .stdout_has("rcpt_5f2a9c1e7b3d4a6f8e0c2b19|search|agent-7|acme|2026-11-22T10:15:30.123Z|50000|success")
        .stdout_has("signed fields:    receipt_id, tool_id, agent_id, provider_id, timestamp, cost_microcents, status")
        .stdout_has("not signed:       duration_ms, input_hash, output_hash, verify_url, x_vendor_note");
    let run = ctx.run([
        "--json",
        "receipt",
        "inspect",
        vectors("ambiguous/newline_in_agent_id.json")
            .to_str()
            .unwrap(),
    ]);
    run.code(0);
    let doc = run.json();
    assert_eq!(
        doc["canonical_string"],
        "rcpt_5f2a9c1e7b3d4a6f8e0c2b19|search|agent\n7|acme|2026-11-22T10:15:30.123Z|50000|success"
    );
    assert!(doc["ambiguous"].as_str().unwrap().contains("agent_id"));
    assert_eq!(doc["signed_fields"].as_array().unwrap().len(), 7);
    assert_eq!(doc["receipt"]["agent_id"], "agent\n7");
    // Human output escapes the line break.
    let run = ctx.run([
        "receipt",
        "inspect",
        vectors("ambiguous/newline_in_agent_id.json")
            .to_str()
            .unwrap(),
    ]);
    run.code(0).stdout_has("agent\\n7").stdout_has("ambiguous:");
    // stdin
    let bytes = std::fs::read(vectors("valid/minimal.json")).unwrap();
    ctx.run_stdin(["--json", "receipt", "inspect", "-"], Some(&bytes))
        .code(0);
}

#[test]
fn inspect_bad_inputs_exit_2_with_one_line() {
    let ctx = TestContext::new();
    ctx.write("bad.json", "{\"receipt_id\": ");
    ctx.run(["receipt", "inspect", "nope.json"])
        .code(2)
        .one_line_error()
        .stderr_has("nope.json");
    ctx.run(["receipt", "inspect", "bad.json"])
        .code(2)
        .one_line_error()
        .stderr_has("not valid JSON");
    ctx.run([
        "receipt",
        "inspect",
        vectors("malformed/cost_float.json").to_str().unwrap(),
    ])
    .code(2)
    .one_line_error()
    .stderr_has("'cost_microcents'");
    ctx.run([
        "receipt",
        "inspect",
        vectors("malformed/unknown_status.json").to_str().unwrap(),
    ])
    .code(2)
    .one_line_error()
    .stderr_has("'status'");
    ctx.run_stdin(["receipt", "inspect", "-"], Some(b""))
        .code(2)
        .one_line_error()
        .stderr_has("empty");
}

/// A receipts log given to inspect: one receipt is picked with --id, from a file or
/// stdin, line by line; without it the error says how (and gives the first id).
#[test]
fn inspect_picks_a_receipt_from_a_log_by_id() {
    let ctx = TestContext::new();
    let lines = std::fs::read_to_string(vectors("lines/two_providers.jsonl")).unwrap();
    let receipts: Vec<Value> = lines
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(receipts.len() > 1);
    let log = format!("\n{lines}");
    ctx.write("receipts.jsonl", &log);
    let run = ctx.run(["receipt", "inspect", "receipts.jsonl"]);
    let first = receipts[0]["receipt_id"].as_str().unwrap();
    run.code(2).one_line_error().stderr_has(&format!(
        "holds {} lines of receipts (JSON Lines) and inspect shows one; pick it with --id (the first is --id {first})",
        lines.lines().filter(|l| !l.trim().is_empty()).count()
    ));
    let last = receipts.last().unwrap();
    let id = last["receipt_id"].as_str().unwrap();
    let doc = ctx
        .run(["--json", "receipt", "inspect", "receipts.jsonl", "--id", id])
        .code(0)
        .json();
    assert_eq!(&doc["receipt"], last);
    let doc = ctx
        .run_stdin(
            ["--json", "receipt", "inspect", "-", "--id", id],
            Some(log.as_bytes()),
        )
        .code(0)
        .json();
    assert_eq!(&doc["receipt"], last);
    // A record not found is a negative verdict (exit 1), as for `dispute show`.
    let run = ctx.run(["receipt", "inspect", "receipts.jsonl", "--id", "rcpt_00"]);
    run.code(1)
        .one_line_error()
        .stderr_has("no receipt rcpt_00 in receipts.jsonl");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    // With --json, stdout says so as `dispute show` does.
    let run = ctx.run([
        "--json",
        "receipt",
        "inspect",
        "receipts.jsonl",
        "--id",
        "rcpt_00",
    ]);
    assert_eq!(
        run.code(1).json(),
        json!({"receipt_id": "rcpt_00", "found": false})
    );
    // A file of meter events is named as one.
    ctx.write(
        "events.jsonl",
        crate::logs::event(
            "acme",
            "t",
            "a",
            "2026-11-01T10:00:00Z",
            "success",
            1,
            1,
            Value::Null,
        ) + "\n",
    );
    ctx.run(["receipt", "inspect", "events.jsonl", "--id", id])
        .code(2)
        .one_line_error()
        .stderr_has("holds meter events, not receipts");
}

#[test]
fn receipt_without_subcommand_is_usage_error() {
    let ctx = TestContext::new();
    assert_eq!(ctx.run(["receipt"]).code, 2);
}

#[test]
fn a_torn_first_line_does_not_hide_the_rest() {
    let ctx = TestContext::new();
    let good = std::fs::read_to_string(vectors("valid/minimal.json")).unwrap();
    let text = format!("{{\"receipt_id\": \"rcpt_\n{good}\n{good}");
    ctx.write("torn.jsonl", &text);
    let run = verify_json(&ctx, "torn.jsonl");
    run.code(1)
        .stderr_has("3 receipts: 2 valid, 1 invalid (1 not JSON); 1 blank line skipped");
    let got = run.json_lines();
    assert_eq!(got[0]["reason"], "not_json");
    assert_eq!(
        (got[1]["line"].clone(), got[2]["line"].clone()),
        (2.into(), 4.into())
    );
    // A pretty document cut short: its lines are reported, nothing crashes, and since not
    // one of them is JSON nothing was judged: an input error (exit 2), not a verdict.
    let pretty = std::fs::read_to_string(vectors("valid/full.json")).unwrap();
    ctx.write("cut.json", &pretty[..pretty.len() / 2]);
    let run = verify_json(&ctx, "cut.json");
    run.code(2).one_line_error().stderr_has(
        "'cut.json' holds no receipt: none of its lines is JSON, nor is it one JSON document; a receipt is one JSON object per line or one JSON document ('mcpbill receipt inspect cut.json' shows where a document breaks)",
    );
    // Before any verdict, and whatever the other inputs hold.
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    ctx.write("good.json", &good);
    let key = acme_key();
    for args in [
        [
            "--json",
            "receipt",
            "verify",
            "good.json",
            "cut.json",
            "--key-file",
            &key,
        ],
        [
            "--json",
            "receipt",
            "verify",
            "cut.json",
            "good.json",
            "--key-file",
            &key,
        ],
    ] {
        let run = ctx.run(args);
        run.code(2).stderr_has("'cut.json' holds no receipt");
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    // A pipe named by path is read once, whole: small or over the 1 MiB looked at first,
    // with a changed receipt after that first part.
    let line = serde_json::to_string(&serde_json::from_str::<Value>(&good).unwrap()).unwrap();
    for n in [3usize, 5000] {
        let mut lines = vec![line.clone(); n];
        let mut changed: Value = serde_json::from_str(&line).unwrap();
        changed["cost_microcents"] = json!(1);
        lines[n - 1] = changed.to_string();
        ctx.write("many.jsonl", lines.join("\n") + "\n");
        let mut cmd = ctx.command_of("bash");
        cmd.arg("-c")
            .arg("exec \"$0\" receipt verify <(cat many.jsonl) --key-file \"$1\"")
            .arg(crate::context::bin())
            .arg(&key);
        crate::context::run_command(cmd, None)
            .code(1)
            .stderr_has(&format!("{n} receipts: {} valid, 1 invalid", n - 1));
    }
    let run = ctx.run_stdin(
        ["receipt", "verify", "--key-file", &key],
        Some(&pretty.as_bytes()[..pretty.len() / 2]),
    );
    run.code(2)
        .stderr_has("the input on stdin holds no receipt")
        .stderr_has("'mcpbill receipt inspect -'");
    // A line over 4 MiB is skipped unread and said to be too long, not "not JSON".
    let long = format!("{{\"x\":\"{}\"}}\n", "a".repeat(5 << 20));
    ctx.write("long.jsonl", &long);
    verify_json(&ctx, "long.jsonl").code(2).stderr_has(
        "no receipts in the input: its one line is longer than 4 MiB (a receipt is a few hundred bytes); is this a receipts file?",
    );
    ctx.write("long2.jsonl", format!("{long}garbage\n"));
    verify_json(&ctx, "long2.jsonl")
        .code(2)
        .stderr_has("1 of its 2 lines is longer than 4 MiB")
        .stderr_has("and the others are not JSON");
}

/// The README's `receipt sign` output verifies with the key it names, and its
/// `receipt inspect` example is the real output for that receipt.
#[test]
fn readme_receipt_examples_are_real() {
    let readme = std::fs::read_to_string(crate::context::repo_root().join("README.md")).unwrap();
    let section = &readme[readme.find("### `mcpbill receipt sign`").unwrap()..];
    let block = |after: &str| -> String {
        let start = section.find(after).unwrap() + after.len();
        let rest = &section[start..];
        let end = rest.find("```").unwrap();
        // A console block may hold several commands: stop at the next prompt.
        let end = rest[..end].find("\n$ ").map_or(end, |i| i + 1);
        rest[..end].to_owned()
    };
    let receipt = block("--verify-url-base https://acme.example/api/receipts\n");
    let ctx = TestContext::new();
    ctx.write("receipt.json", &receipt);
    ctx.run([
        "receipt",
        "verify",
        "receipt.json",
        "--key-file",
        &acme_key(),
    ])
    .code(0);
    let inspect = block("$ mcpbill receipt inspect receipt.json\n");
    let run = ctx.run(["receipt", "inspect", "receipt.json"]);
    run.code(0);
    assert_eq!(
        run.stdout, inspect,
        "README's inspect example differs from the real output"
    );
}

#[test]
fn a_repeated_field_is_refused_wherever_a_receipt_is_read() {
    let ctx = TestContext::new();
    ctx.write("k.key", "dup-key\n");
    let mut sign = vec!["--json"];
    sign.extend(flags(&[("--cost", Some("$0.05"))]));
    let signed = ctx.run(&sign);
    let line = signed.code(0).stdout.trim().to_owned();
    ctx.write("ok.json", &line);
    ctx.run(["receipt", "verify", "ok.json", "--key-file", "k.key"])
        .code(0);
    // A byte order mark from an editor is not part of the document.
    ctx.write("bom.json", format!("\u{feff}{line}"));
    ctx.run(["receipt", "verify", "bom.json", "--key-file", "k.key"])
        .code(0);
    ctx.run(["receipt", "inspect", "bom.json"]).code(0);
    let cost = "\"cost_microcents\":50000";
    assert!(line.contains(cost), "{line}");
    let cases = [
        // A reader keeping the first sees a cost of 1 in a receipt that verifies with the last.
        (
            "first.json",
            line.replace(cost, &format!("\"cost_microcents\":1,{cost}")),
        ),
        (
            "last.json",
            line.replace(cost, &format!("{cost},\"cost_microcents\":1")),
        ),
        // Unsigned fields too: the document means two things.
        (
            "note.json",
            line.replacen('{', "{\"note\":\"a\",\"note\":\"b\",", 1),
        ),
        // A pretty-printed document.
        (
            "pretty.json",
            line.replacen('{', "{\n", 1)
                .replace(cost, &format!("\"cost_microcents\":1,\n{cost}")),
        ),
    ];
    for (name, text) in &cases {
        ctx.write(name, text);
        ctx.run(["receipt", "verify", name, "--key-file", "k.key"])
            .code(1)
            .stdout_has("ambiguous_field")
            .stdout_has("appears more than once");
    }
    ctx.run(["receipt", "inspect", "first.json"])
        .code(2)
        .one_line_error()
        .stderr_has("'cost_microcents' appears more than once");
    ctx.write("in.json", r#"{"q":"a","q":"b"}"#);
    let mut args = flags(&[]);
    args.extend(["--input", "in.json"]);
    ctx.run(&args)
        .code(2)
        .one_line_error()
        .stderr_has("'q' appears more than once");
}

/// An environment variable set to the empty string counts as unset (a client config's
/// `"env"` may hold one), and `MCPBILL_NO_INPUT` takes the usual truthy values.
#[test]
fn empty_and_truthy_environment_values() {
    let ctx = TestContext::new();
    let verify = |env: &[(&str, String)]| {
        let mut cmd = ctx.command();
        cmd.args([
            "receipt",
            "verify",
            vectors("valid/full.json").to_str().unwrap(),
        ]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        crate::context::run_command(cmd, None)
    };
    verify(&[
        ("MCPBILL_KEY_FILE", String::new()),
        ("MCPBILL_KEY", key_text("acme.key")),
    ])
    .code(0);
    // Both empty: no key, said as such.
    verify(&[
        ("MCPBILL_KEY_FILE", String::new()),
        ("MCPBILL_KEY", String::new()),
    ])
    .code(2)
    .stderr_has("no HMAC key given");
    for v in ["1", "yes", "true", "on", "0", "false", ""] {
        verify(&[
            ("MCPBILL_KEY_FILE", acme_key()),
            ("MCPBILL_NO_INPUT", v.to_owned()),
        ])
        .code(0);
    }
}

/// One pretty-printed document past the whole-document bound is read as JSON Lines, and
/// stderr says why its lines are not JSON.
#[test]
fn an_oversized_document_is_explained() {
    let ctx = TestContext::new();
    let doc = json!([{"receipt_id": "rcpt_000000000000000000000001", "pad": "x".repeat(5 << 20)}]);
    ctx.write("big.json", serde_json::to_string_pretty(&doc).unwrap());
    ctx.run(["receipt", "verify", "big.json", "--key-file", &acme_key()])
        .code(2)
        .stderr_has("larger than 4 MiB, so it was read as JSON Lines");
}

/// A key file that is another kind of file, or a key with a stray space, is refused (exit 2)
/// by every command that takes a key, instead of signing or judging with a key no one has.
#[test]
fn key_files_of_another_kind_are_refused() {
    let ctx = TestContext::new();
    ctx.write(
        "pricing.toml",
        "provider_id = \"acme\"\n[tools.search]\npricing_model = \"free\"\n",
    );
    ctx.write("spaced.key", "the-secret \n");
    ctx.write("bom.key", "\u{feff}the-secret\n");
    ctx.write("plain.key", "the-secret\n");
    let sign = |key: &str| {
        ctx.run([
            "--json",
            "receipt",
            "sign",
            "--key-file",
            key,
            "--tool-id",
            "search",
            "--agent-id",
            "a",
            "--provider-id",
            "acme",
            "--cost",
            "$0.05",
            "--receipt-id",
            "rcpt_0123456789abcdef01234567",
            "--timestamp",
            "2026-12-01T00:00:00.000Z",
        ])
    };
    sign("pricing.toml")
        .code(2)
        .one_line_error()
        .stderr_has("key file 'pricing.toml'")
        .stderr_has("3 lines");
    sign("spaced.key")
        .code(2)
        .one_line_error()
        .stderr_has("whitespace");
    // A receipt given for the event: signing it again would drop its hashes.
    let receipt = sign("plain.key").stdout;
    ctx.write("receipt.json", &receipt);
    ctx.run(["receipt", "sign", "receipt.json", "--key-file", "plain.key"])
        .code(2)
        .one_line_error()
        .stderr_has("'receipt.json' is a receipt, not a meter event");
    std::fs::create_dir(ctx.join("keys")).unwrap();
    sign("keys")
        .code(2)
        .one_line_error()
        .stderr_has("key file 'keys' is a directory");
    // A byte order mark is not part of the key: the same signature as without it.
    assert_eq!(
        sign("bom.key").json()["signature"],
        sign("plain.key").json()["signature"]
    );
    ctx.run([
        "wrap",
        "--key-file",
        "pricing.toml",
        "--provider-id",
        "acme",
        "--",
        "cat",
    ])
    .code(2)
    .one_line_wrap_error()
    .stderr_has("3 lines");
}

/// Meter events read as receipts were one `missing_field receipt_id` verdict each and
/// exit 1: a file whose first record is a meter event is an input error (exit 2) naming
/// it, before any verdict, in `receipt verify` (files and stdin), `receipt inspect` and
/// `dispute file --receipt`.
#[test]
fn meter_events_given_as_receipts_are_refused() {
    let ctx = TestContext::new();
    let events: Vec<String> = (0..45)
        .map(|i| {
            crate::logs::event(
                "acme",
                "search",
                "agent-1",
                &format!("2026-11-01T10:00:{:02}Z", i % 60),
                "success",
                100,
                5000,
                Value::Null,
            )
        })
        .collect();
    ctx.write("events.jsonl", format!("\n{}\n", events.join("\n")));
    ctx.write("event.json", &events[0]);
    let valid = vectors("valid/full.json");
    let valid = valid.to_str().unwrap();
    let refused =
        "'events.jsonl' holds meter events, not receipts; pass the receipts-*.jsonl files";
    let key = acme_key();
    for args in [
        vec!["receipt", "verify", "events.jsonl"],
        vec!["receipt", "verify", valid, "events.jsonl"],
        vec!["--json", "receipt", "verify", "events.jsonl"],
    ] {
        let mut args = args;
        args.extend(["--key-file", &key]);
        let run = ctx.run(&args);
        run.code(2).one_line_error().stderr_has(refused);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    let stdin = std::fs::read(ctx.join("events.jsonl")).unwrap();
    ctx.run_stdin(
        ["receipt", "verify", "--key-file", &acme_key()],
        Some(&stdin),
    )
    .code(2)
    .one_line_error()
    .stderr_has("the input on stdin holds meter events, not receipts");
    // With no input and stdin a terminal, offline and online: an error, not a wait.
    for args in [
        vec!["receipt", "verify", "--key-file", &key],
        vec!["receipt", "verify", "--online"],
    ] {
        let run = crate::context::run_command(ctx.pty_command(&json!([]), &args), None);
        run.code(2)
            .stdout_has("no receipts given; pass receipt files");
    }
    // Online too, before any request: events as lines, as a JSON array, or on stdin.
    let array = format!("[{}]", events[..3].join(","));
    ctx.write("events.json", &array);
    for (args, input) in [
        (vec!["receipt", "verify", "--online", "events.jsonl"], None),
        (vec!["receipt", "verify", "--online", "events.json"], None),
        (vec!["receipt", "verify", "--online"], Some(&stdin[..])),
    ] {
        let run = ctx.run_stdin(&args, input);
        run.code(2)
            .one_line_error()
            .stderr_has("holds meter events, not receipts; pass the receipts-*.jsonl files");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    // Receipts from stdin are still read whole, the bytes looked at included.
    let receipts = std::fs::read(vectors("lines/two_providers.jsonl")).unwrap();
    let run = ctx.run_stdin(
        [
            "--json",
            "receipt",
            "verify",
            "--keyring",
            vectors("keyring.toml").to_str().unwrap(),
        ],
        Some(&receipts),
    );
    let lines = run.json_lines();
    assert_eq!(
        lines.len(),
        receipts
            .split(|&b| b == b'\n')
            .filter(|l| !l.trim_ascii().is_empty())
            .count()
    );
    for file in ["event.json", "events.jsonl"] {
        ctx.run(["receipt", "inspect", file])
            .code(2)
            .one_line_error()
            .stderr_has(&format!(
                "'{file}' holds a meter event, not a receipt; pass a receipt"
            ));
        ctx.run([
            "dispute",
            "file",
            "--receipt",
            file,
            "--reason",
            "overcharge",
            "--log-dir",
            "logs",
        ])
        .code(2)
        .one_line_error()
        .stderr_has(&format!("'{file}' holds a meter event, not a receipt"));
    }
}
