"""The exact exposure audit shared by every disclosure decision (pure: numpy and integers).

Known figures are linear equations over respondents' values. V is their row space. A set S
of 1..k-1 respondents is EXPOSED when V holds a vector living on S's variables alone that
does not live on allowed respondents alone (their own data, a consented line manager):
dim(V & W_S) > dim(V & W_{S & L}).

Work is done in *cell space*: respondents whose variables enter every equation with the same
coefficients form a cell, every vector of V is then cell-constant, and an exposed S implies
an exposed union of whole cells no bigger than S (see `flourish.lib.disclosure`). So only
unions of whole cells of total size 1..k-1 are checked.

Exposure test. With R the reduced row echelon form of the equation matrix (exact integers),
a vector of V vanishing off S is a combination of the rows whose pivot column lies in S
(I_S), and it vanishes off S iff the combination vanishes on the other columns:
dim(V & W_S) = |I_S| - rank(R[I_S, not S]). Candidates without a pivot are safe at once;
the rest are screened in one batch with Gram matrices (floating point under a checked size
bound; an eigenvalue above a wide error margin proves the matching rank, so a candidate is
cleared only by proof); anything not cleared is decided exactly with integers. Exposure only
grows with S, so minimal exposed sets are found level by level.

Two entry points build the cell space: `disclosure._joint_of_raters` (a report's process and
items, fast) and `equations_joint` (any equations, e.g. everything one audience was shown).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from flourish.lib.exactlinalg import distinct_rows, left_null_usages, rank, rref_any

IntArray = NDArray[np.int64]


class Joint:
    """Known equations in cell space: one row per equation, one column per (cell, variable).

    `cells[c]` are the respondents (caller's indices) of cell c; `allowed[c]` whether the
    cell's respondents may be revealed (their own data, or a consented line manager);
    `col_cell[j]` the cell of column j."""

    def __init__(
        self,
        cells: Sequence[Sequence[int]],
        allowed: Sequence[bool],
        col_cell: IntArray,
        matrix: IntArray,
        k: int,
    ) -> None:
        self.k = k
        self.cells = [list(people) for people in cells]
        self.sizes = [len(p) for p in self.cells]
        self.line_manager = list(allowed)
        self.col_cell = col_cell
        self.width = len(col_cell)
        self.matrix = matrix
        self.columns_of = [np.flatnonzero(self.col_cell == c) for c in range(len(self.cells))]
        self._reduce()

    def _reduce(self) -> None:
        # The RREF depends only on the row space: each distinct row once is enough.
        unique = distinct_rows(self.matrix) if self.matrix.size else self.matrix
        rows, pivots, native = rref_any(unique)
        self.native = native
        self.R: IntArray | None = rows if isinstance(rows, np.ndarray) else None
        self.R_list: list[list[int]] | None = None if isinstance(rows, np.ndarray) else rows
        self.pivots = pivots
        self.rows_of_cell: dict[int, list[int]] = {}
        for t, p in enumerate(pivots):
            self.rows_of_cell.setdefault(int(self.col_cell[p]), []).append(t)
        # cells touched by each row (for pruning candidates without their own pivots)
        if isinstance(rows, np.ndarray):
            self.touched = [set(self.col_cell[np.flatnonzero(row)].tolist()) for row in rows]
        else:
            self.touched = [{int(self.col_cell[j]) for j, v in enumerate(row) if v} for row in rows]
        self.exact_float = False
        self.Rf = np.zeros((0, self.width))
        if isinstance(rows, np.ndarray) and len(pivots):
            biggest = int(np.abs(rows).max())
            # every entry of X X^T is an integer below 2**52: exact in float64
            self.exact_float = biggest * biggest * max(self.width, 1) < 2**52
            self.Rf = rows.astype(np.float64)
        self._nullity_cache: dict[frozenset[int], int] = {}

    # -- exposure of one candidate (a set of cells) --

    def _row_list(self, t: int) -> list[int]:
        if self.R is not None:
            return [int(v) for v in self.R[t].tolist()]
        assert self.R_list is not None
        return self.R_list[t]

    def nullity(self, cells: frozenset[int]) -> int:
        """dim(V & W_S) for S = union of the given cells (exact)."""
        cached = self._nullity_cache.get(cells)
        if cached is not None:
            return cached
        rows = [t for c in cells for t in self.rows_of_cell.get(c, ())]
        if not rows:
            result = 0
        else:
            inside: set[int] = set()
            for c in cells:
                inside.update(int(j) for j in self.columns_of[c])
            keep = [j for j in range(self.width) if j not in inside]
            if self.R is not None:
                # int64 rows: rref_any stays exact (it falls back to Python integers on overflow)
                sub_np = self.R[np.ix_(rows, keep)] if keep else np.zeros((len(rows), 0), np.int64)
                result = len(rows) - len(rref_any(sub_np)[1]) if keep else len(rows)
            else:
                full = [self._row_list(t) for t in rows]
                result = len(rows) - rank([[row[j] for j in keep] for row in full], len(keep))
        self._nullity_cache[cells] = result
        return result

    def _allowed_nullity(self, cells: frozenset[int]) -> int:
        lm = frozenset(c for c in cells if self.line_manager[c])
        return self.nullity(lm) if lm else 0

    def _screen(self, candidates: list[frozenset[int]]) -> list[frozenset[int]]:
        """The exposed candidates among `candidates` (each has at least one pivot)."""
        exposed = []
        undecided = candidates
        if self.exact_float and candidates:
            row_sets = [[t for c in s for t in self.rows_of_cell.get(c, ())] for s in candidates]
            depth = max(len(r) for r in row_sets)
            zero = self.Rf.shape[0]
            padded = np.full((len(candidates), depth), zero, dtype=np.int64)
            drop = np.zeros((len(candidates), self.width), dtype=bool)
            for b, (s, rows) in enumerate(zip(candidates, row_sets)):
                padded[b, : len(rows)] = rows
                for c in s:
                    drop[b, self.columns_of[c]] = True
            table = np.vstack([self.Rf, np.zeros((1, self.width))])
            x = table[padded] * ~drop[:, None, :]
            gram = x @ x.transpose(0, 2, 1)
            scale = np.maximum(np.sqrt((gram * gram).sum(axis=(1, 2))), 1.0)
            # Padding rows are zero: give them the eigenvalue `scale` (a decoupled block).
            pad = (padded == zero)[:, :, None] & np.eye(depth, dtype=bool)[None]
            gram[pad] = np.broadcast_to(scale[:, None, None], gram.shape)[pad]
            eigen = np.linalg.eigvalsh(gram)
            # An eigenvalue above this margin is certainly nonzero: a symmetric eigensolver's
            # backward error is a small multiple of eps * norm (about 1e-15 here), and the
            # Frobenius norm bounds the spectral one. So `small` bounds dim(V & W_S).
            small = (eigen <= 1e-8 * scale[:, None]).sum(axis=1)
            undecided = []
            for b, s in enumerate(candidates):
                bound = int(small[b])  # an upper bound on dim(V & W_S)
                if bound == 0:
                    continue
                if bound <= self._allowed_nullity(s):
                    continue  # dim(V & W_S) >= dim(V & W_{S&L}) always
                undecided.append(s)
        for s in undecided:
            if self.nullity(s) > self._allowed_nullity(s):
                exposed.append(s)
        return exposed

    def exposed(self, first_only: bool) -> list[frozenset[int]]:
        """Minimal exposed sets of cells (all of them, or those of the first level with any)."""
        k = self.k
        small = [c for c in range(len(self.cells)) if self.sizes[c] < k]
        pivot_cells = [c for c in small if c in self.rows_of_cell]
        found: list[frozenset[int]] = []
        for count in range(1, k):
            level: list[frozenset[int]] = []
            for pivots_part in range(1, count + 1):
                for chosen in combinations(pivot_cells, pivots_part):
                    weight = sum(self.sizes[c] for c in chosen)
                    if weight >= k:
                        continue
                    rest = count - pivots_part
                    if rest == 0:
                        level.append(frozenset(chosen))
                        continue
                    reach: set[int] = set()
                    for c in chosen:
                        for t in self.rows_of_cell[c]:
                            reach |= self.touched[t]
                    extra = sorted(
                        c for c in reach
                        if self.sizes[c] < k - weight and c not in self.rows_of_cell and c not in chosen
                    )
                    for more in combinations(extra, rest):
                        if weight + sum(self.sizes[c] for c in more) < k:
                            level.append(frozenset(chosen + more))
            level = [s for s in level if not any(f <= s for f in found)]
            hits = self._screen(level)
            found.extend(hits)
            if hits and first_only:
                break
        return found

    def people(self, cells: frozenset[int]) -> frozenset[int]:
        return frozenset(r for c in cells for r in self.cells[c])

    def victim(self, target: frozenset[int], order: Sequence[int]) -> int:
        """The first equation in `order` whose removal lowers the target's exposure."""
        inside = np.zeros(self.width, dtype=bool)
        for c in target:
            inside[self.columns_of[c]] = True
        lm_inside = np.zeros(self.width, dtype=bool)
        for c in target:
            if self.line_manager[c]:
                lm_inside[self.columns_of[c]] = True
        # Combinations vanishing off the target, and those also vanishing on its non-allowed
        # part (i.e. off the allowed respondents alone): one echelon form for both.
        used, used_allowed = left_null_usages(self.matrix, ~inside, inside & ~lm_inside)
        for j in order:
            if used[j] and not used_allowed[j]:
                return j
        for j in order:
            if used[j]:
                return j
        return order[0]


Equation = Mapping[tuple[int, Hashable], int]  # (respondent index, variable) -> coefficient


def equations_joint(
    equations: Sequence[Equation], allowed: frozenset[int], k: int
) -> Joint:
    """Cell space of arbitrary integer equations over (respondent, variable) pairs.

    Two respondents share a cell when some renaming of their variables gives them the same
    coefficients in every equation (a respondent's variables are numbered in order of first
    appearance, so e.g. two leaders' differently versioned scores still match)."""
    local: dict[int, dict[Hashable, int]] = {}
    signature: dict[int, list[tuple[int, tuple[tuple[int, int], ...]]]] = {}
    for e, equation in enumerate(equations):
        by_person: dict[int, list[tuple[Hashable, int]]] = {}
        for (person, variable), coefficient in equation.items():
            if coefficient:
                by_person.setdefault(person, []).append((variable, coefficient))
        for person, terms in by_person.items():
            names = local.setdefault(person, {})
            for variable, _coefficient in sorted(terms, key=lambda t: (t[1], repr(t[0]))):
                names.setdefault(variable, len(names))
            entry = tuple(sorted((names[v], c) for v, c in terms))
            signature.setdefault(person, []).append((e, entry))
    Signature = tuple[tuple[tuple[int, tuple[tuple[int, int], ...]], ...], int, bool]
    groups: dict[Signature, list[int]] = {}
    for person in sorted(signature):
        key: Signature = (tuple(signature[person]), len(local[person]), person in allowed)
        groups.setdefault(key, []).append(person)
    # Big cells (never part of a candidate) first, so that pivots go there first.
    ordered = sorted(groups.items(), key=lambda kv: (len(kv[1]) < k, -len(kv[1]), kv[1][0]))
    col_cell: list[int] = []
    first_col: list[int] = []
    for c, (key, _) in enumerate(ordered):
        first_col.append(len(col_cell))
        col_cell.extend([c] * key[1])
    matrix = np.zeros((len(equations), len(col_cell)), dtype=object)
    for c, (_, people) in enumerate(ordered):
        for e, entry in signature[people[0]]:
            for variable_index, coefficient in entry:
                matrix[e, first_col[c] + variable_index] = coefficient
    try:
        dense: IntArray = matrix.astype(np.int64)
    except OverflowError:  # pragma: no cover - coefficients beyond int64 never arise here
        raise ValueError("equation coefficients must fit in 64 bits") from None
    return Joint(
        [people for _, people in ordered],
        [bool(key[2]) for key, _ in ordered],
        np.array(col_cell, dtype=np.int64),
        dense.reshape(len(equations), len(col_cell)),
        k,
    )
