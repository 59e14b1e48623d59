//! The `kdialog` prompt driver: KDE dialogs, for when there is no terminal
//! to ask on (an editor's `credential_process`, a credential server).

use super::dialog;
use super::{MfaRequest, Prompt, Reach, TtyError};
use crate::creds::Secret;
use crate::env::Env;

pub struct Kdialog {
    pub env: Env,
}

impl Prompt for Kdialog {
    fn secret(&self, prompt: &str, what: &str) -> Result<Secret, TtyError> {
        let title = dialog::secret_title(what);
        let args = ["--title", &title, "--password", dialog::plain(prompt)];
        dialog::ask("kdialog", &args, &self.env, what)
    }

    fn mfa_code(&self, req: MfaRequest<'_>) -> Result<String, TtyError> {
        let title = dialog::mfa_title(req);
        let text = dialog::mfa_text(req);
        dialog::ask_code("kdialog", &["--title", &title, "--inputbox", &text], &self.env)
    }

    fn reach(&self) -> Reach {
        Reach::Display
    }
}
