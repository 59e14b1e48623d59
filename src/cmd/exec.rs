//! `vault exec`: run a command with short-lived credentials in its
//! environment, replacing this process with it; or, with `--ecs-server` or
//! `--ec2-server`, run it beside a local server that hands out renewing
//! credentials.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

use anyhow::{Context as _, Result, bail};

use crate::cli::ExecArgs;
use crate::config::ProfileConfig;
use crate::context::Context;
use crate::credential_vars;
use crate::prompt::Reach;
use crate::server::{self, Kind, Worker};
use crate::sts::{self, CredentialOptions, PlanOptions};

/// Returns only with `--json` or a credential server: otherwise the command replaces this
/// process.
pub fn run(ctx: &Context, args: ExecArgs) -> Result<ExitCode> {
    if let Some(active) = ctx.env.get("AWS_VAULT") {
        bail!(
            "this shell already runs with credentials of profile \"{active}\" from vault \
             (AWS_VAULT is set); exit that subshell first, or unset AWS_VAULT to nest on purpose"
        );
    }
    let mut args = args;
    // `vault exec -- aws s3 ls`: clap fills PROFILE first, but a `--` before
    // it means everything is the command and the profile is $AWS_PROFILE.
    if dashes_before_positionals(&std::env::args_os().collect::<Vec<_>>(), "exec")
        && let Some(first) = args.profile.take()
    {
        args.command.insert(0, first);
    }
    let profile = ctx.profile_name(args.profile.as_deref())?;
    let plan_opts = PlanOptions { no_session: args.creds.no_session, ..Default::default() };
    if args.ecs_server || args.ec2_server {
        return serve(ctx, &profile, args, plan_opts);
    }
    let resolved = sts::fetch(ctx, &profile, &CredentialOptions::from(&args.creds), plan_opts)?;
    super::print_notes(&resolved.plan.notes)?;

    if args.json {
        write!(super::out(), "{}", credential_vars::format_json(&resolved.creds))?;
        return Ok(ExitCode::SUCCESS);
    }

    let (mut cmd, program) = command(ctx, &args.command, &profile, &resolved.config)?;
    let region = resolved.config.region.as_deref();
    for (key, value) in credential_vars::list(&resolved.creds, region) {
        cmd.env(key, value);
    }
    if let Some(exp) = &resolved.creds.expiration {
        cmd.env("VAULT_EXPIRES_AT", credential_vars::expiration_text(exp));
    }
    // On success exec never returns: the command takes over this process, its
    // signals and its exit status.
    super::print_warnings(None);
    let err = cmd.exec();
    bail!("could not run {program:?}: {err}")
}

/// The command to run (COMMAND, else the user's shell) with the variables
/// every mode sets and clears, but no credentials yet.
fn command(
    ctx: &Context,
    command: &[String],
    profile: &str,
    config: &ProfileConfig,
) -> Result<(Command, String)> {
    let (program, rest) = match command.split_first() {
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
    let mut cmd = crate::child::command(&program);
    cmd.args(&rest);
    // In a hooked shell, the variables the hook set go back to the user's
    // own values, as the command was resolved with (`shell::own_values`).
    for (var, value) in crate::shell::own_values(&crate::env::Env::from_process()) {
        match value {
            Some(value) => cmd.env(var, value),
            None => cmd.env_remove(var),
        };
    }
    for var in credential_vars::CLEARED {
        cmd.env_remove(var);
    }
    // The hook's variables name the profile of the shell vault was started
    // in: in the child they name this one (an expiry is added where the
    // credentials have one), or prompt themes and scripts would show the
    // wrong profile.
    for var in ["VAULT_PROFILE", "VAULT_EXPIRES_AT", "AWS_CREDENTIAL_EXPIRATION"] {
        cmd.env_remove(var);
    }
    cmd.env("VAULT_PROFILE", profile);
    cmd.env("AWS_VAULT", profile);
    if let Some(url) = &config.endpoint_url {
        cmd.env("AWS_ENDPOINT_URL", url);
    }
    Ok((cmd, program))
}

/// `--ecs-server` / `--ec2-server`: everything that could ask on the
/// terminal (passphrase, MFA) happens before the command starts; then the
/// server runs until the command exits, and its exit status is ours.
fn serve(ctx: &Context, profile: &str, args: ExecArgs, plan_opts: PlanOptions) -> Result<ExitCode> {
    let kind = if args.ec2_server {
        let addr = args.ec2_server_addr.unwrap_or(server::EC2_METADATA_ADDR);
        server::check_ec2_addr(addr)?;
        Kind::Ec2 { addr, imdsv1: args.ec2_server_imdsv1 }
    } else {
        Kind::Ecs
    };
    let opts = CredentialOptions::from(&args.creds);
    let started = Worker::start(ctx, profile, &opts, plan_opts, args.lazy)?;
    super::print_notes(&started.plan.notes)?;
    // A driver that needs no terminal (a dialog, ykman, pass) asks again at
    // renewal, so only the terminal's users are warned.
    let asks_on_terminal = ctx.prompt().reach() == Reach::Terminal;
    let needing = server::mfa_needing_a_prompt(&started.config, &started.plan);
    if let Some(serial) = needing.filter(|_| asks_on_terminal) {
        if args.lazy && args.creds.mfa_token.is_none() {
            bail!(
                "with --lazy the first credentials are fetched after the command started, when \
                 vault cannot ask on the terminal for the MFA code of {serial}; drop --lazy, \
                 pass --mfa-token, set mfa_process for profile \"{profile}\", or choose a \
                 --prompt that needs no terminal (zenity, kdialog, ykman, pass)"
            );
        }
        super::print_notes(&[format!(
            "renewing these credentials later needs a new MFA code for {serial}, which vault \
             cannot ask for on the terminal while the command runs; set mfa_process for \
             profile \"{profile}\", or choose a --prompt that needs no terminal, to renew"
        )])?;
    }
    // From here on the terminal belongs to the command.
    super::print_warnings(None);
    crate::prompt::terminal_taken();

    let (mut cmd, _) = command(ctx, &args.command, profile, &started.config)?;
    if let Some(region) = &started.config.region {
        cmd.env("AWS_REGION", region).env("AWS_DEFAULT_REGION", region);
    }
    // Two threads are plenty for one machine's clients (bench/server.sh
    // measures tens of thousands of requests a second) and cost little.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("vault-server")
        .build()
        .context("could not start the async runtime")?;
    let code = runtime.block_on(async {
        let mut running = server::start(kind, &started).await?;
        for var in running.child_env_removed {
            cmd.env_remove(var);
        }
        for (key, value) in &running.child_env {
            cmd.env(key, value);
        }
        server::child::run(cmd, &mut running.notices, |notice| {
            let _ = writeln!(std::io::stderr(), "{}", crate::escape::terminal(notice));
        })
        .await
    })?;
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    // The command's status is ours, handed to main so that destructors run on the way
    // out. The credential thread is detached: an STS call it may still be in does not
    // hold up the exit. A status is 0..=255 (signals are 128 + n).
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

/// Whether `--` comes before the first positional argument of subcommand
/// `sub` in `argv` (the whole command line, program name first). Options and
/// their values are skipped, as clap reads them, so `--region x -- aws` has
/// no positional before the `--`.
pub(super) fn dashes_before_positionals(argv: &[OsString], sub: &str) -> bool {
    // Most command lines (credential_process's `exec --json P`) have no
    // `--`: answer before building the whole command tree, which main skips.
    if !argv.iter().any(|w| w == "--") {
        return false;
    }
    let app = crate::cli::full_command();
    let Some(sub_app) = app.find_subcommand(sub) else { return false };
    let mut in_sub = false;
    let mut words = argv.iter().skip(1).map(|w| w.to_string_lossy());
    while let Some(word) = words.next() {
        let scope = if in_sub { sub_app } else { &app };
        if word == "--" {
            return in_sub;
        }
        if let Some(long) = word.strip_prefix("--") {
            if !long.contains('=') && takes_value(scope, |a| a.get_long() == Some(long)) {
                words.next();
            }
        } else if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            // `-d1h` carries its value; `-d 1h` has it in the next word.
            let mut chars = shorts.chars();
            if let Some(c) = chars.next()
                && chars.next().is_none()
                && takes_value(scope, |a| a.get_short() == Some(c))
            {
                words.next();
            }
        } else if in_sub {
            return false;
        } else {
            // The subcommand (by name or alias), or another one.
            let named = app.find_subcommand(word.as_ref()).map(clap::Command::get_name);
            if named != Some(sub) {
                return false;
            }
            in_sub = true;
        }
    }
    false
}

fn takes_value(app: &clap::Command, matches: impl Fn(&clap::Arg) -> bool) -> bool {
    app.get_arguments().any(|a| matches(a) && a.get_action().takes_values())
}

#[cfg(test)]
mod tests {
    use super::dashes_before_positionals;

    fn dashes_first(line: &str) -> bool {
        let argv: Vec<_> = line.split(' ').map(std::ffi::OsString::from).collect();
        dashes_before_positionals(&argv, "exec")
    }

    #[test]
    fn dashes_before_any_positional_are_seen() {
        assert!(dashes_first("vault exec -- aws s3 ls"));
        assert!(dashes_first("vault --debug exec --region eu-west-1 -- aws"));
        assert!(dashes_first("vault --backend file exec -d 1h -t 123456 -- aws"));
        assert!(dashes_first("vault exec -d1h --region=x --ecs-server -- aws"));
        assert!(dashes_first("vault exec --region aws -- aws"));
    }

    #[test]
    fn a_profile_before_the_dashes_is_a_profile() {
        assert!(!dashes_first("vault exec work -- aws"));
        assert!(!dashes_first("vault exec work aws s3 ls"));
        assert!(!dashes_first("vault exec --region x work -- aws"));
        assert!(!dashes_first("vault exec"));
        assert!(!dashes_first("vault export -- work"));
    }
}
