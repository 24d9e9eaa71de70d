//! CPU per metered call of `mcpbill wrap`'s relay, without pipes or processes: the two
//! relay loops run on in-memory input (bursts of 32 `tools/call` requests, each followed by
//! their answers shaped like the example server's) with pricing, signed receipts, `_meta`
//! entries and the event log on, against a plain copy of the same bytes as the baseline.
//!
//! `cargo run --release --example bench_pump [N]` prints microseconds per call for each
//! side and the ratio to copying (see docs/benchmarks.md, section "wrap").

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use mcpbill::eventlog::LogDir;
use mcpbill::key::Secret;
use mcpbill::pricing::PricingFile;
use mcpbill::wrap::ledger::Ledger;
use mcpbill::wrap::{Config, Pump};

/// Calls in flight: requests are relayed in bursts of this many, then their answers.
const IN_FLIGHT: usize = 32;

const PRICING: &str = r#"
provider_id = "bench-provider"
[tools.search]
pricing_model = "per_call"
price_per_call = "$0.001"
"#;

fn requests(n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for id in 1..=n {
        writeln!(
            out,
            r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"search","arguments":{{"query":"benchmark query {id}"}}}}}}"#
        )
        .expect("writing to a Vec");
    }
    out
}

fn answers(n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for id in 1..=n {
        let q = format!("benchmark query {id}");
        writeln!(
            out,
            r#"{{"jsonrpc":"2.0","id":{id},"result":{{"content":[{{"type":"text","text":"result 1 for '{q}'\nresult 2 for '{q}'\nresult 3 for '{q}'"}}],"structuredContent":{{"query":"{q}","hits":["result 1 for '{q}'","result 2 for '{q}'","result 3 for '{q}'"]}},"isError":false}}}}"#
        )
        .expect("writing to a Vec");
    }
    out
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let log = LogDir::open(Some(tmp.path())).expect("the log directory");
    let mut cfg = Config::new("bench-provider");
    cfg.pricing = Some(PricingFile::parse(PRICING, "bench.toml").expect("pricing"));
    cfg.key = Some(Secret::from_text("bench-key").expect("key"));
    cfg.agent_id = Some("bench-agent".into());
    let (req, ans) = (requests(n), answers(n));

    // Baseline: copying the same bytes through a buffer, line by line.
    let copy = |input: &[u8]| {
        let t = Instant::now();
        let mut sink = Vec::with_capacity(input.len() * 2);
        for line in input.split_inclusive(|b| *b == b'\n') {
            sink.extend_from_slice(line);
        }
        std::hint::black_box(&sink);
        t.elapsed()
    };
    let copied = copy(&req) + copy(&ans);

    let ledger = Ledger::open(&log, &cfg.provider_id).expect("the ledger");
    let pump = Pump::new(cfg, ledger, std::io::sink(), Box::new(std::io::stderr()));
    // Bursts of IN_FLIGHT requests, then their answers, as a pipelining client makes them.
    let (mut client_side, mut server_side) = (Duration::ZERO, Duration::ZERO);
    let bursts = |input: &[u8]| -> Vec<std::ops::Range<usize>> {
        let ends: Vec<usize> = input
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1)
            .collect();
        let mut start = 0;
        ends.chunks(IN_FLIGHT)
            .map(|c| {
                let r = start..c[c.len() - 1];
                start = r.end;
                r
            })
            .collect()
    };
    for (r, a) in bursts(&req).into_iter().zip(bursts(&ans)) {
        let t = Instant::now();
        pump.clone()
            .client_to_server(Cursor::new(&req[r]), std::io::sink())
            .expect("client side");
        client_side += t.elapsed();
        let t = Instant::now();
        pump.clone()
            .server_to_client(Cursor::new(&ans[a]))
            .expect("server side");
        server_side += t.elapsed();
    }
    let t = Instant::now();
    pump.finish();
    let flushed = t.elapsed();

    let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!(
        "{{\"calls\":{n},\"client_side_us\":{:.3},\"server_side_us\":{:.3},\"final_flush_us\":{:.3},\"copy_us\":{:.3}}}",
        per(client_side),
        per(server_side),
        per(flushed),
        per(copied)
    );
}
