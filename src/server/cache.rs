//! Credentials held in a server's memory: handed out while fresh, renewed
//! before they expire by one fetch at a time however many requests arrive
//! together, and kept serving through a failed renewal while still valid.

use std::future::Future;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use chrono::{DateTime, SubsecRound, Utc};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::credential_vars::expiration_text;
use crate::creds::Credentials;

/// Credentials that carry no expiry (long-term keys from a
/// `credential_process`) are announced to clients as lasting this long, so
/// their SDKs come back, and read again from their source after it.
const NO_EXPIRY_LIFETIME: chrono::Duration = chrono::Duration::hours(1);

/// Why a request got no credentials: one line for the client and the user.
pub type Failure = Arc<str>;

/// One set of credentials and the response bodies made from it once, so the
/// hot path copies no secret and serializes nothing.
pub struct Entry {
    pub creds: Credentials,
    /// What clients are told, and when the credentials stop being handed out.
    pub expires: DateTime<Utc>,
    /// When a request should trigger a renewal.
    pub renew_at: DateTime<Utc>,
    /// `{AccessKeyId, SecretAccessKey, Token, Expiration}`: the ECS format.
    pub ecs_body: Bytes,
    /// The EC2 instance-metadata format, with `Code`, `Type` and `LastUpdated`.
    pub ec2_body: Bytes,
}

impl Entry {
    pub fn new(creds: Credentials, fetched: DateTime<Utc>, min_ttl: chrono::Duration) -> Self {
        // Whole seconds, as the body says: credentials are never handed out with an
        // `Expiration` already past (STS sends whole seconds, but SSO's milliseconds
        // and a credential_process's fractions would round down in the text).
        let expires = creds.expiration.unwrap_or(fetched + NO_EXPIRY_LIFETIME).trunc_subsecs(0);
        let renew_at = renew_at(fetched, expires, min_ttl);
        let token = creds.session_token.as_ref().map_or("", |t| t.expose());
        let expiration = expiration_text(&expires);
        let ecs = Body {
            code: None,
            last_updated: None,
            kind: None,
            access_key_id: &creds.access_key_id,
            secret_access_key: creds.secret_access_key.expose(),
            token,
            expiration: &expiration,
        };
        let last_updated = expiration_text(&fetched);
        let ec2 = Body {
            code: Some("Success"),
            last_updated: Some(&last_updated),
            kind: Some("AWS-HMAC"),
            ..ecs
        };
        let (ecs_body, ec2_body) = (secret_body(&ecs), secret_body(&ec2));
        Self { creds, expires, renew_at, ecs_body, ec2_body }
    }

    fn fresh(&self, now: DateTime<Utc>) -> bool {
        now < self.renew_at
    }

    fn usable(&self, now: DateTime<Utc>) -> bool {
        now < self.expires
    }
}

/// Both response formats: the EC2 one adds `Code`, `LastUpdated` and `Type`.
#[derive(serde::Serialize, Clone, Copy)]
#[serde(rename_all = "PascalCase")]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_updated: Option<&'a str>,
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    access_key_id: &'a str,
    secret_access_key: &'a str,
    token: &'a str,
    expiration: &'a str,
}

/// A response body holding secrets, wiped when the last response using it
/// is gone. Sized up front so that no reallocation leaves a copy behind.
fn secret_body(body: &Body<'_>) -> Bytes {
    let mut text = zeroize::Zeroizing::new(Vec::with_capacity(4096));
    serde_json::to_writer(&mut *text, body).expect("strings always serialize");
    Bytes::from_owner(ZeroizedBytes(text))
}

struct ZeroizedBytes(zeroize::Zeroizing<Vec<u8>>);

impl AsRef<[u8]> for ZeroizedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// When to renew credentials valid until `expires`: `AWS_MIN_TTL` before
/// they expire, as cached sessions are judged, but never in the first half
/// of their life, so credentials shorter than the minimum TTL are renewed
/// now and then rather than on every request.
pub fn renew_at(
    fetched: DateTime<Utc>,
    expires: DateTime<Utc>,
    min_ttl: chrono::Duration,
) -> DateTime<Utc> {
    let half_life = (expires - fetched) / 2;
    expires - min_ttl.min(half_life).max(chrono::Duration::zero())
}

/// The outcome of the last renewal, kept under the renewal lock.
#[derive(Default)]
struct Attempts {
    failure: Option<(Instant, Failure)>,
}

/// Credentials that renew themselves: see the module documentation.
pub struct Renewing {
    current: RwLock<Option<Arc<Entry>>>,
    /// Held for the length of a renewal: at most one fetch at a time.
    renewal: Arc<Mutex<Attempts>>,
    min_ttl: chrono::Duration,
    /// After a failed fetch, requests get its error without a new fetch for
    /// this long, so a broken STS is not hammered by every waiting client.
    retry_after: Duration,
}

impl Renewing {
    pub fn new(min_ttl: chrono::Duration, retry_after: Duration) -> Arc<Self> {
        Arc::new(Self {
            current: RwLock::new(None),
            renewal: Arc::new(Mutex::new(Attempts::default())),
            min_ttl,
            retry_after,
        })
    }

    /// Starts with credentials fetched before the server started.
    pub fn seed(&self, creds: Credentials) {
        self.store(Arc::new(Entry::new(creds, Utc::now(), self.min_ttl)));
    }

    /// The credentials, if they need no renewal yet: the hot path, one read
    /// lock and no allocation.
    pub fn fresh(&self) -> Option<Arc<Entry>> {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        current.as_ref().filter(|e| e.fresh(Utc::now())).cloned()
    }

    /// The credentials, renewing them with `fetch` when they are due.
    /// Credentials that are due but still valid are returned at once while
    /// one renewal runs in the background; otherwise the caller waits for it.
    pub async fn get<F, Fut>(self: &Arc<Self>, fetch: F) -> Result<Arc<Entry>, Failure>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<Credentials, Failure>> + Send + 'static,
    {
        if let Some(entry) = self.fresh() {
            return Ok(entry);
        }
        if let Some(entry) = self.usable() {
            // `try_lock`: when a renewal already runs, it is the renewal.
            if let Ok(attempts) = self.renewal.clone().try_lock_owned()
                && attempts.recent_failure(self.retry_after).is_none()
            {
                let this = self.clone();
                tokio::spawn(async move { this.renew(attempts, fetch).await });
            }
            return Ok(entry);
        }
        // A task of its own, so that a client hanging up cannot abandon a
        // renewal halfway and leave the next request to start another.
        let this = self.clone();
        let waiting = tokio::spawn(async move {
            let attempts = this.renewal.clone().lock_owned().await;
            if let Some(entry) = this.usable() {
                return Ok(entry);
            }
            if let Some(failure) = attempts.recent_failure(this.retry_after) {
                return Err(failure);
            }
            this.renew(attempts, fetch).await
        });
        waiting
            .await
            .unwrap_or_else(|e| Err(format!("vault: credential renewal failed: {e}").into()))
    }

    async fn renew<F, Fut>(
        &self,
        mut attempts: OwnedMutexGuard<Attempts>,
        fetch: F,
    ) -> Result<Arc<Entry>, Failure>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, Failure>>,
    {
        match fetch().await {
            Ok(creds) => {
                let entry = Arc::new(Entry::new(creds, Utc::now(), self.min_ttl));
                self.store(entry.clone());
                attempts.failure = None;
                Ok(entry)
            }
            Err(failure) => {
                attempts.failure = Some((Instant::now(), failure.clone()));
                Err(failure)
            }
        }
    }

    fn usable(&self) -> Option<Arc<Entry>> {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        current.as_ref().filter(|e| e.usable(Utc::now())).cloned()
    }

    fn store(&self, entry: Arc<Entry>) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(entry);
    }
}

impl Attempts {
    fn recent_failure(&self, retry_after: Duration) -> Option<Failure> {
        self.failure
            .as_ref()
            .filter(|(at, _)| at.elapsed() < retry_after)
            .map(|(_, failure)| failure.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::creds::Secret;

    const MIN_TTL: chrono::Duration = chrono::Duration::minutes(5);

    fn creds(key: &str, valid_for: chrono::Duration) -> Credentials {
        Credentials {
            access_key_id: key.to_owned(),
            secret_access_key: Secret::new("SECRET"),
            session_token: Some(Secret::new("TOKEN")),
            expiration: Some(Utc::now() + valid_for),
        }
    }

    /// A fetch that counts its calls, takes a little time, and returns
    /// credentials named after the call number (or fails).
    fn counting(
        calls: &Arc<AtomicUsize>,
        ok: bool,
    ) -> impl FnOnce()
        -> std::pin::Pin<Box<dyn Future<Output = Result<Credentials, Failure>> + Send>>
    + Send
    + 'static {
        let calls = calls.clone();
        move || {
            Box::pin(async move {
                let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
                if ok {
                    Ok(creds(&format!("AKIA{n}"), chrono::Duration::hours(1)))
                } else {
                    Err("sts is down".into())
                }
            })
        }
    }

    #[test]
    fn renewal_time_is_min_ttl_before_expiry_but_not_in_the_first_half() {
        let t0 = Utc::now();
        let hour = chrono::Duration::hours(1);
        assert_eq!(renew_at(t0, t0 + hour, MIN_TTL), t0 + hour - MIN_TTL);
        // 15-minute credentials with a 14-minute minimum TTL: renewed halfway,
        // not on every request.
        let quarter = chrono::Duration::minutes(15);
        let due = renew_at(t0, t0 + quarter, chrono::Duration::minutes(14));
        assert_eq!(due, t0 + quarter / 2);
        // Already expired: due at once.
        assert!(renew_at(t0, t0 - hour, MIN_TTL) <= t0);
    }

    #[test]
    fn bodies_are_the_ecs_and_ec2_formats() {
        let entry = Entry::new(creds("AKIA1", chrono::Duration::hours(1)), Utc::now(), MIN_TTL);
        let ecs: serde_json::Value = serde_json::from_slice(&entry.ecs_body).unwrap();
        assert_eq!(ecs["AccessKeyId"], "AKIA1");
        assert_eq!(ecs["SecretAccessKey"], "SECRET");
        assert_eq!(ecs["Token"], "TOKEN");
        assert!(ecs["Expiration"].as_str().unwrap().ends_with('Z'));
        assert_eq!(ecs.as_object().unwrap().len(), 4);
        let ec2: serde_json::Value = serde_json::from_slice(&entry.ec2_body).unwrap();
        assert_eq!(
            (ec2["Code"].as_str(), ec2["Type"].as_str()),
            (Some("Success"), Some("AWS-HMAC"))
        );
        assert_eq!(ec2["Token"], "TOKEN");
        assert!(ec2["LastUpdated"].is_string());
    }

    #[test]
    fn credentials_without_expiry_are_announced_for_an_hour() {
        let t0 = Utc::now();
        let mut long_term = creds("AKIA1", chrono::Duration::hours(1));
        long_term.expiration = None;
        let entry = Entry::new(long_term, t0, MIN_TTL);
        assert_eq!(entry.expires, (t0 + NO_EXPIRY_LIFETIME).trunc_subsecs(0));
        assert_eq!(entry.renew_at, entry.expires - MIN_TTL);
    }

    #[test]
    fn a_fraction_of_a_second_is_not_served_past_the_stated_expiry() {
        let t0 = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap().to_utc();
        let mut c = creds("AKIA1", chrono::Duration::hours(1));
        c.expiration = Some(t0 + chrono::Duration::milliseconds(999));
        let entry = Entry::new(c, t0 - chrono::Duration::hours(1), MIN_TTL);
        let ecs: serde_json::Value = serde_json::from_slice(&entry.ecs_body).unwrap();
        assert_eq!(ecs["Expiration"], "2030-01-01T00:00:00Z");
        // Half a second later the body would say "expired": no longer handed out.
        assert!(!entry.usable(t0 + chrono::Duration::milliseconds(500)));
        assert!(entry.usable(t0 - chrono::Duration::milliseconds(1)));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_waiting_clients_share_one_fetch() {
        let cache = Renewing::new(MIN_TTL, Duration::from_secs(1));
        let calls = Arc::new(AtomicUsize::new(0));
        let waiting: Vec<_> = (0..50)
            .map(|_| {
                let (cache, fetch) = (cache.clone(), counting(&calls, true));
                tokio::spawn(async move { cache.get(fetch).await })
            })
            .collect();
        for w in waiting {
            assert_eq!(w.await.unwrap().unwrap().creds.access_key_id, "AKIA1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Fresh now: no more fetches.
        cache.get(counting(&calls, true)).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failure_is_shared_then_retried_after_a_pause() {
        let cache = Renewing::new(MIN_TTL, Duration::from_millis(300));
        let calls = Arc::new(AtomicUsize::new(0));
        let waiting: Vec<_> = (0..20)
            .map(|_| {
                let (cache, fetch) = (cache.clone(), counting(&calls, false));
                tokio::spawn(async move { cache.get(fetch).await })
            })
            .collect();
        for w in waiting {
            assert_eq!(&*w.await.unwrap().err().unwrap(), "sts is down");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1, "one fetch for all the waiting clients");
        assert!(cache.get(counting(&calls, true)).await.is_err(), "within the pause");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        tokio::time::sleep(Duration::from_millis(350)).await;
        let entry = cache.get(counting(&calls, true)).await.unwrap();
        assert_eq!(entry.creds.access_key_id, "AKIA2", "recovered");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn due_credentials_are_served_while_one_renewal_runs() {
        let cache = Renewing::new(MIN_TTL, Duration::from_secs(1));
        // Valid for 3 to 4 s (the expiry is a whole second), so due after at most 2 s
        // (half their life, as 4 s < 5 min).
        cache.seed(creds("AKIAOLD", chrono::Duration::seconds(4)));
        assert!(cache.fresh().is_some());
        tokio::time::sleep(Duration::from_millis(2100)).await;
        assert!(cache.fresh().is_none());
        let calls = Arc::new(AtomicUsize::new(0));
        for _ in 0..10 {
            let entry = cache.get(counting(&calls, true)).await.unwrap();
            assert_eq!(entry.creds.access_key_id, "AKIAOLD", "no waiting for the renewal");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(cache.fresh().unwrap().creds.access_key_id, "AKIA1");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_renewal_keeps_serving_valid_credentials() {
        let cache = Renewing::new(MIN_TTL, Duration::from_secs(60));
        // Valid 3 to 4 s (the expiry is a whole second), due for renewal after 2 s.
        cache.seed(creds("AKIAOLD", chrono::Duration::seconds(4)));
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let calls = Arc::new(AtomicUsize::new(0));
        assert_eq!(
            cache.get(counting(&calls, false)).await.unwrap().creds.access_key_id,
            "AKIAOLD"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            cache.get(counting(&calls, false)).await.unwrap().creds.access_key_id,
            "AKIAOLD"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1, "no retry within the pause");
    }
}
