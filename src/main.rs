//! `vault`: keeps AWS credentials in a secret backend and hands out
//! short-lived ones where they are needed.

mod atomic_write;
mod aws_error;
mod cli;
mod cmd;
mod complete;
mod config;
mod console;
mod context;
mod credential_vars;
mod creds;
mod env;
mod iam;
mod logging;
mod rotate;
mod server;
mod shell;
mod store;
mod sts;
mod trust;
mod tty;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::store::StoreError;
use crate::sts::MfaError;
use crate::tty::TtyError;

/// Exit status when a prompt was cancelled with Ctrl-C, as a shell reports a
/// process killed by SIGINT.
const EXIT_CANCELLED: u8 = 130;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    logging::init(cli.global.debug);
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => report(&err),
    }
}

/// Prints the error as one line and picks the exit status.
fn report(err: &anyhow::Error) -> ExitCode {
    let mut cancelled = false;
    for cause in err.chain() {
        // Output piped into `head` and closed early is not a failure.
        if let Some(ioerr) = cause.downcast_ref::<io::Error>()
            && ioerr.kind() == io::ErrorKind::BrokenPipe
        {
            return ExitCode::SUCCESS;
        }
        if matches!(cause.downcast_ref(), Some(TtyError::Cancelled { .. }))
            || matches!(cause.downcast_ref(), Some(StoreError::Cancelled))
            || matches!(cause.downcast_ref(), Some(MfaError::Prompt(TtyError::Cancelled { .. })))
        {
            cancelled = true;
        }
    }
    let line = format!("{err:#}").replace('\n', " ");
    let _ = writeln!(io::stderr().lock(), "vault: {line}");
    if cancelled { ExitCode::from(EXIT_CANCELLED) } else { ExitCode::FAILURE }
}
