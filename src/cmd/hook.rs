//! `vault hook`: print the integration script for a shell.

use anyhow::Result;

use crate::cli::HookArgs;
use crate::shell::engine;

pub fn run(args: HookArgs) -> Result<()> {
    print!("{}", engine::hook_script(args.shell, &args.cmd, args.mode)?);
    Ok(())
}
