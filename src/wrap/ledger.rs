//! The shim's view of the event log: the current month's usage per agent and tool,
//! kept exact across concurrent shims by catching up, under the log directory's lock,
//! on the lines others appended since the last look; and settling a finished call into
//! its meter event and signed receipt.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::eventlog::{LogDir, Partition, open_append};
use crate::ids::{self, IdKind};
use crate::jsontext::push_string;
use crate::key::Secret;
use crate::meter::{MeterEvent, Status};
use crate::pricing::{MonthUsage, PricingModel, ToolPrice, Usage, quote};
use crate::receipt;
use crate::time::{Month, Timestamp};

/// The month's usage of every agent, read from the current month's events file.
#[derive(Debug)]
pub struct Ledger {
    dir: LogDir,
    lock: File,
    month: Month,
    /// Read handle on the month's events file, once it exists.
    reader: Option<File>,
    /// Bytes of the events file already accounted for.
    offset: u64,
    /// The file ends with a torn line (a writer died mid-line): the next append starts
    /// with a newline so the torn bytes stay a line of their own.
    torn_tail: bool,
    events: Option<(Month, File)>,
    receipts: Option<(Month, File)>,
    /// Usage by agent, then tool (nested so lookups by `&str` allocate nothing).
    usage: HashMap<String, HashMap<String, MonthUsage>>,
    spend: HashMap<String, u64>,
    /// Lines of other writers that could not be read (torn or malformed).
    pub skipped: u64,
}

#[derive(Deserialize)]
struct Seen<'a> {
    #[serde(borrow)]
    agent_id: Cow<'a, str>,
    #[serde(borrow, default)]
    tool_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    tool_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(default)]
    cost_microcents: Option<u64>,
    #[serde(default)]
    input_tokens: Option<u64>,
    #[serde(default)]
    output_tokens: Option<u64>,
}

impl Ledger {
    /// Open the log directory and read the current month's events (only that month).
    pub fn open(dir: &LogDir) -> Result<Self> {
        let path = dir.path().join(".lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| {
                format!(
                    "cannot open lock file '{}'; pass a writable --log-dir",
                    path.display()
                )
            })?;
        let mut ledger = Ledger {
            dir: dir.clone(),
            lock,
            month: Month::current(),
            reader: None,
            offset: 0,
            torn_tail: false,
            events: None,
            receipts: None,
            usage: HashMap::new(),
            spend: HashMap::new(),
            skipped: 0,
        };
        ledger.locked(|_| Ok(()))?;
        Ok(ledger)
    }

    /// The log directory.
    pub fn dir(&self) -> &LogDir {
        &self.dir
    }

    /// Run `f` holding the directory lock, after catching up with the log.
    pub fn locked<R>(&mut self, f: impl FnOnce(&mut Self) -> Result<R>) -> Result<R> {
        self.lock.lock().context("cannot lock the event log")?;
        let result = self.catch_up().and_then(|()| f(self));
        let _ = self.lock.unlock();
        result
    }

    fn events_path(&self, month: Month) -> PathBuf {
        self.dir.partition(Partition::Events, month)
    }

    /// Read what others appended since the last look (at the first look: the month's file).
    fn catch_up(&mut self) -> Result<()> {
        let now = Month::current();
        if now != self.month {
            self.month = now;
            self.reader = None;
            self.offset = 0;
            self.torn_tail = false;
            self.usage.clear();
            self.spend.clear();
        }
        if self.reader.is_none() {
            match File::open(self.events_path(self.month)) {
                Ok(f) => self.reader = Some(f),
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(e).context("cannot read the events file"),
            }
        }
        let reader = self.reader.take().expect("opened above");
        let res = self.read_from(&reader);
        self.reader = Some(reader);
        res
    }

    fn read_from(&mut self, reader: &File) -> Result<()> {
        // Usually nobody else wrote: one fstat, no read.
        let len = reader
            .metadata()
            .context("cannot read the events file")?
            .len();
        if len <= self.offset {
            return Ok(());
        }
        let mut pending: Vec<u8> = Vec::new();
        let mut chunk = vec![
            0u8;
            usize::try_from(len - self.offset)
                .unwrap_or(usize::MAX)
                .min(64 * 1024)
        ];
        let mut pos = self.offset;
        loop {
            let n = reader
                .read_at(&mut chunk, pos)
                .context("cannot read the events file")?;
            if n == 0 {
                break;
            }
            pos += n as u64;
            pending.extend_from_slice(&chunk[..n]);
            let Some(last_nl) = memchr::memrchr(b'\n', &pending) else {
                continue;
            };
            let complete: Vec<u8> = pending.drain(..=last_nl).collect();
            for line in complete.split(|b| *b == b'\n') {
                self.account_line(line);
            }
            self.offset += complete.len() as u64;
        }
        // What is left has no newline: under the lock no writer is mid-line, so it is torn.
        self.torn_tail = !pending.is_empty();
        if self.torn_tail {
            self.skipped += 1;
            self.offset += pending.len() as u64;
        }
        Ok(())
    }

    fn account_line(&mut self, line: &[u8]) {
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let Ok(seen) = serde_json::from_slice::<Seen>(line) else {
            self.skipped += 1;
            return;
        };
        let tool = seen.tool_id.or(seen.tool_name).unwrap_or_default();
        self.account(
            &seen.agent_id,
            &tool,
            &seen.status,
            seen.cost_microcents.unwrap_or(0),
            seen.input_tokens
                .unwrap_or(0)
                .saturating_add(seen.output_tokens.unwrap_or(0)),
        );
    }

    fn account(&mut self, agent: &str, tool: &str, status: &str, cost: u64, tokens: u64) {
        if status != Status::Success.as_str() {
            return;
        }
        if !self.usage.contains_key(agent) {
            self.usage.insert(agent.to_owned(), HashMap::new());
        }
        let tools = self.usage.get_mut(agent).expect("inserted above");
        if !tools.contains_key(tool) {
            tools.insert(tool.to_owned(), MonthUsage::default());
        }
        let u = tools.get_mut(tool).expect("inserted above");
        u.calls += 1;
        u.tokens = u.tokens.saturating_add(tokens);
        match self.spend.get_mut(agent) {
            Some(s) => *s = s.saturating_add(cost),
            None => {
                self.spend.insert(agent.to_owned(), cost);
            }
        }
    }

    /// The agent's successful calls and tokens of `tool` this month (call inside [`Ledger::locked`]).
    pub fn usage(&self, agent: &str, tool: &str) -> MonthUsage {
        self.usage
            .get(agent)
            .and_then(|tools| tools.get(tool))
            .copied()
            .unwrap_or_default()
    }

    /// What the agent spent this month (call inside [`Ledger::locked`]).
    pub fn spend(&self, agent: &str) -> u64 {
        self.spend.get(agent).copied().unwrap_or(0)
    }

    /// Append events and their receipts (call inside [`Ledger::locked`]): whole lines, one
    /// write per file and month.
    /// Receipts are given as their JSON text (see [`Settled::receipt_json`]).
    pub fn append_batch(&mut self, items: &[(&MeterEvent, Option<&str>)]) -> Result<()> {
        let mut text = Vec::with_capacity(512 * items.len());
        let mut ends = Vec::with_capacity(items.len());
        for (event, _) in items {
            serde_json::to_writer(&mut text, event).context("cannot serialize an event")?;
            ends.push(text.len());
        }
        let mut start = 0;
        let lines: Vec<LogLine<'_>> = items
            .iter()
            .zip(&ends)
            .map(|((event, receipt), &end)| {
                let line = LogLine {
                    month: event.timestamp.month(),
                    agent: &event.agent_id,
                    tool: event.tool(),
                    status: event.status,
                    cost: event.cost_microcents.unwrap_or(0),
                    tokens: event
                        .input_tokens
                        .unwrap_or(0)
                        .saturating_add(event.output_tokens.unwrap_or(0)),
                    event: &text[start..end],
                    receipt: *receipt,
                };
                start = end;
                line
            })
            .collect();
        self.append_lines(&lines)
    }

    /// Append serialized events and their receipts (call inside [`Ledger::locked`]), with
    /// what the month's counters need to know of each: whole lines, one write per file and
    /// month.
    pub fn append_lines(&mut self, lines: &[LogLine<'_>]) -> Result<()> {
        let mut months: Vec<Month> = lines.iter().map(|l| l.month).collect();
        months.sort();
        months.dedup();
        for month in months {
            let mut events = Vec::with_capacity(512 * lines.len());
            let mut receipts = Vec::new();
            if month == self.month && self.torn_tail {
                events.push(b'\n');
            }
            for line in lines.iter().filter(|l| l.month == month) {
                events.extend_from_slice(line.event);
                events.push(b'\n');
                if let Some(r) = line.receipt {
                    receipts.extend_from_slice(r.as_bytes());
                    receipts.push(b'\n');
                }
            }
            let path = self.events_path(month);
            let file = cached(&mut self.events, month, &path)?;
            file.write_all(&events)
                .with_context(|| format!("cannot append to '{}'", path.display()))?;
            if month == self.month {
                self.offset += events.len() as u64;
                self.torn_tail = false;
                for l in lines.iter().filter(|l| l.month == month) {
                    self.account(l.agent, l.tool, l.status.as_str(), l.cost, l.tokens);
                }
            }
            if !receipts.is_empty() {
                let path = self.dir.partition(Partition::Receipts, month);
                let file = cached(&mut self.receipts, month, &path)?;
                file.write_all(&receipts)
                    .with_context(|| format!("cannot append to '{}'", path.display()))?;
            }
        }
        Ok(())
    }

    /// Push appended lines to stable storage (on exit).
    pub fn sync(&mut self) -> Result<()> {
        for (_, f) in self.events.iter().chain(self.receipts.iter()) {
            f.sync_data().context("cannot sync the event log")?;
        }
        Ok(())
    }

    /// The events file of the current month.
    pub fn current_events_path(&self) -> PathBuf {
        self.events_path(self.month)
    }
}

fn cached<'a>(
    slot: &'a mut Option<(Month, File)>,
    month: Month,
    path: &Path,
) -> Result<&'a mut File> {
    if slot.as_ref().is_none_or(|(m, _)| *m != month) {
        *slot = Some((month, open_append(path)?));
    }
    Ok(&mut slot.as_mut().expect("set above").1)
}

/// One serialized event for [`Ledger::append_lines`], with the fields the month's
/// counters read.
#[derive(Debug, Clone, Copy)]
pub struct LogLine<'a> {
    /// The UTC month of its timestamp (its partition).
    pub month: Month,
    /// `agent_id`.
    pub agent: &'a str,
    /// `tool_id` (else `tool_name`).
    pub tool: &'a str,
    /// `status`.
    pub status: Status,
    /// `cost_microcents`.
    pub cost: u64,
    /// Input plus output tokens.
    pub tokens: u64,
    /// The event's JSON text (no line break).
    pub event: &'a [u8],
    /// The receipt's JSON text, if any.
    pub receipt: Option<&'a str>,
}

/// Everything known about a call when it ends, before it is priced.
#[derive(Debug, Clone)]
pub struct Finished {
    /// Tool name.
    pub tool: String,
    /// The consumer.
    pub agent: String,
    /// The operator.
    pub provider: String,
    /// When the request was seen.
    pub timestamp: Timestamp,
    /// Request seen to answer seen.
    pub duration_ms: Option<u64>,
    /// The outcome.
    pub status: Status,
    /// Tokens the server reported.
    pub usage: Option<Usage>,
    /// Event metadata so far.
    pub metadata: Map<String, Value>,
    /// Hash of the arguments (for the receipt).
    pub input_hash: Option<String>,
    /// Hash of the result (for the receipt).
    pub output_hash: Option<String>,
    /// With a key: the call's receipt, begun when the call was accepted, or why none can
    /// be signed.
    pub receipt: Option<Result<Begun, String>>,
}

impl Finished {
    /// Sign the receipt begun for this call, at its price: its id and JSON text, or why
    /// none can be signed. `None` without a key.
    pub fn sign(&mut self, priced: &Priced) -> Option<Result<(String, String), String>> {
        let begun = self.receipt.take()?;
        Some(begun.map(|b| {
            b.finish(
                self.duration_ms,
                priced.cost,
                self.status,
                self.input_hash.as_deref(),
                self.output_hash.as_deref(),
            )
        }))
    }
}

/// A priced call: its event and, with a key, its receipt.
#[derive(Debug, Clone)]
pub struct Settled {
    /// The meter event.
    pub event: MeterEvent,
    /// The signed receipt as one JSON line's text (written once: it is both logged and
    /// spliced into the result's `_meta`).
    pub receipt_json: Option<String>,
    /// Why no receipt could be signed although a key is set.
    pub warning: Option<String>,
}

/// Whether the price of a call with this status depends on the month's usage (then it
/// must be computed under the lock).
pub fn needs_month_usage(price: &ToolPrice, status: Status) -> bool {
    status == Status::Success && price.model != PricingModel::Free && price.free_tier.is_some()
}

/// What a finished call costs (only successes cost anything).
#[derive(Debug, Clone, Default)]
pub struct Priced {
    /// The cost.
    pub cost: u64,
    /// `metadata.free_tier` (successes only).
    pub free_tier: Option<bool>,
    /// A per-token price, but the server reported no tokens.
    pub tokens_unreported: bool,
    /// Why the price could not be computed (the call is then recorded with cost 0).
    pub warning: Option<String>,
}

/// Price a finished call.
pub fn price_call(
    tool: &str,
    status: Status,
    usage: Option<Usage>,
    price: &ToolPrice,
    month: MonthUsage,
) -> Priced {
    let mut priced = Priced::default();
    if status != Status::Success {
        return priced;
    }
    match quote(price, usage.unwrap_or_default(), month) {
        Ok(q) => {
            priced.cost = q.cost.0;
            priced.free_tier = Some(q.free_tier_applied());
        }
        Err(e) => {
            priced.warning = Some(format!("tool '{tool}': {e}; recorded with cost 0"));
            priced.free_tier = Some(false);
        }
    }
    priced.tokens_unreported = price.model == PricingModel::PerToken && usage.is_none();
    priced
}

/// Signs a shim's receipts and writes them as JSON text: the key's HMAC state is keyed
/// once, and the text is the one `serde_json` writes for the same [`receipt::Receipt`].
#[derive(Clone)]
pub struct Signer {
    mac: receipt::HmacSha256,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(..)")
    }
}

impl Signer {
    /// A signer for `key`.
    pub fn new(key: &Secret) -> Self {
        Signer {
            mac: receipt::keyed_mac(key),
        }
    }

    /// Begin the receipt of a call accepted at `timestamp`: its id, the signed string and
    /// the JSON text up to the timestamp are fixed now, off the answer's path. Refuses
    /// fields that would make the canonical string ambiguous.
    pub fn begin(
        &self,
        tool: &str,
        agent: &str,
        provider: &str,
        timestamp: &Timestamp,
        verify_url_base: Option<&str>,
    ) -> Result<Begun, String> {
        use hmac::Mac as _;
        let receipt_id = ids::new_id(IdKind::Receipt);
        let head = receipt::canonical_head(&receipt_id, tool, agent, provider, timestamp.as_str())
            .map_err(|e| format!("no receipt for a call of '{tool}': {e}"))?;
        let mut mac = self.mac.clone();
        mac.update(head.as_bytes());
        let mut json = Vec::with_capacity(256);
        for (name, value) in [
            (&b"{\"receipt_id\":"[..], receipt_id.as_str()),
            (b",\"tool_id\":", tool),
            (b",\"agent_id\":", agent),
            (b",\"provider_id\":", provider),
            (b",\"timestamp\":", timestamp.as_str()),
        ] {
            json.extend_from_slice(name);
            push_string(&mut json, value);
        }
        let mut url = Vec::new();
        if let Some(base) = verify_url_base {
            url.extend_from_slice(b",\"verify_url\":");
            push_string(&mut url, &receipt::verify_url(base, &receipt_id));
        }
        // What `finish` adds: the duration, cost and status, two hashes, the signature.
        json.reserve(FINISH_BYTES + url.len());
        Ok(Begun {
            receipt_id,
            mac,
            json,
            url,
        })
    }
}

/// Room for what [`Begun::finish`] writes: the duration, cost and status (at most about
/// 110 bytes), two `sha256:` hashes (2 x 90) and the signature (79).
const FINISH_BYTES: usize = 384;

/// A receipt begun when its call was accepted (see [`Signer::begin`]); the answer adds
/// the duration, the cost, the status and the hashes.
#[derive(Clone)]
pub struct Begun {
    receipt_id: String,
    /// The keyed HMAC state with `receipt_id|tool_id|agent_id|provider_id|timestamp|` absorbed.
    mac: receipt::HmacSha256,
    /// The JSON text from `{` through the timestamp.
    json: Vec<u8>,
    /// `,"verify_url":"…"`, or nothing.
    url: Vec<u8>,
}

impl std::fmt::Debug for Begun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Begun")
            .field("receipt_id", &self.receipt_id)
            .finish_non_exhaustive()
    }
}

impl Begun {
    /// Sign and write the receipt: its id and JSON text, the text `serde_json` writes for
    /// the same [`receipt::Receipt`].
    pub fn finish(
        self,
        duration_ms: Option<u64>,
        cost: u64,
        status: Status,
        input_hash: Option<&str>,
        output_hash: Option<&str>,
    ) -> (String, String) {
        use hmac::Mac as _;
        let Begun {
            receipt_id,
            mut mac,
            mut json,
            url,
        } = self;
        let status = status.as_str();
        let mut digits = itoa::Buffer::new();
        let cost_text = digits.format(cost);
        mac.update(cost_text.as_bytes());
        mac.update(b"|");
        mac.update(status.as_bytes());
        let signature = mac.finalize().into_bytes();
        if let Some(d) = duration_ms {
            json.extend_from_slice(b",\"duration_ms\":");
            json.extend_from_slice(itoa::Buffer::new().format(d).as_bytes());
        }
        json.extend_from_slice(b",\"cost_microcents\":");
        json.extend_from_slice(cost_text.as_bytes());
        json.extend_from_slice(b",\"status\":");
        push_string(&mut json, status);
        for (name, hash) in [
            (&b",\"input_hash\":"[..], input_hash),
            (b",\"output_hash\":", output_hash),
        ] {
            if let Some(h) = hash {
                json.extend_from_slice(name);
                push_string(&mut json, h);
            }
        }
        json.extend_from_slice(b",\"signature\":\"");
        ids::push_hex_bytes(&mut json, &signature);
        json.push(b'"');
        json.extend_from_slice(&url);
        json.push(b'}');
        let json = String::from_utf8(json).expect("JSON text written from strings is UTF-8");
        (receipt_id, json)
    }
}

/// A finished, priced call's meter event (`receipt_id` in its metadata when signed).
pub fn event_of(call: Finished, priced: &Priced, receipt_id: Option<&str>) -> MeterEvent {
    let mut metadata = call.metadata;
    if let Some(f) = priced.free_tier {
        metadata.insert("free_tier".into(), f.into());
    }
    if priced.tokens_unreported {
        metadata.insert("tokens_unreported".into(), true.into());
    }
    if let Some(id) = receipt_id {
        metadata.insert("receipt_id".into(), id.into());
    }
    MeterEvent {
        event_id: ids::new_id(IdKind::Event),
        tool_id: Some(call.tool),
        tool_name: None,
        agent_id: call.agent,
        provider_id: call.provider,
        timestamp: call.timestamp,
        duration_ms: call.duration_ms,
        status: call.status,
        cost_microcents: Some(priced.cost),
        input_tokens: call.usage.map(|u| u.input_tokens),
        output_tokens: call.usage.map(|u| u.output_tokens),
        metadata,
    }
}

/// Price a finished call, sign its receipt, build its event.
pub fn settle(mut call: Finished, price: &ToolPrice, month: MonthUsage) -> Settled {
    let priced = price_call(&call.tool, call.status, call.usage, price, month);
    let mut warning = priced.warning.clone();
    let signed = match call.sign(&priced) {
        Some(Ok(r)) => Some(r),
        Some(Err(w)) => {
            warning = Some(w);
            None
        }
        None => None,
    };
    let (receipt_id, receipt_json) = signed.unzip();
    let event = event_of(call, &priced, receipt_id.as_deref());
    Settled {
        event,
        receipt_json,
        warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Microcents;
    use crate::pricing::FreeTier;

    fn finished(status: Status) -> Finished {
        Finished {
            tool: "search".into(),
            agent: "a".into(),
            provider: "p".into(),
            timestamp: Timestamp::now(),
            duration_ms: Some(3),
            status,
            usage: None,
            metadata: Map::new(),
            input_hash: None,
            output_hash: None,
            receipt: None,
        }
    }

    fn begun(signer: &Signer, call: &Finished, base: Option<&str>) -> Result<Begun, String> {
        signer.begin(
            &call.tool,
            &call.agent,
            &call.provider,
            &call.timestamp,
            base,
        )
    }

    fn per_call(tier: Option<u64>) -> ToolPrice {
        ToolPrice {
            model: PricingModel::PerCall,
            per_call: Microcents(50_000),
            free_tier: tier.map(|n| FreeTier {
                calls_per_month: Some(n),
                tokens_per_month: None,
            }),
            ..ToolPrice::free("search")
        }
    }

    #[test]
    fn the_signer_writes_the_receipt_serde_writes() {
        let key = Secret::from_text("k").unwrap();
        let signer = Signer::new(&key);
        for (i, base) in [None, Some("https://acme.example/r/")]
            .into_iter()
            .enumerate()
        {
            let mut call = finished(if i == 0 {
                Status::Success
            } else {
                Status::Error
            });
            call.tool = "se\"arch ✓".into();
            if i == 0 {
                call.input_hash = Some(format!("sha256:{}", "ab".repeat(32)));
                call.output_hash = Some(format!("sha256:{}", "cd".repeat(32)));
                call.duration_ms = None;
            }
            let priced = price_call(
                &call.tool,
                call.status,
                None,
                &per_call(None),
                MonthUsage::default(),
            );
            call.receipt = Some(begun(&signer, &call, base));
            let (id, json) = call.sign(&priced).unwrap().unwrap();
            let receipt =
                receipt::Receipt::from_value(&serde_json::from_str(&json).unwrap()).unwrap();
            assert_eq!(receipt.receipt_id, id);
            assert_eq!(serde_json::to_string(&receipt).unwrap(), json);
            let verdict =
                receipt::verify_value(&serde_json::from_str(&json).unwrap(), |_| Some(&key));
            assert!(verdict.invalid.is_none(), "{json}");
        }
        let mut bad = finished(Status::Success);
        bad.agent = "a|b".into();
        assert!(begun(&signer, &bad, None).is_err());
        assert!(finished(Status::Success).sign(&Priced::default()).is_none());
    }

    #[test]
    fn only_successes_cost() {
        let p = per_call(None);
        let s = settle(finished(Status::Success), &p, MonthUsage::default());
        assert_eq!(s.event.cost_microcents, Some(50_000));
        let s = settle(finished(Status::Error), &p, MonthUsage::default());
        assert_eq!(s.event.cost_microcents, Some(0));
        assert!(!needs_month_usage(&p, Status::Success));
        assert!(needs_month_usage(&per_call(Some(1)), Status::Success));
    }

    #[test]
    fn reads_only_the_current_month() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let now = Month::current();
        let last = Month {
            year: if now.month == 1 {
                now.year - 1
            } else {
                now.year
            },
            month: if now.month == 1 { 12 } else { now.month - 1 },
        };
        let old = r#"{"tool_id":"search","agent_id":"a","provider_id":"p","timestamp":"2000-01-01T00:00:00Z","status":"success","cost_microcents":7}"#;
        std::fs::write(
            dir.partition(Partition::Events, last),
            format!("{old}\n").repeat(50),
        )
        .unwrap();
        let l = Ledger::open(&dir).unwrap();
        assert_eq!(l.usage("a", "search"), MonthUsage::default());
        assert_eq!(l.spend("a"), 0);
    }

    #[test]
    #[allow(clippy::many_single_char_names)]
    fn counts_across_writers_and_survives_torn_lines() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let p = per_call(Some(2));
        let mut a = Ledger::open(&dir).unwrap();
        let mut b = Ledger::open(&dir).unwrap();
        let signer = Signer::new(&Secret::from_text("k").unwrap());
        let mut costs = Vec::new();
        for i in 0..4 {
            let l = if i % 2 == 0 { &mut a } else { &mut b };
            let cost = l
                .locked(|l| {
                    let mut call = finished(Status::Success);
                    call.receipt = Some(begun(&signer, &call, None));
                    let s = settle(call, &p, l.usage("a", "search"));
                    assert!(s.receipt_json.is_some());
                    l.append_batch(&[(&s.event, s.receipt_json.as_deref())])?;
                    Ok(s.event.cost_microcents.unwrap())
                })
                .unwrap();
            costs.push(cost);
        }
        assert_eq!(costs, [0, 0, 50_000, 50_000]);
        // A writer died mid-line: the next append still lands on a line of its own.
        let path = a.current_events_path();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"torn")
            .unwrap();
        b.locked(|l| {
            let s = settle(finished(Status::Success), &p, l.usage("a", "search"));
            l.append_batch(&[(&s.event, None)])
        })
        .unwrap();
        let c = Ledger::open(&dir).unwrap();
        assert_eq!(c.skipped, 1);
        assert_eq!(c.spend("a"), 150_000);
        assert_eq!(c.usage("a", "search").calls, 5);
    }
}
