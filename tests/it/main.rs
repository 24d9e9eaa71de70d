//! The integration test binary: one module per subcommand, sharing `TestContext`.

mod context;
mod demo;
mod dispute;
mod export;
mod generated;
mod keygen;
mod logs;
mod peers;
mod pricing;
mod receipt;
mod report;
mod trust;
mod verify;
mod wrap;
