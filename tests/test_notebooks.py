"""The chapters as files: launchable anywhere, deterministic, honest about what nbval skips."""

from __future__ import annotations

import pathlib
import re

import nbformat
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = [
    ROOT / f"{c['file']}.ipynb"
    for part in TOC["parts"]
    for c in part["chapters"]
    if (ROOT / f"{c['file']}.ipynb").is_file()
]
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_every_notebook_in_book_is_in_the_toc():
    on_disk = {p for p in (ROOT / "book").glob("*.ipynb")}
    assert on_disk == set(CHAPTERS)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_first_cell_installs_convnb_when_missing(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "code"
    assert 'find_spec("convnb") is None' in first.source
    assert f"git+{REPOSITORY}" in first.source and "%pip install" in first.source
    assert first.metadata.get("tags") == ["remove-cell"]  # hidden on the web page only


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_cell_reads_files_of_a_local_checkout(path):
    local = re.compile(r"\bopen\(|\.\./|Path\(|np\.load|read_csv|imread|sys\.path")
    for cell in _code(nbformat.read(path, as_version=4)):
        assert not local.search(cell.source), cell.source


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_output_checks_are_skipped_only_for_widgets_and_timings(path):
    for cell in _code(nbformat.read(path, as_version=4)):
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            # widgets (random model ids) and timings (machine-dependent) only
            assert "widgets." in cell.source or cell.source.startswith("# Timing"), cell.source
        if "widgets.explorer(" in cell.source or "sliding_explorer(" in cell.source:
            assert "nbval-ignore-output" in cell.metadata.get("tags", []), cell.source


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_saved_outputs_are_from_one_clean_run(path):
    counts = [c.execution_count for c in _code(nbformat.read(path, as_version=4))]
    assert counts == list(range(1, len(counts) + 1))  # run top to bottom, once
    for cell in _code(nbformat.read(path, as_version=4)):
        assert not any(o.output_type == "error" for o in cell.outputs)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_stays_small(path):
    assert path.stat().st_size < 1_000_000
