"""Run the CFA optimiser with single-threaded BLAS.

The engine works on small matrices (tens of variables).  Multi-threaded OpenBLAS gains
nothing there and, on a busy machine, its thread hand-offs make small solves 10-20x slower.
:func:`single_threaded_blas` temporarily sets the OpenBLAS thread count of every OpenBLAS
library already loaded in the process (numpy's and scipy's bundled copies) to 1 and restores
it afterwards -- what threadpoolctl does, without the dependency.  This holds for the large
products too (the N x p cross-products): measured on a loaded 2-CPU machine, multi-threaded
OpenBLAS made them up to 10x slower, single-threaded is predictable.  If no OpenBLAS is found
(MKL, Accelerate, ...) it does nothing.  Set FLOURISH_STATS_BLAS_THREADS=0 to disable it.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import re
import threading
from collections.abc import Callable, Iterator

_GET = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads64_",
        "openblas_get_num_threads")
_SET = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads", "openblas_set_num_threads64_",
        "openblas_set_num_threads")
_lock = threading.RLock()
_depth = 0
_saved: list[tuple[Callable[[int], object], int]] = []


def _libraries() -> list[tuple[Callable[[], int], Callable[[int], object]]]:
    try:
        with open("/proc/self/maps") as fh:
            paths = sorted(set(re.findall(r"(/\S*openblas\S*\.so[\w.\-]*)", fh.read())))
    except OSError:
        return []
    out = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        get = next((getattr(lib, n) for n in _GET if hasattr(lib, n)), None)
        set_ = next((getattr(lib, n) for n in _SET if hasattr(lib, n)), None)
        if get is not None and set_ is not None:
            set_.argtypes = [ctypes.c_int]
            out.append((get, set_))
    return out


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    global _depth, _saved
    if os.environ.get("FLOURISH_STATS_BLAS_THREADS", "1") == "0":
        yield
        return
    with _lock:
        if _depth == 0:
            _saved = []
            for get, set_ in _libraries():
                try:
                    n = int(get())
                    set_(1)
                    _saved.append((set_, n))
                except Exception:  # noqa: BLE001 - never let this break a fit
                    pass
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for set_, n in _saved:
                    with contextlib.suppress(Exception):  # never let this break a fit
                        set_(n)
                _saved = []

