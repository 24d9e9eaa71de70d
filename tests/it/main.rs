//! The integration test binary: one module per subcommand, sharing `TestContext`.

mod check;
mod context;
mod demo;
mod forward;
mod generated;
mod http_util;
mod keygen;
mod online;
mod peers;
mod pricing;
mod receipt;
mod serve;
mod verify;
mod wrap;
