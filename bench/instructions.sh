#!/usr/bin/env bash
# Instructions executed (valgrind's callgrind) by the paths that run at every
# prompt and every TAB, for this build beside another one: a count does not
# drift with the machine's load as a time does, so two builds compare on a
# busy box.
#
#   bash bench/instructions.sh                     # this release build alone
#   BASE_BIN=/path/to/old/vault bash bench/instructions.sh
#
# Cases (500 profiles in the config and 100 stored keys, as bench/complete.sh):
#   __complete           `vault __complete bash --line='vault exec '`
#   hook-env, idle       a prompt in a folder with no .awsprofile and no state
#   hook-env, current    a prompt in a trusted profile's folder whose
#                        credentials the shell already holds
#
# Prints each case's total and the part spent in vault's own code (not the
# loader's or libc's). Needs: a release build (built here) and valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || {
    echo "bench/instructions.sh: valgrind is not installed" >&2
    exit 1
}
# shellcheck source=bench/lib.sh
source bench/lib.sh

# One HOME per build, made by that build.
setup() { # vault home
    local bin=$1 home=$2
    mkdir -p "$home/.aws" "$home/run" "$home/plain" "$home/proj"
    chmod 700 "$home/run"
    {
        for i in $(seq 1 250); do printf '[profile team%03d.prod]\nregion = eu-west-1\n' "$i"; done
        for i in $(seq 1 150); do
            printf '[profile admin%03d@corp]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = team%03d.prod\n' "$i" "$i"
        done
        for i in $(seq 1 100); do printf '[profile org/dev:%03d]\nregion = us-east-1\n' "$i"; done
        printf '[profile proc]\nregion = eu-west-1\ncredential_process = %s\n' "$home/creds.sh"
    } >"$home/.aws/config"
    printf '#!/bin/sh\necho '\''{"Version":1,"AccessKeyId":"AKIABENCHPROC000001","SecretAccessKey":"bench-proc-secret","SessionToken":"bench-token","Expiration":"2999-01-01T00:00:00Z"}'\''\n' >"$home/creds.sh"
    chmod +x "$home/creds.sh"
    for i in $(seq 1 100); do
        in_home "$home" env AWS_ACCESS_KEY_ID=AKIABENCHKEY000001 AWS_SECRET_ACCESS_KEY=bench-secret \
            "$bin" add --env --add-config=false "$(printf 'team%03d.prod' "$i")" >/dev/null
    done
    echo proc >"$home/proj/.awsprofile"
    (cd "$home/proj" && in_home "$home" "$bin" allow >/dev/null 2>&1)
}

in_home() { # home command...
    local home=$1
    shift
    HOME=$home XDG_DATA_HOME=$home/.local/share XDG_RUNTIME_DIR=$home/run \
        AWS_CONFIG_FILE=$home/.aws/config AWS_VAULT_FILE_PASSPHRASE=bench-passphrase \
        __VAULT_SHELL=bash __VAULT_PID=$$ "$@"
}

# Instructions of one run of `bin args...` in `dir`.
count() { # home dir command...
    local home=$1 dir=$2
    shift 2
    (cd "$dir" && in_home "$home" valgrind --tool=callgrind --callgrind-out-file="$root/cg.out" \
        "$@" >"$root/out" 2>"$root/vg.err") || {
        cat "$root/vg.err" >&2
        exit 1
    }
    # The total, and the part in vault's own code: the rest is the loader and
    # libc, among them glibc reading /proc/self/maps for the main thread's
    # stack, whose length under valgrind follows valgrind's own mappings.
    own=$(callgrind_annotate --inclusive=no --threshold=100 "$root/cg.out" |
        awk -v bin="[$bin]" 'index($0, bin) { gsub(",", "", $1); s += $1 } END { print s + 0 }')
    echo "$(awk '/^summary:/ { print $2; exit }' "$root/cg.out") $own"
}

measure() { # bin home: prints three counts
    local bin=$1 home=$2 first exports state
    setup "$bin" "$home"
    count "$home" "$home/plain" "$bin" __complete bash '--line=vault exec ' --cur=
    count "$home" "$home/plain" "$bin" hook-env bash
    # The shell as its first prompt in proj left it: the exports applied and
    # the state handed back, so the next prompt has nothing to do.
    first=$(cd "$home/proj" && in_home "$home" "$bin" hook-env bash 2>/dev/null)
    exports=$(printf "%s\n" "$first" | grep "^export " || true)
    state=$(printf '%s\n' "$first" | sed -n 's/^__vault_state=//p' | tr -d "'")
    [ -n "$state" ] || {
        echo "no state after the first prompt in proj: $first" >&2
        exit 1
    }
    (
        eval "$exports"
        export __VAULT_STATE=$state
        count "$home" "$home/proj" "$bin" hook-env bash
    )
    [ ! -s "$root/out" ] || {
        echo "the current prompt printed: $(head -c 200 "$root/out")" >&2
        exit 1
    }
}

mapfile -t this < <(measure "$vault" "$root/this")
[ "${#this[@]}" = 3 ] || {
    echo "bench/instructions.sh: measuring $vault failed" >&2
    exit 1
}
cases=("__complete 'vault exec '" "hook-env, idle" "hook-env, current")
change() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f%%", (b - a) * 100 / a }'; }
if [ -n "${BASE_BIN:-}" ]; then
    mapfile -t base < <(measure "$BASE_BIN" "$root/base")
    [ "${#base[@]}" = 3 ] || {
        echo "bench/instructions.sh: measuring $BASE_BIN failed" >&2
        exit 1
    }
    printf '%-26s %11s %11s %8s   %11s %11s %8s\n' case "base" this change "base own" "this own" change
    for i in 0 1 2; do
        read -r bt bo <<<"${base[$i]}"
        read -r tt to <<<"${this[$i]}"
        printf '%-26s %11s %11s %8s   %11s %11s %8s\n' "${cases[$i]}" "$bt" "$tt" "$(change "$bt" "$tt")" \
            "$bo" "$to" "$(change "$bo" "$to")"
    done
else
    printf '%-26s %11s %11s\n' case total "vault's own"
    for i in 0 1 2; do
        read -r tt to <<<"${this[$i]}"
        printf '%-26s %11s %11s\n' "${cases[$i]}" "$tt" "$to"
    done
fi
