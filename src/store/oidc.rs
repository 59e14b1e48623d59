//! Cached IAM Identity Center sign-ins (aws-vault's OIDCTokenKeyring): one item per start
//! URL under `oidc:<start url>`, holding `{"Token": <CreateTokenOutput>, "Expiration": ...}`
//! as aws-vault writes it, plus the client registration and the refresh token so that a
//! sign-in can be renewed without a browser. aws-vault ignores the extra fields.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::item::{Item, scrub};
use super::keys::{OIDC_PREFIX, is_oidc_key};
use super::{Store, StoreError};
use crate::creds::Secret;

/// One sign-in: the token and the client registration it was made with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcToken {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub expires_at: DateTime<Utc>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub client_expires_at: Option<DateTime<Utc>>,
}

pub struct OidcTokenKeyring<'a> {
    store: &'a dyn Store,
}

impl<'a> OidcTokenKeyring<'a> {
    pub fn new(store: &'a dyn Store) -> Self {
        Self { store }
    }

    /// The start URLs that have a cached sign-in. Needs no passphrase.
    pub fn start_urls(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .store
            .keys()?
            .into_iter()
            .filter_map(|k| k.strip_prefix(OIDC_PREFIX).map(str::to_owned))
            .collect())
    }

    /// The cached sign-in for `start_url`. A damaged entry is dropped with a warning (it is
    /// only a cache); so is an expired one that cannot be refreshed, as aws-vault does.
    pub fn get(&self, start_url: &str) -> Result<Option<OidcToken>, StoreError> {
        let key = format!("{OIDC_PREFIX}{start_url}");
        let Some(item) = self.store.get(&key)? else { return Ok(None) };
        match decode(&item.data) {
            Ok(token) if token.refresh_token.is_none() && token.expires_at <= Utc::now() => {
                self.store.remove(&key)?;
                Ok(None)
            }
            Ok(token) => Ok(Some(token)),
            Err(reason) => {
                log::warn!("dropping the cached sign-in for {start_url}: {reason}");
                self.store.remove(&key)?;
                Ok(None)
            }
        }
    }

    pub fn set(&self, start_url: &str, token: &OidcToken) -> Result<(), StoreError> {
        let key = format!("{OIDC_PREFIX}{start_url}");
        let expires = token.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let item = Item::new(key, encode(token).to_vec())
            .with_label(format!("aws-vault oidc token for {start_url} (expires {expires})"))
            .with_description("aws-vault oidc token");
        self.store.set(item)
    }

    /// Returns whether there was one. Needs no passphrase.
    pub fn remove(&self, start_url: &str) -> Result<bool, StoreError> {
        self.store.remove(&format!("{OIDC_PREFIX}{start_url}"))
    }

    /// Removes every cached sign-in; returns how many. Needs no passphrase.
    pub fn remove_all(&self) -> Result<usize, StoreError> {
        let mut removed = 0;
        for key in self.store.keys()?.iter().filter(|k| is_oidc_key(k)) {
            if self.store.remove(key)? {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

fn encode(token: &OidcToken) -> Zeroizing<Vec<u8>> {
    let expires_in = (token.expires_at - Utc::now()).num_seconds().max(0);
    let mut value = json!({
        // ssooidc.CreateTokenOutput as aws-sdk-go-v2 marshals it.
        "Token": {
            "AccessToken": token.access_token.expose(),
            "ExpiresIn": expires_in,
            "IdToken": null,
            "RefreshToken": token.refresh_token.as_ref().map(Secret::expose),
            "TokenType": "Bearer",
            "ResultMetadata": {},
        },
        "Expiration": token.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "ClientId": token.client_id,
        "ClientSecret": token.client_secret.as_ref().map(Secret::expose),
        "ClientSecretExpiresAt": token
            .client_expires_at
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
    });
    let mut out = Zeroizing::new(Vec::with_capacity(4096));
    serde_json::to_writer(&mut *out, &value).expect("serializing a JSON value cannot fail");
    scrub(&mut value);
    out
}

fn decode(data: &[u8]) -> Result<OidcToken, String> {
    let mut value: Value = serde_json::from_slice(data).map_err(|e| format!("not JSON: {e}"))?;
    let token = token_of(&value);
    scrub(&mut value);
    token
}

fn token_of(value: &Value) -> Result<OidcToken, String> {
    let text = |v: &Value, name: &str| {
        v.get(name).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned)
    };
    let time = |name: &str| {
        text(value, name).and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.to_utc())
    };
    let token = value.get("Token").ok_or("it has no Token")?;
    Ok(OidcToken {
        access_token: Secret::new(text(token, "AccessToken").ok_or("it has no AccessToken")?),
        refresh_token: text(token, "RefreshToken").map(Secret::new),
        expires_at: time("Expiration").ok_or("it has no valid Expiration")?,
        client_id: text(value, "ClientId"),
        client_secret: text(value, "ClientSecret").map(Secret::new),
        client_expires_at: time("ClientSecretExpiresAt"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::mem::MemStore;

    fn token(refresh: bool, expires_in: i64) -> OidcToken {
        OidcToken {
            access_token: Secret::new("at"),
            refresh_token: refresh.then(|| Secret::new("rt")),
            expires_at: DateTime::from_timestamp(Utc::now().timestamp() + expires_in, 0).unwrap(),
            client_id: Some("cid".into()),
            client_secret: Some(Secret::new("cs")),
            client_expires_at: DateTime::from_timestamp(2_000_000_000, 0),
        }
    }

    #[test]
    fn round_trips_under_aws_vaults_key_and_layout() {
        let store = MemStore::default();
        let ring = OidcTokenKeyring::new(&store);
        // Built once: `token` reads the clock, which may tick between two builds.
        let stored = token(true, 3600);
        ring.set("https://x.awsapps.com/start", &stored).unwrap();
        let item = store.get("oidc:https://x.awsapps.com/start").unwrap().unwrap();
        let json: Value = serde_json::from_slice(&item.data).unwrap();
        assert_eq!(json["Token"]["AccessToken"], "at");
        assert_eq!(json["Token"]["TokenType"], "Bearer");
        assert!(json["Expiration"].as_str().unwrap().ends_with('Z'));
        assert!(item.label.starts_with("aws-vault oidc token for https://x.awsapps.com/start"));
        assert_eq!(ring.get("https://x.awsapps.com/start").unwrap(), Some(stored));
        assert_eq!(ring.start_urls().unwrap(), ["https://x.awsapps.com/start"]);
    }

    #[test]
    fn an_expired_token_is_kept_only_when_it_can_be_refreshed() {
        let store = MemStore::default();
        let ring = OidcTokenKeyring::new(&store);
        ring.set("a", &token(true, -10)).unwrap();
        ring.set("b", &token(false, -10)).unwrap();
        assert!(ring.get("a").unwrap().is_some());
        assert_eq!(ring.get("b").unwrap(), None);
        assert_eq!(ring.start_urls().unwrap(), ["a"]);
        assert_eq!(ring.remove_all().unwrap(), 1);
    }
}
