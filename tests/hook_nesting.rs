//! The hook where a new user met it in real bash, zsh and fish against moto:
//! inside a `vault exec` shell (it stands down), the hook's variables in an
//! exec's children, global flags before the function's subcommands, the
//! line a refresh that needs an MFA code says, and (fish) the hook state
//! kept out of every process's argv, where any local user reads it.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use common::moto::Moto;
use common::{TempHome, peers, stderr, stdout};

const KEY_ID: &str = "AKIAVAULTNESTTEST001";
const SECRET: &str = "nestTestSecret/0001+abcdefghijklmnopqrs";
/// The user's own secret, exported before the hook replaced it: it rides in
/// the hook state, and must reach no argv.
const USER_SECRET: &str = "usersOwnSecretKey/NeverInArgv+0123456789";

struct Fixture {
    t: TempHome,
    moto: Moto,
    proj: PathBuf,
}

fn fixture(config: &str) -> Fixture {
    fixture_with_keys(config, &["work", "home"])
}

/// `keyed`: the profiles whose long-term keys are stored.
fn fixture_with_keys(config: &str, keyed: &[&str]) -> Fixture {
    let moto = Moto::start();
    let t = TempHome::with_config(config);
    for profile in keyed {
        t.add_keys(profile, KEY_ID, SECRET);
    }
    let proj = t.home.join("src/shop");
    fs::create_dir_all(proj.join("api")).unwrap();
    fs::write(proj.join(".awsprofile"), "work\n").unwrap();
    let out = t.vault().args(["allow", proj.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    Fixture { t, moto, proj }
}

const CONFIG: &str = "[profile work]\nregion = eu-west-1\n[profile home]\nregion = us-west-2\n";

fn shell_args(shell: &str) -> &'static [&'static str] {
    match shell {
        "bash" => &["--noprofile", "--norc", "-c"],
        "zsh" => &["--no-rcs", "-c"],
        "fish" => &["--no-config", "--private", "-c"],
        _ => unreachable!(),
    }
}

impl Fixture {
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("HOME", &self.t.home)
            .env("XDG_DATA_HOME", self.t.home.join(".local/share"))
            .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
            .env("AWS_ENDPOINT_URL", self.moto.url())
            .env("VAULT", common::vault_bin())
            .env("PROJ", &self.proj)
            .current_dir(&self.t.home);
        cmd
    }

    fn run(&self, shell: &str, script: &str) -> Output {
        self.command(shell).args(shell_args(shell)).arg(script).output().unwrap()
    }
}

/// What a prompt runs, per shell, and the hook line of its rc file.
fn prompt_def(shell: &str) -> &'static str {
    match shell {
        "bash" => "eval \"$(\"$VAULT\" hook bash)\"; prompt() { eval \"$PROMPT_COMMAND\"; }\n",
        "zsh" => {
            "eval \"$(\"$VAULT\" hook zsh)\"; prompt() { local f; for f in $precmd_functions; do $f; done; }\n"
        }
        _ => "$VAULT hook fish | source; function prompt; emit fish_prompt; end\n",
    }
}

/// Bug 1: `vault exec home` started in a directory whose trusted
/// `.awsprofile` names `work`. The exec's shell loads the hook from its rc
/// file; the hook must not put work's credentials over home's, says once
/// which profile the shell runs with and how to leave it, and refuses
/// `vault use`.
#[test]
fn the_hook_stands_down_in_an_exec_shell() {
    // work is a role, so its keys differ from home's (moto hands every
    // GetSessionToken the same key id, every AssumeRole a new one).
    let f = fixture_with_keys(
        "[profile base]\nregion = eu-west-1\n[profile work]\nsource_profile = base\n\
         role_arn = arn:aws:iam::123456789012:role/work\nregion = eu-west-1\n\
         [profile home]\nregion = us-west-2\n",
        &["base", "home"],
    );
    for shell in ["bash", "zsh", "fish"] {
        if !peers::require_peer(shell) || !peers::require_peer("bash") {
            continue;
        }
        let inner = if shell == "fish" {
            r#"set -l before $AWS_ACCESS_KEY_ID
prompt; cd api; prompt; cd $PROJ; prompt
set -l same changed; test "$before" = "$AWS_ACCESS_KEY_ID"; and set same same
printf 'inner|%s|%s\n' $AWS_VAULT $same
printf 'vp|%s\n' $VAULT_PROFILE
vault status 2>/dev/null | grep '^profile:'
echo marker >&2
vault use work; echo "use-rc=$status"
printf 'after-use|%s\n' $AWS_VAULT"#
        } else {
            r#"before=$AWS_ACCESS_KEY_ID
prompt; cd api; prompt; cd "$PROJ"; prompt
same=changed; [ "$before" = "$AWS_ACCESS_KEY_ID" ] && same=same
printf 'inner|%s|%s\n' "$AWS_VAULT" "$same"
printf 'vp|%s\n' "$VAULT_PROFILE"
vault status 2>/dev/null | grep '^profile:'
echo marker >&2
vault use work; echo "use-rc=$?"
printf 'after-use|%s\n' "$AWS_VAULT""#
        };
        // The exec's child gets no AWS_VAULT_FILE_PASSPHRASE; the store is
        // open to its hook all the same (as after `vault unlock`), so a hook
        // that did not stand down would switch the shell to work.
        let open = if shell == "fish" {
            "set -gx AWS_VAULT_FILE_PASSPHRASE $INNER_PASS"
        } else {
            "export AWS_VAULT_FILE_PASSPHRASE=\"$INNER_PASS\""
        };
        let inner = format!("echo inner-start >&2\n{open}\n{}{inner}", prompt_def(shell));
        let args = shell_args(shell).iter().map(|a| format!("'{a}'")).collect::<Vec<_>>();
        let outer = format!(
            "{}cd \"$PROJ\"; prompt; echo \"outer=$VAULT_PROFILE\"\n\"$VAULT\" exec home -- {shell} {} \"$INNER\"\n",
            prompt_def("bash"),
            args.join(" ")
        );
        let mut cmd = f.command("bash");
        cmd.args(shell_args("bash")).arg(&outer).env("INNER", &inner);
        let out = cmd.env("INNER_PASS", common::PASSPHRASE).output();
        let out = out.unwrap();
        let (text, err) = (stdout(&out), stderr(&out));
        assert!(text.contains("outer=work\n"), "{shell}: {text}\n{err}");
        // Still home's keys after three prompts in work's folders.
        assert!(text.contains("inner|home|same\n"), "{shell}: {text}\n{err}");
        let said = "vault: this shell runs with profile \"home\" from `vault exec`, so the hook \
                    leaves its credentials alone (no .awsprofile, no `vault use`); `exit` to leave it\n";
        let inside = err.split_once("inner-start\n").expect("the inner shell ran").1;
        let (prompts, at_use) = inside.split_once("marker\n").expect("the marker");
        assert_eq!(prompts.matches(said).count(), 1, "{shell}: said once: {err}");
        assert!(!prompts.contains("using profile") && !err.contains("not trusted"), "{err}");
        assert!(!prompts.contains("vault: work ("), "{shell}: entered work: {err}");
        assert_eq!(at_use.matches(said).count(), 1, "{shell}: `use` refused: {err}");
        assert!(
            text.contains("use-rc=1\n") && text.contains("after-use|home\n"),
            "{shell}: {text}"
        );
        // And the hook's variable names the exec's profile (bug 2), as
        // `vault status` does.
        assert!(text.contains("vp|home\n"), "{shell}: {text}");
        let status = "profile: home (from the `vault exec` that started this shell; `exit` to \
                      leave it)\n";
        assert!(text.contains(status), "{shell}: {text}");
    }
}

/// Bug 2: the hook's VAULT_PROFILE/VAULT_EXPIRES_AT reach the children of
/// `vault exec` from a hooked shell, keys or keyless: there they name the
/// exec's profile and expiry, not the directory's (and a keyless shell's
/// container variables are gone).
#[test]
fn exec_children_see_the_execs_profile_not_the_hooks() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture(CONFIG);
    let runtime = tempfile::Builder::new().prefix("vault-run-").tempdir().unwrap();
    for mode in ["keys", "server"] {
        let script = format!(
            r#"eval "$("$VAULT" hook bash --mode {mode})"; prompt() {{ eval "$PROMPT_COMMAND"; }}
cd "$PROJ"; prompt; echo "outer=$VAULT_PROFILE"; env | grep -c '^AWS_CONTAINER_' | sed 's/^/outer-container=/'
"$VAULT" exec home -- env | grep -E '^(VAULT_|AWS_VAULT=|AWS_CREDENTIAL_EXPIRATION=|AWS_CONTAINER_)' | sort
"$VAULT" lock >/dev/null 2>&1
"#
        );
        let mut cmd = f.command("bash");
        cmd.args(shell_args("bash")).arg(&script).env("XDG_RUNTIME_DIR", runtime.path());
        let out = cmd.output().unwrap();
        let (text, err) = (stdout(&out), stderr(&out));
        assert!(text.contains("outer=work\n"), "{mode}: {text}\n{err}");
        let container =
            if mode == "server" { "outer-container=2\n" } else { "outer-container=0\n" };
        assert!(text.contains(container), "{mode}: {text}\n{err}");
        let vars: Vec<&str> = text.lines().filter(|l| !l.starts_with("outer")).collect();
        assert!(vars.contains(&"AWS_VAULT=home"), "{mode}: {vars:?}");
        assert!(vars.contains(&"VAULT_PROFILE=home"), "{mode}: {vars:?}\n{err}");
        assert!(!vars.iter().any(|v| v.starts_with("AWS_CONTAINER_")), "{mode}: {vars:?}");
        let value = |name: &str| {
            vars.iter().find_map(|l| l.strip_prefix(&format!("{name}="))).unwrap_or("<unset>")
        };
        assert_eq!(value("VAULT_EXPIRES_AT"), value("AWS_CREDENTIAL_EXPIRATION"), "{mode}");
        assert_ne!(value("VAULT_EXPIRES_AT"), "<unset>", "{mode}: {vars:?}");
    }
}

/// Bug 3: global flags before a subcommand of the function (`vault --debug
/// use work`, `vault --prompt zenity use home`, `vault --debug allow`).
#[test]
fn global_flags_before_the_functions_subcommands() {
    let f = fixture(CONFIG);
    fs::write(f.proj.join("api/.awsprofile"), "home\n").unwrap();
    for shell in ["bash", "zsh", "fish"] {
        if !peers::require_peer(shell) {
            continue;
        }
        let status = if shell == "fish" { "$status" } else { "$?" };
        let vp = if shell == "fish" { "$VAULT_PROFILE" } else { "${VAULT_PROFILE-}" };
        let script = format!(
            "{}vault --debug use home 2>/dev/null; echo \"a={status} {vp}\"
vault --backend file unuse 2>/dev/null; echo \"b={status} {vp}\"
vault --prompt zenity use work 2>/dev/null; echo \"c={status} {vp}\"
vault --file-dir ~/.awsvault/keys --debug unuse 2>/dev/null
cd {}; vault --debug allow 2>/dev/null; echo \"d={status} {vp}\"
vault --debug status 2>/dev/null
",
            prompt_def(shell),
            f.proj.join("api").display()
        );
        let out = f.run(shell, &script);
        let (text, err) = (stdout(&out), stderr(&out));
        for want in ["a=0 home\n", "b=0 \n", "c=0 work\n", "d=0 home\n", "profile: home (from "] {
            assert!(text.contains(want), "{shell}: {want:?} in {text}\n{err}");
        }
    }
}

/// Recovery 6: a refresh at the prompt that needs a new MFA code says what
/// happened and the one thing to do, not "there is no terminal".
#[test]
fn a_refresh_needing_mfa_says_to_reload() {
    if !peers::require_peer("bash") {
        return;
    }
    let serial = "arn:aws:iam::123456789012:mfa/me";
    let f = fixture(&format!(
        "[profile work]\nregion = eu-west-1\nmfa_serial = {serial}\n[profile home]\n"
    ));
    let script = format!(
        r#"{}"$VAULT" exec work --mfa-token 123456 -- true
cd "$PROJ"; prompt; echo "before=${{VAULT_PROFILE-}}"
"$VAULT" clear >/dev/null
export VAULT_HOOK_NOW=$(( $(date +%s) + 7200 ))
__vault_deadline=1
prompt; prompt
echo "after=${{VAULT_PROFILE-}}"
"#,
        prompt_def("bash")
    );
    let out = f.run("bash", &script);
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(text.contains("before=work\n") && text.contains("after=work\n"), "{text}\n{err}");
    let said = format!(
        "vault: could not refresh profile \"work\": it needs a new MFA code for {serial}, and a \
         refresh at the prompt does not ask for one; run `vault reload` to enter it\n"
    );
    assert_eq!(err.matches(&said).count(), 1, "{err}");
    assert!(!err.contains("no terminal"), "{err}");
}

/// Issue 24, point 1: fish hands the hook state to vault in the environment,
/// never in argv (`env __VAULT_STATE=...` put the user's own exported keys,
/// which the state keeps to restore them, in /proc/PID/cmdline). Every
/// execve of a real fish entering and leaving a hooked directory, and of
/// `use`, `unuse`, `status`, is traced.
#[test]
fn fish_keeps_the_hook_state_out_of_argv() {
    if !peers::require_peer("fish") || !peers::require_peer("strace") {
        return;
    }
    let f = fixture(CONFIG);
    let trace = f.t.home.join("execve.trace");
    let script = format!(
        r#"set -gx AWS_ACCESS_KEY_ID AKIAUSERSOWNKEY
set -gx AWS_SECRET_ACCESS_KEY $USER_SECRET
{}cd $PROJ; prompt; cd $HOME; prompt; cd $PROJ; prompt; cd api; prompt
vault status >/dev/null
vault use home 2>/dev/null; vault reload 2>/dev/null; vault unuse 2>/dev/null
cd $HOME; prompt; cd $PROJ; prompt
printf 'vp=%s\n' $VAULT_PROFILE
printf '%s' $__vault_state > $HOME/state.txt
"#,
        prompt_def("fish")
    );
    let out = f
        .command("strace")
        .args(["-f", "-s", "1000000", "-e", "trace=execve", "-o"])
        .arg(&trace)
        .arg("fish")
        .args(shell_args("fish"))
        .arg(&script)
        .env("USER_SECRET", USER_SECRET)
        .output()
        .unwrap();
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(out.status.success() && text.contains("vp=work\n"), "{text}\n{err}");
    let state = fs::read_to_string(f.t.home.join("state.txt")).unwrap();
    assert!(state.len() > 100, "the state holds what to restore: {state:?}");
    let trace = fs::read_to_string(&trace).unwrap();
    let execs: Vec<&str> = trace.lines().filter(|l| l.contains("execve(")).collect();
    let hook_runs = execs.iter().filter(|l| l.contains("\"hook-env\", \"fish\"")).count();
    // Three, at each `cd $PROJ`: `cd api` within the profile runs no vault
    // (tests/hook_cd.rs), nor does `cd $HOME` out of it (tests/hook_leave.rs).
    assert!(hook_runs >= 3, "the trace saw the hook run: {hook_runs}\n{trace}");
    for line in &execs {
        assert!(!line.contains("__VAULT_STATE"), "the state variable in argv: {line}");
        assert!(!line.contains(USER_SECRET), "the user's secret in argv: {line}");
        assert!(!line.contains(&state[..64]), "the hook state in argv: {line}");
    }
}

/// Rough edge 10: entering or leaving a profile on `cd` says one short
/// line, as `vault use` does (`vault: work (expires 14:02)`, `vault: left
/// work`); moving within it says nothing; VAULT_HOOK_QUIET=1 silences it.
#[test]
fn cd_says_which_profile_it_entered_and_left() {
    let f = fixture(CONFIG);
    for shell in ["bash", "zsh", "fish"] {
        if !peers::require_peer(shell) {
            continue;
        }
        let quiet = if shell == "fish" {
            "set -gx VAULT_HOOK_QUIET 1"
        } else {
            "export VAULT_HOOK_QUIET=1"
        };
        let script = format!(
            "{}cd $PROJ; prompt; cd api; prompt; cd $HOME; prompt\n{quiet}\ncd $PROJ; prompt; cd $HOME; prompt\necho end\n",
            prompt_def(shell)
        );
        let out = f.run(shell, &script);
        let (text, err) = (stdout(&out), stderr(&out));
        assert!(text.contains("end"), "{shell}: {text}\n{err}");
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{shell}: {err}");
        let entered = lines[0].strip_prefix("vault: work (expires ").unwrap_or_default();
        let hhmm = entered.strip_suffix(')').unwrap_or_default().as_bytes();
        assert!(
            hhmm.len() == 5
                && hhmm[2] == b':'
                && hhmm.iter().filter(|b| b.is_ascii_digit()).count() == 4,
            "{shell}: {err}"
        );
        assert_eq!(lines[1], "vault: left work", "{shell}: {err}");
    }
}

/// `vault exec other` (and `export`) through the hook's function in a hooked
/// folder: the region the hook exported for this folder's profile is not the
/// user's setting, so the other profile gets its own region, or none when it
/// has none and the user had none; a region set by hand inside is the
/// user's, and wins as it does anywhere.
#[test]
fn exec_in_a_hooked_folder_reads_the_users_region_not_the_hooks() {
    let config = format!("{CONFIG}[profile noreg]\n");
    let f = fixture_with_keys(&config, &["work", "home", "noreg"]);
    for shell in ["bash", "zsh", "fish"] {
        if !peers::require_peer(shell) {
            continue;
        }
        let region = |p: &str| {
            format!(
                "vault exec {p} -- sh -c 'echo {p}=${{AWS_REGION-none}}/${{AWS_DEFAULT_REGION-none}}'\n"
            )
        };
        let by_hand = if shell == "fish" {
            "set -gx AWS_REGION ap-south-1\n"
        } else {
            "export AWS_REGION=ap-south-1\n"
        };
        let script = format!(
            "{}cd $PROJ; prompt\necho hook=$AWS_REGION\n{}{}vault export --format env home | grep '^AWS_REGION='\n{by_hand}{}",
            prompt_def(shell),
            region("home"),
            region("noreg"),
            region("noreg").replace("noreg=", "byhand="),
        );
        let out = f.run(shell, &script);
        let (text, err) = (stdout(&out), stderr(&out));
        assert!(out.status.success(), "{shell}: {text}\n{err}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "hook=eu-west-1",
                "home=us-west-2/us-west-2",
                "noreg=none/none",
                "AWS_REGION=us-west-2",
                "byhand=ap-south-1/ap-south-1"
            ],
            "{shell}: {err}"
        );
    }
}
