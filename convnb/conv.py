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

import math

from . import algorithms, arithmetic, kernels
from ._backend import check_dtype, check_groups, namespace, positive_ints, result_dtype
from .padding import check_mode, pad
from .windows import tap_slices

__all__ = ["conv", "conv1d", "conv2d", "conv3d", "pointwise_conv"]

_FLOATING = ("real floating", "complex floating")


def conv(
    x,
    weight,
    bias=None,
    *,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    padding_mode="zeros",
    algorithm="auto",
):
    """N-dimensional convolution (cross-correlation) with PyTorch's semantics.

    Parameters
    ----------
    x : array, shape (N, C_in, *spatial) or (C_in, *spatial)
        Input. The number of spatial dimensions (1, 2 or 3) is that of the kernel.
    weight : array, shape (C_out, C_in // groups, *kernel)
        Kernels.
    bias : array, shape (C_out,), optional
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
    The loop runs over the kernel's taps only (9 iterations for a 3x3 kernel). Each tap
    takes one strided slice of the padded input and multiplies it with that tap's
    ``(C_out/groups, C_in/groups)`` weight matrix, batched over groups, accumulating into
    the output. Scratch memory is one slice the size of the output times ``C_in``, never a
    full im2col matrix (``K`` times larger, for ``K`` taps).

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
    xp = namespace(x, weight, bias, names=["x", "weight", "bias"])
    check_dtype(xp, x, "x", _FLOATING)
    check_dtype(xp, weight, "weight", _FLOATING)
    if bias is not None:
        check_dtype(xp, bias, "bias", _FLOATING)
    return correlate_nd(
        xp, x, weight, bias, stride, padding, dilation, groups, padding_mode, "conv", algorithm
    )


def correlate_nd(
    xp, x, weight, bias, stride, padding, dilation, groups, padding_mode, name, algorithm="direct"
):
    """Check the arguments, then cross-correlate; shared by :func:`conv` and convnb.signal."""
    nd = weight.ndim - 2
    if nd not in (1, 2, 3):
        raise ValueError(
            f"weight must have shape (C_out, C_in/groups, *kernel) with 1 to 3 kernel "
            f"dimensions, got shape {tuple(weight.shape)}"
        )
    unbatched = x.ndim == nd + 1
    if x.ndim not in (nd + 1, nd + 2):
        raise ValueError(
            f"{name} with a {nd}-D kernel expects x of rank {nd + 2} (N, C_in, *spatial) or "
            f"{nd + 1} (C_in, *spatial), got shape {tuple(x.shape)}"
        )
    if unbatched:
        x = xp.expand_dims(x, axis=0)
    c_in = x.shape[1]
    c_out, c_in_group = weight.shape[:2]
    spatial, kernel = tuple(x.shape[2:]), tuple(weight.shape[2:])

    if c_in == 0 or c_out == 0:
        raise ValueError(
            f"x and weight must have channels, got shapes {tuple(x.shape)} and "
            f"{tuple(weight.shape)}"
        )
    _, _, groups = check_groups(c_in, c_out, groups)
    if c_in_group * groups != c_in:
        raise ValueError(
            f"weight has {c_in_group} input channels per group, so groups={groups} needs "
            f"{c_in_group * groups} input channels, but x has {c_in}"
        )
    if bias is not None and tuple(bias.shape) != (c_out,):
        raise ValueError(f"bias must have shape ({c_out},), got {tuple(bias.shape)}")
    if min(kernel) < 1:
        raise ValueError(f"weight has an empty kernel, shape {tuple(weight.shape)}")
    stride = positive_ints(stride, nd, "stride")
    dilation = positive_ints(dilation, nd, "dilation")
    check_mode(padding_mode)
    algorithms.check(algorithm, kernel, stride, dilation)
    pads = arithmetic.resolve_padding(padding, spatial, kernel, stride, dilation)
    out = tuple(
        arithmetic.conv_output_size(*args)
        for args in zip(spatial, kernel, stride, pads, dilation, strict=True)
    )

    dtype = result_dtype(xp, x=x, weight=weight, bias=bias)
    x = pad(x, pads, mode=padding_mode)
    x = xp.astype(x, dtype, copy=False)
    weight = xp.astype(weight, dtype, copy=False)
    native = kernels.native(x)
    if algorithm == "auto":
        algorithm = algorithms.choose(x, weight, groups, stride, dilation)
    if algorithm != "direct":
        y = algorithms.correlate(algorithm, x, weight, groups, dilation)
    elif native is not None:  # NumPy or CuPy: the fast paths
        y = kernels.correlate(native, x, weight, groups, stride, dilation, out)
    else:
        y = _correlate_portable(xp, x, weight, groups, stride, dilation, out)
    if bias is not None:
        y = y + xp.reshape(xp.astype(bias, dtype, copy=False), (c_out,) + (1,) * nd)
    return y[0, ...] if unbatched else y


def _correlate_portable(xp, x, weight, groups, stride, dilation, out):
    """The array-API formulation: one batched matrix product per kernel tap."""
    n_batch, c_in = x.shape[:2]
    c_out = weight.shape[0]
    kernel = tuple(weight.shape[2:])
    n_out, n_in = c_out // groups, c_in // groups
    # weight[o, c, *t] as (groups, C_out/groups, C_in/groups, taps): one matrix per tap.
    w = xp.reshape(weight, (groups, n_out, n_in, -1))
    n_pos = math.prod(out)
    acc = None
    for tap, window in enumerate(tap_slices(kernel, stride, dilation, out)):
        patch = xp.reshape(x[(..., *window)], (n_batch, groups, n_in, n_pos))
        term = w[:, :, :, tap] @ patch  # (G, O/G, C/G) @ (N, G, C/G, P) -> (N, G, O/G, P)
        if acc is None:
            acc = term
        else:
            acc += term
    return xp.reshape(acc, (n_batch, c_out, *out))


def pointwise_conv(x, weight, bias=None, *, groups=1):
    """Pointwise (1x1) convolution: at every position, a matrix product over channels.

    Parameters
    ----------
    x : array, shape (N, C_in, *spatial)
        Input with 1 to 3 spatial dimensions.
    weight : array, shape (C_out, C_in // groups) or (C_out, C_in // groups, 1, ..., 1)
        The channel-mixing matrix (or matrices, one per group).
    bias : array, shape (C_out,), optional
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
    namespace(x, weight, bias, names=["x", "weight", "bias"])
    nd = x.ndim - 2
    if nd not in (1, 2, 3):
        raise ValueError(
            f"x must have shape (N, C_in, *spatial) with 1 to 3 spatial dimensions, "
            f"got shape {tuple(x.shape)}"
        )
    if weight.ndim == 2:
        weight = weight[(..., *([None] * nd))]
    elif tuple(weight.shape[2:]) != (1,) * nd:
        raise ValueError(
            f"a pointwise weight must be (C_out, C_in/groups) or have a 1x1 kernel, "
            f"got shape {tuple(weight.shape)}"
        )
    return conv(x, weight, bias, groups=groups)


def _fixed_rank(nd):
    def conv_nd(
        x,
        weight,
        bias=None,
        *,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        padding_mode="zeros",
        algorithm="auto",
    ):
        if weight.ndim != nd + 2:
            raise ValueError(
                f"conv{nd}d expects weight of rank {nd + 2} (C_out, C_in/groups, "
                f"{', '.join('k' + a for a in 'dhw'[3 - nd :])}), got shape {tuple(weight.shape)}"
            )
        return conv(
            x,
            weight,
            bias,
            stride=stride,
            padding=padding,
            dilation=dilation,
            groups=groups,
            padding_mode=padding_mode,
            algorithm=algorithm,
        )

    conv_nd.__name__ = conv_nd.__qualname__ = f"conv{nd}d"
    spatial = ("L",), ("H", "W"), ("D", "H", "W")
    dims = ", ".join(spatial[nd - 1])
    kdims = ", ".join("k" + s for s in spatial[nd - 1])
    conv_nd.__doc__ = f"""{nd}-D convolution: :func:`conv` with a check that the rank is right.

    ``x`` is ``(N, C_in, {dims})`` or ``(C_in, {dims})``, ``weight`` is
    ``(C_out, C_in / groups, {kdims})``. All other arguments are those of :func:`conv`.

    Examples
    --------
    >>> import numpy as np
    >>> conv{nd}d(np.ones((1, 2{", 5" * nd})), np.ones((3, 2{", 3" * nd}))).shape
    (1, 3{", 3" * nd})
    """
    return conv_nd


conv1d = _fixed_rank(1)
conv2d = _fixed_rank(2)
conv3d = _fixed_rank(3)
