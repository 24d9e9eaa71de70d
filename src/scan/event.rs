//! `EventRef`: a meter event line read fast, borrowing its strings from the line and
//! reading only the fields the analytics commands use.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::meter::Status;

use super::time::parse_millis;

/// One meter event, borrowed from its line. Unknown fields are skipped without
/// being built; a top-level field of the wrong type makes the line unreadable.
/// Filled in place by [`parse_event`] (the struct is large; moving it per line costs).
#[derive(Debug, Default)]
pub struct EventRef<'a> {
    /// `evt_` id.
    pub event_id: Option<Text<'a>>,
    /// Tool identifier.
    pub tool_id: Option<Text<'a>>,
    /// Human-readable tool name.
    pub tool_name: Option<Text<'a>>,
    /// The consumer.
    pub agent_id: Text<'a>,
    /// The tool operator.
    pub provider_id: Text<'a>,
    /// RFC 3339 timestamp as written.
    pub timestamp: Text<'a>,
    /// Wall-clock duration.
    pub duration_ms: Option<u64>,
    /// The outcome (`None` only while parsing).
    pub status: Option<Status>,
    /// What the call cost.
    pub cost_microcents: Option<u64>,
    /// Input tokens.
    pub input_tokens: Option<u64>,
    /// Output tokens.
    pub output_tokens: Option<u64>,
    /// The metadata keys the analytics use (others are skipped).
    pub metadata: MetaRef<'a>,
}

/// A string borrowed from the line when it has no escapes. (`Option<Cow<str>>` would
/// always allocate: serde only borrows into a bare `Cow`.)
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text<'a>(pub Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// The metadata keys `wrap` writes that the analytics read. A value of an
/// unexpected type is read as absent rather than failing the line: metadata is
/// free-form in the spec.
#[derive(Debug, Default)]
pub struct MetaRef<'a> {
    /// Session of the shim run.
    pub session_id: Lenient<'a>,
    /// MMCP request id.
    pub request_id: Lenient<'a>,
    /// The receipt signed for this call.
    pub receipt_id: Lenient<'a>,
    /// Provider category from the pricing file.
    pub category: Lenient<'a>,
    /// Why a `rate_limited` call was refused.
    pub refused: Lenient<'a>,
    /// The free tier applied.
    pub free_tier: Lenient<'a>,
    /// The call was cancelled.
    pub cancelled: Lenient<'a>,
}

/// The metadata keys read by the analytics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKey {
    /// `session_id`
    SessionId,
    /// `request_id`
    RequestId,
    /// `receipt_id`
    ReceiptId,
    /// `category`
    Category,
    /// `refused`
    Refused,
    /// `free_tier`
    FreeTier,
    /// `cancelled`
    Cancelled,
}

impl<'a> MetaRef<'a> {
    /// The value of a key.
    pub fn get(&self, key: MetaKey) -> &Lenient<'a> {
        match key {
            MetaKey::SessionId => &self.session_id,
            MetaKey::RequestId => &self.request_id,
            MetaKey::ReceiptId => &self.receipt_id,
            MetaKey::Category => &self.category,
            MetaKey::Refused => &self.refused,
            MetaKey::FreeTier => &self.free_tier,
            MetaKey::Cancelled => &self.cancelled,
        }
    }
}

/// A metadata value: a string or a boolean when it is one, otherwise nothing.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum Lenient<'a> {
    /// Absent, null, or of another type.
    #[default]
    None,
    /// A string.
    Str(Cow<'a, str>),
    /// A boolean.
    Bool(bool),
}

impl Lenient<'_> {
    /// The string, if it is a non-empty one.
    pub fn str(&self) -> Option<&str> {
        match self {
            Lenient::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// True only for the boolean `true`.
    pub fn is_true(&self) -> bool {
        matches!(self, Lenient::Bool(true))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Lenient<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Lenient<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Lenient::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Lenient::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Lenient::Str(Cow::Owned(v)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Lenient::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Lenient::None)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Lenient::None)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Lenient::None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient::None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient::None)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient::None)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Lenient::None)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A readable event: the borrowed fields plus its instant.
#[derive(Debug, Default)]
pub struct Event<'a> {
    /// The fields.
    pub e: EventRef<'a>,
    /// The timestamp as milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
}

impl Event<'_> {
    /// The tool id, else the tool name.
    pub fn tool(&self) -> &str {
        self.e
            .tool_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(self.e.tool_name.as_deref())
            .unwrap_or_default()
    }

    /// A metadata string by key (`session_id`, `request_id`, `receipt_id`, `category`, `refused`).
    pub fn meta_str(&self, key: MetaKey) -> Option<&str> {
        self.e.metadata.get(key).str()
    }

    /// A metadata flag by key (`free_tier`, `cancelled`).
    pub fn meta_flag(&self, key: MetaKey) -> bool {
        self.e.metadata.get(key).is_true()
    }

    /// The cost (0 when absent).
    pub fn cost(&self) -> u64 {
        self.e.cost_microcents.unwrap_or(0)
    }
}

/// Read one line as a meter event into `slot`; `false` for a malformed, torn or
/// wrong-typed line (not JSON, a required field missing or of the wrong type, no tool,
/// a bad timestamp). `slot` must start out as `Event::default()`.
pub fn parse_event<'a>(line: &'a [u8], slot: &mut Event<'a>) -> bool {
    // Validating UTF-8 once for the whole line is cheaper than per string.
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    if super::fast::parse(text, &mut slot.e).is_none() {
        slot.e = EventRef::default();
        if !parse_serde(text, &mut slot.e) {
            return false;
        }
    }
    let e = &slot.e;
    let has_tool = e.tool_id.as_deref().is_some_and(|s| !s.is_empty())
        || e.tool_name.as_deref().is_some_and(|s| !s.is_empty());
    if !has_tool || e.provider_id.is_empty() || e.agent_id.is_empty() || e.status.is_none() {
        return false;
    }
    match parse_millis(&e.timestamp) {
        Some(ms) => {
            slot.at_ms = ms;
            true
        }
        None => false,
    }
}

/// The general reader (serde_json): the reference the fast path agrees with.
fn parse_serde<'a>(text: &'a str, e: &mut EventRef<'a>) -> bool {
    let mut de = serde_json::Deserializer::from_str(text);
    de::DeserializeSeed::deserialize(EventSeed(e), &mut de).is_ok() && de.end().is_ok()
}

/// Parse a line into a fresh event (convenience for tests and single lookups).
pub fn parse_event_owned(line: &[u8]) -> Option<Event<'_>> {
    let mut slot = Event::default();
    parse_event(line, &mut slot).then_some(slot)
}

struct EventSeed<'s, 'a>(&'s mut EventRef<'a>);

impl<'de: 'a, 'a> de::DeserializeSeed<'de> for EventSeed<'_, 'a> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

fn dup<E: de::Error>(seen: &mut u16, bit: u16, key: &str) -> Result<(), E> {
    if *seen & bit != 0 {
        return Err(E::custom(format_args!("duplicate field `{key}`")));
    }
    *seen |= bit;
    Ok(())
}

impl<'de: 'a, 'a> Visitor<'de> for EventSeed<'_, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a meter event object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let e = self.0;
        let mut seen = 0u16;
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match &*key {
                "event_id" => {
                    dup(&mut seen, 1, &key)?;
                    e.event_id = map.next_value()?;
                }
                "tool_id" => {
                    dup(&mut seen, 1 << 1, &key)?;
                    e.tool_id = map.next_value()?;
                }
                "tool_name" => {
                    dup(&mut seen, 1 << 2, &key)?;
                    e.tool_name = map.next_value()?;
                }
                "agent_id" => {
                    dup(&mut seen, 1 << 3, &key)?;
                    e.agent_id = map.next_value()?;
                }
                "provider_id" => {
                    dup(&mut seen, 1 << 4, &key)?;
                    e.provider_id = map.next_value()?;
                }
                "timestamp" => {
                    dup(&mut seen, 1 << 5, &key)?;
                    e.timestamp = map.next_value()?;
                }
                "duration_ms" => {
                    dup(&mut seen, 1 << 6, &key)?;
                    e.duration_ms = map.next_value()?;
                }
                "status" => {
                    dup(&mut seen, 1 << 7, &key)?;
                    e.status = map.next_value()?;
                }
                "cost_microcents" => {
                    dup(&mut seen, 1 << 8, &key)?;
                    e.cost_microcents = map.next_value()?;
                }
                "input_tokens" => {
                    dup(&mut seen, 1 << 9, &key)?;
                    e.input_tokens = map.next_value()?;
                }
                "output_tokens" => {
                    dup(&mut seen, 1 << 10, &key)?;
                    e.output_tokens = map.next_value()?;
                }
                "metadata" => {
                    dup(&mut seen, 1 << 11, &key)?;
                    map.next_value_seed(MetaSeed(&mut e.metadata))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct MetaSeed<'s, 'a>(&'s mut MetaRef<'a>);

impl<'de: 'a, 'a> de::DeserializeSeed<'de> for MetaSeed<'_, 'a> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for MetaSeed<'_, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a metadata object")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let m = self.0;
        // A key read twice is refused as at the top level: which copy counts is ambiguous.
        let mut seen = 0u16;
        while let Some(key) = map.next_key::<Text<'de>>()? {
            let (slot, bit) = match &*key {
                "session_id" => (&mut m.session_id, 1),
                "request_id" => (&mut m.request_id, 1 << 1),
                "receipt_id" => (&mut m.receipt_id, 1 << 2),
                "category" => (&mut m.category, 1 << 3),
                "refused" => (&mut m.refused, 1 << 4),
                "free_tier" => (&mut m.free_tier, 1 << 5),
                "cancelled" => (&mut m.cancelled, 1 << 6),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            dup(&mut seen, bit, &key)?;
            *slot = map.next_value()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"event_id":"evt_a1b2c3d4e5f6a7b8c9d0e1f2","tool_id":"search","agent_id":"a1","provider_id":"acme","timestamp":"2026-11-22T10:00:00.000Z","duration_ms":234,"status":"success","cost_microcents":50000,"metadata":{"session_id":"s1","request_id":"r1","jsonrpc_id":7,"params":{"q":"x"},"free_tier":false,"category":"search"}}"#;

    #[test]
    fn repeated_keys_are_refused_in_metadata_too() {
        let twice = LINE.replace(
            "\"free_tier\":false",
            "\"free_tier\":true,\"free_tier\":false",
        );
        assert_ne!(twice, LINE);
        assert!(parse_event_owned(twice.as_bytes()).is_none());
        // Other keys may repeat: they are not read.
        let other = LINE.replace("\"jsonrpc_id\":7", "\"jsonrpc_id\":7,\"jsonrpc_id\":8");
        assert!(parse_event_owned(other.as_bytes()).is_some());
    }

    #[test]
    fn reads_the_fields_it_needs() {
        let ev = parse_event_owned(LINE.as_bytes()).unwrap();
        assert_eq!(ev.tool(), "search");
        assert_eq!(&*ev.e.provider_id, "acme");
        assert_eq!(ev.e.duration_ms, Some(234));
        assert_eq!(ev.e.status, Some(Status::Success));
        assert_eq!(ev.cost(), 50_000);
        assert_eq!(ev.meta_str(MetaKey::SessionId), Some("s1"));
        assert_eq!(ev.meta_str(MetaKey::Category), Some("search"));
        assert!(!ev.meta_flag(MetaKey::FreeTier));
        assert!(matches!(ev.e.provider_id.0, Cow::Borrowed(_)));
    }

    #[test]
    fn refuses_broken_lines() {
        assert!(parse_event_owned(b"garbage").is_none());
        assert!(parse_event_owned(&LINE.as_bytes()[..LINE.len() - 5]).is_none());
        let wrong = LINE.replace("\"duration_ms\":234", "\"duration_ms\":\"234\"");
        assert!(parse_event_owned(wrong.as_bytes()).is_none());
        let bad_status = LINE.replace("\"success\"", "\"ok\"");
        assert!(parse_event_owned(bad_status.as_bytes()).is_none());
        let no_zone = LINE.replace(".000Z", "");
        assert!(parse_event_owned(no_zone.as_bytes()).is_none());
        let no_tool = LINE.replace("\"tool_id\":\"search\",", "");
        assert!(parse_event_owned(no_tool.as_bytes()).is_none());
        assert!(parse_event_owned(b"[1,2]").is_none());
        let dup = LINE.replace(
            "\"agent_id\":\"a1\",",
            "\"agent_id\":\"a1\",\"agent_id\":\"a2\",",
        );
        assert!(parse_event_owned(dup.as_bytes()).is_none());
        assert!(parse_event_owned(format!("{LINE} x").as_bytes()).is_none());
        let meta_str = LINE.replace("\"metadata\":{", "\"metadata\":\"x\",\"m\":{");
        assert!(parse_event_owned(meta_str.as_bytes()).is_none());
    }

    #[test]
    fn odd_metadata_is_tolerated() {
        let odd = LINE.replace("\"session_id\":\"s1\"", "\"session_id\":[1,{\"a\":2}]");
        let ev = parse_event_owned(odd.as_bytes()).unwrap();
        assert_eq!(ev.meta_str(MetaKey::SessionId), None);
        let escaped = LINE.replace("\"acme\"", "\"ac\\u006de\"");
        assert_eq!(
            &*parse_event_owned(escaped.as_bytes()).unwrap().e.provider_id,
            "acme"
        );
    }

    /// The fast path never accepts what serde refuses, and reads the same values.
    #[test]
    fn fast_path_agrees_with_serde_on_mutations() {
        let templates = [
            LINE.to_owned(),
            r#" {"tool_name":"t","agent_id":"a","provider_id":"p","timestamp":"2026-11-22T10:00:00Z","status":"rate_limited","duration_ms":0,"cost_microcents":null,"metadata":null,"x":[1,-2.5,{"y":"\n\"z"},true,false,null,[]],"tokens":0} "#.to_owned(),
            r#"{"event_id":null,"tool_id":"t","agent_id":"a","provider_id":"p","timestamp":"2026-11-22T10:00:00Z","status":"timeout","input_tokens":18446744073709551615,"output_tokens":0,"metadata":{"free_tier":true,"cancelled":false,"session_id":1,"request_id":{"a":[]},"refused":"budget","receipt_id":"r\u0041"}}"#.to_owned(),
            r#"{"event_id":"e","tool_id":"t","agent_id":"a","provider_id":"p","timestamp":"2026-11-22T10:00:00Z","status":"success","metadata":{"free_tier":true,"cancelled":false,"session_id":"s","request_id":"r","refused":null,"x":[{"y":[1.5,"\t"]}]}}"#.to_owned(),
        ];
        let alphabet = br#"{}[]":,\ 0123456789.-eEtrufalsn x/u"#;
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut agreed = 0;
        for t in &templates {
            let mut fast = EventRef::default();
            let mut slow = EventRef::default();
            assert!(parse_serde(t, &mut slow), "{t}");
            if super::super::fast::parse(t, &mut fast).is_some() {
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
            }
            for _ in 0..4000 {
                let mut b = t.as_bytes().to_vec();
                for _ in 0..=(rnd() % 3) {
                    let at = (rnd() as usize) % b.len();
                    match rnd() % 3 {
                        0 => b[at] = alphabet[(rnd() as usize) % alphabet.len()],
                        1 => {
                            b.remove(at);
                        }
                        _ => b.insert(at, alphabet[(rnd() as usize) % alphabet.len()]),
                    }
                }
                let Ok(text) = std::str::from_utf8(&b) else {
                    continue;
                };
                let mut fast = EventRef::default();
                let mut slow = EventRef::default();
                let serde_ok = parse_serde(text, &mut slow);
                if super::super::fast::parse(text, &mut fast).is_some() {
                    assert!(serde_ok, "fast path accepted what serde refuses: {text}");
                    assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text}");
                    agreed += 1;
                }
            }
        }
        assert!(agreed > 100, "the fast path took only {agreed} lines");
        for t in [&templates[0], &templates[1], &templates[3]] {
            assert!(
                super::super::fast::parse(t, &mut EventRef::default()).is_some(),
                "{t}"
            );
        }
    }
}
