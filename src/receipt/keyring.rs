//! The keyring file: a TOML table mapping provider ids to key files, so one
//! `receipt verify` run checks receipts of several providers.
//!
//! ```toml
//! acme = "keys/acme.key"          # relative to the keyring file's directory
//! "tools.example" = "/etc/mcpbill/example.key"
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::key::Secret;

/// Provider ids and their secrets, in file order.
#[derive(Debug)]
pub struct Keyring {
    /// `(provider_id, secret)` pairs.
    pub entries: Vec<(String, Secret)>,
}

impl Keyring {
    /// Read a keyring file and every key file it names.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = crate::input::read_file(path, crate::input::CONFIG_LIMIT)
            .with_context(|| format!("cannot read keyring '{}'; check the path", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            anyhow::anyhow!(
                "keyring '{}' is not UTF-8 text; save it as UTF-8 TOML, like acme = \"acme.key\"",
                path.display()
            )
        })?;
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let message = crate::output::one_line(e.message());
            anyhow::anyhow!(
                "keyring '{}' is not valid TOML: {}; write one line per provider, like acme = \"acme.key\"",
                path.display(),
                message
            )
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        let mut entries = Vec::with_capacity(table.len());
        for (provider, value) in &table {
            let Some(file) = value.as_str() else {
                bail!(
                    "keyring '{}': provider '{}' maps to a TOML {}; expected the path of its key file as a string",
                    path.display(),
                    provider.escape_debug(),
                    value.type_str()
                );
            };
            let key_path = resolve(base, file);
            let secret = Secret::from_file(&key_path).with_context(|| {
                format!(
                    "keyring '{}', provider '{}'",
                    path.display(),
                    provider.escape_debug()
                )
            })?;
            entries.push((provider.clone(), secret));
        }
        if entries.is_empty() {
            bail!(
                "keyring '{}' names no providers; add one line per provider, like acme = \"acme.key\"",
                path.display()
            );
        }
        Ok(Keyring { entries })
    }
}

fn resolve(base: &Path, file: &str) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() {
        p.to_owned()
    } else {
        base.join(p)
    }
}
