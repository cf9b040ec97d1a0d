"""Convolution arithmetic: output sizes and padding, the one source of truth for shapes.

Notation, per spatial dimension: input size ``i``, kernel size ``k``, stride ``s``,
padding ``p`` (or a pair ``(p_before, p_after)``), dilation ``d``. The dilated kernel
spans ``d*(k-1) + 1`` input samples, and the output size is

    o = floor((i + p_before + p_after - d*(k-1) - 1) / s) + 1

Every function here works on plain Python integers; nothing imports an array library.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._backend import as_int, as_tuple

__all__ = ["conv_output_size", "resolve_padding", "same_padding"]

PADDING_STRINGS = ("valid", "same")


def _check_geometry(input_size, kernel_size, stride, dilation):
    i = as_int(input_size, "input_size")
    k = as_int(kernel_size, "kernel_size")
    s = as_int(stride, "stride")
    d = as_int(dilation, "dilation")
    if i < 0:
        raise ValueError(f"input_size={i} must be non-negative")
    if k < 1:
        raise ValueError(f"kernel_size={k} must be positive")
    if s < 1:
        raise ValueError(f"stride={s} must be positive")
    if d < 1:
        raise ValueError(f"dilation={d} must be positive")
    return i, k, s, d


def _pair(padding, name="padding") -> tuple[int, int]:
    if isinstance(padding, Sequence) and not isinstance(padding, str):
        if len(padding) != 2:
            raise ValueError(f"{name}={tuple(padding)!r} must be an int or a (before, after) pair")
        before, after = (as_int(p, name) for p in padding)
    else:
        before = after = as_int(padding, name)
    if before < 0 or after < 0:
        shown = padding if not isinstance(padding, Sequence) else tuple(padding)
        raise ValueError(f"{name}={shown!r} must be non-negative")
    return before, after


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1) -> int:
    """Length of a convolution's output along one spatial dimension.

    Parameters
    ----------
    input_size : int
        Input length ``i`` along this dimension (before padding).
    kernel_size : int
        Kernel length ``k``.
    stride : int, default 1
        Step ``s`` between output positions.
    padding : int or (int, int), default 0
        Zeros (or other padding) added on each side, or ``(before, after)``.
    dilation : int, default 1
        Spacing ``d`` between kernel taps; 1 is a dense kernel.

    Returns
    -------
    int
        ``floor((i + p_before + p_after - d*(k-1) - 1) / s) + 1``.

    Raises
    ------
    ValueError
        If an argument is out of range, or if the dilated kernel ``d*(k-1) + 1`` is longer
        than the padded input (there would be no output position at all).

    Examples
    --------
    AlexNet's first layer: an 11x11 kernel with stride 4 fits a 227-pixel input exactly,
    while 224 pixels leave a remainder (``(224 - 11) / 4 + 1 = 54.25``):

    >>> conv_output_size(227, 11, stride=4)
    55
    >>> conv_output_size(224, 11, stride=4)
    54

    A 3x3 kernel with dilation 2 spans five samples:

    >>> conv_output_size(7, 3, dilation=2)
    3
    """
    i, k, s, d = _check_geometry(input_size, kernel_size, stride, dilation)
    before, after = _pair(padding)
    span = d * (k - 1) + 1
    padded = i + before + after
    if span > padded:
        raise ValueError(
            f"the dilated kernel spans {span} samples (kernel_size={k}, dilation={d}), "
            f"more than the padded input of {padded} (input_size={i}, padding={before}+{after})"
        )
    return (padded - span) // s + 1


def same_padding(input_size, kernel_size, stride=1, dilation=1) -> tuple[int, int]:
    """Padding ``(before, after)`` of TensorFlow's ``"SAME"`` rule along one dimension.

    The output size is ``ceil(i / s)``; the total padding is whatever that needs, split in
    two with the odd one out at the end. With stride 1 this is also PyTorch's
    ``padding="same"`` (which PyTorch refuses for stride > 1).

    Parameters
    ----------
    input_size, kernel_size, stride, dilation : int
        As in :func:`conv_output_size`.

    Returns
    -------
    (int, int)
        Padding before and after.

    Examples
    --------
    AlexNet's 11x11 stride-4 layer on 224 pixels pads 3 before and 4 after, giving 56:

    >>> same_padding(224, 11, stride=4)
    (3, 4)
    >>> conv_output_size(224, 11, stride=4, padding=(3, 4))
    56
    """
    i, k, s, d = _check_geometry(input_size, kernel_size, stride, dilation)
    out = -(-i // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - i, 0)
    return total // 2, total - total // 2


def resolve_padding(padding, input_size, kernel_size, stride=1, dilation=1):
    """Turn any accepted ``padding`` argument into explicit ``(before, after)`` pairs.

    Parameters
    ----------
    padding : int, "valid", "same", or a sequence with one entry per dimension
        An int pads every side equally; ``"valid"`` pads nothing; ``"same"`` follows
        :func:`same_padding`. Each entry of a sequence is an int or a ``(before, after)`` pair.
    input_size, kernel_size, stride, dilation : sequence of int
        One entry per spatial dimension.

    Returns
    -------
    tuple of (int, int)
        One ``(before, after)`` pair per spatial dimension.

    Examples
    --------
    >>> resolve_padding("same", (5, 6), (3, 3), stride=(1, 2), dilation=(1, 1))
    ((1, 1), (0, 1))
    >>> resolve_padding([1, (0, 2)], (5, 5), (3, 3))
    ((1, 1), (0, 2))
    """
    n = len(input_size)
    stride = as_tuple(stride, n, "stride")
    dilation = as_tuple(dilation, n, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * n
        if padding == "same":
            return tuple(
                same_padding(i, k, s, d)
                for i, k, s, d in zip(input_size, kernel_size, stride, dilation, strict=True)
            )
        raise ValueError(
            f"padding={padding!r} is not one of {PADDING_STRINGS}, an int, or a sequence of them"
        )
    return tuple(_pair(p) for p in as_tuple(padding, n, "padding"))
