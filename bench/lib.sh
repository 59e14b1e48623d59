# shellcheck shell=bash
# Shared set-up for the benchmarks that need STS: a release build, a scratch
# HOME, and moto on loopback (from the test venv that tests/run.sh makes).
# Sourced; sets $vault, $root, $venv and exports AWS_ENDPOINT_URL.

# VAULT_BIN names another build (e.g. to compare two), else the release build here.
if [ -n "${VAULT_BIN:-}" ]; then
    vault=$VAULT_BIN
else
    cargo build --release --quiet
    # shellcheck disable=SC2034 # used by the scripts that source this
    vault=$PWD/target/release/vault
fi
venv=${VAULT_TEST_VENV:-$PWD/target/test-venv}

root=$(mktemp -d)
moto_pid=
cleanup() {
    # Under set -e a failed kill (moto already gone) would end the trap before the rm.
    if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; fi
    rm -rf "$root"
}
trap cleanup EXIT

# moto on 127.0.0.1 and a port the OS picks; its request log is $root/moto.log.
start_moto() {
    "$venv/bin/python" tests/support/moto_peer.py --log "$root/moto.log" --ready "$root/ready" \
        --parent-pid $$ >"$root/moto.out" 2>&1 &
    moto_pid=$!
    for _ in $(seq 200); do [ -s "$root/ready" ] && break; sleep 0.05; done
    [ -s "$root/ready" ] || { echo "moto did not start: $(tail -3 "$root/moto.out")" >&2; exit 1; }
    AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$root/ready")
    export AWS_ENDPOINT_URL
}

# How many times moto was asked for ACTION so far.
sts_calls() {
    grep -c "\"action\": \"$1\"" "$root/moto.log" || true
}

# For the pass backend: a throwaway, passphrase-less gpg key in a gpg home of
# its own under $root; exports GNUPGHOME and VAULT_GPG_KEY (its fingerprint).
# Its gpg-agent is started here, so it is not a child of a vault that a test
# kills, and is stopped on exit.
start_gpg() {
    export GNUPGHOME=$root/g
    mkdir -m 700 "$GNUPGHOME"
    gpg --batch --passphrase '' --quick-gen-key 'vault bench <bench@example.invalid>' \
        default default never 2>/dev/null
    VAULT_GPG_KEY=$(gpg --list-secret-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')
    export VAULT_GPG_KEY
    gpgconf --launch gpg-agent
    trap 'gpgconf --kill gpg-agent || true; cleanup' EXIT
}
