//! Verifying receipts at speed: the key set (keyed HMAC states computed once), a fast
//! path over a borrowed view of a JSON line, and the strict reader as the authority for
//! every reason a receipt is refused.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use hmac::Mac;
use serde::Deserialize;
use serde_json::Value;

use super::canonical::check_field;
use super::model::Receipt;
use super::sign::{HmacSha256, Invalid, check_with, keyed_mac};
use crate::ids::{self, IdKind};
use crate::key::Secret;
use crate::meter::Status;

/// The keys a verification run may use: one key for every receipt, or one per provider.
/// Each holds its keyed HMAC state; `Debug` never shows key material.
#[derive(Clone)]
pub struct KeySet {
    any: Option<HmacSha256>,
    providers: HashMap<String, HmacSha256>,
}

impl fmt::Debug for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<_> = self.providers.keys().collect();
        names.sort();
        f.debug_struct("KeySet")
            .field("single_key", &self.any.is_some())
            .field("providers", &names)
            .finish()
    }
}

impl KeySet {
    /// One key for receipts of any provider.
    pub fn single(key: &Secret) -> Self {
        KeySet {
            any: Some(keyed_mac(key)),
            providers: HashMap::new(),
        }
    }

    /// One key per provider id; a receipt of another provider is `unknown_provider`.
    pub fn keyring<'a>(keys: impl IntoIterator<Item = (&'a str, &'a Secret)>) -> Self {
        KeySet {
            any: None,
            providers: keys
                .into_iter()
                .map(|(p, k)| (p.to_owned(), keyed_mac(k)))
                .collect(),
        }
    }

    /// The keyed HMAC for a provider.
    pub fn mac_for(&self, provider_id: &str) -> Option<&HmacSha256> {
        self.any
            .as_ref()
            .or_else(|| self.providers.get(provider_id))
    }
}

/// The verdict on one line or document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// Authentic.
    Valid {
        /// The receipt id (checked to be `rcpt_` + lowercase hex).
        receipt_id: Cow<'a, str>,
    },
    /// Not authentic, or not a well-formed receipt.
    Invalid {
        /// The receipt id when the document had a string one.
        receipt_id: Option<String>,
        /// Why.
        reason: Invalid,
    },
}

impl Outcome<'_> {
    /// Whether the receipt is authentic.
    pub fn valid(&self) -> bool {
        matches!(self, Outcome::Valid { .. })
    }
}

/// Verify one JSON line. `scratch` is reused for the canonical string.
pub fn verify_line<'a>(keys: &KeySet, line: &'a [u8], scratch: &mut Vec<u8>) -> Outcome<'a> {
    if let Some(outcome) = fast(keys, line, scratch) {
        return outcome;
    }
    match crate::doc::from_slice(line) {
        Ok(value) => verify_document(keys, &value),
        Err(e) => Outcome::Invalid {
            receipt_id: None,
            reason: Invalid::from_doc(&e),
        },
    }
}

/// Verify one parsed receipt document with the strict reader.
pub fn verify_document(keys: &KeySet, value: &Value) -> Outcome<'static> {
    let id = || {
        value
            .get("receipt_id")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let receipt = match Receipt::from_value(value) {
        Ok(r) => r,
        Err(e) => {
            return Outcome::Invalid {
                receipt_id: id(),
                reason: Invalid::from_doc(&e),
            };
        }
    };
    match check_with(&receipt, |p| keys.mac_for(p).ok_or(())) {
        None => Outcome::Valid {
            receipt_id: Cow::Owned(receipt.receipt_id),
        },
        Some(reason) => Outcome::Invalid {
            receipt_id: Some(receipt.receipt_id),
            reason,
        },
    }
}

/// A receipt line viewed without copying. Any field the fast path cannot borrow
/// (an escaped string), any type surprise, or any check that fails sends the line
/// to the strict reader, which then names the reason.
#[derive(Deserialize)]
struct Fast<'a> {
    #[serde(borrow)]
    receipt_id: &'a str,
    #[serde(borrow)]
    tool_id: &'a str,
    #[serde(borrow)]
    agent_id: &'a str,
    #[serde(borrow)]
    provider_id: &'a str,
    #[serde(borrow)]
    timestamp: &'a str,
    cost_microcents: u64,
    #[serde(borrow)]
    status: &'a str,
    #[serde(borrow)]
    signature: &'a str,
    #[serde(default)]
    #[allow(dead_code)]
    duration_ms: Option<u64>,
    #[serde(default, borrow)]
    input_hash: Option<&'a str>,
    #[serde(default, borrow)]
    output_hash: Option<&'a str>,
    #[serde(default, borrow)]
    verify_url: Option<&'a str>,
}

/// The fast path: `Some` only when every check the strict reader makes passes here too.
fn fast<'a>(keys: &KeySet, line: &'a [u8], scratch: &mut Vec<u8>) -> Option<Outcome<'a>> {
    // serde would also accept a JSON array as a struct; the strict reader wants an object.
    if line.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return None;
    }
    // Lines it cannot read (escapes, nested values, a repeated key) go to the strict
    // reader, which refuses repeated keys (serde's derive would skip repeated unknown ones).
    let r = scan_flat(line)?;
    let non_empty = [r.tool_id, r.agent_id, r.provider_id, r.status];
    if non_empty.iter().any(|s| s.is_empty())
        || ids::validate(IdKind::Receipt, r.receipt_id).is_err()
        || r.status.parse::<Status>().is_err()
        || r.signature.len() != 64
        || r.verify_url.is_some_and(str::is_empty)
        || !r.input_hash.is_none_or(hash_ok)
        || !r.output_hash.is_none_or(hash_ok)
        || chrono::DateTime::parse_from_rfc3339(r.timestamp).is_err()
    {
        return None;
    }
    let mut sig = [0u8; 32];
    if !decode_hex32(r.signature.as_bytes(), &mut sig) {
        return None;
    }
    for (field, value) in [
        ("tool_id", r.tool_id),
        ("agent_id", r.agent_id),
        ("provider_id", r.provider_id),
        ("timestamp", r.timestamp),
    ] {
        if !plain(value) && check_field(field, value).is_err() {
            return None;
        }
    }
    let mac = keys.mac_for(r.provider_id)?;
    scratch.clear();
    for part in [
        r.receipt_id,
        r.tool_id,
        r.agent_id,
        r.provider_id,
        r.timestamp,
    ] {
        scratch.extend_from_slice(part.as_bytes());
        scratch.push(b'|');
    }
    scratch.extend_from_slice(itoa::Buffer::new().format(r.cost_microcents).as_bytes());
    scratch.push(b'|');
    scratch.extend_from_slice(r.status.as_bytes());
    let mut m = mac.clone();
    m.update(scratch);
    // `verify_slice` compares in constant time.
    Some(if m.verify_slice(&sig).is_ok() {
        Outcome::Valid {
            receipt_id: Cow::Borrowed(r.receipt_id),
        }
    } else {
        Outcome::Invalid {
            receipt_id: Some(r.receipt_id.to_owned()),
            reason: Invalid::BadSignature,
        }
    })
}

/// Whether `key`, a field the fast path does not read, was seen before on the line.
fn repeated<'a>(seen: &mut Vec<&'a str>, key: &'a str) -> bool {
    if seen.contains(&key) {
        return true;
    }
    seen.push(key);
    false
}

/// The quickest reading: a flat JSON object whose strings hold no escapes and whose
/// numbers are plain non-negative integers, the shape every receipt writer produces.
/// Anything else (an escape, a float, a nested value, `null`, a repeated field, invalid
/// JSON) returns `None` and the line goes to the strict reader.
fn scan_flat(line: &[u8]) -> Option<Fast<'_>> {
    // One UTF-8 pass; every slice below is cut at ASCII delimiters, so it stays valid.
    let text = std::str::from_utf8(line).ok()?;
    let b = line;
    let mut strs: [Option<&str>; 10] = [None; 10];
    let mut ints: [Option<u64>; 2] = [None; 2];
    let mut others: Vec<&str> = Vec::new();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    loop {
        let (key, next) = scan_str(b, text, i)?;
        i = skip_ws(b, next);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        match b.get(i)? {
            b'"' => {
                let (value, next) = scan_str(b, text, i)?;
                i = next;
                if let Some(slot) = str_slot(key) {
                    if strs[slot].replace(value).is_some() {
                        return None;
                    }
                } else if int_slot(key).is_some() || repeated(&mut others, key) {
                    return None;
                }
            }
            b'0'..=b'9' => {
                let (value, next) = scan_u64(b, i)?;
                i = next;
                if let Some(slot) = int_slot(key) {
                    if ints[slot].replace(value).is_some() {
                        return None;
                    }
                } else if str_slot(key).is_some() || repeated(&mut others, key) {
                    return None;
                }
            }
            _ => return None,
        }
        i = skip_ws(b, i);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => break,
            _ => return None,
        }
    }
    if skip_ws(b, i + 1) != b.len() {
        return None;
    }
    Some(Fast {
        receipt_id: strs[0]?,
        tool_id: strs[1]?,
        agent_id: strs[2]?,
        provider_id: strs[3]?,
        timestamp: strs[4]?,
        status: strs[5]?,
        signature: strs[6]?,
        input_hash: strs[7],
        output_hash: strs[8],
        verify_url: strs[9],
        cost_microcents: ints[0]?,
        duration_ms: ints[1],
    })
}

/// The slot of a string field of [`Fast`] in [`scan_flat`].
fn str_slot(key: &str) -> Option<usize> {
    Some(match key {
        "receipt_id" => 0,
        "tool_id" => 1,
        "agent_id" => 2,
        "provider_id" => 3,
        "timestamp" => 4,
        "status" => 5,
        "signature" => 6,
        "input_hash" => 7,
        "output_hash" => 8,
        "verify_url" => 9,
        _ => return None,
    })
}

/// The slot of an integer field of [`Fast`] in [`scan_flat`].
fn int_slot(key: &str) -> Option<usize> {
    match key {
        "cost_microcents" => Some(0),
        "duration_ms" => Some(1),
        _ => None,
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// A string starting at `b[i] == '"'` without escapes or control characters.
fn scan_str<'a>(b: &[u8], text: &'a str, i: usize) -> Option<(&'a str, usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let start = i + 1;
    let end = start + memchr::memchr(b'"', &b[start..])?;
    let body = &b[start..end];
    // No early exit: this folds into wide compares.
    if body.iter().fold(0u8, |bad, &c| {
        bad | u8::from(c == b'\\') | u8::from(c < 0x20)
    }) != 0
    {
        return None;
    }
    Some((&text[start..end], end + 1))
}

/// A JSON integer without sign, fraction or exponent that fits a `u64`.
fn scan_u64(b: &[u8], i: usize) -> Option<(u64, usize)> {
    let mut j = i;
    let mut n: u64 = 0;
    while let Some(d @ b'0'..=b'9') = b.get(j) {
        n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        j += 1;
    }
    // No leading zeros (invalid JSON), no fraction or exponent (not an integer here).
    if (b[i] == b'0' && j > i + 1) || matches!(b.get(j), Some(b'.' | b'e' | b'E')) {
        return None;
    }
    Some((n, j))
}

/// Printable ASCII without the separator: certainly not ambiguous.
fn plain(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'|')
}

fn hash_ok(h: &str) -> bool {
    h.strip_prefix("sha256:")
        .is_some_and(|hex| hex.len() == 64 && all_hex(hex.as_bytes()))
}

/// Hex digit values (either case); 0xFF for any other byte.
static HEX: [u8; 256] = {
    let mut t = [0xFF_u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// Every byte is a hex digit (branch-free over the whole slice).
fn all_hex(s: &[u8]) -> bool {
    s.iter().fold(0u8, |acc, &b| acc | HEX[b as usize]) & 0x80 == 0
}

/// Decode 64 hex digits (either case) into 32 bytes.
fn decode_hex32(s: &[u8], out: &mut [u8; 32]) -> bool {
    if s.len() != 64 {
        return false;
    }
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(s.chunks_exact(2)) {
        let (h, l) = (HEX[pair[0] as usize], HEX[pair[1] as usize]);
        bad |= h | l;
        *o = (h << 4) | (l & 0x0F);
    }
    bad & 0x80 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors() -> Vec<(String, Value)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/receipts");
        let mut out = Vec::new();
        for dir in [
            "valid",
            "tampered",
            "ambiguous",
            "bad_id",
            "malformed",
            "missing",
        ] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let value: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                out.push((
                    format!("{dir}/{}", path.file_name().unwrap().to_string_lossy()),
                    value,
                ));
            }
        }
        out
    }

    fn keys() -> KeySet {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/receipts/keys");
        KeySet::single(&Secret::from_file(&root.join("acme.key")).unwrap())
    }

    #[test]
    fn the_fast_path_agrees_with_the_strict_reader() {
        let keys = keys();
        let mut scratch = Vec::new();
        let mut fast_hits = 0;
        for (name, value) in vectors() {
            let line = serde_json::to_vec(&value).unwrap();
            let strict = verify_document(&keys, &value);
            if let Some(quick) = fast(&keys, &line, &mut scratch) {
                fast_hits += 1;
                assert_eq!(quick.valid(), strict.valid(), "{name}");
                if let (Outcome::Invalid { reason: a, .. }, Outcome::Invalid { reason: b, .. }) =
                    (&quick, &strict)
                {
                    assert_eq!(a, b, "{name}");
                }
            }
            assert_eq!(verify_line(&keys, &line, &mut scratch), strict, "{name}");
        }
        // Every plain valid or tampered receipt takes the fast path.
        assert!(fast_hits >= 15, "fast path taken {fast_hits} times");
    }

    #[test]
    fn arrays_and_escapes_leave_the_fast_path() {
        let keys = keys();
        let mut scratch = Vec::new();
        let (_, full) = vectors()
            .into_iter()
            .find(|(n, _)| n == "valid/full.json")
            .unwrap();
        let fields: Vec<Value> = full.as_object().unwrap().values().cloned().collect();
        let as_array = serde_json::to_vec(&fields).unwrap();
        assert!(fast(&keys, &as_array, &mut scratch).is_none());
        assert!(!verify_line(&keys, &as_array, &mut scratch).valid());
        // An escaped but equal string: the strict reader decides, and it is valid.
        let line = serde_json::to_string(&full)
            .unwrap()
            .replace("\"search\"", "\"\\u0073earch\"");
        assert!(fast(&keys, line.as_bytes(), &mut scratch).is_none());
        assert!(verify_line(&keys, line.as_bytes(), &mut scratch).valid());
        // A duplicate key never passes the fast path.
        let dup = serde_json::to_string(&full)
            .unwrap()
            .replacen('{', "{\"cost_microcents\":1,", 1);
        assert!(fast(&keys, dup.as_bytes(), &mut scratch).is_none());
    }

    #[test]
    fn the_flat_scanner_reads_what_serde_reads_or_steps_aside() {
        let (_, full) = vectors()
            .into_iter()
            .find(|(n, _)| n == "valid/full.json")
            .unwrap();
        let line = serde_json::to_string(&full).unwrap();
        let a = scan_flat(line.as_bytes()).expect("a compact receipt is flat");
        let b: Fast<'_> = serde_json::from_str(&line).unwrap();
        assert_eq!(
            (
                a.receipt_id,
                a.tool_id,
                a.agent_id,
                a.provider_id,
                a.timestamp,
                a.status,
                a.signature
            ),
            (
                b.receipt_id,
                b.tool_id,
                b.agent_id,
                b.provider_id,
                b.timestamp,
                b.status,
                b.signature
            )
        );
        assert_eq!(
            (a.cost_microcents, a.duration_ms),
            (b.cost_microcents, b.duration_ms)
        );
        assert_eq!(
            (a.input_hash, a.output_hash, a.verify_url),
            (b.input_hash, b.output_hash, b.verify_url)
        );
        // Whitespace around tokens is fine.
        let spaced = serde_json::to_string_pretty(&full).unwrap();
        assert!(scan_flat(spaced.as_bytes()).is_some());
        // Each of these steps aside for serde (which may still accept some of them).
        for bad in [
            line.replacen(
                "\"cost_microcents\":50000",
                "\"cost_microcents\":50000.0",
                1,
            ),
            line.replacen("\"cost_microcents\":50000", "\"cost_microcents\":050000", 1),
            line.replacen("\"cost_microcents\":50000", "\"cost_microcents\":-5", 1),
            line.replacen("\"cost_microcents\":50000", "\"cost_microcents\":5e4", 1),
            line.replacen(
                "\"cost_microcents\":50000",
                "\"cost_microcents\":99999999999999999999",
                1,
            ),
            line.replacen(
                "\"cost_microcents\":50000",
                "\"cost_microcents\":\"50000\"",
                1,
            ),
            line.replacen("\"tool_id\":\"search\"", "\"tool_id\":7", 1),
            line.replacen("\"search\"", "\"sea\\u0072ch\"", 1),
            line.replacen("\"search\"", "\"sea\trch\"", 1),
            line.replacen("\"duration_ms\":234", "\"duration_ms\":null", 1),
            line.replacen('{', "{\"x\":{\"a\":1},", 1),
            line.replacen('{', "{\"status\":\"error\",", 1),
            line.replacen("\"tool_id\"", "\"tool_id\" :: ", 1),
            format!("{line} x"),
            format!("{line},"),
            line[..line.len() - 1].to_owned(),
            line.replacen("\"tool_id\":\"search\",", "", 1),
        ] {
            assert!(scan_flat(bad.as_bytes()).is_none(), "{bad}");
        }
        // Unknown fields with string or integer values are skipped.
        let extra = line.replacen('{', "{\"note\":\"x\",\"n\":3,", 1);
        assert!(scan_flat(extra.as_bytes()).is_some());
    }

    /// The strict verdict alone: the strict JSON reader, then the strict receipt reader.
    fn strict_line(keys: &KeySet, line: &[u8]) -> Outcome<'static> {
        match crate::doc::from_slice(line) {
            Ok(v) => verify_document(keys, &v),
            Err(e) => Outcome::Invalid {
                receipt_id: None,
                reason: Invalid::from_doc(&e),
            },
        }
    }

    #[test]
    fn mutated_lines_get_the_strict_verdict_and_never_panic() {
        let keys = keys();
        let mut scratch = Vec::new();
        let seeds: Vec<Vec<u8>> = vectors()
            .into_iter()
            .filter(|(n, _)| n.starts_with("valid/") || n.starts_with("tampered/"))
            .map(|(_, v)| serde_json::to_vec(&v).unwrap())
            .collect();
        let alphabet: &[&[u8]] = &[
            b"\"",
            b"\\",
            b"{",
            b"}",
            b",",
            b":",
            b"0",
            b"7",
            b"|",
            b"\n",
            b".",
            b"-",
            b"e",
            b" ",
            b"\t",
            b"null",
            b"[]",
            "\u{e9}".as_bytes(),
            b"\\u0041",
            b"A",
            b"f",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut changed = 0;
        for round in 0..6000 {
            let mut line = seeds[round % seeds.len()].clone();
            for _ in 0..=(next() % 3) {
                let at = (next() as usize) % line.len();
                match next() % 3 {
                    0 => {
                        let ins = alphabet[(next() as usize) % alphabet.len()];
                        line.splice(at..=at, ins.iter().copied());
                    }
                    1 => {
                        line.remove(at);
                    }
                    _ => {
                        let ins = alphabet[(next() as usize) % alphabet.len()];
                        line.splice(at..at, ins.iter().copied());
                    }
                }
                if line.is_empty() {
                    line.push(b'{');
                }
            }
            let quick = verify_line(&keys, &line, &mut scratch);
            let strict = strict_line(&keys, &line);
            let code = |o: &Outcome<'_>| match o {
                Outcome::Valid { .. } => "valid",
                Outcome::Invalid { reason, .. } => reason.code(),
            };
            assert_eq!(
                code(&quick),
                code(&strict),
                "{}",
                String::from_utf8_lossy(&line)
            );
            changed += usize::from(!quick.valid());
        }
        assert!(
            changed > 3000,
            "mutations rarely changed the verdict: {changed}"
        );
    }

    #[test]
    fn hex_helpers() {
        let mut out = [0u8; 32];
        let lower = "00ff10ab".repeat(8);
        assert!(decode_hex32(lower.as_bytes(), &mut out));
        assert_eq!(&out[..4], &[0x00, 0xff, 0x10, 0xab]);
        assert!(decode_hex32(lower.to_uppercase().as_bytes(), &mut out));
        assert_eq!(&out[..4], &[0x00, 0xff, 0x10, 0xab]);
        assert!(!decode_hex32(lower.replace('f', "g").as_bytes(), &mut out));
        assert!(!decode_hex32(&lower.as_bytes()[1..], &mut out));
        assert!(all_hex(b"0123456789abcdefABCDEF"));
        assert!(!all_hex(b"12 4") && !all_hex("\u{e9}".as_bytes()));
    }

    #[test]
    fn key_material_stays_out_of_debug() {
        let secret = Secret::from_text("very-secret-key-text").unwrap();
        let ks = KeySet::keyring([("acme", &secret)]);
        let dbg = format!("{ks:?}");
        assert!(
            dbg.contains("acme") && !dbg.contains("very-secret"),
            "{dbg}"
        );
    }
}
