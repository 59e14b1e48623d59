//! The command that runs beside a credential server: a child process rather
//! than an exec, since this process must keep serving; its signals are
//! passed on and its exit status becomes ours.

use std::fs::File;
use std::task::Poll;

use anyhow::{Context as _, Result};
use rustix::process::{Pid, Signal};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

/// Signals passed on to the command. Those a terminal sends to its whole
/// foreground process group are special: see [`run`].
const FORWARDED: [(SignalKind, Signal, &str); 6] = [
    (SignalKind::interrupt(), Signal::INT, "SIGINT"),
    (SignalKind::quit(), Signal::QUIT, "SIGQUIT"),
    (SignalKind::terminate(), Signal::TERM, "SIGTERM"),
    (SignalKind::hangup(), Signal::HUP, "SIGHUP"),
    (SignalKind::user_defined1(), Signal::USR1, "SIGUSR1"),
    (SignalKind::user_defined2(), Signal::USR2, "SIGUSR2"),
];

/// Runs `cmd` to its end and returns its exit status, shell style (128 + N
/// when signal N killed it). Meanwhile the server's notices go to
/// `on_notice`, and signals this process gets are passed to the command.
///
/// Ctrl-C and Ctrl-\ at a terminal already reach the command, which shares
/// our foreground process group: passing them on again would deliver them
/// twice (and twice means "abort now" to Terraform), so they are forwarded
/// only when they came from elsewhere, e.g. `kill -INT` from a script.
pub async fn run(
    cmd: std::process::Command,
    notices: &mut mpsc::UnboundedReceiver<String>,
    mut on_notice: impl FnMut(&str),
) -> Result<i32> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut streams = Vec::new();
    for (kind, sig, name) in FORWARDED {
        streams.push((signal(kind).context("could not set up signal handling")?, sig, name));
    }
    let mut child = tokio::process::Command::from(cmd)
        .spawn()
        .with_context(|| format!("could not run {program:?}"))?;
    let pid = child.id().and_then(|id| Pid::from_raw(i32::try_from(id).ok()?));
    loop {
        let next_signal = std::future::poll_fn(|cx| {
            for (stream, sig, name) in &mut streams {
                if stream.poll_recv(cx).is_ready() {
                    return Poll::Ready((*sig, *name));
                }
            }
            Poll::Pending
        });
        tokio::select! {
            status = child.wait() => {
                let status = status.with_context(|| format!("could not wait for {program:?}"))?;
                return Ok(exit_code(status));
            }
            Some(notice) = notices.recv() => on_notice(&notice),
            (sig, name) = next_signal => {
                let keyboard = matches!(sig, Signal::INT | Signal::QUIT);
                if keyboard && in_terminal_foreground() {
                    log::debug!("{name} came from the terminal, which sent it to the command too");
                } else if let Some(pid) = pid {
                    log::debug!("passing {name} on to the command");
                    let _ = rustix::process::kill_process(pid, sig);
                }
            }
        }
    }
}

/// Whether this process is in its terminal's foreground process group,
/// where a keyboard signal reaches the command as well.
fn in_terminal_foreground() -> bool {
    let Ok(tty) = File::open("/dev/tty") else { return false };
    rustix::termios::tcgetpgrp(&tty).is_ok_and(|pgrp| pgrp == rustix::process::getpgrp())
}

fn exit_code(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status.code().or_else(|| status.signal().map(|s| 128 + s)).unwrap_or(1)
}
