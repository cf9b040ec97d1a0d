"""Convolution arithmetic: output sizes and padding, the one source of truth for shapes.

Notation, per spatial dimension: input size ``i``, kernel size ``k``, stride ``s``,
padding ``p`` (or a pair ``(p_before, p_after)``), dilation ``d``. The dilated kernel
spans ``d*(k-1) + 1`` input samples, and the output size is

    o = floor((i + p_before + p_after - d*(k-1) - 1) / s) + 1

Every function here works on plain Python integers; nothing imports an array library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ._backend import as_int, as_tuple, at_least, check_groups

__all__ = [
    "Geometry",
    "ReceptiveField",
    "conv_output_size",
    "conv_transpose_output_size",
    "count_macs",
    "count_params",
    "explicit_padding",
    "geometry",
    "receptive_field",
    "resolve_padding",
    "same_padding",
    "stack_sizes",
]

PADDING_STRINGS = ("valid", "same")


def _check_geometry(input_size, kernel_size, stride, dilation):
    sizes = zip((kernel_size, stride, dilation), ("kernel_size", "stride", "dilation"))
    return at_least(input_size, 0, "input_size"), *(at_least(v, 1, n) for v, n in sizes)


def _pair(padding) -> tuple[int, int]:
    if isinstance(padding, Sequence) and not isinstance(padding, str) and len(padding) != 2:
        raise ValueError(f"padding={tuple(padding)!r} must be an int or a (before, after) pair")
    return at_least(padding, 0, "padding", 2)


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1) -> int:
    """Length of a convolution's output along one spatial dimension.

    Parameters
    ----------
    input_size : int
        Input length ``i`` along this dimension (before padding).
    kernel_size : int
        Kernel length ``k``.
    stride : int, default 1
        Step ``s`` between output positions.
    padding : int or (int, int), default 0
        Zeros (or other padding) added on each side, or ``(before, after)``.
    dilation : int, default 1
        Spacing ``d`` between kernel taps; 1 is a dense kernel.

    Returns
    -------
    int
        ``floor((i + p_before + p_after - d*(k-1) - 1) / s) + 1``.

    Raises
    ------
    ValueError
        If an argument is out of range, or if the dilated kernel ``d*(k-1) + 1`` is longer
        than the padded input (there would be no output position at all).

    Examples
    --------
    AlexNet's first layer: an 11x11 kernel with stride 4 fits a 227-pixel input exactly,
    while 224 pixels leave a remainder (``(224 - 11) / 4 + 1 = 54.25``):

    >>> conv_output_size(227, 11, stride=4)
    55
    >>> conv_output_size(224, 11, stride=4)
    54

    A 3x3 kernel with dilation 2 spans five samples:

    >>> conv_output_size(7, 3, dilation=2)
    3
    """
    i, k, s, d = _check_geometry(input_size, kernel_size, stride, dilation)
    before, after = _pair(padding)
    span = d * (k - 1) + 1
    padded = i + before + after
    if span > padded:
        raise ValueError(
            f"the dilated kernel spans {span} samples (kernel_size={k}, dilation={d}), "
            f"more than the padded input of {padded} (input_size={i}, padding={before}+{after})"
        )
    return (padded - span) // s + 1


def same_padding(input_size, kernel_size, stride=1, dilation=1) -> tuple[int, int]:
    """Padding ``(before, after)`` of TensorFlow's ``"SAME"`` rule along one dimension.

    The output size is ``ceil(i / s)``; the total padding is whatever that needs, split in
    two with the odd one out at the end. With stride 1 this is also PyTorch's
    ``padding="same"`` (which PyTorch refuses for stride > 1).

    Parameters
    ----------
    input_size, kernel_size, stride, dilation : int
        As in :func:`conv_output_size`.

    Returns
    -------
    (int, int)
        Padding before and after.

    Examples
    --------
    AlexNet's 11x11 stride-4 layer on 224 pixels pads 3 before and 4 after, giving 56:

    >>> same_padding(224, 11, stride=4)
    (3, 4)
    >>> conv_output_size(224, 11, stride=4, padding=(3, 4))
    56
    """
    i, k, s, d = _check_geometry(input_size, kernel_size, stride, dilation)
    out = -(-i // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - i, 0)
    return total // 2, total - total // 2


def resolve_padding(padding, input_size, kernel_size, stride=1, dilation=1):
    """Turn any accepted ``padding`` argument into explicit ``(before, after)`` pairs.

    Parameters
    ----------
    padding : int, "valid", "same", or a sequence with one entry per dimension
        An int pads every side equally; ``"valid"`` pads nothing; ``"same"`` follows
        :func:`same_padding`. Each entry of a sequence is an int or a ``(before, after)`` pair.
    input_size, kernel_size, stride, dilation : sequence of int
        One entry per spatial dimension.

    Returns
    -------
    tuple of (int, int)
        One ``(before, after)`` pair per spatial dimension.

    Examples
    --------
    >>> resolve_padding("same", (5, 6), (3, 3), stride=(1, 2), dilation=(1, 1))
    ((1, 1), (0, 1))
    >>> resolve_padding([1, (0, 2)], (5, 5), (3, 3))
    ((1, 1), (0, 2))
    """
    n = len(input_size)
    stride = as_tuple(stride, n, "stride")
    dilation = as_tuple(dilation, n, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * n
        if padding == "same":
            return tuple(
                same_padding(i, k, s, d)
                for i, k, s, d in zip(input_size, kernel_size, stride, dilation, strict=True)
            )
        raise ValueError(
            f"padding={padding!r} is not one of {PADDING_STRINGS}, an int, or a sequence of them"
        )
    return explicit_padding(padding, n)


def explicit_padding(padding, ndim: int) -> tuple[tuple[int, int], ...]:
    """Numeric ``padding`` (an int, or per dimension an int or a pair) as checked pairs.

    Parameters
    ----------
    padding : int or sequence
        An int, or per dimension an int or a ``(before, after)`` pair; non-negative.
    ndim : int
        Number of spatial dimensions.

    Returns
    -------
    tuple of (int, int)
        One pair per dimension.

    Examples
    --------
    >>> explicit_padding(1, 2)
    ((1, 1), (1, 1))
    >>> explicit_padding([2, (0, 1)], 2)
    ((2, 2), (0, 1))
    """
    return tuple(_pair(p) for p in as_tuple(padding, ndim, "padding"))


class Geometry(NamedTuple):
    """A convolution's geometry, one entry per spatial dimension (see :func:`geometry`).

    Parameters
    ----------
    stride, dilation : tuple of int
        Checked, per dimension (a stride of 1 where there is one output).
    pads : tuple of (int, int)
        ``(before, after)`` padding per dimension.
    out : tuple of int
        Output size per dimension.
    """

    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]  #: (before, after) per dimension
    out: tuple[int, ...]  #: output size per dimension


def geometry(
    input_size: Sequence[int],
    kernel_size: Sequence[int],
    stride: int | Sequence[int] = 1,
    padding: int | str | Sequence = 0,
    dilation: int | Sequence[int] = 1,
) -> Geometry:
    """Resolve a convolution's arguments into checked strides, dilations, pads and output sizes.

    The one place where convnb turns these arguments into numbers.

    Parameters
    ----------
    input_size : sequence of int
        Spatial size of the input (before padding), one entry per dimension.
    kernel_size : sequence of int
        Kernel size, one entry per dimension.
    stride, dilation : int or sequence of int, default 1
        Positive; an int applies to every dimension.
    padding : int, "valid", "same", or a sequence, default 0
        As :func:`resolve_padding` accepts it.

    Returns
    -------
    Geometry
        ``stride``, ``dilation``, ``pads`` (``(before, after)`` pairs) and ``out`` (output
        sizes), each a tuple with one entry per dimension.

    Raises
    ------
    ValueError
        For a non-positive stride, dilation or kernel size, negative or unknown padding, or
        a dilated kernel longer than the padded input.

    Examples
    --------
    >>> geometry((5, 6), (3, 3), stride=(1, 2), padding="same")
    Geometry(stride=(1, 2), dilation=(1, 1), pads=((1, 1), (0, 1)), out=(5, 3))
    """
    spatial, kernel = tuple(input_size), tuple(kernel_size)
    nd = len(kernel)
    if len(spatial) != nd:
        raise ValueError(f"input_size={spatial} and kernel_size={kernel} differ in rank")
    stride = at_least(stride, 1, "stride", nd)
    dilation = at_least(dilation, 1, "dilation", nd)
    pads = resolve_padding(padding, spatial, kernel, stride, dilation)
    out = tuple(
        conv_output_size(*args)
        for args in zip(spatial, kernel, stride, pads, dilation, strict=True)
    )
    # a stride only matters between outputs: one output per axis needs none (and a huge
    # stride would overflow the slices that index with it)
    stride = tuple(s if o > 1 else 1 for s, o in zip(stride, out, strict=True))
    return Geometry(stride, dilation, pads, out)


def conv_transpose_output_size(
    input_size, kernel_size, stride=1, padding=0, dilation=1, output_padding=0
) -> int:
    """Length of a transposed convolution's output along one spatial dimension.

    ``o = (i - 1)*s - 2*p + d*(k - 1) + output_padding + 1``: the size of the input of the
    convolution whose adjoint this is. ``output_padding`` picks among the input sizes that
    convolve to the same output size when the stride is above 1; it must be smaller than the
    stride or the dilation (PyTorch's rule).

    Parameters
    ----------
    input_size, kernel_size, stride, dilation : int
        As in :func:`conv_output_size`.
    padding : int, default 0
        Samples trimmed from both ends.
    output_padding : int, default 0
        Extra samples at the end.

    Returns
    -------
    int
        ``(i - 1)*s - 2*p + d*(k - 1) + output_padding + 1``.

    Examples
    --------
    With k=3, s=2, p=1, inputs of 5 and 6 both convolve to 3; output_padding picks one:

    >>> conv_output_size(5, 3, 2, 1), conv_output_size(6, 3, 2, 1)
    (3, 3)
    >>> conv_transpose_output_size(3, 3, 2, 1), conv_transpose_output_size(3, 3, 2, 1, 1, 1)
    (5, 6)
    """
    i, k, s, d = _check_geometry(input_size, kernel_size, stride, dilation)
    p, op = at_least(padding, 0, "padding"), as_int(output_padding, "output_padding")
    if not 0 <= op < max(s, d):
        raise ValueError(
            f"output_padding={op} must be non-negative and smaller than stride={s} or dilation={d}"
        )
    o = (i - 1) * s - 2 * p + d * (k - 1) + op + 1
    if o < 1:
        raise ValueError(
            f"padding={p} trims the whole output (input_size={i}, kernel_size={k}, stride={s})"
        )
    return o


def count_params(in_channels, out_channels, kernel_size, groups=1, bias=True) -> int:
    """Number of learned parameters of a convolution layer.

    ``C_out * (C_in / groups) * prod(kernel_size)`` weights, plus ``C_out`` biases.
    The same count holds for the transposed layer with in and out swapped.

    Parameters
    ----------
    in_channels, out_channels, groups : int
        As in :func:`convnb.conv`.
    kernel_size : int or tuple of int
        Per dimension.
    bias : bool, default True
        Whether the layer has a bias.

    Returns
    -------
    int
        Weights plus biases.

    Examples
    --------
    The source article's 3x3 layer from 256 to 256 channels, without bias:

    >>> count_params(256, 256, (3, 3), bias=False)
    589824
    >>> count_params(256, 256, (3, 3), groups=256, bias=False)  # depthwise
    2304
    """
    weights = count_macs(in_channels, out_channels, kernel_size, 1, groups)  # one output
    return weights + (as_int(out_channels, "out_channels") if bias else 0)


def count_macs(in_channels, out_channels, kernel_size, output_size, groups=1) -> int:
    """Multiply-accumulates of one convolution layer for one input (batch size 1).

    Every output sample of every output channel sums ``(C_in / groups) * prod(kernel)``
    products: ``C_out * prod(output_size) * (C_in / groups) * prod(kernel_size)``. Bias
    additions are not counted. For a transposed convolution, pass the channels swapped and
    its *input* size as ``output_size`` (it is the adjoint, with the same products). An int
    ``kernel_size`` or ``output_size`` stands for the same size along every dimension of
    the other.

    Parameters
    ----------
    in_channels, out_channels, groups : int
        As in :func:`convnb.conv`.
    kernel_size, output_size : int or tuple of int
        Per dimension.

    Returns
    -------
    int
        ``C_out * prod(output_size) * (C_in / groups) * prod(kernel_size)``.

    Examples
    --------
    >>> count_macs(64, 64, (3, 3), (56, 56))
    115605504
    """
    c_in, c_out, g = check_groups(in_channels, out_channels, groups)
    ranks = {len(v) for v in (kernel_size, output_size) if isinstance(v, Sequence)}
    if len(ranks) > 1:
        raise ValueError(
            f"kernel_size={tuple(kernel_size)} and output_size={tuple(output_size)} must have "
            f"the same number of dimensions"
        )
    nd = max(ranks, default=1)
    k = math.prod(at_least(kernel_size, 1, "kernel_size", nd))
    n_out = math.prod(at_least(output_size, 1, "output_size", nd))
    return c_out * n_out * (c_in // g) * k


class ReceptiveField(NamedTuple):
    """Receptive field of one layer's outputs, in input samples, along one dimension.

    Parameters
    ----------
    size, jump : int
        How many input samples one output depends on (holes included), and the distance
        between neighbouring outputs.
    start : float
        Input coordinate of the centre of output 0's field (negative in the padding).
    """

    size: int
    jump: int
    start: float


def receptive_field(layers) -> list[ReceptiveField]:
    """Receptive field after each layer of a stack, along one spatial dimension.

    Uses the recurrences ``r = r + (d*(k-1))*j``, ``start = start + (d*(k-1)/2 - p)*j``,
    ``j = j*s`` (Araujo, Norris and Sim, Distill 2019), starting from one input sample.

    Parameters
    ----------
    layers : sequence of mappings
        Each with ``kernel_size`` and optionally ``stride``, ``padding`` (an int or a
        ``(before, after)`` pair) and ``dilation``, all ints.

    Returns
    -------
    list of ReceptiveField
        One entry per layer.

    Examples
    --------
    The dilated stack of Yu & Koltun: a 3x3 kernel with dilation 1, then 2, then 4. The
    single layers span 3, 5 and 9 samples; the stack sees 3, 7 and 15:

    >>> [rf.size for rf in receptive_field(
    ...     [{"kernel_size": 3, "dilation": d} for d in (1, 2, 4)])]
    [3, 7, 15]
    """
    size, jump, start = 1, 1, 0.0
    result = []
    for n, layer in enumerate(layers):
        check_layer(layer, n)
        k, s, d = (
            at_least(layer.get(key, 1), 1, key) for key in ("kernel_size", "stride", "dilation")
        )
        before, _ = _pair(layer.get("padding", 0))
        span = d * (k - 1)
        start += (span / 2 - before) * jump
        size += span * jump
        jump *= s
        result.append(ReceptiveField(size, jump, start))
    return result


_LAYER_DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1}


def layer_options(layer) -> dict:
    """A layer mapping's ``stride``, ``padding`` and ``dilation``, defaults filled in."""
    return {key: layer.get(key, default) for key, default in _LAYER_DEFAULTS.items()}


def check_layer(layer, n: int) -> None:
    """Raise unless ``layer`` (entry ``n`` of ``layers``) is a mapping with known keys."""
    if not isinstance(layer, Mapping):
        raise TypeError(f"layers[{n}] must be a mapping with a kernel_size, got {layer!r}")
    unknown = set(layer) - {"kernel_size", *_LAYER_DEFAULTS}
    if unknown:
        raise ValueError(f"layers[{n}] has unknown keys {sorted(unknown)}")
    if "kernel_size" not in layer:
        raise ValueError(f"layers[{n}] has no kernel_size: {dict(layer)!r}")


def stack_sizes(layers, input_size) -> list[int]:
    """Sizes along one dimension through a stack of layers, input first.

    Parameters
    ----------
    layers : sequence of mappings
        ``kernel_size`` and optionally ``stride``, ``padding``, ``dilation``, as for
        :func:`receptive_field`.
    input_size : int

    Returns
    -------
    list of int
        ``len(layers) + 1`` sizes: entry ``j`` is the input size of layer ``j``.

    Examples
    --------
    >>> stack_sizes([{"kernel_size": 3, "stride": 2, "padding": 1}, {"kernel_size": 3}], 32)
    [32, 16, 14]
    """
    sizes = [as_int(input_size, "input_size")]
    for n, layer in enumerate(layers):
        check_layer(layer, n)
        sizes.append(conv_output_size(sizes[-1], **layer))  # check_layer vetted the keys
    return sizes
