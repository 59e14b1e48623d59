//! The pass backend: items in a password-store (https://www.passwordstore.org), laid out as
//! aws-vault's: `pass insert -m -f <prefix>/<key>` with the item's JSON on stdin, so the
//! file is `<dir>/<prefix>/<key>.gpg`; keys are found by walking `*.gpg` under
//! `<dir>/<prefix>`. Encryption and decryption are left to `pass` and gpg.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use super::item::Item;
use super::{Store, StoreError};
use crate::child::{Finished, RunError};

const BACKEND: &str = "pass";

pub struct PassStore {
    cmd: String,
    dir: PathBuf,
    prefix: String,
    /// How long one `pass` run may take (gpg may wait for a passphrase
    /// typed into pinentry; beyond this, nobody is typing).
    timeout: Duration,
}

impl PassStore {
    /// `cmd` is the pass program, `dir` the store (passed to it as `PASSWORD_STORE_DIR`),
    /// `prefix` the folder inside the store that holds the items ("" for the top).
    pub fn new(cmd: impl Into<String>, dir: PathBuf, prefix: impl Into<String>) -> Self {
        let prefix: String = prefix.into();
        let prefix = prefix.trim_matches('/').to_owned();
        Self { cmd: cmd.into(), dir, prefix, timeout: Duration::from_secs(120) }
    }

    /// The same store with another time limit for `pass` runs.
    pub fn with_timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    fn root(&self) -> PathBuf {
        if self.prefix.is_empty() { self.dir.clone() } else { self.dir.join(&self.prefix) }
    }

    /// The entry name pass knows the item by.
    fn entry(&self, key: &str) -> String {
        if self.prefix.is_empty() { key.to_owned() } else { format!("{}/{key}", self.prefix) }
    }

    fn file_for(&self, key: &str) -> PathBuf {
        self.root().join(format!("{key}.gpg"))
    }

    fn exists(&self, key: &str) -> Result<bool, StoreError> {
        let path = self.file_for(key);
        match fs::metadata(&path) {
            Ok(meta) => Ok(meta.is_file()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            // A path component that is a file (e.g. key "a/b" when "a" is an item) holds nothing.
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => Ok(false),
            Err(e) => Err(StoreError::io("read", path, e)),
        }
    }

    /// Runs `pass ARGS` on this store, with `input` on stdin, bounded by the
    /// helpers' time limit (`VAULT_PROCESS_TIMEOUT`).
    fn pass(&self, args: &[&str], input: Option<&[u8]>) -> Result<Finished, StoreError> {
        log::debug!("running {} {}", self.cmd, args.join(" "));
        let mut cmd = crate::child::command(&self.cmd);
        cmd.args(args)
            .env("PASSWORD_STORE_DIR", &self.dir)
            .stdin(Stdio::null())
            .stderr(Stdio::piped());
        crate::child::run_bounded(cmd, input, self.timeout).map_err(|e| match e {
            RunError::Spawn(e) if e.kind() == io::ErrorKind::NotFound => fail(format!(
                "the pass program `{}` was not found; install pass (Debian: apt-get install pass), or name it with --pass-cmd",
                self.cmd
            )),
            RunError::Spawn(e) => fail(format!("could not run `{}`: {e}", self.cmd)),
            RunError::TimedOut(_) => fail(format!(
                "`{} {}` {e} (gpg may be waiting for a passphrase nobody can type; check `pass` on its own, e.g. whether gpg-agent can ask for the key's passphrase)",
                self.cmd,
                args.first().unwrap_or(&""),
            )),
            RunError::Wait(_) => fail(format!("`{}`: {e}", self.cmd)),
        })
    }

    /// One line saying why pass failed and what to do, from what pass and gpg printed.
    fn failure(&self, action: &str, key: &str, stderr: &str) -> StoreError {
        let store = self.dir.display();
        let hint = if stderr.contains("pass init") {
            format!(
                "the password store {store} is not initialized; run `pass init <gpg key id>` with PASSWORD_STORE_DIR={store}"
            )
        } else if stderr.contains("No public key") || stderr.contains("unusable public key") {
            format!(
                "gpg has no usable public key for the id in {store}/.gpg-id; import that key (`gpg --import`), or re-run `pass init <gpg key id>` with a key you have"
            )
        } else if stderr.contains("No secret key") {
            format!(
                "gpg has no secret key to decrypt it; import the private key the store is encrypted to (see {store}/.gpg-id), then run the command again"
            )
        } else if stderr.contains("sneaky path") {
            "pass refuses names with `..` in them; choose another profile name".to_owned()
        } else {
            let last = stderr.lines().map(str::trim).rfind(|l| !l.is_empty());
            format!(
                "{}; check the store with `pass ls` (PASSWORD_STORE_DIR={store})",
                last.unwrap_or("pass failed without saying why")
            )
        };
        fail(format!("could not {action} \"{}\": {hint}", self.entry(key)))
    }
}

impl Store for PassStore {
    fn backend_name(&self) -> &'static str {
        BACKEND
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let root = self.root();
        match fs::metadata(&root) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(StoreError::io(
                    "use",
                    root,
                    io::Error::new(io::ErrorKind::NotADirectory, "not a directory"),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io("read", root, e)),
        }
        let mut keys = Vec::new();
        walk(&root, &root, &mut keys)?;
        keys.sort();
        Ok(keys)
    }

    fn get(&self, key: &str) -> Result<Option<Item>, StoreError> {
        if check_key(key).is_err() || !self.exists(key)? {
            return Ok(None);
        }
        let entry = self.entry(key);
        let done = self.pass(&["show", &entry], None)?;
        if !done.status.success() {
            return Err(self.failure("read", key, &done.stderr));
        }
        let item = Item::from_json(&done.stdout).map_err(|reason| StoreError::BadItem {
            key: key.to_owned(),
            reason: format!("`pass show {entry}` printed {reason}"),
        })?;
        Ok(Some(item))
    }

    fn set(&self, item: Item) -> Result<(), StoreError> {
        check_key(&item.key)?;
        let entry = self.entry(&item.key);
        let done = self.pass(&["insert", "-m", "-f", &entry], Some(&item.to_json()))?;
        // pass 1.7 reports some gpg failures only on stderr, so the file must be there too.
        if !done.status.success() || !self.exists(&item.key)? {
            return Err(self.failure("store", &item.key, &done.stderr));
        }
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<bool, StoreError> {
        if check_key(key).is_err() || !self.exists(key)? {
            return Ok(false);
        }
        let entry = self.entry(key);
        let done = self.pass(&["rm", "-f", &entry], None)?;
        if !done.status.success() {
            return Err(self.failure("remove", key, &done.stderr));
        }
        Ok(true)
    }
}

impl fmt::Debug for PassStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PassStore")
            .field("cmd", &self.cmd)
            .field("dir", &self.dir)
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// Collects `*.gpg` files under `dir` as keys relative to `root`, `/`-separated. Dot
/// folders (`.git`, `.extensions`) hold pass's own files, never items.
fn walk(root: &Path, dir: &Path, keys: &mut Vec<String>) -> Result<(), StoreError> {
    let entries = fs::read_dir(dir).map_err(|e| StoreError::io("list", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io("list", dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            log::warn!("ignoring {}: its name is not UTF-8", path.display());
            continue;
        };
        let is_dir = fs::metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir {
            if !name.starts_with('.') {
                walk(root, &path, keys)?;
            }
            continue;
        }
        if let Some(stem) = name.strip_suffix(".gpg") {
            let rel = path.parent().and_then(|p| p.strip_prefix(root).ok());
            let mut key: String = rel
                .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy() + "/").collect())
                .unwrap_or_default();
            key.push_str(stem);
            keys.push(key);
        }
    }
    Ok(())
}

/// Names pass cannot hold as given: they would escape the store or change on the way.
fn check_key(key: &str) -> Result<(), StoreError> {
    let bad = key.is_empty()
        || key.starts_with('/')
        || key.ends_with('/')
        || key.contains(['\0', '\n', '\r'])
        || key.split('/').any(|part| part == ".." || part == ".");
    if bad {
        return Err(StoreError::Invalid(format!(
            "cannot store {key:?} in pass: the name is empty, has a line break, or a path part that pass would resolve (/, . or ..); choose another profile name"
        )));
    }
    Ok(())
}

fn fail(message: impl Into<String>) -> StoreError {
    StoreError::backend(BACKEND, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_aws_vault() {
        let s = PassStore::new("pass", "/store".into(), "/aws-vault/");
        assert_eq!(s.entry("work"), "aws-vault/work");
        assert_eq!(s.file_for("a/b"), PathBuf::from("/store/aws-vault/a/b.gpg"));
        let top = PassStore::new("pass", "/store".into(), "");
        assert_eq!(top.entry("work"), "work");
        assert_eq!(top.file_for("work"), PathBuf::from("/store/work.gpg"));
    }

    #[test]
    fn keys_walk_gpg_files_below_the_prefix() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("aws-vault");
        fs::create_dir_all(root.join("team/sub")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        for f in ["work.gpg", "team/sub/x.gpg", "notes.txt", ".git/y.gpg"] {
            fs::write(root.join(f), "").unwrap();
        }
        fs::write(tmp.path().join("outside.gpg"), "").unwrap();
        let s = PassStore::new("pass", tmp.path().into(), "aws-vault");
        assert_eq!(s.keys().unwrap(), ["team/sub/x", "work"]);
        let missing = PassStore::new("pass", tmp.path().join("none"), "");
        assert!(missing.keys().unwrap().is_empty());
    }

    #[test]
    fn reading_needs_no_pass_for_absent_items() {
        let tmp = tempfile::tempdir().unwrap();
        let s = PassStore::new("/nonexistent/pass", tmp.path().into(), "");
        assert!(s.get("absent").unwrap().is_none());
        assert!(!s.remove("absent").unwrap());
    }

    #[test]
    fn sneaky_names_are_refused() {
        for bad in ["", "../x", "a/../../b", "/abs", "dir/", "a\nb", "./a"] {
            assert!(matches!(check_key(bad), Err(StoreError::Invalid(_))), "{bad:?}");
        }
        assert!(check_key("sts.GetSessionToken,ZGVmYXVsdA,,1700000000").is_ok());
    }

    #[test]
    fn a_missing_program_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let s = PassStore::new("/nonexistent/pass", tmp.path().into(), "");
        let msg = s.set(Item::new("work", b"{}".to_vec())).unwrap_err().to_string();
        assert!(msg.starts_with("pass backend: ") && msg.contains("--pass-cmd"), "{msg}");
    }

    #[test]
    fn failures_say_what_to_do() {
        let s = PassStore::new("pass", "/store".into(), "aws-vault");
        for (stderr, expect) in [
            ("Error: You must run:\n    pass init your-gpg-id\nbefore...", "not initialized"),
            (
                "gpg: ABC: skipped: No public key\ngpg: [stdin]: encryption failed: No public key\n",
                "public key",
            ),
            ("gpg: decryption failed: No secret key\n", "secret key"),
            ("something odd\n\n", "something odd"),
        ] {
            let msg = s.failure("read", "work", stderr).to_string();
            assert!(msg.starts_with("pass backend: could not read \"aws-vault/work\": "), "{msg}");
            assert!(msg.contains(expect) && !msg.contains('\n'), "{msg}");
        }
    }
}
