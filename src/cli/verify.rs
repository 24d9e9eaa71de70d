//! Arguments of `mcpbill verify-domain`, `verify-email` and `verify-code` (provider verification).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueHint};

/// How DNS questions are asked (shared by `verify-domain` and `verify-email`).
#[derive(Debug, Clone, Args)]
pub struct DnsArgs {
    /// Ask this name server instead of the system resolver (IP or IP:PORT, default port 53;
    /// repeatable). Point it at the zone's authoritative server to check before caches catch up.
    #[arg(long = "nameserver", value_name = "IP[:PORT]", value_parser = parse_nameserver)]
    pub nameservers: Vec<SocketAddr>,

    /// How long to wait for one DNS answer before trying again or giving up (a bare number
    /// is seconds).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = crate::time::parse_timeout)]
    pub timeout: Duration,
}

/// Arguments of `mcpbill verify-domain`.
#[derive(Debug, Args)]
#[command(after_long_help = "\
The TXT record lives at _mcp-billing-verify.<domain> and its value is
  mcp-billing-verify=<first 8 characters of the provider id>-<32 hex character token>

Examples:
  mcpbill verify-domain example.com --provider-id acme-tools        # mint and print the record
  mcpbill verify-domain example.com --provider-id acme-tools        # later: check it
  mcpbill verify-domain example.com --provider-id acme-tools --wait 10m --nameserver 198.51.100.53
  mcpbill verify-domain example.com --provider-id acme-tools \\
      --token 0123456789abcdef0123456789abcdef              # in CI, where nothing is saved

Exit status: 0 verified (or --new-challenge minted one), 1 not verified (also when a first
run minted the challenge), 2 invalid domain or DNS error.")]
pub struct VerifyDomainArgs {
    /// The domain to verify (IDNs and a trailing dot are accepted; do not add _mcp-billing-verify).
    #[arg(value_name = "DOMAIN")]
    pub domain: String,

    /// The provider id; its first 8 characters go into the record value.
    #[arg(long, value_name = "ID", env = "MCPBILL_PROVIDER_ID")]
    pub provider_id: String,

    /// The challenge token to look for (32 lowercase hex characters); default: the saved challenge.
    #[arg(long, value_name = "TOKEN", conflicts_with = "new_challenge")]
    pub token: Option<String>,

    /// Mint a new challenge even if one is saved for this provider and domain, and print it.
    #[arg(long)]
    pub new_challenge: bool,

    /// The file holding pending challenges (default: verify-challenges.json in $MCPBILL_STATE_DIR,
    /// else in the platform state directory).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub state: Option<PathBuf>,

    /// Keep checking until the record is found or this much time has passed.
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_timeout)]
    pub wait: Option<Duration>,

    /// Time between two checks with --wait.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::time::parse_timeout, requires = "wait")]
    pub interval: Duration,

    /// Append a verification record (JSON Lines) to this file when the domain is verified.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub record: Option<PathBuf>,

    /// DNS options.
    #[command(flatten)]
    pub dns: DnsArgs,
}

/// Arguments of `mcpbill verify-email`.
#[derive(Debug, Args)]
#[command(after_long_help = "\
This checks that the address is well formed and that its domain accepts mail (MX records, or
A/AAAA records when there is no MX, as RFC 5321 allows). It does not prove that anyone owns or
reads the mailbox.

Accepted syntax: local-part@domain with a dot-atom local part (letters, digits and
!#$%&'*+/=?^_`{|}~- separated by single dots, at most 64 octets) and a domain name (IDNs allowed,
converted to punycode); at most 254 octets in all. Quoted local parts, comments, display names
and address literals such as user@[192.0.2.1] are refused.

Examples:
  mcpbill verify-email billing@example.com
  mcpbill verify-email billing@example.com --provider-id acme-tools --record verifications.jsonl

Exit status: 0 the domain accepts mail, 1 it does not, 2 invalid address or DNS error.")]
pub struct VerifyEmailArgs {
    /// The email address to check.
    #[arg(value_name = "ADDRESS")]
    pub address: String,

    /// The provider id the address belongs to (required with --record).
    #[arg(long, value_name = "ID", env = "MCPBILL_PROVIDER_ID")]
    pub provider_id: Option<String>,

    /// Append a verification record (JSON Lines) to this file when the address is verified.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, requires = "provider_id")]
    pub record: Option<PathBuf>,

    /// DNS options.
    #[command(flatten)]
    pub dns: DnsArgs,
}

/// Arguments of `mcpbill verify-code`.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Looks for, in this order: .mcp-billing.json (a JSON object whose \"provider_id\" is the provider
id), then README*, package.json and Cargo.toml mentioning the provider id. A valid
.mcp-billing.json naming another provider means not verified.

A URL is a base from which <base>/.mcp-billing.json, <base>/README.md, <base>/package.json and
<base>/Cargo.toml are fetched. github.com and gitlab.com repository URLs are mapped to their
raw-file hosts (default branch, or the ref in a /tree/REF URL).

Examples:
  mcpbill verify-code . --provider-id acme-tools
  mcpbill verify-code https://github.com/acme/acme-mcp --provider-id acme-tools

Exit status: 0 verified, 1 not verified, 2 bad path or URL, or a fetch error.")]
pub struct VerifyCodeArgs {
    /// A local checkout (directory) or an https:// URL of a public repository.
    #[arg(value_name = "PATH_OR_URL", value_hint = ValueHint::AnyPath)]
    pub target: String,

    /// The provider id to look for.
    #[arg(long, value_name = "ID", env = "MCPBILL_PROVIDER_ID")]
    pub provider_id: String,

    /// Allow plain http:// URLs (and redirects to them).
    #[arg(long)]
    pub allow_http: bool,

    /// Time limit for each HTTP request (a bare number is seconds).
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = crate::time::parse_timeout)]
    pub timeout: Duration,

    /// Append a verification record (JSON Lines) to this file when the code is verified.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub record: Option<PathBuf>,
}

/// Parse `IP` or `IP:PORT` (`[v6]:PORT` for IPv6 with a port); the default port is 53.
pub fn parse_nameserver(s: &str) -> Result<SocketAddr, String> {
    let s = s.trim();
    if let Ok(addr) = s.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let bare = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    Err(format!(
        "'{s}' is not an IP address; write e.g. 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53 (host names are not accepted)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nameserver_forms() {
        assert_eq!(
            parse_nameserver("127.0.0.1").unwrap(),
            "127.0.0.1:53".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver("127.0.0.1:5353").unwrap(),
            "127.0.0.1:5353".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver("::1").unwrap(),
            "[::1]:53".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver("[::1]").unwrap(),
            "[::1]:53".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver("[::1]:54").unwrap(),
            "[::1]:54".parse().unwrap()
        );
        assert!(parse_nameserver("ns1.example.com").is_err());
        assert!(parse_nameserver("127.0.0.1:99999").is_err());
    }
}
