//! The agent's credential endpoint for keyless shells: one ECS server on
//! loopback for all of a user's shells. Each shell holds its own token,
//! bound to one profile's credentials, which renew themselves as those of
//! `exec --ecs-server` do (same router, same cache, same worker). Tokens
//! come and go while the server runs; callers of another user are refused
//! whatever token they hold.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, PoisonError, RwLock};

use anyhow::{Context as _, Result};
use subtle::ConstantTimeEq as _;
use tokio::sync::mpsc;
use zeroize::Zeroizing;

use super::ecs::{self, Tokens};
use super::{Source, Started};

/// What a keyless shell's user can do when a renewal needs them (an MFA
/// code, a sign-in): the shell's hook asks on its terminal, and fills the
/// session cache the agent renews from.
const ADVICE: &str = "in a keyless shell, `vault reload` there asks for it, then the agent \
    serves again";

/// One profile's credentials as the endpoint serves them, shared by every
/// token granted for it; the worker stops when the last holder is gone.
#[derive(Clone)]
pub struct Served(Arc<Source>);

impl Served {
    /// Serves what `started` fetched, renewing through its worker. A failed
    /// renewal reaches the client as a 502 naming the cause; nobody else is
    /// told (the agent has no terminal).
    pub fn new(started: &Started) -> Self {
        let (notices, _) = mpsc::unbounded_channel();
        Self(Source::new(started, notices, Some(ADVICE)))
    }
}

#[cfg(test)]
impl Served {
    /// `creds` as they are, with no worker to renew them: for the tests of
    /// the agent's keyless tokens.
    pub fn for_tests(creds: crate::creds::Credentials) -> Self {
        Self(Source::for_tests(creds))
    }
}

/// The live tokens, and who may present them.
pub(super) struct Grants {
    local: SocketAddr,
    uid: u32,
    tokens: RwLock<Vec<(Zeroizing<String>, Served)>>,
}

impl ecs::Grants for Grants {
    /// The credentials `given` is a token for. Every token is compared, in
    /// constant time, so the answer's timing tells nothing about a guess.
    fn find(&self, given: &[u8]) -> Option<Arc<Source>> {
        let tokens = self.tokens.read().unwrap_or_else(PoisonError::into_inner);
        let mut found = None;
        for (token, served) in tokens.iter() {
            if bool::from(given.ct_eq(token.as_bytes())) {
                found = Some(served.0.clone());
            }
        }
        found
    }

    /// Only processes of the agent's own user are served: a token copied
    /// into another account's hands gets nothing.
    fn check_caller(&self, peer: SocketAddr) -> Result<(), String> {
        match super::peer::uid_of(peer, self.local) {
            Some(uid) if uid == self.uid => Ok(()),
            Some(uid) => {
                log::warn!("refused a request from uid {uid}");
                Err("vault: this agent serves only the processes of its own user".to_owned())
            }
            None => Err("vault: could not tell which user is calling; refused".to_owned()),
        }
    }
}

/// The running endpoint. Its port stays the same for the agent's lifetime,
/// so a shell's URI stays valid while its token lives.
pub struct Endpoint {
    url: String,
    grants: Arc<Grants>,
    _runtime: tokio::runtime::Runtime,
}

impl Endpoint {
    /// Binds 127.0.0.1 on a random port and serves from two threads of its own.
    pub fn start() -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("vault-endpoint")
            .enable_all()
            .build()
            .context("could not start the credential endpoint")?;
        let (listener, addr) =
            runtime.block_on(super::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))))?;
        let grants = Arc::new(Grants {
            local: addr,
            uid: rustix::process::getuid().as_raw(),
            tokens: RwLock::new(Vec::new()),
        });
        let app = ecs::router(Tokens::Shared(grants.clone()))
            .into_make_service_with_connect_info::<SocketAddr>();
        runtime.spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                log::warn!("the credential endpoint stopped: {e}");
            }
        });
        log::debug!("serving keyless shells on http://{addr}");
        Ok(Self { url: format!("http://{addr}"), grants, _runtime: runtime })
    }

    /// What shells put in `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A fresh random token that gets `served`'s credentials until revoked.
    pub fn grant(&self, served: &Served) -> String {
        let token = ecs::new_token();
        self.tokens().push((Zeroizing::new(token.clone()), served.clone()));
        token
    }

    /// The credentials `token` gets, while it is live.
    pub fn served_by(&self, token: &str) -> Option<Served> {
        let tokens = self.grants.tokens.read().unwrap_or_else(PoisonError::into_inner);
        tokens.iter().find(|(t, _)| t.as_str() == token).map(|(_, served)| served.clone())
    }

    /// Ends `token`; `false` when it was not live.
    pub fn revoke(&self, token: &str) -> bool {
        let mut tokens = self.tokens();
        let before = tokens.len();
        tokens.retain(|(t, _)| t.as_str() != token);
        tokens.len() != before
    }

    /// Ends every token (`vault lock`, the agent's timeout).
    pub fn revoke_all(&self) {
        self.tokens().clear();
    }

    fn tokens(&self) -> std::sync::RwLockWriteGuard<'_, Vec<(Zeroizing<String>, Served)>> {
        self.grants.tokens.write().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{SECRET, creds};
    use super::*;
    use crate::creds::Secret;

    fn served(key_id: &str) -> Served {
        let mut creds = creds();
        creds.access_key_id = key_id.to_owned();
        creds.secret_access_key = Secret::new(format!("{SECRET}-{key_id}"));
        Served(Source::for_tests(creds))
    }

    async fn get(url: &str, token: &str) -> (u16, String) {
        let url = url.to_owned();
        let token = token.to_owned();
        tokio::task::spawn_blocking(move || {
            use std::io::{Read, Write};
            let addr = url.trim_start_matches("http://");
            let mut conn = std::net::TcpStream::connect(addr).unwrap();
            write!(
                conn,
                "GET / HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut text = String::new();
            conn.read_to_string(&mut text).unwrap();
            let status = text[9..12].parse().unwrap();
            (status, text.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned())
        })
        .await
        .unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn each_token_gets_its_own_profile_and_dies_when_revoked() {
        let endpoint = tokio::task::spawn_blocking(Endpoint::start).await.unwrap().unwrap();
        let (a, b) = (served("ASIAPROFILEA"), served("ASIAPROFILEB"));
        let (ta, tb) = (endpoint.grant(&a), endpoint.grant(&b));
        let ta2 = endpoint.grant(&a);
        assert!(ta != tb && ta != ta2, "a token per grant");
        let (status, body) = get(endpoint.url(), &ta).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("ASIAPROFILEA") && !body.contains("ASIAPROFILEB"), "{body}");
        let (_, body) = get(endpoint.url(), &tb).await;
        assert!(body.contains("ASIAPROFILEB") && !body.contains("ASIAPROFILEA"), "{body}");

        assert!(endpoint.revoke(&ta));
        assert!(!endpoint.revoke(&ta), "already gone");
        let (status, body) = get(endpoint.url(), &ta).await;
        assert_eq!(status, 403);
        assert!(!body.contains("ASIAPROFILE") && !body.contains(SECRET), "{body}");
        assert_eq!(get(endpoint.url(), &ta2).await.0, 200, "the other shell's token lives");
        assert_eq!(get(endpoint.url(), "not-a-token").await.0, 403);

        endpoint.revoke_all();
        assert_eq!(get(endpoint.url(), &tb).await.0, 403);
        assert_eq!(get(endpoint.url(), &ta2).await.0, 403);
        drop(tokio::task::spawn_blocking(move || drop(endpoint)));
    }
}
