//! Submitting a dispute to a provider: find its disputes endpoint through discovery,
//! POST the spec section 5 dispute with the caller's API key, and return the answer.
//! `dispute file --submit` is the command-line front end; this is its library core.

use std::time::Duration;

use reqwest::Url;
use serde::Serialize;
use serde_json::{Value, json};

use super::{document_url, validate_document};
use crate::http::{FetchError, HttpClient, resolve};

/// Attempts per submission (408, 429, 5xx, timeouts and connection failures are retried,
/// after the provider's `Retry-After` when it sends one; the
/// dispute id travels as `Idempotency-Key`, so a provider can recognise a repeat).
pub const ATTEMPTS: u32 = 3;
/// The longest wait between attempts, `Retry-After` included.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

/// Why a dispute could not be submitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// The discovery document could not be used.
    #[error("cannot use {url} for discovery: {reason}")]
    Discovery {
        /// The document URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The provider advertises no disputes endpoint.
    #[error(
        "{0} advertises no trust.disputes_endpoint; file the dispute with the provider another way"
    )]
    NotAdvertised(String),
    /// The request failed.
    #[error("{0}")]
    Fetch(#[from] FetchError),
}

/// The provider's answer to a submitted dispute.
#[derive(Debug, Clone, Serialize)]
pub struct Submitted {
    /// The endpoint the dispute was posted to.
    pub endpoint: String,
    /// The HTTP status.
    pub status: u16,
    /// Whether the provider accepted it (2xx).
    pub accepted: bool,
    /// The answer body (JSON, or `{"text": ...}` when it is not JSON).
    pub answer: Value,
    /// Attempts made.
    pub attempts: u32,
    /// Where a redirect that was not followed points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The provider's last `Retry-After`, in seconds, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

/// Find the disputes endpoint of the provider at `base`.
pub async fn disputes_endpoint(
    client: &HttpClient,
    base: &Url,
    retry_delay: Duration,
) -> Result<Url, SubmitError> {
    let doc_url = document_url(base);
    let discovery = |reason: String| SubmitError::Discovery {
        url: doc_url.to_string(),
        reason,
    };
    // Retried as the POST is: a provider's passing 503 should not fail the submission.
    let mut attempts = 0;
    let resp = loop {
        attempts += 1;
        let result = client.get(&doc_url).await;
        match retry_wait(&result, retry_delay, attempts) {
            Some(wait) => tokio::time::sleep(wait).await,
            None => break result?,
        }
    };
    if resp.status != 200 {
        return Err(discovery(format!("HTTP {}", resp.status)));
    }
    let doc = resp
        .json()
        .ok_or_else(|| discovery("the answer is not JSON".into()))?;
    let (ep, problems) = validate_document(&doc);
    if !problems.is_empty() {
        return Err(discovery(problems.join("; ")));
    }
    let Some(path) = ep.disputes else {
        return Err(SubmitError::NotAdvertised(doc_url.to_string()));
    };
    resolve(&doc_url, &path).ok_or_else(|| discovery(format!("'{path}' does not resolve to a URL")))
}

/// How long to wait before trying a request again after `result`, its `attempts`-th try;
/// `None` when it is not tried again. A 408, 429 or 5xx is tried again (after the
/// provider's `Retry-After` when it sends one), and so is a timeout or a network failure
/// that trying again could mend, up to [`ATTEMPTS`] tries. A provider asking for a longer
/// wait than a command should sit through gets its answer shown instead; the user sends
/// the dispute again later.
fn retry_wait(
    result: &Result<crate::http::Response, FetchError>,
    retry_delay: Duration,
    attempts: u32,
) -> Option<Duration> {
    let wait = match result {
        Ok(r) if r.status == 408 || r.status == 429 || r.status >= 500 => {
            crate::forward::retry_delay(retry_delay, attempts, r.retry_after)
        }
        Err(e @ (FetchError::Timeout(_) | FetchError::Failed { .. })) if !e.is_permanent() => {
            crate::forward::backoff(retry_delay, attempts)
        }
        _ => return None,
    };
    (attempts < ATTEMPTS && wait <= MAX_WAIT).then_some(wait)
}

/// Submit a dispute document to the provider at `base`.
pub async fn submit_dispute(
    client: &HttpClient,
    base: &Url,
    dispute: &Value,
    api_key: Option<&str>,
    retry_delay: Duration,
) -> Result<Submitted, SubmitError> {
    let endpoint = disputes_endpoint(client, base, retry_delay).await?;
    let mut headers = Vec::new();
    if let Some(id) = dispute.get("dispute_id").and_then(Value::as_str) {
        headers.push(("idempotency-key", id.to_owned()));
    }
    if let Some(k) = api_key {
        headers.push(("authorization", format!("Bearer {k}")));
    }
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = client.post_json(&endpoint, dispute, &headers).await;
        let Some(wait) = retry_wait(&result, retry_delay, attempts) else {
            let resp = result?;
            let answer = resp.json().unwrap_or_else(
                || json!({"text": String::from_utf8_lossy(&resp.body).into_owned()}),
            );
            return Ok(Submitted {
                endpoint: endpoint.to_string(),
                status: resp.status,
                accepted: resp.ok(),
                answer,
                attempts,
                location: resp.redirect_target(),
                retry_after_secs: resp.retry_after.map(|d| d.as_secs()),
            });
        };
        tokio::time::sleep(wait).await;
    }
}

/// The spec section 5 document of a dispute, as sent to a provider.
pub fn spec_document(d: &crate::dispute::Dispute) -> Value {
    json!({
        "dispute_id": d.dispute_id,
        "receipt_id": d.receipt_id,
        "filed_by": d.filed_by,
        "filed_by_type": d.filed_by_type,
        "reason": d.reason,
        "description": d.description,
        "evidence": d.evidence,
        "status": d.status,
        "created_at": d.created_at,
    })
}

/// The API key of `dispute file --api-key-file`: the file's text without surrounding
/// whitespace, refused when no request could carry it. Read before the dispute is
/// filed, so a bad key file stops the command before anything is written or sent.
pub fn read_api_key(path: &std::path::Path) -> anyhow::Result<String> {
    use anyhow::Context;
    let text = crate::input::read_text(path, crate::input::KEY_LIMIT).with_context(|| {
        format!(
            "cannot read API key file '{}'; check --api-key-file",
            path.display()
        )
    })?;
    let key = text.trim();
    crate::http::check_bearer_token(key)
        .map_err(|e| anyhow::anyhow!("--api-key-file: the key in '{}' {e}", path.display()))?;
    Ok(key.to_owned())
}

/// Where a dispute is sent, and how the command that sends it was given: for the command
/// line suggested when it can be sent again.
#[derive(Debug, Clone)]
pub struct Target {
    /// The provider's base URL, checked by [`Target::new`].
    pub base: Url,
    /// The flag that gave it (`--submit`, `--to`).
    pub flag: &'static str,
    /// How requests are made: `--allow-http`, `--timeout`, `--ca-cert`.
    pub http: crate::http::ClientConfig,
    /// `--api-key-file`, when given.
    pub api_key_file: Option<std::path::PathBuf>,
    /// `--log-dir`, when given.
    pub log_dir: Option<std::path::PathBuf>,
}

impl Target {
    /// Check the URL of `flag` before anything is filed or sent: a URL, https unless
    /// `http.allow_http`.
    pub fn new(
        url: &str,
        flag: &'static str,
        http: crate::http::ClientConfig,
        api_key_file: Option<&std::path::Path>,
        log_dir: Option<&std::path::Path>,
    ) -> anyhow::Result<Self> {
        let base = crate::http::parse_base(url).map_err(|e| anyhow::anyhow!("{flag}: {e:#}"))?;
        crate::http::check_scheme(&base, http.allow_http)
            .map_err(|e| anyhow::anyhow!("{flag}: {e}"))?;
        Ok(Target {
            base,
            flag,
            http,
            api_key_file: api_key_file.map(ToOwned::to_owned),
            log_dir: log_dir.map(ToOwned::to_owned),
        })
    }

    /// The command that sends dispute `id` to this target again.
    fn again(&self, id: &str) -> String {
        let quote = |p: &std::path::Path| shell_word(p.as_os_str().as_encoded_bytes());
        let mut cmd = format!(
            "mcpbill dispute submit {id} --to {}",
            shell_word(self.base.as_str().as_bytes())
        );
        if let Some(f) = &self.api_key_file {
            cmd.push_str(" --api-key-file ");
            cmd.push_str(&quote(f));
        }
        if self.http.allow_http {
            cmd.push_str(" --allow-http");
        }
        if self.http.timeout != Duration::from_secs(10) {
            let _ = std::fmt::Write::write_fmt(
                &mut cmd,
                format_args!(" --timeout {}ms", self.http.timeout.as_millis()),
            );
        }
        if let Some(ca) = &self.http.ca_cert {
            cmd.push_str(" --ca-cert ");
            cmd.push_str(&quote(ca));
        }
        if let Some(d) = &self.log_dir {
            cmd.push_str(" --log-dir ");
            cmd.push_str(&quote(d));
        }
        cmd
    }
}

/// A word as a POSIX shell reads it: as it is when it is plain, in single quotes when
/// it holds only printable characters, else in dollar-single quotes (POSIX.1-2024; bash,
/// zsh, ksh), where control characters and bytes that are not UTF-8 are `\xHH`, so that
/// what is pasted names the same bytes and puts nothing raw on the terminal.
fn shell_word(w: &[u8]) -> String {
    use std::fmt::Write as _;
    let plain = !w.is_empty()
        && w.iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(b));
    if plain {
        // Only ASCII: the bytes are the text.
        return String::from_utf8_lossy(w).into_owned();
    }
    let printable = |c: char| !crate::output::needs_escape(c);
    match std::str::from_utf8(w) {
        Ok(text) if text.chars().all(printable) => {
            format!("'{}'", text.replace('\'', "'\\''"))
        }
        _ => {
            let mut out = String::from("$'");
            for chunk in w.utf8_chunks() {
                for c in chunk.valid().chars() {
                    match c {
                        '\\' | '\'' => {
                            out.push('\\');
                            out.push(c);
                        }
                        c if printable(c) => out.push(c),
                        c => {
                            let mut buf = [0u8; 4];
                            for b in c.encode_utf8(&mut buf).bytes() {
                                let _ = write!(out, "\\x{b:02x}");
                            }
                        }
                    }
                }
                for b in chunk.invalid() {
                    let _ = write!(out, "\\x{b:02x}");
                }
            }
            out.push('\'');
            out
        }
    }
}

/// `dispute file --submit` and `dispute submit`: post a dispute filed locally to the
/// provider found through discovery at `target`, and append the answer to
/// `dispute-submissions.jsonl` in the log directory. Returns the exit status and the
/// appended record (for `--json`): 0 accepted; 1 refused; 2 when it could not be
/// delivered (a network failure, a 408, 429 or 5xx after the retries, a redirect that is
/// not followed), said on stderr with the command that sends it again. `api_key` comes
/// from [`read_api_key`].
pub fn submit_and_record(
    log_dir: &std::path::Path,
    dispute: &crate::dispute::Dispute,
    target: &Target,
    api_key: Option<&str>,
    printer: &mut crate::output::Printer,
) -> anyhow::Result<(crate::exit::ExitStatus, Value)> {
    use crate::exit::ExitStatus;
    let id = &dispute.dispute_id;
    let client = HttpClient::new(target.http.clone())?;
    let doc = spec_document(dispute);
    let result = crate::http::block_on(submit_dispute(
        &client,
        &target.base,
        &doc,
        api_key,
        Duration::from_millis(500),
    ))?
    .map_err(|e| {
        anyhow::anyhow!(
            "{id} is filed locally, but submitting it failed: {e}; send it again with '{}'",
            target.again(id)
        )
    })?;
    let record = json!({
        "dispute_id": id,
        "endpoint": result.endpoint,
        "status": result.status,
        "accepted": result.accepted,
        "answer": result.answer,
        "attempts": result.attempts,
        "location": result.location,
        "submitted_at": crate::time::Timestamp::now().as_str(),
    });
    // Delivered whatever happens to the local record: what the provider answered is said
    // (and the exit status is its), and a record that cannot be written is said beside it.
    let path = log_dir.join("dispute-submissions.jsonl");
    let recorded = crate::eventlog::LogDir::open(Some(log_dir))
        .and_then(|log| log.append(&path, &serde_json::to_vec(&record)?));
    if let Err(e) = recorded {
        printer.warn(&format!(
            "{id} reached {} (HTTP {}), but the answer could not be recorded: {e:#}",
            result.endpoint, result.status
        ));
    }
    if result.accepted {
        let msg = format!(
            "submitted {id} to {}: HTTP {} (accepted)",
            result.endpoint, result.status
        );
        // The command's result: stdout, as `dispute file` prints what it filed.
        if printer.json() {
            printer.note(&msg);
        } else {
            printer.line(&msg)?;
        }
        return Ok((ExitStatus::Success, record));
    }
    let answer = result.answer.to_string();
    let answer = crate::output::elide(&answer, 300);
    let undelivered = matches!(result.status, 408 | 429) || result.status >= 500;
    let redirect = crate::http::is_dropped_redirect(result.status);
    if undelivered || redirect {
        let why = if redirect {
            let why = crate::http::redirect_not_followed(
                result.status,
                result.location.as_deref(),
                "the provider must advertise the final URL in its agents.json",
            );
            format!("its disputes endpoint answered {why}")
        } else {
            let wait = match result.retry_after_secs {
                Some(n) if n > 86_400 => "; the provider asks to wait more than a day".to_owned(),
                Some(n) if n > 0 => format!("; the provider asks to wait {n} s"),
                _ => String::new(),
            };
            format!(
                "not delivered after {} attempts (HTTP {}: {answer}){wait}",
                result.attempts, result.status
            )
        };
        printer.error(&format!(
            "{id} was not delivered to {}: {why}; send it again with '{}'",
            result.endpoint,
            target.again(id)
        ));
        return Ok((ExitStatus::Error, record));
    }
    // Refused: sending it again helps only with another key.
    let again = if result.status == 401 && target.api_key_file.is_none() {
        format!(
            "; the provider wants an API key: send it again with '{} --api-key-file FILE'",
            target.again(id)
        )
    } else if result.status == 401 {
        format!(
            "; with the right --api-key-file, send it again with '{}'",
            target.again(id)
        )
    } else {
        String::new()
    };
    printer.warn(&format!(
        "{} refused {id} with HTTP {}: {answer}{again}",
        result.endpoint, result.status
    ));
    Ok((ExitStatus::Failure, record))
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    /// What `bash` makes of `word`: the bytes of the one argument it reads.
    fn read_back(word: &str) -> Vec<u8> {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("printf %s {word}"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{word}: {out:?}");
        out.stdout
    }

    #[test]
    fn shell_words_read_back_as_the_same_bytes() {
        let words: [&[u8]; 9] = [
            b"plain/path-1.key",
            b"with space",
            b"it's",
            b"$HOME; rm -rf / & `x`",
            "caf\u{e9} \u{202e}rtl".as_bytes(),
            b"tab\there",
            b"esc\x1b[31mred\\",
            b"not utf-8 \xff\xfe 'q'",
            b"new\nline",
        ];
        for w in words {
            let quoted = shell_word(w);
            assert!(
                !quoted.chars().any(crate::output::needs_escape),
                "{quoted:?} puts a control character on the terminal"
            );
            assert_eq!(read_back(&quoted), w, "{quoted}");
        }
        assert_eq!(shell_word(b"plain/path-1.key"), "plain/path-1.key");
        assert_eq!(shell_word(b"with space"), "'with space'");
        assert_eq!(shell_word(b"tab\there"), "$'tab\\x09here'");
    }
}
