import os

import pytest

from flourish.stats.io import read_csv

DATA = os.path.join(os.path.dirname(__file__), "data")
HS_MODEL = """
  # Holzinger & Swineford (1939) three-factor model
  visual  =~ x1 + x2 + x3
  textual =~ x4 + x5 + x6
  speed   =~ x7 + x8 + x9
"""


@pytest.fixture(scope="session")
def hs():
    return read_csv(os.path.join(DATA, "holzinger_swineford_1939.csv"))


@pytest.fixture(scope="session")
def hs_ordinal():
    return read_csv(os.path.join(DATA, "hs_ordinal5.csv"))
