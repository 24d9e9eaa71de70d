//! `mcpbill serve`: the provider-side HTTP server over the local logs (receipt
//! verification, pricing, discovery, MMCP feedback), on axum and tokio.
//!
//! Every answer is JSON (errors are `{"error": {"code", "message"}}`), request bodies
//! are capped at [`MAX_BODY`] (413 beyond), each request has a deadline (408 beyond),
//! panics are caught (500), and SIGINT/SIGTERM stop accepting connections while
//! in-flight requests finish.

pub mod analytics;
pub mod index;
pub mod keys;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::cli::ServeArgs;
use crate::eventlog::LogDir;
use crate::exit::ExitStatus;
use crate::ids::{IdKind, validate};
use crate::key::Secret;
use crate::output::Printer;
use crate::pricing::{PricingDeclaration, PricingFile};
use crate::receipt::verify_value;
use crate::time::Timestamp;

pub use index::ReceiptIndex;
pub use keys::{ApiKeys, Principal};

/// Largest request body accepted (64 KiB).
pub const MAX_BODY: usize = 64 * 1024;

/// Everything the server needs, already loaded and checked.
#[derive(Debug)]
pub struct ServeConfig {
    /// The log directory.
    pub log_dir: PathBuf,
    /// The HMAC key.
    pub key: Secret,
    /// The pricing file, when given.
    pub pricing: Option<PricingFile>,
    /// API keys for the write endpoints.
    pub api_keys: ApiKeys,
    /// The public base URL.
    pub base_url: Option<String>,
    /// Per-request deadline.
    pub request_timeout: Duration,
    /// Verification records for the trust endpoint.
    pub verifications: Vec<PathBuf>,
}

/// Shared state of the handlers.
#[derive(Debug)]
pub struct AppState {
    log: LogDir,
    key: Secret,
    declarations: Option<Vec<PricingDeclaration>>,
    /// The pricing file, for the expected cost of a disputed call.
    pricing: Option<PricingFile>,
    agents: Value,
    api_keys: ApiKeys,
    index: Mutex<ReceiptIndex>,
    timeout: Duration,
    verifications: Vec<PathBuf>,
    provider_id: Option<String>,
    trust: Mutex<analytics::TrustCache>,
}

/// A JSON error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        let mut resp = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

/// A failure on the server's side (the log directory gone, a disk error): said in full on
/// the server's stderr, for the operator; the client learns only that it happened, not the
/// server's paths.
fn internal(e: impl std::fmt::Display) -> ApiError {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "mcpbill serve: internal error: {}",
        crate::output::escape_terminal(&e.to_string())
    );
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "internal error; the server's operator can read what failed in its log (stderr)",
    )
}

/// Build the shared state: index the receipts, render the discovery document.
pub fn build_state(config: ServeConfig) -> Result<Arc<AppState>> {
    let index = ReceiptIndex::build(&config.log_dir).with_context(|| {
        format!(
            "cannot index receipts in '{}'; check --log-dir",
            config.log_dir.display()
        )
    })?;
    let agents = crate::discovery::agents_document(&crate::discovery::Advertised {
        provider_id: config.pricing.as_ref().map(|p| p.provider_id.clone()),
        base_url: config.base_url.clone(),
        pricing: config.pricing.is_some(),
        receipts: true,
        feedback: true,
        disputes: true,
        trust: true,
    });
    Ok(Arc::new(AppState {
        log: LogDir::existing(&config.log_dir),
        key: config.key,
        declarations: config.pricing.as_ref().map(PricingFile::declarations),
        agents,
        api_keys: config.api_keys,
        index: Mutex::new(index),
        timeout: config.request_timeout,
        verifications: config.verifications,
        provider_id: config.pricing.as_ref().map(|p| p.provider_id.clone()),
        pricing: config.pricing,
        trust: Mutex::new(analytics::TrustCache::default()),
    }))
}

/// The receipts indexed at start (for the startup message).
pub fn indexed(state: &AppState) -> usize {
    state.index.lock().map_or(0, |i| i.len())
}

/// The router with every endpoint and guard.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/receipts/{id}", get(get_receipt))
        .route("/api/pricing", get(get_pricing))
        .route("/.well-known/agents.json", get(get_agents))
        .route("/client/feedback", post(post_feedback))
        .route("/api/disputes", post(post_dispute))
        .route("/api/providers/{id}/trust", get(get_trust))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
            .into_response()
        }))
        .with_state(state)
}

async fn deadline(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    // A body declared too large is refused before it is waited for.
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the request body is larger than {MAX_BODY} bytes"),
        )
        .into_response();
    }
    match tokio::time::timeout(state.timeout, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "the request was not answered within {} (its body came too slowly, or the server was busy); try again",
                humantime::format_duration(state.timeout)
            ),
        )
        .into_response(),
    }
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see /.well-known/agents.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed on this endpoint",
    )
}

/// The id in a request's path, or a 400 naming `what` it should have been.
fn path_text(id: Result<Path<String>, PathRejection>, what: &str) -> Result<String, ApiError> {
    id.map(|Path(id)| id).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_id",
            format!("the {what} id is not valid text"),
        )
    })
}

async fn get_receipt(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_text(id, "receipt")?;
    if let Err(e) = validate(IdKind::Receipt, &id) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_id",
            e.to_string(),
        ));
    }
    let st = state.clone();
    let lookup_id = id.clone();
    let found = tokio::task::spawn_blocking(move || {
        let mut index = st
            .index
            .lock()
            .map_err(|_| "index lock poisoned".to_owned())?;
        index.lookup(&lookup_id).map_err(|e| e.to_string())
    })
    .await
    .map_err(internal)?
    .map_err(internal)?;
    let Some(receipt) = found else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_receipt",
            format!("no receipt '{id}' in this provider's log"),
        ));
    };
    let verdict = verify_value(&receipt, |_| Some(&state.key));
    let mut verification = json!({
        "valid": verdict.valid(),
        "algorithm": "HMAC-SHA256",
        "verified_at": Timestamp::now().as_str(),
    });
    if let Some(invalid) = &verdict.invalid {
        verification["reason"] = json!(invalid.code());
        verification["detail"] = json!(invalid.to_string());
    }
    Ok(axum::Json(json!({"receipt": receipt, "verification": verification})).into_response())
}

async fn get_pricing(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    match &state.declarations {
        Some(d) => Ok(axum::Json(d).into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_pricing",
            "this server publishes no pricing (start it with --pricing FILE)",
        )),
    }
}

async fn get_agents(State(state): State<Arc<AppState>>) -> Response {
    axum::Json(state.agents.clone()).into_response()
}

/// The principal a request's `Authorization: Bearer` key belongs to.
fn authenticate<'s>(state: &'s AppState, headers: &HeaderMap) -> Result<&'s Principal, ApiError> {
    let unauthorized =
        |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", m.to_owned());
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(unauthorized("send 'Authorization: Bearer <api key>'"));
    };
    let Some(token) = value.to_str().ok().and_then(|v| {
        v.strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
    }) else {
        return Err(unauthorized(
            "the Authorization header must be 'Bearer <api key>'",
        ));
    };
    state
        .api_keys
        .authenticate(token.trim())
        .ok_or_else(|| unauthorized("unknown API key"))
}

/// Parse a JSON object body, mapping every failure to a JSON error.
fn json_object(
    body: Result<Bytes, BytesRejection>,
) -> Result<serde_json::Map<String, Value>, ApiError> {
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the request body is larger than {MAX_BODY} bytes"),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "bad_body", r.body_text())
        }
    })?;
    match crate::doc::from_slice(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_body",
            "the body must be a JSON object",
        )),
        Err(crate::doc::DocError::Json(e)) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("the body is not JSON: {e}"),
        )),
        Err(e) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("the body is refused: {e}"),
        )),
    }
}

async fn post_feedback(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let principal = authenticate(&state, &headers)?.clone();
    if principal.role != crate::cli::KeyRole::Agent {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "feedback comes from the agent that made the call; use an agent's API key",
        ));
    }
    let obj = json_object(body)?;
    let bad = |m: String| ApiError::new(StatusCode::BAD_REQUEST, "bad_feedback", m);
    if let Some(k) = obj.keys().find(|k| *k != "request_id" && *k != "discarded") {
        return Err(bad(format!(
            "unknown field '{k}'; send {{request_id, discarded}}"
        )));
    }
    let request_id = match obj.get("request_id") {
        Some(Value::String(s))
            if !s.is_empty() && s.len() <= 200 && !s.chars().any(char::is_control) =>
        {
            s.clone()
        }
        Some(_) => {
            return Err(bad(
                "request_id must be a non-empty string of at most 200 characters".into(),
            ));
        }
        None => return Err(bad("missing field 'request_id'".into())),
    };
    let discarded = match obj.get("discarded") {
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(bad("discarded must be true or false".into())),
        None => return Err(bad("missing field 'discarded'".into())),
    };
    let record = json!({
        "request_id": request_id,
        "discarded": discarded,
        "timestamp": Timestamp::now().as_str(),
        "agent_id": principal.id,
    });
    let st = state.clone();
    tokio::task::spawn_blocking(move || {
        let line = serde_json::to_vec(&record).unwrap_or_default();
        st.log.append(&st.log.feedback(), &line)
    })
    .await
    .map_err(internal)?
    .map_err(|e| internal(format!("{e:#}")))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets its flag when dropped.
struct CancelOnDrop(Arc<std::sync::atomic::AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

async fn post_dispute(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let principal = authenticate(&state, &headers)?.clone();
    let obj = json_object(body)?;
    let st = state.clone();
    // Set when this handler is dropped (the request timed out and was answered 408): the
    // filing, still running on its own thread, then files nothing.
    let cancelled = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let _guard = CancelOnDrop(cancelled.clone());
    let outcome = tokio::task::spawn_blocking(move || {
        let pricing = st.pricing.as_ref();
        analytics::file_dispute(
            &st.log,
            &st.key,
            pricing,
            &cancelled,
            &principal,
            &obj,
            |id| {
                let mut index = st
                    .index
                    .lock()
                    .map_err(|_| anyhow::anyhow!("index lock poisoned"))?;
                Ok(index.lookup(id)?)
            },
        )
    })
    .await
    .map_err(internal)?
    .map_err(|e| internal(format!("{e:#}")))?;
    match outcome {
        Ok(dispute) => {
            let mut doc = serde_json::to_value(&dispute).map_err(internal)?;
            // The full evidence stays in the provider's log.
            if let Some(o) = doc.as_object_mut() {
                o.remove("evidence");
            }
            Ok((StatusCode::CREATED, axum::Json(doc)).into_response())
        }
        Err((status, code, message)) => Err(ApiError::new(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code,
            message,
        )),
    }
}

async fn get_trust(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_text(id, "provider")?;
    if id.is_empty() || id.len() > 200 || id.chars().any(char::is_control) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_id",
            "the provider id is empty, too long or has control characters",
        ));
    }
    let st = state.clone();
    let lookup_id = id.clone();
    let score = tokio::task::spawn_blocking(move || {
        let cache = || {
            st.trust
                .lock()
                .map_err(|_| anyhow::anyhow!("trust cache lock poisoned"))
        };
        if let Some(hit) = cache()?.cached(&lookup_id) {
            return Ok(hit);
        }
        // Computed without the lock: other requests get the scores before meanwhile.
        let named: Vec<String> = st.provider_id.iter().cloned().collect();
        let computed = analytics::compute_scores(st.log.path(), &st.verifications, &named);
        let mut cache = cache()?;
        match computed {
            Ok(scores) => {
                let hit = scores.get(&lookup_id).cloned();
                cache.store(scores);
                Ok(hit)
            }
            Err(e) => {
                cache.failed();
                Err(e)
            }
        }
    })
    .await
    .map_err(internal)?
    .map_err(|e| internal(format!("{e:#}")))?;
    match score {
        Some(s) => Ok(axum::Json(s).into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_provider",
            format!("no events, disputes or verifications of provider '{id}' in the last 30 days"),
        )),
    }
}

/// A future that resolves when SIGINT or SIGTERM arrives. The handlers are installed when
/// this is called, not when the future is first polled: a signal sent as soon as the
/// command said it was ready (serve's "listening" line) ends it as asked instead of
/// killing it. Call it inside the runtime.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{SignalKind, signal};
    let int = signal(SignalKind::interrupt()).ok();
    let term = signal(SignalKind::terminate()).ok();
    async move {
        let wait = |s: Option<tokio::signal::unix::Signal>| async move {
            match s {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = wait(int) => {}
            () = wait(term) => {}
        }
    }
}

/// Connections served at once; further connections are closed at once.
pub const MAX_CONNECTIONS: usize = 1024;
/// After a shutdown signal, how long in-flight requests get before the server exits anyway.
pub const DRAIN: Duration = Duration::from_secs(30);

/// Serve on a bound listener until `shutdown` resolves, then let in-flight requests
/// finish (for at most [`DRAIN`]).
///
/// Each connection is HTTP/1.1 with a header read timeout equal to the request timeout,
/// so a client that never finishes its headers neither holds a connection nor delays
/// shutdown; at most [`MAX_CONNECTIONS`] are served at once.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let header_timeout = state.timeout;
    let app = router(state);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        // Out of file descriptors and the like: back off briefly, keep serving.
        let Ok((stream, _)) = accepted else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .keep_alive(true);
        let conn =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {}
    }
    Ok(())
}

/// Whether `n` threads can run at once: each is started and waits until all are, then
/// they end. An error is the system's refusal of one of them.
fn can_run_threads(n: usize) -> std::io::Result<()> {
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let wait = std::sync::Arc::new(std::sync::Mutex::new(wait));
    let mut started = Vec::with_capacity(n);
    let mut refused = None;
    for _ in 0..n {
        let wait = std::sync::Arc::clone(&wait);
        match std::thread::Builder::new().spawn(move || {
            // Ends when the sender is dropped.
            let _ = wait.lock().map(|w| w.recv());
        }) {
            Ok(h) => started.push(h),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    drop(release);
    for h in started {
        let _ = h.join();
    }
    refused.map_or(Ok(()), Err)
}

/// Run `mcpbill serve`.
pub fn run(args: &ServeArgs, printer: &mut Printer) -> Result<ExitStatus> {
    if let Some(id) = &args.hash_key {
        if id.trim().is_empty() || id.chars().any(char::is_control) {
            anyhow::bail!(
                "--hash-key {id:?}: the key's id is empty or holds a control character; give the agent or provider id the key belongs to"
            );
        }
        // One line (a key typed or pasted at a terminal ends with Enter), within a bound.
        let mut input = Vec::new();
        std::io::BufRead::read_until(
            &mut std::io::Read::take(std::io::stdin().lock(), crate::input::KEY_LIMIT + 1),
            b'\n',
            &mut input,
        )
        .context("cannot read the API key on stdin")?;
        if input.len() as u64 > crate::input::KEY_LIMIT {
            anyhow::bail!(
                "the API key on stdin holds more than 1 MiB, more than a key ever needs; pipe the key file"
            );
        }
        let key = String::from_utf8_lossy(&input);
        if key.trim().len() < 16 {
            anyhow::bail!(
                "the API key on stdin is shorter than 16 characters; generate one with 'mcpbill keygen --out FILE'"
            );
        }
        printer.raw(&keys::entry_toml(id, args.role, &key))?;
        return Ok(ExitStatus::Success);
    }
    // A mistyped --log-dir or --verifications is said at start, not served as an empty
    // log or found out by the first trust request.
    crate::analytics::reading_log_dir(args.log_dir.as_deref())?;
    for v in &args.verifications {
        if !v.is_file() {
            anyhow::bail!(
                "--verifications '{}' is not a file; check the path (it is written by verify-* --record)",
                v.display()
            );
        }
        // Read once at start, as each trust request reads it: a file of another kind is
        // refused now, not found out by the first request.
        crate::trust::read_verifications(v, i64::MAX, &mut std::collections::HashMap::new())?;
    }
    let log = LogDir::open(args.log_dir.as_deref())?;
    let key = Secret::require(args.key_file.as_ref())?;
    if let Some(source) = Secret::source(args.key_file.as_deref()) {
        printer.debug(&format!("receipts are verified with the key from {source}"));
    }
    let pricing = args.pricing.as_deref().map(PricingFile::load).transpose()?;
    let api_keys = match &args.api_keys {
        Some(p) => ApiKeys::load(p)?,
        None => ApiKeys::default(),
    };
    if let Some(b) = &args.base_url {
        crate::http::parse_published_base(b, "--base-url")?;
    }
    let state = build_state(ServeConfig {
        log_dir: log.path().to_path_buf(),
        key,
        pricing,
        api_keys,
        base_url: args.base_url.clone(),
        request_timeout: args.request_timeout,
        verifications: args.verifications.clone(),
    })?;
    // The runtime's workers plus one blocking thread (file reads, trust scores): tokio
    // panics, or waits forever for a blocking thread, when the system refuses them.
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    can_run_threads(workers + 1).map_err(|e| {
        anyhow::anyhow!(
            "cannot start the {} threads serve needs: {e}; raise the thread and process limit (ulimit -u, a container's pids limit)",
            workers + 1
        )
    })?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}; pick another --listen address", args.listen))?;
        let addr: SocketAddr = listener.local_addr()?;
        // Before the line that says it is listening: a SIGTERM from then on shuts it down.
        let shutdown = shutdown_signal();
        if state.api_keys.is_empty() {
            let why = match &args.api_keys {
                Some(p) => format!("--api-keys '{}' holds no keys (add entries with 'mcpbill serve --hash-key ID')", p.display()),
                None => "no --api-keys file".to_owned(),
            };
            printer.warn(&format!("{why}: write endpoints (POST /client/feedback, POST /api/disputes) answer 401"));
        }
        if printer.json() {
            printer.json_line(&json!({"listening": format!("http://{addr}"), "receipts_indexed": indexed(&state)}))?;
        } else {
            let n = indexed(&state);
            let s = if n == 1 { "" } else { "s" };
            printer.line(&format!(
                "mcpbill serve listening on http://{addr} ({n} receipt{s} indexed)"
            ))?;
        }
        printer.flush()?;
        serve(listener, state, shutdown).await.context("the server failed")?;
        printer.note("mcpbill serve: shut down");
        anyhow::Ok(())
    })?;
    Ok(ExitStatus::Success)
}
