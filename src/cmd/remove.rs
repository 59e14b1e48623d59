//! `vault remove`: delete a profile's stored credentials and its sessions (and, for an
//! IAM Identity Center profile, which stores no credentials, its sign-in).

use std::io::Write as _;

use anyhow::{Result, bail};

use crate::cli::RemoveArgs;
use crate::context::Context;
use crate::prompt::terminal;
use crate::sso;
use crate::store::{CredentialKeyring, OidcTokenKeyring, SessionKeyring};

pub fn run(ctx: &Context, args: RemoveArgs) -> Result<()> {
    let profile = args.profile.as_str();
    let store = ctx.store()?;
    let sessions = SessionKeyring::new(store.as_ref());

    if args.sessions_only {
        let n = sessions.remove_for_profile(profile)?;
        writeln!(super::out(), "Deleted {}.", super::count(n, "session"))?;
        return Ok(());
    }

    let keyring = CredentialKeyring::new(store.as_ref());
    let stored = keyring.has(profile)?;
    if !stored
        && let Some(start_url) = ctx.config().ok().and_then(|cfg| sso::start_url_of(&cfg, profile))
    {
        let n = sessions.remove_for_profile(profile)?;
        writeln!(super::out(), "Deleted {}.", super::count(n, "session"))?;
        if OidcTokenKeyring::new(store.as_ref()).remove(&start_url)? {
            let start_url = crate::escape::terminal(&start_url);
            writeln!(super::out(), "Deleted the IAM Identity Center sign-in to {start_url}.")?;
        }
        return Ok(());
    }
    if !stored {
        let near = super::near_miss(profile, &keyring.names().unwrap_or_default());
        bail!(
            "no credentials are stored for profile \"{profile}\"{near}; \
             `vault list --credentials` shows the stored ones"
        );
    }
    if !args.force {
        // Enter keeps them, as aws-vault 7 and `vault add`'s overwrite question do:
        // long-term keys cannot be fetched again.
        let question = format!("Delete credentials for profile \"{profile}\"? (y|N) ");
        match terminal::confirm(&question, false) {
            Ok(true) => {}
            Ok(false) => {
                writeln!(super::out(), "Kept the credentials for profile \"{profile}\".")?;
                return Ok(());
            }
            Err(terminal::TtyError::NoTerminal { .. }) => {
                bail!("no terminal to confirm on; use `vault remove --force {profile}`")
            }
            Err(e) => return Err(e.into()),
        }
    }
    keyring.remove(profile)?;
    writeln!(super::out(), "Deleted credentials.")?;
    let n = sessions.remove_for_profile(profile)?;
    writeln!(super::out(), "Deleted {}.", super::count(n, "session"))?;
    Ok(())
}
