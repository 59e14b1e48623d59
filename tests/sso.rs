//! IAM Identity Center profiles end to end, against tests/support/sso_peer.py (a fake
//! of the OIDC service and the portal: there is no local Identity Center) with a fake
//! browser (`$BROWSER`, a script that fetches the URL, which approves the sign-in).
//! botocore, an independent client, drives the same fake from the cache vault wrote.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use common::sso::SsoPeer;
use common::{TempHome, python, stderr, stdout};
use serde_json::Value;

const START_URL: &str = "https://corp.awsapps.com/start";

fn config(extra_scope: bool) -> String {
    let scopes =
        if extra_scope { "sso_registration_scopes = codewhisperer:completions\n" } else { "" };
    format!(
        "[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\n{scopes}\
         [profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
         region = eu-west-1\n\
         [profile dev2]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
         [profile legacy]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\n\
         sso_account_id = 111122223333\nsso_role_name = Dev\n"
    )
}

fn vault(home: &TempHome, peer: &SsoPeer, args: &[&str]) -> Command {
    let mut cmd = home.vault();
    cmd.env("AWS_VAULT_BACKEND", "file")
        .env("AWS_ENDPOINT_URL_SSO", &peer.url)
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &peer.url)
        .env("BROWSER", peer.browser())
        .args(args);
    cmd
}

/// The device-code flow (the browser script approves the device URL).
fn export(home: &TempHome, peer: &SsoPeer, profile: &str) -> Output {
    vault(home, peer, &["--debug", "export", "--format", "json", "--use-device-code", profile])
        .output()
        .unwrap()
}

/// Sign-ins the fake saw, of either flow.
fn sign_ins(peer: &SsoPeer) -> usize {
    peer.count("StartDeviceAuthorization") + peer.count("Authorize")
}

fn assert_credentials(out: &Output) -> Value {
    assert!(out.status.success(), "vault failed: {}", stderr(out));
    let json: Value = serde_json::from_str(&stdout(out)).unwrap();
    assert!(json["AccessKeyId"].as_str().unwrap().starts_with("ASIA"), "{json}");
    json
}

/// The secrets the store holds (tokens, client secret) appear in no output.
fn assert_no_secrets(out: &Output) {
    let err = stderr(out);
    // The fake's prefixes: access and refresh tokens, client secret, device and
    // authorization codes, role credentials.
    for needle in ["at-", "rt-", "csecret-", "dc-", "code-", "sso-secret-", "sso-session-"] {
        assert!(!err.contains(needle), "{needle} leaked on stderr: {err}");
    }
}

#[test]
fn a_device_code_sign_in_asks_for_refresh_tokens_and_is_cached() {
    let peer = SsoPeer::start(3600);
    let home = TempHome::with_config(&config(true));
    let out = export(&home, &peer, "dev");
    let creds = assert_credentials(&out);
    assert_no_secrets(&out);
    let err = stderr(&out);
    assert!(err.contains(&format!("{}/device?user_code=", peer.url)), "{err}");
    assert!(err.contains("check that it shows the code"), "{err}");

    let register: Vec<Value> =
        peer.requests().into_iter().filter(|r| r["op"] == "RegisterClient").collect();
    assert_eq!(register.len(), 1);
    assert_eq!(register[0]["clientType"], "public");
    let scopes = register[0]["scopes"].as_array().unwrap();
    assert!(scopes.contains(&"sso:account:access".into()), "{scopes:?}");
    assert!(scopes.contains(&"codewhisperer:completions".into()), "{scopes:?}");
    let starts: Vec<Value> =
        peer.requests().into_iter().filter(|r| r["op"] == "StartDeviceAuthorization").collect();
    assert_eq!(starts.len(), 1);
    assert_eq!(starts[0]["startUrl"], START_URL);
    assert!(
        peer.requests().iter().any(|r| r["error"] == "AuthorizationPendingException")
            || peer.count_grant("urn:ietf:params:oauth:grant-type:device_code") == 1
    );
    assert_eq!(peer.count("GetRoleCredentials"), 1);

    // aws-vault's keys: the token under oidc:<start url>, the role credentials as a session.
    let files = home.key_files();
    assert!(files.contains(&"oidc:https:%2F%2Fcorp.awsapps.com%2Fstart".to_owned()), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("sso.GetRoleCredentials,")), "{files:?}");

    // Warm: no call at all, the same credentials.
    let again = assert_credentials(&export(&home, &peer, "dev"));
    assert_eq!(again["AccessKeyId"], creds["AccessKeyId"]);
    assert_eq!(peer.count("GetRoleCredentials"), 1);

    // Another profile of the same sign-in: no new sign-in, one portal call.
    assert_credentials(&export(&home, &peer, "dev2"));
    assert_eq!(peer.count("StartDeviceAuthorization"), 1);
    assert_eq!(peer.count("GetRoleCredentials"), 2);
}

#[test]
fn with_a_browser_the_authorization_code_flow_uses_pkce_and_a_loopback_redirect() {
    let peer = SsoPeer::start(3600);
    let home = TempHome::with_config(&config(true));
    let out =
        vault(&home, &peer, &["--debug", "export", "--format", "json", "dev"]).output().unwrap();
    assert_credentials(&out);
    assert_no_secrets(&out);
    let err = stderr(&out);
    assert!(err.contains(&format!("your browser was opened at {}/authorize?", peer.url)), "{err}");
    // The browser got a page redirecting there: the state is in no argv.
    let given = peer.browser_argv();
    assert!(!given.is_empty() && given.lines().all(|l| l.starts_with("file://")), "{given}");
    assert!(!given.contains("state=") && !given.contains("authorize"), "{given}");
    assert_eq!(peer.count("StartDeviceAuthorization"), 0);
    let requests = peer.requests();
    let register = requests.iter().find(|r| r["op"] == "RegisterClient").unwrap();
    assert_eq!(register["grantTypes"], serde_json::json!(["authorization_code", "refresh_token"]));
    let redirect = register["redirectUris"][0].as_str().unwrap();
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/oauth/callback"));
    let authorize = requests.iter().find(|r| r["op"] == "Authorize").unwrap();
    assert_eq!(authorize["codeChallengeMethod"], "S256");
    assert_eq!(authorize["scopes"], "codewhisperer:completions sso:account:access");
    let token = requests
        .iter()
        .find(|r| r["op"] == "CreateToken" && r["grantType"] == "authorization_code")
        .unwrap();
    assert_eq!(token["pkceVerified"], true);
    assert_eq!(token["status"], 200);
    // The token came with a refresh token: an expiring one is renewed, not signed in again.
    assert_eq!(peer.count("GetRoleCredentials"), 1);
}

#[test]
fn a_role_profile_sourced_from_an_sso_profile_assumes_its_role_with_the_sso_credentials() {
    let peer = SsoPeer::start(3600);
    let moto = common::moto::Moto::start();
    let home = TempHome::with_config(&format!(
        "{}[profile admin]\nsource_profile = dev\nrole_arn = arn:aws:iam::111122223333:role/admin\n",
        config(false)
    ));
    let out = vault(&home, &peer, &["export", "--format", "json", "--use-device-code", "dev"])
        .output()
        .unwrap();
    let sso = assert_credentials(&out);
    let out = vault(&home, &peer, &["export", "--format", "json", "admin"])
        .env("AWS_ENDPOINT_URL_STS", moto.url())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let role: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_ne!(role["AccessKeyId"], sso["AccessKeyId"]);
    let calls = moto.requests();
    let assume: Vec<_> = calls.iter().filter(|r| r.action == "AssumeRole").collect();
    assert_eq!(assume.len(), 1, "{calls:?}");
    // Signed with the cached SSO role credentials: no second portal call, no sign-in.
    assert_eq!(assume[0].access_key_id.as_deref(), sso["AccessKeyId"].as_str());
    assert_eq!(peer.count("GetRoleCredentials"), 1);
    assert_eq!(sign_ins(&peer), 1);
}

#[test]
fn a_role_the_user_may_not_use_is_one_clear_error_not_another_sign_in() {
    let peer = SsoPeer::start(3600);
    let home = TempHome::with_config(&format!(
        "{}[profile other]\nsso_session = corp\nsso_account_id = 999999999999\nsso_role_name = Admin\n",
        config(false)
    ));
    assert_credentials(&export(&home, &peer, "dev"));
    let out = vault(&home, &peer, &["export", "--format", "json", "other"]).output().unwrap();
    common::assert_one_line_error(&out, "refused role Admin in account 999999999999");
    assert!(stderr(&out).contains("sso_role_name"), "{}", stderr(&out));
    assert_eq!(sign_ins(&peer), 1);
    assert!(home.key_files().iter().any(|f| f.starts_with("oidc:")));
}

#[test]
fn the_ecs_credential_server_serves_sso_role_credentials() {
    let peer = SsoPeer::start(3600);
    let home = TempHome::with_config(&config(false));
    let script = "import boto3\n\
                  c = boto3.session.Session().get_credentials()\n\
                  print(c.method, c.get_frozen_credentials().access_key[:4])\n";
    let python = python();
    let out = vault(
        &home,
        &peer,
        &["exec", "--ecs-server", "--use-device-code", "dev", "--", &python, "-c", script],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "container-role ASIA\n");
    assert_no_secrets(&out);
    assert_eq!(sign_ins(&peer), 1);
    assert_eq!(peer.count("GetRoleCredentials"), 1);
}

#[test]
fn entering_a_directory_signs_in_once_like_an_mfa_prompt() {
    let peer = SsoPeer::start(3600);
    let home = TempHome::with_config(&config(false));
    let project = home.home.join("proj");
    fs::create_dir(&project).unwrap();
    fs::write(project.join(".awsprofile"), "dev\n").unwrap();
    let in_project = |args: &[&str]| {
        vault(&home, &peer, args).current_dir(&project).env("PWD", &project).output().unwrap()
    };
    assert!(in_project(&["allow"]).status.success());
    // Entering the directory signs in (the browser script approves), as an
    // MFA profile would ask its code there.
    let out = in_project(&["hook-env", "--force", "bash"]);
    assert!(stdout(&out).contains("AWS_ACCESS_KEY_ID=ASIA"), "{}", stderr(&out));
    assert!(stderr(&out).contains("IAM Identity Center sign-in"), "{}", stderr(&out));
    assert_no_secrets(&out);
    assert_eq!(sign_ins(&peer), 1);
    // The next entry uses that sign-in.
    let out = in_project(&["hook-env", "--force", "bash"]);
    assert!(stdout(&out).contains("AWS_ACCESS_KEY_ID=ASIA"), "{}", stderr(&out));
    assert_eq!(sign_ins(&peer), 1, "a second sign-in");
}

#[test]
fn slow_down_adds_five_seconds_to_the_polling_interval() {
    let peer = SsoPeer::start_with(3600, &["--slow-down-once"]);
    let home = TempHome::with_config(&config(false));
    assert_credentials(&export(&home, &peer, "dev"));
    let polls: Vec<Value> = peer
        .requests()
        .into_iter()
        .filter(|r| {
            r["op"] == "CreateToken" && r["grantType"].as_str().unwrap().ends_with("device_code")
        })
        .collect();
    assert_eq!(polls.len(), 2, "{polls:?}");
    assert_eq!(polls[0]["error"], "SlowDownException");
    assert_eq!(polls[1]["status"], 200);
    let gap = polls[1]["t"].as_f64().unwrap() - polls[0]["t"].as_f64().unwrap();
    // The fake's interval is 1s; after slow_down vault waits 1 + 5.
    assert!(gap >= 5.9, "polled again after {gap}s");
}

#[test]
fn a_token_from_the_aws_cli_cache_needs_no_sign_in() {
    let peer = SsoPeer::start(3600);
    let first = TempHome::with_config(&config(false));
    let out = vault(
        &first,
        &peer,
        &["export", "--format", "json", "--use-device-code", "--write-sso-cache", "legacy"],
    )
    .output()
    .unwrap();
    assert_credentials(&out);
    // Another home with only the aws CLI's cache file, as `aws sso login` leaves it:
    // named by sha1 of the start URL for the legacy form.
    let second = TempHome::with_config(&config(false));
    let name = format!("{}.json", sha1_hex(START_URL));
    let cache = second.home.join(".aws/sso/cache");
    fs::create_dir_all(&cache).unwrap();
    fs::copy(first.home.join(".aws/sso/cache").join(&name), cache.join(&name)).unwrap();
    assert_credentials(&export(&second, &peer, "legacy"));
    assert_eq!(sign_ins(&peer), 1);
    assert_eq!(peer.count("GetRoleCredentials"), 2);
}

#[test]
fn an_expiring_token_is_renewed_with_the_refresh_token_not_a_new_sign_in() {
    // Tokens shorter than vault's 5-minute renewal margin: every use renews.
    let peer = SsoPeer::start(120);
    let home = TempHome::with_config(&config(false));
    assert_credentials(&export(&home, &peer, "dev"));
    let out = export(&home, &peer, "dev2");
    assert_credentials(&out);
    assert_no_secrets(&out);
    assert_eq!(peer.count("StartDeviceAuthorization"), 1);
    assert_eq!(peer.count_grant("refresh_token"), 1);
    assert_eq!(peer.count("GetRoleCredentials"), 2);
}

#[test]
fn a_token_the_portal_refuses_leads_to_exactly_one_new_sign_in() {
    let peer = SsoPeer::start(3600);
    let home = TempHome::with_config(&config(false));
    assert_credentials(&export(&home, &peer, "dev"));
    peer.revoke();
    let out = export(&home, &peer, "dev2");
    assert_credentials(&out);
    assert_no_secrets(&out);
    let unauthorized = peer
        .requests()
        .iter()
        .filter(|r| r["op"] == "GetRoleCredentials" && r["status"] == 401)
        .count();
    assert_eq!(unauthorized, 1);
    assert_eq!(peer.count("StartDeviceAuthorization"), 2);
    assert_eq!(peer.count("GetRoleCredentials"), 3);

    // `vault remove` of an SSO profile (no stored keys) drops its sessions and sign-in.
    let removed = vault(&home, &peer, &["remove", "dev2"]).output().unwrap();
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert!(stdout(&removed).contains(&format!("sign-in to {START_URL}")), "{}", stdout(&removed));
    let files = home.key_files();
    assert!(!files.iter().any(|f| f.starts_with("oidc:")), "{files:?}");
    assert!(!files.iter().any(|f| f.contains(",ZGV2Mg,")), "{files:?}");
}

#[test]
fn sixteen_parallel_cold_calls_share_one_sign_in() {
    let peer = SsoPeer::start(3600);
    let home = TempHome::with_config(&config(false));
    let children: Vec<Child> = (0..16)
        .map(|_| {
            vault(&home, &peer, &["export", "--format", "json", "dev"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        assert_credentials(&child.wait_with_output().unwrap());
    }
    // With $BROWSER set, the browser flow: one authorize redirect for all 16.
    assert_eq!(sign_ins(&peer), 1);
    assert_eq!(peer.count("Authorize"), 1);
    assert_eq!(peer.count("RegisterClient"), 1);
    assert_eq!(peer.count("GetRoleCredentials"), 1);
}

#[test]
fn login_sso_only_signs_in_without_printing_credentials_and_clear_drops_the_token() {
    let peer = SsoPeer::start(3600);
    let home = TempHome::with_config(&config(false));
    let out = vault(&home, &peer, &["login", "--sso-only", "--no-browser", "legacy"])
        .spawn_and_approve(&peer);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains(&format!("signed in to {START_URL}")), "{}", stderr(&out));
    assert_no_secrets(&out);
    assert_eq!(peer.count("GetRoleCredentials"), 0);
    assert!(home.key_files().iter().any(|f| f.starts_with("oidc:")));

    // The profile then needs no sign-in.
    assert_credentials(&export(&home, &peer, "legacy"));
    assert_eq!(peer.count("StartDeviceAuthorization"), 1);

    let list = vault(&home, &peer, &["list"]).output().unwrap();
    assert!(list.status.success(), "{}", stderr(&list));
    let table = stdout(&list);
    let row = table.lines().find(|l| l.starts_with("legacy ")).unwrap_or_default();
    assert!(row.contains("sso:corp.awsapps.com"), "{table}");
    assert!(
        row.contains("sso.GetRoleCredentials:") && row.contains("oidc:corp.awsapps.com"),
        "{table}"
    );
    let row = table.lines().find(|l| l.starts_with("dev ")).unwrap_or_default();
    assert!(row.contains("sso:corp") && row.contains("oidc:corp"), "{table}");

    let clear = vault(&home, &peer, &["clear"]).output().unwrap();
    assert!(clear.status.success(), "{}", stderr(&clear));
    assert!(
        stdout(&clear).contains("Cleared 1 IAM Identity Center sign-in."),
        "{}",
        stdout(&clear)
    );
    assert_eq!(home.key_files(), Vec::<String>::new());
}

/// `--no-browser`: nothing is opened, so the test approves the way a user would, by
/// opening the URL vault printed.
trait SpawnAndApprove {
    fn spawn_and_approve(&mut self, peer: &SsoPeer) -> Output;
}

impl SpawnAndApprove for Command {
    fn spawn_and_approve(&mut self, peer: &SsoPeer) -> Output {
        use std::io::BufRead;
        let mut child = self.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let err = child.stderr.take().unwrap();
        let (url_tx, url_rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            for line in std::io::BufReader::new(err).lines() {
                let line = line.unwrap();
                if let Some(url) =
                    line.split_whitespace().find(|w| w.contains("/device?user_code="))
                {
                    url_tx.send(url.to_owned()).unwrap();
                }
                text.push_str(&line);
                text.push('\n');
            }
            text
        });
        let url = url_rx.recv_timeout(Duration::from_secs(20)).expect("vault printed no URL");
        assert_eq!(peer.count("BrowserApprove"), 0, "--no-browser opened a browser");
        let status = Command::new(peer.browser()).arg(url).status().unwrap();
        assert!(status.success());
        let out = child.wait_with_output().unwrap();
        Output { stderr: reader.join().unwrap().into_bytes(), ..out }
    }
}

#[test]
fn botocore_uses_the_sign_in_vault_wrote_to_the_aws_cli_cache() {
    let peer = SsoPeer::start(120);
    let home = TempHome::with_config(&config(false));
    let out = vault(
        &home,
        &peer,
        &["export", "--format", "json", "--write-sso-cache", "--use-device-code", "dev"],
    )
    .output()
    .unwrap();
    assert_credentials(&out);
    let cache = home.home.join(".aws/sso/cache");
    let files: Vec<PathBuf> = fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    // sha1("corp"), the sso-session name, as the aws CLI names it.
    let name = files[0].file_name().unwrap().to_str().unwrap().to_owned();
    assert_eq!(name, format!("{}.json", sha1_hex("corp")));
    assert_eq!(fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600);

    let before = peer.count("GetRoleCredentials");
    // The credential provider (GetRoleCredentials, after the token provider renewed
    // the short token with the refresh token vault stored), then the portal's
    // listings with the renewed token botocore wrote back.
    let script = "import botocore.session, glob, json, os\n\
                  s = botocore.session.Session(profile='dev')\n\
                  c = s.get_credentials().get_frozen_credentials()\n\
                  print(c.access_key[:4])\n\
                  path = glob.glob(os.path.expanduser('~/.aws/sso/cache/*.json'))[0]\n\
                  token = json.load(open(path))['accessToken']\n\
                  sso = s.create_client('sso', region_name='eu-west-1')\n\
                  accounts = sso.list_accounts(accessToken=token)['accountList']\n\
                  roles = sso.list_account_roles(accessToken=token, accountId=accounts[0]['accountId'])\n\
                  print(accounts[0]['accountId'], roles['roleList'][0]['roleName'])\n";
    let boto = Command::new(python())
        .env_clear()
        .env("HOME", &home.home)
        .env("AWS_CONFIG_FILE", home.config_path())
        .env("AWS_ENDPOINT_URL_SSO", &peer.url)
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &peer.url)
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(boto.status.success(), "botocore: {}", stderr(&boto));
    assert_eq!(stdout(&boto), "ASIA\n111122223333 Dev\n");
    assert_eq!(peer.count("GetRoleCredentials"), before + 1);
    // botocore renewed the short token with the refresh token and client vault stored.
    assert_eq!(peer.count_grant("refresh_token"), 1);
    assert_eq!(peer.count("StartDeviceAuthorization"), 1);
}

fn sha1_hex(text: &str) -> String {
    let out = Command::new(python())
        .args([
            "-c",
            "import hashlib, sys; print(hashlib.sha1(sys.argv[1].encode()).hexdigest())",
            text,
        ])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}
