//! The `MeterEvent` value type and its strict reader.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::doc::{DocError, Fields};
use crate::ids::{self, IdKind};
use crate::time::Timestamp;

/// The outcome of a tool call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The tool answered with a result.
    Success,
    /// The tool answered with an error (or the call was cancelled).
    Error,
    /// No answer within the timeout.
    Timeout,
    /// Refused by a budget, free-tier or rate limit before reaching the server.
    RateLimited,
}

impl Status {
    /// Every status, in spec order.
    pub const ALL: [Status; 4] = [
        Status::Success,
        Status::Error,
        Status::Timeout,
        Status::RateLimited,
    ];

    /// The spec spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Error => "error",
            Status::Timeout => "timeout",
            Status::RateLimited => "rate_limited",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown status '{s}'; expected one of success, error, timeout, rate_limited"
                )
            })
    }
}

/// A spec section 1 meter event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeterEvent {
    /// `evt_` id, the idempotency key when exporting.
    pub event_id: String,
    /// Tool identifier (at least one of `tool_id` and `tool_name` is present).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_id: Option<String>,
    /// Human-readable tool name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_name: Option<String>,
    /// The consumer.
    pub agent_id: String,
    /// The tool operator.
    pub provider_id: String,
    /// When the call was seen.
    pub timestamp: Timestamp,
    /// Wall-clock time from request to answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// The outcome.
    pub status: Status,
    /// What the call cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_microcents: Option<u64>,
    /// Input tokens reported by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Output tokens reported by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Arbitrary key-value pairs.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub metadata: Map<String, Value>,
}

const FIELDS: &[&str] = &[
    "event_id",
    "tool_id",
    "tool_name",
    "agent_id",
    "provider_id",
    "timestamp",
    "duration_ms",
    "status",
    "cost_microcents",
    "input_tokens",
    "output_tokens",
    "metadata",
];

impl MeterEvent {
    /// The tool id, else the tool name.
    pub fn tool(&self) -> &str {
        self.tool_id
            .as_deref()
            .or(self.tool_name.as_deref())
            .unwrap_or_default()
    }

    /// Read an event strictly. A missing `event_id` is tolerated (other
    /// implementations may omit it) and reported as `None` by [`Self::from_value_lenient_id`].
    pub fn from_value(value: &Value) -> Result<Self, DocError> {
        let (mut event, had_id) = Self::from_value_lenient_id(value)?;
        if !had_id {
            event.event_id = ids::new_id(IdKind::Event);
        }
        Ok(event)
    }

    /// Read an event; the bool says whether it carried its own `event_id`.
    pub fn from_value_lenient_id(value: &Value) -> Result<(Self, bool), DocError> {
        let f = Fields::of(value, "meter event")?;
        let event_id = f.opt_str("event_id")?;
        if let Some(id) = event_id {
            ids::validate(IdKind::Event, id)
                .map_err(|e| DocError::invalid("event_id", &Value::from(id), e.to_string()))?;
        }
        let tool_id = f.opt_str("tool_id")?.map(str::to_owned);
        let tool_name = f.opt_str("tool_name")?.map(str::to_owned);
        if tool_id.is_none() && tool_name.is_none() {
            return Err(DocError::Missing {
                field: "tool_id".to_owned(),
                expected: "at least one of tool_id and tool_name must be a non-empty string"
                    .to_owned(),
            });
        }
        let timestamp = read_timestamp(&f)?;
        let status = read_status(&f)?;
        let mut metadata = f.opt_object("metadata")?.cloned().unwrap_or_default();
        // Unknown top-level fields are kept, under metadata, rather than dropped.
        for (k, v) in f.extras(FIELDS) {
            metadata.entry(k).or_insert(v);
        }
        Ok((
            MeterEvent {
                event_id: event_id.unwrap_or_default().to_owned(),
                tool_id,
                tool_name,
                agent_id: f.str("agent_id")?.to_owned(),
                provider_id: f.str("provider_id")?.to_owned(),
                timestamp,
                duration_ms: f.opt_u64("duration_ms")?,
                status,
                cost_microcents: f.opt_u64("cost_microcents")?,
                input_tokens: f.opt_u64("input_tokens")?,
                output_tokens: f.opt_u64("output_tokens")?,
                metadata,
            },
            event_id.is_some(),
        ))
    }
}

/// The document's required `timestamp`: an RFC 3339 time with a zone.
pub fn read_timestamp(f: &Fields<'_>) -> Result<Timestamp, DocError> {
    let raw = f.str("timestamp")?;
    Timestamp::parse(raw).map_err(|_| {
        DocError::invalid(
            "timestamp",
            &Value::from(raw),
            "an RFC 3339 time with a zone, e.g. 2026-11-22T10:15:30.123Z",
        )
    })
}

/// The document's required `status`: one of the four spec statuses.
pub fn read_status(f: &Fields<'_>) -> Result<Status, DocError> {
    let raw = f.str("status")?;
    raw.parse::<Status>().map_err(|_| {
        DocError::invalid(
            "status",
            &Value::from(raw),
            "one of success, error, timeout, rate_limited",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Value {
        json!({
            "event_id": "evt_a1b2c3d4e5f6a7b8c9d0e1f2",
            "tool_id": "search",
            "agent_id": "agent-1",
            "provider_id": "acme",
            "timestamp": "2026-11-22T10:00:00.000Z",
            "duration_ms": 234,
            "status": "success",
            "cost_microcents": 50000,
            "metadata": {"session_id": "s1"}
        })
    }

    #[test]
    fn reads_and_writes_back() {
        let e = MeterEvent::from_value(&base()).unwrap();
        assert_eq!(e.tool(), "search");
        assert_eq!(serde_json::to_value(&e).unwrap(), base());
    }

    #[test]
    fn refusals_name_the_field() {
        let mut v = base();
        v["status"] = json!("ok");
        let err = MeterEvent::from_value(&v).unwrap_err().to_string();
        assert!(
            err.contains("'status'") && err.contains("\"ok\"") && err.contains("rate_limited"),
            "{err}"
        );

        let mut v = base();
        v.as_object_mut().unwrap().remove("tool_id");
        assert!(
            MeterEvent::from_value(&v)
                .unwrap_err()
                .to_string()
                .contains("tool_name")
        );

        let mut v = base();
        v["timestamp"] = json!("2026-11-22T10:00:00");
        assert!(
            MeterEvent::from_value(&v)
                .unwrap_err()
                .to_string()
                .contains("'timestamp'")
        );

        let mut v = base();
        v["cost_microcents"] = json!("50000");
        assert!(
            MeterEvent::from_value(&v)
                .unwrap_err()
                .to_string()
                .contains("'cost_microcents'")
        );
    }
}
