//! The credential servers of `exec --ecs-server` and `exec --ec2-server`:
//! a local HTTP server (axum on tokio) that hands the command renewing
//! credentials instead of putting keys in its environment, the checks that
//! keep other callers out, and running the command beside it.

mod cache;
pub mod child;
mod ec2;
mod ecs;
mod peer;
mod shared;
mod worker;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::mpsc;

use crate::config::ProfileConfig;
use crate::sts::{Plan, Step};
use cache::{Entry, Failure, Renewing};
pub use shared::{Endpoint, Served};
pub use worker::{Started, Worker};

/// The EC2 instance metadata address SDKs use when nothing else is set.
pub const EC2_METADATA_ADDR: SocketAddr =
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254)), 80);
/// The IPv6 one (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`).
const EC2_METADATA_ADDR_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254);

/// After a failed renewal, how long requests get its error before the next
/// STS attempt.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// Which server to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ECS container credentials on 127.0.0.1, a random port and token.
    Ecs,
    /// EC2 instance metadata on `addr`: IMDSv2 only, as AWS recommends,
    /// unless `imdsv1` also allows plain GETs for old SDKs.
    Ec2 { addr: SocketAddr, imdsv1: bool },
}

/// The EC2 server may listen on loopback or on the metadata address itself
/// (an alias on `lo`): anywhere else it would be reachable from the network.
pub fn check_ec2_addr(addr: SocketAddr) -> Result<()> {
    let ip = addr.ip().to_canonical();
    if ip.is_loopback() || ip == EC2_METADATA_ADDR.ip() || ip == IpAddr::V6(EC2_METADATA_ADDR_V6) {
        return Ok(());
    }
    bail!(
        "--ec2-server-addr {addr} is neither a loopback address nor 169.254.169.254; \
         use e.g. 127.0.0.1:9099, or the default with the loopback alias (see the README)"
    )
}

/// The first MFA device a renewal would have to ask a code for on the
/// terminal, which it cannot do while the command runs: `None` when the
/// profile needs no MFA or gets codes from `mfa_process`.
pub fn mfa_needing_a_prompt<'a>(config: &ProfileConfig, plan: &'a Plan) -> Option<&'a str> {
    if config.mfa_process.is_some() {
        return None;
    }
    plan.steps.iter().find_map(|step| match step {
        Step::SessionToken(s) => s.mfa_serial.as_deref(),
        Step::AssumeRole(r) => r.mfa_serial.as_deref(),
    })
}

/// Where the server's credentials come from: the profile's own, cached and
/// renewed, and those of the roles clients asked for by ARN.
struct Source {
    worker: Worker,
    base: Arc<Renewing>,
    roles: Mutex<HashMap<String, Arc<Renewing>>>,
    min_ttl: chrono::Duration,
    /// Failed renewals, for `exec` to tell the user on stderr.
    notices: mpsc::UnboundedSender<String>,
    /// The last failure told, so that an outage is told once, not once a
    /// second.
    last_notice: Mutex<Option<Failure>>,
    /// Added to every failure a client is answered: what its user can do
    /// that the server cannot (the agent has no terminal to ask on).
    advice: Option<&'static str>,
}

impl Source {
    fn new(
        started: &Started,
        notices: mpsc::UnboundedSender<String>,
        advice: Option<&'static str>,
    ) -> Arc<Self> {
        let min_ttl = started.min_ttl;
        let base = Renewing::new(min_ttl, RETRY_AFTER);
        if let Some(creds) = &started.initial {
            base.seed(creds.clone());
        }
        Arc::new(Self {
            worker: started.worker.clone(),
            base,
            roles: Mutex::new(HashMap::new()),
            min_ttl,
            notices,
            last_notice: Mutex::new(None),
            advice,
        })
    }

    async fn base(self: &Arc<Self>) -> Result<Arc<Entry>, Failure> {
        self.renewed_base().await.map_err(|failure| self.advise(failure))
    }

    /// The base credentials, a failure without the advice (a role adds it).
    async fn renewed_base(self: &Arc<Self>) -> Result<Arc<Entry>, Failure> {
        if let Some(entry) = self.base.fresh() {
            return Ok(entry);
        }
        let this = self.clone();
        self.base
            .get(move || async move {
                let result = this.worker.base().await;
                this.report("renewed the credentials", &result);
                result
            })
            .await
    }

    fn advise(&self, failure: Failure) -> Failure {
        match self.advice {
            Some(advice) => format!("{failure}; {advice}").into(),
            None => failure,
        }
    }

    async fn role(self: &Arc<Self>, arn: &str) -> Result<Arc<Entry>, Failure> {
        let cache = {
            let mut roles = self.roles.lock().unwrap_or_else(PoisonError::into_inner);
            roles
                .entry(arn.to_owned())
                .or_insert_with(|| Renewing::new(self.min_ttl, RETRY_AFTER))
                .clone()
        };
        if let Some(entry) = cache.fresh() {
            return Ok(entry);
        }
        let (this, arn) = (self.clone(), arn.to_owned());
        cache
            .get(move || async move {
                let base = this.renewed_base().await?.creds.clone();
                let result = this.worker.role(arn.clone(), base).await;
                this.report(&format!("assumed role {arn}"), &result);
                result
            })
            .await
            .map_err(|failure| self.advise(failure))
    }

    /// A source already holding `creds`, whose worker is gone: any renewal
    /// fails.
    #[cfg(test)]
    fn for_tests(creds: crate::creds::Credentials) -> Arc<Self> {
        let (notices, _) = mpsc::unbounded_channel();
        let base = Renewing::new(chrono::Duration::minutes(5), RETRY_AFTER);
        base.seed(creds);
        Arc::new(Self {
            worker: Worker::stopped(),
            base,
            roles: Mutex::new(HashMap::new()),
            min_ttl: chrono::Duration::minutes(5),
            notices,
            last_notice: Mutex::new(None),
            advice: None,
        })
    }

    fn report<T>(&self, done: &str, result: &Result<T, Failure>) {
        let mut last = self.last_notice.lock().unwrap_or_else(PoisonError::into_inner);
        match result {
            Ok(_) => {
                log::debug!("{done}");
                *last = None;
            }
            Err(failure) if last.as_ref() != Some(failure) => {
                let _ = self.notices.send(failure.to_string());
                *last = Some(failure.clone());
            }
            Err(_) => {}
        }
    }
}

/// A server bound and running; it stops when this is dropped.
pub struct Running {
    /// What the command needs in its environment to find the server.
    pub child_env: Vec<(&'static str, String)>,
    /// Variables to remove, so the command's SDK looks where we serve.
    pub child_env_removed: &'static [&'static str],
    pub notices: mpsc::UnboundedReceiver<String>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds the server and starts serving; must run inside the tokio runtime.
pub async fn start(kind: Kind, started: &Started) -> Result<Running> {
    let (notices_tx, notices) = mpsc::unbounded_channel();
    let source = Source::new(started, notices_tx, None);
    let (listener, addr) = match kind {
        Kind::Ecs => bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?,
        Kind::Ec2 { addr, .. } => bind(addr).await?,
    };
    let (router, child_env, child_env_removed) = match kind {
        Kind::Ecs => {
            let token = ecs::new_token();
            let env = vec![
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("http://{addr}")),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", token.clone()),
            ];
            (ecs::router(ecs::Tokens::One { token, source }), env, ecs::CLEARED)
        }
        Kind::Ec2 { imdsv1, .. } => {
            let mut env = Vec::new();
            if addr != EC2_METADATA_ADDR {
                env.push(("AWS_EC2_METADATA_SERVICE_ENDPOINT", format!("http://{addr}/")));
            }
            let owner = Some(rustix::process::getuid().as_raw());
            (ec2::router(source, addr, started.region.clone(), imdsv1, owner), env, ec2::CLEARED)
        }
    };
    log::debug!("serving credentials on http://{addr}");
    let router = if log::log_enabled!(log::Level::Debug) {
        router.layer(axum::middleware::from_fn(log_request))
    } else {
        router
    };
    let app = router.into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            log::debug!("the credential server stopped: {e}");
        }
    });
    Ok(Running { child_env, child_env_removed, notices, task })
}

type Listener = axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)>;

async fn bind(addr: SocketAddr) -> Result<(Listener, SocketAddr)> {
    use std::io::ErrorKind;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        let what = match e.kind() {
            ErrorKind::AddrNotAvailable => format!(
                "{} is not an address of this machine; add it to lo first, as root: \
                 `ip addr add {}/24 dev lo label lo:0`, or choose a loopback address with \
                 --ec2-server-addr",
                addr.ip(),
                addr.ip()
            ),
            ErrorKind::PermissionDenied => format!(
                "port {} needs privileges; allow vault to bind it, as root: \
                 `setcap cap_net_bind_service=+ep {}`, or choose a port above 1023 with \
                 --ec2-server-addr",
                addr.port(),
                std::env::current_exe().map_or("vault".into(), |p| p.display().to_string())
            ),
            ErrorKind::AddrInUse => "something already listens there (another `vault exec \
                 --ec2-server`?); stop it, or choose another address with --ec2-server-addr"
                .to_owned(),
            _ => e.to_string(),
        };
        anyhow::anyhow!("could not listen on {addr}: {what}")
    })?;
    let bound = listener.local_addr().context("could not read the listening address")?;
    // Small responses on a keep-alive connection: without NODELAY each would
    // wait for the client's delayed ACK.
    let nodelay: fn(&mut tokio::net::TcpStream) = |tcp| {
        let _ = tcp.set_nodelay(true);
    };
    Ok((axum::serve::ListenerExt::tap_io(listener, nodelay), bound))
}

/// `--debug`: one line per request, never a header (they carry tokens).
async fn log_request(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let response = next.run(req).await;
    log::debug!("{method} {path} -> {}", response.status().as_u16());
    response
}

/// Whether a caller is on this machine: loopback, or the listen address
/// itself, which is the source address the kernel picks when a local
/// process connects to an address on `lo` such as 169.254.169.254.
fn is_local_caller(peer: IpAddr, listen: IpAddr) -> bool {
    let peer = peer.to_canonical();
    peer.is_loopback() || peer == listen.to_canonical()
}

fn json_response(status: StatusCode, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// ECS-style error: `{"Message": "..."}`.
fn message(status: StatusCode, text: &str) -> Response {
    let body = serde_json::json!({ "Message": text }).to_string();
    json_response(status, Bytes::from(body))
}

/// An STS failure: the upstream call failed, this server did not.
fn bad_gateway(failure: &Failure) -> Response {
    message(StatusCode::BAD_GATEWAY, failure)
}

/// Driving a router in memory, with a chosen caller address, no socket.
#[cfg(test)]
pub(super) mod test_support {
    use std::net::SocketAddr;

    use axum::Router;
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt as _;

    use crate::creds::{Credentials, Secret};

    pub const SECRET: &str = "SERVED-SECRET-KEY";
    pub const SESSION_TOKEN: &str = "SERVED-SESSION-TOKEN";

    pub fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIASERVED".to_owned(),
            secret_access_key: Secret::new(SECRET),
            session_token: Some(Secret::new(SESSION_TOKEN)),
            expiration: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
        }
    }

    /// `method path` from `peer` with `headers`: (status, body).
    pub async fn call(
        router: &Router,
        peer: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, String, axum::http::HeaderMap) {
        let mut req = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let peer: SocketAddr = peer.parse().unwrap();
        let req = req.extension(ConnectInfo(peer)).body(Body::empty()).unwrap();
        let response = router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap(), headers)
    }

    /// A refusal must not carry anything of the credentials.
    pub fn assert_nothing_leaks(body: &str) {
        for secret in [SECRET, SESSION_TOKEN, "ASIASERVED"] {
            assert!(!body.contains(secret), "{secret} leaked: {body}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_and_the_metadata_address_are_listen_addresses() {
        for ok in [
            "127.0.0.1:9099",
            "127.0.0.2:0",
            "[::1]:80",
            "169.254.169.254:80",
            "[fd00:ec2::254]:80",
        ] {
            assert!(check_ec2_addr(ok.parse().unwrap()).is_ok(), "{ok}");
        }
        for bad in ["0.0.0.0:80", "192.168.1.10:80", "[::]:80", "169.254.169.253:80"] {
            let err = check_ec2_addr(bad.parse().unwrap()).unwrap_err().to_string();
            assert!(err.contains("loopback") && !err.contains('\n'), "{err}");
        }
    }

    #[tokio::test]
    async fn listen_errors_say_what_to_do() {
        // TEST-NET-1 is never a local address: binding fails without any
        // packet being sent, as it would for 169.254.169.254 without the alias.
        let err = bind("192.0.2.1:80".parse().unwrap()).await.err().unwrap().to_string();
        assert!(err.contains("ip addr add 192.0.2.1/24 dev lo"), "{err}");
        assert!(err.contains("--ec2-server-addr") && !err.contains('\n'), "{err}");

        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let err = bind(taken.local_addr().unwrap()).await.err().unwrap().to_string();
        assert!(err.contains("already listens") && !err.contains('\n'), "{err}");

        let (_, addr) = bind("127.0.0.2:0".parse().unwrap()).await.unwrap();
        assert_eq!(addr.ip().to_string(), "127.0.0.2");
        assert_ne!(addr.port(), 0, "the port the OS chose");
    }

    /// The advice ends a failure once, whether the role or its base failed.
    #[tokio::test]
    async fn a_failure_carries_the_advice_once() {
        let (notices, _) = mpsc::unbounded_channel();
        let source = Arc::new(Source {
            worker: Worker::stopped(),
            base: Renewing::new(chrono::Duration::minutes(5), RETRY_AFTER),
            roles: Mutex::new(HashMap::new()),
            min_ttl: chrono::Duration::minutes(5),
            notices,
            last_notice: Mutex::new(None),
            advice: Some("ask again"),
        });
        let base = source.base().await.err().unwrap();
        let role = source.role("arn:aws:iam::123456789012:role/r").await.err().unwrap();
        for failure in [base, role] {
            assert!(failure.ends_with("; ask again"), "{failure}");
            assert_eq!(failure.matches("ask again").count(), 1, "{failure}");
        }
    }

    #[test]
    fn local_callers_are_loopback_or_the_listen_address() {
        let metadata = EC2_METADATA_ADDR.ip();
        let local = |peer: &str, listen: IpAddr| is_local_caller(peer.parse().unwrap(), listen);
        assert!(local("127.0.0.1", metadata));
        assert!(local("127.5.6.7", "127.0.0.2".parse().unwrap()));
        assert!(local("::1", metadata));
        assert!(local("::ffff:127.0.0.1", metadata), "IPv4-mapped loopback");
        assert!(local("169.254.169.254", metadata), "a local process calling the alias on lo");
        assert!(!local("10.0.0.5", metadata));
        assert!(!local("169.254.169.1", metadata), "a neighbour on the link");
        assert!(!local("192.168.1.10", "127.0.0.1".parse().unwrap()));
    }
}
