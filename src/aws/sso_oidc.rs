//! The calls to IAM Identity Center's OIDC service that SSO sign-in makes:
//! RegisterClient, StartDeviceAuthorization and CreateToken (device-code,
//! authorization-code with PKCE, and refresh-token grants). Unsigned: the client
//! registration is the credential.

use aws_sdk_ssooidc::Client;
use aws_sdk_ssooidc::config::http::HttpResponse;
use aws_sdk_ssooidc::error::SdkError;
use aws_sdk_ssooidc::operation::create_token::CreateTokenError;
use chrono::{DateTime, Duration, Utc};

use super::endpoint::{Service, Target};
use crate::creds::Secret;

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// `authorization_pending`: the user has not approved yet.
    #[error("the sign-in is not approved yet")]
    Pending,
    /// `slow_down`: poll less often.
    #[error("the sign-in service asked to poll less often")]
    SlowDown,
    /// `expired_token` / `invalid_grant`: the device code, authorization code
    /// or refresh token can no longer be used.
    #[error("{0}")]
    Rejected(String),
    #[error("sso-oidc:{action} failed: {message}")]
    Call { action: &'static str, message: String },
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// A client registration (RegisterClient's answer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: Secret,
    pub expires_at: DateTime<Utc>,
}

/// StartDeviceAuthorization's answer.
pub struct DeviceAuthorization {
    pub device_code: Secret,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    /// Seconds between polls (AWS's default when absent: 5).
    pub interval: u64,
    pub expires_at: DateTime<Utc>,
}

/// CreateToken's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub expires_at: DateTime<Utc>,
}

/// What CreateToken is asked to exchange.
pub enum Grant<'a> {
    DeviceCode(&'a Secret),
    AuthorizationCode { code: &'a Secret, verifier: &'a Secret, redirect_uri: &'a str },
    RefreshToken(&'a Secret),
}

pub struct SsoOidc {
    runtime: tokio::runtime::Runtime,
    client: Client,
    /// Where calls go, for error messages.
    target: Target,
}

impl SsoOidc {
    pub fn new(target: Target) -> Result<Self, OidcError> {
        let runtime = super::runtime().map_err(OidcError::Runtime)?;
        let client = Client::new(&super::sdk_config(&target, None));
        Ok(Self { runtime, client, target })
    }

    /// A public client. `scopes` must hold `sso:account:access` for the service
    /// to issue refresh tokens. With `redirect` (the loopback redirect URI and the
    /// start URL as issuer) the client may use the authorization-code grant;
    /// without, the device-code grant.
    pub fn register_client(
        &self,
        scopes: &[String],
        redirect: Option<(&str, &str)>,
    ) -> Result<Registration, OidcError> {
        let mut call = self
            .client
            .register_client()
            .client_name(format!("vault-{}", Utc::now().timestamp()))
            .client_type("public")
            .set_scopes(Some(scopes.to_vec()));
        if let Some((redirect_uri, issuer_url)) = redirect {
            call = call
                .redirect_uris(redirect_uri)
                .issuer_url(issuer_url)
                .grant_types("authorization_code")
                .grant_types("refresh_token");
        }
        let out = self
            .runtime
            .block_on(call.send())
            .map_err(|e| call_error(&self.target, "RegisterClient", e))?;
        let missing = |what| OidcError::Call {
            action: "RegisterClient",
            message: format!("the answer has no {what}"),
        };
        Ok(Registration {
            client_id: out.client_id.ok_or_else(|| missing("clientId"))?,
            client_secret: Secret::new(out.client_secret.ok_or_else(|| missing("clientSecret"))?),
            expires_at: DateTime::from_timestamp(out.client_secret_expires_at, 0)
                .unwrap_or_else(|| Utc::now() + Duration::days(90)),
        })
    }

    pub fn start_device_authorization(
        &self,
        reg: &Registration,
        start_url: &str,
    ) -> Result<DeviceAuthorization, OidcError> {
        let call = self
            .client
            .start_device_authorization()
            .client_id(&reg.client_id)
            .client_secret(reg.client_secret.expose())
            .start_url(start_url);
        let out = self
            .runtime
            .block_on(call.send())
            .map_err(|e| call_error(&self.target, "StartDeviceAuthorization", e))?;
        let missing = |what| OidcError::Call {
            action: "StartDeviceAuthorization",
            message: format!("the answer has no {what}"),
        };
        Ok(DeviceAuthorization {
            device_code: Secret::new(out.device_code.ok_or_else(|| missing("deviceCode"))?),
            user_code: out.user_code.ok_or_else(|| missing("userCode"))?,
            verification_uri: out.verification_uri.ok_or_else(|| missing("verificationUri"))?,
            verification_uri_complete: out.verification_uri_complete,
            interval: if out.interval > 0 { out.interval as u64 } else { 5 },
            expires_at: Utc::now() + Duration::seconds(out.expires_in.max(0).into()),
        })
    }

    pub fn create_token(&self, reg: &Registration, grant: Grant<'_>) -> Result<Token, OidcError> {
        let call = self
            .client
            .create_token()
            .client_id(&reg.client_id)
            .client_secret(reg.client_secret.expose());
        let call = match grant {
            Grant::DeviceCode(code) => call
                .grant_type("urn:ietf:params:oauth:grant-type:device_code")
                .device_code(code.expose()),
            Grant::AuthorizationCode { code, verifier, redirect_uri } => call
                .grant_type("authorization_code")
                .code(code.expose())
                .code_verifier(verifier.expose())
                .redirect_uri(redirect_uri),
            Grant::RefreshToken(token) => {
                call.grant_type("refresh_token").refresh_token(token.expose())
            }
        };
        let out =
            self.runtime.block_on(call.send()).map_err(|err| match err.as_service_error() {
                Some(CreateTokenError::AuthorizationPendingException(_)) => OidcError::Pending,
                Some(CreateTokenError::SlowDownException(_)) => OidcError::SlowDown,
                Some(CreateTokenError::ExpiredTokenException(_)) => {
                    OidcError::Rejected("the sign-in expired before it was approved".into())
                }
                Some(CreateTokenError::InvalidGrantException(_)) => OidcError::Rejected(
                    "the sign-in service refused the grant (invalid_grant)".into(),
                ),
                _ => call_error(&self.target, "CreateToken", err),
            })?;
        let access_token = out.access_token.ok_or_else(|| OidcError::Call {
            action: "CreateToken",
            message: "the answer has no accessToken".into(),
        })?;
        Ok(Token {
            access_token: Secret::new(access_token),
            refresh_token: out.refresh_token.filter(|t| !t.is_empty()).map(Secret::new),
            expires_at: Utc::now() + Duration::seconds(out.expires_in.max(0).into()),
        })
    }
}

fn call_error<E>(target: &Target, action: &'static str, err: SdkError<E, HttpResponse>) -> OidcError
where
    E: aws_sdk_ssooidc::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    OidcError::Call {
        action,
        message: super::error::describe(Service::SSO_OIDC, target, &err).message,
    }
}
