//! The relay: one loop per direction over raw lines. Every line is forwarded byte for
//! byte, except a `tools/call` request and its answer, which get the documented `_meta`
//! entries; calls are metered, limited, timed out and cancelled here.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write as _;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::value::RawValue;
use serde_json::{Map, Value, json};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use super::frame::{Frame, LineReader, Oversized};
use super::ledger::{Finished, Ledger, Settled, needs_month_usage, settle};
use super::message::{
    self, CANCELLED, CallParams, Kind, Parsed, TOOLS_CALL, error_response, frame_of, id_key,
    payload, splice_meta_raw,
};
use super::{Config, Rule, Rules, uuid_like};
use crate::meter::Status;
use crate::money::Microcents;
use crate::output::escape_terminal;
use crate::pricing::{MonthUsage, PricingModel};
use crate::receipt::{content_hash, output_hash};
use crate::time::Timestamp;

/// JSON-RPC error code: refused by the budget or the rate limit.
pub const CODE_REFUSED: i64 = -32000;
/// JSON-RPC error code: the server did not answer within `--timeout`.
pub const CODE_TIMEOUT: i64 = -32001;
/// JSON-RPC error code: the server exited before answering.
pub const CODE_SERVER_GONE: i64 = -32002;
/// JSON-RPC error code: a message longer than `--max-line-bytes`.
pub const CODE_TOO_LARGE: i64 = -32003;

/// Where diagnostics go (stderr in the binary; a buffer in tests).
pub type DiagSink = Box<dyn std::io::Write + Send>;

type ClientOut = Pin<Box<dyn AsyncWrite + Send>>;

/// The relay between one client and one server. Cheap to clone.
#[derive(Clone)]
pub struct Pump {
    inner: Arc<Inner>,
}

struct Inner {
    cfg: Config,
    state: Mutex<State>,
    ledger: Arc<Mutex<Ledger>>,
    /// Settled calls waiting for the flusher (see [`Pump::defer`]).
    backlog: Mutex<Deferred>,
    backlog_ready: tokio::sync::Notify,
    flusher: std::sync::atomic::AtomicBool,
    closed: std::sync::atomic::AtomicBool,
    client: tokio::sync::Mutex<Client>,
    diag: Arc<Mutex<DiagSink>>,
}

fn diag_line(diag: &Mutex<DiagSink>, msg: &str) {
    let mut d = diag.lock().expect("diag lock");
    let _ = writeln!(d, "mcpbill: {}", escape_terminal(msg));
    let _ = d.flush();
}

fn append_all(ledger: &Mutex<Ledger>, diag: &Mutex<DiagSink>, settled: &Deferred) {
    if settled.is_empty() {
        return;
    }
    let items: Vec<_> = settled
        .iter()
        .map(|s| (&s.event, s.receipt_json.as_deref()))
        .collect();
    let res = ledger
        .lock()
        .expect("ledger lock")
        .locked(|l| l.append_batch(&items));
    if let Err(e) = res {
        diag_line(diag, &format!("cannot write the event log: {e:#}"));
    }
}

struct Client {
    out: ClientOut,
    gone: bool,
}

struct Pending {
    seq: u64,
    jsonrpc_id: Value,
    tool: String,
    agent: String,
    request_id: String,
    started: Instant,
    timestamp: Timestamp,
    rule: Arc<Rule>,
    /// The call's arguments until [`Pump::prepare_input`] turned them into `params` and
    /// `input_hash` (after the request was forwarded, off the round trip's path).
    arguments: Option<Value>,
    params: Option<Value>,
    input_hash: Option<String>,
    reserved: u64,
}

#[derive(Default)]
struct State {
    client_name: Option<String>,
    pending: HashMap<String, Pending>,
    /// Calls that timed out or were cancelled: their late answers are dropped.
    dropped: HashSet<String>,
    dropped_order: VecDeque<String>,
    buckets: HashMap<String, Bucket>,
    rules: Rules,
    seq: u64,
    /// Calls accepted from the current client line whose inputs are still to be
    /// recorded and hashed (see [`Pump::prepare_accepted`]).
    accepted: Vec<(String, u64)>,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// What to do with a line.
enum Action {
    Forward,
    Replace(Vec<u8>),
    Drop,
}

/// A refusal the shim answers itself.
struct Refusal {
    reason: &'static str,
    message: String,
    data: Value,
}

/// Settled calls whose events are appended after their answers were forwarded.
type Deferred = Vec<Settled>;

const DROPPED_MEMORY: usize = 10_000;

/// How long answered calls may wait to be appended together.
pub const FLUSH_DELAY: Duration = Duration::from_millis(2);

impl Pump {
    /// A pump writing client-bound lines to `client_out` and diagnostics to `diag`.
    pub fn new(
        cfg: Config,
        ledger: Ledger,
        client_out: impl AsyncWrite + Send + 'static,
        diag: DiagSink,
    ) -> Self {
        let ledger = Arc::new(Mutex::new(ledger));
        let diag = Arc::new(Mutex::new(diag));
        Pump {
            inner: Arc::new(Inner {
                cfg,
                state: Mutex::new(State::default()),
                ledger,
                backlog: Mutex::new(Vec::new()),
                backlog_ready: tokio::sync::Notify::new(),
                flusher: std::sync::atomic::AtomicBool::new(false),
                closed: std::sync::atomic::AtomicBool::new(false),
                client: tokio::sync::Mutex::new(Client {
                    out: Box::pin(client_out),
                    gone: false,
                }),
                diag,
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.cfg
    }

    /// A diagnostic line on stderr, prefixed `mcpbill: `.
    pub fn diag(&self, msg: &str) {
        diag_line(&self.inner.diag, msg);
    }

    /// Calls waiting for an answer.
    pub fn pending_count(&self) -> usize {
        self.state().pending.len()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner.state.lock().expect("state lock")
    }

    /// Relay client lines to the server until the client's EOF (or the server's stdin
    /// closes), then close the server's stdin.
    pub async fn client_to_server<R, W>(self, client: R, server: W) -> std::io::Result<()>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        let mut server = server;
        let mut reader = LineReader::new(client, self.inner.cfg.max_line_bytes);
        let mut buf = Vec::new();
        loop {
            match reader.next(&mut buf).await? {
                Frame::Eof => break,
                Frame::Oversized(o) => self.client_oversized(o).await,
                Frame::Line => {
                    let action = self.on_client_line(&buf).await;
                    let bytes = match &action {
                        Action::Forward => &buf[..],
                        Action::Replace(b) => &b[..],
                        Action::Drop => continue,
                    };
                    let sent =
                        server.write_all(bytes).await.is_ok() && server.flush().await.is_ok();
                    // The server has the request: record and hash its inputs meanwhile.
                    self.prepare_accepted();
                    if !sent {
                        break;
                    }
                }
            }
        }
        let _ = server.shutdown().await;
        Ok(())
    }

    /// Relay server lines to the client until the server's stdout ends.
    pub async fn server_to_client<R>(self, server: R) -> std::io::Result<()>
    where
        R: AsyncRead + Unpin,
    {
        let mut reader = LineReader::new(server, self.inner.cfg.max_line_bytes);
        let mut buf = Vec::new();
        let mut settled: Deferred = Vec::new();
        loop {
            match reader.next(&mut buf).await? {
                Frame::Eof => break,
                Frame::Oversized(o) => self.server_oversized(o).await,
                Frame::Line => {
                    let action = self.on_server_line(&buf, &mut settled);
                    self.defer(&mut settled);
                    match &action {
                        Action::Forward => self.to_client(&buf).await,
                        Action::Replace(b) => self.to_client(b).await,
                        Action::Drop => {}
                    }
                }
            }
        }
        Ok(())
    }

    /// Hand settled calls (already answered) to the flusher, which appends everything
    /// that accumulated within [`FLUSH_DELAY`] in one locked write per file: the relay
    /// never waits for the disk on their account. The pump's [`Pump::finish`] writes what
    /// is left, so every event is on disk before the shim exits.
    fn defer(&self, settled: &mut Deferred) {
        use std::sync::atomic::Ordering;
        if settled.is_empty() {
            return;
        }
        if self.inner.closed.load(Ordering::Acquire) {
            append_all(&self.inner.ledger, &self.inner.diag, settled);
            settled.clear();
            return;
        }
        let was_empty = {
            let mut b = self.inner.backlog.lock().expect("backlog lock");
            let was_empty = b.is_empty();
            b.append(settled);
            was_empty
        };
        if !self.inner.flusher.swap(true, Ordering::AcqRel) {
            let pump = self.clone();
            tokio::spawn(async move { pump.flusher().await });
        }
        if was_empty {
            self.inner.backlog_ready.notify_one();
        }
    }

    async fn flusher(self) {
        use std::sync::atomic::Ordering;
        loop {
            self.inner.backlog_ready.notified().await;
            if self.inner.closed.load(Ordering::Acquire) {
                return;
            }
            tokio::time::sleep(FLUSH_DELAY).await;
            self.flush_backlog();
        }
    }

    fn flush_backlog(&self) {
        let batch = std::mem::take(&mut *self.inner.backlog.lock().expect("backlog lock"));
        append_all(&self.inner.ledger, &self.inner.diag, &batch);
    }

    async fn to_client(&self, bytes: &[u8]) {
        let mut c = self.inner.client.lock().await;
        if c.gone {
            return;
        }
        let res = async {
            c.out.write_all(bytes).await?;
            c.out.flush().await
        }
        .await;
        if res.is_err() {
            c.gone = true;
        }
    }

    /// The agent of the next call: the operator's, else the client's name, else `anonymous`.
    fn agent(&self, state: &State) -> String {
        self.inner
            .cfg
            .agent_id
            .clone()
            .or_else(|| state.client_name.clone())
            .unwrap_or_else(|| "anonymous".to_owned())
    }

    async fn on_client_line(&self, line: &[u8]) -> Action {
        let p = payload(line);
        match message::parse(p) {
            Parsed::Single(probe) => match probe.kind() {
                Kind::Request { method, id, params } if method == TOOLS_CALL => {
                    let Some(text) = std::str::from_utf8(p).ok() else {
                        return Action::Forward;
                    };
                    match self.on_call(id, params, Some(text)) {
                        CallAction::Forward => Action::Forward,
                        CallAction::Rewrite(new) => {
                            let (pre, post) = frame_of(line);
                            let mut out = Vec::with_capacity(pre.len() + new.len() + post.len());
                            out.extend_from_slice(pre);
                            out.extend_from_slice(new.as_bytes());
                            out.extend_from_slice(post);
                            Action::Replace(out)
                        }
                        CallAction::Refused(answer) => {
                            self.to_client(&answer).await;
                            Action::Drop
                        }
                    }
                }
                Kind::Request { method, params, .. }
                    if method == "initialize" || method == "server/discover" =>
                {
                    if let Some(name) = message::client_name(params) {
                        self.state().client_name = Some(name);
                    }
                    Action::Forward
                }
                Kind::Notification { method, params } if method == CANCELLED => {
                    self.on_cancel(params);
                    Action::Forward
                }
                _ => Action::Forward,
            },
            Parsed::Batch(items) => self.on_client_batch(line, &items).await,
            Parsed::Opaque => Action::Forward,
        }
    }

    async fn on_client_batch(&self, line: &[u8], items: &[&RawValue]) -> Action {
        let mut changed = false;
        let mut kept: Vec<Box<RawValue>> = Vec::with_capacity(items.len());
        let mut answers: Vec<Box<RawValue>> = Vec::new();
        for item in items {
            let Some(probe) = message::probe(item) else {
                kept.push((*item).to_owned());
                continue;
            };
            match probe.kind() {
                Kind::Request { method, id, params } if method == TOOLS_CALL => {
                    match self.on_call(id, params, Some(item.get())) {
                        CallAction::Forward => kept.push((*item).to_owned()),
                        CallAction::Rewrite(new) => {
                            changed = true;
                            kept.push(
                                RawValue::from_string(new).unwrap_or_else(|_| (*item).to_owned()),
                            );
                        }
                        CallAction::Refused(answer) => {
                            changed = true;
                            if let Ok(r) = serde_json::from_slice::<Box<RawValue>>(&answer) {
                                answers.push(r);
                            }
                        }
                    }
                }
                Kind::Request { method, params, .. }
                    if method == "initialize" || method == "server/discover" =>
                {
                    if let Some(name) = message::client_name(params) {
                        self.state().client_name = Some(name);
                    }
                    kept.push((*item).to_owned());
                }
                Kind::Notification { method, params } if method == CANCELLED => {
                    self.on_cancel(params);
                    kept.push((*item).to_owned());
                }
                _ => kept.push((*item).to_owned()),
            }
        }
        if !answers.is_empty() {
            let mut out = serde_json::to_vec(&answers).expect("raw values serialize");
            out.push(b'\n');
            self.to_client(&out).await;
        }
        if !changed {
            return Action::Forward;
        }
        if kept.is_empty() {
            return Action::Drop;
        }
        let (pre, post) = frame_of(line);
        let mut out = pre.to_vec();
        out.extend_from_slice(&serde_json::to_vec(&kept).expect("raw values serialize"));
        out.extend_from_slice(post);
        Action::Replace(out)
    }

    /// A `tools/call` request from the client.
    fn on_call(&self, id: &RawValue, params: Option<&RawValue>, text: Option<&str>) -> CallAction {
        let Some(key) = id_key(id) else {
            return CallAction::Forward;
        };
        let jsonrpc_id: Value = serde_json::from_str(id.get()).unwrap_or(Value::Null);
        let Some(call) = CallParams::read(params) else {
            return CallAction::Forward;
        };
        let cfg = &self.inner.cfg;
        let now = Instant::now();
        let timestamp = Timestamp::now();
        let request_id = call.client_request_id().unwrap_or_else(uuid_like);
        let mut call = call;
        let arguments = call
            .arguments
            .take()
            .unwrap_or_else(|| Value::Object(Map::new()));

        let mut st = self.state();
        let agent = self.agent(&st);
        let rule = st.rules.get(cfg, &call.name);

        // Enforcement, before anything reaches the server.
        let mut reserved = 0;
        let refusal = self.check_rate(&mut st, &agent, now).or_else(|| {
            match self.check_budget(&st, &agent, &rule) {
                Ok(r) => {
                    reserved = r;
                    None
                }
                Err(refusal) => Some(refusal),
            }
        });
        if let Some(refusal) = refusal {
            drop(st);
            let recorded = cfg.redactor.record(rule.record_params, &arguments);
            let mut metadata = self.base_metadata(&request_id, &jsonrpc_id, recorded);
            metadata.insert("refused".into(), refusal.reason.into());
            metadata.insert("error_code".into(), CODE_REFUSED.into());
            metadata.insert("error_message".into(), refusal.message.clone().into());
            let input_hash = cfg.key.as_ref().map(|_| content_hash(&arguments));
            self.record(
                Finished {
                    tool: call.name.clone(),
                    agent,
                    provider: cfg.provider_id.clone(),
                    timestamp,
                    duration_ms: Some(0),
                    status: Status::RateLimited,
                    usage: None,
                    metadata,
                    input_hash,
                    output_hash: None,
                },
                &rule,
                true,
            );
            return CallAction::Refused(error_response(
                &jsonrpc_id,
                CODE_REFUSED,
                &refusal.message,
                refusal.data,
            ));
        }

        st.seq += 1;
        let seq = st.seq;
        let pending = Pending {
            seq,
            jsonrpc_id: jsonrpc_id.clone(),
            tool: call.name.clone(),
            agent: agent.clone(),
            request_id: request_id.clone(),
            started: now,
            timestamp,
            rule,
            arguments: Some(arguments),
            params: None,
            input_hash: None,
            reserved,
        };
        st.accepted.push((key.clone(), seq));
        st.dropped.remove(&key);
        if let Some(old) = st.pending.insert(key.clone(), pending) {
            drop(st);
            self.diag(&format!(
                "the client reused the id {} of a call still pending; the earlier call ({}) is recorded as an error",
                old.jsonrpc_id, old.tool
            ));
            self.finish_unanswered(old, Status::Error, "the client reused this call's id", None);
        } else {
            drop(st);
        }

        if let Some(timeout) = cfg.timeout {
            let pump = self.clone();
            let key = key.clone();
            tokio::spawn(async move {
                tokio::time::sleep(timeout).await;
                pump.on_timeout(&key, seq, timeout).await;
            });
        }

        if !cfg.request_meta {
            return CallAction::Forward;
        }
        // JSON strings always serialize.
        let agent_json = serde_json::to_string(&agent).expect("a string serializes");
        let rid_json = serde_json::to_string(&request_id).expect("a string serializes");
        match text.and_then(|t| {
            splice_meta_raw(
                t,
                params,
                "params",
                &[
                    ("mcpbill/agent_id", &agent_json),
                    ("mcpbill/request_id", &rid_json),
                ],
            )
        }) {
            Some(new) => CallAction::Rewrite(new),
            None => CallAction::Forward,
        }
    }

    /// Record (redacted per the tool's rule) and hash a call's arguments, once.
    fn prepare_input(&self, p: &mut Pending) {
        if let Some(arguments) = p.arguments.take() {
            let cfg = &self.inner.cfg;
            p.params = cfg.redactor.record(p.rule.record_params, &arguments);
            p.input_hash = cfg.key.as_ref().map(|_| content_hash(&arguments));
        }
    }

    /// Prepare the inputs of the calls accepted from the last client line (those already
    /// answered, cancelled or timed out were prepared when they were recorded).
    fn prepare_accepted(&self) {
        let mut st = self.state();
        if st.accepted.is_empty() {
            return;
        }
        let accepted = std::mem::take(&mut st.accepted);
        for (key, seq) in &accepted {
            if let Some(p) = st.pending.get_mut(key)
                && p.seq == *seq
            {
                self.prepare_input(p);
            }
        }
        // Keep the allocation for the next line.
        st.accepted = accepted;
        st.accepted.clear();
    }

    fn base_metadata(
        &self,
        request_id: &str,
        jsonrpc_id: &Value,
        params: Option<Value>,
    ) -> Map<String, Value> {
        // Room for every key a call's metadata gets, so the map never regrows.
        let mut m = Map::with_capacity(14);
        m.insert(
            "session_id".into(),
            self.inner.cfg.session_id.clone().into(),
        );
        m.insert("request_id".into(), request_id.into());
        m.insert("jsonrpc_id".into(), jsonrpc_id.clone());
        if let Some(p) = params {
            m.insert("params".into(), p);
        }
        let cfg = &self.inner.cfg;
        let category = cfg
            .category
            .as_ref()
            .or_else(|| cfg.pricing.as_ref()?.category.as_ref());
        if let Some(c) = category {
            m.insert("category".into(), c.clone().into());
        }
        m
    }

    fn check_rate(&self, st: &mut State, agent: &str, now: Instant) -> Option<Refusal> {
        let limit = self.inner.cfg.rate_limit?;
        let per_sec = f64::from(limit.calls) / limit.period.as_secs_f64();
        let cap = f64::from(limit.calls);
        let b = st.buckets.entry(agent.to_owned()).or_insert(Bucket {
            tokens: cap,
            last: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * per_sec).min(cap);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            return None;
        }
        let wait = Duration::from_secs_f64((1.0 - b.tokens) / per_sec);
        let ms = wait.as_millis().max(1) as u64;
        Some(Refusal {
            reason: "rate_limit",
            message: format!(
                "mcpbill: rate limit of {} calls per {} exceeded for agent '{agent}'; retry in {:.3}s",
                limit.calls,
                humantime::format_duration(limit.period),
                ms as f64 / 1000.0
            ),
            data: json!({"reason": "rate_limit", "retry_after_ms": ms}),
        })
    }

    /// Budget check: this month's spend (all shims, from the log) plus this shim's calls
    /// in flight plus this call's price must fit. Returns the amount reserved.
    fn check_budget(&self, st: &State, agent: &str, rule: &Rule) -> Result<u64, Refusal> {
        let Some(budget) = self.inner.cfg.budget else {
            return Ok(0);
        };
        let price = &rule.price;
        let in_flight_same: u64 = st
            .pending
            .values()
            .filter(|p| p.agent == agent && p.tool == price.tool_id)
            .count() as u64;
        let reserved: u64 = st
            .pending
            .values()
            .filter(|p| p.agent == agent)
            .map(|p| p.reserved)
            .sum();
        let mut ledger = self.inner.ledger.lock().expect("ledger lock");
        let looked = ledger.locked(|l| Ok((l.spend(agent), l.usage(agent, &price.tool_id))));
        drop(ledger);
        let (spent, month) = match looked {
            Ok(v) => v,
            Err(e) => {
                self.diag(&format!(
                    "cannot read the event log for the budget check: {e:#}"
                ));
                (0, MonthUsage::default())
            }
        };
        // What this call may cost: None when it cannot be known before the answer.
        let estimate = match price.model {
            PricingModel::Free => Some(0),
            _ if price
                .free_tier
                .and_then(|t| t.calls_per_month)
                .is_some_and(|free| month.calls + in_flight_same < free) =>
            {
                Some(0)
            }
            PricingModel::PerCall => Some(price.per_call.0),
            PricingModel::PerToken => None,
        };
        let remaining = budget.0.saturating_sub(spent).saturating_sub(reserved);
        let refuse = match estimate {
            Some(0) => false,
            Some(cost) => cost > remaining,
            None => remaining == 0,
        };
        if !refuse {
            return Ok(estimate.unwrap_or(0));
        }
        let needs = estimate.map_or_else(String::new, |c| {
            format!(", this call costs {}", Microcents(c).dollars())
        });
        Err(Refusal {
            reason: "budget",
            message: format!(
                "mcpbill: the monthly budget of {} for agent '{agent}' is spent ({} left{needs})",
                budget.dollars(),
                Microcents(remaining).dollars()
            ),
            data: json!({"reason": "budget", "remaining_microcents": remaining, "budget_microcents": budget.0}),
        })
    }

    fn on_cancel(&self, params: Option<&RawValue>) {
        let Some(key) = message::cancelled_request(params) else {
            return;
        };
        let mut st = self.state();
        let Some(p) = st.pending.remove(&key) else {
            return;
        };
        remember_dropped(&mut st, key);
        drop(st);
        let mut extra = Map::new();
        extra.insert("cancelled".into(), true.into());
        self.finish_unanswered(p, Status::Error, "cancelled by the client", Some(extra));
    }

    async fn on_timeout(&self, key: &str, seq: u64, timeout: Duration) {
        let p = {
            let mut st = self.state();
            if st.pending.get(key).is_none_or(|p| p.seq != seq) {
                return;
            }
            let p = st.pending.remove(key).expect("checked above");
            remember_dropped(&mut st, key.to_owned());
            p
        };
        let msg = format!(
            "mcpbill: the server did not answer within {}",
            humantime::format_duration(timeout)
        );
        let answer = error_response(
            &p.jsonrpc_id,
            CODE_TIMEOUT,
            &msg,
            json!({"reason": "timeout"}),
        );
        self.finish_unanswered(p, Status::Timeout, &msg, None);
        self.to_client(&answer).await;
    }

    /// Record a call that got no answer from the server (cost 0).
    fn finish_unanswered(
        &self,
        mut p: Pending,
        status: Status,
        message: &str,
        extra: Option<Map<String, Value>>,
    ) {
        self.prepare_input(&mut p);
        let mut metadata = self.base_metadata(&p.request_id, &p.jsonrpc_id, p.params);
        metadata.insert("error_message".into(), message.into());
        if let Some(extra) = extra {
            metadata.extend(extra);
        }
        self.record(
            Finished {
                tool: p.tool,
                agent: p.agent,
                provider: self.inner.cfg.provider_id.clone(),
                timestamp: p.timestamp,
                duration_ms: Some(p.started.elapsed().as_millis() as u64),
                status,
                usage: None,
                metadata,
                input_hash: p.input_hash,
                output_hash: None,
            },
            &p.rule,
            true,
        );
    }

    /// Price, sign and append. With `now` false and a price that needs no shared state
    /// (and no budget to keep exact), appending waits until the answer was forwarded: the
    /// second value is then `false` and the caller appends with [`Pump::append`].
    fn record(&self, call: Finished, rule: &Rule, now: bool) -> Option<(Settled, bool)> {
        let cfg = &self.inner.cfg;
        let key = cfg.key.as_ref();
        let base = cfg.verify_url_base.as_deref();
        let status = call.status;
        if !(now || cfg.budget.is_some() || needs_month_usage(&rule.price, status)) {
            let s = settle(call, &rule.price, MonthUsage::default(), key, base);
            if let Some(w) = &s.warning {
                self.diag(w);
            }
            return Some((s, false));
        }
        let mut ledger = self.inner.ledger.lock().expect("ledger lock");
        let res = ledger.locked(|l| {
            let month = if needs_month_usage(&rule.price, status) {
                l.usage(&call.agent, &call.tool)
            } else {
                MonthUsage::default()
            };
            let s = settle(call, &rule.price, month, key, base);
            l.append_batch(&[(&s.event, s.receipt_json.as_deref())])?;
            Ok(s)
        });
        drop(ledger);
        match res {
            Ok(s) => {
                if let Some(w) = &s.warning {
                    self.diag(w);
                }
                Some((s, true))
            }
            Err(e) => {
                self.diag(&format!("cannot write the event log: {e:#}"));
                None
            }
        }
    }

    fn on_server_line(&self, line: &[u8], deferred: &mut Deferred) -> Action {
        let p = payload(line);
        match message::parse(p) {
            Parsed::Single(probe) => match probe.kind() {
                Kind::Response { id, result, error } => {
                    let Some(key) = id_key(id) else {
                        return Action::Forward;
                    };
                    let Ok(text) = std::str::from_utf8(p) else {
                        return Action::Forward;
                    };
                    match self.on_response(&key, text, result, error, deferred) {
                        ResponseAction::Forward => Action::Forward,
                        ResponseAction::Drop => Action::Drop,
                        ResponseAction::Rewrite(new) => {
                            let (pre, post) = frame_of(line);
                            let mut out = Vec::with_capacity(pre.len() + new.len() + post.len());
                            out.extend_from_slice(pre);
                            out.extend_from_slice(new.as_bytes());
                            out.extend_from_slice(post);
                            Action::Replace(out)
                        }
                    }
                }
                _ => Action::Forward,
            },
            Parsed::Batch(items) => {
                let mut changed = false;
                let mut kept: Vec<Box<RawValue>> = Vec::with_capacity(items.len());
                for item in &items {
                    let resp = message::probe(item).and_then(|probe| match probe.kind() {
                        Kind::Response { id, result, error } => Some((id_key(id)?, result, error)),
                        _ => None,
                    });
                    let Some((key, result, error)) = resp else {
                        kept.push((*item).to_owned());
                        continue;
                    };
                    match self.on_response(&key, item.get(), result, error, deferred) {
                        ResponseAction::Forward => kept.push((*item).to_owned()),
                        ResponseAction::Drop => changed = true,
                        ResponseAction::Rewrite(new) => {
                            changed = true;
                            kept.push(
                                RawValue::from_string(new).unwrap_or_else(|_| (*item).to_owned()),
                            );
                        }
                    }
                }
                if !changed {
                    return Action::Forward;
                }
                if kept.is_empty() {
                    return Action::Drop;
                }
                let (pre, post) = frame_of(line);
                let mut out = pre.to_vec();
                out.extend_from_slice(&serde_json::to_vec(&kept).expect("raw values serialize"));
                out.extend_from_slice(post);
                Action::Replace(out)
            }
            Parsed::Opaque => Action::Forward,
        }
    }

    fn on_response(
        &self,
        key: &str,
        text: &str,
        result: Option<&RawValue>,
        error: Option<&RawValue>,
        deferred: &mut Deferred,
    ) -> ResponseAction {
        let p = {
            let mut st = self.state();
            let Some(p) = st.pending.remove(key) else {
                if st.dropped.remove(key) {
                    drop(st);
                    self.diag(&format!(
                        "dropped a late answer to call {key} (it had timed out or was cancelled)"
                    ));
                    return ResponseAction::Drop;
                }
                return ResponseAction::Forward;
            };
            p
        };
        let mut p = p;
        self.prepare_input(&mut p);
        let cfg = &self.inner.cfg;
        let duration_ms = p.started.elapsed().as_millis() as u64;
        let mut metadata = self.base_metadata(&p.request_id, &p.jsonrpc_id, p.params);
        let mut status = Status::Success;
        let mut usage = None;
        let mut output = None;
        let mut result_value = None;
        if let Some(err) = error {
            status = Status::Error;
            let (code, message) = message::error_fields(err);
            if let Some(c) = code {
                metadata.insert("error_code".into(), c.into());
            }
            if let Some(m) = message {
                metadata.insert("error_message".into(), truncate_message(&m).into());
            }
        } else if let Some(res) = result {
            let v: Value = serde_json::from_str(res.get()).unwrap_or(Value::Null);
            if v.get("isError").and_then(Value::as_bool) == Some(true) {
                status = Status::Error;
                if p.rule.record_results != crate::pricing::RecordMode::None
                    && let Some(text) = first_text(&v)
                {
                    metadata.insert("error_message".into(), truncate_message(text).into());
                }
            }
            usage = message::reported_usage(&v);
            if let Some(rec) = cfg.redactor.record(p.rule.record_results, &v) {
                metadata.insert("result".into(), rec);
            }
            if cfg.key.is_some() {
                output = Some(output_hash(&v));
            }
            result_value = Some(v);
        }
        let settled = self.record(
            Finished {
                tool: p.tool,
                agent: p.agent,
                provider: cfg.provider_id.clone(),
                timestamp: p.timestamp,
                duration_ms: Some(duration_ms),
                status,
                usage,
                metadata,
                input_hash: p.input_hash,
                output_hash: output,
            },
            &p.rule,
            false,
        );
        let Some((settled, appended)) = settled else {
            return ResponseAction::Forward;
        };
        let rewrite = match (&settled.receipt_json, &result_value) {
            (Some(receipt), Some(Value::Object(_))) if cfg.receipt_meta => splice_meta_raw(
                text,
                result,
                "result",
                &[(crate::receipt::canonical::RECEIPT_META_KEY, receipt)],
            ),
            _ => None,
        };
        if !appended {
            deferred.push(settled);
        }
        rewrite.map_or(ResponseAction::Forward, ResponseAction::Rewrite)
    }

    async fn client_oversized(&self, o: Oversized) {
        let cap = self.inner.cfg.max_line_bytes;
        let what = o.method.as_deref().unwrap_or("a message");
        self.diag(&format!(
            "dropped {} from the client: its line of {} bytes exceeds --max-line-bytes {cap}",
            escape_terminal(what),
            o.len
        ));
        let Some(id) = o.id else {
            return;
        };
        let msg = format!(
            "mcpbill: the request of {} bytes exceeds the shim's limit of {cap} bytes (--max-line-bytes)",
            o.len
        );
        if o.method.as_deref() == Some(TOOLS_CALL) {
            let tool = o.tool.unwrap_or_else(|| "unknown".to_owned());
            let cfg = &self.inner.cfg;
            let (agent, rule) = {
                let mut st = self.state();
                let agent = self.agent(&st);
                (agent, st.rules.get(cfg, &tool))
            };
            let mut metadata = self.base_metadata(&uuid_like(), &id, None);
            metadata.insert("error_code".into(), CODE_TOO_LARGE.into());
            metadata.insert("error_message".into(), msg.clone().into());
            self.record(
                Finished {
                    tool,
                    agent,
                    provider: cfg.provider_id.clone(),
                    timestamp: Timestamp::now(),
                    duration_ms: Some(0),
                    status: Status::Error,
                    usage: None,
                    metadata,
                    input_hash: None,
                    output_hash: None,
                },
                &rule,
                true,
            );
        }
        if o.method.is_some() {
            let answer = error_response(
                &id,
                CODE_TOO_LARGE,
                &msg,
                json!({"reason": "too_large", "bytes": o.len}),
            );
            self.to_client(&answer).await;
        }
    }

    async fn server_oversized(&self, o: Oversized) {
        let cap = self.inner.cfg.max_line_bytes;
        self.diag(&format!(
            "dropped a line of {} bytes from the server: it exceeds --max-line-bytes {cap}",
            o.len
        ));
        let Some(id) = o.id else {
            return;
        };
        if o.method.is_some() {
            return;
        }
        let Ok(key) = serde_json::to_string(&id) else {
            return;
        };
        let p = self.state().pending.remove(&key);
        if let Some(p) = p {
            let msg = format!(
                "mcpbill: the server's answer of {} bytes exceeds the shim's limit of {cap} bytes (--max-line-bytes)",
                o.len
            );
            let mut extra = Map::new();
            extra.insert("error_code".into(), CODE_TOO_LARGE.into());
            let answer = error_response(
                &p.jsonrpc_id,
                CODE_TOO_LARGE,
                &msg,
                json!({"reason": "too_large", "bytes": o.len}),
            );
            self.finish_unanswered(p, Status::Error, &msg, Some(extra));
            self.to_client(&answer).await;
        }
    }

    /// The server is gone: every pending call is recorded as an error and answered.
    pub async fn fail_pending(&self, why: &str) {
        let pending: Vec<Pending> = {
            let mut st = self.state();
            let mut v: Vec<Pending> = st.pending.drain().map(|(_, p)| p).collect();
            v.sort_by_key(|p| p.seq);
            v
        };
        for p in pending {
            let msg = format!("mcpbill: {why}");
            let answer = error_response(
                &p.jsonrpc_id,
                CODE_SERVER_GONE,
                &msg,
                json!({"reason": "server_exited"}),
            );
            let mut extra = Map::new();
            extra.insert("error_code".into(), CODE_SERVER_GONE.into());
            self.finish_unanswered(p, Status::Error, &msg, Some(extra));
            self.to_client(&answer).await;
        }
    }

    /// Flush and close the client stream, and sync the log (before exit).
    pub async fn finish(&self) {
        self.inner
            .closed
            .store(true, std::sync::atomic::Ordering::Release);
        self.inner.backlog_ready.notify_one();
        self.flush_backlog();
        {
            let mut c = self.inner.client.lock().await;
            if !c.gone {
                let _ = c.out.flush().await;
                let _ = c.out.shutdown().await;
                c.gone = true;
            }
        }
        let res = self.inner.ledger.lock().expect("ledger lock").sync();
        if let Err(e) = res {
            self.diag(&format!("{e:#}"));
        }
    }
}

enum CallAction {
    Forward,
    Rewrite(String),
    Refused(Vec<u8>),
}

enum ResponseAction {
    Forward,
    Rewrite(String),
    Drop,
}

fn remember_dropped(st: &mut State, key: String) {
    if st.dropped.insert(key.clone()) {
        st.dropped_order.push_back(key);
    }
    while st.dropped_order.len() > DROPPED_MEMORY {
        if let Some(old) = st.dropped_order.pop_front() {
            st.dropped.remove(&old);
        }
    }
}

fn first_text(result: &Value) -> Option<&str> {
    result
        .get("content")?
        .as_array()?
        .iter()
        .find_map(|c| c.get("text")?.as_str())
}

fn truncate_message(m: &str) -> String {
    match m.char_indices().nth(512) {
        None => m.to_owned(),
        Some((cut, _)) => format!("{}...", &m[..cut]),
    }
}
