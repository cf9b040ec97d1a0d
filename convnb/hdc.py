"""Gridding in stacks of dilated layers, and Wang et al.'s hybrid dilated convolution rule.

A stack of stride-1 layers with kernel size ``k`` and dilations ``(r_1, ..., r_n)`` reads,
along each spatial axis, the input offsets ``sum_i t_i r_i`` with ``t_i`` in ``0 .. k-1``.
Its receptive field spans ``1 + (k - 1) * sum(r)`` samples; when some offsets inside that
span cannot be written as such a sum, the output never sees them ("gridding", Wang et al.
2018, "Understanding Convolution for Semantic Segmentation", Section 3.2). In 2-D the
reachable set is the product of the 1-D sets, so it has ``len(offsets) ** 2`` inputs.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["hdc_distances", "satisfies_hdc", "stack_holes", "stack_offsets"]


def _check(dilations, kernel_size) -> tuple[tuple[int, ...], int]:
    """Validated rates and kernel size, or a ValueError naming the argument."""
    rates = tuple(int(r) for r in dilations)
    if not rates or any(r < 1 for r in rates):
        raise ValueError(f"dilations={tuple(dilations)!r} must be a non-empty list of rates >= 1")
    k = int(kernel_size)
    if k < 1:
        raise ValueError(f"kernel_size={kernel_size!r} must be positive")
    return rates, k


def stack_offsets(dilations: Sequence[int], kernel_size: int = 3) -> list[int]:
    """The input offsets, along one axis, that the last output of a dilated stack reads.

    Parameters
    ----------
    dilations : sequence of int
        The dilation rate of each layer, first layer first (stride 1 throughout).
    kernel_size : int
        The kernel size of every layer.

    Returns
    -------
    list of int
        Sorted offsets from the first sample of the receptive field, all in
        ``0 .. (kernel_size - 1) * sum(dilations)``.

    Examples
    --------
    >>> len(stack_offsets((1, 2, 5))), len(stack_offsets((2, 2, 2)))
    (17, 7)
    """
    rates, k = _check(dilations, kernel_size)
    reached = {0}
    for r in rates:
        reached = {a + t * r for a in reached for t in range(k)}
    return sorted(reached)


def stack_holes(dilations: Sequence[int], kernel_size: int = 3) -> list[int]:
    """Offsets inside the receptive field of a dilated stack that it never reads.

    Parameters
    ----------
    dilations, kernel_size
        As in :func:`stack_offsets`.

    Returns
    -------
    list of int
        Sorted offsets in ``0 .. (kernel_size - 1) * sum(dilations)`` missing from
        :func:`stack_offsets`; empty when the stack has no gridding.

    Examples
    --------
    >>> stack_holes((1, 2, 9))
    [7, 8, 16, 17]
    >>> stack_holes((1, 2, 5))
    []
    """
    rates, k = _check(dilations, kernel_size)
    seen = set(stack_offsets(rates, k))
    return [t for t in range((k - 1) * sum(rates) + 1) if t not in seen]


def hdc_distances(dilations: Sequence[int]) -> list[int]:
    """Wang et al.'s ``M_i``: the largest distance between two non-zero taps after layer ``i``.

    ``M_n = r_n`` and ``M_i = max(M_{i+1} - 2 r_i, M_{i+1} - 2 (M_{i+1} - r_i), r_i)``
    (Wang et al. 2018, Section 3.2).

    Parameters
    ----------
    dilations : sequence of int
        The dilation rates ``r_1 .. r_n``, first layer first.

    Returns
    -------
    list of int
        ``[M_1, ..., M_n]``, one per layer.

    Examples
    --------
    >>> hdc_distances((1, 2, 5)), hdc_distances((1, 2, 9))
    ([1, 2, 5], [3, 5, 9])
    """
    rates, _ = _check(dilations, 1)
    m = [0] * len(rates)
    m[-1] = rates[-1]
    for i in range(len(rates) - 2, -1, -1):
        r, nxt = rates[i], m[i + 1]
        m[i] = max(nxt - 2 * r, nxt - 2 * (nxt - r), r)
    return m


def satisfies_hdc(dilations: Sequence[int], kernel_size: int = 3) -> bool:
    """Wang et al.'s design rule: ``M_2 <= K`` (and, as in their examples, ``r_1 = 1``).

    Parameters
    ----------
    dilations : sequence of int
        The dilation rates, first layer first; at least two layers.
    kernel_size : int
        The kernel size ``K`` of every layer.

    Returns
    -------
    bool
        Whether the rule holds. It is sufficient for a stack without holes, not necessary:
        compare with :func:`stack_holes`, which measures.

    Examples
    --------
    >>> satisfies_hdc((1, 2, 5)), satisfies_hdc((1, 2, 9))
    (True, False)
    """
    rates, k = _check(dilations, kernel_size)
    if len(rates) < 2:
        raise ValueError(f"dilations={rates!r}: the rule needs at least two layers")
    return rates[0] == 1 and hdc_distances(rates)[1] <= k
