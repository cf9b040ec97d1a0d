"""convnb.causal: causality by impulses, and the layer against explicit loops."""

from __future__ import annotations

import numpy as np
import pytest

from convnb.causal import causal_conv1d, causal_receptive_field


def loops(x, w, d):
    n, _, length = x.shape
    k = w.shape[-1]
    out = np.zeros((n, w.shape[0], length))
    for t in range(length):
        for j in range(k):
            s = t - d * (k - 1 - j)  # the last tap reads the present
            if s >= 0:
                out[:, :, t] += np.einsum("oc,nc->no", w[:, :, j], x[:, :, s])
    return out


@pytest.mark.parametrize(("k", "d"), [(2, 1), (2, 4), (3, 2)])
def test_against_loops(k, d):
    rng = np.random.default_rng(k * 10 + d)
    x = rng.standard_normal((2, 3, 20))
    w = rng.standard_normal((4, 3, k))
    np.testing.assert_allclose(causal_conv1d(x, w, d), loops(x, w, d), rtol=1e-10, atol=1e-12)


def test_stack_is_causal_with_wavenet_field():
    rng = np.random.default_rng(0)
    length, t = 40, 10
    x = np.zeros((1, 1, length))
    x[0, 0, t] = 1.0
    h = x
    for d in (1, 2, 4, 8):
        h = causal_conv1d(h, np.abs(rng.standard_normal((1, 1, 2))) + 0.1, d)
    moved = np.nonzero(h[0, 0])[0]
    assert moved.min() == t  # nothing before the impulse changes
    assert moved.max() - t + 1 == causal_receptive_field((1, 2, 4, 8)) == 16


def test_errors():
    with pytest.raises(ValueError, match=r"dilation=0 must be a positive integer"):
        causal_conv1d(np.ones((1, 1, 4)), np.ones((1, 1, 2)), 0)
    with pytest.raises(ValueError, match=r"must be positive"):
        causal_receptive_field((1, -2))
