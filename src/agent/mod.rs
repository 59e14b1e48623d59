//! The per-user agent that holds the file store's passphrase for a while
//! (`vault unlock`), so commands stop asking, and serves the credentials of
//! keyless shells, as its clients see it: where its socket lives, the line
//! protocol spoken over it (with `wire.rs`, what a keyless shell sends), the
//! settings that steer it, and the client (`client.rs`). The process itself
//! is `crate::agentd`.
//!
//! One JSON request line per connection, one JSON response line back. The
//! socket's folder is 0700 and the agent checks each peer's uid
//! (`SO_PEERCRED`), so only the user who started it can talk to it.

mod client;
mod wire;

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::env::Env;

pub use client::{Client, ensure_running};
pub use wire::{WireSettings, env_for_agent};

/// How long `vault unlock` (and a command that had to ask) keeps the store
/// unlocked unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(8 * 3600);

/// Turns off "a passphrase typed for a command also unlocks the agent".
pub const AUTO_UNLOCK_VAR: &str = "VAULT_AGENT_AUTO_UNLOCK";
/// The default unlock time, as a Go duration (`8h`, `30m`).
pub const TIMEOUT_VAR: &str = "VAULT_AGENT_TIMEOUT";

/// `$XDG_RUNTIME_DIR/vault/agent.sock`, else `~/.awsvault/agent/agent.sock`.
pub fn socket_path(env: &Env) -> Result<PathBuf> {
    let dir = match env.get("XDG_RUNTIME_DIR") {
        Some(dir) => PathBuf::from(dir).join("vault"),
        None => env.home()?.join(".awsvault").join("agent"),
    };
    Ok(dir.join("agent.sock"))
}

/// Why `dir`, the agent's folder, cannot hold what only we may see: not a
/// real folder (a symlink), not ours, or open to others, who could then put
/// their own socket (or page) there or read ours. `None` when it is fine or
/// missing.
pub fn folder_problem(dir: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt as _;
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => return Some(format!("could not check {}: {e}", crate::trust::shown(dir))),
    };
    let problem = if meta.file_type().is_symlink() {
        "is a symlink".to_owned()
    } else if !meta.is_dir() {
        "is not a folder".to_owned()
    } else if meta.uid() != rustix::process::getuid().as_raw() {
        format!("belongs to uid {}", meta.uid())
    } else if meta.mode() & 0o077 != 0 {
        format!("is open to others (mode {:o})", meta.mode() & 0o777)
    } else {
        return None;
    };
    Some(format!(
        "the agent's folder {} {problem}, so a socket there may be another user's: it was not \
         used; remove the folder, or point XDG_RUNTIME_DIR at a folder of yours",
        crate::trust::shown(dir)
    ))
}

/// The unlock time from `VAULT_AGENT_TIMEOUT`, else [`DEFAULT_TIMEOUT`].
pub fn default_timeout(env: &Env) -> Result<Duration> {
    match env.get(TIMEOUT_VAR) {
        Some(text) => {
            crate::duration::parse_duration(text).with_context(|| format!("{TIMEOUT_VAR}: fix it"))
        }
        None => Ok(DEFAULT_TIMEOUT),
    }
}

/// Whether a passphrase typed for a command also unlocks the agent
/// (`VAULT_AGENT_AUTO_UNLOCK=0` or `false` turns it off).
pub fn auto_unlock(env: &Env) -> bool {
    !matches!(env.get(AUTO_UNLOCK_VAR), Some("0" | "false" | "no" | "off"))
}

/// What a client asks. Secrets travel only over the socket, never in argv or
/// the environment. No `Debug`: it would print the passphrase.
#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Hold `passphrase` for the store in `dir` for `timeout_secs`.
    Unlock { dir: PathBuf, passphrase: String, timeout_secs: u64 },
    /// Forget everything now; an agent started on demand then exits.
    Lock,
    /// Which stores are unlocked, and until when.
    Status,
    /// The passphrase of the store in `dir`, to encrypt an item being written.
    Passphrase { dir: PathBuf },
    /// The decrypted content of one item file, from the agent's cache when
    /// the file's modification time and size are unchanged.
    Open { path: PathBuf },
    /// A keyless shell: serve `profile`'s credentials at the agent's
    /// endpoint under a token of the shell's own, for `timeout_secs`,
    /// resolving the profile as `env` and `settings` say. `keep` is the
    /// shell's current token: handed back while it lives for the same
    /// profile and settings, else replaced (the hook then ends it). `shell_pid` is the
    /// shell's process: its token ends when that process does.
    Serve {
        profile: String,
        env: BTreeMap<String, String>,
        settings: WireSettings,
        timeout_secs: u64,
        keep: Option<String>,
        #[serde(default)]
        shell_pid: Option<i32>,
    },
    /// End a keyless shell's token (`unuse`, leaving the directory).
    Revoke { token: String },
    /// Whether a keyless shell's token is live (`vault status`): an error
    /// when it has ended.
    Alive { token: String },
}

/// The answer to a [`Request`]: `error` set on failure ("locked" when the
/// agent holds no passphrase for that store). No `Debug`: `secret` is one.
#[derive(Default, Serialize, Deserialize)]
pub struct Response {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Seconds since the Unix epoch at which the agent forgets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dirs: Vec<PathBuf>,
    /// Where a keyless shell's credentials are served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Response {
    pub(crate) fn error(text: impl Into<String>) -> Self {
        Self { error: Some(text.into()), ..Self::default() }
    }
}

/// The error text of a request for a store the agent holds no passphrase for.
pub const LOCKED: &str = "locked";

/// Reads one line (up to the first newline, or the end) of at most `max`
/// bytes into memory wiped when dropped: a request or an answer may carry
/// a passphrase, and a `BufReader` would keep a copy in a buffer of its own,
/// freed unwiped, as would a `Vec` growing on its own.
pub(crate) fn read_line(mut from: impl Read, max: usize) -> io::Result<Zeroizing<Vec<u8>>> {
    let mut line = Zeroizing::new(Vec::with_capacity(max.min(4096)));
    loop {
        if line.len() == line.capacity() {
            if line.len() >= max {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "the line is too long"));
            }
            // Grown by hand, so the smaller buffer is wiped as it goes.
            let mut bigger = Zeroizing::new(Vec::with_capacity((line.len() * 2).min(max)));
            bigger.extend_from_slice(&line);
            line = bigger;
        }
        let start = line.len();
        let room = line.capacity() - start;
        line.resize(start + room, 0);
        let (n, end_of_input) = match from.read(&mut line[start..]) {
            Ok(n) => (n, n == 0),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => (0, false),
            Err(e) => return Err(e),
        };
        line.truncate(start + n);
        if let Some(end) = line[start..].iter().position(|&b| b == b'\n') {
            line.truncate(start + end);
            return Ok(line);
        }
        if end_of_input {
            return Ok(line);
        }
    }
}

/// The folder an item file belongs to, as the agent keys its passphrases.
pub(crate) fn store_dir(path: &Path) -> Option<&Path> {
    path.parent()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn the_socket_is_under_the_runtime_folder_else_under_awsvault() {
        let with = env(&[("XDG_RUNTIME_DIR", "/run/user/7"), ("HOME", "/h")]);
        assert_eq!(socket_path(&with).unwrap(), Path::new("/run/user/7/vault/agent.sock"));
        let without = env(&[("HOME", "/h")]);
        assert_eq!(socket_path(&without).unwrap(), Path::new("/h/.awsvault/agent/agent.sock"));
    }

    #[test]
    fn settings_read_from_the_environment() {
        assert_eq!(default_timeout(&env(&[])).unwrap(), DEFAULT_TIMEOUT);
        let short = env(&[(TIMEOUT_VAR, "90m")]);
        assert_eq!(default_timeout(&short).unwrap(), Duration::from_secs(5400));
        let bad = format!("{:#}", default_timeout(&env(&[(TIMEOUT_VAR, "soon")])).unwrap_err());
        assert!(bad.contains(TIMEOUT_VAR), "{bad}");
        assert!(auto_unlock(&env(&[])));
        assert!(!auto_unlock(&env(&[(AUTO_UNLOCK_VAR, "0")])));
    }

    #[test]
    fn a_line_is_read_up_to_its_newline_and_no_further_than_the_limit() {
        let long = "x".repeat(10_000);
        let text = format!("{long}\nnext");
        assert_eq!(&read_line(text.as_bytes(), 20_000).unwrap()[..], long.as_bytes());
        assert_eq!(&read_line(&b"no newline"[..], 100).unwrap()[..], b"no newline");
        assert_eq!(&read_line(&b""[..], 100).unwrap()[..], b"");
        let err = read_line(text.as_bytes(), 5000).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        // Read in small pieces, as a socket may hand it over.
        let pieces = io::Read::chain(&b"{\"op\":"[..], &b"\"lock\"}\n"[..]);
        assert_eq!(&read_line(pieces, 100).unwrap()[..], br#"{"op":"lock"}"#);
    }

    #[test]
    fn requests_are_one_json_line_and_responses_omit_what_is_unset() {
        let line = serde_json::to_string(&Request::Open { path: "/k/work".into() }).unwrap();
        assert_eq!(line, r#"{"op":"open","path":"/k/work"}"#);
        let back: Request = serde_json::from_str(r#"{"op":"lock"}"#).unwrap();
        assert!(matches!(back, Request::Lock));
        assert_eq!(
            serde_json::to_string(&Response::error(LOCKED)).unwrap(),
            r#"{"error":"locked"}"#
        );
    }
}
