//! `mcpbill keygen`: a random HMAC secret written to a new file with mode 0600.

use anyhow::Result;
use serde_json::json;

use crate::cli::KeygenArgs;
use crate::exit::ExitStatus;
use crate::newfile::NewFile;
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
    if path.as_os_str() == "-" {
        // Elsewhere '-' is stdout; a secret is never printed, so it would be a file named '-'.
        anyhow::bail!(
            "keygen writes the secret to a file, never to stdout; pass a file path to --out (e.g. --out billing.key)"
        );
    }
    let file = NewFile {
        what: "key file",
        force: args.force,
        mode: Some(0o600),
        overwrite_note: " (receipts signed with the old key will no longer verify)",
    };
    file.check(path, "pass a file path to --out")?;
    let secret = new_secret();
    file.write(path, format!("{secret}\n").as_bytes())?;
    if printer.json() {
        printer.json_doc(&json!({"key_file": path, "bytes": secret.len(), "mode": "0600"}))?;
    } else {
        // On stderr, as other commands that write a file say so (`-q` silences it). The
        // note escapes the path, which may hold control characters.
        printer.note(&format!(
            "wrote a new {}-character secret to {} (mode 0600); keep it private",
            secret.len(),
            path.display()
        ));
    }
    Ok(ExitStatus::Success)
}
