"""Confirmatory factor analysis matching lavaan (ML and WLSMV), in numpy/scipy."""
from .api import fit_cfa
from .invariance import invariance

__all__ = ["fit_cfa", "invariance"]
