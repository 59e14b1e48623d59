//! The encrypted file backend, laid out as aws-vault's: one file per item in
//! `~/.awsvault/keys`, named after the key, holding the item JSON as a JWE token
//! encrypted with a key derived from the user's passphrase.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, SecondsFormat, Utc};
use zeroize::Zeroizing;

use super::item::Item;
use super::jwe::{self, JweError, Token};
use super::kek_cache;
use super::{PassphraseSource, Store, StoreError};
use crate::atomic_write::{self, Mode};
use crate::creds::Secret;

/// The most PBKDF2 iterations aws-vault's JOSE library (jose2go) reads in a
/// `PBES2-HS256+A128KW` token: 1.6.0 (2023) capped it at 1 300 000 for this
/// algorithm (the aws-vault 7.2 release still pins 1.5.0, which has no cap),
/// so items written with more would be unreadable to it.
pub const MAX_ITERATIONS: u32 = 1_300_000;

/// What newly written items use in a release build: OWASP's current figure
/// for PBKDF2-HMAC-SHA256. aws-vault writes 8192, cheap to guess offline. A
/// warm read derives no key (the agent holds the decrypted items; with the
/// passphrase in the environment each item's key is kept for a while, see
/// `kek_cache`), so the cost falls on the first read of an item only.
pub const RELEASE_ITERATIONS: u32 = 600_000;

/// What newly written items use unless `VAULT_FILE_ITERATIONS` says
/// otherwise. Debug builds (the test suite) keep aws-vault's count:
/// unoptimized PBKDF2 is ~20 times slower there, so every locked test command
/// would take seconds.
pub const DEFAULT_ITERATIONS: u32 = if cfg!(debug_assertions) { 8192 } else { RELEASE_ITERATIONS };

/// How many times a person is asked for the passphrase before a wrong one
/// ends the command, as `sudo` does.
const PASSPHRASE_ASKS: usize = 3;

pub struct FileStore {
    dir: PathBuf,
    /// PBKDF2 iterations for newly written items.
    iterations: u32,
    passphrase: Box<dyn PassphraseSource>,
    /// Set once the passphrase has been obtained and checked, so it is asked at most once.
    unlocked: Mutex<Option<Secret>>,
    /// Whether derived keys are kept in the user keyring (`kek_cache`): on when the
    /// passphrase comes from the environment, where every command derives anew.
    key_cache: bool,
}

impl FileStore {
    /// Does no I/O: the directory is read when first needed and created on first write.
    pub fn new(dir: PathBuf, passphrase: Box<dyn PassphraseSource>) -> Self {
        Self {
            dir,
            iterations: DEFAULT_ITERATIONS,
            passphrase,
            unlocked: Mutex::new(None),
            key_cache: false,
        }
    }

    /// Keeps each item's derived key in the user keyring for a while (see `kek_cache`).
    pub fn with_key_cache(mut self, on: bool) -> Self {
        self.key_cache = on;
        self
    }

    /// [`Token::decrypt`], through the derived-key cache when it is on.
    fn decrypt(&self, token: &Token, pass: &[u8]) -> Result<Zeroizing<Vec<u8>>, JweError> {
        if !self.key_cache {
            return token.decrypt(pass);
        }
        let (salt, rounds) = token.kek_inputs();
        if let Some(kek) = kek_cache::get(pass, salt, rounds) {
            match token.decrypt_with_kek(&kek) {
                // Made for another item that had the same salt: derive below.
                Err(JweError::WrongKey) => {}
                done => {
                    log::debug!("opened an item with a derived key kept in the user keyring");
                    return done;
                }
            }
        }
        let kek = token.kek(pass);
        let opened = token.decrypt_with_kek(&kek);
        if opened.is_ok() {
            kek_cache::put(pass, salt, rounds, &kek);
        }
        opened
    }

    /// Writes new items with `iterations` PBKDF2 rounds (see [`MAX_ITERATIONS`]).
    pub fn with_iterations(mut self, iterations: u32) -> Self {
        self.iterations = iterations;
        self
    }

    /// The passphrase, asked and checked against the stored items, or the
    /// one already held (the variable, the agent) as it is: what `vault
    /// unlock` hands the agent.
    pub fn checked_passphrase(&self) -> Result<Secret, StoreError> {
        Ok(self.unlock(None)?.secret)
    }

    fn path_for(&self, key: &str) -> PathBuf {
        self.dir.join(escape_filename(key))
    }

    /// Item files as (key, path), sorted by key. A missing directory is an empty store.
    fn item_files(&self) -> Result<Vec<(String, PathBuf)>, StoreError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io("list", &self.dir, e)),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| StoreError::io("list", &self.dir, e))?;
            let path = entry.path();
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                log::warn!("ignoring {}: its name is not UTF-8", path.display());
                continue;
            };
            if name.starts_with('.') || entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            match unescape_filename(name) {
                Some(key) => files.push((key, path)),
                None => log::warn!("ignoring {}: its name does not decode to text", path.display()),
            }
        }
        files.sort();
        Ok(files)
    }

    /// Returns the passphrase, asking for it on first use. When the store already holds
    /// items the passphrase must open at least one of them, so that a mistyped one is
    /// caught before anything is written with it: a store never mixes passphrases.
    ///
    /// `first` is the item the caller is about to decrypt; it is tried first, and its
    /// plaintext is handed back if that is what proved the passphrase.
    fn unlock(&self, first: Option<(&Path, &Token)>) -> Result<Unlocked, StoreError> {
        let mut cached = self.unlocked.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(secret) = cached.as_ref() {
            return Ok(Unlocked { secret: secret.clone(), opened: None });
        }
        if let Ok(meta) = fs::metadata(&self.dir) {
            self.check_open(&meta)?;
        }
        if let Some(secret) = self.passphrase.held(&self.dir) {
            *cached = Some(secret.clone());
            return Ok(Unlocked { secret, opened: None });
        }
        let files = self.item_files()?;
        let mut secret =
            self.passphrase.passphrase(&self.dir, files.is_empty() && first.is_none())?;
        let mut asked = 1;
        let (verified, rejected, opened) = loop {
            let tried = self.try_passphrase(&secret, first, &files);
            if tried.0 || tried.1 == 0 || asked == PASSPHRASE_ASKS {
                break tried;
            }
            match self.passphrase.ask_again(&self.dir) {
                Some(again) => secret = again?,
                None => break tried,
            }
            asked += 1;
        };
        if !verified {
            if rejected > 0 {
                return Err(StoreError::WrongPassphrase { dir: self.dir.clone() });
            }
            crate::warnings::warn(format!(
                "no item in {} is readable, so the passphrase could not be checked; \
                 if it was mistyped, new items will need that same passphrase",
                self.dir.display()
            ));
        } else {
            self.passphrase.confirmed(&self.dir, &secret);
        }
        *cached = Some(secret.clone());
        Ok(Unlocked { secret, opened })
    }

    /// Whether `secret` opens `first` (the item about to be read) or another
    /// of `files`: (proved, how many items it failed to open, `first`'s
    /// plaintext if it opened it).
    fn try_passphrase(
        &self,
        secret: &Secret,
        first: Option<(&Path, &Token)>,
        files: &[(String, PathBuf)],
    ) -> (bool, usize, Option<Zeroizing<Vec<u8>>>) {
        let pass = secret.expose().as_bytes();
        // An unwrap that passes AES-KW's integrity check proves the passphrase even when the
        // content is damaged, so `Tampered` counts as a match; only `WrongKey` counts against.
        let mut rejected = 0;
        let mut opened = None;
        let mut verified = files.is_empty() && first.is_none();
        if let Some((_, token)) = first {
            match self.decrypt(token, pass) {
                Ok(plaintext) => {
                    opened = Some(plaintext);
                    verified = true;
                }
                Err(JweError::Tampered) => verified = true,
                Err(JweError::WrongKey) => rejected += 1,
                Err(_) => {}
            }
        }
        let first_path = first.map(|(path, _)| path);
        for (_, path) in files.iter().filter(|(_, path)| Some(path.as_path()) != first_path) {
            if verified {
                break;
            }
            let Ok(text) = fs::read_to_string(path) else { continue };
            let Ok(token) = Token::parse(&text) else { continue };
            match self.decrypt(&token, pass) {
                Ok(_) | Err(JweError::Tampered) => verified = true,
                Err(JweError::WrongKey) => rejected += 1,
                Err(_) => {}
            }
        }
        (verified, rejected, opened)
    }

    /// Refuses a store folder every user can write to (anyone could swap or delete items,
    /// e.g. give one profile another's keys), and warns, once per command, when others
    /// may look into it (the items are encrypted, but their names say which profiles
    /// exist). A group-writable folder is only warned about: with per-user groups
    /// (umask 002) that group is the user alone.
    fn check_open(&self, meta: &fs::Metadata) -> Result<(), StoreError> {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        let dir = self.dir.display();
        if mode & 0o002 != 0 {
            return Err(StoreError::Invalid(format!(
                "the store folder {dir} is writable by every user (mode {mode:o}), who could \
                 swap or delete its items; run `chmod 700 {dir}`"
            )));
        }
        if mode & 0o077 != 0 {
            crate::warnings::warn(format!(
                "the store folder {dir} is open to other users (mode {mode:o}); run `chmod 700 {dir}`"
            ));
        }
        Ok(())
    }

    /// Creates the directory (0700) if missing. An existing directory is left as the user
    /// set it up, with a warning when others can read it and an error when anyone can write.
    fn ensure_dir(&self) -> Result<(), StoreError> {
        match fs::metadata(&self.dir) {
            Ok(meta) if meta.is_dir() => self.check_open(&meta),
            Ok(_) => Err(StoreError::io(
                "use",
                &self.dir,
                io::Error::new(io::ErrorKind::NotADirectory, "not a directory"),
            )),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                atomic_write::create_private_dir(&self.dir)
                    .map_err(|e| StoreError::io("create", &self.dir, e))
            }
            Err(e) => Err(StoreError::io("read", &self.dir, e)),
        }
    }
}

struct Unlocked {
    secret: Secret,
    /// The plaintext of the item that proved the passphrase, when it was the one asked for.
    opened: Option<Zeroizing<Vec<u8>>>,
}

impl Store for FileStore {
    fn backend_name(&self) -> &'static str {
        "file"
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.item_files()?.into_iter().map(|(key, _)| key).collect())
    }

    fn get(&self, key: &str) -> Result<Option<Item>, StoreError> {
        let path = self.path_for(key);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io("read", &path, e)),
        };
        let corrupt = |reason: String| StoreError::Corrupt { path: path.clone(), reason };
        let text = std::str::from_utf8(&bytes).map_err(|_| corrupt("it is not text".into()))?;
        // Framing is checked before asking for a passphrase: a damaged file is reported as
        // such, with no prompt.
        let token = Token::parse(text).map_err(|e| corrupt(e.to_string()))?;
        if let Some(plaintext) = self.passphrase.open_elsewhere(&path) {
            let item =
                Item::from_json(&plaintext).map_err(|e| corrupt(format!("its content is {e}")))?;
            return Ok(Some(item));
        }
        let unlocked = self.unlock(Some((&path, &token)))?;
        let plaintext = match unlocked.opened {
            Some(plaintext) => plaintext,
            None => {
                self.decrypt(&token, unlocked.secret.expose().as_bytes()).map_err(|e| match e {
                    // The passphrase was proven on another item.
                    JweError::WrongKey => corrupt(
                        "it does not open with the passphrase that opens the other items".into(),
                    ),
                    other => corrupt(other.to_string()),
                })?
            }
        };
        let item =
            Item::from_json(&plaintext).map_err(|e| corrupt(format!("its content is {e}")))?;
        Ok(Some(item))
    }

    fn set(&self, item: Item) -> Result<(), StoreError> {
        check_key(&item.key)?;
        let path = self.path_for(&item.key);
        let secret = self.unlock(None)?.secret;
        let (pass, created) = (secret.expose().as_bytes(), go_time_string(Utc::now()));
        let token = jwe::encrypt_with_p2c(&item.to_json(), pass, &created, self.iterations)
            .map_err(|e| StoreError::Invalid(format!("could not encrypt {:?}: {e}", item.key)))?;
        self.ensure_dir()?;
        // A crash leaves either the old item or the new one, never half.
        atomic_write::write(&path, token.as_bytes(), Mode::Private)
            .map_err(|e| StoreError::io("write", &path, e))
    }

    fn remove(&self, key: &str) -> Result<bool, StoreError> {
        let path = self.path_for(key);
        match fs::remove_file(&path) {
            Ok(()) => {
                atomic_write::sync_dir(&self.dir);
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(StoreError::io("remove", &path, e)),
        }
    }
}

impl fmt::Debug for FileStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unlocked = self.unlocked.lock().unwrap_or_else(PoisonError::into_inner).is_some();
        f.debug_struct("FileStore").field("dir", &self.dir).field("unlocked", &unlocked).finish()
    }
}

/// Keys that cannot round-trip through a file name in this layout.
fn check_key(key: &str) -> Result<(), StoreError> {
    if key.is_empty() {
        return Err(StoreError::Invalid("cannot store an item with an empty name".into()));
    }
    if key.starts_with('.') {
        return Err(StoreError::Invalid(format!(
            "cannot store {key:?} in the file store: names starting with '.' would be hidden; rename it"
        )));
    }
    if key.contains('\0') {
        return Err(StoreError::Invalid(format!(
            "cannot store {key:?}: it contains a NUL character"
        )));
    }
    Ok(())
}

/// aws-vault's file name for a key: only `%` and `/` are percent-encoded.
pub fn escape_filename(key: &str) -> String {
    key.replace('%', "%25").replace('/', "%2F")
}

/// Decodes every `%XX` (either case), as aws-vault's `percent.Decode` does. `None` when the
/// result is not UTF-8.
pub fn unescape_filename(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Go's `time.Time.String()` for a UTC time, as aws-vault puts in the `created` header:
/// `2006-01-02 15:04:05.999999999 +0000 UTC` (trailing zeros of the fraction dropped).
fn go_time_string(t: DateTime<Utc>) -> String {
    let nanos = t.to_rfc3339_opts(SecondsFormat::Nanos, true);
    let fraction = nanos.split_once('.').map_or("", |(_, f)| f.trim_end_matches('Z'));
    let fraction = fraction.trim_end_matches('0');
    let dot = if fraction.is_empty() { "" } else { "." };
    format!("{}{dot}{fraction} +0000 UTC", t.format("%Y-%m-%d %H:%M:%S"))
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
