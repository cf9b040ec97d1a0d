"""The arrow points one way: widgets -> plot -> math. Math never imports drawing code."""

from __future__ import annotations

import ast
import pathlib
import re
import subprocess
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "convnb"
DRAWING = {"matplotlib", "ipywidgets", "IPython"}
MATH_MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.stem != "widgets")
PLOT_MODULES = sorted((PACKAGE / "plot").glob("*.py"))


def _imported_roots(path, *, top_level_only=False):
    roots = set()
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom):  # relative: record convnb.<module>
            names = [node.module] if node.module else [a.name for a in node.names]
            roots |= {f"convnb.{n.split('.')[0]}" for n in names}
    return roots


@pytest.mark.parametrize("path", MATH_MODULES, ids=lambda p: p.name)
def test_math_modules_import_no_drawing_library(path):
    assert not _imported_roots(path) & DRAWING


@pytest.mark.parametrize("path", PLOT_MODULES, ids=lambda p: p.name)
def test_plot_does_not_import_widgets(path):
    assert "ipywidgets" not in _imported_roots(path)
    assert "convnb.widgets" not in _imported_roots(path)
    # IPython only inside a function: plot.book_style() sets a notebook's inline figure
    # format when a chapter asks for it; importing convnb.plot never loads IPython.
    assert "IPython" not in _imported_roots(path, top_level_only=True)


def test_importing_convnb_loads_no_drawing_library():
    code = "import sys, convnb; print(sorted(m for m in sys.modules if m.split('.')[0] in %r))"
    out = subprocess.run(
        [sys.executable, "-c", code % DRAWING], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# The optional extras: without them, the import says which extra to install. The missing
# library is blocked with a None entry in sys.modules (what Python does for a failed import),
# in a fresh interpreter so nothing imported here leaks in.
@pytest.mark.parametrize(
    ("module", "missing"),
    [
        ("convnb.plot", "matplotlib"),
        ("convnb.widgets", "ipywidgets"),
        ("convnb.widgets", "matplotlib"),
        ("convnb.widgets", "IPython"),
    ],
)
def test_optional_module_without_its_extra_names_the_extra(module, missing):
    code = (
        f"import sys; sys.modules[{missing!r}] = None\n"
        f"try:\n    import {module}\n"
        "except ImportError as exc:\n    print(type(exc).__name__, exc.name, '|', exc)\n"
        "else:\n    print('imported')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out.startswith(f"ImportError {missing} |"), out
    assert 'pip install "convnb[plot]"' in out and missing in out.split("|")[1], out


def test_the_plot_extra_installs_what_the_guards_name():
    import tomllib

    extras = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    names = {re.match(r"[\w.-]+", r).group().lower() for r in extras["plot"]}
    assert {"matplotlib", "ipywidgets"} <= names  # IPython comes with ipywidgets
    assert {re.match(r"[\w.-]+", r).group() for r in extras["gpu"]} == {"cupy-cuda12x"}


def test_no_module_is_shadowed_by_a_name_of_its_package():
    # convnb.conv was a module and a function, and so was convnb.plot.player: then which one
    # `convnb.plot.player` is depends on what ran first. Each module keeps its own name.
    import importlib
    import pkgutil

    import convnb

    shadowed = []
    for info in pkgutil.walk_packages(convnb.__path__, "convnb."):
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional dependency (dask, anywidget) is missing
            continue
        parent, _, name = info.name.rpartition(".")
        if getattr(sys.modules[parent], name) is not module:
            shadowed.append(f"{info.name} is {getattr(sys.modules[parent], name)!r}")
    assert not shadowed
