//! The integration test binary: one module per subcommand, sharing `TestContext`.

mod context;
mod generated;
mod keygen;
mod pricing;
mod logs;
mod trust;
mod dispute;
mod export;
mod report;
