//! Every process vault starts is built here (but the agent, which starts
//! with an empty environment), so that none inherits vault's
//! own secrets: the file store's passphrase and the shell hook's saved state
//! (which may hold the user's own long-term keys) stay in this process. The
//! helpers vault waits for (`credential_process`, `mfa_process`, `pass`) run
//! under a time limit, in a process group of their own that is killed at it,
//! so neither a stuck one nor what it left behind can freeze a command or a
//! prompt.

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, ExitStatus, Stdio};
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
    match crate::duration::parse_duration(text) {
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
        crate::duration::format_duration(*.0)
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

/// After the helper itself exits, how long a process it left behind may
/// keep its pipes open before the group is killed: output comes before the
/// exit, and a daemon that meant to stay would have let go of them.
const GRACE: Duration = Duration::from_secs(1);

/// Runs `cmd` with stdout captured (and stderr, if the caller piped it),
/// `input` on stdin if given, and kills it after `limit`.
///
/// The helper runs in a process group of its own, and everything it
/// started with it: at the limit, or when what it left behind still holds
/// its pipes [`GRACE`] after it exited (`sleep 60 & echo {...}`), the whole
/// group is killed, so neither it nor its children outlive the limit. The
/// pipes are read until then, never longer. When vault has the terminal, the
/// helper's group is given it meanwhile (an `mfa_process` may ask there, and
/// Ctrl-C reaches it), and it is taken back after.
pub fn run_bounded(
    mut cmd: Command,
    input: Option<&[u8]>,
    limit: Duration,
) -> Result<Finished, RunError> {
    use std::os::unix::process::CommandExt as _;
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
    let started = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).process_group(0).spawn().map_err(RunError::Spawn)?;
    let group = i32::try_from(child.id()).ok().and_then(rustix::process::Pid::from_raw);
    let terminal = group.and_then(Foreground::hand_to);
    if let Some((input, mut writer)) = rest {
        // From a thread: a helper that reads no input, or writes before it
        // reads, would block a write here before the limit below is watched.
        // Killing its group at the limit closes the pipe and ends the write.
        let input = zeroize::Zeroizing::new(input.to_vec());
        let _ = rustix::io::ioctl_fionbio(&writer, false);
        std::thread::spawn(move || {
            let _ = writer.write_all(&input);
        });
    }
    let mut stdout = Output::new(child.stdout.take());
    let mut stderr = Output::new(child.stderr.take());
    // Readable when the helper exits, so the wait below sleeps on it.
    let exited = group.and_then(|pid| {
        rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty()).ok()
    });
    let deadline = started + limit;
    let mut status = None;
    let mut exited_at = None;
    let outcome = loop {
        if status.is_none() {
            match child.try_wait() {
                Ok(Some(done)) => {
                    status = Some(done);
                    exited_at = Some(Instant::now());
                }
                Ok(None) => {}
                Err(e) => break Err(RunError::Wait(e)),
            }
        }
        if let Some(done) = status
            && stdout.fd.is_none()
            && stderr.fd.is_none()
        {
            break Ok(done);
        }
        let until = exited_at.map_or(deadline, |t| deadline.min(t + GRACE));
        let now = Instant::now();
        if now >= until {
            kill_group(group);
            match status {
                // Only what it left behind held the pipes: it is done.
                Some(done) => break Ok(done),
                None => {
                    // Itself too, should it have left the group.
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(RunError::TimedOut(limit));
                }
            }
        }
        wait_for_any(
            &mut [&mut stdout, &mut stderr],
            exited.as_ref(),
            status.is_none(),
            until - now,
        );
    };
    drop(terminal);
    let status = outcome?;
    Ok(Finished {
        status,
        stdout: stdout.buf,
        stderr: String::from_utf8_lossy(&stderr.buf).into_owned(),
    })
}

/// One of the helper's output pipes while it is open, and what it gave.
struct Output {
    fd: Option<std::os::fd::OwnedFd>,
    /// Wiped when dropped (stdout carries credentials), and grown by hand
    /// so that no smaller copy is left behind unwiped.
    buf: Zeroizing<Vec<u8>>,
}

impl Output {
    fn new(pipe: Option<impl Into<std::os::fd::OwnedFd>>) -> Self {
        let fd = pipe.map(Into::into);
        if let Some(fd) = &fd {
            let _ = rustix::io::ioctl_fionbio(fd, true);
        }
        Self { fd, buf: Zeroizing::new(Vec::new()) }
    }

    /// Reads what is there; closes the pipe at its end.
    fn drain(&mut self) {
        let Some(fd) = &self.fd else { return };
        loop {
            if self.buf.len() == self.buf.capacity() {
                let mut bigger = Zeroizing::new(Vec::with_capacity((self.buf.len() * 2).max(4096)));
                bigger.extend_from_slice(&self.buf);
                self.buf = bigger;
            }
            let start = self.buf.len();
            let room = self.buf.capacity() - start;
            self.buf.resize(start + room, 0);
            let read = rustix::io::read(fd, &mut self.buf[start..]);
            self.buf.truncate(start + *read.as_ref().unwrap_or(&0));
            match read {
                Ok(0) => {
                    self.fd = None;
                    return;
                }
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(rustix::io::Errno::AGAIN) => return,
                Err(_) => {
                    self.fd = None;
                    return;
                }
            }
        }
    }
}

/// Sleeps until a pipe has data or closes, the helper exits (when still
/// running and `exited` can tell), or `timeout`; then reads what came.
fn wait_for_any(
    outputs: &mut [&mut Output; 2],
    exited: Option<&std::os::fd::OwnedFd>,
    running: bool,
    timeout: Duration,
) {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    // Without a pidfd, the helper's exit is noticed by looking every 2 ms.
    let timeout = match (running, exited) {
        (true, None) => timeout.min(Duration::from_millis(2)),
        _ => timeout,
    };
    let mut fds: Vec<PollFd<'_>> = outputs
        .iter()
        .filter_map(|o| o.fd.as_ref())
        .map(|fd| PollFd::new(fd, PollFlags::IN))
        .collect();
    if let (true, Some(pidfd)) = (running, exited) {
        fds.push(PollFd::new(pidfd, PollFlags::IN));
    }
    let timeout = Timespec::try_from(timeout).unwrap_or(Timespec { tv_sec: 0, tv_nsec: 0 });
    let _ = poll(&mut fds, Some(&timeout));
    drop(fds);
    for output in outputs.iter_mut() {
        output.drain();
    }
}

/// Kills the helper's process group: it and whatever it started there.
fn kill_group(group: Option<rustix::process::Pid>) {
    if let Some(group) = group {
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    }
}

/// The terminal lent to a helper's process group; taken back when dropped.
struct Foreground {
    tty: std::fs::File,
    ours: rustix::process::Pid,
}

impl Foreground {
    /// Gives the controlling terminal to `group` when vault's own group has
    /// it (the helper would otherwise be stopped reading it, and Ctrl-C
    /// would miss it); `None` when vault is not in the foreground.
    fn hand_to(group: rustix::process::Pid) -> Option<Self> {
        let tty = std::fs::File::open("/dev/tty").ok()?;
        let ours = rustix::process::getpgrp();
        if rustix::termios::tcgetpgrp(&tty).ok()? != ours {
            return None;
        }
        rustix::termios::tcsetpgrp(&tty, group).ok()?;
        // It may have read the terminal before it was its: stopped then
        // (SIGTTIN), it goes on now.
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::CONT);
        Some(Self { tty, ours })
    }
}

impl Drop for Foreground {
    fn drop(&mut self) {
        // From a background group this would stop vault with SIGTTOU,
        // unless the signal is blocked, as shells do it.
        let mut ttou = nix::sys::signal::SigSet::empty();
        ttou.add(nix::sys::signal::Signal::SIGTTOU);
        let mut before = nix::sys::signal::SigSet::empty();
        let how = nix::sys::signal::SigmaskHow::SIG_BLOCK;
        if nix::sys::signal::pthread_sigmask(how, Some(&ttou), Some(&mut before)).is_ok() {
            let _ = rustix::termios::tcsetpgrp(&self.tty, self.ours);
            let _ = nix::sys::signal::pthread_sigmask(
                nix::sys::signal::SigmaskHow::SIG_SETMASK,
                Some(&before),
                None,
            );
        }
    }
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

    /// More input than a pipe holds, to a helper that reads none: the
    /// limit still ends it, rather than vault blocking on the write.
    #[test]
    fn a_helper_that_reads_no_input_is_still_killed_at_the_limit() {
        let mut cmd = command("/bin/sh");
        cmd.args(["-c", "sleep 30; true"]);
        let input = vec![b'x'; 1 << 20];
        let started = Instant::now();
        let err = run_bounded(cmd, Some(&input), Duration::from_millis(300)).err().unwrap();
        assert!(matches!(err, RunError::TimedOut(_)), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    }

    /// All of a large input reaches a helper that reads it.
    #[test]
    fn a_large_input_reaches_the_helper_whole() {
        let mut cmd = command("/bin/sh");
        cmd.args(["-c", "wc -c"]);
        let input = vec![b'x'; 1 << 20];
        let done = run_bounded(cmd, Some(&input), Duration::from_secs(10)).unwrap();
        assert_eq!(String::from_utf8_lossy(&done.stdout).trim(), "1048576");
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
