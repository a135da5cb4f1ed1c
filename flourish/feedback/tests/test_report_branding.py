"""A report carries its organisation: the admin's logo (alt text: the name on reports) and
that name, on the report page and in its PDF, read back with poppler's pdftotext and
pdfimages. Without a logo the name stands alone; nothing is fetched to lay out the PDF."""

import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from playwright.sync_api import expect

from flourish.feedback.pdf import render_pdf
from flourish.feedback.tests.test_report_outputs import build_cycle, standard_specs
from flourish.jobs.testing import made_pdf
from flourish.orgadmin.tests.helpers import image, signed_in
from flourish.testing import personas
from flourish.testing.browser import assert_accessible, assert_fits_width, sign_in

NAME = "Riverside Family Services"
LOGO = image("PNG", size=(120, 40))

needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdfimages")),
                                   reason="poppler-utils (pdftotext, pdfimages) is not installed")


def branded(org_admin, organisation, logo=LOGO):
    """The admin names the organisation on reports and uploads its logo, through the settings pages."""
    from flourish.orgadmin import actions

    admin = signed_in(org_admin)
    if logo is not None:
        response = admin.post(f"/organisation/{organisation.pk}/settings/logo/",
                              {"logo": SimpleUploadedFile("logo.png", logo)})
        assert response.status_code == 302
    actions.update_settings(org_admin, organisation, {"report_name": NAME})


@pytest.fixture
def released(leader, model_version):
    return build_cycle(leader, model_version, standard_specs(model_version), via_links=False,
                       self_value=lambda j, m: 3)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_images(data: bytes, tmp_path) -> list[tuple[int, int]]:
    """(width, height) of every raster image in the PDF, from `pdfimages -list`."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    return [(int(row.split()[3]), int(row.split()[4])) for row in listing if row.strip()]


@pytest.mark.django_db
def test_the_report_page_shows_the_logo_with_the_name_as_its_alt_text(org_admin, organisation, leader, released):
    branded(org_admin, organisation)
    page = signed_in(leader).get(f"/feedback/{released.pk}/report/").content.decode()
    [img] = re.findall(r'<img class="flourish-report-logo"[^>]*>', page)
    assert f'alt="{NAME}"' in img and 'src="data:image/png;base64,' in img
    assert f'<p class="flourish-report-org">{NAME}</p>' in page


@pytest.mark.django_db
def test_without_a_logo_the_report_names_the_organisation_alone(organisation, leader, released):
    page = signed_in(leader).get(f"/feedback/{released.pk}/report/").content.decode()
    assert '<img class="flourish-report-logo"' not in page
    assert f'<p class="flourish-report-org">{escape(organisation.name)}</p>' in page


@needs_poppler
@pytest.mark.django_db
def test_the_report_pdf_carries_the_logo_and_the_name(org_admin, organisation, leader, released, tmp_path):
    plain = render_pdf(released)
    assert pdf_images(plain, tmp_path) == []  # the charts are drawn, not pictures
    assert organisation.name in pdf_text(plain, tmp_path)

    branded(org_admin, organisation)
    response = made_pdf(signed_in(leader), f"/feedback/{released.pk}/report/pdf/")  # made by a job
    assert pdf_images(response.content, tmp_path) == [(120, 40)]
    text = pdf_text(response.content, tmp_path)
    assert NAME in text and text.index(NAME) < text.index(released.title)


@needs_poppler
@pytest.mark.django_db
def test_a_pdf_made_before_the_logo_was_uploaded_is_made_again_with_it(org_admin, organisation, leader, released,
                                                                        tmp_path):
    client = signed_in(leader)
    before = made_pdf(client, f"/feedback/{released.pk}/report/pdf/")
    assert pdf_images(before.content, tmp_path) == []
    branded(org_admin, organisation)
    page = client.get(f"/feedback/{released.pk}/report.pdf")  # the old PDF is not the report as it looks now
    assert page.status_code == 200 and "Make the PDF" in page.content.decode()
    after = made_pdf(client, f"/feedback/{released.pk}/report/pdf/")
    assert pdf_images(after.content, tmp_path) == [(120, 40)] and NAME in pdf_text(after.content, tmp_path)


@needs_poppler
@pytest.mark.django_db
def test_a_jpeg_logo_goes_into_the_pdf_too(org_admin, organisation, released, tmp_path):
    branded(org_admin, organisation, logo=image("JPEG", size=(90, 30)))
    assert pdf_images(render_pdf(released), tmp_path) == [(90, 30)]


@pytest.mark.django_db(transaction=True)
def test_the_branded_report_passes_axe_on_a_desktop_and_a_phone(page, phone, org_admin, organisation, leader,
                                                                  released):
    branded(org_admin, organisation)
    for browser in (page, phone):
        sign_in(browser, leader.email, personas.PASSWORD)
        browser.goto(f"/feedback/{released.pk}/report/")
        expect(browser.get_by_role("img", name=NAME)).to_be_visible()
        assert_accessible(browser)
    assert_fits_width(phone)


def test_the_pdf_fetches_nothing_but_an_inline_png_or_jpeg():
    from flourish.feedback.pdf import _inline_only

    fetcher = _inline_only()
    for url in ("file:///etc/passwd", "https://example.org/logo.png", "data:image/svg+xml;base64,PHN2Zz4=",
                "data:text/css,body{}"):
        with pytest.raises(ValueError, match="fetches nothing"):
            fetcher.fetch(url)
