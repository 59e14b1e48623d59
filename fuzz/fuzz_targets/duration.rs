//! `cargo +nightly fuzz run duration`: see vault::fuzzing::duration.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vault::fuzzing::duration(data));
