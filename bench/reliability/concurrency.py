#!/usr/bin/env python3
"""Concurrency: 32 vault processes at once on one backend, then a stale refresh lock.

Usage: concurrency.py --vault BIN --root DIR --backend B [--workers 32] [--rounds 1]

Runs from bench/reliability/concurrency.sh, inside the session the backend needs
(`keyctl session -`, a private D-Bus with gnome-keyring, a gpg home for pass), with
moto as AWS_ENDPOINT_URL and its request log in MOTO_LOG. Each round starts WORKERS
processes that wait at one barrier, then each, at once with the others:

1. exports the profile `shared` (a session of the SAME profile for everyone: the cache
   is cold, so they race to refresh it);
2. adds its own profile wN with its own keys, letting `add` append [profile wN] to the
   config file (the same file for everyone);
3. reads wN back (`export --no-session`) and compares;
4. removes wN if N is odd.

Then it checks: every step succeeded; every read matched; every worker got the same
session for `shared`, and moto saw at most one GetSessionToken for it; the store holds
exactly the even wN with their values; the config file has every wN's section.

Finally the stale lock: a `vault export` waiting inside the refresh lock (its
mfa_process sleeps) is SIGKILLed while that mfa_process lives on; the next export that
needs the lock must succeed at once, not after VAULT_LOCK_TIMEOUT.

Prints the figures; exit status 1 if any check failed.
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time

WORKER = r"""
i=$1
: <"$BARRIER"
step() { n=$1; shift; "$@" >"$OUT/$i.$n.out" 2>"$OUT/$i.$n.err" </dev/null || echo "$n $?" >>"$OUT/$i.failed"; }
step shared "$VAULT" export --format json shared
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET step add "$VAULT" add --env "w$i"
step read "$VAULT" export --no-session --format json "w$i"
if [ $((i % 2)) = 1 ]; then step remove "$VAULT" remove -f "w$i"; fi
"""


def run(cmd, env, **kw):
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, **kw)


def sts_calls(action, key_id):
    n = 0
    with open(os.environ["MOTO_LOG"]) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r["action"] == action and r.get("access_key_id") == key_id:
                n += 1
    return n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vault", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--backend", required=True)
    p.add_argument("--workers", type=int, default=32)
    p.add_argument("--rounds", type=int, default=1)
    args = p.parse_args()

    home = os.path.join(args.root, args.backend)
    os.makedirs(os.path.join(home, ".aws"), exist_ok=True)
    config = os.path.join(home, ".aws", "config")
    with open(config, "w") as f:
        f.write("[default]\nregion = us-east-1\n\n[profile shared]\n")
    env = dict(os.environ)
    env.update({
        "HOME": home,
        "AWS_VAULT_BACKEND": args.backend,
        "AWS_VAULT_FILE_PASSPHRASE": "concurrency-passphrase",
        "VAULT_FILE_ITERATIONS": "8192",
        "VAULT": args.vault,
    })
    if args.backend == "pass":
        env["AWS_VAULT_PASS_PASSWORD_STORE_DIR"] = os.path.join(home, "pass-store")
        out = run(["pass", "init", os.environ["VAULT_GPG_KEY"]],
                  dict(env, PASSWORD_STORE_DIR=env["AWS_VAULT_PASS_PASSWORD_STORE_DIR"]))
        assert out.returncode == 0, out.stderr

    failures = []
    shared_key = "AKIASHARED" + secrets.token_hex(5).upper()
    out = run([args.vault, "add", "--env", "shared"],
              dict(env, AWS_ACCESS_KEY_ID=shared_key, AWS_SECRET_ACCESS_KEY="shared-secret"))
    assert out.returncode == 0, out.stderr
    worker = os.path.join(home, "worker.sh")
    with open(worker, "w") as f:
        f.write(WORKER)

    figures = {"processes": 0, "steps_failed": 0, "reads_wrong": 0, "items_lost": 0,
               "items_corrupt": 0, "items_left_over": 0, "config_sections_lost": 0,
               "shared_sessions_seen": 0, "get_session_token_calls": 0, "round_seconds": []}
    for rnd in range(args.rounds):
        if rnd:
            run([args.vault, "clear", "shared"], env)
        calls_before = sts_calls("GetSessionToken", shared_key)
        out_dir = os.path.join(home, f"round{rnd}")
        os.makedirs(out_dir)
        barrier = os.path.join(out_dir, "barrier")
        os.mkfifo(barrier)
        keys = {i: ("AKIAW" + secrets.token_hex(8).upper(), secrets.token_urlsafe(30))
                for i in range(args.workers)}
        procs = [subprocess.Popen(["sh", worker, str(i)],
                                  env=dict(env, OUT=out_dir, BARRIER=barrier,
                                           KEY=keys[i][0], SECRET=keys[i][1]))
                 for i in range(args.workers)]
        # Every worker is blocked opening the FIFO; one open for writing releases them all.
        # It stays open until they end, so a worker that reaches it late passes at once
        # instead of waiting forever.
        time.sleep(0.5)
        started = time.monotonic()
        with open(barrier, "w"):
            for proc in procs:
                proc.wait()
        figures["round_seconds"].append(round(time.monotonic() - started, 2))
        figures["processes"] += args.workers

        sessions = set()
        for i in range(args.workers):
            failed = os.path.join(out_dir, f"{i}.failed")
            if os.path.exists(failed):
                figures["steps_failed"] += 1
                for line in open(failed).read().split("\n"):
                    if line:
                        step = line.split()[0]
                        err = open(os.path.join(out_dir, f"{i}.{step}.err")).read().strip()
                        failures.append(f"worker {i}: {step} failed: {err}")
            try:
                got = json.load(open(os.path.join(out_dir, f"{i}.read.out")))
                if (got["AccessKeyId"], got["SecretAccessKey"]) != keys[i]:
                    figures["reads_wrong"] += 1
                    failures.append(f"worker {i}: read back other keys than it added")
            except (ValueError, KeyError, OSError):
                pass  # counted as a failed step
            try:
                s = json.load(open(os.path.join(out_dir, f"{i}.shared.out")))
                sessions.add(s["SessionToken"] + s["Expiration"])
            except (ValueError, KeyError, OSError):
                pass
        figures["shared_sessions_seen"] = max(figures["shared_sessions_seen"], len(sessions))
        calls = sts_calls("GetSessionToken", shared_key) - calls_before
        figures["get_session_token_calls"] = max(figures["get_session_token_calls"], calls)
        if calls > 1 or len(sessions) > 1:
            failures.append(f"round {rnd}: {calls} GetSessionToken calls for one profile, "
                            f"{len(sessions)} different sessions handed out")

        # What the store holds now: the even workers' keys, nothing of the odd ones.
        listed = run([args.vault, "list", "--credentials"], env)
        if listed.returncode != 0:
            failures.append(f"vault list failed: {listed.stderr.strip()}")
        names = set(listed.stdout.split())
        for i in range(args.workers):
            name = f"w{i}"
            if i % 2 == 1:
                if name in names:
                    figures["items_left_over"] += 1
                    failures.append(f"{name} was removed but is still listed")
                continue
            got = run([args.vault, "export", "--no-session", "--format", "json", name], env)
            if got.returncode != 0:
                figures["items_lost"] += 1
                failures.append(f"{name} cannot be read: {got.stderr.strip()}")
                continue
            value = json.loads(got.stdout)
            if (value["AccessKeyId"], value["SecretAccessKey"]) != keys[i]:
                figures["items_corrupt"] += 1
                failures.append(f"{name} holds other keys than were added")
        text = open(config).read()
        for i in range(args.workers):
            if f"[profile w{i}]" not in text:
                figures["config_sections_lost"] += 1
        if figures["config_sections_lost"]:
            failures.append(f"{figures['config_sections_lost']} [profile wN] sections "
                            "missing from the config file that 32 `vault add` edited at once")
        # The next round (and the lock test) start from an empty store but `shared`.
        for i in range(0, args.workers, 2):
            run([args.vault, "remove", "-f", f"w{i}"], env)

    figures["stale_lock_wait_ms"] = stale_lock(args, env, home, failures)
    figures["failures"] = len(failures)
    print(f"{args.backend}: {figures['processes']} processes in {args.rounds} round(s) of "
          f"{args.workers} ({', '.join(str(s) for s in figures['round_seconds'])} s)")
    for k in ("steps_failed", "reads_wrong", "items_lost", "items_corrupt", "items_left_over",
              "config_sections_lost", "shared_sessions_seen", "get_session_token_calls"):
        print(f"  {k.replace('_', ' ')}: {figures[k]}")
    print(f"  next refresh after the lock holder was SIGKILLed: {figures['stale_lock_wait_ms']} "
          "ms (the whole export, STS call included; VAULT_LOCK_TIMEOUT=10s)")
    print(f"  failures: {figures['failures']}")
    for f in failures[:20]:
        print(f"    {f}")
    return 1 if failures else 0


def stale_lock(args, env, home, failures):
    """ms the next refresh waited after a vault holding the lock was SIGKILLed."""
    marker = os.path.join(home, "mfa-started")
    mfa = os.path.join(home, "slow-mfa.sh")
    with open(mfa, "w") as f:
        f.write(f"#!/bin/sh\n: >'{marker}'\nsleep 60\necho 123456\n")
    os.chmod(mfa, 0o755)
    with open(os.path.join(home, ".aws", "config"), "a") as f:
        f.write(f"\n[profile slow]\nsource_profile = shared\nmfa_serial = "
                f"arn:aws:iam::123456789012:mfa/slow\nmfa_process = {mfa}\n")
    run([args.vault, "clear"], env)
    holder = subprocess.Popen([args.vault, "export", "slow"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.monotonic() + 30
    while not os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.01)
    if not os.path.exists(marker):
        failures.append("stale lock: the slow mfa_process never started")
        os.killpg(holder.pid, signal.SIGKILL)
        return -1
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    try:
        # The killed vault's mfa_process still runs: it must not hold the lock.
        started = time.monotonic()
        out = run([args.vault, "export", "--format", "json", "shared"],
                  dict(env, VAULT_LOCK_TIMEOUT="10s"))
        waited = round((time.monotonic() - started) * 1000)
        if out.returncode != 0:
            failures.append(f"stale lock: the next export failed: {out.stderr.strip()}")
        elif waited > 5000:
            failures.append(f"stale lock: the next export waited {waited} ms")
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
    return waited


if __name__ == "__main__":
    sys.exit(main())
