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
#   ITERATE=1 bash bench/mutants.sh trust    # only what the last run missed
#
# It mutates the files in place (--in-place, so the build in target/ is
# reused) and puts each back; run it in a checkout you are not editing, e.g.
# `git worktree add --detach ../vault-mutants HEAD`, and go on editing here.
# Results: target/mutants-MODULE/mutants.out/ (outcomes.json, caught.txt,
# missed.txt, timeout.txt, unviable.txt).
#
# Each mutant is a rebuild, so what makes a rebuild cheaper is kept:
# - only the test targets a module's tests need are built (--cargo-arg;
#   left to itself cargo-mutants builds all 30-odd test binaries for each
#   mutant, the biggest cost by far);
# - the `mutants` profile (Cargo.toml): the test profile without debug info;
# - the mold linker when it is installed (Debian: apt-get install mold);
# - each module's tests narrowed to those that cover it: its unit tests and
#   the named tests of one integration file (cargo test runs the unit tests
#   first and stops at a failing binary, so a mutant they catch never waits
#   for the slow ones);
# - nice -n 19, so others on the machine keep their share.
# Measured on the same three `sts/plan` mutants, 2-core machine at load 5
# to 7: before (test profile, GNU ld, every test binary, all of `--lib --test
# plan_matrix`) 164 to 195 s a mutant (build 124 to 147 s); after 41 to 61 s
# (build 11 to 17 s). Whole runs after, seconds a mutant: atomic_write 14,
# escape 12, plan 22, agent_token 12, trust 10.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo mutants --version >/dev/null 2>&1; then
    echo "bench/mutants.sh: cargo-mutants is missing; install it with: cargo install --locked cargo-mutants --version '^27'" >&2
    exit 1
fi
venv=${VAULT_TEST_VENV:-$PWD/target/test-venv}
export VAULT_TEST_PYTHON=$venv/bin/python VAULT_TEST_REQUIRE_PEERS=1
if command -v mold >/dev/null; then
    # The same flags on every run: a change rebuilds every dependency.
    export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C link-arg=-fuse-ld=mold"
fi

# module -> the file mutated; the test targets built and run for it (given
# to every cargo call with --cargo-arg: without them cargo-mutants builds
# every test binary for each mutant); the names of the tests run (filters
# for every test binary named; none: all of them).
declare -A files=(
    [atomic_write]=src/atomic_write.rs
    [escape]=src/escape.rs
    [plan]=src/sts/plan.rs
    [agent_token]=src/agentd/keyless.rs
    [trust]=src/trust.rs
)
declare -A targets=(
    [atomic_write]="--lib --test=reliability"
    [escape]="--lib --test=injection"
    [plan]="--lib --test=plan_matrix"
    [agent_token]="--lib --test=keyless"
    [trust]="--lib --test=hook_edges"
)
declare -A names=(
    # The planner's unit tests (src/sts/plan_tests.rs), then every config
    # combination against moto.
    [plan]="sts::plan:: every_combination"
    # The token's life: granted per profile and shared, ended by unuse,
    # leaving, lock, the timeout and the shell's exit, the port kept while
    # a shell names it; the first test serves a profile end to end.
    [agent_token]="agentd::keyless:: bash_enters_keyless tokens_are_per_profile a_token_ends_when_its_shell_exits after_lock_the_port_stays"
    # The records' unit tests, then allow/deny/status and `.awsprofile`
    # reading through the real hook (hook_edges' trust tests).
    [trust]="trust:: a_symlinked_awsprofile a_huge_awsprofile allow_warns_of_a_missing_profile escape_sequences_in_paths"
)
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(atomic_write escape plan agent_token trust)
iterate=()
[ -z "${ITERATE:-}" ] || iterate=(--iterate)

for m in "${modules[@]}"; do
    [ -n "${files[$m]:-}" ] || {
        echo "bench/mutants.sh: unknown module $m (one of ${!files[*]})" >&2
        exit 1
    }
    cargo_args=()
    for arg in ${targets[$m]}; do cargo_args+=("--cargo-arg=$arg"); done
    filter=()
    # shellcheck disable=SC2206 # the names are words
    [ -z "${names[$m]:-}" ] || filter=(-- -- ${names[$m]})
    echo "== $m: ${files[$m]}, tests: cargo test ${targets[$m]} ${names[$m]:+-- ${names[$m]}}"
    nice -n 19 cargo mutants --in-place --no-shuffle --profile=mutants --timeout 240 \
        "${iterate[@]}" "${cargo_args[@]}" --file "${files[$m]}" --output "target/mutants-$m" \
        "${filter[@]}" || true
    out=target/mutants-$m/mutants.out
    for outcome in caught missed timeout unviable; do
        printf '  %-9s %s\n' "$outcome" "$(wc -l <"$out/$outcome.txt" 2>/dev/null || echo 0)"
    done
    # Seconds per mutant (build + tests), from cargo-mutants' own record.
    python3 - "$out/outcomes.json" <<'EOF' || true
import json, sys
mutants = [o for o in json.load(open(sys.argv[1]))["outcomes"] if o["scenario"] != "Baseline"]
times = [sum(p["duration"] for p in o["phase_results"]) for o in mutants]
if times:
    print(f"  seconds per mutant: mean {sum(times) / len(times):.1f}, max {max(times):.1f}")
EOF
    if [ -s "$out/missed.txt" ]; then
        echo "  missed:"
        sed 's/^/    /' "$out/missed.txt"
    fi
done
