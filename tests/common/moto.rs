//! A real STS/IAM peer for integration tests: moto's server, run by
//! tests/support/moto_peer.py on 127.0.0.1 and a port the OS picks, with a
//! log of every AWS request so a test can count exactly which actions the
//! code under test called (e.g. that a cached `vault exec` made no STS call).
//!
//! Everything here talks to 127.0.0.1 only: the server binds loopback, the
//! harness's own HTTP calls go to that socket, and the `aws` CLI helper is
//! pinned to the server with `--endpoint-url` and `AWS_ENDPOINT_URL`.
//!
//! Self-contained on purpose (it reads `$VAULT_TEST_PYTHON` itself rather than
//! using `super::python()`), so a test file can include it with `#[path]`.
// Each test binary uses a different part of the harness.
#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long moto may take to import and bind (≈1 s normally; generous for a
/// loaded CI box).
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// moto_peer.py's exit status when `import moto` fails.
const EXIT_NO_MOTO: i32 = 3;

/// One AWS request the server received, as logged by moto_peer.py.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct MotoRequest {
    /// e.g. "GetSessionToken"; "" if the request named no action.
    pub action: String,
    /// Signing service from the SigV4 scope ("sts", "iam", ...), or moto's
    /// guess for unsigned calls, or "unknown".
    pub service: String,
    pub status: u16,
    /// The access key id from the SigV4 credential scope; None if unsigned.
    pub access_key_id: Option<String>,
    /// Query and form parameters, minus the secret ones (see `redacted`).
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Names of parameters that were sent but kept out of the log because
    /// they carry secrets (TokenCode, WebIdentityToken, ...), so a test can
    /// check an MFA code was sent without the log holding it.
    #[serde(default)]
    pub redacted: Vec<String>,
    /// The SHA-256 (hex) of each redacted parameter's value.
    #[serde(default)]
    pub digests: std::collections::BTreeMap<String, String>,
}

impl MotoRequest {
    /// Whether the secret parameter `name` was sent with `value`.
    pub fn sent_secret(&self, name: &str, value: &str) -> bool {
        use sha2::{Digest, Sha256};
        let digest: String =
            Sha256::digest(value.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        self.digests.get(name) == Some(&digest)
    }

    /// A logged parameter's value, if it was sent and is not secret.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(|v| v.as_str())
    }
}

/// A running moto server; killed when dropped.
pub struct Moto {
    child: Child,
    port: u16,
    log: PathBuf,
    stderr: PathBuf,
    /// `Some(n)` in auth mode: `reset` re-arms the n unauthenticated actions.
    initial_no_auth_actions: Option<u32>,
    // Last field so it is removed after the server is gone (fields drop in
    // declaration order, after `Drop::drop` killed the child).
    dir: TempDir,
}

impl Moto {
    /// A fresh server that accepts any credentials (moto's default).
    pub fn start() -> Moto {
        Self::spawn(None)
    }

    /// A server that lets the first `initial_no_auth_actions` actions through
    /// unauthenticated, then checks SigV4 signatures and IAM policies
    /// (moto's `INITIAL_NO_AUTH_ACTION_COUNT`): unknown keys get
    /// InvalidClientTokenId, wrong secrets SignatureDoesNotMatch.
    pub fn start_with_auth(initial_no_auth_actions: u32) -> Moto {
        Self::spawn(Some(initial_no_auth_actions))
    }

    fn spawn(initial_no_auth_actions: Option<u32>) -> Moto {
        let python = python();
        let dir = tempfile::Builder::new().prefix("vault-moto-").tempdir().unwrap();
        let log = dir.path().join("requests.jsonl");
        let ready = dir.path().join("port");
        let stderr = dir.path().join("server.log");
        // Output goes to a file, not a pipe: nobody reads a pipe while the
        // server runs, and a full pipe would block its request logging.
        let out = File::create(&stderr).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/moto_peer.py");

        let mut cmd = Command::new(&python);
        // A clean environment so no AWS_*/MOTO_* setting of the machine leaks
        // into the server; keep only what finding Python itself needs.
        cmd.env_clear();
        for var in ["PATH", "HOME", "PYENV_ROOT", "PYENV_VERSION", "TMPDIR"] {
            if let Some(value) = std::env::var_os(var) {
                cmd.env(var, value);
            }
        }
        cmd.env("PYTHONUNBUFFERED", "1").env("PYTHONDONTWRITEBYTECODE", "1");
        if let Some(n) = initial_no_auth_actions {
            // moto reads it once at import, so it must be in the environment
            // the server starts with.
            cmd.env("INITIAL_NO_AUTH_ACTION_COUNT", n.to_string());
        }
        // What the server hands out is recorded for the secret-leak scan
        // (tests/common/leak_scan.rs), in the folder tests/run.sh scans.
        let secrets = Path::new(env!("CARGO_TARGET_TMPDIR")).join("leak-scan");
        let name = dir.path().file_name().unwrap().to_string_lossy().into_owned();
        cmd.arg(&script)
            .arg("--log")
            .arg(&log)
            .arg("--ready")
            .arg(&ready)
            .arg("--parent-pid")
            .arg(std::process::id().to_string())
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        if fs::create_dir_all(&secrets).is_ok() {
            cmd.arg("--secrets").arg(secrets.join(format!("{name}.secrets")));
        }
        let child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                panic!("{}\n({python}: {e})", no_moto(&python))
            }
            Err(e) => panic!("cannot run {python} {}: {e}", script.display()),
        };
        let mut moto = Moto { child, port: 0, log, stderr, initial_no_auth_actions, dir };
        moto.port = moto.wait_ready(&ready, &python);
        moto
    }

    /// Waits for the port in the ready file. The server writes it once its
    /// socket listens (via a rename, so it is never half-written).
    fn wait_ready(&mut self, ready: &Path, python: &str) -> u16 {
        let started = Instant::now();
        loop {
            if let Ok(text) = fs::read_to_string(ready) {
                return text
                    .trim()
                    .parse()
                    .unwrap_or_else(|e| panic!("bad port {text:?} in {}: {e}", ready.display()));
            }
            // On panic `self` is dropped, which kills the server.
            if let Some(status) = self.child.try_wait().unwrap() {
                if status.code() == Some(EXIT_NO_MOTO) {
                    panic!("{}\n{}", no_moto(python), self.stderr_tail());
                }
                panic!(
                    "moto server exited before it was ready ({status}):\n{}",
                    self.stderr_tail()
                );
            }
            if started.elapsed() > READY_TIMEOUT {
                panic!(
                    "moto server not ready after {} s; its output ends with:\n{}",
                    READY_TIMEOUT.as_secs(),
                    self.stderr_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// "http://127.0.0.1:PORT"
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every AWS request logged so far, oldest first (harness calls to
    /// /moto-api/ are not logged). A request is logged before its response
    /// is sent, so a client that got its answer always finds its line.
    pub fn requests(&self) -> Vec<MotoRequest> {
        let text = match fs::read_to_string(&self.log) {
            Ok(text) => text,
            Err(e) if e.kind() == ErrorKind::NotFound => return Vec::new(),
            Err(e) => panic!("cannot read {}: {e}", self.log.display()),
        };
        text.split_inclusive('\n')
            // A line still being written has no newline yet: not a request yet.
            .filter(|line| line.ends_with('\n'))
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("bad moto log line {line:?}: {e}"))
            })
            .collect()
    }

    /// How many logged requests called `action` (e.g. "GetSessionToken").
    pub fn count(&self, action: &str) -> usize {
        self.requests().iter().filter(|r| r.action == action).count()
    }

    /// Wipes moto's state (users, keys, roles). In auth mode it also re-arms
    /// the initial unauthenticated actions, since the state they created is
    /// gone. The request log is kept: compare counts before and after.
    pub fn reset(&self) {
        self.post("/moto-api/reset", "");
        if let Some(n) = self.initial_no_auth_actions {
            self.post("/moto-api/reset-auth", &n.to_string());
        }
    }

    /// A minimal HTTP/1.1 POST to the server's own socket; panics unless 200.
    fn post(&self, path: &str, body: &str) {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
            .unwrap_or_else(|e| panic!("cannot connect to moto at {addr}: {e}"));
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/plain\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.lines().next().unwrap_or("");
        assert_eq!(
            status.split_whitespace().nth(1),
            Some("200"),
            "POST {path} to moto failed: {response}"
        );
    }

    /// The `aws` CLI (see [`aws_cli`]) aimed at this server with the given
    /// credentials and nothing else from the machine: no ~/.aws files, no
    /// instance metadata, region us-east-1. Add args (and e.g.
    /// AWS_SESSION_TOKEN) before running it.
    pub fn aws_command(&self, access_key_id: &str, secret_access_key: &str) -> Command {
        let home = self.dir.path().join("aws-home");
        fs::create_dir_all(&home).unwrap();
        let mut cmd = Command::new(aws_cli());
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("AWS_CONFIG_FILE", home.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
            .env("AWS_ACCESS_KEY_ID", access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", secret_access_key)
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            // Both: the env var covers any sub-call, the flag covers CLIs too
            // old to honour the env var (Debian's awscli v2).
            .env("AWS_ENDPOINT_URL", self.url())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .args(["--endpoint-url", &self.url()])
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `aws ARGS` against this server (see [`Moto::aws_command`]).
    pub fn aws(&self, access_key_id: &str, secret_access_key: &str, args: &[&str]) -> Output {
        let mut cmd = self.aws_command(access_key_id, secret_access_key);
        cmd.args(args);
        cmd.output().unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e}; run the tests with `bash tests/run.sh`, which installs it",
                aws_cli().display()
            )
        })
    }

    /// The last lines the server printed (werkzeug's access log, tracebacks).
    pub fn stderr_tail(&self) -> String {
        let text = fs::read_to_string(&self.stderr).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        // SIGKILL and reap, so the port is free and no zombie is left. The
        // server also exits by itself if this process dies without dropping.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python that runs the server: `$VAULT_TEST_PYTHON` (tests/run.sh points
/// it at a venv with moto), else `python3`.
fn python() -> String {
    std::env::var("VAULT_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// The `aws` CLI installed beside that Python (pip's awscli v1 in the test
/// venv), or `aws` from PATH when the Python is a bare name.
pub fn aws_cli() -> PathBuf {
    let python = python();
    match Path::new(&python).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join("aws"),
        _ => PathBuf::from("aws"),
    }
}

fn no_moto(python: &str) -> String {
    format!(
        "moto is not installed for {python}; \
         run the tests with `bash tests/run.sh`, which installs it"
    )
}
