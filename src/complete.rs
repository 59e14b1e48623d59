//! Tab completion: the words offered at a TAB, and how each shell hands the
//! command line over and takes the answers back. Commands, flags and fixed
//! values come from `cli/` (handed over by `cmd/complete.rs`) through
//! clap_complete's engine; profile names
//! come from the AWS config file and the store's key names, read without
//! unlocking anything and without calling AWS.
//!
//! Why a hidden `vault __complete` with glue of our own (`shell/complete.*`)
//! rather than clap_complete's `CompleteEnv` scripts, after trying both in
//! the real shells: its bash script hands over `COMP_WORDS`, which bash has
//! split at `:` `@` `=`, so `a:b` and `me@corp` did not complete (bash
//! offered host names for `me@`); its zsh script cannot sit in the hook,
//! whose zsh code is linted with bash rules; and the hook must register the
//! function name too. The engine itself (`unstable-dynamic`, pinned with `=`
//! in Cargo.toml because its API may change) does the parsing, so the glue
//! stays a few lines per shell.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::sync::Arc;

use clap::ValueHint;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::complete_cache::{self, Described};
use crate::config::ConfigFile;
use crate::context::Context;
use crate::store::CredentialKeyring;

/// One word to offer, with what the shell may show beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: Option<String>,
}

/// The words of `cmd` (the command-line tree, from `cli/`) offered for
/// `current`, the word at the cursor, after `words` (the command name
/// first), all already unquoted; profile names come from `ctx`'s config and
/// store. `sub` is the subcommand the line names, the only one whose
/// arguments can be at the cursor. Never fails: completion that cannot read
/// something offers less.
pub fn candidates(
    cmd: clap::Command,
    ctx: Context,
    words: &[String],
    current: &str,
    sub: Option<&str>,
) -> Vec<Candidate> {
    let mut args: Vec<OsString> = words.iter().map(OsString::from).collect();
    if args.is_empty() {
        args.push("vault".into());
    }
    let ctx = Arc::new(ctx);
    args.push(current.into());
    let index = args.len() - 1;
    let mut cmd = match sub {
        Some(sub) => prepare(cmd, sub, &ctx),
        None => cmd,
    };
    let cwd = std::env::current_dir().ok();
    let found =
        clap_complete::engine::complete(&mut cmd, args, index, cwd.as_deref()).unwrap_or_default();
    // Freeing the tree took a twentieth of a TAB; the process ends next.
    std::mem::forget(cmd);
    let mut out: Vec<Candidate> = found
        .iter()
        .filter(|c| !c.is_hide_set())
        .filter_map(|c| {
            let value = c.get_value().to_str()?.to_owned();
            // A shell reads one candidate per line, fields split by a tab.
            if value.is_empty() || value.contains(['\n', '\t']) {
                return None;
            }
            let help = c.get_help().map(|h| h.to_string()).and_then(|h| {
                let line = h.lines().next().unwrap_or_default().replace('\t', " ");
                (!line.trim().is_empty()).then_some(line)
            });
            Some(Candidate { value, help })
        })
        .collect();
    // The engine adds every flag to a word that does not start with `-`;
    // they would bury the profile names, so they are offered only when
    // nothing else is, or once the user types `-`.
    if !current.starts_with('-') && out.iter().any(|c| !c.value.starts_with('-')) {
        out.retain(|c| !c.value.starts_with('-'));
    }
    let mut seen = BTreeSet::new();
    out.retain(|c| seen.insert(c.value.clone()));
    out
}

/// Which names an argument takes: `add` stores keys for a profile of the
/// config; the others act on any profile, configured or stored.
#[derive(Clone, Copy)]
enum Names {
    Config,
    ConfigAndStored,
}

/// The command line with the arguments of `name` (a subcommand) set up:
/// profile arguments complete profile names, and path arguments complete
/// nothing, so that each shell completes file names its own way (`~`,
/// quoting, directories). Only the subcommand in use: each change moves a
/// whole command, and doing all of them cost a seventh of a TAB.
fn prepare(cmd: clap::Command, name: &str, ctx: &Arc<Context>) -> clap::Command {
    if cmd.find_subcommand(name).is_none() {
        return cmd;
    }
    cmd.mut_subcommand(name, |mut sub| {
        let names = if name == "add" { Names::Config } else { Names::ConfigAndStored };
        let ids: Vec<String> = sub.get_arguments().map(|a| a.get_id().to_string()).collect();
        for id in ids {
            let ctx = Arc::clone(ctx);
            sub = sub.mut_arg(&id, |arg| {
                if id == "profile" {
                    arg.add(ArgValueCandidates::new(move || profile_candidates(&ctx, names)))
                } else if matches!(
                    arg.get_value_hint(),
                    ValueHint::AnyPath | ValueHint::FilePath | ValueHint::DirPath
                ) {
                    arg.value_hint(ValueHint::Other)
                } else {
                    arg
                }
            });
        }
        sub
    })
}

/// Profile names in config order, then stored names no section has; called
/// by the engine only when the cursor is on a profile argument. The
/// config's part comes from the cache while the config is unchanged.
fn profile_candidates(ctx: &Context, names: Names) -> Vec<CompletionCandidate> {
    let config = complete_cache::profiles(&ctx.env, &ctx.config_path(), || {
        let cfg = ctx.config().map_err(|e| log::debug!("completion: {e:#}")).ok()?;
        Some(describe_all(&cfg))
    });
    let stored = match names {
        Names::ConfigAndStored => stored_names(ctx),
        Names::Config => BTreeSet::new(),
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for profile in config.unwrap_or_default() {
        let help = help(&profile, stored.contains(&profile.name));
        seen.insert(profile.name.clone());
        out.push(tagged(CompletionCandidate::new(profile.name).help(help.map(Into::into))));
    }
    for name in stored.into_iter().filter(|n| !seen.contains(n)) {
        out.push(tagged(CompletionCandidate::new(name).help(Some("stored keys".into()))));
    }
    out
}

/// A candidate tagged as a profile. The engine tags an untagged one with
/// its argument formatted afresh for each, a seventh of a TAB's
/// instructions with 500 profiles; no glue of ours reads tags.
fn tagged(candidate: CompletionCandidate) -> CompletionCandidate {
    candidate.tag(Some("profile".into()))
}

/// Names of stored credentials, from the key list alone.
fn stored_names(ctx: &Context) -> BTreeSet<String> {
    let store = match ctx.listing_store() {
        Ok(Some(store)) => store,
        Ok(None) => return BTreeSet::new(),
        Err(e) => {
            log::debug!("completion: {e:#}");
            return BTreeSet::new();
        }
    };
    match CredentialKeyring::new(store.as_ref()).names() {
        Ok(names) => names.into_iter().collect(),
        Err(e) => {
            log::debug!("completion: {e}");
            BTreeSet::new()
        }
    }
}

/// "role admin, eu-west-1": what tells two profiles apart at a glance; a
/// profile neither a role nor SSO says "stored keys" when its keys are.
fn help(profile: &Described, stored: bool) -> Option<String> {
    let kind = match profile.kind.as_str() {
        "" if stored => "stored keys",
        kind => kind,
    };
    let parts: Vec<&str> = [kind, &profile.region].into_iter().filter(|p| !p.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Every profile of the config in file order, with its kind (role or SSO)
/// and region, for [`help`].
fn describe_all(cfg: &ConfigFile) -> Vec<Described> {
    cfg.profile_names()
        .into_iter()
        .map(|name| {
            let kind = if let Some(arn) = cfg.get(&name, "role_arn") {
                format!("role {}", arn.rsplit('/').next().unwrap_or(arn))
            } else if let Some(role) = cfg.get(&name, "sso_role_name") {
                match cfg.get(&name, "sso_account_id") {
                    Some(account) => format!("sso {role} in {account}"),
                    None => format!("sso {role}"),
                }
            } else {
                String::new()
            };
            let region = cfg.get(&name, "region").unwrap_or_default().to_owned();
            Described { name, kind, region }
        })
        .collect()
}

/// A word of a command line, unquoted, and whether its text began with a
/// quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    pub quoted: bool,
}

/// Which quoting rules to undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// bash and zsh: `\` is literal inside '...'.
    Posix,
    /// fish: `\'` and `\\` are escapes inside '...' too.
    Fish,
}

/// Splits a command line into words the way the shell will, as far as
/// completion needs: blanks separate, quotes and backslashes are removed, and
/// a quote still open runs to the end (the user is typing inside it). The
/// last word is the one at the cursor, empty when the line ends in a blank.
pub fn split_words(line: &str, quoting: Quoting) -> Vec<Word> {
    let mut words = Vec::new();
    let mut word: Option<Word> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            if let Some(done) = word.take() {
                words.push(done);
            }
            continue;
        }
        let w = word
            .get_or_insert_with(|| Word { value: String::new(), quoted: c == '\'' || c == '"' });
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    // A backslash-newline joins lines.
                    if next != '\n' {
                        w.value.push(next);
                    }
                }
            }
            '\'' => {
                while let Some(q) = chars.next() {
                    match q {
                        '\'' => break,
                        '\\' if quoting == Quoting::Fish
                            && matches!(chars.peek(), Some('\'' | '\\')) =>
                        {
                            w.value.extend(chars.next());
                        }
                        _ => w.value.push(q),
                    }
                }
            }
            '"' => {
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            w.value.extend(chars.next());
                        }
                        _ => w.value.push(q),
                    }
                }
            }
            _ => w.value.push(c),
        }
    }
    words.push(word.unwrap_or(Word { value: String::new(), quoted: false }));
    words
}

/// One word unquoted (zsh and fish hand over words as typed).
pub fn unquote(raw: &str, quoting: Quoting) -> String {
    let words = split_words(raw, quoting);
    // A quoted blank keeps the word whole; an unquoted one cannot be in it.
    words.into_iter().map(|w| w.value).collect::<Vec<_>>().join(" ")
}

/// bash's replies for a line: bash replaces only `frag`, the part of the
/// word after its last COMP_WORDBREAKS character (`a:` then `b`), so each
/// candidate loses what comes before, and is escaped unless the word is in
/// quotes, since bash inserts replies as they are.
pub fn bash_replies(current: &Word, frag: &str, found: &[Candidate]) -> Vec<String> {
    let frag = unquote(frag, Quoting::Posix);
    let keep = current.value.strip_suffix(frag.as_str()).unwrap_or("");
    found
        .iter()
        .filter_map(|c| c.value.strip_prefix(keep))
        .map(|rest| if current.quoted { rest.to_owned() } else { bash_escape(rest) })
        .collect()
}

fn bash_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if " \t'\"\\$`!&;|<>()*?[]{}#~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// zsh's `_describe` items: `value:help`, with `:` and `\` in the value
/// escaped.
pub fn zsh_item(c: &Candidate) -> String {
    let value = c.value.replace('\\', "\\\\").replace(':', "\\:");
    match &c.help {
        Some(help) => format!("{value}:{help}"),
        None => value,
    }
}

/// fish and PowerShell: `value<TAB>help`.
pub fn tab_item(c: &Candidate) -> String {
    match &c.help {
        Some(help) => format!("{}\t{help}", c.value),
        None => c.value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.value.as_str()).collect()
    }

    #[test]
    fn lines_split_as_the_shell_runs_them() {
        let words = split_words("vault exec 'x y' a:b\\ c", Quoting::Posix);
        assert_eq!(values(&words), ["vault", "exec", "x y", "a:b c"]);
        assert!(words[2].quoted && !words[3].quoted);
        assert_eq!(values(&split_words("vault exec ", Quoting::Posix)), ["vault", "exec", ""]);
        assert_eq!(
            values(&split_words("vault exec \"te\\\"a", Quoting::Posix)),
            ["vault", "exec", "te\"a"]
        );
        assert_eq!(values(&split_words("'it\\'s'", Quoting::Fish)), ["it's"]);
        assert_eq!(values(&split_words("'a\\b'", Quoting::Posix)), ["a\\b"]);
        assert_eq!(values(&split_words("", Quoting::Posix)), [""]);
        assert_eq!(unquote("'my pro", Quoting::Posix), "my pro");
    }

    fn cands(values: &[&str]) -> Vec<Candidate> {
        values.iter().map(|v| Candidate { value: (*v).to_owned(), help: None }).collect()
    }

    #[test]
    fn bash_replies_replace_only_what_bash_replaces() {
        let word = |v: &str| Word { value: v.to_owned(), quoted: false };
        let found = cands(&["a:b", "a:b:c"]);
        // `vault exec a:` gives $2 = "" and `x:y:z` gives "z"; `me@` gives "@".
        assert_eq!(bash_replies(&word("a:"), "", &found), ["b", "b:c"]);
        assert_eq!(bash_replies(&word("a:b:"), "", &found[1..]), ["c"]);
        assert_eq!(bash_replies(&word("me@"), "@", &cands(&["me@corp"])), ["@corp"]);
        assert_eq!(bash_replies(&word("te"), "te", &cands(&["team.prod"])), ["team.prod"]);
        assert_eq!(bash_replies(&word("my p"), "my\\ p", &cands(&["my prod"])), ["my\\ prod"]);
        let quoted = Word { value: "my p".into(), quoted: true };
        assert_eq!(bash_replies(&quoted, "my p", &cands(&["my prod"])), ["my prod"]);
    }

    #[test]
    fn zsh_items_escape_colons() {
        let c = Candidate { value: "a:b".into(), help: Some("role x, eu-west-1".into()) };
        assert_eq!(zsh_item(&c), "a\\:b:role x, eu-west-1");
        assert_eq!(tab_item(&c), "a:b\trole x, eu-west-1");
    }

    /// Completion lists the file store through a passphrase source that
    /// refuses: reading an item fails instead of asking.
    #[test]
    fn the_listing_store_cannot_ask_for_the_passphrase() {
        use crate::context::Settings;
        use crate::creds::Secret;
        use crate::env::Env;
        use crate::prompt::PromptDriver;
        use crate::store::{
            Backend, FileStore, Item, PassphraseSource, Store, StoreError, StoreSettings,
        };

        struct Fixed;
        impl PassphraseSource for Fixed {
            fn passphrase(&self, _: &std::path::Path, _: bool) -> Result<Secret, StoreError> {
                Ok(Secret::new("passphrase".to_owned()))
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        FileStore::new(keys.clone(), Box::new(Fixed))
            .set(Item::new("work", b"{}".to_vec()))
            .unwrap();
        let settings = Settings {
            store: StoreSettings {
                backend: Backend::File,
                file_dir: Some(keys),
                secret_service_collection: "awsvault".to_owned(),
                pass_dir: None,
                pass_cmd: "pass".to_owned(),
                pass_prefix: String::new(),
            },
            prompt: Some(PromptDriver::Terminal),
        };
        let ctx = Context::new(Env::from_pairs([("HOME", dir.path().to_str().unwrap())]), settings);
        let store = ctx.listing_store().unwrap().unwrap();
        assert_eq!(store.keys().unwrap(), ["work"]);
        assert!(matches!(store.get("work"), Err(StoreError::Prompt(_))));
        assert_eq!(stored_names(&ctx).into_iter().collect::<Vec<_>>(), ["work"]);
    }

    #[test]
    fn descriptions_name_the_role_or_the_keys_and_the_region() {
        let cfg = ConfigFile::parse(
            "[profile work]\nregion = eu-west-1\n[profile admin]\nrole_arn = arn:aws:iam::1:role/ops/Admin\nsource_profile = work\n[profile sso]\nsso_role_name = Dev\nsso_account_id = 111122223333\nregion = us-east-1\n[profile bare]\noutput = json\n",
            std::path::Path::new("/c"),
        )
        .unwrap();
        let all = describe_all(&cfg);
        let describe =
            |name: &str, stored: bool| help(all.iter().find(|d| d.name == name).unwrap(), stored);
        assert_eq!(describe("work", true).as_deref(), Some("stored keys, eu-west-1"));
        assert_eq!(describe("work", false).as_deref(), Some("eu-west-1"));
        assert_eq!(describe("admin", false).as_deref(), Some("role Admin"));
        assert_eq!(describe("admin", true).as_deref(), Some("role Admin"));
        assert_eq!(describe("sso", false).as_deref(), Some("sso Dev in 111122223333, us-east-1"));
        assert_eq!(describe("bare", false), None);
    }
}
