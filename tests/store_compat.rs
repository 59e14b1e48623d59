//! The file store is compatible with aws-vault's, proven against an independent
//! implementation: `tests/support/jwe_peer.py` builds and reads store directories from the
//! format description, with Python jwcrypto doing the JWE (PBES2-HS256+A128KW / A256GCM).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use vault::creds::{Credentials, Secret};
use vault::store::{
    CredentialKeyring, FileStore, Item, PassphraseSource, SessionKey, SessionKeyring, Store,
    StoreError,
};

const PASSPHRASE: &str = "pässwörd with spaces";

struct Fixed(&'static str);

impl PassphraseSource for Fixed {
    fn passphrase(&self, _dir: &Path, _creating: bool) -> Result<Secret, StoreError> {
        Ok(Secret::new(self.0))
    }
}

fn python() -> String {
    std::env::var("VAULT_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn peer_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/jwe_peer.py")
}

/// Runs the peer; fails the test with a pointer to the README's test command when Python or
/// jwcrypto is missing, since a skipped compatibility proof would look like a passing one.
fn peer(args: &[&str], passphrase: &str, stdin: &[u8]) -> Output {
    let python = python();
    let check = Command::new(&python).arg(peer_script()).arg("check").output();
    match check {
        Ok(out) if out.status.success() => {}
        _ => panic!(
            "{python} cannot import jwcrypto, which this test needs as an independent JWE implementation; \
             run the tests with `bash tests/run.sh` as the README says (it sets VAULT_TEST_PYTHON to a venv with jwcrypto)"
        ),
    }
    let mut child = Command::new(&python)
        .arg(peer_script())
        .args(args)
        .env("VAULT_PEER_PASSPHRASE", passphrase)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the jwe peer");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "jwe_peer.py {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

fn file_store(dir: &Path, passphrase: &'static str) -> FileStore {
    FileStore::new(dir.to_path_buf(), Box::new(Fixed(passphrase)))
}

#[test]
fn reads_a_store_written_by_jwcrypto() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("keys");
    let expires = Utc::now().timestamp() + 3600;
    let spec = json!({
        "credentials": [
            {"profile": "team/prod%1", "access_key_id": "AKIAPEER000000000001", "secret_access_key": "peer/secret+key=="},
            {"profile": "default", "access_key_id": "AKIAPEER000000000002", "secret_access_key": "s2"},
        ],
        "sessions": [{
            "kind": "sts.AssumeRole", "profile": "a,b ü", "mfa_serial": "arn:aws:iam::111111111111:mfa/me",
            "access_key_id": "ASIAPEER", "secret_access_key": "sess-secret", "session_token": "sess-token",
            "expiration": expires,
        }],
        "raw": [{"key": "oidc:https://x.awsapps.com/start", "data": "{\"Token\":{}}"}],
    });
    peer(&["write-store", dir.to_str().unwrap()], PASSPHRASE, spec.to_string().as_bytes());

    let store = file_store(&dir, PASSPHRASE);
    let creds = CredentialKeyring::new(&store);
    assert_eq!(creds.names().unwrap(), ["default", "team/prod%1"]);
    let got = creds.get("team/prod%1").unwrap().unwrap();
    assert_eq!(got, Credentials::long_term("AKIAPEER000000000001", "peer/secret+key=="));

    let sessions = SessionKeyring::new(&store);
    let mfa = "arn:aws:iam::111111111111:mfa/me";
    assert_eq!(
        sessions.list().unwrap(),
        [SessionKey::new("sts.AssumeRole", "a,b ü", mfa, at(expires))]
    );
    // The peer's session is read (its key and JSON parse) but not served: it does not say
    // which role, tags or source made it, and serving it for inputs that changed since would
    // hand out the wrong identity.
    let key = SessionKey::new("sts.AssumeRole", "a,b ü", mfa, at(expires)).to_string();
    let item = store.get(&key).unwrap().expect("the peer's session is readable");
    let data: Value = serde_json::from_slice(&item.data).unwrap();
    assert_eq!(data["AccessKeyId"], "ASIAPEER");
    assert_eq!(data["SessionToken"], "sess-token");
    let served =
        sessions.get("sts.AssumeRole", "a,b ü", mfa, "any shape", Duration::minutes(5), Utc::now());
    assert_eq!(served.unwrap(), None, "a session without vault's shape record is a miss");

    let oidc = store.get("oidc:https://x.awsapps.com/start").unwrap().unwrap();
    assert_eq!(oidc.data, br#"{"Token":{}}"#);

    let wrong = file_store(&dir, "not the passphrase");
    assert!(matches!(wrong.get("default"), Err(StoreError::WrongPassphrase { .. })));
}

#[test]
fn jwcrypto_reads_a_store_written_by_us() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("keys");
    let store = file_store(&dir, PASSPHRASE);
    let expires = Utc::now().timestamp() + 3600;
    CredentialKeyring::new(&store)
        .set("team/prod%1", &Credentials::long_term("AKIAOURS000000000001", "our/secret+key=="))
        .unwrap();
    let session = Credentials {
        session_token: Some(Secret::new("our-token")),
        expiration: Some(at(expires)),
        ..Credentials::long_term("ASIAOURS", "our-session-secret")
    };
    SessionKeyring::new(&store)
        .set("sts.GetSessionToken", "a,b ü", "", "the-shape", &session)
        .unwrap();
    store.set(Item::new("oidc:https://x.awsapps.com/start", b"{\"Token\":{}}".to_vec())).unwrap();

    let out = peer(&["read-store", dir.to_str().unwrap()], PASSPHRASE, b"");
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let session_key = SessionKey::new("sts.GetSessionToken", "a,b ü", "", at(expires)).to_string();
    let files: Vec<&str> = reports.iter().map(|r| r["file"].as_str().unwrap()).collect();
    let mut expected = vec![
        "oidc:https:%2F%2Fx.awsapps.com%2Fstart".to_owned(),
        session_key.clone(),
        "team%2Fprod%251".to_owned(),
    ];
    expected.sort();
    assert_eq!(files, expected, "one file per item, named as aws-vault names them");

    for report in &reports {
        assert!(report.get("error").is_none(), "jwcrypto could not open {report}");
        let header = &report["header"];
        assert_eq!(header["alg"], "PBES2-HS256+A128KW");
        assert_eq!(header["enc"], "A256GCM");
        assert_eq!(header["p2c"], 8192);
        let salt = header["p2s"].as_str().unwrap();
        assert_eq!(salt.len(), 16, "12 salt bytes, base64url without padding: {salt}");
        assert!(header["created"].as_str().unwrap().ends_with(" +0000 UTC"), "{header}");
        assert_eq!(report["item"]["Key"], report["key"], "{report}");
        assert_eq!(report["item"]["KeychainNotSynchronizable"], false);
    }
    let by_key = |key: &str| reports.iter().find(|r| r["key"] == key).unwrap();

    let cred = by_key("team/prod%1");
    assert_eq!(cred["item"]["Label"], "aws-vault (team/prod%1)");
    assert_eq!(cred["item"]["Description"], "");
    assert_eq!(cred["item"]["KeychainNotTrustApplication"], true);
    assert_eq!(
        cred["data"],
        json!({
            "AccessKeyID": "AKIAOURS000000000001", "SecretAccessKey": "our/secret+key==",
            "SessionToken": "", "Source": "", "CanExpire": false,
            "Expires": "0001-01-01T00:00:00Z", "AccountID": "",
        })
    );

    let sess = by_key(&session_key);
    let expiry = at(expires).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    assert_eq!(
        sess["session"],
        json!({"kind": "sts.GetSessionToken", "profile": "a,b ü", "mfa_serial": "", "expiration": expires})
    );
    assert_eq!(sess["item"]["Label"], format!("aws-vault session for a,b ü (expires {expiry})"));
    assert_eq!(sess["item"]["Description"], "aws-vault session");
    assert_eq!(sess["item"]["KeychainNotTrustApplication"], false);
    assert_eq!(
        sess["data"],
        json!({
            "AccessKeyId": "ASIAOURS", "Expiration": expiry,
            "SecretAccessKey": "our-session-secret", "SessionToken": "our-token",
            "VaultShape": "the-shape",
        })
    );

    assert_eq!(by_key("oidc:https://x.awsapps.com/start")["data"], json!({"Token": {}}));

    // And jwcrypto, too, refuses our files under another passphrase.
    let out = peer(&["read-store", dir.to_str().unwrap()], "not the passphrase", b"");
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(reports.iter().all(|r| r.get("error").is_some()), "{reports:?}");
}

/// The stronger key derivation of release builds (600000 PBKDF2 iterations,
/// under the 1300000 aws-vault's jose2go reads): jwcrypto, allowed that many,
/// opens it.
#[test]
fn jwcrypto_reads_an_item_written_with_the_release_iterations() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("keys");
    let store =
        file_store(&dir, PASSPHRASE).with_iterations(vault::store::file::RELEASE_ITERATIONS);
    CredentialKeyring::new(&store)
        .set("strong", &Credentials::long_term("AKIASTRONG0000000001", "strong-secret"))
        .unwrap();
    let out = Command::new(python())
        .arg(peer_script())
        .args(["read-store", dir.to_str().unwrap()])
        .env("VAULT_PEER_PASSPHRASE", PASSPHRASE)
        .env("VAULT_PEER_MAX_P2C", "600000")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].get("error").is_none(), "jwcrypto could not open {}", reports[0]);
    assert_eq!(reports[0]["header"]["p2c"], 600_000);
    assert_eq!(reports[0]["data"]["SecretAccessKey"], "strong-secret");
    // And this store reads it back.
    let again = file_store(&dir, PASSPHRASE);
    let creds = CredentialKeyring::new(&again).get("strong").unwrap().unwrap();
    assert_eq!(creds.secret_access_key.expose(), "strong-secret");
}
