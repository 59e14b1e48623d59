//! The real programs the integration tests drive (shells, tmux, keyctl,
//! pwsh, ...) and the one decision about a missing one: under `tests/run.sh`,
//! which sets `VAULT_TEST_REQUIRE_PEERS=1`, a missing peer fails the test,
//! because a skipped test reads as a passing one; a developer's plain
//! `cargo test` on a machine without the peer prints a skip line instead.
//! Also how a test hands a script to pwsh without any quoting in between.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `1`: a missing peer fails the test. Unset, empty or `0`: it is skipped.
pub const REQUIRE_VAR: &str = "VAULT_TEST_REQUIRE_PEERS";

/// The Debian package that provides each peer, as tests/run.sh installs it.
const PACKAGES: &[(&str, &str)] = &[
    ("bash", "bash"),
    ("zsh", "zsh"),
    ("fish", "fish"),
    ("fish_indent", "fish"),
    ("tmux", "tmux"),
    ("keyctl", "keyutils"),
    ("shellcheck", "shellcheck"),
    ("shfmt", "shfmt"),
    ("dbus-run-session", "dbus"),
    ("dbus-send", "dbus"),
    ("gnome-keyring-daemon", "gnome-keyring"),
    ("secret-tool", "libsecret-tools"),
    ("pass", "pass"),
    ("gpg", "gnupg"),
    ("gpgconf", "gnupg"),
    ("Xvfb", "xvfb"),
    ("xdotool", "xdotool"),
    ("zenity", "zenity"),
    ("kdialog", "kdialog"),
    ("oathtool", "oathtool"),
    ("setsid", "util-linux"),
    ("strace", "strace"),
    ("setpriv", "util-linux"),
    ("useradd", "passwd"),
    ("userdel", "passwd"),
];

/// True when `program` is on PATH. When it is not: panics, naming it and its
/// package, if peers are required; else prints a skip line and returns false,
/// and the caller returns (or skips that case).
pub fn require_peer(program: &str) -> bool {
    let problem = on_path(program).is_none().then(|| format!("{program} is not installed"));
    decide(problem.as_deref(), &install_hint(program), required())
}

/// The same decision for a peer that is installed but cannot work here;
/// `problem` says why (None: it works), `fix` what would make it work.
pub fn require_usable(problem: Option<&str>, fix: &str) -> bool {
    decide(problem, fix, required())
}

/// A peer tests/run.sh cannot install (pwsh: Debian does not package it):
/// never fails for being missing, only says what is not run and why.
pub fn optional_peer(program: &str, what: &str, why: &str) -> bool {
    let found = on_path(program).is_some();
    if !found {
        eprintln!("skipping {what}: {program} is not installed ({why})");
    }
    found
}

/// The decision itself, apart from the environment: with no problem, run;
/// with one, panic when `required`, else say the test is skipped.
pub fn decide(problem: Option<&str>, fix: &str, required: bool) -> bool {
    let Some(problem) = problem else { return true };
    if required {
        panic!("{problem}, and {REQUIRE_VAR}=1 says this test must run: {fix}");
    }
    eprintln!(
        "skipping: {problem}; {fix} (with {REQUIRE_VAR}=1, as tests/run.sh sets, this fails)"
    );
    false
}

/// Whether missing peers fail tests, from `$VAULT_TEST_REQUIRE_PEERS`. Any
/// value other than the two meanings panics, so that a typo cannot quietly
/// turn failures back into skips.
pub fn required() -> bool {
    match std::env::var(REQUIRE_VAR).as_deref() {
        Err(std::env::VarError::NotPresent) | Ok("" | "0") => false,
        Ok("1") => true,
        Ok(other) => panic!(
            "{REQUIRE_VAR}={other:?}: set it to 1 (missing test peers fail) or 0 (they are skipped)"
        ),
        Err(e) => panic!("{REQUIRE_VAR}: {e}"),
    }
}

/// How to get `program`: its Debian package when the tests know it.
pub fn install_hint(program: &str) -> String {
    match PACKAGES.iter().find(|(p, _)| *p == program) {
        Some((_, deb)) => format!(
            "install it with `apt-get install {deb}`, or run `bash tests/run.sh` as root, which installs it"
        ),
        None => format!("install {program} and put it on PATH"),
    }
}

/// Where `program` is found on PATH, as `Command::new` would find it (the
/// library's own search, which vault's prompts and hook use).
pub fn on_path(program: &str) -> Option<PathBuf> {
    vault::test_support::find_on_path(program, &std::env::var_os("PATH")?)
}

// ---------------------------------------------------------------------------
// PowerShell

/// `text` as a PowerShell single-quoted string: taken literally (no `$`
/// or backtick expansion); the library's quoting, which the hook emits and
/// tests/hooks.rs checks in real PowerShell.
pub fn ps_quote(text: &str) -> String {
    vault::test_support::ps_quote(text)
}

/// Writes `body` to `file` (which must end in `.ps1`) and returns the pwsh
/// command that runs it: the script reaches pwsh byte for byte, with no
/// command-line quoting in between.
pub fn pwsh_file(file: &Path, body: &str) -> Command {
    assert_eq!(file.extension().and_then(|e| e.to_str()), Some("ps1"), "{}", file.display());
    fs::write(file, body).unwrap();
    let mut cmd = Command::new("pwsh");
    cmd.args(["-NoProfile", "-NonInteractive", "-File"]).arg(file);
    cmd
}
