"""Flattened convolution (Jin, Dundar and Culurciello 2014): a 3-D filter as three 1-D ones.

A standard filter of output channel ``o`` is a ``C_in x k_H x k_W`` block of weights. A
flattened layer restricts it to a rank-one product of three 1-D filters, one per direction
(the paper's Section 3 and Figure 2): lateral (across channels) ``a[o, c]``, vertical
``b[o, u]`` and horizontal ``h[o, v]``,

    W[o, c, u, v] = a[o, c] * b[o, u] * h[o, v],

and computes it as three 1-D convolutions in a row: a pointwise layer ``C_in -> C_out``
(L), then a ``k_H x 1`` depthwise layer (V), then a ``1 x k_W`` depthwise layer (H). It has
``C_out (C_in + k_H + k_W)`` weights instead of ``C_out C_in k_H k_W``.
Shapes: ``x`` is ``(N, C_in, H, W)``; ``lateral`` ``(C_out, C_in)``, ``vertical``
``(C_out, k_H)``, ``horizontal`` ``(C_out, k_W)``.
"""

from __future__ import annotations

from ._backend import at_least, namespace
from ._typing import Array
from .convolution import conv2d, pointwise_conv

__all__ = ["flattened_conv2d", "flattened_weight"]


def _shapes(lateral, vertical, horizontal) -> None:
    """Raise unless the three filters are 2-D with one row per output channel."""
    if len(lateral.shape) != 2 or len(vertical.shape) != 2 or len(horizontal.shape) != 2:
        raise ValueError(
            "lateral, vertical and horizontal must be 2-D (C_out, length), got shapes "
            f"{tuple(lateral.shape)}, {tuple(vertical.shape)}, {tuple(horizontal.shape)}"
        )
    outs = {lateral.shape[0], vertical.shape[0], horizontal.shape[0]}
    if len(outs) != 1:
        raise ValueError(
            "lateral, vertical and horizontal must have the same number of rows (C_out), got "
            f"{lateral.shape[0]}, {vertical.shape[0]}, {horizontal.shape[0]}"
        )


def flattened_weight(lateral: Array, vertical: Array, horizontal: Array) -> Array:
    """The standard weight a flattened layer is equal to: one rank-one filter per output.

    Parameters
    ----------
    lateral : Array
        Shape ``(C_out, C_in)``: the filter across channels.
    vertical : Array
        Shape ``(C_out, k_H)``.
    horizontal : Array
        Shape ``(C_out, k_W)``.

    Returns
    -------
    Array
        Shape ``(C_out, C_in, k_H, k_W)``, ``W[o, c, u, v] = lateral[o, c] * vertical[o, u]
        * horizontal[o, v]``.

    Examples
    --------
    >>> import numpy as np
    >>> w = flattened_weight(np.ones((2, 3)), np.ones((2, 5)), np.ones((2, 5)))
    >>> w.shape, float(w.sum())
    ((2, 3, 5, 5), 150.0)
    """
    _shapes(lateral, vertical, horizontal)
    return lateral[:, :, None, None] * vertical[:, None, :, None] * horizontal[:, None, None, :]


def flattened_conv2d(
    x: Array,
    lateral: Array,
    vertical: Array,
    horizontal: Array,
    *,
    padding: int | tuple[int, int] = 0,
) -> Array:
    """A flattened layer: lateral (1x1), vertical (k_H x 1), horizontal (1 x k_W) in a row.

    Parameters
    ----------
    x : Array
        Shape ``(N, C_in, H, W)``.
    lateral, vertical, horizontal : Array
        The three 1-D filters per output channel, as in :func:`flattened_weight`.
    padding : int or tuple of int
        Zero padding ``p`` or ``(p_H, p_W)`` on both sides, as for the standard layer.

    Returns
    -------
    Array
        Shape ``(N, C_out, H_out, W_out)``, equal to
        ``conv2d(x, flattened_weight(lateral, vertical, horizontal), padding=padding)``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.ones((1, 3, 6, 6))
    >>> flattened_conv2d(x, np.ones((4, 3)), np.ones((4, 3)), np.ones((4, 3))).shape
    (1, 4, 4, 4)
    """
    namespace(x, lateral, vertical, horizontal)  # one array library, or a clear error
    _shapes(lateral, vertical, horizontal)
    p_h, p_w = at_least(padding, 0, "padding", 2)
    c_out = lateral.shape[0]
    y = pointwise_conv(x, lateral)
    y = conv2d(y, vertical[:, None, :, None], padding=(p_h, 0), groups=c_out)
    return conv2d(y, horizontal[:, None, None, :], padding=(0, p_w), groups=c_out)
