//! Long-term credentials, stored under the profile name as the JSON of Go's
//! `aws.Credentials` (aws-vault's CredentialKeyring).

use chrono::{DateTime, Utc};
use serde::Serialize;
use zeroize::Zeroizing;

use super::item::{GO_ZERO_TIME, GoObject, Item, go_time};
use super::{Store, StoreError, is_oidc_key, is_session_key};
use crate::creds::{Credentials, Secret};

pub struct CredentialKeyring<'a> {
    store: &'a dyn Store,
}

impl<'a> CredentialKeyring<'a> {
    pub fn new(store: &'a dyn Store) -> Self {
        Self { store }
    }

    /// Profiles with stored credentials: every key that is neither a cached session nor an
    /// OIDC token. Needs no passphrase.
    pub fn names(&self) -> Result<Vec<String>, StoreError> {
        let mut names: Vec<String> = self
            .store
            .keys()?
            .into_iter()
            .filter(|k| !is_session_key(k) && !is_oidc_key(k))
            .collect();
        names.sort();
        Ok(names)
    }

    /// Needs no passphrase.
    pub fn has(&self, profile: &str) -> Result<bool, StoreError> {
        Ok(self.store.keys()?.iter().any(|k| k == profile))
    }

    pub fn get(&self, profile: &str) -> Result<Option<Credentials>, StoreError> {
        let Some(item) = self.store.get(profile)? else { return Ok(None) };
        decode(&item.data)
            .map(Some)
            .map_err(|reason| StoreError::BadItem { key: profile.to_owned(), reason })
    }

    pub fn set(&self, profile: &str, creds: &Credentials) -> Result<(), StoreError> {
        // Such a name would be listed as a session or token and its credentials would vanish
        // from `names()` (and aws-vault would delete it as an expired session).
        if is_session_key(profile) || is_oidc_key(profile) {
            return Err(StoreError::Invalid(format!(
                "cannot store credentials under {profile:?}: the name looks like a cached session or token; choose another profile name"
            )));
        }
        let item = Item::new(profile, encode(creds).to_vec())
            .with_label(format!("aws-vault ({profile})"))
            .with_not_trust_application(true);
        self.store.set(item)
    }

    /// `Ok(false)` when there was nothing stored. Needs no passphrase.
    pub fn remove(&self, profile: &str) -> Result<bool, StoreError> {
        self.store.remove(profile)
    }
}

/// Go's `aws.Credentials` has no json tags, so its field names are the Go ones. All fields
/// are written, as Go does.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GoCredentials<'a> {
    #[serde(rename = "AccessKeyID")]
    access_key_id: &'a str,
    secret_access_key: &'a str,
    session_token: &'a str,
    source: &'a str,
    can_expire: bool,
    expires: String,
    #[serde(rename = "AccountID")]
    account_id: &'a str,
}

pub fn encode(creds: &Credentials) -> Zeroizing<Vec<u8>> {
    let out = GoCredentials {
        access_key_id: &creds.access_key_id,
        secret_access_key: creds.secret_access_key.expose(),
        session_token: creds.session_token.as_ref().map_or("", Secret::expose),
        source: "",
        can_expire: creds.expiration.is_some(),
        expires: creds.expiration.map_or_else(|| GO_ZERO_TIME.to_owned(), go_time),
        account_id: "",
    };
    let mut json = Zeroizing::new(Vec::with_capacity(512));
    serde_json::to_writer(&mut *json, &out).expect("serializing strings and bools cannot fail");
    json
}

/// Reads what aws-vault (any version) wrote: missing optional fields are fine, the key pair
/// is not.
pub fn decode(json: &[u8]) -> Result<Credentials, String> {
    let obj = GoObject::parse(json)?;
    let required = |name: &str| match obj.str(name)? {
        Some(s) if !s.is_empty() => Ok(s.to_owned()),
        _ => Err(format!("field {name} is missing")),
    };
    let access_key_id = required("AccessKeyID")?;
    let secret_access_key = Secret::new(required("SecretAccessKey")?);
    let session_token = obj.str("SessionToken")?.filter(|s| !s.is_empty()).map(Secret::new);
    let expiration: Option<DateTime<Utc>> =
        if obj.bool("CanExpire")? { obj.time("Expires")? } else { None };
    Ok(Credentials { access_key_id, secret_access_key, session_token, expiration })
}

#[cfg(test)]
mod tests {
    use super::super::mem::MemStore;
    use super::*;

    #[test]
    fn json_matches_go() {
        let json = encode(&Credentials::long_term("AKIAEXAMPLE", "secret/key+x"));
        assert_eq!(
            std::str::from_utf8(&json).unwrap(),
            concat!(
                r#"{"AccessKeyID":"AKIAEXAMPLE","SecretAccessKey":"secret/key+x","SessionToken":"","#,
                r#""Source":"","CanExpire":false,"Expires":"0001-01-01T00:00:00Z","AccountID":""}"#
            )
        );
    }

    #[test]
    fn json_round_trip() {
        let long = Credentials::long_term("AKIA1", "s1");
        assert_eq!(decode(&encode(&long)).unwrap(), long);
        let temporary = Credentials {
            session_token: Some(Secret::new("tok")),
            expiration: Some(DateTime::from_timestamp(1_700_000_000, 5_000_000).unwrap()),
            ..Credentials::long_term("ASIA1", "s2")
        };
        assert_eq!(decode(&encode(&temporary)).unwrap(), temporary);
    }

    #[test]
    fn reads_older_and_sparser_json() {
        // aws-sdk-go v1's credentials.Value, as aws-vault ≤ v5 wrote it.
        let v1 =
            br#"{"AccessKeyID":"AKIA","SecretAccessKey":"s","SessionToken":"","ProviderName":"x"}"#;
        assert_eq!(decode(v1).unwrap(), Credentials::long_term("AKIA", "s"));
        let expires = br#"{"AccessKeyID":"A","SecretAccessKey":"s","CanExpire":true,"Expires":"2030-01-02T03:04:05.5+01:00"}"#;
        assert_eq!(
            decode(expires).unwrap().expiration.unwrap().to_rfc3339(),
            "2030-01-02T02:04:05.500+00:00"
        );
        let ignored = br#"{"AccessKeyID":"A","SecretAccessKey":"s","CanExpire":false,"Expires":"2030-01-02T03:04:05Z"}"#;
        assert_eq!(decode(ignored).unwrap().expiration, None);
        for bad in [
            &br#"{"SecretAccessKey":"s"}"#[..],
            br#"{"AccessKeyID":"A","SecretAccessKey":""}"#,
            b"[]",
        ] {
            assert!(decode(bad).is_err());
        }
    }

    #[test]
    fn keyring_semantics() {
        let store = MemStore::default();
        let ring = CredentialKeyring::new(&store);
        ring.set("work", &Credentials::long_term("AKIAW", "sw")).unwrap();
        ring.set("home", &Credentials::long_term("AKIAH", "sh")).unwrap();
        for other in
            ["sts.GetSessionToken,d29yaw,,1700000000", "oidc:https://x", "work session (1)"]
        {
            store.set(Item::new(other, b"{}".to_vec())).unwrap();
        }
        assert_eq!(ring.names().unwrap(), ["home", "work"]);
        assert!(ring.has("work").unwrap() && !ring.has("nope").unwrap());
        assert_eq!(store.gets.get(), 0, "names and has do not read items");

        assert_eq!(ring.get("work").unwrap().unwrap().secret_access_key.expose(), "sw");
        assert_eq!(ring.get("nope").unwrap(), None);
        let item = store.get("work").unwrap().unwrap();
        assert_eq!(item.label, "aws-vault (work)");
        assert!(item.keychain_not_trust_application && item.description.is_empty());

        assert!(ring.remove("work").unwrap());
        assert!(!ring.remove("work").unwrap());
        assert!(matches!(
            ring.set("oidc:x", &Credentials::long_term("A", "s")),
            Err(StoreError::Invalid(_))
        ));
    }

    #[test]
    fn bad_data_names_the_key_not_the_secret() {
        let store = MemStore::default();
        store
            .set(Item::new("p", br#"{"AccessKeyID":"AKIA","SecretAccessKey":42}"#.to_vec()))
            .unwrap();
        let err = CredentialKeyring::new(&store).get("p").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("\"p\"") && msg.contains("SecretAccessKey") && !msg.contains("42"),
            "{msg}"
        );
    }
}
