//! The relay: one blocking thread per direction over raw lines. Every line is forwarded
//! byte for byte, except a `tools/call` request and the answer that settles it (its own, or
//! for a call run as a task, the message with the task's result), which get the documented
//! `_meta` entries; calls are metered, limited, timed out and cancelled here.
//!
//! Each direction writes what it gathered from one read in one write, so calls pipelined
//! by a client cost one system call per burst, not per line. Events of answered calls are
//! appended by a flusher thread (see [`FLUSH_DELAY`]); with `--timeout`, a timer thread
//! answers calls whose server stays silent.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::{Read, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use super::enforce::{BudgetState, BudgetVerdict, RateBuckets, in_flight_worst, settling_worst};
use super::frame::{Frame, LineReader, Oversized};
use super::ledger::{
    Begun, Finished, Ledger, LogLine, Settled, Signer, needs_month_usage, price_call, settle,
};
use super::message::{
    self, CANCELLED, CallParams, Kind, Parsed, TOOLS_CALL, TaskState, error_response, frame_of,
    id_key, payload, splice_meta_known,
};
use super::record::{Answered, Common, Outcome, base_metadata};
use super::{Config, Rule, Rules, uuid_like};
use crate::ids::{self, IdKind};
use crate::meter::Status;
use crate::money::Microcents;
use crate::output::escape_terminal;
use crate::pricing::{MonthUsage, RecordMode, ToolPrice};
use crate::receipt::borrowed::Json;
use crate::receipt::{content_hash_json, output_hash_json};
use crate::time::Timestamp;

/// JSON-RPC error code: refused by the budget or the rate limit.
pub const CODE_REFUSED: i64 = -32000;
/// JSON-RPC error code: the server did not answer within `--timeout`.
pub const CODE_TIMEOUT: i64 = -32001;
/// JSON-RPC error code: the server exited before answering.
pub const CODE_SERVER_GONE: i64 = -32002;
/// JSON-RPC error code: a message longer than `--max-line-bytes`.
pub const CODE_TOO_LARGE: i64 = -32003;
/// JSON-RPC error code (the standard "Invalid Request"): a `tools/call` the shim cannot
/// meter (no usable id, no tool name, a repeated key), which is not forwarded.
pub const CODE_INVALID_REQUEST: i64 = -32600;

/// Where diagnostics go (stderr in the binary; a buffer in tests).
pub type DiagSink = Box<dyn Write + Send>;

/// Where client-bound lines go (the shim's stdout in the binary).
pub type ClientSink = Box<dyn Write + Send>;

/// How long answered calls may wait to be appended together.
pub const FLUSH_DELAY: Duration = Duration::from_millis(2);

/// Most answered calls waiting for the flusher; past this the relay appends them itself.
const MAX_BACKLOG: usize = 1024;

/// Gathered output is written once it reaches this size, even mid-burst.
const BATCH_BYTES: usize = 64 * 1024;

const DROPPED_MEMORY: usize = 10_000;

/// The relay between one client and one server. Cheap to clone.
#[derive(Clone)]
pub struct Pump {
    inner: Arc<Inner>,
}

struct Inner {
    cfg: Config,
    /// The receipt signer (with a key).
    signer: Option<Signer>,
    state: Mutex<State>,
    /// Wakes the timer thread (paired with `state`).
    timer_due: Condvar,
    ledger: Mutex<Ledger>,
    /// Answered calls waiting for the flusher (see [`Pump::defer`]).
    backlog: Mutex<Backlog>,
    backlog_ready: Condvar,
    client: Mutex<Client>,
    /// Writes to the client begun plus writes ended: odd while one is under way.
    client_progress: std::sync::atomic::AtomicU64,
    /// The shim is ending on a signal: a client write that would wait for the lock (held
    /// by a write blocked on a client that does not read) is given up instead.
    abandoned: std::sync::atomic::AtomicBool,
    diag: Mutex<DiagSink>,
}

struct Client {
    out: ClientSink,
    gone: bool,
}

#[derive(Default)]
struct Backlog {
    answered: Deferred,
    /// Their events, written by the relay when it deferred them.
    events: Events,
    closed: bool,
    flusher: Option<JoinHandle<()>>,
}

/// Event lines as JSON text, one after another (no line breaks), and where each ends.
#[derive(Default)]
struct Events {
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl Events {
    fn push(&mut self, common: &Common<'_>, answered: &Answered) {
        answered.write_event(common, &ids::new_id(IdKind::Event), &mut self.text);
        self.ends.push(self.text.len());
    }
}

/// What a call's request fixed. The rest of the work on it (recording and hashing the
/// arguments, writing the timestamp, beginning the receipt) is done once, off the
/// request's path: by the client side right after the request was forwarded, or by
/// whoever records the call first (the other then waits for that result).
struct Input {
    tool: String,
    agent: String,
    /// When the request was seen.
    at: DateTime<Utc>,
    /// The raw `arguments` (absent or `null`: `None`, recorded and hashed as `{}`).
    arguments: Option<Box<RawValue>>,
    rule: Arc<Rule>,
    /// The request asked for task-augmented execution (`params.task`).
    task_requested: bool,
    prepared: OnceLock<Prepared>,
}

#[derive(Clone)]
struct Prepared {
    params: Option<Value>,
    input_hash: Option<String>,
    timestamp: Timestamp,
    /// With a key: the receipt, begun.
    receipt: Option<Result<Begun, String>>,
}

struct Pending {
    seq: u64,
    /// The id as the client wrote it: the shim's own answers repeat it exactly.
    raw_id: Box<RawValue>,
    /// The id as the event records it.
    jsonrpc_id: Value,
    request_id: String,
    /// When the call's first request was seen (an earlier round's, see [`State::rounds`]).
    started: Instant,
    /// Which round of the call this request is: 1, then one more for each time the server
    /// answered `input_required` and the client sent the request again.
    round: u32,
    input: Arc<Input>,
}

/// A call whose answer created a task: it is settled by the task's outcome, which comes
/// later (a `tasks/result` answer, or a task state carrying the result or the error).
struct TaskCall {
    call: Pending,
    /// When a terminal status was first seen (the call's duration ends there), and
    /// whether it was `failed`.
    ended: Option<(Instant, bool)>,
    /// An error a `tasks/result` got that may be about the request rather than the task
    /// (its code and message): recorded if nothing settles the call later.
    error: Option<(Option<i64>, Option<String>)>,
    /// When the server may forget the task (its ttl): the budget stops counting it then.
    expires: Option<Instant>,
}

/// A client request about a task the shim follows, by its id key: the task and the method.
struct TaskRequest {
    /// When it was followed (see [`State::task_request_order`]).
    seq: u64,
    /// The id as the client wrote it: the shim's own answers repeat it exactly.
    raw_id: Box<RawValue>,
    task_id: String,
    method: TaskMethod,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TaskMethod {
    Get,
    Result,
    Cancel,
}

#[derive(Default)]
struct State {
    client_name: Option<String>,
    pending: HashMap<String, Pending, IdHash>,
    /// Calls answered with a task, by task id, until the task's outcome is seen.
    tasks: HashMap<String, TaskCall>,
    /// The client's `tasks/*` requests about those tasks, by id key, until answered.
    task_requests: Aging<String, TaskRequest, IdHash>,
    /// Sequence numbers of the client requests followed (`task_requests` and `requests`).
    request_seq: u64,
    /// The client's other requests (not calls, not about tasks), by id key, until answered:
    /// a call reusing one's id would be settled by that request's answer.
    requests: Aging<String, Asked, IdHash>,
    /// Calls the server answered with `input_required` (protocol 2026-07-28), by the
    /// `requestState` the client sends back with the call's next round.
    rounds: Aging<StateKey, Pending>,
    /// Reservations of answered calls whose cost is not yet in the ledger, by agent: still
    /// counted by the budget check, so no call slips in between.
    settling: HashMap<String, u64>,
    /// With `--timeout`: pending calls by sequence number, which is deadline order.
    deadlines: BTreeMap<u64, (Instant, String)>,
    /// Calls that timed out or were cancelled: their late answers are dropped.
    dropped: HashSet<String, IdHash>,
    dropped_order: VecDeque<String>,
    buckets: RateBuckets,
    rules: Rules,
    seq: u64,
    /// Inputs of calls accepted from the current burst, prepared once it was forwarded.
    accepted: Vec<Arc<Input>>,
    /// The server is gone: new calls are answered by the shim.
    server_gone: bool,
    /// [`Pump::finish`] ran: the timer thread stops.
    closed: bool,
    timer: Option<JoinHandle<()>>,
}

impl Backlog {
    /// The answered calls waiting, with their events.
    fn take(&mut self) -> (Deferred, Events) {
        (
            std::mem::take(&mut self.answered),
            std::mem::take(&mut self.events),
        )
    }
}

impl State {
    fn take_pending(&mut self, key: &str) -> Option<Pending> {
        let p = self.pending.remove(key)?;
        self.deadlines.remove(&p.seq);
        Some(p)
    }

    /// A task's call, which its outcome now settles, and when it ended.
    fn take_task(&mut self, task_id: &str) -> Option<TaskCall> {
        // The client's requests about it keep their ids until their answers come.
        self.tasks.remove(task_id)
    }

    /// Whether a request with one of these id keys would reuse the id of a call or a task
    /// request still pending.
    fn reuses_pending_id<'k>(&self, mut keys: impl Iterator<Item = &'k String>) -> bool {
        keys.any(|k| self.pending.contains_key(k) || self.task_requests.map.contains_key(k))
    }

    /// Calls not yet answered by the server, or answered with a task still running.
    /// A task past its ttl no longer counts: its result can no longer be fetched.
    fn in_flight(&self) -> impl Iterator<Item = &Pending> {
        let now = Instant::now();
        let live = move |t: &&TaskCall| t.expires.is_none_or(|e| e > now);
        self.pending
            .values()
            .chain(self.tasks.values().filter(live).map(|t| &t.call))
    }
}

/// Hashing of JSON-RPC id keys: short strings chosen by the one client the shim serves,
/// for which FNV-1a is several times cheaper than the default SipHash (whose resistance
/// to chosen collisions would only protect that client from itself).
#[derive(Default, Clone, Copy)]
struct IdHash;

struct Fnv(u64);

impl std::hash::BuildHasher for IdHash {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// What to do with a line.
enum Action {
    Forward,
    Replace(Vec<u8>),
    Drop,
}

impl Action {
    /// What goes out for `line`.
    fn output<'a>(&'a self, line: &'a [u8]) -> Option<&'a [u8]> {
        match self {
            Action::Forward => Some(line),
            Action::Replace(b) => Some(b),
            Action::Drop => None,
        }
    }
}

/// A call the shim answers itself instead of forwarding it.
struct Refusal {
    status: Status,
    /// `metadata.refused` (budget or rate limit).
    reason: Option<&'static str>,
    code: i64,
    message: String,
    data: Value,
}

/// Answered calls whose events are built and appended after the answers were forwarded.
type Deferred = Vec<Box<Answered>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not stop the relay or lose events: keep using the data.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn diag_line(diag: &Mutex<DiagSink>, msg: &str) {
    let mut d = lock(diag);
    let _ = writeln!(d, "mcpbill: {}", escape_terminal(msg));
    let _ = d.flush();
}

/// Output gathered from one burst of input lines, written in one go.
struct Batch {
    bytes: Vec<u8>,
}

impl Batch {
    fn new() -> Self {
        Batch {
            bytes: Vec::with_capacity(BATCH_BYTES),
        }
    }

    /// Whether to write now: the next read may block, or enough has gathered.
    fn due<R: Read>(&self, reader: &LineReader<R>) -> bool {
        !self.bytes.is_empty() && (self.bytes.len() >= BATCH_BYTES || !reader.line_ready())
    }

    fn clear(&mut self) {
        self.bytes.clear();
        if self.bytes.capacity() > 16 * BATCH_BYTES {
            self.bytes = Vec::with_capacity(BATCH_BYTES);
        }
    }
}

/// What one direction of the relay does with its lines (see [`Pump::relay`]).
trait Side {
    /// What to do with a line.
    fn line(&mut self, line: &[u8]) -> Action;
    /// A line over the cap was dropped; anything to send instead goes into `out`.
    fn oversized(&mut self, o: Oversized, out: &mut Vec<u8>);
    /// Write gathered output to the other end: the output of the next `lines` lines read
    /// (oversized ones included); `false` when that end is gone.
    fn write(&mut self, bytes: &[u8], lines: usize) -> bool;
    /// Nothing more is buffered: do what waited for a pause.
    fn idle(&mut self);
}

/// Client to server: calls are metered and forwarded; the inputs of accepted calls are
/// prepared in the pauses, while the server works on them.
struct ClientSide<'a, W> {
    pump: &'a Pump,
    server: W,
}

impl<W: Write> Side for ClientSide<'_, W> {
    fn line(&mut self, line: &[u8]) -> Action {
        self.pump.on_client_line(line)
    }

    fn oversized(&mut self, o: Oversized, _out: &mut Vec<u8>) {
        self.pump.client_oversized(o);
    }

    fn write(&mut self, bytes: &[u8], _lines: usize) -> bool {
        self.server
            .write_all(bytes)
            .and_then(|()| self.server.flush())
            .is_ok()
    }

    fn idle(&mut self) {
        self.pump.prepare_accepted();
    }
}

/// Server to client: answers get their receipts; answered calls are handed to the
/// flusher in the pauses.
struct ServerSide<'a> {
    pump: &'a Pump,
    settled: Deferred,
    /// How many calls were settled when each line of the burst had been read.
    marks: Vec<usize>,
    /// Lines of the burst whose output was written.
    written: usize,
    /// Settled calls whose answers were written.
    sent: usize,
}

impl Side for ServerSide<'_> {
    fn line(&mut self, line: &[u8]) -> Action {
        let action = self.pump.on_server_line(line, &mut self.settled);
        self.marks.push(self.settled.len());
        action
    }

    fn oversized(&mut self, o: Oversized, out: &mut Vec<u8>) {
        self.pump.server_oversized(o, out);
        self.marks.push(self.settled.len());
    }

    fn write(&mut self, bytes: &[u8], lines: usize) -> bool {
        // The calls settled by the time the last of these lines was read.
        let upto = if lines == 0 {
            self.sent
        } else {
            let last = self.written + lines - 1;
            self.marks
                .get(last)
                .or(self.marks.last())
                .copied()
                .unwrap_or(self.sent)
        };
        self.written += lines;
        // A client that went away is noted by `to_client`; the server is still drained,
        // and the calls whose answers could not be delivered say so in their events.
        if !self.pump.to_client(bytes) {
            for a in self.settled.iter_mut().take(upto).skip(self.sent) {
                a.outcome.undelivered = true;
            }
        }
        self.sent = self.sent.max(upto);
        true
    }

    fn idle(&mut self) {
        self.pump.defer(&mut self.settled);
        self.marks.clear();
        self.written = 0;
        self.sent = 0;
    }
}

impl Pump {
    /// A pump writing client-bound lines to `client_out` and diagnostics to `diag`.
    pub fn new(
        cfg: Config,
        ledger: Ledger,
        client_out: impl Write + Send + 'static,
        diag: DiagSink,
    ) -> Self {
        Pump {
            inner: Arc::new(Inner {
                signer: cfg.key.as_ref().map(Signer::new),
                cfg,
                state: Mutex::new(State::default()),
                timer_due: Condvar::new(),
                ledger: Mutex::new(ledger),
                backlog: Mutex::new(Backlog::default()),
                backlog_ready: Condvar::new(),
                client: Mutex::new(Client {
                    out: Box::new(client_out),
                    gone: false,
                }),
                client_progress: std::sync::atomic::AtomicU64::new(0),
                abandoned: std::sync::atomic::AtomicBool::new(false),
                diag: Mutex::new(diag),
            }),
        }
    }

    /// A diagnostic line on stderr, prefixed `mcpbill: `.
    pub fn diag(&self, msg: &str) {
        diag_line(&self.inner.diag, msg);
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.inner.state)
    }

    /// Relay client lines to the server until the client's EOF (or the server's stdin
    /// closes), then close the server's stdin (by dropping `server`). Blocks: run it on
    /// a thread of its own.
    pub fn client_to_server<R: Read, W: Write>(self, client: R, server: W) -> std::io::Result<()> {
        let side = ClientSide {
            pump: &self,
            server,
        };
        self.relay(client, side)
    }

    /// Relay server lines to the client until the server's stdout ends. Blocks: run it
    /// on a thread of its own.
    pub fn server_to_client<R: Read>(self, server: R) -> std::io::Result<()> {
        let side = ServerSide {
            pump: &self,
            settled: Vec::new(),
            marks: Vec::new(),
            written: 0,
            sent: 0,
        };
        self.relay(server, side)
    }

    /// The loop both directions share: read lines, let `side` act on each, and write what
    /// one read brought in one write; `side.idle` runs whenever nothing more is buffered,
    /// and once at the end.
    fn relay<R: Read>(&self, input: R, mut side: impl Side) -> std::io::Result<()> {
        let mut reader = LineReader::new(input, self.inner.cfg.max_line_bytes);
        let mut buf = Vec::new();
        let mut batch = Batch::new();
        // Lines read whose output is in `batch` (or was dropped) and not yet written.
        let mut lines = 0;
        let result = loop {
            let frame = match reader.next(&mut buf) {
                Ok(f) => f,
                Err(e) => break Err(e),
            };
            match frame {
                Frame::Eof => break Ok(()),
                Frame::Oversized(o) => {
                    side.oversized(o, &mut batch.bytes);
                    lines += 1;
                }
                Frame::Line => {
                    let action = side.line(&buf);
                    match action.output(&buf) {
                        // A long line goes out as it is, after what gathered before it,
                        // instead of being copied into the batch.
                        Some(line) if line.len() >= BATCH_BYTES => {
                            let sent = (batch.bytes.is_empty() || side.write(&batch.bytes, lines))
                                && side.write(line, 1);
                            batch.clear();
                            lines = 0;
                            if !sent {
                                break Ok(());
                            }
                        }
                        Some(line) => {
                            batch.bytes.extend_from_slice(line);
                            lines += 1;
                        }
                        None => lines += 1,
                    }
                }
            }
            if batch.due(&reader) {
                let sent = side.write(&batch.bytes, lines);
                batch.clear();
                lines = 0;
                if !sent {
                    break Ok(());
                }
            }
            if !reader.line_ready() {
                // Whatever output there was is written (see `Batch::due`): the lines
                // left uncounted gave none.
                side.idle();
                lines = 0;
            }
        };
        if !batch.bytes.is_empty() {
            side.write(&batch.bytes, lines);
        }
        side.idle();
        result
    }

    /// Write the events of settled calls (already answered) and hand them to the flusher
    /// thread, which appends everything that accumulated within [`FLUSH_DELAY`] in one
    /// locked write per file: the relay never waits for the disk on their account. [`Pump::finish`] writes what
    /// is left, so every event is on disk before the shim exits.
    fn defer(&self, settled: &mut Deferred) {
        if settled.is_empty() {
            return;
        }
        let common = self.common();
        let mut b = lock(&self.inner.backlog);
        if b.closed {
            drop(b);
            self.append_all(settled);
            settled.clear();
            return;
        }
        let was_empty = b.answered.is_empty();
        // Written here, between bursts, so the flusher's turns are short: it only appends.
        for a in settled.iter() {
            b.events.push(&common, a);
        }
        b.answered.append(settled);
        if b.answered.len() >= MAX_BACKLOG {
            // The flusher is falling behind: this thread writes the backlog itself, which
            // slows the relay down to the pace of the disk instead of letting memory grow.
            let (batch, events) = b.take();
            drop(b);
            self.append_written(&batch, &events);
            return;
        }
        if b.flusher.is_none() {
            let pump = self.clone();
            let spawned = std::thread::Builder::new()
                .name("mcpbill-flush".into())
                .spawn(move || pump.flusher());
            if let Ok(h) = spawned {
                b.flusher = Some(h);
            } else {
                // No thread to spare: append right here instead.
                let (batch, events) = b.take();
                drop(b);
                self.append_written(&batch, &events);
                return;
            }
        }
        drop(b);
        if was_empty {
            self.inner.backlog_ready.notify_one();
        }
    }

    fn flusher(self) {
        let mut b = lock(&self.inner.backlog);
        loop {
            while b.answered.is_empty() && !b.closed {
                b = self
                    .inner
                    .backlog_ready
                    .wait(b)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            if b.closed {
                return;
            }
            drop(b);
            std::thread::sleep(FLUSH_DELAY);
            self.flush_backlog();
            b = lock(&self.inner.backlog);
        }
    }

    fn flush_backlog(&self) {
        let (batch, events) = lock(&self.inner.backlog).take();
        self.append_written(&batch, &events);
    }

    /// Write the events of answered calls (and their receipts) in one locked append.
    fn append_all(&self, answered: &[Box<Answered>]) {
        let common = self.common();
        let mut events = Events::default();
        for a in answered {
            events.push(&common, a);
        }
        self.append_written(answered, &events);
    }

    /// [`Pump::append_all`] with the events already written.
    fn append_written(&self, answered: &[Box<Answered>], events: &Events) {
        if answered.is_empty() {
            return;
        }
        let text = &events.text;
        let mut start = 0;
        let lines: Vec<LogLine<'_>> = answered
            .iter()
            .zip(&events.ends)
            .map(|(a, &end)| {
                let c = &a.call;
                let line = LogLine {
                    month: c.timestamp.month(),
                    provider: &c.provider,
                    agent: &c.agent,
                    tool: &c.tool,
                    status: c.status,
                    cost: a.priced.cost,
                    tokens: c
                        .usage
                        .map_or(0, |u| u.input_tokens.saturating_add(u.output_tokens)),
                    event: &text[start..end],
                    receipt: a.signed.as_ref().map(|(_, json)| json.as_str()),
                };
                start = end;
                line
            })
            .collect();
        self.with_ledger(|l| l.counted(|l| l.append_lines(&lines)));
    }

    /// Run `f` on the ledger, then say on stderr what the ledger has to say (write
    /// failures and recoveries, removed files, lines given up). Every use goes through
    /// here, so no notice waits for a later call.
    fn with_ledger<R>(&self, f: impl FnOnce(&mut Ledger) -> R) -> R {
        let (r, notice) = {
            let mut l = lock(&self.inner.ledger);
            let r = f(&mut l);
            (r, l.take_notice())
        };
        for n in notice {
            self.diag(&n);
        }
        r
    }

    /// Writes to the client begun plus writes ended: it moves while the client reads what
    /// it is sent, and is odd while a write is under way (the client reading slowly).
    pub fn client_progress(&self) -> u64 {
        self.inner
            .client_progress
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The client's stream, unless the shim is ending on a signal and a blocked write
    /// holds it.
    fn client(&self) -> Option<MutexGuard<'_, Client>> {
        if !self
            .inner
            .abandoned
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            return Some(lock(&self.inner.client));
        }
        match self.inner.client.try_lock() {
            Ok(c) => Some(c),
            Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// The shim is ending on a signal: from now on nothing waits for a client write that
    /// is blocked (the client is not reading); what cannot be written is not delivered.
    pub fn abandon_client(&self) {
        self.inner
            .abandoned
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Write to the client; `false` when it cannot be (now or since an earlier failure,
    /// said once on stderr).
    fn to_client(&self, bytes: &[u8]) -> bool {
        let Some(mut c) = self.client() else {
            return false;
        };
        if c.gone {
            return false;
        }
        let progress = &self.inner.client_progress;
        progress.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let written = c.out.write_all(bytes).and_then(|()| c.out.flush());
        progress.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Err(e) = written else {
            return true;
        };
        c.gone = true;
        drop(c);
        self.diag(&format!(
            "cannot write to the client (stdout): {e}; the answers from now on are dropped, and their events say undelivered"
        ));
        false
    }

    /// The agent of a call: the operator's, else the client's name (the one the call's own
    /// `_meta` carries, then the one from the handshake), else `anonymous`.
    fn agent(&self, state: &State, call_client: impl FnOnce() -> Option<String>) -> String {
        self.inner
            .cfg
            .agent_id
            .clone()
            .or_else(call_client)
            .or_else(|| state.client_name.clone())
            .unwrap_or_else(|| "anonymous".to_owned())
    }

    fn on_client_line(&self, line: &[u8]) -> Action {
        let p = payload(line);
        match message::parse(p) {
            Parsed::Single(probe, text) => match probe.kind() {
                Kind::Request { method, id, params } if method == TOOLS_CALL => {
                    match self.on_call(id, params, Some(text)) {
                        CallAction::Forward => Action::Forward,
                        CallAction::Rewrite(new) => Action::Replace(reframe(line, new)),
                        CallAction::Refused(answer) => {
                            self.to_client(&answer);
                            Action::Drop
                        }
                    }
                }
                Kind::Request { method, id, params } => {
                    match self.on_request(&method, id, params) {
                        Some(answer) => {
                            self.to_client(&answer);
                            Action::Drop
                        }
                        None => Action::Forward,
                    }
                }
                Kind::Notification { method, params } if method == CANCELLED => {
                    self.on_cancel(params);
                    Action::Forward
                }
                Kind::Notification { method, .. }
                    if method == TOOLS_CALL || message::is_task_request(&method) =>
                {
                    let r = message::readings(text).unwrap_or_default();
                    if let Some(answer) = self.uncallable(&r, "its id is null") {
                        self.to_client(&answer);
                    }
                    Action::Drop
                }
                Kind::Other if self.unreadable_reuses_id(text) => {
                    self.to_client(&self.reused_id());
                    Action::Drop
                }
                _ => Action::Forward,
            },
            Parsed::Batch(items) => self.on_client_batch(line, &items),
            Parsed::Opaque => {
                // JSON the probe refused (a repeated key; bytes that are not UTF-8, which
                // some servers read with replacement characters) that some reader takes for
                // a tools/call.
                let text = String::from_utf8_lossy(p);
                let calls = |t: &str| message::readings(t).filter(|r| r.calls_tool || r.asks_task);
                let batch_calls = || {
                    serde_json::from_str::<Vec<&RawValue>>(&text)
                        .is_ok_and(|items| items.iter().any(|i| calls(i.get()).is_some()))
                };
                if let Some(r) = calls(&text) {
                    if let Some(answer) =
                        self.uncallable(&r, "it repeats a key, or is not valid UTF-8")
                    {
                        self.to_client(&answer);
                    }
                    Action::Drop
                } else if batch_calls() {
                    // One error for the whole line: its ids cannot be trusted either.
                    self.to_client(&self.unmeterable(&Value::Null, "the batch is not valid UTF-8"));
                    Action::Drop
                } else if self.unreadable_reuses_id(&text) {
                    self.to_client(&self.reused_id());
                    Action::Drop
                } else {
                    Action::Forward
                }
            }
        }
    }

    /// A message some reader takes for a `tools/call` that has no usable id, repeats a
    /// key or is not UTF-8: not forwarded. The answer carries the id when there is one
    /// usable id, else `null`; a notification (no id at all) gets none.
    fn uncallable(&self, r: &message::Readings, why: &str) -> Option<Vec<u8>> {
        let what = if r.calls_tool {
            TOOLS_CALL
        } else {
            "task request"
        };
        match r.raw_ids.as_slice() {
            [] => {
                self.refuse(&Value::Null, what, "it has no id, so it cannot be answered");
                None
            }
            [id] if id_key(id).is_some() => Some(self.refuse(&**id, what, why)),
            _ => Some(self.refuse(&Value::Null, what, why)),
        }
    }

    /// The answer to a request reusing the id of a call or a task request still pending
    /// (whose answer it would take): refused, with id `null`, since the id is the other's.
    fn reused_id(&self) -> Vec<u8> {
        self.refuse(
            &Value::Null,
            "request",
            "its id is that of a call still pending (JSON-RPC ids must be unique)",
        )
    }

    /// A client message the probe cannot read (or that has an id but no method): refused
    /// when it is not an answer and some reader takes its id for a pending one.
    fn unreadable_reuses_id(&self, text: &str) -> bool {
        let Some(r) = message::readings(text) else {
            return false;
        };
        (r.has_method || !r.answers) && self.state().reuses_pending_id(r.id_keys.iter())
    }

    /// A client request other than a `tools/call`: the client's name from the handshake,
    /// and requests about tasks are followed. Refused (the answer returned) when its id is
    /// that of a call or a task request still pending, since its answer would settle that,
    /// or when it asks about a task and cannot be matched to its answer.
    fn on_request(
        &self,
        method: &str,
        id: &RawValue,
        params: Option<&RawValue>,
    ) -> Option<Vec<u8>> {
        if let Some(key) = id_key(id)
            && self.state().reuses_pending_id(std::iter::once(&key))
        {
            return Some(self.reused_id());
        }
        if message::is_task_request(method) {
            return self.on_task_request(method, id, params);
        }
        let mut st = self.state();
        if (method == "initialize" || method == "server/discover")
            && let Some(name) = message::client_name(params)
        {
            st.client_name = Some(name);
        }
        if let Some(key) = id_key(id) {
            follow_request(&mut st, key);
        }
        None
    }

    fn on_client_batch(&self, line: &[u8], items: &[&RawValue]) -> Action {
        let mut changed = false;
        let mut kept: Vec<Box<RawValue>> = Vec::with_capacity(items.len());
        let mut answers: Vec<Box<RawValue>> = Vec::new();
        for item in items {
            let Some(probe) = message::probe(item) else {
                if let Some(r) =
                    message::readings(item.get()).filter(|r| r.calls_tool || r.asks_task)
                {
                    changed = true;
                    if let Some(answer) = self.uncallable(&r, "it repeats a key") {
                        answers.extend(serde_json::from_slice::<Box<RawValue>>(&answer));
                    }
                } else if self.unreadable_reuses_id(item.get()) {
                    changed = true;
                    answers.extend(serde_json::from_slice::<Box<RawValue>>(&self.reused_id()));
                } else {
                    kept.push((*item).to_owned());
                }
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
                Kind::Request { method, id, params } => {
                    match self.on_request(&method, id, params) {
                        Some(answer) => {
                            changed = true;
                            answers.extend(serde_json::from_slice::<Box<RawValue>>(&answer));
                        }
                        None => kept.push((*item).to_owned()),
                    }
                }
                Kind::Notification { method, params } if method == CANCELLED => {
                    self.on_cancel(params);
                    kept.push((*item).to_owned());
                }
                Kind::Notification { method, .. }
                    if method == TOOLS_CALL || message::is_task_request(&method) =>
                {
                    changed = true;
                    let r = message::readings(item.get()).unwrap_or_default();
                    if let Some(answer) = self.uncallable(&r, "its id is null") {
                        answers.extend(serde_json::from_slice::<Box<RawValue>>(&answer));
                    }
                }
                Kind::Other if self.unreadable_reuses_id(item.get()) => {
                    changed = true;
                    answers.extend(serde_json::from_slice::<Box<RawValue>>(&self.reused_id()));
                }
                _ => kept.push((*item).to_owned()),
            }
        }
        if !answers.is_empty() {
            let mut out = serde_json::to_vec(&answers).expect("raw values serialize");
            out.push(b'\n');
            self.to_client(&out);
        }
        rebuilt_batch(line, changed, &kept)
    }

    /// Refuse a `tools/call` the shim cannot meter: answered with an error (-32600), not
    /// forwarded, said on stderr. No event: no tool was called.
    fn unmeterable<I: serde::Serialize + ?Sized>(&self, id: &I, why: &str) -> Vec<u8> {
        self.refuse(id, TOOLS_CALL, why)
    }

    /// Refuse a request (`what`: a `tools/call`, a task request, any request) whose
    /// answer could not be metered: answered with an error (-32600), not forwarded, said
    /// on stderr.
    fn refuse<I: serde::Serialize + ?Sized>(&self, id: &I, what: &str, why: &str) -> Vec<u8> {
        self.diag(&format!(
            "refused a {what} it cannot meter ({why}); it was not forwarded"
        ));
        error_response(
            id,
            CODE_INVALID_REQUEST,
            &format!("mcpbill: this {what} cannot be metered: {why}; it was not forwarded"),
            json!({"reason": "unmeterable"}),
        )
    }

    /// A `tools/call` request from the client.
    fn on_call(&self, id: &RawValue, params: Option<&RawValue>, text: Option<&str>) -> CallAction {
        // A call that cannot be metered is not forwarded: the server would run it unbilled.
        let Some(key) = id_key(id) else {
            // JSON-RPC answers a request whose id cannot be used with a null id.
            return CallAction::Refused(self.unmeterable(
                &Value::Null,
                "its id is neither a string nor a number a double can hold",
            ));
        };
        let Some(call) = CallParams::read(params) else {
            return CallAction::Refused(self.unmeterable(
                id,
                "its params are not an object with a tool name (params.name, a string), or repeat a key",
            ));
        };
        let jsonrpc_id = message::id_value(id);
        let cfg = &self.inner.cfg;
        let mut now = Instant::now();
        let mut at = Utc::now();
        let client_request_id = call.client_request_id();
        let own_request_id = client_request_id.is_some();
        let mut request_id = client_request_id.unwrap_or_else(uuid_like);
        let meta_absent = call.meta.is_none();

        let mut st = self.state();
        if st.pending.contains_key(&key) || st.task_requests.map.contains_key(&key) {
            // Both would run and one answer would settle both: one charge for two runs.
            // Answered with id null, since the id is the other call's.
            drop(st);
            return CallAction::Refused(self.unmeterable(
                &Value::Null,
                "its id is that of a call still pending (JSON-RPC ids must be unique)",
            ));
        }
        if st.requests.map.contains_key(&key) {
            // The other request's answer would settle the call: a paid result delivered
            // unrecorded, or another method's answer charged as the call's.
            drop(st);
            return CallAction::Refused(self.unmeterable(
                &Value::Null,
                "its id is that of another request still pending (JSON-RPC ids must be unique)",
            ));
        }
        // The next round of a call the server answered with `input_required`: the same
        // call, from its first request on.
        let agent = self.agent(&st, || call.client_name());
        let earlier = call.request_state.as_deref().and_then(|state| {
            let key = state_key(state);
            let e = st.rounds.map.get(&key)?;
            let same = e.input.tool == call.name && e.input.agent == agent;
            same.then(|| st.rounds.map.remove(&key)).flatten()
        });
        let mut round = 1;
        if let Some(e) = &earlier {
            now = e.started;
            at = e.input.at;
            round = e.round.saturating_add(1);
            if !own_request_id {
                request_id.clone_from(&e.request_id);
            }
        }
        let rule = st.rules.get(cfg, &call.name);
        // Shown after the state lock is released (below), once per tool.
        let notes = std::mem::take(&mut st.rules.notes);
        let input = Input {
            tool: call.name.into_owned(),
            agent,
            at,
            // Copied as text: parsing waits until the request was forwarded.
            arguments: call.arguments.map(ToOwned::to_owned),
            rule,
            task_requested: call.task.is_some_and(|t| t.get() != "null"),
            prepared: OnceLock::new(),
        };

        // Enforcement, before anything reaches the server.
        let refusal = if st.server_gone {
            Some(Refusal {
                status: Status::Error,
                reason: None,
                code: CODE_SERVER_GONE,
                message:
                    "mcpbill: the server exited (or closed its output); this call was not forwarded"
                        .to_owned(),
                data: json!({"reason": "server_exited"}),
            })
        } else {
            // A call's later rounds are not new calls for the rate limit.
            let rate = match earlier {
                None => self.check_rate(&mut st, &input.agent, Instant::now()),
                Some(_) => None,
            };
            rate.or_else(|| {
                self.check_budget(&st, &input.agent, &input.rule)
                    .err()
                    .map(|refusal| *refusal)
            })
        };
        if let Some(refusal) = refusal {
            drop(st);
            for n in &notes {
                self.diag(n);
            }
            let mut extra = Map::new();
            if let Some(reason) = refusal.reason {
                extra.insert("refused".into(), reason.into());
            }
            extra.insert("error_code".into(), refusal.code.into());
            let pending = Pending {
                seq: 0,
                raw_id: id.to_owned(),
                jsonrpc_id,
                request_id,
                started: now,
                round,
                input: Arc::new(input),
            };
            let answer = error_response(
                &*pending.raw_id,
                refusal.code,
                &refusal.message,
                refusal.data,
            );
            self.finish_unanswered(pending, refusal.status, &refusal.message, Some(extra));
            return CallAction::Refused(answer);
        }

        st.seq += 1;
        let seq = st.seq;
        let input = Arc::new(input);
        st.accepted.push(input.clone());
        st.dropped.remove(&key);
        let pending = Pending {
            seq,
            raw_id: id.to_owned(),
            jsonrpc_id,
            request_id,
            started: now,
            round,
            input,
        };
        // A timeout too long to represent as an instant never fires.
        if let Some(timeout) = cfg.timeout
            && let Some(due) = Instant::now().checked_add(timeout)
        {
            let first = st.deadlines.is_empty();
            st.deadlines.insert(seq, (due, key.clone()));
            if st.timer.is_none() {
                let pump = self.clone();
                st.timer = std::thread::Builder::new()
                    .name("mcpbill-timer".into())
                    .spawn(move || pump.timer(timeout))
                    .map_err(|e| self.diag(&format!("cannot start the --timeout timer: {e}")))
                    .ok();
            } else if first {
                self.inner.timer_due.notify_one();
            }
        }
        // Kept for the `_meta` splice below, after the lock is released.
        let (agent_json, rid_json) = if cfg.request_meta {
            (
                serde_json::to_string(&pending.input.agent).expect("a string serializes"),
                serde_json::to_string(&pending.request_id).expect("a string serializes"),
            )
        } else {
            (String::new(), String::new())
        };
        // No call with this key was pending (checked above, under the same lock).
        st.pending.insert(key, pending);
        drop(st);
        for n in &notes {
            self.diag(n);
        }

        if !cfg.request_meta {
            return CallAction::Forward;
        }
        match text.and_then(|t| {
            splice_meta_known(
                t,
                params,
                "params",
                &[
                    ("mcpbill/agent_id", &agent_json),
                    ("mcpbill/request_id", &rid_json),
                ],
                meta_absent,
            )
        }) {
            Some(new) => CallAction::Rewrite(new),
            None => CallAction::Forward,
        }
    }

    /// The work on a call's request that can wait until it was forwarded: record (redacted
    /// per the tool's rule) and hash its arguments (absent: `{}`), write its timestamp,
    /// begin its receipt. The hash is taken from the text; a `Value` is built only to be
    /// recorded.
    fn prepare_input(&self, input: &Input) -> Prepared {
        let cfg = &self.inner.cfg;
        let rule = &input.rule;
        let text = input.arguments.as_deref().map_or("{}", RawValue::get);
        // Read once, borrowing from the text, for both the record and the hash.
        let parsed = if rule.record_params != RecordMode::None || cfg.key.is_some() {
            Json::parse(text).unwrap_or(Json::Null)
        } else {
            Json::Null
        };
        let params = cfg.redactor.record_json(rule.record_params, &parsed);
        let input_hash = cfg.key.as_ref().map(|_| content_hash_json(&parsed));
        let timestamp = Timestamp::from_utc(input.at);
        let receipt = self.begin_receipt(&input.tool, &input.agent, &timestamp);
        Prepared {
            params,
            input_hash,
            timestamp,
            receipt,
        }
    }

    /// With a key: the receipt of a call of `tool` by `agent` seen at `timestamp`, begun.
    fn begin_receipt(
        &self,
        tool: &str,
        agent: &str,
        timestamp: &Timestamp,
    ) -> Option<Result<Begun, String>> {
        let cfg = &self.inner.cfg;
        let signer = self.inner.signer.as_ref()?;
        Some(signer.begin(
            tool,
            agent,
            &cfg.provider_id,
            timestamp,
            cfg.verify_url_base.as_deref(),
        ))
    }

    /// [`Pump::prepare_input`] of a pending call, once.
    fn prepare<'a>(&self, input: &'a Input) -> &'a Prepared {
        input.prepared.get_or_init(|| self.prepare_input(input))
    }

    /// A call ending now after `duration_ms` with `status`, from its input (prepared now
    /// unless that already happened): the call without usage, metadata or output hash
    /// yet, its rule, and its recorded arguments.
    fn finished(
        &self,
        input: Arc<Input>,
        duration_ms: u64,
        status: Status,
    ) -> (Finished, Arc<Rule>, Option<Value>) {
        self.prepare(&input);
        let (tool, agent, rule, prepared) = match Arc::try_unwrap(input) {
            Ok(i) => (
                i.tool,
                i.agent,
                i.rule,
                i.prepared.into_inner().expect("prepared above"),
            ),
            Err(shared) => (
                shared.tool.clone(),
                shared.agent.clone(),
                shared.rule.clone(),
                shared.prepared.get().expect("prepared above").clone(),
            ),
        };
        let call = Finished {
            tool,
            agent,
            provider: self.inner.cfg.provider_id.clone(),
            timestamp: prepared.timestamp,
            duration_ms: Some(duration_ms),
            status,
            usage: None,
            metadata: Map::new(),
            input_hash: prepared.input_hash,
            output_hash: None,
            receipt: prepared.receipt,
        };
        (call, rule, prepared.params)
    }

    /// Prepare the inputs of the calls accepted from the last burst, outside the state
    /// lock (those already answered, cancelled or timed out were prepared then).
    fn prepare_accepted(&self) {
        let accepted = {
            let mut st = self.state();
            if st.accepted.is_empty() {
                return;
            }
            std::mem::take(&mut st.accepted)
        };
        for input in &accepted {
            self.prepare(input);
        }
    }

    /// What every event of this shim carries.
    fn common(&self) -> Common<'_> {
        let cfg = &self.inner.cfg;
        Common {
            session_id: &cfg.session_id,
            category: cfg
                .category
                .as_deref()
                .or_else(|| cfg.pricing.as_ref()?.category.as_deref()),
        }
    }

    fn base_metadata(
        &self,
        request_id: &str,
        jsonrpc_id: &Value,
        params: Option<Value>,
    ) -> Map<String, Value> {
        base_metadata(&self.common(), request_id, jsonrpc_id, params)
    }

    fn check_rate(&self, st: &mut State, agent: &str, now: Instant) -> Option<Refusal> {
        let limit = self.inner.cfg.rate_limit?;
        let wait = st.buckets.take(limit, agent, now).err()?;
        let ms = wait.as_millis() as u64;
        Some(Refusal {
            status: Status::RateLimited,
            reason: Some("rate_limit"),
            code: CODE_REFUSED,
            message: format!(
                "mcpbill: rate limit of {} exceeded for agent '{agent}'; retry in {:.3}s",
                limit.describe(),
                ms as f64 / 1000.0
            ),
            data: json!({"reason": "rate_limit", "retry_after_ms": ms}),
        })
    }

    /// Budget check: this month's spend (all shims, from the log) plus this shim's calls
    /// in flight plus this call's price must fit.
    fn check_budget(&self, st: &State, agent: &str, rule: &Rule) -> Result<(), Box<Refusal>> {
        let Some(budget) = self.inner.cfg.budget else {
            return Ok(());
        };
        let price = &rule.price;
        // The agent's calls in flight, by tool: whichever of them end up free, the most
        // they can cost is reserved (summing per-call guesses would not hold once calls
        // finish out of order and take the free calls in another order).
        let mut in_flight: HashMap<&str, (u64, &ToolPrice)> = HashMap::new();
        for p in st.in_flight().filter(|p| p.input.agent == agent) {
            let tool_price = &p.input.rule.price;
            in_flight
                .entry(tool_price.tool_id.as_str())
                .or_insert((0, tool_price))
                .0 += 1;
        }
        let in_flight_same_tool = in_flight.get(price.tool_id.as_str()).map_or(0, |e| e.0);
        let settling = st.settling.get(agent).copied().unwrap_or(0);
        let (spent, month, worst) = self.with_ledger(|l| {
            l.counted(|l| {
                let worst: u64 = in_flight
                    .iter()
                    .map(|(tool, (n, p))| in_flight_worst(p, *n, l.usage(agent, tool)))
                    .fold(0, u64::saturating_add);
                (l.spend(agent), l.usage(agent, &price.tool_id), worst)
            })
        });
        let reserved = settling.saturating_add(worst);
        let verdict = BudgetState {
            budget: budget.0,
            spent,
            reserved,
            month,
            in_flight_same_tool,
        }
        .judge(price);
        let (remaining, cost) = match verdict {
            // Held while it settles (see `State::settling`): its worst case.
            BudgetVerdict::Allow { .. } => return Ok(()),
            BudgetVerdict::Refuse { remaining, cost } => (remaining, cost),
        };
        let needs = cost.map_or_else(String::new, |c| {
            format!(", this call costs {}", Microcents(c).dollars())
        });
        Err(Box::new(Refusal {
            status: Status::RateLimited,
            reason: Some("budget"),
            code: CODE_REFUSED,
            message: format!(
                "mcpbill: the monthly budget of {} for agent '{agent}' is spent ({} left{needs})",
                budget.dollars(),
                Microcents(remaining).dollars()
            ),
            data: json!({"reason": "budget", "remaining_microcents": remaining, "budget_microcents": budget.0}),
        }))
    }

    fn on_cancel(&self, params: Option<&RawValue>) {
        let Some(key) = message::cancelled_request(params) else {
            return;
        };
        let mut st = self.state();
        let Some(p) = st.take_pending(&key) else {
            return;
        };
        remember_dropped(&mut st, key);
        drop(st);
        let mut extra = Map::new();
        extra.insert("cancelled".into(), true.into());
        self.finish_unanswered(p, Status::Error, "cancelled by the client", Some(extra));
    }

    /// The timer thread (with `--timeout`): answers and records calls whose deadline
    /// passed, until [`Pump::finish`].
    fn timer(self, timeout: Duration) {
        let mut st = self.state();
        loop {
            if st.closed {
                return;
            }
            let now = Instant::now();
            let first = st
                .deadlines
                .first_key_value()
                .map(|(s, (due, _))| (*s, *due));
            match first {
                None => {
                    st = self
                        .inner
                        .timer_due
                        .wait(st)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                Some((_, due)) if due > now => {
                    st = self
                        .inner
                        .timer_due
                        .wait_timeout(st, due - now)
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .0;
                }
                Some((seq, _)) => {
                    let key = st.deadlines.remove(&seq).map(|(_, key)| key);
                    // Every deadline has its pending call (both leave together).
                    if let Some(key) = key
                        && let Some(p) = st.pending.remove(&key)
                    {
                        remember_dropped(&mut st, key);
                        drop(st);
                        self.on_timeout(p, timeout);
                        st = self.state();
                    }
                }
            }
        }
    }

    fn on_timeout(&self, p: Pending, timeout: Duration) {
        let msg = format!(
            "mcpbill: the server did not answer within {}",
            humantime::format_duration(timeout)
        );
        let answer = error_response(&*p.raw_id, CODE_TIMEOUT, &msg, json!({"reason": "timeout"}));
        let mut extra = Map::new();
        extra.insert("error_code".into(), CODE_TIMEOUT.into());
        self.finish_unanswered(p, Status::Timeout, &msg, Some(extra));
        self.to_client(&answer);
    }

    /// Record a call that got no answer from the server (cost 0).
    fn finish_unanswered(
        &self,
        p: Pending,
        status: Status,
        message: &str,
        extra: Option<Map<String, Value>>,
    ) {
        let duration_ms = p.started.elapsed().as_millis() as u64;
        let (mut call, rule, params) = self.finished(p.input, duration_ms, status);
        call.metadata = self.base_metadata(&p.request_id, &p.jsonrpc_id, params);
        call.metadata.insert("error_message".into(), message.into());
        if p.round > 1 {
            call.metadata.insert("rounds".into(), p.round.into());
        }
        if let Some(extra) = extra {
            call.metadata.extend(extra);
        }
        self.record(call, &rule);
    }

    /// Price, sign and append now, under the log's lock (where the month's usage is
    /// exact; see [`Ledger::counted`] for a log that cannot be locked or read). A line
    /// that cannot be written is held by the ledger.
    fn record(&self, mut call: Finished, rule: &Rule) -> Settled {
        // Recorded before its answer is written: a client already found gone will not get it.
        if self.client().is_none_or(|c| c.gone) {
            call.metadata.insert("undelivered".into(), true.into());
        }
        let status = call.status;
        let (s, appended) = self.with_ledger(|l| {
            l.counted(|l| {
                let month = if needs_month_usage(&rule.price, status) {
                    // The call's own month: one begun before midnight on the 1st is
                    // recorded in that month's file, and priced with its free tier.
                    l.usage_in(call.timestamp.month(), &call.agent, &call.tool)
                } else {
                    MonthUsage::default()
                };
                let s = settle(call, &rule.price, month);
                let appended = l.append_batch(&[(&s.event, s.receipt_json.as_deref())]);
                (s, appended)
            })
        });
        if let Err(e) = appended {
            self.diag(&format!("{e:#}"));
        }
        if let Some(w) = &s.warning {
            self.diag(w);
        }
        s
    }

    fn on_server_line(&self, line: &[u8], deferred: &mut Deferred) -> Action {
        let p = payload(line);
        match message::parse(p) {
            Parsed::Single(probe, text) => {
                match self.on_server_message(probe.kind(), text, deferred) {
                    ResponseAction::Forward => Action::Forward,
                    ResponseAction::Drop => Action::Drop,
                    ResponseAction::Rewrite(new) => Action::Replace(reframe(line, new)),
                }
            }
            Parsed::Batch(items) => {
                let mut changed = false;
                let mut kept: Vec<Box<RawValue>> = Vec::with_capacity(items.len());
                for item in &items {
                    let action = match message::probe(item) {
                        Some(probe) => self.on_server_message(probe.kind(), item.get(), deferred),
                        None => ResponseAction::Forward,
                    };
                    match action {
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
                rebuilt_batch(line, changed, &kept)
            }
            Parsed::Opaque => {
                self.settle_unreadable_answer(p);
                Action::Forward
            }
        }
    }

    /// One message from the server (`text`, classified as `kind`): answers settle calls,
    /// task status notifications may settle a task's call.
    fn on_server_message(
        &self,
        kind: Kind<'_>,
        text: &str,
        deferred: &mut Deferred,
    ) -> ResponseAction {
        match kind {
            Kind::Response { id, result, error } => match id_key(id) {
                Some(key) => self.on_response(&key, text, result, error, deferred),
                None => ResponseAction::Forward,
            },
            Kind::Notification { method, params }
                if method == message::TASK_STATUS || method == message::TASK_STATUS_EXT =>
            {
                self.on_task_notification(params, text, deferred)
            }
            _ => ResponseAction::Forward,
        }
    }

    /// A server line the probe refused (a repeated key, bytes that are not UTF-8) that
    /// some reader takes for the answer to a pending call: passed on unchanged, and the
    /// call is settled as an error, not charged, instead of waiting for an answer that
    /// already went by.
    fn settle_unreadable_answer(&self, payload: &[u8]) {
        let text = String::from_utf8_lossy(payload);
        let Some(r) = message::readings(&text) else {
            return;
        };
        if r.has_method || !r.answers {
            return;
        }
        for key in &r.id_keys {
            let p = {
                let mut st = self.state();
                st.requests.map.remove(key);
                st.take_pending(key)
            };
            if let Some(p) = p {
                self.diag(&format!(
                    "the server's answer to call {key} could not be read unambiguously; it was passed on unchanged and recorded as an error, not charged"
                ));
                self.finish_unanswered(
                    p,
                    Status::Error,
                    "the server's answer could not be read unambiguously (a repeated key, or bytes that are not UTF-8)",
                    None,
                );
            }
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
        let (p, hold) = {
            let mut st = self.state();
            let Some(p) = st.take_pending(key) else {
                if st.requests.map.remove(key).is_some() {
                    return ResponseAction::Forward;
                }
                if let Some(req) = st.task_requests.map.remove(key) {
                    drop(st);
                    return self.on_task_answer(req, text, result, error, deferred);
                }
                if st.dropped.remove(key) {
                    drop(st);
                    self.diag(&format!(
                        "dropped a late answer to call {key} (it had timed out or was cancelled)"
                    ));
                    return ResponseAction::Drop;
                }
                return ResponseAction::Forward;
            };
            let hold = self.hold(&mut st, &p);
            (p, hold)
        };
        let answer = Answer {
            text,
            result,
            error,
            field: Some("result"),
        };
        self.settle_answer(p, hold, None, answer, deferred)
    }

    /// Under a budget, an answered call's price is held (under the state lock, so no
    /// budget check falls in between) until the ledger has its cost.
    fn hold(&self, st: &mut State, p: &Pending) -> u64 {
        let hold = match self.inner.cfg.budget {
            Some(_) => settling_worst(&p.input.rule.price),
            None => 0,
        };
        if hold > 0 {
            *st.settling.entry(p.input.agent.clone()).or_default() += hold;
        }
        hold
    }

    /// Settle a call from its answer: the answer to its `tools/call`, or, for a call
    /// answered with a task (`task` is then its id and when it ended), the task's outcome.
    /// The event is recorded (or deferred) and the answer gets the receipt.
    fn settle_answer(
        &self,
        p: Pending,
        hold: u64,
        task: Option<(String, Option<(Instant, bool)>)>,
        answer: Answer<'_>,
        deferred: &mut Deferred,
    ) -> ResponseAction {
        let cfg = &self.inner.cfg;
        let Answer {
            text,
            result,
            error,
            field,
        } = answer;
        // `"error": null` beside a result is the JSON-RPC 1.0 habit of some servers: no error.
        let error = error.filter(|e| e.get() != "null" || result.is_none());
        // Borrowed from the line: no `Value` is built unless results are recorded.
        let parsed = match (error, result) {
            (None, Some(res)) => Some(Json::parse(res.get()).unwrap_or(Json::Null)),
            _ => None,
        };
        if task.is_none()
            && let Some(v) = &parsed
            && let Some(task_id) = message::created_task(v, p.input.task_requested)
        {
            // The server runs the call as a task: its outcome settles it, later. Counted
            // in flight again, so the hold is released under the same lock.
            let mut st = self.state();
            release_hold(&mut st, &p.input.agent, hold);
            let expires =
                message::created_task_ttl(v).and_then(|ttl| Instant::now().checked_add(ttl));
            let call = TaskCall {
                call: p,
                ended: None,
                error: None,
                expires,
            };
            // A task id the server already gave another call: one result cannot settle
            // both, so the later call follows the task and the earlier one ends unpaid.
            let earlier = st.tasks.insert(task_id.to_owned(), call);
            drop(st);
            if let Some(t) = earlier {
                let mut extra = Map::new();
                extra.insert("task_id".into(), task_id.into());
                self.finish_unanswered(
                    t.call,
                    Status::Error,
                    "the server gave this call's task id to a later call",
                    Some(extra),
                );
            }
            return ResponseAction::Forward;
        }
        if task.is_none()
            && let Some(v) = &parsed
            && v.get("resultType").and_then(Json::as_str) == Some("input_required")
        {
            // An interim answer (protocol 2026-07-28): the server asks the client for input,
            // and the client sends the call again with it and the `requestState`. The call
            // goes on in that round; this one settles nothing.
            let state = v.get("requestState").and_then(Json::as_str);
            let evicted = {
                let mut st = self.state();
                release_hold(&mut st, &p.input.agent, hold);
                match state {
                    Some(state) => remember_round(&mut st, state_key(state), p),
                    None => None,
                }
            };
            if let Some((old, why)) = evicted {
                self.settle_round(old, why);
            }
            return ResponseAction::Forward;
        }
        let (task_id, ended) = task.map_or((None, None), |(id, ended)| (Some(id), ended));
        let ended = ended.map(|(at, _)| at);
        let settling = (hold > 0).then(|| (p.input.agent.clone(), hold));
        let duration_ms = ended
            .unwrap_or_else(Instant::now)
            .saturating_duration_since(p.started)
            .as_millis() as u64;
        let (mut call, rule, params) = self.finished(p.input, duration_ms, Status::Success);
        let mut outcome = Outcome {
            request_id: p.request_id,
            jsonrpc_id: p.jsonrpc_id,
            params,
            task_id,
            rounds: (p.round > 1).then_some(p.round),
            ..Outcome::default()
        };
        let mut is_object = false;
        let mut meta_absent = false;
        if let Some(err) = error {
            call.status = Status::Error;
            let (code, message) = message::error_fields(err);
            outcome.error_code = code;
            outcome.error_message = message.map(|m| truncate_message(&m));
        } else if let Some(v) = parsed {
            let record = rule.record_results != RecordMode::None;
            // Read two ways (isError or usage twice, say), it is charged neither way.
            let ambiguous = v.repeats_a_key();
            if !matches!(v, Json::Object(_)) {
                // A tool result is an object; anything else is not a successful call.
                call.status = Status::Error;
                outcome.error_message = Some("the result is not a JSON object".to_owned());
            }
            if v.get("isError") == Some(&Json::Bool(true)) {
                call.status = Status::Error;
                if record {
                    outcome.error_message = first_text(&v).map(truncate_message);
                }
            }
            call.usage = match message::reported_usage(&v) {
                Ok(usage) => usage,
                Err(why) => {
                    self.diag(&format!(
                        "call {}: the server's token report cannot be billed: {why}; recorded as tokens not reported",
                        outcome.jsonrpc_id
                    ));
                    None
                }
            };
            if ambiguous {
                call.status = Status::Error;
                call.usage = None;
                outcome.error_message = Some(
                    "the result repeats a key, so its meaning depends on the reader; passed on unchanged, not charged".to_owned(),
                );
            }
            if record {
                outcome.result = cfg.redactor.record_json(rule.record_results, &v);
            }
            is_object = matches!(v, Json::Object(_)) && !ambiguous;
            meta_absent = v.get("_meta").is_none();
            if cfg.key.is_some() {
                call.output_hash = Some(output_hash_json(v));
            }
        }
        let splice = |receipt: &str| {
            if !(cfg.receipt_meta && is_object) {
                return None;
            }
            let entries = [(crate::receipt::canonical::RECEIPT_META_KEY, receipt)];
            match field {
                Some(field) => splice_meta_known(text, result, field, &entries, meta_absent),
                None => message::splice_meta_in_place(text, result?, &entries, meta_absent),
            }
        };
        if cfg.budget.is_some() || needs_month_usage(&rule.price, call.status) {
            // Shared counters: priced and appended under the log's lock, now.
            call.metadata = outcome.metadata(&self.common());
            let settled = self.record(call, &rule);
            if let Some((agent, amount)) = settling {
                // The cost is in the ledger now: the reservation has done its work.
                release_hold(&mut self.state(), &agent, amount);
            }
            let rewrite = settled.receipt_json.as_deref().and_then(splice);
            return rewrite.map_or(ResponseAction::Forward, ResponseAction::Rewrite);
        }
        // Only what the answer carries is done before forwarding it: price and receipt.
        // The event is written after the answer was forwarded and appended by the flusher.
        let priced = price_call(
            &call.tool,
            call.status,
            call.usage,
            &rule.price,
            MonthUsage::default(),
        );
        let mut warning = priced.warning.clone();
        let signed = call
            .sign(&priced)
            .and_then(|r| r.map_err(|w| warning = Some(w)).ok());
        if let Some(w) = &warning {
            self.diag(w);
        }
        let rewrite = signed.as_ref().and_then(|(_, json)| splice(json));
        deferred.push(Box::new(Answered {
            call,
            outcome,
            priced,
            signed,
        }));
        rewrite.map_or(ResponseAction::Forward, ResponseAction::Rewrite)
    }

    /// A client request about a task (`tasks/get`, `tasks/result`, `tasks/cancel`): its
    /// answer is read for the task's outcome, whether or not the shim knows the task yet
    /// (the answer that creates it may still be on its way). Refused when its task or its
    /// id cannot be read unambiguously: its answer could bring a result the shim cannot
    /// meter.
    fn on_task_request(
        &self,
        method: &str,
        id: &RawValue,
        params: Option<&RawValue>,
    ) -> Option<Vec<u8>> {
        let method = match method {
            message::TASKS_GET => TaskMethod::Get,
            message::TASKS_RESULT => TaskMethod::Result,
            _ => TaskMethod::Cancel,
        };
        let what = "task request";
        let Some(key) = id_key(id).filter(|k| k.len() <= MAX_TASK_KEY) else {
            return Some(self.refuse(
                &Value::Null,
                what,
                "its id is neither a string nor a number a double can hold, or is over 256 bytes",
            ));
        };
        let Some(task_id) = message::task_ref(params).filter(|t| t.len() <= MAX_TASK_KEY) else {
            return Some(self.refuse(
                id,
                what,
                "its params are not an object with a task id (params.taskId, a string of at most 256 bytes), or repeat a key",
            ));
        };
        let mut st = self.state();
        if st.server_gone {
            drop(st);
            let msg =
                "mcpbill: the server exited (or closed its output); this request was not forwarded";
            let data = json!({"reason": "server_exited"});
            return Some(error_response(id, CODE_SERVER_GONE, msg, data));
        }
        st.request_seq += 1;
        let seq = st.request_seq;
        follow_task_request(
            &mut st,
            key,
            TaskRequest {
                seq,
                raw_id: id.to_owned(),
                task_id,
                method,
            },
        );
        None
    }

    /// The server's answer to a client's request about a followed task.
    fn on_task_answer(
        &self,
        req: TaskRequest,
        text: &str,
        result: Option<&RawValue>,
        error: Option<&RawValue>,
        deferred: &mut Deferred,
    ) -> ResponseAction {
        if req.method == TaskMethod::Result {
            // The call's own outcome (2025-11-25 tasks): a result or an error. An error
            // about the request itself (bad params, say) is not the task's, unless the
            // task was seen to fail; nor is any error once it was seen to complete.
            let error = error.filter(|e| e.get() != "null" || result.is_none());
            if let Some(err) = error {
                let fields = message::error_fields(err);
                let mut st = self.state();
                let Some(t) = st.tasks.get_mut(&req.task_id) else {
                    return ResponseAction::Forward;
                };
                let settles = match t.ended {
                    Some((_, failed)) => failed,
                    None => !message::is_request_error(fields.0),
                };
                if !settles {
                    // Kept, in case nothing settles the call later (see `settle_open_tasks`).
                    if t.ended.is_none() {
                        t.error = Some(fields);
                    }
                    return ResponseAction::Forward;
                }
                drop(st);
            }
            let Some((t, hold)) = self.take_task_call(&req.task_id) else {
                return ResponseAction::Forward;
            };
            let answer = Answer {
                text,
                result,
                error,
                field: Some("result"),
            };
            return self.settle_answer(
                t.call,
                hold,
                Some((req.task_id, t.ended)),
                answer,
                deferred,
            );
        }
        // A failed `tasks/get` or `tasks/cancel` says nothing about the task.
        if error.is_some_and(|e| e.get() != "null") {
            return ResponseAction::Forward;
        }
        match TaskState::read(result) {
            Some(state) if state.task_id == req.task_id => {
                self.on_task_state(&state, text, deferred)
            }
            _ => ResponseAction::Forward,
        }
    }

    /// A task status notification from the server.
    fn on_task_notification(
        &self,
        params: Option<&RawValue>,
        text: &str,
        deferred: &mut Deferred,
    ) -> ResponseAction {
        if self.state().tasks.is_empty() {
            return ResponseAction::Forward;
        }
        match TaskState::read(params) {
            Some(state) => self.on_task_state(&state, text, deferred),
            None => ResponseAction::Forward,
        }
    }

    /// A followed task's state, in `field` of `text`: a result or an error settles its
    /// call (the Tasks extension), so does a cancellation (not charged); a terminal status
    /// alone ends the call's duration, and its result is awaited (`tasks/result`).
    fn on_task_state(
        &self,
        state: &TaskState<'_>,
        text: &str,
        deferred: &mut Deferred,
    ) -> ResponseAction {
        let outcome = match (state.status.as_ref(), state.result, state.error) {
            ("completed", Some(result), _) => (Some(result), None),
            ("failed", _, Some(error)) => (None, Some(error)),
            ("cancelled", ..) => {
                let Some(t) = self.state().take_task(&state.task_id) else {
                    return ResponseAction::Forward;
                };
                let mut extra = Map::new();
                extra.insert("cancelled".into(), true.into());
                extra.insert("task_id".into(), state.task_id.as_ref().into());
                self.finish_unanswered(
                    t.call,
                    Status::Error,
                    "the task was cancelled",
                    Some(extra),
                );
                return ResponseAction::Forward;
            }
            (status @ ("completed" | "failed"), ..) => {
                if let Some(t) = self.state().tasks.get_mut(state.task_id.as_ref()) {
                    t.ended
                        .get_or_insert_with(|| (Instant::now(), status == "failed"));
                }
                return ResponseAction::Forward;
            }
            _ => return ResponseAction::Forward,
        };
        let Some((t, hold)) = self.take_task_call(&state.task_id) else {
            return ResponseAction::Forward;
        };
        let answer = Answer {
            text,
            result: outcome.0,
            error: outcome.1,
            field: None,
        };
        let task = Some((state.task_id.clone().into_owned(), t.ended));
        self.settle_answer(t.call, hold, task, answer, deferred)
    }

    /// A followed task's call, taken to be settled, with its budget hold.
    fn take_task_call(&self, task_id: &str) -> Option<(TaskCall, u64)> {
        let mut st = self.state();
        let t = st.take_task(task_id)?;
        let hold = self.hold(&mut st, &t.call);
        Some((t, hold))
    }

    /// A call the server asked input for whose next round never came: an error, not
    /// charged (the client got no result).
    fn settle_round(&self, p: Pending, why: &str) {
        let mut extra = Map::new();
        extra.insert("input_required".into(), true.into());
        self.finish_unanswered(
            p,
            Status::Error,
            &format!("the server asked the client for input and the call did not go on: {why}"),
            Some(extra),
        );
    }

    /// Calls still waiting for their next round, settled (see [`Pump::settle_round`]).
    fn settle_open_rounds(&self, why: &str) {
        let open = self.state().rounds.drain_oldest_first();
        for (_, p) in open {
            self.settle_round(p, why);
        }
    }

    /// Calls whose task's outcome was never seen, recorded as errors (not charged): the
    /// client never got their results through the shim.
    fn settle_open_tasks(&self, why: &str) {
        let open = drain_oldest_first(&mut self.state().tasks, |t| t.call.seq);
        for (task_id, t) in open {
            let mut extra = Map::new();
            extra.insert("task_id".into(), task_id.into());
            let message = match t.error {
                Some((code, message)) => {
                    if let Some(code) = code {
                        extra.insert("error_code".into(), code.into());
                    }
                    let said =
                        message.map_or_else(String::new, |m| format!(": {}", truncate_message(&m)));
                    format!("{why}; the server answered its tasks/result with an error{said}")
                }
                None => why.to_owned(),
            };
            self.finish_unanswered(t.call, Status::Error, &message, Some(extra));
        }
    }

    fn client_oversized(&self, o: Oversized) {
        let cap = self.inner.cfg.max_line_bytes;
        let what = o.method.as_deref().unwrap_or("a message");
        self.diag(&format!(
            "dropped {} from the client: its line of {} bytes exceeds --max-line-bytes {cap}",
            escape_terminal(what),
            o.len
        ));
        let Some(id) = o.id else {
            if o.batch {
                // Its requests cannot be told apart: one error (id null) says why none
                // of them is answered.
                self.to_client(&error_response(
                    &Value::Null,
                    CODE_TOO_LARGE,
                    &format!(
                        "mcpbill: a batch of {} bytes exceeds the shim's limit of {cap} bytes (--max-line-bytes); none of its messages was forwarded",
                        o.len
                    ),
                    json!({"reason": "too_large", "bytes": o.len}),
                ));
            }
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
                let agent = self.agent(&st, || None);
                (agent, st.rules.get(cfg, &tool))
            };
            let mut metadata = self.base_metadata(&uuid_like(), &message::id_value(&id), None);
            metadata.insert("error_code".into(), CODE_TOO_LARGE.into());
            metadata.insert("error_message".into(), msg.clone().into());
            let timestamp = Timestamp::now();
            let receipt = self.begin_receipt(&tool, &agent, &timestamp);
            self.record(
                Finished {
                    tool,
                    agent,
                    provider: cfg.provider_id.clone(),
                    timestamp,
                    duration_ms: Some(0),
                    status: Status::Error,
                    usage: None,
                    metadata,
                    input_hash: None,
                    output_hash: None,
                    receipt,
                },
                &rule,
            );
        }
        if o.method.is_some() {
            let answer = error_response(
                &id,
                CODE_TOO_LARGE,
                &msg,
                json!({"reason": "too_large", "bytes": o.len}),
            );
            self.to_client(&answer);
        }
    }

    /// A server line over the cap: dropped; if it answered a pending call, the client
    /// gets an error for that call instead (appended to `out`, keeping the order).
    fn server_oversized(&self, o: Oversized, out: &mut Vec<u8>) {
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
        let Some(key) = id_key(&id) else {
            return;
        };
        let msg = format!(
            "mcpbill: the server's answer of {} bytes exceeds the shim's limit of {cap} bytes (--max-line-bytes)",
            o.len
        );
        let (p, req) = {
            let mut st = self.state();
            match st.take_pending(&key) {
                Some(p) => (Some(p), None),
                None => (None, st.task_requests.map.remove(&key)),
            }
        };
        if let Some(req) = req {
            // The client still gets an answer; a result too large to relay is the task's
            // outcome, not charged.
            let data = json!({"reason": "too_large", "bytes": o.len});
            out.extend_from_slice(&error_response(&*req.raw_id, CODE_TOO_LARGE, &msg, data));
            if req.method == TaskMethod::Result
                && let Some(t) = self.state().take_task(&req.task_id)
            {
                let mut extra = Map::new();
                extra.insert("error_code".into(), CODE_TOO_LARGE.into());
                extra.insert("task_id".into(), req.task_id.into());
                self.finish_unanswered(t.call, Status::Error, &msg, Some(extra));
            }
        }
        if let Some(p) = p {
            let mut extra = Map::new();
            extra.insert("error_code".into(), CODE_TOO_LARGE.into());
            let answer = error_response(
                &*p.raw_id,
                CODE_TOO_LARGE,
                &msg,
                json!({"reason": "too_large", "bytes": o.len}),
            );
            self.finish_unanswered(p, Status::Error, &msg, Some(extra));
            out.extend_from_slice(&answer);
        }
    }

    /// The server is gone: every pending call is recorded as an error and answered, and
    /// calls the client still sends are answered by the shim.
    pub fn fail_pending(&self, why: &str) {
        // The client's task requests get an answer, as pending calls do below.
        let asked = self.state().task_requests.drain_oldest_first();
        for (_, r) in asked {
            let msg = format!("mcpbill: {why}");
            let data = json!({"reason": "server_exited"});
            self.to_client(&error_response(&*r.raw_id, CODE_SERVER_GONE, &msg, data));
        }
        // At the client's end of input too: the server exits once its input is closed.
        self.settle_open_tasks(
            "the session ended (the server exited, or closed its output) before the task's outcome was seen",
        );
        self.settle_open_rounds(
            "the session ended (the server exited, or closed its output) first",
        );
        let pending = {
            let mut st = self.state();
            st.server_gone = true;
            st.deadlines.clear();
            drain_oldest_first(&mut st.pending, Sequenced::seq)
        };
        for (_, p) in pending {
            let msg = format!("mcpbill: {why}");
            let answer = error_response(
                &*p.raw_id,
                CODE_SERVER_GONE,
                &msg,
                json!({"reason": "server_exited"}),
            );
            let mut extra = Map::new();
            extra.insert("error_code".into(), CODE_SERVER_GONE.into());
            self.finish_unanswered(p, Status::Error, &msg, Some(extra));
            self.to_client(&answer);
        }
    }

    /// Stop the timer and flusher threads, append what is left, close the client stream
    /// and sync the log (before exit).
    pub fn finish(&self) {
        self.settle_open_tasks("the session ended before the task's outcome was seen");
        self.settle_open_rounds("the session ended first");
        let timer = {
            let mut st = self.state();
            st.closed = true;
            st.timer.take()
        };
        self.inner.timer_due.notify_all();
        if let Some(t) = timer {
            let _ = t.join();
        }
        let flusher = {
            let mut b = lock(&self.inner.backlog);
            b.closed = true;
            b.flusher.take()
        };
        self.inner.backlog_ready.notify_all();
        if let Some(f) = flusher {
            let _ = f.join();
        }
        self.flush_backlog();
        if let Some(mut c) = self.client() {
            if !c.gone {
                let _ = c.out.flush();
                c.gone = true;
            }
            // Dropping the stream closes it: the client sees the end.
            c.out = Box::new(std::io::sink());
        }
        let res = self.with_ledger(Ledger::finish);
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

/// An answer that settles a call: the message's text, the result or error in it, and the
/// member of the message that holds the result (where the receipt goes when the result
/// cannot be spliced in place).
#[derive(Clone, Copy)]
struct Answer<'a> {
    text: &'a str,
    result: Option<&'a RawValue>,
    error: Option<&'a RawValue>,
    /// `None` when the result is nested deeper (a task's state): the receipt then goes
    /// into the result's own `_meta` or nowhere.
    field: Option<&'static str>,
}

/// Take `amount` of `agent`'s budget hold back (see [`State::settling`]).
fn release_hold(st: &mut State, agent: &str, amount: u64) {
    if amount == 0 {
        return;
    }
    if let Some(left) = st.settling.get_mut(agent) {
        *left = left.saturating_sub(amount);
        if *left == 0 {
            st.settling.remove(agent);
        }
    }
}

/// A rewritten message in the original line's frame (BOM before, line break after). The
/// message's own buffer is kept unless a BOM goes before it: a long line is not copied.
fn reframe(line: &[u8], new: String) -> Vec<u8> {
    let (pre, post) = frame_of(line);
    if pre.is_empty() {
        let mut out = new.into_bytes();
        out.extend_from_slice(post);
        return out;
    }
    let mut out = Vec::with_capacity(pre.len() + new.len() + post.len());
    out.extend_from_slice(pre);
    out.extend_from_slice(new.as_bytes());
    out.extend_from_slice(post);
    out
}

/// A batch line after some of its elements were rewritten or removed.
fn rebuilt_batch(line: &[u8], changed: bool, kept: &[Box<RawValue>]) -> Action {
    if !changed {
        return Action::Forward;
    }
    if kept.is_empty() {
        return Action::Drop;
    }
    let text = serde_json::to_string(kept).expect("raw values serialize");
    Action::Replace(reframe(line, text))
}

/// Most task requests waiting for their answers (see [`State::task_requests`]); past
/// this the oldest is forgotten (its answer, if it ever comes, passes unread).
const MAX_TASK_REQUESTS: usize = 4096;

/// Longest id and task id of a task request the shim follows.
const MAX_TASK_KEY: usize = 256;

/// Most other client requests followed to their answers (see [`State::requests`]); past
/// this the oldest is forgotten.
const MAX_REQUESTS: usize = 4096;

fn follow_request(st: &mut State, key: String) {
    st.request_seq += 1;
    let asked = Asked {
        seq: st.request_seq,
    };
    st.requests.insert_within(key, asked, MAX_REQUESTS);
}

fn follow_task_request(st: &mut State, key: String, req: TaskRequest) {
    st.task_requests.insert_within(key, req, MAX_TASK_REQUESTS);
}

/// A `requestState` as the shim keeps it: its SHA-256, whatever its length.
type StateKey = [u8; 32];

fn state_key(state: &str) -> StateKey {
    use sha2::Digest as _;
    sha2::Sha256::digest(state.as_bytes()).into()
}

/// Most calls waiting for their next round (see [`State::rounds`]).
const MAX_OPEN_ROUNDS: usize = 1024;

/// Keep a call answered `input_required` until its next round brings `state` back.
/// Returns a call that waits no more, and why: the one the server gave the same state
/// before, or the oldest when more than [`MAX_OPEN_ROUNDS`] wait.
fn remember_round(st: &mut State, state: StateKey, p: Pending) -> Option<(Pending, &'static str)> {
    if let Some(earlier) = st.rounds.insert(state, p, MAX_OPEN_ROUNDS) {
        return Some((earlier, "the server gave its requestState to a later call"));
    }
    if st.rounds.map.len() <= MAX_OPEN_ROUNDS {
        return None;
    }
    let oldest = st.rounds.pop_oldest()?;
    Some((
        oldest,
        "1024 later calls were waiting for their next round too",
    ))
}

/// What has a sequence number: the order it came in.
trait Sequenced {
    fn seq(&self) -> u64;
}

impl Sequenced for Pending {
    fn seq(&self) -> u64 {
        self.seq
    }
}

/// A client request the shim only follows to its answer ([`State::requests`]).
struct Asked {
    seq: u64,
}

impl Sequenced for Asked {
    fn seq(&self) -> u64 {
        self.seq
    }
}

impl Sequenced for TaskRequest {
    fn seq(&self) -> u64 {
        self.seq
    }
}

/// A map whose entries can be taken back oldest first: beside it, its keys in the order
/// they were inserted, each with its entry's sequence number, so keys whose entry has
/// gone or been replaced since are passed over (and dropped now and then).
struct Aging<K, V, S = std::collections::hash_map::RandomState> {
    map: HashMap<K, V, S>,
    order: VecDeque<(u64, K)>,
}

impl<K, V, S: Default> Default for Aging<K, V, S> {
    fn default() -> Self {
        Aging {
            map: HashMap::default(),
            order: VecDeque::new(),
        }
    }
}

impl<K, V, S> Aging<K, V, S>
where
    K: Eq + std::hash::Hash + Clone,
    V: Sequenced,
    S: std::hash::BuildHasher,
{
    /// Insert, returning the entry `key` had; the order keeps at most about twice `bound`
    /// keys.
    fn insert(&mut self, key: K, value: V, bound: usize) -> Option<V> {
        if self.order.len() >= 2 * bound {
            let map = &self.map;
            self.order
                .retain(|(seq, k)| map.get(k).is_some_and(|v| v.seq() == *seq));
        }
        self.order.push_back((value.seq(), key.clone()));
        self.map.insert(key, value)
    }

    /// Insert, then forget the oldest entries past `bound` (their answers, if they ever
    /// come, pass unread).
    fn insert_within(&mut self, key: K, value: V, bound: usize) {
        self.insert(key, value, bound);
        while self.map.len() > bound {
            if self.pop_oldest().is_none() {
                break;
            }
        }
    }

    /// Take out the oldest entry.
    fn pop_oldest(&mut self) -> Option<V> {
        while let Some((seq, key)) = self.order.pop_front() {
            if self.map.get(&key).is_some_and(|v| v.seq() == seq) {
                return self.map.remove(&key);
            }
        }
        None
    }

    /// Take out every entry, oldest first.
    fn drain_oldest_first(&mut self) -> Vec<(K, V)> {
        self.order.clear();
        drain_oldest_first(&mut self.map, Sequenced::seq)
    }
}

/// Take out every entry of `map`, in the order of `seq`.
fn drain_oldest_first<K, V, S>(map: &mut HashMap<K, V, S>, seq: impl Fn(&V) -> u64) -> Vec<(K, V)> {
    let mut v: Vec<(K, V)> = map.drain().collect();
    v.sort_by_key(|(_, value)| seq(value));
    v
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

fn first_text<'a>(result: &'a Json<'_>) -> Option<&'a str> {
    let Json::Array(content) = result.get("content")? else {
        return None;
    };
    content.iter().find_map(|c| c.get("text")?.as_str())
}

fn truncate_message(m: &str) -> String {
    crate::output::first_chars(m, 512).map_or_else(|| m.to_owned(), |head| format!("{head}..."))
}
