#!/usr/bin/env bash
# Mutation testing with cargo-mutants (27.x) over the modules where a silent
# bug costs most: each mutant (a function's body replaced, an operator
# flipped) is built and the tests that cover that module are run; a mutant
# they do not fail is a "missed" one, and each needs a new test or a reason
# it changes nothing (README, Reliability, Mutation testing). Run it when one
# of these modules changes; CI does not (it takes a long time on two cores).
#
#   cargo install --locked cargo-mutants --version '^27'
#   bash bench/mutants.sh                    # all five modules
#   bash bench/mutants.sh atomic_write trust # some of them
#
# It mutates the files in place (--in-place, so the build in target/ is
# reused) and puts each back; run it in a checkout you are not editing.
# Results: mutants.out/ (outcomes.json, caught.txt, missed.txt, timeout.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo mutants --version >/dev/null 2>&1; then
    echo "bench/mutants.sh: cargo-mutants is missing; install it with: cargo install --locked cargo-mutants --version '^27'" >&2
    exit 1
fi
venv=${VAULT_TEST_VENV:-$PWD/target/test-venv}
export VAULT_TEST_PYTHON=$venv/bin/python VAULT_TEST_REQUIRE_PEERS=1

# module -> the file mutated, and the tests that cover it (cargo test arguments).
declare -A files=(
    [atomic_write]=src/atomic_write.rs
    [escape]=src/escape.rs
    [plan]=src/sts/plan.rs
    [agent_token]=src/agentd/keyless.rs
    [trust]=src/trust.rs
)
declare -A tests=(
    [atomic_write]="--lib --test reliability"
    [escape]="--lib --test injection"
    [plan]="--lib --test plan_matrix"
    [agent_token]="--lib --test keyless"
    [trust]="--lib --test hook_edges"
)
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(atomic_write escape plan agent_token trust)

for m in "${modules[@]}"; do
    [ -n "${files[$m]:-}" ] || {
        echo "bench/mutants.sh: unknown module $m (one of ${!files[*]})" >&2
        exit 1
    }
    echo "== $m: ${files[$m]}, tests: cargo test ${tests[$m]}"
    # shellcheck disable=SC2086 # the test arguments are words
    cargo mutants --in-place --no-shuffle --timeout 300 --file "${files[$m]}" \
        --output "target/mutants-$m" -- ${tests[$m]} || true
    out=target/mutants-$m/mutants.out
    for outcome in caught missed timeout unviable; do
        printf '  %-9s %s\n' "$outcome" "$(wc -l <"$out/$outcome.txt" 2>/dev/null || echo 0)"
    done
    if [ -s "$out/missed.txt" ]; then
        echo "  missed:"
        sed 's/^/    /' "$out/missed.txt"
    fi
done
