"""Type aliases for the public signatures.

``Array`` is any array that follows the Python array API standard (NumPy 2, CuPy, Dask,
array-api-strict, ...): the functions read the array library from their arguments, so the
annotation names the protocol, not a library. ``ArrayLike`` also admits what NumPy can turn
into an array (Python scalars and nested lists or tuples), for the functions that accept it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeAlias, runtime_checkable

__all__ = ["Array", "ArrayLike"]


@runtime_checkable
class Array(Protocol):
    """An array of the Python array API standard (only what the annotations rely on)."""

    @property
    def shape(self) -> tuple[int | None, ...]: ...

    @property
    def dtype(self) -> Any: ...

    @property
    def ndim(self) -> int: ...

    def __array_namespace__(self, /, *, api_version: str | None = None) -> Any: ...


ArrayLike: TypeAlias = Array | Sequence[Any] | complex | bool
