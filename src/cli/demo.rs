//! Arguments of `mcpbill demo` and the hidden `mcpbill example-server`.

use std::path::PathBuf;

use clap::{Args, ValueHint};

/// Arguments of `mcpbill demo`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Examples:\n  mcpbill demo\n  mcpbill demo --log-dir ./demo-logs\n  mcpbill demo --json"
)]
pub struct DemoArgs {
    /// Write the demo's pricing file, key, events and receipts here (kept) instead of in a
    /// temporary directory.
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub log_dir: Option<PathBuf>,

    /// Keep the temporary directory and print its path.
    #[arg(long)]
    pub keep: bool,
}

/// Arguments of the hidden `mcpbill example-server`.
#[derive(Debug, Args)]
pub struct ExampleServerArgs {}
