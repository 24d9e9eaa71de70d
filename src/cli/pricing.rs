//! Arguments of `mcpbill pricing init|validate|show|quote`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueHint};

use crate::pricing::init::parse_free_count;
use crate::pricing::{PricingModel, RecordMode};

/// Arguments of `mcpbill pricing`.
#[derive(Debug, Args)]
pub struct PricingArgs {
    /// The pricing subcommand.
    #[command(subcommand)]
    pub command: PricingCommand,
}

/// The pricing subcommands.
#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// Write a commented pricing file (a wizard on a terminal, flags otherwise).
    Init(PricingInitArgs),
    /// Check a pricing file and report every problem with its line and column.
    Validate(PricingValidateArgs),
    /// Show a pricing file as a table, or as spec section 3 declarations with --json.
    Show(PricingShowArgs),
    /// Compute the exact cost of one call.
    Quote(PricingQuoteArgs),
}

/// Arguments of `mcpbill pricing init`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "On a terminal (stdin and stderr), without --json or --no-input, a wizard asks for every \
value not given as a flag. Otherwise the flags are the only input and a missing one is an error.\n\n\
Examples:\n  mcpbill pricing init\n  \
mcpbill pricing init pricing.toml --provider-id acme --tool search --model per_call \\\n      \
--price '$0.05' --free-calls 100\n  \
mcpbill pricing init llm.toml --provider-id acme --tool summarize --model per_token \\\n      \
--input-token-price '$0.00001' --output-token-price 30microcents"
)]
pub struct PricingInitArgs {
    /// Where to write the file.
    #[arg(value_name = "FILE", value_hint = ValueHint::FilePath, default_value = "pricing.toml")]
    pub file: PathBuf,

    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,

    /// The provider id (also the provider_id of every receipt).
    #[arg(long, value_name = "ID")]
    pub provider_id: Option<String>,

    /// ISO 4217 currency code.
    #[arg(long, value_name = "CODE", default_value = "USD")]
    pub currency: String,

    /// Provider category (used to compare latency in trust scores).
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,

    /// The tool id to declare (the MCP tool name).
    #[arg(long, value_name = "TOOL")]
    pub tool: Option<String>,

    /// Pricing model of the tool.
    #[arg(long, value_enum, value_name = "MODEL")]
    pub model: Option<PricingModel>,

    /// Price per call ('$0.05', '0.05' or '50000microcents'), for per_call.
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub price: Option<String>,

    /// Price per input token, for per_token.
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub input_token_price: Option<String>,

    /// Price per output token, for per_token.
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub output_token_price: Option<String>,

    /// Free calls per agent per month.
    #[arg(long, value_name = "N", value_parser = parse_free_count)]
    pub free_calls: Option<u64>,

    /// Free tokens per agent per month (per_token only).
    #[arg(long, value_name = "N", value_parser = parse_free_count)]
    pub free_tokens: Option<u64>,

    /// How much of the tool's arguments the wrap shim records.
    #[arg(long, value_enum, value_name = "MODE")]
    pub record_params: Option<RecordMode>,

    /// How much of the tool's results the wrap shim records.
    #[arg(long, value_enum, value_name = "MODE")]
    pub record_results: Option<RecordMode>,
}

/// Arguments of `mcpbill pricing validate`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Exit status: 0 valid, 1 invalid, 2 unreadable (missing, a directory, not UTF-8).\n\nExample:\n  mcpbill pricing validate pricing.toml"
)]
pub struct PricingValidateArgs {
    /// The pricing file (- for stdin).
    #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub file: PathBuf,
}

/// Arguments of `mcpbill pricing show`.
#[derive(Debug, Args)]
#[command(after_long_help = "Example:\n  mcpbill pricing show pricing.toml --json")]
pub struct PricingShowArgs {
    /// The pricing file (- for stdin).
    #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub file: PathBuf,
}

/// Arguments of `mcpbill pricing quote`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Example:\n  mcpbill pricing quote pricing.toml --tool summarize --input-tokens 1200 --output-tokens 300"
)]
pub struct PricingQuoteArgs {
    /// The pricing file (- for stdin).
    #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub file: PathBuf,

    /// The tool to quote.
    #[arg(long, value_name = "TOOL")]
    pub tool: String,

    /// Input tokens of the call.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub input_tokens: u64,

    /// Output tokens of the call.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub output_tokens: u64,

    /// Successful calls the agent already made this month (for the free tier).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub calls_this_month: u64,

    /// Tokens the agent already used this month (for the free tier).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub tokens_this_month: u64,
}
