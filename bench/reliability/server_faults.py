#!/usr/bin/env python3
"""The ECS credential server under load while STS goes away and comes back.

Usage (as the command of `vault exec --ecs-server --duration 8s PROFILE --`):
  server_faults.py --moto-pid PID --moto-port PORT --python PY --root DIR
                   [--duration 30] [--outages 4:3,12:10]

Runs from bench/reliability/server-faults.sh. It reads the server's URL and token from
the environment vault gives it, as an SDK would, and for --duration seconds runs:

- wrk with the token (the load), and a second wrk with a wrong token, both counting in
  a Lua script the answers by status and the 200s whose credentials had expired;
- a probe every 20 ms with the token, noting when the credentials it got expire and
  their key id, and alternately one without a token and one with a wrong token;
- the outages: at START seconds moto is killed and, DOWN seconds later, started again
  on the same port (--outages START:DOWN,...).

The credentials last 8 s and are renewed 4 s before expiry (AWS_MIN_TTL=4s), so
renewals fall inside the outages and a long outage outlives the credentials.

Checks: no 200 carries credentials past their expiry (the probe parses each body as JSON
and compares with the time it sent the request, to the millisecond; wrk to the second,
and any 200 whose Expiration it cannot read fails the run); no request without the right
token gets credentials; after each outage the first fresh credentials come within a
second of moto listening again; the probe ran to the end, at least 10 probes a second,
and every 200 it got was credential JSON. Prints the figures; exit status 1 on a failure.
"""

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; expired = 0; unread = 0; denied = 0; failed = 0 end
function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    -- Any JSON spacing; an answer whose expiry cannot be read is counted, and
    -- server_faults.py fails on any, so a new layout cannot skip the check.
    local y, mo, d, h, mi, s = body:match(
      '"Expiration"%s*:%s*"(%d%d%d%d)-(%d%d)-(%d%d)T(%d%d):(%d%d):(%d%d)')
    if y then
      local exp = os.time{year = y, month = mo, day = d, hour = h, min = mi, sec = s}
      if exp < os.time() then expired = expired + 1 end
    else
      unread = unread + 1
    end
  elseif status == 401 or status == 403 then
    denied = denied + 1
  else
    failed = failed + 1
  end
end
function done(summary, latency, requests)
  local t = {ok = 0, expired = 0, unread = 0, denied = 0, failed = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format('WRK {"ok": %d, "expired": %d, "unread": %d, "denied": %d, ' ..
    '"failed": %d, "socket_errors": %d, "requests": %d, "p99_us": %d}\n', t.ok, t.expired,
    t.unread, t.denied, t.failed, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.requests, latency:percentile(99)))
end
"""


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class Probe:
    def __init__(self, url, token):
        self.url, self.token = url, token
        self.log = []  # (sent, status, key id or None, expires or None, received)
        self.unauthorized = {"sent": 0, "answered_with_credentials": 0}
        self.bad_bodies = []  # 200 answers that are not credential JSON
        self.error = None  # what ended the probe early, if anything did
        self.stop = False

    def get(self, token):
        req = urllib.request.Request(self.url)
        if token is not None:
            req.add_header("Authorization", token)
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
        except OSError:
            return 0, b""

    def run(self):
        try:
            self.probe()
        except Exception as e:  # noqa: BLE001 -- the main thread reports it as a failure
            self.error = f"{type(e).__name__}: {e}"

    def probe(self):
        n = 0
        while not self.stop:
            sent = time.time()
            status, body = self.get(self.token)
            key = expires = None
            if status == 200:
                try:
                    data = json.loads(body)
                    key, expires = data["AccessKeyId"], parse_time(data["Expiration"])
                except (ValueError, KeyError, TypeError, AttributeError) as e:
                    self.bad_bodies.append(f"{type(e).__name__} in {len(body)} bytes")
                    status = -1  # not an HTTP status: a 200 whose body was no JSON
            self.log.append((sent, status, key, expires, time.time()))
            n += 1
            bad = None if n % 2 else "Bearer wrong" + self.token[:4]
            status, body = self.get(bad)
            self.unauthorized["sent"] += 1
            if status == 200 or b"AccessKeyId" in body:
                self.unauthorized["answered_with_credentials"] += 1
            time.sleep(0.02)


def start_moto(args):
    ready = os.path.join(args.root, f"ready.{time.time()}")
    proc = subprocess.Popen(
        [args.python, "tests/support/moto_peer.py", "--log", os.path.join(args.root, "moto.log"),
         "--ready", ready, "--port", str(args.moto_port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not os.path.exists(ready):
        time.sleep(0.005)
    return proc, time.time()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--moto-pid", type=int, required=True)
    p.add_argument("--moto-port", type=int, required=True)
    p.add_argument("--python", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--duration", type=int, default=30)
    p.add_argument("--outages", default="4:3,12:10")
    p.add_argument("--connections", type=int, default=16)
    args = p.parse_args()
    url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
    token = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    lua = os.path.join(args.root, "count.lua")
    with open(lua, "w") as f:
        f.write(LUA)
    wrk_env = dict(os.environ, TZ="UTC")
    loads = []
    for header, conns in ((f"Authorization: {token}", args.connections),
                          ("Authorization: wrong-token", 1)):
        loads.append(subprocess.Popen(
            ["wrk", "-t", "1", "-c", str(conns), "-d", f"{args.duration}s", "-s", lua,
             "-H", header, url + "/"], stdout=subprocess.PIPE, text=True, env=wrk_env))
    probe = Probe(url, token)
    prober = threading.Thread(target=probe.run)
    started = time.time()
    prober.start()

    moto_pid = args.moto_pid
    moto = None
    outages = []
    for spec in args.outages.split(","):
        at, down = (float(x) for x in spec.split(":"))
        time.sleep(max(0.0, started + at - time.time()))
        stopped = time.time()
        if moto is None:
            os.kill(moto_pid, signal.SIGKILL)
        else:
            moto.kill()
            moto.wait()
        time.sleep(down)
        moto, back = start_moto(args)
        outages.append({"stopped": stopped, "back": back})
    for load in loads:
        load.wait()
    probe.stop = True
    prober.join()
    if moto is not None:
        moto.kill()

    failures = []
    wrk = []
    for name, load in zip(("with the token", "with a wrong token"), loads):
        line = [ln for ln in load.stdout.read().splitlines() if ln.startswith("WRK ")]
        if not line:
            # Without its summary, the checks below would see nothing and pass.
            failures.append(f"wrk {name} printed no summary")
        wrk.append(json.loads(line[0][4:]) if line else {})
    authorized, wrong = wrk
    expired_probe = [r for r in probe.log if r[1] == 200 and r[3] < r[0]]
    statuses = {}
    for r in probe.log:
        statuses[r[1]] = statuses.get(r[1], 0) + 1
    for o in outages:
        back = o["back"]
        # Up to the next outage, whose errors are its own (times are when answers came).
        end = min([x["stopped"] for x in outages if x["stopped"] > back], default=1e18)
        during = [r for r in probe.log if o["stopped"] <= r[4] < end]
        errors = [r for r in during if r[1] != 200]
        o["down_s"] = round(back - o["stopped"], 1)
        o["probe_errors"] = len(errors)
        # Recovered: the first answer with credentials after the last error, counted
        # from when moto listened again (0: no answer failed once it was back).
        if errors:
            last = max(r[4] for r in errors)
            ok = [r[4] for r in during if r[1] == 200 and r[4] > last]
            o["recovered_ms"] = round((min(ok) - back) * 1000) if ok else None
        else:
            o["recovered_ms"] = None
        # Renewed: the first answer carrying a key not handed out before moto was back.
        seen = {r[2] for r in probe.log if r[4] < back and r[2]}
        fresh = [r[4] for r in during if r[4] >= back and r[2] and r[2] not in seen]
        o["fresh_after_back_ms"] = round((min(fresh) - back) * 1000) if fresh else None
        if errors and (o["recovered_ms"] is None or o["recovered_ms"] > 1000):
            failures.append(f"outage of {o['down_s']} s: credentials again only "
                            f"{o['recovered_ms']} ms after STS was back")
    if expired_probe:
        late = max(round((r[0] - r[3]) * 1000) for r in expired_probe)
        failures.append(f"{len(expired_probe)} probe answers carried expired credentials "
                        f"(expired up to {late} ms before the request was sent)")
    if probe.error:
        failures.append(f"the probe ended early: {probe.error}")
    # 20 ms apart plus two requests each: 50 a second at best. Fewer than a
    # fifth of that means the probe stalled, and its checks saw too little.
    least = args.duration * 10
    if len(probe.log) < least:
        failures.append(f"only {len(probe.log)} probes ran in {args.duration} s "
                        f"(at least {least} must)")
    if probe.bad_bodies:
        failures.append(f"{len(probe.bad_bodies)} probe answers with status 200 were not "
                        f"credential JSON: {probe.bad_bodies[:3]}")
    if authorized.get("unread"):
        failures.append(f"{authorized['unread']} wrk answers had no Expiration it could read")
    if authorized.get("expired"):
        failures.append(f"{authorized['expired']} wrk answers carried expired credentials")
    if wrong.get("ok") or probe.unauthorized["answered_with_credentials"]:
        failures.append("a request without the right token got credentials")

    keys = sorted({r[2] for r in probe.log if r[2]})
    print(f"wrk -c {args.connections} with the token, {args.duration} s: "
          f"{authorized.get('requests')} requests, {authorized.get('ok')} with credentials, "
          f"{authorized.get('failed')} errors while none were valid, "
          f"{authorized.get('socket_errors')} socket errors, p99 {authorized.get('p99_us')} us")
    print(f"  with credentials past expiry: {authorized.get('expired')} (wrk, to the second), "
          f"{len(expired_probe)} of {len(probe.log)} probes (to the millisecond; at least "
          f"{least} probes must run)")
    print(f"wrk -c 1 with a wrong token: {wrong.get('requests')} requests, "
          f"{wrong.get('ok')} answered with credentials, {wrong.get('denied')} refused")
    print(f"  probes without a token or with a wrong one: {probe.unauthorized['sent']}, "
          f"answered with credentials: {probe.unauthorized['answered_with_credentials']}")
    print(f"  probe statuses: {json.dumps(statuses, sort_keys=True)}; "
          f"credentials handed out: {len(keys)} (one per renewal)")
    for n, o in enumerate(outages, 1):
        if o["probe_errors"]:
            after = (f"answering again {o['recovered_ms']} ms after STS was back")
        else:
            after = "the credentials outlived it, no answer failed"
        print(f"  outage {n}: STS down {o['down_s']} s, {o['probe_errors']} probe errors; "
              f"{after}; first renewed credentials {o['fresh_after_back_ms']} ms after "
              "STS was back")
    for f in failures:
        print(f"  FAILURE: {f}")
    print(f"  failures: {len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
