//! The authorization-code sign-in with PKCE (RFC 7636) and a loopback redirect, what
//! `aws sso login` does when it can open a browser: the browser goes to the OIDC
//! service's `/authorize` with a SHA-256 challenge of a random verifier, the user
//! approves, and the service redirects to `http://127.0.0.1:<port>/oauth/callback`
//! with a code that only the holder of the verifier can exchange for a token.

use std::collections::HashMap;
use std::future::IntoFuture;
use std::net::TcpListener;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot};
use url::Url;

use super::{SignInNotice, SsoSession};
use crate::aws::sso_oidc::{Grant, Registration, SsoOidc, Token};
use crate::creds::Secret;

/// How long the user has to approve in the browser.
const APPROVAL_TIMEOUT: Duration = Duration::from_secs(600);
const CALLBACK_PATH: &str = "/oauth/callback";

/// A listening loopback socket and the redirect URI that reaches it.
pub struct Loopback {
    listener: TcpListener,
    pub redirect_uri: String,
}

impl Loopback {
    pub fn bind() -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").context("could not listen on 127.0.0.1")?;
        let port = listener.local_addr()?.port();
        Ok(Self { listener, redirect_uri: format!("http://127.0.0.1:{port}{CALLBACK_PATH}") })
    }
}

/// A random verifier (43 characters of base64url, 256 bits) and its S256 challenge.
pub fn verifier_and_challenge() -> (Secret, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (Secret::new(verifier), challenge)
}

#[allow(clippy::too_many_arguments)]
pub fn sign_in(
    oidc: &SsoOidc,
    reg: &Registration,
    loopback: Loopback,
    oidc_base: &str,
    session: &SsoSession,
    env: &crate::env::Env,
    notice: &dyn SignInNotice,
) -> Result<Token> {
    let (verifier, challenge) = verifier_and_challenge();
    let mut state_bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut state_bytes);
    let state = URL_SAFE_NO_PAD.encode(state_bytes);
    let mut url = Url::parse(&format!("{}/authorize", oidc_base.trim_end_matches('/')))
        .context("the OIDC endpoint is not a URL")?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &reg.client_id)
        .append_pair("redirect_uri", &loopback.redirect_uri)
        .append_pair("state", &state)
        .append_pair("code_challenge_method", "S256")
        .append_pair("scopes", &session.scopes.join(" "))
        .append_pair("code_challenge", &challenge);
    // Held until the redirect came: the page goes once the browser opened it.
    let page = super::device::open_browser(env, url.as_str());
    // No user code in this flow: the loopback redirect ties the approval to this process.
    notice.show(url.as_str(), None, page.is_some());
    let code = wait_for_code(&loopback, &state)?;
    let grant = Grant::AuthorizationCode {
        code: &code,
        verifier: &verifier,
        redirect_uri: &loopback.redirect_uri,
    };
    Ok(oidc.create_token(reg, grant)?)
}

/// Serves the loopback redirect (with the axum stack the credential servers use) until
/// one carries our `state` and a code. A denial is an error; a request without our
/// state is answered 400, any other path 404, and both are ignored.
fn wait_for_code(loopback: &Loopback, state: &str) -> Result<Secret> {
    let listener = loopback.listener.try_clone()?;
    listener.set_nonblocking(true)?;
    let runtime = crate::aws::runtime()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let (tx, mut rx) = mpsc::channel(1);
        let app = Router::new()
            .route(CALLBACK_PATH, get(callback))
            .with_state(Callback { state: state.to_owned(), tx });
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .into_future(),
        );
        let outcome = tokio::time::timeout(APPROVAL_TIMEOUT, rx.recv()).await;
        // Let the browser get its answer page before the socket closes.
        let _ = stop.send(());
        let _ = tokio::time::timeout(Duration::from_secs(2), server).await;
        match outcome {
            Ok(Some(Ok(code))) => Ok(code),
            Ok(Some(Err(error))) => bail!("the sign-in was denied in the browser ({error})"),
            Ok(None) => bail!("the loopback redirect stopped"),
            Err(_) => bail!("the sign-in was not approved in the browser in time; try again"),
        }
    })
}

#[derive(Clone)]
struct Callback {
    state: String,
    /// The code, or the `error` the service redirected with.
    tx: mpsc::Sender<Result<Secret, String>>,
}

async fn callback(State(cb): State<Callback>, uri: Uri) -> (StatusCode, &'static str) {
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).into_owned().collect();
    if query.get("state") != Some(&cb.state) {
        return (StatusCode::BAD_REQUEST, "this sign-in was not started here");
    }
    if let Some(error) = query.get("error") {
        let _ = cb.tx.try_send(Err(error.clone()));
        return (StatusCode::OK, "The sign-in was denied. You can close this tab.");
    }
    match query.get("code") {
        Some(code) => {
            let _ = cb.tx.try_send(Ok(Secret::new(code.clone())));
            (StatusCode::OK, "Signed in to vault. You can close this tab.")
        }
        None => (StatusCode::BAD_REQUEST, "no code"),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::net::TcpStream;

    use super::*;

    #[test]
    fn the_challenge_is_the_s256_of_the_verifier() {
        let (verifier, challenge) = verifier_and_challenge();
        assert_eq!(verifier.expose().len(), 43);
        let expected = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()));
        assert_eq!(challenge, expected);
        assert_ne!(verifier_and_challenge().0, verifier);
    }

    #[test]
    fn only_the_redirect_with_our_state_gives_a_code() {
        let loopback = Loopback::bind().unwrap();
        let uri = loopback.redirect_uri.clone();
        let client = std::thread::spawn(move || {
            let get = |target: &str| {
                let mut s = TcpStream::connect(
                    uri.trim_start_matches("http://").split('/').next().unwrap(),
                )
                .unwrap();
                write!(s, "GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
                let mut text = String::new();
                std::io::Read::read_to_string(&mut s, &mut text).unwrap();
                text
            };
            let wrong = get("/oauth/callback?code=c1&state=other");
            let favicon = get("/favicon.ico");
            let right = get("/oauth/callback?code=c2&state=ours");
            (wrong, favicon, right)
        });
        let code = wait_for_code(&loopback, "ours").unwrap();
        assert_eq!(code.expose(), "c2");
        let (wrong, favicon, right) = client.join().unwrap();
        assert!(wrong.starts_with("HTTP/1.1 400"), "{wrong}");
        assert!(favicon.starts_with("HTTP/1.1 404"), "{favicon}");
        assert!(right.contains("Signed in"), "{right}");
    }
}
