//! Meter events (spec section 1): one record per tool invocation, and its status.

mod event;

pub use event::{MeterEvent, Status, read_status, read_timestamp};
