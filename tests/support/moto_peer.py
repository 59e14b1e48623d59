#!/usr/bin/env python3
"""Serve moto (a real STS/IAM fake) on 127.0.0.1 and log every request.

Usage: moto_peer.py --log FILE --ready FILE [--parent-pid PID] [--secrets FILE] [--port PORT]

The server binds 127.0.0.1 on a port the OS chooses (port 0), so parallel
tests never collide, then writes that port number to the --ready file
(written to a temporary name and renamed, so a reader never sees half a
number). Every AWS request is appended to --log as one JSON line:

  {"action": "GetSessionToken", "service": "sts", "status": 200,
   "access_key_id": "AKIA..." or null, "params": {...}, "redacted": [...]}

"params" are the query-string and form parameters minus the ones that carry
secrets (TokenCode, WebIdentityToken, ...); their names are listed in
"redacted", and "digests" maps each to the SHA-256 (hex) of its value, so a
test can prove which MFA code was sent without the log holding it. Requests to /moto-api/ (the harness's own reset calls) are not
logged, so counts reflect only what the code under test sent.

INITIAL_NO_AUTH_ACTION_COUNT, if set in the environment, switches moto to
checking SigV4 signatures and IAM policies after that many actions. moto
reads it once, when moto.settings is imported, so it must be in the
environment before this script starts (the Rust harness sets it).

With --secrets, every secret access key and session token the server hands
out (AssumeRole, GetSessionToken, CreateAccessKey, ...) is appended to FILE,
one per line as KIND=VALUE: the secret-leak scan (tests/common/leak_scan.rs)
then looks for them in everything vault printed.

The server exits when its parent process dies, so a test run that is killed
leaves no stray servers behind. Exit status 3 means moto is not importable.
"""

import argparse
import hashlib
import io
import json
import os
import re
import sys
import threading
import time
import urllib.parse

# Parameters whose values are secrets or bearer tokens: kept out of the log.
SECRET_PARAMS = frozenset(
    {
        "TokenCode",
        "WebIdentityToken",
        "SAMLAssertion",
        "Password",
        "OldPassword",
        "NewPassword",
        "SecretAccessKey",
        "SessionToken",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
    }
)

PARENT_POLL_SECONDS = 0.5

# The response elements that carry secrets, for --secrets.
SECRET_ELEMENTS = re.compile(rb"<(SecretAccessKey|SessionToken)>([^<]+)</")


def access_key_id(environ: dict) -> "str | None":
    """The AKID from the SigV4 credential scope (header or presigned URL)."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    credential = None
    for part in auth.replace(",", " ").split():
        if part.startswith("Credential="):
            credential = part[len("Credential=") :]
            break
    if credential is None:
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        credential = (query.get("X-Amz-Credential") or [None])[0]
    if not credential:
        return None
    return credential.split("/", 1)[0] or None


def signing_service(environ: dict) -> "str | None":
    """The service named in the SigV4 credential scope: AKID/date/region/SERVICE/aws4_request."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    for part in auth.replace(",", " ").split():
        if part.startswith("Credential="):
            scope = part[len("Credential=") :].split("/")
            if len(scope) == 5:
                return scope[3].lower()
    return None


def read_body(environ: dict) -> bytes:
    """Read the whole request body and put back an equivalent fresh stream."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > 0:
        body = stream.read(length)
    elif environ.get("wsgi.input_terminated"):
        # Chunked upload: werkzeug already ends the stream at the last chunk.
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
    return body


class RequestLog:
    """WSGI middleware: one JSON line per request, appended after the response starts."""

    def __init__(self, app, log_path: str, unsigned_actions: dict, secrets_path: "str | None"):
        self.app = app
        self.secrets_fd = None
        if secrets_path:
            self.secrets_fd = os.open(secrets_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.unsigned_actions = unsigned_actions
        # O_APPEND + one write per line + a lock: lines never interleave even
        # though the server handles requests on several threads, and a reader
        # polling the file sees only whole lines or a missing trailing newline.
        self.fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moto-api"):
            return self.app(environ, start_response)

        body = read_body(environ)
        params: dict = {}
        for source in (environ.get("QUERY_STRING", ""), self.form_text(environ, body)):
            for key, value in urllib.parse.parse_qsl(source, keep_blank_values=True):
                params[key] = value
        action = params.get("Action", "")
        if not action:
            # JSON-protocol services name the operation in X-Amz-Target.
            target = environ.get("HTTP_X_AMZ_TARGET", "")
            action = target.rsplit(".", 1)[-1] if target else ""
        service = signing_service(environ)
        if service is None:
            # Unsigned calls (AssumeRoleWithWebIdentity, ...): moto's own table.
            service = self.unsigned_actions.get(action, ("unknown", None))[0]
        redacted = sorted(k for k in params if k in SECRET_PARAMS)
        entry = {
            "action": action,
            "service": service,
            "status": 0,
            "access_key_id": access_key_id(environ),
            "params": {k: v for k, v in params.items() if k not in SECRET_PARAMS},
            "redacted": redacted,
            "digests": {k: hashlib.sha256(params[k].encode()).hexdigest() for k in redacted},
        }

        def logging_start_response(status, headers, exc_info=None):
            try:
                entry["status"] = int(status.split(" ", 1)[0])
            except ValueError:
                pass
            return start_response(status, headers, exc_info)

        try:
            result = self.app(environ, logging_start_response)
            if self.secrets_fd is None:
                return result
            # Buffered so the secrets are on file before the client has them.
            try:
                body = b"".join(result)
            finally:
                getattr(result, "close", lambda: None)()
            found = b"".join(
                b"moto " + kind + b"=" + value + b"\n" for kind, value in SECRET_ELEMENTS.findall(body)
            )
            if found:
                with self.lock:
                    os.write(self.secrets_fd, found)
            return [body]
        finally:
            # Logged after moto answered, so the status is known; a test that
            # reads the log after its client returned always sees the line.
            line = (json.dumps(entry, sort_keys=True) + "\n").encode()
            with self.lock:
                os.write(self.fd, line)

    @staticmethod
    def form_text(environ: dict, body: bytes) -> str:
        content_type = environ.get("CONTENT_TYPE", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return ""
        return body.decode("utf-8", "replace")


def exit_when_orphaned(expected_parent: "int | None") -> None:
    """Exit once the parent dies (we get re-parented, so getppid() changes).

    Polling getppid() rather than prctl(PR_SET_PDEATHSIG): the death signal
    fires when the parent *thread* that forked us exits, and cargo's test
    threads end long before the test process does. The parent may pass its
    pid (--parent-pid) because it could die before we first look.
    """
    parent = os.getppid()
    if expected_parent is not None and parent != expected_parent:
        os._exit(0)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def write_ready(path: str, port: int) -> None:
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(f"{port}\n")
    os.replace(tmp, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--log", required=True, help="append one JSON line per request here")
    parser.add_argument("--ready", required=True, help="write the listening port here")
    parser.add_argument("--parent-pid", type=int, help="exit if this process is not our parent")
    parser.add_argument("--secrets", help="append the secrets the server hands out here")
    parser.add_argument(
        "--port", type=int, default=0, help="listen here (default: a port the OS picks)"
    )
    args = parser.parse_args()

    exit_when_orphaned(args.parent_pid)

    try:
        # What moto_server itself serves (moto/server.py), minus its CLI.
        from moto.moto_server import werkzeug_app
        from werkzeug.serving import make_server
    except ImportError as e:
        print(f"moto_peer: cannot import moto[server]: {e}", file=sys.stderr)
        return 3
    # Both are optional niceties that not every moto 5 release has.
    handler = getattr(werkzeug_app, "MotoRequestHandler", None)
    unsigned_actions = getattr(werkzeug_app, "UNSIGNED_ACTIONS", {})

    moto_app = werkzeug_app.DomainDispatcherApplication(werkzeug_app.create_backend_app)
    app = RequestLog(moto_app, args.log, unsigned_actions, args.secrets)
    # Loopback only, port chosen by the OS: never reachable from elsewhere and
    # never colliding with another test's server.
    # A fixed --port is for restarting moto where a client already points (the
    # credential server's outage benchmark).
    server = make_server("127.0.0.1", args.port, app, threaded=True, request_handler=handler)
    port = server.server_port
    # Like moto_server: moto builds self-referencing URLs from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)
    # The socket is already listening, so connections made as soon as the
    # ready file appears wait in the backlog until serve_forever() runs.
    write_ready(args.ready, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
