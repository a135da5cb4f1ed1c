"""The model's own tests, on the consented, de-identified rater data of one framework
version: reliability per process, confirmatory factor analysis of the framework's
structure and of alternatives, and measurement invariance across professional groups.

All models are built from the framework version's processes and items (nothing is
named in code). Estimation is ML on the item scores, as lavaan's defaults (see
:mod:`flourish.stats.cfa`); a fit that fails or does not converge is reported as such,
with no numbers. Raters are nested in the leaders they rate, so with two or more leaders the
leader pseudonym is the cluster (lavaan's ``cluster = "leader"``): standard errors are
cluster-robust, tests Yuan-Bentler scaled, nested models compared by scaled differences.
"""

from __future__ import annotations

import math
import re
from importlib import metadata

import numpy as np

from flourish.stats.cfa import fit_cfa, invariance
from flourish.stats.cfa.cluster import FEW_CLUSTERS, difference_test
from flourish.stats.cfa.polychoric import merge_empty_categories
from flourish.stats.errors import StatsError
from flourish.stats.reliability import scale_reliability

MIN_COMPLETE = 100  # complete rater responses needed before any model is fitted
MIN_GROUP = 30  # complete responses a professional group needs to enter the invariance test
SCORE_ALPHA = 0.05  # a score test or chi-square difference below this p-value marks a difference
CFI_DROP = 0.01  # a fall in CFI larger than this marks a step as failing (Cheung & Rensvold, 2002)
FIT_KEYS = ("npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr", "aic", "bic")
ROBUST_KEYS = ("chisq_scaled", "pvalue_scaled", "chisq_scaling_factor", "cfi_robust", "tli_robust", "rmsea_robust")
STEP_LABELS = {"thresholds_loadings": "Thresholds and loadings"}  # lavaan's ordinal step, in words
ORDINAL_KEYS = ("cfi_scaled", "tli_scaled", "rmsea_scaled")  # WLSMV's scaled fit measures (lavaan's .scaled)
CLUSTER = "leader"  # the rated leader's pseudonym: raters of one leader are not independent
MIN_LEADERS = 2  # a cluster-robust sandwich needs two clusters
DOI = "10.1080/13561820.2021.1897553"


def _num(v):
    if v is None:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v) if math.isfinite(v) else None
    return v


def clean(obj):
    """JSON-safe copy: numpy scalars to Python, NaN/inf to None."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, (str, type(None), bool)):
        return obj
    if isinstance(obj, int) and not isinstance(obj, bool):
        return obj
    return _num(obj)


def _safe(name: str, used: set) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", name) or "x"
    if not re.match(r"[A-Za-z_]", base):
        base = "v_" + base
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    used.add(candidate)
    return candidate


def structure(version) -> dict:
    """Processes and items of a framework version, with lavaan-safe names."""
    used: set = set()
    processes, items = [], []
    for process in version.processes:
        factor = _safe(process["id"], used)
        names = []
        for item in process["items"]:
            var = _safe(item["id"], used)
            items.append({"id": item["id"], "var": var, "process": process["id"],
                          "label": item.get("other") or item.get("self") or item["id"]})
            names.append(var)
        processes.append({"id": process["id"], "name": process.get("name", process["id"]),
                          "kind": process.get("kind", ""), "between": list(process.get("between") or []),
                          "factor": factor, "vars": names})
    return {"processes": processes, "items": items}


def _lines(factors: list[tuple[str, list[str]]]) -> str:
    return "\n".join(f"{f} =~ " + " + ".join(v) for f, v in factors if v)


def candidate_models(struct) -> list[dict]:
    processes = struct["processes"]
    all_vars = [i["var"] for i in struct["items"]]
    models = [{
        "key": "framework", "name": "The framework's structure",
        "description": "One factor per process, each measured by its own items; factors correlate freely.",
        "syntax": _lines([(p["factor"], p["vars"]) for p in processes]), "vars": all_vars,
    }, {
        "key": "general", "name": "One general factor",
        "description": "A single factor behind every item (no distinct processes).",
        "syntax": _lines([("general", all_vars)]), "vars": all_vars, "nested_in": "framework",
    }]
    main = [p for p in processes if p["kind"] == "main"]
    if main and len(main) < len(processes):
        main_vars = [v for p in main for v in p["vars"]]
        models.append({
            "key": "main_only", "name": "Main processes only",
            "description": "Only the main processes' items, one factor per main process (borderline "
                           "processes left out). Uses fewer items, so its chi-square, AIC and BIC cannot be "
                           "compared with the other models; compare CFI, TLI, RMSEA and SRMR only.",
            "syntax": _lines([(p["factor"], p["vars"]) for p in main]), "vars": main_vars,
        })
        by_id = {p["id"]: p for p in main}
        border = [p for p in processes if p["kind"] != "main"]
        if border and all(len(p["between"]) == 2 and all(b in by_id for b in p["between"]) for p in border):
            loads = {p["factor"]: list(p["vars"]) for p in main}
            for p in border:
                for b in p["between"]:
                    loads[by_id[b]["factor"]].extend(p["vars"])
            models.append({
                "key": "main_between", "name": "Main processes, borderline items shared",
                "description": "One factor per main process; each borderline process's items load on the two "
                               "main processes it sits between (Flourish's reading of the diagram), instead "
                               "of on factors of their own.",
                "syntax": _lines(list(loads.items())), "vars": all_vars,
            })
    return models


def _column(rows, item_id):
    return np.array([np.nan if r.get(item_id) is None else float(r[item_id]) for r in rows], dtype=float)


def _fit(data, spec, cluster=None) -> dict:
    out = {k: spec[k] for k in ("key", "name", "description", "syntax")}
    out["k"] = len(spec["vars"])
    try:
        res = fit_cfa(data, spec["syntax"], estimator="ml", cluster=cluster)
    except StatsError as error:
        return {**out, "ok": False, "message": f"Could not be fitted: {error.message}"}
    except (np.linalg.LinAlgError, ValueError, FloatingPointError) as error:
        return {**out, "ok": False, "message": f"Could not be fitted: {error}"}
    if not res["converged"]:
        return {**out, "ok": False, "message": "The estimation did not converge, so no results are shown for "
                                                "this model."}
    loadings = [{"factor": r["lhs"], "var": r["rhs"], "est": r["est"], "se": r["se"], "std_all": r["std_all"]}
                for r in res["parameters"] if r["op"] == "=~"]
    return {**out, "ok": True, "n": res["n"], "n_dropped": res["n_dropped"],
            "fit": {k: res["fit"].get(k) for k in (*FIT_KEYS, *ROBUST_KEYS)}, "loadings": loadings,
            "clustering": res.get("clustering"),
            "warnings": list(res.get("warnings", [])), "message": ""}


def _comparison(models) -> list[dict]:
    by_key = {m["key"]: m for m in models}
    rows = []
    for m in models:
        row = {"key": m["key"], "name": m["name"], "ok": m["ok"], "k": m["k"]}
        if m["ok"]:
            row.update(m["fit"])
            parent = by_key.get(m.get("nested_in") or "")
            if parent and parent["ok"]:
                test = difference_test(m["fit"], parent["fit"])
                row["delta"] = {"against": parent["name"], "delta_chisq": test["delta_chisq"],
                                "delta_df": test["delta_df"], "pvalue": test["delta_pvalue"],
                                "method": test["delta_method"], "note": test.get("delta_note", "")}
        rows.append(row)
    return rows


def too_little_data(ds, version) -> str:
    """Why the tests cannot run on this data ("" when they can): cheap, so the page can say so
    at once instead of queueing a job that would only fail."""
    results = _inputs(ds, version)[-1]
    return results["message"] if results.get("status") == "too_little_data" else ""


def run(ds, version) -> dict:
    """Every test on the rater ("other") rows of one framework version in data set `ds`."""
    struct, items, var_of, rows, data, complete, results = _inputs(ds, version)
    if results.get("status") == "too_little_data":
        return clean(results)
    return _tests(struct, items, var_of, rows, data, complete, results)


def _inputs(ds, version):
    struct = structure(version)
    key = (version.framework.slug, version.version)
    rows = [r for r in ds.rows if r["source"] == "other" and (r["framework"], r["framework_version"]) == key]
    items = struct["items"]
    var_of = {i["id"]: i["var"] for i in items}
    data = {i["var"]: _column(rows, i["id"]) for i in items}
    data["profession"] = [r["profession"] for r in rows]
    data[CLUSTER] = [r["leader"] for r in rows]
    complete = ~np.isnan(np.column_stack([data[i["var"]] for i in items])).any(axis=1) if rows else np.array([])
    n_complete = int(complete.sum()) if rows else 0
    results = {
        "framework": {"slug": key[0], "version": key[1], "name": version.framework.name},
        "n_rows": len(rows), "n_complete": n_complete,
        "n_leaders": len({r["leader"] for r in rows}), "n_cycles": len({r["cycle"] for r in rows}),
        "processes": [{k: p[k] for k in ("id", "name", "kind", "factor", "vars")} for p in struct["processes"]],
        "items": items, "estimator": "ML", "software": software(),
        "cluster": CLUSTER if len({r["leader"] for r in rows}) >= MIN_LEADERS else None,
        "min_complete": MIN_COMPLETE, "min_group": MIN_GROUP,
    }
    need = max(MIN_COMPLETE, len(items) + 1)
    if n_complete < need:
        results.update(status="too_little_data", message=(
            f"There is too little consented data to test the model: {n_complete} rater response"
            f"{'' if n_complete == 1 else 's'} answered every item (of {len(rows)} shared), and at least {need} "
            "are needed. Results from fewer would not be trustworthy."))
    return struct, items, var_of, rows, data, complete, results


def _tests(struct, items, var_of, rows, data, complete, results) -> dict:
    reliability = []
    for p in struct["processes"]:
        try:
            r = scale_reliability(data, p["vars"], name=p["name"], scale_min=1, scale_max=5)
            reliability.append({"process": p["id"], "name": p["name"], "ok": True, "k": r["k"],
                                "n_complete": r["n_complete"], "alpha": r["alpha"],
                                "alpha_ci_lower": r["alpha_ci_lower"], "alpha_ci_upper": r["alpha_ci_upper"],
                                "omega_total": r["omega_total"], "omega_note": r.get("omega_note", ""),
                                "mean": r["mean"], "sd": r["sd"], "items": r["item_statistics"]})
        except StatsError as error:
            reliability.append({"process": p["id"], "name": p["name"], "ok": False, "message": error.message})
    results["reliability"] = reliability

    specs = candidate_models(struct)
    models = [_fit(data, spec, results["cluster"]) for spec in specs]
    for m, spec in zip(models, specs):
        m["nested_in"] = spec.get("nested_in")
    results["models"] = models
    results["comparison"] = _comparison(models)
    results["invariance"] = _invariance(data, rows, complete, specs[0], items, struct, results["cluster"])
    results["ordinal_invariance"] = _invariance(data, rows, complete, specs[0], items, struct, estimator="wlsmv")
    results["clustering"] = _clustering(models[0], items) if results["cluster"] else None
    results["status"] = "ok"
    results["message"] = ""
    results["var_to_item"] = {v: k for k, v in var_of.items()}
    results["method_note"] = method_note(results, specs)
    return clean(results)


def _clustering(framework: dict, items) -> dict | None:
    """ICC(1) and design effect per item, from the framework model's analysed rows."""
    info = framework.get("clustering")
    if not framework["ok"] or not info:
        return None
    label = {i["var"]: i["id"] for i in items}
    iccs = [it["icc1"] for it in info["items"]]
    return {"n_clusters": info["n_clusters"], "mean_cluster_size": info["mean_cluster_size"],
            "few": info["n_clusters"] < FEW_CLUSTERS, "median_icc1": float(np.median(iccs)),
            "max_icc1": max(iccs), "items": [{**it, "item": label.get(it["item"], it["item"])} for it in info["items"]]}

def step_fails(row: dict) -> bool:
    """A constrained step fails on a significant chi-square difference or a CFI drop > .01."""
    p, d_cfi = row.get("delta_pvalue"), row.get("delta_cfi")
    return (p is not None and p < SCORE_ALPHA) or (d_cfi is not None and d_cfi < -CFI_DROP)


def describe_parameter(test: dict, struct: dict) -> dict:
    """One equality constraint of lavaan's score tests in the researcher's words: which
    item's loading, intercept or residual variance, on which process, between which groups."""
    items = {i["var"]: i for i in struct["items"]}
    factors = {p["factor"]: p["name"] for p in struct["processes"]}
    process_of = {i["var"]: factors.get(next((p["factor"] for p in struct["processes"] if i["var"] in p["vars"]),
                                             ""), "") for i in struct["items"]}
    lhs, op, rhs = test["lhs"], test["op"], test["rhs"]

    def item(var):
        found = items.get(var)
        return (found["id"], found["label"]) if found else (var, "")

    if op == "=~":
        kind, (item_id, wording), process = "loading", item(rhs), factors.get(lhs, lhs)
        text = f"Loading of item {item_id} on {process}"
    elif op == "~1":
        kind, (item_id, wording), process = "intercept", item(lhs), process_of.get(lhs, "")
        text = f"Intercept of item {item_id}"
    elif op == "|":
        kind, (item_id, wording), process = "threshold", item(lhs), process_of.get(lhs, "")
        text = f"Threshold {rhs[1:]} of item {item_id}"
    elif op == "~~" and lhs == rhs and lhs in items:
        kind, (item_id, wording), process = "residual variance", item(lhs), process_of.get(lhs, "")
        text = f"Residual variance of item {item_id}"
    else:
        kind, item_id, wording, process = "other", "", "", ""
        text = f"{lhs} {op} {rhs}".strip()
    return {"parameter": f"{lhs} {op} {rhs}".strip(), "kind": kind, "item": item_id, "wording": wording,
            "process": process, "text": text, "groups": list(test["group_names"]), "X2": test["X2"],
            "df": test.get("df", 1), "pvalue": test["pvalue"]}


def _invariance(data, rows, complete, spec, items, struct, cluster=None, estimator="ml") -> dict:
    """lavaan's invariance steps across professions: ML on the item scores (configural, metric,
    scalar, strict), or, with estimator="wlsmv", the items as ordered categories in lavaan's ordinal
    sequence (configural; thresholds and loadings; intercepts).  WLSMV ignores the nesting in
    leaders (cluster-robust WLSMV is not available); an answer category that a group never used,
    which lavaan refuses, is first merged with its neighbour in every group, and the merges are
    listed in the result ("merged")."""
    p = len(spec["vars"])
    need = max(MIN_GROUP, p + 1)
    sizes: dict[str, int] = {}
    for row, ok in zip(rows, complete):
        if ok:
            sizes[row["profession"] or "(not given)"] = sizes.get(row["profession"] or "(not given)", 0) + 1
    kept = [g for g, n in sizes.items() if n >= need]
    out = {"model": spec["name"], "syntax": spec["syntax"], "min_group": need, "estimator": estimator.upper(),
           "groups": [{"name": g, "n": n, "included": g in kept} for g, n in sorted(sizes.items())]}
    if len(kept) < 2:
        out.update(ran=False, message=(
            f"Not tested: invariance needs at least two professional groups with {need} or more complete "
            f"responses each (more than the {p} items, and at least {MIN_GROUP}); "
            + (f"only {kept[0]} has enough." if kept else "no group has enough.")))
        return out
    idx = [i for i, (row, ok) in enumerate(zip(rows, complete)) if ok and (row["profession"] or "(not given)") in kept]
    sub = {v: data[v][idx] for v in spec["vars"]}
    sub["profession"] = [rows[i]["profession"] or "(not given)" for i in idx]
    sub[CLUSTER] = [rows[i]["leader"] for i in idx]
    try:
        if estimator == "wlsmv":
            out["merged"] = _merge_empty_categories(sub, spec["vars"], items)
        res = invariance(sub, spec["syntax"], group="profession", cluster=cluster, estimator=estimator)
    except StatsError as error:
        out.update(ran=False, message=f"Could not be tested: {error.message}")
        return out
    except (np.linalg.LinAlgError, ValueError, FloatingPointError) as error:
        out.update(ran=False, message=f"Could not be tested: {error}")
        return out
    table = []
    first_failing = None
    for row in res["table"]:
        if row["converged"]:
            entry = {k: row.get(k) for k in (*FIT_KEYS, *ROBUST_KEYS, *ORDINAL_KEYS, "model", "converged",
                                              "delta_chisq", "delta_df", "delta_pvalue", "delta_cfi", "delta_rmsea",
                                              "delta_method", "delta_note", "delta_cfi_robust")}
            entry["fails"] = step_fails(row)
            entry["label"] = STEP_LABELS.get(row["model"], row["model"].capitalize())
            tests = [describe_parameter(t, struct) for t in row.get("score_tests") or []]
            if tests:
                entry["score_total"] = row["score_total"]
                entry["n_constraints"] = len(tests)
                entry["differs"] = sorted((t for t in tests if t["pvalue"] < SCORE_ALPHA), key=lambda t: -t["X2"])
                if entry["fails"] and first_failing is None:
                    first_failing = row["model"]
                    entry["score_tests"] = tests  # every constraint of the step to look into
            table.append(entry)
        else:
            table.append({"model": row["model"], "converged": False})
    out["first_failing"] = first_failing
    excluded = [g for g in sizes if g not in kept]
    out.update(ran=True, n=res["n"], table=table, message=(
        "" if res["converged"] else "At least one step did not converge; it is shown without numbers.")
        + (f" Left out for too few responses: {', '.join(sorted(excluded))}." if excluded else ""))
    out["message"] = out["message"].strip()
    return out


def _merge_empty_categories(sub: dict, variables: list, items) -> list[dict]:
    """Merges, in place, the answer categories a professional group never used (lavaan refuses
    them for an ordinal fit); returns what was merged, by item id."""
    recoded, merges = merge_empty_categories(np.column_stack([sub[v] for v in variables]), sub["profession"],
                                             list(variables))
    for j, v in enumerate(variables):
        sub[v] = recoded[:, j]
    label = {i["var"]: i["id"] for i in items}
    return [{**m, "item": label.get(m["item"], m["item"])} for m in merges]


def _nesting_sentence(results: dict) -> str:
    if not results.get("cluster"):
        return ("Responses are nested within leaders, but there was only one leader, so the analysis treats "
                "them as independent.")
    c = results.get("clustering") or {}
    icc = (f" The median item ICC(1) was {_fmt(c['median_icc1'])} (largest {_fmt(c['max_icc1'])}), with "
           f"{_fmt(c['mean_cluster_size'], 1)} responses per leader on average." if c else "")
    few = (f" With only {c['n_clusters']} leaders the cluster-robust standard errors are themselves imprecise."
           if c.get("few") else "")
    return ("Responses are nested within leaders, so standard errors are cluster-robust by leader (the leader "
            "pseudonym is the cluster, as lavaan's cluster = \"leader\": ML estimates with robust.cluster "
            "standard errors and the Yuan-Bentler scaled chi-square, test = \"yuan.bentler.mplus\"), and "
            "nested models are compared by the Satorra-Bentler (2001) scaled difference." + icc + few)


def software() -> dict:
    def version_of(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {"flourish": version_of("flourish"), "numpy": version_of("numpy"), "scipy": version_of("scipy")}


def _fmt(v, d=3):
    return "NA" if v is None else f"{v:.{d}f}"


def method_note(results: dict, specs: list[dict]) -> str:
    fw = results["framework"]
    sw = results["software"]
    models = results["models"]
    ok = [m for m in models if m["ok"]]
    n_used = ok[0]["n"] if ok else results["n_complete"]
    parts = [
        f"Data. We analysed {results['n_rows']} consented rater responses about {results['n_leaders']} leaders "
        f"in {results['n_cycles']} closed 360-degree feedback cycles on the {fw['name']} framework "
        f"(version {fw['version']}; {len(results['items'])} items in {len(results['processes'])} processes, "
        "rated 1 = rarely or never to 5 = almost always, with a 'not able to observe' option treated as "
        f"missing). Models used the {n_used} responses that answered every item in the model (listwise "
        "deletion, lavaan's default). " + _nesting_sentence(results),
        "Consent and de-identification. Only observations whose leader opted in for the cycle and whose "
        "rater opted in for their own answers were included; either can withdraw at any time, which removes "
        "the data from later analyses. Leaders and cycles are identified by keyed-hash pseudonyms; the data "
        "hold no names, email addresses, comments, organisation names or dates finer than the year.",
        "Measures. The items are Flourish's own operationalisation, not yet validated, of the processes "
        "named by Vaggers and Anderson (2025; https://doi.org/" + DOI + "); only the process names and their "
        "grouping into main and borderline processes come from the source.",
        "Analysis. Reliability per process: Cronbach's alpha with a Feldt 95% confidence interval and "
        "McDonald's omega total from a one-factor model (complete cases per process). Confirmatory factor "
        "analyses used maximum likelihood (ML) on the item scores with lavaan's conventions (first loading of "
        "each factor fixed to 1, factor covariances free, N rather than N - 1 in the likelihood, CFI/TLI "
        "against the independence model, SRMR as in lavaan), computed with Flourish's statistics engine "
        f"(Flourish {sw['flourish']}, NumPy {sw['numpy']}, SciPy {sw['scipy']}), which reproduces lavaan's "
        "estimates and fit measures. Ordinal fits (WLSMV with polychoric correlations, as lavaan's "
        "ordered = TRUE) are available from the command line: flourish cfa DATA.csv --model SPEC --ordered.",
        "Models compared (lavaan syntax):",
    ]
    for spec, m in zip(specs, models):
        parts.append(f"{m['name']}:\n{spec['syntax']}")
    difference = ("Satorra-Bentler (2001) scaled chi-square difference test" if results.get("cluster")
                  else "chi-square difference (likelihood-ratio) test")
    parts.append(
        f"The one-factor model is nested in the framework's model and was compared with it by a {difference}; "
        "models on the same items were also compared by AIC and BIC."
        + (" The main-processes-only model uses fewer items and is compared by CFI, TLI, RMSEA and SRMR only."
           if any(s["key"] == "main_only" for s in specs) else ""))
    inv = results["invariance"]
    if inv.get("ran"):
        groups = ", ".join(f"{g['name']} (n = {g['n']})" for g in inv["groups"] if g["included"])
        parts.append(
            "Measurement invariance of the framework's model across professional groups ("
            f"{groups}; groups with fewer than {inv['min_group']} complete responses left out) was tested by "
            "configural, metric (equal loadings), scalar (equal loadings and intercepts) and strict (equal "
            f"residual variances too) multi-group ML models, compared by {difference}s and the "
            "change in CFI (a drop of more than .01 suggests non-invariance; Cheung & Rensvold, 2002). For the "
            "first step that failed, univariate score tests (lavaan's lavTestScore) of each equality constraint "
            "show which parameters differ between which groups"
            + (" (they use the ML information and ignore the clustering by leader, so their p-values are "
               "too small: read them as pointers, not tests)." if results.get("cluster") else "."))
    else:
        parts.append("Measurement invariance across professional groups was not tested: " + inv["message"])
    ordinal = results.get("ordinal_invariance") or {}
    if ordinal.get("ran"):
        merged = ordinal.get("merged") or []
        n_items = len({m["item"] for m in merged})
        parts.append(
            "Treating the items as ordered categories, invariance was tested in lavaan's sequence for ordinal "
            "data (WLSMV on polychoric correlations, delta parameterisation): configural; thresholds and "
            "loadings equal (scale factors and latent means then free in all groups but the first); then "
            "intercepts, which adds no constraint for ordered items. Steps were compared by the Satorra (2000) "
            "scaled-and-shifted difference test (lavaan's lavTestLRT) and the change in scaled CFI; this "
            "analysis ignores the nesting of raters in leaders."
            + (f" Answer categories that some group never used were merged with their neighbour in every group "
               f"first ({n_items} item{'s' if n_items != 1 else ''}), "
               "as lavaan refuses empty categories."
               if merged else ""))
    elif ordinal:
        parts.append("Ordinal invariance (WLSMV) was not tested: " + ordinal["message"])
    fit_lines = []
    for m in models:
        if m["ok"]:
            f = m["fit"]
            line = (f"{m['name']}: chi-square({f['df']:.0f}) = {_fmt(f['chisq'], 2)}, CFI = "
                    f"{_fmt(f['cfi'])}, TLI = {_fmt(f['tli'])}, RMSEA = {_fmt(f['rmsea'])}, "
                    f"SRMR = {_fmt(f['srmr'])}")
            if f.get("chisq_scaled") is not None:
                line += (f" (scaled chi-square = {_fmt(f['chisq_scaled'], 2)}, robust CFI = {_fmt(f['cfi_robust'])}, "
                         f"robust TLI = {_fmt(f['tli_robust'])}, robust RMSEA = {_fmt(f['rmsea_robust'])})")
            fit_lines.append(line)
        else:
            fit_lines.append(f"{m['name']}: {m['message']}")
    parts.append("Results. " + "; ".join(fit_lines) + ".")
    return "\n\n".join(parts)


def results_csv_rows(results: dict) -> list[list]:
    """Long format: section, model, group, factor, item, statistic, value."""
    out = [["section", "model", "group", "factor", "item", "statistic", "value"]]
    var_to_item = results.get("var_to_item", {})
    out.append(["data", "", "", "", "", "n_rows", results.get("n_rows")])
    out.append(["data", "", "", "", "", "n_complete", results.get("n_complete")])
    for r in results.get("reliability", []):
        if r["ok"]:
            for k in ("k", "n_complete", "alpha", "alpha_ci_lower", "alpha_ci_upper", "omega_total", "mean", "sd"):
                out.append(["reliability", "", "", r["process"], "", k, r.get(k)])
    for m in results.get("models", []):
        out += _model_csv_rows(m, var_to_item)
    for row in results.get("comparison", []):
        if row.get("delta"):
            for k in ("delta_chisq", "delta_df", "pvalue"):
                out.append(["comparison", row["key"], "", "", "", k, row["delta"][k]])
    out += _invariance_csv_rows(results.get("invariance") or {})
    out += _invariance_csv_rows(results.get("ordinal_invariance") or {}, "ordinal_invariance")
    for it in (results.get("clustering") or {}).get("items", []):
        for k in ("icc1", "design_effect"):
            out.append(["clustering", "framework", "", "", it["item"], k, it[k]])
    return out


def _model_csv_rows(m: dict, var_to_item: dict) -> list[list]:
    """One model's fit and loadings, or the reason it was not fitted."""
    if not m["ok"]:
        return [["fit", m["key"], "", "", "", "status", "not fitted: " + m["message"]]]
    out = []
    for k in ("n", *FIT_KEYS):
        out.append(["fit", m["key"], "", "", "", k, m["fit"].get(k) if k != "n" else m["n"]])
    for ld in m["loadings"]:
        item = var_to_item.get(ld["var"], ld["var"])
        for k in ("est", "se", "std_all"):
            out.append(["loading", m["key"], "", ld["factor"], item, k, ld[k]])
    return out


def _invariance_csv_rows(inv: dict, what: str = "invariance") -> list[list]:
    out = []
    for row in inv.get("table", []):
        for k, v in row.items():
            if k not in ("model", "converged", "differs", "score_tests", "score_total"):
                out.append([what, row["model"], "", "", "", k, v])
        if row.get("score_total"):
            for k in ("X2", "df", "pvalue"):
                out.append([what, row["model"], "", "", "", f"score_total_{k}", row["score_total"][k]])
        for t in row.get("score_tests") or row.get("differs") or []:
            for k in ("X2", "pvalue"):
                out.append([f"{what}_score", row["model"], " vs ".join(t["groups"]), t["process"], t["item"],
                            f"{t['kind']} {k}", t[k]])
        if not row["converged"]:
            out.append([what, row["model"], "", "", "", "status", "did not converge"])
    for m in inv.get("merged") or []:
        out.append([f"{what}_merged", "", ", ".join(m["empty_in"]), "", m["item"], f"category {m['category']}",
                    f"merged into {m['into']}"])
    for g in inv.get("groups", []):
        out.append([f"{what}_group", "", g["name"], "", "", "n_complete", g["n"]])
    return out
