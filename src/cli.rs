//! The command-line surface: clap types only, no logic, so help, completions
//! and the man page can be generated from this file alone.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

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

#[derive(Debug, Clone, Args)]
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
    Login(LoginArgs),
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

/// Copy long-term credentials from one backend to another
///
/// Copies the stored credentials of every profile (or only those named with
/// --profile) from the --from backend to the --to backend, then reads each
/// copy back to check it. Cached sessions and SSO tokens are not copied: they
/// are made again when needed. With --delete-source, a profile's credentials
/// are deleted from the source only once its copy has been checked. The
/// backends' own settings (--file-dir, --pass-dir, ...) apply to both sides.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  # What would be copied, without touching anything
  $ vault migrate --from file --to secret-service --dry-run

  # Move the work profile's keys into pass
  $ vault migrate --from file --to pass --profile work --delete-source")]
pub struct MigrateArgs {
    /// The backend to copy from
    #[arg(long, value_enum, value_name = "BACKEND")]
    pub from: Backend,

    /// The backend to copy to
    #[arg(long, value_enum, value_name = "BACKEND")]
    pub to: Backend,

    /// Only this profile (repeat for several) [default: every stored profile]
    #[arg(long, value_name = "PROFILE")]
    pub profile: Vec<String>,

    /// Say what would be copied; change nothing
    #[arg(long, conflicts_with = "delete_source")]
    pub dry_run: bool,

    /// Delete each profile's credentials from --from once its copy is checked
    #[arg(long)]
    pub delete_source: bool,
}

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

  # A long job: credentials served by a local ECS server, renewed as they expire
  $ vault exec --ecs-server work -- terraform apply

  # As an AWS CLI credential helper, in ~/.aws/config:
  [profile work-helper]
  credential_process = vault exec --json work")]
pub struct ExecArgs {
    #[command(flatten)]
    pub creds: CredentialArgs,

    /// Print the credentials as credential_process JSON instead of running a command
    #[arg(short, long)]
    pub json: bool,

    /// Serve renewing credentials to COMMAND from a local ECS credential server
    /// (127.0.0.1, random port, random token) instead of putting keys in its environment
    #[arg(
        short = 's',
        long,
        visible_alias = "server",
        group = "server_mode",
        conflicts_with_all = ["json", "no_session"]
    )]
    pub ecs_server: bool,

    /// Serve renewing credentials to COMMAND from an emulated EC2 instance
    /// metadata service (IMDSv1 and IMDSv2) on --ec2-server-addr
    #[arg(long, group = "server_mode", conflicts_with_all = ["json", "no_session"])]
    pub ec2_server: bool,

    /// Where --ec2-server listens: the EC2 address, which needs a root-side
    /// alias on lo (see the README), or a loopback address, which is passed
    /// on as AWS_EC2_METADATA_SERVICE_ENDPOINT [default: 169.254.169.254:80]
    #[arg(long, value_name = "IP:PORT", requires = "ec2_server")]
    pub ec2_server_addr: Option<SocketAddr>,

    /// With a server: get the first credentials when they are first asked for,
    /// not before COMMAND starts
    #[arg(long, requires = "server_mode")]
    pub lazy: bool,

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

/// Open the AWS console, signed in with PROFILE's credentials
///
/// Role profiles (and web identity) sign in with their role session. An IAM
/// user signs in through sts:GetFederationToken with the user's long-term
/// keys, which AWS allows only without MFA: an mfa_serial is then not used,
/// and vault says so. Sign in through a role with mfa_serial to keep MFA.
///
/// The sign-in URL is valid for 15 minutes and grants the session to whoever
/// opens it: treat it like a password. Without --stdout it is opened in your
/// browser ($BROWSER, else the desktop's default), or printed when there is
/// none. VAULT_FEDERATION_ENDPOINT replaces the federation endpoint (for
/// tests; https only, or http to this machine).
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault login work
  $ vault login admin --region eu-west-1 --path s3/buckets

  # Print the URL, e.g. to paste into a browser profile of your choice
  $ vault login --stdout work

  # A 12-hour console session for an IAM user
  $ vault login --federation-token-ttl 12h work")]
pub struct LoginArgs {
    #[command(flatten)]
    pub creds: CredentialArgs,

    /// How long an IAM user's console session lasts (GetFederationToken) [env: AWS_FEDERATION_TOKEN_TTL]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub federation_token_ttl: Option<Duration>,

    /// The console page to open, e.g. s3/home or ec2/home#Instances
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,

    /// Print the sign-in URL instead of opening a browser
    #[arg(short, long)]
    pub stdout: bool,

    /// Name of the profile [default: $AWS_PROFILE, else the credentials in the environment]
    pub profile: Option<String>,
}

/// Rotate the access key stored for PROFILE
///
/// Finds the profile holding the long-term keys (PROFILE, or the profile its
/// source_profile chain leads to), creates a new access key for its IAM user,
/// stores it, clears the cached sessions of the chain, and deletes the old
/// key once AWS accepts the new one. The calls go through PROFILE's usual
/// session (MFA, role) unless --no-session is given. A working key is never
/// lost: a new key that cannot be stored is deleted again, and if the old key
/// cannot be deleted both stay active and vault says so.
///
/// The IAM user needs iam:GetUser, iam:CreateAccessKey and
/// iam:DeleteAccessKey on itself (arn:aws:iam::*:user/${aws:username}).
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault rotate work
  Rotating the access key ****************MPLE of IAM user alice (profile \"work\")
  Created the new access key ****************WXYZ
  Stored it for profile \"work\"
  Deleted the old access key ****************MPLE

  # Through an admin role that may manage the user's keys
  $ vault rotate work-admin")]
pub struct RotateArgs {
    /// Call IAM with the long-term keys themselves, not a session or role
    #[arg(short, long)]
    pub no_session: bool,

    /// Name of the profile [default: $AWS_PROFILE]
    pub profile: Option<String>,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::config::parse_duration(text).map_err(|e| e.to_string())
}

/// Print the shell integration script
///
/// The script defines a shell function (named `vault`, or NAME with --cmd)
/// and a prompt hook. The hook exports short-lived credentials when you enter
/// a directory whose .awsprofile (or a parent's) you trusted with `vault
/// allow`, and puts every AWS_* variable back as it was when you leave.
/// `vault use PROFILE` switches the current shell by hand. The script also
/// registers tab completion (see `vault completions`) for the function, and
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
  eval \"$(vault hook bash --cmd av)\"")]
pub struct HookArgs {
    /// The shell to integrate with
    pub shell: ShellKind,

    /// Name of the shell function to define
    #[arg(long, value_name = "NAME", default_value = "vault")]
    pub cmd: String,
}

#[derive(Debug, Args)]
pub struct HookEnvArgs {
    pub shell: ShellKind,

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
    pub shell: ShellKind,

    /// bash: the command line left of the cursor
    #[arg(long, allow_hyphen_values = true)]
    pub line: Option<String>,

    /// The word at the cursor as the shell has it (bash: only the part after
    /// the last COMP_WORDBREAKS character, which is what bash replaces)
    #[arg(long, allow_hyphen_values = true)]
    pub cur: Option<String>,

    /// The words before the cursor (zsh: up to and including the word at it)
    #[arg(last = true)]
    pub words: Vec<String>,
}
