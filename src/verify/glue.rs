//! Glue of `verify-domain`, `verify-email` and `verify-code`: checked arguments in, one report
//! (table or JSON) out, the exit status from the verdict, a record appended when verified.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use super::code::{self, CodeOutcome, FileCheck};
use super::dns::{Dns, DnsFailure};
use super::domain::{self, Domain, DomainOutcome, Finding};
use super::email::{self, Lookup, MailOutcome};
use super::http::Fetcher;
use super::record::{self, Level, VerificationRecord};
use super::state::{self, Challenge};
use crate::cli::{VerifyCodeArgs, VerifyDomainArgs, VerifyEmailArgs};
use crate::exit::ExitStatus;
use crate::output::{Paint, Printer, Verbosity, elide, escape_terminal};
use crate::time::Timestamp;

/// TXT records shown in the table; the rest are counted (all of them are in `--json`).
const MAX_TXT_ROWS: usize = 20;
/// Characters of a TXT value shown in the table.
const MAX_TXT_CHARS: usize = 200;

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn spinner(printer: &Printer) -> Option<indicatif::ProgressBar> {
    if printer.json() || printer.verbosity() == Verbosity::Quiet || !std::io::stderr().is_terminal()
    {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

fn verdict_line(printer: &Printer, ok: bool, text: &str) -> String {
    if ok {
        format!("{} {text}", printer.paint(Paint::Green, "verified:"))
    } else {
        format!("{} {text}", printer.paint(Paint::Red, "not verified:"))
    }
}

// ---------------------------------------------------------------------------------------------
// verify-domain

/// One check of the challenge record.
struct DomainCheck {
    outcome: DomainOutcome,
    values: Vec<String>,
    findings: Vec<Finding>,
    cnames: Vec<String>,
}

/// Run `mcpbill verify-domain`.
pub fn run_domain(args: &VerifyDomainArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let domain = domain::normalize_domain(&args.domain)?;
    domain::check_provider_id(&args.provider_id)?;
    if let Some(path) = &args.record {
        record::check_target(path)?;
    }
    if let Some(token) = &args.token {
        domain::check_token(token)?;
    }
    let token = if let Some(token) = &args.token {
        token.clone()
    } else {
        let path = match &args.state {
            Some(p) => p.clone(),
            None => state::default_path(std::env::var_os("MCPBILL_STATE_DIR").map(PathBuf::from))?,
        };
        let mut store = state::load(&path)?;
        match store.get(&args.provider_id, domain.ascii()) {
            Some(saved) if !args.new_challenge => {
                printer.debug(&format!(
                    "using the challenge minted at {} and saved in {}",
                    saved.created_at,
                    path.display()
                ));
                saved.token.clone()
            }
            _ => {
                let challenge = Challenge {
                    provider_id: args.provider_id.clone(),
                    domain: domain.ascii().to_owned(),
                    token: domain::mint_token(),
                    created_at: Timestamp::now().as_str().to_owned(),
                };
                store.put(challenge.clone());
                state::save(&path, &store)?;
                print_challenge(printer, &domain, &challenge, &path)?;
                // Minting verifies nothing: only an explicit `--new-challenge` succeeds here,
                // so `verify-domain ... && deploy` on a runner without the saved challenge
                // stops instead of going on unverified.
                return Ok(ExitStatus::verdict(args.new_challenge));
            }
        }
    };

    let expected = domain::expected_value(&args.provider_id, &token);
    let record_name = domain.record_name();
    let rt = runtime()?;
    let (check, dns_servers, polls) = rt.block_on(async {
        let dns = Dns::new(&args.dns.nameservers, args.dns.timeout)?;
        let bar = spinner(printer);
        let result = poll_domain(&dns, &record_name, args, &token, bar.as_ref()).await;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        result.map(|(check, polls)| (check, dns.servers().to_owned(), polls))
    })?;

    let verified = check.outcome == DomainOutcome::Verified;
    let prefix = domain::provider_prefix(&args.provider_id);
    if printer.json() {
        let records: Vec<Value> = check
            .values
            .iter()
            .zip(&check.findings)
            .map(|(value, finding)| {
                let mut obj = serde_json::to_value(finding).unwrap_or_else(|_| json!({}));
                obj["value"] = json!(value);
                obj["detail"] = json!(finding.describe(&prefix));
                obj
            })
            .collect();
        printer.json_doc(&json!({
            "verified": verified,
            "outcome": check.outcome.name(),
            "domain": domain.ascii(),
            "domain_unicode": domain.unicode(),
            "provider_id": args.provider_id,
            "record_name": record_name,
            "record_type": "TXT",
            "expected_value": expected,
            "records": records,
            "cnames": check.cnames,
            "resolver": dns_servers,
            "checks": polls,
            "checked_at": Timestamp::now().as_str(),
        }))?;
    } else {
        if !check.values.is_empty() {
            let mut table = printer.new_table(&["TXT value", "finding"]);
            for (value, finding) in check.values.iter().zip(&check.findings).take(MAX_TXT_ROWS) {
                table.add_row(vec![
                    // Cut after escaping: an escaped control character takes several.
                    elide(&escape_terminal(value), MAX_TXT_CHARS),
                    elide(&escape_terminal(&finding.describe(&prefix)), MAX_TXT_CHARS),
                ]);
            }
            printer.table(&table)?;
            if check.values.len() > MAX_TXT_ROWS {
                printer.line(&format!(
                    "... and {} more TXT records (all of them with --json)",
                    check.values.len() - MAX_TXT_ROWS
                ))?;
            }
        }
        if !check.cnames.is_empty() {
            printer.line(&format!(
                "followed CNAME to {}",
                escape_terminal(&check.cnames.join(" -> "))
            ))?;
        }
        let text = match check.outcome {
            DomainOutcome::Verified => format!("{} (TXT {record_name} matches)", domain.display()),
            DomainOutcome::NoSuchName => format!("{record_name} does not exist (NXDOMAIN)"),
            DomainOutcome::NoTxt => format!("{record_name} exists but has no TXT record"),
            DomainOutcome::Mismatch if check.values.len() == 1 => {
                format!("the TXT record at {record_name} does not match")
            }
            DomainOutcome::Mismatch => format!(
                "none of the {} TXT records at {record_name} matches",
                check.values.len()
            ),
        };
        printer.line(&verdict_line(printer, verified, &text))?;
        if !verified {
            printer.line(&format!(
                "expected: {}",
                domain::zone_line(&domain, &expected)
            ))?;
        }
    }
    if verified && let Some(path) = &args.record {
        let rec = VerificationRecord::now(
            &args.provider_id,
            Level::Domain,
            "dns_txt",
            domain.ascii(),
            &format!("TXT {record_name} \"{expected}\""),
        );
        record::append(path, &rec)?;
        printer.debug(&format!(
            "appended a verification record to {}",
            path.display()
        ));
    }
    Ok(ExitStatus::verdict(verified))
}

async fn poll_domain(
    dns: &Dns,
    record_name: &str,
    args: &VerifyDomainArgs,
    token: &str,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<(DomainCheck, u32), DnsFailure> {
    let deadline = args.wait.map(|w| Instant::now() + w);
    let mut polls = 0;
    loop {
        polls += 1;
        if let Some(bar) = bar {
            bar.set_message(format!("looking up TXT {record_name} (check {polls})"));
        }
        let result = dns.txt(record_name).await.map(|(values, cnames)| {
            let (outcome, findings) = domain::decide(values.as_deref(), &args.provider_id, token);
            DomainCheck {
                outcome,
                values: values.unwrap_or_default(),
                findings,
                cnames,
            }
        });
        let done = matches!(&result, Ok(c) if c.outcome == DomainOutcome::Verified);
        let now = Instant::now();
        let Some(deadline) = deadline.filter(|d| !done && now < *d) else {
            return result.map(|c| (c, polls));
        };
        if let Some(bar) = bar {
            let last = match &result {
                Ok(c) => c.outcome.name().replace('_', " "),
                Err(e) => e.to_string(),
            };
            bar.set_message(format!(
                "waiting for TXT {record_name} (last check: {last})"
            ));
        }
        tokio::time::sleep(args.interval.min(deadline - now)).await;
        dns.clear_cache();
    }
}

fn print_challenge(
    printer: &mut Printer,
    domain: &Domain,
    challenge: &Challenge,
    state_path: &std::path::Path,
) -> Result<()> {
    let value = domain::expected_value(&challenge.provider_id, &challenge.token);
    let zone = domain::zone_line(domain, &value);
    let name = domain.record_name();
    if printer.json() {
        // `verified` and `outcome` as a check's document has them: `jq .verified` reads
        // false on a run that only minted.
        printer.json_doc(&json!({
            "verified": false,
            "outcome": "challenge_minted",
            "status": "challenge_minted",
            "domain": domain.ascii(),
            "domain_unicode": domain.unicode(),
            "provider_id": challenge.provider_id,
            "token": challenge.token,
            "record": {
                "name": name,
                "type": "TXT",
                "ttl": domain::SUGGESTED_TTL,
                "value": value,
                "zone_line": zone,
            },
            "state_file": state_path,
            "created_at": challenge.created_at,
        }))?;
    } else {
        printer.line(&format!(
            "Publish this TXT record in the DNS zone of {}, then run the same command again to check it:",
            domain.display()
        ))?;
        printer.line("")?;
        printer.line(&format!("  {zone}"))?;
        printer.line("")?;
        let mut table = printer.new_table(&["name", "type", "value"]);
        table.add_row(vec![name.clone(), "TXT".to_owned(), value]);
        printer.table(&table)?;
        printer.line(&escape_terminal(&format!(
            "The challenge is saved in {}; --new-challenge replaces it, --token checks another.",
            state_path.display()
        )))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// verify-email

/// Run `mcpbill verify-email`.
pub fn run_email(args: &VerifyEmailArgs, printer: &mut Printer) -> Result<ExitStatus> {
    let address = email::parse_address(&args.address)?;
    if let Some(id) = &args.provider_id {
        record::check_provider_id(id)?;
    }
    if let Some(path) = &args.record {
        record::check_target(path)?;
    }
    let domain_name = address.domain.ascii().to_owned();
    let rt = runtime()?;
    let (outcome, servers) = rt.block_on(async {
        let dns = Dns::new(&args.dns.nameservers, args.dns.timeout)?;
        let mx = dns.mx(&domain_name).await?;
        let addrs = if matches!(&mx, Lookup::Records(r) if r.is_empty()) {
            dns.addresses(&domain_name).await?
        } else {
            Vec::new()
        };
        let outcome = email::decide(mx, || Ok::<_, DnsFailure>(addrs))?;
        Ok::<_, DnsFailure>((outcome, dns.servers().to_owned()))
    })?;
    let verified = outcome.verified();
    let scope = "this shows the domain can receive mail; it does not prove anyone owns or reads the mailbox";
    if printer.json() {
        let (mx, addresses) = match &outcome {
            MailOutcome::Mx(mx) => (mx.clone(), Vec::new()),
            MailOutcome::AddressFallback(a) => (Vec::new(), a.clone()),
            _ => (Vec::new(), Vec::new()),
        };
        printer.json_doc(&json!({
            "verified": verified,
            "outcome": outcome.name(),
            "address": address.ascii(),
            "domain": address.domain.ascii(),
            "domain_unicode": address.domain.unicode(),
            "mx": mx,
            "addresses": addresses,
            "detail": outcome.describe(),
            "scope": scope,
            "resolver": servers,
            "checked_at": Timestamp::now().as_str(),
        }))?;
    } else {
        if let MailOutcome::Mx(mx) = &outcome {
            let mut table = printer.new_table(&["preference", "mail server"]);
            for m in mx {
                table.add_row(vec![m.preference.to_string(), escape_terminal(&m.exchange)]);
            }
            printer.table(&table)?;
        }
        printer.line(&verdict_line(
            printer,
            verified,
            &format!("{}: {}", address.ascii(), outcome.describe()),
        ))?;
        if verified {
            printer.note(&format!("note: {scope}"));
        }
    }
    if verified && let (Some(path), Some(provider_id)) = (&args.record, &args.provider_id) {
        let method = if matches!(outcome, MailOutcome::Mx(_)) {
            "dns_mx"
        } else {
            "dns_address"
        };
        let rec = VerificationRecord::now(
            provider_id,
            Level::Email,
            method,
            &address.ascii(),
            &outcome.describe(),
        );
        record::append(path, &rec)?;
        printer.debug(&format!(
            "appended a verification record to {}",
            path.display()
        ));
    }
    Ok(ExitStatus::verdict(verified))
}

// ---------------------------------------------------------------------------------------------
// verify-code

enum CodeTarget {
    Local(PathBuf),
    Url { url: reqwest::Url, base: String },
}

fn parse_target(target: &str, allow_http: bool) -> Result<CodeTarget> {
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        let url = reqwest::Url::parse(target)
            .with_context(|| format!("'{target}' is not a valid URL"))?;
        if url.scheme() == "http" && !allow_http {
            bail!("'{target}' is a plain http:// URL; use https:// or pass --allow-http");
        }
        let base = code::raw_base(&url);
        return Ok(CodeTarget::Url { url, base });
    }
    if let Some((scheme, _)) = target.split_once("://") {
        bail!("'{scheme}://' URLs are not supported; give a local directory or an https:// URL");
    }
    let path = PathBuf::from(target);
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => Ok(CodeTarget::Local(path)),
        Ok(_) => bail!("'{target}' is a file; give the repository's directory"),
        Err(e) => Err(anyhow!(e)).with_context(|| {
            format!(
                "cannot open the directory '{target}'; give a local checkout or an https:// URL"
            )
        }),
    }
}

/// Run `mcpbill verify-code`.
pub fn run_code(args: &VerifyCodeArgs, printer: &mut Printer) -> Result<ExitStatus> {
    record::check_provider_id(&args.provider_id)?;
    if let Some(path) = &args.record {
        record::check_target(path)?;
    }
    let target = parse_target(&args.target, args.allow_http)?;
    let (checks, subject, method, base) = match &target {
        CodeTarget::Local(dir) => {
            let checks = code::check_local(dir, &args.provider_id)
                .with_context(|| format!("cannot list the directory '{}'", dir.display()))?;
            let subject = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
            (checks, subject.display().to_string(), "repo_file", None)
        }
        CodeTarget::Url { url, base } => {
            let fetcher = Fetcher::new(args.timeout, args.allow_http)?;
            let rt = runtime()?;
            let checks = rt.block_on(fetcher.check_base(base, &args.provider_id));
            (checks, url.to_string(), "repo_url", Some(base.clone()))
        }
    };
    let outcome = code::decide(&checks);
    let verified = matches!(outcome, CodeOutcome::Verified { .. });
    let (text, name) = match &outcome {
        CodeOutcome::Verified { file } if file.ends_with(code::MANIFEST) => {
            (format!("{file} names '{}'", args.provider_id), "verified")
        }
        CodeOutcome::Verified { file } => (
            format!("{file} mentions '{}'", args.provider_id),
            "verified",
        ),
        CodeOutcome::OtherProvider { found } => (
            format!("{} names another provider ('{found}')", code::MANIFEST),
            "other_provider",
        ),
        CodeOutcome::NotFound => (
            format!(
                "no file names '{}' ({} naming it, or README / package.json / Cargo.toml mentioning it)",
                args.provider_id,
                code::MANIFEST
            ),
            "not_found",
        ),
        // A file that could not be fetched or read, and nothing else verifying: no
        // verdict. That is a network or I/O error (exit 2, nothing on stdout), as in
        // verify-domain and verify-email; the error names each file and why.
        CodeOutcome::Undecided { detail } => bail!("verify-code could not decide: {detail}"),
    };
    if printer.json() {
        let files: Vec<Value> = checks.iter().map(file_json).collect();
        printer.json_doc(&json!({
            "verified": verified,
            "outcome": name,
            "provider_id": args.provider_id,
            "target": subject,
            "base": base,
            "matched_file": match &outcome { CodeOutcome::Verified { file } => Some(file), _ => None },
            "files": files,
            "checked_at": Timestamp::now().as_str(),
        }))?;
    } else {
        let mut table = printer.new_table(&["file", "result"]);
        for check in &checks {
            table.add_row(vec![
                escape_terminal(&check.file),
                escape_terminal(&check.status.describe(&check.file, &args.provider_id)),
            ]);
        }
        printer.table(&table)?;
        printer.line(&verdict_line(printer, verified, &escape_terminal(&text)))?;
    }
    if let (CodeOutcome::Verified { file }, Some(path)) = (&outcome, &args.record) {
        let rec = VerificationRecord::now(&args.provider_id, Level::Code, method, &subject, file);
        record::append(path, &rec)?;
        printer.debug(&format!(
            "appended a verification record to {}",
            path.display()
        ));
    }
    Ok(ExitStatus::verdict(verified))
}

fn file_json(check: &FileCheck) -> Value {
    serde_json::to_value(check).unwrap_or_else(|_| json!({"file": check.file}))
}
