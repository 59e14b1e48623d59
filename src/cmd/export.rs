//! `vault export`: print short-lived credentials in a chosen format.

use anyhow::Result;

use crate::cli::{ExportArgs, ExportFormat};
use crate::context::Context;
use crate::envvars;
use crate::sts::{self, CredentialOptions, PlanOptions};

pub fn run(ctx: &Context, args: ExportArgs) -> Result<()> {
    let profile = ctx.profile_name(args.profile.as_deref())?;
    let plan_opts = PlanOptions { no_session: args.creds.no_session, ..Default::default() };
    let resolved = sts::fetch(ctx, &profile, &CredentialOptions::from(&args.creds), plan_opts)?;
    super::print_notes(&resolved.plan.notes)?;

    let creds = &resolved.creds;
    let region = resolved.config.region.as_deref();
    let text = match args.format {
        ExportFormat::Env => envvars::format_env(&envvars::credential_vars(creds, region)),
        ExportFormat::ExportEnv => {
            envvars::format_export_env(&envvars::credential_vars(creds, region))
        }
        ExportFormat::Json => envvars::format_json(creds),
        ExportFormat::Ini => envvars::format_ini(&profile, creds, region),
    };
    print!("{text}");
    Ok(())
}
