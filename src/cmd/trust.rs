//! `vault allow` and `vault deny`: trust or block an `.awsprofile`.

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::TrustArgs;
use crate::context::Context;
use crate::shell::engine;
use crate::trust::{self, TrustError};

pub fn allow(ctx: &Context, args: TrustArgs) -> Result<()> {
    let (file, contents) = target(ctx, args.path)?;
    // Only a file that names a valid profile can be trusted.
    let profile = trust::parse(&file, &contents)?;
    ctx.trust_store()?.allow(&file, &contents)?;
    eprintln!("vault: trusted {} ({profile})", trust::describe(&file));
    Ok(())
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
