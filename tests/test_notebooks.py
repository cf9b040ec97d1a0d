"""The chapters as files: launchable anywhere, deterministic, honest about what nbval skips."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import subprocess
import sys

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
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REQUIREMENT = CONFIG["convnb_install"]  # the one value the first cells are stamped from


def _stamp():
    spec = importlib.util.spec_from_file_location("stamp", ROOT / "scripts/stamp_install_cell.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_every_notebook_in_book_is_in_the_toc():
    on_disk = {p for p in (ROOT / "book").glob("*.ipynb")}
    assert on_disk == set(CHAPTERS)


def test_the_install_value_names_this_repository_at_the_packages_release():
    import convnb

    url = CONFIG["repository"]["url"]
    assert REQUIREMENT == f"convnb[book] @ git+{url}@v{convnb.__version__}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_first_cell_is_the_install_cell_stamped_from_the_config(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "code"
    # Run `python scripts/stamp_install_cell.py` when this fails.
    assert first.source == _stamp().install_cell(REQUIREMENT)
    assert first.metadata.get("tags") == ["remove-cell"]  # hidden on the web page only
    assert not first.outputs


def test_first_cell_fails_loudly_in_a_fresh_environment_that_cannot_install(tmp_path):
    """Colab's trap: pip fails, the cell used to succeed, and the next cell failed instead.

    A fresh virtualenv without convnb, whose pip can reach no index and no git host, run in
    a folder holding a bare `convnb/` directory (which `find_spec` mistook for the package):
    the cell must try to install, and raise an error that says what to do.
    """
    # A venv without pip (ensurepip takes seconds), given this environment's pip alone.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    only_pip = tmp_path / "only-pip"
    only_pip.mkdir()
    (only_pip / "pip").symlink_to(importlib.util.find_spec("pip").submodule_search_locations[0])
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    (venv / "lib" / version / "site-packages" / "only-pip.pth").write_text(f"{only_pip}\n")
    (tmp_path / "work" / "convnb").mkdir(parents=True)  # a checkout's folder, not a package
    cell = tmp_path / "cell.py"
    cell.write_text(nbformat.read(CHAPTERS[0], as_version=4).cells[0].source)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL"))}
    env |= {
        "PIP_CONFIG_FILE": os.devnull,  # no site index or find-links
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",  # a closed port
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_ALLOW_PROTOCOL": "file",  # git refuses https at once, offline or not
    }
    done = subprocess.run(
        [str(venv / "bin" / "python"), str(cell)],
        cwd=tmp_path / "work",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0, done.stdout + done.stderr
    assert f"convnb is not installed: installing {REQUIREMENT}" in done.stdout
    error = done.stderr.strip().splitlines()
    assert error[0] == "Traceback (most recent call last):"
    message = done.stderr[done.stderr.index("RuntimeError: ") :]
    assert message.startswith("RuntimeError: Installing convnb failed (pip exit status 1)")
    assert "fatal: transport 'https' not allowed" in message  # what git said, passed on
    assert "github.com and pypi.org" in message
    assert f'pip install "{REQUIREMENT}"' in message


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
        assert "execution" not in cell.metadata  # timings: scripts/refresh_notebooks.py drops them


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_stays_small(path):
    assert path.stat().st_size < 1_000_000
