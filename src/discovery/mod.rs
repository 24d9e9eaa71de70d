//! Discovery (spec section 7): building, validating and probing the
//! `/.well-known/agents.json` document; `mcpbill discovery init` and `discovery check`.

pub mod submit;

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use reqwest::Url;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::cli::{DiscoveryArgs, DiscoveryCheckArgs, DiscoveryCommand, DiscoveryInitArgs};
use crate::exit::ExitStatus;
use crate::http::{ClientConfig, HttpClient, parse_base, resolve};
use crate::output::{Paint, Printer, escape_terminal};
use crate::pricing::PricingFile;

/// The `billing.type` of this spec.
pub const BILLING_TYPE: &str = "mcp-billing-v1";
/// The spec URL advertised in `billing.spec`.
pub const SPEC_URL: &str = "https://noui.bot/specs/mcp-billing-v1";
/// Where the document lives.
pub const WELL_KNOWN: &str = "/.well-known/agents.json";
/// The receipts endpoint `mcpbill serve` answers.
pub const RECEIPTS_PATH: &str = "/api/receipts";
/// The pricing endpoint `mcpbill serve` answers.
pub const PRICING_PATH: &str = "/api/pricing";
/// The MMCP feedback endpoint `mcpbill serve` answers.
pub const FEEDBACK_PATH: &str = "/client/feedback";
/// The disputes endpoint path of the spec.
pub const DISPUTES_PATH: &str = "/api/disputes";
/// The trust endpoint path of the spec.
pub const TRUST_PATH: &str = "/api/providers/{id}/trust";

/// Which endpoints a server offers.
#[derive(Debug, Clone, Default)]
pub struct Advertised {
    /// The provider id (from the pricing file).
    pub provider_id: Option<String>,
    /// The public base URL.
    pub base_url: Option<String>,
    /// GET /api/pricing is answered.
    pub pricing: bool,
    /// GET /api/receipts/{id} is answered.
    pub receipts: bool,
    /// POST /client/feedback is answered.
    pub feedback: bool,
    /// POST /api/disputes is answered.
    pub disputes: bool,
    /// GET /api/providers/{id}/trust is answered.
    pub trust: bool,
}

/// The section 7 document. Endpoints are paths relative to the server; the extra
/// `provider_id`, `base_url` and `feedback_endpoint` keys are mcpbill's additions,
/// which readers of the spec document ignore.
pub fn agents_document(a: &Advertised) -> Value {
    let mut billing = Map::new();
    billing.insert("type".into(), json!(BILLING_TYPE));
    billing.insert("spec".into(), json!(SPEC_URL));
    if let Some(p) = &a.provider_id {
        billing.insert("provider_id".into(), json!(p));
    }
    if let Some(b) = &a.base_url {
        billing.insert("base_url".into(), json!(b.trim_end_matches('/')));
    }
    if a.pricing {
        billing.insert("pricing_endpoint".into(), json!(PRICING_PATH));
    }
    if a.receipts {
        billing.insert("receipts_endpoint".into(), json!(RECEIPTS_PATH));
    }
    if a.feedback {
        billing.insert("feedback_endpoint".into(), json!(FEEDBACK_PATH));
    }
    let mut doc = Map::new();
    doc.insert("billing".into(), Value::Object(billing));
    let mut trust = Map::new();
    if a.trust {
        trust.insert("trust_endpoint".into(), json!(TRUST_PATH));
    }
    if a.disputes {
        trust.insert("disputes_endpoint".into(), json!(DISPUTES_PATH));
    }
    if !trust.is_empty() {
        doc.insert("trust".into(), Value::Object(trust));
    }
    Value::Object(doc)
}

/// The endpoints a document advertises (raw strings, as written).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Endpoints {
    /// `billing.provider_id` (an mcpbill addition), when present.
    pub provider_id: Option<String>,
    /// `billing.pricing_endpoint`.
    pub pricing: Option<String>,
    /// `billing.metering_endpoint`.
    pub metering: Option<String>,
    /// `billing.receipts_endpoint`.
    pub receipts: Option<String>,
    /// `trust.verification_endpoint`.
    pub verification: Option<String>,
    /// `trust.trust_endpoint`.
    pub trust: Option<String>,
    /// `trust.sla_endpoint`.
    pub sla: Option<String>,
    /// `trust.disputes_endpoint`.
    pub disputes: Option<String>,
}

/// Check a document's shape; returns the endpoints and every problem found.
pub fn validate_document(doc: &Value) -> (Endpoints, Vec<String>) {
    let mut problems = Vec::new();
    let mut ep = Endpoints::default();
    let Some(obj) = doc.as_object() else {
        return (ep, vec!["the document is not a JSON object".into()]);
    };
    match obj.get("billing") {
        None => problems.push("missing object 'billing'".into()),
        Some(Value::Object(b)) => {
            match b.get("type") {
                Some(Value::String(t)) if t == BILLING_TYPE => {}
                Some(Value::String(t)) => problems.push(format!(
                    "billing.type is '{}', expected '{BILLING_TYPE}'",
                    escape_terminal(t)
                )),
                Some(_) => problems.push("billing.type is not a string".into()),
                None => problems.push("missing billing.type".into()),
            }
            if let Some(spec) = b.get("spec")
                && !spec.is_string()
            {
                problems.push("billing.spec is not a string".into());
            }
            ep.provider_id = b
                .get("provider_id")
                .and_then(Value::as_str)
                .map(str::to_owned);
            ep.pricing = endpoint(b, "billing", "pricing_endpoint", &mut problems);
            ep.metering = endpoint(b, "billing", "metering_endpoint", &mut problems);
            ep.receipts = endpoint(b, "billing", "receipts_endpoint", &mut problems);
            if ep.pricing.is_none() && ep.receipts.is_none() && ep.metering.is_none() {
                problems
                    .push("billing advertises no endpoint (pricing, metering or receipts)".into());
            }
        }
        Some(_) => problems.push("'billing' is not an object".into()),
    }
    match obj.get("trust") {
        None => {}
        Some(Value::Object(t)) => {
            ep.verification = endpoint(t, "trust", "verification_endpoint", &mut problems);
            ep.trust = endpoint(t, "trust", "trust_endpoint", &mut problems);
            ep.sla = endpoint(t, "trust", "sla_endpoint", &mut problems);
            ep.disputes = endpoint(t, "trust", "disputes_endpoint", &mut problems);
            for (name, v) in [("trust_endpoint", &ep.trust), ("sla_endpoint", &ep.sla)] {
                if let Some(v) = v
                    && !v.contains("{id}")
                {
                    problems.push(format!(
                        "trust.{name} '{}' has no '{{id}}' placeholder",
                        escape_terminal(v)
                    ));
                }
            }
        }
        Some(_) => problems.push("'trust' is not an object".into()),
    }
    (ep, problems)
}

fn endpoint(
    obj: &Map<String, Value>,
    section: &str,
    key: &str,
    problems: &mut Vec<String>,
) -> Option<String> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let ok = s.starts_with('/') && !s.starts_with("//")
                || s.starts_with("https://")
                || s.starts_with("http://");
            if ok && !s.chars().any(|c| c.is_whitespace() || c.is_control()) {
                Some(s.clone())
            } else {
                problems.push(format!(
                    "{section}.{key} '{}' is neither a path starting with '/' nor an http(s) URL",
                    escape_terminal(s)
                ));
                None
            }
        }
        Some(_) => {
            problems.push(format!("{section}.{key} is not a string"));
            None
        }
    }
}

/// The URL of agents.json for a user-given URL: the URL itself when it already names
/// the document, else the well-known path on its host.
pub fn document_url(url: &Url) -> Url {
    if url.path().ends_with("agents.json") {
        url.clone()
    } else {
        let mut u = url.clone();
        u.set_path(WELL_KNOWN);
        u.set_query(None);
        u
    }
}

/// One finding of `discovery check`.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// What was checked.
    pub check: String,
    /// Whether it passed.
    pub ok: bool,
    /// Detail.
    pub detail: String,
}

fn finding(check: &str, ok: bool, detail: impl Into<String>) -> Finding {
    Finding {
        check: check.to_owned(),
        ok,
        detail: detail.into(),
    }
}

/// The shape findings of a document (one pass, or one failure per problem); returns its
/// endpoints.
fn push_shape(doc: &Value, out: &mut Vec<Finding>) -> Endpoints {
    let (ep, problems) = validate_document(doc);
    if problems.is_empty() {
        out.push(finding(
            "shape",
            true,
            "billing and trust sections are well formed",
        ));
    } else {
        for p in problems {
            out.push(finding("shape", false, p));
        }
    }
    ep
}

/// Check a local agents.json's text, offline: that it is JSON, and its shape (its
/// endpoints are only probed when it is checked at its URL).
pub fn check_document_text(text: &[u8]) -> Vec<Finding> {
    let mut out = Vec::new();
    match crate::doc::from_slice(text) {
        Err(crate::doc::DocError::Json(e)) => {
            out.push(finding("parse", false, format!("not JSON: {e}")));
        }
        Err(e) => out.push(finding("parse", false, e.to_string())),
        Ok(doc) => {
            out.push(finding("parse", true, "a JSON document"));
            push_shape(&doc, &mut out);
        }
    }
    out
}

/// Fetch and check an agents.json document and probe its endpoints.
pub async fn check_discovery(client: &HttpClient, url: &Url) -> Vec<Finding> {
    let doc_url = document_url(url);
    let mut out = Vec::new();
    let resp = match client.get(&doc_url).await {
        Ok(r) => r,
        Err(e) => {
            out.push(finding("fetch", false, e.to_string()));
            return out;
        }
    };
    if !resp.ok() {
        out.push(finding(
            "fetch",
            false,
            format!("{doc_url} answered HTTP {}", resp.status),
        ));
        return out;
    }
    let doc = match crate::doc::from_slice(&resp.body) {
        Ok(doc) => doc,
        Err(crate::doc::DocError::Json(_)) => {
            out.push(finding(
                "fetch",
                false,
                format!("{doc_url} did not answer JSON"),
            ));
            return out;
        }
        Err(e) => {
            out.push(finding("fetch", false, format!("{doc_url}: {e}")));
            return out;
        }
    };
    out.push(finding(
        "fetch",
        true,
        format!("{doc_url} answered HTTP 200 with JSON"),
    ));
    let ep = push_shape(&doc, &mut out);
    let probe_id = "rcpt_000000000000000000000000";
    let provider = ep
        .provider_id
        .clone()
        .unwrap_or_else(|| "unknown-provider".into());
    let probes: Vec<(&str, Option<String>, Expect)> = vec![
        ("pricing_endpoint", ep.pricing.clone(), Expect::Ok),
        (
            "receipts_endpoint",
            ep.receipts
                .as_ref()
                .map(|r| format!("{}/{probe_id}", r.trim_end_matches('/'))),
            Expect::NotFound,
        ),
        (
            "trust_endpoint",
            ep.trust.as_ref().map(|t| t.replace("{id}", &provider)),
            Expect::Answers,
        ),
        (
            "disputes_endpoint",
            ep.disputes.clone(),
            Expect::RejectsAnonymousPost,
        ),
    ];
    for (name, path, expect) in probes {
        let Some(path) = path else { continue };
        let Some(target) = resolve(&doc_url, &path) else {
            out.push(finding(
                name,
                false,
                format!("'{}' does not resolve to a URL", escape_terminal(&path)),
            ));
            continue;
        };
        let result = match expect {
            Expect::RejectsAnonymousPost => client.post_json(&target, &json!({}), &[]).await,
            _ => client.get(&target).await,
        };
        let f = match result {
            Err(e) => finding(name, false, e.to_string()),
            Ok(r) => {
                let json_body = r.json().is_some();
                let ok = match expect {
                    Expect::Ok => r.ok() && json_body,
                    Expect::NotFound => r.status == 404,
                    Expect::Answers => r.status < 500 && r.status != 404 && json_body,
                    Expect::RejectsAnonymousPost => {
                        (400..500).contains(&r.status) && r.status != 404
                    }
                };
                let what = match expect {
                    Expect::Ok => "expected 200 with JSON",
                    Expect::NotFound => "expected 404 for an unknown receipt id",
                    Expect::Answers => "expected a JSON answer",
                    Expect::RejectsAnonymousPost => {
                        "expected a 4xx refusal of an unauthenticated empty filing"
                    }
                };
                finding(
                    name,
                    ok,
                    format!("{target} answered HTTP {} ({what})", r.status),
                )
            }
        };
        out.push(f);
    }
    out
}

#[derive(Debug, Clone, Copy)]
enum Expect {
    Ok,
    NotFound,
    Answers,
    RejectsAnonymousPost,
}

/// Run `mcpbill discovery`.
pub fn run(args: &DiscoveryArgs, printer: &mut Printer) -> Result<ExitStatus> {
    match &args.command {
        DiscoveryCommand::Init(a) => run_init(a, printer),
        DiscoveryCommand::Check(a) => run_check(a, printer),
    }
}

fn run_init(args: &DiscoveryInitArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let base = crate::http::parse_published_base(&args.base_url, "--base-url")?;
    let provider_id = match &args.pricing {
        Some(p) => Some(PricingFile::load(p)?.provider_id),
        None => None,
    };
    let doc = agents_document(&Advertised {
        provider_id,
        base_url: Some(base.as_str().to_owned()),
        pricing: args.pricing.is_some(),
        receipts: true,
        feedback: true,
        disputes: true,
        trust: true,
    });
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    if args.out.as_os_str() == "-" {
        printer.raw(&text)?;
        return Ok(ExitStatus::Success);
    }
    let file = crate::newfile::NewFile {
        what: "discovery document",
        force: args.force,
        mode: None,
        overwrite_note: "",
    };
    // `--out .well-known/agents.json` in a fresh checkout: the directory is created.
    if let Some(parent) = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && !p.exists())
    {
        std::fs::create_dir_all(parent).with_context(|| {
            format!(
                "cannot create the directory '{}' for --out; check the path",
                parent.display()
            )
        })?;
    }
    file.check(&args.out, "pass a file path to --out")?;
    file.write(&args.out, text.as_bytes())?;
    if printer.json() {
        printer.json_doc(&json!({"written": args.out.display().to_string(), "document": doc}))?;
    } else {
        printer.note(&format!(
            "wrote {}; serve it at {}{WELL_KNOWN} (mcpbill serve does)",
            args.out.display(),
            base.as_str().trim_end_matches('/')
        ));
    }
    Ok(ExitStatus::Success)
}

fn run_check(args: &DiscoveryCheckArgs, printer: &mut Printer) -> Result<ExitStatus> {
    if let Some(file) = local_document(&args.url) {
        let text = crate::input::read_all(&file, "the document")?;
        let findings = check_document_text(&text);
        printer.note(
            "a local file: its shape is checked, not its endpoints; check the served document with its URL",
        );
        return print_findings(printer, ("file", &file.display().to_string()), &findings);
    }
    if std::path::Path::new(&args.url).is_dir() {
        bail!(
            "'{}' is a directory; pass the agents.json file in it, or the server's URL",
            args.url
        );
    }
    if !args.url.contains("://") && Url::parse(args.url.trim()).is_err() {
        bail!(
            "'{}' is neither a URL nor an existing file; pass the server's URL (https://billing.example.com) or the path of an agents.json",
            args.url
        );
    }
    let url = parse_base(&args.url)?;
    let client = HttpClient::new(ClientConfig::from_options(&args.http))?;
    if let Err(e) = client.check_url(&url) {
        bail!("{e}");
    }
    let findings = crate::http::block_on(check_discovery(&client, &url))?;
    print_findings(printer, ("url", document_url(&url).as_str()), &findings)
}

/// The local file `discovery check` was given, if it was one: `-`, or a path that exists
/// and is not written as a URL.
fn local_document(arg: &str) -> Option<PathBuf> {
    if arg == "-" {
        return Some(PathBuf::from("-"));
    }
    if arg.contains("://") {
        return None;
    }
    let path = PathBuf::from(arg);
    path.is_file().then_some(path)
}

/// Print the findings (`--json`: `{"url"|"file": source, "ok", "findings"}`); exit 1 unless
/// every one passed.
fn print_findings(
    printer: &mut Printer,
    (kind, source): (&str, &str),
    findings: &[Finding],
) -> Result<ExitStatus> {
    let ok = findings.iter().all(|f| f.ok);
    if printer.json() {
        let mut doc = json!({"ok": ok, "findings": findings});
        doc[kind] = json!(source);
        printer.json_doc(&doc)?;
    } else {
        let mut table = printer.new_table(&["check", "result", "detail"]);
        for f in findings {
            let result = if f.ok {
                printer.paint(Paint::Green, "pass")
            } else {
                printer.paint(Paint::Red, "FAIL")
            };
            table.add_row(vec![f.check.clone(), result, escape_terminal(&f.detail)]);
        }
        printer.table(&table)?;
    }
    Ok(ExitStatus::verdict(ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_document_validates() {
        let doc = agents_document(&Advertised {
            provider_id: Some("acme".into()),
            pricing: true,
            receipts: true,
            trust: true,
            disputes: true,
            ..Advertised::default()
        });
        let (ep, problems) = validate_document(&doc);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(ep.pricing.as_deref(), Some(PRICING_PATH));
        assert_eq!(ep.trust.as_deref(), Some(TRUST_PATH));
    }

    #[test]
    fn bad_documents_are_reported() {
        let (_, p) = validate_document(&json!([]));
        assert_eq!(p.len(), 1);
        let (_, p) = validate_document(&json!({"billing": {"type": "x", "pricing_endpoint": 3}}));
        assert!(p.iter().any(|m| m.contains("billing.type")));
        assert!(
            p.iter()
                .any(|m| m.contains("pricing_endpoint is not a string"))
        );
        let (_, p) = validate_document(
            &json!({"billing": {"type": BILLING_TYPE, "receipts_endpoint": "//evil"}, "trust": {"trust_endpoint": "/t"}}),
        );
        assert!(p.iter().any(|m| m.contains("neither a path")));
        assert!(p.iter().any(|m| m.contains("{id}")));
    }

    #[test]
    fn document_url_forms() {
        let u = Url::parse("https://a.example/base").unwrap();
        assert_eq!(
            document_url(&u).as_str(),
            "https://a.example/.well-known/agents.json"
        );
        let u = Url::parse("https://a.example/x/agents.json").unwrap();
        assert_eq!(document_url(&u).as_str(), "https://a.example/x/agents.json");
    }
}
