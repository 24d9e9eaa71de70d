//! The command-line interface: clap definitions only (no behaviour lives here).

mod demo;
mod keygen;
mod pricing;
mod receipt;
mod verify;
mod wrap;

use clap::{Args, CommandFactory, Parser, Subcommand};

pub use demo::{DemoArgs, ExampleServerArgs};
pub use keygen::KeygenArgs;
pub use pricing::{
    PricingArgs, PricingCommand, PricingInitArgs, PricingQuoteArgs, PricingShowArgs,
    PricingValidateArgs,
};
pub use receipt::{
    KeySource, ReceiptArgs, ReceiptCommand, ReceiptInspectArgs, ReceiptSignArgs, ReceiptVerifyArgs,
    VerifyFormat,
};
pub use wrap::WrapArgs;

pub use verify::{DnsArgs, VerifyCodeArgs, VerifyDomainArgs, VerifyEmailArgs, parse_nameserver};

use crate::output::ColorChoice;

/// Exit codes, shown at the end of `--help` and in the man page.
pub const EXIT_CODES_HELP: &str = "\
Exit status:
  0    success
  1    negative verdict: invalid receipt, domain not verified, score below --min-score
  2    usage, input, I/O or network error
  wrap exits with the server's exit code, or 128 + signal if it was killed.";

/// Meter, sign, verify and dispute MCP tool calls (MCP Billing Spec v1).
#[derive(Debug, Parser)]
#[command(
    name = "mcpbill",
    version,
    about,
    long_about = "mcpbill declares pricing for MCP tools, meters every tool call, signs and verifies \
receipts offline, verifies a provider's domain through DNS, files and resolves disputes, computes \
trust scores from event logs, and wraps any stdio MCP server as a transparent metering shim.",
    after_long_help = EXIT_CODES_HELP,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,

    /// Options every subcommand accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every subcommand accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Print machine-readable JSON on stdout (no tables, colour or prompts).
    #[arg(long, global = true)]
    pub json: bool,

    /// When to use colour: auto honours NO_COLOR and only colours terminals.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more detail on stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Never prompt; a missing value is an error naming its flag.
    #[arg(long, global = true, env = "MCPBILL_NO_INPUT")]
    pub no_input: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a random HMAC secret and write it to a new file (mode 0600).
    Keygen(KeygenArgs),
    /// Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string).
    #[command(subcommand_required = true, arg_required_else_help = true)]
    Receipt(ReceiptArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Prove control of a domain with a DNS TXT challenge (mint it, then check it).
    VerifyDomain(VerifyDomainArgs),
    /// Check an email address's syntax and that its domain accepts mail (MX, or A/AAAA).
    VerifyEmail(VerifyEmailArgs),
    /// Check that a repository (local checkout or URL) names the provider id.
    VerifyCode(VerifyCodeArgs),
    /// Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill.
    Demo(DemoArgs),
    /// A small stdio MCP server with priced example tools (used by `demo`, tests, benchmarks).
    #[command(hide = true)]
    ExampleServer(ExampleServerArgs),
    /// Run an MCP server behind a transparent stdio shim that meters every tool call.
    Wrap(WrapArgs),
    /// Declare tool prices in a TOML file: init, validate, show, quote.
    #[command(subcommand_required = true, arg_required_else_help = true)]
    Pricing(PricingArgs),
}

/// Arguments of `mcpbill completions`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Example:\n  mcpbill completions bash > ~/.local/share/bash-completion/completions/mcpbill"
)]
pub struct CompletionsArgs {
    /// The shell to generate the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Parse the process arguments (exits 2 on a usage error, as clap does).
pub fn parse() -> Cli {
    Cli::parse()
}

/// The clap command tree (for completions, man pages and tests).
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        super::command().debug_assert();
    }
}
