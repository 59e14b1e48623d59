//! What every command starts from: the environment snapshot and the settings
//! the global flags chose, with what follows from the two (home directory,
//! config file, secret store, prompt driver, trust records, profile name).

use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::config::ConfigFile;
use crate::env::Env;
use crate::prompt::{self, EnvOrPrompt, Prompt, PromptDriver};
use crate::store::{Backend, Store, StoreSettings};

/// The environment a command runs in and the settings it runs with.
#[derive(Clone)]
pub struct Context {
    pub env: Env,
    pub settings: Settings,
}

/// What the global flags (and their environment variables) chose.
#[derive(Debug, Clone)]
pub struct Settings {
    pub store: StoreSettings,
    /// `None`: no `--prompt`, so the terminal, or a dialog without one.
    pub prompt: Option<PromptDriver>,
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

    /// The prompt driver `--prompt` chose (see [`prompt::driver`]).
    pub fn prompt(&self) -> Box<dyn Prompt> {
        prompt::driver(self.settings.prompt, &self.env)
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
