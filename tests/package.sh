#!/usr/bin/env bash
# The Debian package, end to end, on this machine (CI runs it as root after
# tests/run.sh): builds it with packaging/deb.sh, checks it with lintian,
# installs it with dpkg -i, checks what a user gets (`vault --version`,
# `man vault`, TAB in a fresh `bash -i`, zsh's and fish's completion
# folders), then removes it with dpkg -r and checks every file it installed
# is gone. It refuses to run where a `vault` package is installed already.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
    echo "tests/package.sh: FAIL: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || fail "needs root (it installs the package with dpkg -i); run it as root, as CI does"
if dpkg-query -W -f='${db:Status-Status}' vault 2>/dev/null | grep -qx installed; then
    fail "a vault package is installed already; remove it (dpkg -r vault) first"
fi

# lintian checks the package, man-db answers `man -w`, bash-completion
# loads the installed completion file at the first TAB, as on a desktop.
debs=(dpkg-dev lintian man-db bash-completion tmux zsh fish)
missing=()
for deb in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'ok installed' || missing+=("$deb")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "tests/package.sh: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! cargo deb --version >/dev/null 2>&1; then
    echo "tests/package.sh: installing cargo-deb" >&2
    cargo install --locked --quiet cargo-deb --version '^3'
fi

start=$SECONDS
deb=$(bash packaging/deb.sh | tail -1)
echo "tests/package.sh: built $deb in $((SECONDS - start)) s (release build, man page, completions, cargo deb)"

# The files the package ships, where Debian's tools look for them.
listing=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for want in /usr/bin/vault /usr/share/man/man1/vault.1.gz \
    /usr/share/bash-completion/completions/vault /usr/share/zsh/vendor-completions/_vault \
    /usr/share/fish/vendor_completions.d/vault.fish /usr/share/doc/vault/README.md \
    /usr/share/doc/vault/copyright /usr/share/doc/vault/changelog.Debian.gz; do
    grep -qx -- "$want" <<<"$listing" || fail "$want is not in the package:"$'\n'"$listing"
done
fields=$(dpkg-deb -f "$deb" Depends Suggests)
grep -q '^Depends: .*libc6 (>= ' <<<"$fields" || fail "Depends has no versioned libc6 (dpkg-shlibdeps): $fields"
grep -qx 'Suggests: keyutils, pass, gnome-keyring' <<<"$fields" || fail "Suggests: $fields"

# lintian: no error; each warning it gives is one the README lists (section
# "Install from a package") with the reason it is kept.
report=$(lintian --fail-on none --tag-display-limit 0 "$deb" 2>&1) || fail "lintian did not run: $report"
while IFS= read -r line; do echo "    lintian: $line" >&2; done <<<"$report"
if grep -q '^E: ' <<<"$report"; then
    fail "lintian reports errors (above)"
fi
readme=$(sed -n '/^### Install from a package/,/^## /p' README.md)
while read -r tag; do
    [ -n "$tag" ] || continue
    grep -qF -- "\`$tag\`" <<<"$readme" || fail "lintian warning $tag is not listed in README.md (Install from a package)"
done < <(sed -n 's/^W: [^ ]*: \([^ ]*\).*/\1/p' <<<"$report" | sort -u)

installed=0
cleanup() {
    if [ "$installed" = 1 ]; then
        dpkg -r vault >/dev/null 2>&1 || true
    fi
    if [ -n "${sock:-}" ]; then
        tmux -S "$sock" kill-server 2>/dev/null || true
    fi
    rm -rf "${home:-}"
}
trap cleanup EXIT

dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb failed"
installed=1
files=$(dpkg -L vault)

[ "$(command -v vault)" = /usr/bin/vault ] || fail "PATH finds $(command -v vault), not /usr/bin/vault"
version=$(vault --version) || fail "vault --version failed"
want=$(dpkg-deb -f "$deb" Version)
[ "$version" = "vault ${want%-*}" ] || fail "vault --version says \"$version\"; the package is $want"

page=$(man -w vault) || fail "man -w vault found no page"
[ "$page" = /usr/share/man/man1/vault.1.gz ] || fail "man -w vault: $page"
MANWIDTH=100 man vault 2>/dev/null | grep -q 'vault exec' || fail "man vault does not show the exec command"

# A fresh interactive bash as a new Debian user has it (/etc/skel/.bashrc
# loads bash-completion), in tmux: no hook, no `vault completions`.
home=$(mktemp -d)
sock=$home/tmux.sock
cp /etc/skel/.bashrc "$home/.bashrc"
echo "PS1='[p]'" >>"$home/.bashrc"
screen() { tmux -S "$sock" capture-pane -p; }
wait_for() {
    local i
    for ((i = 0; i < 600; i++)); do
        grep -qF -- "$1" <<<"$(screen)" && return 0
        sleep 0.1
    done
    fail "never saw \"$1\" in bash:"$'\n'"$(screen)"
}
tmux -S "$sock" new-session -d -x 200 -y 50 \
    "env -i HOME='$home' PATH=/usr/bin:/bin TERM=xterm LANG=C.UTF-8 bash -i"
wait_for '[p]'
# The completion bash-completion loaded is the file's (its own function name).
tmux -S "$sock" send-keys -t 0 -l 'complete -p vault'
tmux -S "$sock" send-keys -t 0 Enter
wait_for 'no completion specification'
tmux -S "$sock" send-keys -t 0 -l 'vault ex'
tmux -S "$sock" send-keys -t 0 Tab Tab
wait_for exec
wait_for export
tmux -S "$sock" send-keys -t 0 C-c
tmux -S "$sock" send-keys -t 0 -l 'complete -p vault'
tmux -S "$sock" send-keys -t 0 Enter
wait_for 'complete -F __vault_complete_file vault'
tmux -S "$sock" kill-server
sock=

# zsh's compinit and fish find the files in their vendor folders unaided.
# shellcheck disable=SC2016 # zsh expands it
got=$(cd "$home" && env -i HOME="$home" PATH=/usr/bin:/bin zsh --no-rcs -c \
    'autoload -U compinit; compinit -u -D; print -r -- $_comps[vault]; whence -v _vault')
grep -q '^_vault' <<<"$got" || fail "zsh's compinit does not complete vault with _vault: $got"
grep -q 'from /usr/share/zsh/vendor-completions/_vault$' <<<"$got" || fail "zsh's _vault is not the installed one: $got"
got=$(cd "$home" && env -i HOME="$home" PATH=/usr/bin:/bin fish -c 'complete -C "vault ex"')
[ "$(cut -f1 <<<"$got" | tr '\n' ' ')" = "exec export " ] || fail "fish completes \"vault ex\" with: $got"

dpkg -r vault >/dev/null || fail "dpkg -r vault failed"
installed=0
while read -r f; do
    [ -n "$f" ] || continue
    # Folders other packages share stay; anything of vault's alone goes.
    if [ -d "$f" ] && [ ! -L "$f" ]; then
        [ -n "$(dpkg -S "$f" 2>/dev/null)" ] || [ ! -e "$f" ] || fail "$f is left after dpkg -r"
    elif [ -e "$f" ] || [ -L "$f" ]; then
        fail "$f is left after dpkg -r"
    fi
done <<<"$files"
status=$(dpkg-query -W -f='${db:Status-Status}' vault 2>/dev/null || true)
[ -z "$status" ] || [ "$status" = not-installed ] || fail "dpkg still lists vault as $status"
echo "tests/package.sh: ok ($(wc -l <<<"$files") paths installed and removed; $((SECONDS - start)) s in all)"
