//! The code a shell keeps for leaving a profile's folders without starting
//! vault: what the next run of `vault hook-env` would print there, made
//! ready by the run that entered, behind a guard that every variable vault
//! manages still holds what that run left in it. Pure text; the engine
//! decides when there is one.

use super::{Change, Shell};

/// The shell variable (not exported) that holds the code.
pub const LEAVE_VAR: &str = "__vault_leave";

/// What leaving means for one shell, as the engine worked it out.
pub struct Leave<'a> {
    /// Each variable vault manages, with the value the shell must still
    /// hold for the code to be right (None: unset).
    pub holds: &'a [(String, Option<String>)],
    /// The changes that give back what was there before.
    pub changes: &'a [Change],
    /// The shell's own variables afterwards (the state, the deadline, what
    /// it compares at the next `cd`), as code.
    pub locals: &'a str,
    /// The line said on leaving (`left work`), already safe for a terminal.
    pub notice: Option<&'a str>,
}

impl Shell {
    /// The code for [`LEAVE_VAR`]: it does what vault would, and succeeds,
    /// when the guard holds; otherwise it changes nothing and fails, and
    /// the hook runs vault. None for PowerShell, whose hook always runs it.
    pub fn leave(self, leave: &Leave) -> Option<String> {
        let quote = |v: &str| self.quote_always(v);
        let guard: Vec<String> = leave
            .holds
            .iter()
            .map(|(key, value)| match (self, value) {
                (Shell::Bash | Shell::Zsh, Some(v)) => {
                    format!("[[ -n ${{{key}+x}} && ${key} == {} ]]", quote(v))
                }
                (Shell::Bash | Shell::Zsh, None) => format!("[[ -z ${{{key}+x}} ]]"),
                // A prefix keeps `test` from reading a value as an operator.
                (Shell::Fish, Some(v)) => {
                    format!("set -q {key}; and test \"x${key}\" = {}", quote(&format!("x{v}")))
                }
                (Shell::Fish, None) => format!("not set -q {key}"),
                (Shell::Pwsh, _) => String::new(),
            })
            .collect();
        let said = |line: &str| format!("printf '%s\\n' {} >&2", quote(&format!("vault: {line}")));
        let body =
            format!("{}{}{}", self.apply(leave.changes), leave.locals, self.local(LEAVE_VAR, ""));
        Some(match self {
            Shell::Bash | Shell::Zsh => {
                let said = leave
                    .notice
                    .map(|n| format!("[[ ${{VAULT_HOOK_QUIET-}} == 1 ]] || {}\n", said(n)));
                let guard = if guard.is_empty() { "true".to_owned() } else { guard.join(" && ") };
                format!(
                    "if {guard}; then\n{body}{}true\nelse\nfalse\nfi\n",
                    said.unwrap_or_default()
                )
            }
            Shell::Fish => {
                let said = leave
                    .notice
                    .map(|n| format!("test \"$VAULT_HOOK_QUIET\" = 1; or {}\n", said(n)));
                let guard = if guard.is_empty() { "true".to_owned() } else { guard.join("; and ") };
                format!("if {guard}\n{body}{}true\nelse\nfalse\nend\n", said.unwrap_or_default())
            }
            Shell::Pwsh => return None,
        })
    }

    /// A quoted word, even where [`Shell::quote`] would leave it bare: in
    /// `[[ $x == word ]]` a bare word is a pattern.
    fn quote_always(self, value: &str) -> String {
        let quoted = self.quote(value);
        match quoted.chars().next() {
            Some('\'' | '$' | '"') => quoted,
            // `quote` leaves only words without a special character bare.
            _ => format!("'{quoted}'"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leave(shell: Shell) -> Option<String> {
        let holds =
            [("VAULT_PROFILE".to_owned(), Some("=x".to_owned())), ("AWS_PROFILE".to_owned(), None)];
        let changes = [Change::Unset("VAULT_PROFILE".to_owned())];
        shell.leave(&Leave {
            holds: &holds,
            changes: &changes,
            locals: "",
            notice: Some("left =x"),
        })
    }

    #[test]
    fn every_held_value_is_compared_quoted_never_as_a_pattern() {
        assert_eq!(Shell::Bash.quote_always("eu-west-1"), "'eu-west-1'");
        assert_eq!(Shell::Bash.quote_always("a*b"), "'a*b'");
        assert_eq!(Shell::Zsh.quote_always("=x"), "'=x'");
        let bash = leave(Shell::Bash).unwrap();
        assert!(bash.starts_with("if [[ -n ${VAULT_PROFILE+x} && $VAULT_PROFILE == '=x' ]] && [[ -z ${AWS_PROFILE+x} ]]; then\n"), "{bash}");
        assert!(bash.contains("unset VAULT_PROFILE\n__vault_leave=''\n"), "{bash}");
        assert!(bash.ends_with("else\nfalse\nfi\n"), "{bash}");
        let fish = leave(Shell::Fish).unwrap();
        assert!(fish.starts_with("if set -q VAULT_PROFILE; and test \"x$VAULT_PROFILE\" = 'x=x'; and not set -q AWS_PROFILE\n"), "{fish}");
    }

    #[test]
    fn powershell_always_runs_vault_to_leave() {
        assert_eq!(leave(Shell::Pwsh), None);
    }
}
