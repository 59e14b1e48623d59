//! Where every call to AWS goes: the region and endpoint URL of each service,
//! chosen the way the AWS SDKs choose them (so `AWS_ENDPOINT_URL*` and
//! `endpoint_url` reach a local AWS; tests use this to reach moto), and the
//! console sign-in's federation endpoint and console for a region's partition.

use url::Url;

use crate::config::ProfileConfig;
use crate::env::Env;

/// The region vault's own calls use when nothing names one. aws-vault 7
/// stops there instead (its Go SDK says "an AWS region is required"), but
/// getting credentials needs no region of the user's: STS, IAM and the
/// console are reachable from us-east-1 in the commercial partition. No
/// region is exported to the child, so a tool that needs one still says so.
/// Global services such as IAM still need one to pick the partition's
/// endpoint and to sign.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Replaces the partition's federation endpoint, for tests and for
/// endpoints AWS adds before the partition table knows them.
pub const FEDERATION_ENDPOINT_VAR: &str = "VAULT_FEDERATION_ENDPOINT";

/// A service vault calls through the SDK. Adding one is one line here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// How messages name it ("STS").
    pub name: &'static str,
    /// `AWS_ENDPOINT_URL_<service id>`, the SDKs' per-service override.
    endpoint_var: &'static str,
    /// Where `sts_regional_endpoints = legacy` sends the legacy regions, for
    /// the one service that has a global endpoint besides regional ones.
    legacy_global_endpoint: Option<&'static str>,
}

impl Service {
    pub const STS: Service = Service::new("STS", "AWS_ENDPOINT_URL_STS", Some(STS_GLOBAL));
    pub const IAM: Service = Service::new("IAM", "AWS_ENDPOINT_URL_IAM", None);
    pub const SSO: Service = Service::new("SSO", "AWS_ENDPOINT_URL_SSO", None);
    pub const SSO_OIDC: Service = Service::new("SSO OIDC", "AWS_ENDPOINT_URL_SSO_OIDC", None);

    const fn new(
        name: &'static str,
        endpoint_var: &'static str,
        legacy: Option<&'static str>,
    ) -> Self {
        Service { name, endpoint_var, legacy_global_endpoint: legacy }
    }
}

const STS_GLOBAL: &str = "https://sts.amazonaws.com";

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

/// What a profile (or, without one, the environment) says about where calls
/// go, for every service alike.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointSettings {
    pub region: Option<String>,
    /// `endpoint_url`, or `AWS_ENDPOINT_URL`: the URL of every service.
    pub endpoint_url: Option<String>,
    pub sts_regional_endpoints: Option<String>,
}

impl EndpointSettings {
    /// A resolved profile's settings, which already hold `AWS_REGION`,
    /// `AWS_ENDPOINT_URL` and `AWS_STS_REGIONAL_ENDPOINTS` when those are set
    /// (see config resolution).
    pub fn of(cfg: &ProfileConfig) -> Self {
        Self {
            region: cfg.region.clone(),
            endpoint_url: cfg.endpoint_url.clone(),
            sts_regional_endpoints: cfg.sts_regional_endpoints.clone(),
        }
    }

    /// Without a profile: the variables config resolution reads for one.
    pub fn from_env(env: &Env) -> Self {
        let get = |key| env.get(key).map(str::to_owned);
        Self {
            region: get("AWS_REGION").or_else(|| get("AWS_DEFAULT_REGION")),
            endpoint_url: get("AWS_ENDPOINT_URL"),
            sts_regional_endpoints: get("AWS_STS_REGIONAL_ENDPOINTS"),
        }
    }
}

/// Where one service's calls go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub region: String,
    /// None: the SDK's own endpoint for `region`.
    pub endpoint_url: Option<String>,
}

impl Target {
    pub fn for_profile(service: Service, cfg: &ProfileConfig, env: &Env) -> Self {
        resolve(service, &EndpointSettings::of(cfg), env)
    }
}

/// Precedence, as in the SDKs: `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
/// turns every configured URL off; else `AWS_ENDPOINT_URL_<SERVICE>`, then
/// the settings' `endpoint_url`, then (STS only) the legacy global endpoint
/// when asked for, then the SDK's regional default.
pub fn resolve(service: Service, settings: &EndpointSettings, env: &Env) -> Target {
    let region = settings.region.clone().unwrap_or_else(|| DEFAULT_REGION.to_owned());
    let ignore_configured = env
        .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let configured = if ignore_configured {
        None
    } else {
        env.get(service.endpoint_var).map(str::to_owned).or_else(|| settings.endpoint_url.clone())
    };
    let endpoint_url = configured.or_else(|| {
        let legacy = settings.sts_regional_endpoints.as_deref() == Some("legacy");
        let global = service.legacy_global_endpoint?;
        (legacy && LEGACY_GLOBAL_REGIONS.contains(&region.as_str())).then(|| global.to_owned())
    });
    Target { region, endpoint_url }
}

/// The OIDC service's own endpoint in `region`, where the browser is sent to
/// authorize an IAM Identity Center sign-in (the SDK call itself resolves its
/// endpoint through [`resolve`]).
pub fn sso_oidc_url(region: &str) -> String {
    let domain = if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
    format!("https://oidc.{region}.{domain}")
}

/// The sign-in and console hosts of an AWS partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Partition {
    federation: &'static str,
    console: &'static str,
}

const AWS: Partition = Partition {
    // The regional endpoint ByteNess aws-vault uses: AWS recommends regional
    // sign-in endpoints over the global one.
    federation: "https://us-east-1.signin.aws.amazon.com/federation",
    console: "console.aws.amazon.com",
};
const AWS_CN: Partition = Partition {
    federation: "https://signin.amazonaws.cn/federation",
    console: "console.amazonaws.cn",
};
const AWS_US_GOV: Partition = Partition {
    federation: "https://signin.amazonaws-us-gov.com/federation",
    console: "console.amazonaws-us-gov.com",
};
const AWS_EUSC: Partition = Partition {
    federation: "https://signin.amazonaws-eusc.eu/federation",
    console: "console.amazonaws-eusc.eu",
};

fn partition(region: Option<&str>) -> Partition {
    match region {
        Some(r) if r.starts_with("cn-") => AWS_CN,
        Some(r) if r.starts_with("us-gov-") => AWS_US_GOV,
        Some(r) if r.starts_with("eusc-") => AWS_EUSC,
        _ => AWS,
    }
}

/// The console's host name in `region`'s partition (`console.aws.amazon.com`).
pub fn console_host(region: Option<&str>) -> &'static str {
    partition(region).console
}

#[derive(Debug, thiserror::Error)]
#[error("{FEDERATION_ENDPOINT_VAR}={value:?} is not usable: {reason}")]
pub struct BadFederationEndpoint {
    value: String,
    reason: &'static str,
}

/// The federation endpoint for `region`'s partition, or the override.
pub fn federation_endpoint(env: &Env, region: Option<&str>) -> Result<Url, BadFederationEndpoint> {
    let Some(value) = env.get(FEDERATION_ENDPOINT_VAR) else {
        return Ok(Url::parse(partition(region).federation).expect("the table holds valid URLs"));
    };
    let bad = |reason| BadFederationEndpoint { value: value.to_owned(), reason };
    let url = Url::parse(value).map_err(|_| bad("it is not a URL"))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or fragment"));
    }
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    // The request carries credentials: plain HTTP only to this machine.
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(bad("it must be https (or http to 127.0.0.1 / localhost)")),
    }
}

#[cfg(test)]
#[path = "endpoint_tests.rs"]
mod tests;
