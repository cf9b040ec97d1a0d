"""convnb.arithmetic against brute-force counting of kernel placements."""

from __future__ import annotations

import itertools
import math
import re

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
