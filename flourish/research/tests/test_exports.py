"""Exports: CSV, SPSS .sav with labels, Parquet, from the web and the command line."""

import csv
import io

import pyarrow.parquet as pq
import pyreadstat
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from flourish.research import dataset

from .scenarios import closed_cycle, consent_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def consented(leader, organisation, model_version):
    cycle, raters = closed_cycle(leader, model_version)
    consent_everything(cycle)
    return cycle, raters


def item_ids(version):
    return [i["id"] for p in version.processes for i in p["items"]]


def test_the_csv_has_the_documented_header(researcher_client, consented, model_version):
    response = researcher_client.post(reverse("research:export", args=["csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["leader", "cycle", "year", "source", "profession", "relationship", "framework",
                       "framework_version", *item_ids(model_version)]
    assert {r[3] for r in rows[1:]} == {"self", "other"}
    assert all(v in {"", "1", "2", "3", "4", "5"} for r in rows[1:] for v in r[8:])


def test_the_sav_file_reads_back_with_value_and_variable_labels(researcher_client, consented, model_version,
                                                                 tmp_path):
    response = researcher_client.post(reverse("research:export", args=["sav"]))
    assert response.status_code == 200
    path = tmp_path / "data.sav"
    path.write_bytes(response.content)
    data, meta = pyreadstat.read_sav(str(path), output_format="dict")
    assert meta.number_rows == 1 + len(consented[1])
    first_item = model_version.processes[0]["items"][0]
    assert meta.column_names_to_labels[first_item["id"]] == first_item["other"]
    labels = meta.variable_value_labels[first_item["id"]]
    assert labels[1.0] == "Rarely or never" and labels[5.0] == "Almost always"
    assert set(data["source"]) == {"self", "other"}


def test_the_parquet_file_reads_back_with_pyarrow(researcher_client, consented, model_version, tmp_path):
    response = researcher_client.post(reverse("research:export", args=["parquet"]))
    path = tmp_path / "data.parquet"
    path.write_bytes(response.content)
    table = pq.read_table(path)
    assert table.num_rows == 1 + len(consented[1])
    assert table.column_names[:8] == dataset.FIXED_COLUMNS
    assert str(table.schema.field("ts1").type) == "int8"
    assert b"Rarely or never" in table.schema.metadata[b"flourish.value_labels"]


def test_an_empty_data_set_still_exports_in_every_format(researcher_client):
    for fmt in ("csv", "sav", "parquet"):
        assert researcher_client.post(reverse("research:export", args=[fmt])).status_code == 200


def test_an_unknown_format_is_not_found(researcher_client):
    assert researcher_client.post(reverse("research:export", args=["xlsx"])).status_code == 404


def test_the_command_line_exports_every_organisation_or_one(consented, outsider, model_version, tmp_path):
    out = tmp_path / "all.csv"
    call_command("research", "export", "--format", "csv", "--output", str(out))
    assert out.read_text().count("\n") == 1 + 1 + len(consented[1])
    out_sav = tmp_path / "all.sav"
    call_command("research", "export", "--format", "sav", "--output", str(out_sav))
    assert pyreadstat.read_sav(str(out_sav), output_format="dict")[1].number_rows == 1 + len(consented[1])
    call_command("research", "export", "--format", "parquet", "--output", str(tmp_path / "o.parquet"),
                 "--organisation", "Hilltop Family Hub")
    assert pq.read_table(tmp_path / "o.parquet").num_rows == 0


def test_the_command_line_names_an_unknown_organisation(tmp_path):
    with pytest.raises(CommandError, match="No organisation is called 'Nowhere'"):
        call_command("research", "export", "--format", "csv", "--output", str(tmp_path / "x.csv"),
                     "--organisation", "Nowhere")
