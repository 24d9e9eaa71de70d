//! Receipts (spec section 2): the value type, the canonical string, HMAC-SHA256 signing and
//! verification, and the input/output hashes.

pub mod canonical;
mod issue;
mod model;
mod sign;

pub use canonical::{AmbiguousField, canonical_string, content_hash, output_hash};
pub use issue::{Draft, issue, verify_url};
pub use model::{Receipt, ReceiptFields};
pub use sign::{Invalid, Verdict, sign_fields, verify_value};
