"""Tiles and halos: which input window each output chunk of a stack of layers reads.

Per spatial axis, on plain integers (nothing here imports an array library). A stack of
layers with receptive field ``R``, total stride (jump) ``J`` and padding seen from the input
``P = sum_l p_l * J_l`` maps the output chunk ``[a, b)`` to the input window
``[a*J - P, (b - 1)*J - P + R)``: the input chunk ``[a*J, b*J)`` plus a halo of ``P``
samples before it and ``R - J - P`` after it. :mod:`convnb.tiled` computes with these
windows, and :mod:`convnb.plot.tiling` draws them.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from . import arithmetic
from ._backend import as_int

__all__ = ["AxisPlan", "Tile", "tile_plan"]


class Tile(NamedTuple):
    """One output chunk along one axis and the window each layer reads for it.

    Parameters
    ----------
    output : (int, int)
        ``(start, stop)`` of the stack's output positions.
    inputs : tuple of (int, int)
        For each layer, ``(start, stop)`` of the positions of that layer's input the chunk
        needs, in that layer's input coordinates (below 0 or past the end: padding).
        ``inputs[0]`` is the tile: the chunk's input with its halo.
    """

    output: tuple[int, int]
    inputs: tuple[tuple[int, int], ...]


class AxisPlan(NamedTuple):
    """How a stack of layers is tiled along one spatial axis (see :func:`tile_plan`).

    Parameters
    ----------
    tiles : tuple of Tile
        One per output chunk.
    sizes : tuple of int
        The input size of each layer, then the output size.
    paddings : tuple of (int, int)
        Each layer's ``(before, after)`` padding, resolved.
    receptive_field, jump : int
        The stack's receptive field ``R`` and total stride ``J``
        (:func:`convnb.arithmetic.receptive_field`).
    halo : (int, int)
        ``(P, R - J - P)``: the samples a tile reads before and after its own chunk
        (``R - J`` in all; the second can be negative, when a stride skips samples).
    pad_before, pad_after : int
        How much the input is padded (``P`` before) so that every tile lies inside it (a
        negative ``pad_after`` trims samples no output reads).
    cores : tuple of int
        The chunks of the padded input, one per tile.
    chunks : tuple of int
        The input's own chunks, one per tile (after merging short ones).
    """

    tiles: tuple[Tile, ...]
    sizes: tuple[int, ...]
    paddings: tuple[tuple[int, int], ...]
    receptive_field: int
    jump: int
    halo: tuple[int, int]
    pad_before: int
    pad_after: int
    cores: tuple[int, ...]
    chunks: tuple[int, ...]


def _resolve_layers(layers, input_size):
    """Explicit paddings and sizes through a 1-D stack (``"same"`` resolved layer by layer)."""
    sizes, pads, geoms = [as_int(input_size, "input_size")], [], []
    for n, layer in enumerate(layers):
        if not isinstance(layer, Mapping) or "kernel_size" not in layer:
            raise TypeError(f"layers[{n}] must be a mapping with a kernel_size, got {layer!r}")
        arithmetic.check_layer(layer, n)  # unknown keys (the TypeError above comes first here)
        k, s, d = (layer.get(key, 1) for key in ("kernel_size", "stride", "dilation"))
        padding = layer.get("padding", 0)
        if isinstance(padding, Sequence) and not isinstance(padding, str):  # one pair
            padding = [tuple(padding)]
        _, _, (pair,), (size,) = arithmetic.geometry((sizes[-1],), (k,), s, padding, d)
        sizes.append(size)
        pads.append(pair)
        geoms.append({"kernel_size": k, "stride": s, "dilation": d, "padding": pair})
    return tuple(sizes), tuple(pads), geoms


def tile_plan(
    layers: Sequence[Mapping[str, Any]],
    input_size: int,
    chunks: Sequence[int],
    *,
    edge_min: tuple[int, int] = (0, 0),
) -> AxisPlan:
    """The tiles of a stack of layers along one axis: output chunks, windows and halo.

    This is the geometry :func:`convnb.tiled.conv_stack` computes with, and the picture of
    tiles in the book is drawn from it.

    Parameters
    ----------
    layers : sequence of mappings
        Each with ``kernel_size`` and optionally ``stride``, ``padding`` (an int, a
        ``(before, after)`` pair, ``"valid"`` or ``"same"``) and ``dilation``, all for this axis.
    input_size : int
        Length of the input along this axis.
    chunks : sequence of int
        The input's chunk lengths along this axis (they sum to ``input_size``). Every chunk
        boundary but the last must be a multiple of the stack's total stride.
    edge_min : (int, int), default (0, 0)
        How many input samples the first and the last chunk must hold (reflect padding
        reads ``p + 1`` samples at the edge); shorter edge chunks are merged.

    Returns
    -------
    AxisPlan
        Its fields are described in :class:`AxisPlan`. Output chunk ``j`` starts where
        input chunk boundary ``B`` maps, at ``B / jump``; chunks shorter than the halo are
        merged with the next one.

    Raises
    ------
    ValueError
        If the chunks do not sum to ``input_size`` or a boundary is not aligned to the stride.

    Examples
    --------
    Two 3x3 layers with ``"same"`` padding (receptive field 5) on 12 samples in chunks of 4:
    each tile is its chunk plus a halo of 2 samples on each side.

    >>> plan = tile_plan([{"kernel_size": 3, "padding": "same"}] * 2, 12, (4, 4, 4))
    >>> plan.receptive_field, plan.jump, plan.halo
    (5, 1, (2, 2))
    >>> [tile.inputs[0] for tile in plan.tiles]
    [(-2, 6), (2, 10), (6, 14)]
    >>> [tile.output for tile in plan.tiles]
    [(0, 4), (4, 8), (8, 12)]

    A stride-2 layer needs chunk boundaries at even positions:

    >>> tile_plan([{"kernel_size": 3, "stride": 2}], 12, (5, 7))
    Traceback (most recent call last):
        ...
    ValueError: chunks=(5, 7) has a chunk boundary at 5, not a multiple of the total stride 2
    """
    sizes, pads, geoms = _resolve_layers(layers, input_size)
    chunks = tuple(as_int(c, "chunks") for c in chunks)
    if sum(chunks) != sizes[0] or min(chunks, default=0) < 1:
        raise ValueError(f"chunks={chunks} must be positive and sum to input_size={sizes[0]}")
    field = arithmetic.receptive_field(geoms)[-1]
    size, jump = field.size, field.jump
    for boundary in itertools.accumulate(chunks[:-1]):
        if boundary % jump:
            raise ValueError(
                f"chunks={chunks} has a chunk boundary at {boundary}, not a multiple of the "
                f"total stride {jump}"
            )
    return _plan(geoms, sizes, pads, size, jump, chunks, tuple(edge_min))


def _plan(geoms, sizes, pads, field, jump, chunks, edge_min):
    out_size, size = sizes[-1], sizes[0]
    before, step = 0, 1
    for geom in geoms:
        before += geom["padding"][0] * step
        step *= geom["stride"]
    halo = (before, field - jump - before)
    length = (out_size - 1) * jump + field  # of the padded input, which starts at -before
    depth = max(before, halo[1], 1)
    starts = {b // jump for b in itertools.accumulate(chunks[:-1])}  # of output chunks
    edges = [0, *sorted(j for j in starts if 0 < j < out_size)]

    def core(i):  # chunk i of the padded input: the first and last absorb the padding
        start = 0 if i == 0 else before + edges[i] * jump
        return (before + edges[i + 1] * jump if i + 1 < len(edges) else length) - start

    def own(i):  # chunk i of the input itself
        return (edges[i + 1] * jump if i + 1 < len(edges) else size) - edges[i] * jump

    def too_small(i):
        # map_overlap reads a halo from each neighbour, so every chunk holds `depth` samples;
        # the edge chunks hold what their padding mode reads (edge_min).
        last = i == len(edges) - 1
        return (
            core(i) < depth or (i == 0 and own(i) < edge_min[0]) or (last and own(i) < edge_min[1])
        )

    i = 0
    while len(edges) > 1 and i < len(edges):
        if not too_small(i):
            i += 1
        elif i + 1 < len(edges):
            del edges[i + 1]  # merge with the next chunk
        else:
            del edges[i]  # the last chunk: merge with the one before
            i -= 1
    tiles = []
    for a, b in itertools.pairwise([*edges, out_size]):
        lo, hi, windows = a, b, []
        for geom in reversed(geoms):
            s, d, k = geom["stride"], geom["dilation"], geom["kernel_size"]
            p = geom["padding"][0]
            lo, hi = lo * s - p, (hi - 1) * s - p + d * (k - 1) + 1
            windows.append((lo, hi))
        tiles.append(Tile((a, b), tuple(reversed(windows))))
    cores = tuple(core(i) for i in range(len(edges)))
    own_chunks = tuple(own(i) for i in range(len(edges)))
    pad_after = length - before - size
    return AxisPlan(
        tuple(tiles), sizes, pads, field, jump, halo, before, pad_after, cores, own_chunks
    )
