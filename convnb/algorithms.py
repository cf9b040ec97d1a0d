"""Which algorithm computes a convolution: the ``algorithm=`` argument of :func:`convnb.conv`.

* ``"direct"``: the definition's multiplications, arranged by :mod:`convnb.kernels` (NumPy,
  CuPy) or by the portable per-tap product (any other array library).
* ``"winograd"`` (F(4x4, 3x3)) and ``"winograd2"`` (F(2x2, 3x3)): :mod:`convnb.winograd`;
  2-D, 3x3 kernels, stride 1, dilation 1, dense or grouped.
* ``"fft"``: :mod:`convnb.fft`; stride 1, 1 to 3 dimensions, any kernel size and dilation,
  dense or grouped.
* ``"auto"`` (the default): :func:`choose`.

Shapes: ``x`` is the padded input ``(N, C_in, *padded)`` and ``weight`` the kernels
``(C_out, C_in / groups, *kernel)``.
"""

from __future__ import annotations

import math

from . import arithmetic, fft, winograd
from ._typing import Array

__all__ = ["ALGORITHMS", "check", "choose", "correlate", "scratch_bytes"]

ALGORITHMS = ("auto", "direct", "winograd", "winograd2", "fft")
_TILE = {"winograd": 4, "winograd2": 2}

# Measured with python -m convnb.bench (2 threads, float32, NumPy + OpenBLAS): below this
# many multiply-accumulates per call the transforms' fixed costs outweigh the saving.
AUTO_MIN_MACS = 20_000_000


def check(algorithm: str, kernel: tuple, stride: tuple, dilation: tuple) -> None:
    """Raise a ValueError naming ``algorithm`` unless it can compute this layer.

    Parameters
    ----------
    algorithm : str
        The caller's ``algorithm`` argument.
    kernel, stride, dilation : tuple of int
        Per spatial dimension, already checked.

    Examples
    --------
    >>> check("winograd", (3, 3), (2, 2), (1, 1))
    Traceback (most recent call last):
        ...
    ValueError: algorithm='winograd' needs stride 1, got stride=(2, 2)
    """
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm={algorithm!r} must be one of {', '.join(ALGORITHMS)}")
    if algorithm in ("auto", "direct"):
        return
    if any(s != 1 for s in stride):
        raise ValueError(f"algorithm={algorithm!r} needs stride 1, got stride={stride}")
    if algorithm in _TILE:
        if any(d != 1 for d in dilation):
            raise ValueError(
                f"algorithm={algorithm!r} needs dilation 1, got dilation={dilation} "
                f"(use algorithm='fft' or 'direct')"
            )
        if kernel != (3, 3):
            raise ValueError(
                f"algorithm={algorithm!r} computes 3x3 kernels in 2-D, got kernel {kernel}"
            )


def choose(
    x: Array,
    weight: Array,
    groups: int,
    stride: tuple,
    dilation: tuple,
    out: tuple | None = None,
) -> str:
    """The algorithm ``"auto"`` runs: a rule on shape and dtype, from measurements.

    Parameters
    ----------
    x : array, shape (N, C_in, *padded)
        The padded input (or the unpadded one, with ``out`` given).
    weight : array, shape (C_out, C_in // groups, *kernel)
        The kernels.
    groups : int
        Channel groups.
    stride, dilation : tuple of int
        Per spatial dimension.
    out : tuple of int, optional
        The output size per spatial dimension; computed from the padded ``x`` when omitted.

    Returns
    -------
    str
        ``"winograd"``, ``"fft"`` or ``"direct"``.

    Notes
    -----
    The rule, in order. Measured here in CPU time with one thread (``time.process_time``,
    the machine being shared), batch 8, float32, ms for direct / F(4x4) / F(2x2) / FFT /
    PyTorch: dense 3x3 256@28 690 / 145 / 173 / 2238 / 205; dense 3x3 64@56
    74 / 66 / 92 / 460 / 52; grouped 3x3 g=32 256@28 31 / 64 / 75 / 94 / 14; 11x11 64@56
    FFT 656, PyTorch 967; 7x7 3->64 at 512x512 direct 233, FFT 1594, PyTorch 224. Re-measure
    with ``python -m convnb.bench --algorithm NAME`` on a quiet machine.

    1. Complex dtypes, strided layers, depthwise layers (one input channel per group,
       memory-bound: fewer multiplications do not help) and layers under
       ``AUTO_MIN_MACS`` multiply-accumulates run ``"direct"``; so do all small examples,
       which therefore keep the definition's exact sums.
    2. 2-D 3x3 dense or grouped layers with dilation 1, at least 16 input channels per
       group and an output of at least 8x8: ``"winograd"`` (F(4x4, 3x3), 4x fewer
       multiplications; float32 error about 10 times that of the direct sum). With 8
       channels per group (ResNeXt's g=32 layer) the 36 small products per tile lose to
       the direct method.
    3. Kernels of at least 9x9 taps (81 in any number of dimensions) with at least 16
       input channels per group: ``"fft"``. NumPy's FFT runs on one thread while the
       direct method's products use all of BLAS's, so the crossover moves with the
       threads: 7x7 64->64 at 56x56, batch 8, direct / FFT ms (minimum of 3) 506 / 363
       with one thread but 316 / 354 with two; 9x9 808 / 361 and 439 / 353; 11x11
       1204 / 562 and 742 / 483.
    4. Everything else: ``"direct"``.
    """
    nd = weight.ndim - 2
    c_out, per_group = weight.shape[:2]
    kernel = tuple(weight.shape[2:])
    if out is None:
        out = arithmetic.geometry(x.shape[2:], kernel, stride, 0, dilation).out
    macs = x.shape[0] * c_out * per_group * math.prod(kernel) * math.prod(out)
    import array_api_compat

    xp = array_api_compat.array_namespace(x)
    if (
        not xp.isdtype(x.dtype, "real floating")
        or any(s != 1 for s in stride)
        or per_group == 1
        or macs < AUTO_MIN_MACS
    ):
        return "direct"
    if nd == 2 and kernel == (3, 3) and all(d == 1 for d in dilation):
        if per_group >= 16 and min(out) >= 8:
            return "winograd"
        return "direct"
    if math.prod(kernel) >= 81 and per_group >= 16:
        return "fft"
    return "direct"


def correlate(algorithm: str, x: Array, weight: Array, groups: int, dilation: tuple) -> Array:
    """Run a fast ``algorithm`` (not ``"direct"``) on a padded, checked input.

    Parameters
    ----------
    algorithm : {"winograd", "winograd2", "fft"}
        Already checked by :func:`check`.
    x : array, shape (N, C_in, *padded)
        The padded input in the working dtype.
    weight : array, shape (C_out, C_in // groups, *kernel)
        Kernels in the working dtype.
    groups : int
        Channel groups.
    dilation : tuple of int
        Per spatial dimension.

    Returns
    -------
    array, shape (N, C_out, *out)
        ``out[j] = padded[j] - dilation[j] * (kernel[j] - 1)`` (stride 1).
    """
    if algorithm in _TILE:
        return winograd.correlate(x, weight, groups, tile=_TILE[algorithm])
    return fft.correlate(x, weight, groups, dilation)


def scratch_bytes(
    algorithm: str, x_shape: tuple, weight_shape: tuple, groups: int, pads: tuple, itemsize: int
) -> int:
    """Bytes of scratch memory a fast ``algorithm`` needs beyond its output (an estimate).

    ``algorithm="auto"`` runs a fast algorithm only where this fits within
    :func:`convnb.kernels.scratch_limit`; otherwise it runs ``"direct"``, whose chunks respect
    the limit. For the FFT it is not an upper bound: the peak that tracemalloc measures
    (output excluded) was 1.0 to 1.6 times this estimate on six layers (1.47 for 11x11
    64->64 at 56x56, batch 8: 310 MiB against 211), because NumPy copies the permuted spectra
    for the per-frequency products and the inverse transforms allocate while the product
    spectra are alive.

    Parameters
    ----------
    algorithm : {"winograd", "winograd2", "fft"}
        The fast algorithm.
    x_shape : tuple of int
        ``(N, C_in, *spatial)`` of the unpadded input.
    weight_shape : tuple of int
        ``(C_out, C_in // groups, *kernel)``.
    groups : int
        Channel groups.
    pads : tuple of (int, int)
        ``(before, after)`` padding per spatial dimension.
    itemsize : int
        Bytes per real element (4 for float32).

    Returns
    -------
    int
        The padded copy of the input, plus Winograd's transformed tiles (three passes of at
        most ``winograd._BLOCK`` bytes) or the FFT's spectra of input, kernels and output.

    Examples
    --------
    >>> scratch_bytes("fft", (1, 1, 6, 6), (1, 1, 3, 3), 1, ((1, 1), (1, 1)), 8)
    3584
    """
    n, c_in, *spatial = x_shape
    c_out = weight_shape[0]
    padded = [i + b + a for i, (b, a) in zip(spatial, pads, strict=True)]
    copy = n * c_in * math.prod(padded) * itemsize
    if algorithm == "fft":
        size = math.prod(fft.fast_length(p) for p in padded)
        spectra = (n * c_in + c_out * weight_shape[1] + n * c_out) * size * 2 * itemsize
        return copy + spectra
    return copy + 3 * winograd._BLOCK
