//! Cached temporary credentials (aws-vault's SessionKeyring): one item per session, keyed
//! by kind, profile, MFA serial and expiry, holding the JSON of STS `Credentials` plus
//! `VaultShape`, the digest of what shaped the session (`sts::shape`), which aws-vault's
//! JSON decoding ignores. A session is served only for the shape it was made for.

use std::cmp::Reverse;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;
use zeroize::Zeroizing;

use super::item::{GoObject, Item, go_time};
use super::keys::is_old_session_key;
use super::{SessionKey, Store, StoreError, is_session_key};
use crate::creds::{Credentials, Secret};

pub struct SessionKeyring<'a> {
    store: &'a dyn Store,
}

impl<'a> SessionKeyring<'a> {
    pub fn new(store: &'a dyn Store) -> Self {
        Self { store }
    }

    /// Every cached session (current format), expired ones included. Needs no passphrase.
    pub fn list(&self) -> Result<Vec<SessionKey>, StoreError> {
        let mut sessions: Vec<SessionKey> =
            self.store.keys()?.iter().filter_map(|k| SessionKey::parse(k)).collect();
        sessions.sort_by(|a, b| {
            (&a.profile, &a.kind, a.expiration).cmp(&(&b.profile, &b.kind, b.expiration))
        });
        Ok(sessions)
    }

    /// The newest session for (kind, profile, mfa_serial) made for `shape`, with at least
    /// `min_ttl` left at `now`. Expired and old-format entries met on the way are deleted, as
    /// aws-vault does on every lookup. A damaged entry is skipped with a warning: it is only a
    /// cache, and the next `set` replaces it. An entry made for another shape (other inputs,
    /// or written by aws-vault, which records none) is a miss, never an answer.
    pub fn get(
        &self,
        kind: &str,
        profile: &str,
        mfa_serial: &str,
        shape: &str,
        min_ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<Credentials>, StoreError> {
        let mut candidates: Vec<(String, SessionKey)> = self
            .collect_garbage(now)?
            .into_iter()
            .filter(|(_, k)| k.is_for(kind, profile, mfa_serial) && k.expiration - now >= min_ttl)
            .collect();
        candidates.sort_by_key(|(_, key)| Reverse(key.expiration));
        for (name, key) in candidates {
            let item = match self.store.get(&name) {
                Ok(Some(item)) => item,
                // Removed by another process since we listed.
                Ok(None) => continue,
                Err(e @ StoreError::Corrupt { .. }) => {
                    log::warn!("skipping a cached session: {e}");
                    continue;
                }
                Err(e) => return Err(e),
            };
            match decode(&item.data, key.expiration) {
                Ok((creds, Some(made_for))) if made_for == shape => return Ok(Some(creds)),
                Ok(_) => log::debug!(
                    "the cached {kind} session for {profile} was made for other inputs (role, \
                     tags, source, endpoint...) or by another tool; not using it"
                ),
                Err(reason) => log::warn!("skipping the cached session {name:?}: {reason}"),
            }
        }
        Ok(None)
    }

    /// Caches `creds` (which must carry an expiry: it becomes part of the key) as made for
    /// `shape`, and drops any older entry for the same (kind, profile, mfa_serial) once the
    /// new one is written.
    pub fn set(
        &self,
        kind: &str,
        profile: &str,
        mfa_serial: &str,
        shape: &str,
        creds: &Credentials,
    ) -> Result<(), StoreError> {
        if kind.is_empty() || kind.contains(',') {
            return Err(StoreError::Invalid(format!("invalid session kind {kind:?}")));
        }
        if profile.is_empty() {
            return Err(StoreError::Invalid(
                "cannot cache a session without a profile name".into(),
            ));
        }
        let Some(expiration) = creds.expiration else {
            return Err(StoreError::Invalid(format!(
                "cannot cache a session for {profile} without an expiry time"
            )));
        };
        let key = SessionKey::new(kind, profile, mfa_serial, expiration);
        let name = key.to_string();
        let previous = self.collect_garbage(Utc::now())?;

        let item = Item::new(name.as_str(), encode(creds, expiration, shape).to_vec())
            .with_label(format!(
                "aws-vault session for {profile} (expires {})",
                expiration.to_rfc3339_opts(SecondsFormat::Secs, true)
            ))
            .with_description("aws-vault session");
        self.store.set(item)?;

        for (old, _) in
            previous.iter().filter(|(n, k)| *n != name && k.is_for(kind, profile, mfa_serial))
        {
            if let Err(e) = self.store.remove(old) {
                log::warn!("could not remove a replaced session: {e}");
            }
        }
        Ok(())
    }

    /// Removes every session cached for `profile`; returns how many. Needs no passphrase.
    pub fn remove_for_profile(&self, profile: &str) -> Result<usize, StoreError> {
        let names = self.store.keys()?;
        let mut removed = 0;
        for name in names {
            if SessionKey::parse(&name).is_some_and(|k| k.profile == profile)
                && self.store.remove(&name)?
            {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Removes every cached session, old formats included (OIDC tokens are kept). Needs no
    /// passphrase.
    pub fn remove_all(&self) -> Result<usize, StoreError> {
        let names = self.store.keys()?;
        let mut removed = 0;
        for name in names.iter().filter(|k| is_session_key(k)) {
            if self.store.remove(name)? {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Deletes old-format and expired session keys (failures are only logged: stale cache
    /// entries must not stop a lookup) and returns the live ones, with their stored names.
    fn collect_garbage(&self, now: DateTime<Utc>) -> Result<Vec<(String, SessionKey)>, StoreError> {
        let mut live = Vec::new();
        for name in self.store.keys()? {
            let parsed = SessionKey::parse(&name);
            let stale =
                is_old_session_key(&name) || parsed.as_ref().is_some_and(|k| k.expiration <= now);
            if stale {
                match self.store.remove(&name) {
                    Ok(_) => log::debug!("removed stale session {name:?}"),
                    Err(e) => log::warn!("could not remove a stale session: {e}"),
                }
            } else if let Some(key) = parsed {
                live.push((name, key));
            }
        }
        Ok(live)
    }
}

/// STS `Credentials` as aws-sdk-go-v2 marshals it (pointer fields, no json tags), plus
/// vault's `VaultShape`, which Go's decoder skips as an unknown field.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct StsCredentials<'a> {
    access_key_id: &'a str,
    expiration: String,
    secret_access_key: &'a str,
    session_token: Option<&'a str>,
    vault_shape: &'a str,
}

pub fn encode(creds: &Credentials, expiration: DateTime<Utc>, shape: &str) -> Zeroizing<Vec<u8>> {
    let out = StsCredentials {
        access_key_id: &creds.access_key_id,
        expiration: go_time(expiration),
        secret_access_key: creds.secret_access_key.expose(),
        session_token: creds.session_token.as_ref().map(Secret::expose),
        vault_shape: shape,
    };
    // Sized so the buffer is not reallocated, which would leave unwiped copies.
    let token_len = creds.session_token.as_ref().map_or(0, |t| t.expose().len());
    let mut json = Zeroizing::new(Vec::with_capacity(2 * token_len + 512));
    serde_json::to_writer(&mut *json, &out).expect("serializing strings cannot fail");
    json
}

/// The credentials and the shape they were made for (None: written by aws-vault or an
/// older vault). `key_expiration` is used when the JSON has no `Expiration` of its own.
pub fn decode(
    json: &[u8],
    key_expiration: DateTime<Utc>,
) -> Result<(Credentials, Option<String>), String> {
    let obj = GoObject::parse(json)?;
    let required = |name: &str| match obj.str(name)? {
        Some(s) if !s.is_empty() => Ok(s.to_owned()),
        _ => Err(format!("field {name} is missing")),
    };
    let creds = Credentials {
        access_key_id: required("AccessKeyId")?,
        secret_access_key: Secret::new(required("SecretAccessKey")?),
        session_token: obj.str("SessionToken")?.filter(|s| !s.is_empty()).map(Secret::new),
        expiration: Some(obj.time("Expiration")?.unwrap_or(key_expiration)),
    };
    let shape = obj.str("VaultShape")?.filter(|s| !s.is_empty()).map(str::to_owned);
    Ok((creds, shape))
}

#[cfg(test)]
mod tests {
    use super::super::mem::MemStore;
    use super::*;

    const GST: &str = "sts.GetSessionToken";
    const MFA: &str = "arn:aws:iam::111111111111:mfa/jdoe";
    const SHAPE: &str = "3f1d";

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    fn session(id: &str, expires: i64) -> Credentials {
        Credentials {
            session_token: Some(Secret::new(format!("token-{id}"))),
            expiration: Some(at(expires)),
            ..Credentials::long_term(format!("ASIA{id}"), format!("secret-{id}"))
        }
    }

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn json_matches_sts_credentials() {
        let json = encode(&session("X", NOW), at(NOW), SHAPE);
        assert_eq!(
            std::str::from_utf8(&json).unwrap(),
            r#"{"AccessKeyId":"ASIAX","Expiration":"2023-11-14T22:13:20Z","SecretAccessKey":"secret-X","SessionToken":"token-X","VaultShape":"3f1d"}"#
        );
        assert_eq!(decode(&json, at(0)).unwrap(), (session("X", NOW), Some(SHAPE.to_owned())));
        let no_expiration = br#"{"AccessKeyId":"A","SecretAccessKey":"s","SessionToken":null}"#;
        let (creds, shape) = decode(no_expiration, at(5)).unwrap();
        assert_eq!((creds.expiration, shape), (Some(at(5)), None));
    }

    #[test]
    fn a_session_is_served_only_for_the_shape_it_was_made_for() {
        let store = MemStore::default();
        let ring = SessionKeyring::new(&store);
        let far = Utc::now().timestamp() + 3600;
        ring.set("sts.AssumeRole", "r", "", "role-one", &session("one", far)).unwrap();
        let get = |shape| ring.get("sts.AssumeRole", "r", "", shape, Duration::zero(), Utc::now());
        assert_eq!(get("role-one").unwrap().unwrap().access_key_id, "ASIAone");
        assert_eq!(get("role-two").unwrap(), None, "another role's inputs must miss");
        // What aws-vault (or an older vault) wrote records no shape: a miss, not a guess.
        let key = SessionKey::new("sts.AssumeRole", "r", "", at(far + 60)).to_string();
        let json = br#"{"AccessKeyId":"ASIAold","SecretAccessKey":"s","SessionToken":"t"}"#;
        store.set(Item::new(key, json.to_vec())).unwrap();
        assert_eq!(get("role-one").unwrap().unwrap().access_key_id, "ASIAone");
        ring.set("sts.AssumeRole", "r", "", "role-two", &session("two", far)).unwrap();
        assert_eq!(get("role-two").unwrap().unwrap().access_key_id, "ASIAtwo");
        assert_eq!(get("role-one").unwrap(), None, "the new role's session replaced the old");
    }

    #[test]
    fn set_writes_aws_vault_item() {
        let store = MemStore::default();
        SessionKeyring::new(&store)
            .set(GST, "dev,ops", MFA, SHAPE, &session("A", NOW + 3600))
            .unwrap();
        let keys = store.keys().unwrap();
        assert_eq!(keys.len(), 1);
        let key = SessionKey::parse(&keys[0]).unwrap();
        assert_eq!(key, SessionKey::new(GST, "dev,ops", MFA, at(NOW + 3600)));
        let item = store.get(&keys[0]).unwrap().unwrap();
        assert_eq!(item.label, "aws-vault session for dev,ops (expires 2023-11-14T23:13:20Z)");
        assert_eq!(item.description, "aws-vault session");
        assert!(!item.keychain_not_trust_application);
    }

    #[test]
    fn get_honours_min_ttl_and_prefers_the_newest() {
        let store = MemStore::default();
        let ring = SessionKeyring::new(&store);
        let ttl = Duration::minutes(5);
        // Written directly so that several sessions for one profile coexist.
        for (id, expires) in [("old", NOW + 600), ("new", NOW + 3600), ("mid", NOW + 1800)] {
            let key = SessionKey::new(GST, "p", MFA, at(expires)).to_string();
            store
                .set(Item::new(key, encode(&session(id, expires), at(expires), SHAPE).to_vec()))
                .unwrap();
        }
        let got = ring.get(GST, "p", MFA, SHAPE, ttl, at(NOW)).unwrap().unwrap();
        assert_eq!(got.access_key_id, "ASIAnew");
        assert_eq!(ring.get(GST, "p", MFA, SHAPE, Duration::minutes(61), at(NOW)).unwrap(), None);
        assert_eq!(
            ring.get(GST, "p", "", SHAPE, ttl, at(NOW)).unwrap(),
            None,
            "mfa serial must match"
        );
        assert_eq!(ring.get("sts.AssumeRole", "p", MFA, SHAPE, ttl, at(NOW)).unwrap(), None);
        assert_eq!(ring.get(GST, "q", MFA, SHAPE, ttl, at(NOW)).unwrap(), None);
        // 25 minutes later only "new" has 5 minutes left; "old" has expired and is gone.
        let later = at(NOW + 1500);
        assert_eq!(
            ring.get(GST, "p", MFA, SHAPE, ttl, later).unwrap().unwrap().access_key_id,
            "ASIAnew"
        );
        assert_eq!(ring.list().unwrap().len(), 2);
        assert_eq!(ring.get(GST, "p", MFA, SHAPE, Duration::minutes(40), later).unwrap(), None);
    }

    #[test]
    fn get_removes_expired_and_old_format_keys_only() {
        let store = MemStore::default();
        let ring = SessionKeyring::new(&store);
        // Written directly: `set` collects garbage against the real clock.
        for (profile, expires) in [("expired", NOW - 1), ("ends-now", NOW), ("live", NOW + 60)] {
            let key = SessionKey::new(GST, profile, "", at(expires)).to_string();
            store
                .set(Item::new(
                    key,
                    encode(&session(profile, expires), at(expires), SHAPE).to_vec(),
                ))
                .unwrap();
        }
        for other in ["session:p:x:1", "p session (1)", "oidc:https://x", "profile"] {
            store.set(Item::new(other, b"{}".to_vec())).unwrap();
        }
        assert_eq!(ring.get(GST, "expired", "", SHAPE, Duration::zero(), at(NOW)).unwrap(), None);
        let mut left = store.keys().unwrap();
        left.sort();
        assert_eq!(
            left,
            [
                "oidc:https://x",
                "profile",
                &SessionKey::new(GST, "live", "", at(NOW + 60)).to_string()
            ]
        );
        assert_eq!(store.gets.get(), 0, "nothing to read means nothing to unlock");
    }

    #[test]
    fn set_replaces_the_previous_session() {
        let store = MemStore::default();
        let ring = SessionKeyring::new(&store);
        let far = Utc::now().timestamp() + 3600;
        ring.set(GST, "p", MFA, SHAPE, &session("1", far)).unwrap();
        ring.set(GST, "p", "", SHAPE, &session("other-mfa", far)).unwrap();
        ring.set(GST, "p", MFA, SHAPE, &session("2", far + 60)).unwrap();
        let sessions = ring.list().unwrap();
        assert_eq!(sessions.len(), 2);
        let got = ring.get(GST, "p", MFA, SHAPE, Duration::zero(), Utc::now()).unwrap().unwrap();
        assert_eq!(got.access_key_id, "ASIA2");
        assert!(matches!(
            ring.set(GST, "p", MFA, SHAPE, &Credentials::long_term("A", "s")),
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            ring.set("a,b", "p", MFA, SHAPE, &session("x", far)),
            Err(StoreError::Invalid(_))
        ));
    }

    #[test]
    fn damaged_entries_are_skipped() {
        let store = MemStore::default();
        let ring = SessionKeyring::new(&store);
        let good = SessionKey::new(GST, "p", "", at(NOW + 600)).to_string();
        store
            .set(Item::new(
                good,
                encode(&session("good", NOW + 600), at(NOW + 600), SHAPE).to_vec(),
            ))
            .unwrap();
        let bad = SessionKey::new(GST, "p", "", at(NOW + 900)).to_string();
        store.set(Item::new(bad, b"not json".to_vec())).unwrap();
        let got = ring.get(GST, "p", "", SHAPE, Duration::zero(), at(NOW)).unwrap().unwrap();
        assert_eq!(got.access_key_id, "ASIAgood");
    }

    #[test]
    fn removal_needs_no_unlock() {
        let store = MemStore::default();
        let ring = SessionKeyring::new(&store);
        let far = Utc::now().timestamp() + 3600;
        ring.set(GST, "a", "", SHAPE, &session("1", far)).unwrap();
        ring.set("sts.AssumeRole", "a", MFA, SHAPE, &session("2", far)).unwrap();
        ring.set(GST, "b", "", SHAPE, &session("3", far)).unwrap();
        for other in ["session,cA,,1500000000", "oidc:https://x", "a"] {
            store.set(Item::new(other, b"{}".to_vec())).unwrap();
        }
        assert_eq!(ring.remove_for_profile("a").unwrap(), 2);
        assert_eq!(ring.remove_for_profile("a").unwrap(), 0);
        assert_eq!(ring.remove_all().unwrap(), 2);
        let mut left = store.keys().unwrap();
        left.sort();
        assert_eq!(left, ["a", "oidc:https://x"]);
        assert_eq!(store.gets.get(), 0);
    }
}
