//! The device-code sign-in (RFC 8628): show the URL and code, open the browser unless
//! told not to, and poll CreateToken every `interval` seconds, five more after each
//! `slow_down`, until the user approves or the code expires.

use std::thread::sleep;
use std::time::Duration;

use anyhow::{Result, bail};
use chrono::Utc;

use super::{SignInNotice, SignInOptions, SsoSession};
use crate::aws::sso_oidc::{Grant, OidcError, Registration, SsoOidc, Token};
use crate::env::Env;

pub fn sign_in(
    oidc: &SsoOidc,
    reg: &Registration,
    session: &SsoSession,
    opts: &SignInOptions,
    env: &Env,
    notice: &dyn SignInNotice,
) -> Result<Token> {
    let device = oidc.start_device_authorization(reg, &session.start_url)?;
    let url = device.verification_uri_complete.as_deref().unwrap_or(&device.verification_uri);
    // Held while the sign-in runs: the page goes once the browser opened it.
    let page = if opts.no_browser { None } else { open_browser(env, url) };
    notice.show(url, Some(&device.user_code), page.is_some());
    let mut interval = device.interval;
    loop {
        sleep(Duration::from_secs(interval));
        match oidc.create_token(reg, Grant::DeviceCode(&device.device_code)) {
            Ok(token) => return Ok(token),
            Err(OidcError::Pending) => {}
            Err(OidcError::SlowDown) => interval += 5,
            Err(e) => return Err(e.into()),
        }
        if Utc::now() >= device.expires_at {
            bail!("the sign-in to {} was not approved in time; try again", session.start_url);
        }
    }
}

/// Opens `url` as `vault login` does (`$BROWSER`, else `xdg-open`, without
/// vault's secrets in its environment, the URL in no argv); `None` when no
/// browser could be started.
pub fn open_browser(env: &Env, url: &str) -> Option<crate::browser::Opened> {
    crate::browser::open(env, url)
        .inspect_err(|e| log::debug!("could not open a browser: {e}"))
        .ok()
}
