//! Getting an MFA code: `--mfa-token`, else `mfa_process`, else the prompt
//! driver chosen with `--prompt` (the terminal asks on `/dev/tty`, never
//! stdout, so it works under `credential_process`, where stdout belongs to
//! the AWS SDK).

use std::process::Stdio;
use std::time::Duration;

use crate::prompt::{MfaRequest, Prompt, Reach, TtyError};

#[derive(Debug, thiserror::Error)]
pub enum MfaError {
    #[error(transparent)]
    Prompt(#[from] TtyError),
    #[error("mfa_process `{command}` failed: {reason}")]
    Process { command: String, reason: String },
    #[error(
        "profile needs an MFA code for {serial}{} and there is no terminal to ask on; \
         pass --mfa-token, set mfa_process, or choose another --prompt (zenity, kdialog, ykman, pass)",
        inherited_note(.inherited_from)
    )]
    NoTerminal { serial: String, inherited_from: Option<String> },
    /// Asking a person is forbidden here (a refresh at the shell prompt,
    /// the agent): each caller says what to do in its own words.
    #[error("profile needs an MFA code for {serial}, and nothing here may ask for one")]
    NotAsked { serial: String },
    #[error(
        "no MFA code after {ASKS} tries: the code is the {CODE_LEN} digits your MFA device \
         shows for {serial}"
    )]
    BadAnswers { serial: String },
}

/// Says where an inherited `mfa_serial` comes from: aws-vault 5+ and the aws
/// CLI do not pass it up, so a user coming from them would not expect a code.
fn inherited_note(source: &Option<String>) -> String {
    match source {
        Some(source) => format!(
            " (inherited from source profile \"{source}\": vault passes a source's mfa_serial \
             up to the roles above it, as aws-vault 4 did)"
        ),
        None => String::new(),
    }
}

/// How many digits a TOTP code has (what AWS's virtual and hardware MFA devices show).
pub const CODE_LEN: usize = 6;
/// How many times a person is asked for a code of the right shape.
const ASKS: usize = 3;

/// Whether `code` has the shape of a TOTP code: exactly six digits.
pub fn is_totp_code(code: &str) -> bool {
    code.len() == CODE_LEN && code.bytes().all(|b| b.is_ascii_digit())
}

/// `--mfa-token` checked before any call: one line saying what is wrong,
/// without echoing the value.
pub fn check_token(token: &str) -> anyhow::Result<()> {
    if !is_totp_code(token) {
        anyhow::bail!(
            "--mfa-token must be the {CODE_LEN} digits your MFA device shows (it was given {} \
             character(s){})",
            token.chars().count(),
            if token.chars().all(|c| c.is_ascii_digit()) { "" } else { ", not all digits" }
        );
    }
    Ok(())
}

pub struct MfaCodes {
    /// The profile asked for, named by dialogs.
    profile: String,
    /// `--mfa-token`: a code is valid once, so it is used for the first ask only.
    token: Option<String>,
    process: Option<String>,
    prompt: Box<dyn Prompt>,
    /// How long `mfa_process` may run (`VAULT_PROCESS_TIMEOUT`).
    process_limit: Duration,
    /// The source profile the asked-for profile inherits its `mfa_serial` from.
    inherited_from: Option<String>,
}

impl MfaCodes {
    pub fn new(
        profile: &str,
        token: Option<String>,
        process: Option<String>,
        prompt: Box<dyn Prompt>,
        process_limit: Duration,
    ) -> Self {
        Self {
            profile: profile.to_owned(),
            token,
            process,
            prompt,
            process_limit,
            inherited_from: None,
        }
    }

    /// Names the source profile `mfa_serial` was inherited from, for the
    /// error that says no code can be asked for.
    pub fn inherited_from(mut self, source: Option<String>) -> Self {
        self.inherited_from = source;
        self
    }

    pub fn code_for(&mut self, serial: &str) -> Result<String, MfaError> {
        if let Some(token) = self.token.take() {
            return Ok(token);
        }
        if let Some(command) = &self.process {
            return run_process(command, self.process_limit);
        }
        let reach = self.prompt.reach();
        if reach != Reach::Nobody && crate::prompt::asking_forbidden() {
            return Err(MfaError::NotAsked { serial: serial.to_owned() });
        }
        for ask in 0..ASKS {
            let req = MfaRequest { profile: &self.profile, serial, again: ask > 0 };
            let code = match self.prompt.mfa_code(req) {
                Err(TtyError::NoTerminal { .. }) => {
                    return Err(MfaError::NoTerminal {
                        serial: serial.to_owned(),
                        inherited_from: self.inherited_from.clone(),
                    });
                }
                answer => answer?,
            };
            // A program (ykman, pass-otp) may know a longer code; a person
            // typed what they typed, and STS is not asked with a typo.
            if reach == Reach::Nobody || is_totp_code(&code) {
                return Ok(code);
            }
        }
        Err(MfaError::BadAnswers { serial: serial.to_owned() })
    }
}

/// Runs `mfa_process` with its stdin and stderr on the terminal (a YubiKey
/// tool may ask to be touched) and takes the code from its stdout.
fn run_process(command: &str, limit: Duration) -> Result<String, MfaError> {
    let fail = |reason: String| MfaError::Process { command: command.to_owned(), reason };
    let tty_in = std::fs::File::open("/dev/tty").map(Stdio::from).unwrap_or_else(|_| Stdio::null());
    let mut cmd = crate::child::command("/bin/sh");
    cmd.args(["-c", command]).stdin(tty_in).stderr(Stdio::inherit());
    let out = crate::child::run_bounded(cmd, None, limit).map_err(|e| fail(e.to_string()))?;
    if !out.status.success() {
        return Err(fail(out.status.to_string()));
    }
    let code = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if code.is_empty() {
        return Err(fail("it printed no code".to_owned()));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_six_digits() {
        assert!(is_totp_code("012345"));
        for bad in ["", "12", "abc", "12345", "1234567", "12 456", "١٢٣٤٥٦"] {
            assert!(!is_totp_code(bad), "{bad:?}");
        }
        let said = check_token("12").unwrap_err().to_string();
        assert!(
            said.contains("--mfa-token must be the 6 digits") && !said.contains("12 "),
            "{said}"
        );
        assert!(check_token("abcdef").unwrap_err().to_string().contains("not all digits"));
        assert!(check_token("123456").is_ok());
    }
}
