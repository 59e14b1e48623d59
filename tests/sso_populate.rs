//! `vault sso list` and `vault sso populate` end to end, against tests/support/sso_peer.py
//! serving its listings two items a page, with botocore's `sso` paginators as the
//! independent client that proves the fake pages as the real portal does.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::sso::SsoPeer;
use common::{TempHome, python, stderr, stdout};
use serde_json::{Value, json};

const START_URL: &str = "https://corp.awsapps.com/start";

/// A config with comments, another section, and a hand-written profile for shop's
/// ReadOnly role, so that populating must leave all of it as it is.
const CONFIG: &str = "# my AWS config\n[default]\nregion = eu-west-1  # keep me\n\n\
    [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\n\
    # written by hand, years ago\n[profile shop-ro]\nsso_session = corp\n\
    sso_account_id = 222222222222\nsso_role_name = ReadOnly\n\n[services local]\ns3 =\n  \
    endpoint_url = http://localhost:9000\n";

/// Five accounts (three pages of two) with three roles each (two pages each), named as
/// real organisations name them: spaces, slashes, quotes, brackets.
fn accounts() -> Vec<(&'static str, &'static str)> {
    vec![
        ("111111111111", "Data Lake (prod)"),
        ("222222222222", "shop"),
        ("333333333333", "team/ops"),
        ("444444444444", "it's [legacy]"),
        ("555555555555", "shop!"),
    ]
}

const ROLES: [&str; 3] = ["Admin", "ReadOnly", "Billing"];

fn write_assignments(path: &Path, accounts: &[(&str, &str)]) {
    let doc = json!({
        "accounts": accounts.iter().map(|(id, name)| json!({
            "accountId": id, "accountName": name, "emailAddress": "ops@example.com"
        })).collect::<Vec<_>>(),
        "roles": accounts.iter().flat_map(|(id, _)| ROLES.iter().map(move |r| json!({
            "accountId": id, "roleName": r
        }))).collect::<Vec<_>>(),
    });
    fs::write(path, doc.to_string()).unwrap();
}

struct Setup {
    peer: SsoPeer,
    home: TempHome,
    assignments: PathBuf,
}

fn setup(config: &str, extra: &[&str]) -> Setup {
    let home = TempHome::with_config(config);
    let assignments = home.home.join("assignments.json");
    write_assignments(&assignments, &accounts());
    let mut flags = vec!["--assignments", assignments.to_str().unwrap()];
    flags.extend_from_slice(extra);
    Setup { peer: SsoPeer::start_with(3600, &flags), home, assignments }
}

impl Setup {
    fn vault(&self, args: &[&str]) -> Output {
        let out = self
            .home
            .vault()
            .env("AWS_VAULT_BACKEND", "file")
            .env("AWS_ENDPOINT_URL_SSO", &self.peer.url)
            .env("AWS_ENDPOINT_URL_SSO_OIDC", &self.peer.url)
            .env("BROWSER", self.peer.browser())
            .args(args)
            .output()
            .unwrap();
        for needle in ["at-", "rt-", "csecret-", "sso-secret-", "sso-session-"] {
            assert!(!stderr(&out).contains(needle), "{needle} leaked: {}", stderr(&out));
        }
        out
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.vault(args);
        assert!(out.status.success(), "vault {args:?}: {}", stderr(&out));
        stdout(&out)
    }

    fn generated(&self) -> Vec<String> {
        let text = self.home.read_config();
        let mut names = Vec::new();
        let mut current = None;
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("[profile ").and_then(|l| l.strip_suffix(']')) {
                current = Some(name.to_owned());
            } else if line == format!("vault_generated = {START_URL}") {
                names.push(current.clone().unwrap());
            }
        }
        names
    }

    fn sign_ins(&self) -> usize {
        self.peer.count("StartDeviceAuthorization") + self.peer.count("Authorize")
    }
}

#[test]
fn botocore_paginators_read_every_page_the_fake_serves() {
    let s = setup(CONFIG, &[]);
    // vault signs in and writes the aws CLI's cache, whose token botocore then uses.
    s.ok(&["sso", "list", "--write-sso-cache"]);
    let before = s.peer.requests().len();
    let script = "import botocore.session, glob, json, os\n\
        token = json.load(open(glob.glob(os.path.expanduser('~/.aws/sso/cache/*.json'))[0]))['accessToken']\n\
        sso = botocore.session.Session().create_client('sso', region_name='eu-west-1')\n\
        ids = [a['accountId'] for p in sso.get_paginator('list_accounts').paginate(accessToken=token) for a in p['accountList']]\n\
        roles = [r['roleName'] for p in sso.get_paginator('list_account_roles').paginate(accessToken=token, accountId=ids[0], PaginationConfig={'PageSize': 1}) for r in p['roleList']]\n\
        print(len(ids), len(set(ids)), roles)\n";
    let out = Command::new(python())
        .env_clear()
        .env("HOME", &s.home.home)
        .env("AWS_ENDPOINT_URL_SSO", &s.peer.url)
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(out.status.success(), "botocore: {}", stderr(&out));
    assert_eq!(stdout(&out), "5 5 ['Admin', 'ReadOnly', 'Billing']\n");
    let calls: Vec<Value> = s.peer.requests().split_off(before);
    let accounts: Vec<&Value> = calls.iter().filter(|r| r["op"] == "ListAccounts").collect();
    let items: Vec<u64> = accounts.iter().map(|r| r["items"].as_u64().unwrap()).collect();
    assert_eq!(items, [2, 2, 1], "two a page: {accounts:?}");
    let roles: Vec<&Value> = calls.iter().filter(|r| r["op"] == "ListAccountRoles").collect();
    // PageSize is sent as max_result, which the fake honours.
    assert_eq!(roles.len(), 3, "{roles:?}");
    assert!(roles.iter().all(|r| r["maxResult"] == "1" && r["items"] == 1), "{roles:?}");
    assert_eq!(roles.iter().filter(|r| r["nextToken"] == true).count(), 2);
}

#[test]
fn populate_writes_every_pair_as_shell_words_and_a_second_run_changes_no_byte() {
    let s = setup(CONFIG, &[]);
    let out = s.ok(&["sso", "populate", "--use-device-code"]);
    assert!(
        out.ends_with(
            ": 14 added, 0 updated, 0 removed, 0 unchanged, 1 hand-written, 0 no longer listed\n"
        ),
        "{out}"
    );
    assert!(out.contains("=  shop-ro "), "{out}");
    // Every page of both listings was read.
    assert_eq!(s.peer.count("ListAccounts"), 3);
    assert_eq!(s.peer.count("ListAccountRoles"), 10);
    let written = s.home.read_config();
    assert!(written.starts_with(CONFIG), "every byte before is kept:\n{written}");
    let names = s.generated();
    assert_eq!(names.len(), 14, "{names:?}");
    assert!(names.contains(&"Data-Lake-prod.Admin".to_owned()), "{names:?}");
    assert!(names.contains(&"team-ops.Billing".to_owned()), "{names:?}");
    assert!(names.contains(&"it-s-legacy.ReadOnly".to_owned()), "{names:?}");
    // `shop!` would also be `shop`: the account id tells the two apart.
    assert!(names.contains(&"shop.Admin".to_owned()), "{names:?}");
    assert!(names.contains(&"shop.Admin-555555555555".to_owned()), "{names:?}");
    // The hand-written shop-ro serves shop's ReadOnly: the name is shop!'s.
    assert!(
        written.contains(
            "[profile shop.ReadOnly]\nsso_session = corp\nsso_account_id = 555555555555\n"
        ),
        "{written}"
    );
    assert!(!written.contains("sso_account_id = 222222222222\nsso_role_name = ReadOnly\nvault"));
    // Shell words: bash hands each back unchanged, unquoted.
    let echoed = Command::new("bash")
        .args(["-c", &format!("printf '%s\\n' {}", names.join(" "))])
        .output()
        .unwrap();
    assert_eq!(stdout(&echoed), names.iter().map(|n| format!("{n}\n")).collect::<String>());

    let mtime = fs::metadata(s.home.config_path()).unwrap().modified().unwrap();
    let again = s.ok(&["sso", "populate"]);
    assert!(
        again.contains(": 0 added, 0 updated, 0 removed, 14 unchanged, 1 hand-written"),
        "{again}"
    );
    assert_eq!(s.home.read_config(), written);
    assert_eq!(fs::metadata(s.home.config_path()).unwrap().modified().unwrap(), mtime);
    assert_eq!(s.sign_ins(), 1, "the second run used the first's sign-in");

    // `vault list` and completion show them.
    let list = s.ok(&["list"]);
    assert!(
        list.lines().any(|l| l.starts_with("team-ops.Billing ") && l.contains("sso:corp")),
        "{list}"
    );
    let offered = s.ok(&["__complete", "fish", "--cur=Data", "--", "vault", "exec"]);
    assert!(
        offered.lines().any(|l| l.starts_with("Data-Lake-prod.Admin\tsso Admin in 111111111111")),
        "{offered}"
    );
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let s = setup(CONFIG, &[]);
    let out = s.ok(&["sso", "populate", "--dry-run", "--region", "eu-central-1"]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("+  team-ops.Admin ") && l.contains("333333333333  Admin")),
        "{out}"
    );
    assert!(out.ends_with("14 added, 0 updated, 0 removed, 0 unchanged, 1 hand-written, 0 no longer listed (dry run: nothing written)\n"), "{out}");
    assert_eq!(s.home.read_config(), CONFIG);
    // No config at all: none is made.
    fs::remove_file(s.home.config_path()).unwrap();
    let out = s.vault(&[
        "sso",
        "populate",
        "--dry-run",
        "--start-url",
        START_URL,
        "--sso-region",
        "eu-west-1",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!s.home.config_path().exists());
}

#[test]
fn prune_removes_exactly_the_gone_accounts_generated_profiles() {
    // A hand-written profile for the account that will go, too.
    let config = format!(
        "{CONFIG}\n[profile ops-by-hand]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = Admin\n"
    );
    let s = setup(&config, &[]);
    s.ok(&["sso", "populate"]);
    let full = s.home.read_config();
    let mut fewer = accounts();
    fewer.retain(|(id, _)| *id != "333333333333");
    write_assignments(&s.assignments, &fewer);

    let out = s.ok(&["sso", "populate"]);
    let stale = out.lines().find(|l| l.starts_with("!  team-ops.Billing ")).unwrap_or_default();
    assert!(
        stale.ends_with("333333333333  Billing   no longer listed; --prune removes it"),
        "{out}"
    );
    assert!(out.ends_with(" 2 no longer listed\n"), "{out}");
    assert_eq!(s.home.read_config(), full, "without --prune nothing goes");

    let out = s.ok(&["sso", "populate", "--prune"]);
    assert!(out.contains(": 0 added, 0 updated, 2 removed, 11 unchanged, 1 hand-written"), "{out}");
    let pruned = s.home.read_config();
    assert!(
        pruned
            .contains("[profile ops-by-hand]\nsso_session = corp\nsso_account_id = 333333333333\n")
    );
    assert!(!s.generated().iter().any(|n| n.starts_with("team-ops")), "{pruned}");
    // Exactly what populating the smaller listing from scratch writes.
    let fresh = setup(&config, &[]);
    write_assignments(&fresh.assignments, &fewer);
    fresh.ok(&["sso", "populate"]);
    assert_eq!(pruned, fresh.home.read_config());
}

#[test]
fn a_generated_profile_gets_credentials_through_exec() {
    let s = setup(CONFIG, &[]);
    s.ok(&["sso", "populate", "--region", "eu-west-2"]);
    let out = s.ok(&[
        "exec",
        "team-ops.Billing",
        "--",
        "sh",
        "-c",
        "echo $AWS_REGION ${AWS_ACCESS_KEY_ID%%????????????????}",
    ]);
    assert_eq!(out, "eu-west-2 ASIA\n");
    let calls: Vec<Value> =
        s.peer.requests().into_iter().filter(|r| r["op"] == "GetRoleCredentials").collect();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (&calls[0]["accountId"], &calls[0]["roleName"]),
        (&json!("333333333333"), &json!("Billing"))
    );
    assert_eq!(s.sign_ins(), 1, "exec used populate's sign-in");
}

#[test]
fn list_shows_every_pair_with_the_profiles_that_point_there() {
    let s = setup(CONFIG, &[]);
    let rows: Value = serde_json::from_str(&s.ok(&["sso", "list", "--json"])).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 15);
    let shop_ro = rows
        .iter()
        .find(|r| r["accountId"] == "222222222222" && r["roleName"] == "ReadOnly")
        .unwrap();
    assert_eq!(shop_ro["accountName"], "shop");
    assert_eq!(shop_ro["profiles"], json!(["shop-ro"]));
    let table = s.ok(&["sso", "list"]);
    assert!(table.starts_with("Account       Name              Role      Profiles\n"), "{table}");
    assert!(table.contains("222222222222  shop              ReadOnly  shop-ro\n"), "{table}");
    assert!(table.contains("333333333333  team/ops          Admin     -\n"), "{table}");
}

#[test]
fn a_refused_token_signs_in_once_more_and_a_403_or_throttling_is_one_line() {
    let s = setup(CONFIG, &[]);
    s.ok(&["sso", "list"]);
    s.peer.revoke();
    s.ok(&["sso", "list"]);
    let refused = s
        .peer
        .requests()
        .iter()
        .filter(|r| r["op"] == "ListAccounts" && r["status"] == 401)
        .count();
    assert_eq!(refused, 1);
    assert_eq!(s.sign_ins(), 2);

    // Throttled (after the SDK's own retries) or forbidden: one line, nothing written.
    let config = format!(
        "{CONFIG}[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n"
    );
    for (status, says) in [
        (
            "429",
            "IAM Identity Center is throttling sso:ListAccounts (TooManyRequestsException: Rate exceeded); wait a minute and run the command again",
        ),
        (
            "403",
            "IAM Identity Center refused sso:ListAccounts (ForbiddenException: Access denied); check the start URL",
        ),
    ] {
        let t = setup(&config, &["--fail-lists", status]);
        t.ok(&["login", "--sso-only", "dev"]);
        let out = t.vault(&["sso", "populate"]);
        common::assert_one_line_error(&out, says);
        assert_eq!(t.home.read_config(), config);
        assert_eq!(t.sign_ins(), 1, "a new sign-in would not help");
    }
}

#[test]
fn two_populates_at_once_write_each_profile_once() {
    let s = setup(CONFIG, &[]);
    s.ok(&["sso", "list"]);
    let runs: Vec<_> = (0..2)
        .map(|_| {
            s.home
                .vault()
                .env("AWS_VAULT_BACKEND", "file")
                .env("AWS_ENDPOINT_URL_SSO", &s.peer.url)
                .env("AWS_ENDPOINT_URL_SSO_OIDC", &s.peer.url)
                .args(["sso", "populate"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<String> = runs
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
            stdout(&out)
        })
        .collect();
    // Each plans on the file as the other left it, under the lock.
    assert_eq!(outs.iter().filter(|o| o.contains(": 14 added")).count(), 1, "{outs:?}");
    assert_eq!(
        outs.iter().filter(|o| o.contains(": 0 added, 0 updated, 0 removed, 14 unchanged")).count(),
        1,
        "{outs:?}"
    );
    assert_eq!(s.generated().len(), 14);
}
