//! The `Receipt` value type and its strict reader.

use serde::Serialize;
use serde_json::{Map, Value};

use super::canonical::{AmbiguousField, canonical_string};
use crate::doc::{DocError, Fields};
use crate::ids::{self, IdKind};
use crate::meter::{Status, read_status, read_timestamp};
use crate::time::Timestamp;

/// A spec section 2 receipt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Receipt {
    /// `rcpt_` id.
    pub receipt_id: String,
    /// Tool identifier.
    pub tool_id: String,
    /// The consumer.
    pub agent_id: String,
    /// The tool operator.
    pub provider_id: String,
    /// When the call was seen (signed byte for byte as written).
    pub timestamp: Timestamp,
    /// Wall-clock duration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// What the call cost.
    pub cost_microcents: u64,
    /// The outcome.
    pub status: Status,
    /// `sha256:` hash of the JCS form of the call's arguments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_hash: Option<String>,
    /// `sha256:` hash of the JCS form of the call's result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_hash: Option<String>,
    /// Lowercase hex HMAC-SHA256 of the canonical string.
    pub signature: String,
    /// Where the provider answers verification requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_url: Option<String>,
    /// Fields this version does not know, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The signed fields of a receipt, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptFields<'a> {
    /// `rcpt_` id.
    pub receipt_id: &'a str,
    /// Tool identifier.
    pub tool_id: &'a str,
    /// The consumer.
    pub agent_id: &'a str,
    /// The tool operator.
    pub provider_id: &'a str,
    /// Timestamp string as written.
    pub timestamp: &'a str,
    /// Cost in microcents.
    pub cost_microcents: u64,
    /// Status spelling.
    pub status: &'a str,
}

/// Borrow the signed fields of anything laid out like a receipt (a [`Receipt`] or an
/// unsigned [`super::Draft`]): the one place the field mapping is written.
macro_rules! signed_fields {
    ($r:expr) => {{
        let r = $r;
        $crate::receipt::ReceiptFields {
            receipt_id: &r.receipt_id,
            tool_id: &r.tool_id,
            agent_id: &r.agent_id,
            provider_id: &r.provider_id,
            timestamp: r.timestamp.as_str(),
            cost_microcents: r.cost_microcents,
            status: r.status.as_str(),
        }
    }};
}
pub(super) use signed_fields;

impl ReceiptFields<'_> {
    /// The canonical string over these fields.
    pub fn canonical(&self) -> Result<String, AmbiguousField> {
        canonical_string(
            self.receipt_id,
            self.tool_id,
            self.agent_id,
            self.provider_id,
            self.timestamp,
            self.cost_microcents,
            self.status,
        )
    }
}

const KNOWN: &[&str] = &[
    "receipt_id",
    "tool_id",
    "agent_id",
    "provider_id",
    "timestamp",
    "duration_ms",
    "cost_microcents",
    "status",
    "input_hash",
    "output_hash",
    "signature",
    "verify_url",
];

impl Receipt {
    /// The signed fields.
    pub fn fields(&self) -> ReceiptFields<'_> {
        signed_fields!(self)
    }

    /// The canonical string.
    pub fn canonical(&self) -> Result<String, AmbiguousField> {
        self.fields().canonical()
    }

    /// Read a receipt strictly (the signature's hex is checked, not its value).
    pub fn from_value(value: &Value) -> Result<Self, DocError> {
        let f = Fields::of(value, "receipt")?;
        let receipt_id = f.str("receipt_id")?;
        ids::validate(IdKind::Receipt, receipt_id).map_err(|e| {
            let expected = match e {
                ids::IdError::Prefix { .. } => "an id starting with 'rcpt_'".to_owned(),
                ids::IdError::Body { min, max, .. } => {
                    format!("'rcpt_' followed by {min} to {max} lowercase hex characters")
                }
            };
            DocError::invalid("receipt_id", &Value::from(receipt_id), expected)
        })?;
        let timestamp = read_timestamp(&f)?;
        let status = read_status(&f)?;
        let signature = f.str("signature")?;
        if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(DocError::invalid(
                "signature",
                &Value::from(signature),
                "64 hex characters (HMAC-SHA256)",
            ));
        }
        for hash_field in ["input_hash", "output_hash"] {
            if let Some(h) = f.opt_str(hash_field)? {
                let ok = h.strip_prefix("sha256:").is_some_and(|hex| {
                    hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())
                });
                if !ok {
                    return Err(DocError::invalid(
                        hash_field,
                        &Value::from(h),
                        "'sha256:' followed by 64 hex characters",
                    ));
                }
            }
        }
        Ok(Receipt {
            receipt_id: receipt_id.to_owned(),
            tool_id: f.str("tool_id")?.to_owned(),
            agent_id: f.str("agent_id")?.to_owned(),
            provider_id: f.str("provider_id")?.to_owned(),
            timestamp,
            duration_ms: f.opt_u64("duration_ms")?,
            cost_microcents: f.u64("cost_microcents")?,
            status,
            input_hash: f.opt_str("input_hash")?.map(str::to_owned),
            output_hash: f.opt_str("output_hash")?.map(str::to_owned),
            signature: signature.to_owned(),
            verify_url: f.opt_str("verify_url")?.map(str::to_owned),
            extra: f.extras(KNOWN),
        })
    }
}
