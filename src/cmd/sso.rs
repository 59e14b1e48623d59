//! `vault sso list` and `vault sso populate`: the accounts and roles an IAM Identity
//! Center sign-in reaches, and a generated profile for each in the AWS config.

use std::io::Write;

use anyhow::{Result, anyhow};

use crate::cli::{SsoArgs, SsoCommand, SsoListArgs, SsoPopulateArgs, SsoSignInArgs};
use crate::config::{self, ConfigFile};
use crate::context::Context;
use crate::sso::populate::{self, Action, Options, Plan, Template};
use crate::sso::{Assignment, SignIn, SignInOptions, SsoSession};

pub fn run(ctx: &Context, args: SsoArgs) -> Result<()> {
    match args.command {
        SsoCommand::List(args) => list(ctx, args),
        SsoCommand::Populate(args) => populate(ctx, args),
    }
}

/// Signs in (if needed) and lists what the sign-in reaches.
fn assignments(
    ctx: &Context,
    cfg: &ConfigFile,
    args: &SsoSignInArgs,
) -> Result<(SsoSession, Vec<Assignment>)> {
    let session = SsoSession::chosen(
        cfg,
        args.sso_session.as_deref(),
        args.start_url.as_deref(),
        args.sso_region.as_deref(),
    )?;
    let store = ctx.store()?;
    let opts = SignInOptions::from(args);
    let label = session.name.clone().unwrap_or_else(|| session.start_url.clone());
    let sign_in = SignIn {
        profile: &label,
        session: &session,
        store: store.as_ref(),
        env: &ctx.env,
        opts: &opts,
        lock_path: ctx.home()?.join(".awsvault").join(".sso.lock"),
    };
    let listed = sign_in
        .assignments()
        .map_err(|e| e.context(format!("could not list the accounts of {}", session.start_url)))?;
    Ok((session, listed))
}

fn list(ctx: &Context, args: SsoListArgs) -> Result<()> {
    let cfg = ctx.config()?;
    let (session, listed) = assignments(ctx, &cfg, &args.sign_in)?;
    let pointing = populate::profiles_pointing(&cfg, &session.start_url);
    let profiles = |a: &Assignment| {
        pointing.get(&(a.account_id.clone(), a.role_name.clone())).cloned().unwrap_or_default()
    };
    let mut out = super::out();
    if args.json {
        let rows: Vec<serde_json::Value> = listed
            .iter()
            .map(|a| {
                serde_json::json!({
                    "accountId": a.account_id,
                    "accountName": a.account_name,
                    "roleName": a.role_name,
                    "profiles": profiles(a),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(());
    }
    let mut rows = vec![
        ["Account".into(), "Name".into(), "Role".into(), "Profiles".into()],
        ["=======".into(), "====".into(), "====".into(), "========".into()],
    ];
    for a in &listed {
        let names = profiles(a);
        let names = if names.is_empty() { "-".to_owned() } else { names.join(", ") };
        rows.push([a.account_id.clone(), a.account_name.clone(), a.role_name.clone(), names]);
    }
    out.write_all(super::list::render(&rows).as_bytes())?;
    Ok(())
}

fn populate(ctx: &Context, args: SsoPopulateArgs) -> Result<()> {
    let template = Template::parse(&args.template).map_err(|e| anyhow!("--template: {e}"))?;
    if let Some(region) = &args.region {
        config::check_region(region).map_err(|e| anyhow!("--region {region:?}: {e}"))?;
    }
    let cfg = ctx.config()?;
    let (session, listed) = assignments(ctx, &cfg, &args.sign_in)?;
    let opts = Options {
        session: &session,
        template: &template,
        prefix: &args.prefix,
        region: args.region.as_deref(),
        prune: args.prune,
    };
    // Planned again on the file as it is under the lock: it may have changed while
    // the portal was asked.
    let make = |cfg: &ConfigFile, text: &str| -> Result<(Plan, Vec<config::Change>)> {
        let mut plan = populate::plan(cfg, text, &listed, &opts)
            .map_err(|e| anyhow!("cannot write the profiles to {}: {e}", cfg.path().display()))?;
        let changes = std::mem::take(&mut plan.changes);
        Ok((plan, changes))
    };
    let path = ctx.config_path();
    let plan =
        if args.dry_run { config::preview(&path, make)? } else { config::update(&path, make)? };

    let mut rows: Vec<[String; 5]> = Vec::new();
    for e in plan.entries.iter().filter(|e| e.action != Action::Keep) {
        let (sign, note) = match e.action {
            Action::Add => ("+", ""),
            Action::Update => ("~", "settings changed"),
            Action::Remove => ("-", "no longer listed"),
            Action::Stale => ("!", "no longer listed; --prune removes it"),
            Action::HandWritten => ("=", "not generated, left as it is"),
            Action::Keep => unreachable!("filtered out"),
        };
        rows.push([
            sign.into(),
            e.profile.clone(),
            e.account_id.clone(),
            e.role_name.clone(),
            note.into(),
        ]);
    }
    let count = |action| plan.entries.iter().filter(|e| e.action == action).count();
    let mut out = super::out();
    out.write_all(super::list::render(&rows).as_bytes())?;
    writeln!(
        out,
        "{}: {} added, {} updated, {} removed, {} unchanged, {} hand-written, {} no longer listed{}",
        path.display(),
        count(Action::Add),
        count(Action::Update),
        count(Action::Remove),
        count(Action::Keep),
        count(Action::HandWritten),
        count(Action::Stale),
        if args.dry_run { " (dry run: nothing written)" } else { "" }
    )?;
    Ok(())
}
