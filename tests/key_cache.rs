//! The derived-key cache of the file store (src/store/kek_cache.rs) with the
//! passphrase in the environment, against the real kernel keyring: a second
//! read opens items with the kept keys, a changed passphrase is refused as
//! wrong rather than answered from them, `VAULT_FILE_KEY_CACHE=0` keeps
//! nothing, and no process is left behind.

mod common;

use std::process::Command;

use common::{TempHome, stderr, stdout};

const KEY_ID: &str = "AKIAKEYCACHETEST0001";
const SECRET: &str = "keyCacheSecret/0001+abcdefghijklmnopqrst";

fn export(t: &TempHome, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = t.vault();
    cmd.args(["--debug", "export", "--no-session", "--format=json", "t"]).envs(env.iter().copied());
    cmd.output().unwrap()
}

/// The descriptions of this user's kept keys whose salt is in `salts`.
fn kept(salts: &[String]) -> Vec<String> {
    let out = Command::new("keyctl").args(["rlist", "@u"]).output().expect("keyctl (keyutils)");
    let ids = stdout(&out);
    ids.split_whitespace()
        .filter_map(|id| {
            let d = Command::new("keyctl").args(["rdescribe", id]).output().ok()?;
            let text = stdout(&d).trim().to_owned();
            salts.iter().any(|s| text.contains(s.as_str())).then_some(text)
        })
        .collect()
}

/// The hex salts (`p2s`) of the items in the store.
fn salts(t: &TempHome) -> Vec<String> {
    use base64::Engine as _;
    t.key_files()
        .iter()
        .map(|f| {
            let token = std::fs::read_to_string(t.keys_dir().join(f)).unwrap();
            let header = token.split('.').next().unwrap();
            let header = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header).unwrap();
            let header: serde_json::Value = serde_json::from_slice(&header).unwrap();
            let salt = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(header["p2s"].as_str().unwrap())
                .unwrap();
            salt.iter().map(|b| format!("{b:02x}")).collect()
        })
        .collect()
}

#[test]
fn a_passphrase_from_the_environment_derives_each_key_once() {
    if !common::peers::require_peer("keyctl") {
        return;
    }
    let t = TempHome::with_config("[profile t]\n");
    t.add_keys("t", KEY_ID, SECRET);
    let salts = salts(&t);
    let first = export(&t, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains(KEY_ID));
    let entries = kept(&salts);
    assert_eq!(entries.len(), 1, "one kept key for the one item read: {entries:?}");
    // `keyctl rdescribe`: type;uid;gid;perm;description. Only this user may use it.
    let fields: Vec<&str> = entries[0].split(';').collect();
    assert_eq!(fields[0], "user");
    assert!(fields[3].ends_with("0000"), "no group or other permission: {}", fields[3]);

    let second = export(&t, &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(stdout(&second), stdout(&first));
    assert!(
        stderr(&second).contains("opened an item with a derived key kept in the user keyring"),
        "{}",
        stderr(&second)
    );

    // Another passphrase finds the entry but not the key: refused as wrong.
    let wrong = export(&t, &[("AWS_VAULT_FILE_PASSPHRASE", "not the passphrase")]);
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("wrong passphrase"), "{}", stderr(&wrong));
    assert!(!stdout(&wrong).contains(KEY_ID));
}

#[test]
fn the_cache_can_be_turned_off_and_leaves_no_process() {
    if !common::peers::require_peer("keyctl") {
        return;
    }
    let t = TempHome::with_config("[profile t]\n");
    t.add_keys("t", KEY_ID, SECRET);
    let salts = salts(&t);
    for _ in 0..2 {
        let out = export(&t, &[("VAULT_FILE_KEY_CACHE", "0")]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!stderr(&out).contains("kept in the user keyring"));
    }
    assert!(kept(&salts).is_empty());
    // Nothing keeps running for the cache's sake (a CI job ends clean): no
    // process lives on with this test's HOME.
    let needle = format!("HOME={}\0", t.home.display());
    let left: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let environ = std::fs::read(e.path().join("environ")).ok()?;
            String::from_utf8_lossy(&environ)
                .contains(&needle)
                .then(|| e.path().display().to_string())
        })
        .collect();
    assert!(left.is_empty(), "left running: {left:?}");
}
