"""Normal and chi-square tail probabilities with numpy and the standard library only.

`flourish cfa` needs a handful of tail probabilities (p-values, the RMSEA interval).
Importing scipy.stats for them costs most of a second at start-up -- longer than the fit -- so
they are computed here (checked against scipy.stats to 1e-12 in
``flourish/stats/tests/test_distributions.py``):

* regularized incomplete gamma P(a, x) / Q(a, x): series for x < a + 1, Lentz's continued
  fraction otherwise (Numerical Recipes, 6.2), relative accuracy ~1e-15;
* non-central chi-square CDF as a Poisson mixture of central chi-square CDFs, summed outwards
  from the Poisson mode with the recurrences P(a+1, y) = P(a, y) - y^a e^-y / Gamma(a+1)
  (Ding 1992), vectorised with cumulative sums;
* bisection for the RMSEA interval (the CDF is monotone in the non-centrality).
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

_EPS = 1e-16
_TINY = 1e-300


def norm_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _gamma_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    ap = a
    for _ in range(100000):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_fraction(a: float, x: float) -> float:
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, 100000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def gamma_p(a: float, x: float) -> float:
    """Regularized lower incomplete gamma P(a, x)."""
    if x <= 0:
        return 0.0
    if x < a + 1.0:
        return min(1.0, _gamma_series(a, x))
    return max(0.0, 1.0 - _gamma_fraction(a, x))


def gamma_q(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), accurate in the far tail."""
    if x <= 0:
        return 1.0
    if x < a + 1.0:
        return max(0.0, 1.0 - _gamma_series(a, x))
    return min(1.0, _gamma_fraction(a, x))


def chi2_sf(x: float, df: float) -> float:
    """P(X > x) for X ~ chi-square(df)."""
    if df <= 0 or not math.isfinite(x):
        return float("nan") if not math.isfinite(x) or df <= 0 else 0.0
    return gamma_q(df / 2.0, x / 2.0)


def chi2_cdf(x: float, df: float) -> float:
    return gamma_p(df / 2.0, x / 2.0)


def ncx2_cdf(x: float, df: float, nc: float) -> float:
    """P(X <= x) for X ~ non-central chi-square(df, nc)."""
    if x <= 0:
        return 0.0
    if nc <= 0:
        return chi2_cdf(x, df)
    lam, y, a = nc / 2.0, x / 2.0, df / 2.0
    mode = int(math.floor(lam))
    spread = int(40 + 12 * math.sqrt(lam + 1.0))
    lo, hi = max(0, mode - spread), mode + spread
    # Poisson weights around the mode, in logs: log w_{j+1} = log w_j + log(lam / (j + 1))
    logw_mode = -lam + mode * math.log(lam) - math.lgamma(mode + 1.0) if lam > 0 else 0.0
    up = np.arange(mode + 1, hi + 1, dtype=float)
    dn = np.arange(mode, lo, -1, dtype=float)  # j = mode, mode-1, ..., lo+1 -> weights of j-1
    logw_up = logw_mode + np.cumsum(np.log(lam / up))
    logw_dn = logw_mode + np.cumsum(np.log(dn / lam))
    # central CDFs: P(a + j, y); term t_j = y^(a+j) e^-y / Gamma(a+j+1)
    p_mode = gamma_p(a + mode, y)
    log_t_mode = (a + mode) * math.log(y) - y - math.lgamma(a + mode + 1.0)
    # upward: P(a+j+1) = P(a+j) - t_j, t_{j+1} = t_j * y / (a+j+1)
    log_t_up = log_t_mode + np.concatenate([[0.0], np.cumsum(np.log(y / (a + up[:-1])))]) \
        if len(up) else np.zeros(0)
    p_up = p_mode - np.cumsum(np.exp(log_t_up))
    # downward: P(a+j-1) = P(a+j) + t_{j-1}, t_{j-1} = t_j * (a+j) / y
    log_t_dn = log_t_mode + np.cumsum(np.log((a + dn) / y))
    p_dn = p_mode + np.cumsum(np.exp(log_t_dn))
    total = math.exp(logw_mode) * p_mode
    total += float(np.exp(logw_up) @ np.clip(p_up, 0.0, 1.0))
    total += float(np.exp(logw_dn) @ np.clip(p_dn, 0.0, 1.0))
    return min(max(total, 0.0), 1.0)


def ncx2_sf(x: float, df: float, nc: float) -> float:
    """P(X > x), as R's 1 - pchisq(x, df, ncp) that lavaan uses."""
    return 1.0 - ncx2_cdf(x, df, nc)


def bisect(fn: Callable[[float], float], lo: float, hi: float, xtol: float = 1e-12) -> float:
    """A root of a monotone fn on [lo, hi] with fn(lo), fn(hi) of opposite signs."""
    flo = fn(lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fm = fn(mid)
        if fm == 0.0:
            return mid
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
        if hi - lo <= xtol * max(1.0, abs(mid)):
            break
    return 0.5 * (lo + hi)
