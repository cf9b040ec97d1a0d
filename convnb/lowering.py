"""im2col: convolution as one matrix product.

Shapes: ``x`` is ``(N, C, *spatial)``; the kernel has ``K = prod(kernel_size)`` taps and the
output ``P = prod(out)`` positions. :func:`im2col` gathers, for every output position, the
``C * K`` input samples its window covers into one column, giving ``(N, C * K, P)``. Then a
convolution with ``groups=1`` is

    y = weight.reshape(C_out, C * K) @ im2col(x)       # (N, C_out, P)

Rows are ordered channel first, then tap (the order of ``weight.reshape(C_out, -1)``), and
the taps come from :func:`convnb.windows.tap_slices`, the same map :func:`convnb.conv` uses.
The matrix is ``K`` times larger than the input: fine for teaching and for small inputs,
which is why :func:`convnb.conv` builds it in chunks of output rows
(:mod:`convnb.kernels`).
"""

from __future__ import annotations

import math

from . import arithmetic
from ._backend import arrays, at_least
from ._typing import Array, ArrayLike
from .padding import check_mode, pad
from .windows import tap_slices

__all__ = ["im2col"]


def im2col(
    x: ArrayLike,
    kernel_size: int | tuple[int, ...],
    *,
    stride: int | tuple[int, ...] = 1,
    padding: int | str | tuple = 0,
    dilation: int | tuple[int, ...] = 1,
    padding_mode: str = "zeros",
) -> Array:
    """Unfold the windows of a convolution into the columns of a matrix.

    Parameters
    ----------
    x : array_like, shape (N, C, *spatial)
        Input with 1 to 3 spatial dimensions.
    kernel_size : int or tuple of int
        Kernel size per spatial dimension.
    stride : int or tuple of int, default 1
        As in :func:`convnb.conv`.
    padding : int, tuple, "valid" or "same", default 0
        As in :func:`convnb.conv`.
    dilation : int or tuple of int, default 1
        As in :func:`convnb.conv`.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
        As in :func:`convnb.conv`.

    Returns
    -------
    array, shape (N, C * prod(kernel_size), prod(out))
        Column ``p`` holds the samples of output position ``p``'s window (row-major
        positions), channel by channel.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> im2col(x, 2)[0]
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])

    PyTorch's ``torch.nn.functional.unfold`` computes the same matrix for 2-D inputs.
    """
    xp, (x,) = arrays(x, names=["x"])
    nd = x.ndim - 2
    if nd not in (1, 2, 3):
        raise ValueError(
            f"x must have shape (N, C, *spatial) with 1 to 3 spatial "
            f"dimensions, got shape {tuple(x.shape)}"
        )
    kernel = at_least(kernel_size, 1, "kernel_size", nd)
    check_mode(padding_mode)
    stride, dilation, pads, out = arithmetic.geometry(
        x.shape[2:], kernel, stride, padding, dilation
    )
    x = pad(x, pads, mode=padding_mode)
    n, c = x.shape[:2]
    taps = [x[(..., *window)] for window in tap_slices(kernel, stride, dilation, out)]
    cols = xp.stack(taps, axis=2)  # (N, C, K, *out)
    return xp.reshape(cols, (n, c * len(taps), math.prod(out)))
