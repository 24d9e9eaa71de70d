//! HMAC secrets: loading from a key file or the environment, never printing them.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Environment variable holding the secret itself.
pub const KEY_ENV: &str = "MCPBILL_KEY";
/// Environment variable naming the key file (also the `--key-file` default).
pub const KEY_FILE_ENV: &str = "MCPBILL_KEY_FILE";

/// An HMAC secret: the UTF-8 bytes of the secret string as given.
/// Its `Debug` form never shows the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.0.len())
    }
}

/// Whether a key file path came from `MCPBILL_KEY_FILE`: clap fills `--key-file` from it
/// when the flag is not written, so the path came from the variable when it is the
/// variable's (with both naming the same file, either is right).
fn from_env(path: &Path) -> bool {
    std::env::var_os(KEY_FILE_ENV).is_some_and(|v| !v.is_empty() && v == *path)
}

impl Secret {
    /// A secret from its string form (a byte order mark and one trailing newline
    /// stripped). A secret of several lines, or with whitespace around it, is refused: that
    /// is another kind of file, or an editor's slip, and would sign with a key nobody else
    /// has.
    pub fn from_text(text: &str) -> Result<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .unwrap_or(text);
        if text.is_empty() {
            bail!("the HMAC secret is empty; generate one with 'mcpbill keygen'");
        }
        if text.contains(['\n', '\r']) {
            let breaks = text.matches('\n').count().max(text.matches('\r').count());
            let lines = breaks + 1;
            bail!(
                "the HMAC secret holds {lines} lines, not one; is this the key file? ('mcpbill keygen' makes one)"
            );
        }
        if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
            bail!(
                "the HMAC secret has whitespace before or after it; remove it (an editor or a copy added it, and it would change the key)"
            );
        }
        Ok(Secret(text.as_bytes().to_vec()))
    }

    /// Read a key file.
    pub fn from_file(path: &Path) -> Result<Self> {
        if path.is_dir() {
            bail!(
                "key file '{}' is a directory; pass the key file itself (made with 'mcpbill keygen --out FILE')",
                path.display()
            );
        }
        let bytes = crate::input::read_file(path, crate::input::KEY_LIMIT).with_context(|| {
            format!(
                "cannot read key file '{}'; check the path, or create one with 'mcpbill keygen --out {}'",
                path.display(),
                path.display()
            )
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            anyhow::anyhow!(
                "key file '{}' is not UTF-8 text; the secret must be a string (see 'mcpbill keygen')",
                path.display()
            )
        })?;
        Secret::from_text(&text).with_context(|| format!("key file '{}'", path.display()))
    }

    /// The key from `--key-file` (which clap also fills from `MCPBILL_KEY_FILE`),
    /// else `MCPBILL_KEY`; `None` when neither is set (or set to nothing).
    pub fn resolve(key_file: Option<&PathBuf>) -> Result<Option<Self>> {
        if let Some(path) = key_file {
            let secret = Secret::from_file(path).map(Some);
            // A path from the environment is named as such: the command line shows none.
            if from_env(path) {
                return secret.with_context(|| {
                    format!(
                        "{KEY_FILE_ENV} is set to '{}' (unset it, or fix the path)",
                        path.display()
                    )
                });
            }
            return secret;
        }
        match std::env::var(KEY_ENV) {
            // Set to nothing, as a client config's "env" may hold: unset.
            Ok(text) if text.is_empty() => Ok(None),
            Ok(text) => Secret::from_text(&text)
                .with_context(|| format!("environment variable {KEY_ENV}"))
                .map(Some),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => {
                bail!("environment variable {KEY_ENV} is not valid UTF-8")
            }
        }
    }

    /// Where the key [`Secret::resolve`] takes from `key_file` comes from, for messages:
    /// `--key-file 'k'`, `MCPBILL_KEY_FILE ('k')` or `MCPBILL_KEY`, with the setting it
    /// shadows, if any (a stale variable is what makes a right receipt fail to verify).
    /// `None` when there is no key.
    pub fn source(key_file: Option<&Path>) -> Option<String> {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let Some(path) = key_file else {
            return set(KEY_ENV).then(|| KEY_ENV.to_owned());
        };
        let flag = !from_env(path);
        let p = path.display();
        let mut from = if flag {
            format!("--key-file '{p}'")
        } else {
            format!("{KEY_FILE_ENV} ('{p}')")
        };
        let mut unused = Vec::new();
        if flag && set(KEY_FILE_ENV) {
            unused.push(KEY_FILE_ENV);
        }
        if set(KEY_ENV) {
            unused.push(KEY_ENV);
        }
        if !unused.is_empty() {
            let verb = if unused.len() == 1 { "is" } else { "are" };
            let _ = write!(
                from,
                " ({} {verb} set too, and not used)",
                unused.join(" and ")
            );
        }
        Some(from)
    }

    /// Like [`Secret::resolve`], but a missing key is an error naming the flag.
    pub fn require(key_file: Option<&PathBuf>) -> Result<Self> {
        Secret::resolve(key_file)?.ok_or_else(|| {
            anyhow::anyhow!(
                "no HMAC key given; pass --key-file FILE, or set {KEY_FILE_ENV} or {KEY_ENV} (create a key with 'mcpbill keygen')"
            )
        })
    }

    /// The raw key bytes for HMAC.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_one_newline_and_hides_bytes() {
        let s = Secret::from_text("abc\n").unwrap();
        assert_eq!(s.bytes(), b"abc");
        assert_eq!(Secret::from_text("abc\r\n").unwrap().bytes(), b"abc");
        assert_eq!(Secret::from_text("\u{feff}abc\n").unwrap().bytes(), b"abc");
        assert_eq!(Secret::from_text("a b c").unwrap().bytes(), b"a b c");
        assert!(!format!("{s:?}").contains("abc"));
        assert!(Secret::from_text("\n").is_err());
    }

    #[test]
    fn other_files_and_stray_whitespace_are_refused() {
        let err = |t: &str| Secret::from_text(t).unwrap_err().to_string();
        assert!(err("abc\n\n").contains("2 lines"));
        assert!(err("provider_id = \"acme\"\n[tools.search]\n").contains("2 lines"));
        assert!(err("abc \n").contains("whitespace"));
        assert!(err("\tabc").contains("whitespace"));
        assert!(err("abc\r").contains("2 lines"));
    }
}
