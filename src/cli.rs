//! The command-line surface: clap types only, no logic, so help, completions
//! and the man page can be generated from this file alone.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

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

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Show debugging output on stderr (never secrets)
    #[arg(long, global = true)]
    pub debug: bool,

    /// Secret backend to use
    #[arg(long, global = true, env = "AWS_VAULT_BACKEND", value_enum, default_value_t = Backend::File)]
    pub backend: Backend,

    /// Prompt driver to use for passphrases and MFA codes
    #[arg(long, global = true, env = "AWS_VAULT_PROMPT", value_enum, default_value_t = PromptDriver::Terminal)]
    pub prompt: PromptDriver,

    /// Directory of the encrypted file backend [default: ~/.awsvault/keys]
    #[arg(long, global = true, env = "AWS_VAULT_FILE_DIR", value_name = "DIR")]
    pub file_dir: Option<PathBuf>,

    /// Same as --help (aws-vault's name for the long help)
    #[arg(long = "help-long", global = true, action = ArgAction::HelpLong, hide = true)]
    pub help_long: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// Encrypted files in --file-dir, one per item (aws-vault's format)
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PromptDriver {
    /// Ask on the controlling terminal (/dev/tty)
    Terminal,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Add(AddArgs),
    #[command(visible_alias = "rm")]
    Remove(RemoveArgs),
    #[command(visible_alias = "ls")]
    List(ListArgs),
    Clear(ClearArgs),
    Exec(ExecArgs),
    Export(ExportArgs),
    Completions(CompletionsArgs),
}

/// Add credentials to the secure keystore
///
/// Asks for an access key id and a secret access key on the terminal (the
/// secret is not echoed) and stores them under PROFILE. Unless
/// --add-config=false is given, a [profile PROFILE] section is appended to the
/// AWS config file when it has none; nothing else in the file changes.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault add home
  Enter Access Key Id: AKIAIOSFODNN7EXAMPLE
  Enter Secret Key:

  # Take the keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
  $ vault add --env work")]
pub struct AddArgs {
    /// Name of the profile
    pub profile: String,

    /// Read the credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
    #[arg(long)]
    pub env: bool,

    /// Add a [profile PROFILE] section to the AWS config file if it is missing
    #[arg(
        long,
        value_name = "BOOL",
        default_value_t = true,
        num_args = 0..=1,
        default_missing_value = "true",
        action = ArgAction::Set,
        overrides_with = "no_add_config"
    )]
    pub add_config: bool,

    /// Do not touch the AWS config file
    #[arg(long, hide = true, overrides_with = "add_config")]
    pub no_add_config: bool,
}

/// Remove credentials from the secure keystore
///
/// Deletes the long-term credentials stored for PROFILE and its cached
/// sessions, after asking. With --sessions-only the credentials stay and
/// only the sessions go.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault remove work
  Delete credentials for profile \"work\"? (Y|n)y
  Deleted credentials.
  Deleted 1 sessions.

  # Close the sessions, keep the credentials
  $ vault remove work --sessions-only")]
pub struct RemoveArgs {
    /// Name of the profile
    pub profile: String,

    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,

    /// Only remove the profile's cached sessions, keep its credentials
    #[arg(short, long)]
    pub sessions_only: bool,
}

/// List profiles, along with their credentials and sessions
///
/// Profiles come from the AWS config file, credentials and sessions from the
/// secret backend. Listing never needs the backend's passphrase.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault list
  Profile    Credentials  Sessions
  =======    ===========  ========
  home       home         -
  work       work         sts.GetSessionToken:59m12s

  # Only the names, one per line
  $ vault list --profiles")]
pub struct ListArgs {
    /// Show only the profile names
    #[arg(long, conflicts_with_all = ["credentials", "sessions"])]
    pub profiles: bool,

    /// Show only the names of stored credentials
    #[arg(long, conflicts_with = "sessions")]
    pub credentials: bool,

    /// Show only the names of cached sessions
    #[arg(long)]
    pub sessions: bool,
}

/// Clear temporary credentials from the secure keystore
///
/// Removes cached sessions: all of them, or only those of PROFILE.
/// Long-term credentials are never touched.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault clear
  Cleared 3 sessions.

  $ vault clear work")]
pub struct ClearArgs {
    /// Only clear the sessions of this profile
    pub profile: Option<String>,
}

/// Print a shell completion script
///
/// The script completes subcommands and flags. Load it from your shell's
/// startup file, or save it where your shell looks for completions.
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
    pub shell: ShellKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellKind {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "powershell")]
    Pwsh,
}

/// How credentials are obtained: shared by `exec` and `export`.
///
/// The TTL flags have environment variables too (AWS_SESSION_TOKEN_TTL or
/// AWS_SESSION_TTL, AWS_CHAINED_SESSION_TOKEN_TTL, AWS_ASSUME_ROLE_TTL,
/// AWS_MFA_SERIAL); a flag beats its variable.
#[derive(Debug, Args, Clone, Default)]
pub struct CredentialArgs {
    /// Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL
    #[arg(short, long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Duration>,

    /// Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them
    #[arg(short, long)]
    pub no_session: bool,

    /// The AWS region for the credentials and the child's AWS_REGION
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// The MFA code to use instead of asking for one
    #[arg(short = 't', long, value_name = "CODE")]
    pub mfa_token: Option<String>,

    /// The MFA device serial (ARN) to use instead of mfa_serial [env: AWS_MFA_SERIAL]
    #[arg(long, value_name = "ARN")]
    pub mfa_serial_override: Option<String>,

    /// How long the GetSessionToken session lasts [env: AWS_SESSION_TOKEN_TTL]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub session_ttl: Option<Duration>,

    /// How long assumed-role credentials last [env: AWS_ASSUME_ROLE_TTL]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub assume_role_ttl: Option<Duration>,
}

/// Execute a command with AWS credentials
///
/// Gets short-lived credentials for PROFILE (reusing a cached session when
/// one is still valid) and runs COMMAND with them in its environment:
/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
/// AWS_CREDENTIAL_EXPIRATION, AWS_REGION, AWS_DEFAULT_REGION and AWS_VAULT;
/// AWS_PROFILE and other credential variables are removed. Without COMMAND,
/// starts $SHELL. PROFILE defaults to $AWS_PROFILE.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault exec work -- aws s3 ls
  $ vault exec work                     # a subshell with the credentials

  # Assume a role for 12 hours straight from the long-term keys
  $ vault exec --no-session --assume-role-ttl=12h admin -- terraform apply

  # As an AWS CLI credential helper, in ~/.aws/config:
  [profile work-helper]
  credential_process = vault exec --json work")]
pub struct ExecArgs {
    #[command(flatten)]
    pub creds: CredentialArgs,

    /// Print the credentials as credential_process JSON instead of running a command
    #[arg(short, long)]
    pub json: bool,

    /// Name of the profile [default: $AWS_PROFILE]
    pub profile: Option<String>,

    /// The command to run, and its arguments [default: $SHELL]
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// Export AWS credentials
///
/// Prints short-lived credentials for PROFILE in the chosen format. The json
/// format is what `credential_process` reads.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault export work
  $ eval \"$(vault export --format=export-env work)\"

  # In ~/.aws/config:
  [profile work-helper]
  credential_process = vault export --format=json work")]
pub struct ExportArgs {
    #[command(flatten)]
    pub creds: CredentialArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Env)]
    pub format: ExportFormat,

    /// Name of the profile [default: $AWS_PROFILE]
    pub profile: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// KEY=value lines
    Env,
    /// export KEY='value' lines for POSIX shells
    ExportEnv,
    /// credential_process JSON
    Json,
    /// an ~/.aws/credentials section
    Ini,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::config::parse_duration(text).map_err(|e| e.to_string())
}
