//! The secret store: the `Store` trait every backend implements, the backends and
//! opening the chosen one (`open.rs`), and the typed views (long-term credentials, cached sessions) that lay out
//! keys and item data exactly as aws-vault does, so both tools can share one store.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::creds::Secret;

pub mod credentials;
pub mod file;
pub mod item;
pub mod jwe;
mod kek_cache;
pub mod keyctl;
pub mod keys;
pub mod oidc;
pub mod open;
pub mod pass;
pub mod secret_service;
pub mod sessions;

pub use credentials::CredentialKeyring;
pub use file::FileStore;
pub use item::Item;
pub use keyctl::KeyctlStore;
pub use keys::{SessionKey, is_oidc_key, is_session_key};
pub use oidc::{OidcToken, OidcTokenKeyring};
pub use open::{Backend, StoreSettings};
pub use pass::PassStore;
pub use secret_service::SecretServiceStore;
pub use sessions::SessionKeyring;

/// A keyring backend, with aws-vault's (99designs/keyring's) semantics.
pub trait Store {
    fn backend_name(&self) -> &'static str;
    /// All keys, without unlocking anything: listing never asks for a passphrase.
    fn keys(&self) -> Result<Vec<String>, StoreError>;
    fn get(&self, key: &str) -> Result<Option<Item>, StoreError>;
    fn set(&self, item: Item) -> Result<(), StoreError>;
    /// `Ok(false)` when there was nothing to remove. Never asks for a passphrase.
    fn remove(&self, key: &str) -> Result<bool, StoreError>;
}

/// Where a passphrase comes from; implemented with the prompts (an environment
/// variable, else the prompt driver: `prompt::EnvOrPrompt`).
///
/// `Send + Sync` so that a `FileStore` can be shared by the threads of a credential server.
pub trait PassphraseSource: Send + Sync {
    /// `creating` is true when the store holds no items yet (the caller may ask twice to confirm).
    fn passphrase(&self, dir: &Path, creating: bool) -> Result<Secret, StoreError>;

    /// The passphrase of `dir` as held by something that checked it when it
    /// was given (the agent): used as is, never verified again nor asked.
    fn held(&self, _dir: &Path) -> Option<Secret> {
        None
    }

    /// An item file decrypted elsewhere (the agent, which caches it), so
    /// that reading it derives no key in this process.
    fn open_elsewhere(&self, _path: &Path) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        None
    }

    /// Asks again after a passphrase that opened nothing, as `sudo` and
    /// `ssh` do; `None` when what gave it cannot be asked again (a variable).
    fn ask_again(&self, _dir: &Path) -> Option<Result<Secret, StoreError>> {
        None
    }

    /// Told once a passphrase from [`Self::passphrase`] opened the store.
    fn confirmed(&self, _dir: &Path, _secret: &Secret) {}
}

/// aws-vault's default file store location, `~/.awsvault/keys`.
pub fn default_file_dir(home: &Path) -> PathBuf {
    home.join(".awsvault").join("keys")
}

/// Errors never carry secrets: no passphrase, key material or decrypted data reaches a
/// message, only paths, key names and a description of what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "could not unlock {}: wrong passphrase; give the one the store was created with (AWS_VAULT_FILE_PASSPHRASE or the prompt)",
        dir.display()
    )]
    WrongPassphrase { dir: PathBuf },

    /// One damaged file; the other items stay readable.
    #[error(
        "could not read {}: {reason}; the file is damaged: remove it with `vault remove` or delete the file",
        path.display()
    )]
    Corrupt { path: PathBuf, reason: String },

    /// The item decrypted but its data is not what aws-vault stores under that key.
    #[error(
        "the stored item {key:?} holds invalid data ({reason}); remove it with `vault remove` and add it again"
    )]
    BadItem { key: String, reason: String },

    /// The io error is in the message only, not a `source()`: `{:#}` prints it once, and
    /// the hint that follows it stays at the end.
    #[error("could not {action} {}: {cause}{}", path.display(), io_hint(cause))]
    Io { action: &'static str, path: PathBuf, cause: io::Error },

    /// The caller asked to store something that this store cannot hold.
    #[error("{0}")]
    Invalid(String),

    /// The user pressed Ctrl-C (or Ctrl-D) at a prompt.
    #[error("cancelled")]
    Cancelled,

    /// No passphrase could be asked for, e.g. no terminal to prompt on.
    #[error("{0}")]
    Prompt(String),

    /// A backend's daemon, keyring or helper program is missing, locked or refused; the
    /// message says what failed and what to do.
    #[error("{backend} backend: {message}")]
    Backend { backend: &'static str, message: String },
}

impl StoreError {
    pub(crate) fn backend(backend: &'static str, message: impl Into<String>) -> Self {
        Self::Backend { backend, message: message.into() }
    }

    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, cause: io::Error) -> Self {
        Self::Io { action, path: path.into(), cause }
    }
}

fn io_hint(err: &io::Error) -> &'static str {
    match err.kind() {
        io::ErrorKind::PermissionDenied => "; check its owner and permissions",
        io::ErrorKind::NotADirectory => "; it should be a directory",
        _ => "",
    }
}

// `Debug` of a trait object is handy in error reports and logs; only the backend name
// is shown.
impl fmt::Debug for dyn Store + '_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend_name()).finish()
    }
}

/// An in-memory store for the typed views' tests; counts `get` calls to show which
/// operations would need the passphrase.
#[cfg(test)]
pub(crate) mod mem {
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeMap;

    use super::{Item, Store, StoreError};

    #[derive(Default)]
    pub(crate) struct MemStore {
        pub items: RefCell<BTreeMap<String, Item>>,
        pub gets: Cell<usize>,
    }

    impl Store for MemStore {
        fn backend_name(&self) -> &'static str {
            "memory"
        }
        fn keys(&self) -> Result<Vec<String>, StoreError> {
            Ok(self.items.borrow().keys().cloned().collect())
        }
        fn get(&self, key: &str) -> Result<Option<Item>, StoreError> {
            self.gets.set(self.gets.get() + 1);
            Ok(self.items.borrow().get(key).cloned())
        }
        fn set(&self, item: Item) -> Result<(), StoreError> {
            self.items.borrow_mut().insert(item.key.clone(), item);
            Ok(())
        }
        fn remove(&self, key: &str) -> Result<bool, StoreError> {
            Ok(self.items.borrow_mut().remove(key).is_some())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_dir_is_awsvault_keys() {
        assert_eq!(default_file_dir(Path::new("/home/u")), PathBuf::from("/home/u/.awsvault/keys"));
    }

    #[test]
    fn the_io_error_is_printed_once_before_the_hint() {
        let err = StoreError::io(
            "read",
            "/d",
            io::Error::new(io::ErrorKind::PermissionDenied, "disk on fire"),
        );
        assert_eq!(
            format!("{:#}", anyhow::Error::from(err)),
            "could not read /d: disk on fire; check its owner and permissions"
        );
    }

    #[test]
    fn messages_are_one_line_and_name_the_place() {
        let errors = [
            StoreError::WrongPassphrase { dir: "/d".into() },
            StoreError::Corrupt { path: "/d/f".into(), reason: "bad framing".into() },
            StoreError::io(
                "list",
                "/d",
                io::Error::new(io::ErrorKind::PermissionDenied, "permission denied"),
            ),
        ];
        for e in errors {
            let msg = e.to_string();
            assert!(!msg.contains('\n'), "{msg}");
            assert!(msg.contains("/d"), "{msg}");
            assert!(msg.starts_with(char::is_lowercase), "{msg}");
        }
    }
}
