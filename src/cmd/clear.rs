//! `vault clear`: drop cached sessions and IAM Identity Center sign-ins, keeping
//! long-term credentials.

use std::io::Write as _;

use anyhow::Result;

use crate::cli::ClearArgs;
use crate::context::Context;
use crate::sso;
use crate::store::{OidcTokenKeyring, SessionKeyring};

pub fn run(ctx: &Context, args: ClearArgs) -> Result<()> {
    let store = ctx.store()?;
    let sessions = SessionKeyring::new(store.as_ref());
    let tokens = OidcTokenKeyring::new(store.as_ref());
    let (n, signed_out) = match &args.profile {
        Some(profile) => {
            // As ByteNess aws-vault: the profile's sign-in goes too.
            // A config that does not load must not stop a clean-up: then only sessions go.
            let start_url = ctx.config().ok().and_then(|cfg| sso::start_url_of(&cfg, profile));
            let signed_out = match start_url {
                Some(url) => usize::from(tokens.remove(&url)?),
                None => 0,
            };
            (sessions.remove_for_profile(profile)?, signed_out)
        }
        None => (sessions.remove_all()?, tokens.remove_all()?),
    };
    writeln!(super::out(), "Cleared {n} sessions.")?;
    if signed_out > 0 {
        writeln!(super::out(), "Cleared {signed_out} IAM Identity Center sign-ins.")?;
    }
    Ok(())
}
