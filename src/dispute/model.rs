//! Disputes (spec section 5) as an append-only history: the record types of
//! `disputes.jsonl`, the enforced status flow, and the fold that turns the history
//! into each dispute's current state.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a charge is contested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Reason {
    /// The tool returned an error but the agent was charged.
    ToolError,
    /// The charge exceeds the declared pricing.
    Overcharge,
    /// The tool timed out but the agent was charged.
    Timeout,
    /// The output does not match the tool's description.
    Quality,
    /// Anything else (a description is required).
    Other,
}

impl Reason {
    /// Every reason, in spec order.
    pub const ALL: [Reason; 5] = [
        Reason::ToolError,
        Reason::Overcharge,
        Reason::Timeout,
        Reason::Quality,
        Reason::Other,
    ];

    /// The spec spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ToolError => "tool_error",
            Reason::Overcharge => "overcharge",
            Reason::Timeout => "timeout",
            Reason::Quality => "quality",
            Reason::Other => "other",
        }
    }

    /// A one-line explanation (for prompts).
    pub fn describe(self) -> &'static str {
        match self {
            Reason::ToolError => "tool_error: the tool returned an error but I was charged",
            Reason::Overcharge => "overcharge: the charge exceeds the declared pricing",
            Reason::Timeout => "timeout: the tool timed out but I was charged",
            Reason::Quality => "quality: the output does not match the tool's description",
            Reason::Other => "other: something else (describe it)",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a dispute stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum DisputeStatus {
    /// Created.
    Filed,
    /// Being investigated.
    UnderReview,
    /// Full refund issued to the agent.
    ResolvedRefund,
    /// Rejected; the charge stands.
    ResolvedDenied,
    /// Partial credit or another resolution.
    ResolvedCredit,
}

impl DisputeStatus {
    /// The spec spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::Filed => "filed",
            DisputeStatus::UnderReview => "under_review",
            DisputeStatus::ResolvedRefund => "resolved_refund",
            DisputeStatus::ResolvedDenied => "resolved_denied",
            DisputeStatus::ResolvedCredit => "resolved_credit",
        }
    }

    /// Still open (filed or under review).
    pub fn is_open(self) -> bool {
        matches!(self, DisputeStatus::Filed | DisputeStatus::UnderReview)
    }

    /// The statuses reachable from this one.
    pub fn next(self) -> &'static [DisputeStatus] {
        match self {
            DisputeStatus::Filed => &[DisputeStatus::UnderReview],
            DisputeStatus::UnderReview => &[
                DisputeStatus::ResolvedRefund,
                DisputeStatus::ResolvedDenied,
                DisputeStatus::ResolvedCredit,
            ],
            _ => &[],
        }
    }
}

impl fmt::Display for DisputeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DisputeStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        <DisputeStatus as clap::ValueEnum>::from_str(s, false)
            .map_err(|_| format!("unknown dispute status '{s}'"))
    }
}

/// Who filed a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum FiledByType {
    /// The consumer of the tool.
    Agent,
    /// The tool operator.
    Provider,
}

/// A dispute as filed (spec section 5, plus the receipt's parties for filtering).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispute {
    /// `disp_` id.
    pub dispute_id: String,
    /// The contested receipt.
    pub receipt_id: String,
    /// Agent or provider id of the filer.
    pub filed_by: String,
    /// Whether the filer is the agent or the provider.
    pub filed_by_type: FiledByType,
    /// Why.
    pub reason: Reason,
    /// Human-readable description.
    #[serde(default)]
    pub description: String,
    /// Evidence collected when filing.
    #[serde(default)]
    pub evidence: Value,
    /// Status at filing (always `filed`).
    pub status: DisputeStatus,
    /// When it was filed (RFC 3339).
    pub created_at: String,
    /// The receipt's provider (the party the dispute counts against).
    pub provider_id: String,
    /// The receipt's agent.
    pub agent_id: String,
    /// The receipt's tool.
    #[serde(default)]
    pub tool_id: String,
    /// The contested charge.
    #[serde(default)]
    pub cost_microcents: u64,
}

impl Dispute {
    /// A new dispute in status `filed` over `receipt`, dated now; the receipt's parties,
    /// tool and charge are copied so the log can be read without the receipts.
    pub fn filed(
        dispute_id: String,
        receipt: &crate::receipt::Receipt,
        filed_by: String,
        filed_by_type: FiledByType,
        reason: Reason,
        description: String,
        evidence: Value,
    ) -> Self {
        Dispute {
            dispute_id,
            receipt_id: receipt.receipt_id.clone(),
            filed_by,
            filed_by_type,
            reason,
            description,
            evidence,
            status: DisputeStatus::Filed,
            created_at: crate::time::Timestamp::now().to_string(),
            provider_id: receipt.provider_id.clone(),
            agent_id: receipt.agent_id.clone(),
            tool_id: receipt.tool_id.clone(),
            cost_microcents: receipt.cost_microcents,
        }
    }
}

/// A change of status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The dispute.
    pub dispute_id: String,
    /// Status before.
    pub from: DisputeStatus,
    /// Status after.
    pub to: DisputeStatus,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Credit granted (only with `resolved_credit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_microcents: Option<u64>,
    /// When (RFC 3339).
    pub at: String,
}

/// One line of `disputes.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    /// A new dispute.
    Filed(Dispute),
    /// A status change.
    Status(StatusChange),
}

/// A dispute and everything that happened to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisputeState {
    /// The dispute as filed.
    #[serde(flatten)]
    pub dispute: Dispute,
    /// Current status (written as `status` by [`DisputeState::to_json`]).
    #[serde(skip)]
    pub current: DisputeStatus,
    /// Credit granted, when resolved with credit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit_microcents: Option<u64>,
    /// When the status last changed.
    pub updated_at: String,
    /// Every status change, oldest first.
    pub history: Vec<StatusChange>,
}

impl DisputeState {
    /// The JSON form: the dispute with `status` set to the current status, plus
    /// `credit_microcents`, `updated_at` and `history`.
    pub fn to_json(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("status".to_owned(), Value::from(self.current.as_str()));
        }
        v
    }
}

/// A refused status change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Not allowed by the status flow.
    #[error("cannot move dispute {id} from {from} to {to}; allowed from {from}: {allowed}")]
    NotAllowed {
        /// The dispute.
        id: String,
        /// Current status.
        from: DisputeStatus,
        /// Requested status.
        to: DisputeStatus,
        /// What is allowed.
        allowed: String,
    },
    /// `resolved_credit` without an amount.
    #[error(
        "resolved_credit needs the credit granted; pass --credit AMOUNT (e.g. --credit '$0.02')"
    )]
    CreditMissing,
    /// A credit of nothing: resolved_credit is final, and $0 credits no one.
    #[error(
        "a credit of $0 credits nothing, and resolved_credit cannot be changed later; pass the amount granted, or resolve with --status resolved_denied"
    )]
    CreditZero,
    /// An amount with another status.
    #[error("--credit is only allowed with --status resolved_credit")]
    CreditNotAllowed,
}

/// Check a requested status change.
pub fn check_transition(
    id: &str,
    from: DisputeStatus,
    to: DisputeStatus,
    credit: Option<u64>,
) -> Result<(), TransitionError> {
    if !from.next().contains(&to) {
        let allowed = if from.next().is_empty() {
            "nothing (the dispute is resolved)".to_owned()
        } else {
            from.next()
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(TransitionError::NotAllowed {
            id: id.to_owned(),
            from,
            to,
            allowed,
        });
    }
    match (to, credit) {
        (DisputeStatus::ResolvedCredit, None) => Err(TransitionError::CreditMissing),
        (DisputeStatus::ResolvedCredit, Some(0)) => Err(TransitionError::CreditZero),
        (s, Some(_)) if s != DisputeStatus::ResolvedCredit => {
            Err(TransitionError::CreditNotAllowed)
        }
        _ => Ok(()),
    }
}

/// The current state of every dispute, folded from the history lines.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Disputes in filing order.
    pub disputes: Vec<DisputeState>,
    index: HashMap<String, usize>,
    /// Lines that could not be read or that contradict the history.
    pub skipped: u64,
    /// Where the first of them starts.
    pub first_skip: Option<crate::eventlog::SkipAt>,
    /// Lines that are dispute records, applied or not.
    pub records: u64,
    /// Non-blank lines read.
    pub lines: u64,
}

impl Ledger {
    /// Apply one history line; `false` when it was unreadable or inconsistent
    /// (a second filing of the same id, a change the flow does not allow).
    pub fn apply_line(&mut self, line: &[u8]) -> bool {
        match serde_json::from_slice::<Record>(line) {
            Ok(rec) => self.apply(rec),
            Err(_) => false,
        }
    }

    /// Apply one record.
    pub fn apply(&mut self, rec: Record) -> bool {
        match rec {
            Record::Filed(d) => {
                if self.index.contains_key(&d.dispute_id) || d.status != DisputeStatus::Filed {
                    return false;
                }
                self.index.insert(d.dispute_id.clone(), self.disputes.len());
                self.disputes.push(DisputeState {
                    current: DisputeStatus::Filed,
                    credit_microcents: None,
                    updated_at: d.created_at.clone(),
                    history: Vec::new(),
                    dispute: d,
                });
                true
            }
            Record::Status(c) => {
                let Some(&i) = self.index.get(&c.dispute_id) else {
                    return false;
                };
                let state = &mut self.disputes[i];
                if state.current != c.from
                    || check_transition(&c.dispute_id, c.from, c.to, c.credit_microcents).is_err()
                {
                    return false;
                }
                state.current = c.to;
                state.credit_microcents = c.credit_microcents;
                state.updated_at.clone_from(&c.at);
                state.history.push(c);
                true
            }
        }
    }

    /// A dispute by id.
    pub fn get(&self, id: &str) -> Option<&DisputeState> {
        self.index.get(id).map(|&i| &self.disputes[i])
    }

    /// What resolved disputes on a receipt already returned of its charge (a refund returns
    /// all of it, a credit its amount), and the first of them, leaving out `except`.
    pub fn returned_on(&self, receipt_id: &str, except: &str) -> (u64, Option<&DisputeState>) {
        let mut total = 0u64;
        let mut first = None;
        for d in &self.disputes {
            if d.dispute.receipt_id != receipt_id || d.dispute.dispute_id == except {
                continue;
            }
            let returned = match d.current {
                DisputeStatus::ResolvedRefund => d.dispute.cost_microcents,
                DisputeStatus::ResolvedCredit => d.credit_microcents.unwrap_or(0),
                _ => continue,
            };
            total = total.saturating_add(returned);
            first.get_or_insert(d);
        }
        (total, first)
    }

    /// The dispute whose copy of a receipt the later ones must match: the first filed
    /// from a copy whose signature was not found bad (a copy found bad sets no rule).
    pub fn first_on(&self, receipt_id: &str) -> Option<&DisputeState> {
        self.disputes.iter().find(|d| {
            d.dispute.receipt_id == receipt_id && d.dispute.evidence["signature"]["valid"] != false
        })
    }

    /// The open dispute on a receipt, if any.
    pub fn open_for_receipt(&self, receipt_id: &str) -> Option<&DisputeState> {
        self.disputes
            .iter()
            .find(|d| d.dispute.receipt_id == receipt_id && d.current.is_open())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DisputeStatus::*;

    #[test]
    fn every_transition() {
        let all = [
            Filed,
            UnderReview,
            ResolvedRefund,
            ResolvedDenied,
            ResolvedCredit,
        ];
        for from in all {
            for to in all {
                let credit = (to == ResolvedCredit).then_some(100);
                let ok = matches!(
                    (from, to),
                    (Filed, UnderReview)
                        | (
                            UnderReview,
                            ResolvedRefund | ResolvedDenied | ResolvedCredit
                        )
                );
                assert_eq!(
                    check_transition("d", from, to, credit).is_ok(),
                    ok,
                    "{from} -> {to}"
                );
            }
        }
        assert_eq!(
            check_transition("d", UnderReview, ResolvedCredit, None),
            Err(TransitionError::CreditMissing)
        );
        assert_eq!(
            check_transition("d", UnderReview, ResolvedCredit, Some(0)),
            Err(TransitionError::CreditZero)
        );
        assert_eq!(
            check_transition("d", UnderReview, ResolvedRefund, Some(5)),
            Err(TransitionError::CreditNotAllowed)
        );
        let msg = check_transition("disp_x", Filed, ResolvedRefund, None)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("from filed to resolved_refund") && msg.contains("under_review"),
            "{msg}"
        );
    }

    fn filed(id: &str, receipt: &str) -> Record {
        Record::Filed(Dispute {
            dispute_id: id.into(),
            receipt_id: receipt.into(),
            filed_by: "a1".into(),
            filed_by_type: FiledByType::Agent,
            reason: Reason::ToolError,
            description: String::new(),
            evidence: Value::Null,
            status: Filed,
            created_at: "2026-11-01T00:00:00Z".into(),
            provider_id: "acme".into(),
            agent_id: "a1".into(),
            tool_id: "search".into(),
            cost_microcents: 50_000,
        })
    }

    fn change(id: &str, from: DisputeStatus, to: DisputeStatus) -> Record {
        Record::Status(StatusChange {
            dispute_id: id.into(),
            from,
            to,
            note: None,
            credit_microcents: (to == ResolvedCredit).then_some(10),
            at: "2026-11-02T00:00:00Z".into(),
        })
    }

    #[test]
    fn fold_keeps_history_and_rejects_contradictions() {
        let mut l = Ledger::default();
        assert!(l.apply(filed("d1", "r1")));
        assert!(!l.apply(filed("d1", "r1")));
        assert!(l.open_for_receipt("r1").is_some());
        assert!(!l.apply(change("d1", UnderReview, ResolvedRefund)));
        assert!(l.apply(change("d1", Filed, UnderReview)));
        assert!(l.apply(change("d1", UnderReview, ResolvedCredit)));
        assert!(!l.apply(change("d1", ResolvedCredit, UnderReview)));
        assert!(!l.apply(change("nope", Filed, UnderReview)));
        let d = l.get("d1").unwrap();
        assert_eq!(d.current, ResolvedCredit);
        assert_eq!(d.credit_microcents, Some(10));
        assert_eq!(d.history.len(), 2);
        assert!(l.open_for_receipt("r1").is_none());
        // Round trip through JSON lines.
        let line = serde_json::to_string(&change("d1", Filed, UnderReview)).unwrap();
        assert!(line.starts_with("{\"type\":\"status\""), "{line}");
        assert!(!Ledger::default().apply_line(b"{\"type\":\"filed\""));
    }
}
