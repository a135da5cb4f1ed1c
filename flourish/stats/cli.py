"""Command-line front end: ``flourish cfa ...`` and ``flourish reliability ...``.

    cfa DATA.csv --model SPEC [--estimator ml|mlr|wlsmv] [--ordered] [--std-lv]
        [--missing listwise|pairwise|ml] [--modindices] [--group COLUMN [--invariance]] [--cluster COLUMN]
        [--format json|text]
    reliability DATA.csv --scale NAME=col1,col2,... [--scale ...] [--min V --max V]
        [--reverse item,...] [--ordinal] [--group COLUMN] [--format json|text]

SPEC is lavaan model syntax, inline or the path of a file holding it.  Empty cells are
missing; by default a CFA uses only the rows that answer every model item (listwise deletion,
lavaan's default), and says so when that drops more than 10 % of the rows.  Errors go to
stderr with exit status 1 (never a traceback for bad input); a CFA that does not converge
prints what is known, says so, and exits with status 2.
"""
from __future__ import annotations

import argparse
import json
import math
import os
from typing import Any, NoReturn, TextIO

from .errors import StatsError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # raise instead of sys.exit so main() controls streams/exit codes
        raise StatsError(f"{self.prog}: {message}")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="flourish", description="Reliability and CFA for Flourish questionnaire data.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    c = sub.add_parser("cfa", help="confirmatory factor analysis (matches lavaan)")
    c.add_argument("data")
    c.add_argument("--model", required=True, help="lavaan model syntax, inline or a file path")
    c.add_argument("--estimator", choices=["ml", "mlr", "wlsmv"], default=None,
                   help="ml (default for continuous items); mlr: ML estimates with robust (Huber-White "
                        "sandwich) standard errors and the Yuan-Bentler scaled chi-square, as lavaan's MLR; "
                        "wlsmv (default with --ordered)")
    c.add_argument("--ordered", action="store_true", help="treat all indicators as ordinal (WLSMV)")
    c.add_argument("--std-lv", action="store_true", help="fix factor variances to 1 instead of first loadings")
    c.add_argument("--missing", choices=["listwise", "pairwise", "ml"], default="listwise",
                   help="missing answers: listwise (default, as lavaan) analyses only rows that answer every "
                        "model item, and warns when that drops more than 10%% of the rows; ml (ML only) is "
                        "full-information ML, as lavaan's missing = \"ml\": every answer counts and only rows "
                        "with no answer on the model items are dropped; pairwise (WLSMV only) estimates each "
                        "threshold and polychoric correlation from the rows that answer its items, as "
                        "lavaan's missing = \"pairwise\"")
    c.add_argument("--modindices", action="store_true",
                   help="add modification indices with expected parameter change (ML; lavaan's modindices)")
    c.add_argument("--group", default=None, help="grouping column for a multi-group fit")
    c.add_argument("--cluster", default=None, metavar="COLUMN",
                   help="column naming each row's cluster (e.g. the leader the raters rated): cluster-robust "
                        "standard errors and a Yuan-Bentler scaled test, as lavaan's cluster = (ML), with ICC(1) "
                        "and the design effect per item")
    c.add_argument("--invariance", action="store_true",
                   help="configural/metric/scalar/strict invariance with score tests (needs --group); with "
                        "--ordered, lavaan's ordinal sequence: configural, thresholds+loadings, intercepts (WLSMV)")
    c.add_argument("--group-partial", action="append", default=[], metavar="PARAM",
                   help="free this parameter in every group in the invariance steps (lavaan's group.partial), "
                        "e.g. 'y3 ~ 1' or 'y3 | t2'; repeat for several")
    c.add_argument("--format", choices=["json", "text"], default="text")
    r = sub.add_parser("reliability", help="alpha, omega and item analysis per scale")
    r.add_argument("data")
    r.add_argument("--scale", action="append", required=True, metavar="NAME=col1,col2,...")
    r.add_argument("--min", type=float, default=None, help="lowest possible response (default: observed)")
    r.add_argument("--max", type=float, default=None, help="highest possible response (default: observed)")
    r.add_argument("--reverse", default="", metavar="ITEM,...",
                   help="reverse-keyed items, recoded as min + max - x before anything is computed")
    r.add_argument("--ordinal", action="store_true",
                   help="also ordinal alpha and omega from polychoric correlations (items as ordered categories)")
    r.add_argument("--group", default=None,
                   help="also report reliability and missingness per value of this column (e.g. profession)")
    r.add_argument("--format", choices=["json", "text"], default="text")
    return parser


def _clean(obj: Any) -> Any:
    """JSON-safe: NaN/inf -> None."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item"):
        return _clean(obj.item())
    return obj


def _read_model(spec: str) -> str:
    if "=~" not in spec and os.path.isfile(spec):
        with open(spec, encoding="utf-8") as fh:
            return fh.read()
    if "=~" not in spec and ("/" in spec or spec.endswith((".lav", ".txt", ".model"))):
        raise StatsError(f"Model file not found: {spec}")
    return spec


def _run_cfa(args: argparse.Namespace, stdout: TextIO) -> int:
    from .cfa import fit_cfa, invariance
    from .cfa.invariance import format_invariance_text
    from .cfa.result import format_text
    from .io import read_csv
    model = _read_model(args.model)
    data = read_csv(args.data)
    estimator = args.estimator or ("wlsmv" if args.ordered else "ml")
    if args.invariance:
        if not args.group:
            raise StatsError("--invariance needs --group COLUMN.")
        if args.missing != "listwise":
            raise StatsError("--invariance uses listwise deletion; --missing " + args.missing + " is not available "
                             "with it yet.")
        res = invariance(data, model, group=args.group, estimator=estimator, std_lv=args.std_lv,
                         group_partial=args.group_partial, cluster=args.cluster)
        if args.format == "json":
            stdout.write(json.dumps(_clean(res), indent=2) + "\n")
        else:
            stdout.write(format_invariance_text(res))
        return 0 if res["converged"] else 2
    res = fit_cfa(data, model, estimator=estimator, ordered=args.ordered, group=args.group, std_lv=args.std_lv,
                  missing=args.missing, modindices=args.modindices, cluster=args.cluster)
    if args.format == "json":
        stdout.write(json.dumps(_clean(res), indent=2) + "\n")
    else:
        stdout.write(format_text(res))
    return 0 if res["converged"] else 2


def _fmt(v: float | None, d: int = 3) -> str:
    return "NA" if v is None else f"{v:.{d}f}"


def _format_scale(r: dict[str, Any]) -> list[str]:
    fmt = _fmt
    lines = [f"Scale {r['scale']}: k = {r['k']}, n = {r['n_complete']} complete of {r['n_total']}"
             + (f"; reversed: {', '.join(r['reversed'])}" if r.get("reversed") else "")]
    lines.append(f"  mean {fmt(r['mean'], 2)}  SD {fmt(r['sd'], 2)}  floor {fmt(r['floor_pct'], 1)}%  "
                 f"ceiling {fmt(r['ceiling_pct'], 1)}%")
    lines.append(f"  alpha {fmt(r['alpha'])}  {int(r['alpha_ci_level'] * 100)}% CI (Feldt) "
                 f"[{fmt(r['alpha_ci_lower'])}, {fmt(r['alpha_ci_upper'])}]  omega total (this scale alone) "
                 f"{fmt(r['omega_total'])}" + (f"  ({r['omega_note']})" if r.get("omega_note") else ""))
    if "ordinal_alpha" in r:
        lines.append(f"  ordinal alpha {fmt(r['ordinal_alpha'])}  ordinal omega: latent responses "
                     f"{fmt(r['ordinal_omega_latent'])}, categorical (Green & Yang) "
                     f"{fmt(r['ordinal_omega_categorical'])}")
    lines.append(f"  {'item':<14}{'n':>6}{'miss%':>7}{'mean':>8}{'SD':>7}{'r_rest':>8}{'a_if_del':>9}"
                 f"{'floor%':>8}{'ceil%':>7}{'loading':>9}")
    for it in r["item_statistics"]:
        lines.append(f"  {it['item']:<14}{it['n']:>6}{fmt(it['missing_pct'], 1):>7}{fmt(it['mean'], 2):>8}"
                     f"{fmt(it['sd'], 2):>7}{fmt(it['item_rest_r']):>8}{fmt(it['alpha_if_deleted']):>9}"
                     f"{fmt(it['floor_pct'], 1):>8}{fmt(it['ceiling_pct'], 1):>7}"
                     f"{fmt(r.get('loadings', {}).get(it['item'])):>9}")
    lines.extend(f"  Warning: {w}" for w in r.get("warnings", []))
    return lines


def _format_reliability(results: list[dict[str, Any]], groups: dict[str, Any] | None,
                        by_group: dict[str, Any] | None = None, multi: dict[str, Any] | None = None) -> str:
    lines: list[str] = []
    for r in results:
        lines.extend(_format_scale(r))
        lines.append("")
    if multi is not None:
        lines.append("Omega within the hypothesised multi-factor model (" + multi["method"] + f"; n = "
                     f"{multi['n_complete']} complete):")
        if multi.get("note"):
            lines.append(f"  {multi['note']}")
        for name, v in multi["omega"].items():
            lines.append(f"  {name}: omega (multi-factor model) {_fmt(v)}")
        lines.append("")
    if by_group:
        for scale, per in by_group.items():
            lines.append(f"Scale {scale} by group:")
            for lab, r in per.items():
                if "note" in r:
                    lines.append(f"  {lab}: {r['note']}")
                    continue
                lines.append(f"  {lab}: n = {r['n_complete']}  alpha {_fmt(r['alpha'])} [{_fmt(r['alpha_ci_lower'])}, "
                             f"{_fmt(r['alpha_ci_upper'])}]  omega {_fmt(r['omega_total'])}"
                             + (f"  ordinal alpha {_fmt(r['ordinal_alpha'])}" if "ordinal_alpha" in r else ""))
            lines.append("")
    if groups:
        lines.append("Missingness by group (% missing):")
        for scale, per in groups.items():
            for lab, rows in per.items():
                lines.append(f"  {scale} / {lab}: " + ", ".join(f"{x['item']} {x['missing_pct']:.1f}" for x in rows))
    lines.append("Alpha/omega/item-rest use complete cases; item n, mean, SD use available responses.")
    return "\n".join(lines) + "\n"


def _run_reliability(args: argparse.Namespace, stdout: TextIO) -> int:
    from .io import read_csv
    from .reliability import missingness_by_group, model_omegas, reliability_by_group, scale_reliability
    data = read_csv(args.data)
    scales = []
    for spec in args.scale:
        if "=" not in spec:
            raise StatsError(f"--scale '{spec}' must look like NAME=col1,col2,...")
        name, cols = spec.split("=", 1)
        items = [c.strip() for c in cols.split(",") if c.strip()]
        scales.append((name.strip(), items))
    reverse = [c.strip() for c in args.reverse.split(",") if c.strip()]
    unknown = [c for c in reverse if not any(c in items for _, items in scales)]
    if unknown:
        raise StatsError("--reverse names items that are in no --scale: " + ", ".join(unknown))
    results = [scale_reliability(data, items, name, args.min, args.max, reverse=reverse, ordinal=args.ordinal)
               for name, items in scales]
    groups = by_group = None
    if args.group:
        groups = {name: missingness_by_group(data, items, args.group) for name, items in scales}
        by_group = {name: reliability_by_group(data, items, name, args.group, args.min, args.max, reverse=reverse,
                                               ordinal=args.ordinal) for name, items in scales}
    multi = model_omegas(data, scales, reverse, args.min, args.max) if len(scales) > 1 else None
    if args.format == "json":
        payload: dict[str, object] = {"scales": results}
        if groups is not None:
            payload["missingness_by_group"] = groups
            payload["by_group"] = by_group
        if multi is not None:
            payload["multi_factor_omega"] = multi
        stdout.write(json.dumps(_clean(payload), indent=2) + "\n")
    else:
        stdout.write(_format_reliability(results, groups, by_group, multi))
    return 0


def main(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 bad input, 2 CFA did not converge)."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "cfa":
            code = _run_cfa(args, stdout)
            if code == 2:
                stderr.write("error: the model did not converge; the estimates are not usable.\n")
            return code
        if args.command == "reliability":
            return _run_reliability(args, stdout)
        stderr.write("error: choose a command: cfa or reliability\n")
        stderr.write(parser.format_usage())
        return 1
    except StatsError as exc:
        stderr.write(f"error: {exc.message}\n")
        return 1
    except SystemExit as exc:  # argparse --help
        return int(exc.code or 0)
    except (OSError, MemoryError) as exc:
        stderr.write(f"error: {exc}\n")
        return 1
