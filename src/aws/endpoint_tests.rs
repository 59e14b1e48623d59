use std::path::Path;

use super::*;
use crate::config::{ConfigFile, ResolveOptions, resolve as resolve_profile};

fn profile(lines: &str) -> ProfileConfig {
    let text = format!("[profile p]\n{lines}");
    let file = ConfigFile::parse(&text, Path::new("/test/config")).unwrap();
    resolve_profile(&file, "p", &Env::default(), &ResolveOptions::default()).unwrap()
}

#[test]
fn endpoint_precedence_mirrors_sts() {
    let cfg = |url: Option<&str>| match url {
        Some(url) => profile(&format!("endpoint_url = {url}\n")),
        None => profile(""),
    };
    let iam = |cfg: &ProfileConfig, env: &Env| Target::for_profile(Service::IAM, cfg, env);
    let none = Env::default();
    assert_eq!(iam(&cfg(None), &none), Target { region: "us-east-1".into(), endpoint_url: None });
    let env = Env::from_pairs([("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:9")]);
    assert_eq!(
        iam(&cfg(Some("http://profile")), &env).endpoint_url.as_deref(),
        Some("http://127.0.0.1:9")
    );
    assert_eq!(
        iam(&cfg(Some("http://profile")), &none).endpoint_url.as_deref(),
        Some("http://profile")
    );
    let ignore = Env::from_pairs([
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:9"),
    ]);
    assert_eq!(iam(&cfg(Some("http://profile")), &ignore).endpoint_url, None);
}

#[test]
fn each_service_reads_only_its_own_variable() {
    let env = Env::from_pairs([("AWS_ENDPOINT_URL_IAM", "http://iam")]);
    let cfg = profile("region = eu-west-1\n");
    assert_eq!(
        Target::for_profile(Service::STS, &cfg, &env),
        Target { region: "eu-west-1".into(), endpoint_url: None }
    );
    let env = Env::from_pairs([("AWS_ENDPOINT_URL_STS", "http://sts")]);
    assert_eq!(
        Target::for_profile(Service::STS, &cfg, &env).endpoint_url.as_deref(),
        Some("http://sts")
    );
    assert_eq!(Target::for_profile(Service::IAM, &cfg, &env).endpoint_url, None);
}

#[test]
fn legacy_sts_endpoints_are_global_for_the_legacy_regions_only() {
    let sts = |lines: &str| Target::for_profile(Service::STS, &profile(lines), &Env::default());
    let legacy = "sts_regional_endpoints = legacy\n";
    assert_eq!(sts(legacy).endpoint_url.as_deref(), Some("https://sts.amazonaws.com"));
    assert_eq!(
        sts(&format!("{legacy}region = eu-west-1\n")).endpoint_url.as_deref(),
        Some("https://sts.amazonaws.com")
    );
    assert_eq!(sts(&format!("{legacy}region = af-south-1\n")).endpoint_url, None);
    assert_eq!(sts("sts_regional_endpoints = regional\n").endpoint_url, None);
    // A configured URL wins over the legacy global endpoint.
    assert_eq!(
        sts(&format!("{legacy}endpoint_url = http://local\n")).endpoint_url.as_deref(),
        Some("http://local")
    );
    // IAM has no regional endpoints to opt out of.
    let iam = Target::for_profile(Service::IAM, &profile(legacy), &Env::default());
    assert_eq!(iam.endpoint_url, None);
}

#[test]
fn without_a_profile_the_environment_decides() {
    let from_env = |env: &Env| resolve(Service::STS, &EndpointSettings::from_env(env), env);
    assert_eq!(
        from_env(&Env::default()),
        Target { region: "us-east-1".into(), endpoint_url: None }
    );
    let env =
        Env::from_pairs([("AWS_DEFAULT_REGION", "eu-west-2"), ("AWS_ENDPOINT_URL", "http://all")]);
    assert_eq!(
        from_env(&env),
        Target { region: "eu-west-2".into(), endpoint_url: Some("http://all".into()) }
    );
    let env = Env::from_pairs([
        ("AWS_REGION", "ap-south-1"),
        ("AWS_DEFAULT_REGION", "eu-west-2"),
        ("AWS_ENDPOINT_URL", "http://all"),
        ("AWS_ENDPOINT_URL_STS", "http://sts"),
    ]);
    assert_eq!(
        from_env(&env),
        Target { region: "ap-south-1".into(), endpoint_url: Some("http://sts".into()) }
    );
}

#[test]
fn partitions_pick_their_federation_endpoint_and_console() {
    let fed = |region| federation_endpoint(&Env::default(), region).unwrap().to_string();
    assert_eq!(fed(None), "https://us-east-1.signin.aws.amazon.com/federation");
    assert_eq!(fed(Some("eu-west-1")), "https://us-east-1.signin.aws.amazon.com/federation");
    assert_eq!(fed(Some("cn-north-1")), "https://signin.amazonaws.cn/federation");
    assert_eq!(fed(Some("us-gov-west-1")), "https://signin.amazonaws-us-gov.com/federation");
    assert_eq!(fed(Some("eusc-de-east-1")), "https://signin.amazonaws-eusc.eu/federation");

    assert_eq!(console_host(None), "console.aws.amazon.com");
    assert_eq!(console_host(Some("cn-north-1")), "console.amazonaws.cn");
    assert_eq!(console_host(Some("us-gov-east-1")), "console.amazonaws-us-gov.com");
    assert_eq!(console_host(Some("eusc-de-east-1")), "console.amazonaws-eusc.eu");
}

#[test]
fn the_override_is_https_or_local() {
    let with =
        |v: &str| federation_endpoint(&Env::from_pairs([(FEDERATION_ENDPOINT_VAR, v)]), None);
    assert_eq!(with("http://127.0.0.1:8080/federation").unwrap().port(), Some(8080));
    assert!(with("http://localhost/f").is_ok());
    assert!(with("http://[::1]:9/f").is_ok());
    assert!(with("https://signin.example.com/federation").is_ok());
    for bad in ["http://signin.example.com/f", "ftp://127.0.0.1/f", "not a url", "https://x/f?a=1"]
    {
        let err = with(bad).unwrap_err().to_string();
        assert!(err.starts_with(FEDERATION_ENDPOINT_VAR), "{err}");
    }
}

#[test]
fn the_oidc_authorize_host_follows_the_partition() {
    assert_eq!(sso_oidc_url("eu-west-1"), "https://oidc.eu-west-1.amazonaws.com");
    assert_eq!(sso_oidc_url("cn-north-1"), "https://oidc.cn-north-1.amazonaws.com.cn");
}
