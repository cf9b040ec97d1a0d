"""FFT convolution: a stride-1 layer as products of spectra (the convolution theorem).

The discrete Fourier transform turns a circular correlation into a pointwise product:
``DFT(x corr w) = DFT(x) * conj(DFT(conj(w)))``. With the transform length at least the
padded input's, every output a valid (unpadded-output) position needs is free of
wrap-around, so a stride-1 layer is: transform the input and the (dilated) kernels, sum
over input channels in frequency space, and transform back. The cost per output position
grows with ``log`` of the input size instead of with the kernel's taps, so it wins for
large kernels.

Shapes: ``x`` is the padded input ``(N, C_in, *padded)`` in 1 to 3 spatial dimensions,
``weight`` is ``(C_out, C_in / groups, *kernel)``; the result is
``(N, C_out, *(padded - d (kernel - 1)))``. Only ``xp.fft``, ``conj``, ``matmul`` and
array-API indexing are used, so NumPy, CuPy and any array-API library run the same code.
"""

from __future__ import annotations

import math

from array_api_compat import array_namespace
from array_api_compat import device as device_of

from ._typing import Array

__all__ = ["correlate", "fast_length"]


def fast_length(n: int) -> int:
    """The smallest ``2^a 3^b 5^c`` at least ``n``: a length every FFT library does fast.

    Parameters
    ----------
    n : int
        The minimum length.

    Returns
    -------
    int
        A 5-smooth integer ``>= n``.

    Examples
    --------
    >>> [fast_length(n) for n in (1, 7, 58, 61, 97)]
    [1, 8, 60, 64, 100]
    """
    best = 1 << max(0, (n - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            q = p35
            while q < n:
                q *= 2
            best = min(best, q)
            p35 *= 3
        p5 *= 5
    return best


def correlate(x: Array, weight: Array, groups: int = 1, dilation: tuple = ()) -> Array:
    """Stride-1 cross-correlation of a padded input through the FFT, in 1 to 3 dimensions.

    Parameters
    ----------
    x : array, shape (N, C_in, *padded)
        The input, already padded, in the working (floating) dtype.
    weight : array, shape (C_out, C_in // groups, *kernel)
        Kernels, same dtype.
    groups : int, default 1
        As in :func:`convnb.conv`.
    dilation : tuple of int, optional
        Spacing of the kernel taps per spatial dimension (default all 1): the kernel is
        spread out with zeros, which costs an FFT nothing.

    Returns
    -------
    array, shape (N, C_out, *out)
        ``out[j] = padded[j] - dilation[j] * (kernel[j] - 1)``; the same values as the
        definition, up to rounding (about ``log2(length)`` units of roundoff, relative to
        the largest output).

    Notes
    -----
    Arguments are not checked here; :func:`convnb.conv` with ``algorithm="fft"`` checks
    them and pads. Real inputs use the real FFT (half the spectrum). The channel sum is
    a loop of broadcast multiply-adds when a group has few input channels, else one
    batched matrix product per frequency.

    Examples
    --------
    >>> import numpy as np, convnb
    >>> rng = np.random.default_rng(0)
    >>> x, w = rng.standard_normal((1, 2, 20)), rng.standard_normal((3, 2, 9))
    >>> bool(np.allclose(correlate(x, w), convnb.conv(x, w, algorithm="direct")))
    True
    """
    xp = array_namespace(x, weight)
    nd = weight.ndim - 2
    n = x.shape[0]
    c_out, per_group = weight.shape[:2]
    dev = device_of(x)
    dilation = tuple(dilation) or (1,) * nd
    if any(d != 1 for d in dilation):
        spread = tuple(d * (k - 1) + 1 for d, k in zip(dilation, weight.shape[2:], strict=True))
        wide = xp.zeros((c_out, per_group, *spread), dtype=weight.dtype, device=dev)
        wide[(..., *(slice(None, None, d) for d in dilation))] = weight
        weight = wide
    padded, kernel = tuple(x.shape[2:]), tuple(weight.shape[2:])
    out = tuple(p - k + 1 for p, k in zip(padded, kernel, strict=True))
    size = tuple(fast_length(p) for p in padded)
    real = xp.isdtype(x.dtype, "real floating")
    fx = _forward(xp, x, size, real)
    fw = xp.conj(_forward(xp, weight if real else xp.conj(weight), size, real))
    freq = tuple(fx.shape[2:])
    f = math.prod(freq)
    g_out = c_out // groups
    fx = xp.reshape(fx, (n, groups, per_group, f))
    fw = xp.reshape(fw, (groups, g_out, per_group, f))
    if per_group <= 8:  # few channels: broadcast multiply-adds over whole spectra
        fy = fw[None, :, :, 0, :] * fx[:, :, None, 0, :]
        for j in range(1, per_group):
            fy = fy + fw[None, :, :, j, :] * fx[:, :, None, j, :]
    else:  # many channels: per frequency, (C_out/g, C_in/g) @ (C_in/g, N) for each group
        a = xp.permute_dims(fw, (3, 0, 1, 2))  # (F, G, O/G, C/G)
        b = xp.permute_dims(fx, (3, 1, 2, 0))  # (F, G, C/G, N)
        fy = xp.permute_dims(a @ b, (3, 1, 2, 0))  # (N, G, O/G, F)
    fy = xp.reshape(fy, (n, c_out, *freq))
    for ax in range(2, 1 + nd):  # inverse along the leading axes, keeping only outputs
        fy = xp.fft.ifft(fy, n=size[ax - 2], axis=ax)
        fy = fy[(slice(None),) * ax + (slice(0, out[ax - 2]), ...)]
    inverse = xp.fft.irfft if real else xp.fft.ifft
    y = inverse(fy, n=size[-1], axis=-1)
    return xp.astype(y[..., : out[-1]], x.dtype, copy=False)


def _forward(xp, a, size, real):
    """The n-D spectrum of ``a`` zero-padded to ``size``, one axis at a time.

    The last axis goes first, while the other axes still have their unpadded extents (a
    kernel's few rows rather than the input's many): the same result as ``rfftn(a, s=size)``
    for less work."""
    nd = len(size)
    a = xp.fft.rfft(a, n=size[-1], axis=-1) if real else xp.fft.fft(a, n=size[-1], axis=-1)
    for ax in range(a.ndim - 2, a.ndim - 1 - nd, -1):
        a = xp.fft.fft(a, n=size[ax - a.ndim], axis=ax)
    return a
