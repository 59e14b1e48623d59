//! The agent process (`vault agent`): listens on the per-user socket, checks
//! every peer's uid, holds passphrases and the items it decrypted in memory
//! (page-locked, `locked.rs`) until the timeout or `vault lock`, and forgets
//! them (zeroed) then, with the tokens of keyless shells (`keyless.rs`).

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context as _, Result, bail};
use zeroize::Zeroizing;

use super::keyless::{self, ServeRequest};
use super::locked::Locked;
use super::{Cached, State};
use crate::agent::{LOCKED, Request, Response, store_dir};
use crate::creds::Secret;
use crate::store::jwe::{JweError, Token};

/// A request line is a path or a passphrase: anything longer is not ours.
const MAX_REQUEST: usize = 64 * 1024;
/// A client that connects and says nothing is dropped after this.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// An agent started on demand that is never unlocked goes away after this.
const IDLE_START: Duration = Duration::from_secs(30);

pub struct ServerOptions {
    pub socket: PathBuf,
    /// Started by a command rather than a service manager: exit once locked.
    pub on_demand: bool,
}

pub struct Server {
    listener: UnixListener,
    socket: PathBuf,
    /// (device, inode) of the socket this agent bound, so that exiting never
    /// removes a newer agent's socket.
    socket_id: (u64, u64),
    on_demand: bool,
    state: Arc<Mutex<State>>,
    /// Told once when the agent ends ([`Server::exit`]), so that [`Server::run`]
    /// returns and main ends the process.
    done: mpsc::Sender<()>,
    ended: Mutex<mpsc::Receiver<()>>,
}

/// What the connection does after answering.
#[derive(PartialEq)]
enum After {
    Continue,
    Exit,
}

impl Server {
    /// Makes the socket's folder private, takes over a stale socket left by
    /// a killed agent, and makes this process undumpable so that neither
    /// core files nor same-user debuggers read its memory.
    pub fn bind(opts: ServerOptions) -> Result<Self> {
        let dir = opts.socket.parent().context("the agent socket path has no folder")?;
        ensure_private_dir(dir)?;
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
            .context("could not make the agent undumpable (PR_SET_DUMPABLE)")?;
        let listener = match UnixListener::bind(&opts.socket) {
            Ok(listener) => listener,
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
                if UnixStream::connect(&opts.socket).is_ok() {
                    bail!(
                        "an agent is already running on {}; `vault lock` stops it",
                        opts.socket.display()
                    );
                }
                log::debug!("replacing the stale socket {}", opts.socket.display());
                fs::remove_file(&opts.socket)
                    .with_context(|| format!("could not remove {}", opts.socket.display()))?;
                UnixListener::bind(&opts.socket)
                    .with_context(|| format!("could not listen on {}", opts.socket.display()))?
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("could not listen on {}", opts.socket.display()));
            }
        };
        fs::set_permissions(&opts.socket, fs::Permissions::from_mode(0o600))?;
        let meta = fs::metadata(&opts.socket)?;
        let (done, ended) = mpsc::channel();
        Ok(Self {
            listener,
            socket: opts.socket,
            socket_id: (meta.dev(), meta.ino()),
            on_demand: opts.on_demand,
            state: Arc::new(Mutex::new(State::default())),
            done,
            ended: Mutex::new(ended),
        })
    }

    /// Serves until locked or timed out (on demand), or forever (service);
    /// returns when the agent has ended, for main to end the process.
    pub fn run(self) -> Result<()> {
        let this = Arc::new(self);
        let timer = Arc::clone(&this);
        thread::spawn(move || timer.watch_clock());
        let accept = Arc::clone(&this);
        thread::spawn(move || {
            for conn in accept.listener.incoming() {
                let Ok(conn) = conn else { continue };
                let server = Arc::clone(&accept);
                thread::spawn(move || server.serve(conn));
            }
        });
        let _ = this.ended.lock().unwrap_or_else(PoisonError::into_inner).recv();
        Ok(())
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets when the timeout passes; an agent started on demand then exits.
    /// An agent whose socket was removed or replaced (its folder deleted, a
    /// newer agent) can no longer be reached, so it exits too.
    fn watch_clock(&self) {
        let started = Instant::now();
        loop {
            thread::sleep(Duration::from_millis(100));
            let mut state = self.state();
            if !self.socket_is_ours() {
                log::debug!("the socket is gone: exiting");
                self.exit(state);
            }
            let now = SystemTime::now();
            state.keyless.expire(now);
            match state.until {
                Some(until) if now >= until => {
                    log::debug!("timeout reached: forgetting");
                    state.forget();
                    // Shells that held tokens keep it up (see below).
                    if self.on_demand && state.keyless.is_empty() {
                        self.exit(state);
                    }
                }
                // Keyless shells keep an agent up that was never unlocked
                // (other backends need no unlock) until their tokens end,
                // and one that was locked until they exit: they still name
                // its port.
                None if self.on_demand
                    && started.elapsed() > IDLE_START
                    && state.keyless.is_empty() =>
                {
                    self.exit(state)
                }
                _ => {}
            }
        }
    }

    /// Whether the socket path still names the socket this agent bound.
    fn socket_is_ours(&self) -> bool {
        fs::metadata(&self.socket).is_ok_and(|m| (m.dev(), m.ino()) == self.socket_id)
    }

    /// Wipes every secret, removes this agent's socket, and ends the agent:
    /// [`Server::run`] returns, and main ends the process. This thread keeps
    /// the state locked until then, so nothing is held again meanwhile.
    fn exit(&self, mut state: std::sync::MutexGuard<'_, State>) -> ! {
        state.forget();
        if self.socket_is_ours() {
            let _ = fs::remove_file(&self.socket);
        }
        let _ = self.done.send(());
        loop {
            thread::park();
        }
    }

    fn serve(&self, conn: UnixStream) {
        match rustix::net::sockopt::socket_peercred(&conn) {
            Ok(cred) if cred.uid == rustix::process::getuid() => {}
            Ok(cred) => {
                log::warn!("refused a connection from uid {}", cred.uid.as_raw());
                return;
            }
            Err(e) => {
                log::warn!("refused a connection whose peer is unknown: {e}");
                return;
            }
        }
        let _ = conn.set_read_timeout(Some(IO_TIMEOUT));
        let _ = conn.set_write_timeout(Some(IO_TIMEOUT));
        let Ok(line) = crate::agent::read_line(&conn, MAX_REQUEST) else { return };
        let (response, after) = match serde_json::from_slice::<Request>(&line) {
            Ok(request) => self.handle(request),
            Err(_) => (Response::error("not a request this agent understands"), After::Continue),
        };
        drop(line);
        let mut out = Zeroizing::new(serde_json::to_vec(&response).unwrap_or_default());
        out.push(b'\n');
        let _ = (&conn).write_all(&out);
        drop(response.secret.map(Secret::new));
        if after == After::Exit {
            let _ = conn.shutdown(std::net::Shutdown::Both);
            self.exit(self.state());
        }
    }

    fn handle(&self, request: Request) -> (Response, After) {
        let response = match request {
            Request::Unlock { dir, passphrase, timeout_secs } => {
                let passphrase = Zeroizing::new(passphrase);
                let until = SystemTime::now() + Duration::from_secs(timeout_secs);
                let mut state = self.state();
                state.cache.retain(|path, _| store_dir(path) != Some(dir.as_path()));
                state.stores.insert(dir, Locked::new(passphrase.as_bytes()));
                state.until = Some(until);
                Response { until: Some(epoch_secs(until)), ..Response::default() }
            }
            Request::Lock => {
                let mut state = self.state();
                state.forget();
                // A keyless shell still running names the endpoint's port:
                // the agent stays (answering its 403) until it exits.
                let exit = self.on_demand && state.keyless.is_empty();
                return (Response::default(), if exit { After::Exit } else { After::Continue });
            }
            Request::Status => {
                let state = self.state();
                Response {
                    until: state.until.map(epoch_secs),
                    dirs: state.stores.keys().cloned().collect(),
                    ..Response::default()
                }
            }
            Request::Passphrase { dir } => match self.state().stores.get(&dir) {
                Some(secret) => plaintext_response(secret.bytes()),
                None => Response::error(LOCKED),
            },
            Request::Open { path } => self.open(&path),
            Request::Serve { profile, env, settings, timeout_secs, keep, shell_pid } => {
                keyless::serve(
                    &self.state,
                    ServeRequest { profile, env, settings, timeout_secs, keep, shell_pid },
                )
            }
            Request::Alive { token } => match self.state().keyless.is_live(&token) {
                true => Response::default(),
                false => Response::error("ended"),
            },
            Request::Revoke { token } => {
                self.state().keyless.revoke(&token);
                Response::default()
            }
        };
        (response, After::Continue)
    }

    /// Decrypts an item file with its store's passphrase, or hands back the
    /// plaintext decrypted before if the file is unchanged. The key
    /// derivation runs outside the lock, so one slow file holds up no one.
    fn open(&self, path: &Path) -> Response {
        let Some(dir) = store_dir(path) else { return Response::error("not an item file") };
        // A short-lived copy to decrypt with outside the lock, wiped after.
        let secret = match self.state().stores.get(dir) {
            Some(secret) => Zeroizing::new(secret.bytes().to_vec()),
            None => return Response::error(LOCKED),
        };
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => return Response::error(e.to_string()),
        };
        let (mtime, size) = (meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len());
        if let Some(hit) = self.state().cache.get(path)
            && hit.mtime == mtime
            && hit.size == size
        {
            return plaintext_response(hit.plaintext.bytes());
        }
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => return Response::error(e.to_string()),
        };
        let plaintext = match Token::parse(&text).and_then(|t| t.decrypt(&secret)) {
            Ok(plaintext) => plaintext,
            Err(JweError::WrongKey) => return Response::error("wrong passphrase for this file"),
            Err(e) => return Response::error(e.to_string()),
        };
        let response = plaintext_response(&plaintext);
        let mut state = self.state();
        // Locked (or re-unlocked) meanwhile: keep nothing decrypted with an old passphrase.
        if state.stores.get(dir).is_some_and(|s| s.bytes() == secret.as_slice()) {
            let plaintext = Locked::new(&plaintext);
            state.cache.insert(path.to_path_buf(), Cached { mtime, size, plaintext });
        }
        response
    }
}

/// A held secret as the answer's text (a passphrase always is; an item should be).
fn plaintext_response(plaintext: &[u8]) -> Response {
    match std::str::from_utf8(plaintext) {
        Ok(text) => Response { secret: Some(text.to_owned()), ..Response::default() },
        Err(_) => Response::error("the item is not text"),
    }
}

fn epoch_secs(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Creates the socket's folder 0700, or tightens an existing one of ours;
/// one owned by someone else is refused, since they could swap the socket.
fn ensure_private_dir(dir: &Path) -> Result<()> {
    crate::atomic_write::create_private_dir(dir)
        .with_context(|| format!("could not create {}", dir.display()))?;
    let meta = fs::symlink_metadata(dir)?;
    if !meta.is_dir() || meta.uid() != rustix::process::getuid().as_raw() {
        bail!(
            "{} is not a folder of yours; remove it so the agent can make its own",
            dir.display()
        );
    }
    if meta.mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}
