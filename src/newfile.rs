//! Files a command creates for the user (a key, a pricing file): never an existing one
//! unless `--force`, synced to disk before the command reports success.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// How to create one kind of file.
pub struct NewFile<'a> {
    /// What the file is, in messages ("key file").
    pub what: &'a str,
    /// Replace an existing file (`--force`).
    pub force: bool,
    /// Unix permission bits, set on a replaced file too.
    pub mode: Option<u32>,
    /// Appended to the "already exists" refusal: what overwriting would cost.
    pub overwrite_note: &'a str,
}

impl NewFile<'_> {
    /// Refuse `path` before any work is done for it: a directory (`dir_hint` says what to
    /// pass instead), or an existing file without `force`. [`NewFile::write`] still refuses
    /// a file that appears in between.
    pub fn check(&self, path: &Path, dir_hint: &str) -> Result<()> {
        if path.is_dir() {
            bail!("'{}' is a directory; {dir_hint}", path.display());
        }
        // A device, FIFO or socket is never replaced (`--out /dev/null --force` as root
        // would replace the system's device); a symbolic link is, itself.
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            let kind = meta.file_type();
            if !kind.is_file() && !kind.is_symlink() {
                bail!(
                    "'{}' is not a regular file (a device, FIFO or socket); {dir_hint}",
                    path.display()
                );
            }
        }
        if path.exists() && !self.force {
            bail!(self.exists_message(path));
        }
        Ok(())
    }

    fn exists_message(&self, path: &Path) -> String {
        format!(
            "'{}' already exists; pass --force to overwrite it{}",
            path.display(),
            self.overwrite_note
        )
    }

    /// Write `contents` to `path` as a new file and sync it. With `force`, an existing
    /// file is replaced whole: the contents go to a temporary file beside it, which is then
    /// renamed over it, so an interrupted run leaves the old file or the new one, never a
    /// truncated one, and a symbolic link at `path` is replaced, not written through. The
    /// replaced file's permissions (unless `mode` says) and owner are kept where allowed.
    pub fn write(&self, path: &Path, contents: &[u8]) -> Result<()> {
        let what = self.what;
        if self.force {
            return replace_file(path, contents, self.mode).map_err(|e| {
                anyhow::anyhow!(
                    "cannot write {what} '{}': {e}; --force replaces the file through its directory, which must exist and be writable",
                    path.display()
                )
            });
        }
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        if let Some(mode) = self.mode {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(mode);
        }
        let mut file = match opts.open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                bail!(self.exists_message(path))
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "cannot create {what} '{}'; check that its directory exists and is writable",
                        path.display()
                    )
                });
            }
        };
        let written = file.write_all(contents).and_then(|()| file.sync_all());
        if written.is_err() {
            // Created here and not whole (a full disk, `ulimit -f`): an empty or cut-off
            // file would pass for the real one, and block the next run without --force.
            drop(file);
            let _ = std::fs::remove_file(path);
        }
        written.with_context(|| format!("cannot write {what} '{}'", path.display()))
    }
}

/// Replace `path` with `contents` whole: a synced temporary file in the same directory
/// renamed over it, then the directory synced so the rename survives a crash. An
/// interrupted run leaves the old file or the new one, never a truncated one, and a
/// symbolic link at `path` is replaced, not written through. The file gets `mode`, else
/// the replaced file's permissions, else the usual ones through the umask; the replaced
/// file's owner is kept where allowed. The temporary file is removed when anything fails.
pub fn replace_file(path: &Path, contents: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    let mut staged = Staged::new(path, mode)?;
    staged.file().write_all(contents)?;
    staged.commit()
}

/// A file being written beside `path` (see [`replace_file`]), which takes its place only
/// when [`Staged::commit`] is called: until then, and if it never is, `path` keeps what
/// it held. Dropped uncommitted, the temporary file is removed.
pub struct Staged {
    file: std::fs::File,
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
    committed: bool,
}

impl Staged {
    /// Start the file that will replace `path`, with [`replace_file`]'s mode and owner.
    pub fn new(path: &Path, mode: Option<u32>) -> std::io::Result<Self> {
        Self::at(path, Self::temp_name(path)?, mode)
    }

    /// A new name for the temporary file beside `path`: `.NAME.mcpbill-` and 12 random hex
    /// characters.
    fn temp_name(path: &Path) -> std::io::Result<std::path::PathBuf> {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let mut random = [0u8; 6];
        getrandom::getrandom(&mut random).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(dir_of(path).join(format!(
            ".{name}.mcpbill-{}",
            crate::ids::hex_lower(&random)
        )))
    }

    /// [`Staged::new`] with the temporary file at `tmp`.
    fn at(path: &Path, tmp: std::path::PathBuf, mode: Option<u32>) -> std::io::Result<Self> {
        let old = std::fs::symlink_metadata(path)
            .ok()
            .filter(|m| m.file_type().is_file());
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // A new file's usual mode, through the umask; a secret's own from the start.
            opts.mode(mode.unwrap_or(0o666));
        }
        let staged = Staged {
            file: opts.open(&tmp)?,
            tmp,
            path: path.to_path_buf(),
            committed: false,
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            if let Some(m) = &old {
                // Kept where allowed (root; or a group the user is in); never fatal.
                let _ = std::os::unix::fs::fchown(&staged.file, Some(m.uid()), Some(m.gid()));
            }
            if let Some(mode) = mode.or(old.as_ref().map(|m| m.mode() & 0o777)) {
                staged
                    .file
                    .set_permissions(std::fs::Permissions::from_mode(mode))?;
            }
        }
        Ok(staged)
    }

    /// The file being written.
    pub fn file(&mut self) -> &mut std::fs::File {
        &mut self.file
    }

    /// Sync the file, rename it over the path, and sync the directory.
    pub fn commit(mut self) -> std::io::Result<()> {
        self.file.sync_all()?;
        std::fs::rename(&self.tmp, &self.path)?;
        self.committed = true;
        #[cfg(unix)]
        std::fs::File::open(dir_of(&self.path))?.sync_all()?;
        Ok(())
    }
}

/// An output file a command writes (`export --out`, `report --html`): a plain file, or one
/// that does not exist yet, is [`Staged`] beside its path and takes its place only when
/// finished, so a failed run leaves the earlier one; a link, device or FIFO
/// (`/dev/stdout`) is written through, as is a file whose directory cannot take the
/// temporary file.
pub enum OutputFile {
    /// Written beside the path; an interrupt or a SIGTERM removes it before the command ends.
    Staged(Staged, Option<RemoveOnSignal>),
    /// Written in place.
    Direct(std::fs::File),
}

/// While a staged output file is written, SIGINT and SIGTERM remove it and then end the
/// process as the signal would have (a shell sees 130 or 143), so an interrupted
/// `export --out` leaves no hidden temporary file behind. A signal the command was started
/// with ignored (a background job of a script, `nohup`) stays ignored. Dropped, the signals
/// get their earlier handling back.
pub struct RemoveOnSignal {
    handle: signal_hook::iterator::Handle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RemoveOnSignal {
    fn new(tmp: std::path::PathBuf) -> std::io::Result<Option<Self>> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let ignored = ignored_signals();
        let watched: Vec<i32> = [SIGINT, SIGTERM]
            .into_iter()
            .filter(|&s| !is_ignored(ignored, s))
            .collect();
        if watched.is_empty() {
            return Ok(None);
        }
        let mut signals = signal_hook::iterator::Signals::new(&watched)?;
        let handle = signals.handle();
        let thread = std::thread::Builder::new()
            .name("mcpbill-cleanup".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let _ = std::fs::remove_file(&tmp);
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                }
            })?;
        Ok(Some(RemoveOnSignal {
            handle,
            thread: Some(thread),
        }))
    }
}

impl Drop for RemoveOnSignal {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Whether signal `signal` is among the `ignored` ones ([`ignored_signals`]).
pub fn is_ignored(ignored: u64, signal: i32) -> bool {
    (1..=64).contains(&signal) && ignored & (1u64 << (signal - 1)) != 0
}

/// The signals this process ignores (bit `n - 1` for signal `n`), from `/proc/self/status`;
/// none where that cannot be read.
pub fn ignored_signals() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("SigIgn:"))
                .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        })
        .unwrap_or(0)
}

impl OutputFile {
    /// Open `path` for writing.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let plain = match std::fs::symlink_metadata(path) {
            Ok(m) => m.file_type().is_file(),
            Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        };
        if plain {
            // Watched before it exists: a signal may come as soon as it does.
            let tmp = Staged::temp_name(path)?;
            let guard = RemoveOnSignal::new(tmp.clone())?;
            match Staged::at(path, tmp, None) {
                Ok(s) => return Ok(OutputFile::Staged(s, guard)),
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {}
                Err(e) => return Err(e),
            }
        }
        Ok(OutputFile::Direct(std::fs::File::create(path)?))
    }

    /// The file to write to.
    pub fn file(&mut self) -> &mut std::fs::File {
        match self {
            OutputFile::Staged(s, _) => s.file(),
            OutputFile::Direct(f) => f,
        }
    }

    /// Everything is written: put a staged file in place.
    pub fn finish(self) -> std::io::Result<()> {
        match self {
            // The guard is dropped after the rename: an interrupt before it still removes
            // the temporary file, one after it finds the export in place.
            OutputFile::Staged(s, _guard) => s.commit(),
            OutputFile::Direct(_) => Ok(()),
        }
    }
}

/// What an existing file is, when it is one an output file must never replace: a log of
/// receipts, meter events or disputes, a pricing file, or a key. Read from its first 4 KiB
/// only; `None` for anything else (an earlier export or report, an empty file, a device).
pub fn precious_kind(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() == 0 {
        return None;
    }
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().find(|l| !l.trim().is_empty())?.trim();
    if first.starts_with('{') {
        return match crate::kind::Kind::of_line(first.as_bytes()) {
            crate::kind::Kind::Receipts => Some("a receipts log"),
            crate::kind::Kind::Events => Some("a meter events log"),
            crate::kind::Kind::Unknown => {
                first.contains("\"dispute_id\"").then_some("a disputes log")
            }
        };
    }
    if text
        .lines()
        .any(|l| l.trim_start().starts_with("provider_id") && l.contains('='))
    {
        return Some("a pricing file");
    }
    // A secret: one short line, no spaces, commas or markup (a CSV header has commas).
    let one_line = text.trim_end().lines().count() == 1;
    if one_line
        && meta.len() <= 1024
        && !first.contains(|c: char| c.is_whitespace() || matches!(c, ',' | '<' | '[' | '{'))
    {
        return Some("a key file");
    }
    None
}

/// The directory `path` is in (`.` for a bare name).
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn staged_replaces_only_when_committed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        // Abandoned (a failed export): the old file stays, no temporary file is left.
        let mut s = Staged::new(&path, None).unwrap();
        s.file().write_all(b"half").unwrap();
        drop(s);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(names(dir.path()), ["out.csv"]);
        // Committed: the new content, with the replaced file's mode.
        let mut s = Staged::new(&path, None).unwrap();
        s.file().write_all(b"new\n").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(names(dir.path()), ["out.csv"]);
    }
}
