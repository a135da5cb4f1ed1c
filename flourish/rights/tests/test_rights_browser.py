"""The data-protection pages in Chromium: axe-core on a desktop and at 360 px."""

import pytest

from flourish.feedback.tests.test_report_outputs import build_cycle, standard_specs
from flourish.rights import actions
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_rights_page_passes_axe_on_desktop_and_phone(page, phone, leader, organisation, model_version):
    coach = personas.person("chris@coaching.test", "facilitator", organisation, "Chris", "Coach")
    cycle = build_cycle(leader, model_version, standard_specs(model_version), via_links=False,
                        self_value=lambda j, m: 3)
    actions.share(leader, cycle, coach)
    for view in (page, phone):
        for path in ("/privacy/", "/accessibility/"):
            view.goto(path)
            assert_accessible(view)
        sign_in(view, leader.email, personas.PASSWORD)
        for path in ("/your-data/", "/your-data/erase/", f"/your-data/reports/{cycle.pk}/sharing/",
                     f"/your-data/reports/{cycle.pk}/sharing/{coach.pk}/remove/"):
            view.goto(path)
            assert_accessible(view)
    for path in ("/privacy/", "/accessibility/", "/your-data/", f"/your-data/reports/{cycle.pk}/sharing/"):
        phone.goto(path)
        assert_fits_width(phone)
