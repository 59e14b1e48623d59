//! One file per subcommand; this file dispatches, reports a failed command,
//! and holds the output helpers they share.

mod add;
mod agent;
mod clear;
mod complete;
mod completions;
mod exec;
mod export;
mod hook;
mod hook_env;
mod list;
mod lock;
mod login;
mod man;
mod migrate;
mod reload;
mod remove;
mod rotate;
mod settings;
mod sso;
mod status;
mod trust;
mod unlock;
mod unuse;
mod use_;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::context::{Context, Settings};
use crate::env::Env;
use crate::escape::terminal;
use crate::prompt::TtyError;
use crate::store::StoreError;
use crate::sts::MfaError;

/// Exit status when a prompt was cancelled with Ctrl-C, as a shell reports a
/// process killed by SIGINT.
const EXIT_CANCELLED: u8 = 130;

/// Runs the command; the status is the exit status of the process (`exec` with a
/// credential server passes its command's on).
pub fn run(cli: Cli) -> Result<ExitCode> {
    crate::logging::init(cli.global.debug);
    let env = Env::from_process();
    // The hook's own commands compare what it set; every other command reads
    // the user's values in their place (see `shell::own_values`).
    let env = match &cli.command {
        Command::HookEnv(_)
        | Command::Use(_)
        | Command::Unuse
        | Command::Reload
        | Command::Status(_) => env,
        _ => env.with(&crate::shell::own_values(&env)),
    };
    let ctx = Context::new(env, Settings::from(&cli.global));
    let result = match cli.command {
        Command::Exec(args) => exec::run(&ctx, args),
        other => run_other(&ctx, other).map(|()| ExitCode::SUCCESS),
    };
    // Whatever the outcome: a warning may explain a failure, unless the
    // failure already says it.
    let error = result.as_ref().err().map(crate::one_line);
    print_warnings(error.as_deref());
    result
}

fn run_other(ctx: &Context, command: Command) -> Result<()> {
    match command {
        Command::Add(args) => add::run(ctx, args),
        Command::Remove(args) => remove::run(ctx, args),
        Command::List(args) => list::run(ctx, args),
        Command::Clear(args) => clear::run(ctx, args),
        Command::Exec(_) => unreachable!("run handles exec"),
        Command::Export(args) => export::run(ctx, args),
        Command::Login(args) => login::run(ctx, args),
        Command::Sso(args) => sso::run(ctx, args),
        Command::Rotate(args) => rotate::run(ctx, args),
        Command::Completions(args) => completions::run(args),
        Command::Migrate(args) => migrate::run(ctx, args),
        Command::Hook(args) => hook::run(args),
        Command::HookEnv(args) => hook_env::run(ctx, args),
        Command::Use(args) => use_::run(ctx, args),
        Command::Unuse => unuse::run(ctx),
        Command::Reload => reload::run(ctx),
        Command::Allow(args) => trust::allow(ctx, args),
        Command::Deny(args) => trust::deny(ctx, args),
        Command::Status(args) => status::run(ctx, args),
        Command::Unlock(args) => unlock::run(ctx, args),
        Command::Lock => lock::run(ctx),
        Command::Agent(args) => agent::run(ctx, args),
        Command::Man => man::run(),
        Command::Complete(args) => complete::run(ctx, args),
    }
}

/// Prints the warnings domain code raised (see [`crate::warnings`]), each
/// once: `vault: warning: ...`, but those the error line holds already.
fn print_warnings(error: Option<&str>) {
    let mut err = io::stderr().lock();
    for warning in crate::warnings::drain() {
        let warning = terminal(&warning);
        if error.is_some_and(|line| line.contains(&warning)) {
            continue;
        }
        let _ = writeln!(err, "vault: warning: {warning}");
    }
}

/// A command line clap refused (help is main's): the version as clap prints
/// it, an error as one `vault: ...` line like every other error (clap's own
/// text spreads over several lines), with clap's exit status (2, a usage error).
pub fn report_usage(err: &clap::Error) -> ExitCode {
    let code = u8::try_from(err.exit_code()).unwrap_or(2);
    if err.kind() == clap::error::ErrorKind::DisplayVersion {
        let _ = err.print();
        return ExitCode::from(code);
    }
    let text = err.render().to_string();
    let mut help = "vault".to_owned();
    let mut parts = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(usage) = line.strip_prefix("Usage: ") {
            // "vault exec [OPTIONS] ..." names the command whose --help to point at.
            let words = usage.split_whitespace().take_while(|w| !w.starts_with(['[', '<']));
            help = words.collect::<Vec<_>>().join(" ");
        } else if !line.is_empty() && !line.starts_with("For more information") {
            parts.push(line.strip_prefix("error: ").unwrap_or(line));
        }
    }
    let line = terminal(&format!("{}; see `{help} --help`", parts.join("; ")));
    let _ = writeln!(io::stderr().lock(), "vault: {line}");
    ExitCode::from(code)
}

/// Prints the error as one line and picks the exit status.
pub fn report(err: &anyhow::Error) -> ExitCode {
    let mut cancelled = false;
    for cause in err.chain() {
        // Output piped into `head` and closed early is not a failure; any
        // other broken pipe (a peer hanging up) is.
        if let Some(ioerr) = cause.downcast_ref::<io::Error>()
            && ioerr.get_ref().is_some_and(|inner| inner.is::<StdoutClosed>())
        {
            return ExitCode::SUCCESS;
        }
        if matches!(cause.downcast_ref(), Some(TtyError::Cancelled { .. }))
            || matches!(cause.downcast_ref(), Some(StoreError::Cancelled))
            || matches!(cause.downcast_ref(), Some(MfaError::Prompt(TtyError::Cancelled { .. })))
        {
            cancelled = true;
        }
    }
    let line = crate::one_line(err);
    let _ = writeln!(io::stderr().lock(), "vault: {line}");
    if cancelled { ExitCode::from(EXIT_CANCELLED) } else { ExitCode::FAILURE }
}

/// Standard output for a command's result, locked for the command. A write
/// that fails because the reader went away (`vault list | head -1`) carries
/// [`StdoutClosed`], the one broken pipe [`report`] lets pass.
fn out() -> Out {
    Out(io::stdout().lock())
}

struct Out(io::StdoutLock<'static>);

#[derive(Debug, thiserror::Error)]
#[error("standard output was closed")]
struct StdoutClosed;

impl Out {
    fn mark(err: io::Error) -> io::Error {
        match err.kind() {
            io::ErrorKind::BrokenPipe => io::Error::new(io::ErrorKind::BrokenPipe, StdoutClosed),
            _ => err,
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(Self::mark)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(Self::mark)
    }
}

/// Advice about how the credentials were made (e.g. a shortened duration),
/// on stderr so it never mixes with credential output.
fn print_notes(notes: &[String]) -> Result<()> {
    let mut err = io::stderr().lock();
    for note in notes {
        writeln!(err, "vault: note: {}", terminal(note))?;
    }
    Ok(())
}

/// A hook step of `hook-env`, `use`, `unuse` or `reload`: its messages on
/// stderr, then the code the shell function evaluates on stdout.
fn print_step(step: crate::shell::engine::Step) -> Result<()> {
    for notice in &step.notices {
        eprintln!("vault: {}", terminal(notice));
    }
    write!(out(), "{}", step.code)?;
    Ok(())
}

/// `1 session`, `2 sessions`.
fn count(n: usize, thing: &str) -> String {
    if n == 1 { format!("{n} {thing}") } else { format!("{n} {thing}s") }
}

/// The profiles in the config and those with stored keys (by name only,
/// never unlocking the store); `None` when either cannot be read, so a
/// caller does not call a profile unknown on a guess.
fn known_profiles(ctx: &Context) -> Option<Vec<String>> {
    let mut names = ctx.config().ok()?.profile_names();
    if let Some(store) = ctx.listing_store().ok()? {
        names.extend(crate::store::CredentialKeyring::new(store.as_ref()).names().ok()?);
    }
    Some(names)
}

/// `; did you mean "work"?` for a name close to a known profile, else nothing.
fn near_miss(profile: &str, known: &[String]) -> String {
    crate::config::suggest(profile, known.iter().map(String::as_str))
        .map_or_else(String::new, |s| format!("; did you mean {s:?}?"))
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn one_is_singular() {
        assert_eq!(super::count(0, "session"), "0 sessions");
        assert_eq!(super::count(1, "session"), "1 session");
        assert_eq!(super::count(2, "sign-in"), "2 sign-ins");
    }
}
