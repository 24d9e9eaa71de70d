//! Streaming readers: every line of many files in constant memory, torn or malformed
//! lines skipped and counted, never fatal.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::kind::Kind;

/// What a scan saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Lines handed to the consumer and accepted.
    pub lines: u64,
    /// Lines the consumer refused (malformed, wrong-typed, torn).
    pub skipped: u64,
    /// Blank lines.
    pub blank: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Where the first skipped line starts, when one was.
    pub first_skip: Option<SkipAt>,
    /// The first line that holds the event another input begins with (the inputs
    /// overlap), and that input's index.
    pub overlap: Option<(SkipAt, usize)>,
    /// The fingerprint of an event id read on two accepted lines (an event recorded twice,
    /// as a copy appended to its own log), found again by `scan::find_repeat`.
    pub repeated: Option<u64>,
}

/// Where a skipped line starts: the index of its file among the scan's inputs, and the
/// byte offset of the line in that file. Ordered as the inputs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SkipAt {
    /// The file's index among the inputs.
    pub file: usize,
    /// The line's first byte.
    pub offset: u64,
}

impl ScanStats {
    /// Add another scan's counts.
    pub fn add(&mut self, other: ScanStats) {
        self.lines += other.lines;
        self.skipped += other.skipped;
        self.blank += other.blank;
        self.bytes += other.bytes;
        self.first_skip = match (self.first_skip, other.first_skip) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.overlap = match (self.overlap, other.overlap) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.repeated = self.repeated.or(other.repeated);
    }

    /// Count a skipped line of input `file` that starts at byte `offset`.
    pub fn skip(&mut self, file: usize, offset: u64) {
        self.skipped += 1;
        let at = SkipAt { file, offset };
        if self.first_skip.is_none_or(|first| at < first) {
            self.first_skip = Some(at);
        }
    }
}

/// The line number (from 1) of the line that starts at byte `offset` of `path`, counted
/// by reading up to it; `None` when the file cannot be read that far.
pub fn line_number(path: &Path, offset: u64) -> Option<u64> {
    let mut file = crate::input::open(path).ok()?.take(offset);
    let mut buf = vec![0u8; 256 * 1024];
    let mut newlines = 0u64;
    let mut read = 0u64;
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
                read += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    (read == offset).then_some(newlines + 1)
}

/// `line` without the UTF-8 byte order mark some editors write at the start of a file
/// (for a file's first line).
pub fn strip_bom(line: &[u8]) -> &[u8] {
    line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
}

/// The longest line read: the event scanner skips (and counts) a longer one instead of
/// holding it; the line reader of the side logs stops with an error, so a wrong input
/// (`/dev/zero`) neither fills memory nor runs forever.
pub const MAX_LINE: u64 = 64 << 20;

/// Feed every non-blank line of `reader` to `consume`; a line it returns `false` for is
/// counted as skipped. A line longer than [`MAX_LINE`] is an error. A trailing `\r` and a
/// byte order mark at the start are stripped.
pub fn scan_reader(
    reader: impl Read,
    consume: impl FnMut(&[u8]) -> bool,
) -> std::io::Result<ScanStats> {
    scan_bounded(reader, MAX_LINE, consume)
}

/// [`scan_reader`] with lines of at most `max_line` bytes.
fn scan_bounded(
    reader: impl Read,
    max_line: u64,
    mut consume: impl FnMut(&[u8]) -> bool,
) -> std::io::Result<ScanStats> {
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let mut stats = ScanStats::default();
    let mut buf = Vec::with_capacity(4096);
    loop {
        buf.clear();
        let n = (&mut reader).take(max_line).read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        let first = stats.bytes == 0;
        let at = stats.bytes;
        stats.bytes += n as u64;
        if n as u64 == max_line && buf.last() != Some(&b'\n') {
            // No record of these logs comes near this: the input is something else (a
            // device such as /dev/zero would never end), so the scan stops here.
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "a line longer than {} MiB: this is not a log mcpbill writes",
                    max_line >> 20
                ),
            ));
        }
        let mut line = buf.as_slice();
        if first {
            line = strip_bom(line);
        }
        if let Some(l) = line.strip_suffix(b"\n") {
            line = l;
        }
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            stats.blank += 1;
            continue;
        }
        if consume(line) {
            stats.lines += 1;
        } else {
            stats.skip(0, at);
        }
    }
    Ok(stats)
}

/// Streams the lines of one file like `scan_reader`; a missing file, one that is not a
/// regular file, or one of UTF-16 text, is an error naming it.
pub fn scan_file(path: &Path, consume: impl FnMut(&[u8]) -> bool) -> Result<ScanStats> {
    // A device, FIFO or pipe may never end (`/dev/urandom`, a FIFO with no writer): these
    // logs are files mcpbill writes.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        bail!(
            "'{}' is not a regular file; give the log file itself",
            path.display()
        );
    }
    // UTF-16 text would read as lines that are all skipped: an empty log, in silence.
    crate::kind::sniff(path)?;
    let file = File::open(path)
        .with_context(|| format!("cannot open '{}'; check the path", path.display()))?;
    scan_reader(file, consume).with_context(|| format!("cannot read '{}'", path.display()))
}

/// [`scan_file`] over several files in order.
pub fn scan_files(paths: &[PathBuf], mut consume: impl FnMut(&[u8]) -> bool) -> Result<ScanStats> {
    let mut total = ScanStats::default();
    for (i, path) in paths.iter().enumerate() {
        let mut stats = scan_file(path, &mut consume)?;
        if let Some(at) = &mut stats.first_skip {
            at.file = i;
        }
        total.add(stats);
    }
    Ok(total)
}

/// Turn command-line inputs into files: a file is taken as is, a directory gives
/// its `<prefix>-*.jsonl` files in name (month) order, and a pattern with `*` or `?`
/// matches file names in its directory. A path that exists is what it names, even when
/// its name holds `*` or `?`. Every file is looked at before it is read (see
/// [`crate::kind`]): UTF-16 text is an error, and so is a file named (or matched by a
/// pattern) whose first record is a receipt when `prefix` is `events`, or a meter event
/// when it is `receipts`. A directory's files are chosen by name and need no such look.
/// Two event files whose first records share an id are refused: one is a copy of the
/// other, and every call they share would count twice.
pub fn expand_inputs(inputs: &[PathBuf], prefix: &str) -> Result<Vec<PathBuf>> {
    let want = match prefix {
        "events" => Kind::Events,
        "receipts" => Kind::Receipts,
        _ => Kind::Unknown,
    };
    // Each file, and whether it was named (by itself or by a pattern).
    let mut out: Vec<(PathBuf, bool)> = Vec::new();
    let what = match want {
        Kind::Receipts => "the receipts",
        _ => "the events",
    };
    for input in inputs {
        let s = input.to_string_lossy();
        if crate::input::reads_once(input) {
            crate::input::spool(input, what)?;
            // Named twice, as a file named twice is read once (see `without_repeats`).
            if !out.iter().any(|(p, _)| p == input) {
                out.push((input.clone(), true));
            }
            continue;
        }
        let found = super::look(input)?;
        if let Some(t) = found.as_ref().map(std::fs::Metadata::file_type) {
            use std::os::unix::fs::FileTypeExt;
            if t.is_char_device() || t.is_block_device() {
                bail!(
                    "'{s}' is a device, not a log; pass a log file, a log directory or a pattern, or '-' to read {what} from stdin"
                );
            }
        }
        if found.is_none() && (s.contains('*') || s.contains('?')) {
            let dir = crate::newfile::dir_of(input);
            let pattern = input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let matched = list_dir(dir, |name| wildcard_match(&pattern, name))?;
            if matched.is_empty() {
                bail!("no file matches '{s}'");
            }
            out.extend(matched.into_iter().map(|f| (f, true)));
        } else if found.as_ref().is_some_and(std::fs::Metadata::is_dir) {
            let want = format!("{prefix}-");
            let matched = list_dir(input, |name| {
                name.starts_with(&want) && name.ends_with(".jsonl")
            })?;
            out.extend(matched.into_iter().map(|f| (f, false)));
        } else if found.is_some() {
            out.push((input.clone(), true));
        } else {
            bail!(
                "'{}' does not exist; pass a log file, a log directory or a pattern",
                input.display()
            );
        }
    }
    let files = without_repeats(out);
    // The first record's id, and the file that began with it: ids are unique, so two
    // files that begin alike are a log and its copy, whose shared events would count twice.
    let mut firsts: std::collections::HashMap<String, &Path> = std::collections::HashMap::new();
    for (file, named) in &files {
        let (kind, first) = crate::kind::sniff_first(file)?;
        if *named {
            crate::kind::refuse_other(file, kind, want)?;
        }
        // Only where events are counted: a receipt is looked up by id, and a copy holding
        // the same one does no harm there.
        if let Some(id) = first.filter(|_| want == Kind::Events) {
            if let Some(earlier) = firsts.get(&id) {
                bail!(
                    "{} begins with the same record ({id}) as {}: one is a copy of the other, and what they share would count twice; pass only one of them",
                    crate::input::name(file),
                    crate::input::name(earlier)
                );
            }
            firsts.insert(id, file);
        }
    }
    Ok(files.into_iter().map(|(f, _)| f).collect())
}

/// The files once each, in first-seen order: inputs that overlap (a directory and one of
/// its files, a link to a file also named) would otherwise count the same events twice.
fn without_repeats<T>(files: Vec<(PathBuf, T)>) -> Vec<(PathBuf, T)> {
    use std::os::unix::fs::MetadataExt;
    let mut seen = std::collections::HashSet::new();
    files
        .into_iter()
        .filter(|(f, _)| std::fs::metadata(f).map_or(true, |m| seen.insert((m.dev(), m.ino()))))
        .collect()
}

/// Refuse an entry of a log directory that is named like a log file but is not a regular
/// file (a directory, a dangling link, a FIFO): skipping it would read as a month with no
/// events, and reading a FIFO would wait forever.
pub fn check_log_file(path: &Path) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(_) | Err(_) => Err(std::io::Error::other(format!(
            "'{}' is named like a log file but is not a regular file (a directory, a FIFO, a socket or a broken link); move it out of the log directory",
            path.display()
        ))),
    }
}

fn list_dir(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list directory '{}'", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list directory '{}'", dir.display()))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if keep(&name) {
            check_log_file(&entry.path())?;
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// `*` and `?` matching over a file name.
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory or file whose name holds `*` or `?` is itself, not a pattern.
    #[test]
    fn existing_paths_with_wildcard_characters_are_taken_literally() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("star*dir");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("events-2026-11.jsonl"), "{}\n").unwrap();
        std::fs::write(dir.join("odd?.jsonl"), "{}\n").unwrap();
        let files = expand_inputs(std::slice::from_ref(&dir), "events").unwrap();
        assert_eq!(files, [dir.join("events-2026-11.jsonl")]);
        let odd = dir.join("odd?.jsonl");
        assert_eq!(
            expand_inputs(std::slice::from_ref(&odd), "events").unwrap(),
            [odd]
        );
        // A pattern inside it still matches.
        let pattern = dir.join("events-*.jsonl");
        assert_eq!(expand_inputs(&[pattern], "events").unwrap().len(), 1);
    }

    #[test]
    fn an_over_long_line_stops_the_scan() {
        let input = b"ok\n0123456789abcdef\nalso\n";
        let mut seen = Vec::new();
        let err = scan_bounded(&input[..], 8, |l| {
            seen.push(String::from_utf8(l.to_vec()).unwrap());
            true
        })
        .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert_eq!(seen, ["ok"]);
        // A line of exactly the bound (with its newline) is whole.
        let stats = scan_bounded(&b"1234567\n"[..], 8, |_| true).unwrap();
        assert_eq!((stats.lines, stats.skipped), (1, 0));
        // An endless input ends at the bound.
        assert!(scan_bounded(std::io::repeat(0), 1 << 10, |_| true).is_err());
    }

    #[test]
    fn counts_torn_and_blank_lines() {
        let data = b"{\"a\":1}\n\n  \n{\"a\":2}\r\n{\"a\":";
        let mut seen = Vec::new();
        let stats = scan_reader(&data[..], |l| {
            let ok = serde_json::from_slice::<serde_json::Value>(l).is_ok();
            if ok {
                seen.push(l.to_vec());
            }
            ok
        })
        .unwrap();
        assert_eq!(stats.lines, 2);
        assert_eq!(stats.skipped, 1);
        assert_eq!(stats.blank, 2);
        assert_eq!(seen[1], b"{\"a\":2}");
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("events-*.jsonl", "events-2026-11.jsonl"));
        assert!(wildcard_match(
            "events-2026-1?.jsonl",
            "events-2026-11.jsonl"
        ));
        assert!(!wildcard_match("events-*.jsonl", "receipts-2026-11.jsonl"));
        assert!(wildcard_match("*", "x"));
    }
}
