//! JSON strings written by hand on the shim's hot paths, escaped exactly as `serde_json`
//! escapes them (which are also the RFC 8785 escapes): `\"`, `\\`, the short forms
//! `\b \f \n \r \t`, `\u00xx` with lowercase hex for other control characters, and
//! nothing else.

/// Append `s` to `out` as a JSON string.
pub fn push_string(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    push_escaped(out, s.as_bytes());
    out.push(b'"');
}

/// Append the bytes of a string to `out` escaped, without the quotes. Only ASCII bytes
/// are ever escaped, so a string may be passed in pieces cut anywhere, even inside a
/// character.
pub fn push_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    // Copied from `start`; `at` skips eight clean bytes at a time, then looks at the next
    // eight one by one.
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        at += clean_prefix(&bytes[at..]);
        let end = (at + 8).min(bytes.len());
        while at < end {
            let b = bytes[at];
            at += 1;
            let short: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0x00..=0x1f => b"",
                _ => continue,
            };
            out.extend_from_slice(&bytes[start..at - 1]);
            start = at;
            if short.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0x0f)],
                ]);
            } else {
                out.extend_from_slice(short);
            }
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

/// How many leading bytes need no escape, found eight at a time: most strings need none.
fn clean_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether a byte of `w` is zero (exact: no false positives when none is).
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH != 0;
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("chunks of eight"));
        // A byte below 0x20, `"` or `\`.
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
        if control
            || has_zero(w ^ (ONES * u64::from(b'"')))
            || has_zero(w ^ (ONES * u64::from(b'\\')))
        {
            return at;
        }
        at += 8;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        push_string(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_every_character_as_serde_json_does() {
        for c in (0..0x800)
            .filter_map(char::from_u32)
            .chain(['\u{2028}', '😀', '\u{ffff}'])
        {
            for s in [
                c.to_string(),
                format!("abcdefg{c}"),
                format!("{c}abcdefghijklmnop{c}"),
                format!("0123456789abcde{c}xyz"),
            ] {
                assert_eq!(ours(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
            }
        }
    }

    #[test]
    fn long_and_mixed_strings() {
        let mut s = String::new();
        for i in 0..500u32 {
            s.push(char::from_u32(i % 130).unwrap());
            s.push_str("plain text ✓ ");
            assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
        }
        assert_eq!(ours(""), "\"\"");
        // In pieces cut anywhere (inside a character too), the same text.
        for cut in (0..s.len()).step_by(7) {
            let mut out = Vec::new();
            push_escaped(&mut out, &s.as_bytes()[..cut]);
            push_escaped(&mut out, &s.as_bytes()[cut..]);
            assert_eq!(format!("\"{}\"", String::from_utf8(out).unwrap()), ours(&s));
        }
        assert_eq!(ours("a \"quoted\" \\ path"), r#""a \"quoted\" \\ path""#);
    }
}
