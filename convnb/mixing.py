"""When does one channel shuffle mix every group? Reach between groups, from the index maps.

Two grouped layers with ``g`` groups of ``n = C / g`` channels each, with ShuffleNet's
channel shuffle between them (Zhang et al. 2018, Section 3.1). After the shuffle, position
``q`` holds channel ``(q % g) n + q // g``, which came from group ``q % g``. Output group
``j`` of the second layer reads positions ``j n .. j n + n - 1``, so it reads the groups
``{q % g}`` of ``n`` consecutive integers: all ``g`` groups exactly when ``n >= g``, that is
``C >= g**2``. Otherwise it reads only ``n`` of them.
"""

from __future__ import annotations

from .channels import connectivity, shuffle_permutation

__all__ = ["group_reach", "shuffle_mixes_all"]


def group_reach(channels: int, groups: int, *, shuffle: bool = True) -> list[list[bool]]:
    """Which input groups can change each output group of grouped -> shuffle -> grouped.

    Computed by composing the two layers' connectivity (:func:`convnb.channels.connectivity`)
    with the shuffle's permutation (:func:`convnb.channels.shuffle_permutation`).

    Parameters
    ----------
    channels : int
        Channels of every layer (``C``, divisible by ``groups``).
    groups : int
        Groups of both grouped layers and of the shuffle.
    shuffle : bool
        Whether the channel shuffle stands between the layers.

    Returns
    -------
    list of list of bool
        ``groups x groups``: ``[j][i]`` is True when some channel of input group ``i``
        reaches some channel of output group ``j``.

    Examples
    --------
    >>> [[int(v) for v in row] for row in group_reach(6, 3)]  # n=2 < g=3
    [[1, 1, 0], [1, 0, 1], [0, 1, 1]]
    >>> all(all(row) for row in group_reach(9, 3))  # n=3 >= g=3
    True
    """
    c, g = int(channels), int(groups)
    if g < 1 or c < 1 or c % g:
        raise ValueError(f"groups={groups!r} must be positive and divide channels={channels!r}")
    links = connectivity(c, c, g)  # the same for both layers
    order = shuffle_permutation(c, g) if shuffle else list(range(c))
    n = c // g
    reach = [[False] * g for _ in range(g)]
    for out in range(c):
        for position in range(c):
            if not links[out][position]:
                continue
            middle = order[position]  # the first layer's channel now at this position
            for inp in range(c):
                if links[middle][inp]:
                    reach[out // n][inp // n] = True
    return reach


def shuffle_mixes_all(channels: int, groups: int) -> bool:
    """Whether one shuffle lets every output group read every input group: ``C / g >= g``.

    Parameters
    ----------
    channels : int
        Channels ``C`` (divisible by ``groups``).
    groups : int
        Number of groups ``g``.

    Returns
    -------
    bool
        ``channels // groups >= groups``.

    Examples
    --------
    >>> shuffle_mixes_all(6, 3), shuffle_mixes_all(8, 2), shuffle_mixes_all(240, 3)
    (False, True, True)
    """
    c, g = int(channels), int(groups)
    if g < 1 or c < 1 or c % g:
        raise ValueError(f"groups={groups!r} must be positive and divide channels={channels!r}")
    return c // g >= g
