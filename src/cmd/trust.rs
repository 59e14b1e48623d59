//! `vault allow` and `vault deny`: trust or block an `.awsprofile`.

use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::cli::TrustArgs;
use crate::context::Context;
use crate::trust::{self, TrustError};

pub fn allow(ctx: &Context, args: TrustArgs) -> Result<()> {
    let (file, contents) = target(ctx, args.path)?;
    // Only a file that names a valid profile can be trusted.
    let profile = trust::parse(&file, &contents)?;
    ctx.trust_store()?.allow(&file, &contents)?;
    eprintln!("vault: trusted {} ({profile})", file.display());
    Ok(())
}

pub fn deny(ctx: &Context, args: TrustArgs) -> Result<()> {
    let (file, contents) = target(ctx, args.path)?;
    ctx.trust_store()?.deny(&file, &contents)?;
    eprintln!("vault: blocked {}", file.display());
    Ok(())
}

/// The file named, the `.awsprofile` in a directory named, or the nearest
/// one above the current directory.
fn target(ctx: &Context, path: Option<PathBuf>) -> Result<(PathBuf, String)> {
    let start = match path {
        Some(p) if p.is_file() => return Ok((p.clone(), trust::read(&p)?)),
        Some(p) => p,
        None => std::env::current_dir().context("could not read the current directory")?,
    };
    let home = ctx.home().ok();
    let (file, _) =
        trust::find(&start, home.as_deref()).ok_or(TrustError::NotFound { dir: start.clone() })?;
    let contents = trust::read(&file)?;
    Ok((file, contents))
}
