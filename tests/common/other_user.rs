//! A second local user for the tests of what another account on the same
//! machine can get (argv through /proc, loopback ports, sockets in shared
//! folders): a throwaway account made with `useradd` and removed after,
//! whose processes are started with `setpriv`. Making one needs root, which
//! CI has; elsewhere the test is skipped with the reason printed, and under
//! `VAULT_TEST_REQUIRE_PEERS=1` (tests/run.sh) it fails instead.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::peers;

pub struct OtherUser {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

impl OtherUser {
    /// A fresh account, or `None` (the test returns) when none can be made.
    pub fn create() -> Option<Self> {
        let root = rustix_uid() == 0;
        let problem = if !root {
            Some("making a second user needs root".to_owned())
        } else {
            ["useradd", "userdel", "setpriv"]
                .iter()
                .find(|p| peers::on_path(p).is_none() && !Path::new("/usr/sbin").join(p).exists())
                .map(|p| format!("{p} is not installed"))
        };
        let fix = "run the tests as root (as CI does) with useradd (Debian: passwd) and setpriv \
                   (util-linux) installed";
        if !peers::require_usable(problem.as_deref(), fix) {
            return None;
        }
        let name = format!("vt{:x}", std::process::id() ^ rand_bits());
        let name = name[..name.len().min(30)].to_owned();
        // useradd takes a lock on /etc/passwd: tests running at once retry.
        let started = Instant::now();
        loop {
            let out = Command::new("useradd")
                .args(["--no-create-home", "--home-dir", "/nonexistent", "--user-group"])
                .args(["--shell", "/usr/sbin/nologin", &name])
                .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .output()
                .expect("useradd runs");
            if out.status.success() {
                break;
            }
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            assert!(started.elapsed() < Duration::from_secs(30), "useradd {name}: {err}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let id = |flag: &str| -> u32 {
            let out = Command::new("id").args([flag, &name]).output().unwrap();
            String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
        };
        let (uid, gid) = (id("-u"), id("-g"));
        assert_ne!(uid, 0);
        Some(Self { name, uid, gid })
    }

    /// `program` run as this user, with a clean environment but PATH.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new("setpriv");
        cmd.arg(format!("--reuid={}", self.uid))
            .arg(format!("--regid={}", self.gid))
            .args(["--clear-groups", "--"])
            .arg(program)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", "/nonexistent")
            .current_dir("/");
        cmd
    }

    /// The setpriv words that run a command as this user, for a script.
    pub fn setpriv(&self) -> String {
        format!("setpriv --reuid={} --regid={} --clear-groups --", self.uid, self.gid)
    }
}

impl Drop for OtherUser {
    fn drop(&mut self) {
        // --force: a process of the test's still ending does not keep it.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            let out = Command::new("userdel")
                .args(["--force", &self.name])
                .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .output();
            if out.is_ok_and(|o| o.status.success()) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn rustix_uid() -> u32 {
    // The tests do not link rustix: `id -u` says it.
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(u32::MAX)
}

fn rand_bits() -> u32 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    nanos.subsec_nanos() ^ (nanos.as_secs() as u32).rotate_left(7)
}
