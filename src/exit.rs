//! Exit statuses and the mapping from errors to exit codes.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success |
//! | 1 | negative verdict (invalid receipt, record not found, score below threshold) |
//! | 2 | usage, input, I/O or network error |
//! | 101 | an internal fault (a bug, or a system limit that refused a thread or memory) |
//! | other | `wrap`: the server's own exit code, or 128 + signal |

use std::io::{self, Write};
use std::process::ExitCode;

/// The outcome of a command that ran to completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything checked out.
    Success,
    /// The command ran fine but its verdict is negative.
    Failure,
    /// A usage, input, I/O or network error (also used by clap).
    Error,
    /// An exit code passed through verbatim (the wrapped server's).
    Code(u8),
}

impl ExitStatus {
    /// The numeric exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
            ExitStatus::Code(c) => c,
        }
    }

    /// `Success` when `ok`, otherwise `Failure`.
    pub fn verdict(ok: bool) -> Self {
        if ok {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status.code())
    }
}

/// Turn a file size limit (`ulimit -f`) into a write error instead of a kill: with SIGXFSZ
/// caught, a write past the limit fails with EFBIG, which the command reports (exit 2)
/// after taking back what it had half written, instead of dying mid-line with signal 25.
/// Programs mcpbill starts get the default action again (exec resets a caught signal).
pub fn catch_file_size_signal() {
    let ignored = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Registration fails only for signals that cannot be caught, which SIGXFSZ is not.
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, ignored);
}

/// Say a panic in one line, as every other error is, with what to do: a system limit that
/// refused a thread, a file or memory names the limit; anything else is a bug to report.
/// With `RUST_BACKTRACE` set the standard report follows, for a developer.
pub fn install_panic_hook() {
    let standard = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        // A dependency's path, from its crate's directory on (not the registry's).
        let at = info
            .location()
            .map(|l| {
                let file = l.file();
                let short = file
                    .split_once("/registry/src/")
                    .and_then(|(_, rest)| rest.split_once('/'))
                    .map_or(file, |(_, krate)| krate);
                format!(" at {short}:{}", l.line())
            })
            .unwrap_or_default();
        let limit = [
            "spawn",
            "thread",
            "Too many open files",
            "Resource temporarily unavailable",
            "memory",
        ]
        .iter()
        .any(|w| payload.contains(w));
        let hint = if limit {
            "the system refused mcpbill a resource; raise the limit (threads and processes: ulimit -u, open files: ulimit -n, memory: ulimit -v) and run it again"
        } else {
            "this is a bug in mcpbill; please report it with the command that caused it"
        };
        let msg = crate::output::escape_terminal(&crate::output::one_line(&payload));
        let _ = writeln!(
            io::stderr().lock(),
            "mcpbill: error: internal fault: {msg}{at}; {hint}"
        );
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            standard(info);
        }
    }));
}

/// True when the error chain contains a broken pipe (the reader went away).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Print the error once on stderr and turn the result into the process exit code.
/// A broken pipe on stdout (`mcpbill ... | head`) is a success. `named` starts the line
/// with `mcpbill: `, for commands whose stderr is shared with another program's (`wrap`,
/// where the server's stderr passes through).
pub fn finish(result: anyhow::Result<ExitStatus>, named: bool) -> ExitCode {
    match result {
        Ok(status) => status.into(),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let msg = crate::output::escape_terminal(&format!("{err:#}"));
            let color = crate::output::stderr_color();
            let prefix = if color {
                "\x1b[1;31merror\x1b[0m"
            } else {
                "error"
            };
            let name = if named { "mcpbill: " } else { "" };
            let _ = writeln!(io::stderr().lock(), "{name}{prefix}: {msg}");
            ExitStatus::Error.into()
        }
    }
}
