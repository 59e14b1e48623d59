//! The shell hooks driven in real bash, zsh and fish: entering and leaving
//! trusted directories, trust, nesting, `vault use`, restoring what was there
//! before, and a refresh that cannot happen. Credentials come from a real STS
//! (moto) through the real provider chain.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::moto::Moto;
use common::{TempHome, peers, stderr, stdout};

const KEY_ID: &str = "AKIAVAULTHOOKTEST01";
const SECRET: &str = "hookTestSecret/0001+abcdefghijklmnopqrs";

/// The value the user had before vault: restored byte for byte on leaving.
const USER_PROFILE: &str = "odd 'value' $HOME \\ \"q\" ü";

struct Fixture {
    t: TempHome,
    moto: Moto,
    proj: PathBuf,
}

fn fixture() -> Fixture {
    let moto = Moto::start();
    let t = TempHome::with_config(
        "[profile work]\nregion = eu-west-1\n[profile home]\nregion = us-west-2\n\
         [profile other]\nregion = ap-south-1\n",
    );
    for profile in ["work", "home", "other"] {
        t.add_keys(profile, KEY_ID, SECRET);
    }
    let proj = t.home.join("src/shop");
    fs::create_dir_all(proj.join("api/inner")).unwrap();
    fs::write(proj.join(".awsprofile"), "work\n").unwrap();
    fs::write(proj.join("api/inner/.awsprofile"), "other\n").unwrap();
    Fixture { t, moto, proj }
}

fn run_shell(f: &Fixture, shell: &str, script: &str) -> Output {
    let mut cmd = Command::new(shell);
    match shell {
        "bash" => cmd.args(["--noprofile", "--norc", "-c", script]),
        "zsh" => cmd.args(["--no-rcs", "-c", script]),
        "fish" => cmd.args(["--no-config", "--private", "-c", script]),
        _ => unreachable!(),
    };
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .env("HOME", &f.t.home)
        .env("XDG_DATA_HOME", f.t.home.join(".local/share"))
        .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
        .env("AWS_ENDPOINT_URL", f.moto.url())
        .env("VAULT", common::vault_bin())
        .env("PROJ", &f.proj)
        .env("USER_PROFILE", USER_PROFILE)
        .current_dir(&f.t.home)
        .output()
        .unwrap()
}

/// `label|AWS_ACCESS_KEY_ID|AWS_PROFILE|VAULT_PROFILE|AWS_REGION` per line.
fn snapshots(out: &Output) -> Vec<Vec<String>> {
    stdout(out)
        .split('\u{1}')
        .filter(|s| !s.trim().is_empty())
        .map(|l| l.trim_start_matches('\n').split('|').map(str::to_owned).collect())
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], label: &str) -> &'a [String] {
    rows.iter().find(|r| r[0] == label).unwrap_or_else(|| panic!("no snapshot {label}: {rows:?}"))
}

/// The scenario in bash/zsh syntax. `prompt` runs what the shell would run
/// before drawing a prompt; values are printed between \x01 separators so
/// newlines inside them survive.
const POSIX_SCENARIO: &str = r#"
set -u
snap() { printf '\001%s|%s|%s|%s|%s' "$1" "${AWS_ACCESS_KEY_ID-<unset>}" "${AWS_PROFILE-<unset>}" "${VAULT_PROFILE-<unset>}" "${AWS_REGION-<unset>}"; }
export AWS_ACCESS_KEY_ID=AKIAUSERSOWNKEY
export AWS_PROFILE="$USER_PROFILE"
unset AWS_REGION
eval "$("$VAULT" hook SHELL)"
eval "$("$VAULT" hook SHELL)"
snap start
cd "$PROJ"; prompt; snap untrusted
prompt; prompt; snap untrusted-again
vault allow 2>/dev/null; snap allowed
cd api; prompt; snap sub
cd inner; prompt; snap nested-untrusted
vault allow 2>/dev/null; snap nested
cd ..; prompt; snap back-to-outer
cd "$HOME"; prompt; snap left
vault use home; snap used
cd "$PROJ"; prompt; snap used-over-dir
vault unuse; snap unused
printf 'prod-admin\n' > "$PROJ/.awsprofile"; cd api; prompt; snap edited
cd "$HOME"; prompt; snap end
"#;

fn posix_script(shell: &str) -> String {
    let prompt = match shell {
        // What bash runs before a prompt (also proves the registration).
        "bash" => "prompt() { eval \"$PROMPT_COMMAND\"; }",
        _ => "prompt() { local f; for f in $precmd_functions; do $f; done; }",
    };
    format!("{prompt}\n{}", POSIX_SCENARIO.replace("SHELL", shell))
}

const FISH_SCENARIO: &str = r#"
function snap
    set -l k '<unset>'; set -q AWS_ACCESS_KEY_ID; and set k $AWS_ACCESS_KEY_ID
    set -l p '<unset>'; set -q AWS_PROFILE; and set p $AWS_PROFILE
    set -l v '<unset>'; set -q VAULT_PROFILE; and set v $VAULT_PROFILE
    set -l r '<unset>'; set -q AWS_REGION; and set r $AWS_REGION
    printf '\001%s|%s|%s|%s|%s' $argv[1] "$k" "$p" "$v" "$r"
end
function prompt
    emit fish_prompt
end
set -gx AWS_ACCESS_KEY_ID AKIAUSERSOWNKEY
set -gx AWS_PROFILE "$USER_PROFILE"
set -e AWS_REGION
$VAULT hook fish | source
$VAULT hook fish | source
snap start
cd $PROJ; prompt; snap untrusted
prompt; prompt; snap untrusted-again
vault allow 2>/dev/null; snap allowed
cd api; prompt; snap sub
cd inner; prompt; snap nested-untrusted
vault allow 2>/dev/null; snap nested
cd ..; prompt; snap back-to-outer
cd $HOME; prompt; snap left
vault use home; snap used
cd $PROJ; prompt; snap used-over-dir
vault unuse; snap unused
printf 'prod-admin\n' > $PROJ/.awsprofile; cd api; prompt; snap edited
cd $HOME; prompt; snap end
"#;

fn check_scenario(shell: &str) {
    if !peers::require_peer(shell) {
        return;
    }
    let f = fixture();
    let script = if shell == "fish" { FISH_SCENARIO.to_owned() } else { posix_script(shell) };
    let out = run_shell(&f, shell, &script);
    let err = stderr(&out);
    assert!(out.status.success(), "{shell}: {err}\n{}", stdout(&out));
    assert!(!stdout(&out).contains(SECRET) && !err.contains(SECRET), "secret leaked");
    let rows = snapshots(&out);
    let user = ["AKIAUSERSOWNKEY", USER_PROFILE, "<unset>", "<unset>"];
    let as_user = |label: &str| {
        assert_eq!(&row(&rows, label)[1..], user, "{shell} {label}: the user's own values");
    };

    as_user("start");
    as_user("untrusted");
    as_user("untrusted-again");
    assert_eq!(
        err.matches("is not trusted; run `vault allow`").count(),
        3,
        "{shell}: said once per file: {err}"
    );

    let allowed = row(&rows, "allowed");
    assert_ne!(allowed[1], "AKIAUSERSOWNKEY", "{shell}: session keys exported");
    assert!(allowed[1].starts_with("A"), "{shell}: {allowed:?}");
    assert_eq!(
        &allowed[2..],
        ["<unset>", "work", "eu-west-1"],
        "{shell}: AWS_PROFILE unset while keys are exported"
    );
    assert_eq!(&row(&rows, "sub")[2..], ["<unset>", "work", "eu-west-1"]);
    // The nearest file decides: an untrusted inner file means no profile.
    as_user("nested-untrusted");
    assert_eq!(&row(&rows, "nested")[3..], ["other", "ap-south-1"]);
    assert_eq!(&row(&rows, "back-to-outer")[3..], ["work", "eu-west-1"], "{shell}: {err}");
    as_user("left");
    assert_eq!(&row(&rows, "used")[3..], ["home", "us-west-2"]);
    assert_eq!(&row(&rows, "used-over-dir")[3..], ["home", "us-west-2"], "{shell}: pinned");
    assert_eq!(
        &row(&rows, "unused")[3..],
        ["work", "eu-west-1"],
        "{shell}: the directory decides again"
    );
    as_user("edited");
    assert!(err.contains("(prod-admin) is not trusted"), "{shell}: an edit revokes trust: {err}");
    as_user("end");

    // Moving within one profile's directories made no STS call: one
    // GetSessionToken per profile, whatever the number of cd's.
    assert_eq!(f.moto.count("GetSessionToken"), 3, "{shell}: {:?}", f.moto.requests());
}

#[test]
fn bash_scenario() {
    check_scenario("bash");
}

#[test]
fn zsh_scenario() {
    check_scenario("zsh");
}

#[test]
fn fish_scenario() {
    check_scenario("fish");
}

#[test]
fn hook_is_quiet_and_registers_once_under_strict_modes() {
    let f = fixture();
    let cases: [(&str, &[&str], &str); 3] = [
        (
            "bash",
            &["--noprofile", "--norc", "-e", "-u", "-o", "pipefail", "-c"],
            r#"eval "$("$VAULT" hook bash)"; eval "$("$VAULT" hook bash)"; eval "$PROMPT_COMMAND"; printf '%s' "$PROMPT_COMMAND""#,
        ),
        (
            "zsh",
            &["--no-rcs", "-e", "-u", "-o", "pipefail", "-c"],
            r#"eval "$("$VAULT" hook zsh)"; eval "$("$VAULT" hook zsh)"; __vault_hook; print -rn -- "${precmd_functions[*]}|${chpwd_functions[*]}""#,
        ),
        (
            "fish",
            &["--no-config", "--private", "-c"],
            r#"$VAULT hook fish | source; $VAULT hook fish | source; emit fish_prompt; functions -q __vault_hook; and printf ok"#,
        ),
    ];
    for (shell, args, script) in cases {
        if !peers::require_peer(shell) {
            continue;
        }
        let out = Command::new(shell)
            .args(args)
            .arg(script)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &f.t.home)
            .env("VAULT", common::vault_bin())
            .current_dir(&f.t.home)
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{shell}");
        let expected = match shell {
            "bash" => "__vault_hook",
            // Without compinit, tab completion registers at the first prompt.
            "zsh" => "__vault_hook __vault_compdef|__vault_hook",
            _ => "ok",
        };
        assert_eq!(stdout(&out), expected, "{shell}: registered exactly once");
    }
}

#[test]
fn the_hook_keeps_the_exit_status() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    let out = run_shell(
        &f,
        "bash",
        r#"eval "$("$VAULT" hook bash)"; cd "$PROJ"; (exit 3); eval "$PROMPT_COMMAND"; echo "status=$?""#,
    );
    assert!(stdout(&out).contains("status=3"), "{}", stdout(&out));
}

#[test]
fn a_failed_refresh_says_so_once_and_stops_asking() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    let script = r#"
eval "$("$VAULT" hook bash)"
cd "$PROJ"; vault allow 2>/dev/null
echo "before=${VAULT_PROFILE-}"
# The session is gone and STS is unreachable: the refresh cannot succeed.
"$VAULT" clear >/dev/null
export AWS_ENDPOINT_URL=http://127.0.0.1:9
export VAULT_HOOK_NOW=$(( $(date +%s) + 7200 ))
__vault_deadline=1
eval "$PROMPT_COMMAND"; eval "$PROMPT_COMMAND"; eval "$PROMPT_COMMAND"
echo "after=${VAULT_PROFILE-} deadline=${__vault_deadline-}"
"#;
    let out = run_shell(&f, "bash", script);
    let (out_text, err) = (stdout(&out), stderr(&out));
    assert!(out_text.contains("before=work"), "{out_text} {err}");
    assert!(out_text.contains("after=work deadline=\n"), "{out_text} {err}");
    assert_eq!(err.matches("could not refresh profile \"work\"").count(), 1, "{err}");
    assert!(err.contains("vault reload"), "{err}");
}

#[test]
fn use_without_the_hook_explains_how_to_install_it() {
    let f = fixture();
    let out = f.t.vault().args(["use", "work"]).output().unwrap();
    let err = common::assert_one_line_error(&out, "vault hook bash");
    assert!(err.contains("rc file"), "{err}");
    // status still says what it can: the missing hook, the store and the file here.
    let out = f.t.vault().args(["status"]).current_dir(&f.proj).output().unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text} {}", stderr(&out));
    assert!(text.starts_with("hook:    the shell hook is not loaded"), "{text}");
    assert!(text.contains("\nprofile: none\n"), "{text}");
    assert!(text.contains("\nstore:   locked"), "{text}");
    assert!(text.contains("(work) is not trusted"), "{text}");
    let out = f.t.vault().args(["status", "--json"]).output().unwrap();
    assert!(stdout(&out).contains("\"hook\":false"), "{}", stdout(&out));
}

#[test]
fn invalid_awsprofile_is_a_clear_error_and_exports_nothing() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    fs::write(f.proj.join(".awsprofile"), "work'; touch /tmp/pwned; '\n").unwrap();
    let out = run_shell(
        &f,
        "bash",
        r#"eval "$("$VAULT" hook bash)"; cd "$PROJ"; eval "$PROMPT_COMMAND"; echo "vp=${VAULT_PROFILE-none}"; vault allow; echo "rc=$?""#,
    );
    assert!(stdout(&out).contains("vp=none"), "{}", stdout(&out));
    assert!(stdout(&out).contains("rc=1"), "{}", stdout(&out));
    assert!(stderr(&out).contains("must name one profile"), "{}", stderr(&out));
}

#[test]
fn status_reports_what_is_active() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    let out = run_shell(
        &f,
        "bash",
        r#"eval "$("$VAULT" hook bash)"; cd "$PROJ"; eval "$PROMPT_COMMAND"; vault status; vault allow 2>/dev/null; vault status; vault status --json"#,
    );
    let text = stdout(&out);
    assert!(text.contains("profile: none\n"), "{text}");
    assert!(text.contains("(work) is not trusted; `vault allow` to use it"), "{text}");
    assert!(
        text.contains(&format!(
            "profile: work (from {}, trusted)",
            f.proj.join(".awsprofile").display()
        )),
        "{text}"
    );
    assert!(text.contains("expires: "), "{text}");
    let json: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(json["profile"], "work");
    assert_eq!(json["pinned"], false);
    assert_eq!(json["file"]["trust"], "allowed");
}

/// The rendered scripts pass the linters (shellcheck for bash; zsh is linted
/// with bash rules, which its script is written to satisfy).
#[test]
fn rendered_scripts_pass_the_linters() {
    let t = TempHome::new();
    let render = |shell: &str, cmd: &str| {
        stdout(&t.vault().args(["hook", shell, "--cmd", cmd]).output().unwrap())
    };
    for shell in ["bash", "zsh"] {
        for cmd in ["vault", "av"] {
            let script = render(shell, cmd);
            let out = pipe("shellcheck", &["-s", "bash", "-"], &script);
            assert!(out.status.success(), "shellcheck {shell} --cmd {cmd}:\n{}", stdout(&out));
            let out = pipe("shfmt", &["-d", "-i", "4", "-ln", "bash"], &script);
            assert!(out.status.success(), "shfmt {shell}:\n{}", stdout(&out));
        }
    }
    let script = render("fish", "av");
    let out = pipe("fish", &["--no-execute"], &script);
    assert!(out.status.success(), "fish --no-execute: {}", stderr(&out));
    // fish_indent drops quotes it finds unneeded, so it checks the file as
    // written (the rendered copy quotes the binary's path on purpose).
    let file =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("shell/vault.fish")).unwrap();
    let out = pipe("fish_indent", &[], &file);
    assert_eq!(stdout(&out), file, "fish_indent would change shell/vault.fish");
}

fn pipe(program: &str, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e} (bash tests/run.sh installs it)"));
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// The global flags taking a value, which the pwsh function skips with
/// their value to find the subcommand (`vault --prompt zenity use admin`).
const PWSH_VALUE_FLAGS: &str = "'--backend', '--prompt', '--file-dir', \
    '--secret-service-collection', '--pass-dir', '--pass-cmd', '--pass-prefix', '--keychain'";

/// PowerShell is not installable on these machines: its script is pinned by
/// a snapshot here and exercised where `pwsh` exists.
#[test]
fn pwsh_script_snapshot_and_behaviour_where_available() {
    let t = TempHome::new();
    let script = stdout(&t.vault().args(["hook", "pwsh"]).output().unwrap());
    // The hook names the binary itself (current_exe), not the recording wrapper.
    let exe = common::record::real_vault().display().to_string().replace('\'', "''");
    let read = |file: &str| {
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("shell").join(file))
            .unwrap()
            .replace("__VAULT_EXE__", &format!("'{exe}'"))
            .replace("__VAULT_CMD__", "vault")
            .replace("__VAULT_MODE__", "''")
            .replace("__VAULT_VALUE_FLAGS__", PWSH_VALUE_FLAGS)
    };
    let expected = format!(
        "{}\n{}Register-ArgumentCompleter -Native -CommandName 'vault' -ScriptBlock $global:__vault_completer\n",
        read("vault.ps1"),
        read("complete.ps1")
    );
    assert_eq!(script, expected);
    assert!(script.contains("function global:vault"));
    assert!(script.contains(&format!("$skip = $word -in @({PWSH_VALUE_FLAGS})")), "{script}");
    assert!(script.contains("if ($sub -in 'use', 'unuse', 'reload', 'status')"), "{script}");
    if !peers::optional_peer("pwsh", "the PowerShell run", "Debian does not package it") {
        return;
    }
    let f = fixture();
    // The hook goes to pwsh as a file and is read back with Get-Content: no
    // command line, hence no quoting, stands between it and pwsh.
    let hook = f.t.home.join("hook.ps1");
    fs::write(&hook, &script).unwrap();
    let driver = format!(
        "Set-StrictMode -Version latest\n\
         Invoke-Expression (Get-Content -Raw -LiteralPath {})\n\
         Set-Location -LiteralPath {}\n\
         vault allow\n\
         __vault_hook\n\
         Write-Output \"vp=$env:VAULT_PROFILE\"\n",
        peers::ps_quote(hook.to_str().unwrap()),
        peers::ps_quote(f.proj.to_str().unwrap()),
    );
    let out = peers::pwsh_file(&f.t.home.join("run.ps1"), &driver)
        .env("HOME", &f.t.home)
        .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
        .env("AWS_ENDPOINT_URL", f.moto.url())
        .output()
        .unwrap();
    assert!(stdout(&out).contains("vp=work"), "{}{}", stdout(&out), stderr(&out));
}

/// A person at a real interactive bash (in tmux): entering a trusted
/// directory whose profile needs MFA asks once on the terminal; Ctrl-C at
/// that question leaves the environment alone and is not asked again at the
/// next prompt; `vault reload` asks again.
#[test]
fn interactive_bash_asks_for_mfa_once_and_respects_ctrl_c() {
    if !peers::require_peer("bash") || !peers::require_peer("tmux") {
        return;
    }
    let f = fixture();
    f.t.write_config(
        "[profile work]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n\
         [profile home]\n[profile other]\n",
    );
    let out = f.t.vault().args(["allow", f.proj.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let socket = f.t.home.join("tmux.sock");
    let tmux =
        |args: &[&str]| Command::new("tmux").arg("-S").arg(&socket).args(args).output().unwrap();
    let rc = f.t.home.join("bashrc");
    fs::write(
        &rc,
        format!("PS1='[p]'\neval \"$('{}' hook bash)\"\n", common::vault_bin().display()),
    )
    .unwrap();
    let env = [
        ("HOME", f.t.home.display().to_string()),
        ("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE.to_owned()),
        ("AWS_ENDPOINT_URL", f.moto.url()),
        ("LANG", "C.UTF-8".to_owned()),
    ];
    let mut start = vec!["new-session", "-d", "-x", "200", "-y", "50"];
    let env_args: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for e in &env_args {
        start.push("-e");
        start.push(e);
    }
    let shell_cmd = format!("bash --noprofile --rcfile '{}' -i", rc.display());
    start.push(&shell_cmd);
    let out = tmux(&start);
    assert!(out.status.success(), "tmux: {}", stderr(&out));
    let screen = || stdout(&tmux(&["capture-pane", "-p", "-S", "-100"]));
    let wait_for = |needle: &str, count: usize| {
        // Generous: CI runs the other tests of this file at the same time.
        for _ in 0..600 {
            if screen().matches(needle).count() >= count {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("never saw {needle:?} x{count} on screen:\n{}", screen());
    };
    let send = |keys: &[&str]| {
        tmux(&[&["send-keys", "-t", "0"][..], keys].concat());
    };

    wait_for("[p]", 1);
    send(&[&format!("cd '{}'", f.proj.display()), "Enter"]);
    wait_for("Enter MFA code for arn:aws:iam::123456789012:mfa/me:", 1);
    send(&["C-c"]);
    wait_for("[p]", 2);
    send(&["echo \"vp=${VAULT_PROFILE-none}\"", "Enter"]);
    wait_for("vp=none", 1);
    assert_eq!(
        screen().matches("Enter MFA code").count(),
        1,
        "asked again after Ctrl-C:\n{}",
        screen()
    );

    send(&["vault reload", "Enter"]);
    wait_for("Enter MFA code", 2);
    send(&["123456", "Enter"]);
    send(&["echo \"vp=${VAULT_PROFILE-none} key=${AWS_ACCESS_KEY_ID:0:4}\"", "Enter"]);
    wait_for("vp=work key=", 1);
    send(&["cd api", "Enter"]);
    send(&["echo done-$((40+2))", "Enter"]);
    wait_for("done-42", 1);
    let text = screen();
    tmux(&["kill-server"]);
    assert_eq!(text.matches("Enter MFA code").count(), 2, "{text}");
    assert!(text.contains("cancelled at the MFA code prompt; run `vault reload`"), "{text}");
    let sessions: Vec<_> =
        f.moto.requests().into_iter().filter(|r| r.action == "GetSessionToken").collect();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0].param("SerialNumber"), Some("arn:aws:iam::123456789012:mfa/me"));
}

/// `vault use --help` through the function shows the help instead of
/// evaluating it as shell code.
#[test]
fn help_through_the_function_is_printed_not_evaluated() {
    let f = fixture();
    let cases = [
        ("bash", r#"eval "$("$VAULT" hook bash)"; vault use --help; echo "rc=$?""#),
        ("zsh", r#"eval "$("$VAULT" hook zsh)"; vault reload -h; echo "rc=$?""#),
        ("fish", r#"$VAULT hook fish | source; vault unuse --help; echo "rc=$status""#),
    ];
    for (shell, script) in cases {
        if !peers::require_peer(shell) {
            continue;
        }
        let out = run_shell(&f, shell, script);
        let text = stdout(&out);
        assert!(text.contains("Usage: vault"), "{shell}: {text}");
        assert!(text.trim_end().ends_with("rc=0"), "{shell}: {text}");
        assert_eq!(stderr(&out), "", "{shell}: nothing was evaluated");
    }
}
