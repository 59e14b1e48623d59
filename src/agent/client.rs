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
    /// What an agent started on demand gets of the environment, for a
    /// client of [`ensure_running`]; `None`: no agent is started.
    start_env: Option<Vec<(&'static str, String)>>,
}

impl Client {
    pub fn new(env: &Env) -> Result<Self> {
        Ok(Self { socket: socket_path(env)?, start_env: None })
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

    /// Sends one request and reads the answer. A client of
    /// [`ensure_running`] that finds no agent starts one and sends again:
    /// nothing was sent, since there was nothing to connect to.
    pub fn request(&self, request: &Request) -> io::Result<Response> {
        match self.send(request) {
            Err(e)
                if self.start_env.is_some()
                    && matches!(
                        e.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
                    ) =>
            {
                self.start().map_err(|e| io::Error::other(format!("{e:#}")))?;
                self.send(request)
            }
            answer => answer,
        }
    }

    fn send(&self, request: &Request) -> io::Result<Response> {
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

/// A client of the running agent, started on demand (`vault agent
/// --on-demand`) when there is no socket, or by the first request when the
/// socket is a dead agent's: a running agent costs one connection, the
/// request's own. The agent gets a clean environment: nothing the caller
/// holds (a passphrase variable, AWS keys) reaches it.
pub fn ensure_running(env: &Env) -> Result<Client> {
    let start_env = ["HOME", "XDG_RUNTIME_DIR", "PATH"]
        .into_iter()
        .filter_map(|var| Some((var, env.get(var)?.to_owned())))
        .collect();
    let client = Client { start_env: Some(start_env), ..Client::new(env)? };
    // An agent of ours could not use that folder either: say why, once.
    client.check_folder().map_err(anyhow::Error::msg)?;
    if std::fs::symlink_metadata(&client.socket).is_err() {
        client.start()?;
    }
    Ok(client)
}

impl Client {
    /// Starts the agent and waits until it answers.
    fn start(&self) -> Result<()> {
        let exe =
            std::env::current_exe().context("could not find this program to start the agent")?;
        let mut cmd = Command::new(exe);
        cmd.args(["agent", "--on-demand"])
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group: a Ctrl-C at the terminal leaves it running.
            .process_group(0);
        cmd.envs(self.start_env.iter().flatten().map(|(k, v)| (k, v)));
        cmd.spawn().context("could not start the agent")?;
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if self.send(&Request::Status).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        bail!("the agent did not start within {}s", START_TIMEOUT.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead as _, BufReader, Write as _};
    use std::os::unix::fs::PermissionsExt as _;
    use std::os::unix::net::UnixListener;

    use super::*;

    /// An agent that answers every request with `answer` and counts the
    /// connections made before the one that says `end`.
    fn fake_agent(socket: &Path, answer: &'static str) -> std::thread::JoinHandle<usize> {
        let listener = UnixListener::bind(socket).unwrap();
        std::thread::spawn(move || {
            let mut count = 0;
            for conn in listener.incoming() {
                let conn = conn.unwrap();
                let mut line = String::new();
                BufReader::new(&conn).read_line(&mut line).unwrap();
                if line == "end\n" {
                    return count;
                }
                count += 1;
                (&conn).write_all(answer.as_bytes()).unwrap();
            }
            count
        })
    }

    #[test]
    fn a_running_agent_is_unlocked_through_one_connection() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("vault");
        std::fs::create_dir(&folder).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
        let socket = folder.join("agent.sock");
        let agent = fake_agent(&socket, "{\"until\":5}\n");
        let env = Env::from_pairs([("XDG_RUNTIME_DIR", dir.path().to_str().unwrap())]);
        let client = ensure_running(&env).unwrap();
        let until = client.unlock(dir.path(), &Secret::new("pw"), Duration::from_secs(60));
        assert_eq!(until.unwrap(), 5);
        UnixStream::connect(&socket).unwrap().write_all(b"end\n").unwrap();
        assert_eq!(agent.join().unwrap(), 1, "connections to the agent");
    }
}
