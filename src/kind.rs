//! What an input file holds, judged from its start before it is read: UTF-16 text is
//! refused, and a first record that is a receipt or a meter event is told apart, so a file
//! of the wrong kind is an error instead of wrong numbers.

use std::io::{self, Read};
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

/// The most read to find the first non-blank line; a longer first line tells nothing.
const HEAD_LIMIT: usize = 1 << 20;

/// What the first record of an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A signed receipt: `receipt_id` and `signature`, no `event_id`.
    Receipts,
    /// A meter event: `event_id`, no `receipt_id` or `signature`.
    Events,
    /// Something else, nothing at all, or a first line too long to look at.
    Unknown,
}

impl Kind {
    /// The records as a sentence names them.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Receipts => "receipts",
            Kind::Events => "meter events",
            Kind::Unknown => "unknown records",
        }
    }

    /// The kind of one JSON document (a parsed line or a whole file).
    pub fn of_value(value: &Value) -> Kind {
        let Value::Object(o) = value else {
            return Kind::Unknown;
        };
        let has = |k: &str| o.contains_key(k);
        if has("receipt_id") && has("signature") && !has("event_id") {
            Kind::Receipts
        } else if has("event_id") && !has("receipt_id") && !has("signature") {
            Kind::Events
        } else {
            Kind::Unknown
        }
    }

    /// The kind of one line of JSON Lines.
    pub fn of_line(line: &[u8]) -> Kind {
        serde_json::from_slice::<Value>(line).map_or(Kind::Unknown, |v| Kind::of_value(&v))
    }
}

/// The UTF-16 byte order a file's first bytes show: with a byte order mark (FF FE, FE FF),
/// or without one, an ASCII character beside a NUL byte (JSON text never holds a raw NUL).
/// The name is the encoding `iconv -f` takes.
pub fn utf16(head: &[u8]) -> Option<&'static str> {
    match head {
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Some("UTF-16"),
        [a, 0, ..] if *a != 0 && a.is_ascii() => Some("UTF-16LE"),
        [0, b, ..] if *b != 0 && b.is_ascii() => Some("UTF-16BE"),
        _ => None,
    }
}

/// The error for a UTF-16 input named `name` (`-`: stdin), read as `encoding`.
pub fn utf16_error(name: &Path, encoding: &str) -> anyhow::Error {
    if name.as_os_str() == "-" {
        return anyhow::anyhow!(
            "the input on stdin is UTF-16 text; convert it to UTF-8 (pipe it through iconv -f {encoding} -t UTF-8)"
        );
    }
    let p = name.display();
    anyhow::anyhow!(
        "'{p}' is UTF-16 text; convert it to UTF-8 (iconv -f {encoding} -t UTF-8 '{p}' > '{p}.utf8') and use that instead"
    )
}

/// Refuse `bytes`, the start of the input `name`, when they are UTF-16 text.
pub fn refuse_utf16(name: &Path, bytes: &[u8]) -> Result<()> {
    match utf16(bytes) {
        Some(encoding) => Err(utf16_error(name, encoding)),
        None => Ok(()),
    }
}

/// Read the start of `reader` into `buf` (appending every byte read, so the caller can
/// read them again before the rest): up to the end of the first non-blank line, at most
/// about [`HEAD_LIMIT`] bytes. Returns the UTF-16 encoding, if the bytes are UTF-16, and
/// the kind of that first line.
pub fn read_head(
    reader: &mut impl Read,
    buf: &mut Vec<u8>,
) -> io::Result<(Option<&'static str>, Kind)> {
    let start = buf.len();
    let mut chunk = [0u8; 8192];
    let mut eof = false;
    loop {
        let head = &buf[start..];
        if head.len() >= 2 || eof {
            if let Some(e) = utf16(head) {
                return Ok((Some(e), Kind::Unknown));
            }
            if let Some(line) = first_line(crate::eventlog::strip_bom(head), eof) {
                return Ok((None, Kind::of_line(line)));
            }
        }
        if eof || head.len() >= HEAD_LIMIT {
            return Ok((None, Kind::Unknown));
        }
        match reader.read(&mut chunk) {
            Ok(0) => eof = true,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The first non-blank line of `head` when it is whole (or the input ended after it).
fn first_line(head: &[u8], eof: bool) -> Option<&[u8]> {
    let mut rest = head;
    loop {
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(nl) => (&rest[..nl], Some(&rest[nl + 1..])),
            None if eof => (rest, None),
            None => return None,
        };
        if !line.iter().all(u8::is_ascii_whitespace) {
            return Some(line);
        }
        rest = next?;
    }
}

/// Look at the start of the regular file at `path`: UTF-16 text is an error naming it,
/// anything else gives the kind of its first non-blank line. What is not a regular file
/// (a FIFO would be consumed, a device may never end) is left alone: [`Kind::Unknown`].
pub fn sniff(path: &Path) -> Result<Kind> {
    sniff_first(path).map(|(kind, _)| kind)
}

/// [`sniff`], and the id of the first record when it is a receipt or a meter event
/// (`receipt_id` or `event_id`).
pub fn sniff_first(path: &Path) -> Result<(Kind, Option<String>)> {
    if !crate::input::is_file(path) {
        return Ok((Kind::Unknown, None));
    }
    let mut file = crate::input::open(path)
        .with_context(|| format!("cannot open '{}'; check the path", path.display()))?;
    let mut head = Vec::new();
    let (encoding, kind) = read_head(&mut file, &mut head)
        .with_context(|| format!("cannot read '{}'", path.display()))?;
    if let Some(e) = encoding {
        return Err(utf16_error(path, e));
    }
    let key = match kind {
        Kind::Events => "event_id",
        Kind::Receipts => "receipt_id",
        Kind::Unknown => return Ok((kind, None)),
    };
    let id = first_line(crate::eventlog::strip_bom(&head), true)
        .and_then(|line| serde_json::from_slice::<Value>(line).ok())
        .and_then(|v| v.get(key)?.as_str().map(str::to_owned))
        // An empty id is no id: records without one are each their own.
        .filter(|id| !id.is_empty());
    Ok((kind, id))
}

/// Refuse the input `path`, whose first record is `found`, when it holds the records an
/// input that wants `want` is often confused with (receipts for events, or the reverse).
pub fn refuse_other(path: &Path, found: Kind, want: Kind) -> Result<()> {
    let p = shown(path);
    match (want, found) {
        (Kind::Events, Kind::Receipts) => anyhow::bail!(
            "{p} holds receipts, not meter events; pass the events-*.jsonl files or the log directory"
        ),
        (Kind::Receipts, Kind::Events) => {
            anyhow::bail!("{p} holds meter events, not receipts; pass the receipts-*.jsonl files")
        }
        _ => Ok(()),
    }
}

/// Refuse `bytes`, the input `path` read whole as one receipt, when they are a meter event
/// (or their first line is one: a file of events).
pub fn refuse_event_as_receipt(path: &Path, bytes: &[u8]) -> Result<()> {
    let bytes = crate::eventlog::strip_bom(bytes);
    let kind = match first_line(bytes, true).map(Kind::of_line) {
        Some(k @ (Kind::Events | Kind::Receipts)) => k,
        _ => serde_json::from_slice::<Value>(bytes).map_or(Kind::Unknown, |v| Kind::of_value(&v)),
    };
    if kind == Kind::Events {
        anyhow::bail!(
            "{} holds a meter event, not a receipt; pass a receipt (a line of a receipts-*.jsonl file)",
            shown(path)
        );
    }
    Ok(())
}

/// An input's name in a message: the path quoted, or `the input on stdin` for `-`.
pub fn shown(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "the input on stdin".to_owned()
    } else {
        format!("'{}'", path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(bytes: &[u8]) -> (Option<&'static str>, Kind) {
        let mut buf = Vec::new();
        let got = read_head(&mut &bytes[..], &mut buf).unwrap();
        assert!(bytes.starts_with(&buf), "every byte read is handed back");
        got
    }

    #[test]
    fn tells_receipts_events_and_utf16_apart() {
        let receipt = br#"{"receipt_id":"rcpt_1","signature":"ab","tool_id":"t"}"#;
        let event = br#"{"event_id":"evt_1","tool_id":"t"}"#;
        assert_eq!(head(receipt), (None, Kind::Receipts));
        assert_eq!(head(event), (None, Kind::Events));
        // The first non-blank line counts, after a UTF-8 byte order mark and blank lines.
        let mut later = b"\xEF\xBB\xBF\n  \r\n".to_vec();
        later.extend_from_slice(event);
        later.extend_from_slice(b"\n");
        later.extend_from_slice(receipt);
        assert_eq!(head(&later), (None, Kind::Events));
        // Both, or neither: not judged.
        assert_eq!(
            head(br#"{"event_id":"e","receipt_id":"r","signature":"s"}"#).1,
            Kind::Unknown
        );
        assert_eq!(head(b"").1, Kind::Unknown);
        assert_eq!(head(b"not json\n").1, Kind::Unknown);
        // A torn first line is not judged either.
        assert_eq!(head(br#"{"event_id":"#).1, Kind::Unknown);

        let text = "{\"event_id\":\"e\"}\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(head(&[b"\xFF\xFE", &le[..]].concat()).0, Some("UTF-16"));
        assert_eq!(head(&[b"\xFE\xFF", &be[..]].concat()).0, Some("UTF-16"));
        assert_eq!(head(&le).0, Some("UTF-16LE"));
        assert_eq!(head(&be).0, Some("UTF-16BE"));
        assert_eq!(head(b"{}").0, None);
    }

    #[test]
    fn reads_no_further_than_the_first_line_needs() {
        let mut input = b"{\"event_id\":\"e\"}\n".to_vec();
        input.resize(4 << 20, b'x');
        let mut buf = Vec::new();
        let (_, kind) = read_head(&mut &input[..], &mut buf).unwrap();
        assert_eq!(kind, Kind::Events);
        assert!(buf.len() <= 8192, "{}", buf.len());
        // A first line longer than the limit is not judged, and not read to its end.
        let long = vec![b' '; 4 << 20];
        let mut buf = Vec::new();
        let (_, kind) = read_head(&mut &long[..], &mut buf).unwrap();
        assert_eq!(kind, Kind::Unknown);
        assert!(buf.len() < HEAD_LIMIT + 8192, "{}", buf.len());
    }
}
