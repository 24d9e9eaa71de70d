//! Privacy of recorded arguments and results: sensitive keys redacted at any depth,
//! long strings truncated with their length noted.

use serde_json::{Map, Value};

use crate::pricing::RecordMode;
use crate::receipt::borrowed::Json;

/// Keys redacted by default (compared case-insensitively, ignoring `-` and `_`; a key
/// also matches when it ends with one of these, e.g. `access_token`, `clientSecret`).
pub const DEFAULT_KEYS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "authorization",
    "auth",
    "credential",
    "credentials",
    "private_key",
    "credit_card",
    "card_number",
    "cvv",
    "ssn",
    "cookie",
];

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// Strings longer than this many characters are truncated in redacted records.
pub const MAX_STRING_CHARS: usize = 256;

/// Redacts recorded values.
#[derive(Debug, Clone)]
pub struct Redactor {
    keys: Vec<String>,
}

fn normalize(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new(&[])
    }
}

impl Redactor {
    /// The default keys plus `extra`.
    pub fn new(extra: &[String]) -> Self {
        let mut keys: Vec<String> = DEFAULT_KEYS
            .iter()
            .map(|k| normalize(k))
            .chain(extra.iter().map(|k| normalize(k)))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        Redactor { keys }
    }

    /// Whether a key names a sensitive value (its normalised form ends with a listed key).
    pub fn is_sensitive(&self, key: &str) -> bool {
        if key.is_ascii() && key.len() <= 64 {
            // The common case, without allocating: compare from the end, skipping `-`/`_`.
            let mut tail = key
                .bytes()
                .rev()
                .filter(|b| *b != b'-' && *b != b'_')
                .map(|b| b.to_ascii_lowercase());
            let mut rev = [0u8; 64];
            let mut n = 0;
            for b in tail.by_ref().take(rev.len()) {
                rev[n] = b;
                n += 1;
            }
            let rev = &rev[..n];
            return self
                .keys
                .iter()
                .any(|s| s.len() <= rev.len() && s.bytes().rev().zip(rev).all(|(a, b)| a == *b));
        }
        let k = normalize(key);
        self.keys.iter().any(|s| k.ends_with(s.as_str()))
    }

    /// The value as recorded under `mode` (`None` for [`RecordMode::None`]).
    pub fn record(&self, mode: RecordMode, value: &Value) -> Option<Value> {
        self.record_json(mode, &Json::of(value))
    }

    /// [`Redactor::record`] of a value read with [`Json::parse`], without building its
    /// whole `Value` first: a string of megabytes is truncated straight from the text.
    pub fn record_json(&self, mode: RecordMode, value: &Json<'_>) -> Option<Value> {
        match mode {
            RecordMode::None => None,
            RecordMode::Full => Some(value.to_value()),
            RecordMode::Redacted => Some(self.redact_json(value)),
        }
    }

    /// A redacted copy.
    pub fn redact(&self, value: &Value) -> Value {
        self.redact_json(&Json::of(value))
    }

    /// A redacted copy of a borrowed tree. Of a key given twice the last value counts, at
    /// the first one's place, as when the text is read into a `Value`.
    pub fn redact_json(&self, value: &Json<'_>) -> Value {
        match value {
            Json::Object(members) => {
                let mut out = Map::with_capacity(members.len());
                for (k, v) in members {
                    let v = if self.is_sensitive(k) {
                        Value::String(REDACTED.to_owned())
                    } else {
                        self.redact_json(v)
                    };
                    out.insert(k.clone().into_owned(), v);
                }
                Value::Object(out)
            }
            Json::Array(items) => Value::Array(items.iter().map(|v| self.redact_json(v)).collect()),
            Json::Str(s) => Value::String(truncate(s)),
            other => other.to_value(),
        }
    }
}

fn truncate(s: &str) -> String {
    match crate::output::first_chars(s, MAX_STRING_CHARS) {
        None => s.to_owned(),
        Some(head) => format!(
            "{head}... [truncated: {} chars, {} bytes]",
            s.chars().count(),
            s.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_at_any_depth() {
        let r = Redactor::new(&["session-key".to_owned()]);
        let v = json!({
            "query": "rust",
            "Password": "hunter2",
            "nested": [{"deeper": {"API-KEY": "k1", "accessToken": "t1", "author": "me"}}],
            "session_key": 5,
            "max_tokens": 10
        });
        let out = r.redact(&v);
        let text = out.to_string();
        for secret in ["hunter2", "k1", "t1"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert_eq!(out["nested"][0]["deeper"]["author"], "me");
        assert_eq!(out["session_key"], REDACTED);
        assert_eq!(out["max_tokens"], 10);
        assert_eq!(out["query"], "rust");
    }

    #[test]
    fn truncates_long_strings() {
        let long = "é".repeat(1000);
        let out = Redactor::default().redact(&json!({"text": long}));
        let s = out["text"].as_str().unwrap();
        assert!(s.starts_with(&"é".repeat(MAX_STRING_CHARS)));
        assert!(s.ends_with("[truncated: 1000 chars, 2000 bytes]"), "{s}");
    }

    /// Recording from the text read as a borrowed tree equals recording its `Value`,
    /// repeated keys included.
    #[test]
    fn borrowed_and_owned_records_agree() {
        let r = Redactor::default();
        for text in [
            r#"{"query":"rust","token":"t","n":[1,2.5,{"pwd":"x","k":"é\n"}]}"#,
            r#"{"a":1,"b":2,"a":{"secret":"s"},"long":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#,
            "[]",
            "null",
            r#""plain""#,
        ] {
            let value: Value = serde_json::from_str(text).unwrap();
            let tree = Json::parse(text).unwrap();
            for mode in [RecordMode::None, RecordMode::Redacted, RecordMode::Full] {
                let owned = match mode {
                    RecordMode::None => None,
                    RecordMode::Full => Some(value.clone()),
                    RecordMode::Redacted => Some(r.redact(&value)),
                };
                let borrowed = r.record_json(mode, &tree);
                assert_eq!(
                    serde_json::to_string(&borrowed).unwrap(),
                    serde_json::to_string(&owned).unwrap(),
                    "{text} {mode:?}"
                );
            }
        }
    }

    #[test]
    fn modes() {
        let r = Redactor::default();
        let v = json!({"token": "x"});
        assert_eq!(r.record(RecordMode::None, &v), None);
        assert_eq!(r.record(RecordMode::Full, &v), Some(v.clone()));
        assert_eq!(
            r.record(RecordMode::Redacted, &v),
            Some(json!({"token": REDACTED}))
        );
    }
}
