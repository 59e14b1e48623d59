//! Every process vault starts is built here, so that none inherits vault's
//! own secrets: the file store's passphrase and the shell hook's saved state
//! (which may hold the user's own long-term keys) stay in this process.

use std::ffi::OsStr;
use std::process::Command;

/// Variables vault reads but no program it starts may see:
/// `AWS_VAULT_FILE_PASSPHRASE` unlocks the whole file store, and
/// `__VAULT_STATE` holds the values the hook replaced, possibly long-term keys.
pub const SCRUBBED: [&str; 2] = ["AWS_VAULT_FILE_PASSPHRASE", "__VAULT_STATE"];

/// `Command::new(program)` with the [`SCRUBBED`] variables removed from the
/// environment it inherits.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut cmd = Command::new(program);
    for var in SCRUBBED {
        cmd.env_remove(var);
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbed_variables_are_removed() {
        let cmd = command("env");
        let removed: Vec<_> =
            cmd.get_envs().filter(|(_, v)| v.is_none()).map(|(k, _)| k.to_owned()).collect();
        for var in SCRUBBED {
            assert!(removed.iter().any(|k| k == var), "{var} not removed");
        }
    }
}
