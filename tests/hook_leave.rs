//! Leaving a profile's folders for one with no `.awsprofile` starts no
//! process (issue 27): the run that entered leaves the shell the code a run
//! at leaving would print, behind a guard that every variable vault manages
//! still holds what it left. Here, in real bash, zsh and fish against moto,
//! that code ends exactly where a run of vault ends (the same variables,
//! state and notice), gives back the user's own values (a profile name and
//! a value with quotes and `$(...)` among them), and stands aside for a run
//! when a variable was changed by hand, or in a keyless shell.

mod common;

use std::fs;
use std::process::Command;

use common::moto::Moto;
use common::{TempHome, peers, stderr, stdout};

/// A profile name with every character an `.awsprofile` allows but
/// letters, `=` first (zsh reads a bare `=word` as a command's path).
const PROFILE: &str = "=lead+x@corp/dev:1,a.b_c-d";

/// The user's own values before entering, given back on leaving: quoted for
/// the shell by the code, never run.
const OWN_PROFILE: &str = "o'dd \"$(touch pwned)\" `touch pwned` name";

struct Run {
    /// What each dump printed, in order, and the shell's stderr.
    dumps: Vec<String>,
    err: String,
}

/// Runs `body` in `shell` after loading the hook, in a home with one trusted
/// project naming [`PROFILE`]; `dump` prints the managed variables and the
/// hook's own between `--` lines.
fn run(shell: &str, body: &str, extra_env: &[(&str, &str)]) -> Run {
    let moto = Moto::start();
    let t = TempHome::with_config(&format!("[profile {PROFILE}]\nregion = eu-west-1\n"));
    t.add_keys(PROFILE, "AKIAVAULTHOOKLEAVE01", "hookLeaveSecret/0001+abcdefghijklmnopq");
    let proj = t.home.join("proj");
    fs::create_dir_all(proj.join("sub")).unwrap();
    fs::create_dir_all(t.home.join("elsewhere")).unwrap();
    fs::write(proj.join(".awsprofile"), format!("{PROFILE}\n")).unwrap();
    let out = t.vault().args(["allow", proj.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let vars = [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "VAULT_PROFILE",
        "VAULT_EXPIRES_AT",
        "__vault_state",
        "__vault_deadline",
        "__vault_file",
        "__vault_text",
        "__vault_trust",
        "__vault_leave",
    ];
    let (head, args): (String, &[&str]) = match shell {
        "fish" => {
            let dump: String = vars
                .iter()
                .map(|v| {
                    format!(
                        "if set -q {v}; printf '%s=%s\\n' {v} \"${v}\"; else; echo {v} unset; end; "
                    )
                })
                .collect();
            (
                format!(
                    "$VAULT hook fish | source\nfunction prompt; emit fish_prompt; end\n\
                     function dump; printf '%s\\n' --; {dump}; end\n"
                ),
                &["--no-config", "--private", "-c"],
            )
        }
        _ => {
            let dump: String = vars
                .iter()
                .map(|v| format!("if [[ -n ${{{v}+x}} ]]; then printf '%s=%s\\n' {v} \"${v}\"; else echo {v} unset; fi; "))
                .collect();
            let prompt = if shell == "bash" {
                "prompt() { eval \"$PROMPT_COMMAND\"; }"
            } else {
                "prompt() { local f; for f in $precmd_functions; do $f; done; }"
            };
            (
                format!(
                    "eval \"$(\"$VAULT\" hook {shell})\"\n{prompt}\ndump() {{ echo --; {dump} }}\n"
                ),
                if shell == "bash" {
                    &["--noprofile", "--norc", "-c"]
                } else {
                    &["--no-rcs", "-c"]
                },
            )
        }
    };
    let mut cmd = Command::new(shell);
    cmd.args(args)
        .arg(format!("{head}{body}"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .env("HOME", &t.home)
        .env("XDG_DATA_HOME", t.home.join(".local/share"))
        .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("VAULT", common::vault_bin())
        .env("PROJ", &proj)
        .env("AWS_PROFILE", OWN_PROFILE)
        .env("AWS_REGION", "us-east-2")
        .current_dir(t.home.join("elsewhere"));
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(out.status.success(), "{shell}: {text}\n{err}");
    assert!(!t.home.join("elsewhere/pwned").exists(), "{shell}: a value was run as code");
    let dumps = text.split("--\n").skip(1).map(str::to_owned).collect();
    Run { dumps, err }
}

/// The value a dump shows for `var`, None when unset.
fn value<'a>(dump: &'a str, var: &str) -> Option<&'a str> {
    dump.lines().find_map(|l| l.strip_prefix(&format!("{var}=")))
}

/// Enter, leave with the code the run left; enter again, drop that code,
/// and leave with a run: both ends are the same, variables, state and all.
fn leaves_as_a_run_does(shell: &str) {
    if !peers::require_peer(shell) {
        return;
    }
    let (forget, mark) = match shell {
        "fish" => ("set -g __vault_leave ''", "echo 1>&2 left-by-code"),
        _ => ("__vault_leave=''", "echo 1>&2 left-by-code"),
    };
    let body = format!(
        "prompt; cd \"$PROJ/sub\"; prompt; dump; cd ../../elsewhere; prompt; dump; {mark}\n\
         cd \"$PROJ\"; prompt; {forget}; cd ../elsewhere; prompt; dump\n"
    );
    let r = run(shell, &body, &[]);
    let [inside, by_code, by_run] = &r.dumps[..] else { panic!("{shell}: {:?}", r.dumps) };
    // Inside: the profile's session, the user's AWS_PROFILE unset.
    assert_eq!(value(inside, "VAULT_PROFILE"), Some(PROFILE), "{shell}: {inside}");
    assert_eq!(value(inside, "AWS_PROFILE"), None, "{shell}: {inside}");
    assert!(value(inside, "__vault_leave").is_some_and(|c| !c.is_empty()), "{shell}: {inside}");
    // Left by the code: the user's own values back, the keys gone.
    assert_eq!(value(by_code, "AWS_PROFILE"), Some(OWN_PROFILE), "{shell}: {by_code}");
    assert_eq!(value(by_code, "AWS_REGION"), Some("us-east-2"), "{shell}: {by_code}");
    assert_eq!(value(by_code, "AWS_ACCESS_KEY_ID"), None, "{shell}: {by_code}");
    assert_eq!(value(by_code, "VAULT_PROFILE"), None, "{shell}: {by_code}");
    assert_eq!(value(by_code, "__vault_leave"), Some(""), "{shell}: {by_code}");
    // ... exactly as a run leaves them.
    assert_eq!(by_code, by_run, "{shell}: leaving by the code differs from a run");
    // The notice is said both times, as the run says it.
    let (before, after) = r.err.split_once("left-by-code").expect("mark");
    let left = format!("vault: left {PROFILE}");
    assert_eq!(before.matches(&left).count(), 1, "{shell}: {}", r.err);
    assert_eq!(after.matches(&left).count(), 1, "{shell}: {}", r.err);
}

#[test]
fn bash_leaves_as_a_run_does() {
    leaves_as_a_run_does("bash");
}

#[test]
fn zsh_leaves_as_a_run_does() {
    leaves_as_a_run_does("zsh");
}

#[test]
fn fish_leaves_as_a_run_does() {
    leaves_as_a_run_does("fish");
}

/// A variable vault set, changed by hand inside: the code's guard fails, it
/// changes nothing, and the run that follows keeps the user's value; with
/// VAULT_HOOK_QUIET=1 the code says nothing either.
#[test]
fn a_change_by_hand_or_quiet_is_respected_when_leaving() {
    for shell in ["bash", "zsh", "fish"] {
        if !peers::require_peer(shell) {
            continue;
        }
        let (set_region, quiet) = match shell {
            "fish" => ("set -gx AWS_DEFAULT_REGION ap-south-1", "set -gx VAULT_HOOK_QUIET 1"),
            _ => ("export AWS_DEFAULT_REGION=ap-south-1", "export VAULT_HOOK_QUIET=1"),
        };
        let body = format!(
            "prompt; cd \"$PROJ\"; prompt; {set_region}; cd ../elsewhere; prompt; dump\n\
             echo 1>&2 quiet-from-here; {quiet}; cd \"$PROJ\"; prompt; cd ../elsewhere; prompt; dump\n"
        );
        let r = run(shell, &body, &[]);
        let [by_hand, quiet_left] = &r.dumps[..] else { panic!("{shell}: {:?}", r.dumps) };
        // vault set it (the user had none), so the code would unset it.
        assert_eq!(value(by_hand, "AWS_DEFAULT_REGION"), Some("ap-south-1"), "{shell}: {by_hand}");
        assert_eq!(value(by_hand, "AWS_ACCESS_KEY_ID"), None, "{shell}: {by_hand}");
        assert_eq!(value(by_hand, "AWS_PROFILE"), Some(OWN_PROFILE), "{shell}: {by_hand}");
        assert_eq!(value(quiet_left, "VAULT_PROFILE"), None, "{shell}: {quiet_left}");
        let (_, quiet_part) = r.err.split_once("quiet-from-here").expect("mark");
        assert!(!quiet_part.contains("vault: left"), "{shell}: {}", r.err);
    }
}

/// A keyless shell holds a token the agent must end when the shell leaves:
/// no code is left for leaving, so a run does it.
#[test]
fn a_keyless_shell_leaves_by_a_run() {
    if !peers::require_peer("bash") {
        return;
    }
    let run_dir = tempfile::tempdir().unwrap();
    let r = run(
        "bash",
        "prompt; cd \"$PROJ\"; prompt; dump; cd ../elsewhere; prompt; dump; \"$VAULT\" lock >/dev/null 2>&1\n",
        &[("VAULT_HOOK_MODE", "server"), ("XDG_RUNTIME_DIR", run_dir.path().to_str().unwrap())],
    );
    let [inside, left] = &r.dumps[..] else { panic!("{:?} {}", r.dumps, r.err) };
    assert_eq!(value(inside, "VAULT_PROFILE"), Some(PROFILE), "{inside}\n{}", r.err);
    assert_eq!(value(inside, "__vault_leave"), Some(""), "{inside}");
    assert_eq!(value(left, "VAULT_PROFILE"), None, "{left}");
}
