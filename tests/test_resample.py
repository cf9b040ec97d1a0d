"""Zero insertion, dilated kernels, upsampling and pixel shuffle."""

from __future__ import annotations

import re

import numpy as np
import pytest

import convnb
from convnb import padding, reference

from .backends import asarray, to_np

RNG = np.random.default_rng(14)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("d", [1, 2, 3])
def test_dilated_kernel_is_a_dense_kernel_with_zeros(xp, nd, d):
    x = RNG.standard_normal((1, 2) + (9,) * nd)
    w = RNG.standard_normal((3, 2) + (3,) * nd)
    dense = convnb.dilate_kernel(asarray(xp, w), d)
    assert dense.shape[2:] == (d * 2 + 1,) * nd
    np.testing.assert_allclose(
        to_np(convnb.conv(asarray(xp, x), dense)),
        reference.conv(x, w, dilation=d),
        rtol=1e-10,
        atol=1e-10,
    )


def test_insert_zeros_places_samples(xp):
    x = np.arange(6.0).reshape(1, 1, 2, 3)
    got = to_np(convnb.insert_zeros(asarray(xp, x), (3, 2)))
    want = np.zeros((1, 1, 4, 5))
    want[:, :, ::3, ::2] = x
    np.testing.assert_array_equal(got, want)


def test_upsample_and_pixel_shuffle_match_torch():
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 8, 3, 4))
    np.testing.assert_array_equal(
        convnb.upsample_nearest(x, 2),
        torch.nn.functional.interpolate(
            torch.from_numpy(x), scale_factor=2, mode="nearest"
        ).numpy(),
    )
    np.testing.assert_array_equal(
        convnb.pixel_shuffle(x, 2),
        torch.nn.functional.pixel_shuffle(torch.from_numpy(x), 2).numpy(),
    )
    y = RNG.standard_normal((2, 2, 6, 4))
    np.testing.assert_array_equal(
        convnb.pixel_unshuffle(y, 2),
        torch.nn.functional.pixel_unshuffle(torch.from_numpy(y), 2).numpy(),
    )


def test_pixel_shuffle_definition(xp):
    x = RNG.standard_normal((1, 2 * 9, 2, 2))
    y = to_np(convnb.pixel_shuffle(asarray(xp, x), 3))
    for c in range(2):
        for i in range(3):
            for j in range(3):
                np.testing.assert_array_equal(y[0, c, i::3, j::3], x[0, c * 9 + i * 3 + j])
    np.testing.assert_array_equal(to_np(convnb.pixel_unshuffle(asarray(xp, y), 3)), x)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_pad_adjoint_is_the_adjoint(xp, mode):
    x = RNG.standard_normal((2, 3, 5, 4))
    widths = [(2, 1), (1, 3)]
    g = RNG.standard_normal((2, 3, 8, 8))
    lhs = np.vdot(to_np(convnb.pad(asarray(xp, x), widths, mode=mode)), g)
    rhs = np.vdot(x, to_np(padding.pad_adjoint(asarray(xp, g), widths, mode=mode)))
    assert lhs == pytest.approx(rhs, rel=1e-10)


def test_errors(xp):
    with pytest.raises(
        ValueError,
        match=re.escape(
            "pixel_shuffle needs x of shape (N, C*2^2, H, W) with factor >= 1, "
            "got shape (1, 6, 2, 2)"
        ),
    ):
        convnb.pixel_shuffle(asarray(xp, np.ones((1, 6, 2, 2))), 2)
    with pytest.raises(ValueError, match=r"^factor=0 must be positive$"):
        convnb.upsample_nearest(asarray(xp, np.ones((1, 1, 2))), 0)
