//! `vault login`: sign the browser in to the AWS console with a profile's
//! credentials, or print the sign-in URL.

use std::io::Write;
use std::time::Duration;

use anyhow::{Result, bail};

use crate::aws::signin::{self, ConsoleCredentials};
use crate::aws::{EndpointSettings, Service, Sts, endpoint};
use crate::cli::LoginArgs;
use crate::context::Context;
use crate::creds::Credentials;
use crate::sts::{self, CredentialOptions, PlanOptions, Source, Step};

pub fn run(ctx: &Context, args: LoginArgs) -> Result<()> {
    if args.sso_only {
        let profile = ctx.profile_name(args.profile.as_deref())?;
        let opts = CredentialOptions::from(&args.creds);
        let start_url = sts::sso_sign_in(ctx, &profile, &opts)?;
        eprintln!("vault: signed in to {}", crate::escape::terminal(&start_url));
        return Ok(());
    }
    let named = args.profile.clone().or_else(|| ctx.env.get("AWS_PROFILE").map(str::to_owned));
    let (console, region) = match named {
        Some(profile) => from_profile(ctx, &args, &profile)?,
        // As aws-vault: with no profile, the credentials in the environment,
        // e.g. `vault login` inside a `vault exec` subshell.
        None => from_environment(ctx, &args)?,
    };
    let url = signin::sign_in_url(&ctx.env, region.as_deref(), args.path.as_deref(), &console)?;

    if args.stdout {
        writeln!(super::out(), "{}", url.expose())?;
        return Ok(());
    }
    if !crate::browser::can_open(&ctx.env) {
        super::print_notes(&["no browser to open here (no $BROWSER or display), so here is the \
                              sign-in URL; it is valid for 15 minutes and signs in whoever opens it"
            .to_owned()])?;
        writeln!(super::out(), "{}", url.expose())?;
        return Ok(());
    }
    match crate::browser::open(&ctx.env, url.expose()) {
        // The page holding the URL goes as soon as the browser opened it.
        Ok(page) => page.wait(),
        Err(e) => {
            super::print_notes(&[format!(
                "could not open a browser ({e}), so here is the sign-in URL; it is valid for 15 \
                 minutes and signs in whoever opens it"
            )])?;
            writeln!(super::out(), "{}", url.expose())?;
        }
    }
    Ok(())
}

fn from_profile(
    ctx: &Context,
    args: &LoginArgs,
    profile: &str,
) -> Result<(ConsoleCredentials, Option<String>)> {
    // The console takes role sessions and federation tokens; GetFederationToken
    // refuses session credentials, so the profile's own keys must not go
    // through GetSessionToken first. Sources further down the chain still do.
    let plan_opts =
        PlanOptions { no_session: args.creds.no_session, no_session_for: Some(profile.to_owned()) };
    let resolved = sts::fetch(ctx, profile, &CredentialOptions::from(&args.creds), plan_opts)?;
    super::print_notes(&resolved.plan.notes)?;
    let config = &resolved.config;
    let ends_in_role = match resolved.plan.steps.last() {
        Some(Step::AssumeRole(_)) => true,
        Some(Step::SessionToken(_)) => false,
        None => matches!(resolved.plan.source, Source::WebIdentity(_) | Source::Sso(_)),
    };
    if ends_in_role {
        return Ok((ConsoleCredentials::role(resolved.creds), config.region.clone()));
    }
    let sts = Sts::for_profile(config, &ctx.env)?;
    let duration = args.federation_token_ttl.unwrap_or(config.federation_token_duration);
    let origin = signin::Origin::Profile(profile);
    let console = signin::console_credentials(&sts, origin, resolved.creds, duration)?;
    if console.federation_token && config.mfa_serial.is_some() {
        super::print_notes(&[format!(
            "profile \"{profile}\" has mfa_serial, but AWS makes console sessions \
             for IAM users only with sts:GetFederationToken, which takes no MFA and \
             refuses MFA sessions: this sign-in is without MFA; sign in through a \
             role profile with mfa_serial to keep it"
        )])?;
    }
    Ok((console, config.region.clone()))
}

/// The credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and
/// AWS_SESSION_TOKEN), with the region and STS endpoint from the environment.
fn from_environment(
    ctx: &Context,
    args: &LoginArgs,
) -> Result<(ConsoleCredentials, Option<String>)> {
    let env = &ctx.env;
    let (Some(id), Some(secret)) = (env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))
    else {
        bail!(
            "no profile given and no credentials in the environment; name a profile \
             (`vault login work`) or set AWS_PROFILE"
        );
    };
    let creds = Credentials {
        session_token: env.get("AWS_SESSION_TOKEN").map(crate::creds::Secret::new),
        ..Credentials::long_term(id, secret)
    };
    // Where the region is read from the environment rather than the config.
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(region) = env.get(var) {
            crate::config::check_region(region)
                .map_err(|reason| anyhow::anyhow!("{var}={region:?} is invalid: {reason}"))?;
            break;
        }
    }
    let settings = EndpointSettings::from_env(env);
    let sts = Sts::new(endpoint::resolve(Service::STS, &settings, env))?;
    let duration = match args.federation_token_ttl.or(args.creds.duration) {
        Some(d) => d,
        None => match env.get("AWS_FEDERATION_TOKEN_TTL") {
            Some(text) => crate::duration::parse_duration(text).map_err(|e| {
                anyhow::anyhow!("AWS_FEDERATION_TOKEN_TTL=\"{text}\" is invalid: {e}")
            })?,
            None => Duration::from_secs(3600),
        },
    };
    let origin = signin::Origin::Environment { exec_profile: env.get("AWS_VAULT") };
    let console = signin::console_credentials(&sts, origin, creds, duration)?;
    Ok((console, settings.region))
}
