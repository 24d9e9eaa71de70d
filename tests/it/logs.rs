//! Building meter event logs for the analytics tests.

#![allow(dead_code)]

use serde_json::{Value, json};

/// One meter event line with the given fields (metadata optional).
#[allow(clippy::too_many_arguments)]
pub fn event(
    provider: &str,
    tool: &str,
    agent: &str,
    ts: &str,
    status: &str,
    dur: u64,
    cost: u64,
    meta: Value,
) -> String {
    let mut v = json!({
        "event_id": format!("evt_{:024x}", fxhash(&(provider.to_owned() + tool + agent + ts + status + &dur.to_string() + &cost.to_string() + &meta.to_string()))),
        "tool_id": tool,
        "agent_id": agent,
        "provider_id": provider,
        "timestamp": ts,
        "duration_ms": dur,
        "status": status,
        "cost_microcents": cost,
    });
    if !meta.is_null() {
        v["metadata"] = meta;
    }
    v.to_string()
}

fn fxhash(s: &str) -> u128 {
    let mut h: u128 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0100_0000_0000_0000_0000_0000_013b);
    }
    h & ((1u128 << 96) - 1)
}

/// One call of `provider`'s `search` tool by agent `a` that cost nothing.
pub fn free_call(provider: &str, ts: &str, status: &str, dur: u64, meta: Value) -> String {
    event(provider, "search", "a", ts, status, dur, 0, meta)
}

/// `n` events of a provider, `ok` of them successful (the rest errors), all lasting `dur`
/// ms, spread over the minutes after `day`T00:00.
pub fn calls(provider: &str, n: usize, ok: usize, dur: u64, day: &str) -> Vec<String> {
    (0..n)
        .map(|i| {
            let ts = format!(
                "{day}T{:02}:{:02}:{:02}.000Z",
                (i / 3600) % 24,
                (i / 60) % 60,
                i % 60
            );
            let status = if i < ok { "success" } else { "error" };
            event(
                provider,
                "search",
                "agent-1",
                &ts,
                status,
                dur,
                if i < ok { 1000 } else { 0 },
                Value::Null,
            )
        })
        .collect()
}

/// `n` copies of an event `line`, one per line, each with its own event id (the same event
/// twice would be refused as counted twice).
pub fn copies(line: &str, n: usize) -> String {
    let v: Value = serde_json::from_str(line).expect("an event line");
    let id = v["event_id"].as_str().expect("an event id");
    let mut text = String::with_capacity((line.len() + 1) * n);
    for i in 0..n {
        text.push_str(&line.replacen(id, &format!("evt_{i:024x}"), 1));
        text.push('\n');
    }
    text
}
