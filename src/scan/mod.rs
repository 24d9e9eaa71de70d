//! Log scanning at scale for the analytics commands: files split into newline-aligned
//! byte ranges scanned on all cores, each thread folding lines into its own accumulator,
//! the accumulators merged at the end. Memory is the accumulators, one read buffer per
//! thread, and an 8-byte fingerprint per event id, sorted at the end to find an event
//! recorded twice.

mod event;
mod fast;
mod hist;
pub mod time;

pub use event::{Event, EventRef, Lenient, MetaKey, MetaRef, Text, parse_event, parse_event_owned};
pub use hist::{DENSE_MAX_MS, LatencyHist, nearest_rank};

use std::hash::Hasher;
use std::io::{BufRead, IsTerminal, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::eventlog::ScanStats;

/// Bytes per unit of work: files are cut into ranges of about this size.
const PIECE: u64 = 16 * 1024 * 1024;
/// Read buffer per thread.
const BUF: usize = 2 * 1024 * 1024;
/// Lines longer than this are skipped (and counted) instead of buffered whole.
const MAX_LINE: usize = crate::eventlog::MAX_LINE as usize;

/// A fast non-cryptographic hasher (FxHash) for the per-key accumulators, whose
/// keys are short ids from the user's own logs. SipHash showed up in profiles.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hash map keyed by log strings, hashed with [`FxHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// The fingerprints of the event ids a thread has read, in reading order until the thread
/// sorts them to find a repeat: 8 bytes per event, written in sequence (a hash set cost
/// several times that, in memory and in cache misses).
type Seen = Vec<u64>;

/// A fingerprint `seen` holds twice, once it is sorted.
fn repeated_in(seen: &[u64]) -> Option<u64> {
    seen.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

/// A fingerprint both sorted lists hold.
fn common(a: &[u64], b: &[u64]) -> Option<u64> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return Some(a[i]),
        }
    }
    None
}

/// Accumulators that can absorb another thread's.
pub trait Merge {
    /// Add `other`'s counts to `self`.
    fn merge(&mut self, other: Self);
}

/// How to scan.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Show a progress bar on stderr when the scan takes over a second (TTY only).
    pub progress: bool,
    /// Keep a fingerprint of every event id (8 bytes each) to find an event recorded twice
    /// ([`ScanStats::repeated`]); off where nothing checks it (`serve`'s scores).
    pub repeats: bool,
}

impl ScanOptions {
    /// All cores; a progress bar when stderr is a terminal and `quiet` is off.
    pub fn auto(quiet: bool) -> Self {
        ScanOptions {
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            progress: !quiet && std::io::stderr().is_terminal(),
            repeats: true,
        }
    }

    /// One thread, no progress (for tests and small inputs).
    pub fn serial() -> Self {
        ScanOptions {
            threads: 1,
            progress: false,
            repeats: true,
        }
    }
}

/// What a scan's callback made of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Unreadable: counted as skipped.
    Skipped,
    /// Read as an event, with its id's fingerprint ([`id_fingerprint`]; `None` without an
    /// id), taken from the callback's own parse.
    Event(Option<u64>),
    /// Accepted without saying what it held: the scan reads the id itself.
    Accepted,
}

impl From<bool> for Verdict {
    fn from(accepted: bool) -> Self {
        if accepted {
            Verdict::Accepted
        } else {
            Verdict::Skipped
        }
    }
}

impl Verdict {
    /// The verdict on an event a callback parsed (`ok`) into `ev`.
    pub fn of(ok: bool, ev: &Event<'_>) -> Self {
        if ok {
            Verdict::Event(id_fingerprint(ev.e.event_id.as_deref()))
        } else {
            Verdict::Skipped
        }
    }
}

/// The fingerprint a scan keeps of an event id (see [`ScanStats::repeated`]); `None` for no
/// id or an empty one, which make each event its own.
pub fn id_fingerprint(id: Option<&str>) -> Option<u64> {
    id.filter(|id| !id.is_empty())
        .map(|id| fingerprint(id.as_bytes()))
}

/// Scan meter events in `paths` in parallel: `on_event` folds each readable event into
/// the thread's accumulator (made by `make`); unreadable lines are counted as skipped.
pub fn scan_events<A, M, F>(
    paths: &[PathBuf],
    opts: ScanOptions,
    make: M,
    on_event: F,
) -> Result<(A, ScanStats)>
where
    A: Merge + Send,
    M: Fn() -> A + Sync,
    F: Fn(&mut A, &Event<'_>) + Sync,
{
    scan_lines(paths, opts, PIECE, make, |acc, line| {
        let mut ev = Event::default();
        let ok = parse_event(line, &mut ev);
        if ok {
            on_event(acc, &ev);
        }
        Verdict::of(ok, &ev)
    })
}

/// Scan lines in file order on one thread (for output that must keep the log's order),
/// with the same reader and progress bar as the parallel scans (`opts.threads` is taken as
/// 1). `state` is threaded through every call of `on_line` and handed back.
pub fn scan_ordered<A, F, V>(
    paths: &[PathBuf],
    opts: ScanOptions,
    state: A,
    on_line: F,
) -> Result<(A, ScanStats)>
where
    A: Send,
    F: Fn(&mut A, &[u8]) -> V + Sync,
    V: Into<Verdict>,
{
    struct One<A>(A);
    impl<A> Merge for One<A> {
        fn merge(&mut self, _: Self) {
            // One thread: there is never another accumulator.
        }
    }
    let slot = Mutex::new(Some(state));
    let opts = ScanOptions { threads: 1, ..opts };
    let (one, stats) = scan_lines(
        paths,
        opts,
        PIECE,
        || {
            One(slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
                .expect("one worker"))
        },
        |acc: &mut One<A>, line| on_line(&mut acc.0, line).into(),
    )?;
    Ok((one.0, stats))
}

/// Scan raw lines in parallel; `on_line` says whether the line was readable (`true`,
/// `false`, or a [`Verdict`] with the event's id).
pub fn scan_lines<A, M, F, V>(
    paths: &[PathBuf],
    opts: ScanOptions,
    piece: u64,
    make: M,
    on_line: F,
) -> Result<(A, ScanStats)>
where
    A: Merge + Send,
    M: Fn() -> A + Sync,
    F: Fn(&mut A, &[u8]) -> V + Sync,
    V: Into<Verdict>,
{
    let firsts = first_ids(paths)?;
    let firsts = (!firsts.is_empty()).then_some(&firsts);
    let mut pieces = Vec::new();
    let mut total_bytes = 0u64;
    for (i, path) in paths.iter().enumerate() {
        let len = crate::input::len(path)
            .with_context(|| format!("cannot open '{}'; check the path", path.display()))?;
        total_bytes += len;
        let n = len.div_ceil(piece).max(1);
        for k in 0..n {
            pieces.push((i, k * piece, ((k + 1) * piece).min(len)));
        }
    }
    let threads = opts.threads.clamp(1, pieces.len().max(1));
    let next = AtomicUsize::new(0);
    let read_bytes = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let first_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);

    let worker = || -> (A, ScanStats, Seen) {
        let mut acc = make();
        let mut stats = ScanStats::default();
        let mut seen = Seen::default();
        let mut buf = vec![0u8; BUF];
        let mut open: Option<(usize, crate::input::Input)> = None;
        loop {
            let idx = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(file_idx, start, end)) = pieces.get(idx) else {
                break;
            };
            let path = &paths[file_idx];
            let result = (|| -> Result<()> {
                if open.as_ref().is_none_or(|(i, _)| *i != file_idx) {
                    let f = crate::input::open(path).with_context(|| {
                        format!("cannot open '{}'; check the path", path.display())
                    })?;
                    open = Some((file_idx, f));
                }
                let file = &mut open.as_mut().expect("opened above").1;
                scan_range(
                    file,
                    Piece {
                        file: file_idx,
                        start,
                        end,
                        firsts,
                        repeats: opts.repeats,
                    },
                    MAX_LINE,
                    &mut buf,
                    (&mut stats, &mut seen),
                    &read_bytes,
                    &mut |line| on_line(&mut acc, line).into(),
                )
                .with_context(|| format!("cannot read {}", crate::input::name(path)))
            })();
            if let Err(e) = result {
                let mut slot = first_error
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                slot.get_or_insert(e);
                next.store(pieces.len(), Ordering::Relaxed);
                break;
            }
        }
        seen.sort_unstable();
        if let Some(fp) = repeated_in(&seen) {
            stats.repeated.get_or_insert(fp);
        }
        (acc, stats, seen)
    };

    let results: Vec<(A, ScanStats, Seen)> = if threads == 1 && !opts.progress {
        vec![worker()]
    } else {
        std::thread::scope(|s| {
            // A thread limit (ulimit -u, a container's) leaves the threads that started to
            // take every piece, or this one alone.
            let handles: Vec<_> = (0..threads)
                .map_while(|_| std::thread::Builder::new().spawn_scoped(s, worker).ok())
                .collect();
            if opts.progress {
                let d = &done;
                let rb = &read_bytes;
                // No progress bar when no thread is left for it.
                let _ = std::thread::Builder::new()
                    .spawn_scoped(s, move || show_progress(d, rb, total_bytes));
            }
            let mut out: Vec<_> = handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect();
            if out.is_empty() {
                out.push(worker());
            }
            done.store(true, Ordering::Relaxed);
            out
        })
    };
    if let Some(e) = first_error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(e);
    }
    let mut seen = Vec::with_capacity(results.len());
    let mut iter = results.into_iter();
    let (mut acc, mut stats) = match iter.next() {
        Some((a, s, ids)) => {
            seen.push(ids);
            (a, s)
        }
        None => (make(), ScanStats::default()),
    };
    for (a, s, ids) in iter {
        acc.merge(a);
        stats.add(s);
        seen.push(ids);
    }
    // Each thread's list is sorted: an id read by two threads is in two lists.
    for (i, a) in seen.iter().enumerate() {
        if stats.repeated.is_some() {
            break;
        }
        stats.repeated = seen[i + 1..].iter().find_map(|b| common(a, b));
    }
    Ok((acc, stats))
}

/// A progress bar on stderr, drawn only once the scan has run for a second.
fn show_progress(done: &AtomicBool, read_bytes: &AtomicU64, total: u64) {
    let started = Instant::now();
    let mut bar: Option<indicatif::ProgressBar> = None;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if bar.is_none() && started.elapsed() >= Duration::from_secs(1) {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} scanning {bytes}/{total_bytes} [{bar:30}] {bytes_per_sec} eta {eta}",
            ) {
                b.set_style(style.progress_chars("=> "));
            }
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_position(read_bytes.load(Ordering::Relaxed).min(total));
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}

/// Feed every line that starts in `[start, end)` of `file` (input number `file_idx`) to
/// `on_line`. A range that
/// does not start at 0 begins after the first newline at or after `start - 1`, so each
/// line belongs to exactly one range. A line that grows past `max_line` bytes is counted
/// as skipped, by the range it starts in, and its bytes are dropped as they are read.
fn scan_range(
    file: &mut crate::input::Input,
    Piece {
        file: file_idx,
        start,
        end,
        firsts,
        repeats,
    }: Piece<'_>,
    max_line: usize,
    buf: &mut Vec<u8>,
    (stats, seen): (&mut ScanStats, &mut Seen),
    read_bytes: &AtomicU64,
    on_line: &mut dyn FnMut(&[u8]) -> Verdict,
) -> std::io::Result<()> {
    let seek_to = start.saturating_sub(1);
    file.seek(SeekFrom::Start(seek_to))?;
    let mut base = seek_to; // file offset of buf[0]
    let mut filled = 0usize;
    let mut line_start = 0usize; // index in buf of the current line
    let mut search = 0usize;
    let mut skip_first = start > 0;
    let mut discarding = false; // inside an over-long line
    let mut discard_from = 0u64; // where the over-long line began
    let mut eof = false;
    loop {
        if let Some(nl) = memchr::memchr(b'\n', &buf[search..filled]) {
            let nl = search + nl;
            let abs = base + line_start as u64;
            if skip_first {
                skip_first = false;
            } else if discarding {
                // The over-long line began in this piece (checked when it was found).
                discarding = false;
                stats.skip(file_idx, discard_from);
                stats.bytes += (nl + 1 - line_start) as u64;
            } else if abs >= end {
                return Ok(());
            } else {
                stats.bytes += (nl + 1 - line_start) as u64;
                feed(
                    without_bom(&buf[line_start..nl], abs),
                    (file_idx, abs, firsts, repeats),
                    (stats, seen),
                    on_line,
                );
            }
            line_start = nl + 1;
            search = line_start;
            continue;
        }
        search = filled;
        if eof {
            let abs = base + line_start as u64;
            if line_start < filled && !skip_first && (discarding || abs < end) {
                stats.bytes += (filled - line_start) as u64;
                if discarding {
                    stats.skip(file_idx, discard_from);
                } else {
                    feed(
                        without_bom(&buf[line_start..filled], abs),
                        (file_idx, abs, firsts, repeats),
                        (stats, seen),
                        on_line,
                    );
                }
            } else if discarding && !skip_first {
                stats.skip(file_idx, discard_from);
            }
            return Ok(());
        }
        if line_start > 0 {
            buf.copy_within(line_start..filled, 0);
            filled -= line_start;
            search -= line_start;
            base += line_start as u64;
            line_start = 0;
        }
        if filled == buf.len() {
            if buf.len() >= max_line || discarding {
                // Drop the over-long line's bytes; its end is still to come. A line that
                // begins at or after `end` is the next piece's.
                if !skip_first && !discarding && base + line_start as u64 >= end {
                    return Ok(());
                }
                if !skip_first {
                    if !discarding {
                        discard_from = base + line_start as u64;
                    }
                    discarding = true;
                    stats.bytes += filled as u64;
                }
                base += filled as u64;
                filled = 0;
                search = 0;
            } else {
                buf.resize(buf.len() * 2, 0);
            }
        }
        let n = file.read(&mut buf[filled..])?;
        read_bytes.fetch_add(n as u64, Ordering::Relaxed);
        if n == 0 {
            eof = true;
        }
        filled += n;
    }
}

/// The first line of a file without the UTF-8 byte order mark some editors write.
#[inline]
fn without_bom(line: &[u8], at: u64) -> &[u8] {
    if at == 0 {
        crate::eventlog::strip_bom(line)
    } else {
        line
    }
}

/// One unit of a scan: the lines that start in `[start, end)` of input number `file`, and
/// the first event ids of the inputs, to find where two of them overlap.
#[derive(Clone, Copy)]
struct Piece<'a> {
    file: usize,
    start: u64,
    end: u64,
    firsts: Option<&'a FirstIds>,
    /// Keep the fingerprints of event ids ([`ScanOptions::repeats`]).
    repeats: bool,
}

/// The event id each input begins with, and that input's index (with two inputs or more).
type FirstIds = FastMap<Vec<u8>, usize>;

/// The event ids the inputs begin with: a line of another input holding one of them means
/// the two overlap (a copy, or part of one), and its events would count twice. Only with
/// two inputs or more; a file that does not begin with an event is left out.
fn first_ids(paths: &[PathBuf]) -> Result<FirstIds> {
    let mut firsts = FirstIds::default();
    if paths.len() < 2 {
        return Ok(firsts);
    }
    for (i, path) in paths.iter().enumerate() {
        if let (crate::kind::Kind::Events, Some(id)) = crate::kind::sniff_first(path)? {
            firsts.entry(id.into_bytes()).or_insert(i);
        }
    }
    Ok(firsts)
}

/// The event id of a line as mcpbill writes it (`{"event_id":"evt_...",`), without a
/// parse; `None` for any other shape, and for an id that is empty or holds an escape
/// (which only a parse reads right).
#[inline]
fn leading_event_id(line: &[u8]) -> Option<&[u8]> {
    let rest = line.strip_prefix(b"{\"event_id\":\"")?;
    let id = &rest[..memchr::memchr(b'"', rest)?];
    (!id.is_empty() && memchr::memchr(b'\\', id).is_none()).then_some(id)
}

/// A line's own `event_id` as a JSON parser reads it (members in any order, escapes
/// decoded), ignoring every other member.
#[derive(serde::Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow, default)]
    event_id: Option<std::borrow::Cow<'a, str>>,
}

/// The input another input begins with whose first event this line holds, if any. Lines as
/// mcpbill writes them are read by their prefix; any other shape (a copy rewritten by
/// another tool, with its keys sorted or spaces after the colons) by the first `"event_id"`
/// member the line holds, which a parse then confirms is the record's own and not a value
/// nested in its params.
#[inline]
fn holds_first_id(line: &[u8], firsts: &FirstIds) -> Option<usize> {
    const KEY: &[u8] = b"\"event_id\"";
    if let Some(id) = leading_event_id(line) {
        return firsts.get(id).copied();
    }
    let candidate = memchr::memmem::find_iter(line, KEY)
        .filter_map(|at| string_member_value(&line[at + KEY.len()..]))
        .any(|id| firsts.contains_key(id));
    if !candidate {
        return None;
    }
    let parsed: IdOnly = serde_json::from_slice(line).ok()?;
    firsts.get(parsed.event_id?.as_bytes()).copied()
}

/// The string after a member's key (`: "value"`, with any spaces), when it has no escapes.
#[inline]
fn string_member_value(after_key: &[u8]) -> Option<&[u8]> {
    let rest = after_key.trim_ascii_start().strip_prefix(b":")?;
    let rest = rest.trim_ascii_start().strip_prefix(b"\"")?;
    Some(&rest[..memchr::memchr(b'"', rest)?])
}

/// The fingerprint of a line's own event id: read by its prefix from lines as mcpbill
/// writes them, otherwise by a parse that reads only that member (so an `event_id` nested
/// in a call's params is never taken for it). `None` without an id, or with an empty one
/// (an event without an id: each is its own).
#[inline]
fn line_fingerprint(line: &[u8]) -> Option<u64> {
    if let Some(id) = leading_event_id(line) {
        return Some(fingerprint(id));
    }
    let parsed: IdOnly = serde_json::from_slice(line).ok()?;
    id_fingerprint(parsed.event_id.as_deref())
}

/// The fingerprint [`Seen`] keeps of an event id.
#[inline]
fn fingerprint(id: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(id);
    // Fx leaves ids that differ only in their last bytes close together: mix once more.
    let x = h.finish();
    (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 32)
}

#[inline]
fn feed(
    line: &[u8],
    (file, at, firsts, repeats): (usize, u64, Option<&FirstIds>, bool),
    (stats, seen): (&mut ScanStats, &mut Seen),
    on_line: &mut dyn FnMut(&[u8]) -> Verdict,
) {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        stats.blank += 1;
        return;
    }
    if let Some(other) = firsts
        .and_then(|f| holds_first_id(line, f))
        .filter(|&other| other != file)
    {
        let here = (crate::eventlog::SkipAt { file, offset: at }, other);
        if stats.overlap.is_none_or(|o| here < o) {
            stats.overlap = Some(here);
        }
    }
    let fingerprint = match on_line(line) {
        Verdict::Skipped => {
            stats.skip(file, at);
            return;
        }
        Verdict::Event(fingerprint) => fingerprint,
        Verdict::Accepted if repeats => line_fingerprint(line),
        Verdict::Accepted => None,
    };
    stats.lines += 1;
    if let Some(fp) = fingerprint.filter(|_| repeats) {
        seen.push(fp);
    }
}

/// An event recorded on two lines of a scan's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// The event's id.
    pub event_id: String,
    /// Where it is first: the input's index and the line number (from 1).
    pub first: (usize, u64),
    /// Where it is again.
    pub again: (usize, u64),
}

/// Find the event whose id has the fingerprint `fp` ([`ScanStats::repeated`]) on two lines
/// of `paths` that both read as events: one sequential read, done only when a scan saw a
/// fingerprint twice. `None` when no two such lines are the same event (two ids with one
/// fingerprint).
pub fn find_repeat(paths: &[PathBuf], fp: u64) -> Result<Option<Repeat>> {
    let mut first = std::collections::HashMap::<String, (usize, u64)>::new();
    for (file, path) in paths.iter().enumerate() {
        let open = || format!("cannot read {}", crate::input::name(path));
        let mut reader = std::io::BufReader::with_capacity(
            256 * 1024,
            crate::input::open(path).with_context(open)?,
        );
        let mut buf = Vec::new();
        let mut number = 0u64;
        loop {
            buf.clear();
            let n = (&mut reader)
                .take(MAX_LINE as u64)
                .read_until(b'\n', &mut buf)
                .with_context(open)?;
            if n == 0 {
                break;
            }
            number += 1;
            if buf.last() != Some(&b'\n') && n as u64 == MAX_LINE as u64 {
                // An over-long line: skipped by the scan, so skipped here to its end.
                skip_line(&mut reader).with_context(open)?;
                continue;
            }
            let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let line = if number == 1 {
                crate::eventlog::strip_bom(line)
            } else {
                line
            };
            if line_fingerprint(line) != Some(fp) {
                continue;
            }
            let Some(id) = parse_event_owned(line)
                .and_then(|e| e.e.event_id)
                .filter(|id| !id.is_empty())
            else {
                continue;
            };
            match first.entry(id.to_string()) {
                std::collections::hash_map::Entry::Occupied(seen) => {
                    return Ok(Some(Repeat {
                        event_id: seen.key().clone(),
                        first: *seen.get(),
                        again: (file, number),
                    }));
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert((file, number));
                }
            }
        }
    }
    Ok(None)
}

/// Read past the rest of the current line.
fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(nl) = memchr::memchr(b'\n', chunk) {
            reader.consume(nl + 1);
            return Ok(());
        }
        let n = chunk.len();
        reader.consume(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An event recorded twice is found wherever the two lines fall: one piece, two pieces
    /// on two threads (found when their fingerprints merge), or two files; and located.
    #[test]
    fn repeated_events_are_found_across_pieces_and_threads() {
        let dir = tempfile::tempdir().unwrap();
        let line = |i: usize| {
            format!(
                "{{\"event_id\":\"evt_{i:024x}\",\"tool_id\":\"t\",\"agent_id\":\"a\",\"provider_id\":\"p\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"duration_ms\":{i},\"status\":\"success\",\"cost_microcents\":0}}\n"
            )
        };
        let text: String = (0..2000).map(line).collect();
        let path = dir.path().join("a.jsonl");
        let scan = |paths: &[PathBuf], piece: u64, threads: usize| {
            let opts = ScanOptions {
                threads,
                progress: false,
                repeats: true,
            };
            scan_lines(paths, opts, piece, Lines::default, |_, _| true)
                .unwrap()
                .1
        };
        std::fs::write(&path, &text).unwrap();
        assert_eq!(scan(std::slice::from_ref(&path), 4096, 2).repeated, None);
        std::fs::write(&path, text.clone() + &line(7)).unwrap();
        // Off where nothing checks it: no fingerprints kept, nothing flagged.
        let off = ScanOptions {
            threads: 2,
            progress: false,
            repeats: false,
        };
        let (_, stats) = scan_lines(
            std::slice::from_ref(&path),
            off,
            4096,
            Lines::default,
            |_, _| true,
        )
        .unwrap();
        assert_eq!(stats.repeated, None);
        for (piece, threads) in [(1 << 20, 1), (4096, 1), (4096, 2), (1000, 3)] {
            let stats = scan(std::slice::from_ref(&path), piece, threads);
            let fp = stats.repeated.expect("found");
            let repeat = find_repeat(std::slice::from_ref(&path), fp)
                .unwrap()
                .unwrap();
            assert_eq!(repeat.event_id, format!("evt_{:024x}", 7));
            assert_eq!((repeat.first, repeat.again), ((0, 8), (0, 2001)));
        }
        let other = dir.path().join("b.jsonl");
        std::fs::write(&path, &text).unwrap();
        std::fs::write(&other, line(5000) + &line(1999)).unwrap();
        let paths = [path.clone(), other];
        let fp = scan(&paths, 4096, 2).repeated.expect("found");
        let repeat = find_repeat(&paths, fp).unwrap().unwrap();
        assert_eq!((repeat.first, repeat.again), ((0, 2000), (1, 2)));
        // A fingerprint with no two events behind it finds nothing.
        assert_eq!(find_repeat(&paths, fingerprint(b"evt_x")).unwrap(), None);
    }

    /// A line holds an input's first event only as its own `event_id`, in any key order and
    /// spacing; the same id as a value nested in the params is not the record's.
    #[test]
    fn first_ids_are_found_in_any_layout() {
        let mut firsts = FirstIds::default();
        firsts.insert(b"evt_a".to_vec(), 7);
        let holds = |line: &str| holds_first_id(line.as_bytes(), &firsts);
        assert_eq!(holds(r#"{"event_id":"evt_a","tool_id":"t"}"#), Some(7));
        assert_eq!(holds(r#"{"agent_id": "x", "event_id": "evt_a"}"#), Some(7));
        assert_eq!(holds(r#"{"event_id" :  "evt_a"}"#), Some(7));
        assert_eq!(
            holds(r#"{"metadata": {"params": {"event_id": "evt_a"}}, "event_id": "evt_b"}"#),
            None
        );
        assert_eq!(
            holds(r#"{"metadata": {"params": {"event_id": "evt_b"}}, "event_id": "evt_a"}"#),
            Some(7)
        );
        assert_eq!(holds(r#"{"event_id":"evt_b"}"#), None);
        assert_eq!(holds(r#"{"event_id": "evt_a""#), None);
    }

    #[derive(Default)]
    struct Lines(Vec<Vec<u8>>);
    impl Merge for Lines {
        fn merge(&mut self, other: Self) {
            self.0.extend(other.0);
        }
    }

    #[test]
    fn over_long_lines_are_counted_once_wherever_the_pieces_split() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        let text = format!("a\n{}\nb\n{}", "x".repeat(50), "y".repeat(40));
        std::fs::write(&path, &text).unwrap();
        let len = text.len() as u64;
        for mid in 0..=len {
            let mut fed = Vec::new();
            let mut stats = ScanStats::default();
            for range in [(0, mid), (mid, len)] {
                let mut file = crate::input::open(&path).unwrap();
                let mut buf = vec![0u8; 8];
                scan_range(
                    &mut file,
                    Piece {
                        file: 3,
                        start: range.0,
                        end: range.1,
                        firsts: None,
                        repeats: true,
                    },
                    16,
                    &mut buf,
                    (&mut stats, &mut Seen::default()),
                    &AtomicU64::new(0),
                    &mut |l| {
                        fed.push(l.to_vec());
                        Verdict::Accepted
                    },
                )
                .unwrap();
            }
            assert_eq!(fed, [b"a".to_vec(), b"b".to_vec()], "split at {mid}");
            assert_eq!((stats.lines, stats.skipped), (2, 2), "split at {mid}");
            // The first over-long line starts at byte 2, wherever the split falls.
            let first = stats.first_skip.map(|at| (at.file, at.offset));
            assert_eq!(first, Some((3, 2)), "split at {mid}");
            assert_eq!(stats.bytes, len, "split at {mid}");
        }
    }

    #[test]
    fn every_line_once_whatever_the_piece_size() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = Vec::new();
        for i in 0..200 {
            text.extend_from_slice(format!("line-{i}-{}\n", "x".repeat(i % 37)).as_bytes());
            if i % 50 == 0 {
                text.extend_from_slice(b"\n  \r\n");
            }
        }
        text.extend_from_slice(b"torn-last");
        let path = dir.path().join("a.jsonl");
        std::fs::write(&path, &text).unwrap();
        let empty = dir.path().join("empty.jsonl");
        std::fs::write(&empty, b"").unwrap();
        let paths = vec![path, empty];
        for piece in [1u64, 2, 3, 7, 64, 1000, 1 << 20] {
            for threads in [1, 3] {
                let opts = ScanOptions {
                    threads,
                    progress: false,
                    repeats: true,
                };
                let (acc, stats) =
                    scan_lines(&paths, opts, piece, Lines::default, |acc: &mut Lines, l| {
                        acc.0.push(l.to_vec());
                        !l.starts_with(b"torn") && !l.starts_with(b"line-77-")
                    })
                    .unwrap();
                let mut got = acc.0;
                got.sort();
                let mut want: Vec<Vec<u8>> = text
                    .split(|&b| b == b'\n')
                    .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
                    .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                    .collect();
                want.sort();
                assert_eq!(got, want, "piece {piece} threads {threads}");
                assert_eq!(stats.lines, 199);
                assert_eq!(stats.skipped, 2);
                // The first skipped line in input order, whichever thread met it first.
                let at = stats.first_skip.unwrap();
                assert_eq!(at.file, 0);
                let line = crate::eventlog::line_number(&paths[0], at.offset).unwrap();
                let text_line = text.split(|&b| b == b'\n').nth(line as usize - 1).unwrap();
                assert!(
                    text_line.starts_with(b"line-77-"),
                    "piece {piece}: line {line}"
                );
                assert_eq!(stats.blank, 8);
                assert_eq!(stats.bytes, text.len() as u64);
            }
        }
    }
}
