#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the test peers it
# needs when they are missing, then runs `cargo test`. Extra arguments go to
# `cargo test` (e.g. `bash tests/run.sh store_compat`).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive for real: shells for the hooks, the
# secret-service, keyctl and pass backends, the prompt drivers' dialogs on an
# Xvfb display driven by xdotool, pass-otp and oathtool, linters for the hook
# scripts, strace to kill a write at an exact step and to read every argv a
# hook starts, useradd (passwd) for the second local user of the other-user
# tests, and load/bench tools. Installed only when missing (needs root, as CI has).
debs=(zsh fish tmux shellcheck shfmt direnv dbus dbus-x11 gnome-keyring
    libsecret-tools keyutils pass gnupg wrk hyperfine
    zenity kdialog xvfb xdotool pass-extension-otp oathtool util-linux strace passwd)
missing=()
for deb in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'ok installed' || missing+=("$deb")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "tests/run.sh: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "tests/run.sh: missing Debian packages ${missing[*]}; install them (as root: apt-get install ${missing[*]})" >&2
        exit 1
    fi
fi

# Python peers (an independent JWE implementation, moto as the STS/IAM
# server, the aws CLI v1 as an independent client, a PowerShell parser) live in a private venv so
# the machine's Python is left alone. A warm venv is reused as is; if any
# piece is missing, pip installs it (already-present ones are kept).
venv=${VAULT_TEST_VENV:-$PWD/target/test-venv}
peers_ok() {
    # `moto.server` (not just `moto`) also proves the [server] extras.
    "$venv/bin/python" -c 'import jwcrypto, moto.server, tree_sitter, tree_sitter_powershell' 2>/dev/null &&
        [ -x "$venv/bin/aws" ]
}
if ! peers_ok; then
    echo "tests/run.sh: installing Python test peers into $venv" >&2
    python3 -m venv "$venv"
    # moto_peer.py uses moto 5's server internals; pip's awscli is v1; the
    # tree-sitter PowerShell grammar parses the pwsh scripts (ps_parse.py).
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        'jwcrypto>=1.5' 'moto[server]>=5,<6' 'awscli>=1.30,<2' \
        'tree-sitter>=0.25,<0.27' 'tree-sitter-powershell>=0.26,<0.27'
    peers_ok || { echo "tests/run.sh: Python test peers still missing in $venv" >&2; exit 1; }
fi
export VAULT_TEST_PYTHON="$venv/bin/python"

# Every peer above is now installed, so a test that finds one missing fails
# instead of skipping (tests/common/peers.rs): a skipped test would read as
# a passing one. Only pwsh, which Debian does not package, may still skip.
export VAULT_TEST_REQUIRE_PEERS=1

# The secret-leak scan: every `vault` the tests run is recorded (arguments,
# stdout, stderr, the secrets it was given; tests/common/record.rs) into the
# folder below, and moto records the secrets it hands out there too. It starts
# empty; after the suite, one more test scans it and fails naming the test and
# the kind of secret printed where it may not be (tests/common/leak_scan.rs).
rm -rf "${CARGO_TARGET_DIR:-target}/tmp/leak-scan"
cargo test --locked "$@"
cargo test --locked --test leak_scan -- --ignored --exact the_whole_suite_leaks_no_secret --nocapture
