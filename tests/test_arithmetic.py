"""convnb.arithmetic against brute-force counting of kernel placements."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest

import convnb
from convnb import arithmetic


def _placements(i, k, s, before, after, d):
    """Count where a dilated kernel fits, by trying every start position."""
    padded = before + i + after
    span = d * (k - 1) + 1
    return sum(1 for start in range(0, padded, s) if start + span <= padded)


@pytest.mark.parametrize(
    ("i", "k", "s", "before", "after", "d"),
    [
        c
        for c in itertools.product(
            range(1, 10), range(1, 5), range(1, 4), range(3), range(3), range(1, 4)
        )
        if c[4] + c[0] + c[3] >= c[5] * (c[1] - 1) + 1
    ],
)
def test_output_size_counts_placements(i, k, s, before, after, d):
    assert arithmetic.conv_output_size(i, k, s, (before, after), d) == _placements(
        i, k, s, before, after, d
    )


@pytest.mark.parametrize(
    ("i", "k", "s", "d"),
    list(itertools.product(range(1, 13), range(1, 6), range(1, 5), range(1, 3))),
)
def test_same_padding_is_tensorflows_rule(i, k, s, d):
    before, after = arithmetic.same_padding(i, k, s, d)
    assert _placements(i, k, s, before, after, d) == math.ceil(i / s)
    assert after - before in (0, 1)  # split evenly, the odd sample at the end
    # minimal: one sample less of padding would lose the last output or not change anything
    total = before + after
    if total:
        assert _placements(i, k, s, before, after - 1, d) < math.ceil(i / s) or total - 1 < 0


def test_source_article_numbers():
    assert convnb.conv_output_size(227, 11, stride=4) == 55  # AlexNet as built
    assert (224 - 11) / 4 + 1 == 54.25  # the paper's 224 does not divide evenly
    assert convnb.same_padding(224, 11, stride=4) == (3, 4)


def test_resolve_padding_forms():
    assert arithmetic.resolve_padding(2, (5, 5), (3, 3)) == ((2, 2), (2, 2))
    assert arithmetic.resolve_padding("valid", (5,), (3,)) == ((0, 0),)
    assert arithmetic.resolve_padding((1, (2, 0)), (5, 5), (3, 3)) == ((1, 1), (2, 0))
    assert arithmetic.resolve_padding("same", (7,), (3,), (1,), (2,)) == ((2, 2),)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: arithmetic.conv_output_size(4, 5),
            ValueError,
            "the dilated kernel spans 5 samples (kernel_size=5, dilation=1), more than the padded "
            "input of 4 (input_size=4, padding=0+0)",
        ),
        (lambda: arithmetic.conv_output_size(4, 0), ValueError, "kernel_size=0 must be positive"),
        (
            lambda: arithmetic.conv_output_size(-1, 1),
            ValueError,
            "input_size=-1 must be non-negative",
        ),
        (
            lambda: arithmetic.conv_output_size(4, 2, stride=0),
            ValueError,
            "stride=0 must be positive",
        ),
        (
            lambda: arithmetic.conv_output_size(4, 2, dilation=0),
            ValueError,
            "dilation=0 must be positive",
        ),
        (
            lambda: arithmetic.conv_output_size(4, 2, padding=(1, 2, 3)),
            ValueError,
            "padding=(1, 2, 3) must be an int or a (before, after) pair",
        ),
        (
            lambda: arithmetic.conv_output_size(4, 2, padding=(1, -2)),
            ValueError,
            "padding=(1, -2) must be non-negative",
        ),
        (
            lambda: arithmetic.conv_output_size(4.0, 2),
            TypeError,
            "input_size must be an integer, got 4.0",
        ),
        (
            lambda: arithmetic.resolve_padding("SAME", (4,), (2,)),
            ValueError,
            "padding='SAME' is not one of ('valid', 'same'), an int, or a sequence of them",
        ),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        call()


# --- transposed sizes, counts, receptive fields ------------------------------------------------


@pytest.mark.parametrize(
    ("i", "k", "s", "p", "d"),
    [c for c in itertools.product(range(1, 7), range(1, 5), range(1, 4), range(3), range(1, 3))],
)
def test_conv_transpose_size_inverts_conv_size(i, k, s, p, d):
    for op in range(max(s, d)):
        try:
            o = arithmetic.conv_transpose_output_size(i, k, s, p, d, op)
        except ValueError:
            assert (i - 1) * s - 2 * p + d * (k - 1) + op + 1 < 1  # trimmed away entirely
            continue
        if o + 2 * p >= d * (k - 1) + 1:
            # below the stride, output_padding picks among sizes that convolve back to i;
            # the dilation rule also admits op >= s, and then the conv sees op // s more
            assert arithmetic.conv_output_size(o, k, s, p, d) == i + op // s


def test_conv_transpose_size_matches_torch():
    torch = pytest.importorskip("torch")
    for i, k, s, p, d, op in [
        (3, 3, 2, 1, 1, 1),
        (5, 4, 2, 1, 1, 0),
        (4, 3, 3, 0, 2, 1),
        (7, 5, 1, 2, 3, 0),
    ]:
        layer = torch.nn.ConvTranspose1d(
            1, 1, k, stride=s, padding=p, dilation=d, output_padding=op
        )
        want = layer(torch.zeros(1, 1, i)).shape[-1]
        assert arithmetic.conv_transpose_output_size(i, k, s, p, d, op) == want


def test_output_padding_rule():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "output_padding=2 must be non-negative and smaller than stride=2 or dilation=1"
        ),
    ):
        arithmetic.conv_transpose_output_size(3, 3, 2, 1, 1, 2)
    assert arithmetic.conv_transpose_output_size(3, 3, 1, 0, 2, 1) == 8  # dilation allows it


@pytest.mark.parametrize(
    ("c_in", "c_out", "k", "g", "bias"),
    [
        (3, 8, (3, 3), 1, True),
        (8, 8, (3, 3), 2, False),
        (4, 8, (5, 5), 4, True),
        (16, 4, (1, 1), 1, False),
        (6, 6, (3, 1, 2), 3, True),
    ],
)
def test_count_params_matches_torch(c_in, c_out, k, g, bias):
    torch = pytest.importorskip("torch")
    layer = getattr(torch.nn, f"Conv{len(k)}d")(c_in, c_out, k, groups=g, bias=bias)
    assert arithmetic.count_params(c_in, c_out, k, g, bias) == sum(
        p.numel() for p in layer.parameters()
    )


@pytest.mark.parametrize(
    ("c_in", "c_out", "k", "g", "size", "stride", "dilation"),
    [
        (3, 4, (3, 3), 1, (6, 5), 1, 1),
        (4, 8, (3, 3), 4, (7, 7), 2, 1),
        (6, 6, (2, 3), 3, (5, 8), (1, 2), (2, 1)),
        (2, 2, (1, 1), 1, (3, 3), 1, 1),
    ],
)
def test_count_macs_counts_the_products_conv_does(c_in, c_out, k, g, size, stride, dilation):
    # all-ones input and kernel, padded with ones: every output is the number of its products
    y = convnb.conv(
        np.ones((1, c_in, *size)),
        np.ones((c_out, c_in // g, *k)),
        stride=stride,
        padding=1,
        dilation=dilation,
        groups=g,
        padding_mode="replicate",
    )
    assert arithmetic.count_macs(c_in, c_out, k, y.shape[2:], g) == int(y.sum())


def test_source_article_parameter_counts():
    dense = arithmetic.count_params(256, 256, (3, 3), bias=False)
    depthwise = arithmetic.count_params(256, 1024, (3, 3), groups=256, bias=False)
    pointwise = arithmetic.count_params(1024, 256, (1, 1), bias=False)
    assert (dense, depthwise, pointwise) == (589_824, 9_216, 262_144)
    assert depthwise + pointwise == 271_360


def test_receptive_field_of_the_dilated_stack():
    fields = arithmetic.receptive_field([{"kernel_size": 3, "dilation": d} for d in (1, 2, 4)])
    assert [f.size for f in fields] == [3, 7, 15]  # Yu & Koltun, 2016
    assert [f.jump for f in fields] == [1, 1, 1]


def test_receptive_field_errors():
    with pytest.raises(TypeError, match=r"^layers\[0\] must be a mapping with a kernel_size"):
        arithmetic.receptive_field([3])
    with pytest.raises(ValueError, match=r"^layers\[1\] has unknown keys \['kernel'\]$"):
        arithmetic.receptive_field([{"kernel_size": 3}, {"kernel": 3}])
    with pytest.raises(ValueError, match=r"^stride=0 must be positive$"):
        arithmetic.receptive_field([{"kernel_size": 3, "stride": 0}])
