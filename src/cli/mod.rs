//! The command-line surface: clap types only, no logic, so help, completions
//! and the man page can be generated from this folder alone. This file holds
//! the top level (global flags, the list of commands); the arguments of each
//! group of commands are in their own file.

mod agent;
mod credentials;
mod keys;
mod shell;
mod sso;

use std::path::PathBuf;

use clap::{ArgAction, Args, CommandFactory as _, Parser, Subcommand};

pub use agent::{AgentArgs, UnlockArgs};
pub use credentials::{CredentialArgs, ExecArgs, ExportArgs, ExportFormat, LoginArgs, RotateArgs};
pub use keys::{AddArgs, ClearArgs, ListArgs, MigrateArgs, RemoveArgs};
pub use shell::{
    CompleteArgs, CompletionsArgs, HookArgs, HookEnvArgs, StatusArgs, TrustArgs, UseArgs,
};
pub use sso::{SsoArgs, SsoCommand, SsoListArgs, SsoPopulateArgs, SsoSignInArgs};

use crate::prompt::PromptDriver;
use crate::store::Backend;

const AFTER_LONG_HELP: &str = "\
Examples:
  # Store the long-term keys of your IAM user (asked for on the terminal)
  $ vault add work

  # Run a command with short-lived credentials for the work profile
  $ vault exec work -- aws s3 ls

  # See what is stored
  $ vault list

Secrets are kept in a secret backend, never in plaintext: by default an
encrypted file store in ~/.awsvault/keys, compatible with aws-vault's.

Exit status: 0 on success, 1 on an error, 2 on a usage error, 130 when a
prompt was cancelled with Ctrl-C.";

/// Keeps AWS credentials in a secret backend and hands out short-lived ones.
#[derive(Debug, Parser)]
#[command(name = "vault", version, after_long_help = AFTER_LONG_HELP)]
#[command(propagate_version = true, subcommand_required = true, arg_required_else_help = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Under a heading of their own in every command's help, after the
/// command's own options.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global Options")]
pub struct GlobalArgs {
    /// Show debugging output on stderr (never secrets)
    #[arg(long, global = true)]
    pub debug: bool,

    /// Secret backend to use
    #[arg(long, global = true, env = "AWS_VAULT_BACKEND", value_enum, default_value_t = Backend::File)]
    pub backend: Backend,

    /// Prompt driver to use for passphrases and MFA codes [default: terminal; without a terminal, zenity or kdialog when a display is available]
    #[arg(long, global = true, env = "AWS_VAULT_PROMPT", value_enum)]
    pub prompt: Option<PromptDriver>,

    /// Directory of the encrypted file backend [default: ~/.awsvault/keys]
    #[arg(long, global = true, env = "AWS_VAULT_FILE_DIR", value_name = "DIR")]
    pub file_dir: Option<PathBuf>,

    /// Name of the secret-service collection to use
    #[arg(
        long,
        global = true,
        env = "AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME",
        value_name = "NAME",
        default_value = "awsvault"
    )]
    pub secret_service_collection: String,

    /// Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]
    #[arg(long, global = true, env = "AWS_VAULT_PASS_PASSWORD_STORE_DIR", value_name = "DIR")]
    pub pass_dir: Option<PathBuf>,

    /// Name of the pass program
    #[arg(
        long,
        global = true,
        env = "AWS_VAULT_PASS_CMD",
        value_name = "CMD",
        default_value = "pass"
    )]
    pub pass_cmd: String,

    /// Folder inside the pass store that holds vault's entries
    #[arg(
        long,
        global = true,
        env = "AWS_VAULT_PASS_PREFIX",
        value_name = "PREFIX",
        default_value = ""
    )]
    pub pass_prefix: String,

    /// Name of the macOS keychain (keychain backend only, which needs macOS)
    #[arg(
        long,
        global = true,
        env = "AWS_VAULT_KEYCHAIN_NAME",
        value_name = "NAME",
        default_value = "aws-vault"
    )]
    pub keychain: String,

    /// Same as --help (aws-vault's name for the long help)
    #[arg(long = "help-long", global = true, action = ArgAction::HelpLong, hide = true)]
    pub help_long: Option<bool>,
}

/// Each command's arguments are built only when that command runs (`defer`):
/// building all of them was a third of a warm `export` or prompt hook.
/// Help and completion read [`full_command`].
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    Add(AddArgs),
    #[command(visible_alias = "rm")]
    Remove(RemoveArgs),
    #[command(visible_alias = "ls")]
    List(ListArgs),
    Clear(ClearArgs),
    Exec(ExecArgs),
    Export(ExportArgs),
    Login(LoginArgs),
    Sso(SsoArgs),
    Rotate(RotateArgs),
    Completions(CompletionsArgs),
    Migrate(MigrateArgs),
    Hook(HookArgs),
    #[command(hide = true)]
    HookEnv(HookEnvArgs),
    Use(UseArgs),
    /// Stop using the profile chosen with `vault use`
    ///
    /// Puts the AWS variables back to what the current directory's trusted
    /// .awsprofile says, or to what they were before vault set them. Needs
    /// the shell hook (`vault hook`).
    #[command(after_long_help = "\
Examples:
  $ vault use admin
  $ vault unuse                 # back to the profile of this directory, if any")]
    Unuse,
    /// Get this shell's credentials again, asking for an MFA code if needed
    ///
    /// The prompt hook renews credentials by itself from the cached session,
    /// but never stops at a prompt to ask for an MFA code: when a renewal
    /// needs one, or a question was cancelled with Ctrl-C, it says to run
    /// `vault reload`. Needs the shell hook (`vault hook`).
    #[command(after_long_help = "\
Examples:
  $ vault reload
  Enter MFA code for arn:aws:iam::123456789012:mfa/me: 123456
  $ vault status                # shows the new expiry")]
    Reload,
    /// Trust an .awsprofile file, so entering its directory exports its profile
    ///
    /// Without PATH, acts on the nearest .awsprofile in the current directory
    /// or its parents. Trust is bound to the file's path and contents: any
    /// edit needs a new `vault allow`.
    #[command(after_long_help = "\
Examples:
  $ cd ~/src/shop && vault allow
  $ vault allow ~/src/shop/.awsprofile")]
    Allow(TrustArgs),
    /// Block an .awsprofile file: entering its directory changes nothing
    ///
    /// Without PATH, acts on the nearest .awsprofile in the current directory
    /// or its parents. The file stays blocked until `vault allow`.
    #[command(after_long_help = "\
Examples:
  $ vault deny ~/src/untrusted-repo
  $ cd ~/src/shop && vault deny   # until the next `vault allow`")]
    Deny(TrustArgs),
    Status(StatusArgs),
    Unlock(UnlockArgs),
    /// Make the agent forget the file store's passphrase now
    ///
    /// The next command that reads the store asks again. An agent started
    /// on demand exits.
    #[command(after_long_help = "\
Examples:
  $ vault lock
  $ vault status                # store: locked")]
    Lock,
    Agent(AgentArgs),
    /// Print the manual page, generated from this command line (roff)
    ///
    /// One page covers every command, with its options and examples.
    #[command(after_long_help = "\
Examples:
  # Read it now
  $ vault man | man -l -

  # Install it
  $ vault man > ~/.local/share/man/man1/vault.1")]
    Man,
    #[command(name = "__complete", hide = true)]
    Complete(CompleteArgs),
}

/// The whole command tree with every command's arguments built, for what
/// reads more than the command being run: help and completion.
/// The command line of `vault hook-env` alone, which the hook runs at a
/// change of folder: the same global options and arguments as in [`Cli`],
/// without setting up every other command (clap copies each global option
/// into each of them: a fifth of that run's instructions).
pub fn hook_env_command() -> clap::Command {
    let root = GlobalArgs::augment_args(clap::Command::new("vault")).subcommand_required(true);
    root.subcommand(HookEnvArgs::augment_args(clap::Command::new("hook-env")))
}

pub fn full_command() -> clap::Command {
    let mut command = Cli::command();
    command.build();
    command
}

#[cfg(test)]
mod tests {
    use clap::FromArgMatches as _;

    use super::*;

    /// What the hook's short command line gives is what the full one gives.
    #[test]
    fn hook_env_parses_alike_alone_and_with_every_command() {
        for argv in [
            &["vault", "hook-env", "bash"][..],
            &["vault", "hook-env", "fish", "--force"],
            &["vault", "hook-env", "zsh", "--debug", "--backend", "keyctl"],
            &["vault", "hook-env", "pwsh", "--file-dir", "/srv/keys", "--prompt", "terminal"],
        ] {
            let parse = |mut command: clap::Command| {
                let matches = command.try_get_matches_from_mut(argv).unwrap();
                format!("{:?}", Cli::from_arg_matches(&matches).unwrap())
            };
            assert_eq!(parse(hook_env_command()), parse(Cli::command()), "{argv:?}");
        }
        for argv in [&["vault", "hook-env"][..], &["vault", "hook-env", "tcsh"]] {
            assert!(hook_env_command().try_get_matches_from(argv).is_err(), "{argv:?}");
        }
    }
}
