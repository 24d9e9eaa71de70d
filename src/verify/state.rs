//! Pending domain challenges: a small JSON state file keyed by (provider id, domain), written
//! atomically (temporary file and rename) so an interrupted write never loses it.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// The file name used inside a state directory.
pub const STATE_FILE_NAME: &str = "verify-challenges.json";

/// One minted challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub provider_id: String,
    /// The normalised (ASCII) domain.
    pub domain: String,
    pub token: String,
    pub created_at: String,
}

/// The whole state file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ChallengeStore {
    pub version: u32,
    pub challenges: Vec<Challenge>,
}

impl ChallengeStore {
    /// The challenge saved for this provider and domain.
    pub fn get(&self, provider_id: &str, domain: &str) -> Option<&Challenge> {
        self.challenges
            .iter()
            .find(|c| c.provider_id == provider_id && c.domain == domain)
    }

    /// Save `challenge`, replacing any for the same provider and domain.
    pub fn put(&mut self, challenge: Challenge) {
        self.challenges
            .retain(|c| !(c.provider_id == challenge.provider_id && c.domain == challenge.domain));
        self.challenges.push(challenge);
    }
}

/// Where the state file is: `--state FILE`, else `$MCPBILL_STATE_DIR/verify-challenges.json`,
/// else the platform state directory (data directory where there is none).
pub fn default_path(state_dir_env: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = state_dir_env.filter(|d| !d.as_os_str().is_empty()) {
        return Ok(dir.join(STATE_FILE_NAME));
    }
    let dirs = directories::ProjectDirs::from("", "", "mcpbill")
        .context("cannot find a home directory for the state file; pass --state FILE or set MCPBILL_STATE_DIR")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Ok(dir.join(STATE_FILE_NAME))
}

/// Read the store (an absent file is an empty store).
pub fn load(path: &Path) -> Result<ChallengeStore> {
    let text = match crate::input::read_file(path, crate::input::CONFIG_LIMIT) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ChallengeStore {
                version: 1,
                challenges: Vec::new(),
            });
        }
        Err(e) => {
            return Err(e).with_context(|| {
                format!(
                    "cannot read the challenge state file '{}'; check the path, or pass --state FILE",
                    path.display()
                )
            });
        }
    };
    match serde_json::from_slice::<ChallengeStore>(&text) {
        Ok(store) => Ok(store),
        // Only a store gets the advice to remove it: another file given to --state (a
        // key, a log) is not to be deleted.
        Err(e) if memchr::memmem::find(&text, b"\"challenges\"").is_some() => {
            bail!(
                "the challenge state file '{}' is damaged ({e}); remove it and mint a new challenge, or pass --token",
                path.display()
            )
        }
        Err(_) => bail!(
            "'{}' is not a challenge state file (it holds something else); check --state, which names the file the challenges are kept in",
            path.display()
        ),
    }
}

/// Write the store atomically: a temporary file beside it, synced, then renamed over it.
pub fn save(path: &Path, store: &ChallengeStore) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the state directory '{}'", dir.display()))?;
    let mut body = serde_json::to_vec_pretty(store).context("cannot encode the challenge state")?;
    body.push(b'\n');
    // 0600, as the temporary file it was written through before.
    crate::newfile::replace_file(path, &body, Some(0o600)).with_context(|| {
        format!(
            "cannot replace the challenge state file '{}'",
            path.display()
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.json");
        let mut store = load(&path).unwrap();
        assert!(store.get("p", "example.com").is_none());
        let c = |token: &str| Challenge {
            provider_id: "p".into(),
            domain: "example.com".into(),
            token: token.into(),
            created_at: "2026-11-22T00:00:00.000Z".into(),
        };
        store.put(c("a"));
        store.put(c("b"));
        save(&path, &store).unwrap();
        let store = load(&path).unwrap();
        assert_eq!(store.challenges.len(), 1);
        assert_eq!(store.get("p", "example.com").unwrap().token, "b");
        assert!(store.get("q", "example.com").is_none());
        // A store cut short is damaged; a file of something else is not called a store.
        fs::write(&path, "{\"version\":1,\"challenges\":[").unwrap();
        assert!(load(&path).unwrap_err().to_string().contains("damaged"));
        fs::write(&path, "{").unwrap();
        assert!(
            load(&path)
                .unwrap_err()
                .to_string()
                .contains("is not a challenge state file")
        );
    }

    #[test]
    fn env_dir_wins() {
        let p = default_path(Some(PathBuf::from("/tmp/x"))).unwrap();
        assert_eq!(p, PathBuf::from("/tmp/x/verify-challenges.json"));
    }
}
