//! Prompts driven on a real pseudo-terminal: what a person at a keyboard sees,
//! including Ctrl-C in the middle of a question.

mod common;

use std::fs;

use common::{PASSPHRASE, TempHome};

const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn add_on_pty(t: &TempHome, profile: &str) -> common::PtyRun {
    t.vault_on_pty(
        &[
            ("Enter Access Key Id: ", &format!("{KEY_ID}\r")),
            ("Enter Secret Key: ", &format!("{SECRET}\r")),
        ],
        &["add", profile],
    )
}

#[test]
fn add_asks_for_keys_and_hides_the_secret() {
    let t = TempHome::new();
    let run = add_on_pty(&t, "home");
    assert_eq!(run.code, 0, "{}", run.transcript);
    // The key id is echoed as typed; the secret is not.
    assert!(
        run.transcript.contains(&format!("Enter Access Key Id: {KEY_ID}")),
        "{}",
        run.transcript
    );
    assert!(!run.transcript.contains(SECRET), "secret echoed: {}", run.transcript);
    assert!(run.transcript.contains("Added credentials to profile \"home\" in vault"));
    assert_eq!(t.key_files(), ["home"]);
}

#[test]
fn ctrl_c_at_the_secret_prompt_cancels_cleanly() {
    let t = TempHome::new();
    let run = t.vault_on_pty(
        &[("Enter Access Key Id: ", &format!("{KEY_ID}\r")), ("Enter Secret Key: ", "wJal\u{3}")],
        &["add", "home"],
    );
    assert_eq!(run.code, 130, "{}", run.transcript);
    assert!(
        run.transcript.contains("vault: cancelled at the secret key prompt"),
        "{}",
        run.transcript
    );
    assert!(t.key_files().is_empty(), "nothing may be stored");
    assert!(!t.config_path().exists(), "config must not be touched");
}

#[test]
fn duplicate_add_asks_before_overwriting() {
    let t = TempHome::new();
    assert_eq!(add_on_pty(&t, "home").code, 0);
    let before = fs::read(t.keys_dir().join("home")).unwrap();

    let run = t.vault_on_pty(&[("overwrite? (y|N) ", "n\r")], &["add", "home"]);
    assert_eq!(run.code, 1, "{}", run.transcript);
    assert!(run.transcript.contains("kept the existing credentials"), "{}", run.transcript);
    assert!(!run.transcript.contains("Enter Access Key Id"), "asked for keys after a no");
    assert_eq!(fs::read(t.keys_dir().join("home")).unwrap(), before);

    let run = t.vault_on_pty(
        &[
            ("overwrite? (y|N) ", "y\r"),
            ("Enter Access Key Id: ", "AKIANEWKEY\r"),
            ("Enter Secret Key: ", "new-secret\r"),
        ],
        &["add", "home"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert_ne!(fs::read(t.keys_dir().join("home")).unwrap(), before);
}

#[test]
fn a_new_store_asks_for_its_passphrase_twice() {
    let t = TempHome::new();
    let (key_id, secret, pass) =
        (format!("{KEY_ID}\r"), format!("{SECRET}\r"), format!("{PASSPHRASE}\r"));
    let steps = [
        ("Enter Access Key Id: ", key_id.as_str()),
        ("Enter Secret Key: ", secret.as_str()),
        ("Enter passphrase to unlock", pass.as_str()),
        ("Enter the same passphrase again: ", "something else\r"),
    ];
    let run = t.vault_on_pty_env(&steps, &["add", "home"], &[]);
    assert_eq!(run.code, 1, "{}", run.transcript);
    assert!(run.transcript.contains("passphrases differ"), "{}", run.transcript);
    assert!(!run.transcript.contains(PASSPHRASE), "passphrase echoed");
    assert!(t.key_files().is_empty());

    let mut steps = steps;
    steps[3].1 = pass.as_str();
    // Kept from unlocking the agent, so the next command asks (tests/agent.rs covers that).
    let run = t.vault_on_pty_env(&steps, &["add", "home"], &[("VAULT_AGENT_AUTO_UNLOCK", "0")]);
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert_eq!(t.key_files(), ["home"]);

    // The next item is encrypted with the same passphrase: checked, and a
    // wrong one asked again, three times in all.
    let run = t.vault_on_pty_env(
        &[
            ("Enter Access Key Id: ", &format!("{KEY_ID}\r")),
            ("Enter Secret Key: ", &format!("{SECRET}\r")),
            ("Enter passphrase to unlock", "wrong one\r"),
            ("Wrong passphrase; enter passphrase to unlock", "wrong two\r"),
            ("Wrong passphrase; enter passphrase to unlock", "wrong three\r"),
        ],
        &["add", "work"],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.transcript);
    assert!(run.transcript.contains("passphrase"), "{}", run.transcript);
    assert_eq!(t.key_files(), ["home"]);
}

#[test]
fn ctrl_c_at_the_passphrase_prompt_stores_nothing() {
    let t = TempHome::new();
    let run = t.vault_on_pty_env(
        &[
            ("Enter Access Key Id: ", &format!("{KEY_ID}\r")),
            ("Enter Secret Key: ", &format!("{SECRET}\r")),
            ("Enter passphrase to unlock", "\u{3}"),
        ],
        &["add", "home"],
        &[],
    );
    assert_eq!(run.code, 130, "{}", run.transcript);
    assert!(t.key_files().is_empty());
}

/// The store's warnings are printed without `--debug`, once per command.
#[test]
fn store_warnings_reach_the_user_once_per_command() {
    use std::os::unix::fs::PermissionsExt;
    let t = TempHome::new();
    let add = |profile: &str| {
        t.vault()
            .args(["add", "--env", profile])
            .env("AWS_ACCESS_KEY_ID", KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .output()
            .unwrap()
    };
    // An item no passphrase opens: the one typed now cannot be checked.
    fs::create_dir_all(t.keys_dir()).unwrap();
    fs::set_permissions(t.keys_dir(), fs::Permissions::from_mode(0o700)).unwrap();
    fs::write(t.keys_dir().join("damaged"), "not a JWE token").unwrap();
    let out = add("first");
    let err = common::stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("the passphrase could not be checked").count(), 1, "{err}");
    assert!(err.contains("vault: warning: no item in "), "{err}");

    // A store folder others can read.
    fs::set_permissions(t.keys_dir(), fs::Permissions::from_mode(0o755)).unwrap();
    let out = add("second");
    let err = common::stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("is open to other users").count(), 1, "once per command: {err}");
    assert!(err.contains("chmod 700"), "{err}");
    assert!(!err.contains("debug"), "{err}");
}
