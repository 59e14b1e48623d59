#!/usr/bin/env bash
# Keyless shells (`vault hook --mode server`) against `vault exec
# --ecs-server`, on this machine in one run:
#
#   cd into a trusted directory   `vault hook-env` in keys mode and in server
#                                 mode (which also asks the agent for a token)
#   first request                 one `curl` process, one new connection, one
#                                 GET of the credentials (hyperfine, mean)
#   warm requests                 wrk on one keep-alive connection (p50, p99)
#                                 and on 16 (requests/s)
#
# Both servers hand out the same cached session (one real STS call to moto
# fills the cache first), so what differs is the server: the agent's
# endpoint looks the token up among every shell's and checks the caller's
# uid (one netlink sock_diag lookup); exec's compares one token.
#
#   bash bench/keyless.sh                 # N=200 runs, 5 s of wrk
#   N=50 DURATION=2s bash bench/keyless.sh
#
# Needs: hyperfine, wrk, curl, and the test venv with moto (bash tests/run.sh
# makes it). The passphrase comes from the environment and new items use
# 8192 PBKDF2 rounds, so no key derivation cost hides what is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}
DURATION=${DURATION:-5s}
for tool in hyperfine wrk curl; do
    command -v "$tool" >/dev/null || { echo "bench/keyless.sh: $tool is not installed" >&2; exit 1; }
done
source bench/lib.sh

export HOME=$root/home XDG_DATA_HOME=$root/home/.local/share XDG_RUNTIME_DIR=$root/run
export AWS_VAULT_FILE_PASSPHRASE=bench-passphrase VAULT_FILE_ITERATIONS=8192
mkdir -p "$HOME/proj" "$XDG_RUNTIME_DIR"
printf '[profile bench]\nregion = eu-west-1\n' >"$root/config"
export AWS_CONFIG_FILE=$root/config
start_moto
AWS_ACCESS_KEY_ID=AKIABENCHKEY000001 AWS_SECRET_ACCESS_KEY=bench-secret \
    "$vault" add --env --add-config=false bench >/dev/null
"$vault" export bench >/dev/null
echo bench >"$HOME/proj/.awsprofile"
"$vault" allow "$HOME/proj" 2>/dev/null

"$vault" agent 2>/dev/null &
agent_pid=$!
trap 'kill "$agent_pid" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 200); do [ -S "$XDG_RUNTIME_DIR/vault/agent.sock" ] && break; sleep 0.05; done

cd "$HOME/proj"
hook_env() { __VAULT_SHELL=bash __VAULT_MODE=$1 PWD=$HOME/proj "$vault" hook-env bash; }
# A keyless shell's URI and token, as the hook exports them.
eval "$(hook_env server | grep '^export AWS_CONTAINER')"
agent_uri=$AWS_CONTAINER_CREDENTIALS_FULL_URI agent_token=$AWS_CONTAINER_AUTHORIZATION_TOKEN
unset AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN

# One server's figures; $1 names it, $2 and $3 are its URI and token.
measure() {
    local name=$1 uri=$2 token=$3
    hyperfine -N --runs "$N" --warmup 5 --export-json "$root/first-$name.json" \
        -n "$name" "curl -sf -o /dev/null -H 'Authorization: $token' $uri" >/dev/null
    local one many
    one=$(wrk --latency -t 1 -c 1 -d "$DURATION" -H "Authorization: $token" "$uri/")
    many=$(wrk -t 2 -c 16 -d "$DURATION" -H "Authorization: $token" "$uri/")
    if grep -q 'Non-2xx' <<<"$one$many"; then
        echo "bench/keyless.sh: $name answered something other than 200" >&2
        exit 1
    fi
    printf '  %-16s first request %s   warm p50 %s  p99 %s   %s req/s (16 connections)\n' "$name" \
        "$(mean_ms "$root/first-$name.json" | cut -d= -f2)" \
        "$(awk '$1 == "50%" {print $2}' <<<"$one")" "$(awk '$1 == "99%" {print $2}' <<<"$one")" \
        "$(awk '/^Requests\/sec:/ {print $2}' <<<"$many")"
}

mean_ms() { "$venv/bin/python" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join("%s=%.2fms" % (x["command"], x["mean"]*1000) for x in r))' "$1"; }

echo "GET / of the credentials ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); first request: one curl process, mean of $N; warm: wrk $DURATION)"
measure agent "$agent_uri" "$agent_token"
export -f measure mean_ms
export N DURATION root venv
# shellcheck disable=SC2016 # expanded by the inner bash, with exec's values
"$vault" exec --ecs-server bench -- bash -c \
    'measure "exec --ecs-server" "$AWS_CONTAINER_CREDENTIALS_FULL_URI" "$AWS_CONTAINER_AUTHORIZATION_TOKEN"'

# Last: each run with a fresh state asks for a new token, and the tokens
# pile up (the agent compares each request's token with every live one).
echo "cd into a trusted directory (vault hook-env, mean of $N)"
export __VAULT_SHELL=bash
hyperfine -N --runs "$N" --warmup 5 --export-json "$root/cd.json" \
    -n keys "env __VAULT_MODE=keys $vault hook-env bash" \
    -n server "env __VAULT_MODE=server $vault hook-env bash" >/dev/null
echo "  $(mean_ms "$root/cd.json")"
