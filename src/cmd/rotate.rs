//! `vault rotate`: replace the access key stored for a profile with a new
//! one, reporting each step as it happens.

use std::io::Write;

use anyhow::{Context as _, Result, anyhow, bail};

use crate::aws::{Iam, iam};
use crate::cli::RotateArgs;
use crate::context::Context;
use crate::rotate::{Event, IamKeys, Retry, Rotation, masked};
use crate::store::CredentialKeyring;
use crate::sts::{self, CredentialOptions, PlanOptions, Source};

pub fn run(ctx: &Context, args: RotateArgs) -> Result<()> {
    let profile = ctx.profile_name(args.profile.as_deref())?;
    let opts = CredentialOptions::default();
    let plan_opts = PlanOptions { no_session: args.no_session, ..Default::default() };

    // The plan's source is the profile holding the long-term keys: the first
    // one along the source_profile chain that has keys stored.
    let first = sts::prepare(ctx, &profile, &opts, plan_opts.clone())?;
    let master = match &first.plan.source {
        Source::Stored { profile } => profile.clone(),
        _ => bail!(
            "profile \"{profile}\" gets its credentials from credential_process or web identity, \
             not from keys stored by vault, so there is no key to rotate"
        ),
    };
    let master_has_mfa =
        first.config.chain().iter().any(|p| p.name == master && p.mfa_serial.is_some());
    // AWS refuses IAM calls from a GetSessionToken session that has no MFA,
    // so a session only helps when it carries one.
    let plan_opts =
        PlanOptions { no_session_for: (!master_has_mfa).then(|| master.clone()), ..plan_opts };
    drop(first);
    let mut prepared = sts::prepare(ctx, &profile, &opts, plan_opts)?;
    prepared.use_cache = false;
    super::print_notes(&prepared.plan.notes)?;

    let old = CredentialKeyring::new(prepared.store()).get(&master)?.ok_or_else(|| {
        anyhow!("no credentials are stored for profile \"{master}\"; run `vault add {master}`")
    })?;
    if old.session_token.is_some() {
        bail!(
            "profile \"{master}\" stores temporary credentials, not an IAM user's access key, so \
             there is nothing to rotate"
        );
    }
    let target = iam::target(&prepared.config, &ctx.env);
    // Asked with the long-term keys, which always belong to the user (a role
    // session would not), and answered even without iam:GetUser.
    let user = Iam::new(&target, &old)?
        .current_user_name()
        .with_context(|| format!("could not find the IAM user of profile \"{master}\""))?;
    let via = if prepared.plan.steps.is_empty() {
        String::new()
    } else {
        format!(", through a session of profile \"{profile}\"")
    };
    say(format_args!(
        "Rotating the access key {} of IAM user {user} (profile \"{master}\"){via}",
        masked(&old.access_key_id)
    ));

    let signing = prepared.credentials(&ctx.env)?;
    let keys = IamKeys { iam: Iam::new(&target, &signing)?, target };
    let sessions_of: Vec<String> = prepared.config.chain().iter().map(|p| p.name.clone()).collect();
    let rotation = Rotation {
        store: prepared.store(),
        profile: &master,
        user: &user,
        old: &old,
        sessions_of: &sessions_of,
        retry: Retry::default(),
    };
    let new_id = rotation.run(&keys, &mut report)?;
    say(format_args!("Done: profile \"{master}\" now uses the access key {}", masked(&new_id)));
    Ok(())
}

fn report(event: Event) {
    match event {
        Event::Created { key_id } => {
            say(format_args!("Created the new access key {}", masked(&key_id)))
        }
        Event::Stored { profile } => say(format_args!("Stored it for profile \"{profile}\"")),
        Event::SessionsCleared { count: 0, .. } => {}
        Event::SessionsCleared { profile, count } => say(format_args!(
            "Deleted {} of profile \"{profile}\"",
            super::count(count, "cached session")
        )),
        Event::SessionsKept { profile, reason } => {
            let line = format!(
                "vault: note: could not delete the cached sessions of profile \"{profile}\" \
                 ({reason}); they expire on their own"
            );
            let _ = writeln!(std::io::stderr(), "{}", crate::escape::terminal(&line));
        }
        Event::Deleted { key_id } => {
            say(format_args!("Deleted the old access key {}", masked(&key_id)))
        }
    }
}

/// A progress line on stdout. Write errors are ignored on purpose: a closed
/// pipe must never stop a rotation half-way.
fn say(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stdout(), "{}", crate::escape::terminal(&line.to_string()));
}
