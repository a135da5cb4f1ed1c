"""Three coders: the agreement page, its CSV and JSON give Fleiss' and Light's kappa next to
Krippendorff's alpha (Cohen's kappa is for two), and the figures are statsmodels' own.

Priya Shah joins Mei and Tomasz (see analysis_helpers): she codes Ann's turn 2 with
Building relationships and Thinking Systematically, the whole of turn 4 with Thinking
Systematically, and Bea's PAR turn with Utilizing alternative approaches.
"""

import csv
import io
import json

import numpy as np
import pytest
from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa

from flourish.accounts.models import Role
from flourish.qualitative import actions, selectors
from flourish.qualitative.models import MemberRole
from flourish.testing import personas

from .analysis_helpers import AA, ANN_2, ANN_4, BEA, BR, TS, coded_project, tables, text, url

pytestmark = [pytest.mark.django_db,
              # statsmodels' cohens_kappa divides by a zero standard error for a pair with kappa 0
              pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")]

NaN = float("nan")
# Thinking Systematically per unit: interview turns 1-4, then PAR turns 1-3 (Tomasz missing there).
TS_APPLIED = np.array([[0, 1, 0, 0, 0, 0, 0],     # Mei
                       [0, 0, 0, 0, NaN, NaN, NaN],  # Tomasz
                       [0, 1, 0, 1, 0, 0, 0]])    # Priya


def statsmodels_fleiss(m):
    complete = m[:, ~np.isnan(m).any(axis=0)]
    return fleiss_kappa(np.column_stack([(complete == 0).sum(axis=0), (complete == 1).sum(axis=0)]),
                        method="fleiss")


def statsmodels_light(m):
    kappas = []
    for i in range(len(m)):
        for j in range(i + 1, len(m)):
            both = ~np.isnan(m[[i, j]]).any(axis=0)
            a, b = m[i, both].astype(int), m[j, both].astype(int)
            table = np.zeros((2, 2))
            for x, y in zip(a, b):
                table[x, y] += 1
            kappas.append(cohens_kappa(table).kappa)
    return float(np.mean(kappas))


@pytest.fixture
def priya(organisation):
    return personas.person("priya@riverside.test", Role.RESEARCHER, organisation, "Priya", "Shah")


@pytest.fixture
def project(researcher, second_researcher, priya, model_version):
    return three_coder_project(researcher, second_researcher, priya, model_version)


def three_coder_project(researcher, second_researcher, priya, model_version):
    project = coded_project(researcher, second_researcher, model_version)
    actions.add_member(project, priya.email, MemberRole.CODER)
    interview = project.sources.get(name="interview-ann.txt")
    par = project.sources.get(name="par-session-1.txt")
    code = {pid: project.codes.get(process_id=pid) for pid in (BR, TS, AA)}
    layer = selectors.person_layer(project, priya)
    actions.apply_codes(layer, interview, *ANN_2, [code[BR], code[TS]], user=priya)
    actions.apply_codes(layer, interview, *ANN_4, [code[TS]], user=priya)
    actions.apply_codes(layer, par, *BEA, [code[AA]], user=priya)
    for user in (researcher, second_researcher, priya):
        actions.choose_to_compare(selectors.person_layer(project, user))
    return project


def all_three(project, *users):
    return {"coders": [str(selectors.person_layer(project, u).pk) for u in users], "unit": "turn",
            "sources": [s.pk for s in project.sources.all()], "codes": [c.pk for c in project.codes.all()],
            "confidence": "0.95"}


def test_three_coders_see_fleiss_and_light_kappa_next_to_alpha(client, project, researcher, second_researcher,
                                                                priya):
    client.force_login(priya)
    response = client.get(url("agreement", project), all_three(project, researcher, second_researcher, priya))
    assert response.status_code == 200
    [head, systematic] = tables(response.content.decode())["Thinking Systematically (main process)"]
    assert head == ["Code", "Units compared", "Times applied", "Percent agreement", "Krippendorff's alpha",
                    "Fleiss' kappa (all coders at once)", "Light's kappa (average of pairs)"]
    fleiss, light = statsmodels_fleiss(TS_APPLIED), statsmodels_light(TS_APPLIED)
    assert systematic[5] == f"{fleiss:.2f}".replace("-", "−")
    assert systematic[6] == f"{light:.2f}".replace("-", "−")
    page = text(response)
    assert "Cohen's kappa" not in page.split("Agreement by code")[1].split("Method note")[0]
    assert "Fleiss' kappa looks at all coders at once" in page


def test_the_downloads_carry_fleiss_and_light_kappa(client, project, researcher, second_researcher, priya):
    client.force_login(researcher)
    query = all_three(project, researcher, second_researcher, priya)
    data = json.loads(client.get(url("agreement_download", project, "json"), query).content)
    systematic = next(r for r in data["per_code"] if r["process_id"] == TS)
    assert systematic["fleiss_kappa"] == pytest.approx(statsmodels_fleiss(TS_APPLIED), abs=1e-12)
    assert systematic["light_kappa"] == pytest.approx(statsmodels_light(TS_APPLIED), abs=1e-12)
    assert systematic["cohen_kappa"] is None
    rows = list(csv.DictReader(io.StringIO(client.get(url("agreement_download", project, "csv"), query)
                                           .content.decode())))
    row = next(r for r in rows if r["process_id"] == TS)
    assert float(row["fleiss_kappa"]) == pytest.approx(statsmodels_fleiss(TS_APPLIED), abs=1e-12)
    assert float(row["light_kappa"]) == pytest.approx(statsmodels_light(TS_APPLIED), abs=1e-12)
    assert row["cohen_kappa"] == ""


def test_two_coders_keep_cohens_kappa_and_get_no_fleiss_or_light(client, project, researcher, second_researcher):
    client.force_login(researcher)
    query = all_three(project, researcher, second_researcher)
    [head, _] = tables(client.get(url("agreement", project), query).content.decode())[
        "Thinking Systematically (main process)"]
    assert "Cohen's kappa" in head and not any("Fleiss" in h or "Light" in h for h in head)
    data = json.loads(client.get(url("agreement_download", project, "json"), query).content)
    assert {(r["fleiss_kappa"], r["light_kappa"]) for r in data["per_code"]} == {(None, None)}
