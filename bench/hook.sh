#!/usr/bin/env bash
# Per-prompt cost of vault's shell hook against direnv's, in bash and zsh,
# on this machine in one run. Prints microseconds per prompt and the ratio.
#
#   bash bench/hook.sh            # N=300 prompts per case
#
# Cases:
#   idle prompt        the same directory again (what most prompts are)
#   cd, same profile   between two directories of one profile / two .envrc
#   cd in and out      into a trusted directory and back out (credentials
#                      come from vault's session cache; direnv loads .envrc)
#   cd in/out, agent   the same with the store unlocked by `vault unlock`
#   cd, $(/bin/true)   the floor: a cd whose hook only starts /bin/true
#
# Needs: a release build (built here), direnv, zsh, and the test venv with
# moto (bash tests/run.sh makes it) for the single STS call that fills the
# session cache before anything is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-300}

command -v direnv >/dev/null || { echo "bench/hook.sh: direnv is not installed" >&2; exit 1; }
command -v zsh >/dev/null || { echo "bench/hook.sh: zsh is not installed" >&2; exit 1; }
source bench/lib.sh

export HOME=$root/home XDG_DATA_HOME=$root/home/.local/share XDG_CONFIG_HOME=$root/home/.config
export AWS_VAULT_FILE_PASSPHRASE=bench-passphrase
mkdir -p "$HOME"/{a,b,none} "$HOME"/direnv/{a,b,none}
printf '[profile bench]\nregion = eu-west-1\n' >"$HOME/.config-aws"
export AWS_CONFIG_FILE=$HOME/.config-aws

# One real STS call (moto on loopback) so the session cache is warm.
start_moto
AWS_ACCESS_KEY_ID=AKIABENCHKEY000001 AWS_SECRET_ACCESS_KEY=bench-secret \
    "$vault" add --env --add-config=false bench >/dev/null
"$vault" export bench >/dev/null
for d in a b; do
    echo bench >"$HOME/$d/.awsprofile"
    "$vault" allow "$HOME/$d" 2>/dev/null
    echo 'export BENCH_VALUE=1' >"$HOME/direnv/$d/.envrc"
    direnv allow "$HOME/direnv/$d" 2>/dev/null
done

# run SHELL SETUP BODY: microseconds per BODY, timed inside the shell.
run() {
    local shell=$1 setup=$2 body=$3
    local pre='' flags=(--noprofile --norc)
    # bash's EPOCHREALTIME has 6 decimals and no float arithmetic; zsh's has
    # 9 decimals and floats.
    local elapsed="\$(( (\${e/./} - \${s/./}) / $N ))"
    if [ "$shell" = zsh ]; then
        pre='zmodload zsh/datetime;' flags=(--no-rcs)
        elapsed="\$(printf %.0f \$(( (e - s) * 1000000 / $N )))"
    fi
    "$shell" "${flags[@]}" -c "$pre $setup
        s=\$EPOCHREALTIME
        for i in \$(seq $N); do $body; done
        e=\$EPOCHREALTIME
        echo $elapsed" 2>/dev/null
}

# vault's time as a fraction of direnv's ("1/9"), or a multiple when slower ("1.7x").
ratio() {
    awk -v v="$1" -v d="$2" 'BEGIN {
        if (d <= 0) exit
        if (v > d) printf "%.1fx", v / d; else printf "1/%.0f", d / (v > 0 ? v : 1)
    }'
}

printf '%-5s %-18s %12s %12s %8s\n' shell case "vault (us)" "direnv (us)" ratio
for shell in bash zsh; do
    vhook="eval \"\$('$vault' hook $shell)\"; __vault_hook"
    dhook="eval \"\$(direnv hook $shell)\"; _direnv_hook"
    cases=(
        "idle prompt|cd $HOME/a; VH; |VH|cd $HOME/direnv/a; DH; |DH"
        "cd, same profile|cd $HOME/a; VH; |cd $HOME/b; VH; cd $HOME/a; VH|cd $HOME/direnv/a; DH; |cd $HOME/direnv/b; DH; cd $HOME/direnv/a; DH"
        "cd in and out|cd $HOME/none; VH; |cd $HOME/a; VH; cd $HOME/none; VH|cd $HOME/direnv/none; DH; |cd $HOME/direnv/a; DH; cd $HOME/direnv/none; DH"
    )
    for c in "${cases[@]}"; do
        IFS='|' read -r label vsetup vbody dsetup dbody <<<"$c"
        v=$(run "$shell" "$vhook; ${vsetup//VH/__vault_hook}" "${vbody//VH/__vault_hook}")
        d=$(run "$shell" "$dhook; ${dsetup//DH/_direnv_hook}" "${dbody//DH/_direnv_hook}")
        # The cd cases do two directory changes per iteration.
        case $label in cd*) v=$((v / 2)) d=$((d / 2)) ;; esac
        printf '%-5s %-18s %12s %12s %8s\n' "$shell" "$label" "$v" "$d" \
            "$(ratio "$v" "$d")"
    done
done

# The rows above read the store with the passphrase in the environment: one
# key derivation per item read (the release default for new items is 600000
# PBKDF2 iterations). With the agent (`vault unlock`), as a user of the hook
# reads it, the passphrase is asked once and the agent holds the items.
export XDG_RUNTIME_DIR=$root/run
mkdir -p "$XDG_RUNTIME_DIR"
"$vault" unlock --timeout 10m >/dev/null
unset AWS_VAULT_FILE_PASSPHRASE
for shell in bash zsh; do
    vhook="eval \"\$('$vault' hook $shell)\"; __vault_hook"
    dhook="eval \"\$(direnv hook $shell)\"; _direnv_hook"
    v=$(run "$shell" "$vhook; cd $HOME/none; __vault_hook" \
        "cd $HOME/a; __vault_hook; cd $HOME/none; __vault_hook")
    d=$(run "$shell" "$dhook; cd $HOME/direnv/none; _direnv_hook" \
        "cd $HOME/direnv/a; _direnv_hook; cd $HOME/direnv/none; _direnv_hook")
    v=$((v / 2)) d=$((d / 2))
    printf '%-5s %-18s %12s %12s %8s\n' "$shell" "cd in/out, agent" "$v" "$d" \
        "$(ratio "$v" "$d")"
done
# The floor for any hook that starts a process on cd, as vault's and direnv's
# do: the shell forks for the command substitution and execs /bin/true.
for shell in bash zsh; do
    f=$(run "$shell" "cd $HOME/none" \
        "cd $HOME/a; x=\$(/bin/true); cd $HOME/none; x=\$(/bin/true)")
    printf '%-5s %-18s %12s %12s %8s\n' "$shell" "cd, \$(/bin/true)" "$((f / 2))" "" ""
done
"$vault" lock >/dev/null
echo "STS calls during the whole run: $(sts_calls GetSessionToken) (all before timing)"
