"""What the pulse's pages, the CLI and the API show, computed before rendering (templates
run no queries). Everything about respondents comes from a wave's stored results, which the
ledger decided at close (`disclosures.py`)."""

from flourish.pulse.core.pooling import POOLED

from . import actions, results, selectors

STATUS_TEXT = {
    "below_k": "Not shown: fewer than {k} people on one side.",
    "ledger": "Not shown: together with the other figures here or what you were shown before (for example "
              "an earlier wave, when the roster has changed since), it would reveal the answers of fewer "
              "than {k} people.",
    "no_ties": "No working ties reported.",
}


def _fmt(x, places=2):
    return None if x is None else f"{x:.{places}f}"


def status_text(status, k):
    return STATUS_TEXT.get(status, "").format(k=k)


def team_page(team):
    waves = selectors.waves(team)
    return {"team": team, "members": selectors.roster(team), "waves": waves,
            "open_wave": next((w for w in waves if w.is_open), None)}


def _scores(results, previous):
    before = {s["key"]: s for s in (previous or {}).get("scores", [])}
    rows = []
    for s in results["scores"]:
        prior = before.get(s["key"])
        change = None
        if prior and prior.get("mean") is not None and s.get("mean") is not None:
            change = s["mean"] - prior["mean"]
        rows.append({**s, "mean_text": _fmt(s["mean"]), "change_text": None if change is None else f"{change:+.2f}",
                     "note": "; ".join(s["reasons"]) if s["status"] == "agreement" else status_text(s["status"],
                                                                                                    results["k"])})
    return rows


def _matrix(results):
    matrix = results["matrix"]
    k = results["k"]
    cells = {(c["row"], c["column"]): c for c in matrix["cells"]}
    rows = []
    for row in matrix["groups"]:
        line = []
        for column in matrix["groups"]:
            cell = cells.get((row, column))
            if row == column:
                line.append({"text": "Own group (not asked)"})
            elif cell is None:
                line.append({"text": "No ratings"})
            elif cell["mean"] is None:
                line.append({"text": "Not shown", "note": status_text(cell["status"], k)})
            else:
                line.append({"text": _fmt(cell["mean"])})
        rows.append({"group": row, "cells": line})
    pooled = [{"column": p["column"], "text": _fmt(p["mean"]) if p["mean"] is not None else "Not shown",
               "note": "" if p["mean"] is not None else status_text(p["status"], k)} for p in matrix["pooled_rows"]]
    return {"groups": matrix["groups"], "rows": rows, "pooled": pooled, "items": matrix["items"],
            "has_pooled_group": POOLED in matrix["groups"], "pooled_label": POOLED,
            "heatmap": _heatmap(matrix["groups"], cells)}


# The heat map: light (1) to mid blue (5), dark text on every shade (contrast above 7:1).
_LIGHT, _DARK = (0xF3, 0xF8, 0xFD), (0x6B, 0xAE, 0xD6)
CELL, LABEL, TOP = 64, 190, 24


def _shade(mean: float) -> str:
    t = max(0.0, min(1.0, (mean - 1) / 4))
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(_LIGHT, _DARK))


def _heatmap(groups, cells):
    """The matrix as an SVG picture (the table beside it holds the same figures): one square per
    shown cell, shaded by its mean; withheld cells grey-striped with no number."""
    squares = []
    for r, row in enumerate(groups):
        for c, column in enumerate(groups):
            cell = cells.get((row, column))
            x, y = LABEL + c * CELL, TOP + r * CELL
            if row == column:
                kind, fill, text = "own", "#ffffff", ""
            elif cell is None or cell["mean"] is None:
                kind, fill, text = "withheld", "#f3f2f1", "–"
            else:
                kind, fill, text = "shown", _shade(cell["mean"]), _fmt(cell["mean"], 1)
            squares.append({"x": x, "y": y, "fill": fill, "text": text, "kind": kind,
                            "cx": x + CELL / 2, "cy": y + CELL / 2 + 5})
    labels = [{"text": g, "y": TOP + r * CELL + CELL / 2 + 5} for r, g in enumerate(groups)]
    columns = [{"number": c + 1, "x": LABEL + c * CELL + CELL / 2} for c in range(len(groups))]
    return {"width": LABEL + CELL * len(groups) + 2, "height": TOP + CELL * len(groups) + 2, "squares": squares,
            "labels": labels, "columns": columns, "cell": CELL, "label_x": LABEL - 8,
            "key": [{"number": c + 1, "group": g} for c, g in enumerate(groups)]}


def _network(results):
    k = results["k"]
    out = []
    for dimension, title in (("profession", "Professions"), ("agency", "Agencies")):
        entry = results["network"][dimension]
        out.append({
            "dimension": dimension, "title": title, "status": entry["status"],
            "note": status_text(entry["status"], k),
            "density": _fmt(entry["density"]), "ei": _fmt(entry["ei"]),
            "nobody_works_with": entry["nobody_works_with"],
            "groups": [{"group": g["group"], "ei": _fmt(g["ei"]), "note": status_text(g["status"], k)}
                       for g in entry["groups"]],
        })
    return out


def results_page(wave):
    previous = selectors.previous_closed(wave) if wave.results else None
    context = {"wave": wave, "team": wave.team, "results": wave.results, "previous": previous}
    if wave.results:
        context.update(k=wave.results["k"], asked=wave.results["asked"],
                       scores=_scores(wave.results, previous.results if previous else None),
                       matrix=_matrix(wave.results), network=_network(wave.results))
    return context


def respondent_context(invitation, token):
    wave = invitation.wave
    professions, agencies = selectors.wave_groups(wave)
    instrument = results.instrument_of(wave)
    minutes = actions.minutes(instrument, len(professions), len(agencies))
    return {"token": token, "wave": wave, "team": wave.team, "leader_name": wave.team.leader.display_name,
            "organisation_name": wave.team.organisation.name, "minutes": minutes,
            "under_five": minutes < 5, "professions": professions, "agencies": agencies,
            "others": [p for p in professions if p != invitation.profession],
            "doc": wave.instrument, "invitation": invitation}


def api_team(team) -> dict:
    return {"id": team.pk, "name": team.name, "organisation": team.organisation.name,
            "waves": [{"id": w.pk, "label": w.label, "status": w.status, "closes_on": w.closes_on.isoformat(),
                       "closed_on": w.closed_on.isoformat() if w.closed_on else None} for w in team.waves.all()]}


def api_results(wave) -> dict:
    """The stable JSON of a wave's results (the API and `flourish pulse export`)."""
    r = wave.results or {}
    return {
        "team": wave.team.pk, "wave": wave.pk, "label": wave.label, "status": wave.status,
        "closes_on": wave.closes_on.isoformat(), "closed_on": wave.closed_on.isoformat() if wave.closed_on else None,
        "k": r.get("k"), "asked": r.get("asked"),
        "scores": [{"key": s["key"], "name": s["name"], "mean": s["mean"], "n": s["n"], "status": s["status"],
                    "reasons": s["reasons"]} for s in r.get("scores", [])],
        "matrix": {"groups": r.get("matrix", {}).get("groups", []),
                   "cells": [{"rater_group": c["row"], "rated_group": c["column"], "mean": c["mean"],
                              "status": c["status"]} for c in r.get("matrix", {}).get("cells", [])],
                   "pooled_rows": [{"rated_group": p["column"], "mean": p["mean"], "status": p["status"]}
                                   for p in r.get("matrix", {}).get("pooled_rows", [])]},
        "network": {d: {"density": e["density"], "ei_index": e["ei"], "nobody_works_with": e["nobody_works_with"],
                        "status": e["status"],
                        "groups": [{"group": g["group"], "ei_index": g["ei"], "status": g["status"]}
                                   for g in e["groups"]]}
                    for d, e in r.get("network", {}).items()},
    }
