"""Channel structure: which input channels feed which output channels, and channel shuffle.

A convolution with ``groups=g`` splits ``C_in`` input and ``C_out`` output channels into
``g`` equal groups; output channel ``o`` belongs to group ``o // (C_out / g)`` and reads
only that group's ``C_in / g`` input channels. ``g = 1`` is a dense convolution,
``g = C_in`` a depthwise one (``C_out = m * C_in`` for channel multiplier ``m``).

Channel shuffle (ShuffleNet, Zhang et al. 2018) interleaves the groups so that the next
grouped layer mixes information across them: output channel ``j`` is input channel
``(j % g) * (C / g) + j // g``.
"""

from __future__ import annotations

from array_api_compat import device as _device

from ._backend import arrays, as_int, check_groups

__all__ = [
    "block_diagonal",
    "channel_shuffle",
    "channel_unshuffle",
    "connectivity",
    "input_channels",
    "shuffle_permutation",
]


def input_channels(out_channel, in_channels, out_channels, groups=1) -> range:
    """The input channels that output channel ``out_channel`` reads.

    Parameters
    ----------
    out_channel : int
        An output channel.
    in_channels, out_channels, groups : int
        As in :func:`convnb.conv`.

    Returns
    -------
    range
        The input channels it reads.

    Examples
    --------
    >>> input_channels(5, in_channels=8, out_channels=8, groups=4)
    range(4, 6)
    >>> input_channels(5, in_channels=4, out_channels=8, groups=4)  # depthwise, multiplier 2
    range(2, 3)
    """
    c_in, c_out, g = check_groups(in_channels, out_channels, groups)
    o = as_int(out_channel, "out_channel")
    if not 0 <= o < c_out:
        raise ValueError(f"out_channel={o} is not in 0..{c_out - 1}")
    group = o // (c_out // g)
    return range(group * (c_in // g), (group + 1) * (c_in // g))


def connectivity(in_channels, out_channels, groups=1) -> list[list[bool]]:
    """Which weights exist: entry ``[o][c]`` is True when output ``o`` reads input ``c``.

    For ``groups > 1`` this is block-diagonal, the dense weight matrix a grouped convolution
    is equal to once the missing blocks are filled with zeros.

    Parameters
    ----------
    in_channels, out_channels, groups : int
        As in :func:`convnb.conv`.

    Returns
    -------
    list of list of bool
        ``[o][c]``: whether output channel ``o`` reads input channel ``c``.

    Examples
    --------
    >>> for row in connectivity(4, 2, groups=2):
    ...     print("".join("x" if w else "." for w in row))
    xx..
    ..xx
    """
    c_in, c_out, g = check_groups(in_channels, out_channels, groups)
    return [[c in input_channels(o, c_in, c_out, g) for c in range(c_in)] for o in range(c_out)]


def shuffle_permutation(channels, groups) -> list[int]:
    """Source channel of every output channel of :func:`channel_shuffle`.

    Parameters
    ----------
    channels, groups : int
        Channel count and groups.

    Returns
    -------
    list of int
        Output channel ``j`` is input channel ``result[j]``.

    Examples
    --------
    >>> shuffle_permutation(6, 2)
    [0, 3, 1, 4, 2, 5]
    """
    c, _, g = check_groups(channels, channels, groups)
    return [(j % g) * (c // g) + j // g for j in range(c)]


def channel_shuffle(x, groups):
    """Interleave the channel groups of ``x`` (ShuffleNet's channel shuffle).

    Parameters
    ----------
    x : array, shape (N, C, *spatial)
        Input; ``C`` must be divisible by ``groups``.
    groups : int
        Number of groups to interleave.

    Returns
    -------
    array, shape (N, C, *spatial)
        ``y[:, j] = x[:, shuffle_permutation(C, groups)[j]]``, computed as a reshape to
        ``(N, groups, C / groups, ...)``, a swap of the two channel axes, and a reshape back.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(6).reshape(1, 6, 1)
    >>> channel_shuffle(x, 2)[0, :, 0]
    array([0, 3, 1, 4, 2, 5])
    """
    xp, x, g = _channel_groups(x, groups)
    n, c, *rest = x.shape
    y = xp.reshape(x, (n, g, c // g, *rest))
    y = xp.permute_dims(y, (0, 2, 1, *range(3, 3 + len(rest))))
    return xp.reshape(y, (n, c, *rest))


def channel_unshuffle(x, groups):
    """The inverse of :func:`channel_shuffle`: ``channel_unshuffle(channel_shuffle(x, g), g)``
    is ``x``. It is itself a shuffle, with ``C / groups`` groups.

    Parameters
    ----------
    x : array_like, shape (N, C, *spatial)
        Input.
    groups : int
        As given to :func:`channel_shuffle`.

    Returns
    -------
    array, shape (N, C, *spatial)
        The channels in their order before the shuffle.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(6).reshape(1, 6, 1)
    >>> channel_unshuffle(channel_shuffle(x, 3), 3)[0, :, 0]
    array([0, 1, 2, 3, 4, 5])
    """
    _, x, g = _channel_groups(x, groups)
    return channel_shuffle(x, x.shape[1] // g)


def _channel_groups(x, groups):
    """The namespace, ``x`` as an array of shape (N, C, *spatial), and checked ``groups``."""
    xp, (x,) = arrays(x, names=["x"])
    if x.ndim < 2:
        raise ValueError(f"x must have shape (N, C, *spatial), got {tuple(x.shape)}")
    return xp, x, check_groups(x.shape[1], x.shape[1], groups)[2]


def block_diagonal(weight, groups):
    """The dense weight that a grouped convolution's weight stands for.

    A grouped convolution with weight ``(C_out, C_in / groups, *kernel)`` computes exactly
    what a dense convolution (``groups=1``) computes with this ``(C_out, C_in, *kernel)``
    weight: each group's block on the diagonal, zeros everywhere else.

    Parameters
    ----------
    weight : array_like, shape (C_out, C_in // groups, *kernel)
        A grouped weight.
    groups : int
        Number of groups.

    Returns
    -------
    array, shape (C_out, C_in, *kernel)
        The dense weight with zeros outside the groups.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.arange(1.0, 5.0).reshape(4, 1, 1)  # 4 outputs, 2 groups of 2 -> 2 inputs
    >>> block_diagonal(w, groups=2)[:, :, 0]
    array([[1., 0.],
           [2., 0.],
           [0., 3.],
           [0., 4.]])
    """
    xp, (weight,) = arrays(weight, names=["weight"])
    if weight.ndim < 2:
        raise ValueError(
            f"weight must have shape (C_out, C_in/groups, *kernel), got {tuple(weight.shape)}"
        )
    c_out, per_in = weight.shape[:2]
    _, _, g = check_groups(per_in * as_int(groups, "groups"), c_out, groups)
    per_out = c_out // g
    dense = xp.zeros(
        (c_out, per_in * g, *weight.shape[2:]), dtype=weight.dtype, device=_device(weight)
    )
    for k in range(g):
        rows = slice(k * per_out, (k + 1) * per_out)
        dense[rows, k * per_in : (k + 1) * per_in, ...] = weight[rows, ...]
    return dense
