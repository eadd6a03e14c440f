//! The `shipshape` binary: parse arguments, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = shipshape::cli::Cli::parse();
    ExitCode::from(shipshape::cli::run(cli))
}
