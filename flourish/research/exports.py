"""The research data set as files a statistician can open without asking: CSV, SPSS .sav and
Parquet, each downloaded as a zip with the data, ``codebook.csv`` and ``README.txt``.

Coding, the same in every format:

- ``source``, ``profession`` and ``relationship`` are numeric codes with labels (value labels
  in .sav; the codebook and the Parquet field metadata for CSV and Parquet). Source and
  relationship codes are fixed; the default professional groups have fixed codes, a
  cycle's own group names get codes from 101 in alphabetical order *within one export*
  (the codebook says which, and lists only groups that occur in the rows).
- items are 1..5, or a reason why there is no answer: −8 = not able to observe (the item
  was asked and the person gave no 1..5 answer), −9 = not asked (the item is not in the
  framework version the row answered). Profession and relationship are −7 on the
  leader's own rows, where they do not apply.

How the reasons travel:

- .sav: the codes, declared as SPSS user-missing values with value labels, so SPSS, PSPP,
  R's haven and pyreadstat leave them out of every statistic and still tell them apart.
- CSV: the codes, declared in the codebook. CSV has no missing-value metadata, so the
  README says to declare them (``na = c("-7", "-8", "-9")`` in R) before computing.
- Parquet: a null in the value column and the reason in a companion column
  ``<column>_missing`` (−7/−8/−9; null when there is a value). Parquet has a native null
  that every reader (pyarrow, pandas, polars, DuckDB, R's arrow) skips, and no user-missing
  concept: a negative code in an integer column would be averaged in silently by all of
  them. Nulls keep the data safe to compute on; the companion columns keep the reason.

The codebook is built from the rows exported and the framework versions they answered,
so it names no profession, item or version the data do not already show; the coarsening
and leaving-out decided in ``release.py`` are untouched (the method note travels in every
file).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import textwrap
import zipfile

from flourish.feedback.models import DEFAULT_GROUPS, Relationship

from .dataset import FIXED_COLUMNS, FIXED_LABELS, Dataset
from .release import ANY_RELATIONSHIP, OTHER_PROFESSION

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "sav": ("application/x-spss-sav", "sav"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}
DATA_NAME = "flourish-research-data"

DOES_NOT_APPLY, NOT_ABLE_TO_OBSERVE, NOT_ASKED = -7, -8, -9
ITEM_MISSING = {NOT_ABLE_TO_OBSERVE: "Not able to observe (asked, no answer given)",
                NOT_ASKED: "Not asked (not in the framework version this row answered)"}
GROUP_MISSING = {DOES_NOT_APPLY: "Does not apply (the leader's own answers)"}

SOURCE_CODES = {"self": (1, "Self (the leader)"), "other": (2, "Other (a rater)")}
RELATIONSHIP_CODES = {choice.value: (i, choice.label) for i, choice in enumerate(Relationship, start=1)}
RELATIONSHIP_CODES[ANY_RELATIONSHIP] = (9, "Any (coarsened: relationship not given in this cycle)")
FIXED_PROFESSIONS = {name: i for i, name in enumerate(DEFAULT_GROUPS, start=1)}
COARSENED_PROFESSION = (99, "Other (coarsened: small groups of this cycle combined)")
FIRST_OWN_PROFESSION = 101
CODED = ("source", "profession", "relationship")


def profession_codes(ds: Dataset) -> dict[str, tuple[int, str]]:
    """Code and label of every profession in the exported rows (and only those)."""
    present = sorted({r["profession"] for r in ds.rows if r["source"] == "other"})
    codes = {}
    own = FIRST_OWN_PROFESSION
    for name in present:
        if name == OTHER_PROFESSION:
            codes[name] = COARSENED_PROFESSION
        elif name in FIXED_PROFESSIONS:
            codes[name] = (FIXED_PROFESSIONS[name], name)
        else:
            codes[name] = (own, name)
            own += 1
    return codes


class Coding:
    """The numeric form of one data set's rows, shared by every format."""

    def __init__(self, ds: Dataset):
        self.ds = ds
        self.professions = profession_codes(ds)
        self.asked = {key: {i["id"] for p in version.processes for i in p["items"]}
                      for key, version in ds.versions.items()}

    def value_labels(self, column: str) -> dict[int, str]:
        if column == "source":
            pairs = SOURCE_CODES.values()
        elif column == "relationship":
            present = {r["relationship"] for r in self.ds.rows if r["source"] == "other"}
            pairs = [RELATIONSHIP_CODES[v] for v in RELATIONSHIP_CODES if v in present]
        elif column == "profession":
            pairs = self.professions.values()
        else:
            return dict(self.ds.value_labels)
        return dict(sorted(pairs))

    def missing(self, column: str) -> dict[int, str]:
        if column in ("profession", "relationship"):
            return GROUP_MISSING
        return ITEM_MISSING if column in self.ds.item_ids else {}

    def code(self, row: dict, column: str):
        """The value with missing reasons as negative codes (None only for an empty set)."""
        value = row[column]
        if column == "source":
            return SOURCE_CODES[value][0]
        if column in ("profession", "relationship"):
            if row["source"] == "self":
                return DOES_NOT_APPLY
            table = self.professions if column == "profession" else RELATIONSHIP_CODES
            return table[value][0]
        if column in self.ds.item_ids:
            if value is not None:
                return value
            asked = self.asked.get((row["framework"], row["framework_version"]), set())
            return NOT_ABLE_TO_OBSERVE if column in asked else NOT_ASKED
        return value

    def coded_rows(self) -> list[list]:
        return [[self.code(row, c) for c in self.ds.columns] for row in self.ds.rows]


# --- the codebook ------------------------------------------------------------------

CODEBOOK_COLUMNS = ["variable", "label", "self_wording", "process_id", "process", "framework_versions",
                    "type", "values", "missing_codes"]
ITEM_KINDS = {"year": "integer", "framework_version": "integer"}


def _pairs(labels: dict[int, str]) -> str:
    return "; ".join(f"{code} = {label}" for code, label in labels.items())


def _items(ds: Dataset) -> dict[str, dict]:
    """Per item id: wording, process and the versions that asked it (the latest version's
    wording and process win, as the variable labels do)."""
    out: dict[str, dict] = {}
    for (slug, number), version in ds.versions.items():
        for process in version.processes:
            for item in process["items"]:
                entry = out.setdefault(item["id"], {"versions": []})
                entry["versions"].append(f"{slug}:{number}")
                entry.update(self=item.get("self", ""), process_id=process["id"], process=process["name"])
    return out


def codebook_rows(coding: Coding, fmt: str) -> list[dict]:
    ds = coding.ds
    rows = []
    for column in FIXED_COLUMNS:
        row = {"variable": column, "label": FIXED_LABELS[column],
               "type": "integer code" if column in CODED else ITEM_KINDS.get(column, "text")}
        if column in CODED:
            row["values"] = _pairs(coding.value_labels(column))
        if coding.missing(column):
            row["missing_codes"] = _missing_text(coding.missing(column), column, fmt)
        rows.append(row)
    items = _items(ds)
    for item_id in ds.item_ids:
        entry = items[item_id]
        rows.append({"variable": item_id, "label": ds.item_labels[item_id], "self_wording": entry["self"],
                     "process_id": entry["process_id"], "process": entry["process"],
                     "framework_versions": " ".join(entry["versions"]), "type": "integer 1-5",
                     "values": _pairs(dict(ds.value_labels)),
                     "missing_codes": _missing_text(ITEM_MISSING, item_id, fmt)})
    if fmt == "parquet":
        for column in _reason_columns(coding):
            rows.append({"variable": f"{column}_missing", "label": f"Why {column} is null",
                         "type": "integer code", "values": _pairs(coding.missing(column)),
                         "missing_codes": f"null when {column} has a value"})
    return [{k: row.get(k, "") for k in CODEBOOK_COLUMNS} for row in rows]


def _missing_text(codes: dict[int, str], column: str, fmt: str) -> str:
    text = _pairs(codes)
    if fmt == "parquet":
        return f"null; the reason ({text}) is in {column}_missing"
    if fmt == "sav":
        return f"{text} (declared as SPSS user-missing values)"
    return text


def _reason_columns(coding: Coding) -> list[str]:
    return [c for c in coding.ds.columns if coding.missing(c)]


def codebook_csv(coding: Coding, fmt: str) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CODEBOOK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(codebook_rows(coding, fmt))
    return out.getvalue()


README = """Flourish research data ({fmt})

Files:
  {data}  the data, one row per observation
  codebook.csv  one row per variable: label (the rater wording for items), the leader's own
                wording, process, framework versions that asked it, values and missing codes
  README.txt    this file

Missing values. An item has a value 1-5, or a reason why it has none:
  -8 = not able to observe (the item was asked and no 1-5 answer was given)
  -9 = not asked (the item is not in the framework version the row answered)
Profession and relationship are -7 on the leader's own rows (source = 1), where they do
not apply.
{how}
Profession, relationship and source are numeric codes; codebook.csv gives their labels.
Codes 101 and up for profession are this export's own numbering of group names an
organisation chose; they can differ between exports.

Method note:
{note}
"""

HOW = {
    "csv": "In this CSV the reasons are the codes themselves. Declare them missing before computing,\n"
           "e.g. R: read.csv(file, na.strings = c(\"-7\", \"-8\", \"-9\")); pandas: read_csv(file,\n"
           "na_values=[-7, -8, -9]) (keep the file as it is if you need the reasons).\n",
    "sav": "In this .sav file the codes are declared as user-missing values with value labels, so\n"
           "SPSS and PSPP leave them out of every statistic (R: haven::read_sav(file, user_na = TRUE)\n"
           "keeps the reasons).\n",
    "parquet": "In this Parquet file the value is null and the reason is in a companion column\n"
               "<column>_missing (-7/-8/-9; null when there is a value). Parquet has no user-missing\n"
               "values and every reader skips nulls, so negative codes in the value columns would be\n"
               "averaged in silently; nulls plus the reason keep both safe computing and the reason.\n",
}


# --- the formats -------------------------------------------------------------------


def to_csv(ds: Dataset, coding: Coding | None = None) -> str:
    coding = coding or Coding(ds)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ds.columns)
    for row in coding.coded_rows():
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def to_sav(ds: Dataset, coding: Coding | None = None) -> bytes:
    import pandas as pd
    import pyreadstat

    coding = coding or Coding(ds)
    coded = coding.coded_rows()
    numeric = {"year", "framework_version", *CODED, *ds.item_ids}
    frame = {column: pd.Series([row[i] for row in coded], dtype="float64" if column in numeric else "object")
             for i, column in enumerate(ds.columns)}
    df = pd.DataFrame(frame, columns=ds.columns)
    labels = {**FIXED_LABELS, **{i: ds.item_labels[i][:250] for i in ds.item_ids}}
    value_labels = {}
    missing = {}
    for column in (*CODED, *ds.item_ids):
        codes = {**coding.value_labels(column), **coding.missing(column)}
        value_labels[column] = {float(k): v for k, v in codes.items()}
        if coding.missing(column):
            missing[column] = [float(k) for k in coding.missing(column)]
    measure = ({c: "nominal" for c in FIXED_COLUMNS} | {"year": "scale"}
               | {i: "ordinal" for i in ds.item_ids})
    formats = ({"year": "F4.0", "framework_version": "F4.0", "source": "F1.0", "profession": "F3.0",
                "relationship": "F2.0"} | {i: "F2.0" for i in ds.item_ids})
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(df, path, file_label="Flourish research data (de-identified)",
                             column_labels=labels, variable_value_labels=value_labels,
                             missing_ranges=missing, note=textwrap.wrap(ds.note, 80),
                             variable_measure=measure, variable_format=formats)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def to_parquet(ds: Dataset, coding: Coding | None = None) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    coding = coding or Coding(ds)
    coded = coding.coded_rows()
    fields, arrays = [], []
    reasons = []
    for i, column in enumerate(ds.columns):
        values = [row[i] for row in coded]
        if column in ds.item_ids:
            kind = pa.int8()
        elif column in CODED or column in ITEM_KINDS:
            kind = pa.int16()
        else:
            kind = pa.string()
        metadata = {"label": ds.item_labels.get(column) or FIXED_LABELS[column]}
        if column in CODED or column in ds.item_ids:
            metadata["value_labels"] = json.dumps({str(k): v for k, v in coding.value_labels(column).items()})
        if coding.missing(column):
            metadata["missing"] = f"null; the reason is in {column}_missing"
            reasons.append((column, [v if isinstance(v, int) and v < 0 else None for v in values]))
            values = [None if isinstance(v, int) and v < 0 else v for v in values]
        fields.append(pa.field(column, kind, metadata=metadata))
        arrays.append(pa.array(values, type=kind))
    for column, why in reasons:
        fields.append(pa.field(f"{column}_missing", pa.int8(), metadata={
            "label": f"Why {column} is null",
            "value_labels": json.dumps({str(k): v for k, v in coding.missing(column).items()})}))
        arrays.append(pa.array(why, type=pa.int8()))
    schema = pa.schema(fields, metadata={
        "flourish.note": ds.note,
        "flourish.value_labels": json.dumps({str(k): v for k, v in ds.value_labels.items()}),
        "flourish.missing_codes": json.dumps({str(k): v for k, v in {**GROUP_MISSING, **ITEM_MISSING}.items()}),
    })
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), sink)
    return sink.getvalue().to_pybytes()


WRITERS = {"csv": to_csv, "sav": to_sav, "parquet": to_parquet}


def data_file(ds: Dataset, fmt: str, coding: Coding | None = None) -> str | bytes:
    return WRITERS[fmt](ds, coding)


def bundle(ds: Dataset, fmt: str) -> bytes:
    """The download: the data, codebook.csv and README.txt in one zip."""
    coding = Coding(ds)
    name = f"{DATA_NAME}.{FORMATS[fmt][1]}"
    readme = README.format(fmt={"csv": "CSV", "sav": "SPSS .sav", "parquet": "Parquet"}[fmt], data=name,
                           how=HOW[fmt], note="\n".join(textwrap.wrap(ds.note, 88)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, content in ((name, data_file(ds, fmt, coding)), ("codebook.csv", codebook_csv(coding, fmt)),
                                ("README.txt", readme)):
            info = zipfile.ZipInfo(member, date_time=(2000, 1, 1, 0, 0, 0))  # no export time inside
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()
