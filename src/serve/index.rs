//! An index of receipt ids over the log's `receipts-*.jsonl` files.
//!
//! Built by one streaming pass at start, then brought up to date incrementally: each
//! file's indexed length is remembered, and a lookup that misses reads only the bytes
//! appended since (plus any new monthly file). The index holds a 64-bit hash of each id
//! and the line's position (about 32 bytes per receipt), never the receipts themselves;
//! a lookup reads the one line back and compares the full id, so hash collisions are
//! harmless. A torn last line is left for the next refresh.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

/// Longest receipt line read back (a receipt is far smaller).
const MAX_LINE: u64 = 1024 * 1024;

#[derive(Debug, Clone, Copy)]
struct Loc {
    file: u32,
    offset: u64,
    len: u32,
}

#[derive(Debug)]
struct IndexedFile {
    path: PathBuf,
    indexed_to: u64,
}

/// The receipts index.
#[derive(Debug)]
pub struct ReceiptIndex {
    dir: PathBuf,
    files: Vec<IndexedFile>,
    map: HashMap<u64, Loc>,
    collisions: HashMap<u64, Vec<Loc>>,
    /// Lines skipped because they are not JSON with a `receipt_id`.
    pub skipped: u64,
}

#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow)]
    receipt_id: std::borrow::Cow<'a, str>,
}

fn id_hash(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// An I/O error with the file it happened on (`cannot read 'PATH': ...`).
fn named(path: &Path, e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("cannot read '{}': {e}", path.display()))
}

impl ReceiptIndex {
    /// Index every receipts file in `dir`.
    pub fn build(dir: &Path) -> io::Result<Self> {
        let mut index = ReceiptIndex {
            dir: dir.to_path_buf(),
            files: Vec::new(),
            map: HashMap::new(),
            collisions: HashMap::new(),
            skipped: 0,
        };
        index.refresh()?;
        Ok(index)
    }

    /// How many receipts are indexed.
    pub fn len(&self) -> usize {
        self.map.len() + self.collisions.values().map(Vec::len).sum::<usize>()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Index what was appended since the last refresh, and any new files.
    pub fn refresh(&mut self) -> io::Result<()> {
        let mut names: Vec<PathBuf> = match std::fs::read_dir(&self.dir) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("receipts-") && n.ends_with(".jsonl"))
                })
                .collect(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        names.sort();
        for path in names {
            if !self.files.iter().any(|f| f.path == path) {
                self.files.push(IndexedFile {
                    path,
                    indexed_to: 0,
                });
            }
        }
        for i in 0..self.files.len() {
            self.refresh_file(i)?;
        }
        Ok(())
    }

    /// [`Self::refresh_file_at`], with the file's name in any error.
    fn refresh_file(&mut self, i: usize) -> io::Result<()> {
        self.refresh_file_at(i)
            .map_err(|e| named(&self.files[i].path, &e))
    }

    fn refresh_file_at(&mut self, i: usize) -> io::Result<()> {
        let start = self.files[i].indexed_to;
        let mut file = match File::open(&self.files[i].path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let size = file.metadata()?.len();
        if size <= start {
            return Ok(());
        }
        file.seek(SeekFrom::Start(start))?;
        let mut reader = BufReader::with_capacity(256 * 1024, file);
        let mut offset = start;
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = reader.read_until(b'\n', &mut line)?;
            if n == 0 || !line.ends_with(b"\n") {
                break; // end, or a torn line still being written
            }
            let content = line.strip_suffix(b"\n").unwrap_or(&line);
            match serde_json::from_slice::<IdOnly<'_>>(content) {
                Ok(r) if !r.receipt_id.is_empty() && content.len() as u64 <= MAX_LINE => {
                    let loc = Loc {
                        file: i as u32,
                        offset,
                        len: content.len() as u32,
                    };
                    self.insert(id_hash(&r.receipt_id), loc);
                }
                _ => {
                    if !content.iter().all(u8::is_ascii_whitespace) {
                        self.skipped += 1;
                    }
                }
            }
            offset += n as u64;
        }
        self.files[i].indexed_to = offset;
        Ok(())
    }

    fn insert(&mut self, h: u64, loc: Loc) {
        match self.map.entry(h) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(loc);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.collisions.entry(h).or_default().push(loc);
            }
        }
    }

    /// The stored receipt with this id (the first one written), without refreshing.
    pub fn get(&self, id: &str) -> io::Result<Option<Value>> {
        let h = id_hash(id);
        let candidates = self
            .map
            .get(&h)
            .into_iter()
            .chain(self.collisions.get(&h).into_iter().flatten());
        for loc in candidates {
            let path = &self.files[loc.file as usize].path;
            let named = |e| named(path, &e);
            let mut file = File::open(path).map_err(named)?;
            file.seek(SeekFrom::Start(loc.offset)).map_err(named)?;
            let mut buf = vec![0u8; loc.len as usize];
            file.read_exact(&mut buf).map_err(named)?;
            if let Ok(value) = serde_json::from_slice::<Value>(&buf)
                && value.get("receipt_id").and_then(Value::as_str) == Some(id)
            {
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    /// Look an id up, refreshing the index once on a miss.
    pub fn lookup(&mut self, id: &str) -> io::Result<Option<Value>> {
        if let Some(v) = self.get(id)? {
            return Ok(Some(v));
        }
        self.refresh()?;
        self.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn indexes_incrementally_and_skips_torn_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("receipts-2026-11.jsonl");
        let mut f = std::fs::File::create(&path).unwrap();
        writeln!(f, "{{\"receipt_id\":\"rcpt_a\",\"n\":1}}").unwrap();
        writeln!(f, "not json").unwrap();
        write!(f, "{{\"receipt_id\":\"rcpt_b\"").unwrap();
        f.flush().unwrap();
        let mut idx = ReceiptIndex::build(dir.path()).unwrap();
        assert_eq!(idx.len(), 1);
        assert_eq!(idx.skipped, 1);
        assert_eq!(idx.lookup("rcpt_a").unwrap().unwrap()["n"], 1);
        assert!(idx.lookup("rcpt_b").unwrap().is_none());
        writeln!(f, ",\"n\":2}}").unwrap();
        std::fs::write(
            dir.path().join("receipts-2026-12.jsonl"),
            "{\"receipt_id\":\"rcpt_c\"}\n",
        )
        .unwrap();
        assert_eq!(idx.lookup("rcpt_b").unwrap().unwrap()["n"], 2);
        assert!(idx.lookup("rcpt_c").unwrap().is_some());
        assert!(idx.lookup("rcpt_zz").unwrap().is_none());
        assert_eq!(idx.len(), 3);
    }
}
