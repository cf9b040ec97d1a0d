"""convnb.flattened: the three 1-D passes against one standard convolution (PyTorch)."""

from __future__ import annotations

import numpy as np
import pytest

from convnb import reference
from convnb.flattened import flattened_conv2d, flattened_weight


@pytest.mark.parametrize("padding", [0, 1, (2, 0)])
def test_passes_equal_the_rank_one_convolution(padding):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 4, 9, 8))
    a, b, h = (rng.standard_normal(s) for s in ((5, 4), (5, 3), (5, 3)))
    w = np.einsum("oc,ou,ov->ocuv", a, b, h)  # the definition, written independently
    np.testing.assert_allclose(flattened_weight(a, b, h), w, rtol=1e-12)
    expected = reference.conv(x, w, padding=padding)
    np.testing.assert_allclose(
        flattened_conv2d(x, a, b, h, padding=padding), expected, rtol=1e-10, atol=1e-10
    )


def test_against_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    x = rng.standard_normal((1, 3, 7, 7))
    a, b, h = (rng.standard_normal(s) for s in ((2, 3), (2, 5), (2, 5)))
    w = torch.from_numpy(np.einsum("oc,ou,ov->ocuv", a, b, h))
    y = torch.nn.functional.conv2d(torch.from_numpy(x), w, padding=2).numpy()
    np.testing.assert_allclose(flattened_conv2d(x, a, b, h, padding=2), y, rtol=1e-10, atol=1e-10)


def test_errors():
    with pytest.raises(ValueError, match=r"same number of rows \(C_out\), got 2, 3, 2"):
        flattened_weight(np.ones((2, 3)), np.ones((3, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"must be 2-D"):
        flattened_conv2d(np.ones((1, 3, 5, 5)), np.ones(3), np.ones((1, 3)), np.ones((1, 3)))


@pytest.mark.parametrize(
    ("padding", "error", "message"),
    [
        ((1, 2, 3), ValueError, r"padding=\(1, 2, 3\) must have one entry per spatial"),
        (-1, ValueError, r"padding=-1 must be non-negative"),
        ((0, -2), ValueError, r"padding=\(0, -2\) must be non-negative"),
        (1.5, TypeError, r"padding must be an integer, got 1.5"),
    ],
)
def test_bad_padding_is_named(padding, error, message):
    # before, a 3-entry padding failed to unpack and a negative one reached conv2d's check
    ones = np.ones((1, 3, 5, 5)), np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3))
    with pytest.raises(error, match=message):
        flattened_conv2d(*ones, padding=padding)
