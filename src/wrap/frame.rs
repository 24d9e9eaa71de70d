//! Newline framing with a length cap: whole lines as raw bytes (never decoded), and for a
//! line over the cap, a constant-memory scan that still finds its `id`, `method` and
//! `params.name` so the shim can answer and record it.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read};

/// What the next read produced.
#[derive(Debug)]
pub enum Frame {
    /// A whole line is in the buffer (with its `\n`, unless it ended the stream).
    Line,
    /// A line longer than the cap was read and discarded.
    Oversized(Oversized),
    /// The stream ended.
    Eof,
}

/// What is known of a discarded line.
#[derive(Debug, Default)]
pub struct Oversized {
    /// Its length in bytes (without the newline).
    pub len: u64,
    /// Top-level `id` (number or string), as written.
    pub id: Option<Box<serde_json::value::RawValue>>,
    /// Top-level `method`.
    pub method: Option<String>,
    /// `params.name`.
    pub tool: Option<String>,
    /// A batch (a JSON array): its requests cannot be told apart from the prefix.
    pub batch: bool,
}

/// Reads lines of at most `cap` bytes.
pub struct LineReader<R> {
    inner: BufReader<R>,
    cap: usize,
}

impl<R: Read> LineReader<R> {
    /// Wrap a reader.
    pub fn new(reader: R, cap: usize) -> Self {
        LineReader {
            inner: BufReader::with_capacity(64 * 1024, reader),
            cap,
        }
    }

    /// Whether the next [`LineReader::next`] returns without reading: a whole line is
    /// buffered. A relay writes what it has gathered before a read that may block.
    pub fn line_ready(&self) -> bool {
        memchr::memchr(b'\n', self.inner.buffer()).is_some()
    }

    /// Read the next line into `buf` (cleared first).
    pub fn next(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Frame> {
        buf.clear();
        if buf.capacity() > 1024 * 1024 {
            buf.shrink_to(64 * 1024);
        }
        loop {
            let avail = self.inner.fill_buf()?;
            if avail.is_empty() {
                if buf.len() > self.cap {
                    // A last line without its newline: cap + 1 bytes are one too many.
                    return self.discard(buf);
                }
                return Ok(if buf.is_empty() {
                    Frame::Eof
                } else {
                    Frame::Line
                });
            }
            let (take, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            if buf.len() + take > self.cap.saturating_add(1) {
                return self.discard(buf);
            }
            buf.extend_from_slice(&avail[..take]);
            self.inner.consume(take);
            if done {
                return Ok(Frame::Line);
            }
        }
    }

    /// Drop an over-long line: what `buf` holds of it, and the rest up to its newline (or
    /// the end), scanned on the way for the few members an answer needs.
    fn discard(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Frame> {
        let mut scan = Scan::default();
        scan.feed(buf);
        let mut len = buf.len() as u64;
        buf.clear();
        buf.shrink_to(64 * 1024);
        loop {
            let avail = self.inner.fill_buf()?;
            if avail.is_empty() {
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            let body = if done {
                &avail[..take - 1]
            } else {
                &avail[..take]
            };
            scan.feed(body);
            len += body.len() as u64;
            self.inner.consume(take);
            if done {
                break;
            }
        }
        Ok(Frame::Oversized(scan.finish(len)))
    }
}

/// Most bytes kept of a captured value.
const CAPTURE: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    None,
    Id,
    Method,
    Name,
}

/// A streaming scanner over one JSON object that keeps only a few small members.
#[derive(Debug)]
struct Scan {
    depth: u32,
    in_str: bool,
    esc: bool,
    /// At depth 1 or 2: the next string is a key.
    at_key: bool,
    key: Vec<u8>,
    reading_key: bool,
    /// The current top-level key is `params`.
    in_params: bool,
    top_key: Vec<u8>,
    want: Want,
    value: Vec<u8>,
    id: Option<Vec<u8>>,
    method: Option<Vec<u8>>,
    name: Option<Vec<u8>>,
    /// The line opens with `[`: a batch.
    batch: bool,
}

impl Default for Scan {
    fn default() -> Self {
        Scan {
            depth: 0,
            in_str: false,
            esc: false,
            at_key: false,
            key: Vec::new(),
            reading_key: false,
            in_params: false,
            top_key: Vec::new(),
            want: Want::None,
            value: Vec::new(),
            id: None,
            method: None,
            name: None,
            batch: false,
        }
    }
}

impl Scan {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.step(b);
        }
    }

    fn capture(&mut self, b: u8) {
        if self.reading_key {
            if self.key.len() < 16 {
                self.key.push(b);
            }
        } else if self.want != Want::None && self.value.len() < CAPTURE {
            self.value.push(b);
        }
    }

    fn end_value(&mut self) {
        let v = std::mem::take(&mut self.value);
        match self.want {
            Want::Id => self.id = Some(v),
            Want::Method => self.method = Some(v),
            Want::Name => self.name = Some(v),
            Want::None => {}
        }
        self.want = Want::None;
    }

    fn step(&mut self, b: u8) {
        if self.in_str {
            if self.esc {
                self.esc = false;
            } else if b == b'\\' {
                self.esc = true;
            } else if b == b'"' {
                self.in_str = false;
                if self.reading_key {
                    self.reading_key = false;
                    return;
                }
            }
            self.capture(b);
            return;
        }
        let key_level = self.depth == 1 || (self.depth == 2 && self.in_params);
        match b {
            b'"' => {
                self.in_str = true;
                if key_level && self.at_key {
                    self.reading_key = true;
                    self.key.clear();
                } else {
                    self.capture(b);
                }
            }
            b':' if key_level => {
                self.at_key = false;
                if self.depth == 1 {
                    self.top_key.clone_from(&self.key);
                    self.want = match self.key.as_slice() {
                        b"id" => Want::Id,
                        b"method" => Want::Method,
                        _ => Want::None,
                    };
                } else if self.key == b"name" {
                    self.want = Want::Name;
                }
            }
            b',' if key_level => {
                self.end_value();
                self.at_key = true;
            }
            b'{' | b'[' => {
                self.capture(b);
                self.depth += 1;
                if self.depth == 1 {
                    self.at_key = b == b'{';
                    self.batch |= b == b'[';
                } else if self.depth == 2 && self.top_key == b"params" && b == b'{' {
                    self.in_params = true;
                    self.at_key = true;
                }
            }
            b'}' | b']' => {
                if key_level {
                    self.end_value();
                }
                if self.depth == 2 && self.in_params {
                    self.in_params = false;
                    self.at_key = false;
                }
                self.depth = self.depth.saturating_sub(1);
                self.capture(b);
            }
            _ => self.capture(b),
        }
    }

    fn finish(self, len: u64) -> Oversized {
        let parse = |v: Option<Vec<u8>>| v.and_then(|v| serde_json::from_slice::<Value>(&v).ok());
        Oversized {
            len,
            id: self
                .id
                .and_then(|v| serde_json::from_slice::<Box<serde_json::value::RawValue>>(&v).ok())
                .filter(|r| matches!(r.get().as_bytes()[0], b'"' | b'-' | b'0'..=b'9')),
            method: parse(self.method).and_then(|v| v.as_str().map(str::to_owned)),
            tool: parse(self.name).and_then(|v| v.as_str().map(str::to_owned)),
            batch: self.batch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8], cap: usize) -> Vec<Result<Vec<u8>, Oversized>> {
        let mut r = LineReader::new(input, cap);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match r.next(&mut buf).unwrap() {
                Frame::Line => out.push(Ok(buf.clone())),
                Frame::Oversized(o) => out.push(Err(o)),
                Frame::Eof => return out,
            }
        }
    }

    #[test]
    fn splits_lines_and_keeps_bytes() {
        let f = frames(b"a\r\n\xff\xfe\n\nlast", 100);
        let lines: Vec<_> = f.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            lines,
            vec![
                b"a\r\n".to_vec(),
                b"\xff\xfe\n".to_vec(),
                b"\n".to_vec(),
                b"last".to_vec()
            ]
        );
    }

    #[test]
    fn the_cap_holds_with_or_without_a_last_newline() {
        // Four bytes pass (with their newline, or at the end), five do not.
        for input in [&b"abcd\n"[..], b"abcd"] {
            assert!(frames(input, 4)[0].is_ok(), "{input:?}");
        }
        for input in [&b"abcde\n"[..], b"abcde"] {
            let f = frames(input, 4);
            assert!(matches!(&f[0], Err(o) if o.len == 5), "{input:?}");
            assert_eq!(f.len(), 1);
        }
        let f = frames(b"[{\"id\":1},{\"id\":2}]\n", 8);
        assert!(matches!(&f[0], Err(o) if o.batch && o.id.is_none()));
    }

    #[test]
    fn knows_when_a_whole_line_is_buffered() {
        let mut r = LineReader::new(&b"one\ntwo\nthr"[..], 100);
        let mut buf = Vec::new();
        assert!(!r.line_ready(), "nothing read yet");
        assert!(matches!(r.next(&mut buf).unwrap(), Frame::Line));
        assert!(r.line_ready(), "two is buffered");
        assert!(matches!(r.next(&mut buf).unwrap(), Frame::Line));
        assert!(!r.line_ready(), "thr has no line break yet");
        assert!(matches!(r.next(&mut buf).unwrap(), Frame::Line));
        assert_eq!(buf, b"thr");
        assert!(matches!(r.next(&mut buf).unwrap(), Frame::Eof));
    }

    #[test]
    fn oversized_lines_are_scanned_and_skipped() {
        let big = "x".repeat(5000);
        let line = format!(
            "{{\"jsonrpc\":\"2.0\",\"params\":{{\"arguments\":{{\"s\":\"{big}\",\"name\":\"inner\",\"q\":\"\\\"}}\"}},\"name\":\"search\"}},\"method\":\"tools/call\",\"id\":\"r-1\"}}\nnext\n"
        );
        let f = frames(line.as_bytes(), 100);
        assert_eq!(f.len(), 2);
        let Err(o) = &f[0] else {
            panic!("not oversized")
        };
        assert_eq!(o.id.as_deref().unwrap().get(), "\"r-1\"");
        assert_eq!(o.method.as_deref(), Some("tools/call"));
        assert_eq!(o.tool.as_deref(), Some("search"));
        assert_eq!(o.len as usize, line.find('\n').unwrap());
        assert_eq!(f[1].as_ref().unwrap(), b"next\n");
    }
}
