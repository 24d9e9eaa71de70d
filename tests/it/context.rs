//! `TestContext`: a temporary directory, the built binary and a scrubbed environment.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A scratch directory and a way to run `mcpbill` in it.
pub struct TestContext {
    pub dir: tempfile::TempDir,
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
}

impl Run {
    /// Parse stdout as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Parse stdout as JSON Lines.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line ({e}): {l}")))
            .collect()
    }

    /// Assert the exit code, showing the output on failure.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code {} (expected {expected})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Assert stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr does not contain {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    /// Assert stdout contains `needle`.
    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout does not contain {needle:?}:\n{}",
            self.stdout
        );
        self
    }

    /// Assert an error is one line on stderr with no panic.
    #[track_caller]
    pub fn one_line_error(&self) -> &Self {
        self.one_line_starting("error: ")
    }

    /// As [`Run::one_line_error`], for `wrap`, whose stderr is shared with the server's:
    /// the line names mcpbill.
    pub fn one_line_wrap_error(&self) -> &Self {
        self.one_line_starting("mcpbill: error: ")
    }

    fn one_line_starting(&self, prefix: &str) -> &Self {
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        let lines: Vec<_> = self
            .stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(lines.len(), 1, "expected one error line:\n{}", self.stderr);
        assert!(lines[0].starts_with(prefix), "{}", self.stderr);
        self
    }
}

/// The built binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mcpbill"))
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file's path.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

impl TestContext {
    pub fn new() -> Self {
        TestContext {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the scratch directory.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a file in the scratch directory.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// A `Command` for the binary with a scrubbed environment.
    pub fn command(&self) -> Command {
        self.command_of(bin())
    }

    /// A `Command` for another program, with the same scrubbed environment.
    pub fn command_of(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.path());
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("HOME", self.path());
        cmd.env("NO_COLOR", "1");
        cmd.env("MCPBILL_LOG_DIR", self.join("logs"));
        cmd.env("XDG_DATA_HOME", self.join("xdg-data"));
        cmd.env("XDG_STATE_HOME", self.join("xdg-state"));
        cmd.env("LC_ALL", "C");
        cmd
    }

    /// `mcpbill ARGS` on a pseudo-terminal, driven by `tests/it/pty_drive.py` through
    /// `steps` (`[[expected text, keys to type], ...]`); the environment is scrubbed as in
    /// [`TestContext::command`], with `TERM=xterm`. Set `PTY_COLUMNS` on it for a width.
    pub fn pty_command(&self, steps: &serde_json::Value, args: &[&str]) -> Command {
        let mut cmd = self.command_of("python3");
        cmd.env("TERM", "xterm")
            .arg(repo_root().join("tests/it/pty_drive.py"))
            .arg(steps.to_string())
            .arg(bin())
            .args(args);
        cmd
    }

    /// Run with arguments and no stdin.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_stdin(args, None)
    }

    /// Run with arguments and the given stdin.
    pub fn run_stdin<I, S>(&self, args: I, stdin: Option<&[u8]>) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command();
        cmd.args(args);
        run_command(cmd, stdin)
    }
}

/// `mcpbill ARGS` as a user the scratch directory's owner is not, so that its permission
/// bits apply (as root, through `setpriv` as `nobody`; otherwise as the user running the
/// tests, who then owns nothing the test takes rights from). The scratch directory itself is
/// opened to everyone.
pub fn unprivileged(ctx: &TestContext, args: &[&str]) -> Command {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    std::fs::set_permissions(ctx.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let root = std::fs::metadata(ctx.path()).unwrap().uid() == 0;
    let mut cmd = if root {
        let mut c = ctx.command_of("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin());
        c
    } else {
        ctx.command()
    };
    cmd.args(args);
    cmd
}

/// `mcpbill ARGS` under a limit of `nproc` processes and threads (`prlimit --nproc`), within
/// 20 s, no stdin. As root, run as `nobody` through `setpriv` (root is not held to the
/// limit); the scratch directory is opened to everyone for that.
pub fn with_thread_limit(ctx: &TestContext, nproc: u32, args: &[&str]) -> Run {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    std::fs::set_permissions(ctx.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let root = std::fs::metadata(ctx.path()).unwrap().uid() == 0;
    let mut cmd = ctx.command_of("timeout");
    cmd.arg("20");
    if root {
        cmd.args([
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]);
    }
    cmd.arg("prlimit")
        .arg(format!("--nproc={nproc}"))
        .arg("--")
        .arg(bin())
        .args(args);
    run_command(cmd, None)
}

/// `mcpbill ARGS` under a file size limit of `blocks` KiB (bash's `ulimit -f`), no stdin.
pub fn with_file_limit(ctx: &TestContext, blocks: u32, args: &[&str]) -> Run {
    let mut cmd = ctx.command_of("bash");
    cmd.arg("-c")
        .arg(format!("ulimit -f {blocks}; exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args);
    run_command(cmd, None)
}

/// Run a prepared command, feeding `stdin` (or none).
pub fn run_command(mut cmd: Command, stdin: Option<&[u8]>) -> Run {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped());
    cmd.stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn mcpbill");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("wait");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        raw_stdout: stdout,
    }
}

/// Send `sig` to `child`.
pub fn signal(child: &Child, sig: nix::sys::signal::Signal) {
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
    nix::sys::signal::kill(pid, sig).unwrap();
}

/// Wait at most `limit` for `child` to exit; its exit code (-1 when a signal ended it).
pub fn wait_exit(child: &mut Child, limit: Duration) -> Option<i32> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status.code().unwrap_or(-1));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}
