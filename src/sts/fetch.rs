//! From a profile name to credentials: resolve the profile from the config,
//! plan its STS calls with the store open, then run the plan.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result};

use super::{AskedDurations, MfaCodes, Plan, PlanOptions, Resolver, Source, min_ttl, plan};
use crate::config::{ProfileConfig, ResolveOptions, resolve};
use crate::context::Context;
use crate::creds::Credentials;
use crate::env::Env;
use crate::sso::{SignIn, SignInOptions, SsoSession};
use crate::store::{CredentialKeyring, Store};

/// What a command may override in a profile's settings (for `exec`,
/// `export` and `login`, their credential flags).
#[derive(Debug, Clone, Default)]
pub struct CredentialOptions {
    /// An MFA code to use instead of asking for one.
    pub mfa_token: Option<String>,
    /// The MFA device serial to use instead of `mfa_serial` (beats `AWS_MFA_SERIAL`).
    pub mfa_serial_override: Option<String>,
    pub region: Option<String>,
    /// Every duration; the specific TTLs below win over it.
    pub duration: Option<Duration>,
    /// GetSessionToken sessions.
    pub session_ttl: Option<Duration>,
    /// Assumed-role credentials.
    pub assume_role_ttl: Option<Duration>,
    /// How an IAM Identity Center sign-in is shown and opened.
    pub sign_in: SignInOptions,
}

/// A profile resolved all the way to credentials.
pub struct Resolved {
    pub config: ProfileConfig,
    pub plan: Plan,
    pub creds: Credentials,
}

/// Resolves `profile` from the config and gets its credentials, from the
/// session cache or from STS.
pub fn fetch(
    ctx: &Context,
    profile: &str,
    opts: &CredentialOptions,
    plan_opts: PlanOptions,
) -> Result<Resolved> {
    let mut prepared = prepare(ctx, profile, opts, plan_opts)?;
    let creds = prepared.credentials(&ctx.env)?;
    Ok(Resolved { config: prepared.config, plan: prepared.plan, creds })
}

/// Resolves `profile` from the config and plans its STS calls, with the
/// store open and nothing fetched yet.
pub fn prepare(
    ctx: &Context,
    profile: &str,
    opts: &CredentialOptions,
    plan_opts: PlanOptions,
) -> Result<Prepared> {
    // A code that cannot be one is refused before anything asks or calls STS.
    if let Some(token) = &opts.mfa_token {
        super::mfa::check_token(token)?;
    }
    let cfg = ctx.config()?;
    let store = ctx.store()?;
    let stored: BTreeSet<String> =
        CredentialKeyring::new(store.as_ref()).names()?.into_iter().collect();
    let resolve_opts = ResolveOptions {
        mfa_serial_override: opts.mfa_serial_override.clone(),
        region: opts.region.clone(),
        duration: opts.duration,
        session_ttl: opts.session_ttl,
        assume_role_ttl: opts.assume_role_ttl,
        federation_token_ttl: None,
        stored_credentials: stored.clone(),
    };
    let config = resolve(&cfg, profile, &ctx.env, &resolve_opts)?;
    let plan = plan(&config, &|name| stored.contains(name), &plan_opts)?;
    log::debug!("plan for {profile}: {plan:?}");
    Ok(Prepared {
        min_ttl: min_ttl(&ctx.env)?,
        mfa: MfaCodes::new(
            profile,
            opts.mfa_token.clone(),
            config.mfa_process.clone(),
            ctx.prompt(),
            crate::child::timeout(&ctx.env)?,
        )
        .inherited_from(mfa_source(&config)),
        lock_path: ctx.home()?.join(".awsvault").join(".refresh.lock"),
        lock_wait: crate::refresh_lock::lock_timeout(&ctx.env)?,
        config,
        plan,
        store,
        use_cache: true,
        sign_in: opts.sign_in.clone(),
        asked: AskedDurations {
            session: opts.session_ttl.or(opts.duration).is_some(),
            role: opts.assume_role_ttl.or(opts.duration).is_some(),
        },
    })
}

/// A profile's config and plan with its store open. The credential servers
/// keep one to renew credentials: the store stays unlocked (the passphrase
/// is asked once) and a `--mfa-token` is used once across renewals.
pub struct Prepared {
    pub config: ProfileConfig,
    pub plan: Plan,
    /// `AWS_MIN_TTL`: how long credentials must still be valid to be used.
    pub min_ttl: chrono::Duration,
    store: Box<dyn Store>,
    mfa: MfaCodes,
    lock_path: PathBuf,
    lock_wait: Duration,
    /// Whether cached sessions may be reused and new ones cached; `rotate`
    /// turns this off so nothing made from the keys it replaces survives.
    pub use_cache: bool,
    sign_in: SignInOptions,
    asked: AskedDurations,
}

impl Prepared {
    /// Runs the plan: a fresh cached session if there is one, else STS.
    pub fn credentials(&mut self, env: &Env) -> Result<Credentials> {
        let mut resolver = Resolver {
            env,
            store: self.store.as_ref(),
            min_ttl: self.min_ttl,
            mfa: &mut self.mfa,
            lock_path: self.lock_path.clone(),
            lock_wait: self.lock_wait,
            use_cache: self.use_cache,
            sign_in: &self.sign_in,
            asked: self.asked,
            notes: Vec::new(),
        };
        let got = resolver.credentials(&self.config, &self.plan);
        // Said once, however often a credential server renews.
        for note in std::mem::take(&mut resolver.notes) {
            if !self.plan.notes.contains(&note) {
                self.plan.notes.push(note);
            }
        }
        let creds = got.with_context(|| {
            format!("could not get credentials for profile \"{}\"", self.config.name)
        })?;
        // The duration asked for is met by what this call returned; a credential
        // server's later calls are renewals, due when AWS_MIN_TTL is reached.
        self.asked = AskedDurations::default();
        // A NUL cannot be carried by an environment variable or a shell
        // string: exported, the value would come out cut or changed.
        let token = creds.session_token.as_ref().map(|t| t.expose());
        let fields =
            [Some(creds.access_key_id.as_str()), Some(creds.secret_access_key.expose()), token];
        if fields.into_iter().flatten().any(|v| v.contains('\0')) {
            anyhow::bail!(
                "the credentials for profile \"{}\" hold a NUL character, which no environment \
                 variable can carry; fix what provides them (its credential_process or stored keys)",
                self.config.name
            );
        }
        Ok(creds)
    }

    /// The open store, for commands that also read or write keys: sharing it
    /// means the passphrase is asked once.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Reads the long-term keys the plan starts from, so that a locked store
    /// asks for its passphrase now, before a command owns the terminal.
    pub fn unlock(&self) -> Result<()> {
        if let Source::Stored { profile } = &self.plan.source {
            CredentialKeyring::new(self.store.as_ref()).get(profile)?;
        }
        Ok(())
    }
}

/// `vault login --sso-only`: signs `profile` (or the SSO profile its chain starts
/// from) in to IAM Identity Center now and caches the token; returns the start URL.
pub fn sso_sign_in(ctx: &Context, profile: &str, opts: &CredentialOptions) -> Result<String> {
    let prepared = prepare(ctx, profile, opts, PlanOptions::default())?;
    let session =
        prepared.config.chain().into_iter().find_map(SsoSession::of).ok_or_else(|| {
            anyhow::anyhow!(
                "profile \"{profile}\" does not use IAM Identity Center: give it sso_session (or \
             sso_start_url) with sso_account_id and sso_role_name"
            )
        })?;
    let sign_in = SignIn {
        profile,
        session: &session,
        store: prepared.store.as_ref(),
        env: &ctx.env,
        opts: &opts.sign_in,
        lock_path: prepared.lock_path.with_file_name(".sso.lock"),
    };
    sign_in.sign_in_now()?;
    Ok(session.start_url)
}

/// The profile that sets the `mfa_serial` `cfg` inherits, if it inherits one.
fn mfa_source(cfg: &ProfileConfig) -> Option<String> {
    if !cfg.mfa_serial_from_source {
        return None;
    }
    let chain = cfg.chain();
    chain
        .into_iter()
        .find(|p| !p.mfa_serial_from_source && p.mfa_serial.is_some())
        .map(|p| p.name.clone())
}
