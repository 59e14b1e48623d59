//! `vault clear`: drop cached sessions, keeping long-term credentials.

use anyhow::Result;

use crate::cli::ClearArgs;
use crate::context::Context;
use crate::store::SessionKeyring;

pub fn run(ctx: &Context, args: ClearArgs) -> Result<()> {
    let store = ctx.store()?;
    let sessions = SessionKeyring::new(store.as_ref());
    let n = match &args.profile {
        Some(profile) => sessions.remove_for_profile(profile)?,
        None => sessions.remove_all()?,
    };
    println!("Cleared {n} sessions.");
    Ok(())
}
