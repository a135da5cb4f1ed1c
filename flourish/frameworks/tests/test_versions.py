"""Frameworks are versioned: a version in use never changes under anyone's answers."""

import copy

import pytest

from flourish.frameworks.actions import FrameworkInUse, load_framework
from flourish.selfassess import actions as self_actions


def test_loading_the_same_document_again_changes_nothing(model_version):
    again, created = load_framework(copy.deepcopy(model_version.document))
    assert again.pk == model_version.pk and not created


def test_changed_items_in_a_version_in_use_are_refused(model_version, leader, organisation):
    self_actions.start(leader, organisation, model_version)
    changed = copy.deepcopy(model_version.document)
    changed["processes"][0]["items"][0]["self"] = "I do something else."
    with pytest.raises(FrameworkInUse, match="in use"):
        load_framework(changed)
    model_version.refresh_from_db()
    assert model_version.document["processes"][0]["items"][0]["self"] != "I do something else."


def test_a_change_with_a_new_version_number_makes_a_new_version(model_version, leader, organisation):
    assessment = self_actions.start(leader, organisation, model_version)
    changed = copy.deepcopy(model_version.document)
    changed["version"] = model_version.version + 1
    changed["processes"][0]["items"][0]["self"] = "I do something else."
    new, created = load_framework(changed)
    assert created and new.version == model_version.version + 1
    assert model_version.framework.latest() == new
    assessment.refresh_from_db()
    assert assessment.framework_version == model_version


def test_another_organisation_cannot_take_over_a_published_slug(model_version, organisation):
    with pytest.raises(FrameworkInUse, match="already belongs"):
        load_framework(copy.deepcopy(model_version.document), organisation=organisation)
