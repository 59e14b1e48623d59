#!/usr/bin/env bash
# Time per TAB of vault's tab completion with a 500-profile config and 100
# stored credentials, on this machine in one run. Prints milliseconds per
# completion (the target is under 50 ms).
#
#   bash bench/complete.sh            # N=100 completions per case
#
# Cases:
#   process        `vault __complete` alone, as the glue runs it
#   bash, zsh      the shell's completion function from `vault hook`, called
#                  as TAB calls it (zsh's list display stubbed out)
#   fish           `complete -C`, which runs what TAB runs
#
# Needs: a release build (built here), zsh and fish for their rows.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100}
# shellcheck source=bench/lib.sh
source bench/lib.sh

export HOME=$root/home AWS_VAULT_FILE_PASSPHRASE=bench-passphrase
export AWS_CONFIG_FILE=$HOME/.aws/config
mkdir -p "$HOME/.aws"
{
    for i in $(seq 1 250); do printf '[profile team%03d.prod]\nregion = eu-west-1\n' "$i"; done
    for i in $(seq 1 150); do
        printf '[profile admin%03d@corp]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = team%03d.prod\n' "$i" "$i"
    done
    for i in $(seq 1 100); do printf '[profile org/dev:%03d]\nregion = us-east-1\n' "$i"; done
} >"$AWS_CONFIG_FILE"
for i in $(seq 1 100); do
    AWS_ACCESS_KEY_ID=AKIABENCHKEY000001 AWS_SECRET_ACCESS_KEY=bench-secret \
        "$vault" add --env --add-config=false "$(printf 'team%03d.prod' "$i")" >/dev/null
done
count=$("$vault" __complete bash --line='vault exec ' --cur= | wc -l)

ms() { awk -v ns="$1" -v n="$N" 'BEGIN { printf "%.1f", ns / n / 1e6 }'; }
now() { date +%s%N; }

printf '%-8s %-26s %10s\n' shell line "ms per TAB"
for line in 'vault ex' 'vault exec ' 'vault exec admin1'; do
    cur=${line##* }
    s=$(now)
    for _ in $(seq "$N"); do "$vault" __complete bash --line="$line" --cur="$cur" >/dev/null; done
    printf '%-8s %-26s %10s\n' process "$line" "$(ms $(($(now) - s)))"
done

bash_run=$(
    cat <<EOF
eval "\$('$vault' hook bash)"
COMP_LINE='vault exec '; COMP_POINT=\${#COMP_LINE}
s=\$(date +%s%N)
for _ in \$(seq $N); do __vault_complete vault '' exec; done
echo \$((\$(date +%s%N) - s)) \${#COMPREPLY[@]}
EOF
)
read -r ns got < <(bash --noprofile --norc -c "$bash_run")
[ "$got" = "$count" ] || { echo "bash offered $got names, not $count" >&2; exit 1; }
printf '%-8s %-26s %10s\n' bash 'vault exec ' "$(ms "$ns")"

if command -v zsh >/dev/null; then
    zsh_run=$(
        cat <<EOF
eval "\$('$vault' hook zsh)"
_describe() { got=\${#\${(P)2}}; }
words=(vault exec ''); CURRENT=3
s=\$(date +%s%N)
for _ in {1..$N}; do __vault_complete; done
echo \$((\$(date +%s%N) - s)) \$got
EOF
    )
    read -r ns got < <(zsh --no-rcs -c "$zsh_run")
    [ "$got" = "$count" ] || { echo "zsh offered $got names, not $count" >&2; exit 1; }
    printf '%-8s %-26s %10s\n' zsh 'vault exec ' "$(ms "$ns")"
fi

if command -v fish >/dev/null; then
    fish_run="'$vault' hook fish | source
set s (date +%s%N)
for i in (seq $N); set got (complete -C 'vault exec ' | count); end
echo (math (date +%s%N) - \$s) \$got"
    read -r ns got < <(fish --no-config --private -c "$fish_run")
    [ "$got" = "$count" ] || { echo "fish offered $got names, not $count" >&2; exit 1; }
    printf '%-8s %-26s %10s\n' fish 'vault exec ' "$(ms "$ns")"
fi
echo "profiles offered for 'vault exec ': $count (500 in the config, 100 with stored keys)"
