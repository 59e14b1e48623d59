//! Tests of `config::file`, kept apart so the module itself stays readable.
use super::*;
// Through the re-exports, as the rest of the crate uses them.
use crate::config::{ConfigFile, append_profile};

fn parse(text: &str) -> ConfigFile {
    ConfigFile::parse(text, Path::new("/home/u/.aws/config")).expect("parses")
}

fn parse_err(text: &str) -> String {
    ConfigFile::parse(text, Path::new("/home/u/.aws/config")).unwrap_err().to_string()
}

#[test]
fn lists_profiles_in_file_order_without_sso_sessions() {
    let cfg = parse(
        "# an example profile file\n[default]\nregion=us-west-2\noutput=json\n\n\
         [profile user2]\nREGION=us-east-1\n[sso-session corp]\nsso_region=eu-west-1\n\
         [services local]\ndynamodb =\n  endpoint_url = http://localhost:8000\n\
         [profile withsource]\nsource_profile=user2\n[profile user2]\nmfa_serial=x\n",
    );
    assert_eq!(cfg.profile_names(), ["default", "user2", "withsource"]);
    assert!(cfg.has_profile("user2"));
    assert!(!cfg.has_profile("corp"));
    assert!(cfg.has_sso_session("corp"));
    assert_eq!(cfg.get_sso_session("corp", "SSO_REGION"), Some("eu-west-1"));
    // A repeated section is merged.
    assert_eq!(cfg.get("user2", "region"), Some("us-east-1"));
    assert_eq!(cfg.get("user2", "mfa_serial"), Some("x"));
}

#[test]
fn default_without_profile_settings_is_not_listed() {
    let cfg = parse("[default]\noutput = json\n[profile a]\nregion = x\n");
    assert_eq!(cfg.profile_names(), ["a"]);
    assert!(cfg.has_profile("default"));
}

#[test]
fn keys_are_case_insensitive_and_section_names_are_not() {
    let cfg = parse(
        "[profile withMFA]\nRole_Arn=arn:aws:iam::1:role/x\nmfa_Serial = arn:mfa\n\
         [Profile other]\nregion = a\n[DEFAULT]\nregion = b\n",
    );
    assert_eq!(cfg.get("withMFA", "role_arn"), Some("arn:aws:iam::1:role/x"));
    assert_eq!(cfg.get("withMFA", "MFA_SERIAL"), Some("arn:mfa"));
    assert!(!cfg.has_profile("withmfa"));
    assert!(!cfg.has_profile("other"));
    assert!(!cfg.has_profile("default"));
    assert_eq!(cfg.profile_names(), ["withMFA"]);
}

#[test]
fn nested_values_are_skipped() {
    let cfg = parse(
        "[default]\n\n[profile testing]\naws_access_key_id=foo\nregion=us-west-2\ns3=\n  \
         max_concurrent_requests=10\n  max_queue_size=1000\n\n  # indented comment\n\
         mfa_serial = arn:mfa\n",
    );
    assert_eq!(cfg.get("testing", "region"), Some("us-west-2"));
    assert_eq!(cfg.get("testing", "s3"), None);
    assert_eq!(cfg.get("testing", "max_queue_size"), None);
    assert_eq!(cfg.get("testing", "mfa_serial"), Some("arn:mfa"));
}

#[test]
fn indented_keys_and_continuations_are_accepted() {
    let cfg = parse(
        "[profile a]\n  region = eu-west-1\n  mfa_serial = arn:mfa\n\
         credential_process = my-tool\n    --flag\n",
    );
    assert_eq!(cfg.get("a", "region"), Some("eu-west-1"));
    assert_eq!(cfg.get("a", "mfa_serial"), Some("arn:mfa"));
    assert_eq!(cfg.get("a", "credential_process"), Some("my-tool"));
}

#[test]
fn values_lose_inline_comments_and_surrounding_quotes_only() {
    let cfg = parse(
        "[profile a]\nregion = moon-1 # different from sso region\n\
         sso_region = moon-2  ; other\nrole_session_name = \"me\"\n\
         credential_process = sh -c \"echo '#x'\"\nexternal_id = a#b;c\n\
         web_identity_token_file = C:\\tokens\\\nsource_identity = 'it''s'\n\
         mfa_process = pass otp aws:mfa\n",
    );
    assert_eq!(cfg.get("a", "region"), Some("moon-1"));
    assert_eq!(cfg.get("a", "sso_region"), Some("moon-2"));
    assert_eq!(cfg.get("a", "role_session_name"), Some("me"));
    assert_eq!(cfg.get("a", "credential_process"), Some("sh -c \"echo '#x'\""));
    assert_eq!(cfg.get("a", "external_id"), Some("a#b;c"));
    assert_eq!(cfg.get("a", "web_identity_token_file"), Some("C:\\tokens\\"));
    assert_eq!(cfg.get("a", "source_identity"), Some("'it''s'"));
    assert_eq!(cfg.get("a", "mfa_process"), Some("pass otp aws:mfa"));
}

#[test]
fn colon_separates_too_and_empty_values_read_as_unset() {
    let cfg =
        parse("[profile a]\nregion: eu-west-1\nrole_arn =\nsso_start_url = https://x/start\n");
    assert_eq!(cfg.get("a", "region"), Some("eu-west-1"));
    assert_eq!(cfg.get("a", "role_arn"), None);
    assert_eq!(cfg.get("a", "sso_start_url"), Some("https://x/start"));
}

#[test]
fn odd_profile_names_work() {
    let cfg = parse(
        "[profile my \"odd\" prof ü]\nregion = eu-central-1\n[profile   spaced name  ] # c [x]\n\
         region = a\n[profile semi;colon#hash]\nregion = b\n[profile back\\slash]\nregion = c\n",
    );
    assert_eq!(
        cfg.profile_names(),
        ["my \"odd\" prof ü", "spaced name", "semi;colon#hash", "back\\slash"]
    );
    assert_eq!(cfg.get("my \"odd\" prof ü", "region"), Some("eu-central-1"));
    assert_eq!(cfg.get("spaced name", "region"), Some("a"));
    assert_eq!(cfg.get("semi;colon#hash", "region"), Some("b"));
    assert_eq!(cfg.get("back\\slash", "region"), Some("c"));
}

#[test]
fn malformed_lines_name_the_file_and_line() {
    let err = parse_err("[profile a]\nregion = x\n\n[profile broken\nregion = y\n");
    assert_eq!(
        err,
        "/home/u/.aws/config:4: unclosed section header `[profile broken`; add the closing `]`"
    );
    let err = parse_err("[profile a]\nregion = x\njunk line\nmfa_serial = y\n");
    assert!(err.starts_with("/home/u/.aws/config:3: `junk line` is not a"), "{err}");
    let err = parse_err("[profile a]\n= value\n");
    assert!(err.starts_with("/home/u/.aws/config:2: `= value` has no key"), "{err}");
    // An indented line right after a section header is not a continuation.
    let err = parse_err("[profile a]\n   stray\n");
    assert!(err.starts_with("/home/u/.aws/config:2: "), "{err}");
}

#[test]
fn settings_above_the_first_section_belong_to_no_profile() {
    let cfg = parse("region = x\nmfa_serial = y\n[default]\noutput = json\n");
    assert_eq!(cfg.get("default", "region"), None);
    assert!(cfg.profile_names().is_empty());
    let err = parse_err("junk\n[default]\n");
    assert!(err.starts_with("/home/u/.aws/config:1: `junk` is not a"), "{err}");
}

#[test]
fn crlf_and_bom_are_tolerated() {
    let cfg = parse("\u{feff}[profile a]\r\nregion = x\r\n\r\n[default]\r\nregion = y\r\n");
    assert_eq!(cfg.get("a", "region"), Some("x"));
    assert_eq!(cfg.get("default", "region"), Some("y"));
}

#[test]
fn missing_file_loads_as_empty() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = ConfigFile::load(&dir.path().join("nope")).unwrap();
    assert!(!cfg.exists());
    assert!(cfg.profile_names().is_empty());
    assert!(!cfg.has_profile("default"));

    let bad_utf8 = dir.path().join("latin1");
    fs::write(&bad_utf8, b"[profile a]\nregion = x\n# caf\xe9\n").unwrap();
    let err = ConfigFile::load(&bad_utf8).unwrap_err().to_string();
    assert!(err.ends_with(":3: the file is not valid UTF-8; save it as UTF-8"), "{err}");

    let err = ConfigFile::load(dir.path()).unwrap_err().to_string();
    assert!(err.starts_with("cannot read config file "), "{err}");
}

#[test]
fn default_path_prefers_aws_config_file() {
    let env = Env::from_pairs([("AWS_CONFIG_FILE", "/etc/aws.cfg"), ("HOME", "/home/u")]);
    assert_eq!(ConfigFile::default_path(&env), PathBuf::from("/etc/aws.cfg"));
    let env = Env::from_pairs([("AWS_CONFIG_FILE", "~/cfg"), ("HOME", "/home/u")]);
    assert_eq!(ConfigFile::default_path(&env), PathBuf::from("/home/u/cfg"));
    let env = Env::from_pairs([("AWS_CONFIG_FILE", ""), ("HOME", "/home/u")]);
    assert_eq!(ConfigFile::default_path(&env), PathBuf::from("/home/u/.aws/config"));
}

#[test]
fn append_keeps_every_existing_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    let original = "# my settings\n[default]\nregion = eu-west-1  ; keep this\n\n\
                    [profile testing]\ns3 =\n  max_concurrent_requests = 10\n\t\t# tabbed";
    fs::write(&path, original).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    }

    append_profile(&path, "llamas").unwrap();
    let written = fs::read_to_string(&path).unwrap();
    assert_eq!(written, format!("{original}\n\n[profile llamas]\n"));
    append_profile(&path, "default").unwrap();
    append_profile(&path, "my \"odd\" prof ü").unwrap();
    let written = fs::read_to_string(&path).unwrap();
    assert_eq!(written, format!("{original}\n\n[profile llamas]\n\n[profile my \"odd\" prof ü]\n"));
    let cfg = ConfigFile::load(&path).unwrap();
    assert!(cfg.has_profile("llamas"));
    assert!(cfg.has_profile("my \"odd\" prof ü"));
    // Nothing but the config file is left behind.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    }
}

#[test]
fn append_keeps_crlf_files_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    fs::write(&path, "[profile a]\r\nregion = x\r\n").unwrap();
    append_profile(&path, "b").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"[profile a]\r\nregion = x\r\n\r\n[profile b]\r\n");
}

#[test]
fn append_creates_a_private_file_and_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("home").join(".aws").join("config");
    append_profile(&path, "work").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "[profile work]\n");
    append_profile(&path, "default").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "[profile work]\n\n[default]\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(mode(&dir.path().join("home")), 0o700);
    }
}

#[cfg(unix)]
#[test]
fn append_follows_a_symlinked_config() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles-config");
    fs::write(&real, "[profile a]\n").unwrap();
    let link = dir.path().join("config");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    append_profile(&link, "b").unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(&real).unwrap(), "[profile a]\n\n[profile b]\n");
}

#[test]
fn append_rejects_names_that_cannot_be_a_section() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    for bad in ["", " padded", "a]b", "two\nlines"] {
        let err = append_profile(&path, bad).unwrap_err().to_string();
        assert!(err.starts_with(&format!("cannot add profile {bad:?} to ")), "{err}");
    }
    assert!(!path.exists());
}

#[test]
fn default_and_profile_default_are_not_merged_the_later_header_wins() {
    // botocore's rule: of `[default]` and `[profile default]`, the header that first
    // appears later in the file is the profile, whole; the other is ignored.
    let cfg = parse("[default]\nregion = a\noutput = json\n[profile default]\nregion = b\n");
    assert_eq!(cfg.get("default", "region"), Some("b"));
    assert_eq!(cfg.get("default", "output"), None, "not merged from [default]");
    let cfg =
        parse("[profile default]\nregion = b\n[default]\nregion = a\n[profile default]\nx = 1\n");
    assert_eq!(cfg.get("default", "region"), Some("a"));
    assert_eq!(cfg.get("default", "x"), None);
    // Either alone is the default profile, and repeats of one header still merge.
    let cfg = parse("[profile default]\nregion = b\n[profile default]\noutput = text\n");
    assert_eq!(
        (cfg.get("default", "region"), cfg.get("default", "output")),
        (Some("b"), Some("text"))
    );
}
