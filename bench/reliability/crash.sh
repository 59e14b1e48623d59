#!/usr/bin/env bash
# Crash safety (issue 17): SIGKILL vault at random points while it writes, KILLS
# times per backend that writes files (file, pass), and check after each kill that
# every item is readable and holds its old or new value, the config file is whole
# and the trust records say what they said before or after. The commands killed:
# add and remove, add with a config edit, export caching a session, rotate (moto's
# IAM), allow and deny. Exits 1 if any check failed. See crash.py for the details.
#
#   bash bench/reliability/crash.sh              # 100 kills per backend
#   KILLS=300 SEED=7 bash bench/reliability/crash.sh
#
# Needs the test venv (tests/run.sh makes it), pass and gpg.
set -euo pipefail
cd "$(dirname "$0")/../.."
KILLS=${KILLS:-100}

# shellcheck source=bench/lib.sh
. bench/lib.sh
start_moto

start_gpg

echo "crash safety: SIGKILL at a random point of a writing command, $KILLS kills per backend"
status=0
for backend in file pass; do
    "$venv/bin/python" bench/reliability/crash.py --vault "$vault" --root "$root" \
        --backend "$backend" --kills "$KILLS" ${SEED:+--seed "$SEED"} || status=1
done
exit "$status"
