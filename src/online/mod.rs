//! Online receipt verification: ask each receipt's `verify_url` (through the guarded
//! [`HttpClient`]: https only unless allowed, timeouts, capped bodies, no downgrading
//! redirects) with bounded concurrency and retries on 5xx, and report where the
//! provider's answer disagrees with the receipt. `receipt verify --online` is the
//! command-line front end; this module is its library core.

pub mod cmd;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::check::{SIGNED_FIELDS, verification_shape};
use crate::http::{FetchError, HttpClient};

/// How online verification runs.
#[derive(Debug, Clone)]
pub struct OnlineOptions {
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Attempts per receipt (5xx, timeouts and connection failures are retried).
    pub attempts: u32,
    /// Wait before the first retry; doubles each time.
    pub retry_delay: Duration,
}

impl Default for OnlineOptions {
    fn default() -> Self {
        OnlineOptions {
            concurrency: 8,
            attempts: 3,
            retry_delay: Duration::from_millis(250),
        }
    }
}

/// What the provider said about one receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The provider confirms the receipt (valid, and its copy matches).
    Confirmed,
    /// The provider's answer disagrees with the receipt (or with the local verdict).
    Disagrees,
    /// The provider does not know the receipt (404).
    Unknown,
    /// The receipt has no `verify_url`.
    NoVerifyUrl,
    /// The answer is not a spec verification response.
    BadResponse,
    /// No usable answer (network error, timeout, refused redirect, 5xx after retries).
    Unreachable,
    /// Not asked: the `verify_url` is plain http and `--allow-http` was not given.
    InsecureUrl,
}

/// The result for one receipt.
#[derive(Debug, Clone, Serialize)]
pub struct OnlineVerdict {
    /// The receipt id (as written, possibly empty).
    pub receipt_id: String,
    /// The URL asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_url: Option<String>,
    /// The outcome.
    pub outcome: Outcome,
    /// The provider's `verification.valid`, when it answered one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_valid: Option<bool>,
    /// Attempts made.
    pub attempts: u32,
    /// Why, in one line.
    pub detail: String,
}

impl OnlineVerdict {
    /// Whether the provider confirmed the receipt.
    pub fn confirmed(&self) -> bool {
        self.outcome == Outcome::Confirmed
    }
}

/// Ask each receipt's provider about it. `local` is the local verdict of each receipt
/// (same order), when a key was available. Results come back in input order.
pub async fn verify_receipts(
    client: &HttpClient,
    receipts: Vec<Value>,
    local: Option<Vec<bool>>,
    options: &OnlineOptions,
) -> Vec<OnlineVerdict> {
    let sem = Arc::new(tokio::sync::Semaphore::new(options.concurrency.max(1)));
    let mut set = tokio::task::JoinSet::new();
    let n = receipts.len();
    for (i, receipt) in receipts.into_iter().enumerate() {
        let client = client.clone();
        let sem = sem.clone();
        let options = options.clone();
        let local = local.as_ref().and_then(|l| l.get(i).copied());
        set.spawn(async move {
            let _permit = sem.acquire_owned().await.ok();
            (i, verify_one(&client, &receipt, local, &options).await)
        });
    }
    let mut out: Vec<Option<OnlineVerdict>> = vec![None; n];
    while let Some(joined) = set.join_next().await {
        if let Ok((i, v)) = joined {
            out[i] = Some(v);
        }
    }
    out.into_iter()
        .map(|v| {
            v.unwrap_or_else(|| OnlineVerdict {
                receipt_id: String::new(),
                verify_url: None,
                outcome: Outcome::Unreachable,
                provider_valid: None,
                attempts: 0,
                detail: "internal error: the request task failed".into(),
            })
        })
        .collect()
}

/// Ask about one receipt.
pub async fn verify_one(
    client: &HttpClient,
    receipt: &Value,
    local: Option<bool>,
    options: &OnlineOptions,
) -> OnlineVerdict {
    let receipt_id = receipt
        .get("receipt_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut verdict = OnlineVerdict {
        receipt_id,
        verify_url: None,
        outcome: Outcome::NoVerifyUrl,
        provider_valid: None,
        attempts: 0,
        detail: "the receipt has no verify_url".into(),
    };
    let Some(url_text) = receipt.get("verify_url").and_then(Value::as_str) else {
        return verdict;
    };
    verdict.verify_url = Some(url_text.to_owned());
    let url = match crate::http::parse_base(url_text) {
        Ok(u) => u,
        Err(e) => {
            verdict.outcome = Outcome::Unreachable;
            verdict.detail = format!("{e:#}");
            return verdict;
        }
    };
    let mut last = String::new();
    let mut insecure = false;
    let attempts = options.attempts.max(1);
    let response = loop {
        verdict.attempts += 1;
        let retryable = match client.get(&url).await {
            Ok(r) if r.status >= 500 => {
                last = format!("HTTP {}", r.status);
                true
            }
            Ok(r) => break Some(r),
            Err(e @ FetchError::Insecure(_)) => {
                last = e.to_string();
                insecure = true;
                false
            }
            Err(e @ (FetchError::Redirect { .. } | FetchError::TooLarge { .. })) => {
                last = e.to_string();
                false
            }
            Err(e) => {
                last = e.to_string();
                true
            }
        };
        if !retryable || verdict.attempts >= attempts {
            break None;
        }
        tokio::time::sleep(crate::forward::backoff(
            options.retry_delay,
            verdict.attempts,
        ))
        .await;
    };
    if insecure && verdict.attempts == 1 {
        // Nothing was sent: a verdict on the flags, not on the provider.
        verdict.outcome = Outcome::InsecureUrl;
        verdict.detail = format!("not asked: {last}");
        return verdict;
    }
    let Some(resp) = response else {
        verdict.outcome = Outcome::Unreachable;
        verdict.detail = format!("no answer after {} attempt(s): {last}", verdict.attempts);
        return verdict;
    };
    if resp.status == 404 {
        verdict.outcome = Outcome::Unknown;
        verdict.detail = "the provider does not know this receipt (HTTP 404)".into();
        return verdict;
    }
    if resp.status != 200 {
        verdict.outcome = Outcome::BadResponse;
        verdict.detail = format!("the provider answered HTTP {}", resp.status);
        return verdict;
    }
    let Some(body) = resp.json() else {
        verdict.outcome = Outcome::BadResponse;
        verdict.detail = "the provider's answer is not JSON".into();
        return verdict;
    };
    let valid = match verification_shape(&body) {
        Ok(v) => v,
        Err(problems) => {
            verdict.outcome = Outcome::BadResponse;
            verdict.detail = problems.join("; ");
            return verdict;
        }
    };
    verdict.provider_valid = Some(valid);
    let differing: Vec<&str> = SIGNED_FIELDS
        .iter()
        .copied()
        .filter(|f| body["receipt"].get(*f) != receipt.get(*f))
        .collect();
    let mut reasons = Vec::new();
    if !differing.is_empty() {
        reasons.push(format!(
            "the provider's copy differs in {}",
            differing.join(", ")
        ));
    }
    if !valid {
        reasons.push("the provider says the receipt is not valid".to_owned());
    }
    if let Some(l) = local
        && l != valid
    {
        reasons.push(format!(
            "the provider says valid={valid} but local verification says valid={l}"
        ));
    }
    if reasons.is_empty() {
        verdict.outcome = Outcome::Confirmed;
        verdict.detail = "the provider confirms the receipt".into();
    } else {
        verdict.outcome = Outcome::Disagrees;
        verdict.detail = reasons.join("; ");
    }
    verdict
}
