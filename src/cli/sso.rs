//! The arguments of `vault sso`: listing the accounts and roles an IAM Identity Center
//! sign-in reaches, and writing a profile for each.

use clap::{Args, Subcommand};

/// IAM Identity Center: the accounts and roles you can reach, as profiles
///
/// Both sign in as SSO profiles do (once, cached, renewed with the refresh
/// token) and ask the portal for every account and role; see `vault sso list
/// --help` and `vault sso populate --help`.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault sso list
  $ vault sso populate --dry-run
  $ vault sso populate --prune")]
pub struct SsoArgs {
    #[command(subcommand)]
    pub command: SsoCommand,
}

#[derive(Debug, Subcommand)]
pub enum SsoCommand {
    List(SsoListArgs),
    Populate(SsoPopulateArgs),
}

/// Which sign-in, and how it is shown: shared by `sso list` and `sso populate`.
#[derive(Debug, Args, Clone)]
pub struct SsoSignInArgs {
    /// The [sso-session NAME] of the config to sign in with [default: the config's only one]
    #[arg(long, value_name = "NAME", conflicts_with = "start_url")]
    pub sso_session: Option<String>,

    /// Sign in to this start URL without an [sso-session] (the legacy form; needs --sso-region)
    #[arg(long, value_name = "URL", requires = "sso_region")]
    pub start_url: Option<String>,

    /// The region of IAM Identity Center, for --start-url
    #[arg(long, value_name = "REGION", requires = "start_url")]
    pub sso_region: Option<String>,

    /// Only show the sign-in URL and code, do not open a browser (implies --use-device-code)
    #[arg(long)]
    pub no_browser: bool,

    /// Sign in with the device code, e.g. to approve from another machine's browser
    #[arg(long)]
    pub use_device_code: bool,

    /// Also write the sign-in to the aws CLI's cache (~/.aws/sso/cache, plaintext)
    #[arg(long)]
    pub write_sso_cache: bool,
}

/// List the accounts and roles an IAM Identity Center sign-in reaches
///
/// Signs in if needed (the same sign-in, token cache and renewal as SSO profiles
/// use), asks the portal for every account and each account's roles, and prints
/// them with the profiles of the config that already point there.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault sso list
  Account       Name  Role       Profiles
  ============  ====  ====       ========
  111122223333  shop  Admin      shop.Admin
  111122223333  shop  ReadOnly   -

  $ vault sso list --start-url https://corp.awsapps.com/start --sso-region eu-west-1 --json")]
pub struct SsoListArgs {
    #[command(flatten)]
    pub sign_in: SsoSignInArgs,

    /// Print JSON: a list of {accountId, accountName, roleName, profiles}
    #[arg(long)]
    pub json: bool,
}

/// Write a profile for every account and role an IAM Identity Center sign-in reaches
///
/// Appends one [profile NAME] per account and role to the AWS config file, marked
/// `vault_generated = <start url>` so that later runs know their own: a second run
/// with the same assignments changes nothing, a generated profile whose settings
/// change is rewritten, and one whose account or role is gone is reported (removed
/// with --prune). Profiles without the mark are never changed or removed, and an
/// account and role one of them already points at gets no second profile. Names
/// come from --template, made into shell words (letters, digits, `.`, `_`, `-`); a
/// name already taken gets `-<account id>`. Every other byte of the file is kept.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  # What would change, without writing
  $ vault sso populate --dry-run

  # Profiles named like prod-Admin, with a region, and the gone ones removed
  $ vault sso populate --template '{account_name}-{role_name}' --region eu-west-1 --prune")]
pub struct SsoPopulateArgs {
    #[command(flatten)]
    pub sign_in: SsoSignInArgs,

    /// Write `region = REGION` in each profile
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Put PREFIX before each name
    #[arg(long, value_name = "PREFIX", default_value = "")]
    pub prefix: String,

    /// How profiles are named, from {account_name}, {account_id} and {role_name}
    #[arg(long, value_name = "TEMPLATE", default_value = crate::sso::populate::DEFAULT_TEMPLATE)]
    pub template: String,

    /// Print what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Remove generated profiles whose account or role is no longer listed
    #[arg(long)]
    pub prune: bool,
}
