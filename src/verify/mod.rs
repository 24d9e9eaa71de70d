//! Provider verification (spec section 4): domain TXT challenges, email deliverability and code
//! ownership, plus the verification records file. Pure cores in `domain`, `email`, `code`; I/O
//! edges in `dns`, `http`, `state`, `record`; the three command glues in `glue`.

pub mod code;
pub mod dns;
pub mod domain;
pub mod email;
mod glue;
pub mod http;
pub mod record;
pub mod state;

pub use glue::{run_code, run_domain, run_email};
pub use record::{Level, VerificationRecord};
