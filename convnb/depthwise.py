"""Depthwise and depthwise-separable convolution, in 1, 2 and 3 spatial dimensions.

Shapes (PyTorch's): input ``x`` is ``(N, C, *spatial)``; a depthwise weight is
``(C * m, 1, *kernel)`` for channel multiplier ``m`` (output channel ``c * m + j`` is the
``j``-th filter of input channel ``c``); a pointwise weight is ``(C_out, C * m)`` or
``(C_out, C * m, 1, ..., 1)``.

A depthwise convolution is :func:`convnb.conv` with ``groups = C``, and a depthwise-separable
convolution (Xception, MobileNet) is a depthwise convolution followed by a pointwise one.
Both are written here in terms of :func:`convnb.conv`: one implementation of the arithmetic,
whatever the number of spatial dimensions.
"""

from __future__ import annotations

from ._backend import FLOATING, arrays, fixed_rank
from ._typing import Array, ArrayLike
from .convolution import check, compute
from .padding import check_mode

__all__ = [
    "depthwise_conv",
    "depthwise_conv2d",
    "depthwise_conv3d",
    "separable_conv",
    "separable_conv2d",
    "separable_conv3d",
]


def _check_depthwise(x, weight, name):
    if x.ndim < 3 or weight.ndim != x.ndim:
        raise ValueError(
            f"x must be (N, C, *spatial) and {name} (C*multiplier, 1, *kernel) of the same "
            f"rank, got shapes {tuple(x.shape)} and {tuple(weight.shape)}"
        )
    c = x.shape[1]
    if weight.shape[1] != 1 or weight.shape[0] % c or weight.shape[0] == 0:
        raise ValueError(
            f"{name} must have shape (C*multiplier, 1, *kernel) for C={c} input channels, "
            f"got {tuple(weight.shape)}"
        )
    return c


def depthwise_conv(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: int | tuple[int, ...] = 1,
    padding: int | str | tuple = 0,
    dilation: int | tuple[int, ...] = 1,
    padding_mode: str = "zeros",
) -> Array:
    """Depthwise convolution: every input channel convolved with its own filters.

    Parameters
    ----------
    x : array_like, shape (N, C, *spatial)
        Input with 1 to 3 spatial dimensions.
    weight : array_like, shape (C * m, 1, *kernel)
        ``m`` filters per input channel (the channel multiplier, read from the shape).
    bias : array_like, shape (C * m,), optional
        Added to every position of each output channel.
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
    array, shape (N, C * m, *out)
        ``conv(x, weight, bias, groups=C, ...)``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.ones((1, 2, 4, 4))
    >>> w = np.stack([np.full((1, 3, 3), v) for v in (1.0, 2.0, 3.0, 4.0)])  # multiplier 2
    >>> depthwise_conv(x, w)[0, :, 0, 0]
    array([ 9., 18., 27., 36.])
    """
    xp, (x, weight, bias) = arrays(x, weight, bias, names=["x", "weight", "bias"], kinds=FLOATING)
    c = _check_depthwise(x, weight, "weight")
    check_mode(padding_mode)
    x, _, groups, geom = check(x, weight, bias, stride, padding, dilation, c)
    return compute(xp, x, weight, bias, groups, geom, padding_mode)


def separable_conv(
    x: ArrayLike,
    depthwise_weight: ArrayLike,
    pointwise_weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: int | tuple[int, ...] = 1,
    padding: int | str | tuple = 0,
    dilation: int | tuple[int, ...] = 1,
    padding_mode: str = "zeros",
) -> Array:
    """Depthwise-separable convolution: a depthwise convolution, then a pointwise one.

    Parameters
    ----------
    x : array_like, shape (N, C, *spatial)
        Input with 1 to 3 spatial dimensions.
    depthwise_weight : array_like, shape (C * m, 1, *kernel)
        The depthwise filters, ``m`` per input channel.
    pointwise_weight : array_like, shape (C_out, C * m) or (C_out, C * m, 1, ..., 1)
        The channel-mixing matrix.
    bias : array_like, shape (C_out,), optional
        Added after the pointwise step (as Keras's ``SeparableConv2D`` does). There is no
        nonlinearity between the two steps, as in Xception and Keras.
    stride : int or tuple of int, default 1
        Of the depthwise step.
    padding : int, tuple, "valid" or "same", default 0
        Of the depthwise step.
    dilation : int or tuple of int, default 1
        Of the depthwise step.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
        Of the depthwise step.

    Returns
    -------
    array, shape (N, C_out, *out)
        ``out`` is the depthwise step's output size (see :func:`convnb.conv`).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.ones((1, 3, 5, 5))
    >>> separable_conv(x, np.ones((3, 1, 3, 3)), np.ones((8, 3)), padding=1).shape
    (1, 8, 5, 5)
    """
    names = ["x", "depthwise_weight", "pointwise_weight", "bias"]
    xp, (x, dw, pw, bias) = arrays(
        x, depthwise_weight, pointwise_weight, bias, names=names, kinds=FLOATING
    )
    c = _check_depthwise(x, dw, "depthwise_weight")
    check_mode(padding_mode)
    nd, shown = x.ndim - 2, tuple(pw.shape)
    if pw.ndim == 2:
        pw = xp.reshape(pw, (*pw.shape, *(1,) * nd))
    if pw.ndim != nd + 2 or tuple(pw.shape[2:]) != (1,) * nd or pw.shape[1] != dw.shape[0]:
        raise ValueError(
            f"pointwise_weight must have shape (C_out, {dw.shape[0]}) or (C_out, "
            f"{dw.shape[0]}{', 1' * nd}) for the {dw.shape[0]} channels of the depthwise "
            f"step, got {shown}"
        )
    if bias is not None and tuple(bias.shape) != (pw.shape[0],):
        raise ValueError(f"bias must have shape ({pw.shape[0]},), got {tuple(bias.shape)}")
    x, _, groups, geom = check(x, dw, None, stride, padding, dilation, c)
    middle = compute(xp, x, dw, None, groups, geom, padding_mode)
    _, _, _, unit = check(middle, pw, bias, 1, 0, 1, 1)
    return compute(xp, middle, pw, bias, 1, unit)


def _example(function, nd):
    kernel = "np.ones((2, 1" + ", 3" * nd + "))"
    weights, c_out = (
        (kernel, 2) if function is depthwise_conv else (kernel + ", np.ones((4, 2))", 4)
    )
    return (
        f">>> {function.__name__}{nd}d(np.ones((1, 2{', 5' * nd})), {weights}).shape\n"
        f"    (1, {c_out}{', 3' * nd})"
    )


depthwise_conv2d, depthwise_conv3d, separable_conv2d, separable_conv3d = (
    fixed_rank(
        function,
        f"{function.__name__}{nd}d",
        nd,
        "x",
        f"(N, C, {', '.join('DHW'[3 - nd :])})",
        _example(function, nd),
        globals(),
    )
    for function in (depthwise_conv, separable_conv)
    for nd in (2, 3)
)
