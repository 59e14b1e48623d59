//! `vault hook`: print the integration script for a shell.

use anyhow::{Context as _, Result, bail};

use crate::cli::HookArgs;
use crate::shell;

pub fn run(args: HookArgs) -> Result<()> {
    if !shell::valid_function_name(&args.cmd) {
        bail!("--cmd {:?} is not a usable function name; use letters, digits, _ and -", args.cmd);
    }
    // The absolute path, so the hook keeps working whatever PATH holds later.
    let exe = std::env::current_exe().context("could not find the path of this vault binary")?;
    let exe = exe.to_str().context("the path of this vault binary is not UTF-8")?;
    print!("{}", super::hook_env::shell_of(args.shell).hook_script(exe, &args.cmd));
    Ok(())
}
