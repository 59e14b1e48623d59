//! The EC2 instance-metadata emulation (`exec --ec2-server`): the routes
//! aws-vault serves, behind IMDSv2 session tokens from the first request
//! (plain IMDSv1 GETs only with `--ec2-server-imdsv1`), for local callers only and
//! only under the listen address as Host, which defeats DNS rebinding (a web
//! page whose name resolves to this address still sends its own name), and
//! for the processes of vault's own user only.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore as _;
use sha2::Sha256;

use super::{Source, is_local_caller, json_response};

/// Variables that would send an SDK elsewhere than the metadata service, or
/// stop it from asking.
pub const CLEARED: &[&str] = &[
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_V1_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
];

/// The role name the credentials are listed under, as aws-vault names it.
const ROLE_NAME: &str = "local-credentials";
const TOKEN_PATH: &str = "/latest/api/token";
const TTL_HEADER: HeaderName = HeaderName::from_static("x-aws-ec2-metadata-token-ttl-seconds");
const TOKEN_HEADER: HeaderName = HeaderName::from_static("x-aws-ec2-metadata-token");
/// EC2's limit on a session token's life: six hours.
const MAX_TOKEN_TTL: u64 = 21_600;

type HmacSha256 = Hmac<Sha256>;

struct Ec2 {
    source: Arc<Source>,
    listen: SocketAddr,
    /// The Host values a request may carry: the listen address, and on port
    /// 80 also the bare IP.
    hosts: Vec<String>,
    region: String,
    tokens: TokenKey,
    /// The only user whose processes are served (`None` in unit tests,
    /// whose callers are made up): on loopback every local user could ask.
    owner: Option<u32>,
    /// Whether every GET needs a token, as on an instance that requires
    /// IMDSv2: from the start, unless IMDSv1 is allowed; then from the first
    /// token request on.
    v2_required: AtomicBool,
}

pub(super) fn router(
    source: Arc<Source>,
    listen: SocketAddr,
    region: String,
    imdsv1: bool,
    owner: Option<u32>,
) -> Router {
    let mut hosts = vec![listen.to_string()];
    if listen.port() == 80 {
        hosts.push(match listen {
            SocketAddr::V4(v4) => v4.ip().to_string(),
            SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
        });
    }
    let state = Arc::new(Ec2 {
        source,
        listen,
        hosts,
        region,
        tokens: TokenKey::random(),
        owner,
        v2_required: AtomicBool::new(!imdsv1),
    });
    let credentials = "/latest/meta-data/iam/security-credentials";
    Router::new()
        .route(TOKEN_PATH, put(new_token))
        .route(credentials, get(role_name))
        .route(&format!("{credentials}/"), get(role_name))
        .route(&format!("{credentials}/{ROLE_NAME}"), get(role_credentials))
        .route("/latest/meta-data/instance-id", get(instance_id))
        .route("/latest/meta-data/instance-id/", get(instance_id))
        .route("/latest/meta-data/iam/info", get(info))
        .route("/latest/meta-data/iam/info/", get(info))
        .route("/latest/dynamic/instance-identity/document", get(identity_document))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// The checks every request passes, in order: a local caller, the right
/// Host, and a valid session token where one is needed.
async fn guard(
    State(ec2): State<Arc<Ec2>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    if !is_local_caller(peer.ip(), ec2.listen.ip()) {
        return text(StatusCode::FORBIDDEN, "vault: only local callers are served");
    }
    if let Some(owner) = ec2.owner {
        // TCP has no SO_PEERCRED: the kernel's socket table says whose the
        // caller's socket is, as for the agent's endpoint.
        match super::peer::uid_of(peer, ec2.listen) {
            Some(uid) if uid == owner => {}
            Some(uid) => {
                log::warn!("refused a request from uid {uid}");
                return text(
                    StatusCode::FORBIDDEN,
                    "vault: this server serves only the processes of its own user",
                );
            }
            None => {
                return text(
                    StatusCode::FORBIDDEN,
                    "vault: could not tell which user is calling; refused",
                );
            }
        }
    }
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if !host.is_some_and(|host| ec2.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))) {
        return text(StatusCode::FORBIDDEN, "vault: the Host header does not name this server");
    }
    if req.uri().path() != TOKEN_PATH {
        match req.headers().get(TOKEN_HEADER) {
            Some(token) if !ec2.tokens.is_valid(token.as_bytes(), now()) => {
                log::debug!("IMDSv2 token refused");
                return text(StatusCode::UNAUTHORIZED, "vault: invalid or expired token");
            }
            Some(_) => log::debug!("IMDSv2 token accepted"),
            None if ec2.v2_required.load(Ordering::Relaxed) => {
                return text(
                    StatusCode::UNAUTHORIZED,
                    "vault: an IMDSv2 session token is required (PUT /latest/api/token); \
                     for an SDK that speaks only IMDSv1, run vault exec with --ec2-server-imdsv1",
                );
            }
            None => {}
        }
    }
    next.run(req).await
}

/// `PUT /latest/api/token`: an IMDSv2 session token for the TTL asked.
async fn new_token(State(ec2): State<Arc<Ec2>>, headers: HeaderMap) -> Response {
    // As EC2 does: a request that went through a proxy gets no token, which
    // keeps tokens from leaking to wherever a misconfigured proxy forwards.
    if headers.contains_key("x-forwarded-for") {
        return text(StatusCode::FORBIDDEN, "vault: requests through a proxy get no token");
    }
    let ttl = headers
        .get(TTL_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|ttl| (1..=MAX_TOKEN_TTL).contains(ttl));
    let Some(ttl) = ttl else {
        return text(
            StatusCode::BAD_REQUEST,
            "vault: X-aws-ec2-metadata-token-ttl-seconds must be 1 to 21600",
        );
    };
    ec2.v2_required.store(true, Ordering::Relaxed);
    let token = ec2.tokens.issue(now() + ttl);
    let mut response = token.into_response();
    response.headers_mut().insert(TTL_HEADER, HeaderValue::from(ttl));
    response
}

async fn role_name() -> &'static str {
    ROLE_NAME
}

async fn role_credentials(State(ec2): State<Arc<Ec2>>) -> Response {
    match ec2.source.base().await {
        Ok(entry) => json_response(StatusCode::OK, entry.ec2_body.clone()),
        // aws-vault answers 504 here; the message is EC2's error shape.
        Err(failure) => text(StatusCode::BAD_GATEWAY, &failure),
    }
}

async fn instance_id() -> &'static str {
    "aws-vault"
}

async fn info() -> Response {
    json_response(StatusCode::OK, Bytes::from_static(br#"{"Code" : "Success"}"#))
}

async fn identity_document(State(ec2): State<Arc<Ec2>>) -> Response {
    let body = serde_json::json!({ "region": ec2.region }).to_string();
    json_response(StatusCode::OK, Bytes::from(body))
}

async fn not_found() -> Response {
    text(StatusCode::NOT_FOUND, "vault: not found")
}

fn text(status: StatusCode, message: &str) -> Response {
    (status, message.to_owned()).into_response()
}

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0)
}

/// Signs session tokens, so they need no table: a token is its expiry time
/// and an HMAC of it under a key that lives only as long as this server.
struct TokenKey([u8; 32]);

impl TokenKey {
    fn random() -> Self {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Self(key)
    }

    fn mac(&self) -> HmacSha256 {
        HmacSha256::new_from_slice(&self.0).expect("HMAC takes keys of any length")
    }

    fn issue(&self, expires: u64) -> String {
        let mut mac = self.mac();
        mac.update(&expires.to_be_bytes());
        let mut token = expires.to_be_bytes().to_vec();
        token.extend_from_slice(&mac.finalize().into_bytes());
        URL_SAFE_NO_PAD.encode(token)
    }

    fn is_valid(&self, token: &[u8], now: u64) -> bool {
        let Ok(raw) = URL_SAFE_NO_PAD.decode(token) else { return false };
        let Some((expires, tag)) = raw.split_first_chunk::<8>() else { return false };
        let mut mac = self.mac();
        mac.update(expires);
        // verify_slice compares in constant time.
        mac.verify_slice(tag).is_ok() && u64::from_be_bytes(*expires) > now
    }
}

impl Drop for TokenKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{assert_nothing_leaks, call, creds};
    use super::*;

    const LOCAL: &str = "127.0.0.1:40000";
    const CREDS: &str = "/latest/meta-data/iam/security-credentials/local-credentials";

    /// A server that also answers IMDSv1 (`--ec2-server-imdsv1`).
    fn server(listen: &str) -> Router {
        router(
            Source::for_tests(creds()),
            listen.parse().unwrap(),
            "eu-west-1".to_owned(),
            true,
            None,
        )
    }

    #[tokio::test]
    async fn imdsv2_is_required_from_the_first_request_by_default() {
        let s = router(
            Source::for_tests(creds()),
            "127.0.0.2:9099".parse().unwrap(),
            "x".into(),
            false,
            None,
        );
        let host = ("Host", "127.0.0.2:9099");
        for path in [CREDS, "/latest/meta-data/iam/security-credentials/", "/latest/x"] {
            let (status, body, _) = call(&s, LOCAL, "GET", path, &[host]).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {body}");
            assert!(body.contains("--ec2-server-imdsv1"), "{body}");
            assert_nothing_leaks(&body);
        }
        let ask = [host, ("X-aws-ec2-metadata-token-ttl-seconds", "60")];
        let (status, token, _) = call(&s, LOCAL, "PUT", TOKEN_PATH, &ask).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body, _) =
            call(&s, LOCAL, "GET", CREDS, &[host, ("X-aws-ec2-metadata-token", &token)]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("ASIASERVED"));
    }

    #[tokio::test]
    async fn imdsv1_routes_as_aws_vault_serves_them() {
        let s = server("127.0.0.2:9099");
        let host = [("Host", "127.0.0.2:9099")];
        let get = |path: &'static str| call(&s, LOCAL, "GET", path, &host);
        let (status, body, _) = get("/latest/meta-data/iam/security-credentials/").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "local-credentials"));
        let (status, body, _) = get(CREDS).await;
        assert_eq!(status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (json["Code"].as_str(), json["Type"].as_str()),
            (Some("Success"), Some("AWS-HMAC"))
        );
        assert_eq!(json["AccessKeyId"], "ASIASERVED");
        let (_, body, _) = get("/latest/meta-data/instance-id/").await;
        assert_eq!(body, "aws-vault");
        let (_, body, _) = get("/latest/meta-data/iam/info/").await;
        assert!(body.contains("Success"));
        let (_, body, _) = get("/latest/dynamic/instance-identity/document").await;
        assert_eq!(body, r#"{"region":"eu-west-1"}"#);
        let (status, _, _) = get("/latest/user-data").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn imdsv2_tokens_are_required_once_one_was_issued() {
        let s = server("127.0.0.2:9099");
        let host = ("Host", "127.0.0.2:9099");
        let (status, _, _) = call(&s, LOCAL, "PUT", TOKEN_PATH, &[host]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "the TTL header is required");
        for bad in ["0", "21601", "-5", "soon"] {
            let headers = [host, ("X-aws-ec2-metadata-token-ttl-seconds", bad)];
            let (status, _, _) = call(&s, LOCAL, "PUT", TOKEN_PATH, &headers).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        }
        let proxied =
            [host, ("X-aws-ec2-metadata-token-ttl-seconds", "60"), ("X-Forwarded-For", "1.2.3.4")];
        let (status, body, _) = call(&s, LOCAL, "PUT", TOKEN_PATH, &proxied).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        // Still IMDSv1 until a token was handed out.
        assert_eq!(call(&s, LOCAL, "GET", CREDS, &[host]).await.0, StatusCode::OK);

        let ask = [host, ("X-aws-ec2-metadata-token-ttl-seconds", "21600")];
        let (status, token, headers) = call(&s, LOCAL, "PUT", TOKEN_PATH, &ask).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["x-aws-ec2-metadata-token-ttl-seconds"], "21600");
        let (status, body, _) = call(&s, LOCAL, "GET", CREDS, &[host]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "v1 is over once v2 was used");
        assert_nothing_leaks(&body);
        let (status, body, _) =
            call(&s, LOCAL, "GET", CREDS, &[host, ("X-aws-ec2-metadata-token", "forged")]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_nothing_leaks(&body);
        let (status, body, _) =
            call(&s, LOCAL, "GET", CREDS, &[host, ("X-aws-ec2-metadata-token", &token)]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("ASIASERVED"));
        // Another server's token is worthless here.
        let other = server("127.0.0.2:9099");
        let (status, _, _) =
            call(&other, LOCAL, "GET", CREDS, &[host, ("X-aws-ec2-metadata-token", &token)]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    #[tokio::test]
    async fn callers_from_elsewhere_are_refused() {
        let s = server("169.254.169.254:80");
        let host = [("Host", "169.254.169.254")];
        for peer in ["10.0.0.7:5000", "169.254.169.1:5000", "[2001:db8::1]:5000"] {
            for (method, path) in [("GET", CREDS), ("PUT", TOKEN_PATH), ("GET", "/x")] {
                let (status, body, _) = call(&s, peer, method, path, &host).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{peer} {path}");
                assert_nothing_leaks(&body);
            }
        }
        // A local process reaching the alias on lo has the alias as source.
        for peer in ["169.254.169.254:5000", "127.0.0.1:5000"] {
            assert_eq!(call(&s, peer, "GET", CREDS, &host).await.0, StatusCode::OK, "{peer}");
        }
    }

    #[tokio::test]
    async fn only_the_listen_address_is_accepted_as_host() {
        let s = server("169.254.169.254:80");
        for host in ["169.254.169.254", "169.254.169.254:80"] {
            assert_eq!(call(&s, LOCAL, "GET", CREDS, &[("Host", host)]).await.0, StatusCode::OK);
        }
        let foreign =
            ["evil.example", "evil.example:80", "169.254.169.254:8080", "localhost", "127.0.0.1"];
        for host in foreign {
            let (status, body, _) = call(&s, LOCAL, "GET", CREDS, &[("Host", host)]).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{host}");
            assert_nothing_leaks(&body);
        }
        assert_eq!(call(&s, LOCAL, "GET", CREDS, &[]).await.0, StatusCode::FORBIDDEN, "no Host");
        // Off port 80 the port is part of the name.
        let s = server("127.0.0.2:9099");
        assert_eq!(
            call(&s, LOCAL, "GET", CREDS, &[("Host", "127.0.0.2")]).await.0,
            StatusCode::FORBIDDEN
        );
        let v6 = server("[::1]:80");
        assert_eq!(
            call(&v6, "[::1]:5000", "GET", CREDS, &[("Host", "[::1]")]).await.0,
            StatusCode::OK
        );
    }

    #[test]
    fn tokens_are_signed_and_expire() {
        let key = TokenKey::random();
        let token = key.issue(1_000);
        assert!(key.is_valid(token.as_bytes(), 999));
        assert!(!key.is_valid(token.as_bytes(), 1_000), "expired");
        assert!(!TokenKey::random().is_valid(token.as_bytes(), 999), "another server's");
        // A later expiry with the old signature is refused.
        let mut raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
        raw[7] ^= 0xff;
        assert!(!key.is_valid(URL_SAFE_NO_PAD.encode(&raw).as_bytes(), 999));
        for junk in ["", "!!!", "AAAA", &token[..20]] {
            assert!(!key.is_valid(junk.as_bytes(), 0), "{junk:?}");
        }
    }
}
