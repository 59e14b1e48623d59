//! One file per subcommand; this file dispatches, plus the one output helper
//! they share.

mod add;
mod clear;
mod complete;
mod completions;
mod exec;
mod export;
mod hook;
mod hook_env;
mod list;
mod login;
mod man;
mod migrate;
mod reload;
mod remove;
mod rotate;
mod status;
mod trust;
mod unuse;
mod use_;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::env::Env;

/// Runs the command; the status is the exit status of the process (`exec` with a
/// credential server passes its command's on).
pub fn run(cli: Cli) -> Result<ExitCode> {
    let ctx = Context::new(Env::from_process(), cli.global);
    match cli.command {
        Command::Add(args) => add::run(&ctx, args),
        Command::Remove(args) => remove::run(&ctx, args),
        Command::List(args) => list::run(&ctx, args),
        Command::Clear(args) => clear::run(&ctx, args),
        Command::Exec(args) => return exec::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Login(args) => login::run(&ctx, args),
        Command::Rotate(args) => rotate::run(&ctx, args),
        Command::Completions(args) => completions::run(args),
        Command::Migrate(args) => migrate::run(&ctx, args),
        Command::Hook(args) => hook::run(args),
        Command::HookEnv(args) => hook_env::run_prompt(&ctx, args),
        Command::Use(args) => use_::run(&ctx, args),
        Command::Unuse => unuse::run(&ctx),
        Command::Reload => reload::run(&ctx),
        Command::Allow(args) => trust::allow(&ctx, args),
        Command::Deny(args) => trust::deny(&ctx, args),
        Command::Status(args) => status::run(&ctx, args),
        Command::Man => man::run(),
        Command::Complete(args) => complete::run(&ctx, args),
    }?;
    Ok(ExitCode::SUCCESS)
}

/// Advice about how the credentials were made (e.g. a shortened duration),
/// on stderr so it never mixes with credential output.
fn print_notes(notes: &[String]) -> Result<()> {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    for note in notes {
        writeln!(err, "vault: note: {note}")?;
    }
    Ok(())
}
