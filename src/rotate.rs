//! Replacing an IAM user's stored access key with a new one, in an order
//! that never leaves the user without a working key: the new key is stored
//! before the old one is deleted, a new key that cannot be stored is deleted
//! again, and the old key is deleted only once AWS accepts the new one.

use std::time::{Duration, Instant};

use crate::aws::{Iam, IamError, Target};
use crate::creds::Credentials;
use crate::store::{CredentialKeyring, SessionKeyring, Store};

/// The IAM operations a rotation needs; a trait so the failure paths can be
/// tested without AWS.
pub trait KeyService {
    /// `iam:CreateAccessKey` for `user`.
    fn create_key(&self, user: &str) -> Result<Credentials, IamError>;
    /// Ok once AWS accepts `key` (a new key takes seconds to spread).
    fn accepts(&self, key: &Credentials) -> Result<(), IamError>;
    /// `iam:DeleteAccessKey` for `user`'s key `key_id`.
    fn delete_key(&self, user: &str, key_id: &str) -> Result<(), IamError>;
}

/// The real service: IAM calls signed with the credentials chosen for the
/// rotation (keys, MFA session or role), and the new key checked with itself.
pub struct IamKeys {
    pub iam: Iam,
    pub target: Target,
}

impl KeyService for IamKeys {
    fn create_key(&self, user: &str) -> Result<Credentials, IamError> {
        self.iam.create_access_key(user)
    }

    fn accepts(&self, key: &Credentials) -> Result<(), IamError> {
        Iam::new(&self.target, key)?.check_accepted()
    }

    fn delete_key(&self, user: &str, key_id: &str) -> Result<(), IamError> {
        self.iam.delete_access_key(user, key_id)
    }
}

/// How long to keep trying a call that failed in a way that can heal (IAM
/// takes a few seconds to accept a new key everywhere): aws-vault's every
/// 2 seconds for up to 20.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub every: Duration,
    pub within: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Self { every: Duration::from_secs(2), within: Duration::from_secs(20) }
    }
}

impl Retry {
    fn run<T>(&self, mut call: impl FnMut() -> Result<T, IamError>) -> Result<T, IamError> {
        let start = Instant::now();
        loop {
            match call() {
                Ok(value) => return Ok(value),
                Err(e) if e.is_transient() && start.elapsed() + self.every <= self.within => {
                    log::debug!("retrying in {}s after: {e}", self.every.as_secs());
                    std::thread::sleep(self.every);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// `****************WXYZ`: how aws-vault shows key ids.
pub fn masked(key_id: &str) -> String {
    let tail: String = key_id.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("****************{tail}")
}

/// What has happened so far, for the command to report as it goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    Created {
        key_id: String,
    },
    Stored {
        profile: String,
    },
    SessionsCleared {
        profile: String,
        count: usize,
    },
    /// The old sessions stay cached; they expire on their own.
    SessionsKept {
        profile: String,
        reason: String,
    },
    Deleted {
        key_id: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error("could not create a new access key: {cause}; nothing was changed{}", limit_hint(cause))]
    Create { cause: IamError },
    #[error(
        "could not store the new access key {new}: {reason}; {}, and the old key {old} stays stored and active",
        match cleanup {
            None => "the new key was deleted in IAM again".to_owned(),
            Some(e) => format!("deleting it in IAM failed too ({e}): delete {new} in the IAM console"),
        }
    )]
    Store { new: String, old: String, reason: String, cleanup: Option<String> },
    #[error(
        "the new access key {new} is stored, but AWS did not accept it yet ({cause}), so the old key \
         {old} was not deleted: both keys are active; once `vault exec` works with the new one, \
         delete {old} in the IAM console or with `aws iam delete-access-key`"
    )]
    NotAccepted { new: String, old: String, cause: IamError },
    #[error(
        "the new access key {new} is stored and works, but the old key {old} could not be deleted \
         ({cause}): both keys are active; delete {old} in the IAM console or with \
         `aws iam delete-access-key`"
    )]
    Delete { new: String, old: String, cause: IamError },
}

fn limit_hint(err: &IamError) -> &'static str {
    if err.code() == Some("LimitExceeded") {
        " (an IAM user has at most two access keys: delete the unused one first)"
    } else {
        ""
    }
}

/// One rotation of the keys stored under `profile`.
pub struct Rotation<'a> {
    pub store: &'a dyn Store,
    /// The profile whose stored keys are replaced.
    pub profile: &'a str,
    /// The IAM user owning the keys.
    pub user: &'a str,
    /// The keys stored now.
    pub old: &'a Credentials,
    /// Profiles whose cached sessions were made from the old key.
    pub sessions_of: &'a [String],
    pub retry: Retry,
}

impl Rotation<'_> {
    /// Returns the new key's id.
    pub fn run(
        &self,
        keys: &dyn KeyService,
        progress: &mut dyn FnMut(Event),
    ) -> Result<String, RotateError> {
        let old_id = &self.old.access_key_id;
        let new = keys.create_key(self.user).map_err(|cause| RotateError::Create { cause })?;
        progress(Event::Created { key_id: new.access_key_id.clone() });

        if let Err(e) = CredentialKeyring::new(self.store).set(self.profile, &new) {
            // Its secret exists nowhere else now: an unusable key that only
            // takes one of the user's two key slots.
            let cleanup = self
                .retry
                .run(|| keys.delete_key(self.user, &new.access_key_id))
                .err()
                .map(|e| e.to_string());
            return Err(RotateError::Store {
                new: masked(&new.access_key_id),
                old: masked(old_id),
                reason: e.to_string(),
                cleanup,
            });
        }
        progress(Event::Stored { profile: self.profile.to_owned() });

        for profile in self.sessions_of {
            match SessionKeyring::new(self.store).remove_for_profile(profile) {
                Ok(count) => progress(Event::SessionsCleared { profile: profile.clone(), count }),
                Err(e) => progress(Event::SessionsKept {
                    profile: profile.clone(),
                    reason: e.to_string(),
                }),
            }
        }

        // Deleting the old key before AWS takes the new one would leave no
        // working key at all.
        self.retry.run(|| keys.accepts(&new)).map_err(|cause| RotateError::NotAccepted {
            new: masked(&new.access_key_id),
            old: masked(old_id),
            cause,
        })?;

        match self.retry.run(|| keys.delete_key(self.user, old_id)) {
            // Already gone (deleted elsewhere): the state we wanted.
            Err(e) if e.code() == Some("NoSuchEntity") => {
                log::debug!("the old key was already deleted: {e}")
            }
            Err(cause) => {
                return Err(RotateError::Delete {
                    new: masked(&new.access_key_id),
                    old: masked(old_id),
                    cause,
                });
            }
            Ok(()) => {}
        }
        progress(Event::Deleted { key_id: old_id.clone() });
        Ok(new.access_key_id)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::store::mem::MemStore;
    use crate::store::{Item, StoreError};

    const USER: &str = "alice";

    fn call_error(action: &'static str, code: &str) -> IamError {
        IamError::Call {
            action,
            code: Some(code.to_owned()),
            message: format!("{code}: from the fake"),
            transient: false,
        }
    }

    /// IAM as a list of keys, with scripted failures.
    #[derive(Default)]
    struct FakeIam {
        keys: RefCell<Vec<String>>,
        calls: RefCell<Vec<String>>,
        /// How many `accepts` calls answer InvalidClientTokenId first.
        unknown_for: RefCell<usize>,
        deny_delete: bool,
    }

    impl FakeIam {
        fn with_key(id: &str) -> Self {
            let fake = Self::default();
            fake.keys.borrow_mut().push(id.to_owned());
            fake
        }
    }

    impl KeyService for FakeIam {
        fn create_key(&self, user: &str) -> Result<Credentials, IamError> {
            self.calls.borrow_mut().push(format!("create {user}"));
            if self.keys.borrow().len() >= 2 {
                return Err(call_error("CreateAccessKey", "LimitExceeded"));
            }
            let id = format!("AKIANEW{:013}", self.keys.borrow().len());
            self.keys.borrow_mut().push(id.clone());
            Ok(Credentials::long_term(id, "new-secret"))
        }

        fn accepts(&self, key: &Credentials) -> Result<(), IamError> {
            self.calls.borrow_mut().push(format!("accepts {}", key.access_key_id));
            let mut unknown = self.unknown_for.borrow_mut();
            if *unknown > 0 {
                *unknown -= 1;
                return Err(call_error("GetUser", "InvalidClientTokenId"));
            }
            Ok(())
        }

        fn delete_key(&self, user: &str, key_id: &str) -> Result<(), IamError> {
            self.calls.borrow_mut().push(format!("delete {user} {key_id}"));
            if self.deny_delete {
                return Err(call_error("DeleteAccessKey", "AccessDenied"));
            }
            let mut keys = self.keys.borrow_mut();
            let before = keys.len();
            keys.retain(|k| k != key_id);
            if keys.len() == before {
                return Err(call_error("DeleteAccessKey", "NoSuchEntity"));
            }
            Ok(())
        }
    }

    /// A store that refuses writes of long-term keys, as a full disk would.
    struct ReadOnly(MemStore);

    impl Store for ReadOnly {
        fn backend_name(&self) -> &'static str {
            "read-only"
        }
        fn keys(&self) -> Result<Vec<String>, StoreError> {
            self.0.keys()
        }
        fn get(&self, key: &str) -> Result<Option<Item>, StoreError> {
            self.0.get(key)
        }
        fn set(&self, _: Item) -> Result<(), StoreError> {
            Err(StoreError::Invalid("the disk is full".to_owned()))
        }
        fn remove(&self, key: &str) -> Result<bool, StoreError> {
            self.0.remove(key)
        }
    }

    const OLD: &str = "AKIAOLD0000000000001";
    const NO_WAIT: Retry = Retry { every: Duration::ZERO, within: Duration::from_secs(5) };

    fn store_with_old() -> MemStore {
        let store = MemStore::default();
        CredentialKeyring::new(&store).set("work", &Credentials::long_term(OLD, "old")).unwrap();
        let session = Credentials {
            session_token: Some(crate::creds::Secret::new("t")),
            expiration: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
            ..Credentials::long_term("ASIA1", "s")
        };
        SessionKeyring::new(&store)
            .set("sts.GetSessionToken", "work", "", "shape", &session)
            .unwrap();
        store
    }

    fn rotation<'a>(
        store: &'a dyn Store,
        old: &'a Credentials,
        chain: &'a [String],
    ) -> Rotation<'a> {
        Rotation { store, profile: "work", user: USER, old, sessions_of: chain, retry: NO_WAIT }
    }

    fn stored_id(store: &dyn Store) -> String {
        CredentialKeyring::new(store).get("work").unwrap().unwrap().access_key_id
    }

    #[test]
    fn the_new_key_replaces_the_old_one_everywhere() {
        let store = store_with_old();
        let old = Credentials::long_term(OLD, "old");
        let chain = ["admin".to_owned(), "work".to_owned()];
        let iam = FakeIam::with_key(OLD);
        *iam.unknown_for.borrow_mut() = 2;
        let mut events = Vec::new();
        let new = rotation(&store, &old, &chain).run(&iam, &mut |e| events.push(e)).unwrap();

        assert_eq!(stored_id(&store), new);
        assert_eq!(*iam.keys.borrow(), std::slice::from_ref(&new));
        assert!(SessionKeyring::new(&store).list().unwrap().is_empty());
        assert_eq!(
            events,
            [
                Event::Created { key_id: new.clone() },
                Event::Stored { profile: "work".into() },
                Event::SessionsCleared { profile: "admin".into(), count: 0 },
                Event::SessionsCleared { profile: "work".into(), count: 1 },
                Event::Deleted { key_id: OLD.into() },
            ]
        );
        // Two refusals while the key spreads, then the delete.
        let calls = iam.calls.borrow();
        assert_eq!(calls.iter().filter(|c| c.starts_with("accepts")).count(), 3);
        assert_eq!(calls.last().unwrap(), &format!("delete {USER} {OLD}"));
    }

    #[test]
    fn a_key_that_cannot_be_stored_is_deleted_again() {
        let store = ReadOnly(store_with_old());
        let old = Credentials::long_term(OLD, "old");
        let iam = FakeIam::with_key(OLD);
        let err = rotation(&store, &old, &[]).run(&iam, &mut |_| {}).unwrap_err();

        assert_eq!(*iam.keys.borrow(), [OLD], "the new key is gone, the old one kept");
        assert_eq!(stored_id(&store), OLD);
        let msg = err.to_string();
        assert!(msg.contains("the disk is full") && msg.contains("deleted in IAM again"), "{msg}");
        assert!(msg.contains("****************0001 stays stored and active"), "{msg}");
        assert!(!msg.contains("new-secret"), "{msg}");
    }

    #[test]
    fn a_failed_cleanup_names_the_orphan_key() {
        let store = ReadOnly(store_with_old());
        let old = Credentials::long_term(OLD, "old");
        let iam = FakeIam { deny_delete: true, ..FakeIam::with_key(OLD) };
        let msg = rotation(&store, &old, &[]).run(&iam, &mut |_| {}).unwrap_err().to_string();
        assert!(
            msg.contains("deleting it in IAM failed too")
                && msg.contains("delete ****************0001 in the IAM console"),
            "{msg}"
        );
        assert_eq!(stored_id(&store), OLD);
    }

    #[test]
    fn an_old_key_that_cannot_be_deleted_leaves_both_working() {
        let store = store_with_old();
        let old = Credentials::long_term(OLD, "old");
        let iam = FakeIam { deny_delete: true, ..FakeIam::with_key(OLD) };
        let err = rotation(&store, &old, &[]).run(&iam, &mut |_| {}).unwrap_err();
        let new = stored_id(&store);
        assert_ne!(new, OLD);
        assert_eq!(iam.keys.borrow().len(), 2, "both keys stay active");
        let msg = err.to_string();
        assert!(msg.contains("AccessDenied") && msg.contains("both keys are active"), "{msg}");
        // AccessDenied cannot heal: one attempt, no retries.
        assert_eq!(iam.calls.borrow().iter().filter(|c| c.starts_with("delete")).count(), 1);
    }

    #[test]
    fn the_old_key_stays_until_aws_accepts_the_new_one() {
        let store = store_with_old();
        let old = Credentials::long_term(OLD, "old");
        let iam = FakeIam::with_key(OLD);
        *iam.unknown_for.borrow_mut() = usize::MAX;
        let mut r = rotation(&store, &old, &[]);
        r.retry = Retry { every: Duration::from_millis(10), within: Duration::from_millis(50) };
        let msg = r.run(&iam, &mut |_| {}).unwrap_err().to_string();
        assert!(msg.contains("did not accept it yet") && msg.contains("was not deleted"), "{msg}");
        assert!(iam.keys.borrow().contains(&OLD.to_owned()));
        assert!(iam.calls.borrow().iter().all(|c| !c.starts_with("delete")));
    }

    #[test]
    fn a_full_user_gets_a_hint() {
        let store = store_with_old();
        let old = Credentials::long_term(OLD, "old");
        let iam = FakeIam::with_key(OLD);
        iam.keys.borrow_mut().push("AKIASECOND".to_owned());
        let msg = rotation(&store, &old, &[]).run(&iam, &mut |_| {}).unwrap_err().to_string();
        assert!(msg.contains("LimitExceeded") && msg.contains("at most two access keys"), "{msg}");
        assert!(msg.contains("nothing was changed"), "{msg}");
        assert_eq!(stored_id(&store), OLD);
    }

    #[test]
    fn key_ids_are_masked_like_aws_vault() {
        assert_eq!(masked("AKIAIOSFODNN7EXAMPLE"), "****************MPLE");
        assert_eq!(masked("AB"), "****************AB");
    }
}
