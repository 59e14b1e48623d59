//! Everything that talks to AWS: one file per service (STS, IAM, the console
//! sign-in, IAM Identity Center's portal and OIDC service), where their calls go ([`endpoint`]), how their errors read
//! ([`error`]), and here the one SDK configuration every client is built from.

pub mod endpoint;
pub mod error;
pub mod iam;
pub mod role;
pub mod signin;
pub mod sso;
pub mod sso_oidc;
pub mod sts;

use std::time::Duration;

use aws_sdk_sts::config::{BehaviorVersion, Region, SharedCredentialsProvider};
use aws_types::SdkConfig;
use aws_types::sdk_config::TimeoutConfig;

pub use endpoint::{EndpointSettings, Service, Target};
pub use iam::{Iam, IamError};
pub use sts::{Mfa, Sts};

use crate::creds::Credentials;

/// The configuration any service's client is built from
/// (`aws_sdk_<service>::Client::new(&sdk_config(..))`): where its calls go,
/// the credentials that sign them (None for unsigned calls such as
/// AssumeRoleWithWebIdentity), and how long they may take.
pub fn sdk_config(target: &Target, creds: Option<&Credentials>) -> SdkConfig {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(10))
        .operation_timeout(Duration::from_secs(60))
        .build();
    let mut builder = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(target.region.clone()))
        .timeout_config(timeouts);
    if let Some(url) = &target.endpoint_url {
        builder = builder.endpoint_url(url);
    }
    if let Some(creds) = creds {
        let sdk_creds = aws_sdk_sts::config::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.expose().to_owned(),
            creds.session_token.as_ref().map(|t| t.expose().to_owned()),
            None,
            "vault",
        );
        builder = builder.credentials_provider(SharedCredentialsProvider::new(sdk_creds));
    }
    builder.build()
}

/// The runtime the blocking calls run on: vault makes one call at a time, so
/// a current-thread runtime, and only the commands that call AWS build one.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_gets_the_target_the_credentials_and_the_timeouts() {
        let target =
            Target { region: "eu-west-1".into(), endpoint_url: Some("http://local".into()) };
        let unsigned = sdk_config(&target, None);
        assert_eq!(unsigned.region().map(|r| r.as_ref()), Some("eu-west-1"));
        assert_eq!(unsigned.endpoint_url(), Some("http://local"));
        assert!(unsigned.credentials_provider().is_none());
        let timeouts = unsigned.timeout_config().unwrap();
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(10)));
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(60)));

        let signed = sdk_config(&target, Some(&Credentials::long_term("AKIA", "s")));
        assert!(signed.credentials_provider().is_some());
        // Each service's own config takes the shared one as it is.
        let sts = aws_sdk_sts::Config::new(&signed);
        let iam = aws_sdk_iam::Config::new(&signed);
        assert_eq!(sts.region().map(|r| r.as_ref()), Some("eu-west-1"));
        assert_eq!(iam.region().map(|r| r.as_ref()), Some("eu-west-1"));

        let regional = Target { region: "us-east-1".into(), endpoint_url: None };
        assert_eq!(sdk_config(&regional, None).endpoint_url(), None);
    }
}
