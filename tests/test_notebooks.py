"""The chapters as files: launchable anywhere, deterministic, honest about what nbval skips."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import shutil
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


@pytest.fixture(scope="module")
def fresh_kernel(tmp_path_factory):
    """Run the first cell in a fresh virtualenv whose pip reaches no index and no git host.

    The venv has no packages but this environment's pip (ensurepip would take seconds). The
    cell runs in a folder holding a bare `convnb/` directory, which `find_spec` mistook for
    the package. A `convnb` distribution can be faked in the venv (version, extras).
    """
    tmp = tmp_path_factory.mktemp("fresh")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    only_pip = tmp / "only-pip"
    only_pip.mkdir()
    (only_pip / "pip").symlink_to(importlib.util.find_spec("pip").submodule_search_locations[0])
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = venv / "lib" / version / "site-packages"
    (site / "only-pip.pth").write_text(f"{only_pip}\n")
    (tmp / "work" / "convnb").mkdir(parents=True)  # a checkout's folder, not a package
    cell = tmp / "cell.py"
    cell.write_text(nbformat.read(CHAPTERS[0], as_version=4).cells[0].source)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL"))}
    env |= {
        "PIP_CONFIG_FILE": os.devnull,  # no site index or find-links
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",  # a closed port
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_ALLOW_PROTOCOL": "file",  # git refuses https at once, offline or not
    }

    def run(installed=None, requires=()):
        for old in site.glob("convnb-*.dist-info"):
            shutil.rmtree(old)
        if installed:
            meta = site / f"convnb-{installed}.dist-info"
            meta.mkdir()
            lines = ["Metadata-Version: 2.4", "Name: convnb", f"Version: {installed}"]
            lines += [f"Requires-Dist: {r}" for r in requires]
            (meta / "METADATA").write_text("\n".join(lines) + "\n")
        return subprocess.run(
            [str(venv / "bin" / "python"), str(cell)],
            cwd=tmp / "work",
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


BOOK_EXTRA = ['scipy>=1.10; extra == "book"', "numpy>=1.26"]
NEEDS = REQUIREMENT.rpartition("@v")[2]


@pytest.mark.parametrize(
    ("installed", "requires", "reason"),
    [
        (None, (), "convnb is not installed"),
        ("0.0.1", (), f"convnb 0.0.1 is older than {NEEDS}"),
        (NEEDS, BOOK_EXTRA, "scipy (for the book's pictures) is not installed"),
    ],
    ids=["missing", "older", "without-extras"],
)
def test_first_cell_fails_loudly_when_it_cannot_install(fresh_kernel, installed, requires, reason):
    """Colab's trap: pip failed, the cell succeeded anyway, and the next cell failed."""
    done = fresh_kernel(installed, requires)
    assert done.returncode != 0, done.stdout + done.stderr
    assert done.stdout == f"{reason}: installing {REQUIREMENT}\n"
    assert done.stderr.startswith("Traceback (most recent call last):")
    message = done.stderr[done.stderr.index("RuntimeError: ") :]
    assert message.startswith("RuntimeError: Installing convnb failed (pip exit status 1)")
    assert "fatal: transport 'https' not allowed" in message  # what git said, passed on
    assert "github.com and pypi.org" in message
    assert f'pip install "{REQUIREMENT}"' in message


def test_first_cell_does_nothing_when_the_release_is_installed(fresh_kernel):
    done = fresh_kernel(NEEDS, ["numpy>=1.26", 'scipy>=1.10; extra == "gpu-only-here"'])
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_cell_reads_files_of_a_local_checkout(path):
    local = re.compile(r"\bopen\(|\.\./|Path\(|np\.load|read_csv|imread|sys\.path")
    for cell in _code(nbformat.read(path, as_version=4)):
        assert not local.search(cell.source), cell.source


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_output_checks_are_skipped_only_for_widgets_and_timings(path):
    for cell in _code(nbformat.read(path, as_version=4)):
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            # widgets (random model ids), timings and float rounding digits (machine-dependent:
            # a "# Rounding" cell is followed by one that checks its claims with margins) only
            assert "widgets." in cell.source or cell.source.startswith(
                ("# Timing", "# Rounding")
            ), cell.source
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
