//! The secret-service, keyctl and pass backends against the real things:
//! gnome-keyring-daemon on a private D-Bus session, the kernel keyring inside
//! a throwaway session keyring, and pass with a throwaway gpg key. Each
//! backend's items are checked with the backend's own tool (secret-tool,
//! keyctl, pass) in aws-vault's layout, both ways; each gets an add / list /
//! export / exec / remove round trip against moto with a cached session, and
//! its typical broken state must give one clear line, quickly.
//!
//! A scenario that needs a live session (D-Bus, session keyring) runs as one
//! bash script inside it; `step NAME CMD...` there records the command's
//! stdout, stderr and status in files that [`Steps`] reads back.

mod common;

use std::fs;
use std::os::unix::net::UnixListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::moto::Moto;
use common::pass::PassStore;
use common::{TempHome, assert_one_line_error, peers, stderr, stdout, vault_bin};
use tempfile::TempDir;

const KEY_ID: &str = "AKIAVAULTBACKENDS001";
const SECRET: &str = "backendTestSecretKey/0001+abcdefghijklmn";
const CONFIG: &str = "[profile home]\nregion = eu-west-1\n[profile peer]\nregion = eu-west-1\n";

/// Bash helpers every scenario script starts with.
const PRELUDE: &str = r#"
set -u
step() { local n=$1; shift; "$@" >"$W/$n.out" 2>"$W/$n.err" </dev/null; echo $? >"$W/$n.rc"; }
add_home() { AWS_ACCESS_KEY_ID=$KEY_ID AWS_SECRET_ACCESS_KEY=$SECRET "$VAULT" add --env --add-config=false home; }
# The store key aws-vault gives the session export1 made: kind, base64url
# profile, MFA serial (none) and the expiry in Unix seconds.
session_key() {
    local exp
    exp=$(sed -n 's/.*"Expiration": "\(.*\)".*/\1/p' "$W/export1.out")
    printf 'sts.GetSessionToken,aG9tZQ,,%s' "$(date -ud "$exp" +%s)"
}
"#;

/// The vault steps every backend's round trip runs, after `add_home`.
const ROUND_TRIP: &str = r#"
step add add_home
step list "$VAULT" list
step export1 "$VAULT" export --format=json home
step export2 "$VAULT" export --format=json home
step exec "$VAULT" exec home -- sh -c 'echo "$AWS_ACCESS_KEY_ID ${AWS_SESSION_TOKEN:+has-token} $AWS_VAULT"'
step sessions "$VAULT" list --sessions
step session_key session_key
"#;

const ROUND_TRIP_END: &str = r#"
step remove "$VAULT" remove -f home
step after_credentials "$VAULT" list --credentials
step after_sessions "$VAULT" list --sessions
"#;

/// The files a scenario's `step`s left.
struct Steps {
    dir: TempDir,
    /// The whole script's own output, for failure messages.
    script: Output,
}

impl Steps {
    fn read(&self, name: &str, ext: &str) -> String {
        fs::read_to_string(self.dir.path().join(format!("{name}.{ext}"))).unwrap_or_else(|_| {
            panic!(
                "step {name} did not run; script stdout: {} stderr: {}",
                stdout(&self.script),
                stderr(&self.script)
            )
        })
    }

    fn rc(&self, name: &str) -> i32 {
        self.read(name, "rc").trim().parse().unwrap()
    }

    fn err(&self, name: &str) -> String {
        self.read(name, "err")
    }

    /// The step's stdout, after checking it succeeded.
    fn ok(&self, name: &str) -> String {
        assert_eq!(self.rc(name), 0, "step {name} failed: {}", self.err(name));
        self.read(name, "out")
    }

    /// Checks the step failed with exactly one `vault: ...` line containing `needle`.
    fn one_line_error(&self, name: &str, needle: &str) -> String {
        assert_ne!(self.rc(name), 0, "step {name} should fail: {}", self.read(name, "out"));
        let err = self.err(name);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 1, "step {name}: expected one error line, got {err:?}");
        assert!(lines[0].starts_with("vault: "), "step {name}: {err:?}");
        assert!(err.contains(needle), "step {name}: expected {needle:?} in {err:?}");
        err
    }
}

/// Runs `PRELUDE + script` with bash under `wrapper` (e.g. a D-Bus session), with the
/// same clean environment as `TempHome::vault` plus `env`, bounded so a hang fails.
fn run_script(t: &TempHome, wrapper: &[&str], script: &str, env: &[(&str, String)]) -> Steps {
    let dir = tempfile::Builder::new().prefix("vault-steps-").tempdir().unwrap();
    let mut cmd = Command::new("timeout");
    cmd.arg("180")
        .args(wrapper)
        .args(["bash", "-c", &format!("{PRELUDE}{script}")])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &t.home)
        .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
        .env("VAULT", vault_bin())
        .env("W", dir.path())
        .env("KEY_ID", KEY_ID)
        .env("SECRET", SECRET)
        .current_dir(&t.home)
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let script = cmd.output().unwrap();
    assert_ne!(script.status.code(), Some(124), "the scenario hung: {}", stderr(&script));
    Steps { dir, script }
}

/// The round trip's checks that hold for every backend.
fn check_round_trip(s: &Steps, moto: &Moto) {
    s.ok("add");
    let list = s.ok("list");
    assert!(list.lines().any(|l| l.split_whitespace().eq(["home", "home", "-"])), "{list}");

    let first: serde_json::Value = serde_json::from_str(&s.ok("export1")).unwrap();
    let second: serde_json::Value = serde_json::from_str(&s.ok("export2")).unwrap();
    assert!(first["SessionToken"].as_str().is_some_and(|t| !t.is_empty()), "{first}");
    assert_ne!(first["AccessKeyId"], KEY_ID, "a session, not the long-term key");
    assert_eq!(second, first, "the second export is served from the cache");
    let exec = s.ok("exec");
    assert_eq!(
        exec.split_whitespace().collect::<Vec<_>>(),
        [first["AccessKeyId"].as_str().unwrap(), "has-token", "home"],
        "{exec}"
    );
    assert_eq!(moto.count("GetSessionToken"), 1, "one STS call for export, export and exec");
    let signer = moto.requests()[0].access_key_id.clone();
    assert_eq!(signer.as_deref(), Some(KEY_ID), "signed with the key read from the backend");
    assert_session_line(&s.ok("sessions"));

    s.ok("remove");
    assert_eq!(s.ok("after_credentials"), "");
    assert_eq!(s.ok("after_sessions"), "", "remove also drops the profile's sessions");
    for step in ["add", "list", "export1", "export2", "exec", "remove"] {
        let err = s.err(step);
        assert!(!err.contains(SECRET), "{step} leaked the secret key: {err}");
    }
}

/// `list --sessions` prints what the table's Sessions column prints: the
/// profile, then the kind and the time left in whole seconds (`59m58s`).
fn assert_session_line(sessions: &str) {
    let rest = sessions
        .strip_prefix("home  sts.GetSessionToken:")
        .unwrap_or_else(|| panic!("expected `home  sts.GetSessionToken:<left>`, got {sessions:?}"));
    let left = rest.trim_end();
    assert!(rest.ends_with('\n') && rest.lines().count() == 1, "one line: {sessions:?}");
    assert!(left.starts_with("59m") || left.starts_with("58m"), "about an hour left: {sessions:?}");
    assert!(
        left.ends_with('s')
            && left[..left.len() - 1].chars().all(|c| c.is_ascii_digit() || c == 'm'),
        "whole seconds: {sessions:?}"
    );
}

/// aws-vault's JSON of a keyring item holding Go `aws.Credentials`, as another tool
/// (or aws-vault itself) would store it.
fn aws_vault_item(key: &str, access_key_id: &str, secret: &str) -> String {
    let creds = serde_json::json!({
        "AccessKeyID": access_key_id, "SecretAccessKey": secret, "SessionToken": "",
        "Source": "", "CanExpire": false, "Expires": "0001-01-01T00:00:00Z",
    });
    let data = base64::engine::general_purpose::STANDARD.encode(creds.to_string());
    serde_json::json!({
        "Key": key, "Data": data, "Label": format!("aws-vault ({key})"), "Description": "",
        "KeychainNotTrustApplication": true, "KeychainNotSynchronizable": false,
    })
    .to_string()
}

/// Decodes an item's JSON and returns its key and its credentials JSON.
fn item_credentials(item_json: &str) -> (String, serde_json::Value) {
    let item: serde_json::Value = serde_json::from_str(item_json.trim())
        .unwrap_or_else(|e| panic!("not an item: {e}: {item_json}"));
    let data =
        base64::engine::general_purpose::STANDARD.decode(item["Data"].as_str().unwrap()).unwrap();
    (item["Key"].as_str().unwrap().to_owned(), serde_json::from_slice(&data).unwrap())
}

/// These backends' peers fail the test when missing, even outside tests/run.sh.
fn require(program: &str) {
    assert!(
        peers::on_path(program).is_some(),
        "{program} is not installed: {}",
        peers::install_hint(program)
    );
}

// ---------------------------------------------------------------------------
// secret-service: gnome-keyring-daemon on a private D-Bus session

/// A private session bus with gnome-keyring unlocked non-interactively (testbed §3b),
/// waiting (at most 5 s) until the daemon owns its bus name so that nothing races it
/// into starting a second daemon through D-Bus activation.
const DBUS_SESSION: &[&str] = &[
    "dbus-run-session",
    "--",
    "sh",
    "-c",
    "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; \
     i=0; until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
       org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; \
     do i=$((i+1)); [ $i -lt 100 ] || break; sleep 0.05; done; exec \"$@\"",
    "sh",
];

const AWSVAULT_PATH: &str = "/org/freedesktop/secrets/collection/awsvault";

/// A home whose keyring already has an empty, unlocked `awsvault` collection. Creating a
/// collection makes gnome-keyring ask for its password through a GUI prompt, which a
/// headless daemon cannot show; an unencrypted keyring file is what it loads instead.
fn keyring_home(config: &str) -> TempHome {
    require("dbus-run-session");
    require("gnome-keyring-daemon");
    require("secret-tool");
    let t = TempHome::with_config(config);
    let dir = t.home.join(".local/share/keyrings");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("awsvault.keyring"),
        "[keyring]\ndisplay-name=awsvault\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n",
    )
    .unwrap();
    t
}

fn ss_env(moto: &Moto) -> Vec<(&'static str, String)> {
    vec![("AWS_VAULT_BACKEND", "secret-service".into()), ("AWS_ENDPOINT_URL", moto.url())]
}

#[test]
fn secret_service_round_trip_in_aws_vaults_layout() {
    let moto = Moto::start();
    let t = keyring_home(CONFIG);
    let script = format!(
        "{ROUND_TRIP}
step peer_credentials sh -c 'secret-tool search --all profile home 2>&1'
step peer_session sh -c 'secret-tool search --all profile \"$(cat $W/session_key.out)\"'
step peer_file cat $HOME/.local/share/keyrings/awsvault.keyring
{ROUND_TRIP_END}
step peer_after secret-tool search --all profile home"
    );
    let s = run_script(&t, DBUS_SESSION, &script, &ss_env(&moto));
    check_round_trip(&s, &moto);

    // secret-tool sees aws-vault's layout: label = key, attribute profile = key, the
    // item's JSON as the secret.
    let peer = s.ok("peer_credentials");
    assert!(peer.contains("label = home\n"), "{peer}");
    assert!(peer.contains("attribute.profile = home\n"), "{peer}");
    let secret = peer.lines().find_map(|l| l.strip_prefix("secret = ")).expect("a secret");
    let (key, creds) = item_credentials(secret);
    assert_eq!(key, "home");
    assert_eq!(
        (creds["AccessKeyID"].as_str(), creds["SecretAccessKey"].as_str()),
        (Some(KEY_ID), Some(SECRET))
    );
    // ...and it is in the awsvault collection (gnome-keyring writes this test's
    // unencrypted collection out as text).
    let file = s.ok("peer_file");
    assert!(file.contains("display-name=home\n"), "{file}");
    assert!(file.contains("name=profile\ntype=string\nvalue=home\n"), "{file}");
    let session = s.ok("peer_session");
    assert!(session.contains("label = sts.GetSessionToken,aG9tZQ,,"), "{session}");
    assert_eq!(s.ok("peer_after"), "", "remove deleted the item");
}

#[test]
fn secret_service_reads_items_stored_by_secret_tool() {
    let moto = Moto::start();
    let t = keyring_home(CONFIG);
    let item = aws_vault_item("peer", "AKIAPEERSTOREDBYTOOL", "peerSecret/xyz");
    let script = format!(
        r#"
printf '%s' '{item}' | secret-tool store --collection={AWSVAULT_PATH} --label=peer profile peer
step list "$VAULT" list --credentials
step export "$VAULT" export --format=json peer
step remove "$VAULT" remove -f peer
step peer_after secret-tool search --all profile peer
"#
    );
    let s = run_script(&t, DBUS_SESSION, &script, &ss_env(&moto));
    assert_eq!(s.ok("list"), "peer\n");
    s.ok("export");
    assert_eq!(moto.requests()[0].access_key_id.as_deref(), Some("AKIAPEERSTOREDBYTOOL"));
    s.ok("remove");
    assert_eq!(s.ok("peer_after"), "");
}

#[test]
fn secret_service_locked_collection_is_one_clear_line() {
    let moto = Moto::start();
    let t = keyring_home(CONFIG);
    // The login collection has a password (unlike the test's awsvault one), so once
    // locked, unlocking needs a prompt that a headless daemon cannot show.
    let script = r#"
export AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME=login
step add add_home
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
    org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
step list "$VAULT" list --credentials
step export "$VAULT" export home
step add_again env AWS_ACCESS_KEY_ID=AKIAVAULTBACKENDS002 AWS_SECRET_ACCESS_KEY=s "$VAULT" add --env --add-config=false second
"#;
    let started = Instant::now();
    let s = run_script(&t, DBUS_SESSION, script, &ss_env(&moto));
    s.ok("add");
    assert_eq!(s.ok("list"), "home\n", "names are listed without unlocking");
    for step in ["export", "add_again"] {
        let err =
            s.one_line_error(step, "secret-service backend: the collection \"login\" is locked");
        assert!(err.contains("unlock it"), "{err}");
    }
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    assert_eq!(moto.count("GetSessionToken"), 0);
}

#[test]
fn secret_service_collection_that_cannot_be_created_is_one_clear_line() {
    let t = keyring_home(CONFIG);
    let script = r#"
step add env AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME=brandnew sh -c 'AWS_ACCESS_KEY_ID=$KEY_ID AWS_SECRET_ACCESS_KEY=$SECRET "$VAULT" add --env --add-config=false home'
step list env AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME=brandnew "$VAULT" list --credentials
"#;
    let s = run_script(&t, DBUS_SESSION, script, &[("AWS_VAULT_BACKEND", "secret-service".into())]);
    let err = s.one_line_error("add", "could not create the collection \"brandnew\"");
    assert!(err.contains("--secret-service-collection"), "{err}");
    assert_eq!(s.ok("list"), "", "a missing collection lists as empty");
}

#[test]
fn secret_service_items_another_process_deletes_meanwhile_are_gone_not_errors() {
    let t = keyring_home(CONFIG);
    // Sixteen add-then-remove at once: each add lists the collection's labels while the
    // others delete their items, so some listed items vanish before their label is read.
    let script = r#"
pids=
for i in $(seq 16); do
    { AWS_ACCESS_KEY_ID=AKIAW$i AWS_SECRET_ACCESS_KEY=secret$i "$VAULT" add --env --add-config=false w$i &&
      "$VAULT" remove -f w$i; } >"$W/w$i.out" 2>"$W/w$i.err" </dev/null &
    pids="$pids $!"
done
for p in $pids; do wait "$p"; echo $? >>"$W/statuses.txt"; done
step list "$VAULT" list --credentials
"#;
    let s = run_script(&t, DBUS_SESSION, script, &[("AWS_VAULT_BACKEND", "secret-service".into())]);
    let statuses = s.read("statuses", "txt");
    let failed: Vec<String> =
        (1..=16).map(|i| s.err(&format!("w{i}"))).filter(|e| !e.is_empty()).collect();
    assert!(statuses.lines().all(|l| l == "0"), "{statuses} {failed:?}");
    assert_eq!(s.ok("list"), "", "every item was removed");
}

#[test]
fn secret_service_without_a_session_bus_fails_at_once() {
    let t = TempHome::with_config(CONFIG);
    let started = Instant::now();
    let runtime_dir = tempfile::tempdir().unwrap();
    let out = t
        .vault()
        .env("XDG_RUNTIME_DIR", runtime_dir.path())
        .args(["--backend", "secret-service", "list"])
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    let err = assert_one_line_error(&out, "secret-service backend: found no D-Bus session bus");
    assert!(err.contains("--backend"), "{err}");
}

#[test]
fn secret_service_on_a_bus_that_never_answers_gives_up() {
    let t = TempHome::with_config(CONFIG);
    let socket = t.home.join("silent-bus");
    let listener = UnixListener::bind(&socket).unwrap();
    // Accepts connections and never says a word, like a wedged daemon.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    let started = Instant::now();
    let out = t
        .vault()
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", socket.display()))
        .args(["--backend", "secret-service", "list"])
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_one_line_error(&out, "did not answer within 10s");
    assert!(took < Duration::from_secs(20), "bounded wait, took {took:?}");
}

// ---------------------------------------------------------------------------
// keyctl: the kernel keyring, inside a throwaway session keyring

/// `keyctl session -` runs the script in a new anonymous session keyring, gone with it.
const KEYCTL_SESSION: &[&str] = &["keyctl", "session", "-"];

/// Whether the kernel keyring can be used here: a sandbox may forbid it even with
/// keyutils installed, which fails the test under tests/run.sh and skips it elsewhere.
fn keyctl_usable() -> bool {
    require("keyctl");
    let out = Command::new("keyctl")
        .args(["session", "-", "sh", "-c", "keyctl add user vault-probe x @s >/dev/null"])
        .output()
        .unwrap();
    let problem = (!out.status.success()).then(|| {
        format!(
            "the kernel keyring is not available here: `keyctl session -` failed: {}",
            stderr(&out).trim()
        )
    });
    peers::require_usable(
        problem.as_deref(),
        "run the tests where the keyctl system calls are allowed (Docker's default seccomp profile blocks them)",
    )
}

macro_rules! skip_without_keyctl {
    () => {
        if !keyctl_usable() {
            return;
        }
    };
}

#[test]
fn keyctl_round_trip_in_aws_vaults_layout() {
    skip_without_keyctl!();
    let moto = Moto::start();
    let t = TempHome::with_config(CONFIG);
    let script = format!(
        "{ROUND_TRIP}
step ring keyctl search @s keyring aws-vault
step peer_credentials sh -c 'keyctl pipe $(keyctl search $(keyctl search @s keyring aws-vault) user home)'
step peer_session sh -c 'keyctl rdescribe $(keyctl search $(keyctl search @s keyring aws-vault) user \"$(cat $W/session_key.out)\")'
{ROUND_TRIP_END}
step peer_after keyctl search @s user home"
    );
    let env = [("AWS_VAULT_BACKEND", "keyctl".to_owned()), ("AWS_ENDPOINT_URL", moto.url())];
    let s = run_script(&t, KEYCTL_SESSION, &script, &env);
    check_round_trip(&s, &moto);

    // A keyring named aws-vault in the session keyring; user keys described by the key,
    // whose payload is the raw credentials JSON (not the item).
    assert!(s.ok("ring").trim().parse::<i64>().is_ok());
    let creds: serde_json::Value = serde_json::from_str(&s.ok("peer_credentials")).unwrap();
    assert_eq!(creds["AccessKeyID"], KEY_ID);
    assert_eq!(creds["SecretAccessKey"], SECRET);
    let session = s.ok("peer_session");
    assert!(
        session.starts_with("user;") && session.contains(";sts.GetSessionToken,aG9tZQ,,"),
        "{session}"
    );
    assert_ne!(s.rc("peer_after"), 0, "remove unlinked the key");
}

#[test]
fn keyctl_reads_keys_added_with_keyctl() {
    skip_without_keyctl!();
    let moto = Moto::start();
    let t = TempHome::with_config(CONFIG);
    let script = r#"
ring=$(keyctl newring aws-vault @s)
printf '{"AccessKeyID":"AKIAPEERADDEDBYKEYCTL","SecretAccessKey":"x/y"}' | keyctl padd user peer "$ring" >/dev/null
step list "$VAULT" list --credentials
step export "$VAULT" export --format=json peer
step remove "$VAULT" remove -f peer
step list_after "$VAULT" list --credentials
"#;
    let env = [("AWS_VAULT_BACKEND", "keyctl".to_owned()), ("AWS_ENDPOINT_URL", moto.url())];
    let s = run_script(&t, KEYCTL_SESSION, script, &env);
    assert_eq!(s.ok("list"), "peer\n");
    s.ok("export");
    assert_eq!(moto.requests()[0].access_key_id.as_deref(), Some("AKIAPEERADDEDBYKEYCTL"));
    s.ok("remove");
    assert_eq!(s.ok("list_after"), "");
}

#[test]
fn keyctl_keyring_vault_may_not_use_is_one_clear_line() {
    skip_without_keyctl!();
    let t = TempHome::with_config(CONFIG);
    // Read-only for us: listable (search + view), but no write.
    let read_only = r#"
step add add_home
keyctl setperm "$(keyctl search @s keyring aws-vault)" 0x09000000
step list "$VAULT" list --credentials
step add_again env AWS_ACCESS_KEY_ID=AKIAVAULTBACKENDS002 AWS_SECRET_ACCESS_KEY=s "$VAULT" add --env --add-config=false second
"#;
    let s = run_script(&t, KEYCTL_SESSION, read_only, &[("AWS_VAULT_BACKEND", "keyctl".into())]);
    s.ok("add");
    assert_eq!(s.ok("list"), "home\n");
    let err = s.one_line_error(
        "add_again",
        "keyctl backend: could not write to the \"aws-vault\" keyring: permission denied",
    );
    assert!(err.contains("keyctl show @s"), "{err}");

    // Invisible to us: vault must not displace it with a new, empty keyring.
    let hidden = r#"
keyctl setperm "$(keyctl newring aws-vault @s)" 0
step add add_home
"#;
    let s = run_script(&t, KEYCTL_SESSION, hidden, &[("AWS_VAULT_BACKEND", "keyctl".into())]);
    s.one_line_error("add", "vault may not look at");
}

#[test]
fn keyctl_missing_keyring_and_no_keyctl_program_is_one_clear_line() {
    skip_without_keyctl!();
    let t = TempHome::with_config(CONFIG);
    // With no aws-vault keyring yet, reading finds an empty store; creating it needs
    // keyutils' keyctl program, which is missing from this PATH.
    let script = r#"
step list env PATH=/nonexistent "$VAULT" list --credentials
step add env PATH=/nonexistent KEY_ID=$KEY_ID SECRET=$SECRET VAULT=$VAULT /bin/bash -c 'AWS_ACCESS_KEY_ID=$KEY_ID AWS_SECRET_ACCESS_KEY=$SECRET "$VAULT" add --env --add-config=false home'
"#;
    let s = run_script(&t, KEYCTL_SESSION, script, &[("AWS_VAULT_BACKEND", "keyctl".into())]);
    assert_eq!(s.ok("list"), "");
    let err = s.one_line_error("add", "the \"aws-vault\" keyring does not exist yet");
    assert!(err.contains("install keyutils"), "{err}");
}

// ---------------------------------------------------------------------------
// pass: a throwaway gpg key and a fresh password store

/// The store of tests/common/pass.rs, once its peers are known to be here.
fn pass_store(t: &TempHome) -> PassStore {
    require("pass");
    require("gpg");
    PassStore::new(t)
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains(SECRET) && !stdout(&out).contains(SECRET));
    stdout(&out)
}

fn add_home(cmd: &mut Command) -> Output {
    cmd.env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .args(["add", "--env", "--add-config=false", "home"])
        .output()
        .unwrap()
}

#[test]
fn pass_round_trip_in_aws_vaults_layout() {
    let moto = Moto::start();
    let t = TempHome::with_config(CONFIG);
    let p = pass_store(&t);
    let vault = |args: &[&str]| p.vault(&t, Some(&moto), "aws-vault").args(args).output().unwrap();

    ok(add_home(&mut p.vault(&t, None, "aws-vault")));
    assert!(p.store.join("aws-vault/home.gpg").is_file(), "<dir>/<prefix>/<key>.gpg");
    let shown = ok(p.tool("pass").args(["show", "aws-vault/home"]).output().unwrap());
    let (key, creds) = item_credentials(&shown);
    assert_eq!((key.as_str(), creds["AccessKeyID"].as_str()), ("home", Some(KEY_ID)));
    assert_eq!(creds["SecretAccessKey"], SECRET);

    let list = ok(vault(&["list"]));
    assert!(list.lines().any(|l| l.split_whitespace().eq(["home", "home", "-"])), "{list}");
    let first = ok(vault(&["export", "--format=json", "home"]));
    let second = ok(vault(&["export", "--format=json", "home"]));
    assert_eq!(first, second);
    let exec =
        ok(vault(&["exec", "home", "--", "sh", "-c", "echo ${AWS_SESSION_TOKEN:+has-token}"]));
    assert_eq!(exec.trim(), "has-token");
    assert_eq!(moto.count("GetSessionToken"), 1, "export, export and exec: one STS call");
    assert_eq!(moto.requests()[0].access_key_id.as_deref(), Some(KEY_ID));

    assert_session_line(&ok(vault(&["list", "--sessions"])));
    let pass_ls = ok(p.tool("pass").args(["ls"]).output().unwrap());
    assert!(pass_ls.contains("sts.GetSessionToken,aG9tZQ,,"), "{pass_ls}");

    ok(vault(&["remove", "-f", "home"]));
    assert_eq!(ok(vault(&["list", "--credentials"])), "");
    assert_eq!(ok(vault(&["list", "--sessions"])), "");
    assert!(!p.store.join("aws-vault/home.gpg").exists());
}

#[test]
fn pass_reads_entries_inserted_by_pass() {
    let moto = Moto::start();
    let t = TempHome::with_config(CONFIG);
    let p = pass_store(&t);
    let item = aws_vault_item("peer", "AKIAPEERINSERTEDBYPASS", "peer/secret");
    let mut insert = p
        .tool("pass")
        .args(["insert", "-m", "-f", "peer"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut insert.stdin.take().unwrap(), item.as_bytes()).unwrap();
    assert!(insert.wait().unwrap().success());

    assert_eq!(
        ok(p.vault(&t, None, "").args(["list", "--credentials"]).output().unwrap()),
        "peer\n"
    );
    ok(p.vault(&t, Some(&moto), "").args(["export", "peer"]).output().unwrap());
    assert_eq!(moto.requests()[0].access_key_id.as_deref(), Some("AKIAPEERINSERTEDBYPASS"));
}

#[test]
fn pass_missing_gpg_key_is_one_clear_line() {
    let moto = Moto::start();
    let t = TempHome::with_config(CONFIG);
    let p = pass_store(&t);
    ok(add_home(&mut p.vault(&t, None, "")));

    // The secret key is gone: the entry cannot be decrypted.
    let out = p
        .tool("gpg")
        .args(["--batch", "--yes", "--delete-secret-keys", &p.fingerprint])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = p.vault(&t, Some(&moto), "").args(["export", "home"]).output().unwrap();
    let err =
        assert_one_line_error(&out, "pass backend: could not read \"home\": gpg has no secret key");
    assert!(err.contains(".gpg-id"), "{err}");

    // The public key too: nothing can be encrypted for the store's recipient.
    let out =
        p.tool("gpg").args(["--batch", "--yes", "--delete-keys", &p.fingerprint]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = add_home(p.vault(&t, None, "").env("AWS_VAULT_PASS_PREFIX", "other"));
    assert_one_line_error(&out, "gpg has no usable public key");
    assert!(!p.store.join("other/home.gpg").exists());
    assert_eq!(moto.count("GetSessionToken"), 0);
}

#[test]
fn pass_store_never_initialised_is_one_clear_line() {
    let t = TempHome::with_config(CONFIG);
    let out = add_home(
        t.vault()
            .env("AWS_VAULT_BACKEND", "pass")
            .env("AWS_VAULT_PASS_PASSWORD_STORE_DIR", t.home.join("nowhere")),
    );
    assert_one_line_error(&out, "is not initialized; run `pass init");
    let out = add_home(
        t.vault().env("AWS_VAULT_BACKEND", "pass").env("AWS_VAULT_PASS_CMD", "/nonexistent/pass"),
    );
    assert_one_line_error(&out, "pass backend: the pass program `/nonexistent/pass` was not found");
}

// ---------------------------------------------------------------------------
// Backends of other systems

#[test]
fn other_systems_backends_are_named_and_refused() {
    let t = TempHome::with_config(CONFIG);
    for (backend, needle) in
        [("keychain", "macOS"), ("wincred", "Windows"), ("kwallet", "secret-service")]
    {
        let out = t.vault().args(["--backend", backend, "list"]).output().unwrap();
        let err = assert_one_line_error(
            &out,
            &format!("the {backend} backend is not available on this system"),
        );
        assert!(err.contains(needle), "{err}");
        let out = t.vault().env("AWS_VAULT_BACKEND", backend).args(["list"]).output().unwrap();
        assert_one_line_error(&out, "not available on this system");
    }
    let out = t.vault().args(["--keychain", "login", "list", "--credentials"]).output().unwrap();
    assert!(out.status.success(), "--keychain is accepted: {}", stderr(&out));
}

// ---------------------------------------------------------------------------
// migrate

/// A file store holding `home` and `other`, plus a cached session for `home`.
fn file_store_with_two_profiles(moto: &Moto) -> TempHome {
    let t = TempHome::with_config(CONFIG);
    ok(add_home(&mut t.vault()));
    let out = t
        .vault()
        .env("AWS_ACCESS_KEY_ID", "AKIAOTHERPROFILE0001")
        .env("AWS_SECRET_ACCESS_KEY", "other/secret")
        .args(["add", "--env", "--add-config=false", "other"])
        .output()
        .unwrap();
    ok(out);
    ok(t.vault().env("AWS_ENDPOINT_URL", moto.url()).args(["export", "home"]).output().unwrap());
    assert_eq!(t.key_files().len(), 3, "{:?}", t.key_files());
    t
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| (e.file_name().into_string().unwrap(), fs::read(e.path()).unwrap()))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

#[test]
fn migrate_file_to_pass_dry_run_then_delete_source() {
    let moto = Moto::start();
    let t = file_store_with_two_profiles(&moto);
    let p = pass_store(&t);
    let before = snapshot(&t.keys_dir());
    let migrate = |args: &[&str]| {
        p.vault(&t, None, "aws-vault")
            .args(["migrate", "--from", "file", "--to", "pass"])
            .args(args)
            .output()
            .unwrap()
    };

    let dry = ok(migrate(&["--dry-run"]));
    assert!(dry.contains("Would copy \"home\"") && dry.contains("Would copy \"other\""), "{dry}");
    assert!(!dry.contains("sts."), "sessions are not migrated: {dry}");
    assert_eq!(snapshot(&t.keys_dir()), before, "a dry run changes nothing");
    assert!(!p.store.join("aws-vault").exists(), "a dry run writes nothing");

    let moved = ok(migrate(&["--profile", "home", "--delete-source"]));
    assert!(moved.contains("\"home\"") && moved.contains("Deleted \"home\" from file"), "{moved}");
    // Only home's credentials moved: other and home's session stay in the file store.
    let files = t.key_files();
    assert!(!files.contains(&"home".to_owned()), "{files:?}");
    assert!(files.contains(&"other".to_owned()), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("sts.GetSessionToken,")), "{files:?}");
    let listed =
        ok(p.vault(&t, None, "aws-vault").args(["list", "--credentials"]).output().unwrap());
    assert_eq!(listed, "home\n");
    let shown = ok(p.tool("pass").args(["show", "aws-vault/home"]).output().unwrap());
    let (_, creds) = item_credentials(&shown);
    assert_eq!(
        (creds["AccessKeyID"].as_str(), creds["SecretAccessKey"].as_str()),
        (Some(KEY_ID), Some(SECRET))
    );

    // The migrated keys work from the new backend.
    ok(p.vault(&t, Some(&moto), "aws-vault").args(["export", "home"]).output().unwrap());
    assert_eq!(moto.requests().last().unwrap().access_key_id.as_deref(), Some(KEY_ID));

    // Running it again finds the same keys in place and copies nothing twice.
    let again = ok(migrate(&["--profile", "other"]));
    assert!(again.contains("\"other\""), "{again}");
    assert!(t.key_files().contains(&"other".to_owned()), "no --delete-source: the source stays");
}

#[test]
fn migrate_keeps_the_source_when_the_copy_fails() {
    let moto = Moto::start();
    let t = file_store_with_two_profiles(&moto);
    let before = snapshot(&t.keys_dir());
    // A pass store that was never initialised cannot take the copy.
    let out = t
        .vault()
        .env("AWS_VAULT_PASS_PASSWORD_STORE_DIR", t.home.join("uninitialised"))
        .args(["migrate", "--from", "file", "--to", "pass", "--delete-source"])
        .output()
        .unwrap();
    let err = assert_one_line_error(
        &out,
        "could not migrate profile \"home\" from file to pass (it is still in file)",
    );
    assert!(err.contains("pass init"), "{err}");
    assert_eq!(snapshot(&t.keys_dir()), before, "nothing was deleted from the source");

    let out = t
        .vault()
        .args(["migrate", "--from", "file", "--to", "pass", "--profile", "nobody"])
        .output()
        .unwrap();
    assert_one_line_error(
        &out,
        "no credentials are stored for profile \"nobody\" in the file backend",
    );
    let out = t.vault().args(["migrate", "--from", "file", "--to", "file"]).output().unwrap();
    assert_one_line_error(&out, "name the same backend");
}

#[test]
fn migrate_file_to_secret_service() {
    let moto = Moto::start();
    let t = file_store_with_two_profiles(&moto);
    let before = snapshot(&t.keys_dir());
    let dir = t.home.join(".local/share/keyrings");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("awsvault.keyring"),
        "[keyring]\ndisplay-name=awsvault\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n",
    )
    .unwrap();
    let script = r#"
step dry "$VAULT" migrate --from file --to secret-service --dry-run
step dry_peer secret-tool search --all profile home
step migrate "$VAULT" migrate --from file --to secret-service
step list "$VAULT" --backend secret-service list --credentials
step peer secret-tool search --all profile other
step export "$VAULT" --backend secret-service export --format=json other
"#;
    let s = run_script(&t, DBUS_SESSION, script, &[("AWS_ENDPOINT_URL", moto.url())]);
    assert!(s.ok("dry").contains("Would copy \"home\""));
    assert_eq!(s.ok("dry_peer"), "", "the dry run wrote nothing");
    let migrated = s.ok("migrate");
    assert!(migrated.contains("\"home\"") && migrated.contains("\"other\""), "{migrated}");
    assert!(!migrated.contains("Deleted"), "{migrated}");
    assert_eq!(s.ok("list"), "home\nother\n", "credentials only, no sessions");
    let peer = s.ok("peer");
    let secret = peer.lines().find_map(|l| l.strip_prefix("secret = ")).expect("a secret");
    assert_eq!(item_credentials(secret).1["AccessKeyID"], "AKIAOTHERPROFILE0001");
    s.ok("export");
    assert_eq!(
        moto.requests().last().unwrap().access_key_id.as_deref(),
        Some("AKIAOTHERPROFILE0001")
    );
    assert_eq!(snapshot(&t.keys_dir()), before, "without --delete-source the file store is kept");
}
