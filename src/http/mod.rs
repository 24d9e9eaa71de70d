//! The HTTP client every outgoing request goes through: https only unless allowed,
//! bounded redirects that never downgrade https to http, timeouts and body size caps.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use reqwest::Url;
use serde_json::Value;

use crate::cli::HttpOptions;

/// The largest response body read by default (1 MiB).
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;
/// Redirects followed at most.
pub const MAX_REDIRECTS: usize = 5;

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Accept `http://` URLs.
    pub allow_http: bool,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Largest response body accepted.
    pub max_body: usize,
    /// An extra trusted CA (PEM).
    pub ca_cert: Option<std::path::PathBuf>,
}

impl ClientConfig {
    /// The configuration from the shared command-line options.
    pub fn from_options(opts: &HttpOptions) -> Self {
        Self::new(opts.allow_http, opts.timeout, opts.ca_cert.clone())
    }

    /// The configuration from `--allow-http`, `--timeout` and `--ca-cert`, with the default
    /// body cap.
    pub fn new(allow_http: bool, timeout: Duration, ca_cert: Option<PathBuf>) -> Self {
        ClientConfig {
            allow_http,
            timeout,
            max_body: DEFAULT_MAX_BODY,
            ca_cert,
        }
    }
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The URL is not https and http is not allowed.
    #[error("refusing plain http URL '{0}'; use https, or pass --allow-http")]
    Insecure(String),
    /// A redirect was refused (too many, or a downgrade to http).
    #[error("redirect refused for '{url}': {reason}")]
    Redirect {
        /// The URL requested.
        url: String,
        /// Why.
        reason: String,
    },
    /// The request took longer than the timeout.
    #[error("'{0}' did not answer within the timeout")]
    Timeout(String),
    /// The body is larger than the cap.
    #[error("the response from '{url}' is larger than {limit} bytes")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// Connection or protocol failure.
    #[error("request to '{url}' failed: {reason}")]
    Failed {
        /// The URL requested.
        url: String,
        /// Why.
        reason: String,
    },
}

impl FetchError {
    /// A short machine-friendly code.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Insecure(_) => "insecure_url",
            FetchError::Redirect { .. } => "redirect_refused",
            FetchError::Timeout(_) => "timeout",
            FetchError::TooLarge { .. } => "body_too_large",
            FetchError::Failed { .. } => "request_failed",
        }
    }

    /// Whether trying again would meet the same failure: a refused URL or redirect, or a
    /// TLS setup that does not fit the server (an untrusted CA, TLS to a plain-http port).
    pub fn is_permanent(&self) -> bool {
        match self {
            FetchError::Insecure(_) | FetchError::Redirect { .. } => true,
            FetchError::Failed { reason, .. } => !tls_hint(reason).is_empty(),
            FetchError::Timeout(_) | FetchError::TooLarge { .. } => false,
        }
    }
}

/// A response read in full.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The final URL (after redirects).
    pub url: Url,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
    /// The `Location` header (a redirect's target).
    pub location: Option<String>,
    /// How long the server asked the client to wait (`Retry-After`, in seconds or as an
    /// HTTP date), when it said so in a form that reads.
    pub retry_after: Option<Duration>,
}

impl Response {
    /// The body as JSON, when it is.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Where a redirect points: its `Location`, resolved against the URL that answered.
    pub fn redirect_target(&self) -> Option<String> {
        let l = self.location.as_deref()?;
        Some(self.url.join(l).map_or_else(|_| l.to_owned(), String::from))
    }

    /// Whether the status is 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The client.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    /// For POSTs: a 301, 302 or 303 is not followed (it would send a GET, without the
    /// body) but returned as the answer.
    post: reqwest::Client,
    config: ClientConfig,
}

/// Whether a POST answered with `status` was redirected in a way this client does not
/// follow (301, 302, 303: the request would go on as a GET, without its body).
pub fn is_dropped_redirect(status: u16) -> bool {
    (301..=303).contains(&status)
}

/// For a POST answered by a redirect that is not followed ([`is_dropped_redirect`]): what
/// to tell the user.
pub fn dropped_redirect(r: &Response) -> Option<String> {
    if !is_dropped_redirect(r.status) {
        return None;
    }
    Some(redirect_not_followed(
        r.status,
        r.redirect_target().as_deref(),
        "give the final URL",
    ))
}

/// The message for a POST answered `status`, a redirect to `location`, that is not
/// followed; `fix` says what to do instead.
pub fn redirect_not_followed(status: u16, location: Option<&str>, fix: &str) -> String {
    let to = location.map_or_else(String::new, |l| {
        format!(" to '{}'", crate::output::escape_terminal(l))
    });
    format!(
        "HTTP {status}, a redirect{to}, which would re-send the POST as a GET without its body; {fix}"
    )
}

/// A reqwest client with the redirect rules (see [`HttpClient`]).
fn build(config: &ClientConfig, post: bool) -> Result<reqwest::Client> {
    let allow_http = config.allow_http;
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        let previous = attempt.previous();
        let from_https = previous.last().is_some_and(|u| u.scheme() == "https");
        let to = attempt.url().clone();
        if post && is_dropped_redirect(attempt.status().as_u16()) {
            attempt.stop()
        } else if previous.len() > MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else if from_https && to.scheme() != "https" {
            attempt.error(format!("refusing a redirect from https to {to}"))
        } else if to.scheme() != "https" && !(allow_http && to.scheme() == "http") {
            attempt.error(format!("refusing a redirect to non-https URL {to}"))
        } else {
            attempt.follow()
        }
    });
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .redirect(policy)
        .timeout(config.timeout)
        .connect_timeout(config.timeout)
        .user_agent(concat!("mcpbill/", env!("CARGO_PKG_VERSION")));
    if let Some(path) = &config.ca_cert {
        builder = builder.add_root_certificate(load_cert(path)?);
    }
    builder.build().context("cannot set up the HTTP client")
}

/// The last error of a chain of sources: the root cause.
fn innermost(err: &dyn std::error::Error) -> String {
    let mut last = err;
    while let Some(s) = last.source() {
        last = s;
    }
    last.to_string()
}

fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

impl HttpClient {
    /// Build a client.
    pub fn new(config: ClientConfig) -> Result<Self> {
        let inner = build(&config, false)?;
        let post = build(&config, true)?;
        Ok(HttpClient {
            inner,
            post,
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Refuse URLs the configuration does not allow.
    pub fn check_url(&self, url: &Url) -> Result<(), FetchError> {
        check_scheme(url, self.config.allow_http)
    }

    /// GET a URL and read its body (up to the cap).
    pub async fn get(&self, url: &Url) -> Result<Response, FetchError> {
        self.check_url(url)?;
        self.send(
            url,
            self.inner
                .get(url.clone())
                .header("accept", "application/json"),
            None,
        )
        .await
    }

    /// POST a JSON body with extra headers.
    pub async fn post_json(
        &self,
        url: &Url,
        body: &Value,
        headers: &[(&str, String)],
    ) -> Result<Response, FetchError> {
        let mut with_accept = headers.to_vec();
        with_accept.push(("accept", "application/json".to_owned()));
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.post_bytes(url, "application/json", bytes, &with_accept)
            .await
    }

    /// POST raw bytes with a content type and extra headers.
    pub async fn post_bytes(
        &self,
        url: &Url,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, String)],
    ) -> Result<Response, FetchError> {
        let req = self.post_request(url, content_type, body, headers)?;
        self.send(url, req, None).await
    }

    /// POST like [`HttpClient::post_bytes`] when only the status matters (an ingest
    /// endpoint's acknowledgement): the body is kept up to `keep` bytes, for messages, and
    /// the rest is not read, so a large answer (an endpoint echoing what it took) is no
    /// error.
    pub async fn post_for_status(
        &self,
        url: &Url,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, String)],
        keep: usize,
    ) -> Result<Response, FetchError> {
        let req = self.post_request(url, content_type, body, headers)?;
        self.send(url, req, Some(keep)).await
    }

    fn post_request(
        &self,
        url: &Url,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, String)],
    ) -> Result<reqwest::RequestBuilder, FetchError> {
        self.check_url(url)?;
        let mut req = self
            .post
            .post(url.clone())
            .header("content-type", content_type)
            .body(body);
        for (name, value) in headers {
            req = req.header(*name, value);
        }
        Ok(req)
    }

    /// Send `req` and read the answer's body: up to the cap (more is an error), or with
    /// `keep`, its first `keep` bytes only.
    async fn send(
        &self,
        url: &Url,
        req: reqwest::RequestBuilder,
        keep: Option<usize>,
    ) -> Result<Response, FetchError> {
        let map = |e: reqwest::Error| classify(url, &e);
        let mut resp = req.send().await.map_err(map)?;
        let limit = self.config.max_body;
        if keep.is_none() && resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        let status = resp.status().as_u16();
        let final_url = resp.url().clone();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(map)? {
            if let Some(keep) = keep {
                body.extend_from_slice(&chunk[..chunk.len().min(keep - body.len())]);
                if body.len() == keep {
                    break;
                }
                continue;
            }
            if body.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            url: final_url,
            content_type,
            body,
            location,
            retry_after,
        })
    }
}

/// Refuse a URL that is not https, unless `allow_http` and it is http.
pub fn check_scheme(url: &Url, allow_http: bool) -> Result<(), FetchError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_http => Ok(()),
        _ => Err(FetchError::Insecure(url.to_string())),
    }
}

/// The wait a `Retry-After` value asks for at `now` (RFC 9110 section 10.2.3): a number of
/// seconds, or an HTTP date (a date already past is no wait). Anything else reads as
/// nothing, and the caller's own backoff applies.
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is still "a very long time".
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn classify(url: &Url, e: &reqwest::Error) -> FetchError {
    if e.is_timeout() {
        return FetchError::Timeout(url.to_string());
    }
    if e.is_redirect() {
        // The innermost cause is the policy's own message.
        return FetchError::Redirect {
            url: url.to_string(),
            reason: innermost(e),
        };
    }
    // reqwest's own top line repeats the URL ("error sending request for url (...)"),
    // which the message already names: say what failed, then why.
    let mut reason = if e.is_connect() {
        format!("cannot connect: {}", innermost(e))
    } else {
        match std::error::Error::source(e) {
            Some(s) if e.is_request() => chain(s),
            _ => chain(e),
        }
    };
    reason.push_str(tls_hint(&reason));
    FetchError::Failed {
        url: url.to_string(),
        reason,
    }
}

/// What to do about a TLS failure, from rustls's words for it ("" for any other failure).
fn tls_hint(reason: &str) -> &'static str {
    if reason.contains("UnknownIssuer") {
        " (a certificate from a CA this machine does not trust: pass the CA's PEM with --ca-cert)"
    } else if reason.contains("InvalidContentType") || reason.contains("corrupt message") {
        " (the server does not speak TLS there: is it plain http? then use an http:// URL with --allow-http)"
    } else if reason.contains("NotValidForName") {
        " (the certificate is for another host name: use the name it was issued for)"
    } else if reason.contains("Expired") {
        " (the server's certificate has expired)"
    } else {
        ""
    }
}

fn load_cert(path: &Path) -> Result<reqwest::Certificate> {
    let pem = crate::input::read_file(path, crate::input::KEY_LIMIT).with_context(|| {
        format!(
            "cannot read CA certificate '{}'; pass a PEM file to --ca-cert",
            path.display()
        )
    })?;
    // The PEM reader takes a file without any certificate as an empty list.
    if memchr::memmem::find(&pem, b"-----BEGIN CERTIFICATE-----").is_none() {
        anyhow::bail!(
            "'{}' holds no PEM certificate (-----BEGIN CERTIFICATE-----); pass a PEM file to --ca-cert",
            path.display()
        );
    }
    reqwest::Certificate::from_pem(&pem).with_context(|| {
        format!(
            "'{}' is not a PEM certificate; pass a PEM file to --ca-cert",
            path.display()
        )
    })
}

/// Parse a user-given base URL (a scheme is required).
pub fn parse_base(url: &str) -> Result<Url> {
    let parsed = Url::parse(url.trim()).with_context(|| {
        format!("'{url}' is not a URL; pass a full URL such as https://billing.example.com")
    })?;
    match parsed.scheme() {
        "http" | "https" => Ok(parsed),
        other => anyhow::bail!("'{url}' has scheme '{other}'; pass an https:// URL"),
    }
}

/// A base URL to publish (in agents.json, in served documents, in receipts): as
/// [`parse_base`], and without credentials, a query or a fragment, which would be
/// published as they are and make every endpoint joined to it wrong. `flag` names it in
/// messages.
pub fn parse_published_base(url: &str, flag: &str) -> Result<Url> {
    let parsed = parse_base(url).map_err(|e| anyhow::anyhow!("{flag}: {e}"))?;
    let part = if !parsed.username().is_empty() || parsed.password().is_some() {
        Some("credentials (user:password@)")
    } else if parsed.query().is_some() {
        Some("a query (?...)")
    } else if parsed.fragment().is_some() {
        Some("a fragment (#...)")
    } else {
        None
    };
    if let Some(part) = part {
        anyhow::bail!(
            "{flag} '{url}' holds {part}, which would be published; pass the plain base, e.g. https://billing.example.com"
        );
    }
    Ok(parsed)
}

/// Whether `token` can be sent as `Authorization: Bearer <token>`: it must be non-empty
/// visible ASCII (no spaces, line breaks, control or non-ASCII characters). Anything else
/// either cannot be an HTTP header value at all or is not the token that was issued, and
/// is refused before any request is made. The error describes the problem without
/// repeating the token (it is a secret); callers put the flag's name in front of it.
pub fn check_bearer_token(token: &str) -> std::result::Result<(), String> {
    const FIX: &str = "pass the token exactly as issued";
    if token.is_empty() {
        return Err(format!("is empty; {FIX}, or leave it out to send none"));
    }
    if token
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
    {
        return Err(format!(
            "starts with 'Bearer '; {FIX}, without the 'Bearer ' that mcpbill adds"
        ));
    }
    let Some((i, c)) = token
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_graphic())
    else {
        return Ok(());
    };
    let what = match c {
        '\n' | '\r' => "a line break",
        ' ' => "a space",
        '\t' => "a tab",
        c if c.is_control() => "a control character",
        _ => "a non-ASCII character",
    };
    Err(format!(
        "has {what} at character {}, which cannot be sent in an HTTP header; {FIX} (visible ASCII only)",
        i + 1
    ))
}

/// Resolve an advertised endpoint (an absolute URL, or a path) against the base URL.
pub fn resolve(base: &Url, endpoint: &str) -> Option<Url> {
    base.join(endpoint).ok()
}

/// Run a future on a fresh current-thread runtime.
pub fn block_on<F: std::future::Future>(fut: F) -> Result<F::Output> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(rt.block_on(fut))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_and_absolute_urls() {
        let base = Url::parse("https://a.example/x/").unwrap();
        assert_eq!(
            resolve(&base, "/api/pricing").unwrap().as_str(),
            "https://a.example/api/pricing"
        );
        assert_eq!(
            resolve(&base, "https://b.example/p").unwrap().as_str(),
            "https://b.example/p"
        );
        assert!(parse_base("ftp://x").is_err());
        assert!(parse_published_base("https://b.example.com/base/", "--base-url").is_ok());
        for bad in [
            "https://u:p@b.example.com",
            "https://b.example.com/path?q=1",
            "https://b.example.com/#f",
        ] {
            assert!(parse_published_base(bad, "--base-url").is_err(), "{bad}");
        }
        assert!(parse_base("not a url").is_err());
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        use std::time::{SystemTime, UNIX_EPOCH};
        // Sun, 06 Nov 1994 08:49:37 GMT, the RFC's own example.
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777);
        let secs = |v: &str| parse_retry_after(v, now);
        assert_eq!(secs("120"), Some(Duration::from_secs(120)));
        assert_eq!(secs(" 0 "), Some(Duration::ZERO));
        assert_eq!(
            secs("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            secs("Sun, 06 Nov 1994 08:50:07 GMT"),
            Some(Duration::from_secs(30))
        );
        assert_eq!(secs("Sun, 06 Nov 1994 08:00:00 GMT"), Some(Duration::ZERO));
        for bad in ["", "-5", "1.5", "soon", "30s"] {
            assert_eq!(secs(bad), None, "{bad:?}");
        }
        assert!(parse_retry_after("1", SystemTime::now()).is_some());
    }

    /// Exactly the tokens a header can carry as issued pass; the others say why,
    /// without the token, and agree with what the HTTP stack would refuse.
    #[test]
    fn bearer_tokens_are_visible_ascii() {
        for ok in [
            "a",
            "abc.DEF-123_~+/=",
            "eyJhbGciOi.eyJzdWIi.SflKxw",
            "!#$%&'*",
        ] {
            assert_eq!(check_bearer_token(ok), Ok(()), "{ok:?}");
            let header = format!("Bearer {ok}");
            assert!(reqwest::header::HeaderValue::from_str(&header).is_ok());
        }
        for (bad, want) in [
            ("", "is empty"),
            ("a\nb", "a line break at character 2"),
            ("secret\r", "a line break at character 7"),
            ("a\u{0}b", "a control character at character 2"),
            ("\u{7f}", "a control character at character 1"),
            ("\u{1b}[31m", "a control character at character 1"),
            ("a b", "a space at character 2"),
            ("\tab", "a tab at character 1"),
            ("tok\u{e9}n", "a non-ASCII character at character 4"),
            ("s3cr3t\u{e9}", "a non-ASCII character at character 7"),
            ("Bearer abc", "starts with 'Bearer '"),
        ] {
            let e = check_bearer_token(bad).unwrap_err();
            assert!(e.contains(want), "{bad:?}: {e}");
            assert!(e.contains("as issued"), "{bad:?}: {e}");
            assert!(
                !e.contains('\n') && (bad.len() < 3 || !e.contains(bad)),
                "{e}"
            );
        }
    }
}
