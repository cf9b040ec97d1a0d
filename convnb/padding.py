"""Padding of the trailing (spatial) axes of an array, in four modes.

Shape notation: ``x`` is ``(..., *spatial)``; padding one spatial axis of length ``n``
by ``(before, after)`` makes it ``before + n + after`` long. The modes follow PyTorch's
``padding_mode`` names:

========== ============================== =========================
mode       padded sample at index ``j``    NumPy ``np.pad`` name
========== ============================== =========================
zeros      0 outside ``[0, n)``           ``"constant"``
reflect    mirror without the edge         ``"reflect"``
replicate  nearest edge sample             ``"edge"``
circular   ``x[j mod n]``                  ``"wrap"``
========== ============================== =========================

:func:`pad_indices` computes, in plain Python, which input sample each padded position
holds; :func:`pad` applies it with array API calls only, so it runs on any backend.
"""

from __future__ import annotations

from collections.abc import Sequence

from array_api_compat import device as _device

from ._backend import arrays, at_least

__all__ = ["PADDING_MODES", "pad", "pad_adjoint", "pad_indices"]

# per mode, the input sample that padded position j (outside 0 .. n-1) holds; -1 is a zero
_SOURCE = {
    "zeros": lambda j, n: -1,
    "reflect": lambda j, n: -j if j < 0 else 2 * (n - 1) - j,  # about the first and last sample
    "replicate": lambda j, n: min(max(j, 0), n - 1),
    "circular": lambda j, n: j % n,
}
PADDING_MODES = tuple(_SOURCE)


def check_mode(mode) -> None:
    if mode not in PADDING_MODES:
        raise ValueError(f"padding_mode={mode!r} is not one of {PADDING_MODES}")


def pad_indices(n: int, before: int, after: int, mode: str = "zeros") -> list[int]:
    """Which input sample each position of a padded axis holds (-1 for a zero).

    Parameters
    ----------
    n : int
        Length of the axis before padding.
    before, after : int
        Padding at the start and at the end.
    mode : {"zeros", "reflect", "replicate", "circular"}
        Padding mode.

    Returns
    -------
    list of int
        ``before + n + after`` indices into the unpadded axis; -1 marks a zero.

    Raises
    ------
    ValueError
        For an unknown mode, or reflect padding of ``n`` or more (there is nothing left to
        mirror), or any non-zero padding of an empty axis except with zeros.

    Examples
    --------
    >>> pad_indices(4, 2, 2, "reflect")
    [2, 1, 0, 1, 2, 3, 2, 1]
    >>> pad_indices(4, 2, 2, "circular")
    [2, 3, 0, 1, 2, 3, 0, 1]
    >>> pad_indices(3, 1, 1)
    [-1, 0, 1, 2, -1]
    """
    check_mode(mode)
    n, before, after = map(at_least, (n, before, after), (0, 0, 0), ("n", "before", "after"))
    if mode == "reflect" and max(before, after) >= n:
        raise ValueError(
            f"reflect padding of ({before}, {after}) needs an input longer than the padding, "
            f"got length {n}"
        )
    if mode != "zeros" and n == 0 and (before or after):
        raise ValueError(f"padding_mode={mode!r} cannot pad an empty axis")
    source = _SOURCE[mode]
    return [j if 0 <= j < n else source(j, n) for j in range(-before, n + after)]


def pad(x, pad_width: Sequence[tuple[int, int]], mode: str = "zeros"):
    """Pad the last ``len(pad_width)`` axes of ``x``.

    Parameters
    ----------
    x : array
        Array of any floating, complex or integer dtype; its trailing axes are padded.
    pad_width : sequence of (int, int)
        ``(before, after)`` for each trailing axis, in axis order.
    mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
        Padding mode (see the module docstring).

    Returns
    -------
    array
        Same library, device and dtype as ``x``; each padded axis grows by ``before + after``.

    Examples
    --------
    >>> import numpy as np
    >>> pad(np.array([[1, 2, 3]]), [(1, 2)], mode="replicate")
    array([[1, 1, 2, 3, 3, 3]])
    >>> pad(np.arange(4.0), [(1, 1)])
    array([0., 0., 1., 2., 3., 0.])
    """
    xp, (x,) = arrays(x, names=["x"])
    check_mode(mode)
    pad_width = [tuple(p) for p in pad_width]
    if len(pad_width) > x.ndim:
        raise ValueError(f"pad_width has {len(pad_width)} entries for an array of rank {x.ndim}")
    for pair in pad_width:
        if len(pair) != 2 or min(pair) < 0:
            raise ValueError(f"pad_width entry {pair!r} must be a non-negative (before, after)")
    first = x.ndim - len(pad_width)
    if mode == "zeros":
        if not any(before or after for before, after in pad_width):
            return x
        # one allocation, the input copied into its interior
        shape = list(x.shape)
        interior = [slice(None)] * x.ndim
        for axis, (before, after) in enumerate(pad_width, start=first):
            interior[axis] = slice(before, before + shape[axis])
            shape[axis] += before + after
        out = xp.zeros(tuple(shape), dtype=x.dtype, device=_device(x))
        out[tuple(interior)] = x
        return out
    for axis, (before, after) in enumerate(pad_width, start=first):
        if before == 0 and after == 0:
            continue
        idx = pad_indices(x.shape[axis], before, after, mode)
        x = xp.take(x, xp.asarray(idx, dtype=xp.int64, device=_device(x)), axis=axis)
    return x


def pad_adjoint(g, pad_width: Sequence[tuple[int, int]], mode: str = "zeros"):
    """The adjoint (transpose) of :func:`pad`: fold a padded array back onto the original.

    Every padded position adds its value to the input sample it copies
    (:func:`pad_indices`); zeros padding simply drops the border. This is how a gradient
    flows back through padding: ``<pad(x), g> == <x, pad_adjoint(g)>`` for all ``x``, ``g``.

    Parameters
    ----------
    g : array
        An array with the shape of a padded array.
    pad_width : sequence of (int, int)
        The padding that was applied to the trailing axes.
    mode : {"zeros", "reflect", "replicate", "circular"}

    Returns
    -------
    array
        The shape before padding.

    Examples
    --------
    >>> import numpy as np
    >>> pad_adjoint(np.arange(6.0), [(1, 2)], mode="replicate")  # 0+1, 2, 3+4+5
    array([ 1.,  2., 12.])
    """
    xp, (g,) = arrays(g, names=["g"])
    check_mode(mode)
    pad_width = [tuple(p) for p in pad_width]
    first = g.ndim - len(pad_width)
    for axis, (before, after) in enumerate(pad_width, start=first):
        if before == 0 and after == 0:
            continue
        n = g.shape[axis] - before - after
        lead = (slice(None),) * axis  # (*lead, s, ...) indexes `axis` with s, the rest whole
        inner = g[(*lead, slice(before, before + n), ...)]
        if mode == "zeros":
            g = inner
            continue
        acc = xp.asarray(inner, copy=True)
        index = pad_indices(n, before, after, mode)
        border = [*range(before), *range(before + n, before + n + after)]
        for start, first, step, length in _runs(border, index):
            # the padded samples start .. start+length-1 copy first, first+step, ...
            part = g[(*lead, slice(start, start + length), ...)]
            if step == 0:
                part = xp.sum(part, axis=axis, keepdims=True)
                dst = (*lead, slice(first, first + 1), ...)
            elif step == 1:
                dst = (*lead, slice(first, first + length), ...)
            else:
                part = xp.flip(part, axis=axis)
                dst = (*lead, slice(first - length + 1, first + 1), ...)
            acc[dst] = acc[dst] + part
        g = acc
    return g


def _runs(positions, index):
    """Group padded positions into runs whose sources step by +1, -1 or 0 (O(len) work)."""
    runs = []
    for p in positions:
        src = index[p]
        if runs:
            start, first, step, length = runs[-1]
            if p == start + length:
                if length == 1 and src - first in (-1, 0, 1):
                    runs[-1] = (start, first, src - first, 2)
                    continue
                if length > 1 and src == first + step * length:
                    runs[-1] = (start, first, step, length + 1)
                    continue
        runs.append((p, src, 1, 1))
    return runs
