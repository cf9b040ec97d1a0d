"""The oracle itself, checked against independent implementations (NumPy, SciPy, PyTorch)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from convnb import reference

RNG = np.random.default_rng(3)


@pytest.mark.parametrize(("n", "m"), [(5, 3), (3, 5), (1, 1), (6, 6)])
def test_1d_definitions_match_numpy(n, m):
    a, v = RNG.standard_normal(n), RNG.standard_normal(m)
    np.testing.assert_allclose(reference.convolve1d(a, v), np.convolve(a, v, "full"))
    np.testing.assert_allclose(reference.correlate1d(a, v), np.correlate(a, v, "full"))


def test_single_channel_conv_is_scipy_correlate():
    x, w = RNG.standard_normal((7, 9)), RNG.standard_normal((3, 4))
    got = reference.conv(x[None, None], w[None, None])[0, 0]
    np.testing.assert_allclose(got, scipy.signal.correlate2d(x, w, mode="valid"))
    got = reference.conv(x[None, None], w[None, None], padding=((2, 0), (3, 0)))[0, 0]
    np.testing.assert_allclose(got, scipy.signal.correlate2d(x, w, mode="full")[:7, :9])


def test_multichannel_grouped_dilated_matches_torch():
    torch = pytest.importorskip("torch")
    x = RNG.standard_normal((2, 6, 11, 10))
    w = RNG.standard_normal((9, 2, 3, 2))
    b = RNG.standard_normal(9)
    got = reference.conv(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(2, 3), groups=3)
    want = torch.nn.functional.conv2d(
        *(torch.from_numpy(a) for a in (x, w, b)),
        stride=(2, 1),
        padding=(1, 2),
        dilation=(2, 3),
        groups=3,
    )
    np.testing.assert_allclose(got, want.numpy(), rtol=1e-12, atol=1e-12)
