//! [`ProfileConfig`]: one profile as resolved from the config file, the environment and
//! the command line, with the chain of profiles it sources credentials from.

use std::time::Duration;

/// A fully resolved profile, including the profiles it sources credentials from.
#[derive(Clone, PartialEq)]
pub struct ProfileConfig {
    pub name: String,
    pub source_profile_name: Option<String>,
    /// The resolved `source_profile`, which has its own `source_profile`, and so on.
    pub source_profile: Option<Box<ProfileConfig>>,
    pub role_arn: Option<String>,
    /// The profile's own MFA serial (from the command line, the environment, its section,
    /// its include_profile or `[default]`), or else its source profile's. aws-vault documents
    /// that role profiles inherit the source's `mfa_serial`, and an equal serial on both ends
    /// is what lets one MFA prompt (for the source's GetSessionToken) serve the role too.
    /// [`ProfileConfig::mfa_serial_from_source`] tells the two cases apart.
    pub mfa_serial: Option<String>,
    /// Whether `mfa_serial` was inherited from the source profile.
    pub mfa_serial_from_source: bool,
    pub role_session_name: Option<String>,
    pub external_id: Option<String>,
    pub region: Option<String>,
    /// The first `include_profile` followed while resolving (the profile's own, usually).
    pub include_profile: Option<String>,
    pub credential_process: Option<String>,
    pub web_identity_token_file: Option<String>,
    pub web_identity_token_process: Option<String>,
    pub source_identity: Option<String>,
    pub sso_session: Option<String>,
    /// From the `[sso-session]` named by `sso_session` when that sets it, else inline.
    pub sso_start_url: Option<String>,
    /// From the `[sso-session]` named by `sso_session` when that sets it, else inline.
    pub sso_region: Option<String>,
    pub sso_account_id: Option<String>,
    pub sso_role_name: Option<String>,
    /// From the `[sso-session]` section only, as the AWS CLI reads it.
    pub sso_registration_scopes: Option<String>,
    /// Inherited from the source profile when the profile has none (as ByteNess aws-vault).
    pub mfa_process: Option<String>,
    pub endpoint_url: Option<String>,
    pub sts_regional_endpoints: Option<String>,
    /// `session_tags = k=v,k2=v2`, in the order written; a repeated key keeps its last value.
    pub session_tags: Vec<(String, String)>,
    /// `transitive_session_tags = k1,k2`.
    pub transitive_session_tags: Vec<String>,
    /// AssumeRole (and AssumeRoleWithWebIdentity); `duration_seconds` in the file.
    pub assume_role_duration: Duration,
    /// GetSessionToken when its session is the result handed out.
    pub session_token_duration: Duration,
    /// GetSessionToken that primes a role assumed from it.
    pub chained_session_token_duration: Duration,
    /// GetFederationToken (`login` for IAM users).
    pub federation_token_duration: Duration,
    /// Whether the profile has its own section in the file (otherwise it exists because of
    /// stored credentials, and gets its settings from `[default]`).
    pub has_section: bool,
}

/// Written by hand so a debug line or a failed assertion never shows what
/// may hold a secret: commands (which can carry tokens on their command
/// line) and the external ID (a shared secret with the role's owner).
impl std::fmt::Debug for ProfileConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "<hidden>");
        f.debug_struct("ProfileConfig")
            .field("name", &self.name)
            .field("source_profile", &self.source_profile)
            .field("role_arn", &self.role_arn)
            .field("mfa_serial", &self.mfa_serial)
            .field("mfa_serial_from_source", &self.mfa_serial_from_source)
            .field("role_session_name", &self.role_session_name)
            .field("external_id", &hidden(&self.external_id))
            .field("region", &self.region)
            .field("include_profile", &self.include_profile)
            .field("credential_process", &hidden(&self.credential_process))
            .field("web_identity_token_file", &self.web_identity_token_file)
            .field("web_identity_token_process", &hidden(&self.web_identity_token_process))
            .field("source_identity", &self.source_identity)
            .field("sso_session", &self.sso_session)
            .field("sso_start_url", &self.sso_start_url)
            .field("sso_account_id", &self.sso_account_id)
            .field("sso_role_name", &self.sso_role_name)
            .field("mfa_process", &hidden(&self.mfa_process))
            .field("endpoint_url", &self.endpoint_url)
            .field("session_tags", &self.session_tags)
            .field("assume_role_duration", &self.assume_role_duration)
            .field("session_token_duration", &self.session_token_duration)
            .field("has_section", &self.has_section)
            .finish_non_exhaustive()
    }
}

impl ProfileConfig {
    /// Target first, then its source, then the source's source ... (the source_profile chain).
    pub fn chain(&self) -> Vec<&ProfileConfig> {
        let mut chain = vec![self];
        let mut current = self;
        while let Some(source) = current.source_profile.as_deref() {
            chain.push(source);
            current = source;
        }
        chain
    }

    pub fn has_role(&self) -> bool {
        self.role_arn.is_some()
    }

    /// The profile at the end of the chain (the one whose long-term keys sign the first call).
    #[cfg(test)]
    pub fn root(&self) -> &ProfileConfig {
        let mut current = self;
        while let Some(source) = current.source_profile.as_deref() {
            current = source;
        }
        current
    }

    /// The GetSessionToken duration for this profile: `chained` when a role is assumed from
    /// the session (the profile is another profile's source).
    pub fn session_token_duration_for(&self, chained: bool) -> Duration {
        if chained { self.chained_session_token_duration } else { self.session_token_duration }
    }

    pub fn has_sso(&self) -> bool {
        self.sso_start_url.is_some()
    }

    pub fn has_web_identity(&self) -> bool {
        self.web_identity_token_file.is_some() || self.web_identity_token_process.is_some()
    }
}
