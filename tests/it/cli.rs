//! Behaviour every subcommand shares: the global flags, clap's own help and usage errors.

use crate::context::{TestContext, run_command};

const ESC: char = '\u{1b}';

#[test]
fn color_flag_applies_to_clap_help_and_usage_errors() {
    let ctx = TestContext::new();
    // NO_COLOR is set and stdout is a pipe: only the flag can turn colour on.
    let help = ctx.run(["--color", "always", "report", "--help"]);
    help.code(0);
    assert!(help.stdout.contains(ESC), "no colour:\n{}", help.stdout);
    let err = ctx.run(["--color=always", "nosuchcmd"]);
    err.code(2);
    assert!(err.stderr.contains(ESC), "no colour:\n{}", err.stderr);
    // On a terminal without NO_COLOR, clap would colour; --color never turns it off.
    for args in [
        &["--color", "never", "nosuchcmd"][..],
        &["report", "--help", "--color=never"],
    ] {
        let mut cmd = ctx.pty_command(&serde_json::json!([]), args);
        cmd.env_remove("NO_COLOR");
        let run = run_command(cmd, None);
        assert!(
            run.stdout.contains("report") || run.stdout.contains("nosuchcmd"),
            "{}",
            run.stdout
        );
        assert!(
            !run.stdout.contains(ESC),
            "{args:?} coloured:\n{:?}",
            run.stdout
        );
    }
    // ...and without the flag NO_COLOR is still honoured there.
    let cmd = ctx.pty_command(&serde_json::json!([]), &["nosuchcmd"]);
    let run = run_command(cmd, None);
    assert!(!run.stdout.contains(ESC), "coloured:\n{:?}", run.stdout);
}

#[test]
fn json_is_refused_where_the_output_cannot_be_json() {
    let ctx = TestContext::new();
    let cases: [&[&str]; 4] = [
        &["--json", "completions", "bash"],
        &["completions", "zsh", "--json"],
        &["--json", "serve", "--hash-key", "agent-1"],
        &["--json", "example-server"],
    ];
    for args in cases {
        let run = ctx.run(args);
        run.code(2).one_line_error().stderr_has("drop --json");
        assert!(run.stdout.is_empty(), "{args:?} printed:\n{}", run.stdout);
    }
    let run = ctx.run(["--json", "wrap", "--", "true"]);
    run.code(2).one_line_wrap_error().stderr_has("drop --json");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

/// A global flag given twice (an alias `mcpbill --json` plus an explicit `--json`) is
/// taken once, the last value winning, instead of "cannot be used multiple times".
#[test]
fn global_flags_may_be_repeated() {
    let ctx = TestContext::new();
    ctx.write("k.key", "secret\n");
    let run = ctx.run([
        "--json",
        "-q",
        "--json",
        "--color",
        "always",
        "receipt",
        "sign",
        "--key-file",
        "k.key",
        "--tool-id",
        "t",
        "--agent-id",
        "a",
        "--provider-id",
        "p",
        "--cost",
        "$0.01",
        "--color",
        "never",
        "-q",
    ]);
    let doc = run.code(0).json();
    assert_eq!(doc["tool_id"], "t", "{doc}");
    ctx.run([
        "-v",
        "-v",
        "--no-input",
        "--no-input",
        "pricing",
        "show",
        "nowhere.toml",
    ])
    .code(2)
    .stderr_has("nowhere.toml");
}

#[test]
fn version_is_a_top_level_flag_only() {
    let ctx = TestContext::new();
    ctx.run(["-V"]).code(0).stdout_has("mcpbill 0.1.0");
    ctx.run(["--version"]).code(0).stdout_has("mcpbill 0.1.0");
    for args in [&["receipt", "verify", "-V"][..], &["report", "--version"]] {
        let run = ctx.run(args);
        run.code(2).stderr_has("unexpected argument");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
}

/// The exit codes in `--help` are the README's table.
#[test]
fn help_lists_every_exit_code() {
    let ctx = TestContext::new();
    let help = ctx.run(["--help"]);
    help.code(0);
    for needle in [
        "record not",
        "a failed check",
        "128 + signal",
        "127 when",
        "126 when",
    ] {
        help.stdout_has(needle);
    }
}

/// Every timeout flag takes a duration with a unit or a bare number of seconds;
/// forward's --retry-delay and --poll a duration or a bare number of milliseconds.
#[test]
fn timeout_flags_take_units_or_bare_seconds() {
    use clap::Parser;
    use mcpbill::cli::{Cli, Command, DiscoveryCommand, ReceiptCommand};
    use std::time::Duration;
    let parse = |args: &[&str]| {
        Cli::try_parse_from(std::iter::once("mcpbill").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{args:?}: {e}"))
    };
    let commands: [&[&str]; 9] = [
        &["check", "https://b.example"],
        &["forward", "--to", "https://m.example"],
        &["discovery", "check", "https://b.example"],
        &["receipt", "verify", "--online"],
        &["verify-domain", "example.com", "--provider-id", "a"],
        &["verify-email", "a@example.com", "--provider-id", "a"],
        &["verify-code", ".", "--provider-id", "a"],
        &["serve"],
        &["wrap"],
    ];
    for (value, secs) in [("7", 7), ("7s", 7), ("2m", 120)] {
        for command in commands {
            let flag = if command[0] == "serve" {
                "--request-timeout"
            } else {
                "--timeout"
            };
            let mut args = command.to_vec();
            args.extend([flag, value]);
            if command[0] == "wrap" {
                args.extend(["--", "server"]);
            }
            let want = Duration::from_secs(secs);
            let got = match parse(&args).command {
                Command::Check(a) => a.http.timeout,
                Command::Forward(a) => a.http.timeout,
                Command::Discovery(a) => match a.command {
                    DiscoveryCommand::Check(c) => c.http.timeout,
                    DiscoveryCommand::Init(_) => unreachable!(),
                },
                Command::Receipt(a) => match a.command {
                    ReceiptCommand::Verify(v) => v.timeout,
                    _ => unreachable!(),
                },
                Command::VerifyDomain(a) => a.dns.timeout,
                Command::VerifyEmail(a) => a.dns.timeout,
                Command::VerifyCode(a) => a.timeout,
                Command::Serve(a) => a.request_timeout,
                Command::Wrap(a) => a.timeout.unwrap(),
                _ => unreachable!(),
            };
            assert_eq!(got, want, "{args:?}");
        }
    }
    let ctx = TestContext::new();
    ctx.run(["check", "https://b.example", "--timeout", "0"])
        .code(2)
        .stderr_has("is zero");
    for (value, ms) in [("250", 250), ("250ms", 250), ("2s", 2000)] {
        let args = [
            "forward",
            "--to",
            "https://m.example",
            "--retry-delay",
            value,
            "--poll",
            value,
        ];
        let Command::Forward(a) = parse(&args).command else {
            unreachable!()
        };
        assert_eq!(a.retry_delay, Duration::from_millis(ms), "{value}");
        assert_eq!(a.poll, Duration::from_millis(ms), "{value}");
    }
    // A zero delay would retry without pause, forever under --follow; a wait past 30 days
    // overflows clock arithmetic (a panic in verify-email, a dropped connection in serve).
    for (flag, value, says) in [
        ("--retry-delay", "0", "is zero"),
        ("--poll", "0ms", "is zero"),
        ("--timeout", "9223372036854775807", "longer than 30 days"),
        ("--retry-delay", "31d", "longer than 30 days"),
    ] {
        ctx.run(["forward", "--to", "https://m.example", flag, value])
            .code(2)
            .stderr_has(says);
    }
    ctx.run([
        "verify-email",
        "a@example.com",
        "--timeout",
        "9223372036854775807",
    ])
    .code(2)
    .stderr_has("longer than 30 days");
    ctx.run(["serve", "--request-timeout", "18446744073709551615"])
        .code(2)
        .stderr_has("longer than 30 days");
    let Command::Wrap(a) = parse(&["wrap", "--timeout", "1.5", "--", "server"]).command else {
        unreachable!()
    };
    let timeout = a.timeout.unwrap();
    assert_eq!(timeout, Duration::from_millis(1500));
}

/// `--help` and `--version` that cannot be written (stdout a full disk) fail with exit 2
/// and say why, as every other command's output does.
#[test]
fn help_that_cannot_be_written_is_an_error() {
    let ctx = TestContext::new();
    for args in [
        &["--help"][..],
        &["-V"],
        &["help", "wrap"],
        &["report", "-h"],
    ] {
        let mut cmd = ctx.command();
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        cmd.args(args).stdout(full);
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("error: cannot write to stdout: No space left on device"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

/// An environment variable mcpbill reads through a flag that holds text that is not UTF-8
/// is named, instead of clap's "invalid UTF-8 ... in one or more arguments".
#[test]
fn an_environment_variable_that_is_not_utf8_is_named() {
    use std::os::unix::ffi::OsStrExt;
    let ctx = TestContext::new();
    let bad = std::ffi::OsStr::from_bytes(b"\xff");
    let mut cmd = ctx.command();
    cmd.env("MCPBILL_NO_INPUT", bad).args(["report"]);
    run_command(cmd, None)
        .code(2)
        .one_line_error()
        .stderr_has("environment variable MCPBILL_NO_INPUT is not valid UTF-8");
    let mut cmd = ctx.command();
    cmd.env("MCPBILL_AGENT_ID", bad)
        .args(["wrap", "--provider-id", "acme", "--", "cat"]);
    run_command(cmd, Some(b""))
        .code(2)
        .one_line_wrap_error()
        .stderr_has("mcpbill: error: environment variable MCPBILL_AGENT_ID is not valid UTF-8");
    // An argument that is not UTF-8 is still clap's to report.
    let mut cmd = ctx.command();
    cmd.env("MCPBILL_NO_INPUT", bad)
        .args(["wrap", "--agent-id"])
        .arg(bad)
        .args(["--", "cat"]);
    let run = run_command(cmd, Some(b""));
    run.code(2).stderr_has("invalid UTF-8");
    assert!(
        !run.stderr.contains("environment variable"),
        "{}",
        run.stderr
    );
}

/// After an option that takes a value, clap's tip `use '-- -3'` would make the value a
/// positional argument: the error says how to give it (`--flag=-3`) on every command.
#[test]
fn a_value_that_looks_like_an_option_is_shown_how_to_give() {
    let ctx = TestContext::new();
    ctx.write(
        "p.toml",
        "provider_id = \"acme\"\n[tools.t]\npricing_model = \"per_token\"\nprice_per_input_token = \"$0.0001\"\nprice_per_output_token = \"$0.0002\"\n",
    );
    for (args, flag) in [
        (
            vec![
                "pricing",
                "quote",
                "p.toml",
                "--tool",
                "t",
                "--input-tokens",
                "-3",
            ],
            "--input-tokens",
        ),
        (vec!["--color", "-x", "report"], "--color"),
        (vec!["report", "--since", "-x"], "--since"),
    ] {
        let bad = args[args.iter().position(|a| *a == flag).unwrap() + 1];
        let run = ctx.run(&args);
        run.code(2).one_line_error().stderr_has(&format!(
            "{flag} needs a value, and '{bad}' reads as an option; if '{bad}' is the value, write {flag}={bad}"
        ));
        assert!(!run.stderr.contains("tip:"), "{args:?}: {}", run.stderr);
    }
    // --flag=value reaches the option's own parser.
    ctx.run([
        "pricing",
        "quote",
        "p.toml",
        "--tool",
        "t",
        "--input-tokens=-3",
    ])
    .code(2)
    .stderr_has("invalid value '-3' for '--input-tokens");
}
