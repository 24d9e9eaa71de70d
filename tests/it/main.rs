//! The integration test binary: one module per subcommand, sharing `TestContext`.

mod context;
mod demo;
mod generated;
mod keygen;
mod peers;
mod pricing;
mod receipt;
mod verify;
mod wrap;
