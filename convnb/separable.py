"""Spatially separable kernels: a k x k kernel as a k x 1 column times a 1 x k row.

A 2-D kernel ``K`` (shape ``(kH, kW)``) is separable when it is an outer product
``K = outer(column, row)``, i.e. when its matrix rank is 1. Then convolving with ``K`` is
convolving with ``column`` down the rows and with ``row`` along them, which costs
``kH + kW`` multiplications per output instead of ``kH * kW`` (6 instead of 9 for 3x3).
Sobel, box and Gaussian kernels are separable; a random kernel is not, and the best one can
do is the rank-1 approximation from the singular value decomposition.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from . import arithmetic
from ._backend import check_dtype, namespace, positive_ints
from .conv import conv

__all__ = ["Separation", "separate", "spatially_separable_conv2d"]


class Separation(NamedTuple):
    """A 2-D kernel split into a column and a row (see :func:`separate`)."""

    column: Any  #: shape (kH,)
    row: Any  #: shape (kW,)
    rank: int  #: matrix rank of the kernel: 1 means the split is exact
    error: float  #: relative error ||K - outer(column, row)|| / ||K|| (Frobenius)


def separate(kernel, *, rtol=1e-10) -> Separation:
    """Split a 2-D kernel into the column and row whose outer product is closest to it.

    Parameters
    ----------
    kernel : array, shape (kH, kW)
        Real floating-point kernel.
    rtol : float, default 1e-10
        Singular values below ``rtol`` times the largest one count as zero for the rank.

    Returns
    -------
    Separation
        ``column`` and ``row`` (the leading singular vectors, each scaled by the square
        root of the leading singular value), the ``rank`` of the kernel, and the relative
        ``error`` of the rank-1 approximation (0 when the rank is 1).

    Examples
    --------
    >>> import numpy as np
    >>> sobel = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    >>> s = separate(sobel)
    >>> s.rank, round(s.error, 12)
    (1, 0.0)
    >>> np.allclose(np.outer(s.column, s.row), sobel)
    True
    """
    xp = namespace(kernel, names=["kernel"])
    check_dtype(xp, kernel, "kernel", ("real floating",))
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D (kH, kW), got shape {tuple(kernel.shape)}")
    u, s, vt = xp.linalg.svd(kernel, full_matrices=False)
    top = float(s[0])
    if top == 0.0:
        zeros_h = xp.zeros(kernel.shape[0], dtype=kernel.dtype)
        zeros_w = xp.zeros(kernel.shape[1], dtype=kernel.dtype)
        return Separation(zeros_h, zeros_w, 0, 0.0)
    rank = int(xp.sum(xp.astype(s > rtol * top, xp.int64)))
    scale = top**0.5
    column, row = u[:, 0] * scale, vt[0, :] * scale
    # make the largest entry of the column positive, so the split is deterministic
    if float(column[int(xp.argmax(xp.abs(column)))]) < 0:
        column, row = -column, -row
    error = float(xp.sqrt(xp.sum(s[1:] ** 2)) / xp.sqrt(xp.sum(s**2)))
    return Separation(column, row, rank, error)


def spatially_separable_conv2d(
    x, column, row, bias=None, *, stride=1, padding=0, dilation=1, groups=1
):
    """A k_H x k_W convolution computed as a k_H x 1 pass followed by a 1 x k_W pass.

    Parameters
    ----------
    x : array, shape (N, C_in, H, W)
    column : array, shape (C_mid, C_in // groups, kH, 1)
        The vertical kernels.
    row : array, shape (C_out, C_mid // groups, 1, kW)
        The horizontal kernels.
    bias : array, shape (C_out,), optional
    stride, padding, dilation : as in :func:`convnb.conv`
        For the k_H x k_W layer the two passes stand for; ``padding`` may be ``"same"``.
    groups : int, default 1
        Applied to both passes (``groups = C_in = C_mid = C_out`` filters every channel
        separately, as image processing does).

    Returns
    -------
    array, shape (N, C_out, H_out, W_out)
        The same output as :func:`convnb.conv` with the weight
        ``w[o, c, u, v] = sum_m row[o, m, 0, v] * column[m, c, u, 0]`` (for ``groups=1``),
        at ``k_H + k_W`` instead of ``k_H * k_W`` multiplications per output and channel.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(25.0).reshape(1, 1, 5, 5)
    >>> col = np.array([1.0, 2.0, 1.0]).reshape(1, 1, 3, 1)
    >>> row = np.array([-1.0, 0.0, 1.0]).reshape(1, 1, 1, 3)
    >>> spatially_separable_conv2d(x, col, row)[0, 0]  # Sobel: 8 per column step
    array([[8., 8., 8.],
           [8., 8., 8.],
           [8., 8., 8.]])
    """
    namespace(x, column, row, bias, names=["x", "column", "row", "bias"])
    if x.ndim != 4 or column.ndim != 4 or row.ndim != 4:
        raise ValueError(
            f"x, column and row must all have rank 4, got shapes {tuple(x.shape)}, "
            f"{tuple(column.shape)} and {tuple(row.shape)}"
        )
    if column.shape[3] != 1 or row.shape[2] != 1:
        raise ValueError(
            f"column must be (C_mid, C_in/groups, kH, 1) and row (C_out, C_mid/groups, 1, kW), "
            f"got {tuple(column.shape)} and {tuple(row.shape)}"
        )
    kernel = (column.shape[2], row.shape[3])
    stride = positive_ints(stride, 2, "stride")
    dilation = positive_ints(dilation, 2, "dilation")
    pads = arithmetic.resolve_padding(padding, tuple(x.shape[2:]), kernel, stride, dilation)
    middle = conv(
        x,
        column,
        stride=(stride[0], 1),
        padding=(pads[0], 0),
        dilation=(dilation[0], 1),
        groups=groups,
    )
    return conv(
        middle,
        row,
        bias,
        stride=(1, stride[1]),
        padding=(0, pads[1]),
        dilation=(1, dilation[1]),
        groups=groups,
    )
