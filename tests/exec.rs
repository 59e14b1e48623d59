//! `exec` and `export` against a real STS (moto on 127.0.0.1) and the real
//! aws CLI: sessions, MFA, roles, chains, the cache, and errors.

mod common;

use std::fs;
use std::process::Output;

use common::moto::{Moto, aws_cli};
use common::{TempHome, assert_one_line_error, stderr, stdout};

const KEY_ID: &str = "AKIAVAULTTESTKEY0001";
const SECRET: &str = "vaultTestSecretKey/0001+abcdefghijklmnopq";
const MFA: &str = "arn:aws:iam::123456789012:mfa/jonsmith";

/// A home whose config points STS at `moto`, with `home`'s keys stored.
fn setup(moto: &Moto, config: &str) -> TempHome {
    let t = TempHome::with_config(config);
    t.add_keys("home", KEY_ID, SECRET);
    let _ = moto;
    t
}

fn vault(t: &TempHome, moto: &Moto, args: &[&str]) -> Output {
    let out = t.vault().env("AWS_ENDPOINT_URL", moto.url()).args(args).output().unwrap();
    assert_no_secret(&stdout(&out));
    assert_no_secret(&stderr(&out));
    out
}

/// Long-term secrets and the passphrase must never be printed (session
/// secrets are printed on purpose by `export`).
fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "long-term secret leaked: {text}");
    assert!(!text.contains(common::PASSPHRASE), "passphrase leaked: {text}");
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

/// `env` output of a child as a map.
fn child_env(out: &Output) -> std::collections::BTreeMap<String, String> {
    assert!(out.status.success(), "{}", stderr(out));
    stdout(out)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn session_is_fetched_once_then_served_from_the_cache() {
    let moto = Moto::start();
    let t = setup(&moto, "[profile home]\nregion = eu-west-1\n");

    let first = json(&vault(&t, &moto, &["export", "--format=json", "home"]));
    assert_eq!(first["Version"], 1);
    assert!(first["SessionToken"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(first["Expiration"].as_str().is_some());
    assert_ne!(first["AccessKeyId"], KEY_ID, "a session, not the long-term key");
    assert_eq!(moto.count("GetSessionToken"), 1);
    let call = &moto.requests()[0];
    assert_eq!(call.access_key_id.as_deref(), Some(KEY_ID), "signed with the stored key");
    assert_eq!(call.param("DurationSeconds"), Some("3600"));

    // The session is cached under aws-vault's key name...
    assert!(
        t.key_files().iter().any(|f| f.starts_with("sts.GetSessionToken,aG9tZQ,,")),
        "{:?}",
        t.key_files()
    );
    // ...and reused: zero STS calls the second time.
    let second = json(&vault(&t, &moto, &["export", "--format=json", "home"]));
    assert_eq!(second, first);
    assert_eq!(moto.requests().len(), 1, "the cached run must not call STS");

    let list = stdout(&vault(&t, &moto, &["list"]));
    assert!(list.contains("sts.GetSessionToken:59m"), "{list}");
}

#[test]
fn exec_sets_and_clears_exactly_the_aws_variables() {
    let moto = Moto::start();
    let t = setup(&moto, "[profile home]\nregion = eu-west-1\n");
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("AWS_PROFILE", "something-else")
        .env("AWS_SECURITY_TOKEN", "stale")
        .env("AWS_SDK_LOAD_CONFIG", "1")
        .args(["exec", "home", "--", "env"])
        .output()
        .unwrap();
    let env = child_env(&out);
    assert_eq!(env["AWS_VAULT"], "home");
    assert_eq!(env["AWS_REGION"], "eu-west-1");
    assert_eq!(env["AWS_DEFAULT_REGION"], "eu-west-1");
    assert!(env["AWS_SESSION_TOKEN"].len() > 10);
    assert_ne!(env["AWS_ACCESS_KEY_ID"], KEY_ID);
    assert!(env["AWS_CREDENTIAL_EXPIRATION"].ends_with('Z'));
    for gone in ["AWS_PROFILE", "AWS_SECURITY_TOKEN", "AWS_SDK_LOAD_CONFIG"] {
        assert!(!env.contains_key(gone), "{gone} must be unset");
    }
}

#[test]
fn exec_passes_the_exit_status_and_refuses_to_nest() {
    let moto = Moto::start();
    let t = setup(&moto, "[profile home]\n");
    let out = vault(&t, &moto, &["exec", "home", "--", "sh", "-c", "exit 7"]);
    assert_eq!(out.status.code(), Some(7));

    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("AWS_VAULT", "home")
        .args(["exec", "home", "--", "true"])
        .output()
        .unwrap();
    assert_one_line_error(&out, "AWS_VAULT");
}

#[test]
fn mfa_code_goes_with_get_session_token_and_is_never_logged() {
    let moto = Moto::start();
    let t = setup(&moto, &format!("[profile home]\nmfa_serial = {MFA}\n"));
    let out = vault(&t, &moto, &["export", "--mfa-token", "123456", "home"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let call = moto.requests().pop().unwrap();
    assert_eq!(call.action, "GetSessionToken");
    assert_eq!(call.param("SerialNumber"), Some(MFA));
    assert_eq!(call.redacted, ["TokenCode"]);
    // Cached under the serial: a second run needs no code at all.
    assert!(t.key_files().iter().any(|f| f.starts_with("sts.GetSessionToken,aG9tZQ,YXJu")));
    let out = vault(&t, &moto, &["export", "home"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(moto.count("GetSessionToken"), 1);
}

#[test]
fn mfa_is_asked_on_the_terminal_once_for_a_three_hop_chain() {
    let moto = Moto::start();
    let config = format!(
        "[profile home]\nmfa_serial = {MFA}\n\
         [profile intermediary]\nsource_profile = home\nrole_arn = arn:aws:iam::123456789012:role/intermediary\n\
         [profile target]\nsource_profile = intermediary\nrole_arn = arn:aws:iam::123456789012:role/target\n"
    );
    let t = setup(&moto, &config);
    let run = t.vault_on_pty_env(
        &[(&format!("Enter MFA code for {MFA}: "), "123456\r")],
        &["exec", "target", "--", "sh", "-c", "echo ARN=$AWS_ACCESS_KEY_ID"],
        &[("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE), ("AWS_ENDPOINT_URL", &moto.url())],
    );
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert_eq!(run.transcript.matches("Enter MFA code").count(), 1, "{}", run.transcript);
    let actions: Vec<String> = moto.requests().iter().map(|r| r.action.clone()).collect();
    assert_eq!(actions, ["GetSessionToken", "AssumeRole", "AssumeRole"]);
    let reqs = moto.requests();
    assert_eq!(reqs[1].param("RoleArn"), Some("arn:aws:iam::123456789012:role/intermediary"));
    assert_eq!(reqs[2].param("RoleArn"), Some("arn:aws:iam::123456789012:role/target"));
    assert!(reqs[1].param("SerialNumber").is_none(), "MFA is carried by the session");

    // Warm cache: no prompt and no STS call.
    let out = vault(&t, &moto, &["export", "--format=json", "target"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(moto.requests().len(), 3);
}

#[test]
fn role_through_the_real_aws_cli() {
    let moto = Moto::start();
    let t = setup(
        &moto,
        "[default]\nregion = us-east-1\n[profile home]\n[profile admin]\nsource_profile = home\n\
         role_arn = arn:aws:iam::123456789012:role/admin\nexternal_id = ext-42\n\
         session_tags = team=infra,env=dev\ntransitive_session_tags = team\n",
    );
    let aws = aws_cli();
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .args(["exec", "admin", "--"])
        .arg(&aws)
        .args(["sts", "get-caller-identity", "--output", "json"])
        .output()
        .unwrap();
    let identity = json(&out);
    let arn = identity["Arn"].as_str().unwrap();
    assert!(arn.contains(":assumed-role/admin/"), "{arn}");

    let assume = moto.requests().into_iter().find(|r| r.action == "AssumeRole").unwrap();
    assert_eq!(assume.param("ExternalId"), Some("ext-42"));
    assert_eq!(assume.param("Tags.member.1.Key"), Some("team"));
    assert_eq!(assume.param("Tags.member.2.Value"), Some("dev"));
    assert_eq!(assume.param("TransitiveTagKeys.member.1"), Some("team"));
    assert_eq!(assume.access_key_id.as_deref(), Some(KEY_ID), "no MFA: assumed from the keys");
}

#[test]
fn no_session_exposes_keys_only_without_a_role() {
    let moto = Moto::start();
    let t = setup(
        &moto,
        "[profile home]\n[profile admin]\nsource_profile = home\nrole_arn = arn:aws:iam::123456789012:role/admin\n",
    );
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .args(["exec", "--no-session", "home", "--", "env"])
        .output()
        .unwrap();
    let env = child_env(&out);
    assert_eq!(env["AWS_ACCESS_KEY_ID"], KEY_ID);
    assert!(!env.contains_key("AWS_SESSION_TOKEN"));
    assert!(moto.requests().is_empty());

    let out = vault(&t, &moto, &["export", "--no-session", "--assume-role-ttl=12h", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = moto.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].action, "AssumeRole");
    assert_eq!(reqs[0].param("DurationSeconds"), Some("43200"));
}

#[test]
fn a_stale_cache_entry_is_refreshed() {
    let moto = Moto::start();
    let t = setup(&moto, "[profile home]\n");
    // A 15-minute session is already inside a 20-minute minimum TTL.
    let run = |t: &TempHome| {
        t.vault()
            .env("AWS_ENDPOINT_URL", moto.url())
            .env("AWS_MIN_TTL", "20m")
            .args(["export", "--duration=15m", "home"])
            .output()
            .unwrap()
    };
    assert!(run(&t).status.success());
    assert!(run(&t).status.success());
    assert_eq!(moto.count("GetSessionToken"), 2);
    // Without the long minimum TTL the fresh session is reused.
    assert!(vault(&t, &moto, &["export", "home"]).status.success());
    assert_eq!(moto.count("GetSessionToken"), 2);
}

/// The secret key [`credential_script`] prints.
const PROCESS_SECRET: &str = "processSecretKey/0001+abcdefghijklmno";

/// A `credential_process` script printing long-term keys (AKIAPROCESS000001),
/// its secret noted for the leak scan.
fn credential_script(t: &TempHome) -> std::path::PathBuf {
    let script = t.home.join("creds.sh");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '{{\"Version\":1,\"AccessKeyId\":\"AKIAPROCESS000001\",\"SecretAccessKey\":\"{PROCESS_SECRET}\"}}'\n"
        ),
    )
    .unwrap();
    common::record::note_secrets("credential_process", &[("SecretAccessKey", PROCESS_SECRET)]);
    script
}

#[test]
fn credential_process_is_a_source_for_a_role() {
    let moto = Moto::start();
    let t = TempHome::new();
    let script = credential_script(&t);
    t.write_config(&format!(
        "[profile proc]\ncredential_process = sh {}\n[profile viaproc]\nsource_profile = proc\n\
         role_arn = arn:aws:iam::123456789012:role/fromproc\n",
        script.display()
    ));
    let out = vault(&t, &moto, &["export", "--format=json", "viaproc"]);
    let creds = json(&out);
    assert!(creds["SessionToken"].is_string());
    let call = moto.requests().pop().unwrap();
    assert_eq!(call.action, "AssumeRole");
    assert_eq!(call.access_key_id.as_deref(), Some("AKIAPROCESS000001"));
}

#[test]
fn credential_process_helper_works_for_the_aws_cli() {
    let moto = Moto::start();
    let config = format!(
        "[profile home]\nregion = us-east-1\n\
         [profile admin]\nsource_profile = home\nrole_arn = arn:aws:iam::123456789012:role/helper\n\
         [profile helper]\ncredential_process = {} export --format=json admin\n",
        common::vault_bin().display()
    );
    let t = setup(&moto, &config);
    let out = std::process::Command::new(aws_cli())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &t.home)
        .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .args(["--profile", "helper", "sts", "get-caller-identity", "--output", "json"])
        .output()
        .unwrap();
    let identity = json(&out);
    assert!(identity["Arn"].as_str().unwrap().contains(":assumed-role/helper/"), "{identity}");
}

#[test]
fn the_usage_guides_aws_wrapper_script_works() {
    let moto = Moto::start();
    let t = setup(
        &moto,
        "[default]\nregion = us-east-1\n[profile home]\n[profile work]\nsource_profile = home\n\
         role_arn = arn:aws:iam::123456789012:role/work\n",
    );
    let bin = t.home.join("bin");
    fs::create_dir(&bin).unwrap();
    let wrapper = bin.join("aws");
    fs::write(
        &wrapper,
        format!(
            "#!/bin/bash\nexec '{}' exec \"${{AWS_DEFAULT_PROFILE:-work}}\" -- '{}' \"$@\"\n",
            common::vault_bin().display(),
            aws_cli().display()
        ),
    )
    .unwrap();
    std::process::Command::new("chmod").arg("+x").arg(&wrapper).status().unwrap();
    let out = t.vault_shell(&format!(
        "export AWS_ENDPOINT_URL={}; PATH={}:$PATH; aws sts get-caller-identity --output json",
        moto.url(),
        bin.display()
    ));
    let identity = json(&out);
    assert!(identity["Arn"].as_str().unwrap().contains(":assumed-role/work/"), "{identity}");
}

#[test]
fn sts_errors_are_one_clear_line() {
    let moto = Moto::start_with_auth(0);
    let t = setup(&moto, "[profile home]\n");
    let out = vault(&t, &moto, &["export", "home"]);
    let err = assert_one_line_error(&out, "InvalidClientTokenId");
    assert!(err.contains("profile \"home\"") && err.contains("sts:GetSessionToken"), "{err}");
    assert!(t.key_files().iter().all(|f| !f.starts_with("sts.")), "nothing cached on failure");
}

#[test]
fn unreachable_sts_is_one_clear_line() {
    let t = TempHome::with_config("[profile home]\n");
    t.add_keys("home", KEY_ID, SECRET);
    // A port nothing listens on (bound then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let run = |args: &[&str]| {
        t.vault()
            .env("AWS_ENDPOINT_URL", &url)
            .args(args)
            .args(["export", "home"])
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let err =
        assert_one_line_error(&out, &format!("could not reach STS at {url}: connection refused"));
    for chain in ["io error", "client error", "tcp connect error", "os error"] {
        assert!(!err.contains(chain), "{chain} belongs under --debug: {err}");
    }
    let debug = stderr(&run(&["--debug"]));
    assert!(
        debug.contains("vault: debug: could not reach STS: ")
            && debug.contains("tcp connect error"),
        "{debug}"
    );
}

#[test]
fn profile_errors_are_one_clear_line() {
    let moto = Moto::start();
    let t = setup(
        &moto,
        "[profile home]\n[profile a]\nsource_profile = b\nrole_arn = arn:aws:iam::1:role/a\n\
         [profile b]\nsource_profile = a\nrole_arn = arn:aws:iam::1:role/b\n[profile empty]\n",
    );
    let out = vault(&t, &moto, &["exec", "nope", "--", "true"]);
    assert_one_line_error(&out, "profile \"nope\" not found");
    let out = vault(&t, &moto, &["exec", "a", "--", "true"]);
    assert_one_line_error(&out, "a -> b -> a");
    let out = vault(&t, &moto, &["export", "empty"]);
    assert_one_line_error(&out, "vault add empty");
    let out = vault(&t, &moto, &["export", "--duration=forever", "home"]);
    assert_eq!(out.status.code(), Some(2), "a bad duration is a usage error");
    assert!(moto.requests().is_empty());
}

#[test]
fn export_formats() {
    let moto = Moto::start();
    let t = setup(&moto, "[profile home]\nregion = ap-south-1\n");
    let env = stdout(&vault(&t, &moto, &["export", "home"]));
    assert!(
        env.starts_with("AWS_REGION=ap-south-1\nAWS_DEFAULT_REGION=ap-south-1\nAWS_ACCESS_KEY_ID="),
        "{env}"
    );
    let exported = stdout(&vault(&t, &moto, &["export", "--format=export-env", "home"]));
    // Evaluated by a real shell, the values come back unchanged.
    let script = format!("{exported}\nprintf '%s\\n' \"$AWS_SESSION_TOKEN\"");
    let out = std::process::Command::new("bash").args(["--norc", "-c", &script]).output().unwrap();
    let token = env.lines().find_map(|l| l.strip_prefix("AWS_SESSION_TOKEN=")).unwrap();
    assert_eq!(stdout(&out).trim_end(), token);
    let ini = stdout(&vault(&t, &moto, &["export", "--format=ini", "home"]));
    assert!(ini.starts_with("[home]\naws_access_key_id="), "{ini}");
    assert!(ini.contains("\nregion=ap-south-1\n"));
    assert_eq!(moto.count("GetSessionToken"), 1, "all formats share the cached session");
}

#[test]
fn parallel_cold_cache_makes_one_sts_call() {
    let moto = Moto::start();
    let t = setup(&moto, "[profile home]\n");
    let children: Vec<_> = (0..8)
        .map(|_| {
            t.vault()
                .env("AWS_ENDPOINT_URL", moto.url())
                .args(["export", "--format=json", "home"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<Output> =
        children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    let first = json(&outputs[0]);
    for out in &outputs {
        assert_eq!(json(out), first, "every caller gets the one session");
    }
    assert_eq!(moto.count("GetSessionToken"), 1, "the refresh lock lets one process call STS");
}

#[test]
fn mfa_process_supplies_the_code_without_a_terminal() {
    let moto = Moto::start();
    let t =
        setup(&moto, &format!("[profile home]\nmfa_serial = {MFA}\nmfa_process = echo 654321\n"));
    let out = vault(&t, &moto, &["export", "home"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let call = moto.requests().pop().unwrap();
    assert_eq!(call.param("SerialNumber"), Some(MFA));
    assert_eq!(call.redacted, ["TokenCode"]);
}

#[test]
fn mfa_without_a_terminal_or_process_is_a_clear_error() {
    let moto = Moto::start();
    let t = setup(&moto, &format!("[profile home]\nmfa_serial = {MFA}\n"));
    let out = vault(&t, &moto, &["export", "home"]);
    assert_one_line_error(&out, "--mfa-token");
    assert!(moto.requests().is_empty());
}

#[test]
fn web_identity_token_file_is_a_source() {
    let moto = Moto::start();
    let t = TempHome::new();
    let token = t.home.join("token");
    fs::write(&token, "eyJhbGciOiJub25lIn0.e30.\n").unwrap();
    common::record::note_secrets(
        "web_identity_token_file",
        &[("WebIdentityToken", "eyJhbGciOiJub25lIn0.e30.")],
    );
    t.write_config(&format!(
        "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/ci\nweb_identity_token_file = {}\n\
         role_session_name = ci-run\n",
        token.display()
    ));
    let creds = json(&vault(&t, &moto, &["export", "--format=json", "ci"]));
    assert!(creds["SessionToken"].is_string());
    let call = moto.requests().pop().unwrap();
    assert_eq!(call.action, "AssumeRoleWithWebIdentity");
    assert_eq!(call.param("RoleSessionName"), Some("ci-run"));
    assert_eq!(call.redacted, ["WebIdentityToken"]);
}

#[test]
fn botocore_sees_the_expiry_through_credential_process() {
    let moto = Moto::start();
    let config = format!(
        "[profile home]\nregion = us-east-1\n[profile helper]\ncredential_process = {} export --format=json home\n",
        common::vault_bin().display()
    );
    let t = setup(&moto, &config);
    let script = "import botocore.session\n\
        s = botocore.session.Session(profile='helper')\n\
        c = s.get_credentials()\n\
        print(type(c).__name__, c._expiry_time is not None, c.get_frozen_credentials().token is not None)\n";
    let out = std::process::Command::new(common::python())
        .args(["-c", script])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &t.home)
        .env("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE)
        .env("AWS_ENDPOINT_URL", moto.url())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "RefreshableCredentials True True");
}

#[test]
fn a_corrupt_store_file_is_named_and_other_items_still_work() {
    let moto = Moto::start();
    let t = setup(&moto, "[profile home]\n[profile work]\n");
    t.add_keys("work", KEY_ID, SECRET);
    let file = t.keys_dir().join("work");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, &text[..text.len() / 2]).unwrap();

    let out = vault(&t, &moto, &["export", "work"]);
    assert_one_line_error(&out, &file.display().to_string());
    let out = vault(&t, &moto, &["export", "home"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(file.exists(), "a damaged file is reported, never deleted");
}

#[test]
fn debug_logs_go_to_stderr_without_secrets() {
    let moto = Moto::start();
    let t = setup(&moto, "[profile home]\n");
    let out = vault(&t, &moto, &["--debug", "export", "--format=json", "home"]);
    let err = stderr(&out);
    assert!(err.contains("vault: debug: calling sts:GetSessionToken"), "{err}");
    let creds = json(&out);
    for secret in
        [creds["SecretAccessKey"].as_str().unwrap(), creds["SessionToken"].as_str().unwrap()]
    {
        assert!(!err.contains(secret), "a session secret reached the debug log");
    }
}

#[test]
fn each_call_goes_to_its_own_profiles_endpoint() {
    let source_sts = Moto::start();
    let role_sts = Moto::start();
    let t = setup(
        &source_sts,
        &format!(
            "[profile home]\nmfa_serial = {MFA}\nendpoint_url = {}\n\
             [profile admin]\nsource_profile = home\nrole_arn = arn:aws:iam::123456789012:role/admin\n\
             endpoint_url = {}\n",
            source_sts.url(),
            role_sts.url()
        ),
    );
    let out = t.vault().args(["export", "--mfa-token", "123456", "admin"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let actions = |m: &Moto| m.requests().into_iter().map(|r| r.action).collect::<Vec<_>>();
    assert_eq!(actions(&source_sts), ["GetSessionToken"]);
    assert_eq!(actions(&role_sts), ["AssumeRole"]);
}

/// `--` before any positional: all of it is the command and the profile is
/// $AWS_PROFILE; a profile before `--`, or with no `--` at all, is a profile.
#[test]
fn exec_takes_the_profile_from_aws_profile_when_dashes_come_first() {
    let moto = Moto::start();
    let t = setup(&moto, "[profile home]\nregion = eu-west-1\n[profile other]\n");
    let show = ["sh", "-c", "echo \"$AWS_VAULT $AWS_REGION\""];
    let forms: [(&[&str], Option<&str>, &str); 5] = [
        (&["exec", "--"], Some("home"), "home eu-west-1"),
        (&["exec", "--region", "us-east-2", "--"], Some("home"), "home us-east-2"),
        (&["exec", "home", "--"], Some("other"), "home eu-west-1"),
        (&["exec", "home"], None, "home eu-west-1"),
        (&["--debug", "exec", "--"], Some("home"), "home eu-west-1"),
    ];
    for (args, aws_profile, want) in forms {
        let mut cmd = t.vault();
        cmd.env("AWS_ENDPOINT_URL", moto.url()).args(args).args(show);
        if let Some(p) = aws_profile {
            cmd.env("AWS_PROFILE", p);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out).trim(), want, "{args:?}");
    }
    // With the aws CLI as the command, as the error message advises.
    let out = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("AWS_PROFILE", "home")
        .args(["exec", "--"])
        .arg(aws_cli())
        .args(["sts", "get-caller-identity"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"Account\""), "{}", stdout(&out));
    // export: the profile positional, or $AWS_PROFILE.
    for (args, aws_profile) in [
        (&["export", "home"][..], None),
        (&["export", "--", "home"], None),
        (&["export"], Some("home")),
    ] {
        let mut cmd = t.vault();
        cmd.env("AWS_ENDPOINT_URL", moto.url()).args(args);
        if let Some(p) = aws_profile {
            cmd.env("AWS_PROFILE", p);
        }
        let out = cmd.output().unwrap();
        assert!(stdout(&out).contains("AWS_SESSION_TOKEN="), "{args:?}: {}", stderr(&out));
    }
}

/// `--debug` prints the plan, but neither a credential_process command line
/// (it may carry a token), nor the secret key it printed, nor an external ID.
#[test]
fn debug_plan_redacts_process_commands_and_external_ids() {
    let moto = Moto::start();
    let t = TempHome::new();
    let script = credential_script(&t);
    t.write_config(&format!(
        "[profile proc]\ncredential_process = sh {} --token=cmdline-secret-123\n\
         [profile viaproc]\nsource_profile = proc\nexternal_id = extid-secret-456\n\
         role_arn = arn:aws:iam::123456789012:role/fromproc\n",
        script.display()
    ));
    let out = vault(&t, &moto, &["--debug", "export", "viaproc"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("plan for viaproc") && err.contains("<redacted>"), "{err}");
    for secret in ["cmdline-secret-123", "extid-secret-456", "creds.sh", PROCESS_SECRET] {
        assert!(!err.contains(secret), "{secret} in the debug output: {err}");
    }
    assert_eq!(moto.requests().pop().unwrap().param("ExternalId"), Some("extid-secret-456"));
}

/// A region that cannot be one is refused where it is read, naming its source.
#[test]
fn a_bad_region_names_where_it_came_from() {
    let moto = Moto::start();
    let t =
        setup(&moto, "[profile home]\n[profile badcfg]\nsource_profile = home\nregion = eu west\n");
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 4] = [
        (&["export", "home"], &[("AWS_REGION", "eu west")], "AWS_REGION=\"eu west\" is invalid"),
        (
            &["export", "home"],
            &[("AWS_DEFAULT_REGION", "EU_WEST_1")],
            "AWS_DEFAULT_REGION=\"EU_WEST_1\" is invalid",
        ),
        (&["export", "--region", "eu/west", "home"], &[], "--region=\"eu/west\" is invalid"),
        (&["export", "badcfg"], &[], "profile \"badcfg\""),
    ];
    for (args, env, want) in cases {
        let mut cmd = t.vault();
        cmd.env("AWS_ENDPOINT_URL", moto.url()).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let err = assert_one_line_error(&cmd.output().unwrap(), want);
        assert!(err.contains("like eu-west-1") && !err.contains("construct"), "{err}");
    }
    let err = assert_one_line_error(
        &vault(&t, &moto, &["export", "badcfg"]),
        "region = \"eu west\" is invalid",
    );
    assert!(err.contains("config"), "names the file: {err}");
    assert!(moto.requests().is_empty(), "nothing was sent");
}
