//! The hook's edges, driven in real bash against moto: a symlinked
//! `.awsprofile` needs its own `vault allow`, a crafted hook state runs
//! nothing, directory names cannot reach the terminal raw, a huge
//! `.awsprofile` is refused, a prompt does not wait on another refresh; and
//! what `use`, `unuse`, `allow` and `status` say.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use common::moto::Moto;
use common::{TempHome, peers, stderr, stdout};

struct Fixture {
    t: TempHome,
    moto: Moto,
}

fn fixture() -> Fixture {
    let moto = Moto::start();
    let t = TempHome::with_config(
        "[profile work]\nregion = eu-west-1\n[profile home]\nregion = us-west-2\n",
    );
    for profile in ["work", "home"] {
        t.add_keys(profile, "AKIAVAULTHOOKSEC0001", "hookSecSecret/0001+abcdefghijklmnopqrs");
    }
    Fixture { t, moto }
}

impl Fixture {
    fn dir(&self, rel: &str) -> PathBuf {
        let d = self.t.home.join(rel);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn bash(&self, script: &str) -> Output {
        Command::new("bash")
            .args(["--noprofile", "--norc", "-c", script])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("HOME", &self.t.home)
            .env("XDG_DATA_HOME", self.t.home.join(".local/share"))
            .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
            .env("AWS_ENDPOINT_URL", self.moto.url())
            .env("VAULT", common::vault_bin())
            .current_dir(&self.t.home)
            .output()
            .unwrap()
    }
}

/// The hook line and a `prompt` that runs what bash runs before a prompt.
const SETUP: &str = r#"eval "$("$VAULT" hook bash)"; prompt() { eval "$PROMPT_COMMAND"; }
"#;

#[test]
fn a_symlinked_awsprofile_needs_its_own_allow() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    let a = f.dir("a");
    let evil = f.dir("evil");
    fs::write(a.join(".awsprofile"), "work\n").unwrap();
    std::os::unix::fs::symlink(a.join(".awsprofile"), evil.join(".awsprofile")).unwrap();
    let out = f.bash(&format!(
        r#"{SETUP}cd ~/a; vault allow 2>/dev/null; echo "a=${{VAULT_PROFILE-none}}"
cd ~/evil; prompt; echo "evil=${{VAULT_PROFILE-none}} key=${{AWS_ACCESS_KEY_ID-none}}"
vault deny; echo "deny-rc=$?"
cd ~/a; prompt; echo "a-again=${{VAULT_PROFILE-none}}"
cd ~/evil; vault allow; prompt; echo "evil-allowed=${{VAULT_PROFILE-none}}"
"#
    ));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(text.contains("a=work\n"), "{text}\n{err}");
    assert!(text.contains("evil=none key=none\n"), "a symlink borrowed trust: {text}\n{err}");
    let link = evil.join(".awsprofile");
    let said = format!(
        "vault: {} (a symlink to {}) (work) is not trusted; run `vault allow` to use it",
        link.display(),
        a.join(".awsprofile").display()
    );
    assert!(err.contains(&said), "{err}");
    assert!(text.contains("deny-rc=0"), "{text}\n{err}");
    assert!(err.contains(&format!("vault: blocked {} (a symlink to", link.display())), "{err}");
    // The deny blocked the symlink's path, not the file it points to.
    assert!(text.contains("a-again=work\n"), "{text}\n{err}");
    assert!(err.contains(&format!("vault: trusted {} (a symlink to", link.display())), "{err}");
    assert!(text.contains("evil-allowed=work\n"), "{text}\n{err}");
}

/// The state variable names what to export and unset; one crafted in a
/// parent's environment must not become shell code.
#[test]
fn a_crafted_hook_state_runs_no_command() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    let evil = "X=1;touch ~/pwned;Y";
    let state = serde_json::json!({
        "profile": "work",
        "managed": { evil: "-", "AWS_REGION": "-" },
        "prev": { evil: "v", "AWS_REGION": null },
    });
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(state.to_string());
    let out = f.bash(&format!(
        "{SETUP}__vault_state={encoded}; cd /; prompt; echo \"region=${{AWS_REGION-unset}}\""
    ));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(!f.t.home.join("pwned").exists(), "the state ran a command: {err}");
    assert!(text.contains("region=unset"), "{text}\n{err}");
    assert_eq!(
        err.matches(
            "vault: ignored 1 variable name(s) in the hook state that vault does not manage"
        )
        .count(),
        1,
        "{err}"
    );
    assert!(!err.contains("command not found") && !err.contains("not a valid"), "{err}");
}

/// A repository's directory names can carry terminal escape sequences: the
/// hook, `allow`, `deny` and `status` print them escaped, never raw.
#[test]
fn escape_sequences_in_paths_are_printed_escaped() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    let dir = f.dir("repo\u{1b}]0;owned\u{7}\u{1b}[2J");
    fs::write(dir.join(".awsprofile"), "work\n").unwrap();
    let out = f.bash(&format!(
        r#"{SETUP}cd ~/repo*; prompt; vault status; vault allow; vault status; vault deny; prompt; vault status
echo "done=${{VAULT_PROFILE-none}}""#
    ));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(text.contains("done=none"), "{text}\n{err}");
    for (name, shown) in [("stdout", &text), ("stderr", &err)] {
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "raw escape on {name}: {shown:?}"
        );
    }
    let escaped = "repo\\u{1b}]0;owned\\u{7}\\u{1b}[2J/.awsprofile";
    assert!(err.contains(&format!("{escaped} (work) is not trusted")), "{err:?}");
    assert!(
        err.contains(&format!("vault: trusted {}/{escaped} (work)", f.t.home.display())),
        "{err:?}"
    );
    assert!(err.contains(&format!("vault: blocked {}/{escaped}", f.t.home.display())), "{err:?}");
    assert!(
        text.contains(&format!("profile: work (from {}/{escaped}, trusted)", f.t.home.display())),
        "{text:?}"
    );
    assert!(text.contains(&format!("{escaped} (work) is blocked")), "{text:?}");
}

/// A huge `.awsprofile` is refused with one line, not read whole.
#[test]
fn a_huge_awsprofile_is_refused() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    let dir = f.dir("big");
    fs::write(dir.join(".awsprofile"), format!("work\n{}", "#".repeat(1 << 20))).unwrap();
    let out = f.bash(&format!(
        "{SETUP}cd ~/big; prompt; echo \"vp=${{VAULT_PROFILE-none}}\"; vault allow; echo \"rc=$?\""
    ));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(text.contains("vp=none") && text.contains("rc=1"), "{text}\n{err}");
    let said = format!(
        "vault: {}/.awsprofile is larger than 4096 bytes; it should hold one profile name\n",
        dir.display()
    );
    assert_eq!(err.matches(&said).count(), 2, "the hook and allow say it: {err}");
}

/// While another process holds the refresh lock (waiting for an MFA code,
/// say), the prompt waits a moment, says so in one line and carries on;
/// `vault reload` gets the credentials once the lock is free.
#[test]
fn the_prompt_does_not_wait_for_another_refresh() {
    if !peers::require_peer("bash") || !peers::require_peer("flock") {
        return;
    }
    let f = fixture();
    let dir = f.dir("proj");
    fs::write(dir.join(".awsprofile"), "work\n").unwrap();
    let out = f.bash(&format!(
        r#"{SETUP}"$VAULT" allow ~/proj/.awsprofile 2>/dev/null
mkdir -p ~/.awsvault
# This shell holds the lock, as another vault refreshing would.
exec 9>~/.awsvault/.refresh.lock; flock 9
start=$(date +%s); cd ~/proj; prompt; took=$(( $(date +%s) - start ))
echo "held=${{VAULT_PROFILE-none}} took=$took"
exec 9>&-
vault reload; echo "reloaded=${{VAULT_PROFILE-none}}"
"#
    ));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(text.contains("held=none"), "{text}\n{err}");
    let took: u64 = text.split("took=").nth(1).unwrap().lines().next().unwrap().parse().unwrap();
    assert!(took < 10, "the prompt waited for the other refresh: {took}s\n{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("refresh")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("another vault process is refreshing these credentials")
            && lines[0].ends_with("run `vault reload` to try again"),
        "{err}"
    );
    assert!(text.contains("reloaded=work"), "{text}\n{err}");
}

/// `vault use` and `vault unuse` each say in one line what changed.
#[test]
fn use_and_unuse_say_what_changed() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    let proj = f.dir("proj");
    fs::write(proj.join(".awsprofile"), "work\n").unwrap();
    let out = f.bash(&format!(
        r#"{SETUP}export AWS_PROFILE=mine
echo step1 >&2; vault use home
echo step2 >&2; vault unuse; echo "profile=$AWS_PROFILE"
echo step3 >&2; "$VAULT" allow ~/proj 2>/dev/null; cd ~/proj; prompt; vault use home
echo step4 >&2; vault unuse; echo "vp=$VAULT_PROFILE"
echo step5 >&2; vault unuse
"#
    ));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(text.contains("profile=mine\n") && text.contains("vp=work\n"), "{text}\n{err}");
    let said = |step: &str| -> Vec<&str> {
        let part = err.split(&format!("{step}\n")).nth(1).unwrap_or("");
        part.lines().take_while(|l| !l.starts_with("step")).collect()
    };
    let used = said("step1");
    assert_eq!(used.len(), 1, "{err}");
    assert!(
        used[0].starts_with("vault: using profile \"home\" in this shell, credentials expire 20")
            && used[0].ends_with("m); `vault unuse` to drop it"),
        "{err}"
    );
    assert_eq!(
        said("step2"),
        ["vault: dropped \"home\"; restored AWS_PROFILE as before `vault use`, unset 8 more"],
        "{err}"
    );
    let back = said("step4");
    assert_eq!(back.len(), 1, "{err}");
    let from = format!(
        "vault: dropped \"home\"; back to \"work\" from {}/.awsprofile, credentials expire ",
        proj.display()
    );
    assert!(back[0].starts_with(&from), "{err}");
    assert_eq!(said("step5"), ["vault: no profile was pinned by `vault use`; nothing changed"]);
}

/// Trusting a file naming a missing profile warns (and still trusts: the
/// config may be fixed later); `vault status` then says why there is none.
#[test]
fn allow_warns_of_a_missing_profile_and_status_says_why() {
    if !peers::require_peer("bash") {
        return;
    }
    let f = fixture();
    let proj = f.dir("proj");
    fs::write(proj.join(".awsprofile"), "nosuch\n").unwrap();
    let out = f.bash(&format!(
        "{SETUP}cd ~/proj; prompt 2>/dev/null; vault allow; echo \"rc=$?\"; vault status; vault status --json"
    ));
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(text.contains("rc=0"), "{text}\n{err}");
    let config = f.t.config_path();
    assert!(
        err.contains(&format!("vault: trusted {}/.awsprofile (nosuch)\n", proj.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "vault: warning: profile \"nosuch\" is neither in {} nor stored; fix the name in the file, or add the profile (`vault add nosuch`)\n",
            config.display()
        )),
        "{err}"
    );
    assert!(text.contains("profile: none\n"), "{text}");
    assert!(
        text.contains("error:   could not use profile \"nosuch\": profile \"nosuch\" not found in"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert!(json["error"].as_str().unwrap().contains("not found"), "{json}");

    // A known profile: no warning, and a good decision clears the error.
    fs::write(proj.join(".awsprofile"), "work\n").unwrap();
    let out = f.bash(&format!("{SETUP}cd ~/proj; vault allow; vault status"));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert!(!stdout(&out).contains("error:"), "{}", stdout(&out));
}

/// pwsh cannot be installed here, so its scripts are at least parsed: the
/// committed `shell/*.ps1` and what `vault hook pwsh` and `vault completions
/// pwsh` print, with the tree-sitter PowerShell grammar
/// (tests/support/ps_parse.py). Any ERROR or MISSING node fails, and a
/// broken script proves the check can fail.
#[test]
fn powershell_scripts_parse() {
    let python = common::python();
    let probe = Command::new(&python)
        .args(["-c", "import tree_sitter, tree_sitter_powershell"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let fix =
        "pip install tree-sitter tree-sitter-powershell into the test venv (tests/run.sh does)";
    if !peers::require_usable(
        (!probe).then_some("the tree-sitter PowerShell grammar is missing"),
        fix,
    ) {
        return;
    }
    let f = fixture();
    let dir = f.dir("ps");
    let mut files: Vec<PathBuf> =
        fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("shell"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ps1"))
            .collect();
    assert!(files.len() >= 2, "{files:?}");
    for (name, args) in [
        ("hook.ps1", &["hook", "pwsh"][..]),
        ("hook-av.ps1", &["hook", "pwsh", "--cmd", "av"][..]),
        ("completions.ps1", &["completions", "pwsh"][..]),
    ] {
        let out = f.t.vault().args(args).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        fs::write(dir.join(name), &out.stdout).unwrap();
        files.push(dir.join(name));
    }
    let parse = |files: &[PathBuf]| {
        Command::new(&python)
            .arg(common::support_dir().join("ps_parse.py"))
            .args(files)
            .output()
            .unwrap()
    };
    let out = parse(&files);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    let broken = dir.join("broken.ps1");
    fs::write(&broken, "function global:f {\n    $x = (1\n}\n").unwrap();
    let out = parse(&[broken]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("broken.ps1:2:5: ERROR"), "{}", stdout(&out));
}
