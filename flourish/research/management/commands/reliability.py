"""flourish reliability DATA.csv --scale NAME=col1,col2,... --format json|text"""

from ._stats_cli import StatsCommand


class Command(StatsCommand):
    help = "Reliability and item analysis per scale (alpha with CI, omega, item-rest r)."
    verb = "reliability"
