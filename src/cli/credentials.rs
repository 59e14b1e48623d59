//! The arguments of the commands that get credentials: `exec`, `export`,
//! `login` and `rotate`, with the credential flags they share.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, ValueEnum};

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

    /// IAM Identity Center sign-in: only show the URL and code, do not open a browser
    /// (implies --use-device-code)
    #[arg(long)]
    pub no_browser: bool,

    /// IAM Identity Center sign-in: use the device code, e.g. to approve from another
    /// machine's browser [default when no browser can be opened here]
    #[arg(long)]
    pub use_device_code: bool,

    /// IAM Identity Center sign-in: also write the token to the aws CLI's cache
    /// (~/.aws/sso/cache, plaintext), so the aws CLI and SDKs use it too
    #[arg(long)]
    pub write_sso_cache: bool,
}

/// Execute a command with AWS credentials
///
/// Gets short-lived credentials for PROFILE (reusing a cached session when
/// one is still valid) and runs COMMAND with them in its environment:
/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
/// AWS_CREDENTIAL_EXPIRATION, AWS_REGION, AWS_DEFAULT_REGION and AWS_VAULT;
/// AWS_PROFILE and other credential variables are removed. Without COMMAND,
/// starts $SHELL. PROFILE defaults to $AWS_PROFILE: with `--` before any
/// other argument, everything after it is COMMAND.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault exec work -- aws s3 ls
  $ vault exec work                     # a subshell with the credentials
  $ AWS_PROFILE=work vault exec -- aws s3 ls

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
    /// metadata service on --ec2-server-addr; it requires IMDSv2 session tokens
    #[arg(long, group = "server_mode", conflicts_with_all = ["json", "no_session"])]
    pub ec2_server: bool,

    /// Let --ec2-server also answer IMDSv1 (plain GETs without a token), for
    /// old SDKs; any local process can then read the credentials
    #[arg(long, requires = "ec2_server")]
    pub ec2_server_imdsv1: bool,

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
  $ vault login --federation-token-ttl 12h work

  # Sign an IAM Identity Center profile in now, e.g. before starting many processes
  $ vault login --sso-only dev")]
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

    /// Only sign PROFILE in to IAM Identity Center (SSO) and cache the token; no console,
    /// no credentials printed
    #[arg(long)]
    pub sso_only: bool,

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

pub(super) fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::duration::parse_duration(text).map_err(|e| e.to_string())
}
