//! `mcpbill dispute file|list|show|update`: disputes (spec section 5) kept as an
//! append-only history in the log directory's `disputes.jsonl`.

mod cmd;
pub mod evidence;
mod model;
pub mod prompt;

pub use cmd::{choose, file, run};

pub use model::{
    Dispute, DisputeState, DisputeStatus, FiledByType, Ledger, Reason, Record, StatusChange,
    TransitionError, check_transition,
};

use std::path::Path;

use anyhow::Result;

use crate::eventlog::scan_file;

/// Fold a disputes log into the current state of every dispute; a missing file is an
/// empty ledger. Unreadable or contradictory lines are counted in `skipped`, the lines
/// that are dispute records (applied or not) in `records`.
pub fn load_ledger(path: &Path) -> Result<Ledger> {
    let mut ledger = Ledger::default();
    if crate::eventlog::look(path)?.is_none() {
        return Ok(ledger);
    }
    let mut records = 0;
    let stats = scan_file(path, |line| match serde_json::from_slice::<Record>(line) {
        Ok(rec) => {
            records += 1;
            ledger.apply(rec)
        }
        Err(_) => false,
    })?;
    ledger.skipped = stats.skipped;
    ledger.first_skip = stats.first_skip;
    ledger.records = records;
    ledger.lines = stats.lines + stats.skipped;
    Ok(ledger)
}
