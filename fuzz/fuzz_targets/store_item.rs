//! `cargo +nightly fuzz run store_item`: see vault::fuzzing::store_item.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vault::fuzzing::store_item(data));
