//! What every command starts from: the environment snapshot, the global flags,
//! and the config file and secret store they select.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::cli::{Backend, GlobalArgs};
use crate::config::ConfigFile;
use crate::creds::Secret;
use crate::env::Env;
use crate::prompt::{EnvOrPrompt, Prompt};
use crate::store::{self, FileStore, PassphraseSource, Store, StoreError};

pub struct Context {
    pub env: Env,
    pub global: GlobalArgs,
}

impl Context {
    pub fn new(env: Env, global: GlobalArgs) -> Self {
        Self { env, global }
    }

    pub fn home(&self) -> Result<PathBuf> {
        self.env
            .get("HOME")
            .map(PathBuf::from)
            .or_else(dirs::home_dir)
            .context("could not find your home directory; set HOME")
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
        self.global.prompt.open()
    }

    /// Opens the selected backend. Nothing is unlocked until an item is read
    /// or written, so listing and removing never ask for a passphrase.
    pub fn store(&self) -> Result<Box<dyn Store>> {
        self.store_for(self.global.backend)
    }

    /// Opens `backend` with the global flags' settings (`vault migrate` opens two).
    pub fn store_for(&self, backend: Backend) -> Result<Box<dyn Store>> {
        match backend {
            Backend::File => {
                let dir = self.file_dir()?;
                log::debug!("using the file backend in {}", dir.display());
                let passphrase = EnvOrPrompt::new(&self.env, self.prompt());
                Ok(Box::new(FileStore::new(dir, Box::new(passphrase))))
            }
            Backend::SecretService => {
                let name = &self.global.secret_service_collection;
                log::debug!("using the secret-service backend, collection {name:?}");
                Ok(Box::new(store::SecretServiceStore::new(name.clone())))
            }
            Backend::Keyctl => {
                log::debug!("using the keyctl backend");
                Ok(Box::new(store::KeyctlStore::new(store::keyctl::DEFAULT_KEYRING)))
            }
            Backend::Pass => {
                let dir = match (&self.global.pass_dir, self.env.get("PASSWORD_STORE_DIR")) {
                    (Some(dir), _) => expand_tilde(dir, &self.home()?),
                    (None, Some(dir)) => PathBuf::from(dir),
                    (None, None) => self.home()?.join(".password-store"),
                };
                log::debug!("using the pass backend in {}", dir.display());
                let (cmd, prefix) = (&self.global.pass_cmd, &self.global.pass_prefix);
                Ok(Box::new(store::PassStore::new(cmd.clone(), dir, prefix.clone())))
            }
            Backend::Keychain | Backend::Kwallet | Backend::Wincred => {
                anyhow::bail!("{}", unavailable_backend(backend))
            }
        }
    }

    fn file_dir(&self) -> Result<PathBuf> {
        match &self.global.file_dir {
            Some(dir) => Ok(dir.clone()),
            None => Ok(store::default_file_dir(&self.home()?)),
        }
    }

    /// The selected backend, opened only to list key names, for tab
    /// completion: it must never prompt or wait. The file store gets a
    /// passphrase source that refuses, so no code path can ask; keyctl and
    /// pass list without their secrets (kernel keyring, directory walk).
    /// secret-service is `None`: listing it goes over D-Bus, which may start
    /// a keyring daemon or take up to its 10 s timeout.
    pub fn listing_store(&self) -> Result<Option<Box<dyn Store>>> {
        match self.global.backend {
            Backend::File => {
                Ok(Some(Box::new(FileStore::new(self.file_dir()?, Box::new(NeverUnlock)))))
            }
            Backend::Keyctl | Backend::Pass => self.store().map(Some),
            _ => Ok(None),
        }
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

/// The passphrase source of a store opened only for listing.
struct NeverUnlock;

impl PassphraseSource for NeverUnlock {
    fn passphrase(&self, _dir: &Path, _creating: bool) -> Result<Secret, StoreError> {
        Err(StoreError::Prompt("this store was opened to list names only".to_owned()))
    }
}

/// What to say when a backend that exists only on other systems is chosen.
fn unavailable_backend(backend: Backend) -> String {
    let (name, why) = match backend {
        Backend::Keychain => ("keychain", "it is the macOS keychain"),
        Backend::Wincred => ("wincred", "it is the Windows Credential Manager"),
        _ => (
            "kwallet",
            "this vault does not speak KWallet's own API; KWallet also serves secret-service",
        ),
    };
    format!(
        "the {name} backend is not available on this system ({why}); choose secret-service, keyctl, pass or file with --backend or AWS_VAULT_BACKEND"
    )
}

/// `~/x` as the user meant it: clap hands over flags and variables unexpanded.
fn expand_tilde(path: &Path, home: &Path) -> PathBuf {
    match path.strip_prefix("~") {
        Ok(rest) => home.join(rest),
        Err(_) => path.to_path_buf(),
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
