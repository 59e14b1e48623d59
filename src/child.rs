//! Every process vault starts is built here (but the agent, which starts
//! with an empty environment), so that none inherits vault's
//! own secrets: the file store's passphrase and the shell hook's saved state
//! (which may hold the user's own long-term keys) stay in this process. The
//! helpers vault waits for (`credential_process`, `mfa_process`, `pass`) run
//! under a time limit, so a stuck one cannot freeze a command or a prompt.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::env::Env;

/// How long a helper may run: `VAULT_PROCESS_TIMEOUT`, 2 minutes by default
/// (time enough to find a YubiKey or type a gpg passphrase).
pub const TIMEOUT_VAR: &str = "VAULT_PROCESS_TIMEOUT";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// The time limit for helpers, from [`TIMEOUT_VAR`].
pub fn timeout(env: &Env) -> anyhow::Result<Duration> {
    setting(env, TIMEOUT_VAR, DEFAULT_TIMEOUT)
}

/// Where `path` (as the PATH variable holds it) finds `program`: the first
/// executable file of that name, as a shell would run it.
pub fn find_on_path(program: &str, path: &OsStr) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    std::env::split_paths(path).map(|dir| dir.join(program)).find(|candidate| {
        std::fs::metadata(candidate)
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

/// A duration setting from the environment (Go style, e.g. `90s`, `5m`),
/// else `default`; zero is refused, as it would fail every run.
pub fn setting(env: &Env, var: &str, default: Duration) -> anyhow::Result<Duration> {
    let Some(text) = env.get(var) else { return Ok(default) };
    match crate::config::parse_duration(text) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => anyhow::bail!("{var}={text:?} is invalid: it must be longer than zero, like 2m"),
        Err(e) => anyhow::bail!("{var}={text:?} is invalid: {e}; use a duration like 2m or 90s"),
    }
}

/// Variables vault reads but no program it starts may see:
/// `AWS_VAULT_FILE_PASSPHRASE` unlocks the whole file store, and
/// `__VAULT_STATE` holds the values the hook replaced, possibly long-term keys.
pub const SCRUBBED: [&str; 2] = ["AWS_VAULT_FILE_PASSPHRASE", "__VAULT_STATE"];

/// `Command::new(program)` with the [`SCRUBBED`] variables removed from the
/// environment it inherits.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut cmd = Command::new(program);
    for var in SCRUBBED {
        cmd.env_remove(var);
    }
    cmd
}

/// What a finished helper left: stdout may hold credentials, so it is wiped.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Zeroizing<Vec<u8>>,
    /// What it printed on stderr, when the caller piped it.
    pub stderr: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Spawn(std::io::Error),
    #[error("could not wait for it: {0}")]
    Wait(std::io::Error),
    /// It was killed at the limit.
    #[error(
        "it did not finish within {}, so it was stopped; set {TIMEOUT_VAR} (e.g. 5m) to wait longer",
        crate::config::format_duration(*.0)
    )]
    TimedOut(Duration),
}

/// Writes as much of `input` as the pipe takes without blocking; how much that was.
fn prefill(writer: &std::io::PipeWriter, input: &[u8]) -> usize {
    if rustix::io::ioctl_fionbio(writer, true).is_err() {
        return 0;
    }
    let mut written = 0;
    while written < input.len() {
        match rustix::io::write(writer, &input[written..]) {
            Ok(0) => break,
            Ok(n) => written += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => break, // full (EAGAIN): the rest goes after the spawn
        }
    }
    written
}

/// Runs `cmd` with stdout captured (and stderr, if the caller piped it),
/// `input` on stdin if given, and kills it after `limit`.
pub fn run_bounded(
    mut cmd: Command,
    input: Option<&[u8]>,
    limit: Duration,
) -> Result<Finished, RunError> {
    // The input is in the pipe before the child starts, so that a vault killed just
    // after the spawn cannot leave `pass insert` reading a short item and storing it
    // over the old one. An item's JSON fits a pipe's buffer; whatever does not fit is
    // written after the spawn.
    let mut rest = None;
    if let Some(input) = input {
        let (reader, writer) = std::io::pipe().map_err(RunError::Spawn)?;
        let written = prefill(&writer, input);
        if written < input.len() {
            rest = Some((&input[written..], writer));
        }
        cmd.stdin(reader);
    }
    let mut child = cmd.stdout(Stdio::piped()).spawn().map_err(RunError::Spawn)?;
    if let Some((input, mut writer)) = rest {
        let _ = rustix::io::ioctl_fionbio(&writer, false);
        let _ = writer.write_all(input);
    }
    let out = child.stdout.take().map(|mut stdout| {
        thread::spawn(move || {
            let mut buf = Zeroizing::new(Vec::new());
            let _ = stdout.read_to_end(&mut buf);
            buf
        })
    });
    let err = child.stderr.take().map(|mut stderr| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.read_to_end(&mut buf);
            buf
        })
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < limit => {
                // Helpers run for milliseconds to seconds: a short nap adds little latency.
                thread::sleep(Duration::from_millis(2));
            }
            Ok(None) => {
                kill_tree(child.id());
                let _ = child.wait();
                return Err(RunError::TimedOut(limit));
            }
            Err(e) => return Err(RunError::Wait(e)),
        }
    };
    let stdout = out.and_then(|t| t.join().ok()).unwrap_or_default();
    let stderr = err.and_then(|t| t.join().ok()).unwrap_or_default();
    Ok(Finished { status, stdout, stderr: String::from_utf8_lossy(&stderr).into_owned() })
}

/// Kills `pid` and every process it started (`sh -c` runs the command as a
/// grandchild, which would otherwise keep running and hold the pipes and the
/// terminal). Helpers stay in vault's process group, so that Ctrl-C at the
/// terminal still reaches them and an `mfa_process` may read the terminal;
/// the tree is therefore found by parent pid in /proc.
fn kill_tree(pid: u32) {
    let mut tree = vec![pid];
    let mut i = 0;
    let parents = parent_pids();
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(parents.iter().filter(|(_, pp)| *pp == parent).map(|(p, _)| *p));
        i += 1;
    }
    for pid in tree {
        if let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
        }
    }
}

/// (pid, parent pid) of every process visible in /proc.
fn parent_pids() -> Vec<(u32, u32)> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|e| {
            let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            let after = &stat[stat.rfind(')')? + 1..];
            let ppid = after.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stuck_helper_is_killed_at_the_limit() {
        let mut cmd = command("/bin/sh");
        // The sleep is a grandchild that holds stdout: it must die too.
        cmd.args(["-c", "sleep 30; true"]);
        let started = Instant::now();
        let err = run_bounded(cmd, None, Duration::from_millis(300)).err().unwrap();
        assert!(matches!(err, RunError::TimedOut(_)), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(err.to_string().contains(TIMEOUT_VAR), "{err}");
    }

    #[test]
    fn output_and_input_pass_through() {
        let mut cmd = command("/bin/sh");
        cmd.args(["-c", "cat; echo oops >&2; exit 3"]).stderr(Stdio::piped());
        let done = run_bounded(cmd, Some(b"hello"), Duration::from_secs(10)).unwrap();
        assert_eq!(done.status.code(), Some(3));
        assert_eq!(&done.stdout[..], b"hello");
        assert_eq!(done.stderr, "oops\n");
    }

    #[test]
    fn the_limit_is_a_setting() {
        let env = Env::from_pairs([(TIMEOUT_VAR, "90s")]);
        assert_eq!(timeout(&env).unwrap(), Duration::from_secs(90));
        assert_eq!(timeout(&Env::default()).unwrap(), DEFAULT_TIMEOUT);
        for bad in ["0s", "soon"] {
            let err = timeout(&Env::from_pairs([(TIMEOUT_VAR, bad)])).unwrap_err().to_string();
            assert!(err.starts_with("VAULT_PROCESS_TIMEOUT="), "{err}");
        }
    }

    #[test]
    fn scrubbed_variables_are_removed() {
        let cmd = command("env");
        let removed: Vec<_> =
            cmd.get_envs().filter(|(_, v)| v.is_none()).map(|(k, _)| k.to_owned()).collect();
        for var in SCRUBBED {
            assert!(removed.iter().any(|k| k == var), "{var} not removed");
        }
    }
}
