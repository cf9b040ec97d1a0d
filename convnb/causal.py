"""Causal (dilated) 1-D convolution, the layer of WaveNet's stacks.

A causal layer's output at time ``t`` depends on inputs at ``t`` and before only. With a
kernel of ``k`` taps and dilation ``d`` that is a convolution padded with ``d (k - 1)``
zeros at the start and none at the end (van den Oord et al. 2016, "WaveNet", Section 2.1
and Figure 3). Shapes: ``x`` is ``(N, C_in, L)``, the weight ``(C_out, C_in, k)``; the
output is ``(N, C_out, L)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._typing import Array
from .convolution import conv1d

__all__ = ["causal_conv1d", "causal_receptive_field"]


def causal_conv1d(x: Array, weight: Array, dilation: int = 1) -> Array:
    """A causal dilated 1-D convolution: left padding only, output as long as the input.

    Parameters
    ----------
    x : Array
        Shape ``(N, C_in, L)``.
    weight : Array
        Shape ``(C_out, C_in, k)``.
    dilation : int
        The spacing between taps.

    Returns
    -------
    Array
        Shape ``(N, C_out, L)``; output ``t`` reads inputs ``t - d (k - 1) .. t``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(6.0).reshape(1, 1, 6)
    >>> causal_conv1d(x, np.ones((1, 1, 2)), dilation=2)[0, 0]
    array([0., 1., 2., 4., 6., 8.])
    """
    if int(dilation) != dilation or dilation < 1:
        raise ValueError(f"dilation={dilation!r} must be a positive integer")
    k = weight.shape[-1]
    return conv1d(x, weight, padding=((int(dilation) * (k - 1), 0),), dilation=int(dilation))


def causal_receptive_field(dilations: Sequence[int], kernel_size: int = 2) -> int:
    """How many past samples (the current one included) a stack of causal layers reads.

    Parameters
    ----------
    dilations : sequence of int
        The dilation of each layer.
    kernel_size : int
        Taps per layer (WaveNet uses 2).

    Returns
    -------
    int
        ``1 + (kernel_size - 1) * sum(dilations)``.

    Examples
    --------
    WaveNet's Figure 3, dilations 1, 2, 4, 8:

    >>> causal_receptive_field((1, 2, 4, 8))
    16
    """
    rates = [int(d) for d in dilations]
    if any(d < 1 for d in rates) or int(kernel_size) < 1:
        raise ValueError(
            f"dilations={tuple(dilations)!r} and kernel_size={kernel_size!r} must be positive"
        )
    return 1 + (int(kernel_size) - 1) * sum(rates)
