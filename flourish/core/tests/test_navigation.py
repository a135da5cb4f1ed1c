"""The menu says where you are: the section a page belongs to is marked as the current one
(for screen readers too, with aria-current), and no other item is."""

import re

import pytest

pytestmark = pytest.mark.django_db


def current_items(html: str) -> list[str]:
    return re.findall(r'aria-current="page">(?:<strong[^>]*>)?([^<]+)<', html)


@pytest.mark.parametrize(("path", "section"), [
    ("/feedback/", "360° feedback"),
    ("/development/", "Development"),
    ("/development/journal/", "Journal"),
    ("/development/journal/new/", "Journal"),
    ("/sets/", "Action-learning sets"),
    ("/account/", "Your account"),
])
def test_a_leaders_page_marks_its_own_section_in_the_menu_and_no_other(client, leader, path, section):
    client.force_login(leader)
    reply = client.get(path)
    assert reply.status_code == 200
    assert current_items(reply.content.decode()) == [section]


def test_the_organisation_admins_audit_log_belongs_to_their_organisation_section(client, org_admin, organisation):
    client.force_login(org_admin)
    reply = client.get(f"/organisation/{organisation.pk}/audit/")
    assert reply.status_code == 200
    assert current_items(reply.content.decode()) == ["Your organisation"]


def test_the_home_page_marks_no_section(client, leader):
    client.force_login(leader)
    assert current_items(client.get("/").content.decode()) == []
