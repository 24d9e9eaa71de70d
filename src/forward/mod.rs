//! `mcpbill forward`: ships meter events from the log to a remote metering endpoint.
//!
//! The event log is the spool. A cursor file in the log directory (one per destination)
//! records, for each `events-*.jsonl` file, the byte offset up to which the endpoint has
//! acknowledged the events; it is replaced atomically after each acknowledged batch.
//! A batch is read from the cursor on, sent, retried with exponential backoff until
//! acknowledged, and only then does the cursor move. When the process dies between the
//! endpoint's acknowledgement and the cursor write, that one batch is sent again with
//! the same event ids, which the endpoint uses as idempotency keys (they are in the
//! body, and in the `Idempotency-Key` and `X-Mcpbill-Event-Ids` headers). Nothing is lost,
//! and no event is counted twice by an endpoint that honours the ids.
//!
//! [`Forwarder`] is also the library entry point for `wrap --forward`: it reads the
//! files the shim writes, so the shim's relay never waits on it or on the network.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::Url;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::cli::{ForwardArgs, ForwardFormat};
use crate::eventlog::LogDir;
use crate::exit::ExitStatus;
use crate::http::{ClientConfig, HttpClient, check_bearer_token, parse_base};
use crate::output::Printer;

/// The longest `X-Mcpbill-Event-Ids` value sent (about 140 event ids); a batch with more
/// ids leaves the header out.
const EVENT_IDS_HEADER_MAX: usize = 4096;

/// Longest wait between retries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Longest event line shipped: longer lines are skipped and counted, as `report` and
/// `export` skip them (the scanner's bound).
pub const MAX_LINE: usize = crate::eventlog::MAX_LINE as usize;

/// How a forwarder runs.
#[derive(Debug, Clone)]
pub struct ForwardConfig {
    /// The log directory.
    pub log_dir: PathBuf,
    /// The endpoint.
    pub to: Url,
    /// The wire format.
    pub format: ForwardFormat,
    /// Events per request.
    pub batch: usize,
    /// Attempts per batch before giving up; `None` retries forever.
    pub attempts: Option<u32>,
    /// First retry delay.
    pub retry_delay: Duration,
    /// Poll interval when following.
    pub poll: Duration,
    /// Bearer token (checked by [`crate::http::check_bearer_token`] in [`Forwarder::new`]).
    pub token: Option<String>,
    /// Print retry notes on stderr.
    pub verbose_retries: bool,
}

/// What a run shipped.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Events acknowledged.
    pub events: u64,
    /// Batches acknowledged.
    pub batches: u64,
    /// Failed attempts that were retried.
    pub retries: u64,
    /// Lines that are not meter events (skipped, cursor moved past them).
    pub lines_skipped: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Cursor {
    to: String,
    files: BTreeMap<String, u64>,
}

/// A batch read from one file.
#[derive(Debug, Default)]
struct Batch {
    events: Vec<(String, Value)>,
    skipped: u64,
    /// Offset after the last line read.
    end: u64,
    /// The file is shorter than the offset asked for: its size.
    shorter: Option<u64>,
}

/// Ships events from one log directory to one endpoint.
#[derive(Debug)]
pub struct Forwarder {
    config: ForwardConfig,
    client: HttpClient,
    cursor_path: PathBuf,
    cursor: Cursor,
    _lock: File,
    /// Files already said to be shorter than the cursor (said once per run).
    shrunk: std::collections::BTreeSet<String>,
    /// The last cursor write failed (and that was said): what it holds is in memory only.
    unsaved: Option<String>,
}

/// The destination as the cursor records it: without a user name, password or query,
/// which may carry credentials.
fn shown_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.to_string()
}

fn url_tag(url: &Url) -> String {
    hex::encode(&Sha256::digest(url.as_str().as_bytes())[..8])
}

impl Forwarder {
    /// Open the cursor for this destination (taking its lock, so two forwarders never
    /// ship the same log to the same endpoint at once).
    pub fn new(config: ForwardConfig, client: HttpClient) -> Result<Self> {
        client
            .check_url(&config.to)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        // A token no request can carry would fail every attempt as if the network did.
        if let Some(t) = &config.token {
            check_bearer_token(t).map_err(|e| anyhow::anyhow!("the bearer token {e}"))?;
        }
        let log = LogDir::open(Some(&config.log_dir))?;
        let tag = url_tag(&config.to);
        let lock_path = log.path().join(format!("forward-{tag}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot open '{}'", lock_path.display()))?;
        if lock.try_lock().is_err() {
            bail!(
                "another 'mcpbill forward' is shipping '{}' to {}; stop it first",
                log.path().display(),
                config.to
            );
        }
        let cursor_path = log.path().join(format!("forward-{tag}.cursor.json"));
        let cursor = match crate::input::read_file(&cursor_path, crate::input::CONFIG_LIMIT) {
            Ok(bytes) => serde_json::from_slice::<Cursor>(&bytes).with_context(|| {
                format!(
                    "cursor file '{}' is damaged; fix or delete it (deleting resends every event)",
                    cursor_path.display()
                )
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Cursor {
                to: shown_url(&config.to),
                files: BTreeMap::new(),
            },
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read '{}'", cursor_path.display()));
            }
        };
        Ok(Forwarder {
            config,
            client,
            cursor_path,
            cursor,
            _lock: lock,
            shrunk: std::collections::BTreeSet::new(),
            unsaved: None,
        })
    }

    /// The cursor file.
    pub fn cursor_path(&self) -> &Path {
        &self.cursor_path
    }

    /// Save the cursor; when that fails (a full disk), shipping goes on from the cursor in
    /// memory, the failure is said once, and the next save that works says so.
    fn keep_cursor(&mut self) {
        match self.save_cursor() {
            Ok(()) => {
                if self.unsaved.take().is_some() {
                    let _ = writeln!(
                        io::stderr(),
                        "mcpbill forward: the cursor '{}' is saved again",
                        self.cursor_path.display()
                    );
                }
            }
            Err(e) => {
                if self.unsaved.is_none() {
                    let _ = writeln!(
                        io::stderr(),
                        "mcpbill forward: {e:#}; shipping goes on, the cursor kept in memory and saved once it can be (a restart before then sends the events since its last save again, which the endpoint deduplicates by event id)"
                    );
                }
                self.unsaved = Some(format!("{e:#}"));
            }
        }
    }

    fn save_cursor(&self) -> Result<()> {
        let mut cursor = self.cursor.clone();
        // Cursors written before the URL was stored without its credentials.
        if let Ok(url) = Url::parse(&cursor.to) {
            cursor.to = shown_url(&url);
        }
        let body = serde_json::to_vec_pretty(&cursor)?;
        // Private, as the logs are (the cursor says where they go).
        crate::newfile::replace_file(&self.cursor_path, &body, Some(0o600))
            .with_context(|| format!("cannot replace '{}'", self.cursor_path.display()))
    }

    /// Ship every complete event in the log now; returns when all are acknowledged.
    pub async fn run_once(&mut self) -> Result<Stats> {
        let mut stats = Stats::default();
        self.pass(&mut stats).await?;
        if let Some(e) = &self.unsaved {
            anyhow::bail!(
                "every event was sent, but the cursor could not be saved ({e}); the next run sends the events since its last save again, which the endpoint deduplicates by event id"
            );
        }
        Ok(stats)
    }

    /// Ship events until `shutdown` resolves, looking for new ones every poll interval.
    pub async fn follow(
        &mut self,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<Stats> {
        let mut stats = Stats::default();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => return Ok(stats),
                r = self.pass(&mut stats) => r?,
            }
            tokio::select! {
                () = &mut shutdown => return Ok(stats),
                () = tokio::time::sleep(self.config.poll) => {}
            }
        }
    }

    /// Run [`Forwarder::follow`] as a background task (for `wrap --forward`).
    pub fn spawn(
        mut self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> tokio::task::JoinHandle<Result<Stats>> {
        tokio::spawn(async move { self.follow(shutdown).await })
    }

    async fn pass(&mut self, stats: &mut Stats) -> Result<()> {
        let dir = self.config.log_dir.clone();
        let files = tokio::task::spawn_blocking(move || Forwarder::list(&dir))
            .await
            .context("the file reader failed")?
            .with_context(|| format!("cannot list '{}'", self.config.log_dir.display()))?;
        for name in files {
            loop {
                let offset = self.cursor.files.get(&name).copied().unwrap_or(0);
                let path = self.config.log_dir.join(&name);
                let n = self.config.batch;
                let batch = tokio::task::spawn_blocking(move || read_batch(&path, offset, n))
                    .await
                    .context("the file reader failed")?
                    .with_context(|| {
                        format!(
                            "cannot read '{}'",
                            self.config.log_dir.join(&name).display()
                        )
                    })?;
                if let Some(size) = batch.shorter
                    && self.shrunk.insert(name.clone())
                {
                    // Truncated or replaced: what it holds now past `size` would never ship.
                    let _ = writeln!(
                        io::stderr(),
                        "mcpbill forward: '{name}' holds {size} bytes, less than the {offset} already shipped: it was truncated or replaced, and its events are not shipped again; delete '{}' to send the log again (the endpoint deduplicates by event id)",
                        self.cursor_path.display()
                    );
                }
                if batch.end == offset {
                    break;
                }
                stats.lines_skipped += batch.skipped;
                if !batch.events.is_empty() {
                    self.send(&batch.events, stats).await?;
                    stats.events += batch.events.len() as u64;
                    stats.batches += 1;
                }
                self.cursor.files.insert(name.clone(), batch.end);
                self.keep_cursor();
            }
        }
        Ok(())
    }

    fn list(dir: &Path) -> io::Result<Vec<String>> {
        let mut names: Vec<String> = match std::fs::read_dir(dir) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.starts_with("events-") && n.ends_with(".jsonl"))
                .collect(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        names.sort();
        for n in &names {
            crate::eventlog::check_log_file(&dir.join(n))?;
        }
        Ok(names)
    }

    async fn send(&self, events: &[(String, Value)], stats: &mut Stats) -> Result<()> {
        let ids: Vec<&str> = events.iter().map(|(id, _)| id.as_str()).collect();
        let key = if ids.len() == 1 {
            ids[0].to_owned()
        } else {
            format!(
                "batch_{}",
                hex::encode(&Sha256::digest(ids.join(",").as_bytes())[..16])
            )
        };
        let (content_type, body) = encode(self.config.format, events);
        let mut headers = vec![("idempotency-key", key)];
        // The ids are in the body too: a header past what common servers take in one
        // line (nginx 8 KiB) would get the whole batch refused, so a long list is left out.
        let listed = ids.join(",");
        if listed.len() <= EVENT_IDS_HEADER_MAX {
            headers.push(("x-mcpbill-event-ids", listed));
        }
        if let Some(t) = &self.config.token {
            headers.push(("authorization", format!("Bearer {t}")));
        }
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let outcome = self
                .client
                .post_for_status(&self.config.to, content_type, body.clone(), &headers, 4096)
                .await;
            let (retry_after, why) = match outcome {
                Ok(r) if r.ok() => return Ok(()),
                Ok(r) if r.status == 408 || r.status == 429 || r.status >= 500 => {
                    let why = match r.retry_after {
                        Some(d) => format!("HTTP {}, Retry-After {} s", r.status, d.as_secs()),
                        None => format!("HTTP {}", r.status),
                    };
                    (r.retry_after, why)
                }
                Ok(r) => {
                    if let Some(why) = crate::http::dropped_redirect(&r) {
                        bail!(
                            "{} answered {why}; nothing was shipped and the cursor was kept",
                            self.config.to
                        );
                    }
                    let text =
                        String::from_utf8_lossy(&r.body[..r.body.len().min(300)]).into_owned();
                    let text = crate::output::escape_terminal(text.trim());
                    let text = text.lines().next().unwrap_or_default();
                    let fix = match r.status {
                        401 | 403 => "check --token (or MCPBILL_FORWARD_TOKEN)",
                        413 | 431 => "send smaller batches with --batch",
                        404 | 405 => "check the --to URL",
                        _ => "fix the endpoint and run again",
                    };
                    bail!(
                        "{} refused a batch with HTTP {}: {text}; the cursor was kept, {fix}",
                        self.config.to,
                        r.status,
                    );
                }
                // Trying again would meet the same refusal.
                Err(e) if e.is_permanent() => {
                    bail!("{e}; nothing was shipped and the cursor was kept")
                }
                Err(e) => (None::<Duration>, e.to_string()),
            };
            stats.retries += 1;
            if self.config.attempts.is_some_and(|max| attempt >= max) {
                let attempts = if attempt == 1 { "attempt" } else { "attempts" };
                bail!(
                    "{} did not acknowledge a batch after {attempt} {attempts} (last: {why}); nothing was lost, run again to resume",
                    self.config.to
                );
            }
            let delay = retry_delay(self.config.retry_delay, attempt, retry_after);
            if self.config.verbose_retries {
                let _ = writeln!(
                    io::stderr(),
                    "mcpbill forward: attempt {attempt} failed ({why}); retrying in {} ms",
                    delay.as_millis()
                );
            }
            tokio::time::sleep(delay).await;
        }
    }
}

/// A forwarder running on its own thread (see [`Forwarder::start_thread`]).
#[derive(Debug)]
pub struct ForwardHandle {
    stop: Option<tokio::sync::oneshot::Sender<Duration>>,
    thread: Option<std::thread::JoinHandle<Result<Stats>>>,
}

impl ForwardHandle {
    /// Stop following, then make one last pass for at most `drain` (so events written
    /// just before the stop are shipped too; zero skips it), and return what was shipped.
    pub fn stop(mut self, drain: Duration) -> Result<Stats> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(drain);
        }
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => bail!("the forwarder thread panicked"),
            None => Ok(Stats::default()),
        }
    }
}

impl Drop for ForwardHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(Duration::ZERO);
        }
    }
}

impl Forwarder {
    /// Run the forwarder on a background OS thread with its own runtime, for callers
    /// without one (the shim): nothing it does can block the caller.
    pub fn start_thread(mut self) -> Result<ForwardHandle> {
        let (tx, rx) = tokio::sync::oneshot::channel::<Duration>();
        let thread = std::thread::Builder::new()
            .name("mcpbill-forward".into())
            .spawn(move || -> Result<Stats> {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .context("cannot start the forwarder's runtime")?;
                rt.block_on(async move {
                    let mut stats = Stats::default();
                    let mut stop = rx;
                    // Set when the stop arrives: the moment the drain ends.
                    let mut deadline: Option<tokio::time::Instant> = None;
                    loop {
                        // A pass in progress when the stop arrives is not cut short:
                        // it may finish within the drain.
                        let finished = {
                            let pass = self.pass(&mut stats);
                            tokio::pin!(pass);
                            loop {
                                let until = deadline.unwrap_or_else(tokio::time::Instant::now);
                                tokio::select! {
                                    r = &mut pass => break Some(r),
                                    d = &mut stop, if deadline.is_none() => {
                                        deadline = Some(tokio::time::Instant::now() + d.unwrap_or_default());
                                    }
                                    () = tokio::time::sleep_until(until), if deadline.is_some() => break None,
                                }
                            }
                        };
                        match (finished, deadline) {
                            (Some(r), None) => r?,
                            // Stopped during a pass: one more pass picks up anything
                            // written meanwhile, still within the drain.
                            (Some(r), Some(until)) => {
                                r?;
                                let _ = tokio::time::timeout_at(until, self.pass(&mut stats)).await;
                                return Ok(stats);
                            }
                            (None, _) => return Ok(stats),
                        }
                        tokio::select! {
                            d = &mut stop => {
                                let until = tokio::time::Instant::now() + d.unwrap_or_default();
                                let _ = tokio::time::timeout_at(until, self.pass(&mut stats)).await;
                                return Ok(stats);
                            }
                            () = tokio::time::sleep(self.config.poll) => {}
                        }
                    }
                })
            })
            .context("cannot start the forwarder thread")?;
        Ok(ForwardHandle {
            stop: Some(tx),
            thread: Some(thread),
        })
    }
}

/// Start a following forwarder on its own thread for `wrap --forward`: retries forever,
/// polls every second, bearer token from `MCPBILL_FORWARD_TOKEN`.
pub fn start_background(
    log_dir: &Path,
    to: &str,
    format: ForwardFormat,
    allow_http: bool,
) -> Result<ForwardHandle> {
    let to = parse_base(to).context("--forward")?;
    if to.scheme() != "https" && !allow_http {
        bail!("--forward: refusing plain http URL '{to}'; use https, or pass --forward-allow-http");
    }
    // Read lossily, so a token that is not text is refused below rather than ignored.
    let token = std::env::var_os("MCPBILL_FORWARD_TOKEN")
        .map(|t| t.to_string_lossy().into_owned())
        .filter(|t| !t.is_empty());
    if let Some(t) = &token {
        check_bearer_token(t)
            .map_err(|e| anyhow::anyhow!("MCPBILL_FORWARD_TOKEN (the --forward token) {e}"))?;
    }
    let client = HttpClient::new(ClientConfig {
        allow_http,
        timeout: Duration::from_secs(10),
        max_body: crate::http::DEFAULT_MAX_BODY,
        ca_cert: None,
    })?;
    let config = ForwardConfig {
        log_dir: log_dir.to_path_buf(),
        to,
        format,
        batch: 100,
        attempts: None,
        retry_delay: Duration::from_millis(500),
        poll: Duration::from_secs(1),
        token,
        verbose_retries: false,
    };
    Forwarder::new(config, client)?.start_thread()
}

/// The longest `Retry-After` honoured: a server asking for more is retried after this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// The wait before retry number `attempt` (1-based): the backoff, or longer when the
/// server asked for longer with `Retry-After` (up to [`MAX_RETRY_AFTER`]).
pub fn retry_delay(base: Duration, attempt: u32, retry_after: Option<Duration>) -> Duration {
    let own = backoff(base, attempt);
    retry_after.map_or(own, |asked| own.max(asked.min(MAX_RETRY_AFTER)))
}

/// The wait before retry number `attempt` (1-based): doubling from `base`, capped.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let factor = 1u32 << attempt.saturating_sub(1).min(16);
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

/// Read up to `n` complete event lines from `offset`.
fn read_batch(path: &Path, offset: u64, n: usize) -> io::Result<Batch> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut batch = Batch {
        end: offset,
        ..Batch::default()
    };
    if size <= offset {
        batch.shorter = (size < offset).then_some(size);
        return Ok(batch);
    }
    file.seek(SeekFrom::Start(offset))?;
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    while batch.events.len() < n {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        let raw = if batch.end == 0 {
            crate::eventlog::strip_bom(&line)
        } else {
            &line
        };
        // A last line without its newline is still being written, unless it is a whole
        // JSON object (no proper prefix of one is): a writer cut off before its newline,
        // which `report` counts too. The newline a later writer puts after it reads as a
        // blank line.
        let whole = line.ends_with(b"\n")
            || raw.trim_ascii().starts_with(b"{")
                && serde_json::from_slice::<serde::de::IgnoredAny>(raw).is_ok();
        if !whole {
            break;
        }
        let line_start = batch.end;
        batch.end += read as u64;
        let content = raw.trim_ascii();
        if content.is_empty() {
            continue;
        }
        // Exactly the lines `report` and `export` read are shipped (a meter event of spec
        // section 1, no repeated key among the fields they read, at most the scanner's
        // bound with its newline); any other line is skipped and counted, never sent as if
        // it were one.
        let parsed = if line.len() > MAX_LINE
            || !crate::scan::parse_event(
                raw.strip_suffix(b"\n").unwrap_or(raw),
                &mut crate::scan::Event::default(),
            ) {
            None
        } else {
            match serde_json::from_slice::<Value>(content) {
                Ok(v) => Some(v),
                // An event `report` counts but that cannot be sent as JSON again (a number
                // past f64, a lone surrogate, nesting past 128): stop before it, with the
                // cursor kept, rather than pass over an event the endpoint never gets.
                Err(_) if !batch.events.is_empty() => {
                    batch.end = line_start;
                    break;
                }
                Err(e) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "the event at byte {line_start} cannot be sent as JSON ({e}): a number out of range, a lone surrogate or nesting too deep; fix or remove that line, and forward resumes there"
                        ),
                    ));
                }
            }
        };
        match parsed {
            Some(v) => {
                let id = v
                    .get("event_id")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map_or_else(
                        // A stable id for an event written without one.
                        || crate::export::fallback_event_id(content),
                        str::to_owned,
                    );
                batch.events.push((id, v));
            }
            None => batch.skipped += 1,
        }
    }
    Ok(batch)
}

/// The request body of a batch.
fn encode(format: ForwardFormat, events: &[(String, Value)]) -> (&'static str, Vec<u8>) {
    match format {
        ForwardFormat::Spec => {
            let list: Vec<Value> = events
                .iter()
                .map(|(id, v)| {
                    let mut v = v.clone();
                    // The id `read_batch` settled on (derived when absent or empty), as
                    // every format sends it.
                    if v.get("event_id").and_then(Value::as_str) != Some(id.as_str()) {
                        v["event_id"] = json!(id);
                    }
                    v
                })
                .collect();
            (
                "application/json",
                serde_json::to_vec(&list).unwrap_or_default(),
            )
        }
        ForwardFormat::Openmeter => {
            let list: Vec<Value> = events.iter().map(|(id, v)| cloud_event(id, v)).collect();
            (
                "application/cloudevents-batch+json",
                serde_json::to_vec(&list).unwrap_or_default(),
            )
        }
    }
}

/// A meter event as an OpenMeter CloudEvent (`id` is the event id, `subject` the agent).
pub fn cloud_event(id: &str, v: &Value) -> Value {
    let provider = v
        .get("provider_id")
        .and_then(Value::as_str)
        .unwrap_or("unknown");
    let mut data = serde_json::Map::new();
    for k in [
        "tool_id",
        "tool_name",
        "provider_id",
        "status",
        "duration_ms",
        "cost_microcents",
        "input_tokens",
        "output_tokens",
    ] {
        if let Some(x) = v.get(k) {
            data.insert(k.to_owned(), x.clone());
        }
    }
    json!({
        "specversion": "1.0",
        "id": id,
        "source": format!("mcpbill/{provider}"),
        "type": "mcp.tool_call",
        "subject": v.get("agent_id").cloned().unwrap_or(json!("anonymous")),
        "time": v.get("timestamp").cloned().unwrap_or(Value::Null),
        "datacontenttype": "application/json",
        "data": data,
    })
}

/// Run `mcpbill forward`.
pub fn run(args: &ForwardArgs, printer: &mut Printer) -> Result<ExitStatus> {
    if let Some(t) = &args.token {
        check_bearer_token(t)
            .map_err(|e| anyhow::anyhow!("--token (or MCPBILL_FORWARD_TOKEN) {e}"))?;
    }
    let to = parse_base(&args.to)?;
    if !args.follow {
        // One pass over a directory that does not exist is a mistyped path, not an empty
        // log; with --follow it is created and waited on (a forwarder may start first).
        // Only the platform's default may be missing: nothing was logged, nothing to ship,
        // and one pass does not start a log.
        let dir = crate::analytics::reading_log_dir(args.log_dir.as_deref())?;
        if !crate::analytics::read_log(&dir)? {
            return print_stats(printer, &Stats::default());
        }
    }
    if args.follow {
        // Created and waited on, but said: a mistyped --log-dir would otherwise wait for
        // events that never come, in silence.
        let dir = match args.log_dir.as_deref() {
            Some(d) => d.to_path_buf(),
            None => LogDir::default_path()?,
        };
        if crate::eventlog::look(&dir)?.is_none() {
            printer.warn(&format!(
                "log directory '{}' does not exist yet; it was created, and events written there will be shipped (check --log-dir if that is not where wrap logs)",
                dir.display()
            ));
        }
    }
    let log = LogDir::open(args.log_dir.as_deref())?;
    let client = HttpClient::new(ClientConfig::from_options(&args.http))?;
    let config = ForwardConfig {
        log_dir: log.path().to_path_buf(),
        to,
        format: args.format,
        batch: args.batch as usize,
        attempts: if args.follow {
            None
        } else {
            Some(args.attempts.max(1))
        },
        retry_delay: args.retry_delay,
        poll: args.poll.max(Duration::from_millis(10)),
        token: args.token.clone(),
        verbose_retries: printer.verbosity() >= crate::output::Verbosity::Normal,
    };
    warn_new_destination(printer, &config.log_dir, &config.to);
    let follow = args.follow;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let stats = rt.block_on(async move {
        // Installed first: a signal during start-up stops the command as asked.
        let shutdown = crate::serve::shutdown_signal();
        let mut fwd = Forwarder::new(config, client)?;
        if follow {
            fwd.follow(shutdown).await
        } else {
            tokio::select! {
                r = fwd.run_once() => r,
                () = shutdown => bail!("interrupted; acknowledged events are recorded in the cursor, run again to resume"),
            }
        }
    })?;
    print_stats(printer, &stats)
}

/// A destination with no cursor yet gets the whole log. When the log already goes to other
/// destinations, say so: the same endpoint spelled another way (`localhost` for
/// `127.0.0.1`, a trailing `/`) has its own cursor, and would get every event again.
fn warn_new_destination(printer: &mut Printer, log_dir: &Path, to: &Url) {
    let ours = format!("forward-{}.cursor.json", url_tag(to));
    if log_dir.join(&ours).exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(log_dir) else {
        return;
    };
    let mut others: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("forward-") && n.ends_with(".cursor.json") && *n != ours)
        .filter_map(|n| {
            let bytes =
                crate::input::read_file(&log_dir.join(n), crate::input::CONFIG_LIMIT).ok()?;
            Some(serde_json::from_slice::<Cursor>(&bytes).ok()?.to)
        })
        .collect();
    if others.is_empty() {
        return;
    }
    others.sort();
    printer.warn(&format!(
        "{} has no cursor yet, so every event of the log is sent to it; the log already goes to {}: if that is the same endpoint spelled another way, stop and use that spelling",
        shown_url(to),
        others.join(", ")
    ));
}

fn print_stats(printer: &mut Printer, stats: &Stats) -> Result<ExitStatus> {
    if printer.json() {
        printer.json_doc(stats)?;
    } else {
        use crate::output::counted;
        printer.line(&format!(
            "shipped {} in {} ({}, {} skipped)",
            counted(stats.events, "event", "events"),
            counted(stats.batches, "batch", "batches"),
            counted(stats.retries, "retry", "retries"),
            counted(stats.lines_skipped, "unreadable line", "unreadable lines"),
        ))?;
    }
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let b = Duration::from_millis(100);
        assert_eq!(backoff(b, 1), Duration::from_millis(100));
        assert_eq!(backoff(b, 3), Duration::from_millis(400));
        assert_eq!(backoff(b, 40), MAX_BACKOFF);
        // A server's Retry-After lengthens the wait, never shortens it, and is capped.
        let s = Duration::from_secs;
        assert_eq!(retry_delay(b, 1, None), b);
        assert_eq!(retry_delay(b, 1, Some(Duration::ZERO)), b);
        assert_eq!(retry_delay(b, 1, Some(s(2))), s(2));
        assert_eq!(retry_delay(b, 40, Some(s(2))), MAX_BACKOFF);
        assert_eq!(retry_delay(b, 1, Some(s(u64::MAX))), MAX_RETRY_AFTER);
    }

    #[test]
    fn batches_stop_at_torn_lines_and_skip_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("events-2026-11.jsonl");
        let event = |id: Option<&str>| {
            let mut e = json!({"tool_id": "t", "agent_id": "a", "provider_id": "p",
                "timestamp": "2026-11-20T10:00:00.000Z", "status": "success"});
            if let Some(id) = id {
                e["event_id"] = json!(id);
            }
            e.to_string()
        };
        std::fs::write(
            &p,
            format!(
                "{}\nnot json\n{{\"agent_id\":\"a\"}}\n{}\n{{\"event_id\":\"evt_",
                event(Some("evt_0123456789abcdef01234567")),
                event(None)
            ),
        )
        .unwrap();
        let b = read_batch(&p, 0, 10).unwrap();
        assert_eq!(b.events.len(), 2);
        // Garbage, and an object that is not a meter event.
        assert_eq!(b.skipped, 2);
        assert!(b.events[1].0.starts_with("evt_"));
        let b2 = read_batch(&p, 0, 1).unwrap();
        assert_eq!(b2.events.len(), 1);
        assert_eq!(read_batch(&p, b.end, 10).unwrap().end, b.end);
    }

    #[test]
    fn cloud_event_shape() {
        let e = cloud_event(
            "evt_1",
            &json!({"agent_id": "a", "provider_id": "p", "timestamp": "t", "status": "success"}),
        );
        assert_eq!(e["id"], "evt_1");
        assert_eq!(e["source"], "mcpbill/p");
        assert_eq!(e["data"]["status"], "success");
    }
}
