//! Exit statuses and the mapping from errors to exit codes.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success |
//! | 1 | negative verdict (invalid receipt, record not found, score below threshold) |
//! | 2 | usage, input, I/O or network error |
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
