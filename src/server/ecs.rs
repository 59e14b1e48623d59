//! The ECS container-credentials server (`exec --ecs-server`, `-s`, and the
//! agent's endpoint for keyless shells): what the AWS SDKs ask when
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI` is set, guarded by a random token in
//! the `Authorization` header that picks whose credentials are served.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, Extension, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use subtle::ConstantTimeEq as _;

use super::{Source, bad_gateway, is_local_caller, json_response, message};

/// Variables that would make an SDK look elsewhere than `FULL_URI` with our
/// token: the SDKs prefer the relative URI and the token file when set.
pub const CLEARED: &[&str] =
    &["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"];

/// Who may ask, and for what.
pub(super) enum Tokens {
    /// `exec --ecs-server`: one token for one command.
    One { token: String, source: Arc<Source> },
    /// The agent's endpoint: a token per shell, each bound to one profile's
    /// credentials, and only callers of the agent's own user.
    Shared(Arc<dyn Grants>),
}

/// The agent's live tokens as the router checks them (`shared.rs` keeps
/// them): the credentials a token gets, and whether a caller may ask at all.
pub(super) trait Grants: Send + Sync {
    /// The credentials `given` is a token for.
    fn find(&self, given: &[u8]) -> Option<Arc<Source>>;
    /// `Err` with the refusal's text when `peer` may not be served.
    fn check_caller(&self, peer: SocketAddr) -> Result<(), String>;
}

/// A fresh token per run: 30 random bytes, base64url, as aws-vault makes it.
pub fn new_token() -> String {
    let mut bytes = [0u8; 30];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(super) fn router(tokens: Tokens) -> Router {
    let state = Arc::new(tokens);
    Router::new()
        .route("/", get(base))
        .route("/role-arn/{*arn}", get(role))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state, authorize))
}

/// Every path, known or not, needs the token, so an unauthenticated caller
/// learns nothing, not even which paths exist.
async fn authorize(
    State(tokens): State<Arc<Tokens>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut req: Request,
    next: Next,
) -> Response {
    // Bound to 127.0.0.1, so any caller is local; checked anyway, cheaply.
    if !is_local_caller(peer.ip(), std::net::Ipv4Addr::LOCALHOST.into()) {
        return message(StatusCode::FORBIDDEN, "vault: only local callers are served");
    }
    let given = req.headers().get(header::AUTHORIZATION).map(|v| v.as_bytes());
    let source = match (&*tokens, given) {
        (_, None) => None,
        // Constant time: the comparison must not tell how much of a guess was right.
        (Tokens::One { token, source }, Some(given)) => {
            bool::from(given.ct_eq(token.as_bytes())).then(|| source.clone())
        }
        (Tokens::Shared(grants), Some(given)) => {
            if let Err(refusal) = grants.check_caller(peer) {
                return message(StatusCode::FORBIDDEN, &refusal);
            }
            grants.find(given)
        }
    };
    let Some(source) = source else {
        let text = match &*tokens {
            Tokens::One { .. } => {
                "vault: the Authorization header must hold this server's token \
                 (AWS_CONTAINER_AUTHORIZATION_TOKEN)"
            }
            Tokens::Shared(_) => {
                "vault: the Authorization header holds no live token of this agent \
                 (AWS_CONTAINER_AUTHORIZATION_TOKEN); a shell's token ends with `vault unuse`, \
                 leaving its directory, `vault lock` and the agent's timeout: \
                 `vault reload` in the shell gets a new one"
            }
        };
        return message(StatusCode::FORBIDDEN, text);
    };
    req.extensions_mut().insert(source);
    next.run(req).await
}

/// `GET /`: the profile's credentials.
async fn base(Extension(source): Extension<Arc<Source>>) -> Response {
    match source.base().await {
        Ok(entry) => json_response(StatusCode::OK, entry.ecs_body.clone()),
        Err(failure) => bad_gateway(&failure),
    }
}

/// `GET /role-arn/<arn>`: credentials for another role, assumed with the
/// profile's credentials and cached per role.
async fn role(Extension(source): Extension<Arc<Source>>, Path(arn): Path<String>) -> Response {
    if !arn.starts_with("arn:") {
        return message(StatusCode::BAD_REQUEST, "vault: expected /role-arn/arn:aws:iam::...");
    }
    match source.role(&arn).await {
        Ok(entry) => json_response(StatusCode::OK, entry.ecs_body.clone()),
        Err(failure) => bad_gateway(&failure),
    }
}

async fn not_found() -> Response {
    message(StatusCode::NOT_FOUND, "vault: not found; the credentials are at / and /role-arn/<arn>")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{assert_nothing_leaks, call, creds};
    use super::*;

    const TOKEN: &str = "c2VjcmV0LXRva2VuLWZvci10aGUtZWNzLXNlcnZlcg";

    fn server() -> Router {
        router(Tokens::One { token: TOKEN.to_owned(), source: Source::for_tests(creds()) })
    }

    #[tokio::test]
    async fn the_right_token_gets_the_ecs_credentials() {
        let (status, body, headers) =
            call(&server(), "127.0.0.1:50000", "GET", "/", &[("Authorization", TOKEN)]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(headers["content-type"], "application/json");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["AccessKeyId"], "ASIASERVED");
        assert_eq!(json["Token"], super::super::test_support::SESSION_TOKEN);
    }

    #[tokio::test]
    async fn anything_but_the_exact_token_is_refused_on_every_path() {
        let server = server();
        let lower = TOKEN.to_lowercase();
        let upper = TOKEN.to_uppercase();
        let bearer = format!("Bearer {TOKEN}");
        let longer = format!("{TOKEN}x");
        let wrong: [&[(&str, &str)]; 7] = [
            &[],
            &[("Authorization", "")],
            &[("Authorization", "wrong")],
            &[("Authorization", &lower)],
            &[("Authorization", &upper)],
            &[("Authorization", &bearer)],
            &[("Authorization", &longer)],
        ];
        for headers in wrong {
            for path in ["/", "/role-arn/arn:aws:iam::1:role/r", "/nope"] {
                let (status, body, _) =
                    call(&server, "127.0.0.1:50000", "GET", path, headers).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?} {path}");
                let json: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert!(json["Message"].as_str().unwrap().starts_with("vault: "), "{body}");
                assert_nothing_leaks(&body);
                assert!(!body.contains(TOKEN), "the token leaked: {body}");
            }
        }
    }

    #[tokio::test]
    async fn a_caller_from_elsewhere_is_refused_even_with_the_token() {
        let (status, body, _) =
            call(&server(), "192.168.1.20:50000", "GET", "/", &[("Authorization", TOKEN)]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_nothing_leaks(&body);
    }

    #[tokio::test]
    async fn a_failed_role_is_a_bad_gateway_with_a_message() {
        // The test source's worker is gone, so the AssumeRole cannot happen.
        let (status, body, _) = call(
            &server(),
            "127.0.0.1:50000",
            "GET",
            "/role-arn/arn:aws:iam::123456789012:role/x",
            &[("Authorization", TOKEN)],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(json["Message"].as_str().unwrap().contains("credential thread stopped"), "{body}");
        assert_nothing_leaks(&body);
        let (status, _, _) = call(
            &server(),
            "127.0.0.1:50000",
            "GET",
            "/role-arn/oops",
            &[("Authorization", TOKEN)],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn tokens_are_forty_url_safe_characters_and_fresh_each_time() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 40);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{a}");
        assert_ne!(a, b);
    }
}
