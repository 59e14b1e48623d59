//! `vault hook`: print the integration script for a shell.

use std::io::Write as _;

use anyhow::Result;

use crate::cli::HookArgs;
use crate::shell::engine;

pub fn run(args: HookArgs) -> Result<()> {
    write!(super::out(), "{}", engine::hook_script(args.shell, &args.cmd, args.mode)?)?;
    Ok(())
}
