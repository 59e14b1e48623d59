//! Tests of the moto harness itself (tests/common/moto.rs and
//! tests/support/moto_peer.py), driven with the real `aws` CLI, so the
//! integration tests built on it can trust its counts and its auth mode.

// Included directly until tests/common/mod.rs declares `pub mod moto;`.
#[path = "common/moto.rs"]
mod moto;

use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use moto::Moto;

const KEY_ID: &str = "AKIAHARNESSTEST00001";
const SECRET: &str = "harness-secret";
const MFA_ARN: &str = "arn:aws:iam::123456789012:mfa/tester";

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_ok(out: &Output) -> String {
    assert!(out.status.success(), "aws failed: {}{}", stdout(out), stderr(out));
    stdout(out)
}

fn json(out: &Output) -> serde_json::Value {
    let text = assert_ok(out);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn sts_calls_are_served_and_logged() {
    let m = Moto::start();
    assert!(m.url().starts_with("http://127.0.0.1:"), "{}", m.url());
    assert!(m.requests().is_empty());

    let id = json(&m.aws(KEY_ID, SECRET, &["sts", "get-caller-identity"]));
    assert_eq!(id["Account"], "123456789012", "{id}");

    let session = json(&m.aws(
        KEY_ID,
        SECRET,
        &[
            "sts",
            "get-session-token",
            "--serial-number",
            MFA_ARN,
            "--token-code",
            "123456",
            "--duration-seconds",
            "3600",
        ],
    ));
    assert!(session["Credentials"]["SessionToken"].is_string(), "{session}");

    assert_eq!(m.count("GetSessionToken"), 1);
    assert_eq!(m.count("GetCallerIdentity"), 1);
    assert_eq!(m.count("AssumeRole"), 0);
    let reqs = m.requests();
    assert_eq!(reqs.len(), 2, "{reqs:#?}");
    let gst = &reqs[1];
    assert_eq!(gst.action, "GetSessionToken");
    assert_eq!(gst.service, "sts");
    assert_eq!(gst.status, 200);
    assert_eq!(gst.access_key_id.as_deref(), Some(KEY_ID));
    assert_eq!(gst.param("SerialNumber"), Some(MFA_ARN));
    assert_eq!(gst.param("DurationSeconds"), Some("3600"));
    // The MFA code was sent, but the log only says so.
    assert_eq!(gst.param("TokenCode"), None, "{gst:?}");
    assert_eq!(gst.redacted, ["TokenCode"]);
}

#[test]
fn iam_calls_are_logged_and_reset_wipes_state() {
    let m = Moto::start();
    assert_ok(&m.aws(KEY_ID, SECRET, &["iam", "create-user", "--user-name", "alice"]));
    assert_ok(&m.aws(KEY_ID, SECRET, &["iam", "get-user", "--user-name", "alice"]));

    m.reset();
    let gone = m.aws(KEY_ID, SECRET, &["iam", "get-user", "--user-name", "alice"]);
    assert!(!gone.status.success());
    assert!(stderr(&gone).contains("NoSuchEntity"), "{}", stderr(&gone));

    // The log survives the reset and records the failure's status; the
    // reset itself (a /moto-api/ call) is not an AWS request.
    let reqs = m.requests();
    let summary: Vec<(&str, &str, u16)> =
        reqs.iter().map(|r| (r.service.as_str(), r.action.as_str(), r.status)).collect();
    assert_eq!(
        summary,
        [("iam", "CreateUser", 200), ("iam", "GetUser", 200), ("iam", "GetUser", 404)]
    );
    assert_eq!(reqs[0].param("UserName"), Some("alice"));
}

#[test]
fn auth_mode_rejects_unknown_keys() {
    // Three unauthenticated actions to create a user with an allow-all
    // policy and a key (testbed.md §1); everything after is checked.
    let m = Moto::start_with_auth(3);
    let garbage = "AKIAGARBAGEGARBAGE00";
    assert_ok(&m.aws(garbage, "x", &["iam", "create-user", "--user-name", "bob"]));
    let policy =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    assert_ok(&m.aws(
        garbage,
        "x",
        &[
            "iam",
            "put-user-policy",
            "--user-name",
            "bob",
            "--policy-name",
            "all",
            "--policy-document",
            policy,
        ],
    ));
    let key = json(&m.aws(garbage, "x", &["iam", "create-access-key", "--user-name", "bob"]));
    let bob_id = key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned();
    let bob_secret = key["AccessKey"]["SecretAccessKey"].as_str().unwrap().to_owned();

    let denied = m.aws(garbage, "x", &["sts", "get-caller-identity"]);
    assert!(!denied.status.success(), "garbage key accepted: {}", stdout(&denied));
    assert!(stderr(&denied).contains("InvalidClientTokenId"), "{}", stderr(&denied));

    let wrong_secret = m.aws(&bob_id, "not-bobs-secret", &["sts", "get-caller-identity"]);
    assert!(!wrong_secret.status.success());
    assert!(stderr(&wrong_secret).contains("SignatureDoesNotMatch"), "{}", stderr(&wrong_secret));

    let id = json(&m.aws(&bob_id, &bob_secret, &["sts", "get-caller-identity"]));
    assert_eq!(id["Arn"], "arn:aws:iam::123456789012:user/bob", "{id}");

    let gci: Vec<(Option<String>, u16)> = m
        .requests()
        .into_iter()
        .filter(|r| r.action == "GetCallerIdentity")
        .map(|r| (r.access_key_id, r.status))
        .collect();
    assert_eq!(
        gci,
        [(Some(garbage.to_owned()), 403), (Some(bob_id.clone()), 403), (Some(bob_id), 200)]
    );

    // reset() wipes bob and re-arms the unauthenticated actions, so a test
    // can set up its users again.
    m.reset();
    assert_ok(&m.aws(garbage, "x", &["iam", "create-user", "--user-name", "carol"]));
}

#[test]
fn servers_are_independent_and_die_with_their_handle() {
    let a = Moto::start();
    let b = Moto::start();
    assert_ne!(a.port(), b.port());
    assert_ok(&a.aws(KEY_ID, SECRET, &["sts", "get-caller-identity"]));
    assert_eq!(a.count("GetCallerIdentity"), 1);
    assert_eq!(b.count("GetCallerIdentity"), 0);

    let port = a.port();
    drop(a);
    // Drop killed and reaped the server, so its socket is closed.
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "port {port} still open");
    assert_ok(&b.aws(KEY_ID, SECRET, &["sts", "get-caller-identity"]));
}

/// If the test process dies without dropping its `Moto` (a crash, SIGKILL),
/// the server notices it was orphaned and exits by itself.
#[test]
fn orphaned_server_exits_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let python = std::env::var("VAULT_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/moto_peer.py");
    // bash plays the test process: it starts the server, waits until it is
    // ready, prints its pid and exits, orphaning it.
    let out = Command::new("bash")
        .current_dir(dir.path())
        .args([
            "-c",
            r#""$0" "$1" --log log --ready ready --parent-pid $$ >server.log 2>&1 &
               pid=$!
               for _ in $(seq 1200); do [ -s ready ] && break; sleep 0.05; done
               echo "$pid""#,
        ])
        .arg(&python)
        .arg(&script)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("ready").exists(), "server never got ready");
    let pid = stdout(&out).trim().to_owned();

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // Gone, or a zombie waiting for a reaper that may not exist here.
        let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|stat| !stat.rsplit(')').next().unwrap_or("").trim_start().starts_with('Z'))
            .unwrap_or(false);
        if !alive {
            break;
        }
        assert!(Instant::now() < deadline, "orphaned moto server {pid} still running");
        std::thread::sleep(Duration::from_millis(100));
    }
}
