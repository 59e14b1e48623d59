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
use super::{PassphraseSource, Store, StoreError};
use crate::atomic_write::{self, Mode};
use crate::creds::Secret;

pub struct FileStore {
    dir: PathBuf,
    passphrase: Box<dyn PassphraseSource>,
    /// Set once the passphrase has been obtained and checked, so it is asked at most once.
    unlocked: Mutex<Option<Secret>>,
}

impl FileStore {
    /// Does no I/O: the directory is read when first needed and created on first write.
    pub fn new(dir: PathBuf, passphrase: Box<dyn PassphraseSource>) -> Self {
        Self { dir, passphrase, unlocked: Mutex::new(None) }
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
        let files = self.item_files()?;
        let secret = self.passphrase.passphrase(&self.dir, files.is_empty() && first.is_none())?;
        let pass = secret.expose().as_bytes();

        // An unwrap that passes AES-KW's integrity check proves the passphrase even when the
        // content is damaged, so `Tampered` counts as a match; only `WrongKey` counts against.
        let mut rejected = 0;
        let mut opened = None;
        let mut verified = files.is_empty() && first.is_none();
        if let Some((_, token)) = first {
            match token.decrypt(pass) {
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
            match token.decrypt(pass) {
                Ok(_) | Err(JweError::Tampered) => verified = true,
                Err(JweError::WrongKey) => rejected += 1,
                Err(_) => {}
            }
        }
        if !verified {
            if rejected > 0 {
                return Err(StoreError::WrongPassphrase { dir: self.dir.clone() });
            }
            log::warn!(
                "no item in {} is readable, so the passphrase could not be checked",
                self.dir.display()
            );
        }
        *cached = Some(secret.clone());
        Ok(Unlocked { secret, opened })
    }

    /// Creates the directory (0700) if missing. An existing directory is left as the user
    /// set it up, with a warning when others can read it.
    fn ensure_dir(&self) -> Result<(), StoreError> {
        match fs::metadata(&self.dir) {
            Ok(meta) if meta.is_dir() => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    if meta.permissions().mode() & 0o077 != 0 {
                        log::warn!(
                            "{} is open to other users; consider `chmod 700` on it",
                            self.dir.display()
                        );
                    }
                }
                Ok(())
            }
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
        let unlocked = self.unlock(Some((&path, &token)))?;
        let plaintext = match unlocked.opened {
            Some(plaintext) => plaintext,
            None => token.decrypt(unlocked.secret.expose().as_bytes()).map_err(|e| match e {
                // The passphrase was proven on another item.
                JweError::WrongKey => corrupt(
                    "it does not open with the passphrase that opens the other items".into(),
                ),
                other => corrupt(other.to_string()),
            })?,
        };
        let item =
            Item::from_json(&plaintext).map_err(|e| corrupt(format!("its content is {e}")))?;
        Ok(Some(item))
    }

    fn set(&self, item: Item) -> Result<(), StoreError> {
        check_key(&item.key)?;
        let path = self.path_for(&item.key);
        let secret = self.unlock(None)?.secret;
        let token =
            jwe::encrypt(&item.to_json(), secret.expose().as_bytes(), &go_time_string(Utc::now()))
                .map_err(|e| {
                    StoreError::Invalid(format!("could not encrypt {:?}: {e}", item.key))
                })?;
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
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Answers with a fixed passphrase and records how it was asked.
    struct Fixed {
        pass: &'static str,
        asked: Arc<AtomicUsize>,
        creating: Arc<Mutex<Vec<bool>>>,
    }

    impl PassphraseSource for Fixed {
        fn passphrase(&self, _dir: &Path, creating: bool) -> Result<Secret, StoreError> {
            self.asked.fetch_add(1, Ordering::SeqCst);
            self.creating.lock().unwrap().push(creating);
            Ok(Secret::new(self.pass))
        }
    }

    /// Fails the test if a passphrase is asked for.
    struct Never;

    impl PassphraseSource for Never {
        fn passphrase(&self, dir: &Path, _: bool) -> Result<Secret, StoreError> {
            panic!("asked for a passphrase for {}", dir.display())
        }
    }

    struct Cancels;

    impl PassphraseSource for Cancels {
        fn passphrase(&self, _: &Path, _: bool) -> Result<Secret, StoreError> {
            Err(StoreError::Cancelled)
        }
    }

    struct Harness {
        store: FileStore,
        asked: Arc<AtomicUsize>,
        creating: Arc<Mutex<Vec<bool>>>,
    }

    fn store(dir: &Path, pass: &'static str) -> Harness {
        let asked = Arc::new(AtomicUsize::new(0));
        let creating = Arc::new(Mutex::new(Vec::new()));
        let source = Fixed { pass, asked: asked.clone(), creating: creating.clone() };
        Harness { store: FileStore::new(dir.to_path_buf(), Box::new(source)), asked, creating }
    }

    fn item(key: &str, data: &str) -> Item {
        Item::new(key, data.as_bytes().to_vec()).with_label(format!("label {key}"))
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn filename_escaping_round_trips() {
        for (key, file) in [
            ("a/b%c", "a%2Fb%25c"),
            ("oidc:https://x.awsapps.com/start", "oidc:https:%2F%2Fx.awsapps.com%2Fstart"),
            ("plain name,with:stuff", "plain name,with:stuff"),
            ("%2F", "%252F"),
            ("ü/名", "ü%2F名"),
        ] {
            assert_eq!(escape_filename(key), file);
            assert_eq!(unescape_filename(file).as_deref(), Some(key));
        }
        // Like aws-vault, any %XX decodes and a stray % is kept.
        assert_eq!(unescape_filename("a%2fb%41").as_deref(), Some("a/bA"));
        assert_eq!(unescape_filename("50%").as_deref(), Some("50%"));
        assert_eq!(unescape_filename("5%2").as_deref(), Some("5%2"));
        assert_eq!(unescape_filename("%zz").as_deref(), Some("%zz"));
        assert_eq!(unescape_filename("%FF"), None);
    }

    #[test]
    fn go_time_strings() {
        let t = DateTime::parse_from_rfc3339("2024-01-02T03:04:05.120Z").unwrap().to_utc();
        assert_eq!(go_time_string(t), "2024-01-02 03:04:05.12 +0000 UTC");
        let t = DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z").unwrap().to_utc();
        assert_eq!(go_time_string(t), "2024-01-02 03:04:05 +0000 UTC");
    }

    #[test]
    fn set_get_keys_remove() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("keys");
        let h = store(&dir, "pw");
        assert_eq!(h.store.keys().unwrap(), Vec::<String>::new());
        assert!(!dir.exists(), "reading must not create the directory");
        assert!(h.store.get("nothing").unwrap().is_none());

        h.store.set(item("a/b%c", "one")).unwrap();
        h.store.set(item("oidc:https://x.awsapps.com/start", "two")).unwrap();
        assert_eq!(files_in(&dir), ["a%2Fb%25c", "oidc:https:%2F%2Fx.awsapps.com%2Fstart"]);
        assert_eq!(h.store.keys().unwrap(), ["a/b%c", "oidc:https://x.awsapps.com/start"]);
        let got = h.store.get("a/b%c").unwrap().unwrap();
        assert_eq!(
            (got.key.as_str(), got.data.as_slice(), got.label.as_str()),
            ("a/b%c", &b"one"[..], "label a/b%c")
        );

        h.store.set(item("a/b%c", "replaced")).unwrap();
        assert_eq!(h.store.get("a/b%c").unwrap().unwrap().data, b"replaced");
        assert!(h.store.remove("a/b%c").unwrap());
        assert!(!h.store.remove("a/b%c").unwrap());
        assert_eq!(h.store.keys().unwrap(), ["oidc:https://x.awsapps.com/start"]);
        assert_eq!(h.asked.load(Ordering::SeqCst), 1, "asked once for the whole session");
        assert_eq!(*h.creating.lock().unwrap(), [true]);
    }

    #[test]
    fn listing_and_removing_need_no_passphrase() {
        let tmp = tempfile::tempdir().unwrap();
        store(tmp.path(), "pw").store.set(item("p", "x")).unwrap();
        let locked = FileStore::new(tmp.path().to_path_buf(), Box::new(Never));
        assert_eq!(locked.keys().unwrap(), ["p"]);
        assert!(locked.get("absent").unwrap().is_none());
        assert!(locked.remove("p").unwrap());
        assert!(!locked.remove("p").unwrap());
    }

    #[test]
    fn asks_once_and_says_whether_the_store_is_new() {
        let tmp = tempfile::tempdir().unwrap();
        store(tmp.path(), "pw").store.set(item("p", "x")).unwrap();
        let h = store(tmp.path(), "pw");
        h.store.get("p").unwrap();
        h.store.set(item("q", "y")).unwrap();
        h.store.get("q").unwrap();
        assert_eq!(h.asked.load(Ordering::SeqCst), 1);
        assert_eq!(*h.creating.lock().unwrap(), [false]);
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("deep").join("keys");
        store(&dir, "pw").store.set(item("p", "x")).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("p")), 0o600);
    }

    #[test]
    fn writes_leave_no_temp_files() {
        let tmp = tempfile::tempdir().unwrap();
        let h = store(tmp.path(), "pw");
        for i in 0..3 {
            h.store.set(item("p", &i.to_string())).unwrap();
        }
        assert_eq!(files_in(tmp.path()), ["p"]);
    }

    #[test]
    fn dotfiles_and_directories_are_not_items() {
        let tmp = tempfile::tempdir().unwrap();
        let h = store(tmp.path(), "pw");
        h.store.set(item("p", "x")).unwrap();
        fs::write(tmp.path().join(".vault-tmp-0123456789abcdef"), "half").unwrap();
        fs::write(tmp.path().join(".DS_Store"), "").unwrap();
        fs::create_dir(tmp.path().join("sub")).unwrap();
        assert_eq!(h.store.keys().unwrap(), ["p"]);
        for bad in [".hidden", "", "nul\0"] {
            assert!(matches!(h.store.set(item(bad, "x")), Err(StoreError::Invalid(_))), "{bad:?}");
        }
    }

    #[test]
    fn wrong_passphrase_is_refused_before_anything_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        store(tmp.path(), "pass-right-123").store.set(item("p", "x")).unwrap();
        let before = fs::read(tmp.path().join("p")).unwrap();

        let h = store(tmp.path(), "pass-typo-456");
        let err = h.store.set(item("q", "y")).unwrap_err();
        assert!(matches!(err, StoreError::WrongPassphrase { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains(&tmp.path().display().to_string())
                && msg.contains("AWS_VAULT_FILE_PASSPHRASE"),
            "{msg}"
        );
        assert!(!msg.contains("pass-"), "{msg}");
        assert!(matches!(h.store.get("p"), Err(StoreError::WrongPassphrase { .. })));
        assert_eq!(files_in(tmp.path()), ["p"]);
        assert_eq!(fs::read(tmp.path().join("p")).unwrap(), before);
    }

    #[test]
    fn a_damaged_file_does_not_block_the_others() {
        let tmp = tempfile::tempdir().unwrap();
        let h = store(tmp.path(), "pw");
        h.store.set(item("good", "x")).unwrap();
        let good = fs::read_to_string(tmp.path().join("good")).unwrap();
        // Sorted first, so unlocking meets them before the good item.
        fs::write(tmp.path().join("a-truncated"), &good[..good.len() - 30]).unwrap();
        fs::write(tmp.path().join("a-garbage"), b"\xff\xfe not a token").unwrap();

        let h = store(tmp.path(), "pw");
        for name in ["a-truncated", "a-garbage"] {
            let err = h.store.get(name).unwrap_err();
            let msg = err.to_string();
            assert!(matches!(err, StoreError::Corrupt { .. }), "{msg}");
            assert!(msg.contains(&tmp.path().join(name).display().to_string()), "{msg}");
            assert!(msg.contains("vault remove") && msg.contains("delete the file"), "{msg}");
        }
        assert_eq!(h.store.get("good").unwrap().unwrap().data, b"x");
        h.store.set(item("new", "y")).unwrap();
        assert_eq!(h.store.keys().unwrap(), ["a-garbage", "a-truncated", "good", "new"]);
    }

    #[test]
    fn content_damage_is_told_from_a_wrong_passphrase() {
        let tmp = tempfile::tempdir().unwrap();
        let h = store(tmp.path(), "pw");
        h.store.set(item("good", "x")).unwrap();
        // Well-formed and under the right passphrase, but not an item inside.
        fs::write(tmp.path().join("not-json"), jwe::encrypt(b"[]", b"pw", "").unwrap()).unwrap();
        // Same passphrase, altered ciphertext.
        let token = fs::read_to_string(tmp.path().join("good")).unwrap();
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        parts[3] = parts[3].replacen(|c: char| c != 'A', "A", 1);
        fs::write(tmp.path().join("tampered"), parts.join(".")).unwrap();
        // Written by someone with another passphrase.
        fs::write(tmp.path().join("other"), jwe::encrypt(b"{}", b"other", "").unwrap()).unwrap();

        let h = store(tmp.path(), "pw");
        for (name, reason) in [
            ("not-json", "content is not a json object"),
            ("tampered", "failed authentication"),
            ("other", "does not open with the passphrase that opens the other items"),
        ] {
            match h.store.get(name) {
                Err(StoreError::Corrupt { reason: r, .. }) => {
                    assert!(r.contains(reason), "{name}: {r}")
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        // The damaged item alone still proves the passphrase (its key unwrapped).
        let lone = tempfile::tempdir().unwrap();
        fs::write(lone.path().join("tampered"), parts.join(".")).unwrap();
        let h = store(lone.path(), "pw");
        assert!(matches!(h.store.get("tampered"), Err(StoreError::Corrupt { .. })));
        h.store.set(item("new", "y")).unwrap();
    }

    #[test]
    fn cancelling_the_prompt_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let s = FileStore::new(tmp.path().to_path_buf(), Box::new(Cancels));
        assert!(matches!(s.set(item("p", "x")), Err(StoreError::Cancelled)));
        assert!(files_in(tmp.path()).is_empty());
    }

    #[test]
    fn a_file_in_place_of_the_directory_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("keys");
        fs::write(&path, "").unwrap();
        let h = store(&path, "pw");
        for err in [h.store.keys().unwrap_err(), h.store.set(item("p", "x")).unwrap_err()] {
            let msg = err.to_string();
            assert!(msg.contains(&path.display().to_string()), "{msg}");
        }
    }

    #[test]
    fn debug_shows_no_secret() {
        let tmp = tempfile::tempdir().unwrap();
        let h = store(tmp.path(), "hunter2");
        h.store.set(item("p", "data-secret")).unwrap();
        let shown = format!("{:?} {:?}", h.store, h.store.get("p").unwrap());
        assert!(!shown.contains("hunter2") && !shown.contains("data-secret"), "{shown}");
    }
}
