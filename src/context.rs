//! What every command starts from: the environment snapshot and the settings
//! the global flags chose, with what follows from the two (home directory,
//! config file, secret store, prompt driver, trust records, profile name).

use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::config::ConfigFile;
use crate::env::Env;
use crate::prompt::{EnvOrPrompt, Prompt, PromptDriver};
use crate::store::{Backend, Store, StoreSettings};

#[derive(Clone)]
pub struct Context {
    pub env: Env,
    pub settings: Settings,
}

/// What the global flags (and their environment variables) chose.
#[derive(Debug, Clone)]
pub struct Settings {
    pub store: StoreSettings,
    pub prompt: PromptDriver,
}

impl Context {
    pub fn new(env: Env, settings: Settings) -> Self {
        Self { env, settings }
    }

    pub fn home(&self) -> Result<PathBuf> {
        self.env.home()
    }

    pub fn config_path(&self) -> PathBuf {
        ConfigFile::default_path(&self.env)
    }

    pub fn config(&self) -> Result<ConfigFile> {
        let path = self.config_path();
        log::debug!("loading config from {}", path.display());
        Ok(ConfigFile::load(&path)?)
    }

    /// The prompt driver `--prompt` chose.
    pub fn prompt(&self) -> Box<dyn Prompt> {
        self.settings.prompt.open()
    }

    /// Opens the selected backend. Nothing is unlocked until an item is read
    /// or written, so listing and removing never ask for a passphrase.
    pub fn store(&self) -> Result<Box<dyn Store>> {
        self.store_for(self.settings.store.backend)
    }

    /// Opens `backend` with the global flags' settings (`vault migrate` opens two).
    pub fn store_for(&self, backend: Backend) -> Result<Box<dyn Store>> {
        let passphrase = EnvOrPrompt::new(&self.env, self.prompt());
        self.settings.store.open(backend, &self.env, Box::new(passphrase))
    }

    /// The selected backend, opened only to list key names (tab completion):
    /// see [`StoreSettings::open_for_listing`].
    pub fn listing_store(&self) -> Result<Option<Box<dyn Store>>> {
        self.settings.store.open_for_listing(&self.env)
    }

    /// Where `vault allow`/`deny` keep their records: `$XDG_DATA_HOME/vault`,
    /// by default `~/.local/share/vault`.
    pub fn trust_store(&self) -> Result<crate::trust::TrustStore> {
        let base = match self.env.get("XDG_DATA_HOME") {
            Some(dir) => PathBuf::from(dir),
            None => self.home()?.join(".local/share"),
        };
        Ok(crate::trust::TrustStore::new(base.join("vault")))
    }

    /// The profile to use: the argument, else `$AWS_PROFILE`.
    pub fn profile_name(&self, given: Option<&str>) -> Result<String> {
        given.or_else(|| self.env.get("AWS_PROFILE")).map(str::to_owned).context(
            "no profile given; name one (e.g. `vault exec work -- ...`) or set AWS_PROFILE",
        )
    }
}

/// A profile resolved all the way to credentials.
pub struct Resolved {
    pub config: crate::config::ProfileConfig,
    pub plan: crate::sts::Plan,
    pub creds: crate::creds::Credentials,
}

impl Context {
    /// Resolves `profile` from the config and gets its credentials, from the
    /// session cache or from STS.
    pub fn credentials(
        &self,
        profile: &str,
        args: &crate::cli::CredentialArgs,
        plan_opts: crate::sts::PlanOptions,
    ) -> Result<Resolved> {
        let mut prepared = self.prepare(profile, args, plan_opts)?;
        let creds = prepared.credentials(&self.env)?;
        Ok(Resolved { config: prepared.config, plan: prepared.plan, creds })
    }

    /// Resolves `profile` from the config and plans its STS calls, with the
    /// store open and nothing fetched yet.
    pub fn prepare(
        &self,
        profile: &str,
        args: &crate::cli::CredentialArgs,
        plan_opts: crate::sts::PlanOptions,
    ) -> Result<Prepared> {
        use crate::config::{ResolveOptions, resolve};
        use crate::store::CredentialKeyring;
        use crate::sts::{MfaCodes, min_ttl, plan};

        let cfg = self.config()?;
        let store = self.store()?;
        let stored: std::collections::BTreeSet<String> =
            CredentialKeyring::new(store.as_ref()).names()?.into_iter().collect();
        let opts = ResolveOptions {
            mfa_serial_override: args.mfa_serial_override.clone(),
            region: args.region.clone(),
            duration: args.duration,
            session_ttl: args.session_ttl,
            assume_role_ttl: args.assume_role_ttl,
            federation_token_ttl: None,
            stored_credentials: stored.clone(),
        };
        let config = resolve(&cfg, profile, &self.env, &opts)?;
        let plan = plan(&config, &|name| stored.contains(name), &plan_opts)?;
        log::debug!("plan for {profile}: {plan:?}");
        Ok(Prepared {
            min_ttl: min_ttl(&self.env)?,
            mfa: MfaCodes::new(args.mfa_token.clone(), config.mfa_process.clone(), self.prompt()),
            lock_path: self.home()?.join(".awsvault").join(".refresh.lock"),
            config,
            plan,
            store,
            use_cache: true,
        })
    }
}

/// A profile's config and plan with its store open. The credential servers
/// keep one to renew credentials: the store stays unlocked (the passphrase
/// is asked once) and a `--mfa-token` is used once across renewals.
pub struct Prepared {
    pub config: crate::config::ProfileConfig,
    pub plan: crate::sts::Plan,
    /// `AWS_MIN_TTL`: how long credentials must still be valid to be used.
    pub min_ttl: chrono::Duration,
    store: Box<dyn Store>,
    mfa: crate::sts::MfaCodes,
    lock_path: PathBuf,
    /// Whether cached sessions may be reused and new ones cached; `rotate`
    /// turns this off so nothing made from the keys it replaces survives.
    pub use_cache: bool,
}

impl Prepared {
    /// Runs the plan: a fresh cached session if there is one, else STS.
    pub fn credentials(&mut self, env: &Env) -> Result<crate::creds::Credentials> {
        let mut resolver = crate::sts::Resolver {
            env,
            store: self.store.as_ref(),
            min_ttl: self.min_ttl,
            mfa: &mut self.mfa,
            lock_path: self.lock_path.clone(),
            use_cache: self.use_cache,
        };
        resolver.credentials(&self.config, &self.plan).with_context(|| {
            format!("could not get credentials for profile \"{}\"", self.config.name)
        })
    }

    /// The open store, for commands that also read or write keys: sharing it
    /// means the passphrase is asked once.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Reads the long-term keys the plan starts from, so that a locked store
    /// asks for its passphrase now, before a command owns the terminal.
    pub fn unlock(&self) -> Result<()> {
        if let crate::sts::Source::Stored { profile } = &self.plan.source {
            crate::store::CredentialKeyring::new(self.store.as_ref()).get(profile)?;
        }
        Ok(())
    }
}
