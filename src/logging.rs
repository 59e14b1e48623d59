//! `--debug` output: a minimal `log` sink on stderr. Callers log names, paths
//! and counts, never secret values; secret types also redact themselves.

use std::io::Write;

use log::{LevelFilter, Log, Metadata, Record};

struct StderrLogger;

impl Log for StderrLogger {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &Record<'_>) {
        // Only our own crate: the AWS SDK's dependencies log request details.
        if record.target().starts_with(env!("CARGO_CRATE_NAME")) {
            let _ = writeln!(std::io::stderr().lock(), "vault: debug: {}", record.args());
        }
    }

    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;

pub fn init(debug: bool) {
    if debug && log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(LevelFilter::Debug);
    }
}
