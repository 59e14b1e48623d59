//! The hook engine, and the one file in `shell/` that does I/O: it reads the
//! environment and the `.awsprofile` files, fetches credentials, and decides
//! which profile a shell should have at each prompt, `use`, `unuse` and
//! `reload`. It prints nothing: callers get the code to evaluate and the
//! messages to show, and print them.
//!
//! The prompt path decides "nothing changed" from the state variable, a few
//! `stat`s and two small reads, before loading the config or opening any
//! store; and tells the shell what to compare so that, at a `cd` that
//! changes nothing, it need not run vault at all, and what to do to leave
//! a profile's folders for none without a run (`leave.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, Utc};

use super::export::export_profile;
use super::state::fingerprint;
use super::{DEADLINE_VAR, HookMode, LEAVE_VAR, Leave, STATE_VAR, Seen, Shell, State, Unchanged};
use crate::agent;
use crate::context::Context;
use crate::env::Env;
use crate::prompt;
use crate::refresh_lock;
use crate::sso::SignInOptions;
use crate::sts;
use crate::trust::{self, FileStamp, Verdict};

/// The longest a prompt waits for another process's refresh.
const PROMPT_LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// Said by the commands that only work through the hook's shell function.
pub const HOOK_MISSING: &str = "the shell hook is not loaded in this shell; add \
    `eval \"$(vault hook bash)\"` (or zsh) to your rc file, `vault hook fish | source` for \
    fish, then open a new shell";

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

/// What one step of the hook produced. No `Debug`: the code holds secrets.
#[derive(Default)]
pub struct Step {
    /// Code for the shell to evaluate (it exports the credentials); empty
    /// when nothing changed.
    pub code: String,
    /// Messages for the person at the shell, in order, without the
    /// `vault: ` prefix.
    pub notices: Vec<String>,
}

/// The shell whose hook function runs us, from the `__VAULT_SHELL` it
/// passes; an error saying how to load the hook when there is none.
pub fn calling_shell(env: &Env) -> Result<Shell> {
    match env.get("__VAULT_SHELL").and_then(Shell::from_name) {
        Some(shell) => Ok(shell),
        None => bail!(HOOK_MISSING),
    }
}

/// `use`, `unuse` and `reload` only make sense through the shell function,
/// which passes the state and evaluates what we return.
pub fn step_for_function(ctx: &Context, action: Action, sign_in: &SignInOptions) -> Result<Step> {
    step(ctx, calling_shell(&ctx.env)?, action, sign_in)
}

/// One step of the hook for `shell`: where this shell is, what it has, and
/// the code that takes it to the profile it should have. The notices go to
/// a terminal, and may quote paths and errors: control characters in them
/// are escaped, so a directory name cannot carry an escape sequence there.
/// `sign_in` says how an IAM Identity Center sign-in is shown, when entering
/// a directory needs one (like an MFA code, it is never asked on a refresh).
pub fn step(ctx: &Context, shell: Shell, action: Action, sign_in: &SignInOptions) -> Result<Step> {
    let mut step = decide(ctx, shell, action, sign_in)?;
    for notice in &mut step.notices {
        *notice = crate::escape::terminal(notice);
    }
    Ok(step)
}

fn decide(ctx: &Context, shell: Shell, action: Action, sign_in: &SignInOptions) -> Result<Step> {
    // VAULT_HOOK_NOW lets tests stand at a later time without waiting.
    let now = ctx.env.get("VAULT_HOOK_NOW").and_then(|t| t.parse().ok());
    let now = now.unwrap_or_else(|| Utc::now().timestamp());
    let (mut state, foreign) = State::decode(ctx.env.raw("__VAULT_STATE").unwrap_or(""));
    let current = |k: &str| ctx.env.raw(k).map(str::to_owned);
    let pwd = working_dir(&ctx.env)?;
    let home = ctx.home().ok();
    // Read before the file and the records, so that a change racing this
    // run leaves a token the next run sees as new.
    let trust_store = ctx.trust_store()?;
    let generation = trust_store.generation();
    let found = trust::find(&pwd, home.as_deref());
    // Read once: the decision, the state and what the shell compares at its
    // next `cd` all come from the same bytes.
    let contents = found.as_ref().map(|(path, _)| trust::read(path));
    let text = contents.as_ref().and_then(|c| c.as_deref().ok());
    let text_sum = text.map(|t| fingerprint(Some(t))).unwrap_or_default();
    let found_path = found.as_ref().map(|(path, _)| path.as_path());
    let mode = HookMode::from_env(&ctx.env)?;
    // A mode changed in a live shell takes effect at its next hook run.
    let mode_changed =
        state.profile.is_some() && state.token.is_some() != (mode == HookMode::Server);
    let due = state.refresh_at.is_some_and(|t| now >= t) || mode_changed;
    let old_token = state.token.clone();
    let was = state.profile.clone();
    let before = state.pinned.then(|| state.profile.clone()).flatten();
    let mut restored = Vec::new();
    // What this run sets, for the code that leaves without a run.
    let mut entered = Vec::new();
    let mut step = Step::default();
    if foreign > 0 {
        step.notices.push(format!(
            "ignored {foreign} variable name(s) in the hook state that vault does not manage"
        ));
    }

    // What the shell compares at its next `cd` (see `Unchanged`).
    let seen = |pinned: bool| {
        let file = match (found_path, text) {
            _ if pinned => Seen::Pinned,
            (None, _) => Seen::Nothing,
            (Some(path), Some(text)) if !text.contains('\0') => match path.to_str() {
                Some(path) => Seen::File { path, text },
                None => Seen::Unknown,
            },
            (Some(_), _) => Seen::Unknown,
        };
        let trust_file = trust_store.generation_path();
        shell.unchanged(&Unchanged {
            file,
            trust: &generation,
            trust_file: trust_file.to_str().unwrap_or_default(),
            exec: ctx.env.raw("AWS_VAULT").unwrap_or_default(),
            mode: ctx.env.raw(super::MODE_VAR).unwrap_or_default(),
        })
    };
    // A `vault exec` shell runs with the exec's profile: its rc file loaded
    // the hook, which must not put another profile's credentials over it.
    if let Some(active) = ctx.env.get("AWS_VAULT") {
        let mut step = stand_down(ctx, shell, &action, state, found.is_some(), active, step)?;
        step.code.push_str(&seen(false));
        return Ok(step);
    }

    // The fast path: the same file (stamp and contents) under the same
    // trust records, or a pinned profile; not due, nothing touched by hand.
    // The shell's code makes this decision at a `cd` without running vault,
    // and runs vault when it cannot; what it compares is said again.
    if foreign == 0
        && matches!(action, Action::Prompt { force: false })
        && (state.pinned
            || (found.as_ref().map(|f| &f.1) == state.file.as_ref()
                && (found.is_none() || (state.trust == generation && state.file_sum == text_sum))))
        && !due
        && state.untouched(&current)
    {
        step.code.push_str(&seen(state.pinned));
        // The shell's deadline is said again too: one set by hand (or lost)
        // would otherwise run vault at every prompt.
        let deadline = state.refresh_at.map(|t| t.to_string()).unwrap_or_default();
        step.code.push_str(&shell.local(DEADLINE_VAR, &deadline));
        return Ok(step);
    }

    state.error = None;
    let pinned = match &action {
        Action::Use(p) => Some(p.clone()),
        Action::Unuse => None,
        _ if state.pinned => state.profile.clone(),
        _ => None,
    };
    state.pinned = pinned.is_some();
    let desired = match pinned {
        Some(p) => Some(p),
        None => from_file(
            &trust_store,
            &mut state,
            found.as_ref(),
            contents.as_ref(),
            &mut step.notices,
        ),
    };
    state.trust = generation.clone();
    state.file_sum = text_sum.clone();
    state.file = found.clone().map(|(_, stamp)| stamp);

    let same = desired == state.profile;
    let refresh_only = same && due && matches!(action, Action::Prompt { .. });
    match desired {
        Some(profile) if !same || due || !matches!(action, Action::Prompt { .. }) => {
            if refresh_only {
                // A question here would block the prompt: ask nothing.
                prompt::forbid_prompts();
            }
            if matches!(action, Action::Prompt { .. }) {
                // Another process refreshing may be waiting for an MFA code:
                // the prompt waits a moment, then `vault reload` can wait.
                refresh_lock::limit_wait(PROMPT_LOCK_WAIT);
            }
            // No sign-in on a refresh: it would open a browser at a prompt.
            let sign_in = if refresh_only { &SignInOptions::default() } else { sign_in };
            let exported =
                export_profile(ctx, &mut state, &profile, mode, sign_in, &mut step.notices);
            match exported {
                Ok(changes) => {
                    step.code.push_str(&shell.apply(&changes));
                    entered = changes;
                }
                Err(err) if matches!(action, Action::Prompt { .. }) => {
                    // The one cause a user meets daily says just that, and
                    // the one thing to do: `reload` asks for the code.
                    let not_asked = err.chain().find_map(|cause| match cause.downcast_ref() {
                        Some(sts::MfaError::NotAsked { serial }) => Some(serial.clone()),
                        _ => None,
                    });
                    let hint = if refresh_only {
                        format!("could not refresh profile \"{profile}\" without asking")
                    } else {
                        format!("could not use profile \"{profile}\"")
                    };
                    let (said, todo) = match not_asked {
                        Some(serial) => (
                            format!(
                                "could not refresh profile \"{profile}\": it needs a new MFA \
                                 code for {serial}, and a refresh at the prompt does not ask \
                                 for one"
                            ),
                            "run `vault reload` to enter it",
                        ),
                        None => (
                            format!("{hint}: {}", crate::one_line(&err)),
                            "run `vault reload` to try again",
                        ),
                    };
                    step.notices.push(format!("{said}; {todo}"));
                    state.error = Some(said);
                    // Wait for `cd` or `vault reload` rather than retrying at every prompt.
                    state.refresh_at = None;
                }
                Err(err) => return Err(err),
            }
        }
        None if state.profile.is_some() => {
            let changes = leave_profile(&mut state, &current);
            step.code.push_str(&shell.apply(&changes));
            restored.extend(changes.iter().map(|c| match c {
                super::Change::Set(k, _) => Some(k.clone()),
                super::Change::Unset(_) => None,
            }));
        }
        _ => {
            state.release_changed(&current);
        }
    }
    // The shell no longer uses that token (it left, switched profile or
    // mode, or got a new one): it ends now rather than at the timeout.
    if let Some(old) = old_token.filter(|old| state.token.as_ref() != Some(old))
        && let Ok(client) = agent::Client::new(&ctx.env)
    {
        client.revoke(&old);
    }
    if let Some(said) = said_by_use(&action, before.as_deref(), &state, &restored, now) {
        step.notices.push(said);
    }
    if matches!(action, Action::Prompt { .. })
        && was != state.profile
        && ctx.env.get(QUIET_VAR) != Some("1")
    {
        step.notices.extend(said_on_cd(was.as_deref(), &state));
    }
    step.code.push_str(&shell.local(STATE_VAR, &state.encode()));
    let deadline = state.refresh_at.map(|t| t.to_string()).unwrap_or_default();
    step.code.push_str(&shell.local(DEADLINE_VAR, &deadline));
    step.code.push_str(&seen(state.pinned));
    let nothing = shell.unchanged(&Unchanged {
        file: Seen::Nothing,
        trust: &generation,
        trust_file: trust_store.generation_path().to_str().unwrap_or_default(),
        exec: ctx.env.raw("AWS_VAULT").unwrap_or_default(),
        mode: ctx.env.raw(super::MODE_VAR).unwrap_or_default(),
    });
    let leave = leave_code(shell, &state, &entered, &current, &nothing);
    step.code.push_str(&shell.local(LEAVE_VAR, &leave.unwrap_or_default()));
    Ok(step)
}

/// Gives back what the profile's variables replaced (a value changed by
/// hand since stays) and forgets the profile: the one way a shell leaves
/// one, by a run or by the code a run left (`leave_code`).
fn leave_profile(
    state: &mut State,
    current: &dyn Fn(&str) -> Option<String>,
) -> Vec<super::Change> {
    let (changes, _) = super::apply(state, &BTreeMap::new(), current);
    state.profile = None;
    state.expires_at = None;
    state.refresh_at = None;
    state.token = None;
    state.endpoint = None;
    changes
}

/// The code that leaves this profile's folders for one with no
/// `.awsprofile` as the next run would (`leave.rs`), for a shell that entered
/// them from a file and holds keys; None where only a run can leave: a
/// pinned profile, or a keyless shell, whose token the agent must end.
/// `entered` is what this run changed; `current` the variables before it.
fn leave_code(
    shell: Shell,
    state: &State,
    entered: &[super::Change],
    current: &dyn Fn(&str) -> Option<String>,
    nothing: &str,
) -> Option<String> {
    let profile = state.profile.as_deref()?;
    if state.pinned || state.file.is_none() || state.token.is_some() {
        return None;
    }
    // The variables as this run leaves them, as the next run would read them.
    let after = |key: &str| {
        let change = entered.iter().rev().find_map(|c| match c {
            super::Change::Set(k, v) if k == key => Some(Some(v.clone())),
            super::Change::Unset(k) if k == key => Some(None),
            _ => None,
        });
        change.unwrap_or_else(|| current(key))
    };
    let holds: Vec<(String, Option<String>)> =
        state.managed.keys().map(|k| (k.clone(), after(k))).collect();
    // The next run in a folder with no .awsprofile: the branch of `decide`
    // that leaves a profile, with what `from_file` does when none is found.
    let mut left = state.clone();
    let changes = leave_profile(&mut left, &after);
    left.error = None;
    left.notice = None;
    left.file = None;
    left.file_sum = String::new();
    let mut locals = shell.local(STATE_VAR, &left.encode());
    locals.push_str(&shell.local(DEADLINE_VAR, ""));
    locals.push_str(nothing);
    let notice = said_on_cd(Some(profile), &left).map(|n| crate::escape::terminal(&n));
    shell.leave(&Leave {
        holds: &holds,
        changes: &changes,
        locals: &locals,
        notice: notice.as_deref(),
    })
}

/// The hook in a shell `vault exec` started (`AWS_VAULT` is set): it exports
/// nothing, gives back anything it had set (should `AWS_VAULT` have been set
/// by hand since), and says once, when an `.awsprofile` or `use` asks for
/// another profile, which one the shell runs with and how to leave it.
fn stand_down(
    ctx: &Context,
    shell: Shell,
    action: &Action,
    mut state: State,
    has_file: bool,
    active: &str,
    mut step: Step,
) -> Result<Step> {
    let said = format!(
        "this shell runs with profile \"{active}\" from `vault exec`, so the hook leaves its \
         credentials alone (no .awsprofile, no `vault use`); `exit` to leave it"
    );
    if let Action::Use(_) | Action::Reload = action {
        bail!(said);
    }
    if state.profile.is_some() {
        let current = |k: &str| ctx.env.raw(k).map(str::to_owned);
        let (changes, _) = super::apply(&mut state, &BTreeMap::new(), &current);
        step.code.push_str(&shell.apply(&changes));
        state.profile = None;
        state.pinned = false;
        state.expires_at = None;
        state.refresh_at = None;
        if let Some(token) = state.token.take()
            && let Ok(client) = agent::Client::new(&ctx.env)
        {
            client.revoke(&token);
        }
        state.endpoint = None;
    }
    let key = format!("exec:{active}");
    if has_file && state.notice.as_deref() != Some(key.as_str()) {
        step.notices.push(said);
        state.notice = Some(key);
    }
    // Nothing was decided from the file: once `AWS_VAULT` is gone, the next
    // run decides afresh rather than taking this for its last decision.
    state.file = None;
    state.error = None;
    step.code.push_str(&shell.local(STATE_VAR, &state.encode()));
    step.code.push_str(&shell.local(DEADLINE_VAR, ""));
    step.code.push_str(&shell.local(LEAVE_VAR, ""));
    Ok(step)
}

/// Set to 1, entering and leaving a profile on `cd` says nothing.
pub const QUIET_VAR: &str = "VAULT_HOOK_QUIET";

/// The short line a `cd` into or out of a profile says, as `vault use`
/// does: `work (expires 14:02)`, or `left work`.
fn said_on_cd(was: Option<&str>, state: &State) -> Option<String> {
    match (&state.profile, was) {
        (Some(profile), _) => {
            let until = match state.expires_at {
                _ if state.token.is_some() => "served by the agent".to_owned(),
                Some(t) => DateTime::<Utc>::from_timestamp(t, 0).map_or_else(String::new, |at| {
                    format!("expires {}", at.with_timezone(&chrono::Local).format("%H:%M"))
                }),
                None => "long-term credentials".to_owned(),
            };
            Some(format!("{profile} ({until})"))
        }
        (None, Some(old)) => Some(format!("left {old}")),
        (None, None) => None,
    }
}

/// The one line `vault use` and `vault unuse` say: what changed, until
/// when, and what `unuse` gave back. `before` is the profile pinned before.
fn said_by_use(
    action: &Action,
    before: Option<&str>,
    state: &State,
    restored: &[Option<String>],
    now: i64,
) -> Option<String> {
    let until = |state: &State| match state.expires_at {
        _ if state.token.is_some() => {
            Some(", served by the agent, which renews them (no keys in this shell)".to_owned())
        }
        Some(t) => {
            let at = DateTime::<Utc>::from_timestamp(t, 0)?;
            let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            Some(format!(", credentials expire {at} (in {}m)", (t - now).max(0) / 60))
        }
        None => Some(", long-term credentials (no expiry)".to_owned()),
    };
    match action {
        Action::Use(profile) => Some(format!(
            "using profile \"{profile}\" in this shell{}; `vault unuse` to drop it",
            until(state).unwrap_or_default()
        )),
        Action::Unuse => {
            let Some(old) = before else {
                return Some("no profile was pinned by `vault use`; nothing changed".to_owned());
            };
            Some(match (&state.profile, &state.file) {
                (Some(now_profile), Some(file)) => format!(
                    "dropped \"{old}\"; back to \"{now_profile}\" from {}{}",
                    file.path,
                    until(state).unwrap_or_default()
                ),
                _ => {
                    // `restored` holds the names given back a value (None:
                    // unset again, as before `vault use`).
                    let back: Vec<&str> = restored.iter().flatten().map(String::as_str).collect();
                    let unset = restored.len() - back.len();
                    match (back.is_empty(), unset) {
                        (true, 0) => format!("dropped \"{old}\"; nothing to restore"),
                        (true, n) => format!("dropped \"{old}\"; unset the {n} variables it set"),
                        (false, n) => format!(
                            "dropped \"{old}\"; restored {} as before `vault use`, unset {n} more",
                            back.join(", ")
                        ),
                    }
                }
            })
        }
        _ => None,
    }
}

/// The profile an `.awsprofile` asks for, if it is valid and trusted;
/// otherwise says why, once per file version. `contents` is what reading
/// it gave.
fn from_file(
    records: &trust::TrustStore,
    state: &mut State,
    found: Option<&(PathBuf, FileStamp)>,
    contents: Option<&Result<String, trust::TrustError>>,
    notices: &mut Vec<String>,
) -> Option<String> {
    let (Some((path, stamp)), Some(contents)) = (found, contents) else {
        state.notice = None;
        return None;
    };
    let notice_key = format!("{}:{}", stamp.path, stamp.mtime_ns);
    let verdict = match contents {
        Ok(contents) => trust::parse(path, contents)
            .map(|name| (name, records.verdict(path, contents)))
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let (profile, message) = match verdict {
        Ok((name, Verdict::Allowed)) => (Some(name), None),
        Ok((name, Verdict::Untrusted)) => (
            None,
            Some(format!(
                "{} ({name}) is not trusted; run `vault allow` to use it",
                trust::describe(path)
            )),
        ),
        Ok((name, Verdict::Denied)) => (
            None,
            Some(format!(
                "{} ({name}) is blocked; run `vault allow` to unblock it",
                trust::describe(path)
            )),
        ),
        Err(e) => {
            state.error = Some(e.clone());
            (None, Some(e))
        }
    };
    match message {
        Some(message) if state.notice.as_deref() != Some(&notice_key) => {
            notices.push(message);
            state.notice = Some(notice_key);
        }
        Some(_) => {}
        None => state.notice = None,
    }
    profile
}

/// The directory the calling shell is in: `__VAULT_PWD` when the hook
/// passes it (PowerShell, whose `$env:PWD` never follows `Set-Location`),
/// else `$PWD` when it names the directory we run in (the path as the user
/// reached it, symlinks and all, which is what trust is keyed on), else the
/// physical working directory.
pub fn working_dir(env: &Env) -> Result<PathBuf> {
    if let Some(dir) = env.get("__VAULT_PWD") {
        return Ok(PathBuf::from(dir));
    }
    let cwd = std::env::current_dir().context("could not read the current directory")?;
    let same = |p: &Path| {
        use std::os::unix::fs::MetadataExt as _;
        match (std::fs::metadata(p), std::fs::metadata(&cwd)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    };
    match env.get("PWD").map(PathBuf::from) {
        Some(pwd) if pwd.is_absolute() && same(&pwd) => Ok(pwd),
        _ => Ok(cwd),
    }
}

/// What `vault status` reports: the hook's state, and the `.awsprofile`
/// that applies here.
pub struct Status {
    /// Whether the hook's shell function ran us; without it the state is
    /// empty and only the file and the store can be reported.
    pub hook_loaded: bool,
    pub state: State,
    pub expires_at: Option<DateTime<Utc>>,
    pub here: Option<HereFile>,
}

/// The `.awsprofile` found from the current directory.
pub struct HereFile {
    pub path: PathBuf,
    /// The profile it names; `None` when it is unreadable or invalid.
    pub profile: Option<String>,
    /// `None` when the trust records cannot be read.
    pub verdict: Option<Verdict>,
}

/// This shell's profile and why, for `vault status`.
pub fn status(ctx: &Context) -> Result<Status> {
    let hook_loaded = calling_shell(&ctx.env).is_ok();
    let (state, _) = State::decode(ctx.env.raw("__VAULT_STATE").unwrap_or(""));
    let cwd = working_dir(&ctx.env)?;
    let home = ctx.home().ok();
    let here = trust::find(&cwd, home.as_deref()).map(|(path, _)| {
        let contents = trust::read(&path).unwrap_or_default();
        let profile = trust::parse(&path, &contents).ok();
        let verdict = ctx.trust_store().map(|t| t.verdict(&path, &contents)).ok();
        HereFile { path, profile, verdict }
    });
    let expires_at = state.expires_at.and_then(|t| DateTime::<Utc>::from_timestamp(t, 0));
    Ok(Status { hook_loaded, state, expires_at, here })
}

/// Which of [`super::KEYS_ONLY_TOOLS`] are on this PATH, for `vault status`
/// in a keyless shell.
pub fn keys_only_tools_here(env: &Env) -> Vec<(&'static str, &'static str)> {
    let path = env.get("PATH").unwrap_or_default();
    super::KEYS_ONLY_TOOLS
        .into_iter()
        .filter(|(tool, _)| crate::child::find_on_path(tool, path.as_ref()).is_some())
        .collect()
}

/// The hook script for `shell`, defining the function `cmd` that calls this
/// very binary; `value_flags` are the global flags taking a value (see
/// [`Shell::hook_script`]).
pub fn hook_script(
    shell: Shell,
    cmd: &str,
    mode: Option<HookMode>,
    value_flags: &[&str],
) -> Result<String> {
    if !super::valid_function_name(cmd) {
        bail!("--cmd {cmd:?} is not a usable function name; use letters, digits, _ and -");
    }
    // The absolute path, so the hook keeps working whatever PATH holds later.
    let exe = std::env::current_exe().context("could not find the path of this vault binary")?;
    let binary = binary_name(&exe, std::env::var_os("PATH").as_deref());
    let exe = exe.to_str().context("the path of this vault binary is not UTF-8")?;
    Ok(shell.hook_script(exe, cmd, binary, mode, value_flags))
}

/// The name this binary is typed by, which gets tab completion too when the
/// function has another name (`--cmd av`): only when PATH finds this very
/// binary under it, since `--cmd` exists for when another `vault` (such as
/// HashiCorp's) comes first, and its completion must stay as it is.
fn binary_name<'a>(exe: &'a Path, path: Option<&std::ffi::OsStr>) -> Option<&'a str> {
    let name = exe.file_name()?.to_str()?;
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return None;
    }
    let found = crate::child::find_on_path(name, path?)?;
    let same = |p: &Path| std::fs::canonicalize(p).ok();
    (same(&found)? == same(exe)?).then_some(name)
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
