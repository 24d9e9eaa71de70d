//! The canonical string that is signed, and the JCS content hashes.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::borrowed::Json;

use crate::jsontext::{push_escaped, push_string};

/// A field whose value would make the canonical string ambiguous, or that is empty
/// (which the strict reader refuses in every signed field).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field '{field}' {}", if what.is_empty() { "is empty; a signed field needs a value".to_owned() } else { format!("contains {what}, which would make the canonical string ambiguous") })]
pub struct AmbiguousField {
    /// The field.
    pub field: &'static str,
    /// What it contains; empty when the field itself is.
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
    let mut out = canonical_head(receipt_id, tool_id, agent_id, provider_id, timestamp)?;
    push_canonical_tail(&mut out, cost_microcents, status)?;
    Ok(out)
}

/// The part of the canonical string fixed before a call is answered:
/// `receipt_id|tool_id|agent_id|provider_id|timestamp|`. Refuses ambiguous fields.
pub fn canonical_head(
    receipt_id: &str,
    tool_id: &str,
    agent_id: &str,
    provider_id: &str,
    timestamp: &str,
) -> Result<String, AmbiguousField> {
    let parts = [
        ("receipt_id", receipt_id),
        ("tool_id", tool_id),
        ("agent_id", agent_id),
        ("provider_id", provider_id),
        ("timestamp", timestamp),
    ];
    let mut out = String::with_capacity(parts.iter().map(|(_, v)| v.len() + 1).sum::<usize>() + 24);
    for (field, value) in parts {
        if value.is_empty() {
            return Err(AmbiguousField { field, what: "" });
        }
        check_field(field, value)?;
        out.push_str(value);
        out.push('|');
    }
    Ok(out)
}

/// Append the rest of the canonical string to its [`canonical_head`]: `cost_microcents|status`.
pub fn push_canonical_tail(
    out: &mut String,
    cost_microcents: u64,
    status: &str,
) -> Result<(), AmbiguousField> {
    check_field("status", status)?;
    out.push_str(itoa::Buffer::new().format(cost_microcents));
    out.push('|');
    out.push_str(status);
    Ok(())
}

/// Whether a receipt can carry `value` in a signed field (see [`check_field`]): the rule
/// every id that ends up in receipts is held to (tool, provider, agent).
pub fn receipt_safe(value: &str) -> bool {
    check_field("value", value).is_ok()
}

/// Refuse values that contain the separator or control characters.
pub fn check_field(field: &'static str, value: &str) -> Result<(), AmbiguousField> {
    if value
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'|')
    {
        return Ok(());
    }
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
    content_hash_json(&Json::of(value))
}

/// [`content_hash`] of a value parsed with [`Json::parse`] (no `Value` built).
pub fn content_hash_json(value: &Json<'_>) -> String {
    // The canonical text goes into the hash as it is written, a piece at a time: a result
    // of many megabytes is never held twice.
    let mut sink = HashSink {
        hasher: Sha256::new(),
        // Small to start (most results are short); grows up to a piece.
        buf: Vec::with_capacity(512),
    };
    write_jcs(&mut sink, value);
    sink.flush();
    let digest = sink.hasher.finalize();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    crate::ids::push_hex(&mut out, &digest);
    out
}

/// The RFC 8785 (JCS) canonical form of a JSON value.
///
/// Object keys are sorted by their UTF-16 code units, as RFC 8785 section 3.2.3 requires
/// (`serde_jcs` 0.1 sorts by the escaped key text instead, which misorders keys holding
/// control characters or characters outside the BMP). Numbers are formatted the
/// ECMAScript way by `serde_jcs`; strings are escaped by `serde_json`, whose escapes are
/// exactly the JCS ones (short forms, `\u00xx` for other controls, nothing else).
pub fn jcs(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    write_jcs(&mut out, &Json::of(value));
    out
}

/// Where the JCS text goes: a buffer, or straight into a hash.
trait JcsSink {
    /// Bytes as they are.
    fn put(&mut self, bytes: &[u8]);
    /// A string, quoted and escaped.
    fn put_string(&mut self, s: &str);
}

impl JcsSink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }

    fn put_string(&mut self, s: &str) {
        push_string(self, s);
    }
}

/// SHA-256 fed through a buffer of at most about [`HashSink::PIECE`] bytes.
struct HashSink {
    hasher: Sha256,
    buf: Vec<u8>,
}

impl HashSink {
    const PIECE: usize = 4096;

    fn flush(&mut self) {
        self.hasher.update(&self.buf);
        self.buf.clear();
    }
}

impl JcsSink for HashSink {
    fn put(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > Self::PIECE {
            self.flush();
        }
        if bytes.len() > Self::PIECE {
            self.hasher.update(bytes);
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }

    fn put_string(&mut self, s: &str) {
        if s.len() + 2 <= Self::PIECE {
            if self.buf.len() + s.len() + 2 > Self::PIECE {
                self.flush();
            }
            push_string(&mut self.buf, s);
            return;
        }
        // Escaping touches ASCII bytes only, so the string may be cut anywhere.
        self.put(b"\"");
        for piece in s.as_bytes().chunks(Self::PIECE) {
            push_escaped(&mut self.buf, piece);
            self.flush();
        }
        self.put(b"\"");
    }
}

/// Integers up to 2^53 are exact as doubles, so their ECMAScript form is their digits.
const EXACT_INT: u64 = 1 << 53;

fn write_jcs(out: &mut impl JcsSink, value: &Json<'_>) {
    match value {
        Json::Null => out.put(b"null"),
        Json::Bool(true) => out.put(b"true"),
        Json::Bool(false) => out.put(b"false"),
        Json::Number(n) => {
            if let Some(u) = n.as_u64().filter(|u| *u <= EXACT_INT) {
                write_int(out, u, false);
            } else if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() <= EXACT_INT) {
                write_int(out, i.unsigned_abs(), i < 0);
            } else {
                out.put(
                    &serde_jcs::to_vec(&Value::Number(n.clone()))
                        .expect("a JSON number always serializes"),
                );
            }
        }
        Json::Str(s) => out.put_string(s),
        Json::Array(items) => {
            out.put(b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.put(b",");
                }
                write_jcs(out, item);
            }
            out.put(b"]");
        }
        Json::Object(members) => {
            let mut entries: Vec<(&str, &Json<'_>)> =
                members.iter().map(|(k, v)| (k.as_ref(), v)).collect();
            // Stable: among repeated keys the last one stays last, and wins below.
            entries.sort_by(|a, b| utf16_order(a.0, b.0));
            out.put(b"{");
            let mut first = true;
            for (i, (k, v)) in entries.iter().enumerate() {
                if entries.get(i + 1).is_some_and(|next| next.0 == *k) {
                    continue;
                }
                if !first {
                    out.put(b",");
                }
                first = false;
                out.put_string(k);
                out.put(b":");
                write_jcs(out, v);
            }
            out.put(b"}");
        }
    }
}

fn write_int(out: &mut impl JcsSink, n: u64, negative: bool) {
    if negative {
        out.put(b"-");
    }
    out.put(itoa::Buffer::new().format(n).as_bytes());
}

/// Order of keys by UTF-16 code units. UTF-8 byte order is the same except where a
/// character outside the BMP (a 4-byte sequence, a surrogate pair in UTF-16) is compared.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    let astral = |s: &str| s.bytes().any(|c| c >= 0xF0);
    if astral(a) || astral(b) {
        a.encode_utf16().cmp(b.encode_utf16())
    } else {
        a.cmp(b)
    }
}

/// The `_meta` key under which a receipt travels in a `tools/call` result.
pub const RECEIPT_META_KEY: &str = "mcpbill/receipt";

/// The `output_hash` of a `tools/call` result: [`content_hash`] of the result with its
/// `_meta["mcpbill/receipt"]` entry removed and `_meta` itself dropped when it is then empty
/// (whether the receipt emptied it or the server sent it empty), so the hash is the same
/// before the receipt is attached and after.
pub fn output_hash(result: &Value) -> String {
    output_hash_json(Json::of(result))
}

/// [`output_hash`] of a result parsed with [`Json::parse`].
pub fn output_hash_json(mut result: Json<'_>) -> String {
    if let Json::Object(members) = &mut result {
        // As in a `Value`, a repeated key means its last member: keep only that one.
        let mut i = 0;
        while i < members.len() {
            if members[i + 1..].iter().any(|(k, _)| *k == members[i].0) {
                members.remove(i);
            } else {
                i += 1;
            }
        }
        let meta_at = members.iter().position(|(k, _)| k == "_meta");
        if let Some(at) = meta_at
            && let Json::Object(meta) = &mut members[at].1
        {
            meta.retain(|(k, _)| k != RECEIPT_META_KEY);
            // Empty then, or empty as the server sent it: a client that takes the receipt
            // out and drops the `_meta` left empty must get the same hash either way.
            if meta.is_empty() {
                members.remove(at);
            }
        }
    }
    content_hash_json(&result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The hash fed a piece at a time is the hash of the whole canonical text, whatever
    /// falls on the pieces' edges: long strings with escapes and characters cut across
    /// them, and many small members.
    #[test]
    fn an_empty_meta_is_hashed_as_absent() {
        let bare = json!({"content": []});
        let empty = json!({"content": [], "_meta": {}});
        let with_receipt = json!({"content": [], "_meta": {RECEIPT_META_KEY: {"receipt_id": "r"}}});
        assert_eq!(output_hash(&empty), output_hash(&bare));
        assert_eq!(output_hash(&with_receipt), output_hash(&bare));
        let kept = json!({"content": [], "_meta": {"k": 1}});
        assert_ne!(output_hash(&kept), output_hash(&bare));
    }

    #[test]
    fn hashing_in_pieces_equals_hashing_the_text() {
        let whole = |v: &Value| {
            let mut out = String::from("sha256:");
            crate::ids::push_hex(&mut out, &Sha256::digest(jcs(v)));
            out
        };
        let mut values = Vec::new();
        for len in [4090, 4093, 4094, 4095, 4096, 4097, 8190, 8192, 10_000] {
            for fill in ["a", "\n", "é", "😀", "\u{1}", "\""] {
                let s: String = fill
                    .repeat(len / fill.len() + 1)
                    .chars()
                    .take(len)
                    .collect();
                values.push(json!(s));
                values.push(json!({"k": s, "a": [1, "x", null]}));
                values.push(json!(["y".repeat(len % 97), s, "z"]));
            }
        }
        values.push(json!(
            (0..5000)
                .map(|i| json!({"n": i, "s": "\t"}))
                .collect::<Vec<_>>()
        ));
        values.push(json!({"big": 1.5e300, "neg": -7, "t": true}));
        for v in &values {
            assert_eq!(content_hash_json(&Json::of(v)), whole(v));
        }
    }

    #[test]
    fn joins_with_pipes() {
        let s = canonical_string(
            "rcpt_0123456789abcdef",
            "t",
            "a",
            "p",
            "2026-01-01T00:00:00Z",
            50000,
            "success",
        )
        .unwrap();
        assert_eq!(
            s,
            "rcpt_0123456789abcdef|t|a|p|2026-01-01T00:00:00Z|50000|success"
        );
    }

    #[test]
    fn refuses_ambiguous_fields() {
        let e = canonical_string("rcpt_0123456789abcdef", "t|x", "a", "p", "ts", 0, "success")
            .unwrap_err();
        assert_eq!(e.field, "tool_id");
        assert!(
            canonical_string(
                "rcpt_0123456789abcdef",
                "t",
                "a\nb",
                "p",
                "ts",
                0,
                "success"
            )
            .is_err()
        );
        assert!(
            canonical_string(
                "rcpt_0123456789abcdef",
                "t",
                "a",
                "p\u{7}",
                "ts",
                0,
                "success"
            )
            .is_err()
        );
        assert!(
            canonical_string("rcpt_0123456789abcdef", "t", "a", "p", "ts", 0, "success").is_ok()
        );
        // An empty signed field: the strict reader refuses it, so it is never signed.
        let e = canonical_string("rcpt_0123456789abcdef", "", "a", "p", "ts", 0, "success")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "field 'tool_id' is empty; a signed field needs a value"
        );
    }

    #[test]
    fn jcs_hash_ignores_key_order_and_whitespace() {
        let a = content_hash(&json!({"b": 1, "a": [1, 2.5, "x"]}));
        let b = content_hash(
            &serde_json::from_str::<Value>("{ \"a\" : [1,2.5,\"x\"], \"b\":1 }").unwrap(),
        );
        assert_eq!(a, b);
        // sha256 of the JCS form {"a":[1,2.5,"x"],"b":1}
        let expect = hex::encode(Sha256::digest(br#"{"a":[1,2.5,"x"],"b":1}"#));
        assert_eq!(a, format!("sha256:{expect}"));
    }
}

/// RFC 8785 (JCS) test vectors for the canonicalizer behind [`content_hash`].
#[cfg(test)]
mod jcs_tests {
    use serde_json::Value;

    fn jcs(text: &str) -> String {
        let v: Value = serde_json::from_str(text).unwrap();
        String::from_utf8(super::jcs(&v)).unwrap()
    }

    #[test]
    fn numbers_follow_ecmascript() {
        // RFC 8785 section 3.2.2.3 and appendix B.
        for (input, want) in [
            ("1e21", "1e+21"),
            ("1E30", "1e+30"),
            ("1e20", "100000000000000000000"),
            ("1E-7", "1e-7"),
            ("0.000001", "0.000001"),
            ("0.000000000000000000000000001", "1e-27"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("4.50", "4.5"),
            ("2e-3", "0.002"),
            ("333333333.33333329", "333333333.3333333"),
            ("-1.5e-10", "-1.5e-10"),
            ("9007199254740992", "9007199254740992"),
            ("295147905179352830000", "295147905179352830000"),
            ("5e-324", "5e-324"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ] {
            assert_eq!(jcs(&format!("[{input}]")), format!("[{want}]"), "{input}");
        }
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // RFC 8785 section 3.2.3: U+1F600 sorts before U+FB33 in UTF-16 (a surrogate
        // pair starting 0xD83D), though it is after it by code point.
        let input = r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#;
        let out = jcs(input);
        let keys: Vec<String> = {
            let v: Value = serde_json::from_str(&out).unwrap();
            v.as_object().unwrap().keys().cloned().collect()
        };
        // serde_json with preserve_order keeps the canonical order when reading back.
        assert_eq!(
            keys,
            [
                "\r",
                "1",
                "\u{80}",
                "\u{f6}",
                "\u{20ac}",
                "\u{1f600}",
                "\u{fb33}"
            ],
            "{out}"
        );
    }

    #[test]
    fn strings_and_literals() {
        // RFC 8785 section 3.2.2.2: only the short escapes and \u00XX for other controls;
        // '/' and non-ASCII are written as is.
        assert_eq!(
            jcs(
                r#"{"s":"\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"\/","t":true,"n":null,"f":false}"#
            ),
            "{\"f\":false,\"n\":null,\"s\":\"\u{20ac}$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\",\"t\":true}"
        );
        assert_eq!(jcs(r#"{ "b" : [ ], "a" : { } }"#), r#"{"a":{},"b":[]}"#);
    }
}

#[cfg(test)]
mod borrowed_tests {
    use super::*;

    /// JCS as the `Value` path gives it: parse into a `Value` (a later duplicate key
    /// wins), then canonicalize.
    fn via_value(text: &str) -> (String, String) {
        let v: Value = serde_json::from_str(text).unwrap();
        (content_hash(&v), output_hash(&v))
    }

    fn via_text(text: &str) -> (String, String) {
        let j = Json::parse(text).unwrap();
        (content_hash_json(&j), output_hash_json(j))
    }

    #[test]
    fn hashing_the_text_equals_hashing_its_value() {
        for text in [
            r#"{"b":1,"a":[1,2.5,-0.0,1e21,123456789012345678901,-9007199254740993,"x"],"c":null}"#,
            r#"{"k":1,"k":{"z":2,"y":[true,false]},"\u00e9":"caf\u00e9","e\n":"\"q\"\\"}"#,
            r#"{"😀":1,"\ufb33":2,"a\u0000":3,"":4}"#,
            r#"{"content":[{"type":"text","text":"hi"}],"_meta":{"mcpbill/receipt":{"x":1}}}"#,
            r#"{"content":[],"_meta":{"mcpbill/receipt":{"x":1},"other":2}}"#,
            r#"{"_meta":{"mcpbill/receipt":1},"_meta":{"keep":true}}"#,
            r#"{"_meta":{"keep":true},"_meta":{"mcpbill/receipt":1}}"#,
            r#"{"_meta":null,"isError":true}"#,
            r#"[{"b":2,"a":1},"s",3]"#,
            r#""just a string""#,
            "  42  ",
        ] {
            assert_eq!(via_text(text), via_value(text), "{text}");
        }
    }
}
