//! Running a prompt driver's program (zenity, kdialog, ykman, pass) through
//! the one child-process helper, `crate::child`: no stdin, a bounded wait,
//! stdout wiped after use, and vault's secrets kept out of its environment.

use std::io;
use std::process::{Command, Stdio};
use std::time::Duration;

pub use crate::child::{Finished, command};
use crate::env::Env;

#[derive(Debug)]
pub enum RunError {
    NotFound,
    TimedOut,
    Io(io::Error),
}

/// Runs `cmd` for at most `limit`, then kills it. Its stderr goes to ours
/// when `show_stderr` (ykman asks to touch the key there, gpg reports its
/// errors), else it is kept for the error message (dialogs print toolkit
/// warnings nobody needs).
pub fn run(mut cmd: Command, limit: Duration, show_stderr: bool) -> Result<Finished, RunError> {
    cmd.stdin(Stdio::null()).stderr(if show_stderr { Stdio::inherit() } else { Stdio::piped() });
    let mut finished = crate::child::run_bounded(cmd, None, limit).map_err(|e| match e {
        crate::child::RunError::Spawn(e) if e.kind() == io::ErrorKind::NotFound => {
            RunError::NotFound
        }
        crate::child::RunError::Spawn(e) | crate::child::RunError::Wait(e) => RunError::Io(e),
        crate::child::RunError::TimedOut(_) => RunError::TimedOut,
    })?;
    finished.stderr = finished.stderr.trim().to_owned();
    Ok(finished)
}

/// Whether `program` is an executable file in one of `env`'s PATH folders.
pub fn on_path(program: &str, env: &Env) -> bool {
    env.get("PATH").is_some_and(|path| crate::child::find_on_path(program, path.as_ref()).is_some())
}

/// The first line of a program's output, trimmed: the code it printed.
pub fn first_line(stdout: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(stdout).ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_owned())
}
