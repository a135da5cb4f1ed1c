"""The released report as a page, a PDF, JSON (page link and API) and `flourish report`:
every output shows exactly the figures stored in `cycle.report` when the cycle closed,
and nothing the disclosure rules withheld (the rules themselves are tested in
flourish/lib/tests)."""

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flourish.api.models import ApiToken
from flourish.feedback import actions, pdf
from flourish.feedback.models import Rater, Response
from flourish.jobs.testing import made_pdf
from flourish.selfassess import actions as self_actions

from .helpers import without_list_approval

# --- building a released cycle --------------------------------------------------------

SMALL_GROUP = "Education and early years"  # two raters: below k, must never be named
HIDDEN_COMMENTS = ["Only two of us said this about flow.", "A second lonely remark on flow."]
SHOWN_COMMENTS = [
    "Joins up the health visitors and the school.", "Always explains who funds what.",
    "Knows every pathway in the borough.", "Maps the system before acting.",
]


@dataclass
class RaterSpec:
    profession: str
    relationship: str
    answers: dict = field(default_factory=dict)  # process id -> {item id: 1..5 | None}
    comments: dict = field(default_factory=dict)  # process id -> text


def build_cycle(leader, version, specs, *, title="Spring 360", k=3, comment_k=3, self_value=None,
                importance=None, via_links=True):
    """A cycle with the given raters' answers, the leader's self part (unless
    self_value is None and importance is None), then closed by `actions.close`."""
    organisation = without_list_approval(leader.memberships.first().organisation)
    cycle = actions.create_cycle(leader, organisation, version, title, timezone.localdate() + timedelta(days=14))
    cycle.min_k, cycle.min_comments = k, comment_k
    cycle.professional_groups = sorted({s.profession for s in specs} | set(cycle.professional_groups))
    cycle.save()
    raters = [
        actions.nominate(cycle, name=f"Rater {i}", email=f"rater{i}@example.org", profession=s.profession,
                         employer="Somewhere", relationship=s.relationship)
        for i, s in enumerate(specs)
    ]
    actions.send_invitations(cycle)
    for rater, spec in zip(raters, specs):
        if via_links:
            for process in version.processes:
                actions.save_page(rater, process["id"], spec.answers.get(process["id"], {}),
                                  spec.comments.get(process["id"]))
            actions.submit(rater)
        else:
            Response.objects.create(rater=rater, answers={k: v for a in spec.answers.values() for k, v in a.items()},
                                    comments=spec.comments, submitted_at=timezone.now())
    if self_value is not None:
        own = cycle.self_assessment
        for j, process in enumerate(version.processes):
            answers = {item["id"]: self_value(j, m) for m, item in enumerate(process["items"])}
            self_actions.save_answers(own, process["id"], answers, (importance or {}).get(process["id"], 3))
        self_actions.complete(own)
    cycle = actions.close(cycle)
    cycle.refresh_from_db()
    return cycle


def standard_specs(version):
    processes = version.processes
    people = (
        [("Health", "team member")] * 3 + [("Social care", "partner agency")] * 3
        + [("Family support", "peer")] * 3 + [(SMALL_GROUP, "team member")] * 2
    )
    specs = []
    for i, (profession, relationship) in enumerate(people):
        answers = {}
        for j, process in enumerate(processes):
            answers[process["id"]] = {
                item["id"]: (None if (i + j + m) % 7 == 0 else 1 + (i * 3 + j * 2 + m) % 5)
                for m, item in enumerate(process["items"])
            }
        comments = {}
        if i < len(SHOWN_COMMENTS):
            comments[processes[0]["id"]] = SHOWN_COMMENTS[i]
        if i in (5, 9):
            comments[processes[6]["id"]] = HIDDEN_COMMENTS[0 if i == 5 else 1]
        specs.append(RaterSpec(profession, relationship, answers, comments))
    return specs


@pytest.fixture
def released(leader, model_version):
    importance = {p["id"]: (5 if j % 2 == 0 else 2) for j, p in enumerate(model_version.processes)}
    return build_cycle(leader, model_version, standard_specs(model_version),
                       self_value=lambda j, m: 1 + (j + m) % 5, importance=importance)


# --- reading the outputs --------------------------------------------------------------

NUMBER = re.compile(r"(?<![\d.])\d+\.\d\d(?!\d)")
N = re.compile(r"n\s*=\s*(\d+)")


def _walk_figures(entry, out, ns):
    for key in ("self", "reach"):
        if key in entry:
            out.add(f"{abs(entry[key]):.2f}")
    if "others" in entry:
        out.add(f"{entry['others']['score']:.2f}")
        ns.add(entry["others"]["n"])
    if "gap" in entry:
        out.add(f"{abs(entry['gap']['difference']):.2f}")
    for groups in (entry.get("groups") or {}).values():
        for figure in groups.values():
            out.add(f"{figure['score']:.2f}")
            ns.add(figure["n"])


def figures(report) -> tuple[set[str], set[int]]:
    """Every two-decimal figure an output shows from the report (signs aside), and every n."""
    out, ns = {f"{report['rules']['gap_margin']:.2f}"}, set()
    for process in report["processes"]:
        _walk_figures(process, out, ns)
        for item in process["items"]:
            _walk_figures(item, out, ns)
    for change in (report.get("change") or {}).get("processes", {}).values():
        out.update(f"{abs(v):.2f}" for v in change.values())
    return out, ns


def shown(text) -> tuple[set[str], set[int]]:
    return set(NUMBER.findall(text)), {int(n) for n in N.findall(text)}


def pdf_text(data: bytes) -> str:
    """The PDF's text, as pdftotext reads it; without poppler, the same dict's layout text
    from WeasyPrint."""
    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
        return result.stdout.decode("utf-8")
    raise AssertionError("pdftotext is missing (apt-get install poppler-utils)")


def layout_text(document) -> str:
    """Text of every laid-out box on every page of a WeasyPrint document."""
    parts = []

    def walk(box):
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
        for child in getattr(box, "children", ()) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(parts)


def cli(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def page_html(client, cycle, query=""):
    response = client.get(f"/feedback/{cycle.pk}/report/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def as_leader(client, leader):
    client.force_login(leader)
    return client


# --- the tests --------------------------------------------------------------------------

def test_the_report_is_released_with_groups_withheld(released):
    assert released.is_released
    assert released.report["suppressed"] == {"groups": True, "comments": True}
    assert released.report["respondents"] == {"self": 1, "others": 11}


def test_page_pdf_json_and_cli_show_the_same_figures(as_leader, released):
    report = released.report
    expected, ns = figures(report)
    assert len(expected) > 20 and ns

    page = page_html(as_leader, released)
    radar = page_html(as_leader, released, "?view=radar")
    printable = cli(str(released.pk), "--format", "html")
    pdf_response = made_pdf(as_leader, f"/feedback/{released.pk}/report/pdf/")  # made by a job
    from_pdf = pdf_text(pdf_response.content)

    for name, text in [("page", page), ("radar page", radar), ("cli html", printable), ("pdf", from_pdf)]:
        assert shown(text) == (expected, ns), name

    from_link = as_leader.get(f"/feedback/{released.pk}/report.json")
    assert from_link["Content-Type"] == "application/json"
    assert json.loads(from_link.content) == report
    assert json.loads(cli(str(released.pk), "--format", "json")) == report
    assert json.loads(cli(str(released.pk))) == report  # json is the default


def test_the_api_returns_the_stored_report_with_stable_keys(client, leader, released):
    _, token = ApiToken.issue(leader, "tests")
    response = client.get(f"/api/cycles/{released.pk}/report", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == released.report
    # The same text everywhere, whatever order the database keeps a JSON object's keys in.
    assert response.content.decode() == cli(str(released.pk), "--format", "json")
    listed = client.get("/api/cycles", headers={"Authorization": f"Bearer {token}"}).json()
    assert listed == [{"id": released.pk, "title": "Spring 360", "status": "closed",
                       "released": listed[0]["released"]}]
    assert listed[0]["released"] is not None


def test_a_professional_group_of_two_appears_nowhere(as_leader, released, tmp_path):
    outputs = {
        "page": page_html(as_leader, released),
        "radar": page_html(as_leader, released, "?view=radar"),
        "json": cli(str(released.pk), "--format", "json"),
        "html": cli(str(released.pk), "--format", "html"),
        "pdf": pdf_text(made_pdf(as_leader, f"/feedback/{released.pk}/report/pdf/").content),
    }
    target = tmp_path / "report.pdf"
    call_command("report", str(released.pk), "--format", "pdf", "--output", str(target))
    outputs["cli pdf"] = pdf_text(target.read_bytes())
    for name, text in outputs.items():
        assert SMALL_GROUP not in text, name
        assert "Education" not in text, name
    # The groups that reached k are shown, so the check above is not vacuous.
    assert "Health" in outputs["page"] and "Health" in outputs["pdf"]


def test_comments_below_the_minimum_appear_nowhere_and_the_rest_in_the_stored_order(as_leader, released):
    first = released.framework_version.processes[0]["id"]
    stored = released.report["comments"][first]
    assert sorted(stored) == sorted(SHOWN_COMMENTS)
    outputs = [
        page_html(as_leader, released), cli(str(released.pk), "--format", "json"),
        cli(str(released.pk), "--format", "html"),
        pdf_text(made_pdf(as_leader, f"/feedback/{released.pk}/report/pdf/").content),
    ]
    for text in outputs:
        for hidden in HIDDEN_COMMENTS:
            assert hidden not in text
    page = outputs[0]
    positions = [page.index(text) for text in stored]
    assert positions == sorted(positions)
    assert "Comments on some processes are not shown" in page


def test_the_page_has_bar_charts_with_tables_by_default_and_a_radar_on_request(as_leader, released):
    page = page_html(as_leader, released)
    processes = released.report["processes"]
    assert page.count('class="flourish-chart"') == len(processes)
    assert 'role="img"' in page and "<title id=\"bars-" in page and "<desc id=\"bars-" in page
    assert "radar-title" not in page
    assert page.count('role="region"') >= 2 * len(processes) + 1
    assert 'href="?view=radar"' in page

    radar = page_html(as_leader, released, "?view=radar")
    assert radar.count("class=\"flourish-chart flourish-chart--radar\"") == 1
    assert 'class="flourish-chart"' not in radar
    assert "harder to read accurately than bars" in radar
    assert '<title id="radar-title">' in radar
    # The radar's table names every process.
    for process in processes:
        assert process["name"] in radar


def test_the_page_summarises_and_documents_the_method(as_leader, leader, model_version):
    specs = standard_specs(model_version)
    importance = {p["id"]: 5 for p in model_version.processes}
    cycle = build_cycle(leader, model_version, specs, k=4, comment_k=5, self_value=lambda j, m: 5,
                        importance=importance, via_links=False)
    page = page_html(as_leader, cycle)
    report = cycle.report
    assert "Blind spots" in page and "Hidden strengths" in page and "Priorities" in page
    blind = [p["name"] for p in report["processes"] if (p.get("gap") or {}).get("kind") == "blind spot"]
    assert blind  # self 5 everywhere: every shown gap is a blind spot
    summary = page[page.index('id="summary"'):page.index('id="all-processes"')]
    for name in blind:
        assert name in summary
    priorities = [p["name"] for p in report["processes"] if p.get("others", {}).get("score", 5) < 3.5]
    for name in priorities:
        assert name in summary
    method = page[page.index('id="method"'):]
    assert "at least 4 people (k)" in method
    assert "at least 5 people commented" in method
    assert "at least half" in method
    assert "each person weighs equally" in method
    assert "“Other raters”" in method
    assert "subtraction" in method
    assert "built once, when the feedback round closed, and is fixed" in method
    assert "by at least 0.50" in method
    assert "not yet validated" in method and "Flourish’s own operationalisation" in method
    assert 'href="https://doi.org/10.1080/13561820.2021.1897553"' in method
    assert f'action="/feedback/{cycle.pk}/report/pdf/"' in page  # the PDF is prepared by a job
    assert f'href="/feedback/{cycle.pk}/report.json"' in page
    assert "Some groups are not shown separately" in page


def test_a_later_cycle_shows_the_change_since_the_previous_one(as_leader, leader, model_version):
    specs = standard_specs(model_version)
    first = build_cycle(leader, model_version, specs, title="Autumn 360", self_value=lambda j, m: 3, via_links=False)
    for spec in specs:
        for answers in spec.answers.values():
            for item in answers:
                answers[item] = 5
    second = build_cycle(leader, model_version, specs, title="Spring 360", self_value=lambda j, m: 4, via_links=False)
    change = second.report["change"]
    assert change["cycle"] == first.pk and change["processes"]
    page = page_html(as_leader, second)
    assert "with the change since “Autumn 360”" in page
    signed = {f"{v:+.2f}".replace("-", "−") for c in change["processes"].values() for v in c.values()}
    for value in signed:
        assert value in page
    assert shown(page) == figures(second.report)


def test_a_report_without_a_self_assessment_shows_others_only(as_leader, leader, model_version):
    cycle = build_cycle(leader, model_version, standard_specs(model_version), via_links=False)
    assert cycle.report["respondents"]["self"] == 0
    page = page_html(as_leader, cycle)
    assert "Self-assessment included" in page
    assert shown(page) == figures(cycle.report)


def test_the_pdf_is_a4_in_dejavu_and_lays_out_the_same_text(released):
    document = pdf.render_document(released)
    first = document.pages[0]
    assert (round(first.width * 25.4 / 96), round(first.height * 25.4 / 96)) == (210, 297)
    text = layout_text(document)
    assert released.report["cycle"]["title"] in text and "Method" in text
    assert shown(text)[0] == figures(released.report)[0]
    data = document.write_pdf()
    assert data.startswith(b"%PDF")
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
        assert "DejaVu" in fonts and "Transport" not in fonts


# --- an unreleased report ----------------------------------------------------------------

@pytest.fixture
def unreleased(leader, model_version):
    """Closed with two others responding (k = 3): no report."""
    specs = standard_specs(model_version)[:2]
    return build_cycle(leader, model_version, specs, via_links=False)


@pytest.fixture
def still_open(leader, model_version):
    organisation = without_list_approval(leader.memberships.first().organisation)
    cycle = actions.create_cycle(leader, organisation, model_version, "Open round",
                                 timezone.localdate() + timedelta(days=10))
    rater = actions.nominate(cycle, name="Ann", email="ann@example.org", profession="Health",
                             relationship="peer")
    actions.send_invitations(cycle)
    Response.objects.create(rater=rater, answers={}, submitted_at=timezone.now())
    return cycle


def test_an_open_cycle_says_when_its_report_opens_and_shows_no_counts(as_leader, still_open):
    page = page_html(as_leader, still_open)
    assert "opens after the feedback round closes" in page
    assert "at least 3 people other than the leader" in page
    assert "flourish-chart" not in page and "responded:" not in page.lower()
    # No count of any kind: the only figures are the closing date and k.
    main = re.sub(r"<[^>]+>", " ", page[page.index("<main"):page.index("</main>")])
    closes_on = still_open.closes_on
    main = main.replace("360°", "").replace(f"{closes_on.day} ", "").replace(str(closes_on.year), "")
    assert re.findall(r"\d+", main) == ["3"]


def test_a_cycle_closed_without_enough_responses_has_no_report_anywhere(as_leader, leader, unreleased, capsys):
    assert not unreleased.is_released
    page = page_html(as_leader, unreleased)
    assert "closed without a report" in page
    response = as_leader.get(f"/feedback/{unreleased.pk}/report.json")
    assert response.status_code == 409 and "not released yet" in response.json()["message"]
    response = as_leader.get(f"/feedback/{unreleased.pk}/report.pdf")
    assert response.status_code == 409 and b"not released yet" in response.content
    _, token = ApiToken.issue(leader, "tests")
    api = as_leader.get(f"/api/cycles/{unreleased.pk}/report", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 409 and "not released yet" in api.json()["message"]
    listed = as_leader.get("/api/cycles", headers={"Authorization": f"Bearer {token}"}).json()
    assert listed == [{"id": unreleased.pk, "title": "Spring 360", "status": "closed", "released": None}]
    with pytest.raises(CommandError) as error:
        call_command("report", str(unreleased.pk), "--format", "json")
    assert error.value.returncode == 1 and "not released yet" in str(error.value)


# --- the command line ---------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["999999", "--format", "json"], "no cycle with id 999999"),
    (["abc", "--format", "json"], "CYCLE must be a cycle id"),
    (["1", "--format", "docx"], "unknown --format 'docx': choose one of json, pdf, html"),
])
def test_the_cli_refuses_bad_input_with_exit_one(db, args, message):
    with pytest.raises(CommandError) as error:
        call_command("report", *args)
    assert error.value.returncode == 1
    assert message in str(error.value)


def test_a_bad_format_exits_one_with_a_message_from_the_real_command():
    result = subprocess.run([sys.executable, "-m", "flourish", "report", "1", "--format", "docx"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "unknown --format 'docx'" in result.stderr and "Traceback" not in result.stderr


def test_the_cli_writes_a_pdf_to_stdout_without_output(released, capsysbinary):
    call_command("report", str(released.pk), "--format", "pdf")
    data = capsysbinary.readouterr().out
    assert data.startswith(b"%PDF")
    assert shown(pdf_text(data)) == figures(released.report)


def test_the_cli_writes_json_to_a_file(released, tmp_path):
    target = tmp_path / "report.json"
    call_command("report", str(released.pk), "--format", "json", "--output", str(target))
    assert json.loads(target.read_text(encoding="utf-8")) == released.report


# --- no extra figure, for random raters ------------------------------------------------------

PROFESSIONS = ["Health", "Social care", "Family support", "Voluntary and community"]
RELATIONSHIPS = ["peer", "team member", "partner agency", "line manager"]
answer = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def rater_specs(draw, processes):
    count = draw(st.integers(3, 9))
    specs = []
    for _ in range(count):
        answers = {
            p["id"]: {item["id"]: draw(answer) for item in p["items"]} for p in processes
        }
        comments = {}
        if draw(st.booleans()):
            comments[processes[0]["id"]] = f"Comment {draw(st.sampled_from('abcdefgh'))}"
        specs.append(RaterSpec(draw(st.sampled_from(PROFESSIONS)), draw(st.sampled_from(RELATIONSHIPS)),
                               answers, comments))
    return specs


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_outputs_show_exactly_the_figures_in_the_stored_report(client, leader, model_version, data):
    processes = model_version.processes
    specs = data.draw(rater_specs(processes))
    k = data.draw(st.sampled_from([3, 4]))
    self_value = data.draw(st.one_of(st.none(), st.just(lambda j, m: 1 + (j * 7 + m) % 5)))
    cycle = build_cycle(leader, model_version, specs, k=k, self_value=self_value, via_links=False,
                        title="Property round")
    client.force_login(leader)
    if not cycle.is_released:
        assert client.get(f"/feedback/{cycle.pk}/report.json").status_code == 409
        return
    expected = figures(cycle.report)
    assert shown(page_html(client, cycle)) == expected
    assert shown(page_html(client, cycle, "?view=radar")) == expected
    assert shown(cli(str(cycle.pk), "--format", "html")) == expected
    assert json.loads(cli(str(cycle.pk), "--format", "json")) == cycle.report
    assert json.loads(client.get(f"/feedback/{cycle.pk}/report.json").content) == cycle.report
    # Never a rater's own group or comment beyond what the report holds.
    page = page_html(client, cycle)
    for spec in specs:
        for text in spec.comments.values():
            if text not in json.dumps(cycle.report):
                assert text not in page


def test_report_outputs_read_only_the_stored_report(as_leader, released):
    """Answers changed after release (which the actions refuse) change no output."""
    def without_csrf(html):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    before = without_csrf(page_html(as_leader, released))
    Response.objects.filter(cycle=released).update(answers={}, comments={})
    Rater.objects.filter(cycle=released).update(profession=SMALL_GROUP)
    assert without_csrf(page_html(as_leader, released)) == before
    assert json.loads(cli(str(released.pk))) == released.report
