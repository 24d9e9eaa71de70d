//! Arguments of `mcpbill receipt sign|verify|inspect`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum, ValueHint};

/// Arguments of `mcpbill receipt`.
#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// The receipt subcommand.
    #[command(subcommand)]
    pub command: ReceiptCommand,
}

/// The receipt subcommands.
#[derive(Debug, Subcommand)]
pub enum ReceiptCommand {
    /// Sign a receipt for a meter event (file, stdin or flags).
    Sign(ReceiptSignArgs),
    /// Verify receipts offline: one JSON document or JSON Lines of any length.
    Verify(ReceiptVerifyArgs),
    /// Show a receipt, its canonical string and the signed fields.
    Inspect(ReceiptInspectArgs),
}

/// Where the HMAC secret comes from.
#[derive(Debug, Clone, Args)]
pub struct KeySource {
    /// File holding the HMAC secret (one trailing newline is stripped). Without it,
    /// MCPBILL_KEY holds the secret itself.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, env = "MCPBILL_KEY_FILE")]
    pub key_file: Option<PathBuf>,
}

/// Arguments of `mcpbill receipt sign`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "The secret is read from --key-file, MCPBILL_KEY_FILE, or MCPBILL_KEY (the secret itself).

Examples:
  mcpbill receipt sign event.json --key-file billing.key
  mcpbill receipt sign --tool-id search --agent-id a1 --provider-id acme --cost '$0.05' \\
      --key-file billing.key"
)]
pub struct ReceiptSignArgs {
    /// Meter event JSON to sign ('-' for stdin). Omit to build the receipt from flags.
    #[arg(value_name = "EVENT", value_hint = ValueHint::FilePath)]
    pub event: Option<PathBuf>,

    /// The secret.
    #[command(flatten)]
    pub key: KeySource,

    /// Tool id (overrides the event's).
    #[arg(long)]
    pub tool_id: Option<String>,

    /// Agent id (overrides the event's).
    #[arg(long)]
    pub agent_id: Option<String>,

    /// Provider id (overrides the event's).
    #[arg(long)]
    pub provider_id: Option<String>,

    /// Cost: '$0.05', '0.05' (dollars) or '50000microcents' (overrides the event's).
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub cost: Option<String>,

    /// Status: success, error, timeout or rate_limited (overrides the event's).
    #[arg(long)]
    pub status: Option<String>,

    /// RFC 3339 timestamp with zone (default: the event's, else now).
    #[arg(long)]
    pub timestamp: Option<String>,

    /// Wall-clock duration in milliseconds (overrides the event's).
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    pub duration_ms: Option<u64>,

    /// Receipt id to use (default: a new random one).
    #[arg(long)]
    pub receipt_id: Option<String>,

    /// JSON file with the call's arguments: sets input_hash.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub input: Option<PathBuf>,

    /// JSON file with the call's result: sets output_hash.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,

    /// Base URL the receipt id is appended to, giving verify_url.
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub verify_url_base: Option<String>,
}

/// Output formats of `receipt verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum VerifyFormat {
    /// A verdict line per receipt and a summary (JSON Lines with --json).
    #[default]
    Verdicts,
    /// The spec's verification response, one per receipt.
    Spec,
}

/// Arguments of `mcpbill receipt verify`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Exit status: 0 all receipts valid, 1 any invalid, 2 unreadable input.

Examples:
  mcpbill receipt verify receipt.json --key-file billing.key
  mcpbill receipt verify receipts-2026-11.jsonl --keyring keyring.toml --json"
)]
pub struct ReceiptVerifyArgs {
    /// Receipt files: a JSON document or JSON Lines ('-' or nothing for stdin).
    #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub files: Vec<PathBuf>,

    /// The secret.
    #[command(flatten)]
    pub key: KeySource,

    /// TOML file mapping provider ids to key files (`acme = "acme.key"`, relative to the
    /// keyring's directory), to verify several providers at once. Takes precedence over --key-file and MCPBILL_KEY.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub keyring: Option<PathBuf>,

    /// Output format (spec: offline only; --online prints its own report).
    #[arg(long, value_enum, default_value_t = VerifyFormat::Verdicts)]
    pub format: VerifyFormat,

    /// Also ask each receipt's verify_url and report where the provider disagrees.
    #[arg(long)]
    pub online: bool,

    /// With --online: allow plain http:// verify URLs (https only otherwise).
    #[arg(long, requires = "online")]
    pub allow_http: bool,

    /// With --online: time each request may take, e.g. 10s or 500ms (a bare number is seconds).
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10s",
        requires = "online",
        value_parser = crate::time::parse_timeout
    )]
    pub timeout: std::time::Duration,

    /// With --online: requests in flight at most.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 8,
        requires = "online",
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024)
    )]
    pub concurrency: usize,

    /// With --online: trust this extra CA certificate (PEM).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, requires = "online")]
    pub ca_cert: Option<PathBuf>,
}

/// Arguments of `mcpbill receipt inspect`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  mcpbill receipt inspect receipt.json\n  mcpbill receipt inspect receipts-2026-11.jsonl --id rcpt_750d2b6d1789a4bac7a059b1"
)]
pub struct ReceiptInspectArgs {
    /// The receipt JSON file, or with --id a file of receipts (JSON Lines); '-' for stdin.
    #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub file: PathBuf,

    /// Show the receipt with this id, from a file of receipts (a receipts-*.jsonl log).
    #[arg(long, value_name = "RECEIPT_ID")]
    pub id: Option<String>,
}
