//! The terminal prompt driver: asking the user things on the controlling
//! terminal (`/dev/tty`), never on stdout, so prompts still reach a person when stdout is a pipe, `$(...)` or a
//! `credential_process` reader.
//!
//! Input is read byte by byte with echo, line buffering and signal keys turned
//! off, so that Ctrl-C arrives as a byte we can turn into a clean "cancelled"
//! error. A SIGINT would instead kill the process with echo still off, leaving
//! the user's terminal blind (rpassword has exactly this bug, its PR #134).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};

use rustix::termios::{self, LocalModes, OptionalActions, SpecialCodeIndex, Termios};

use super::{MfaRequest, Prompt, Reach};
use crate::creds::Secret;

#[derive(Debug, thiserror::Error)]
pub enum TtyError {
    #[error("no terminal to ask for the {what} on")]
    NoTerminal { what: String },
    #[error("cancelled at the {what} prompt")]
    Cancelled { what: String },
    /// The io error is in the message only, not a `source()`: `{:#}` prints it once.
    #[error("could not read the {what} from the terminal: {cause}")]
    Io { what: String, cause: io::Error },
    /// A driver other than the terminal failed; `reason` says what to fix.
    #[error("could not get the {what}: {reason}")]
    Failed { what: String, reason: String },
}

/// Restores the terminal's settings when dropped, including on early return.
struct RawMode<'a> {
    tty: &'a File,
    saved: Termios,
}

impl<'a> RawMode<'a> {
    fn enter(tty: &'a File) -> io::Result<Self> {
        let saved = termios::tcgetattr(tty)?;
        let mut raw = saved.clone();
        raw.local_modes.remove(LocalModes::ECHO | LocalModes::ICANON | LocalModes::ISIG);
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        // Flush: keys typed before the question was shown are not its answer.
        termios::tcsetattr(tty, OptionalActions::Flush, &raw)?;
        Ok(Self { tty, saved })
    }
}

impl Drop for RawMode<'_> {
    fn drop(&mut self) {
        // Drain, not Flush: what the user typed after answering (the next
        // command, typed ahead) belongs to the shell and must not be thrown away.
        let _ = termios::tcsetattr(self.tty, OptionalActions::Drain, &self.saved);
    }
}

fn open_tty(what: &str) -> Result<File, TtyError> {
    if super::terminal_forbidden() {
        return Err(TtyError::NoTerminal { what: what.to_owned() });
    }
    OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|_| TtyError::NoTerminal { what: what.to_owned() })
}

/// Whether vault has a controlling terminal to ask on, and may (not while
/// a command it runs owns it).
pub fn has_terminal() -> bool {
    open_tty("").is_ok()
}

/// Reads one line; `echo` decides whether typed characters are shown.
fn read_line_raw(prompt: &str, what: &str, echo: bool) -> Result<Vec<u8>, TtyError> {
    let tty = open_tty(what)?;
    let io_err = |cause| TtyError::Io { what: what.to_owned(), cause };
    let raw = RawMode::enter(&tty).map_err(|_| TtyError::NoTerminal { what: what.to_owned() })?;
    let (mut input, mut out) = (&tty, &tty);
    out.write_all(prompt.as_bytes()).map_err(io_err)?;
    out.flush().map_err(io_err)?;

    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    let result = loop {
        match input.read(&mut byte) {
            Ok(0) => break Err(TtyError::Cancelled { what: what.to_owned() }),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(io_err(e)),
        }
        match byte[0] {
            b'\r' | b'\n' => break Ok(()),
            // Ctrl-C, or Ctrl-D on an empty line, cancels like a shell would.
            0x03 => break Err(TtyError::Cancelled { what: what.to_owned() }),
            0x04 if line.is_empty() => break Err(TtyError::Cancelled { what: what.to_owned() }),
            0x7f | 0x08 => {
                // Remove one whole UTF-8 character, not one byte of it.
                while let Some(b) = line.pop() {
                    if b & 0xC0 != 0x80 {
                        break;
                    }
                }
                if echo {
                    let _ = out.write_all(b"\x08 \x08");
                }
            }
            0x15 => line.clear(),
            b if b < 0x20 => {}
            b => {
                line.push(b);
                if echo {
                    let _ = out.write_all(&[b]);
                }
            }
        }
    };
    let _ = out.write_all(b"\n");
    drop(raw);
    result.map(|()| line)
}

fn into_string(bytes: Vec<u8>, what: &str) -> Result<String, TtyError> {
    String::from_utf8(bytes).map_err(|_| TtyError::Io {
        what: what.to_owned(),
        cause: io::Error::new(io::ErrorKind::InvalidData, "input is not valid UTF-8"),
    })
}

/// Asks for a secret without echoing it.
pub fn read_secret(prompt: &str, what: &str) -> Result<Secret, TtyError> {
    let mut bytes = read_line_raw(prompt, what, false)?;
    let text = into_string(std::mem::take(&mut bytes), what)?;
    Ok(Secret::new(text))
}

/// Asks for a visible value (an access key id, a profile name).
pub fn read_line(prompt: &str, what: &str) -> Result<String, TtyError> {
    into_string(read_line_raw(prompt, what, true)?, what)
}

/// Asks a yes/no question; an empty answer takes `default`.
pub fn confirm(prompt: &str, default: bool) -> Result<bool, TtyError> {
    let answer = read_line(prompt, "confirmation")?;
    Ok(match answer.trim().to_ascii_lowercase().as_str() {
        "" => default,
        "y" | "yes" => true,
        _ => false,
    })
}

/// The `terminal` prompt driver.
pub struct Terminal;

impl Prompt for Terminal {
    fn secret(&self, prompt: &str, what: &str) -> Result<Secret, TtyError> {
        read_secret(prompt, what)
    }

    fn mfa_code(&self, req: MfaRequest<'_>) -> Result<String, TtyError> {
        let again = if req.again { format!("{} ", super::NOT_A_CODE) } else { String::new() };
        let code = read_line(&format!("{again}Enter MFA code for {}: ", req.serial), "MFA code")?;
        Ok(code.trim().to_owned())
    }

    fn reach(&self) -> Reach {
        Reach::Terminal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_io_error_is_printed_once() {
        let cause = io::Error::new(io::ErrorKind::BrokenPipe, "disk on fire");
        let err = TtyError::Io { what: "passphrase".into(), cause };
        assert_eq!(
            format!("{:#}", anyhow::Error::from(err)),
            "could not read the passphrase from the terminal: disk on fire"
        );
    }
}
