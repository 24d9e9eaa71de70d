//! The dispute and trust endpoints of `mcpbill serve`, on the dispute and trust cores:
//! `POST /api/disputes` files into `disputes.jsonl` with the CLI's validation, and
//! `GET /api/providers/{id}/trust` scores a provider from the log (cached briefly).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::{Value, json};

use crate::dispute::evidence::{evidence_for, find_event};
use crate::dispute::prompt::ScriptedPrompter;
use crate::dispute::{Dispute, DisputeStatus, FiledByType, Reason, Record, choose, load_ledger};
use crate::eventlog::{LogDir, Partition, append_line};
use crate::ids::{IdKind, new_id};
use crate::key::Secret;
use crate::pricing::PricingFile;
use crate::receipt::{Receipt, verify_value};
use crate::trust::{ProviderTrust, TrustAcc, TrustInputs, compute};

use super::keys::Principal;

/// How long a computed trust table is reused.
pub const TRUST_CACHE: Duration = Duration::from_secs(60);
/// The trust window (DECISIONS: 30 days).
pub const WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

/// Why a filing was refused: (HTTP status, code, message).
pub type Refusal = (u16, &'static str, String);

/// File a dispute from a request body on behalf of `who`; `receipt` is the stored
/// receipt the body names (looked up by the caller).
pub fn file_dispute(
    log: &LogDir,
    key: &Secret,
    pricing: Option<&PricingFile>,
    cancelled: &std::sync::atomic::AtomicBool,
    who: &Principal,
    body: &serde_json::Map<String, Value>,
    lookup: impl FnOnce(&str) -> Result<Option<Value>>,
) -> Result<Result<Dispute, Refusal>> {
    let bad = |m: String| Ok(Err((400, "bad_dispute", m)));
    for k in body.keys() {
        if ![
            "dispute_id",
            "status",
            "created_at",
            "receipt_id",
            "reason",
            "description",
            "evidence",
            "filed_by",
            "filed_by_type",
        ]
        .contains(&k.as_str())
        {
            return bad(format!("unknown field '{k}'"));
        }
    }
    if body.get("status").is_some_and(|st| st != "filed") {
        return bad("a new dispute's status must be \"filed\"".into());
    }
    let dispute_id = match body.get("dispute_id") {
        None | Some(Value::Null) => new_id(IdKind::Dispute),
        Some(Value::String(id)) if crate::ids::validate(IdKind::Dispute, id).is_ok() => id.clone(),
        Some(_) => {
            return bad(
                "dispute_id must be 'disp_' followed by 16 or more lowercase hex characters".into(),
            );
        }
    };
    let Some(receipt_id) = body.get("receipt_id").and_then(Value::as_str) else {
        return bad("missing field 'receipt_id' (a string)".into());
    };
    if let Err(e) = crate::ids::validate(IdKind::Receipt, receipt_id) {
        return bad(e.to_string());
    }
    let reason: Reason = match body
        .get("reason")
        .map(|r| serde_json::from_value(r.clone()))
    {
        Some(Ok(r)) => r,
        _ => {
            return bad(
                "reason must be one of tool_error, overcharge, timeout, quality, other".into(),
            );
        }
    };
    let description = match body.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.len() <= 4000 => Some(s.as_str()),
        Some(_) => return bad("description must be a string of at most 4000 bytes".into()),
    };
    let submitted = match body.get("evidence") {
        None | Some(Value::Null) => Value::Object(serde_json::Map::new()),
        Some(v @ Value::Object(_)) => v.clone(),
        Some(_) => return bad("evidence must be an object".into()),
    };
    let mut prompter = ScriptedPrompter::new([]);
    let (reason, description, _) = match choose(Some(reason), description, false, &mut prompter) {
        Ok(x) => x,
        Err(e) => return bad(format!("{e:#}").replace("--description TEXT", "\"description\"")),
    };
    let filed_by_type = match who.role {
        crate::cli::KeyRole::Agent => FiledByType::Agent,
        crate::cli::KeyRole::Provider => FiledByType::Provider,
    };
    if let Some(t) = body.get("filed_by_type")
        && serde_json::from_value::<FiledByType>(t.clone()).ok() != Some(filed_by_type)
    {
        return Ok(Err((
            403,
            "forbidden",
            "filed_by_type must match the API key's role".into(),
        )));
    }
    if let Some(f) = body.get("filed_by")
        && f.as_str() != Some(who.id.as_str())
    {
        return Ok(Err((
            403,
            "forbidden",
            "filed_by must be the API key's own id".into(),
        )));
    }
    let Some(doc) = lookup(receipt_id)? else {
        return Ok(Err((
            404,
            "unknown_receipt",
            format!("no receipt '{receipt_id}' in this provider's log"),
        )));
    };
    let Ok(receipt) = Receipt::from_value(&doc) else {
        return Ok(Err((
            422,
            "bad_receipt",
            format!("the stored receipt '{receipt_id}' is not a valid receipt"),
        )));
    };
    let party = match filed_by_type {
        FiledByType::Agent => &receipt.agent_id,
        FiledByType::Provider => &receipt.provider_id,
    };
    if *party != who.id {
        return Ok(Err((
            403,
            "forbidden",
            "only the receipt's agent or provider may dispute it".into(),
        )));
    }
    let mut dispute = Dispute::filed(
        dispute_id,
        &receipt,
        who.id.clone(),
        filed_by_type,
        reason,
        description,
        json!({}),
    );
    let path = log.disputes();
    // Answered from the disputes log before the evidence is gathered (a scan of the
    // month's events): a repeat or a conflict costs no scan.
    if let Some(answer) = already_settled(&load_ledger(&path)?, &dispute) {
        return Ok(answer);
    }
    let v = verify_value(&doc, |_| Some(key));
    let signature =
        json!({"checked": true, "valid": v.valid(), "detail": v.invalid.map(|i| i.to_string())});
    // The same evidence as `dispute file`, from the receipt's month of the log only (a
    // request never scans the whole history), plus what the filer sent.
    let month_file = log.partition(Partition::Events, receipt.timestamp.month());
    let files: Vec<PathBuf> = month_file
        .is_file()
        .then_some(month_file)
        .into_iter()
        .collect();
    let event = find_event(&files, &receipt, false)?;
    let pricing = pricing.filter(|p| p.provider_id == receipt.provider_id);
    (dispute.evidence, _) = evidence_for(&doc, &signature, &event, pricing, &receipt, reason)?;
    dispute.evidence["submitted"] = submitted;
    let _lock = log.lock()?;
    // Checked again under the lock: another filing may have raced this one.
    if let Some(answer) = already_settled(&load_ledger(&path)?, &dispute) {
        return Ok(answer);
    }
    if cancelled.load(std::sync::atomic::Ordering::SeqCst) {
        // The client was answered 408 already: it must not find the dispute filed.
        return Ok(Err((
            408,
            "timeout",
            "the request took longer than the server's request timeout; nothing was filed".into(),
        )));
    }
    append_line(&path, &serde_json::to_vec(&Record::Filed(dispute.clone()))?)?;
    Ok(Ok(dispute))
}

/// What the disputes log already says about this filing: the same filing sent again (a
/// retry whose first answer was lost) is answered with the dispute as first filed; its id
/// taken by another filing, or an open dispute on its receipt, is a conflict.
fn already_settled(
    ledger: &crate::dispute::Ledger,
    dispute: &Dispute,
) -> Option<Result<Dispute, Refusal>> {
    if let Some(known) = ledger.get(&dispute.dispute_id) {
        let d = &known.dispute;
        if d.receipt_id == dispute.receipt_id
            && d.filed_by == dispute.filed_by
            && d.reason == dispute.reason
            && d.description == dispute.description
        {
            return Some(Ok(d.clone()));
        }
        return Some(Err((
            409,
            "dispute_id_taken",
            format!(
                "dispute id {} is already taken by another filing; leave dispute_id out to have one assigned",
                dispute.dispute_id
            ),
        )));
    }
    let open = ledger.open_for_receipt(&dispute.receipt_id)?;
    Some(Err((
        409,
        "dispute_open",
        format!(
            "receipt {} already has an open dispute ({})",
            dispute.receipt_id, open.dispute.dispute_id
        ),
    )))
}

/// Trust scores computed from the log, reused for [`TRUST_CACHE`]. While one request
/// recomputes them (a scan of the month's log), the others are answered from the scores
/// before, instead of queueing behind it.
#[derive(Debug, Default)]
pub struct TrustCache {
    at: Option<Instant>,
    scores: HashMap<String, ProviderTrust>,
    /// A request is recomputing the scores, since then.
    computing: Option<Instant>,
}

/// How long a recompute may run before another request takes it over (it failed).
const RECOMPUTE_LIMIT: Duration = Duration::from_secs(300);

impl TrustCache {
    /// The score of `provider` when the cache can answer: its scores are fresh, or another
    /// request is recomputing stale ones. `None`: the caller recomputes them
    /// ([`compute_scores`]) and hands them to [`TrustCache::store`] (or calls
    /// [`TrustCache::failed`]).
    pub fn cached(&mut self, provider: &str) -> Option<Option<ProviderTrust>> {
        let fresh = self.at.is_some_and(|t| t.elapsed() <= TRUST_CACHE);
        let other_computing = self.at.is_some()
            && self
                .computing
                .is_some_and(|since| since.elapsed() < RECOMPUTE_LIMIT);
        if fresh || other_computing {
            return Some(self.scores.get(provider).cloned());
        }
        self.computing = Some(Instant::now());
        None
    }

    /// New scores, just computed.
    pub fn store(&mut self, scores: HashMap<String, ProviderTrust>) {
        self.scores = scores;
        self.at = Some(Instant::now());
        self.computing = None;
    }

    /// The recompute failed: the next request tries again.
    pub fn failed(&mut self) {
        self.computing = None;
    }
}

/// Every provider's trust score over the log's last [`WINDOW`], as `mcpbill trust` computes it.
pub fn compute_scores(
    log_dir: &Path,
    verifications: &[PathBuf],
    named: &[String],
) -> Result<HashMap<String, ProviderTrust>> {
    // It existed at start: gone now, it would read as a log without events, and score zeros.
    if !log_dir.is_dir() {
        anyhow::bail!(
            "the log directory '{}' is gone; restore it or restart serve with its --log-dir",
            log_dir.display()
        );
    }
    let as_of = chrono::Utc::now().timestamp_millis();
    let from = as_of - i64::try_from(WINDOW.as_millis()).unwrap_or(0);
    let files = crate::analytics::event_inputs(&[], log_dir)?;
    let mut inputs = TrustInputs {
        min_calls: 20,
        named: named.to_vec(),
        ..TrustInputs::default()
    };
    for v in verifications {
        crate::trust::read_verifications(v, as_of, &mut inputs.levels)?;
    }
    let ledger = load_ledger(&LogDir::existing(log_dir).disputes())?;
    for d in &ledger.disputes {
        if let Some(at) = crate::scan::time::parse_millis(&d.dispute.created_at)
            && at >= from
            && at < as_of
            && d.current != DisputeStatus::ResolvedDenied
        {
            *inputs
                .disputes
                .entry(d.dispute.provider_id.clone())
                .or_default() += 1;
        }
    }
    // Nothing checks for events recorded twice here: no fingerprints are kept.
    let opts = crate::scan::ScanOptions {
        progress: false,
        repeats: false,
        ..crate::scan::ScanOptions::auto(true)
    };
    let (acc, _) =
        crate::scan::scan_events(&files, opts, || TrustAcc::new(from, as_of), TrustAcc::add)?;
    Ok(compute(&acc, &inputs)
        .into_iter()
        .map(|s| (s.provider_id.clone(), s))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_request_recomputes_while_the_others_get_the_scores_before() {
        let mut cache = TrustCache::default();
        // Nothing computed yet: every request computes (nothing to answer with).
        assert!(cache.cached("p").is_none());
        assert!(cache.cached("p").is_none());
        cache.store(HashMap::new());
        assert_eq!(cache.cached("p"), Some(None));
        // Stale: the first request claims the recompute, the next ones are answered.
        cache.at = Instant::now().checked_sub(TRUST_CACHE + Duration::from_secs(1));
        if cache.at.is_none() {
            return; // the clock is too young to go back; nothing to check
        }
        assert!(cache.cached("p").is_none());
        assert_eq!(cache.cached("p"), Some(None));
        // A failed recompute lets the next request try again.
        cache.failed();
        assert!(cache.cached("p").is_none());
    }
}
