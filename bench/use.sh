#!/usr/bin/env bash
# Switching the current shell to a role profile: `vault use` (the hook's
# shell function) against awsume (`. awsume`, its documented alias), both in
# bash and timed inside one bash, on this machine in one run: issue 27's row
# "vault use a role profile, passphrase in the environment" (goal: at most
# 1/20 of awsume).
#
#   bash bench/use.sh            # N=100 vault runs, N/5 awsume runs
#
# Both read one role profile on keys of their own and end with the role's
# credentials exported: vault from its store (the passphrase in the
# environment; each item's derived key kept in the user keyring, so a warm
# read derives nothing) and its session cache, awsume from
# ~/.aws/credentials. awsume keeps no cache of role credentials, so each of
# its runs calls AssumeRole; vault's runs call nothing once its cache is
# warm. The script counts both sides' STS calls, and checks each run ended
# with the role's credentials exported.
#
# Needs: a release build (built here), the test venv with moto (bash
# tests/run.sh makes it), and awsume, which is installed here into a venv of
# its own (target/bench-venv, or VAULT_BENCH_VENV) from PyPI on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100}
# shellcheck source=bench/lib.sh
source bench/lib.sh

bench_venv=${VAULT_BENCH_VENV:-$PWD/target/bench-venv}
if [ ! -x "$bench_venv/bin/awsumepy" ]; then
    python3 -m venv "$bench_venv"
    "$bench_venv/bin/pip" install --quiet 'awsume==4.5.*'
fi

export HOME=$root/home AWS_VAULT_FILE_PASSPHRASE=bench-passphrase
mkdir -p "$HOME/.aws"
export AWS_CONFIG_FILE=$HOME/.aws/config AWS_SHARED_CREDENTIALS_FILE=$HOME/.aws/credentials
printf '[profile role]\nrole_arn = arn:aws:iam::123456789012:role/bench\nsource_profile = base\nregion = eu-west-1\n[profile base]\nregion = eu-west-1\n' \
    >"$AWS_CONFIG_FILE"
# awsume reads the source keys from the credentials file; vault from its store.
printf '[base]\naws_access_key_id = AKIABENCHKEY000001\naws_secret_access_key = bench-secret\n' \
    >"$AWS_SHARED_CREDENTIALS_FILE"

start_moto
AWS_ACCESS_KEY_ID=AKIABENCHKEY000001 AWS_SECRET_ACCESS_KEY=bench-secret \
    "$vault" add --env --add-config=false base >/dev/null
"$vault" export role >/dev/null # one AssumeRole: vault's session cache is warm
export PATH=$bench_venv/bin:$PATH
# awsume's first run writes its own config (~/.awsume/config.yaml).
bash --norc --noprofile -c '. awsume role' >/dev/null 2>&1

# us SETUP BODY RUNS: microseconds per run of BODY in one bash, after SETUP
# and one run of BODY that must leave the role's keys (moto's ASIA keys)
# exported.
us() {
    bash --norc --noprofile -c "$1; $2
        [[ \${AWS_ACCESS_KEY_ID-} == ASIA* ]] || { echo 'no role credentials exported' >&2; exit 1; }
        s=\$EPOCHREALTIME
        for i in \$(seq $3); do $2; done
        e=\$EPOCHREALTIME
        echo \$(( (\${e/./} - \${s/./}) / $3 ))"
}

assume_before=$(sts_calls AssumeRole)
# The hook's function is what `vault use` is in a shell.
v=$(us "eval \"\$('$vault' hook bash)\"" "vault use role >/dev/null 2>&1" "$N")
assume_vault=$(($(sts_calls AssumeRole) - assume_before))
a=$(us : ". awsume role >/dev/null 2>&1" "$((N / 5))")
assume_awsume=$(($(sts_calls AssumeRole) - assume_before - assume_vault))

printf '%-40s %12s %s\n' "switch to a role profile" "us per run" "STS AssumeRole calls"
printf '%-40s %12s %s\n' "vault use role (passphrase in env)" "$v" "$assume_vault in $((N + 1)) runs"
printf '%-40s %12s %s\n' "awsume role" "$a" "$assume_awsume in $((N / 5 + 1)) runs"
awk -v v="$v" -v a="$a" 'BEGIN { printf "vault is 1/%.0f of awsume: goal 1/20 %s\n", a / v, (v * 20 <= a ? "met" : "missed") }'
