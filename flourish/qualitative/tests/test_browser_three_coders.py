"""With three coders the agreement table has Fleiss' and Light's kappa beside alpha, and the
page still passes axe-core on a desktop and on a 360 px phone without scrolling sideways."""

import pytest
from playwright.sync_api import expect

from flourish.accounts.models import Role
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

from .test_agreement_three_coders import three_coder_project

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_three_coder_agreement_page_is_accessible_on_desktop_and_phone(page, phone, researcher,
                                                                          second_researcher, organisation,
                                                                          model_version):
    priya = personas.person("priya@riverside.test", Role.RESEARCHER, organisation, "Priya", "Shah")
    project = three_coder_project(researcher, second_researcher, priya, model_version)
    for browser, person in ((page, researcher), (phone, priya)):
        sign_in(browser, person.email, personas.PASSWORD)
        browser.goto(f"/coding/{project.pk}/agreement/")
        table = browser.get_by_role("table", name="Thinking Systematically (main process)")
        expect(table.get_by_role("columnheader", name="Fleiss' kappa (all coders at once)")).to_be_visible()
        expect(table.get_by_role("columnheader", name="Light's kappa (average of pairs)")).to_be_visible()
        assert_accessible(browser)
        if browser is phone:
            assert_fits_width(browser)
