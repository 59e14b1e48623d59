//! Reading `~/.aws/config` into sections, each with where its bytes are (for `edit.rs`).
//!
//! The parser is our own, one pass over the lines, following go-ini as aws-vault configures
//! it: nested values allowed (`s3 =` followed by indented settings, skipped), keys
//! case-insensitive, section names case-sensitive, inline comments only after a space, one
//! pair of surrounding quotes removed. A malformed line is reported with its number.
//! rust-ini 0.21 does not read this dialect: it glues a stray line onto the next key,
//! reports an unclosed `[profile x` at the end of the file, keeps `# comments` inside
//! values, joins the line after a value ending in `\` and cannot skip nested blocks.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::ConfigError;
use crate::env::Env;

pub(super) const DEFAULT_PROFILE: &str = "default";

/// The settings aws-vault reads from a profile section. A `[default]` section holding none
/// of them (only `output = json`, say) is left out of [`ConfigFile::profile_names`], as
/// aws-vault leaves it out of `list`.
const PROFILE_KEYS: &[&str] = &[
    "mfa_serial",
    "role_arn",
    "external_id",
    "region",
    "role_session_name",
    "duration_seconds",
    "source_profile",
    "include_profile",
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
    "web_identity_token_file",
    "web_identity_token_process",
    "sts_regional_endpoints",
    "endpoint_url",
    "session_tags",
    "transitive_session_tags",
    "source_identity",
    "credential_process",
    "mfa_process",
];

/// A parsed config file.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    path: PathBuf,
    exists: bool,
    /// In file order, repeats included.
    sections: Vec<Section>,
    /// Section indexes by kind and name, so a lookup does not scan the file:
    /// `list` and completion look up every profile of configs with hundreds.
    index: HashMap<(bool, String), Vec<usize>>,
}

#[derive(Debug, Clone)]
pub(super) struct Section {
    /// As written, normalised: trimmed, one space after `profile` or `sso-session`.
    pub(super) name: String,
    /// Keys lower-cased. A key repeated in the section keeps its last value, as in go-ini.
    pub(super) settings: HashMap<String, String>,
    /// Its bytes in the text parsed: from the header line to the end of its last setting
    /// line, so the comments and blank lines after it stay with what follows
    /// (`edit.rs` replaces and removes sections by this).
    pub(super) span: Range<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SectionKind<'a> {
    Profile(&'a str),
    SsoSession(&'a str),
    Other,
}

pub(super) fn classify(section: &str) -> SectionKind<'_> {
    if section == DEFAULT_PROFILE {
        SectionKind::Profile(DEFAULT_PROFILE)
    } else if let Some(name) = section.strip_prefix("profile ") {
        SectionKind::Profile(name)
    } else if let Some(name) = section.strip_prefix("sso-session ") {
        SectionKind::SsoSession(name)
    } else {
        SectionKind::Other
    }
}

impl ConfigFile {
    /// `$AWS_CONFIG_FILE`, else `$HOME/.aws/config` (HOME from `env`, falling back to
    /// `dirs::home_dir()`). A leading `~/` in AWS_CONFIG_FILE is expanded, as the AWS CLI
    /// does, because a quoted `~` reaches us unexpanded by the shell.
    pub fn default_path(env: &Env) -> PathBuf {
        let home =
            || env.get("HOME").map(PathBuf::from).or_else(dirs::home_dir).unwrap_or_default();
        match env.get("AWS_CONFIG_FILE") {
            Some(file) => match file.strip_prefix("~/") {
                Some(rest) => home().join(rest),
                None => PathBuf::from(file),
            },
            None => home().join(".aws").join("config"),
        }
    }

    /// Missing file => an empty config (aws-vault treats it as empty; `add` creates it).
    /// Unreadable or malformed => an error naming the file (and line).
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                let mut empty = ConfigFile::parse("", path)?;
                empty.exists = false;
                return Ok(empty);
            }
            Err(cause) => return Err(ConfigError::Read { path: path.to_path_buf(), cause }),
        };
        ConfigFile::parse(&decode(bytes, path)?, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
        // Editors on Windows like to start files with a byte order mark.
        let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        let sections = parse_sections(&text[bom..], bom, path)?;
        let mut index: HashMap<(bool, String), Vec<usize>> = HashMap::new();
        for (i, section) in sections.iter().enumerate() {
            if let Some(key) = index_key(classify(&section.name)) {
                index.entry(key).or_default().push(i);
            }
        }
        // `[default]` and `[profile default]` both name the default profile. botocore keeps
        // whichever of the two headers first appears later in the file, whole, and drops the
        // other; merging them key by key would make a profile neither tool reads.
        if let Some(found) = index.get_mut(&(true, DEFAULT_PROFILE.to_owned())) {
            let first = |header: &str| found.iter().position(|&i| sections[i].name == header);
            if let (Some(plain), Some(prefixed)) =
                (first(DEFAULT_PROFILE), first(&format!("profile {DEFAULT_PROFILE}")))
            {
                let winner = sections[found[plain.max(prefixed)]].name.clone();
                found.retain(|&i| sections[i].name == winner);
            }
        }
        Ok(ConfigFile { path: path.to_path_buf(), exists: true, sections, index })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file existed when loaded.
    pub fn exists(&self) -> bool {
        self.exists
    }

    /// Profile names in file order: "default" for `[default]`, NAME for `[profile NAME]`,
    /// each once. `[sso-session ...]` and unknown sections are not profiles. A `[default]`
    /// without any profile setting is skipped, like aws-vault's `list` does.
    pub fn profile_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        // A set beside the list: comparing each name with all before it was
        // a tenth of a TAB's instructions with 500 profiles.
        let mut seen = std::collections::HashSet::new();
        for section in &self.sections {
            if let SectionKind::Profile(name) = classify(&section.name)
                && seen.insert(name)
            {
                names.push(name.to_string());
            }
        }
        if !PROFILE_KEYS.iter().any(|key| self.get(DEFAULT_PROFILE, key).is_some()) {
            names.retain(|n| n != DEFAULT_PROFILE);
        }
        names
    }

    /// Whether the profile has a section of its own (`[default]` or `[profile NAME]`).
    pub fn has_profile(&self, name: &str) -> bool {
        self.sections_of(SectionKind::Profile(name)).next().is_some()
    }

    /// The raw value of a key in a profile's own section (no inheritance). Keys are
    /// case-insensitive; an empty value reads as unset, as in aws-vault. When a section or
    /// key is repeated the last value wins, as in go-ini.
    pub fn get(&self, profile: &str, key: &str) -> Option<&str> {
        last_value(self.sections_of(SectionKind::Profile(profile)), key)
    }

    /// The `[sso-session NAME]` names, in file order, each once.
    pub fn sso_session_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for section in &self.sections {
            if let SectionKind::SsoSession(name) = classify(&section.name)
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
        names
    }

    /// Whether an `[sso-session NAME]` section exists.
    pub fn has_sso_session(&self, name: &str) -> bool {
        self.sections_of(SectionKind::SsoSession(name)).next().is_some()
    }

    /// The raw value of a key in `[sso-session NAME]`; same rules as [`ConfigFile::get`].
    pub fn get_sso_session(&self, name: &str, key: &str) -> Option<&str> {
        last_value(self.sections_of(SectionKind::SsoSession(name)), key)
    }

    /// Every section, in file order.
    pub(super) fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// Every section that is `wanted`, in file order. `[profile default]`, which the AWS CLI
    /// docs sometimes use, counts as `[default]`.
    fn sections_of(&self, wanted: SectionKind<'_>) -> impl Iterator<Item = &Section> {
        let found = index_key(wanted).and_then(|key| self.index.get(&key));
        found.into_iter().flatten().map(|&i| &self.sections[i])
    }
}

/// The file's text; bytes that are not UTF-8 are an error naming the line.
pub(super) fn decode(bytes: Vec<u8>, path: &Path) -> Result<String, ConfigError> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        ConfigError::Parse {
            path: path.to_path_buf(),
            line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
            message: "the file is not valid UTF-8; save it as UTF-8".to_string(),
        }
    })
}

/// The key of [`ConfigFile::index`]; `None` for sections that are looked up by no one.
fn index_key(kind: SectionKind<'_>) -> Option<(bool, String)> {
    match kind {
        SectionKind::Profile(name) => Some((true, name.to_owned())),
        SectionKind::SsoSession(name) => Some((false, name.to_owned())),
        SectionKind::Other => None,
    }
}

fn last_value<'a>(sections: impl Iterator<Item = &'a Section>, key: &str) -> Option<&'a str> {
    let key = key.to_lowercase();
    sections
        .filter_map(|section| section.settings.get(&key))
        .last()
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// The parse described in the module docs, in one pass over the lines. Spans are
/// offsets in `text` plus `offset` (the byte order mark skipped before it).
fn parse_sections(text: &str, offset: usize, path: &Path) -> Result<Vec<Section>, ConfigError> {
    let error = |line: usize, message: String| ConfigError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut sections: Vec<Section> = Vec::new();
    // After `key =` with no value, indented lines are a nested block (go-ini's
    // AllowNestedValues), e.g. `s3 =` followed by `  max_concurrent_requests = 10`.
    let mut in_nested_block = false;
    // Whether the last setting line was a key, so an indented line without `=` can be read
    // as a continuation of its value (the AWS CLI allows those) instead of an error.
    let mut after_key = false;

    let mut start = offset;
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        // This line's bytes, its newline included.
        let here = start..(start + raw.len() + 1).min(offset + text.len());
        start = here.end;
        let line = raw.replace('\r', "");
        let indented = line.starts_with([' ', '\t']);
        let body = line.trim();

        if body.is_empty() || body.starts_with(['#', ';']) {
            continue;
        }
        if in_nested_block && indented {
            extend_last(&mut sections, &here);
            continue;
        }

        if body.starts_with('[') {
            let Some(name) = section_name(body) else {
                return Err(error(
                    line_no,
                    format!("unclosed section header `{body}`; add the closing `]`"),
                ));
            };
            sections.push(Section {
                name: normalize_section_name(name),
                settings: HashMap::new(),
                span: here,
            });
            in_nested_block = false;
            after_key = false;
            continue;
        }

        let Some(delimiter) = body.find(['=', ':']) else {
            if indented && after_key {
                extend_last(&mut sections, &here);
                continue;
            }
            return Err(error(
                line_no,
                format!(
                    "`{}` is not a `[section]` header, a `key = value` setting or a comment; fix or remove the line",
                    shorten(body)
                ),
            ));
        };
        let key = body[..delimiter].trim();
        if key.is_empty() {
            let symbol = &body[delimiter..delimiter + 1];
            return Err(error(
                line_no,
                format!("`{}` has no key before `{symbol}`; add the setting's name", shorten(body)),
            ));
        }
        let value = clean_value(&body[delimiter + 1..]);
        // Settings above the first section are checked but belong to no profile.
        if let Some(section) = sections.last_mut() {
            section.settings.insert(key.to_lowercase(), value.to_owned());
            section.span.end = here.end;
        }
        in_nested_block = value.is_empty();
        after_key = true;
    }
    Ok(sections)
}

/// A setting's nested or continued line belongs to the section above it.
fn extend_last(sections: &mut [Section], line: &Range<usize>) {
    if let Some(section) = sections.last_mut() {
        section.span.end = line.end;
    }
}

/// The name inside `[...]`, or None when there is no closing bracket. Text after the
/// bracket is ignored like go-ini and Python's configparser do; the first `]` followed only
/// by a comment or nothing ends the name, so `[profile a] # see [x]` is profile `a`.
fn section_name(body: &str) -> Option<&str> {
    let inner = &body[1..];
    let clean_end = inner.match_indices(']').map(|(i, _)| i).find(|&i| {
        let rest = inner[i + 1..].trim_start();
        rest.is_empty() || rest.starts_with(['#', ';'])
    });
    clean_end.or_else(|| inner.rfind(']')).map(|i| inner[..i].trim())
}

/// `profile   name ` => `profile name`, so lookups do not depend on spacing.
fn normalize_section_name(name: &str) -> String {
    for prefix in ["profile", "sso-session"] {
        if let Some(rest) = name.strip_prefix(prefix)
            && rest.starts_with(char::is_whitespace)
            && !rest.trim().is_empty()
        {
            return format!("{prefix} {}", rest.trim());
        }
    }
    name.to_string()
}

/// A value as go-ini reads it with aws-vault's options: an inline comment starts at `#` or
/// `;` after whitespace, and one pair of surrounding quotes is removed.
fn clean_value(raw: &str) -> &str {
    let mut value = raw.trim();
    let comment = value
        .char_indices()
        .zip(value.chars().skip(1))
        .find(|((_, c), next)| c.is_whitespace() && matches!(next, '#' | ';'))
        .map(|((i, _), _)| i);
    if let Some(i) = comment {
        value = value[..i].trim_end();
    }
    for quote in ['"', '\''] {
        if value.len() >= 2
            && value.starts_with(quote)
            && value.ends_with(quote)
            && value.matches(quote).count() == 2
        {
            return &value[1..value.len() - 1];
        }
    }
    value
}

fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
