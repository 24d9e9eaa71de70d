//! `mcpbill check`: a conformance checker for a provider's billing server. It follows
//! the discovery document and judges each spec section (1 to 8) pass, fail or skip,
//! with the reason for each verdict.

pub mod pricing;

use anyhow::{Context, Result, bail};
use reqwest::Url;
use serde::Serialize;
use serde_json::{Value, json};

use crate::cli::CheckArgs;
use crate::discovery::{Endpoints, document_url, validate_document};
use crate::exit::ExitStatus;
use crate::http::{ClientConfig, HttpClient, Response, parse_base, resolve};
use crate::key::Secret;
use crate::output::{Paint, Printer, escape_terminal};
use crate::receipt::{Receipt, canonical, verify_value};
use crate::time::Timestamp;

/// A verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Conforms.
    Pass,
    /// Does not conform.
    Fail,
    /// Not checked (with the reason).
    Skip,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "FAIL",
            Outcome::Skip => "skip",
        }
    }
}

/// One checked point.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The spec section (1 to 8).
    pub section: u8,
    /// A short name of the check.
    pub check: String,
    /// The verdict.
    pub result: Outcome,
    /// Why.
    pub reason: String,
}

/// The spec section titles.
pub fn section_title(section: u8) -> &'static str {
    match section {
        1 => "Meter events",
        2 => "Receipts",
        3 => "Pricing",
        4 => "Verification",
        5 => "Disputes",
        6 => "Trust score",
        7 => "Discovery",
        _ => "Conformance",
    }
}

/// What to check.
#[derive(Debug)]
pub struct CheckInput {
    /// The server's base URL.
    pub base: Url,
    /// A receipt to ask about.
    pub receipt: Option<Value>,
    /// The key to verify it locally.
    pub key: Option<Secret>,
}

struct Rows(Vec<Row>);

impl Rows {
    fn add(&mut self, section: u8, check: &str, result: Outcome, reason: impl Into<String>) {
        self.0.push(Row {
            section,
            check: check.to_owned(),
            result,
            reason: reason.into(),
        });
    }
    fn pass(&mut self, s: u8, c: &str, r: impl Into<String>) {
        self.add(s, c, Outcome::Pass, r);
    }
    fn fail(&mut self, s: u8, c: &str, r: impl Into<String>) {
        self.add(s, c, Outcome::Fail, r);
    }
    fn skip(&mut self, s: u8, c: &str, r: impl Into<String>) {
        self.add(s, c, Outcome::Skip, r);
    }
}

/// A probe id no provider has issued.
pub const UNKNOWN_RECEIPT: &str = "rcpt_000000000000000000000000";

/// Run every check.
pub async fn run_checks(client: &HttpClient, input: &CheckInput) -> Vec<Row> {
    let mut rows = Rows(Vec::new());
    let doc_url = document_url(&input.base);
    // Section 7 first: everything else follows the document.
    let doc = match client.get(&doc_url).await {
        Err(e) => {
            rows.fail(7, "agents.json", e.to_string());
            None
        }
        Ok(r) if r.status != 200 => {
            rows.fail(
                7,
                "agents.json",
                format!("{doc_url} answered HTTP {}", r.status),
            );
            None
        }
        Ok(r) => {
            let v = r.json();
            if v.is_none() {
                rows.fail(7, "agents.json", format!("{doc_url} did not answer JSON"));
            }
            v
        }
    };
    let Some(doc) = doc else {
        for s in 1..=6 {
            rows.skip(s, "endpoints", "no usable discovery document");
        }
        rows.0.sort_by_key(|r| r.section);
        conformance(&mut rows);
        return rows.0;
    };
    let (ep, problems) = validate_document(&doc);
    if problems.is_empty() {
        rows.pass(
            7,
            "agents.json",
            format!("{doc_url} is a well-formed mcp-billing-v1 document"),
        );
    } else {
        for p in problems {
            rows.fail(7, "agents.json", p);
        }
    }
    let mut provider_id = ep.provider_id.clone();
    check_metering(client, &doc_url, &ep, &mut rows).await;
    check_receipts(client, &doc_url, &ep, input, &mut rows).await;
    if let Some(p) = check_pricing(client, &doc_url, &ep, &mut rows).await
        && provider_id.is_none()
    {
        provider_id = Some(p);
    }
    if provider_id.is_none() {
        provider_id = input
            .receipt
            .as_ref()
            .and_then(|r| r.get("provider_id"))
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    check_verification(client, &doc_url, &ep, &mut rows).await;
    check_disputes(client, &doc_url, &ep, &mut rows).await;
    check_trust(client, &doc_url, &ep, provider_id.as_deref(), &mut rows).await;
    rows.0.sort_by_key(|r| r.section);
    conformance(&mut rows);
    rows.0
}

fn conformance(rows: &mut Rows) {
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    for s in 1..=7u8 {
        let mine: Vec<_> = rows.0.iter().filter(|r| r.section == s).collect();
        if mine.iter().any(|r| r.result == Outcome::Fail) {
            failed.push(s.to_string());
        } else if mine.iter().any(|r| r.result == Outcome::Pass) {
            passed.push(s.to_string());
        }
    }
    if failed.is_empty() {
        rows.pass(
            8,
            "conformance",
            format!(
                "conformant for sections {} (partial conformance is allowed)",
                passed.join(", ")
            ),
        );
    } else {
        rows.fail(
            8,
            "conformance",
            format!("sections failing: {}", failed.join(", ")),
        );
    }
}

fn endpoint_url(doc_url: &Url, path: &str) -> Result<Url, String> {
    resolve(doc_url, path)
        .ok_or_else(|| format!("'{}' does not resolve to a URL", escape_terminal(path)))
}

fn status_line(url: &Url, r: &Response) -> String {
    format!("{url} answered HTTP {}", r.status)
}

async fn check_metering(client: &HttpClient, doc_url: &Url, ep: &Endpoints, rows: &mut Rows) {
    let Some(path) = &ep.metering else {
        rows.skip(
            1,
            "metering_endpoint",
            "not advertised (meter events stay in the provider's own log)",
        );
        return;
    };
    let url = match endpoint_url(doc_url, path) {
        Ok(u) => u,
        Err(e) => return rows.fail(1, "metering_endpoint", e),
    };
    // An event without its required fields must be refused; nothing is recorded.
    match client.post_json(&url, &json!([{"event_id": "evt_000000000000000000000000"}]), &[]).await {
        Err(e) => rows.fail(1, "rejects_invalid_event", e.to_string()),
        Ok(r) if (400..500).contains(&r.status) && r.status != 404 && r.status != 405 => rows.pass(
            1,
            "rejects_invalid_event",
            format!("{} (an event missing required fields is refused)", status_line(&url, &r)),
        ),
        Ok(r) => rows.fail(
            1,
            "rejects_invalid_event",
            format!("{}; an unauthenticated event missing agent_id, provider_id, timestamp and status must be refused with a 4xx", status_line(&url, &r)),
        ),
    }
}

async fn check_receipts(
    client: &HttpClient,
    doc_url: &Url,
    ep: &Endpoints,
    input: &CheckInput,
    rows: &mut Rows,
) {
    let Some(path) = &ep.receipts else {
        rows.skip(2, "receipts_endpoint", "not advertised");
        return;
    };
    let base = path.trim_end_matches('/').to_owned();
    let url_for = |id: &str| endpoint_url(doc_url, &format!("{base}/{id}"));
    match url_for(UNKNOWN_RECEIPT) {
        Err(e) => return rows.fail(2, "unknown_id", e),
        Ok(url) => match client.get(&url).await {
            Err(e) => rows.fail(2, "unknown_id", e.to_string()),
            Ok(r) if r.status == 404 => rows.pass(
                2,
                "unknown_id",
                format!("{} for an id it never issued", status_line(&url, &r)),
            ),
            Ok(r) => rows.fail(
                2,
                "unknown_id",
                format!(
                    "{}; an unknown receipt id must answer 404",
                    status_line(&url, &r)
                ),
            ),
        },
    }
    match url_for("not-a-receipt-id") {
        Err(e) => rows.fail(2, "malformed_id", e),
        Ok(url) => match client.get(&url).await {
            Err(e) => rows.fail(2, "malformed_id", e.to_string()),
            Ok(r) if r.status == 400 || r.status == 404 => {
                rows.pass(2, "malformed_id", status_line(&url, &r));
            }
            Ok(r) => rows.fail(
                2,
                "malformed_id",
                format!(
                    "{}; a malformed id must answer 400 or 404",
                    status_line(&url, &r)
                ),
            ),
        },
    }
    let Some(receipt) = &input.receipt else {
        rows.skip(
            2,
            "verification_response",
            "no --receipt given: pass one to check the verification response",
        );
        return;
    };
    let id = receipt
        .get("receipt_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let url = match url_for(id) {
        Ok(u) => u,
        Err(e) => return rows.fail(2, "verification_response", e),
    };
    let resp = match client.get(&url).await {
        Err(e) => return rows.fail(2, "verification_response", e.to_string()),
        Ok(r) => r,
    };
    if resp.status != 200 {
        return rows.fail(
            2,
            "verification_response",
            format!(
                "{}; the receipt's id must answer 200",
                status_line(&url, &resp)
            ),
        );
    }
    let Some(body) = resp.json() else {
        return rows.fail(
            2,
            "verification_response",
            format!("{url} did not answer JSON"),
        );
    };
    let provider_valid = match verification_shape(&body) {
        Ok(v) => v,
        Err(problems) => {
            for p in problems {
                rows.fail(2, "verification_response", p);
            }
            return;
        }
    };
    rows.pass(
        2,
        "verification_response",
        "has receipt and verification {valid, algorithm HMAC-SHA256, verified_at}",
    );
    let theirs = &body["receipt"];
    let differing: Vec<&str> = SIGNED_FIELDS
        .iter()
        .copied()
        .filter(|f| theirs.get(*f) != receipt.get(*f))
        .collect();
    if differing.is_empty() {
        rows.pass(
            2,
            "receipt_copy",
            "the provider's copy matches the receipt's signed fields",
        );
    } else {
        rows.fail(
            2,
            "receipt_copy",
            format!("the provider's copy differs in {}", differing.join(", ")),
        );
    }
    match &input.key {
        None => rows.skip(
            2,
            "verdict",
            format!("provider says valid={provider_valid}; pass --key-file to compare with a local verification"),
        ),
        Some(key) => {
            let local = verify_value(receipt, |_| Some(key));
            let why = local.invalid.as_ref().map(|i| format!(" ({})", i.code())).unwrap_or_default();
            if local.valid() == provider_valid {
                rows.pass(
                    2,
                    "verdict",
                    format!("provider and local verification agree: valid={provider_valid}{why}"),
                );
            } else {
                rows.fail(
                    2,
                    "verdict",
                    format!(
                        "provider says valid={provider_valid}, local verification says valid={}{why}",
                        local.valid()
                    ),
                );
            }
        }
    }
}

/// The fields a verification response's receipt must repeat unchanged: the canonical
/// signed fields (derived from [`canonical::SIGNED_FIELDS`], so the two cannot drift),
/// then `signature`.
pub const SIGNED_FIELDS: [&str; canonical::SIGNED_FIELDS.len() + 1] = {
    let mut fields = [""; canonical::SIGNED_FIELDS.len() + 1];
    let mut i = 0;
    while i < canonical::SIGNED_FIELDS.len() {
        fields[i] = canonical::SIGNED_FIELDS[i];
        i += 1;
    }
    fields[i] = "signature";
    fields
};

/// Check the shape of a spec section 2 verification response; returns `valid`.
pub fn verification_shape(body: &Value) -> Result<bool, Vec<String>> {
    let mut problems = Vec::new();
    if !body.get("receipt").is_some_and(Value::is_object) {
        problems.push("'receipt' is missing or not an object".to_owned());
    }
    let mut valid = false;
    match body.get("verification") {
        Some(Value::Object(v)) => {
            match v.get("valid") {
                Some(Value::Bool(b)) => valid = *b,
                _ => problems.push("verification.valid is missing or not a boolean".to_owned()),
            }
            match v.get("algorithm") {
                Some(Value::String(a)) if a == "HMAC-SHA256" => {}
                _ => problems.push("verification.algorithm must be \"HMAC-SHA256\"".to_owned()),
            }
            match v
                .get("verified_at")
                .and_then(Value::as_str)
                .map(Timestamp::parse)
            {
                Some(Ok(_)) => {}
                _ => problems.push(
                    "verification.verified_at is missing or not an RFC 3339 time with zone"
                        .to_owned(),
                ),
            }
        }
        _ => problems.push("'verification' is missing or not an object".to_owned()),
    }
    if problems.is_empty() {
        Ok(valid)
    } else {
        Err(problems)
    }
}

async fn check_pricing(
    client: &HttpClient,
    doc_url: &Url,
    ep: &Endpoints,
    rows: &mut Rows,
) -> Option<String> {
    let Some(path) = &ep.pricing else {
        rows.skip(3, "pricing_endpoint", "not advertised");
        return None;
    };
    let url = match endpoint_url(doc_url, path) {
        Ok(u) => u,
        Err(e) => {
            rows.fail(3, "pricing_endpoint", e);
            return None;
        }
    };
    let resp = match client.get(&url).await {
        Err(e) => {
            rows.fail(3, "pricing_endpoint", e.to_string());
            return None;
        }
        Ok(r) => r,
    };
    if resp.status != 200 {
        rows.fail(
            3,
            "pricing_endpoint",
            format!("{}; expected 200", status_line(&url, &resp)),
        );
        return None;
    }
    let Some(body) = resp.json() else {
        rows.fail(3, "pricing_endpoint", format!("{url} did not answer JSON"));
        return None;
    };
    match pricing::validate(&body, ep.provider_id.as_deref()) {
        Ok(summary) => {
            rows.pass(
                3,
                "declarations",
                format!(
                    "{} declaration(s) of provider '{}' are valid",
                    summary.count,
                    escape_terminal(&summary.provider_id)
                ),
            );
            Some(summary.provider_id)
        }
        Err(problems) => {
            for p in problems {
                rows.fail(3, "declarations", p);
            }
            None
        }
    }
}

async fn check_verification(client: &HttpClient, doc_url: &Url, ep: &Endpoints, rows: &mut Rows) {
    let Some(path) = &ep.verification else {
        rows.skip(
            4,
            "verification_endpoint",
            "not advertised (verify providers with verify-domain / verify-email)",
        );
        return;
    };
    let url = match endpoint_url(doc_url, path) {
        Ok(u) => u,
        Err(e) => return rows.fail(4, "verification_endpoint", e),
    };
    match client.get(&url).await {
        Err(e) => rows.fail(4, "verification_endpoint", e.to_string()),
        Ok(r) if r.status < 500 && r.status != 404 => {
            rows.pass(4, "verification_endpoint", status_line(&url, &r));
        }
        Ok(r) => rows.fail(
            4,
            "verification_endpoint",
            format!(
                "{}; the advertised endpoint must exist",
                status_line(&url, &r)
            ),
        ),
    }
}

async fn check_disputes(client: &HttpClient, doc_url: &Url, ep: &Endpoints, rows: &mut Rows) {
    let Some(path) = &ep.disputes else {
        rows.skip(5, "disputes_endpoint", "not advertised");
        return;
    };
    let url = match endpoint_url(doc_url, path) {
        Ok(u) => u,
        Err(e) => return rows.fail(5, "disputes_endpoint", e),
    };
    // An empty, unauthenticated filing must be refused; nothing is filed.
    match client.post_json(&url, &json!({}), &[]).await {
        Err(e) => rows.fail(5, "rejects_invalid_filing", e.to_string()),
        Ok(r) if (400..500).contains(&r.status) && r.status != 404 && r.status != 405 => {
            if r.json().is_some() {
                rows.pass(
                    5,
                    "rejects_invalid_filing",
                    format!("{} with a JSON error", status_line(&url, &r)),
                );
            } else {
                rows.fail(
                    5,
                    "rejects_invalid_filing",
                    format!("{} but the error body is not JSON", status_line(&url, &r)),
                );
            }
        }
        Ok(r) => rows.fail(
            5,
            "rejects_invalid_filing",
            format!(
                "{}; an empty unauthenticated dispute must be refused with a 4xx",
                status_line(&url, &r)
            ),
        ),
    }
}

async fn check_trust(
    client: &HttpClient,
    doc_url: &Url,
    ep: &Endpoints,
    provider: Option<&str>,
    rows: &mut Rows,
) {
    let Some(path) = &ep.trust else {
        rows.skip(6, "trust_endpoint", "not advertised");
        return;
    };
    let Some(provider) = provider else {
        rows.skip(
            6,
            "trust_endpoint",
            "no provider id known (from agents.json, pricing or --receipt)",
        );
        return;
    };
    let url = match endpoint_url(doc_url, &path.replace("{id}", provider)) {
        Ok(u) => u,
        Err(e) => return rows.fail(6, "trust_endpoint", e),
    };
    let resp = match client.get(&url).await {
        Err(e) => return rows.fail(6, "trust_score", e.to_string()),
        Ok(r) => r,
    };
    if resp.status != 200 {
        return rows.fail(
            6,
            "trust_score",
            format!("{}; expected 200", status_line(&url, &resp)),
        );
    }
    let Some(body) = resp.json() else {
        return rows.fail(6, "trust_score", format!("{url} did not answer JSON"));
    };
    match trust_shape(&body, provider) {
        Ok(score) => rows.pass(
            6,
            "trust_score",
            format!("score {score} with consistent badge and components"),
        ),
        Err(problems) => {
            for p in problems {
                rows.fail(6, "trust_score", p);
            }
        }
    }
}

/// Check a spec section 6 trust score document.
pub fn trust_shape(body: &Value, provider: &str) -> Result<u64, Vec<String>> {
    let mut p = Vec::new();
    match body.get("provider_id").and_then(Value::as_str) {
        Some(id) if id == provider => {}
        Some(id) => p.push(format!(
            "provider_id is '{}', expected '{}'",
            escape_terminal(id),
            escape_terminal(provider)
        )),
        None => p.push("provider_id is missing or not a string".into()),
    }
    let score = body.get("trust_score").and_then(Value::as_u64);
    match score {
        Some(s) if s <= 100 => {}
        _ => p.push("trust_score must be an integer from 0 to 100".into()),
    }
    let badge = body.get("badge").and_then(Value::as_str);
    match (badge, score) {
        (Some(b), Some(s)) if s <= 100 => {
            let expected = match s {
                0..=24 => "unrated",
                25..=49 => "basic",
                50..=74 => "trusted",
                _ => "verified",
            };
            if b != expected {
                p.push(format!(
                    "badge is '{}' but a score of {s} means '{expected}'",
                    escape_terminal(b)
                ));
            }
        }
        (None, _) => p.push("badge is missing or not a string".into()),
        _ => {}
    }
    match body.get("components") {
        Some(Value::Object(c)) => {
            let mut sum = 0;
            for name in ["verification", "uptime", "latency", "disputes"] {
                match c.get(name).and_then(Value::as_u64) {
                    Some(v) if v <= 25 => sum += v,
                    _ => p.push(format!("components.{name} must be an integer from 0 to 25")),
                }
            }
            if let Some(v) = c.get("verification").and_then(Value::as_u64)
                && ![0, 10, 20, 25].contains(&v)
            {
                p.push(format!(
                    "components.verification is {v}; the levels score 0, 10, 20 or 25"
                ));
            }
            if let Some(s) = score
                && p.is_empty()
                && sum != s
            {
                p.push(format!("components add up to {sum}, not trust_score {s}"));
            }
        }
        _ => p.push("components is missing or not an object".into()),
    }
    if p.is_empty() {
        Ok(score.unwrap_or(0))
    } else {
        Err(p)
    }
}

/// Run `mcpbill check`.
pub fn run(args: &CheckArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let base = parse_base(&args.base_url)?;
    let client = HttpClient::new(ClientConfig::from_options(&args.http))?;
    if let Err(e) = client.check_url(&base) {
        bail!("{e}");
    }
    let receipt = match &args.receipt {
        None => None,
        Some(path) => {
            let bytes =
                crate::input::read_file(path, crate::input::DOCUMENT_LIMIT).with_context(|| {
                    format!("cannot read receipt '{}'; check --receipt", path.display())
                })?;
            let value = crate::doc::from_slice(bytes.trim_ascii()).map_err(|e| match e {
                crate::doc::DocError::Json(e) => anyhow::anyhow!(
                    "receipt '{}' is not one JSON document ({e}); pass a single receipt",
                    path.display()
                ),
                other => anyhow::anyhow!("receipt '{}' is refused: {other}", path.display()),
            })?;
            Receipt::from_value(&value).map_err(|e| {
                anyhow::anyhow!("receipt '{}' is not a spec receipt: {e}", path.display())
            })?;
            Some(value)
        }
    };
    let key = match &args.key_file {
        Some(p) => Some(Secret::from_file(p)?),
        None => None,
    };
    let input = CheckInput {
        base: base.clone(),
        receipt,
        key,
    };
    let rows = crate::http::block_on(run_checks(&client, &input))?;
    let ok = !rows.iter().any(|r| r.result == Outcome::Fail);
    if printer.json() {
        let sections: Vec<Value> = (1..=8u8)
            .map(|s| {
                let checks: Vec<&Row> = rows.iter().filter(|r| r.section == s).collect();
                json!({
                    "section": s,
                    "title": section_title(s),
                    "result": section_result(&checks),
                    "checks": checks,
                })
            })
            .collect();
        printer.json_doc(&json!({"base_url": base.as_str(), "ok": ok, "sections": sections}))?;
    } else {
        let mut table = printer.new_table(&["section", "check", "result", "reason"]);
        for r in &rows {
            let result = match r.result {
                Outcome::Pass => printer.paint(Paint::Green, r.result.as_str()),
                Outcome::Fail => printer.paint(Paint::Red, r.result.as_str()),
                Outcome::Skip => printer.paint(Paint::Dim, r.result.as_str()),
            };
            table.add_row(vec![
                format!("{} {}", r.section, section_title(r.section)),
                r.check.clone(),
                result,
                escape_terminal(&r.reason),
            ]);
        }
        printer.table(&table)?;
        let count = |o| rows.iter().filter(|r| r.result == o).count();
        printer.line(&format!(
            "{} passed, {} failed, {} skipped",
            count(Outcome::Pass),
            count(Outcome::Fail),
            count(Outcome::Skip)
        ))?;
    }
    Ok(ExitStatus::verdict(ok))
}

fn section_result(checks: &[&Row]) -> Outcome {
    if checks.iter().any(|r| r.result == Outcome::Fail) {
        Outcome::Fail
    } else if checks.iter().any(|r| r.result == Outcome::Pass) {
        Outcome::Pass
    } else {
        Outcome::Skip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_shape_problems() {
        let ok = json!({"receipt": {}, "verification": {"valid": true, "algorithm": "HMAC-SHA256", "verified_at": "2026-11-22T00:00:00Z"}});
        assert_eq!(verification_shape(&ok), Ok(true));
        let bad = json!({"receipt": 1, "verification": {"valid": "yes", "algorithm": "sha1", "verified_at": "yesterday"}});
        assert_eq!(verification_shape(&bad).unwrap_err().len(), 4);
    }

    #[test]
    fn trust_shape_problems() {
        let ok = json!({"provider_id": "p", "trust_score": 80, "badge": "verified", "components": {"verification": 20, "uptime": 25, "latency": 25, "disputes": 10}});
        assert_eq!(trust_shape(&ok, "p"), Ok(80));
        let bad = json!({"provider_id": "q", "trust_score": 80, "badge": "basic", "components": {"verification": 7, "uptime": 25, "latency": 25, "disputes": 10}});
        let p = trust_shape(&bad, "p").unwrap_err();
        assert!(p.iter().any(|m| m.contains("badge")));
        assert!(p.iter().any(|m| m.contains("provider_id")));
        assert!(p.iter().any(|m| m.contains("levels")));
    }
}
