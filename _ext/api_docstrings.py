"""The API reference's two adaptations of the docstrings to Sphinx.

1. Shape rules are written the way Python unpacks them, ``shape (N, C_in, *spatial)``: that
   reads well in ``help()`` but is an unterminated emphasis in reStructuredText (a warning, so
   a failure under ``-W``). Before numpydoc renders a docstring, ``*`` in the type part of
   its Parameters, Returns and Yields entries is escaped.
2. Docstrings name functions where they are defined (``convnb.arithmetic.receptive_field``,
   or ``pad`` inside ``convnb.padding``), while the reference documents each object once,
   under the shortest name that exports it (``convnb.receptive_field``). A reference that
   Sphinx cannot resolve is looked up by the object it names, and linked to that object's
   entry. A module whose name a function shadows (``convnb.conv``) is not indexed; a
   reference to it is shown without a link.
"""

from __future__ import annotations

import importlib
import re
import types

SECTIONS = {"Parameters", "Other Parameters", "Returns", "Yields", "Receives", "Attributes"}
_STAR = re.compile(r"(?<!\\)\*")


def escape_type_stars(app, what, name, obj, options, lines: list[str]) -> None:
    """Escape ``*`` in the type specs of numpydoc sections, in place."""
    section, base = None, None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"} and stripped:
            section, base = stripped, len(line) - len(line.lstrip())
            continue
        if section not in SECTIONS or not stripped or set(stripped) == {"-"}:
            continue
        if len(line) - len(line.lstrip()) != base:
            continue  # a description line
        head, sep, spec = line.partition(" : ")
        if sep:
            lines[i] = head + sep + _STAR.sub(r"\\*", spec)
        elif section in {"Returns", "Yields", "Receives"}:
            lines[i] = _STAR.sub(r"\\*", line)


def _lookup(dotted: str):
    """The object a dotted name refers to (an attribute before a submodule), or None."""
    parts = dotted.split(".")
    try:
        obj = importlib.import_module(parts[0])
    except ImportError:
        return None
    for i, part in enumerate(parts[1:], start=2):
        if hasattr(obj, part):
            obj = getattr(obj, part)  # convnb.im2col is the function, not its module
            continue
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            return None
    return obj


def _documented(env) -> dict[int, str]:
    """id(object) -> the name it is documented under, for the functions and classes."""
    objects = env.get_domain("py").objects
    cache = getattr(env, "_convnb_documented", None)
    if cache is None or cache[0] != len(objects):
        index = {}
        for name, entry in objects.items():
            if entry.objtype in {"function", "class", "method"}:
                obj = _lookup(name)
                if obj is not None:
                    index.setdefault(id(obj), name)
        env._convnb_documented = cache = (len(objects), index)
    return cache[1]


def resolve_by_object(app, env, node, contnode):
    """Link a missing Python reference to where the object it names is documented."""
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    module = node.get("py:module") or ""
    candidates = [f"{module}.{target}"] if module else []
    candidates += [target, f"convnb.{target}"]
    index = _documented(env)
    for candidate in candidates:
        if not candidate.startswith("convnb."):
            continue
        if node["reftype"] == "mod":
            try:
                importlib.import_module(candidate)
            except ImportError:
                continue
            return contnode  # a module shadowed by a function's name: not indexed
        obj = _lookup(candidate)
        if obj is None or isinstance(obj, types.ModuleType):
            continue
        name = index.get(id(obj))
        if name is not None:
            domain = env.get_domain("py")
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, "obj", name, node, contnode
            )
    return None


def setup(app):
    app.connect("autodoc-process-docstring", escape_type_stars, priority=400)  # before numpydoc
    app.connect("missing-reference", resolve_by_object)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
