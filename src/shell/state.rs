//! What the hook remembers between prompts, and the env diff that applies a
//! new set of variables and later restores exactly what was there before.
//!
//! The state travels as one non-exported shell variable, handed only to our
//! own process, because `prev` may hold a user's own long-term keys: an
//! exported variable would copy them into every child process.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::trust::FileStamp;

/// Every variable the hook may set or unset; a name outside this list
/// never reaches shell code, whatever the state says.
pub const MANAGED_VARS: [&str; 15] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "VAULT_PROFILE",
    "VAULT_EXPIRES_AT",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// The `.awsprofile` the current decision was made from, if any.
    #[serde(default)]
    pub file: Option<FileStamp>,
    /// The profile whose credentials are exported, if any.
    #[serde(default)]
    pub profile: Option<String>,
    /// Set by `vault use`: directory changes leave the profile alone.
    #[serde(default)]
    pub pinned: bool,
    #[serde(default)]
    pub expires_at: Option<i64>,
    /// When the next prompt should refresh (expiry minus the minimum TTL).
    #[serde(default)]
    pub refresh_at: Option<i64>,
    /// Variables we set or unset, with a short hash of the value we left,
    /// so a value the user changed since is recognised as theirs.
    #[serde(default)]
    pub managed: BTreeMap<String, String>,
    /// What each managed variable held before we touched it (None: unset).
    #[serde(default)]
    pub prev: BTreeMap<String, Option<String>>,
    /// The last notice shown, so it is said once and not at every prompt.
    #[serde(default)]
    pub notice: Option<String>,
    /// Why the last decision gave no profile (or not the one asked for),
    /// for `vault status`; cleared by the next decision.
    #[serde(default)]
    pub error: Option<String>,
    /// The trust records' token ([`crate::trust::TrustStore::generation`])
    /// the decision was made under: another changes it (`vault allow` or
    /// `deny` in another shell), and the next hook run decides again.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub trust: String,
    /// A [`fingerprint`] of the `.awsprofile`'s contents the decision was
    /// made on: an edit the stamp misses (the same size within the clock's
    /// granularity) is still seen.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file_sum: String,
    /// Keyless mode: this shell's token at the agent, to end it when the
    /// shell stops using the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Keyless mode: where the agent serves this shell's credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

// `prev` may hold the user's own secrets.
impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State")
            .field("file", &self.file)
            .field("profile", &self.profile)
            .field("pinned", &self.pinned)
            .field("expires_at", &self.expires_at)
            .field("refresh_at", &self.refresh_at)
            .field("managed", &self.managed.keys().collect::<Vec<_>>())
            .field("notice", &self.notice)
            .field("error", &self.error)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl State {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("state always serializes"))
    }

    /// A damaged or foreign value reads as a fresh state: the prompt must
    /// keep working whatever the variable holds. The names it holds are
    /// written into `export`/`unset` lines, so it is code in effect: only
    /// the names in [`MANAGED_VARS`] are kept, and the number of others
    /// dropped is returned, for the caller to say so.
    pub fn decode(text: &str) -> (State, usize) {
        let mut state: State = URL_SAFE_NO_PAD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let known = |k: &String| MANAGED_VARS.contains(&k.as_str());
        let foreign: std::collections::BTreeSet<&String> =
            state.managed.keys().chain(state.prev.keys()).filter(|k| !known(k)).collect();
        let dropped = foreign.len();
        state.managed.retain(|k, _| known(k));
        state.prev.retain(|k, _| known(k));
        (state, dropped)
    }

    /// Stops managing variables the user changed by hand since we set them,
    /// and returns their names.
    pub fn release_changed(&mut self, current: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
        let changed: Vec<String> = self
            .managed
            .iter()
            .filter(|(k, h)| fingerprint(current(k).as_deref()) != **h)
            .map(|(k, _)| k.clone())
            .collect();
        for key in &changed {
            self.managed.remove(key);
            self.prev.remove(key);
        }
        changed
    }

    /// The user's own values of the variables we set that still hold what
    /// we left in them (None: unset before): what a command other than the
    /// hook's reads in their place.
    pub fn own_values(
        &self,
        current: &dyn Fn(&str) -> Option<String>,
    ) -> BTreeMap<String, Option<String>> {
        self.managed
            .iter()
            .filter(|(k, h)| fingerprint(current(k).as_deref()) == **h)
            .map(|(k, _)| (k.clone(), self.prev.get(k).cloned().flatten()))
            .collect()
    }

    /// Whether every managed variable still holds what we left in it.
    pub fn untouched(&self, current: &dyn Fn(&str) -> Option<String>) -> bool {
        self.managed.iter().all(|(k, h)| fingerprint(current(k).as_deref()) == *h)
    }
}

/// A short digest of a value (or of "unset"). Not the value: secrets stay
/// out of the state even in this non-exported form.
pub fn fingerprint(value: Option<&str>) -> String {
    match value {
        None => "-".to_owned(),
        Some(v) => {
            let digest = Sha256::digest(v.as_bytes());
            crate::trust::hex(&digest[..8])
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Set(String, String),
    Unset(String),
}

/// Moves the environment to `desired` (every variable vault should manage,
/// with the value to set or None to unset), given the `current` values.
/// Variables managed before but not desired now get their previous values
/// back. A managed variable the user changed by hand is released: never set,
/// never restored, and named in the returned list.
pub fn apply(
    state: &mut State,
    desired: &BTreeMap<String, Option<String>>,
    current: &dyn Fn(&str) -> Option<String>,
) -> (Vec<Change>, Vec<String>) {
    let released = state.release_changed(current);

    let mut changes = Vec::new();
    let leaving: Vec<String> =
        state.managed.keys().filter(|k| !desired.contains_key(*k)).cloned().collect();
    for key in leaving {
        state.managed.remove(&key);
        let before = state.prev.remove(&key).flatten();
        push_change(&mut changes, &key, before, current(&key));
    }

    for (key, want) in desired {
        if released.contains(key) {
            continue;
        }
        if !state.managed.contains_key(key) {
            state.prev.insert(key.clone(), current(key));
        }
        state.managed.insert(key.clone(), fingerprint(want.as_deref()));
        push_change(&mut changes, key, want.clone(), current(key));
    }
    (changes, released)
}

fn push_change(changes: &mut Vec<Change>, key: &str, want: Option<String>, now: Option<String>) {
    if want == now {
        return;
    }
    changes.push(match want {
        Some(value) => Change::Set(key.to_owned(), value),
        None => Change::Unset(key.to_owned()),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    fn desired(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.map(str::to_owned))).collect()
    }

    /// Applies `changes` to a copy of `env`, as the shell would.
    fn run(env: &[(&str, &str)], changes: &[Change]) -> Vec<(String, String)> {
        let mut map: BTreeMap<String, String> =
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        for c in changes {
            match c {
                Change::Set(k, v) => map.insert(k.clone(), v.clone()),
                Change::Unset(k) => map.remove(k),
            };
        }
        map.into_iter().collect()
    }

    #[test]
    fn enter_then_leave_restores_byte_for_byte() {
        let before = [("AWS_PROFILE", "mine"), ("AWS_REGION", "it's \n odd"), ("OTHER", "x")];
        let mut state = State::default();
        let want = desired(&[
            ("AWS_ACCESS_KEY_ID", Some("ASIA1")),
            ("AWS_REGION", Some("eu-west-1")),
            ("AWS_PROFILE", None),
        ]);
        let (changes, released) = apply(&mut state, &want, &env_of(&before));
        assert!(released.is_empty());
        let inside = run(&before, &changes);
        let inside_ref: Vec<(&str, &str)> =
            inside.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert!(inside_ref.contains(&("AWS_ACCESS_KEY_ID", "ASIA1")));
        assert!(!inside_ref.iter().any(|(k, _)| *k == "AWS_PROFILE"));

        let (changes, _) = apply(&mut state, &BTreeMap::new(), &env_of(&inside_ref));
        let after = run(&inside_ref, &changes);
        let expected: Vec<(String, String)> =
            before.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut expected = expected;
        expected.sort();
        assert_eq!(after, expected);
        assert!(state.managed.is_empty() && state.prev.is_empty());
    }

    #[test]
    fn own_values_are_the_ones_before_for_what_still_holds_ours() {
        let before = [("AWS_PROFILE", "mine")];
        let mut state = State::default();
        let want = desired(&[
            ("AWS_REGION", Some("eu-west-1")),
            ("AWS_DEFAULT_REGION", Some("eu-west-1")),
            ("AWS_PROFILE", None),
        ]);
        let (changes, _) = apply(&mut state, &want, &env_of(&before));
        let mut inside = run(&before, &changes);
        // AWS_DEFAULT_REGION changed by hand since: the user's now.
        inside.retain(|(k, _)| k != "AWS_DEFAULT_REGION");
        inside.push(("AWS_DEFAULT_REGION".into(), "ap-south-1".into()));
        let inside: Vec<(&str, &str)> =
            inside.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let own = state.own_values(&env_of(&inside));
        let expected: BTreeMap<String, Option<String>> =
            [("AWS_PROFILE".to_owned(), Some("mine".to_owned())), ("AWS_REGION".to_owned(), None)]
                .into_iter()
                .collect();
        assert_eq!(own, expected);
    }

    #[test]
    fn a_value_changed_by_hand_is_released() {
        let mut state = State::default();
        let want = desired(&[("AWS_REGION", Some("eu-west-1")), ("AWS_PROFILE", None)]);
        apply(&mut state, &want, &env_of(&[("AWS_REGION", "us-east-1")]));
        // The user exports their own region while vault is active.
        let now = env_of(&[("AWS_REGION", "ap-south-1")]);
        assert!(!state.untouched(&now));
        let (changes, released) = apply(&mut state, &BTreeMap::new(), &now);
        assert_eq!(released, ["AWS_REGION"]);
        assert_eq!(changes, [], "the user's value stays, and AWS_PROFILE was already unset");
    }

    #[test]
    fn switching_profiles_keeps_the_first_previous_values() {
        let mut state = State::default();
        let orig = [("AWS_ACCESS_KEY_ID", "AKIAUSER")];
        let (c1, _) =
            apply(&mut state, &desired(&[("AWS_ACCESS_KEY_ID", Some("ASIA1"))]), &env_of(&orig));
        let mid = run(&orig, &c1);
        let mid_ref: Vec<(&str, &str)> =
            mid.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (c2, _) =
            apply(&mut state, &desired(&[("AWS_ACCESS_KEY_ID", Some("ASIA2"))]), &env_of(&mid_ref));
        assert_eq!(c2, [Change::Set("AWS_ACCESS_KEY_ID".into(), "ASIA2".into())]);
        let (c3, _) =
            apply(&mut state, &BTreeMap::new(), &env_of(&[("AWS_ACCESS_KEY_ID", "ASIA2")]));
        assert_eq!(c3, [Change::Set("AWS_ACCESS_KEY_ID".into(), "AKIAUSER".into())]);
    }

    #[test]
    fn state_round_trips_and_garbage_reads_as_empty() {
        let mut state = State { profile: Some("work".into()), pinned: true, ..Default::default() };
        state.prev.insert("AWS_SECRET_ACCESS_KEY".into(), Some("user-secret".into()));
        assert_eq!(State::decode(&state.encode()), (state.clone(), 0));
        assert_eq!(State::decode("not base64 !!"), (State::default(), 0));
        assert_eq!(State::decode(""), (State::default(), 0));
        assert!(!format!("{state:?}").contains("user-secret"));
    }

    #[test]
    fn names_vault_does_not_manage_are_dropped() {
        let mut state = State::default();
        state.managed.insert("AWS_REGION".into(), "-".into());
        state.managed.insert("X;touch /tmp/p;Y".into(), "-".into());
        state.prev.insert("PATH".into(), Some("/evil".into()));
        let (read, dropped) = State::decode(&state.encode());
        assert_eq!(dropped, 2);
        assert_eq!(read.managed.keys().collect::<Vec<_>>(), ["AWS_REGION"]);
        assert!(read.prev.is_empty());
    }
}
