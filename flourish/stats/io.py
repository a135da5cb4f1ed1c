"""Reading CSV data for the statistics engine (standard library csv + numpy).

Empty cells, and the tokens NA, NaN, N/A, "." (case-insensitive), are missing values
("not able to observe") and become NaN.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .errors import StatsError

MISSING_TOKENS = {"", "na", "nan", "n/a", "."}

# A column as callers hand it in: CSV strings, numbers with None for missing, or an array.
Column = Sequence[Any] | np.ndarray
# The engine's data: {column name: values}, every column the same length.
Data = Mapping[str, Column]


def _case_variants(token: str) -> set[str]:
    out = {""}
    for ch in token:
        out = {o + c for o in out for c in {ch.lower(), ch.upper()}}
    return out


# every spelling of the tokens, so a cell is checked without lower-casing it
_MISSING_SPELLINGS = frozenset(v for t in MISSING_TOKENS for v in _case_variants(t))


def read_csv(path: str) -> dict[str, list[str]]:
    """Read a CSV file with a header row into {column: [cell, ...]} (strings, stripped)."""
    if not os.path.isfile(path):
        raise StatsError(f"Data file not found: {path}")
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError:
        raise StatsError(f"{path} is not a UTF-8 text CSV file.") from None
    except csv.Error as exc:
        raise StatsError(f"{path} could not be read as CSV: {exc}") from None
    rows = [r for r in rows if any(r) and "".join(r).strip()]
    if not rows:
        raise StatsError(f"{path} is empty: it needs a header row and data rows.")
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise StatsError(f"{path}: duplicate column names: {', '.join(dupes)}")
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise StatsError(f"{path}, line {lineno}: {len(row)} cells but the header has {len(header)} columns.")
    columns = list(zip(*rows[1:])) if len(rows) > 1 else [() for _ in header]
    return {h: list(map(str.strip, col)) for h, col in zip(header, columns)}


def numeric_column(name: str, values: Column) -> np.ndarray:
    """Convert a column to float, missing tokens to NaN; StatsError names a bad cell."""
    if isinstance(values, list) and values and isinstance(values[0], str):
        # fast path for a column read from CSV: numpy parses the numbers
        try:
            fast = np.array(["nan" if v in _MISSING_SPELLINGS else v for v in values], dtype=float)
        except (ValueError, TypeError):
            pass  # the cell-by-cell loop below names the bad cell
        else:
            if np.all(np.isfinite(fast) | np.isnan(fast)):
                return fast
    arr = np.asarray(values)
    if arr.dtype.kind in "fiub":
        return np.asarray(arr, dtype=float)
    out = np.empty(len(arr), dtype=float)
    for i, v in enumerate(arr):
        if v is None:
            out[i] = np.nan
            continue
        if isinstance(v, (int, float, np.number)):
            out[i] = float(v)
            continue
        s = str(v).strip()
        if s.lower() in MISSING_TOKENS:
            out[i] = np.nan
            continue
        try:
            out[i] = float(s)
        except ValueError:
            raise StatsError(f"Column '{name}' is not numeric: row {i + 1} holds '{s}'. "
                             "Items must be numbers; leave a cell empty if it is missing.") from None
    if not np.all(np.isfinite(out) | np.isnan(out)):
        raise StatsError(f"Column '{name}' contains infinite values.")
    return out


def get_columns(data: Data, names: list[str]) -> np.ndarray:
    """n x k float matrix of the named columns from a {name: values} mapping."""
    missing = [n for n in names if n not in data]
    if missing:
        raise StatsError("Variables not in the data: " + ", ".join(missing)
                         + (". Available columns: " + ", ".join(list(data)[:30]) if len(data) else ""))
    cols = [numeric_column(n, data[n]) for n in names]
    lengths = {len(c) for c in cols}
    if len(lengths) > 1:
        raise StatsError("Columns have different lengths.")
    if not cols:
        return np.zeros((0, 0))
    out = np.empty((len(cols[0]), len(cols)), order="F")  # column writes are contiguous
    for j, c in enumerate(cols):
        out[:, j] = c
    return out
