//! End-to-end runs of add / list / remove / clear against a temporary HOME and
//! the real encrypted file store.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::{TempHome, assert_one_line_error, stderr, stdout};

const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn add_env(t: &TempHome, profile: &str) -> std::process::Output {
    t.vault()
        .args(["add", "--env", profile])
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .output()
        .unwrap()
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "secret leaked: {text}");
    assert!(!text.contains(common::PASSPHRASE), "passphrase leaked: {text}");
}

#[test]
fn add_list_remove_clear_end_to_end() {
    let t = TempHome::new();

    let out = add_env(&t, "home");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Added credentials to profile \"home\" in vault\n");
    assert_no_secret(&(stdout(&out) + &stderr(&out)));

    // The store holds ciphertext only, with tight permissions.
    assert_eq!(t.key_files(), ["home"]);
    let file = t.keys_dir().join("home");
    let bytes = fs::read(&file).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(SECRET) && !text.contains(KEY_ID), "plaintext on disk");
    assert_eq!(text.split('.').count(), 5, "not a JWE compact serialization: {text}");
    assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(fs::metadata(t.keys_dir()).unwrap().permissions().mode() & 0o777, 0o700);

    // --add-config is on by default and appended the profile.
    assert_eq!(t.read_config(), "[profile home]\n");

    let out = t.vault().arg("list").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout(&out);
    assert!(list.starts_with("Profile  Credentials  Sessions\n=======  ===========  ========\n"));
    assert!(list.contains("\nhome     home         -\n"), "{list}");

    let out = t.vault().args(["list", "--credentials"]).output().unwrap();
    assert_eq!(stdout(&out), "home\n");
    let out = t.vault().args(["list", "--profiles"]).output().unwrap();
    assert_eq!(stdout(&out), "home\n");

    let out = t.vault().args(["clear"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Cleared 0 sessions.\n");

    let out = t.vault().args(["remove", "home", "-f"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Deleted credentials.\nDeleted 0 sessions.\n");
    assert!(t.key_files().is_empty());

    let out = t.vault().args(["list", "--credentials"]).output().unwrap();
    assert_eq!(stdout(&out), "");
}

#[test]
fn list_and_remove_never_need_the_passphrase() {
    let t = TempHome::new();
    assert!(add_env(&t, "home").status.success());
    for args in [&["list"][..], &["list", "--credentials"], &["clear"], &["remove", "-f", "home"]] {
        let out = t.vault().env_remove("AWS_VAULT_FILE_PASSPHRASE").args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn add_keeps_every_byte_of_an_existing_config() {
    let original = "# my settings\n[default]\nregion = eu-west-1 ; inline\n\n[profile work]\n\
                    mfa_serial = arn:aws:iam::111111111111:mfa/me\ns3 =\n  max_concurrent_requests = 4";
    let t = TempHome::with_config(original);
    assert!(add_env(&t, "home").status.success());
    assert_eq!(t.read_config(), format!("{original}\n\n[profile home]\n"));

    // A profile that already has a section is not added again.
    assert!(add_env(&t, "work").status.success());
    assert_eq!(t.read_config(), format!("{original}\n\n[profile home]\n"));

    let t = TempHome::with_config(original);
    let out = t
        .vault()
        .args(["add", "--env", "--add-config=false", "home"])
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(t.read_config(), original);
}

#[test]
fn add_refuses_a_profile_that_uses_source_profile() {
    let t = TempHome::with_config(
        "[profile admin]\nsource_profile = work\nrole_arn = arn:aws:iam::1:role/a\n",
    );
    let out = add_env(&t, "admin");
    assert_one_line_error(&out, "vault add work");
    assert!(t.key_files().is_empty());
}

#[test]
fn add_with_env_needs_both_variables() {
    let t = TempHome::new();
    let out =
        t.vault().args(["add", "--env", "home"]).env("AWS_ACCESS_KEY_ID", KEY_ID).output().unwrap();
    assert_one_line_error(&out, "AWS_SECRET_ACCESS_KEY");
    assert!(t.key_files().is_empty());
}

#[test]
fn a_second_passphrase_is_refused_and_nothing_changes() {
    let t = TempHome::new();
    assert!(add_env(&t, "home").status.success());
    let before = fs::read(t.keys_dir().join("home")).unwrap();

    let out = t
        .vault()
        .args(["add", "--env", "work"])
        .env("AWS_VAULT_FILE_PASSPHRASE", "a different passphrase")
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .output()
        .unwrap();
    let err = assert_one_line_error(&out, "passphrase");
    assert_no_secret(&err);
    assert!(!err.contains("a different passphrase"), "{err}");
    assert_eq!(t.key_files(), ["home"], "nothing may be written");
    assert_eq!(fs::read(t.keys_dir().join("home")).unwrap(), before, "nothing may change");
    assert_eq!(t.read_config(), "[profile home]\n", "config untouched on failure");
}

/// Other keys for a stored profile need a terminal to confirm; the same keys again
/// (a script run twice, an `add` killed before its config edit) change nothing stored.
#[test]
fn duplicate_add_without_a_terminal_is_refused_unless_the_keys_are_the_same() {
    let t = TempHome::new();
    assert!(add_env(&t, "home").status.success());
    let before = fs::read(t.keys_dir().join("home")).unwrap();
    let out = t
        .vault()
        .args(["add", "--env", "home"])
        .env("AWS_ACCESS_KEY_ID", "AKIAOTHERKEY00000000")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .output()
        .unwrap();
    assert_one_line_error(&out, "vault remove home");
    assert_eq!(fs::read(t.keys_dir().join("home")).unwrap(), before);

    let again = add_env(&t, "home");
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(fs::read(t.keys_dir().join("home")).unwrap(), before, "not rewritten");
    assert_eq!(t.read_config().matches("[profile home]").count(), 1);
}

#[test]
fn add_without_a_terminal_points_to_env() {
    let t = TempHome::new();
    // setsid: no controlling terminal, as in a script or CI job.
    let vault = common::vault_bin();
    let out = t.vault_shell(&format!("setsid -w '{}' add newone </dev/null", vault.display()));
    let err = assert_one_line_error(&out, "vault add --env PROFILE");
    assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
    assert!(t.key_files().is_empty(), "{:?}", t.key_files());
}

#[test]
fn remove_of_a_profile_without_credentials_fails_clearly() {
    let t = TempHome::with_config("[profile work]\n");
    let out = t.vault().args(["remove", "-f", "work"]).output().unwrap();
    assert_one_line_error(&out, "no credentials are stored for profile \"work\"");
}

#[test]
fn odd_profile_names_round_trip() {
    for name in ["my \"odd\" prof ü", "it's", "a/b%c", "team.prod", "a:b", "日本"] {
        let t = TempHome::new();
        let out = add_env(&t, name);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_eq!(t.read_config(), format!("[profile {name}]\n"));
        let out = t.vault().args(["list", "--credentials"]).output().unwrap();
        assert_eq!(stdout(&out), format!("{name}\n"));
        let out = t.vault().args(["list", "--profiles"]).output().unwrap();
        assert_eq!(stdout(&out), format!("{name}\n"));
        let out = t.vault().args(["remove", "-f", name]).output().unwrap();
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(t.key_files().is_empty());
    }
}

#[test]
fn missing_config_file_is_an_empty_config() {
    let t = TempHome::new();
    let out = t.vault().arg("list").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Profile  Credentials  Sessions\n=======  ===========  ========\n");
    // add creates the file and its folder, private to the user.
    assert!(add_env(&t, "home").status.success());
    let meta = fs::metadata(t.config_path()).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let dir = fs::metadata(t.config_path().parent().unwrap()).unwrap();
    assert_eq!(dir.permissions().mode() & 0o777, 0o700);
}

#[test]
fn malformed_config_names_file_and_line() {
    let t = TempHome::with_config("[profile ok]\nregion = us-east-1\n[profile broken\n");
    let out = t.vault().arg("list").output().unwrap();
    let err = assert_one_line_error(&out, ":3");
    assert!(err.contains(&t.config_path().display().to_string()), "{err}");
}

#[test]
fn list_shows_role_profiles_with_their_source_credentials() {
    let t = TempHome::with_config(
        "[profile work]\nregion = eu-west-1\n\
         [profile work-read_only_role]\nrole_arn = arn:aws:iam::1:role/ro\nsource_profile = work\n\
         [profile other]\n",
    );
    assert!(add_env(&t, "work").status.success());
    assert!(add_env(&t, "orphan").status.success());
    let out = t.vault().arg("list").output().unwrap();
    let list = stdout(&out);
    let rows: Vec<Vec<&str>> = list.lines().map(|l| l.split_whitespace().collect()).collect();
    assert!(rows.contains(&vec!["work", "work", "-"]), "{list}");
    assert!(rows.contains(&vec!["work-read_only_role", "work", "-"]), "{list}");
    assert!(rows.contains(&vec!["other", "-", "-"]), "{list}");
    // orphan was appended to the config by add, so it is a profile too.
    assert!(rows.contains(&vec!["orphan", "orphan", "-"]), "{list}");
}

#[test]
fn help_long_help_and_aws_vault_help_long() {
    let t = TempHome::new();
    let short = stdout(&t.vault().arg("-h").output().unwrap());
    let long = stdout(&t.vault().arg("--help").output().unwrap());
    let help_long = stdout(&t.vault().arg("--help-long").output().unwrap());
    assert!(long.contains("Examples:") && !short.contains("Examples:"), "{short}");
    assert_eq!(long, help_long);
    // Every command listed, so that a new one without examples fails here.
    let commands: Vec<(&str, &str)> = long
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().split_once(' ').unwrap_or((l.trim(), "")))
        .filter(|(name, _)| *name != "help")
        .collect();
    assert!(commands.len() >= 18, "{commands:?}");
    for (sub, about) in commands {
        assert!(!about.trim().is_empty(), "`vault {sub}` has no one-line description");
        let out = t.vault().args([sub, "--help"]).output().unwrap();
        assert!(out.status.success());
        assert!(stdout(&out).contains("\nExamples:\n  "), "`vault {sub} --help` has no examples");
    }
}

#[test]
fn unknown_backend_is_a_usage_error() {
    let t = TempHome::new();
    let out = t.vault().args(["list"]).env("AWS_VAULT_BACKEND", "nonsense").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nonsense"));
}

#[test]
fn broken_pipe_is_success() {
    let t = TempHome::new();
    let config: String = (0..20000).map(|i| format!("[profile p{i}]\n")).collect();
    t.write_config(&config);
    let script =
        // The binary itself: the leak scan's recording wrapper would stand in the pipe.
        format!("set -o pipefail; '{}' list --profiles | head -n 1", common::record::real_vault().display());
    let out = t.vault_shell(&script);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "p0\n");
    assert_eq!(stderr(&out), "");
}

/// A reader that is gone before anything is written: every command's output
/// path (not only `list`'s) ends quietly with success, never a panic.
#[test]
fn closed_stdout_is_success_for_every_output_path() {
    let t = TempHome::new();
    t.write_config("[profile p]\nregion = eu-west-1\n");
    for args in [
        &["completions", "bash"][..],
        &["hook", "zsh"],
        &["list", "--profiles"],
        &["man"],
        &["lock"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = t.vault_unrecorded().args(args).stdout(writer).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

/// `vault clear` of a profile vault does not know says so and fails; a
/// name close to a known one gets "did you mean" there and wherever a
/// profile is named; one session is "1 session".
#[test]
fn an_unknown_profile_is_named_with_a_near_miss() {
    let moto = common::moto::Moto::start();
    let t = TempHome::with_config("[profile work]\nregion = eu-west-1\n");
    assert!(add_env(&t, "home").status.success());
    t.add_keys("work", KEY_ID, SECRET);

    let out = t.vault().args(["clear", "nosuch"]).output().unwrap();
    let err = assert_one_line_error(&out, "profile \"nosuch\" is neither in ");
    assert!(err.contains("nor stored; `vault list` shows the profiles"), "{err}");
    let out = t.vault().args(["clear", "wrok"]).output().unwrap();
    assert_one_line_error(&out, "nor stored; did you mean \"work\"?");
    let out = t.vault().args(["remove", "-f", "hmoe"]).output().unwrap();
    assert_one_line_error(
        &out,
        "no credentials are stored for profile \"hmoe\"; did you mean \"home\"?",
    );
    let out = t.vault().args(["exec", "wrok", "--", "true"]).output().unwrap();
    assert_one_line_error(&out, "profile \"wrok\" not found in ");
    assert!(stderr(&out).contains("did you mean \"work\"? or add it with `vault add wrok`"));

    let out = t.vault().args(["clear", "work"]).output().unwrap();
    assert_eq!(stdout(&out), "Cleared 0 sessions.\n", "{}", stderr(&out));
    let out =
        t.vault().env("AWS_ENDPOINT_URL", moto.url()).args(["export", "work"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = t.vault().args(["clear", "work"]).output().unwrap();
    assert_eq!(stdout(&out), "Cleared 1 session.\n", "{}", stderr(&out));
}

/// `vault add` stores any name, and says when `.awsprofile` cannot name it
/// (its rule is stricter: the name reaches shell code), and when a new
/// profile has no region, which the commands of `vault exec` will need.
#[test]
fn add_says_what_a_name_or_a_missing_region_will_need() {
    let t = TempHome::with_config("[profile work]\nregion = eu-west-1\n");
    let out = add_env(&t, "my profile");
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("vault: note: an .awsprofile file cannot name profile \"my profile\""),
        "{err}"
    );
    assert!(
        err.contains("vault: note: profile \"my profile\" has no region, which the commands `vault exec` runs will need: add `region = us-east-1` (yours) under [profile my profile] in "),
        "{err}"
    );
    let dir = t.home.join("proj");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(".awsprofile"), "my profile\n").unwrap();
    let out = t.vault().args(["allow", dir.to_str().unwrap()]).output().unwrap();
    assert_one_line_error(&out, "must name one profile");

    // A known region (the section's, or AWS_REGION) and a plain name: nothing to say.
    let out = add_env(&t, "work");
    assert!(out.status.success() && !stderr(&out).contains("note:"), "{}", stderr(&out));
    let out = t
        .vault()
        .args(["add", "--env", "ci"])
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_REGION", "eu-north-1")
        .output()
        .unwrap();
    assert!(out.status.success() && !stderr(&out).contains("note:"), "{}", stderr(&out));
}

/// A command's help lists its own options first and the global ones under
/// a heading of their own (`--no-browser` sat between `--pass-cmd` and
/// `--pass-prefix`).
#[test]
fn command_help_puts_the_global_options_under_their_own_heading() {
    let t = TempHome::new();
    let out = t.vault().args(["exec", "--help"]).output().unwrap();
    let text = stdout(&out);
    let (own, global) = text.split_once("\nGlobal Options:\n").expect(&text);
    for flag in ["--no-browser", "--mfa-token", "--ecs-server", "--region"] {
        assert!(own.contains(flag) && !global.contains(&format!("  {flag}")), "{flag}: {text}");
    }
    for flag in ["--debug", "--pass-cmd", "--pass-prefix", "--prompt", "--backend"] {
        assert!(global.contains(flag) && !own.contains(&format!("  {flag}")), "{flag}: {text}");
    }
}

/// A config file (one a repository's tooling wrote, say) may put terminal
/// escapes in names: `list`, error lines and notes show them escaped, so
/// they cannot retitle the terminal, clear it, or hide what is printed.
#[test]
fn names_from_the_config_are_printed_with_control_characters_escaped() {
    let evil = "evil\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m";
    let t = TempHome::with_config(&format!(
        "[profile {evil}]\nregion = eu-west-1\n[profile child]\nsource_profile = {evil}\n"
    ));
    let raw = |text: &str| text.chars().any(|c| c.is_control() && c != '\n');
    for args in [&["list"][..], &["list", "--profiles"]] {
        let out = t.vault().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains("evil\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{9b}31m"),
            "{args:?}: {text:?}"
        );
        assert!(!raw(&text), "{args:?}: {text:?}");
    }
    for profile in [evil, "child"] {
        let out = t.vault().args(["export", profile]).output().unwrap();
        let err = assert_one_line_error(&out, "evil\\u{1b}");
        assert!(!raw(err.trim_end()), "{err:?}");
    }
}
