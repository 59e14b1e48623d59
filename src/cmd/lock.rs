//! `vault lock`: the agent forgets the passphrase (and what it decrypted) now.

use std::io::Write as _;

use anyhow::Result;

use crate::agent::Client;
use crate::context::Context;

pub fn run(ctx: &Context) -> Result<()> {
    if Client::new(&ctx.env)?.lock()? {
        writeln!(
            super::out(),
            "locked: the next command that reads the file store asks its passphrase"
        )?;
    } else {
        writeln!(super::out(), "no agent was running; nothing to forget")?;
    }
    Ok(())
}
