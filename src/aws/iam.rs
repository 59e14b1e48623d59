//! The calls to AWS IAM that `rotate` makes: who am I, create and delete an
//! access key.

use aws_sdk_iam::Client;
use aws_sdk_iam::config::http::HttpResponse;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};

use super::endpoint::{Service, Target};
use crate::config::ProfileConfig;
use crate::creds::{Credentials, Secret};
use crate::env::Env;

/// Where `cfg`'s IAM calls go: `AWS_ENDPOINT_URL_IAM`, else the profile's
/// `endpoint_url`, as the AWS SDKs choose.
pub fn target(cfg: &ProfileConfig, env: &Env) -> Target {
    Target::for_profile(Service::IAM, cfg, env)
}

#[derive(Debug, thiserror::Error)]
pub enum IamError {
    /// `code` is AWS's error code when there was one (e.g. "AccessDenied"), so
    /// callers can decide what to retry; `message` never holds request
    /// parameters.
    #[error("iam:{action} failed: {message}")]
    Call { action: &'static str, code: Option<String>, message: String, transient: bool },
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
}

impl IamError {
    pub fn code(&self) -> Option<&str> {
        match self {
            IamError::Call { code, .. } => code.as_deref(),
            IamError::Runtime(_) => None,
        }
    }

    /// Worth trying again: the network, throttling, a server error, or a key
    /// that IAM has not yet spread to every endpoint (new keys take seconds).
    pub fn is_transient(&self) -> bool {
        match self {
            IamError::Call { transient, code, .. } => {
                *transient
                    || matches!(
                        code.as_deref(),
                        Some(
                            "InvalidClientTokenId"
                                | "Throttling"
                                | "ThrottlingException"
                                | "RequestLimitExceeded"
                                | "ServiceUnavailable"
                                | "ServiceFailure"
                                | "InternalFailure"
                        )
                    )
            }
            IamError::Runtime(_) => false,
        }
    }
}

/// An IAM client signing with one set of credentials.
pub struct Iam {
    runtime: tokio::runtime::Runtime,
    client: Client,
    /// Where the calls go, for messages.
    target: Target,
}

impl Iam {
    pub fn new(target: &Target, creds: &Credentials) -> Result<Self, IamError> {
        let runtime = super::runtime().map_err(IamError::Runtime)?;
        let client = Client::new(&super::sdk_config(target, Some(creds)));
        Ok(Self { runtime, client, target: target.clone() })
    }

    /// The IAM user name of the signing credentials (`iam:GetUser` without a
    /// user name). A user without that permission still learns its name: AWS
    /// names the caller in the AccessDenied message, as aws-vault relies on.
    pub fn current_user_name(&self) -> Result<String, IamError> {
        log::debug!("calling iam:GetUser");
        match self.runtime.block_on(self.client.get_user().send()) {
            Ok(out) => out.user().map(|u| u.user_name().to_owned()).ok_or(IamError::Call {
                action: "GetUser",
                code: None,
                message: "the response named no user".to_owned(),
                transient: false,
            }),
            Err(e) => {
                let err = call_error(&self.target, "GetUser", e);
                match &err {
                    IamError::Call { code: Some(code), message, .. } if code == "AccessDenied" => {
                        user_name_from_denial(message).ok_or(err)
                    }
                    _ => Err(err),
                }
            }
        }
    }

    /// Whether IAM accepts these credentials at all: an answer, even
    /// AccessDenied, means the key is known and signed correctly.
    pub fn check_accepted(&self) -> Result<(), IamError> {
        match self.runtime.block_on(self.client.get_user().send()) {
            Ok(_) => Ok(()),
            Err(e) => match call_error(&self.target, "GetUser", e) {
                err if err.code() == Some("AccessDenied") => Ok(()),
                err => Err(err),
            },
        }
    }

    pub fn create_access_key(&self, user: &str) -> Result<Credentials, IamError> {
        log::debug!("calling iam:CreateAccessKey for {user}");
        let call = self.client.create_access_key().user_name(user);
        let out = self
            .runtime
            .block_on(call.send())
            .map_err(|e| call_error(&self.target, "CreateAccessKey", e))?;
        let key = out.access_key().ok_or(IamError::Call {
            action: "CreateAccessKey",
            code: None,
            message: "the response had no access key".to_owned(),
            transient: false,
        })?;
        Ok(Credentials {
            access_key_id: key.access_key_id().to_owned(),
            secret_access_key: Secret::new(key.secret_access_key()),
            session_token: None,
            expiration: None,
        })
    }

    pub fn delete_access_key(&self, user: &str, access_key_id: &str) -> Result<(), IamError> {
        log::debug!("calling iam:DeleteAccessKey for {user}");
        let call = self.client.delete_access_key().user_name(user).access_key_id(access_key_id);
        self.runtime
            .block_on(call.send())
            .map_err(|e| call_error(&self.target, "DeleteAccessKey", e))?;
        Ok(())
    }
}

/// The user name in AWS's "User: arn:aws:iam::123456789012:user/path/name is
/// not authorized to perform: ..." message; None for any other caller (a
/// role session, root).
pub fn user_name_from_denial(message: &str) -> Option<String> {
    let rest = &message[message.find("User: arn:")? + "User: ".len()..];
    let arn = rest.split_whitespace().next()?;
    let resource = arn.splitn(6, ':').nth(5)?;
    if arn.split(':').nth(2) != Some("iam") {
        return None;
    }
    let path = resource.strip_prefix("user/")?;
    path.rsplit('/').next().filter(|name| !name.is_empty()).map(str::to_owned)
}

fn call_error<E>(target: &Target, action: &'static str, err: SdkError<E, HttpResponse>) -> IamError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let d = super::error::describe(Service::IAM, target, &err);
    IamError::Call { action, code: d.code, message: d.message, transient: d.transient }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_name_comes_from_an_access_denied_message() {
        let msg = "AccessDenied: User: arn:aws:iam::123456789012:user/division/alice is not \
                   authorized to perform: iam:GetUser on resource: user alice";
        assert_eq!(user_name_from_denial(msg).as_deref(), Some("alice"));
        let plain = "User: arn:aws-cn:iam::1:user/bob is not authorized to perform: iam:GetUser";
        assert_eq!(user_name_from_denial(plain).as_deref(), Some("bob"));
        for other in [
            "User: arn:aws:sts::1:assumed-role/admin/s is not authorized to perform: iam:GetUser",
            "User: arn:aws:iam::1:root is not authorized",
            "Access denied",
            "User: arn:aws:iam::1:user/ is not authorized",
        ] {
            assert_eq!(user_name_from_denial(other), None, "{other}");
        }
    }

    #[test]
    fn a_wrapped_denial_still_names_the_user() {
        let wrapped = br#"<?xml version="1.0"?><ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/a is not authorized</Message><Type>Sender</Type></Error></Errors></ErrorResponse>"#;
        let (code, message) = super::super::error::error_document(wrapped);
        assert_eq!(code.as_deref(), Some("AccessDenied"));
        assert_eq!(user_name_from_denial(&message.unwrap()).as_deref(), Some("a"));
    }

    #[test]
    fn transient_errors_are_the_ones_that_can_heal() {
        let call = |code: &str| IamError::Call {
            action: "DeleteAccessKey",
            code: Some(code.to_owned()),
            message: code.to_owned(),
            transient: false,
        };
        assert!(call("InvalidClientTokenId").is_transient());
        assert!(call("Throttling").is_transient());
        assert!(!call("AccessDenied").is_transient());
        assert!(!call("NoSuchEntity").is_transient());
    }
}
