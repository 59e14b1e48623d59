//! Tests of `store::file`, kept apart so the module itself stays readable.
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
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
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
