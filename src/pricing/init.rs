//! `mcpbill pricing init`: what a new pricing file declares (from flags or a wizard),
//! the prompting seam (`Prompter`, with a dialoguer implementation), and the commented
//! TOML it is written as.

use std::fmt::Write as _;
use std::io;

use super::PricingModel;
use super::file::{PricingFile, RecordMode, tool_id_problem};
use crate::cli::PricingInitArgs;
use crate::money::Microcents;

/// A new pricing file, before it is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitSpec {
    /// The provider id.
    pub provider_id: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Optional provider category.
    pub category: Option<String>,
    /// Declared tools.
    pub tools: Vec<ToolSpec>,
}

/// One tool of a new pricing file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolSpec {
    /// Tool id (the MCP tool name).
    pub id: String,
    /// Pricing model.
    pub model: PricingModel,
    /// Price per call (`per_call`).
    pub price_per_call: Microcents,
    /// Price per input token (`per_token`).
    pub price_per_input_token: Microcents,
    /// Price per output token (`per_token`).
    pub price_per_output_token: Microcents,
    /// Free calls per agent per month.
    pub free_calls: Option<u64>,
    /// Free tokens per agent per month (`per_token`).
    pub free_tokens: Option<u64>,
    /// Recording of arguments.
    pub record_params: Option<RecordMode>,
    /// Recording of results.
    pub record_results: Option<RecordMode>,
}

/// Why `init` could not build the file.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A required value was not given and there is no terminal to ask on.
    #[error("missing {flag}: {hint} (no terminal to prompt on, or --no-input/--json was given)")]
    Missing {
        /// The flag to pass.
        flag: &'static str,
        /// What it is.
        hint: &'static str,
    },
    /// A flag's value is not acceptable.
    #[error("{flag}: {message}")]
    Invalid {
        /// The flag.
        flag: &'static str,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The wizard was interrupted.
    #[error("cancelled; nothing was written")]
    Cancelled,
    /// The terminal failed.
    #[error("cannot prompt on the terminal: {0}")]
    Prompt(io::Error),
}

impl From<io::Error> for InitError {
    fn from(e: io::Error) -> Self {
        if matches!(
            e.kind(),
            io::ErrorKind::Interrupted | io::ErrorKind::UnexpectedEof
        ) {
            InitError::Cancelled
        } else {
            InitError::Prompt(e)
        }
    }
}

/// Asks the user for values. The dialoguer implementation talks to the terminal;
/// tests drive the wizard with a scripted one.
pub trait Prompter {
    /// A line of text, re-asked until `check` accepts it. An empty answer takes `default`.
    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> io::Result<String>;
    /// One of `items`, by index.
    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> io::Result<usize>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool>;
}

/// Prompts on the terminal (stderr) with dialoguer.
pub struct TerminalPrompter {
    theme: Box<dyn dialoguer::theme::Theme>,
}

impl TerminalPrompter {
    /// A prompter, coloured when stderr is.
    pub fn new(color: bool) -> Self {
        let theme: Box<dyn dialoguer::theme::Theme> = if color {
            Box::new(dialoguer::theme::ColorfulTheme::default())
        } else {
            Box::new(dialoguer::theme::SimpleTheme)
        };
        TerminalPrompter { theme }
    }
}

fn dialoguer_io(e: dialoguer::Error) -> io::Error {
    match e {
        dialoguer::Error::IO(e) => e,
    }
}

impl Prompter for TerminalPrompter {
    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> io::Result<String> {
        let mut input = dialoguer::Input::<String>::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .allow_empty(true);
        if let Some(d) = default.filter(|d| !d.is_empty()) {
            input = input.default(d.to_owned());
        }
        input
            .validate_with(|v: &String| check(v.trim()))
            .interact_text()
            .map(|s| s.trim().to_owned())
            .map_err(dialoguer_io)
    }

    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> io::Result<usize> {
        dialoguer::Select::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact()
            .map_err(dialoguer_io)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool> {
        dialoguer::Confirm::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .default(default)
            .interact()
            .map_err(dialoguer_io)
    }
}

fn parse_amount(flag: &'static str, value: &str) -> Result<Microcents, InitError> {
    Microcents::parse(value).map_err(|e| InitError::Invalid {
        flag,
        message: e.to_string(),
    })
}

fn check_provider_id(id: &str) -> Result<(), String> {
    if id.trim().is_empty() {
        Err("the provider id cannot be empty".to_owned())
    } else if !crate::receipt::canonical::receipt_safe(id) {
        Err("the provider id cannot contain '|' or control characters (receipts would be ambiguous)".to_owned())
    } else {
        Ok(())
    }
}

fn check_category(c: &str) -> Result<(), String> {
    if c.chars().any(char::is_control) {
        Err("the category cannot contain control characters".to_owned())
    } else {
        Ok(())
    }
}

fn check_currency(c: &str) -> Result<(), String> {
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "currency {c:?} is not an ISO 4217 code; use 3 uppercase letters such as USD or EUR"
        ))
    }
}

fn check_amount(s: &str) -> Result<(), String> {
    Microcents::parse(s).map(|_| ()).map_err(|e| e.to_string())
}

/// The largest free-tier count a pricing file can hold: TOML integers are signed 64-bit.
pub const MAX_FREE_COUNT: u64 = i64::MAX.unsigned_abs();

/// Whether `n` can be a free-tier count: 1 to [`MAX_FREE_COUNT`].
fn check_free_count(n: u64) -> Result<u64, String> {
    if n == 0 {
        Err(format!(
            "must be at least 1; use 1 to {MAX_FREE_COUNT}, or leave it out for no free allowance"
        ))
    } else if n > MAX_FREE_COUNT {
        Err(format!(
            "too large: a pricing file holds whole numbers up to {MAX_FREE_COUNT} (2^63-1); use 1 to {MAX_FREE_COUNT}"
        ))
    } else {
        Ok(n)
    }
}

/// A free-tier count as typed (`--free-calls`, `--free-tokens`, a wizard answer):
/// a whole number from 1 to [`MAX_FREE_COUNT`]; `_` may group digits.
pub fn parse_free_count(s: &str) -> Result<u64, String> {
    let digits = s.trim().replace('_', "");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("not a whole number; use 1 to {MAX_FREE_COUNT}"));
    }
    // All digits: failing to fit in a u64 means too large.
    check_free_count(digits.parse::<u64>().unwrap_or(u64::MAX))
}

fn check_optional_count(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    parse_free_count(s)
        .map(|_| ())
        .map_err(|e| format!("{s:?}: {e} (leave empty for none)"))
}

fn optional_count(s: &str) -> Option<u64> {
    parse_free_count(s).ok()
}

/// Build the file from flags alone (no terminal). A missing value names its flag.
pub fn from_flags(args: &PricingInitArgs) -> Result<InitSpec, InitError> {
    let provider_id = args.provider_id.clone().ok_or(InitError::Missing {
        flag: "--provider-id",
        hint: "the provider id that receipts will carry, e.g. --provider-id acme",
    })?;
    check_provider_id(&provider_id).map_err(|message| InitError::Invalid {
        flag: "--provider-id",
        message,
    })?;
    let tool = args.tool.clone().ok_or(InitError::Missing {
        flag: "--tool",
        hint: "the MCP tool to price, e.g. --tool search",
    })?;
    let model = args.model.ok_or(InitError::Missing {
        flag: "--model",
        hint: "per_call, per_token or free",
    })?;
    let mut spec = ToolSpec {
        id: tool,
        model,
        price_per_call: Microcents::ZERO,
        price_per_input_token: Microcents::ZERO,
        price_per_output_token: Microcents::ZERO,
        free_calls: args.free_calls,
        free_tokens: args.free_tokens,
        record_params: args.record_params,
        record_results: args.record_results,
    };
    let not_for = |flag: &'static str, what: &str| InitError::Invalid {
        flag,
        message: format!("does not apply to a {} tool ({what})", model.as_str()),
    };
    match model {
        PricingModel::PerCall => {
            let price = args.price.as_deref().ok_or(InitError::Missing {
                flag: "--price",
                hint: "the price of one call, e.g. --price '$0.05'",
            })?;
            spec.price_per_call = parse_amount("--price", price)?;
            if args.input_token_price.is_some() {
                return Err(not_for("--input-token-price", "use --model per_token"));
            }
            if args.output_token_price.is_some() {
                return Err(not_for("--output-token-price", "use --model per_token"));
            }
            if args.free_tokens.is_some() {
                return Err(not_for("--free-tokens", "use --free-calls"));
            }
        }
        PricingModel::PerToken => {
            // Before the missing token prices: `--price` is the slip to name.
            if args.price.is_some() {
                return Err(not_for(
                    "--price",
                    "give --input-token-price and --output-token-price, or use --model per_call",
                ));
            }
            let input = args
                .input_token_price
                .as_deref()
                .ok_or(InitError::Missing {
                    flag: "--input-token-price",
                    hint: "the price of one input token, e.g. --input-token-price '$0.00001'",
                })?;
            let output = args
                .output_token_price
                .as_deref()
                .ok_or(InitError::Missing {
                    flag: "--output-token-price",
                    hint: "the price of one output token, e.g. --output-token-price '$0.00003'",
                })?;
            spec.price_per_input_token = parse_amount("--input-token-price", input)?;
            spec.price_per_output_token = parse_amount("--output-token-price", output)?;
        }
        PricingModel::Free => {
            for (flag, given) in [
                ("--price", args.price.is_some()),
                ("--input-token-price", args.input_token_price.is_some()),
                ("--output-token-price", args.output_token_price.is_some()),
                ("--free-calls", args.free_calls.is_some()),
                ("--free-tokens", args.free_tokens.is_some()),
            ] {
                if given {
                    return Err(not_for(flag, "a free tool has no prices"));
                }
            }
        }
    }
    // The command line checks these already (`parse_free_count`); arguments built in
    // code are checked here, before a count the file cannot hold reaches it.
    for (flag, n) in [
        ("--free-calls", args.free_calls),
        ("--free-tokens", args.free_tokens),
    ] {
        if let Some(n) = n {
            check_free_count(n).map_err(|message| InitError::Invalid { flag, message })?;
        }
    }
    let out = InitSpec {
        provider_id,
        currency: args.currency.clone(),
        category: match args.category.as_deref() {
            Some(c) if c.trim().is_empty() => {
                return Err(InitError::Invalid {
                    flag: "--category",
                    message: "the category is empty; name one (e.g. search) or leave the flag out"
                        .to_owned(),
                });
            }
            other => other.map(str::to_owned),
        },
        tools: vec![spec],
    };
    check(&out)?;
    Ok(out)
}

/// Ask for every value not given as a flag.
pub fn wizard(args: &PricingInitArgs, p: &mut dyn Prompter) -> Result<InitSpec, InitError> {
    let provider_id = match &args.provider_id {
        Some(id) => id.clone(),
        None => p.input(
            "Provider id (appears in every receipt)",
            None,
            &check_provider_id,
        )?,
    };
    let category = match &args.category {
        Some(c) => Some(c.clone()),
        None => Some(p.input(
            "Category, e.g. search (empty for none)",
            Some(""),
            &check_category,
        )?),
    }
    .filter(|c| !c.is_empty());

    let mut tools: Vec<ToolSpec> = Vec::new();
    loop {
        let first = tools.is_empty();
        let flag = |v: Option<&String>| if first { v.cloned() } else { None };
        let taken: Vec<String> = tools.iter().map(|t| t.id.clone()).collect();
        let id = match flag(args.tool.as_ref()) {
            Some(id) => id,
            None => p.input("Tool id (the MCP tool name)", None, &|s: &str| {
                if let Some(problem) = tool_id_problem(s) {
                    Err(problem)
                } else if taken.iter().any(|t| t == s) {
                    Err(format!("tool {s:?} is already declared"))
                } else {
                    Ok(())
                }
            })?,
        };
        let model = if let Some(m) = args.model.filter(|_| first) {
            m
        } else {
            let items = [
                "per_call: a flat price per call",
                "per_token: a price per input and output token",
                "free",
            ];
            match p.select(&format!("Pricing model of {id}"), &items, 0)? {
                0 => PricingModel::PerCall,
                1 => PricingModel::PerToken,
                _ => PricingModel::Free,
            }
        };
        let mut ask_amount =
            |flag_value: Option<&String>, flag_name: &'static str, prompt: &str, default: &str| {
                let value = if let Some(v) = flag(flag_value) {
                    v
                } else {
                    p.input(prompt, Some(default), &check_amount)?
                };
                parse_amount(flag_name, &value)
            };
        let mut spec = ToolSpec {
            id: id.clone(),
            model,
            price_per_call: Microcents::ZERO,
            price_per_input_token: Microcents::ZERO,
            price_per_output_token: Microcents::ZERO,
            free_calls: None,
            free_tokens: None,
            record_params: if first { args.record_params } else { None },
            record_results: if first { args.record_results } else { None },
        };
        match model {
            PricingModel::PerCall => {
                spec.price_per_call = ask_amount(
                    args.price.as_ref(),
                    "--price",
                    "Price per call ($0.05, or 50000microcents)",
                    "$0.01",
                )?;
            }
            PricingModel::PerToken => {
                spec.price_per_input_token = ask_amount(
                    args.input_token_price.as_ref(),
                    "--input-token-price",
                    "Price per input token",
                    "$0.00001",
                )?;
                spec.price_per_output_token = ask_amount(
                    args.output_token_price.as_ref(),
                    "--output-token-price",
                    "Price per output token",
                    "$0.00003",
                )?;
            }
            PricingModel::Free => {}
        }
        if model != PricingModel::Free {
            let given_calls = args.free_calls.filter(|_| first);
            let given_tokens = args.free_tokens.filter(|_| first);
            if given_calls.is_some() || given_tokens.is_some() {
                spec.free_calls = given_calls;
                spec.free_tokens = given_tokens;
            } else if p.confirm(&format!("Offer a monthly free tier for {id}?"), false)? {
                let calls = p.input(
                    "Free calls per agent per month (empty for none)",
                    Some(""),
                    &check_optional_count,
                )?;
                spec.free_calls = optional_count(&calls);
                if model == PricingModel::PerToken {
                    let tokens = p.input(
                        "Free tokens per agent per month (empty for none)",
                        Some(""),
                        &check_optional_count,
                    )?;
                    spec.free_tokens = optional_count(&tokens);
                }
            }
        }
        tools.push(spec);
        if !p.confirm("Add another tool?", false)? {
            break;
        }
    }
    let out = InitSpec {
        provider_id,
        currency: args.currency.clone(),
        category,
        tools,
    };
    check(&out)?;
    Ok(out)
}

/// The rendered file must validate; a problem is reported against the flag that set it.
fn check(spec: &InitSpec) -> Result<(), InitError> {
    check_currency(&spec.currency).map_err(|message| InitError::Invalid {
        flag: "--currency",
        message,
    })?;
    match PricingFile::parse(&render(spec), "new file") {
        Ok(_) => Ok(()),
        Err(problems) => {
            let first = &problems[0];
            let flag = match first.field.split('.').next().unwrap_or("") {
                "provider_id" => "--provider-id",
                "category" => "--category",
                "currency" => "--currency",
                _ if first.field.ends_with("free_tier") || first.field.contains("free_tier.") => {
                    "--free-calls"
                }
                _ if first.field.contains("price") => "--price",
                _ => "--tool",
            };
            Err(InitError::Invalid {
                flag,
                message: first.message.clone(),
            })
        }
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when possible.
fn toml_key(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        s.to_owned()
    } else {
        toml_string(s)
    }
}

fn amount_line(out: &mut String, key: &str, m: Microcents, what: &str) {
    let _ = writeln!(out, "# {what}: {} microcents.", m.0);
    let _ = writeln!(out, "{key} = {}", toml_string(&m.dollars()));
}

/// The commented TOML of a new pricing file.
pub fn render(spec: &InitSpec) -> String {
    let mut out = String::new();
    out.push_str(
        "# mcpbill pricing file: what each tool of one provider costs (MCP Billing Spec v1, section 3).\n\
         # Check it with `mcpbill pricing validate FILE`, list it with `mcpbill pricing show FILE`,\n\
         # and price one call with `mcpbill pricing quote FILE --tool NAME`.\n\
         #\n\
         # Money: a price is a dollar string (\"$0.05\" or \"0.05\") or an integer of microcents.\n\
         # 1 cent = 10,000 microcents, so $1 = 1,000,000 microcents and $0.05 = 50,000.\n\
         # A price finer than one microcent ($0.000001) is rejected, never rounded.\n\n",
    );
    out.push_str("# Your provider id: it is written into every meter event and receipt.\n");
    let _ = writeln!(out, "provider_id = {}\n", toml_string(&spec.provider_id));
    out.push_str("# ISO 4217 code of the currency every price below is in.\n");
    let _ = writeln!(out, "currency = {}\n", toml_string(&spec.currency));
    out.push_str(
        "# Optional: trust scores compare your latency with providers of the same category.\n",
    );
    match &spec.category {
        Some(c) => {
            let _ = writeln!(out, "category = {}\n", toml_string(c));
        }
        None => out.push_str("# category = \"search\"\n\n"),
    }
    out.push_str(
        "# One [tools.NAME] section per MCP tool, NAME being the tool name the server exposes.\n\
         # pricing_model is \"per_call\" (price_per_call), \"per_token\" (price_per_input_token and\n\
         # price_per_output_token) or \"free\". Only successful calls are charged.\n\
         # Optional per tool: tool_name (a display name), record_params and record_results\n\
         # (what `mcpbill wrap` records of the call: \"none\", \"redacted\" or \"full\").\n\
         # Tools that are not listed are free unless a [default] section prices them.\n",
    );
    for t in &spec.tools {
        let key = toml_key(&t.id);
        let _ = writeln!(out, "\n[tools.{key}]");
        let _ = writeln!(out, "pricing_model = {}", toml_string(t.model.as_str()));
        match t.model {
            PricingModel::PerCall => amount_line(
                &mut out,
                "price_per_call",
                t.price_per_call,
                "Charged for each successful call",
            ),
            PricingModel::PerToken => {
                amount_line(
                    &mut out,
                    "price_per_input_token",
                    t.price_per_input_token,
                    "Per input token",
                );
                amount_line(
                    &mut out,
                    "price_per_output_token",
                    t.price_per_output_token,
                    "Per output token",
                );
            }
            PricingModel::Free => {}
        }
        match t.record_params {
            Some(m) => {
                let _ = writeln!(out, "record_params = {}", toml_string(m.as_str()));
            }
            None => out.push_str("# record_params = \"redacted\"\n"),
        }
        match t.record_results {
            Some(m) => {
                let _ = writeln!(out, "record_results = {}", toml_string(m.as_str()));
            }
            None => out.push_str("# record_results = \"none\"\n"),
        }
        if t.free_calls.is_some() || t.free_tokens.is_some() {
            out.push_str(
                "\n# Free allowance per agent per UTC month: the first calls_per_month successful calls\n\
                 # cost nothing, and the first tokens_per_month tokens are not billed.\n",
            );
            let _ = writeln!(out, "[tools.{key}.free_tier]");
            if let Some(n) = t.free_calls {
                let _ = writeln!(out, "calls_per_month = {n}");
            }
            if let Some(n) = t.free_tokens {
                let _ = writeln!(out, "tokens_per_month = {n}");
            }
        }
    }
    out.push_str(
        "\n# Optional price of tools not listed above (without it they are free):\n\
         # [default]\n\
         # pricing_model = \"per_call\"\n\
         # price_per_call = \"$0.01\"\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;

    /// One scripted answer.
    #[derive(Debug, Clone)]
    enum Answer {
        Text(&'static str),
        Pick(usize),
        Yes,
        No,
    }

    /// A prompter that plays back answers and records what it was asked and what it rejected.
    #[derive(Default)]
    struct Scripted {
        answers: VecDeque<Answer>,
        prompts: Vec<String>,
        rejected: Vec<String>,
    }

    impl Scripted {
        fn new(answers: &[Answer]) -> Self {
            Scripted {
                answers: answers.iter().cloned().collect(),
                ..Scripted::default()
            }
        }

        fn next(&mut self, prompt: &str) -> io::Result<Answer> {
            self.prompts.push(prompt.to_owned());
            self.answers.pop_front().ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("no answer for {prompt:?}"),
                )
            })
        }
    }

    impl Prompter for Scripted {
        fn input(
            &mut self,
            prompt: &str,
            default: Option<&str>,
            check: &dyn Fn(&str) -> Result<(), String>,
        ) -> io::Result<String> {
            loop {
                let Answer::Text(text) = self.next(prompt)? else {
                    panic!("expected a text answer for {prompt:?}");
                };
                let value = if text.is_empty() {
                    default.unwrap_or("")
                } else {
                    text
                };
                match check(value) {
                    Ok(()) => return Ok(value.to_owned()),
                    Err(e) => self.rejected.push(e),
                }
            }
        }

        fn select(&mut self, prompt: &str, items: &[&str], _default: usize) -> io::Result<usize> {
            match self.next(prompt)? {
                Answer::Pick(i) if i < items.len() => Ok(i),
                other => panic!("expected a pick for {prompt:?}, got {other:?}"),
            }
        }

        fn confirm(&mut self, prompt: &str, _default: bool) -> io::Result<bool> {
            match self.next(prompt)? {
                Answer::Yes => Ok(true),
                Answer::No => Ok(false),
                other => panic!("expected yes/no for {prompt:?}, got {other:?}"),
            }
        }
    }

    /// `pricing init`'s arguments alone, to parse them as the command line does.
    #[derive(clap::Parser)]
    struct Wrapper {
        #[command(flatten)]
        init: PricingInitArgs,
    }

    fn args(flags: &[&str]) -> PricingInitArgs {
        use clap::Parser;
        let mut argv = vec!["init"];
        argv.extend_from_slice(flags);
        Wrapper::try_parse_from(argv).unwrap().init
    }

    use Answer::{No, Pick, Text, Yes};

    #[test]
    fn wizard_builds_a_file_that_validates() {
        let mut p = Scripted::new(&[
            Text(""),      // empty provider id: rejected
            Text("ac|me"), // ambiguous: rejected
            Text("acme"),
            Text("search"),     // category
            Text("search"),     // tool id
            Pick(0),            // per_call
            Text("$0.0000001"), // too precise: rejected
            Text(""),           // default $0.01
            Yes,                // free tier
            Text("0"),          // rejected
            Text("100"),
            Yes,            // another tool
            Text("search"), // duplicate: rejected
            Text("summarize"),
            Pick(1), // per_token
            Text("$0.00001"),
            Text("30microcents"),
            Yes,
            Text(""), // no free calls
            Text("10000"),
            Yes,
            Text("ping"),
            Pick(2), // free: no price, no tier question
            No,
        ]);
        let spec = wizard(&args(&[]), &mut p).unwrap();
        assert!(p.answers.is_empty(), "unused answers: {:?}", p.answers);
        assert_eq!(p.rejected.len(), 5, "{:?}", p.rejected);
        assert!(p.rejected.iter().any(|r| r.contains("already declared")));
        assert_eq!(spec.provider_id, "acme");
        assert_eq!(spec.category.as_deref(), Some("search"));
        assert_eq!(spec.tools.len(), 3);
        assert_eq!(spec.tools[0].price_per_call, Microcents(10_000));
        assert_eq!(spec.tools[0].free_calls, Some(100));
        assert_eq!(spec.tools[1].price_per_output_token, Microcents(30));
        assert_eq!(
            (spec.tools[1].free_calls, spec.tools[1].free_tokens),
            (None, Some(10_000))
        );
        assert_eq!(spec.tools[2].model, PricingModel::Free);

        let file = PricingFile::parse(&render(&spec), "x").unwrap();
        assert_eq!(file.tool_ids(), ["search", "summarize", "ping"]);
        assert_eq!(file.price_for("search").per_call, Microcents(10_000));
        assert_eq!(file.price_for("summarize").per_input_token, Microcents(10));
        assert_eq!(
            file.price_for("summarize")
                .free_tier
                .unwrap()
                .tokens_per_month,
            Some(10_000)
        );
    }

    #[test]
    fn wizard_skips_what_flags_give() {
        let a = args(&[
            "--provider-id",
            "acme",
            "--category",
            "",
            "--tool",
            "t",
            "--model",
            "per_call",
            "--price",
            "7microcents",
        ]);
        let mut p = Scripted::new(&[No, No]);
        let spec = wizard(&a, &mut p).unwrap();
        assert_eq!(
            p.prompts,
            ["Offer a monthly free tier for t?", "Add another tool?"]
        );
        assert_eq!(spec.category, None);
        assert_eq!(spec.tools[0].price_per_call, Microcents(7));
    }

    #[test]
    fn running_out_of_answers_cancels() {
        let mut p = Scripted::new(&[Text("acme")]);
        assert!(matches!(
            wizard(&args(&[]), &mut p),
            Err(InitError::Cancelled)
        ));
    }

    #[test]
    fn flags_name_what_is_missing() {
        // The flags, split at spaces, and how the error they cause begins.
        let base = "--provider-id a --tool t --model";
        let cases = [
            (String::new(), "missing --provider-id"),
            ("--provider-id a".into(), "missing --tool"),
            ("--provider-id a --tool t".into(), "missing --model"),
            (format!("{base} per_call"), "missing --price"),
            (
                format!("{base} per_token --input-token-price 1"),
                "missing --output-token-price",
            ),
            (
                format!("{base} per_call --price -1"),
                "--price: amount '-1' is negative",
            ),
            (format!("{base} free --price 1"), "--price: does not apply"),
            // A per-call price given to a per-token tool is named, not the token prices.
            (
                format!("{base} per_token --price 0.05"),
                "--price: does not apply to a per_token tool (give --input-token-price and --output-token-price",
            ),
            (
                "--provider-id a|b --tool t --model free".into(),
                "--provider-id:",
            ),
            ("--provider-id a --tool t|u --model free".into(), "--tool:"),
            (format!("{base} free --currency usd"), "--currency:"),
        ];
        for (flags, want) in cases {
            let flags: Vec<&str> = flags.split_whitespace().collect();
            let err = from_flags(&args(&flags)).unwrap_err().to_string();
            assert!(err.starts_with(want), "{flags:?}: {err}");
        }
    }

    /// A free-tier count is 1 to 2^63-1 (a TOML integer) on the command line, in the
    /// wizard and in arguments built in code; beyond that the error names the flag and
    /// the range, not `--tool` and TOML.
    #[test]
    fn free_counts_fit_a_pricing_file() {
        let max = MAX_FREE_COUNT.to_string();
        assert_eq!(max, "9223372036854775807");
        for (s, n) in [
            ("1", 1),
            ("1_000", 1000),
            (" 7 ", 7),
            (max.as_str(), MAX_FREE_COUNT),
        ] {
            assert_eq!(parse_free_count(s), Ok(n), "{s:?}");
        }
        for (s, want) in [
            ("9223372036854775808", "too large"),
            ("18446744073709551615", "too large"),
            ("18446744073709551616", "too large"),
            ("99999999999999999999999", "too large"),
            ("0", "at least 1"),
            ("000", "at least 1"),
            ("-1", "not a whole number"),
            ("+1", "not a whole number"),
            ("1e3", "not a whole number"),
            ("", "not a whole number"),
        ] {
            let e = parse_free_count(s).unwrap_err();
            assert!(e.contains(want) && e.contains(&max), "{s:?}: {e}");
        }
        // The wizard's answers.
        assert!(check_optional_count("").is_ok());
        assert!(check_optional_count(&max).is_ok());
        let e = check_optional_count("9223372036854775808").unwrap_err();
        assert!(e.contains("too large") && e.contains(&max), "{e}");
        assert_eq!(optional_count("9223372036854775808"), None);
        // The command line refuses the flag itself.
        for flag in ["--free-calls", "--free-tokens"] {
            let argv = ["init", flag, "18446744073709551615"];
            let err = clap::Parser::try_parse_from(argv)
                .map(|w: Wrapper| w.init)
                .unwrap_err()
                .to_string();
            assert!(err.contains(flag) && err.contains(&max), "{err}");
        }
        // Arguments built in code.
        for (flag, model, calls, tokens) in [
            ("--free-calls", "per_call", Some(u64::MAX), None),
            ("--free-tokens", "per_token", None, Some(MAX_FREE_COUNT + 1)),
            ("--free-calls", "per_call", Some(0), None),
        ] {
            let mut a = args(&[
                "--provider-id",
                "a",
                "--tool",
                "t",
                "--model",
                model,
                "--price",
                "1",
                "--input-token-price",
                "1",
                "--output-token-price",
                "1",
            ]);
            if model == "per_call" {
                a.input_token_price = None;
                a.output_token_price = None;
            } else {
                a.price = None;
            }
            a.free_calls = calls;
            a.free_tokens = tokens;
            let err = from_flags(&a).unwrap_err().to_string();
            assert!(err.starts_with(&format!("{flag}: ")), "{err}");
            assert!(err.contains(&max), "{err}");
        }
        let mut a = args(&["--provider-id", "a", "--tool", "t", "--model", "per_token"]);
        a.input_token_price = Some("1".into());
        a.output_token_price = Some("1".into());
        a.free_calls = Some(MAX_FREE_COUNT);
        a.free_tokens = Some(MAX_FREE_COUNT);
        let spec = from_flags(&a).unwrap();
        let file = PricingFile::parse(&render(&spec), "x").unwrap();
        let tier = file.price_for("t").free_tier.unwrap();
        assert_eq!(tier.calls_per_month, Some(MAX_FREE_COUNT));
        assert_eq!(tier.tokens_per_month, Some(MAX_FREE_COUNT));
    }

    #[test]
    fn rendered_flags_file_round_trips() {
        let a = args(&[
            "--provider-id",
            "ac\"me",
            "--tool",
            "web.search",
            "--model",
            "per_token",
            "--input-token-price",
            "$0.000001",
            "--output-token-price",
            "0.00003",
            "--free-calls",
            "5",
            "--free-tokens",
            "1000",
            "--record-params",
            "full",
            "--record-results",
            "redacted",
            "--category",
            "search",
        ]);
        let spec = from_flags(&a).unwrap();
        let text = render(&spec);
        assert!(text.contains("1 cent = 10,000 microcents"));
        assert!(text.contains("[tools.\"web.search\"]"), "{text}");
        let file = PricingFile::parse(&text, "x").unwrap();
        assert_eq!(file.provider_id, "ac\"me");
        let entry = file.tool("web.search").unwrap();
        assert_eq!(entry.price.per_input_token, Microcents(1));
        assert_eq!(entry.price.per_output_token, Microcents(30));
        assert_eq!(entry.record_params, Some(RecordMode::Full));
        assert_eq!(entry.record_results, Some(RecordMode::Redacted));
        let tier = entry.price.free_tier.unwrap();
        assert_eq!(
            (tier.calls_per_month, tier.tokens_per_month),
            (Some(5), Some(1000))
        );
        assert_eq!(file.category.as_deref(), Some("search"));
    }
}
