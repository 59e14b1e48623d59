#!/usr/bin/env bash
# Builds the Debian package: the release binary once, then from that very
# binary the man page and the bash, zsh and fish completion scripts, then
# the .deb with cargo-deb (metadata and file list: Cargo.toml,
# [package.metadata.deb]). Prints the path of the .deb on its last line.
#
#   bash packaging/deb.sh            # needs cargo-deb: cargo install --locked cargo-deb
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
    echo "packaging/deb.sh: cargo-deb is missing; install it with: cargo install --locked cargo-deb" >&2
    exit 1
fi
if ! command -v dpkg-shlibdeps >/dev/null; then
    echo "packaging/deb.sh: dpkg-shlibdeps is missing (it finds the package's dependencies); install dpkg-dev" >&2
    exit 1
fi

cargo build --release --locked
bin=${CARGO_TARGET_DIR:-target}/release/vault

# Cargo.toml's assets name these paths (relative to the crate, whatever
# CARGO_TARGET_DIR is).
out=target/packaging
rm -rf "$out"
mkdir -p "$out"
# -n: no name or time stamp in the gzip header, so the same binary makes
# the same file.
"$bin" man | gzip -9n >"$out/vault.1.gz"
"$bin" completions bash >"$out/vault.bash"
"$bin" completions zsh >"$out/_vault"
"$bin" completions fish >"$out/vault.fish"

# A Debian changelog with the one entry for this version, dated by the
# commit built (lintian wants one; cargo-deb gzips it).
version=$(cargo metadata --no-deps --format-version 1 --locked |
    python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "vault"))')
when=$(git log -1 --format=%cD 2>/dev/null || date -R)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
maintainer=$(sed -n 's/^maintainer = "\(.*\)"$/\1/p' Cargo.toml)
cat >"$out/changelog" <<EOF
vault ($version-1) unstable; urgency=medium

  * Built from commit $commit.

 -- $maintainer  $when
EOF

deb=$out/vault_${version}-1_$(dpkg --print-architecture).deb
cargo deb --no-build --locked --output "$deb" >&2
echo "$deb"
