"""What every test starts from, whatever ran before it and on whatever machine.

- Each test gets empty caches and the environment it started with, so no test passes or fails
  because of what an earlier one left behind (rate-limit counts, cached reports, a variable a
  fixture set and forgot).
- Hypothesis runs under a named profile: `HYPOTHESIS_PROFILE=ci` (set by .ci/run) derandomises
  the search and tries more examples, so a CI failure is reproducible; `dev` (the default) keeps
  the local run quick and random.

Django is touched only when pytest-django has configured it, so the pure packages' tests still
run without it (`pytest -p no:django flourish/lib flourish/stats`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,  # the same examples every run: a red CI run is red again locally
    max_examples=300,  # applies where a test does not set its own max_examples
    deadline=None,  # a loaded CI machine is slow; we time nothing in tests
    database=None,  # derandomised runs have nothing worth replaying
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
# `make mutation` runs the pure tests once per mutant: few, fixed examples, so that a
# survivor costs seconds, not the minute the full property runs take.
MUTATION_MAX_EXAMPLES = 20
settings.register_profile("mutation", derandomize=True, max_examples=MUTATION_MAX_EXAMPLES, deadline=None,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under the mutation profile, cap also the tests that set their own max_examples."""
    if settings.get_current_profile_name() != "mutation":
        return
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is not None and own.max_examples > MUTATION_MAX_EXAMPLES:
            test._hypothesis_internal_use_settings = settings(own, max_examples=MUTATION_MAX_EXAMPLES)


def _clear_django_caches() -> None:
    """Empty every configured cache. (A CACHE_URL pointing at Redis is flushed too: give tests
    a Redis database of their own.)"""
    if "django" not in sys.modules:
        return
    from django.conf import settings as django_settings

    if not django_settings.configured:
        return
    from django.core.cache import caches

    for alias in django_settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    _clear_django_caches()
    yield
    _clear_django_caches()


@pytest.fixture(autouse=True)
def _restored_environment() -> Iterator[None]:
    """Put os.environ back as it was, even if the test set or removed variables directly.
    Variables that a longer-lived (module) fixture owns are left to it: the browser fixture
    sets DJANGO_ALLOW_ASYNC_UNSAFE while its browser is open and puts it back itself."""
    before = dict(os.environ)
    yield
    for name in set(os.environ) - set(before) - FIXTURE_OWNED:
        del os.environ[name]
    for name, value in before.items():
        if name not in FIXTURE_OWNED and os.environ.get(name) != value:
            os.environ[name] = value


FIXTURE_OWNED = {"DJANGO_ALLOW_ASYNC_UNSAFE"}
