//! `exec --ecs-server` and `exec --ec2-server` against a real STS (moto on
//! 127.0.0.1), with the aws CLI and boto3 as the command: credentials served
//! and renewed, IMDSv2, the security checks, flags, exit status and signals.
//!
//! Every request here goes to a 127.0.0.0/8 address: the EC2 emulation
//! listens on 127.0.0.2 and SDKs are pointed at it, never at 169.254.169.254.

mod common;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::http::http;
use common::moto::{Moto, aws_cli};
use common::{TempHome, assert_one_line_error, python, stderr, stdout};

const KEY_ID: &str = "AKIAVAULTTESTKEY0001";
const SECRET: &str = "vaultTestSecretKey/0001+abcdefghijklmnopq";
const MFA: &str = "arn:aws:iam::123456789012:mfa/jonsmith";
const ROLE: &str = "arn:aws:iam::123456789012:role/deployer";
/// The EC2 emulation's address in tests: loopback, port chosen by the OS.
const EC2_ADDR: &str = "127.0.0.2:0";

/// A home whose `home` profile has stored keys.
fn setup(config: &str) -> TempHome {
    let t = TempHome::with_config(config);
    t.add_keys("home", KEY_ID, SECRET);
    t
}

/// `vault ARGS` aimed at moto, run to its end.
fn vault(t: &TempHome, moto: &Moto, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = t.vault();
    cmd.env("AWS_ENDPOINT_URL", moto.url()).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    for text in [stdout(&out), stderr(&out)] {
        assert!(!text.contains(SECRET), "long-term secret leaked: {text}");
    }
    out
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A running `vault exec <server flags> home -- <waiting child>`: the child
/// saves its environment and waits until told to stop.
struct Served {
    child: Child,
    dir: tempfile::TempDir,
    env: BTreeMap<String, String>,
}

impl Served {
    fn start(t: &TempHome, moto: &Moto, flags: &[&str], env: &[(&str, &str)]) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let (env_file, stop) = (dir.path().join("env"), dir.path().join("stop"));
        let mut cmd = t.vault();
        cmd.env("AWS_ENDPOINT_URL", moto.url()).arg("exec").args(flags).args([
            "home",
            "--",
            "sh",
            "-c",
            r#"env > "$0.tmp" && mv "$0.tmp" "$0"; while [ ! -e "$1" ]; do sleep 0.05; done"#,
        ]);
        cmd.arg(&env_file).arg(&stop);
        for (k, v) in env {
            cmd.env(k, v);
        }
        // stderr to a file: a pipe nobody reads could fill up and block vault.
        let log = File::create(dir.path().join("stderr")).unwrap();
        let mut child = cmd.stdout(Stdio::null()).stderr(log).spawn().unwrap();
        let started = Instant::now();
        while !env_file.exists() {
            if let Some(status) = child.try_wait().unwrap() {
                let log = fs::read_to_string(dir.path().join("stderr")).unwrap();
                panic!("vault exited ({status}) before its command started: {log}");
            }
            assert!(started.elapsed() < Duration::from_secs(30), "the command never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        let env = fs::read_to_string(&env_file)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Served { child, dir, env }
    }

    /// The ECS server's address and token.
    fn ecs(&self) -> (SocketAddr, String) {
        let uri = &self.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"];
        let addr = uri.strip_prefix("http://").unwrap().trim_end_matches('/').parse().unwrap();
        (addr, self.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"].clone())
    }

    /// The EC2 server's address.
    fn ec2(&self) -> SocketAddr {
        let uri = &self.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"];
        uri.strip_prefix("http://").unwrap().trim_end_matches('/').parse().unwrap()
    }

    fn stderr(&self) -> String {
        fs::read_to_string(self.dir.path().join("stderr")).unwrap()
    }

    /// Lets the command finish; returns vault's exit code and stderr.
    fn stop(mut self) -> (Option<i32>, String) {
        File::create(self.dir.path().join("stop")).unwrap();
        let status = self.child.wait().unwrap();
        (status.code(), self.stderr())
    }
}

impl Drop for Served {
    /// After a failed assertion: tell the command to finish, so that killing
    /// vault leaves no orphan waiting for a stop file that is gone.
    fn drop(&mut self) {
        let _ = File::create(self.dir.path().join("stop"));
        let started = Instant::now();
        while matches!(self.child.try_wait(), Ok(None))
            && started.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Python script for the venv's interpreter (boto3 is installed there).
fn py(script: &str) -> Vec<String> {
    vec![python(), "-c".to_owned(), script.to_owned()]
}

/// boto3 as the command: prints how it found credentials, its key id and
/// the caller ARN.
const BOTO3_IDENTITY: &str = r#"
import json, boto3
s = boto3.session.Session()
arn = s.client("sts").get_caller_identity()["Arn"]
c = s.get_credentials()
print(json.dumps({"method": c.method, "key": c.get_frozen_credentials().access_key, "arn": arn}))
"#;

#[test]
fn ecs_server_serves_the_aws_cli_and_boto3() {
    let moto = Moto::start();
    let t = setup("[profile home]\nregion = us-east-1\n");
    let aws = aws_cli().display().to_string();
    let out = vault(
        &t,
        &moto,
        &[
            "exec",
            "--ecs-server",
            "home",
            "--",
            &aws,
            "sts",
            "get-caller-identity",
            "--output",
            "json",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(json(&stdout(&out))["Account"].is_string());
    let call = moto.requests().into_iter().find(|r| r.action == "GetCallerIdentity").unwrap();
    let key = call.access_key_id.unwrap();
    assert_ne!(key, KEY_ID, "signed with the served session, not the stored key");

    let script = py(BOTO3_IDENTITY);
    let mut args = vec!["exec", "-s", "home", "--"];
    args.extend(script.iter().map(String::as_str));
    let out = vault(&t, &moto, &args, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = json(&stdout(&out));
    assert_eq!(got["method"], "container-role");
    assert_eq!(got["key"].as_str(), Some(key.as_str()));
    // The second run reused the cached session: one STS call in all.
    assert_eq!(moto.count("GetSessionToken"), 1);
}

#[test]
fn ecs_command_gets_the_server_and_no_keys() {
    let moto = Moto::start();
    let t = setup("[profile home]\nregion = eu-west-1\n");
    let parent = [
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/elsewhere"),
        ("AWS_ACCESS_KEY_ID", "AKIAFROMPARENT"),
        ("AWS_SECRET_ACCESS_KEY", "secret-from-the-parent"),
        ("AWS_SESSION_TOKEN", "token-from-the-parent"),
        ("__VAULT_STATE", "the-hooks-saved-keys"),
    ];
    let first = Served::start(&t, &moto, &["--server"], &parent);
    let env = &first.env;
    assert!(env["AWS_CONTAINER_CREDENTIALS_FULL_URI"].starts_with("http://127.0.0.1:"), "{env:?}");
    assert_eq!(env["AWS_CONTAINER_AUTHORIZATION_TOKEN"].len(), 40);
    assert_eq!((env["AWS_VAULT"].as_str(), env["AWS_REGION"].as_str()), ("home", "eu-west-1"));
    for absent in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_CREDENTIAL_EXPIRATION",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        "AWS_VAULT_FILE_PASSPHRASE",
        "__VAULT_STATE",
    ] {
        assert!(!env.contains_key(absent), "{absent} must not reach the command");
    }
    let values = env.values().cloned().collect::<Vec<_>>().join("\n");
    for secret in [common::PASSPHRASE, "secret-from-the-parent", "token-from-the-parent"] {
        assert!(!values.contains(secret), "{secret} reached the command");
    }
    let (_, token) = first.ecs();
    let second = Served::start(&t, &moto, &["--ecs-server"], &[]);
    assert_ne!(second.ecs().1, token, "a fresh token per run");
    assert_ne!(second.ecs().0, first.ecs().0, "a port per run");
    assert_eq!(first.stop().0, Some(0));
    assert_eq!(second.stop().0, Some(0));
}

#[test]
fn ecs_server_refuses_wrong_tokens_and_assumes_roles() {
    let moto = Moto::start();
    let t = setup("[profile home]\nregion = us-east-1\n");
    let served = Served::start(&t, &moto, &["--ecs-server"], &[]);
    let (addr, token) = served.ecs();

    let (status, _, body) = http(addr, "GET", "/", &[("Authorization", &token)]);
    assert_eq!(status, 200, "{body}");
    let base = json(&body);
    let (key, secret) =
        (base["AccessKeyId"].as_str().unwrap(), base["SecretAccessKey"].as_str().unwrap());
    assert!(base["Token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(base["Expiration"].as_str().unwrap().ends_with('Z'));

    let lower = token.to_lowercase();
    let upper = token.to_uppercase();
    let bearer = format!("Bearer {token}");
    let refused: [&[(&str, &str)]; 5] = [
        &[],
        &[("Authorization", "not-the-token")],
        &[("Authorization", &lower)],
        &[("Authorization", &upper)],
        &[("Authorization", &bearer)],
    ];
    for headers in refused {
        for path in ["/", &format!("/role-arn/{ROLE}")] {
            let (status, _, body) = http(addr, "GET", path, headers);
            assert_eq!(status, 403, "{headers:?} {path}: {body}");
            assert!(json(&body)["Message"].is_string(), "{body}");
            for leak in [key, secret, &token, SECRET] {
                assert!(!body.contains(leak), "refusal leaked {leak}: {body}");
            }
        }
    }

    let role_path = format!("/role-arn/{ROLE}");
    let (status, _, body) = http(addr, "GET", &role_path, &[("Authorization", &token)]);
    assert_eq!(status, 200, "{body}");
    let role = json(&body);
    assert_ne!(role["AccessKeyId"], base["AccessKeyId"]);
    let (_, _, again) = http(addr, "GET", &role_path, &[("Authorization", &token)]);
    assert_eq!(json(&again)["AccessKeyId"], role["AccessKeyId"], "cached per role");
    let assumed: Vec<_> =
        moto.requests().into_iter().filter(|r| r.action == "AssumeRole").collect();
    assert_eq!(assumed.len(), 1);
    assert_eq!(assumed[0].param("RoleArn"), Some(ROLE));
    assert_eq!(assumed[0].access_key_id.as_deref(), Some(key), "assumed with the served session");
    assert_eq!(assumed[0].param("DurationSeconds"), Some("3600"));
    assert_eq!(served.stop().0, Some(0));
}

#[test]
fn ec2_server_serves_the_aws_cli_and_boto3_over_imdsv2() {
    let moto = Moto::start();
    let t = setup("[profile home]\nregion = us-east-1\n");
    let ec2 = ["--debug", "exec", "--ec2-server", "--ec2-server-addr", EC2_ADDR, "home", "--"];

    let aws = aws_cli().display().to_string();
    let mut args = ec2.to_vec();
    args.extend([aws.as_str(), "sts", "get-caller-identity", "--output", "json"]);
    let out = vault(&t, &moto, &args, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(json(&stdout(&out))["Account"].is_string());
    let log = stderr(&out);
    assert!(log.contains("PUT /latest/api/token -> 200"), "IMDSv2 was not used: {log}");
    assert!(log.contains("IMDSv2 token accepted"), "{log}");
    assert!(
        log.contains("GET /latest/meta-data/iam/security-credentials/local-credentials -> 200"),
        "{log}"
    );
    assert!(!log.contains("-> 401"), "{log}");

    let script = py(BOTO3_IDENTITY);
    let mut args = ec2.to_vec();
    args.extend(script.iter().map(String::as_str));
    let out = vault(&t, &moto, &args, &[("AWS_EC2_METADATA_DISABLED", "true")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&stdout(&out))["method"], "iam-role");
    assert!(stderr(&out).contains("PUT /latest/api/token -> 200"));
    assert_eq!(moto.count("GetSessionToken"), 1);
}

#[test]
fn ec2_server_serves_no_other_user() {
    let Some(user) = common::other_user::OtherUser::create() else { return };
    let moto = Moto::start();
    let t = setup("[profile home]\n");
    let served = Served::start(&t, &moto, &["--ec2-server", "--ec2-server-addr", EC2_ADDR], &[]);
    let base = format!("http://{}/", served.ec2());
    // The IMDSv2 dance an SDK does, as the other user: on loopback their
    // processes are as local as ours, and a PUT with a header is all it takes.
    const IMDS: &str = "import sys, urllib.request as u, urllib.error as e
b = sys.argv[1]
def ask(r):
    try:
        with u.urlopen(r) as x: return x.status, x.read().decode()
    except e.HTTPError as x: return x.code, x.read().decode()
s, t = ask(u.Request(b + 'latest/api/token', method='PUT', headers={'X-aws-ec2-metadata-token-ttl-seconds': '60'}))
print(s, t)
s, c = ask(u.Request(b + 'latest/meta-data/iam/security-credentials/local-credentials', headers={'X-aws-ec2-metadata-token': t}))
print(s, c)";
    let run = |cmd: &mut Command| stdout(&cmd.args(["-c", IMDS, &base]).output().unwrap());
    let theirs = run(&mut user.command("python3"));
    let lines: Vec<&str> = theirs.lines().collect();
    assert_eq!(lines.len(), 2, "{theirs}");
    for line in &lines {
        assert!(line.starts_with("403 ") && line.contains("its own user"), "{theirs}");
    }
    assert!(!theirs.contains("AccessKeyId"), "{theirs}");
    // The same requests from the server's own user get the credentials.
    let ours = run(&mut Command::new("python3"));
    assert!(ours.lines().nth(1).is_some_and(|l| l.starts_with("200 ")), "{ours}");
    assert!(ours.contains("AccessKeyId"), "{ours}");
}

#[test]
fn ec2_server_checks_host_and_tokens() {
    let moto = Moto::start();
    let t = setup("[profile home]\nregion = ap-south-1\n");
    let served = Served::start(&t, &moto, &["--ec2-server", "--ec2-server-addr", EC2_ADDR], &[]);
    let addr = served.ec2();
    assert_eq!(addr.ip().to_string(), "127.0.0.2");
    const CREDS: &str = "/latest/meta-data/iam/security-credentials/local-credentials";

    // IMDSv2 from the first request: a plain GET (IMDSv1, or an SSRF) gets nothing.
    for path in [CREDS, "/latest/meta-data/iam/security-credentials/"] {
        let (status, _, body) = http(addr, "GET", path, &[]);
        assert_eq!(status, 401, "{path}: {body}");
        assert!(body.contains("--ec2-server-imdsv1") && !body.contains("ASIA"), "{body}");
    }
    let (_, _, v2) =
        http(addr, "PUT", "/latest/api/token", &[("X-aws-ec2-metadata-token-ttl-seconds", "60")]);
    let (_, _, body) = http(addr, "GET", CREDS, &[("X-aws-ec2-metadata-token", &v2)]);
    let key = json(&body)["AccessKeyId"].as_str().unwrap().to_owned();
    let (_, _, doc) = http(
        addr,
        "GET",
        "/latest/dynamic/instance-identity/document",
        &[("X-aws-ec2-metadata-token", &v2)],
    );
    assert_eq!(json(&doc)["region"], "ap-south-1");

    let other_port = format!("127.0.0.2:{}", addr.port() + 1);
    for host in ["evil.example", "evil.example:80", "127.0.0.1", &other_port, "169.254.169.254"] {
        let (status, _, body) = http(addr, "GET", CREDS, &[("Host", host)]);
        assert_eq!(status, 403, "Host {host}: {body}");
        assert!(!body.contains(&key) && !body.contains(SECRET), "{body}");
        let (status, _, _) = http(
            addr,
            "PUT",
            "/latest/api/token",
            &[("Host", host), ("X-aws-ec2-metadata-token-ttl-seconds", "60")],
        );
        assert_eq!(status, 403, "Host {host}");
    }

    let (status, head, token) =
        http(addr, "PUT", "/latest/api/token", &[("X-aws-ec2-metadata-token-ttl-seconds", "60")]);
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("x-aws-ec2-metadata-token-ttl-seconds: 60"), "{head}");
    let (status, _, body) = http(addr, "GET", CREDS, &[]);
    assert_eq!(status, 401, "a token is required once IMDSv2 was used");
    assert!(!body.contains(&key));
    let (status, _, _) =
        http(addr, "GET", CREDS, &[("X-aws-ec2-metadata-token", "bm90LWEtdG9rZW4")]);
    assert_eq!(status, 401);
    let (status, _, body) = http(addr, "GET", CREDS, &[("X-aws-ec2-metadata-token", &token)]);
    assert_eq!(status, 200);
    assert_eq!(json(&body)["AccessKeyId"], key.as_str());
    assert_eq!(served.stop().0, Some(0));

    // --ec2-server-imdsv1: plain GETs too, for old SDKs, until a token is asked for.
    let flags = ["--ec2-server", "--ec2-server-imdsv1", "--ec2-server-addr", EC2_ADDR];
    let served = Served::start(&t, &moto, &flags, &[]);
    let (status, _, body) = http(served.ec2(), "GET", CREDS, &[]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["AccessKeyId"], key.as_str(), "the cached session");
    assert_eq!(served.stop().0, Some(0));
}

#[test]
fn credentials_renew_across_expiry_with_one_sts_call_each() {
    let moto = Moto::start();
    // A role assumed straight from the keys (no MFA, so no session first):
    // moto gives each AssumeRole its own key id, which tells renewals apart.
    let t = setup(&format!(
        "[default]\nregion = us-east-1\n[profile home]\n[profile deploy]\nsource_profile = home\nrole_arn = {ROLE}\n"
    ));
    // 8-second credentials with a 4-second minimum TTL: renewed every ~4 s.
    // boto3 asks the server before every call (they are always inside its
    // refresh window), so it makes ~100 requests in these 11 seconds.
    let job = common::support_dir().join("boto3_across_expiry.py");
    let script = [python(), job.display().to_string()];
    let mut args = vec!["exec", "--ecs-server", "--duration", "8s", "deploy", "--"];
    args.extend(script.iter().map(String::as_str));
    let out = vault(&t, &moto, &args, &[("AWS_MIN_TTL", "4s")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = json(&stdout(&out));
    assert_eq!(got["errors"], serde_json::json!([]), "the job kept working: {got}");
    assert!(got["calls"].as_u64().unwrap() > 30, "{got}");
    let keys = got["keys"].as_array().unwrap().len();
    let assumed = moto.count("AssumeRole");
    assert!((3..=5).contains(&assumed), "one STS call per renewal, got {assumed}: {got}");
    assert_eq!(keys, assumed, "every renewal reached the client: {got}");
    for call in moto.requests().iter().filter(|r| r.action == "AssumeRole") {
        assert_eq!(call.param("DurationSeconds"), Some("8"));
    }
}

#[test]
fn lazy_server_makes_one_sts_call_for_many_clients_at_once() {
    let moto = Moto::start();
    let t = setup("[profile home]\nregion = us-east-1\n");
    let served = Served::start(&t, &moto, &["--ecs-server", "--lazy"], &[]);
    assert_eq!(moto.count("GetSessionToken"), 0, "--lazy: nothing fetched before a request");
    let (addr, token) = served.ecs();
    let clients: Vec<_> = (0..32)
        .map(|_| {
            let token = token.clone();
            std::thread::spawn(move || http(addr, "GET", "/", &[("Authorization", &token)]))
        })
        .collect();
    let keys: Vec<String> = clients
        .into_iter()
        .map(|c| {
            let (status, _, body) = c.join().unwrap();
            assert_eq!(status, 200, "{body}");
            json(&body)["AccessKeyId"].as_str().unwrap().to_owned()
        })
        .collect();
    assert!(keys.iter().all(|k| k == &keys[0]));
    assert_eq!(moto.count("GetSessionToken"), 1);
    assert_eq!(served.stop().0, Some(0));
}

#[test]
fn sts_failure_is_a_bad_gateway_and_the_server_recovers() {
    // Auth mode with one free action, spent here: STS now refuses our key.
    let moto = Moto::start_with_auth(1);
    assert!(moto.aws(KEY_ID, SECRET, &["sts", "get-caller-identity"]).status.success());
    let t = setup("[profile home]\nregion = us-east-1\n");
    let served = Served::start(&t, &moto, &["--ecs-server", "--lazy"], &[]);
    let (addr, token) = served.ecs();
    let auth = [("Authorization", token.as_str())];

    let (status, _, body) = http(addr, "GET", "/", &auth);
    assert_eq!(status, 502, "{body}");
    let message = json(&body)["Message"].as_str().unwrap().to_owned();
    assert!(
        message.starts_with("vault: ") && message.contains("InvalidClientTokenId"),
        "{message}"
    );
    assert!(!body.contains(SECRET));
    // Still serving; the failure is answered again without a new STS call.
    assert_eq!(http(addr, "GET", "/", &auth).0, 502);
    assert_eq!(moto.count("GetSessionToken"), 1);

    moto.reset(); // one free action again: STS is back
    let started = Instant::now();
    let body = loop {
        let (status, _, body) = http(addr, "GET", "/", &auth);
        if status == 200 {
            break body;
        }
        assert_eq!(status, 502);
        assert!(started.elapsed() < Duration::from_secs(10), "never recovered: {body}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(json(&body)["SecretAccessKey"].is_string());
    assert_eq!(moto.count("GetSessionToken"), 2, "one failed call, one good one");
    let (code, log) = served.stop();
    assert_eq!(code, Some(0));
    assert!(
        log.contains("vault: ") && log.contains("InvalidClientTokenId"),
        "told the user: {log}"
    );
}

#[test]
fn server_flags_are_checked_before_anything_runs() {
    let moto = Moto::start();
    let t = setup("[profile home]\n");
    let usage_errors: [&[&str]; 7] = [
        &["--ecs-server", "--ec2-server"],
        &["-s", "--ec2-server"],
        &["--ecs-server", "--json"],
        &["--ec2-server", "--no-session"],
        &["--server", "--no-session"],
        &["--lazy"],
        &["--ec2-server-addr", "127.0.0.2:9099"],
    ];
    for flags in usage_errors {
        let mut args = vec!["exec"];
        args.extend(flags);
        args.extend(["home", "--", "true"]);
        let out = vault(&t, &moto, &args, &[]);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {}", stderr(&out));
    }
    let out = vault(
        &t,
        &moto,
        &["exec", "--ec2-server", "--ec2-server-addr", "0.0.0.0:9099", "home", "--", "true"],
        &[],
    );
    assert_one_line_error(&out, "loopback");
    assert!(moto.requests().is_empty());

    // --lazy would have to ask for an MFA code while the command runs.
    t.write_config(&format!("[profile home]\nmfa_serial = {MFA}\n"));
    let out = vault(&t, &moto, &["exec", "-s", "--lazy", "home", "--", "true"], &[]);
    let err = assert_one_line_error(&out, "--lazy");
    assert!(err.contains(MFA) && err.contains("mfa_process"), "{err}");
    assert!(moto.requests().is_empty());
}

#[test]
fn exit_status_is_the_commands_and_signals_reach_it_once() {
    let moto = Moto::start();
    let t = setup("[profile home]\n");
    let out = vault(&t, &moto, &["exec", "-s", "home", "--", "sh", "-c", "exit 7"], &[]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));

    // A command that counts the SIGINTs it gets, then exits 3.
    let dir = tempfile::tempdir().unwrap();
    let ready = dir.path().join("ready");
    let script = format!(
        r#"
import os, signal, sys, time
got = []
signal.signal(signal.SIGINT, lambda *_: got.append(1))
open({ready:?}, "w").close()
deadline = time.time() + 20
while not got and time.time() < deadline:
    time.sleep(0.05)
time.sleep(0.5)
print("SIGINT x%d" % len(got))
sys.exit(3)
"#,
        ready = ready.display().to_string()
    );
    let mut child = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .args(["--debug", "exec", "--ecs-server", "home", "--"])
        .args(py(&script))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&ready);
    // No terminal here, so the signal came from `kill`: it is passed on.
    kill("-INT", child.id());
    let out = wait_with_timeout(&mut child);
    assert_eq!(stdout(&out).trim(), "SIGINT x1", "{}", stderr(&out));
    assert!(stderr(&out).contains("passing SIGINT on to the command"), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(3));

    // SIGTERM to vault ends a command that does not handle it: 128 + 15.
    let mut child = t
        .vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .args(["exec", "-s", "home", "--", "sh", "-c"])
        .arg(format!("touch {}; exec sleep 30", dir.path().join("sleeping").display()))
        .spawn()
        .unwrap();
    wait_for(&dir.path().join("sleeping"));
    kill("-TERM", child.id());
    let out = wait_with_timeout(&mut child);
    assert_eq!(out.status.code(), Some(143));
}

#[test]
fn ctrl_c_at_the_terminal_reaches_the_command_once_and_stops_both() {
    let moto = Moto::start();
    let t = setup("[profile home]\n");
    // Counts deliveries, not handler runs (Python may merge those): the
    // wakeup fd gets one byte per signal delivered.
    let script = r#"
import os, signal, sys, time
r, w = os.pipe()
os.set_blocking(w, False)
signal.set_wakeup_fd(w)
signal.signal(signal.SIGINT, lambda *_: None)
print("READY", flush=True)
got = len(os.read(r, 100))
time.sleep(0.5)
os.set_blocking(r, False)
try:
    got += len(os.read(r, 100))
except BlockingIOError:
    pass
print("SIGINT x%d" % got, flush=True)
sys.exit(130)
"#;
    let mut args = vec!["--debug", "exec", "--ecs-server", "home", "--"];
    let script = py(script);
    args.extend(script.iter().map(String::as_str));
    let url = moto.url();
    let env =
        [("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE), ("AWS_ENDPOINT_URL", url.as_str())];
    let run = t.vault_on_pty_env(&[("READY", "\u{3}")], &args, &env);
    // Two SIGINTs close together may merge into one delivery, so the count
    // alone cannot prove vault held its copy back: its log says so.
    assert!(run.transcript.contains("SIGINT came from the terminal"), "{}", run.transcript);
    assert!(run.transcript.contains("SIGINT x1"), "{}", run.transcript);
    assert_eq!(run.code, 130, "{}", run.transcript);
}

#[test]
fn mfa_is_asked_before_serving_and_never_while_the_command_runs() {
    let moto = Moto::start();
    let t = setup(&format!("[profile home]\nmfa_serial = {MFA}\nregion = us-east-1\n"));
    // 4-second sessions: by the time the command asks, renewing needs a new
    // MFA code, which must fail clearly instead of prompting on its terminal.
    let script = r#"
import json, os, time, urllib.request, urllib.error
time.sleep(4.5)
req = urllib.request.Request(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"],
    headers={"Authorization": os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]})
try:
    urllib.request.urlopen(req)
    print("SERVED")
except urllib.error.HTTPError as e:
    print("STATUS %d %s" % (e.code, json.load(e)["Message"]))
"#;
    let mut args = vec!["exec", "--ecs-server", "-d", "4s", "home", "--"];
    let script = py(script);
    args.extend(script.iter().map(String::as_str));
    let url = moto.url();
    let env =
        [("AWS_VAULT_FILE_PASSPHRASE", common::PASSPHRASE), ("AWS_ENDPOINT_URL", url.as_str())];
    let prompt = format!("Enter MFA code for {MFA}: ");
    let run = t.vault_on_pty_env(&[(&prompt, "123456\r")], &args, &env);
    assert_eq!(run.code, 0, "{}", run.transcript);
    assert_eq!(run.transcript.matches("Enter MFA code").count(), 1, "{}", run.transcript);
    assert!(run.transcript.contains("needs a new MFA code"), "the note: {}", run.transcript);
    assert!(run.transcript.contains("STATUS 502"), "{}", run.transcript);
    assert!(run.transcript.contains("MFA code"), "{}", run.transcript);
    assert_eq!(moto.count("GetSessionToken"), 1);
}

fn wait_for(path: &Path) {
    let started = Instant::now();
    while !path.exists() {
        assert!(started.elapsed() < Duration::from_secs(30), "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn kill(signal: &str, pid: u32) {
    let status = Command::new("kill").arg(signal).arg(pid.to_string()).status().unwrap();
    assert!(status.success());
}

/// Waits at most 20 s for `child`, killing it after that.
fn wait_with_timeout(child: &mut Child) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("vault did not exit after the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = Vec::new();
    let mut err = Vec::new();
    child.stdout.take().map(|mut s| s.read_to_end(&mut out));
    child.stderr.take().map(|mut s| s.read_to_end(&mut err));
    Output { status: child.wait().unwrap(), stdout: out, stderr: err }
}
