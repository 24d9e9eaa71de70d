//! Code verification: which repository files are checked and how (pure), the mapping of
//! GitHub/GitLab repository URLs to raw-file bases (pure), and the local-directory reader.

use std::path::Path;

use serde::Serialize;

/// The manifest file that names the provider explicitly.
pub const MANIFEST: &str = ".mcp-billing.json";
/// The files fetched from a URL base, in order of precedence.
pub const URL_FILES: [&str; 4] = [MANIFEST, "README.md", "package.json", "Cargo.toml"];
/// The largest file read (local) or fetched (URL): 1 MiB.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// What one file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FileStatus {
    /// Not there (or HTTP 404/410).
    Absent,
    /// Names (manifest) or mentions (other files) the provider id.
    Matched,
    /// Present, does not mention the provider id.
    NoMention,
    /// A valid manifest naming another provider.
    OtherProvider { found: String },
    /// A manifest that cannot be used, and why.
    Invalid { reason: String },
    /// Larger than the size cap; not read past it.
    TooLarge,
    /// Could not be read or fetched.
    Error { detail: String },
}

impl FileStatus {
    /// A short human description.
    pub fn describe(&self, file: &str, provider_id: &str) -> String {
        match self {
            FileStatus::Absent => "absent".to_owned(),
            FileStatus::Matched if file.ends_with(MANIFEST) => {
                format!("matched: names '{provider_id}'")
            }
            FileStatus::Matched => format!("matched: mentions '{provider_id}'"),
            FileStatus::NoMention => format!("present, does not mention '{provider_id}'"),
            FileStatus::OtherProvider { found } => format!("names another provider: '{found}'"),
            FileStatus::Invalid { reason } => format!("invalid: {reason}"),
            FileStatus::TooLarge => format!("larger than {MAX_FILE_BYTES} bytes; not read"),
            FileStatus::Error { detail } => format!("error: {detail}"),
        }
    }
}

/// One file checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileCheck {
    pub file: String,
    #[serde(flatten)]
    pub status: FileStatus,
}

/// The verdict over all files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeOutcome {
    /// This file names or mentions the provider.
    Verified { file: String },
    /// The manifest names another provider.
    OtherProvider { found: String },
    /// No file names or mentions the provider.
    NotFound,
    /// No file matched and some could not be read: no verdict.
    Undecided { detail: String },
}

/// Check a manifest's bytes: a JSON object whose `provider_id` string equals `provider_id`.
pub fn check_manifest(bytes: &[u8], provider_id: &str) -> FileStatus {
    let value = match crate::doc::from_slice(bytes) {
        Ok(v) => v,
        Err(crate::doc::DocError::Json(e)) => {
            return FileStatus::Invalid {
                reason: format!("not valid JSON ({e})"),
            };
        }
        Err(e) => {
            return FileStatus::Invalid {
                reason: e.to_string(),
            };
        }
    };
    let Some(obj) = value.as_object() else {
        return FileStatus::Invalid {
            reason: "not a JSON object".to_owned(),
        };
    };
    match obj.get("provider_id") {
        None => FileStatus::Invalid {
            reason: "no \"provider_id\" field".to_owned(),
        },
        Some(serde_json::Value::String(found)) if found == provider_id => FileStatus::Matched,
        Some(serde_json::Value::String(found)) => FileStatus::OtherProvider {
            found: found.clone(),
        },
        Some(other) => FileStatus::Invalid {
            reason: format!("\"provider_id\" is {other}, not a string"),
        },
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Whether `text` mentions `provider_id` as a whole word (not inside a longer name such as
/// `acme-tools-extra` for `acme-tools`).
pub fn mentions(text: &[u8], provider_id: &str) -> bool {
    let needle = provider_id.as_bytes();
    if needle.is_empty() {
        return false;
    }
    memchr::memmem::find_iter(text, needle).any(|at| {
        let before = at.checked_sub(1).map(|i| text[i]);
        let after = text.get(at + needle.len()).copied();
        !before.is_some_and(is_word_byte) && !after.is_some_and(is_word_byte)
    })
}

/// Check a non-manifest file's bytes.
pub fn check_mention(bytes: &[u8], provider_id: &str) -> FileStatus {
    if mentions(bytes, provider_id) {
        FileStatus::Matched
    } else {
        FileStatus::NoMention
    }
}

/// Decide over the checked files (the manifest first, as returned by the readers).
pub fn decide(checks: &[FileCheck]) -> CodeOutcome {
    let mut errors = Vec::new();
    for check in checks {
        let is_manifest = check.file.ends_with(MANIFEST);
        match &check.status {
            FileStatus::Matched => {
                return CodeOutcome::Verified {
                    file: check.file.clone(),
                };
            }
            FileStatus::OtherProvider { found } => {
                return CodeOutcome::OtherProvider {
                    found: found.clone(),
                };
            }
            FileStatus::Error { detail } if is_manifest => {
                // Whether the manifest names another provider is unknown: no verdict.
                return CodeOutcome::Undecided {
                    detail: format!("{}: {detail}", check.file),
                };
            }
            FileStatus::Error { detail } => errors.push(format!("{}: {detail}", check.file)),
            _ => {}
        }
    }
    if errors.is_empty() {
        CodeOutcome::NotFound
    } else {
        CodeOutcome::Undecided {
            detail: errors.join("; "),
        }
    }
}

/// Read at most `MAX_FILE_BYTES` of a local file: `Ok(None)` when it is larger.
fn read_capped(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match crate::input::read_file(path, MAX_FILE_BYTES) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => Ok(None),
        Err(e) => Err(e),
    }
}

fn check_local_file(path: &Path, name: &str, provider_id: &str, manifest: bool) -> FileCheck {
    let status = match read_capped(path) {
        Ok(Some(bytes)) if manifest => check_manifest(&bytes, provider_id),
        Ok(Some(bytes)) => check_mention(&bytes, provider_id),
        Ok(None) if manifest => FileStatus::Invalid {
            reason: format!("larger than {MAX_FILE_BYTES} bytes"),
        },
        Ok(None) => FileStatus::TooLarge,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileStatus::Absent,
        Err(e) => FileStatus::Error {
            detail: e.to_string(),
        },
    };
    FileCheck {
        file: name.to_owned(),
        status,
    }
}

/// Check a local checkout: `.mcp-billing.json`, every `README*` in the top directory (sorted),
/// `package.json` and `Cargo.toml`.
pub fn check_local(dir: &Path, provider_id: &str) -> std::io::Result<Vec<FileCheck>> {
    let mut checks = vec![check_local_file(
        &dir.join(MANIFEST),
        MANIFEST,
        provider_id,
        true,
    )];
    let mut readmes: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.to_ascii_uppercase().starts_with("README") && entry.path().is_file() {
            readmes.push(name);
        }
    }
    readmes.sort();
    if readmes.is_empty() {
        checks.push(FileCheck {
            file: "README*".to_owned(),
            status: FileStatus::Absent,
        });
    }
    for name in readmes {
        checks.push(check_local_file(
            &dir.join(&name),
            &name,
            provider_id,
            false,
        ));
    }
    for name in ["package.json", "Cargo.toml"] {
        checks.push(check_local_file(&dir.join(name), name, provider_id, false));
    }
    Ok(checks)
}

/// The base from which repository files are fetched: GitHub and GitLab repository pages map to
/// their raw-file hosts (the default branch `HEAD`, or the ref and folder of a `/tree/REF/...`
/// URL); any other URL is used as given (without a trailing slash, query or fragment).
pub fn raw_base(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    match host.as_str() {
        "github.com" | "www.github.com" if segments.len() >= 2 => {
            let owner = segments[0];
            let repo = segments[1].strip_suffix(".git").unwrap_or(segments[1]);
            let rest = if segments.get(2) == Some(&"tree") && segments.len() >= 4 {
                segments[3..].join("/")
            } else {
                "HEAD".to_owned()
            };
            format!("https://raw.githubusercontent.com/{owner}/{repo}/{rest}")
        }
        "gitlab.com" | "www.gitlab.com" if segments.len() >= 2 => {
            if let Some(dash) = segments.iter().position(|s| *s == "-") {
                let project = segments[..dash].join("/");
                let rest = if segments.get(dash + 1) == Some(&"tree") && segments.len() > dash + 2 {
                    segments[dash + 2..].join("/")
                } else {
                    "HEAD".to_owned()
                };
                format!("https://gitlab.com/{project}/-/raw/{rest}")
            } else {
                let mut parts: Vec<&str> = segments.clone();
                if let Some(last) = parts.last_mut() {
                    *last = last.strip_suffix(".git").unwrap_or(last);
                }
                format!("https://gitlab.com/{}/-/raw/HEAD", parts.join("/"))
            }
        }
        _ => {
            let mut base = url.clone();
            base.set_query(None);
            base.set_fragment(None);
            base.to_string().trim_end_matches('/').to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> reqwest::Url {
        reqwest::Url::parse(s).unwrap()
    }

    #[test]
    fn maps_repository_urls() {
        assert_eq!(
            raw_base(&url("https://github.com/acme/acme-mcp")),
            "https://raw.githubusercontent.com/acme/acme-mcp/HEAD"
        );
        assert_eq!(
            raw_base(&url("https://github.com/acme/acme-mcp.git/")),
            "https://raw.githubusercontent.com/acme/acme-mcp/HEAD"
        );
        assert_eq!(
            raw_base(&url(
                "https://github.com/acme/acme-mcp/tree/v1.2/servers/search"
            )),
            "https://raw.githubusercontent.com/acme/acme-mcp/v1.2/servers/search"
        );
        assert_eq!(
            raw_base(&url("https://gitlab.com/acme/tools/acme-mcp")),
            "https://gitlab.com/acme/tools/acme-mcp/-/raw/HEAD"
        );
        assert_eq!(
            raw_base(&url("https://gitlab.com/acme/acme-mcp/-/tree/main/sub")),
            "https://gitlab.com/acme/acme-mcp/-/raw/main/sub"
        );
        assert_eq!(
            raw_base(&url("https://gitlab.com/acme/acme-mcp.git")),
            "https://gitlab.com/acme/acme-mcp/-/raw/HEAD"
        );
        assert_eq!(
            raw_base(&url("https://example.com/repo/?x=1#y")),
            "https://example.com/repo"
        );
        assert_eq!(
            raw_base(&url("http://127.0.0.1:8080/")),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            raw_base(&url("https://github.com/acme")),
            "https://github.com/acme"
        );
    }

    #[test]
    fn manifests() {
        assert_eq!(
            check_manifest(br#"{"provider_id":"acme"}"#, "acme"),
            FileStatus::Matched
        );
        assert_eq!(
            check_manifest(br#"{"provider_id":"other"}"#, "acme"),
            FileStatus::OtherProvider {
                found: "other".into()
            }
        );
        assert!(matches!(
            check_manifest(b"{", "acme"),
            FileStatus::Invalid { .. }
        ));
        assert!(matches!(
            check_manifest(b"[1]", "acme"),
            FileStatus::Invalid { .. }
        ));
        assert!(matches!(
            check_manifest(b"{}", "acme"),
            FileStatus::Invalid { .. }
        ));
        assert!(matches!(
            check_manifest(br#"{"provider_id":1}"#, "acme"),
            FileStatus::Invalid { .. }
        ));
        // A repeated provider_id means two providers at once: refused, whichever matches.
        for doc in [
            br#"{"provider_id":"other","provider_id":"acme"}"#,
            br#"{"provider_id":"acme","provider_id":"other"}"#,
        ] {
            assert!(matches!(
                check_manifest(doc, "acme"),
                FileStatus::Invalid { reason } if reason.contains("more than once")
            ));
        }
    }

    #[test]
    fn mentions_whole_words() {
        assert!(mentions(b"Provider: acme-tools.", "acme-tools"));
        assert!(mentions(b"acme-tools", "acme-tools"));
        assert!(mentions(b"\"@acme-tools/server\"", "acme-tools"));
        assert!(!mentions(b"acme-tools-extra", "acme-tools"));
        assert!(!mentions(b"myacme-tools", "acme-tools"));
        assert!(!mentions(b"nothing", "acme-tools"));
        assert!(mentions(b"x acme-tools-extra and acme-tools", "acme-tools"));
    }

    fn fc(file: &str, status: FileStatus) -> FileCheck {
        FileCheck {
            file: file.into(),
            status,
        }
    }

    #[test]
    fn decides() {
        let other = FileStatus::OtherProvider { found: "x".into() };
        let err = FileStatus::Error {
            detail: "boom".into(),
        };
        assert_eq!(
            decide(&[
                fc(MANIFEST, FileStatus::Absent),
                fc("README.md", FileStatus::Matched)
            ]),
            CodeOutcome::Verified {
                file: "README.md".into()
            }
        );
        assert_eq!(
            decide(&[fc(MANIFEST, other), fc("README.md", FileStatus::Matched)]),
            CodeOutcome::OtherProvider { found: "x".into() }
        );
        assert!(matches!(
            decide(&[
                fc(MANIFEST, err.clone()),
                fc("README.md", FileStatus::Matched)
            ]),
            CodeOutcome::Undecided { .. }
        ));
        assert_eq!(
            decide(&[
                fc(MANIFEST, FileStatus::Absent),
                fc("README.md", err.clone()),
                fc("Cargo.toml", FileStatus::Matched)
            ]),
            CodeOutcome::Verified {
                file: "Cargo.toml".into()
            }
        );
        assert!(matches!(
            decide(&[fc(MANIFEST, FileStatus::Absent), fc("README.md", err)]),
            CodeOutcome::Undecided { .. }
        ));
        assert_eq!(
            decide(&[
                fc(MANIFEST, FileStatus::Invalid { reason: "r".into() }),
                fc("README.md", FileStatus::NoMention)
            ]),
            CodeOutcome::NotFound
        );
    }

    #[test]
    fn local_checkout() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("readme.rst"), "by acme").unwrap();
        std::fs::write(dir.path().join(MANIFEST), "not json").unwrap();
        let checks = check_local(dir.path(), "acme").unwrap();
        assert!(matches!(checks[0].status, FileStatus::Invalid { .. }));
        assert_eq!(checks[1], fc("readme.rst", FileStatus::Matched));
        assert_eq!(checks[2].status, FileStatus::Absent);
        assert_eq!(
            decide(&checks),
            CodeOutcome::Verified {
                file: "readme.rst".into()
            }
        );
    }
}
