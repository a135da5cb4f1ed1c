"""A rater's link is a bearer credential: its token never reaches a log. Through gunicorn
(`flourish serve`, access log to a file, Django's logging on the server's output) and
through runserver (django.server)."""

import logging
import secrets
import subprocess
import sys
import time

from flourish.ops.logmask import MaskTokens, mask

from .livesite import ROOT, Visitor, environment, free_port, seed, sqlite_database, start_server, stop_server


def test_mask_replaces_the_token_segment_of_every_kind_of_link():
    token = "Ab3_-xYz" * 5
    assert mask(f"GET /r/{token}/process/2/ HTTP/1.1") == "GET /r/…/process/2/ HTTP/1.1"
    assert mask(f"https://x.org/research/consent/r/{token}/") == "https://x.org/research/consent/r/…/"
    assert mask(f"/sets/join/{token}/") == "/sets/join/…/"
    assert mask(f"/account/password-reset/MQ/{token}/") == "/account/password-reset/MQ/…/"
    assert mask("/account/password-reset/MQ/set-password/") == "/account/password-reset/MQ/set-password/"
    assert mask(f"/r/{token}") == "/r/…"
    assert mask("/feedback/12/") == "/feedback/12/"


def test_the_logging_filter_masks_the_formatted_message():
    token = secrets.token_urlsafe(32)
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/r/{token}/",), None)
    assert MaskTokens().filter(record)
    assert record.getMessage() == "Not Found: /r/…/"
    served = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               (f"GET /r/{token}/ HTTP/1.1", "200", "512"), None)
    MaskTokens().filter(served)
    assert token not in served.getMessage()


def visit_everything(base, token):
    """A rater's visit, plus what leaks tokens in other ways: a referer, a bad link (Django
    logs "Not Found: <path>"), a refused POST (logged as Forbidden)."""
    browser = Visitor(base, headers={"Referer": f"{base}/r/{token}/"})
    assert browser.get(f"/r/{token}/").status == 200
    assert browser.get(f"/r/{token}/process/1/").status == 200
    unknown = secrets.token_urlsafe(32)
    assert browser.get(f"/r/{unknown}/").status == 404
    assert Visitor(base).request("POST", f"/r/{token}/review/", {}).status == 403  # no CSRF token
    return [token, unknown]


def test_gunicorn_access_log_and_django_log_never_hold_a_token(tmp_path):
    url = sqlite_database(tmp_path)
    token = seed(url, "cycle", "--raters", "1", "--answered", "none")["tokens"][0]
    server = start_server(url, tmp_path, workers=1)
    try:
        secrets_sent = visit_everything(server.base, token)
    finally:
        stop_server(server)
    access, output = server.access_log.read_text(), server.error_log.read_text()
    assert '"GET /r/…/process/1/ HTTP/1.1" 200' in access  # the visit is logged, masked
    assert f'"{server.base}/r/…/"' in access  # the referer too
    assert "Not Found: /r/…/" in output and "Forbidden (CSRF cookie not set.): /r/…/review/" in output
    for secret in secrets_sent:
        assert secret not in access and secret not in output


def test_runserver_request_log_never_holds_a_token(tmp_path):
    url = sqlite_database(tmp_path)
    token = seed(url, "cycle", "--raters", "1", "--answered", "none")["tokens"][0]
    port = free_port()
    log = tmp_path / "runserver.log"
    env = environment(url, DEBUG="true")
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "flourish", "runserver", "--noreload", f"127.0.0.1:{port}"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                Visitor(base).get("/healthz")
                break
            except OSError:
                time.sleep(0.2)
        secrets_sent = visit_everything(base, token)
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text()
    assert '"GET /r/…/process/1/ HTTP/1.1" 200' in text
    for secret in secrets_sent:
        assert secret not in text
