//! Strict reading of JSON documents: every refusal names the field, the value found and what is allowed.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    /// Not valid JSON at all.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// The document is not a JSON object.
    #[error("expected a JSON object for the {what}, found {found}")]
    NotObject {
        /// What the document should be.
        what: &'static str,
        /// What kind of JSON value was found.
        found: &'static str,
    },
    /// A required field is absent.
    #[error("missing field '{field}' ({expected})")]
    Missing {
        /// The field.
        field: String,
        /// What would be allowed.
        expected: String,
    },
    /// A key appears twice in one object: JSON readers disagree on which one counts
    /// (the first, the last, or an error), so a signed document with one means two
    /// things at once.
    #[error(
        "field '{field}' appears more than once in one object ({at}); readers disagree on which one counts, so the document is refused"
    )]
    Duplicate {
        /// The repeated key.
        field: String,
        /// Where the repetition is: `line L column C`.
        at: String,
    },
    /// A field has the wrong JSON type or an invalid value.
    #[error("field '{field}' is {found}; expected {expected}")]
    Invalid {
        /// The field.
        field: String,
        /// The value found, abbreviated.
        found: String,
        /// What is allowed.
        expected: String,
    },
}

impl DocError {
    /// An invalid-value error.
    pub fn invalid(field: &str, found: &Value, expected: impl Into<String>) -> Self {
        DocError::Invalid {
            field: field.to_owned(),
            found: describe(found),
            expected: expected.into(),
        }
    }

    /// The field the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            DocError::Missing { field, .. }
            | DocError::Invalid { field, .. }
            | DocError::Duplicate { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// A short description of a JSON value for error messages: its type and, for
/// scalars, the value (long strings cut).
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        // An integer past 2^64 - 1 was read as a float: say so rather than show 1.8e19.
        Value::Number(n)
            if n.is_f64()
                && n.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f >= 18_446_744_073_709_551_615.0) =>
        {
            "a number larger than 18446744073709551615, the most a 64-bit count holds".to_owned()
        }
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let mut shown: String = s.chars().take(60).collect();
            if shown.len() < s.len() {
                shown.push('…');
            }
            format!("the string {}", serde_json::Value::String(shown))
        }
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// The JSON type name of a value.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Field accessors over one JSON object.
pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    /// View `value` as the object of a `what` document.
    pub fn of(value: &'a Value, what: &'static str) -> Result<Self, DocError> {
        match value {
            Value::Object(obj) => Ok(Fields { obj }),
            other => Err(DocError::NotObject {
                what,
                found: type_name(other),
            }),
        }
    }

    /// The underlying object.
    pub fn object(&self) -> &'a Map<String, Value> {
        self.obj
    }

    /// A field's raw value; `null` counts as absent.
    pub fn get(&self, field: &str) -> Option<&'a Value> {
        self.obj.get(field).filter(|v| !v.is_null())
    }

    /// A required non-empty string.
    pub fn str(&self, field: &str) -> Result<&'a str, DocError> {
        self.opt_str(field)?.ok_or_else(|| DocError::Missing {
            field: field.to_owned(),
            expected: "a non-empty string".to_owned(),
        })
    }

    /// An optional non-empty string.
    pub fn opt_str(&self, field: &str) -> Result<Option<&'a str>, DocError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
            Some(v) => Err(DocError::invalid(field, v, "a non-empty string")),
        }
    }

    /// A required non-negative integer.
    pub fn u64(&self, field: &str) -> Result<u64, DocError> {
        self.opt_u64(field)?.ok_or_else(|| DocError::Missing {
            field: field.to_owned(),
            expected: "a non-negative integer".to_owned(),
        })
    }

    /// An optional non-negative integer (no fraction, no exponent, no sign).
    pub fn opt_u64(&self, field: &str) -> Result<Option<u64>, DocError> {
        match self.get(field) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| DocError::invalid(field, v, "a non-negative integer")),
            Some(v) => Err(DocError::invalid(field, v, "a non-negative integer")),
        }
    }

    /// An optional object.
    pub fn opt_object(&self, field: &str) -> Result<Option<&'a Map<String, Value>>, DocError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(v) => Err(DocError::invalid(field, v, "an object")),
        }
    }

    /// The fields not in `known`, in document order.
    pub fn extras(&self, known: &[&str]) -> Map<String, Value> {
        self.obj
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// Parse text as one JSON value (see [`from_slice`]).
pub fn parse_json(text: &str) -> Result<Value, DocError> {
    from_slice(text.as_bytes())
}

/// Parse bytes as one JSON value, refusing an object with a repeated key at any depth
/// ([`DocError::Duplicate`]); `serde_json` alone would keep the last one silently. A
/// UTF-8 byte order mark, which some editors write, is skipped.
pub fn from_slice(bytes: &[u8]) -> Result<Value, DocError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let repeated = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = Unique(&repeated)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| match repeated.into_inner() {
        Some(field) => DocError::Duplicate {
            field,
            at: format!("line {} column {}", e.line(), e.column()),
        },
        None => DocError::Json(e.to_string()),
    })
}

/// Reads any JSON value like `Value` does, but fails on a repeated key, which it
/// leaves in the cell.
#[derive(Clone, Copy)]
struct Unique<'a>(&'a RefCell<Option<String>>);

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if members.contains_key(&key) {
                let err = A::Error::custom(format_args!("duplicate key '{key}'"));
                *self.0.borrow_mut() = Some(key);
                return Err(err);
            }
            let value = map.next_value_seed(self)?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_past_u64_are_described_as_too_large() {
        let past: Value = serde_json::from_str("18446744073709551616").unwrap();
        assert!(describe(&past).contains("larger than 18446744073709551615"));
        let max: Value = serde_json::from_str("18446744073709551615").unwrap();
        assert_eq!(describe(&max), "the number 18446744073709551615");
        assert_eq!(describe(&json!(1.5)), "the number 1.5");
    }
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"a":[1,-2,2.5,1e300,18446744073709551615,-9223372036854775808],"b":{"c":null,"d":true},"e":"x\u00e9\n"}"#,
            "[]",
            " 7 ",
            r#""s""#,
            r#"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#,
        ] {
            assert_eq!(
                from_slice(text.as_bytes()).unwrap(),
                serde_json::from_str::<Value>(text).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth() {
        for (text, field) in [
            (r#"{"cost":1,"cost":2}"#, "cost"),
            (r#"{"m":{"x":1,"y":2,"x":1}}"#, "x"),
            (r#"[{"k":1},{"k":1,"k":1}]"#, "k"),
            // The same key once unescaped.
            (r#"{"a":1,"\u0061":2}"#, "a"),
        ] {
            match from_slice(text.as_bytes()) {
                Err(DocError::Duplicate { field: f, at }) => {
                    assert_eq!(f, field, "{text}");
                    assert!(at.starts_with("line 1 column "), "{at}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        let err = parse_json(r#"{"a":1,"a":1}"#).unwrap_err().to_string();
        assert!(err.contains("'a' appears more than once"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(
            from_slice(b"\xEF\xBB\xBF{\"a\":1}").unwrap(),
            json!({"a": 1})
        );
    }

    #[test]
    fn other_failures_stay_json_errors() {
        for text in ["{", r#"{"a":1} x"#, "", "{\"a\":}"] {
            assert!(
                matches!(from_slice(text.as_bytes()), Err(DocError::Json(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn messages_name_field_value_and_expectation() {
        let v = json!({"a": "x", "n": -3, "f": 1.5, "e": ""});
        let f = Fields::of(&v, "receipt").unwrap();
        assert_eq!(f.str("a").unwrap(), "x");
        assert_eq!(
            f.u64("n").unwrap_err().to_string(),
            "field 'n' is the number -3; expected a non-negative integer"
        );
        assert!(f.u64("f").is_err());
        assert!(f.str("e").is_err());
        assert_eq!(
            f.str("zz").unwrap_err().to_string(),
            "missing field 'zz' (a non-empty string)"
        );
        assert!(Fields::of(&json!([1]), "receipt").is_err());
    }
}
