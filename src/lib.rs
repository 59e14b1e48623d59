//! `vault`: keeps AWS credentials in a secret backend and hands out
//! short-lived ones where they are needed. The binary (`main.rs`) parses the
//! command line and calls [`cmd::run`]; everything else lives here, so that
//! integration tests use the same code as a library.

mod agent;
mod agentd;
mod atomic_write;
mod aws;
mod browser;
mod child;
pub mod cli;
pub mod cmd;
mod complete;
mod complete_cache;
mod config;
mod context;
mod credential_vars;
pub mod creds;
mod duration;
mod env;
mod escape;
#[doc(hidden)]
pub mod fuzzing;
mod logging;
mod prompt;
mod refresh_lock;
mod rotate;
mod server;
mod shell;
pub(crate) mod sso;
pub mod store;
mod sts;
mod trust;
mod warnings;

/// The library's own helpers that the integration tests use rather than
/// copy: the one PATH search and the one PowerShell quoting.
#[doc(hidden)]
pub mod test_support {
    pub use crate::child::find_on_path;
    pub use crate::escape::pwsh as ps_quote;
}

/// An error and its causes on one line (`: `-joined), as vault prints every
/// message: the hook's notices, servers' 502s and the CLI's `vault: ...`.
/// Control characters are shown escaped: an error may quote a profile
/// name, a path or a URL from a config file or a repository.
pub(crate) fn one_line(err: &anyhow::Error) -> String {
    escape::terminal(&format!("{err:#}").replace('\n', " "))
}
