//! Running a prompt driver's program (zenity, kdialog, ykman, pass): with
//! no stdin, a bounded wait, its stdout wiped after use, and an environment
//! without vault's own secrets.

use std::io::{self, Read};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::env::Env;

/// Variables a driver's program never sees: the file store's passphrase,
/// and the shell hook's state. The one place they are removed, so that a
/// shared child-command helper can take this over whole.
const SCRUBBED: [&str; 2] = ["AWS_VAULT_FILE_PASSPHRASE", "__VAULT_STATE"];

/// What a finished program left: stdout may hold a code or a passphrase.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Zeroizing<Vec<u8>>,
    pub stderr: String,
}

#[derive(Debug)]
pub enum RunError {
    NotFound,
    TimedOut,
    Io(io::Error),
}

/// `program` with vault's secrets removed from its environment.
pub fn command(program: &str) -> Command {
    let mut cmd = Command::new(program);
    for name in SCRUBBED {
        cmd.env_remove(name);
    }
    cmd
}

/// Runs `cmd` for at most `limit`, then kills it. Its stderr goes to ours
/// when `show_stderr` (ykman asks to touch the key there, gpg reports its
/// errors), else it is kept for the error message (dialogs print toolkit
/// warnings nobody needs).
pub fn run(mut cmd: Command, limit: Duration, show_stderr: bool) -> Result<Finished, RunError> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(if show_stderr {
        Stdio::inherit()
    } else {
        Stdio::piped()
    });
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => RunError::NotFound,
        _ => RunError::Io(e),
    })?;
    let mut stdout = child.stdout.take().expect("piped");
    let out = thread::spawn(move || {
        let mut buf = Zeroizing::new(Vec::new());
        let _ = stdout.read_to_end(&mut buf);
        buf
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
            Ok(None) if started.elapsed() < limit => thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::TimedOut);
            }
            Err(e) => return Err(RunError::Io(e)),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.map(|t| t.join().unwrap_or_default()).unwrap_or_default();
    Ok(Finished { status, stdout, stderr: String::from_utf8_lossy(&stderr).trim().to_owned() })
}

/// Whether `program` is an executable file in one of `env`'s PATH folders.
pub fn on_path(program: &str, env: &Env) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let Some(path) = env.get("PATH") else { return false };
    std::env::split_paths(path).any(|dir| {
        let candidate = Path::new(&dir).join(program);
        std::fs::metadata(candidate)
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

/// The first line of a program's output, trimmed: the code it printed.
pub fn first_line(stdout: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(stdout).ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_owned())
}
