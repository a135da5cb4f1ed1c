"""Each test starts from the same state, whatever ran before it (the root conftest.py).

The pairs below run in file order: the first test of a pair leaves something behind, the
second proves it is gone. Removing a fixture from the root conftest makes the second fail.
"""

from __future__ import annotations

import os

from hypothesis import settings

from flourish.testing.browser import allow_async_unsafe

LEFTOVER = "FLOURISH_TEST_LEFTOVER"


def test_a_test_that_sets_an_environment_variable_and_forgets_it():
    os.environ[LEFTOVER] = "left behind"
    os.environ.pop("HOME", None)


def test_the_next_test_does_not_see_it_and_gets_removed_variables_back():
    assert LEFTOVER not in os.environ
    assert "HOME" in os.environ


def test_a_test_that_fills_the_cache():
    from django.core.cache import cache

    cache.set("rate-limit-count", 99)
    assert cache.get("rate-limit-count") == 99


def test_the_next_test_starts_with_an_empty_cache():
    from django.core.cache import cache

    assert cache.get("rate-limit-count") is None


def test_the_async_safety_switch_is_on_only_inside_the_browser_block():
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
    with allow_async_unsafe():
        assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "true"
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ


def test_a_value_that_was_there_before_the_browser_block_is_put_back(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "operator's choice")
    with allow_async_unsafe():
        pass
    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "operator's choice"


def test_hypothesis_runs_under_the_profile_named_in_the_environment():
    expected = os.environ.get("HYPOTHESIS_PROFILE", "dev")
    assert settings.get_current_profile_name() == expected
    if expected == "ci":
        assert settings.default.derandomize and settings.default.deadline is None
