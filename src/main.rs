//! The `vault` binary: parses the command line, runs the command, and turns
//! an error into the exit status. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = vault::cli::Cli::parse();
    match vault::cmd::run(cli) {
        Ok(code) => code,
        Err(err) => vault::cmd::report(&err),
    }
}
