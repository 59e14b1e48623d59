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

use super::file::ConfigFile;
use super::profile::ProfileConfig;
use super::{ConfigError, check_region};
use crate::duration::parse_duration;
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

/// Fills `slot` with a region that passes [`check_region`]; a bad one is
/// refused where it was read, so the error names its source (`bad` makes
/// the error from the value and the reason).
fn fill_region(
    slot: &mut Option<String>,
    value: Option<&str>,
    bad: impl FnOnce(String, String) -> ConfigError,
) -> Result<(), ConfigError> {
    if let (None, Some(text)) = (&slot, value) {
        check_region(text).map_err(|reason| bad(text.to_owned(), reason))?;
        *slot = Some(text.to_owned());
    }
    Ok(())
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
                    suggestion: super::suggest(
                        name,
                        self.cfg
                            .profile_names()
                            .iter()
                            .chain(&self.opts.stored_credentials)
                            .map(String::as_str),
                    ),
                },
                Some(referrer) => ConfigError::SourceProfileNotFound {
                    profile: referrer.to_string(),
                    source_profile: name.to_string(),
                    path: self.path(),
                },
            });
        }

        let mut s = Settings::default();
        self.apply_options(&mut s)?;
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

    fn apply_options(&self, s: &mut Settings) -> Result<(), ConfigError> {
        let o = self.opts;
        fill_region(&mut s.region, o.region.as_deref(), |value, reason| {
            ConfigError::InvalidValue { name: "--region".into(), value, reason }
        })?;
        fill(&mut s.mfa_serial, o.mfa_serial_override.as_deref());
        fill_duration(&mut s.assume_role, o.assume_role_ttl.or(o.duration));
        fill_duration(&mut s.session_token, o.session_ttl.or(o.duration));
        fill_duration(&mut s.chained_session_token, o.session_ttl.or(o.duration));
        fill_duration(&mut s.federation, o.federation_token_ttl.or(o.duration));
        Ok(())
    }

    fn apply_env(&self, s: &mut Settings, name: &str) -> Result<(), ConfigError> {
        let env = self.env;
        for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            fill_region(&mut s.region, env.get(var), |value, reason| ConfigError::InvalidValue {
                name: var.into(),
                value,
                reason,
            })?;
        }
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
        fill_region(&mut s.region, get("region"), |value, reason| {
            invalid("region", &value, reason)
        })?;
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
#[path = "resolve_tests.rs"]
mod tests;
