"""Fixtures for the orgadmin tests. The OIDC provider is registered here, not imported into
each test module, so a test's `oidc_provider` argument is a fixture and not a shadowed name."""

from .oidc_fixtures import oidc_provider  # noqa: F401 (the import registers the fixture)
