//! Domain verification, pure core: domain-name normalisation (IDN to punycode), the challenge
//! record's name and value, and the comparison of published TXT values with near-miss findings.

use std::fmt;
use std::net::IpAddr;

use serde::Serialize;
use thiserror::Error;

/// The label the challenge record lives under.
pub const RECORD_LABEL: &str = "_mcp-billing-verify";
/// The key in front of the record value.
pub const VALUE_KEY: &str = "mcp-billing-verify";
/// Characters of the provider id that go into the record value.
pub const PROVIDER_PREFIX_CHARS: usize = 8;

/// Why IDNA refused a name: its error type says only "Errors".
const IDN_REASON: &str =
    "a label is not valid IDNA, such as an xn-- label that does not decode; check the spelling";
/// Hex characters in a challenge token.
pub const TOKEN_HEX_CHARS: usize = 32;
/// TTL suggested in the printed zone-file line.
pub const SUGGESTED_TTL: u32 = 300;

const MAX_NAME_LEN: usize = 253;
const MAX_LABEL_LEN: usize = 63;

/// A domain name checked and normalised: lower-case ASCII (punycode for IDNs), no trailing dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    ascii: String,
    unicode: String,
}

impl Domain {
    /// The ASCII form (`xn--bcher-kva.example`).
    pub fn ascii(&self) -> &str {
        &self.ascii
    }

    /// The Unicode form for display (`bücher.example`); equal to the ASCII form for plain names.
    pub fn unicode(&self) -> &str {
        &self.unicode
    }

    /// The name of the challenge record, without the trailing dot.
    pub fn record_name(&self) -> String {
        format!("{RECORD_LABEL}.{}", self.ascii)
    }

    /// `ascii (unicode)` for IDNs, else the name.
    pub fn display(&self) -> String {
        if self.ascii == self.unicode {
            self.ascii.clone()
        } else {
            format!("{} ({})", self.unicode, self.ascii)
        }
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ascii)
    }
}

/// Why a string is not a usable domain name.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DomainError {
    #[error("the domain is empty; give a name such as example.com")]
    Empty,
    #[error("'{0}' is an IP address; give a domain name such as example.com")]
    IpAddress(String),
    #[error("'{0}' looks like a URL or an address; give the bare domain name such as example.com")]
    NotAName(String),
    #[error("'{0}' has an empty label (two dots in a row, or a leading dot)")]
    EmptyLabel(String),
    #[error("label '{label}' of '{name}' is {len} characters long; a label has at most 63")]
    LabelTooLong {
        name: String,
        label: String,
        len: usize,
    },
    #[error(
        "'{name}' is {len} characters long; with _mcp-billing-verify. in front a name has at most {max}"
    )]
    TooLong {
        name: String,
        len: usize,
        max: usize,
    },
    #[error("give the domain itself (e.g. example.com): _mcp-billing-verify. is added for you")]
    RecordNameGiven,
    #[error("label '{label}' of '{name}' contains an underscore, which a host name cannot hold")]
    Underscore { name: String, label: String },
    #[error(
        "label '{label}' of '{name}' contains '{ch}'; a label holds letters, digits and hyphens"
    )]
    BadCharacter {
        name: String,
        label: String,
        ch: char,
    },
    #[error("label '{label}' of '{name}' starts or ends with a hyphen")]
    Hyphen { name: String, label: String },
    #[error("'{name}' is not a valid internationalised domain name ({reason})")]
    Idn { name: String, reason: String },
    #[error("'{0}' has a single label; give a registered domain such as example.com")]
    SingleLabel(String),
    #[error("'{0}' ends in an all-numeric label, which no top-level domain is")]
    NumericTld(String),
}

/// Check and normalise a domain name: trims, lower-cases, converts IDNs to punycode
/// (UTS #46), accepts one trailing dot, and refuses IP addresses, URLs, bad labels and names
/// too long to carry the challenge label.
pub fn normalize_domain(input: &str) -> Result<Domain, DomainError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DomainError::Empty);
    }
    let bare = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    if bare.parse::<IpAddr>().is_ok() {
        return Err(DomainError::IpAddress(s.to_owned()));
    }
    if s.contains("://") || s.contains(['/', '@', ':', '?', '#']) || s.contains(char::is_whitespace)
    {
        return Err(DomainError::NotAName(s.to_owned()));
    }
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.is_empty() || s.split('.').any(str::is_empty) {
        return Err(DomainError::EmptyLabel(input.trim().to_owned()));
    }
    let ascii = if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        let converted = idna::domain_to_ascii_cow(s.as_bytes(), idna::AsciiDenyList::EMPTY)
            .map_err(|_| DomainError::Idn {
                name: s.to_owned(),
                reason: IDN_REASON.to_owned(),
            })?;
        converted.to_ascii_lowercase()
    };
    check_labels(&ascii)?;
    let (unicode, result) = idna::domain_to_unicode(&ascii);
    if result.is_err() {
        return Err(DomainError::Idn {
            name: ascii,
            reason: IDN_REASON.to_owned(),
        });
    }
    Ok(Domain { ascii, unicode })
}

fn check_labels(name: &str) -> Result<(), DomainError> {
    let labels: Vec<&str> = name.split('.').collect();
    if labels
        .first()
        .is_some_and(|l| l.eq_ignore_ascii_case(RECORD_LABEL))
    {
        return Err(DomainError::RecordNameGiven);
    }
    for label in &labels {
        if label.is_empty() {
            return Err(DomainError::EmptyLabel(name.to_owned()));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(DomainError::LabelTooLong {
                name: name.to_owned(),
                label: (*label).to_owned(),
                len: label.len(),
            });
        }
        if label.contains('_') {
            return Err(DomainError::Underscore {
                name: name.to_owned(),
                label: (*label).to_owned(),
            });
        }
        if let Some(ch) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(DomainError::BadCharacter {
                name: name.to_owned(),
                label: (*label).to_owned(),
                ch,
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(DomainError::Hyphen {
                name: name.to_owned(),
                label: (*label).to_owned(),
            });
        }
    }
    let max = MAX_NAME_LEN - RECORD_LABEL.len() - 1;
    if name.len() > max {
        return Err(DomainError::TooLong {
            name: name.to_owned(),
            len: name.len(),
            max,
        });
    }
    if labels.len() < 2 {
        return Err(DomainError::SingleLabel(name.to_owned()));
    }
    if labels
        .last()
        .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(DomainError::NumericTld(name.to_owned()));
    }
    Ok(())
}

/// Why a provider id or token cannot be used in a record.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ChallengeError {
    #[error("the provider id is empty; pass --provider-id")]
    EmptyProvider,
    #[error(
        "the provider id '{0}' contains a space, quote, backslash, semicolon, '|' or non-ASCII character, which a TXT record value cannot carry plainly ('|' would make its receipts ambiguous); use letters, digits and -_.:"
    )]
    BadProvider(String),
    #[error(
        "the token '{0}' is not 32 lowercase hex characters; pass the token that was minted (or omit --token to use the saved one)"
    )]
    BadToken(String),
}

/// Check a provider id for use in a record value: printable ASCII without spaces, quotes,
/// backslashes or semicolons (all of which need escaping in zone files), nor `|`, which
/// receipts cannot sign.
pub fn check_provider_id(id: &str) -> Result<(), ChallengeError> {
    if id.is_empty() {
        return Err(ChallengeError::EmptyProvider);
    }
    if id
        .chars()
        .any(|c| !c.is_ascii_graphic() || matches!(c, '"' | '\\' | ';' | '|'))
    {
        return Err(ChallengeError::BadProvider(id.to_owned()));
    }
    Ok(())
}

/// Check a challenge token: exactly 32 lowercase hex characters.
pub fn check_token(token: &str) -> Result<(), ChallengeError> {
    if token.len() == TOKEN_HEX_CHARS
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        Ok(())
    } else {
        Err(ChallengeError::BadToken(token.to_owned()))
    }
}

/// The first 8 characters of the provider id.
pub fn provider_prefix(provider_id: &str) -> String {
    provider_id.chars().take(PROVIDER_PREFIX_CHARS).collect()
}

/// A minted token from 128 random bits: 32 lowercase hex characters.
pub fn mint_token() -> String {
    let mut bytes = [0u8; TOKEN_HEX_CHARS / 2];
    getrandom::getrandom(&mut bytes)
        .expect("the operating system's random number generator failed");
    hex::encode(bytes)
}

/// The expected TXT value: `mcp-billing-verify=<prefix>-<token>`.
pub fn expected_value(provider_id: &str, token: &str) -> String {
    format!("{VALUE_KEY}={}-{token}", provider_prefix(provider_id))
}

/// The zone-file line to publish.
pub fn zone_line(domain: &Domain, value: &str) -> String {
    format!(
        "{}. {SUGGESTED_TTL} IN TXT \"{value}\"",
        domain.record_name()
    )
}

/// What a published TXT value is, compared with the expected one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// Exactly the expected value.
    Match,
    /// The expected value once whitespace, quotes and/or letter case are fixed.
    NearMiss {
        /// What differs: `whitespace`, `quotes`, `case`.
        differences: Vec<&'static str>,
    },
    /// The key in front of `=` is missing (the value is just `<prefix>-<token>`).
    MissingKey,
    /// Another key in front of `=`.
    WrongKey { found: String },
    /// The right token for another provider prefix.
    WrongProvider { found: String, full_id_used: bool },
    /// The right key and prefix, another token.
    WrongToken { found: String },
    /// The right key but a value that is not `<prefix>-<token>` at all.
    WrongValue,
    /// Some other TXT record (SPF, another service's verification, ...).
    Unrelated,
}

impl Finding {
    /// A short human description.
    pub fn describe(&self, expected_prefix: &str) -> String {
        match self {
            Finding::Match => "matches".to_owned(),
            Finding::NearMiss { differences } => {
                let what: Vec<&str> = differences
                    .iter()
                    .map(|d| match *d {
                        "whitespace" => "surrounding whitespace",
                        "quotes" => "quote characters inside the value",
                        "case" => "a difference in letter case",
                        other => other,
                    })
                    .collect();
                format!(
                    "near miss: right value but {}; publish the value exactly",
                    what.join(" and ")
                )
            }
            Finding::MissingKey => {
                format!("near miss: the '{VALUE_KEY}=' key is missing in front of the value")
            }
            Finding::WrongKey { found } => {
                format!("near miss: key '{found}' instead of '{VALUE_KEY}'")
            }
            Finding::WrongProvider {
                found,
                full_id_used,
            } => {
                if *full_id_used {
                    format!(
                        "near miss: the full provider id '{found}' was used; the value takes only its first 8 characters ('{expected_prefix}')"
                    )
                } else {
                    format!("wrong provider prefix: '{found}' instead of '{expected_prefix}'")
                }
            }
            Finding::WrongToken { found } => {
                format!("wrong token: '{found}' (an old or another challenge?)")
            }
            Finding::WrongValue => "wrong value after the key".to_owned(),
            Finding::Unrelated => "unrelated record".to_owned(),
        }
    }

    /// The snake_case name used in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Finding::Match => "match",
            Finding::NearMiss { .. } => "near_miss",
            Finding::MissingKey => "missing_key",
            Finding::WrongKey { .. } => "wrong_key",
            Finding::WrongProvider { .. } => "wrong_provider",
            Finding::WrongToken { .. } => "wrong_token",
            Finding::WrongValue => "wrong_value",
            Finding::Unrelated => "unrelated",
        }
    }
}

/// Compare one published value (its character-strings already concatenated) with the
/// expected value for `provider_id` and `token`.
pub fn classify(found: &str, provider_id: &str, token: &str) -> Finding {
    let expected = expected_value(provider_id, token);
    if found == expected {
        return Finding::Match;
    }
    let mut differences = Vec::new();
    let trimmed = found.trim();
    if trimmed != found {
        differences.push("whitespace");
    }
    let unquoted: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '"' | '\''))
        .collect();
    if unquoted != trimmed {
        differences.push("quotes");
    }
    let unquoted = unquoted.trim();
    if unquoted != expected && unquoted.eq_ignore_ascii_case(&expected) {
        differences.push("case");
    }
    if unquoted.eq_ignore_ascii_case(&expected) {
        return Finding::NearMiss { differences };
    }

    let prefix = provider_prefix(provider_id);
    let body = format!("{prefix}-{token}");
    let Some((key, rest)) = unquoted.split_once('=') else {
        if unquoted.eq_ignore_ascii_case(&body) || unquoted.eq_ignore_ascii_case(token) {
            return Finding::MissingKey;
        }
        return Finding::Unrelated;
    };
    if !key.trim().eq_ignore_ascii_case(VALUE_KEY) {
        let rest = rest.trim();
        if rest.eq_ignore_ascii_case(&body)
            || rest.to_ascii_lowercase().ends_with(&format!("-{token}"))
        {
            return Finding::WrongKey {
                found: key.to_owned(),
            };
        }
        return Finding::Unrelated;
    }
    let rest = rest.trim();
    let token_suffix = format!("-{token}");
    if let Some(found_prefix) = rest.strip_suffix(&token_suffix) {
        return Finding::WrongProvider {
            found: found_prefix.to_owned(),
            full_id_used: found_prefix == provider_id,
        };
    }
    if let Some(found_token) = rest.strip_prefix(&format!("{prefix}-")) {
        return Finding::WrongToken {
            found: found_token.to_owned(),
        };
    }
    Finding::WrongValue
}

/// The verdict on the TXT records found at the challenge name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainOutcome {
    /// At least one record matches exactly.
    Verified,
    /// The name does not exist (NXDOMAIN).
    NoSuchName,
    /// The name exists but holds no TXT record.
    NoTxt,
    /// TXT records exist; none matches.
    Mismatch,
}

impl DomainOutcome {
    /// The snake_case name used in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            DomainOutcome::Verified => "verified",
            DomainOutcome::NoSuchName => "no_such_name",
            DomainOutcome::NoTxt => "no_txt_record",
            DomainOutcome::Mismatch => "mismatch",
        }
    }
}

/// Decide from what DNS said: `None` for NXDOMAIN, else the TXT values found (possibly none).
pub fn decide(
    values: Option<&[String]>,
    provider_id: &str,
    token: &str,
) -> (DomainOutcome, Vec<Finding>) {
    let Some(values) = values else {
        return (DomainOutcome::NoSuchName, Vec::new());
    };
    if values.is_empty() {
        return (DomainOutcome::NoTxt, Vec::new());
    }
    let findings: Vec<Finding> = values
        .iter()
        .map(|v| classify(v, provider_id, token))
        .collect();
    let outcome = if findings.contains(&Finding::Match) {
        DomainOutcome::Verified
    } else {
        DomainOutcome::Mismatch
    };
    (outcome, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "0123456789abcdef0123456789abcdef";
    const P: &str = "acme-tools-inc";

    #[test]
    fn normalises_names() {
        let d = normalize_domain("Example.COM.").unwrap();
        assert_eq!(d.ascii(), "example.com");
        assert_eq!(d.record_name(), "_mcp-billing-verify.example.com");
        let d = normalize_domain("bücher.example").unwrap();
        assert_eq!(d.ascii(), "xn--bcher-kva.example");
        assert_eq!(d.unicode(), "bücher.example");
        let d = normalize_domain("BÜCHER.example").unwrap();
        assert_eq!(d.ascii(), "xn--bcher-kva.example");
        let d = normalize_domain("xn--bcher-kva.example").unwrap();
        assert_eq!(d.unicode(), "bücher.example");
        assert_eq!(
            normalize_domain("  a-b.c0.example ").unwrap().ascii(),
            "a-b.c0.example"
        );
    }

    #[test]
    fn refuses_bad_names() {
        use DomainError as E;
        assert_eq!(normalize_domain(""), Err(E::Empty));
        assert_eq!(normalize_domain("  "), Err(E::Empty));
        assert!(matches!(
            normalize_domain("192.0.2.1"),
            Err(E::IpAddress(_))
        ));
        assert!(matches!(
            normalize_domain("2001:db8::1"),
            Err(E::IpAddress(_))
        ));
        assert!(matches!(normalize_domain("[::1]"), Err(E::IpAddress(_))));
        assert!(matches!(
            normalize_domain("https://example.com"),
            Err(E::NotAName(_))
        ));
        assert!(matches!(
            normalize_domain("me@example.com"),
            Err(E::NotAName(_))
        ));
        assert!(matches!(
            normalize_domain("example.com:53"),
            Err(E::NotAName(_))
        ));
        assert!(matches!(
            normalize_domain("a..example"),
            Err(E::EmptyLabel(_))
        ));
        assert!(matches!(
            normalize_domain(".example"),
            Err(E::EmptyLabel(_))
        ));
        assert!(matches!(
            normalize_domain("example.."),
            Err(E::EmptyLabel(_))
        ));
        assert!(matches!(normalize_domain("."), Err(E::EmptyLabel(_))));
        let long = format!("{}.example", "a".repeat(64));
        assert!(matches!(
            normalize_domain(&long),
            Err(E::LabelTooLong { len: 64, .. })
        ));
        let ok63 = format!("{}.example", "a".repeat(63));
        assert!(normalize_domain(&ok63).is_ok());
        let too_long = format!("{0}.{0}.{0}.{0}.example", "a".repeat(60));
        assert!(matches!(
            normalize_domain(&too_long),
            Err(E::TooLong { .. })
        ));
        assert_eq!(
            normalize_domain("_mcp-billing-verify.example.com"),
            Err(E::RecordNameGiven)
        );
        assert!(matches!(
            normalize_domain("my_host.example"),
            Err(E::Underscore { .. })
        ));
        assert!(matches!(
            normalize_domain("a*b.example"),
            Err(E::BadCharacter { ch: '*', .. })
        ));
        assert!(matches!(
            normalize_domain("-ab.example"),
            Err(E::Hyphen { .. })
        ));
        assert!(matches!(
            normalize_domain("ab-.example"),
            Err(E::Hyphen { .. })
        ));
        assert!(matches!(
            normalize_domain("localhost"),
            Err(E::SingleLabel(_))
        ));
        assert!(matches!(
            normalize_domain("host.123"),
            Err(E::NumericTld(_))
        ));
        assert!(matches!(
            normalize_domain("xn--zz.example"),
            Err(E::Idn { .. })
        ));
    }

    #[test]
    fn expected_value_and_zone_line() {
        assert_eq!(provider_prefix(P), "acme-too");
        assert_eq!(provider_prefix("ab"), "ab");
        assert_eq!(
            expected_value(P, T),
            format!("mcp-billing-verify=acme-too-{T}")
        );
        let d = normalize_domain("example.com").unwrap();
        assert_eq!(
            zone_line(&d, &expected_value(P, T)),
            format!(
                "_mcp-billing-verify.example.com. 300 IN TXT \"mcp-billing-verify=acme-too-{T}\""
            )
        );
    }

    #[test]
    fn tokens_and_provider_ids() {
        let t = mint_token();
        assert!(check_token(&t).is_ok(), "{t}");
        assert_ne!(t, mint_token());
        assert!(check_token(&T.to_uppercase()).is_err());
        assert!(check_token("abc").is_err());
        assert!(check_provider_id("acme-tools_1.x:y").is_ok());
        assert!(check_provider_id("").is_err());
        assert!(check_provider_id("acme tools").is_err());
        assert!(check_provider_id("a\"b").is_err());
        assert!(check_provider_id("äcme").is_err());
        assert!(check_provider_id("a|b").is_err());
    }

    #[test]
    fn classifies_near_misses() {
        let exp = expected_value(P, T);
        assert_eq!(classify(&exp, P, T), Finding::Match);
        assert_eq!(
            classify(&format!(" {exp}\t"), P, T),
            Finding::NearMiss {
                differences: vec!["whitespace"]
            }
        );
        assert_eq!(
            classify(&format!("\"{exp}\""), P, T),
            Finding::NearMiss {
                differences: vec!["quotes"]
            }
        );
        assert_eq!(
            classify(&exp.to_uppercase(), P, T),
            Finding::NearMiss {
                differences: vec!["case"]
            }
        );
        assert_eq!(
            classify(&format!(" \"{}\"", exp.to_uppercase()), P, T),
            Finding::NearMiss {
                differences: vec!["whitespace", "quotes", "case"]
            }
        );
        assert_eq!(
            classify(&format!("acme-too-{T}"), P, T),
            Finding::MissingKey
        );
        assert_eq!(classify(T, P, T), Finding::MissingKey);
        assert_eq!(
            classify(&format!("mcp-billing-verification=acme-too-{T}"), P, T),
            Finding::WrongKey {
                found: "mcp-billing-verification".into()
            }
        );
        assert_eq!(
            classify(&format!("mcp-billing-verify=other-co-{T}"), P, T),
            Finding::WrongProvider {
                found: "other-co".into(),
                full_id_used: false
            }
        );
        assert_eq!(
            classify(&format!("mcp-billing-verify={P}-{T}"), P, T),
            Finding::WrongProvider {
                found: P.into(),
                full_id_used: true
            }
        );
        assert_eq!(
            classify(
                "mcp-billing-verify=acme-too-ffffffffffffffffffffffffffffffff",
                P,
                T
            ),
            Finding::WrongToken {
                found: "ffffffffffffffffffffffffffffffff".into()
            }
        );
        assert_eq!(
            classify("mcp-billing-verify=hello", P, T),
            Finding::WrongValue
        );
        assert_eq!(classify("v=spf1 -all", P, T), Finding::Unrelated);
        assert_eq!(
            classify("google-site-verification=abc", P, T),
            Finding::Unrelated
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let pieces = [
            "", ".", "..", "-", "_", "a", "Z", "0", "ü", "\u{3002}", "xn--", "\u{200d}", "@", ":",
            " ", "\"", "=", "\u{0}", "\u{7f}", "\u{fffd}", "𝔘", "ß", "\u{301}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    let _ = normalize_domain(&s);
                    let _ = normalize_domain(&format!("{s}.example"));
                    let _ = classify(&s, P, T);
                    let _ = classify(&format!("mcp-billing-verify={s}"), P, T);
                    let _ = super::super::email::parse_address(&format!("{s}@{s}.example"));
                }
            }
        }
    }

    #[test]
    fn decides() {
        let exp = expected_value(P, T);
        assert_eq!(decide(None, P, T).0, DomainOutcome::NoSuchName);
        assert_eq!(decide(Some(&[]), P, T).0, DomainOutcome::NoTxt);
        let several = vec!["v=spf1 -all".to_owned(), exp.clone(), format!(" {exp}")];
        let (outcome, findings) = decide(Some(&several), P, T);
        assert_eq!(outcome, DomainOutcome::Verified);
        assert_eq!(findings.len(), 3);
        let (outcome, _) = decide(Some(&[format!(" {exp}")]), P, T);
        assert_eq!(outcome, DomainOutcome::Mismatch);
    }
}
