//! `vault hook`: print the integration script for a shell.

use std::io::Write as _;

use anyhow::Result;
use clap::CommandFactory as _;

use crate::cli::{Cli, HookArgs};
use crate::shell::engine;

pub fn run(args: HookArgs) -> Result<()> {
    let flags = global_value_flags();
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    write!(super::out(), "{}", engine::hook_script(args.shell, &args.cmd, args.mode, &flags)?)?;
    Ok(())
}

/// The global flags whose value may be the next word (`--prompt zenity`):
/// the hook's function skips that word when looking for the subcommand.
fn global_value_flags() -> Vec<String> {
    Cli::command()
        .get_arguments()
        .filter(|a| a.is_global_set() && a.get_action().takes_values())
        .filter_map(|a| a.get_long().map(|long| format!("--{long}")))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_flags_taking_a_value_are_found() {
        let flags = super::global_value_flags();
        for flag in ["--prompt", "--backend", "--file-dir", "--pass-cmd", "--keychain"] {
            assert!(flags.iter().any(|f| f == flag), "{flag}: {flags:?}");
        }
        assert!(!flags.iter().any(|f| f == "--debug" || f == "--help-long"), "{flags:?}");
    }
}
