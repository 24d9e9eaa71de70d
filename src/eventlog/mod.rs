//! The on-disk log: a directory of JSON Lines partitioned by UTC month, appended one
//! whole line per `write` under an advisory lock, and read back tolerating torn lines.
//!
//! Layout (see DECISIONS.md): `events-YYYY-MM.jsonl`, `receipts-YYYY-MM.jsonl`,
//! plus `disputes.jsonl` and `feedback.jsonl`, and a `.lock` file for the lock.

mod read;

pub use read::{
    MAX_LINE, ScanStats, SkipAt, check_log_file, expand_inputs, line_number, scan_file, scan_files,
    scan_reader, strip_bom,
};

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::time::Month;

/// Environment variable overriding the default log directory.
pub const LOG_DIR_ENV: &str = "MCPBILL_LOG_DIR";

/// The kinds of monthly partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    /// Meter events.
    Events,
    /// Signed receipts.
    Receipts,
}

impl Partition {
    /// The file name prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Partition::Events => "events",
            Partition::Receipts => "receipts",
        }
    }
}

/// A log directory.
#[derive(Debug, Clone)]
pub struct LogDir {
    dir: PathBuf,
}

impl LogDir {
    /// The default directory: `MCPBILL_LOG_DIR`, else the platform data directory
    /// (`~/.local/share/mcpbill/logs` on Linux). Without a home directory, or with a
    /// relative one, there is no default: a log in whatever directory the command ran from
    /// would split budgets and free tiers by working directory.
    pub fn default_path() -> Result<PathBuf> {
        if let Some(dir) = env_dir() {
            return Ok(dir);
        }
        platform_dir()
    }

    /// Use `dir` (or the default), creating it if needed.
    pub fn open(dir: Option<&Path>) -> Result<Self> {
        let dir = match dir {
            Some(d) => d.to_path_buf(),
            None => Self::default_path()?,
        };
        if let Err(e) = std::fs::create_dir_all(&dir) {
            // A link whose target is missing, or a loop of links, reads as "File exists":
            // say what it is.
            match (std::fs::metadata(&dir), std::fs::read_link(&dir)) {
                (Err(m), Ok(target)) if m.kind() == io::ErrorKind::NotFound => anyhow::bail!(
                    "log directory '{}' is a link to '{}', which does not exist; create it, or pass another --log-dir",
                    dir.display(),
                    target.display()
                ),
                (Err(m), _) if m.kind() != io::ErrorKind::NotFound => anyhow::bail!(
                    "cannot use log directory '{}': {m}; pass another --log-dir",
                    dir.display()
                ),
                _ => {}
            }
            return Err(e).with_context(|| {
                format!(
                    "cannot create log directory '{}'; pass a writable --log-dir",
                    dir.display()
                )
            });
        }
        Ok(LogDir { dir })
    }

    /// Use `dir` as it is, without creating it (for readers).
    pub fn existing(dir: &Path) -> Self {
        LogDir {
            dir: dir.to_path_buf(),
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The file of a monthly partition.
    pub fn partition(&self, kind: Partition, month: Month) -> PathBuf {
        self.dir.join(format!("{}-{month}.jsonl", kind.prefix()))
    }

    /// The disputes log.
    pub fn disputes(&self) -> PathBuf {
        self.dir.join("disputes.jsonl")
    }

    /// The feedback log.
    pub fn feedback(&self) -> PathBuf {
        self.dir.join("feedback.jsonl")
    }

    /// Take the directory's exclusive advisory lock (blocking); released on drop.
    pub fn lock(&self) -> Result<LogLock> {
        let path = self.dir.join(LOCK_FILE);
        let file = open_lock_file(&self.dir)?;
        file.lock()
            .with_context(|| format!("cannot lock '{}'", path.display()))?;
        Ok(LogLock { _file: file })
    }

    /// Append one line under the lock (a convenience for single appends).
    pub fn append(&self, path: &Path, line: &[u8]) -> Result<()> {
        let _lock = self.lock()?;
        append_line(path, line)
    }
}

/// `MCPBILL_LOG_DIR`, when set and not empty.
pub fn env_dir() -> Option<PathBuf> {
    std::env::var_os(LOG_DIR_ENV)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// The platform data directory's `logs` (`~/.local/share/mcpbill/logs` on Linux).
pub fn platform_dir() -> Result<PathBuf> {
    let Some(dirs) = directories::ProjectDirs::from("", "", "mcpbill") else {
        anyhow::bail!(
            "cannot find a home directory for the default log directory; set HOME, or set MCPBILL_LOG_DIR or pass --log-dir"
        );
    };
    let dir = dirs.data_dir().join("logs");
    if dir.is_relative() {
        anyhow::bail!(
            "the default log directory '{}' would be relative to the working directory (HOME is not an absolute path); set HOME to one, or set MCPBILL_LOG_DIR or pass --log-dir",
            dir.display()
        );
    }
    Ok(dir)
}

/// What is at `path` for a reader (links followed): `None` when nothing is there. Any
/// other failure to look (permission denied, a loop of links, a name too long) is an error
/// naming the path, so that a log that cannot be read never reads as an empty one.
pub fn look(path: &Path) -> Result<Option<std::fs::Metadata>> {
    match std::fs::metadata(path) {
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!(
            "cannot read '{}': {e}; check its permissions and the directories above it",
            path.display()
        )),
    }
}

/// A held directory lock.
#[derive(Debug)]
pub struct LogLock {
    _file: File,
}

/// Append `line` (a newline is added if missing) to `path` in one write, then flush
/// it to the OS. Callers that share the file hold the [`LogLock`]. When the file ends
/// mid-line (a writer died, or a hand edit lost its last newline), the line starts on a
/// line of its own, so it is not glued to the torn one and lost with it.
pub fn append_line(path: &Path, line: &[u8]) -> Result<()> {
    let mut file = open_append(path)?;
    let torn = ends_mid_line(path, &file)
        .with_context(|| format!("cannot read the end of '{}'", path.display()))?;
    let mut buf = Vec::with_capacity(line.len() + 2);
    if torn {
        buf.push(b'\n');
    }
    buf.extend_from_slice(line);
    if !buf.ends_with(b"\n") {
        buf.push(b'\n');
    }
    let before = file.metadata().map(|m| m.len());
    if let Err(e) = file.write_all(&buf) {
        // Part of the line may be in (a full disk, `ulimit -f`): taken back, so the next
        // append does not leave a torn line that every reader then skips.
        if let Ok(len) = before {
            let _ = file.set_len(len);
        }
        return Err(e).with_context(|| format!("cannot append to '{}'", path.display()));
    }
    Ok(())
}

/// Whether the file open at `path` is not empty and its last byte is not a newline.
pub fn ends_mid_line(path: &Path, file: &File) -> io::Result<bool> {
    use std::os::unix::fs::FileExt;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    let mut last = [0u8];
    File::open(path)?.read_exact_at(&mut last, len - 1)?;
    Ok(last[0] != b'\n')
}

/// Opening flag that keeps `open` from waiting on a FIFO put where a log file belongs
/// (regular files ignore it); [`refuse_special`] then refuses such a file.
pub const NONBLOCK: i32 = nix::fcntl::OFlag::O_NONBLOCK.bits();

/// Refuse a path of the log directory that names a FIFO or a socket, whose open or read
/// would block forever (a device such as `/dev/full` is opened as a file is, and fails or
/// succeeds as it does).
pub fn refuse_special(path: &Path) -> Result<()> {
    use std::os::unix::fs::FileTypeExt;
    match std::fs::metadata(path) {
        Ok(m) if m.file_type().is_fifo() || m.file_type().is_socket() => anyhow::bail!(
            "'{}' is not a regular file (a FIFO or a socket); move it out of the log directory",
            path.display()
        ),
        _ => Ok(()),
    }
}

/// The name of the lock file in a log directory.
pub const LOCK_FILE: &str = ".lock";

/// Open the log directory's `.lock` file (created with mode 0600, as the logs are), whose
/// advisory lock every writer of the directory takes.
pub fn open_lock_file(dir: &Path) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join(LOCK_FILE);
    refuse_special(&path)?;
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .custom_flags(NONBLOCK)
        .open(&path)
        .with_context(|| {
            format!(
                "cannot open lock file '{}'; pass a writable --log-dir",
                path.display()
            )
        })
}

/// Open a file for appending, creating it with mode 0600 (logs hold usage data).
pub fn open_append(path: &Path) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    refuse_special(path)?;
    let mut opts = OpenOptions::new();
    opts.create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(NONBLOCK);
    opts.open(path).with_context(|| {
        format!(
            "cannot open '{}' for appending; check the log directory's permissions",
            path.display()
        )
    })
}

/// Whether an I/O error means the file does not exist.
pub fn is_not_found(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::NotFound
}
