//! `vault export`: print short-lived credentials in a chosen format.

use std::io::Write as _;

use anyhow::Result;

use crate::cli::{ExportArgs, ExportFormat};
use crate::context::Context;
use crate::credential_vars;
use crate::sts::{self, CredentialOptions, PlanOptions};

pub fn run(ctx: &Context, args: ExportArgs) -> Result<()> {
    // Inside `vault exec` a bare `vault export` would print some other profile's
    // credentials (AWS_PROFILE's or default's) beside the shell's own. A named
    // profile stays allowed: `credential_process = vault export --format json X`
    // runs inside exec shells too.
    if let (Some(active), None) = (ctx.env.get("AWS_VAULT"), &args.profile) {
        anyhow::bail!(
            "this shell already runs with credentials of profile \"{active}\" from vault \
             (AWS_VAULT is set); name the profile to export (`vault export {active}`), or \
             unset AWS_VAULT"
        );
    }
    let profile = ctx.profile_name(args.profile.as_deref())?;
    let plan_opts = PlanOptions { no_session: args.creds.no_session, ..Default::default() };
    let resolved = sts::fetch(ctx, &profile, &CredentialOptions::from(&args.creds), plan_opts)?;
    super::print_notes(&resolved.plan.notes)?;

    let creds = &resolved.creds;
    let region = resolved.config.region.as_deref();
    let text = match args.format {
        ExportFormat::Env => credential_vars::format_env(&credential_vars::list(creds, region)),
        ExportFormat::ExportEnv => {
            credential_vars::format_export_env(&credential_vars::list(creds, region))
        }
        ExportFormat::Json => credential_vars::format_json(creds),
        ExportFormat::Ini => credential_vars::format_ini(&profile, creds, region),
    };
    write!(super::out(), "{text}")?;
    Ok(())
}
