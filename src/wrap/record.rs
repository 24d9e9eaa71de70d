//! The meter event of an answered call, written straight to its JSON line once the answer
//! was forwarded (no `MeterEvent` or metadata map is built on the way), and the metadata every event of
//! a shim starts with. The text is the one `serde_json` writes for the same `MeterEvent`.

use serde_json::{Map, Value};

use super::ledger::{Finished, Priced};

use crate::jsontext::push_string;

/// What every event of one shim carries in its metadata.
#[derive(Debug, Clone, Copy)]
pub struct Common<'a> {
    /// This run's session id.
    pub session_id: &'a str,
    /// The provider's category, if known.
    pub category: Option<&'a str>,
}

/// The metadata a call's event starts with (room reserved for the keys added later).
pub fn base_metadata(
    common: &Common<'_>,
    request_id: &str,
    jsonrpc_id: &Value,
    params: Option<Value>,
) -> Map<String, Value> {
    let mut m = Map::with_capacity(14);
    m.insert("session_id".into(), common.session_id.into());
    m.insert("request_id".into(), request_id.into());
    m.insert("jsonrpc_id".into(), jsonrpc_id.clone());
    if let Some(p) = params {
        m.insert("params".into(), p);
    }
    if let Some(c) = common.category {
        m.insert("category".into(), c.into());
    }
    m
}

/// What an answer told about a call, for its event's metadata.
#[derive(Debug, Default)]
pub struct Outcome {
    /// `mcpbill/request_id`.
    pub request_id: String,
    /// The JSON-RPC id.
    pub jsonrpc_id: Value,
    /// The recorded arguments.
    pub params: Option<Value>,
    /// A JSON-RPC error's code.
    pub error_code: Option<i64>,
    /// The error's message (JSON-RPC error, or a recorded `isError` result's text).
    pub error_message: Option<String>,
    /// The recorded result.
    pub result: Option<Value>,
    /// The task the call ran as, when its answer created one.
    pub task_id: Option<String>,
    /// How many requests the call took, when the server asked for input between them.
    pub rounds: Option<u32>,
    /// The answer could not be written to the client (it had gone).
    pub undelivered: bool,
}

impl Outcome {
    /// The event metadata, as a map.
    pub fn metadata(self, common: &Common<'_>) -> Map<String, Value> {
        let mut m = base_metadata(common, &self.request_id, &self.jsonrpc_id, self.params);
        if let Some(c) = self.error_code {
            m.insert("error_code".into(), c.into());
        }
        if let Some(msg) = self.error_message {
            m.insert("error_message".into(), msg.into());
        }
        if let Some(r) = self.result {
            m.insert("result".into(), r);
        }
        if let Some(t) = self.task_id {
            m.insert("task_id".into(), t.into());
        }
        if let Some(n) = self.rounds {
            m.insert("rounds".into(), n.into());
        }
        if self.undelivered {
            m.insert("undelivered".into(), true.into());
        }
        m
    }
}

/// An answered call, priced and signed: what its event is made of.
#[derive(Debug)]
pub struct Answered {
    /// The call (its `metadata` unused: see `outcome`).
    pub call: Finished,
    /// What the answer told.
    pub outcome: Outcome,
    /// Its price.
    pub priced: Priced,
    /// Its receipt's id and JSON text.
    pub signed: Option<(String, String)>,
}

impl Answered {
    /// The receipt id, when signed.
    pub fn receipt_id(&self) -> Option<&str> {
        self.signed.as_ref().map(|(id, _)| id.as_str())
    }

    /// Append the event's JSON text (no line break) to `out`: the fields of a
    /// `MeterEvent` in its serialization order, metadata keys in [`Outcome::metadata`]'s.
    pub fn write_event(&self, common: &Common<'_>, event_id: &str, out: &mut Vec<u8>) {
        let c = &self.call;
        let o = &self.outcome;
        let p = &self.priced;
        out.extend_from_slice(b"{\"event_id\":");
        push_string(out, event_id);
        out.extend_from_slice(b",\"tool_id\":");
        push_string(out, &c.tool);
        out.extend_from_slice(b",\"agent_id\":");
        push_string(out, &c.agent);
        out.extend_from_slice(b",\"provider_id\":");
        push_string(out, &c.provider);
        out.extend_from_slice(b",\"timestamp\":");
        push_string(out, c.timestamp.as_str());
        if let Some(d) = c.duration_ms {
            out.extend_from_slice(b",\"duration_ms\":");
            number(out, d);
        }
        out.extend_from_slice(b",\"status\":");
        push_string(out, c.status.as_str());
        out.extend_from_slice(b",\"cost_microcents\":");
        number(out, p.cost);
        if let Some(u) = c.usage {
            out.extend_from_slice(b",\"input_tokens\":");
            number(out, u.input_tokens);
            out.extend_from_slice(b",\"output_tokens\":");
            number(out, u.output_tokens);
        }
        out.extend_from_slice(b",\"metadata\":{\"session_id\":");
        push_string(out, common.session_id);
        out.extend_from_slice(b",\"request_id\":");
        push_string(out, &o.request_id);
        out.extend_from_slice(b",\"jsonrpc_id\":");
        value(out, &o.jsonrpc_id);
        if let Some(v) = &o.params {
            out.extend_from_slice(b",\"params\":");
            value(out, v);
        }
        if let Some(cat) = common.category {
            out.extend_from_slice(b",\"category\":");
            push_string(out, cat);
        }
        if let Some(code) = o.error_code {
            out.extend_from_slice(b",\"error_code\":");
            out.extend_from_slice(itoa::Buffer::new().format(code).as_bytes());
        }
        if let Some(m) = &o.error_message {
            out.extend_from_slice(b",\"error_message\":");
            push_string(out, m);
        }
        if let Some(v) = &o.result {
            out.extend_from_slice(b",\"result\":");
            value(out, v);
        }
        if let Some(t) = &o.task_id {
            out.extend_from_slice(b",\"task_id\":");
            push_string(out, t);
        }
        if let Some(n) = o.rounds {
            out.extend_from_slice(b",\"rounds\":");
            number(out, u64::from(n));
        }
        if o.undelivered {
            out.extend_from_slice(b",\"undelivered\":true");
        }
        if let Some(f) = p.free_tier {
            out.extend_from_slice(if f {
                b",\"free_tier\":true"
            } else {
                b",\"free_tier\":false"
            });
        }
        if p.tokens_unreported {
            out.extend_from_slice(b",\"tokens_unreported\":true");
        }
        if let Some(id) = self.receipt_id() {
            out.extend_from_slice(b",\"receipt_id\":");
            push_string(out, id);
        }
        out.extend_from_slice(b"}}");
    }
}

fn value(out: &mut Vec<u8>, v: &Value) {
    serde_json::to_writer(&mut *out, v).expect("writing to a Vec cannot fail");
}

fn number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meter::MeterEvent;
    use crate::meter::Status;
    use crate::pricing::Usage;
    use crate::time::Timestamp;
    use crate::wrap::ledger::event_of;
    use serde_json::json;

    fn answered(variant: u8) -> Answered {
        let full = variant.is_multiple_of(2);
        let mut a = Answered {
            call: Finished {
                tool: "sea\"rch".into(),
                agent: "agent ✓".into(),
                provider: "acme".into(),
                timestamp: Timestamp::parse("2026-11-22T10:00:00.123Z").unwrap(),
                duration_ms: full.then_some(12),
                status: if full { Status::Success } else { Status::Error },
                usage: full.then_some(Usage {
                    input_tokens: 3,
                    output_tokens: 40,
                }),
                metadata: Map::new(),
                input_hash: None,
                output_hash: None,
                receipt: None,
            },
            outcome: Outcome {
                request_id: "req-1".into(),
                jsonrpc_id: if full { json!(7) } else { json!("id\n2") },
                params: full.then(|| json!({"q": "x", "n": [1, 2.5, null]})),
                error_code: (!full).then_some(-32_602),
                error_message: (!full).then(|| "bad \"input\"\u{1}".into()),
                result: full.then(|| json!({"content": [{"type": "text", "text": "hi"}]})),
                task_id: (variant % 3 == 1).then(|| "task \"7\"".into()),
                rounds: (variant % 3 == 2).then_some(3),
                undelivered: variant % 2 == 1,
            },
            priced: Priced {
                cost: if full { 5_000 } else { 0 },
                free_tier: full.then_some(variant == 2),
                tokens_unreported: variant == 4,
                warning: None,
            },
            signed: None,
        };
        if variant < 2 {
            let key = crate::key::Secret::from_text("k").unwrap();
            let signer = crate::wrap::ledger::Signer::new(&key);
            let c = &a.call;
            a.call.receipt = Some(signer.begin(&c.tool, &c.agent, &c.provider, &c.timestamp, None));
            a.signed = Some(a.call.sign(&a.priced).unwrap().unwrap());
        }
        a
    }

    /// The event as a `MeterEvent`, built the way the slow path builds it.
    fn into_event(a: Answered, common: &Common<'_>, event_id: String) -> MeterEvent {
        let receipt_id = a.receipt_id().map(str::to_owned);
        let mut call = a.call;
        call.metadata = a.outcome.metadata(common);
        let mut event = event_of(call, &a.priced, receipt_id.as_deref());
        event.event_id = event_id;
        event
    }

    #[test]
    fn writes_what_serde_writes_for_the_same_event() {
        for variant in 0..6 {
            for category in [None, Some("search")] {
                let common = Common {
                    session_id: "sess",
                    category,
                };
                let a = answered(variant);
                let mut text = Vec::new();
                a.write_event(&common, "evt_x", &mut text);
                let event = into_event(a, &common, "evt_x".into());
                assert_eq!(
                    String::from_utf8(text).unwrap(),
                    serde_json::to_string(&event).unwrap(),
                    "variant {variant}, category {category:?}"
                );
            }
        }
    }
}
