//! A read-only snapshot of the process environment, passed around explicitly so
//! that resolution logic is pure and tests never call `std::env::set_var`.
//! (The variables vault hands to a child are built in
//! [`credential_vars`](crate::credential_vars).)

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

#[derive(Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// Captures the current process environment. Variables whose name or value is
    /// not valid UTF-8 cannot be AWS settings, so they are skipped rather than
    /// making the whole program panic (as `std::env::vars` would).
    pub fn from_process() -> Self {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        Self { vars }
    }

    #[cfg(test)]
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self { vars: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }

    /// An environment made of exactly these variables (the agent rebuilds
    /// a shell's settings from the ones the hook hands it).
    pub fn from_map(vars: BTreeMap<String, String>) -> Self {
        Self { vars }
    }

    /// Every variable, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// This environment with some variables replaced (Some) or removed (None).
    pub fn with(&self, changes: &std::collections::BTreeMap<String, Option<String>>) -> Env {
        let mut vars = self.vars.clone();
        for (key, value) in changes {
            match value {
                Some(v) => vars.insert(key.clone(), v.clone()),
                None => vars.remove(key),
            };
        }
        Env { vars }
    }

    /// The value of `key` exactly as set, even when empty: restoring a
    /// user's variables must tell `X=` from an unset `X`.
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    /// The value of `key`, treating an empty value as unset, as aws-vault and the
    /// AWS SDKs do.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// The user's home directory: `$HOME`, else the system's account record.
    pub fn home(&self) -> Result<PathBuf> {
        self.get("HOME")
            .map(PathBuf::from)
            .or_else(dirs::home_dir)
            .context("could not find your home directory; set HOME")
    }
}

// Values are left out on purpose: the environment holds secrets such as
// AWS_SECRET_ACCESS_KEY and AWS_VAULT_FILE_PASSPHRASE.
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.vars.keys()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_read_as_unset() {
        let env = Env::from_pairs([("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "eu-west-1")]);
        assert_eq!(env.get("AWS_REGION"), None);
        assert_eq!(env.get("AWS_DEFAULT_REGION"), Some("eu-west-1"));
    }

    #[test]
    fn debug_never_shows_values() {
        let env = Env::from_pairs([("AWS_SECRET_ACCESS_KEY", "hunter2-secret")]);
        let shown = format!("{env:?}");
        assert!(shown.contains("AWS_SECRET_ACCESS_KEY"));
        assert!(!shown.contains("hunter2"));
    }
}
