"""Convolution as a matrix: the matrix ``C`` with ``conv(x).ravel() == C @ x.ravel()``.

A convolution is linear in its input, so for one image it is a matrix product. Dumoulin and
Visin (2016, Section 4.1) write out this matrix for a 3x3 kernel on a 4x4 input (stride 1,
no padding): a 4x16 matrix ``C``. Its transpose ``C.T`` maps 4 values back to 16, and that
is the transposed convolution. Shapes: an input of ``C_in`` channels and spatial size
``input_size``, a weight ``(C_out, C_in / groups, *kernel_size)``; the matrix has
``C_out * prod(output_size)`` rows and ``C_in * prod(input_size)`` columns, both in C order
(channel first, then the spatial axes).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from . import windows
from ._backend import at_least, to_numpy
from ._typing import Array
from .arithmetic import geometry

__all__ = ["conv_matrix"]


def conv_matrix(
    weight: Array,
    input_size: int | Sequence[int],
    *,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int | tuple[int, int]] = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> np.ndarray:
    """The matrix of a convolution (zero padding) acting on one flattened input.

    Built from the definition: entry ``[row of output (o, p), column of input (c, q)]``
    holds the weight tap that multiplies input sample ``q`` of channel ``c`` for output
    ``p`` of channel ``o``, found with :func:`convnb.windows.footprint`.

    Parameters
    ----------
    weight : Array
        Shape ``(C_out, C_in / groups, *kernel_size)``, PyTorch's layout.
    input_size : int or tuple of int
        Spatial size of the input (an int for every dimension alike).
    stride : int or tuple of int
        As in :func:`convnb.conv`.
    padding : int or tuple
        Per dimension an int or a ``(before, after)`` pair (zeros).
    dilation : int or tuple of int
        As in :func:`convnb.conv`.
    groups : int
        As in :func:`convnb.conv`.

    Returns
    -------
    numpy.ndarray
        Shape ``(C_out * prod(output_size), C_in * prod(input_size))``, with
        ``output_size`` from :func:`convnb.conv_output_size`. For an input ``x`` of shape
        ``(1, C_in, *input_size)``, ``conv(x, weight, ...).ravel() == C @ x.ravel()`` and
        ``conv_transpose(y, weight, ...).ravel() == C.T @ y.ravel()`` (same arguments, and
        the ``output_padding`` that restores ``input_size``).

    Examples
    --------
    Dumoulin and Visin's example: a 3x3 kernel on a 4x4 input gives a 4x16 matrix, each row
    holding the nine weights once.

    >>> w = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    >>> C = conv_matrix(w, (4, 4))
    >>> C.shape
    (4, 16)
    >>> C[0].reshape(4, 4)
    array([[1., 2., 3., 0.],
           [4., 5., 6., 0.],
           [7., 8., 9., 0.],
           [0., 0., 0., 0.]])
    """
    w = np.asarray(to_numpy(weight))
    if w.ndim < 3:
        raise ValueError(f"weight must have shape (C_out, C_in/groups, *kernel), got {w.shape}")
    nd = w.ndim - 2
    size = at_least(input_size, 1, "input_size", nd)
    c_out, c_per_group = w.shape[:2]
    kernel = w.shape[2:]
    if groups < 1 or c_out % groups:
        raise ValueError(f"groups={groups} must be positive and divide C_out={c_out}")
    c_in = c_per_group * groups
    strides, dilations, pads, out = geometry(size, kernel, stride, padding, dilation)
    n_in, n_out = math.prod(size), math.prod(out)
    matrix = np.zeros((c_out * n_out, c_in * n_in), dtype=np.result_type(w, np.float64))
    taps = list(itertools.product(*(range(k) for k in kernel)))
    per_out = c_out // groups
    for flat, position in enumerate(itertools.product(*(range(o) for o in out))):
        coords = windows.footprint(position, kernel, strides, pads, dilations)
        for tap, coord in zip(taps, coords, strict=True):
            if not all(0 <= q < s for q, s in zip(coord, size, strict=True)):
                continue  # a padding zero: nothing to multiply
            column = int(np.ravel_multi_index(coord, size))
            for o in range(c_out):
                first = (o // per_out) * c_per_group
                for c in range(c_per_group):
                    matrix[o * n_out + flat, (first + c) * n_in + column] += w[(o, c, *tap)]
    return matrix
