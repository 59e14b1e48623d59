//! A cross-process lock around session refreshes, so that 32 parallel
//! `credential_process` calls on a cold cache make one STS call and ask for
//! one MFA code, not 32 (aws-vault's open PR #337 in ByteNess).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rustix::fs::{FlockOperation, flock};

/// How long [`RefreshLock::acquire`] waits, in milliseconds; 0: as long as
/// it takes. Process-wide, set once by the caller that must not block.
static WAIT_LIMIT_MS: AtomicU64 = AtomicU64::new(0);

/// Makes every later [`RefreshLock::acquire`] in this process give up after
/// `limit`. The shell hook sets it: a prompt must never wait for another
/// process's refresh (which may be waiting for an MFA code) for long.
pub fn limit_wait(limit: Duration) {
    let ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX).max(1);
    WAIT_LIMIT_MS.store(ms, Ordering::Relaxed);
}

/// Held while the lock file is open; the kernel releases it when the file is
/// closed, including when the process dies.
pub struct RefreshLock {
    _file: File,
}

impl RefreshLock {
    /// Blocks until no other `vault` process is refreshing, or fails after
    /// the limit set by [`limit_wait`], if any.
    pub fn acquire(path: &Path) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        }
        let file =
            OpenOptions::new().create(true).truncate(false).write(true).mode(0o600).open(path)?;
        let limit = WAIT_LIMIT_MS.load(Ordering::Relaxed);
        if limit == 0 {
            loop {
                match flock(&file, FlockOperation::LockExclusive) {
                    Ok(()) => return Ok(Self { _file: file }),
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
        }
        // flock has no timeout: poll without blocking until the deadline.
        let deadline = Instant::now() + Duration::from_millis(limit);
        loop {
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => return Ok(Self { _file: file }),
                Err(rustix::io::Errno::WOULDBLOCK | rustix::io::Errno::INTR)
                    if Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(rustix::io::Errno::WOULDBLOCK) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WouldBlock,
                        "another vault process is refreshing these credentials",
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limited_wait_gives_up_while_another_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let held = RefreshLock::acquire(&path).unwrap();
        limit_wait(Duration::from_millis(100));
        let err = RefreshLock::acquire(&path).err().expect("the lock is held");
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        drop(held);
        RefreshLock::acquire(&path).expect("free again");
        WAIT_LIMIT_MS.store(0, Ordering::Relaxed);
    }
}
