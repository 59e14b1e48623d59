//! The `pass` prompt driver: MFA codes from `pass otp NAME` (the pass-otp
//! extension), as aws-vault runs it: NAME is `PASS_OATH_CREDENTIAL_NAME`,
//! by default the MFA serial.

use std::time::Duration;

use super::child::{self, RunError};
use super::{MfaRequest, Prompt, Reach, Terminal, TtyError};
use crate::creds::Secret;
use crate::env::Env;

/// gpg may wait for its key's passphrase in pinentry; beyond this, nobody
/// is typing.
const PASS_WITHIN: Duration = Duration::from_secs(120);

pub struct PassOtp {
    entry: Option<String>,
}

impl PassOtp {
    pub fn from_env(env: &Env) -> Self {
        Self { entry: env.get("PASS_OATH_CREDENTIAL_NAME").map(str::to_owned) }
    }

    fn entry<'a>(&'a self, serial: &'a str) -> &'a str {
        self.entry.as_deref().unwrap_or(serial)
    }
}

impl Prompt for PassOtp {
    /// pass gives codes here, not passphrases: those are asked on the
    /// terminal, as aws-vault does.
    fn secret(&self, prompt: &str, what: &str) -> Result<Secret, TtyError> {
        Terminal.secret(prompt, what)
    }

    fn mfa_code(&self, req: MfaRequest<'_>) -> Result<String, TtyError> {
        let entry = self.entry(req.serial);
        log::debug!("getting the MFA code with `pass otp {entry}`");
        let failed = |reason: String| TtyError::Failed { what: "MFA code".to_owned(), reason };
        let mut cmd = child::command("pass");
        // `--`: the entry comes from the config, and is a name, never an option.
        cmd.args(["otp", "--", entry]);
        let done = child::run(cmd, PASS_WITHIN, false).map_err(|e| match e {
            RunError::NotFound => failed(
                "--prompt pass needs the pass program, which is not on PATH; install it \
                 (Debian: apt-get install pass pass-extension-otp) or choose another --prompt"
                    .to_owned(),
            ),
            RunError::TimedOut => failed(format!(
                "`pass otp {entry}` did not finish within {}s (gpg may be waiting for a \
                 passphrase nobody can type)",
                PASS_WITHIN.as_secs()
            )),
            RunError::Io(e) => failed(format!("could not run pass: {e}")),
        })?;
        if !done.status.success() {
            let said = done.stderr.lines().last().unwrap_or("no message");
            return Err(failed(format!(
                "`pass otp {entry}` failed ({said}); check that the entry exists and holds an \
                 otpauth:// URI (pass-otp), or name it with PASS_OATH_CREDENTIAL_NAME"
            )));
        }
        child::first_line(&done.stdout)
            .ok_or_else(|| failed(format!("`pass otp {entry}` printed no code")))
    }

    fn reach(&self) -> Reach {
        Reach::Nobody
    }
}
