//! Turning a profile into credentials: the sequence from a profile name
//! (`fetch.rs`), the plan of STS calls, running it (the calls themselves are
//! `crate::aws::sts`), MFA, the session cache and the lock around refreshes.

mod fetch;
mod mfa;
mod plan;
mod process;
mod shape;

use std::path::PathBuf;

use anyhow::{Context as _, Result, anyhow};
use chrono::Utc;

pub use fetch::{CredentialOptions, fetch, prepare, sso_sign_in};
pub use mfa::{MfaCodes, MfaError};
pub use plan::{Plan, PlanOptions, ROLE_CHAINING_LIMIT, RoleStep, Source, SsoRole, Step, plan};

use crate::aws::{Mfa, Service, Sts, Target};
use crate::config::ProfileConfig;
use crate::creds::{Credentials, Secret};
use crate::env::Env;
use crate::refresh_lock::{self, LOCK_TIMEOUT_VAR};
use crate::sso::{SignIn, SignInOptions, SsoSession};
use crate::store::{CredentialKeyring, SessionKeyring, Store};

/// How long a cached session must still be valid to be reused:
/// `AWS_MIN_TTL` (a Go duration), 5 minutes by default.
pub fn min_ttl(env: &Env) -> Result<chrono::Duration> {
    let ttl = match env.get("AWS_MIN_TTL") {
        Some(text) => crate::duration::parse_duration(text)
            .map_err(|e| anyhow!("AWS_MIN_TTL=\"{text}\" is invalid: {e}"))?,
        None => std::time::Duration::from_secs(300),
    };
    Ok(chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX))
}

/// Runs a [`Plan`]: reuses cached sessions where it can, and otherwise makes
/// the STS calls under the refresh lock, caching what they return.
pub struct Resolver<'a> {
    pub env: &'a Env,
    pub store: &'a dyn Store,
    pub min_ttl: chrono::Duration,
    pub mfa: &'a mut MfaCodes,
    pub lock_path: PathBuf,
    /// How long to wait for another process's refresh (`VAULT_LOCK_TIMEOUT`).
    pub lock_wait: std::time::Duration,
    /// `rotate` must not reuse sessions made from the keys it replaces.
    pub use_cache: bool,
    pub sign_in: &'a SignInOptions,
    /// Which durations the caller asked for by flag (`--duration` and the TTL flags).
    pub asked: AskedDurations,
    /// What the user should hear about what happened at run time (a duration
    /// shortened because a helper's credentials turned out to be temporary).
    pub notes: Vec<String>,
}

/// Durations given by flag: a cached session is then reused only while it
/// still has most of what was asked for left (see [`Resolver::enough_left`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct AskedDurations {
    pub session: bool,
    pub role: bool,
}

/// A cached session answers an explicit duration while it has at least this
/// share of it left: asking twice in a row reuses the first session, asking
/// for 12h an hour before a 1h session ends fetches a new one.
const ASKED_SHARE: (u32, u32) = (9, 10);

impl Resolver<'_> {
    pub fn credentials(&mut self, cfg: &ProfileConfig, plan: &Plan) -> Result<Credentials> {
        let shapes = shape::shapes(cfg, plan, self.env);
        if let Some((done, creds)) = self.newest_cached(plan, &shapes)?
            && done == plan.steps.len()
        {
            log::debug!("using the cached session for {}", cfg.name);
            return Ok(creds);
        }
        // Something must be fetched. Another process may be fetching the same
        // thing right now: wait for it, then look in the cache again.
        let _lock = if plan.steps.is_empty() && !matches!(plan.source, Source::Sso(_)) {
            None
        } else {
            Some(
                refresh_lock::RefreshLock::acquire_timeout(&self.lock_path, self.lock_wait)
                    .map_err(|e| {
                        let path = self.lock_path.display();
                        if e.kind() == std::io::ErrorKind::TimedOut {
                            anyhow!(
                                "another vault process is refreshing these credentials (waited {}, \
                             perhaps for an MFA code); finish or stop it and try again, or set \
                             {LOCK_TIMEOUT_VAR} to wait longer (lock file {path})",
                                crate::duration::format_duration(refresh_lock::effective_limit(
                                    self.lock_wait
                                ))
                            )
                        } else {
                            anyhow!("could not take the refresh lock {path}: {e}")
                        }
                    })?,
            )
        };
        let (start, mut creds) = match self.newest_cached(plan, &shapes)? {
            Some(found) => found,
            None => (0, self.source_credentials(cfg, plan, &shapes)?),
        };
        if start == plan.steps.len() {
            return Ok(creds);
        }
        let mut clients = Clients::default();
        for (i, step) in plan.steps.iter().enumerate().skip(start) {
            let sts = clients.for_profile(cfg, step.profile(), self.env)?;
            creds = match step {
                Step::SessionToken(s) => {
                    let mfa = self.mfa_for(s.mfa_serial.as_deref())?;
                    sts.get_session_token(&creds, s.duration, mfa)?
                }
                Step::AssumeRole(r) => {
                    let mfa = self.mfa_for(r.mfa_serial.as_deref())?;
                    let capped = self.chaining_cap(r, &creds);
                    sts.assume_role(&creds, capped.as_ref().unwrap_or(r), mfa)?
                }
            };
            if self.use_cache {
                SessionKeyring::new(self.store)
                    .set(
                        step.cache_kind(),
                        step.profile(),
                        step.cache_mfa_serial(),
                        &shapes.steps[i],
                        &creds,
                    )
                    .context("could not cache the new session")?;
            }
        }
        Ok(creds)
    }

    /// AWS refuses a role session over an hour from temporary credentials. The
    /// plan caps the chains it can see; a `credential_process` shows only at
    /// run time whether its keys are temporary.
    fn chaining_cap(&mut self, role: &RoleStep, creds: &Credentials) -> Option<RoleStep> {
        if creds.session_token.is_none() || role.duration <= ROLE_CHAINING_LIMIT {
            return None;
        }
        self.notes.push(format!(
            "profile \"{}\": its source's credentials are temporary, and role sessions assumed \
             from temporary credentials last at most 1h (AWS's role-chaining limit), so {} was \
             shortened to 1h",
            role.profile,
            crate::duration::format_duration(role.duration)
        ));
        Some(RoleStep { duration: ROLE_CHAINING_LIMIT, ..role.clone() })
    }

    /// The furthest step of the plan whose result is cached, fresh and made
    /// for the same inputs, as (number of steps done, credentials). Looking
    /// from the end means a warm cache never decrypts the long-term keys.
    fn newest_cached(
        &self,
        plan: &Plan,
        shapes: &shape::Shapes,
    ) -> Result<Option<(usize, Credentials)>> {
        if !self.use_cache {
            return Ok(None);
        }
        let sessions = SessionKeyring::new(self.store);
        let now = Utc::now();
        for (i, step) in plan.steps.iter().enumerate().rev() {
            let cached = sessions.get(
                step.cache_kind(),
                step.profile(),
                step.cache_mfa_serial(),
                &shapes.steps[i],
                self.min_ttl,
                now,
            )?;
            if let Some(creds) = cached {
                if i + 1 == plan.steps.len() && !self.enough_left(step, &creds, now) {
                    continue;
                }
                return Ok(Some((i + 1, creds)));
            }
        }
        // SSO role and credential_process credentials are cached like a
        // session, as aws-vault does.
        if let Some((kind, profile)) = cached_source(&plan.source)
            && let Some(creds) =
                sessions.get(kind, profile, "", &shapes.source, self.min_ttl, now)?
        {
            return Ok(Some((0, creds)));
        }
        Ok(None)
    }

    /// Whether a cached final session still has most of the duration the
    /// caller asked for by flag; `--debug` says when it has not.
    fn enough_left(&self, step: &Step, creds: &Credentials, now: chrono::DateTime<Utc>) -> bool {
        let (asked, duration) = match step {
            Step::SessionToken(s) => (self.asked.session, s.duration),
            Step::AssumeRole(r) => (self.asked.role, r.duration),
        };
        let Some(expiration) = creds.expiration else { return true };
        if !asked {
            return true;
        }
        let wanted = duration * ASKED_SHARE.0 / ASKED_SHARE.1;
        let left = std::time::Duration::from_secs((expiration - now).num_seconds().max(0) as u64);
        if left >= wanted {
            return true;
        }
        log::debug!(
            "the cached session for {} has {} left, less than the {} asked for; fetching a new one",
            step.profile(),
            crate::duration::format_duration(left),
            crate::duration::format_duration(duration)
        );
        false
    }

    fn source_credentials(
        &self,
        cfg: &ProfileConfig,
        plan: &Plan,
        shapes: &shape::Shapes,
    ) -> Result<Credentials> {
        let creds = match &plan.source {
            Source::Stored { profile } => {
                return CredentialKeyring::new(self.store).get(profile)?.ok_or_else(|| {
                    anyhow!(
                        "no credentials are stored for profile \"{profile}\"; run `vault add {profile}`"
                    )
                });
            }
            Source::Process { command, .. } => {
                process::credential_process(command, crate::child::timeout(self.env)?)?
            }
            Source::WebIdentity(wi) => {
                let token = match (&wi.token_file, &wi.token_process) {
                    (Some(file), _) => Secret::new(
                        std::fs::read_to_string(file)
                            .with_context(|| {
                                format!("could not read web_identity_token_file {file}")
                            })?
                            .trim()
                            .to_owned(),
                    ),
                    (None, Some(command)) => {
                        process::token_process(command, crate::child::timeout(self.env)?)?
                    }
                    (None, None) => unreachable!("planned only with a token source"),
                };
                let mut clients = Clients::default();
                let sts = clients.for_profile(cfg, &wi.profile, self.env)?;
                return Ok(sts.assume_role_with_web_identity(wi, &token)?);
            }
            Source::Sso(role) => {
                let source_cfg = cfg.chain().into_iter().find(|p| p.name == role.profile);
                let session = source_cfg
                    .and_then(SsoSession::of)
                    .ok_or_else(|| anyhow!("profile \"{}\" has no sso_start_url", role.profile))?;
                let sign_in = SignIn {
                    profile: &cfg.name,
                    session: &session,
                    store: self.store,
                    env: self.env,
                    opts: self.sign_in,
                    lock_path: self.lock_path.with_file_name(".sso.lock"),
                };
                sign_in.role_credentials(&role.account_id, &role.role_name)?
            }
        };
        // Only temporary credentials are cached: long-term keys a helper
        // prints stay with the helper, never in the session cache.
        let temporary = creds.session_token.is_some() && creds.expiration.is_some();
        if let Some((kind, profile)) = cached_source(&plan.source)
            && self.use_cache
            && temporary
        {
            SessionKeyring::new(self.store)
                .set(kind, profile, "", &shapes.source, &creds)
                .context("could not cache the source's credentials")?;
        }
        Ok(creds)
    }

    fn mfa_for(&mut self, serial: Option<&str>) -> Result<Option<Mfa>> {
        let Some(serial) = serial else { return Ok(None) };
        let code = self.mfa.code_for(serial)?;
        Ok(Some(Mfa { serial: serial.to_owned(), code }))
    }
}

/// The session-cache kind and profile a plan's source is cached under, for
/// the sources whose credentials are cached at all.
fn cached_source(source: &Source) -> Option<(&'static str, &str)> {
    match source {
        Source::Sso(role) => Some((SsoRole::CACHE_KIND, &role.profile)),
        Source::Process { profile, .. } => Some((PROCESS_CACHE_KIND, profile)),
        Source::Stored { .. } | Source::WebIdentity(_) => None,
    }
}

/// The session-cache type name aws-vault uses for `credential_process` output.
pub const PROCESS_CACHE_KIND: &str = "credential_process";

/// STS clients by target: each call goes to the region and endpoint of the
/// profile it is made for, as in aws-vault (a source profile in another
/// region signs its GetSessionToken there), and profiles that share a target
/// share a client.
#[derive(Default)]
struct Clients {
    made: Vec<(Target, Sts)>,
}

impl Clients {
    fn for_profile(
        &mut self,
        target_cfg: &ProfileConfig,
        profile: &str,
        env: &Env,
    ) -> Result<&Sts> {
        let cfg = target_cfg.chain().into_iter().find(|p| p.name == profile).unwrap_or(target_cfg);
        let target = Target::for_profile(Service::STS, cfg, env);
        let index = match self.made.iter().position(|(t, _)| *t == target) {
            Some(i) => i,
            None => {
                self.made.push((target.clone(), Sts::new(target)?));
                self.made.len() - 1
            }
        };
        Ok(&self.made[index].1)
    }
}
