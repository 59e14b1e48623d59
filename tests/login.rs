//! `vault login` end to end: the STS part against moto, the sign-in token
//! against a local fake of AWS's federation endpoint that checks the request
//! the way AWS documents it (custom identity broker console access).

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::moto::{Moto, MotoRequest};
use common::{TempHome, assert_one_line_error, stderr, stdout};

/// A token with characters that must be encoded in the final URL.
const SIGNIN_TOKEN: &str = "fake-signin+token/with=specials&more";
const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
/// What moto's GetFederationToken always returns.
const MOTO_FEDERATION_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const MOTO_FEDERATION_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
/// 40 characters: the federated user name must be cut to 32.
const USER: &str = "alice.with-a-name-longer-than-32-chars";

/// One request the fake federation endpoint received.
#[derive(Debug, Clone)]
struct SigninRequest {
    method: String,
    path: String,
    params: Vec<(String, String)>,
}

impl SigninRequest {
    fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// AWS's federation endpoint, as far as `getSigninToken` goes: answers with
/// `status` and, on 200, `{"SigninToken": ...}`. Loopback only.
struct FakeFederation {
    url: String,
    requests: Arc<Mutex<Vec<SigninRequest>>>,
}

impl FakeFederation {
    fn start(status: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/federation", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        // Serves until the test process ends; each test has its own.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                // Headers, up to the blank line; a GET has no body.
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let mut parts = request_line.split_whitespace();
                let method = parts.next().unwrap_or_default().to_owned();
                let target = parts.next().unwrap_or_default();
                let parsed = url::Url::parse(&format!("http://fake{target}")).unwrap();
                log.lock().unwrap().push(SigninRequest {
                    method,
                    path: parsed.path().to_owned(),
                    params: parsed.query_pairs().into_owned().collect(),
                });
                let body = if status == 200 {
                    serde_json::json!({ "SigninToken": SIGNIN_TOKEN }).to_string()
                } else {
                    "<html>Bad Request</html>".to_owned()
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        FakeFederation { url, requests }
    }

    fn requests(&self) -> Vec<SigninRequest> {
        self.requests.lock().unwrap().clone()
    }

    /// The only request, checked to be the documented getSigninToken call,
    /// with its Session JSON.
    fn the_signin_request(&self) -> (SigninRequest, serde_json::Value) {
        let reqs = self.requests();
        assert_eq!(reqs.len(), 1, "{reqs:#?}");
        let req = reqs[0].clone();
        assert_eq!((req.method.as_str(), req.path.as_str()), ("GET", "/federation"));
        assert_eq!(req.param("Action"), Some("getSigninToken"));
        let session: serde_json::Value =
            serde_json::from_str(req.param("Session").expect("a Session parameter")).unwrap();
        let keys: Vec<&str> = session.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["sessionId", "sessionKey", "sessionToken"]);
        let names: Vec<&str> = req.params.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            names.iter().all(|n| ["Action", "SessionDuration", "Session"].contains(n)),
            "unexpected parameters {names:?}"
        );
        (req, session)
    }
}

/// A home with an IAM user of moto's whose keys are stored under `home`.
struct Setup {
    moto: Moto,
    fed: FakeFederation,
    t: TempHome,
    key_id: String,
    secret: String,
    /// moto requests made by the setup itself, left out of `requests`.
    skip: usize,
}

fn setup(config: &str) -> Setup {
    setup_with(Moto::start(), FakeFederation::start(200), config)
}

fn setup_with(moto: Moto, fed: FakeFederation, config: &str) -> Setup {
    let admin = ("AKIAADMINADMINADMIN0", "admin-secret");
    let out = moto.aws(admin.0, admin.1, &["iam", "create-user", "--user-name", USER]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = moto.aws(admin.0, admin.1, &["iam", "create-access-key", "--user-name", USER]);
    assert!(out.status.success(), "{}", stderr(&out));
    let key: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key_id = key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned();
    let secret = key["AccessKey"]["SecretAccessKey"].as_str().unwrap().to_owned();

    let t = TempHome::with_config(config);
    t.add_keys("home", &key_id, &secret);
    let skip = moto.requests().len();
    Setup { moto, fed, t, key_id, secret, skip }
}

impl Setup {
    fn login(&self, args: &[&str]) -> Output {
        self.login_env(args, &[])
    }

    fn login_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.t.vault();
        cmd.env("AWS_ENDPOINT_URL", self.moto.url())
            .env("VAULT_FEDERATION_ENDPOINT", &self.fed.url)
            .arg("login")
            .args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let err = stderr(&out);
        assert!(!err.contains(&self.secret), "long-term secret leaked: {err}");
        assert!(!err.contains("SigninToken=") && !err.contains("fake-signin"), "URL leaked: {err}");
        assert!(!stdout(&out).contains(&self.secret));
        out
    }

    /// What vault asked moto, oldest first.
    fn requests(&self) -> Vec<MotoRequest> {
        self.moto.requests().split_off(self.skip)
    }

    fn actions(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.action).collect()
    }
}

/// The printed URL's base and query parameters.
fn parse_login_url(text: &str) -> (String, BTreeMap<String, String>) {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one line, the URL: {text:?}");
    let url = url::Url::parse(lines[0]).unwrap();
    let mut base = url.clone();
    base.set_query(None);
    (base.to_string(), url.query_pairs().into_owned().collect())
}

#[test]
fn an_iam_user_signs_in_through_get_federation_token() {
    let s = setup("[profile home]\nregion = eu-west-1\n");
    let out = s.login(&["--stdout", "--path", "s3/home", "--federation-token-ttl", "2h", "home"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "no note for a user without MFA");

    // STS: who is this, then a federation token named after the user, with
    // aws-vault's allow-all policy, signed with the stored key itself.
    assert_eq!(s.actions(), ["GetCallerIdentity", "GetFederationToken"]);
    let fed = s.requests().pop().unwrap();
    assert_eq!(fed.access_key_id.as_deref(), Some(s.key_id.as_str()));
    assert_eq!(fed.param("Name"), Some(&USER[..32]));
    assert_eq!(fed.param("DurationSeconds"), Some("7200"));
    assert_eq!(fed.param("Policy"), Some(ALLOW_ALL));

    // The federation endpoint got the federation token, and no
    // SessionDuration: a federation token's own duration is the session's.
    let (req, session) = s.fed.the_signin_request();
    assert_eq!(session["sessionId"], MOTO_FEDERATION_KEY);
    assert_eq!(session["sessionKey"], MOTO_FEDERATION_SECRET);
    assert!(session["sessionToken"].as_str().is_some_and(|t| t.len() > 20));
    assert_eq!(req.param("SessionDuration"), None);

    let (base, query) = parse_login_url(&stdout(&out));
    assert_eq!(base, s.fed.url);
    let expected: BTreeMap<String, String> = [
        ("Action", "login"),
        ("Issuer", "vault"),
        ("Destination", "https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1"),
        ("SigninToken", SIGNIN_TOKEN),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(query, expected);
}

#[test]
fn a_role_signs_in_with_its_own_session_and_a_matching_console_duration() {
    let s = setup(
        "[profile home]\n[profile admin]\nsource_profile = home\n\
         role_arn = arn:aws:iam::123456789012:role/admin\n",
    );
    let out = s.login(&["-s", "--assume-role-ttl", "2h", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A single role asking for 2h is assumed straight from the keys; its
    // credentials go to the console as they are.
    assert_eq!(s.actions(), ["AssumeRole"]);
    let assume = &s.requests()[0];
    assert_eq!(assume.param("RoleArn"), Some("arn:aws:iam::123456789012:role/admin"));
    assert_eq!(assume.param("DurationSeconds"), Some("7200"));

    let (req, session) = s.fed.the_signin_request();
    assert_ne!(session["sessionId"], s.key_id.as_str());
    assert_ne!(session["sessionId"], MOTO_FEDERATION_KEY);
    let duration: u64 = req.param("SessionDuration").expect("SessionDuration").parse().unwrap();
    assert!((7000..=7200).contains(&duration), "console session as long as the role: {duration}");

    let (_, query) = parse_login_url(&stdout(&out));
    assert_eq!(query["Destination"], "https://console.aws.amazon.com/");
}

#[test]
fn a_role_keeps_its_mfa() {
    let mfa = "arn:aws:iam::123456789012:mfa/alice";
    let s = setup(&format!(
        "[profile home]\nmfa_serial = {mfa}\n[profile admin]\nsource_profile = home\n\
         role_arn = arn:aws:iam::123456789012:role/admin\nregion = us-gov-west-1\n"
    ));
    let out = s.login(&["--stdout", "--mfa-token", "123456", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.actions(), ["GetSessionToken", "AssumeRole"]);
    let session_call = &s.requests()[0];
    assert_eq!(session_call.param("SerialNumber"), Some(mfa));
    assert_eq!(session_call.redacted, ["TokenCode"]);

    // A chained role lasts at most an hour, and so does its console session.
    let (req, _) = s.fed.the_signin_request();
    let duration: u64 = req.param("SessionDuration").unwrap().parse().unwrap();
    assert!((3500..=3600).contains(&duration), "{duration}");
    let (_, query) = parse_login_url(&stdout(&out));
    assert_eq!(
        query["Destination"],
        "https://us-gov-west-1.console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"
    );
}

#[test]
fn an_iam_user_with_mfa_is_told_the_console_session_has_none() {
    let s = setup("[profile home]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n");
    // No terminal and no --mfa-token: it must not even try to ask.
    let out = s.login(&["--stdout", "home"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.actions(), ["GetCallerIdentity", "GetFederationToken"]);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("vault: note: ")
            && err.contains("without MFA")
            && err.contains("GetFederationToken"),
        "{err}"
    );
    assert_eq!(s.requests()[1].param("DurationSeconds"), Some("3600"), "default 1h");
}

#[test]
fn federation_token_ttl_comes_from_the_environment_too() {
    let s = setup("[profile home]\n");
    let out = s.login_env(&["--stdout", "home"], &[("AWS_FEDERATION_TOKEN_TTL", "90m")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.requests()[1].param("DurationSeconds"), Some("5400"));
    let out = s.login_env(
        &["--stdout", "--duration", "3h", "home"],
        &[("AWS_FEDERATION_TOKEN_TTL", "90m")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.requests()[3].param("DurationSeconds"), Some("10800"), "flag beats env");
}

#[test]
fn without_a_browser_the_url_is_printed_with_a_warning() {
    let s = setup("[profile home]\n");
    // The test environment has no DISPLAY and no BROWSER.
    let out = s.login(&["home"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, query) = parse_login_url(&stdout(&out));
    assert_eq!(query["SigninToken"], SIGNIN_TOKEN);
    let err = stderr(&out);
    assert!(err.contains("no browser") && err.contains("15 minutes"), "{err}");
}

/// The sign-in URL reaches the browser through a page that redirects to
/// it, never in an argv (15 minutes of console access for anyone reading
/// /proc while the browser runs, `ps` included): strace sees every process
/// `vault login` starts. The page is private and gone once opened.
#[test]
fn the_browser_gets_the_url_through_a_private_page_not_its_argv() {
    if !common::peers::require_peer("strace") {
        return;
    }
    let s = setup("[profile home]\n");
    let runtime = tempfile::Builder::new().prefix("vault-run-").tempdir().unwrap();
    let (given, page, modes) =
        (s.t.home.join("given"), s.t.home.join("page"), s.t.home.join("modes"));
    let browser = s.t.home.join("fake-browser");
    let browser_env = s.t.home.join("browser-env");
    // What it was given, the page's and its folder's modes (stat opens
    // nothing), then the page, read as a browser would.
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nenv > '{}'\nprintf '%s' \"$1\" > '{}'\nf=${{1#file://}}\n\
             stat -c '%a %u' \"$f\" \"${{f%/*}}\" > '{}'\ncat \"$f\" > '{}'\n",
            browser_env.display(),
            given.display(),
            modes.display(),
            page.display()
        ),
    )
    .unwrap();
    std::process::Command::new("chmod").arg("+x").arg(&browser).status().unwrap();
    let trace = s.t.home.join("trace");
    let mut cmd = std::process::Command::new("strace");
    cmd.args(["-f", "-qq", "-e", "trace=execve", "-s", "100000", "-o"])
        .arg(&trace)
        .arg(common::vault_bin())
        .args(["login", "home"]);
    let out = cmd
        .env_clear()
        .envs(s.t.vault().get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("AWS_ENDPOINT_URL", s.moto.url())
        .env("VAULT_FEDERATION_ENDPOINT", &s.fed.url)
        .env("XDG_RUNTIME_DIR", runtime.path())
        .env("BROWSER", &browser)
        .current_dir(&s.t.home)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "nothing printed when a browser took the URL");

    // `vault login` returned once the browser had opened the page.
    let given = std::fs::read_to_string(&given).expect("the browser was started");
    let path = given.strip_prefix("file://").unwrap_or_else(|| panic!("{given}"));
    assert!(path.starts_with(runtime.path().join("vault").to_str().unwrap()), "{given}");
    assert!(!std::path::Path::new(path).exists(), "the page outlived vault login");
    let modes = std::fs::read_to_string(&modes).unwrap();
    let me = stdout(&std::process::Command::new("id").arg("-u").output().unwrap());
    assert_eq!(modes, format!("600 {me}700 {me}"), "the page and its folder are private");
    let page = std::fs::read_to_string(&page).unwrap();
    let url = page
        .split("content=\"0;url=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no redirect in {page}"))
        .replace("&amp;", "&");
    let (base, query) = parse_login_url(&url);
    assert_eq!(base, s.fed.url);
    assert_eq!(query["SigninToken"], SIGNIN_TOKEN);

    // No process vault started had the URL (nor the token) in its argv.
    let trace = std::fs::read_to_string(&trace).unwrap();
    let execs: Vec<&str> = trace.lines().filter(|l| l.contains("execve(")).collect();
    assert!(execs.iter().any(|l| l.contains("fake-browser")), "{trace}");
    let encoded: String = url::form_urlencoded::byte_serialize(SIGNIN_TOKEN.as_bytes()).collect();
    for line in execs {
        let argv = line.split(", [").nth(1).unwrap_or_default();
        let argv = argv.split("], ").next().unwrap_or_default();
        for needle in ["SigninToken", SIGNIN_TOKEN, &encoded] {
            assert!(!argv.contains(needle), "{needle} in an argv: {line}");
        }
    }
    // The browser, like every process vault starts, gets none of its secrets.
    let env = std::fs::read_to_string(&browser_env).unwrap();
    assert!(env.contains("HOME=") && !env.contains("AWS_VAULT_FILE_PASSPHRASE"), "{env}");
}

#[test]
fn a_refused_sign_in_is_one_line_without_secrets() {
    let s = setup_with(Moto::start(), FakeFederation::start(400), "[profile home]\n");
    let out = s.login(&["--stdout", "home"]);
    let err = assert_one_line_error(&out, "HTTP 400");
    assert!(err.contains(&s.fed.url), "names the endpoint: {err}");
    for secret in [MOTO_FEDERATION_SECRET, "Session=", "sessionKey"] {
        assert!(!err.contains(secret), "{err}");
    }
    assert_eq!(stdout(&out), "");
}

#[test]
fn a_plain_http_endpoint_elsewhere_is_refused() {
    let s = setup("[profile home]\n");
    let out = s.login_env(
        &["--stdout", "home"],
        &[("VAULT_FEDERATION_ENDPOINT", "http://signin.example.com/federation")],
    );
    assert_one_line_error(&out, "VAULT_FEDERATION_ENDPOINT");
    assert!(s.fed.requests().is_empty());
}

#[test]
fn session_credentials_of_a_user_are_refused_with_the_reason() {
    let s = setup("[profile home]\n");
    let script = s.t.home.join("creds.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '{{\"Version\":1,\"AccessKeyId\":\"{}\",\"SecretAccessKey\":\"{}\",\
             \"SessionToken\":\"tok\"}}'\n",
            s.key_id, s.secret
        ),
    )
    .unwrap();
    s.t.write_config(&format!("[profile proc]\ncredential_process = sh {}\n", script.display()));
    let out = s.login(&["--stdout", "proc"]);
    assert_one_line_error(&out, "long-term keys");
    assert_eq!(s.actions(), ["GetCallerIdentity"]);
    assert!(s.fed.requests().is_empty());
}

/// As aws-vault: without a profile, `login` uses the credentials in the
/// environment, which is what it finds inside a `vault exec` subshell.
#[test]
fn without_a_profile_the_environments_credentials_sign_in() {
    let s = setup(
        "[profile home]\nregion = eu-west-1\n\
         [profile admin]\nsource_profile = home\nrole_arn = arn:aws:iam::123456789012:role/admin\n\
         region = eu-west-1\n",
    );
    let vault = common::vault_bin();
    let out = s.login_env(&[], &[]);
    assert_eq!(out.status.code(), Some(1), "no profile and no keys: {}", stderr(&out));
    assert!(stderr(&out).contains("no profile given and no credentials in the environment"));

    // A role session from `vault exec`: used as it is, no federation token.
    let mut cmd = s.t.vault();
    cmd.env("AWS_ENDPOINT_URL", s.moto.url())
        .env("VAULT_FEDERATION_ENDPOINT", &s.fed.url)
        .args(["exec", "admin", "--"])
        .arg(&vault)
        .args(["login", "--stdout"]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains(&s.secret));
    let (_, query) = parse_login_url(&stdout(&out));
    assert_eq!(
        query["Destination"],
        "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
    );
    assert_eq!(s.actions(), ["AssumeRole", "GetCallerIdentity"]);
    let (req, session) = s.fed.the_signin_request();
    assert!(session["sessionId"].as_str().unwrap().starts_with("ASIA"));
    assert!(req.param("SessionDuration").is_some(), "a role session asks for its length");

    // An IAM user's own keys in the environment go through GetFederationToken.
    let out = s.login_env(
        &["--stdout"],
        &[("AWS_ACCESS_KEY_ID", &s.key_id), ("AWS_SECRET_ACCESS_KEY", &s.secret)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.actions()[2..], ["GetCallerIdentity", "GetFederationToken"]);
}

/// Inside `vault exec` of an IAM-user profile the environment holds a
/// session, which the console refuses: the message names the profile from
/// AWS_VAULT and says what to do.
#[test]
fn login_inside_exec_of_an_iam_user_names_the_profile_and_the_way_out() {
    let s = setup("[profile home]\nregion = eu-west-1\n");
    let mut cmd = s.t.vault();
    cmd.env("AWS_ENDPOINT_URL", s.moto.url())
        .env("VAULT_FEDERATION_ENDPOINT", &s.fed.url)
        .args(["exec", "home", "--"])
        .arg(common::vault_bin())
        .args(["login", "--stdout"]);
    let out = cmd.output().unwrap();
    let err = assert_one_line_error(&out, "profile \"home\" (from `vault exec`, AWS_VAULT)");
    assert!(!err.contains("from the environment\""), "{err}");
    assert!(
        err.contains("run `vault login home`") && err.contains("--federation-token-ttl"),
        "{err}"
    );
    assert!(err.contains("role profile"), "{err}");
    assert!(s.fed.requests().is_empty());
}
