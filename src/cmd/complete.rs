//! `vault __complete`: answer a TAB for the completion scripts, one
//! candidate per line in the shape the asking shell reads.

use std::io::Write;

use anyhow::Result;
use clap::FromArgMatches;

use crate::cli::{CompleteArgs, GlobalArgs};
use crate::complete::{self, Candidate, Quoting, Word};
use crate::context::{Context, Settings};
use crate::shell::Shell;

pub fn run(ctx: &Context, args: CompleteArgs) -> Result<()> {
    let lines: Vec<String> = match args.shell {
        Shell::Bash => {
            let mut words =
                complete::split_words(args.line.as_deref().unwrap_or(""), Quoting::Posix);
            let current = words.pop().unwrap_or(Word { value: String::new(), quoted: false });
            let words: Vec<String> = words.into_iter().map(|w| w.value).collect();
            let found = candidates(ctx, &words, &current.value);
            complete::bash_replies(&current, args.cur.as_deref().unwrap_or(""), &found)
        }
        Shell::Zsh => {
            // zsh hands over its words as typed, the one at the cursor last.
            let mut words: Vec<String> =
                args.words.iter().map(|w| complete::unquote(w, Quoting::Posix)).collect();
            let current = words.pop().unwrap_or_default();
            let found = candidates(ctx, &words, &current);
            if args.plain {
                // compctl takes bare values and quotes them itself.
                found.into_iter().map(|c| c.value).collect()
            } else {
                found.iter().map(complete::zsh_item).collect()
            }
        }
        Shell::Fish | Shell::Pwsh => {
            // Both hand over the earlier words unquoted; fish gives the
            // current one as typed, PowerShell's glue unquotes it.
            let cur = args.cur.unwrap_or_default();
            let current = match args.shell {
                Shell::Fish => complete::unquote(&cur, Quoting::Fish),
                _ => cur,
            };
            let found = candidates(ctx, &args.words, &current);
            found.iter().map(complete::tab_item).collect()
        }
    };
    let mut out = super::out();
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The words offered for `current` after `words`. `vault --file-dir X exec
/// <TAB>` lists the store in X: the global flags typed on the line count,
/// with the environment for the rest, as the command would see them.
/// One command tree serves both the parse of the line and the engine.
fn candidates(ctx: &Context, words: &[String], current: &str) -> Vec<Candidate> {
    // A line being typed is incomplete: it parses for what it has.
    let mut cmd = crate::cli::full_command().ignore_errors(true);
    let (settings, sub) = match parse_line(&mut cmd, words) {
        Some((settings, sub)) => (settings, sub),
        None => (ctx.settings.clone(), None),
    };
    complete::candidates(
        cmd,
        Context::new(ctx.env.clone(), settings),
        words,
        current,
        sub.as_deref(),
    )
}

/// The settings the global flags on the line choose, and the subcommand
/// it names, if any.
fn parse_line(cmd: &mut clap::Command, words: &[String]) -> Option<(Settings, Option<String>)> {
    let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
    if args.is_empty() {
        args.push("vault");
    }
    let matches = cmd.try_get_matches_from_mut(args).ok()?;
    let global = GlobalArgs::from_arg_matches(&matches).ok()?;
    Some((Settings::from(&global), matches.subcommand_name().map(str::to_owned)))
}
