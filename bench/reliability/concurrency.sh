#!/usr/bin/env bash
# Concurrency (issue 17): per backend (file, keyctl, secret-service, pass), WORKERS
# vault processes at once, each exporting the same profile (a cold session cache),
# adding its own profile (with the config edit), reading it back and removing every
# other one; then a refresh lock left by a SIGKILLed vault. Checks: no lost or corrupt
# item, no lost config section, at most one GetSessionToken for the shared profile
# (counted on moto), the stale lock does not block. Exits 1 if any check failed; see
# concurrency.py for the details.
#
#   bash bench/reliability/concurrency.sh
#   WORKERS=64 ROUNDS=3 BACKENDS="file pass" bash bench/reliability/concurrency.sh
#
# Needs the test venv (tests/run.sh makes it), keyutils, dbus, gnome-keyring, pass, gpg.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKERS=${WORKERS:-32}
ROUNDS=${ROUNDS:-1}
BACKENDS=${BACKENDS:-file keyctl secret-service pass}

# shellcheck source=bench/lib.sh
. bench/lib.sh
start_moto
export MOTO_LOG=$root/moto.log

start_gpg

driver=(bench/reliability/concurrency.py --vault "$vault" --root "$root"
    --workers "$WORKERS" --rounds "$ROUNDS")
echo "concurrency: $WORKERS processes at once per round, $ROUNDS round(s) per backend"
status=0
for backend in $BACKENDS; do
    case $backend in
    keyctl)
        # A throwaway session keyring, gone with the command.
        keyctl session - "$venv/bin/python" "${driver[@]}" --backend keyctl || status=1
        ;;
    secret-service)
        # gnome-keyring on a private D-Bus, with an unlocked awsvault collection in
        # this HOME (creating one would need a GUI prompt).
        home=$root/secret-service
        mkdir -p "$home/.local/share/keyrings"
        printf '[keyring]\ndisplay-name=awsvault\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n' \
            >"$home/.local/share/keyrings/awsvault.keyring"
        # shellcheck disable=SC2016 # expanded by the inner sh
        HOME=$home dbus-run-session -- sh -c '
            printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
            i=0
            until dbus-send --session --print-reply --dest=org.freedesktop.DBus \
                /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
                string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
                i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.05
            done
            exec "$@"' sh "$venv/bin/python" "${driver[@]}" --backend secret-service || status=1
        ;;
    *)
        "$venv/bin/python" "${driver[@]}" --backend "$backend" || status=1
        ;;
    esac
done
exit "$status"
