//! Exporting a profile into a shell, the I/O half of a hook step beside
//! `engine.rs`: fetching its credentials (asking on the terminal when
//! entering a directory needs an MFA code or a sign-in) and turning them
//! into the variables to set, the keys themselves or, in server mode, where
//! the agent serves them and this shell's token.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};

use super::{CONTAINER_VARS, Change, HookMode, State};
use crate::agent;
use crate::context::Context;
use crate::credential_vars;
use crate::sso::SignInOptions;
use crate::sts::{self, CredentialOptions, PlanOptions};

/// Variables that would point tools at other credentials while ours are
/// exported (aws-vault's exec list, minus what we set ourselves).
const SHADOWING: [&str; 3] = ["AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"];

/// Gets credentials for `profile` and returns the changes exporting them,
/// or in server mode where the agent serves them.
pub(super) fn export_profile(
    ctx: &Context,
    state: &mut State,
    profile: &str,
    mode: HookMode,
    sign_in: &SignInOptions,
    notices: &mut Vec<String>,
) -> Result<Vec<Change>> {
    // Resolve as if our own exports were not there: the AWS_REGION we set for
    // the previous profile must not override this profile's region.
    let pristine = Context::new(ctx.env.with(&state.prev), ctx.settings.clone());
    // The hook has no credential flags: every setting comes from the config.
    // In server mode too: this is where an MFA code or a sign-in is asked,
    // on the shell's terminal, filling the session cache the agent reads.
    let opts = CredentialOptions { sign_in: sign_in.clone(), ..CredentialOptions::default() };
    let resolved = sts::fetch(&pristine, profile, &opts, PlanOptions::default())?;
    notices.extend(resolved.plan.notes.iter().map(|note| format!("note: {note}")));
    let creds = &resolved.creds;
    let region = resolved.config.region.as_deref();
    let mut desired: BTreeMap<String, Option<String>> = BTreeMap::new();
    for key in SHADOWING {
        desired.insert(key.to_owned(), None);
    }
    desired.insert("AWS_SESSION_TOKEN".to_owned(), None);
    desired.insert("AWS_CREDENTIAL_EXPIRATION".to_owned(), None);
    match mode {
        HookMode::Keys => {
            for (key, value) in credential_vars::list(creds, region) {
                desired.insert(key.to_owned(), Some(value));
            }
            desired.insert(
                "VAULT_EXPIRES_AT".to_owned(),
                creds.expiration.as_ref().map(credential_vars::expiration_text),
            );
            state.token = None;
            state.endpoint = None;
        }
        HookMode::Server => {
            let (url, token) = served_by_agent(&pristine, profile, state.token.as_deref())?;
            for key in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "VAULT_EXPIRES_AT"] {
                desired.insert(key.to_owned(), None);
            }
            for key in &CONTAINER_VARS[2..] {
                desired.insert((*key).to_owned(), None);
            }
            if let Some(region) = region {
                desired.insert("AWS_REGION".to_owned(), Some(region.to_owned()));
                desired.insert("AWS_DEFAULT_REGION".to_owned(), Some(region.to_owned()));
            }
            desired.insert(CONTAINER_VARS[0].to_owned(), Some(url.clone()));
            desired.insert(CONTAINER_VARS[1].to_owned(), Some(token.expose().to_owned()));
            state.token = Some(token.expose().to_owned());
            state.endpoint = Some(url);
        }
    }
    desired.insert("VAULT_PROFILE".to_owned(), Some(profile.to_owned()));
    debug_assert!(desired.keys().all(|k| super::MANAGED_VARS.contains(&k.as_str())));
    // A value that is not UTF-8 cannot be read back to restore it: leave it be.
    desired.retain(|k, _| std::env::var_os(k).is_none_or(|v| v.to_str().is_some()));

    let current = |k: &str| ctx.env.raw(k).map(str::to_owned);
    let (changes, released) = super::apply(state, &desired, &current);
    for key in released {
        notices.push(format!("{key} was changed by hand; leaving it as it is"));
    }
    state.profile = Some(profile.to_owned());
    // Served credentials renew themselves: no expiry to show. The prompt
    // still refreshes the session when due, which the agent renews from.
    state.expires_at = creds.expiration.filter(|_| mode == HookMode::Keys).map(|e| e.timestamp());
    let min_ttl = sts::min_ttl(&ctx.env)?.num_seconds();
    state.refresh_at = creds.expiration.map(|e| refresh_time(e, min_ttl));
    Ok(changes)
}

/// Keyless mode: this shell's token for `profile` at the agent (started if
/// need be), which lives until the agent's timeout unless ended before;
/// `keep` is the token the shell holds, kept while it lives.
fn served_by_agent(
    ctx: &Context,
    profile: &str,
    keep: Option<&str>,
) -> Result<(String, crate::creds::Secret)> {
    let timeout = agent::default_timeout(&ctx.env)?;
    let client = agent::ensure_running(&ctx.env)
        .context("server mode (VAULT_HOOK_MODE=server) needs the agent")?;
    client
        .serve(profile, &ctx.env, (&ctx.settings).into(), timeout, keep)
        .with_context(|| format!("the agent could not serve profile \"{profile}\""))
}

/// When the prompt should refresh: as soon as the cached session would no
/// longer be reused (expiry minus the minimum TTL), but never in the past,
/// so a short session does not make every prompt spawn.
fn refresh_time(expiration: DateTime<Utc>, min_ttl_secs: i64) -> i64 {
    let now = Utc::now().timestamp();
    (expiration.timestamp() - min_ttl_secs).max(now + 30)
}
