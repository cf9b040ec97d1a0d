"""Array-library dispatch: which namespace an operation runs in, and checks on arguments.

Every public function starts with ``xp = namespace(x, weight, ...)``. The namespace comes
from the inputs (NumPy, CuPy, or any library that follows the array API standard); convnb
never imports an array library the caller did not use, and there is no global switch.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from array_api_compat import array_namespace, is_array_api_obj

__all__ = ["namespace", "to_numpy"]


def namespace(*arrays: Any, names: Sequence[str] | None = None):
    """Return the array namespace shared by ``arrays`` (``None`` entries are ignored).

    Parameters
    ----------
    *arrays : array or None
        The array arguments of one call.
    names : sequence of str, optional
        The argument names, used in error messages.

    Raises
    ------
    TypeError
        If an argument is not an array, or if the arrays come from different libraries.
    """
    names = list(names) if names is not None else [f"argument {i}" for i in range(len(arrays))]
    present = [(n, a) for n, a in zip(names, arrays, strict=True) if a is not None]
    for name, a in present:
        if not is_array_api_obj(a):
            raise TypeError(
                f"{name} must be an array (NumPy, CuPy or another array API library), "
                f"got {type(a).__name__}"
            )
    try:
        return array_namespace(*(a for _, a in present))
    except TypeError:
        kinds = ", ".join(f"{n}: {type(a).__module__}.{type(a).__name__}" for n, a in present)
        raise TypeError(
            f"all arrays in one call must come from the same array library, got {kinds}"
        ) from None


def to_numpy(x: Any):
    """Copy an array of any supported library to a NumPy array (for plotting and printing).

    This is the one place where data leaves its device on purpose.

    Examples
    --------
    >>> import numpy as np
    >>> to_numpy(np.arange(3))
    array([0, 1, 2])
    """
    import numpy as np

    if isinstance(x, np.ndarray):
        return x
    if hasattr(x, "get") and type(x).__module__.startswith("cupy"):
        return x.get()
    try:
        return np.from_dlpack(x)
    except (TypeError, RuntimeError, BufferError, AttributeError):
        return np.asarray(x)


def as_int(value: Any, name: str) -> int:
    """``value`` as a Python int, or a TypeError naming ``name`` (bools are refused)."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {value!r}") from None


def check_groups(in_channels: Any, out_channels: Any, groups: Any) -> tuple[int, int, int]:
    """Channel counts and ``groups`` as ints, checked: positive, and groups divides both."""
    c_in = as_int(in_channels, "in_channels")
    c_out = as_int(out_channels, "out_channels")
    g = as_int(groups, "groups")
    if g < 1:
        raise ValueError(f"groups={g} must be positive")
    if c_in < 1 or c_out < 1:
        raise ValueError(f"in_channels={c_in} and out_channels={c_out} must be positive")
    if c_in % g:
        raise ValueError(f"groups={g} does not divide in_channels={c_in}")
    if c_out % g:
        raise ValueError(f"groups={g} does not divide out_channels={c_out}")
    return c_in, c_out, g


def as_tuple(value: Any, n: int, name: str) -> tuple:
    """Broadcast an int to an ``n``-tuple, or check that a sequence has length ``n``."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != n:
            raise ValueError(
                f"{name}={tuple(value)!r} must have one entry per spatial dimension ({n})"
            )
        return tuple(value)
    return (value,) * n


def positive_ints(value: Any, n: int, name: str) -> tuple[int, ...]:
    """An ``n``-tuple of positive ints from an int or a sequence, checked."""
    values = tuple(as_int(v, name) for v in as_tuple(value, n, name))
    if any(v < 1 for v in values):
        shown = value if not isinstance(value, Sequence) else tuple(value)
        raise ValueError(f"{name}={shown!r} must be positive")
    return values


_KIND_WORDS = {
    ("real floating", "complex floating"): "floating-point (real or complex)",
    ("integral", "real floating", "complex floating"): "numeric (integer, real or complex)",
}


def dtype_name(dtype) -> str:
    """``float32`` rather than ``array_api_strict.float32`` or ``dtype('float32')``."""
    return str(getattr(dtype, "name", dtype)).rsplit(".", 1)[-1]


def check_dtype(xp, x: Any, name: str, kinds: tuple[str, ...]) -> None:
    """Raise a TypeError naming ``name`` unless ``x.dtype`` is of one of ``kinds``."""
    if not xp.isdtype(x.dtype, kinds):
        wanted = _KIND_WORDS.get(kinds, " or ".join(kinds))
        raise TypeError(f"{name} must have a {wanted} dtype, got {dtype_name(x.dtype)}")


def result_dtype(xp, **arrays: Any):
    """The dtype that ``arrays`` (by argument name) combine to, or a TypeError naming them."""
    present = {name: a for name, a in arrays.items() if a is not None}
    try:
        return xp.result_type(*(a.dtype for a in present.values()))
    except TypeError:
        kinds = ", ".join(f"{name} is {dtype_name(a.dtype)}" for name, a in present.items())
        raise TypeError(f"{xp.__name__} does not combine these dtypes: {kinds}") from None
