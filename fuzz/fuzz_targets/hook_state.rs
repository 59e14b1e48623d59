//! `cargo +nightly fuzz run hook_state`: see vault::fuzzing::hook_state.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vault::fuzzing::hook_state(data));
