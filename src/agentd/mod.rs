//! The agent process (`vault agent`): the socket's server (`server.rs`),
//! the page-locked memory it keeps secrets in (`locked.rs`), and keyless
//! shells' tokens (`keyless.rs`); here, what the server and keyless shells
//! share under one lock. Its protocol and clients are `crate::agent`.

mod keyless;
mod locked;
mod server;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::SystemTime;

use keyless::Keyless;
use locked::Locked;
pub use server::{Server, ServerOptions};

/// Everything the agent holds, behind one lock.
#[derive(Default)]
struct State {
    /// Store folder → its passphrase.
    stores: HashMap<PathBuf, Locked>,
    until: Option<SystemTime>,
    /// Item file → its plaintext, valid while the file's mtime and size match.
    cache: HashMap<PathBuf, Cached>,
    /// Keyless shells' tokens and the credentials they are served.
    keyless: Keyless,
}

struct Cached {
    mtime: SystemTime,
    size: u64,
    plaintext: Locked,
}

impl State {
    /// Drops every secret; `Locked` wipes them as they go.
    fn forget(&mut self) {
        self.stores.clear();
        self.cache.clear();
        self.until = None;
        self.keyless.forget();
    }
}
