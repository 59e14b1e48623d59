//! `vault sso populate`'s plan: a profile name for each account and role a sign-in
//! reaches (a template made into a shell word, with stable suffixes on collisions), and
//! the config changes that write those profiles, mark them as generated, and leave every
//! hand-written profile alone. Pure: the config comes in parsed, the changes go out for
//! `config::update` to make.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use super::{Assignment, SsoSession, start_url_of};
use crate::config::{Change, ConfigFile, line_ending, render_section};

/// The key that marks a generated profile, with the start URL it was generated for;
/// other tools ignore keys they do not know.
pub const MARKER: &str = "vault_generated";

pub const DEFAULT_TEMPLATE: &str = "{account_name}.{role_name}";

/// A profile name template: text and `{account_name}`, `{account_id}`, `{role_name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(Vec<Part>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    AccountName,
    AccountId,
    RoleName,
}

impl Template {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("the template {text:?} has a `{{` without its `}}`"))?
                + open;
            parts.push(match &rest[open + 1..close] {
                "account_name" => Part::AccountName,
                "account_id" => Part::AccountId,
                "role_name" => Part::RoleName,
                other => {
                    return Err(format!(
                        "the template {text:?} names {{{other}}}; use {{account_name}}, \
                         {{account_id}} and {{role_name}}"
                    ));
                }
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        if !parts.iter().any(|p| matches!(p, Part::AccountName | Part::AccountId)) {
            return Err(format!(
                "the template {text:?} names no account, so every account's profiles would \
                 share names; add {{account_name}} or {{account_id}}"
            ));
        }
        Ok(Self(parts))
    }

    fn render(&self, a: &Assignment) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.as_str(),
                Part::AccountName => &a.account_name,
                Part::AccountId => &a.account_id,
                Part::RoleName => &a.role_name,
            })
            .collect()
    }
}

/// `raw` as a word any shell reads as it is, and `vault` completes without quoting:
/// ASCII letters, digits, `.`, `_` and `-`; a run of anything else becomes one `-`, and
/// the word neither starts nor ends with `-` or `.`.
pub fn shell_word(raw: &str) -> String {
    let mut word = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' };
        // `a (b).c` reads better as `a-b.c` than `a-b-.c`.
        if c == '-' && word.ends_with(['-', '.']) {
            continue;
        }
        if c == '.' && word.ends_with('-') {
            word.pop();
        }
        word.push(c);
    }
    word.trim_matches(['-', '.']).to_owned()
}

/// What the user asked for beside the listing.
pub struct Options<'a> {
    pub session: &'a SsoSession,
    pub template: &'a Template,
    pub prefix: &'a str,
    /// `region` of each profile; None writes none (and leaves one added by hand).
    pub region: Option<&'a str>,
    pub prune: bool,
}

/// What happens to one profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Add,
    Update,
    Remove,
    /// Generated, no longer listed, kept because --prune was not given.
    Stale,
    /// A profile without the marker already points there: nothing is written.
    HandWritten,
    Keep,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub action: Action,
    pub profile: String,
    pub account_id: String,
    pub role_name: String,
}

#[derive(Debug, Default)]
pub struct Plan {
    /// Sorted by action, then profile name.
    pub entries: Vec<Entry>,
    pub changes: Vec<Change>,
}

/// A generated section of this sign-in in the file.
struct Generated<'a> {
    name: &'a str,
    span: Range<usize>,
    pair: (String, String),
    settings: Vec<(&'static str, Option<&'a str>)>,
}

/// Every profile of `cfg` that signs in at `start_url` into an account and role, by
/// account id and role name, in file order: what `vault sso list` shows beside each.
pub fn profiles_pointing(
    cfg: &ConfigFile,
    start_url: &str,
) -> BTreeMap<(String, String), Vec<String>> {
    let mut found: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for name in cfg.profile_names() {
        if start_url_of(cfg, &name).as_deref() != Some(start_url) {
            continue;
        }
        if let (Some(id), Some(role)) =
            (cfg.get(&name, "sso_account_id"), cfg.get(&name, "sso_role_name"))
        {
            found.entry((id.to_owned(), role.to_owned())).or_default().push(name);
        }
    }
    found
}

/// The keys a generated profile owns, with the values this run writes for a pair.
fn settings<'a>(
    opts: &'a Options,
    account_id: &'a str,
    role_name: &'a str,
) -> Vec<(&'static str, Option<&'a str>)> {
    let s = opts.session;
    let legacy = s.name.is_none();
    let mut out = vec![
        ("sso_session", s.name.as_deref()),
        ("sso_start_url", legacy.then_some(s.start_url.as_str())),
        ("sso_region", legacy.then_some(s.region.as_str())),
        ("sso_account_id", Some(account_id)),
        ("sso_role_name", Some(role_name)),
    ];
    if opts.region.is_some() {
        out.push(("region", opts.region));
    }
    out.push((MARKER, Some(s.start_url.as_str())));
    out
}

/// The names a pair may take, best first; the suffixes depend on the pair alone, so a
/// name never moves when other accounts come or go.
fn candidates(opts: &Options, a: &Assignment) -> impl Iterator<Item = String> {
    let mut base = shell_word(&format!("{}{}", opts.prefix, opts.template.render(a)));
    if base.is_empty() {
        base = shell_word(&format!("{}{}.{}", opts.prefix, a.account_id, a.role_name));
    }
    let with_id = format!("{base}-{}", a.account_id);
    let with_role = format!("{with_id}-{:08x}", fnv1a(&a.role_name));
    let last = with_role.clone();
    let numbered = (2..).map(move |n| format!("{last}-{n}"));
    [base, with_id, with_role].into_iter().chain(numbered)
}

fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The plan that makes `cfg` (whose text is `text`) hold one generated profile per
/// assignment not already served by a hand-written profile.
pub fn plan(
    cfg: &ConfigFile,
    text: &str,
    listed: &[Assignment],
    opts: &Options,
) -> Result<Plan, String> {
    let url = opts.session.start_url.as_str();
    let owned: Vec<&str> = settings(opts, "", "").iter().map(|(k, _)| *k).collect();
    let generated: Vec<Generated> = cfg
        .profile_sections()
        .filter(|s| s.get(MARKER) == Some(url))
        .map(|s| Generated {
            name: s.name,
            span: s.span.clone(),
            pair: (
                s.get("sso_account_id").unwrap_or_default().to_owned(),
                s.get("sso_role_name").unwrap_or_default().to_owned(),
            ),
            settings: owned.iter().map(move |k| (*k, s.get(k))).collect(),
        })
        .collect();
    let ours: BTreeSet<&str> = generated.iter().map(|g| g.name).collect();
    // Every other profile keeps its name, and one pointing at a pair serves it.
    let others: BTreeSet<String> =
        cfg.profile_names().into_iter().filter(|n| !ours.contains(n.as_str())).collect();
    let mut hand_written: HashMap<(String, String), String> = HashMap::new();
    for (pair, names) in profiles_pointing(cfg, url) {
        if let Some(name) = names.into_iter().find(|n| others.contains(n)) {
            hand_written.insert(pair, name);
        }
    }

    let mut wanted: Vec<&Assignment> = listed.iter().collect();
    wanted.sort_by(|a, b| (&a.account_id, &a.role_name).cmp(&(&b.account_id, &b.role_name)));
    wanted.dedup_by(|a, b| (&a.account_id, &a.role_name) == (&b.account_id, &b.role_name));
    let mut entries = Vec::new();
    let entry = |action, profile: &str, a: &Assignment| Entry {
        action,
        profile: profile.to_owned(),
        account_id: a.account_id.clone(),
        role_name: a.role_name.clone(),
    };
    wanted.retain(|a| match hand_written.get(&(a.account_id.clone(), a.role_name.clone())) {
        Some(name) => {
            entries.push(entry(Action::HandWritten, name, a));
            false
        }
        None => true,
    });

    // First, a pair keeps the generated section it has, if its name is still one the
    // template gives; then the rest take the first free name, in account id order.
    let mut section_of: Vec<Option<usize>> = vec![None; wanted.len()];
    let mut claimed: BTreeSet<usize> = BTreeSet::new();
    for (i, a) in wanted.iter().enumerate() {
        let names: Vec<String> = candidates(opts, a).take(3).collect();
        let found = generated.iter().enumerate().find(|(g, section)| {
            !claimed.contains(g)
                && section.pair == (a.account_id.clone(), a.role_name.clone())
                && names.iter().any(|n| n == section.name)
        });
        if let Some((g, _)) = found {
            claimed.insert(g);
            section_of[i] = Some(g);
        }
    }
    let mut taken: BTreeSet<String> = others.clone();
    taken.extend(ours.iter().map(|n| (*n).to_owned()));
    // Written as `[default]`, it would become the profile of every tool without one.
    taken.insert("default".to_owned());
    let eol = line_ending(text);
    let mut changes = Vec::new();
    let mut appended = Vec::new();
    for (i, a) in wanted.iter().enumerate() {
        let wanted_settings = settings(opts, &a.account_id, &a.role_name);
        if let Some(g) = section_of[i] {
            let section = &generated[g];
            if section.settings == wanted_settings {
                entries.push(entry(Action::Keep, section.name, a));
            } else {
                log::debug!(
                    "profile {} changes from {:?} to {wanted_settings:?}",
                    section.name,
                    section.settings
                );
                let text = render(section.name, &wanted_settings, eol)?;
                changes.push(Change::Replace { span: section.span.clone(), text });
                entries.push(entry(Action::Update, section.name, a));
            }
            continue;
        }
        let name = candidates(opts, a).find(|n| !taken.contains(n)).expect("endless candidates");
        taken.insert(name.clone());
        appended.push((name.clone(), render(&name, &wanted_settings, eol)?));
        entries.push(entry(Action::Add, &name, a));
    }
    appended.sort();
    changes.extend(appended.into_iter().map(|(_, text)| Change::Append { text }));
    for (_, section) in generated.iter().enumerate().filter(|(g, _)| !claimed.contains(g)) {
        let action = if opts.prune { Action::Remove } else { Action::Stale };
        if opts.prune {
            changes.push(Change::Remove { span: section.span.clone() });
        }
        let (account_id, role_name) = section.pair.clone();
        entries.push(Entry { action, profile: section.name.to_owned(), account_id, role_name });
    }
    entries.sort_by(|a, b| (a.action, &a.profile).cmp(&(b.action, &b.profile)));
    Ok(Plan { entries, changes })
}

fn render(name: &str, settings: &[(&str, Option<&str>)], eol: &str) -> Result<String, String> {
    let present: Vec<(&str, &str)> =
        settings.iter().filter_map(|(k, v)| Some((*k, (*v)?))).collect();
    render_section(name, &present, eol).map_err(|reason| format!("profile {name:?}: {reason}"))
}

#[cfg(test)]
#[path = "populate_tests.rs"]
mod tests;
