//! Crash safety and concurrency, pinned cheaply (issue 17): a few SIGKILLs in the middle
//! of `vault add`, what a killed write leaves behind, many `vault add` at once on one
//! config file, and a refresh lock whose holder was killed. The long runs with figures
//! are bench/reliability/*.sh; these guard the properties in CI.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use common::moto::Moto;
use common::{TempHome, peers, stderr, stdout};

const CONFIG: &str = "# the user's own comment\n[default]\nregion = us-east-1\n\n[profile home]\n";

fn home() -> TempHome {
    TempHome::with_config(CONFIG)
}

/// `vault` on the file store with the test suite's PBKDF2 count.
fn vault(t: &TempHome) -> Command {
    let mut cmd = t.vault();
    cmd.env("VAULT_FILE_ITERATIONS", "8192");
    cmd
}

fn add(t: &TempHome, profile: &str, key: &str) -> Command {
    let mut cmd = vault(t);
    cmd.args(["add", "--env", profile])
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", format!("secret-of-{key}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// The stored keys of `profile`, read back by vault (None if it has none).
fn stored(t: &TempHome, profile: &str) -> Option<String> {
    let out = vault(t).args(["export", "--no-session", "--format", "json", profile]).output();
    let out = out.unwrap();
    if !out.status.success() {
        assert!(stderr(&out).contains("no credentials"), "{profile}: {}", stderr(&out));
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    Some(json["AccessKeyId"].as_str().unwrap().to_owned())
}

/// A small xorshift, seeded from the clock: a different kill point on every run.
struct Random(u64);

impl Random {
    fn new() -> Self {
        let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos();
        Self(nanos as u64 | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// How long strace holds `vault add` at each `write` and `fsync` in the random-kill
/// test: the writes to the item and the config are the only `write`s before it prints
/// its result, so this widens exactly the window between a file's creation (or its
/// truncation, for a write in place) and its rename.
const HELD_MS: u64 = 150;

/// The names in `dir` and, for each, (inode, size, mtime): a write in the folder
/// changes one of them.
fn folder_state(dir: &std::path::Path) -> Vec<(String, u64, u64, i64)> {
    use std::os::unix::fs::MetadataExt;
    let mut state: Vec<_> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| {
                    let m = e.metadata().ok()?;
                    Some((e.file_name().into_string().ok()?, m.ino(), m.size(), m.mtime_nsec()))
                })
                .collect()
        })
        .unwrap_or_default();
    state.sort();
    state
}

fn temp_files(t: &TempHome) -> Vec<std::path::PathBuf> {
    [t.keys_dir(), t.home.join(".aws")]
        .iter()
        .flat_map(|dir| fs::read_dir(dir).into_iter().flatten())
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".vault-tmp-"))
        .map(|e| e.path())
        .collect()
}

/// SIGKILLs aimed inside the writes: `vault add` runs under strace, which holds it
/// [`HELD_MS`] at each `write` and `fsync`; the test waits until the item's folder or
/// the config's changes (a temp file appears, or the file itself changes), then kills
/// at a random moment of the held write. The state left must be the old one or the new
/// one, and most kills must have landed between a temp file's creation and its rename
/// (the temp file is left): a write in place, which never makes one, fails that count,
/// and the half-written file it leaves fails the state checks.
#[test]
fn vault_add_killed_inside_its_writes_leaves_the_config_whole_and_items_readable() {
    if !peers::require_peer("strace") {
        return;
    }
    const KILLS: usize = 12;
    // At least this many kills must land inside a temp file's write: the poll sees the
    // change within a millisecond and the kill comes within the write's first
    // HELD_MS / 2, so a loaded machine leaves slack.
    const MIN_IN_WRITE: usize = 9;
    let t = home();
    assert!(add(&t, "first", "AKIAFIRST").status().unwrap().success());
    let mut random = Random::new();
    let (mut changed, mut in_write) = (0, 0);
    for n in 0..KILLS {
        let before = t.read_config();
        let profile = format!("killed{n}");
        let key = format!("AKIAKILLED{n:04}");
        // Even kills aim at the item's write, odd ones at the config's.
        let folder = if n % 2 == 0 { t.keys_dir() } else { t.home.join(".aws") };
        let quiet = folder_state(&folder);
        let mut child = add_held(&t, &profile, &key).process_group(0).spawn().unwrap();
        let started = Instant::now();
        while folder_state(&folder) == quiet {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "kill {n}: vault add never wrote in {}",
                folder.display()
            );
            assert!(child.try_wait().unwrap().is_none(), "kill {n}: vault add ended unkilled");
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(random.below(HELD_MS / 2)));
        // The group: strace and vault, which a SIGKILL ends even while strace holds it.
        let pgid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
        rustix::process::kill_process_group(pgid, rustix::process::Signal::KILL).unwrap();
        child.wait().unwrap();
        // The kill landed inside a write when that write's temp file is left.
        let temps = temp_files(&t);
        in_write += usize::from(!temps.is_empty());
        for temp in temps {
            fs::remove_file(temp).unwrap();
        }

        let after = t.read_config();
        let section = format!("\n[profile {profile}]\n");
        assert!(
            after == before
                || after.strip_prefix(&before).is_some_and(|s| s.trim() == section.trim()),
            "kill {n}: the config is neither the old one nor the old one plus [profile {profile}]:\n{after}"
        );
        changed += usize::from(after != before);
        let listed = vault(&t).args(["list", "--credentials"]).output().unwrap();
        assert!(listed.status.success(), "kill {n}: {}", stderr(&listed));
        if !stdout(&listed).split_whitespace().any(|p| p == profile) {
            continue;
        }
        if after == before {
            // Killed after storing the keys, before the config edit: the section the
            // user would add, so that the item can be read back.
            t.write_config(&format!("{after}{section}"));
        }
        assert_eq!(
            stored(&t, &profile),
            Some(key),
            "kill {n}: the stored item holds what was added"
        );
    }
    assert_eq!(stored(&t, "first").as_deref(), Some("AKIAFIRST"), "an older item is untouched");
    eprintln!(
        "{in_write} of {KILLS} kills landed between a temp file's creation and its rename; \
         {changed} of {KILLS} killed adds had changed the config"
    );
    assert!(
        in_write >= MIN_IN_WRITE,
        "only {in_write} of {KILLS} kills landed between a temp file's creation and its \
         rename (at least {MIN_IN_WRITE} must): the kills missed the writes, or the writes \
         make no temp file"
    );
}

/// `add` under strace, held [`HELD_MS`] on entering each `write` and `fsync`.
fn add_held(t: &TempHome, profile: &str, key: &str) -> Command {
    let held = format!("inject=write,fsync:delay_enter={}", HELD_MS * 1000);
    under_strace(t, add(t, profile, key), &["-e", "trace=write,fsync", "-e", &held])
}

/// `unstraced` (a `vault` command) run under strace with `strace_args`.
fn under_strace(t: &TempHome, unstraced: Command, strace_args: &[&str]) -> Command {
    let mut cmd = Command::new("strace");
    cmd.env_clear().current_dir(&t.home);
    for (name, value) in unstraced.get_envs() {
        if let Some(value) = value {
            cmd.env(name, value);
        }
    }
    cmd.args(["-f", "-qq", "-o", "/dev/null"])
        .args(strace_args)
        .arg(common::record::real_vault())
        .args(unstraced.get_args())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// `add` run under strace, which SIGKILLs it on entering the `nth` call of `syscall`.
fn add_killed_at(t: &TempHome, profile: &str, key: &str, syscall: &str, nth: u32) -> Command {
    let calls = if syscall == "rename" { "rename,renameat,renameat2" } else { syscall };
    let trace = format!("trace={calls}");
    let inject = format!("inject={calls}:signal=KILL:when={nth}");
    under_strace(t, add(t, profile, key), &["-e", &trace, "-e", &inject])
}

/// `vault add` writes two files, each as temp file, fsync, rename, fsync of the folder:
/// the item, then the config. Killed on entering each of those six calls, it leaves
/// exactly the state before that call (and at most a temp file, which is ignored), and
/// the same `add` run again completes it.
#[test]
fn vault_add_killed_at_each_step_of_its_writes_leaves_the_state_before_that_step() {
    if !peers::require_peer("strace") {
        return;
    }
    // (syscall, its nth call, the item stored, the config edited, a temp file left)
    let steps = [
        ("fsync", 1, false, false, true),
        ("rename", 1, false, false, true),
        ("fsync", 2, true, false, false),
        ("fsync", 3, true, false, true),
        ("rename", 2, true, false, true),
        ("fsync", 4, true, true, false),
    ];
    for (syscall, nth, item, edited, temp) in steps {
        let step = format!("{syscall} #{nth}");
        let t = home();
        assert!(add(&t, "first", "AKIAFIRST").status().unwrap().success());
        let before = t.read_config();
        let status = add_killed_at(&t, "killed", "AKIAKILLED", syscall, nth).status().unwrap();
        assert_eq!(status.signal().or(status.code().map(|c| c - 128)), Some(9), "{step}");

        let keys = t.key_files();
        assert_eq!(keys.contains(&"killed".to_owned()), item, "{step}: {keys:?}");
        let after = t.read_config();
        let section = "\n[profile killed]\n";
        let expected = if edited { format!("{before}{section}") } else { before.clone() };
        assert_eq!(after.trim_end(), expected.trim_end(), "{step}");
        let temps: Vec<_> = [t.keys_dir(), t.home.join(".aws")]
            .iter()
            .flat_map(|dir| fs::read_dir(dir).unwrap())
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.starts_with(".vault-tmp-"))
            .collect();
        assert_eq!(temps.len(), usize::from(temp), "{step}: {temps:?}");

        let listed = vault(&t).args(["list", "--credentials"]).output().unwrap();
        let expected = if item { vec!["first", "killed"] } else { vec!["first"] };
        assert_eq!(stdout(&listed).split_whitespace().collect::<Vec<_>>(), expected, "{step}");
        assert_eq!(stored(&t, "first").as_deref(), Some("AKIAFIRST"), "{step}");

        assert!(add(&t, "killed", "AKIAKILLED").status().unwrap().success(), "{step}");
        assert_eq!(t.read_config().matches("[profile killed]").count(), 1, "{step}");
        assert_eq!(stored(&t, "killed").as_deref(), Some("AKIAKILLED"), "{step}");
    }
}

#[test]
fn temp_files_a_killed_write_leaves_are_ignored() {
    let t = home();
    assert!(add(&t, "home", "AKIAHOME").status().unwrap().success());
    // What a kill between the temp file's creation and its rename leaves: a dotfile
    // with a random suffix, empty or half written, beside the item and the config.
    fs::write(t.keys_dir().join(".vault-tmp-a1B2c3"), "eyJhbGciOiJQQkVTMi1IUzI1NitBMTI4S1ci")
        .unwrap();
    fs::write(t.keys_dir().join(".vault-tmp-empty"), "").unwrap();
    fs::write(t.home.join(".aws/.vault-tmp-x9"), "[profile half").unwrap();

    let out = vault(&t).args(["list", "--credentials"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).split_whitespace().collect::<Vec<_>>(), ["home"]);
    assert_eq!(stored(&t, "home").as_deref(), Some("AKIAHOME"));
    assert!(add(&t, "other", "AKIAOTHER").status().unwrap().success());
    assert!(t.read_config().contains("[profile other]"));
}

#[test]
fn many_vault_add_at_once_keep_every_config_section_and_item() {
    let t = home();
    const N: usize = 16;
    let children: Vec<_> = (0..N)
        .map(|i| add(&t, &format!("w{i}"), &format!("AKIAW{i:04}")).spawn().unwrap())
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let config = t.read_config();
    assert!(config.starts_with(CONFIG), "the user's text is kept: {config}");
    let lost: Vec<_> = (0..N).filter(|i| !config.contains(&format!("[profile w{i}]\n"))).collect();
    assert!(lost.is_empty(), "sections of w{lost:?} were lost to a concurrent add:\n{config}");
    let out = vault(&t).args(["list", "--credentials"]).output().unwrap();
    assert_eq!(stdout(&out).split_whitespace().count(), N, "{}", stdout(&out));
}

#[test]
fn a_refresh_lock_left_by_a_killed_vault_does_not_block_the_next() {
    let moto = Moto::start();
    let t = home();
    assert!(add(&t, "home", "AKIAHOMELOCK").status().unwrap().success());
    // A refresh that holds the lock while its MFA helper runs for a minute.
    let marker = t.home.join("mfa-started");
    let helper = t.home.join("slow-mfa.sh");
    // It says its pid: it runs in a process group of its own, not vault's.
    let script = format!(
        "#!/bin/sh\necho $$ >'{}.tmp'\nmv '{0}.tmp' '{0}'\nsleep 60\necho 123456\n",
        marker.display()
    );
    fs::write(&helper, script).unwrap();
    fs::set_permissions(&helper, fs::Permissions::from_mode(0o755)).unwrap();
    let mut config = t.read_config();
    config.push_str(&format!(
        "\n[profile slow]\nsource_profile = home\nmfa_serial = arn:aws:iam::123456789012:mfa/slow\nmfa_process = {}\n",
        helper.display()
    ));
    t.write_config(&config);

    let mut holder = vault(&t);
    holder
        .args(["export", "slow"])
        .env("AWS_ENDPOINT_URL", moto.url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    let mut holder = holder.spawn().unwrap();
    let started = Instant::now();
    while !marker.exists() {
        assert!(started.elapsed() < Duration::from_secs(30), "the MFA helper never ran");
        std::thread::sleep(Duration::from_millis(10));
    }
    holder.kill().unwrap(); // SIGKILL, to vault alone: its MFA helper lives on
    holder.wait().unwrap();

    // `home` needs a refresh too (nothing is cached): it takes the same lock.
    let out = vault(&t)
        .args(["export", "--format", "json", "home"])
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("VAULT_LOCK_TIMEOUT", "5s")
        .output()
        .unwrap();
    let pid = fs::read_to_string(&marker).unwrap().trim().to_owned();
    let helper_alive = Command::new("kill").args(["-0", &pid]).status().unwrap().success();
    // Its group: the fifth field of /proc/PID/stat, after "(comm)".
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let group = stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().nth(2));
    if let Some(group) = group {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{group}")]).status();
    }
    assert!(out.status.success(), "the lock of a killed vault blocked: {}", stderr(&out));
    assert!(helper_alive, "the killed vault's MFA helper was still running, without the lock");
    assert_eq!(moto.count("GetSessionToken"), 1);
}
