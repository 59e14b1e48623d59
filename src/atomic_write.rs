//! Replacing a file so that a crash leaves either the old contents or the new, never half
//! of them: the one write used for the config file, the file store's items and the trust
//! records; and the lock that keeps two processes' read-change-write of one file from
//! losing either change.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Temp files start with a dot so that a folder listing (the file store's `keys()`, and
/// aws-vault, which never looks dotfiles up) can tell a leftover from an item.
const TEMP_PREFIX: &str = ".vault-tmp-";

/// A temp file this old was left by a killed writer, not one still writing: writes take
/// milliseconds, and the longest lock wait is minutes.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// What permissions the new file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 0600: only the user can read it.
    Private,
    /// Those of the file being replaced (a config file the user made group-readable stays
    /// so), else 0600.
    KeepExisting,
}

/// Writes `contents` to a private temp file in `path`'s folder, fsyncs it, renames it over
/// `path` and fsyncs the folder so that the rename itself survives a crash. Missing
/// folders are created private (0700). On failure the temp file is removed and `path` is
/// untouched.
pub fn write(path: &Path, contents: &[u8], mode: Mode) -> io::Result<()> {
    let dir = folder_of(path);
    create_private_dir(&dir)?;
    let keep = match mode {
        Mode::Private => None,
        Mode::KeepExisting => fs::metadata(path).ok().map(|m| m.permissions()),
    };
    // Created 0600 with O_EXCL under a random name; dropped (and so deleted) on any error.
    let mut temp = tempfile::Builder::new().prefix(TEMP_PREFIX).tempfile_in(&dir)?;
    temp.write_all(contents)?;
    if let Some(permissions) = keep {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(&dir);
    remove_leftovers(&dir);
    Ok(())
}

/// Removes the temp files killed writers left in `dir`. Best effort: a leftover is
/// never read as an item, it only takes space (and holds what its write held).
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let stale = entry.file_name().to_str().is_some_and(|n| n.starts_with(TEMP_PREFIX))
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > LEFTOVER_AGE));
        if stale && let Err(e) = fs::remove_file(entry.path()) {
            log::debug!("could not remove {}: {e}", entry.path().display());
        }
    }
}

/// Makes a rename or removal in `dir` durable. A failure is only logged: the change itself
/// has happened and is visible, so the caller has nothing to undo.
pub fn sync_dir(dir: &Path) {
    if let Err(e) = fs::File::open(dir).and_then(|d| d.sync_all()) {
        log::warn!("could not sync {}: {e}", dir.display());
    }
}

/// Held while a file in the folder is read, changed and written back; released when
/// dropped, or by the kernel when the process dies.
pub struct FolderLock {
    _dir: Option<fs::File>,
}

/// Serializes read-change-write updates of the files in `path`'s folder between
/// processes, so that two `vault add` at once each keep the other's new config section.
/// The lock is an `flock` on the folder itself, whose inode, unlike the file's, survives
/// [`write`]'s rename. The folder is created (0700) if missing. Where the file system
/// cannot lock, the update goes ahead unlocked (logged): a lost race beats no write.
pub fn lock_folder_of(path: &Path) -> io::Result<FolderLock> {
    use rustix::fs::{FlockOperation, flock};
    let dir = folder_of(path);
    create_private_dir(&dir)?;
    let locked = fs::File::open(&dir).and_then(|file| {
        loop {
            match flock(&file, FlockOperation::LockExclusive) {
                Ok(()) => return Ok(file),
                Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(io::Error::from(e)),
            }
        }
    });
    match locked {
        Ok(file) => Ok(FolderLock { _dir: Some(file) }),
        Err(e) => {
            log::debug!("could not lock {}: {e}; updating it unlocked", dir.display());
            Ok(FolderLock { _dir: None })
        }
    }
}

/// Creates `dir` and any missing parents, each 0700; an existing folder is left as it is.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn creates_a_private_file_in_private_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a/b/file");
        write(&path, b"one", Mode::Private).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(mode_of(&path), 0o600);
        assert_eq!(mode_of(&tmp.path().join("a")), 0o700);
        assert_eq!(mode_of(&tmp.path().join("a/b")), 0o700);
        assert_eq!(names_in(&tmp.path().join("a/b")), ["file"], "no temp file is left");
    }

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temp_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("file");
        fs::write(&path, "a much longer old content").unwrap();
        let old_inode = std::os::unix::fs::MetadataExt::ino(&fs::metadata(&path).unwrap());
        write(&path, b"new", Mode::Private).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        // A new inode renamed into place, not the old file truncated and rewritten: a
        // reader holding the old file still sees all of the old contents.
        let new_inode = std::os::unix::fs::MetadataExt::ino(&fs::metadata(&path).unwrap());
        assert_ne!(old_inode, new_inode);
        assert_eq!(names_in(tmp.path()), ["file"]);
    }

    #[test]
    fn private_resets_and_keep_existing_keeps_permissions() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("file");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write(&path, b"kept", Mode::KeepExisting).unwrap();
        assert_eq!(mode_of(&path), 0o640);
        write(&path, b"private", Mode::Private).unwrap();
        assert_eq!(mode_of(&path), 0o600);
        let fresh = tmp.path().join("fresh");
        write(&fresh, b"x", Mode::KeepExisting).unwrap();
        assert_eq!(mode_of(&fresh), 0o600);
    }

    #[test]
    fn the_folder_lock_is_exclusive_and_creates_the_folder() {
        use rustix::fs::{FlockOperation, flock};
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("new/config");
        let held = lock_folder_of(&path).unwrap();
        assert_eq!(mode_of(&tmp.path().join("new")), 0o700);
        let other = fs::File::open(tmp.path().join("new")).unwrap();
        assert!(flock(&other, FlockOperation::NonBlockingLockExclusive).is_err(), "held");
        drop(held);
        flock(&other, FlockOperation::NonBlockingLockExclusive).unwrap();
    }

    #[test]
    fn a_write_removes_old_leftovers_of_killed_writers_but_not_fresh_temp_files() {
        let tmp = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - LEFTOVER_AGE * 2;
        for name in [".vault-tmp-old", ".other-old"] {
            fs::File::create(tmp.path().join(name)).unwrap().set_modified(old).unwrap();
        }
        fs::write(tmp.path().join(".vault-tmp-writing"), "").unwrap();
        write(&tmp.path().join("file"), b"new", Mode::Private).unwrap();
        assert_eq!(names_in(tmp.path()), [".other-old", ".vault-tmp-writing", "file"]);
    }

    /// A bare file name (`--config config`) is written beside it, in the
    /// working folder, not in a folder named "" that cannot be opened.
    #[test]
    fn a_bare_file_name_is_written_in_the_working_folder() {
        assert_eq!(folder_of(Path::new("config")), PathBuf::from("."));
        assert_eq!(folder_of(Path::new("a/config")), PathBuf::from("a"));
        assert_eq!(folder_of(Path::new("/config")), PathBuf::from("/"));
    }

    #[test]
    fn a_failed_write_leaves_the_target_and_no_temp_file() {
        let tmp = tempfile::tempdir().unwrap();
        // A folder where the file should go: the rename fails.
        let path = tmp.path().join("taken");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), "keep").unwrap();
        assert!(write(&path, b"new", Mode::Private).is_err());
        assert_eq!(fs::read(path.join("inside")).unwrap(), b"keep");
        assert_eq!(names_in(tmp.path()), ["taken"]);
    }
}
