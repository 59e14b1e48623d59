//! Injection, end to end: random values (every character but NUL: control
//! characters, ANSI escapes, quotes, `$()`, backticks, newlines, `%`, all of
//! Unicode, long values, and payloads that would create a file if any shell
//! ran them) go through the real `vault` binary as the user's own variables
//! the hook restores, as profile names, as credential fields (from a
//! `credential_process` and from the file store), as the folder the binary
//! is in (written into the hook script) and as regions;
//! the code it prints is evaluated in real bash, zsh and fish the way the
//! hook does, and parsed with the tree-sitter PowerShell grammar. Every value
//! must read back byte for byte, and the canary folder must stay empty.
//!
//! `VAULT_INJECT_VALUES` sets the number of values (default 330, a few
//! seconds; bench/reliability/inject.sh runs 10,000) and `VAULT_INJECT_SEED`
//! the seed. The figures are printed on one `injection:` line.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine as _;
use common::{TempHome, peers, stderr, stdout};

/// The hook's managed variables (src/shell/state.rs), in its order.
const MANAGED: [&str; 11] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "VAULT_PROFILE",
    "VAULT_EXPIRES_AT",
];
/// An output file of vault's, the variables it should set and their values.
type Case = (PathBuf, Vec<&'static str>, Vec<String>);

const UNSET: &str = "__vault_inject_unset__";
const SHELLS: [&str; 3] = ["bash", "zsh", "fish"];

/// xorshift64: deterministic, so a failure repeats with the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Any character but NUL, half of them ASCII (where the shells'
    /// special characters are).
    fn char(&mut self) -> char {
        loop {
            let c = (self.next() % 0x11_0000) as u32;
            let c = if self.next().is_multiple_of(2) { c % 0x80 } else { c };
            if let Some(ch) = char::from_u32(c).filter(|ch| *ch != '\0') {
                return ch;
            }
        }
    }
}

/// Text each shell would run as a command if a quote ended early, each
/// creating its own file in `canary`, or expand to something else.
fn payloads(canary: &Path) -> Vec<String> {
    let c = canary.display();
    [
        "$(touch {c}/dollar-paren)",
        "`touch {c}/backtick`",
        "'; touch {c}/single; '",
        "\"; touch {c}/double; \"",
        "\\'; touch {c}/backslash-quote; #",
        "'\\''; touch {c}/posix-quote; '",
        "(touch {c}/fish-paren)",
        "'\ntouch {c}/newline\n'",
        "\ntouch {c}/bare-newline\n",
        "\r\ntouch {c}/crlf\r\n",
        "\u{2019}; touch {c}/curly; \u{2018}",
        "\u{201B}) ; New-Item {c}/pwsh-quote ; (\u{201A}",
        "$(New-Item {c}/pwsh-subexpression)",
        "${IFS}touch${IFS}{c}/ifs",
        "%(touch {c}/percent)% %s %n %x",
        "!!; touch {c}/history; !$",
        "{touch,{c}/brace}",
        "\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m; touch {c}/ansi",
        "\\\\'; touch {c}/double-backslash; '",
        "$'\\x27'; touch {c}/ansi-c",
        // zsh reads a word starting with `=` as a command's path.
        "=ls",
        "=vault-inject-no-such-command",
    ]
    .iter()
    .map(|p| p.replace("{c}", &c.to_string()))
    .collect()
}

/// `n` values: random characters, shell-special runs, payloads (alone or
/// inside random text), long values and the empty string.
fn values(n: usize, rng: &mut Rng, payloads: &[String]) -> Vec<String> {
    const SPECIAL: &str = "'\"\\$`\n\r\t !*?~#;&|(){}[]<>%=^,:@\u{7f}\u{1b}\u{1}\u{9b}\u{2018}\u{2019}\u{201a}\u{201b}\u{feff}\u{fdd0}\u{f600}\u{10ffff}";
    let special: Vec<char> = SPECIAL.chars().collect();
    (0..n)
        .map(|i| match i % 10 {
            0 => payloads[rng.below(payloads.len())].clone(),
            1 => {
                let mut v: String = (0..rng.below(8)).map(|_| rng.char()).collect();
                v.push_str(&payloads[rng.below(payloads.len())]);
                v.extend((0..rng.below(8)).map(|_| rng.char()));
                v
            }
            // Long values: up to 6,000 characters (as many as 24 KB).
            2 if i % 40 == 2 => (0..1000 + rng.below(5000)).map(|_| rng.char()).collect(),
            3 if i % 100 == 3 => String::new(),
            3..=5 => (0..1 + rng.below(24)).map(|_| special[rng.below(special.len())]).collect(),
            _ => (0..rng.below(40)).map(|_| rng.char()).collect(),
        })
        .collect()
}

/// The figures, added up over every part of the run.
#[derive(Default)]
struct Tally {
    values: usize,
    /// Values read back by a real shell (bash, zsh, fish).
    reads: usize,
    /// pwsh values checked against the model of PowerShell's quoting
    /// (tests/support/ps_values.py): not runs, so not in `reads`.
    model_reads: usize,
    mismatches: Vec<String>,
    refused: usize,
}

impl Tally {
    fn check(&mut self, what: &str, got: &str, want: &str) {
        self.reads += 1;
        self.compare(what, got, want);
    }

    fn check_model(&mut self, what: &str, got: &str, want: &str) {
        self.model_reads += 1;
        self.compare(what, got, want);
    }

    fn compare(&mut self, what: &str, got: &str, want: &str) {
        if got != want {
            let short = |s: &str| format!("{:?}", s.chars().take(80).collect::<String>());
            self.mismatches.push(format!("{what}: got {} want {}", short(got), short(want)));
        }
    }
}

struct Run {
    t: TempHome,
    /// Where the shells run and vault's outputs are kept.
    work: PathBuf,
    canary: PathBuf,
}

impl Run {
    fn vault(&self) -> Command {
        let mut cmd = self.t.vault();
        cmd.current_dir(&self.work).env("VAULT_FILE_ITERATIONS", "8192");
        cmd
    }

    /// Runs `script` in a real shell with a clean environment, as a file.
    fn shell(&self, shell: &str, name: &str, script: &str) -> Output {
        let file = self.work.join(name);
        fs::write(&file, script).unwrap();
        let flags: &[&str] = match shell {
            "bash" => &["--noprofile", "--norc"],
            "zsh" => &["--no-rcs"],
            _ => &["--no-config", "--private"],
        };
        Command::new(shell)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.t.home)
            .env("LANG", "C.UTF-8")
            .current_dir(&self.work)
            .args(flags)
            .arg(&file)
            .output()
            .unwrap()
    }

    /// Script text that evaluates the file `out` as the hook evaluates
    /// vault's output, then prints `vars` NUL-separated.
    fn eval_and_print(shell: &str, out: &Path, vars: &[&str]) -> String {
        let out = out.display();
        let names = vars.join(" ");
        if shell == "fish" {
            format!(
                "set -l __vault_out (cat '{out}' | string collect); and eval $__vault_out\n\
                 for n in {names}; if set -q $n; printf '%s\\0' $$n; else; printf '%s\\0' {UNSET}; end; end\n"
            )
        } else {
            let mut s = format!("__vault_out=$(cat '{out}'); eval \"$__vault_out\"\n");
            for v in vars {
                let _ = writeln!(s, "printf '%s\\0' \"${{{v}-{UNSET}}}\"");
            }
            s
        }
    }

    /// Evaluates each (output file, variables, expected values) in `shell`
    /// in one process and compares what it prints.
    fn read_back(&self, shell: &str, label: &str, cases: &[Case], tally: &mut Tally) {
        let script: String =
            cases.iter().map(|(out, vars, _)| Self::eval_and_print(shell, out, vars)).collect();
        let out = self.shell(shell, &format!("{label}.{shell}"), &script);
        assert!(out.status.success(), "{shell} {label}: {}", stderr(&out));
        let printed: Vec<&[u8]> = out.stdout.split(|b| *b == 0).collect();
        let mut printed = printed.into_iter();
        for (file, vars, want) in cases {
            for (var, want) in vars.iter().zip(want) {
                let got = printed.next().map(String::from_utf8_lossy).unwrap_or_default();
                let what = format!("{shell} {label} {} {var}", file.display());
                tally.check(&what, &got, want);
            }
        }
    }

    /// What the tree-sitter PowerShell grammar says each file does: the
    /// variables set (name to value), or the statements that are not plain
    /// assignments, which count as commands.
    fn pwsh_actions(&self, files: &[PathBuf]) -> Vec<Result<BTreeMap<String, String>, String>> {
        let mut all = Vec::new();
        for chunk in files.chunks(500) {
            let out = Command::new(common::python())
                .arg(common::support_dir().join("ps_values.py"))
                .args(chunk)
                .output()
                .unwrap();
            assert!(out.status.success(), "ps_values.py: {}", stderr(&out));
            for line in String::from_utf8(out.stdout).unwrap().lines() {
                let actions: Vec<Vec<String>> = serde_json::from_str(line).unwrap();
                let mut set = BTreeMap::new();
                let mut other = Vec::new();
                for a in actions {
                    match a[0].as_str() {
                        "set" => drop(set.insert(a[1].clone(), a[2].clone())),
                        "unset" => drop(set.remove(&a[1])),
                        _ => other.push(a[1].clone()),
                    }
                }
                all.push(if other.is_empty() { Ok(set) } else { Err(other.join(" | ")) });
            }
        }
        assert_eq!(all.len(), files.len());
        all
    }

    fn check_pwsh(&self, label: &str, cases: &[Case], tally: &mut Tally) {
        let files: Vec<PathBuf> = cases.iter().map(|(f, _, _)| f.clone()).collect();
        for ((file, vars, want), actions) in cases.iter().zip(self.pwsh_actions(&files)) {
            match actions {
                Ok(set) => {
                    for (var, want) in vars.iter().zip(want) {
                        let got = set.get(*var).map(String::as_str).unwrap_or(UNSET);
                        let what = format!("pwsh {label} {} {var}", file.display());
                        tally.check_model(&what, got, want);
                    }
                }
                Err(other) => tally.mismatches.push(format!(
                    "pwsh {label} {}: statements that are not assignments: {other:?}",
                    file.display()
                )),
            }
        }
    }
}

fn peers_present() -> bool {
    let python = common::python();
    let grammar = Command::new(&python)
        .args(["-c", "import tree_sitter, tree_sitter_powershell"])
        .output()
        .is_ok_and(|o| o.status.success());
    SHELLS.iter().all(|s| peers::require_peer(s))
        && peers::require_usable(
            (!grammar).then_some("the tree-sitter PowerShell grammar is missing"),
            "pip install tree-sitter tree-sitter-powershell into the test venv (tests/run.sh does)",
        )
}

/// The state the hook keeps between prompts, as if vault had set all its
/// variables over the user's own `prev` values and the shell had since left
/// the directory: the next prompt gives every one of them back.
fn restoring_state(prev: &[String]) -> String {
    let managed: BTreeMap<&str, &str> = MANAGED.iter().map(|k| (*k, "-")).collect();
    let prev: BTreeMap<&str, &str> =
        MANAGED.iter().zip(prev).map(|(k, v)| (*k, v.as_str())).collect();
    let state = serde_json::json!({
        "file": {"path": "/nonexistent/.awsprofile", "mtime_ns": 0, "len": 0},
        "profile": "inject",
        "managed": managed,
        "prev": prev,
    });
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(state.to_string())
}

/// Part 1: the user's own values, given back by `vault hook-env SHELL` when
/// the shell leaves a profile's directory (any text the environment held).
fn restored_values(run: &Run, values: &[String], tally: &mut Tally) {
    let mut cases: BTreeMap<&str, Vec<Case>> = BTreeMap::new();
    for (b, batch) in values.chunks(MANAGED.len()).enumerate() {
        let state = restoring_state(batch);
        for shell in SHELLS.iter().chain(&["pwsh"]) {
            let out = run.vault().args(["hook-env", shell]).env("__VAULT_STATE", &state).output();
            let out = out.unwrap();
            // Leaving the profile says only that (README: Shell integration).
            let said = stderr(&out);
            assert!(out.status.success() && said == "vault: left inject\n", "hook-env: {said}");
            let file = run.work.join(format!("restore-{b}.{shell}.out"));
            fs::write(&file, &out.stdout).unwrap();
            let vars = MANAGED[..batch.len()].to_vec();
            cases.entry(shell).or_default().push((file, vars, batch.to_vec()));
        }
        tally.values += batch.len();
    }
    for shell in SHELLS {
        run.read_back(shell, "restore", &cases[shell], tally);
    }
    run.check_pwsh("restore", &cases["pwsh"], tally);
}

/// A profile name the config file can hold: one line, no brackets, no
/// surrounding blanks (values with those are refused by the config parser).
fn profile_name(value: &str, i: usize) -> String {
    let name: String = value.chars().filter(|c| !"\n\r[]".contains(*c)).collect();
    format!("p{i} {name}").trim().to_owned()
}

/// Part 2: profile names and credential fields, read from the config and a
/// `credential_process`, printed by `vault export --format export-env`
/// (POSIX code: bash and zsh) and by `vault use` for every shell.
fn profiles_and_credentials(run: &Run, values: &[String], tally: &mut Tally) {
    let mut config = String::new();
    let mut profiles = Vec::new();
    for (i, v) in values.chunks(4).enumerate() {
        let [name, id, secret, token] = v else { break };
        let name = profile_name(name, i);
        let json = serde_json::json!({
            "Version": 1, "AccessKeyId": format!("A{id}"),
            "SecretAccessKey": format!("S{secret}"), "SessionToken": format!("T{token}"),
        });
        let file = run.work.join(format!("creds-{i}.json"));
        fs::write(&file, json.to_string()).unwrap();
        let _ = writeln!(config, "[profile {name}]\ncredential_process = cat {}", file.display());
        profiles.push((name, format!("A{id}"), format!("S{secret}"), format!("T{token}")));
        tally.values += 4;
    }
    run.t.write_config(&config);

    const CREDS: [&str; 3] = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
    let mut cases: BTreeMap<&str, Vec<Case>> = BTreeMap::new();
    for (i, (name, id, secret, token)) in profiles.iter().enumerate() {
        let creds = vec![id.clone(), secret.clone(), token.clone()];
        let out = run.vault().args(["export", "--format", "export-env", "--", name]).output();
        let out = out.unwrap();
        assert!(out.status.success(), "export {name:?}: {}", stderr(&out));
        let file = run.work.join(format!("export-{i}.out"));
        fs::write(&file, &out.stdout).unwrap();
        for shell in ["bash", "zsh"] {
            cases.entry(shell).or_default().push((file.clone(), CREDS.to_vec(), creds.clone()));
        }

        let mut vars = CREDS.to_vec();
        vars.push("VAULT_PROFILE");
        let mut want = creds.clone();
        want.push(name.clone());
        for shell in SHELLS.iter().chain(&["pwsh"]) {
            let out = run.vault().args(["use", "--", name]).env("__VAULT_SHELL", shell).output();
            let out = out.unwrap();
            assert!(out.status.success(), "use {name:?} in {shell}: {}", stderr(&out));
            let file = run.work.join(format!("use-{i}.{shell}.out"));
            fs::write(&file, &out.stdout).unwrap();
            // `use` on its own line; control characters shown as escapes.
            let said = String::from_utf8(out.stderr).unwrap();
            if said.lines().count() != 1 || said.trim_end().chars().any(char::is_control) {
                tally.mismatches.push(format!("use {name:?}: said {said:?}"));
            }
            cases.entry(shell).or_default().push((file, vars.clone(), want.clone()));
        }
    }
    // Shells start once for all the profiles: a separate label per kind of
    // output keeps the figures apart in a failure message.
    for shell in SHELLS {
        run.read_back(shell, "profiles", &cases[shell], tally);
    }
    run.check_pwsh("profiles", &cases["pwsh"], tally);
}

/// Part 2b: credential fields that went through the file store: `vault add
/// --env` encrypts them, `vault export --no-session` reads them back.
fn stored_credentials(run: &Run, values: &[String], tally: &mut Tally) {
    const CREDS: [&str; 2] = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
    let mut cases = Vec::new();
    for (i, v) in values.chunks(2).enumerate() {
        let [id, secret] = v else { break };
        let (id, secret) = (format!("A{id}"), format!("S{secret}"));
        tally.values += 2;
        let name = format!("s{i}");
        let mut add = run.vault();
        add.args(["add", "--env", "--add-config=false", &name]);
        let out = add.env("AWS_ACCESS_KEY_ID", &id).env("AWS_SECRET_ACCESS_KEY", &secret).output();
        let out = out.unwrap();
        assert!(out.status.success(), "add {name}: {}", stderr(&out));
        let export = ["export", "--format", "export-env", "--no-session", &name];
        let out = run.vault().args(export).output().unwrap();
        assert!(out.status.success(), "export {name}: {}", stderr(&out));
        let file = run.work.join(format!("stored-{i}.out"));
        fs::write(&file, &out.stdout).unwrap();
        // `add` trims what it is given, as it does a pasted key.
        let want = vec![id.trim().to_owned(), secret.trim().to_owned()];
        cases.push((file, CREDS.to_vec(), want));
    }
    for shell in ["bash", "zsh"] {
        run.read_back(shell, "stored", &cases, tally);
    }
}

/// Part 3: regions from the config. vault refuses one that cannot name a
/// region with a one-line error and prints no code; a real one reads back.
fn regions(run: &Run, values: &[String], tally: &mut Tally) {
    let creds = run.work.join("plain.json");
    let json = r#"{"Version":1,"AccessKeyId":"AKIAPLAIN","SecretAccessKey":"plain"}"#;
    fs::write(&creds, json).unwrap();
    let mut config = String::new();
    let mut regions: Vec<String> = vec!["eu-west-1".into(), "us-gov-west-1".into()];
    // An empty `region =` means no region: blank values get a letter.
    let lines = values.iter().map(|v| v.replace(['\n', '\r'], ""));
    regions.extend(lines.map(|v| if v.trim().is_empty() { v + "x" } else { v }));
    for (i, region) in regions.iter().enumerate() {
        let _ = writeln!(
            config,
            "[profile r{i}]\nregion = {region}\ncredential_process = cat {}",
            creds.display()
        );
    }
    run.t.write_config(&config);
    let mut cases = Vec::new();
    for (i, region) in regions.iter().enumerate() {
        tally.values += 1;
        let name = format!("r{i}");
        let out = run.vault().args(["export", "--format", "export-env", &name]).output().unwrap();
        if out.status.success() {
            let file = run.work.join(format!("region-{i}.out"));
            fs::write(&file, &out.stdout).unwrap();
            cases.push((file, vec!["AWS_REGION"], vec![region.trim().to_owned()]));
        } else {
            let said = stderr(&out);
            let one_line = said.lines().count() == 1 && said.starts_with("vault: ");
            if !one_line || !out.stdout.is_empty() || said.trim_end().contains('\u{1b}') {
                tally.mismatches.push(format!("region {region:?}: {said:?}"));
            }
            tally.refused += 1;
        }
    }
    assert!(cases.len() >= 2, "the real regions were refused");
    for shell in ["bash", "zsh"] {
        run.read_back(shell, "regions", &cases, tally);
    }
}

/// Bytes that are not UTF-8: shells hold them (bash and zsh any byte but
/// NUL; fish 3 maps each to a private-use character and back), vault cannot
/// read them back to restore them, so it leaves such a variable alone: the
/// shell still has the same bytes after `vault use`.
fn non_utf8_left_alone(run: &Run, tally: &mut Tally) {
    use std::os::unix::ffi::OsStrExt as _;
    let creds = run.work.join("plain.json");
    let profile = "[profile bytes]\ncredential_process = cat ";
    run.t.write_config(&format!("{profile}{}\n", creds.display()));
    let canary = run.canary.as_os_str().as_bytes();
    let raw = [b"\xff\xfe'$(touch ", canary, b"/bytes)\x80\xc3"].concat();
    let value = std::ffi::OsStr::from_bytes(&raw);
    for shell in SHELLS.iter().chain(&["pwsh"]) {
        tally.values += 1;
        let mut cmd = run.vault();
        cmd.args(["use", "bytes"]).env("__VAULT_SHELL", shell).env("AWS_ACCESS_KEY_ID", value);
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "use in {shell}: {}", stderr(&out));
        let code = String::from_utf8(out.stdout).unwrap();
        if code.contains("AWS_ACCESS_KEY_ID") {
            tally.mismatches.push(format!("{shell}: a non-UTF-8 variable was changed: {code:?}"));
        }
        if *shell == "pwsh" {
            continue;
        }
        let file = run.work.join(format!("bytes.{shell}.out"));
        fs::write(&file, code).unwrap();
        let script = Run::eval_and_print(shell, &file, &["AWS_ACCESS_KEY_ID", "VAULT_PROFILE"]);
        fs::write(run.work.join("bytes-script"), script).unwrap();
        let flags: &[&str] = if *shell == "fish" { &["--no-config", "--private"] } else { &[] };
        let read = Command::new(shell)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("AWS_ACCESS_KEY_ID", value)
            .current_dir(&run.work)
            .args(flags)
            .arg("bytes-script")
            .output()
            .unwrap();
        assert!(read.status.success(), "{shell}: {}", stderr(&read));
        tally.reads += 1;
        if !read.stdout.starts_with(&[&raw[..], b"\0bytes\0"].concat()) {
            tally.mismatches.push(format!("{shell}: bytes came back as {:?}", read.stdout));
        }
    }
}

/// Part 4: paths. `vault hook SHELL` writes the path of the binary itself
/// into the hook script: copies of vault (hard links) in folders named by
/// random values print hooks that must call exactly that binary. The shells
/// run in the canary folder, so a relative payload that runs lands there.
fn binary_paths(run: &Run, values: &[String], tally: &mut Tally) {
    let quotes = spec_quotes();
    let base =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("inject-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    fs::create_dir_all(&base).unwrap();
    let names = values.iter().map(|v| {
        let name: String = v.chars().filter(|c| *c != '/').take(60).collect();
        if name.is_empty() || name == "." || name == ".." { format!("{name}x") } else { name }
    });
    let relative = ["$(touch dollar)", "`touch backtick`", "'; touch quote; '", "(touch fish)"];
    let names = names.chain(relative.iter().map(|p| p.to_string()));
    for (i, name) in names.enumerate() {
        tally.values += 1;
        let dir = base.join(format!("{i}")).join(&name);
        fs::create_dir_all(&dir).unwrap();
        let exe = dir.join("vault");
        // The binary itself: the recording wrapper would run it from its own path.
        fs::hard_link(common::record::real_vault(), &exe).unwrap();
        for shell in SHELLS.iter().chain(&["pwsh"]) {
            let mut cmd = Command::new(&exe);
            cmd.env_clear().env("HOME", &run.t.home).args(["hook", shell]).current_dir(&run.work);
            let hook = cmd.output().unwrap();
            assert!(hook.status.success(), "vault hook {shell} in {dir:?}: {}", stderr(&hook));
            let file = run.work.join(format!("hook-{i}.{shell}"));
            fs::write(&file, &hook.stdout).unwrap();
            if *shell == "pwsh" {
                // Parsed, and the path is there as one verbatim string.
                tally.model_reads += 1;
                let quoted = pwsh_literal(exe.to_str().unwrap(), &quotes);
                let parse = Command::new(common::python())
                    .arg(common::support_dir().join("ps_parse.py"))
                    .arg(&file)
                    .output()
                    .unwrap();
                let text = String::from_utf8_lossy(&hook.stdout);
                if !parse.status.success() || !text.contains(&quoted) {
                    tally.mismatches.push(format!("pwsh hook for {exe:?}: {}", stdout(&parse)));
                }
                continue;
            }
            tally.reads += 1;
            // The function's --help goes straight to the binary; PATH has no vault.
            let script = match *shell {
                "fish" => format!("source '{}'\nvault --help\n", file.display()),
                _ => format!("eval \"$(cat '{}')\"\nvault --help\n", file.display()),
            };
            let flags: &[&str] = match *shell {
                "bash" => &["--noprofile", "--norc"],
                "zsh" => &["--no-rcs"],
                _ => &["--no-config", "--private"],
            };
            let out = Command::new(shell)
                .env_clear()
                .env("PATH", "/usr/bin:/bin")
                .env("HOME", &run.t.home)
                .env("LANG", "C.UTF-8")
                .current_dir(&run.canary)
                .args(flags)
                .args(["-c", &script])
                .output()
                .unwrap();
            if !out.status.success() || !stdout(&out).contains("Usage:") {
                tally.mismatches.push(format!("{shell} hook for {exe:?}: {}", stderr(&out)));
            }
        }
    }
    fs::remove_dir_all(&base).unwrap();
}

/// A NUL cannot be in a shell variable: credentials holding one are refused
/// with one line naming the profile, and no code is printed.
fn nul_is_refused(run: &Run, tally: &mut Tally) {
    let creds = run.work.join("nul.json");
    let json = r#"{"Version":1,"AccessKeyId":"AKIANUL","SecretAccessKey":"a\u0000b; touch x"}"#;
    fs::write(&creds, json).unwrap();
    run.t.write_config(&format!("[profile nul]\ncredential_process = cat {}\n", creds.display()));
    for args in [&["export", "--format", "export-env", "nul"][..], &["use", "nul"]] {
        let out = run.vault().args(args).env("__VAULT_SHELL", "bash").output().unwrap();
        let said = stderr(&out);
        assert!(!out.status.success() && out.stdout.is_empty(), "{args:?}: {said}");
        assert!(said.contains("NUL") && said.lines().count() == 1, "{args:?}: {said}");
        tally.refused += 1;
    }
}

#[test]
fn random_values_through_the_binary_read_back_in_every_shell() {
    if !peers_present() {
        return;
    }
    let n: usize = std::env::var("VAULT_INJECT_VALUES").map_or(330, |v| v.parse().unwrap());
    let seed: u64 =
        std::env::var("VAULT_INJECT_SEED").map_or(0x9E37_79B9_7F4A_7C15, |v| v.parse().unwrap());
    let t = TempHome::new();
    let work = t.home.join("work");
    let canary = t.home.join("canary");
    fs::create_dir_all(&work).unwrap();
    fs::create_dir_all(&canary).unwrap();
    let run = Run { t, work, canary };
    let mut rng = Rng(seed);
    let payloads = payloads(&run.canary);
    // The canary works: the first payload, evaluated unquoted, runs.
    let out = run.shell("bash", "canary.bash", &format!("eval \"V={}\"\n", payloads[0]));
    assert!(out.status.success(), "{}", stderr(&out));
    fs::remove_file(run.canary.join("dollar-paren")).expect("the unquoted payload ran");
    let mut tally = Tally::default();

    // Most values go through the hook's restore path, the cheapest per value.
    let restore = values(n * 7 / 10, &mut rng, &payloads);
    restored_values(&run, &restore, &mut tally);
    let creds = values(n * 3 / 20 / 4 * 4, &mut rng, &payloads);
    profiles_and_credentials(&run, &creds, &mut tally);
    let stored = (n / 100).max(4) / 2 * 2;
    stored_credentials(&run, &values(stored, &mut rng, &payloads), &mut tally);
    let paths = (n / 200).max(4);
    binary_paths(&run, &values(paths, &mut rng, &payloads), &mut tally);
    // Two real regions in `regions`, four bytes values at the end.
    let rest = n.saturating_sub(tally.values + 2 + 4);
    regions(&run, &values(rest, &mut rng, &payloads), &mut tally);
    nul_is_refused(&run, &mut tally);
    non_utf8_left_alone(&run, &mut tally);

    let ran: Vec<String> = fs::read_dir(&run.canary)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    println!(
        "injection: {} values, seed {seed}; {} values read back by bash, zsh and fish (run); {} \
         pwsh values checked against the model of PowerShell's quoting (tree-sitter parse, not \
         run); mismatches {}; commands run {}; refused with a one-line error {}",
        tally.values,
        tally.reads,
        tally.model_reads,
        tally.mismatches.len(),
        ran.len(),
        tally.refused
    );
    if !ran.is_empty() || !tally.mismatches.is_empty() {
        // Kept for a look at vault's outputs and the shell scripts.
        eprintln!("injection: the files are kept in {}", run.t.home.display());
        std::mem::forget(run);
    }
    assert!(ran.is_empty(), "payloads ran: {ran:?}");
    assert!(
        tally.mismatches.is_empty(),
        "{} mismatches, the first: {:#?}",
        tally.mismatches.len(),
        &tally.mismatches[..tally.mismatches.len().min(8)]
    );
}

/// PowerShell's five single-quote characters, as its language specification
/// lists them (section 2.3.5.2; the table in tests/support/ps_spec.py, which
/// the model shares, not src/escape.rs's list), in the user's own values
/// that `vault hook-env pwsh` gives back: each assignment holds every one of
/// them doubled, the tree-sitter grammar parses it as one assignment, and the
/// model reads the value back whole. pwsh itself is not run (not packaged).
#[test]
fn every_single_quote_of_the_powershell_spec_is_doubled() {
    if !peers_present() {
        return;
    }
    let quotes = spec_quotes();
    assert_eq!(quotes.len(), 5, "the specification lists five: {quotes:?}");
    let t = TempHome::new();
    let work = t.home.join("work");
    let canary = t.home.join("canary");
    fs::create_dir_all(&work).unwrap();
    fs::create_dir_all(&canary).unwrap();
    let run = Run { t, work, canary };
    let mut values = Vec::new();
    for q in &quotes {
        values.push(format!("a{q}b"));
        values.push(format!("{q}"));
        values.push(format!("{q}{q}{q}"));
        values.push(format!("{q}; New-Item {}/spec-quote; {q}", run.canary.display()));
    }
    let mut cases = Vec::new();
    let mut missing = Vec::new();
    for (b, batch) in values.chunks(MANAGED.len()).enumerate() {
        let out = run
            .vault()
            .args(["hook-env", "pwsh"])
            .env("__VAULT_STATE", restoring_state(batch))
            .output()
            .unwrap();
        let said = stderr(&out);
        assert!(out.status.success() && said == "vault: left inject\n", "hook-env: {said}");
        let code = stdout(&out);
        for (var, value) in MANAGED.iter().zip(batch) {
            let line = format!("$Env:{var} = {}\n", pwsh_literal(value, &quotes));
            if !code.contains(&line) {
                missing.push(format!("{value:?}: no {line:?} in the code"));
            }
        }
        let file = run.work.join(format!("spec-quotes-{b}.pwsh.out"));
        fs::write(&file, &out.stdout).unwrap();
        cases.push((file, MANAGED[..batch.len()].to_vec(), batch.to_vec()));
    }
    assert!(missing.is_empty(), "quotes not doubled:\n{}", missing.join("\n"));
    let mut tally = Tally::default();
    run.check_pwsh("spec-quotes", &cases, &mut tally);
    assert_eq!(tally.model_reads, values.len());
    assert!(tally.mismatches.is_empty(), "{:#?}", tally.mismatches);
}

/// PowerShell's single-quote characters, from its language specification
/// (the table in tests/support/ps_spec.py).
fn spec_quotes() -> Vec<char> {
    let out = Command::new(common::python())
        .arg(common::support_dir().join("ps_values.py"))
        .arg("--quotes")
        .output()
        .unwrap();
    assert!(out.status.success(), "ps_values.py --quotes: {}", stderr(&out));
    let quotes: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    quotes.iter().map(|q| q.chars().next().unwrap()).collect()
}

/// `value` as a PowerShell verbatim string: every quote character doubled.
fn pwsh_literal(value: &str, quotes: &[char]) -> String {
    let doubled: String = value
        .chars()
        .flat_map(|c| std::iter::repeat_n(c, 1 + usize::from(quotes.contains(&c))))
        .collect();
    format!("'{doubled}'")
}
