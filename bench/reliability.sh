#!/usr/bin/env bash
# The README's Reliability figures that belong to issue 17's crash, concurrency and
# server-fault items, one script each under bench/reliability/ (each can run alone).
# About five minutes on two cores; exits 1 if any of them counted a failure.
#
#   bash bench/reliability.sh
#   KILLS=300 WORKERS=64 DURATION=60 bash bench/reliability.sh
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
cargo build --release --quiet || exit 1

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for script in crash concurrency server-faults; do
    echo
    started=$SECONDS
    bash "bench/reliability/$script.sh" || { status=1; echo "bench/reliability/$script.sh: FAILED"; }
    echo "($script: $((SECONDS - started)) s)"
done
exit "$status"
