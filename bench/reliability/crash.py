#!/usr/bin/env python3
"""Crash safety: SIGKILL `vault` at random points while it writes, then check the store.

Usage: crash.py --vault BIN --root DIR --backend file|pass --kills N [--seed S]

Runs from bench/reliability/crash.sh, which builds vault, starts moto (AWS_ENDPOINT_URL)
and, for pass, makes a throwaway gpg key (GNUPGHOME, PASSWORD_STORE_DIR). Each round
picks one writing command (add, add with a config edit, a session cached by export,
rotate, allow/deny), starts it in a process group of its own, and SIGKILLs it. On the
file backend the kill is aimed inside a write: vault runs under strace, which holds it
HELD_MS at each write and fsync, and the kill comes at a random moment of the first held
change to the store, the config or the trust records; at least MIN_IN_WRITE of the kills
must leave a temp file (landed between its creation and its rename), or the run fails.
On pass, whose files gpg writes, the delay is random between 0 and the command's usual
duration. Then it waits for anything
vault started (pass, gpg) to finish and checks, with readers other than vault (jwcrypto
for the file store, gpg for pass, configparser, the trust records' own hashing):

- every item decrypts and is well formed, and each credential item holds its old or its
  new value (for rotate: the old key or one IAM now lists for the user);
- the config file is the old one or the old one plus the new section, never less;
- a trust record says allowed or denied as before or after, never neither;
- `vault list` still works.

Prints one JSON line of counts; exit status 1 if any check failed.
"""

import argparse
import configparser
import hashlib
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "support"))
import jwe_peer  # noqa: E402  (the independent JWE reader the store tests use)

SESSION_KEY = re.compile(r"^[^,]+,[^,]+,[^,]*,[0-9]+$")
TEMP_PREFIX = ".vault-tmp-"
# How long strace holds vault at each write and fsync (file backend): the window
# between a temp file's creation and its rename that the kills aim at.
HELD_MS = 150
# At least this share of the file backend's kills must land between a temp
# file's creation and its rename (it is left behind): fewer means the kills
# missed the writes, or a write made no temp file (a write in place).
MIN_IN_WRITE = 0.5
PASSPHRASE = "crash-test-passphrase"


class Failure(Exception):
    pass


class Bench:
    def __init__(self, args):
        self.vault = args.vault
        self.user = f"rotator-{args.backend}"
        self.backend = args.backend
        self.root = os.path.join(args.root, args.backend)
        self.home = os.path.join(self.root, "home")
        os.makedirs(os.path.join(self.home, ".aws"), exist_ok=True)
        self.config = os.path.join(self.home, ".aws", "config")
        self.keys_dir = os.path.join(self.home, ".awsvault", "keys")
        self.pass_dir = os.path.join(self.root, "pass-store")
        self.trust_dir = os.path.join(self.home, ".local", "share", "vault")
        self.project = os.path.join(self.home, "project")
        os.makedirs(self.project, exist_ok=True)
        self.awsprofile = os.path.join(self.project, ".awsprofile")
        with open(self.awsprofile, "w") as f:
            f.write("home\n")
        with open(self.config, "w") as f:
            f.write("[default]\nregion = us-east-1\n\n[profile home]\n\n[profile p1]\n\n"
                    "[profile p2]\n\n[profile rot]\n")
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": self.home,
            "AWS_ENDPOINT_URL": os.environ["AWS_ENDPOINT_URL"],
            "AWS_VAULT_BACKEND": self.backend,
            "AWS_VAULT_FILE_PASSPHRASE": PASSPHRASE,
            "VAULT_FILE_ITERATIONS": "8192",
            "AWS_REGION": "us-east-1",
        }
        if self.backend == "pass":
            self.env["GNUPGHOME"] = os.environ["GNUPGHOME"]
            self.env["AWS_VAULT_PASS_PASSWORD_STORE_DIR"] = self.pass_dir
            subprocess.run(["pass", "init", os.environ["VAULT_GPG_KEY"]], check=True,
                           env=self.tool_env(), stdout=subprocess.DEVNULL)
        # key -> set of acceptable (id, secret) values; None in the set: may be absent.
        self.expected = {}
        self.decoded = {}  # path -> (stat signature, value) so unchanged items are read once
        self.trust_state = None  # "allowed" / "denied" / None (never touched)
        self.counter = 0
        self.counts = {"kills": 0, "finished_before_kill": 0, "temp_files_left": 0,
                       "children_outlived_vault": 0, "store_changed": 0, "failures": 0,
                       "ops": {}}
        self.failures = []
        self.durations = {}
        import boto3

        self.iam = boto3.client("iam", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                                region_name="us-east-1", aws_access_key_id="AKIASETUP",
                                aws_secret_access_key="setup")

    def tool_env(self):
        env = dict(os.environ)
        env["PASSWORD_STORE_DIR"] = self.pass_dir
        return env

    # --- the commands being killed -------------------------------------------------

    def new_key(self):
        self.counter += 1
        return (f"AKIACRASH{self.counter:011d}", secrets.token_urlsafe(30))

    def op_add(self):
        # `add` does not overwrite without a person confirming on a terminal: a stored
        # profile is removed (the kill may land in that write too), a removed one added.
        profile = random.choice(["p1", "p2"])
        if self.current_value(profile) is not None:
            return (["remove", "-f", profile], {}, {"key": profile, "remove": True})
        new = self.new_key()
        return (["add", "--env", "--add-config=false", profile],
                {"AWS_ACCESS_KEY_ID": new[0], "AWS_SECRET_ACCESS_KEY": new[1]},
                {"key": profile, "new": new})

    def op_add_config(self):
        self.counter += 1
        profile = f"c{self.counter}"
        new = self.new_key()
        return (["add", "--env", profile],
                {"AWS_ACCESS_KEY_ID": new[0], "AWS_SECRET_ACCESS_KEY": new[1]},
                {"key": profile, "new": new, "config_section": profile})

    def op_session(self):
        # A cold cache, so that the export writes a new session item.
        self.run_ok(["clear", "home"])
        return (["export", "--format", "json", "home"], {}, {})

    def op_rotate(self):
        # A killed rotate may leave a second key in IAM (created, not yet deleted):
        # delete the ones not stored, as the user would, so the next rotate can create one.
        stored = self.current_value("rot")
        for k in self.iam.list_access_keys(UserName=self.user)["AccessKeyMetadata"]:
            if stored is None or k["AccessKeyId"] != stored[0]:
                self.iam.delete_access_key(UserName=self.user, AccessKeyId=k["AccessKeyId"])
        return (["rotate", "-n", "rot"], {}, {"key": "rot", "rotate": True})

    def op_trust(self):
        verb = "deny" if self.trust_state == "allowed" else "allow"
        return ([verb, self.awsprofile], {}, {"trust": verb})

    OPS = ["add", "add_config", "session", "rotate", "trust"]

    def run_ok(self, args, extra=None):
        env = dict(self.env, **(extra or {}))
        out = subprocess.run([self.vault, *args], env=env, capture_output=True, text=True,
                             timeout=60)
        if out.returncode != 0:
            raise Failure(f"`vault {' '.join(args)}` failed: {out.stderr.strip()}")
        return out

    # --- set-up ----------------------------------------------------------------------

    def setup(self):
        self.iam.create_user(UserName=self.user)
        key = self.iam.create_access_key(UserName=self.user)["AccessKey"]
        rot = (key["AccessKeyId"], key["SecretAccessKey"])
        for profile, value in [("home", self.new_key()), ("p1", self.new_key()),
                               ("p2", self.new_key()), ("rot", rot)]:
            self.run_ok(["add", "--env", "--add-config=false", profile],
                        {"AWS_ACCESS_KEY_ID": value[0], "AWS_SECRET_ACCESS_KEY": value[1]})
            self.expected[profile] = {value}
        self.config_text = open(self.config).read()
        self.check()
        # Each command once, unkilled: how long it takes sets the range of kill delays.
        for name in self.OPS:
            runs = sorted(self.timed_run(name) for _ in range(3))
            self.durations[name] = runs[1]

    def timed_run(self, name):
        args, extra, change = getattr(self, f"op_{name}")()
        self.allow(change)
        started = time.monotonic()
        self.run_ok(args, extra)
        took = time.monotonic() - started
        self.check()
        return took

    # --- one round -------------------------------------------------------------------

    def round(self):
        name = random.choice(self.OPS)
        args, extra, change = getattr(self, f"op_{name}")()
        self.allow(change)
        before = self.snapshot()
        command = [self.vault, *args]
        if self.backend == "file":
            # Aimed inside a write: strace holds vault at each write and fsync, and
            # the kill comes while the first change to the store, the config or the
            # trust records is held. pass writes its files itself (gpg), so there
            # the delay stays random over the command's usual duration.
            command = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=write,fsync",
                       "-e", f"inject=write,fsync:delay_enter={HELD_MS * 1000}", *command]
        proc = subprocess.Popen(command, env=dict(self.env, **extra),
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        if self.backend == "file":
            deadline = time.monotonic() + 60
            while self.snapshot(with_temp=True) == before and proc.poll() is None:
                if time.monotonic() > deadline:
                    raise Failure(f"`vault {' '.join(args)}` wrote nothing in 60 s")
                time.sleep(0.001)
            delay = random.uniform(0, HELD_MS / 2000)
        else:
            delay = random.uniform(0, self.durations[name] * 1.1)
        time.sleep(delay)
        if proc.poll() is None:
            # The group: strace too, and pass and gpg (which the check waits for).
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            self.counts["kills"] += 1
            self.counts["ops"][name] = self.counts["ops"].get(name, 0) + 1
            killed = True
        else:
            self.counts["finished_before_kill"] += 1
            killed = False
        # On the file backend the group holds strace, not a writer vault started.
        if self.wait_for_group(proc.pid) and killed and self.backend == "pass":
            self.counts["children_outlived_vault"] += 1
        if killed and self.snapshot() != before:
            self.counts["store_changed"] += 1
        self.check(count_temp=killed)

    def wait_for_group(self, pgid):
        """Waits until every process vault started (pass, gpg) is gone; True if one was."""
        outlived = False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return outlived
            outlived = True
            time.sleep(0.01)
        raise Failure(f"processes of group {pgid} still running 30 s after vault was killed")

    def allow(self, change):
        """Records what the command about to run may leave."""
        self.change = change
        key = change.get("key")
        if key is None:
            return
        acceptable = set(self.expected.get(key, {None}))
        if "new" in change:
            acceptable.add(change["new"])
        if change.get("remove"):
            acceptable.add(None)
        self.expected[key] = acceptable

    def snapshot(self, with_temp=False):
        paths = []
        for d in (self.store_root(), os.path.dirname(self.config), self.trust_dir):
            for dirpath, _, files in os.walk(d):
                for f in files:
                    if f.startswith(TEMP_PREFIX) and not with_temp:
                        continue
                    p = os.path.join(dirpath, f)
                    try:
                        st = os.stat(p)
                    except FileNotFoundError:
                        continue
                    paths.append((p, st.st_ino, st.st_size, st.st_mtime_ns))
        return sorted(paths)

    def store_root(self):
        return self.pass_dir if self.backend == "pass" else self.keys_dir

    # --- the checks ------------------------------------------------------------------

    def check(self, count_temp=False):
        try:
            self.check_store()
            self.check_config()
            self.check_trust()
            out = subprocess.run([self.vault, "list"], env=self.env, capture_output=True,
                                 text=True, timeout=60)
            if out.returncode != 0:
                raise Failure(f"`vault list` failed after the kill: {out.stderr.strip()}")
        except Failure as e:
            self.counts["failures"] += 1
            self.failures.append(str(e))
            print(f"crash.py ({self.backend}): FAILURE: {e}", file=sys.stderr)
            # Start the next round from what is there, so one failure is counted once.
            self.resync()
        temps = self.temp_files()
        if temps:
            if count_temp:
                self.counts["temp_files_left"] += 1
            for t in temps:
                os.remove(t)

    def temp_files(self):
        found = []
        for d in (self.store_root(), os.path.dirname(self.config), self.trust_dir):
            for dirpath, _, files in os.walk(d):
                found += [os.path.join(dirpath, f) for f in files if f.startswith(TEMP_PREFIX)]
        return found

    def items(self):
        """{key: path} of every item in the store."""
        out = {}
        root = self.store_root()
        if not os.path.isdir(root):
            return out
        if self.backend == "file":
            for name in os.listdir(root):
                if not name.startswith("."):
                    out[jwe_peer.unescape_filename(name)] = os.path.join(root, name)
        else:
            for dirpath, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for f in files:
                    if f.endswith(".gpg"):
                        p = os.path.join(dirpath, f)
                        out[os.path.relpath(p, root)[: -len(".gpg")]] = p
        return out

    def read_item(self, path):
        st = os.stat(path)
        sig = (st.st_ino, st.st_size, st.st_mtime_ns)
        cached = self.decoded.get(path)
        if cached and cached[0] == sig:
            return cached[1]
        if self.backend == "file":
            with open(path) as f:
                token = f.read()
            try:
                _, payload = jwe_peer.decrypt(token)
            except Exception as e:
                raise Failure(f"{path} does not decrypt: {type(e).__name__}")
        else:
            out = subprocess.run(["gpg", "--batch", "-q", "-d", path], capture_output=True)
            if out.returncode != 0:
                raise Failure(f"{path} does not decrypt: {out.stderr.decode().strip()}")
            payload = out.stdout
        try:
            item = json.loads(payload)
            import base64

            data = json.loads(base64.b64decode(item["Data"], validate=True))
        except Exception as e:
            raise Failure(f"{path} holds no well-formed item ({type(e).__name__}): "
                          f"{len(payload)} bytes")
        self.decoded[path] = (sig, data)
        return data

    def current_value(self, key):
        path = self.items().get(key)
        if path is None:
            return None
        data = self.read_item(path)
        return (data.get("AccessKeyID"), data.get("SecretAccessKey"))

    def check_store(self):
        items = self.items()
        for key, path in items.items():
            data = self.read_item(path)
            if SESSION_KEY.match(key):
                if not all(data.get(f) for f in ("AccessKeyId", "SecretAccessKey",
                                                  "SessionToken", "Expiration")):
                    raise Failure(f"session item {key} lacks a field: {sorted(data)}")
                continue
            value = (data.get("AccessKeyID"), data.get("SecretAccessKey"))
            acceptable = self.expected.get(key)
            if acceptable is None:
                raise Failure(f"an item nobody wrote: {key}")
            if value not in acceptable and not self.rotated_to(key, value):
                raise Failure(f"{key} holds neither its old nor its new value")
            self.expected[key] = {value}
        for key, acceptable in self.expected.items():
            if key not in items:
                if None not in acceptable:
                    raise Failure(f"{key} is gone")
                self.expected[key] = {None}

    def rotated_to(self, key, value):
        if not self.change.get("rotate") or key != self.change["key"]:
            return False
        listed = self.iam.list_access_keys(UserName=self.user)["AccessKeyMetadata"]
        return value[0] in {k["AccessKeyId"] for k in listed}

    def check_config(self):
        with open(self.config) as f:
            text = f.read()
        old = self.config_text
        section = self.change.get("config_section")
        if text != old:
            added = text[len(old):]
            if not text.startswith(old) or section is None or \
                    added.strip() != f"[profile {section}]":
                raise Failure(f"the config file changed into something else ({len(old)} "
                              f"bytes before, {len(text)} after)")
            parser = configparser.ConfigParser()
            parser.read_string(text)
        self.config_text = text

    def check_trust(self):
        verb = self.change.get("trust")
        state = self.verdict()
        if verb is None:
            if state != self.trust_state:
                raise Failure(f"the trust verdict changed by itself: {state}")
            return
        new = "allowed" if verb == "allow" else "denied"
        if state not in (self.trust_state, new):
            raise Failure(f"`vault {verb}` killed: the file is now {state}, "
                          f"neither {self.trust_state} nor {new}")
        self.trust_state = state

    def verdict(self):
        path = os.path.abspath(self.awsprofile).encode()
        with open(self.awsprofile) as f:
            contents = f.read().encode()
        deny = hashlib.sha256(path + b"\n").hexdigest()
        allow = hashlib.sha256(path + b"\n" + contents).hexdigest()
        if os.path.exists(os.path.join(self.trust_dir, "deny", deny)):
            return "denied"
        if os.path.exists(os.path.join(self.trust_dir, "allow", allow)):
            return "allowed"
        return None

    def resync(self):
        self.change = {}
        self.expected = {}
        for key, path in self.items().items():
            if not SESSION_KEY.match(key):
                try:
                    data = self.read_item(path)
                    self.expected[key] = {(data.get("AccessKeyID"), data.get("SecretAccessKey"))}
                except Failure:
                    os.remove(path)
        with open(self.config) as f:
            self.config_text = f.read()
        self.trust_state = self.verdict()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vault", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--backend", choices=["file", "pass"], required=True)
    p.add_argument("--kills", type=int, default=100)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--json", help="also write the counts here")
    args = p.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    random.seed(seed)
    os.environ["VAULT_PEER_PASSPHRASE"] = PASSPHRASE
    bench = Bench(args)
    bench.change = {}
    started = time.monotonic()
    bench.setup()
    bench.change = {}
    while bench.counts["kills"] < args.kills:
        bench.round()
        bench.change = {}
    bench.counts["seconds"] = round(time.monotonic() - started, 1)
    bench.counts["seed"] = seed
    bench.counts["backend"] = args.backend
    bench.counts["usual_ms"] = {k: round(v * 1000) for k, v in bench.durations.items()}
    bench.counts["failure_list"] = bench.failures
    c = bench.counts
    ops = ", ".join(f"{k} {v}" for k, v in sorted(c["ops"].items()))
    usual = ", ".join(f"{k} {v} ms" for k, v in sorted(c["usual_ms"].items()))
    print(f"{args.backend}: {c['kills']} kills in {c['seconds']} s (seed {seed})")
    print(f"  killed during:            {ops}")
    print(f"  usual durations:          {usual}")
    print(f"  store changed by killed:  {c['store_changed']}")
    print(f"  killed mid-write (temp file left): {c['temp_files_left']}")
    in_write_ok = True
    if args.backend == "file":
        need = int(MIN_IN_WRITE * c["kills"])
        in_write_ok = c["temp_files_left"] >= need
        print(f"  of them, at least {need} must be (MIN_IN_WRITE)")
        if not in_write_ok:
            print(f"crash.py: only {c['temp_files_left']} of {c['kills']} kills landed between "
                  f"a temp file's creation and its rename", file=sys.stderr)
    print(f"  killed while pass/gpg ran (they finished the write): "
          f"{c['children_outlived_vault']}")
    print(f"  commands that finished before their kill (not counted): "
          f"{c['finished_before_kill']}")
    print(f"  failures:                 {c['failures']}")
    for f in bench.failures:
        print(f"    {f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(c, f, sort_keys=True)
    return 1 if bench.counts["failures"] or not in_write_ok else 0


if __name__ == "__main__":
    sys.exit(main())
