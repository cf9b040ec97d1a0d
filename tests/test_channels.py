"""convnb.channels: group structure measured through convnb.conv, shuffle by its definition."""

from __future__ import annotations

import re

import numpy as np
import pytest

import convnb
from convnb import channels, reference

from .backends import asarray, to_np
from .probing import channel_dependence

GROUPINGS = [(4, 4, 1), (8, 8, 2), (8, 4, 4), (4, 8, 4), (6, 12, 3), (3, 6, 3), (5, 5, 5)]


@pytest.mark.parametrize(("c_in", "c_out", "groups"), GROUPINGS)
def test_connectivity_is_what_conv_mixes(c_in, c_out, groups):
    assert np.array_equal(
        np.array(channels.connectivity(c_in, c_out, groups)),
        channel_dependence(c_in, c_out, groups),
    )


@pytest.mark.parametrize(("c_in", "c_out", "groups"), GROUPINGS)
def test_input_channels_rows(c_in, c_out, groups):
    mask = channel_dependence(c_in, c_out, groups)
    for o in range(c_out):
        assert list(channels.input_channels(o, c_in, c_out, groups)) == list(
            np.nonzero(mask[o])[0]
        )


@pytest.mark.parametrize(("c", "g"), [(6, 2), (6, 3), (8, 4), (12, 3), (5, 1), (4, 4)])
def test_channel_shuffle_is_reshape_transpose(xp, c, g):
    x = np.arange(2 * c * 3).reshape(2, c, 3).astype(np.float64)
    # ShuffleNet's definition, written out with NumPy
    expected = x.reshape(2, g, c // g, 3).transpose(0, 2, 1, 3).reshape(2, c, 3)
    got = channels.channel_shuffle(asarray(xp, x), g)
    np.testing.assert_array_equal(to_np(got), expected)
    assert channels.shuffle_permutation(c, g) == [int(v) for v in expected[0, :, 0] // 3]


def test_shuffle_then_unshuffle_is_identity(xp):
    x = asarray(xp, np.random.default_rng(0).standard_normal((1, 12, 2, 2)))
    y = channels.channel_shuffle(channels.channel_shuffle(x, 3), 4)
    np.testing.assert_array_equal(to_np(y), to_np(x))


def test_errors(xp):
    with pytest.raises(ValueError, match=r"^groups=4 does not divide in_channels=6$"):
        channels.channel_shuffle(asarray(xp, np.ones((1, 6, 2))), 4)
    with pytest.raises(
        ValueError, match=re.escape("x must have shape (N, C, *spatial), got (6,)")
    ):
        channels.channel_shuffle(asarray(xp, np.ones(6)), 2)
    with pytest.raises(ValueError, match=r"^out_channel=8 is not in 0\.\.7$"):
        channels.input_channels(8, 8, 8, 2)
    with pytest.raises(ValueError, match=r"^groups=0 must be positive$"):
        channels.connectivity(4, 4, 0)


@pytest.mark.parametrize(("c", "g"), [(6, 2), (6, 3), (12, 4), (5, 5)])
def test_unshuffle_inverts_shuffle(xp, c, g):
    x = asarray(xp, np.random.default_rng(1).standard_normal((2, c, 3)))
    np.testing.assert_array_equal(
        to_np(channels.channel_unshuffle(channels.channel_shuffle(x, g), g)), to_np(x)
    )
    np.testing.assert_array_equal(
        to_np(channels.channel_shuffle(channels.channel_unshuffle(x, g), g)), to_np(x)
    )


@pytest.mark.parametrize(("c_in", "c_out", "groups"), [(4, 6, 2), (6, 6, 3), (4, 8, 4), (3, 3, 1)])
def test_block_diagonal_weight_gives_the_grouped_convolution(xp, c_in, c_out, groups):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, c_in, 5, 5))
    w = rng.standard_normal((c_out, c_in // groups, 3, 3))
    dense = channels.block_diagonal(asarray(xp, w), groups)
    assert dense.shape == (c_out, c_in, 3, 3)
    got = convnb.conv(asarray(xp, x), dense, padding=1)
    want = reference.conv(x, w, padding=1, groups=groups)
    np.testing.assert_allclose(to_np(got), want, rtol=1e-10, atol=1e-10)
    # and the zeros are exactly where no weight exists
    mask = channel_dependence(c_in, c_out, groups)
    assert np.array_equal(np.any(to_np(dense) != 0, axis=(2, 3)), mask)


def test_channel_shuffle_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(3).standard_normal((2, 12, 3, 3))
    for g in (2, 3, 4, 6):
        want = torch.nn.ChannelShuffle(g)(torch.from_numpy(x)).numpy()
        np.testing.assert_array_equal(channels.channel_shuffle(x, g), want)
