//! `vault rotate` against moto's IAM: the stored key is replaced, the old one
//! is gone in IAM, and the new one works; with moto's authorization on, the
//! usage guide's minimal policy is enough; and each failure path keeps a
//! working key.

mod common;

use std::process::Output;

use common::moto::{Moto, MotoRequest};
use common::{TempHome, assert_one_line_error, stderr, stdout};

const USER: &str = "rotator";
/// Any key works for the unauthenticated setup calls.
const SETUP_KEY: (&str, &str) = ("AKIASETUPSETUPSETUP0", "setup-secret");

/// The usage guide's minimal policy, with one change moto needs: moto does
/// not evaluate IAM's Resource element (every request's resource is "*"),
/// so `arn:aws:iam::*:user/${aws:username}` would match nothing there. The
/// actions, which moto does check, are exactly the guide's.
fn minimal_policy(actions: &[&str]) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": "*" }]
    })
    .to_string()
}

const MINIMAL: [&str; 3] = ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:GetUser"];

struct Setup {
    moto: Moto,
    t: TempHome,
    old_id: String,
    old_secret: String,
    /// moto requests made by the setup, left out of `requests`.
    skip: usize,
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}{}", stdout(out), stderr(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

/// The user `rotator` with one key, stored under profile `work`. With a
/// policy, three setup actions run before moto's authorization starts.
fn setup(moto: Moto, policy: Option<&str>, config: &str) -> Setup {
    let (k, s) = SETUP_KEY;
    assert!(moto.aws(k, s, &["iam", "create-user", "--user-name", USER]).status.success());
    if let Some(policy) = policy {
        let out = moto.aws(
            k,
            s,
            &[
                "iam",
                "put-user-policy",
                "--user-name",
                USER,
                "--policy-name",
                "rotate-own-keys",
                "--policy-document",
                policy,
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let key = json(&moto.aws(k, s, &["iam", "create-access-key", "--user-name", USER]));
    let old_id = key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned();
    let old_secret = key["AccessKey"]["SecretAccessKey"].as_str().unwrap().to_owned();

    let t = TempHome::with_config(config);
    t.add_keys("work", &old_id, &old_secret);
    let skip = moto.requests().len();
    Setup { moto, t, old_id, old_secret, skip }
}

impl Setup {
    fn vault(&self, args: &[&str]) -> Output {
        let out =
            self.t.vault().env("AWS_ENDPOINT_URL", self.moto.url()).args(args).output().unwrap();
        self.assert_no_secrets(&out);
        out
    }

    fn assert_no_secrets(&self, out: &Output) {
        for text in [stdout(out), stderr(out)] {
            assert!(!text.contains(&self.old_secret), "old secret leaked: {text}");
            assert!(!text.contains(&self.old_id), "key ids are shown masked: {text}");
        }
    }

    fn requests(&self) -> Vec<MotoRequest> {
        self.moto.requests().split_off(self.skip)
    }

    /// The key stored for `work` now: `export --no-session` hands it out.
    fn stored_key(&self) -> (String, String) {
        // Not through `vault()`: printing the stored secret is the point here.
        let out = self
            .t
            .vault()
            .args(["export", "--no-session", "--format=json", "work"])
            .output()
            .unwrap();
        let creds = json(&out);
        (
            creds["AccessKeyId"].as_str().unwrap().to_owned(),
            creds["SecretAccessKey"].as_str().unwrap().to_owned(),
        )
    }

    /// The user's access key ids in IAM (asked with setup keys, so only
    /// where moto's authorization is off).
    fn keys_in_iam(&self) -> Vec<String> {
        let (k, s) = SETUP_KEY;
        let list = json(&self.moto.aws(k, s, &["iam", "list-access-keys", "--user-name", USER]));
        list["AccessKeyMetadata"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["AccessKeyId"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Who AWS says a key belongs to (`sts get-caller-identity`, which every
    /// valid key may call): Err with the aws CLI's error for a dead key.
    fn identity(&self, key: &(String, String)) -> Result<String, String> {
        let out = self.moto.aws(&key.0, &key.1, &["sts", "get-caller-identity"]);
        if out.status.success() {
            Ok(json(&out)["Arn"].as_str().unwrap().to_owned())
        } else {
            Err(stderr(&out))
        }
    }
}

fn masked(id: &str) -> String {
    format!("****************{}", &id[id.len() - 4..])
}

const USER_ARN: &str = "arn:aws:iam::123456789012:user/rotator";

#[test]
fn rotation_replaces_the_key_in_the_store_and_in_iam() {
    let s = setup(Moto::start(), None, "[profile work]\nregion = eu-west-1\n");
    // A cached session made from the old key, which must not survive.
    assert!(s.vault(&["export", "work"]).status.success());
    assert!(s.t.key_files().iter().any(|f| f.starts_with("sts.GetSessionToken,")));

    let out = s.vault(&["rotate", "work"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let new = s.stored_key();
    assert_ne!(new.0, s.old_id);
    assert_eq!(s.keys_in_iam(), std::slice::from_ref(&new.0), "the old key is gone in IAM");
    assert!(s.t.key_files().iter().all(|f| !f.starts_with("sts.")), "{:?}", s.t.key_files());

    let text = stdout(&out);
    assert!(text.contains(&masked(&s.old_id)) && text.contains(&masked(&new.0)), "{text}");
    assert!(text.contains("Deleted 1 cached session of profile \"work\""), "{text}");
    assert!(!text.contains(&new.1), "new secret printed: {text}");

    // No session: without MFA, AWS refuses IAM calls from session keys.
    let calls: Vec<(String, Option<String>)> = s
        .requests()
        .into_iter()
        .skip(1) // the export above
        .take(4)
        .map(|r| (r.action, r.access_key_id))
        .collect();
    let old = Some(s.old_id.clone());
    let fresh = Some(new.0.clone());
    assert_eq!(
        calls,
        [
            ("GetUser".to_owned(), old.clone()),
            ("CreateAccessKey".to_owned(), old.clone()),
            ("GetUser".to_owned(), fresh),
            ("DeleteAccessKey".to_owned(), old),
        ]
    );
    let delete = s.requests().into_iter().find(|r| r.action == "DeleteAccessKey").unwrap();
    assert_eq!(delete.param("AccessKeyId"), Some(s.old_id.as_str()));
    assert_eq!(delete.param("UserName"), Some(USER));

    // `exec` works with the new key: moto knows it as the user's.
    let out = s
        .t
        .vault()
        .env("AWS_ENDPOINT_URL", s.moto.url())
        .args(["exec", "--no-session", "work", "--"])
        .arg(common::moto::aws_cli())
        .args(["--endpoint-url", &s.moto.url(), "sts", "get-caller-identity", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["Arn"], USER_ARN);
}

#[test]
fn the_minimal_policy_is_enough() {
    // Three unauthenticated actions: create-user, put-user-policy and
    // create-access-key; everything vault does is checked.
    let policy = minimal_policy(&MINIMAL);
    let s = setup(Moto::start_with_auth(3), Some(&policy), "[profile work]\n");
    let old = (s.old_id.clone(), s.old_secret.clone());
    assert_eq!(s.identity(&old).as_deref(), Ok(USER_ARN));

    let out = s.vault(&["rotate", "work"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(s.requests().iter().all(|r| r.status == 200), "{:#?}", s.requests());

    let new = s.stored_key();
    assert_ne!(new.0, old.0);
    assert_eq!(s.identity(&new).as_deref(), Ok(USER_ARN), "the new key works");
    let gone = s.identity(&old).unwrap_err();
    assert!(gone.contains("InvalidClientTokenId"), "the old key is deleted: {gone}");
}

#[test]
fn a_new_key_that_cannot_be_stored_is_deleted_and_the_old_one_kept() {
    let s = setup(Moto::start(), None, "[profile work]\n");
    // A file size limit of 0 makes the store's write fail (EFBIG) even for
    // root, as a full disk would; everything before it writes no file.
    let out = s.t.vault_shell(&format!(
        "trap '' XFSZ; ulimit -f 0; AWS_ENDPOINT_URL={} exec '{}' rotate work",
        s.moto.url(),
        common::vault_bin().display()
    ));
    s.assert_no_secrets(&out);
    let err = assert_one_line_error(&out, "could not store the new access key");
    assert!(err.contains("deleted in IAM again"), "{err}");
    assert!(err.contains(&format!("{} stays stored and active", masked(&s.old_id))), "{err}");

    assert_eq!(s.keys_in_iam(), std::slice::from_ref(&s.old_id), "only the old key is left in IAM");
    assert_eq!(s.stored_key().0, s.old_id);
    let actions: Vec<String> = s.requests().into_iter().map(|r| r.action).collect();
    assert_eq!(actions[..3], ["GetUser", "CreateAccessKey", "DeleteAccessKey"]);
    let delete = &s.requests()[2];
    assert_ne!(delete.param("AccessKeyId"), Some(s.old_id.as_str()), "the new key was deleted");
}

#[test]
fn an_old_key_that_cannot_be_deleted_leaves_both_usable() {
    let policy = minimal_policy(&["iam:CreateAccessKey", "iam:GetUser"]);
    let s = setup(Moto::start_with_auth(3), Some(&policy), "[profile work]\n");
    let out = s.vault(&["rotate", "work"]);
    let err = assert_one_line_error(&out, "could not be deleted");
    assert!(err.contains("AccessDenied") && err.contains("both keys are active"), "{err}");
    assert!(err.contains(&masked(&s.old_id)), "{err}");

    let new = s.stored_key();
    assert_ne!(new.0, s.old_id, "the new key is stored");
    assert_eq!(s.identity(&new).as_deref(), Ok(USER_ARN));
    let old = (s.old_id.clone(), s.old_secret.clone());
    assert_eq!(s.identity(&old).as_deref(), Ok(USER_ARN), "the old key still works");
    // AccessDenied cannot heal: no retries.
    assert_eq!(s.requests().iter().filter(|r| r.action == "DeleteAccessKey").count(), 1);
}

#[test]
fn a_role_profile_rotates_its_source_keys_through_the_role() {
    let s = setup(
        Moto::start(),
        None,
        "[profile work]\n[profile admin]\nsource_profile = work\n\
         role_arn = arn:aws:iam::123456789012:role/key-admin\n",
    );
    let out = s.vault(&["rotate", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("profile \"work\"") && text.contains("session of profile \"admin\""));

    let reqs = s.requests();
    let actions: Vec<&str> = reqs.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["GetUser", "AssumeRole", "CreateAccessKey", "GetUser", "DeleteAccessKey"]);
    // The user name is asked with the user's own keys; the changes are made
    // by the role, naming the user.
    assert_eq!(reqs[0].access_key_id.as_deref(), Some(s.old_id.as_str()));
    let role_key = reqs[2].access_key_id.clone().unwrap();
    assert_ne!(role_key, s.old_id);
    assert_eq!(reqs[4].access_key_id.as_deref(), Some(role_key.as_str()));
    assert_eq!(reqs[2].param("UserName"), Some(USER));

    let new = s.stored_key();
    assert_eq!(s.keys_in_iam(), [new.0]);
}

#[test]
fn an_mfa_profile_rotates_through_a_fresh_mfa_session() {
    let mfa = "arn:aws:iam::123456789012:mfa/rotator";
    let s = setup(
        Moto::start(),
        None,
        &format!("[profile work]\nmfa_serial = {mfa}\nmfa_process = echo 123456\n"),
    );
    // A cached session is not reused: rotate bypasses the cache.
    assert!(s.vault(&["export", "work"]).status.success());
    let out = s.vault(&["rotate", "work"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = s.requests();
    let actions: Vec<&str> = reqs.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "GetSessionToken",
            "GetUser",
            "GetSessionToken",
            "CreateAccessKey",
            "GetUser",
            "DeleteAccessKey"
        ]
    );
    assert_eq!(reqs[2].param("SerialNumber"), Some(mfa));
    assert_ne!(reqs[3].access_key_id.as_deref(), Some(s.old_id.as_str()), "signed by the session");

    // --no-session signs with the keys themselves, and asks for no code.
    let before = s.requests().len();
    let out = s.vault(&["rotate", "--no-session", "work"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = s.requests().split_off(before);
    assert!(reqs.iter().all(|r| r.action != "GetSessionToken"), "{reqs:#?}");
    assert_eq!(s.keys_in_iam().len(), 1);
}

#[test]
fn profiles_without_stored_keys_have_nothing_to_rotate() {
    let s = setup(
        Moto::start(),
        None,
        "[profile work]\n[profile proc]\ncredential_process = /bin/false\n",
    );
    let out = s.vault(&["rotate", "proc"]);
    assert_one_line_error(&out, "no key to rotate");
    let out = s.vault(&["rotate", "nope"]);
    assert_one_line_error(&out, "profile \"nope\" not found");
    assert!(s.requests().is_empty());
}
