//! `credential_process` and `web_identity_token_process`: commands whose
//! stdout carries credentials or a token. Their output is secret, so it never
//! appears in an error; only the command and its exit status do.

use std::process::Stdio;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::creds::{Credentials, Secret};

#[derive(Debug, thiserror::Error)]
#[error("{kind} `{command}` failed: {reason}")]
pub struct ProcessError {
    kind: &'static str,
    command: String,
    reason: String,
}

/// The JSON a credential process prints (the AWS CLI's documented format).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ProcessOutput {
    version: u32,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiration: Option<DateTime<Utc>>,
}

/// Runs a command through `/bin/sh -c` with stderr passed through, for at
/// most `limit`, and returns its stdout.
fn run(
    kind: &'static str,
    command: &str,
    limit: Duration,
) -> Result<Zeroizing<Vec<u8>>, ProcessError> {
    let fail = |reason: String| ProcessError { kind, command: command.to_owned(), reason };
    let mut cmd = crate::child::command("/bin/sh");
    cmd.args(["-c", command]).stdin(Stdio::null()).stderr(Stdio::inherit());
    let out = crate::child::run_bounded(cmd, None, limit).map_err(|e| fail(e.to_string()))?;
    if !out.status.success() {
        return Err(fail(out.status.to_string()));
    }
    Ok(out.stdout)
}

pub fn credential_process(command: &str, limit: Duration) -> Result<Credentials, ProcessError> {
    let stdout = run("credential_process", command, limit)?;
    parse_credential_json(&stdout).map_err(|reason| ProcessError {
        kind: "credential_process",
        command: command.to_owned(),
        reason,
    })
}

/// Parses credential_process JSON. The error says what is wrong with the
/// shape, never echoing the values.
pub fn parse_credential_json(bytes: &[u8]) -> Result<Credentials, String> {
    let out: ProcessOutput = serde_json::from_slice(bytes).map_err(|e| {
        // serde_json quotes offending values in type errors ("invalid type:
        // string \"...\""), and these values are secrets: keep only what is safe.
        let text = e.to_string();
        let detail = if text.starts_with("missing field") || text.starts_with("unknown variant") {
            text.split(" at line").next().unwrap_or_default().to_owned()
        } else {
            format!("a bad value at line {} column {}", e.line(), e.column())
        };
        format!("its output is not credential JSON: {detail}")
    })?;
    if out.version != 1 {
        return Err(format!("its output has Version {}, only 1 is understood", out.version));
    }
    if out.access_key_id.is_empty() || out.secret_access_key.is_empty() {
        return Err("its output has an empty AccessKeyId or SecretAccessKey".to_owned());
    }
    Ok(Credentials {
        access_key_id: out.access_key_id,
        secret_access_key: Secret::new(out.secret_access_key),
        session_token: out.session_token.filter(|t| !t.is_empty()).map(Secret::new),
        expiration: out.expiration,
    })
}

pub fn token_process(command: &str, limit: Duration) -> Result<Secret, ProcessError> {
    let stdout = run("web_identity_token_process", command, limit)?;
    let token = String::from_utf8(stdout.to_vec()).map_err(|_| ProcessError {
        kind: "web_identity_token_process",
        command: command.to_owned(),
        reason: "its output is not UTF-8".to_owned(),
    })?;
    Ok(Secret::new(token.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_format() {
        let json = br#"{"Version":1,"AccessKeyId":"ASIAX","SecretAccessKey":"s3cr3t","SessionToken":"tok","Expiration":"2030-01-02T03:04:05Z"}"#;
        let c = parse_credential_json(json).unwrap();
        assert_eq!(c.access_key_id, "ASIAX");
        assert_eq!(c.secret_access_key.expose(), "s3cr3t");
        assert_eq!(c.expiration.unwrap().to_rfc3339(), "2030-01-02T03:04:05+00:00");
    }

    #[test]
    fn long_term_output_has_no_token_or_expiry() {
        let c =
            parse_credential_json(br#"{"Version":1,"AccessKeyId":"AKIAX","SecretAccessKey":"s"}"#)
                .unwrap();
        assert!(c.session_token.is_none() && c.expiration.is_none());
    }

    #[test]
    fn errors_never_echo_values() {
        for bad in [
            &br#"{"Version":2,"AccessKeyId":"AKIAX","SecretAccessKey":"topsecret"}"#[..],
            br#"{"AccessKeyId":"AKIAX","SecretAccessKey":"topsecret"}"#,
            br#"{"Version":1,"AccessKeyId":"AKIAX","SecretAccessKey":"topsecret","Expiration":"topsecret"}"#,
            br#"{"Version":"topsecret","AccessKeyId":"AKIAX","SecretAccessKey":"x"}"#,
            br#"{"Version":1,"AccessKeyId":"AKIAX","SecretAccessKey":["topsecret"]}"#,
            b"topsecret",
        ] {
            let err = parse_credential_json(bad).expect_err("must fail");
            assert!(!err.contains("topsecret"), "{err}");
        }
    }

    #[test]
    fn failing_command_is_named_with_its_status() {
        let err = credential_process("echo top$(echo secret); exit 3", Duration::from_secs(30))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("exit status: 3") && !err.contains("topsecret"), "{err}");
    }
}
