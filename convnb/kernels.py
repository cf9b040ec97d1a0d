"""Fast paths of :func:`convnb.conv` for NumPy and CuPy arrays.

Both libraries have ``lib.stride_tricks``, ``matmul`` with ``out=`` and in-place arithmetic,
so one implementation serves both; any other array library takes the portable
array-API path in :mod:`convnb.conv`, which stays as the reference implementation of the
same arithmetic (and is tested on array-api-strict). Which formulation is fastest depends
on the layer, so :func:`correlate` picks one by its shape:

* **depthwise** (one input channel per group): a multiply-accumulate per kernel tap, in
  blocks of channels small enough to stay in cache. The layer is memory-bound, so the
  point is to touch each byte as few times as possible, not to call a matrix multiply.
* **pointwise** (1x1, stride 1): one matrix product on the input as it is.
* **stride 1** (dense, grouped, dilated, few or many channels): the output is computed on a
  grid as wide as the padded input, where every tap's samples form one contiguous slice of
  the flattened input (offset ``sum_j t_j d_j stride_j``), so dilation costs nothing extra.
  The slices of all taps are copied into a cache-sized column buffer and multiplied in one
  matrix product per chunk of positions (a long inner dimension keeps the matrix multiply
  efficient even with 3 input channels). The surplus columns are dropped at the end.
* **strided**: im2col through a strided view, then one matrix product per group, in chunks
  of the batch and of output rows so that the column matrix never exceeds the scratch
  limit.

Shapes: ``x`` is the padded input ``(N, C_in, *padded)`` in the working dtype, ``w`` the
weight ``(C_out, C_in / groups, *kernel)``; the result is ``(N, C_out, *out)``.
"""

from __future__ import annotations

import contextlib
import math
import sys

from .windows import tap_offsets, tap_slices

__all__ = ["scratch_limit"]

_LIMIT = [256 * 2**20]  # bytes of scratch memory one call may use (see scratch_limit)
_CACHE_BLOCK = 2**19  # bytes of output a depthwise block keeps hot
_GATHER_BLOCK = 2**20  # bytes of the column buffer of one matrix product


@contextlib.contextmanager
def scratch_limit(nbytes: int):
    """Temporarily bound the scratch memory of one convolution call (default 256 MiB).

    Larger problems are processed in chunks of the batch and of output rows, with the same
    result.

    Examples
    --------
    >>> import numpy as np, convnb
    >>> x, w = np.ones((2, 3, 32, 32)), np.ones((4, 3, 3, 3))
    >>> with scratch_limit(64 * 1024):
    ...     small = convnb.conv(x, w, stride=2)
    >>> bool((small == convnb.conv(x, w, stride=2)).all())
    True
    """
    previous = _LIMIT[0]
    _LIMIT[0] = int(nbytes)
    try:
        yield
    finally:
        _LIMIT[0] = previous


def native(x):
    """The NumPy or CuPy module behind ``x``, or None for any other library."""
    name = type(x).__module__.split(".")[0]
    return sys.modules[name] if name in ("numpy", "cupy") else None


def correlate(mod, x, w, groups, stride, dilation, out):
    """Cross-correlate with the fastest formulation for this shape (see module docstring)."""
    per_group = w.shape[1]
    if per_group == 1 and groups == x.shape[1]:
        return _depthwise(mod, x, w, stride, dilation, out)
    if math.prod(w.shape[2:]) == 1 and all(s == 1 for s in stride):
        return _pointwise(mod, x, w, groups)
    if all(s == 1 for s in stride):
        return _wide(mod, x, w, groups, dilation, out)
    return _im2col(mod, x, w, groups, stride, dilation, out)


def _pointwise(mod, x, w, groups):
    n = x.shape[0]
    c_out, per_group = w.shape[:2]
    positions = math.prod(x.shape[2:])
    y = mod.matmul(
        w.reshape(groups, c_out // groups, per_group), x.reshape(n, groups, per_group, positions)
    )
    return y.reshape(n, c_out, *x.shape[2:])


def _depthwise(mod, x, w, stride, dilation, out):
    n, c = x.shape[:2]
    m = w.shape[0] // c
    nd = len(out)
    p = math.prod(out)
    taps = tap_slices(w.shape[2:], stride, dilation, out)
    wt = w.reshape(c, m, len(taps))
    y = mod.empty((n, c, m, *out), dtype=x.dtype)
    block = max(1, _CACHE_BLOCK // max(1, n * m * p * x.dtype.itemsize))
    tmp = mod.empty((n, min(block, c), m, *out), dtype=x.dtype)
    for c0 in range(0, c, block):
        c1 = min(c, c0 + block)
        acc, scratch = y[:, c0:c1], tmp[:, : c1 - c0]
        for t, window in enumerate(taps):
            patch = x[(slice(None), slice(c0, c1), None, *window)]  # (n, cc, 1, *out)
            weight = wt[c0:c1, :, t].reshape((1, c1 - c0, m) + (1,) * nd)
            if t == 0:
                mod.multiply(patch, weight, out=acc)
            else:
                mod.multiply(patch, weight, out=scratch)
                acc += scratch
    return y.reshape(n, c * m, *out)


def _wide(mod, x, w, groups, dilation, out):
    n, c = x.shape[:2]
    c_out, per_group = w.shape[:2]
    kernel, padded = tuple(w.shape[2:]), tuple(x.shape[2:])
    total = math.prod(padded)
    steps = [math.prod(padded[j + 1 :]) for j in range(len(padded))]
    wide = out[0] * steps[0]  # out[0] rows of the full padded width
    offsets = [
        sum(o * s for o, s in zip(off, steps, strict=True))
        for off in tap_offsets(kernel, dilation)
    ]
    k = len(offsets)
    length = max(total, offsets[-1] + wide)
    g_out = c_out // groups
    wmat = w.reshape(groups, g_out, per_group * k)
    y = mod.empty((n, c_out, *out), dtype=x.dtype)
    # scratch per image: the flattened input and the wide output; batch chunks fit the limit
    per_image = (c * length + c_out * wide) * x.dtype.itemsize
    batch = max(1, min(n, _LIMIT[0] // max(1, per_image)))
    chunk = max(64, min(wide, _GATHER_BLOCK // (c * k * x.dtype.itemsize)))
    buffers = {}
    keep = (slice(None), slice(None), slice(None), *(slice(0, o) for o in out[1:]))
    for b0 in range(0, n, batch):
        b1 = min(n, b0 + batch)
        flat = mod.zeros((b1 - b0, c, length), dtype=x.dtype)
        flat[:, :, :total] = x[b0:b1].reshape(b1 - b0, c, total)
        src = flat.reshape(b1 - b0, groups, per_group, length)
        acc = mod.empty((b1 - b0, groups, g_out, wide), dtype=x.dtype)
        for b in range(b1 - b0):
            for p0 in range(0, wide, chunk):
                p1 = min(wide, p0 + chunk)
                width = p1 - p0
                if width not in buffers:
                    buffers[width] = mod.empty((groups, per_group, k, width), dtype=x.dtype)
                buf = buffers[width]
                for t, off in enumerate(offsets):  # contiguous slices: plain copies
                    buf[:, :, t, :] = src[b, :, :, off + p0 : off + p1]
                cols = buf.reshape(groups, per_group * k, width)
                mod.matmul(wmat, cols, out=acc[b, :, :, p0:p1])
        y[b0:b1] = acc.reshape(b1 - b0, c_out, out[0], *padded[1:])[keep]
        del flat, src, acc  # free this chunk before the next one is allocated
    return y


def _im2col(mod, x, w, groups, stride, dilation, out):
    n, c = x.shape[:2]
    c_out, per_group = w.shape[:2]
    kernel = tuple(w.shape[2:])
    k = math.prod(kernel)
    g_out = c_out // groups
    wt = w.reshape(groups, g_out, per_group * k)
    y = mod.empty((n, groups, g_out, *out), dtype=x.dtype)
    itemsize = x.dtype.itemsize
    # rows of output (along the first spatial axis) whose columns fit the scratch limit
    per_row = c * k * math.prod(out[1:]) * itemsize
    rows = max(1, min(out[0], _LIMIT[0] // max(1, per_row)))
    batch = max(1, min(n, _LIMIT[0] // max(1, per_row * out[0])))
    s0 = x.strides
    view_strides = (
        s0[0],
        s0[1],
        *(sd * d for sd, d in zip(s0[2:], dilation, strict=True)),
        *(sd * st for sd, st in zip(s0[2:], stride, strict=True)),
    )
    for b0 in range(0, n, batch):
        b1 = min(n, b0 + batch)
        for r0 in range(0, out[0], rows if batch == 1 else out[0]):
            r1 = min(out[0], r0 + (rows if batch == 1 else out[0]))
            start = x[b0:b1, :, r0 * stride[0] :]
            shape = (b1 - b0, c, *kernel, r1 - r0, *out[1:])
            view = mod.lib.stride_tricks.as_strided(start, shape=shape, strides=view_strides)
            cols = view.reshape(b1 - b0, groups, per_group * k, -1)  # the one copy
            part = mod.matmul(wt, cols)  # (b, G, O/G, positions)
            y[b0:b1, :, :, r0:r1] = part.reshape(b1 - b0, groups, g_out, r1 - r0, *out[1:])
            del cols, part  # free this chunk before the next one is allocated
    return y.reshape(n, c_out, *out)
