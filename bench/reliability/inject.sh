#!/usr/bin/env bash
# Injection (issue 17): 10,000 random values (every character but NUL, long
# ones, unicode, quotes, `$()`, backticks, newlines, `%`, ANSI escapes and
# payloads that create a file if any shell runs them) go through the real
# `vault` binary -- the hook's restore path (`vault hook-env`), profile names
# and credential fields (`vault export --format export-env`, `vault use`,
# the file store), the binary's folder in `vault hook`, regions -- and are
# read back in real bash, zsh and fish and from the
# tree-sitter PowerShell grammar's parse. Prints one `injection:` line:
# values, mismatches (must be 0) and commands run (must be 0).
#
#   bash bench/reliability/inject.sh            # N=10000 values, ~2 min on two cores
#   N=500 SEED=42 bash bench/reliability/inject.sh
#
# It is tests/injection.rs at a larger size (the suite runs it with 330).
# Needs: bash, zsh, fish, and the test venv with tree-sitter-powershell
# (bash tests/run.sh makes it, in target/test-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-10000}
SEED=${SEED:-11400714819323198485}
venv=${VAULT_TEST_VENV:-$PWD/target/test-venv}

cargo test --quiet --test injection --no-run
start=$(date +%s)
out=$(VAULT_INJECT_VALUES=$N VAULT_INJECT_SEED=$SEED VAULT_TEST_PYTHON=$venv/bin/python \
    VAULT_TEST_REQUIRE_PEERS=1 cargo test --quiet --test injection -- --nocapture 2>&1) || {
    printf '%s\n' "$out" >&2
    exit 1
}
printf '%s\n' "$out" | grep '^injection:'
echo "injection: $(($(date +%s) - start)) s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
