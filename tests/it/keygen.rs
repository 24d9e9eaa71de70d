//! `mcpbill keygen`.

use crate::context::TestContext;

#[test]
fn writes_a_private_64_hex_secret() {
    let ctx = TestContext::new();
    // The note is on stderr, as other commands that write a file give it; -q silences it.
    let run = ctx.run(["keygen", "--out", "k.key"]);
    run.code(0)
        .stderr_has("wrote a new 64-character secret to k.key");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let quiet = ctx.run(["-q", "keygen", "--out", "k3.key"]);
    assert!(quiet.code(0).stderr.is_empty(), "{}", quiet.stderr);
    // '-' is stdout elsewhere; a secret is never printed, nor written to a file named '-'.
    ctx.run(["keygen", "--out", "-"])
        .code(2)
        .one_line_error()
        .stderr_has("never to stdout");
    assert!(!ctx.join("-").exists());
    let text = std::fs::read_to_string(ctx.join("k.key")).unwrap();
    let secret = text.strip_suffix('\n').unwrap();
    assert_eq!(secret.len(), 64);
    assert!(
        secret
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(ctx.join("k.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The secret never reaches stdout.
    let run = ctx.run(["--json", "keygen", "--out", "k2.key"]);
    run.code(0);
    let k2 = std::fs::read_to_string(ctx.join("k2.key")).unwrap();
    assert!(!run.stdout.contains(k2.trim()));
    assert_eq!(run.json()["mode"], "0600");
}

#[test]
fn refuses_to_overwrite_without_force() {
    let ctx = TestContext::new();
    ctx.write("k.key", "old\n");
    ctx.run(["keygen", "--out", "k.key"])
        .code(2)
        .one_line_error()
        .stderr_has("--force");
    assert_eq!(std::fs::read_to_string(ctx.join("k.key")).unwrap(), "old\n");
    ctx.run(["keygen", "--out", "k.key", "--force"]).code(0);
    assert_ne!(std::fs::read_to_string(ctx.join("k.key")).unwrap(), "old\n");
}

#[test]
fn missing_directory_is_a_clear_error() {
    let ctx = TestContext::new();
    ctx.run(["keygen", "--out", "no/such/dir/k.key"])
        .code(2)
        .one_line_error()
        .stderr_has("cannot create key file");
}

/// `--force` replaces the file whole (a temporary file renamed over it): a symbolic link
/// at the path is replaced, never written through, and nothing is left beside it.
#[cfg(unix)]
#[test]
fn force_replaces_a_link_instead_of_writing_through_it() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = TestContext::new();
    let victim = ctx.write("victim.txt", "precious\n");
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&victim, ctx.join("k.key")).unwrap();
    ctx.run(["keygen", "--out", "k.key"])
        .code(2)
        .stderr_has("--force");
    ctx.run(["keygen", "--out", "k.key", "--force"]).code(0);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let meta = std::fs::symlink_metadata(ctx.join("k.key")).unwrap();
    assert!(meta.is_file(), "the link was replaced by a file");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::read_to_string(ctx.join("k.key"))
            .unwrap()
            .trim()
            .len(),
        64
    );
    let mut names: Vec<_> = std::fs::read_dir(ctx.join("."))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "victim.txt" && n != "k.key")
        .collect();
    names.retain(|n| n.starts_with('.'));
    assert!(names.is_empty(), "left behind: {names:?}");
    // In a directory that does not exist: said without the temporary file's name.
    let run = ctx.run(["keygen", "--out", "no/such/k.key", "--force"]);
    run.code(2)
        .one_line_error()
        .stderr_has("cannot write key file 'no/such/k.key'")
        .stderr_has("must exist and be writable");
    assert!(!run.stderr.contains(".mcpbill-"), "{}", run.stderr);
}

/// A device, FIFO or socket at the path is refused, with or without `--force`, and left
/// as it is (`--out /dev/null --force` as root must not replace the system's device).
#[cfg(unix)]
#[test]
fn special_files_are_never_replaced() {
    let ctx = TestContext::new();
    let fifo = ctx.join("pipe");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    for force in [false, true] {
        let mut args = vec!["keygen", "--out", "pipe"];
        if force {
            args.push("--force");
        }
        ctx.run(args)
            .code(2)
            .one_line_error()
            .stderr_has("is not a regular file");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind));
    }
}

/// `--force` keeps a replaced file's permissions when the command sets none (a pricing
/// file stays readable by others), and a new file gets the usual ones.
#[cfg(unix)]
#[test]
fn force_keeps_the_permissions_of_a_replaced_pricing_file() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = TestContext::new();
    let init = |force: bool| {
        let mut args = vec![
            "pricing",
            "init",
            "p.toml",
            "--provider-id",
            "acme",
            "--tool",
            "search",
            "--model",
            "per_call",
            "--price",
            "$0.05",
        ];
        if force {
            args.push("--force");
        }
        ctx.run(args).code(0);
    };
    let mode = || {
        std::fs::metadata(ctx.join("p.toml"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    init(false);
    let fresh = mode();
    assert_ne!(
        fresh & 0o044,
        0,
        "a new pricing file is readable by others: {fresh:o}"
    );
    std::fs::set_permissions(ctx.join("p.toml"), std::fs::Permissions::from_mode(0o640)).unwrap();
    init(true);
    assert_eq!(mode(), 0o640);
    std::fs::remove_file(ctx.join("p.toml")).unwrap();
    init(true);
    assert_eq!(
        mode(),
        fresh,
        "a new file through --force gets the usual mode"
    );
}

/// A path holding control characters is written as given, and shown escaped on one line:
/// it can neither split the message nor drive the terminal.
#[test]
fn a_path_with_control_characters_is_shown_escaped() {
    let ctx = TestContext::new();
    for name in ["a\nb.key", "e\u{1b}[2Jx.key"] {
        let run = ctx.run(["keygen", "--out", name]);
        run.code(0);
        assert!(ctx.join(name).is_file());
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(
            !run.stderr.trim_end().chars().any(char::is_control),
            "{:?}",
            run.stderr
        );
    }
    let logs = ctx.join("demo\nlogs");
    let run = ctx.run(["demo", "--log-dir", logs.to_str().unwrap()]);
    run.code(0);
    assert!(run.stdout.contains("log: "), "{}", run.stdout);
    assert!(
        run.stdout.lines().any(|l| l.ends_with("demo\\nlogs")),
        "{}",
        run.stdout
    );
}

/// A new file that cannot be written whole (here a file size limit, `ulimit -f`) is
/// removed again: an empty key or a cut-off pricing file would pass for the real one and
/// block the next run without `--force`.
#[test]
fn a_new_file_that_cannot_be_written_whole_is_not_left_behind() {
    let ctx = TestContext::new();
    let limited = |blocks, args: &[&str]| crate::context::with_file_limit(&ctx, blocks, args);
    let cases: [(&[&str], &str); 4] = [
        (&["keygen", "--out", "k.key"], "k.key"),
        (
            &[
                "pricing",
                "init",
                "p.toml",
                "--provider-id",
                "acme",
                "--tool",
                "t",
                "--model",
                "free",
                "--no-input",
            ],
            "p.toml",
        ),
        (
            &[
                "discovery",
                "init",
                "--base-url",
                "https://x.example",
                "--out",
                "d/a.json",
                "--no-input",
            ],
            "d/a.json",
        ),
        (&["demo", "--log-dir", "demo"], "demo/demo-pricing.toml"),
    ];
    for (args, file) in cases {
        limited(0, args).code(2).stderr_has("File too large");
        assert!(!ctx.join(file).exists(), "{args:?} left {file}");
    }
    // Without the limit the same commands then work: nothing blocks them.
    ctx.run(["keygen", "--out", "k.key"]).code(0);
    ctx.run(["demo", "--log-dir", "demo"]).code(0);
    // clap's own output is a write too: no kill by SIGXFSZ there either.
    let mut cmd = ctx.command_of("bash");
    cmd.arg("-c")
        .arg("ulimit -f 0; exec \"$0\" --help > help.txt")
        .arg(crate::context::bin());
    crate::context::run_command(cmd, None)
        .code(2)
        .stderr_has("cannot write to stdout: File too large");
}
