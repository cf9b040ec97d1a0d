"""convnb.padding against numpy.pad, on every backend."""

from __future__ import annotations

import re

import numpy as np
import pytest

import convnb

from .backends import asarray, to_np

NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


@pytest.mark.parametrize("mode", list(NUMPY_MODE))
@pytest.mark.parametrize("pad_width", [[(1, 2)], [(0, 3), (2, 0)], [(2, 2), (1, 1), (3, 0)]])
def test_matches_numpy_pad(xp, mode, pad_width):
    x = np.arange(2 * 4 * 5 * 6, dtype=float).reshape(2, 4, 5, 6)
    got = convnb.pad(asarray(xp, x), pad_width, mode=mode)
    full = [(0, 0)] * (x.ndim - len(pad_width)) + list(pad_width)
    np.testing.assert_array_equal(to_np(got), np.pad(x, full, mode=NUMPY_MODE[mode]))


@pytest.mark.parametrize("mode", ["zeros", "replicate", "circular"])
def test_padding_wider_than_input(xp, mode):
    x = np.array([[1.0, 2.0]])
    got = convnb.pad(asarray(xp, x), [(3, 4)], mode=mode)
    np.testing.assert_array_equal(to_np(got), np.pad(x, [(0, 0), (3, 4)], mode=NUMPY_MODE[mode]))


@pytest.mark.parametrize("mode", list(NUMPY_MODE))
def test_pad_indices_match_numpy(mode):
    for n in range(1, 6):
        for before in range(0, n + 2):
            after = max(n + 1 - before, 0)
            if mode == "reflect" and max(before, after) >= n:
                continue
            extra = {"constant_values": -1} if mode == "zeros" else {}
            marked = np.pad(np.arange(n), (before, after), mode=NUMPY_MODE[mode], **extra)
            assert convnb.pad_indices(n, before, after, mode) == marked.tolist()


def test_errors(xp):
    x = asarray(xp, np.ones((2, 3)))
    with pytest.raises(
        ValueError,
        match=re.escape(
            "reflect padding of (3, 0) needs an input longer than the padding, got length 3"
        ),
    ):
        convnb.pad(x, [(3, 0)], mode="reflect")
    with pytest.raises(
        ValueError,
        match=re.escape(
            "padding_mode='edge' is not one of ('zeros', 'reflect', 'replicate', 'circular')"
        ),
    ):
        convnb.pad(x, [(1, 1)], mode="edge")
    with pytest.raises(
        ValueError, match=re.escape("pad_width has 3 entries for an array of rank 2")
    ):
        convnb.pad(x, [(1, 1)] * 3)
    with pytest.raises(
        ValueError,
        match=re.escape("pad_width entry (1, -1) must be a non-negative (before, after)"),
    ):
        convnb.pad(x, [(1, -1)])
    with pytest.raises(
        ValueError, match=re.escape("padding_mode='circular' cannot pad an empty axis")
    ):
        convnb.pad_indices(0, 1, 0, "circular")
