//! Email verification, pure core: the address syntax accepted (a practical subset of RFC 5321 /
//! 5322) and the verdict from the MX and A/AAAA answers (RFC 5321 fallback, RFC 7505 null MX).

use serde::Serialize;
use thiserror::Error;

use super::domain::{Domain, DomainError, normalize_domain};

const MAX_ADDRESS_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

/// An address checked for syntax, with its domain normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The local part, as given.
    pub local: String,
    /// The domain, normalised (punycode for IDNs).
    pub domain: Domain,
}

impl Address {
    /// `local@ascii-domain`.
    pub fn ascii(&self) -> String {
        format!("{}@{}", self.local, self.domain.ascii())
    }
}

/// Why an address is refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum AddressError {
    #[error("the address is empty; give one such as billing@example.com")]
    Empty,
    #[error("'{0}' has no '@'; give an address such as billing@example.com")]
    NoAt(String),
    #[error("'{0}' looks like a display name or angle-bracketed address; give the bare address")]
    DisplayForm(String),
    #[error("'{0}' is longer than 254 characters")]
    TooLong(String),
    #[error("the local part of '{0}' is empty")]
    EmptyLocal(String),
    #[error("the local part of '{0}' is longer than 64 characters")]
    LocalTooLong(String),
    #[error("the local part of '{0}' is quoted; quoted local parts are not accepted")]
    Quoted(String),
    #[error("the local part of '{0}' starts or ends with a dot, or has two dots in a row")]
    Dots(String),
    #[error(
        "the local part of '{address}' contains '{ch}', which is not accepted (letters, digits and !#$%&'*+/=?^_`{{|}}~- only)"
    )]
    BadCharacter { address: String, ch: char },
    #[error("'{0}' uses an address literal; give a domain name after '@'")]
    Literal(String),
    #[error("the domain of '{address}' is invalid")]
    Domain {
        address: String,
        #[source]
        source: DomainError,
    },
}

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c)
}

/// Parse an address: `local@domain` with a dot-atom local part of at most 64 octets and a
/// domain name (IDN allowed); at most 254 octets overall (RFC 5321 limits).
pub fn parse_address(input: &str) -> Result<Address, AddressError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(AddressError::Empty);
    }
    if s.contains(['<', '>']) || s.contains(char::is_whitespace) {
        return Err(AddressError::DisplayForm(s.to_owned()));
    }
    let Some((local, domain)) = s.rsplit_once('@') else {
        return Err(AddressError::NoAt(s.to_owned()));
    };
    if local.is_empty() {
        return Err(AddressError::EmptyLocal(s.to_owned()));
    }
    if local.starts_with('"') {
        return Err(AddressError::Quoted(s.to_owned()));
    }
    if local.len() > MAX_LOCAL_LEN {
        return Err(AddressError::LocalTooLong(s.to_owned()));
    }
    if local.split('.').any(str::is_empty) {
        return Err(AddressError::Dots(s.to_owned()));
    }
    if let Some(ch) = local.chars().find(|&c| c != '.' && !is_atext(c)) {
        return Err(AddressError::BadCharacter {
            address: s.to_owned(),
            ch,
        });
    }
    if domain.starts_with('[') {
        return Err(AddressError::Literal(s.to_owned()));
    }
    let domain = normalize_domain(domain).map_err(|source| AddressError::Domain {
        address: s.to_owned(),
        source,
    })?;
    let address = Address {
        local: local.to_owned(),
        domain,
    };
    if address.ascii().len() > MAX_ADDRESS_LEN {
        return Err(AddressError::TooLong(s.to_owned()));
    }
    Ok(address)
}

/// What DNS said about one record type at the mail domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<T> {
    /// The name does not exist (NXDOMAIN).
    NoSuchName,
    /// The records found (empty: the name exists without records of that type).
    Records(Vec<T>),
}

/// One MX record: preference and exchange host (`.` for a null MX).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mx {
    pub preference: u16,
    pub exchange: String,
}

impl Mx {
    /// Whether this is the RFC 7505 null MX (exchange is the root).
    pub fn is_null(&self) -> bool {
        self.exchange == "." || self.exchange.is_empty()
    }
}

/// The verdict on a mail domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    /// MX records name mail servers.
    Mx(Vec<Mx>),
    /// No MX, but the domain has A/AAAA records (RFC 5321 section 5.1 implicit MX).
    AddressFallback(Vec<String>),
    /// A null MX (RFC 7505): the domain says it accepts no mail.
    NullMx,
    /// The domain does not exist.
    NoSuchDomain,
    /// Neither MX nor A/AAAA records.
    NoMailHost,
}

impl MailOutcome {
    /// Whether mail to the domain can be delivered.
    pub fn verified(&self) -> bool {
        matches!(self, MailOutcome::Mx(_) | MailOutcome::AddressFallback(_))
    }

    /// The snake_case name used in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            MailOutcome::Mx(_) => "mx",
            MailOutcome::AddressFallback(_) => "address_fallback",
            MailOutcome::NullMx => "null_mx",
            MailOutcome::NoSuchDomain => "no_such_domain",
            MailOutcome::NoMailHost => "no_mail_host",
        }
    }

    /// A one-line human explanation.
    pub fn describe(&self) -> String {
        match self {
            MailOutcome::Mx(mx) => {
                let hosts: Vec<String> = mx
                    .iter()
                    .map(|m| format!("{} {}", m.preference, m.exchange))
                    .collect();
                format!("the domain accepts mail (MX {})", hosts.join(", "))
            }
            MailOutcome::AddressFallback(addrs) => format!(
                "the domain has no MX record but has address records ({}), which receive mail under RFC 5321",
                addrs.join(", ")
            ),
            MailOutcome::NullMx => "the domain accepts no mail (null MX, RFC 7505)".to_owned(),
            MailOutcome::NoSuchDomain => "the domain does not exist (NXDOMAIN)".to_owned(),
            MailOutcome::NoMailHost => {
                "the domain has neither MX nor A/AAAA records, so it cannot receive mail".to_owned()
            }
        }
    }
}

/// Decide from the MX answer; `addresses` is consulted only when there is no MX record
/// (the caller passes a closure so it only looks A/AAAA up when needed).
pub fn decide<E>(
    mx: Lookup<Mx>,
    addresses: impl FnOnce() -> Result<Vec<String>, E>,
) -> Result<MailOutcome, E> {
    match mx {
        Lookup::NoSuchName => Ok(MailOutcome::NoSuchDomain),
        Lookup::Records(mut records) if !records.is_empty() => {
            if records.iter().all(Mx::is_null) {
                return Ok(MailOutcome::NullMx);
            }
            records.retain(|m| !m.is_null());
            records.sort_by(|a, b| {
                a.preference
                    .cmp(&b.preference)
                    .then(a.exchange.cmp(&b.exchange))
            });
            Ok(MailOutcome::Mx(records))
        }
        Lookup::Records(_) => {
            let addrs = addresses()?;
            if addrs.is_empty() {
                Ok(MailOutcome::NoMailHost)
            } else {
                Ok(MailOutcome::AddressFallback(addrs))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_practical_addresses() {
        let a = parse_address("billing@example.com").unwrap();
        assert_eq!(a.ascii(), "billing@example.com");
        let a = parse_address("first.last+tag@Sub.Example.COM.").unwrap();
        assert_eq!(a.ascii(), "first.last+tag@sub.example.com");
        let a = parse_address("o'brien@bücher.example").unwrap();
        assert_eq!(a.ascii(), "o'brien@xn--bcher-kva.example");
        assert!(parse_address("a!#$%&'*+/=?^_`{|}~-z@example.com").is_ok());
    }

    #[test]
    fn refuses_the_rest() {
        use AddressError as E;
        assert_eq!(parse_address(""), Err(E::Empty));
        assert!(matches!(parse_address("example.com"), Err(E::NoAt(_))));
        assert!(matches!(
            parse_address("Bill <b@example.com>"),
            Err(E::DisplayForm(_))
        ));
        assert!(matches!(
            parse_address("@example.com"),
            Err(E::EmptyLocal(_))
        ));
        assert!(matches!(
            parse_address("\"a b\"@example.com"),
            Err(E::DisplayForm(_))
        ));
        assert!(matches!(
            parse_address("\"ab\"@example.com"),
            Err(E::Quoted(_))
        ));
        assert!(matches!(parse_address(".a@example.com"), Err(E::Dots(_))));
        assert!(matches!(parse_address("a..b@example.com"), Err(E::Dots(_))));
        assert!(matches!(parse_address("a.@example.com"), Err(E::Dots(_))));
        assert!(matches!(
            parse_address("a(b)@example.com"),
            Err(E::BadCharacter { ch: '(', .. })
        ));
        assert!(matches!(
            parse_address("jörg@example.com"),
            Err(E::BadCharacter { .. })
        ));
        assert!(matches!(parse_address("a@[192.0.2.1]"), Err(E::Literal(_))));
        assert!(matches!(
            parse_address("a@localhost"),
            Err(E::Domain { .. })
        ));
        assert!(matches!(
            parse_address("a@b@example.com"),
            Err(E::BadCharacter { ch: '@', .. })
        ));
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert!(matches!(
            parse_address(&long_local),
            Err(E::LocalTooLong(_))
        ));
        let long = format!(
            "{}@{}.{}.{}.example",
            "a".repeat(64),
            "b".repeat(60),
            "c".repeat(60),
            "d".repeat(60)
        );
        assert!(matches!(parse_address(&long), Err(E::TooLong(_))));
    }

    fn mx(p: u16, e: &str) -> Mx {
        Mx {
            preference: p,
            exchange: e.to_owned(),
        }
    }

    #[test]
    fn decides_mail_outcomes() {
        let never = || -> Result<Vec<String>, ()> { panic!("no fallback expected") };
        assert_eq!(
            decide(Lookup::NoSuchName, never),
            Ok(MailOutcome::NoSuchDomain)
        );
        assert_eq!(
            decide(Lookup::Records(vec![mx(0, ".")]), never),
            Ok(MailOutcome::NullMx)
        );
        assert_eq!(
            decide(
                Lookup::Records(vec![mx(20, "b.example."), mx(10, "a.example.")]),
                never
            ),
            Ok(MailOutcome::Mx(vec![
                mx(10, "a.example."),
                mx(20, "b.example.")
            ]))
        );
        assert_eq!(
            decide(Lookup::Records(vec![]), || Ok::<_, ()>(vec![
                "192.0.2.1".into()
            ])),
            Ok(MailOutcome::AddressFallback(vec!["192.0.2.1".into()]))
        );
        assert_eq!(
            decide(Lookup::Records(vec![]), || Ok::<_, ()>(vec![])),
            Ok(MailOutcome::NoMailHost)
        );
        assert_eq!(
            decide(Lookup::Records(vec![]), || Err::<Vec<String>, _>("dns")),
            Err("dns")
        );
        assert!(MailOutcome::Mx(vec![]).verified());
        assert!(!MailOutcome::NullMx.verified());
    }
}
