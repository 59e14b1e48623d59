//! `vault completions`: print the tab completion script for a shell.

use anyhow::Result;

use crate::cli::CompletionsArgs;

pub fn run(args: CompletionsArgs) -> Result<()> {
    print!("{}", super::hook_env::shell_of(args.shell).completion_script());
    Ok(())
}
