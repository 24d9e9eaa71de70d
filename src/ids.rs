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
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::getrandom(&mut bytes)
        .expect("the operating system's random number generator failed");
    let mut id = String::with_capacity(kind.prefix().len() + RANDOM_BYTES * 2);
    id.push_str(kind.prefix());
    id.push_str(&hex::encode(bytes));
    id
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
    fn readers_accept_sixteen_or_more() {
        validate(IdKind::Receipt, "rcpt_a1b2c3d4e5f67890").unwrap();
        assert!(validate(IdKind::Receipt, "rcpt_a1b2c3d4e5f6789").is_err());
        assert!(validate(IdKind::Receipt, "rcpt_A1B2C3D4E5F67890").is_err());
        assert!(validate(IdKind::Receipt, "disp_a1b2c3d4e5f67890").is_err());
        assert!(validate(IdKind::Dispute, "disp_a1b2c3d4e5f6789g").is_err());
        assert!(validate(IdKind::Event, &format!("evt_{}", "a".repeat(129))).is_err());
    }
}
