//! mcpbill: the MCP Billing Spec v1 on one binary. This crate root lists the modules and
//! dispatches a parsed command line to its subcommand.

pub mod analytics;
pub mod check;
pub mod cli;
pub mod demo;
pub mod discovery;
pub mod dispute;
pub mod doc;
pub mod eventlog;
pub mod exit;
pub mod export;
pub mod feedback;
pub mod forward;
pub mod generate;
pub mod http;
pub mod ids;
pub mod input;
pub mod jsontext;
pub mod key;
pub mod keygen;
pub mod kind;
pub mod meter;
pub mod money;
pub mod newfile;
pub mod online;
pub mod output;
pub mod pricing;
pub mod receipt;
pub mod report;
pub mod scan;
pub mod serve;
pub mod time;
pub mod trust;
pub mod verify;
pub mod wrap;

use anyhow::Result;

use cli::{Cli, Command};
use exit::ExitStatus;
use output::{Printer, Verbosity};

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    let g = &cli.global;
    let verbosity = if g.quiet {
        Verbosity::Quiet
    } else if g.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    if g.json
        && let Some(what) = without_json(&cli.command)
    {
        anyhow::bail!("{what}, so --json has nothing to change; drop --json");
    }
    let mut printer = Printer::new(g.json, g.color, verbosity);
    let status = match cli.command {
        Command::Keygen(args) => keygen::run(&args, &mut printer),
        Command::VerifyDomain(args) => verify::run_domain(&args, &mut printer),
        Command::VerifyEmail(args) => verify::run_email(&args, &mut printer),
        Command::VerifyCode(args) => verify::run_code(&args, &mut printer),
        Command::Demo(args) => demo::run(&args, &mut printer),
        Command::ExampleServer(_) => demo::run_example_server(),
        Command::Wrap(args) => wrap::run(&args, &mut printer),
        Command::Trust(args) => trust::run(&args, &mut printer),
        Command::Dispute(args) => dispute::run(&args, &cli.global, &mut printer),
        Command::Report(args) => report::run(&args, &mut printer),
        Command::Feedback(args) => feedback::run(&args, &mut printer),
        Command::Export(args) => export::run(&args, &mut printer),
        Command::Pricing(args) => pricing::run(&args, &cli.global, &mut printer),
        Command::Receipt(args) => receipt::run(&args, &mut printer),
        Command::Completions(args) => {
            let mut buf = Vec::new();
            generate::completions(args.shell, &mut buf);
            printer.bytes(&buf)?;
            Ok(ExitStatus::Success)
        }
        Command::Serve(args) => serve::run(&args, &mut printer),
        Command::Discovery(args) => discovery::run(&args, &mut printer),
        Command::Check(args) => check::run(&args, &mut printer),
        Command::Forward(args) => forward::run(&args, &mut printer),
    }?;
    printer.flush()?;
    Ok(status)
}

/// What a command prints instead of JSON, for the commands that cannot honour `--json`
/// (refused rather than silently ignored).
fn without_json(command: &Command) -> Option<&'static str> {
    match command {
        Command::Completions(_) => Some("completions prints a shell script"),
        Command::Wrap(_) => Some("wrap's stdout is the MCP protocol"),
        Command::ExampleServer(_) => Some("example-server's stdout is the MCP protocol"),
        Command::Serve(args) if args.hash_key.is_some() => {
            Some("serve --hash-key prints a TOML line for the --api-keys file")
        }
        _ => None,
    }
}
