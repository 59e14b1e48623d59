//! `vault unlock`: asks the file store's passphrase once, checks it, and
//! hands it to the agent for a while.

use std::io::Write as _;

use anyhow::Result;
use chrono::{DateTime, SecondsFormat};

use crate::agent;
use crate::cli::UnlockArgs;
use crate::context::Context;
use crate::duration::format_duration;
use crate::prompt::EnvOrPrompt;
use crate::store::{Backend, FileStore};

pub fn run(ctx: &Context, args: UnlockArgs) -> Result<()> {
    let backend = ctx.settings.store.backend;
    if backend != Backend::File {
        let agent = match backend {
            Backend::SecretService => "the keyring daemon",
            Backend::Keyctl => "the kernel keyring",
            Backend::Pass => "gpg-agent",
            _ => "its own system",
        };
        writeln!(
            super::out(),
            "the {} backend is unlocked by {agent}; nothing to do",
            backend_name(backend)
        )?;
        return Ok(());
    }
    let timeout = match args.timeout {
        Some(timeout) => timeout,
        None => agent::default_timeout(&ctx.env)?,
    };
    let dir = ctx.settings.store.file_dir(&ctx.env)?;
    let source = EnvOrPrompt::new(&ctx.env, ctx.prompt()).without_auto_unlock();
    let store = FileStore::new(dir.clone(), Box::new(source));
    let passphrase = store.checked_passphrase()?;
    let until = agent::ensure_running(&ctx.env)?.unlock(&dir, &passphrase, timeout)?;
    let until = DateTime::from_timestamp(until, 0)
        .map_or_else(|| "?".to_owned(), |t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
    writeln!(
        super::out(),
        "unlocked {} until {until} ({})",
        dir.display(),
        format_duration(timeout)
    )?;
    Ok(())
}

fn backend_name(backend: Backend) -> String {
    use clap::ValueEnum;
    backend.to_possible_value().map_or_else(String::new, |v| v.get_name().to_owned())
}
