"""Spatially separable kernels: the SVD split, checked against NumPy's SVD and the reference."""

from __future__ import annotations

import re

import numpy as np
import pytest

import convnb
from convnb import reference

from .backends import asarray, to_np, tolerance

RNG = np.random.default_rng(9)
SEPARABLE = {
    "sobel": np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "box": np.ones((3, 5)) / 15,
    "gaussian": np.outer([1.0, 4, 6, 4, 1], [1.0, 4, 6, 4, 1]) / 256,
}


@pytest.mark.parametrize("name", sorted(SEPARABLE))
def test_separable_kernels_split_exactly(xp, name):
    k = SEPARABLE[name]
    s = convnb.separate(asarray(xp, k))
    assert s.rank == 1
    assert s.error < 1e-12
    np.testing.assert_allclose(np.outer(to_np(s.column), to_np(s.row)), k, atol=1e-12)


def test_random_kernel_gets_the_best_rank_one_approximation(xp):
    k = RNG.standard_normal((3, 3))
    s = convnb.separate(asarray(xp, k))
    singular = np.linalg.svd(k, compute_uv=False)
    assert s.rank == 3
    approx = np.outer(to_np(s.column), to_np(s.row))
    assert s.error == pytest.approx(np.linalg.norm(k - approx) / np.linalg.norm(k))
    assert s.error == pytest.approx(np.sqrt((singular[1:] ** 2).sum() / (singular**2).sum()))
    # Eckart-Young: no other rank-1 kernel is closer, e.g. one built from a row and a column
    other = np.outer(k[:, 1], k[1, :]) / k[1, 1]
    assert np.linalg.norm(k - approx) <= np.linalg.norm(k - other)


def test_zero_kernel():
    s = convnb.separate(np.zeros((3, 3)))
    assert (s.rank, s.error) == (0, 0.0)


@pytest.mark.parametrize(
    ("stride", "padding", "dilation", "groups"),
    [
        (1, 0, 1, 1),
        (2, 1, 1, 1),
        (1, "same", 2, 1),
        ((2, 1), (1, 2), (1, 2), 1),
        (1, 1, 1, 3),
    ],
)
def test_two_passes_equal_the_composed_kernel(xp, stride, padding, dilation, groups):
    c_in, c_mid, c_out = 3, 3 if groups == 3 else 4, 3 if groups == 3 else 5
    x = RNG.standard_normal((2, c_in, 9, 8))
    col = RNG.standard_normal((c_mid, c_in // groups, 3, 1))
    row = RNG.standard_normal((c_out, c_mid // groups, 1, 4))
    b = RNG.standard_normal(c_out)
    got = convnb.spatially_separable_conv2d(
        asarray(xp, x),
        asarray(xp, col),
        asarray(xp, row),
        asarray(xp, b),
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
    )
    if groups == 1:  # w[o, c, u, v] = sum_m row[o, m, v] * col[m, c, u]
        w = np.einsum("omv,mcu->ocuv", row[:, :, 0, :], col[:, :, :, 0])
    else:  # one column and one row per channel
        w = np.einsum("cv,cu->cuv", row[:, 0, 0, :], col[:, 0, :, 0])[:, None]
    want = reference.conv(
        x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups
    )
    assert got.shape == want.shape
    np.testing.assert_allclose(to_np(got), want, **tolerance(got.dtype))


def test_errors(xp):
    with pytest.raises(ValueError, match=re.escape("kernel must be 2-D (kH, kW), got shape (3,)")):
        convnb.separate(asarray(xp, np.ones(3)))
    with pytest.raises(TypeError, match="kernel must have a real floating dtype, got int64"):
        convnb.separate(asarray(xp, np.ones((3, 3), dtype=np.int64)))
    with pytest.raises(ValueError, match=re.escape("column must be (C_mid, C_in/groups, kH, 1)")):
        convnb.spatially_separable_conv2d(
            asarray(xp, np.ones((1, 1, 5, 5))),
            asarray(xp, np.ones((1, 1, 3, 3))),
            asarray(xp, np.ones((1, 1, 1, 3))),
        )
