//! What another local user can get, tried as a real second uid (a
//! throwaway account, tests/common/other_user.rs): a fake agent socket
//! planted where vault looks for its own gets nothing (no passphrase, no
//! request to answer with credentials of its choosing), and vault says so in
//! one line; the argv of every process a hook starts (read with `strace`, as
//! a `/proc` poller would) holds no hook state and no token, in bash, zsh
//! and fish.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::other_user::OtherUser;
use common::{TempHome, peers, stderr, stdout, vault_bin};

const KEY_ID: &str = "AKIAOTHERUSERTEST001";
const SECRET: &str = "otherUserTestSecret/0001+abcdefghijk";

/// The other user's fake agent: listens on `socket`, writes every request
/// it receives to `log`, and answers each with what a real agent would give
/// for an unlocked store (its own "passphrase", an item of its choosing).
const FAKE_AGENT: &str = r#"
import os, socket, sys
path, log = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.bind(path)
os.chmod(path, 0o777)
s.listen(16)
open(log + ".ready", "w").close()
while True:
    c, _ = s.accept()
    c.settimeout(5)
    try:
        data = c.recv(65536)
    except OSError:
        data = b""
    if data:
        with open(log, "ab") as f:
            f.write(data)
    try:
        c.sendall(b'{"secret":"attacker-chosen","until":4102444800,"dirs":[]}\n')
    except OSError:
        pass
    c.close()
"#;

/// A fake agent run by `user` on `socket` (in a folder of theirs), killed
/// when dropped.
struct FakeAgent {
    child: Child,
    log: PathBuf,
}

impl FakeAgent {
    fn start(user: &OtherUser, socket: &Path, log: &Path) -> Self {
        let child = user
            .command("python3")
            .args(["-c", FAKE_AGENT])
            .arg(socket)
            .arg(log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let ready = PathBuf::from(format!("{}.ready", log.display()));
        let started = Instant::now();
        while !ready.exists() {
            assert!(started.elapsed() < Duration::from_secs(10), "the fake agent never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, log: log.to_owned() }
    }

    /// Everything vault sent it.
    fn received(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for FakeAgent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A folder anyone may write, as `/tmp` is: a shared `XDG_RUNTIME_DIR`.
fn shared_folder() -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("vault-shared-").tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
    dir
}

fn home() -> TempHome {
    let t = TempHome::with_config("[profile work]\nregion = eu-west-1\n");
    t.add_keys("work", KEY_ID, SECRET);
    t
}

/// `vault ARGS` with `runtime` as XDG_RUNTIME_DIR, no passphrase variable
/// and no terminal (`setsid`), as an editor's `credential_process` runs.
fn detached(t: &TempHome, runtime: &Path, args: &[&str]) -> Output {
    Command::new("setsid")
        .arg("--wait")
        .arg(vault_bin())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &t.home)
        .env("XDG_RUNTIME_DIR", runtime)
        .env(common::record::TEST_VAR, common::record::test_name())
        .stdin(Stdio::null())
        .current_dir(&t.home)
        .output()
        .unwrap()
}

/// The `vault:` lines of a run's stderr (or a pty transcript).
fn vault_lines(text: &str) -> Vec<&str> {
    text.lines().map(|l| l.trim_start_matches('\r')).filter(|l| l.contains("vault: ")).collect()
}

#[test]
fn a_socket_planted_in_a_shared_runtime_folder_gets_nothing() {
    let Some(user) = OtherUser::create() else { return };
    let (t, shared) = (home(), shared_folder());
    // The other user gets there first: `$XDG_RUNTIME_DIR/vault` is theirs.
    let theirs = shared.path().join("vault");
    let out = user.command("mkdir").args(["-m", "0777"]).arg(&theirs).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let log = shared.path().join("received");
    let out = user.command("touch").arg(&log).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let fake = FakeAgent::start(&user, &theirs.join("agent.sock"), &log);

    // `vault unlock` types the passphrase, then refuses the folder, in one line.
    let runtime = shared.path().to_str().unwrap();
    let run = t.vault_on_pty_env(
        &[("passphrase", &format!("{}\r", common::PASSPHRASE))],
        &["unlock"],
        &[("XDG_RUNTIME_DIR", runtime)],
    );
    assert_ne!(run.code, 0, "unlock went through: {}", run.transcript);
    let lines = vault_lines(&run.transcript);
    assert_eq!(lines.len(), 1, "{}", run.transcript);
    assert!(
        lines[0].contains(&format!("belongs to uid {}", user.uid))
            && lines[0].contains("XDG_RUNTIME_DIR"),
        "{}",
        run.transcript
    );

    // A command that would read through the agent asks instead (here, with
    // no terminal, it says it cannot), and warns once.
    let out = detached(&t, shared.path(), &["export", "--no-session", "work"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("no terminal to ask for the file store passphrase"), "{err}");
    let warnings: Vec<&str> =
        vault_lines(&err).into_iter().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].contains("not used"), "{err}");
    assert!(!stdout(&out).contains("attacker-chosen"), "{}", stdout(&out));

    // `vault lock` finds no agent of ours, and says why.
    let out = detached(&t, shared.path(), &["lock"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("no agent"), "{}", stdout(&out));
    assert_eq!(vault_lines(&stderr(&out)).len(), 1, "{}", stderr(&out));

    let received = fake.received();
    assert!(received.is_empty(), "the other user's socket received: {received}");
}

#[test]
fn a_socket_of_another_uid_in_our_own_folder_gets_nothing() {
    let Some(user) = OtherUser::create() else { return };
    let (t, shared) = (home(), shared_folder());
    // Their socket, in a folder of theirs anyone may enter...
    let theirs = shared.path().join("theirs");
    let out = user.command("mkdir").args(["-m", "0755"]).arg(&theirs).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let log = theirs.join("received");
    let fake = FakeAgent::start(&user, &theirs.join("agent.sock"), &log);
    // ...reached from our private folder (a link, as a bind mount or a
    // privileged process could leave): the folder checks out, the peer does not.
    let ours = tempfile::Builder::new().prefix("vault-run-").tempdir().unwrap();
    let dir = ours.path().join("vault");
    fs::create_dir(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::symlink(theirs.join("agent.sock"), dir.join("agent.sock")).unwrap();

    let out = detached(&t, ours.path(), &["export", "--no-session", "work"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let err = stderr(&out);
    let warnings: Vec<&str> =
        vault_lines(&err).into_iter().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].contains(&format!("served by uid {}", user.uid)), "{err}");
    assert!(!stdout(&out).contains("attacker-chosen"));
    let received = fake.received();
    assert!(received.is_empty(), "the other user's socket received: {received}");
}

/// What a `/proc` poller of another uid would see: the argv of every
/// process `shell`'s hook starts while it enters a trusted directory in
/// both modes, leaves, and runs `vault status`, traced with strace.
fn hook_argv_holds_no_state(shell: &str) {
    if !peers::require_peer(shell) || !peers::require_peer("strace") {
        return;
    }
    let moto = common::moto::Moto::start();
    let t = TempHome::with_config("[profile work]\nregion = eu-west-1\n");
    t.add_keys("work", KEY_ID, SECRET);
    let proj = t.home.join("src/shop");
    fs::create_dir_all(&proj).unwrap();
    fs::write(proj.join(".awsprofile"), "work\n").unwrap();
    let out = t.vault().args(["allow", proj.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let runtime = tempfile::Builder::new().prefix("vault-run-").tempdir().unwrap();
    let trace = t.home.join("trace");
    let (prompt, hook, set_keys, mode) = match shell {
        "fish" => (
            "function prompt; emit fish_prompt; end",
            "$VAULT hook fish | source",
            "set -gx AWS_ACCESS_KEY_ID AKIAUSERSOWNKEY; set -gx AWS_SECRET_ACCESS_KEY users-own-secret-key",
            "set -gx VAULT_HOOK_MODE server",
        ),
        "zsh" => (
            "prompt() { local f; for f in $precmd_functions; do $f; done; }",
            "eval \"$(\"$VAULT\" hook zsh)\"",
            "export AWS_ACCESS_KEY_ID=AKIAUSERSOWNKEY AWS_SECRET_ACCESS_KEY=users-own-secret-key",
            "export VAULT_HOOK_MODE=server",
        ),
        _ => (
            "prompt() { eval \"$PROMPT_COMMAND\"; }",
            "eval \"$(\"$VAULT\" hook bash)\"",
            "export AWS_ACCESS_KEY_ID=AKIAUSERSOWNKEY AWS_SECRET_ACCESS_KEY=users-own-secret-key",
            "export VAULT_HOOK_MODE=server",
        ),
    };
    let script = format!(
        "{prompt}\n{set_keys}\n{hook}\ncd $PROJ; prompt\nvault status > /dev/null\ncd $HOME; prompt\n\
         {mode}\ncd $PROJ; prompt\nvault status > /dev/null\nenv > $HOME/env-in\ncd $HOME; prompt\n"
    );
    // From a file: the user's own keys it sets would be in `-c`'s argv.
    let file = t.home.join("script");
    fs::write(&file, script).unwrap();
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-e", "trace=execve", "-s", "100000", "-o"]).arg(&trace).arg(shell);
    match shell {
        "bash" => cmd.args(["--noprofile", "--norc"]),
        "zsh" => cmd.arg("--no-rcs"),
        _ => cmd.args(["--no-config", "--private"]),
    };
    cmd.arg(&file);
    let out = cmd
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &t.home)
        .env("XDG_RUNTIME_DIR", runtime.path())
        .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("VAULT", vault_bin())
        .env("PROJ", &proj)
        .env(common::record::TEST_VAR, common::record::test_name())
        .current_dir(&t.home)
        .output()
        .unwrap();
    let _ = t.vault().env("XDG_RUNTIME_DIR", runtime.path()).arg("lock").output();
    assert!(out.status.success(), "{shell}: {}", stderr(&out));
    // The keyless shell did hold a token, so its absence below means something.
    let env = fs::read_to_string(t.home.join("env-in")).unwrap();
    let token = env
        .lines()
        .find_map(|l| l.strip_prefix("AWS_CONTAINER_AUTHORIZATION_TOKEN="))
        .unwrap_or_else(|| panic!("{shell}: no token in the keyless shell: {env}"))
        .to_owned();
    let trace = fs::read_to_string(&trace).unwrap();
    let execs: Vec<&str> = trace.lines().filter(|l| l.contains("execve(")).collect();
    assert!(execs.iter().any(|l| l.contains("hook-env")), "{shell}: hook-env never ran:\n{trace}");
    for line in &execs {
        // argv is the second argument; the environment (the third) is the
        // process's own, which another user cannot read.
        let argv = line.split(", [").nth(1).unwrap_or_default();
        let argv = argv.split("], ").next().unwrap_or_default();
        for secret in ["__VAULT_STATE", "users-own-secret-key", &token, SECRET, common::PASSPHRASE]
        {
            assert!(!argv.contains(secret), "{shell}: {secret} in an argv: {line}");
        }
    }
}

#[test]
fn the_bash_hook_puts_no_state_or_token_in_any_argv() {
    hook_argv_holds_no_state("bash");
}

#[test]
fn the_zsh_hook_puts_no_state_or_token_in_any_argv() {
    hook_argv_holds_no_state("zsh");
}

#[test]
fn the_fish_hook_puts_no_state_or_token_in_any_argv() {
    hook_argv_holds_no_state("fish");
}
