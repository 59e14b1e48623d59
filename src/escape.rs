//! Quoting values for each shell, so that any string we emit as shell code
//! reads back byte for byte. Each rule is tested in its real shell by
//! tests/hooks.rs; the unit tests here pin the exact text.

/// bash and zsh: POSIX single quotes (`'` becomes `'\''`), left bare when
/// the value is made only of characters no shell treats specially. The one
/// POSIX quoting of the crate: `export --format export-env` and the commands
/// error messages suggest use it too.
pub fn posix(value: &str) -> String {
    let quoted = shell_escape::unix::escape(value.into()).into_owned();
    // zsh replaces a word that starts with `=` by a command's path (`=ls` is
    // /usr/bin/ls), after `export X=` too, and an unknown command aborts the
    // whole `eval`: such a value is quoted even though `=` alone is safe.
    if value.starts_with('=') && quoted == value {
        return format!("'{value}'");
    }
    quoted
}

/// fish: inside single quotes only `\` and `'` are special, and both are
/// escaped with a backslash; everything else, newlines included, is literal.
/// POSIX's `'\''` would be wrong here: fish reads `\'` inside quotes itself.
pub fn fish(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// PowerShell: a single-quoted (verbatim) string, where the only escape is
/// doubling the quote. PowerShell also takes the typographic quotes
/// U+2018..U+201B as single quotes, so those are doubled too; otherwise a
/// value holding one could end the string early.
pub fn pwsh(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Text for the terminal, not for a shell: control characters (C0, DEL,
/// C1) become visible escapes such as `\u{1b}`, so a path or a file's
/// contents printed in a message cannot move the cursor, retitle the window
/// or hide text. Everything else, non-ASCII included, is left as it is.
pub fn terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_shows_control_characters_as_escapes() {
        assert_eq!(terminal("/home/me/src"), "/home/me/src");
        assert_eq!(terminal("a\u{1b}]0;owned\u{7}b"), "a\\u{1b}]0;owned\\u{7}b");
        assert_eq!(terminal("x\ny\u{9b}z ü"), "x\\ny\\u{9b}z ü");
    }

    #[test]
    fn posix_quotes_only_when_needed() {
        assert_eq!(posix("eu-west-1"), "eu-west-1");
        assert_eq!(posix("it's"), "'it'\\''s'");
        assert_eq!(posix("a b"), "'a b'");
        assert_eq!(posix("$HOME `x` \"q\" \\"), "'$HOME `x` \"q\" \\'");
        assert_eq!(posix("line\nbreak"), "'line\nbreak'");
        assert_eq!(posix("ü"), "'ü'");
        assert_eq!(posix(""), "''");
        assert_eq!(posix("=ls"), "'=ls'");
        assert_eq!(posix("a=b=="), "a=b==");
    }

    #[test]
    fn fish_escapes_backslash_and_quote_only() {
        assert_eq!(fish("plain"), "'plain'");
        assert_eq!(fish("it's"), "'it\\'s'");
        assert_eq!(fish("a\\b"), "'a\\\\b'");
        assert_eq!(fish("$HOME `x` \"q\""), "'$HOME `x` \"q\"'");
        assert_eq!(fish("line\nbreak ü"), "'line\nbreak ü'");
    }

    #[test]
    fn pwsh_doubles_every_kind_of_single_quote() {
        assert_eq!(pwsh("plain"), "'plain'");
        assert_eq!(pwsh("it's"), "'it''s'");
        assert_eq!(pwsh("\u{2018}x\u{2019}"), "'\u{2018}\u{2018}x\u{2019}\u{2019}'");
        assert_eq!(pwsh("$env:HOME `n \"q\" \\"), "'$env:HOME `n \"q\" \\'");
        assert_eq!(pwsh("line\nbreak ü"), "'line\nbreak ü'");
    }
}
