"""The tail probabilities computed without scipy.stats agree with scipy.stats, and the
statistics commands start without Django or scipy.stats (issue 14, item 9)."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats as st

from flourish.stats import distributions as d
from flourish.stats.tests.conftest import DATA, HS_MODEL


def test_chi_square_tails_agree_with_scipy_over_a_wide_range() -> None:
    rng = np.random.default_rng(14)
    for _ in range(2000):
        df = float(rng.integers(1, 900))
        x = float(rng.uniform(0, 3 * df + 30))
        assert abs(d.chi2_sf(x, df) - st.chi2.sf(x, df)) < 1e-12
        assert abs(d.chi2_cdf(x, df) - st.chi2.cdf(x, df)) < 1e-12


@pytest.mark.parametrize("nc_scale", [0.5, 30.0, 20000.0])
def test_noncentral_chi_square_cdf_agrees_with_scipy(nc_scale: float) -> None:
    rng = np.random.default_rng(int(nc_scale))
    for _ in range(500):
        df = float(rng.integers(1, 800))
        nc = float(rng.uniform(0, nc_scale))
        x = float(rng.uniform(0, 2 * (df + nc) + 30))
        assert abs(d.ncx2_cdf(x, df, nc) - st.ncx2.cdf(x, df, nc)) < 1e-10, (x, df, nc)
        assert abs(d.ncx2_sf(x, df, nc) - st.ncx2.sf(x, df, nc)) < 1e-10


def test_normal_tail_and_bisection() -> None:
    for z in np.linspace(-8, 8, 101):
        assert abs(d.norm_sf(float(z)) - st.norm.sf(z)) < 1e-15
    assert abs(d.bisect(lambda v: v * v - 2.0, 0.0, 2.0) - 2 ** 0.5) < 1e-11


def test_flourish_cfa_runs_without_django_or_scipy_stats() -> None:
    probe = (
        "import io, sys\n"
        "from flourish import __main__ as entry\n"
        "sys.stdout = io.StringIO()\n"
        "try:\n"
        f"    entry.main(['cfa', {os.path.join(DATA, 'holzinger_swineford_1939.csv')!r}, '--model', {HS_MODEL!r}])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "sys.stdout = sys.__stdout__\n"
        "print(code, 'django' in sys.modules, 'scipy.stats' in sys.modules, 'scipy.optimize' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": ""})
    assert out.stdout.split() == ["0", "False", "False", "False"], out.stderr
