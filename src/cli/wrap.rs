//! Arguments of `mcpbill wrap`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, ValueHint};

use crate::pricing::RecordMode;

const WRAP_HELP: &str = "\
Examples:
  mcpbill wrap --pricing pricing.toml -- npx -y @modelcontextprotocol/server-everything
  mcpbill wrap --provider-id acme --budget '$5' --rate-limit 60/min -- python3 server.py

In an MCP client's configuration, put mcpbill in place of the server's command:
  \"command\": \"mcpbill\",
  \"args\": [\"wrap\", \"--pricing\", \"pricing.toml\", \"--\", \"npx\", \"-y\", \"some-mcp-server\"]

Everything on stdin and stdout is the MCP protocol; diagnostics go to stderr.
mcpbill exits with the server's exit code (128 + signal if it was killed), 127 if the
server command was not found, 126 if it could not be executed, 2 on a usage error.";

/// Arguments of `mcpbill wrap`.
#[derive(Debug, Args)]
#[command(after_long_help = WRAP_HELP)]
pub struct WrapArgs {
    /// Pricing file (TOML) with the provider id and per-tool prices; without it every tool is free.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub pricing: Option<PathBuf>,

    /// Provider id written in events and receipts (overrides the pricing file's).
    #[arg(long, value_name = "ID")]
    pub provider_id: Option<String>,

    /// Agent id of the consumer (default: the name in the client's clientInfo, else "anonymous").
    #[arg(long, value_name = "ID", env = "MCPBILL_AGENT_ID")]
    pub agent_id: Option<String>,

    /// Directory of the event log (default: the platform data directory).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath, env = "MCPBILL_LOG_DIR")]
    pub log_dir: Option<PathBuf>,

    /// File holding the HMAC secret that signs receipts (else MCPBILL_KEY; without a key, no receipts).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, env = "MCPBILL_KEY_FILE")]
    pub key_file: Option<PathBuf>,

    /// Base URL for receipts' verify_url (the receipt id is appended).
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub verify_url_base: Option<String>,

    /// Ship meter events to this metering endpoint in the background (see `mcpbill forward`).
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub forward: Option<String>,

    /// Wire format for --forward.
    #[arg(long, value_enum, default_value_t = crate::cli::ForwardFormat::Spec, requires = "forward")]
    pub forward_format: crate::cli::ForwardFormat,

    /// Allow a plain http:// --forward URL.
    #[arg(long, requires = "forward")]
    pub forward_allow_http: bool,

    /// Monthly budget per agent, e.g. '$5' or 5000000microcents; calls beyond it are refused.
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub budget: Option<String>,

    /// Calls allowed per agent and period, e.g. 60/min, 10/s, 1000/h; calls beyond it are refused.
    #[arg(long, value_name = "N/PERIOD")]
    pub rate_limit: Option<String>,

    /// Answer a call with an error (status timeout) when the server takes longer, e.g. 30s or 5m
    /// (a bare number is seconds).
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_timeout)]
    pub timeout: Option<std::time::Duration>,

    /// Time the server gets to exit after the client closes stdin, before SIGTERM and SIGKILL
    /// (at most 1s between a SIGTERM, SIGHUP or SIGQUIT sent to mcpbill and SIGKILL).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = crate::time::parse_wait)]
    pub grace: std::time::Duration,

    /// Longest JSON-RPC line relayed, in bytes; a longer line is dropped with an error.
    #[arg(long, value_name = "N", default_value_t = 128 * 1024 * 1024)]
    pub max_line_bytes: u64,

    /// How call arguments are recorded in events.
    #[arg(long, value_enum, value_name = "MODE", default_value_t = RecordMode::Redacted)]
    pub record_params: RecordMode,

    /// How call results are recorded in events.
    #[arg(long, value_enum, value_name = "MODE", default_value_t = RecordMode::None)]
    pub record_results: RecordMode,

    /// Another key to redact from recorded arguments and results (repeatable).
    #[arg(long, value_name = "KEY")]
    pub redact: Vec<String>,

    /// Do not add mcpbill/agent_id and mcpbill/request_id to the forwarded request's _meta.
    #[arg(long)]
    pub no_request_meta: bool,

    /// Do not add mcpbill/receipt to the result's _meta.
    #[arg(long)]
    pub no_receipt_meta: bool,

    /// The server command and its arguments, after `--`.
    // No `allow_hyphen_values`: then a misspelt flag before `--` would be taken for the
    // server's command ("cannot start the server '--max-line'") instead of a usage error.
    // After `--` anything goes, and so do the command's own flags after its first word.
    #[arg(required = true, trailing_var_arg = true, value_name = "COMMAND", value_hint = ValueHint::CommandWithArguments)]
    pub command: Vec<OsString>,
}
