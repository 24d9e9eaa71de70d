//! Reading one whole named input: a file, or stdin when the name is `-`, never more
//! than a bound, so a wrong path (`/dev/zero`, a disk image) fails instead of filling memory.

use std::io::{self, Read};
use std::path::Path;

use anyhow::{Context, Result};

/// The most a single document (a receipt, an event, a map, agents.json) may hold.
pub const DOCUMENT_LIMIT: u64 = 64 << 20;
/// The most a configuration file (a pricing file, a keyring, API keys) may hold.
pub const CONFIG_LIMIT: u64 = 16 << 20;
/// The most a key or certificate file may hold.
pub const KEY_LIMIT: u64 = 1 << 20;

/// The bytes of `path`, or of stdin for `-`, up to [`DOCUMENT_LIMIT`]; `what` names the
/// input in errors ("the receipt", "the document"). UTF-16 text is an error.
pub fn read_all(path: &Path, what: &str) -> Result<Vec<u8>> {
    let bytes = if path.as_os_str() == "-" {
        read_capped(io::stdin().lock(), DOCUMENT_LIMIT)
            .with_context(|| format!("cannot read {what} from stdin"))?
    } else {
        read_file(path, DOCUMENT_LIMIT)
            .with_context(|| format!("cannot read {what} '{}'; check the path", path.display()))?
    };
    crate::kind::refuse_utf16(path, &bytes)?;
    Ok(bytes)
}

/// The bytes of the file at `path`, if it holds at most `limit`; beyond that an error
/// saying so (the callers add which input it was).
pub fn read_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    read_capped(std::fs::File::open(path)?, limit)
}

/// The text of the file at `path`, as [`read_file`] reads it; bytes that are not UTF-8
/// are an error.
pub fn read_text(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read_file(path, limit)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// Read to the end, if the end comes within `limit` bytes.
pub fn read_capped(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "it holds more than {} MiB, more than such a file ever needs",
                limit >> 20
            ),
        ));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_limit_and_refuses_more() {
        assert_eq!(read_capped(&b"abc"[..], 3).unwrap(), b"abc");
        let err = read_capped(&b"abcd"[..], 3).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        // An endless input ends at the limit.
        let err = read_capped(io::repeat(0), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("more than 1 MiB"), "{err}");
    }
}
