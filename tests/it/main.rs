//! The integration test binary: one module per subcommand, sharing `TestContext`.

mod check;
mod cli;
mod context;
mod demo;
mod dispute;
mod export;
mod forward;
mod generated;
mod http_util;
mod keygen;
mod logs;
mod online;
mod peers;
mod pricing;
mod receipt;
mod report;
mod serve;
mod trust;
mod verify;
mod wrap;
