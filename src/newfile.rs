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

    /// Write `contents` to `path` as a new file (or over the old one with `force`) and sync it.
    pub fn write(&self, path: &Path, contents: &[u8]) -> Result<()> {
        let mut opts = OpenOptions::new();
        opts.write(true);
        if self.force {
            opts.create(true).truncate(true);
        } else {
            opts.create_new(true);
        }
        #[cfg(unix)]
        if let Some(mode) = self.mode {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(mode);
        }
        let what = self.what;
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
        #[cfg(unix)]
        if let Some(mode) = self.mode {
            // An existing file keeps its mode on open: set it.
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(mode))
                .with_context(|| format!("cannot set mode {mode:04o} on '{}'", path.display()))?;
        }
        file.write_all(contents)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {what} '{}'", path.display()))
    }
}
