//! Credentials as environment variables: which `AWS_*` variables `exec` (and
//! the shell hook) set and unset for a child, and the text formats `export`
//! prints them in. Pure, so every format is unit tested. (The process's own
//! environment, as read, is [`Env`](crate::env::Env).)

use std::fmt::Write as _;

use serde::Serialize;

use crate::creds::Credentials;
use crate::escape;

/// Variables that would make a child use other credentials or another
/// profile than the ones given to it: the list aws-vault clears, and the
/// container variables of a keyless shell (an SDK would prefer them to the
/// EC2 server of `exec --ec2-server`).
pub const CLEARED: [&str; 12] = [
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_FILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_PROFILE",
    "AWS_SDK_LOAD_CONFIG",
];

/// The expiry format of `AWS_CREDENTIAL_EXPIRATION` (RFC 3339, UTC, seconds).
pub fn expiration_text(exp: &chrono::DateTime<chrono::Utc>) -> String {
    exp.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The variables that carry credentials and region, in a stable order.
pub fn list(creds: &Credentials, region: Option<&str>) -> Vec<(&'static str, String)> {
    let mut vars = Vec::new();
    if let Some(region) = region {
        vars.push(("AWS_REGION", region.to_owned()));
        vars.push(("AWS_DEFAULT_REGION", region.to_owned()));
    }
    vars.push(("AWS_ACCESS_KEY_ID", creds.access_key_id.clone()));
    vars.push(("AWS_SECRET_ACCESS_KEY", creds.secret_access_key.expose().to_owned()));
    if let Some(token) = &creds.session_token {
        vars.push(("AWS_SESSION_TOKEN", token.expose().to_owned()));
    }
    if let Some(exp) = &creds.expiration {
        vars.push(("AWS_CREDENTIAL_EXPIRATION", expiration_text(exp)));
    }
    vars
}

/// `KEY=value` lines, as `env` prints them (not shell code: for env files).
pub fn format_env(vars: &[(&str, String)]) -> String {
    vars.iter().fold(String::new(), |mut out, (k, v)| {
        let _ = writeln!(out, "{k}={v}");
        out
    })
}

/// `export KEY='value'` lines for POSIX shells, each value quoted.
pub fn format_export_env(vars: &[(&str, String)]) -> String {
    vars.iter().fold(String::new(), |mut out, (k, v)| {
        let _ = writeln!(out, "export {k}={}", escape::posix(v));
        out
    })
}

/// The `credential_process` JSON (Version 1), also printed by `exec --json`.
pub fn format_json(creds: &Credentials) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Out<'a> {
        version: u8,
        access_key_id: &'a str,
        secret_access_key: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        session_token: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        expiration: Option<String>,
    }
    let out = Out {
        version: 1,
        access_key_id: &creds.access_key_id,
        secret_access_key: creds.secret_access_key.expose(),
        session_token: creds.session_token.as_ref().map(|t| t.expose()),
        expiration: creds.expiration.as_ref().map(expiration_text),
    };
    serde_json::to_string_pretty(&out).expect("plain strings always serialize") + "\n"
}

/// An `~/.aws/credentials`-style section for `profile`.
pub fn format_ini(profile: &str, creds: &Credentials, region: Option<&str>) -> String {
    let mut out = format!("[{profile}]\n");
    let _ = writeln!(out, "aws_access_key_id={}", creds.access_key_id);
    let _ = writeln!(out, "aws_secret_access_key={}", creds.secret_access_key.expose());
    if let Some(token) = &creds.session_token {
        let _ = writeln!(out, "aws_session_token={}", token.expose());
    }
    if let Some(exp) = &creds.expiration {
        let _ = writeln!(out, "aws_credential_expiration={}", expiration_text(exp));
    }
    if let Some(region) = region {
        let _ = writeln!(out, "region={region}");
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::creds::Secret;

    fn temp_creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("sec/ret+key"),
            session_token: Some(Secret::new("tok==")),
            expiration: Some(chrono::Utc.with_ymd_and_hms(2030, 1, 2, 3, 4, 5).unwrap()),
        }
    }

    #[test]
    fn json_is_the_credential_process_format() {
        let v: serde_json::Value = serde_json::from_str(&format_json(&temp_creds())).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"Version": 1, "AccessKeyId": "ASIAEXAMPLE",
                "SecretAccessKey": "sec/ret+key", "SessionToken": "tok==",
                "Expiration": "2030-01-02T03:04:05Z"})
        );
        let long = Credentials::long_term("AKIA", "s");
        let v: serde_json::Value = serde_json::from_str(&format_json(&long)).unwrap();
        assert!(v.get("SessionToken").is_none() && v.get("Expiration").is_none());
    }

    #[test]
    fn env_and_export_env_formats() {
        let vars = list(&temp_creds(), Some("eu-west-1"));
        assert_eq!(
            format_env(&vars),
            "AWS_REGION=eu-west-1\nAWS_DEFAULT_REGION=eu-west-1\nAWS_ACCESS_KEY_ID=ASIAEXAMPLE\n\
             AWS_SECRET_ACCESS_KEY=sec/ret+key\nAWS_SESSION_TOKEN=tok==\n\
             AWS_CREDENTIAL_EXPIRATION=2030-01-02T03:04:05Z\n"
        );
        let quoted = format_export_env(&[("AWS_REGION", "it's $HOME".to_owned())]);
        assert_eq!(quoted, "export AWS_REGION='it'\\''s $HOME'\n");
    }

    #[test]
    fn ini_format() {
        assert_eq!(
            format_ini("work", &temp_creds(), None),
            "[work]\naws_access_key_id=ASIAEXAMPLE\naws_secret_access_key=sec/ret+key\n\
             aws_session_token=tok==\naws_credential_expiration=2030-01-02T03:04:05Z\n"
        );
    }
}
