//! A cross-process lock around session refreshes, so that 32 parallel
//! `credential_process` calls on a cold cache make one STS call and ask for
//! one MFA code, not 32 (aws-vault's open PR #337 in ByteNess), and around
//! IAM Identity Center sign-ins; with how long a command waits for it.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use rustix::fs::{FlockOperation, flock};

use crate::env::Env;

/// How long a command waits for another one's refresh: long enough for that
/// one to ask for a passphrase and an MFA code.
pub const LOCK_TIMEOUT_VAR: &str = "VAULT_LOCK_TIMEOUT";
const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(300);

/// The refresh lock's wait, from [`LOCK_TIMEOUT_VAR`].
pub fn lock_timeout(env: &Env) -> Result<Duration> {
    crate::child::setting(env, LOCK_TIMEOUT_VAR, DEFAULT_LOCK_TIMEOUT)
}

/// The most any wait for the lock may take in this process, in milliseconds
/// (`u64::MAX`: no cap beyond the caller's own limit).
static WAIT_CAP_MS: AtomicU64 = AtomicU64::new(u64::MAX);

/// Caps every wait for the lock in this process: the prompt hook must not
/// block the prompt on another process's refresh, which may be waiting for a
/// person to type an MFA code.
pub fn limit_wait(cap: Duration) {
    WAIT_CAP_MS.store(u64::try_from(cap.as_millis()).unwrap_or(u64::MAX), Ordering::Relaxed);
}

/// How long a wait with `limit` really lasts, given the cap.
pub fn effective_limit(limit: Duration) -> Duration {
    capped(limit, WAIT_CAP_MS.load(Ordering::Relaxed))
}

fn capped(limit: Duration, cap_ms: u64) -> Duration {
    limit.min(Duration::from_millis(cap_ms))
}

/// Held while the lock file is open; the kernel releases it when the file is
/// closed, including when the process dies.
pub struct RefreshLock {
    _file: File,
}

impl RefreshLock {
    /// Waits at most `limit` for other `vault` processes to finish
    /// refreshing; past it, an error of kind `TimedOut`. A zero `limit`
    /// tries once.
    pub fn acquire_timeout(path: &Path, limit: Duration) -> io::Result<Self> {
        let limit = effective_limit(limit);
        let file = open(path)?;
        let started = Instant::now();
        loop {
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => return Ok(Self { _file: file }),
                Err(rustix::io::Errno::INTR) => {}
                Err(rustix::io::Errno::WOULDBLOCK) if started.elapsed() < limit => {
                    // A refresh takes an STS round trip or a person typing a code.
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(rustix::io::Errno::WOULDBLOCK) => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "another vault process is still refreshing",
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

fn open(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        crate::atomic_write::create_private_dir(dir)?;
    }
    OpenOptions::new().create(true).truncate(false).write(true).mode(0o600).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_times_out_and_a_free_one_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/.refresh.lock");
        let held = RefreshLock::acquire_timeout(&path, Duration::ZERO).unwrap();
        let started = Instant::now();
        let err = RefreshLock::acquire_timeout(&path, Duration::from_millis(200)).err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= Duration::from_millis(200));
        drop(held);
        RefreshLock::acquire_timeout(&path, Duration::ZERO).unwrap();
    }

    /// On the pure part: setting the process-wide cap here would shorten the
    /// wait the test above runs at the same time.
    #[test]
    fn the_cap_shortens_every_wait() {
        assert_eq!(capped(Duration::from_secs(300), u64::MAX), Duration::from_secs(300));
        assert_eq!(capped(Duration::from_secs(300), 100), Duration::from_millis(100));
        assert_eq!(capped(Duration::ZERO, 100), Duration::ZERO);
    }
}
