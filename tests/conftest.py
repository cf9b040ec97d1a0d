"""Shared fixtures: every unit test that takes ``xp`` runs once per available array library.

NumPy and array-api-strict (a minimal, strict implementation of the array API standard that
stands in for "not NumPy") always run. CuPy runs only where it imports and a GPU answers;
elsewhere its cases are skipped, with the reason shown by ``pytest -rs``.
"""

from __future__ import annotations

import importlib

import matplotlib
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


def pytest_addoption(parser):
    parser.addoption(
        "--book",
        action="store_true",
        help="build the book and test it as readers see it (tests/book; .ci/run does this)",
    )
