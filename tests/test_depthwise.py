"""Depthwise and depthwise-separable convolution against the loop reference and PyTorch."""

from __future__ import annotations

import re

import numpy as np
import pytest

import convnb
from convnb import reference

from .backends import asarray, to_np, tolerance

RNG = np.random.default_rng(8)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("multiplier", [1, 3])
@pytest.mark.parametrize(("stride", "padding", "dilation"), [(1, 1, 1), (2, "same", 1), (1, 2, 2)])
def test_depthwise_is_grouped_conv_with_groups_c(xp, nd, multiplier, stride, padding, dilation):
    c = 3
    x = RNG.standard_normal((2, c) + (7 if nd < 3 else 5,) * nd)
    w = RNG.standard_normal((c * multiplier, 1) + (3,) * nd)
    b = RNG.standard_normal(c * multiplier)
    got = convnb.depthwise_conv(
        asarray(xp, x),
        asarray(xp, w),
        asarray(xp, b),
        stride=stride,
        padding=padding,
        dilation=dilation,
    )
    want = reference.conv(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=c)
    np.testing.assert_allclose(to_np(got), want, **tolerance(got.dtype))


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_separable_is_depthwise_then_pointwise_and_a_rank_structured_dense_conv(xp, nd):
    c, m, c_out = 3, 2, 5
    x = RNG.standard_normal((2, c) + (6,) * nd)
    dw = RNG.standard_normal((c * m, 1) + (3,) * nd)
    pw = RNG.standard_normal((c_out, c * m))
    b = RNG.standard_normal(c_out)
    got = convnb.separable_conv(
        asarray(xp, x), asarray(xp, dw), asarray(xp, pw), asarray(xp, b), padding=1
    )
    middle = reference.conv(x, dw, padding=1, groups=c)
    composed = reference.conv(middle, pw.reshape(c_out, c * m, *(1,) * nd), b)
    np.testing.assert_allclose(to_np(got), composed, **tolerance(got.dtype))
    # no nonlinearity in between: one dense kernel does the same
    # dense[o, c] = sum_j pw[o, c*m + j] * dw[c*m + j]
    dense = np.einsum(
        "ocm,cm...->oc...", pw.reshape(c_out, c, m), dw[:, 0].reshape(c, m, *dw.shape[2:])
    )
    np.testing.assert_allclose(
        to_np(got), reference.conv(x, dense, b, padding=1), **tolerance(got.dtype)
    )


def test_matches_torch():
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 4, 9, 9))
    w = RNG.standard_normal((8, 1, 3, 3))
    got = convnb.depthwise_conv2d(x, w, stride=2, padding=1)
    want = torch.nn.functional.conv2d(
        torch.from_numpy(x), torch.from_numpy(w), stride=2, padding=1, groups=4
    ).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


def test_fixed_rank_and_shape_errors(xp):
    x = asarray(xp, np.ones((1, 4, 5, 5)))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "weight must have shape (C*multiplier, 1, *kernel) for C=4 input channels, "
            "got (6, 1, 3, 3)"
        ),
    ):
        convnb.depthwise_conv(x, asarray(xp, np.ones((6, 1, 3, 3))))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "depthwise_weight must have shape (C*multiplier, 1, *kernel) for C=4 input "
            "channels, got (4, 2, 3, 3)"
        ),
    ):
        convnb.separable_conv(x, asarray(xp, np.ones((4, 2, 3, 3))), asarray(xp, np.ones((2, 4))))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "depthwise_conv3d expects x of rank 5 (N, C, D, H, W), got shape (1, 4, 5, 5)"
        ),
    ):
        convnb.depthwise_conv3d(x, asarray(xp, np.ones((4, 1, 3, 3))))
    assert convnb.separable_conv2d(
        x, asarray(xp, np.ones((4, 1, 3, 3))), asarray(xp, np.ones((2, 4)))
    ).shape == (1, 2, 3, 3)
