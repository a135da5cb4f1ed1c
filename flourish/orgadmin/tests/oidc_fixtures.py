"""A real OpenID Connect provider for the tests: the npm `oidc-provider` package run with
Node (flourish/orgadmin/tests/oidc/provider.mjs). Its node_modules are installed from
package-lock.json the first time (`npm ci`), and kept out of git."""

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).with_name("oidc")
CLIENT_ID = "flourish-tests"
CLIENT_SECRET = "a-test-only-client-secret"  # noqa: S105 - a throwaway provider on loopback
SECRET_ENV = "FLOURISH_TEST_OIDC_SECRET"

# Logins the provider knows (any password), and what it says about each.
ACCOUNTS = {
    "newcomer": {"email": "nia@riverside.test", "email_verified": True, "given_name": "Nia", "family_name": "Evans"},
    "amara": {"email": "Amara@Riverside.test", "email_verified": True, "given_name": "Amara", "family_name": "Okafor"},
    "unverified": {"email": "ursula@riverside.test", "email_verified": False},
    "elsewhere": {"email": "eve@elsewhere.test", "email_verified": True},
    "rhys": {"email": "rhys@meadow.test", "email_verified": True, "given_name": "Rhys", "family_name": "Morgan"},
}


def install_provider() -> None:
    if (HERE / "node_modules" / "oidc-provider").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed: the OpenID Connect tests run a real provider with Node")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True, timeout=600)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oidc_provider(live_server):
    """The provider's issuer URL, with Flourish's callback on the live server registered."""
    install_provider()
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the OpenID Connect tests run a real provider with Node")
    port = free_port()
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
           "OIDC_REDIRECT_URI": f"{live_server.url}/sign-in/organisation/callback/",
           "OIDC_ACCOUNTS": json.dumps(ACCOUNTS)}
    process = subprocess.Popen([node, "provider.mjs"], cwd=HERE, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        line = ""
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("ready"):
                break
            if process.poll() is not None:
                pytest.fail(f"the OpenID provider did not start: {line}{process.stdout.read()}")
        else:
            pytest.fail("the OpenID provider did not start within 30 s")
        # Keep reading its output, so a chatty provider never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
        os.environ[SECRET_ENV] = CLIENT_SECRET
        yield f"http://127.0.0.1:{port}"
    finally:
        os.environ.pop(SECRET_ENV, None)
        process.terminate()
        process.wait(timeout=10)
