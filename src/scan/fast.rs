//! A hand-written fast path for the common meter event line: plain JSON with unescaped
//! strings. It either reads the line exactly as the serde reader would, or gives up and
//! lets the serde reader decide; it never accepts a line the serde reader refuses (the
//! differential tests below check this on mutated lines). Anything unusual (escapes in
//! needed strings or keys, `\u` escapes anywhere, exponents, unexpected types, duplicate
//! fields, deep nesting) falls back.

use std::borrow::Cow;

use super::event::{EventRef, Lenient, MetaRef, Text};
use crate::meter::Status;

const MAX_DEPTH: usize = 100;

struct P<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

/// One field of the event: store `value` in `slot` and give the field's bit (`1 << bit`)
/// for the duplicate check. A macro, not a function, so `?` in `value` still returns
/// from [`parse`] and the code is exactly what the hand-written arm was.
macro_rules! set {
    ($slot:expr, $value:expr, $bit:literal) => {{
        $slot = $value;
        1 << $bit
    }};
}

/// Fill `e` from `text`; `None` means "not handled here, ask serde" (and `e` may be
/// partly filled).
pub(super) fn parse<'a>(text: &'a str, e: &mut EventRef<'a>) -> Option<()> {
    let mut p = P {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    p.ws();
    p.expect(b'{')?;
    p.ws();
    let mut seen = 0u16;
    if p.peek()? == b'}' {
        p.i += 1;
    } else {
        loop {
            p.ws();
            let key = p.string()?;
            p.ws();
            p.expect(b':')?;
            p.ws();
            let bit = match key {
                "event_id" => set!(e.event_id, p.opt_text()?, 0),
                "tool_id" => set!(e.tool_id, p.opt_text()?, 1),
                "tool_name" => set!(e.tool_name, p.opt_text()?, 2),
                "agent_id" => set!(e.agent_id, p.text()?, 3),
                "provider_id" => set!(e.provider_id, p.text()?, 4),
                "timestamp" => set!(e.timestamp, p.text()?, 5),
                "duration_ms" => set!(e.duration_ms, p.opt_u64()?, 6),
                "status" => set!(e.status, p.opt_status()?, 7),
                "cost_microcents" => set!(e.cost_microcents, p.opt_u64()?, 8),
                "input_tokens" => set!(e.input_tokens, p.opt_u64()?, 9),
                "output_tokens" => set!(e.output_tokens, p.opt_u64()?, 10),
                "metadata" => {
                    p.metadata(&mut e.metadata)?;
                    1 << 11
                }
                _ => {
                    p.skip_value(1)?;
                    0
                }
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            p.ws();
            match p.next()? {
                b',' => {}
                b'}' => break,
                _ => return None,
            }
        }
    }
    p.ws();
    (p.i == p.b.len()).then_some(())
}

#[allow(clippy::option_option)] // outer None: fall back to serde; inner None: JSON null
impl<'a> P<'a> {
    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    #[inline]
    fn expect(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    fn literal(&mut self, lit: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + lit.len())? == lit {
            self.i += lit.len();
            Some(())
        } else {
            None
        }
    }

    /// A string without escapes, borrowed. Strings in events are short: a plain loop
    /// beats a SIMD search's setup here.
    #[inline]
    fn string(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.i;
        let mut j = start;
        loop {
            match *self.b.get(j)? {
                b'"' => break,
                b'\\' => return None,
                c if c < 0x20 => return None,
                _ => j += 1,
            }
        }
        self.i = j + 1;
        // The whole line is valid UTF-8 and quotes are ASCII: these are char boundaries.
        self.s.get(start..j)
    }

    /// A string without escapes, as an event's text.
    #[allow(clippy::inline_always)] // hot path: must compile as if written in place
    #[inline(always)]
    fn text(&mut self) -> Option<Text<'a>> {
        Some(Text(Cow::Borrowed(self.string()?)))
    }

    fn opt_text(&mut self) -> Option<Option<Text<'a>>> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(None);
        }
        Some(Some(self.text()?))
    }

    /// A status spelling or null; an unknown spelling falls back.
    #[allow(clippy::inline_always)] // hot path: must compile as if written in place
    #[inline(always)]
    fn opt_status(&mut self) -> Option<Option<Status>> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(None);
        }
        Some(Some(match self.string()? {
            "success" => Status::Success,
            "error" => Status::Error,
            "timeout" => Status::Timeout,
            "rate_limited" => Status::RateLimited,
            _ => return None,
        }))
    }

    fn opt_u64(&mut self) -> Option<Option<u64>> {
        match self.peek()? {
            b'n' => {
                self.literal(b"null")?;
                Some(None)
            }
            b'0' => {
                self.i += 1;
                match self.peek() {
                    Some(b'0'..=b'9' | b'.' | b'e' | b'E') => None,
                    _ => Some(Some(0)),
                }
            }
            b'1'..=b'9' => {
                let mut v: u64 = 0;
                while let Some(c @ b'0'..=b'9') = self.peek() {
                    v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
                    self.i += 1;
                }
                match self.peek() {
                    Some(b'.' | b'e' | b'E') => None,
                    _ => Some(Some(v)),
                }
            }
            _ => None,
        }
    }

    fn metadata(&mut self, m: &mut MetaRef<'a>) -> Option<()> {
        match self.peek()? {
            b'n' => return self.literal(b"null"),
            b'{' => self.i += 1,
            _ => return None,
        }
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        // A key read twice: not handled here (serde's reader refuses it).
        let mut seen = 0u16;
        loop {
            self.ws();
            let key = self.string()?;
            self.ws();
            self.expect(b':')?;
            self.ws();
            let slot = match key {
                "session_id" => Some((&mut m.session_id, 1)),
                "request_id" => Some((&mut m.request_id, 1 << 1)),
                "receipt_id" => Some((&mut m.receipt_id, 1 << 2)),
                "category" => Some((&mut m.category, 1 << 3)),
                "refused" => Some((&mut m.refused, 1 << 4)),
                "free_tier" => Some((&mut m.free_tier, 1 << 5)),
                "cancelled" => Some((&mut m.cancelled, 1 << 6)),
                _ => None,
            };
            match slot {
                Some((_, bit)) if seen & bit != 0 => return None,
                Some((slot, bit)) => {
                    seen |= bit;
                    *slot = match self.peek()? {
                        b'"' => Lenient::Str(Cow::Borrowed(self.string()?)),
                        b't' => {
                            self.literal(b"true")?;
                            Lenient::Bool(true)
                        }
                        b'f' => {
                            self.literal(b"false")?;
                            Lenient::Bool(false)
                        }
                        _ => {
                            self.skip_value(2)?;
                            Lenient::None
                        }
                    };
                }
                None => self.skip_value(2)?,
            }
            self.ws();
            match self.next()? {
                b',' => {}
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// Skip any JSON value, checking its syntax as strictly as serde_json does.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => self.skip_members(b'}', |p| {
                p.skip_string()?;
                p.ws();
                p.expect(b':')?;
                p.ws();
                p.skip_value(depth + 1)
            }),
            b'[' => self.skip_members(b']', |p| p.skip_value(depth + 1)),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.skip_number(),
            _ => None,
        }
    }

    /// Skip an object or an array from its opening byte to `close`: members read by
    /// `member`, separated by commas.
    fn skip_members(
        &mut self,
        close: u8,
        mut member: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        self.i += 1;
        self.ws();
        if self.peek()? == close {
            self.i += 1;
            return Some(());
        }
        loop {
            self.ws();
            member(self)?;
            self.ws();
            match self.next()? {
                b',' => {}
                c if c == close => return Some(()),
                _ => return None,
            }
        }
    }

    /// A string, allowing the simple escapes (`\\u` falls back: surrogates need care).
    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            match self.next()? {
                b'"' => return Some(()),
                b'\\' => match self.next()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                    _ => return None,
                },
                c if c < 0x20 => return None,
                _ => {}
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)?`; exponents fall back (serde refuses some).
    fn skip_number(&mut self) -> Option<()> {
        if self.peek()? == b'-' {
            self.i += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.i += 1;
                }
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            let start = self.i;
            while let Some(b'0'..=b'9') = self.peek() {
                self.i += 1;
            }
            if self.i == start {
                return None;
            }
        }
        match self.peek() {
            Some(b'e' | b'E' | b'0'..=b'9') => None,
            _ => Some(()),
        }
    }
}
