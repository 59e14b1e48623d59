//! `.awsprofile` files: finding the nearest one, reading the profile it
//! names, and the allow/deny records that decide whether it is used.
//!
//! Trust follows direnv: an allow record is bound to the path where the
//! file was found (symlinks not followed) AND its contents, so any edit
//! revokes it; a deny record is bound to the path alone, so it survives
//! edits. The risk guarded against is a cloned repository quietly switching
//! a shell to a powerful profile, including by shipping a symlink to a file
//! the user trusted elsewhere: the symlink is its own path, with its own trust.

use std::fs;
use std::io::{self, Read as _};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::atomic_write::{self, Mode};
use crate::escape::terminal;

pub const FILE_NAME: &str = ".awsprofile";

/// The token file of [`TrustStore::generation`], beside `allow/` and `deny/`.
const GENERATION_FILE: &str = "trust-changed";
/// The most of it ever read: 32 hex digits and a newline.
const GENERATION_MAX: u64 = 128;

/// The most of an `.awsprofile` ever read: it names one profile, and it is
/// read at every directory change.
pub const MAX_LEN: u64 = 4096;

/// An io error is in the message only, not a `source()`: `{:#}` prints it once.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error("could not read {}: {cause}", shown(path))]
    Read { path: PathBuf, cause: io::Error },
    #[error("{} is larger than {MAX_LEN} bytes; it should hold one profile name", shown(path))]
    TooLarge { path: PathBuf },
    #[error(
        "{} must name one profile (letters, digits and _.:@+/=,- only), found {found}",
        shown(path)
    )]
    Invalid { path: PathBuf, found: String },
    #[error("could not record trust in {}: {cause}", shown(path))]
    Write { path: PathBuf, cause: io::Error },
    #[error("no {FILE_NAME} in {} or its parents", shown(dir))]
    NotFound { dir: PathBuf },
}

/// Where the active `.awsprofile` was found, and enough to tell an edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub path: String,
    /// 0 in a state written before it was recorded: such a state decides once more.
    #[serde(default)]
    pub ino: u64,
    pub mtime_ns: i128,
    pub len: u64,
}

/// The nearest `.awsprofile` at or above `dir`, looking no higher than
/// `home` when `dir` is inside it (a file above home is not the user's),
/// else up to the root. Only `stat`s: this runs on every directory change.
pub fn find(dir: &Path, home: Option<&Path>) -> Option<(PathBuf, FileStamp)> {
    let stop_at = home.filter(|h| dir.starts_with(h));
    let mut current = Some(dir);
    while let Some(d) = current {
        let candidate = d.join(FILE_NAME);
        if let Ok(meta) = fs::metadata(&candidate)
            && meta.is_file()
        {
            let stamp = FileStamp {
                path: candidate.to_string_lossy().into_owned(),
                ino: meta.ino(),
                mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
                len: meta.len(),
            };
            return Some((candidate, stamp));
        }
        if Some(d) == stop_at {
            break;
        }
        current = d.parent();
    }
    None
}

/// Characters a profile named in `.awsprofile` may use. Stricter than the
/// config allows on purpose: the name reaches shell code and messages
/// (`vault add` says when a name it stores cannot be used here).
pub fn valid_profile(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.:@+/=,-".contains(c))
}

/// The profile a `.awsprofile` names: one name on a line; blank lines and
/// `#` comments are allowed around it.
pub fn parse(path: &Path, contents: &str) -> Result<String, TrustError> {
    let names: Vec<&str> =
        contents.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    match names.as_slice() {
        [name] if valid_profile(name) => Ok((*name).to_owned()),
        // Through a symlink the contents may be any file of the user's (a
        // cloned repository can ship a link to ~/.netrc): named, never quoted.
        _ => match symlink_target(path) {
            Some(target) => Err(TrustError::Invalid {
                path: path.to_owned(),
                found: format!("the contents of {} (not shown)", shown(&target)),
            }),
            None => {
                let shown: String = contents.trim().chars().take(40).collect();
                Err(TrustError::Invalid { path: path.to_owned(), found: format!("{shown:?}") })
            }
        },
    }
}

/// The contents of an `.awsprofile`, refusing one over [`MAX_LEN`] bytes
/// rather than reading it whole, and anything but a regular file. `find`
/// saw a file, but in a folder another user can write it may be swapped for
/// a FIFO before the open, which would then wait forever for a writer: the
/// open does not wait (`O_NONBLOCK`), and what was opened is checked.
pub fn read(path: &Path) -> Result<String, TrustError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let err = |cause| TrustError::Read { path: path.to_owned(), cause };
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(err)?;
    if !file.metadata().map_err(err)?.is_file() {
        let cause = io::Error::new(io::ErrorKind::InvalidInput, "it is not a regular file");
        return Err(err(cause));
    }
    let mut bytes = Vec::new();
    file.take(MAX_LEN + 1).read_to_end(&mut bytes).map_err(err)?;
    if bytes.len() as u64 > MAX_LEN {
        return Err(TrustError::TooLarge { path: path.to_owned() });
    }
    String::from_utf8(bytes)
        .map_err(|_| err(io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text")))
}

/// A path as shown to people: control characters escaped, so a directory
/// name cannot carry terminal escape sequences to the screen.
pub fn shown(path: &Path) -> String {
    terminal(&path.to_string_lossy())
}

/// Where a symlinked `.awsprofile` points, to say so in messages: its trust
/// is its own, not its target's.
pub fn symlink_target(path: &Path) -> Option<PathBuf> {
    let meta = fs::symlink_metadata(path).ok()?;
    meta.file_type().is_symlink().then(|| fs::read_link(path).ok()).flatten()
}

/// `path` as shown in messages, saying when it is a symlink.
pub fn describe(path: &Path) -> String {
    match symlink_target(path) {
        Some(target) => format!("{} (a symlink to {})", shown(path), shown(&target)),
        None => shown(path),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Never allowed, or edited since it was.
    Untrusted,
    Denied,
}

/// The allow and deny records, under the data directory
/// (`$XDG_DATA_HOME/vault`, by default `~/.local/share/vault`), and a token
/// every change of them replaces (`trust-changed`), which a shell's hook
/// reads with a builtin to tell, without starting a process, that no
/// `vault allow` or `deny` ran since its last decision.
pub struct TrustStore {
    dir: PathBuf,
}

impl TrustStore {
    pub fn new(data_dir: PathBuf) -> Self {
        Self { dir: data_dir }
    }

    fn allow_path(&self, canonical: &Path, contents: &str) -> PathBuf {
        let mut h = Sha256::new();
        h.update(canonical.as_os_str().as_encoded_bytes());
        h.update(b"\n");
        h.update(contents.as_bytes());
        self.dir.join("allow").join(hex(&h.finalize()))
    }

    fn deny_path(&self, canonical: &Path) -> PathBuf {
        let mut h = Sha256::new();
        h.update(canonical.as_os_str().as_encoded_bytes());
        h.update(b"\n");
        self.dir.join("deny").join(hex(&h.finalize()))
    }

    /// The file holding the token of the last change; `generation` reads it.
    pub fn generation_path(&self) -> PathBuf {
        self.dir.join(GENERATION_FILE)
    }

    /// The token of the last change of the records, "" when none was ever
    /// made (or it cannot be read: then a change cannot be told from none,
    /// and the hook decides from the records each time it runs).
    pub fn generation(&self) -> String {
        let mut text = String::new();
        let read = fs::File::open(self.generation_path())
            .and_then(|f| f.take(GENERATION_MAX).read_to_string(&mut text));
        match read {
            Ok(_) => text.trim_end().to_owned(),
            Err(_) => String::new(),
        }
    }

    /// A new token, written after the record it follows: a hook that read
    /// the old token may have read the new record too (it only runs once
    /// more), but one that read the new token always reads the new record.
    fn changed(&self) -> Result<(), TrustError> {
        let mut token = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut token);
        let path = self.generation_path();
        let text = format!("{}\n", hex(&token));
        atomic_write::write(&path, text.as_bytes(), Mode::Private)
            .map_err(|cause| TrustError::Write { path, cause })
    }

    pub fn verdict(&self, file: &Path, contents: &str) -> Verdict {
        let key = key(file);
        if self.deny_path(&key).exists() {
            Verdict::Denied
        } else if self.allow_path(&key, contents).exists() {
            Verdict::Allowed
        } else {
            Verdict::Untrusted
        }
    }

    /// Trusts `file` as it is now; lifts a deny. The allow is written before the deny
    /// goes, so a crash in between leaves the file denied (as before), never untrusted
    /// and never both lost.
    pub fn allow(&self, file: &Path, contents: &str) -> Result<(), TrustError> {
        let key = key(file);
        write_record(&self.allow_path(&key, contents), &key)?;
        let removed = remove_record(&self.deny_path(&key));
        self.changed()?;
        removed
    }

    /// Blocks `file` whatever its contents; drops its current allow. The deny is written
    /// first: it wins over an allow, so a crash before the allow goes leaves it denied.
    pub fn deny(&self, file: &Path, contents: &str) -> Result<(), TrustError> {
        let key = key(file);
        write_record(&self.deny_path(&key), &key)?;
        let removed = remove_record(&self.allow_path(&key, contents));
        self.changed()?;
        removed
    }
}

/// What a record is keyed on: the absolute path where the file was found,
/// with `.` and `..` resolved as the shell's `cd` does, and NO symlink
/// followed, neither the file's nor a directory's. Following them would let
/// a symlink borrow the trust of the file it points to. For a file reached
/// without symlinks this is its canonical path, so older records still apply.
fn key(file: &Path) -> PathBuf {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Lower-case hex, as digests are named on disk. By table, not `format!`
/// per byte: the hook's every run takes a few dozen digests.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Removes a record if there is one.
fn remove_record(path: &Path) -> Result<(), TrustError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(cause) => Err(TrustError::Write { path: path.to_owned(), cause }),
    }
}

/// Writes a record naming the file (for people reading the folder); atomic, so a crash
/// never leaves half a record.
fn write_record(path: &Path, names: &Path) -> Result<(), TrustError> {
    let mut text = names.as_os_str().as_encoded_bytes().to_vec();
    text.push(b'\n');
    atomic_write::write(path, &text, Mode::Private)
        .map_err(|cause| TrustError::Write { path: path.to_owned(), cause })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff, 0x5c]), "000fa0ff5c");
        let all: Vec<u8> = (0..=255).collect();
        let expected: String = all.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&all), expected);
    }

    #[test]
    fn a_symlinked_file_is_named_not_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("netrc");
        fs::write(&secret, "machine x password hunter2hunter2\n").unwrap();
        let link = dir.path().join(FILE_NAME);
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let err = parse(&link, &read(&link).unwrap()).unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.contains("netrc (not shown)"), "{err}");
    }

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join(FILE_NAME);
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from_raw_mode(0o600))
            .unwrap();
        // On a thread, so that an open that waits fails the test instead of hanging it.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(read(&fifo).map_err(|e| e.to_string())));
        let got = rx.recv_timeout(std::time::Duration::from_secs(5)).expect("read waited");
        let err = got.unwrap_err();
        assert!(err.contains("not a regular file") && err.contains(FILE_NAME), "{err}");
    }

    #[test]
    fn parse_accepts_one_strict_name() {
        let p = Path::new("/x/.awsprofile");
        assert_eq!(parse(p, "work\n").unwrap(), "work");
        assert_eq!(parse(p, "# team default\n\n  team.prod-1  \n").unwrap(), "team.prod-1");
        for bad in ["", "a b", "work'; rm -rf ~; '", "one\ntwo", "$(id)", "ü"] {
            let err = parse(p, bad).unwrap_err().to_string();
            assert!(err.contains("/x/.awsprofile") && err.contains("one profile"), "{err}");
        }
    }

    #[test]
    fn the_io_error_is_printed_once() {
        let io = || io::Error::new(io::ErrorKind::PermissionDenied, "disk on fire");
        for err in [
            TrustError::Read { path: "/x".into(), cause: io() },
            TrustError::Write { path: "/x".into(), cause: io() },
        ] {
            let shown = format!("{:#}", anyhow::Error::from(err));
            assert_eq!(shown.matches("disk on fire").count(), 1, "{shown}");
        }
    }

    #[test]
    fn find_walks_up_but_not_above_home() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let deep = home.join("src/shop/api");
        fs::create_dir_all(&deep).unwrap();
        assert!(find(&deep, Some(&home)).is_none());
        fs::write(root.path().join(FILE_NAME), "outside").unwrap();
        assert!(find(&deep, Some(&home)).is_none(), "a file above home is ignored");
        fs::write(home.join("src").join(FILE_NAME), "work").unwrap();
        let (found, stamp) = find(&deep, Some(&home)).unwrap();
        assert_eq!(found, home.join("src").join(FILE_NAME));
        assert_eq!(stamp.len, 4);
        // Outside home the walk goes to the root.
        let (found, _) = find(root.path(), Some(&home)).unwrap();
        assert_eq!(found, root.path().join(FILE_NAME));
    }

    #[test]
    fn a_symlink_is_its_own_path_with_its_own_trust() {
        let root = tempfile::tempdir().unwrap();
        let store = TrustStore::new(root.path().join("data"));
        let (a, evil) = (root.path().join("a"), root.path().join("evil"));
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&evil).unwrap();
        fs::write(a.join(FILE_NAME), "work\n").unwrap();
        std::os::unix::fs::symlink(a.join(FILE_NAME), evil.join(FILE_NAME)).unwrap();
        store.allow(&a.join(FILE_NAME), "work\n").unwrap();
        assert_eq!(store.verdict(&evil.join(FILE_NAME), "work\n"), Verdict::Untrusted);
        // `.` and `..` are resolved as `cd` does: the same file, the same key.
        let roundabout = evil.join("../a/./").join(FILE_NAME);
        assert_eq!(store.verdict(&roundabout, "work\n"), Verdict::Allowed);
        store.deny(&evil.join(FILE_NAME), "work\n").unwrap();
        assert_eq!(store.verdict(&a.join(FILE_NAME), "work\n"), Verdict::Allowed);
        assert!(
            describe(&evil.join(FILE_NAME))
                .ends_with(&format!("(a symlink to {})", a.join(FILE_NAME).display()))
        );
        assert_eq!(describe(&a.join(FILE_NAME)), a.join(FILE_NAME).display().to_string());
    }

    #[test]
    fn a_write_cut_short_between_its_two_steps_keeps_the_file_denied() {
        // The second step (removing the record being replaced) made to fail, as a crash
        // there would cut it: the new record is already written, and both records
        // together read as denied, which is the old verdict of an allow and the new one
        // of a deny. Never untrusted.
        let root = tempfile::tempdir().unwrap();
        let store = TrustStore::new(root.path().join("data"));
        let file = root.path().join(FILE_NAME);
        fs::write(&file, "work\n").unwrap();
        store.deny(&file, "work\n").unwrap();
        let deny = store.deny_path(&key(&file));
        fs::remove_file(&deny).unwrap();
        fs::create_dir_all(deny.join("unremovable")).unwrap();
        assert!(store.allow(&file, "work\n").is_err());
        assert!(store.allow_path(&key(&file), "work\n").exists(), "written first");
        assert_eq!(store.verdict(&file, "work\n"), Verdict::Denied);

        fs::remove_dir_all(&deny).unwrap();
        let allow = store.allow_path(&key(&file), "work\n");
        fs::remove_file(&allow).unwrap();
        fs::create_dir_all(allow.join("unremovable")).unwrap();
        assert!(store.deny(&file, "work\n").is_err());
        assert_eq!(store.verdict(&file, "work\n"), Verdict::Denied);
    }

    /// Every allow and deny replaces the token a shell's hook compares, a
    /// 0600 file beside the records; "" before the first.
    #[test]
    fn every_change_of_the_records_replaces_the_token() {
        let root = tempfile::tempdir().unwrap();
        let store = TrustStore::new(root.path().join("data"));
        let file = root.path().join(FILE_NAME);
        fs::write(&file, "work\n").unwrap();
        assert_eq!(store.generation(), "");
        let mut seen = std::collections::BTreeSet::new();
        for step in 0..4 {
            if step % 2 == 0 {
                store.allow(&file, "work\n").unwrap();
            } else {
                store.deny(&file, "work\n").unwrap();
            }
            let token = store.generation();
            assert!(token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
            assert!(seen.insert(token), "a token came back");
        }
        let mode = fs::metadata(store.generation_path()).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn allow_is_bound_to_contents_and_deny_to_the_path() {
        let root = tempfile::tempdir().unwrap();
        let store = TrustStore::new(root.path().join("data"));
        let file = root.path().join(FILE_NAME);
        fs::write(&file, "work\n").unwrap();
        assert_eq!(store.verdict(&file, "work\n"), Verdict::Untrusted);
        store.allow(&file, "work\n").unwrap();
        assert_eq!(store.verdict(&file, "work\n"), Verdict::Allowed);
        assert_eq!(store.verdict(&file, "prod-admin\n"), Verdict::Untrusted, "an edit revokes");
        store.deny(&file, "work\n").unwrap();
        assert_eq!(store.verdict(&file, "work\n"), Verdict::Denied);
        assert_eq!(store.verdict(&file, "other\n"), Verdict::Denied);
        store.allow(&file, "other\n").unwrap();
        assert_eq!(store.verdict(&file, "other\n"), Verdict::Allowed);
        let mode = fs::metadata(root.path().join("data/allow")).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    /// A file of exactly MAX_LEN bytes is read; one byte more is refused
    /// (mutation testing: only a far larger file was tried).
    #[test]
    fn a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        let padding = "#".repeat(MAX_LEN as usize - "work\n".len());
        fs::write(&file, format!("work\n{padding}")).unwrap();
        assert_eq!(parse(&file, &read(&file).unwrap()).unwrap(), "work");
        fs::write(&file, format!("work\n{padding}#")).unwrap();
        let err = read(&file).unwrap_err().to_string();
        assert!(err.contains("larger than 4096 bytes"), "{err}");
    }

    /// The stamp a hook compares to tell an edit: the file's inode, size and
    /// mtime in nanoseconds since the epoch (mutation testing: the arithmetic
    /// was unchecked; the notice a refused file gets once is keyed on it).
    #[test]
    fn the_stamp_holds_the_files_mtime_in_nanoseconds() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        fs::write(&file, "work\n").unwrap();
        let mtime = std::time::UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 123_456_789);
        fs::File::options().write(true).open(&file).unwrap().set_modified(mtime).unwrap();
        let (_, stamp) = find(dir.path(), None).unwrap();
        assert_eq!(stamp.mtime_ns, 1_700_000_000_123_456_789);
        assert_eq!(stamp.ino, fs::metadata(&file).unwrap().ino());
        assert_eq!(stamp.len, 5);
        // A folder of that name is not the file: the walk goes on up.
        let sub = dir.path().join("sub");
        fs::create_dir_all(sub.join(FILE_NAME)).unwrap();
        assert_eq!(find(&sub, None).unwrap().0, file);
    }
}
