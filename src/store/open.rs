//! Opening a backend from settings: the backends `--backend` chooses from,
//! where each keeps its items, and what to say about those this system lacks.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{FileStore, KeyctlStore, PassStore, PassphraseSource, SecretServiceStore, Store};
use super::{StoreError, default_file_dir, file, jwe, keyctl};
use crate::creds::Secret;
use crate::env::Env;

/// The backends `--backend` (`AWS_VAULT_BACKEND`) chooses from: aws-vault's
/// names, including those of other systems, so that a shared setting gets a
/// clear answer rather than a usage error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    /// Encrypted files in --file-dir, one per item (aws-vault's format)
    File,
    /// The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection
    SecretService,
    /// The Linux kernel keyring: a keyring named aws-vault in the session keyring
    Keyctl,
    /// The pass password store (gpg), under --pass-dir and --pass-prefix
    Pass,
    /// The macOS keychain (not available on this system)
    Keychain,
    /// KDE Wallet's own API (not available; use secret-service, which KWallet also serves)
    Kwallet,
    /// The Windows Credential Manager (not available on this system)
    Wincred,
}

/// The chosen backend and every backend's own settings, as given (paths may
/// still start with `~`; unset folders take their defaults when opened).
#[derive(Debug, Clone)]
pub struct StoreSettings {
    pub backend: Backend,
    pub file_dir: Option<PathBuf>,
    pub secret_service_collection: String,
    pub pass_dir: Option<PathBuf>,
    pub pass_cmd: String,
    pub pass_prefix: String,
}

impl StoreSettings {
    /// Opens `backend` with these settings (`vault migrate` opens two);
    /// `passphrase` unlocks the file backend. Nothing is unlocked until an
    /// item is read or written, so listing and removing never ask for a
    /// passphrase.
    pub fn open(
        &self,
        backend: Backend,
        env: &Env,
        passphrase: Box<dyn PassphraseSource>,
    ) -> Result<Box<dyn Store>> {
        match backend {
            Backend::File => {
                let dir = self.file_dir(env)?;
                log::debug!("using the file backend in {}", dir.display());
                // A passphrase in the environment is handed to every command, each of which
                // would derive every key it reads anew.
                let key_cache = env.get("AWS_VAULT_FILE_PASSPHRASE").is_some()
                    && env.get(super::kek_cache::DISABLE_VAR) != Some("0");
                let store = FileStore::new(dir, passphrase)
                    .with_iterations(file_iterations(env)?)
                    .with_key_cache(key_cache);
                Ok(Box::new(store))
            }
            Backend::SecretService => {
                let name = &self.secret_service_collection;
                log::debug!("using the secret-service backend, collection {name:?}");
                Ok(Box::new(SecretServiceStore::new(name.clone())))
            }
            Backend::Keyctl => {
                log::debug!("using the keyctl backend");
                Ok(Box::new(KeyctlStore::new(keyctl::DEFAULT_KEYRING)))
            }
            Backend::Pass => {
                let dir = match (&self.pass_dir, env.get("PASSWORD_STORE_DIR")) {
                    (Some(dir), _) => expand_tilde(dir, &env.home()?),
                    (None, Some(dir)) => PathBuf::from(dir),
                    (None, None) => env.home()?.join(".password-store"),
                };
                log::debug!("using the pass backend in {}", dir.display());
                let (cmd, prefix) = (&self.pass_cmd, &self.pass_prefix);
                let timeout = crate::child::timeout(env)?;
                Ok(Box::new(PassStore::new(cmd.clone(), dir, prefix.clone()).with_timeout(timeout)))
            }
            Backend::Keychain | Backend::Kwallet | Backend::Wincred => {
                anyhow::bail!("{}", unavailable_backend(backend))
            }
        }
    }

    /// The chosen backend, opened only to list key names, for tab
    /// completion: it must never prompt or wait. The file store gets a
    /// passphrase source that refuses, so no code path can ask; keyctl and
    /// pass list without their secrets (kernel keyring, directory walk).
    /// secret-service is `None`: listing it goes over D-Bus, which may start
    /// a keyring daemon or take up to its 10 s timeout.
    pub fn open_for_listing(&self, env: &Env) -> Result<Option<Box<dyn Store>>> {
        match self.backend {
            Backend::File | Backend::Keyctl | Backend::Pass => {
                self.open(self.backend, env, Box::new(NeverUnlock)).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// The file backend's folder, as `--file-dir` or the default gives it.
    pub fn file_dir(&self, env: &Env) -> Result<PathBuf> {
        match &self.file_dir {
            Some(dir) => Ok(dir.clone()),
            None => Ok(default_file_dir(&env.home()?)),
        }
    }
}

/// PBKDF2 iterations for newly written file items: `VAULT_FILE_ITERATIONS`,
/// between aws-vault's 8192 and the most its JOSE library reads.
fn file_iterations(env: &Env) -> Result<u32> {
    let Some(text) = env.get(ITERATIONS_VAR) else { return Ok(file::DEFAULT_ITERATIONS) };
    let range = jwe::DEFAULT_P2C..=file::MAX_ITERATIONS;
    match text.trim().parse::<u32>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => anyhow::bail!(
            "{ITERATIONS_VAR}={text:?}: give a whole number from {} to {} (more and aws-vault could not read the items)",
            range.start(),
            range.end()
        ),
    }
}

/// Sets the key derivation cost of newly written file items.
pub const ITERATIONS_VAR: &str = "VAULT_FILE_ITERATIONS";

/// The passphrase source of a store opened only for listing.
struct NeverUnlock;

impl PassphraseSource for NeverUnlock {
    fn passphrase(&self, _dir: &Path, _creating: bool) -> Result<Secret, StoreError> {
        Err(StoreError::Prompt("this store was opened to list names only".to_owned()))
    }
}

/// What to say when a backend that exists only on other systems is chosen.
fn unavailable_backend(backend: Backend) -> String {
    let (name, why) = match backend {
        Backend::Keychain => ("keychain", "it is the macOS keychain"),
        Backend::Wincred => ("wincred", "it is the Windows Credential Manager"),
        _ => (
            "kwallet",
            "this vault does not speak KWallet's own API; KWallet also serves secret-service",
        ),
    };
    format!(
        "the {name} backend is not available on this system ({why}); choose secret-service, keyctl, pass or file with --backend or AWS_VAULT_BACKEND"
    )
}

/// `~/x` as the user meant it: clap hands over flags and variables unexpanded.
fn expand_tilde(path: &Path, home: &Path) -> PathBuf {
    match path.strip_prefix("~") {
        Ok(rest) => home.join(rest),
        Err(_) => path.to_path_buf(),
    }
}
