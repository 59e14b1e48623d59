//! The credential plan for every combination of the config keys it reads,
//! against a real STS (moto on 127.0.0.1): which STS calls each profile
//! makes, with which key and MFA device, and whether what comes out is a
//! session. Nothing but `--no-session` may ever hand out the long-term keys.

mod common;

use std::fs;
use std::process::Output;

use common::moto::{Moto, MotoRequest};
use common::{TempHome, stderr, stdout};

const KEY_ID: &str = "AKIAVAULTPLANKEY0001";
const SECRET: &str = "vaultPlanSecretKey/0001+abcdefghijklmnopq";
const MFA: &str = "arn:aws:iam::123456789012:mfa/jonsmith";
const PROCESS_KEY: &str = "ASIAPROCESSKEY000001";

/// One STS call as a row expects it: the action, and the MFA device it
/// carried (`SerialNumber`), if any.
type Call = (&'static str, Option<&'static str>);

struct Row {
    name: &'static str,
    /// Config sections after `[profile base]` (which has `base_extra`).
    config: &'static str,
    base_extra: &'static str,
    /// Profiles whose long-term keys are stored (all under KEY_ID).
    stored: &'static [&'static str],
    no_session: bool,
    calls: &'static [Call],
    /// Whether the result is a session (a session token, not KEY_ID).
    session: bool,
    /// Whether a second run is served from the session cache, with no STS
    /// call (web-identity sessions are fetched each time, see the README).
    cached: bool,
}

const GST: &str = "GetSessionToken";
const AR: &str = "AssumeRole";

fn rows() -> Vec<Row> {
    let row = |name, config, stored, calls, session| Row {
        name,
        config,
        base_extra: "",
        stored,
        no_session: false,
        calls,
        session,
        cached: true,
    };
    vec![
        row("stored keys", "[profile t]\n", &["t"], &[(GST, None)], true),
        row(
            "stored keys + mfa",
            "[profile t]\nmfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
            &["t"],
            &[(GST, Some(MFA))],
            true,
        ),
        Row {
            no_session: true,
            ..row("stored keys, --no-session", "[profile t]\n", &["t"], &[], false)
        },
        Row {
            no_session: true,
            ..row(
                "stored keys + mfa, --no-session",
                "[profile t]\nmfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
                &["t"],
                &[],
                false,
            )
        },
        row(
            "source_profile, no role",
            "[profile t]\nsource_profile = base\n",
            &["base"],
            &[(GST, None)],
            true,
        ),
        row(
            "source_profile, no role, own mfa",
            "[profile t]\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
            &["base"],
            &[(GST, Some(MFA))],
            true,
        ),
        Row {
            base_extra: "mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
            ..row(
                "source_profile with mfa, no role",
                "[profile t]\nsource_profile = base\n",
                &["base"],
                &[(GST, Some(MFA))],
                true,
            )
        },
        row(
            "source_profile, no role, duration_seconds",
            "[profile t]\nsource_profile = base\nduration_seconds = 7200\n",
            &["base"],
            &[(GST, None)],
            true,
        ),
        Row {
            no_session: true,
            ..row(
                "source_profile, no role, --no-session",
                "[profile t]\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
                &["base"],
                &[],
                false,
            )
        },
        row(
            "keys stored under the profile win over its source_profile",
            "[profile t]\nsource_profile = base\n",
            &["t", "base"],
            &[(GST, None)],
            true,
        ),
        row(
            "role",
            "[profile t]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/target\n",
            &["base"],
            &[(AR, None)],
            true,
        ),
        Row {
            base_extra: "mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
            ..row(
                "role, mfa on the source",
                "[profile t]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/target\n",
                &["base"],
                &[(GST, Some(MFA)), (AR, None)],
                true,
            )
        },
        row(
            "role with its own mfa",
            "[profile t]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/target\n\
             mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
            &["base"],
            &[(AR, Some(MFA))],
            true,
        ),
        Row {
            base_extra: "mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
            ..row(
                "role, mfa, duration_seconds 12h",
                "[profile t]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/target\n\
                 duration_seconds = 43200\n",
                &["base"],
                &[(AR, Some(MFA))],
                true,
            )
        },
        Row {
            no_session: true,
            base_extra: "mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
            ..row(
                "role, mfa, --no-session",
                "[profile t]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/target\n",
                &["base"],
                &[(AR, Some(MFA))],
                true,
            )
        },
        // No MFA for a session to carry: the role is assumed with the keys, as aws-vault does.
        row(
            "stored keys and a role on one profile",
            "[profile t]\nrole_arn = arn:aws:iam::123456789012:role/target\n",
            &["t"],
            &[(AR, None)],
            true,
        ),
        row(
            "stored keys, a role and mfa on one profile",
            "[profile t]\nrole_arn = arn:aws:iam::123456789012:role/target\n\
             mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
            &["t"],
            &[(GST, Some(MFA)), (AR, None)],
            true,
        ),
        row(
            "a profile over a role profile",
            "[profile r]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/target\n\
             [profile t]\nsource_profile = r\n",
            &["base"],
            &[(AR, None)],
            true,
        ),
        Row {
            base_extra: "mfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n",
            ..row(
                "two chained roles",
                "[profile r]\nsource_profile = base\nrole_arn = arn:aws:iam::123456789012:role/mid\n\
                 [profile t]\nsource_profile = r\nrole_arn = arn:aws:iam::123456789012:role/target\n",
                &["base"],
                &[(GST, Some(MFA)), (AR, None), (AR, None)],
                true,
            )
        },
        row(
            "a role over a roleless profile with mfa",
            "[profile mid]\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/jonsmith\n\
             [profile t]\nsource_profile = mid\nrole_arn = arn:aws:iam::123456789012:role/target\n",
            &["base"],
            &[(GST, Some(MFA)), (AR, None)],
            true,
        ),
        row("credential_process", "[profile t]\ncredential_process = sh PROCESS\n", &[], &[], true),
        row(
            "source_profile with credential_process, no role",
            "[profile p]\ncredential_process = sh PROCESS\n[profile t]\nsource_profile = p\n",
            &[],
            &[],
            true,
        ),
        row(
            "role over credential_process",
            "[profile p]\ncredential_process = sh PROCESS\n[profile t]\nsource_profile = p\n\
             role_arn = arn:aws:iam::123456789012:role/target\n",
            &[],
            &[(AR, None)],
            true,
        ),
        Row {
            cached: false,
            ..row(
                "web_identity_token_file",
                "[profile t]\nrole_arn = arn:aws:iam::123456789012:role/target\n\
                 web_identity_token_file = TOKEN\n",
                &[],
                &[("AssumeRoleWithWebIdentity", None)],
                true,
            )
        },
    ]
}

fn export(t: &TempHome, moto: &Moto, no_session: bool) -> Output {
    let mut cmd = t.vault();
    cmd.env("AWS_ENDPOINT_URL", moto.url()).args(["export", "--format=json", "--mfa-token"]);
    cmd.arg("123456");
    if no_session {
        cmd.arg("--no-session");
    }
    cmd.arg("t").output().unwrap()
}

#[test]
fn every_combination_makes_the_expected_calls_and_only_no_session_yields_long_term_keys() {
    let moto = Moto::start();
    let mut failures = Vec::new();
    for row in rows() {
        let t = TempHome::new();
        let process = t.home.join("creds.sh");
        fs::write(
            &process,
            format!(
                "printf '{{\"Version\":1,\"AccessKeyId\":\"{PROCESS_KEY}\",\
                 \"SecretAccessKey\":\"procsecret\",\"SessionToken\":\"proctoken\",\
                 \"Expiration\":\"2099-01-01T00:00:00Z\"}}'\n"
            ),
        )
        .unwrap();
        common::record::note_secrets(
            "credential_process",
            &[("SecretAccessKey", "procsecret"), ("SessionToken", "proctoken")],
        );
        let token = t.home.join("token");
        fs::write(&token, "eyJhbGciOiJub25lIn0.e30.\n").unwrap();
        common::record::note_secrets(
            "web_identity_token_file",
            &[("WebIdentityToken", "eyJhbGciOiJub25lIn0.e30.")],
        );
        let config = format!("[profile base]\n{}{}", row.base_extra, row.config)
            .replace("PROCESS", &process.display().to_string())
            .replace("TOKEN", &token.display().to_string());
        // Keys first: `add` refuses a profile that has a source_profile.
        for name in row.stored {
            t.add_keys(name, KEY_ID, SECRET);
        }
        t.write_config(&config);

        let before = moto.requests().len();
        let out = export(&t, &moto, row.no_session);
        let calls: Vec<MotoRequest> = moto.requests().split_off(before);
        if let Some(why) = check(&row, &out, &calls) {
            failures.push(format!("{}: {why}", row.name));
            continue;
        }
        // The same rules for the cache: a second run makes no STS call.
        let again_before = moto.requests().len();
        let again = export(&t, &moto, row.no_session);
        let again_calls = moto.requests().len() - again_before;
        let want_calls = if row.cached { 0 } else { row.calls.len() };
        let same = stdout(&again) == stdout(&out);
        if !again.status.success() || same != row.cached || again_calls != want_calls {
            failures.push(format!(
                "{}: second run made {again_calls} STS calls or other credentials: {}",
                row.name,
                stderr(&again)
            ));
        }
    }
    assert!(failures.is_empty(), "{} rows failed:\n{}", failures.len(), failures.join("\n"));
}

/// What is wrong with one row's run, if anything.
fn check(row: &Row, out: &Output, calls: &[MotoRequest]) -> Option<String> {
    if !out.status.success() {
        return Some(format!("failed: {}", stderr(out)));
    }
    let text = stdout(out);
    if text.contains(SECRET) && !row.no_session {
        return Some("the long-term secret was handed out".into());
    }
    let got: Vec<(String, Option<String>)> = calls
        .iter()
        .map(|c| (c.action.clone(), c.param("SerialNumber").map(str::to_owned)))
        .collect();
    let want: Vec<(String, Option<String>)> =
        row.calls.iter().map(|(a, m)| (a.to_string(), m.map(str::to_owned))).collect();
    if got != want {
        return Some(format!("STS calls {got:?}, expected {want:?}"));
    }
    // The first call is signed with the stored key (web identity is unsigned).
    if let Some(first) = calls.first()
        && !row.stored.is_empty()
        && first.access_key_id.as_deref() != Some(KEY_ID)
    {
        return Some(format!("first call signed by {:?}", first.access_key_id));
    }
    let creds: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return Some(format!("not JSON ({e}): {text}")),
    };
    let key = creds["AccessKeyId"].as_str().unwrap_or_default();
    let is_session = creds["SessionToken"].as_str().is_some_and(|s| !s.is_empty())
        && key != KEY_ID
        && creds["Expiration"].is_string();
    if is_session != row.session {
        return Some(format!("session = {is_session}, expected {}: key {key}", row.session));
    }
    if !row.session && key != KEY_ID {
        return Some(format!("expected the long-term key, got {key}"));
    }
    None
}
