#!/usr/bin/env python3
"""A small, honest fake of IAM Identity Center: its OIDC service and its portal.

Usage: sso_peer.py --log FILE --ready FILE [--parent-pid PID]
                   [--access-token-ttl SECONDS] [--interval SECONDS] [--slow-down-once]
                   [--assignments FILE] [--page-size N] [--fail-lists 403|429]

There is no local Identity Center, so this speaks the wire protocol the AWS
SDKs use (restJson1), with the real error shapes: a 400 whose
`x-amzn-ErrorType` header names the exception and whose body is
{"error": "authorization_pending", "error_description": ...} for the OIDC
service, and a 401 `UnauthorizedException` {"message": ...} for the portal.

OIDC: POST /client/register, POST /device_authorization, POST /token
(grants urn:ietf:params:oauth:grant-type:device_code, authorization_code with
PKCE S256, and refresh_token), and the browser's GET /authorize, which
approves at once and redirects (302) to the client's registered loopback
redirect URI with the code and state.
Portal: GET /federation/credentials, GET /assignment/accounts,
GET /assignment/roles (bearer token in x-amz-sso_bearer_token).
ListAccounts and ListAccountRoles page as the real portal does: at most
--page-size items (and at most max_result) per page, with an opaque
nextToken until the last page; an unknown nextToken is a 400. The accounts and
roles come from --assignments (JSON {"accounts": [accountInfo...], "roles":
[roleInfo...]}), read again on every request so a test can take an account
away; without it, one account with one role. --fail-lists answers every
listing with a 429 TooManyRequestsException or a 403 ForbiddenException.
The "browser" approves a device code by fetching verificationUriComplete
(GET /device?user_code=...). POST /fake/revoke invalidates every access token
(the next portal call gets a 401), as signing out in the portal does.

It binds 127.0.0.1 on a port the OS picks and writes the port to --ready.
Every request is appended to --log as one JSON line naming the operation, the
status, the error code, and the non-secret parameters (scopes, grant type,
client type); tokens, secrets and codes are never logged. It exits when its
parent dies.
"""

import argparse
import base64
import hashlib
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARENT_POLL_SECONDS = 0.5
ACCOUNTS = [{"accountId": "111122223333", "accountName": "dev", "emailAddress": "dev@example.com"}]
ROLES = [{"roleName": "Dev", "accountId": "111122223333"}]


class State:
    def __init__(self, access_ttl: int, interval: int, slow_down_once: bool, assignments, page_size: int, fail_lists):
        self.lock = threading.Lock()
        self.assignments_path = assignments
        self.page_size = page_size
        self.fail_lists = fail_lists
        self.slow_down_once = slow_down_once
        self.access_ttl = access_ttl
        self.interval = interval
        self.clients = {}  # clientId -> {"secret", "scopes"}
        self.devices = {}  # deviceCode -> {"user_code", "client_id", "approved", "expires", "polled"}
        self.access = {}  # accessToken -> expiry (epoch seconds)
        self.refresh = {}  # refreshToken -> clientId
        self.codes = {}  # authorization code -> {"client_id", "challenge", "redirect_uri"}


class Handler(BaseHTTPRequestHandler):
    server_version = "sso-peer"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on, the body
    # waits for the client's delayed ACK (40 ms) on every kept-alive request.
    disable_nagle_algorithm = True

    def log_message(self, *args):  # quiet: requests go to --log as JSON
        pass

    # -- plumbing ----------------------------------------------------------
    def body_json(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else {}

    def send(self, status: int, doc: dict, error_type: "str | None" = None):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", secrets.token_hex(8))
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        self.end_headers()
        self.wfile.write(body)
        self.record["status"] = status
        if error_type:
            self.record["error"] = error_type
        with open(self.server.log_path, "a") as log:
            log.write(json.dumps(self.record) + "\n")

    def oidc_error(self, exception: str, code: str, description: str, status: int = 400):
        self.send(status, {"error": code, "error_description": description}, exception)

    def unauthorized(self):
        self.send(401, {"message": "Session token not found or invalid"}, "UnauthorizedException")

    @property
    def state(self) -> State:
        return self.server.state

    def assignments(self):
        if self.state.assignments_path is None:
            return ACCOUNTS, ROLES
        with open(self.state.assignments_path) as f:
            doc = json.load(f)
        return doc["accounts"], doc["roles"]

    # -- routes ------------------------------------------------------------
    def do_POST(self):
        path = urllib.parse.urlparse(self.path).path
        self.record = {"path": path, "t": time.time()}
        try:
            doc = self.body_json()
        except ValueError:
            self.record["op"] = "?"
            return self.oidc_error("InvalidRequestException", "invalid_request", "body is not JSON")
        if path == "/client/register":
            return self.register(doc)
        if path == "/device_authorization":
            return self.device_authorization(doc)
        if path == "/token":
            return self.token(doc)
        if path == "/fake/revoke":
            self.record["op"] = "FakeRevoke"
            with self.state.lock:
                self.state.access.clear()
            return self.send(200, {})
        self.record["op"] = "?"
        return self.send(404, {"message": "no such operation"}, "ResourceNotFoundException")

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        self.record = {"path": url.path}
        if url.path == "/device":
            return self.approve(query)
        if url.path == "/authorize":
            return self.authorize(query)
        if url.path in ("/federation/credentials", "/assignment/accounts", "/assignment/roles"):
            return self.portal(url.path, query)
        self.record["op"] = "?"
        return self.send(404, {"message": "no such operation"}, "ResourceNotFoundException")

    def register(self, doc):
        self.record.update(op="RegisterClient", scopes=doc.get("scopes"), clientType=doc.get("clientType"),
                           grantTypes=doc.get("grantTypes"), redirectUris=doc.get("redirectUris"))
        if doc.get("clientType") != "public" or not doc.get("clientName"):
            return self.oidc_error("InvalidClientMetadataException", "invalid_client_metadata", "clientName and clientType=public are required")
        client_id, client_secret = "cid-" + secrets.token_hex(8), "csecret-" + secrets.token_hex(16)
        with self.state.lock:
            self.state.clients[client_id] = {"secret": client_secret, "scopes": doc.get("scopes") or [],
                                             "redirect_uris": doc.get("redirectUris") or [],
                                             "grant_types": doc.get("grantTypes") or []}
        now = int(time.time())
        return self.send(200, {"clientId": client_id, "clientSecret": client_secret, "clientIdIssuedAt": now, "clientSecretExpiresAt": now + 90 * 86400})

    def client_ok(self, doc) -> bool:
        client = self.state.clients.get(doc.get("clientId"))
        return client is not None and client["secret"] == doc.get("clientSecret")

    def device_authorization(self, doc):
        self.record.update(op="StartDeviceAuthorization", startUrl=doc.get("startUrl"))
        if not self.client_ok(doc):
            return self.oidc_error("InvalidClientException", "invalid_client", "unknown client")
        device_code, user_code = "dc-" + secrets.token_hex(16), secrets.token_hex(2).upper() + "-" + secrets.token_hex(2).upper()
        with self.state.lock:
            self.state.devices[device_code] = {"user_code": user_code, "client_id": doc["clientId"], "approved": False, "expires": time.time() + 600}
        base = "http://%s:%d" % self.server.server_address
        return self.send(200, {
            "deviceCode": device_code,
            "userCode": user_code,
            "verificationUri": base + "/device",
            "verificationUriComplete": base + "/device?user_code=" + user_code,
            "expiresIn": 600,
            "interval": self.state.interval,
        })

    def approve(self, query):
        self.record["op"] = "BrowserApprove"
        with self.state.lock:
            found = [d for d in self.state.devices.values() if d["user_code"] == query.get("user_code")]
            for d in found:
                d["approved"] = True
        return self.send(200 if found else 404, {"approved": bool(found)})

    def authorize(self, query):
        self.record.update(op="Authorize", scopes=query.get("scopes"), codeChallengeMethod=query.get("code_challenge_method"),
                           responseType=query.get("response_type"))
        client = self.state.clients.get(query.get("client_id"))
        redirect = query.get("redirect_uri")
        if client is None or redirect not in client["redirect_uris"] or "authorization_code" not in client["grant_types"]:
            return self.send(400, {"message": "unknown client or redirect_uri"}, "InvalidRequestException")
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return self.send(400, {"message": "PKCE S256 is required"}, "InvalidRequestException")
        code = "code-" + secrets.token_hex(16)
        with self.state.lock:
            self.state.codes[code] = {"client_id": query["client_id"], "challenge": query["code_challenge"], "redirect_uri": redirect}
        location = redirect + "?" + urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.record["status"] = 302
        with open(self.server.log_path, "a") as log:
            log.write(json.dumps(self.record) + "\n")

    def issue(self, client_id: str, scopes) -> dict:
        access, refresh = "at-" + secrets.token_hex(16), "rt-" + secrets.token_hex(16)
        self.state.access[access] = time.time() + self.state.access_ttl
        doc = {"accessToken": access, "tokenType": "Bearer", "expiresIn": self.state.access_ttl}
        if "sso:account:access" in (scopes or []):
            # As the real service: a refresh token only for clients registered with this scope.
            self.state.refresh[refresh] = client_id
            doc["refreshToken"] = refresh
        return doc

    def token(self, doc):
        grant = doc.get("grantType")
        self.record.update(op="CreateToken", grantType=grant)
        if not self.client_ok(doc):
            return self.oidc_error("InvalidClientException", "invalid_client", "unknown client")
        scopes = self.state.clients[doc["clientId"]]["scopes"]
        with self.state.lock:
            if grant == "urn:ietf:params:oauth:grant-type:device_code":
                device = self.state.devices.get(doc.get("deviceCode"))
                if device is None or device["client_id"] != doc["clientId"]:
                    return self.oidc_error("InvalidGrantException", "invalid_grant", "unknown device code")
                if time.time() > device["expires"]:
                    return self.oidc_error("ExpiredTokenException", "expired_token", "the device code expired")
                if self.state.slow_down_once and not device.get("slowed"):
                    device["slowed"] = True
                    return self.oidc_error("SlowDownException", "slow_down", None)
                if not device["approved"]:
                    return self.oidc_error("AuthorizationPendingException", "authorization_pending", None)
                del self.state.devices[doc["deviceCode"]]
                return self.send(200, self.issue(doc["clientId"], scopes))
            if grant == "authorization_code":
                issued = self.state.codes.pop(doc.get("code"), None)
                if issued is None or issued["client_id"] != doc["clientId"] or issued["redirect_uri"] != doc.get("redirectUri"):
                    return self.oidc_error("InvalidGrantException", "invalid_grant", "unknown code or redirect_uri")
                verifier = doc.get("codeVerifier") or ""
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                self.record["pkceVerified"] = digest == issued["challenge"]
                if digest != issued["challenge"]:
                    return self.oidc_error("InvalidGrantException", "invalid_grant", "code_verifier does not match")
                return self.send(200, self.issue(doc["clientId"], scopes))
            if grant == "refresh_token":
                if self.state.refresh.pop(doc.get("refreshToken"), None) != doc["clientId"]:
                    return self.oidc_error("InvalidGrantException", "invalid_grant", "unknown refresh token")
                return self.send(200, self.issue(doc["clientId"], scopes))
        return self.oidc_error("UnsupportedGrantTypeException", "unsupported_grant_type", "grant type not supported")

    def portal(self, path, query):
        ops = {"/federation/credentials": "GetRoleCredentials", "/assignment/accounts": "ListAccounts", "/assignment/roles": "ListAccountRoles"}
        self.record.update(op=ops[path], accountId=query.get("account_id"), roleName=query.get("role_name"))
        token = self.headers.get("x-amz-sso_bearer_token")
        with self.state.lock:
            expiry = self.state.access.get(token)
        if expiry is None or expiry < time.time():
            return self.unauthorized()
        accounts, roles = self.assignments()
        if path == "/assignment/accounts":
            return self.page(query, "accountList", accounts)
        if path == "/assignment/roles":
            return self.page(query, "roleList", [r for r in roles if r["accountId"] == query.get("account_id")])
        if not any(r["accountId"] == query.get("account_id") and r["roleName"] == query.get("role_name") for r in roles):
            return self.send(403, {"message": "No access"}, "ForbiddenException")
        return self.send(200, {"roleCredentials": {
            "accessKeyId": "ASIA" + secrets.token_hex(8).upper(),
            "secretAccessKey": "sso-secret-" + secrets.token_hex(16),
            "sessionToken": "sso-session-" + secrets.token_hex(24),
            "expiration": int((time.time() + 3600) * 1000),
        }})

    def page(self, query, key, items):
        """One page of a listing: nextToken is opaque to clients (the offset, encoded)."""
        self.record.update(nextToken=query.get("next_token") is not None, maxResult=query.get("max_result"))
        if self.state.fail_lists == 429:
            return self.send(429, {"message": "Rate exceeded"}, "TooManyRequestsException")
        if self.state.fail_lists == 403:
            return self.send(403, {"message": "Access denied"}, "ForbiddenException")
        start = 0
        if "next_token" in query:
            try:
                start = int(base64.urlsafe_b64decode(query["next_token"].encode()).decode().removeprefix("page:"))
            except ValueError:
                return self.send(400, {"message": "Invalid nextToken"}, "InvalidRequestException")
        size = self.state.page_size
        if query.get("max_result"):
            size = min(size, int(query["max_result"]))
        doc = {key: items[start:start + size]}
        self.record["items"] = len(doc[key])
        if start + size < len(items):
            doc["nextToken"] = base64.urlsafe_b64encode(("page:%d" % (start + size)).encode()).decode()
        return self.send(200, doc)


def exit_when_orphaned(expected_parent):
    parent = os.getppid()
    if expected_parent is not None and parent != expected_parent:
        os._exit(0)

    def watch():
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--parent-pid", type=int)
    parser.add_argument("--access-token-ttl", type=int, default=3600)
    parser.add_argument("--interval", type=int, default=1)
    parser.add_argument("--slow-down-once", action="store_true", help="answer each device code's first poll with slow_down")
    parser.add_argument("--assignments", help="JSON file of accounts and roles, read on every request")
    parser.add_argument("--page-size", type=int, default=2, help="most items a listing page holds")
    parser.add_argument("--fail-lists", type=int, choices=(403, 429), help="answer every listing with this status")
    args = parser.parse_args()
    exit_when_orphaned(args.parent_pid)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(args.access_token_ttl, args.interval, args.slow_down_once, args.assignments, args.page_size, args.fail_lists)
    server.log_path = args.log
    open(args.log, "a").close()
    tmp = args.ready + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.ready)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
