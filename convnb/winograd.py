"""Winograd's minimal filtering: a 3x3 stride-1 convolution with fewer multiplications.

``F(m, r)`` computes ``m`` outputs of an ``r``-tap correlation from ``m + r - 1`` inputs
with ``m + r - 1`` multiplications instead of ``m * r`` (Winograd, 1980; Lavin and Gray,
2016, section 4). In matrix form, for one tile ``d`` of ``a = m + r - 1`` inputs and a
filter ``g``::

    y = AT @ ((G @ g) * (BT @ d))

and in two dimensions the same transforms nest: ``Y = AT (G g G^T * BT d B) A``, ``a * a``
multiplications for ``m * m`` outputs of an ``r x r`` filter (16 instead of 36 for
F(2x2, 3x3), 36 instead of 144 for F(4x4, 3x3)).

The matrices are not pasted from the paper: :func:`transforms` derives them by the
Toom-Cook method from chosen interpolation points, in exact rational arithmetic, and
:func:`check_transforms` proves them right on the definition.

Shapes: ``x`` is the padded input ``(N, C_in, H, W)``, ``weight`` is
``(C_out, C_in / groups, 3, 3)``; the result is ``(N, C_out, H - 2, W - 2)`` (stride 1,
dilation 1). Every step is an array-API operation (slices, ``stack``, ``reshape``,
``permute_dims``, ``matmul``), so the same code runs on NumPy, CuPy and any other library.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from fractions import Fraction

from array_api_compat import array_namespace
from array_api_compat import device as device_of

from ._typing import Array

_BLOCK = 2**26  # bytes of transformed tiles one pass keeps: bounds the scratch memory

__all__ = ["POINTS", "check_transforms", "correlate", "correlate_1d", "transforms", "verify"]

POINTS = (0, 1, -1, 2, -2, Fraction(1, 2), Fraction(-1, 2), 3, -3)
"""Interpolation points, in the order they are used; the last point is always infinity.

Small integers first, then halves: the transforms' entries stay small, which keeps the
rounding error of each tile size low (measured per tile size in the chapter "Fast
algorithms")."""


def _poly_mul(p, q):
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return out


@functools.cache
def transforms(m: int, r: int) -> tuple[tuple, tuple, tuple]:
    """The matrices ``AT``, ``G``, ``BT`` of ``F(m, r)``, derived exactly by Toom-Cook.

    Parameters
    ----------
    m : int
        Outputs per tile.
    r : int
        Filter taps.

    Returns
    -------
    tuple of three tuples of tuples of Fraction
        ``AT`` of shape ``(m, a)``, ``G`` of shape ``(a, r)`` and ``BT`` of shape
        ``(a, a)``, with ``a = m + r - 1``, such that for any filter ``g`` and tile ``d``,
        ``AT @ ((G @ g) * (BT @ d))[i] = sum_k g[k] * d[i + k]``.

    Notes
    -----
    The correlation is the transpose of the linear convolution ``s = g * h`` of a filter
    with a length-``m`` signal, a polynomial product of degree ``a - 1``. Toom-Cook
    evaluates both factors at ``a - 1`` points ``p_j`` (:data:`POINTS`) and at infinity
    (the leading coefficient), multiplies the ``a`` values, and interpolates:
    ``s(x) = s_inf M(x) + sum_j s(p_j) N_j(x) / f_j``, with ``M(x) = prod_j (x - p_j)``,
    ``N_j = M / (x - p_j)`` and ``f_j = N_j(p_j)``. Evaluating ``h`` is ``A``
    (``A[j, i] = p_j^i``), evaluating ``g`` and dividing by ``f_j`` is ``G``, and the
    interpolation's coefficients are the columns of ``B`` (``N_j`` and ``M``).
    Transposing the convolution gives the correlation ``AT [(G g) * (BT d)]``.

    Examples
    --------
    >>> AT, G, BT = transforms(2, 3)
    >>> [[str(v) for v in row] for row in BT]
    [['-1', '0', '1', '0'], ['0', '1', '1', '0'], ['0', '-1', '1', '0'], ['0', '-1', '0', '1']]
    >>> [[str(v) for v in row] for row in G]
    [['-1', '0', '0'], ['1/2', '1/2', '1/2'], ['1/2', '-1/2', '1/2'], ['0', '0', '1']]
    """
    if m < 1 or r < 1:
        raise ValueError(f"F(m={m}, r={r}) needs m >= 1 and r >= 1")
    a = m + r - 1
    if a - 1 > len(POINTS):
        raise ValueError(f"F({m}, {r}) needs {a - 1} finite points; only {len(POINTS)} are set")
    pts = [Fraction(p) for p in POINTS[: a - 1]]
    big_m = [Fraction(1)]
    for p in pts:
        big_m = _poly_mul(big_m, [-p, Fraction(1)])
    rows_b, rows_g, cols_a = [], [], []
    for j, p in enumerate(pts):
        n_j = [Fraction(1)]
        for k, q in enumerate(pts):
            if k != j:
                n_j = _poly_mul(n_j, [-q, Fraction(1)])
        f_j = math.prod((p - q for k, q in enumerate(pts) if k != j), start=Fraction(1))
        rows_b.append(tuple(n_j) + (Fraction(0),) * (a - len(n_j)))
        rows_g.append(tuple(p**k / f_j for k in range(r)))
        cols_a.append(tuple(p**i for i in range(m)))
    rows_b.append(tuple(big_m))
    rows_g.append(tuple(Fraction(int(k == r - 1)) for k in range(r)))
    cols_a.append(tuple(Fraction(int(i == m - 1)) for i in range(m)))
    at = tuple(tuple(col[i] for col in cols_a) for i in range(m))
    return at, tuple(rows_g), tuple(rows_b)


def check_transforms(m: int, r: int) -> int:
    """Prove ``F(m, r)`` right on the definition, in exact arithmetic.

    The bilinear form ``AT [(G g) * (BT d)]`` is checked on every pair of unit vectors
    ``g = e_k``, ``d = e_t``: output ``i`` must be 1 where ``t = i + k`` and 0 elsewhere.
    Bilinearity makes this a proof for all ``g`` and ``d``.

    Parameters
    ----------
    m, r : int
        The tile size and the number of filter taps.

    Returns
    -------
    int
        The number of multiplications one tile uses, ``m + r - 1``.

    Raises
    ------
    AssertionError
        If any entry differs (it never should).

    Examples
    --------
    >>> check_transforms(2, 3), check_transforms(4, 3)
    (4, 6)
    """
    at, g, bt = transforms(m, r)
    verify(at, g, bt)
    return m + r - 1


def verify(at: Sequence[Sequence], g: Sequence[Sequence], bt: Sequence[Sequence]) -> None:
    """Raise an AssertionError unless ``AT [(G g) * (BT d)]`` is the valid correlation.

    Parameters
    ----------
    at, g, bt : sequences of sequences of numbers
        Candidate matrices of shapes ``(m, a)``, ``(a, r)`` and ``(a, a)``; exact numbers
        (int, :class:`~fractions.Fraction`) make the check a proof.

    Examples
    --------
    >>> verify(*transforms(2, 3))
    >>> verify([[1, 1]], [[1], [1]], [[1, 0], [0, 1]])  # y = g (d0 + d1), not g d0
    Traceback (most recent call last):
        ...
    AssertionError: output 0 for g = e_0, d = e_1: got 1, want 0
    """
    m, a, r = len(at), len(bt), len(g[0])
    for k in range(r):
        for t in range(a):
            prod = [g[j][k] * bt[j][t] for j in range(a)]
            for i in range(m):
                got = sum(at[i][j] * prod[j] for j in range(a))
                want = int(t == i + k)
                if got != want:
                    raise AssertionError(
                        f"output {i} for g = e_{k}, d = e_{t}: got {got}, want {want}"
                    )


def _matrix(xp, rows, dtype, device):
    return xp.asarray([[float(v) for v in row] for row in rows], dtype=dtype, device=device)


def _kron(xp, a, b):
    """Kronecker product of two 2-D arrays (the array API has none)."""
    p, q = a.shape
    s, t = b.shape
    return xp.reshape(a[:, None, :, None] * b[None, :, None, :], (p * s, q * t))


def correlate_1d(x: Array, g: Array, m: int) -> Array:
    """A 1-D valid correlation by ``F(m, len(g))`` tiles: the algorithm in its smallest form.

    Parameters
    ----------
    x : array, shape (L,)
        The signal.
    g : array, shape (r,)
        The filter.
    m : int
        Outputs per tile.

    Returns
    -------
    array, shape (L - r + 1,)
        ``y[i] = sum_k g[k] * x[i + k]``, computed with ``m + r - 1`` multiplications per
        ``m`` outputs.

    Examples
    --------
    >>> import numpy as np
    >>> correlate_1d(np.arange(6.0), np.array([1.0, 0.0, -1.0]), 2)
    array([-2., -2., -2., -2.])
    """
    xp = array_namespace(x, g)
    r = g.shape[0]
    at, gm, bt = (_matrix(xp, t, x.dtype, device_of(x)) for t in transforms(m, r))
    out = x.shape[0] - r + 1
    tiles = -(-out // m)
    a = m + r - 1
    xp_ = xp.zeros((tiles * m + r - 1,), dtype=x.dtype, device=device_of(x))
    xp_[: x.shape[0]] = x
    d = xp.stack([xp_[i : i + (tiles - 1) * m + 1 : m] for i in range(a)])  # (a, tiles)
    y = at @ ((gm @ g)[:, None] * (bt @ d))  # (m, tiles): a products per tile
    return xp.reshape(xp.permute_dims(y, (1, 0)), (-1,))[:out]


def correlate(x: Array, weight: Array, groups: int = 1, tile: int = 4) -> Array:
    """2-D stride-1 cross-correlation of a padded input by Winograd's ``F(tile x tile, 3x3)``.

    Parameters
    ----------
    x : array, shape (N, C_in, H, W)
        The input, already padded, in the working dtype.
    weight : array, shape (C_out, C_in // groups, 3, 3)
        Kernels, same dtype.
    groups : int, default 1
        As in :func:`convnb.conv`; ``groups`` batched products per transformed position.
    tile : int, default 4
        Outputs per tile along each axis: 2 for F(2x2, 3x3) (2.25x fewer multiplications
        than the definition), 4 for F(4x4, 3x3) (4x fewer, more rounding error).

    Returns
    -------
    array, shape (N, C_out, H - 2, W - 2)
        ``y[n, o, i, j] = sum_{c, u, v} weight[o, c, u, v] * x[n, g c, i + u, j + v]``.

    Notes
    -----
    Arguments are not checked here; :func:`convnb.conv` with ``algorithm="winograd"``
    checks them and pads. Steps: gather the ``(tile+2)^2`` strided slices that make the
    overlapping input tiles; transform them with one matrix product by ``BT (x) BT``;
    transform the weights by ``G (x) G``; one batched product per transformed position
    (``(tile+2)^2`` of them, each ``(C_out/g, C_in/g) @ (C_in/g, N * tiles)``, the only
    multiplications that grow with the channels); back-transform with ``AT (x) AT``.
    Float32 rounding error grows with the tile (see the chapter "Fast algorithms").

    Examples
    --------
    >>> import numpy as np, convnb
    >>> rng = np.random.default_rng(0)
    >>> x, w = rng.standard_normal((1, 2, 9, 9)), rng.standard_normal((3, 2, 3, 3))
    >>> bool(np.allclose(correlate(x, w), convnb.conv(x, w, algorithm="direct")))
    True
    """
    xp = array_namespace(x, weight)
    n, c, h, wd = x.shape
    c_out, per_group = weight.shape[:2]
    m, r = tile, 3
    a = m + r - 1
    dev = device_of(x)
    at, gm, bt = (_matrix(xp, t, x.dtype, dev) for t in transforms(m, r))
    ho, wo = h - r + 1, wd - r + 1
    th, tw = -(-ho // m), -(-wo // m)
    hp, wp = th * m + r - 1, tw * m + r - 1
    xt = xp.permute_dims(x, (1, 0, 2, 3))  # (C, N, H, W): channels lead the product
    if (hp, wp) != (h, wd):
        grown = xp.zeros((c, n, hp, wp), dtype=x.dtype, device=dev)
        grown[:, :, :h, :wd] = xt
        xt = grown
    u_ = xp.reshape(weight, (c_out * per_group, r * r)) @ xp.permute_dims(
        _kron(xp, gm, gm), (1, 0)
    )
    u_ = xp.reshape(xp.permute_dims(u_, (1, 0)), (a * a, groups, c_out // groups, per_group))
    bb, aa = _kron(xp, bt, bt), _kron(xp, at, at)
    # images per pass: the transformed tiles of one pass stay within _BLOCK bytes
    per_image = a * a * max(c, c_out) * th * tw * getattr(x.dtype, "itemsize", 8)
    chunk = max(1, min(n, _BLOCK // max(1, per_image)))
    parts = []
    for b0 in range(0, n, chunk):
        k = min(n, b0 + chunk) - b0
        # d[(u, v), c, n, i, j] = x[n, c, i*m + u, j*m + v]: the overlapping tiles
        d = xp.stack(
            [
                xt[:, b0 : b0 + k, u : u + (th - 1) * m + 1 : m, v : v + (tw - 1) * m + 1 : m]
                for u in range(a)
                for v in range(a)
            ]
        )
        v_ = bb @ xp.reshape(d, (a * a, -1))  # (a*a, C * k * tiles)
        v_ = xp.reshape(v_, (a * a, groups, per_group, k * th * tw))
        prod = u_ @ v_  # (a*a, G, C_out/G, k * tiles): the multiplications
        y = aa @ xp.reshape(prod, (a * a, -1))  # (m*m, C_out * k * tiles)
        y = xp.reshape(y, (m, m, c_out, k, th, tw))
        parts.append(
            xp.reshape(xp.permute_dims(y, (3, 2, 4, 0, 5, 1)), (k, c_out, th * m, tw * m))
        )
    y = parts[0] if len(parts) == 1 else xp.concat(parts, axis=0)
    return y[:, :, :ho, :wo]
