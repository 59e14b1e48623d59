//! `vault hook-env` (run by the prompt hook) and the shared engine behind
//! `use`, `unuse` and `reload`: decide which profile this shell should have,
//! and print the shell code that gets it there.
//!
//! The prompt path decides "nothing changed" from the state variable and a
//! few `stat`s, before loading the config or opening any store.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};

use crate::cli::{CredentialArgs, HookEnvArgs, ShellKind};
use crate::context::Context;
use crate::credential_vars;
use crate::shell::{self, FileStamp, Shell, State};
use crate::sts::{self, PlanOptions};
use crate::trust::{self, Verdict};
use crate::tty;

/// Variables that would point tools at other credentials while ours are
/// exported (aws-vault's exec list, minus what we set ourselves).
const SHADOWING: [&str; 3] = ["AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"];

pub enum Action {
    /// A prompt: the directory changed, the refresh deadline passed, or
    /// (`force`) trust records changed.
    Prompt {
        force: bool,
    },
    Use(String),
    Unuse,
    Reload,
}

/// Said by the commands that only work through the hook's shell function.
pub const HOOK_MISSING: &str = "the shell hook is not loaded in this shell; add \
    `eval \"$(vault hook bash)\"` (or zsh) to your rc file, `vault hook fish | source` for \
    fish, then open a new shell";

pub fn shell_of(kind: ShellKind) -> Shell {
    match kind {
        ShellKind::Bash => Shell::Bash,
        ShellKind::Zsh => Shell::Zsh,
        ShellKind::Fish => Shell::Fish,
        ShellKind::Pwsh => Shell::Pwsh,
    }
}

pub fn run_prompt(ctx: &Context, args: HookEnvArgs) -> Result<()> {
    run(ctx, shell_of(args.shell), Action::Prompt { force: args.force })
}

/// `use`, `unuse` and `reload` only make sense through the shell function,
/// which passes the state and evaluates what we print.
pub fn run_for_function(ctx: &Context, action: Action) -> Result<()> {
    let shell = match ctx.env.get("__VAULT_SHELL") {
        Some("bash") => Shell::Bash,
        Some("zsh") => Shell::Zsh,
        Some("fish") => Shell::Fish,
        Some("pwsh") => Shell::Pwsh,
        _ => bail!(HOOK_MISSING),
    };
    run(ctx, shell, action)
}

fn run(ctx: &Context, shell: Shell, action: Action) -> Result<()> {
    // VAULT_HOOK_NOW lets tests stand at a later time without waiting.
    let now = ctx.env.get("VAULT_HOOK_NOW").and_then(|t| t.parse().ok());
    let now = now.unwrap_or_else(|| Utc::now().timestamp());
    let mut state = State::decode(ctx.env.raw("__VAULT_STATE").unwrap_or(""));
    let current = |k: &str| ctx.env.raw(k).map(str::to_owned);
    let pwd = match ctx.env.get("PWD") {
        Some(p) => PathBuf::from(p),
        None => std::env::current_dir()?,
    };
    let home = ctx.home().ok();
    let found = trust::find(&pwd, home.as_deref());
    let due = state.refresh_at.is_some_and(|t| now >= t);

    // The fast path: same file (or pinned), not due, nothing touched by hand.
    if matches!(action, Action::Prompt { force: false })
        && (state.pinned || found.as_ref().map(|f| &f.1) == state.file.as_ref())
        && !due
        && state.untouched(&current)
    {
        return Ok(());
    }

    let pinned = match &action {
        Action::Use(p) => Some(p.clone()),
        Action::Unuse => None,
        _ if state.pinned => state.profile.clone(),
        _ => None,
    };
    state.pinned = pinned.is_some();
    let desired = match pinned {
        Some(p) => Some(p),
        None => from_file(ctx, &mut state, found.as_ref())?,
    };
    state.file = found.map(|(_, stamp)| stamp);

    let mut out = String::new();
    let same = desired == state.profile;
    let refresh_only = same && due && matches!(action, Action::Prompt { .. });
    match desired {
        Some(profile) if !same || due || !matches!(action, Action::Prompt { .. }) => {
            if refresh_only {
                // A question here would block the prompt: ask nothing.
                tty::forbid_prompts();
            }
            match export_profile(ctx, shell, &mut state, &profile) {
                Ok(code) => out.push_str(&code),
                Err(err) if matches!(action, Action::Prompt { .. }) => {
                    let hint = if refresh_only {
                        format!("could not refresh profile \"{profile}\" without asking")
                    } else {
                        format!("could not use profile \"{profile}\"")
                    };
                    eprintln!("vault: {hint}: {}; run `vault reload` to try again", one_line(&err));
                    // Wait for `cd` or `vault reload` rather than retrying at every prompt.
                    state.refresh_at = None;
                }
                Err(err) => return Err(err),
            }
        }
        None if state.profile.is_some() => {
            let (changes, _) = shell::apply(&mut state, &BTreeMap::new(), &current);
            out.push_str(&shell.apply(&changes));
            state.profile = None;
            state.expires_at = None;
            state.refresh_at = None;
        }
        _ => {
            state.release_changed(&current);
        }
    }
    out.push_str(&shell.local(shell::STATE_VAR, &state.encode()));
    let deadline = state.refresh_at.map(|t| t.to_string()).unwrap_or_default();
    out.push_str(&shell.local(shell::DEADLINE_VAR, &deadline));
    print!("{out}");
    Ok(())
}

/// The profile an `.awsprofile` asks for, if it is valid and trusted;
/// otherwise says why, once per file version.
fn from_file(
    ctx: &Context,
    state: &mut State,
    found: Option<&(PathBuf, FileStamp)>,
) -> Result<Option<String>> {
    let Some((path, stamp)) = found else {
        state.notice = None;
        return Ok(None);
    };
    let notice_key = format!("{}:{}", stamp.path, stamp.mtime_ns);
    let records = ctx.trust_store()?;
    let verdict = trust::read(path).and_then(|contents| {
        let name = trust::parse(path, &contents)?;
        Ok((name, records.verdict(path, &contents)))
    });
    let (profile, message) = match verdict {
        Ok((name, Verdict::Allowed)) => (Some(name), None),
        Ok((name, Verdict::Untrusted)) => (
            None,
            Some(format!(
                "{} ({name}) is not trusted; run `vault allow` to use it",
                path.display()
            )),
        ),
        Ok((name, Verdict::Denied)) => (
            None,
            Some(format!(
                "{} ({name}) is blocked; run `vault allow` to unblock it",
                path.display()
            )),
        ),
        Err(e) => (None, Some(e.to_string())),
    };
    match message {
        Some(message) if state.notice.as_deref() != Some(&notice_key) => {
            eprintln!("vault: {message}");
            state.notice = Some(notice_key);
        }
        Some(_) => {}
        None => state.notice = None,
    }
    Ok(profile)
}

/// Gets credentials for `profile` and returns the code exporting them.
fn export_profile(ctx: &Context, shell: Shell, state: &mut State, profile: &str) -> Result<String> {
    // Resolve as if our own exports were not there: the AWS_REGION we set for
    // the previous profile must not override this profile's region.
    let pristine = Context::new(ctx.env.with(&state.prev), ctx.global.clone());
    let resolved =
        pristine.credentials(profile, &CredentialArgs::default(), PlanOptions::default())?;
    for note in &resolved.plan.notes {
        eprintln!("vault: note: {note}");
    }
    let creds = &resolved.creds;
    let mut desired: BTreeMap<String, Option<String>> = BTreeMap::new();
    for key in SHADOWING {
        desired.insert(key.to_owned(), None);
    }
    desired.insert("AWS_SESSION_TOKEN".to_owned(), None);
    desired.insert("AWS_CREDENTIAL_EXPIRATION".to_owned(), None);
    for (key, value) in credential_vars::list(creds, resolved.config.region.as_deref()) {
        desired.insert(key.to_owned(), Some(value));
    }
    desired.insert("VAULT_PROFILE".to_owned(), Some(profile.to_owned()));
    desired.insert(
        "VAULT_EXPIRES_AT".to_owned(),
        creds.expiration.as_ref().map(credential_vars::expiration_text),
    );
    // A value that is not UTF-8 cannot be read back to restore it: leave it be.
    desired.retain(|k, _| std::env::var_os(k).is_none_or(|v| v.to_str().is_some()));

    let current = |k: &str| ctx.env.raw(k).map(str::to_owned);
    let (changes, released) = shell::apply(state, &desired, &current);
    for key in released {
        eprintln!("vault: {key} was changed by hand; leaving it as it is");
    }
    state.profile = Some(profile.to_owned());
    state.expires_at = creds.expiration.map(|e| e.timestamp());
    let min_ttl = sts::min_ttl(&ctx.env)?.num_seconds();
    state.refresh_at = creds.expiration.map(|e| refresh_time(e, min_ttl));
    Ok(shell.apply(&changes))
}

/// When the prompt should refresh: as soon as the cached session would no
/// longer be reused (expiry minus the minimum TTL), but never in the past,
/// so a short session does not make every prompt spawn.
fn refresh_time(expiration: DateTime<Utc>, min_ttl_secs: i64) -> i64 {
    let now = Utc::now().timestamp();
    (expiration.timestamp() - min_ttl_secs).max(now + 30)
}

fn one_line(err: &anyhow::Error) -> String {
    format!("{err:#}").replace('\n', " ")
}
