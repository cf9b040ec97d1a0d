"""Convolution and cross-correlation of plain signals, as in signal processing.

``in1`` and ``in2`` are arrays (or array-likes: numbers, nested lists) of the same rank,
any rank from 0 up, with no batch or channel axes. Integer inputs give exact integer
results and bool inputs a bool result (whether any pair of ``True`` meets), as in SciPy.
The semantics, including the three output modes, are those of
:func:`scipy.signal.convolve` and :func:`scipy.signal.correlate`:

* ``convolve``: ``z[n] = sum_k in1[k] * in2[n - k]`` (the kernel is flipped);
* ``correlate``: ``z[n] = sum_k in1[k + n] * conj(in2[k])`` (no flip), aligned so that
  ``correlate(a, v) == convolve(a, flip(conj(v)))``;
* ``mode="full"``: every position with any overlap, size ``N + M - 1``;
  ``"same"``: the centre of the full result with the size of ``in1``;
  ``"valid"``: only positions of complete overlap, size ``N - M + 1``.
"""

from __future__ import annotations

from . import arithmetic
from ._backend import arrays, result_dtype
from ._typing import Array, ArrayLike
from .convolution import compute

__all__ = ["convolve", "correlate", "taps"]

MODES = ("full", "same", "valid")
_NUMERIC = ("bool", "integral", "real floating", "complex floating")


def convolve(in1: ArrayLike, in2: ArrayLike, mode: str = "full") -> Array:
    """Convolve two N-dimensional arrays: flip, shift, multiply, sum.

    Parameters
    ----------
    in1 : array_like
        First input.
    in2 : array_like
        Second input, of the same rank. Convolution is commutative, so which one is
        "the kernel" does not matter for ``"full"``.
    mode : {"full", "same", "valid"}, default "full"
        Output size: see the module docstring.

    Returns
    -------
    array
        Same library as the inputs, dtype their result type.

    Raises
    ------
    ValueError
        For different ranks, an empty input, an unknown mode, or
        ``"valid"`` when neither input is at least as large as the other in every dimension.

    Examples
    --------
    >>> import numpy as np
    >>> convolve(np.array([1, 2, 3]), np.array([0, 1, 0.5]))
    array([0. , 1. , 2.5, 4. , 1.5])
    >>> convolve([1, 2, 3], [0, 1, 0.5], mode="same")
    array([1. , 2.5, 4. ])
    """
    xp, (in1, in2) = arrays(in1, in2, names=["in1", "in2"], kinds=_NUMERIC)
    _check(xp, in1, in2, mode)
    return _convolve(xp, in1, in2, mode)


def _convolve(xp, in1, in2, mode):
    if mode == "valid" and not _fits(in2.shape, in1.shape):
        if not _fits(in1.shape, in2.shape):
            raise ValueError(
                f"mode='valid' needs one input at least as large as the other in every "
                f"dimension, got shapes {tuple(in1.shape)} and {tuple(in2.shape)}"
            )
        in1, in2 = in2, in1  # convolution commutes: keep the larger one as the signal
    dtype = result_dtype(xp, in1=in1, in2=in2)
    if xp.isdtype(dtype, "bool"):  # SciPy: True where any pair of True meets
        return _full(xp, xp.astype(in1, xp.int64), xp.astype(in2, xp.int64), mode) != 0
    return _full(xp, in1, in2, mode)


def correlate(in1: ArrayLike, in2: ArrayLike, mode: str = "full") -> Array:
    """Cross-correlate two N-dimensional arrays: shift, multiply, sum.

    This is what deep-learning frameworks call "convolution": the kernel is not flipped.
    Complex kernels are conjugated, as in :func:`scipy.signal.correlate`.

    Parameters
    ----------
    in1 : array_like
        First input.
    in2 : array_like
        Second input, of the same rank.
    mode : {"full", "same", "valid"}, default "full"
        Output size: see the module docstring.

    Returns
    -------
    array
        ``convolve(in1, flip(conj(in2)), mode)``, which is how it is computed.

    Raises
    ------
    ValueError
        As :func:`convolve`.

    Examples
    --------
    >>> import numpy as np
    >>> correlate(np.array([1, 2, 3]), np.array([0, 1, 0.5]))
    array([0.5, 2. , 3.5, 3. , 0. ])
    >>> correlate(np.array([1, 2, 3]), np.array([0, 1, 0.5]), mode="valid")
    array([3.5])
    """
    xp, (in1, in2) = arrays(in1, in2, names=["in1", "in2"], kinds=_NUMERIC)
    _check(xp, in1, in2, mode)
    kernel = xp.conj(in2) if xp.isdtype(in2.dtype, "complex floating") else in2
    return _convolve(xp, in1, xp.flip(kernel) if kernel.ndim else kernel, mode)


def taps(n1: int, n2: int, shift: int, *, flip: bool = False) -> list[tuple[int, int]]:
    """Which samples meet at one output of a full 1-D convolution or correlation.

    Output ``shift`` of ``convolve(in1, in2)`` (``flip=True``) or ``correlate(in1, in2)``
    (``flip=False``), in ``"full"`` mode, is the sum of ``in1[i] * in2[j]`` (``conj(in2[j])``
    for correlation) over the pairs returned here. Pairs whose ``i`` falls outside
    ``0 .. n1 - 1`` meet the implicit zeros around ``in1`` and contribute nothing; they are
    returned so a picture can show the whole kernel.

    Parameters
    ----------
    n1, n2 : int
        Lengths of the signal and the kernel.
    shift : int
        Output index in the full result, ``0 .. n1 + n2 - 2``.
    flip : bool, default False
        True for convolution (the kernel is reversed), False for cross-correlation.

    Returns
    -------
    list of (int, int)
        ``(i, j)`` pairs in order of increasing ``i``: kernel sample ``j`` lies over signal
        position ``i``.

    Examples
    --------
    Correlation slides the kernel as it is; convolution slides it reversed:

    >>> taps(5, 3, 2)
    [(0, 0), (1, 1), (2, 2)]
    >>> taps(5, 3, 2, flip=True)
    [(0, 2), (1, 1), (2, 0)]
    >>> taps(5, 3, 0)
    [(-2, 0), (-1, 1), (0, 2)]
    """
    if n1 < 1 or n2 < 1:
        raise ValueError(f"lengths must be positive, got n1={n1}, n2={n2}")
    if not 0 <= shift <= n1 + n2 - 2:
        raise ValueError(f"shift={shift} is outside the full output 0..{n1 + n2 - 2}")
    start = shift - (n2 - 1)  # signal position under the kernel's first slot
    return [(start + j, n2 - 1 - j if flip else j) for j in range(n2)]


def _check(xp, in1, in2, mode):
    if in1.ndim != in2.ndim:
        raise ValueError(
            f"in1 and in2 must have the same rank, got shapes {tuple(in1.shape)} "
            f"and {tuple(in2.shape)}"
        )
    if 0 in in1.shape or 0 in in2.shape:
        raise ValueError(
            f"inputs must not be empty, got shapes {tuple(in1.shape)} and {tuple(in2.shape)}"
        )
    if mode not in MODES:
        raise ValueError(f"mode={mode!r} is not one of {MODES}")
    result_dtype(xp, in1=in1, in2=in2)


def _fits(small, large):
    return all(s <= g for s, g in zip(small, large, strict=True))


def _full(xp, signal, kernel, mode):
    """Convolution as a cross-correlation with the flipped kernel, then cropped."""
    if signal.ndim == 0:
        return xp.reshape(_full(xp, xp.reshape(signal, (1,)), xp.reshape(kernel, (1,)), mode), ())
    m = tuple(kernel.shape)
    pads = [(0, 0) if mode == "valid" else (k - 1, k - 1) for k in m]
    geom = arithmetic.geometry(signal.shape, m, 1, pads, 1)
    x = xp.reshape(signal, (1, 1, *signal.shape))
    w = xp.reshape(xp.flip(kernel), (1, 1, *m))
    z = compute(xp, x, w, None, 1, geom)[0, 0, ...]
    if mode == "same":
        # centre of the full result, as scipy.signal._centered does
        starts = [(f - n) // 2 for f, n in zip(z.shape, signal.shape, strict=True)]
        z = z[tuple(slice(s, s + n) for s, n in zip(starts, signal.shape, strict=True))]
    return z
