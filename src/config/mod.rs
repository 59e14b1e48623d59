//! The AWS config file (`~/.aws/config`): parsing it, resolving a profile and its
//! `source_profile` chain the way aws-vault 7 does, and editing profiles in place.
//!
//! Everything here is pure: the environment comes in as an [`Env`](crate::env::Env) and
//! nothing touches the network, the keyring or the terminal.

mod edit;
mod file;
mod profile;
mod resolve;

use std::path::PathBuf;

#[cfg(test)]
pub use edit::apply;
pub use edit::{Change, append_profile, line_ending, preview, render_section, update};
pub use file::ConfigFile;
pub use profile::ProfileConfig;
pub use resolve::{ResolveOptions, resolve};

/// Why the config could not be read, resolved or written. Every message is one line,
/// names the file or profile involved and says what to change.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    // The io error is in the message only, not also a `source()`: `{:#}` prints it once.
    #[error("cannot read config file {}: {cause}", path.display())]
    Read { path: PathBuf, cause: std::io::Error },

    #[error("cannot write config file {}: {cause}", path.display())]
    Write { path: PathBuf, cause: std::io::Error },

    /// A line the parser cannot make sense of; `line` is 1-based.
    #[error("{}:{line}: {message}", path.display())]
    Parse { path: PathBuf, line: usize, message: String },

    #[error(
        "profile {profile:?} not found in {}{}; {}add it with `vault add {}` or check the name",
        path.display(),
        if *file_exists { "" } else { " (the file does not exist)" },
        did_you_mean(suggestion.as_deref()),
        shell_word(profile)
    )]
    ProfileNotFound {
        profile: String,
        path: PathBuf,
        file_exists: bool,
        /// A known profile whose name is close (`wrok`: `work`).
        suggestion: Option<String>,
    },

    #[error(
        "profile {profile:?} has source_profile {source_profile:?}, which is not in {} and has no stored credentials; add it with `vault add {}` or fix source_profile",
        path.display(),
        shell_word(source_profile)
    )]
    SourceProfileNotFound { profile: String, source_profile: String, path: PathBuf },

    #[error(
        "profile {profile:?} has include_profile {include:?}, which is not in {}; add a [profile {include}] section or fix include_profile",
        path.display()
    )]
    IncludeProfileNotFound { profile: String, include: String, path: PathBuf },

    #[error(
        "profile {profile:?} has sso_session {session:?}, but {} has no [sso-session {session}] section; add it or fix sso_session",
        path.display()
    )]
    SsoSessionNotFound { profile: String, session: String, path: PathBuf },

    /// `cycle` starts and ends with the same profile.
    #[error(
        "source_profile cycle in {}: {}; remove one of these source_profile settings",
        path.display(),
        cycle.join(" -> ")
    )]
    SourceProfileCycle { path: PathBuf, cycle: Vec<String> },

    /// `cycle` starts and ends with the same profile.
    #[error(
        "include_profile cycle in {}: {}; remove one of these include_profile settings",
        path.display(),
        cycle.join(" -> ")
    )]
    IncludeProfileCycle { path: PathBuf, cycle: Vec<String> },

    /// A setting in the file with a value that cannot be used.
    #[error("profile {profile:?} in {}: {key} = {value:?} is invalid: {reason}", path.display())]
    InvalidSetting { profile: String, path: PathBuf, key: String, value: String, reason: String },

    /// An environment variable (or a command-line option) with a value that cannot be used.
    #[error("{name}={value:?} is invalid: {reason}")]
    InvalidValue { name: String, value: String, reason: String },

    #[error("cannot add profile {name:?} to {}: {reason}", path.display())]
    InvalidProfileName { name: String, path: PathBuf, reason: String },
}

/// Whether `region` can name an AWS region: the SDKs put it in a host name,
/// so anything else fails every call with an obscure "failed to construct
/// request".
pub fn check_region(region: &str) -> Result<(), String> {
    let ok = region.len() <= 63
        && !region.starts_with('-')
        && !region.ends_with('-')
        && !region.is_empty()
        && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err("a region is lowercase letters, digits and dashes, like eu-west-1".to_owned())
    }
}

/// `name` as it would be typed in the shell command an error message suggests.
fn shell_word(name: &str) -> String {
    if name.chars().any(char::is_control) {
        // Keeps the message on one line; such a name cannot be typed as-is anyway.
        format!("{name:?}")
    } else {
        crate::escape::posix(name)
    }
}

/// The known profile name closest to `name`, if one is close enough to be
/// a typo of it (as clap suggests a subcommand).
pub fn suggest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    known
        .into_iter()
        .filter(|k| *k != name)
        .map(|k| (strsim::jaro(&name.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.to_owned())
}

/// `did you mean "work"? or ` before what else to do, or nothing.
pub fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion.map_or_else(String::new, |s| format!("did you mean {s:?}? or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_names_are_shell_words() {
        assert_eq!(shell_word("work-admin_role"), "work-admin_role");
        assert_eq!(shell_word("my \"odd\" prof ü"), "'my \"odd\" prof ü'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("two\nlines"), "\"two\\nlines\"");
    }

    #[test]
    fn regions_are_host_name_labels() {
        for good in ["eu-west-1", "us-gov-west-1", "cn-north-1", "aws-global", "eu-isoe-west-1"] {
            assert_eq!(check_region(good), Ok(()), "{good}");
        }
        for bad in ["", "eu west", "EU-WEST-1", "-eu", "eu-", "eu.west", "eu/west", "eu\n1"] {
            assert!(check_region(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_io_error_is_printed_once() {
        let io = || std::io::Error::new(std::io::ErrorKind::PermissionDenied, "disk on fire");
        for err in [
            ConfigError::Read { path: "/c".into(), cause: io() },
            ConfigError::Write { path: "/c".into(), cause: io() },
        ] {
            let shown = format!("{:#}", anyhow::Error::from(err));
            assert_eq!(shown.matches("disk on fire").count(), 1, "{shown}");
        }
    }

    #[test]
    fn a_near_name_is_suggested() {
        let known = ["work", "home", "prod-admin", "default"];
        assert_eq!(suggest("wrok", known), Some("work".to_owned()));
        assert_eq!(suggest("Work", known), Some("work".to_owned()));
        assert_eq!(suggest("prod-admn", known), Some("prod-admin".to_owned()));
        assert_eq!(suggest("nosuch", known), None);
        assert_eq!(suggest("work", known), None, "the same name is no suggestion");
        assert_eq!(did_you_mean(Some("a\"b")), "did you mean \"a\\\"b\"? or ");
    }

    #[test]
    fn messages_stay_on_one_line() {
        let err = ConfigError::ProfileNotFound {
            profile: "a\nb".into(),
            path: "/c".into(),
            file_exists: true,
            suggestion: None,
        };
        assert_eq!(
            err.to_string(),
            "profile \"a\\nb\" not found in /c; add it with `vault add \"a\\nb\"` or check the name"
        );
    }
}
