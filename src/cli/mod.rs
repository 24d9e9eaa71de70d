//! The command-line interface: clap definitions only (no behaviour lives here).

mod demo;
mod dispute;
mod http;
mod keygen;
mod pricing;
mod receipt;
mod report;
mod trust;
mod verify;
mod wrap;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

pub use demo::{DemoArgs, ExampleServerArgs};
pub use http::{
    CheckArgs, DiscoveryArgs, DiscoveryCheckArgs, DiscoveryCommand, DiscoveryInitArgs, ForwardArgs,
    ForwardFormat, HttpOptions, KeyRole, ServeArgs,
};
pub use keygen::KeygenArgs;
pub use pricing::{
    PricingArgs, PricingCommand, PricingInitArgs, PricingQuoteArgs, PricingShowArgs,
    PricingValidateArgs,
};
pub use receipt::{
    KeySource, ReceiptArgs, ReceiptCommand, ReceiptInspectArgs, ReceiptSignArgs, ReceiptVerifyArgs,
    VerifyFormat,
};

pub use dispute::{
    DisputeArgs, DisputeCommand, DisputeFileArgs, DisputeListArgs, DisputeLogArgs, DisputeShowArgs,
    DisputeSubmitArgs, DisputeUpdateArgs,
};
pub use report::{ExportArgs, ExportFormat, FeedbackArgs, RangeArgs, ReportArgs, StripeValue};
pub use trust::{TRUST_FORMULA_HELP, TrustArgs};
pub use wrap::WrapArgs;

pub use verify::{DnsArgs, VerifyCodeArgs, VerifyDomainArgs, VerifyEmailArgs, parse_nameserver};

use crate::output::ColorChoice;

/// Exit codes, shown at the end of `--help` and in the man page.
pub const EXIT_CODES_HELP: &str = "\
Exit status:
  0    success
  1    negative verdict: invalid receipt, domain not verified, record not
       found, score below --min-score, a failed check
  2    usage, input, I/O or network error
  wrap exits with the server's exit code, or 128 + signal if it was killed;
  127 when the server command is not found, 126 when it cannot be executed.";

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
    #[arg(long, global = true, overrides_with = "json")]
    pub json: bool,

    /// When to use colour: auto honours NO_COLOR and only colours terminals.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN", overrides_with = "color")]
    pub color: ColorChoice,

    /// Print only errors on stderr.
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        overrides_with = "quiet"
    )]
    pub quiet: bool,

    /// Print more detail on stderr.
    #[arg(short, long, global = true, overrides_with = "verbose")]
    pub verbose: bool,

    /// Never prompt; a missing value is an error naming its flag. From the environment,
    /// any value but 0, false, f, no, n, off (or empty) turns it on.
    #[arg(long, global = true, env = "MCPBILL_NO_INPUT", value_parser = clap::builder::FalseyValueParser::new(), overrides_with = "no_input")]
    pub no_input: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill.
    Demo(DemoArgs),
    /// Run an MCP server behind a transparent stdio shim that meters every tool call.
    Wrap(WrapArgs),
    /// Declare tool prices in a TOML file: init, validate, show, quote.
    #[command(subcommand_required = true, arg_required_else_help = true)]
    Pricing(PricingArgs),
    /// Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string).
    #[command(subcommand_required = true, arg_required_else_help = true)]
    Receipt(ReceiptArgs),
    /// Generate a random HMAC secret and write it to a new file (mode 0600).
    Keygen(KeygenArgs),
    /// Prove control of a domain with a DNS TXT challenge (mint it, then check it).
    VerifyDomain(VerifyDomainArgs),
    /// Check an email address's syntax and that its domain accepts mail (MX, or A/AAAA).
    VerifyEmail(VerifyEmailArgs),
    /// Check that a repository (local checkout or URL) names the provider id.
    VerifyCode(VerifyCodeArgs),
    /// File, list, show and resolve disputes over receipts.
    #[command(subcommand_required = true, arg_required_else_help = true)]
    Dispute(DisputeArgs),
    /// Score providers (0-100) from event logs, disputes and verification records.
    #[command(
        long_about = "Score providers (0-100) from event logs, disputes and verification records.\n\n\
Per provider: the four spec components (verification, uptime, latency, disputes), the total and \
its badge, calls, success rate, exact p95 latency, dispute rate and whether there were too few \
calls to judge. Logs are streamed on all cores; unreadable lines are skipped and counted."
    )]
    Trust(TrustArgs),
    /// Usage analytics per tool, agent, provider, session or day (table, JSON, CSV, HTML).
    Report(ReportArgs),
    /// Record that a call's result was discarded (or kept); never changes charges.
    Feedback(FeedbackArgs),
    /// Export meter events for OpenMeter, Stripe or as CSV, keyed by event id.
    Export(ExportArgs),
    /// Serve receipts verification, pricing, discovery and feedback over HTTP.
    Serve(ServeArgs),
    /// Write or check a spec section 7 agents.json discovery document.
    Discovery(DiscoveryArgs),
    /// Check a provider's billing server against the spec, section by section.
    Check(CheckArgs),
    /// Ship meter events from the log to a remote metering endpoint.
    Forward(ForwardArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// A small stdio MCP server with priced example tools (used by `demo`, tests, benchmarks).
    #[command(hide = true)]
    ExampleServer(ExampleServerArgs),
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
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cmd = without_empty_env(Cli::command());
    let color = clap_color(&cmd, &args);
    cmd.color(color)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .unwrap_or_else(|e| exit_with(&unknown_option(name_bad_env(e, &args), &args)))
}

/// clap's tip for an unknown option, `to pass '-3' as a value, use '-- -3'`, is wrong in
/// two places. After an option that takes a value (`--input-tokens -3`), `-- -3` would
/// make it a positional argument: say how to give the value instead (`--input-tokens=-3`,
/// which the option's own parser then judges). Under `wrap`, `--` starts the server's
/// command: say that wrap has no such option and where the server's options go. Elsewhere
/// the tip stands (`report -- -x` reads a file named `-x`).
fn unknown_option(e: clap::Error, args: &[std::ffi::OsString]) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() == ErrorKind::MissingRequiredArgument {
        return missing_server(e);
    }
    if e.kind() != ErrorKind::UnknownArgument {
        return e;
    }
    let Some(ContextValue::String(bad)) = e.get(ContextKind::InvalidArg) else {
        return e;
    };
    let before: Vec<&str> = args
        .iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .map(|a| a.to_str().unwrap_or(""))
        .collect();
    let Some(at) = before.iter().position(|a| a == bad) else {
        return e;
    };
    // The subcommand the arguments before it reach, and the commands on the way (whose
    // global options apply too).
    let root = Cli::command();
    let mut chain = vec![&root];
    for arg in &before[..at] {
        if let Some(sub) = chain.last().and_then(|c| c.find_subcommand(arg)) {
            chain.push(sub);
        }
    }
    let leaf = chain.last().expect("the root is there");
    let previous = at.checked_sub(1).map(|i| before[i]);
    let takes_value = previous.is_some_and(|previous| takes_a_value(&chain, previous));
    let message = match previous {
        Some(previous) if takes_value => format!(
            "{previous} needs a value, and '{bad}' reads as an option; if '{bad}' is the value, write {previous}={bad}"
        ),
        _ if leaf.get_name() != "wrap" => return e,
        _ => match e.get(ContextKind::SuggestedArg) {
            Some(ContextValue::String(meant)) => format!(
                "wrap has no option '{bad}'; did you mean '{meant}'? (the server's own options go after '--')"
            ),
            _ => format!(
                "wrap has no option '{bad}' (see 'mcpbill wrap --help'); the server's command and its own options go after '--': mcpbill wrap [OPTIONS] -- <COMMAND>..."
            ),
        },
    };
    clap::Error::raw(ErrorKind::UnknownArgument, format!("{message}\n"))
}

/// `wrap` without a server command: clap names `<COMMAND>...`; say what goes there.
fn missing_server(e: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let Some(ContextValue::Strings(missing)) = e.get(ContextKind::InvalidArg) else {
        return e;
    };
    if missing.len() != 1 || missing[0] != "<COMMAND>..." {
        return e;
    }
    clap::Error::raw(
        ErrorKind::MissingRequiredArgument,
        "no server command: put the MCP server's command after wrap's options and '--', e.g. mcpbill wrap --pricing pricing.toml -- npx -y @modelcontextprotocol/server-everything\n",
    )
}

/// The first environment variable of `cmd`'s arguments (subcommands included) whose value
/// is not UTF-8.
fn env_not_utf8(cmd: &clap::Command) -> Option<String> {
    cmd.get_arguments()
        .filter_map(|a| a.get_env())
        .find(|name| std::env::var_os(name).is_some_and(|v| v.to_str().is_none()))
        .map(|name| name.to_string_lossy().into_owned())
        .or_else(|| cmd.get_subcommands().find_map(env_not_utf8))
}

/// clap says "invalid UTF-8 was detected in one or more arguments" also when the text that
/// is not UTF-8 comes from an environment variable it reads (`MCPBILL_AGENT_ID`): when no
/// argument is to blame, name the variable.
fn name_bad_env(e: clap::Error, args: &[std::ffi::OsString]) -> clap::Error {
    if e.kind() != clap::error::ErrorKind::InvalidUtf8 || args.iter().any(|a| a.to_str().is_none())
    {
        return e;
    }
    match env_not_utf8(&Cli::command()) {
        Some(name) => clap::Error::raw(
            clap::error::ErrorKind::InvalidUtf8,
            format!(
                "environment variable {name} is not valid UTF-8; set it to UTF-8 text, or unset it\n"
            ),
        ),
        None => e,
    }
}

/// Whether `flag` (`--name` or `-c`, as written) is an option of one of `cmds` that takes
/// a value, given as the next argument.
fn takes_a_value(cmds: &[&clap::Command], flag: &str) -> bool {
    cmds.iter().flat_map(|c| c.get_arguments()).any(|a| {
        let named = a.get_long().is_some_and(|l| flag == format!("--{l}"))
            || a.get_short().is_some_and(|c| flag == format!("-{c}"));
        named && a.get_action().takes_values()
    })
}

/// The colour clap's own help and usage errors use: the last `--color WHEN` (or
/// `--color=WHEN`) before any `--` and, under `wrap`, before the server command (whose own
/// `--color` is the server's), read before parsing so that it also applies when parsing
/// fails. Without one (or with an unknown value, which clap then reports), clap decides as
/// `auto` does: NO_COLOR and terminals.
fn clap_color(root: &clap::Command, args: &[std::ffi::OsString]) -> clap::ColorChoice {
    let wrap = root.find_subcommand("wrap").expect("wrap is a subcommand");
    let mut in_wrap = false;
    let mut choice = clap::ColorChoice::Auto;
    let mut iter = args.iter().skip(1).map(|a| a.to_str());
    while let Some(arg) = iter.next() {
        match arg {
            Some("wrap") if !in_wrap => {
                in_wrap = true;
                continue;
            }
            // The server command begins at wrap's first argument that is not an option
            // (or an option's value, skipped below).
            Some(a) if in_wrap && !a.starts_with('-') => break,
            _ => {}
        }
        let value = match arg {
            Some("--") => break,
            Some("--color") => iter.next().flatten(),
            Some(a) if in_wrap && !a.contains('=') && takes_a_value(&[root, wrap], a) => {
                iter.next();
                continue;
            }
            Some(a) => a.strip_prefix("--color="),
            None => None,
        };
        choice = match value {
            Some("always") => clap::ColorChoice::Always,
            Some("never") => clap::ColorChoice::Never,
            Some("auto") => clap::ColorChoice::Auto,
            _ => continue,
        };
    }
    choice
}

/// Print clap's error (or help) and exit with its code. Under `wrap`, whose stderr the
/// server shares, every line of an error names mcpbill, as the shim's own lines do.
fn exit_with(e: &clap::Error) -> ! {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let wrap = args
        .iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "wrap");
    if wrap && e.use_stderr() {
        use std::io::Write;
        let text = e.render().to_string();
        let mut err = std::io::stderr().lock();
        for line in text.lines() {
            if line.is_empty() {
                let _ = writeln!(err);
            } else {
                let _ = writeln!(err, "mcpbill: {line}");
            }
        }
        std::process::exit(e.exit_code());
    }
    // `--help` and `--version` go to stdout, which may fail (a full disk): that is an error,
    // not a success. A reader that went away (`| head`) is not.
    match e.print() {
        Err(err) if !e.use_stderr() && err.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("error: cannot write to stdout: {err}\n"),
            );
            std::process::exit(2);
        }
        _ => std::process::exit(e.exit_code()),
    }
}

/// The command tree with the environment variables that are set to the empty string left
/// out: an empty `MCPBILL_KEY_FILE` (as a client config's `"env"` may hold) counts as unset,
/// as it does where mcpbill reads the environment itself, not as an empty `--key-file`.
fn without_empty_env(cmd: clap::Command) -> clap::Command {
    cmd.mut_args(|a| {
        let empty = a
            .get_env()
            .and_then(std::env::var_os)
            .is_some_and(|v| v.is_empty());
        if empty {
            a.env(None::<&'static str>)
        } else {
            a
        }
    })
    .mut_subcommands(without_empty_env)
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

    #[test]
    fn clap_color_follows_the_last_color_flag_before_the_separator() {
        use clap::ColorChoice::{Always, Auto, Never};
        let color = |args: &[&str]| {
            let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
            super::clap_color(&super::command(), &args)
        };
        assert_eq!(color(&["mcpbill", "report"]), Auto);
        assert_eq!(color(&["mcpbill", "--color", "never", "x"]), Never);
        assert_eq!(color(&["mcpbill", "report", "--color=always"]), Always);
        assert_eq!(
            color(&["mcpbill", "--color=never", "--color", "always"]),
            Always
        );
        assert_eq!(color(&["mcpbill", "--color", "bogus"]), Auto);
        assert_eq!(
            color(&["mcpbill", "wrap", "--", "srv", "--color=always"]),
            Auto
        );
        // Without `--`, the server command begins at wrap's first argument that is not an
        // option or an option's value: its own --color is the server's.
        assert_eq!(
            color(&[
                "mcpbill",
                "wrap",
                "--log-dir",
                "logs",
                "srv",
                "--color",
                "always"
            ]),
            Auto
        );
        assert_eq!(
            color(&[
                "mcpbill", "wrap", "--color", "never", "--budget", "$5", "srv"
            ]),
            Never
        );
        assert_eq!(
            color(&["mcpbill", "--color=always", "wrap", "srv", "--color=never"]),
            Always
        );
    }
}
