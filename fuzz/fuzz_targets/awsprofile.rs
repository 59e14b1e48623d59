//! `cargo +nightly fuzz run awsprofile`: see vault::fuzzing::awsprofile.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vault::fuzzing::awsprofile(data));
