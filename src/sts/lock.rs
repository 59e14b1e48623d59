//! A cross-process lock around session refreshes, so that 32 parallel
//! `credential_process` calls on a cold cache make one STS call and ask for
//! one MFA code, not 32 (aws-vault's open PR #337 in ByteNess).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

use rustix::fs::{FlockOperation, flock};

/// Held while the lock file is open; the kernel releases it when the file is
/// closed, including when the process dies.
pub struct RefreshLock {
    _file: File,
}

impl RefreshLock {
    /// Blocks until no other `vault` process is refreshing.
    pub fn acquire(path: &Path) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        }
        let file =
            OpenOptions::new().create(true).truncate(false).write(true).mode(0o600).open(path)?;
        loop {
            match flock(&file, FlockOperation::LockExclusive) {
                Ok(()) => return Ok(Self { _file: file }),
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}
