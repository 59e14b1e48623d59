//! Bad inputs, one table: each row sets up a home (config, store, trust
//! files), runs one `vault` command, and checks that it failed with exactly
//! one `vault: ...` line naming the thing to fix, the expected exit status,
//! and that no file under the home changed (bytes, modes, symlinks).
//!
//! Real peers: moto for STS/IAM (one open, one checking signatures), the
//! SSO fake (tests/support/sso_peer.py), a closed port for a network that is
//! down, a pty for Ctrl-C at each prompt, tmpfs mounts for a full disk and a
//! read-only home (root is needed to mount: tests/run.sh runs as root in CI).

mod common;
#[path = "bad_inputs/rows.rs"]
mod rows;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::moto::Moto;
use common::sso::SsoPeer;
use common::{PASSPHRASE, TempHome, peers, stderr};

const KEY_ID: &str = "AKIABADINPUTKEY00001";
const SECRET: &str = "badInputSecretKey/0001+abcdefghijklmnopqr";
const BASE: &str = "[profile home]\nregion = eu-west-1\n\
    [profile mfa]\nsource_profile = home\nmfa_serial = arn:aws:iam::123456789012:mfa/bad\n\
    [profile role]\nsource_profile = home\nrole_arn = arn:aws:iam::123456789012:role/bad\n";
/// Longest a row may run: a hang is a failure of its own.
const ROW_TIMEOUT: Duration = Duration::from_secs(60);

/// The peers every row may use.
struct Peers {
    moto: Moto,
    /// Checks SigV4 and IAM policies; holds one user with no policy.
    strict: Moto,
    strict_user: (String, String),
    sso: SsoPeer,
    /// A port nothing listens on: the network is down.
    closed: String,
}

/// A row's home, and what its setup mounted (unmounted when dropped).
struct Ctx<'a> {
    t: TempHome,
    p: &'a Peers,
    mounts: Vec<Mount>,
}

impl Ctx<'_> {
    fn home(&self) -> &Path {
        &self.t.home
    }

    /// Stores `home`'s keys (and so creates the file store).
    fn keys(&self) {
        self.add("home", KEY_ID, SECRET);
    }

    fn add(&self, profile: &str, id: &str, secret: &str) {
        self.t.add_keys(profile, id, secret);
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.home().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    fn item(&self, name: &str) -> PathBuf {
        self.t.keys_dir().join(name)
    }

    fn chmod(&self, rel: &str, mode: u32) {
        fs::set_permissions(self.home().join(rel), fs::Permissions::from_mode(mode)).unwrap();
    }

    /// A tmpfs of `size` at `rel`, with what was there copied in.
    fn tmpfs(&mut self, rel: &str, size: &str) {
        let at = self.home().join(rel);
        fs::create_dir_all(&at).unwrap();
        let saved = tempfile::tempdir().unwrap();
        copy_tree(&at, saved.path());
        self.mounts.push(Mount::new(
            &at,
            &["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"],
        ));
        copy_tree(saved.path(), &at);
    }

    /// Fills the filesystem holding `rel` to the last byte.
    fn fill(&self, rel: &str) {
        let path = self.home().join(rel);
        let mut f = File::create(&path).unwrap();
        let block = vec![0u8; 512];
        while std::io::Write::write_all(&mut f, &block).is_ok() {}
        for _ in 0..512 {
            if std::io::Write::write_all(&mut f, &[0]).is_err() {
                break;
            }
        }
    }

    /// The whole home made read-only (a read-only bind mount of itself).
    fn read_only_home(&mut self) {
        let home = self.home().to_path_buf();
        self.mounts.push(Mount::new(&home, &["--bind", &home.display().to_string()]));
        remount_ro(&home);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    let status = Command::new("cp").arg("-a").arg(format!("{}/.", from.display())).arg(to).status();
    assert!(status.unwrap().success());
}

fn remount_ro(at: &Path) {
    let out = Command::new("mount").args(["-o", "remount,bind,ro"]).arg(at).output().unwrap();
    assert!(out.status.success(), "remount ro {}: {}", at.display(), stderr(&out));
}

struct Mount(PathBuf);

impl Mount {
    fn new(at: &Path, how: &[&str]) -> Mount {
        let out = Command::new("mount").args(how).arg(at).output().unwrap();
        assert!(
            out.status.success(),
            "mount {how:?} {}: {} (these rows need root, as tests/run.sh has in CI)",
            at.display(),
            stderr(&out)
        );
        Mount(at.to_path_buf())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// How a row runs vault.
enum How {
    /// Plain, no terminal.
    Run,
    /// On a pty, answering each (prompt, reply); `\u{3}` is Ctrl-C.
    Pty(Vec<(&'static str, &'static str)>),
}

type Setup = Box<dyn Fn(&mut Ctx<'_>) -> Vec<(String, String)>>;

struct Row {
    name: &'static str,
    setup: Setup,
    /// `{closed}` is replaced by the closed port's URL.
    args: Vec<&'static str>,
    how: How,
    /// The one error line holds this.
    expect: &'static str,
    code: i32,
    /// Progress printed on stdout before the failure is fine (`rotate`).
    stdout_ok: bool,
}

impl Row {
    fn progress_on_stdout(mut self) -> Row {
        self.stdout_ok = true;
        self
    }
}

fn row(
    name: &'static str,
    args: &[&'static str],
    expect: &'static str,
    code: i32,
    setup: impl Fn(&mut Ctx<'_>) -> Vec<(String, String)> + 'static,
) -> Row {
    Row {
        name,
        setup: Box::new(setup),
        args: args.to_vec(),
        how: How::Run,
        expect,
        code,
        stdout_ok: false,
    }
}

fn pty(
    name: &'static str,
    args: &[&'static str],
    steps: &[(&'static str, &'static str)],
    expect: &'static str,
    setup: impl Fn(&mut Ctx<'_>) -> Vec<(String, String)> + 'static,
) -> Row {
    Row {
        name,
        setup: Box::new(setup),
        args: args.to_vec(),
        how: How::Pty(steps.to_vec()),
        expect,
        code: 130,
        stdout_ok: false,
    }
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// Every file, folder and symlink under `root`: type, mode, bytes or target.
/// Lock files (`*.lock`, empty: the refresh and sign-in locks every command
/// that may call AWS takes) hold no data and are left out, as is a folder
/// left empty without them.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut all = snapshot_all(root);
    let dirs: Vec<PathBuf> =
        all.iter().filter(|(_, w)| w.starts_with("dir ")).map(|(p, _)| p.clone()).collect();
    for dir in dirs {
        if !all.keys().any(|p| p != &dir && p.starts_with(&dir)) {
            all.remove(&dir);
        }
    }
    all
}

fn snapshot_all(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut all = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.map(Result::unwrap) {
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let mode = meta.permissions().mode() & 0o7777;
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let is_lock = path.extension().is_some_and(|e| e == "lock") && meta.len() == 0;
            if is_lock && meta.is_file() {
                continue;
            }
            let what = if meta.file_type().is_symlink() {
                format!("symlink -> {}", fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                format!("dir {mode:o}")
            } else if meta.is_file() {
                let bytes = fs::read(&path).unwrap_or_default();
                let digest = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
                });
                format!("file {mode:o} {} bytes {digest:016x}", bytes.len())
            } else {
                format!("special {mode:o}")
            };
            all.insert(rel, what);
        }
    }
    all
}

/// One row: set up, snapshot, run, compare.
fn run_row(p: &Peers, r: &Row) -> Result<String, String> {
    let mut c = Ctx { t: TempHome::new(), p, mounts: Vec::new() };
    let mut vars = env(&[
        ("AWS_ENDPOINT_URL", &p.moto.url()),
        ("VAULT_FILE_ITERATIONS", "8192"),
        ("AWS_ENDPOINT_URL_SSO", &p.sso.url),
        ("AWS_ENDPOINT_URL_SSO_OIDC", &p.sso.url),
    ]);
    vars.extend((r.setup)(&mut c));
    let before = snapshot(c.home());
    let (code, err) = match &r.how {
        How::Run => {
            let mut cmd = c.t.vault();
            for (k, v) in &vars {
                cmd.env(k, v);
            }
            let out = run_with_timeout(cmd.args(&r.args))?;
            if !out.stdout.is_empty() && !r.stdout_ok {
                return Err(format!(
                    "printed on stdout: {:?}",
                    String::from_utf8_lossy(&out.stdout)
                ));
            }
            (out.status.code().unwrap_or(-1), stderr(&out))
        }
        How::Pty(steps) => {
            let vars: Vec<(&str, &str)> =
                vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let run = c.t.vault_on_pty_env(steps, &r.args, &vars);
            // The terminal shows the prompts too: only vault's own lines count.
            let lines: String = run
                .transcript
                .lines()
                .filter(|l| l.contains("vault: "))
                .map(|l| format!("{}\n", &l[l.find("vault: ").unwrap()..]))
                .collect();
            (run.code, lines)
        }
    };
    let after = snapshot(c.home());
    drop(c);
    let lines: Vec<&str> = err.lines().collect();
    let mut problems = Vec::new();
    if code != r.code {
        problems.push(format!("exit status {code}, expected {}", r.code));
    }
    if lines.len() != 1 || !lines[0].starts_with("vault: ") {
        problems.push(format!("expected exactly one `vault: ` line, got {err:?}"));
    } else if !err.contains(r.expect) {
        problems.push(format!("expected {:?} in the error", r.expect));
    }
    if before != after {
        let changed: Vec<String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| format!("{}: {:?} -> {:?}", k.display(), before.get(k), after.get(k)))
            .collect();
        problems.push(format!("files changed: {changed:?}"));
    }
    if problems.is_empty() {
        Ok(err.trim_end().to_owned())
    } else {
        Err(format!("{} [{}]", problems.join("; "), err.trim_end()))
    }
}

fn run_with_timeout(cmd: &mut Command) -> Result<std::process::Output, String> {
    let mut child =
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > ROW_TIMEOUT {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            return Err(format!("still running after {ROW_TIMEOUT:?}: {}", stderr(&out)));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(child.wait_with_output().unwrap())
}

#[test]
fn every_bad_input_is_one_clear_line_and_changes_nothing() {
    // Only the rows that mount (a full disk, a read-only home) need root.
    let can_mount = mount_problem();
    let strict = Moto::start_with_auth(2);
    let user = strict.aws("AKIAADMIN", "admin", &["iam", "create-user", "--user-name", "nobody"]);
    assert!(user.status.success(), "{}", stderr(&user));
    let key =
        strict.aws("AKIAADMIN", "admin", &["iam", "create-access-key", "--user-name", "nobody"]);
    let key: serde_json::Value = serde_json::from_slice(&key.stdout).unwrap();
    let strict_user = (
        key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
        key["AccessKey"]["SecretAccessKey"].as_str().unwrap().to_owned(),
    );
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port())
    };
    let p = Peers { moto: Moto::start(), strict, strict_user, sso: SsoPeer::start(3600), closed };
    let rows = rows::rows();
    let discover = std::env::var_os("BAD_INPUTS_SHOW").is_some();
    let mut failures = Vec::new();
    let mut skipped = 0;
    for r in &rows {
        let mounts = r.name.starts_with("a full disk") || r.name.starts_with("a read-only home");
        if mounts && !peers::require_usable(can_mount.as_deref(), "run the tests as root (CI does)")
        {
            skipped += 1;
            continue;
        }
        match run_row(&p, r) {
            Ok(line) if discover => eprintln!("ok   {}: {line}", r.name),
            Ok(_) => {}
            Err(problem) => {
                if discover {
                    eprintln!("FAIL {}: {problem}", r.name);
                }
                failures.push(format!("{}: {problem}", r.name));
            }
        }
    }
    println!("{} bad-input rows, {} failed, {skipped} skipped", rows.len(), failures.len());
    // The README's figure ("one table of N rows") is this table's size.
    let readme = include_str!("../README.md");
    let stated: usize = readme
        .split_once("one table of ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("README.md states the bad-input rows as \"one table of N rows\"");
    assert_eq!(
        rows.len(),
        stated,
        "README.md says one table of {stated} rows; update it (Reliability, Bad inputs)"
    );
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// Why tmpfs cannot be mounted here, if it cannot.
fn mount_problem() -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(dir.path())
        .output();
    match out {
        Ok(out) if out.status.success() => {
            let _ = Command::new("umount").arg(dir.path()).status();
            None
        }
        Ok(out) => Some(format!("cannot mount a tmpfs: {}", stderr(&out).trim())),
        Err(e) => Some(format!("cannot run mount: {e}")),
    }
}
