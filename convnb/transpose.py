"""Transposed convolution ("deconvolution"), in 1, 2 and 3 spatial dimensions.

Shapes follow PyTorch: input ``x`` is ``(N, C_in, *spatial)``, weight is
``(C_in, C_out / groups, *kernel)`` (note: in channels first, the layout of the
convolution it is the transpose of), bias is ``(C_out,)``; the output size per dimension is
:func:`convnb.arithmetic.conv_transpose_output_size`.

Every input sample is scattered onto the output, scaled by the kernel:

    y_full[n, g*O + o, p*s + t*d] += x[n, g*C + c, p] * w[g*C + c, o, t]

(``C = C_in / groups``, ``O = C_out / groups``, ``g`` the group, ``t`` the kernel tap)

and ``padding`` then trims ``p`` samples from both ends (``output_padding`` extra at the
end). It is the adjoint of :func:`convnb.conv` with the same arguments: the scatter
positions are the convolution's gather positions, :func:`convnb.windows.tap_slices`.
"""

from __future__ import annotations

import math

from array_api_compat import device as _device

from . import arithmetic
from ._backend import (
    FLOATING,
    arrays,
    as_int,
    as_tuple,
    at_least,
    batched,
    check_groups,
    fixed_rank,
    result_dtype,
)
from ._typing import Array, ArrayLike
from .windows import tap_slices

__all__ = ["conv_transpose", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]


def conv_transpose(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: int | tuple[int, ...] = 1,
    padding: int | tuple[int, ...] = 0,
    output_padding: int | tuple[int, ...] = 0,
    groups: int = 1,
    dilation: int | tuple[int, ...] = 1,
) -> Array:
    """Transposed convolution with PyTorch's semantics (``conv_transpose{1,2,3}d``).

    Parameters
    ----------
    x : array_like, shape (N, C_in, *spatial) or (C_in, *spatial)
        Input (array-likes as in :func:`convnb.conv`).
    weight : array_like, shape (C_in, C_out // groups, *kernel)
        Kernels, input channels first.
    bias : array_like, shape (C_out,), optional
        Added to every output position of each output channel.
    stride, dilation : int or tuple of int, default 1
        Of the convolution this is the transpose of.
    padding : int or tuple of int, default 0
        Samples trimmed from both ends of each output dimension (``d*(k-1) - padding`` is
        the zero padding of the equivalent direct convolution).
    output_padding : int or tuple of int, default 0
        Extra samples at the end of each output dimension; must be smaller than the stride
        or the dilation. It picks which of the input sizes that a strided convolution maps
        to the same size the transposed convolution returns to.
    groups : int, default 1
        As in :func:`convnb.conv`.

    Returns
    -------
    array, shape (N, C_out, *out)
        ``out = (i - 1)*s - 2*padding + d*(k - 1) + output_padding + 1``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[1.0, 2.0]]])                  # (N=1, C=1, L=2)
    >>> w = np.array([[[1.0, 10.0, 100.0]]])          # (C_in=1, C_out=1, k=3)
    >>> conv_transpose(x, w, stride=2)                # 1*w at 0, 2*w at 2, overlapping once
    array([[[  1.,  10., 102.,  20., 200.]]])
    """
    xp, (x, weight, bias) = arrays(x, weight, bias, names=["x", "weight", "bias"], kinds=FLOATING)
    x, unbatched = batched(x, weight, "(C_in, C_out/groups, *kernel)")
    nd = weight.ndim - 2
    c_in = x.shape[1]
    if weight.shape[0] != c_in:
        raise ValueError(
            f"weight has {weight.shape[0]} input channels (its first axis), x has {c_in}"
        )
    c_out = weight.shape[1] * as_int(groups, "groups")
    _, _, groups = check_groups(c_in, c_out, groups)
    if bias is not None and tuple(bias.shape) != (c_out,):
        raise ValueError(f"bias must have shape ({c_out},), got {tuple(bias.shape)}")
    stride = at_least(stride, 1, "stride", nd)
    dilation = at_least(dilation, 1, "dilation", nd)
    pads = tuple(as_int(p, "padding") for p in as_tuple(padding, nd, "padding"))
    extra = tuple(
        as_int(p, "output_padding") for p in as_tuple(output_padding, nd, "output_padding")
    )
    kernel, spatial = tuple(weight.shape[2:]), tuple(x.shape[2:])
    out = tuple(
        arithmetic.conv_transpose_output_size(*args)
        for args in zip(spatial, kernel, stride, pads, dilation, extra, strict=True)
    )
    y = scatter(xp, x, weight, bias, stride, dilation, groups, start=pads, size=out)
    return y[0, ...] if unbatched else y


def scatter(xp, x, weight, bias, stride, dilation, groups, start, size):
    """Scatter-add every input sample times the kernel, then keep ``size`` samples per
    dimension from ``start`` on. Shared by :func:`conv_transpose` and the gradient of
    :func:`convnb.conv` with respect to its input (which may need asymmetric trimming).
    The arguments are checked by the caller."""
    n_batch, c_in = x.shape[:2]
    c_out = weight.shape[1] * groups
    dtype = result_dtype(xp, x=x, weight=weight, bias=bias)
    nd = weight.ndim - 2
    kernel, spatial = tuple(weight.shape[2:]), tuple(x.shape[2:])
    n_in, n_out = c_in // groups, c_out // groups
    full = tuple(
        max((i - 1) * s + d * (k - 1) + 1, b + o)
        for i, s, d, k, b, o in zip(spatial, stride, dilation, kernel, start, size, strict=True)
    )
    acc = xp.zeros((n_batch, groups, n_out, *full), dtype=dtype, device=_device(x))
    # weight[c, o, *t] as (groups, C_out/groups, C_in/groups, taps): one matrix per tap
    w = xp.reshape(xp.astype(weight, dtype, copy=False), (groups, n_in, n_out, -1))
    w = xp.permute_dims(w, (0, 2, 1, 3))
    cols = xp.reshape(xp.astype(x, dtype, copy=False), (n_batch, groups, n_in, math.prod(spatial)))
    for tap, window in enumerate(tap_slices(kernel, stride, dilation, spatial)):
        term = xp.reshape(w[:, :, :, tap] @ cols, (n_batch, groups, n_out, *spatial))
        index = (slice(None), slice(None), slice(None), *window)
        acc[index] = acc[index] + term
    crop = tuple(slice(b, b + o) for b, o in zip(start, size, strict=True))
    y = xp.reshape(acc[(..., *crop)], (n_batch, c_out, *size))
    if bias is not None:
        y = y + xp.reshape(xp.astype(bias, dtype, copy=False), (c_out,) + (1,) * nd)
    return y


conv_transpose1d, conv_transpose2d, conv_transpose3d = (
    fixed_rank(
        conv_transpose,
        f"conv_transpose{nd}d",
        nd,
        "weight",
        f"(C_in, C_out/groups{', k' * nd})",
        f">>> conv_transpose{nd}d(np.ones((1, 2{', 3' * nd})), "
        f"np.ones((2, 4{', 2' * nd}))).shape\n"
        f"    (1, 4{', 4' * nd})",
        globals(),
    )
    for nd in (1, 2, 3)
)
