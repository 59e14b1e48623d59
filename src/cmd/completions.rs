//! `vault completions`: print the tab completion script for a shell.

use std::io::Write as _;

use anyhow::Result;

use crate::cli::CompletionsArgs;

pub fn run(args: CompletionsArgs) -> Result<()> {
    write!(super::out(), "{}", args.shell.completion_script())?;
    Ok(())
}
