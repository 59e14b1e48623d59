#!/usr/bin/env bash
# The ECS credential server under load and faults (issue 17): `vault exec
# --ecs-server` with 8-second credentials (renewed 4 s before expiry) serves wrk for
# DURATION seconds while moto, the STS, is killed and restarted on the same port:
# once for 3 s (the credentials outlive it) and once for 10 s (they do not). Checks
# that no credentials are served past expiry, no request without the token gets any,
# and the server answers again within a second of STS returning. Exits 1 on a
# failure; see server_faults.py for the details.
#
#   bash bench/reliability/server-faults.sh
#   DURATION=60 OUTAGES=5:3,15:10,35:20 bash bench/reliability/server-faults.sh
#
# Needs wrk and the test venv (tests/run.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-30}
OUTAGES=${OUTAGES:-4:3,12:10}
CONNECTIONS=${CONNECTIONS:-16}

command -v wrk >/dev/null || { echo "$0: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# shellcheck source=bench/lib.sh
. bench/lib.sh
start_moto
port=${AWS_ENDPOINT_URL##*:}
# Killed and restarted by server_faults.py: no "Killed" notice from this shell.
disown "$moto_pid"

home=$root/home
mkdir -p "$home/.aws"
printf '[profile home]\nregion = us-east-1\n\n[profile deploy]\nsource_profile = home\nrole_arn = %s\nregion = us-east-1\n' \
    arn:aws:iam::123456789012:role/deploy >"$home/.aws/config"
export HOME=$home AWS_VAULT_FILE_PASSPHRASE=server-faults VAULT_FILE_ITERATIONS=8192
AWS_ACCESS_KEY_ID=AKIASERVERFAULTS0001 AWS_SECRET_ACCESS_KEY=server-faults-secret \
    "$vault" add --env home

echo "ECS server under wrk for $DURATION s while STS stops and restarts (at:down s $OUTAGES), on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# A role assumed straight from the keys: moto gives each AssumeRole its own key id.
AWS_MIN_TTL=4s "$vault" exec --ecs-server --duration 8s deploy -- \
    "$venv/bin/python" bench/reliability/server_faults.py --moto-pid "$moto_pid" \
    --moto-port "$port" --python "$venv/bin/python" --root "$root" \
    --duration "$DURATION" --outages "$OUTAGES" --connections "$CONNECTIONS"
