//! What a sign-in reaches: the sign-in `vault sso list` and `populate` are asked for
//! (an `[sso-session]` or a start URL), and every account and role the portal lists
//! for it.

use anyhow::{Result, anyhow, bail};

use super::{SignIn, SsoSession, scopes};
use crate::aws::Service;
use crate::aws::sso::{Sso, SsoError};
use crate::config::{ConfigFile, check_region};

/// One account and role the signed-in user may use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Assignment {
    pub account_id: String,
    pub account_name: String,
    pub role_name: String,
}

impl SsoSession {
    /// The sign-in named on the command line: `[sso-session NAME]`, or a start URL and
    /// its region (the legacy form); with neither, the config's one `[sso-session]`.
    pub fn chosen(
        cfg: &ConfigFile,
        session: Option<&str>,
        start_url: Option<&str>,
        region: Option<&str>,
    ) -> Result<Self> {
        if let Some(url) = start_url {
            let region = region.ok_or_else(|| anyhow!("--start-url needs --sso-region"))?;
            check_region(region).map_err(|reason| anyhow!("--sso-region {region:?}: {reason}"))?;
            if url::Url::parse(url).is_err() {
                bail!("--start-url {url:?} is not a URL; copy it from the AWS access portal");
            }
            return Ok(Self {
                name: None,
                start_url: url.to_owned(),
                region: region.to_owned(),
                scopes: scopes(None),
            });
        }
        let path = cfg.path().display();
        let name = match session {
            Some(name) => name,
            None => match cfg.sso_session_names()[..] {
                [one] => one,
                [] => bail!(
                    "{path} has no [sso-session] section; add one (`aws configure sso-session`) \
                     or give --start-url and --sso-region"
                ),
                ref several => bail!(
                    "{path} has {} [sso-session] sections ({}); choose one with --sso-session",
                    several.len(),
                    several.join(", ")
                ),
            },
        };
        if !cfg.has_sso_session(name) {
            bail!("{path} has no [sso-session {name}] section; add it or fix --sso-session");
        }
        let get = |key| cfg.get_sso_session(name, key);
        let start_url = get("sso_start_url").ok_or_else(|| {
            anyhow!("[sso-session {name}] in {path} has no sso_start_url; add it")
        })?;
        let region = get("sso_region")
            .ok_or_else(|| anyhow!("[sso-session {name}] in {path} has no sso_region; add it"))?;
        check_region(region)
            .map_err(|reason| anyhow!("[sso-session {name}] in {path}: sso_region: {reason}"))?;
        Ok(Self {
            name: Some(name.to_owned()),
            start_url: start_url.to_owned(),
            region: region.to_owned(),
            scopes: scopes(get("sso_registration_scopes")),
        })
    }
}

impl SignIn<'_> {
    /// Every account and role the signed-in user may use, sorted by account name, id
    /// and role. A token the portal refuses (401) leads to exactly one new sign-in and
    /// one new listing, as for role credentials.
    pub fn assignments(&self) -> Result<Vec<Assignment>> {
        let sso = Sso::new(self.session.target(Service::SSO, self.env))?;
        let token = self.token()?;
        match list(&sso, &token) {
            Err(SsoError::Unauthorized(reason)) => {
                log::debug!("the portal refused the cached sign-in ({reason}); signing in again");
                let token = self.sign_in_again(&token)?;
                Ok(list(&sso, &token)?)
            }
            other => Ok(other?),
        }
    }
}

fn list(sso: &Sso, token: &crate::creds::Secret) -> Result<Vec<Assignment>, SsoError> {
    let accounts = sso.list_accounts(token)?;
    let ids: Vec<String> = accounts.iter().map(|a| a.id.clone()).collect();
    let roles = sso.list_roles(token, &ids)?;
    let mut out: Vec<Assignment> = accounts
        .into_iter()
        .zip(roles)
        .flat_map(|(account, roles)| {
            roles.into_iter().map(move |role_name| Assignment {
                account_id: account.id.clone(),
                account_name: account.name.clone(),
                role_name,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.account_name, &a.account_id, &a.role_name).cmp(&(
            &b.account_name,
            &b.account_id,
            &b.role_name,
        ))
    });
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn cfg(text: &str) -> ConfigFile {
        ConfigFile::parse(text, Path::new("/c")).unwrap()
    }

    #[test]
    fn the_sign_in_is_the_named_session_the_only_one_or_a_start_url() {
        let one =
            cfg("[sso-session corp]\nsso_start_url = https://corp/start\nsso_region = eu-west-1\n\
                       sso_registration_scopes = a:b\n");
        let s = SsoSession::chosen(&one, None, None, None).unwrap();
        assert_eq!(s.name.as_deref(), Some("corp"));
        assert_eq!((s.start_url.as_str(), s.region.as_str()), ("https://corp/start", "eu-west-1"));
        assert_eq!(s.scopes, ["a:b", "sso:account:access"]);
        assert_eq!(SsoSession::chosen(&one, Some("corp"), None, None).unwrap(), s);
        let legacy =
            SsoSession::chosen(&one, None, Some("https://x/start"), Some("us-east-2")).unwrap();
        assert_eq!((legacy.name, legacy.region.as_str()), (None, "us-east-2"));

        let err = |c: &ConfigFile, session, url, region| {
            SsoSession::chosen(c, session, url, region).unwrap_err().to_string()
        };
        assert!(err(&cfg(""), None, None, None).contains("no [sso-session] section"));
        assert!(err(&one, Some("other"), None, None).contains("no [sso-session other]"));
        let two = cfg("[sso-session a]\n[sso-session b]\n");
        assert!(err(&two, None, None, None).contains("2 [sso-session] sections (a, b)"));
        assert!(err(&two, Some("a"), None, None).contains("no sso_start_url"));
        assert!(err(&one, None, Some("https://x"), Some("EU")).contains("--sso-region"));
        assert!(err(&one, None, Some("not a url"), Some("eu-west-1")).contains("not a URL"));
    }
}
