//! The glue of `mcpbill wrap`: settings from flags, the child in its own process group,
//! signal forwarding, the shutdown sequence (client EOF -> close stdin -> grace ->
//! SIGTERM -> SIGKILL) and the exit code (the server's, or 128 + signal). The relay runs
//! on two threads (see [`Pump`]); this async side only waits for the child, signals and
//! the escalation deadlines.

use std::ffi::OsString;
use std::io::Write as _;
use std::os::fd::AsFd;
use std::os::unix::process::{CommandExt as _, ExitStatusExt};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep_until};

use super::ledger::Ledger;
use super::pump::{DiagSink, Pump};
use super::redact::Redactor;
use super::{Config, RateLimit};
use crate::cli::WrapArgs;
use crate::eventlog::LogDir;
use crate::exit::ExitStatus;
use crate::key::Secret;
use crate::money::Microcents;
use crate::output::{Printer, Verbosity, escape_terminal};
use crate::pricing::PricingFile;

/// Checked settings for a run.
pub struct Settings {
    /// The pump's configuration.
    pub config: Config,
    /// The log directory.
    pub log_dir: LogDir,
    /// Grace period after client EOF (and between SIGTERM and SIGKILL).
    pub grace: Duration,
    /// The server command.
    pub command: Vec<OsString>,
    /// Notes shown once the server started (quiet with -q).
    pub notes: Vec<String>,
}

impl Settings {
    /// Check every flag before anything starts (notes are kept for after the server started).
    pub fn from_args(args: &WrapArgs, printer: &mut Printer) -> Result<Settings> {
        if let Some(p) = args
            .pricing
            .as_deref()
            .filter(|p| p.as_os_str() == "-" || crate::input::is_stdin(p))
        {
            anyhow::bail!(
                "--pricing {}: that is wrap's stdin, which carries the client's messages; give the pricing file's path",
                p.display()
            );
        }
        let pricing = args.pricing.as_deref().map(PricingFile::load).transpose()?;
        let budget = args
            .budget
            .as_deref()
            .map(|b| Microcents::parse(b).map_err(|e| anyhow!("--budget: {e}")))
            .transpose()?;
        let rate_limit = args
            .rate_limit
            .as_deref()
            .map(|r| RateLimit::parse(r).map_err(|e| anyhow!("--rate-limit: {e}")))
            .transpose()?;
        let (timeout, grace) = (args.timeout, args.grace);
        let max_line_bytes = usize::try_from(args.max_line_bytes)
            .ok()
            .filter(|n| *n >= 1024)
            .ok_or_else(|| {
                anyhow!(
                    "--max-line-bytes must be at least 1024; the default is 134217728 (128 MiB)"
                )
            })?;
        let key = Secret::resolve(args.key_file.as_ref())?;
        let mut notes = Vec::new();
        if let Some(base) = &args.verify_url_base {
            crate::receipt::check_verify_url_base(base)?;
        }
        let log_dir = LogDir::open(args.log_dir.as_deref())?;
        if args.provider_id.as_deref() == Some("") {
            bail!("--provider-id is empty; pass the provider's id, e.g. --provider-id acme");
        }
        for (flag, value) in [
            ("--provider-id", args.provider_id.as_deref()),
            ("--agent-id", args.agent_id.as_deref()),
        ] {
            if let Some(v) = value
                && let Err(e) = crate::receipt::canonical::check_field("id", v)
            {
                bail!(
                    "{flag} '{}' contains {}, which receipts cannot sign; choose an id without it",
                    escape_terminal(v),
                    e.what
                );
            }
        }
        let provider_id = match (&args.provider_id, &pricing) {
            (Some(id), _) => id.clone(),
            (None, Some(p)) => p.provider_id.clone(),
            (None, None) => {
                notes.push("warning: no --provider-id or --pricing given; events and receipts name the provider 'unknown'".to_owned());
                "unknown".to_owned()
            }
        };
        let separated = std::env::args_os()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w[0] == "--" && Some(&w[1]) == args.command.first());
        if !separated {
            let misplaced = misplaced_flags(&args.command);
            if !misplaced.is_empty() {
                notes.push(format!(
                    "warning: the server was given {}, which {} wrap's own; put wrap's options first and '--' before the server command",
                    misplaced.join(", "),
                    if misplaced.len() == 1 { "is" } else { "are" },
                ));
            }
        }
        if key.is_some()
            && printer.verbosity() == Verbosity::Verbose
            && let Some(source) = Secret::source(args.key_file.as_deref())
        {
            notes.push(format!("receipts are signed with the key from {source}"));
        }
        if key.is_none() {
            notes.push("no signing key (--key-file, MCPBILL_KEY_FILE or MCPBILL_KEY): calls are metered but no receipts are issued".to_owned());
        }
        let mut config = Config::new(&provider_id);
        config.category = pricing.as_ref().and_then(|p| p.category.clone());
        config.pricing = pricing;
        config.agent_id = args.agent_id.clone().filter(|a| !a.is_empty());
        config.key = key;
        config.verify_url_base.clone_from(&args.verify_url_base);
        config.budget = budget;
        config.rate_limit = rate_limit;
        config.timeout = timeout;
        config.max_line_bytes = max_line_bytes;
        config.record_params = args.record_params;
        config.record_results = args.record_results;
        config.redactor = Redactor::new(&args.redact);
        config.request_meta = !args.no_request_meta;
        config.receipt_meta = !args.no_receipt_meta;
        Ok(Settings {
            config,
            log_dir,
            grace,
            command: args.command.clone(),
            notes: if printer.verbosity() == Verbosity::Quiet {
                Vec::new()
            } else {
                notes
            },
        })
    }
}

/// The server's arguments that are wrap's own long options (`--pricing`, `--budget=5`):
/// written after the server command without `--`, they went to the server.
fn misplaced_flags(command: &[OsString]) -> Vec<String> {
    use clap::Args as _;
    let wrap = crate::cli::WrapArgs::augment_args(clap::Command::new("wrap"));
    let longs: Vec<&str> = wrap.get_arguments().filter_map(|a| a.get_long()).collect();
    let mut found: Vec<String> = Vec::new();
    for arg in command.iter().skip(1).filter_map(|a| a.to_str()) {
        let name = arg.split_once('=').map_or(arg, |(n, _)| n);
        if let Some(long) = name.strip_prefix("--")
            && longs.contains(&long)
            && !found.iter().any(|f| f == name)
        {
            found.push(name.to_owned());
        }
    }
    found
}

/// `mcpbill wrap`.
pub fn run(args: &WrapArgs, printer: &mut Printer) -> Result<ExitStatus> {
    // The server writes to the same stderr: every line of ours names mcpbill.
    printer.name_diagnostics();
    let settings = Settings::from_args(args, printer)?;
    let ledger = Ledger::open(&settings.log_dir, &settings.config.provider_id)?;
    if ledger.skipped > 0 {
        let first = ledger
            .first_skipped_line
            .map(|n| format!(" (first: line {n})"))
            .unwrap_or_default();
        printer.warn(&format!(
            "skipped {} in '{}'{first}; they count toward no budget or free tier",
            crate::output::counted(ledger.skipped, "unreadable line", "unreadable lines"),
            ledger.current_events_path().display()
        ));
    }
    // `--forward`: a forwarder on its own thread reads the log this shim writes; the
    // relay never waits on it. Another shim already shipping this log is not an error.
    let forwarder = match &args.forward {
        None => None,
        Some(url) => match crate::forward::start_background(
            settings.log_dir.path(),
            url,
            args.forward_format,
            args.forward_allow_http,
        ) {
            Ok(h) => Some(h),
            Err(e) if e.to_string().contains("another 'mcpbill forward'") => {
                printer.note(&format!(
                    "--forward: {e:#}; this shim leaves the shipping to it"
                ));
                None
            }
            Err(e) => return Err(e),
        },
    };
    printer.flush()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime (if too many files are open: raise the open-file limit, ulimit -n)")?;
    let status = rt.block_on(supervise(settings, ledger));
    // Ship what the session wrote last (bounded), then stop the forwarder.
    if let Some(h) = forwarder
        && let Err(e) = h.stop(Duration::from_secs(2))
    {
        printer.warn(&format!("--forward: {e:#}"));
    }
    // The client-side relay thread may still be blocked reading stdin (the server exited
    // first): it is not joined, and ends with the process.
    rt.shutdown_background();
    status
}

fn stderr_sink() -> DiagSink {
    Box::new(std::io::stderr())
}

/// A descriptor used with blocking reads and writes, even when whoever handed it to us
/// made it non-blocking (the flag belongs to the open file, shared with the parent):
/// `EAGAIN` waits for readiness instead of failing.
struct Blocking(std::fs::File);

impl Blocking {
    /// A duplicate of `fd` (so dropping it never closes the process's own stdin or stdout).
    fn dup(fd: std::os::fd::BorrowedFd<'_>) -> std::io::Result<Self> {
        Ok(Blocking(std::fs::File::from(fd.try_clone_to_owned()?)))
    }

    /// Run `op` until it neither would block (then wait for `ready`) nor was interrupted.
    fn retry<T>(
        &mut self,
        ready: PollFlags,
        mut op: impl FnMut(&mut std::fs::File) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        loop {
            match op(&mut self.0) {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    let mut fds = [PollFd::new(self.0.as_fd(), ready)];
                    let _ = poll(&mut fds, PollTimeout::NONE);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                other => return other,
            }
        }
    }
}

impl std::io::Read for Blocking {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.retry(PollFlags::POLLIN, |f| f.read(buf))
    }
}

impl std::io::Write for Blocking {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.retry(PollFlags::POLLOUT, |f| f.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn one_line_error(msg: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "mcpbill: error: {}",
        escape_terminal(msg)
    );
}

/// Run `f` on a named thread; its end is reported on the returned channel.
fn spawn_relay<T: Send + 'static>(
    name: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<oneshot::Receiver<T>> {
    let (tx, rx) = oneshot::channel();
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .with_context(|| format!("cannot start the {name} thread"))?;
    Ok(rx)
}

/// What the server's wait thread reported.
fn exit_status(
    waited: Result<std::io::Result<std::process::ExitStatus>, oneshot::error::RecvError>,
) -> Result<std::process::ExitStatus> {
    waited
        .context("the server's wait thread ended")?
        .context("cannot wait for the server")
}

/// Whether `program` names a file as given (with a `/`, so no PATH search is involved).
fn program_is_a_file(program: &std::ffi::OsStr) -> bool {
    let path = std::path::Path::new(program);
    path.components().count() > 1 && path.is_file()
}

/// The signals the shim acts on, each unless it was started with it ignored (`nohup`, a
/// script's background job): an ignored signal stays ignored, by the shim and by the
/// server, which inherits that. SIGINT is forwarded and starts the shutdown; SIGTERM, and a
/// closed terminal's SIGHUP or a SIGQUIT (whose default action would kill the shim at once,
/// leaving the server running and its calls unrecorded), are forwarded and end it within
/// [`TERMINATED_GRACE`]; SIGUSR1 and SIGUSR2 are forwarded, the server's to act on.
struct Signals {
    handled: Vec<(Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn install() -> Result<Self> {
        let ignored = crate::newfile::ignored_signals();
        let mut handled = Vec::new();
        for sig in [
            Signal::SIGINT,
            Signal::SIGTERM,
            Signal::SIGHUP,
            Signal::SIGQUIT,
            Signal::SIGUSR1,
            Signal::SIGUSR2,
        ] {
            if crate::newfile::is_ignored(ignored, sig as i32) {
                continue;
            }
            let stream = signal(SignalKind::from_raw(sig as i32))
                .with_context(|| format!("cannot handle {}", sig.as_str()))?;
            handled.push((sig, stream));
        }
        Ok(Signals { handled })
    }

    /// The next signal received (never, when none is handled).
    async fn next(&mut self) -> Signal {
        std::future::poll_fn(|cx| {
            for (sig, stream) in &mut self.handled {
                if let std::task::Poll::Ready(Some(())) = stream.poll_recv(cx) {
                    return std::task::Poll::Ready(*sig);
                }
            }
            std::task::Poll::Pending
        })
        .await
    }
}

/// The longest the server gets between a terminating signal sent to the shim (SIGTERM,
/// SIGHUP, SIGQUIT) and SIGKILL, whatever `--grace` says.
const TERMINATED_GRACE: Duration = Duration::from_secs(1);

async fn supervise(settings: Settings, ledger: Ledger) -> Result<ExitStatus> {
    let Settings {
        config,
        grace,
        command,
        notes,
        ..
    } = settings;
    // A file size limit (`ulimit -f`) would kill the shim with SIGXFSZ at the first write
    // past it, losing what it holds; caught, the write fails with EFBIG instead and the
    // ledger holds its lines. The server starts with the default action again (exec).
    let _sigxfsz =
        signal(SignalKind::from_raw(Signal::SIGXFSZ as i32)).context("cannot handle SIGXFSZ")?;
    // Before the server starts: a SIGTERM (or SIGHUP, SIGINT) sent right after the shim
    // started is then handled (forwarded, the calls recorded) instead of killing the shim
    // and leaving the server running with no parent. Handlers are reset at exec, and a
    // signal the shim was started with ignored stays ignored for the server too.
    let mut signals = Signals::install()?;
    let program = &command[0];
    let mut cmd = std::process::Command::new(program);
    // The signing key is the shim's alone: a server that read it could sign receipts for
    // any price. Every other variable passes as it is.
    cmd.args(&command[1..])
        .env_remove(crate::key::KEY_ENV)
        .env_remove(crate::key::KEY_FILE_ENV)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .process_group(0);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let shown = escape_terminal(&program.to_string_lossy());
            let is_dir = std::fs::metadata(program).is_ok_and(|m| m.is_dir());
            // The whole command in one argument, as a client config's "command" may hold it.
            let one_word = program.to_str().is_some_and(|p| p.trim().contains(' '));
            let (code, hint) = match e.kind() {
                _ if is_dir => (126, "it is a directory; name the server's program"),
                std::io::ErrorKind::NotFound if one_word => (
                    127,
                    "the command and its arguments must be separate arguments (\"args\": [\"wrap\", \"--\", \"python3\", \"server.py\"])",
                ),
                // The file is there, so what is missing is its interpreter (`#!` line).
                std::io::ErrorKind::NotFound if program_is_a_file(program) => (
                    127,
                    "the file exists, so the interpreter its first line (#!) names is missing; install it or fix that line",
                ),
                std::io::ErrorKind::NotFound => (127, "check the command after '--' and PATH"),
                std::io::ErrorKind::PermissionDenied => (126, "check that the file is executable"),
                // A limit of this process, not a fault of the command: exit 2, as for any
                // resource the shim lacks.
                _ if e.raw_os_error() == Some(nix::libc::EMFILE)
                    || e.raw_os_error() == Some(nix::libc::ENFILE) =>
                {
                    (
                        2,
                        "too many open files for mcpbill to start it; raise the limit (ulimit -n) or close other programs",
                    )
                }
                _ if e.raw_os_error() == Some(nix::libc::EAGAIN)
                    || e.raw_os_error() == Some(nix::libc::ENOMEM) =>
                {
                    (
                        2,
                        "the system refused a new process; raise the process limit (ulimit -u) or free memory, then start it again",
                    )
                }
                _ => (126, "check the command after '--'"),
            };
            one_line_error(&format!("cannot start the server '{shown}': {e}; {hint}"));
            return Ok(ExitStatus::Code(code));
        }
    };
    let pgid = Pid::from_raw(child.id().cast_signed());
    let kill = |sig: Signal| {
        let _ = killpg(pgid, sig);
    };
    let server_in = child.stdin.take().expect("piped stdin");
    let server_out = child.stdout.take().expect("piped stdout");
    let client_in = Blocking::dup(std::io::stdin().as_fd()).context("cannot use stdin")?;
    let client_out = Blocking::dup(std::io::stdout().as_fd()).context("cannot use stdout")?;
    let pump = Pump::new(config, ledger, client_out, stderr_sink());
    for note in &notes {
        pump.diag(note);
    }

    let started = (|| {
        let exited = spawn_relay("mcpbill-wait", move || child.wait())?;
        let c2s = {
            let pump = pump.clone();
            spawn_relay("mcpbill-client", move || {
                pump.client_to_server(client_in, server_in)
            })?
        };
        let s2c = {
            let pump = pump.clone();
            spawn_relay("mcpbill-server", move || pump.server_to_client(server_out))?
        };
        anyhow::Ok((exited, c2s, s2c))
    })();
    let (mut exited, mut c2s, mut s2c) = match started {
        Ok(relays) => relays,
        Err(e) => {
            // A thread limit: the server started, and must not outlive the shim.
            kill(Signal::SIGKILL);
            return Err(anyhow!(
                "{e:#}; raise the thread and process limit (ulimit -u, a container's pids limit)"
            ));
        }
    };
    // After a terminating signal the server gets at most this long before SIGKILL: whoever
    // sent it will not wait long (the MCP SDKs send SIGKILL 2 s after SIGTERM), and a shim
    // killed first would leave the server running.
    let terminated_grace = grace.min(TERMINATED_GRACE);

    // Escalation: the next signal to send, when, and after what.
    let mut next: Option<(Instant, Signal, &str)> = None;
    let mut client_done = false;
    let mut server_out_done = false;
    let mut terminated = false;
    let exit = loop {
        let deadline = next.map(|(t, _, _)| t);
        tokio::select! {
            status = &mut exited => break exit_status(status)?,
            _ = &mut s2c, if !server_out_done => {
                server_out_done = true;
                // Usually the server is exiting: let its exit be seen first.
                if let Ok(status) = tokio::time::timeout(Duration::from_millis(200), &mut exited).await {
                    break exit_status(status)?;
                }
                // Alive, but it can answer nothing more: fail what waits for it now, not
                // at its exit, and answer later calls at once.
                pump.diag("the server closed its output but is still running; its pending calls fail, and later calls are answered by mcpbill");
                pump.fail_pending("the server closed its output before answering");
            }
            _ = &mut c2s, if !client_done => {
                client_done = true;
                next.get_or_insert((Instant::now() + grace, Signal::SIGTERM, "stdin closed"));
            }
            sig = signals.next() => match sig {
                Signal::SIGINT => {
                    kill(Signal::SIGINT);
                    next.get_or_insert((Instant::now() + grace, Signal::SIGTERM, "SIGINT"));
                }
                Signal::SIGUSR1 | Signal::SIGUSR2 => kill(sig),
                _ => {
                    terminated = true;
                    kill(sig);
                    next = Some((Instant::now() + terminated_grace, Signal::SIGKILL, sig.as_str()));
                }
            },
            () = sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                let (_, sig, after) = next.take().expect("deadline set");
                if sig == Signal::SIGTERM {
                    pump.diag(&format!("the server did not exit within {} after {after}; sending SIGTERM", humantime::format_duration(grace)));
                    kill(Signal::SIGTERM);
                    next = Some((Instant::now() + grace, Signal::SIGKILL, "SIGTERM"));
                } else {
                    pump.diag(&format!("the server did not exit after {after}; sending SIGKILL"));
                    kill(Signal::SIGKILL);
                }
            }
        }
    };

    // The server is gone. Its stdout may still hold answers: drain it. While a write to a
    // client that reads slowly is under way, wait for it (its answer's event is written once
    // the write ends); otherwise, after a pause, SIGKILL the group (a grandchild may hold the
    // pipe open, still writing) and stop waiting soon after, leaving the thread behind. After
    // a terminating signal the pauses are short and nothing is waited for.
    if !server_out_done {
        let mut killed = false;
        let mut noted = false;
        let pause = |terminated: bool| {
            if terminated {
                Duration::from_millis(200)
            } else {
                Duration::from_secs(2)
            }
        };
        // Set once per pause: a signal arriving meanwhile does not start the pause again.
        let mut deadline = Instant::now() + pause(terminated);
        loop {
            tokio::select! {
                _ = &mut s2c => break,
                sig = signals.next() => {
                    if !terminated && !matches!(sig, Signal::SIGUSR1 | Signal::SIGUSR2) {
                        terminated = true;
                        deadline = deadline.min(Instant::now() + pause(true));
                    }
                }
                () = sleep_until(deadline) => {
                    deadline = Instant::now() + pause(terminated);
                    // First, whatever else still holds the pipe goes with the group: what it
                    // wrote is in the pipe already, so the rest to drain is finite.
                    if !killed {
                        kill(Signal::SIGKILL);
                        killed = true;
                        continue;
                    }
                    // Odd: a write to the client is under way.
                    if !terminated && pump.client_progress() % 2 == 1 {
                        if !noted {
                            noted = true;
                            pump.diag("the server exited; waiting for the client to read its last answers");
                        }
                        continue;
                    }
                    // A line being handled between two writes ends in microseconds; a
                    // pipe still held by a process outside the group never does.
                    let _ = tokio::time::timeout(Duration::from_millis(100), &mut s2c).await;
                    break;
                }
            }
        }
    }
    if terminated {
        // Whoever sent the signal will not wait for a client that does not read.
        pump.abandon_client();
    }
    pump.fail_pending("the server exited before answering");
    pump.finish();
    let code = match (exit.code(), exit.signal()) {
        (Some(c), _) => c,
        (None, Some(sig)) => 128 + sig,
        (None, None) => 1,
    };
    Ok(ExitStatus::Code(u8::try_from(code).unwrap_or(255)))
}
