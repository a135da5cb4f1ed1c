"""Real-browser testing: Debian's chromium driven by Playwright (never a downloaded
browser), and axe-core for WCAG 2.2 AA checks."""

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

AXE = Path(__file__).with_name("axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def chromium():
    """One browser per test module. Not per session: Playwright's sync API keeps an asyncio
    loop running in this thread while it is open, and tests that run meanwhile reach the
    database from asyncio's executor thread, whose connection outlives the run (PostgreSQL
    then refuses to drop the test database)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (apt-get install chromium; .ci/run does it)")
    # Playwright's sync API keeps an event loop in this thread; Django's database calls
    # from test code then look "async" to Django although they are not. Only while the
    # browser is open: the rest of the run keeps Django's async-safety check.
    with allow_async_unsafe(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@contextmanager
def allow_async_unsafe() -> Iterator[None]:
    """Set DJANGO_ALLOW_ASYNC_UNSAFE for the block, then put back what was there before."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def assert_accessible(page):
    """Zero axe-core violations (WCAG 2.0–2.2 A and AA) on the page as it is now."""
    violations = axe_violations(page)
    details = [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert not violations, f"axe-core violations on {page.url}:\n{json.dumps(details, indent=2)}"


def assert_fits_width(page):
    """Nothing makes the page scroll sideways (the 360 px phone check)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(-5).map(e => e.tagName.toLowerCase()
                                + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))""")
        raise AssertionError(f"{page.url} scrolls sideways by {overflow}px; widest: {culprits}")


def sign_in(page, email, password):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
