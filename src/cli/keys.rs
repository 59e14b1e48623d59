//! The arguments of the commands that manage stored credentials: `add`,
//! `remove`, `list`, `clear` and `migrate`.

use clap::{ArgAction, Args};

use crate::store::Backend;

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
/// sessions, after asking (Enter keeps them). With --sessions-only the credentials stay and
/// only the sessions go.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault remove work
  Delete credentials for profile \"work\"? (y|N) y
  Deleted credentials.
  Deleted 1 session.

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
