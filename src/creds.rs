//! Credential values. Secret parts are wrapped so that no `Debug`, `Display`,
//! error chain or log line can print them by accident.

use std::fmt;

use chrono::{DateTime, Utc};
use zeroize::Zeroize;

/// A secret string: redacted when formatted, wiped from memory when dropped.
/// The only way to read it is [`Secret::expose`], which makes every use visible
/// in review.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A set of AWS credentials: long-term keys (no token, no expiry) or temporary
/// ones from STS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// Not a secret on its own (AWS prints key ids in consoles and logs).
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
    pub expiration: Option<DateTime<Utc>>,
}

impl Credentials {
    pub fn long_term(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret_access_key),
            session_token: None,
            expiration: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_everywhere() {
        let creds = Credentials {
            session_token: Some(Secret::new("TOKEN-VALUE")),
            ..Credentials::long_term("AKIAEXAMPLE", "SECRET-VALUE")
        };
        for shown in
            [format!("{creds:?}"), format!("{:#?}", creds), creds.secret_access_key.to_string()]
        {
            assert!(!shown.contains("SECRET-VALUE"), "{shown}");
            assert!(!shown.contains("TOKEN-VALUE"), "{shown}");
        }
        assert!(format!("{creds:?}").contains("AKIAEXAMPLE"));
        assert_eq!(creds.secret_access_key.expose(), "SECRET-VALUE");
    }
}
