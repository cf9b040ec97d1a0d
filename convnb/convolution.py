"""Convolution in 1, 2 and 3 spatial dimensions, as deep-learning frameworks define it.

Shapes follow PyTorch: input ``x`` is ``(N, C_in, *spatial)`` (or ``(C_in, *spatial)``
without a batch axis), weight is ``(C_out, C_in / groups, *kernel)``, bias is ``(C_out,)``,
and the output is ``(N, C_out, *out)`` with ``out`` given by
:func:`convnb.arithmetic.conv_output_size` per dimension.

"Convolution" here is cross-correlation (the kernel is not flipped):

    y[n, o, p] = b[o] + sum_{c, t} w[o, c, t] * x_pad[n, g*C_in/groups + c, p*s + t*d]

where ``g`` is the group of output channel ``o``, ``t`` runs over kernel taps, ``s`` is the
stride and ``d`` the dilation.
"""

from __future__ import annotations

from . import algorithms, arithmetic, kernels
from ._backend import FLOATING, arrays, batched, check_channels, fixed_rank, result_dtype
from ._typing import Array, ArrayLike
from .padding import check_mode, pad
from .tiled import conv as tiled_conv
from .tiled import is_dask_array

__all__ = ["conv", "conv1d", "conv2d", "conv3d", "pointwise_conv"]


def conv(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: int | tuple[int, ...] = 1,
    padding: int | str | tuple = 0,
    dilation: int | tuple[int, ...] = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
    algorithm: str = "auto",
) -> Array:
    """N-dimensional convolution (cross-correlation) with PyTorch's semantics.

    Parameters
    ----------
    x : array_like, shape (N, C_in, *spatial) or (C_in, *spatial)
        Input. The number of spatial dimensions (1, 2 or 3) is that of the kernel.
        Array-likes (lists, scalars) are converted with the library of the other
        arguments, or with NumPy if none is an array.
    weight : array_like, shape (C_out, C_in // groups, *kernel)
        Kernels.
    bias : array_like, shape (C_out,), optional
        Added to every output position of each output channel.
    stride : int or tuple of int, default 1
        Step between output positions, per spatial dimension.
    padding : int, tuple, "valid" or "same", default 0
        Per spatial dimension an int (both sides) or a ``(before, after)`` pair.
        ``"same"`` uses TensorFlow's rule for any stride: the output has ``ceil(i / s)``
        positions and the odd padding sample goes at the end. For stride 1 that is exactly
        PyTorch's ``padding="same"``; PyTorch refuses ``"same"`` with a stride above 1.
    dilation : int or tuple of int, default 1
        Spacing between kernel taps; 1 is a dense kernel.
    groups : int, default 1
        Input and output channels are split into ``groups`` equal groups, and each output
        group sees only its input group. ``groups == C_in`` is a depthwise convolution.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
        What the padding holds (see :mod:`convnb.padding`).
    algorithm : {"auto", "direct", "winograd", "winograd2", "fft"}, default "auto"
        How to compute it (see :mod:`convnb.algorithms`): the definition's products
        (``"direct"``), Winograd's F(4x4, 3x3) or F(2x2, 3x3) (2-D 3x3 stride-1 layers),
        or the FFT (stride-1 layers). ``"auto"`` picks by shape and dtype
        (:func:`convnb.algorithms.choose`); small layers always run ``"direct"``.

    Returns
    -------
    array, shape (N, C_out, *out)
        ``out[j] = floor((i[j] + p_before[j] + p_after[j] - d[j]*(k[j]-1) - 1) / s[j]) + 1``.
        Same array library and device as the inputs; dtype is their result type.

    Raises
    ------
    TypeError
        For arrays from different libraries, non-floating dtypes, or non-integer arguments.
    ValueError
        For ranks or channel counts that do not fit, ``groups`` that does not divide the
        channels, non-positive stride or dilation, negative padding, an unknown padding
        string or mode, a dilated kernel larger than the padded input, or an ``algorithm``
        that cannot compute this layer (Winograd with stride or dilation 2, say).

    Notes
    -----
    Every library (NumPy included) runs the same array-API code in
    :mod:`convnb.kernels`. For a depthwise layer (``groups == C_in == C_out / m``) it
    multiplies and accumulates one strided slice of the padded input per kernel tap (9 for
    3x3). Otherwise it gathers the taps' slices into im2col columns and makes one matrix
    product per group, ``(C_out/groups, C_in/groups * K) @ (C_in/groups * K, positions)``.
    Both work in chunks of images and output rows whose scratch memory (padded rows,
    columns, product) stays within :func:`convnb.kernels.scratch_limit`. float16 inputs are
    computed in float32 and rounded once.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> w = np.ones((1, 1, 2, 2))
    >>> conv(x, w)
    array([[[[10., 14., 18.],
             [26., 30., 34.],
             [42., 46., 50.]]]])
    >>> conv(x, w, stride=2, padding="same").shape
    (1, 1, 2, 2)
    >>> conv(x, w, stride=0)
    Traceback (most recent call last):
        ...
    ValueError: stride=0 must be positive
    """
    if is_dask_array(x):  # lazy, tile by tile; weight and bias stay in memory
        return tiled_conv(
            x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups,
            padding_mode=padding_mode,
        )  # fmt: skip
    xp, (x, weight, bias) = arrays(x, weight, bias, names=["x", "weight", "bias"], kinds=FLOATING)
    x, unbatched, groups, geom = check(x, weight, bias, stride, padding, dilation, groups)
    check_mode(padding_mode)
    algorithms.check(algorithm, tuple(weight.shape[2:]), geom.stride, geom.dilation)
    y = compute(xp, x, weight, bias, groups, geom, padding_mode, algorithm)
    return y[0, ...] if unbatched else y


def check(x, weight, bias, stride, padding, dilation, groups, names=("x", "weight", "bias")):
    """Check shapes and arguments of :func:`conv` (names as the caller wrote them).

    Returns ``x`` with a batch axis, whether it had none, ``groups`` as an int, and the
    :class:`convnb.arithmetic.Geometry`.
    """
    xn, wn, _ = names
    x, unbatched = batched(x, weight, "(C_out, C_in/groups, *kernel)", xn, wn)
    c_in, c_out = x.shape[1], weight.shape[0]
    if c_in == 0 or c_out == 0:
        raise ValueError(
            f"{xn} and {wn} must have channels, got shapes {tuple(x.shape)} and "
            f"{tuple(weight.shape)}"
        )
    groups = check_channels(c_in, weight, bias, groups, names)
    geom = arithmetic.geometry(x.shape[2:], weight.shape[2:], stride, padding, dilation)
    return x, unbatched, groups, geom


def compute(xp, x, weight, bias, groups, geom, padding_mode="zeros", algorithm="direct"):
    """The one dispatch point of a checked convolution: cast, correlate, add the bias.

    ``algorithm`` is one of :data:`convnb.algorithms.ALGORITHMS`, already checked; ``"auto"``
    picks by shape and dtype (:func:`convnb.algorithms.choose`).
    """
    dtype = result_dtype(xp, x=x, weight=weight, bias=bias)
    x = xp.astype(x, dtype, copy=False)
    weight = xp.astype(weight, dtype, copy=False)
    if algorithm == "auto":
        algorithm = algorithms.choose(x, weight, groups, geom.stride, geom.dilation, geom.out)
        if algorithm != "direct" and kernels.current_limit() < algorithms.scratch_bytes(
            algorithm, x.shape, weight.shape, groups, geom.pads, xp.finfo(dtype).bits // 8
        ):
            algorithm = "direct"  # its chunks stay within the scratch limit
    if algorithm == "direct":
        y = kernels.correlate(xp, x, weight, groups, geom, padding_mode)
    else:  # Winograd or FFT: stride 1, on the padded input (convnb.algorithms)
        x = pad(x, geom.pads, mode=padding_mode)
        y = algorithms.correlate(algorithm, x, weight, groups, geom.dilation)
    if bias is not None:
        y = y + xp.reshape(xp.astype(bias, dtype, copy=False), (-1,) + (1,) * len(geom.out))
    return y


def pointwise_conv(
    x: ArrayLike, weight: ArrayLike, bias: ArrayLike | None = None, *, groups: int = 1
) -> Array:
    """Pointwise (1x1) convolution: at every position, a matrix product over channels.

    Parameters
    ----------
    x : array_like, shape (N, C_in, *spatial)
        Input with 1 to 3 spatial dimensions.
    weight : array_like, shape (C_out, C_in // groups) or (C_out, C_in // groups, 1, ..., 1)
        The channel-mixing matrix (or matrices, one per group).
    bias : array_like, shape (C_out,), optional
        Added to every position of each output channel.
    groups : int, default 1
        As in :func:`conv` (ShuffleNet's "pointwise group convolution").

    Returns
    -------
    array, shape (N, C_out, *spatial)
        ``y[n, :, p] = weight @ x[n, :, p] + bias`` at every position ``p`` (for
        ``groups=1``). This is :func:`conv` with a kernel of size 1 in every dimension: one
        implementation, so every check and backend of :func:`conv` applies.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(6.0).reshape(1, 2, 3)   # 2 channels, 3 positions
    >>> w = np.array([[1.0, 1.0], [1.0, -1.0]])  # sum and difference of the channels
    >>> pointwise_conv(x, w)
    array([[[ 3.,  5.,  7.],
            [-3., -3., -3.]]])
    """
    xp, (x, weight, bias) = arrays(x, weight, bias, names=["x", "weight", "bias"], kinds=FLOATING)
    nd = x.ndim - 2
    if nd not in (1, 2, 3):
        raise ValueError(
            f"x must have shape (N, C_in, *spatial) with 1 to 3 spatial dimensions, "
            f"got shape {tuple(x.shape)}"
        )
    if weight.ndim == 2:
        weight = xp.reshape(weight, (*weight.shape, *(1,) * nd))
    elif tuple(weight.shape[2:]) != (1,) * nd:
        raise ValueError(
            f"a pointwise weight must be (C_out, C_in/groups) or have a 1x1 kernel, "
            f"got shape {tuple(weight.shape)}"
        )
    x, _, groups, geom = check(x, weight, bias, 1, 0, 1, groups)
    return compute(xp, x, weight, bias, groups, geom)


_SPATIAL = ("L",), ("H", "W"), ("D", "H", "W")
conv1d, conv2d, conv3d = (
    fixed_rank(
        conv,
        f"conv{nd}d",
        nd,
        "weight",
        f"(C_out, C_in/groups, {', '.join('k' + a for a in _SPATIAL[nd - 1])})",
        f">>> conv{nd}d(np.ones((1, 2{', 5' * nd})), np.ones((3, 2{', 3' * nd}))).shape\n"
        f"    (1, 3{', 3' * nd})",
        globals(),
    )
    for nd in (1, 2, 3)
)
