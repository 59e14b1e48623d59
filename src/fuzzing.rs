//! Entry points for the fuzz targets (`fuzz/`) and their regression replay
//! (tests/fuzz_regressions.rs): each feeds untrusted text to one parser and
//! checks what must hold for any input. Not an API: the parsers stay private,
//! and a failed property panics, which is what a fuzzer reports.

use std::path::Path;

use crate::config::{self, ConfigFile, ResolveOptions};
use crate::env::Env;
use crate::shell::State;
use crate::store::Item;
use crate::store::jwe::Token;

/// One fuzz target: it panics on an input that breaks a property.
pub type Target = fn(&[u8]);

/// The fuzz targets by name, as in `fuzz/fuzz_targets/` and
/// `fuzz/regressions/<name>/`.
pub const TARGETS: [(&str, Target); 5] = [
    ("config", config),
    ("store_item", store_item),
    ("awsprofile", awsprofile),
    ("hook_state", hook_state),
    ("duration", duration),
];

/// `~/.aws/config`: parsing never panics, and every profile it lists
/// resolves (along `source_profile` and `include_profile`) to a value or a
/// one-line error, never a panic or a loop.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(cfg) = ConfigFile::parse(text, Path::new("/fuzz/config")) else { return };
    let env = Env::default();
    let opts = ResolveOptions::default();
    for name in cfg.profile_names() {
        assert!(cfg.has_profile(&name), "listed profile {name:?} is not found");
        if let Err(err) = config::resolve(&cfg, &name, &env, &opts) {
            assert!(!err.to_string().contains('\n'), "a multi-line error: {err}");
        }
    }
}

/// A file store item: the JWE framing (parsed before any passphrase is
/// asked), then the decrypted JSON item, which must survive a round trip.
pub fn store_item(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        // Decrypting costs `p2c` PBKDF2 rounds: only at the floor, so a run
        // spends its time in the parsers.
        if let Ok(token) = Token::parse(text)
            && token.iterations() <= 1000
        {
            let _ = token.decrypt(b"fuzz");
        }
    }
    if let Ok(item) = Item::from_json(data) {
        let again = Item::from_json(&item.to_json()).expect("an item we wrote reads back");
        assert!(
            again.key == item.key
                && again.data == item.data
                && again.label == item.label
                && again.description == item.description,
            "item changed on a round trip"
        );
    }
}

/// `.awsprofile`: a name it accepts is one line of the safe characters,
/// since it reaches shell code and messages.
pub fn awsprofile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match crate::trust::parse(Path::new("/fuzz/.awsprofile"), text) {
        Ok(name) => assert!(
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.:@+/=,-".contains(c)),
            "accepted an unsafe name {name:?}"
        ),
        Err(err) => assert!(!err.to_string().contains('\n'), "a multi-line error: {err}"),
    }
}

/// The hook's state variable: anything decodes, only managed names survive,
/// and what is decoded encodes and decodes to itself.
pub fn hook_state(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (state, _) = State::decode(text);
    let managed = |k: &String| crate::shell::MANAGED_VARS.contains(&k.as_str());
    assert!(state.managed.keys().chain(state.prev.keys()).all(managed), "a foreign name kept");
    assert_eq!(State::decode(&state.encode()), (state, 0), "state changed on a round trip");
}

/// Go durations: parsing never panics, and what parses prints (Go's
/// `Duration.String()`) as text that parses to the same duration.
pub fn duration(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(d) = crate::duration::parse_duration(text) {
        let shown = crate::duration::format_duration(d);
        assert_eq!(crate::duration::parse_duration(&shown), Ok(d), "{text:?} printed as {shown:?}");
    }
}
