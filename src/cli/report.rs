//! Arguments of `mcpbill report`, `mcpbill feedback` and `mcpbill export`.

use std::path::PathBuf;

use clap::{ArgGroup, Args, ValueEnum, ValueHint};

use crate::report::By;

/// Time range flags shared by `report` and `export`.
#[derive(Debug, Clone, Args)]
pub struct RangeArgs {
    /// Only events at or after this time (RFC 3339, or a date: its start, UTC).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Only events before this time (RFC 3339, or a date: the whole day is included).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// Only events in this UTC month (YYYY-MM); combines with --since/--until.
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
}

/// Arguments of `mcpbill report`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Columns: calls, success %, error %, timeouts, refused (rate_limited), p50/p95/p99 \
latency (exact nearest rank, over calls that reached the server), revenue (sum of cost_microcents), \
charged calls, free-tier calls, tokens, and the discard rate: calls whose request id has a \
'discarded' record in feedback.jsonl (see 'mcpbill feedback'), over all calls. With --by agent \
and --budget, budget use is spend / budget.

Examples:
  mcpbill report
  mcpbill report --by agent --month 2026-11 --budget '$50'
  mcpbill report --by day --since 2026-11-01 --csv > daily.csv
  mcpbill report --html report.html"
)]
#[command(group(ArgGroup::new("format").args(["csv", "html"])))]
pub struct ReportArgs {
    /// Event logs: files, directories (their events-*.jsonl), patterns, or - for stdin. Default: the log directory.
    #[arg(value_name = "INPUT", value_hint = ValueHint::AnyPath)]
    pub inputs: Vec<PathBuf>,

    /// What to group by.
    #[arg(long, value_enum, default_value_t = By::Tool)]
    pub by: By,

    /// The time range.
    #[command(flatten)]
    pub range: RangeArgs,

    /// Log directory (default: MCPBILL_LOG_DIR, else the platform data directory); also where feedback.jsonl is read.
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub log_dir: Option<PathBuf>,

    /// Feedback log (default: feedback.jsonl in the log directory, if it exists).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub feedback: Option<PathBuf>,

    /// Monthly budget per agent ('$50', '50' or microcents), to show budget use with --by agent (events of one month).
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub budget: Option<String>,

    /// Print CSV (a header, then one row per group) instead of a table.
    #[arg(long)]
    pub csv: bool,

    /// Write one self-contained HTML page (inline SVG charts) to FILE ('-': stdout).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub html: Option<PathBuf>,
}

/// Arguments of `mcpbill feedback`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Feedback never changes what was charged; 'mcpbill report' shows the discard rate \
beside the success rate.

Examples:
  mcpbill feedback 3f2a9c1e-7b4d-4e2a-9c1e-7b4d4e2a9c1e --discarded
  mcpbill feedback 3f2a9c1e-7b4d-4e2a-9c1e-7b4d4e2a9c1e --kept"
)]
#[command(group(ArgGroup::new("verdict").args(["discarded", "kept"]).required(true)))]
pub struct FeedbackArgs {
    /// The MMCP request id (wrap puts it in the call's _meta and the event's metadata.request_id).
    #[arg(value_name = "REQUEST_ID")]
    pub request_id: String,

    /// The agent or user discarded the call's result.
    #[arg(long)]
    pub discarded: bool,

    /// The result was used (records the opposite of --discarded).
    #[arg(long)]
    pub kept: bool,

    /// Who gives the feedback (default: the agent of the call, when found in the log).
    #[arg(long, value_name = "ID")]
    pub agent_id: Option<String>,

    /// Log directory (default: MCPBILL_LOG_DIR, else the platform data directory).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub log_dir: Option<PathBuf>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// OpenMeter CloudEvents (JSON Lines).
    Openmeter,
    /// Stripe billing meter events (JSON Lines).
    Stripe,
    /// CSV with a header.
    Csv,
}

/// Arguments of `mcpbill export`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "The event id is the idempotency key in every format (CloudEvents 'id', Stripe \
'identifier'), so exporting the same events twice does not count them twice.

Fields by format:
  openmeter  CloudEvents: specversion \"1.0\", id, source, type, subject
             (the agent), time, data: {tool, provider, status,
             duration_ms, cost_microcents, input_tokens, output_tokens,
             session_id}
  stripe     event_name, identifier, timestamp (unix seconds), payload:
             {stripe_customer_id, value}; value is cost_microcents
             (--stripe-value cost) or 1 per charged call, 0 for the
             free, failed and refused ones (--stripe-value calls)
  csv        a header, then the columns event_id, timestamp, agent_id,
             provider_id, tool, status, duration_ms, cost_microcents,
             input_tokens, output_tokens, session_id, request_id

Examples:
  mcpbill export --format openmeter --month 2026-11 > november.jsonl
  mcpbill export --format stripe --customer-map customers.json \\
    --out stripe.jsonl
  mcpbill export --format csv ~/logs/events-2026-11.jsonl"
)]
pub struct ExportArgs {
    /// Event logs: files, directories (their events-*.jsonl), patterns, or - for stdin. Default: the log directory.
    #[arg(value_name = "INPUT", value_hint = ValueHint::AnyPath)]
    pub inputs: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,

    /// The time range.
    #[command(flatten)]
    pub range: RangeArgs,

    /// Log directory (default: MCPBILL_LOG_DIR, else the platform data directory).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub log_dir: Option<PathBuf>,

    /// Write to FILE instead of stdout.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub out: Option<PathBuf>,

    /// CloudEvents 'source' (openmeter).
    #[arg(long, value_name = "URI", default_value = "mcpbill")]
    pub source: String,

    /// CloudEvents 'type' (openmeter).
    #[arg(long, value_name = "TYPE", default_value = "mcp.tool_call")]
    pub event_type: String,

    /// Stripe meter event name (stripe).
    #[arg(long, value_name = "NAME", default_value = "mcp_tool_call")]
    pub event_name: String,

    /// What the Stripe meter counts: the cost in microcents or one per call (stripe).
    #[arg(long, value_enum, default_value_t = StripeValue::Cost)]
    pub stripe_value: StripeValue,

    /// JSON object mapping agent ids to Stripe customer ids (stripe; without a map the agent id
    /// is sent, and with one an agent missing from it stops the export).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub customer_map: Option<PathBuf>,
}

/// What a Stripe meter event's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StripeValue {
    /// cost_microcents of the call.
    Cost,
    /// 1 per charged call (a cost above zero), 0 otherwise.
    Calls,
}
