"""Quotations by code from one coding layer, for a paper: Markdown, CSV, Word (DOCX) and PDF.

Every quotation is the coded text itself, with where it comes from: the source, the speaker
of the turn it starts in, the source's stage, the turn number and its position in code
points (Python string indices, end exclusive, as everywhere in the workbench). A coding
whose source text has changed since it was made is marked as needing a check.
All four formats are built from `quotations()`, so they say the same things.
"""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify

from .analysis import speaker_at, turn_number
from .models import Coding

FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
CSV_COLUMNS = ["code", "process_id", "source", "speaker", "stage", "turn", "start", "end", "text", "needs_check"]
NOTE = ("Positions are characters (Unicode code points) from the start of the transcript, end exclusive. "
        "Codes standing for the model's processes use Flourish's own, not yet validated, operationalisation "
        "of Vaggers & Anderson (2025).")


def quotations(project, layer, codes=None) -> list[dict]:
    """The layer's codings as quotations, in codebook order, then by source and position."""
    codings = Coding.objects.filter(coder=layer, source__project=project).select_related("source", "code")
    if codes is not None:
        codings = codings.filter(code__in=[c.pk for c in codes])
    rows = []
    for c in codings:
        rows.append({
            "code": c.code.name, "code_id": c.code_id, "process_id": c.code.process_id,
            "order": (c.code.order, c.code.name, c.code_id),
            "source": c.source.name, "source_id": c.source_id, "speaker": speaker_at(c.source, c.start) or "",
            "stage": c.source.stage, "turn": turn_number(c.source, c.start),
            "start": c.start, "end": c.end, "text": c.text, "needs_check": not c.is_current,
        })
    rows.sort(key=lambda r: (r["order"], r["source"], r["start"], r["end"]))
    return rows


def by_code(rows) -> list[dict]:
    """``[{"code", "process_id", "quotes": [...]}]`` in the rows' order."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(row["code_id"], {"code": row["code"], "process_id": row["process_id"], "quotes": []})
        groups[row["code_id"]]["quotes"].append(row)
    return list(groups.values())


def attribution(row) -> str:
    """“Ann, interview-ann.txt (interview), turn 2, characters 60–129”."""
    parts = [row["speaker"]] if row["speaker"] else []
    parts.append(f"{row['source']} ({row['stage']})" if row["stage"] else row["source"])
    if row["turn"]:
        parts.append(f"turn {row['turn']}")
    parts.append(f"characters {row['start']}–{row['end']}")
    text = ", ".join(parts)
    return text + " — needs a check: the transcript has changed" if row["needs_check"] else text


def _title(project, layer) -> tuple[str, str]:
    return f"Quotations: {project.name}", f"Coding layer: {layer.name}. Exported from Flourish on " \
        f"{date_format(timezone.localtime(timezone.now()), 'j F Y')}."


def markdown(project, layer, rows) -> str:
    title, subtitle = _title(project, layer)
    out = [f"# {title}", "", subtitle, ""]
    groups = by_code(rows)
    if not groups:
        out += ["This layer has no codings yet.", ""]
    for group in groups:
        out += [f"## {group['code']}", ""]
        for row in group["quotes"]:
            lines = row["text"].strip().splitlines() or [""]
            out += [f"> {line}" if line.strip() else ">" for line in lines]
            out += [">", f"> — {attribution(row)}", ""]
    out += ["---", "", NOTE, ""]
    return "\n".join(out)


def spreadsheet_cell(value):
    """Values for a spreadsheet: text that a spreadsheet would run as a formula gets a quote
    mark. Every CSV of the workbench writes its cells through this (quotations, agreement)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_cell(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def docx_bytes(project, layer, rows) -> bytes:
    from docx import Document
    from docx.shared import Pt

    title, subtitle = _title(project, layer)
    document = Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    document.add_paragraph(subtitle)
    groups = by_code(rows)
    if not groups:
        document.add_paragraph("This layer has no codings yet.")
    for group in groups:
        document.add_heading(group["code"], level=2)
        for row in group["quotes"]:
            document.add_paragraph(row["text"].strip(), style="Quote")
            source = document.add_paragraph(f"— {attribution(row)}")
            source.runs[0].font.size = Pt(9)
    document.add_paragraph(NOTE).runs[0].font.size = Pt(8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def print_html(project, layer, rows) -> str:
    title, subtitle = _title(project, layer)
    groups = [{**g, "quotes": [{**q, "attribution": attribution(q)} for q in g["quotes"]]} for g in by_code(rows)]
    return render_to_string("qualitative/quotations_print.html", {
        "title": title, "subtitle": subtitle, "groups": groups, "note": NOTE,
    })


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"the quotations PDF fetches nothing ({url})")


def pdf_bytes(project, layer, rows) -> bytes:
    from weasyprint import HTML

    return HTML(string=print_html(project, layer, rows), url_fetcher=_no_fetch).write_pdf()


def filename(project, layer, fmt: str) -> str:
    return f"{slugify(project.name) or 'project'}-{slugify(layer.name) or 'layer'}-quotations.{fmt}"


def export(project, layer, fmt: str, codes=None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the layer's quotations in `fmt`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    rows = quotations(project, layer, codes)
    content = {
        "md": lambda: markdown(project, layer, rows).encode("utf-8"),
        "csv": lambda: csv_text(rows).encode("utf-8"),
        "docx": lambda: docx_bytes(project, layer, rows),
        "pdf": lambda: pdf_bytes(project, layer, rows),
    }[fmt]()
    return content, FORMATS[fmt], filename(project, layer, fmt)
