//! `vault allow` and `vault deny`: trust or block an `.awsprofile`.

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::cli::TrustArgs;
use crate::context::Context;
use crate::shell::engine;
use crate::store::CredentialKeyring;
use crate::trust::{self, TrustError};

pub fn allow(ctx: &Context, args: TrustArgs) -> Result<()> {
    let (file, contents) = target(ctx, args.path)?;
    // Only a file that names a valid profile can be trusted.
    let profile = trust::parse(&file, &contents)?;
    ctx.trust_store()?.allow(&file, &contents)?;
    eprintln!("vault: trusted {} ({profile})", trust::describe(&file));
    // Trusted all the same: the config may be fixed after.
    if !profile_known(ctx, &profile) {
        let near = super::near_miss(&profile, &super::known_profiles(ctx).unwrap_or_default());
        eprintln!(
            "vault: warning: profile \"{profile}\" is neither in {} nor stored{near}; fix the \
             name in the file, or add the profile (`vault add {profile}`)",
            trust::shown(&ctx.config_path())
        );
    }
    Ok(())
}

/// Whether `profile` is in the config or has stored keys (read by name
/// only, never unlocking the store). Unreadable counts as known: the
/// warning is for a name that is plainly missing.
fn profile_known(ctx: &Context, profile: &str) -> bool {
    if ctx.config().map(|c| c.has_profile(profile)).unwrap_or(true) {
        return true;
    }
    match ctx.listing_store() {
        Ok(Some(store)) => CredentialKeyring::new(store.as_ref())
            .names()
            .map(|names| names.iter().any(|n| n == profile))
            .unwrap_or(true),
        Ok(None) => false,
        Err(_) => true,
    }
}

pub fn deny(ctx: &Context, args: TrustArgs) -> Result<()> {
    let (file, contents) = target(ctx, args.path)?;
    ctx.trust_store()?.deny(&file, &contents)?;
    eprintln!("vault: blocked {}", trust::describe(&file));
    Ok(())
}

/// The file named, the `.awsprofile` in a directory named, or the nearest
/// one above the shell's directory. A relative path is taken from the
/// shell's directory too, as the path it typed.
fn target(ctx: &Context, path: Option<PathBuf>) -> Result<(PathBuf, String)> {
    let here = engine::working_dir(&ctx.env)?;
    let start = match path {
        Some(p) => {
            let p = here.join(p);
            if p.is_file() {
                let contents = trust::read(&p)?;
                return Ok((p, contents));
            }
            // A FIFO or device would block or feed endless bytes: named, not read.
            if p.exists() && !p.is_dir() {
                bail!(
                    "{} is not a regular file; an .awsprofile holds one profile name",
                    trust::shown(&p)
                );
            }
            p
        }
        None => here,
    };
    let home = ctx.home().ok();
    let (file, _) =
        trust::find(&start, home.as_deref()).ok_or(TrustError::NotFound { dir: start.clone() })?;
    let contents = trust::read(&file)?;
    Ok((file, contents))
}
