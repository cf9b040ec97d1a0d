"""Zero insertion, nearest-neighbour upsampling and pixel shuffle.

Shapes: ``x`` is ``(N, C, *spatial)`` (or, for :func:`dilate_kernel`, a weight
``(C_out, C_in, *kernel)``); the functions act on the trailing spatial axes. Zero insertion
is the link between three chapters: a dilated kernel is a dense kernel with zeros inserted
between its taps, and a strided transposed convolution is an ordinary convolution of the
input with zeros inserted between its samples. Upsampling and pixel shuffle are the two
standard remedies for the checkerboard artifacts of transposed convolutions.
"""

from __future__ import annotations

from collections.abc import Sequence

from array_api_compat import device as _device

from ._backend import arrays, as_int, at_least

__all__ = ["dilate_kernel", "insert_zeros", "pixel_shuffle", "pixel_unshuffle", "upsample_nearest"]


def insert_zeros(x, factor, *, axes=None):
    """Put ``factor - 1`` zeros between neighbouring samples along the spatial axes.

    Parameters
    ----------
    x : array, shape (N, C, *spatial)
    factor : int or tuple of int
        1 leaves an axis as it is.
    axes : tuple of int, optional
        The axes to stretch; by default all axes after the first two.

    Returns
    -------
    array
        Each stretched axis of length ``n`` becomes ``(n - 1) * factor + 1`` long.

    Examples
    --------
    >>> import numpy as np
    >>> insert_zeros(np.array([[[1.0, 2.0, 3.0]]]), 2)
    array([[[1., 0., 2., 0., 3.]]])
    """
    xp, (x,) = arrays(x, names=["x"])
    if axes is None:
        axes = tuple(range(2, x.ndim))
    else:
        axes = tuple(as_int(a, "axes") for a in (axes if isinstance(axes, Sequence) else (axes,)))
        outside = any(not -x.ndim <= a < x.ndim for a in axes)
        if outside or len({a % x.ndim for a in axes}) < len(axes):
            raise ValueError(f"axes={axes} must be distinct axes of x, which has rank {x.ndim}")
        axes = tuple(a % x.ndim for a in axes)
    factors = at_least(factor, 1, "factor", len(axes))
    shape, index = list(x.shape), [slice(None)] * x.ndim
    for axis, f in zip(axes, factors, strict=True):
        shape[axis] = (shape[axis] - 1) * f + 1 if shape[axis] else 0
        index[axis] = slice(None, None, f)
    out = xp.zeros(tuple(shape), dtype=x.dtype, device=_device(x))
    out[tuple(index)] = x
    return out


def dilate_kernel(weight, dilation):
    """The dense kernel that a dilated kernel stands for: zeros between the taps.

    A convolution with ``weight`` and ``dilation=d`` equals a convolution with
    ``dilate_kernel(weight, d)`` and ``dilation=1``; its span is ``d*(k-1) + 1``.

    Parameters
    ----------
    weight : array_like, shape (C_out, C_in, *kernel)
        Kernels.
    dilation : int or tuple of int
        Spacing between taps.

    Returns
    -------
    array, shape (C_out, C_in, *(d*(k-1) + 1))
        The dense kernel.

    Examples
    --------
    >>> import numpy as np
    >>> dilate_kernel(np.ones((1, 1, 3)), 2)
    array([[[1., 0., 1., 0., 1.]]])
    """
    return insert_zeros(weight, dilation)


def upsample_nearest(x, factor):
    """Repeat every sample ``factor`` times along each spatial axis (nearest neighbour).

    Parameters
    ----------
    x : array_like, shape (N, C, *spatial)
        Input.
    factor : int or tuple of int
        Repeats per spatial axis.

    Returns
    -------
    array, shape (N, C, *(spatial * factor))
        The upsampled input.

    Examples
    --------
    >>> import numpy as np
    >>> upsample_nearest(np.array([[[1.0, 2.0]]]), 3)
    array([[[1., 1., 1., 2., 2., 2.]]])
    """
    xp, (x,) = arrays(x, names=["x"])
    factors = at_least(factor, 1, "factor", x.ndim - 2)
    for axis, f in enumerate(factors, start=2):
        x = xp.repeat(x, f, axis=axis)
    return x


def pixel_shuffle(x, factor):
    """Rearrange ``(N, C*r^2, H, W)`` into ``(N, C, H*r, W*r)`` (Shi et al., 2016).

    A convolution producing ``r^2`` times the channels, followed by this rearrangement, is
    the "sub-pixel convolution": an upsampling layer in which every output pixel gets its
    own kernel, so no output is the sum of more overlapping kernels than another. Channel
    ``c*r^2 + i*r + j`` becomes the sub-pixel ``(i, j)`` of channel ``c``, as in PyTorch's
    ``pixel_shuffle``.

    Parameters
    ----------
    x : array_like, shape (N, C*r^2, H, W)
        Input.
    factor : int
        The upscaling factor ``r``.

    Returns
    -------
    array, shape (N, C, H*r, W*r)
        The rearranged input.

    Examples
    --------
    >>> import numpy as np
    >>> pixel_shuffle(np.arange(4.0).reshape(1, 4, 1, 1), 2)[0, 0]
    array([[0., 1.],
           [2., 3.]])
    """
    xp, (x,) = arrays(x, names=["x"])
    r = as_int(factor, "factor")
    if x.ndim != 4 or r < 1 or x.shape[1] % (r * r):
        raise ValueError(
            f"pixel_shuffle needs x of shape (N, C*{r}^2, H, W) with factor >= 1, "
            f"got shape {tuple(x.shape)}"
        )
    n, c, h, w = x.shape
    y = xp.reshape(x, (n, c // (r * r), r, r, h, w))
    y = xp.permute_dims(y, (0, 1, 4, 2, 5, 3))
    return xp.reshape(y, (n, c // (r * r), h * r, w * r))


def pixel_unshuffle(x, factor):
    """The inverse of :func:`pixel_shuffle`: ``(N, C, H*r, W*r)`` to ``(N, C*r^2, H, W)``.

    Parameters
    ----------
    x : array_like, shape (N, C, H*r, W*r)
        Input.
    factor : int
        The factor ``r``.

    Returns
    -------
    array, shape (N, C*r^2, H, W)
        The rearranged input.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(8.0).reshape(1, 2, 2, 2)
    >>> bool((pixel_shuffle(pixel_unshuffle(x, 2), 2) == x).all())
    True
    """
    xp, (x,) = arrays(x, names=["x"])
    r = as_int(factor, "factor")
    if x.ndim != 4 or r < 1 or x.shape[2] % r or x.shape[3] % r:
        raise ValueError(
            f"pixel_unshuffle needs x of shape (N, C, H, W) with H and W divisible by "
            f"factor={r}, got shape {tuple(x.shape)}"
        )
    n, c, h, w = x.shape
    y = xp.reshape(x, (n, c, h // r, r, w // r, r))
    y = xp.permute_dims(y, (0, 1, 3, 5, 2, 4))
    return xp.reshape(y, (n, c * r * r, h // r, w // r))
