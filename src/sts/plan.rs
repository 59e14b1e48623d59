//! Which STS calls turn a profile into the credentials it needs, decided from
//! the resolved config alone, so every provider chain is unit tested without a
//! network. Mirrors aws-vault 7's `GetProviderForProfile`, plus ByteNess's
//! direct long role and a clear rule for the role-chaining hour.

use std::fmt;
use std::time::Duration;

pub use crate::aws::role::{RoleStep, WebIdentity};
use crate::config::ProfileConfig;

/// AWS refuses AssumeRole durations over one hour when the caller's
/// credentials are themselves temporary ("role chaining").
pub const ROLE_CHAINING_LIMIT: Duration = Duration::from_secs(3600);

/// Where the first credentials of a chain come from.
#[derive(Clone, PartialEq, Eq)]
pub enum Source {
    /// Long-term keys in the secret store under this name.
    Stored { profile: String },
    /// `credential_process`: a command printing credential JSON.
    Process { profile: String, command: String },
    /// `web_identity_token_file` / `_process`: AssumeRoleWithWebIdentity.
    WebIdentity(WebIdentity),
    /// IAM Identity Center: GetRoleCredentials after an SSO sign-in.
    Sso(SsoRole),
}

/// `sso_account_id` / `sso_role_name` of `profile`, signed in through its
/// `sso_session` (or the legacy inline `sso_start_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoRole {
    pub profile: String,
    pub account_id: String,
    pub role_name: String,
}

impl SsoRole {
    /// The session-cache type name aws-vault uses for role credentials.
    pub const CACHE_KIND: &'static str = "sso.GetRoleCredentials";
}

/// `sts:GetSessionToken` with the keys of `profile`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStep {
    pub profile: String,
    pub mfa_serial: Option<String>,
    pub duration: Duration,
}

// `--debug` prints the plan. A command line may carry a secret (a token, a
// password argument), so it is not shown (the role steps redact theirs too).

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Stored { profile } => {
                f.debug_struct("Stored").field("profile", profile).finish()
            }
            Source::Process { profile, command: _ } => f
                .debug_struct("Process")
                .field("profile", profile)
                .field("command", &"<redacted>")
                .finish(),
            Source::WebIdentity(wi) => f.debug_tuple("WebIdentity").field(wi).finish(),
            Source::Sso(role) => f.debug_tuple("Sso").field(role).finish(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    SessionToken(SessionStep),
    AssumeRole(RoleStep),
}

impl Step {
    /// The session-cache type name aws-vault uses for this step.
    pub fn cache_kind(&self) -> &'static str {
        match self {
            Step::SessionToken(_) => "sts.GetSessionToken",
            Step::AssumeRole(_) => "sts.AssumeRole",
        }
    }

    pub fn profile(&self) -> &str {
        match self {
            Step::SessionToken(s) => &s.profile,
            Step::AssumeRole(r) => &r.profile,
        }
    }

    pub fn cache_mfa_serial(&self) -> &str {
        match self {
            Step::SessionToken(s) => s.mfa_serial.as_deref().unwrap_or(""),
            Step::AssumeRole(r) => r.cache_mfa_serial.as_deref().unwrap_or(""),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub source: Source,
    pub steps: Vec<Step>,
    /// Things the user should hear about, e.g. a duration shortened by AWS's
    /// role-chaining rule.
    pub notes: Vec<String>,
}

impl Plan {
    /// Whether the credentials this plan ends with are the long-term keys
    /// themselves (`--no-session` on a profile without a role).
    #[cfg(test)]
    pub fn exposes_long_term_keys(&self) -> bool {
        self.steps.is_empty() && matches!(self.source, Source::Stored { .. })
    }
}

#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// `--no-session`: never call GetSessionToken.
    pub no_session: bool,
    /// `login` skips GetSessionToken for the target profile: the console
    /// federation call refuses session credentials.
    pub no_session_for: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    #[error(
        "profile \"{0}\" has no credentials: store keys with `vault add {0}`, or give it \
         source_profile, credential_process or web_identity_token_file"
    )]
    NoCredentials(String),
    #[error(
        "profile \"{0}\" uses IAM Identity Center but lacks {1}; add it to the profile \
         (`aws configure sso` writes both sso_account_id and sso_role_name)"
    )]
    SsoIncomplete(String, &'static str),
    #[error(
        "profile \"{0}\" has a web identity token but no role_arn; add the role_arn of the \
         role the token may assume (AssumeRoleWithWebIdentity needs one)"
    )]
    WebIdentityWithoutRole(String),
}

/// Builds the plan for `profile`. `has_stored` says whether the store holds
/// long-term keys under a name (a key listing, no unlock).
pub fn plan(
    profile: &ProfileConfig,
    has_stored: &dyn Fn(&str) -> bool,
    opts: &PlanOptions,
) -> Result<Plan, PlanError> {
    let roles = profile.chain().iter().filter(|p| p.has_role()).count();
    let mut builder = Builder { has_stored, opts, chained_mfa: None, single_role: roles == 1 };
    builder.build(profile, None)
}

struct Builder<'a> {
    has_stored: &'a dyn Fn(&str) -> bool,
    opts: &'a PlanOptions,
    /// The MFA serial already given to GetSessionToken in this chain.
    chained_mfa: Option<String>,
    single_role: bool,
}

impl Builder<'_> {
    /// `chained_from` is the role profile that takes `cfg` as its source.
    fn build(
        &mut self,
        cfg: &ProfileConfig,
        chained_from: Option<&ProfileConfig>,
    ) -> Result<Plan, PlanError> {
        let stored = (self.has_stored)(&cfg.name);
        let mut plan = if stored {
            // Stored keys win over source_profile, as in aws-vault.
            Plan {
                source: Source::Stored { profile: cfg.name.clone() },
                steps: Vec::new(),
                notes: Vec::new(),
            }
        } else if let Some(source) = &cfg.source_profile {
            self.build(source, Some(cfg))?
        } else if cfg.has_sso() {
            let missing = |key| PlanError::SsoIncomplete(cfg.name.clone(), key);
            Plan {
                source: Source::Sso(SsoRole {
                    profile: cfg.name.clone(),
                    account_id: cfg
                        .sso_account_id
                        .clone()
                        .ok_or_else(|| missing("sso_account_id"))?,
                    role_name: cfg.sso_role_name.clone().ok_or_else(|| missing("sso_role_name"))?,
                }),
                steps: Vec::new(),
                notes: Vec::new(),
            }
        } else if let (Some(role_arn), true) = (&cfg.role_arn, cfg.has_web_identity()) {
            // The role is assumed by the web-identity call itself.
            return Ok(Plan {
                source: Source::WebIdentity(WebIdentity {
                    profile: cfg.name.clone(),
                    role_arn: role_arn.clone(),
                    role_session_name: cfg.role_session_name.clone(),
                    token_file: cfg.web_identity_token_file.clone(),
                    token_process: cfg.web_identity_token_process.clone(),
                    duration: cfg.assume_role_duration,
                }),
                steps: Vec::new(),
                notes: Vec::new(),
            });
        } else if let Some(command) = &cfg.credential_process {
            Plan {
                source: Source::Process { profile: cfg.name.clone(), command: command.clone() },
                steps: Vec::new(),
                notes: Vec::new(),
            }
        } else if cfg.has_web_identity() {
            return Err(PlanError::WebIdentityWithoutRole(cfg.name.clone()));
        } else {
            return Err(PlanError::NoCredentials(cfg.name.clone()));
        };

        // A session over bare long-term keys: this profile's own, or those a
        // source hands up to a profile that assumes no role (which would
        // otherwise pass the long-term keys on unchanged).
        let bare_keys = plan.steps.is_empty() && matches!(plan.source, Source::Stored { .. });
        let session_here = stored || !cfg.has_role();
        if bare_keys && session_here && self.can_use_session(cfg, chained_from) {
            let primes_role = chained_from.is_some() || cfg.has_role();
            plan.steps.push(Step::SessionToken(SessionStep {
                profile: cfg.name.clone(),
                mfa_serial: cfg.mfa_serial.clone(),
                duration: cfg.session_token_duration_for(primes_role),
            }));
            self.chained_mfa = cfg.mfa_serial.clone();
        }

        if let Some(role_arn) = &cfg.role_arn {
            let mut mfa_serial = cfg.mfa_serial.clone();
            if mfa_serial.is_some() && mfa_serial == self.chained_mfa {
                mfa_serial = None;
            }
            let mut duration = cfg.assume_role_duration;
            let chaining = !plan.steps.is_empty()
                || matches!(plan.source, Source::WebIdentity(_) | Source::Sso(_));
            if chaining && duration > ROLE_CHAINING_LIMIT {
                plan.notes.push(format!(
                    "profile \"{}\": role sessions assumed from temporary credentials last at \
                     most 1h (AWS's role-chaining limit), so {} was shortened to 1h; \
                     assume the role straight from long-term keys (a single role, or \
                     --no-session) for longer sessions",
                    cfg.name,
                    crate::duration::format_duration(duration)
                ));
                duration = ROLE_CHAINING_LIMIT;
            }
            plan.steps.push(Step::AssumeRole(RoleStep {
                profile: cfg.name.clone(),
                role_arn: role_arn.clone(),
                role_session_name: cfg.role_session_name.clone(),
                external_id: cfg.external_id.clone(),
                mfa_serial,
                cache_mfa_serial: cfg.mfa_serial.clone(),
                duration,
                session_tags: cfg.session_tags.clone(),
                transitive_session_tags: cfg.transitive_session_tags.clone(),
                source_identity: cfg.source_identity.clone(),
            }));
        }
        Ok(plan)
    }

    /// aws-vault's `canUseGetSessionToken`, plus ByteNess's rule that a
    /// single role asking for more than an hour is assumed straight from the
    /// long-term keys, since a session in between would cap it at an hour,
    /// and vault's rule that under a profile without a role the session is
    /// that profile's (aws-vault would stack a second GetSessionToken there,
    /// which AWS refuses).
    fn can_use_session(&self, cfg: &ProfileConfig, chained_from: Option<&ProfileConfig>) -> bool {
        if self.opts.no_session || self.opts.no_session_for.as_deref() == Some(&cfg.name) {
            return false;
        }
        if chained_from.is_some_and(|from| !from.has_role()) {
            // The profile above assumes no role: it makes the session itself,
            // under its own name, MFA device and duration.
            return false;
        }
        let role = chained_from.or(cfg.has_role().then_some(cfg));
        if let Some(role) = role {
            if self.single_role && role.assume_role_duration > ROLE_CHAINING_LIMIT {
                return false;
            }
            // A session only helps a role when it carries the MFA the role
            // would otherwise ask for; without one, the role is assumed with
            // the keys themselves, as aws-vault does (also when the keys are
            // the role profile's own).
            if role.mfa_serial.is_none() || cfg.mfa_serial != role.mfa_serial {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
