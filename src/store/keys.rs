//! Key names in the store: aws-vault's session key format (build and parse) and the
//! rules that tell session, OIDC and long-term credential keys apart.

use std::fmt;

use base64::Engine;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use chrono::{DateTime, Utc};

/// Go's `base64.URLEncoding.WithPadding(NoPadding)`: no padding written or accepted,
/// trailing bits not checked (Go's default decoder is not strict about them).
const B64URL_NOPAD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

pub(crate) const OIDC_PREFIX: &str = "oidc:";

/// A cached session's key: `<kind>,<b64url(profile)>,<b64url(mfa serial)>,<expiry unix secs>`.
/// The profile and serial are encoded so that commas, spaces and any Unicode survive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionKey {
    /// `sts.GetSessionToken`, `sts.AssumeRole`, `sts.AssumeRoleWithWebIdentity`,
    /// `sso.GetRoleCredentials` or `credential_process`.
    pub kind: String,
    pub profile: String,
    /// The MFA serial, or the SSO start URL for `sso.GetRoleCredentials`; may be empty.
    pub mfa_serial: String,
    pub expiration: DateTime<Utc>,
}

impl SessionKey {
    pub fn new(
        kind: impl Into<String>,
        profile: impl Into<String>,
        mfa_serial: impl Into<String>,
        expiration: DateTime<Utc>,
    ) -> Self {
        Self {
            kind: kind.into(),
            profile: profile.into(),
            mfa_serial: mfa_serial.into(),
            expiration,
        }
    }

    /// Parses a current-format session key; `None` for anything else (including the old
    /// formats, which are only ever deleted).
    pub fn parse(key: &str) -> Option<SessionKey> {
        let parts = split_current(key)?;
        Some(SessionKey {
            kind: parts.kind.to_owned(),
            profile: String::from_utf8(parts.profile).ok()?,
            mfa_serial: String::from_utf8(parts.mfa_serial).ok()?,
            // Seconds beyond chrono's range are still a valid key to aws-vault: "never expires".
            expiration: DateTime::from_timestamp(parts.expiry, 0)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        })
    }

    /// Whether this key caches a session for the same (kind, profile, mfa serial); the
    /// expiry is not compared.
    pub fn is_for(&self, kind: &str, profile: &str, mfa_serial: &str) -> bool {
        self.kind == kind && self.profile == profile && self.mfa_serial == mfa_serial
    }
}

impl fmt::Display for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{},{},{},{}",
            self.kind,
            B64URL_NOPAD.encode(&self.profile),
            B64URL_NOPAD.encode(&self.mfa_serial),
            self.expiration.timestamp()
        )
    }
}

struct RawSessionKey<'a> {
    kind: &'a str,
    profile: Vec<u8>,
    mfa_serial: Vec<u8>,
    expiry: i64,
}

/// aws-vault's `^([^,]+),([^,]+),([^,]*),([0-9]{1,})$` plus what its parser then checks:
/// both middle fields decode as base64url and the number fits Go's `strconv.Atoi`.
fn split_current(key: &str) -> Option<RawSessionKey<'_>> {
    let mut parts = key.split(',');
    let (kind, profile, mfa, expiry) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || kind.is_empty() || profile.is_empty() {
        return None;
    }
    if expiry.is_empty() || !expiry.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(RawSessionKey {
        kind,
        profile: B64URL_NOPAD.decode(profile).ok()?,
        mfa_serial: B64URL_NOPAD.decode(mfa).ok()?,
        expiry: expiry.parse().ok()?,
    })
}

/// A current-format session key (even one whose fields are not UTF-8) or one of the older
/// formats aws-vault used: all of these are cache entries, never credential names.
pub fn is_session_key(key: &str) -> bool {
    split_current(key).is_some() || is_old_session_key(key)
}

/// Keys written by aws-vault before v6. They are deleted whenever sessions are looked up.
pub fn is_old_session_key(key: &str) -> bool {
    old_comma_format(key) || old_colon_format(key) || old_parenthesised_format(key)
}

/// `^session,([^,]+),([^,]*),([0-9]{2,})$`
fn old_comma_format(key: &str) -> bool {
    let Some(rest) = key.strip_prefix("session,") else { return false };
    let parts: Vec<&str> = rest.split(',').collect();
    matches!(parts[..], [profile, _, expiry]
        if !profile.is_empty() && expiry.len() >= 2 && expiry.bytes().all(|b| b.is_ascii_digit()))
}

/// `^session:([^ ]+):([^ ]*):([^:]+)$`: the profile and serial may hold colons, so the
/// expiry is whatever follows the last colon.
fn old_colon_format(key: &str) -> bool {
    let Some(rest) = key.strip_prefix("session:") else { return false };
    let Some((head, expiry)) = rest.rsplit_once(':') else { return false };
    // Some colon in `head` past its first character splits a non-empty profile from the serial.
    !expiry.is_empty() && !head.contains(' ') && head.char_indices().any(|(i, c)| c == ':' && i > 0)
}

/// `^(.+?) session \((\d+)\)$` (`.` does not match a newline in Go's regexp).
fn old_parenthesised_format(key: &str) -> bool {
    let Some(rest) = key.strip_suffix(')') else { return false };
    let Some((profile, number)) = rest.rsplit_once(" session (") else { return false };
    !profile.is_empty()
        && !profile.contains('\n')
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// An SSO OIDC token: `oidc:<start url>`.
pub fn is_oidc_key(key: &str) -> bool {
    key.starts_with(OIDC_PREFIX)
}

#[cfg(test)]
pub fn oidc_key(start_url: &str) -> String {
    format!("{OIDC_PREFIX}{start_url}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[test]
    fn builds_aws_vault_keys() {
        let key = SessionKey::new(
            "sts.GetSessionToken",
            "default",
            "arn:aws:iam::111111111111:mfa/jdoe",
            at(1_700_000_000),
        );
        // RFC 4648 base64url without padding, as Go's URLEncoding.WithPadding(NoPadding).
        assert_eq!(
            key.to_string(),
            "sts.GetSessionToken,ZGVmYXVsdA,YXJuOmF3czppYW06OjExMTExMTExMTExMTptZmEvamRvZQ,1700000000"
        );
        let no_mfa = SessionKey::new("sts.AssumeRoleWithWebIdentity", "p", "", at(5));
        assert_eq!(no_mfa.to_string(), "sts.AssumeRoleWithWebIdentity,cA,,5");
    }

    #[test]
    fn parse_round_trips_awkward_profiles() {
        for profile in ["a,b", "with space", "ünïcødé/名前", "x".repeat(200).as_str(), "?>~"]
        {
            for mfa in ["", "arn:aws:iam::1:mfa/a,b", "https://x.awsapps.com/start#/"] {
                let key = SessionKey::new("sso.GetRoleCredentials", profile, mfa, at(1_234));
                let text = key.to_string();
                assert_eq!(text.matches(',').count(), 3, "{text}");
                assert_eq!(SessionKey::parse(&text), Some(key), "{text}");
                assert!(is_session_key(&text));
                assert!(!is_oidc_key(&text));
            }
        }
    }

    #[test]
    fn parse_rejects_what_the_regex_rejects() {
        for bad in [
            "default",
            "sts.GetSessionToken,ZGVmYXVsdA,,",
            "sts.GetSessionToken,ZGVmYXVsdA,,-1",
            "sts.GetSessionToken,ZGVmYXVsdA,,12a",
            "sts.GetSessionToken,,,12",
            ",ZGVmYXVsdA,,12",
            "sts.GetSessionToken,ZGVmYXVsdA,,12,",
            "sts.GetSessionToken,ZGVmYXVsdA==,,12",
            "sts.GetSessionToken,not base64!,,12",
            "sts.GetSessionToken,ZGVmYXVsdA,,99999999999999999999",
        ] {
            assert_eq!(SessionKey::parse(bad), None, "{bad}");
            assert!(!is_session_key(bad), "{bad}");
        }
    }

    #[test]
    fn far_future_expiry_is_still_a_session() {
        let key = "credential_process,cA,,9223372036854775807";
        assert_eq!(SessionKey::parse(key).unwrap().expiration, DateTime::<Utc>::MAX_UTC);
    }

    #[test]
    fn non_utf8_fields_classify_but_do_not_parse() {
        let key = format!("sts.AssumeRole,{},,100", B64URL_NOPAD.encode([0xff, 0xfe]));
        assert!(is_session_key(&key));
        assert_eq!(SessionKey::parse(&key), None);
    }

    #[test]
    fn old_formats_are_session_keys() {
        for old in [
            "session,ZGVmYXVsdA,,1500000000",
            "session,default,arn:aws:iam::1:mfa/x,1500000000",
            "session:default:arn:aws:iam::1:mfa/x:1500000000",
            "session:default::1500000000",
            "default session (1500000000)",
            "my profile session (12)",
        ] {
            assert!(is_old_session_key(old), "{old}");
            assert!(is_session_key(old), "{old}");
            assert_eq!(SessionKey::parse(old).filter(|k| k.kind != "session"), None, "{old}");
        }
        for not_old in [
            "session,,x,15",
            "session,p,x,1",
            "session:p:1",
            "session::x:1",
            "session:with space:x:1",
            "session:p:x:",
            " session (1)",
            "p session ()",
            "p session (1x)",
            "line\nbreak session (1)",
            "sessions",
        ] {
            assert!(!is_old_session_key(not_old), "{not_old}");
        }
    }

    #[test]
    fn oidc_keys() {
        assert!(is_oidc_key(&oidc_key("https://x.awsapps.com/start")));
        assert!(!is_session_key("oidc:https://x.awsapps.com/start"));
        assert!(!is_oidc_key("default"));
    }
}
