"""convnb.mixing: group reach from the index maps, against impulses through convnb.conv."""

from __future__ import annotations

import numpy as np
import pytest

import convnb
from convnb.mixing import group_reach, shuffle_mixes_all


def measured(c, g, shuffle):
    rng = np.random.default_rng(c * 7 + g)
    w1 = rng.standard_normal((c, c // g, 1, 1))
    w2 = rng.standard_normal((c, c // g, 1, 1))
    h = convnb.conv2d(np.eye(c).reshape(c, c, 1, 1), w1, groups=g)
    if shuffle:  # ShuffleNet's definition: reshape (g, n), transpose, flatten
        h = h.reshape(c, g, c // g, 1, 1).transpose(0, 2, 1, 3, 4).reshape(c, c, 1, 1)
    mask = convnb.conv2d(h, w2, groups=g)[:, :, 0, 0].T != 0  # [output, input]
    n = c // g
    return [
        [bool(mask[j * n : (j + 1) * n, i * n : (i + 1) * n].any()) for i in range(g)]
        for j in range(g)
    ]


@pytest.mark.parametrize(("c", "g"), [(6, 3), (8, 2), (9, 3), (12, 4), (8, 4), (16, 4), (6, 6)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_reach_matches_impulses(c, g, shuffle):
    assert group_reach(c, g, shuffle=shuffle) == measured(c, g, shuffle)


@pytest.mark.parametrize(("c", "g"), [(6, 3), (8, 2), (9, 3), (12, 4), (8, 4), (16, 4), (6, 6)])
def test_condition(c, g):
    assert shuffle_mixes_all(c, g) == all(all(row) for row in measured(c, g, True))


def test_errors():
    with pytest.raises(ValueError, match=r"groups=4 must be positive and divide channels=6"):
        group_reach(6, 4)
    with pytest.raises(ValueError, match=r"groups=0"):
        shuffle_mixes_all(6, 0)
