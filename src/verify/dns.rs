//! DNS edge of verification: a hickory resolver built from `--nameserver`/`--timeout` (or the
//! system configuration), and lookups that tell NXDOMAIN, empty answers and DNS failures apart.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};
use thiserror::Error;

use super::email::{Lookup, Mx};

/// Tries per question (the first try plus one retry).
const ATTEMPTS: usize = 2;

/// A DNS failure: the answer could not be had, so no verdict can be given.
#[derive(Debug, Error)]
pub enum DnsFailure {
    #[error(
        "DNS error: the server answered {} ({code}) for {name} {rtype}; this is a DNS failure, not a verdict (retry, or ask another server with --nameserver)",
        mnemonic(*.code)
    )]
    Response {
        name: String,
        rtype: RecordType,
        code: ResponseCode,
    },
    #[error(
        "DNS error: no answer for {name} {rtype} within {timeout:?} from {servers}; check that the server is reachable or raise --timeout"
    )]
    Timeout {
        name: String,
        rtype: RecordType,
        timeout: Duration,
        servers: String,
    },
    #[error("DNS error: {servers} could not be reached for {name} {rtype}: {detail}")]
    Unreachable {
        name: String,
        rtype: RecordType,
        servers: String,
        detail: String,
    },
    #[error("DNS error for {name} {rtype}: {detail}")]
    Other {
        name: String,
        rtype: RecordType,
        detail: String,
    },
    #[error("cannot read the system resolver configuration ({0}); pass --nameserver IP")]
    SystemConfig(String),
}

/// The RFC 1035 / 2136 mnemonic of a response code (`SERVFAIL`, `REFUSED`, ...).
fn mnemonic(code: ResponseCode) -> String {
    match code {
        ResponseCode::ServFail => "SERVFAIL".to_owned(),
        ResponseCode::Refused => "REFUSED".to_owned(),
        ResponseCode::NXDomain => "NXDOMAIN".to_owned(),
        ResponseCode::FormErr => "FORMERR".to_owned(),
        ResponseCode::NotImp => "NOTIMP".to_owned(),
        ResponseCode::NotAuth => "NOTAUTH".to_owned(),
        other => format!("{other:?}").to_ascii_uppercase(),
    }
}

/// A resolver and how to describe it in messages.
pub struct Dns {
    resolver: TokioResolver,
    servers: String,
    timeout: Duration,
}

impl Dns {
    /// The given name servers (UDP and TCP, hosts file off), or the system resolver when empty.
    /// Must be called inside a Tokio runtime.
    pub fn new(nameservers: &[SocketAddr], timeout: Duration) -> Result<Self, DnsFailure> {
        let (mut builder, servers) = if nameservers.is_empty() {
            let builder = TokioResolver::builder_tokio()
                .map_err(|e| DnsFailure::SystemConfig(e.to_string()))?;
            (builder, "the system resolver".to_owned())
        } else {
            let configs = nameservers
                .iter()
                .map(|addr| {
                    let mut udp = ConnectionConfig::udp();
                    udp.port = addr.port();
                    let mut tcp = ConnectionConfig::tcp();
                    tcp.port = addr.port();
                    NameServerConfig::new(addr.ip(), true, vec![udp, tcp])
                })
                .collect();
            let builder = Resolver::builder_with_config(
                ResolverConfig::from_name_servers(configs),
                TokioRuntimeProvider::default(),
            );
            let list: Vec<String> = nameservers.iter().map(ToString::to_string).collect();
            (builder, list.join(", "))
        };
        let opts = builder.options_mut();
        opts.timeout = timeout;
        opts.attempts = ATTEMPTS;
        if !nameservers.is_empty() {
            opts.use_hosts_file = ResolveHosts::Never;
        }
        let resolver = builder
            .build()
            .map_err(|e| DnsFailure::SystemConfig(e.to_string()))?;
        Ok(Dns {
            resolver,
            servers,
            timeout,
        })
    }

    /// Forget cached answers (between two polls of `--wait`).
    pub fn clear_cache(&self) {
        self.resolver.clear_cache();
    }

    /// Who is asked, for messages.
    pub fn servers(&self) -> &str {
        &self.servers
    }

    /// TXT values at `name` (each record's character-strings concatenated), or `None` for
    /// NXDOMAIN, with the CNAME targets met on the way (the resolver follows chains).
    pub async fn txt(&self, name: &str) -> Result<(Option<Vec<String>>, Vec<String>), DnsFailure> {
        Ok(match self.lookup(name, RecordType::TXT).await? {
            Lookup::NoSuchName => (None, Vec::new()),
            Lookup::Records(data) => {
                let mut values = Vec::new();
                let mut cnames = Vec::new();
                for d in data {
                    match d {
                        RData::TXT(txt) => {
                            let bytes: Vec<u8> = txt
                                .txt_data
                                .iter()
                                .flat_map(|s| s.iter().copied())
                                .collect();
                            values.push(String::from_utf8_lossy(&bytes).into_owned());
                        }
                        RData::CNAME(target) => cnames.push(target.0.to_ascii()),
                        _ => {}
                    }
                }
                (Some(values), cnames)
            }
        })
    }

    /// MX records at `name`.
    pub async fn mx(&self, name: &str) -> Result<Lookup<Mx>, DnsFailure> {
        Ok(match self.lookup(name, RecordType::MX).await? {
            Lookup::NoSuchName => Lookup::NoSuchName,
            Lookup::Records(data) => Lookup::Records(
                data.into_iter()
                    .filter_map(|d| match d {
                        RData::MX(mx) => Some(Mx {
                            preference: mx.preference,
                            exchange: mx.exchange.to_ascii(),
                        }),
                        _ => None,
                    })
                    .collect(),
            ),
        })
    }

    /// A and AAAA addresses at `name` (empty when the name has none or does not exist).
    pub async fn addresses(&self, name: &str) -> Result<Vec<String>, DnsFailure> {
        let mut out = Vec::new();
        for rtype in [RecordType::A, RecordType::AAAA] {
            if let Lookup::Records(data) = self.lookup(name, rtype).await? {
                for d in data {
                    match d {
                        RData::A(a) => out.push(a.0.to_string()),
                        RData::AAAA(a) => out.push(a.0.to_string()),
                        _ => {}
                    }
                }
            }
        }
        Ok(out)
    }

    /// The answer records' data for `name` and `rtype` (CNAMEs on the way included), or
    /// NXDOMAIN; every other failure is a [`DnsFailure`].
    pub async fn lookup(&self, name: &str, rtype: RecordType) -> Result<Lookup<RData>, DnsFailure> {
        let fqdn = Name::from_ascii(format!("{}.", name.trim_end_matches('.'))).map_err(|e| {
            DnsFailure::Other {
                name: name.to_owned(),
                rtype,
                detail: e.to_string(),
            }
        })?;
        // The resolver has its own per-try timeout; this outer bound only guards against a hang.
        let bound =
            self.timeout * u32::try_from(ATTEMPTS * 2 + 1).unwrap_or(5) + Duration::from_secs(1);
        let result = tokio::time::timeout(bound, self.resolver.lookup(fqdn, rtype)).await;
        let Ok(result) = result else {
            return Err(self.timeout_failure(name, rtype));
        };
        match result {
            Ok(lookup) => Ok(Lookup::Records(
                lookup
                    .answers()
                    .iter()
                    .filter(|r| r.record_type() == rtype || r.record_type() == RecordType::CNAME)
                    .map(|r| r.data.clone())
                    .collect(),
            )),
            Err(err) => self.classify(name, rtype, err),
        }
    }

    fn timeout_failure(&self, name: &str, rtype: RecordType) -> DnsFailure {
        DnsFailure::Timeout {
            name: name.to_owned(),
            rtype,
            timeout: self.timeout,
            servers: self.servers.clone(),
        }
    }

    fn classify(
        &self,
        name: &str,
        rtype: RecordType,
        err: NetError,
    ) -> Result<Lookup<RData>, DnsFailure> {
        match err {
            NetError::Dns(DnsError::NoRecordsFound(nr)) => match nr.response_code {
                ResponseCode::NXDomain => Ok(Lookup::NoSuchName),
                ResponseCode::NoError => Ok(Lookup::Records(Vec::new())),
                code => Err(DnsFailure::Response {
                    name: name.to_owned(),
                    rtype,
                    code,
                }),
            },
            NetError::Dns(DnsError::ResponseCode(code)) => Err(DnsFailure::Response {
                name: name.to_owned(),
                rtype,
                code,
            }),
            NetError::Timeout => Err(self.timeout_failure(name, rtype)),
            NetError::Io(e) => Err(DnsFailure::Unreachable {
                name: name.to_owned(),
                rtype,
                servers: self.servers.clone(),
                detail: e.to_string(),
            }),
            NetError::NoConnections => Err(DnsFailure::Unreachable {
                name: name.to_owned(),
                rtype,
                servers: self.servers.clone(),
                detail: "no connection could be made".to_owned(),
            }),
            other => Err(DnsFailure::Other {
                name: name.to_owned(),
                rtype,
                detail: other.to_string(),
            }),
        }
    }
}
