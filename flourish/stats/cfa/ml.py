"""Maximum likelihood estimation (lavaan's estimator = "ML", likelihood = "normal").

Discrepancy function, per group g with n_g cases (N = sum n_g)::

    F_g = log|Sigma_g| + tr(S_g Sigma_g^-1) - log|S_g| - p + (ybar_g - mu_g)' Sigma_g^-1 (ybar_g - mu_g)
    fmin = 1/2 * sum_g (n_g / N) F_g            (lavaan's "fmin")
    chisq = 2 N fmin

S_g uses the divisor n_g (not n_g - 1), as lavaan does with likelihood = "normal".
Minimised by Fisher scoring (Gauss-Newton with the expected information and
step halving) using analytic derivatives; standard errors come from the
inverse expected information divided by N (lavaan's information = "expected").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import StatsError
from .model import Model, Param

# per group: (Sigma^-1, logdet Sigma, d = ybar - mu or None)
_Group = tuple[np.ndarray, float, np.ndarray | None]


@dataclass
class GroupStats:
    n: int
    mean: np.ndarray
    cov: np.ndarray  # divisor n
    logdet: float


def sample_stats(groups: list[np.ndarray]) -> list[GroupStats]:
    out = []
    for Y in groups:
        n = Y.shape[0]
        mean = Y.mean(axis=0)
        Z = Y - mean
        S = (Z.T @ Z) / n
        sign, logdet = np.linalg.slogdet(S)
        if sign <= 0:
            raise StatsError("The sample covariance matrix is singular (an item is constant or items are "
                             "perfectly collinear, or there are fewer cases than items); ML cannot be used.")
        out.append(GroupStats(n=n, mean=mean, cov=S, logdet=logdet))
    return out


def _start_factor(mine: list[Param], S: np.ndarray, j: int) -> None:
    """One factor's start values: principal-axis loadings of its indicators and its variance."""
    loads = [q for q in mine if q.kind == "lambda" and q.col == j]
    rows = [q.row for q in loads]
    if not rows:
        return
    sub = S[np.ix_(rows, rows)]
    w, v = np.linalg.eigh(sub)
    vec = v[:, -1] * np.sqrt(max(w[-1], 1e-6))
    if vec.sum() < 0:
        vec = -vec
    if len(rows) == 1:
        vec = np.array([np.sqrt(max(sub[0, 0], 1e-6) * 0.5)])
    var_q = next((q for q in mine if q.kind == "psi" and q.row == j and q.col == j), None)
    fixed = [(k, q) for k, q in enumerate(loads) if q.free < 0 and q.value != 0]
    if fixed:
        k, q = fixed[0]
        scale = vec[k] / q.value if abs(vec[k]) > 1e-8 else 1.0
        psi = max(scale ** 2, 0.05)
        lam = vec / np.sqrt(psi)
    else:
        psi = var_q.value if (var_q is not None and var_q.free < 0) else 1.0
        lam = vec / np.sqrt(max(psi, 1e-8))
    for k, q in enumerate(loads):
        if q.free >= 0:
            q.value = float(lam[k])
    if var_q is not None and var_q.free >= 0:
        var_q.value = float(psi)


def set_start_values(model: Model, covs: list[np.ndarray], means: list[np.ndarray] | None = None) -> None:
    """Start values in the spirit of lavaan's: half the observed variance for residual
    variances, one-factor (principal axis) loadings per factor, zero covariances."""
    p = model.p
    for g in range(model.n_groups):
        S = covs[g]
        mine = [q for q in model.params if q.group == g]
        for j in range(model.m):
            _start_factor(mine, S, j)
        for q in mine:
            if q.free < 0 and not q.derived:
                continue
            if q.kind == "theta":
                q.value = 0.5 * S[q.row, q.row] if q.row == q.col else 0.0
            elif q.kind == "psi" and q.row != q.col:
                q.value = 0.0
            elif q.kind == "nu":
                q.value = float(means[g][q.row]) if means is not None else 0.0
            elif q.kind == "alpha":
                q.value = 0.0
    _ = p


class MLObjective:
    """Objective, gradient and expected information for ML."""

    def __init__(self, model: Model, stats: list[GroupStats]):
        self.model = model
        self.stats = stats
        self.N = sum(s.n for s in stats)
        self.w = [s.n / self.N for s in stats]

    def _groups(self, x: np.ndarray) -> list[_Group] | None:
        """Per group: (Sigma^-1, logdet Sigma, d = ybar - mu or None); None if not PD."""
        out: list[_Group] = []
        for (sigma, mu), st in zip(self.model.implied(x), self.stats):
            try:
                if not np.all(np.isfinite(sigma)):
                    return None
                chol = np.linalg.cholesky(sigma)
            except np.linalg.LinAlgError:
                return None
            li = np.linalg.inv(chol)  # triangular, small: Sigma^-1 = L^-T L^-1
            inv = li.T @ li
            logdet = 2.0 * np.log(np.diag(chol)).sum()
            d = (st.mean - mu) if mu is not None else None
            out.append((inv, logdet, d))
        return out

    def value(self, x: np.ndarray, cache: list[_Group] | None = None) -> float:
        gs = cache if cache is not None else self._groups(x)
        if gs is None:
            return np.inf
        f = 0.0
        for w, st, (inv, logdet, d) in zip(self.w, self.stats, gs):
            Fg = logdet + np.sum(st.cov * inv) - st.logdet - len(inv)
            if d is not None:
                Fg += d @ inv @ d
            f += w * Fg
        return 0.5 * f

    def gradient_information(self, x: np.ndarray, cache: list[_Group] | None = None
                             ) -> tuple[np.ndarray, np.ndarray]:
        """Gradient of fmin and expected information (per case; Hessian of fmin in expectation)."""
        gs = cache if cache is not None else self._groups(x)
        mats = self.model.matrices(x)
        jac = self.model.jacobian(x, mats)
        q = self.model.n_free
        grad = np.zeros(q)
        info = np.zeros((q, q))
        # gs is None when Sigma is not positive definite: zip raises TypeError, which fit_ml catches
        for w, st, (inv, _ld, d), (JS, Jm) in zip(self.w, self.stats, gs, jac):  # type: ignore[arg-type]
            p = len(inv)
            C = st.cov if d is None else st.cov + np.outer(d, d)
            G = inv - inv @ C @ inv
            grad += w * 0.5 * (G.ravel() @ JS)
            # 0.5 * tr(inv dS_k inv dS_l) for all k, l
            D = JS.T.reshape(q, p, p)
            W = inv @ D @ inv
            info += w * 0.5 * (W.reshape(q, -1) @ JS)
            if d is not None:
                grad += w * (-(d @ inv) @ Jm)
                info += w * (Jm.T @ inv @ Jm)
        return grad, info


def fisher_scoring(value: Callable[[np.ndarray], float],
                   grad_info: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
                   x0: npt.ArrayLike, max_iter: int = 500, tol: float = 1e-10) -> tuple[np.ndarray, float, bool, int]:
    """Minimise with Fisher scoring and step halving. Returns (x, f, converged, iterations)."""
    x = np.array(x0, dtype=float)
    f = value(x)
    if not np.isfinite(f):
        return x, f, False, 0
    for it in range(1, max_iter + 1):
        g, H = grad_info(x)
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(H, g, rcond=None)[0]
        t = 1.0
        while True:
            xn = x - t * step
            fn = value(xn)
            if np.isfinite(fn) and fn <= f + 1e-14 * (1 + abs(f)):
                break
            t *= 0.5
            if t < 1e-12:
                # cannot decrease further: converged if the gradient is tiny
                return x, f, bool(np.max(np.abs(g)) < 1e-6), it
        dx = np.max(np.abs(xn - x))
        df = f - fn
        x, f = xn, fn
        if dx < tol or (df < 1e-15 * (1 + abs(f)) and np.max(np.abs(g)) < 1e-7):
            return x, f, True, it
    return x, f, False, max_iter


def fit_ml(model: Model, stats: list[GroupStats]) -> dict[str, Any]:
    """Estimate; returns dict with x, fmin, converged, iterations, information, vcov."""
    obj = MLObjective(model, stats)
    set_start_values(model, [s.cov for s in stats], [s.mean for s in stats])
    x0 = model.start_vector()
    x, f, converged, iters = fisher_scoring(obj.value, obj.gradient_information, x0)
    if not converged:
        # second chance from a different start: unit loadings
        for q in model.params:
            if q.kind == "lambda" and q.free >= 0:
                q.value = 1.0
        x, f, converged, iters2 = fisher_scoring(obj.value, obj.gradient_information, model.start_vector())
        iters += iters2
    out: dict[str, Any] = {"x": x, "fmin": f, "converged": converged, "iterations": iters, "vcov": None,
                           "information": None}
    if converged:
        g, info = obj.gradient_information(x)
        out["information"] = info
        out["vcov"] = invert_information(info, obj.N, model)
        out["gradient"] = g
    else:
        # A fit that wanders off is most often empirically under-identified: say which parameter.
        try:
            _, info = obj.gradient_information(x)
        except (np.linalg.LinAlgError, ValueError, TypeError):
            return out
        if np.all(np.isfinite(info)):
            w, v = np.linalg.eigh(info)
            if w[0] <= 1e-7 * max(w[-1], 1e-300):
                raise StatsError(
                    "The model is not identified from these data (empirical under-identification): the "
                    "optimiser did not converge and the information matrix is singular; "
                    + _unidentified(model, v[:, 0]) + ". lavaan also finds no solution here. Typical "
                    "causes: a factor with two indicators whose correlation with the other factors is near "
                    "zero, or a loading near zero.")
    return out


def parameter_names(model: Model) -> list[str]:
    """lavaan-style names of the free parameters, in the order of x."""
    names = [""] * model.n_free
    for q in model.params:
        if q.free >= 0 and not q.derived and not names[q.free]:
            group = f" (group {q.group + 1})" if model.n_groups > 1 else ""
            names[q.free] = f"{q.lhs} {q.op} {q.rhs}".strip() + group
    return names


def _unidentified(model: Model, null_vector: np.ndarray) -> str:
    """The parameters that move along the information matrix's null direction."""
    names = parameter_names(model)
    weight = np.abs(null_vector)
    order = [int(k) for k in np.argsort(-weight) if weight[k] > 0.2 * weight.max()]
    first, rest = names[order[0]], [names[k] for k in order[1:4]]
    return f"parameter {first} is not identified" + (f" (together with {', '.join(rest)})" if rest else "")


def invert_information(info: np.ndarray, N: float, model: Model | None = None) -> np.ndarray:
    w, v = np.linalg.eigh(info)
    if w[0] <= 1e-10 * max(w[-1], 1e-300):
        which = f"; {_unidentified(model, v[:, 0])}" if model is not None else ""
        raise StatsError("The model is not identified: the information matrix is singular" + which + ". "
                         "Check that every factor has a scale "
                         "(a fixed loading or variance) and enough indicators (at least 3, or 2 with a "
                         "correlated factor), and that no parameter is specified twice.")
    return np.linalg.inv(info) / N
