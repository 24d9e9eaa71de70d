//! Reading one whole named input: a file, or stdin when the name is `-`.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};

/// The bytes of `path`, or of stdin for `-`; `what` names the input in errors
/// ("the receipt", "the document").
pub fn read_all(path: &Path, what: &str) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .with_context(|| format!("cannot read {what} from stdin"))?;
        return Ok(buf);
    }
    std::fs::read(path)
        .with_context(|| format!("cannot read {what} '{}'; check the path", path.display()))
}
