//! The `mcpbill` binary: parse the command line, run it, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    // First: clap's own help and errors are writes too.
    mcpbill::exit::catch_file_size_signal();
    mcpbill::exit::install_panic_hook();
    let cli = mcpbill::cli::parse();
    let named = matches!(cli.command, mcpbill::cli::Command::Wrap(_));
    mcpbill::exit::finish(mcpbill::run(cli), named)
}
