"""API tokens, created and revoked from the account page: shown once, stored as a hash."""

import hashlib
import re

from django.contrib.messages import get_messages
from django.urls import reverse

from flourish.api.models import ApiToken

RAW_TOKEN = re.compile(r"\bfl_[A-Za-z0-9_-]{20,}")


def create_token(client, name="Reporting script"):
    return client.post(reverse("api:create_token"), {"name": name}, follow=True)


def test_creating_a_token_shows_it_once_in_a_message(client, leader):
    client.force_login(leader)

    response = create_token(client)

    assert response.redirect_chain == [(reverse("account"), 302)]
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert "Reporting script" in messages[0]
    assert "will not be shown again" in messages[0]
    raw = RAW_TOKEN.search(messages[0]).group(0)
    assert raw in response.content.decode()

    later = client.get(reverse("account")).content.decode()
    assert raw not in later
    assert "Reporting script" in later
    assert raw[:8] in later  # the prefix, so the person can tell tokens apart


def test_only_the_tokens_hash_is_stored(client, leader):
    client.force_login(leader)
    response = create_token(client)
    raw = RAW_TOKEN.search(str(list(response.context["messages"])[0])).group(0)

    token = ApiToken.objects.get(user=leader)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(getattr(token, field.attname)) for field in ApiToken._meta.concrete_fields]
    assert not any(raw in value for value in stored)
    assert token.prefix == raw[:8]


def test_a_token_without_a_name_gets_a_default_name(client, leader):
    client.force_login(leader)

    create_token(client, name="   ")

    assert ApiToken.objects.get(user=leader).name == "API token"


def test_creating_a_token_needs_sign_in_and_a_post(client, leader):
    anonymous = client.post(reverse("api:create_token"), {"name": "x"})
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))

    client.force_login(leader)
    assert client.get(reverse("api:create_token")).status_code == 405
    assert not ApiToken.objects.exists()


def test_a_person_can_revoke_their_own_token(client, leader):
    token, _ = ApiToken.issue(leader, "Old script")
    client.force_login(leader)

    response = client.post(reverse("api:revoke_token", args=[token.pk]))

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert "“Old script” no longer works" in str(list(get_messages(response.wsgi_request))[0])


def test_revoking_another_persons_token_is_404_and_leaves_it_working(client, leader, outsider):
    token, _ = ApiToken.issue(outsider, "Olu's script")
    client.force_login(leader)

    response = client.post(reverse("api:revoke_token", args=[token.pk]))

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoking_needs_a_post(client, leader):
    token, _ = ApiToken.issue(leader, "Script")
    client.force_login(leader)

    assert client.get(reverse("api:revoke_token", args=[token.pk])).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()
