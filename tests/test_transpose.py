"""convnb.conv_transpose against the scatter definition, the adjoint identity and PyTorch."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import convnb
from convnb import reference

from .backends import asarray, to_np, tolerance

RNG = np.random.default_rng(12)

# stride, padding, output_padding, groups, dilation
CASES = [
    (1, 0, 0, 1, 1),
    (2, 0, 0, 1, 1),
    (2, 1, 1, 1, 1),
    (3, 1, 2, 1, 1),
    (2, 1, 0, 2, 1),
    (1, 1, 1, 1, 2),  # output_padding below the dilation, with stride 1
    (2, 2, 1, 2, 3),  # transposed + dilated + grouped
    (3, 0, 1, 4, 2),
]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize(("stride", "padding", "output_padding", "groups", "dilation"), CASES)
def test_matches_scatter_definition(xp, nd, stride, padding, output_padding, groups, dilation):
    size = 4 if nd < 3 else 3
    x = RNG.standard_normal((2, 4) + (size,) * nd)
    w = RNG.standard_normal((4, 8 // groups) + (3,) * nd)
    b = RNG.standard_normal(8)
    kwargs = dict(
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        groups=groups,
        dilation=dilation,
    )
    got = convnb.conv_transpose(asarray(xp, x), asarray(xp, w), asarray(xp, b), **kwargs)
    want = reference.conv_transpose(x, w, b, **kwargs)
    assert got.shape == want.shape
    np.testing.assert_allclose(to_np(got), want, **tolerance(got.dtype))


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize(("stride", "padding", "output_padding", "groups", "dilation"), CASES)
def test_matches_torch(nd, stride, padding, output_padding, groups, dilation):
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 4) + (5,) * nd)
    w = RNG.standard_normal((4, 8 // groups) + (3,) * nd)
    b = RNG.standard_normal(8)
    kwargs = dict(
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        groups=groups,
        dilation=dilation,
    )
    want = getattr(torch.nn.functional, f"conv_transpose{nd}d")(
        *(torch.from_numpy(a) for a in (x, w, b)), **kwargs
    ).numpy()
    np.testing.assert_allclose(
        convnb.conv_transpose(x, w, b, **kwargs), want, rtol=1e-10, atol=1e-10
    )


@settings(max_examples=60, deadline=None)
@given(nd=st.integers(1, 3), groups=st.integers(1, 2), data=st.data())
def test_adjoint_identity(nd, groups, data):
    """<conv(x), y> == <x, conv_transpose(y)> for the same weight and arguments."""

    def per_dim(strategy, label):
        return tuple(data.draw(st.lists(strategy, min_size=nd, max_size=nd), label=label))

    kernel = per_dim(st.integers(1, 3), "kernel")
    stride = per_dim(st.integers(1, 3), "stride")
    dilation = per_dim(st.integers(1, 2), "dilation")
    padding = per_dim(st.integers(0, 2), "padding")
    size = per_dim(st.integers(1, 7), "size")
    spans = [d * (k - 1) + 1 for d, k in zip(dilation, kernel)]
    assume(all(i + 2 * p >= s for i, p, s in zip(size, padding, spans)))
    out = [
        convnb.conv_output_size(i, k, s, p, d)
        for i, k, s, p, d in zip(size, kernel, stride, padding, dilation)
    ]
    # the output_padding that takes the transposed conv back to `size`
    extra = [
        i - ((o - 1) * s - 2 * p + d * (k - 1) + 1)
        for i, o, s, p, d, k in zip(size, out, stride, padding, dilation, kernel)
    ]
    # sizes that output_padding cannot reach (PyTorch's rule) have no exact adjoint here
    assume(all(e < max(s, d) for e, s, d in zip(extra, stride, dilation)))
    c_in, c_out = 2 * groups, 3 * groups
    x = RNG.standard_normal((2, c_in, *size))
    w = RNG.standard_normal((c_out, c_in // groups, *kernel))
    y = RNG.standard_normal((2, c_out, *out))
    lhs = np.vdot(
        convnb.conv(x, w, stride=stride, padding=padding, dilation=dilation, groups=groups), y
    )
    back = convnb.conv_transpose(
        y,
        w,
        stride=stride,
        padding=padding,
        output_padding=extra,
        dilation=dilation,
        groups=groups,
    )
    assert back.shape == x.shape
    assert lhs == pytest.approx(np.vdot(x, back), rel=1e-9, abs=1e-9)


def test_zero_insertion_view():
    x = RNG.standard_normal((1, 2, 4, 5))
    w = RNG.standard_normal((2, 3, 3, 3))
    for stride, padding, extra in itertools.product((1, 2, 3), (0, 1, 2), (0, 1)):
        if extra >= stride:
            continue
        want = convnb.conv_transpose(x, w, stride=stride, padding=padding, output_padding=extra)
        flipped = np.flip(w, axis=(2, 3)).transpose(1, 0, 2, 3)  # (C_out, C_in, k, k)
        p = 3 - 1 - padding
        got = convnb.conv(convnb.insert_zeros(x, stride), flipped, padding=((p, p + extra),) * 2)
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


ERRORS = [
    (
        {"output_padding": 2, "stride": 2},
        ValueError,
        "output_padding=2 must be non-negative and smaller than stride=2 or dilation=1",
    ),
    ({"groups": 3}, ValueError, "groups=3 does not divide in_channels=4"),
    ({"padding": "same"}, TypeError, "padding must be an integer, got 'same'"),
    ({"stride": 0}, ValueError, "stride=0 must be positive"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), ERRORS)
def test_errors(xp, kwargs, error, message):
    x, w = asarray(xp, np.ones((1, 4, 3, 3))), asarray(xp, np.ones((4, 2, 3, 3)))
    with pytest.raises(error, match="^" + re.escape(message) + "$"):
        convnb.conv_transpose(x, w, **kwargs)


def test_channel_mismatch(xp):
    with pytest.raises(
        ValueError, match=re.escape("weight has 3 input channels (its first axis), x has 4")
    ):
        convnb.conv_transpose(asarray(xp, np.ones((1, 4, 3))), asarray(xp, np.ones((3, 2, 3))))
