//! The AWS console sign-in URL for `login`: which federation endpoint and
//! console serve a region's partition, the sign-in token request (as AWS
//! documents it for custom identity brokers), and the final URL. Sign-in
//! tokens and URLs are secrets: they are never logged or put in an error.

use std::time::Duration;

use serde::Deserialize;
use url::Url;
use zeroize::Zeroizing;

use crate::creds::{Credentials, Secret};
use crate::env::Env;

/// Replaces the partition's federation endpoint, for tests and for
/// endpoints AWS adds before this table knows them.
pub const ENDPOINT_OVERRIDE_VAR: &str = "VAULT_FEDERATION_ENDPOINT";

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Partition {
    federation: &'static str,
    console: &'static str,
}

const AWS: Partition = Partition {
    // The regional endpoint ByteNess aws-vault uses: AWS recommends regional
    // sign-in endpoints over the global one.
    federation: "https://us-east-1.signin.aws.amazon.com/federation",
    console: "console.aws.amazon.com",
};
const AWS_CN: Partition = Partition {
    federation: "https://signin.amazonaws.cn/federation",
    console: "console.amazonaws.cn",
};
const AWS_US_GOV: Partition = Partition {
    federation: "https://signin.amazonaws-us-gov.com/federation",
    console: "console.amazonaws-us-gov.com",
};
const AWS_EUSC: Partition = Partition {
    federation: "https://signin.amazonaws-eusc.eu/federation",
    console: "console.amazonaws-eusc.eu",
};

fn partition(region: Option<&str>) -> Partition {
    match region {
        Some(r) if r.starts_with("cn-") => AWS_CN,
        Some(r) if r.starts_with("us-gov-") => AWS_US_GOV,
        Some(r) if r.starts_with("eusc-") => AWS_EUSC,
        _ => AWS,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("{ENDPOINT_OVERRIDE_VAR}={value:?} is not usable: {reason}")]
    BadOverride { value: String, reason: &'static str },
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

/// The federation endpoint for `region`'s partition, or the override.
pub fn federation_endpoint(env: &Env, region: Option<&str>) -> Result<Url, ConsoleError> {
    let Some(value) = env.get(ENDPOINT_OVERRIDE_VAR) else {
        return Ok(Url::parse(partition(region).federation).expect("the table holds valid URLs"));
    };
    let bad = |reason| ConsoleError::BadOverride { value: value.to_owned(), reason };
    let url = Url::parse(value).map_err(|_| bad("it is not a URL"))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or fragment"));
    }
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    // The request carries credentials: plain HTTP only to this machine.
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(bad("it must be https (or http to 127.0.0.1 / localhost)")),
    }
}

/// The console page to land on: `path` (e.g. `s3/home`) in `region`'s
/// console, or the console's home page.
pub fn destination(region: Option<&str>, path: Option<&str>) -> String {
    let console = partition(region).console;
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
) -> Result<Secret, ConsoleError> {
    let fail = |reason: String| ConsoleError::Request { endpoint: endpoint.to_string(), reason };
    let Some(token) = &creds.session_token else {
        return Err(ConsoleError::LongTermKeys);
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
        return Err(ConsoleError::Refused { endpoint: endpoint.to_string(), status, hint });
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

/// Whether a browser can plausibly be opened: on Linux and the BSDs that
/// needs `$BROWSER` or a graphical session (else the opener may fail
/// silently, or start a text browser on a terminal we do not own).
pub fn can_open_browser(env: &Env) -> bool {
    if cfg!(target_os = "macos") || cfg!(windows) {
        return true;
    }
    ["BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "WSL_DISTRO_NAME"]
        .iter()
        .any(|v| env.get(v).is_some())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn partitions_pick_their_endpoint_and_console() {
        let fed = |region| federation_endpoint(&Env::default(), region).unwrap().to_string();
        assert_eq!(fed(None), "https://us-east-1.signin.aws.amazon.com/federation");
        assert_eq!(fed(Some("eu-west-1")), "https://us-east-1.signin.aws.amazon.com/federation");
        assert_eq!(fed(Some("cn-north-1")), "https://signin.amazonaws.cn/federation");
        assert_eq!(fed(Some("us-gov-west-1")), "https://signin.amazonaws-us-gov.com/federation");
        assert_eq!(fed(Some("eusc-de-east-1")), "https://signin.amazonaws-eusc.eu/federation");

        assert_eq!(destination(None, None), "https://console.aws.amazon.com/");
        assert_eq!(destination(None, Some("/s3/home")), "https://console.aws.amazon.com/s3/home");
        assert_eq!(
            destination(Some("eu-west-1"), None),
            "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
        );
        assert_eq!(
            destination(Some("cn-north-1"), Some("ec2/home")),
            "https://cn-north-1.console.amazonaws.cn/ec2/home?region=cn-north-1"
        );
        assert_eq!(
            destination(Some("us-gov-east-1"), Some("s3/buckets?tab=all")),
            "https://us-gov-east-1.console.amazonaws-us-gov.com/s3/buckets?tab=all&region=us-gov-east-1"
        );
        assert_eq!(
            destination(Some("eusc-de-east-1"), None),
            "https://eusc-de-east-1.console.amazonaws-eusc.eu/console/home?region=eusc-de-east-1"
        );
    }

    #[test]
    fn the_override_is_https_or_local() {
        let with =
            |v: &str| federation_endpoint(&Env::from_pairs([(ENDPOINT_OVERRIDE_VAR, v)]), None);
        assert_eq!(with("http://127.0.0.1:8080/federation").unwrap().port(), Some(8080));
        assert!(with("http://localhost/f").is_ok());
        assert!(with("http://[::1]:9/f").is_ok());
        assert!(with("https://signin.example.com/federation").is_ok());
        for bad in
            ["http://signin.example.com/f", "ftp://127.0.0.1/f", "not a url", "https://x/f?a=1"]
        {
            let err = with(bad).unwrap_err().to_string();
            assert!(err.starts_with(ENDPOINT_OVERRIDE_VAR), "{err}");
        }
    }

    #[test]
    fn federation_names_follow_aws_rules() {
        assert_eq!(federation_name("arn:aws:iam::123456789012:user/alice"), "alice");
        assert_eq!(
            federation_name("arn:aws:iam::123456789012:user/division/bob.smith"),
            "bob.smith"
        );
        assert_eq!(federation_name("arn:aws:iam::123456789012:root"), "root");
        let long = "arn:aws:iam::1:user/a-very-long-user-name-that-goes-past-thirty-two";
        assert_eq!(federation_name(long), "a-very-long-user-name-that-goes-");
        assert_eq!(federation_name(long).len(), 32);
        assert_eq!(federation_name("arn:aws:iam::1:user/x"), "vault-x");
        assert_eq!(federation_name("garbage"), "vault-");
    }

    #[test]
    fn callers_are_told_apart_by_arn() {
        assert_eq!(caller_kind("arn:aws:sts::1:assumed-role/admin/123"), Caller::Role);
        assert_eq!(caller_kind("arn:aws:sts::1:federated-user/alice"), Caller::FederatedUser);
        assert_eq!(caller_kind("arn:aws:iam::1:user/alice"), Caller::User);
        assert_eq!(caller_kind("arn:aws:iam::1:root"), Caller::User);
    }

    #[test]
    fn console_sessions_never_outlive_their_credentials() {
        let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let expiring = |secs: i64| Credentials {
            session_token: Some(Secret::new("t")),
            expiration: Some(now + chrono::Duration::seconds(secs)),
            ..Credentials::long_term("ASIA", "s")
        };
        assert_eq!(session_duration(&expiring(3600), now), Duration::from_secs(3600));
        assert_eq!(session_duration(&expiring(100), now), MIN_SESSION);
        assert_eq!(session_duration(&expiring(-5), now), MIN_SESSION);
        assert_eq!(session_duration(&expiring(86_400), now), MAX_SESSION);
    }

    #[test]
    fn the_login_url_encodes_everything() {
        let endpoint = Url::parse("https://signin.example/federation").unwrap();
        let url = login_url(&endpoint, "https://x/a?region=b", &Secret::new("to+k/en="));
        assert_eq!(
            url.expose(),
            "https://signin.example/federation?Action=login&Issuer=vault\
             &Destination=https%3A%2F%2Fx%2Fa%3Fregion%3Db&SigninToken=to%2Bk%2Fen%3D"
        );
        assert_eq!(format!("{url:?}"), "***");
    }

    #[test]
    fn long_term_keys_never_reach_the_endpoint() {
        // Port 9 (discard) is never contacted: the check comes first.
        let endpoint = Url::parse("http://127.0.0.1:9/federation").unwrap();
        let err = signin_token(&endpoint, &Credentials::long_term("AKIA", "secret"), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("temporary credentials only") && !err.contains("secret"), "{err}");
    }

    #[test]
    fn a_browser_needs_a_display_or_browser_variable() {
        if cfg!(target_os = "macos") {
            return;
        }
        assert!(!can_open_browser(&Env::default()));
        assert!(can_open_browser(&Env::from_pairs([("DISPLAY", ":0")])));
        assert!(can_open_browser(&Env::from_pairs([("BROWSER", "firefox")])));
    }
}
