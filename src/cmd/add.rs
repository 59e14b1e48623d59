//! `vault add`: store an IAM user's long-term keys under a profile name.

use std::io::Write;

use anyhow::{Context as _, Result, bail};

use crate::cli::AddArgs;
use crate::config;
use crate::context::Context;
use crate::creds::{Credentials, Secret};
use crate::prompt::terminal;
use crate::store::{CredentialKeyring, SessionKeyring};

pub fn run(ctx: &Context, args: AddArgs) -> Result<()> {
    let profile = args.profile.as_str();
    if profile.trim().is_empty() || profile.chars().any(char::is_control) {
        bail!("profile name {profile:?} is empty or has control characters; choose another name");
    }
    let cfg = ctx.config()?;
    if let Some(source) = cfg.get(profile, "source_profile")
        && source != profile
    {
        bail!(
            "profile \"{profile}\" gets its credentials from source_profile \"{source}\"; \
             run `vault add {source}` instead"
        );
    }

    let store = ctx.store()?;
    let keyring = CredentialKeyring::new(store.as_ref());
    let from_env = if args.env { Some(from_env(ctx)?) } else { None };
    // Asked before the keys are typed, so a "no" costs the user nothing; with
    // the keys already in hand, the stored ones are read to compare.
    let (existed, same) = match &from_env {
        Some(new) => match keyring.get(profile)? {
            // The same keys again (a script run twice, or an `add` killed between
            // storing the keys and editing the config) overwrite nothing.
            Some(old) => (
                true,
                old.access_key_id == new.access_key_id
                    && old.secret_access_key == new.secret_access_key,
            ),
            None => (false, false),
        },
        None => (keyring.has(profile)?, false),
    };
    if existed && !same {
        let question = format!("Credentials for profile \"{profile}\" exist; overwrite? (y|N) ");
        match terminal::confirm(&question, false) {
            Ok(true) => {}
            Ok(false) => bail!("kept the existing credentials for profile \"{profile}\""),
            Err(terminal::TtyError::NoTerminal { .. }) => bail!(
                "credentials for profile \"{profile}\" already exist; run `vault remove {profile}` \
                 first, or run `vault add` on a terminal to confirm overwriting them"
            ),
            Err(e) => return Err(e.into()),
        }
    }

    if !same {
        let creds = match from_env {
            Some(creds) => creds,
            None => from_terminal()?,
        };
        keyring
            .set(profile, &creds)
            .with_context(|| format!("could not store the credentials of profile \"{profile}\""))?;
        // Sessions made from the old keys would outlive them otherwise.
        SessionKeyring::new(store.as_ref()).remove_for_profile(profile)?;
    }
    let add_config = args.add_config && !args.no_add_config && !cfg.has_profile(profile);
    if add_config && let Err(err) = config::append_profile(cfg.path(), profile) {
        // A new profile is taken back out, so a failed `add` leaves nothing behind;
        // replaced keys cannot be put back, and the message says so.
        if existed {
            return Err(anyhow::Error::new(err).context(format!(
                "the credentials of profile \"{profile}\" are stored, but the config was not updated"
            )));
        }
        keyring.remove(profile)?;
        return Err(anyhow::Error::new(err).context(format!("profile \"{profile}\" was not added")));
    }
    // Notes are escaped as they are printed; these lines here.
    let shown = crate::escape::terminal(profile);
    writeln!(super::out(), "Added credentials to profile \"{shown}\" in vault")?;
    if add_config {
        writeln!(std::io::stderr(), "Added profile \"{shown}\" to {}", cfg.path().display())?;
    }
    let mut notes = Vec::new();
    if !crate::trust::valid_profile(profile) {
        notes.push(format!(
            "an .awsprofile file cannot name profile \"{profile}\" (it takes letters, digits \
             and _.:@+/=,- only, as the name reaches shell code); `vault use` and `vault exec` \
             can, or rename it"
        ));
    }
    if !cfg.has_profile(profile) && region_of(ctx, &cfg, profile).is_none() {
        notes.push(format!(
            "profile \"{profile}\" has no region, which the commands `vault exec` runs will \
             need: add `region = us-east-1` (yours) under [profile {profile}] in {}, or pass \
             `vault exec --region us-east-1`",
            cfg.path().display()
        ));
    }
    super::print_notes(&notes)
}

/// The region `profile` resolves to (its section, what it inherits, or
/// AWS_REGION), if any.
fn region_of(ctx: &Context, cfg: &config::ConfigFile, profile: &str) -> Option<String> {
    let opts = config::ResolveOptions {
        stored_credentials: std::iter::once(profile.to_owned()).collect(),
        ..config::ResolveOptions::default()
    };
    config::resolve(cfg, profile, &ctx.env, &opts).ok()?.region
}

fn from_env(ctx: &Context) -> Result<Credentials> {
    let id = ctx.env.get("AWS_ACCESS_KEY_ID");
    let secret = ctx.env.get("AWS_SECRET_ACCESS_KEY");
    match (id, secret) {
        (Some(id), Some(secret)) => Ok(Credentials::long_term(id.trim(), secret.trim())),
        _ => bail!("--env needs both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set"),
    }
}

fn from_terminal() -> Result<Credentials> {
    let no_terminal = |err| match err {
        terminal::TtyError::NoTerminal { .. } => anyhow::anyhow!(
            "no terminal to ask for the keys on; set AWS_ACCESS_KEY_ID and \
             AWS_SECRET_ACCESS_KEY and run `vault add --env PROFILE`"
        ),
        other => other.into(),
    };
    let id = terminal::read_line("Enter Access Key Id: ", "access key id").map_err(no_terminal)?;
    let secret: Secret =
        terminal::read_secret("Enter Secret Key: ", "secret key").map_err(no_terminal)?;
    let (id, secret) = (id.trim(), secret.expose().trim());
    if id.is_empty() || secret.is_empty() {
        bail!("an access key id and a secret key are both needed; nothing was stored");
    }
    Ok(Credentials::long_term(id, secret))
}
