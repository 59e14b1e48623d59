//! A `cd` that changes nothing starts no process (issue 27, point 2): the
//! hook's shell code decides from what vault's last run left (the nearest
//! `.awsprofile`'s path and contents, the trust records' token, `AWS_VAULT`
//! and `VAULT_HOOK_MODE`) that a run would change nothing. Each change that
//! must still be seen is a step of one scenario, driven in real bash, zsh
//! and fish under `strace -f`, against moto: the trace between a step's
//! marks shows whether the shell started any process, and whether it ran
//! `vault hook-env`. Leaving a profile's folders for none starts no process
//! either: the last run left the code for it.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use common::moto::Moto;
use common::{TempHome, peers, stderr, stdout};

const CONFIG: &str = "[profile work]\nregion = eu-west-1\n[profile home]\nregion = us-west-2\n";

struct Fixture {
    t: TempHome,
    moto: Moto,
    proj: PathBuf,
}

fn fixture() -> Fixture {
    let moto = Moto::start();
    let t = TempHome::with_config(CONFIG);
    for profile in ["work", "home"] {
        t.add_keys(profile, "AKIAVAULTHOOKCD00001", "hookCdSecret/0001+abcdefghijklmnopqrst");
    }
    let proj = t.home.join("src/shop");
    fs::create_dir_all(proj.join("api/inner")).unwrap();
    fs::create_dir_all(t.home.join("elsewhere/deeper")).unwrap();
    fs::write(proj.join(".awsprofile"), "work\n").unwrap();
    let out = t.vault().args(["allow", proj.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    Fixture { t, moto, proj }
}

/// What a step must show: whether vault ran (`Ran`) or no process at all
/// started (`NoProcess`), and the profile the shell has after it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Seen {
    Ran,
    NoProcess,
}
use Seen::{NoProcess, Ran};

/// The steps, in order: (name, what happens before the marks, the `cd`s
/// between them, expected, profile after). Commands before the marks may
/// start processes (`"$VAULT" allow` as another shell would run it).
/// Written for bash and zsh; fish gets them through [`fish`].
const STEPS: &[(&str, &str, &str, Seen, &str)] = &[
    ("enter", "", "cd \"$PROJ\"; prompt", Ran, "work"),
    (
        "within one profile",
        "",
        "cd api; prompt; cd inner; prompt; cd \"$PROJ\"; prompt; cd api/inner; prompt",
        NoProcess,
        "work",
    ),
    // The same size and inode, written within a second of the last run:
    // only the contents tell.
    ("edited in place", "printf 'home\\n' >\"$PROJ/.awsprofile\"", "cd ..; prompt", Ran, "none"),
    (
        "allowed by another shell",
        "\"$VAULT\" allow \"$PROJ\" 2>/dev/null",
        "cd inner; prompt",
        Ran,
        "home",
    ),
    ("within again", "", "cd \"$PROJ\"; prompt", NoProcess, "home"),
    (
        "denied by another shell",
        "\"$VAULT\" deny \"$PROJ\" 2>/dev/null",
        "cd api; prompt",
        Ran,
        "none",
    ),
    (
        "edited and allowed back",
        "printf 'work\\n' >\"$PROJ/.awsprofile\"; \"$VAULT\" allow \"$PROJ\" 2>/dev/null",
        "cd \"$PROJ\"; prompt",
        Ran,
        "work",
    ),
    (
        "a new file in between",
        "printf 'home\\n' >\"$PROJ/api/.awsprofile\"",
        "cd api/inner; prompt",
        Ran,
        "none",
    ),
    ("the file in between removed", "rm \"$PROJ/api/.awsprofile\"", "cd ..; prompt", Ran, "work"),
    // Out of a profile's folders into none: the code the last run left
    // does it (tests/hook_leave.rs checks it ends where a run would).
    ("left to a folder with none", "", "cd \"$HOME/elsewhere\"; prompt", NoProcess, "none"),
    ("within none", "", "cd deeper; prompt; cd \"$HOME\"; prompt", NoProcess, "none"),
    ("back in", "", "cd \"$PROJ/api\"; prompt", Ran, "work"),
    // A variable vault set, changed by hand: only a run knows to keep it.
    (
        "left after a change by hand",
        "export VAULT_EXPIRES_AT=by-hand",
        "cd \"$HOME/elsewhere\"; prompt",
        Ran,
        "none",
    ),
    (
        "pinned by vault use",
        "vault use home 2>/dev/null",
        "cd \"$PROJ\"; prompt; cd \"$HOME/elsewhere\"; prompt; cd \"$PROJ/api\"; prompt",
        NoProcess,
        "home",
    ),
    // Back to the file's profile, which the next cd leaves.
    ("vault unuse", "vault unuse 2>/dev/null", "cd \"$HOME/elsewhere\"; prompt", NoProcess, "none"),
    (
        "after vault reload",
        "cd \"$PROJ\"; prompt; vault reload 2>/dev/null",
        "cd api; prompt",
        NoProcess,
        "work",
    ),
    ("near expiry", "__vault_deadline=1", "cd inner; prompt", Ran, "work"),
    ("after the refresh check", "", "cd ..; prompt", NoProcess, "work"),
    ("an exec shell", "export AWS_VAULT=home", "cd \"$PROJ\"; prompt", Ran, "none"),
    ("within, standing down", "", "cd api; prompt", NoProcess, "none"),
    ("the exec shell left", "unset AWS_VAULT", "cd inner; prompt", Ran, "work"),
    ("the mode changed", "export VAULT_HOOK_MODE=keys", "cd ..; prompt", Ran, "work"),
    ("within at the end", "", "cd \"$PROJ\"; prompt", NoProcess, "work"),
];

/// A step in fish's words.
fn fish(code: &str) -> String {
    code.replace("\"$VAULT\"", "$VAULT")
        .replace("__vault_deadline=1", "set -g __vault_deadline 1")
        .replace("export AWS_VAULT=home", "set -gx AWS_VAULT home")
        .replace("unset AWS_VAULT", "set -e AWS_VAULT")
        .replace("export VAULT_HOOK_MODE=keys", "set -gx VAULT_HOOK_MODE keys")
        .replace("export VAULT_EXPIRES_AT=by-hand", "set -gx VAULT_EXPIRES_AT by-hand")
}

fn script(shell: &str) -> String {
    let mut script = match shell {
        "bash" => "eval \"$(\"$VAULT\" hook bash)\"; prompt() { eval \"$PROMPT_COMMAND\"; }\n\
                   mark() { [[ -e \"/vault-mark/$1\" ]]; }\n\
                   snap() { printf '%s=%s\\n' \"$1\" \"${VAULT_PROFILE-none}\"; }\n"
            .to_owned(),
        // zsh runs the hook at `cd` too (chpwd), and again at the prompt.
        "zsh" => "eval \"$(\"$VAULT\" hook zsh)\"\n\
                  prompt() { local f; for f in $precmd_functions; do $f; done; }\n\
                  mark() { [[ -e \"/vault-mark/$1\" ]]; }\n\
                  snap() { printf '%s=%s\\n' \"$1\" \"${VAULT_PROFILE-none}\"; }\n"
            .to_owned(),
        _ => "$VAULT hook fish | source\n\
              function prompt; emit fish_prompt; end\n\
              function mark; test -e /vault-mark/$argv[1]; end\n\
              function snap; set -l v none; set -q VAULT_PROFILE; and set v $VAULT_PROFILE; \
              printf '%s=%s\\n' $argv[1] $v; end\n"
            .to_owned(),
    };
    for (i, (_, before, cds, _, _)) in STEPS.iter().enumerate() {
        let (before, cds) = if shell == "fish" {
            (fish(before), fish(cds))
        } else {
            (before.to_string(), cds.to_string())
        };
        script.push_str(&format!("{before}\nmark begin-{i}; {cds}; mark end-{i}; snap {i}\n"));
    }
    script
}

fn check(shell: &str) {
    if !peers::require_peer(shell) || !peers::require_peer("strace") {
        return;
    }
    let f = fixture();
    let trace = f.t.home.join("trace");
    let args: &[&str] = match shell {
        "bash" => &["--noprofile", "--norc", "-c"],
        "zsh" => &["--no-rcs", "-c"],
        _ => &["--no-config", "--private", "-c"],
    };
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=%process,newfstatat,stat,access", "-o"])
        .arg(&trace)
        .arg(shell)
        .args(args)
        .arg(script(shell))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .env("HOME", &f.t.home)
        .env("XDG_DATA_HOME", f.t.home.join(".local/share"))
        .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
        .env("AWS_ENDPOINT_URL", f.moto.url())
        .env("VAULT", common::vault_bin())
        .env("PROJ", &f.proj)
        .current_dir(&f.t.home)
        .output()
        .unwrap();
    let (text, err) = (stdout(&out), stderr(&out));
    assert!(out.status.success(), "{shell}: {text}\n{err}");
    let trace = fs::read_to_string(&trace).unwrap();
    let mut failures = Vec::new();
    for (i, (name, _, _, seen, profile)) in STEPS.iter().enumerate() {
        let begin = trace.find(&format!("\"/vault-mark/begin-{i}\"")).expect("begin mark");
        let end = trace.find(&format!("\"/vault-mark/end-{i}\"")).expect("end mark");
        let part = &trace[begin..end];
        let started = processes(part);
        let ran = part.lines().any(|l| l.contains("execve(") && l.contains("\"hook-env\""));
        let ok = match seen {
            NoProcess => started.is_empty(),
            Ran => ran,
        };
        if !ok {
            failures.push(format!("step {i} ({name}): expected {seen:?}, started {started:#?}"));
        }
        let got = text.lines().find_map(|l| l.strip_prefix(&format!("{i}=")));
        if got != Some(profile) {
            failures.push(format!("step {i} ({name}): profile {got:?}, expected {profile}"));
        }
    }
    assert!(failures.is_empty(), "{shell}:\n{}\n{text}\n{err}", failures.join("\n"));
    // One session per profile, however many cds and re-runs.
    assert_eq!(f.moto.count("GetSessionToken"), 2, "{shell}: {:?}", f.moto.requests());
}

/// The lines of an strace that start a process: a fork, or an exec; not a
/// thread (interactive fish keeps a pool of them).
fn processes(trace: &str) -> Vec<&str> {
    trace
        .lines()
        .filter(|l| {
            let call = l.split_once(' ').map_or("", |(_, rest)| rest.trim_start());
            ["clone(", "clone3(", "fork(", "vfork(", "execve("].iter().any(|c| call.starts_with(c))
                && !call.contains("CLONE_THREAD")
        })
        .collect()
}

#[test]
fn bash_cd_runs_vault_only_when_something_changed() {
    check("bash");
}

#[test]
fn zsh_cd_runs_vault_only_when_something_changed() {
    check("zsh");
}

#[test]
fn fish_cd_runs_vault_only_when_something_changed() {
    check("fish");
}

/// The same in real interactive shells on a terminal (tmux), whose prompt
/// runs the hook by itself: entering the project runs vault once, then three
/// `cd`s within it start no process at all, as the shell's trace shows.
#[test]
fn interactive_shells_start_no_process_on_a_cd_within_one_profile() {
    if !peers::require_peer("tmux") || !peers::require_peer("strace") {
        return;
    }
    let f = fixture();
    let exe = common::vault_bin().display().to_string();
    for shell in ["bash", "zsh", "fish"] {
        if !peers::require_peer(shell) {
            continue;
        }
        let dir = f.t.home.join(format!("rc-{shell}"));
        fs::create_dir_all(&dir).unwrap();
        // A plain prompt: fish's default one runs git and others.
        let (rc_file, rc, start) = match shell {
            "bash" => (
                "bashrc",
                format!("PS1='[p] '\neval \"$('{exe}' hook bash)\"\n"),
                format!("bash --noprofile --rcfile '{}/bashrc' -i", dir.display()),
            ),
            "zsh" => (
                ".zshrc",
                format!("PS1='[p] '\neval \"$('{exe}' hook zsh)\"\n"),
                "zsh -i".to_owned(),
            ),
            _ => (
                "config.fish",
                format!("function fish_prompt; echo -n '[p] '; end\n'{exe}' hook fish | source\n"),
                format!("fish --no-config -i -C 'source {}/config.fish'", dir.display()),
            ),
        };
        fs::write(dir.join(rc_file), rc).unwrap();
        let socket = f.t.home.join(format!("tmux-{shell}.sock"));
        let trace = f.t.home.join(format!("trace-{shell}"));
        let tmux = |args: &[&str]| {
            Command::new("tmux").arg("-S").arg(&socket).args(args).output().unwrap()
        };
        let env = [
            format!("HOME={}", f.t.home.display()),
            format!("ZDOTDIR={}", dir.display()),
            format!("XDG_DATA_HOME={}", f.t.home.join(".local/share").display()),
            format!("AWS_VAULT_FILE_PASSPHRASE={}", common::PASSPHRASE),
            format!("AWS_ENDPOINT_URL={}", f.moto.url()),
            "LANG=C.UTF-8".to_owned(),
        ];
        let command = format!(
            "strace -f -qq -e trace=%process,newfstatat,stat,access -o '{}' {start}",
            trace.display()
        );
        let mut args = vec!["new-session", "-d", "-x", "200", "-y", "50"];
        for e in &env {
            args.extend(["-e", e.as_str()]);
        }
        args.push(&command);
        let out = tmux(&args);
        assert!(out.status.success(), "tmux: {}", stderr(&out));
        let screen = || stdout(&tmux(&["capture-pane", "-p", "-S", "-100"]));
        let wait_for = |needle: &str, count: usize| {
            for _ in 0..600 {
                if screen().matches(needle).count() >= count {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            panic!("{shell}: never saw {needle:?} x{count} on screen:\n{}", screen());
        };
        let send = |line: &str, prompts: usize| {
            tmux(&["send-keys", "-t", "0", "-l", line]);
            tmux(&["send-keys", "-t", "0", "Enter"]);
            wait_for("[p]", prompts);
        };
        let test_e = if shell == "fish" { "test -e" } else { "[[ -e" };
        let close = if shell == "fish" { "" } else { " ]]" };
        wait_for("[p]", 1);
        send(&format!("cd '{}'", f.proj.display()), 2);
        send(&format!("{test_e} /vault-mark/begin{close}"), 3);
        send("cd api", 4);
        send("cd inner", 5);
        send(&format!("cd '{}'", f.proj.display()), 6);
        send(&format!("{test_e} /vault-mark/end{close}"), 7);
        send("echo \"vp=$VAULT_PROFILE\"", 8);
        let text = screen();
        tmux(&["kill-server"]);
        assert!(text.contains("vp=work"), "{shell}: {text}");
        let trace = fs::read_to_string(&trace).unwrap();
        let begin = trace.find("\"/vault-mark/begin\"").expect("begin mark");
        let end = trace.find("\"/vault-mark/end\"").expect("end mark");
        let entered = trace[..begin].lines().filter(|l| l.contains("\"hook-env\"")).count();
        assert!(entered >= 1, "{shell}: entering ran vault: {}", &trace[..begin]);
        let started = processes(&trace[begin..end]);
        assert!(started.is_empty(), "{shell}: processes on cd within one profile: {started:#?}");
    }
}
