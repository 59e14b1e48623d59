//! Resolving one profile into a [`ProfileConfig`], following aws-vault 7's `ConfigLoader`:
//! for every setting the first source that sets it wins, in this order:
//!
//! 1. the command line ([`ResolveOptions`]), for every profile in the chain;
//! 2. the environment: region, STS endpoint, MFA serial and TTL variables for every profile
//!    in the chain; `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`, `AWS_SESSION_TAGS`,
//!    `AWS_TRANSITIVE_TAGS` and `AWS_SOURCE_IDENTITY` for the target profile only, since a
//!    role meant for the target must not also be assumed by the profiles it sources from;
//! 3. the profile's own section;
//! 4. its `include_profile` (recursively) if set, else `[default]`;
//! 5. built-in defaults for the durations.
//!
//! Then `source_profile` is resolved the same way, recursively, and `mfa_serial` and
//! `mfa_process` are inherited from it when the profile has none of its own.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use super::ConfigError;
use super::duration::parse_duration;
use super::file::ConfigFile;
use crate::env::Env;

const DEFAULT_PROFILE: &str = "default";
const ONE_HOUR: Duration = Duration::from_secs(3600);
/// A GetSessionToken that primes a role is cached and shared by every role profile using
/// the same source, so it lives longer than a plain session (aws-vault's default).
const DEFAULT_CHAINED_SESSION_DURATION: Duration = Duration::from_secs(8 * 3600);

/// What the command line adds to a resolution. `Default` adds nothing.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// `--mfa-serial-override`, which beats `AWS_MFA_SERIAL`.
    pub mfa_serial_override: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `-d/--duration`: every duration. The specific TTL options below win over it.
    pub duration: Option<Duration>,
    /// `--session-ttl`: GetSessionToken, both plain and role-priming (a user asking for a
    /// session length does not care which of the two aws-vault picks).
    pub session_ttl: Option<Duration>,
    /// `--assume-role-ttl`.
    pub assume_role_ttl: Option<Duration>,
    /// `--federation-token-ttl`.
    pub federation_token_ttl: Option<Duration>,
    /// Names that have long-term keys in the secret store: such a profile is valid without a
    /// section of its own.
    pub stored_credentials: BTreeSet<String>,
}

/// A fully resolved profile, including the profiles it sources credentials from.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileConfig {
    pub name: String,
    pub source_profile_name: Option<String>,
    /// The resolved `source_profile`, which has its own `source_profile`, and so on.
    pub source_profile: Option<Box<ProfileConfig>>,
    pub role_arn: Option<String>,
    /// The profile's own MFA serial (from the command line, the environment, its section,
    /// its include_profile or `[default]`), or else its source profile's. aws-vault documents
    /// that role profiles inherit the source's `mfa_serial`, and an equal serial on both ends
    /// is what lets one MFA prompt (for the source's GetSessionToken) serve the role too.
    /// [`ProfileConfig::mfa_serial_from_source`] tells the two cases apart.
    pub mfa_serial: Option<String>,
    /// Whether `mfa_serial` was inherited from the source profile.
    pub mfa_serial_from_source: bool,
    pub role_session_name: Option<String>,
    pub external_id: Option<String>,
    pub region: Option<String>,
    /// The first `include_profile` followed while resolving (the profile's own, usually).
    pub include_profile: Option<String>,
    pub credential_process: Option<String>,
    pub web_identity_token_file: Option<String>,
    pub web_identity_token_process: Option<String>,
    pub source_identity: Option<String>,
    pub sso_session: Option<String>,
    /// From the `[sso-session]` named by `sso_session` when that sets it, else inline.
    pub sso_start_url: Option<String>,
    /// From the `[sso-session]` named by `sso_session` when that sets it, else inline.
    pub sso_region: Option<String>,
    pub sso_account_id: Option<String>,
    pub sso_role_name: Option<String>,
    /// From the `[sso-session]` section only, as the AWS CLI reads it.
    pub sso_registration_scopes: Option<String>,
    /// Inherited from the source profile when the profile has none (as ByteNess aws-vault).
    pub mfa_process: Option<String>,
    pub endpoint_url: Option<String>,
    pub sts_regional_endpoints: Option<String>,
    /// `session_tags = k=v,k2=v2`, in the order written; a repeated key keeps its last value.
    pub session_tags: Vec<(String, String)>,
    /// `transitive_session_tags = k1,k2`.
    pub transitive_session_tags: Vec<String>,
    /// AssumeRole (and AssumeRoleWithWebIdentity); `duration_seconds` in the file.
    pub assume_role_duration: Duration,
    /// GetSessionToken when its session is the result handed out.
    pub session_token_duration: Duration,
    /// GetSessionToken that primes a role assumed from it.
    pub chained_session_token_duration: Duration,
    /// GetFederationToken (`login` for IAM users).
    pub federation_token_duration: Duration,
    /// Whether the profile has its own section in the file (otherwise it exists because of
    /// stored credentials, and gets its settings from `[default]`).
    pub has_section: bool,
}

impl ProfileConfig {
    /// Target first, then its source, then the source's source ... (the source_profile chain).
    pub fn chain(&self) -> Vec<&ProfileConfig> {
        let mut chain = vec![self];
        let mut current = self;
        while let Some(source) = current.source_profile.as_deref() {
            chain.push(source);
            current = source;
        }
        chain
    }

    pub fn has_role(&self) -> bool {
        self.role_arn.is_some()
    }

    /// The profile at the end of the chain (the one whose long-term keys sign the first call).
    #[cfg(test)]
    pub fn root(&self) -> &ProfileConfig {
        let mut current = self;
        while let Some(source) = current.source_profile.as_deref() {
            current = source;
        }
        current
    }

    /// The GetSessionToken duration for this profile: `chained` when a role is assumed from
    /// the session (the profile is another profile's source).
    pub fn session_token_duration_for(&self, chained: bool) -> Duration {
        if chained { self.chained_session_token_duration } else { self.session_token_duration }
    }

    pub fn has_sso(&self) -> bool {
        self.sso_start_url.is_some()
    }

    pub fn has_web_identity(&self) -> bool {
        self.web_identity_token_file.is_some() || self.web_identity_token_process.is_some()
    }
}

/// Resolves `name` and its `source_profile` chain.
///
/// A profile must have a section or stored credentials, and so must every profile its
/// `source_profile` chain names: a typo must not silently fall back to `[default]`.
pub fn resolve(
    cfg: &ConfigFile,
    name: &str,
    env: &Env,
    opts: &ResolveOptions,
) -> Result<ProfileConfig, ConfigError> {
    Resolver { cfg, env, opts, target: name }.profile(name, None, &mut Vec::new())
}

/// Settings collected so far; `None` means nobody has set it yet.
#[derive(Default)]
struct Settings {
    region: Option<String>,
    mfa_serial: Option<String>,
    role_arn: Option<String>,
    role_session_name: Option<String>,
    external_id: Option<String>,
    source_profile: Option<String>,
    include_profile: Option<String>,
    credential_process: Option<String>,
    web_identity_token_file: Option<String>,
    web_identity_token_process: Option<String>,
    source_identity: Option<String>,
    sso_session: Option<String>,
    sso_start_url: Option<String>,
    sso_region: Option<String>,
    sso_account_id: Option<String>,
    sso_role_name: Option<String>,
    sso_registration_scopes: Option<String>,
    mfa_process: Option<String>,
    endpoint_url: Option<String>,
    sts_regional_endpoints: Option<String>,
    session_tags: Option<Vec<(String, String)>>,
    transitive_session_tags: Option<Vec<String>>,
    assume_role: Option<Duration>,
    session_token: Option<Duration>,
    chained_session_token: Option<Duration>,
    federation: Option<Duration>,
}

fn fill(slot: &mut Option<String>, value: Option<&str>) {
    if slot.is_none() {
        *slot = value.map(str::to_string);
    }
}

/// A zero duration counts as unset, as in aws-vault (where 0 is Go's zero value).
fn fill_duration(slot: &mut Option<Duration>, value: Option<Duration>) {
    if slot.is_none() {
        *slot = value.filter(|d| !d.is_zero());
    }
}

struct Resolver<'a> {
    cfg: &'a ConfigFile,
    env: &'a Env,
    opts: &'a ResolveOptions,
    target: &'a str,
}

impl Resolver<'_> {
    fn path(&self) -> PathBuf {
        self.cfg.path().to_path_buf()
    }

    /// `referrer` is the profile whose `source_profile` named this one; `chain` holds the
    /// profiles being resolved above this one, to catch cycles.
    fn profile(
        &self,
        name: &str,
        referrer: Option<&str>,
        chain: &mut Vec<String>,
    ) -> Result<ProfileConfig, ConfigError> {
        if let Some(start) = chain.iter().position(|n| n == name) {
            let mut cycle = chain[start..].to_vec();
            cycle.push(name.to_string());
            return Err(ConfigError::SourceProfileCycle { path: self.path(), cycle });
        }
        let has_section = self.cfg.has_profile(name);
        if !has_section && !self.opts.stored_credentials.contains(name) {
            return Err(match referrer {
                None => ConfigError::ProfileNotFound {
                    profile: name.to_string(),
                    path: self.path(),
                    file_exists: self.cfg.exists(),
                },
                Some(referrer) => ConfigError::SourceProfileNotFound {
                    profile: referrer.to_string(),
                    source_profile: name.to_string(),
                    path: self.path(),
                },
            });
        }

        let mut s = Settings::default();
        self.apply_options(&mut s);
        self.apply_env(&mut s, name)?;
        self.apply_file(&mut s, name, &mut Vec::new())?;
        // aws-vault ignores a profile naming itself as its source, wherever the setting came
        // from (own section, include_profile or [default]).
        if s.source_profile.as_deref() == Some(name) {
            s.source_profile = None;
        }
        self.apply_sso_session(&mut s, name)?;

        let source = match s.source_profile.as_deref() {
            Some(source_name) => {
                chain.push(name.to_string());
                let source = self.profile(source_name, Some(name), chain);
                chain.pop();
                Some(Box::new(source?))
            }
            None => None,
        };

        let inherited_mfa = source.as_ref().and_then(|src| src.mfa_serial.clone());
        let mfa_serial_from_source = s.mfa_serial.is_none() && inherited_mfa.is_some();
        let mfa_process =
            s.mfa_process.or_else(|| source.as_ref().and_then(|src| src.mfa_process.clone()));

        Ok(ProfileConfig {
            name: name.to_string(),
            source_profile_name: s.source_profile,
            source_profile: source,
            role_arn: s.role_arn,
            mfa_serial: s.mfa_serial.or(inherited_mfa),
            mfa_serial_from_source,
            role_session_name: s.role_session_name,
            external_id: s.external_id,
            region: s.region,
            include_profile: s.include_profile,
            credential_process: s.credential_process,
            web_identity_token_file: s.web_identity_token_file,
            web_identity_token_process: s.web_identity_token_process,
            source_identity: s.source_identity,
            sso_session: s.sso_session,
            sso_start_url: s.sso_start_url,
            sso_region: s.sso_region,
            sso_account_id: s.sso_account_id,
            sso_role_name: s.sso_role_name,
            sso_registration_scopes: s.sso_registration_scopes,
            mfa_process,
            endpoint_url: s.endpoint_url,
            sts_regional_endpoints: s.sts_regional_endpoints,
            session_tags: s.session_tags.unwrap_or_default(),
            transitive_session_tags: s.transitive_session_tags.unwrap_or_default(),
            assume_role_duration: s.assume_role.unwrap_or(ONE_HOUR),
            session_token_duration: s.session_token.unwrap_or(ONE_HOUR),
            chained_session_token_duration: s
                .chained_session_token
                .unwrap_or(DEFAULT_CHAINED_SESSION_DURATION),
            federation_token_duration: s.federation.unwrap_or(ONE_HOUR),
            has_section,
        })
    }

    fn apply_options(&self, s: &mut Settings) {
        let o = self.opts;
        fill(&mut s.region, o.region.as_deref());
        fill(&mut s.mfa_serial, o.mfa_serial_override.as_deref());
        fill_duration(&mut s.assume_role, o.assume_role_ttl.or(o.duration));
        fill_duration(&mut s.session_token, o.session_ttl.or(o.duration));
        fill_duration(&mut s.chained_session_token, o.session_ttl.or(o.duration));
        fill_duration(&mut s.federation, o.federation_token_ttl.or(o.duration));
    }

    fn apply_env(&self, s: &mut Settings, name: &str) -> Result<(), ConfigError> {
        let env = self.env;
        fill(&mut s.region, env.get("AWS_REGION"));
        fill(&mut s.region, env.get("AWS_DEFAULT_REGION"));
        fill(&mut s.sts_regional_endpoints, env.get("AWS_STS_REGIONAL_ENDPOINTS"));
        fill(&mut s.endpoint_url, env.get("AWS_ENDPOINT_URL"));
        fill(&mut s.mfa_serial, env.get("AWS_MFA_SERIAL"));
        self.fill_env_duration(&mut s.assume_role, "AWS_ASSUME_ROLE_TTL")?;
        self.fill_env_duration(&mut s.session_token, "AWS_SESSION_TOKEN_TTL")?;
        // aws-vault 6 called it AWS_SESSION_TTL; its docs still do.
        self.fill_env_duration(&mut s.session_token, "AWS_SESSION_TTL")?;
        self.fill_env_duration(&mut s.chained_session_token, "AWS_CHAINED_SESSION_TOKEN_TTL")?;
        self.fill_env_duration(&mut s.federation, "AWS_FEDERATION_TOKEN_TTL")?;

        if name == self.target {
            fill(&mut s.role_arn, env.get("AWS_ROLE_ARN"));
            fill(&mut s.role_session_name, env.get("AWS_ROLE_SESSION_NAME"));
            if let (None, Some(text)) = (&s.session_tags, env.get("AWS_SESSION_TAGS")) {
                let tags =
                    parse_session_tags(text).map_err(|reason| ConfigError::InvalidValue {
                        name: "AWS_SESSION_TAGS".to_string(),
                        value: text.to_string(),
                        reason,
                    })?;
                s.session_tags = Some(tags);
            }
            if s.transitive_session_tags.is_none() {
                s.transitive_session_tags =
                    env.get("AWS_TRANSITIVE_TAGS").and_then(parse_transitive_tags);
            }
            fill(&mut s.source_identity, env.get("AWS_SOURCE_IDENTITY"));
        }
        Ok(())
    }

    /// Fills `slot` from the variable. The variable is read only if nothing set the duration
    /// already, so a stale variable that would not be used anyway does not fail the command.
    fn fill_env_duration(&self, slot: &mut Option<Duration>, var: &str) -> Result<(), ConfigError> {
        if let (None, Some(text)) = (*slot, self.env.get(var)) {
            let duration = parse_duration(text).map_err(|err| ConfigError::InvalidValue {
                name: var.to_string(),
                value: text.to_string(),
                reason: format!("{}; use a duration like 1h or 90m", err.reason),
            })?;
            fill_duration(slot, Some(duration));
        }
        Ok(())
    }

    /// Applies `section`'s settings, then its `include_profile` or else `[default]`.
    /// `visited` holds the sections applied so far, to catch include_profile loops.
    fn apply_file(
        &self,
        s: &mut Settings,
        section: &str,
        visited: &mut Vec<String>,
    ) -> Result<(), ConfigError> {
        if let Some(start) = visited.iter().position(|n| n == section) {
            let mut cycle = visited[start..].to_vec();
            cycle.push(section.to_string());
            return Err(ConfigError::IncludeProfileCycle { path: self.path(), cycle });
        }
        visited.push(section.to_string());

        let get = |key: &str| self.cfg.get(section, key);
        fill(&mut s.mfa_serial, get("mfa_serial"));
        fill(&mut s.role_arn, get("role_arn"));
        fill(&mut s.external_id, get("external_id"));
        fill(&mut s.region, get("region"));
        fill(&mut s.role_session_name, get("role_session_name"));
        fill(&mut s.source_profile, get("source_profile"));
        fill(&mut s.sso_session, get("sso_session"));
        fill(&mut s.sso_start_url, get("sso_start_url"));
        fill(&mut s.sso_region, get("sso_region"));
        fill(&mut s.sso_account_id, get("sso_account_id"));
        fill(&mut s.sso_role_name, get("sso_role_name"));
        fill(&mut s.web_identity_token_file, get("web_identity_token_file"));
        fill(&mut s.web_identity_token_process, get("web_identity_token_process"));
        fill(&mut s.sts_regional_endpoints, get("sts_regional_endpoints"));
        fill(&mut s.endpoint_url, get("endpoint_url"));
        fill(&mut s.source_identity, get("source_identity"));
        fill(&mut s.credential_process, get("credential_process"));
        fill(&mut s.mfa_process, get("mfa_process"));

        let invalid = |key: &str, value: &str, reason: String| ConfigError::InvalidSetting {
            profile: section.to_string(),
            path: self.path(),
            key: key.to_string(),
            value: value.to_string(),
            reason,
        };
        if let (None, Some(text)) = (s.assume_role, get("duration_seconds")) {
            let seconds: u64 = text.parse().map_err(|_| {
                invalid(
                    "duration_seconds",
                    text,
                    "expected a whole number of seconds, like 3600".to_string(),
                )
            })?;
            fill_duration(&mut s.assume_role, Some(Duration::from_secs(seconds)));
        }
        if let (None, Some(text)) = (&s.session_tags, get("session_tags")) {
            s.session_tags = Some(
                parse_session_tags(text).map_err(|reason| invalid("session_tags", text, reason))?,
            );
        }
        if s.transitive_session_tags.is_none() {
            s.transitive_session_tags =
                get("transitive_session_tags").and_then(parse_transitive_tags);
        }

        let include = get("include_profile");
        fill(&mut s.include_profile, include);
        match include {
            Some(include) => {
                if !self.cfg.has_profile(include) {
                    return Err(ConfigError::IncludeProfileNotFound {
                        profile: section.to_string(),
                        include: include.to_string(),
                        path: self.path(),
                    });
                }
                self.apply_file(s, include, visited)
            }
            // Reaching [default] again through the implicit fallback is not a loop the user
            // wrote (aws-vault would report one for `[default] include_profile = x`).
            None if section != DEFAULT_PROFILE
                && !visited.iter().any(|v| v == DEFAULT_PROFILE)
                && self.cfg.has_profile(DEFAULT_PROFILE) =>
            {
                self.apply_file(s, DEFAULT_PROFILE, visited)
            }
            None => Ok(()),
        }
    }

    /// Settings from the `[sso-session]` named by `sso_session` override the inline ones.
    fn apply_sso_session(&self, s: &mut Settings, name: &str) -> Result<(), ConfigError> {
        let Some(session) = s.sso_session.as_deref() else {
            return Ok(());
        };
        if !self.cfg.has_sso_session(session) {
            return Err(ConfigError::SsoSessionNotFound {
                profile: name.to_string(),
                session: session.to_string(),
                path: self.path(),
            });
        }
        let get = |key: &str| self.cfg.get_sso_session(session, key).map(str::to_string);
        let start_url = get("sso_start_url");
        let region = get("sso_region");
        let scopes = get("sso_registration_scopes");
        s.sso_start_url = start_url.or(s.sso_start_url.take());
        s.sso_region = region.or(s.sso_region.take());
        s.sso_registration_scopes = scopes;
        Ok(())
    }
}

/// `k=v,k2=v2` with whitespace around keys and values ignored, as aws-vault parses it.
fn parse_session_tags(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut tags: Vec<(String, String)> = Vec::new();
    for pair in text.split(',') {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(
                "expected key=value pairs separated by commas, like team=ops,env=dev".to_string()
            );
        };
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() {
            return Err(format!("the tag \"{}\" has no key; write it as key=value", pair.trim()));
        }
        match tags.iter_mut().find(|(k, _)| k == key) {
            Some(tag) => tag.1 = value.to_string(),
            None => tags.push((key.to_string(), value.to_string())),
        }
    }
    Ok(tags)
}

/// `k1,k2`; empty entries are skipped, and nothing at all counts as unset.
fn parse_transitive_tags(text: &str) -> Option<Vec<String>> {
    let keys: Vec<String> =
        text.split(',').map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect();
    (!keys.is_empty()).then_some(keys)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    // Through the re-exports, as the rest of the crate uses them.
    use crate::config::{ProfileConfig, ResolveOptions, resolve};

    const PATH: &str = "/home/u/.aws/config";

    fn cfg(text: &str) -> ConfigFile {
        ConfigFile::parse(text, Path::new(PATH)).expect("config parses")
    }

    fn no_env() -> Env {
        Env::default()
    }

    fn get(text: &str, name: &str) -> ProfileConfig {
        resolve(&cfg(text), name, &no_env(), &ResolveOptions::default()).expect("resolves")
    }

    fn err(text: &str, name: &str, env: &Env, opts: &ResolveOptions) -> String {
        resolve(&cfg(text), name, env, opts).expect_err("fails").to_string()
    }

    fn hours(h: u64) -> Duration {
        Duration::from_secs(h * 3600)
    }

    fn stored(names: &[&str]) -> ResolveOptions {
        ResolveOptions {
            stored_credentials: names.iter().map(|n| n.to_string()).collect(),
            ..Default::default()
        }
    }

    const HOME_WORK: &str = "\
[profile home]
region = us-east-1
mfa_serial = arn:aws:iam::IAM_ACCOUNTID:mfa/home-account

[profile work]
region = eu-west-1
mfa_serial = arn:aws:iam::IAM_ACCOUNTID:mfa/work-account

[profile work-read_only_role]
role_arn = arn:aws:iam::IAM_ACCOUNTID:role/read_only_role
source_profile = work

[profile work-admin_role]
role_arn = arn:aws:iam::IAM_ACCOUNTID:role/admin_role
source_profile = work
";

    #[test]
    fn usage_guide_home_and_work() {
        let home = get(HOME_WORK, "home");
        assert_eq!(home.region.as_deref(), Some("us-east-1"));
        assert_eq!(home.mfa_serial.as_deref(), Some("arn:aws:iam::IAM_ACCOUNTID:mfa/home-account"));
        assert!(!home.has_role());
        assert_eq!(home.source_profile, None);
        assert!(home.has_section);

        let work = get(HOME_WORK, "work");
        assert_eq!(work.region.as_deref(), Some("eu-west-1"));
        assert_eq!(work.chain().len(), 1);
        assert_eq!(work.root().name, "work");
    }

    #[test]
    fn usage_guide_work_roles_source_work() {
        for (name, role) in
            [("work-read_only_role", "read_only_role"), ("work-admin_role", "admin_role")]
        {
            let p = get(HOME_WORK, name);
            assert_eq!(p.role_arn, Some(format!("arn:aws:iam::IAM_ACCOUNTID:role/{role}")));
            assert_eq!(p.source_profile_name.as_deref(), Some("work"));
            assert_eq!(p.root().name, "work");
            assert_eq!(p.root().region.as_deref(), Some("eu-west-1"));
            // Region is not inherited from the source profile; MFA is.
            assert_eq!(p.region, None);
            assert_eq!(
                p.mfa_serial.as_deref(),
                Some("arn:aws:iam::IAM_ACCOUNTID:mfa/work-account")
            );
            assert!(p.mfa_serial_from_source);
            assert!(p.has_role() && !p.root().has_role());
        }
    }

    const READ_ONLY_ADMINS: &str = "\
[profile read-only]
mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith

[profile admin-a]
source_profile = read-only
role_arn = arn:aws:iam::123456789012:role/admin-access

[profile admin-b]
source_profile = read-only
role_arn = arn:aws:iam::987654321987:role/admin-access
";

    #[test]
    fn usage_guide_admins_inherit_read_only_mfa_serial() {
        for name in ["admin-a", "admin-b"] {
            let p = get(READ_ONLY_ADMINS, name);
            assert_eq!(p.mfa_serial.as_deref(), Some("arn:aws:iam::123456789012:mfa/jonsmith"));
            assert!(p.mfa_serial_from_source);
            let src = p.source_profile.as_deref().unwrap();
            assert_eq!(src.name, "read-only");
            assert!(!src.mfa_serial_from_source);
        }
        assert_eq!(
            get(READ_ONLY_ADMINS, "admin-b").role_arn.as_deref(),
            Some("arn:aws:iam::987654321987:role/admin-access")
        );
    }

    #[test]
    fn usage_guide_role_chain() {
        let text = "\
[profile read-only]
mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith

[profile intermediary]
source_profile = read-only
role_arn = arn:aws:iam::123456789012:role/intermediary

[profile target]
source_profile = intermediary
role_arn = arn:aws:iam::123456789012:role/target
";
        let p = get(text, "target");
        let names: Vec<&str> = p.chain().iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["target", "intermediary", "read-only"]);
        assert_eq!(p.root().name, "read-only");
        assert!(
            p.chain()
                .iter()
                .all(|c| c.mfa_serial.as_deref() == Some("arn:aws:iam::123456789012:mfa/jonsmith"))
        );
        assert!(p.mfa_serial_from_source);
        assert_eq!(
            p.chain()[1].role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/intermediary")
        );
    }

    #[test]
    fn own_mfa_serial_and_mfa_process_beat_the_sources() {
        let text = "\
[profile source]
mfa_serial = arn:mfa/source
mfa_process = source-otp

[profile target]
mfa_serial = arn:mfa/target
role_arn = arn:aws:iam::1:role/r
source_profile = source

[profile plain]
role_arn = arn:aws:iam::1:role/r
source_profile = source
";
        let target = get(text, "target");
        assert_eq!(target.mfa_serial.as_deref(), Some("arn:mfa/target"));
        assert!(!target.mfa_serial_from_source);
        assert_eq!(target.mfa_process.as_deref(), Some("source-otp"));
        let plain = get(text, "plain");
        assert_eq!(plain.mfa_process.as_deref(), Some("source-otp"));
        assert_eq!(plain.mfa_serial.as_deref(), Some("arn:mfa/source"));
    }

    #[test]
    fn include_profile_fills_gaps() {
        let text = "\
[default]
region = us-west-2
output = json

[profile testincludeprofile1]
region = us-east-1
mfa_serial = arn:mfa/shared

[profile testincludeprofile2]
include_profile = testincludeprofile1
role_arn = arn:aws:iam::1:role/r
";
        let p = get(text, "testincludeprofile2");
        assert_eq!(p.region.as_deref(), Some("us-east-1"));
        assert_eq!(p.mfa_serial.as_deref(), Some("arn:mfa/shared"));
        assert!(!p.mfa_serial_from_source);
        assert_eq!(p.include_profile.as_deref(), Some("testincludeprofile1"));
    }

    #[test]
    fn include_profile_may_name_the_source_too() {
        // aws-vault issue 1176: source and include pointing at the same base profile.
        let text = "\
[profile my-shared-base-profile]
credential_process=aws-vault exec my-shared-base-profile -j
mfa_serial=arn:aws:iam::1234567890:mfa/danielholz
region=eu-west-1

[profile profile-with-role]
source_profile=my-shared-base-profile
include_profile=my-shared-base-profile
region=eu-west-1
role_arn=arn:aws:iam::12345678901:role/allow-view-only-access-from-other-accounts
";
        let p = get(text, "profile-with-role");
        assert_eq!(p.source_profile_name.as_deref(), Some("my-shared-base-profile"));
        assert_eq!(
            p.credential_process.as_deref(),
            Some("aws-vault exec my-shared-base-profile -j")
        );
        assert_eq!(p.root().name, "my-shared-base-profile");
        assert!(!p.mfa_serial_from_source);
    }

    #[test]
    fn everything_inherits_from_default() {
        let text = "\
[default]
region = us-west-2
mfa_serial = arn:mfa/default
sts_regional_endpoints = legacy

[profile a]
region = eu-north-1
";
        let a = get(text, "a");
        assert_eq!(a.region.as_deref(), Some("eu-north-1"));
        assert_eq!(a.mfa_serial.as_deref(), Some("arn:mfa/default"));
        assert_eq!(a.sts_regional_endpoints.as_deref(), Some("legacy"));
        let d = get(text, "default");
        assert_eq!(d.region.as_deref(), Some("us-west-2"));
    }

    #[test]
    fn stored_credentials_alone_make_a_profile_that_inherits_default() {
        let text = "[default]\nregion = ap-south-1\n";
        let p = resolve(&cfg(text), "ci-bot", &no_env(), &stored(&["ci-bot"])).unwrap();
        assert!(!p.has_section);
        assert_eq!(p.region.as_deref(), Some("ap-south-1"));
        // With no file at all, too.
        let missing = ConfigFile::load(Path::new("/nonexistent/vault-test/config")).unwrap();
        let p = resolve(&missing, "ci-bot", &no_env(), &stored(&["ci-bot"])).unwrap();
        assert_eq!(p.region, None);
    }

    #[test]
    fn unknown_profile_is_an_error_not_default() {
        let text = "[default]\nregion = us-east-1\n[profile work]\n";
        assert_eq!(
            err(text, "wrok", &no_env(), &ResolveOptions::default()),
            "profile \"wrok\" not found in /home/u/.aws/config; add it with `vault add wrok` or check the name"
        );
        let missing = ConfigFile::load(Path::new("/nonexistent/vault-test/config")).unwrap();
        let e = resolve(&missing, "work", &no_env(), &ResolveOptions::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "profile \"work\" not found in /nonexistent/vault-test/config (the file does not exist); add it with `vault add work` or check the name"
        );
        // "default" needs a section or stored credentials like any other name.
        let e = err("[profile a]\n", "default", &no_env(), &ResolveOptions::default());
        assert!(e.starts_with("profile \"default\" not found"), "{e}");
    }

    #[test]
    fn unknown_source_profile_names_both_profiles() {
        let text = "[profile admin]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n";
        assert_eq!(
            err(text, "admin", &no_env(), &ResolveOptions::default()),
            "profile \"admin\" has source_profile \"base\", which is not in /home/u/.aws/config and has no stored credentials; add it with `vault add base` or fix source_profile"
        );
        // Stored credentials are enough for a source.
        let p = resolve(&cfg(text), "admin", &no_env(), &stored(&["base"])).unwrap();
        assert_eq!(p.root().name, "base");
        assert!(!p.root().has_section);
    }

    #[test]
    fn source_profile_naming_itself_is_ignored() {
        let p = get("[profile foo]\nsource_profile = foo\nregion = x\n", "foo");
        assert_eq!(p.source_profile_name, None);
        assert_eq!(p.source_profile, None);
        // Also when the self-reference arrives through include_profile.
        let text = "[profile root]\nsource_profile = foo\n[profile foo]\ninclude_profile = root\n";
        assert_eq!(get(text, "foo").source_profile_name, None);
    }

    #[test]
    fn source_profile_can_be_the_included_parent() {
        let p = get(
            "[profile root]\n\n[profile foo]\ninclude_profile=root\nsource_profile=root\n",
            "foo",
        );
        assert_eq!(p.source_profile_name.as_deref(), Some("root"));
    }

    #[test]
    fn source_profile_cycles_are_printed() {
        let two = "[profile a]\nsource_profile = b\n[profile b]\nsource_profile = a\n";
        assert_eq!(
            err(two, "a", &no_env(), &ResolveOptions::default()),
            "source_profile cycle in /home/u/.aws/config: a -> b -> a; remove one of these source_profile settings"
        );
        let three = "[profile a]\nsource_profile = b\n[profile b]\nsource_profile = c\n\
                     [profile c]\nsource_profile = a\n";
        let e = err(three, "b", &no_env(), &ResolveOptions::default());
        assert!(
            e.starts_with("source_profile cycle in /home/u/.aws/config: b -> c -> a -> b;"),
            "{e}"
        );
        // A cycle below the target is printed from where it starts.
        let tail = "[profile t]\nsource_profile = a\n[profile a]\nsource_profile = b\n\
                    [profile b]\nsource_profile = a\n";
        let e = err(tail, "t", &no_env(), &ResolveOptions::default());
        assert!(e.contains(": a -> b -> a;"), "{e}");
        // A source_profile reached through include_profile can close a cycle too.
        let via_include = "[profile a]\ninclude_profile = base\n[profile base]\nsource_profile = b\n\
                           [profile b]\nsource_profile = a\n";
        let e = err(via_include, "a", &no_env(), &ResolveOptions::default());
        assert!(e.contains(": a -> b -> a;"), "{e}");
    }

    #[test]
    fn include_profile_loops_and_missing_includes_are_errors() {
        let e =
            err("[profile a]\ninclude_profile = a\n", "a", &no_env(), &ResolveOptions::default());
        assert_eq!(
            e,
            "include_profile cycle in /home/u/.aws/config: a -> a; remove one of these include_profile settings"
        );
        let text = "[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = c\n\
                    [profile c]\ninclude_profile = a\n";
        let e = err(text, "a", &no_env(), &ResolveOptions::default());
        assert!(e.contains(": a -> b -> c -> a;"), "{e}");
        let e = err(
            "[profile a]\ninclude_profile = nope\n",
            "a",
            &no_env(),
            &ResolveOptions::default(),
        );
        assert_eq!(
            e,
            "profile \"a\" has include_profile \"nope\", which is not in /home/u/.aws/config; add a [profile nope] section or fix include_profile"
        );
        // [default] including a profile that falls back to [default] is not a loop.
        let p = get(
            "[default]\ninclude_profile = base\n[profile base]\nregion = r\n[profile x]\n",
            "x",
        );
        assert_eq!(p.region.as_deref(), Some("r"));
    }

    #[test]
    fn region_precedence_flag_then_env_then_file() {
        let text = "[default]\nregion = default-region\n[profile a]\nregion = profile-region\n[profile b]\n";
        let both =
            Env::from_pairs([("AWS_REGION", "env-region"), ("AWS_DEFAULT_REGION", "env-default")]);
        let only_default = Env::from_pairs([("AWS_DEFAULT_REGION", "env-default")]);
        let empty_region =
            Env::from_pairs([("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "env-default")]);
        let opts = ResolveOptions::default();
        let region = |name: &str, env: &Env, opts: &ResolveOptions| {
            resolve(&cfg(text), name, env, opts).unwrap().region.unwrap()
        };
        assert_eq!(region("a", &no_env(), &opts), "profile-region");
        assert_eq!(region("b", &no_env(), &opts), "default-region");
        assert_eq!(region("a", &both, &opts), "env-region");
        assert_eq!(region("a", &only_default, &opts), "env-default");
        assert_eq!(region("a", &empty_region, &opts), "env-default");
        let flag = ResolveOptions { region: Some("flag-region".into()), ..Default::default() };
        assert_eq!(region("a", &both, &flag), "flag-region");
    }

    #[test]
    fn mfa_serial_env_and_override() {
        let text = "[profile base]\n[profile a]\nmfa_serial = arn:mfa/file\n[profile role]\n\
                    source_profile = base\nrole_arn = arn:aws:iam::1:role/r\n";
        let env = Env::from_pairs([("AWS_MFA_SERIAL", "arn:mfa/env")]);
        let flag = ResolveOptions {
            mfa_serial_override: Some("arn:mfa/flag".into()),
            ..Default::default()
        };
        let mfa = |name: &str, env: &Env, opts: &ResolveOptions| {
            resolve(&cfg(text), name, env, opts).unwrap().mfa_serial.unwrap()
        };
        assert_eq!(mfa("a", &env, &ResolveOptions::default()), "arn:mfa/env");
        assert_eq!(mfa("a", &env, &flag), "arn:mfa/flag");
        assert_eq!(mfa("a", &no_env(), &flag), "arn:mfa/flag");
        // Both apply to every profile in the chain, so the serials match end to end.
        let p = resolve(&cfg(text), "role", &env, &ResolveOptions::default()).unwrap();
        assert!(p.chain().iter().all(|c| c.mfa_serial.as_deref() == Some("arn:mfa/env")));
        assert!(!p.mfa_serial_from_source);
    }

    #[test]
    fn durations_default_to_1h_and_8h() {
        let p = get("[profile a]\n", "a");
        assert_eq!(p.assume_role_duration, hours(1));
        assert_eq!(p.session_token_duration, hours(1));
        assert_eq!(p.chained_session_token_duration, hours(8));
        assert_eq!(p.federation_token_duration, hours(1));
        assert_eq!(p.session_token_duration_for(true), hours(8));
        assert_eq!(p.session_token_duration_for(false), hours(1));
    }

    #[test]
    fn duration_seconds_sets_the_assume_role_duration() {
        let text = "[default]\nduration_seconds = 7200\n[profile a]\nduration_seconds = 43200\n\
                    [profile b]\n[profile zero]\nduration_seconds = 0\n";
        assert_eq!(get(text, "a").assume_role_duration, hours(12));
        assert_eq!(get(text, "b").assume_role_duration, hours(2));
        assert_eq!(get(text, "a").session_token_duration, hours(1));
        let e =
            err("[profile a]\nduration_seconds = 1h\n", "a", &no_env(), &ResolveOptions::default());
        assert_eq!(
            e,
            "profile \"a\" in /home/u/.aws/config: duration_seconds = \"1h\" is invalid: expected a whole number of seconds, like 3600"
        );
    }

    #[test]
    fn ttl_environment_variables() {
        let text = "[profile a]\nduration_seconds = 900\n";
        let env = Env::from_pairs([
            ("AWS_ASSUME_ROLE_TTL", "2h"),
            ("AWS_SESSION_TOKEN_TTL", "30m"),
            ("AWS_CHAINED_SESSION_TOKEN_TTL", "12h"),
            ("AWS_FEDERATION_TOKEN_TTL", "1h30m"),
        ]);
        let p = resolve(&cfg(text), "a", &env, &ResolveOptions::default()).unwrap();
        // The environment beats duration_seconds, as in aws-vault.
        assert_eq!(p.assume_role_duration, hours(2));
        assert_eq!(p.session_token_duration, Duration::from_secs(1800));
        assert_eq!(p.chained_session_token_duration, hours(12));
        assert_eq!(p.federation_token_duration, Duration::from_secs(5400));

        let old_name = Env::from_pairs([("AWS_SESSION_TTL", "4h")]);
        let p = resolve(&cfg(text), "a", &old_name, &ResolveOptions::default()).unwrap();
        assert_eq!(p.session_token_duration, hours(4));
        let both = Env::from_pairs([("AWS_SESSION_TTL", "4h"), ("AWS_SESSION_TOKEN_TTL", "2h")]);
        let p = resolve(&cfg(text), "a", &both, &ResolveOptions::default()).unwrap();
        assert_eq!(p.session_token_duration, hours(2));
    }

    #[test]
    fn bad_ttl_environment_variable_is_named() {
        let env = Env::from_pairs([("AWS_ASSUME_ROLE_TTL", "2 hours")]);
        let e = err("[profile a]\n", "a", &env, &ResolveOptions::default());
        assert!(e.starts_with("AWS_ASSUME_ROLE_TTL=\"2 hours\" is invalid: "), "{e}");
        assert!(e.ends_with("use a duration like 1h or 90m"), "{e}");
        // Not read at all when a flag already decided the duration.
        let flag = ResolveOptions { assume_role_ttl: Some(hours(1)), ..Default::default() };
        assert!(resolve(&cfg("[profile a]\n"), "a", &env, &flag).is_ok());
    }

    #[test]
    fn duration_flags_beat_env_and_file() {
        let text = "[profile a]\nduration_seconds = 900\n";
        let env =
            Env::from_pairs([("AWS_ASSUME_ROLE_TTL", "2h"), ("AWS_SESSION_TOKEN_TTL", "30m")]);
        let all = ResolveOptions { duration: Some(hours(3)), ..Default::default() };
        let p = resolve(&cfg(text), "a", &env, &all).unwrap();
        assert_eq!(p.assume_role_duration, hours(3));
        assert_eq!(p.session_token_duration, hours(3));
        assert_eq!(p.chained_session_token_duration, hours(3));
        assert_eq!(p.federation_token_duration, hours(3));

        let specific = ResolveOptions {
            duration: Some(hours(3)),
            assume_role_ttl: Some(hours(5)),
            session_ttl: Some(hours(6)),
            federation_token_ttl: Some(hours(7)),
            ..Default::default()
        };
        let p = resolve(&cfg(text), "a", &env, &specific).unwrap();
        assert_eq!(p.assume_role_duration, hours(5));
        assert_eq!(p.session_token_duration, hours(6));
        assert_eq!(p.chained_session_token_duration, hours(6));
        assert_eq!(p.federation_token_duration, hours(7));
    }

    #[test]
    fn session_tags_from_file_and_env() {
        let text = "\
[profile tagged]
session_tags = tag1 = value1 , tag2=value2 ,tag3=value3,tag1=again
transitive_session_tags = tagOne ,tagTwo,,tagThree
";
        let p = get(text, "tagged");
        assert_eq!(
            p.session_tags,
            [("tag1", "again"), ("tag2", "value2"), ("tag3", "value3")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert_eq!(p.transitive_session_tags, ["tagOne", "tagTwo", "tagThree"]);

        let env = Env::from_pairs([
            ("AWS_SESSION_TAGS", " tagA = val1 , tagB=val2"),
            ("AWS_TRANSITIVE_TAGS", " tagD ,tagE"),
        ]);
        let p = resolve(&cfg(text), "tagged", &env, &ResolveOptions::default()).unwrap();
        assert_eq!(
            p.session_tags,
            [("tagA", "val1"), ("tagB", "val2")].map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert_eq!(p.transitive_session_tags, ["tagD", "tagE"]);

        for bad in ["tag1=value1,", "tagA=valueA,tagB", "=v"] {
            let e = err(
                &format!("[profile t]\nsession_tags = {bad}\n"),
                "t",
                &no_env(),
                &ResolveOptions::default(),
            );
            assert!(e.starts_with("profile \"t\" in /home/u/.aws/config: session_tags = "), "{e}");
        }
        let env = Env::from_pairs([("AWS_SESSION_TAGS", "nope")]);
        let e = err("[profile t]\n", "t", &env, &ResolveOptions::default());
        assert!(
            e.starts_with("AWS_SESSION_TAGS=\"nope\" is invalid: expected key=value pairs"),
            "{e}"
        );
    }

    #[test]
    fn target_only_environment_skips_the_sources() {
        let text = "\
[profile base]
session_tags = base=1

[profile interim]
session_tags = tag1=value1
transitive_session_tags = tag2
source_profile = base
role_arn = arn:aws:iam::1:role/interim

[profile target]
source_profile = interim
";
        let env = Env::from_pairs([
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/from-env"),
            ("AWS_ROLE_SESSION_NAME", "me"),
            ("AWS_SESSION_TAGS", "tagI=valI"),
            ("AWS_TRANSITIVE_TAGS", "tagII"),
            ("AWS_SOURCE_IDENTITY", "alice"),
            ("AWS_REGION", "eu-west-3"),
        ]);
        let p = resolve(&cfg(text), "target", &env, &ResolveOptions::default()).unwrap();
        assert_eq!(p.role_arn.as_deref(), Some("arn:aws:iam::1:role/from-env"));
        assert_eq!(p.role_session_name.as_deref(), Some("me"));
        assert_eq!(p.session_tags, [("tagI".to_string(), "valI".to_string())]);
        assert_eq!(p.transitive_session_tags, ["tagII"]);
        assert_eq!(p.source_identity.as_deref(), Some("alice"));

        let interim = p.source_profile.as_deref().unwrap();
        assert_eq!(interim.role_arn.as_deref(), Some("arn:aws:iam::1:role/interim"));
        assert_eq!(interim.role_session_name, None);
        assert_eq!(interim.session_tags, [("tag1".to_string(), "value1".to_string())]);
        assert_eq!(interim.transitive_session_tags, ["tag2"]);
        assert_eq!(interim.source_identity, None);
        let base = p.root();
        assert_eq!(base.role_arn, None);
        assert!(base.transitive_session_tags.is_empty());
        // Region applies to every profile in the chain.
        assert!(p.chain().iter().all(|c| c.region.as_deref() == Some("eu-west-3")));
    }

    #[test]
    fn endpoint_settings_from_env_and_file() {
        let text = "[profile a]\nendpoint_url = https://localhost:1234\nsts_regional_endpoints = regional\n[profile b]\n";
        let p = get(text, "a");
        assert_eq!(p.endpoint_url.as_deref(), Some("https://localhost:1234"));
        assert_eq!(p.sts_regional_endpoints.as_deref(), Some("regional"));
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
            ("AWS_STS_REGIONAL_ENDPOINTS", "legacy"),
        ]);
        let p = resolve(&cfg(text), "a", &env, &ResolveOptions::default()).unwrap();
        assert_eq!(p.endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
        assert_eq!(p.sts_regional_endpoints.as_deref(), Some("legacy"));
    }

    #[test]
    fn sso_session_overrides_inline_settings() {
        let text = "\
[profile with-sso-session]
sso_session = moon-sso
sso_account_id=123456
sso_role_name = Admin
sso_region = inline-region
sso_start_url = https://inline/start
region = moon-1 # different from sso region

[profile partial]
sso_session = half
sso_region = inline-region

[sso-session moon-sso]
sso_start_url = https://d-123456789.example.com/start
sso_region = moon-2  # different from profile region
sso_registration_scopes = sso:account:access

[sso-session half]
sso_start_url = https://half/start
";
        let p = get(text, "with-sso-session");
        assert_eq!(p.region.as_deref(), Some("moon-1"));
        assert_eq!(p.sso_start_url.as_deref(), Some("https://d-123456789.example.com/start"));
        assert_eq!(p.sso_region.as_deref(), Some("moon-2"));
        assert_eq!(p.sso_registration_scopes.as_deref(), Some("sso:account:access"));
        assert_eq!(p.sso_account_id.as_deref(), Some("123456"));
        assert_eq!(p.sso_role_name.as_deref(), Some("Admin"));
        assert!(p.has_sso());

        let partial = get(text, "partial");
        assert_eq!(partial.sso_start_url.as_deref(), Some("https://half/start"));
        assert_eq!(partial.sso_region.as_deref(), Some("inline-region"));

        let e =
            err("[profile x]\nsso_session = gone\n", "x", &no_env(), &ResolveOptions::default());
        assert_eq!(
            e,
            "profile \"x\" has sso_session \"gone\", but /home/u/.aws/config has no [sso-session gone] section; add it or fix sso_session"
        );
    }

    #[test]
    fn sso_source_profile_from_default_session() {
        // aws-vault issue 1195: the source's own sso settings win over [default]'s.
        let text = "\
[profile test]
source_profile=dev
region=ap-northeast-2

[profile dev]
sso_session=common
sso_account_id=2160xxxx
sso_role_name=AdministratorAccess

[default]
sso_session=common
sso_account_id=3701xxxx
sso_role_name=AdministratorAccess
region=ap-northeast-2

[sso-session common]
sso_start_url=https://xxxx.awsapps.com/start
sso_region=ap-northeast-2
";
        let p = get(text, "test");
        let dev = p.source_profile.as_deref().unwrap();
        assert_eq!(dev.sso_account_id.as_deref(), Some("2160xxxx"));
        assert_eq!(dev.sso_start_url.as_deref(), Some("https://xxxx.awsapps.com/start"));
        assert_eq!(dev.region.as_deref(), Some("ap-northeast-2"));
    }

    #[test]
    fn web_identity_and_credential_process_settings() {
        let text = "\
[profile role2]
role_arn = arn:aws:iam::33333333333:role/role2
web_identity_token_process = oidccli raw
role_session_name = ci
external_id = ext-1

[profile proc]
credential_process = /usr/bin/get-creds --profile \"my prof\"
";
        let p = get(text, "role2");
        assert!(p.has_web_identity());
        assert_eq!(p.web_identity_token_process.as_deref(), Some("oidccli raw"));
        assert_eq!(p.role_session_name.as_deref(), Some("ci"));
        assert_eq!(p.external_id.as_deref(), Some("ext-1"));
        let p = get(text, "proc");
        assert_eq!(
            p.credential_process.as_deref(),
            Some("/usr/bin/get-creds --profile \"my prof\"")
        );
        assert!(!p.has_web_identity() && !p.has_sso());
    }

    #[test]
    fn odd_profile_names_resolve_through_source_profile() {
        let text = "\
[profile my \"odd\" prof ü]
mfa_serial = arn:mfa/odd
region = eu-central-1

[profile role for odd]
source_profile = my \"odd\" prof ü
role_arn = arn:aws:iam::1:role/r
";
        let p = get(text, "role for odd");
        assert_eq!(p.root().name, "my \"odd\" prof ü");
        assert_eq!(p.mfa_serial.as_deref(), Some("arn:mfa/odd"));
    }

    #[test]
    fn case_of_section_names_matters_for_lookups() {
        let text = "[profile Work]\nREGION = eu-west-1\n[profile work]\nregion = us-east-2\n";
        assert_eq!(get(text, "Work").region.as_deref(), Some("eu-west-1"));
        assert_eq!(get(text, "work").region.as_deref(), Some("us-east-2"));
        let e = err(text, "WORK", &no_env(), &ResolveOptions::default());
        assert!(e.starts_with("profile \"WORK\" not found"), "{e}");
    }
}
