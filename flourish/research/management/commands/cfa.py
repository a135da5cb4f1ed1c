"""flourish cfa DATA.csv --model SPEC [--estimator ml|wlsmv] [--ordered] [--group COLUMN]
[--invariance] --format json|text — confirmatory factor analysis matching lavaan."""

from ._stats_cli import StatsCommand


class Command(StatsCommand):
    help = "Confirmatory factor analysis (lavaan model syntax; ML or WLSMV)."
    verb = "cfa"
