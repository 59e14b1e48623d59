#!/usr/bin/env bash
# IAM Identity Center profiles: warm `vault export --format json` of an SSO profile
# against a key profile (both from the session cache), the OIDC and portal calls
# 16 parallel cold `credential_process` runs make (one sign-in expected), and
# `vault sso populate` of 200 accounts x 3 roles (the fake pages two items at a
# time, as the real portal pages): its time and portal calls, first and second run.
#
#   bash bench/sso.sh             # N=200 runs per timing
#
# Needs: a release build (built here), hyperfine, and the test venv (bash tests/run.sh
# makes it). STS is moto and IAM Identity Center the fake tests/support/sso_peer.py,
# both on 127.0.0.1; the "browser" is a script that approves by fetching the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}

command -v hyperfine >/dev/null || { echo "bench/sso.sh: hyperfine is not installed" >&2; exit 1; }
source bench/lib.sh

export HOME=$root/home AWS_VAULT_FILE_PASSPHRASE=bench-passphrase
mkdir -p "$HOME"
export AWS_CONFIG_FILE=$HOME/config
cat >"$AWS_CONFIG_FILE" <<'INI'
[profile keys]
region = eu-west-1
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Dev
region = eu-west-1
INI

# 200 accounts with 3 roles each; the first is the one the sso profile uses.
"$venv/bin/python" - "$root/assignments.json" <<'PY'
import json, sys
ids = ["111122223333"] + ["%012d" % (500000000000 + i) for i in range(199)]
accounts = [{"accountId": a, "accountName": "team %d (bench)" % i, "emailAddress": "b@example.com"}
            for i, a in enumerate(ids)]
roles = [{"accountId": a, "roleName": r} for a in ids for r in ("Dev", "ReadOnly", "Admin")]
json.dump({"accounts": accounts, "roles": roles}, open(sys.argv[1], "w"))
PY

start_moto
"$venv/bin/python" tests/support/sso_peer.py --log "$root/sso.log" --ready "$root/sso-ready" \
    --assignments "$root/assignments.json" --parent-pid $$ >"$root/sso.out" 2>&1 &
for _ in $(seq 200); do [ -s "$root/sso-ready" ] && break; sleep 0.05; done
[ -s "$root/sso-ready" ] || { echo "sso_peer.py did not start: $(tail -3 "$root/sso.out")" >&2; exit 1; }
AWS_ENDPOINT_URL_SSO=http://127.0.0.1:$(cat "$root/sso-ready")
AWS_ENDPOINT_URL_SSO_OIDC=$AWS_ENDPOINT_URL_SSO
export AWS_ENDPOINT_URL_SSO AWS_ENDPOINT_URL_SSO_OIDC
# shellcheck disable=SC2016 # $1 is for the browser script, not this one
printf '#!/bin/sh\nexec %q -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()" "$1"\n' \
    "$venv/bin/python" >"$root/browser"
chmod +x "$root/browser"
export BROWSER=$root/browser

AWS_ACCESS_KEY_ID=AKIABENCHKEY000001 AWS_SECRET_ACCESS_KEY=bench-secret \
    "$vault" add --env --add-config=false keys >/dev/null

calls() { grep -c "\"op\": \"$1\"" "$root/sso.log" || true; }

echo "== 16 parallel cold 'vault export --format=json sso' (browser sign-in)"
pids=()
for _ in $(seq 16); do
    "$vault" export --format=json sso >/dev/null 2>&1 &
    pids+=($!)
done
wait "${pids[@]}"
echo "RegisterClient $(calls RegisterClient), authorize $(calls Authorize)," \
    "StartDeviceAuthorization $(calls StartDeviceAuthorization), CreateToken $(calls CreateToken)," \
    "GetRoleCredentials $(calls GetRoleCredentials)"

echo "== warm 'vault export --format json': SSO profile vs key profile (hyperfine, $N runs)"
"$vault" export --format json keys >/dev/null # fills the cache
hyperfine --warmup 10 --runs "$N" --shell=none --style basic --export-json "$root/sso.json" \
    "$vault export --format json keys" "$vault export --format json sso" 2>&1 | grep -E 'Time|±|Benchmark'
"$venv/bin/python" - "$root/sso.json" <<'PY'
import json, sys
r = [sorted(x["times"]) for x in json.load(open(sys.argv[1]))["results"]]
med = lambda t: t[len(t) // 2] * 1000
keys, sso = (med(t) for t in r)
print(f"median: key profile {keys:.2f} ms, SSO profile {sso:.2f} ms ({sso - keys:+.2f} ms)")
PY

echo "== 'vault sso populate': 200 accounts x 3 roles, two items a page (signed in already)"
populate() {
    local accounts roles start end
    accounts=$(calls ListAccounts)
    roles=$(calls ListAccountRoles)
    start=$(date +%s%N)
    "$vault" sso populate >"$root/populate.out"
    end=$(date +%s%N)
    echo "$1: $(((end - start) / 1000000)) ms;" \
        "ListAccounts $(($(calls ListAccounts) - accounts)), ListAccountRoles $(($(calls ListAccountRoles) - roles));" \
        "$(tail -1 "$root/populate.out" | sed 's/^[^:]*: //')"
}
populate "first run"
cp "$AWS_CONFIG_FILE" "$root/config.first"
populate "second run"
if cmp -s "$AWS_CONFIG_FILE" "$root/config.first"; then
    echo "second run: the config is byte-identical"
else
    echo "second run changed the config" >&2
    exit 1
fi
