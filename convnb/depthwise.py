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

from ._backend import namespace
from .conv import conv, pointwise_conv

__all__ = [
    "depthwise_conv",
    "depthwise_conv2d",
    "depthwise_conv3d",
    "separable_conv",
    "separable_conv2d",
    "separable_conv3d",
]


def _check_depthwise(x, weight, name="depthwise_weight"):
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


def depthwise_conv(x, weight, bias=None, *, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """Depthwise convolution: every input channel convolved with its own filters.

    Parameters
    ----------
    x : array, shape (N, C, *spatial)
        Input with 1 to 3 spatial dimensions.
    weight : array, shape (C * m, 1, *kernel)
        ``m`` filters per input channel (the channel multiplier, read from the shape).
    bias : array, shape (C * m,), optional
    stride, padding, dilation, padding_mode
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
    namespace(x, weight, bias, names=["x", "weight", "bias"])
    c = _check_depthwise(x, weight, "weight")
    return conv(
        x,
        weight,
        bias,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=c,
        padding_mode=padding_mode,
    )


def separable_conv(
    x,
    depthwise_weight,
    pointwise_weight,
    bias=None,
    *,
    stride=1,
    padding=0,
    dilation=1,
    padding_mode="zeros",
):
    """Depthwise-separable convolution: a depthwise convolution, then a pointwise one.

    Parameters
    ----------
    x : array, shape (N, C, *spatial)
    depthwise_weight : array, shape (C * m, 1, *kernel)
    pointwise_weight : array, shape (C_out, C * m) or (C_out, C * m, 1, ..., 1)
    bias : array, shape (C_out,), optional
        Added after the pointwise step (as Keras's ``SeparableConv2D`` does). There is no
        nonlinearity between the two steps, as in Xception and Keras.
    stride, padding, dilation, padding_mode
        Of the depthwise step.

    Returns
    -------
    array, shape (N, C_out, *out)

    Examples
    --------
    >>> import numpy as np
    >>> x = np.ones((1, 3, 5, 5))
    >>> separable_conv(x, np.ones((3, 1, 3, 3)), np.ones((8, 3)), padding=1).shape
    (1, 8, 5, 5)
    """
    namespace(
        x,
        depthwise_weight,
        pointwise_weight,
        bias,
        names=["x", "depthwise_weight", "pointwise_weight", "bias"],
    )
    _check_depthwise(x, depthwise_weight)
    middle = depthwise_conv(
        x,
        depthwise_weight,
        stride=stride,
        padding=padding,
        dilation=dilation,
        padding_mode=padding_mode,
    )
    return pointwise_conv(middle, pointwise_weight, bias)


def _fixed_rank(function, nd):
    def fixed(x, *weights, **kwargs):
        if x.ndim not in (nd + 2,):
            raise ValueError(
                f"{function.__name__}{nd}d expects x of rank {nd + 2} (N, C, "
                f"{', '.join('DHW'[3 - nd :])}), got shape {tuple(x.shape)}"
            )
        return function(x, *weights, **kwargs)

    fixed.__name__ = fixed.__qualname__ = f"{function.__name__}{nd}d"
    fixed.__doc__ = (
        f":func:`{function.__name__}` for {nd}-D inputs ``(N, C, "
        f"{', '.join('DHW'[3 - nd :])})``, with a check of the rank.\n\n"
        "    All arguments are those of :func:`" + function.__name__ + "`.\n"
    )
    return fixed


depthwise_conv2d = _fixed_rank(depthwise_conv, 2)
depthwise_conv3d = _fixed_rank(depthwise_conv, 3)
separable_conv2d = _fixed_rank(separable_conv, 2)
separable_conv3d = _fixed_rank(separable_conv, 3)
