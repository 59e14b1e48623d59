#!/usr/bin/env bash
# Throughput and latency of the ECS credential server's `GET /` with cached
# credentials, on loopback, measured with wrk. Prints requests/s and the
# p50/p99 latency, and fails if any response was not a 200.
#
#   bash bench/server.sh                  # 5 s, 16 connections, 2 threads
#   DURATION=10s CONNECTIONS=64 THREADS=2 bash bench/server.sh
#   VAULT_BIN=/path/to/vault bash bench/server.sh   # a given build
#
# The credentials come from a credential_process printing fixed temporary
# credentials valid for a day, so nothing calls STS: what is measured is the
# server (auth check, cache read, response) and nothing else. wrk runs as
# the command of `vault exec --ecs-server`, so it reads the URL and token
# from the environment the server gives it, as an SDK would.
#
# Needs: wrk (Debian's wrk package) and a release build (built here unless
# VAULT_BIN names one).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}

command -v wrk >/dev/null || { echo "bench/server.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# The release build (or $VAULT_BIN) and a scratch $root, removed on exit.
source bench/lib.sh
mkdir -p "$root/.aws"
expires=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
cat >"$root/creds.sh" <<EOF
#!/bin/sh
printf '{"Version":1,"AccessKeyId":"ASIABENCHMARK0000001","SecretAccessKey":"bench-secret","SessionToken":"bench-token","Expiration":"$expires"}'
EOF
chmod +x "$root/creds.sh"
printf '[profile bench]\ncredential_process = %s\nregion = us-east-1\n' "$root/creds.sh" >"$root/.aws/config"

# The header goes through wrk's -H; the token never reaches argv of this
# script's caller, only wrk's own (a benchmark's throwaway token).
# shellcheck disable=SC2016 # the inner sh expands them, with the server's values
out=$(env -i PATH="$PATH" HOME="$root" AWS_VAULT_FILE_PASSPHRASE=bench \
    AWS_VAULT_FILE_DIR="$root/keys" \
    "$vault" exec --ecs-server bench -- sh -c \
    'exec wrk --latency -t "$0" -c "$1" -d "$2" -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI/"' \
    "$THREADS" "$CONNECTIONS" "$DURATION")

if grep -q 'Non-2xx' <<<"$out"; then
    echo "$out" >&2
    echo "bench/server.sh: some responses were not 200" >&2
    exit 1
fi
rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
total=$(awk '/requests in/ {print $1}' <<<"$out")
errors=$(awk '/Socket errors/ {print}' <<<"$out")
echo "GET / (ECS server, cached credentials), wrk -t $THREADS -c $CONNECTIONS -d $DURATION on $(nproc) cores"
echo "  requests:     $total"
echo "  requests/s:   $rps"
echo "  latency p50:  $p50"
echo "  latency p99:  $p99"
[ -n "$errors" ] && echo "  $errors"
exit 0
