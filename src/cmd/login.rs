//! `vault login`: sign the browser in to the AWS console with a profile's
//! credentials, or print the sign-in URL.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use crate::cli::LoginArgs;
use crate::console::{self, Caller};
use crate::context::Context;
use crate::creds::Credentials;
use crate::sts::{PlanOptions, Source, Step, Sts, sts_target};

pub fn run(ctx: &Context, args: LoginArgs) -> Result<()> {
    let profile = ctx.profile_name(args.profile.as_deref())?;
    // The console takes role sessions and federation tokens; GetFederationToken
    // refuses session credentials, so the profile's own keys must not go
    // through GetSessionToken first. Sources further down the chain still do.
    let plan_opts =
        PlanOptions { no_session: args.creds.no_session, no_session_for: Some(profile.clone()) };
    let resolved = ctx.credentials(&profile, &args.creds, plan_opts)?;
    super::print_notes(&resolved.plan.notes)?;
    let config = &resolved.config;
    let region = config.region.as_deref();

    let ends_in_role = match resolved.plan.steps.last() {
        Some(Step::AssumeRole(_)) => true,
        Some(Step::SessionToken(_)) => false,
        None => matches!(resolved.plan.source, Source::WebIdentity(_)),
    };
    let (console_creds, session_duration) = if ends_in_role {
        let d = console::session_duration(&resolved.creds, chrono::Utc::now());
        (resolved.creds, Some(d))
    } else {
        let sts = Sts::new(sts_target(config, &ctx.env))?;
        let who = sts.get_caller_identity(&resolved.creds).with_context(|| {
            format!("could not tell whose credentials profile \"{profile}\" has")
        })?;
        match console::caller_kind(&who.arn) {
            Caller::Role => {
                let d = console::session_duration(&resolved.creds, chrono::Utc::now());
                (resolved.creds, Some(d))
            }
            Caller::FederatedUser => (resolved.creds, None),
            Caller::User => {
                let duration =
                    args.federation_token_ttl.unwrap_or(config.federation_token_duration);
                let creds = federation_token(&sts, &profile, &resolved.creds, &who.arn, duration)?;
                if config.mfa_serial.is_some() {
                    super::print_notes(&[format!(
                        "profile \"{profile}\" has mfa_serial, but AWS makes console sessions \
                         for IAM users only with sts:GetFederationToken, which takes no MFA and \
                         refuses MFA sessions: this sign-in is without MFA; sign in through a \
                         role profile with mfa_serial to keep it"
                    )])?;
                }
                (creds, None)
            }
        }
    };

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
