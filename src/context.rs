//! What every command starts from: the environment snapshot, the global flags,
//! and the config file and secret store they select.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::cli::{Backend, GlobalArgs};
use crate::config::ConfigFile;
use crate::creds::Secret;
use crate::env::Env;
use crate::store::{self, FileStore, PassphraseSource, Store, StoreError};
use crate::tty::{self, TtyError};

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

    /// Opens the selected backend. Nothing is unlocked until an item is read
    /// or written, so listing and removing never ask for a passphrase.
    pub fn store(&self) -> Result<Box<dyn Store>> {
        match self.global.backend {
            Backend::File => {
                let dir = match &self.global.file_dir {
                    Some(dir) => dir.clone(),
                    None => store::default_file_dir(&self.home()?),
                };
                log::debug!("using the file backend in {}", dir.display());
                let passphrase = EnvOrTerminal {
                    from_env: self.env.get("AWS_VAULT_FILE_PASSPHRASE").map(Secret::new),
                };
                Ok(Box::new(FileStore::new(dir, Box::new(passphrase))))
            }
        }
    }
}

/// The file backend's passphrase: `AWS_VAULT_FILE_PASSPHRASE`, else asked on
/// the terminal (twice when a new store is being created, since a typo there
/// would lock the user out of everything stored afterwards).
struct EnvOrTerminal {
    from_env: Option<Secret>,
}

impl PassphraseSource for EnvOrTerminal {
    fn passphrase(&self, dir: &Path, creating: bool) -> Result<Secret, StoreError> {
        if let Some(secret) = &self.from_env {
            return Ok(secret.clone());
        }
        let what = "file store passphrase";
        let prompt = format!("Enter passphrase to unlock \"{}\": ", dir.display());
        let first = tty::read_secret(&prompt, what).map_err(tty_to_store)?;
        if creating {
            if first.is_empty() {
                return Err(StoreError::Prompt(
                    "an empty passphrase would leave the new store unprotected; choose one"
                        .to_owned(),
                ));
            }
            let again = tty::read_secret("Enter the same passphrase again: ", what)
                .map_err(tty_to_store)?;
            if again != first {
                return Err(StoreError::Prompt(
                    "the two passphrases differ; nothing was stored, try again".to_owned(),
                ));
            }
        }
        Ok(first)
    }
}

fn tty_to_store(err: TtyError) -> StoreError {
    match err {
        TtyError::Cancelled { .. } => StoreError::Cancelled,
        TtyError::NoTerminal { .. } => StoreError::Prompt(
            "no terminal to ask for the file store passphrase on; set AWS_VAULT_FILE_PASSPHRASE"
                .to_owned(),
        ),
        other => StoreError::Prompt(other.to_string()),
    }
}

/// A profile resolved all the way to credentials.
pub struct Resolved {
    pub config: crate::config::ProfileConfig,
    pub plan: crate::sts::Plan,
    pub creds: crate::creds::Credentials,
}

impl Context {
    /// The profile to use: the argument, else `$AWS_PROFILE`.
    pub fn profile_name(&self, given: Option<&str>) -> Result<String> {
        given.or_else(|| self.env.get("AWS_PROFILE")).map(str::to_owned).context(
            "no profile given; name one (e.g. `vault exec work -- ...`) or set AWS_PROFILE",
        )
    }

    /// Resolves `profile` from the config and gets its credentials, from the
    /// session cache or from STS.
    pub fn credentials(
        &self,
        profile: &str,
        args: &crate::cli::CredentialArgs,
        plan_opts: crate::sts::PlanOptions,
    ) -> Result<Resolved> {
        use crate::config::{ResolveOptions, resolve};
        use crate::store::CredentialKeyring;
        use crate::sts::{MfaCodes, Resolver, min_ttl, plan};

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
        let mut resolver = Resolver {
            env: &self.env,
            store: store.as_ref(),
            min_ttl: min_ttl(&self.env)?,
            mfa: MfaCodes::new(args.mfa_token.clone(), config.mfa_process.clone()),
            lock_path: self.home()?.join(".awsvault").join(".refresh.lock"),
            use_cache: true,
        };
        let creds = resolver
            .credentials(&config, &plan)
            .with_context(|| format!("could not get credentials for profile \"{profile}\""))?;
        Ok(Resolved { config, plan, creds })
    }
}
