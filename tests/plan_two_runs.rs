//! The credential plan across two runs, against a real STS (moto on
//! 127.0.0.1): run, change one input (a config key, an environment variable,
//! a flag), run again, and check the second run's STS calls and the identity
//! its credentials belong to (asked of STS with the aws CLI). A cached
//! session must never be served for inputs that changed since it was made.
//! Also the rows for unusual sources: a role on its own keys, a role on a
//! helper's temporary keys, a web identity token without a role.

mod common;

use std::fs;
use std::process::{Command, Output};

use common::moto::{Moto, MotoRequest};
use common::{TempHome, assert_one_line_error, stderr, stdout};
use rand::{Rng, SeedableRng};

const KEY_ID: &str = "AKIAVAULTTWORUNKEY01";
const SECRET: &str = "vaultTwoRunSecretKey/0001+abcdefghijklmn";
const ROLE: &str = "arn:aws:iam::123456789012:role/";

struct Run {
    out: Output,
    calls: Vec<MotoRequest>,
}

impl Run {
    fn creds(&self) -> serde_json::Value {
        assert!(self.out.status.success(), "vault failed: {}", stderr(&self.out));
        serde_json::from_str(&stdout(&self.out)).expect("export prints JSON")
    }

    fn actions(&self) -> Vec<&str> {
        self.calls.iter().map(|c| c.action.as_str()).collect()
    }

    fn only_call(&self, action: &str) -> &MotoRequest {
        assert_eq!(self.actions(), [action], "{}", stderr(&self.out));
        &self.calls[0]
    }
}

struct Bed {
    moto: Moto,
    t: TempHome,
}

impl Bed {
    fn new(config: &str, stored: &[&str]) -> Bed {
        let t = TempHome::new();
        for name in stored {
            t.add_keys(name, KEY_ID, SECRET);
        }
        t.write_config(config);
        Bed { moto: Moto::start(), t }
    }

    /// `vault export --format=json ARGS` with `env`, and the STS calls it made.
    fn export(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let before = self.moto.requests().len();
        let mut cmd = self.t.vault();
        cmd.env("AWS_ENDPOINT_URL", self.moto.url()).args(["export", "--format=json"]);
        cmd.args(args).envs(env.iter().copied());
        let out = cmd.output().unwrap();
        Run { out, calls: self.moto.requests().split_off(before) }
    }

    /// Who STS says the credentials of `run` belong to (the aws CLI asks).
    fn identity(&self, run: &Run) -> String {
        let creds = run.creds();
        let mut cmd: Command = self.moto.aws_command(
            creds["AccessKeyId"].as_str().unwrap(),
            creds["SecretAccessKey"].as_str().unwrap(),
        );
        cmd.env("AWS_SESSION_TOKEN", creds["SessionToken"].as_str().unwrap_or_default());
        let out = cmd.args(["sts", "get-caller-identity", "--query", "Arn", "--output", "text"]);
        let out = out.output().unwrap();
        assert!(out.status.success(), "aws sts get-caller-identity: {}", stderr(&out));
        stdout(&out).trim().to_owned()
    }
}

fn role_config(extra: &str) -> String {
    format!("[profile base]\n[profile r]\nsource_profile = base\n{extra}")
}

#[test]
fn editing_role_arn_between_runs_assumes_the_new_role() {
    let bed = Bed::new(&role_config(&format!("role_arn = {ROLE}one\n")), &["base"]);
    let first = bed.export(&[], &["r"]);
    assert_eq!(first.only_call("AssumeRole").param("RoleArn"), Some(&*format!("{ROLE}one")));
    assert!(bed.identity(&first).contains(":assumed-role/one/"), "{}", bed.identity(&first));
    assert!(bed.export(&[], &["r"]).calls.is_empty(), "an unchanged config is served from cache");

    bed.t.write_config(&role_config(&format!("role_arn = {ROLE}two\n")));
    let second = bed.export(&[], &["r"]);
    assert_eq!(second.only_call("AssumeRole").param("RoleArn"), Some(&*format!("{ROLE}two")));
    let who = bed.identity(&second);
    assert!(who.contains(":assumed-role/two/"), "served {who} for role two");
}

#[test]
fn aws_role_arn_from_the_environment_is_part_of_the_cached_session() {
    let bed = Bed::new("[profile base]\n", &["base"]);
    let three = format!("{ROLE}three");
    let four = format!("{ROLE}four");
    let first = bed.export(&[("AWS_ROLE_ARN", &three)], &["base"]);
    assert!(first.actions().contains(&"AssumeRole"), "{:?}", first.actions());
    let second = bed.export(&[("AWS_ROLE_ARN", &four)], &["base"]);
    assert_eq!(second.actions(), ["AssumeRole"], "{}", stderr(&second.out));
    assert_eq!(second.calls[0].param("RoleArn"), Some(four.as_str()));
    let who = bed.identity(&second);
    assert!(who.contains(":assumed-role/four/"), "served {who} for role four");
    // And back: role three's session was replaced, so it is assumed again.
    let third = bed.export(&[("AWS_ROLE_ARN", &three)], &["base"]);
    assert_eq!(third.actions(), ["AssumeRole"]);
    assert!(bed.identity(&third).contains(":assumed-role/three/"));
}

#[test]
fn every_other_role_shaping_input_makes_a_new_assume_role() {
    // (config line or env var, the AssumeRole parameter it shows in, before, after)
    let cases: &[(&str, &str, &str, &str)] = &[
        ("session_tags", "Tags.member.1.Value", "team=a", "team=b"),
        ("AWS_SESSION_TAGS", "Tags.member.1.Value", "team=a", "team=b"),
        ("external_id", "ExternalId", "ext-1", "ext-2"),
        ("source_identity", "SourceIdentity", "alice", "bob"),
        ("role_session_name", "RoleSessionName", "first", "second"),
        ("AWS_ROLE_SESSION_NAME", "RoleSessionName", "first", "second"),
    ];
    for &(input, param, before, after) in cases {
        let env_var = input.starts_with("AWS_");
        let config = |value: &str| {
            let line = if env_var { String::new() } else { format!("{input} = {value}\n") };
            role_config(&format!("role_arn = {ROLE}tagged\n{line}"))
        };
        let bed = Bed::new(&config(before), &["base"]);
        let env = |value| if env_var { vec![(input, value)] } else { Vec::new() };
        let first = bed.export(&env(before), &["r"]);
        assert_eq!(first.actions(), ["AssumeRole"], "{input}: {}", stderr(&first.out));
        assert!(bed.export(&env(before), &["r"]).calls.is_empty(), "{input}: same inputs, cached");

        bed.t.write_config(&config(after));
        let second = bed.export(&env(after), &["r"]);
        assert_eq!(second.actions(), ["AssumeRole"], "{input} changed: the old session was served");
        let value = second.calls[0].param(param).unwrap_or_default();
        assert!(after.ends_with(value) && !value.is_empty(), "{input}: sent {value:?}");
    }
}

#[test]
fn an_explicit_longer_duration_is_not_answered_by_a_short_cached_session() {
    let bed = Bed::new("[profile t]\n", &["t"]);
    let first = bed.export(&[], &["t"]);
    assert_eq!(first.only_call("GetSessionToken").param("DurationSeconds"), Some("3600"));
    let longer = bed.export(&[], &["--duration", "12h", "--debug", "t"]);
    assert_eq!(longer.only_call("GetSessionToken").param("DurationSeconds"), Some("43200"));
    assert!(
        stderr(&longer.out).contains("less than the 12h0m0s asked for"),
        "--debug says why: {}",
        stderr(&longer.out)
    );
    // Asked again at once: the 12h session has (nearly) all of it left.
    assert!(bed.export(&[], &["--duration", "12h", "t"]).calls.is_empty());
    // Without a flag, whatever is cached and fresh is used.
    assert!(bed.export(&[], &["t"]).calls.is_empty());
}

#[test]
fn a_role_on_its_own_keys_without_mfa_is_one_assume_role_signed_by_them() {
    for config in [
        format!("[profile r]\nrole_arn = {ROLE}own\n"),
        format!("[profile r]\nrole_arn = {ROLE}own\nsource_profile = r\n"),
    ] {
        let bed = Bed::new(&config, &["r"]);
        let run = bed.export(&[], &["r"]);
        let call = run.only_call("AssumeRole");
        assert_eq!(call.access_key_id.as_deref(), Some(KEY_ID), "{config}");
        assert!(bed.identity(&run).contains(":assumed-role/own/"));
    }
    // AWS_ROLE_ARN on a plain key profile is the same case.
    let bed = Bed::new("[profile k]\n", &["k"]);
    let arn = format!("{ROLE}env");
    let run = bed.export(&[("AWS_ROLE_ARN", &arn)], &["k"]);
    assert_eq!(run.only_call("AssumeRole").access_key_id.as_deref(), Some(KEY_ID));
}

/// A `credential_process` script that counts its runs in `runs` and prints
/// temporary (`temporary = true`) or long-term keys.
fn helper(t: &TempHome, temporary: bool) -> String {
    let script = t.home.join("creds.sh");
    let runs = t.home.join("runs");
    let extra = if temporary {
        r#","SessionToken":"proctoken","Expiration":"2099-01-01T00:00:00Z""#
    } else {
        ""
    };
    fs::write(
        &script,
        format!(
            "echo run >> '{}'\nprintf '%s' '{{\"Version\":1,\"AccessKeyId\":\"ASIAPROCESSKEY000001\",\
             \"SecretAccessKey\":\"procsecret\"{extra}}}'\n",
            runs.display()
        ),
    )
    .unwrap();
    format!("sh {}", script.display())
}

fn runs(t: &TempHome) -> usize {
    fs::read_to_string(t.home.join("runs")).unwrap_or_default().lines().count()
}

#[test]
fn a_role_on_a_helpers_temporary_keys_is_capped_at_an_hour_with_a_note() {
    let bed = Bed::new("", &[]);
    let command = helper(&bed.t, true);
    bed.t.write_config(&format!(
        "[profile p]\ncredential_process = {command}\n[profile r]\nsource_profile = p\n\
         role_arn = {ROLE}capped\nduration_seconds = 7200\n"
    ));
    let run = bed.export(&[], &["r"]);
    let call = run.only_call("AssumeRole");
    assert_eq!(call.param("DurationSeconds"), Some("3600"), "AWS refuses 7200 when chaining");
    assert_eq!(call.access_key_id.as_deref(), Some("ASIAPROCESSKEY000001"));
    let err = stderr(&run.out);
    assert!(err.contains("shortened to 1h") && err.contains("\"r\""), "{err}");
}

#[test]
fn temporary_keys_from_credential_process_are_cached_and_long_term_ones_are_not() {
    let bed = Bed::new("", &[]);
    let command = helper(&bed.t, true);
    bed.t.write_config(&format!("[profile p]\ncredential_process = {command}\n"));
    let first = bed.export(&[], &["p"]);
    let again = bed.export(&[], &["p"]);
    assert_eq!(stdout(&again.out), stdout(&first.out));
    assert_eq!(runs(&bed.t), 1, "the helper's session was cached");
    // A changed command line is another source: the cache is not used for it.
    bed.t.write_config(&format!("[profile p]\ncredential_process = {command} --other\n"));
    bed.export(&[], &["p"]).creds();
    assert_eq!(runs(&bed.t), 2);

    let bed = Bed::new("", &[]);
    let command = helper(&bed.t, false);
    bed.t.write_config(&format!("[profile p]\ncredential_process = {command}\n"));
    bed.export(&[], &["p"]).creds();
    bed.export(&[], &["p"]).creds();
    assert_eq!(runs(&bed.t), 2, "long-term keys are never cached");
    assert!(bed.t.key_files().is_empty(), "{:?}", bed.t.key_files());
}

#[test]
fn credential_process_and_role_arn_in_one_profile_assume_the_role() {
    let bed = Bed::new("", &[]);
    let command = helper(&bed.t, true);
    bed.t.write_config(&format!(
        "[profile p]\ncredential_process = {command}\nrole_arn = {ROLE}proc\n"
    ));
    let run = bed.export(&[], &["p"]);
    assert_eq!(run.only_call("AssumeRole").access_key_id.as_deref(), Some("ASIAPROCESSKEY000001"));
    assert!(bed.identity(&run).contains(":assumed-role/proc/"));
}

#[test]
fn a_web_identity_token_without_a_role_names_role_arn() {
    let bed = Bed::new("", &[]);
    let token = bed.t.home.join("token");
    fs::write(&token, "eyJhbGciOiJub25lIn0.e30.\n").unwrap();
    bed.t.write_config(&format!("[profile w]\nweb_identity_token_file = {}\n", token.display()));
    let run = bed.export(&[], &["w"]);
    assert_one_line_error(&run.out, "has a web identity token but no role_arn");
    assert!(run.calls.is_empty());
}

#[test]
fn export_inside_exec_needs_the_profile_named() {
    let bed = Bed::new("[profile t]\n", &["t"]);
    let bare = bed.export(&[("AWS_VAULT", "admin"), ("AWS_PROFILE", "t")], &[]);
    assert_one_line_error(&bare.out, "name the profile to export (`vault export admin`)");
    assert!(bare.calls.is_empty());
    // A named profile is what `credential_process = vault export ... X` runs.
    let named = bed.export(&[("AWS_VAULT", "admin")], &["t"]);
    assert_eq!(named.actions(), ["GetSessionToken"]);
}

#[test]
fn default_and_profile_default_follow_botocore() {
    let config = "[default]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/merged\n\
                  [profile default]\nregion = eu-west-2\n";
    let bed = Bed::new(config, &["default"]);
    // botocore, the aws CLI's own reading of the same file:
    let py = "import botocore.session as s, json, sys\n\
              print(json.dumps(s.Session(profile='default').get_scoped_config()))";
    let out = Command::new(common::python())
        .env_clear()
        .env("AWS_CONFIG_FILE", bed.t.config_path())
        .env("HOME", &bed.t.home)
        .args(["-c", py])
        .output()
        .unwrap();
    assert!(out.status.success(), "botocore: {}", stderr(&out));
    let botocore: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(botocore, serde_json::json!({"region": "eu-west-2"}));
    // vault: the same region, and no role from the losing section.
    let mut cmd = bed.t.vault();
    cmd.env("AWS_ENDPOINT_URL", bed.moto.url()).args(["export", "default"]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("AWS_REGION=eu-west-2"), "{}", stdout(&out));
    assert_eq!(bed.moto.count("AssumeRole"), 0, "the [default] section's role was merged in");
}

#[test]
fn an_inherited_mfa_serial_names_its_source_when_no_code_can_be_asked() {
    let config = "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n\
                  [profile r]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/x\n";
    let bed = Bed::new(config, &["base"]);
    // `setsid` drops the controlling terminal, as an editor's credential_process runs.
    let mut cmd = Command::new("setsid");
    cmd.env_clear().arg("--wait").arg(common::vault_bin());
    cmd.args(["export", "--prompt", "terminal", "r"]).stdin(std::process::Stdio::null());
    for (key, value) in bed.t.vault().get_envs() {
        if let Some(value) = value {
            cmd.env(key, value);
        }
    }
    let out =
        cmd.env("AWS_ENDPOINT_URL", bed.moto.url()).current_dir(&bed.t.home).output().unwrap();
    let err = assert_one_line_error(&out, "there is no terminal to ask on");
    assert!(err.contains("inherited from source profile \"base\""), "{err}");
}

/// Random edits of one role-shaping input between runs: each run's
/// credentials belong to the role and session name the inputs name at that
/// moment, a run after no edit is served from the cache, and a run after an
/// edit calls AssumeRole with the new inputs.
#[test]
fn random_edits_between_runs_never_serve_another_roles_session() {
    let bed = Bed::new("", &["base"]);
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed_2026);
    let roles = ["alpha", "beta", "gamma"];
    let (mut role, mut name, mut tag, mut env_role) = (0usize, 0usize, 0usize, None::<usize>);
    let mut last = None;
    for round in 0..14 {
        match rng.gen_range(0..5) {
            0 => role = rng.gen_range(0..roles.len()),
            1 => name = rng.gen_range(0..3),
            2 => tag = rng.gen_range(0..3),
            3 => env_role = [None, Some(0), Some(1), Some(2)][rng.gen_range(0..4)],
            _ => {} // no edit: the cache must answer
        }
        bed.t.write_config(&format!(
            "[profile base]\n[profile r]\nsource_profile = base\nrole_arn = {ROLE}{}\n\
             role_session_name = s{name}\nsession_tags = k=v{tag}\n",
            roles[role]
        ));
        let arn = env_role.map(|i| format!("{ROLE}{}", roles[i]));
        let env: Vec<(&str, &str)> = arn.iter().map(|a| ("AWS_ROLE_ARN", a.as_str())).collect();
        let run = bed.export(&env, &["r"]);
        let expected_role = roles[env_role.unwrap_or(role)];
        let now = (expected_role, name, tag);
        let who = bed.identity(&run);
        assert!(
            who.ends_with(&format!(":assumed-role/{expected_role}/s{name}")),
            "round {round}: inputs name {expected_role}/s{name}, got {who}"
        );
        if last == Some(now) {
            assert!(
                run.calls.is_empty(),
                "round {round}: unchanged inputs, yet {:?}",
                run.actions()
            );
        } else {
            assert_eq!(run.actions(), ["AssumeRole"], "round {round}: inputs changed");
            assert_eq!(run.calls[0].param("Tags.member.1.Value"), Some(&*format!("v{tag}")));
        }
        last = Some(now);
    }
}
