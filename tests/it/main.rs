//! The integration test binary: one module per subcommand, sharing `TestContext`.

mod check;
mod context;
mod forward;
mod generated;
mod http_util;
mod keygen;
mod online;
mod pricing;
mod serve;
mod verify;
