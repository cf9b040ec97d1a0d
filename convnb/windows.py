"""Index maps: which input samples each output of a convolution reads.

Coordinates are tuples with one integer per spatial dimension, in *input* coordinates:
index 0 is the first real input sample, so negative indices and indices ``>= input_size``
fall in the padding. ``padding`` is per dimension an int or a ``(before, after)`` pair;
only ``before`` shifts coordinates (resolve ``"same"`` first with
:func:`convnb.arithmetic.resolve_padding`).

:func:`tap_slices` is what :func:`convnb.conv` loops over, and :func:`footprint` is what
the pictures in :mod:`convnb.plot` highlight. Both are built on :func:`tap_offsets`, so a
picture cannot show a window the computation does not use. A transposed convolution is the
adjoint of a convolution, so the outputs that one of its inputs is scattered to are the
:func:`footprint` of the corresponding convolution output: the same map, read backwards.
"""

from __future__ import annotations

import itertools

from . import arithmetic
from ._backend import as_tuple

__all__ = [
    "footprint",
    "overlap_counts",
    "receptive_field_counts",
    "tap_offsets",
    "tap_slices",
]


def tap_offsets(kernel_size, dilation=1) -> list[tuple[int, ...]]:
    """Offset of every kernel tap from the corner of its window, in the order conv uses.

    Parameters
    ----------
    kernel_size : tuple of int
        Kernel size per spatial dimension.
    dilation : int or tuple of int, default 1
        Spacing between taps.

    Returns
    -------
    list of tuple of int
        ``prod(kernel_size)`` offsets ``(t_1 * d_1, ..., t_n * d_n)``, last dimension fastest
        (the order of ``weight.reshape(C_out, C_in/groups, -1)``).

    Examples
    --------
    >>> tap_offsets((2, 3), dilation=(1, 2))
    [(0, 0), (0, 2), (0, 4), (1, 0), (1, 2), (1, 4)]
    """
    kernel_size = tuple(kernel_size)
    dilation = as_tuple(dilation, len(kernel_size), "dilation")
    return [
        tuple(t * d for t, d in zip(tap, dilation, strict=True))
        for tap in itertools.product(*(range(k) for k in kernel_size))
    ]


def tap_slices(kernel_size, stride, dilation, output_size) -> list[tuple[slice, ...]]:
    """For each tap, the strided slices of the *padded* input that it meets, for all outputs.

    ``x_padded[(..., *tap_slices(...)[t])]`` has the shape of the output: its element at
    output position ``p`` is the sample that tap ``t`` multiplies there. This is the inner
    loop of :func:`convnb.conv`.

    Parameters
    ----------
    kernel_size, output_size : tuple of int
        Per spatial dimension.
    stride, dilation : int or tuple of int
        As in :func:`convnb.conv`.

    Returns
    -------
    list of tuple of slice
        One tuple of slices per tap, in the order of :func:`tap_offsets`.

    Examples
    --------
    >>> tap_slices((2,), stride=(2,), dilation=(3,), output_size=(4,))
    [(slice(0, 7, 2),), (slice(3, 10, 2),)]
    """
    nd = len(output_size)
    stride = as_tuple(stride, nd, "stride")
    return [
        tuple(
            slice(o, o + s * (n - 1) + 1, s)
            for o, s, n in zip(offset, stride, output_size, strict=True)
        )
        for offset in tap_offsets(kernel_size, dilation)
    ]


def footprint(position, kernel_size, stride=1, padding=0, dilation=1) -> list[tuple[int, ...]]:
    """Input coordinates that output ``position`` reads, one per kernel tap.

    Parameters
    ----------
    position : tuple of int
        Output position.
    kernel_size : tuple of int
        Kernel size per spatial dimension.
    stride, dilation : int or tuple of int
        As in :func:`convnb.conv`.
    padding : int or tuple
        Per dimension an int or a ``(before, after)`` pair.

    Returns
    -------
    list of tuple of int
        In tap order (that of :func:`tap_offsets`). Coordinates outside ``[0, input_size)``
        are padding.

    Examples
    --------
    Output (1, 0) of a 3x3 kernel with stride 2, padding 1 and dilation 2:

    >>> footprint((1, 0), (3, 3), stride=2, padding=1, dilation=2)[:4]
    [(1, -1), (1, 1), (1, 3), (3, -1)]
    """
    position = tuple(position)
    nd = len(position)
    stride = as_tuple(stride, nd, "stride")
    before = [b for b, _ in arithmetic.explicit_padding(padding, nd)]
    corner = [p * s - b for p, s, b in zip(position, stride, before, strict=True)]
    return [
        tuple(c + o for c, o in zip(corner, offset, strict=True))
        for offset in tap_offsets(tuple(kernel_size), dilation)
    ]


def overlap_counts(input_size, kernel_size, stride=1, padding=0, dilation=1, output_padding=0):
    """How many (input sample, kernel tap) pairs a transposed convolution adds into each output.

    A transposed convolution scatters every input sample, scaled by the kernel, onto the
    output; where the scattered footprints overlap unevenly, the output is uneven too (the
    checkerboard artifact). The footprint of input ``i`` is :func:`footprint` of ``i``.

    Parameters
    ----------
    input_size, kernel_size : tuple of int
        Per spatial dimension.
    stride, padding, dilation, output_padding : int or tuple of int
        As in a transposed convolution (``padding`` trims the output on both sides).

    Returns
    -------
    list
        Nested lists of int with the shape of the transposed convolution's output.

    Examples
    --------
    A 3-tap kernel with stride 2 overlaps 1, 2, 1, 2, ... times:

    >>> overlap_counts((4,), (3,), stride=2)
    [1, 1, 2, 1, 2, 1, 2, 1, 1]
    >>> overlap_counts((4,), (4,), stride=2, padding=1)  # kernel divisible by stride: even inside
    [1, 2, 2, 2, 2, 2, 2, 1]
    """
    import numpy as np  # a counting grid; the sizes here are Python ints, never arrays

    input_size = tuple(input_size)
    nd = len(input_size)
    if nd == 0:
        raise ValueError("input_size=() must have at least one spatial dimension")
    kernel_size = as_tuple(tuple(kernel_size), nd, "kernel_size")
    stride = as_tuple(stride, nd, "stride")
    dilation = as_tuple(dilation, nd, "dilation")
    padding = as_tuple(padding, nd, "padding")
    output_padding = as_tuple(output_padding, nd, "output_padding")
    out = tuple(
        arithmetic.conv_transpose_output_size(*args)
        for args in zip(input_size, kernel_size, stride, padding, dilation, output_padding)
    )
    counts = np.zeros(out, dtype=int)
    for i in itertools.product(*(range(n) for n in input_size)):
        for coord in footprint(i, kernel_size, stride, padding, dilation):
            if all(0 <= c < n for c, n in zip(coord, out, strict=True)):
                counts[coord] += 1
    return counts.tolist()


def receptive_field_counts(layers, input_size: int, position: int) -> list[list[int]]:
    """For a stack of 1-D layers, by how many paths each input sample reaches one output.

    Parameters
    ----------
    layers : sequence of mappings
        Each with ``kernel_size`` and optionally ``stride``, ``padding``, ``dilation``
        (ints), as for :func:`convnb.arithmetic.receptive_field`.
    input_size : int
        Length of the stack's input.
    position : int
        An output position of the last layer.

    Returns
    -------
    list of list of int
        One map per depth, each ``input_size`` long. Map ``l`` belongs to the stack cut
        after layer ``l + 1``, seen from the unit of that layer that lies on the path to
        ``position`` (found by following the centre tap of each later layer). Its non-zero
        entries are that unit's receptive field; zeros inside the field's extent are holes,
        the "gridding" of dilated stacks. Paths through padding are not counted.

    Examples
    --------
    Three 3-tap layers with dilations 1, 2, 4 (Yu & Koltun) see 3, 7 and 15 samples:

    >>> layers = [{"kernel_size": 3, "dilation": d, "padding": d} for d in (1, 2, 4)]
    >>> maps = receptive_field_counts(layers, 21, 10)
    >>> [sum(1 for c in m if c) for m in maps]
    [3, 7, 15]

    Two layers of dilation 2 leave holes: only every other sample is seen.

    >>> receptive_field_counts([{"kernel_size": 3, "dilation": 2}] * 2, 9, 0)[1]
    [1, 0, 2, 0, 3, 0, 2, 0, 1]
    """
    layers = list(layers)
    sizes = arithmetic.stack_sizes(layers, input_size)  # sizes[j]: input of layer j
    if not 0 <= position < sizes[-1]:
        raise ValueError(f"position={position} is outside the output of size {sizes[-1]}")
    maps = []
    for depth in range(1, len(layers) + 1):
        unit = position
        for layer in reversed(layers[depth:]):
            taps = _layer_footprint(layer, unit)
            unit = taps[len(taps) // 2]
        counts = {unit: 1}
        for j in reversed(range(depth)):
            spread: dict[int, int] = {}
            for pos, n in counts.items():
                for q in _layer_footprint(layers[j], pos):
                    if 0 <= q < sizes[j]:  # padding is a constant, not a path to the input
                        spread[q] = spread.get(q, 0) + n
            counts = spread
        maps.append([counts.get(i, 0) for i in range(input_size)])
    return maps


def _layer_footprint(layer, position):
    options = arithmetic.layer_options(layer)
    return [c[0] for c in footprint((position,), (layer["kernel_size"],), **options)]
