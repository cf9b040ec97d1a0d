"""The one core of conv: both formulations exercised, equal to the reference, memory bounded."""

from __future__ import annotations

import contextvars
import threading
import tracemalloc

import numpy as np
import pytest

import convnb
from convnb import kernels, reference

from .backends import asarray, to_np

RNG = np.random.default_rng(15)

FORMULATIONS = {
    # formulation: (x shape, weight shape, kwargs)
    "_depthwise": [
        ((2, 4, 9, 9), (8, 1, 3, 3), dict(groups=4, padding=1, stride=2)),
        ((2, 3, 7, 6, 5), (3, 1, 2, 3, 2), dict(groups=3, dilation=(1, 2, 1))),
        ((1, 2, 13), (2, 1, 4), dict(groups=2, padding=3, padding_mode="reflect")),
    ],
    "_lowered": [
        ((2, 6, 5, 4), (4, 3, 1, 1), dict(groups=2)),
        ((2, 4, 9, 8), (6, 2, 3, 2), dict(groups=2, padding=(1, 2), dilation=(2, 1))),
        ((1, 3, 20, 21), (5, 3, 7, 7), dict(padding=3, padding_mode="circular")),
        ((2, 2, 6, 5, 7), (4, 2, 3, 3, 3), dict(padding=1, dilation=(1, 2, 1))),
        ((2, 4, 9, 8), (6, 2, 3, 2), dict(groups=2, stride=(2, 3), padding=1)),
        ((3, 2, 13), (4, 2, 3), dict(stride=3, padding="same", padding_mode="replicate")),
    ],
}
CASES = [(f, c) for f, cases in FORMULATIONS.items() for c in cases]


@pytest.mark.parametrize(("formulation", "case"), CASES)
@pytest.mark.parametrize("limit", [None, 1], ids=["whole", "one-row-chunks"])
def test_each_formulation_runs_and_matches_the_reference(
    xp, monkeypatch, formulation, case, limit
):
    used = []
    original = getattr(kernels, formulation)

    def spy(*args, **kwargs):
        used.append(formulation)
        return original(*args, **kwargs)

    monkeypatch.setattr(kernels, formulation, spy)
    xs, ws, kwargs = case
    x, w, b = RNG.standard_normal(xs), RNG.standard_normal(ws), RNG.standard_normal(ws[0])
    if limit is None:
        got = convnb.conv(asarray(xp, x), asarray(xp, w), asarray(xp, b), **kwargs)
    else:
        with kernels.scratch_limit(limit):
            got = convnb.conv(asarray(xp, x), asarray(xp, w), asarray(xp, b), **kwargs)
    assert used and set(used) == {formulation}
    want = reference.conv(x, w, b, **kwargs)
    np.testing.assert_allclose(to_np(got), want, rtol=1e-10, atol=1e-10)


def _peak(f):
    tracemalloc.start()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


@pytest.mark.parametrize(
    ("xs", "ws", "kwargs"),
    [
        ((8, 16, 48, 48), (16, 16, 3, 3), dict(padding=1)),
        ((8, 16, 48, 48), (16, 16, 3, 3), dict(stride=2, padding=1)),
        # defect 3: one large image, stride 1 (the previous version copied it whole, twice)
        ((1, 16, 256, 256), (16, 16, 3, 3), dict(padding=1)),
        ((1, 16, 256, 256), (16, 16, 3, 3), dict(padding=1, padding_mode="reflect")),
        ((1, 16, 256, 256), (16, 1, 3, 3), dict(padding=1, groups=16)),  # depthwise too
    ],
    ids=["batch", "strided", "one-image", "one-image-reflect", "depthwise"],
)
def test_scratch_stays_within_the_limit(xs, ws, kwargs):
    x = RNG.standard_normal(xs).astype(np.float32)
    w = RNG.standard_normal(ws).astype(np.float32)
    out = convnb.conv(x, w, **kwargs)
    limit = 2**20
    with kernels.scratch_limit(limit):
        peak = _peak(lambda: convnb.conv(x, w, **kwargs))
    # the output, the limit, and one chunk's rounding up (a band's extra kernel rows)
    assert peak - out.nbytes < 2 * limit


def test_scratch_limit_is_checked():
    with pytest.raises(TypeError, match=r"^nbytes must be an integer, got 'big'$"):
        with kernels.scratch_limit("big"):
            pass
    with pytest.raises(ValueError, match=r"^nbytes=-1 must be non-negative$"):
        with kernels.scratch_limit(-1):
            pass


def test_scratch_limit_is_a_context_variable():
    seen = []

    def other_thread():
        seen.append(kernels._LIMIT.get())

    with kernels.scratch_limit(123):
        assert kernels._LIMIT.get() == 123
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        assert contextvars.copy_context().run(kernels._LIMIT.get) == 123
    assert seen == [kernels._LIMIT.get()] and seen[0] != 123


def test_float16_depthwise_accumulates_in_float32():
    # defect 7: accumulating 49 float16 products in float16 gave a relative error of 1e-3
    x = RNG.standard_normal((2, 32, 32, 32)).astype(np.float16)
    w = RNG.standard_normal((32, 1, 7, 7)).astype(np.float16)
    got = convnb.conv(x, w, groups=32, padding=3)
    want = reference.conv(x.astype(np.float64), w.astype(np.float64), groups=32, padding=3)
    assert got.dtype == np.float16
    assert np.linalg.norm(got - want) / np.linalg.norm(want) < 4e-4  # rounding the output


def test_every_library_runs_the_same_core(monkeypatch):
    xs = pytest.importorskip("array_api_strict")
    calls = []
    original = kernels.correlate
    monkeypatch.setattr(
        kernels, "correlate", lambda *a, **k: calls.append(a[0]) or original(*a, **k)
    )
    x, w = RNG.standard_normal((1, 2, 5, 5)), RNG.standard_normal((3, 2, 3, 3))
    got = convnb.conv(xs.asarray(x), xs.asarray(w), padding=1)
    convnb.conv(x, w, padding=1)
    assert len(calls) == 2
    np.testing.assert_allclose(
        np.from_dlpack(got), reference.conv(x, w, padding=1), rtol=1e-10, atol=1e-10
    )
