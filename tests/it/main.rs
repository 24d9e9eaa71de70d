//! The integration test binary: one module per subcommand, sharing `TestContext`.

mod context;
mod generated;
mod keygen;
mod pricing;
mod receipt;
mod verify;
