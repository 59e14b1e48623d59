#!/usr/bin/env bash
# Time per TAB of vault's tab completion with a 500-profile config and 100
# stored credentials, on this machine in one run, beside /bin/true started
# the same way: the completion row of issue 27's table (goal: at most 10 ms
# in every shell). Milliseconds are wall-clock means (a loaded machine slows
# every row alike); where valgrind is installed, the process rows also give
# the instructions one run executes (callgrind), which load does not change.
#
#   bash bench/complete.sh            # N=100 completions per case
#
# Cases:
#   /bin/true      the floor: starting any program from bash
#   process        `vault __complete` alone, as the glue runs it; "no cache"
#                  with VAULT_COMPLETE_CACHE=0 (the config parsed every TAB)
#   bash, zsh      the shell's completion function from `vault hook`, called
#                  as TAB calls it (zsh's _describe, which only a TAB at a
#                  terminal can run, stubbed out): "adds" is the time the
#                  shell adds to the process
#   fish           `complete -C`, which runs what TAB runs, fish's matching
#                  and descriptions included, the pager's drawing not
#
# Needs: a release build (built here), zsh and fish for their rows.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100}
# shellcheck source=bench/lib.sh
source bench/lib.sh

export HOME=$root/home AWS_VAULT_FILE_PASSPHRASE=bench-passphrase XDG_CACHE_HOME=$root/cache
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
# The cache is written for a config whose last change is two seconds old.
sleep 3
"$vault" __complete bash --line='vault exec ' --cur= >/dev/null

ms() { awk -v ns="$1" -v n="$N" 'BEGIN { printf "%.2f", ns / n / 1e6 }'; }
now() { date +%s%N; }
# Instructions of one run, in millions, when valgrind is installed.
instructions() {
    command -v valgrind >/dev/null || return 0
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        awk '/Collected :/ { printf "%.2f M", $NF / 1e6 }'
}
goal() { awk -v v="$1" 'BEGIN { print (v <= 10 ? "met" : "missed") }'; }
row() { printf '%-9s %-24s %10s %6s %13s %7s\n' "$@"; }

row shell line "ms per TAB" adds instructions "<=10ms"
s=$(now)
for _ in $(seq "$N"); do /bin/true; done
row /bin/true "" "$(ms $(($(now) - s)))" "" "$(instructions /bin/true)" ""
for line in 'vault ex' 'vault exec ' 'vault exec admin1'; do
    cur=${line##* }
    s=$(now)
    for _ in $(seq "$N"); do "$vault" __complete bash --line="$line" --cur="$cur" >/dev/null; done
    t=$(ms $(($(now) - s)))
    row process "$line" "$t" "" "$(instructions "$vault" __complete bash --line="$line" --cur="$cur")" \
        "$(goal "$t")"
done
s=$(now)
for _ in $(seq "$N"); do
    VAULT_COMPLETE_CACHE=0 "$vault" __complete bash --line='vault exec ' --cur= >/dev/null
done
row process "vault exec  (no cache)" "$(ms $(($(now) - s)))" "" \
    "$(VAULT_COMPLETE_CACHE=0 instructions "$vault" __complete bash --line='vault exec ' --cur=)" ""
# The process again, just before the shells, for what each adds.
s=$(now)
for _ in $(seq "$N"); do "$vault" __complete bash --line='vault exec ' --cur= >/dev/null; done
process=$(ms $(($(now) - s)))

# shell_row SHELL NS GOT: a shell's TAB, beside the process measured above.
shell_row() {
    [ "$3" = "$count" ] || {
        echo "$1 offered $3 names, not $count" >&2
        exit 1
    }
    local t
    t=$(ms "$2")
    row "$1" 'vault exec ' "$t" "$(awk -v a="$t" -v b="$process" 'BEGIN { printf "%.2f", a - b }')" \
        "" "$(goal "$t")"
}

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
shell_row bash "$ns" "$got"

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
    shell_row zsh "$ns" "$got"
fi

if command -v fish >/dev/null; then
    fish_run="'$vault' hook fish | source
set s (date +%s%N)
for i in (seq $N); set got (complete -C 'vault exec ' | count); end
echo (math (date +%s%N) - \$s) \$got"
    read -r ns got < <(fish --no-config --private -c "$fish_run")
    shell_row fish "$ns" "$got"
fi
echo "profiles offered for 'vault exec ': $count (500 in the config, 100 with stored keys)"
