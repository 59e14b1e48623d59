//! Asking the user for secrets and MFA codes: the [`Prompt`] trait each
//! prompt driver implements (the terminal today), the `--prompt` choice among
//! them, the switch that forbids asking at all, and the file store's
//! passphrase source, which asks through a driver.

mod passphrase;
pub mod terminal;

use std::sync::atomic::{AtomicBool, Ordering};

pub use passphrase::EnvOrPrompt;
pub use terminal::{Terminal, TtyError};

use crate::creds::Secret;

/// How vault asks the user for what it cannot find by itself.
///
/// `Send + Sync` so that a file store holding one can be shared by the
/// threads of a credential server.
pub trait Prompt: Send + Sync {
    /// Asks for a secret without showing it as typed; `what` names it in
    /// errors ("file store passphrase").
    fn secret(&self, prompt: &str, what: &str) -> Result<Secret, TtyError>;

    /// Asks for the current code of the MFA device `serial`.
    fn mfa_code(&self, serial: &str) -> Result<String, TtyError>;
}

/// The prompt drivers `--prompt` (`AWS_VAULT_PROMPT`) chooses from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PromptDriver {
    /// Ask on the controlling terminal (/dev/tty)
    Terminal,
}

impl PromptDriver {
    pub fn open(self) -> Box<dyn Prompt> {
        match self {
            PromptDriver::Terminal => Box::new(Terminal),
        }
    }
}

/// Set for runs that must not ask anything, such as a credential refresh
/// from the prompt hook: there a question would block the user's prompt.
static NON_INTERACTIVE: AtomicBool = AtomicBool::new(false);

/// From now on every question fails as if there were no one to ask.
pub fn forbid_prompts() {
    NON_INTERACTIVE.store(true, Ordering::Relaxed);
}

fn prompts_forbidden() -> bool {
    NON_INTERACTIVE.load(Ordering::Relaxed)
}
