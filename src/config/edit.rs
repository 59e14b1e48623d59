//! Changing the AWS config file in place: appending an empty profile (`vault add`), and
//! replacing, removing and appending whole profile sections (`vault sso populate`). Every
//! byte outside the sections changed is kept (comments, order, other sections, line
//! endings): nothing is re-serialised. Writes are atomic, under the folder lock.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::Path;

use super::ConfigError;
use super::file::{ConfigFile, DEFAULT_PROFILE, SectionKind, classify, decode};
use crate::atomic_write::{self, Mode};

/// One `[profile NAME]` (or `[default]`) section as written in the file.
pub struct ProfileSection<'a> {
    pub name: &'a str,
    /// Its bytes: the header line to the end of its last setting line.
    pub span: Range<usize>,
    settings: &'a HashMap<String, String>,
}

impl<'a> ProfileSection<'a> {
    /// A setting of this section alone; an empty value reads as unset.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.settings.get(&key.to_lowercase()).map(String::as_str).filter(|v| !v.is_empty())
    }
}

impl ConfigFile {
    /// Every profile section in file order, a repeated profile once per section.
    pub fn profile_sections(&self) -> impl Iterator<Item = ProfileSection<'_>> {
        self.sections().iter().filter_map(|s| match classify(&s.name) {
            SectionKind::Profile(name) => {
                Some(ProfileSection { name, span: s.span.clone(), settings: &s.settings })
            }
            _ => None,
        })
    }
}

/// A change to the file: a section's `span` comes from [`ProfileSection::span`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The section becomes `text` (a whole section, from [`render_section`]).
    Replace { span: Range<usize>, text: String },
    /// The section goes, with the blank lines after it.
    Remove { span: Range<usize> },
    /// `text` is added at the end of the file, after a blank line.
    Append { text: String },
}

/// The line ending a file uses: `\r\n` when any line ends so, else `\n`.
pub fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// `[profile NAME]` and its `key = value` lines, each ending in `eol`. A name or value
/// the file could not read back as written is refused with the reason.
pub fn render_section(name: &str, settings: &[(&str, &str)], eol: &str) -> Result<String, String> {
    check_name(name)?;
    let header =
        if name == DEFAULT_PROFILE { "[default]".to_owned() } else { format!("[profile {name}]") };
    let mut text = header + eol;
    for (key, value) in settings {
        let reads_back = value.trim() == *value
            && !value.contains(['\n', '\r', '"', '\''])
            && !value.contains(" #")
            && !value.contains(" ;")
            && !value.contains("\t#")
            && !value.contains("\t;");
        if !reads_back {
            return Err(format!("the value of {key} ({value:?}) cannot be written as it is"));
        }
        text.push_str(&format!("{key} = {value}{eol}"));
    }
    Ok(text)
}

fn check_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the name is empty".to_owned());
    }
    if name.trim() != name {
        return Err("the name starts or ends with whitespace".to_owned());
    }
    if name.contains([']', '\n', '\r']) {
        return Err("a profile name cannot contain `]` or a line break".to_owned());
    }
    Ok(())
}

/// `text` with `changes` made. Removing the last sections also drops the blank lines
/// left before them, so populating and pruning back leaves the file as it was.
pub fn apply(text: &str, changes: &[Change]) -> Vec<u8> {
    let mut cuts: Vec<(Range<usize>, &str)> = Vec::new();
    for change in changes {
        match change {
            Change::Replace { span, text: new } => cuts.push((span.clone(), new)),
            Change::Remove { span } => {
                let mut end = span.end;
                while let Some(len) = blank_line_at(text, end) {
                    end += len;
                }
                cuts.push((span.start..end, ""));
            }
            Change::Append { .. } => {}
        }
    }
    cuts.sort_by_key(|(span, _)| span.start);
    // Removals side by side become one, so that one reaching the end can take the
    // blank lines before the first of them.
    let mut merged: Vec<(Range<usize>, &str)> = Vec::new();
    for (span, new) in cuts {
        match merged.last_mut() {
            Some((last, "")) if new.is_empty() && last.end == span.start => last.end = span.end,
            _ => merged.push((span, new)),
        }
    }
    if let Some((last, "")) = merged.last_mut()
        && last.end == text.len()
    {
        while let Some(start) = blank_line_before(text, last.start) {
            last.start = start;
        }
    }
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    for (span, new) in &merged {
        out.extend_from_slice(&text.as_bytes()[at..span.start]);
        out.extend_from_slice(new.as_bytes());
        at = span.end;
    }
    out.extend_from_slice(&text.as_bytes()[at..]);
    let eol = line_ending(text).as_bytes();
    for change in changes {
        if let Change::Append { text: new } = change {
            separate(&mut out, eol);
            out.extend_from_slice(new.as_bytes());
        }
    }
    out
}

/// The length of the blank line starting at `at` (its newline included), if it is one.
fn blank_line_at(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
    (len > 0 && rest[..len].trim().is_empty()).then_some(len)
}

/// Where the blank line ending just before `at` starts, if there is one.
fn blank_line_before(text: &str, at: usize) -> Option<usize> {
    let before = text[..at].strip_suffix('\n')?;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    before[start..].trim().is_empty().then_some(start)
}

/// Ends `content` with a line break and then a blank line, as aws-vault separates
/// sections; nothing for an empty file.
fn separate(content: &mut Vec<u8>, eol: &[u8]) {
    if content.is_empty() {
        return;
    }
    if !content.ends_with(b"\n") {
        content.extend_from_slice(eol);
    }
    if !content.ends_with(b"\n\n") && !content.ends_with(b"\n\r\n") {
        content.extend_from_slice(eol);
    }
}

/// Reads the config file at `path` under the folder lock, asks `plan` what to change
/// (it gets the parsed file and its text), and writes the result atomically if
/// anything changes: an empty plan leaves the file untouched, mtime included.
/// Returns what `plan` returned beside its changes.
pub fn update<T, E: From<ConfigError>>(
    path: &Path,
    plan: impl FnOnce(&ConfigFile, &str) -> Result<(T, Vec<Change>), E>,
) -> Result<T, E> {
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let write_error = |cause: io::Error| ConfigError::Write { path: path.to_path_buf(), cause };
    let _lock = atomic_write::lock_folder_of(&target).map_err(write_error)?;
    let text = read(&target, path)?;
    let cfg = ConfigFile::parse(&text, path)?;
    let (result, changes) = plan(&cfg, &text)?;
    if !changes.is_empty() {
        let content = apply(&text, &changes);
        atomic_write::write(&target, &content, Mode::KeepExisting).map_err(write_error)?;
    }
    Ok(result)
}

/// What [`update`] would do, without the lock and without writing (`--dry-run`).
pub fn preview<T, E: From<ConfigError>>(
    path: &Path,
    plan: impl FnOnce(&ConfigFile, &str) -> Result<(T, Vec<Change>), E>,
) -> Result<T, E> {
    let text = read(path, path)?;
    let cfg = ConfigFile::parse(&text, path)?;
    Ok(plan(&cfg, &text)?.0)
}

/// The text of the file at `target` (`path` in messages); a missing one is empty.
fn read(target: &Path, path: &Path) -> Result<String, ConfigError> {
    match fs::read(target) {
        Ok(bytes) => decode(bytes, path),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(String::new()),
        Err(cause) => Err(ConfigError::Read { path: path.to_path_buf(), cause }),
    }
}

/// Appends `[profile NAME]` (or `[default]` for "default") to the config file, keeping
/// every existing byte. Does nothing if the profile already has a section.
///
/// A missing file is created (0600) along with its folder (0700). The write is atomic
/// ([`atomic_write::write`]) and keeps the original's permissions, and a symlinked config
/// file is updated at its target rather than replaced by a regular file, so dotfile
/// managers keep working.
pub fn append_profile(path: &Path, name: &str) -> Result<(), ConfigError> {
    check_name(name).map_err(|reason| ConfigError::InvalidProfileName {
        name: name.to_string(),
        path: path.to_path_buf(),
        reason,
    })?;
    update(path, |cfg, text| {
        if cfg.has_profile(name) {
            return Ok(((), Vec::new()));
        }
        let header = render_section(name, &[], line_ending(text)).map_err(|reason| {
            ConfigError::InvalidProfileName { name: name.into(), path: path.into(), reason }
        })?;
        Ok(((), vec![Change::Append { text: header }]))
    })
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
