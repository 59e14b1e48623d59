use chrono::{TimeZone, Utc};

use super::*;

#[test]
fn destinations_are_in_the_region_s_console() {
    assert_eq!(destination(None, None), "https://console.aws.amazon.com/");
    assert_eq!(destination(None, Some("/s3/home")), "https://console.aws.amazon.com/s3/home");
    assert_eq!(
        destination(Some("eu-west-1"), None),
        "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
    );
    assert_eq!(
        destination(Some("cn-north-1"), Some("ec2/home")),
        "https://cn-north-1.console.amazonaws.cn/ec2/home?region=cn-north-1"
    );
    assert_eq!(
        destination(Some("us-gov-east-1"), Some("s3/buckets?tab=all")),
        "https://us-gov-east-1.console.amazonaws-us-gov.com/s3/buckets?tab=all&region=us-gov-east-1"
    );
    assert_eq!(
        destination(Some("eusc-de-east-1"), None),
        "https://eusc-de-east-1.console.amazonaws-eusc.eu/console/home?region=eusc-de-east-1"
    );
}

#[test]
fn federation_names_follow_aws_rules() {
    assert_eq!(federation_name("arn:aws:iam::123456789012:user/alice"), "alice");
    assert_eq!(federation_name("arn:aws:iam::123456789012:user/division/bob.smith"), "bob.smith");
    assert_eq!(federation_name("arn:aws:iam::123456789012:root"), "root");
    let long = "arn:aws:iam::1:user/a-very-long-user-name-that-goes-past-thirty-two";
    assert_eq!(federation_name(long), "a-very-long-user-name-that-goes-");
    assert_eq!(federation_name(long).len(), 32);
    assert_eq!(federation_name("arn:aws:iam::1:user/x"), "vault-x");
    assert_eq!(federation_name("garbage"), "vault-");
}

#[test]
fn callers_are_told_apart_by_arn() {
    assert_eq!(caller_kind("arn:aws:sts::1:assumed-role/admin/123"), Caller::Role);
    assert_eq!(caller_kind("arn:aws:sts::1:federated-user/alice"), Caller::FederatedUser);
    assert_eq!(caller_kind("arn:aws:iam::1:user/alice"), Caller::User);
    assert_eq!(caller_kind("arn:aws:iam::1:root"), Caller::User);
}

#[test]
fn console_sessions_never_outlive_their_credentials() {
    let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    let expiring = |secs: i64| Credentials {
        session_token: Some(Secret::new("t")),
        expiration: Some(now + chrono::Duration::seconds(secs)),
        ..Credentials::long_term("ASIA", "s")
    };
    assert_eq!(session_duration(&expiring(3600), now), Duration::from_secs(3600));
    assert_eq!(session_duration(&expiring(100), now), MIN_SESSION);
    assert_eq!(session_duration(&expiring(-5), now), MIN_SESSION);
    assert_eq!(session_duration(&expiring(86_400), now), MAX_SESSION);
}

#[test]
fn the_login_url_encodes_everything() {
    let endpoint = Url::parse("https://signin.example/federation").unwrap();
    let url = login_url(&endpoint, "https://x/a?region=b", &Secret::new("to+k/en="));
    assert_eq!(
        url.expose(),
        "https://signin.example/federation?Action=login&Issuer=vault\
         &Destination=https%3A%2F%2Fx%2Fa%3Fregion%3Db&SigninToken=to%2Bk%2Fen%3D"
    );
    assert_eq!(format!("{url:?}"), "***");
}

#[test]
fn long_term_keys_never_reach_the_endpoint() {
    // Port 9 (discard) is never contacted: the check comes first.
    let endpoint = Url::parse("http://127.0.0.1:9/federation").unwrap();
    let err = signin_token(&endpoint, &Credentials::long_term("AKIA", "secret"), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("temporary credentials only") && !err.contains("secret"), "{err}");
}
