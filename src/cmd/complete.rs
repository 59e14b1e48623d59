//! `vault __complete`: answer a TAB for the completion scripts, one
//! candidate per line in the shape the asking shell reads.

use std::io::Write;

use anyhow::Result;

use crate::cli::CompleteArgs;
use crate::complete::{self, Quoting, Word};
use crate::context::Context;
use crate::shell::Shell;

pub fn run(ctx: &Context, args: CompleteArgs) -> Result<()> {
    let env = ctx.env.clone();
    let global = ctx.global.clone();
    let lines: Vec<String> = match args.shell {
        Shell::Bash => {
            let mut words =
                complete::split_words(args.line.as_deref().unwrap_or(""), Quoting::Posix);
            let current = words.pop().unwrap_or(Word { value: String::new(), quoted: false });
            let words: Vec<String> = words.into_iter().map(|w| w.value).collect();
            let found = complete::candidates(env, global, &words, &current.value);
            complete::bash_replies(&current, args.cur.as_deref().unwrap_or(""), &found)
        }
        Shell::Zsh => {
            // zsh hands over its words as typed, the one at the cursor last.
            let mut words: Vec<String> =
                args.words.iter().map(|w| complete::unquote(w, Quoting::Posix)).collect();
            let current = words.pop().unwrap_or_default();
            let found = complete::candidates(env, global, &words, &current);
            found.iter().map(complete::zsh_item).collect()
        }
        Shell::Fish | Shell::Pwsh => {
            // Both hand over the earlier words unquoted; fish gives the
            // current one as typed, PowerShell's glue unquotes it.
            let cur = args.cur.unwrap_or_default();
            let current = match args.shell {
                Shell::Fish => complete::unquote(&cur, Quoting::Fish),
                _ => cur,
            };
            let found = complete::candidates(env, global, &args.words, &current);
            found.iter().map(complete::tab_item).collect()
        }
    };
    let mut out = std::io::stdout().lock();
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
