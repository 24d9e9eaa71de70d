//! Arguments of `mcpbill dispute file|list|show|update|submit`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueHint};

use crate::dispute::{DisputeStatus, FiledByType, Reason};

/// Arguments of `mcpbill dispute`.
#[derive(Debug, Args)]
pub struct DisputeArgs {
    /// The dispute subcommand.
    #[command(subcommand)]
    pub command: DisputeCommand,
}

/// The dispute subcommands.
#[derive(Debug, Subcommand)]
pub enum DisputeCommand {
    /// Contest the charge of a receipt; evidence is collected automatically.
    File(DisputeFileArgs),
    /// List disputes (current status) with filters.
    List(DisputeListArgs),
    /// Show one dispute, its evidence and its history.
    Show(DisputeShowArgs),
    /// Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit.
    Update(DisputeUpdateArgs),
    /// Send a dispute filed here to its provider (again), as 'dispute file --submit' does.
    Submit(DisputeSubmitArgs),
}

/// Where the disputes log lives.
#[derive(Debug, Clone, Args)]
pub struct DisputeLogArgs {
    /// Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub log_dir: Option<PathBuf>,
}

/// Arguments of `mcpbill dispute file`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Evidence recorded with the dispute: the receipt, its signature verdict when a key is \
available (--key-file, MCPBILL_KEY_FILE or MCPBILL_KEY), the matching meter event from the log \
(status, duration, tokens), the tool's pricing declaration and the recomputed expected cost \
(--pricing), and whether the reason fits those facts. A reason that does not fit (tool_error on a \
successful call) is still accepted, and flagged.

On a terminal, missing values are asked for (reason, description, confirmation); otherwise a \
missing value is an error naming its flag. One open dispute per receipt.

Examples:
  mcpbill dispute file --receipt receipt.json --reason overcharge --pricing pricing.toml
  mcpbill dispute file --receipt-id rcpt_0123456789abcdef01234567 --reason other \\
      --description 'wrong language'
  mcpbill receipt sign event.json --key-file k | mcpbill dispute file --receipt - --reason quality"
)]
pub struct DisputeFileArgs {
    /// The receipt JSON file ('-' for stdin).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "receipt_id")]
    pub receipt: Option<PathBuf>,

    /// A receipt id to look up in the log directory's receipts-*.jsonl.
    #[arg(long, value_name = "ID")]
    pub receipt_id: Option<String>,

    /// Why the charge is contested.
    #[arg(long, value_enum)]
    pub reason: Option<Reason>,

    /// What went wrong (required for --reason other).
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,

    /// Who files (default: the receipt's agent, or its provider with --filed-by-type provider).
    #[arg(long, value_name = "ID")]
    pub filed_by: Option<String>,

    /// Whether the filer is the agent or the provider.
    #[arg(long, value_enum, default_value_t = FiledByType::Agent)]
    pub filed_by_type: FiledByType,

    /// File holding the HMAC secret, to record the receipt's signature verdict.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, env = "MCPBILL_KEY_FILE")]
    pub key_file: Option<PathBuf>,

    /// Pricing files; the one for the receipt's provider gives the expected cost (repeatable).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub pricing: Vec<PathBuf>,

    /// Also post the dispute to the provider at this base URL (found through its agents.json)
    /// and record the answer in dispute-submissions.jsonl.
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub submit: Option<String>,

    /// With --submit: file holding the API key sent as 'Authorization: Bearer'.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, requires = "submit")]
    pub api_key_file: Option<PathBuf>,

    /// With --submit: allow a plain http:// provider URL.
    #[arg(long, requires = "submit")]
    pub allow_http: bool,

    /// With --submit: time each request may take, e.g. 10s or 500ms (a bare number is seconds).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::time::parse_timeout, requires = "submit")]
    pub timeout: std::time::Duration,

    /// With --submit: trust this extra CA certificate (PEM), e.g. a private CA.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, requires = "submit")]
    pub ca_cert: Option<PathBuf>,

    /// Where the disputes log is.
    #[command(flatten)]
    pub log: DisputeLogArgs,
}

/// Arguments of `mcpbill dispute list`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  mcpbill dispute list\n  mcpbill dispute list --status filed --provider acme --json"
)]
pub struct DisputeListArgs {
    /// Only disputes with this current status.
    #[arg(long, value_enum)]
    pub status: Option<DisputeStatus>,

    /// Only disputes against this provider.
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,

    /// Only disputes on this agent's receipts.
    #[arg(long, value_name = "ID")]
    pub agent: Option<String>,

    /// Only disputes with this reason.
    #[arg(long, value_enum)]
    pub reason: Option<Reason>,

    /// Where the disputes log is.
    #[command(flatten)]
    pub log: DisputeLogArgs,
}

/// Arguments of `mcpbill dispute show`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Exit status: 0 shown, 1 no such dispute.\n\nExample:\n  mcpbill dispute show disp_0123456789abcdef01234567"
)]
pub struct DisputeShowArgs {
    /// The dispute id.
    #[arg(value_name = "ID")]
    pub id: String,

    /// Where the disputes log is.
    #[command(flatten)]
    pub log: DisputeLogArgs,
}

/// Arguments of `mcpbill dispute update`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Allowed: filed -> under_review; under_review -> resolved_refund, resolved_denied or \
resolved_credit (with --credit). Every change is appended to the history; nothing is overwritten.

Examples:
  mcpbill dispute update disp_0123456789abcdef01234567 --status under_review --note 'checking logs'
  mcpbill dispute update disp_0123456789abcdef01234567 --status resolved_credit --credit '$0.02'"
)]
pub struct DisputeUpdateArgs {
    /// The dispute id.
    #[arg(value_name = "ID")]
    pub id: String,

    /// The new status (not filed: that is where every dispute starts).
    #[arg(long, value_parser = update_status())]
    pub status: DisputeStatus,

    /// Why (kept in the history).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// Credit granted, with --status resolved_credit ('$0.02', '0.02' or '20000microcents').
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub credit: Option<String>,

    /// Where the disputes log is.
    #[command(flatten)]
    pub log: DisputeLogArgs,
}

/// Arguments of `mcpbill dispute submit`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Posts the dispute as it was filed (the same spec section 5 document and \
dispute id, sent as Idempotency-Key), so a provider that already has it can tell a repeat. For a \
submission that failed or was refused, or a dispute filed without --submit. The answer is \
appended to dispute-submissions.jsonl.

Exit status: 0 accepted, 1 refused by the provider or no such dispute, 2 the request failed.

Example:
  mcpbill dispute submit disp_0123456789abcdef01234567 --to https://billing.example.com \\
      --api-key-file agent.key"
)]
pub struct DisputeSubmitArgs {
    /// The dispute id.
    #[arg(value_name = "ID")]
    pub id: String,

    /// The provider's base URL (its disputes endpoint is found through its agents.json).
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub to: String,

    /// File holding the API key sent as 'Authorization: Bearer'.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub api_key_file: Option<PathBuf>,

    /// Allow a plain http:// provider URL.
    #[arg(long)]
    pub allow_http: bool,

    /// Time each request may take, e.g. 10s or 500ms (a bare number is seconds).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::time::parse_timeout)]
    pub timeout: std::time::Duration,

    /// Trust this extra CA certificate (PEM), e.g. a private CA.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub ca_cert: Option<PathBuf>,

    /// Where the disputes log is.
    #[command(flatten)]
    pub log: DisputeLogArgs,
}

/// `--status` of `dispute update`: every status but `filed`, which is never a target.
fn update_status() -> impl clap::builder::TypedValueParser<Value = DisputeStatus> {
    use clap::ValueEnum;
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(
        DisputeStatus::value_variants()
            .iter()
            .filter(|s| **s != DisputeStatus::Filed)
            .filter_map(ValueEnum::to_possible_value),
    )
    .map(|s| DisputeStatus::from_str(&s, false).expect("a listed value"))
}
