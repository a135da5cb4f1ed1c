"""When the organisation's identity provider cannot be reached, the person is told so
(with a way round) rather than shown a server error."""

import socket

import pytest
from django.test import Client

from flourish.orgadmin.models import IdentityProvider

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


def test_an_unreachable_provider_gives_a_clear_page(organisation):
    IdentityProvider.objects.create(organisation=organisation, issuer=f"http://127.0.0.1:{closed_port()}",
                                    client_id="x", client_secret="y", allowed_domain="riverside.test")
    client = Client()
    response = client.post("/sign-in/organisation/", {"email": "amara@riverside.test"}, follow=True)
    assert response.status_code == 502
    assert "sign-in cannot be reached" in response.content.decode()
    assert "_auth_user_id" not in client.session
