//! What AssumeRole and AssumeRoleWithWebIdentity are asked for: the steps a
//! plan (`crate::sts::plan`) makes and [`super::sts`] sends, here so that the
//! calls need nothing from the planner.

use std::fmt;
use std::time::Duration;

/// `sts:AssumeRoleWithWebIdentity` for `profile`'s `role_arn`, with the
/// token from a file or a command.
#[derive(Clone, PartialEq, Eq)]
pub struct WebIdentity {
    pub profile: String,
    pub role_arn: String,
    pub role_session_name: Option<String>,
    pub token_file: Option<String>,
    pub token_process: Option<String>,
    pub duration: Duration,
}

/// `sts:AssumeRole` for `profile`'s `role_arn`.
#[derive(Clone, PartialEq, Eq)]
pub struct RoleStep {
    pub profile: String,
    pub role_arn: String,
    pub role_session_name: Option<String>,
    pub external_id: Option<String>,
    /// None when the MFA was already given to GetSessionToken earlier in the
    /// chain (aws-vault's "chained MFA"): AWS carries it over.
    pub mfa_serial: Option<String>,
    /// The profile's own mfa_serial, which names the cached session.
    pub cache_mfa_serial: Option<String>,
    pub duration: Duration,
    pub session_tags: Vec<(String, String)>,
    pub transitive_session_tags: Vec<String>,
    pub source_identity: Option<String>,
}

// `--debug` prints the plan. A command line may carry a secret (a token, a
// password argument) and an external ID is a shared secret with the role's
// owner, so both are shown only as present or absent.

/// What `Debug` shows in place of a value that may be secret.
fn redact(value: &Option<String>) -> Option<&'static str> {
    value.as_ref().map(|_| "<redacted>")
}

impl fmt::Debug for WebIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentity")
            .field("profile", &self.profile)
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("token_file", &self.token_file)
            .field("token_process", &redact(&self.token_process))
            .field("duration", &self.duration)
            .finish()
    }
}

impl fmt::Debug for RoleStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RoleStep")
            .field("profile", &self.profile)
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("external_id", &redact(&self.external_id))
            .field("mfa_serial", &self.mfa_serial)
            .field("cache_mfa_serial", &self.cache_mfa_serial)
            .field("duration", &self.duration)
            .field("session_tags", &self.session_tags)
            .field("transitive_session_tags", &self.transitive_session_tags)
            .field("source_identity", &self.source_identity)
            .finish()
    }
}
