//! `vault clear`: drop cached sessions and IAM Identity Center sign-ins, keeping
//! long-term credentials.

use std::io::Write as _;

use anyhow::{Result, bail};

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
    if let Some(profile) = &args.profile
        && n == 0
        && signed_out == 0
        && let Some(known) = super::known_profiles(ctx)
        && !known.contains(profile)
    {
        bail!(
            "profile \"{profile}\" is neither in {} nor stored{}; `vault list` shows the profiles",
            ctx.config_path().display(),
            super::near_miss(profile, &known)
        );
    }
    writeln!(super::out(), "Cleared {}.", super::count(n, "session"))?;
    if signed_out > 0 {
        let sign_ins = super::count(signed_out, "IAM Identity Center sign-in");
        writeln!(super::out(), "Cleared {sign_ins}.")?;
    }
    Ok(())
}
