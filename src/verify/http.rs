//! HTTP edge of code verification: a rustls reqwest client with bounded redirects (loops and
//! https-to-http downgrades refused), a per-request timeout and a streamed size cap.

use std::time::Duration;

use anyhow::{Context, Result};
use reqwest::redirect::Policy;

use super::code::{
    FileCheck, FileStatus, MANIFEST, MAX_FILE_BYTES, URL_FILES, check_manifest, check_mention,
};

/// Redirects followed per request.
pub const MAX_REDIRECTS: usize = 5;

/// What one GET produced.
#[derive(Debug)]
pub enum Fetched {
    /// A 2xx body within the cap.
    Body(Vec<u8>),
    /// 404 or 410.
    NotFound,
    /// The body is larger than the cap (only the cap was read, or nothing when
    /// Content-Length said so).
    TooLarge,
}

/// A client for fetching repository files.
pub struct Fetcher {
    client: reqwest::Client,
}

impl Fetcher {
    /// A client with the redirect policy, timeout and a `mcpbill/<version>` user agent.
    pub fn new(timeout: Duration, allow_http: bool) -> Result<Self> {
        let policy = Policy::custom(move |attempt| {
            if attempt.previous().iter().any(|u| u == attempt.url()) {
                let url = attempt.url().to_string();
                return attempt.error(format!("redirect loop: {url} was already visited"));
            }
            if attempt.previous().len() > MAX_REDIRECTS {
                return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
            }
            if attempt.url().scheme() != "https"
                && !(allow_http && attempt.url().scheme() == "http")
            {
                let url = attempt.url().to_string();
                return attempt.error(format!(
                    "redirect to {url} refused: only https:// is followed (pass --allow-http to allow http://)"
                ));
            }
            attempt.follow()
        });
        let client = reqwest::Client::builder()
            .redirect(policy)
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("mcpbill/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("cannot set up the HTTP client")?;
        Ok(Fetcher { client })
    }

    /// GET `url`, reading at most `cap` bytes of the body. Errors are one-line descriptions.
    pub async fn get(&self, url: &str, cap: u64) -> Result<Fetched, String> {
        let mut response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
            return Ok(Fetched::NotFound);
        }
        if !status.is_success() {
            return Err(format!("HTTP {status} from {}", response.url()));
        }
        if response.content_length().is_some_and(|n| n > cap) {
            return Ok(Fetched::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e))? {
            if (body.len() + chunk.len()) as u64 > cap {
                return Ok(Fetched::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body(body))
    }

    /// Fetch and check `<base>/.mcp-billing.json`, `README.md`, `package.json`, `Cargo.toml`.
    pub async fn check_base(&self, base: &str, provider_id: &str) -> Vec<FileCheck> {
        let mut checks = Vec::new();
        for name in URL_FILES {
            let url = format!("{base}/{name}");
            let manifest = name == MANIFEST;
            let status = match self.get(&url, MAX_FILE_BYTES).await {
                Ok(Fetched::Body(bytes)) if manifest => check_manifest(&bytes, provider_id),
                Ok(Fetched::Body(bytes)) => check_mention(&bytes, provider_id),
                Ok(Fetched::NotFound) => FileStatus::Absent,
                Ok(Fetched::TooLarge) if manifest => FileStatus::Invalid {
                    reason: format!("larger than {MAX_FILE_BYTES} bytes"),
                },
                Ok(Fetched::TooLarge) => FileStatus::TooLarge,
                Err(detail) => FileStatus::Error { detail },
            };
            checks.push(FileCheck { file: url, status });
        }
        checks
    }
}

/// One line from a reqwest error and its causes, without repeating them.
fn describe(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_redirect() {
        "redirect refused"
    } else if err.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    parts.push(match err.url() {
        Some(url) => format!("{kind} for {url}"),
        None => kind.to_owned(),
    });
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}
