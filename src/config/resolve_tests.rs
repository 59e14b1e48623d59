//! Tests of `config::resolve`, kept apart so the module itself stays readable.
use std::path::Path;

use super::*;
// Through the re-exports, as the rest of the crate uses them.
use crate::config::{ProfileConfig, ResolveOptions, resolve};

const PATH: &str = "/home/u/.aws/config";

fn cfg(text: &str) -> ConfigFile {
    ConfigFile::parse(text, Path::new(PATH)).expect("config parses")
}

fn no_env() -> Env {
    Env::default()
}

fn get(text: &str, name: &str) -> ProfileConfig {
    resolve(&cfg(text), name, &no_env(), &ResolveOptions::default()).expect("resolves")
}

fn err(text: &str, name: &str, env: &Env, opts: &ResolveOptions) -> String {
    resolve(&cfg(text), name, env, opts).expect_err("fails").to_string()
}

fn hours(h: u64) -> Duration {
    Duration::from_secs(h * 3600)
}

fn stored(names: &[&str]) -> ResolveOptions {
    ResolveOptions {
        stored_credentials: names.iter().map(|n| n.to_string()).collect(),
        ..Default::default()
    }
}

const HOME_WORK: &str = "\
[profile home]
region = us-east-1
mfa_serial = arn:aws:iam::IAM_ACCOUNTID:mfa/home-account

[profile work]
region = eu-west-1
mfa_serial = arn:aws:iam::IAM_ACCOUNTID:mfa/work-account

[profile work-read_only_role]
role_arn = arn:aws:iam::IAM_ACCOUNTID:role/read_only_role
source_profile = work

[profile work-admin_role]
role_arn = arn:aws:iam::IAM_ACCOUNTID:role/admin_role
source_profile = work
";

#[test]
fn usage_guide_home_and_work() {
    let home = get(HOME_WORK, "home");
    assert_eq!(home.region.as_deref(), Some("us-east-1"));
    assert_eq!(home.mfa_serial.as_deref(), Some("arn:aws:iam::IAM_ACCOUNTID:mfa/home-account"));
    assert!(!home.has_role());
    assert_eq!(home.source_profile, None);
    assert!(home.has_section);

    let work = get(HOME_WORK, "work");
    assert_eq!(work.region.as_deref(), Some("eu-west-1"));
    assert_eq!(work.chain().len(), 1);
    assert_eq!(work.root().name, "work");
}

#[test]
fn usage_guide_work_roles_source_work() {
    for (name, role) in
        [("work-read_only_role", "read_only_role"), ("work-admin_role", "admin_role")]
    {
        let p = get(HOME_WORK, name);
        assert_eq!(p.role_arn, Some(format!("arn:aws:iam::IAM_ACCOUNTID:role/{role}")));
        assert_eq!(p.source_profile_name.as_deref(), Some("work"));
        assert_eq!(p.root().name, "work");
        assert_eq!(p.root().region.as_deref(), Some("eu-west-1"));
        // Region is not inherited from the source profile; MFA is.
        assert_eq!(p.region, None);
        assert_eq!(p.mfa_serial.as_deref(), Some("arn:aws:iam::IAM_ACCOUNTID:mfa/work-account"));
        assert!(p.mfa_serial_from_source);
        assert!(p.has_role() && !p.root().has_role());
    }
}

const READ_ONLY_ADMINS: &str = "\
[profile read-only]
mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith

[profile admin-a]
source_profile = read-only
role_arn = arn:aws:iam::123456789012:role/admin-access

[profile admin-b]
source_profile = read-only
role_arn = arn:aws:iam::987654321987:role/admin-access
";

#[test]
fn usage_guide_admins_inherit_read_only_mfa_serial() {
    for name in ["admin-a", "admin-b"] {
        let p = get(READ_ONLY_ADMINS, name);
        assert_eq!(p.mfa_serial.as_deref(), Some("arn:aws:iam::123456789012:mfa/jonsmith"));
        assert!(p.mfa_serial_from_source);
        let src = p.source_profile.as_deref().unwrap();
        assert_eq!(src.name, "read-only");
        assert!(!src.mfa_serial_from_source);
    }
    assert_eq!(
        get(READ_ONLY_ADMINS, "admin-b").role_arn.as_deref(),
        Some("arn:aws:iam::987654321987:role/admin-access")
    );
}

#[test]
fn usage_guide_role_chain() {
    let text = "\
[profile read-only]
mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith

[profile intermediary]
source_profile = read-only
role_arn = arn:aws:iam::123456789012:role/intermediary

[profile target]
source_profile = intermediary
role_arn = arn:aws:iam::123456789012:role/target
";
    let p = get(text, "target");
    let names: Vec<&str> = p.chain().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["target", "intermediary", "read-only"]);
    assert_eq!(p.root().name, "read-only");
    assert!(
        p.chain()
            .iter()
            .all(|c| c.mfa_serial.as_deref() == Some("arn:aws:iam::123456789012:mfa/jonsmith"))
    );
    assert!(p.mfa_serial_from_source);
    assert_eq!(
        p.chain()[1].role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/intermediary")
    );
}

#[test]
fn own_mfa_serial_and_mfa_process_beat_the_sources() {
    let text = "\
[profile source]
mfa_serial = arn:mfa/source
mfa_process = source-otp

[profile target]
mfa_serial = arn:mfa/target
role_arn = arn:aws:iam::1:role/r
source_profile = source

[profile plain]
role_arn = arn:aws:iam::1:role/r
source_profile = source
";
    let target = get(text, "target");
    assert_eq!(target.mfa_serial.as_deref(), Some("arn:mfa/target"));
    assert!(!target.mfa_serial_from_source);
    assert_eq!(target.mfa_process.as_deref(), Some("source-otp"));
    let plain = get(text, "plain");
    assert_eq!(plain.mfa_process.as_deref(), Some("source-otp"));
    assert_eq!(plain.mfa_serial.as_deref(), Some("arn:mfa/source"));
}

#[test]
fn include_profile_fills_gaps() {
    let text = "\
[default]
region = us-west-2
output = json

[profile testincludeprofile1]
region = us-east-1
mfa_serial = arn:mfa/shared

[profile testincludeprofile2]
include_profile = testincludeprofile1
role_arn = arn:aws:iam::1:role/r
";
    let p = get(text, "testincludeprofile2");
    assert_eq!(p.region.as_deref(), Some("us-east-1"));
    assert_eq!(p.mfa_serial.as_deref(), Some("arn:mfa/shared"));
    assert!(!p.mfa_serial_from_source);
    assert_eq!(p.include_profile.as_deref(), Some("testincludeprofile1"));
}

#[test]
fn include_profile_may_name_the_source_too() {
    // aws-vault issue 1176: source and include pointing at the same base profile.
    let text = "\
[profile my-shared-base-profile]
credential_process=aws-vault exec my-shared-base-profile -j
mfa_serial=arn:aws:iam::1234567890:mfa/danielholz
region=eu-west-1

[profile profile-with-role]
source_profile=my-shared-base-profile
include_profile=my-shared-base-profile
region=eu-west-1
role_arn=arn:aws:iam::12345678901:role/allow-view-only-access-from-other-accounts
";
    let p = get(text, "profile-with-role");
    assert_eq!(p.source_profile_name.as_deref(), Some("my-shared-base-profile"));
    assert_eq!(p.credential_process.as_deref(), Some("aws-vault exec my-shared-base-profile -j"));
    assert_eq!(p.root().name, "my-shared-base-profile");
    assert!(!p.mfa_serial_from_source);
}

#[test]
fn everything_inherits_from_default() {
    let text = "\
[default]
region = us-west-2
mfa_serial = arn:mfa/default
sts_regional_endpoints = legacy

[profile a]
region = eu-north-1
";
    let a = get(text, "a");
    assert_eq!(a.region.as_deref(), Some("eu-north-1"));
    assert_eq!(a.mfa_serial.as_deref(), Some("arn:mfa/default"));
    assert_eq!(a.sts_regional_endpoints.as_deref(), Some("legacy"));
    let d = get(text, "default");
    assert_eq!(d.region.as_deref(), Some("us-west-2"));
}

#[test]
fn stored_credentials_alone_make_a_profile_that_inherits_default() {
    let text = "[default]\nregion = ap-south-1\n";
    let p = resolve(&cfg(text), "ci-bot", &no_env(), &stored(&["ci-bot"])).unwrap();
    assert!(!p.has_section);
    assert_eq!(p.region.as_deref(), Some("ap-south-1"));
    // With no file at all, too.
    let missing = ConfigFile::load(Path::new("/nonexistent/vault-test/config")).unwrap();
    let p = resolve(&missing, "ci-bot", &no_env(), &stored(&["ci-bot"])).unwrap();
    assert_eq!(p.region, None);
}

#[test]
fn unknown_profile_is_an_error_not_default() {
    let text = "[default]\nregion = us-east-1\n[profile work]\n";
    assert_eq!(
        err(text, "wrok", &no_env(), &ResolveOptions::default()),
        "profile \"wrok\" not found in /home/u/.aws/config; did you mean \"work\"? or add it with `vault add wrok` or check the name"
    );
    assert!(!err(text, "nosuch", &no_env(), &ResolveOptions::default()).contains("did you mean"));
    let missing = ConfigFile::load(Path::new("/nonexistent/vault-test/config")).unwrap();
    let e = resolve(&missing, "work", &no_env(), &ResolveOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "profile \"work\" not found in /nonexistent/vault-test/config (the file does not exist); add it with `vault add work` or check the name"
    );
    // "default" needs a section or stored credentials like any other name.
    let e = err("[profile a]\n", "default", &no_env(), &ResolveOptions::default());
    assert!(e.starts_with("profile \"default\" not found"), "{e}");
}

#[test]
fn unknown_source_profile_names_both_profiles() {
    let text = "[profile admin]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n";
    assert_eq!(
        err(text, "admin", &no_env(), &ResolveOptions::default()),
        "profile \"admin\" has source_profile \"base\", which is not in /home/u/.aws/config and has no stored credentials; add it with `vault add base` or fix source_profile"
    );
    // Stored credentials are enough for a source.
    let p = resolve(&cfg(text), "admin", &no_env(), &stored(&["base"])).unwrap();
    assert_eq!(p.root().name, "base");
    assert!(!p.root().has_section);
}

#[test]
fn source_profile_naming_itself_is_ignored() {
    let p = get("[profile foo]\nsource_profile = foo\nregion = x\n", "foo");
    assert_eq!(p.source_profile_name, None);
    assert_eq!(p.source_profile, None);
    // Also when the self-reference arrives through include_profile.
    let text = "[profile root]\nsource_profile = foo\n[profile foo]\ninclude_profile = root\n";
    assert_eq!(get(text, "foo").source_profile_name, None);
}

#[test]
fn source_profile_can_be_the_included_parent() {
    let p =
        get("[profile root]\n\n[profile foo]\ninclude_profile=root\nsource_profile=root\n", "foo");
    assert_eq!(p.source_profile_name.as_deref(), Some("root"));
}

#[test]
fn source_profile_cycles_are_printed() {
    let two = "[profile a]\nsource_profile = b\n[profile b]\nsource_profile = a\n";
    assert_eq!(
        err(two, "a", &no_env(), &ResolveOptions::default()),
        "source_profile cycle in /home/u/.aws/config: a -> b -> a; remove one of these source_profile settings"
    );
    let three = "[profile a]\nsource_profile = b\n[profile b]\nsource_profile = c\n\
                 [profile c]\nsource_profile = a\n";
    let e = err(three, "b", &no_env(), &ResolveOptions::default());
    assert!(e.starts_with("source_profile cycle in /home/u/.aws/config: b -> c -> a -> b;"), "{e}");
    // A cycle below the target is printed from where it starts.
    let tail = "[profile t]\nsource_profile = a\n[profile a]\nsource_profile = b\n\
                [profile b]\nsource_profile = a\n";
    let e = err(tail, "t", &no_env(), &ResolveOptions::default());
    assert!(e.contains(": a -> b -> a;"), "{e}");
    // A source_profile reached through include_profile can close a cycle too.
    let via_include = "[profile a]\ninclude_profile = base\n[profile base]\nsource_profile = b\n\
                       [profile b]\nsource_profile = a\n";
    let e = err(via_include, "a", &no_env(), &ResolveOptions::default());
    assert!(e.contains(": a -> b -> a;"), "{e}");
}

#[test]
fn include_profile_loops_and_missing_includes_are_errors() {
    let e = err("[profile a]\ninclude_profile = a\n", "a", &no_env(), &ResolveOptions::default());
    assert_eq!(
        e,
        "include_profile cycle in /home/u/.aws/config: a -> a; remove one of these include_profile settings"
    );
    let text = "[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = c\n\
                [profile c]\ninclude_profile = a\n";
    let e = err(text, "a", &no_env(), &ResolveOptions::default());
    assert!(e.contains(": a -> b -> c -> a;"), "{e}");
    let e =
        err("[profile a]\ninclude_profile = nope\n", "a", &no_env(), &ResolveOptions::default());
    assert_eq!(
        e,
        "profile \"a\" has include_profile \"nope\", which is not in /home/u/.aws/config; add a [profile nope] section or fix include_profile"
    );
    // [default] including a profile that falls back to [default] is not a loop.
    let p =
        get("[default]\ninclude_profile = base\n[profile base]\nregion = r\n[profile x]\n", "x");
    assert_eq!(p.region.as_deref(), Some("r"));
}

#[test]
fn region_precedence_flag_then_env_then_file() {
    let text =
        "[default]\nregion = default-region\n[profile a]\nregion = profile-region\n[profile b]\n";
    let both =
        Env::from_pairs([("AWS_REGION", "env-region"), ("AWS_DEFAULT_REGION", "env-default")]);
    let only_default = Env::from_pairs([("AWS_DEFAULT_REGION", "env-default")]);
    let empty_region = Env::from_pairs([("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "env-default")]);
    let opts = ResolveOptions::default();
    let region = |name: &str, env: &Env, opts: &ResolveOptions| {
        resolve(&cfg(text), name, env, opts).unwrap().region.unwrap()
    };
    assert_eq!(region("a", &no_env(), &opts), "profile-region");
    assert_eq!(region("b", &no_env(), &opts), "default-region");
    assert_eq!(region("a", &both, &opts), "env-region");
    assert_eq!(region("a", &only_default, &opts), "env-default");
    assert_eq!(region("a", &empty_region, &opts), "env-default");
    let flag = ResolveOptions { region: Some("flag-region".into()), ..Default::default() };
    assert_eq!(region("a", &both, &flag), "flag-region");
}

#[test]
fn mfa_serial_env_and_override() {
    let text = "[profile base]\n[profile a]\nmfa_serial = arn:mfa/file\n[profile role]\n\
                source_profile = base\nrole_arn = arn:aws:iam::1:role/r\n";
    let env = Env::from_pairs([("AWS_MFA_SERIAL", "arn:mfa/env")]);
    let flag =
        ResolveOptions { mfa_serial_override: Some("arn:mfa/flag".into()), ..Default::default() };
    let mfa = |name: &str, env: &Env, opts: &ResolveOptions| {
        resolve(&cfg(text), name, env, opts).unwrap().mfa_serial.unwrap()
    };
    assert_eq!(mfa("a", &env, &ResolveOptions::default()), "arn:mfa/env");
    assert_eq!(mfa("a", &env, &flag), "arn:mfa/flag");
    assert_eq!(mfa("a", &no_env(), &flag), "arn:mfa/flag");
    // Both apply to every profile in the chain, so the serials match end to end.
    let p = resolve(&cfg(text), "role", &env, &ResolveOptions::default()).unwrap();
    assert!(p.chain().iter().all(|c| c.mfa_serial.as_deref() == Some("arn:mfa/env")));
    assert!(!p.mfa_serial_from_source);
}

#[test]
fn durations_default_to_1h_and_8h() {
    let p = get("[profile a]\n", "a");
    assert_eq!(p.assume_role_duration, hours(1));
    assert_eq!(p.session_token_duration, hours(1));
    assert_eq!(p.chained_session_token_duration, hours(8));
    assert_eq!(p.federation_token_duration, hours(1));
    assert_eq!(p.session_token_duration_for(true), hours(8));
    assert_eq!(p.session_token_duration_for(false), hours(1));
}

#[test]
fn duration_seconds_sets_the_assume_role_duration() {
    let text = "[default]\nduration_seconds = 7200\n[profile a]\nduration_seconds = 43200\n\
                [profile b]\n[profile zero]\nduration_seconds = 0\n";
    assert_eq!(get(text, "a").assume_role_duration, hours(12));
    assert_eq!(get(text, "b").assume_role_duration, hours(2));
    assert_eq!(get(text, "a").session_token_duration, hours(1));
    let e = err("[profile a]\nduration_seconds = 1h\n", "a", &no_env(), &ResolveOptions::default());
    assert_eq!(
        e,
        "profile \"a\" in /home/u/.aws/config: duration_seconds = \"1h\" is invalid: expected a whole number of seconds, like 3600"
    );
}

#[test]
fn ttl_environment_variables() {
    let text = "[profile a]\nduration_seconds = 900\n";
    let env = Env::from_pairs([
        ("AWS_ASSUME_ROLE_TTL", "2h"),
        ("AWS_SESSION_TOKEN_TTL", "30m"),
        ("AWS_CHAINED_SESSION_TOKEN_TTL", "12h"),
        ("AWS_FEDERATION_TOKEN_TTL", "1h30m"),
    ]);
    let p = resolve(&cfg(text), "a", &env, &ResolveOptions::default()).unwrap();
    // The environment beats duration_seconds, as in aws-vault.
    assert_eq!(p.assume_role_duration, hours(2));
    assert_eq!(p.session_token_duration, Duration::from_secs(1800));
    assert_eq!(p.chained_session_token_duration, hours(12));
    assert_eq!(p.federation_token_duration, Duration::from_secs(5400));

    let old_name = Env::from_pairs([("AWS_SESSION_TTL", "4h")]);
    let p = resolve(&cfg(text), "a", &old_name, &ResolveOptions::default()).unwrap();
    assert_eq!(p.session_token_duration, hours(4));
    let both = Env::from_pairs([("AWS_SESSION_TTL", "4h"), ("AWS_SESSION_TOKEN_TTL", "2h")]);
    let p = resolve(&cfg(text), "a", &both, &ResolveOptions::default()).unwrap();
    assert_eq!(p.session_token_duration, hours(2));
}

#[test]
fn bad_ttl_environment_variable_is_named() {
    let env = Env::from_pairs([("AWS_ASSUME_ROLE_TTL", "2 hours")]);
    let e = err("[profile a]\n", "a", &env, &ResolveOptions::default());
    assert!(e.starts_with("AWS_ASSUME_ROLE_TTL=\"2 hours\" is invalid: "), "{e}");
    assert!(e.ends_with("use a duration like 1h or 90m"), "{e}");
    // Not read at all when a flag already decided the duration.
    let flag = ResolveOptions { assume_role_ttl: Some(hours(1)), ..Default::default() };
    assert!(resolve(&cfg("[profile a]\n"), "a", &env, &flag).is_ok());
}

#[test]
fn duration_flags_beat_env_and_file() {
    let text = "[profile a]\nduration_seconds = 900\n";
    let env = Env::from_pairs([("AWS_ASSUME_ROLE_TTL", "2h"), ("AWS_SESSION_TOKEN_TTL", "30m")]);
    let all = ResolveOptions { duration: Some(hours(3)), ..Default::default() };
    let p = resolve(&cfg(text), "a", &env, &all).unwrap();
    assert_eq!(p.assume_role_duration, hours(3));
    assert_eq!(p.session_token_duration, hours(3));
    assert_eq!(p.chained_session_token_duration, hours(3));
    assert_eq!(p.federation_token_duration, hours(3));

    let specific = ResolveOptions {
        duration: Some(hours(3)),
        assume_role_ttl: Some(hours(5)),
        session_ttl: Some(hours(6)),
        federation_token_ttl: Some(hours(7)),
        ..Default::default()
    };
    let p = resolve(&cfg(text), "a", &env, &specific).unwrap();
    assert_eq!(p.assume_role_duration, hours(5));
    assert_eq!(p.session_token_duration, hours(6));
    assert_eq!(p.chained_session_token_duration, hours(6));
    assert_eq!(p.federation_token_duration, hours(7));
}

#[test]
fn session_tags_from_file_and_env() {
    let text = "\
[profile tagged]
session_tags = tag1 = value1 , tag2=value2 ,tag3=value3,tag1=again
transitive_session_tags = tagOne ,tagTwo,,tagThree
";
    let p = get(text, "tagged");
    assert_eq!(
        p.session_tags,
        [("tag1", "again"), ("tag2", "value2"), ("tag3", "value3")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    assert_eq!(p.transitive_session_tags, ["tagOne", "tagTwo", "tagThree"]);

    let env = Env::from_pairs([
        ("AWS_SESSION_TAGS", " tagA = val1 , tagB=val2"),
        ("AWS_TRANSITIVE_TAGS", " tagD ,tagE"),
    ]);
    let p = resolve(&cfg(text), "tagged", &env, &ResolveOptions::default()).unwrap();
    assert_eq!(
        p.session_tags,
        [("tagA", "val1"), ("tagB", "val2")].map(|(k, v)| (k.to_string(), v.to_string()))
    );
    assert_eq!(p.transitive_session_tags, ["tagD", "tagE"]);

    for bad in ["tag1=value1,", "tagA=valueA,tagB", "=v"] {
        let e = err(
            &format!("[profile t]\nsession_tags = {bad}\n"),
            "t",
            &no_env(),
            &ResolveOptions::default(),
        );
        assert!(e.starts_with("profile \"t\" in /home/u/.aws/config: session_tags = "), "{e}");
    }
    let env = Env::from_pairs([("AWS_SESSION_TAGS", "nope")]);
    let e = err("[profile t]\n", "t", &env, &ResolveOptions::default());
    assert!(e.starts_with("AWS_SESSION_TAGS=\"nope\" is invalid: expected key=value pairs"), "{e}");
}

#[test]
fn target_only_environment_skips_the_sources() {
    let text = "\
[profile base]
session_tags = base=1

[profile interim]
session_tags = tag1=value1
transitive_session_tags = tag2
source_profile = base
role_arn = arn:aws:iam::1:role/interim

[profile target]
source_profile = interim
";
    let env = Env::from_pairs([
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/from-env"),
        ("AWS_ROLE_SESSION_NAME", "me"),
        ("AWS_SESSION_TAGS", "tagI=valI"),
        ("AWS_TRANSITIVE_TAGS", "tagII"),
        ("AWS_SOURCE_IDENTITY", "alice"),
        ("AWS_REGION", "eu-west-3"),
    ]);
    let p = resolve(&cfg(text), "target", &env, &ResolveOptions::default()).unwrap();
    assert_eq!(p.role_arn.as_deref(), Some("arn:aws:iam::1:role/from-env"));
    assert_eq!(p.role_session_name.as_deref(), Some("me"));
    assert_eq!(p.session_tags, [("tagI".to_string(), "valI".to_string())]);
    assert_eq!(p.transitive_session_tags, ["tagII"]);
    assert_eq!(p.source_identity.as_deref(), Some("alice"));

    let interim = p.source_profile.as_deref().unwrap();
    assert_eq!(interim.role_arn.as_deref(), Some("arn:aws:iam::1:role/interim"));
    assert_eq!(interim.role_session_name, None);
    assert_eq!(interim.session_tags, [("tag1".to_string(), "value1".to_string())]);
    assert_eq!(interim.transitive_session_tags, ["tag2"]);
    assert_eq!(interim.source_identity, None);
    let base = p.root();
    assert_eq!(base.role_arn, None);
    assert!(base.transitive_session_tags.is_empty());
    // Region applies to every profile in the chain.
    assert!(p.chain().iter().all(|c| c.region.as_deref() == Some("eu-west-3")));
}

#[test]
fn endpoint_settings_from_env_and_file() {
    let text = "[profile a]\nendpoint_url = https://localhost:1234\nsts_regional_endpoints = regional\n[profile b]\n";
    let p = get(text, "a");
    assert_eq!(p.endpoint_url.as_deref(), Some("https://localhost:1234"));
    assert_eq!(p.sts_regional_endpoints.as_deref(), Some("regional"));
    let env = Env::from_pairs([
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
        ("AWS_STS_REGIONAL_ENDPOINTS", "legacy"),
    ]);
    let p = resolve(&cfg(text), "a", &env, &ResolveOptions::default()).unwrap();
    assert_eq!(p.endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
    assert_eq!(p.sts_regional_endpoints.as_deref(), Some("legacy"));
}

#[test]
fn sso_session_overrides_inline_settings() {
    let text = "\
[profile with-sso-session]
sso_session = moon-sso
sso_account_id=123456
sso_role_name = Admin
sso_region = inline-region
sso_start_url = https://inline/start
region = moon-1 # different from sso region

[profile partial]
sso_session = half
sso_region = inline-region

[sso-session moon-sso]
sso_start_url = https://d-123456789.example.com/start
sso_region = moon-2  # different from profile region
sso_registration_scopes = sso:account:access

[sso-session half]
sso_start_url = https://half/start
";
    let p = get(text, "with-sso-session");
    assert_eq!(p.region.as_deref(), Some("moon-1"));
    assert_eq!(p.sso_start_url.as_deref(), Some("https://d-123456789.example.com/start"));
    assert_eq!(p.sso_region.as_deref(), Some("moon-2"));
    assert_eq!(p.sso_registration_scopes.as_deref(), Some("sso:account:access"));
    assert_eq!(p.sso_account_id.as_deref(), Some("123456"));
    assert_eq!(p.sso_role_name.as_deref(), Some("Admin"));
    assert!(p.has_sso());

    let partial = get(text, "partial");
    assert_eq!(partial.sso_start_url.as_deref(), Some("https://half/start"));
    assert_eq!(partial.sso_region.as_deref(), Some("inline-region"));

    let e = err("[profile x]\nsso_session = gone\n", "x", &no_env(), &ResolveOptions::default());
    assert_eq!(
        e,
        "profile \"x\" has sso_session \"gone\", but /home/u/.aws/config has no [sso-session gone] section; add it or fix sso_session"
    );
}

#[test]
fn sso_source_profile_from_default_session() {
    // aws-vault issue 1195: the source's own sso settings win over [default]'s.
    let text = "\
[profile test]
source_profile=dev
region=ap-northeast-2

[profile dev]
sso_session=common
sso_account_id=2160xxxx
sso_role_name=AdministratorAccess

[default]
sso_session=common
sso_account_id=3701xxxx
sso_role_name=AdministratorAccess
region=ap-northeast-2

[sso-session common]
sso_start_url=https://xxxx.awsapps.com/start
sso_region=ap-northeast-2
";
    let p = get(text, "test");
    let dev = p.source_profile.as_deref().unwrap();
    assert_eq!(dev.sso_account_id.as_deref(), Some("2160xxxx"));
    assert_eq!(dev.sso_start_url.as_deref(), Some("https://xxxx.awsapps.com/start"));
    assert_eq!(dev.region.as_deref(), Some("ap-northeast-2"));
}

#[test]
fn web_identity_and_credential_process_settings() {
    let text = "\
[profile role2]
role_arn = arn:aws:iam::33333333333:role/role2
web_identity_token_process = oidccli raw
role_session_name = ci
external_id = ext-1

[profile proc]
credential_process = /usr/bin/get-creds --profile \"my prof\"
";
    let p = get(text, "role2");
    assert!(p.has_web_identity());
    assert_eq!(p.web_identity_token_process.as_deref(), Some("oidccli raw"));
    assert_eq!(p.role_session_name.as_deref(), Some("ci"));
    assert_eq!(p.external_id.as_deref(), Some("ext-1"));
    let p = get(text, "proc");
    assert_eq!(p.credential_process.as_deref(), Some("/usr/bin/get-creds --profile \"my prof\""));
    assert!(!p.has_web_identity() && !p.has_sso());
}

#[test]
fn odd_profile_names_resolve_through_source_profile() {
    let text = "\
[profile my \"odd\" prof ü]
mfa_serial = arn:mfa/odd
region = eu-central-1

[profile role for odd]
source_profile = my \"odd\" prof ü
role_arn = arn:aws:iam::1:role/r
";
    let p = get(text, "role for odd");
    assert_eq!(p.root().name, "my \"odd\" prof ü");
    assert_eq!(p.mfa_serial.as_deref(), Some("arn:mfa/odd"));
}

#[test]
fn case_of_section_names_matters_for_lookups() {
    let text = "[profile Work]\nREGION = eu-west-1\n[profile work]\nregion = us-east-2\n";
    assert_eq!(get(text, "Work").region.as_deref(), Some("eu-west-1"));
    assert_eq!(get(text, "work").region.as_deref(), Some("us-east-2"));
    let e = err(text, "WORK", &no_env(), &ResolveOptions::default());
    assert!(e.starts_with("profile \"WORK\" not found"), "{e}");
}

#[test]
fn debug_output_hides_commands_and_the_external_id() {
    let text = "[profile p]\nrole_arn = arn:aws:iam::1:role/r\nexternal_id = shared-xyz\n\
        credential_process = get-creds --token tok-123\nmfa_process = otp --seed seed-456\n";
    let shown = format!("{:?}", get(text, "p"));
    for secret in ["shared-xyz", "tok-123", "seed-456"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("arn:aws:iam::1:role/r") && shown.contains("<hidden>"), "{shown}");
}
