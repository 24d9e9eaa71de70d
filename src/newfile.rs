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
        file.write_all(contents)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {what} '{}'", path.display()))
    }
}

/// Replace `path` with `contents` whole: a synced temporary file in the same directory
/// renamed over it, then the directory synced so the rename survives a crash. An
/// interrupted run leaves the old file or the new one, never a truncated one, and a
/// symbolic link at `path` is replaced, not written through. The file gets `mode`, else
/// the replaced file's permissions, else the usual ones through the umask; the replaced
/// file's owner is kept where allowed. The temporary file is removed when anything fails.
pub fn replace_file(path: &Path, contents: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let old = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_file());
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut random = [0u8; 6];
    getrandom::getrandom(&mut random).map_err(|e| std::io::Error::other(e.to_string()))?;
    let tmp = dir.join(format!(
        ".{name}.mcpbill-{}",
        crate::ids::hex_lower(&random)
    ));
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A new file's usual mode, through the umask; a secret's own from the start.
        opts.mode(mode.unwrap_or(0o666));
    }
    let mut file = opts.open(&tmp)?;
    let result = (|| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            if let Some(m) = &old {
                // Kept where allowed (root; or a group the user is in); never fatal.
                let _ = std::os::unix::fs::fchown(&file, Some(m.uid()), Some(m.gid()));
            }
            if let Some(mode) = mode.or(old.as_ref().map(|m| m.mode() & 0o777)) {
                file.set_permissions(std::fs::Permissions::from_mode(mode))?;
            }
        }
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
