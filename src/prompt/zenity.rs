//! The `zenity` prompt driver: GNOME dialogs, for when there is no terminal
//! to ask on (an editor's `credential_process`, a credential server).

use super::dialog;
use super::{MfaRequest, Prompt, Reach, TtyError};
use crate::creds::Secret;
use crate::env::Env;

pub struct Zenity {
    pub env: Env,
}

impl Prompt for Zenity {
    fn secret(&self, prompt: &str, what: &str) -> Result<Secret, TtyError> {
        let title = dialog::secret_title(what);
        let text = markup_escape(dialog::plain(prompt));
        let args = ["--entry", "--hide-text", "--title", &title, "--text", &text];
        dialog::ask("zenity", &args, &self.env, what)
    }

    fn mfa_code(&self, req: MfaRequest<'_>) -> Result<String, TtyError> {
        let title = dialog::mfa_title(req);
        let text = markup_escape(&dialog::mfa_text(req));
        dialog::ask_code("zenity", &["--entry", "--title", &title, "--text", &text], &self.env)
    }

    fn reach(&self) -> Reach {
        Reach::Display
    }
}

/// zenity reads `--text` as Pango markup: a profile or folder name with `<`
/// or `&` would otherwise be mangled or make the dialog fail.
fn markup_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped() {
        assert_eq!(super::markup_escape("a<b>&c"), "a&lt;b&gt;&amp;c");
    }
}
