//! Tab completion in the real shells, and the generated files under
//! `completions/`: the committed scripts and man page must be exactly what
//! the binary prints, so they never drift from `src/cli/`.
//!
//! bash and zsh are driven at a real interactive prompt in tmux, where TAB
//! goes through readline's COMP_WORDBREAKS and zsh's compsys as a person's
//! would; fish answers `complete -C` as it answers a TAB.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::{TempHome, peers, stderr, stdout};

const CONFIG: &str = "\
[profile work]
region = eu-west-1
[profile a:b]
region = us-east-1
[profile team.prod]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = work
[profile me@corp]
[profile org/dev]
";

/// A home whose config has names with `:`, `.`, `@` and `/`, and whose store
/// holds keys for `work` and for `stored-only`, which no section names.
fn fixture() -> TempHome {
    let t = TempHome::with_config(CONFIG);
    for profile in ["work", "stored-only"] {
        let out = t
            .vault()
            .args(["add", "--env", "--add-config=false", profile])
            .env("AWS_ACCESS_KEY_ID", "AKIACOMPLETIONTEST01")
            .env("AWS_SECRET_ACCESS_KEY", "completionTestSecret/0001+abcdefghijk")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    t
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// PATH with this build's `vault` first: the committed scripts run `vault`.
/// The binary itself, not the leak scan's recording wrapper: the hook
/// completes the binary's own name only when PATH finds that very binary.
fn path_with_vault() -> std::ffi::OsString {
    let bin = common::record::real_vault().parent().unwrap().to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).unwrap()
}

#[test]
fn committed_completions_and_man_page_match_the_binary() {
    let dir = repo().join("completions");
    for (args, file) in [
        (&["completions", "bash"][..], "vault.bash"),
        (&["completions", "zsh"], "_vault"),
        (&["completions", "fish"], "vault.fish"),
        (&["completions", "pwsh"], "_vault.ps1"),
        (&["man"], "vault.1"),
    ] {
        let out = Command::new(common::vault_bin()).args(args).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let generated = String::from_utf8(out.stdout).unwrap();
        let committed = fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            generated == committed,
            "completions/{file} is out of date; regenerate it with:\n  cargo run -- {} > completions/{file}",
            args.join(" ")
        );
    }
}

/// What `vault __complete` offers, as fish reads it (`value<TAB>help`).
fn offered(t: &TempHome, words: &[&str], current: &str) -> Vec<String> {
    let out = t
        .vault()
        .args(["__complete", "fish", &format!("--cur={current}"), "--"])
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "completion wrote to stderr: {}", stderr(&out));
    stdout(&out).lines().map(str::to_owned).collect()
}

fn values(lines: &[String]) -> Vec<&str> {
    lines.iter().map(|l| l.split('\t').next().unwrap()).collect()
}

#[test]
fn every_profile_argument_completes_profile_names() {
    let t = fixture();
    let all = ["work", "a:b", "team.prod", "me@corp", "org/dev", "stored-only"];
    for sub in ["exec", "export", "login", "use", "remove", "rm", "rotate", "clear"] {
        let got = offered(&t, &["vault", sub], "");
        assert_eq!(values(&got), all, "vault {sub}");
    }
    // `add` stores keys for a configured profile: stored-only names are done.
    assert_eq!(values(&offered(&t, &["vault", "add"], "")), &all[..5]);
    assert_eq!(values(&offered(&t, &["vault", "migrate", "--profile"], "s")), ["stored-only"]);
    // The word typed so far narrows the list, after flags too.
    assert_eq!(values(&offered(&t, &["vault", "exec", "--json"], "te")), ["team.prod"]);
    // Role or region beside the name.
    let got = offered(&t, &["vault", "exec"], "");
    assert!(got.contains(&"a:b\tus-east-1".to_owned()), "{got:?}");
    assert!(got.contains(&"team.prod\trole Admin".to_owned()), "{got:?}");
    assert!(got.contains(&"work\tstored keys, eu-west-1".to_owned()), "{got:?}");
    // After the profile, exec takes a command: no more profile names.
    assert!(!values(&offered(&t, &["vault", "exec", "work"], "")).contains(&"a:b"));
}

/// The config's profiles are cached between TABs (src/complete_cache.rs):
/// the cache is private, and a config edited since, even to the same size,
/// offers its new names at once; the stored names are never cached.
#[test]
fn a_config_changed_between_two_tabs_is_seen() {
    let t = fixture();
    // A config changed in the last two seconds is not cached: let it settle.
    std::thread::sleep(Duration::from_millis(2500));
    let all = ["work", "a:b", "team.prod", "me@corp", "org/dev", "stored-only"];
    assert_eq!(values(&offered(&t, &["vault", "exec"], "")), all);
    let cache = t.home.join(".cache/vault/profiles");
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(fs::metadata(&cache).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(fs::read_to_string(&cache).unwrap().contains("team.prod\trole Admin\t\n"));
    assert_eq!(values(&offered(&t, &["vault", "exec"], "")), all, "from the cache");

    t.write_config(&CONFIG.replace("[profile work]", "[profile wurk]"));
    let got = offered(&t, &["vault", "exec"], "");
    assert_eq!(
        values(&got),
        ["wurk", "a:b", "team.prod", "me@corp", "org/dev", "stored-only", "work"]
    );
    let out = t
        .vault()
        .args(["add", "--env", "--add-config=false", "me@corp"])
        .env("AWS_ACCESS_KEY_ID", "AKIACOMPLETIONTEST01")
        .env("AWS_SECRET_ACCESS_KEY", "completionTestSecret/0001+abcdefghijk")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(offered(&t, &["vault", "exec"], "").contains(&"me@corp\tstored keys".to_owned()));
}

/// A TAB in fish runs vault once: while the hook's function wrapped the
/// binary (`--wraps`), fish completed both and ran it twice.
#[test]
fn a_fish_tab_runs_vault_once() {
    if !peers::require_peer("fish") || !peers::require_peer("strace") {
        return;
    }
    let t = fixture();
    let trace = t.home.join("execve.trace");
    let script = format!(
        "'{}' hook fish | source; complete -C 'vault exec ' >/dev/null",
        common::vault_bin().display()
    );
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=execve", "-o"])
        .arg(&trace)
        .args(["fish", "--no-config", "--private", "-c", &script])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &t.home)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let trace = fs::read_to_string(&trace).unwrap();
    let runs = trace.lines().filter(|l| l.contains("\"__complete\"")).count();
    assert_eq!(runs, 1, "{trace}");
}

#[test]
fn commands_and_flags_complete_from_the_cli_definition() {
    let t = fixture();
    assert_eq!(values(&offered(&t, &["vault"], "ex")), ["exec", "export"]);
    // Hidden commands are not offered.
    let top = offered(&t, &["vault"], "");
    assert!(!values(&top).iter().any(|v| v.starts_with("__") || *v == "hook-env"), "{top:?}");
    let flags = values(&offered(&t, &["vault", "exec"], "--"))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    for flag in ["--json", "--region", "--ecs-server", "--backend", "--help"] {
        assert!(flags.iter().any(|f| f == flag), "{flag} missing from {flags:?}");
    }
    assert_eq!(
        values(&offered(&t, &["vault", "export", "--format"], "")),
        ["env", "export-env", "json", "ini"]
    );
    assert_eq!(
        values(&offered(&t, &["vault", "exec", "--prompt"], "")),
        ["terminal", "zenity", "kdialog", "ykman", "pass", "osascript", "wincred"]
    );
    // A word not starting with `-` gets profiles, not the flags as well.
    assert!(values(&offered(&t, &["vault", "exec"], "")).iter().all(|v| !v.starts_with('-')));
}

/// `--file-dir` and `--backend` typed before the TAB choose the store that
/// is listed; secret-service is not listed at all (D-Bus may start a daemon
/// or wait for seconds), so its profiles come from the config alone.
#[test]
fn flags_on_the_line_choose_the_store_listed() {
    let t = fixture();
    let other = t.home.join("other-keys");
    let out = t
        .vault()
        .args([
            "--file-dir",
            other.to_str().unwrap(),
            "add",
            "--env",
            "--add-config=false",
            "elsewhere",
        ])
        .env("AWS_ACCESS_KEY_ID", "AKIACOMPLETIONTEST02")
        .env("AWS_SECRET_ACCESS_KEY", "completionTestSecret/0002+abcdefghijk")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let got = offered(&t, &["vault", "--file-dir", other.to_str().unwrap(), "exec"], "");
    assert!(values(&got).contains(&"elsewhere"), "{got:?}");
    assert!(!values(&got).contains(&"stored-only"), "{got:?}");
    let got = offered(&t, &["vault", "exec", "--backend", "secret-service"], "");
    assert_eq!(values(&got), ["work", "a:b", "team.prod", "me@corp", "org/dev"]);
}

/// The store is listed, never unlocked: no passphrase in the environment and
/// a terminal to ask on, yet nothing is asked and the stored names come back.
#[test]
fn completion_never_unlocks_the_store() {
    let t = fixture();
    let run =
        t.vault_on_pty_env(&[], &["__complete", "fish", "--cur=", "--", "vault", "exec"], &[]);
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert!(run.transcript.contains("stored-only"), "{}", run.transcript);
    assert!(!run.transcript.to_lowercase().contains("passphrase"), "{}", run.transcript);
}

/// A broken config still completes the stored names, and says nothing: a
/// message in the middle of a command line would garble it.
#[test]
fn a_broken_config_completes_quietly() {
    let t = fixture();
    t.write_config("[profile work\nregion = x\n");
    assert_eq!(values(&offered(&t, &["vault", "exec"], "")), ["stored-only", "work"]);
}

/// One interactive shell in tmux, at a `[p]` prompt.
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    fn start(t: &TempHome, shell_cmd: &str) -> Tmux {
        Tmux::start_with_path(t, &path_with_vault(), shell_cmd)
    }

    fn start_with_path(t: &TempHome, path: &std::ffi::OsStr, shell_cmd: &str) -> Tmux {
        // A socket per session: a new server on the socket of one just
        // killed can find it still going away.
        static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = t.home.join(format!("tmux-{n}.sock"));
        let tmux = Tmux { socket };
        // PATH through env(1): tmux puts back its own PATH over `-e PATH=`.
        let command = format!(
            "env HOME='{}' PATH='{}' LANG=C.UTF-8 {shell_cmd}",
            t.home.display(),
            path.to_str().unwrap()
        );
        let out = tmux.run(&["new-session", "-d", "-x", "200", "-y", "50", &command]);
        assert!(out.status.success(), "tmux: {}", stderr(&out));
        tmux.wait_for("[p]");
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-S").arg(&self.socket).args(args).output().unwrap()
    }

    fn screen(&self) -> String {
        stdout(&self.run(&["capture-pane", "-p"]))
    }

    fn wait_for(&self, needle: &str) {
        // Generous: the rest of the suite runs at the same time, and a shell
        // starting compinit on a loaded two-core machine was seen to take
        // over 30 s. Returns as soon as the text shows, so this costs nothing
        // when all is well.
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while std::time::Instant::now() < deadline {
            if self.screen().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("never saw {needle:?} on screen:\n{}", self.screen());
    }

    /// Types `line` and TAB twice, so the list is shown, and waits for each
    /// of `expect` on screen.
    fn tab_list(&self, line: &str, expect: &[&str]) {
        self.send(&["-l", line]);
        self.send(&["Tab", "Tab"]);
        for needle in expect {
            self.wait_for(needle);
        }
        self.clear();
    }

    /// Types `line`, TAB and a `#`, and waits for the line to read `want#`:
    /// the shell reads keys in order, so the `#` lands after the completion,
    /// showing the space that ends a completed word.
    fn tab_line(&self, line: &str, want: &str) {
        self.send(&["-l", line]);
        self.send(&["Tab"]);
        self.send(&["-l", "#"]);
        self.wait_for(&format!("[p]{want}#"));
        self.clear();
    }

    fn send(&self, keys: &[&str]) {
        self.run(&[&["send-keys", "-t", "0"][..], keys].concat());
    }

    /// Abandons the line (Ctrl-C until an empty prompt shows: one may land
    /// while a completion still runs) and clears the screen.
    fn clear(&self) {
        let last = |screen: String| screen.trim_end().lines().last().unwrap_or("").to_owned();
        for _ in 0..600 {
            self.send(&["C-c"]);
            std::thread::sleep(Duration::from_millis(100));
            if last(self.screen()) == "[p]" {
                self.send(&["-l", "clear"]);
                self.send(&["Enter"]);
                for _ in 0..600 {
                    if self.screen().trim() == "[p]" {
                        self.run(&["clear-history"]);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
        panic!("the screen did not clear:\n{}", self.screen());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

/// The cases every shell must get right. `cmd` is the command typed: the
/// binary or the hook's function.
fn common_cases(sh: &Tmux, cmd: &str) {
    sh.tab_list(&format!("{cmd} ex"), &["exec", "export"]);
    sh.tab_list(
        &format!("{cmd} exec "),
        &["a:b", "team.prod", "me@corp", "org/dev", "stored-only"],
    );
    sh.tab_line(&format!("{cmd} exec a:"), &format!("{cmd} exec a:b "));
    sh.tab_line(&format!("{cmd} exec me@"), &format!("{cmd} exec me@corp "));
    sh.tab_line(&format!("{cmd} exec team."), &format!("{cmd} exec team.prod "));
    sh.tab_line(&format!("{cmd} exec org/"), &format!("{cmd} exec org/dev "));
    sh.tab_line(&format!("{cmd} use st"), &format!("{cmd} use stored-only "));
    sh.tab_line(&format!("{cmd} exec --js"), &format!("{cmd} exec --json "));
    sh.tab_list(&format!("{cmd} exec --"), &["--region", "--ecs-server"]);
    sh.tab_list(&format!("{cmd} export --format="), &["export-env"]);
}

#[test]
fn bash_completes_through_the_script_and_the_hook() {
    if !peers::require_peer("bash") || !peers::require_peer("tmux") {
        return;
    }
    let t = fixture();
    // The committed script, for the binary on PATH.
    let rc = t.home.join("bashrc-file");
    fs::write(
        &rc,
        format!("PS1='[p]'\nsource '{}'\n", repo().join("completions/vault.bash").display()),
    )
    .unwrap();
    let sh = Tmux::start(&t, &format!("bash --noprofile --rcfile '{}' -i", rc.display()));
    common_cases(&sh, "vault");
    drop(sh);

    // The hook with another function name: the function and the binary both complete.
    let rc = t.home.join("bashrc-hook");
    fs::write(
        &rc,
        format!("PS1='[p]'\neval \"$('{}' hook bash --cmd av)\"\n", common::vault_bin().display()),
    )
    .unwrap();
    let sh = Tmux::start(&t, &format!("bash --noprofile --rcfile '{}' -i", rc.display()));
    common_cases(&sh, "av");
    sh.tab_line("vault exec a:", "vault exec a:b ");
}

#[test]
fn zsh_completes_through_the_script_and_the_hook() {
    if !peers::require_peer("zsh") || !peers::require_peer("tmux") {
        return;
    }
    let t = fixture();
    // The committed `_vault` on $fpath, found by compinit as zsh users install it.
    let zdot = t.home.join("zdot-file");
    fs::create_dir_all(&zdot).unwrap();
    fs::write(
        zdot.join(".zshrc"),
        format!(
            "PS1='[p]'\nfpath=('{}' $fpath)\nautoload -U compinit\ncompinit -u -D\n",
            repo().join("completions").display()
        ),
    )
    .unwrap();
    let sh = Tmux::start(&t, &format!("ZDOTDIR='{}' zsh --no-globalrcs -i", zdot.display()));
    common_cases(&sh, "vault");
    drop(sh);

    // The hook before compinit, as most ~/.zshrc have it: it registers at
    // the first prompt.
    let zdot = t.home.join("zdot-hook");
    fs::create_dir_all(&zdot).unwrap();
    fs::write(
        zdot.join(".zshrc"),
        format!(
            "PS1='[p]'\neval \"$('{}' hook zsh --cmd av)\"\nautoload -U compinit\ncompinit -u -D\n",
            common::vault_bin().display()
        ),
    )
    .unwrap();
    let sh = Tmux::start(&t, &format!("ZDOTDIR='{}' zsh --no-globalrcs -i", zdot.display()));
    common_cases(&sh, "av");
    sh.tab_line("vault exec a:", "vault exec a:b ");
    // Descriptions are shown beside the names.
    sh.tab_list("av exec ", &["role Admin", "us-east-1"]);
    drop(sh);

    // compinit before the hook line, and no compinit at all (a ~/.zshrc
    // holding only the hook line: the hook falls back to compctl).
    for (name, before) in
        [("zdot-compinit-first", "autoload -U compinit\ncompinit -u -D\n"), ("zdot-bare", "")]
    {
        let zdot = t.home.join(name);
        fs::create_dir_all(&zdot).unwrap();
        fs::write(
            zdot.join(".zshrc"),
            format!(
                "PS1='[p]'\n{before}eval \"$('{}' hook zsh)\"\n",
                common::vault_bin().display()
            ),
        )
        .unwrap();
        let sh = Tmux::start(&t, &format!("ZDOTDIR='{}' zsh --no-globalrcs -i", zdot.display()));
        common_cases(&sh, "vault");
        sh.tab_line("vault use te", "vault use team.prod ");
    }
}

fn fish_complete(t: &TempHome, setup: &str, line: &str) -> Vec<String> {
    fish_complete_with_path(t, &path_with_vault(), setup, line)
}

fn fish_complete_with_path(
    t: &TempHome,
    path: &std::ffi::OsStr,
    setup: &str,
    line: &str,
) -> Vec<String> {
    let out = Command::new("fish")
        .args(["--no-config", "--private", "-c"])
        .arg(format!("{setup}\ncomplete -C {}", fish_quote(line)))
        .env_clear()
        .env("PATH", path)
        .env("HOME", &t.home)
        .env("LANG", "C.UTF-8")
        .current_dir(&t.home)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).lines().map(str::to_owned).collect()
}

fn fish_quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[test]
fn fish_completes_through_the_script_and_the_hook() {
    if !peers::require_peer("fish") {
        return;
    }
    let t = fixture();
    let file = format!("source '{}'", repo().join("completions/vault.fish").display());
    let hook = format!("'{}' hook fish --cmd av | source", common::vault_bin().display());
    for (setup, cmd) in [(&file, "vault"), (&hook, "av"), (&hook, "vault")] {
        let got = fish_complete(&t, setup, &format!("{cmd} ex"));
        assert_eq!(values(&got), ["exec", "export"], "{cmd}");
        let got = fish_complete(&t, setup, &format!("{cmd} exec "));
        let names = ["a:b", "me@corp", "org/dev", "stored-only", "team.prod", "work"];
        assert_eq!(values(&got), names, "{cmd}: {got:?}");
        assert!(got.contains(&"team.prod\trole Admin".to_owned()), "{got:?}");
        for (typed, want) in
            [("a:", "a:b"), ("me@", "me@corp"), ("team.", "team.prod"), ("org/", "org/dev")]
        {
            let got = fish_complete(&t, setup, &format!("{cmd} exec {typed}"));
            assert_eq!(values(&got), [want], "{cmd} exec {typed}");
        }
        let got = fish_complete(&t, setup, &format!("{cmd} exec --"));
        assert!(values(&got).contains(&"--json"), "{got:?}");
    }
    // With no answer, file names, as fish does without vault's completion.
    fs::write(t.home.join("notes.txt"), "").unwrap();
    let got = fish_complete(&t, &file, "vault allow no");
    assert_eq!(values(&got), ["notes.txt"]);
}

/// A PATH whose `vault` is another program, as when HashiCorp's comes first
/// and the hook is loaded with `--cmd av`: that `vault` prints one word (one
/// that `ex` completes to, as the shells keep only such), so a completion
/// that ran it shows.
fn path_with_other_vault(t: &TempHome) -> std::ffi::OsString {
    let dir = t.home.join("other-vault");
    fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("vault");
    fs::write(&fake, "#!/bin/sh\necho exotic-other-vault\n").unwrap();
    let mut perms = fs::metadata(&fake).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&fake, perms).unwrap();
    let rest = path_with_vault();
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&rest))).unwrap()
}

/// The completion files a package installs (`/usr/share/...`, the files under
/// `completions/`) are loaded lazily, at the first TAB on `vault`, so they can
/// come after the hook. They must not take over the hook's function: `av`
/// keeps completing through the hook's binary, and `vault`, which the hook
/// left alone because PATH finds another one, completes through that one.
#[test]
fn completion_files_loaded_after_the_hook_leave_it_in_charge() {
    for peer in ["bash", "zsh", "fish", "tmux"] {
        if !peers::require_peer(peer) {
            return;
        }
    }
    let t = fixture();
    let path = path_with_other_vault(&t);
    let hook = |shell: &str| format!("'{}' hook {shell} --cmd av", common::vault_bin().display());

    // bash: what bash-completion's loader does at the first `vault<TAB>`.
    let rc = t.home.join("bashrc-both");
    fs::write(
        &rc,
        format!(
            "PS1='[p]'\neval \"$({})\"\nsource '{}'\n",
            hook("bash"),
            repo().join("completions/vault.bash").display()
        ),
    )
    .unwrap();
    let sh = Tmux::start_with_path(
        &t,
        &path,
        &format!("bash --noprofile --rcfile '{}' -i", rc.display()),
    );
    sh.tab_line("vault ex", "vault exotic-other-vault ");
    sh.tab_line("av exec a:", "av exec a:b ");
    drop(sh);

    // zsh: `_vault` on $fpath, run at the first `vault<TAB>`, then `av`.
    let zdot = t.home.join("zdot-both");
    fs::create_dir_all(&zdot).unwrap();
    fs::write(
        zdot.join(".zshrc"),
        format!(
            "PS1='[p]'\neval \"$({})\"\nfpath=('{}' $fpath)\nautoload -U compinit\ncompinit -u -D\n",
            hook("zsh"),
            repo().join("completions").display()
        ),
    )
    .unwrap();
    let sh = Tmux::start_with_path(
        &t,
        &path,
        &format!("ZDOTDIR='{}' zsh --no-globalrcs -i", zdot.display()),
    );
    sh.tab_line("vault ex", "vault exotic-other-vault ");
    sh.tab_line("av exec a:", "av exec a:b ");
    drop(sh);

    // fish loads a completion file even for a command that already has
    // completions, so both stay registered for `vault`; each runs its own
    // binary.
    let setup = format!(
        "{} | source\nsource '{}'",
        hook("fish"),
        repo().join("completions/vault.fish").display()
    );
    assert_eq!(
        values(&fish_complete_with_path(&t, &path, &setup, "vault ex")),
        ["exotic-other-vault"]
    );
    assert_eq!(values(&fish_complete_with_path(&t, &path, &setup, "av exec a:")), ["a:b"]);
    // With this `vault` on PATH the hook registers it too: the two
    // registrations give the same names, and fish shows each once.
    assert_eq!(values(&fish_complete(&t, &setup, "vault exec a:")), ["a:b"]);
}

/// PowerShell is not packaged for Debian 12: its script is pinned by the
/// drift test above and run where `pwsh` exists.
#[test]
fn pwsh_completes_where_available() {
    let script = fs::read_to_string(repo().join("completions/_vault.ps1")).unwrap();
    assert!(script.contains("Register-ArgumentCompleter -Native -CommandName 'vault'"));
    if !peers::optional_peer("pwsh", "the PowerShell run", "Debian does not package it") {
        return;
    }
    let t = fixture();
    let hook = t.home.join("hook.ps1");
    let out = t.vault().args(["hook", "pwsh", "--cmd", "av"]).output().unwrap();
    fs::write(&hook, &out.stdout).unwrap();
    let file = repo().join("completions/_vault.ps1");
    for (setup, line) in [(&file, "vault exec "), (&hook, "av exec "), (&file, "vault exec a:")] {
        let driver = format!(
            "Set-StrictMode -Version latest\n\
             . {}\n\
             (TabExpansion2 -inputScript {} -cursorColumn {}).CompletionMatches.CompletionText\n",
            peers::ps_quote(setup.to_str().unwrap()),
            peers::ps_quote(line),
            line.len()
        );
        let out = peers::pwsh_file(&t.home.join("complete.ps1"), &driver)
            .env("HOME", &t.home)
            .env("PATH", path_with_vault())
            .output()
            .unwrap();
        let got = stdout(&out);
        assert!(got.lines().any(|l| l == "a:b"), "{line}: {got}{}", stderr(&out));
    }
}
