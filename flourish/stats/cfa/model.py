"""Parameter table and model matrices for (multi-group) CFA.

The model for group g is the LISREL-type measurement model::

    Sigma_g = Lambda_g Psi_g Lambda_g' + Theta_g
    mu_g    = nu_g + Lambda_g alpha_g          (only with a mean structure)

Each row of the parameter table (:class:`Param`) is one matrix element.  Free
rows point into the vector ``x`` of free parameters through ``free`` (0-based;
-1 for fixed).  Equality constraints (``group.equal`` or shared labels) are
imposed by letting several rows share the same free index, so ``len(x)`` is
the effective number of parameters (lavaan's ``npar``).

Defaults follow lavaan's ``cfa()``: the first loading of each factor is fixed
to 1 (unless ``std_lv``, which instead fixes factor variances to 1), residual
variances and factor (co)variances are free, and with several groups the mean
structure is added with free intercepts and latent means fixed to 0
(latent means are freed in groups 2.. when intercepts are held equal).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..errors import StatsError
from .syntax import Statement

KINDS = ("lambda", "theta", "psi", "nu", "alpha", "tau", "delta")


@dataclass
class Param:
    lhs: str
    op: str
    rhs: str
    group: int  # 0-based
    kind: str  # one of KINDS
    row: int
    col: int
    value: float  # fixed value or start value
    free: int = -1  # index into x, -1 if fixed
    label: str | None = None
    user: bool = True
    derived: bool = False  # computed from others (delta-parameterisation residual variances)


@dataclass
class Model:
    ov_names: list[str]
    lv_names: list[str]
    params: list[Param]
    n_groups: int
    meanstructure: bool
    ordered: bool = False
    n_thresholds: list[int] = field(default_factory=list)  # per observed variable (ordered only)
    n_free: int = 0
    if TYPE_CHECKING:  # caches set on first use by diagnostics.py; not dataclass fields
        _std_index: np.ndarray = field(init=False)
        _std_fixed: np.ndarray = field(init=False)

    @property
    def p(self) -> int:
        return len(self.ov_names)

    @property
    def m(self) -> int:
        return len(self.lv_names)

    def index_arrays(self) -> dict[str, np.ndarray]:
        """Per kind: arrays (param_idx, group, row, col, free) for vectorised filling."""
        if getattr(self, "_idx", None) is None:
            out: dict[str, np.ndarray] = {}
            for kind in KINDS:
                rows = [(i, q.group, q.row, q.col, q.free) for i, q in enumerate(self.params)
                        if q.kind == kind and not q.derived]
                arr = np.array(rows, dtype=np.int64).reshape(-1, 5)
                out[kind] = arr
            self._idx = out
        return self._idx

    def _values_template(self) -> np.ndarray:
        return np.array([q.value for q in self.params], dtype=float)

    def _free_template(self) -> np.ndarray:
        if getattr(self, "_free", None) is None:
            self._free = np.array([-1 if q.derived else q.free for q in self.params], dtype=np.int64)
        return self._free

    def start_vector(self) -> np.ndarray:
        x = np.zeros(self.n_free)
        for q in self.params:
            if q.free >= 0:
                x[q.free] = q.value
        return x

    def matrices(self, x: np.ndarray) -> list[dict[str, np.ndarray]]:
        """Model matrices per group for the free-parameter vector x."""
        p, m = self.p, self.m
        mats = []
        for _ in range(self.n_groups):
            mats.append({
                "lambda": np.zeros((p, m)), "theta": np.zeros((p, p)), "psi": np.zeros((m, m)),
                "nu": np.zeros((p, 1)), "alpha": np.zeros((m, 1)),
                "tau": np.zeros((max(sum(self.n_thresholds), 1), 1)),
                "delta": np.ones((p, 1)),  # scale factors of the latent responses (ordered only)
            })
        values = self._values_template()
        free = self._free_template()
        isfree = free >= 0
        values[isfree] = x[free[isfree]]
        for kind, arr in self.index_arrays().items():
            if not len(arr):
                continue
            for g in range(self.n_groups):
                sel = arr[arr[:, 1] == g]
                M = mats[g][kind]
                M[sel[:, 2], sel[:, 3]] = values[sel[:, 0]]
                if kind in ("theta", "psi"):
                    M[sel[:, 3], sel[:, 2]] = values[sel[:, 0]]
        return mats

    def implied(self, x: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """List of (Sigma, mu) per group (mu is None without a mean structure)."""
        out = []
        for M in self.matrices(x):
            L, P = M["lambda"], M["psi"]
            sigma = L @ P @ L.T + M["theta"]
            mu = (M["nu"] + L @ M["alpha"]).ravel() if self.meanstructure else None
            out.append((sigma, mu))
        return out

    def jacobian(self, x: np.ndarray, mats: list[dict[str, np.ndarray]] | None = None
                 ) -> list[tuple[np.ndarray, np.ndarray]]:
        """d vec(Sigma_g)/dx (p*p x q) and d mu_g/dx (p x q) per group, analytic."""
        p, q = self.p, self.n_free
        if mats is None:
            mats = self.matrices(x)
        idx = self.index_arrays()
        out = []
        for g, M in enumerate(mats):
            L, P = M["lambda"], M["psi"]
            LP = L @ P
            JS = np.zeros((p * p, q))
            Jm = np.zeros((p, q))
            # loadings: dSigma = e_i a_j' + a_j e_i', a_j = (Lambda Psi)[:, j]
            a = idx["lambda"]
            a = a[(a[:, 1] == g) & (a[:, 4] >= 0)]
            if len(a):
                D = np.zeros((len(a), p, p))
                k = np.arange(len(a))
                D[k, a[:, 2], :] = LP[:, a[:, 3]].T
                D[k, :, a[:, 2]] += LP[:, a[:, 3]].T
                _accumulate(JS, a[:, 4], D.reshape(len(a), -1))
                if self.meanstructure:
                    _accumulate(Jm, a[:, 4], np.eye(p)[a[:, 2]] * M["alpha"][a[:, 3], 0][:, None])
            b = idx["psi"]
            b = b[(b[:, 1] == g) & (b[:, 4] >= 0)]
            if len(b):
                lk, ll = L[:, b[:, 2]], L[:, b[:, 3]]
                D = np.einsum("pn,qn->npq", lk, ll)
                D = D + D.transpose(0, 2, 1)
                D[b[:, 2] == b[:, 3]] *= 0.5
                _accumulate(JS, b[:, 4], D.reshape(len(b), -1))
            c = idx["theta"]
            c = c[(c[:, 1] == g) & (c[:, 4] >= 0)]
            if len(c):
                D = np.zeros((len(c), p, p))
                k = np.arange(len(c))
                D[k, c[:, 2], c[:, 3]] = 1.0
                D[k, c[:, 3], c[:, 2]] = 1.0
                _accumulate(JS, c[:, 4], D.reshape(len(c), -1))
            if self.meanstructure:
                d = idx["nu"]
                d = d[(d[:, 1] == g) & (d[:, 4] >= 0)]
                if len(d):
                    _accumulate(Jm, d[:, 4], np.eye(p)[d[:, 2]])
                e = idx["alpha"]
                e = e[(e[:, 1] == g) & (e[:, 4] >= 0)]
                if len(e):
                    _accumulate(Jm, e[:, 4], L[:, e[:, 2]].T)
            out.append((JS, Jm))
        return out


def _accumulate(J: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
    """J[:, cols] += values.T, summing columns that share an index (equality constraints)."""
    if len(set(cols.tolist())) == len(cols):  # (np.unique would import numpy.ma: 50 ms at start-up)
        J[:, cols] += values.T
    else:
        np.add.at(J.T, cols, values)


def _partial_key(text: str) -> tuple[str, str, str]:
    """'f1 =~ y3' / 'y3 ~ 1' / 'y3 ~1' / 'y3 ~~ y3' -> (lhs, op, rhs) as in the parameter table."""
    t = " ".join(text.split())
    for op in ("=~", "~~"):
        if op in t:
            lhs, rhs = (x.strip() for x in t.split(op, 1))
            return (lhs, op, rhs)
    if "~" in t and t.replace(" ", "").endswith("~1"):
        return (t.split("~", 1)[0].strip(), "~1", "")
    if "|" in t:
        lhs, rhs = (x.strip() for x in t.split("|", 1))
        return (lhs, "|", rhs)
    raise StatsError(f"group.partial: cannot read '{text}'; write e.g. 'f1 =~ y3', 'y3 ~ 1' or 'y3 ~~ y3'.")


def _variable_names(statements: list[Statement]) -> tuple[list[str], list[str]]:
    """Factor and indicator names in order of appearance; refuses second-order factors and
    '~~' on names that are neither."""
    lv_names: list[str] = []
    for s in statements:
        if s.op == "=~" and s.lhs not in lv_names:
            lv_names.append(s.lhs)
    ov_names: list[str] = []
    for s in statements:
        if s.op == "=~":
            for t in s.terms:
                if t.name in lv_names:
                    raise StatsError(f"Model syntax, line {s.line}: '{t.name}' is a factor; second-order "
                                     "factors are not supported.")
                if t.name not in ov_names:
                    ov_names.append(t.name)
    for s in statements:
        if s.op == "~~":
            for name in [s.lhs] + [t.name for t in s.terms]:
                if name not in lv_names and name not in ov_names:
                    raise StatsError(f"Model syntax, line {s.line}: '{name}' is used in '~~' but is not an "
                                     "indicator of any factor.")
    return lv_names, ov_names


def _loading_params(statements: list[Statement], g: int, lvi: dict[str, int], ovi: dict[str, int],
                    std_lv: bool, eq_loadings: bool, partial: set[tuple[str, str, str]],
                    params: list[Param]) -> None:
    """Group g's loadings; without std_lv the first free loading of a factor is its marker (1)."""
    for s in statements:
        if s.op != "=~":
            continue
        f = lvi[s.lhs]
        for k, t in enumerate(s.terms):
            marker = (k == 0 and not std_lv and t.fixed is None and not t.free
                      and not any(q.kind == "lambda" and q.col == f and q.group == g for q in params))
            if t.fixed is not None:
                params.append(Param(s.lhs, "=~", t.name, g, "lambda", ovi[t.name], f, t.fixed,
                                    label=t.label))
            elif marker:
                params.append(Param(s.lhs, "=~", t.name, g, "lambda", ovi[t.name], f, 1.0,
                                    label=t.label))
            else:
                equal = eq_loadings and (s.lhs, "=~", t.name) not in partial
                params.append(Param(s.lhs, "=~", t.name, g, "lambda", ovi[t.name], f, np.nan,
                                    free=0, label=t.label or (f".L{f}_{ovi[t.name]}" if equal else None)))


def _covariance_params(statements: list[Statement], g: int, lvi: dict[str, int], ovi: dict[str, int],
                       ordered: bool, eq_residuals: bool, partial: set[tuple[str, str, str]],
                       params: list[Param]) -> set[tuple[str, int, int]]:
    """Group g's (co)variances written in the model; returns the (kind, row, col) written."""
    seen_var: set[tuple[str, int, int]] = set()
    for s in statements:
        if s.op != "~~":
            continue
        for t in s.terms:
            a, b = s.lhs, t.name
            if a in ovi and b in ovi:
                kind, r, c = "theta", ovi[a], ovi[b]
            elif a in lvi and b in lvi:
                kind, r, c = "psi", lvi[a], lvi[b]
            else:
                raise StatsError(f"Model syntax, line {s.line}: '{a} ~~ {b}' mixes a factor and an "
                                 "indicator; only factor-factor or indicator-indicator (co)variances "
                                 "are allowed.")
            r, c = max(r, c), min(r, c)
            key = (kind, r, c)
            if key in seen_var:
                raise StatsError(f"Model syntax, line {s.line}: '{a} ~~ {b}' is specified twice.")
            seen_var.add(key)
            if ordered and kind == "theta" and r == c:
                raise StatsError(f"Model syntax, line {s.line}: residual variances of ordered indicators "
                                 "are not parameters (delta parameterisation); remove '{a} ~~ {a}'.")
            if t.fixed is not None:
                params.append(Param(a, "~~", b, g, kind, r, c, t.fixed, label=t.label))
            else:
                equal = eq_residuals and kind == "theta" and (a, "~~", b) not in partial
                params.append(Param(a, "~~", b, g, kind, r, c, np.nan, free=0,
                                    label=t.label or (f".R{r}_{c}" if equal else None)))
    return seen_var


def _default_variance_params(g: int, ov_names: list[str], lv_names: list[str], seen_var: set[tuple[str, int, int]],
                             std_lv: bool, ordered: bool, eq_loadings: bool, eq_residuals: bool,
                             partial: set[tuple[str, str, str]], params: list[Param]) -> None:
    """lavaan's defaults for group g: residual and factor variances, factor covariances."""
    for i, name in enumerate(ov_names):
        if ("theta", i, i) not in seen_var:
            if ordered:
                params.append(Param(name, "~~", name, g, "theta", i, i, np.nan, user=False, derived=True))
            else:
                equal = eq_residuals and (name, "~~", name) not in partial
                params.append(Param(name, "~~", name, g, "theta", i, i, np.nan, free=0, user=False,
                                    label=f".R{i}_{i}" if equal else None))
    for j, name in enumerate(lv_names):
        if ("psi", j, j) not in seen_var:
            if std_lv and not (eq_loadings and g > 0):  # lavaan frees them in groups 2.. then
                params.append(Param(name, "~~", name, g, "psi", j, j, 1.0, user=False))
            else:
                params.append(Param(name, "~~", name, g, "psi", j, j, np.nan, free=0, user=False))
    for j in range(len(lv_names)):
        for k in range(j + 1, len(lv_names)):
            if ("psi", k, j) not in seen_var:
                params.append(Param(lv_names[j], "~~", lv_names[k], g, "psi", k, j, np.nan, free=0,
                                    user=False))


def _mean_and_threshold_params(g: int, ov_names: list[str], lv_names: list[str], meanstructure: bool,
                               ordered: bool, n_thresholds: list[int] | None, eq_intercepts: bool,
                               eq_thresholds: bool, partial: set[tuple[str, str, str]],
                               params: list[Param]) -> None:
    """Group g's intercepts and latent means (mean structure), or thresholds (ordered)."""
    if meanstructure:
        for i, name in enumerate(ov_names):
            equal = eq_intercepts and (name, "~1", "") not in partial
            params.append(Param(name, "~1", "", g, "nu", i, 0, np.nan, free=0, user=False,
                                label=f".N{i}" if equal else None))
        for j, name in enumerate(lv_names):
            free_mean = eq_intercepts and g > 0
            params.append(Param(name, "~1", "", g, "alpha", j, 0, np.nan if free_mean else 0.0,
                                free=0 if free_mean else -1, user=False))
    if ordered:
        # As lavaan (delta parameterisation): intercepts fixed at 0; latent means 0, free in groups 2..
        # when thresholds (or intercepts) are held equal; the scale factors (~*~, 1 / sd of each
        # latent response) fixed at 1, free in groups 2.. when thresholds are held equal.
        for i, name in enumerate(ov_names):
            params.append(Param(name, "~1", "", g, "nu", i, 0, 0.0, user=False))
        free_mean = g > 0 and (eq_thresholds or eq_intercepts)
        for j, name in enumerate(lv_names):
            params.append(Param(name, "~1", "", g, "alpha", j, 0, np.nan if free_mean else 0.0,
                                free=0 if free_mean else -1, user=False))
        k = 0
        for i, name in enumerate(ov_names):
            for t in range(n_thresholds[i]):  # type: ignore[index]  # ordered models always get n_thresholds
                equal = eq_thresholds and (name, "|", f"t{t + 1}") not in partial
                params.append(Param(name, "|", f"t{t + 1}", g, "tau", k, 0, np.nan, free=0, user=False,
                                    label=f".T{k}" if equal else None))
                k += 1
        free_delta = g > 0 and eq_thresholds
        for i, name in enumerate(ov_names):
            params.append(Param(name, "~*~", name, g, "delta", i, 0, 1.0, free=0 if free_delta else -1,
                                user=False))


def _assign_free_indices(params: list[Param]) -> int:
    """Number the free parameters; rows sharing a label share the index. Returns the count."""
    n_free = 0
    by_label: dict[str, int] = {}
    for q in params:
        if q.free < 0 or q.derived:
            continue
        if q.label is not None:
            if q.label not in by_label:
                by_label[q.label] = n_free
                n_free += 1
            q.free = by_label[q.label]
        else:
            q.free = n_free
            n_free += 1
    return n_free


def _check_scales(params: list[Param], lv_names: list[str], n_groups: int, eq_loadings: bool) -> None:
    """Refuses a factor without a scale (a fixed loading or variance) in any group."""
    for g in range(n_groups):
        for j, name in enumerate(lv_names):
            fixed_load = any(q.kind == "lambda" and q.col == j and q.group == g and q.free < 0 and q.value != 0
                             for q in params)
            fixed_var = any(q.kind == "psi" and q.row == j and q.col == j and q.group == g and q.free < 0
                            for q in params)
            if not (fixed_load or fixed_var or (eq_loadings and g > 0)):  # scaled through group 1
                raise StatsError(f"The model is not identified: factor '{name}' has no scale. Fix one loading "
                                 f"(e.g. '{name} =~ 1*item') or its variance ('{name} ~~ 1*{name}'), "
                                 "or use std.lv.")


def build_model(statements: list[Statement], n_groups: int = 1, std_lv: bool = False,
                meanstructure: bool = False, group_equal: tuple[str, ...] = (),
                ordered: bool = False, n_thresholds: list[int] | None = None,
                group_partial: tuple[str, ...] = ()) -> Model:
    """Turn parsed statements into a parameter table with lavaan's cfa() defaults.

    group_equal: "loadings", "intercepts", "residuals", "thresholds" held equal across groups
    (lavaan's group.equal); group_partial: parameters exempt from it, written as lavaan's
    group.partial ("f1 =~ y3", "y3 ~ 1", "y3 ~~ y3")."""
    lv_names, ov_names = _variable_names(statements)
    if n_groups > 1:
        meanstructure = True
    if ordered:
        meanstructure = False  # thresholds take the place of intercepts
    ovi = {n: i for i, n in enumerate(ov_names)}
    lvi = {n: i for i, n in enumerate(lv_names)}
    eq_loadings = "loadings" in group_equal
    eq_intercepts = "intercepts" in group_equal
    eq_thresholds = "thresholds" in group_equal
    eq_residuals = "residuals" in group_equal
    partial = {_partial_key(t) for t in group_partial}

    params: list[Param] = []
    for g in range(n_groups):
        _loading_params(statements, g, lvi, ovi, std_lv, eq_loadings, partial, params)
        seen_var = _covariance_params(statements, g, lvi, ovi, ordered, eq_residuals, partial, params)
        _default_variance_params(g, ov_names, lv_names, seen_var, std_lv, ordered, eq_loadings, eq_residuals,
                                 partial, params)
        _mean_and_threshold_params(g, ov_names, lv_names, meanstructure, ordered, n_thresholds, eq_intercepts,
                                   eq_thresholds, partial, params)
    n_free = _assign_free_indices(params)
    _check_scales(params, lv_names, n_groups, eq_loadings)
    return Model(ov_names=ov_names, lv_names=lv_names, params=params, n_groups=n_groups,
                 meanstructure=meanstructure, ordered=ordered, n_thresholds=list(n_thresholds or []),
                 n_free=n_free)
