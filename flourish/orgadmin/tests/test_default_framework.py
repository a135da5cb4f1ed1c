"""The framework the organisation admin chooses as the default is the one new work starts
on: a self-assessment's, a set's and a coding project's start forms offer it first, a new
360° round asks raters about it, and the API starts a self-assessment on it. Without a
choice, Flourish's own default (the model) stays."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from flourish.api import actions as api_actions
from flourish.feedback.models import Cycle
from flourish.feedback.tests.helpers import without_list_approval
from flourish.frameworks.models import Framework

from .helpers import signed_in
from .test_frameworks_and_settings import own_framework_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_default(org_admin, organisation, model_version):
    """Riverside's own framework, uploaded and chosen as the default through the admin's pages."""
    admin = signed_in(org_admin)
    assert upload(admin, organisation, own_framework_file()).status_code == 302
    own = Framework.objects.get(slug="riverside-own")
    assert admin.post(f"/organisation/{organisation.pk}/frameworks/default/", {"framework": own.pk}).status_code == 302
    return own.latest()


def selected_option(html: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    chosen = re.search(r'<option value="(\d+)"[^>]*\bselected\b', select.group(1))
    return chosen.group(1) if chosen else None


def checked_radio(html: str, name: str) -> str | None:
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html):
        if re.search(r"\bchecked\b", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def test_the_self_assessment_start_form_offers_the_organisations_default_first(own_default, leader, model_version):
    leader_client = signed_in(leader)
    page = leader_client.get("/self-assessment/").content.decode()
    assert selected_option(page, "framework") == str(own_default.pk)
    response = leader_client.post("/self-assessment/start/", {
        "organisation": leader.memberships.first().organisation_id, "framework": own_default.pk})
    assert response.status_code == 302
    assert leader.self_assessments.get().framework_version == own_default


def test_an_uploaded_framework_that_is_not_the_default_is_not_preselected(org_admin, organisation, leader,
                                                                          model_version):
    assert upload(signed_in(org_admin), organisation, own_framework_file()).status_code == 302
    page = signed_in(leader).get("/self-assessment/").content.decode()
    assert selected_option(page, "framework") is None


def new_round(leader, organisation):
    without_list_approval(organisation)
    return signed_in(leader).post("/feedback/new/", {
        "title": "Spring round", "closes_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "organisation": organisation.pk, "leader": leader.pk})


def test_a_new_360_round_asks_about_the_organisations_default(own_default, leader, organisation):
    assert new_round(leader, organisation).status_code == 302
    cycle = Cycle.objects.get(title="Spring round")
    assert cycle.framework_version == own_default
    assert cycle.self_assessment.framework_version == own_default


def test_without_a_default_a_new_round_asks_about_the_model(leader, organisation, model_version):
    assert new_round(leader, organisation).status_code == 302
    assert Cycle.objects.get(title="Spring round").framework_version == model_version


def test_a_new_set_and_a_new_coding_project_offer_the_default_first(own_default, facilitator, researcher):
    sets_page = signed_in(facilitator).get("/sets/").content.decode()
    assert selected_option(sets_page, "framework") == str(own_default.pk)
    coding_page = signed_in(researcher).get("/coding/").content.decode()
    assert checked_radio(coding_page, "framework") == str(own_default.pk)


def test_the_api_starts_a_self_assessment_on_the_default_unless_told_otherwise(own_default, leader, model_version):
    _, raw = api_actions.issue_token(leader, "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    started = client.post("/api/self-assessments", "{}", content_type="application/json")
    assert started.status_code == 201
    assert json.loads(started.content)["framework"] == {"slug": "riverside-own", "version": own_default.version}
    asked = client.post("/api/self-assessments", json.dumps({"framework": model_version.slug}),
                        content_type="application/json")
    assert json.loads(asked.content)["framework"]["slug"] == model_version.slug
