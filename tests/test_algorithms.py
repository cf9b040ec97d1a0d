"""Winograd and FFT convolution: exact transforms, agreement with PyTorch, clear refusals.

The oracle is PyTorch's CPU convolution (an independent implementation) in float64. Errors
are measured normwise, ``max |y - y_ref| / max |y_ref|``, the measure the chapter "Fast
algorithms" tabulates per tile size.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import convnb
from convnb import algorithms, fft, reference, winograd

from .backends import asarray, to_np

torch = pytest.importorskip("torch")

# Float32 bounds, normwise, from the chapter's table (measured there, with margin).
BOUND32 = {"winograd2": 2e-5, "winograd": 1e-4, "fft": 2e-5, "direct": 2e-5}


def _error(y, ref):
    # relative to the largest output, or to 1 where the window sees only padding
    return float(np.abs(y - ref).max() / max(np.abs(ref).max(), 1.0))


def _torch_conv(x, w, b, padding, dilation, groups):
    nd = w.ndim - 2
    f = getattr(torch.nn.functional, f"conv{nd}d")
    return f(
        torch.from_numpy(x),
        torch.from_numpy(w),
        None if b is None else torch.from_numpy(b),
        padding=padding,
        dilation=dilation,
        groups=groups,
    ).numpy()


def _random_layer(rng, nd, kernel, dilation):
    groups = int(rng.integers(1, 4))
    per_in, per_out = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    n = int(rng.integers(1, 3))
    pad = tuple(int(p) for p in rng.integers(0, 3, nd))
    spatial = tuple(
        int(rng.integers(max(1, d * (k - 1) + 1 - 2 * p), d * (k - 1) + 12))
        for k, d, p in zip(kernel, dilation, pad, strict=True)
    )
    x = rng.standard_normal((n, groups * per_in, *spatial))
    w = rng.standard_normal((groups * per_out, per_in, *kernel))
    b = rng.standard_normal(groups * per_out) if rng.random() < 0.5 else None
    return x, w, b, pad, groups


def _agree(rng, algorithm, x, w, b, pad, dilation, groups):
    ref = _torch_conv(x, w, b, pad, dilation, groups)
    y64 = convnb.conv(x, w, b, padding=pad, dilation=dilation, groups=groups, algorithm=algorithm)
    assert y64.shape == ref.shape
    assert _error(y64, ref) < 1e-9
    f32 = [a.astype(np.float32) if a is not None else None for a in (x, w, b)]
    y32 = convnb.conv(*f32, padding=pad, dilation=dilation, groups=groups, algorithm=algorithm)
    assert y32.dtype == np.float32
    assert _error(y32.astype(np.float64), ref) < BOUND32[algorithm]


@pytest.mark.parametrize("algorithm", ["winograd", "winograd2"])
def test_winograd_agrees_with_pytorch_on_random_layers(algorithm):
    rng = np.random.default_rng(16 + len(algorithm))
    for _ in range(300):
        x, w, b, pad, groups = _random_layer(rng, 2, (3, 3), (1, 1))
        _agree(rng, algorithm, x, w, b, pad, (1, 1), groups)


def test_fft_agrees_with_pytorch_on_random_layers_in_1_to_3_d():
    rng = np.random.default_rng(1616)
    for i in range(300):
        nd = 1 + i % 3
        kernel = tuple(int(k) for k in rng.integers(1, 6 if nd < 3 else 4, nd))
        dilation = tuple(int(d) for d in rng.integers(1, 3, nd))
        x, w, b, pad, groups = _random_layer(rng, nd, kernel, dilation)
        _agree(rng, "fft", x, w, b, pad, dilation, groups)


@pytest.mark.parametrize("algorithm", ["winograd", "winograd2", "fft"])
def test_fast_algorithms_run_on_every_array_library(xp, algorithm):
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 4, 9, 11)), rng.standard_normal((6, 2, 3, 3))
    ref = _torch_conv(x, w, None, 1, 1, 2)
    y = convnb.conv(asarray(xp, x), asarray(xp, w), padding=1, groups=2, algorithm=algorithm)
    assert _error(to_np(y), ref) < 1e-12


@pytest.mark.parametrize("algorithm", ["winograd", "fft"])
def test_complex_inputs(algorithm):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((1, 3, 7, 8)) + 1j * rng.standard_normal((1, 3, 7, 8))
    w = rng.standard_normal((2, 3, 3, 3)) + 1j * rng.standard_normal((2, 3, 3, 3))
    ref = reference.conv(x, w, padding=1)
    assert _error(convnb.conv(x, w, padding=1, algorithm=algorithm), ref) < 1e-12


@pytest.mark.parametrize("m", range(1, 7))
@pytest.mark.parametrize("r", range(1, 5))
def test_toom_cook_transforms_are_exact(m, r):
    assert winograd.check_transforms(m, r) == m + r - 1
    at, g, bt = winograd.transforms(m, r)
    assert (len(at), len(at[0]), len(g), len(g[0]), len(bt)) == (
        m,
        m + r - 1,
        m + r - 1,
        r,
        m + r - 1,
    )


def test_a_wrong_transform_fails_the_check():
    at, g, bt = winograd.transforms(4, 3)
    wrong = [list(row) for row in bt]
    wrong[2][3] += Fraction(1, 4)
    with pytest.raises(AssertionError, match="output"):
        winograd.verify(at, g, wrong)


def test_f23_matches_lavin_and_gray_up_to_row_signs():
    """Their F(2,3) (section 4) uses the same points 0, 1, -1; rows may differ in sign."""
    lavin_bt = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]
    lavin_at = [[1, 1, 1, 0], [0, 1, -1, -1]]
    at, _, bt = winograd.transforms(2, 3)
    for ours, theirs in zip(bt, lavin_bt, strict=True):
        assert [abs(v) for v in ours] == [abs(v) for v in theirs]
    for ours, theirs in zip(at, lavin_at, strict=True):
        assert [abs(v) for v in ours] == [abs(v) for v in theirs]


def test_one_dimensional_f23_uses_four_products_for_two_outputs():
    rng = np.random.default_rng(5)
    x, g = rng.standard_normal(10), rng.standard_normal(3)
    y = winograd.correlate_1d(x, g, 2)
    np.testing.assert_allclose(y, np.correlate(x, g, mode="valid"), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"algorithm": "winograd", "stride": 2}, r"algorithm='winograd' needs stride 1"),
        ({"algorithm": "winograd2", "dilation": 2}, r"algorithm='winograd2' needs dilation 1"),
        ({"algorithm": "fft", "stride": (1, 2)}, r"algorithm='fft' needs stride 1"),
        ({"algorithm": "fast"}, r"algorithm='fast' must be one of auto, direct"),
        ({"algorithm": None}, r"algorithm=None must be one of"),
    ],
)
def test_unsupported_combinations_name_the_algorithm(kwargs, message):
    x, w = np.ones((1, 2, 8, 8)), np.ones((2, 2, 3, 3))
    with pytest.raises(ValueError, match=message):
        convnb.conv(x, w, **kwargs)


def test_winograd_needs_a_3x3_kernel_in_2d():
    with pytest.raises(ValueError, match=r"algorithm='winograd' computes 3x3 kernels in 2-D"):
        convnb.conv(np.ones((1, 2, 8, 8)), np.ones((2, 2, 5, 5)), algorithm="winograd")
    with pytest.raises(ValueError, match=r"got kernel \(3,\)"):
        convnb.conv1d(np.ones((1, 2, 8)), np.ones((2, 2, 3)), algorithm="winograd")


def test_auto_keeps_small_layers_exact_and_picks_by_shape():
    small = np.ones((1, 2, 8, 8)), np.ones((2, 2, 3, 3))
    assert algorithms.choose(*small, 1, (1, 1), (1, 1)) == "direct"
    x = np.ones((8, 64, 58, 58), dtype=np.float32)
    assert algorithms.choose(x, np.ones((64, 64, 3, 3), np.float32), 1, (1, 1), (1, 1)) == (
        "winograd"
    )
    assert algorithms.choose(x, np.ones((64, 64, 3, 3), np.float32), 1, (2, 2), (1, 1)) == (
        "direct"
    )
    assert algorithms.choose(x, np.ones((64, 1, 3, 3), np.float32), 64, (1, 1), (1, 1)) == (
        "direct"
    )
    grouped = np.ones((8, 256, 30, 30), dtype=np.float32), np.ones((256, 8, 3, 3), np.float32)
    assert algorithms.choose(*grouped, 32, (1, 1), (1, 1)) == "direct"  # 8 per group: measured
    wide = np.ones((8, 64, 66, 66), dtype=np.float32)
    assert algorithms.choose(wide, np.ones((64, 64, 11, 11), np.float32), 1, (1, 1), (1, 1)) == (
        "fft"
    )


def test_fast_length_is_five_smooth_and_minimal():
    for n in range(1, 400):
        q = fft.fast_length(n)
        assert q >= n
        r = q
        for p in (2, 3, 5):
            while r % p == 0:
                r //= p
        assert r == 1
        assert all(not _smooth(k) for k in range(n, q))


def _smooth(k):
    for p in (2, 3, 5):
        while k % p == 0:
            k //= p
    return k == 1
