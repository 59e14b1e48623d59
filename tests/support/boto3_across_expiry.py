"""One boto3 process calling STS for 11 seconds with whatever credentials
its provider chain finds, noting each new access key id it is handed: what
a long job does across the expiry of short credentials. Prints
{"keys": [...], "errors": [...], "calls": N}.
"""

import json
import time

import boto3

s = boto3.session.Session()
sts = s.client("sts")
keys, errors, calls = [], [], 0


def note_key():
    key = s.get_credentials().get_frozen_credentials().access_key
    if not keys or keys[-1] != key:
        keys.append(key)


end = time.time() + 11
while time.time() < end:
    try:
        sts.get_caller_identity()
        calls += 1
        note_key()
    except Exception as e:
        errors.append(str(e))
    time.sleep(0.1)
# Servers also renew ahead of expiry on their own: look once more, so a
# renewal made after the last call above is seen too.
note_key()
print(json.dumps({"keys": keys, "errors": errors, "calls": calls}))
