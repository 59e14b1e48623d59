//! `vault exec`: run a command with short-lived credentials in its
//! environment, replacing this process with it.

use std::io::{IsTerminal, Write};
use std::os::unix::process::CommandExt;
use std::process::Command;

use anyhow::{Result, bail};

use crate::cli::ExecArgs;
use crate::context::Context;
use crate::envvars;
use crate::sts::PlanOptions;

pub fn run(ctx: &Context, args: ExecArgs) -> Result<()> {
    if let Some(active) = ctx.env.get("AWS_VAULT") {
        bail!(
            "this shell already runs with credentials of profile \"{active}\" from vault \
             (AWS_VAULT is set); exit that subshell first, or unset AWS_VAULT to nest on purpose"
        );
    }
    let profile = ctx.profile_name(args.profile.as_deref())?;
    let plan_opts = PlanOptions { no_session: args.creds.no_session, ..Default::default() };
    let resolved = ctx.credentials(&profile, &args.creds, plan_opts)?;
    super::print_notes(&resolved.plan.notes)?;

    if args.json {
        print!("{}", envvars::format_json(&resolved.creds));
        return Ok(());
    }

    let (program, rest) = match args.command.split_first() {
        Some((program, rest)) => (program.clone(), rest.to_vec()),
        None => {
            let shell = ctx.env.get("SHELL").unwrap_or("/bin/sh").to_owned();
            if std::io::stderr().is_terminal()
                && ctx.env.get("AWS_VAULT_DISABLE_HELP_MESSAGE") != Some("1")
            {
                writeln!(
                    std::io::stderr(),
                    "Starting subshell {shell}, use `exit` to exit the subshell"
                )?;
            }
            (shell, Vec::new())
        }
    };

    let mut cmd = Command::new(&program);
    cmd.args(&rest);
    for var in envvars::CLEARED {
        cmd.env_remove(var);
    }
    cmd.env("AWS_VAULT", &profile);
    if let Some(url) = &resolved.config.endpoint_url {
        cmd.env("AWS_ENDPOINT_URL", url);
    }
    let region = resolved.config.region.as_deref();
    for (key, value) in envvars::credential_vars(&resolved.creds, region) {
        cmd.env(key, value);
    }
    // On success exec never returns: the command takes over this process, its
    // signals and its exit status.
    let err = cmd.exec();
    bail!("could not run {program:?}: {err}")
}
