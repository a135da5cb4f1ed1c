"""What the report's charts and tables show, worked out from the released report dict
(`flourish.lib.report`): rows, a summary, and SVG geometry for bar and radar charts.

Pure Python: no Django, no database. It only re-arranges figures already in the dict —
it never computes a new score — so every output shows exactly the released figures.
Coordinates are rounded to one decimal place, so no chart geometry can be mistaken for a
two-decimal score.
"""

from __future__ import annotations

import math

OTHER_RATERS = "Other raters"
PROFESSION = "profession"
RELATIONSHIP = "relationship"
DIMENSIONS = (PROFESSION, RELATIONSHIP)
SCALE_MIN, SCALE_MAX = 1, 5
PRIORITY_IMPORTANCE = 4  # importance of at least this …
PRIORITY_BELOW = 3.5  # … and others' score below this make a development priority
STRONGEST = 3  # how many processes the summary names as strongest (ties included)

BAR_COLOURS = {"self": "#00703c", "others": "#1d70b8", "group": "#505a5f"}
RADAR_SERIES = (("self", "You", "#00703c", "6 4"), ("others", "All others", "#1d70b8", ""))


def _c(value: float) -> float:
    """A coordinate, to one decimal place."""
    return round(value, 1)


def display_name(name: str) -> str:
    """Group names as stored ("team member") with a capital first letter."""
    return name[:1].upper() + name[1:]


def group_label(dimension: str, name: str) -> str:
    if name == OTHER_RATERS:
        pooled = "professional groups" if dimension == PROFESSION else "relationships"
        return f"Other raters ({pooled} pooled)"
    kind = "professional group" if dimension == PROFESSION else "relationship"
    return f"{display_name(name)} ({kind})"


def short_label(dimension: str, name: str, limit: int = 36) -> str:
    """A chart's label for a group (the table beside it gives the full label)."""
    if name == OTHER_RATERS:
        return "Other raters (professions)" if dimension == PROFESSION else "Other raters (relationships)"
    name = display_name(name)
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def ordered_groups(groups: dict | None) -> list[dict]:
    """Shown groups: professions then relationships, named groups in name order and the
    pool last (the dict's own order is not kept by every database)."""
    rows = []
    for dimension in DIMENSIONS:
        shown = (groups or {}).get(dimension) or {}
        names = sorted(n for n in shown if n != OTHER_RATERS)
        if OTHER_RATERS in shown:
            names.append(OTHER_RATERS)
        for name in names:
            rows.append({
                "key": f"{dimension}:{name}",
                "dimension": dimension,
                "name": name,
                "label": group_label(dimension, name),
                "short": short_label(dimension, name),
                "score": shown[name]["score"],
                "n": shown[name]["n"],
            })
    return rows


def figure_rows(entry: dict) -> list[dict]:
    """Self, all others and each shown group of one process (or item), in display order."""
    rows = []
    if "self" in entry:
        rows.append({"key": "self", "label": "You (self-assessment)", "short": "You", "score": entry["self"], "n": None,
                     "kind": "self"})
    if "others" in entry:
        rows.append({
            "key": "others", "label": "All others", "short": "All others", "score": entry["others"]["score"],
            "n": entry["others"]["n"], "kind": "others",
        })
    for group in ordered_groups(entry.get("groups")):
        rows.append({**group, "kind": "group"})
    return rows


def _others_score(process: dict) -> float | None:
    others = process.get("others")
    return others["score"] if others else None


def is_priority(process: dict) -> bool:
    score = _others_score(process)
    return (
        process.get("importance", 0) >= PRIORITY_IMPORTANCE and score is not None and score < PRIORITY_BELOW
    )


def summary(report: dict) -> dict:
    """Process names for the report's summary: strongest (highest "all others" scores),
    blind spots and hidden strengths (from each gap's kind) and priorities."""
    processes = report["processes"]
    scored = sorted(
        (p for p in processes if _others_score(p) is not None), key=lambda p: -_others_score(p)
    )
    strongest = []
    if scored:
        cut = _others_score(scored[min(STRONGEST, len(scored)) - 1])
        strongest = [p["name"] for p in scored if _others_score(p) >= cut]

    def kind(name):
        return [p["name"] for p in processes if (p.get("gap") or {}).get("kind") == name]

    return {
        "strongest": strongest,
        "blind_spots": kind("blind spot"),
        "hidden_strengths": kind("hidden strength"),
        "priorities": [p["name"] for p in processes if is_priority(p)],
    }


def item_columns(process: dict) -> list[dict]:
    """Every group shown for at least one of the process's items, in display order."""
    seen: dict[str, dict] = {}
    for item in process["items"]:
        for group in ordered_groups(item.get("groups")):
            seen.setdefault(group["key"], {k: group[k] for k in ("key", "dimension", "name", "label")})
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    return sorted(
        seen.values(),
        key=lambda g: (order[g["dimension"]], g["name"] == OTHER_RATERS, g["name"]),
    )


def item_rows(process: dict, item_text: dict[str, str] | None = None) -> tuple[list[dict], list[dict]]:
    """(columns, rows) of the per-item table: each row has the item's wording, self,
    others, gap and one cell per column (None where that group is not shown)."""
    columns = item_columns(process)
    rows = []
    for item in process["items"]:
        shown = {g["key"]: g for g in ordered_groups(item.get("groups"))}
        rows.append({
            "id": item["id"],
            "text": (item_text or {}).get(item["id"], item["id"]),
            "self": item.get("self"),
            "others": item.get("others"),
            "gap": item.get("gap"),
            "cells": [shown.get(c["key"]) for c in columns],
        })
    return columns, rows


# --- bar chart ---------------------------------------------------------------------

def bars(rows: list[dict], width: int = 400) -> dict:
    """Horizontal bars on the 1–5 scale, one per row, each with its label above it.

    Returns the SVG's size, the scale's ticks and, per row, the label's and bar's
    position; a bar starts at the scale's minimum."""
    left, right = 8, width - 56
    top, row_height, bar_height = 8, 44, 16
    span = right - left

    def x(value):
        return left + span * (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)

    out_rows = []
    for index, row in enumerate(rows):
        y = top + index * row_height
        end = x(min(max(row["score"], SCALE_MIN), SCALE_MAX))
        out_rows.append({
            **row,
            "colour": BAR_COLOURS[row["kind"]],
            "label_y": _c(y + 14),
            "bar_x": _c(left),
            "bar_y": _c(y + 20),
            "bar_width": _c(max(end - left, 2)),
            "bar_height": bar_height,
            "value_x": _c(max(end, left + 2) + 6),
            "value_y": _c(y + 20 + bar_height - 3),
        })
    axis_y = top + len(rows) * row_height + 4
    ticks = [{"value": v, "x": _c(x(v))} for v in range(SCALE_MIN, SCALE_MAX + 1)]
    return {
        "width": width,
        "height": axis_y + 22,
        "rows": out_rows,
        "ticks": ticks,
        "grid_top": top,
        "axis_y": axis_y,
        "tick_label_y": axis_y + 16,
    }


# --- radar chart -------------------------------------------------------------------

def radar(report: dict, size: int = 400) -> dict:
    """A radar (spider) chart of self and all others over the report's processes.

    Axes are numbered (the legend and the table name them); each value v sits at
    radius r·v/5 so the scale's minimum is a small ring, not the centre. A process
    without a figure is left out of that series' outline and listed as missing."""
    processes = report["processes"]
    count = len(processes)
    cx = cy = size / 2
    radius = size / 2 - 34

    def point(index, value):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * value / SCALE_MAX
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    axes = []
    for index, process in enumerate(processes):
        ex, ey = point(index, SCALE_MAX)
        lx, ly = point(index, SCALE_MAX + 0.55)
        axes.append({
            "number": index + 1, "name": process["name"],
            "x2": _c(ex), "y2": _c(ey), "label_x": _c(lx), "label_y": _c(ly + 5),
        })
    rings = [
        {"value": v, "points": " ".join(f"{_c(px)},{_c(py)}" for px, py in (point(i, v) for i in range(count)))}
        for v in range(SCALE_MIN, SCALE_MAX + 1)
    ]
    series = []
    for key, label, colour, dash in RADAR_SERIES:
        values = [p.get("self") if key == "self" else _others_score(p) for p in processes]
        present = [(i, v) for i, v in enumerate(values) if v is not None]
        points = [point(i, v) for i, v in present]
        series.append({
            "key": key, "label": label, "colour": colour, "dash": dash,
            "points": " ".join(f"{_c(px)},{_c(py)}" for px, py in points),
            "markers": [{"x": _c(px), "y": _c(py)} for px, py in points],
            "missing": [processes[i]["name"] for i, v in enumerate(values) if v is None],
        })
    return {
        "size": size, "cx": _c(cx), "cy": _c(cy), "axes": axes, "rings": rings,
        "ring_label_x": _c(cx + 3), "ring_labels": [
            {"value": v, "y": _c(cy - radius * v / SCALE_MAX - 2)} for v in range(SCALE_MIN, SCALE_MAX + 1)
        ],
        "series": [s for s in series if s["markers"]],
    }
