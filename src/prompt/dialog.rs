//! What the zenity and kdialog drivers share: whether a display is there,
//! the question's wording, the bounded wait, and reading the answer
//! (Cancel or Escape is the same clean cancel as Ctrl-C at the terminal).

use std::time::Duration;

use super::child::{self, RunError};
use super::{MfaRequest, TtyError};
use crate::creds::Secret;
use crate::env::Env;

/// A secret's window title, e.g. `vault: file store passphrase`.
pub fn secret_title(what: &str) -> String {
    format!("vault: {what}")
}

/// The MFA window's title, naming the profile so that a window among
/// others says what it is for.
pub fn mfa_title(req: MfaRequest<'_>) -> String {
    format!("vault: MFA code for profile \"{}\"", req.profile)
}

/// How long a dialog waits for an answer; past that nobody is there (a
/// window behind others, a locked screen), and the caller gets an error
/// instead of hanging with its credential request.
const ANSWER_WITHIN: Duration = Duration::from_secs(180);

/// Whether a dialog could be shown: an X11 or Wayland display is named.
pub fn display_available(env: &Env) -> bool {
    env.get("DISPLAY").is_some() || env.get("WAYLAND_DISPLAY").is_some()
}

/// The MFA question, naming the profile and the device.
pub fn mfa_text(req: MfaRequest<'_>) -> String {
    let again = if req.again { format!("{}\n", super::NOT_A_CODE) } else { String::new() };
    format!("{again}Enter the MFA code for profile \"{}\"\n(device {})", req.profile, req.serial)
}

/// A terminal question as a dialog's text: without the trailing ": ".
pub fn plain(prompt: &str) -> &str {
    prompt.trim_end_matches([':', ' '])
}

/// Runs `program args` and returns the line it printed: the answer.
pub fn ask(program: &str, args: &[&str], env: &Env, what: &str) -> Result<Secret, TtyError> {
    let failed = |reason: String| TtyError::Failed { what: what.to_owned(), reason };
    if super::display_forbidden() {
        return Err(TtyError::NoTerminal { what: what.to_owned() });
    }
    if !display_available(env) {
        return Err(failed(format!(
            "--prompt {program} shows a window, and neither DISPLAY nor WAYLAND_DISPLAY is set; \
             run vault inside a desktop session or choose another --prompt"
        )));
    }
    let mut cmd = child::command(program);
    cmd.args(args);
    let done = child::run(cmd, ANSWER_WITHIN, false).map_err(|e| match e {
        RunError::NotFound => failed(format!(
            "{program} is not installed; install it (Debian: apt-get install {program}) or \
             choose another --prompt"
        )),
        RunError::TimedOut => failed(format!(
            "the {program} dialog got no answer within {}s",
            ANSWER_WITHIN.as_secs()
        )),
        RunError::Io(e) => failed(format!("could not run {program}: {e}")),
    })?;
    match done.status.code() {
        Some(0) => {}
        // Both programs exit 1 for Cancel, Escape or closing the window.
        Some(1) => return Err(TtyError::Cancelled { what: what.to_owned() }),
        _ => {
            let said = done.stderr.lines().last().unwrap_or("no message").to_owned();
            return Err(failed(format!("{program} failed ({}): {said}", done.status)));
        }
    }
    let text = std::str::from_utf8(&done.stdout)
        .map_err(|_| failed(format!("{program} answered with text that is not valid UTF-8")))?;
    let line = text.strip_suffix('\n').unwrap_or(text);
    Ok(Secret::new(line.to_owned()))
}

/// An MFA code asked in a dialog: the answer without surrounding blanks.
pub fn ask_code(program: &str, args: &[&str], env: &Env) -> Result<String, TtyError> {
    let answer = ask(program, args, env, "MFA code")?;
    Ok(answer.expose().trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mfa_dialog_names_the_profile_and_the_device() {
        let req = MfaRequest { profile: "work", serial: "arn:aws:iam::1:mfa/jon", again: false };
        assert_eq!(mfa_title(req), "vault: MFA code for profile \"work\"");
        assert!(
            mfa_text(req).contains("\"work\"") && mfa_text(req).contains("arn:aws:iam::1:mfa/jon")
        );
        assert_eq!(
            plain("Enter passphrase to unlock \"/x\": "),
            "Enter passphrase to unlock \"/x\""
        );
    }
}
