//! IAM Identity Center (SSO) sign-in: where a profile signs in ([`SsoSession`]), the
//! sign-in flows (`pkce.rs` with a browser, `device.rs` without), the cached token (the secret store under
//! `oidc:<start url>`, and the aws CLI's cache in `cli_cache.rs`), its renewal with the
//! refresh token, and the role credentials the portal gives for it. A cross-process
//! lock makes many processes share one sign-in. What a sign-in reaches (`accounts.rs`)
//! and the profiles written for it (`populate.rs`) are here too.

mod accounts;
mod cli_cache;
mod device;
mod pkce;
pub mod populate;

pub use accounts::Assignment;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow};
use chrono::{Duration, Utc};

use crate::aws::sso::{Sso, SsoError};
use crate::aws::sso_oidc::{Grant, Registration, SsoOidc, Token};
use crate::aws::{EndpointSettings, Service, endpoint};
use crate::config::{ConfigFile, ProfileConfig};
use crate::creds::{Credentials, Secret};
use crate::env::Env;
use crate::refresh_lock::{self, RefreshLock};
use crate::store::{OidcToken, OidcTokenKeyring, Store};

/// The scope that makes the OIDC service issue refresh tokens, so a sign-in lasts the
/// session length the organisation set rather than one access token's hour.
pub const ACCOUNT_ACCESS_SCOPE: &str = "sso:account:access";

/// Where a profile signs in: an `[sso-session]` or the legacy inline keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSession {
    /// The `[sso-session]` name; None for the legacy form.
    pub name: Option<String>,
    pub start_url: String,
    pub region: String,
    pub scopes: Vec<String>,
}

impl SsoSession {
    /// The sign-in of an SSO profile; None when `cfg` has no `sso_start_url`.
    pub fn of(cfg: &ProfileConfig) -> Option<Self> {
        let start_url = cfg.sso_start_url.clone()?;
        Some(Self {
            name: cfg.sso_session.clone(),
            start_url,
            region: cfg.sso_region.clone().unwrap_or_else(|| endpoint::DEFAULT_REGION.to_owned()),
            scopes: scopes(cfg.sso_registration_scopes.as_deref()),
        })
    }

    pub fn target(&self, service: Service, env: &Env) -> endpoint::Target {
        let settings = EndpointSettings {
            region: Some(self.region.clone()),
            endpoint_url: env.get("AWS_ENDPOINT_URL").map(str::to_owned),
            sts_regional_endpoints: None,
        };
        endpoint::resolve(service, &settings, env)
    }
}

/// `sso_registration_scopes` as a list, with [`ACCOUNT_ACCESS_SCOPE`] once.
fn scopes(setting: Option<&str>) -> Vec<String> {
    let mut scopes: Vec<String> = setting
        .unwrap_or("")
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if !scopes.iter().any(|s| s == ACCOUNT_ACCESS_SCOPE) {
        scopes.push(ACCOUNT_ACCESS_SCOPE.to_owned());
    }
    scopes
}

/// How the command shows a sign-in to the user: the URL to open and, for the device
/// code, the code to check there. Supplied by the command layer, the only code that
/// prints.
pub trait SignInNotice: Send + Sync {
    fn show(&self, url: &str, user_code: Option<&str>, browser_opened: bool);
}

/// What the command line chose about signing in.
#[derive(Clone, Default)]
pub struct SignInOptions {
    /// Never open a browser; only show the URL (and use the device code).
    pub no_browser: bool,
    /// The device-code flow even when a browser could be opened (for signing in from
    /// another machine's browser).
    pub use_device_code: bool,
    /// Where sign-ins are shown. None: a sign-in is refused with a hint to run
    /// `vault login --sso-only`.
    pub notice: Option<Arc<dyn SignInNotice>>,
    /// Also write the token to the aws CLI's cache (plaintext, so opt-in).
    pub write_cli_cache: bool,
}

impl std::fmt::Debug for SignInOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInOptions")
            .field("no_browser", &self.no_browser)
            .field("use_device_code", &self.use_device_code)
            .field("notice", &self.notice.is_some())
            .field("write_cli_cache", &self.write_cli_cache)
            .finish()
    }
}

/// Signs in to one [`SsoSession`] and keeps its token.
pub struct SignIn<'a> {
    /// The profile asked for (it or its chain uses `session`), for messages.
    pub profile: &'a str,
    pub session: &'a SsoSession,
    pub store: &'a dyn Store,
    pub env: &'a Env,
    pub opts: &'a SignInOptions,
    /// Held around every sign-in and refresh.
    pub lock_path: PathBuf,
}

/// A token is renewed when it has less than this left.
const RENEW_BEFORE: i64 = 5 * 60;

/// What [`SignIn::cached`] found.
enum Cached {
    Fresh(Secret),
    Stale(Option<OidcToken>),
}

impl SignIn<'_> {
    /// The sign-in lock, waited for as long as the refresh lock
    /// (`VAULT_LOCK_TIMEOUT`): another process may be waiting for a browser.
    fn lock(&self) -> Result<RefreshLock> {
        let limit = refresh_lock::lock_timeout(self.env)?;
        RefreshLock::acquire_timeout(&self.lock_path, limit)
            .with_context(|| format!("could not take the lock {}", self.lock_path.display()))
    }

    /// A valid access token: cached, from the aws CLI's cache, renewed with the refresh
    /// token, or from a new sign-in (in that order), under the sign-in lock.
    pub fn token(&self) -> Result<Secret> {
        if let Cached::Fresh(t) = self.cached()? {
            return Ok(t);
        }
        let _lock = self.lock()?;
        // Another process may have signed in while we waited.
        let stored = match self.cached()? {
            Cached::Fresh(t) => return Ok(t),
            Cached::Stale(stored) => stored,
        };
        if let Some(cached) = stored {
            match self.refresh(&cached) {
                Ok(Some(token)) => return Ok(token),
                Ok(None) => {}
                Err(e) => log::debug!("could not renew the sign-in, signing in again: {e:#}"),
            }
        }
        self.sign_in()
    }

    /// Drops the cached token (the portal refused it) and signs in again, once.
    pub fn sign_in_again(&self, refused: &Secret) -> Result<Secret> {
        let _lock = self.lock()?;
        let keyring = OidcTokenKeyring::new(self.store);
        // Another process may already have replaced the refused token.
        if let Some(cached) = keyring.get(&self.session.start_url)?
            && cached.access_token != *refused
            && cached.expires_at - Utc::now() > Duration::seconds(RENEW_BEFORE)
        {
            return Ok(cached.access_token);
        }
        keyring.remove(&self.session.start_url)?;
        cli_cache::remove(self.session, self.env);
        self.sign_in()
    }

    /// Signs in now, whatever is cached (`vault login --sso-only`).
    pub fn sign_in_now(&self) -> Result<()> {
        let _lock = self.lock()?;
        self.sign_in().map(drop)
    }

    /// The stored token if it is fresh, else the aws CLI's if that is;
    /// otherwise the stored one (if any), to renew.
    fn cached(&self) -> Result<Cached> {
        let min = Duration::seconds(RENEW_BEFORE);
        let stored = OidcTokenKeyring::new(self.store).get(&self.session.start_url)?;
        if let Some(t) = stored.as_ref().filter(|t| t.expires_at - Utc::now() > min) {
            log::debug!("using the cached sign-in for {}", self.session.start_url);
            return Ok(Cached::Fresh(t.access_token.clone()));
        }
        if let Some(t) = cli_cache::read(self.session, self.env)
            && t.expires_at - Utc::now() > min
        {
            log::debug!("using the aws CLI's sign-in for {}", self.session.start_url);
            return Ok(Cached::Fresh(t.access_token));
        }
        Ok(Cached::Stale(stored))
    }

    /// Renews `cached` with its refresh token; None when it has none.
    fn refresh(&self, cached: &OidcToken) -> Result<Option<Secret>> {
        let (Some(refresh), Some(id), Some(secret)) =
            (&cached.refresh_token, &cached.client_id, &cached.client_secret)
        else {
            return Ok(None);
        };
        let reg = Registration {
            client_id: id.clone(),
            client_secret: secret.clone(),
            expires_at: cached.client_expires_at.unwrap_or_else(Utc::now),
        };
        if reg.expires_at <= Utc::now() {
            return Ok(None);
        }
        log::debug!("renewing the sign-in for {} with its refresh token", self.session.start_url);
        let oidc = SsoOidc::new(self.session.target(Service::SSO_OIDC, self.env))?;
        let mut token = oidc.create_token(&reg, Grant::RefreshToken(refresh))?;
        // The service may keep the refresh token without sending it again.
        if token.refresh_token.is_none() {
            token.refresh_token = Some(refresh.clone());
        }
        self.save(&reg, &token)?;
        Ok(Some(token.access_token))
    }

    fn sign_in(&self) -> Result<Secret> {
        let Some(notice) = &self.opts.notice else {
            return Err(anyhow!(
                "this needs an IAM Identity Center sign-in to {}; run `vault login --sso-only \
                 {}` first",
                self.session.start_url,
                self.profile
            ));
        };
        let target = self.session.target(Service::SSO_OIDC, self.env);
        let oidc_base =
            target.endpoint_url.clone().unwrap_or_else(|| endpoint::sso_oidc_url(&target.region));
        let oidc = SsoOidc::new(target)?;
        let browser = !self.opts.no_browser
            && !self.opts.use_device_code
            && crate::browser::can_open(self.env);
        let (reg, token) = if browser {
            // The loopback redirect needs a browser on this machine.
            let loopback = pkce::Loopback::bind()?;
            let redirect = (loopback.redirect_uri.as_str(), self.session.start_url.as_str());
            let reg = oidc.register_client(&self.session.scopes, Some(redirect))?;
            let token = pkce::sign_in(
                &oidc,
                &reg,
                loopback,
                &oidc_base,
                self.session,
                self.env,
                notice.as_ref(),
            )?;
            (reg, token)
        } else {
            let reg = oidc.register_client(&self.session.scopes, None)?;
            let token =
                device::sign_in(&oidc, &reg, self.session, self.opts, self.env, notice.as_ref())?;
            (reg, token)
        };
        self.save(&reg, &token)?;
        Ok(token.access_token)
    }

    fn save(&self, reg: &Registration, token: &Token) -> Result<()> {
        let cached = OidcToken {
            access_token: token.access_token.clone(),
            refresh_token: token.refresh_token.clone(),
            expires_at: token.expires_at,
            client_id: Some(reg.client_id.clone()),
            client_secret: Some(reg.client_secret.clone()),
            client_expires_at: Some(reg.expires_at),
        };
        OidcTokenKeyring::new(self.store)
            .set(&self.session.start_url, &cached)
            .context("could not cache the sign-in")?;
        if self.opts.write_cli_cache {
            cli_cache::write(self.session, self.env, &cached)?;
        }
        Ok(())
    }

    /// The role's credentials from the portal. A token the portal refuses (401) is
    /// dropped and replaced by exactly one new sign-in; a 403 (no access to the role)
    /// is an error, since signing in again would not change it.
    pub fn role_credentials(&self, account_id: &str, role_name: &str) -> Result<Credentials> {
        let sso = Sso::new(self.session.target(Service::SSO, self.env))?;
        let token = self.token()?;
        match sso.get_role_credentials(&token, account_id, role_name) {
            Err(SsoError::Unauthorized(reason)) => {
                log::debug!("the portal refused the cached sign-in ({reason}); signing in again");
                let token = self.sign_in_again(&token)?;
                Ok(sso.get_role_credentials(&token, account_id, role_name)?)
            }
            other => Ok(other?),
        }
    }
}

/// The start URL `profile` signs in to, read from the config alone (for `list`, `clear`
/// and `remove`, which resolve nothing): its `[sso-session]`'s, else its own.
pub fn start_url_of(cfg: &ConfigFile, profile: &str) -> Option<String> {
    let from_session = cfg
        .get(profile, "sso_session")
        .and_then(|session| cfg.get_sso_session(session, "sso_start_url"));
    from_session.or_else(|| cfg.get(profile, "sso_start_url")).map(str::to_owned)
}

/// How `vault list` names a profile's sign-in: its `[sso-session]`, else the start
/// URL's host.
pub fn sign_in_label(cfg: &ConfigFile, profile: &str) -> Option<String> {
    if let Some(session) = cfg.get(profile, "sso_session") {
        return Some(session.to_owned());
    }
    let url = cfg.get(profile, "sso_start_url")?;
    Some(
        url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| url.to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::{ResolveOptions, resolve};

    const CONFIG: &str = "\
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = codewhisperer:completions, sso:account:access
[profile dev]
sso_session = corp
sso_account_id = 1
sso_role_name = Dev
region = us-west-2
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_account_id = 1
sso_role_name = Dev
";

    fn session(profile: &str) -> SsoSession {
        let file = ConfigFile::parse(CONFIG, Path::new("/c")).unwrap();
        let cfg = resolve(&file, profile, &Env::default(), &ResolveOptions::default()).unwrap();
        SsoSession::of(&cfg).unwrap()
    }

    #[test]
    fn the_account_access_scope_is_always_asked_for_once() {
        let s = session("dev");
        assert_eq!(s.name.as_deref(), Some("corp"));
        assert_eq!(s.region, "eu-west-1");
        assert_eq!(s.scopes, ["codewhisperer:completions", "sso:account:access"]);
        let legacy = session("legacy");
        assert_eq!(legacy.name, None);
        assert_eq!(legacy.region, "us-east-1");
        assert_eq!(legacy.scopes, [ACCOUNT_ACCESS_SCOPE]);
    }

    #[test]
    fn each_sso_service_has_its_own_endpoint_variable_in_the_sso_region() {
        let s = session("dev");
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL", "http://all"),
            ("AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc"),
        ]);
        let oidc = s.target(Service::SSO_OIDC, &env);
        assert_eq!(
            (oidc.region.as_str(), oidc.endpoint_url.as_deref()),
            ("eu-west-1", Some("http://oidc"))
        );
        assert_eq!(s.target(Service::SSO, &env).endpoint_url.as_deref(), Some("http://all"));
        assert_eq!(s.target(Service::SSO, &Env::default()).endpoint_url, None);
    }

    #[test]
    fn list_and_clear_find_the_start_url_from_the_config_alone() {
        let file = ConfigFile::parse(CONFIG, Path::new("/c")).unwrap();
        assert_eq!(start_url_of(&file, "dev").as_deref(), Some("https://corp.awsapps.com/start"));
        assert_eq!(
            start_url_of(&file, "legacy").as_deref(),
            Some("https://legacy.awsapps.com/start")
        );
        assert_eq!(sign_in_label(&file, "dev").as_deref(), Some("corp"));
        assert_eq!(sign_in_label(&file, "legacy").as_deref(), Some("legacy.awsapps.com"));
        assert_eq!(start_url_of(&file, "nope"), None);
    }
}
