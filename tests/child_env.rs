//! What vault passes to the processes it starts: the file store's passphrase
//! and the hook's saved state reach none of them (the `exec` command,
//! `credential_process`, `mfa_process`, `web_identity_token_process`, the
//! pass program); and each helper is waited for only so long.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::moto::Moto;
use common::{TempHome, stderr, stdout};

const KEY_ID: &str = "AKIAVAULTTESTKEY0001";
const SECRET: &str = "vaultTestSecretKey/0001+abcdefghijklmnopq";
const MFA: &str = "arn:aws:iam::123456789012:mfa/jonsmith";
/// What the hook keeps in `__VAULT_STATE`: here, a stand-in for saved keys.
const STATE: &str = "saved-state-with-AKIASAVEDBYTHEHOOK";

fn vault(t: &TempHome, moto: &Moto, args: &[&str]) -> Output {
    t.vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("__VAULT_STATE", STATE)
        .args(args)
        .output()
        .unwrap()
}

/// The environment a helper saved with `env > FILE`, checked for both secrets.
fn assert_scrubbed(env_text: &str, who: &str) {
    assert!(env_text.contains("HOME="), "{who} saved no environment: {env_text}");
    assert!(!env_text.contains("AWS_VAULT_FILE_PASSPHRASE"), "{who} got the passphrase");
    assert!(!env_text.contains(common::PASSPHRASE), "{who} got the passphrase");
    assert!(
        !env_text.contains("__VAULT_STATE") && !env_text.contains(STATE),
        "{who} got the state"
    );
}

/// A helper script that saves its environment to `<dir>/<name>.env`, then
/// does `then`.
fn env_saving_script(dir: &Path, name: &str, then: &str) -> String {
    let script = dir.join(format!("{name}.sh"));
    let saved = dir.join(format!("{name}.env"));
    fs::write(&script, format!("#!/bin/sh\nenv > '{}'\n{then}\n", saved.display())).unwrap();
    format!("sh {}", script.display())
}

#[test]
fn exec_command_gets_neither_passphrase_nor_hook_state() {
    let moto = Moto::start();
    let t = TempHome::with_config("[profile work]\n");
    t.add_keys("work", KEY_ID, SECRET);
    let out = vault(&t, &moto, &["exec", "work", "--", "env"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let env = stdout(&out);
    assert!(env.contains("AWS_SESSION_TOKEN="), "{env}");
    assert_scrubbed(&env, "the exec command");
}

#[test]
fn credential_and_mfa_processes_get_neither() {
    let moto = Moto::start();
    let t = TempHome::new();
    let creds = env_saving_script(
        &t.home,
        "creds",
        r#"printf '{"Version":1,"AccessKeyId":"AKIAPROCESS000001","SecretAccessKey":"procsecret"}'"#,
    );
    common::record::note_secrets("credential_process", &[("SecretAccessKey", "procsecret")]);
    let mfa = env_saving_script(&t.home, "mfa", "echo 123456");
    t.write_config(&format!(
        "[profile proc]\ncredential_process = {creds}\n\
         [profile viaproc]\nsource_profile = proc\nmfa_serial = {MFA}\nmfa_process = {mfa}\n\
         role_arn = arn:aws:iam::123456789012:role/fromproc\n"
    ));
    let out = vault(&t, &moto, &["export", "viaproc"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["creds", "mfa"] {
        let saved = fs::read_to_string(t.home.join(format!("{name}.env"))).unwrap();
        assert_scrubbed(&saved, name);
    }
}

#[test]
fn web_identity_token_process_gets_neither() {
    let moto = Moto::start();
    let t = TempHome::new();
    let token = env_saving_script(&t.home, "token", "echo a-web-identity-token");
    common::record::note_secrets(
        "web_identity_token_process",
        &[("WebIdentityToken", "a-web-identity-token")],
    );
    t.write_config(&format!(
        "[profile wi]\nrole_arn = arn:aws:iam::123456789012:role/web\n\
         web_identity_token_process = {token}\n"
    ));
    let _ = vault(&t, &moto, &["export", "wi"]);
    let saved = fs::read_to_string(t.home.join("token.env")).unwrap();
    assert_scrubbed(&saved, "web_identity_token_process");
}

#[test]
fn the_pass_program_gets_neither() {
    let moto = Moto::start();
    let t = TempHome::with_config("[profile work]\n");
    // A pass program that saves its environment and shows an empty store.
    let script = t.home.join("pass.sh");
    let saved = t.home.join("pass.env");
    fs::write(&script, format!("#!/bin/sh\nenv > '{}'\nexit 1\n", saved.display())).unwrap();
    let mut perms = fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&script, perms).unwrap();
    fs::create_dir_all(t.home.join("store")).unwrap();
    fs::write(t.home.join("store/work.gpg"), "not really encrypted").unwrap();
    let store = t.home.join("store");
    let out = vault(
        &t,
        &moto,
        &[
            "--backend=pass",
            "--pass-cmd",
            script.to_str().unwrap(),
            "--pass-dir",
            store.to_str().unwrap(),
            "export",
            "work",
        ],
    );
    assert!(!out.status.success());
    assert_scrubbed(&fs::read_to_string(&saved).unwrap(), "the pass program");
}

/// A helper that never finishes is stopped at `VAULT_PROCESS_TIMEOUT`, with
/// one line naming it and the setting.
#[test]
fn stuck_helpers_are_stopped_at_the_time_limit() {
    let moto = Moto::start();
    let t = TempHome::new();
    t.add_keys("home", KEY_ID, SECRET);
    let pass = t.home.join("pass.sh");
    fs::write(&pass, "#!/bin/sh\nsleep 60\n").unwrap();
    let mut perms = fs::metadata(&pass).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&pass, perms).unwrap();
    fs::create_dir_all(t.home.join("store")).unwrap();
    fs::write(t.home.join("store/home.gpg"), "x").unwrap();
    t.write_config(&format!(
        "[profile proc]\ncredential_process = sleep 60\n\
         [profile home]\nmfa_serial = {MFA}\nmfa_process = sleep 60\n"
    ));
    let store = t.home.join("store");
    let pass_args = [
        "--backend=pass",
        "--pass-cmd",
        pass.to_str().unwrap(),
        "--pass-dir",
        store.to_str().unwrap(),
        "export",
        "home",
    ];
    let cases: [(&[&str], &str); 3] = [
        (&["export", "proc"], "credential_process `sleep 60`"),
        (&["export", "home"], "mfa_process `sleep 60`"),
        (&pass_args, "pass"),
    ];
    for (args, who) in cases {
        let started = std::time::Instant::now();
        let out = t
            .vault()
            .env("AWS_ENDPOINT_URL", moto.url())
            .env("VAULT_PROCESS_TIMEOUT", "1s")
            .args(args)
            .output()
            .unwrap();
        let err = common::assert_one_line_error(&out, "did not finish within 1s");
        assert!(err.contains(who) && err.contains("VAULT_PROCESS_TIMEOUT"), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "{args:?} waited");
    }
    assert!(moto.requests().is_empty());
    let out =
        t.vault().env("VAULT_PROCESS_TIMEOUT", "0s").args(["export", "proc"]).output().unwrap();
    common::assert_one_line_error(&out, "VAULT_PROCESS_TIMEOUT=\"0s\" is invalid");
}

/// A second command waits for the first one's refresh only up to
/// `VAULT_LOCK_TIMEOUT`, then says why in one line.
#[test]
fn the_refresh_lock_wait_is_bounded() {
    let moto = Moto::start();
    let t = TempHome::with_config(&format!(
        "[profile home]\nmfa_serial = {MFA}\nmfa_process = sleep 6; echo 123456\n"
    ));
    t.add_keys("home", KEY_ID, SECRET);
    // The first holds the lock while its mfa_process "waits for a touch".
    let mut first = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .args(["export", "home"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lock = t.home.join(".awsvault/.refresh.lock");
    let started = std::time::Instant::now();
    while !lock.exists() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("VAULT_LOCK_TIMEOUT", "1s")
        .args(["export", "home"])
        .output()
        .unwrap();
    let err = common::assert_one_line_error(
        &out,
        "another vault process is refreshing these credentials",
    );
    assert!(err.contains("VAULT_LOCK_TIMEOUT"), "{err}");
    assert!(first.wait().unwrap().success(), "the first one finishes its refresh");
    assert_eq!(moto.count("GetSessionToken"), 1);
}

/// Processes whose argv holds `needle` (the helpers' children below, found
/// by a sleep time no other process uses).
fn processes_with(needle: &str) -> Vec<String> {
    let Ok(entries) = fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| fs::read(e.path().join("cmdline")).ok())
        .map(|argv| String::from_utf8_lossy(&argv).replace('\0', " "))
        .filter(|argv| argv.contains(needle))
        .collect()
}

/// A helper that leaves a child holding its stdout (`sleep 25 &`, a
/// daemon that did not let go of it) is done when it exits: vault returns
/// within the limit + 1 s with its output, and the child is gone. One that
/// is itself stuck is stopped at the limit, with what it started.
#[test]
fn a_helper_that_leaves_a_child_holding_stdout_returns_within_its_limit() {
    let t = TempHome::new();
    let json = r#"{"Version":1,"AccessKeyId":"AKIADAEMONCHILD00001","SecretAccessKey":"daemon-child-secret"}"#;
    t.write_config(&format!(
        "[profile daemon]\ncredential_process = sleep 25.4242 & echo '{json}'\n\
         [profile stuck]\ncredential_process = sleep 25.4343 & sleep 25.4343; echo '{json}'\n"
    ));
    let limit = std::time::Duration::from_secs(2);
    let run = |profile: &str| {
        let started = std::time::Instant::now();
        let out = t
            .vault()
            .env("VAULT_PROCESS_TIMEOUT", "2s")
            .args(["export", "--format", "json", profile])
            .output()
            .unwrap();
        (out, started.elapsed())
    };
    let (out, took) = run("daemon");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("AKIADAEMONCHILD00001"), "{}", stdout(&out));
    assert!(took < limit + std::time::Duration::from_secs(1), "took {took:?}");
    assert_eq!(processes_with("25.4242"), Vec::<String>::new(), "the child outlived vault");

    let (out, took) = run("stuck");
    common::assert_one_line_error(&out, "did not finish within 2s");
    assert!(took < limit + std::time::Duration::from_secs(1), "took {took:?}");
    assert_eq!(processes_with("25.4343"), Vec::<String>::new(), "the children outlived vault");
}

/// Helpers run in a process group of their own, which would be stopped
/// reading the terminal from the background: when vault has the terminal,
/// the helper's group is lent it, so an `mfa_process` that asks there
/// still gets its answer (and the shell gets the terminal back after).
#[test]
fn an_mfa_process_that_asks_on_the_terminal_is_answered() {
    let moto = Moto::start();
    let t = TempHome::with_config(&format!(
        "[profile home]\nmfa_serial = {MFA}\n\
         mfa_process = printf 'code from the helper: ' >&2; read -r code; echo \"$code\"\n"
    ));
    t.add_keys("home", KEY_ID, SECRET);
    let run = t.vault_on_pty_env(
        &[("code from the helper: ", "246810\r")],
        &["export", "home"],
        &[
            ("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE),
            ("AWS_ENDPOINT_URL", &moto.url()),
            ("VAULT_PROCESS_TIMEOUT", "10s"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert!(run.transcript.contains("AWS_SESSION_TOKEN="), "{}", run.transcript);
    let call = moto.requests().into_iter().find(|r| r.action == "GetSessionToken").unwrap();
    assert!(call.sent_secret("TokenCode", "246810"), "STS got another code");
}
