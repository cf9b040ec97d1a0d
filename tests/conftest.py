"""Shared fixtures: every unit test that takes ``xp`` runs once per available array library.

NumPy and array-api-strict (a minimal, strict implementation of the array API standard that
stands in for "not NumPy") always run. CuPy runs only where it imports and a GPU answers;
elsewhere its cases are skipped, with the reason shown by ``pytest -rs``.
"""

from __future__ import annotations

import importlib

import matplotlib
import numpy as np
import pytest

# Figures are built, never shown, in unit tests. (Not through MPLBACKEND: that would leak
# into the notebook kernels nbval starts, which must keep their inline backend.)
matplotlib.use("Agg")


def _cupy_or_reason():
    try:
        cupy = importlib.import_module("cupy")
    except ImportError:
        return None, "CuPy is not installed"
    try:
        if not cupy.cuda.is_available():
            return None, "CuPy is installed but no CUDA device is available"
    except Exception as exc:  # a broken driver raises various CUDA errors
        return None, f"CuPy cannot reach a GPU: {exc}"
    return cupy, None


BACKENDS = ["numpy", "array_api_strict", "cupy"]


@pytest.fixture(params=BACKENDS)
def xp(request):
    """The array library under test (the module users call, e.g. ``numpy``)."""
    if request.param == "cupy":
        cupy, reason = _cupy_or_reason()
        if cupy is None:
            pytest.skip(reason)
        return cupy
    return importlib.import_module(request.param)


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
