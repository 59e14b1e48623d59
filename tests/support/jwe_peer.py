"""An independent peer for vault's file store: writes and reads store directories in
aws-vault's layout, built from the format description alone, with jwcrypto doing the JWE.

Used by tests/store_compat.rs. The passphrase comes in VAULT_PEER_PASSPHRASE (never argv).

  jwe_peer.py check                 exit 0 if jwcrypto imports; prints its version
  jwe_peer.py write-store DIR       stdin: {"credentials": [...], "sessions": [...], "raw": [...]}
  jwe_peer.py read-store DIR        stdout: one JSON report per file, see read_store()
"""

import base64
import json
import os
import re
import sys

ALG = "PBES2-HS256+A128KW"
ENC = "A256GCM"
P2C = 8192  # what aws-vault's jose2go writes; jwcrypto refuses more than 16384 by default
SESSION_KEY = re.compile(r"^([^,]+),([^,]+),([^,]*),([0-9]{1,})$")
GO_ZERO_TIME = "0001-01-01T00:00:00Z"


def b64url_nopad(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def escape_filename(key: str) -> str:
    # mtibben/percent.Encode(key, "/"): '%' and '/' only, as upper-case %XX of UTF-8 bytes
    out = []
    for ch in key:
        if ch in "%/":
            out.extend("%%%02X" % b for b in ch.encode())
        else:
            out.append(ch)
    return "".join(out)


def unescape_filename(name: str) -> str:
    return re.sub(
        rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name.encode()
    ).decode()


def go_json(value) -> bytes:
    # Go's encoding/json: compact, no spaces, non-ASCII left as UTF-8
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def unix_to_rfc3339(secs: int) -> str:
    import datetime

    return (
        datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
    )


def passphrase() -> str:
    return os.environ["VAULT_PEER_PASSPHRASE"]


def encrypt(payload: bytes) -> str:
    from jwcrypto import jwe, jwk

    header = {
        "alg": ALG,
        "enc": ENC,
        "p2c": P2C,
        "p2s": b64url_nopad(os.urandom(12)),
        # Go's time.Now().String(), monotonic reading included, as aws-vault writes it
        "created": "2024-05-06 07:08:09.123456789 +1000 AEST m=+0.004211",
    }
    token = jwe.JWE(payload, protected=json.dumps(header), algs=[ALG, ENC])
    token.add_recipient(jwk.JWK.from_password(passphrase()))
    return token.serialize(compact=True)


def decrypt(token: str):
    from jwcrypto import jwa, jwe, jwk

    # aws-vault's jose2go (1.6+) reads up to 1300000; jwcrypto's own default cap is lower.
    jwa.default_max_pbkdf2_iterations = int(os.environ.get("VAULT_PEER_MAX_P2C", "16384"))

    parsed = jwe.JWE(algs=[ALG, ENC])
    parsed.deserialize(token, key=jwk.JWK.from_password(passphrase()))
    return json.loads(parsed.objects["protected"]), parsed.payload


def item_json(key, data: bytes, label, description="", not_trust=False) -> bytes:
    # 99designs/keyring Item; Go marshals []byte as standard base64 with padding
    return go_json(
        {
            "Key": key,
            "Data": base64.b64encode(data).decode(),
            "Label": label,
            "Description": description,
            "KeychainNotTrustApplication": not_trust,
            "KeychainNotSynchronizable": False,
        }
    )


def write_store(directory: str) -> None:
    spec = json.load(sys.stdin)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    items = []
    for c in spec.get("credentials", []):
        # aws.Credentials (aws-sdk-go-v2): no json tags, so Go field names
        data = go_json(
            {
                "AccessKeyID": c["access_key_id"],
                "SecretAccessKey": c["secret_access_key"],
                "SessionToken": "",
                "Source": "",
                "CanExpire": False,
                "Expires": GO_ZERO_TIME,
                "AccountID": "",
            }
        )
        profile = c["profile"]
        items.append(item_json(profile, data, f"aws-vault ({profile})", not_trust=True))
    for s in spec.get("sessions", []):
        expiration = unix_to_rfc3339(s["expiration"])
        key = ",".join(
            [
                s["kind"],
                b64url_nopad(s["profile"].encode()),
                b64url_nopad(s["mfa_serial"].encode()),
                str(s["expiration"]),
            ]
        )
        # ststypes.Credentials
        data = go_json(
            {
                "AccessKeyId": s["access_key_id"],
                "Expiration": expiration,
                "SecretAccessKey": s["secret_access_key"],
                "SessionToken": s["session_token"],
            }
        )
        label = f"aws-vault session for {s['profile']} (expires {expiration})"
        items.append(item_json(key, data, label, "aws-vault session"))
    for r in spec.get("raw", []):
        items.append(item_json(r["key"], r["data"].encode(), r.get("label", "")))

    for raw in items:
        key = json.loads(raw)["Key"]
        path = os.path.join(directory, escape_filename(key))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(encrypt(raw))


def read_store(directory: str) -> None:
    """Prints a list of {"file", "key", "header", "item", "data", "session"} or
    {"file", "error"} per file."""
    reports = []
    for name in sorted(os.listdir(directory)):
        report = {"file": name, "key": unescape_filename(name)}
        with open(os.path.join(directory, name)) as f:
            token = f.read()
        try:
            header, payload = decrypt(token)
        except Exception as e:  # jwcrypto raises several types; the test only needs to know
            report["error"] = type(e).__name__
            reports.append(report)
            continue
        item = json.loads(payload)
        data = base64.b64decode(item.pop("Data"), validate=True)
        report.update(header=header, item=item, data=json.loads(data))
        m = SESSION_KEY.match(report["key"])
        if m:
            report["session"] = {
                "kind": m.group(1),
                "profile": b64url_decode(m.group(2)).decode(),
                "mfa_serial": b64url_decode(m.group(3)).decode(),
                "expiration": int(m.group(4)),
            }
        reports.append(report)
    json.dump(reports, sys.stdout, ensure_ascii=False)


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "check":
        import jwcrypto  # noqa: F401
        from importlib.metadata import version

        print(version("jwcrypto"))
    elif command == "write-store":
        write_store(sys.argv[2])
    elif command == "read-store":
        read_store(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
