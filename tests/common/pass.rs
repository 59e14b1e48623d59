//! A password store for the `pass` backend and pass-otp: a throwaway gpg home
//! with a passphrase-less key, and a store initialised for it.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use super::moto::Moto;
use super::{TempHome, stderr, stdout};

/// A gpg home with a passphrase-less key and a pass store initialised for it; kills its
/// gpg-agent when dropped.
pub struct PassStore {
    pub gnupg: PathBuf,
    pub store: PathBuf,
    pub fingerprint: String,
}

impl PassStore {
    pub fn new(t: &TempHome) -> Self {
        // Short paths: gpg-agent's socket path must fit in a sockaddr_un.
        let gnupg = t.home.join("g");
        fs::create_dir(&gnupg).unwrap();
        fs::set_permissions(&gnupg, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        let store = t.home.join("pass-store");
        let mut me = Self { gnupg, store, fingerprint: String::new() };
        let out = me
            .tool("gpg")
            .args(["--batch", "--passphrase", "", "--quick-gen-key"])
            .args(["vault test <vault-test@example.invalid>", "default", "default", "never"])
            .output()
            .unwrap();
        assert!(out.status.success(), "gpg --quick-gen-key: {}", stderr(&out));
        let out = me.tool("gpg").args(["--list-secret-keys", "--with-colons"]).output().unwrap();
        let fingerprint = stdout(&out)
            .lines()
            .find_map(|l| l.strip_prefix("fpr:").map(|r| r.trim_matches(':').to_owned()))
            .expect("a fingerprint");
        me.fingerprint = fingerprint;
        let out = me.tool("pass").args(["init", &me.fingerprint]).output().unwrap();
        assert!(out.status.success(), "pass init: {}", stderr(&out));
        me
    }

    /// A peer tool (gpg, pass) on this gpg home and store.
    pub fn tool(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("GNUPGHOME", &self.gnupg).env("PASSWORD_STORE_DIR", &self.store);
        cmd
    }

    /// vault on the pass backend with this store, under `prefix`.
    pub fn vault(&self, t: &TempHome, moto: Option<&Moto>, prefix: &str) -> Command {
        let mut cmd = t.vault();
        cmd.env("GNUPGHOME", &self.gnupg)
            .env("AWS_VAULT_BACKEND", "pass")
            .env("AWS_VAULT_PASS_PASSWORD_STORE_DIR", &self.store)
            .env("AWS_VAULT_PASS_PREFIX", prefix);
        if let Some(moto) = moto {
            cmd.env("AWS_ENDPOINT_URL", moto.url());
        }
        cmd
    }
}

impl Drop for PassStore {
    fn drop(&mut self) {
        let _ = self.tool("gpgconf").args(["--kill", "gpg-agent"]).output();
    }
}
