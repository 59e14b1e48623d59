//! Arguments of the agent commands: `unlock`, `lock` and `agent`.

use std::time::Duration;

use clap::Args;

/// Unlock the file store for a while, so commands stop asking its passphrase
///
/// Asks the passphrase once and hands it to a per-user agent (started if
/// need be), which holds it in memory until the timeout or `vault lock`.
/// Only your user can reach the agent. Other backends have their own agent
/// (keyring daemon, kernel keyring, gpg-agent): there this does nothing.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  $ vault unlock                # for 8h, or $VAULT_AGENT_TIMEOUT
  $ vault unlock --timeout 30m
  $ vault lock                  # forget now

A passphrase typed for any command also unlocks the agent for the default
time; VAULT_AGENT_AUTO_UNLOCK=0 turns that off.")]
pub struct UnlockArgs {
    /// How long to stay unlocked (Go duration: 8h, 30m, 90s) [default: $VAULT_AGENT_TIMEOUT or 8h]
    #[arg(long, value_name = "DURATION", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
}

/// Run the agent in the foreground (for a service manager)
///
/// `vault unlock` starts one on demand, which exits once locked; this one
/// stays until stopped, locked or not. It listens on
/// $XDG_RUNTIME_DIR/vault/agent.sock (else ~/.awsvault/agent/agent.sock).
#[derive(Debug, Args)]
#[command(after_long_help = "\
Examples:
  # A systemd user service
  ExecStart=/usr/local/bin/vault agent

  # Then, once a day
  $ vault unlock")]
pub struct AgentArgs {
    /// Started by a command: exit once locked or timed out
    #[arg(long, hide = true)]
    pub on_demand: bool,
}

/// A bad `--timeout` is a usage error (exit 2), as a bad `exec --duration` is.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let timeout = super::credentials::parse_duration(text)?;
    if timeout < Duration::from_secs(1) {
        return Err("give at least 1s (e.g. --timeout 8h)".to_owned());
    }
    Ok(timeout)
}
