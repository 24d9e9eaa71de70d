//! HMAC-SHA256 signing and constant-time verification.

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::Value;
use sha2::Sha256;

use super::canonical::AmbiguousField;
use super::model::{Receipt, ReceiptFields};
use crate::doc::DocError;
use crate::key::Secret;

/// HMAC-SHA256, as the spec requires.
pub type HmacSha256 = Hmac<Sha256>;

/// The keyed HMAC state for a secret (its inner and outer pads already absorbed):
/// clone it per message instead of re-keying.
pub fn keyed_mac(key: &Secret) -> HmacSha256 {
    HmacSha256::new_from_slice(key.bytes()).expect("HMAC takes keys of any length")
}

/// Sign the receipt fields: lowercase hex HMAC-SHA256 of the canonical string.
pub fn sign_fields(key: &Secret, fields: &ReceiptFields<'_>) -> Result<String, AmbiguousField> {
    let canonical = fields.canonical()?;
    Ok(crate::ids::hex_lower(&mac(key, canonical.as_bytes())))
}

fn mac(key: &Secret, message: &[u8]) -> [u8; 32] {
    let mut m = keyed_mac(key);
    m.update(message);
    m.finalize().into_bytes().into()
}

/// Why a receipt is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Invalid {
    /// The line or document is not JSON (a torn line, garbage).
    #[error("not JSON: {detail}")]
    NotJson {
        /// The parser's message.
        detail: String,
    },
    /// The signature does not match the signed fields under the key.
    #[error(
        "bad signature: the signed fields or the signature were changed, or another key signed it"
    )]
    BadSignature,
    /// A required field is absent.
    #[error("missing field '{field}'")]
    MissingField {
        /// The field.
        field: String,
    },
    /// A field has the wrong type or an invalid value.
    #[error("{detail}")]
    MalformedField {
        /// The field, when known.
        field: Option<String>,
        /// The full message.
        detail: String,
    },
    /// The receipt id does not have the `rcpt_` + hex form.
    #[error("{detail}")]
    BadId {
        /// The full message.
        detail: String,
    },
    /// A field would make the canonical string ambiguous.
    #[error("ambiguous field: {detail}")]
    AmbiguousField {
        /// The field.
        field: String,
        /// The full message.
        detail: String,
    },
    /// No key is known for the receipt's provider.
    #[error("no key for provider '{provider_id}' in the keyring; add it to the keyring file")]
    UnknownProvider {
        /// The provider.
        provider_id: String,
    },
}

impl Invalid {
    /// The reason for a document the strict reader refused.
    pub fn from_doc(err: &DocError) -> Self {
        match err {
            DocError::Json(detail) => Invalid::NotJson {
                detail: detail.clone(),
            },
            DocError::Missing { field, .. } => Invalid::MissingField {
                field: field.clone(),
            },
            DocError::Duplicate { field, .. } => Invalid::AmbiguousField {
                field: field.clone(),
                detail: err.to_string(),
            },
            DocError::Invalid { field, .. } if field == "receipt_id" => Invalid::BadId {
                detail: err.to_string(),
            },
            other => Invalid::MalformedField {
                field: other.field().map(str::to_owned),
                detail: other.to_string(),
            },
        }
    }

    /// A short machine-friendly code for the reason.
    pub fn code(&self) -> &'static str {
        match self {
            Invalid::NotJson { .. } => "not_json",
            Invalid::BadSignature => "bad_signature",
            Invalid::MissingField { .. } => "missing_field",
            Invalid::MalformedField { .. } => "malformed_field",
            Invalid::BadId { .. } => "bad_id",
            Invalid::AmbiguousField { .. } => "ambiguous_field",
            Invalid::UnknownProvider { .. } => "unknown_provider",
        }
    }
}

/// The outcome of verifying one receipt document.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The receipt, when it could be read.
    pub receipt: Option<Receipt>,
    /// `None` when valid.
    pub invalid: Option<Invalid>,
}

impl Verdict {
    /// Whether the receipt is authentic.
    pub fn valid(&self) -> bool {
        self.invalid.is_none()
    }
}

/// Verify one receipt document. `key_for` returns the key for a provider id
/// (`None` when the provider has no key).
pub fn verify_value<'k>(
    value: &Value,
    key_for: impl FnOnce(&str) -> Option<&'k Secret>,
) -> Verdict {
    let receipt = match Receipt::from_value(value) {
        Ok(r) => r,
        Err(e) => {
            return Verdict {
                receipt: None,
                invalid: Some(Invalid::from_doc(&e)),
            };
        }
    };
    let invalid = check(&receipt, key_for);
    Verdict {
        receipt: Some(receipt),
        invalid,
    }
}

fn check<'k>(
    receipt: &Receipt,
    key_for: impl FnOnce(&str) -> Option<&'k Secret>,
) -> Option<Invalid> {
    check_with(receipt, |provider| {
        key_for(provider).map(keyed_mac).ok_or(())
    })
}

/// Check a receipt that the strict reader accepted, with the keyed HMAC for its
/// provider (`Err(())` when the provider has no key).
pub(crate) fn check_with<M: std::borrow::Borrow<HmacSha256>>(
    receipt: &Receipt,
    mac_for: impl FnOnce(&str) -> Result<M, ()>,
) -> Option<Invalid> {
    let canonical = match receipt.canonical() {
        Ok(c) => c,
        Err(e) => {
            return Some(Invalid::AmbiguousField {
                field: e.field.to_owned(),
                detail: e.to_string(),
            });
        }
    };
    let Ok(mac) = mac_for(&receipt.provider_id) else {
        return Some(Invalid::UnknownProvider {
            provider_id: receipt.provider_id.clone(),
        });
    };
    let mut given = [0u8; 32];
    if hex::decode_to_slice(&receipt.signature, &mut given).is_err() {
        return Some(Invalid::BadSignature);
    }
    let mut m = mac.borrow().clone();
    m.update(canonical.as_bytes());
    // `verify_slice` compares in constant time.
    if m.verify_slice(&given).is_ok() {
        None
    } else {
        Some(Invalid::BadSignature)
    }
}
