//! `vault list`: profiles from the config, credentials and sessions from the
//! store. Reads key names only, so it never asks for a passphrase.

use std::io::Write;

use anyhow::Result;
use chrono::Utc;

use crate::cli::ListArgs;
use crate::config::ConfigFile;
use crate::context::Context;
use crate::escape::terminal;
use crate::sso;
use crate::store::{CredentialKeyring, OidcTokenKeyring, SessionKey, SessionKeyring};

pub fn run(ctx: &Context, args: ListArgs) -> Result<()> {
    let cfg = ctx.config()?;
    let store = ctx.store()?;
    let mut out = super::out();

    if args.profiles {
        for name in cfg.profile_names() {
            writeln!(out, "{}", terminal(&name))?;
        }
        return Ok(());
    }
    let credentials = CredentialKeyring::new(store.as_ref()).names()?;
    if args.credentials {
        for name in credentials {
            writeln!(out, "{}", terminal(&name))?;
        }
        return Ok(());
    }
    let now = Utc::now();
    let sessions: Vec<SessionKey> = SessionKeyring::new(store.as_ref())
        .list()?
        .into_iter()
        .filter(|s| s.expiration > now)
        .collect();
    if args.sessions {
        let width =
            sessions.iter().map(|s| terminal(&s.profile).chars().count()).max().unwrap_or(0);
        for session in &sessions {
            let profile = terminal(&session.profile);
            let line = format!("{profile:width$}  {}", session_label(session, now));
            writeln!(out, "{}", line.trim_end())?;
        }
        return Ok(());
    }

    let signed_in = OidcTokenKeyring::new(store.as_ref()).start_urls()?;
    let rows = table_rows(&cfg, &credentials, &sessions, &signed_in, now);
    out.write_all(render(&rows).as_bytes())?;
    Ok(())
}

/// One row per profile, then one per stored credential that no profile names.
fn table_rows(
    cfg: &ConfigFile,
    credentials: &[String],
    sessions: &[SessionKey],
    signed_in: &[String],
    now: chrono::DateTime<Utc>,
) -> Vec<[String; 3]> {
    let mut rows = vec![
        ["Profile".into(), "Credentials".into(), "Sessions".into()],
        ["=======".into(), "===========".into(), "========".into()],
    ];
    let profiles = cfg.profile_names();
    for name in &profiles {
        let sso_label = sso::sign_in_label(cfg, name);
        let creds = match (credential_source(cfg, name, credentials), &sso_label) {
            (Some(stored), _) => stored.to_owned(),
            // IAM Identity Center profiles sign in instead of storing keys.
            (None, Some(label)) => format!("sso:{label}"),
            (None, None) => "-".to_owned(),
        };
        let mut labels: Vec<String> =
            sessions.iter().filter(|s| &s.profile == name).map(|s| session_label(s, now)).collect();
        if let (Some(label), Some(url)) = (&sso_label, sso::start_url_of(cfg, name))
            && signed_in.contains(&url)
        {
            labels.push(format!("oidc:{label}"));
        }
        let labels = if labels.is_empty() { "-".to_owned() } else { labels.join(", ") };
        rows.push([name.clone(), creds, labels]);
    }
    for name in credentials.iter().filter(|c| !profiles.contains(c)) {
        rows.push(["-".into(), name.clone(), "-".into()]);
    }
    rows
}

/// A session as the Sessions column shows it: its kind and the time left, in
/// whole seconds as aws-vault prints it (`sts.GetSessionToken:59m58s`).
fn session_label(session: &SessionKey, now: chrono::DateTime<Utc>) -> String {
    let left = (session.expiration - now).to_std().unwrap_or_default();
    let left = std::time::Duration::from_secs(left.as_secs());
    format!("{}:{}", session.kind, crate::duration::format_duration(left))
}

/// The stored credentials a profile signs with: its own, else those found by
/// following `source_profile` (as the usage guide's example shows for roles).
fn credential_source<'a>(cfg: &'a ConfigFile, name: &'a str, stored: &[String]) -> Option<&'a str> {
    let mut current = name;
    // Bounded walk: a cycle is reported by commands that resolve profiles.
    for _ in 0..=stored.len() + cfg.profile_names().len() {
        if stored.iter().any(|s| s == current) {
            return Some(current);
        }
        current = cfg.get(current, "source_profile").filter(|s| *s != current)?;
    }
    None
}

/// Left-aligned columns separated by two spaces, like Go's tabwriter output.
/// Names come from the config file, the store and the portal: shown escaped.
pub(super) fn render<const N: usize>(rows: &[[String; N]]) -> String {
    let rows: Vec<[String; N]> = rows.iter().map(|row| row.clone().map(|c| terminal(&c))).collect();
    let widths: Vec<usize> =
        (0..N).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    let mut text = String::new();
    for row in &rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(&format!("{cell:width$}  "));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_time_left_is_in_whole_seconds() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 654_834_100).unwrap();
        let expiration = chrono::DateTime::from_timestamp(1_800_003_599, 0).unwrap();
        let key = SessionKey::new("sts.GetSessionToken", "work", "", expiration);
        assert_eq!(session_label(&key, now), "sts.GetSessionToken:59m58s");
    }

    #[test]
    fn columns_line_up() {
        let rows = [
            ["Profile".into(), "Credentials".into(), "Sessions".into()],
            ["work-admin_role".into(), "work".into(), "-".into()],
        ];
        assert_eq!(
            render(&rows),
            "Profile          Credentials  Sessions\nwork-admin_role  work         -\n"
        );
    }
}
