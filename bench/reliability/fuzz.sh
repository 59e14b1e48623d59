#!/usr/bin/env bash
# Fuzzing (issue 17): runs each `cargo fuzz` target in fuzz/ -- the config
# parser, the file store's JWE and item decoders, the `.awsprofile` parser,
# the hook state decoder and the duration parser (checks in src/fuzzing.rs)
# -- for a bounded time, and prints the executions and crashes of each.
# A crash's input is copied to fuzz/regressions/<target>/, which
# tests/fuzz_regressions.rs replays on stable: fix the bug, commit the input.
#
#   bash bench/reliability/fuzz.sh                 # 30 s per target
#   SECONDS_PER_TARGET=300 bash bench/reliability/fuzz.sh config duration
#
# Needs: a nightly toolchain (rustup toolchain install nightly) and
# cargo-fuzz (cargo install cargo-fuzz). The first build takes minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
per=${SECONDS_PER_TARGET:-30}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config store_item awsprofile hook_state duration)

cargo +nightly fuzz --version >/dev/null 2>&1 || {
    echo "bench/reliability/fuzz.sh: needs cargo-fuzz and a nightly toolchain" \
        "(rustup toolchain install nightly; cargo install cargo-fuzz)" >&2
    exit 1
}
# No sanitizer: vault forbids unsafe code, so ASan would only slow it down;
# debug assertions (-a) catch arithmetic overflow.
flags=(--sanitizer none --debug-assertions)
cargo +nightly fuzz build "${flags[@]}" >/dev/null 2>&1 || cargo +nightly fuzz build "${flags[@]}"

total_crashes=0
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t" "fuzz/regressions/$t"
    rm -rf "fuzz/artifacts/$t"
    log=$(mktemp)
    cargo +nightly fuzz run "${flags[@]}" "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
        -max_total_time="$per" -timeout=10 -print_final_stats=1 >"$log" 2>&1 || true
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    crashes=0
    for f in "fuzz/artifacts/$t"/*; do
        [ -e "$f" ] || continue
        crashes=$((crashes + 1))
        cp "$f" "fuzz/regressions/$t/"
        echo "fuzz $t: $(basename "$f") kept in fuzz/regressions/$t/:" >&2
        grep -m1 -A3 'panicked at' "$log" >&2 || tail -5 "$log" >&2
    done
    if [ -z "$execs" ] && [ "$crashes" -eq 0 ]; then
        echo "fuzz $t: libFuzzer printed no statistics:" >&2
        tail -20 "$log" >&2
        exit 1
    fi
    printf 'fuzz %-11s %4s s  %10s execs  %s crashes  corpus %s inputs\n' \
        "$t" "$per" "${execs:-?}" "$crashes" "$(find "fuzz/corpus/$t" -type f | wc -l)"
    total_crashes=$((total_crashes + crashes))
    rm -f "$log"
done
echo "fuzz: ${#targets[@]} targets, $total_crashes crashes, load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$total_crashes" -eq 0 ]
