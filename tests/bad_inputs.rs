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

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::moto::Moto;
use common::{PASSPHRASE, TempHome, peers, python, stderr};

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
        let out = self
            .t
            .vault()
            .args(["add", "--env", "--add-config=false", profile])
            .env("AWS_ACCESS_KEY_ID", id)
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .env("VAULT_FILE_ITERATIONS", "8192")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
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

fn rows() -> Vec<Row> {
    let no_store = |c: &mut Ctx<'_>| {
        c.t.write_config(BASE);
        vec![]
    };
    vec![
        // --- the config file ---
        row("malformed section header", &["export", "home"], "unclosed section header", 1, |c| {
            c.t.write_config("[profile home\nregion = eu-west-1\n");
            vec![]
        }),
        row(
            "a line that is no setting",
            &["export", "home"],
            "is not a `[section]` header",
            1,
            |c| {
                c.t.write_config("[profile home]\nthis is not a setting\n");
                vec![]
            },
        ),
        row("include_profile loop", &["export", "a"], "include_profile cycle", 1, |c| {
            c.keys();
            c.t.write_config(
                "[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = a\n",
            );
            vec![]
        }),
        row("source_profile cycle", &["export", "a"], "source_profile cycle", 1, |c| {
            c.keys();
            c.t.write_config(
                "[profile a]\nsource_profile = b\nrole_arn = arn:aws:iam::1:role/a\n\
                 [profile b]\nsource_profile = a\nrole_arn = arn:aws:iam::1:role/b\n",
            );
            vec![]
        }),
        row("unknown profile", &["export", "nosuch"], "profile \"nosuch\" not found", 1, |c| {
            c.keys();
            c.t.write_config(BASE);
            vec![]
        }),
        row(
            "source_profile names an unknown profile",
            &["export", "r"],
            "source_profile \"gone\"",
            1,
            |c| {
                c.keys();
                c.t.write_config(
                    "[profile r]\nsource_profile = gone\nrole_arn = arn:aws:iam::1:role/r\n",
                );
                vec![]
            },
        ),
        row("empty config file", &["export", "work"], "profile \"work\" not found", 1, |c| {
            c.t.write_config("");
            vec![]
        }),
        row("huge config file", &["export", "work"], "profile \"work\" not found", 1, |c| {
            let line = format!("# {}\n", "x".repeat(1000));
            c.t.write_config(&line.repeat(40_000));
            vec![]
        }),
        row("binary garbage in the config", &["export", "home"], "not valid UTF-8", 1, |c| {
            let garbage: Vec<u8> =
                (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
            c.write(".aws/config", garbage);
            vec![]
        }),
        row("the config is a folder", &["export", "home"], "Is a directory", 1, |c| {
            fs::create_dir_all(c.t.config_path()).unwrap();
            vec![]
        }),
        row(
            "the config is a symlink loop",
            &["export", "home"],
            "Too many levels of symbolic links",
            1,
            |c| {
                fs::create_dir_all(c.home().join(".aws")).unwrap();
                symlink("config", c.t.config_path()).unwrap();
                vec![]
            },
        ),
        // --- durations, regions, settings ---
        row(
            "duration_seconds that is no number",
            &["export", "d"],
            "duration_seconds = \"soon\" is invalid",
            1,
            |c| {
                c.keys();
                c.t.write_config("[profile d]\nsource_profile = home\nrole_arn = arn:aws:iam::1:role/d\nduration_seconds = soon\n[profile home]\n");
                vec![]
            },
        ),
        row(
            "--duration with a bad unit",
            &["export", "--duration", "5x", "home"],
            "invalid duration \"5x\"",
            2,
            |c| {
                c.keys();
                c.t.write_config(BASE);
                vec![]
            },
        ),
        row(
            "VAULT_PROCESS_TIMEOUT that is no duration",
            &["export", "home"],
            "VAULT_PROCESS_TIMEOUT=\"soon\" is invalid",
            1,
            |c| {
                c.keys();
                c.t.write_config(BASE);
                env(&[("VAULT_PROCESS_TIMEOUT", "soon")])
            },
        ),
        row(
            "unlock --timeout that is no duration",
            &["unlock", "--timeout", "forever"],
            "--timeout: invalid duration \"forever\"",
            1,
            |c| {
                c.keys();
                vec![]
            },
        ),
        row(
            "a region with spaces",
            &["export", "--region", "eu west 1", "home"],
            "--region=\"eu west 1\" is invalid",
            1,
            |c| {
                c.keys();
                c.t.write_config(BASE);
                vec![]
            },
        ),
        row(
            "a region in the config with a slash",
            &["export", "home"],
            "region = \"../../evil\" is invalid",
            1,
            |c| {
                c.keys();
                c.t.write_config("[profile home]\nregion = ../../evil\n");
                vec![]
            },
        ),
        row(
            "VAULT_FILE_ITERATIONS out of range",
            &["add", "--env", "new"],
            "VAULT_FILE_ITERATIONS=\"5\"",
            1,
            |c| {
                c.keys();
                env(&[
                    ("VAULT_FILE_ITERATIONS", "5"),
                    ("AWS_ACCESS_KEY_ID", KEY_ID),
                    ("AWS_SECRET_ACCESS_KEY", SECRET),
                ])
            },
        ),
        row("an unknown backend", &["list"], "invalid value 'nosuch' for '--backend", 2, |c| {
            c.keys();
            env(&[("AWS_VAULT_BACKEND", "nosuch")])
        }),
        row(
            "an unknown prompt driver",
            &["export", "mfa"],
            "invalid value 'nosuch' for '--prompt",
            2,
            |c| {
                c.keys();
                c.t.write_config(BASE);
                env(&[("AWS_VAULT_PROMPT", "nosuch")])
            },
        ),
        // --- the file store ---
        row("wrong passphrase", &["export", "home"], "wrong passphrase", 1, |c| {
            c.keys();
            c.t.write_config(BASE);
            env(&[("AWS_VAULT_FILE_PASSPHRASE", "not the passphrase")])
        }),
        row("a corrupt store item", &["export", "home"], "the file is damaged", 1, |c| {
            c.t.write_config(BASE);
            c.keys();
            fs::write(c.item("home"), "this is not a JWE token").unwrap();
            vec![]
        }),
        row("a truncated store item", &["export", "home"], "4 parts instead of 5", 1, |c| {
            c.t.write_config(BASE);
            c.keys();
            let whole = fs::read(c.item("home")).unwrap();
            fs::write(c.item("home"), &whole[..whole.len() / 2]).unwrap();
            vec![]
        }),
        row("an empty store item", &["export", "home"], "not a valid encrypted item", 1, |c| {
            c.t.write_config(BASE);
            c.keys();
            fs::write(c.item("home"), "").unwrap();
            vec![]
        }),
        row(
            "a foreign file in the store (another tool's JSON)",
            &["export", "home"],
            "not a valid encrypted item",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                fs::write(c.item("home"), r#"{"AccessKeyID":"AKIA","SecretAccessKey":"x"}"#)
                    .unwrap();
                vec![]
            },
        ),
        row(
            "a store item encrypted with another passphrase",
            &["export", "home"],
            "wrong passphrase",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                let other = TempHome::new();
                let out = other
                    .vault()
                    .args(["add", "--env", "--add-config=false", "home"])
                    .env("AWS_ACCESS_KEY_ID", KEY_ID)
                    .env("AWS_SECRET_ACCESS_KEY", SECRET)
                    .env("AWS_VAULT_FILE_PASSPHRASE", "another passphrase entirely")
                    .env("VAULT_FILE_ITERATIONS", "8192")
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{}", stderr(&out));
                fs::copy(other.keys_dir().join("home"), c.item("home")).unwrap();
                vec![]
            },
        ),
        row(
            "a store folder open to others (0777)",
            &["export", "home"],
            "writable by other users (mode 777)",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                c.chmod(".awsvault/keys", 0o777);
                vec![]
            },
        ),
        row("the store folder is a file", &["list"], "Not a directory", 1, |c| {
            c.write(".awsvault/keys", "not a folder");
            vec![]
        }),
        row(
            "a dangling store item symlink",
            &["export", "home"],
            "no credentials are stored for profile \"home\"; run `vault add home`",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                fs::remove_file(c.item("home")).unwrap();
                symlink(c.home().join("gone"), c.item("home")).unwrap();
                vec![]
            },
        ),
        row("no stored credentials", &["export", "home"], "vault add home", 1, no_store),
        // --- the disk ---
        row(
            "a full disk under the store",
            &["add", "--env", "--add-config=false", "second"],
            "No space left on device",
            1,
            |c| {
                c.t.write_config(BASE);
                c.tmpfs(".awsvault", "64k");
                c.keys();
                c.fill(".awsvault/filler");
                env(&[("AWS_ACCESS_KEY_ID", KEY_ID), ("AWS_SECRET_ACCESS_KEY", SECRET)])
            },
        ),
        row(
            "a full disk under the config",
            &["add", "--env", "third"],
            "No space left on device",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                c.tmpfs(".aws", "64k");
                c.fill(".aws/filler");
                env(&[("AWS_ACCESS_KEY_ID", KEY_ID), ("AWS_SECRET_ACCESS_KEY", SECRET)])
            },
        ),
        row(
            "a read-only home",
            &["add", "--env", "--add-config=false", "second"],
            "Read-only file system",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                c.read_only_home();
                env(&[("AWS_ACCESS_KEY_ID", KEY_ID), ("AWS_SECRET_ACCESS_KEY", SECRET)])
            },
        ),
        row("a read-only home, allow", &["allow", "proj"], "Read-only file system", 1, |c| {
            c.write("proj/.awsprofile", "home\n");
            c.read_only_home();
            vec![]
        }),
        // --- STS, IAM, SSO ---
        row(
            "STS: a key id STS does not know",
            &["export", "home"],
            "InvalidClientTokenId",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                env(&[("AWS_ENDPOINT_URL", &c.p.strict.url())])
            },
        ),
        row("STS: the wrong secret", &["export", "home"], "SignatureDoesNotMatch", 1, |c| {
            c.t.write_config(BASE);
            c.add("home", &c.p.strict_user.0, "wrongSecretKey/0000+abcdefghijklmnopqrst");
            env(&[("AWS_ENDPOINT_URL", &c.p.strict.url())])
        }),
        row(
            "STS: AssumeRole denied",
            &["export", "--no-session", "role"],
            "not authorized to perform: sts:AssumeRole",
            1,
            |c| {
                c.t.write_config(BASE);
                c.add("home", &c.p.strict_user.0, &c.p.strict_user.1);
                env(&[("AWS_ENDPOINT_URL", &c.p.strict.url())])
            },
        ),
        row(
            "IAM: rotate denied",
            &["rotate", "-n", "home"],
            "not authorized to perform: iam:CreateAccessKey; nothing was changed",
            1,
            |c| {
                c.t.write_config(BASE);
                c.add("home", &c.p.strict_user.0, &c.p.strict_user.1);
                env(&[("AWS_ENDPOINT_URL", &c.p.strict.url())])
            },
        )
        .progress_on_stdout(),
        row(
            "network down: STS on a closed port",
            &["export", "home"],
            "could not reach STS at http://127.0.0.1:",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                env(&[("AWS_ENDPOINT_URL", &c.p.closed)])
            },
        ),
        row(
            "network down: IAM on a closed port",
            &["rotate", "-n", "home"],
            "could not reach IAM at http://127.0.0.1:",
            1,
            |c| {
                c.t.write_config(BASE);
                c.keys();
                env(&[("AWS_ENDPOINT_URL", &c.p.closed)])
            },
        ),
        row(
            "SSO: a role the user may not use",
            &["export", "nope"],
            "refused role Admin",
            1,
            |c| {
                sso_signed_in(c);
                vec![]
            },
        ),
        row(
            "SSO: a profile without sso_role_name",
            &["export", "half"],
            "lacks sso_role_name",
            1,
            |c| {
                c.t.write_config(&format!(
                    "{}[profile half]\nsso_session = corp\nsso_account_id = 111122223333\n",
                    sso_config()
                ));
                vec![]
            },
        ),
        row(
            "SSO: network down",
            &["export", "--no-browser", "dev"],
            "could not reach SSO OIDC at http://127.0.0.1:",
            1,
            |c| {
                c.t.write_config(&sso_config());
                env(&[
                    ("AWS_ENDPOINT_URL_SSO", &c.p.closed),
                    ("AWS_ENDPOINT_URL_SSO_OIDC", &c.p.closed),
                ])
            },
        ),
        // --- Ctrl-C at every prompt ---
        pty(
            "Ctrl-C at the access key id prompt",
            &["add", "new"],
            &[("Enter Access Key Id: ", "AKIA\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                env(&[("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)])
            },
        ),
        pty(
            "Ctrl-C at the secret key prompt",
            &["add", "new"],
            &[("Enter Access Key Id: ", "AKIANEW\r"), ("Enter Secret Key: ", "abc\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                env(&[("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)])
            },
        ),
        pty(
            "Ctrl-C at a new store's passphrase prompt",
            &["add", "new"],
            &[
                ("Enter Access Key Id: ", "AKIANEW\r"),
                ("Enter Secret Key: ", "abcdefgh\r"),
                ("Enter passphrase", "\u{3}"),
            ],
            "cancelled",
            |c| {
                c.t.write_config(BASE);
                vec![]
            },
        ),
        pty(
            "Ctrl-C at the passphrase confirmation",
            &["add", "new"],
            &[
                ("Enter Access Key Id: ", "AKIANEW\r"),
                ("Enter Secret Key: ", "abcdefgh\r"),
                ("Enter passphrase", "a new passphrase\r"),
                ("Enter the same passphrase again: ", "a new\u{3}"),
            ],
            "cancelled",
            |c| {
                c.t.write_config(BASE);
                vec![]
            },
        ),
        pty(
            "Ctrl-C at the passphrase prompt of export",
            &["export", "home"],
            &[("Enter passphrase", "\u{3}")],
            "cancelled",
            |c| {
                c.t.write_config(BASE);
                c.keys();
                vec![]
            },
        ),
        pty(
            "Ctrl-C at the MFA prompt",
            &["export", "mfa"],
            &[("Enter MFA code", "12\u{3}")],
            "cancelled",
            |c| {
                c.t.write_config(BASE);
                c.keys();
                env(&[
                    ("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE),
                    ("AWS_ENDPOINT_URL", &c.p.moto.url()),
                ])
            },
        ),
        pty(
            "Ctrl-C at the overwrite question",
            &["add", "home"],
            &[("overwrite? (y|N) ", "\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                env(&[("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)])
            },
        ),
        pty(
            "Ctrl-C at the delete question",
            &["remove", "home"],
            &[("(Y|n)", "\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                env(&[("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE)])
            },
        ),
        pty(
            "Ctrl-C at unlock's passphrase prompt",
            &["unlock"],
            &[("Enter passphrase", "\u{3}")],
            "cancelled",
            |c| {
                c.keys();
                let run = c.home().join("run");
                fs::create_dir(&run).unwrap();
                fs::set_permissions(&run, fs::Permissions::from_mode(0o700)).unwrap();
                env(&[("XDG_RUNTIME_DIR", &run.display().to_string())])
            },
        ),
        // --- hostile .awsprofile files ---
        row(".awsprofile running a command", &["allow", "proj"], "must name one profile", 1, |c| {
            c.write("proj/.awsprofile", "$(touch /tmp/vault-pwned)\n");
            vec![]
        }),
        row(
            ".awsprofile with an escape sequence",
            &["allow", "proj"],
            "must name one profile",
            1,
            |c| {
                c.write("proj/.awsprofile", "home\u{1b}]0;pwned\u{7}\n");
                vec![]
            },
        ),
        row(".awsprofile with two names", &["allow", "proj"], "must name one profile", 1, |c| {
            c.write("proj/.awsprofile", "home\nwork\n");
            vec![]
        }),
        row(".awsprofile that is huge", &["allow", "proj"], "larger than 4096 bytes", 1, |c| {
            c.write("proj/.awsprofile", "a".repeat(1 << 20));
            vec![]
        }),
        row(".awsprofile of binary garbage", &["allow", "proj"], "not UTF-8 text", 1, |c| {
            c.write("proj/.awsprofile", [0xff, 0xfe, 0, 1, 2, b'\n']);
            vec![]
        }),
        row(
            ".awsprofile that is a FIFO",
            &["allow", "proj/.awsprofile"],
            "is not a regular file",
            1,
            |c| {
                fs::create_dir_all(c.home().join("proj")).unwrap();
                let st =
                    Command::new("mkfifo").arg(c.home().join("proj/.awsprofile")).status().unwrap();
                assert!(st.success());
                vec![]
            },
        ),
        row(
            ".awsprofile symlinked to a secret file",
            &["allow", "proj"],
            "home (not shown)",
            1,
            |c| {
                c.keys();
                fs::create_dir_all(c.home().join("proj")).unwrap();
                symlink(c.item("home"), c.home().join("proj/.awsprofile")).unwrap();
                vec![]
            },
        ),
    ]
}

fn sso_config() -> String {
    "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\
     [profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
     [profile nope]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
        .to_owned()
}

/// Signs in once through the SSO fake (the device-code flow, approved by a
/// browser script), so the row's own command needs no sign-in.
fn sso_signed_in(c: &mut Ctx<'_>) {
    c.t.write_config(&sso_config());
    let out =
        c.t.vault()
            .args(["export", "--format", "json", "--use-device-code", "dev"])
            .env("AWS_ENDPOINT_URL_SSO", &c.p.sso.url)
            .env("AWS_ENDPOINT_URL_SSO_OIDC", &c.p.sso.url)
            .env("BROWSER", c.p.sso.browser())
            .env("VAULT_FILE_ITERATIONS", "8192")
            .output()
            .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
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
    let p = Peers { moto: Moto::start(), strict, strict_user, sso: SsoPeer::start(), closed };
    let rows = rows();
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
    assert!(rows.len() >= 40, "{}", rows.len());
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

/// The SSO fake (tests/support/sso_peer.py), as tests/sso.rs runs it.
struct SsoPeer {
    child: Child,
    url: String,
    dir: tempfile::TempDir,
}

impl Drop for SsoPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SsoPeer {
    fn start() -> Self {
        let dir = tempfile::Builder::new().prefix("vault-sso-").tempdir().unwrap();
        let ready = dir.path().join("port");
        let out = File::create(dir.path().join("server.log")).unwrap();
        let child = Command::new(python())
            .arg(common::support_dir().join("sso_peer.py"))
            .arg("--log")
            .arg(dir.path().join("requests.jsonl"))
            .arg("--ready")
            .arg(&ready)
            .arg("--parent-pid")
            .arg(std::process::id().to_string())
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("python runs sso_peer.py");
        let started = Instant::now();
        let port = loop {
            if let Ok(text) = fs::read_to_string(&ready) {
                break text.trim().to_owned();
            }
            assert!(started.elapsed() < Duration::from_secs(20), "sso_peer.py did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        Self { child, url: format!("http://127.0.0.1:{port}"), dir }
    }

    /// A `$BROWSER` that approves by fetching the URL it is given.
    fn browser(&self) -> PathBuf {
        let path = self.dir.path().join("browser");
        fs::write(
            &path,
            format!(
                "#!/bin/sh\nexec '{}' -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \"$1\"\n",
                python()
            ),
        )
        .unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}
