//! The calls to IAM Identity Center's portal: GetRoleCredentials, made with
//! the bearer token of an SSO sign-in.

use aws_sdk_sso::Client;
use aws_sdk_sso::operation::get_role_credentials::GetRoleCredentialsError;
use chrono::DateTime;

use super::endpoint::{Service, Target};
use crate::creds::{Credentials, Secret};

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
            let described = super::error::describe(Service::SSO, &self.target, &err);
            let status = err.raw_response().map(|r| r.status().as_u16());
            let unauthorized = matches!(
                err.as_service_error(),
                Some(GetRoleCredentialsError::UnauthorizedException(_))
            ) || status == Some(401);
            if unauthorized {
                SsoError::Unauthorized(described.message)
            } else if status == Some(403) {
                SsoError::NoAccess {
                    account: account_id.to_owned(),
                    role: role_name.to_owned(),
                    message: described.message,
                }
            } else {
                SsoError::Call { action: "GetRoleCredentials", message: described.message }
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
}
