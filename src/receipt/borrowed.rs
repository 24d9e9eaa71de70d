//! A JSON tree that borrows its strings from the text it was parsed from (only strings
//! with escapes are copied): what the content hashes are computed on, so the relay can
//! hash a result straight from its line without building a `serde_json::Value`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// One JSON value; objects keep their members in text order (duplicates included).
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string, borrowed when it had no escapes.
    Str(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object's members in text order.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// Parse JSON text (one value, surrounding whitespace allowed).
    pub fn parse(text: &'a str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// A view of a `Value` (strings borrowed from it).
    pub fn of(value: &'a Value) -> Self {
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::Str(Cow::Borrowed(s)),
            Value::Array(items) => Json::Array(items.iter().map(Json::of).collect()),
            Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::of(v)))
                    .collect(),
            ),
        }
    }

    /// The same value as a `serde_json::Value` (a later duplicate key wins, as when
    /// parsing into a `Value`).
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::Str(s) => Value::String(s.clone().into_owned()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone().into_owned(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// Whether an object anywhere in the value has a key twice (readers disagree on which
    /// copy counts).
    pub fn repeats_a_key(&self) -> bool {
        match self {
            Json::Array(items) => items.iter().any(Json::repeats_a_key),
            Json::Object(members) => {
                let repeated = if members.len() <= 16 {
                    members
                        .iter()
                        .enumerate()
                        .any(|(i, (k, _))| members[i + 1..].iter().any(|(o, _)| o == k))
                } else {
                    let mut seen = std::collections::HashSet::with_capacity(members.len());
                    !members.iter().all(|(k, _)| seen.insert(k.as_ref()))
                };
                repeated || members.iter().any(|(_, v)| v.repeats_a_key())
            }
            _ => false,
        }
    }

    /// The member `key` of an object (the last one, when the key repeats).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|m| &m.1),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Json::Bool(b))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        Number::from_f64(n)
            .map(Json::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Json::Str(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Json::Str(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Json::Str(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(Key(k)) = map.next_key()? {
            members.push((k, map.next_value()?));
        }
        Ok(Json::Object(members))
    }
}

/// An object key, borrowed when it had no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn borrows_plain_strings_and_copies_escaped_ones() {
        let text = r#"{"a":"plain","b\n":"esc\"aped","c":[1,-2,2.5,true,null]}"#;
        let j = Json::parse(text).unwrap();
        let Json::Object(m) = &j else { panic!() };
        assert!(matches!(&m[0].0, Cow::Borrowed("a")));
        assert!(matches!(&m[0].1, Json::Str(Cow::Borrowed("plain"))));
        assert!(matches!(&m[1].0, Cow::Owned(k) if k == "b\n"));
        assert_eq!(j.get("b\n").and_then(Json::as_str), Some("esc\"aped"));
        assert_eq!(j.to_value(), serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn repeated_keys_are_found_at_any_depth() {
        for (text, repeats) in [
            (r#"{"a":1,"b":2}"#, false),
            (r#"{"a":1,"a":2}"#, true),
            (r#"{"a":[{"x":1},{"x":1,"x":2}]}"#, true),
            (r#"{"a":{"b":{"c":1,"c":1}}}"#, true),
            (r#"[{"a":1},{"a":1}]"#, false),
        ] {
            assert_eq!(
                Json::parse(text).unwrap().repeats_a_key(),
                repeats,
                "{text}"
            );
        }
        let many = (0..40)
            .map(|i| format!("\"k{i}\":{i},"))
            .collect::<Vec<_>>()
            .concat();
        let wide = format!("{{{many}\"k7\":0}}");
        assert!(Json::parse(&wide).unwrap().repeats_a_key());
        let unique = format!("{{{}}}", many.trim_end_matches(','));
        assert!(!Json::parse(&unique).unwrap().repeats_a_key());
    }

    #[test]
    fn a_later_duplicate_wins_like_value() {
        let text = r#"{"k":1,"x":0,"k":2}"#;
        let j = Json::parse(text).unwrap();
        assert_eq!(j.get("k"), Some(&Json::Number(2.into())));
        assert_eq!(j.to_value(), serde_json::from_str::<Value>(text).unwrap());
        let v = json!({"n": 1.5, "s": "x"});
        assert_eq!(Json::of(&v).to_value(), v);
    }
}
