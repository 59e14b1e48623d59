//! The arguments of the shell integration commands: `hook`, `use`,
//! `allow`/`deny`, `status`, `completions`, and the hidden `hook-env` and
//! `__complete` that the scripts call (`unuse` and `reload` take none).

use std::path::PathBuf;

use clap::Args;

use crate::shell::{HookMode, Shell};

/// Print a shell completion script
///
/// The script completes commands, flags and profile names: those of the AWS
/// config file and of the stored credentials (their names only: nothing is
/// unlocked and AWS is not called). At each TAB it asks the `vault` found on
/// PATH. `vault hook` registers the same completion, so with the hook loaded
/// you need nothing more; without it, load this script from your shell's
/// startup file or save it where your shell looks for completions.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  # bash (~/.bashrc)
  $ eval \"$(vault completions bash)\"

  # zsh: save it as _vault somewhere on $fpath
  $ vault completions zsh > ~/.zfunc/_vault

  # fish
  $ vault completions fish > ~/.config/fish/completions/vault.fish

  # PowerShell ($PROFILE)
  PS> vault completions pwsh | Out-String | Invoke-Expression")]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: Shell,
}

/// Print the shell integration script
///
/// The script defines a shell function (named `vault`, or NAME with --cmd)
/// and a prompt hook. The hook exports short-lived credentials when you enter
/// a directory whose .awsprofile (or a parent's) you trusted with `vault
/// allow`, and puts every AWS_* variable back as it was when you leave.
/// `vault use PROFILE` switches the current shell by hand. With `--mode
/// server` (or VAULT_HOOK_MODE=server) the shell gets no keys: it gets
/// AWS_CONTAINER_CREDENTIALS_FULL_URI and a token of its own, and the agent
/// serves the credentials there, renewing them, until `vault unuse`, leaving
/// the directory, `vault lock` or the agent's timeout. Entering or leaving a
/// profile says one line (VAULT_HOOK_QUIET=1 silences it); in a shell that
/// `vault exec` started, the hook leaves the exec's credentials alone. The
/// script also registers tab completion (see `vault completions`) for the function, and
/// for the binary's own name when PATH finds this binary under it.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  # ~/.bashrc or ~/.zshrc
  eval \"$(vault hook bash)\"        # or: vault hook zsh

  # ~/.config/fish/config.fish
  vault hook fish | source

  # PowerShell 7 ($PROFILE)
  Invoke-Expression (& vault hook pwsh | Out-String)

  # HashiCorp's vault is installed too: name the function av instead
  eval \"$(vault hook bash --cmd av)\"

  # Keyless shells: the agent serves the credentials, the shell holds a token
  eval \"$(vault hook bash --mode server)\"    # or VAULT_HOOK_MODE=server")]
pub struct HookArgs {
    /// The shell to integrate with
    pub shell: Shell,

    /// Name of the shell function to define
    #[arg(long, value_name = "NAME", default_value = "vault")]
    pub cmd: String,

    /// What entering a directory exports: the keys, or where the agent serves them (no keys in the environment) [default: $VAULT_HOOK_MODE, else keys]
    #[arg(long, value_name = "MODE")]
    pub mode: Option<HookMode>,
}

#[derive(Debug, Args)]
pub struct HookEnvArgs {
    pub shell: Shell,

    /// Decide again even if nothing seems to have changed (after allow/deny)
    #[arg(long)]
    pub force: bool,
}

/// Use a profile in this shell until `vault unuse`
///
/// Exports short-lived credentials for PROFILE into the current shell (the
/// shell hook must be loaded) and keeps them there whatever directory you
/// change to. Asks for an MFA code or passphrase on the terminal if needed.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault use work
  $ aws sts get-caller-identity
  $ vault unuse                 # back to what the directory says")]
pub struct UseArgs {
    /// Name of the profile
    pub profile: String,
}

// No doc comment: `allow` and `deny` each have their own help and examples on
// their variants in `Command`, which a doc comment here would replace.
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// The .awsprofile file, or a directory to look in
    pub path: Option<PathBuf>,
}

/// Show which profile this shell uses, and why
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault status
  profile: work (from /home/me/src/shop/.awsprofile, trusted)
  expires: 2026-11-25T18:02:11Z (in 54m)

  # For prompt themes
  $ vault status --json")]
pub struct StatusArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// The hidden `vault __complete`, called by the completion scripts at each
/// TAB (`vault completions`, `vault hook`). Not for people: its arguments
/// follow what each shell can hand over.
#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// The shell asking, which decides how words arrive and answers leave
    pub shell: Shell,

    /// bash: the command line left of the cursor
    #[arg(long, allow_hyphen_values = true)]
    pub line: Option<String>,

    /// The word at the cursor as the shell has it (bash: only the part after
    /// the last COMP_WORDBREAKS character, which is what bash replaces)
    #[arg(long, allow_hyphen_values = true)]
    pub cur: Option<String>,

    /// zsh without compinit (compctl): answer the values only, one a line
    #[arg(long)]
    pub plain: bool,

    /// The words before the cursor (zsh: up to and including the word at it)
    #[arg(last = true)]
    pub words: Vec<String>,
}
