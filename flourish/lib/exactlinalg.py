"""Exact integer linear algebra for the disclosure audit (pure: numpy and Python integers).

Row echelon forms are computed fraction-free so that "can this be derived from the shown
figures?" is decided exactly, never up to a floating-point tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np


def _rref(rows: Iterable[Sequence[int]], width: int) -> tuple[list[list[int]], list[int]]:
    """Reduced row echelon form with integer rows (each pivot positive, other pivot
    columns zero), computed fraction-free with Python integers. Returns (rows, pivots)."""
    work = [list(r) for r in rows if any(r)]
    pivots: list[int] = []
    top = 0
    for col in range(width):
        if top == len(work):
            break
        found = next((i for i in range(top, len(work)) if work[i][col]), None)
        if found is None:
            continue
        work[top], work[found] = work[found], work[top]
        pivot_row = work[top]
        if pivot_row[col] < 0:
            pivot_row = work[top] = [-v for v in pivot_row]
        p = pivot_row[col]
        for i in range(len(work)):
            if i != top and work[i][col]:
                f = work[i][col]
                row = [a * p - b * f for a, b in zip(work[i], pivot_row)]
                g = math.gcd(*row)
                work[i] = [v // g for v in row] if g > 1 else row
        pivots.append(col)
        top += 1
    return work[:top], pivots


def rank(rows: Sequence[Sequence[int]], width: int) -> int:
    return len(_rref(rows, width)[1])


_SAFE = 2**30  # int64 products of two such entries cannot overflow


class _Overflow(Exception):
    pass


def _rref_np(matrix: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """As `_rref`, vectorised with int64 (exact while entries stay below 2**30; raises
    _Overflow otherwise, and the caller falls back to Python integers)."""
    a = matrix.astype(np.int64, copy=True)
    a = a[a.any(axis=1)]
    if a.size and np.abs(a).max() >= _SAFE:
        raise _Overflow
    rows, width = a.shape
    pivots: list[int] = []
    top = 0
    for col in range(width):
        if top == rows:
            break
        column = a[:, col]  # a view: follows the row operations below
        nonzero = column[top:].nonzero()[0]
        if nonzero.size == 0:
            continue
        found = top + int(nonzero[0])
        if found != top:
            a[[top, found]] = a[[found, top]]
        pivot_row = a[top]
        if pivot_row[col] < 0:
            np.negative(pivot_row, out=pivot_row)
        g = np.gcd.reduce(pivot_row)
        if g > 1:
            pivot_row //= g
        others = column.nonzero()[0]
        if others.size > 1:
            others = others[others != top]
            sub = a[others] * pivot_row[col] - a[others, col][:, None] * pivot_row
            g = np.gcd.reduce(sub, axis=1)
            g[g == 0] = 1
            sub //= g[:, None]
            if max(int(sub.max()), -int(sub.min())) >= _SAFE:
                raise _Overflow
            a[others] = sub
        pivots.append(col)
        top += 1
    return a[:top], pivots


def rref_any(matrix: np.ndarray) -> tuple[list[list[int]] | np.ndarray, list[int], bool]:
    """RREF of an integer matrix: (rows, pivots, rows_are_int64)."""
    try:
        native, pivots = _rref_np(matrix)
        return native, pivots, True
    except _Overflow:
        exact, pivots = _rref(matrix.tolist(), matrix.shape[1])
        return exact, pivots, False


def left_null_usage(matrix: np.ndarray, keep_columns: np.ndarray) -> tuple[int, np.ndarray]:
    """For Omega = {c : c^T matrix[:, keep] = 0}: (dim Omega, which rows j some c in Omega
    uses, c_j != 0)."""
    count = matrix.shape[0]
    # Omega depends only on the row space of a; equal rows (equal columns of the matrix,
    # common in cell space) add nothing to it.
    a = distinct_rows(matrix[:, keep_columns].T)
    rows, pivots, _ = rref_any(a) if a.size else ([], [], True)
    pivot_set = set(pivots)
    free = [j for j in range(count) if j not in pivot_set]
    used = np.zeros(count, dtype=bool)
    used[free] = True
    if pivots and free:
        if isinstance(rows, np.ndarray):
            used[pivots] = (rows[:, free] != 0).any(axis=1)
        else:
            for row, p in zip(rows, pivots):
                if any(row[f] for f in free):
                    used[p] = True
    return len(free), used


def _null_basis(rows: Sequence[Sequence[int]], pivots: Sequence[int], width: int) -> list[list[int]]:
    """An integer basis of {x : R x = 0} for R in reduced row echelon form (each pivot
    column zero in the other rows): one vector per free column."""
    pivot_set = set(pivots)
    basis = []
    for f in range(width):
        if f in pivot_set:
            continue
        involved = [(t, p) for t, p in enumerate(pivots) if rows[t][f]]
        scale = math.lcm(*(rows[t][p] for t, p in involved)) if involved else 1
        vector = [0] * width
        vector[f] = scale
        for t, p in involved:
            vector[p] = -rows[t][f] * (scale // rows[t][p])
        basis.append(vector)
    return basis


def left_null_usages(
    matrix: np.ndarray, keep_columns: np.ndarray, more_columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which rows j some c uses (c_j != 0), for c in Omega = {c : c^T matrix[:, keep] = 0}
    and for c in its subspace Omega' = {c in Omega : c^T matrix[:, more] = 0}.

    One echelon form: with B a basis of Omega (rows), Omega' = {y^T B : y^T (B M_more) = 0},
    and B M_more is small (dim Omega x the few `more` columns)."""
    count = matrix.shape[0]
    a = distinct_rows(matrix[:, keep_columns].T)
    rows, pivots, _ = rref_any(a) if a.size else ([], [], True)
    exact_rows = [[int(v) for v in r] for r in rows]
    basis = _null_basis(exact_rows, pivots, count)
    used = np.zeros(count, dtype=bool)
    for vector in basis:
        used |= np.array([v != 0 for v in vector], dtype=bool)
    more = [[int(v) for v in column] for column in matrix[:, more_columns].T.tolist()]
    if not more or not basis:
        return used, used.copy()
    # C^T: one row per `more` column, one column per basis vector of Omega.
    c_t = [[sum(b * m for b, m in zip(vector, column)) for vector in basis] for column in more]
    reduced, reduced_pivots = _rref(c_t, len(basis))
    used_sub = np.zeros(count, dtype=bool)
    for y in _null_basis(reduced, reduced_pivots, len(basis)):
        combined = [sum(y[i] * basis[i][j] for i in range(len(basis)) if y[i]) for j in range(count)]
        used_sub |= np.array([v != 0 for v in combined], dtype=bool)
    return used, used_sub


def distinct_rows(matrix: np.ndarray) -> np.ndarray:
    """The matrix's nonzero rows, each once, in order of first appearance (same row space)."""
    if not matrix.size:
        return matrix
    seen: dict[bytes, int] = {}
    contiguous = np.ascontiguousarray(matrix)
    nonzero = np.flatnonzero(contiguous.any(axis=1))
    for i in nonzero.tolist():
        seen.setdefault(contiguous[i].tobytes(), i)
    return contiguous[sorted(seen.values())]


# --- the joint audit ---------------------------------------------------------------------
