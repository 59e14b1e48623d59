//! `vault completions`: print the tab completion script for a shell.

use anyhow::Result;

use crate::cli::CompletionsArgs;

pub fn run(args: CompletionsArgs) -> Result<()> {
    print!("{}", args.shell.completion_script());
    Ok(())
}
