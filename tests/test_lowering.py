"""convnb.im2col: a matrix product with it is the convolution (reference, PyTorch unfold)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import convnb
from convnb import reference

from .backends import asarray, to_np, tolerance

RNG = np.random.default_rng(5)


@pytest.mark.parametrize(
    ("shape", "kernel", "kwargs"),
    [
        ((2, 3, 6, 7), (3, 3), {}),
        ((1, 2, 7, 7), (3, 2), {"stride": 2, "padding": 1, "dilation": (1, 2)}),
        ((2, 2, 9), (4,), {"stride": 3, "padding": "same"}),
        ((1, 2, 4, 5, 4), (2, 3, 2), {"padding": 1, "padding_mode": "circular"}),
    ],
)
def test_weight_times_columns_is_the_convolution(xp, shape, kernel, kwargs):
    x = RNG.standard_normal(shape)
    w = RNG.standard_normal((4, shape[1], *kernel))
    cols = convnb.im2col(asarray(xp, x), kernel, **kwargs)
    y = to_np(cols).transpose(0, 2, 1) @ w.reshape(4, -1).T  # (N, P, C_out)
    want = reference.conv(x, w, **kwargs)
    np.testing.assert_allclose(
        y.transpose(0, 2, 1).reshape(want.shape), want, **tolerance(cols.dtype)
    )


def test_matches_torch_unfold():
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 3, 8, 7))
    got = convnb.im2col(x, (3, 2), stride=(2, 1), padding=1, dilation=(1, 2))
    want = torch.nn.functional.unfold(
        torch.from_numpy(x), (3, 2), dilation=(1, 2), padding=1, stride=(2, 1)
    ).numpy()
    np.testing.assert_array_equal(got, want)


def test_errors(xp):
    with pytest.raises(
        ValueError,
        match=re.escape(
            "x must have shape (N, C, *spatial) with 1 to 3 spatial dimensions, got shape (3,)"
        ),
    ):
        convnb.im2col(asarray(xp, np.ones(3)), 1)
    with pytest.raises(ValueError, match=r"^kernel_size=0 must be positive$"):
        convnb.im2col(asarray(xp, np.ones((1, 1, 3))), 0)
