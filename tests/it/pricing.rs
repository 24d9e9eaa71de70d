//! `mcpbill pricing init|validate|show|quote`.

use serde::Deserialize;

use crate::context::{TestContext, repo_root};

const FILE: &str = r#"provider_id = "acme"
category = "search"

[tools.search]
pricing_model = "per_call"
price_per_call = "$0.05"

[tools.lookup]
pricing_model = "per_call"
price_per_call = 1234

[tools.lookup.free_tier]
calls_per_month = 3

[tools.summarize]
pricing_model = "per_token"
price_per_input_token = "$0.00001"
price_per_output_token = 30

[tools.translate]
pricing_model = "per_token"
price_per_input_token = "0.000002"
price_per_output_token = "$0.000005"
free_tier = { calls_per_month = 2, tokens_per_month = 1000 }

[tools.ping]
pricing_model = "free"
"#;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteDoc {
    tool_id: String,
    priced_by: String,
    pricing_model: String,
    currency: String,
    cost_microcents: u64,
    cost_dollars: String,
    free_tier_applied: bool,
    free_tier_part: Option<String>,
    free_call: bool,
    free_tokens: u64,
    input_tokens: u64,
    output_tokens: u64,
    billed_input_tokens: u64,
    billed_output_tokens: u64,
    calls_this_month: u64,
    tokens_this_month: u64,
    free_tier: Option<FreeTierDoc>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct FreeTierDoc {
    calls_per_month: Option<u64>,
    tokens_per_month: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Declaration {
    tool_id: String,
    tool_name: String,
    provider_id: String,
    pricing_model: String,
    price_per_call_microcents: Option<u64>,
    price_per_input_token_microcents: Option<u64>,
    price_per_output_token_microcents: Option<u64>,
    free_tier: Option<FreeTierDoc>,
    currency: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateDoc {
    file: String,
    valid: bool,
    problems: Vec<ProblemDoc>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct ProblemDoc {
    line: usize,
    column: usize,
    field: String,
    message: String,
}

fn quote(ctx: &TestContext, args: &[&str]) -> QuoteDoc {
    let mut argv = vec!["--json", "pricing", "quote", "p.toml"];
    argv.extend_from_slice(args);
    let run = ctx.run(&argv);
    run.code(0);
    serde_json::from_value(run.json()).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn ctx_with_file() -> TestContext {
    let ctx = TestContext::new();
    ctx.write("p.toml", FILE);
    ctx
}

#[test]
fn quote_per_call_without_free_tier() {
    let ctx = ctx_with_file();
    let q = quote(
        &ctx,
        &[
            "--tool",
            "search",
            "--calls-this-month",
            "5000",
            "--input-tokens",
            "99",
        ],
    );
    assert_eq!(q.tool_id, "search");
    assert_eq!(
        (q.pricing_model.as_str(), q.priced_by.as_str()),
        ("per_call", "tool")
    );
    assert_eq!(
        (q.cost_microcents, q.cost_dollars.as_str()),
        (50_000, "$0.05")
    );
    assert!(!q.free_tier_applied);
    assert_eq!(q.free_tier_part, None);
    assert_eq!(q.free_tier, None);
    assert_eq!(q.currency, "USD");
    assert_eq!((q.input_tokens, q.calls_this_month), (99, 5000));
}

#[test]
fn quote_per_call_with_free_tier() {
    let ctx = ctx_with_file();
    // Calls 1..=3 of the month are free, the 4th is charged.
    for used in 0..3 {
        let q = quote(
            &ctx,
            &["--tool", "lookup", "--calls-this-month", &used.to_string()],
        );
        assert_eq!(q.cost_microcents, 0, "call {}", used + 1);
        assert!(q.free_call && q.free_tier_applied);
        assert_eq!(q.free_tier_part.as_deref(), Some("call"));
    }
    let q = quote(&ctx, &["--tool", "lookup", "--calls-this-month", "3"]);
    assert_eq!(
        (q.cost_microcents, q.cost_dollars.as_str()),
        (1234, "$0.001234")
    );
    assert!(!q.free_tier_applied);
    assert_eq!(
        q.free_tier,
        Some(FreeTierDoc {
            calls_per_month: Some(3),
            tokens_per_month: None
        })
    );
    let human = ctx.run([
        "pricing",
        "quote",
        "p.toml",
        "--tool",
        "lookup",
        "--calls-this-month",
        "1",
    ]);
    human
        .code(0)
        .stdout_has("$0.00 = 0 microcents")
        .stdout_has("applied: call 2 of 3 free calls");
    let human = ctx.run([
        "pricing",
        "quote",
        "p.toml",
        "--tool",
        "lookup",
        "--calls-this-month",
        "3",
    ]);
    human
        .code(0)
        .stdout_has("not applied: all 3 free calls used this month (--calls-this-month 3)");
}

/// Why a token free tier did not apply is said as it is: a call without tokens has used
/// nothing up; counts are written in the singular when there is one.
#[test]
fn quote_says_why_a_token_free_tier_did_not_apply() {
    let ctx = TestContext::new();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pricing.toml");
    let example = example.to_str().unwrap();
    let quote = |extra: &[&str]| {
        let mut args = vec!["pricing", "quote", example, "--tool", "summarize"];
        args.extend_from_slice(extra);
        ctx.run(&args)
    };
    quote(&[]).code(0).stdout_has(
        "not applied: this call has no tokens (10000 free tokens left this month; pass --input-tokens and --output-tokens)",
    );
    quote(&["--tokens-this-month", "10000", "--input-tokens", "1"])
        .code(0)
        .stdout_has("not applied: all 10000 free tokens used this month")
        .stdout_has("1 input token x ");
}

#[test]
fn quote_per_token_without_free_tier() {
    let ctx = ctx_with_file();
    let q = quote(
        &ctx,
        &[
            "--tool",
            "summarize",
            "--input-tokens",
            "1200",
            "--output-tokens",
            "300",
        ],
    );
    assert_eq!(q.cost_microcents, 1200 * 10 + 300 * 30);
    assert_eq!(q.cost_dollars, "$0.021");
    assert_eq!((q.billed_input_tokens, q.billed_output_tokens), (1200, 300));
    assert!(!q.free_tier_applied);
    // No tokens reported: nothing to bill.
    let q = quote(&ctx, &["--tool", "summarize"]);
    assert_eq!(q.cost_microcents, 0);
    ctx.run([
        "pricing",
        "quote",
        "p.toml",
        "--tool",
        "summarize",
        "--input-tokens",
        "1200",
        "--output-tokens",
        "300",
    ])
    .code(0)
    .stdout_has("$0.021 = 21000 microcents (USD)")
    .stdout_has("1200 input tokens x $0.00001 + 300 output tokens x $0.00003");
}

#[test]
fn quote_per_token_with_free_tier() {
    let ctx = ctx_with_file();
    let args = |calls: &str, tokens: &str| {
        vec![
            "--tool".to_owned(),
            "translate".to_owned(),
            "--input-tokens".to_owned(),
            "400".to_owned(),
            "--output-tokens".to_owned(),
            "800".to_owned(),
            "--calls-this-month".to_owned(),
            calls.to_owned(),
            "--tokens-this-month".to_owned(),
            tokens.to_owned(),
        ]
    };
    let q = |calls: &str, tokens: &str| {
        let a = args(calls, tokens);
        quote(&ctx, &a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // Within the free calls: nothing, whatever the tokens.
    let r = q("1", "0");
    assert_eq!((r.cost_microcents, r.free_call), (0, true));
    // Free calls used; 1000 free tokens untouched: 400 input + 600 output free, 200 output billed.
    let r = q("2", "0");
    assert!(!r.free_call);
    assert_eq!(r.free_tokens, 1000);
    assert_eq!((r.billed_input_tokens, r.billed_output_tokens), (0, 200));
    assert_eq!(r.cost_microcents, 200 * 5);
    assert_eq!(r.free_tier_part.as_deref(), Some("tokens"));
    // 900 of the free tokens used: 100 input tokens free.
    let r = q("2", "900");
    assert_eq!((r.billed_input_tokens, r.billed_output_tokens), (300, 800));
    assert_eq!(r.cost_microcents, 300 * 2 + 800 * 5);
    assert_eq!((r.output_tokens, r.tokens_this_month), (800, 900));
    // All used.
    let r = q("7", "1000");
    assert_eq!(r.cost_microcents, 400 * 2 + 800 * 5);
    assert!(!r.free_tier_applied);
    assert_eq!(r.cost_dollars, "$0.0048");
}

#[test]
fn quote_free_and_default() {
    let ctx = ctx_with_file();
    let q = quote(&ctx, &["--tool", "ping", "--input-tokens", "5"]);
    assert_eq!((q.cost_microcents, q.pricing_model.as_str()), (0, "free"));
    // Unknown tool without [default]: exit 2 naming the known tools.
    ctx.run(["pricing", "quote", "p.toml", "--tool", "nope"])
        .code(2)
        .one_line_error()
        .stderr_has("tool 'nope' is not in pricing file 'p.toml'")
        .stderr_has("known tools: search, lookup, summarize, translate, ping");
    // With [default], unlisted tools take its price.
    ctx.write(
        "d.toml",
        format!("{FILE}\n[default]\npricing_model = \"per_call\"\nprice_per_call = \"$0.01\"\n"),
    );
    let run = ctx.run(["--json", "pricing", "quote", "d.toml", "--tool", "nope"]);
    let q: QuoteDoc = serde_json::from_value(run.code(0).json()).unwrap();
    assert_eq!(
        (q.priced_by.as_str(), q.cost_microcents),
        ("default", 10_000)
    );
    // A name close to a listed tool is pointed out: refused without [default], priced by
    // it with a warning (a typo would otherwise quote another price in silence).
    ctx.run(["pricing", "quote", "p.toml", "--tool", "serach"])
        .code(2)
        .one_line_error()
        .stderr_has("did you mean 'search'? known tools:");
    ctx.run(["--json", "pricing", "quote", "d.toml", "--tool", "serach"])
        .code(0)
        .stderr_has("warning: tool 'serach' is not in the pricing file, so [default] prices it; did you mean 'search'?");
    let run = ctx.run(["--json", "pricing", "quote", "d.toml", "--tool", "nope"]);
    assert!(run.code(0).stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn quote_overflow_is_an_error() {
    let ctx = TestContext::new();
    ctx.write(
        "p.toml",
        "provider_id = \"a\"\n[tools.t]\npricing_model = \"per_token\"\nprice_per_input_token = \"$1000\"\nprice_per_output_token = 0\n",
    );
    ctx.run([
        "pricing",
        "quote",
        "p.toml",
        "--tool",
        "t",
        "--input-tokens",
        "18446744073709551615",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("overflows");
    // Counts whose sum passes 2^64 are told as they are, not wrapped around.
    ctx.write(
        "tier.toml",
        "provider_id = \"a\"\n[tools.t]\npricing_model = \"per_token\"\nprice_per_input_token = 0\nprice_per_output_token = 0\n[tools.t.free_tier]\ntokens_per_month = 100\n",
    );
    ctx.run([
        "pricing",
        "quote",
        "tier.toml",
        "--tool",
        "t",
        "--input-tokens",
        "18446744073709551615",
        "--output-tokens",
        "1",
    ])
    .code(0)
    .stdout_has("applied: 100 of this call's 18446744073709551616 tokens free");
}

#[test]
fn show_json_is_spec_declarations() {
    let ctx = ctx_with_file();
    let run = ctx.run(["--json", "pricing", "show", "p.toml"]);
    let decl: Vec<Declaration> = serde_json::from_value(run.code(0).json()).unwrap();
    assert_eq!(decl.len(), 5);
    let by_id = |id: &str| decl.iter().find(|d| d.tool_id == id).unwrap();
    let s = by_id("search");
    assert_eq!(
        (s.pricing_model.as_str(), s.price_per_call_microcents),
        ("per_call", Some(50_000))
    );
    assert_eq!(
        (
            s.provider_id.as_str(),
            s.currency.as_str(),
            s.tool_name.as_str()
        ),
        ("acme", "USD", "search")
    );
    assert_eq!(s.price_per_input_token_microcents, None);
    let t = by_id("translate");
    assert_eq!(
        (
            t.price_per_input_token_microcents,
            t.price_per_output_token_microcents
        ),
        (Some(2), Some(5))
    );
    assert_eq!(
        t.free_tier,
        Some(FreeTierDoc {
            calls_per_month: Some(2),
            tokens_per_month: Some(1000)
        })
    );
    let p = by_id("ping");
    assert_eq!(
        (p.pricing_model.as_str(), p.price_per_call_microcents),
        ("free", None)
    );
}

#[test]
fn show_table_has_dollars_and_microcents() {
    let ctx = ctx_with_file();
    let run = ctx.run(["pricing", "show", "p.toml"]);
    run.code(0)
        .stdout_has("provider acme, currency USD, category search")
        .stdout_has("$0.05 (50000 microcents)")
        .stdout_has("$0.001234 (1234 microcents)")
        .stdout_has("$0.00003 (30 microcents)")
        .stdout_has("2 calls/month, 1000 tokens/month")
        .stdout_has("Tools not listed are free.");
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.contains("per_token"))
            .count(),
        2
    );
}

#[test]
fn example_file_validates_and_shows() {
    let ctx = TestContext::new();
    let example = repo_root().join("examples/pricing.toml");
    ctx.run([
        std::ffi::OsStr::new("pricing"),
        "validate".as_ref(),
        example.as_os_str(),
    ])
    .code(0)
    .stdout_has("valid (provider acme, 3 tools");
    let run = ctx.run([
        std::ffi::OsStr::new("--json"),
        "pricing".as_ref(),
        "show".as_ref(),
        example.as_os_str(),
    ]);
    let decl: Vec<Declaration> = serde_json::from_value(run.code(0).json()).unwrap();
    assert_eq!(
        decl.iter().map(|d| d.tool_id.as_str()).collect::<Vec<_>>(),
        ["search", "summarize", "ping"]
    );
    assert_eq!(decl[0].tool_name, "Web search");
}

const BAD: &str = r#"provider_id = ""
currency = "usd"
colour = "red"

[tools.search]
pricing_model = "per-call"
price_per_cal = "$0.05"

[tools.sum]
pricing_model = "per_token"
price_per_input_token = -3
price_per_output_token = "$0.0000001"
record_results = "everything"

[tools.ping]
pricing_model = "free"
price_per_call = 5.0

[tools.ping.free_tier]
calls_per_month = 0
"#;

#[test]
fn validate_reports_every_problem_with_its_position() {
    let ctx = TestContext::new();
    ctx.write("bad.toml", BAD);
    // A negative verdict (exit 1); a file that cannot be read is exit 2.
    let run = ctx.run(["pricing", "validate", "bad.toml"]);
    run.code(1)
        .one_line_error()
        .stderr_has("pricing file 'bad.toml' is invalid: 12 problems");
    let expected = [
        "bad.toml:1:15: provider_id: provider_id is empty",
        "bad.toml:2:12: currency: currency \"usd\" is not an ISO 4217 code",
        "bad.toml:3:1: colour: unknown key \"colour\"; allowed: provider_id, currency, category, tools, default",
        "bad.toml:6:17: tools.search.pricing_model: unknown pricing_model \"per-call\"; did you mean 'per_call'? allowed: per_call, per_token, free",
        "bad.toml:7:1: tools.search.price_per_cal: unknown key \"price_per_cal\"; did you mean 'price_per_call'?",
        "bad.toml:11:25: tools.sum.price_per_input_token: price -3 is negative",
        "bad.toml:12:26: tools.sum.price_per_output_token: amount '$0.0000001' is finer than one microcent",
        "bad.toml:13:18: tools.sum.record_results: unknown record mode \"everything\"; allowed: none, redacted, full",
        "bad.toml:17:1: tools.ping.price_per_call: a free tool has no prices",
        "bad.toml:17:18: tools.ping.price_per_call: price 5.0 is a float",
        "bad.toml:19:13: tools.ping.free_tier: a free tool needs no free_tier",
        "bad.toml:20:19: tools.ping.free_tier.calls_per_month: calls_per_month is 0; it must be at least 1",
    ];
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{}", run.stdout);
    for want in expected {
        assert!(
            lines.iter().any(|l| l.starts_with(want)),
            "missing {want:?} in:\n{}",
            run.stdout
        );
    }

    let run = ctx.run(["--json", "pricing", "validate", "bad.toml"]);
    run.code(1).one_line_error();
    let doc: ValidateDoc = serde_json::from_value(run.json()).unwrap();
    assert!(!doc.valid);
    assert_eq!(doc.file, "bad.toml");
    assert_eq!(doc.problems.len(), 12);
    assert!(
        doc.problems
            .windows(2)
            .all(|w| (w[0].line, w[0].column) <= (w[1].line, w[1].column))
    );
    assert_eq!(
        doc.problems[0],
        ProblemDoc {
            line: 1,
            column: 15,
            field: "provider_id".to_owned(),
            message: "provider_id is empty; set it to your provider id, e.g. \"acme\"".to_owned()
        }
    );

    // Every command that loads the file names the count, the first problem and the fix.
    for args in [
        ["pricing", "show", "bad.toml"].as_slice(),
        &["pricing", "quote", "bad.toml", "--tool", "x"],
    ] {
        ctx.run(args).code(2).one_line_error().stderr_has(
            "pricing file 'bad.toml' is invalid: 12 problems; run 'mcpbill pricing validate bad.toml' (first: line 1, column 15: provider_id: ",
        );
    }
}

#[test]
fn validate_valid_file_json() {
    let ctx = ctx_with_file();
    let run = ctx.run(["--json", "pricing", "validate", "p.toml"]);
    let doc: ValidateDoc = serde_json::from_value(run.code(0).json()).unwrap();
    assert!(doc.valid && doc.problems.is_empty());
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn bad_inputs_are_one_line_errors() {
    let ctx = TestContext::new();
    ctx.write(
        "notoml.toml",
        "provider_id = \"a\"\n[tools.x\npricing_model = 1\n",
    );
    ctx.write("empty.toml", "");
    ctx.write("types.toml", "provider_id = 7\ntools = \"search\"\n");
    ctx.write("types2.toml", "provider_id = \"a\"\n[tools.t]\npricing_model = \"per_call\"\nprice_per_call = true\n[tools.t.free_tier]\ncalls_per_month = \"ten\"\n");
    ctx.write(
        "enum.toml",
        "provider_id = \"a\"\n[tools.t]\npricing_model = \"subscription\"\n",
    );
    ctx.write("notutf8.toml", b"provider_id = \"\xff\"\n");
    // UTF-16 (as a Windows editor saves it), with and without a byte order mark.
    ctx.write("utf16.toml", b"\xff\xfep\0=\0\"\0a\0\"\0\n\0");
    ctx.write("utf16le.toml", b"p\0=\0\"\0a\0\"\0\n\0");
    ctx.write("json.toml", "{\"provider_id\": \"a\"}\n");
    std::fs::create_dir(ctx.join("dir.toml")).unwrap();
    let cases: &[(&str, &str)] = &[
        (
            "missing.toml",
            "cannot read pricing file 'missing.toml'; check the path: ",
        ),
        (
            "dir.toml",
            "cannot read pricing file 'dir.toml'; check the path: ",
        ),
        (
            "notutf8.toml",
            "pricing file 'notutf8.toml' is not UTF-8 text",
        ),
        (
            "utf16.toml",
            "'utf16.toml' is UTF-16 text; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8 'utf16.toml' > 'utf16.toml.utf8')",
        ),
        (
            "utf16le.toml",
            "'utf16le.toml' is UTF-16 text; convert it to UTF-8 (iconv -f UTF-16LE -t UTF-8",
        ),
        ("notoml.toml", "(first: line 2, column 9: not valid TOML: "),
        ("json.toml", "(first: line 1, column 1: not valid TOML: "),
        (
            "empty.toml",
            "(first: line 1, column 1: provider_id: missing required key provider_id",
        ),
        (
            "types.toml",
            "(first: line 1, column 15: provider_id: expected a string, found integer (7))",
        ),
        (
            "types2.toml",
            "(first: line 4, column 18: tools.t.price_per_call: expected a price; write dollars as a string",
        ),
        (
            "enum.toml",
            "(first: line 3, column 17: tools.t.pricing_model: unknown pricing_model \"subscription\"; allowed: per_call, per_token, free)",
        ),
    ];
    for (file, message) in cases {
        for cmd in [
            vec!["pricing", "show", file],
            vec!["pricing", "quote", file, "--tool", "t"],
        ] {
            let run = ctx.run(&cmd);
            run.code(2).one_line_error().stderr_has(message);
            assert!(run.stdout.is_empty(), "{cmd:?} printed {}", run.stdout);
        }
        // Unreadable (missing, a directory, not UTF-8) is exit 2; read and invalid, 1.
        let unreadable = message.starts_with("cannot read")
            || message.contains("not UTF-8")
            || message.contains("UTF-16");
        let run = ctx.run(["pricing", "validate", file]);
        run.code(if unreadable { 2 } else { 1 }).one_line_error();
    }
    let run = ctx.run(["pricing", "validate", "types2.toml"]);
    run.stdout_has("types2.toml:6:19: tools.t.free_tier.calls_per_month: expected a whole number of at least 1, found string (\"ten\")");
    let run = ctx.run(["pricing", "validate", "types.toml"]);
    run.stdout_has("types.toml:2:9: tools: expected a table of tools");
    // Usage errors are clap's exit 2.
    ctx.run(["pricing", "quote", "empty.toml"])
        .code(2)
        .stderr_has("--tool");
    ctx.run([
        "pricing",
        "quote",
        "p.toml",
        "--tool",
        "t",
        "--input-tokens",
        "-1",
    ])
    .code(2);
    ctx.run(["pricing"]).code(2);
}

#[test]
fn init_from_flags_writes_a_file_that_validates() {
    let ctx = TestContext::new();
    let run = ctx.run([
        "pricing",
        "init",
        "a.toml",
        "--provider-id",
        "acme",
        "--category",
        "search",
        "--tool",
        "search",
        "--model",
        "per_call",
        "--price",
        "$0.05",
        "--free-calls",
        "100",
        "--record-params",
        "redacted",
    ]);
    run.code(0)
        .stderr_has("wrote a.toml")
        .stderr_has("mcpbill pricing validate a.toml");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let text = std::fs::read_to_string(ctx.join("a.toml")).unwrap();
    assert!(text.contains("1 cent = 10,000 microcents"), "{text}");
    assert!(
        text.contains("# Charged for each successful call: 50000 microcents."),
        "{text}"
    );
    ctx.run(["pricing", "validate", "a.toml"]).code(0);
    let q = {
        let run = ctx.run([
            "--json",
            "pricing",
            "quote",
            "a.toml",
            "--tool",
            "search",
            "--calls-this-month",
            "100",
        ]);
        serde_json::from_value::<QuoteDoc>(run.code(0).json()).unwrap()
    };
    assert_eq!(q.cost_microcents, 50_000);

    let run = ctx.run([
        "--json",
        "pricing",
        "init",
        "b.toml",
        "--provider-id",
        "acme",
        "--tool",
        "summarize",
        "--model",
        "per_token",
        "--input-token-price",
        "10microcents",
        "--output-token-price",
        "$0.00003",
        "--free-tokens",
        "5000",
    ]);
    let doc = run.code(0).json();
    assert_eq!(doc["tools"], serde_json::json!(["summarize"]));
    let run = ctx.run(["--json", "pricing", "show", "b.toml"]);
    let decl: Vec<Declaration> = serde_json::from_value(run.code(0).json()).unwrap();
    assert_eq!(
        (
            decl[0].price_per_input_token_microcents,
            decl[0].price_per_output_token_microcents
        ),
        (Some(10), Some(30))
    );

    ctx.run([
        "pricing",
        "init",
        "c.toml",
        "--provider-id",
        "acme",
        "--tool",
        "ping",
        "--model",
        "free",
    ])
    .code(0);
    ctx.run(["pricing", "validate", "c.toml"]).code(0);
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let ctx = TestContext::new();
    ctx.write("pricing.toml", "old");
    let flags = ["--provider-id", "acme", "--tool", "t", "--model", "free"];
    let mut argv = vec!["pricing", "init"];
    argv.extend(flags);
    ctx.run(&argv)
        .code(2)
        .one_line_error()
        .stderr_has("'pricing.toml' already exists; pass --force");
    assert_eq!(
        std::fs::read_to_string(ctx.join("pricing.toml")).unwrap(),
        "old"
    );
    argv.push("--force");
    ctx.run(&argv).code(0);
    ctx.run(["pricing", "validate", "pricing.toml"]).code(0);
}

#[test]
fn init_without_a_terminal_names_the_missing_flag() {
    let ctx = TestContext::new();
    // The flags after `pricing init x.toml`, split at spaces, and what the error says.
    let base = "--provider-id a --tool t --model";
    let mut cases: Vec<(Vec<String>, &str)> = [
        (String::new(), "missing --provider-id"),
        ("--provider-id a".into(), "missing --tool"),
        ("--provider-id a --tool t".into(), "missing --model"),
        (format!("{base} per_call"), "missing --price"),
        (format!("{base} per_token"), "missing --input-token-price"),
        (
            format!("{base} per_call --price -1"),
            "--price: amount '-1' is negative",
        ),
        (
            format!("{base} per_call --price 0.0000001"),
            "--price: amount '0.0000001' is finer than one microcent",
        ),
        ("--provider-id a --tool t|x --model free".into(), "--tool: "),
        (format!("{base} free --currency dollars"), "--currency: "),
    ]
    .into_iter()
    .map(|(flags, message)| {
        (
            flags.split_whitespace().map(String::from).collect(),
            message,
        )
    })
    .collect();
    // An empty value does not survive the split above.
    let empty_id = ["--provider-id", "", "--tool", "t", "--model", "free"];
    cases.push((empty_id.map(String::from).into(), "--provider-id: "));
    for (flags, message) in &cases {
        let mut argv = vec!["pricing", "init", "x.toml"];
        argv.extend(flags.iter().map(String::as_str));
        ctx.run(&argv).code(2).one_line_error().stderr_has(message);
        assert!(!ctx.join("x.toml").exists(), "{flags:?} wrote a file");
    }
    // An unknown model is clap's usage error, which lists the models.
    let hourly = format!("pricing init x.toml {base} hourly");
    ctx.run(hourly.split_whitespace())
        .code(2)
        .stderr_has("per_call");
}

/// A free-tier count beyond 2^63-1 cannot be written into TOML: the usage error names
/// the flag and the range, not `--tool` and TOML the user never wrote.
#[test]
fn init_free_counts_beyond_toml_integers_name_the_flag() {
    let ctx = TestContext::new();
    let max = "9223372036854775807";
    for (model, flag, value) in [
        ("per_call", "--free-calls", "18446744073709551615"),
        ("per_call", "--free-calls", "9223372036854775808"),
        ("per_token", "--free-tokens", "18446744073709551615"),
        ("per_token", "--free-calls", "99999999999999999999"),
        ("per_call", "--free-calls", "0"),
    ] {
        let prices: &[&str] = if model == "per_call" {
            &["--price", "1"]
        } else {
            &["--input-token-price", "1", "--output-token-price", "1"]
        };
        let mut argv = vec!["pricing", "init", "x.toml", "--provider-id", "a"];
        argv.extend(["--tool", "t", "--model", model]);
        argv.extend(prices);
        argv.extend([flag, value]);
        let run = ctx.run(&argv);
        run.code(2).stderr_has(flag).stderr_has(max);
        let first = run.stderr.lines().next().unwrap();
        assert!(
            first.starts_with("error: ") && first.contains(flag) && first.contains(max),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("--tool") && !run.stderr.contains("TOML"),
            "{}",
            run.stderr
        );
        assert!(!ctx.join("x.toml").exists(), "{argv:?} wrote a file");
    }
    // The largest count is written and validates.
    ctx.run([
        "pricing",
        "init",
        "x.toml",
        "--provider-id",
        "a",
        "--tool",
        "t",
        "--model",
        "per_token",
        "--input-token-price",
        "1",
        "--output-token-price",
        "1",
        "--free-calls",
        max,
        "--free-tokens",
        max,
    ])
    .code(0);
    ctx.run(["pricing", "validate", "x.toml"]).code(0);
    let text = std::fs::read_to_string(ctx.join("x.toml")).unwrap();
    assert!(
        text.contains(&format!("tokens_per_month = {max}")),
        "{text}"
    );
}

/// The wizard on a real pseudo-terminal (python's `pty`), end to end.
#[test]
fn init_wizard_on_a_terminal() {
    let ctx = TestContext::new();
    let steps = serde_json::json!([
        ["Provider id", "a|b\r"],
        ["cannot contain '|'", "acme\r"],
        ["Category", "\r"],
        ["Tool id", "search\r"],
        ["Pricing model of search", "\r"],
        ["Price per call", "$0.05\r"],
        ["Offer a monthly free tier", "y"],
        ["Free calls per agent", "100\r"],
        ["Add another tool?", "y"],
        ["Tool id", "summarize\r"],
        ["Pricing model of summarize", "\u{1b}[B\r"],
        ["Price per input token", "10microcents\r"],
        ["Price per output token", "\r"],
        ["Offer a monthly free tier", "n"],
        ["Add another tool?", "n"],
        ["wrote w.toml", ""],
    ]);
    let cmd = ctx.pty_command(&steps, &["pricing", "init", "w.toml"]);
    let run = crate::context::run_command(cmd, None);
    run.code(0);
    let run = ctx.run(["--json", "pricing", "show", "w.toml"]);
    let decl: Vec<Declaration> = serde_json::from_value(run.code(0).json()).unwrap();
    assert_eq!(decl.len(), 2);
    assert_eq!(
        (decl[0].tool_id.as_str(), decl[0].price_per_call_microcents),
        ("search", Some(50_000))
    );
    assert_eq!(
        decl[0].free_tier,
        Some(FreeTierDoc {
            calls_per_month: Some(100),
            tokens_per_month: None
        })
    );
    assert_eq!(decl[0].provider_id, "acme");
    assert_eq!(
        (
            decl[1].pricing_model.as_str(),
            decl[1].price_per_input_token_microcents,
            decl[1].price_per_output_token_microcents
        ),
        ("per_token", Some(10), Some(30))
    );
    let text = std::fs::read_to_string(ctx.join("w.toml")).unwrap();
    assert!(
        text.contains("# category = \"search\""),
        "empty category is left commented out:\n{text}"
    );
}

/// The README's `pricing show` and `pricing quote` examples are real output.
#[test]
fn readme_examples_match_the_output() {
    let ctx = TestContext::new();
    std::fs::copy(
        repo_root().join("examples/pricing.toml"),
        ctx.join("examples.toml"),
    )
    .unwrap();
    std::fs::create_dir(ctx.join("examples")).unwrap();
    std::fs::rename(ctx.join("examples.toml"), ctx.join("examples/pricing.toml")).unwrap();
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let runs = [
        vec!["pricing", "show", "examples/pricing.toml"],
        vec![
            "pricing",
            "quote",
            "examples/pricing.toml",
            "--tool",
            "summarize",
            "--input-tokens",
            "1200",
            "--output-tokens",
            "300",
            "--tokens-this-month",
            "9500",
        ],
        vec![
            "--json",
            "pricing",
            "quote",
            "examples/pricing.toml",
            "--tool",
            "search",
            "--calls-this-month",
            "42",
        ],
    ];
    for args in runs {
        let run = ctx.run(&args);
        run.code(0);
        let block = format!("$ mcpbill {}\n{}```", args.join(" "), run.stdout);
        assert!(
            readme.contains(&block),
            "README lacks the current output of {args:?}:\n{block}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_endless_file_is_refused_at_a_bound() {
    let ctx = TestContext::new();
    for cmd in ["validate", "show"] {
        ctx.run(["pricing", cmd, "/dev/zero"])
            .code(2)
            .one_line_error()
            .stderr_has("holds more than 16 MiB");
    }
}

#[test]
fn empty_names_are_refused_not_dropped() {
    let ctx = TestContext::new();
    ctx.run([
        "pricing",
        "init",
        "--provider-id",
        "a",
        "--tool",
        "t",
        "--model",
        "per_call",
        "--price",
        "$1",
        "--category",
        "",
        "p.toml",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("--category: the category is empty");
    assert!(!ctx.join("p.toml").exists());
    ctx.write(
        "p.toml",
        "provider_id = \"a\"\n[default]\npricing_model = \"per_call\"\nprice_per_call = \"$1\"\n",
    );
    ctx.run(["pricing", "quote", "p.toml", "--tool", ""])
        .code(2)
        .one_line_error()
        .stderr_has("--tool: tool id is empty");
}

/// Two slips with money are refused, not read as another amount: a decimal comma that
/// looks like grouping ("$0,050" is not fifty dollars) and a bare whole number that reads
/// as microcents ("50000" beside a file whose integer 50000 is five cents).
#[test]
fn decimal_commas_and_bare_large_numbers_are_refused() {
    let ctx = TestContext::new();
    ctx.write(
        "comma.toml",
        "provider_id = \"acme\"\n[tools.search]\npricing_model = \"per_call\"\nprice_per_call = \"$0,050\"\n",
    );
    ctx.run(["pricing", "validate", "comma.toml"])
        .code(1)
        .stdout_has("comma.toml:4:18: tools.search.price_per_call")
        .stdout_has("use '.' for decimals");
    ctx.write(
        "bare.toml",
        "provider_id = \"acme\"\n[tools.search]\npricing_model = \"per_call\"\nprice_per_call = \"50000\"\n",
    );
    ctx.run(["pricing", "validate", "bare.toml"])
        .code(1)
        .stdout_has("write '$50000' if you mean dollars, or '50000microcents'");
    ctx.write("k", "secret\n");
    let sign = |cost: &str| {
        ctx.run([
            "receipt",
            "sign",
            "--key-file",
            "k",
            "--tool-id",
            "search",
            "--agent-id",
            "a",
            "--provider-id",
            "acme",
            "--cost",
            cost,
        ])
    };
    sign("50000")
        .code(2)
        .one_line_error()
        .stderr_has("--cost: amount '50000' is ambiguous");
    sign("$0,050")
        .code(2)
        .one_line_error()
        .stderr_has("use '.' for decimals");
    let run = sign("$50000");
    run.code(0);
    assert_eq!(run.json()["cost_microcents"], 50_000_000_000u64);
    sign("999").code(0);
}

#[test]
fn a_pricing_file_on_stdin() {
    let ctx = ctx_with_file();
    let text = std::fs::read(ctx.join("p.toml")).unwrap();
    let valid = ctx.run_stdin(["pricing", "validate", "-"], Some(&text));
    valid.code(0).stdout_has("<stdin>: valid (provider ");
    let shown = ctx.run_stdin(["--json", "pricing", "show", "-"], Some(&text));
    assert_eq!(
        shown.code(0).json(),
        ctx.run(["--json", "pricing", "show", "p.toml"])
            .code(0)
            .json()
    );
    let quoted = ctx.run_stdin(
        ["--json", "pricing", "quote", "-", "--tool", "search"],
        Some(&text),
    );
    assert_eq!(
        quoted.code(0).json(),
        ctx.run(["--json", "pricing", "quote", "p.toml", "--tool", "search"])
            .code(0)
            .json()
    );
    let bad = b"provider_id = 3\n";
    ctx.run_stdin(["pricing", "validate", "-"], Some(bad))
        .code(1)
        .stdout_has("<stdin>:1:15: provider_id: expected a string")
        .stderr_has("error: the pricing file on stdin is invalid: 1 problem (listed on stdout)");
    ctx.run_stdin(["pricing", "show", "-"], Some(bad))
        .code(2)
        .one_line_error()
        .stderr_has("the pricing file on stdin is invalid: 1 problem; pipe it to 'mcpbill pricing validate -' to list them (first: line 1, column 15");
    ctx.run_stdin(
        ["pricing", "validate", "-"],
        Some(b"provider_id = \"\xff\"\n"),
    )
    .code(2)
    .one_line_error()
    .stderr_has("the pricing file on stdin is not UTF-8 text");
    // wrap's stdin is its client's.
    for name in ["-", "/dev/stdin"] {
        ctx.run_stdin(["wrap", "--pricing", name, "--", "cat"], Some(&text))
            .code(2)
            .stderr_has(&format!(
                "--pricing {name}: that is wrap's stdin, which carries the client's messages; give the pricing file's path"
            ));
    }
    // stdin redirected from the pricing file itself, named by its path.
    let mut cmd = ctx.command_of("bash");
    cmd.arg("-c")
        .arg("exec \"$0\" wrap --pricing p.toml -- cat < p.toml")
        .arg(crate::context::bin());
    crate::context::run_command(cmd, None)
        .code(2)
        .stderr_has("--pricing p.toml: that is wrap's stdin");
}
