//! Asking the user for secrets and MFA codes: the [`Prompt`] trait each
//! prompt driver implements (one file each), the `--prompt` choice among
//! them and the choice made when none is given, the switches that forbid
//! asking, and the file store's passphrase source, which asks through a
//! driver.

mod child;
mod dialog;
mod kdialog;
mod pass;
mod passphrase;
pub mod terminal;
mod unavailable;
mod ykman;
mod zenity;

use std::sync::atomic::{AtomicU8, Ordering};

pub use passphrase::EnvOrPrompt;
pub use terminal::{Terminal, TtyError};

use crate::creds::Secret;
use crate::env::Env;

/// What an MFA question is about, for drivers that show it (a dialog) or
/// derive a name from it (ykman's OATH account, pass's entry).
#[derive(Debug, Clone, Copy)]
pub struct MfaRequest<'a> {
    /// The profile the user asked for.
    pub profile: &'a str,
    /// The MFA device's serial (an ARN for virtual devices).
    pub serial: &'a str,
    /// The last answer was not a code: the question says so.
    pub again: bool,
}

/// What a question asked again after an answer that was not a code starts with.
pub const NOT_A_CODE: &str = "That was not a 6-digit code.";

/// Where a driver reaches the user, which decides when it may run: not
/// while a command owns the terminal (`Terminal`), and not at a shell
/// prompt for either of the first two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Asks a person on the controlling terminal.
    Terminal,
    /// Asks a person in a window on the display.
    Display,
    /// Asks nobody: a program computes the code (ykman, pass).
    Nobody,
}

/// How vault asks the user for what it cannot find by itself.
///
/// `Send + Sync` so that a file store holding one can be shared by the
/// threads of a credential server.
pub trait Prompt: Send + Sync {
    /// Asks for a secret without showing it as typed; `what` names it in
    /// errors ("file store passphrase").
    fn secret(&self, prompt: &str, what: &str) -> Result<Secret, TtyError>;

    /// Gets the current code of the MFA device in `req`.
    fn mfa_code(&self, req: MfaRequest<'_>) -> Result<String, TtyError>;

    /// Where this driver asks; see [`Reach`].
    fn reach(&self) -> Reach;
}

/// The prompt drivers `--prompt` (`AWS_VAULT_PROMPT`) chooses from, named
/// as aws-vault names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PromptDriver {
    /// Ask on the controlling terminal (/dev/tty)
    Terminal,
    /// Ask in a GNOME dialog (zenity) on $DISPLAY or $WAYLAND_DISPLAY
    Zenity,
    /// Ask in a KDE dialog (kdialog) on $DISPLAY or $WAYLAND_DISPLAY
    Kdialog,
    /// MFA codes from a YubiKey: `ykman oath accounts code --single NAME`
    Ykman,
    /// MFA codes from `pass otp NAME` (the pass-otp extension)
    Pass,
    /// A macOS dialog (not available on this system)
    Osascript,
    /// A Windows credential dialog (not available on this system)
    Wincred,
}

impl PromptDriver {
    /// The driver; `env` supplies its settings (ykman's and pass's names).
    pub fn open(self, env: &Env) -> Box<dyn Prompt> {
        match self {
            PromptDriver::Terminal => Box::new(Terminal),
            PromptDriver::Zenity => Box::new(zenity::Zenity { env: env.clone() }),
            PromptDriver::Kdialog => Box::new(kdialog::Kdialog { env: env.clone() }),
            PromptDriver::Ykman => Box::new(ykman::Ykman::from_env(env)),
            PromptDriver::Pass => Box::new(pass::PassOtp::from_env(env)),
            PromptDriver::Osascript | PromptDriver::Wincred => {
                Box::new(unavailable::Unavailable(self))
            }
        }
    }
}

/// The driver for `--prompt` as given: the chosen one, else the terminal
/// when there is one and a dialog when there is not (see [`Automatic`]).
pub fn driver(chosen: Option<PromptDriver>, env: &Env) -> Box<dyn Prompt> {
    match chosen {
        Some(driver) => driver.open(env),
        None => Box::new(Automatic { env: env.clone() }),
    }
}

/// No `--prompt`: the terminal when vault has a controlling terminal;
/// without one (an editor's `credential_process`), zenity or kdialog if a
/// display is available and the program is installed. Decided at each
/// question, since a credential server outlives its terminal's use.
struct Automatic {
    env: Env,
}

impl Automatic {
    fn choose(&self, what: &str) -> Result<Box<dyn Prompt>, TtyError> {
        if terminal::has_terminal() {
            return Ok(Box::new(Terminal));
        }
        if display_forbidden() {
            return Err(TtyError::NoTerminal { what: what.to_owned() });
        }
        if dialog::display_available(&self.env) {
            for (program, driver) in
                [("zenity", PromptDriver::Zenity), ("kdialog", PromptDriver::Kdialog)]
            {
                if child::on_path(program, &self.env) {
                    log::debug!("no terminal: asking with {program}");
                    return Ok(driver.open(&self.env));
                }
            }
        }
        Err(TtyError::NoTerminal { what: what.to_owned() })
    }
}

impl Prompt for Automatic {
    fn secret(&self, prompt: &str, what: &str) -> Result<Secret, TtyError> {
        self.choose(what)?.secret(prompt, what)
    }

    fn mfa_code(&self, req: MfaRequest<'_>) -> Result<String, TtyError> {
        self.choose("MFA code")?.mfa_code(req)
    }

    fn reach(&self) -> Reach {
        Reach::Terminal
    }
}

/// How much asking is forbidden: 0 nothing, 1 the terminal, 2 any person.
static FORBIDDEN: AtomicU8 = AtomicU8::new(0);

/// From now on no person is asked anything, as for a credential refresh
/// from the prompt hook, where a question (or a window) would block the
/// user's prompt. Drivers that ask nobody (ykman, pass) still run.
pub fn forbid_prompts() {
    FORBIDDEN.fetch_max(2, Ordering::Relaxed);
}

/// From now on the terminal belongs to a command vault runs (the credential
/// servers): the terminal driver fails as if there were none, while the
/// other drivers still ask.
pub fn terminal_taken() {
    FORBIDDEN.fetch_max(1, Ordering::Relaxed);
}

fn terminal_forbidden() -> bool {
    FORBIDDEN.load(Ordering::Relaxed) >= 1
}

/// Whether no person may be asked now (see [`forbid_prompts`]).
pub fn asking_forbidden() -> bool {
    display_forbidden()
}

fn display_forbidden() -> bool {
    FORBIDDEN.load(Ordering::Relaxed) >= 2
}
