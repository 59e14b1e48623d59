//! A cross-process lock around session refreshes, so that 32 parallel
//! `credential_process` calls on a cold cache make one STS call and ask for
//! one MFA code, not 32 (aws-vault's open PR #337 in ByteNess).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use rustix::fs::{FlockOperation, flock};

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
        fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
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
}
