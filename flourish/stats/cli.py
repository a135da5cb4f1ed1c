"""Command-line front end: ``flourish cfa ...`` and ``flourish reliability ...``.

    cfa DATA.csv --model SPEC [--estimator ml|wlsmv] [--ordered] [--std-lv]
        [--missing listwise|pairwise] [--modindices] [--group COLUMN [--invariance]]
        [--format json|text]
    reliability DATA.csv --scale NAME=col1,col2,... [--scale ...] [--min V --max V]
        [--group COLUMN] [--format json|text]

SPEC is lavaan model syntax, inline or the path of a file holding it.  Empty cells are
missing; by default a CFA uses only the rows that answer every model item (listwise deletion,
lavaan's default), and says so when that drops more than 10 % of the rows.  Errors go to stderr with exit status 1 (never a traceback for bad input); a CFA
that does not converge prints what is known, says so, and exits with status 2.
"""
from __future__ import annotations

import argparse
import json
import math
import os

from .errors import StatsError


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # raise instead of sys.exit so main() controls streams/exit codes
        raise StatsError(f"{self.prog}: {message}")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="flourish", description="Reliability and CFA for Flourish questionnaire data.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    c = sub.add_parser("cfa", help="confirmatory factor analysis (matches lavaan)")
    c.add_argument("data")
    c.add_argument("--model", required=True, help="lavaan model syntax, inline or a file path")
    c.add_argument("--estimator", choices=["ml", "wlsmv"], default=None)
    c.add_argument("--ordered", action="store_true", help="treat all indicators as ordinal (WLSMV)")
    c.add_argument("--std-lv", action="store_true", help="fix factor variances to 1 instead of first loadings")
    c.add_argument("--missing", choices=["listwise", "pairwise"], default="listwise",
                   help="missing answers: listwise (default, as lavaan) analyses only rows that answer every "
                        "model item; pairwise (WLSMV only) estimates each threshold and polychoric "
                        "correlation from the rows that answer its items, as lavaan's missing = \"pairwise\"")
    c.add_argument("--modindices", action="store_true",
                   help="add modification indices with expected parameter change (ML; lavaan's modindices)")
    c.add_argument("--group", default=None, help="grouping column for a multi-group fit")
    c.add_argument("--invariance", action="store_true", help="configural/metric/scalar invariance (needs --group)")
    c.add_argument("--format", choices=["json", "text"], default="text")
    r = sub.add_parser("reliability", help="alpha, omega and item analysis per scale")
    r.add_argument("data")
    r.add_argument("--scale", action="append", required=True, metavar="NAME=col1,col2,...")
    r.add_argument("--min", type=float, default=None, help="lowest possible response (default: observed)")
    r.add_argument("--max", type=float, default=None, help="highest possible response (default: observed)")
    r.add_argument("--group", default=None, help="also report missingness per value of this column")
    r.add_argument("--format", choices=["json", "text"], default="text")
    return parser


def _clean(obj):
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


def _run_cfa(args, stdout) -> int:
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
        res = invariance(data, model, group=args.group, estimator=estimator, std_lv=args.std_lv)
        if args.format == "json":
            stdout.write(json.dumps(_clean(res), indent=2) + "\n")
        else:
            stdout.write(format_invariance_text(res))
        return 0 if res["converged"] else 2
    res = fit_cfa(data, model, estimator=estimator, ordered=args.ordered, group=args.group, std_lv=args.std_lv,
                  missing=args.missing, modindices=args.modindices)
    if args.format == "json":
        stdout.write(json.dumps(_clean(res), indent=2) + "\n")
    else:
        stdout.write(format_text(res))
    return 0 if res["converged"] else 2


def _format_reliability(results: list[dict], groups) -> str:
    lines = []
    for r in results:
        lines.append(f"Scale {r['scale']}: k = {r['k']}, n = {r['n_complete']} complete of {r['n_total']}")
        fmt = lambda v, d=3: "NA" if v is None else f"{v:.{d}f}"  # noqa: E731
        lines.append(f"  mean {fmt(r['mean'], 2)}  SD {fmt(r['sd'], 2)}  floor {fmt(r['floor_pct'], 1)}%  "
                     f"ceiling {fmt(r['ceiling_pct'], 1)}%")
        lines.append(f"  alpha {fmt(r['alpha'])}  {int(r['alpha_ci_level'] * 100)}% CI (Feldt) "
                     f"[{fmt(r['alpha_ci_lower'])}, {fmt(r['alpha_ci_upper'])}]  omega total {fmt(r['omega_total'])}"
                     + (f"  ({r['omega_note']})" if r.get("omega_note") else ""))
        lines.append(f"  {'item':<14}{'n':>6}{'miss%':>7}{'mean':>8}{'SD':>7}{'r_rest':>8}{'a_if_del':>9}"
                     f"{'floor%':>8}{'ceil%':>7}")
        for it in r["item_statistics"]:
            lines.append(f"  {it['item']:<14}{it['n']:>6}{fmt(it['missing_pct'], 1):>7}{fmt(it['mean'], 2):>8}"
                         f"{fmt(it['sd'], 2):>7}{fmt(it['item_rest_r']):>8}{fmt(it['alpha_if_deleted']):>9}"
                         f"{fmt(it['floor_pct'], 1):>8}{fmt(it['ceiling_pct'], 1):>7}")
        lines.append("")
    if groups:
        lines.append("Missingness by group (% missing):")
        for scale, per in groups.items():
            for lab, rows in per.items():
                lines.append(f"  {scale} / {lab}: " + ", ".join(f"{x['item']} {x['missing_pct']:.1f}" for x in rows))
    lines.append("Alpha/omega/item-rest use complete cases; item n, mean, SD use available responses.")
    return "\n".join(lines) + "\n"


def _run_reliability(args, stdout) -> int:
    from .io import read_csv
    from .reliability import missingness_by_group, scale_reliability
    data = read_csv(args.data)
    scales = []
    for spec in args.scale:
        if "=" not in spec:
            raise StatsError(f"--scale '{spec}' must look like NAME=col1,col2,...")
        name, cols = spec.split("=", 1)
        items = [c.strip() for c in cols.split(",") if c.strip()]
        scales.append((name.strip(), items))
    results = [scale_reliability(data, items, name, args.min, args.max) for name, items in scales]
    groups = None
    if args.group:
        groups = {name: missingness_by_group(data, items, args.group) for name, items in scales}
    if args.format == "json":
        payload = {"scales": results}
        if groups is not None:
            payload["missingness_by_group"] = groups
        stdout.write(json.dumps(_clean(payload), indent=2) + "\n")
    else:
        stdout.write(_format_reliability(results, groups))
    return 0


def main(argv: list[str], stdout, stderr) -> int:
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
