//! The wrap benchmark's helpers (driven by `scripts/bench-wrap`), in one small binary:
//!
//! - `bench_wrap relay -- CMD...`: a minimal byte relay (two copy threads, no parsing), the
//!   baseline a metering shim is compared with.
//! - `bench_wrap seq N -- CMD...`: N sequential `tools/call` round trips; prints p50/p99/mean
//!   latency in microseconds as JSON.
//! - `bench_wrap pipe N INFLIGHT -- CMD...`: N calls with INFLIGHT in flight; prints calls/s,
//!   and the server process's peak and current RSS (from /proc) as JSON.
//!
//! CMD is the MCP server to talk to (directly, through the relay, or through `mcpbill wrap`).
//! Calls are `search` calls of `mcpbill example-server` unless `BENCH_PARAMS` gives other
//! `tools/call` params as JSON (`{id}` in it becomes each call's id).
//! No third-party timing libraries: `std::time::Instant` and sorting.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(split) = args.iter().position(|a| a == "--") else {
        return usage();
    };
    let (opts, cmd) = (&args[..split], &args[split + 1..]);
    if cmd.is_empty() || opts.is_empty() {
        return usage();
    }
    let result = match (opts[0].as_str(), &opts[1..]) {
        ("relay", []) => relay(cmd),
        ("seq", [n]) => n
            .parse()
            .map_err(io::Error::other)
            .and_then(|n| seq(cmd, n)),
        ("pipe", [n, inflight]) => match (n.parse(), inflight.parse()) {
            (Ok(n), Ok(k)) => pipe(cmd, n, k),
            _ => return usage(),
        },
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_wrap: {e}");
            ExitCode::from(2)
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: bench_wrap relay -- CMD... | seq N -- CMD... | pipe N INFLIGHT -- CMD...");
    ExitCode::from(2)
}

fn spawn(cmd: &[String]) -> io::Result<(Child, ChildStdin, ChildStdout)> {
    let mut child = Command::new(&cmd[0])
        .args(&cmd[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdin = child.stdin.take().expect("piped stdin");
    let stdout = child.stdout.take().expect("piped stdout");
    Ok((child, stdin, stdout))
}

/// Copy bytes both ways until the client closes; then close the child's stdin and wait.
fn relay(cmd: &[String]) -> io::Result<()> {
    let (mut child, mut to_child, mut from_child) = spawn(cmd)?;
    let up = std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        let mut stdin = io::stdin().lock();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to_child.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        // Dropping `to_child` closes the server's stdin.
    });
    let mut buf = vec![0u8; 64 * 1024];
    let mut stdout = io::stdout().lock();
    loop {
        match from_child.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                stdout.write_all(&buf[..n])?;
                stdout.flush()?;
            }
        }
    }
    let _ = up.join();
    child.wait()?;
    Ok(())
}

/// The `params` of every call: `BENCH_PARAMS` (JSON; `{id}` becomes the call's id), by
/// default a `search` of the example server.
fn call_params() -> String {
    std::env::var("BENCH_PARAMS").unwrap_or_else(|_| {
        r#"{"name":"search","arguments":{"query":"benchmark query {id}"}}"#.to_owned()
    })
}

fn call_line(params: &str, id: u64) -> Vec<u8> {
    let params = params.replace("{id}", &id.to_string());
    format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/call\",\"params\":{params}}}\n")
        .into_bytes()
}

/// Initialize the session; returns the reader positioned after the answer.
fn handshake(stdin: &mut ChildStdin, reader: &mut BufReader<ChildStdout>) -> io::Result<()> {
    stdin.write_all(
        b"{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}\n",
    )?;
    stdin.flush()?;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    if !line.contains("\"result\"") {
        return Err(io::Error::other(format!("initialize failed: {line}")));
    }
    stdin.write_all(b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n")?;
    stdin.flush()
}

/// Read the next answer, skipping the server's notifications (log messages, list changes).
fn read_answer(reader: &mut BufReader<ChildStdout>, line: &mut Vec<u8>) -> io::Result<()> {
    loop {
        line.clear();
        if reader.read_until(b'\n', line)? == 0 {
            return Err(io::Error::other("the server closed its stdout"));
        }
        let has = |key: &[u8]| line.windows(key.len()).any(|w| w == key);
        // A notification has a method and no id.
        if !has(b"\"method\"") || has(b"\"id\"") {
            break;
        }
    }
    if !line.windows(8).any(|w| w == b"\"result\"") {
        return Err(io::Error::other(format!(
            "not a result: {}",
            String::from_utf8_lossy(line)
        )));
    }
    Ok(())
}

fn finish(mut child: Child, stdin: ChildStdin) -> io::Result<()> {
    drop(stdin);
    child.wait()?;
    Ok(())
}

fn seq(cmd: &[String], n: u64) -> io::Result<()> {
    let (child, mut stdin, stdout) = spawn(cmd)?;
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    handshake(&mut stdin, &mut reader)?;
    let warmup = (n / 10).max(100);
    let mut line = Vec::new();
    let mut samples = Vec::with_capacity(n as usize);
    let params = call_params();
    for id in 1..=warmup + n {
        let req = call_line(&params, id);
        let start = Instant::now();
        stdin.write_all(&req)?;
        stdin.flush()?;
        read_answer(&mut reader, &mut line)?;
        if id > warmup {
            samples.push(start.elapsed().as_nanos() as u64);
        }
    }
    finish(child, stdin)?;
    samples.sort_unstable();
    let pct = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
    let mean = samples.iter().sum::<u64>() / samples.len() as u64;
    println!(
        "{{\"calls\":{n},\"p50_us\":{:.2},\"p99_us\":{:.2},\"mean_us\":{:.2}}}",
        pct(0.50) as f64 / 1000.0,
        pct(0.99) as f64 / 1000.0,
        mean as f64 / 1000.0
    );
    Ok(())
}

fn pipe(cmd: &[String], n: u64, inflight: u64) -> io::Result<()> {
    let (child, mut stdin, stdout) = spawn(cmd)?;
    let pid = child.id();
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    handshake(&mut stdin, &mut reader)?;
    let (credit_tx, credit_rx) = mpsc::channel::<()>();
    for _ in 0..inflight {
        credit_tx.send(()).expect("receiver alive");
    }
    let params = call_params();
    let start = Instant::now();
    let writer = std::thread::spawn(move || -> io::Result<ChildStdin> {
        let mut out = BufWriter::new(stdin);
        let mut credits = 0u64;
        for id in 1..=n {
            if credits == 0 {
                // Nothing more may be sent yet: put what is queued on the wire, then wait.
                out.flush()?;
                if credit_rx.recv().is_err() {
                    break;
                }
                credits += 1;
                while credit_rx.try_recv().is_ok() {
                    credits += 1;
                }
            }
            credits -= 1;
            out.write_all(&call_line(&params, id))?;
        }
        out.flush()?;
        out.into_inner().map_err(io::IntoInnerError::into_error)
    });
    let mut line = Vec::new();
    for _ in 0..n {
        read_answer(&mut reader, &mut line)?;
        let _ = credit_tx.send(());
    }
    let elapsed = start.elapsed();
    let stdin = writer
        .join()
        .map_err(|_| io::Error::other("writer panicked"))??;
    let (rss_kb, hwm_kb) = rss_of(pid);
    finish(child, stdin)?;
    println!(
        "{{\"calls\":{n},\"inflight\":{inflight},\"seconds\":{:.3},\"calls_per_s\":{:.0},\"rss_kb\":{rss_kb},\"peak_rss_kb\":{hwm_kb}}}",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}

/// Current and peak resident set size of a process, in KiB (0 when /proc is unavailable).
fn rss_of(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
