//! `vault completions`: print a completion script generated from `cli.rs`.

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, CompletionsArgs, ShellKind};

pub fn run(args: CompletionsArgs) -> Result<()> {
    let shell = match args.shell {
        ShellKind::Bash => Shell::Bash,
        ShellKind::Zsh => Shell::Zsh,
        ShellKind::Fish => Shell::Fish,
        ShellKind::Pwsh => Shell::PowerShell,
    };
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut Cli::command(), "vault", &mut out);
    Ok(())
}
