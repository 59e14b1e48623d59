//! Shell integration: the one type naming a shell, and the text for each
//! (hook scripts, completion glue, code that sets, unsets and remembers
//! variables). All pure string work but `engine.rs`, which reads the system
//! and decides what a shell should have, and `export.rs`, which fetches a
//! profile's credentials (or the agent's token for them) for it.

pub mod engine;
mod export;
mod leave;
mod state;

pub use leave::{LEAVE_VAR, Leave};
pub use state::{Change, MANAGED_VARS, State, apply};

use crate::escape;

/// The variables of container credentials: what keyless shells export, and
/// what would make an SDK look elsewhere (the relative URI and the token
/// file win over the full URI and the token).
pub const CONTAINER_VARS: [&str; 4] = [
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// The environment as it was before the hook set anything, for a command
/// run through the hook's shell function (which passes the state along):
/// `vault exec other` in a hooked folder must read the user's AWS_REGION,
/// not the one the hook exported for this folder's profile. The changes to
/// make to `env`; none outside a hooked shell, or where a variable was
/// changed by hand since (then it is the user's).
pub fn own_values(env: &crate::env::Env) -> std::collections::BTreeMap<String, Option<String>> {
    let Some(text) = env.raw("__VAULT_STATE") else { return Default::default() };
    let (state, _) = State::decode(text);
    state.own_values(&|k| env.raw(k).map(str::to_owned))
}

/// The variable (non-exported) that holds the hook's [`State`].
pub const STATE_VAR: &str = "__vault_state";
/// The variable holding the unix time of the next refresh, read by the hook.
pub const DEADLINE_VAR: &str = "__vault_deadline";

/// What the hook's shell code compares when the directory changed, to tell
/// without starting a process that a run of `vault hook-env` would change
/// nothing (`__vault_unchanged` in `shell/vault.*`): each run leaves these
/// in the shell's own, non-exported variables, and the shell runs vault
/// again when one differs. Its credentials' deadline it checks apart.
pub struct Unchanged<'a> {
    pub file: Seen<'a>,
    /// The trust records' token ([`crate::trust::TrustStore::generation`]),
    /// and the file holding it, which the shell reads with a builtin.
    pub trust: &'a str,
    pub trust_file: &'a str,
    /// `AWS_VAULT` (a `vault exec` shell, where the hook stands down) and
    /// `VAULT_HOOK_MODE`, as this run saw them ("" when unset).
    pub exec: &'a str,
    pub mode: &'a str,
}

/// The nearest `.awsprofile`, as a shell compares it.
pub enum Seen<'a> {
    /// None in this directory or its parents (as far as the hook looks).
    Nothing,
    /// `vault use` pinned a profile: the directory does not matter.
    Pinned,
    /// This file, found first from here, with these contents.
    File { path: &'a str, text: &'a str },
    /// One a shell cannot compare (unreadable, too large, not text, a
    /// path that is not UTF-8): vault runs at every directory change.
    Unknown,
}

/// The variables of [`Unchanged`], in its order.
pub const UNCHANGED_VARS: [&str; 6] = [
    "__vault_file",
    "__vault_text",
    "__vault_trust",
    "__vault_trust_file",
    "__vault_exec",
    "__vault_hook_mode",
];

/// How the hook hands a shell its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum HookMode {
    /// Export the short-lived keys (AWS_ACCESS_KEY_ID, ...): the default
    #[default]
    Keys,
    /// Export where the agent serves them (AWS_CONTAINER_CREDENTIALS_FULL_URI) and this shell's token, no keys
    Server,
}

/// Programs on a keyless shell's PATH that do not read the container
/// variables it exports, and why; AWS SDKs, the aws CLI and what is built on
/// them (Terraform, boto3, ...) do.
pub const KEYS_ONLY_TOOLS: [(&str, &str); 3] = [
    ("curl", "--aws-sigv4 signs with the keys given in --user"),
    ("docker", "a container's 127.0.0.1 is its own, not the agent's"),
    ("podman", "a container's 127.0.0.1 is its own, not the agent's"),
];

/// The setting choosing the hook mode when `vault hook --mode` did not.
pub const MODE_VAR: &str = "VAULT_HOOK_MODE";
/// What `vault hook --mode` writes into the script, passed to each run.
const SCRIPT_MODE_VAR: &str = "__VAULT_MODE";

impl HookMode {
    pub fn name(self) -> &'static str {
        match self {
            HookMode::Keys => "keys",
            HookMode::Server => "server",
        }
    }

    /// `vault hook --mode`, else `VAULT_HOOK_MODE`, else keys.
    pub fn from_env(env: &crate::env::Env) -> anyhow::Result<Self> {
        use clap::ValueEnum as _;
        for var in [SCRIPT_MODE_VAR, MODE_VAR] {
            if let Some(value) = env.get(var) {
                return HookMode::from_str(value, true).map_err(|_| {
                    anyhow::anyhow!(
                        "{MODE_VAR}={value:?} is not a hook mode; use keys (the default) or server"
                    )
                });
            }
        }
        Ok(HookMode::Keys)
    }
}

/// A shell we integrate with, as named on the command line (`vault hook
/// bash`) and by the hook in `__VAULT_SHELL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "powershell")]
    Pwsh,
}

impl Shell {
    /// The name the hook passes in `__VAULT_SHELL`, which is also the
    /// shell's command name.
    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Pwsh => "pwsh",
        }
    }

    pub fn from_name(name: &str) -> Option<Shell> {
        use clap::ValueEnum as _;
        Shell::value_variants().iter().copied().find(|s| s.name() == name)
    }

    pub fn quote(self, value: &str) -> String {
        match self {
            Shell::Bash | Shell::Zsh => escape::posix(value),
            Shell::Fish => escape::fish(value),
            Shell::Pwsh => escape::pwsh(value),
        }
    }

    /// Code that exports `key` (always one of our fixed, plain names).
    pub fn export(self, key: &str, value: &str) -> String {
        let v = self.quote(value);
        match self {
            Shell::Bash | Shell::Zsh => format!("export {key}={v}\n"),
            Shell::Fish => format!("set -gx {key} {v}\n"),
            Shell::Pwsh => format!("$Env:{key} = {v}\n"),
        }
    }

    pub fn unset(self, key: &str) -> String {
        match self {
            Shell::Bash | Shell::Zsh => format!("unset {key}\n"),
            Shell::Fish => format!("set -e {key}\n"),
            Shell::Pwsh => {
                format!("Remove-Item -LiteralPath Env:{key} -ErrorAction SilentlyContinue\n")
            }
        }
    }

    /// Code that sets a shell variable that is NOT passed to child processes.
    pub fn local(self, key: &str, value: &str) -> String {
        let v = self.quote(value);
        match self {
            Shell::Bash | Shell::Zsh => format!("{key}={v}\n"),
            Shell::Fish => format!("set -g {key} {v}\n"),
            Shell::Pwsh => format!("$global:{key} = {v}\n"),
        }
    }

    /// Code that leaves [`Unchanged`] in the shell's [`UNCHANGED_VARS`].
    /// A file path is absolute, so it is never read as `pinned` or `?`.
    pub fn unchanged(self, seen: &Unchanged) -> String {
        let (file, text) = match seen.file {
            Seen::Nothing => ("", ""),
            Seen::Pinned => ("pinned", ""),
            Seen::File { path, text } => (path, text),
            Seen::Unknown => ("?", ""),
        };
        let values = [file, text, seen.trust, seen.trust_file, seen.exec, seen.mode];
        UNCHANGED_VARS.iter().zip(values).map(|(key, value)| self.local(key, value)).collect()
    }

    pub fn apply(self, changes: &[Change]) -> String {
        changes
            .iter()
            .map(|c| match c {
                Change::Set(k, v) => self.export(k, v),
                Change::Unset(k) => self.unset(k),
            })
            .collect()
    }

    /// The hook script: defines the `cmd` function and registers the prompt
    /// hook, calling the binary at `exe`, and tab completion for `cmd` and
    /// for `binary`, the name the binary is run by, when given.
    /// `mode` is written into the script when given; otherwise each run
    /// reads `VAULT_HOOK_MODE`. `value_flags` are the global flags that take
    /// a value in the next word (`--prompt zenity`), which the function
    /// skips to find the subcommand: plain `--name`s.
    pub fn hook_script(
        self,
        exe: &str,
        cmd: &str,
        binary: Option<&str>,
        mode: Option<HookMode>,
        value_flags: &[&str],
    ) -> String {
        let template = match self {
            Shell::Bash => include_str!("../../shell/vault.bash"),
            Shell::Zsh => include_str!("../../shell/vault.zsh"),
            Shell::Fish => include_str!("../../shell/vault.fish"),
            Shell::Pwsh => include_str!("../../shell/vault.ps1"),
        };
        let mode = self.quote(mode.map_or("", HookMode::name));
        let hook = template
            .replace("__VAULT_EXE__", &self.quote(exe))
            .replace("__VAULT_CMD__", cmd)
            .replace("__VAULT_MODE__", &mode)
            .replace("__VAULT_VALUE_FLAGS__", &self.flag_list(value_flags));
        let mut names = vec![cmd];
        names.extend(binary.filter(|b| *b != cmd));
        format!("{hook}\n{}", self.completion(&self.quote(exe), &names, false))
    }

    /// `flags` as the hook script's function matches them: a `case`
    /// pattern, `contains` words or an array's items.
    fn flag_list(self, flags: &[&str]) -> String {
        debug_assert!(flags.iter().all(|f| {
            f.starts_with("--") && f[2..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        }));
        // A pattern no word matches keeps the script valid when there are none.
        let flags = if flags.is_empty() { &["--"][..] } else { flags };
        match self {
            Shell::Bash | Shell::Zsh => flags.join(" | "),
            Shell::Fish => flags.join(" "),
            Shell::Pwsh => flags.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", "),
        }
    }

    /// The completion script of `vault completions`: it runs the `vault`
    /// found on PATH at each TAB, so the file does not depend on where the
    /// binary is installed.
    pub fn completion_script(self) -> String {
        self.completion("vault", &["vault"], true)
    }

    /// The completion glue calling `exe` (already quoted), registered for
    /// `names` (command names: letters, digits, `_`, `-`, `.`). `file` is the
    /// form for a completion directory, else the hook's.
    fn completion(self, exe: &str, names: &[&str], file: bool) -> String {
        // The file's function has a name of its own. A completion folder's
        // file is loaded lazily (bash-completion at the first TAB on `vault`,
        // zsh's `_vault`, fish's autoloader), so it can come after the hook;
        // under the hook's name it would replace the hook's function, and the
        // hook's `--cmd` would then run whatever `vault` PATH finds. Apart,
        // each name keeps the registration made last: the hook's wherever it
        // registers (tests/completions.rs, system files beside the hook).
        let func = if file { "__vault_complete_file" } else { "__vault_complete" };
        let glue = match self {
            Shell::Bash => include_str!("../../shell/complete.bash"),
            Shell::Zsh => include_str!("../../shell/complete.zsh"),
            Shell::Fish => include_str!("../../shell/complete.fish"),
            Shell::Pwsh => include_str!("../../shell/complete.ps1"),
        }
        .replace("__VAULT_EXE__", exe);
        let glue = match self {
            Shell::Pwsh => glue,
            _ => glue.replace("__vault_complete", func),
        };
        let words = names.join(" ");
        match (self, file) {
            (Shell::Bash, _) => format!("{glue}complete -F {func} {words}\n"),
            // As a file on $fpath, zsh runs it as the function `_vault` at the
            // first TAB; sourced, it registers itself.
            (Shell::Zsh, true) => format!(
                "#compdef {words}\n{glue}if [[ ${{funcstack[1]-}} == _vault ]]; then\n    {func} \"$@\"\nelse\n    compdef {func} {words}\nfi\n"
            ),
            (Shell::Zsh, false) => {
                format!(
                    "{glue}{}",
                    include_str!("../../shell/compdef.zsh")
                        .replace("__VAULT_NAMES__", &words)
                        .replace("__VAULT_EXE__", exe)
                )
            }
            (Shell::Fish, _) => {
                let mut script = glue;
                for name in names {
                    let name = self.quote(name);
                    script.push_str(&format!("complete -c {name} -f -a '({func})'\n"));
                }
                script
            }
            (Shell::Pwsh, _) => {
                let list: Vec<String> = names.iter().map(|n| self.quote(n)).collect();
                format!(
                    "{glue}Register-ArgumentCompleter -Native -CommandName {} -ScriptBlock $global:__vault_completer\n",
                    list.join(", ")
                )
            }
        }
    }
}

/// Whether `name` can be a shell function name in all four shells.
pub fn valid_function_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists that spell the container variables out again keep all four:
    /// the hook manages them and a child of `exec` never inherits them.
    #[test]
    fn every_list_of_variables_names_the_container_ones() {
        for var in CONTAINER_VARS {
            assert!(MANAGED_VARS.contains(&var), "{var} in MANAGED_VARS");
            assert!(crate::credential_vars::CLEARED.contains(&var), "{var} in CLEARED");
        }
    }

    /// What a shell compares at a `cd`, as plain (non-exported) variables;
    /// the markers are never absolute paths.
    #[test]
    fn what_a_shell_compares_at_a_cd() {
        let seen = |file| Unchanged {
            file,
            trust: "ab12",
            trust_file: "/d/vault/trust-changed",
            exec: "",
            mode: "server",
        };
        let text = "work\n# it's\n";
        let bash = Shell::Bash.unchanged(&seen(Seen::File { path: "/p q/.awsprofile", text }));
        assert_eq!(
            bash,
            "__vault_file='/p q/.awsprofile'\n__vault_text='work\n# it'\\''s\n'\n\
             __vault_trust=ab12\n__vault_trust_file=/d/vault/trust-changed\n__vault_exec=''\n\
             __vault_hook_mode=server\n"
        );
        let fish = Shell::Fish.unchanged(&seen(Seen::Pinned));
        assert!(
            fish.starts_with("set -g __vault_file 'pinned'\nset -g __vault_text ''\n"),
            "{fish}"
        );
        let pwsh = Shell::Pwsh.unchanged(&seen(Seen::Unknown));
        assert!(pwsh.starts_with("$global:__vault_file = '?'\n"), "{pwsh}");
        let zsh = Shell::Zsh.unchanged(&seen(Seen::Nothing));
        assert!(zsh.starts_with("__vault_file=''\n__vault_text=''\n"), "{zsh}");
    }

    #[test]
    fn set_and_unset_per_shell() {
        assert_eq!(Shell::Bash.export("AWS_REGION", "eu-west-1"), "export AWS_REGION=eu-west-1\n");
        assert_eq!(Shell::Zsh.unset("AWS_PROFILE"), "unset AWS_PROFILE\n");
        assert_eq!(Shell::Fish.export("AWS_REGION", "a'b"), "set -gx AWS_REGION 'a\\'b'\n");
        assert_eq!(Shell::Fish.local("__vault_state", "x"), "set -g __vault_state 'x'\n");
        assert_eq!(Shell::Pwsh.export("AWS_REGION", "a'b"), "$Env:AWS_REGION = 'a''b'\n");
        assert_eq!(
            Shell::Pwsh.unset("AWS_PROFILE"),
            "Remove-Item -LiteralPath Env:AWS_PROFILE -ErrorAction SilentlyContinue\n"
        );
        assert_eq!(Shell::Bash.local("__vault_state", "abc"), "__vault_state=abc\n");
    }

    #[test]
    fn hook_scripts_get_the_quoted_binary_and_name() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Pwsh] {
            let flags = ["--prompt", "--file-dir"];
            let script =
                shell.hook_script("/opt/my tools/vault", "av", Some("vault"), None, &flags);
            assert!(
                !script.contains("__VAULT_EXE__")
                    && !script.contains("__VAULT_CMD__")
                    && !script.contains("__VAULT_MODE__")
                    && !script.contains("__VAULT_VALUE_FLAGS__"),
                "{shell:?}"
            );
            assert!(script.contains(&shell.flag_list(&flags)), "{shell:?}");
            let server = shell.hook_script("/v", "vault", None, Some(HookMode::Server), &flags);
            assert!(server.contains("__VAULT_MODE") && server.contains("server"), "{shell:?}");
            assert!(script.contains(&shell.quote("/opt/my tools/vault")), "{shell:?}");
        }
    }

    /// 1,000+ random values, every character but NUL (control characters,
    /// quotes, backslashes, `$`, backticks, newlines, non-ASCII), exported
    /// by our code and read back by each real shell, must come back equal.
    #[test]
    fn random_values_round_trip_through_real_shells() {
        let values = random_values(1200);
        for (shell, args) in [
            (Shell::Bash, &["--noprofile", "--norc", "-c"][..]),
            (Shell::Zsh, &["--no-rcs", "-c"][..]),
            (Shell::Fish, &["--no-config", "--private", "-c"][..]),
        ] {
            let program = shell.name();
            if std::process::Command::new(program).arg("-c").arg("true").output().is_err() {
                eprintln!("skipping {program}: not installed (bash tests/run.sh installs it)");
                continue;
            }
            let mut script = String::new();
            for (i, v) in values.iter().enumerate() {
                script.push_str(&shell.export(&format!("V{i}"), v));
            }
            let print = match shell {
                Shell::Fish => "for i in (seq 0 1199); set -l n V$i; printf '%s\\0' $$n; end",
                _ => {
                    "for i in $(seq 0 1199); do n=V$i; eval \"printf '%s\\0' \\\"\\$$n\\\"\"; done"
                }
            };
            script.push_str(print);
            let out = std::process::Command::new(program)
                .args(args)
                .arg(&script)
                .env("LANG", "C.UTF-8")
                .output()
                .unwrap();
            assert!(out.status.success(), "{program}: {}", String::from_utf8_lossy(&out.stderr));
            let got: Vec<&[u8]> = out.stdout.split(|b| *b == 0).collect();
            assert_eq!(got.len(), values.len() + 1, "{program}: wrong count");
            for (i, v) in values.iter().enumerate() {
                assert_eq!(got[i], v.as_bytes(), "{program}: value {i} {v:?}");
            }
        }
    }

    /// Deterministic pseudo-random strings (xorshift), so a failure repeats.
    fn random_values(n: usize) -> Vec<String> {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let specials = [
            '\'',
            '"',
            '\\',
            '$',
            '`',
            '\n',
            ' ',
            '\t',
            '\r',
            '!',
            '*',
            '?',
            '~',
            '#',
            ';',
            '&',
            '|',
            '(',
            ')',
            '{',
            '}',
            '[',
            ']',
            '<',
            '>',
            '%',
            '\u{2018}',
            '\u{2019}',
            'ü',
            '日',
            '\u{1F600}',
            '\u{7f}',
            '\u{1b}',
            '\u{1}',
        ];
        (0..n)
            .map(|_| {
                let len = (next() % 24) as usize;
                (0..len)
                    .map(|_| match next() % 3 {
                        0 => specials[(next() % specials.len() as u64) as usize],
                        // Any char but NUL, across all of Unicode.
                        _ => loop {
                            let c = (next() % 0x11_0000) as u32;
                            let c = if next() % 2 == 0 { c % 0x80 } else { c };
                            if let Some(ch) = char::from_u32(c).filter(|ch| *ch != '\0') {
                                break ch;
                            }
                        },
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_mode_comes_from_the_script_then_the_setting_then_keys() {
        let env = |pairs: &[(&str, &str)]| crate::env::Env::from_pairs(pairs.iter().copied());
        assert_eq!(HookMode::from_env(&env(&[])).unwrap(), HookMode::Keys);
        assert_eq!(HookMode::from_env(&env(&[(MODE_VAR, "server")])).unwrap(), HookMode::Server);
        assert_eq!(HookMode::from_env(&env(&[(MODE_VAR, "Server")])).unwrap(), HookMode::Server);
        let both = env(&[(SCRIPT_MODE_VAR, "keys"), (MODE_VAR, "server")]);
        assert_eq!(HookMode::from_env(&both).unwrap(), HookMode::Keys, "--mode wins");
        let unset_flag = env(&[(SCRIPT_MODE_VAR, ""), (MODE_VAR, "server")]);
        assert_eq!(HookMode::from_env(&unset_flag).unwrap(), HookMode::Server);
        let bad = HookMode::from_env(&env(&[(MODE_VAR, "keyless")])).unwrap_err().to_string();
        assert!(bad.contains("VAULT_HOOK_MODE=\"keyless\"") && bad.contains("keys"), "{bad}");
    }

    #[test]
    fn names_are_the_command_line_names() {
        use clap::ValueEnum as _;
        for shell in Shell::value_variants() {
            assert_eq!(shell.to_possible_value().unwrap().get_name(), shell.name());
            assert_eq!(Shell::from_name(shell.name()), Some(*shell));
        }
        assert_eq!(Shell::from_name("powershell"), None);
    }

    #[test]
    fn function_names() {
        assert!(
            valid_function_name("vault")
                && valid_function_name("av_2")
                && valid_function_name("aws-vault")
        );
        assert!(
            !valid_function_name("") && !valid_function_name("9v") && !valid_function_name("a b")
        );
        assert!(!valid_function_name("x;rm"));
    }
}
