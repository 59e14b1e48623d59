//! One file per subcommand; this file dispatches, plus the one output helper
//! they share.

mod add;
mod clear;
mod completions;
mod exec;
mod export;
mod list;
mod remove;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::env::Env;

pub fn run(cli: Cli) -> Result<()> {
    let ctx = Context::new(Env::from_process(), cli.global);
    match cli.command {
        Command::Add(args) => add::run(&ctx, args),
        Command::Remove(args) => remove::run(&ctx, args),
        Command::List(args) => list::run(&ctx, args),
        Command::Clear(args) => clear::run(&ctx, args),
        Command::Exec(args) => exec::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Completions(args) => completions::run(args),
    }
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
