//! `vault migrate`: copy long-term credentials between backends, checking each copy by
//! reading it back before the source may be deleted.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::{Context as _, Result, bail};

use crate::cli::MigrateArgs;
use crate::context::Context;
use crate::store::{CredentialKeyring, Store, credentials};

pub fn run(ctx: &Context, args: MigrateArgs) -> Result<()> {
    if args.from == args.to {
        bail!(
            "--from and --to name the same backend; name the one to copy from and the one to copy to"
        );
    }
    let source = ctx.store_for(args.from)?;
    let target = ctx.store_for(args.to)?;
    let (from, to) = (source.backend_name(), target.backend_name());

    let stored = CredentialKeyring::new(source.as_ref()).names()?;
    let mut profiles: Vec<String> = Vec::new();
    for name in &args.profile {
        if !stored.contains(name) {
            bail!(
                "no credentials are stored for profile \"{name}\" in the {from} backend; `vault --backend={from} list --credentials` shows the stored ones"
            );
        }
        if !profiles.contains(name) {
            profiles.push(name.clone());
        }
    }
    if args.profile.is_empty() {
        profiles = stored;
    }
    let mut out = super::out();
    if profiles.is_empty() {
        writeln!(out, "No credentials are stored in the {from} backend; nothing to migrate.")?;
        return Ok(());
    }
    // Key names only: neither side is unlocked for a dry run.
    let present: BTreeSet<String> = target.keys()?.into_iter().collect();

    if args.dry_run {
        for name in &profiles {
            let note = if present.contains(name) {
                format!(
                    " (the {to} backend already has \"{name}\": kept if it holds the same keys, else reported)"
                )
            } else {
                String::new()
            };
            let name = crate::escape::terminal(name);
            writeln!(out, "Would copy \"{name}\" from {from} to {to}{note}.")?;
        }
        writeln!(out, "Dry run: nothing was changed.")?;
        return Ok(());
    }

    for name in &profiles {
        let copied = copy(source.as_ref(), target.as_ref(), name, present.contains(name))
            .with_context(|| {
                format!("could not migrate profile \"{name}\" from {from} to {to} (it is still in {from})")
            })?;
        let how = if copied { "Copied" } else { "Found the same keys already in place for" };
        let shown = crate::escape::terminal(name);
        writeln!(out, "{how} \"{shown}\" in {to} (read back and checked).")?;
        if args.delete_source {
            source.remove(name).with_context(|| {
                format!("profile \"{name}\" is safely in {to}, but deleting it from {from} failed")
            })?;
            writeln!(out, "Deleted \"{shown}\" from {from}.")?;
        }
    }
    Ok(())
}

/// Copies one profile's credentials item and checks the copy. `Ok(false)` when the target
/// already held the same data. Errors leave the source untouched.
fn copy(source: &dyn Store, target: &dyn Store, name: &str, present: bool) -> Result<bool> {
    let item = source
        .get(name)?
        .with_context(|| format!("it vanished from the {} backend", source.backend_name()))?;
    // Only sound credentials are worth moving; a damaged item would be reported by every
    // later command instead.
    credentials::decode(&item.data)
        .map_err(|reason| crate::store::StoreError::BadItem { key: name.to_owned(), reason })?;
    if present {
        match target.get(name)? {
            Some(existing) if existing.data == item.data => return Ok(false),
            Some(_) => bail!(
                "the {to} backend already holds different credentials for it; remove them there first (`vault --backend={to} remove {name}`) or leave this profile out",
                to = target.backend_name()
            ),
            None => {}
        }
    }
    target.set(item.clone())?;
    match target.get(name)? {
        Some(back) if back.data == item.data => Ok(true),
        Some(_) => {
            bail!("its copy in {} reads back different; check that backend", target.backend_name())
        }
        None => {
            bail!("its copy in {} cannot be found again; check that backend", target.backend_name())
        }
    }
}
