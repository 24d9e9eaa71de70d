//! `mcpbill keygen`: a random HMAC secret written to a new file with mode 0600.

use std::fs::OpenOptions;
use std::io::Write;

use anyhow::{Context, Result, bail};
use serde_json::json;

use crate::cli::KeygenArgs;
use crate::exit::ExitStatus;
use crate::output::Printer;

/// Bytes of randomness in a generated secret (256 bits, 64 hex characters).
const SECRET_BYTES: usize = 32;

/// A new secret: 64 lowercase hex characters from the OS CSPRNG.
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::getrandom(&mut bytes)
        .expect("the operating system's random number generator failed");
    hex::encode(bytes)
}

/// Run `mcpbill keygen`.
pub fn run(args: &KeygenArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let path = &args.out;
    if path.is_dir() {
        bail!(
            "'{}' is a directory; pass a file path to --out",
            path.display()
        );
    }
    let mut opts = OpenOptions::new();
    opts.write(true);
    if args.force {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = match opts.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "'{}' already exists; pass --force to overwrite it (receipts signed with the old key will no longer verify)",
            path.display()
        ),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot create key file '{}'", path.display()));
        }
    };
    #[cfg(unix)]
    {
        // An existing file keeps its mode on open: tighten it.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot set mode 0600 on '{}'", path.display()))?;
    }
    let secret = new_secret();
    file.write_all(format!("{secret}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write key file '{}'", path.display()))?;
    if printer.json() {
        printer.json_doc(&json!({"key_file": path, "bytes": secret.len(), "mode": "0600"}))?;
    } else {
        printer.line(&format!(
            "wrote a new {}-character secret to {} (mode 0600); keep it private",
            secret.len(),
            path.display()
        ))?;
    }
    Ok(ExitStatus::Success)
}
