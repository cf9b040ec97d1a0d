"""The backward pass of :func:`convnb.conv`: gradients with respect to input and weight.

For ``y = conv(x, w, b, stride=s, padding=p, dilation=d, groups=g)`` and an upstream
gradient ``grad_y`` (the derivative of a scalar loss with respect to ``y``):

* the gradient with respect to ``x`` is a **transposed convolution** of ``grad_y`` with the
  same weight and arguments, trimmed to the input's size (then folded back through the
  padding, for padding modes other than zeros);
* the gradient with respect to ``w`` correlates ``grad_y`` with the padded input, tap by tap;
* the gradient with respect to ``b`` is ``grad_y`` summed over the batch and all positions.

Shapes as in :mod:`convnb.convolution`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from . import arithmetic
from ._backend import FLOATING, arrays, as_int, check_groups, result_dtype
from ._typing import Array, ArrayLike
from .padding import check_mode, pad, pad_adjoint
from .transpose import scatter
from .windows import tap_slices

__all__ = ["conv_grad_input", "conv_grad_weight", "receptive_field_by_gradient"]


def _shape(value, name, nd):
    """A shape argument ``(A, B, *spatial)`` as positive ints, of rank ``nd + 2``."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(f"{name} must be a tuple of ints, got {value!r}")
    shape = tuple(as_int(v, name) for v in value)
    if len(shape) != nd + 2:
        raise ValueError(f"{name}={shape} must have {nd + 2} entries for a {nd}-D kernel")
    if min(shape) < 1:
        raise ValueError(f"{name}={shape} must be positive")
    return shape


def _check_output_shape(grad_output, expected):
    if tuple(grad_output.shape) != tuple(expected):
        raise ValueError(
            f"grad_output must have the shape of the convolution's output {tuple(expected)}, "
            f"got {tuple(grad_output.shape)}"
        )


def conv_grad_input(
    grad_output: ArrayLike,
    weight: ArrayLike,
    input_shape: tuple[int, ...],
    *,
    stride: int | tuple[int, ...] = 1,
    padding: int | str | tuple = 0,
    dilation: int | tuple[int, ...] = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> Array:
    """Gradient of :func:`convnb.conv` with respect to its input.

    Parameters
    ----------
    grad_output : array_like, shape (N, C_out, *out)
        Gradient of the loss with respect to the convolution's output.
    weight : array_like, shape (C_out, C_in // groups, *kernel)
        The convolution's weight.
    input_shape : tuple of int
        ``(N, C_in, *spatial)``, the shape of the convolution's input.
    stride, padding, dilation, groups, padding_mode
        The convolution's arguments.

    Returns
    -------
    array, shape input_shape
        ``conv_transpose(grad_output, weight, stride, padding, output_padding, groups,
        dilation)`` with the ``output_padding`` that restores ``input_shape``: the gradient
        *is* a transposed convolution. (Asymmetric padding, such as ``"same"`` with an even
        total, trims unequally; other padding modes fold the border back with
        :func:`convnb.padding.pad_adjoint`.)

    Examples
    --------
    >>> import numpy as np
    >>> w = np.ones((1, 1, 3))
    >>> conv_grad_input(np.ones((1, 1, 3)), w, (1, 1, 5))  # how often conv reads each sample
    array([[[1., 2., 3., 2., 1.]]])
    """
    xp, (grad_output, weight) = arrays(
        grad_output, weight, names=["grad_output", "weight"], kinds=FLOATING
    )
    check_mode(padding_mode)
    kernel = tuple(weight.shape[2:])
    input_shape = _shape(input_shape, "input_shape", len(kernel))
    spatial = input_shape[2:]
    c_in = input_shape[1]
    _, _, groups = check_groups(c_in, weight.shape[0], groups)
    if weight.shape[1] * groups != c_in:
        raise ValueError(
            f"input_shape={input_shape} has {c_in} channels, but weight "
            f"{tuple(weight.shape)} with groups={groups} takes {weight.shape[1] * groups}"
        )
    stride, dilation, pads, out = arithmetic.geometry(spatial, kernel, stride, padding, dilation)
    _check_output_shape(grad_output, (input_shape[0], weight.shape[0], *out))
    # weight (C_out, C_in/g, *k) is the (C_in', C_out'/g, *k) weight of the transposed conv
    # from C_out channels back to C_in
    # zeros: keep the input's samples; other modes: the padded input's, folded back
    zeros = padding_mode == "zeros"
    start = tuple(b if zeros else 0 for b, _ in pads)
    size = spatial if zeros else tuple(i + b + a for i, (b, a) in zip(spatial, pads, strict=True))
    grad = scatter(xp, grad_output, weight, None, stride, dilation, groups, start, size)
    return grad if zeros else pad_adjoint(grad, pads, mode=padding_mode)


def conv_grad_weight(
    x: ArrayLike,
    grad_output: ArrayLike,
    weight_shape: tuple[int, ...],
    *,
    stride: int | tuple[int, ...] = 1,
    padding: int | str | tuple = 0,
    dilation: int | tuple[int, ...] = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> Array:
    """Gradient of :func:`convnb.conv` with respect to its weight.

    Parameters
    ----------
    x : array_like, shape (N, C_in, *spatial)
        The convolution's input.
    grad_output : array_like, shape (N, C_out, *out)
        Gradient of the loss with respect to the convolution's output.
    weight_shape : tuple of int
        ``(C_out, C_in // groups, *kernel)``.
    stride, padding, dilation, groups, padding_mode
        The convolution's arguments.

    Returns
    -------
    array, shape weight_shape
        ``dL/dw[o, c, t] = sum_{n, p} grad_output[n, o, p] * x_pad[n, g*C_in/groups + c,
        p*s + t*d]``: a correlation of the input with the output gradient, one matrix
        product per kernel tap.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(5.0).reshape(1, 1, 5)
    >>> conv_grad_weight(x, np.ones((1, 1, 3)), (1, 1, 3))  # sum of the samples each tap saw
    array([[[3., 6., 9.]]])
    """
    xp, (x, grad_output) = arrays(x, grad_output, names=["x", "grad_output"], kinds=FLOATING)
    check_mode(padding_mode)
    weight_shape = _shape(weight_shape, "weight_shape", x.ndim - 2)
    kernel = weight_shape[2:]
    stride, dilation, pads, out = arithmetic.geometry(
        x.shape[2:], kernel, stride, padding, dilation
    )
    n_batch, c_in = x.shape[:2]
    c_out = weight_shape[0]
    _, _, groups = check_groups(c_in, c_out, groups)
    if weight_shape[1] * groups != c_in:
        raise ValueError(
            f"weight_shape={weight_shape} does not fit {c_in} input channels in {groups} groups"
        )
    _check_output_shape(grad_output, (n_batch, c_out, *out))
    dtype = result_dtype(xp, x=x, grad_output=grad_output)
    n_in, n_out = c_in // groups, c_out // groups
    xpad = xp.astype(pad(x, pads, mode=padding_mode), dtype, copy=False)
    g = xp.reshape(
        xp.astype(grad_output, dtype, copy=False), (n_batch, groups, n_out, math.prod(out))
    )
    taps = []
    for window in tap_slices(kernel, stride, dilation, out):
        patch = xp.reshape(xpad[(..., *window)], (n_batch, groups, n_in, math.prod(out)))
        # (N, G, O/G, P) @ (N, G, P, C/G) summed over N -> (G, O/G, C/G)
        taps.append(xp.sum(g @ xp.permute_dims(patch, (0, 1, 3, 2)), axis=0))
    grad = xp.stack(taps, axis=-1)  # (G, O/G, C/G, K)
    return xp.reshape(grad, weight_shape)


def receptive_field_by_gradient(
    layers: Sequence[Mapping[str, int]], input_size: tuple[int, ...], position: tuple[int, ...]
):
    """Measure what one output of a stack of layers sees: backpropagate its gradient.

    Builds a single-channel stack of the given layers with all-ones kernels (NumPy, float64),
    and sends a gradient of 1 at ``position`` of the last output back to the input with
    :func:`conv_grad_input`, layer by layer. The result is the derivative of that output
    with respect to every input sample: non-zero exactly on its receptive field, and equal
    to the number of paths from each input sample (holes, where dilated layers skip
    samples, are zero).

    Parameters
    ----------
    layers : sequence of mappings
        ``kernel_size`` and optionally ``stride``, ``padding``, ``dilation`` (ints, the same
        along every dimension), as for :func:`convnb.arithmetic.receptive_field`.
    input_size : tuple of int
        Spatial size of the input (1 to 3 dimensions).
    position : tuple of int
        Position of the output in the last layer.

    Returns
    -------
    numpy.ndarray, shape input_size

    Examples
    --------
    >>> import numpy as np
    >>> g = receptive_field_by_gradient([{"kernel_size": 3}, {"kernel_size": 3}], (7,), (1,))
    >>> g
    array([0., 1., 2., 3., 2., 1., 0.])
    """
    import numpy as np

    input_size = tuple(as_int(i, "input_size") for i in input_size)
    position = tuple(as_int(p, "position") for p in position)
    nd = len(input_size)
    shapes = [(1, 1, *input_size)]
    args = []
    for n, layer in enumerate(layers):
        arithmetic.check_layer(layer, n)
        kwargs = arithmetic.layer_options(layer)
        weight = np.ones((1, 1) + (layer["kernel_size"],) * nd)
        out = arithmetic.geometry(shapes[-1][2:], weight.shape[2:], **kwargs).out
        args.append((weight, kwargs))
        shapes.append((1, 1, *out))
    last = shapes[-1][2:]
    if len(position) != nd or not all(0 <= p < o for p, o in zip(position, last, strict=True)):
        raise ValueError(
            f"position={position} must have one index per dimension, each within the last "
            f"output's size {last}"
        )
    grad = np.zeros(shapes[-1])
    grad[(0, 0, *position)] = 1.0
    for (weight, kwargs), shape in zip(reversed(args), reversed(shapes[:-1]), strict=True):
        grad = conv_grad_input(grad, weight, shape, **kwargs)
    return grad[0, 0]
