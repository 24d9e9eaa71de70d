//! Reading one whole named input: a file, or stdin when the name is `-`, never more
//! than a bound, so a wrong path (`/dev/zero`, a disk image) fails instead of filling memory;
//! and log inputs that can be read only once (stdin, a pipe, `<(zcat ...)`), copied to a
//! temporary file so that they are read like any log file.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, FileTypeExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

/// The most a single document (a receipt, an event, a map, agents.json) may hold.
pub const DOCUMENT_LIMIT: u64 = 64 << 20;
/// The most a configuration file (a pricing file, a keyring, API keys) may hold.
pub const CONFIG_LIMIT: u64 = 16 << 20;
/// The most a key or certificate file may hold.
pub const KEY_LIMIT: u64 = 1 << 20;

/// The bytes of `path`, or of stdin for `-`, up to [`DOCUMENT_LIMIT`]; `what` names the
/// input in errors ("the receipt", "the document"). UTF-16 text is an error.
pub fn read_all(path: &Path, what: &str) -> Result<Vec<u8>> {
    let bytes = if path.as_os_str() == "-" {
        read_capped(io::stdin().lock(), DOCUMENT_LIMIT)
            .with_context(|| format!("cannot read {what} from stdin"))?
    } else {
        read_file(path, DOCUMENT_LIMIT)
            .with_context(|| format!("cannot read {what} '{}'; check the path", path.display()))?
    };
    crate::kind::refuse_utf16(path, &bytes)?;
    Ok(bytes)
}

/// The bytes of the file at `path`, if it holds at most `limit`; beyond that an error
/// saying so (the callers add which input it was).
pub fn read_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    read_capped(std::fs::File::open(path)?, limit)
}

/// The text of the file at `path`, as [`read_file`] reads it; bytes that are not UTF-8
/// are an error.
pub fn read_text(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read_file(path, limit)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// Read to the end, if the end comes within `limit` bytes.
pub fn read_capped(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "it holds more than {} MiB, more than such a file ever needs",
                limit >> 20
            ),
        ));
    }
    Ok(buf)
}

/// A log input's name in a message: `stdin` for `-`, otherwise the path quoted.
pub fn name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "stdin".to_owned()
    } else {
        format!("'{}'", path.display())
    }
}

/// What stdin was taken for, once something took it: two inputs cannot both be read from it.
static STDIN_TAKEN: Mutex<Option<String>> = Mutex::new(None);

/// Claim stdin for `what` ("the events", "the pricing file"); an error when it is a terminal
/// (nothing was piped: reading would wait for typing) or was already claimed for another
/// input.
pub fn take_stdin(what: &str) -> anyhow::Result<()> {
    let mut taken = STDIN_TAKEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(earlier) = taken.as_deref() {
        anyhow::bail!(
            "stdin ('-') is already read for {earlier}; give {what} as a file, or pass '-' only once"
        );
    }
    if io::stdin().is_terminal() {
        anyhow::bail!(
            "'-' reads {what} from stdin, and stdin is a terminal; pipe it in (cat FILE | mcpbill ...) or give the file's path"
        );
    }
    *taken = Some(what.to_owned());
    Ok(())
}

/// What stdin is (a pipe, a file, a device), when it can be looked at.
fn stdin_metadata() -> Option<std::fs::Metadata> {
    use std::os::fd::AsFd;
    let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
    File::from(fd).metadata().ok()
}

/// Whether `path` names what stdin is (`/dev/stdin`, `/proc/self/fd/0`, or the file stdin
/// was redirected from).
pub fn is_stdin(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), stdin_metadata()) {
        (Ok(p), Some(s)) => p.dev() == s.dev() && p.ino() == s.ino(),
        _ => false,
    }
}

/// Log inputs read once into an unlinked temporary file: the name they were given (`-`,
/// `/dev/fd/63`) and the copy.
static SPOOLED: Mutex<Vec<(PathBuf, Arc<File>)>> = Mutex::new(Vec::new());

/// Whether `path` names an input that can be read only once: `-` (stdin), a pipe or a
/// socket, followed through links (`/dev/stdin`, `<(zcat ...)`).
pub fn reads_once(path: &Path) -> bool {
    path.as_os_str() == "-"
        || std::fs::metadata(path).is_ok_and(|m| {
            let t = m.file_type();
            t.is_fifo() || t.is_socket()
        })
}

/// Copy the input `path` names (see [`reads_once`]) into a temporary file, once, so that
/// [`open`] and [`len`] read it as a file: the log scan reads files in pieces, on several
/// threads, and some inputs twice. `what` names the input's contents for errors. The copy
/// is unlinked from the start and goes when the process does.
pub fn spool(path: &Path, what: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    if spooled(path).is_some() {
        return Ok(());
    }
    let mut source: Box<dyn Read> = if path.as_os_str() == "-" {
        take_stdin(what)?;
        if stdin_metadata().is_some_and(|m| {
            let t = m.file_type();
            t.is_char_device() || t.is_block_device()
        }) {
            anyhow::bail!(
                "stdin is a device (such as /dev/zero), not a log; pipe {what} in, or give the file's path"
            );
        }
        Box::new(io::stdin().lock())
    } else {
        Box::new(
            File::open(path)
                .with_context(|| format!("cannot open '{}'; check the path", path.display()))?,
        )
    };
    let dir = std::env::temp_dir();
    let mut copy = tempfile::tempfile_in(&dir).with_context(|| {
        format!(
            "cannot make a temporary file in '{}' to hold {}; set TMPDIR to a writable directory",
            dir.display(),
            crate::kind::shown(path)
        )
    })?;
    io::copy(&mut source, &mut copy).map_err(|e| {
        let full = matches!(
            e.kind(),
            io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge
        );
        let side = if full {
            format!(
                "; {} has no room for it: set TMPDIR to a disk with room, or pass the file itself",
                dir.display()
            )
        } else {
            String::new()
        };
        anyhow::anyhow!(
            "cannot copy {} to a temporary file: {e}{side}",
            crate::kind::shown(path)
        )
    })?;
    SPOOLED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push((path.to_path_buf(), Arc::new(copy)));
    Ok(())
}

fn spooled(path: &Path) -> Option<Arc<File>> {
    SPOOLED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, f)| Arc::clone(f))
}

/// A log input open for reading from its start: the file, or the copy of an input
/// [`spool`] took. Each has its own position, so several threads read one input at once.
pub struct Input {
    file: Arc<File>,
    pos: u64,
}

/// Open the log input `path`: the copy when it was spooled, otherwise the file.
pub fn open(path: &Path) -> io::Result<Input> {
    let file = match spooled(path) {
        Some(f) => f,
        None => Arc::new(File::open(path)?),
    };
    Ok(Input { file, pos: 0 })
}

/// The length in bytes of the log input `path` (of its copy when it was spooled).
pub fn len(path: &Path) -> io::Result<u64> {
    match spooled(path) {
        Some(f) => Ok(f.metadata()?.len()),
        None => Ok(std::fs::metadata(path)?.len()),
    }
}

/// Whether `path` is a log input read as a file: a regular file, or a spooled copy.
pub fn is_file(path: &Path) -> bool {
    spooled(path).is_some() || std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Input {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let base = match to {
            SeekFrom::Start(n) => {
                self.pos = n;
                return Ok(n);
            }
            SeekFrom::Current(d) => (self.pos, d),
            SeekFrom::End(d) => (self.file.metadata()?.len(), d),
        };
        self.pos = base.0.checked_add_signed(base.1).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "a seek before the start")
        })?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_limit_and_refuses_more() {
        assert_eq!(read_capped(&b"abc"[..], 3).unwrap(), b"abc");
        let err = read_capped(&b"abcd"[..], 3).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        // An endless input ends at the limit.
        let err = read_capped(io::repeat(0), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("more than 1 MiB"), "{err}");
    }
}
