//! API keys for the write endpoints: a file of SHA-256 key hashes, each naming the agent
//! or provider it belongs to, checked in constant time.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::cli::KeyRole;

/// Who presented a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The agent or provider id.
    pub id: String,
    /// Agent or provider.
    pub role: KeyRole,
}

/// One line of the keys file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// The agent or provider id the key belongs to.
    pub id: String,
    /// Agent or provider.
    pub role: KeyRole,
    /// Lowercase hex SHA-256 of the key.
    pub sha256: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeysToml {
    #[serde(default)]
    keys: Vec<KeyEntry>,
}

/// The loaded keys.
#[derive(Debug, Clone, Default)]
pub struct ApiKeys {
    entries: Vec<([u8; 32], Principal)>,
}

/// The SHA-256 of a key (surrounding whitespace removed).
pub fn hash_key(key: &str) -> [u8; 32] {
    Sha256::digest(key.trim().as_bytes()).into()
}

/// The TOML block to add to the keys file for a key.
pub fn entry_toml(id: &str, role: KeyRole, key: &str) -> String {
    let doc = KeysToml {
        keys: vec![KeyEntry {
            id: id.to_owned(),
            role,
            sha256: hex::encode(hash_key(key)),
        }],
    };
    toml::to_string(&doc).unwrap_or_default()
}

impl ApiKeys {
    /// Load a keys file: TOML (`[[keys]]` tables) or, for a `.jsonl` file, one JSON
    /// object per line, each with `id`, `role` and `sha256`.
    pub fn load(path: &Path) -> Result<Self> {
        let text =
            crate::input::read_text(path, crate::input::CONFIG_LIMIT).with_context(|| {
                format!(
                    "cannot read API keys file '{}'; check --api-keys",
                    path.display()
                )
            })?;
        let entries: Vec<KeyEntry> = if path.extension().is_some_and(|e| e == "jsonl") {
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(n, l)| {
                    serde_json::from_str(l).with_context(|| {
                        format!(
                            "{}:{}: not a key entry {{\"id\", \"role\", \"sha256\"}}",
                            path.display(),
                            n + 1
                        )
                    })
                })
                .collect::<Result<_>>()?
        } else {
            let doc: KeysToml = toml::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "API keys file '{}' is not valid: {}",
                    path.display(),
                    e.message()
                )
            })?;
            doc.keys
        };
        let mut keys = ApiKeys::default();
        for e in entries {
            let Ok(bytes) = hex::decode(e.sha256.trim()) else {
                bail!(
                    "API key '{}' in '{}': sha256 must be 64 hex characters (make it with 'mcpbill serve --hash-key ID')",
                    e.id,
                    path.display()
                );
            };
            let Ok(hash) = <[u8; 32]>::try_from(bytes.as_slice()) else {
                bail!(
                    "API key '{}' in '{}': sha256 must be 64 hex characters (make it with 'mcpbill serve --hash-key ID')",
                    e.id,
                    path.display()
                );
            };
            if e.id.is_empty() {
                bail!("an API key in '{}' has an empty id", path.display());
            }
            keys.entries.push((
                hash,
                Principal {
                    id: e.id,
                    role: e.role,
                },
            ));
        }
        Ok(keys)
    }

    /// How many keys are loaded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no keys are loaded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The principal a presented key belongs to. Every entry is compared in constant
    /// time, so the answer's timing does not depend on which entry matched.
    pub fn authenticate(&self, key: &str) -> Option<&Principal> {
        let hash = hash_key(key);
        let mut found = None;
        for (h, p) in &self.entries {
            if bool::from(h.ct_eq(&hash)) && found.is_none() {
                found = Some(p);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_round_trip_and_lookup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.toml");
        let mut text = entry_toml("agent-1", KeyRole::Agent, "secret-one\n");
        text.push_str(&entry_toml("acme", KeyRole::Provider, "secret-two"));
        std::fs::write(&path, text).unwrap();
        let keys = ApiKeys::load(&path).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys.authenticate("secret-one").unwrap().id, "agent-1");
        assert_eq!(
            keys.authenticate("secret-two").unwrap().role,
            KeyRole::Provider
        );
        assert!(keys.authenticate("secret-three").is_none());
    }

    #[test]
    fn jsonl_and_bad_hash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.jsonl");
        let h = hex::encode(hash_key("k"));
        std::fs::write(
            &path,
            format!("{{\"id\":\"a\",\"role\":\"agent\",\"sha256\":\"{h}\"}}\n"),
        )
        .unwrap();
        assert!(ApiKeys::load(&path).unwrap().authenticate("k").is_some());
        std::fs::write(
            &path,
            "{\"id\":\"a\",\"role\":\"agent\",\"sha256\":\"xyz\"}\n",
        )
        .unwrap();
        assert!(ApiKeys::load(&path).is_err());
    }
}
