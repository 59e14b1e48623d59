//! `vault status`: what this shell uses and why, for people and prompts.

use std::io::Write;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::cli::StatusArgs;
use crate::context::Context;
use crate::shell::State;
use crate::trust::{self, Verdict};

pub fn run(ctx: &Context, args: StatusArgs) -> Result<()> {
    if ctx.env.get("__VAULT_SHELL").is_none() {
        bail!(super::hook_env::HOOK_MISSING);
    }
    let state = State::decode(ctx.env.raw("__VAULT_STATE").unwrap_or(""));
    let cwd = std::env::current_dir()?;
    let home = ctx.home().ok();
    let here = trust::find(&cwd, home.as_deref()).map(|(path, _)| {
        let contents = trust::read(&path).unwrap_or_default();
        let profile = trust::parse(&path, &contents).ok();
        let verdict = ctx.trust_store().map(|t| t.verdict(&path, &contents)).ok();
        (path, profile, verdict)
    });
    let expires = state.expires_at.and_then(|t| DateTime::<Utc>::from_timestamp(t, 0));

    let mut out = std::io::stdout().lock();
    if args.json {
        let file = here.as_ref().map(|(path, profile, verdict)| {
            json!({
                "path": path,
                "profile": profile,
                "trust": match verdict {
                    Some(Verdict::Allowed) => "allowed",
                    Some(Verdict::Denied) => "denied",
                    _ => "untrusted",
                },
            })
        });
        let value = json!({
            "profile": state.profile,
            "pinned": state.pinned,
            "expires_at": expires.map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            "file": file,
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }

    match (&state.profile, state.pinned) {
        (Some(p), true) => {
            writeln!(out, "profile: {p} (pinned by `vault use`; `vault unuse` to drop)")?
        }
        (Some(p), false) => {
            let from = state.file.as_ref().map(|f| f.path.as_str()).unwrap_or("?");
            writeln!(out, "profile: {p} (from {from}, trusted)")?
        }
        (None, _) => writeln!(out, "profile: none")?,
    }
    if let Some(exp) = expires {
        let left = (exp - Utc::now()).num_minutes();
        let when = exp.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        if left >= 0 {
            writeln!(out, "expires: {when} (in {left}m)")?;
        } else {
            writeln!(out, "expires: {when} (expired; `vault reload` to renew)")?;
        }
    }
    if let Some((path, profile, verdict)) = here
        && state.profile.is_none()
    {
        let name = profile.unwrap_or_else(|| "invalid".to_owned());
        let why = match verdict {
            Some(Verdict::Denied) => "blocked; `vault allow` to unblock",
            Some(Verdict::Allowed) => "trusted",
            _ => "not trusted; `vault allow` to use it",
        };
        writeln!(out, "file:    {} ({name}) is {why}", path.display())?;
    }
    Ok(())
}
