//! The aws CLI v2's SSO token cache, `~/.aws/sso/cache/<sha1>.json`, named by the sha1
//! of the `[sso-session]` name (or of the start URL for the legacy form). Read so that
//! users who ran `aws sso login` are not asked again; written only when asked
//! (it is plaintext).

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

use super::SsoSession;
use crate::creds::Secret;
use crate::env::Env;
use crate::store::OidcToken;
use crate::store::item::scrub;

/// Where the aws CLI keeps `session`'s token.
pub fn cli_cache_path(session: &SsoSession, env: &Env) -> Option<PathBuf> {
    let home = env.home().ok()?;
    let name = session.name.as_deref().unwrap_or(&session.start_url);
    let digest = Sha1::digest(name.as_bytes());
    let hex = crate::trust::hex(&digest);
    Some(home.join(".aws").join("sso").join("cache").join(format!("{hex}.json")))
}

/// The aws CLI's token for `session`, when there is one for the same start URL.
pub fn read(session: &SsoSession, env: &Env) -> Option<OidcToken> {
    let path = cli_cache_path(session, env)?;
    let bytes = Zeroizing::new(std::fs::read(&path).ok()?);
    let mut value: Value = serde_json::from_slice(&bytes).ok()?;
    let token = token_of(&value, session);
    scrub(&mut value);
    token
}

/// The token in the parsed cache file, if it is `session`'s and whole.
fn token_of(value: &Value, session: &SsoSession) -> Option<OidcToken> {
    let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
    let time = |name: &str| {
        text(name).and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.to_utc())
    };
    if text("startUrl").as_deref() != Some(session.start_url.as_str()) {
        return None;
    }
    Some(OidcToken {
        access_token: Secret::new(text("accessToken")?),
        refresh_token: text("refreshToken").map(Secret::new),
        expires_at: time("expiresAt")?,
        client_id: text("clientId"),
        client_secret: text("clientSecret").map(Secret::new),
        client_expires_at: time("registrationExpiresAt"),
    })
}

/// Writes `token` where the aws CLI (and botocore) read it, 0600.
pub fn write(session: &SsoSession, env: &Env, token: &OidcToken) -> Result<()> {
    let path = cli_cache_path(session, env).context("no home directory for the aws CLI cache")?;
    let time = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut value = json!({
        "startUrl": session.start_url,
        "region": session.region,
        "accessToken": token.access_token.expose(),
        "expiresAt": time(token.expires_at),
    });
    let extra = [
        ("refreshToken", token.refresh_token.as_ref().map(|t| t.expose().to_owned())),
        ("clientId", token.client_id.clone()),
        ("clientSecret", token.client_secret.as_ref().map(|t| t.expose().to_owned())),
        ("registrationExpiresAt", token.client_expires_at.map(time)),
    ];
    for (key, v) in extra {
        if let Some(v) = v {
            value[key] = Value::String(v);
        }
    }
    let text = Zeroizing::new(serde_json::to_vec(&value)?);
    scrub(&mut value);
    crate::atomic_write::write(&path, &text, crate::atomic_write::Mode::Private)
        .with_context(|| format!("could not write the aws CLI's SSO cache {}", path.display()))
}

/// Drops the aws CLI's token too when the portal refused it, so neither tool reuses it.
pub fn remove(session: &SsoSession, env: &Env) {
    if let Some(path) = cli_cache_path(session, env)
        && read(session, env).is_some()
    {
        let _ = std::fs::remove_file(path);
    }
}
