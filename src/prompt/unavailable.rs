//! The `osascript` and `wincred` prompt drivers: accepted, so that a shared
//! `AWS_VAULT_PROMPT` gets a clear answer rather than a usage error, and
//! refused when asked anything, like the keychain backend.

use super::{MfaRequest, Prompt, PromptDriver, Reach, TtyError};
use crate::creds::Secret;

pub struct Unavailable(pub PromptDriver);

impl Unavailable {
    fn refuse(&self, what: &str) -> TtyError {
        let (name, why) = match self.0 {
            PromptDriver::Osascript => ("osascript", "it shows macOS dialogs"),
            _ => ("wincred", "it shows Windows credential dialogs"),
        };
        TtyError::Failed {
            what: what.to_owned(),
            reason: format!(
                "the {name} prompt driver is not available on this system ({why}); choose \
                 terminal, zenity, kdialog, ykman or pass with --prompt or AWS_VAULT_PROMPT"
            ),
        }
    }
}

impl Prompt for Unavailable {
    fn secret(&self, _prompt: &str, what: &str) -> Result<Secret, TtyError> {
        Err(self.refuse(what))
    }

    fn mfa_code(&self, _req: MfaRequest<'_>) -> Result<String, TtyError> {
        Err(self.refuse("MFA code"))
    }

    fn reach(&self) -> Reach {
        Reach::Nobody
    }
}
