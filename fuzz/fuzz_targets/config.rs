//! `cargo +nightly fuzz run config`: see vault::fuzzing::config.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vault::fuzzing::config(data));
