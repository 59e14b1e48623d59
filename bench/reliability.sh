#!/usr/bin/env bash
# The README's Reliability figures (issue 17): crash safety, concurrency, the
# credential server under STS faults, injection and -- when nightly Rust and
# cargo-fuzz are installed -- fuzzing, one script each under bench/reliability/
# (each can run alone). About ten minutes on two cores; exits 1 if any of them
# counted a failure. The bad-input table and the leak scan run in the suite.
#
#   bash bench/reliability.sh
#   KILLS=300 WORKERS=64 DURATION=60 bash bench/reliability.sh
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
cargo build --release --quiet || exit 1

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
scripts=(crash concurrency server-faults inject)
if cargo +nightly fuzz --version >/dev/null 2>&1; then
    scripts+=(fuzz)
else
    echo "fuzzing left out: needs a nightly toolchain and cargo-fuzz (see bench/reliability/fuzz.sh)"
fi
for script in "${scripts[@]}"; do
    echo
    started=$SECONDS
    bash "bench/reliability/$script.sh" || { status=1; echo "bench/reliability/$script.sh: FAILED"; }
    echo "($script: $((SECONDS - started)) s)"
done
exit "$status"
