"""The model's own tests: one click runs reliability, CFA of the framework's structure
and alternatives, and invariance across professions on the consented data."""

import csv
import io
import json

import pytest
from django.urls import reverse

from flourish.jobs.models import Job
from flourish.research import dataset, modeltests
from flourish.research.models import ModelTestRun
from flourish.testing import personas

from .scenarios import closed_cycle, consent_everything, run_the_tests

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded_run_results(django_db_setup, django_db_blocker):
    """One run on the demo's data, shared by the checks of its content (it takes seconds)."""
    from django.db import transaction

    from flourish.frameworks.actions import default_framework_slug
    from flourish.frameworks.models import Framework
    from flourish.research import demo

    with django_db_blocker.unblock(), transaction.atomic():
        organisation = personas.organisation()
        demo.create(organisation, personas.researcher(organisation))
        version = Framework.objects.get(slug=default_framework_slug()).latest()
        results = modeltests.run(dataset.build([organisation]), version)
        transaction.set_rollback(True)
    return results


def test_the_demo_data_are_enough_and_creating_them_twice_changes_nothing(demo_data, organisation, researcher):
    from flourish.research import demo

    assert demo_data >= 300
    rows = len(dataset.build([organisation]).rows)
    assert demo.create(organisation, researcher) == demo_data
    assert len(dataset.build([organisation]).rows) == rows


def test_the_models_are_built_from_the_framework_not_from_names_in_code(model_version):
    specs = modeltests.candidate_models(modeltests.structure(model_version))
    keys = [s["key"] for s in specs]
    assert keys[:3] == ["framework", "general", "main_only"]
    framework = specs[0]["syntax"].splitlines()
    assert len(framework) == len(model_version.processes)
    assert all(f" {p['items'][0]['id']} " in f"{line} " for line, p in zip(framework, model_version.processes))
    main = [p for p in model_version.processes if p["kind"] == "main"]
    assert len(specs[2]["syntax"].splitlines()) == len(main)


def test_a_run_on_seeded_data_fits_every_model_and_tests_invariance(seeded_run_results):
    r = seeded_run_results
    assert r["status"] == "ok" and r["n_complete"] >= modeltests.MIN_COMPLETE
    fitted = [m for m in r["models"] if m["ok"]]
    assert len(fitted) >= 3
    framework, general = r["models"][0], r["models"][1]
    assert framework["fit"]["cfi"] > general["fit"]["cfi"]  # the simulated data have the framework's structure
    delta = next(c for c in r["comparison"] if c["key"] == "general")["delta"]
    assert delta["delta_df"] == general["fit"]["df"] - framework["fit"]["df"] > 0
    assert all(p["ok"] and 0.5 < p["alpha"] < 1 for p in r["reliability"])
    inv = r["invariance"]
    assert inv["ran"] and [t["model"] for t in inv["table"]] == ["configural", "metric", "scalar", "strict"]
    assert all(g["n"] >= inv["min_group"] for g in inv["groups"] if g["included"])
    assert any(not g["included"] for g in inv["groups"])  # small groups left out, and said so
    assert "Left out for too few responses" in inv["message"]
    note = r["method_note"]
    for phrase in ("maximum likelihood", "lavaan", "--ordered", "10.1080/13561820.2021.1897553",
                   "not yet validated", "opted in", "pseudonyms", str(r["n_rows"]), "=~"):
        assert phrase in note, phrase


def test_the_model_tests_are_cluster_robust_by_leader_by_default(seeded_run_results):
    r = seeded_run_results
    assert r["cluster"] == "leader" and r["n_leaders"] >= 2
    framework = r["models"][0]
    assert framework["clustering"]["cluster"] == "leader"
    assert framework["clustering"]["n_clusters"] == r["clustering"]["n_clusters"] >= 2
    fit = framework["fit"]
    assert fit["chisq_scaled"] > 0 and fit["chisq_scaling_factor"] > 0 and fit["cfi_robust"] is not None
    # the demo simulates a leader effect: items share variance between leaders
    assert r["clustering"]["median_icc1"] > 0.02 and len(r["clustering"]["items"]) == len(r["items"])
    assert {it["item"] for it in r["clustering"]["items"]} == {i["id"] for i in r["items"]}
    delta = next(c for c in r["comparison"] if c["key"] == "general")["delta"]
    assert delta["method"] == "Satorra-Bentler 2001 scaled difference"
    assert all(t.get("delta_method") == "Satorra-Bentler 2001 scaled difference"
               for t in r["invariance"]["table"][1:] if t["converged"])
    assert "cluster-robust by leader" in r["method_note"] and "treats them as independent" not in r["method_note"]
    assert "ICC(1)" in r["method_note"]


def test_one_leaders_raters_are_analysed_as_independent_and_the_note_says_so(model_version):
    import numpy as np

    rng = np.random.default_rng(5)
    items = [i["id"] for p in model_version.processes for i in p["items"]]
    rows = [{"source": "other", "framework": "vaggers-anderson", "framework_version": model_version.version,
             "profession": "Health", "leader": "L1", "cycle": "C1",
             **{item: int(v) for item, v in zip(items, np.clip(np.round(3 + rng.normal(size=len(items))
                                                                       + rng.normal()), 1, 5))}}
            for _ in range(150)]
    r = modeltests.run(dataset.Dataset(rows=rows, item_ids=[], item_labels={}, value_labels={}), model_version)
    assert r["cluster"] is None and r["clustering"] is None
    assert "only one leader, so the analysis treats them as independent" in r["method_note"]


def test_the_page_runs_the_tests_and_shows_fit_and_invariance(researcher_client, demo_data, researcher):
    page = researcher_client.get(reverse("research:model"))
    assert page.status_code == 200 and "Run the model" in page.content.decode()
    run = run_the_tests(researcher_client, researcher)
    assert run.n >= 300
    job = Job.objects.get(owner=researcher, kind="research.model_tests")
    assert job.result["url"] == reverse("research:run", args=[run.pk])
    # Asking again with the same data gives the same job, not a second run.
    researcher_client.post(reverse("research:model"), {"version": "vaggers-anderson:1"})
    assert Job.objects.filter(owner=researcher, kind="research.model_tests").count() == 1
    text = researcher_client.get(reverse("research:run", args=[run.pk])).content.decode()
    for heading in ("The framework&#x27;s structure", "One general factor", "Main processes only", "Configural",
                    "Metric", "Scalar", "Method note", "Cronbach"):
        assert heading in text, heading
    assert text.count('role="img"') == 2 and "<svg" in text
    assert "cluster-robust by leader" in text and "Raters nested in leaders" in text and "ICC(1)" in text

    as_json = researcher_client.get(reverse("research:run_json", args=[run.pk]))
    data = json.loads(as_json.content)
    assert data["run"] == run.pk and data["models"][0]["fit"]["cfi"] == run.results["models"][0]["fit"]["cfi"]
    as_csv = researcher_client.get(reverse("research:run_csv", args=[run.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(as_csv)))
    assert rows[0] == ["section", "model", "group", "factor", "item", "statistic", "value"]
    sections = {r[0] for r in rows[1:]}
    assert {"fit", "loading", "reliability", "invariance", "comparison", "clustering"} <= sections


def test_too_little_data_gives_a_clear_message_and_no_numbers(researcher_client, leader, model_version):
    cycle, raters = closed_cycle(leader, model_version)
    consent_everything(cycle)
    response = researcher_client.post(reverse("research:model"), {"version": "vaggers-anderson:1"})
    text = response.content.decode()
    assert response.status_code == 200 and "too little consented data" in text
    assert f"{len(raters)} rater responses answered every item" in text
    assert not ModelTestRun.objects.exists()


def test_no_data_at_all_says_so(researcher_client):
    text = researcher_client.get(reverse("research:model")).content.decode()
    assert "no consented rater responses" in text


def test_a_model_that_cannot_be_fitted_shows_a_message_not_numbers(model_version):
    rows = [{"source": "other", "framework": "vaggers-anderson", "framework_version": model_version.version,
             "profession": "Health", "leader": "L1", "cycle": "C1",
             **{i["id"]: 3 for p in model_version.processes for i in p["items"]}} for _ in range(150)]
    ds = dataset.Dataset(rows=rows, item_ids=[], item_labels={}, value_labels={})
    r = modeltests.run(ds, model_version)
    assert r["status"] == "ok"
    assert all(not m["ok"] and "fit" not in m and "no variation" in m["message"] for m in r["models"])
    assert all(not p["ok"] or p["alpha"] is None for p in r["reliability"])


def test_another_researchers_run_is_not_found(client, researcher, organisation):
    run = ModelTestRun.objects.create(researcher=researcher, n=1, results={"models": []})
    someone = personas.person("ria@hilltop.test", "researcher", personas.organisation("Hilltop Family Hub"))
    client.force_login(someone)
    for name in ("research:run", "research:run_json", "research:run_csv"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404


def test_the_version_to_test_is_asked_with_the_shared_radios_first_one_chosen():
    from django.template.loader import render_to_string

    from flourish.research.forms import ModelVersionForm

    versions = [{"key": "a:2", "version": "Model v2", "other": 40}, {"key": "a:1", "version": "Model v1", "other": 12}]
    html = render_to_string("core/field.html", {"field": ModelVersionForm(versions=versions)["version"]})
    assert "<legend" in html and "Framework version to test" in html
    assert html.count('type="radio"') == 2 and 'name="version"' in html
    assert 'value="a:2" checked' in html and 'value="a:1">' in html
    assert "Model v2 (40 rater responses)" in html and "Model v1 (12 rater responses)" in html
