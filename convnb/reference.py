"""The definitions, as plain loops over NumPy arrays, written to be read.

These functions are the test oracle for the fast, array-library-agnostic code in convnb,
and the code the book prints when it explains a definition. They share no code with the
rest of the package (padding comes from :func:`numpy.pad`, sizes are computed inline), so
a mistake in one is not silently repeated in the other. They are slow on purpose: use
them on small arrays only.
"""

from __future__ import annotations

import numpy as np

__all__ = ["conv", "conv_transpose", "convolve1d", "correlate1d"]

_NUMPY_PAD_MODE = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "circular": "wrap",
}


def convolve1d(signal, kernel):
    """Full 1-D convolution by its definition: flip the kernel, shift, multiply, sum.

    ``out[n] = sum_k signal[k] * kernel[n - k]`` for ``n = 0 .. N + M - 2``.

    Parameters
    ----------
    signal, kernel : sequence of float
        1-D inputs.

    Returns
    -------
    numpy.ndarray
        The full convolution, ``len(signal) + len(kernel) - 1`` long.

    Examples
    --------
    >>> convolve1d([1, 2, 3], [0, 1, 0.5])
    array([0. , 1. , 2.5, 4. , 1.5])
    """
    signal, kernel = np.asarray(signal), np.asarray(kernel)
    n_sig, n_ker = len(signal), len(kernel)
    out = np.zeros(n_sig + n_ker - 1, dtype=np.result_type(signal, kernel, float))
    for n in range(len(out)):
        for k in range(n_sig):
            if 0 <= n - k < n_ker:
                out[n] += signal[k] * kernel[n - k]
    return out


def correlate1d(signal, kernel):
    """Full 1-D cross-correlation by its definition: shift, multiply, sum (no flip).

    ``out[n] = sum_k signal[k] * kernel[k - n + M - 1]`` for ``n = 0 .. N + M - 2``: the
    kernel starts with its last sample over the first signal sample and slides right.

    Parameters
    ----------
    signal, kernel : sequence of float
        1-D inputs.

    Returns
    -------
    numpy.ndarray
        The full cross-correlation, ``len(signal) + len(kernel) - 1`` long.

    Examples
    --------
    >>> correlate1d([1, 2, 3], [0, 1, 0.5])
    array([0.5, 2. , 3.5, 3. , 0. ])
    """
    signal, kernel = np.asarray(signal), np.asarray(kernel)
    n_sig, n_ker = len(signal), len(kernel)
    out = np.zeros(n_sig + n_ker - 1, dtype=np.result_type(signal, kernel, float))
    for n in range(len(out)):
        shift = n - (n_ker - 1)  # where kernel[0] sits over the signal
        for j in range(n_ker):
            if 0 <= shift + j < n_sig:
                out[n] += signal[shift + j] * np.conj(kernel[j])
    return out


def conv(
    x,
    weight,
    bias=None,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    padding_mode="zeros",
):
    """Deep-learning convolution (cross-correlation) by its definition, with loops.

    Same arguments and shapes as :func:`convnb.conv` (``x`` must have a batch axis).
    For every image ``n``, output channel ``o`` and output position ``p``:

        out[n, o, p] = bias[o] + sum(window * weight[o])

    where ``window`` is the block of the padded input, restricted to the input channels of
    the group of ``o``, that starts at ``p * stride`` and takes every ``dilation``-th sample.

    Parameters
    ----------
    x, weight, bias, stride, padding, dilation, groups, padding_mode
        As in :func:`convnb.conv`.

    Returns
    -------
    numpy.ndarray
        As :func:`convnb.conv` returns it.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv(x, np.ones((1, 1, 2, 2)), stride=2)
    array([[[[10., 18.],
             [42., 50.]]]])
    """
    x, weight = np.asarray(x), np.asarray(weight)
    nd = weight.ndim - 2
    stride = (stride,) * nd if np.isscalar(stride) else tuple(stride)
    dilation = (dilation,) * nd if np.isscalar(dilation) else tuple(dilation)
    kernel = weight.shape[2:]
    span = [d * (k - 1) + 1 for d, k in zip(dilation, kernel)]

    if padding == "valid":
        pads = [(0, 0)] * nd
    elif padding == "same":  # TensorFlow's SAME: ceil(i / s) outputs, extra padding at the end
        pads = []
        for i, s, w in zip(x.shape[2:], stride, span):
            total = max((-(-i // s) - 1) * s + w - i, 0)
            pads.append((total // 2, total - total // 2))
    elif np.isscalar(padding):
        pads = [(padding, padding)] * nd
    else:  # one entry per dimension, each an int or a (before, after) pair
        pads = [(p, p) if np.isscalar(p) else tuple(p) for p in padding]
    xpad = np.pad(x, [(0, 0), (0, 0), *pads], mode=_NUMPY_PAD_MODE[padding_mode])

    n_batch, c_in = x.shape[:2]
    c_out = weight.shape[0]
    in_per_group, out_per_group = c_in // groups, c_out // groups
    out_size = [(p - w) // s + 1 for p, w, s in zip(xpad.shape[2:], span, stride)]
    out = np.zeros((n_batch, c_out, *out_size), dtype=np.result_type(x, weight))

    for n in range(n_batch):
        for o in range(c_out):
            g = o // out_per_group
            channels = slice(g * in_per_group, (g + 1) * in_per_group)
            for pos in np.ndindex(*out_size):
                window = tuple(
                    slice(p * s, p * s + w, d) for p, s, w, d in zip(pos, stride, span, dilation)
                )
                out[(n, o, *pos)] = np.sum(xpad[(n, channels, *window)] * weight[o])
            if bias is not None:
                out[n, o] += bias[o]
    return out


def conv_transpose(
    x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """Transposed convolution by its definition: scatter, then trim.

    Same arguments and shapes as :func:`convnb.conv_transpose` (``x`` with a batch axis).
    Every input sample, times the kernel, is added onto the output at its stride position:

        full[n, o, p * stride + t * dilation] += x[n, c, p] * weight[c, o_in_group, t]

    and ``padding`` samples are then trimmed from both ends (``output_padding`` more kept at
    the end).

    Parameters
    ----------
    x, weight, bias, stride, padding, output_padding, groups, dilation
        As in :func:`convnb.conv_transpose`.

    Returns
    -------
    numpy.ndarray
        As :func:`convnb.conv_transpose` returns it.

    Examples
    --------
    >>> conv_transpose(np.array([[[1.0, 2.0]]]), np.array([[[1.0, 10.0, 100.0]]]), stride=2)
    array([[[  1.,  10., 102.,  20., 200.]]])
    """
    x, weight = np.asarray(x), np.asarray(weight)
    nd = weight.ndim - 2
    stride = (stride,) * nd if np.isscalar(stride) else tuple(stride)
    dilation = (dilation,) * nd if np.isscalar(dilation) else tuple(dilation)
    padding = (padding,) * nd if np.isscalar(padding) else tuple(padding)
    output_padding = (
        (output_padding,) * nd if np.isscalar(output_padding) else tuple(output_padding)
    )
    n_batch, c_in = x.shape[:2]
    in_per_group = c_in // groups
    out_per_group = weight.shape[1]
    kernel = weight.shape[2:]
    full_size = [
        (i - 1) * s + d * (k - 1) + 1 + op
        for i, s, d, k, op in zip(x.shape[2:], stride, dilation, kernel, output_padding)
    ]
    full = np.zeros((n_batch, out_per_group * groups, *full_size), dtype=np.result_type(x, weight))
    for n in range(n_batch):
        for c in range(c_in):
            g = c // in_per_group
            for p in np.ndindex(*x.shape[2:]):
                for t in np.ndindex(*kernel):
                    q = tuple(pi * s + ti * d for pi, s, ti, d in zip(p, stride, t, dilation))
                    for o in range(out_per_group):
                        full[(n, g * out_per_group + o, *q)] += x[(n, c, *p)] * weight[(c, o, *t)]
    trim = tuple(slice(p, f - p) for p, f in zip(padding, full_size))
    out = full[(slice(None), slice(None), *trim)]
    if bias is not None:
        out = out + np.asarray(bias).reshape((-1,) + (1,) * nd)
    return out
