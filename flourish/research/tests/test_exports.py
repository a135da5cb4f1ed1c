"""Exports a statistician can open without asking: every download is a zip of the data (CSV,
SPSS .sav or Parquet), codebook.csv and README.txt; missing answers keep their reason
(−8 not able to observe, −9 not asked in this version) in every format, read back with
the tools a statistician would use; group columns are labelled numeric codes."""

import copy
import csv
import io
import math

import pyarrow.parquet as pq
import pyreadstat
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from flourish.feedback import actions as feedback_actions
from flourish.feedback.tests.helpers import RATERS, add_raters, answer, complete_self, new_cycle
from flourish.frameworks.actions import load_framework
from flourish.research import dataset, exports

from .scenarios import closed_cycle, consent_everything, standalone_self_assessment, unzip

pytestmark = pytest.mark.django_db

DATA = "flourish-research-data"


@pytest.fixture
def consented(leader, organisation, model_version):
    cycle, raters = closed_cycle(leader, model_version)
    consent_everything(cycle)
    return cycle, raters


@pytest.fixture
def two_versions(leader, organisation, model_version):
    """Hannah could not observe the first item; a later framework version adds an item
    that the cycle on the first version never asked, which Amara answered on her own."""
    cycle = new_cycle(leader, model_version)
    raters = add_raters(cycle)
    feedback_actions.send_invitations(cycle)
    first_item = model_version.processes[0]["items"][0]["id"]
    for rater in raters:
        answer(rater, value_of=lambda r, i: None if (r.name == "Hannah" and i == 0) else 3)
    complete_self(cycle)
    cycle = feedback_actions.close(cycle)
    consent_everything(cycle)
    changed = copy.deepcopy(model_version.document)
    changed["version"] = model_version.version + 1
    changed["processes"][0]["items"].append({"id": "ts9", "self": "I say thank you.",
                                             "other": "They say thank you."})
    newer, _ = load_framework(changed)
    standalone_self_assessment(leader, organisation, newer, consent=True)
    return {"first_item": first_item, "new_item": "ts9", "process": model_version.processes[0],
            "raters": raters, "newer": newer}


def download(client, fmt) -> dict[str, bytes]:
    response = client.post(reverse("research:export", args=[fmt]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment") and f"-{fmt}.zip" in response["Content-Disposition"]
    return unzip(response.content)


def codebook(files) -> dict[str, dict]:
    return {row["variable"]: row for row in csv.DictReader(io.StringIO(files["codebook.csv"].decode()))}


def missing(value) -> bool:
    return value is None or math.isnan(value)


def item_ids(version):
    return [i["id"] for p in version.processes for i in p["items"]]


def test_every_download_holds_the_data_a_codebook_and_a_readme(researcher_client, consented):
    for fmt, extension in (("csv", "csv"), ("sav", "sav"), ("parquet", "parquet")):
        files = download(researcher_client, fmt)
        assert set(files) == {f"{DATA}.{extension}", "codebook.csv", "README.txt"}
        assert b"-8 = not able to observe" in files["README.txt"]


def test_the_csv_has_the_documented_header_and_numeric_codes(researcher_client, consented, model_version):
    files = download(researcher_client, "csv")
    rows = list(csv.reader(io.StringIO(files[f"{DATA}.csv"].decode())))
    assert rows[0] == ["leader", "cycle", "year", "source", "profession", "relationship", "framework",
                       "framework_version", *item_ids(model_version)]
    assert {r[3] for r in rows[1:]} == {"1", "2"}  # self, other
    assert all(v in {"1", "2", "3", "4", "5", "-8", "-9"} for r in rows[1:] for v in r[8:])
    book = codebook(files)
    assert book["source"]["values"] == "1 = Self (the leader); 2 = Other (a rater)"
    self_row = next(r for r in rows[1:] if r[3] == "1")
    assert self_row[4:6] == ["-7", "-7"]  # profession and relationship do not apply to the leader


def test_the_csv_tells_not_able_to_observe_from_not_asked(researcher_client, two_versions):
    files = download(researcher_client, "csv")
    rows = list(csv.DictReader(io.StringIO(files[f"{DATA}.csv"].decode())))
    first, new = two_versions["first_item"], two_versions["new_item"]
    raters = [r for r in rows if r["source"] == "2"]
    assert sorted(r[first] for r in raters).count("-8") == 1  # Hannah, and only her
    assert {r[new] for r in raters} == {"-9"}  # the cycle's version never asked it
    newer_self = [r for r in rows if r["framework_version"] == str(two_versions["newer"].version)]
    assert [r[new] for r in newer_self] == ["4"]
    book = codebook(files)
    assert book[first]["missing_codes"] == ("-8 = Not able to observe (asked, no answer given); "
                                            "-9 = Not asked (not in the framework version this row answered)")
    assert book[new]["label"] == "They say thank you." and book[new]["self_wording"] == "I say thank you."
    process = two_versions["process"]
    assert (book[new]["process_id"], book[new]["process"]) == (process["id"], process["name"])
    newer = two_versions["newer"]
    assert book[new]["framework_versions"] == f"{newer.framework.slug}:{newer.version}"
    assert book[first]["values"].startswith("1 = Rarely or never; 2 = ")


def test_the_sav_file_declares_the_missing_codes_as_user_missing(researcher_client, two_versions, tmp_path):
    files = download(researcher_client, "sav")
    path = tmp_path / "data.sav"
    path.write_bytes(files[f"{DATA}.sav"])
    first, new = two_versions["first_item"], two_versions["new_item"]
    kept, meta = pyreadstat.read_sav(str(path), user_missing=True, output_format="dict")
    assert sorted(v for v in kept[first] if v < 0) == [-8.0]
    assert -9.0 in kept[new] and 4.0 in kept[new]
    assert sorted(meta.missing_ranges[first][i]["lo"] for i in range(2)) == [-9.0, -8.0]
    assert sorted(r["lo"] for r in meta.missing_ranges["profession"]) == [-7.0]
    labels = meta.variable_value_labels[first]
    assert labels[-8.0].startswith("Not able to observe") and labels[-9.0].startswith("Not asked")
    assert labels[1.0] == "Rarely or never" and labels[5.0] == "Almost always"
    assert meta.column_names_to_labels[new] == "They say thank you."
    # Read as SPSS computes: the user-missing codes are missing, not numbers.
    plain, _ = pyreadstat.read_sav(str(path), output_format="dict")
    assert all(missing(v) or 1 <= v <= 5 for v in plain[first])
    assert sum(missing(v) for v in plain[first]) == 1


def test_the_sav_file_labels_source_profession_and_relationship(researcher_client, consented, model_version,
                                                                tmp_path):
    files = download(researcher_client, "sav")
    path = tmp_path / "data.sav"
    path.write_bytes(files[f"{DATA}.sav"])
    data, meta = pyreadstat.read_sav(str(path), output_format="dict")
    assert meta.number_rows == 1 + len(consented[1])
    assert meta.variable_value_labels["source"] == {1.0: "Self (the leader)", 2.0: "Other (a rater)"}
    assert set(data["source"]) == {1.0, 2.0}
    professions = meta.variable_value_labels["profession"]
    shown = {professions[v] for v in data["profession"] if not missing(v)}
    assert shown <= set(professions.values()) and shown
    first_item = model_version.processes[0]["items"][0]
    assert meta.column_names_to_labels[first_item["id"]] == first_item["other"]
    assert meta.variable_to_label  # value-label sets are attached to variables
    assert "-8 not able to observe" in " ".join(meta.notes)


def test_the_parquet_file_has_nulls_and_a_reason_column(researcher_client, two_versions, tmp_path):
    files = download(researcher_client, "parquet")
    path = tmp_path / "data.parquet"
    path.write_bytes(files[f"{DATA}.parquet"])
    table = pq.read_table(path)
    first, new = two_versions["first_item"], two_versions["new_item"]
    assert table.column_names[:8] == dataset.FIXED_COLUMNS
    assert str(table.schema.field(first).type) == "int8"
    values, reasons = table.column(first).to_pylist(), table.column(f"{first}_missing").to_pylist()
    assert values.count(None) == 1 and reasons.count(-8) == 1 and reasons.count(None) == len(reasons) - 1
    assert values.index(None) == reasons.index(-8)
    assert set(table.column(f"{new}_missing").to_pylist()) == {-9, None}
    assert -7 in table.column("profession_missing").to_pylist()
    assert all(v is None or v > 0 for column in table.column_names if not column.endswith("_missing")
               and table.schema.field(column).type != "string" for v in table.column(column).to_pylist())
    assert b"Rarely or never" in table.schema.field(first).metadata[b"value_labels"]
    book = codebook(files)
    assert book[first]["missing_codes"].startswith("null; the reason")
    assert book[f"{first}_missing"]["values"].startswith("-8 = Not able to observe")


def test_the_codebook_names_no_profession_the_data_do_not_show(researcher_client, leader, model_version):
    # Eight raters: relationship becomes "any", Education (2) and then Health fold into "other".
    cycle, _ = closed_cycle(leader, model_version, raters=RATERS)
    consent_everything(cycle)
    files = download(researcher_client, "csv")
    book = codebook(files)
    assert book["profession"]["values"] == ("2 = Social care; 99 = Other (coarsened: small groups of this cycle "
                                            "combined)")
    assert book["relationship"]["values"] == "9 = Any (coarsened: relationship not given in this cycle)"
    for hidden in ("Health", "Education", "Team member", "Peer", "Partner"):
        assert hidden not in files["codebook.csv"].decode(), hidden
    assert "coarsened" in files["README.txt"].decode()  # the method note travels with it


def test_an_empty_data_set_still_exports_in_every_format(researcher_client):
    for fmt in ("csv", "sav", "parquet"):
        assert set(download(researcher_client, fmt)) >= {"codebook.csv", "README.txt"}


def test_an_unknown_format_is_not_found(researcher_client):
    assert researcher_client.post(reverse("research:export", args=["xlsx"])).status_code == 404


def test_the_command_line_exports_every_organisation_or_one(consented, outsider, model_version, tmp_path):
    out = tmp_path / "all.zip"
    call_command("research", "export", "--format", "csv", "--output", str(out))
    assert unzip(out.read_bytes())[f"{DATA}.csv"].decode().count("\n") == 1 + 1 + len(consented[1])
    out_sav = tmp_path / "all-sav.zip"
    call_command("research", "export", "--format", "sav", "--output", str(out_sav))
    (tmp_path / "all.sav").write_bytes(unzip(out_sav.read_bytes())[f"{DATA}.sav"])
    assert pyreadstat.read_sav(str(tmp_path / "all.sav"), output_format="dict")[1].number_rows == 1 + len(consented[1])
    call_command("research", "export", "--format", "parquet", "--output", str(tmp_path / "o.zip"),
                 "--organisation", "Hilltop Family Hub")
    (tmp_path / "o.parquet").write_bytes(unzip((tmp_path / "o.zip").read_bytes())[f"{DATA}.parquet"])
    assert pq.read_table(tmp_path / "o.parquet").num_rows == 0


def test_the_command_line_names_an_unknown_organisation(tmp_path):
    with pytest.raises(CommandError, match="No organisation is called 'Nowhere'"):
        call_command("research", "export", "--format", "csv", "--output", str(tmp_path / "x.zip"),
                     "--organisation", "Nowhere")


def test_codes_are_the_same_in_every_format(consented, organisation):
    ds = dataset.build([organisation])
    coding = exports.Coding(ds)
    csv_rows = list(csv.reader(io.StringIO(exports.to_csv(ds, coding))))[1:]
    table = pq.read_table(io.BytesIO(exports.to_parquet(ds, coding)))
    for column in ("source", "profession", "relationship"):
        i = ds.columns.index(column)
        parquet = table.column(column).to_pylist()
        reasons = table.column(f"{column}_missing").to_pylist() if f"{column}_missing" in table.column_names \
            else [None] * len(parquet)
        assert [int(r[i]) for r in csv_rows] == [v if v is not None else why for v, why in zip(parquet, reasons)]
