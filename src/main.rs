//! The `vault` binary: parses the command line, runs the command, and turns
//! an error into the exit status. Everything else is in the library.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory as _, FromArgMatches as _};

fn main() -> ExitCode {
    // The hook runs `vault hook-env SHELL` at a change of folder: the one
    // command it needs is set up alone.
    let hook = std::env::args_os().nth(1).is_some_and(|arg| arg == "hook-env");
    let mut command =
        if hook { vault::cli::hook_env_command() } else { vault::cli::Cli::command() };
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|matches| vault::cli::Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => match err.kind() {
            // The list of commands shows each one's summary, which is built
            // with its arguments, only for the command that runs.
            ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                let mut full = vault::cli::full_command();
                let err = full.try_get_matches_from_mut(std::env::args_os()).err().unwrap_or(err);
                err.format(&mut full).exit()
            }
            // A usage error is one `vault: ...` line, like every other error.
            _ => return vault::cmd::report_usage(&err.format(&mut command)),
        },
    };
    // Freeing the command-line tree took a tenth of a warm `export` (the
    // hook's and `credential_process`'s path); the process ends soon anyway.
    std::mem::forget(command);
    match vault::cmd::run(cli) {
        Ok(code) => code,
        Err(err) => vault::cmd::report(&err),
    }
}
