//! Where STS calls go: the region and endpoint URL, chosen the way the AWS
//! SDKs choose them, so `AWS_ENDPOINT_URL*` and `endpoint_url` reach a local
//! STS (tests use this to reach moto).

use crate::config::ProfileConfig;
use crate::env::Env;

/// STS's home region, used when nothing names one (aws-vault does the same).
pub const DEFAULT_REGION: &str = "us-east-1";

/// The regions that `sts_regional_endpoints = legacy` sends to the global
/// endpoint (https://docs.aws.amazon.com/sdkref/latest/guide/feature-sts-regionalized-endpoints.html).
const LEGACY_GLOBAL_REGIONS: [&str; 16] = [
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "aws-global",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StsTarget {
    pub region: String,
    /// None: the SDK's own regional endpoint for `region`.
    pub endpoint_url: Option<String>,
}

/// Precedence, as in the SDKs: `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
/// turns every configured URL off; else `AWS_ENDPOINT_URL_STS`, then the
/// profile's `endpoint_url` (which already holds `AWS_ENDPOINT_URL` when that
/// is set, see config resolution), then the legacy global endpoint when asked
/// for, then the regional default.
pub fn sts_target(cfg: &ProfileConfig, env: &Env) -> StsTarget {
    let region = cfg.region.clone().unwrap_or_else(|| DEFAULT_REGION.to_owned());
    let ignore_configured = env
        .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let configured = if ignore_configured {
        None
    } else {
        env.get("AWS_ENDPOINT_URL_STS").map(str::to_owned).or_else(|| cfg.endpoint_url.clone())
    };
    let endpoint_url = configured.or_else(|| {
        let legacy = cfg.sts_regional_endpoints.as_deref() == Some("legacy");
        (legacy && LEGACY_GLOBAL_REGIONS.contains(&region.as_str()))
            .then(|| "https://sts.amazonaws.com".to_owned())
    });
    StsTarget { region, endpoint_url }
}
