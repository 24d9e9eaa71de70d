//! Glue of `mcpbill pricing init|validate|show|quote`: read files, call the pure
//! pricing core, print tables or JSON.

use std::io::IsTerminal;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::json;

use super::file::{PricingFile, Problem};
use super::init::{self, TerminalPrompter};
use super::{FreeTier, MonthUsage, PricingModel, ToolPrice, Usage, quote};
use crate::cli::{
    GlobalArgs, PricingArgs, PricingCommand, PricingInitArgs, PricingQuoteArgs, PricingShowArgs,
    PricingValidateArgs,
};
use crate::exit::ExitStatus;
use crate::money::Microcents;
use crate::newfile::NewFile;
use crate::output::{Printer, escape_terminal};

/// Run `mcpbill pricing ...`.
pub fn run(args: &PricingArgs, global: &GlobalArgs, printer: &mut Printer) -> Result<ExitStatus> {
    match &args.command {
        PricingCommand::Init(a) => run_init(a, global, printer),
        PricingCommand::Validate(a) => run_validate(a, printer),
        PricingCommand::Show(a) => run_show(a, printer),
        PricingCommand::Quote(a) => run_quote(a, printer),
    }
}

/// `--json` document of `pricing validate`.
#[derive(Serialize)]
struct ValidateDoc<'a> {
    file: String,
    valid: bool,
    problems: &'a [Problem],
}

fn run_validate(args: &PricingValidateArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let name = super::file::source_name(&args.file);
    let text = super::file::read_text(&args.file)?;
    let result = PricingFile::parse(&text, &name);
    let problems: &[Problem] = match &result {
        Ok(_) => &[],
        Err(p) => p,
    };
    if printer.json() {
        printer.json_doc(&ValidateDoc {
            file: name.clone(),
            valid: result.is_ok(),
            problems,
        })?;
    } else {
        for p in problems {
            let field = if p.field.is_empty() {
                String::new()
            } else {
                format!("{}: ", p.field)
            };
            printer.line(&escape_terminal(&format!(
                "{name}:{}:{}: {field}{}",
                p.line, p.column, p.message
            )))?;
        }
    }
    match result {
        Ok(file) => {
            if !printer.json() {
                let n = file.tools.len();
                printer.line(&escape_terminal(&format!(
                    "{name}: valid (provider {}, {n} tool{}, currency {}{})",
                    file.provider_id,
                    if n == 1 { "" } else { "s" },
                    file.currency,
                    if file.default.is_some() {
                        ", [default] prices unlisted tools"
                    } else {
                        ""
                    }
                )))?;
            }
            Ok(ExitStatus::Success)
        }
        Err(problems) => {
            // A negative verdict on a file that was read (exit 1), as `discovery check` and
            // `receipt verify` give one; a file that cannot be read is exit 2 above.
            let n = problems.len();
            printer.error(&format!(
                "{} is invalid: {n} problem{} (listed on stdout)",
                super::file::shown(&args.file),
                if n == 1 { "" } else { "s" }
            ));
            Ok(ExitStatus::Failure)
        }
    }
}

fn price_cell(m: Microcents) -> String {
    format!("{} ({})", m.dollars(), count(m.0, "microcent"))
}

fn free_tier_cell(tier: Option<FreeTier>) -> String {
    let Some(tier) = tier else {
        return "-".to_owned();
    };
    let mut parts = Vec::new();
    if let Some(n) = tier.calls_per_month {
        parts.push(format!("{}/month", count(n, "call")));
    }
    if let Some(n) = tier.tokens_per_month {
        parts.push(format!("{}/month", count(n, "token")));
    }
    parts.join(", ")
}

/// `1 call`, `2 calls`.
fn count(n: impl Into<u128>, what: &str) -> String {
    let n = n.into();
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn price_row(p: &ToolPrice, label: &str, record: String) -> Vec<String> {
    let (call, input, output) = match p.model {
        PricingModel::PerCall => (price_cell(p.per_call), "-".to_owned(), "-".to_owned()),
        PricingModel::PerToken => (
            "-".to_owned(),
            price_cell(p.per_input_token),
            price_cell(p.per_output_token),
        ),
        PricingModel::Free => ("-".to_owned(), "-".to_owned(), "-".to_owned()),
    };
    vec![
        escape_terminal(label),
        p.model.as_str().to_owned(),
        call,
        input,
        output,
        free_tier_cell(p.free_tier),
        record,
    ]
}

fn run_show(args: &PricingShowArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let file = PricingFile::load(&args.file)?;
    if printer.json() {
        printer.json_doc(&file.declarations())?;
        return Ok(ExitStatus::Success);
    }
    let mut heading = format!("provider {}, currency {}", file.provider_id, file.currency);
    if let Some(c) = &file.category {
        heading.push_str(", category ");
        heading.push_str(c);
    }
    printer.line(&escape_terminal(&heading))?;
    let mut table = printer.new_table(&[
        "tool",
        "model",
        "per call",
        "per input token",
        "per output token",
        "free tier",
        "record params / results",
    ]);
    for t in &file.tools {
        let mode = |m: Option<super::RecordMode>| m.map_or("default", |m| m.as_str());
        let record = format!("{} / {}", mode(t.record_params), mode(t.record_results));
        let label = match &t.price.tool_name {
            Some(name) if name != &t.price.tool_id => format!("{} ({name})", t.price.tool_id),
            _ => t.price.tool_id.clone(),
        };
        table.add_row(price_row(&t.price, &label, record));
    }
    if let Some(d) = &file.default {
        table.add_row(price_row(d, "[default]", "default / default".to_owned()));
    }
    printer.table(&table)?;
    if file.default.is_none() {
        printer.line("Tools not listed are free.")?;
    }
    Ok(ExitStatus::Success)
}

fn run_quote(args: &PricingQuoteArgs, printer: &mut Printer) -> Result<ExitStatus> {
    if let Some(problem) = crate::pricing::file::tool_id_problem(&args.tool) {
        anyhow::bail!("--tool: {problem}");
    }
    let file = PricingFile::load(&args.file)?;
    let listed = file.tool(&args.tool).is_some();
    let ids = file.tool_ids();
    let meant = if listed {
        None
    } else {
        super::file::suggest(&args.tool, &ids)
    };
    if !listed && file.default.is_none() {
        let known = if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.join(", ")
        };
        let hint = meant
            .map(|m| format!("did you mean '{m}'? "))
            .unwrap_or_default();
        bail!(
            "tool '{}' is not in pricing file '{}' and it has no [default] price; {hint}known tools: {known}",
            args.tool,
            args.file.display()
        );
    }
    if let Some(m) = &meant {
        // Priced by [default], which a typo would reach in silence.
        printer.warn(&format!(
            "tool '{}' is not in the pricing file, so [default] prices it; did you mean '{m}'?",
            args.tool
        ));
    }
    let price = file.price_for(&args.tool);
    let usage = Usage {
        input_tokens: args.input_tokens,
        output_tokens: args.output_tokens,
    };
    let month = MonthUsage {
        calls: args.calls_this_month,
        tokens: args.tokens_this_month,
    };
    let q = quote(&price, usage, month)
        .with_context(|| format!("cannot quote tool '{}'", args.tool))?;
    let free_tier_part = if q.free_call {
        Some("call")
    } else if q.free_tokens > 0 {
        Some("tokens")
    } else {
        None
    };
    if printer.json() {
        printer.json_doc(&json!({
            "tool_id": args.tool,
            "priced_by": if listed { "tool" } else { "default" },
            "pricing_model": price.model,
            "currency": file.currency,
            "cost_microcents": q.cost.0,
            "cost_dollars": q.cost.dollars(),
            "free_tier_applied": q.free_tier_applied(),
            "free_tier_part": free_tier_part,
            "free_call": q.free_call,
            "free_tokens": q.free_tokens,
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "billed_input_tokens": q.billed_input_tokens,
            "billed_output_tokens": q.billed_output_tokens,
            "calls_this_month": month.calls,
            "tokens_this_month": month.tokens,
            "free_tier": price.free_tier,
        }))?;
        return Ok(ExitStatus::Success);
    }
    let by = if listed { "" } else { ", priced by [default]" };
    let mut rows: Vec<(&str, String)> = vec![
        (
            "tool",
            format!("{} ({}{by})", args.tool, price.model.as_str()),
        ),
        (
            "cost",
            format!(
                "{} = {} ({})",
                q.cost.dollars(),
                count(q.cost.0, "microcent"),
                file.currency
            ),
        ),
    ];
    match price.model {
        PricingModel::PerCall if !q.free_call => {
            rows.push(("billed", format!("1 call x {}", price.per_call.dollars())));
        }
        PricingModel::PerToken if !q.free_call => rows.push((
            "billed",
            format!(
                "{} x {} + {} x {}",
                count(q.billed_input_tokens, "input token"),
                price.per_input_token.dollars(),
                count(q.billed_output_tokens, "output token"),
                price.per_output_token.dollars()
            ),
        )),
        _ => {}
    }
    // Two counts of up to 2^64 - 1 each: their sum is exact in 128 bits.
    let call_tokens = u128::from(usage.input_tokens) + u128::from(usage.output_tokens);
    let tier = match (price.free_tier, free_tier_part) {
        (_, Some("call")) => format!(
            "applied: call {} of {} this month",
            month.calls + 1,
            count(
                price.free_tier.and_then(|t| t.calls_per_month).unwrap_or(0),
                "free call"
            )
        ),
        (Some(t), Some(_)) => format!(
            "applied: {} of this call's {} free ({} of {} used before it)",
            q.free_tokens,
            count(call_tokens, "token"),
            month.tokens.min(t.tokens_per_month.unwrap_or(0)),
            count(t.tokens_per_month.unwrap_or(0), "free token")
        ),
        (Some(t), None) if price.model != PricingModel::Free => not_applied(t, month, call_tokens),
        _ => "none".to_owned(),
    };
    rows.push(("free tier", tier));
    for (k, v) in rows {
        printer.line(&escape_terminal(&format!("{k:<10} {v}")))?;
    }
    Ok(ExitStatus::Success)
}

/// Why a tool's free tier did not apply to a quoted call.
fn not_applied(tier: FreeTier, month: MonthUsage, tokens: u128) -> String {
    if let Some(n) = tier.calls_per_month
        && month.calls >= n
    {
        return format!(
            "not applied: all {} used this month (--calls-this-month {})",
            count(n, "free call"),
            month.calls
        );
    }
    if let Some(n) = tier.tokens_per_month {
        if month.tokens >= n {
            return format!(
                "not applied: all {} used this month (--tokens-this-month {})",
                count(n, "free token"),
                month.tokens
            );
        }
        if tokens == 0 {
            return format!(
                "not applied: this call has no tokens ({} left this month; pass --input-tokens and --output-tokens)",
                count(n - month.tokens, "free token")
            );
        }
    }
    format!("not applied ({})", free_tier_cell(Some(tier)))
}

fn run_init(
    args: &PricingInitArgs,
    global: &GlobalArgs,
    printer: &mut Printer,
) -> Result<ExitStatus> {
    let path = &args.file;
    let file = NewFile {
        what: "pricing file",
        force: args.force,
        mode: None,
        overwrite_note: "",
    };
    // Before the wizard: nobody answers its questions only to be refused.
    file.check(path, "pass a file path for the pricing file")?;
    let interactive = !global.json
        && !global.no_input
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal();
    let spec = if interactive {
        let mut prompter = TerminalPrompter::new(crate::output::stderr_color());
        init::wizard(args, &mut prompter)?
    } else {
        init::from_flags(args)?
    };
    let text = init::render(&spec);
    file.write(path, text.as_bytes())?;
    let tools: Vec<&str> = spec.tools.iter().map(|t| t.id.as_str()).collect();
    if printer.json() {
        printer.json_doc(&json!({
            "file": path,
            "provider_id": spec.provider_id,
            "tools": tools,
        }))?;
    } else {
        // On stderr, as other commands that write a file say so (`-q` silences it).
        printer.note(&format!(
            "wrote {} (provider {}, tools: {}); check it with 'mcpbill pricing validate {}'",
            path.display(),
            spec.provider_id,
            tools.join(", "),
            path.display()
        ));
    }
    Ok(ExitStatus::Success)
}
