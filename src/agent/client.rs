//! Talking to the agent: one request per connection. Every failure to reach
//! it (no socket, a dead agent, one killed mid-answer) reads as "no agent",
//! so a command falls back to asking as it would without one.

use std::io::{self, Write};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use zeroize::Zeroizing;

use super::{Request, Response, WireSettings, socket_path};
use crate::creds::Secret;
use crate::env::Env;
use crate::trust::shown;

/// A warm request answers in microseconds; a cold one runs one key
/// derivation. Longer than this means the agent is stuck.
const IO_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer read: an item the agent decrypted.
const MAX_RESPONSE: usize = 16 << 20;
/// How long a freshly started agent gets to open its socket.
const START_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct Client {
    socket: PathBuf,
}

impl Client {
    pub fn new(env: &Env) -> Result<Self> {
        Ok(Self { socket: socket_path(env)? })
    }

    /// Whether the socket's folder can be trusted: a real folder (not a
    /// symlink) of ours that no one else can enter. Anyone who can write to
    /// it could put their own socket there and receive what we send (an
    /// unlock's passphrase) or answer with their own credentials: a shared
    /// `XDG_RUNTIME_DIR`, a `/tmp`-style fallback, one kept across `su`.
    pub fn check_folder(&self) -> Result<(), String> {
        match self.socket.parent().and_then(super::folder_problem) {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Connects to the agent, if it is ours: the folder checked first, the
    /// peer's uid (`SO_PEERCRED`) after. Anything else is "no agent", and
    /// the user is told once why.
    fn connect(&self) -> io::Result<UnixStream> {
        if let Err(problem) = self.check_folder() {
            crate::warnings::warn(problem.clone());
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, problem));
        }
        let conn = UnixStream::connect(&self.socket)?;
        let me = rustix::process::getuid();
        match rustix::net::sockopt::socket_peercred(&conn) {
            Ok(cred) if cred.uid == me => Ok(conn),
            peer => {
                let who = match peer {
                    Ok(cred) => format!("uid {}", cred.uid.as_raw()),
                    Err(e) => format!("an unknown user ({e})"),
                };
                let problem = format!(
                    "the agent socket {} is served by {who}, not by you: it was not used; \
                     remove it, or point XDG_RUNTIME_DIR at a folder of yours",
                    shown(&self.socket)
                );
                crate::warnings::warn(problem.clone());
                Err(io::Error::new(io::ErrorKind::PermissionDenied, problem))
            }
        }
    }

    /// Sends one request and reads the answer.
    pub fn request(&self, request: &Request) -> io::Result<Response> {
        let mut conn = self.connect()?;
        conn.set_read_timeout(Some(IO_TIMEOUT))?;
        conn.set_write_timeout(Some(IO_TIMEOUT))?;
        let mut out = Zeroizing::new(serde_json::to_vec(request)?);
        out.push(b'\n');
        // A broken pipe here is the agent hanging up (it refuses other
        // users): say so in those words.
        conn.write_all(&out).map_err(|e| match e.kind() {
            io::ErrorKind::BrokenPipe => {
                io::Error::new(io::ErrorKind::ConnectionReset, "the agent hung up")
            }
            _ => e,
        })?;
        let line = super::read_line(&conn, MAX_RESPONSE)?;
        if line.is_empty() {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the agent hung up"));
        }
        Ok(serde_json::from_slice(&line)?)
    }

    /// The agent's status, `None` when no agent answers.
    pub fn status(&self) -> Option<Response> {
        self.request(&Request::Status).ok()
    }

    /// The passphrase the agent holds for the store in `dir`, if unlocked.
    pub fn passphrase(&self, dir: &Path) -> Option<Secret> {
        let dir = std::path::absolute(dir).ok()?;
        let response = self.request(&Request::Passphrase { dir }).ok()?;
        response.secret.map(Secret::new)
    }

    /// An item file decrypted by the agent (from its cache when unchanged).
    pub fn open(&self, path: &Path) -> Option<Zeroizing<Vec<u8>>> {
        let path = std::path::absolute(path).ok()?;
        match self.request(&Request::Open { path }) {
            Ok(Response { secret: Some(text), .. }) => Some(Zeroizing::new(text.into_bytes())),
            Ok(Response { error, .. }) => {
                log::debug!("the agent did not open the item: {}", error.unwrap_or_default());
                None
            }
            Err(e) => {
                log::debug!("no agent: {e}");
                None
            }
        }
    }

    /// Hands the passphrase of the store in `dir` to the agent; returns when
    /// it will forget (seconds since the epoch).
    pub fn unlock(&self, dir: &Path, passphrase: &Secret, timeout: Duration) -> Result<i64> {
        let dir = std::path::absolute(dir)?;
        let request = Request::Unlock {
            dir,
            passphrase: passphrase.expose().to_owned(),
            timeout_secs: timeout.as_secs().max(1),
        };
        let response = self.request(&request).context("the agent did not answer")?;
        let Request::Unlock { passphrase, .. } = request else { unreachable!() };
        drop(Secret::new(passphrase));
        if let Some(error) = response.error {
            bail!("the agent refused: {error}");
        }
        Ok(response.until.unwrap_or_default())
    }

    /// Asks for a keyless shell's token for `profile` (see
    /// [`Request::Serve`]): `(url, token)`.
    pub fn serve(
        &self,
        profile: &str,
        env: &Env,
        settings: WireSettings,
        timeout: Duration,
        keep: Option<&str>,
    ) -> Result<(String, Secret)> {
        let request = Request::Serve {
            profile: profile.to_owned(),
            env: super::env_for_agent(env),
            settings,
            timeout_secs: timeout.as_secs().max(1),
            keep: keep.map(str::to_owned),
            // The hook passes its shell's pid ($$): our own parent may be
            // a subshell that is gone as soon as we answer.
            shell_pid: env.get("__VAULT_PID").and_then(|pid| pid.parse().ok()),
        };
        let response = self.request(&request).context("the agent did not answer")?;
        if let Request::Serve { env, .. } = request {
            // It may hold the file store's passphrase.
            drop(env.into_values().map(Secret::new).collect::<Vec<_>>());
        }
        match response {
            Response { secret: Some(token), url: Some(url), .. } => Ok((url, Secret::new(token))),
            Response { error, .. } => {
                bail!("{}", error.unwrap_or_else(|| "the agent gave no token".to_owned()))
            }
        }
    }

    /// Whether the agent still serves `token`; `None` when no agent answers.
    pub fn is_live(&self, token: &str) -> Option<bool> {
        let response = self.request(&Request::Alive { token: token.to_owned() }).ok()?;
        Some(response.error.is_none())
    }

    /// Ends a keyless shell's token. Best effort: no agent means no token.
    pub fn revoke(&self, token: &str) {
        if let Err(e) = self.request(&Request::Revoke { token: token.to_owned() }) {
            log::debug!("no agent to end the token: {e}");
        }
    }

    /// Tells the agent to forget; `false` when no agent was running (or
    /// none of ours: a socket refused by [`Client::connect`], which warned).
    pub fn lock(&self) -> Result<bool> {
        match self.request(&Request::Lock) {
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound
                        | io::ErrorKind::ConnectionRefused
                        | io::ErrorKind::PermissionDenied
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e).context("could not reach the agent"),
        }
    }
}

/// The running agent, started on demand (`vault agent --on-demand`) when
/// none answers. It gets a clean environment: nothing the caller holds
/// (a passphrase variable, AWS keys) reaches it.
pub fn ensure_running(env: &Env) -> Result<Client> {
    let client = Client::new(env)?;
    // An agent of ours could not use that folder either: say why, once.
    client.check_folder().map_err(anyhow::Error::msg)?;
    if client.status().is_some() {
        return Ok(client);
    }
    let exe = std::env::current_exe().context("could not find this program to start the agent")?;
    let mut cmd = Command::new(exe);
    cmd.args(["agent", "--on-demand"])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group: a Ctrl-C at the terminal leaves it running.
        .process_group(0);
    for var in ["HOME", "XDG_RUNTIME_DIR", "PATH"] {
        if let Some(value) = env.get(var) {
            cmd.env(var, value);
        }
    }
    cmd.spawn().context("could not start the agent")?;
    let started = Instant::now();
    while started.elapsed() < START_TIMEOUT {
        if client.status().is_some() {
            return Ok(client);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    bail!("the agent did not start within {}s", START_TIMEOUT.as_secs())
}
