//! The calls to AWS STS that the credential chain (`crate::sts`), `login`
//! and the credential servers make: GetSessionToken, AssumeRole,
//! AssumeRoleWithWebIdentity, GetCallerIdentity and GetFederationToken.

use std::time::Duration;

use aws_sdk_sts::Client;
use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sts::types::Tag;
use chrono::{DateTime, Utc};

use super::endpoint::{Service, Target};
use super::role::{RoleStep, WebIdentity};
use crate::config::ProfileConfig;
use crate::creds::{Credentials, Secret};
use crate::env::Env;

#[derive(Debug, thiserror::Error)]
pub enum StsError {
    #[error("sts:{action} failed: {message}")]
    Call { action: &'static str, message: String },
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
}

pub struct Sts {
    runtime: tokio::runtime::Runtime,
    target: Target,
}

/// The answer of `sts:GetCallerIdentity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account: String,
    /// e.g. `arn:aws:iam::123456789012:user/alice` or
    /// `arn:aws:sts::123456789012:assumed-role/admin/session`.
    pub arn: String,
}

/// One MFA device serial and the code the user gave for it.
pub struct Mfa {
    pub serial: String,
    pub code: String,
}

impl Sts {
    pub fn new(target: Target) -> Result<Self, StsError> {
        Ok(Self { runtime: super::runtime().map_err(StsError::Runtime)?, target })
    }

    /// STS where `cfg`'s calls go (its region and endpoint).
    pub fn for_profile(cfg: &ProfileConfig, env: &Env) -> Result<Self, StsError> {
        Self::new(Target::for_profile(Service::STS, cfg, env))
    }

    fn client(&self, creds: Option<&Credentials>) -> Client {
        Client::new(&super::sdk_config(&self.target, creds))
    }

    pub fn get_session_token(
        &self,
        creds: &Credentials,
        duration: Duration,
        mfa: Option<Mfa>,
    ) -> Result<Credentials, StsError> {
        log::debug!("calling sts:GetSessionToken for {}s", duration.as_secs());
        let mut call =
            self.client(Some(creds)).get_session_token().duration_seconds(secs(duration));
        if let Some(mfa) = mfa {
            call = call.serial_number(mfa.serial).token_code(mfa.code);
        }
        let out = self
            .runtime
            .block_on(call.send())
            .map_err(|e| call_error(&self.target, "GetSessionToken", e))?;
        convert("GetSessionToken", out.credentials())
    }

    pub fn assume_role(
        &self,
        creds: &Credentials,
        role: &RoleStep,
        mfa: Option<Mfa>,
    ) -> Result<Credentials, StsError> {
        log::debug!("calling sts:AssumeRole for {} ({}s)", role.role_arn, role.duration.as_secs());
        let mut call = self
            .client(Some(creds))
            .assume_role()
            .role_arn(&role.role_arn)
            .role_session_name(session_name(role.role_session_name.as_deref()))
            .duration_seconds(secs(role.duration))
            .set_external_id(role.external_id.clone())
            .set_source_identity(role.source_identity.clone());
        for (key, value) in &role.session_tags {
            let tag = Tag::builder().key(key).value(value).build().map_err(|e| StsError::Call {
                action: "AssumeRole",
                message: format!("invalid session tag {key:?}: {e}"),
            })?;
            call = call.tags(tag);
        }
        for key in &role.transitive_session_tags {
            call = call.transitive_tag_keys(key);
        }
        if let Some(mfa) = mfa {
            call = call.serial_number(mfa.serial).token_code(mfa.code);
        }
        let out = self
            .runtime
            .block_on(call.send())
            .map_err(|e| call_error(&self.target, "AssumeRole", e))?;
        convert("AssumeRole", out.credentials())
    }

    /// Who `creds` belong to. Needs no permission, so it works for any valid
    /// credentials (AWS documents that even an explicit deny cannot block it).
    pub fn get_caller_identity(&self, creds: &Credentials) -> Result<CallerIdentity, StsError> {
        log::debug!("calling sts:GetCallerIdentity");
        let call = self.client(Some(creds)).get_caller_identity();
        let out = self
            .runtime
            .block_on(call.send())
            .map_err(|e| call_error(&self.target, "GetCallerIdentity", e))?;
        Ok(CallerIdentity {
            account: out.account().unwrap_or_default().to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
        })
    }

    /// Credentials for a federated user named `name`, limited to `policy` and
    /// to what the calling IAM user may do. AWS accepts only an IAM user's
    /// long-term keys here, never session credentials.
    pub fn get_federation_token(
        &self,
        creds: &Credentials,
        name: &str,
        duration: Duration,
        policy: &str,
    ) -> Result<Credentials, StsError> {
        log::debug!("calling sts:GetFederationToken for {name} ({}s)", duration.as_secs());
        let call = self
            .client(Some(creds))
            .get_federation_token()
            .name(name)
            .duration_seconds(secs(duration))
            .policy(policy);
        let out = self
            .runtime
            .block_on(call.send())
            .map_err(|e| call_error(&self.target, "GetFederationToken", e))?;
        convert("GetFederationToken", out.credentials())
    }

    pub fn assume_role_with_web_identity(
        &self,
        wi: &WebIdentity,
        token: &Secret,
    ) -> Result<Credentials, StsError> {
        log::debug!("calling sts:AssumeRoleWithWebIdentity for {}", wi.role_arn);
        let call = self
            .client(None)
            .assume_role_with_web_identity()
            .role_arn(&wi.role_arn)
            .role_session_name(session_name(wi.role_session_name.as_deref()))
            .duration_seconds(secs(wi.duration))
            .web_identity_token(token.expose());
        let out = self
            .runtime
            .block_on(call.send())
            .map_err(|e| call_error(&self.target, "AssumeRoleWithWebIdentity", e))?;
        convert("AssumeRoleWithWebIdentity", out.credentials())
    }
}

/// aws-vault's default session name: the time in nanoseconds, unique enough
/// and free of characters STS rejects.
fn session_name(configured: Option<&str>) -> String {
    configured.map(str::to_owned).unwrap_or_else(|| {
        Utc::now().timestamp_nanos_opt().unwrap_or_else(|| Utc::now().timestamp()).to_string()
    })
}

fn secs(d: Duration) -> i32 {
    i32::try_from(d.as_secs()).unwrap_or(i32::MAX)
}

fn call_error<E>(target: &Target, action: &'static str, err: SdkError<E, HttpResponse>) -> StsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    StsError::Call { action, message: super::error::describe(Service::STS, target, &err).message }
}

fn convert(
    action: &'static str,
    creds: Option<&aws_sdk_sts::types::Credentials>,
) -> Result<Credentials, StsError> {
    let c = creds
        .ok_or(StsError::Call { action, message: "the response had no credentials".to_owned() })?;
    let exp = c.expiration();
    let expiration = DateTime::<Utc>::from_timestamp(exp.secs(), exp.subsec_nanos());
    Ok(Credentials {
        access_key_id: c.access_key_id().to_owned(),
        secret_access_key: Secret::new(c.secret_access_key()),
        session_token: Some(Secret::new(c.session_token())),
        expiration,
    })
}
