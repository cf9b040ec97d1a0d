"""The arrow points one way: widgets -> plot -> math. Math never imports drawing code."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "convnb"
DRAWING = {"matplotlib", "ipywidgets", "IPython"}
MATH_MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.stem != "widgets")
PLOT_MODULES = sorted((PACKAGE / "plot").glob("*.py"))


def _imported_roots(path):
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
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
    assert "IPython" not in _imported_roots(path)


def test_importing_convnb_loads_no_drawing_library():
    code = "import sys, convnb; print(sorted(m for m in sys.modules if m.split('.')[0] in %r))"
    out = subprocess.run(
        [sys.executable, "-c", code % DRAWING], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_every_subpackage_and_data_file_is_packaged():
    """A non-editable install (Colab installs from git) must ship every subpackage."""
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("__init__.py")
    }
    assert set(config["packages"]) == found
    assert list((PACKAGE / "data").glob("*.json"))
    assert config["package-data"]["convnb"] == ["data/*.json"]
