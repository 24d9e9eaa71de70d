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
    /// truncated one, and a symbolic link at `path` is replaced, not written through.
    pub fn write(&self, path: &Path, contents: &[u8]) -> Result<()> {
        let what = self.what;
        if self.force {
            return self
                .replace(path, contents)
                .with_context(|| format!("cannot write {what} '{}'", path.display()));
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
                return Err(e)
                    .with_context(|| format!("cannot create {what} '{}'", path.display()));
            }
        };
        file.write_all(contents)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {what} '{}'", path.display()))
    }

    /// The `force` write: a synced temporary file in the same directory renamed over `path`,
    /// then the directory synced so the rename survives a crash.
    fn replace(&self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        // tempfile creates the file with mode 0600, so a secret is never readable by others.
        let mut tmp = tempfile::Builder::new()
            .prefix(".mcpbill-new-")
            .tempfile_in(dir)?;
        #[cfg(unix)]
        if let Some(mode) = self.mode {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        tmp.write_all(contents)?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        Ok(())
    }
}
