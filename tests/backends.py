"""Helpers for tests that run on every array library (see the ``xp`` fixture in conftest)."""

from __future__ import annotations

import numpy as np


def asarray(xp, a):
    """A NumPy array (or nested list) as an array of library ``xp``, dtype kept."""
    return xp.asarray(np.asarray(a))


def to_np(a):
    """Any library's array as a NumPy array, for comparisons."""
    if isinstance(a, np.ndarray):
        return a
    if type(a).__module__.startswith("cupy"):
        return a.get()
    return np.from_dlpack(a)


def tolerance(dtype):
    """rtol/atol for comparing a result of this dtype against a float64 reference."""
    if np.dtype(str(dtype).split(".")[-1]) in (np.float32, np.complex64):
        return {"rtol": 1e-4, "atol": 1e-4}
    return {"rtol": 1e-10, "atol": 1e-10}
