//! Verification records: one JSON line per successful verification, appended with a single
//! write to the `--record` file (the input of `trust --verifications`).

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// The verification levels of spec section 4 (unverified has no record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Email,
    Domain,
    Code,
}

/// One line of the records file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationRecord {
    pub provider_id: String,
    pub level: Level,
    /// How it was verified: `dns_txt`, `dns_mx`, `dns_address`, `repo_file` or `repo_url`.
    pub method: String,
    /// What was verified: the domain, the address, the directory or URL.
    pub subject: String,
    /// What was found, in one line.
    pub evidence: String,
    pub verified_at: String,
}

impl VerificationRecord {
    /// A record stamped now.
    pub fn now(
        provider_id: &str,
        level: Level,
        method: &str,
        subject: &str,
        evidence: &str,
    ) -> Self {
        VerificationRecord {
            provider_id: provider_id.to_owned(),
            level,
            method: method.to_owned(),
            subject: subject.to_owned(),
            evidence: evidence.to_owned(),
            verified_at: Timestamp::now().as_str().to_owned(),
        }
    }
}

/// Append the record as one line in one write (O_APPEND), creating the file if needed.
pub fn append(path: &Path, record: &VerificationRecord) -> Result<()> {
    check_target(path)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| {
            format!(
                "cannot create the directory of --record '{}'",
                path.display()
            )
        })?;
    }
    let line = serde_json::to_vec(record).context("cannot encode the verification record")?;
    crate::eventlog::append_line(path, &line)
}

/// Refuse a provider id that no receipt or pricing file can carry (empty, `|`, control
/// characters), so that a verification record is never written for one.
pub fn check_provider_id(id: &str) -> Result<()> {
    if id.trim().is_empty() {
        anyhow::bail!("the provider id is empty; pass --provider-id");
    }
    if !crate::receipt::canonical::receipt_safe(id) {
        anyhow::bail!(
            "the provider id {id:?} contains '|' or a control character, which receipts cannot carry; pass the provider id of your pricing file"
        );
    }
    Ok(())
}

/// Refuse a `--record` path that cannot take records before anything is checked, so a
/// verification is not done only to fail at the end: a directory, a device.
pub fn check_target(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => anyhow::bail!(
            "--record '{}' is a directory; give the file to append verification records to (such as verifications.jsonl)",
            path.display()
        ),
        Ok(m) if !m.is_file() => anyhow::bail!(
            "--record '{}' is not a regular file; give the file to append verification records to",
            path.display()
        ),
        _ => {
            // The nearest existing ancestor must be a directory for the file to be made.
            let blocked = path
                .ancestors()
                .skip(1)
                .filter(|a| !a.as_os_str().is_empty())
                .find_map(|a| std::fs::metadata(a).ok())
                .is_some_and(|m| !m.is_dir());
            if blocked {
                anyhow::bail!(
                    "--record '{}' is inside something that is not a directory; give a file in a directory",
                    path.display()
                );
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.jsonl");
        let r = VerificationRecord::now("acme", Level::Domain, "dns_txt", "example.com", "TXT ...");
        append(&path, &r).unwrap();
        append(&path, &r).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(v["level"], "domain");
        assert_eq!(v["provider_id"], "acme");
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "provider_id",
                "level",
                "method",
                "subject",
                "evidence",
                "verified_at"
            ]
        );
    }
}
