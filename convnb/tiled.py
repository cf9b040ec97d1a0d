"""Convolution of Dask arrays larger than memory, one tile at a time, each with its halo.

Shapes as in :func:`convnb.conv`: ``x`` is a Dask array ``(N, C_in, *spatial)`` (or
``(C_in, *spatial)``), chunked along the batch and spatial axes, with the channels in one
chunk; weights ``(C_out, C_in / groups, *kernel)`` and biases ``(C_out,)`` are in memory
(NumPy, or CuPy for CuPy chunks). The result is a lazy Dask array ``(N, C_out, *out)``.

An output chunk ``[a, b)`` of a stack of layers with receptive field ``R`` and total stride
(jump) ``J`` along one axis reads the input window ``[a*J - P, (b - 1)*J - P + R)``, where
``P = sum_l p_l * J_l`` is the stack's padding seen from the input (``p_l`` the padding
before layer ``l``, ``J_l`` the product of the strides before it). If the input chunk is
``[a*J, b*J)``, the window is that chunk plus a halo of ``P`` samples before it and
``R - J - P`` after it: ``R - J`` in all, the receptive field.
:func:`convnb.halos.tile_plan` (re-exported here) computes these windows with
:mod:`convnb.arithmetic`. :func:`conv_stack` pads the input once, by padding its first and
last chunks along each axis in place (one task each), and calls
:func:`dask.array.map_overlap` with a depth of ``(P, R - J - P)``: one overlap for the
whole stack. Each task then runs the whole stack on its tile in memory, zeroing the
positions of each intermediate activation that lie in that layer's padding.

Dask is imported only when a Dask array arrives; ``import convnb`` does not load it.
"""

from __future__ import annotations

import functools
import itertools
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from . import arithmetic
from ._backend import (
    FLOATING,
    arrays,
    at_least,
    batched,
    check_channels,
    namespace,
    result_dtype,
)
from .halos import AxisPlan, Tile, tile_plan
from .padding import check_mode, pad_indices

if TYPE_CHECKING:
    import dask.array

    from ._typing import Array

__all__ = ["AxisPlan", "Tile", "conv", "conv_stack", "is_dask_array", "tile_plan"]

_LAYER_KEYS = ("stride", "padding", "dilation", "groups", "padding_mode")


def is_dask_array(x: Any) -> bool:
    """Whether ``x`` is a Dask array (without importing Dask when nobody else has).

    Parameters
    ----------
    x : object
        Anything.

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> is_dask_array(np.ones(3))
    False
    """
    da = sys.modules.get("dask.array")
    return da is not None and isinstance(x, da.Array)


def conv(
    x: dask.array.Array,
    weight: Array,
    bias: Array | None = None,
    *,
    stride: int | Sequence[int] = 1,
    padding: int | str | Sequence[Any] = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> dask.array.Array:
    """:func:`convnb.conv` of a Dask array: lazy, computed tile by tile with its halo.

    ``convnb.conv`` calls this when ``x`` is a Dask array. It is :func:`conv_stack` with one
    layer.

    Parameters
    ----------
    x : dask.array.Array, shape (N, C_in, *spatial) or (C_in, *spatial)
        Chunked along the batch and spatial axes, channels in one chunk. Chunk boundaries
        along a spatial axis must be multiples of that axis's stride.
    weight : array, shape (C_out, C_in // groups, *kernel)
        In memory: NumPy, or CuPy when the chunks of ``x`` are CuPy arrays.
    bias : array, shape (C_out,), optional
    stride, padding, dilation, groups, padding_mode
        As in :func:`convnb.conv` (every padding mode works).

    Returns
    -------
    dask.array.Array, shape (N, C_out, *out)
        ``out`` as for :func:`convnb.conv`; output chunk ``j`` along a spatial axis starts at
        input chunk boundary ``B`` divided by the stride.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> x = da.ones((1, 1, 8, 8), chunks=(1, 1, 4, 4))
    >>> y = conv(x, np.ones((2, 1, 3, 3)), padding="same")
    >>> y.shape, y.chunks[2:]
    ((1, 2, 8, 8), ((4, 4), (4, 4)))
    >>> y[0, 0].compute()[:3, :3]
    array([[4., 6., 6.],
           [6., 9., 9.],
           [6., 9., 9.]])
    """
    layer = dict(
        stride=stride, padding=padding, dilation=dilation, groups=groups, padding_mode=padding_mode
    )
    return _stack(x, [(weight, bias, layer)], None, single=True)


def conv_stack(
    x: dask.array.Array,
    layers: Sequence[tuple[Array, Array | None, Mapping[str, Any]]],
    *,
    activation: Callable[[Array], Array] | None = None,
) -> dask.array.Array:
    """Apply a stack of convolutions to a Dask array in one pass per tile.

    Each task reads its chunk plus one halo as wide as the stack's receptive field (minus
    its total stride) and runs every layer on it in memory; no intermediate activation is
    ever a Dask array, and there is one overlap for the stack, not one per layer.

    Parameters
    ----------
    x : dask.array.Array, shape (N, C_in, *spatial) or (C_in, *spatial)
        Chunked along the batch and spatial axes, channels in one chunk. Chunk boundaries
        along a spatial axis must be multiples of the product of the strides along it.
    layers : sequence of (weight, bias, kwargs)
        ``weight`` and ``bias`` (or None) as in :func:`convnb.conv`, in memory; ``kwargs``
        a mapping with any of ``stride``, ``padding``, ``dilation``, ``groups`` and
        ``padding_mode``. The first layer may use any padding mode; later layers pad with
        zeros (their padding lies between tiles' activations, which only zeros leave local).
    activation : callable, optional
        An elementwise function applied after every layer but the last (e.g. a ReLU).

    Returns
    -------
    dask.array.Array, shape (N, C_out, *out)
        Equal to applying the layers one after the other in memory; ``out`` per spatial axis
        is the last entry of :func:`convnb.arithmetic.stack_sizes`.

    Raises
    ------
    ValueError
        For a chunked channel axis, chunk boundaries not aligned to the total stride, a
        later layer with a padding mode other than zeros, or any error :func:`convnb.conv`
        raises for a layer (the message then starts with ``layers[i]``).
    TypeError
        For a weight or bias that is a Dask array or from another library than the chunks.

    Examples
    --------
    Two 3x3 layers, the second dilated: the halo is the stack's receptive field, 7, minus 1.

    >>> import numpy as np, dask.array as da
    >>> rng = np.random.default_rng(0)
    >>> x = da.from_array(rng.standard_normal((2, 3, 32, 32)), chunks=(1, 3, 16, 16))
    >>> layers = [(rng.standard_normal((4, 3, 3, 3)), None, {"padding": 1}),
    ...           (rng.standard_normal((5, 4, 3, 3)), np.ones(5), {"padding": 2, "dilation": 2})]
    >>> y = conv_stack(x, layers, activation=np.tanh)
    >>> y.shape, y.chunks
    ((2, 5, 32, 32), ((1, 1), (5,), (16, 16), (16, 16)))
    >>> import convnb
    >>> h = np.tanh(convnb.conv(x.compute(), layers[0][0], padding=1))
    >>> expected = convnb.conv(h, layers[1][0], layers[1][1], padding=2, dilation=2)
    >>> bool(np.allclose(y.compute(), expected))
    True
    """
    return _stack(x, list(layers), activation, single=False)


class _Layer(NamedTuple):
    weight: Any
    bias: Any
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    groups: int


def _stack(x, layers, activation, *, single):
    import dask.array as da

    if not is_dask_array(x):
        raise TypeError(f"x must be a Dask array, got {type(x).__module__}.{type(x).__name__}")
    if not layers:
        raise ValueError("layers is empty: give at least one (weight, bias, kwargs)")

    def where(n):
        return "" if single else f"layers[{n}]: "

    meta = x._meta
    first = layers[0][0] if isinstance(layers[0], Sequence) and layers[0] else None
    layout = "(C_out, C_in/groups, *kernel)"
    x, unbatched = batched(x, first, layout, wn=f"{where(0)}weight")
    nd = first.ndim - 2
    if any(c != c for c in x.shape):  # NaN: chunk sizes unknown
        raise ValueError(f"x has unknown chunk sizes {x.chunks}; call x.compute_chunk_sizes()")
    if len(x.chunks[1]) > 1:
        raise ValueError(
            f"x must hold all its channels in one chunk, got x.chunks[{int(not unbatched)}]="
            f"{x.chunks[1]}; rechunk with x.rechunk({{{int(not unbatched)}: -1}})"
        )

    checked, shape, dtype, xp = [], tuple(x.shape), meta.dtype, None
    spatial_layers = [[] for _ in range(nd)]
    for n, layer in enumerate(layers):
        if not (isinstance(layer, Sequence) and len(layer) == 3):
            raise TypeError(f"layers[{n}] must be a (weight, bias, kwargs) triple, got {layer!r}")
        weight, bias, kwargs = layer
        for name, a in (("weight", weight), ("bias", bias)):
            if is_dask_array(a):
                raise TypeError(
                    f"{where(n)}{name} must be in memory (NumPy or CuPy), got a Dask array; "
                    f"call {name}.compute() first"
                )
        names = ["x", f"{where(n)}weight", f"{where(n)}bias"]
        xp, (_, weight, bias) = arrays(
            meta, weight, bias, names=names, optional=names[2:], kinds=FLOATING
        )
        dtype = result_dtype(xp, x=xp.empty((0,), dtype=dtype), weight=weight, bias=bias)
        if not isinstance(kwargs, Mapping) or set(kwargs) - set(_LAYER_KEYS):
            raise ValueError(
                f"layers[{n}] kwargs must be a mapping with keys among {_LAYER_KEYS}, "
                f"got {kwargs!r}"
            )
        try:
            checked_layer, pads, layer_mode, shape = _check_layer(
                weight,
                bias,
                kwargs,
                shape,
                nd,
                first=n == 0,
                source="x has" if n == 0 else f"layers[{n - 1}] gives",
            )
        except (ValueError, TypeError) as exc:
            if single:
                raise
            raise type(exc)(f"layers[{n}]: {exc}") from None
        checked.append(checked_layer)
        for axis in range(nd):
            spatial_layers[axis].append(
                {
                    "kernel_size": weight.shape[2 + axis],
                    "stride": checked_layer.stride[axis],
                    "dilation": checked_layer.dilation[axis],
                    "padding": pads[axis],
                }
            )
        if n == 0:
            mode, first_pads = layer_mode, pads

    plans = []
    for axis in range(nd):
        chunks = x.chunks[2 + axis]
        jump = math.prod(layer["stride"] for layer in spatial_layers[axis])
        for boundary in itertools.accumulate(chunks[:-1]):
            if boundary % jump:
                what = "stride" if single else "product of the layers' strides"
                raise ValueError(
                    f"x.chunks[{axis + 2 - unbatched}]={chunks} has a chunk boundary at "
                    f"{boundary}, not a multiple of the {what} {jump} along spatial axis "
                    f"{axis}; rechunk x so that chunk boundaries are multiples of {jump}"
                )
        # a reflected pad reads the samples next to the edge
        edge_min = tuple(p + 1 for p in first_pads[axis]) if mode == "reflect" else (0, 0)
        plans.append(tile_plan(spatial_layers[axis], x.shape[2 + axis], chunks, edge_min=edge_min))

    if mode == "circular" and any(p != (0, 0) for p in first_pads):
        xpad = _pad_input(da, x, plans, first_pads, mode)  # the far edge: a global gather
    else:
        xpad = _pad_edge_chunks(da, x, plans, first_pads, mode)
    depth = {0: 0, 1: 0} | {
        2 + axis: (plan.pad_before, max(plan.halo[1], 0)) for axis, plan in enumerate(plans)
    }
    out_chunks = (
        x.chunks[0],
        (shape[1],),
        *tuple(tuple(t.output[1] - t.output[0] for t in plan.tiles) for plan in plans),
    )
    y = da.map_overlap(
        functools.partial(
            _run_tile, layers=tuple(checked), plans=tuple(plans), activation=activation
        ),
        xpad,
        depth=depth,
        boundary="none",
        trim=False,
        allow_rechunk=False,
        chunks=out_chunks,
        dtype=dtype,
        meta=xp.empty((0,) * (nd + 2), dtype=dtype),
    )
    return y[0] if unbatched else y


def _check_layer(weight, bias, kwargs, shape, nd, *, first, source):
    """Check one layer against the shape of its input: the layer as :func:`_run_tile` runs
    it, its padding per axis, its padding mode, and its output shape."""
    if weight.ndim != nd + 2:
        raise ValueError(
            f"weight must have shape (C_out, C_in/groups, *kernel) with {nd} kernel dimensions "
            f"like the first layer's, got shape {tuple(weight.shape)}"
        )
    groups = check_channels(shape[1], weight, bias, kwargs.get("groups", 1), has=source)
    c_out, kernel, spatial = weight.shape[0], tuple(weight.shape[2:]), shape[2:]
    stride = at_least(kwargs.get("stride", 1), 1, "stride", nd)
    dilation = at_least(kwargs.get("dilation", 1), 1, "dilation", nd)
    mode = kwargs.get("padding_mode", "zeros")
    check_mode(mode)
    _, _, pads, out = arithmetic.geometry(
        spatial, kernel, stride, kwargs.get("padding", 0), dilation
    )
    if mode != "zeros" and any(p != (0, 0) for p in pads):
        if not first:
            raise ValueError(
                f"padding_mode={mode!r}: only the first layer of a stack can pad with a mode "
                f"other than 'zeros'"
            )
        for size, (before, after) in zip(spatial, pads):
            pad_indices(size, before, after, mode)  # reflect wider than the input: an error
    return _Layer(weight, bias, stride, dilation, groups), pads, mode, (shape[0], c_out, *out)


def _pad_edge_chunks(da, x, plans, first_pads, mode):
    """Pad the input by padding its first and last chunks along each axis, one task each.

    The first layer's own padding uses its mode; beyond it lie only positions that feed
    padding of later layers (zeroed in :func:`_run_tile`), so zeros do. Samples past the
    last tile (a stride's remainder) are trimmed after padding, since a reflected pad
    reads them. Works for every mode that only reads the chunk at the edge.
    """
    x = x.rechunk((x.chunks[0], x.chunks[1], *(plan.chunks for plan in plans)))
    return da.map_blocks(
        functools.partial(_pad_block, plans=tuple(plans), first_pads=first_pads, mode=mode),
        x,
        chunks=(x.chunks[0], x.chunks[1], *(plan.cores for plan in plans)),
        dtype=x.dtype,
        meta=x._meta,
    )


def _pad_block(block, *, plans, first_pads, mode, block_id):
    from .padding import pad  # in memory: NumPy or CuPy

    for axis, (plan, (before, after), i) in enumerate(
        zip(plans, first_pads, block_id[2:]), start=2
    ):
        first, last = i == 0, i == len(plan.tiles) - 1
        if not (first or last):
            continue
        mode_width = (before if first else 0, after if last else 0)
        zero_width = (
            plan.pad_before - before if first else 0,
            max(plan.pad_after - after, 0) if last else 0,
        )
        width = [(0, 0)] * (block.ndim - 1 - axis)
        if mode_width != (0, 0):
            block = pad(block, [mode_width, *width], mode=mode)
        if zero_width != (0, 0):
            block = pad(block, [zero_width, *width])
        if last and plan.pad_after < after:  # a stride's remainder: not read by any tile
            keep = block.shape[axis] + plan.pad_after - after
            block = block[(slice(None),) * axis + (slice(0, keep),)]
    return block


def _pad_input(da, x, plans, first_pads, mode):
    """Pad the input once so every tile lies inside it, and chunk it as the plans say.

    The padding is that of :func:`_pad_edge_chunks`, here joined to the first and last
    chunks; samples past the last tile (a stride's remainder) are trimmed after padding,
    since a circular or reflected pad reads them.
    """
    for axis, (plan, (before, after)) in enumerate(zip(plans, first_pads), start=2):
        x = _pad_axis(da, x, axis, before, after, mode)
        x = _pad_axis(da, x, axis, plan.pad_before - before, max(plan.pad_after - after, 0))
        keep = slice(0, plan.pad_before + plan.sizes[0] + plan.pad_after)
        x = x[(slice(None),) * axis + (keep,)]
    return x.rechunk((x.chunks[0], x.chunks[1], *(plan.cores for plan in plans)))


def _pad_axis(da, x, axis, before, after, mode="zeros"):
    """Pad one axis of a Dask array; each padding is one small block beside the data.

    (``dask.array.pad`` builds a graph that grows with the number of chunks for
    ``reflect``; here the padding is one gather of the samples :func:`pad_indices` names.)
    """
    if before == after == 0:
        return x
    n = x.shape[axis]
    lead = (slice(None),) * axis
    if mode == "zeros":
        parts = [
            da.zeros_like(
                x,
                shape=(*x.shape[:axis], width, *x.shape[axis + 1 :]),
                chunks=(*x.chunks[:axis], (width,), *x.chunks[axis + 1 :]),
                name=f"zeros-{side}{width}-axis{axis}-{x.name}",  # naming skips a slow hash
            )
            for side, width in (("before", before), ("after", after))
        ]
    else:
        index = pad_indices(n, before, after, mode)
        parts = [x[(*lead, index[:before])], x[(*lead, index[before + n :])]]
    pieces = [p for p, width in zip((parts[0], x, parts[1]), (before, n, after)) if width]
    return da.concatenate(pieces, axis=axis)


def _run_tile(block, *, layers, plans, activation, block_id):
    """Run the whole stack on one tile (a NumPy or CuPy block) in memory."""
    import convnb  # the public entry point; the block is in memory, so no recursion

    tiles = [plan.tiles[i] for plan, i in zip(plans, block_id[2:])]
    y = block[(..., *(slice(0, t.inputs[0][1] - t.inputs[0][0]) for t in tiles))]
    for n, layer in enumerate(layers):
        if n:
            y = _zero_padding(y, [(t.inputs[n], plan.sizes[n]) for t, plan in zip(tiles, plans)])
        y = convnb.conv(
            y,
            layer.weight,
            layer.bias,
            stride=layer.stride,
            dilation=layer.dilation,
            groups=layer.groups,
        )
        if activation is not None and n + 1 < len(layers):
            y = activation(y)
    return y


def _zero_padding(y, windows):
    """Zero the samples of an intermediate tile that lie in the next layer's padding."""
    xp = namespace(y)
    nd = len(windows)
    for axis, ((lo, hi), size) in enumerate(windows):
        if lo >= 0 and hi <= size:
            continue
        position = xp.arange(lo, hi)
        inside = (position >= 0) & (position < size)
        y = xp.where(
            xp.reshape(inside, (-1,) + (1,) * (nd - 1 - axis)), y, xp.zeros((), dtype=y.dtype)
        )
    return y
