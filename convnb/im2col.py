"""im2col: convolution as one matrix product.

Shapes: ``x`` is ``(N, C, *spatial)``; the kernel has ``K = prod(kernel_size)`` taps and the
output ``P = prod(out)`` positions. :func:`im2col` gathers, for every output position, the
``C * K`` input samples its window covers into one column, giving ``(N, C * K, P)``. Then a
convolution with ``groups=1`` is

    y = weight.reshape(C_out, C * K) @ im2col(x)       # (N, C_out, P)

Rows are ordered channel first, then tap (the order of ``weight.reshape(C_out, -1)``), and
the taps come from :func:`convnb.windows.tap_slices`, the same map :func:`convnb.conv` uses.
The matrix is ``K`` times larger than the input: fine for teaching and for small inputs,
which is why :func:`convnb.conv` does not build it.
"""

from __future__ import annotations

import math

from . import arithmetic
from ._backend import namespace, positive_ints
from .padding import check_mode, pad
from .windows import tap_slices

__all__ = ["im2col"]


def im2col(x, kernel_size, *, stride=1, padding=0, dilation=1, padding_mode="zeros"):
    """Unfold the windows of a convolution into the columns of a matrix.

    Parameters
    ----------
    x : array, shape (N, C, *spatial)
        Input with 1 to 3 spatial dimensions.
    kernel_size : int or tuple of int
        Kernel size per spatial dimension.
    stride, padding, dilation, padding_mode
        As in :func:`convnb.conv`.

    Returns
    -------
    array, shape (N, C * prod(kernel_size), prod(out))
        Column ``p`` holds the samples of output position ``p``'s window (row-major
        positions), channel by channel.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> im2col(x, 2)[0]
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])

    PyTorch's ``torch.nn.functional.unfold`` computes the same matrix for 2-D inputs.
    """
    xp = namespace(x, names=["x"])
    nd = x.ndim - 2
    if nd not in (1, 2, 3):
        raise ValueError(
            f"x must have shape (N, C, *spatial) with 1 to 3 spatial "
            f"dimensions, got shape {tuple(x.shape)}"
        )
    kernel = positive_ints(kernel_size, nd, "kernel_size")
    stride = positive_ints(stride, nd, "stride")
    dilation = positive_ints(dilation, nd, "dilation")
    check_mode(padding_mode)
    spatial = tuple(x.shape[2:])
    pads = arithmetic.resolve_padding(padding, spatial, kernel, stride, dilation)
    out = tuple(
        arithmetic.conv_output_size(*args)
        for args in zip(spatial, kernel, stride, pads, dilation, strict=True)
    )
    x = pad(x, pads, mode=padding_mode)
    n, c = x.shape[:2]
    taps = [x[(..., *window)] for window in tap_slices(kernel, stride, dilation, out)]
    cols = xp.stack(taps, axis=2)  # (N, C, K, *out)
    return xp.reshape(cols, (n, c * len(taps), math.prod(out)))
