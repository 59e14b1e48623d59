//! Warnings the user must see, raised where they are found (deep in a store,
//! say) and printed by `cmd/`, the only code that prints: domain code hands
//! them to [`warn`], and `cmd/` prints them with [`drain`] once per command.
//! (`log::warn!` is for `--debug` only.)

use std::sync::{Mutex, PoisonError};

static PENDING: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Keeps `text` for the user; the same text twice is said once.
pub fn warn(text: impl Into<String>) {
    let text = text.into();
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    if !pending.contains(&text) {
        pending.push(text);
    }
}

/// The warnings raised since the last drain, in order; each is then
/// forgotten, so it is printed once.
pub fn drain() -> Vec<String> {
    std::mem::take(&mut *PENDING.lock().unwrap_or_else(PoisonError::into_inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_warning_is_drained_once() {
        warn("warnings-test: one");
        warn("warnings-test: one");
        warn("warnings-test: two");
        let mine: Vec<_> =
            drain().into_iter().filter(|w| w.starts_with("warnings-test:")).collect();
        assert_eq!(mine, ["warnings-test: one", "warnings-test: two"]);
        assert!(!drain().iter().any(|w| w.starts_with("warnings-test:")));
    }
}
