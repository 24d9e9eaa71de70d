//! Receipts (spec section 2): the value type, the canonical string, HMAC-SHA256 signing and
//! verification, and the input/output hashes.

pub mod borrowed;
pub mod canonical;
mod cmd;
mod issue;
pub mod keyring;
mod model;
mod sign;
pub mod stream;
mod verify;

pub use canonical::{
    AmbiguousField, canonical_head, canonical_string, content_hash, content_hash_json, jcs,
    output_hash, output_hash_json,
};
pub use cmd::run;
pub use issue::{Draft, check_verify_url_base, issue, verify_url};
pub use model::{Receipt, ReceiptFields};
pub use sign::{HmacSha256, Invalid, Verdict, keyed_mac, sign_fields, verify_value};
pub use verify::{KeySet, Outcome, verify_document, verify_line};
