//! The committed completion scripts under `completions/` must be exactly what
//! the binary generates, so they never drift from `src/cli.rs`.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

#[test]
fn committed_completions_match_the_binary() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in
        [("bash", "vault.bash"), ("zsh", "_vault"), ("fish", "vault.fish"), ("pwsh", "_vault.ps1")]
    {
        let out = Command::new(common::vault_bin()).args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let generated = String::from_utf8(out.stdout).unwrap();
        let committed = fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            generated == committed,
            "completions/{file} is out of date; regenerate it with:\n  cargo run -- completions {shell} > completions/{file}"
        );
    }
}

#[test]
fn bash_completion_offers_subcommands() {
    let script = format!(
        "source '{}'; COMP_WORDS=(vault l); COMP_CWORD=1; COMP_LINE='vault l'; COMP_POINT=7; _vault vault l vault; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/vault.bash").display()
    );
    let out = Command::new("bash").args(["--norc", "-c", &script]).output().unwrap();
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(words.lines().any(|w| w == "list"), "{words}");
}
