//! The file backend's passphrase: `AWS_VAULT_FILE_PASSPHRASE`, else asked
//! through the prompt driver.

use std::path::Path;

use super::{Prompt, TtyError};
use crate::creds::Secret;
use crate::env::Env;
use crate::store::{PassphraseSource, StoreError};

/// Asks twice when a new store is being created, since a typo there would
/// lock the user out of everything stored afterwards.
pub struct EnvOrPrompt {
    from_env: Option<Secret>,
    prompt: Box<dyn Prompt>,
}

impl EnvOrPrompt {
    pub fn new(env: &Env, prompt: Box<dyn Prompt>) -> Self {
        Self { from_env: env.get("AWS_VAULT_FILE_PASSPHRASE").map(Secret::new), prompt }
    }
}

impl PassphraseSource for EnvOrPrompt {
    fn passphrase(&self, dir: &Path, creating: bool) -> Result<Secret, StoreError> {
        if let Some(secret) = &self.from_env {
            return Ok(secret.clone());
        }
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
}

fn to_store_error(err: TtyError) -> StoreError {
    match err {
        TtyError::Cancelled { .. } => StoreError::Cancelled,
        TtyError::NoTerminal { .. } => StoreError::Prompt(
            "no terminal to ask for the file store passphrase on; set AWS_VAULT_FILE_PASSPHRASE, \
             or choose a dialog with --prompt zenity or --prompt kdialog"
                .to_owned(),
        ),
        other => StoreError::Prompt(other.to_string()),
    }
}
