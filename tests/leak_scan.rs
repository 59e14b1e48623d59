//! The secret-leak scan (tests/common/leak_scan.rs) over the records every
//! `vault` run of the suite leaves (tests/common/record.rs): proof that it
//! catches a planted leak, representative flows with `--debug`, and the scan
//! of the whole suite that tests/run.sh runs last.

mod common;

use std::process::Output;

use common::leak_scan::{self, Scan};
use common::moto::Moto;
use common::{TempHome, record, stderr, stdout};

const KEY_ID: &str = "AKIALEAKSCANKEY00001";
const SECRET: &str = "leakScanSecretKey/0001+abcdefghijklmnopqr";

fn setup(config: &str) -> TempHome {
    let t = TempHome::with_config(config);
    t.add_keys("home", KEY_ID, SECRET);
    t
}

/// `vault ARGS` against `moto`, with the file store's test iterations.
fn run(t: &TempHome, moto: &Moto, args: &[&str]) -> Output {
    t.vault()
        .env("AWS_ENDPOINT_URL", moto.url())
        .env("VAULT_FILE_ITERATIONS", "8192")
        .args(args)
        .output()
        .unwrap()
}

/// A leak planted in three ways (a secret on a command's stdout that may not
/// print one, one on stderr through `exec`'s child, and the passphrase where
/// credentials may be) is found, named by test, command, stream and kind,
/// without the secret itself in the report; `export` printing the same
/// credentials is not a finding.
#[test]
fn a_planted_leak_fails_the_scan() {
    let moto = Moto::start();
    let dir = tempfile::Builder::new().prefix("vault-leak-plant-").tempdir().unwrap();
    let planted = "plantedSecretValue42";
    let t = setup(&format!("[profile home]\n[profile {planted}]\n"));
    let in_dir = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = t.vault();
        cmd.env(record::DIR_VAR, dir.path())
            .env("AWS_ENDPOINT_URL", moto.url())
            .env("VAULT_FILE_ITERATIONS", "8192")
            .args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    // Allowed: credentials asked for.
    let out = in_dir(&["export", "--format", "json", "home"], &[]);
    assert!(stdout(&out).contains("SecretAccessKey"), "{}", stderr(&out));
    let out = in_dir(&["exec", "home", "--", "env"], &[]);
    assert!(stdout(&out).contains("AWS_SESSION_TOKEN="), "{}", stderr(&out));
    let clean = leak_scan::scan_dirs(dir.path(), &[&record::default_dir()], None);
    assert!(clean.findings.is_empty(), "{:#?}", clean.findings);
    assert_eq!(clean.invocations, 2, "{}", clean.summary());

    // Planted 1: a secret-named variable's value printed by `list`.
    let out = in_dir(&["list", "--profiles"], &[("AWS_SECRET_ACCESS_KEY", planted)]);
    assert!(stdout(&out).contains(planted));
    // Planted 2: a session token moto handed out, on stderr.
    let script = r#"printf 'token %s\n' "$AWS_SESSION_TOKEN" >&2"#;
    let out = in_dir(&["exec", "home", "--", "sh", "-c", script], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Planted 3: the store's passphrase on stdout where credentials may be.
    let echo = format!("echo '{}'", common::PASSPHRASE);
    let out = in_dir(&["exec", "home", "--", "sh", "-c", &echo], &[]);
    assert!(stdout(&out).contains(common::PASSPHRASE), "{}", stderr(&out));

    let scan = leak_scan::scan_dirs(dir.path(), &[&record::default_dir()], None);
    let mut report: Vec<String> = scan.findings.iter().map(ToString::to_string).collect();
    report.sort();
    let this = record::test_name();
    let mut expected = vec![
        format!("{this}: `vault list --profiles` printed a secret access key on stdout"),
        format!(
            "{this}: `vault exec home -- sh -c {script}` printed a session token (from moto) on stderr"
        ),
        format!(
            "{this}: `vault exec home -- sh -c echo '<secret>'` printed a passphrase on stdout"
        ),
    ];
    expected.sort();
    assert_eq!(report, expected);
    assert!(report.iter().all(|line| !line.contains(planted)), "{report:#?}");
}

/// Representative flows with `--debug`: storing keys, a session, a role, MFA,
/// the cache, listing, rotating, removing, and a credential_process source
/// (whose secret the scan learns from the test, as vault gets it from the
/// script's output). Their stderr has debug lines
/// and no secret; stdout only where asked (`export`, `exec --json`).
#[test]
fn debug_output_of_the_main_flows_holds_no_secret() {
    let moto = Moto::start();
    // An IAM user moto knows, so `rotate` can replace its key.
    let created = moto.aws(KEY_ID, SECRET, &["iam", "create-user", "--user-name", "leaky"]);
    assert!(created.status.success(), "{}", stderr(&created));
    let key = moto.aws(KEY_ID, SECRET, &["iam", "create-access-key", "--user-name", "leaky"]);
    let key: serde_json::Value = serde_json::from_slice(&key.stdout).unwrap();
    let (user_key, user_secret) = (
        key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
        key["AccessKey"]["SecretAccessKey"].as_str().unwrap().to_owned(),
    );
    // A credential_process source whose secret reaches vault in its output only.
    let process_secret = "leakScanProcessSecret/0001+abcdefghij";
    let t = TempHome::new();
    let script = t.home.join("creds.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '{{\"Version\":1,\"AccessKeyId\":\"AKIALEAKSCANPROC0001\",\
             \"SecretAccessKey\":\"{process_secret}\"}}'\n"
        ),
    )
    .unwrap();
    record::note_secrets("credential_process", &[("SecretAccessKey", process_secret)]);
    t.write_config(&format!(
        "[profile proc]\ncredential_process = sh {}\n\
         [profile viaproc]\nsource_profile = proc\nrole_arn = arn:aws:iam::123456789012:role/fromproc\n\
         [profile home]\nregion = eu-west-1\n\
         [profile mfa]\nsource_profile = home\nmfa_serial = arn:aws:iam::123456789012:mfa/leaky\n\
         [profile admin]\nsource_profile = home\nrole_arn = arn:aws:iam::123456789012:role/admin\n\
         [profile admin-mfa]\nsource_profile = home\nrole_arn = arn:aws:iam::123456789012:role/admin\n\
         mfa_serial = arn:aws:iam::123456789012:mfa/leaky\n\
         [profile user]\nregion = us-east-1\n",
        script.display()
    ));
    let add = t
        .vault()
        .args(["--debug", "add", "--env", "--add-config=false", "home"])
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("VAULT_FILE_ITERATIONS", "8192")
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", stderr(&add));
    let add = t
        .vault()
        .args(["--debug", "add", "--env", "--add-config=false", "user"])
        .env("AWS_ACCESS_KEY_ID", &user_key)
        .env("AWS_SECRET_ACCESS_KEY", &user_secret)
        .env("VAULT_FILE_ITERATIONS", "8192")
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", stderr(&add));

    let flows: &[&[&str]] = &[
        &["--debug", "export", "--format", "json", "home"],
        &["--debug", "export", "home"],
        &["--debug", "exec", "--json", "admin"],
        &["--debug", "exec", "admin", "--", "true"],
        &["--debug", "export", "--mfa-token", "123456", "mfa"],
        &["--debug", "export", "--format", "ini", "--mfa-token", "123456", "admin-mfa"],
        &["--debug", "exec", "--no-session", "home", "--", "true"],
        &["--debug", "list"],
        &["--debug", "rotate", "-n", "user"],
        &["--debug", "export", "--no-session", "user"],
        &["--debug", "clear"],
        &["--debug", "remove", "-f", "user"],
        &["--debug", "exec", "--no-session", "proc", "--", "true"],
        &["--debug", "export", "--format", "json", "viaproc"],
    ];
    for args in flows {
        let out = run(&t, &moto, args);
        assert!(out.status.success(), "vault {}: {}", args.join(" "), stderr(&out));
        assert!(stderr(&out).contains("vault: debug: "), "no debug output: {}", stderr(&out));
    }
    let scan = leak_scan::scan_dirs(&record::default_dir(), &[], Some(&record::test_name()));
    assert!(scan.findings.is_empty(), "{:#?}", scan.findings);
    assert!(scan.invocations >= flows.len() + 2, "{}", scan.summary());
}

/// What the `cargo test` running this recorded so far, scanned: a plain
/// `cargo test` runs it too. Cargo runs the test binaries one after another in
/// name order, so this covers those before `leak_scan` (and this binary's own
/// tests as far as they got); tests/run.sh scans the whole suite at its end
/// (below). Records made before that `cargo` started are left out: they may
/// be an older build's.
#[test]
fn the_tests_run_so_far_leak_no_secret() {
    let dir = record::default_dir();
    let since = cargo_started();
    let scan = match since {
        Some(since) => leak_scan::scan_since(&dir, since),
        None => leak_scan::scan_dir(&dir),
    };
    let what = if since.is_some() { "this cargo test's runs so far" } else { "every record" };
    println!("leak scan of {what} in {}: {}", dir.display(), scan.summary());
    let report: Vec<String> = scan.findings.iter().map(ToString::to_string).collect();
    assert!(report.is_empty(), "secrets printed where they may not be:\n{}", report.join("\n"));
}

/// When the `cargo` that started this test binary started, or None if its
/// parent is not cargo (the binary run by hand: then every record is scanned).
fn cargo_started() -> Option<std::time::SystemTime> {
    let parent = std::os::unix::process::parent_id();
    let comm = std::fs::read_to_string(format!("/proc/{parent}/comm")).ok()?;
    if comm.trim() != "cargo" {
        return None;
    }
    // Field 22 of stat, after the command name in parentheses: clock ticks
    // since boot, at USER_HZ (100 on Linux); the boot time is in /proc/stat.
    let stat = std::fs::read_to_string(format!("/proc/{parent}/stat")).ok()?;
    let ticks: u64 = stat.rsplit_once(')')?.1.split_whitespace().nth(19)?.parse().ok()?;
    let boot: u64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    // btime is whole seconds: a second's slack keeps the first runs in.
    let started = boot * 1000 + ticks * 10;
    Some(std::time::UNIX_EPOCH + std::time::Duration::from_millis(started.saturating_sub(1000)))
}

/// Everything the suite recorded, scanned. tests/run.sh empties the record
/// folder first and runs this after every other test:
/// `cargo test --test leak_scan -- --ignored --exact the_whole_suite_leaks_no_secret`.
#[test]
#[ignore = "run by tests/run.sh after the rest of the suite"]
fn the_whole_suite_leaks_no_secret() {
    let dir = record::default_dir();
    let scan: Scan = leak_scan::scan_dir(&dir);
    println!("leak scan of {}: {}", dir.display(), scan.summary());
    let report: Vec<String> = scan.findings.iter().map(ToString::to_string).collect();
    assert!(report.is_empty(), "secrets printed where they may not be:\n{}", report.join("\n"));
    assert!(scan.invocations > 0, "nothing recorded in {}: is the recorder broken?", dir.display());
    // Without secrets learned, or with no credentials printed, nothing could be found.
    assert!(
        scan.secrets > 0 && scan.asked_for > 0,
        "the scan learned too little: {}",
        scan.summary()
    );
}
