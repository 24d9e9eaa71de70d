//! Spec identifiers: `evt_`, `rcpt_`, `disp_` followed by lowercase hex, minted from the OS CSPRNG.

use std::fmt;

/// Random bytes in a minted id (96 bits, 24 hex characters).
const RANDOM_BYTES: usize = 12;
/// The fewest hex characters a reader accepts after the prefix (the spec's minimum).
pub const MIN_HEX: usize = 16;
/// The most hex characters a reader accepts after the prefix.
pub const MAX_HEX: usize = 128;

/// The kinds of id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A meter event (`evt_`).
    Event,
    /// A receipt (`rcpt_`).
    Receipt,
    /// A dispute (`disp_`).
    Dispute,
}

impl IdKind {
    /// The id prefix, with its underscore.
    pub fn prefix(self) -> &'static str {
        match self {
            IdKind::Event => "evt_",
            IdKind::Receipt => "rcpt_",
            IdKind::Dispute => "disp_",
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

/// Why an id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Wrong or missing prefix.
    #[error("id '{id}' must start with '{prefix}'")]
    Prefix {
        /// The id as given.
        id: String,
        /// The expected prefix.
        prefix: &'static str,
    },
    /// Not lowercase hex, or the wrong length.
    #[error("id '{id}' must be '{prefix}' followed by {min} to {max} lowercase hex characters")]
    Body {
        /// The id as given.
        id: String,
        /// The expected prefix.
        prefix: &'static str,
        /// Fewest hex characters.
        min: usize,
        /// Most hex characters.
        max: usize,
    },
}

/// Mint a new id of the given kind from the operating system's CSPRNG.
pub fn new_id(kind: IdKind) -> String {
    let bytes = random_bytes();
    let mut id = String::with_capacity(kind.prefix().len() + RANDOM_BYTES * 2);
    id.push_str(kind.prefix());
    push_hex(&mut id, &bytes);
    id
}

/// Append `bytes` to `out` as lowercase hex (what `hex::encode` gives, without its
/// per-character iterator: this runs several times per metered call).
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for chunk in bytes.chunks(32) {
        let mut text = [0u8; 64];
        let text = hex_into(&mut text, chunk);
        out.push_str(std::str::from_utf8(text).expect("hex digits are ASCII"));
    }
}

/// [`push_hex`] onto bytes (JSON text being written).
pub fn push_hex_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for chunk in bytes.chunks(32) {
        let mut text = [0u8; 64];
        out.extend_from_slice(hex_into(&mut text, chunk));
    }
}

/// Write `bytes` (at most 32) into `buf` as hex digits; the digits written.
fn hex_into<'a>(buf: &'a mut [u8; 64], bytes: &[u8]) -> &'a [u8] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (pair, b) in buf.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0x0f)];
    }
    &buf[..bytes.len() * 2]
}

/// `bytes` as lowercase hex.
pub fn hex_lower(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    push_hex(&mut s, bytes);
    s
}

/// Ids minted per refill of the per-thread pool of OS random bytes.
const POOL_IDS: usize = 32;

/// `RANDOM_BYTES` fresh bytes from the OS CSPRNG. Bytes are fetched in batches of
/// [`POOL_IDS`] ids per thread and every byte is handed out once, which keeps a system
/// call off most mints (the shim mints two ids per metered call).
fn random_bytes() -> [u8; RANDOM_BYTES] {
    use std::cell::RefCell;
    struct Pool {
        bytes: [u8; RANDOM_BYTES * POOL_IDS],
        used: usize,
    }
    thread_local! {
        static POOL: RefCell<Pool> = const { RefCell::new(Pool {
            bytes: [0; RANDOM_BYTES * POOL_IDS],
            used: RANDOM_BYTES * POOL_IDS,
        }) };
    }
    POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.used == pool.bytes.len() {
            getrandom::getrandom(&mut pool.bytes)
                .expect("the operating system's random number generator failed");
            pool.used = 0;
        }
        let at = pool.used;
        let mut out = [0u8; RANDOM_BYTES];
        out.copy_from_slice(&pool.bytes[at..at + RANDOM_BYTES]);
        // Never hand the same bytes out twice.
        pool.bytes[at..at + RANDOM_BYTES].fill(0);
        pool.used = at + RANDOM_BYTES;
        out
    })
}

/// Check an id read from a document.
pub fn validate(kind: IdKind, id: &str) -> Result<(), IdError> {
    let prefix = kind.prefix();
    let Some(body) = id.strip_prefix(prefix) else {
        return Err(IdError::Prefix {
            id: id.to_owned(),
            prefix,
        });
    };
    let ok = (MIN_HEX..=MAX_HEX).contains(&body.len())
        && body.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if ok {
        Ok(())
    } else {
        Err(IdError::Body {
            id: id.to_owned(),
            prefix,
            min: MIN_HEX,
            max: MAX_HEX,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_ids_validate() {
        for kind in [IdKind::Event, IdKind::Receipt, IdKind::Dispute] {
            let id = new_id(kind);
            assert_eq!(id.len(), kind.prefix().len() + 24);
            validate(kind, &id).unwrap();
        }
        assert_ne!(new_id(IdKind::Receipt), new_id(IdKind::Receipt));
    }

    #[test]
    fn hex_matches_the_hex_crate() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(hex_lower(&bytes), hex::encode(&bytes));
        assert_eq!(hex_lower(&[]), "");
        let mut text = b"x".to_vec();
        push_hex_bytes(&mut text, &bytes[7..]);
        assert_eq!(text, format!("x{}", hex::encode(&bytes[7..])).into_bytes());
    }

    #[test]
    fn pooled_ids_never_repeat_across_refills() {
        let ids: std::collections::HashSet<String> = (0..POOL_IDS * 5 + 3)
            .map(|_| new_id(IdKind::Event))
            .collect();
        assert_eq!(ids.len(), POOL_IDS * 5 + 3);
    }

    #[test]
    fn readers_accept_sixteen_or_more() {
        validate(IdKind::Receipt, "rcpt_a1b2c3d4e5f67890").unwrap();
        assert!(validate(IdKind::Receipt, "rcpt_a1b2c3d4e5f6789").is_err());
        assert!(validate(IdKind::Receipt, "rcpt_A1B2C3D4E5F67890").is_err());
        assert!(validate(IdKind::Receipt, "disp_a1b2c3d4e5f67890").is_err());
        assert!(validate(IdKind::Dispute, "disp_a1b2c3d4e5f6789g").is_err());
        assert!(validate(IdKind::Event, &format!("evt_{}", "a".repeat(129))).is_err());
    }
}
