//! Which STS calls turn a profile into the credentials it needs, decided from
//! the resolved config alone, so every provider chain is unit tested without a
//! network. Mirrors aws-vault 7's `GetProviderForProfile`, plus ByteNess's
//! direct long role and a clear rule for the role-chaining hour.

use std::time::Duration;

use crate::config::ProfileConfig;

/// AWS refuses AssumeRole durations over one hour when the caller's
/// credentials are themselves temporary ("role chaining").
pub const ROLE_CHAINING_LIMIT: Duration = Duration::from_secs(3600);

/// Where the first credentials of a chain come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Long-term keys in the secret store under this name.
    Stored { profile: String },
    /// `credential_process`: a command printing credential JSON.
    Process { profile: String, command: String },
    /// `web_identity_token_file` / `_process`: AssumeRoleWithWebIdentity.
    WebIdentity(WebIdentity),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentity {
    pub profile: String,
    pub role_arn: String,
    pub role_session_name: Option<String>,
    pub token_file: Option<String>,
    pub token_process: Option<String>,
    pub duration: Duration,
}

/// `sts:GetSessionToken` with the keys of `profile`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStep {
    pub profile: String,
    pub mfa_serial: Option<String>,
    pub duration: Duration,
}

/// `sts:AssumeRole` for `profile`'s `role_arn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleStep {
    pub profile: String,
    pub role_arn: String,
    pub role_session_name: Option<String>,
    pub external_id: Option<String>,
    /// None when the MFA was already given to GetSessionToken earlier in the
    /// chain (aws-vault's "chained MFA"): AWS carries it over.
    pub mfa_serial: Option<String>,
    /// The profile's own mfa_serial, which names the cached session.
    pub cache_mfa_serial: Option<String>,
    pub duration: Duration,
    pub session_tags: Vec<(String, String)>,
    pub transitive_session_tags: Vec<String>,
    pub source_identity: Option<String>,
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
        "profile \"{0}\" uses AWS IAM Identity Center (sso_*), which this version of vault \
         cannot sign in to yet; use `aws sso login` with the AWS CLI for it"
    )]
    SsoUnsupported(String),
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
            let mut plan = Plan {
                source: Source::Stored { profile: cfg.name.clone() },
                steps: Vec::new(),
                notes: Vec::new(),
            };
            if self.can_use_session(cfg, chained_from) {
                let primes_role = chained_from.is_some() || cfg.has_role();
                plan.steps.push(Step::SessionToken(SessionStep {
                    profile: cfg.name.clone(),
                    mfa_serial: cfg.mfa_serial.clone(),
                    duration: cfg.session_token_duration_for(primes_role),
                }));
                self.chained_mfa = cfg.mfa_serial.clone();
            }
            plan
        } else if let Some(source) = &cfg.source_profile {
            self.build(source, Some(cfg))?
        } else if cfg.has_sso() {
            return Err(PlanError::SsoUnsupported(cfg.name.clone()));
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
        } else {
            return Err(PlanError::NoCredentials(cfg.name.clone()));
        };

        if let Some(role_arn) = &cfg.role_arn {
            let mut mfa_serial = cfg.mfa_serial.clone();
            if mfa_serial.is_some() && mfa_serial == self.chained_mfa {
                mfa_serial = None;
            }
            let mut duration = cfg.assume_role_duration;
            let chaining = !plan.steps.is_empty() || matches!(plan.source, Source::WebIdentity(_));
            if chaining && duration > ROLE_CHAINING_LIMIT {
                plan.notes.push(format!(
                    "profile \"{}\": role sessions assumed from temporary credentials last at \
                     most 1h (AWS's role-chaining limit), so {} was shortened to 1h; \
                     assume the role straight from long-term keys (a single role, or \
                     --no-session) for longer sessions",
                    cfg.name,
                    crate::config::format_duration(duration)
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
    /// long-term keys, since a session in between would cap it at an hour.
    fn can_use_session(&self, cfg: &ProfileConfig, chained_from: Option<&ProfileConfig>) -> bool {
        if self.opts.no_session || self.opts.no_session_for.as_deref() == Some(&cfg.name) {
            return false;
        }
        let role = chained_from.or(cfg.has_role().then_some(cfg));
        if let Some(role) = role {
            if self.single_role && role.assume_role_duration > ROLE_CHAINING_LIMIT {
                return false;
            }
            if let Some(from) = chained_from {
                // A session only helps a role when it carries the MFA the role
                // would otherwise ask for.
                if from.mfa_serial.is_none() || cfg.mfa_serial != from.mfa_serial {
                    return false;
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::{ConfigFile, ResolveOptions, resolve};
    use crate::env::Env;

    const HOUR: Duration = Duration::from_secs(3600);
    const MFA: &str = "arn:aws:iam::123456789012:mfa/jonsmith";

    /// The plan for `name` in `config`, with keys stored under `stored`.
    fn plan_for(
        config: &str,
        name: &str,
        stored: &[&str],
        opts: PlanOptions,
    ) -> Result<Plan, PlanError> {
        let cfg = ConfigFile::parse(config, Path::new("/test/config")).unwrap();
        let ropts = ResolveOptions {
            stored_credentials: stored.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let profile = resolve(&cfg, name, &Env::default(), &ropts).unwrap();
        plan(&profile, &|n| stored.contains(&n), &opts)
    }

    fn stored(name: &str) -> Source {
        Source::Stored { profile: name.into() }
    }

    fn session(profile: &str, mfa: Option<&str>, duration: Duration) -> Step {
        Step::SessionToken(SessionStep {
            profile: profile.into(),
            mfa_serial: mfa.map(Into::into),
            duration,
        })
    }

    fn role(step: &Step) -> &RoleStep {
        match step {
            Step::AssumeRole(r) => r,
            other => panic!("expected AssumeRole, got {other:?}"),
        }
    }

    const USAGE_GUIDE_CHAIN: &str = "\
[profile read-only]
mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith
[profile intermediary]
source_profile = read-only
role_arn = arn:aws:iam::123456789012:role/intermediary
[profile target]
source_profile = intermediary
role_arn = arn:aws:iam::123456789012:role/target
";

    #[test]
    fn stored_keys_get_a_one_hour_session() {
        let p = plan_for(
            "[profile home]\nregion = us-east-1\n",
            "home",
            &["home"],
            PlanOptions::default(),
        )
        .unwrap();
        assert_eq!(p.source, stored("home"));
        assert_eq!(p.steps, [session("home", None, HOUR)]);
        assert!(!p.exposes_long_term_keys());
    }

    #[test]
    fn mfa_serial_goes_to_get_session_token() {
        let p = plan_for(
            &format!("[profile home]\nmfa_serial = {MFA}\n"),
            "home",
            &["home"],
            PlanOptions::default(),
        )
        .unwrap();
        assert_eq!(p.steps, [session("home", Some(MFA), HOUR)]);
    }

    #[test]
    fn no_session_without_a_role_exposes_the_long_term_keys() {
        let opts = PlanOptions { no_session: true, ..Default::default() };
        let p = plan_for("[profile home]\n", "home", &["home"], opts).unwrap();
        assert_eq!((p.source.clone(), p.steps.len()), (stored("home"), 0));
        assert!(p.exposes_long_term_keys());
    }

    #[test]
    fn role_inherits_mfa_and_uses_it_once_through_an_eight_hour_session() {
        let p = plan_for(
            &format!("[profile read-only]\nmfa_serial = {MFA}\n[profile admin-a]\nsource_profile = read-only\nrole_arn = arn:aws:iam::123456789012:role/admin-access\n"),
            "admin-a",
            &["read-only"],
            PlanOptions::default(),
        )
        .unwrap();
        assert_eq!(p.source, stored("read-only"));
        assert_eq!(p.steps[0], session("read-only", Some(MFA), 8 * HOUR));
        let r = role(&p.steps[1]);
        assert_eq!(r.mfa_serial, None, "MFA was given to GetSessionToken already");
        assert_eq!(r.cache_mfa_serial.as_deref(), Some(MFA));
        assert_eq!(r.duration, HOUR);
        assert_eq!(p.steps.len(), 2);
    }

    #[test]
    fn usage_guide_chain_asks_mfa_once_and_chains_two_roles() {
        let p =
            plan_for(USAGE_GUIDE_CHAIN, "target", &["read-only"], PlanOptions::default()).unwrap();
        assert_eq!(p.source, stored("read-only"));
        assert_eq!(p.steps.len(), 3);
        assert_eq!(p.steps[0], session("read-only", Some(MFA), 8 * HOUR));
        assert_eq!(role(&p.steps[1]).profile, "intermediary");
        assert_eq!(role(&p.steps[2]).profile, "target");
        assert!(p.steps[1..].iter().all(|s| role(s).mfa_serial.is_none()));
        assert!(p.notes.is_empty());
    }

    #[test]
    fn role_without_any_mfa_is_assumed_straight_from_the_keys() {
        let p = plan_for(
            "[profile work]\n[profile work-admin_role]\nsource_profile = work\nrole_arn = arn:aws:iam::1:role/admin_role\n",
            "work-admin_role",
            &["work"],
            PlanOptions::default(),
        )
        .unwrap();
        assert_eq!(p.source, stored("work"));
        assert_eq!(p.steps.len(), 1);
        assert_eq!(role(&p.steps[0]).role_arn, "arn:aws:iam::1:role/admin_role");
    }

    #[test]
    fn a_single_long_role_skips_the_session_so_twelve_hours_work() {
        let p = plan_for(
            &format!("[profile base]\nmfa_serial = {MFA}\n[profile tf]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/tf\nduration_seconds = 43200\n"),
            "tf",
            &["base"],
            PlanOptions::default(),
        )
        .unwrap();
        assert_eq!(p.steps.len(), 1);
        let r = role(&p.steps[0]);
        assert_eq!(r.duration, 12 * HOUR);
        assert_eq!(r.mfa_serial.as_deref(), Some(MFA), "the role call carries the MFA itself");
        assert!(p.notes.is_empty());
    }

    #[test]
    fn chained_roles_are_capped_at_an_hour_with_a_note() {
        let config = format!("{USAGE_GUIDE_CHAIN}duration_seconds = 7200\n");
        let p = plan_for(&config, "target", &["read-only"], PlanOptions::default()).unwrap();
        assert_eq!(role(&p.steps[2]).duration, HOUR);
        assert_eq!(p.notes.len(), 1);
        assert!(
            p.notes[0].contains("role-chaining") && p.notes[0].contains("2h0m0s"),
            "{}",
            p.notes[0]
        );
    }

    #[test]
    fn no_session_assumes_the_role_from_the_keys_with_mfa() {
        let opts = PlanOptions { no_session: true, ..Default::default() };
        let p = plan_for(
            &format!("[profile base]\nmfa_serial = {MFA}\n[profile admin]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/a\n"),
            "admin",
            &["base"],
            opts,
        )
        .unwrap();
        assert_eq!(p.steps.len(), 1);
        assert_eq!(role(&p.steps[0]).mfa_serial.as_deref(), Some(MFA));
        assert!(!p.exposes_long_term_keys());
    }

    #[test]
    fn a_profile_with_keys_and_a_role_primes_its_own_role() {
        let p = plan_for(
            &format!("[profile both]\nmfa_serial = {MFA}\nrole_arn = arn:aws:iam::1:role/r\n"),
            "both",
            &["both"],
            PlanOptions::default(),
        )
        .unwrap();
        assert_eq!(p.steps[0], session("both", Some(MFA), 8 * HOUR));
        assert_eq!(role(&p.steps[1]).mfa_serial, None);
    }

    #[test]
    fn different_mfa_devices_are_each_asked() {
        let p = plan_for(
            &format!("[profile base]\nmfa_serial = {MFA}\n[profile other]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/r\nmfa_serial = arn:aws:iam::1:mfa/other\n"),
            "other",
            &["base"],
            PlanOptions::default(),
        )
        .unwrap();
        // The session's MFA would not satisfy the role's device: no session.
        assert_eq!(p.steps.len(), 1);
        assert_eq!(role(&p.steps[0]).mfa_serial.as_deref(), Some("arn:aws:iam::1:mfa/other"));
    }

    #[test]
    fn role_settings_reach_the_call() {
        let p = plan_for(
            "[profile base]\n[profile r]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/r\n\
             external_id = ext-123\nrole_session_name = me\nsession_tags = team=a, env=dev\n\
             transitive_session_tags = team\nsource_identity = alice\n",
            "r",
            &["base"],
            PlanOptions::default(),
        )
        .unwrap();
        let r = role(&p.steps[0]);
        assert_eq!(r.external_id.as_deref(), Some("ext-123"));
        assert_eq!(r.role_session_name.as_deref(), Some("me"));
        assert_eq!(r.session_tags, [("team".into(), "a".into()), ("env".into(), "dev".into())]);
        assert_eq!(r.transitive_session_tags, ["team"]);
        assert_eq!(r.source_identity.as_deref(), Some("alice"));
    }

    #[test]
    fn credential_process_is_a_source_for_roles() {
        let p = plan_for(
            "[profile proc]\ncredential_process = /bin/creds\n[profile r]\nsource_profile = proc\nrole_arn = arn:aws:iam::1:role/r\n",
            "r",
            &[],
            PlanOptions::default(),
        )
        .unwrap();
        assert_eq!(
            p.source,
            Source::Process { profile: "proc".into(), command: "/bin/creds".into() }
        );
        assert_eq!(p.steps.len(), 1);
    }

    #[test]
    fn web_identity_assumes_its_role_itself() {
        let p = plan_for(
            "[profile wi]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /tok\n",
            "wi",
            &[],
            PlanOptions::default(),
        )
        .unwrap();
        assert!(
            matches!(&p.source, Source::WebIdentity(w) if w.token_file.as_deref() == Some("/tok"))
        );
        assert!(p.steps.is_empty());
    }

    #[test]
    fn a_profile_without_any_source_is_an_error() {
        let err =
            plan_for("[profile empty]\nregion = us-east-1\n", "empty", &[], PlanOptions::default())
                .unwrap_err();
        assert_eq!(err, PlanError::NoCredentials("empty".into()));
        assert!(err.to_string().contains("vault add empty"));
    }

    #[test]
    fn sso_profiles_say_they_are_not_supported_yet() {
        let err = plan_for(
            "[profile s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n",
            "s",
            &[],
            PlanOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err, PlanError::SsoUnsupported("s".into()));
    }

    #[test]
    fn login_skips_the_session_for_its_profile_only() {
        let opts = PlanOptions { no_session_for: Some("home".into()), ..Default::default() };
        let p = plan_for("[profile home]\n", "home", &["home"], opts).unwrap();
        assert!(p.steps.is_empty());
    }
}
