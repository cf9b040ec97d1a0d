"""Array-library dispatch: which namespace an operation runs in, and checks on arguments.

Every public function starts with ``xp, (x, weight) = arrays(x, weight, names=[...])``.
The namespace comes from the inputs (NumPy, CuPy, or any library that follows the array API
standard); convnb never imports an array library the caller did not use, and there is no
global switch.

Array-likes: every public function that takes arrays also takes what NumPy turns into an
array (Python scalars, nested lists and tuples). When no argument of a call is an array,
they are converted with NumPy; otherwise with the library (and on the device) of the
arrays that are. ``None`` is refused for a required array with a TypeError naming it.

Validation happens once, at the public entry, in the names of the caller's arguments; the
internal functions trust what they are given.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from array_api_compat import array_namespace, is_array_api_obj
from array_api_compat import device as array_device

__all__ = ["arrays", "namespace", "to_numpy"]

FLOATING = ("real floating", "complex floating")


def namespace(*arrays: Any, names: Sequence[str] | None = None):
    """Return the array namespace shared by ``arrays`` (``None`` entries are ignored).

    Parameters
    ----------
    *arrays : array or None
        The array arguments of one call.
    names : sequence of str, optional
        The argument names, used in error messages.

    Returns
    -------
    namespace
        The array API namespace of ``arrays`` (through array-api-compat).

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


def arrays(
    *values: Any,
    names: Sequence[str],
    optional: Sequence[str] = ("bias",),
    kinds: tuple[str, ...] | None = None,
):
    """The namespace of one call and its array arguments, array-likes converted.

    Parameters
    ----------
    *values : array, array-like or None
        The array arguments of one call, in order.
    names : sequence of str
        Their names, as the caller wrote them (used in every error message).
    optional : sequence of str, default ("bias",)
        The names that may be ``None``; ``None`` stays ``None``.
    kinds : tuple of str, optional
        Dtype kinds (as :func:`check_dtype` takes them) that every array must have.

    Returns
    -------
    (namespace, tuple)
        The array namespace and the arguments as arrays of it (``None`` kept).

    Raises
    ------
    TypeError
        For ``None`` in a required argument, something that is not array-like, arrays
        from different libraries, or a dtype not of ``kinds``.
    """
    for name, v in zip(names, values, strict=True):
        if v is None and name not in optional:
            raise TypeError(f"{name} must be an array, got None")
    present = [(n, v) for n, v in zip(names, values, strict=True) if v is not None]
    native = [(n, v) for n, v in present if is_array_api_obj(v)]
    if native:
        xp = namespace(*(v for _, v in native), names=[n for n, _ in native])
        where = {"device": array_device(native[0][1])}
    else:
        import numpy as np

        xp, where = array_namespace(np.empty(0)), {}
    out = tuple(
        v if v is None or is_array_api_obj(v) else _asarray(xp, v, name, **where)
        for name, v in zip(names, values, strict=True)
    )
    for name, a in zip(names, out, strict=True):
        if kinds is not None and a is not None:
            check_dtype(xp, a, name, kinds)
    return xp, out


def _asarray(xp, value, name, **kwargs):
    if isinstance(value, (str, bytes)) or not (
        isinstance(value, (Sequence, int, float, complex)) or hasattr(value, "__array__")
    ):
        raise TypeError(
            f"{name} must be an array or array-like (NumPy, CuPy or another array API "
            f"library, or nested lists of numbers), got {type(value).__name__}"
        )
    try:
        return xp.asarray(value, **kwargs)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name}={value!r} is not array-like: {exc}") from None


def to_numpy(x: Any):
    """Copy an array of any supported library to a NumPy array (for plotting and printing).

    This is the one place where data leaves its device on purpose.

    Parameters
    ----------
    x : array
        An array of any supported library.

    Returns
    -------
    numpy.ndarray
        The same values on the host.

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


def batched(x, weight, layout, xn="x", wn="weight"):
    """``x`` with a batch axis, and whether it had none; checks the ranks of ``x`` and
    ``weight`` (whose shape is ``layout``, with 1 to 3 kernel dimensions)."""
    nd = getattr(weight, "ndim", 0) - 2
    if nd not in (1, 2, 3):
        raise ValueError(
            f"{wn} must have shape {layout} with 1 to 3 kernel dimensions, "
            f"got {f'shape {tuple(weight.shape)}' if hasattr(weight, 'shape') else weight}"
        )
    if x.ndim not in (nd + 1, nd + 2):
        raise ValueError(
            f"with a {nd}-D kernel, {xn} must have rank {nd + 2} (N, C_in, *spatial) or "
            f"{nd + 1} (C_in, *spatial), got shape {tuple(x.shape)}"
        )
    return (x[None, ...], True) if x.ndim == nd + 1 else (x, False)


def check_channels(c_in, weight, bias, groups, names=("x", "weight", "bias"), has=None):
    """``groups`` as an int, once ``weight`` ``(C_out, C_in/groups, *kernel)`` and ``bias``
    are checked against ``c_in`` input channels (``has``: where those come from, in words;
    ``"<x> has"`` by default)."""
    xn, wn, bn = names
    c_out, c_in_group = weight.shape[:2]
    _, _, groups = check_groups(c_in, c_out, groups)
    if c_in_group * groups != c_in:
        raise ValueError(
            f"{wn} has {c_in_group} input channels per group, so groups={groups} needs "
            f"{c_in_group * groups} input channels, but {has or xn + ' has'} {c_in}"
        )
    if bias is not None and tuple(bias.shape) != (c_out,):
        raise ValueError(f"{bn} must have shape ({c_out},), got {tuple(bias.shape)}")
    if min(weight.shape[2:]) < 1:
        raise ValueError(f"{wn} has an empty kernel, shape {tuple(weight.shape)}")
    return groups


def as_tuple(value: Any, n: int, name: str) -> tuple:
    """Broadcast an int to an ``n``-tuple, or check that a sequence has length ``n``."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != n:
            raise ValueError(
                f"{name}={tuple(value)!r} must have one entry per spatial dimension ({n})"
            )
        return tuple(value)
    return (value,) * n


_KIND_WORDS = {
    ("real floating", "complex floating"): "floating-point (real or complex)",
    ("integral", "real floating", "complex floating"): "numeric (integer, real or complex)",
    ("bool", "integral", "real floating", "complex floating"): "numeric (bool, integer, "
    "real or complex)",
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


def fixed_rank(
    function, name: str, nd: int, argument: str, layout: str, example: str, module_globals: dict
):
    """``function`` restricted to ``nd`` spatial dimensions: ``conv2d`` from ``conv``.

    The wrapper has ``function``'s signature and docstring (summary and example adapted),
    checks that ``argument`` has rank ``nd + 2`` (its shape is ``layout``), and lives in the
    caller's module (``module_globals``), so its doctest runs there.
    """
    import inspect
    import types

    signature = inspect.signature(function)

    def wrapper(*args, **kwargs):
        value = signature.bind(*args, **kwargs).arguments.get(argument)
        ndim = getattr(value, "ndim", None)
        if ndim is None and value is not None:
            import numpy as np

            ndim = np.ndim(value)
        if ndim is not None and ndim != nd + 2:
            shape = tuple(getattr(value, "shape", ()))
            raise ValueError(
                f"{name} expects {argument} of rank {nd + 2} {layout}, got shape {shape}"
            )
        return function(*args, **kwargs)

    fixed = types.FunctionType(wrapper.__code__, module_globals, name, None, wrapper.__closure__)
    fixed.__qualname__ = name
    fixed.__module__ = module_globals["__name__"]
    fixed.__signature__ = signature
    fixed.__wrapped__ = function
    doc = function.__doc__ or ""
    rest = doc.partition("\n")[2]
    body = rest.split("    Examples\n")[0]
    fixed.__doc__ = (
        f":func:`{function.__name__}` for {nd}-D inputs: {argument} is {layout}.\n"
        f"{body}"
        f"    Examples\n    --------\n    >>> import numpy as np\n    {example}\n"
    )
    return fixed


def at_least(value: Any, low: int, name: str, n: int | None = None):
    """``value`` as an int of at least ``low`` (0: non-negative, 1: positive), or an error.

    With ``n``, an ``n``-tuple of such ints from an int or a sequence of length ``n``.
    """
    single = n is None
    values = tuple(as_int(v, name) for v in ((value,) if single else as_tuple(value, n, name)))
    if any(v < low for v in values):
        shown = values[0] if single else tuple(value) if isinstance(value, Sequence) else value
        raise ValueError(f"{name}={shown!r} must be {'positive' if low else 'non-negative'}")
    return values[0] if single else values
