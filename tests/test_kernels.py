"""The NumPy/CuPy fast paths: each one exercised, equal to the reference, memory bounded."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import convnb
from convnb import kernels, reference

RNG = np.random.default_rng(15)

PATHS = {
    # path: (x shape, weight shape, kwargs)
    "_depthwise": [
        ((2, 4, 9, 9), (8, 1, 3, 3), dict(groups=4, padding=1, stride=2)),
        ((2, 3, 7, 6, 5), (3, 1, 2, 3, 2), dict(groups=3, dilation=(1, 2, 1))),
    ],
    "_pointwise": [((2, 6, 5, 4), (4, 3, 1, 1), dict(groups=2)), ((2, 6, 9), (6, 6, 1), dict())],
    "_wide": [
        ((2, 4, 9, 8), (6, 2, 3, 2), dict(groups=2, padding=(1, 2), dilation=(2, 1))),
        ((1, 3, 20, 21), (5, 3, 7, 7), dict(padding=3)),
        ((2, 2, 6, 5, 7), (4, 2, 3, 3, 3), dict(padding=1, dilation=(1, 2, 1))),
        ((2, 4, 11), (4, 4, 3), dict(padding="same", dilation=3)),
    ],
    "_im2col": [
        ((2, 4, 9, 8), (6, 2, 3, 2), dict(groups=2, stride=(2, 3), padding=1)),
        ((2, 2, 7, 6, 5), (3, 2, 3, 2, 2), dict(stride=2, dilation=(1, 2, 1))),
        ((3, 2, 13), (4, 2, 3), dict(stride=3, padding="same")),
    ],
}


@pytest.mark.parametrize(("path", "case"), [(p, c) for p, cases in PATHS.items() for c in cases])
def test_each_fast_path_runs_and_matches_the_reference(monkeypatch, path, case):
    used = []
    original = getattr(kernels, path)

    def spy(*args, **kwargs):
        used.append(path)
        return original(*args, **kwargs)

    monkeypatch.setattr(kernels, path, spy)
    xs, ws, kwargs = case
    x, w = RNG.standard_normal(xs), RNG.standard_normal(ws)
    b = RNG.standard_normal(ws[0])
    got = convnb.conv(x, w, b, **kwargs)
    assert used == [path]
    np.testing.assert_allclose(got, reference.conv(x, w, b, **kwargs), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(
    ("xs", "ws", "kwargs"),
    [
        ((6, 3, 24, 20), (4, 3, 3, 3), dict(padding=1)),  # wide
        ((6, 3, 24, 20), (4, 3, 3, 3), dict(stride=2, padding=1)),  # im2col
        ((1, 3, 40, 30), (4, 3, 5, 5), dict(stride=(2, 1), padding=2)),  # im2col, rows
    ],
)
def test_tiny_scratch_limit_gives_the_same_result(xs, ws, kwargs):
    x, w = RNG.standard_normal(xs), RNG.standard_normal(ws)
    want = convnb.conv(x, w, **kwargs)
    with kernels.scratch_limit(1):  # one image / one output row at a time
        got = convnb.conv(x, w, **kwargs)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("kwargs", [dict(padding=1), dict(stride=2, padding=1)], ids=str)
def test_scratch_stays_within_the_limit(kwargs):
    x = RNG.standard_normal((32, 16, 48, 48)).astype(np.float32)
    w = RNG.standard_normal((16, 16, 3, 3)).astype(np.float32)
    limit = 4 * 2**20
    out = convnb.conv(x, w, **kwargs)
    padded_input = x.nbytes * (50 * 50) / (48 * 48)
    tracemalloc.start()
    with kernels.scratch_limit(limit):
        convnb.conv(x, w, **kwargs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # besides the output and the padded copy of the input: the limit, plus the two
    # cache-sized gather buffers of the stride-1 path and small per-product temporaries
    assert peak - out.nbytes - padded_input < limit + 2 * kernels._GATHER_BLOCK + 2**19
    tracemalloc.start()
    convnb.conv(x, w, **kwargs)  # the default limit lets this run in one piece: more memory
    unlimited = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert unlimited > peak


def test_portable_path_is_used_for_other_libraries(monkeypatch):
    xs = pytest.importorskip("array_api_strict")
    monkeypatch.setattr(kernels, "correlate", lambda *a: pytest.fail("fast path used"))
    x, w = RNG.standard_normal((1, 2, 5, 5)), RNG.standard_normal((3, 2, 3, 3))
    got = convnb.conv(xs.asarray(x), xs.asarray(w), padding=1)
    np.testing.assert_allclose(
        np.from_dlpack(got), reference.conv(x, w, padding=1), rtol=1e-10, atol=1e-10
    )
