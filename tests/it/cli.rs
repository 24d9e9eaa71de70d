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
