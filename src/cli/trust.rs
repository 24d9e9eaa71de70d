//! Arguments of `mcpbill trust`.

use std::path::PathBuf;

use clap::{Args, ValueHint};

/// The trust formula, shown in `--help` and the man page.
pub const TRUST_FORMULA_HELP: &str = "\
Formula (spec section 6; the README's trust section gives the details). Every component is
0-25 points; the score is their sum. Window: the --window (default 30 days) before --as-of
(default now); a bare date as --as-of means the end of that UTC day. Calls = events in the
window except rate_limited ones (refused before reaching the server).

  verification  highest level in the --verifications records:
                unverified 0, email 10, domain 20, code 25
  uptime        successes / calls: >=99.9% 25, >=99.5% 23, >=99% 20,
                >=98% 17, >=95% 12, >=90% 8, else 3
  latency       p95 duration_ms (nearest rank, exact) / the mean p95 of
                the providers in its category: <=0.5 25, <=0.75 22,
                <=1.0 18, <=1.5 14, <=2.0 8, else 3; with no category
                peers, the absolute p95: <=200ms 25, <=500 22, <=1000 18,
                <=2000 14, <=5000 8, else 3
  disputes      disputes against the provider filed in the window,
                except resolved_denied, / calls: none 25, <1% 20,
                <5% 15, <10% 8, else 2
  insufficient  fewer than --min-calls (20) calls: uptime, latency and
                disputes score 0
  badge         0-24 unrated, 25-49 basic, 50-74 trusted, 75-100 verified

Categories come from --pricing files (provider_id and category), else from the latest event's
metadata.category. Only providers with enough calls enter a category's mean.

Exit status: 0 ok, 1 a selected provider scores below --min-score (or none was scored),
2 unreadable input.

Examples:
  mcpbill trust
  mcpbill trust ~/logs --as-of 2026-11-30 --verifications verified.jsonl \\
    --pricing pricing.toml
  mcpbill trust --provider acme --min-score 75 --json";

/// Arguments of `mcpbill trust`.
#[derive(Debug, Args)]
#[command(after_long_help = TRUST_FORMULA_HELP)]
pub struct TrustArgs {
    /// Event logs: files, directories (their events-*.jsonl), patterns, or - for stdin. Default: the log directory.
    #[arg(value_name = "INPUT", value_hint = ValueHint::AnyPath)]
    pub inputs: Vec<PathBuf>,

    /// Log directory (default: MCPBILL_LOG_DIR, else the platform data directory); also where disputes.jsonl is read.
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub log_dir: Option<PathBuf>,

    /// Disputes log (default: disputes.jsonl in the log directory, if it exists).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub disputes: Option<PathBuf>,

    /// Verification records (JSON Lines written by verify-* --record); repeatable.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub verifications: Vec<PathBuf>,

    /// Pricing files giving providers' categories (for relative latency); repeatable.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub pricing: Vec<PathBuf>,

    /// End of the window: an RFC 3339 time or a date (its end, UTC). Default: now.
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,

    /// Length of the window before --as-of.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "30d",
        allow_hyphen_values = true
    )]
    pub window: String,

    /// Only show these providers (repeatable).
    #[arg(long, value_name = "ID")]
    pub provider: Vec<String>,

    /// Only show providers in this category.
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,

    /// Fewer calls than this in the window is insufficient data.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub min_calls: u64,

    /// Exit 1 if any shown provider scores below N or has no events in the window, or none
    /// is shown (0 to 100, for CI).
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(0..=100),
        allow_negative_numbers = true
    )]
    pub min_score: Option<u32>,
}
