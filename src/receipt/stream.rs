//! Verifying a whole input in constant memory: detect one JSON document or JSON Lines,
//! cut JSON Lines into chunks of whole lines, verify the chunks on a small pool of worker
//! threads, and hand the rendered verdicts back in input order.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use serde::Serialize;
use serde_json::Value;

use super::sign::Invalid;
use super::verify::{KeySet, Outcome, verify_document, verify_line};
use crate::output::escape_terminal;

/// Bytes of input per chunk handed to a worker.
const CHUNK: usize = 1 << 20;
/// A longer line is reported invalid and skipped, never buffered whole.
pub const MAX_LINE: usize = 4 << 20;
/// The largest single (pretty-printed) JSON document read whole.
pub const MAX_DOCUMENT: usize = 4 << 20;

/// How verdicts are rendered.
#[derive(Debug, Clone)]
pub enum Style {
    /// One human line per receipt; the prefixes may carry colour.
    Human {
        /// Prefix of a valid verdict.
        valid: String,
        /// Prefix of an invalid verdict.
        invalid: String,
    },
    /// JSON Lines `{receipt_id, valid, reason, detail, file, line}`.
    Json,
    /// The spec's verification response per receipt.
    Spec {
        /// Pretty-printed documents instead of JSON Lines.
        pretty: bool,
        /// RFC 3339 time of this run.
        verified_at: String,
    },
}

/// Counts over one or more inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Authentic receipts.
    pub valid: u64,
    /// Refused receipts, including lines that are not JSON.
    pub invalid: u64,
    /// Of the invalid: lines or documents that are not JSON (torn, garbage, too long).
    pub not_json: u64,
    /// Blank lines skipped.
    pub blank: u64,
    /// An input began like one JSON document but went on past [`MAX_DOCUMENT`], so it was
    /// read as JSON Lines (said on stderr, with how to split it).
    #[serde(skip)]
    pub oversized_document: bool,
    /// Of the invalid: receipts whose signature does not match (the wrong key, or a change).
    #[serde(skip)]
    pub bad_signature: u64,
    /// Of the not JSON: lines longer than [`MAX_LINE`], skipped unread.
    #[serde(skip)]
    pub overlong: u64,
}

impl Tally {
    /// Receipts seen (valid + invalid).
    pub fn receipts(&self) -> u64 {
        self.valid + self.invalid
    }

    /// Add another tally.
    pub fn add(&mut self, o: Tally) {
        self.valid += o.valid;
        self.invalid += o.invalid;
        self.not_json += o.not_json;
        self.blank += o.blank;
        self.oversized_document |= o.oversized_document;
        self.bad_signature += o.bad_signature;
        self.overlong += o.overlong;
    }
}

/// Everything a worker needs to verify and render.
#[derive(Debug)]
pub struct Job<'a> {
    /// The keys.
    pub keys: &'a KeySet,
    /// The rendering.
    pub style: &'a Style,
    /// The input's name as shown (`<stdin>` for standard input).
    pub label: &'a str,
    /// Worker threads for JSON Lines input (at least 1).
    pub workers: usize,
}

/// Verify every receipt of `reader`, passing rendered verdicts to `emit` in input order.
/// Errors are I/O errors of the reader or of `emit`; bad receipts are verdicts.
pub fn verify_reader(
    job: &Job<'_>,
    mut reader: impl Read,
    emit: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<Tally> {
    let mut head = Vec::with_capacity(64 * 1024);
    let eof = fill(&mut reader, &mut head, CHUNK)?;
    let mut oversized_document = false;
    if looks_like_document(&head, eof) || starts_an_array(&head) {
        let eof = eof || fill(&mut reader, &mut head, MAX_DOCUMENT)?;
        oversized_document = !eof;
        if eof {
            let line = first_line_number(&head);
            match crate::doc::from_slice(&head) {
                Ok(value) => return verify_whole(job, &value, line, emit),
                Err(e @ crate::doc::DocError::Duplicate { .. }) => {
                    // One JSON document, but an ambiguous one: refused as a whole.
                    let mut tally = Tally::default();
                    let mut out = Vec::new();
                    let outcome = Outcome::Invalid {
                        receipt_id: None,
                        reason: Invalid::from_doc(&e),
                    };
                    render(job, &mut out, &mut tally, &outcome, Some(line), None);
                    emit(&out)?;
                    return Ok(tally);
                }
                Err(_) => {}
            }
        }
    }
    let mut tally = verify_lines(job, io::Cursor::new(head).chain(reader), emit)?;
    tally.oversized_document = oversized_document;
    Ok(tally)
}

/// Read until `buf` holds `limit` bytes or the reader ends; true at the end.
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, limit: usize) -> io::Result<bool> {
    while buf.len() < limit {
        let start = buf.len();
        buf.resize(start + (limit - start).min(256 * 1024), 0);
        match reader.read(&mut buf[start..]) {
            Ok(0) => {
                buf.truncate(start);
                return Ok(true);
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// The input starts with `[`: a JSON array of receipts, on one line or many (a line of
/// JSON Lines is one receipt, an object).
fn starts_an_array(head: &[u8]) -> bool {
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}

/// The first non-blank line starts a JSON value that it does not finish: a
/// pretty-printed document (or a torn line, which the line reader then reports).
fn looks_like_document(head: &[u8], eof: bool) -> bool {
    let Some(start) = head.iter().position(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    if !matches!(head[start], b'{' | b'[') {
        return false;
    }
    let rest = &head[start..];
    let line = match memchr::memchr(b'\n', rest) {
        Some(end) => &rest[..end],
        None if eof => rest,
        None => return false,
    };
    matches!(serde_json::from_slice::<Value>(line), Err(e) if e.is_eof())
}

fn first_line_number(bytes: &[u8]) -> u64 {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    1 + memchr::memchr_iter(b'\n', &bytes[..start]).count() as u64
}

/// One document: a receipt, or an array of receipts.
fn verify_whole(
    job: &Job<'_>,
    value: &Value,
    line: u64,
    emit: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<Tally> {
    let mut tally = Tally::default();
    let mut out = Vec::new();
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let line = (items.len() == 1).then_some(line);
    for item in items {
        let outcome = verify_document(job.keys, item);
        render(job, &mut out, &mut tally, &outcome, line, Some(item));
    }
    emit(&out)?;
    Ok(tally)
}

/// A chunk of whole lines for a worker.
struct Chunk {
    first_line: u64,
    bytes: Vec<u8>,
    /// The chunk is one line longer than [`MAX_LINE`], already skipped.
    overlong: bool,
}

struct Done {
    out: Vec<u8>,
    tally: Tally,
}

/// JSON Lines, verified on `job.workers` threads, rendered in input order.
fn verify_lines(
    job: &Job<'_>,
    reader: impl Read,
    emit: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<Tally> {
    let workers = job.workers.max(1);
    let mut lines = LineChunks {
        reader,
        carry: Vec::new(),
        eof: false,
        next_line: 1,
    };
    std::thread::scope(|scope| {
        let mut to_worker: Vec<SyncSender<Chunk>> = Vec::with_capacity(workers);
        let mut from_worker: Vec<Receiver<Done>> = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (tx_in, rx_in) = sync_channel::<Chunk>(1);
            let (tx_out, rx_out) = sync_channel::<Done>(1);
            let spawned = std::thread::Builder::new().spawn_scoped(scope, move || {
                let mut scratch = Vec::with_capacity(256);
                for chunk in rx_in {
                    let done = process(job, &chunk, &mut scratch);
                    if tx_out.send(done).is_err() {
                        break;
                    }
                }
            });
            if spawned.is_err() {
                // A thread limit (ulimit -u, a container's): the threads started do the
                // work, or this one alone.
                break;
            }
            to_worker.push(tx_in);
            from_worker.push(rx_out);
        }
        let workers = to_worker.len();
        let mut tally = Tally::default();
        if workers == 0 {
            let mut scratch = Vec::with_capacity(256);
            while let Some(chunk) = lines.next_chunk()? {
                let done = process(job, &chunk, &mut scratch);
                tally.add(done.tally);
                if !done.out.is_empty() {
                    emit(&done.out)?;
                }
            }
            return Ok(tally);
        }
        let mut pending: VecDeque<usize> = VecDeque::with_capacity(2 * workers);
        let mut seq = 0usize;
        while let Some(chunk) = lines.next_chunk()? {
            if pending.len() == 2 * workers {
                let w = pending.pop_front().expect("pending is not empty");
                collect(&from_worker[w], &mut tally, emit)?;
            }
            let w = seq % workers;
            seq += 1;
            to_worker[w]
                .send(chunk)
                .map_err(|_| io::Error::other("a verification worker stopped"))?;
            pending.push_back(w);
        }
        while let Some(w) = pending.pop_front() {
            collect(&from_worker[w], &mut tally, emit)?;
        }
        Ok(tally)
    })
}

fn collect(
    rx: &Receiver<Done>,
    tally: &mut Tally,
    emit: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let done = rx
        .recv()
        .map_err(|_| io::Error::other("a verification worker stopped"))?;
    tally.add(done.tally);
    if done.out.is_empty() {
        Ok(())
    } else {
        emit(&done.out)
    }
}

/// Verify and render every line of a chunk.
fn process(job: &Job<'_>, chunk: &Chunk, scratch: &mut Vec<u8>) -> Done {
    let mut out = Vec::with_capacity(chunk.bytes.len() / 4);
    let mut tally = Tally::default();
    if chunk.overlong {
        let outcome = Outcome::Invalid {
            receipt_id: None,
            reason: Invalid::NotJson {
                detail: format!("line longer than {} MiB, skipped", MAX_LINE >> 20),
            },
        };
        render(
            job,
            &mut out,
            &mut tally,
            &outcome,
            Some(chunk.first_line),
            None,
        );
        tally.overlong += 1;
        return Done { out, tally };
    }
    let mut line_no = chunk.first_line;
    let mut rest = chunk.bytes.as_slice();
    while !rest.is_empty() {
        let (mut line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            tally.blank += 1;
        } else {
            let outcome = verify_line(job.keys, line, scratch);
            if matches!(job.style, Style::Spec { .. }) {
                let value = serde_json::from_slice::<Value>(line).ok();
                render(
                    job,
                    &mut out,
                    &mut tally,
                    &outcome,
                    Some(line_no),
                    value.as_ref(),
                );
            } else {
                render(job, &mut out, &mut tally, &outcome, Some(line_no), None);
            }
        }
        line_no += 1;
    }
    Done { out, tally }
}

#[derive(Serialize)]
struct JsonVerdict<'a> {
    receipt_id: Option<&'a str>,
    valid: bool,
    reason: Option<&'static str>,
    detail: Option<String>,
    file: &'a str,
    line: Option<u64>,
}

#[derive(Serialize)]
struct SpecResponse<'a> {
    receipt: Option<&'a Value>,
    verification: SpecVerification<'a>,
}

#[derive(Serialize)]
struct SpecVerification<'a> {
    valid: bool,
    algorithm: &'static str,
    verified_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

/// Render one verdict into `out` and count it.
fn render(
    job: &Job<'_>,
    out: &mut Vec<u8>,
    tally: &mut Tally,
    outcome: &Outcome<'_>,
    line: Option<u64>,
    receipt: Option<&Value>,
) {
    let (id, invalid) = match outcome {
        Outcome::Valid { receipt_id } => {
            tally.valid += 1;
            (Some(receipt_id.as_ref()), None)
        }
        Outcome::Invalid { receipt_id, reason } => {
            tally.invalid += 1;
            match reason {
                Invalid::NotJson { .. } => tally.not_json += 1,
                Invalid::BadSignature => tally.bad_signature += 1,
                _ => {}
            }
            (receipt_id.as_deref(), Some(reason))
        }
    };
    match job.style {
        Style::Human {
            valid,
            invalid: bad,
        } => match invalid {
            None => {
                // A valid receipt's id was checked to be `rcpt_` + lowercase hex: nothing to escape.
                out.extend_from_slice(valid.as_bytes());
                out.extend_from_slice(id.unwrap_or("-").as_bytes());
                out.push(b'\n');
            }
            Some(reason) => {
                out.extend_from_slice(bad.as_bytes());
                out.extend_from_slice(escape_terminal(id.unwrap_or("-")).as_bytes());
                let place = match line {
                    Some(n) => format!("  {}:{n}", escape_terminal(job.label)),
                    None => format!("  {}", escape_terminal(job.label)),
                };
                out.extend_from_slice(place.as_bytes());
                let text = format!(
                    "  [{}] {}\n",
                    reason.code(),
                    escape_terminal(&reason.to_string())
                );
                out.extend_from_slice(text.as_bytes());
            }
        },
        Style::Json => {
            let v = JsonVerdict {
                receipt_id: id,
                valid: invalid.is_none(),
                reason: invalid.map(Invalid::code),
                detail: invalid.map(ToString::to_string),
                file: job.label,
                line,
            };
            serde_json::to_writer(&mut *out, &v).expect("writing JSON to a Vec cannot fail");
            out.push(b'\n');
        }
        Style::Spec {
            pretty,
            verified_at,
        } => {
            let v = SpecResponse {
                receipt,
                verification: SpecVerification {
                    valid: invalid.is_none(),
                    algorithm: "HMAC-SHA256",
                    verified_at,
                    reason: invalid.map(Invalid::code),
                    detail: invalid.map(ToString::to_string),
                },
            };
            if *pretty {
                serde_json::to_writer_pretty(&mut *out, &v)
            } else {
                serde_json::to_writer(&mut *out, &v)
            }
            .expect("writing JSON to a Vec cannot fail");
            out.push(b'\n');
        }
    }
}

/// Cuts a reader into chunks of whole lines, about [`CHUNK`] bytes each.
struct LineChunks<R> {
    reader: R,
    carry: Vec<u8>,
    eof: bool,
    next_line: u64,
}

impl<R: Read> LineChunks<R> {
    fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        if self.eof && self.carry.is_empty() {
            return Ok(None);
        }
        let mut buf = std::mem::take(&mut self.carry);
        let mut target = CHUNK.max(buf.len());
        let mut searched = 0;
        loop {
            if !self.eof && buf.len() < target {
                self.eof = fill(&mut self.reader, &mut buf, target)?;
            }
            if let Some(i) = memchr::memrchr(b'\n', &buf[searched..]) {
                let cut = searched + i + 1;
                self.carry = buf[cut..].to_vec();
                buf.truncate(cut);
                break;
            }
            if self.eof {
                if buf.is_empty() {
                    return Ok(None);
                }
                break;
            }
            if buf.len() >= MAX_LINE {
                return self.skip_overlong().map(Some);
            }
            // One line longer than a chunk: read on, up to MAX_LINE.
            searched = buf.len();
            target = buf.len() + CHUNK;
        }
        let first_line = self.next_line;
        let mut count = memchr::memchr_iter(b'\n', &buf).count() as u64;
        if buf.last() != Some(&b'\n') {
            count += 1;
        }
        self.next_line += count;
        Ok(Some(Chunk {
            first_line,
            bytes: buf,
            overlong: false,
        }))
    }

    /// Discard the rest of an overlong line.
    fn skip_overlong(&mut self) -> io::Result<Chunk> {
        let first_line = self.next_line;
        self.next_line += 1;
        let mut tmp = vec![0u8; 64 * 1024];
        loop {
            let n = match self.reader.read(&mut tmp) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if let Some(i) = memchr::memchr(b'\n', &tmp[..n]) {
                self.carry = tmp[i + 1..n].to_vec();
                break;
            }
        }
        Ok(Chunk {
            first_line,
            bytes: Vec::new(),
            overlong: true,
        })
    }
}
