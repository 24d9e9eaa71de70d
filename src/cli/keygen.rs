//! Arguments of `mcpbill keygen`.

use std::path::PathBuf;

use clap::{Args, ValueHint};

/// Arguments of `mcpbill keygen`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  mcpbill keygen --out billing.key\n  mcpbill keygen --out billing.key --force"
)]
pub struct KeygenArgs {
    /// Where to write the secret (64 hex characters and a newline, mode 0600).
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath, default_value = "mcpbill.key")]
    pub out: PathBuf,

    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}
