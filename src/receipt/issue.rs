//! Issuing receipts: a meter event (plus the call's content hashes) becomes a signed receipt.

use super::canonical::AmbiguousField;
use super::model::{Receipt, ReceiptFields, signed_fields};
use super::sign::sign_fields;
use crate::ids::{self, IdKind};
use crate::key::Secret;
use crate::meter::{MeterEvent, Status};
use crate::time::Timestamp;

/// Everything a receipt holds except its signature. Fill it from an event with
/// [`Draft::from_event`], override fields, then [`Draft::sign`].
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// `rcpt_` id (a new random one from [`Draft::from_event`]).
    pub receipt_id: String,
    /// Tool identifier.
    pub tool_id: String,
    /// The consumer.
    pub agent_id: String,
    /// The tool operator.
    pub provider_id: String,
    /// When the call was seen (signed byte for byte).
    pub timestamp: Timestamp,
    /// Wall-clock duration (not signed).
    pub duration_ms: Option<u64>,
    /// What the call cost.
    pub cost_microcents: u64,
    /// The outcome.
    pub status: Status,
    /// `sha256:` hash of the JCS form of the call's arguments (not signed).
    pub input_hash: Option<String>,
    /// `sha256:` hash of the JCS form of the call's result (not signed).
    pub output_hash: Option<String>,
    /// Base URL; the receipt's `verify_url` is this base, a `/`, then the receipt id.
    pub verify_url_base: Option<String>,
}

impl Draft {
    /// A draft for a meter event: a new receipt id, the event's tool id (else its tool
    /// name), agent, provider, timestamp, duration, status and cost (0 when the event has none).
    pub fn from_event(event: &MeterEvent) -> Self {
        Draft {
            receipt_id: ids::new_id(IdKind::Receipt),
            tool_id: event.tool().to_owned(),
            agent_id: event.agent_id.clone(),
            provider_id: event.provider_id.clone(),
            timestamp: event.timestamp.clone(),
            duration_ms: event.duration_ms,
            cost_microcents: event.cost_microcents.unwrap_or(0),
            status: event.status,
            input_hash: None,
            output_hash: None,
            verify_url_base: None,
        }
    }

    /// The signed fields of this draft.
    pub fn fields(&self) -> ReceiptFields<'_> {
        signed_fields!(self)
    }

    /// Sign the draft. Refuses a field that would make the canonical string ambiguous
    /// (a `|`, a line break or another control character).
    pub fn sign(self, key: &Secret) -> Result<Receipt, AmbiguousField> {
        let signature = sign_fields(key, &self.fields())?;
        let verify_url = self
            .verify_url_base
            .as_deref()
            .map(|base| verify_url(base, &self.receipt_id));
        Ok(Receipt {
            receipt_id: self.receipt_id,
            tool_id: self.tool_id,
            agent_id: self.agent_id,
            provider_id: self.provider_id,
            timestamp: self.timestamp,
            duration_ms: self.duration_ms,
            cost_microcents: self.cost_microcents,
            status: self.status,
            input_hash: self.input_hash,
            output_hash: self.output_hash,
            signature,
            verify_url,
            extra: serde_json::Map::new(),
        })
    }
}

/// `base` + `/` + `receipt_id` (one slash, whether or not `base` ends with one).
pub fn verify_url(base: &str, receipt_id: &str) -> String {
    format!("{}/{receipt_id}", base.trim_end_matches('/'))
}

/// Refuse a `--verify-url-base` that would not make a working `verify_url`: it must be an
/// absolute http(s) URL with a host and without a query or fragment (the receipt id is
/// appended as a path segment).
pub fn check_verify_url_base(base: &str) -> anyhow::Result<()> {
    // Scheme, credentials, query and fragment as every published base URL.
    let url = crate::http::parse_published_base(base, "--verify-url-base")?;
    if url.host().is_none() || url.port() == Some(0) || base.chars().any(char::is_control) {
        anyhow::bail!(
            "--verify-url-base '{}' names no host that can be reached; pass e.g. https://billing.example.com/receipts",
            crate::output::escape_terminal(base)
        );
    }
    // The base is put into receipts as given: it must already be in the form a URL
    // reader writes (`https:host/x`, a space, `\\` would be rewritten by a verifier).
    if url.as_str().trim_end_matches('/') != base.trim_end_matches('/') {
        anyhow::bail!(
            "--verify-url-base '{}' is not written as a URL normally is; pass '{}'",
            crate::output::escape_terminal(base),
            url.as_str().trim_end_matches('/')
        );
    }
    Ok(())
}

/// Sign a receipt for a meter event with a new receipt id. `input_hash` / `output_hash`
/// are `sha256:` hashes from [`super::content_hash`] (for the output, hash the result
/// with its `_meta["mcpbill/receipt"]` entry removed: see [`super::output_hash`]).
/// This is what `mcpbill wrap` calls for every metered call.
pub fn issue(
    key: &Secret,
    event: &MeterEvent,
    input_hash: Option<String>,
    output_hash: Option<String>,
    verify_url_base: Option<&str>,
) -> Result<Receipt, AmbiguousField> {
    let mut draft = Draft::from_event(event);
    draft.input_hash = input_hash;
    draft.output_hash = output_hash;
    draft.verify_url_base = verify_url_base.map(str::to_owned);
    draft.sign(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::verify_value;
    use serde_json::json;

    fn event() -> MeterEvent {
        MeterEvent::from_value(&json!({
            "event_id": "evt_a1b2c3d4e5f6a7b8c9d0e1f2",
            "tool_name": "search",
            "agent_id": "agent-1",
            "provider_id": "acme",
            "timestamp": "2026-11-22T10:00:00.000Z",
            "duration_ms": 234,
            "status": "success",
            "cost_microcents": 50000
        }))
        .unwrap()
    }

    #[test]
    fn issued_receipts_verify() {
        let key = Secret::from_text("k").unwrap();
        let r = issue(
            &key,
            &event(),
            Some(format!("sha256:{}", "a".repeat(64))),
            None,
            Some("https://x.example/r/"),
        )
        .unwrap();
        assert_eq!(r.tool_id, "search");
        assert_eq!(r.cost_microcents, 50000);
        assert_eq!(r.duration_ms, Some(234));
        assert_eq!(
            r.verify_url.as_deref(),
            Some(format!("https://x.example/r/{}", r.receipt_id).as_str())
        );
        let v = serde_json::to_value(&r).unwrap();
        let verdict = verify_value(&v, |p| (p == "acme").then_some(&key));
        assert!(verdict.valid(), "{:?}", verdict.invalid);
    }

    #[test]
    fn refuses_ambiguous_fields() {
        let key = Secret::from_text("k").unwrap();
        let mut e = event();
        e.agent_id = "a|b".to_owned();
        assert_eq!(
            issue(&key, &e, None, None, None).unwrap_err().field,
            "agent_id"
        );
    }
}
