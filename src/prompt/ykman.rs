//! The `ykman` prompt driver: MFA codes from a YubiKey's OATH applet, run
//! as aws-vault runs it (`ykman [--device SERIAL] oath accounts code
//! --single NAME`), with aws-vault's settings: `YKMAN_OATH_CREDENTIAL_NAME`
//! (the account name, by default the MFA serial), `YKMAN_OATH_DEVICE_SERIAL`
//! (which key, when several are plugged in) and `AWS_VAULT_YKMAN_VERSION`
//! (1 to 3: the older `oath code` spelling).

use std::time::Duration;

use super::child::{self, RunError};
use super::{MfaRequest, Prompt, Reach, Terminal, TtyError};
use crate::creds::Secret;
use crate::env::Env;

/// A key set to require touch waits for it; beyond this, nobody is touching.
const TOUCH_WITHIN: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct Ykman {
    account: Option<String>,
    device: Option<String>,
    legacy: bool,
}

impl Ykman {
    pub fn from_env(env: &Env) -> Self {
        Self {
            account: env.get("YKMAN_OATH_CREDENTIAL_NAME").map(str::to_owned),
            device: env.get("YKMAN_OATH_DEVICE_SERIAL").map(str::to_owned),
            legacy: matches!(env.get("AWS_VAULT_YKMAN_VERSION"), Some("1" | "2" | "3")),
        }
    }

    /// ykman's arguments for the device `serial`.
    fn args(&self, serial: &str) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(device) = &self.device {
            args.extend(["--device".to_owned(), device.clone()]);
        }
        args.push("oath".to_owned());
        if !self.legacy {
            args.push("accounts".to_owned());
        }
        let account = self.account.as_deref().unwrap_or(serial);
        // `--`: an account or serial from the config is a name, never an
        // option (`--device 999 --help`).
        args.extend(["code", "--single", "--"].map(str::to_owned));
        args.push(account.to_owned());
        args
    }
}

impl Prompt for Ykman {
    /// A YubiKey gives codes, not passphrases: those are asked on the
    /// terminal, as aws-vault does.
    fn secret(&self, prompt: &str, what: &str) -> Result<Secret, TtyError> {
        Terminal.secret(prompt, what)
    }

    fn mfa_code(&self, req: MfaRequest<'_>) -> Result<String, TtyError> {
        let args = self.args(req.serial);
        log::debug!("getting the MFA code with `ykman {}`", args.join(" "));
        let failed = |reason: String| TtyError::Failed { what: "MFA code".to_owned(), reason };
        let mut cmd = child::command("ykman");
        cmd.args(&args);
        let done = child::run(cmd, TOUCH_WITHIN, true).map_err(|e| match e {
            RunError::NotFound => failed(
                "--prompt ykman needs the ykman program, which is not on PATH; install it \
                 (Debian: apt-get install yubikey-manager) or choose another --prompt"
                    .to_owned(),
            ),
            RunError::TimedOut => failed(format!(
                "ykman gave no code within {}s (is the YubiKey plugged in and touched?)",
                TOUCH_WITHIN.as_secs()
            )),
            RunError::Io(e) => failed(format!("could not run ykman: {e}")),
        })?;
        if !done.status.success() {
            return Err(failed(format!(
                "`ykman {}` failed ({}); check the OATH account name (YKMAN_OATH_CREDENTIAL_NAME) \
                 with `ykman oath accounts list`",
                args.join(" "),
                done.status
            )));
        }
        child::first_line(&done.stdout)
            .ok_or_else(|| failed(format!("`ykman {}` printed no code", args.join(" "))))
    }

    fn reach(&self) -> Reach {
        Reach::Nobody
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIAL: &str = "arn:aws:iam::123456789012:mfa/jon";

    #[test]
    fn the_account_is_the_serial_unless_overridden() {
        let env = Env::from_pairs([("PATH", "/bin")]);
        let args = Ykman::from_env(&env).args(SERIAL);
        assert_eq!(args, ["oath", "accounts", "code", "--single", "--", SERIAL]);
        // A serial that looks like options stays one name after `--`.
        let args = Ykman::from_env(&env).args("--device 999 --help");
        assert_eq!(args[args.len() - 2..], ["--", "--device 999 --help"]);

        let env = Env::from_pairs([
            ("YKMAN_OATH_CREDENTIAL_NAME", "aws:jon"),
            ("YKMAN_OATH_DEVICE_SERIAL", "1234567"),
            ("AWS_VAULT_YKMAN_VERSION", "3"),
        ]);
        let args = Ykman::from_env(&env).args(SERIAL);
        assert_eq!(args, ["--device", "1234567", "oath", "code", "--single", "--", "aws:jon"]);
    }
}
