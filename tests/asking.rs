//! What vault asks a person, and what it does with the answer, on a real
//! pseudo-terminal against moto: MFA codes are checked for their shape
//! before STS sees them (and asked again), `--mfa-token` too, a wrong
//! passphrase is asked again as `sudo` asks, and without a terminal a
//! locked store names `vault unlock` first.

mod common;

use std::process::{Command, Stdio};

use common::moto::Moto;
use common::{PASSPHRASE, TempHome, assert_one_line_error, stderr, vault_bin};

const KEY_ID: &str = "AKIAASKINGTEST000001";
const SECRET: &str = "askingTestSecret/0001+abcdefghijklmno";
const MFA: &str = "arn:aws:iam::123456789012:mfa/asking";
const ASKED: &str = "Enter MFA code for arn:aws:iam::123456789012:mfa/asking: ";

fn mfa_home() -> TempHome {
    let t = TempHome::with_config(&format!("[profile work]\nmfa_serial = {MFA}\n"));
    t.add_keys("work", KEY_ID, SECRET);
    t
}

/// The one GetSessionToken call got `code` (moto logs only its digest).
fn assert_sent(moto: &Moto, code: &str) {
    let calls: Vec<_> =
        moto.requests().into_iter().filter(|r| r.action == "GetSessionToken").collect();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].sent_secret("TokenCode", code), "STS got another code than {code}");
}

/// Bug 5: Enter, `abc` and `12` at the terminal are not codes: asked
/// again, saying why, and STS gets the third answer only.
#[test]
fn a_typed_code_that_is_not_six_digits_is_asked_again() {
    let (moto, t) = (Moto::start(), mfa_home());
    let url = moto.url();
    let env = [("AWS_VAULT_FILE_PASSPHRASE", PASSPHRASE), ("AWS_ENDPOINT_URL", url.as_str())];
    let steps = [(ASKED, "\r"), (ASKED, "abc\r"), (ASKED, " 654321 \r")];
    let run = t.vault_on_pty_env(&steps, &["export", "work"], &env);
    assert_eq!(run.code, 0, "{}", run.transcript);
    let again = run.transcript.matches("That was not a 6-digit code. Enter MFA code").count();
    assert_eq!(again, 2, "{}", run.transcript);
    assert_sent(&moto, "654321");

    // Three answers that are not codes: one line, and STS is never called.
    assert!(t.vault().arg("clear").output().unwrap().status.success());
    let steps = [(ASKED, "\r"), (ASKED, "12\r"), (ASKED, "1234567\r")];
    let run = t.vault_on_pty_env(&steps, &["export", "work"], &env);
    assert_eq!(run.code, 1, "{}", run.transcript);
    assert!(
        run.transcript.contains(&format!(
            "no MFA code after 3 tries: the code is the 6 digits your MFA device shows for {MFA}"
        )),
        "{}",
        run.transcript
    );
    assert_eq!(moto.count("GetSessionToken"), 1, "only the first run's call");
}

/// Bug 5: a `--mfa-token` that cannot be a code is one line before any
/// call, without echoing it; the store is not even opened.
#[test]
fn a_bad_mfa_token_is_refused_before_any_call() {
    let (moto, t) = (Moto::start(), mfa_home());
    for token in ["", "12", "abcdef", "1234567"] {
        let out = t
            .vault()
            .env("AWS_ENDPOINT_URL", moto.url())
            .env_remove("AWS_VAULT_FILE_PASSPHRASE")
            .args(["exec", "--mfa-token", token, "work", "--", "true"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let err = assert_one_line_error(&out, "--mfa-token must be the 6 digits your MFA device");
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(token.is_empty() || !err.contains(token), "the token echoed: {err}");
        assert!(!err.contains("passphrase"), "{err}");
    }
    assert_eq!(moto.requests().len(), 0, "{:?}", moto.requests());
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .args(["export", "--mfa-token", "123456", "work"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_sent(&moto, "123456");
}

/// Bug 4: `vault remove` asks (y|N): Enter and "no" keep the keys and
/// exit 0 saying so; "y" deletes.
#[test]
fn remove_asks_and_enter_keeps_the_keys() {
    let t = TempHome::new();
    t.add_keys("work", KEY_ID, SECRET);
    let asked = "Delete credentials for profile \"work\"? (y|N) ";
    for answer in ["\r", "n\r", "no\r"] {
        let run = t.vault_on_pty(&[(asked, answer)], &["remove", "work"]);
        assert_eq!(run.code, 0, "{answer:?}: {}", run.transcript);
        assert!(
            run.transcript.contains("Kept the credentials for profile \"work\"."),
            "{}",
            run.transcript
        );
        assert_eq!(t.key_files(), ["work"], "{answer:?}");
    }
    let run = t.vault_on_pty(&[(asked, "y\r")], &["remove", "work"]);
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert!(run.transcript.contains("Deleted credentials.\r\nDeleted 0 sessions."));
    assert!(t.key_files().is_empty());
}

/// A runtime folder of its own, so `vault unlock` talks to its own agent,
/// which `vault lock` ends when the test is done.
struct Runtime(tempfile::TempDir);

impl Runtime {
    fn new() -> Self {
        Runtime(tempfile::Builder::new().prefix("vault-run-").tempdir().unwrap())
    }

    fn path(&self) -> &str {
        self.0.path().to_str().unwrap()
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        let _ = Command::new(vault_bin())
            .arg("lock")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("XDG_RUNTIME_DIR", self.path())
            .output();
    }
}

/// Recovery 8: a wrong passphrase at `vault unlock` is asked again, up to
/// three times, as `sudo` and `ssh` do; three wrong ones end it.
#[test]
fn a_wrong_passphrase_is_asked_again_three_times() {
    let t = TempHome::new();
    t.add_keys("work", KEY_ID, SECRET);
    let runtime = Runtime::new();
    let env = [("XDG_RUNTIME_DIR", runtime.path())];
    let first = "Enter passphrase to unlock";
    let again = "Wrong passphrase; enter passphrase to unlock";
    let right = format!("{PASSPHRASE}\r");
    let steps = [(first, "wrong one\r"), (again, "wrong two\r"), (again, right.as_str())];
    let run = t.vault_on_pty_env(&steps, &["unlock"], &env);
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert!(run.transcript.contains("unlocked "), "{}", run.transcript);
    assert_eq!(run.transcript.matches(again).count(), 2, "{}", run.transcript);
    drop(runtime);

    let runtime = Runtime::new();
    let env = [("XDG_RUNTIME_DIR", runtime.path())];
    let steps = [(first, "wrong one\r"), (again, "wrong two\r"), (again, "wrong three\r")];
    let run = t.vault_on_pty_env(&steps, &["unlock"], &env);
    assert_eq!(run.code, 1, "{}", run.transcript);
    assert_eq!(run.transcript.matches(again).count(), 2, "asked three times: {}", run.transcript);
    assert!(run.transcript.contains("wrong passphrase"), "{}", run.transcript);

    // The same store read by a command (the path the hook's prompt takes).
    let steps = [(first, "wrong one\r"), (again, right.as_str())];
    let run = t.vault_on_pty_env(&steps, &["export", "--no-session", "work"], &env);
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert!(run.transcript.contains(KEY_ID), "{}", run.transcript);
}

/// Recovery 7: no terminal and a locked store: the error names `vault
/// unlock` first, then the variable and the dialogs.
#[test]
fn a_locked_store_without_a_terminal_names_unlock_first() {
    let t = TempHome::new();
    t.add_keys("work", KEY_ID, SECRET);
    let runtime = Runtime::new();
    let out = Command::new("setsid")
        .arg("--wait")
        .arg(vault_bin())
        .args(["export", "--no-session", "work"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &t.home)
        .env("XDG_RUNTIME_DIR", runtime.path())
        .stdin(Stdio::null())
        .current_dir(&t.home)
        .output()
        .unwrap();
    let err = assert_one_line_error(&out, "no terminal to ask for the file store passphrase on");
    let unlock = err.find("`vault unlock`").expect(&err);
    assert!(unlock < err.find("AWS_VAULT_FILE_PASSPHRASE").expect(&err), "{err}");
    assert!(err.contains("--prompt zenity"), "{err}");
}
