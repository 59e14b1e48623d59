//! `vault status`: what this shell uses and why, for people and prompts.

use std::io::Write;

use anyhow::Result;
use chrono::Utc;
use serde_json::json;

use crate::agent::Client;
use crate::cli::StatusArgs;
use crate::context::Context;
use crate::escape::terminal;
use crate::shell::engine::{self, HereFile};
use crate::store::Backend;
use crate::trust::{self, Verdict};

pub fn run(ctx: &Context, args: StatusArgs) -> Result<()> {
    let engine::Status { hook_loaded, state, expires_at: expires, here } = engine::status(ctx)?;
    // Only the file store is unlocked through the agent.
    let file_store = ctx.settings.store.backend == Backend::File;
    let unlocked_until = if file_store { store_unlocked_until(ctx) } else { None };
    // A keyless shell's token may have ended under it (`vault lock`, the
    // agent's timeout): say what the agent says, not what the shell holds.
    let served = state.endpoint.as_ref().map(|_| token_is_live(ctx, state.token.as_deref()));
    // A shell `vault exec` started: its credentials are the exec's, and the
    // hook stands down there.
    let exec = ctx.env.get("AWS_VAULT");

    let mut out = super::out();
    if args.json {
        let file = here.as_ref().map(|HereFile { path, profile, verdict }| {
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
            "hook": hook_loaded,
            "exec": exec,
            "profile": state.profile.as_deref().or(exec),
            "pinned": state.pinned,
            "expires_at": expires.map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            "file": file,
            "error": state.error,
            "mode": state.profile.as_ref().map(|_| if state.endpoint.is_some() { "server" } else { "keys" }),
            "endpoint": state.endpoint,
            "served": served,
            "store_unlocked_until": unlocked_until.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }

    if !hook_loaded {
        writeln!(out, "hook:    {}", engine::HOOK_MISSING)?;
    }
    // What the state and the file say is printed escaped: either may come
    // from a directory name or a file someone else wrote.
    match (state.profile.as_deref().map(terminal), state.pinned) {
        (Some(p), true) => {
            writeln!(out, "profile: {p} (pinned by `vault use`; `vault unuse` to drop)")?
        }
        (Some(p), false) => {
            let from = state.file.as_ref().map(|f| f.path.as_str()).unwrap_or("?");
            writeln!(out, "profile: {p} (from {}, trusted)", terminal(from))?
        }
        (None, _) => match exec {
            Some(p) => writeln!(
                out,
                "profile: {} (from the `vault exec` that started this shell; `exit` to leave it)",
                terminal(p)
            )?,
            None => writeln!(out, "profile: none")?,
        },
    }
    if let (Some(url), Some(false)) = (&state.endpoint, served) {
        writeln!(
            out,
            "served:  no more: the agent at {} ended this shell's token (`vault lock`, its \
             timeout, or it stopped); `vault reload` gets a new one",
            terminal(url)
        )?;
    } else if let Some(url) = &state.endpoint {
        writeln!(
            out,
            "served:  by the agent at {}, which renews them; no keys in this shell",
            terminal(url)
        )?;
        writeln!(
            out,
            "note:    only tools that read AWS_CONTAINER_CREDENTIALS_FULL_URI get them (AWS SDKs, \
             the aws CLI, Terraform); scripts that read AWS_ACCESS_KEY_ID, curl --aws-sigv4 and \
             containers do not: run those with `vault exec PROFILE -- COMMAND`"
        )?;
        for (tool, why) in engine::keys_only_tools_here(&ctx.env) {
            writeln!(out, "note:    {tool} is installed here: {why}")?;
        }
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
    if file_store {
        match unlocked_until {
            Some(t) => {
                let left = (t - Utc::now()).num_minutes();
                let when = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                writeln!(
                    out,
                    "store:   unlocked until {when} (in {left}m; `vault lock` to forget)"
                )?
            }
            None => {
                writeln!(out, "store:   locked (`vault unlock` to stop the passphrase prompts)")?
            }
        }
    }
    if let Some(HereFile { path, profile, verdict }) = here
        && state.profile.is_none()
    {
        let name = profile.unwrap_or_else(|| "invalid".to_owned());
        let why = match verdict {
            Some(Verdict::Denied) => "blocked; `vault allow` to unblock",
            Some(Verdict::Allowed) => "trusted",
            _ => "not trusted; `vault allow` to use it",
        };
        writeln!(out, "file:    {} ({name}) is {why}", trust::describe(&path))?;
    }
    if let Some(error) = &state.error {
        writeln!(out, "error:   {}", terminal(error))?;
    }
    Ok(())
}

/// Whether the agent still serves this shell's token (no agent: no).
fn token_is_live(ctx: &Context, token: Option<&str>) -> bool {
    let Some(token) = token else { return false };
    Client::new(&ctx.env).ok().and_then(|client| client.is_live(token)).unwrap_or(false)
}

/// When the agent forgets the file store's passphrase; `None` when locked
/// or when no agent runs.
fn store_unlocked_until(ctx: &Context) -> Option<chrono::DateTime<Utc>> {
    let dir = std::path::absolute(ctx.settings.store.file_dir(&ctx.env).ok()?).ok()?;
    let status = Client::new(&ctx.env).ok()?.status()?;
    if !status.dirs.contains(&dir) {
        return None;
    }
    chrono::DateTime::from_timestamp(status.until?, 0)
}
