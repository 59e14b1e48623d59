//! The file backend's passphrase: `AWS_VAULT_FILE_PASSPHRASE`, else the
//! agent's (`vault unlock`), else asked through the prompt driver; a typed
//! passphrase that proves right also unlocks the agent.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use zeroize::Zeroizing;

use super::{Prompt, TtyError};
use crate::agent::{self, Client};
use crate::creds::Secret;
use crate::env::Env;
use crate::store::{PassphraseSource, StoreError};

/// Asks twice when a new store is being created, since a typo there would
/// lock the user out of everything stored afterwards.
pub struct EnvOrPrompt {
    from_env: Option<Secret>,
    prompt: Box<dyn Prompt>,
    /// `None` when the variable is set: the agent is for those who type.
    agent: Option<Client>,
    /// How long a typed passphrase unlocks the agent; `None` when
    /// `VAULT_AGENT_AUTO_UNLOCK` turned that off.
    auto_unlock: Option<Duration>,
    env: Env,
    asked: AtomicBool,
}

impl EnvOrPrompt {
    pub fn new(env: &Env, prompt: Box<dyn Prompt>) -> Self {
        let from_env = env.get("AWS_VAULT_FILE_PASSPHRASE").map(Secret::new);
        let agent = if from_env.is_some() { None } else { Client::new(env).ok() };
        let auto_unlock = agent::auto_unlock(env).then(|| {
            agent::default_timeout(env).unwrap_or_else(|e| {
                log::warn!("{e:#}; unlocking for {}h", agent::DEFAULT_TIMEOUT.as_secs() / 3600);
                agent::DEFAULT_TIMEOUT
            })
        });
        Self {
            from_env,
            prompt,
            agent,
            auto_unlock,
            env: env.clone(),
            asked: AtomicBool::new(false),
        }
    }

    /// For `vault unlock`, which hands the passphrase over itself, with its
    /// own timeout.
    pub fn without_auto_unlock(mut self) -> Self {
        self.auto_unlock = None;
        self
    }
}

impl PassphraseSource for EnvOrPrompt {
    fn held(&self, dir: &Path) -> Option<Secret> {
        self.agent.as_ref()?.passphrase(dir)
    }

    fn open_elsewhere(&self, path: &Path) -> Option<Zeroizing<Vec<u8>>> {
        self.agent.as_ref()?.open(path)
    }

    /// A typed passphrase unlocks the agent, started if need be, so the
    /// next command does not ask. Failing to is only worth a debug line: the
    /// command itself has what it needs.
    fn confirmed(&self, dir: &Path, secret: &Secret) {
        let (Some(timeout), true) = (self.auto_unlock, self.asked.load(Ordering::Relaxed)) else {
            return;
        };
        if self.agent.is_none() {
            return;
        }
        let unlocked =
            agent::ensure_running(&self.env).and_then(|client| client.unlock(dir, secret, timeout));
        if let Err(e) = unlocked {
            log::debug!("could not unlock the agent: {e:#}");
        }
    }

    fn passphrase(&self, dir: &Path, creating: bool) -> Result<Secret, StoreError> {
        if let Some(secret) = &self.from_env {
            return Ok(secret.clone());
        }
        self.asked.store(true, Ordering::Relaxed);
        let what = "file store passphrase";
        let prompt = format!("Enter passphrase to unlock \"{}\": ", dir.display());
        let first = self.prompt.secret(&prompt, what).map_err(to_store_error)?;
        if creating {
            if first.is_empty() {
                return Err(StoreError::Prompt(
                    "an empty passphrase would leave the new store unprotected; choose one"
                        .to_owned(),
                ));
            }
            let again = self
                .prompt
                .secret("Enter the same passphrase again: ", what)
                .map_err(to_store_error)?;
            if again != first {
                return Err(StoreError::Prompt(
                    "the two passphrases differ; nothing was stored, try again".to_owned(),
                ));
            }
        }
        Ok(first)
    }

    fn ask_again(&self, dir: &Path) -> Option<Result<Secret, StoreError>> {
        if self.from_env.is_some() {
            return None;
        }
        let prompt =
            format!("Wrong passphrase; enter passphrase to unlock \"{}\": ", dir.display());
        Some(self.prompt.secret(&prompt, "file store passphrase").map_err(to_store_error))
    }
}

fn to_store_error(err: TtyError) -> StoreError {
    match err {
        TtyError::Cancelled { .. } => StoreError::Cancelled,
        TtyError::NoTerminal { .. } => StoreError::Prompt(
            "no terminal to ask for the file store passphrase on; run `vault unlock` at a \
             terminal first, or set AWS_VAULT_FILE_PASSPHRASE, or choose a dialog with \
             --prompt zenity or --prompt kdialog"
                .to_owned(),
        ),
        other => StoreError::Prompt(other.to_string()),
    }
}
