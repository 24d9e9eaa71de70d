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
    /// The provider's last `Retry-After`, in seconds, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

/// Find the disputes endpoint of the provider at `base`.
pub async fn disputes_endpoint(client: &HttpClient, base: &Url) -> Result<Url, SubmitError> {
    let doc_url = document_url(base);
    let discovery = |reason: String| SubmitError::Discovery {
        url: doc_url.to_string(),
        reason,
    };
    let resp = client.get(&doc_url).await?;
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

/// Submit a dispute document to the provider at `base`.
pub async fn submit_dispute(
    client: &HttpClient,
    base: &Url,
    dispute: &Value,
    api_key: Option<&str>,
    retry_delay: Duration,
) -> Result<Submitted, SubmitError> {
    let endpoint = disputes_endpoint(client, base).await?;
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
        let (retry, wait) = match &result {
            Ok(r) => (
                r.status == 408 || r.status == 429 || r.status >= 500,
                crate::forward::retry_delay(retry_delay, attempts, r.retry_after),
            ),
            Err(FetchError::Timeout(_) | FetchError::Failed { .. }) => {
                (true, crate::forward::backoff(retry_delay, attempts))
            }
            Err(_) => (false, Duration::ZERO),
        };
        // A provider asking for a longer wait than a command should sit through gets
        // its answer shown instead; the user sends the dispute again later.
        if !retry || attempts >= ATTEMPTS || wait > MAX_WAIT {
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
                retry_after_secs: resp.retry_after.map(|d| d.as_secs()),
            });
        }
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
    let text = std::fs::read_to_string(path).with_context(|| {
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

/// `dispute file --submit`: post a dispute just filed locally to the provider found
/// through discovery at `url`, and append the answer to `dispute-submissions.jsonl` in
/// the log directory. Exit 1 when the provider refused it. `api_key` comes from
/// [`read_api_key`].
pub fn submit_and_record(
    log_dir: &std::path::Path,
    dispute: &crate::dispute::Dispute,
    url: &str,
    api_key: Option<&str>,
    allow_http: bool,
    printer: &mut crate::output::Printer,
) -> anyhow::Result<crate::exit::ExitStatus> {
    use anyhow::Context;
    let base = crate::http::parse_base(url).context("--submit")?;
    let client = HttpClient::new(crate::http::ClientConfig {
        allow_http,
        timeout: Duration::from_secs(10),
        max_body: crate::http::DEFAULT_MAX_BODY,
        ca_cert: None,
    })?;
    let doc = spec_document(dispute);
    let result = crate::http::block_on(submit_dispute(
        &client,
        &base,
        &doc,
        api_key,
        Duration::from_millis(500),
    ))?
    .map_err(|e| {
        anyhow::anyhow!(
            "{} is filed locally, but submitting it failed: {e}; send it again with 'mcpbill dispute submit {} --to {url}'",
            dispute.dispute_id,
            dispute.dispute_id
        )
    })?;
    let record = json!({
        "dispute_id": dispute.dispute_id,
        "endpoint": result.endpoint,
        "status": result.status,
        "accepted": result.accepted,
        "answer": result.answer,
        "submitted_at": crate::time::Timestamp::now().as_str(),
    });
    let log = crate::eventlog::LogDir::open(Some(log_dir))?;
    log.append(
        &log.path().join("dispute-submissions.jsonl"),
        &serde_json::to_vec(&record)?,
    )?;
    let msg = format!(
        "submitted {} to {}: HTTP {} ({})",
        dispute.dispute_id,
        result.endpoint,
        result.status,
        if result.accepted {
            "accepted"
        } else {
            "refused"
        }
    );
    if result.accepted {
        printer.note(&msg);
    } else {
        let wait = match result.retry_after_secs {
            Some(n) => format!("; the provider asks to wait {n} s before sending it again"),
            None => String::new(),
        };
        printer.warn(&format!(
            "{msg}: {}{wait}; send it again with 'mcpbill dispute submit {} --to {url}'",
            result.answer, dispute.dispute_id
        ));
    }
    Ok(crate::exit::ExitStatus::verdict(result.accepted))
}
