//! `vault unlock` / `vault lock` / `vault agent` with a real agent process:
//! while unlocked nothing asks, lock and the timeout make commands ask
//! again, only the same user reaches the socket, and a dead agent means the
//! command asks as it would without one.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::{PASSPHRASE, TempHome, stderr, stdout, vault_bin};

const KEY_ID: &str = "AKIAAGENTTEST0000001";
const SECRET: &str = "agent-test-secret-key-value";

/// A home with keys for `work` and its own runtime folder, so that each
/// test talks to its own agent.
struct Setup {
    t: TempHome,
    runtime: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let t = TempHome::new();
        t.add_keys("work", KEY_ID, SECRET);
        let runtime = tempfile::Builder::new().prefix("vault-run-").tempdir().unwrap();
        Self { t, runtime }
    }

    fn socket(&self) -> PathBuf {
        self.runtime.path().join("vault").join("agent.sock")
    }

    /// `vault ARGS` with no passphrase variable and no terminal (`setsid`
    /// drops the controlling one), as an editor's `credential_process` runs.
    fn detached(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("setsid");
        cmd.arg("--wait")
            .arg(vault_bin())
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.t.home)
            .env("XDG_RUNTIME_DIR", self.runtime.path())
            .stdin(Stdio::null())
            .current_dir(&self.t.home);
        cmd
    }

    fn export(&self) -> Output {
        self.detached(&["export", "--no-session", "work"]).output().unwrap()
    }

    /// Runs `vault ARGS` on a terminal, typing the passphrase when asked.
    fn on_pty(&self, args: &[&str], asks: bool) -> common::PtyRun {
        let steps: &[(&str, &str)] =
            if asks { &[("passphrase", "correct horse battery staple\r")] } else { &[] };
        let runtime = self.runtime.path().to_str().unwrap();
        self.t.vault_on_pty_env(steps, args, &[("XDG_RUNTIME_DIR", runtime)])
    }

    fn unlock(&self, extra: &[&str]) -> common::PtyRun {
        let mut args = vec!["unlock"];
        args.extend_from_slice(extra);
        let run = self.on_pty(&args, true);
        assert_eq!(run.code, 0, "{}", run.transcript);
        assert!(run.transcript.contains("unlocked "), "{}", run.transcript);
        run
    }

    fn lock(&self) -> Output {
        self.detached(&["lock"]).output().unwrap()
    }

    /// The foreground agent (`vault agent`), as a service manager runs it.
    fn start_agent(&self) -> Agent {
        let child = Command::new(vault_bin())
            .arg("agent")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.t.home)
            .env("XDG_RUNTIME_DIR", self.runtime.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for(|| self.socket().exists(), "the agent's socket");
        Agent { child }
    }

    /// The pid of the agent listening on this setup's socket, from /proc.
    fn agent_pid(&self) -> u32 {
        let runtime = self.runtime.path().to_str().unwrap().as_bytes().to_vec();
        for entry in fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
            let environ = fs::read(entry.path().join("environ")).unwrap_or_default();
            if cmdline.windows(6).any(|w| w == b"\0agent")
                && environ.windows(runtime.len()).any(|w| w == runtime)
            {
                return pid;
            }
        }
        panic!("no agent process found for {}", self.runtime.path().display());
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = self.lock();
    }
}

struct Agent {
    child: Child,
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for(mut done: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(10), "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(20));
    }
}

fn assert_exported(out: &Output) {
    assert!(out.status.success(), "export failed: {}", stderr(out));
    let text = stdout(out);
    assert!(text.contains(&format!("AWS_ACCESS_KEY_ID={KEY_ID}")), "{text}");
    assert!(text.contains(SECRET), "{text}");
}

fn assert_asks(out: &Output) {
    assert!(!out.status.success(), "expected a prompt, got: {}", stdout(out));
    assert!(
        stderr(out).contains("no terminal to ask for the file store passphrase"),
        "{}",
        stderr(out)
    );
}

#[test]
fn unlock_then_twenty_exports_ask_nothing_and_the_passphrase_stays_in_the_agent() {
    let s = Setup::new();
    assert_asks(&s.export());
    let run = s.unlock(&["--timeout", "10m"]);
    let mut outputs = run.transcript.clone();
    for _ in 0..20 {
        let out = s.export();
        assert_exported(&out);
        outputs.push_str(&stdout(&out));
        outputs.push_str(&stderr(&out));
    }
    let status = s.detached(&["status", "--json"]).output().unwrap();
    outputs.push_str(&stdout(&status));
    outputs.push_str(&stderr(&status));

    // The socket's folder is private, the socket too.
    let dir = s.socket().parent().unwrap().to_path_buf();
    assert_eq!(fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    assert_eq!(fs::metadata(s.socket()).unwrap().permissions().mode() & 0o777, 0o600);

    let pid = s.agent_pid();
    let proc = Path::new("/proc").join(pid.to_string());
    let cmdline = fs::read(proc.join("cmdline")).unwrap();
    let environ = fs::read(proc.join("environ")).unwrap();
    for (what, bytes) in [("cmdline", &cmdline), ("environ", &environ)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(PASSPHRASE), "the passphrase is in the agent's {what}");
        assert!(!text.contains(SECRET), "a secret is in the agent's {what}");
    }
    assert!(!outputs.contains(PASSPHRASE), "the passphrase was printed: {outputs}");
    // What it holds (the passphrase, the session item the exports read)
    // sits in locked pages, a page or more each.
    let status = fs::read_to_string(proc.join("status")).unwrap();
    let locked_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmLck:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no VmLck in {status}"));
    assert!(locked_kb >= 8, "the agent locks only {locked_kb} kB");
}

#[test]
fn lock_makes_the_next_call_ask_and_a_typed_passphrase_unlocks_again() {
    let s = Setup::new();
    s.unlock(&[]);
    assert_exported(&s.export());
    let out = s.lock();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("locked"), "{}", stdout(&out));
    assert_asks(&s.export());
    // The on-demand agent exited and took its socket with it.
    wait_for(|| !s.socket().exists(), "the agent to exit");

    // A command that has to ask unlocks the agent with the answer...
    let run = s.on_pty(&["export", "--no-session", "work"], true);
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert_exported(&s.export());

    // ...unless that is turned off.
    s.lock();
    let runtime = s.runtime.path().to_str().unwrap();
    let run = s.t.vault_on_pty_env(
        &[("passphrase", "correct horse battery staple\r")],
        &["export", "--no-session", "work"],
        &[("XDG_RUNTIME_DIR", runtime), ("VAULT_AGENT_AUTO_UNLOCK", "0")],
    );
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert_asks(&s.export());
}

#[test]
fn a_short_timeout_expires() {
    let s = Setup::new();
    // Long enough for one export on a loaded machine, short enough to wait out.
    s.unlock(&["--timeout", "4s"]);
    assert_exported(&s.export());
    thread::sleep(Duration::from_millis(4500));
    assert_asks(&s.export());
    wait_for(|| !s.socket().exists(), "the timed-out agent to exit");
}

#[test]
fn another_user_is_refused_even_through_an_open_folder() {
    let s = Setup::new();
    let _agent = s.start_agent();
    s.unlock(&[]);
    // nobody needs to reach the binary and the runtime folder.
    let bin_dir = tempfile::Builder::new().prefix("vault-bin-").tempdir().unwrap();
    let bin = bin_dir.path().join("vault");
    // The binary itself, not the leak scan's wrapper (which runs it by its path).
    fs::copy(common::record::real_vault(), &bin).unwrap();
    fs::set_permissions(bin_dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(s.runtime.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let as_nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&bin)
            .args(args)
            .env_clear()
            .env("HOME", "/nonexistent")
            .env("XDG_RUNTIME_DIR", s.runtime.path())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    // nobody's vault will not use a folder that is not nobody's: no agent,
    // and one warning saying why.
    let out = as_nobody(&["lock"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("no agent"), "{}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("belongs to uid 0") && err.contains("not used"), "{err}");
    // A client of nobody's own that ignores that: the 0700 folder stops it
    // at connect...
    const RAW_LOCK: &str = "import socket, sys
c = socket.socket(socket.AF_UNIX)
try:
    c.connect(sys.argv[1])
    c.sendall(b'{\"op\":\"lock\"}\\n')
    print('answer:', c.recv(4096))
except OSError as e:
    print('refused:', e)";
    let raw_lock = || {
        let out = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", "python3", "-c"])
            .arg(RAW_LOCK)
            .arg(s.socket())
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .output()
            .unwrap();
        stdout(&out)
    };
    let said = raw_lock();
    assert!(said.contains("refused:") && said.contains("Permission denied"), "{said}");
    // ...and with the folder opened by mistake, the agent's uid check hangs
    // up on it unanswered (an empty answer, or a reset, by timing).
    let dir = s.socket().parent().unwrap().to_path_buf();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(s.socket(), fs::Permissions::from_mode(0o777)).unwrap();
    let said = raw_lock();
    assert!(said.contains("answer: b''") || said.contains("refused:"), "{said}");
    assert!(!said.contains(PASSPHRASE), "{said}");
    // The agent's own user now finds its folder open to others: no agent
    // (it asks) until the folder is private again.
    let out = s.export();
    assert!(stderr(&out).contains("is open to others"), "{}", stderr(&out));
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
    // Still unlocked for its user.
    assert_exported(&s.export());
}

#[test]
fn thirty_two_parallel_clients() {
    let s = Setup::new();
    s.unlock(&[]);
    let outputs: Vec<Output> = thread::scope(|scope| {
        let handles: Vec<_> = (0..32).map(|_| scope.spawn(|| s.export())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for out in &outputs {
        assert_exported(out);
    }
}

#[test]
fn a_killed_agent_means_the_client_asks_and_a_new_agent_replaces_its_socket() {
    let s = Setup::new();
    let mut agent = s.start_agent();
    s.unlock(&[]);
    let pid = agent.child.id().to_string();
    // Stopped, the agent accepts (the kernel queues the connection) but never answers.
    assert!(Command::new("kill").args(["-STOP", &pid]).status().unwrap().success());
    let runtime = s.runtime.path().to_str().unwrap();
    let run = thread::scope(|scope| {
        let client = scope.spawn(|| {
            s.t.vault_on_pty_env(
                &[("passphrase", "correct horse battery staple\r")],
                &["export", "--no-session", "work"],
                &[("XDG_RUNTIME_DIR", runtime), ("VAULT_AGENT_AUTO_UNLOCK", "0")],
            )
        });
        thread::sleep(Duration::from_millis(500));
        agent.child.kill().unwrap();
        agent.child.wait().unwrap();
        client.join().unwrap()
    });
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert!(run.transcript.contains(SECRET), "{}", run.transcript);

    // The socket file is left behind; the next agent takes it over.
    assert!(s.socket().exists());
    assert_asks(&s.export());
    s.unlock(&[]);
    assert_exported(&s.export());
}

/// The agent started on demand leaves the folder of the command that
/// started it, as daemons do: that folder may be removed or unmounted.
#[test]
fn the_agent_started_on_demand_works_in_the_root_folder() {
    let s = Setup::new();
    s.unlock(&[]);
    let pid = s.agent_pid();
    let cwd = fs::read_link(format!("/proc/{pid}/cwd")).unwrap();
    assert_eq!(cwd, Path::new("/"), "the agent kept its starter's folder");
}

#[test]
fn other_backends_say_they_have_their_own_agent() {
    let s = Setup::new();
    let out = s.detached(&["--backend", "keyctl", "unlock"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    assert!(stdout(&out).contains("kernel keyring"), "{}", stdout(&out));
    assert!(!s.socket().exists());
    // A bad value is a usage error, exit 2, as `exec --duration 2x` is.
    for bad in ["soon", "5x", "0s"] {
        let out = s.detached(&["unlock", "--timeout", bad]).output().unwrap();
        common::assert_one_line_error(&out, "--timeout");
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
    }
}

/// The hook in real interactive bash: a sequence of `cd`s into trusted
/// folders of three profiles asks the passphrase once, since the answer
/// unlocks the agent.
#[test]
fn the_bash_hook_asks_once_for_a_sequence_of_cds() {
    hook_asks_once_for_a_sequence_of_cds("bash");
}

#[test]
fn the_zsh_hook_asks_once_for_a_sequence_of_cds() {
    hook_asks_once_for_a_sequence_of_cds("zsh");
}

/// A real interactive `shell` in tmux, with no passphrase in its
/// environment: six `cd`s across three trusted directories ask for the
/// passphrase once, the agent answering every later read.
fn hook_asks_once_for_a_sequence_of_cds(shell: &str) {
    if !common::peers::require_peer(shell) || !common::peers::require_peer("tmux") {
        return;
    }
    let moto = common::moto::Moto::start();
    let s = Setup::new();
    s.t.write_config("[profile work]\nregion = eu-west-1\n[profile home]\n[profile other]\n");
    s.t.add_keys("home", KEY_ID, SECRET);
    s.t.add_keys("other", KEY_ID, SECRET);
    let mut dirs = Vec::new();
    for profile in ["work", "home", "other"] {
        let dir = s.t.home.join("src").join(profile);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(".awsprofile"), format!("{profile}\n")).unwrap();
        let out = s.t.vault().args(["allow", dir.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        dirs.push(dir);
    }

    let socket = s.t.home.join("tmux.sock");
    let tmux =
        |args: &[&str]| Command::new("tmux").arg("-S").arg(&socket).args(args).output().unwrap();
    // zsh reads .zshrc from ZDOTDIR; bash is given its rc file.
    let rc = s.t.home.join(if shell == "zsh" { ".zshrc" } else { "bashrc" });
    fs::write(&rc, format!("PS1='[p]'\neval \"$('{}' hook {shell})\"\n", vault_bin().display()))
        .unwrap();
    let env = [
        format!("HOME={}", s.t.home.display()),
        format!("XDG_RUNTIME_DIR={}", s.runtime.path().display()),
        format!("AWS_ENDPOINT_URL={}", moto.url()),
        "LANG=C.UTF-8".to_owned(),
    ];
    let mut start = vec!["new-session", "-d", "-x", "200", "-y", "50"];
    for e in &env {
        start.extend(["-e", e.as_str()]);
    }
    let shell_cmd = match shell {
        "zsh" => {
            format!("env -u AWS_VAULT_FILE_PASSPHRASE ZDOTDIR='{}' zsh -i", s.t.home.display())
        }
        _ => format!(
            "env -u AWS_VAULT_FILE_PASSPHRASE bash --noprofile --rcfile '{}' -i",
            rc.display()
        ),
    };
    start.push(&shell_cmd);
    let out = tmux(&start);
    assert!(out.status.success(), "tmux: {}", stderr(&out));
    let screen = || stdout(&tmux(&["capture-pane", "-p", "-S", "-200"]));
    let wait_for = |needle: &str, count: usize| {
        for _ in 0..600 {
            if screen().matches(needle).count() >= count {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        panic!("never saw {needle:?} x{count} on screen:\n{}", screen());
    };
    let send = |keys: &[&str]| {
        tmux(&[&["send-keys", "-t", "0"][..], keys].concat());
    };

    wait_for("[p]", 1);
    send(&[&format!("cd '{}'", dirs[0].display()), "Enter"]);
    wait_for("Enter passphrase", 1);
    send(&[PASSPHRASE, "Enter"]);
    for (i, dir) in dirs.iter().chain(&dirs).enumerate().skip(1) {
        send(&[&format!("cd '{}'", dir.display()), "Enter"]);
        send(&[&format!("echo \"step{i}=$VAULT_PROFILE\""), "Enter"]);
        let profile = dir.file_name().unwrap().to_str().unwrap();
        wait_for(&format!("step{i}={profile}"), 1);
    }
    let text = screen();
    tmux(&["kill-server"]);
    assert_eq!(text.matches("Enter passphrase").count(), 1, "{text}");
    assert!(!text.contains(PASSPHRASE), "{text}");
}

/// A wrong passphrase typed at the hook's prompt (a real interactive bash
/// in tmux, entering a trusted folder) is asked again, as at `vault
/// unlock`, and the right one then exports the profile.
#[test]
fn the_hook_asks_again_after_a_wrong_passphrase() {
    if !common::peers::require_peer("bash") || !common::peers::require_peer("tmux") {
        return;
    }
    let moto = common::moto::Moto::start();
    let s = Setup::new();
    s.t.write_config("[profile work]\nregion = eu-west-1\n");
    let dir = s.t.home.join("src/work");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(".awsprofile"), "work\n").unwrap();
    let out = s.t.vault().args(["allow", dir.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let socket = s.t.home.join("tmux.sock");
    let tmux =
        |args: &[&str]| Command::new("tmux").arg("-S").arg(&socket).args(args).output().unwrap();
    let rc = s.t.home.join("bashrc");
    fs::write(&rc, format!("PS1='[p]'\neval \"$('{}' hook bash)\"\n", vault_bin().display()))
        .unwrap();
    let env = [
        format!("HOME={}", s.t.home.display()),
        format!("XDG_RUNTIME_DIR={}", s.runtime.path().display()),
        format!("AWS_ENDPOINT_URL={}", moto.url()),
        "LANG=C.UTF-8".to_owned(),
    ];
    let mut start = vec!["new-session", "-d", "-x", "200", "-y", "50"];
    for e in &env {
        start.extend(["-e", e.as_str()]);
    }
    let shell_cmd =
        format!("env -u AWS_VAULT_FILE_PASSPHRASE bash --noprofile --rcfile '{}' -i", rc.display());
    start.push(&shell_cmd);
    let out = tmux(&start);
    assert!(out.status.success(), "tmux: {}", stderr(&out));
    let screen = || stdout(&tmux(&["capture-pane", "-p", "-S", "-200"]));
    let wait_for = |needle: &str| {
        for _ in 0..600 {
            if screen().contains(needle) {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let text = screen();
        tmux(&["kill-server"]);
        panic!("never saw {needle:?} on screen:\n{text}");
    };
    let send = |keys: &[&str]| {
        tmux(&[&["send-keys", "-t", "0"][..], keys].concat());
    };
    wait_for("[p]");
    send(&[&format!("cd '{}'", dir.display()), "Enter"]);
    wait_for("Enter passphrase to unlock");
    send(&["not the passphrase", "Enter"]);
    wait_for("Wrong passphrase; enter passphrase to unlock");
    send(&[PASSPHRASE, "Enter"]);
    send(&["echo \"vp=$VAULT_PROFILE\"", "Enter"]);
    wait_for("vp=work");
    let text = screen();
    tmux(&["kill-server"]);
    assert!(!text.contains(PASSPHRASE) && !text.contains("not the passphrase"), "{text}");
    assert!(!text.contains("could not use profile"), "{text}");
}

/// Whether the memory of process `pid` holds `needle` anywhere writable.
/// The agent is undumpable, so only root (CAP_SYS_PTRACE) reads it.
fn memory_holds(pid: u32, needle: &[u8]) -> bool {
    use std::os::unix::fs::FileExt;
    let maps = fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
    let mem = fs::File::open(format!("/proc/{pid}/mem")).unwrap();
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else { continue };
        if !perms.starts_with("rw") {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else { continue };
        let start = u64::from_str_radix(start, 16).unwrap();
        let end = u64::from_str_radix(end, 16).unwrap();
        let mut bytes = vec![0u8; (end - start) as usize];
        if mem.read_at(&mut bytes, start).is_ok()
            && bytes.windows(needle.len()).any(|w| w == needle)
        {
            return true;
        }
    }
    false
}

/// The request that carried the passphrase is read into memory wiped once
/// it is parsed: no buffer of the agent's keeps the raw line, though the
/// agent holds the passphrase itself (in locked memory) until `vault lock`.
#[test]
fn the_unlock_request_line_is_not_left_in_the_agents_memory() {
    let problem = (!Path::new("/proc/self/mem").exists()
        || fs::read_to_string("/proc/self/status")
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("CapEff:"))
            .and_then(|caps| u64::from_str_radix(caps.trim(), 16).ok())
            .is_none_or(|caps| caps & (1 << 19) == 0))
    .then_some("reading an undumpable process's memory needs CAP_SYS_PTRACE");
    if !common::peers::require_usable(problem, "run the tests as root, as CI does") {
        return;
    }
    let s = Setup::new();
    let agent = s.start_agent();
    s.unlock(&[]);
    let pid = agent.child.id();
    let line = format!("\"passphrase\":\"{PASSPHRASE}\"");
    // The scan works: it finds the store's folder, which the same request
    // carried and the agent keeps.
    let dir = std::path::absolute(s.t.keys_dir()).unwrap();
    assert!(memory_holds(pid, dir.to_str().unwrap().as_bytes()), "the scan finds nothing at all");
    assert!(!memory_holds(pid, line.as_bytes()), "the raw unlock request is in the agent's memory");
}
