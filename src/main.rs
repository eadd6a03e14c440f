//! The `shipshape` binary: parse arguments, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = shipshape::cli::hadolint_args(std::env::args_os().collect());
    let cli = shipshape::cli::Cli::parse_from(args);
    ExitCode::from(shipshape::cli::run(cli))
}
