//! What a keyless shell's `Serve` request carries besides the profile: the
//! global settings of the shell's `vault` and the part of its environment
//! the agent needs to resolve the profile as the shell would.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::env::Env;

/// The global settings of the shell's `vault`, as they travel to the agent
/// (`crate::agentd` turns them back into the settings they came from).
#[derive(Clone, Serialize, Deserialize)]
pub struct WireSettings {
    pub(crate) backend: String,
    pub(crate) file_dir: Option<PathBuf>,
    pub(crate) secret_service_collection: String,
    pub(crate) pass_dir: Option<PathBuf>,
    pub(crate) pass_cmd: String,
    pub(crate) pass_prefix: String,
    pub(crate) prompt: Option<String>,
}

/// Credentials a shell holds are never handed to the agent, nor what
/// points at other credentials: it resolves the profile from the store.
const WITHHELD: [&str; 8] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "VAULT_PROFILE",
];

/// The part of a shell's environment the agent needs to resolve a profile
/// as the shell would: `AWS_*` settings (config file, endpoints, TTLs, the
/// file store's passphrase when set), `VAULT_*`, and what the backends and
/// their helpers read (home, runtime and D-Bus addresses, gpg and pass,
/// ykman, proxies, CA certificates). Nothing else of the shell's.
pub fn env_for_agent(env: &Env) -> BTreeMap<String, String> {
    const NAMES: [&str; 15] = [
        "HOME",
        "PATH",
        "USER",
        "LOGNAME",
        "LANG",
        "TZ",
        "DBUS_SESSION_BUS_ADDRESS",
        "GNUPGHOME",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "NO_PROXY",
        "https_proxy",
        "no_proxy",
    ];
    const PREFIXES: [&str; 6] = ["AWS_", "VAULT_", "XDG_", "PASSWORD_STORE_", "PASS_", "YKMAN_"];
    env.iter()
        .filter(|(k, _)| {
            (NAMES.contains(k) || PREFIXES.iter().any(|p| k.starts_with(p)))
                && !WITHHELD.contains(k)
                && !k.starts_with("AWS_CONTAINER_")
                && *k != "VAULT_EXPIRES_AT"
        })
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agent_gets_settings_but_never_credentials() {
        let env = Env::from_map(
            [
                ("AWS_CONFIG_FILE", "/c"),
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
                ("AWS_SECRET_ACCESS_KEY", "user-secret"),
                ("AWS_ACCESS_KEY_ID", "AKIAUSER"),
                ("AWS_SESSION_TOKEN", "tok"),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "old"),
                ("AWS_PROFILE", "x"),
                ("VAULT_AGENT_TIMEOUT", "1h"),
                ("VAULT_EXPIRES_AT", "t"),
                ("HOME", "/h"),
                ("GITHUB_TOKEN", "ghp_other_secret"),
                ("XDG_RUNTIME_DIR", "/run/user/1"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        );
        let sent = env_for_agent(&env);
        let names: Vec<&str> = sent.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "AWS_CONFIG_FILE",
                "AWS_ENDPOINT_URL",
                "HOME",
                "VAULT_AGENT_TIMEOUT",
                "XDG_RUNTIME_DIR"
            ]
        );
    }
}
