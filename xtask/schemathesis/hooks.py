"""Schemathesis hooks of `cargo xtask schemathesis`: sign in once as the seeded admin and send
the session cookie with every generated request except sign-out.

The sign-in happens when Schemathesis loads this module, before any generated request, because
generated sign-ins with wrong passwords soon hit the per-address limit of failed sign-ins.
"""

import json
import os
import urllib.request

import schemathesis

BASE_URL = os.environ["CONSOLE_SCHEMATHESIS_BASE_URL"]
ADMIN_PASSWORD = os.environ["CONSOLE_SCHEMATHESIS_ADMIN_PASSWORD"]


def sign_in() -> str:
    """Signs in as admin and returns the value of the console_session cookie."""
    body = json.dumps({"username": "admin", "password": ADMIN_PASSWORD}).encode()
    request = urllib.request.Request(
        f"{BASE_URL}/session",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Requested-With": "console"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        set_cookie = response.headers["Set-Cookie"]
    pair = set_cookie.split(";", 1)[0]
    name, _, value = pair.partition("=")
    if name != "console_session" or not value:
        raise RuntimeError(f"sign-in set no session cookie: {set_cookie!r}")
    return value


SESSION_TOKEN = sign_in()


@schemathesis.auth(refresh_interval=None)
class SessionCookie:
    """Sends the admin's session cookie, except with DELETE /session, which would end it."""

    def get(self, case, context):
        return SESSION_TOKEN

    def set(self, case, data, context):
        if case.method.upper() == "DELETE" and case.path == "/session":
            return
        case.cookies = dict(case.cookies or {})
        case.cookies["console_session"] = data
