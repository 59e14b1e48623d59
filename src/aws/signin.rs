//! Signing a browser in to the AWS console (`login`), as AWS documents it
//! for custom identity brokers: credentials the console accepts (a role
//! session as it is, an IAM user's keys through `GetFederationToken`), the
//! sign-in token from the federation endpoint, and the login URL. Sign-in
//! tokens and URLs are secrets: they are never logged or put in an error.

use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;
use url::Url;
use zeroize::Zeroizing;

use super::endpoint::{BadFederationEndpoint, console_host, federation_endpoint};
use super::sts::Sts;
use crate::creds::{Credentials, Secret};
use crate::env::Env;

/// What `GetFederationToken` is asked for (aws-vault's policy): AWS grants
/// the intersection with the IAM user's own permissions, so the console
/// session can do what the user can, and no more.
pub const ALLOW_ALL_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// The limits AWS puts on a console session's `SessionDuration`.
const MIN_SESSION: Duration = Duration::from_secs(900);
const MAX_SESSION: Duration = Duration::from_secs(43_200);

/// `Issuer` in the login URL: who sent the user to the console.
const ISSUER: &str = "vault";

#[derive(Debug, thiserror::Error)]
pub enum SigninError {
    #[error(transparent)]
    Endpoint(#[from] BadFederationEndpoint),
    #[error(
        "could not get a console sign-in token from {endpoint}: {reason}; check the network and try again"
    )]
    Request { endpoint: String, reason: String },
    #[error(
        "AWS signs in to the console with temporary credentials only, and these are long-term \
         keys; sign in through a role or a federation token"
    )]
    LongTermKeys,
    #[error(
        "the federation endpoint {endpoint} refused to issue a sign-in token (HTTP {status}){hint}"
    )]
    Refused { endpoint: String, status: u16, hint: &'static str },
}

/// The console page to land on: `path` (e.g. `s3/home`) in `region`'s
/// console, or the console's home page.
pub fn destination(region: Option<&str>, path: Option<&str>) -> String {
    let console = console_host(region);
    let path = path.map(|p| p.trim_start_matches('/')).filter(|p| !p.is_empty());
    match region {
        None => format!("https://{console}/{}", path.unwrap_or("")),
        Some(region) => {
            let path = path.unwrap_or("console/home");
            let sep = if path.contains('?') { '&' } else { '?' };
            format!("https://{region}.{console}/{path}{sep}region={region}")
        }
    }
}

/// The federated user name for `GetFederationToken`, from the caller's ARN:
/// the IAM user name (or `root`), cut to the 32 characters AWS accepts and
/// kept to the characters it accepts.
pub fn federation_name(arn: &str) -> String {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
    let base = match resource.strip_prefix("user/") {
        Some(path) => path.rsplit('/').next().unwrap_or(""),
        None if resource == "root" => "root",
        None => "",
    };
    let mut name: String = base
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(*c))
        .take(32)
        .collect();
    if name.len() < 2 {
        // AWS wants 2 to 32 characters.
        name = format!("vault-{name}");
    }
    name
}

/// What kind of principal an ARN from `GetCallerIdentity` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// A role session (AssumeRole*, SSO): usable for the console as it is.
    Role,
    /// Already federation credentials: usable as they are.
    FederatedUser,
    /// An IAM user or the root user: needs `GetFederationToken`.
    User,
}

pub fn caller_kind(arn: &str) -> Caller {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
    if resource.starts_with("assumed-role/") {
        Caller::Role
    } else if resource.starts_with("federated-user/") {
        Caller::FederatedUser
    } else {
        Caller::User
    }
}

/// The console session length to ask for with role credentials: what is
/// left of them, within AWS's 15-minute to 12-hour range, so the console
/// never outlives the credentials it was made from.
pub fn session_duration(creds: &Credentials, now: chrono::DateTime<chrono::Utc>) -> Duration {
    let left = match creds.expiration {
        // Already expired reads as zero: the shortest session AWS allows.
        Some(exp) => {
            (exp - now).to_std().map_or(Duration::ZERO, |d| Duration::from_secs(d.as_secs()))
        }
        None => MAX_SESSION,
    };
    left.clamp(MIN_SESSION, MAX_SESSION)
}

/// Credentials the console accepts, with the session length to ask for.
pub struct ConsoleCredentials {
    pub creds: Credentials,
    /// None for federation tokens, whose own duration is the session's.
    pub session_duration: Option<Duration>,
    /// Made with `sts:GetFederationToken` from an IAM user's keys, which
    /// takes no MFA.
    pub federation_token: bool,
}

impl ConsoleCredentials {
    /// A role session, for what is left of it.
    pub fn role(creds: Credentials) -> Self {
        let d = session_duration(&creds, chrono::Utc::now());
        Self { creds, session_duration: Some(d), federation_token: false }
    }
}

/// Where the credentials for the console came from, for messages.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// `vault login PROFILE` (or `$AWS_PROFILE`).
    Profile(&'a str),
    /// The environment's AWS_ACCESS_KEY_ID...; inside `vault exec` the
    /// profile it ran with (AWS_VAULT).
    Environment { exec_profile: Option<&'a str> },
}

impl Origin<'_> {
    fn label(&self) -> String {
        match self {
            Origin::Profile(p) => format!("profile \"{p}\""),
            Origin::Environment { exec_profile: Some(p) } => {
                format!("profile \"{p}\" (from `vault exec`, AWS_VAULT)")
            }
            Origin::Environment { exec_profile: None } => {
                "the credentials in the environment".to_owned()
            }
        }
    }

    /// What to do when these are an IAM user's session credentials.
    fn session_hint(&self) -> String {
        match self {
            Origin::Profile(_) => {
                "store the keys with `vault add`, or sign in through a role profile".to_owned()
            }
            Origin::Environment { exec_profile: Some(p) } => format!(
                "leave the `vault exec` shell and run `vault login {p}`, which signs the user in \
                 from its stored keys (--federation-token-ttl sets how long), or sign in through \
                 a role profile"
            ),
            Origin::Environment { exec_profile: None } => {
                "set the user's long-term keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or \
                 sign in through a role profile"
                    .to_owned()
            }
        }
    }
}

/// Role and federated-user credentials go to the console as they are; an IAM
/// user's keys (or root's) are first turned into a federation token lasting
/// `federation_duration`. `origin` names the credentials in errors.
pub fn console_credentials(
    sts: &Sts,
    origin: Origin<'_>,
    creds: Credentials,
    federation_duration: Duration,
) -> Result<ConsoleCredentials> {
    let label = origin.label();
    let who = sts
        .get_caller_identity(&creds)
        .with_context(|| format!("could not tell whose credentials {label} has"))?;
    Ok(match caller_kind(&who.arn) {
        Caller::Role => ConsoleCredentials::role(creds),
        Caller::FederatedUser => {
            ConsoleCredentials { creds, session_duration: None, federation_token: false }
        }
        Caller::User => ConsoleCredentials {
            creds: federation_token(sts, origin, &creds, &who.arn, federation_duration)?,
            session_duration: None,
            federation_token: true,
        },
    })
}

/// `sts:GetFederationToken` for an IAM user (or root), named after the user.
fn federation_token(
    sts: &Sts,
    origin: Origin<'_>,
    creds: &Credentials,
    arn: &str,
    duration: Duration,
) -> Result<Credentials> {
    let label = origin.label();
    if creds.session_token.is_some() {
        bail!(
            "{label} gives session credentials of an IAM user, and AWS signs IAM users in to the \
             console only from their long-term keys (sts:GetFederationToken); {}",
            origin.session_hint()
        );
    }
    let name = federation_name(arn);
    sts.get_federation_token(creds, &name, duration, ALLOW_ALL_POLICY)
        .with_context(|| format!("could not get a console session for {label}"))
}

#[derive(Deserialize)]
struct SigninResponse {
    #[serde(rename = "SigninToken")]
    signin_token: String,
}

/// `GET <endpoint>?Action=getSigninToken&SessionDuration=N&Session=<JSON>`,
/// as AWS documents it; `session_duration` only for role credentials (AWS
/// rejects it for federation tokens, whose own duration is the session's).
pub fn signin_token(
    endpoint: &Url,
    creds: &Credentials,
    session_duration: Option<Duration>,
) -> Result<Secret, SigninError> {
    let fail = |reason: String| SigninError::Request { endpoint: endpoint.to_string(), reason };
    let Some(token) = &creds.session_token else {
        return Err(SigninError::LongTermKeys);
    };
    let session = Zeroizing::new(
        serde_json::json!({
            "sessionId": creds.access_key_id,
            "sessionKey": creds.secret_access_key.expose(),
            "sessionToken": token.expose(),
        })
        .to_string(),
    );
    let mut url = endpoint.clone();
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("Action", "getSigninToken");
        if let Some(d) = session_duration {
            query.append_pair("SessionDuration", &d.as_secs().to_string());
        }
        query.append_pair("Session", &session);
    }
    let url = Zeroizing::new(String::from(url));

    log::debug!("requesting a console sign-in token from {endpoint}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        // The query holds credentials: never let a redirect take it elsewhere.
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("vault/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(url.as_str()).call().map_err(|e| fail(http_reason(&e)))?;
    let status = response.status().as_u16();
    if status != 200 {
        let hint = match status {
            400 | 401 | 403 => {
                "; AWS accepts only role sessions and federation tokens for the console, \
                 and no longer than they are valid"
            }
            _ => "; try again later",
        };
        return Err(SigninError::Refused { endpoint: endpoint.to_string(), status, hint });
    }
    let body = Zeroizing::new(
        response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .map_err(|e| fail(http_reason(&e)))?,
    );
    let parsed: SigninResponse = serde_json::from_str(&body)
        .map_err(|_| fail("the answer is not JSON with a SigninToken".to_owned()))?;
    Ok(Secret::new(parsed.signin_token))
}

/// Why an HTTP exchange failed, from the parts of ureq's error that cannot
/// hold the request URL (which carries credentials).
fn http_reason(err: &ureq::Error) -> String {
    match err {
        ureq::Error::Io(e) => e.to_string(),
        ureq::Error::Timeout(_) => "timed out".to_owned(),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::Tls(reason) => format!("TLS: {reason}"),
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            "it answered with a redirect".to_owned()
        }
        ureq::Error::BodyExceedsLimit(_) => "its answer is too large".to_owned(),
        _ => "the HTTP exchange failed".to_owned(),
    }
}

/// `<endpoint>?Action=login&Issuer=vault&Destination=...&SigninToken=...`:
/// opening it signs the browser in. Valid for 15 minutes, and a secret.
pub fn login_url(endpoint: &Url, destination: &str, token: &Secret) -> Secret {
    let mut url = endpoint.clone();
    url.query_pairs_mut()
        .append_pair("Action", "login")
        .append_pair("Issuer", ISSUER)
        .append_pair("Destination", destination)
        .append_pair("SigninToken", token.expose());
    Secret::new(String::from(url))
}

/// The URL that signs a browser in to `region`'s console at `path` (or its
/// home page): a sign-in token from the partition's federation endpoint (or
/// `VAULT_FEDERATION_ENDPOINT`), wrapped in a login URL.
pub fn sign_in_url(
    env: &Env,
    region: Option<&str>,
    path: Option<&str>,
    console: &ConsoleCredentials,
) -> Result<Secret, SigninError> {
    let endpoint = federation_endpoint(env, region)?;
    let token = signin_token(&endpoint, &console.creds, console.session_duration)?;
    Ok(login_url(&endpoint, &destination(region, path), &token))
}

#[cfg(test)]
#[path = "signin_tests.rs"]
mod tests;
