//! Strict reading of JSON documents: every refusal names the field, the value found and what is allowed.

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
            DocError::Missing { field, .. } | DocError::Invalid { field, .. } => Some(field),
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

/// Parse text as one JSON value.
pub fn parse_json(text: &str) -> Result<Value, DocError> {
    serde_json::from_str(text).map_err(|e| DocError::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
