"""The one computational core of :func:`convnb.conv`, for every array library.

Shapes: ``x`` is the *unpadded* input ``(N, C_in, *spatial)``, ``w`` the weight
``(C_out, C_in / groups, *kernel)``, both already in the result dtype; the result is
``(N, C_out, *out)`` with the sizes of :func:`convnb.arithmetic.geometry`. Only array API
calls are used, so NumPy, CuPy, array-api-strict and the rest run the same code.

:func:`correlate` picks the formulation by shape:

* **depthwise** (one input channel per group): a multiply-accumulate per kernel tap, in
  blocks of channels. The layer is memory-bound; a matrix product per tap would have an
  inner dimension of 1.
* **everything else**: im2col (the taps' strided slices stacked into columns) and one
  matrix product per group, ``(C_out/G, C_in/G * K) @ (C_in/G * K, positions)``. The inner
  dimension is ``C_in/G * K``, long even with 3 input channels.

Both work in chunks of the batch and of output rows (the first spatial axis). A chunk pads
only the rows it reads, so the scratch memory of one call (padded rows, columns, products)
stays within :func:`scratch_limit` whatever the image size; one output row is the smallest
chunk. On the CPU chunks are also capped at 16 MiB (a few MiB of columns); on CuPy
they are as large as the limit allows (few large launches). float16 is computed in float32
and rounded once at the end, as PyTorch does.

Why no NumPy-specific path: the previous version had four (stride tricks, ``out=``
products), and a path may stay only where it is at least 1.3x faster than this core on the
same workload in the same run. It is not, on any of ``python -m convnb.bench``'s workloads:
``benchmarks/compare_versions.py`` (old commit 2cd5a9c against this core with
``algorithm="direct"``, one thread, batch 8, 7 interleaved rounds of subprocesses, median ms
old/new and new/old) gave dense 3x3 s1 64ch 56x56 96.9/97.0 (1.00), dense s2 128->256
30.2/31.6 (1.05), pointwise 256 26.1/26.1 (1.00), grouped g=32 27.7/29.8 (1.08), depthwise
C=256 28x28 22.3/23.5 (1.05), depthwise C=32 112x112 27.5/28.8 (1.05), dense 256ch 28x28
264/243 (0.92), depthwise-separable 48.4/47.0 (0.97), dilated d=4 79.3/72.2 (0.91),
transposed 96.8/93.3 (0.96), 7x7 3->64 512x512 217/209 (0.96), 11x11 64ch 1297/975 (0.75).
Getting there took three changes measured the same way: the depthwise weights reshaped and
the taps' slices indexed once per chunk (``None`` rather than ``expand_dims`` per tap; the
depthwise rows were 1.16-1.31), a one-chunk product returned without a copy, and columns
that are views of ``x`` (one unstrided tap) not counted as scratch, so a pointwise layer is
one product (was 1.15 with two threads).
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Iterator

from array_api_compat import device as _device
from array_api_compat import is_cupy_namespace

from ._backend import as_int
from .padding import pad, pad_indices
from .windows import tap_slices

__all__ = ["current_limit", "scratch_limit"]

_LIMIT: contextvars.ContextVar[int] = contextvars.ContextVar(
    "convnb_scratch_limit", default=256 * 2**20
)
_CPU_CHUNK = 16 * 2**20  # bytes of scratch per chunk on a CPU (preliminary timing: 4-16 MiB best)
_CPU_BLOCK = 2**19  # bytes of a depthwise accumulator block on a CPU (L2)


@contextlib.contextmanager
def scratch_limit(nbytes: int) -> Iterator[None]:
    """Bound the scratch memory of each convolution call in this context (default 256 MiB).

    Scratch memory is what a call allocates besides its inputs and its output: the padded rows,
    the im2col columns and the products of one chunk. ``algorithm="auto"`` runs Winograd or the
    FFT only where their scratch (:func:`convnb.algorithms.scratch_bytes`) fits the limit; an
    explicit ``algorithm="winograd"`` or ``"fft"`` is not bounded by it. Larger problems are
    processed in chunks of the batch and of output rows (one row at the least, so a limit below
    one row's needs is exceeded by that much). Allocator rounding and a band's extra kernel
    rows aside, a call's scratch stays within twice the limit (tested). The setting lives in a
    :mod:`contextvars` variable: it is per thread and per asynchronous task.

    Parameters
    ----------
    nbytes : int
        The limit in bytes, non-negative.

    Yields
    ------
    None
        The limit holds inside the ``with`` block.

    Notes
    -----
    Results are equal up to rounding, not bitwise: chunking along output rows changes the
    shape of each matrix product, and BLAS libraries may block (and so round) products of
    different shapes differently. Chunks along the batch keep every product's shape.

    Examples
    --------
    >>> import numpy as np, convnb
    >>> x, w = np.ones((2, 3, 32, 32)), np.ones((4, 3, 3, 3))
    >>> with scratch_limit(64 * 1024):
    ...     small = convnb.conv(x, w, stride=2)
    >>> bool(np.allclose(small, convnb.conv(x, w, stride=2)))
    True
    """
    limit = as_int(nbytes, "nbytes")
    if limit < 0:
        raise ValueError(f"nbytes={limit} must be non-negative")
    token = _LIMIT.set(limit)
    try:
        yield
    finally:
        _LIMIT.reset(token)


def current_limit() -> int:
    """The scratch limit in force here, in bytes (see :func:`scratch_limit`).

    Returns
    -------
    int
        Bytes; 256 MiB unless a :func:`scratch_limit` block is active.
    """
    return _LIMIT.get()


def correlate(xp, x, w, groups, geom, padding_mode="zeros"):
    """Cross-correlate ``x`` with ``w`` (checked arguments; see the module docstring)."""
    n, c = x.shape[:2]
    c_out, per_group = w.shape[:2]
    out = geom.out
    work = xp.float32 if x.dtype == getattr(xp, "float16", None) else x.dtype
    depthwise = per_group == 1 and groups == c
    itemsize = _itemsize(xp, work)
    taps = tap_slices(w.shape[2:], geom.stride, geom.dilation, out)
    span = geom.dilation[0] * (w.shape[2] - 1) + 1
    k = len(taps)
    row_out = math.prod(out[1:])
    row_in = math.prod(i + b + a for i, (b, a) in zip(x.shape[3:], geom.pads[1:], strict=True))
    # scratch per image and output row: padded input rows (none when the band is a view of x),
    # columns (none for one unstrided tap: a view) or the depthwise accumulator, and a product
    copied = work != x.dtype or any(b or a for b, a in geom.pads)
    view = k == 1 and all(s == 1 for s in geom.stride)
    per_row = (
        (c * geom.stride[0] * row_in if copied else 0)
        + (2 * c_out if depthwise else (0 if view else c * k) + c_out) * row_out
    ) * itemsize
    gpu = is_cupy_namespace(xp)
    budget = _LIMIT.get() if gpu else min(_LIMIT.get(), _CPU_CHUNK)
    # (G, O/G, C/G * K); for a depthwise layer (C, m, K)
    wt = xp.reshape(xp.astype(w, work, copy=False), (groups, c_out // groups, per_group * k))
    block = _LIMIT.get() if gpu else _CPU_BLOCK
    step = c_out // c if depthwise else 1  # depthwise parts count input channels
    shape, y = (n, c_out, *out), None
    for b0, b1, r0, r1 in _chunks(n, out[0], per_row, budget):
        band = _band(xp, x[b0:b1, ...], geom, span, r0, r1, padding_mode)
        band = xp.astype(band, work, copy=False)
        if depthwise:
            parts = _depthwise(xp, band, wt, taps, r1 - r0, out, block)
        else:
            parts = [(0, c_out, _lowered(xp, band, wt, taps, r1 - r0, out, groups))]
        for c0, c1, part in parts:
            part = xp.astype(part, x.dtype, copy=False)
            if y is None:
                if part.shape == shape:
                    return part  # one chunk did it all: no copy into a separate output
                y = xp.empty(shape, dtype=x.dtype, device=_device(x))
            y[b0:b1, c0 * step : c1 * step, r0:r1, ...] = part
    return xp.empty(shape, dtype=x.dtype, device=_device(x)) if y is None else y  # no images


def _itemsize(xp, dtype):
    """Bytes per element (signal's integer inputs come here too)."""
    if xp.isdtype(dtype, "integral"):
        return xp.iinfo(dtype).bits // 8
    return xp.finfo(dtype).bits // 8 * (2 if xp.isdtype(dtype, "complex floating") else 1)


def _chunks(n, rows, per_row, budget):
    """(b0, b1, r0, r1): whole images while they fit the budget, else bands of rows."""
    per_image = per_row * rows
    if per_image <= budget:
        batch = max(1, budget // max(1, per_image))
        for b0 in range(0, n, batch):
            yield b0, min(n, b0 + batch), 0, rows
        return
    band = max(1, budget // max(1, per_row))
    for b0 in range(n):
        for r0 in range(0, rows, band):
            yield b0, b0 + 1, r0, min(rows, r0 + band)


def _band(xp, x, geom, span, r0, r1, mode):
    """The padded input rows that output rows ``r0 .. r1 - 1`` read (first spatial axis)."""
    (before, after), height = geom.pads[0], x.shape[2]
    first = r0 * geom.stride[0]  # padded coordinates, end exclusive
    last = (r1 - 1) * geom.stride[0] + span
    rest = geom.pads[1:]
    if mode == "zeros" or (first >= before and last <= before + height):
        lo, hi = max(0, first - before), min(height, last - before)
        top, bottom = max(0, before - first), max(0, last - before - height)
        return pad(x[:, :, lo:hi, ...], ((top, bottom), *rest), mode=mode)
    index = pad_indices(height, before, after, mode)[first:last]
    rows = xp.take(x, xp.asarray(index, dtype=xp.int64, device=_device(x)), axis=2)
    return pad(rows, ((0, 0), *rest), mode=mode)


def _lowered(xp, band, wt, taps, rows, out, groups):
    """im2col of one band, then one batched product: (G, O/G, C/G*K) @ (B, G, C/G*K, P)."""
    b = band.shape[0]
    windows = [band[(..., *_rows(win, rows))] for win in taps]
    cols = windows[0] if len(windows) == 1 else xp.stack(windows, axis=2)
    cols = xp.reshape(cols, (b, groups, wt.shape[2], rows * math.prod(out[1:])))
    y = wt @ cols  # (B, G, O/G, P)
    return xp.reshape(y, (b, groups * wt.shape[1], rows, *out[1:]))


def _depthwise(xp, band, wt, taps, rows, out, block_bytes):
    """Per-tap multiply-accumulate over blocks of channels: ``acc += x_tap * w_tap``.

    Yields ``(c0, c1, block)``: the outputs of input channels ``c0 .. c1 - 1``."""
    b, c = band.shape[:2]
    m = wt.shape[1]
    shape = (rows, *out[1:])
    item = _itemsize(xp, band.dtype)
    block = max(1, block_bytes // max(1, b * m * math.prod(shape) * item))
    # the weights as (1, C, m, taps, 1, ...) and the taps' slices: built once, viewed per block
    weights = xp.reshape(wt, (1, c, m, len(taps)) + (1,) * len(shape))
    windows = [(slice(None), slice(None), None, *_rows(win, rows)) for win in taps]
    for c0 in range(0, c, block):
        c1 = min(c, c0 + block)
        acc, part, wb = None, band[:, c0:c1, ...], weights[:, c0:c1, ...]
        for t, window in enumerate(windows):
            term = part[window] * wb[:, :, :, t, ...]
            if acc is None:
                acc = term
            else:
                acc += term
        yield c0, c1, xp.reshape(acc, (b, (c1 - c0) * m, *shape))


def _rows(window, rows):
    """A tap's slices with the first one restricted to ``rows`` outputs (band coordinates)."""
    first = window[0]
    step = first.step
    return (slice(first.start, first.start + step * (rows - 1) + 1, step), *window[1:])
