//! The calls to IAM Identity Center's portal, made with the bearer token of an SSO
//! sign-in: GetRoleCredentials, and ListAccounts and ListAccountRoles, each followed
//! through every page.

use aws_sdk_sso::Client;
use aws_sdk_sso::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sts::config::http::HttpResponse;
use chrono::DateTime;

use super::endpoint::{Service, Target};
use crate::creds::{Credentials, Secret};

/// How many accounts' roles are asked for at once: the portal's listings are
/// one call per account, and the portal throttles a client that asks too fast.
const ROLE_LISTINGS_IN_FLIGHT: usize = 4;

/// An account the signed-in user may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// 401: the token is no longer accepted (revoked, expired, or signed
    /// out); a new sign-in is needed.
    #[error("the IAM Identity Center sign-in is no longer valid ({0})")]
    Unauthorized(String),
    /// 403: the token is fine but its user may not use this account and role,
    /// which a new sign-in would not change.
    #[error(
        "IAM Identity Center refused role {role} in account {account} ({message}); check \
         sso_account_id and sso_role_name, or ask for the assignment"
    )]
    NoAccess { account: String, role: String, message: String },
    /// 403 on a listing: the sign-in may not list (e.g. a token without the
    /// sso:account:access scope).
    #[error(
        "IAM Identity Center refused sso:{action} ({message}); check the start URL, or ask \
         an administrator for access to the AWS access portal"
    )]
    Forbidden { action: &'static str, message: String },
    /// 429, after the SDK's own retries.
    #[error(
        "IAM Identity Center is throttling sso:{action} ({message}); wait a minute and run \
         the command again"
    )]
    Throttled { action: &'static str, message: String },
    #[error("sso:{action} failed: {message}")]
    Call { action: &'static str, message: String },
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
}

pub struct Sso {
    runtime: tokio::runtime::Runtime,
    client: Client,
    /// Where calls go, for error messages.
    target: Target,
}

impl Sso {
    pub fn new(target: Target) -> Result<Self, SsoError> {
        let runtime = super::runtime().map_err(SsoError::Runtime)?;
        let client = Client::new(&super::sdk_config(&target, None));
        Ok(Self { runtime, client, target })
    }

    pub fn get_role_credentials(
        &self,
        token: &Secret,
        account_id: &str,
        role_name: &str,
    ) -> Result<Credentials, SsoError> {
        let call = self
            .client
            .get_role_credentials()
            .access_token(token.expose())
            .account_id(account_id)
            .role_name(role_name);
        let out = self.runtime.block_on(call.send()).map_err(|err| {
            match classify(&self.target, "GetRoleCredentials", &err) {
                SsoError::Forbidden { message, .. } => SsoError::NoAccess {
                    account: account_id.to_owned(),
                    role: role_name.to_owned(),
                    message,
                },
                other => other,
            }
        })?;
        let missing = |what| SsoError::Call {
            action: "GetRoleCredentials",
            message: format!("the answer has no {what}"),
        };
        let rc = out.role_credentials.ok_or_else(|| missing("roleCredentials"))?;
        Ok(Credentials {
            access_key_id: rc.access_key_id.ok_or_else(|| missing("accessKeyId"))?,
            secret_access_key: Secret::new(
                rc.secret_access_key.ok_or_else(|| missing("secretAccessKey"))?,
            ),
            session_token: rc.session_token.map(Secret::new),
            expiration: Some(
                DateTime::from_timestamp_millis(rc.expiration)
                    .ok_or_else(|| missing("valid expiration"))?,
            ),
        })
    }

    /// Every account the token's user may reach, following nextToken through every
    /// page, in the portal's order.
    pub fn list_accounts(&self, token: &Secret) -> Result<Vec<Account>, SsoError> {
        self.runtime.block_on(async {
            let mut accounts = Vec::new();
            let mut next: Option<String> = None;
            loop {
                let call = self
                    .client
                    .list_accounts()
                    .access_token(token.expose())
                    .set_next_token(next.take());
                let page =
                    call.send().await.map_err(|e| classify(&self.target, "ListAccounts", &e))?;
                for info in page.account_list() {
                    let Some(id) = info.account_id() else { continue };
                    let name = info.account_name().unwrap_or(id);
                    accounts.push(Account { id: id.to_owned(), name: name.to_owned() });
                }
                match page.next_token() {
                    Some(token) if !token.is_empty() => next = Some(token.to_owned()),
                    _ => return Ok(accounts),
                }
            }
        })
    }

    /// The role names of each of `account_ids` (in that order), every page of each,
    /// a few accounts at a time.
    pub fn list_roles(
        &self,
        token: &Secret,
        account_ids: &[String],
    ) -> Result<Vec<Vec<String>>, SsoError> {
        self.runtime.block_on(async {
            let mut tasks = tokio::task::JoinSet::new();
            let mut roles: Vec<Vec<String>> = vec![Vec::new(); account_ids.len()];
            let mut queued = account_ids.iter().enumerate();
            loop {
                while tasks.len() < ROLE_LISTINGS_IN_FLIGHT
                    && let Some((i, id)) = queued.next()
                {
                    let (client, target) = (self.client.clone(), self.target.clone());
                    let (token, id) = (token.clone(), id.clone());
                    tasks.spawn(
                        async move { (i, account_roles(&client, &target, &token, &id).await) },
                    );
                }
                let Some(done) = tasks.join_next().await else { return Ok(roles) };
                let (i, listed) = done.map_err(|e| SsoError::Call {
                    action: "ListAccountRoles",
                    message: e.to_string(),
                })?;
                roles[i] = listed?;
            }
        })
    }
}

async fn account_roles(
    client: &Client,
    target: &Target,
    token: &Secret,
    account_id: &str,
) -> Result<Vec<String>, SsoError> {
    let mut roles = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let call = client
            .list_account_roles()
            .access_token(token.expose())
            .account_id(account_id)
            .set_next_token(next.take());
        let page = call.send().await.map_err(|e| classify(target, "ListAccountRoles", &e))?;
        roles.extend(page.role_list().iter().filter_map(|r| r.role_name()).map(str::to_owned));
        match page.next_token() {
            Some(token) if !token.is_empty() => next = Some(token.to_owned()),
            _ => return Ok(roles),
        }
    }
}

/// A failed portal call as the caller acts on it: a 401 means sign in again, a 403
/// and throttling are for the user, anything else is one line naming the call.
fn classify<E>(target: &Target, action: &'static str, err: &SdkError<E, HttpResponse>) -> SsoError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let described = super::error::describe(Service::SSO, target, err);
    let status = err.raw_response().map(|r| r.status().as_u16());
    let message = described.message;
    match (described.code.as_deref(), status) {
        (Some("UnauthorizedException"), _) | (_, Some(401)) => SsoError::Unauthorized(message),
        (Some("TooManyRequestsException"), _) | (_, Some(429)) => {
            SsoError::Throttled { action, message }
        }
        (_, Some(403)) => SsoError::Forbidden { action, message },
        _ => SsoError::Call { action, message },
    }
}
