//! The test-peer harness itself (tests/common/peers.rs): a missing peer fails
//! the test when `VAULT_TEST_REQUIRE_PEERS=1` and is skipped otherwise, and
//! scripts reach pwsh without quoting, checked here without pwsh.

mod common;

use std::process::Command;

use common::peers::{self, REQUIRE_VAR};
use common::{stderr, stdout};

/// A program no machine has.
const NO_SUCH_PEER: &str = "vault-test-no-such-peer-7c1e";

/// Set for [`probe`] only: the peer it asks for.
const PROBE_VAR: &str = "VAULT_TEST_PEER_PROBE";

/// Not a test of its own: [`missing_peer_fails_when_required_and_skips_otherwise`]
/// runs it in a child process, whose environment it chooses.
#[test]
#[ignore = "run by missing_peer_fails_when_required_and_skips_otherwise"]
fn probe() {
    if let Ok(program) = std::env::var(PROBE_VAR)
        && peers::require_peer(&program)
    {
        println!("probe ran with {program}");
    }
}

/// This test binary running only [`probe`], for `program`, with `require`
/// as `$VAULT_TEST_REQUIRE_PEERS` (None: unset).
fn run_probe(program: &str, require: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", "probe", "--ignored", "--nocapture", "--test-threads=1"])
        .env(PROBE_VAR, program)
        .env_remove(REQUIRE_VAR);
    if let Some(value) = require {
        cmd.env(REQUIRE_VAR, value);
    }
    cmd.output().unwrap()
}

#[test]
fn missing_peer_fails_when_required_and_skips_otherwise() {
    let out = run_probe(NO_SUCH_PEER, Some("1"));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success(), "a missing required peer passed:\n{text}");
    assert!(text.contains(&format!("{NO_SUCH_PEER} is not installed")), "{text}");
    assert!(text.contains(&format!("{REQUIRE_VAR}=1 says this test must run")), "{text}");
    assert!(text.contains(&format!("install {NO_SUCH_PEER}")), "{text}");
    assert!(!text.contains("probe ran"), "{text}");

    for require in [None, Some("0"), Some("")] {
        let out = run_probe(NO_SUCH_PEER, require);
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(out.status.success(), "{require:?}: {text}");
        assert!(text.contains(&format!("skipping: {NO_SUCH_PEER} is not installed")), "{text}");
        assert!(!text.contains("probe ran"), "{require:?}: skipped, not run: {text}");
    }

    // A value that is neither on nor off fails rather than skip.
    let out = run_probe(NO_SUCH_PEER, Some("true"));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("VAULT_TEST_REQUIRE_PEERS=\"true\": set it to 1"), "{text}");

    // A peer that is there runs, required or not.
    for require in [None, Some("1")] {
        let out = run_probe("sh", require);
        assert!(out.status.success(), "{require:?}: {}", stdout(&out));
        assert!(stdout(&out).contains("probe ran with sh"), "{require:?}: {}", stdout(&out));
    }
}

#[test]
fn the_decision_names_the_problem_and_the_fix() {
    assert!(peers::decide(None, "unused", true));
    assert!(peers::decide(None, "unused", false));
    assert!(!peers::decide(Some("zsh is not installed"), "install zsh", false));
    let panic = std::panic::catch_unwind(|| {
        peers::decide(Some("zsh is not installed"), &peers::install_hint("zsh"), true)
    })
    .unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert_eq!(
        message,
        "zsh is not installed, and VAULT_TEST_REQUIRE_PEERS=1 says this test must run: \
         install it with `apt-get install zsh`, or run `bash tests/run.sh` as root, which installs it"
    );
    assert!(peers::install_hint("keyctl").contains("apt-get install keyutils"));
    assert!(peers::install_hint("gpg").contains("apt-get install gnupg"));
}

#[test]
fn pwsh_never_fails_for_being_missing() {
    // Debian does not package pwsh: required or not, a missing one is skipped.
    assert!(!peers::optional_peer(NO_SUCH_PEER, "the probe", "not packaged"));
}

/// A PowerShell single-quoted string is literal except for its quote
/// characters, so `$`, backticks and double quotes survive as typed.
#[test]
fn ps_quote_makes_a_literal() {
    assert_eq!(peers::ps_quote("/tmp/plain"), "'/tmp/plain'");
    assert_eq!(
        peers::ps_quote("it's $HOME `n \"x\" $(whoami)"),
        "'it''s $HOME `n \"x\" $(whoami)'"
    );
    // PowerShell also ends single-quoted strings at the typographic quotes.
    assert_eq!(peers::ps_quote("a\u{2019}b\u{2018}c"), "'a\u{2019}\u{2019}b\u{2018}\u{2018}c'");
}

/// The script reaches pwsh as a file, byte for byte; the command line
/// carries only the file's name, so nothing in the script is ever quoted.
#[test]
fn pwsh_file_passes_the_script_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("run.ps1");
    let script = "Write-Output \"vp=$env:VAULT_PROFILE\"\n$x = 'it''s'; `t {script:?}\n";
    let cmd = peers::pwsh_file(&file, script);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), script);
    assert_eq!(cmd.get_program(), "pwsh");
    let args: Vec<_> = cmd.get_args().map(|a| a.to_str().unwrap()).collect();
    assert_eq!(args, ["-NoProfile", "-NonInteractive", "-File", file.to_str().unwrap()]);
}
