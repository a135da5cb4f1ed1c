"""A fresh install: `flourish organisation create` makes the organisation and its first
admin, who chooses their own password from an emailed link; the home page says how to begin."""

import pytest
from django.core.management import CommandError
from django.urls import reverse

from flourish.accounts.models import Membership, Organisation, Role, User
from flourish.jobs.testing import sent_mail
from flourish.testing.personas import PASSWORD

from .helpers import NEW_PASSWORD, flourish, link_in, set_password_from

pytestmark = pytest.mark.django_db(transaction=True)  # mail is sent on commit

NAME = "Riverside Children's Centre"


def test_create_makes_the_organisation_and_emails_its_first_admin_a_set_your_password_link(client, settings):
    settings.SITE_URL = "https://flourish.riverside.test"
    out = flourish("organisation", "create", NAME, "--admin", "Sam@Riverside.test")

    organisation = Organisation.objects.get(name=NAME)
    sam = User.objects.get(email="sam@riverside.test")
    assert Membership.objects.filter(user=sam, organisation=organisation, role=Role.ADMIN).exists()
    assert not sam.has_usable_password()
    assert f"Created the organisation {NAME!r}." in out
    assert "Queued an email to sam@riverside.test with a link to set their password (a worker sends it)." in out
    [message] = sent_mail()
    assert message.to == ["sam@riverside.test"]
    assert "https://flourish.riverside.test/account/password-reset/" in message.body

    assert set_password_from(client, link_in(message)).status_code == 302
    sam.refresh_from_db()
    assert sam.check_password(NEW_PASSWORD)
    signed_in = client.post(reverse("login"), {"username": "sam@riverside.test", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_the_link_works_once(client):
    flourish("organisation", "create", NAME, "--admin", "sam@riverside.test")
    link = link_in(sent_mail()[0])
    set_password_from(client, link)
    client.logout()
    assert client.get(link, follow=True).context["validlink"] is False


def test_running_create_again_changes_nothing_and_says_so():
    flourish("organisation", "create", NAME, "--admin", "sam@riverside.test")
    sam = User.objects.get()
    sam.set_password(PASSWORD)
    sam.save()
    sent_mail().clear()

    out = flourish("organisation", "create", NAME, "--admin", "sam@riverside.test")

    assert f"The organisation {NAME!r} already exists." in out
    assert f"sam@riverside.test was already an organisation admin of {NAME!r}." in out
    assert Organisation.objects.count() == 1 and User.objects.count() == 1 and Membership.objects.count() == 1
    assert sent_mail() == []
    sam.refresh_from_db()
    assert sam.check_password(PASSWORD)


def test_running_create_again_before_the_admin_chose_a_password_sends_a_fresh_link():
    flourish("organisation", "create", NAME, "--admin", "sam@riverside.test")
    out = flourish("organisation", "create", NAME, "--admin", "sam@riverside.test")
    assert "Queued an email to sam@riverside.test with a link to set their password (a worker sends it)." in out
    assert len(sent_mail()) == 2 and Membership.objects.count() == 1


def test_an_existing_account_becomes_admin_without_a_password_link(leader):
    out = flourish("organisation", "create", "Hilltop Family Hub", "--admin", leader.email)
    assert f"{leader.email} is now an organisation admin of 'Hilltop Family Hub'." in out
    [message] = sent_mail()
    assert "password-reset" not in message.body
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD)


def test_a_bad_admin_address_saves_nothing():
    with pytest.raises(CommandError, match="'sam' is not an email address"):
        flourish("organisation", "create", NAME, "--admin", "sam")
    assert not Organisation.objects.exists() and not User.objects.exists() and sent_mail() == []


def test_the_home_page_of_an_empty_install_says_how_to_begin(client):
    page = client.get("/").content.decode()
    assert "This Flourish has no organisation yet" in page
    assert "flourish organisation create" in page

    flourish("organisation", "create", NAME, "--admin", "sam@riverside.test")
    assert "no organisation yet" not in client.get("/").content.decode()


def test_coding_import_on_an_empty_install_names_the_command(tmp_path):
    qdpx = tmp_path / "project.qdpx"
    qdpx.write_bytes(b"not read: the organisation is looked up first")
    with pytest.raises(CommandError, match="flourish organisation create NAME --admin EMAIL"):
        flourish("coding", "import", str(qdpx), "--project", "X")
