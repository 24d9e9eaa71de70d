//! clap definitions of the HTTP commands: `serve`, `discovery`, `check` and `forward`.

use std::net::SocketAddr;
use std::path::PathBuf;

use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum, ValueHint};

/// Arguments of `mcpbill serve`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Example:\n  mcpbill serve --log-dir ./logs --key-file provider.key --pricing pricing.toml \\\n    --api-keys api-keys.toml --base-url https://billing.example.com"
)]
pub struct ServeArgs {
    /// The log directory whose receipts-*.jsonl files are served, which must exist (default:
    /// MCPBILL_LOG_DIR, else the platform data directory, created if needed).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub log_dir: Option<PathBuf>,

    /// The HMAC key file receipts are verified with (default: MCPBILL_KEY_FILE, else MCPBILL_KEY).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, env = "MCPBILL_KEY_FILE")]
    pub key_file: Option<PathBuf>,

    /// The pricing file (TOML) whose declarations GET /api/pricing publishes.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub pricing: Option<PathBuf>,

    /// The address to listen on; port 0 picks a free port (the bound address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787", value_parser = parse_listen)]
    pub listen: SocketAddr,

    /// The API keys file (TOML `[[keys]]` with `sha256`, `id`, `role`) that write endpoints
    /// check bearer keys against; without it, write endpoints answer 401.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub api_keys: Option<PathBuf>,

    /// The public base URL of this server, used for absolute URLs in agents.json.
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub base_url: Option<String>,

    /// Time a request may take before it is answered 408, e.g. 10s or 500ms (a bare number
    /// is seconds).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::time::parse_timeout)]
    pub request_timeout: Duration,

    /// Verification records (JSON Lines from verify-* --record) for the trust endpoint.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub verifications: Vec<PathBuf>,

    /// Read an API key on stdin and print the line to add to the --api-keys file, then exit.
    #[arg(long, value_name = "ID")]
    pub hash_key: Option<String>,

    /// The role of the key given to --hash-key.
    #[arg(long, value_enum, default_value_t = KeyRole::Agent, requires = "hash_key")]
    pub role: KeyRole,
}

/// Whom an API key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyRole {
    /// A consumer agent.
    Agent,
    /// A tool provider.
    Provider,
}

impl KeyRole {
    /// The spelling in files and responses.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyRole::Agent => "agent",
            KeyRole::Provider => "provider",
        }
    }
}

/// Arguments of `mcpbill discovery`.
#[derive(Debug, Args)]
pub struct DiscoveryArgs {
    /// The discovery subcommand.
    #[command(subcommand)]
    pub command: DiscoveryCommand,
}

/// The discovery subcommands.
#[derive(Debug, Subcommand)]
pub enum DiscoveryCommand {
    /// Write a spec section 7 agents.json document.
    Init(DiscoveryInitArgs),
    /// Fetch an agents.json document and check its shape and that its endpoints answer.
    Check(DiscoveryCheckArgs),
}

/// Arguments of `mcpbill discovery init`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Example:\n  mcpbill discovery init --base-url https://billing.example.com --pricing pricing.toml \\\n      --out .well-known/agents.json"
)]
pub struct DiscoveryInitArgs {
    /// Where to write the document ('-' for stdout).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, default_value = "agents.json")]
    pub out: PathBuf,

    /// The public base URL of the billing server.
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub base_url: String,

    /// The pricing file, for the provider id.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub pricing: Option<PathBuf>,

    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Options of every command that makes HTTP requests.
#[derive(Debug, Clone, Args)]
pub struct HttpOptions {
    /// Allow plain http:// URLs (https only otherwise).
    #[arg(long)]
    pub allow_http: bool,

    /// Time each request may take, e.g. 10s or 500ms (a bare number is seconds).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::time::parse_timeout)]
    pub timeout: Duration,

    /// Trust this extra CA certificate (PEM), e.g. a private CA.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub ca_cert: Option<PathBuf>,
}

/// Arguments of `mcpbill discovery check`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  mcpbill discovery check https://billing.example.com\n  mcpbill discovery check agents.json    # before publishing it: its shape only"
)]
pub struct DiscoveryCheckArgs {
    /// The base URL of the server, the full URL of its agents.json, or a local agents.json
    /// file ('-' for stdin), whose shape is checked offline.
    #[arg(value_name = "URL|FILE", value_hint = ValueHint::AnyPath)]
    pub url: String,

    /// HTTP options.
    #[command(flatten)]
    pub http: HttpOptions,
}

/// Arguments of `mcpbill check`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Example:\n  mcpbill check https://billing.example.com --receipt receipt.json --key-file provider.key"
)]
pub struct CheckArgs {
    /// The base URL of the provider's billing server.
    #[arg(value_name = "BASE_URL", value_hint = ValueHint::Url)]
    pub base_url: String,

    /// A receipt (JSON file) to ask the receipts endpoint about.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub receipt: Option<PathBuf>,

    /// The HMAC key to verify the receipt locally and compare with the provider's verdict.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, requires = "receipt")]
    pub key_file: Option<PathBuf>,

    /// HTTP options.
    #[command(flatten)]
    pub http: HttpOptions,
}

/// The wire format of forwarded events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForwardFormat {
    /// A JSON array of spec section 1 meter events.
    Spec,
    /// A CloudEvents batch for OpenMeter's ingest endpoint.
    Openmeter,
}

/// Arguments of `mcpbill forward`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Example:\n  mcpbill forward --log-dir ./logs --to https://meter.example.com/api/meter --follow"
)]
pub struct ForwardArgs {
    /// The log directory whose events-*.jsonl files are shipped.
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath, env = "MCPBILL_LOG_DIR")]
    pub log_dir: Option<PathBuf>,

    /// The metering endpoint URL.
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub to: String,

    /// The wire format.
    #[arg(long, value_enum, default_value_t = ForwardFormat::Spec)]
    pub format: ForwardFormat,

    /// Events per request.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub batch: u32,

    /// Ship what is in the log now, then exit (the default).
    #[arg(long, conflicts_with = "follow")]
    pub once: bool,

    /// Keep running and ship new events as they are written (stop with Ctrl-C).
    #[arg(long)]
    pub follow: bool,

    /// Attempts per batch before giving up (with --once; --follow retries forever).
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    pub attempts: u32,

    /// Wait before the first retry, e.g. 500ms or 2s (a bare number is milliseconds); each
    /// further retry waits twice as long (at most 30 s).
    #[arg(long, value_name = "DURATION", default_value = "500ms", value_parser = crate::time::parse_millis_or_duration)]
    pub retry_delay: Duration,

    /// Time between looks for new events with --follow, e.g. 1s (a bare number is
    /// milliseconds).
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = crate::time::parse_millis_or_duration)]
    pub poll: Duration,

    /// A bearer token sent with each request (default: MCPBILL_FORWARD_TOKEN).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "MCPBILL_FORWARD_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    /// HTTP options.
    #[command(flatten)]
    pub http: HttpOptions,
}

/// `--listen`: an IP address and a port; a bare port or a host name gets the form to use.
fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = s.trim().parse::<SocketAddr>() {
        return Ok(addr);
    }
    let s = s.trim();
    if s.parse::<u16>().is_ok() {
        return Err(format!(
            "'{s}' is a port alone; give an address with it, e.g. 127.0.0.1:{s} (this host only) or 0.0.0.0:{s} (every interface)"
        ));
    }
    if let Some((host, port)) = s.rsplit_once(':')
        && port.parse::<u16>().is_ok()
        && host.parse::<std::net::IpAddr>().is_err()
    {
        return Err(format!(
            "'{host}' is not an IP address; listen on one, e.g. 127.0.0.1:{port} (localhost) or 0.0.0.0:{port}"
        ));
    }
    Err(format!(
        "'{s}' is not an address to listen on; write IP:PORT, e.g. 127.0.0.1:8787 or [::1]:8787"
    ))
}
