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
from ._backend import FLOATING, arrays, check_groups
from ._typing import Array, ArrayLike
from .convolution import check, compute

__all__ = ["Separation", "separate", "spatially_separable_conv2d"]


class Separation(NamedTuple):
    """A 2-D kernel split into a column and a row (see :func:`separate`).


    Parameters
    ----------
    column, row : array
        Shapes ``(kH,)`` and ``(kW,)``.
    rank : int
        Matrix rank of the kernel; 1 means the split is exact.
    error : float
        Relative Frobenius error of ``outer(column, row)``.
    """

    column: Any  #: shape (kH,)
    row: Any  #: shape (kW,)
    rank: int  #: matrix rank of the kernel: 1 means the split is exact
    error: float  #: relative error ||K - outer(column, row)|| / ||K|| (Frobenius)


def separate(kernel: ArrayLike, *, rtol: float = 1e-10) -> Separation:
    """Split a 2-D kernel into the column and row whose outer product is closest to it.

    Parameters
    ----------
    kernel : array_like, shape (kH, kW)
        Real floating-point kernel, finite.
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
    xp, (kernel,) = arrays(kernel, names=["kernel"], kinds=("real floating",))
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D (kH, kW), got shape {tuple(kernel.shape)}")
    if not bool(xp.all(xp.isfinite(kernel))):
        raise ValueError(f"kernel must be finite, got {kernel!r}")
    u, s, vt = xp.linalg.svd(kernel, full_matrices=False)
    top = float(s[0])
    if top == 0.0:
        column, row = (xp.zeros(n, dtype=kernel.dtype) for n in kernel.shape)
        return Separation(column, row, 0, 0.0)
    rank = int(xp.sum(xp.astype(s > rtol * top, xp.int64)))
    scale = top**0.5
    column, row = u[:, 0] * scale, vt[0, :] * scale
    # make the largest entry of the column positive, so the split is deterministic
    if float(column[int(xp.argmax(xp.abs(column)))]) < 0:
        column, row = -column, -row
    error = float(xp.sqrt(xp.sum(s[1:] ** 2)) / xp.sqrt(xp.sum(s**2)))
    return Separation(column, row, rank, error)


def spatially_separable_conv2d(
    x: ArrayLike,
    column: ArrayLike,
    row: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: int | tuple[int, int] = 1,
    padding: int | str | tuple = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> Array:
    """A k_H x k_W convolution computed as a k_H x 1 pass followed by a 1 x k_W pass.

    Parameters
    ----------
    x : array_like, shape (N, C_in, H, W)
        Input.
    column : array_like, shape (C_mid, C_in // groups, kH, 1)
        The vertical kernels.
    row : array_like, shape (C_out, C_mid // groups, 1, kW)
        The horizontal kernels.
    bias : array_like, shape (C_out,), optional
        Added after the second pass.
    stride : int or (int, int), default 1
        Of the k_H x k_W layer the two passes stand for.
    padding : int, tuple, "valid" or "same", default 0
        Of the k_H x k_W layer; ``"same"`` is resolved for the whole kernel.
    dilation : int or (int, int), default 1
        Of the k_H x k_W layer.
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
    names = ["x", "column", "row", "bias"]
    xp, (x, column, row, bias) = arrays(x, column, row, bias, names=names, kinds=FLOATING)
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
    _, _, g = check_groups(column.shape[0], row.shape[0], groups)
    if row.shape[1] * g != column.shape[0]:
        raise ValueError(
            f"row has {row.shape[1]} input channels per group, so groups={g} needs "
            f"{row.shape[1] * g} channels from column, but column has {column.shape[0]}"
        )
    kernel = (column.shape[2], row.shape[3])
    stride, dilation, pads, _ = arithmetic.geometry(x.shape[2:], kernel, stride, padding, dilation)
    x, _, g, first = check(
        x,
        column,
        None,
        (stride[0], 1),
        (pads[0], 0),
        (dilation[0], 1),
        groups,
        names=("x", "column", "bias"),
    )
    middle = compute(xp, x, column, None, g, first)
    _, _, _, second = check(middle, row, bias, (1, stride[1]), (0, pads[1]), (1, dilation[1]), g)
    return compute(xp, middle, row, bias, g, second)
