//! The shim's view of the event log: the current month's usage per agent and tool,
//! kept exact across concurrent shims by catching up, under the log directory's lock,
//! on the lines others appended since the last look; and settling a finished call into
//! its meter event and signed receipt.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::eventlog::{LogDir, Partition, ends_mid_line, open_append};
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
    /// The month's usage and spend.
    counts: Counts,
    /// Another month's counts (the one before, once the month changed), for the calls
    /// that began in it and end after it: such a call is recorded in its own month's file
    /// and priced with that month's free tier.
    past: Option<Past>,
    /// The current month (`Month::current`; a test sets another clock).
    clock: fn() -> Month,
    /// Lines of other writers that could not be read (torn or malformed).
    pub skipped: u64,
    /// The line number of the first of them, in the month's events file.
    pub first_skipped_line: Option<u64>,
    /// Lines of the month's events file read so far (from its start).
    lines_seen: u64,
    /// Whole lines not written yet (the disk was full, the file could not be opened),
    /// oldest first; retried before every append and on exit, never dropped unsaid.
    held: Vec<Held>,
    /// [`Ledger::finish`] ran: the process is exiting, and a line begun now could be cut
    /// between its event and its receipt.
    finished: bool,
    /// The last write failed and the failure was said; a success says the recovery.
    failing: bool,
    /// The directory lock is held and the log was read up to its end (inside
    /// [`Ledger::locked`] or [`Ledger::counted`]): counts are exact, appends may be written.
    exact: bool,
    /// The last look at the log (lock, read) failed and that was said; a success says
    /// the recovery.
    unreadable: bool,
    /// Something to say on stderr (a failure, a recovery, lines given up), taken by the relay.
    notice: Vec<String>,
}

/// Successful calls' usage of one provider's tools and every call's spend in one month,
/// by agent.
#[derive(Debug)]
struct Counts {
    /// The provider whose tools' usage is counted (free tiers are the provider's own: a
    /// tool of the same name from another provider, logged in the same directory, is
    /// another tool).
    provider: String,
    /// Usage by agent, then tool (nested so lookups by `&str` allocate nothing).
    usage: HashMap<String, HashMap<String, MonthUsage>>,
    /// Spend by agent, on every provider's tools (the budget is the agent's).
    spend: HashMap<String, u64>,
}

impl Counts {
    fn new(provider: &str) -> Self {
        Counts {
            provider: provider.to_owned(),
            usage: HashMap::new(),
            spend: HashMap::new(),
        }
    }

    fn count(&mut self, line: Counted<'_>) {
        let Counted {
            provider,
            agent,
            tool,
            status,
            cost,
            tokens,
        } = line;
        if status != Status::Success.as_str() {
            return;
        }
        match self.spend.get_mut(agent) {
            Some(s) => *s = s.saturating_add(cost),
            None => {
                self.spend.insert(agent.to_owned(), cost);
            }
        }
        if provider != self.provider {
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
    }

    /// Count one line of an events file; false when it is not an event.
    fn count_line(&mut self, line: &[u8]) -> bool {
        let Ok(seen) = serde_json::from_slice::<Seen>(line) else {
            return false;
        };
        let tool = seen.tool_id.or(seen.tool_name).unwrap_or_default();
        self.count(Counted {
            provider: seen.provider_id.as_deref().unwrap_or_default(),
            agent: &seen.agent_id,
            tool: &tool,
            status: &seen.status,
            cost: seen.cost_microcents.unwrap_or(0),
            tokens: seen
                .input_tokens
                .unwrap_or(0)
                .saturating_add(seen.output_tokens.unwrap_or(0)),
        });
        true
    }

    fn usage(&self, agent: &str, tool: &str) -> MonthUsage {
        self.usage
            .get(agent)
            .and_then(|tools| tools.get(tool))
            .copied()
            .unwrap_or_default()
    }
}

/// What the counts take of one event.
#[derive(Clone, Copy)]
struct Counted<'a> {
    provider: &'a str,
    agent: &'a str,
    tool: &'a str,
    status: &'a str,
    cost: u64,
    tokens: u64,
}

/// The counts of a month other than the current one, and how much of its events file
/// they were read from.
#[derive(Debug)]
struct Past {
    month: Month,
    /// Bytes of the month's events file accounted for.
    offset: u64,
    counts: Counts,
    /// The file ended mid-line at `offset`, as far as was read.
    torn_tail: bool,
    /// The file counted (device and inode), once known: another file at the path is a
    /// new one (the month's file was moved away, an archive step), not the same one cut.
    file: Option<(u64, u64)>,
}

/// Lines waiting to be written to one file.
#[derive(Debug)]
struct Held {
    kind: Partition,
    month: Month,
    bytes: Vec<u8>,
}

/// How many bytes of unwritten lines, left from earlier appends, are held in memory; beyond
/// it the lines of a new append go to stderr.
const HELD_LIMIT: usize = 16 << 20;

#[derive(Deserialize)]
struct Seen<'a> {
    #[serde(borrow)]
    agent_id: Cow<'a, str>,
    #[serde(borrow, default)]
    provider_id: Option<Cow<'a, str>>,
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
    pub fn open(dir: &LogDir, provider: &str) -> Result<Self> {
        let lock = crate::eventlog::open_lock_file(dir.path())?;
        let mut ledger = Ledger {
            dir: dir.clone(),
            lock,
            month: Month::current(),
            reader: None,
            offset: 0,
            torn_tail: false,
            events: None,
            receipts: None,
            counts: Counts::new(provider),
            past: None,
            clock: Month::current,
            skipped: 0,
            first_skipped_line: None,
            lines_seen: 0,
            held: Vec::new(),
            finished: false,
            failing: false,
            exact: false,
            unreadable: false,
            notice: Vec::new(),
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
        let result = self.catch_up().and_then(|()| {
            self.exact = true;
            f(self)
        });
        self.exact = false;
        let _ = self.lock.unlock();
        result
    }

    /// Run `f` on the month's counts: exact when the directory lock could be taken and the
    /// log read, as in [`Ledger::locked`]. When either fails, `f` still runs, on the counts
    /// last read plus this shim's own lines since, so calls are priced and recorded
    /// rather than lost; the failure and the later recovery are each said once (see
    /// [`Ledger::take_notice`]). Lines appended then are held for the next append that
    /// has an exact look (a failed look may have missed that a file was replaced).
    pub fn counted<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let looked = self
            .lock
            .lock()
            .context("cannot lock the event log")
            .and_then(|()| {
                let res = self.catch_up();
                if res.is_err() {
                    let _ = self.lock.unlock();
                }
                res
            });
        self.exact = looked.is_ok();
        match looked {
            Err(e) if !self.unreadable => {
                self.unreadable = true;
                self.notice.push(format!(
                    "{e:#}; the calls go on, counted from what was read before and this shim's own calls, and their events are held until the log can be read again"
                ));
            }
            Ok(()) if self.unreadable => {
                self.unreadable = false;
                self.notice
                    .push("the event log can be read again; the counts are exact".to_owned());
            }
            _ => {}
        }
        let r = f(self);
        if std::mem::take(&mut self.exact) {
            let _ = self.lock.unlock();
        }
        r
    }

    fn events_path(&self, month: Month) -> PathBuf {
        self.dir.partition(Partition::Events, month)
    }

    /// Read what others appended since the last look (at the first look: the month's file).
    fn catch_up(&mut self) -> Result<()> {
        let now = (self.clock)();
        if now != self.month {
            // Held lines of the old month still go to its file, whose tail is then looked
            // at like any other file's but the current month's events. Its counts are kept
            // for the calls begun in it that are still to end.
            // The new month may be the one counted as past (a call of it settled before a
            // look could see the change, or the clock went back): its counts, with the
            // lines held for it, go on.
            let (offset, counts, torn_tail) = match self.past.take() {
                Some(p) if p.month == now => (p.offset, p.counts, p.torn_tail),
                _ => (0, Counts::new(&self.counts.provider), false),
            };
            let file = self
                .reader
                .as_ref()
                .and_then(|r| r.metadata().ok())
                .map(|m| (m.dev(), m.ino()));
            self.past = Some(Past {
                month: self.month,
                offset: self.offset,
                counts: std::mem::replace(&mut self.counts, counts),
                torn_tail: self.torn_tail,
                file,
            });
            self.month = now;
            self.reader = None;
            self.offset = offset;
            self.lines_seen = 0;
            self.torn_tail = torn_tail;
        }
        loop {
            if self.reader.is_none() {
                let path = self.events_path(self.month);
                crate::eventlog::refuse_special(&path)?;
                let opened = {
                    use std::os::unix::fs::OpenOptionsExt;
                    std::fs::OpenOptions::new()
                        .read(true)
                        .custom_flags(crate::eventlog::NONBLOCK)
                        .open(&path)
                };
                match opened {
                    Ok(f) => self.reader = Some(f),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        if self.events.as_ref().is_some_and(|(m, _)| *m == self.month) {
                            // This shim wrote it, and it is gone.
                            self.removed()?;
                        }
                        self.offset = 0;
                        self.lines_seen = 0;
                        self.torn_tail = false;
                        return Ok(());
                    }
                    Err(e) => return Err(e).with_context(|| self.cannot_read()),
                }
            }
            let reader = self.reader.take().expect("opened above");
            // Usually nobody else wrote: one fstat and one stat, no read.
            let meta = reader.metadata().with_context(|| self.cannot_read())?;
            // The path no longer names the open file: it, or its directory, was moved away
            // (an archive step) or replaced.
            let moved = match std::fs::metadata(self.events_path(self.month)) {
                Ok(named) => named.dev() != meta.dev() || named.ino() != meta.ino(),
                Err(e) => e.kind() == io::ErrorKind::NotFound,
            };
            if meta.nlink() == 0 || moved {
                if let Some(copy) = self.copy_at_path(&reader) {
                    // The same log under the path (moved to another disk and linked back,
                    // restored, rewritten): go on where reading stopped, appending there.
                    self.notice.push(format!(
                        "'{}' was replaced by a copy while mcpbill was writing to it; writing to the copy",
                        self.events_path(self.month).display()
                    ));
                    self.events = None;
                    self.receipts = None;
                    self.relock_if_moved()?;
                    self.reader = Some(copy);
                    continue;
                }
                self.removed()?;
                continue;
            }
            if meta.len() < self.offset {
                // Cut short (a `truncate`, an editor saving a shorter file): the month is
                // counted again from what the file holds now, as every shim sharing it
                // counts it, plus this shim's lines not written yet; appends go on after
                // its end, on a line of their own.
                self.notice.push(format!(
                    "'{}' was cut short while mcpbill was writing to it ({} bytes, {} before); the month is counted again from what it holds",
                    self.events_path(self.month).display(),
                    meta.len(),
                    self.offset
                ));
                self.offset = 0;
                self.lines_seen = 0;
                self.torn_tail = false;
                self.counts = Counts::new(&self.counts.provider);
                count_held(&self.held, self.month, &mut self.counts);
            }
            let res = self.read_from(&reader, meta.len());
            self.reader = Some(reader);
            return res;
        }
    }

    fn cannot_read(&self) -> String {
        format!(
            "cannot read the events file '{}'",
            self.events_path(self.month).display()
        )
    }

    /// The month's events file was removed (or its whole directory) while this shim had it
    /// open: what it wrote since then would go nowhere. Start new files (and a new
    /// directory and lock, if they went too); the month's counts so far are kept.
    fn removed(&mut self) -> Result<()> {
        self.notice.push(format!(
            "'{}' was removed or moved while mcpbill was writing to it; writing to a new file (the month's counts so far are kept)",
            self.events_path(self.month).display()
        ));
        self.reader = None;
        self.offset = 0;
        self.lines_seen = 0;
        self.torn_tail = false;
        self.events = None;
        self.receipts = None;
        self.relock_if_moved()
    }

    /// Lock the lock file the directory's path names, when it is no longer the one held.
    fn relock_if_moved(&mut self) -> Result<()> {
        // The lock file went with its directory (removed, or renamed away), or the path now
        // names another one (a shim that got there first made it): lock the path's.
        let lock_path = self.dir.path().join(crate::eventlog::LOCK_FILE);
        let same = |a: &std::fs::Metadata, b: &std::fs::Metadata| {
            a.dev() == b.dev() && a.ino() == b.ino() && a.nlink() > 0
        };
        let ours = match (self.lock.metadata(), std::fs::metadata(&lock_path)) {
            (Ok(held), Ok(named)) => same(&held, &named),
            _ => false,
        };
        if !ours {
            std::fs::create_dir_all(self.dir.path()).with_context(|| {
                format!(
                    "cannot create the log directory '{}' again",
                    self.dir.path().display()
                )
            })?;
            let lock = crate::eventlog::open_lock_file(self.dir.path())?;
            lock.lock().context("cannot lock the event log")?;
            // Dropping the old lock's file releases it; `locked` releases the new one.
            self.lock = lock;
        }
        Ok(())
    }

    /// The file the month's events path names now, when it begins with every byte this
    /// shim has accounted for from `read` (the file it had open): a copy of the same log.
    fn copy_at_path(&self, read: &File) -> Option<File> {
        let copy = File::open(self.events_path(self.month)).ok()?;
        if copy.metadata().ok()?.len() < self.offset {
            return None;
        }
        let (mut a, mut b) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
        let mut pos = 0u64;
        while pos < self.offset {
            let n = usize::try_from(self.offset - pos).map_or(a.len(), |left| left.min(a.len()));
            read.read_exact_at(&mut a[..n], pos).ok()?;
            copy.read_exact_at(&mut b[..n], pos).ok()?;
            if a[..n] != b[..n] {
                return None;
            }
            pos += n as u64;
        }
        Some(copy)
    }

    fn read_from(&mut self, reader: &File, len: u64) -> Result<()> {
        if len <= self.offset {
            // Nothing new: the tail is as it was.
            return Ok(());
        }
        let mut offset = self.offset;
        let read = read_lines(reader, &mut offset, len, |line| self.account_line(line));
        self.offset = offset;
        self.torn_tail = read.with_context(|| self.cannot_read())?;
        Ok(())
    }

    fn account_line(&mut self, line: &[u8]) {
        self.lines_seen += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        if !self.counts.count_line(line) {
            self.skipped += 1;
            self.first_skipped_line.get_or_insert(self.lines_seen);
        }
    }

    /// The agent's successful calls and tokens of `tool` this month (call inside
    /// [`Ledger::locked`] or [`Ledger::counted`]).
    pub fn usage(&self, agent: &str, tool: &str) -> MonthUsage {
        self.counts.usage(agent, tool)
    }

    /// The agent's successful calls and tokens of `tool` in `month`, the month a call
    /// began in (call inside [`Ledger::counted`]): this month's, or, for a call that began
    /// before the month changed, its own month's, read from that month's events file.
    pub fn usage_in(&mut self, month: Month, agent: &str, tool: &str) -> MonthUsage {
        if month == self.month {
            return self.usage(agent, tool);
        }
        if let Err(e) = self.catch_up_past(month) {
            // Priced from what was read of it before; said, as a failed look is.
            self.notice.push(format!(
                "{e:#}; a call begun in {month} is priced from what was read of it before"
            ));
        }
        self.past
            .as_ref()
            .filter(|p| p.month == month)
            .map(|p| p.counts.usage(agent, tool))
            .unwrap_or_default()
    }

    /// Read what was appended to `month`'s events file (a month not the current one) since
    /// the last look, counting it from the start when it is not the month counted so far.
    fn catch_up_past(&mut self, month: Month) -> Result<()> {
        if self.past.as_ref().is_none_or(|p| p.month != month) {
            let mut counts = Counts::new(&self.counts.provider);
            count_held(&self.held, month, &mut counts);
            self.past = Some(Past {
                month,
                offset: 0,
                counts,
                torn_tail: false,
                file: None,
            });
        }
        let path = self.events_path(month);
        let cannot = || format!("cannot read the events file '{}'", path.display());
        crate::eventlog::refuse_special(&path)?;
        let opened = {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(crate::eventlog::NONBLOCK)
                .open(&path)
        };
        let file = match opened {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let past = self.past.as_mut().expect("set above");
                if past.offset > 0 || past.file.is_some() {
                    // Moved away (an archive step): its counts are kept, and a line written
                    // now starts a new file.
                    past.offset = 0;
                    past.torn_tail = false;
                    past.file = None;
                    self.notice.push(format!(
                        "'{}' was moved or removed after its month ended; the month's counts so far are kept",
                        path.display()
                    ));
                    self.forget_open(month);
                }
                return Ok(());
            }
            Err(e) => return Err(e).with_context(cannot),
        };
        let meta = file.metadata().with_context(cannot)?;
        let (len, id) = (meta.len(), (meta.dev(), meta.ino()));
        if self
            .past
            .as_ref()
            .and_then(|p| p.file)
            .is_some_and(|known| known != id)
        {
            self.forget_open(month);
        }
        let past = self.past.as_mut().expect("set above");
        if past.file.is_some_and(|known| known != id) {
            // Another file at the path: the counted one was moved away and this one put
            // there. The counts are kept and its lines added.
            self.notice.push(format!(
                "'{}' was moved or replaced after its month ended; the month's counts so far are kept and the new file's lines added",
                path.display()
            ));
            past.offset = 0;
            past.torn_tail = false;
        } else if len < past.offset {
            // Cut short: counted again from its start, with the lines held.
            past.offset = 0;
            past.counts = Counts::new(&self.counts.provider);
            count_held(&self.held, month, &mut past.counts);
        }
        past.file = Some(id);
        let counts = &mut past.counts;
        if len > past.offset {
            past.torn_tail = read_lines(&file, &mut past.offset, len, |line| {
                counts.count_line(line);
            })
            .with_context(cannot)?;
        }
        Ok(())
    }

    /// Close the files of `month` held open for appending: they were moved away, and the
    /// month's lines now go to the files at its paths.
    fn forget_open(&mut self, month: Month) {
        for slot in [&mut self.events, &mut self.receipts] {
            if slot.as_ref().is_some_and(|(m, _)| *m == month) {
                *slot = None;
            }
        }
    }

    /// What the agent spent this month (call inside
    /// [`Ledger::locked`] or [`Ledger::counted`]).
    pub fn spend(&self, agent: &str) -> u64 {
        self.counts.spend.get(agent).copied().unwrap_or(0)
    }

    /// Append events and their receipts (as [`Ledger::append_lines`]): whole lines, one
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
                    provider: &event.provider_id,
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
        self.append_lines(&lines);
        Ok(())
    }

    /// Append serialized events and their receipts (call inside [`Ledger::locked`] or
    /// [`Ledger::counted`]), with what the month's counters need to know of each: whole
    /// lines, one write per file and month. They are counted at once, and written when
    /// the look at the log was exact, otherwise held for the next append that is. Lines
    /// that cannot be written are held and retried; what happened is in
    /// [`Ledger::take_notice`].
    pub fn append_lines(&mut self, lines: &[LogLine<'_>]) {
        if self.finished {
            // A call settled while the shim exits (a relay thread still reading): nobody
            // sees its answer, and writing now could be cut off half-way. Not recorded.
            return;
        }
        self.hold(lines);
        if self.exact {
            self.write_held();
        }
    }

    /// Count the lines in the month's usage and queue them for writing, without writing:
    /// they wait for the next append, or for the exit.
    fn hold(&mut self, lines: &[LogLine<'_>]) {
        // Only lines left from earlier appends count against the limit: the lines of this
        // one are always taken, however long (an event recording a result of megabytes).
        let backlog = self.held_bytes();
        let mut months: Vec<Month> = lines.iter().map(|l| l.month).collect();
        months.sort();
        months.dedup();
        for month in months {
            let mut events = Vec::with_capacity(512 * lines.len());
            let mut receipts = Vec::new();
            for line in lines.iter().filter(|l| l.month == month) {
                events.extend_from_slice(line.event);
                events.push(b'\n');
                if let Some(r) = line.receipt {
                    receipts.extend_from_slice(r.as_bytes());
                    receipts.push(b'\n');
                }
                let counts = if month == self.month {
                    Some(&mut self.counts)
                } else {
                    self.past
                        .as_mut()
                        .filter(|p| p.month == month)
                        .map(|p| &mut p.counts)
                };
                if let Some(c) = counts {
                    c.count(Counted {
                        provider: line.provider,
                        agent: line.agent,
                        tool: line.tool,
                        status: line.status.as_str(),
                        cost: line.cost,
                        tokens: line.tokens,
                    });
                }
            }
            self.queue(Partition::Events, month, events, backlog);
            self.queue(Partition::Receipts, month, receipts, backlog);
        }
    }

    /// Hold `bytes` for writing, unless `backlog` bytes held from earlier appends already
    /// fill memory's share.
    fn queue(&mut self, kind: Partition, month: Month, bytes: Vec<u8>, backlog: usize) {
        if bytes.is_empty() {
            return;
        }
        if backlog > 0 && backlog + bytes.len() > HELD_LIMIT {
            // Memory is not the place for an unbounded backlog: stderr is the last resort.
            self.give_up(
                kind,
                &bytes,
                "more unwritten lines than mcpbill holds in memory",
            );
            return;
        }
        // One chunk per file keeps its lines in order and the writes few.
        match self
            .held
            .iter_mut()
            .find(|h| h.kind == kind && h.month == month)
        {
            Some(h) => h.bytes.extend_from_slice(&bytes),
            None => self.held.push(Held { kind, month, bytes }),
        }
    }

    /// Write every held chunk (one per file); a chunk that fails keeps its unwritten whole
    /// lines.
    fn write_held(&mut self) {
        if self.held.is_empty() {
            return;
        }
        let held = std::mem::take(&mut self.held);
        let mut first_error: Option<String> = None;
        for mut h in held {
            match self.write_chunk(h.kind, h.month, &h.bytes) {
                Ok(()) => {}
                Err((landed, e)) => {
                    h.bytes.drain(..lines_done(&h.bytes, landed));
                    first_error.get_or_insert(e);
                    self.held.push(h);
                }
            }
        }
        match first_error {
            Some(e) if !self.failing => {
                self.failing = true;
                self.notice.push(format!(
                    "cannot write the event log: {e}; the calls go on, and their events and receipts are held in memory and written once it works again (or put on stderr at exit)"
                ));
            }
            None if self.failing => {
                self.failing = false;
                self.notice.push(
                    "the event log is writable again; every held event and receipt is written"
                        .to_owned(),
                );
            }
            _ => {}
        }
    }

    /// Write whole lines to one file in one `write`; on failure, how many bytes landed.
    fn write_chunk(
        &mut self,
        kind: Partition,
        month: Month,
        bytes: &[u8],
    ) -> std::result::Result<(), (usize, String)> {
        let path = self.dir.partition(kind, month);
        let current = kind == Partition::Events && month == self.month;
        // The counted past month's own lines were counted when held: what others appended
        // is read first, so that the offset can then step over these lines.
        let past =
            kind == Partition::Events && self.past.as_ref().is_some_and(|p| p.month == month) && {
                let read = self.catch_up_past(month).is_ok();
                if !read {
                    // Counted again from the file at the next look.
                    self.past = None;
                }
                read
            };
        let torn_tail = self.torn_tail;
        let file = cached(self.open_file(kind), month, &path, current)
            .map_err(|e| (0, format!("{e:#}")))?;
        // The current month's events file is caught up with, so its tail is known; the
        // other files' last byte is looked at (under the lock no writer is mid-line, so a
        // last line without its newline is torn: a writer killed or cut short).
        let torn = if current {
            torn_tail
        } else {
            ends_mid_line(&path, file).unwrap_or(false)
        };
        let mut buf = Cow::Borrowed(bytes);
        if torn {
            let mut b = Vec::with_capacity(bytes.len() + 1);
            b.push(b'\n');
            b.extend_from_slice(bytes);
            buf = Cow::Owned(b);
        }
        let prefix = buf.len() - bytes.len();
        let (mut written, err) = write_counted(file, &buf);
        if err.is_some() && written > 0 && buf[written - 1] != b'\n' {
            // Cut short mid-line (a full disk, a file size limit): take the torn piece back
            // off the file, which no one else writes while the lock is held, so that readers
            // never meet it. The line is written again whole.
            let whole = buf[..written]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let cut = file
                .metadata()
                .map(|m| m.len().saturating_sub((written - whole) as u64))
                .and_then(|len| file.set_len(len));
            if cut.is_ok() {
                written = whole;
            }
        }
        if written > 0 {
            let ends_line = buf[written - 1] == b'\n';
            if current {
                self.offset += written as u64;
                self.torn_tail = !ends_line;
            } else if let Some(p) = self.past.as_mut().filter(|_| past) {
                p.offset += written as u64;
                p.torn_tail = !ends_line;
            }
        }
        match err {
            None => Ok(()),
            Some(e) => {
                // Open the path again next time: the file may have been moved or replaced.
                *self.open_file(kind) = None;
                Err((
                    written.saturating_sub(prefix),
                    format!("cannot append to '{}': {e}", path.display()),
                ))
            }
        }
    }

    /// Say a chunk of lines on stderr, one per line, since it cannot be written or held.
    fn give_up(&mut self, kind: Partition, bytes: &[u8], why: &str) {
        let what = match kind {
            Partition::Events => "event",
            Partition::Receipts => "receipt",
        };
        for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            self.notice.push(format!(
                "unwritten {what} ({why}): {}",
                terminal_safe_json(&String::from_utf8_lossy(line))
            ));
        }
    }

    /// What to say on stderr since the last call (failures, recoveries, lines given up).
    pub fn take_notice(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notice)
    }

    /// The open file of a partition kind (one month at a time).
    fn open_file(&mut self, kind: Partition) -> &mut Option<(Month, File)> {
        match kind {
            Partition::Events => &mut self.events,
            Partition::Receipts => &mut self.receipts,
        }
    }

    /// Bytes of lines waiting to be written.
    pub fn held_bytes(&self) -> usize {
        self.held.iter().map(|h| h.bytes.len()).sum()
    }

    /// On exit: write what is held (under the lock), push the files to stable storage, and
    /// put on stderr (through [`Ledger::take_notice`]) whatever still cannot be written.
    pub fn finish(&mut self) -> Result<()> {
        if !self.held.is_empty() {
            self.counted(|l| {
                if l.exact {
                    l.write_held();
                }
            });
            for h in std::mem::take(&mut self.held) {
                self.give_up(
                    h.kind,
                    &h.bytes,
                    "the event log could not be written before exit",
                );
            }
        }
        self.finished = true;
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

/// Count the events held for `month` (not written yet) into `counts`.
fn count_held(held: &[Held], month: Month, counts: &mut Counts) {
    for h in held
        .iter()
        .filter(|h| h.kind == Partition::Events && h.month == month)
    {
        for line in h.bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            counts.count_line(line);
        }
    }
}

/// Read the lines of `reader` from `*offset` to `len`, advancing `*offset` past each line
/// given to `on_line`; whether the file ends mid-line. Under the lock no writer is
/// mid-line, so a last line without its newline is torn (a writer died) and is given too.
fn read_lines(
    reader: &File,
    offset: &mut u64,
    len: u64,
    mut on_line: impl FnMut(&[u8]),
) -> io::Result<bool> {
    if len <= *offset {
        return Ok(false);
    }
    let mut pending: Vec<u8> = Vec::new();
    let mut chunk = vec![
        0u8;
        usize::try_from(len - *offset)
            .unwrap_or(usize::MAX)
            .min(64 * 1024)
    ];
    let mut pos = *offset;
    // The file's first line may begin with a byte order mark, as other readers allow.
    let mut first = *offset == 0;
    loop {
        let n = reader.read_at(&mut chunk, pos)?;
        if n == 0 {
            break;
        }
        pos += n as u64;
        pending.extend_from_slice(&chunk[..n]);
        let Some(last_nl) = memchr::memrchr(b'\n', &pending) else {
            continue;
        };
        let complete: Vec<u8> = pending.drain(..=last_nl).collect();
        // Every line ends with the last newline at the latest: nothing after it.
        for line in complete[..last_nl].split(|b| *b == b'\n') {
            let line = if std::mem::take(&mut first) {
                crate::eventlog::strip_bom(line)
            } else {
                line
            };
            on_line(line);
        }
        *offset += complete.len() as u64;
    }
    // What is left has no newline: torn. A whole event cut just before its newline is read
    // as a line by every reader once the next append puts the newline after it: it counts
    // here too (a torn event is not JSON, since no prefix of an object is one).
    let torn = !pending.is_empty();
    if torn {
        let tail = if first {
            crate::eventlog::strip_bom(&pending)
        } else {
            &pending
        };
        on_line(tail);
        *offset += pending.len() as u64;
    }
    Ok(torn)
}

/// The JSON text with the characters stderr would escape (C1 controls, bidirectional
/// overrides; they can only be inside strings) written as JSON `\u` escapes instead, so the
/// line stays JSON with the same value.
fn terminal_safe_json(line: &str) -> Cow<'_, str> {
    if !line.chars().any(crate::output::needs_escape) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 16);
    for c in line.chars() {
        if crate::output::needs_escape(c) {
            let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `write_all` that says how many bytes landed before an error.
fn write_counted(file: &mut File, buf: &[u8]) -> (usize, Option<io::Error>) {
    let mut done = 0;
    while done < buf.len() {
        match file.write(&buf[done..]) {
            Ok(0) => return (done, Some(io::ErrorKind::WriteZero.into())),
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (done, Some(e)),
        }
    }
    (done, None)
}

/// The open file of a month's partition, opened (again) when the month changed or the
/// file was removed under it (the current month's events file is watched by the catch-up;
/// the others cost one `fstat` per write).
/// Of `bytes` (whole lines) of which a write landed the first `landed`: how many are done.
/// Whole lines that landed are; a torn one is written again whole. A line that landed all
/// but its newline is done too (the file is then known to end mid-line, so the next write
/// starts with the newline): written again, it would be in the file twice.
fn lines_done(bytes: &[u8], landed: usize) -> usize {
    if landed > 0 && bytes.get(landed) == Some(&b'\n') {
        return landed + 1;
    }
    bytes[..landed]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1)
}

fn cached<'a>(
    slot: &'a mut Option<(Month, File)>,
    month: Month,
    path: &Path,
    watched: bool,
) -> Result<&'a mut File> {
    let stale = |(m, f): &(Month, File)| {
        *m != month || (!watched && f.metadata().is_ok_and(|md| md.nlink() == 0))
    };
    if slot.as_ref().is_none_or(stale) {
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
    /// `provider_id`.
    pub provider: &'a str,
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

    thread_local! {
        static NOW: std::cell::Cell<Month> = const {
            std::cell::Cell::new(Month { year: 2027, month: 1 })
        };
    }

    const JAN: Month = Month {
        year: 2027,
        month: 1,
    };
    const FEB: Month = Month {
        year: 2027,
        month: 2,
    };

    /// A ledger on the test clock ([`NOW`], set to `month`), counting `month`.
    fn clocked(dir: &LogDir, month: Month) -> Ledger {
        NOW.with(|n| n.set(month));
        let mut l = Ledger::open(dir, "p").unwrap();
        l.clock = || NOW.with(std::cell::Cell::get);
        l.month = month;
        l
    }

    /// Settle a successful call begun `at`, priced with its own month's usage, and append
    /// it: its cost.
    fn settle_at(l: &mut Ledger, price: &ToolPrice, at: &str) -> u64 {
        l.counted(|l| {
            let mut call = finished(Status::Success);
            call.timestamp = Timestamp::parse(at).unwrap();
            let month = l.usage_in(call.timestamp.month(), &call.agent, &call.tool);
            let s = settle(call, price, month);
            l.append_batch(&[(&s.event, None)]).unwrap();
            s.event.cost_microcents.unwrap()
        })
    }

    /// A call in flight when the month changes (midnight UTC on the 1st) is recorded in its
    /// own month's file and priced with that month's free tier, counted with what every
    /// shim sharing the log recorded there, including after the change; the new month's
    /// tier is left whole.
    #[test]
    fn a_call_across_the_month_change_is_priced_in_its_own_month() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let (jan, feb) = (JAN, FEB);
        let (mut a, mut b) = (clocked(&dir, jan), clocked(&dir, jan));
        let p = per_call(Some(2));
        assert_eq!(settle_at(&mut a, &p, "2027-01-31T23:59:58.000Z"), 0);
        NOW.with(|n| n.set(feb));
        // Begun in January, answered in February: January's second free call, then its
        // first charged one (b's call, appended after a last read January, is counted).
        assert_eq!(settle_at(&mut b, &p, "2027-01-31T23:59:59.000Z"), 0);
        assert_eq!(settle_at(&mut a, &p, "2027-01-31T23:59:59.500Z"), 50_000);
        assert_eq!(settle_at(&mut b, &p, "2027-01-31T23:59:59.900Z"), 50_000);
        // February's tier is untouched.
        assert_eq!(settle_at(&mut a, &p, "2027-02-01T00:00:01.000Z"), 0);
        assert_eq!(settle_at(&mut b, &p, "2027-02-01T00:00:02.000Z"), 0);
        assert_eq!(settle_at(&mut a, &p, "2027-02-01T00:00:03.000Z"), 50_000);
        let costs = |m: Month| -> Vec<u64> {
            std::fs::read_to_string(dir.partition(Partition::Events, m))
                .unwrap()
                .lines()
                .map(|l| {
                    serde_json::from_str::<Value>(l).unwrap()["cost_microcents"]
                        .as_u64()
                        .unwrap()
                })
                .collect()
        };
        assert_eq!(costs(jan), [0, 0, 50_000, 50_000]);
        assert_eq!(costs(feb), [0, 0, 50_000]);
        // A shim started in February counts January from its file when a call of it ends.
        let mut c = clocked(&dir, feb);
        assert_eq!(settle_at(&mut c, &p, "2027-01-31T23:59:59.950Z"), 50_000);
        assert_eq!(c.usage_in(jan, "a", "search").calls, 5);
        assert_eq!(c.usage("a", "search").calls, 3);
    }

    /// Free tiers are each provider's own: a tool of the same name from another provider,
    /// wrapped by a shim logging to the same directory, takes none of them. The budget is
    /// the agent's: it counts the spend on every provider's tools.
    #[test]
    fn free_tiers_are_per_provider_and_the_spend_is_the_agents() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let tier = per_call(Some(2));
        let mut mine = Ledger::open(&dir, "p").unwrap();
        let mut theirs = Ledger::open(&dir, "q").unwrap();
        let settle_for = |l: &mut Ledger, provider: &str| {
            l.counted(|l| {
                let mut call = finished(Status::Success);
                call.provider = provider.into();
                let s = settle(call, &tier, l.usage("a", "search"));
                l.append_batch(&[(&s.event, None)]).unwrap();
                s.event.cost_microcents.unwrap()
            })
        };
        let theirs_costs: Vec<u64> = (0..3).map(|_| settle_for(&mut theirs, "q")).collect();
        assert_eq!(theirs_costs, [0, 0, 50_000]);
        let mine_costs: Vec<u64> = (0..3).map(|_| settle_for(&mut mine, "p")).collect();
        assert_eq!(mine_costs, [0, 0, 50_000]);
        for l in [&mut mine, &mut theirs] {
            l.counted(|l| assert_eq!(l.spend("a"), 100_000));
        }
        // Read back from the file, as a shim started later reads it.
        let later = Ledger::open(&dir, "p").unwrap();
        assert_eq!(later.usage("a", "search").calls, 3);
        assert_eq!(later.spend("a"), 100_000);
    }

    /// The events file cut short mid-line under a running shim: the next event goes on a
    /// line of its own after the new end, so no reader loses it.
    #[test]
    fn a_log_cut_short_mid_line_loses_no_later_event() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let p = per_call(None);
        let mut l = Ledger::open(&dir, "p").unwrap();
        let settle_one = |l: &mut Ledger| {
            l.locked(|l| {
                let s = settle(finished(Status::Success), &p, l.usage("a", "search"));
                l.append_batch(&[(&s.event, None)])?;
                Ok(s.event.event_id)
            })
            .unwrap()
        };
        for _ in 0..3 {
            settle_one(&mut l);
        }
        let path = l.current_events_path();
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len / 2)
            .unwrap();
        let id = settle_one(&mut l);
        let text = std::fs::read_to_string(&path).unwrap();
        let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        assert_eq!(last["event_id"], id.as_str());
        assert!(
            l.take_notice().iter().any(|n| n.contains("was cut short")),
            "the cut is said"
        );
        // Counted again from what the file holds: its one whole event and this one.
        assert_eq!(l.usage("a", "search").calls, 2);
    }

    /// After a cut, every shim sharing the log counts what it holds, including what
    /// another shim appended after noticing the cut first.
    #[test]
    fn a_cut_is_counted_alike_by_every_shim() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let p = per_call(None);
        let (mut a, mut b) = (
            Ledger::open(&dir, "p").unwrap(),
            Ledger::open(&dir, "p").unwrap(),
        );
        let settle_one = |l: &mut Ledger| {
            l.counted(|l| {
                let s = settle(finished(Status::Success), &p, l.usage("a", "search"));
                l.append_batch(&[(&s.event, None)]).unwrap();
                l.usage("a", "search").calls
            })
        };
        for _ in 0..3 {
            settle_one(&mut a);
            settle_one(&mut b);
        }
        let path = a.current_events_path();
        let text = std::fs::read_to_string(&path).unwrap();
        // Two whole events and half of the third.
        let cut = text.match_indices('\n').nth(1).unwrap().0 + 1 + 40;
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(cut as u64)
            .unwrap();
        assert_eq!(settle_one(&mut a), 3);
        assert_eq!(settle_one(&mut b), 4);
        assert_eq!(settle_one(&mut a), 5);
        let events = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| serde_json::from_str::<Value>(l).is_ok())
            .count();
        assert_eq!(events, 5);
    }

    /// The month a shim started counting before its events could be written (a full disk)
    /// keeps those held lines when it is the current month again (the clock went back and
    /// forth): a tier of one call is not granted twice.
    #[test]
    fn held_lines_of_a_month_survive_the_clock_going_back_and_forth() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let (jan, feb) = (JAN, FEB);
        std::os::unix::fs::symlink("/dev/full", dir.partition(Partition::Events, feb)).unwrap();
        let mut l = clocked(&dir, feb);
        let p = per_call(Some(1));
        assert_eq!(settle_at(&mut l, &p, "2027-02-01T00:00:01.000Z"), 0);
        assert!(l.held_bytes() > 0, "February's line is held");
        NOW.with(|n| n.set(jan));
        assert_eq!(settle_at(&mut l, &p, "2027-01-31T23:59:59.000Z"), 0);
        NOW.with(|n| n.set(feb));
        assert_eq!(settle_at(&mut l, &p, "2027-02-01T00:00:02.000Z"), 50_000);
    }

    /// A shim whose write made the month's file, with no look at the log since, counts its
    /// own line once when the month changes.
    #[test]
    fn the_months_first_line_counts_once_across_the_change() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let (jan, feb) = (JAN, FEB);
        let mut l = clocked(&dir, jan);
        let p = per_call(Some(2));
        // January's file does not exist yet.
        assert_eq!(settle_at(&mut l, &p, "2027-01-31T23:59:50.000Z"), 0);
        NOW.with(|n| n.set(feb));
        assert_eq!(settle_at(&mut l, &p, "2027-01-31T23:59:59.000Z"), 0);
        assert_eq!(settle_at(&mut l, &p, "2027-01-31T23:59:59.500Z"), 50_000);
    }

    /// The month's files moved away just after it ended (an archive step) while calls of
    /// it are still running: its counts are kept, so the late calls are not free again.
    #[test]
    fn a_past_months_file_moved_away_keeps_its_counts() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let (jan, feb) = (JAN, FEB);
        let mut l = clocked(&dir, jan);
        let p = per_call(Some(3));
        for at in ["2027-01-31T23:59:50.000Z", "2027-01-31T23:59:51.000Z"] {
            assert_eq!(settle_at(&mut l, &p, at), 0);
        }
        NOW.with(|n| n.set(feb));
        assert_eq!(settle_at(&mut l, &p, "2027-01-31T23:59:55.000Z"), 0);
        let archive = tmp.path().join("archive.jsonl");
        std::fs::rename(dir.partition(Partition::Events, jan), &archive).unwrap();
        assert_eq!(settle_at(&mut l, &p, "2027-01-31T23:59:56.000Z"), 50_000);
        assert_eq!(settle_at(&mut l, &p, "2027-01-31T23:59:57.000Z"), 50_000);
        // The late calls went to a new file at the month's path, not to the archive.
        let lines = |p: &std::path::Path| std::fs::read_to_string(p).unwrap().lines().count();
        assert_eq!(lines(&archive), 3);
        assert_eq!(lines(&dir.partition(Partition::Events, jan)), 2);
        assert_eq!(l.usage_in(jan, "a", "search").calls, 5);
        assert!(
            l.take_notice()
                .iter()
                .any(|n| n.contains("was moved or removed after its month ended")),
            "the move is said"
        );
    }

    /// A FIFO where a past month's events file belongs is refused, not opened: the open
    /// would block while the shim holds the directory's lock.
    #[test]
    fn a_fifo_in_place_of_a_past_months_file_does_not_block() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let jan = Month {
            year: 2027,
            month: 1,
        };
        let fifo = dir.partition(Partition::Events, jan);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut l = Ledger::open(&dir, "p").unwrap();
            let usage = l.counted(|l| l.usage_in(jan, "a", "search"));
            let _ = tx.send((usage, l.take_notice()));
        });
        let (usage, notice) = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("usage_in returned instead of waiting on the FIFO");
        assert_eq!(usage, MonthUsage::default());
        assert!(
            notice
                .iter()
                .any(|n| n.contains("is not a regular file (a FIFO or a socket)")),
            "{notice:?}"
        );
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
        let l = Ledger::open(&dir, "p").unwrap();
        assert_eq!(l.usage("a", "search"), MonthUsage::default());
        assert_eq!(l.spend("a"), 0);
    }

    /// The events file replaced by a copy of itself (a log moved to another disk and linked
    /// back, a restore) is the same log: reading goes on where it stopped, so no call is
    /// counted twice and no free call charged; appends go to the copy. A file that is not a
    /// copy is a new one: the month's counts are kept and its lines added.
    #[test]
    fn a_copy_put_in_place_of_the_log_is_not_counted_again() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let p = per_call(Some(5));
        let mut l = Ledger::open(&dir, "p").unwrap();
        let events = l.current_events_path();
        let settle_one = |l: &mut Ledger| {
            l.locked(|l| {
                let s = settle(finished(Status::Success), &p, l.usage("a", "search"));
                l.append_batch(&[(&s.event, None)])?;
                Ok(s.event.cost_microcents.unwrap())
            })
            .unwrap()
        };
        let mut costs: Vec<u64> = (0..3).map(|_| settle_one(&mut l)).collect();
        let copy = tmp.path().join("copy.jsonl");
        std::fs::copy(&events, &copy).unwrap();
        std::fs::rename(&copy, &events).unwrap();
        costs.extend((0..3).map(|_| settle_one(&mut l)));
        assert_eq!(costs, [0, 0, 0, 0, 0, 50_000]);
        assert!(
            l.take_notice()
                .iter()
                .any(|n| n.contains("replaced by a copy")),
            "said"
        );
        let lines = std::fs::read_to_string(&events).unwrap().lines().count();
        assert_eq!(lines, 6, "the appends after the copy are in it");
        // Not a copy: another file put in its place counts as new lines.
        let other = tmp.path().join("other.jsonl");
        let first = std::fs::read_to_string(&events).unwrap();
        std::fs::write(&other, first.lines().next().unwrap().to_owned() + "\n").unwrap();
        std::fs::rename(&other, &events).unwrap();
        assert_eq!(settle_one(&mut l), 50_000);
        assert_eq!(l.usage("a", "search").calls, 8, "6 kept, 1 read, 1 new");
    }

    #[test]
    #[allow(clippy::many_single_char_names)]
    fn counts_across_writers_and_survives_torn_lines() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let p = per_call(Some(2));
        let mut a = Ledger::open(&dir, "p").unwrap();
        let mut b = Ledger::open(&dir, "p").unwrap();
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
        // The receipts file too, which this ledger does not read.
        let receipts = dir.partition(Partition::Receipts, Month::current());
        std::fs::OpenOptions::new()
            .append(true)
            .open(&receipts)
            .unwrap()
            .write_all(b"{\"receipt_id\":\"rcpt_0")
            .unwrap();
        b.locked(|l| {
            let mut call = finished(Status::Success);
            call.receipt = Some(begun(&signer, &call, None));
            let s = settle(call, &p, l.usage("a", "search"));
            l.append_batch(&[(&s.event, s.receipt_json.as_deref())])
        })
        .unwrap();
        let c = Ledger::open(&dir, "p").unwrap();
        assert_eq!(c.skipped, 1);
        assert_eq!(c.spend("a"), 150_000);
        assert_eq!(c.usage("a", "search").calls, 5);
        let text = std::fs::read_to_string(&receipts).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6, "{text}");
        assert_eq!(lines[4], "{\"receipt_id\":\"rcpt_0");
        assert!(serde_json::from_str::<Value>(lines[5]).is_ok(), "{text}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn lines_that_cannot_be_written_are_held_counted_and_written_later() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let p = per_call(Some(2));
        let signer = Signer::new(&Secret::from_text("k").unwrap());
        let mut l = Ledger::open(&dir, "p").unwrap();
        let events = l.current_events_path();
        let receipts = dir.partition(Partition::Receipts, Month::current());
        // A full disk: every write fails with ENOSPC.
        std::os::unix::fs::symlink("/dev/full", &events).unwrap();
        std::os::unix::fs::symlink("/dev/full", &receipts).unwrap();
        let settle_one = |l: &mut Ledger| {
            l.locked(|l| {
                let mut call = finished(Status::Success);
                call.receipt = Some(begun(&signer, &call, None));
                let s = settle(call, &p, l.usage("a", "search"));
                l.append_batch(&[(&s.event, s.receipt_json.as_deref())])?;
                Ok((s.event.event_id.clone(), s.event.cost_microcents.unwrap()))
            })
            .unwrap()
        };
        let mut ids = Vec::new();
        let mut costs = Vec::new();
        for _ in 0..3 {
            let (id, cost) = settle_one(&mut l);
            ids.push(id);
            costs.push(cost);
        }
        // Held lines still count: the free tier of 2 is not granted again.
        assert_eq!(costs, [0, 0, 50_000]);
        assert!(l.held_bytes() > 0);
        let notice = l.take_notice();
        assert_eq!(
            notice.len(),
            1,
            "one notice for the failure, not one per write: {notice:?}"
        );
        assert!(notice[0].contains("No space left on device"), "{notice:?}");
        // Space again: the next append writes the held lines first, then its own.
        for path in [&events, &receipts] {
            std::fs::remove_file(path).unwrap();
        }
        ids.push(settle_one(&mut l).0);
        assert_eq!(l.held_bytes(), 0);
        // (The links to /dev/full were removed, which is said too.)
        let notice = l.take_notice();
        assert!(
            notice.iter().any(|n| n.contains("writable again")),
            "{notice:?}"
        );
        let written: Vec<String> = std::fs::read_to_string(&events)
            .unwrap()
            .lines()
            .map(|line| {
                serde_json::from_str::<Value>(line).unwrap()["event_id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(written, ids);
        assert_eq!(
            std::fs::read_to_string(&receipts).unwrap().lines().count(),
            4
        );
        let fresh = Ledger::open(&dir, "p").unwrap();
        assert_eq!(fresh.usage("a", "search").calls, 4);
        assert_eq!(fresh.spend("a"), 100_000);

        // Still full at exit: what is held goes to the notices (stderr), whole lines.
        // (A new ledger: `l` keeps the file it has open.)
        std::fs::remove_file(&events).unwrap();
        std::os::unix::fs::symlink("/dev/full", &events).unwrap();
        let mut l = Ledger::open(&dir, "p").unwrap();
        let last = settle_one(&mut l).0;
        l.take_notice();
        l.finish().unwrap();
        let notice = l.take_notice();
        let given_up: Vec<&String> = notice
            .iter()
            .filter(|n| n.starts_with("unwritten event"))
            .collect();
        assert_eq!(given_up.len(), 1, "{notice:?}");
        assert!(given_up[0].contains(&last), "{notice:?}");
        let json = given_up[0].split_once("): ").unwrap().1;
        assert_eq!(
            serde_json::from_str::<Value>(json).unwrap()["event_id"],
            last.as_str()
        );
        assert_eq!(l.held_bytes(), 0);
    }

    /// An append longer than the held-lines limit (an event recording a result of
    /// megabytes) is written whole, its receipt too: the limit is for a backlog only.
    #[test]
    fn an_append_longer_than_the_held_limit_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let signer = Signer::new(&Secret::from_text("k").unwrap());
        let mut l = Ledger::open(&dir, "p").unwrap();
        l.locked(|l| {
            let mut call = finished(Status::Success);
            call.receipt = Some(begun(&signer, &call, None));
            let mut s = settle(call, &per_call(None), l.usage("a", "search"));
            s.event
                .metadata
                .insert("result".into(), Value::String("r".repeat(HELD_LIMIT + 10)));
            l.append_batch(&[(&s.event, s.receipt_json.as_deref())])
        })
        .unwrap();
        assert_eq!(l.take_notice(), Vec::<String>::new());
        assert_eq!(l.held_bytes(), 0);
        let events = std::fs::read_to_string(l.current_events_path()).unwrap();
        assert!(events.len() > HELD_LIMIT);
        let receipts = dir.partition(Partition::Receipts, Month::current());
        assert_eq!(
            std::fs::read_to_string(receipts).unwrap().lines().count(),
            1
        );
    }

    /// An event whose newline never landed is counted as the readers that come later
    /// count it (the next append puts the newline after it).
    #[test]
    fn an_event_cut_just_before_its_newline_counts() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let p = per_call(Some(2));
        let mut l = Ledger::open(&dir, "p").unwrap();
        let event = l
            .locked(|l| {
                let s = settle(finished(Status::Success), &p, l.usage("a", "search"));
                Ok(serde_json::to_string(&s.event).unwrap())
            })
            .unwrap();
        std::fs::write(l.current_events_path(), &event).unwrap();
        let mut l = Ledger::open(&dir, "p").unwrap();
        assert_eq!(l.usage("a", "search").calls, 1);
        assert_eq!(l.skipped, 0);
        l.locked(|l| {
            let s = settle(finished(Status::Success), &p, l.usage("a", "search"));
            l.append_batch(&[(&s.event, None)])
        })
        .unwrap();
        let text = std::fs::read_to_string(l.current_events_path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.starts_with(&format!("{event}\n")));
        assert_eq!(
            Ledger::open(&dir, "p").unwrap().usage("a", "search").calls,
            2
        );
    }

    /// After `finish` (the shim is exiting) nothing more is written: a line begun then
    /// could be cut between its event and its receipt.
    #[test]
    fn nothing_is_appended_after_finish() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = LogDir::open(Some(tmp.path())).unwrap();
        let signer = Signer::new(&Secret::from_text("k").unwrap());
        let mut l = Ledger::open(&dir, "p").unwrap();
        let append = |l: &mut Ledger| {
            l.locked(|l| {
                let mut call = finished(Status::Success);
                call.receipt = Some(begun(&signer, &call, None));
                let s = settle(call, &per_call(None), l.usage("a", "search"));
                l.append_batch(&[(&s.event, s.receipt_json.as_deref())])
            })
            .unwrap();
        };
        append(&mut l);
        l.finish().unwrap();
        append(&mut l);
        let events = std::fs::read_to_string(l.current_events_path()).unwrap();
        let receipts = dir.partition(Partition::Receipts, Month::current());
        let receipts = std::fs::read_to_string(receipts).unwrap();
        assert_eq!((events.lines().count(), receipts.lines().count()), (1, 1));
        assert!(l.take_notice().is_empty());
    }

    #[test]
    fn a_line_that_landed_but_its_newline_is_not_written_again() {
        let bytes = b"{\"a\":1}\n{\"b\":2}\n";
        assert_eq!(lines_done(bytes, 0), 0);
        assert_eq!(lines_done(bytes, 3), 0, "torn: written again whole");
        assert_eq!(lines_done(bytes, 7), 8, "all but its newline: done");
        assert_eq!(lines_done(bytes, 8), 8);
        assert_eq!(lines_done(bytes, 12), 8);
        assert_eq!(lines_done(bytes, 15), 16);
    }

    #[test]
    fn lines_said_on_stderr_stay_json_with_the_same_value() {
        let line = json_text("x\u{85}\u{202e}y\u{1b}");
        let safe = terminal_safe_json(&line);
        assert!(!safe.chars().any(crate::output::needs_escape), "{safe}");
        assert_eq!(
            serde_json::from_str::<Value>(&safe).unwrap(),
            serde_json::from_str::<Value>(&line).unwrap()
        );
        assert!(matches!(terminal_safe_json("{\"a\":1}"), Cow::Borrowed(_)));
    }

    fn json_text(s: &str) -> String {
        serde_json::json!({ "params": s }).to_string()
    }
}
