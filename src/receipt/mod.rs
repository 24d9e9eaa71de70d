//! Receipts (spec section 2): the value type, the canonical string, HMAC-SHA256 signing and
//! verification, and the input/output hashes.

pub mod canonical;
mod model;
mod sign;

pub use canonical::{AmbiguousField, canonical_string, content_hash};
pub use model::{Receipt, ReceiptFields};
pub use sign::{Invalid, Verdict, sign_fields, verify_value};
