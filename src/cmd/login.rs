//! `vault login`: sign the browser in to the AWS console with a profile's
//! credentials, or print the sign-in URL.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use crate::cli::LoginArgs;
use crate::console::{self, Caller};
use crate::context::Context;
use crate::creds::Credentials;
use crate::sts::{self, CredentialOptions, PlanOptions, Source, Step, Sts, StsTarget, sts_target};

pub fn run(ctx: &Context, args: LoginArgs) -> Result<()> {
    let named = args.profile.clone().or_else(|| ctx.env.get("AWS_PROFILE").map(str::to_owned));
    let (console_creds, session_duration, region) = match named {
        Some(profile) => from_profile(ctx, &args, &profile)?,
        // As aws-vault: with no profile, the credentials in the environment,
        // e.g. `vault login` inside a `vault exec` subshell.
        None => from_environment(ctx, &args)?,
    };
    let region = region.as_deref();

    let endpoint = console::federation_endpoint(&ctx.env, region)?;
    let token = console::signin_token(&endpoint, &console_creds, session_duration)?;
    let url =
        console::login_url(&endpoint, &console::destination(region, args.path.as_deref()), &token);

    if args.stdout {
        writeln!(std::io::stdout(), "{}", url.expose())?;
        return Ok(());
    }
    if !console::can_open_browser(&ctx.env) {
        super::print_notes(&["no browser to open here (no $BROWSER or display), so here is the \
                              sign-in URL; it is valid for 15 minutes and signs in whoever opens it"
            .to_owned()])?;
        writeln!(std::io::stdout(), "{}", url.expose())?;
        return Ok(());
    }
    if let Err(e) = webbrowser::open(url.expose()) {
        super::print_notes(&[format!(
            "could not open a browser ({e}), so here is the sign-in URL; it is valid for 15 \
             minutes and signs in whoever opens it"
        )])?;
        writeln!(std::io::stdout(), "{}", url.expose())?;
    }
    Ok(())
}

/// What the console needs: credentials, the session length to ask for (None
/// for federation tokens, which carry their own), and the region.
type ConsoleCreds = (Credentials, Option<Duration>, Option<String>);

fn from_profile(ctx: &Context, args: &LoginArgs, profile: &str) -> Result<ConsoleCreds> {
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
        None => matches!(resolved.plan.source, Source::WebIdentity(_)),
    };
    if ends_in_role {
        let d = console::session_duration(&resolved.creds, chrono::Utc::now());
        return Ok((resolved.creds, Some(d), config.region.clone()));
    }
    let sts = Sts::new(sts_target(config, &ctx.env))?;
    let duration = args.federation_token_ttl.unwrap_or(config.federation_token_duration);
    let (creds, d, made_token) = by_caller(&sts, profile, resolved.creds, duration)?;
    if made_token && config.mfa_serial.is_some() {
        super::print_notes(&[format!(
            "profile \"{profile}\" has mfa_serial, but AWS makes console sessions \
             for IAM users only with sts:GetFederationToken, which takes no MFA and \
             refuses MFA sessions: this sign-in is without MFA; sign in through a \
             role profile with mfa_serial to keep it"
        )])?;
    }
    Ok((creds, d, config.region.clone()))
}

/// The credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and
/// AWS_SESSION_TOKEN), with the region and STS endpoint from the environment.
fn from_environment(ctx: &Context, args: &LoginArgs) -> Result<ConsoleCreds> {
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
    let region = env.get("AWS_REGION").or_else(|| env.get("AWS_DEFAULT_REGION")).map(str::to_owned);
    let endpoint_url =
        env.get("AWS_ENDPOINT_URL_STS").or_else(|| env.get("AWS_ENDPOINT_URL")).map(str::to_owned);
    let target = StsTarget {
        region: region.clone().unwrap_or_else(|| crate::sts::DEFAULT_REGION.to_owned()),
        endpoint_url,
    };
    let sts = Sts::new(target)?;
    let duration = match args.federation_token_ttl.or(args.creds.duration) {
        Some(d) => d,
        None => match env.get("AWS_FEDERATION_TOKEN_TTL") {
            Some(text) => crate::config::parse_duration(text).map_err(|e| {
                anyhow::anyhow!("AWS_FEDERATION_TOKEN_TTL=\"{text}\" is invalid: {e}")
            })?,
            None => Duration::from_secs(3600),
        },
    };
    let (creds, d, _) = by_caller(&sts, "from the environment", creds, duration)?;
    Ok((creds, d, region))
}

/// Role and federated-user credentials go to the console as they are; an IAM
/// user's keys are first turned into a federation token (the bool says so).
fn by_caller(
    sts: &Sts,
    profile: &str,
    creds: Credentials,
    federation_duration: Duration,
) -> Result<(Credentials, Option<Duration>, bool)> {
    let who = sts
        .get_caller_identity(&creds)
        .with_context(|| format!("could not tell whose credentials profile \"{profile}\" has"))?;
    Ok(match console::caller_kind(&who.arn) {
        Caller::Role => {
            let d = console::session_duration(&creds, chrono::Utc::now());
            (creds, Some(d), false)
        }
        Caller::FederatedUser => (creds, None, false),
        Caller::User => {
            (federation_token(sts, profile, &creds, &who.arn, federation_duration)?, None, true)
        }
    })
}

/// `sts:GetFederationToken` for an IAM user (or root), named after the user.
fn federation_token(
    sts: &Sts,
    profile: &str,
    creds: &Credentials,
    arn: &str,
    duration: Duration,
) -> Result<Credentials> {
    if creds.session_token.is_some() {
        bail!(
            "profile \"{profile}\" gives session credentials of an IAM user, and AWS signs IAM \
             users in to the console only from their long-term keys (sts:GetFederationToken); \
             store the keys with `vault add`, or sign in through a role profile"
        );
    }
    let name = console::federation_name(arn);
    sts.get_federation_token(creds, &name, duration, console::ALLOW_ALL_POLICY)
        .with_context(|| format!("could not get a console session for profile \"{profile}\""))
}
