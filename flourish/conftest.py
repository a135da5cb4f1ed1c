"""Named personas as fixtures (see flourish/testing/personas.py), and the model itself.

Imports of Django code happen inside the fixtures, so the pure modules' tests also run
without Django (`pytest -p no:django flourish/lib flourish/stats`).
"""

import pytest

# Browser fixtures (chromium, page, phone) for end-to-end and accessibility tests.
from flourish.testing.browser import chromium, page, phone  # noqa: F401


@pytest.fixture
def organisation(db):
    from flourish.testing import personas

    return personas.organisation()


@pytest.fixture
def leader(organisation):
    from flourish.testing import personas

    return personas.leader(organisation)


@pytest.fixture
def facilitator(organisation):
    from flourish.testing import personas

    return personas.facilitator(organisation)


@pytest.fixture
def researcher(organisation):
    from flourish.testing import personas

    return personas.researcher(organisation)


@pytest.fixture
def second_researcher(organisation):
    from flourish.testing import personas

    return personas.second_researcher(organisation)


@pytest.fixture
def org_admin(organisation):
    from flourish.testing import personas

    return personas.org_admin(organisation)


@pytest.fixture
def outsider(db):
    from flourish.testing import personas

    return personas.outsider()


@pytest.fixture
def model_version(db):
    """The built-in framework (loaded by migrate), latest version."""
    from flourish.frameworks.actions import default_framework_slug
    from flourish.frameworks.models import Framework

    return Framework.objects.get(slug=default_framework_slug()).latest()
