//! Tests of `sts::plan`: the calls each combination of config keys makes,
//! kept apart so the module itself stays readable.
use std::path::Path;

use super::*;
use crate::config::{ConfigFile, ResolveOptions, resolve};
use crate::env::Env;

const HOUR: Duration = Duration::from_secs(3600);
const MFA: &str = "arn:aws:iam::123456789012:mfa/jonsmith";

/// The plan for `name` in `config`, with keys stored under `stored`.
fn plan_for(
    config: &str,
    name: &str,
    stored: &[&str],
    opts: PlanOptions,
) -> Result<Plan, PlanError> {
    let cfg = ConfigFile::parse(config, Path::new("/test/config")).unwrap();
    let ropts = ResolveOptions {
        stored_credentials: stored.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let profile = resolve(&cfg, name, &Env::default(), &ropts).unwrap();
    plan(&profile, &|n| stored.contains(&n), &opts)
}

fn stored(name: &str) -> Source {
    Source::Stored { profile: name.into() }
}

fn session(profile: &str, mfa: Option<&str>, duration: Duration) -> Step {
    Step::SessionToken(SessionStep {
        profile: profile.into(),
        mfa_serial: mfa.map(Into::into),
        duration,
    })
}

fn role(step: &Step) -> &RoleStep {
    match step {
        Step::AssumeRole(r) => r,
        other => panic!("expected AssumeRole, got {other:?}"),
    }
}

const USAGE_GUIDE_CHAIN: &str = "\
[profile read-only]
mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith
[profile intermediary]
source_profile = read-only
role_arn = arn:aws:iam::123456789012:role/intermediary
[profile target]
source_profile = intermediary
role_arn = arn:aws:iam::123456789012:role/target
";

#[test]
fn stored_keys_get_a_one_hour_session() {
    let p =
        plan_for("[profile home]\nregion = us-east-1\n", "home", &["home"], PlanOptions::default())
            .unwrap();
    assert_eq!(p.source, stored("home"));
    assert_eq!(p.steps, [session("home", None, HOUR)]);
    assert!(!p.exposes_long_term_keys());
}

#[test]
fn mfa_serial_goes_to_get_session_token() {
    let p = plan_for(
        &format!("[profile home]\nmfa_serial = {MFA}\n"),
        "home",
        &["home"],
        PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(p.steps, [session("home", Some(MFA), HOUR)]);
}

#[test]
fn no_session_without_a_role_exposes_the_long_term_keys() {
    let opts = PlanOptions { no_session: true, ..Default::default() };
    let p = plan_for("[profile home]\n", "home", &["home"], opts).unwrap();
    assert_eq!((p.source.clone(), p.steps.len()), (stored("home"), 0));
    assert!(p.exposes_long_term_keys());
}

#[test]
fn role_inherits_mfa_and_uses_it_once_through_an_eight_hour_session() {
    let p = plan_for(
        &format!("[profile read-only]\nmfa_serial = {MFA}\n[profile admin-a]\nsource_profile = read-only\nrole_arn = arn:aws:iam::123456789012:role/admin-access\n"),
        "admin-a",
        &["read-only"],
        PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(p.source, stored("read-only"));
    assert_eq!(p.steps[0], session("read-only", Some(MFA), 8 * HOUR));
    let r = role(&p.steps[1]);
    assert_eq!(r.mfa_serial, None, "MFA was given to GetSessionToken already");
    assert_eq!(r.cache_mfa_serial.as_deref(), Some(MFA));
    assert_eq!(r.duration, HOUR);
    assert_eq!(p.steps.len(), 2);
}

#[test]
fn usage_guide_chain_asks_mfa_once_and_chains_two_roles() {
    let p = plan_for(USAGE_GUIDE_CHAIN, "target", &["read-only"], PlanOptions::default()).unwrap();
    assert_eq!(p.source, stored("read-only"));
    assert_eq!(p.steps.len(), 3);
    assert_eq!(p.steps[0], session("read-only", Some(MFA), 8 * HOUR));
    assert_eq!(role(&p.steps[1]).profile, "intermediary");
    assert_eq!(role(&p.steps[2]).profile, "target");
    assert!(p.steps[1..].iter().all(|s| role(s).mfa_serial.is_none()));
    assert!(p.notes.is_empty());
}

#[test]
fn role_without_any_mfa_is_assumed_straight_from_the_keys() {
    let p = plan_for(
        "[profile work]\n[profile work-admin_role]\nsource_profile = work\nrole_arn = arn:aws:iam::1:role/admin_role\n",
        "work-admin_role",
        &["work"],
        PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(p.source, stored("work"));
    assert_eq!(p.steps.len(), 1);
    assert_eq!(role(&p.steps[0]).role_arn, "arn:aws:iam::1:role/admin_role");
}

#[test]
fn a_single_long_role_skips_the_session_so_twelve_hours_work() {
    let p = plan_for(
        &format!("[profile base]\nmfa_serial = {MFA}\n[profile tf]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/tf\nduration_seconds = 43200\n"),
        "tf",
        &["base"],
        PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(p.steps.len(), 1);
    let r = role(&p.steps[0]);
    assert_eq!(r.duration, 12 * HOUR);
    assert_eq!(r.mfa_serial.as_deref(), Some(MFA), "the role call carries the MFA itself");
    assert!(p.notes.is_empty());
}

#[test]
fn chained_roles_are_capped_at_an_hour_with_a_note() {
    let config = format!("{USAGE_GUIDE_CHAIN}duration_seconds = 7200\n");
    let p = plan_for(&config, "target", &["read-only"], PlanOptions::default()).unwrap();
    assert_eq!(role(&p.steps[2]).duration, HOUR);
    assert_eq!(p.notes.len(), 1);
    assert!(
        p.notes[0].contains("role-chaining") && p.notes[0].contains("2h0m0s"),
        "{}",
        p.notes[0]
    );
}

#[test]
fn no_session_assumes_the_role_from_the_keys_with_mfa() {
    let opts = PlanOptions { no_session: true, ..Default::default() };
    let p = plan_for(
        &format!("[profile base]\nmfa_serial = {MFA}\n[profile admin]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/a\n"),
        "admin",
        &["base"],
        opts,
    )
    .unwrap();
    assert_eq!(p.steps.len(), 1);
    assert_eq!(role(&p.steps[0]).mfa_serial.as_deref(), Some(MFA));
    assert!(!p.exposes_long_term_keys());
}

#[test]
fn a_profile_with_keys_and_a_role_primes_its_own_role() {
    let p = plan_for(
        &format!("[profile both]\nmfa_serial = {MFA}\nrole_arn = arn:aws:iam::1:role/r\n"),
        "both",
        &["both"],
        PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(p.steps[0], session("both", Some(MFA), 8 * HOUR));
    assert_eq!(role(&p.steps[1]).mfa_serial, None);
}

#[test]
fn a_profile_with_keys_and_a_role_but_no_mfa_assumes_it_with_the_keys() {
    // A session in between would carry no MFA the role needs: one call, as aws-vault makes.
    for config in [
        "[profile both]\nrole_arn = arn:aws:iam::1:role/r\n",
        "[profile both]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = both\n",
    ] {
        let p = plan_for(config, "both", &["both"], PlanOptions::default()).unwrap();
        assert_eq!(p.source, stored("both"), "{config}");
        assert_eq!(p.steps.len(), 1, "{config}: {:?}", p.steps);
        assert_eq!(role(&p.steps[0]).mfa_serial, None);
    }
}

#[test]
fn different_mfa_devices_are_each_asked() {
    let p = plan_for(
        &format!("[profile base]\nmfa_serial = {MFA}\n[profile other]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/r\nmfa_serial = arn:aws:iam::1:mfa/other\n"),
        "other",
        &["base"],
        PlanOptions::default(),
    )
    .unwrap();
    // The session's MFA would not satisfy the role's device: no session.
    assert_eq!(p.steps.len(), 1);
    assert_eq!(role(&p.steps[0]).mfa_serial.as_deref(), Some("arn:aws:iam::1:mfa/other"));
}

#[test]
fn role_settings_reach_the_call() {
    let p = plan_for(
        "[profile base]\n[profile r]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/r\n\
         external_id = ext-123\nrole_session_name = me\nsession_tags = team=a, env=dev\n\
         transitive_session_tags = team\nsource_identity = alice\n",
        "r",
        &["base"],
        PlanOptions::default(),
    )
    .unwrap();
    let r = role(&p.steps[0]);
    assert_eq!(r.external_id.as_deref(), Some("ext-123"));
    assert_eq!(r.role_session_name.as_deref(), Some("me"));
    assert_eq!(r.session_tags, [("team".into(), "a".into()), ("env".into(), "dev".into())]);
    assert_eq!(r.transitive_session_tags, ["team"]);
    assert_eq!(r.source_identity.as_deref(), Some("alice"));
}

#[test]
fn credential_process_is_a_source_for_roles() {
    let p = plan_for(
        "[profile proc]\ncredential_process = /bin/creds\n[profile r]\nsource_profile = proc\nrole_arn = arn:aws:iam::1:role/r\n",
        "r",
        &[],
        PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(p.source, Source::Process { profile: "proc".into(), command: "/bin/creds".into() });
    assert_eq!(p.steps.len(), 1);
}

#[test]
fn web_identity_assumes_its_role_itself() {
    let p = plan_for(
        "[profile wi]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /tok\n",
        "wi",
        &[],
        PlanOptions::default(),
    )
    .unwrap();
    assert!(matches!(&p.source, Source::WebIdentity(w) if w.token_file.as_deref() == Some("/tok")));
    assert!(p.steps.is_empty());
}

#[test]
fn a_profile_without_any_source_is_an_error() {
    let err =
        plan_for("[profile empty]\nregion = us-east-1\n", "empty", &[], PlanOptions::default())
            .unwrap_err();
    assert_eq!(err, PlanError::NoCredentials("empty".into()));
    assert!(err.to_string().contains("vault add empty"));
}

#[test]
fn a_web_identity_token_without_a_role_names_the_missing_role_arn() {
    let err = plan_for(
        "[profile wi]\nweb_identity_token_file = /tok\n",
        "wi",
        &[],
        PlanOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err, PlanError::WebIdentityWithoutRole("wi".into()));
    assert!(err.to_string().contains("no role_arn"), "{err}");
}

const SSO: &str = "\
[sso-session corp]
sso_start_url = https://x.awsapps.com/start
sso_region = eu-west-1
[profile s]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Dev
[profile admin]
source_profile = s
role_arn = arn:aws:iam::111122223333:role/admin
duration_seconds = 7200
[profile half]
sso_session = corp
sso_role_name = Dev
";

#[test]
fn sso_profiles_get_role_credentials_from_the_portal() {
    let plan = plan_for(SSO, "s", &[], PlanOptions::default()).unwrap();
    assert_eq!(
        plan.source,
        Source::Sso(SsoRole {
            profile: "s".into(),
            account_id: "111122223333".into(),
            role_name: "Dev".into()
        })
    );
    assert!(plan.steps.is_empty());
}

#[test]
fn an_sso_profile_sources_a_role_which_is_capped_by_role_chaining() {
    let plan = plan_for(SSO, "admin", &[], PlanOptions::default()).unwrap();
    assert!(matches!(&plan.source, Source::Sso(r) if r.profile == "s"));
    let [Step::AssumeRole(role)] = plan.steps.as_slice() else { panic!("{plan:?}") };
    assert_eq!(role.duration, ROLE_CHAINING_LIMIT);
    assert_eq!(plan.notes.len(), 1);
}

#[test]
fn an_sso_profile_without_an_account_names_the_missing_key() {
    let err = plan_for(SSO, "half", &[], PlanOptions::default()).unwrap_err();
    assert_eq!(err, PlanError::SsoIncomplete("half".into(), "sso_account_id"));
    assert!(err.to_string().contains("sso_account_id"));
}

const BASE_AND_MFA: &str = "\
[profile base]
[profile mfa]
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith
[profile plain]
source_profile = base
";

#[test]
fn a_source_profile_without_a_role_gets_its_own_mfa_session() {
    let p = plan_for(BASE_AND_MFA, "mfa", &["base"], PlanOptions::default()).unwrap();
    assert_eq!(p.source, stored("base"));
    assert_eq!(p.steps, [session("mfa", Some(MFA), HOUR)]);
    assert!(!p.exposes_long_term_keys());
}

#[test]
fn a_source_profile_without_a_role_or_mfa_still_gets_a_session() {
    let p = plan_for(BASE_AND_MFA, "plain", &["base"], PlanOptions::default()).unwrap();
    assert_eq!(p.source, stored("base"));
    assert_eq!(p.steps, [session("plain", None, HOUR)]);
}

#[test]
fn a_source_profile_without_a_role_inherits_the_sources_mfa() {
    let p = plan_for(
        &format!("[profile base]\nmfa_serial = {MFA}\n[profile child]\nsource_profile = base\n"),
        "child",
        &["base"],
        PlanOptions::default(),
    )
    .unwrap();
    // One session, made by the profile asked for: never a session of a
    // session, which GetSessionToken refuses.
    assert_eq!(p.steps, [session("child", Some(MFA), HOUR)]);
}

#[test]
fn no_session_is_the_only_way_to_the_sources_long_term_keys() {
    let opts = PlanOptions { no_session: true, ..Default::default() };
    let p = plan_for(BASE_AND_MFA, "mfa", &["base"], opts).unwrap();
    assert!(p.exposes_long_term_keys());
    let opts = PlanOptions { no_session_for: Some("mfa".into()), ..Default::default() };
    let p = plan_for(BASE_AND_MFA, "mfa", &["base"], opts).unwrap();
    assert!(p.exposes_long_term_keys(), "login signs in from the keys");
}

#[test]
fn a_profile_over_a_role_profile_uses_the_role_session() {
    let p = plan_for(
        "[profile base]\n[profile r]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/r\n\
         [profile over]\nsource_profile = r\nregion = eu-west-1\n",
        "over",
        &["base"],
        PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(p.steps.len(), 1);
    assert_eq!(role(&p.steps[0]).profile, "r");
}

#[test]
fn a_role_over_a_roleless_source_primes_with_the_middle_profiles_session() {
    let p = plan_for(
        &format!(
            "[profile base]\n[profile mid]\nsource_profile = base\nmfa_serial = {MFA}\n\
             [profile top]\nsource_profile = mid\nrole_arn = arn:aws:iam::1:role/t\n"
        ),
        "top",
        &["base"],
        PlanOptions::default(),
    )
    .unwrap();
    assert_eq!(p.steps[0], session("mid", Some(MFA), 8 * HOUR));
    assert_eq!(role(&p.steps[1]).mfa_serial, None, "the session carried the MFA");
    assert_eq!(p.steps.len(), 2);
}

#[test]
fn login_skips_the_session_for_its_profile_only() {
    let opts = PlanOptions { no_session_for: Some("home".into()), ..Default::default() };
    let p = plan_for("[profile home]\n", "home", &["home"], opts).unwrap();
    assert!(p.steps.is_empty());
}

/// Each step names the session-cache entry it fills (mutation testing found
/// these three unchecked): aws-vault's type name, the profile and the MFA
/// device, so a session and a role of one profile never share an entry.
#[test]
fn each_step_names_its_cache_entry() {
    let p = plan_for(
        &format!("[profile read-only]\nmfa_serial = {MFA}\n[profile admin-a]\nsource_profile = read-only\nrole_arn = arn:aws:iam::123456789012:role/admin-access\n"),
        "admin-a",
        &["read-only"],
        PlanOptions::default(),
    )
    .unwrap();
    let entries: Vec<_> =
        p.steps.iter().map(|s| (s.cache_kind(), s.profile(), s.cache_mfa_serial())).collect();
    assert_eq!(
        entries,
        [("sts.GetSessionToken", "read-only", MFA), ("sts.AssumeRole", "admin-a", MFA)]
    );
    let p = plan_for("[profile home]\n", "home", &["home"], PlanOptions::default()).unwrap();
    assert_eq!(p.steps[0].cache_mfa_serial(), "", "no MFA device");
}

/// `--debug` prints the plan: a `credential_process` command line may carry
/// a secret, so it is redacted, and the other sources are named.
#[test]
fn the_debug_form_names_the_source_and_hides_a_process_command() {
    let process = Source::Process { profile: "ci".into(), command: "helper --token s3cr3t".into() };
    assert_eq!(format!("{process:?}"), r#"Process { profile: "ci", command: "<redacted>" }"#);
    assert_eq!(format!("{:?}", stored("home")), r#"Stored { profile: "home" }"#);
    let p = plan_for(SSO, "s", &[], PlanOptions::default()).unwrap();
    assert!(format!("{:?}", p.source).starts_with("Sso(SsoRole {"), "{:?}", p.source);
}
