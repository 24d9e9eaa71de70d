//! The canonical string that is signed, and the JCS content hashes.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// A field whose value would make the canonical string ambiguous.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field '{field}' contains {what}, which would make the canonical string ambiguous")]
pub struct AmbiguousField {
    /// The field.
    pub field: &'static str,
    /// What it contains.
    pub what: &'static str,
}

/// The signed fields, in canonical order.
pub const SIGNED_FIELDS: [&str; 7] = [
    "receipt_id",
    "tool_id",
    "agent_id",
    "provider_id",
    "timestamp",
    "cost_microcents",
    "status",
];

/// Build `receipt_id|tool_id|agent_id|provider_id|timestamp|cost_microcents|status`.
/// Refuses a field holding `|`, a line break or another control character.
pub fn canonical_string(
    receipt_id: &str,
    tool_id: &str,
    agent_id: &str,
    provider_id: &str,
    timestamp: &str,
    cost_microcents: u64,
    status: &str,
) -> Result<String, AmbiguousField> {
    let parts: [(&'static str, &str); 4] = [
        ("receipt_id", receipt_id),
        ("tool_id", tool_id),
        ("agent_id", agent_id),
        ("provider_id", provider_id),
    ];
    for (field, value) in parts.iter().copied().chain([("timestamp", timestamp), ("status", status)]) {
        check_field(field, value)?;
    }
    let cost = cost_microcents.to_string();
    let mut out = String::with_capacity(
        receipt_id.len() + tool_id.len() + agent_id.len() + provider_id.len() + timestamp.len() + status.len() + cost.len() + 6,
    );
    for (i, part) in [receipt_id, tool_id, agent_id, provider_id, timestamp, cost.as_str(), status]
        .iter()
        .enumerate()
    {
        if i > 0 {
            out.push('|');
        }
        out.push_str(part);
    }
    Ok(out)
}

/// Refuse values that contain the separator or control characters.
pub fn check_field(field: &'static str, value: &str) -> Result<(), AmbiguousField> {
    for c in value.chars() {
        let what = match c {
            '|' => "the separator '|'",
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => "a line break",
            c if c.is_control() => "a control character",
            _ => continue,
        };
        return Err(AmbiguousField { field, what });
    }
    Ok(())
}

/// `sha256:` + hex SHA-256 of the RFC 8785 (JCS) canonical JSON of `value`.
pub fn content_hash(value: &Value) -> String {
    let canonical = serde_jcs::to_vec(value).expect("a JSON value always serializes");
    let digest = Sha256::digest(&canonical);
    format!("sha256:{}", hex::encode(digest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn joins_with_pipes() {
        let s = canonical_string("rcpt_0123456789abcdef", "t", "a", "p", "2026-01-01T00:00:00Z", 50000, "success").unwrap();
        assert_eq!(s, "rcpt_0123456789abcdef|t|a|p|2026-01-01T00:00:00Z|50000|success");
    }

    #[test]
    fn refuses_ambiguous_fields() {
        let e = canonical_string("rcpt_0123456789abcdef", "t|x", "a", "p", "ts", 0, "success").unwrap_err();
        assert_eq!(e.field, "tool_id");
        assert!(canonical_string("rcpt_0123456789abcdef", "t", "a\nb", "p", "ts", 0, "success").is_err());
        assert!(canonical_string("rcpt_0123456789abcdef", "t", "a", "p\u{7}", "ts", 0, "success").is_err());
        assert!(canonical_string("rcpt_0123456789abcdef", "t", "a", "p", "ts", 0, "success").is_ok());
    }

    #[test]
    fn jcs_hash_ignores_key_order_and_whitespace() {
        let a = content_hash(&json!({"b": 1, "a": [1, 2.5, "x"]}));
        let b = content_hash(&serde_json::from_str::<Value>("{ \"a\" : [1,2.5,\"x\"], \"b\":1 }").unwrap());
        assert_eq!(a, b);
        // sha256 of the JCS form {"a":[1,2.5,"x"],"b":1}
        let expect = hex::encode(Sha256::digest(br#"{"a":[1,2.5,"x"],"b":1}"#));
        assert_eq!(a, format!("sha256:{expect}"));
    }
}
